/* rc-image-writer.c: sectors of a layout, streamed in batches.
 *
 * The audio (rc-program-audio.c) and R-W symbols of a batch are read into
 * one buffer each, then each sector is assembled from them and its P and Q
 * in every output's form, and each output gets the batch through
 * rc-output-queue.c.  Memory is a few batches per buffer, whatever the
 * image size.
 */
#include "rc-image-writer.h"
#include "rc-error.h"
#include "rc-output-queue.h"
#include "rc-program-audio.h"
#include "rc-rw-channel.h"
#include "rc-subchannel.h"

#include <string.h>

/* ~1 MiB of output per write: large enough that system calls cost
 * nothing, small enough that Cancel and progress stay prompt. */
#define BATCH_SECTORS 428

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
  g_autoptr(RcProgramAudio) program = rc_program_audio_new (layout, first_lba, cancellable);
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
      if (!rc_program_audio_fill (program, lba, n, audio, error)
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
