/* rc-measure.c: the ranges of a stream a job measures (rc-measure.h). */
#include "rc-measure.h"

#include <math.h>
#include <stdlib.h>

#define MAX_MARKS 256

static int
compare_frames (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

RcAudioReader *
rc_measure_open_reader (const RcLayout *layout, RcAudioSource *source, GError **error)
{
  gint64 marks[2 * MAX_MARKS];
  guint n = 0, unique = 0;

  for (guint i = 0; i < layout->n_audio && n + 2 <= G_N_ELEMENTS (marks); i++)
    if (layout->audio[i].source == source && layout->audio[i].frames > 0)
      {
        marks[n++] = layout->audio[i].first;
        marks[n++] = layout->audio[i].first + layout->audio[i].frames;
      }
  qsort (marks, n, sizeof marks[0], compare_frames);
  for (guint i = 0; i < n; i++)
    if (unique == 0 || marks[i] != marks[unique - 1])
      marks[unique++] = marks[i];
  /* ranges that meet share a mark; a disc has at most 100 ranges */
  if (unique < 2 || unique > MAX_MARKS)
    return rc_audio_source_open_reader (source, error);
  g_debug ("measuring %u ranges of %s", unique - 1, rc_audio_source_get_description (source));
  return rc_audio_source_open_measuring_reader (source, marks, unique, error);
}

RcAudioSource *
rc_measure_track_source (const RcLayout *layout, guint index)
{
  for (guint i = 0; i < layout->n_audio; i++)
    if (layout->audio[i].track == index)
      return layout->audio[i].source;
  return NULL;
}

gboolean
rc_measure_get_levels (const RcLayout *layout, guint index, RcLevels *levels)
{
  for (guint i = 0; i < layout->n_audio; i++)
    {
      const RcLayoutAudio *a = &layout->audio[i];

      if (a->track == index)
        return rc_audio_source_get_levels (a->source, a->first, a->frames, levels);
    }
  return FALSE;
}

static double
linear_to_db (double value)
{
  return value > 0.0 ? 20.0 * log10 (value) : RC_LEVELS_SILENT;
}

void
rc_measure_levels_db (const RcLevels *levels,
                      double         *sample_peak_dbfs,
                      double         *true_peak_dbtp,
                      double         *loudness_lufs)
{
  *sample_peak_dbfs = linear_to_db (levels->sample_peak / 32768.0);
  *true_peak_dbtp = linear_to_db (levels->true_peak);
  *loudness_lufs = levels->has_loudness ? levels->loudness : RC_LEVELS_SILENT;
}
