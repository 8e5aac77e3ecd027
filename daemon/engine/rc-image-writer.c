/* rc-image-writer.c: the full image, streamed in batches of sectors.
 *
 * The audio of a batch is read into one buffer, then each sector is
 * assembled from it and its subchannel, and the batch goes out in one
 * write.  Memory is the two batch buffers, whatever the image size.
 */
#include "rc-image-writer.h"
#include "rc-error.h"
#include "rc-subchannel.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* ~1 MiB of output per write: large enough that system calls cost
 * nothing, small enough that Cancel and progress stay prompt. */
#define BATCH_SECTORS 428

typedef struct {
  const RcLayout *layout;
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
          cur->frames_left = rc_audio_source_get_frames (a->source);
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

static void
assemble (const RcLayout *layout, RcImageType type, gint lba, guint sectors,
          const guint8 *audio, guint8 *out)
{
  guint bytes = rc_image_sector_bytes (type);

  for (guint i = 0; i < sectors; i++, lba++)
    {
      guint8 *sector = out + (gsize) i * bytes;
      guint8 q[12];
      gboolean p = rc_subchannel_p (layout, lba);

      memcpy (sector, audio + (gsize) i * RC_AUDIO_BYTES, RC_AUDIO_BYTES);
      rc_subchannel_q (layout, lba, q);
      if (type == RC_IMAGE_TYPE_PQ_ONLY)
        rc_subchannel_pack16 (q, p, sector + RC_AUDIO_BYTES);
      else
        rc_subchannel_pack96 (q, p, NULL, sector + RC_AUDIO_BYTES);
    }
}

static gboolean
write_all (int fd, const guint8 *buf, gsize len, guint64 done, guint64 total, GError **error)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);
      int saved;

      if (n >= 0)
        {
          buf += n;
          len -= (gsize) n;
          done += (guint64) n;
          continue;
        }
      saved = errno;
      if (saved == EINTR)
        continue;
      switch (saved)
        {
        case ENOSPC:
        case EDQUOT:
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "no space left for the image after %" G_GUINT64_FORMAT " of %"
                       G_GUINT64_FORMAT " bytes", done, total);
          break;
        case EPIPE:
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "the reader of the output went away after %" G_GUINT64_FORMAT " of %"
                       G_GUINT64_FORMAT " bytes", done, total);
          break;
        case EBADF:
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "the output is not open for writing (%" G_GUINT64_FORMAT " of %"
                       G_GUINT64_FORMAT " bytes written)", done, total);
          break;
        default:
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "writing the image failed after %" G_GUINT64_FORMAT " of %"
                       G_GUINT64_FORMAT " bytes: %s", done, total, g_strerror (saved));
        }
      return FALSE;
    }
  return TRUE;
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
  guint bytes = rc_image_sector_bytes (type);
  guint64 total_sectors = (guint64) rc_layout_image_sectors (layout);
  guint64 total_bytes = total_sectors * bytes;
  guint64 written = 0;
  g_autofree guint8 *audio = g_malloc ((gsize) BATCH_SECTORS * RC_AUDIO_BYTES);
  g_autofree guint8 *out = g_malloc ((gsize) BATCH_SECTORS * bytes);
  AudioCursor cur = { .layout = layout };
  gboolean ok = TRUE;

  g_return_val_if_fail (layout->n_tracks > 0, FALSE);

  for (guint64 done = 0; ok && done < total_sectors;)
    {
      guint n = (guint) MIN ((guint64) BATCH_SECTORS, total_sectors - done);
      gint lba = RC_LEADIN_START_LBA + (gint) done;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_CANCELLED,
                       "cancelled after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " sectors",
                       done, total_sectors);
          ok = FALSE;
          break;
        }
      if (!read_audio (&cur, lba, n, audio, error))
        {
          ok = FALSE;
          break;
        }
      to_little_endian (audio, (gsize) n * RC_AUDIO_BYTES);
      assemble (layout, type, lba, n, audio, out);
      ok = write_all (fd, out, (gsize) n * bytes, written, total_bytes, error);
      if (!ok)
        break;
      done += n;
      written += (guint64) n * bytes;
      if (progress != NULL)
        progress (done, total_sectors, written, user_data);
    }

  g_clear_pointer (&cur.reader, rc_audio_reader_free);
  return ok;
}
