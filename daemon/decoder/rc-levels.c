/* rc-levels.c: segment levels with libebur128 (rc-levels.h). */
#include "rc-levels.h"

#include "rc-decoder-proto.h"
#include "rc-error.h"

#include <ebur128.h>
#include <math.h>
#include <soxr.h>
#include <stdlib.h>
#include <string.h>

#define CD_RATE     44100
#define CD_CHANNELS 2
/* True peak: the signal 4 times oversampled (ITU-R BS.1770-4 annex 2).
 * libsoxr's high quality filter, not libebur128's short interpolator,
 * which misses peaks of full-band audio (0.36 dB on white noise, where
 * libsoxr's very high quality, ffmpeg and this agree within 0.1 dB). */
#define OVERSAMPLE  4
#define TP_CHUNK    4096   /* frames in per soxr_process() */

struct _RcLevelMeter {
  guint64        marks[RC_DECODER_MAX_MARKS];
  guint          n_marks;
  guint64        position;    /* frames fed since the stream's start */
  guint          segment;     /* marks[segment] .. marks[segment + 1] is being measured */
  ebur128_state *state;       /* the segment's, NULL outside every segment */
  soxr_t         oversampler; /* the segment's, with state */
  guint32        sample_peak; /* the segment's largest |sample| so far */
  float          true_peak;   /* the segment's largest oversampled |value| so far */
  float         *oversampled; /* OVERSAMPLE * TP_CHUNK + slack frames */
  gsize          oversampled_frames;
};

RcLevelMeter *
rc_level_meter_new (const guint64 *marks, guint n_marks)
{
  RcLevelMeter *meter = g_new0 (RcLevelMeter, 1);

  g_return_val_if_fail (n_marks >= 2 && n_marks <= RC_DECODER_MAX_MARKS, NULL);
  memcpy (meter->marks, marks, n_marks * sizeof marks[0]);
  meter->n_marks = n_marks;
  meter->oversampled_frames = OVERSAMPLE * TP_CHUNK + 1024;
  meter->oversampled = g_new (float, CD_CHANNELS * meter->oversampled_frames);
  return meter;
}

void
rc_level_meter_free (RcLevelMeter *meter)
{
  if (meter == NULL)
    return;
  if (meter->state != NULL)
    ebur128_destroy (&meter->state);
  if (meter->oversampler != NULL)
    soxr_delete (meter->oversampler);
  g_free (meter->oversampled);
  g_free (meter);
}

void
rc_level_meter_restart (RcLevelMeter *meter)
{
  if (meter->state != NULL)
    ebur128_destroy (&meter->state);
  g_clear_pointer (&meter->oversampler, soxr_delete);
  meter->position = 0;
  meter->segment = 0;
  meter->sample_peak = 0;
}

/* The segment that holds the position, started if needed; FALSE when the
 * position lies before the first mark or after the last. */
static gboolean
enter_segment (RcLevelMeter *meter, GError **error)
{
  while (meter->segment + 1 < meter->n_marks
         && meter->position >= meter->marks[meter->segment + 1])
    meter->segment++;
  if (meter->position < meter->marks[0] || meter->segment + 1 >= meter->n_marks)
    return FALSE;
  if (meter->state == NULL)
    {
      soxr_io_spec_t io = soxr_io_spec (SOXR_INT16_I, SOXR_FLOAT32_I);
      soxr_quality_spec_t quality = soxr_quality_spec (SOXR_HQ, 0);
      soxr_runtime_spec_t runtime = soxr_runtime_spec (1);
      soxr_error_t failure = NULL;

      /* integrated loudness; the sample peak is counted here in
       * integers, exactly; the true peak below */
      meter->state = ebur128_init (CD_CHANNELS, CD_RATE, EBUR128_MODE_I);
      if (meter->state == NULL)
        {
          g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                               "measuring levels: libebur128 could not start (out of memory)");
          return FALSE;
        }
      meter->oversampler = soxr_create (CD_RATE, OVERSAMPLE * CD_RATE, CD_CHANNELS, &failure,
                                        &io, &quality, &runtime);
      if (meter->oversampler == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "measuring levels: libsoxr could not start: %s",
                       failure != NULL ? failure : "?");
          return FALSE;
        }
      meter->sample_peak = 0;
      meter->true_peak = 0.0f;
    }
  return TRUE;
}

