/* rc-program-audio.c: samples of the layout's streams placed in sectors
 * (rc-program-audio.h).
 *
 * Positions are counted in frames from the first sample of LBA 0, so that
 * a stream that starts inside a sector (after a sample-exact join) is no
 * different from one that starts on a sector boundary.
 */
#include "rc-program-audio.h"

#include "rc-measure.h"

#include <string.h>

/* Frames read and dropped at a time when a stream must be entered past its
 * first frame (16 KiB). */
#define SKIP_FRAMES 4096

struct _RcProgramAudio {
  const RcLayout *layout;
  GCancellable   *cancellable;  /* also interrupts a reader waiting on a pipe */
  guint           extent;       /* the stream being read (index into layout->audio) */
  RcAudioReader  *reader;       /* its reader, NULL until its first sample is due */
  gint16         *scratch;      /* SKIP_FRAMES frames, allocated when needed */
};

static gint64
stream_end (const RcLayoutAudio *a)
{
  return rc_layout_audio_begin (a) + a->frames;
}

RcProgramAudio *
rc_program_audio_new (const RcLayout *layout, gint first_lba, GCancellable *cancellable)
{
  RcProgramAudio *audio = g_new0 (RcProgramAudio, 1);
  gint64 first_frame = (gint64) first_lba * RC_FRAMES_PER_SECTOR;

  audio->layout = layout;
  audio->cancellable = cancellable;
  /* Streams that end before the range are not read at all. */
  while (audio->extent < layout->n_audio
         && stream_end (&layout->audio[audio->extent]) <= first_frame)
    audio->extent++;
  return audio;
}

void
rc_program_audio_free (RcProgramAudio *audio)
{
  if (audio == NULL)
    return;
  g_clear_pointer (&audio->reader, rc_audio_reader_free);
  g_free (audio->scratch);
  g_free (audio);
}

/* Reads and drops `frames` frames of the current reader. */
static gboolean
skip_frames (RcProgramAudio *audio, gint64 frames, GError **error)
{
  if (frames > 0 && audio->scratch == NULL)
    audio->scratch = g_new (gint16, 2 * SKIP_FRAMES);
  while (frames > 0)
    {
      gsize n = (gsize) MIN ((gint64) SKIP_FRAMES, frames);

      if (!rc_audio_reader_read (audio->reader, audio->scratch, n, error))
        return FALSE;
      frames -= (gint64) n;
    }
  return TRUE;
}

/* Opens the current stream's reader, positioned at frame `at` of the
 * stream (past its range's first frame in the source). */
static gboolean
open_stream (RcProgramAudio *audio, const RcLayoutAudio *a, gint64 at, GError **error)
{
  audio->reader = audio->layout->measure_levels
                  ? rc_measure_open_reader (audio->layout, a->source, error)
                  : rc_audio_source_open_reader (a->source, error);
  if (audio->reader == NULL)
    return FALSE;
  rc_audio_reader_set_cancellable (audio->reader, audio->cancellable);
  /* A range may begin inside a stream (a hidden track runs across LBA 0,
   * where side files start; a track may be a range of a longer file):
   * pass over what lies before. */
  return skip_frames (audio, a->first + at, error);
}

static gboolean
fill_streams (RcProgramAudio *audio, gint lba, guint sectors, guint8 *buf, GError **error)
{
  gint64 begin = (gint64) lba * RC_FRAMES_PER_SECTOR;
  gint64 end = begin + (gint64) sectors * RC_FRAMES_PER_SECTOR;

  memset (buf, 0, (gsize) sectors * RC_AUDIO_BYTES);
  while (audio->extent < audio->layout->n_audio)
    {
      const RcLayoutAudio *a = &audio->layout->audio[audio->extent];
      gint64 from = MAX (begin, rc_layout_audio_begin (a));
      gint64 to = MIN (end, stream_end (a));

      if (from >= end)
        return TRUE;            /* the stream starts after this batch */
      if (audio->reader == NULL
          && !open_stream (audio, a, from - rc_layout_audio_begin (a), error))
        return FALSE;
      if (to > from)
        {
          gint16 *dest = (gint16 *) (buf + (gsize) (from - begin) * 4);

          if (!rc_audio_reader_read (audio->reader, dest, (gsize) (to - from), error))
            return FALSE;
        }
      if (stream_end (a) > end)
        return TRUE;            /* the stream goes on in the next batch */
      audio->extent++;
      /* The next range of the same source starting where this one ends
       * (tracks cut from one file, in order) is read on by this reader:
       * nothing to reopen or pass over. */
      if (audio->extent < audio->layout->n_audio
          && audio->layout->audio[audio->extent].source == a->source
          && audio->layout->audio[audio->extent].first == a->first + a->frames)
        continue;
      g_clear_pointer (&audio->reader, rc_audio_reader_free);
    }
  return TRUE;
}

gboolean
rc_program_audio_fill (RcProgramAudio *audio, gint lba, guint sectors, guint8 *buf, GError **error)
{
  const RcLayoutAudio *a;

  if (fill_streams (audio, lba, sectors, buf, error))
    return TRUE;
  a = &audio->layout->audio[audio->extent];
  if (a->track == 0)
    g_prefix_error (error, "the special pregap: ");
  else
    g_prefix_error (error, "track %u: ", audio->layout->tracks[a->track - 1].number);
  return FALSE;
}
