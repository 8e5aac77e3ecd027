/* rc-image-writer.c: sectors of a layout, streamed in batches.
 *
 * The audio and R-W symbols of a batch are read into one buffer each, then
 * each sector is assembled from them and its P and Q in every output's
 * form, and each output gets the batch through rc-output.c.  Memory is one
 * batch per buffer, whatever the image size.
 */
#include "rc-image-writer.h"
#include "rc-error.h"
#include "rc-output-queue.h"
#include "rc-rw-channel.h"
#include "rc-subchannel.h"

#include <string.h>

/* ~1 MiB of output per write: large enough that system calls cost
 * nothing, small enough that Cancel and progress stay prompt. */
#define BATCH_SECTORS 428

typedef struct {
  const RcLayout *layout;
  GCancellable   *cancellable; /* also interrupts a reader waiting on a pipe */
  guint           extent;      /* the stream being read (index into layout->audio) */
  RcAudioReader  *reader;
  gint64          frames_left; /* of that stream */
} AudioCursor;

static char *
describe_extent (const RcLayout *layout, guint extent)
{
  const RcLayoutAudio *a = &layout->audio[extent];

  for (guint i = 0; i < layout->n_tracks; i++)
    if (layout->tracks[i].start_lba == a->lba)
      return g_strdup_printf ("track %u", layout->tracks[i].number);
  return g_strdup ("the special pregap");
}

/* Reads and drops `frames` frames, using buf (room for buf_frames). */
static gboolean
skip_frames (AudioCursor *cur, gint64 frames, guint8 *buf, gsize buf_frames, GError **error)
{
  frames = MIN (frames, cur->frames_left);
  while (frames > 0)
    {
      gsize n = (gsize) MIN ((gint64) buf_frames, frames);

      if (!rc_audio_reader_read (cur->reader, (gint16 *) buf, n, error))
        return FALSE;
      frames -= (gint64) n;
      cur->frames_left -= (gint64) n;
    }
  return TRUE;
}

/* Fills `sectors` sectors of main channel from `lba` on: audio where a
 * stream lies, silence elsewhere (pauses, padding, lead-in, lead-out). */
static gboolean
read_audio_streams (AudioCursor *cur, gint lba, guint sectors, guint8 *buf, GError **error)
{
  gint end = lba + (gint) sectors;

  memset (buf, 0, (gsize) sectors * RC_AUDIO_BYTES);
  while (cur->extent < cur->layout->n_audio)
    {
      const RcLayoutAudio *a = &cur->layout->audio[cur->extent];
      gint from = MAX (lba, a->lba);
      gint to = MIN (end, a->lba + a->sectors);
      gint64 want;

      if (from >= end)
        return TRUE;            /* the stream starts after this batch */
      if (cur->reader == NULL)
        {
          cur->reader = rc_audio_source_open_reader (a->source, error);
          if (cur->reader == NULL)
            return FALSE;
          rc_audio_reader_set_cancellable (cur->reader, cur->cancellable);
          cur->frames_left = rc_audio_source_get_frames (a->source);
          /* A range may begin inside a stream (a hidden track runs across
           * LBA 0, where side files start): pass over what lies before. */
          if (from > a->lba)
            {
              /* buf is scratch here: no other stream lies in this batch. */
              if (!skip_frames (cur, (gint64) (from - a->lba) * RC_FRAMES_PER_SECTOR,
                                buf, (gsize) sectors * RC_AUDIO_BYTES / 4, error))
                return FALSE;
              memset (buf, 0, (gsize) sectors * RC_AUDIO_BYTES);
            }
        }

      want = MIN ((gint64) (to - from) * RC_FRAMES_PER_SECTOR, cur->frames_left);
      if (want > 0 && !rc_audio_reader_read (cur->reader,
                                             (gint16 *) (buf + (gsize) (from - lba) * RC_AUDIO_BYTES),
                                             (gsize) want, error))
        return FALSE;
      cur->frames_left -= want;

      if (to < a->lba + a->sectors)
        return TRUE;            /* the stream goes on in the next batch */
      g_clear_pointer (&cur->reader, rc_audio_reader_free);
      cur->extent++;
    }
  return TRUE;
}

static gboolean
read_audio (AudioCursor *cur, gint lba, guint sectors, guint8 *buf, GError **error)
{
  g_autofree char *what = NULL;

  if (read_audio_streams (cur, lba, sectors, buf, error))
    return TRUE;
  what = describe_extent (cur->layout, cur->extent);
  g_prefix_error (error, "%s: ", what);
  return FALSE;
}