/* Oversamples frames (NULL: the end of the segment, the filter's tail)
 * and keeps the largest value. */
static gboolean
oversample (RcLevelMeter *meter, const gint16 *pcm, gsize n_frames, GError **error)
{
  gsize at = 0;

  do
    {
      gsize n = pcm != NULL ? MIN ((gsize) TP_CHUNK, n_frames - at) : 0;
      gsize used = 0, made = 0;
      soxr_error_t failure;

      failure = soxr_process (meter->oversampler, pcm != NULL ? pcm + 2 * at : NULL, n, &used,
                              meter->oversampled, meter->oversampled_frames, &made);
      if (failure != NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "measuring levels: libsoxr failed: %s", failure);
          return FALSE;
        }
      for (gsize i = 0; i < CD_CHANNELS * made; i++)
        meter->true_peak = MAX (meter->true_peak, fabsf (meter->oversampled[i]));
      at += used;
      /* at the end, drain until the filter has nothing left */
      if (pcm == NULL && made == 0)
        break;
    }
  while (pcm == NULL || at < n_frames);
  return TRUE;
}

static gboolean
finish_segment (RcLevelMeter *meter, GByteArray *out, GError **error)
{
  guint64 first = meter->marks[meter->segment];
  guint64 end = meter->marks[meter->segment + 1];
  double loudness = 0.0, true_peak;
  guint32 flags = 0;

  if (!oversample (meter, NULL, 0, error))
    return FALSE;
  /* a true peak is never below the samples themselves */
  true_peak = MAX ((double) meter->true_peak, meter->sample_peak / 32768.0);
  /* libebur128 says -HUGE_VAL when no block passes the -70 LUFS gate:
   * silence, which has no loudness to report */
  if (ebur128_loudness_global (meter->state, &loudness) == EBUR128_SUCCESS
      && isfinite (loudness))
    flags |= RC_DECODER_LEVELS_LOUDNESS;
  else
    loudness = 0.0;
  rc_decoder_msg_add_levels (out, first, end - first, meter->sample_peak, flags,
                             MIN (true_peak, RC_DECODER_MAX_TRUE_PEAK), loudness);
  ebur128_destroy (&meter->state);
  g_clear_pointer (&meter->oversampler, soxr_delete);
  meter->segment++;
  return TRUE;
}

gboolean
rc_level_meter_feed (RcLevelMeter  *meter,
                     const gint16  *pcm,
                     gsize          n_frames,
                     GByteArray    *out,
                     GError       **error)
{
  while (n_frames > 0)
    {
      g_autoptr(GError) local_error = NULL;
      guint64 until;
      gsize n;

      if (!enter_segment (meter, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          /* outside every segment: up to the first mark, or the rest */
          until = meter->position < meter->marks[0] ? meter->marks[0] : G_MAXUINT64;
          n = (gsize) MIN ((guint64) n_frames, until - meter->position);
          meter->position += n;
          pcm += 2 * n;
          n_frames -= n;
          continue;
        }
      until = meter->marks[meter->segment + 1];
      n = (gsize) MIN ((guint64) n_frames, until - meter->position);
      for (gsize i = 0; i < 2 * n; i++)
        meter->sample_peak = MAX (meter->sample_peak, (guint32) abs (pcm[i]));
      if (ebur128_add_frames_short (meter->state, pcm, n) != EBUR128_SUCCESS)
        {
          g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                               "measuring levels: libebur128 failed (out of memory)");
          return FALSE;
        }
      if (!oversample (meter, pcm, n, error))
        return FALSE;
      meter->position += n;
      pcm += 2 * n;
      n_frames -= n;
      if (meter->position == until && !finish_segment (meter, out, error))
        return FALSE;
    }
  return TRUE;
}
