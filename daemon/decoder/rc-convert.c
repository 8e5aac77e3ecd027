/* rc-convert.c: resampling, channels, word length and clipping (see
 * rc-convert.h). */
#include "rc-convert.h"

#include "rc-error.h"

#include <math.h>
#include <string.h>
#include <soxr.h>

/* Source frames read per step. */
#define IN_CHUNK 4096

/* The rates converted: from telephone audio to the highest studio rates.
 * Beyond these a header is more likely damaged than meant, and the
 * resampler's work and memory grow with the ratio. */
#define MIN_RATE 4000
#define MAX_RATE 768000

/* Fixed part of the dither seed ("rawcd-dt"): with the track's length it
 * gives each track its own sequence, the same on every run. */
#define DITHER_SEED G_GUINT64_CONSTANT (0x72617763642d6474)

struct _RcConvert {
  RcInput     *input;
  guint        channels;      /* of the source: 1 or 2 */
  guint        rate;
  gint64       frames;        /* output frames */
  gint64       delivered;     /* output frames handed out so far */
  gboolean     reduce;        /* more than 16 bits of precision to reduce */
  gboolean     direct;        /* 16-bit samples at 44,100 Hz read as they are */
  gboolean     dither;        /* ... with TPDF dither, else rounded */
  guint64      seed;
  guint64      clipped;
  GPtrArray   *conversions;   /* of char*, NULL-terminated */

  soxr_t       soxr;          /* NULL when the rate is 44,100 Hz already */
  float       *in;            /* IN_CHUNK source frames */
  gsize        in_len;
  gsize        in_pos;
  gboolean     in_eof;
  gboolean     soxr_drained;

  float       *out;           /* converted frames at 44,100 Hz, not yet handed out */
  gsize        out_cap;
  gsize        out_len;
  gsize        out_pos;
};

gint64
rc_convert_output_frames (gint64 frames, guint rate)
{
  gint64 whole = frames / rate;
  gint64 rest = frames % rate;

  /* round(frames * 44100 / rate) without overflowing */
  return whole * RC_CONVERT_RATE + (rest * RC_CONVERT_RATE + rate / 2) / rate;
}

void
rc_convert_free (RcConvert *convert)
{
  if (convert->soxr != NULL)
    soxr_delete (convert->soxr);
  g_clear_pointer (&convert->input, rc_input_free);
  g_ptr_array_unref (convert->conversions);
  g_free (convert->in);
  g_free (convert->out);
  g_free (convert);
}

static char *
thousands (guint value)
{
  if (value >= 1000)
    return g_strdup_printf ("%u,%03u", value / 1000, value % 1000);
  return g_strdup_printf ("%u", value);
}

/* Appends a phrase, keeping the array NULL-terminated. */
static void
add_conversion (RcConvert *convert, char *phrase)
{
  g_ptr_array_insert (convert->conversions, (gint) convert->conversions->len - 1, phrase);
}

static gboolean
start_resampler (RcConvert *convert, GError **error)
{
  soxr_io_spec_t io = soxr_io_spec (SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  soxr_quality_spec_t quality = soxr_quality_spec (SOXR_VHQ, 0);
  /* one thread: the helper's sandbox allows no more, and rawcdd already
   * decodes several tracks at once */
  soxr_runtime_spec_t runtime = soxr_runtime_spec (1);
  soxr_error_t failed = NULL;

  convert->soxr = soxr_create ((double) convert->rate, (double) RC_CONVERT_RATE,
                               convert->channels, &failed, &io, &quality, &runtime);
  if (convert->soxr == NULL || failed != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "%s: the resampler could not be set up: %s",
                   rc_input_get_description (convert->input),
                   failed != NULL ? failed : "unknown failure");
      return FALSE;
    }
  return TRUE;
}