static void
to_little_endian (guint8 *buf, gsize bytes)
{
#if G_BYTE_ORDER == G_BIG_ENDIAN
  gint16 *s = (gint16 *) buf;
  for (gsize i = 0; i < bytes / 2; i++)
    s[i] = GINT16_TO_LE (s[i]);
#endif
}

guint
rc_sector_form_bytes (RcSectorForm form, RcImageType type)
{
  switch (form)
    {
    case RC_SECTOR_FORM_FULL:
      return rc_image_sector_bytes (type);
    case RC_SECTOR_FORM_AUDIO:
    case RC_SECTOR_FORM_AUDIO_BE:
      return RC_AUDIO_BYTES;
    case RC_SECTOR_FORM_AUDIO_BE_SUB:
      return RC_AUDIO_BYTES + 96;
    case RC_SECTOR_FORM_SUB_PLANAR:
    case RC_SECTOR_FORM_SUB_RAW:
    default:
      return 96;
    }
}

/* 96 interleaved bytes to 8 channels of 12 bytes, P first. */
static void
deinterleave (const guint8 in[96], guint8 out[96])
{
  memset (out, 0, 96);
  for (guint n = 0; n < 96; n++)
    for (guint ch = 0; ch < 8; ch++)
      if (in[n] & (0x80 >> ch))
        out[12 * ch + n / 8] |= (guint8) (0x80 >> (n % 8));
}

/* 16-bit little-endian samples to big-endian ones. */
static void
copy_big_endian (const guint8 *le, guint8 *be)
{
  for (gsize i = 0; i < RC_AUDIO_BYTES; i += 2)
    {
      be[i] = le[i + 1];
      be[i + 1] = le[i];
    }
}

/* One sector in the given form (audio: little-endian samples). */
static void
assemble_sector (RcSectorForm form, RcImageType type, const guint8 *audio,
                 const guint8 q[12], gboolean p, const guint8 *rw, guint8 *out)
{
  guint8 sub[96];

  switch (form)
    {
    case RC_SECTOR_FORM_AUDIO:
      memcpy (out, audio, RC_AUDIO_BYTES);
      break;
    case RC_SECTOR_FORM_AUDIO_BE:
      copy_big_endian (audio, out);
      break;
    case RC_SECTOR_FORM_AUDIO_BE_SUB:
      copy_big_endian (audio, out);
      rc_subchannel_pack96 (q, p, rw, out + RC_AUDIO_BYTES);
      break;
    case RC_SECTOR_FORM_FULL:
      memcpy (out, audio, RC_AUDIO_BYTES);
      if (type == RC_IMAGE_TYPE_PQ_ONLY)
        rc_subchannel_pack16 (q, p, out + RC_AUDIO_BYTES);
      else
        rc_subchannel_pack96 (q, p, rw, out + RC_AUDIO_BYTES);
      break;
    case RC_SECTOR_FORM_SUB_RAW:
      rc_subchannel_pack96 (q, p, rw, out);
      break;
    case RC_SECTOR_FORM_SUB_PLANAR:
    default:
      rc_subchannel_pack96 (q, p, rw, sub);
      deinterleave (sub, out);
      break;
    }
}

typedef struct {
  guint     bytes;      /* per sector */
  guint8   *bufs[RC_OUTPUT_QUEUE_DEPTH];  /* one batch each, written in turn */
} OutputState;