RcConvert *
rc_convert_new (RcInput *input, gboolean dither, GError **error)
{
  g_autoptr(RcConvert) convert = g_new0 (RcConvert, 1);
  const RcInputInfo *info = rc_input_get_info (input);

  convert->input = input;
  convert->conversions = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (convert->conversions, NULL);
  if (info->channels > 2)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: %u channels: a CD holds mono or stereo audio only",
                   rc_input_get_description (input), info->channels);
      return NULL;
    }
  if (info->rate < MIN_RATE || info->rate > MAX_RATE)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: a sample rate of %u Hz cannot be converted (%u to %u Hz can)",
                   rc_input_get_description (input), info->rate, MIN_RATE, MAX_RATE);
      return NULL;
    }
  convert->channels = info->channels;
  convert->rate = info->rate;
  convert->frames = rc_convert_output_frames (info->frames, info->rate);
  convert->seed = (guint64) convert->frames ^ DITHER_SEED;
  convert->reduce = info->bits == 0 || info->bits > 16 || info->rate != RC_CONVERT_RATE;
  convert->dither = dither && convert->reduce;
  /* nothing to resample, reduce or clip: the samples pass unchanged */
  convert->direct = !convert->reduce && info->reads_s16;
  convert->in = g_new (float, (gsize) IN_CHUNK * convert->channels);
  convert->out_cap = MAX ((gsize) IN_CHUNK,
                          (gsize) IN_CHUNK * RC_CONVERT_RATE / convert->rate + 64);
  convert->out = g_new (float, convert->out_cap * convert->channels);

  /* in words, in the order they are done */
  if (info->rate != RC_CONVERT_RATE)
    {
      g_autofree char *rate = thousands (info->rate);

      add_conversion (convert,
                          g_strdup_printf ("resampled from %s Hz", rate));
      if (!start_resampler (convert, error))
        return NULL;
    }
  if (convert->reduce)
    {
      const char *how = convert->dither ? "dithered" : "rounded";

      if (info->bits > 16)
        add_conversion (convert,
                            g_strdup_printf ("%s from %u bits", how, info->bits));
      else if (info->bits == 0)
        add_conversion (convert,
                            g_strdup_printf ("%s from floating point", how));
      else
        add_conversion (convert, g_strdup_printf ("%s to 16 bits", how));
    }
  if (info->channels == 1)
    add_conversion (convert, g_strdup ("mono to stereo"));
  return g_steal_pointer (&convert);
}

RcInput *
rc_convert_get_input (RcConvert *convert)
{
  return convert->input;
}

gint64
rc_convert_get_frames (RcConvert *convert)
{
  return convert->frames;
}

const char *const *
rc_convert_get_conversions (RcConvert *convert)
{
  return (const char *const *) convert->conversions->pdata;
}

guint64
rc_convert_get_clipped (RcConvert *convert)
{
  return convert->clipped;
}

/* A well-mixed 64-bit value of x (SplitMix64's finaliser). */
static guint64
mix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* TPDF dither for sample `channel` of output frame `frame`: the sum of two
 * independent uniform values in [-0.5, 0.5) LSB, taken from the two halves
 * of one hash of the track's seed and the sample's position. */
static double
tpdf (guint64 seed, gint64 frame, guint channel)
{
  guint64 bits = mix64 (seed ^ mix64 ((guint64) frame * 2 + channel));
  double a = (double) (bits >> 32) / 4294967296.0;
  double b = (double) (bits & 0xffffffffu) / 4294967296.0;

  return a + b - 1.0;
}

static gint16
quantize (RcConvert *convert, float x, gint64 frame, guint channel)
{
  double v = (double) x * 32768.0;

  if (isnan (v))
    return 0;
  if (convert->dither)
    v += tpdf (convert->seed, frame, channel);
  /* half away from zero, as the in-process reader has always rounded */
  v = round (v);
  if (v > 32767.0)
    {
      convert->clipped++;
      return G_MAXINT16;
    }
  if (v < -32768.0)
    {
      convert->clipped++;
      return G_MININT16;
    }
  return (gint16) v;
}

/* Up to `want` more source frames into convert->in; FALSE with error on
 * failure. */
static gboolean
read_input (RcConvert *convert, gsize want, GError **error)
{
  gssize got = rc_input_read (convert->input, convert->in, MIN (want, (gsize) IN_CHUNK), error);

  if (got < 0)
    return FALSE;
  convert->in_len = (gsize) got;
  convert->in_pos = 0;
  convert->in_eof = got == 0;
  return TRUE;
}

/* Fills convert->out with the next converted frames (silence once the
 * source and the resampler have nothing more: the length is fixed).
 * Without resampling no more than the `want` frames asked for are read:
 * a pipe's writer may not have written more yet, and a read must not wait
 * for audio nobody asked for. */
static gboolean
refill (RcConvert *convert, gsize want, GError **error)
{
  convert->out_pos = 0;
  convert->out_len = 0;
  while (convert->out_len == 0)
    {
      if (convert->soxr_drained || (convert->soxr == NULL && convert->in_eof))
        {
          memset (convert->out, 0, convert->out_cap * convert->channels * sizeof (float));
          convert->out_len = convert->out_cap;
          return TRUE;
        }
      if (convert->in_pos == convert->in_len && !convert->in_eof
          && !read_input (convert, convert->soxr == NULL ? want : IN_CHUNK, error))
        return FALSE;
      if (convert->soxr == NULL)
        {
          /* no resampling: the source's frames are the output's */
          memcpy (convert->out, convert->in,
                  convert->in_len * convert->channels * sizeof (float));
          convert->out_len = convert->in_len;
          convert->in_pos = convert->in_len;
          continue;
        }
      {
        size_t idone = 0, odone = 0;
        soxr_error_t failed;

        /* at the end of the input, NULL asks the resampler for its tail */
        failed = soxr_process (convert->soxr,
                               convert->in_eof ? NULL : convert->in + convert->in_pos * convert->channels,
                               convert->in_eof ? 0 : convert->in_len - convert->in_pos,
                               &idone, convert->out, convert->out_cap, &odone);
        if (failed != NULL)
          {
            g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "%s: resampling failed: %s",
                         rc_input_get_description (convert->input), failed);
            return FALSE;
          }
        convert->in_pos += idone;
        convert->out_len = odone;
        if (convert->in_eof && odone == 0)
          convert->soxr_drained = TRUE;
      }
    }
  return TRUE;
}

gboolean
rc_convert_seeks_exactly (RcConvert *convert)
{
  RcInput *input = convert->input;

  /* the resampler's output depends on every input sample before it */
  if (convert->soxr != NULL)
    return FALSE;
  return rc_input_seeks_exactly (input);
}

gboolean
rc_convert_seek (RcConvert *convert, gint64 frame, GError **error)
{
  if (!rc_convert_seeks_exactly (convert) || frame < 0 || frame > convert->frames)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "%s: cannot go to frame %" G_GINT64_FORMAT " exactly",
                   rc_input_get_description (convert->input), frame);
      return FALSE;
    }
  if (!rc_input_seek (convert->input, frame, error))
    return FALSE;
  /* nothing converted is kept: the next frame is read at `frame`, and
   * dithered as the frame at that position always is */
  convert->delivered = frame;
  convert->in_len = convert->in_pos = 0;
  convert->in_eof = FALSE;
  convert->out_len = convert->out_pos = 0;
  return TRUE;
}

/* The direct path: the source's 16-bit samples (mono ones on both
 * channels), which are what the float path would make of them. */
static gboolean
read_direct (RcConvert *convert, gint16 *buf, gsize n_frames, gsize *got, GError **error)
{
  gsize done = 0;

  while (done < n_frames)
    {
      gint16 *dest = buf + 2 * done;
      gsize want = MIN (n_frames - done, (gsize) IN_CHUNK);
      gssize n = convert->in_eof ? 0 : rc_input_read_s16 (convert->input, dest, want, error);

      if (n < 0)
        {
          *got = done;
          return FALSE;
        }
      if (n == 0)
        {
          /* as the float path: silence once the source has nothing more */
          convert->in_eof = TRUE;
          memset (dest, 0, (n_frames - done) * 4);
          n = (gssize) (n_frames - done);
        }
      else if (convert->channels == 1)
        for (gssize i = n - 1; i >= 0; i--)
          dest[2 * i] = dest[2 * i + 1] = dest[i];
      done += (gsize) n;
    }
  convert->delivered += (gint64) n_frames;
  *got = done;
  return TRUE;
}

gboolean
rc_convert_read (RcConvert *convert, gint16 *buf, gsize n_frames, gsize *got, GError **error)
{
  gsize done = 0;

  *got = 0;
  if ((gint64) n_frames > convert->frames - convert->delivered)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s: frames asked for past the end of the audio",
                   rc_input_get_description (convert->input));
      return FALSE;
    }
  if (convert->direct)
    return read_direct (convert, buf, n_frames, got, error);
  while (done < n_frames)
    {
      gsize n;

      if (convert->out_pos == convert->out_len && !refill (convert, n_frames - done, error))
        {
          *got = done;
          return FALSE;
        }
      n = MIN (n_frames - done, convert->out_len - convert->out_pos);
      for (gsize i = 0; i < n; i++)
        {
          const float *in = convert->out + (convert->out_pos + i) * convert->channels;
          gint64 frame = convert->delivered + (gint64) i;
          gint16 *out = buf + 2 * (done + i);

          out[0] = quantize (convert, in[0], frame, 0);
          out[1] = convert->channels == 2 ? quantize (convert, in[1], frame, 1) : out[0];
        }
      convert->out_pos += n;
      convert->delivered += (gint64) n;
      done += n;
    }
  *got = done;
  return TRUE;
}