gboolean
rc_image_write_range (RcLayout            *layout,
                      RcImageType          type,
                      gint                 first_lba,
                      gint                 end_lba,
                      const RcImageOutput *outputs,
                      guint                n_outputs,
                      RcProgressFunc       progress,
                      gpointer             user_data,
                      GCancellable        *cancellable,
                      GError             **error)
{
  guint64 total_sectors = (guint64) (end_lba - first_lba);
  guint64 sectors_written = 0, bytes_written = 0;
  g_autoptr(RcOutputQueue) queue = NULL;
  g_autofree RcOutput *outs = g_new0 (RcOutput, n_outputs);
  g_autofree guint8 **bufs = g_new0 (guint8 *, n_outputs);
  g_autofree gsize *lens = g_new0 (gsize, n_outputs);
  guint slot = 0;
  g_autofree guint8 *audio = g_malloc ((gsize) BATCH_SECTORS * RC_AUDIO_BYTES);
  g_autofree guint8 *rw = g_malloc ((gsize) BATCH_SECTORS * 96);
  g_autofree OutputState *state = g_new0 (OutputState, n_outputs);
  g_autoptr(RcRwChannel) channel = rc_rw_channel_new (layout, type);
  AudioCursor cur = { .layout = layout, .cancellable = cancellable };
  gboolean ok = TRUE;

  g_return_val_if_fail (layout->n_tracks > 0, FALSE);
  g_return_val_if_fail (first_lba >= RC_LEADIN_START_LBA && first_lba <= end_lba, FALSE);

  for (guint o = 0; o < n_outputs; o++)
    {
      state[o].bytes = rc_sector_form_bytes (outputs[o].form, type);
      for (guint b = 0; b < RC_OUTPUT_QUEUE_DEPTH; b++)
        state[o].bufs[b] = g_malloc ((gsize) BATCH_SECTORS * state[o].bytes);
      rc_output_init (&outs[o], outputs[o].fd, total_sectors * state[o].bytes);
    }
  queue = rc_output_queue_new (outs, n_outputs, cancellable, error);
  if (queue == NULL)
    ok = FALSE;
  /* Streams that end before the range are not read at all. */
  while (cur.extent < layout->n_audio
         && layout->audio[cur.extent].lba + layout->audio[cur.extent].sectors <= first_lba)
    cur.extent++;

  for (guint64 done = 0; ok && done < total_sectors;)
    {
      guint n = (guint) MIN ((guint64) BATCH_SECTORS, total_sectors - done);
      gint lba = first_lba + (gint) done;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_CANCELLED,
                       "cancelled after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " sectors",
                       done, total_sectors);
          ok = FALSE;
          break;
        }
      /* the batch before last is written: its buffers are free */
      if (!rc_output_queue_wait_slot (queue, error))
        {
          ok = FALSE;
          break;
        }
      if (!read_audio (&cur, lba, n, audio, error)
          || (channel != NULL && !rc_rw_channel_fill (channel, lba, n, rw, error)))
        {
          ok = FALSE;
          break;
        }
      to_little_endian (audio, (gsize) n * RC_AUDIO_BYTES);

      for (guint i = 0; i < n; i++)
        {
          guint8 q[12];
          gboolean p = rc_subchannel_p (layout, lba + (gint) i);

          rc_subchannel_q (layout, lba + (gint) i, q);
          for (guint o = 0; o < n_outputs; o++)
            assemble_sector (outputs[o].form, type, audio + (gsize) i * RC_AUDIO_BYTES, q, p,
                             channel != NULL ? rw + (gsize) i * 96 : NULL,
                             state[o].bufs[slot] + (gsize) i * state[o].bytes);
        }
      for (guint o = 0; o < n_outputs; o++)
        {
          bufs[o] = state[o].bufs[slot];
          lens[o] = (gsize) n * state[o].bytes;
        }
      rc_output_queue_push (queue, bufs, lens, n);
      slot = (slot + 1) % RC_OUTPUT_QUEUE_DEPTH;
      done += n;
      if (progress != NULL)
        {
          rc_output_queue_get_written (queue, &sectors_written, &bytes_written);
          progress (sectors_written, total_sectors, bytes_written, user_data);
        }
    }
  if (ok)
    ok = rc_output_queue_finish (queue, error);
  if (ok && progress != NULL)
    {
      rc_output_queue_get_written (queue, &sectors_written, &bytes_written);
      progress (sectors_written, total_sectors, bytes_written, user_data);
    }

  /* stops a write still waiting for room before the buffers go */
  g_clear_pointer (&queue, rc_output_queue_free);
  for (guint o = 0; o < n_outputs; o++)
    for (guint b = 0; b < RC_OUTPUT_QUEUE_DEPTH; b++)
      g_free (state[o].bufs[b]);
  g_clear_pointer (&cur.reader, rc_audio_reader_free);
  return ok;
}

gboolean
rc_image_write (RcLayout       *layout,
                RcImageType     type,
                int             fd,
                RcProgressFunc  progress,
                gpointer        user_data,
                GCancellable   *cancellable,
                GError        **error)
{
  RcImageOutput output = { fd, RC_SECTOR_FORM_FULL };
  gint first_lba, end_lba;

  rc_layout_image_range (layout, &first_lba, &end_lba);
  return rc_image_write_range (layout, type, first_lba, end_lba,
                               &output, 1, progress, user_data, cancellable, error);
}
