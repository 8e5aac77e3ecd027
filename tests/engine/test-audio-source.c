/* test-audio-source.c: audio sources read back what their files hold.
 *
 * Most fixtures are WAV files whose bytes the test writes itself, so that
 * every expected sample is known without trusting the code under test;
 * FLAC, AIFF and Ogg fixtures come from the flac and sox tools.
 *
 * The same cases run twice (two meson tests): with libsndfile in this
 * process, and through the decoder helper rawcd-decoder when
 * RAWCD_TEST_DECODER names it, as rawcdd reads every client's audio.
 */
#define _GNU_SOURCE
#include "rc-audio-source.h"
#include "rc-cd.h"
#include "rc-decoder-source.h"
#include "rc-error.h"
#include "test-util.h"
#include "rc-sndfile-source.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *tmpdir;
/* the decoder helper, or NULL for libsndfile in this process */
static const char *decoder_path;

/* The helper is asked to round, not dither (rc-convert.h), so that both
 * readers give the same samples of what they both read: the in-process
 * reader takes the top 16 bits of 24- and 32-bit PCM, the helper rounds
 * them (expect_wide), and the helper resamples what the in-process reader
 * refuses (test_refuse_48k). */
static RcAudioSource *
new_source (int fd, RcAudioFormat format, GCancellable *cancellable, GError **error)
{
  if (decoder_path != NULL)
    return rc_decoder_source_new_full (decoder_path, fd, format, FALSE, cancellable, error);
  return rc_audio_source_new_from_fd (fd, format, cancellable, error);
}

static GStrv
supported_formats (void)
{
  g_autoptr(GError) error = NULL;
  GStrv formats;

  if (decoder_path == NULL)
    return rc_audio_supported_formats ();
  formats = rc_decoder_supported_formats (decoder_path, &error);
  g_assert_no_error (error);
  return formats;
}

/* ------------------------------------------------------------------------ */
/* Fixtures. */

typedef gint16 (*ExpectFunc) (guint64 frame, guint channel);

static void
put_le (GByteArray *bytes, guint64 value, guint width)
{
  for (guint i = 0; i < width; i++)
    {
      guint8 b = (value >> (8 * i)) & 0xff;

      g_byte_array_append (bytes, &b, 1);
    }
}

static void
put_tag (GByteArray *bytes, const char *tag)
{
  g_byte_array_append (bytes, (const guint8 *) tag, 4);
}

#define WAVE_FORMAT_PCM        0x0001
#define WAVE_FORMAT_IEEE_FLOAT 0x0003
#define WAVE_FORMAT_EXTENSIBLE 0xFFFE

/* A WAV header (RIFF, fmt, data) for `data_bytes` bytes of samples.
 * data_field is what the data chunk's size field says (normally
 * data_bytes); extensible writes the 40-byte WAVE_FORMAT_EXTENSIBLE fmt
 * chunk with the PCM subtype GUID. */
static GByteArray *
wav_header (guint channels, guint rate, guint bits, guint16 tag, gboolean extensible,
            guint32 data_field)
{
  GByteArray *bytes = g_byte_array_new ();
  guint block = channels * (bits / 8);
  guint fmt_size = extensible ? 40 : 16;
  /* KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the tag, then a fixed tail */
  static const guint8 guid_tail[14] = { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00,
                                        0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };

  put_tag (bytes, "RIFF");
  put_le (bytes, (guint64) MIN ((guint64) data_field + 20 + fmt_size, G_MAXUINT32), 4);
  put_tag (bytes, "WAVE");
  put_tag (bytes, "fmt ");
  put_le (bytes, fmt_size, 4);
  put_le (bytes, extensible ? WAVE_FORMAT_EXTENSIBLE : tag, 2);
  put_le (bytes, channels, 2);
  put_le (bytes, rate, 4);
  put_le (bytes, rate * block, 4);
  put_le (bytes, block, 2);
  put_le (bytes, bits, 2);
  if (extensible)
    {
      put_le (bytes, 22, 2);                         /* cbSize */
      put_le (bytes, bits, 2);                       /* valid bits */
      put_le (bytes, channels == 1 ? 0x4 : 0x3, 4);  /* channel mask */
      put_le (bytes, tag, 2);
      g_byte_array_append (bytes, guid_tail, sizeof guid_tail);
    }
  put_tag (bytes, "data");
  put_le (bytes, data_field, 4);
  return bytes;
}

/* 16-bit PCM samples of the pattern `seed`, as a WAV of `frames` frames. */
static GByteArray *
wav_pattern16 (guint32 seed, guint channels, guint rate, guint64 frames)
{
  GByteArray *bytes = wav_header (channels, rate, 16, WAVE_FORMAT_PCM, FALSE,
                                  (guint32) (frames * channels * 2));

  for (guint64 i = 0; i < frames; i++)
    for (guint c = 0; c < channels; c++)
      put_le (bytes, (guint16) test_pattern_sample (seed, i, c), 2);
  return bytes;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
write_file (const char *name, const guint8 *data, gsize len)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) data, len, &error);
  g_assert_no_error (error);
}

static int
open_file (const char *name)
{
  g_autofree char *path = tmp_path (name);
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  return fd;
}

static int
bytes_fd (const char *name, GByteArray *bytes)
{
  write_file (name, bytes->data, bytes->len);
  return open_file (name);
}

/* Runs a tool; FALSE (and the test failed) when it is not installed: CI
 * installs flac and sox (.ci/packages), so a missing one is no reason to
 * pass without checking. */
static gboolean
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *path = g_find_program_in_path (argv[0]);
  int status = 0;

  if (path == NULL)
    {
      g_test_fail_printf ("%s is not installed (see .ci/packages)", argv[0]);
      return FALSE;
    }
  g_spawn_sync (tmpdir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return TRUE;
}

/* A raw s16le stereo file of the pattern, for the tools to encode. */
static void
write_pattern_raw (const char *name, guint32 seed, guint64 frames)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  for (guint64 i = 0; i < frames; i++)
    for (guint c = 0; c < 2; c++)
      put_le (bytes, (guint16) test_pattern_sample (seed, i, c), 2);
  write_file (name, bytes->data, bytes->len);
}

static gboolean
make_flac (const char *name, guint32 seed, guint64 frames)
{
  g_autofree char *raw = g_strconcat (name, ".raw", NULL);
  g_autofree char *out = g_strconcat ("--output-name=", name, NULL);
  const char *argv[] = { "flac", "--silent", "--force", "--force-raw-format",
                         "--endian=little", "--sign=signed", "--channels=2", "--bps=16",
                         "--sample-rate=44100", out, raw, NULL };

  write_pattern_raw (raw, seed, frames);
  return run_tool (argv);
}

static gboolean
make_with_sox (const char *name, guint32 seed, guint64 frames)
{
  g_autofree char *raw = g_strconcat (name, ".raw", NULL);
  const char *argv[] = { "sox", "-t", "raw", "-r", "44100", "-e", "signed", "-b", "16",
                         "-c", "2", "-L", raw, name, NULL };

  write_pattern_raw (raw, seed, frames);
  return run_tool (argv);
}

static GByteArray *
read_tmp_file (const char *name)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_byte_array_new_take ((guint8 *) data, len);
}

/* ------------------------------------------------------------------------ */
/* Reading back. */

/* Reads the whole source in steps of `step` frames; NULL on an error. */
static gint16 *
read_all (RcAudioSource *source, gsize step, GError **error)
{
  g_autoptr(RcAudioReader) reader = rc_audio_source_open_reader (source, error);
  gint64 frames = rc_audio_source_get_frames (source);
  g_autofree gint16 *buf = g_new0 (gint16, frames * 2);

  if (reader == NULL)
    return NULL;
  for (gint64 at = 0; at < frames; at += step)
    {
      gsize n = (gsize) MIN ((gint64) step, frames - at);

      if (!rc_audio_reader_read (reader, buf + 2 * at, n, error))
        return NULL;
    }
  return g_steal_pointer (&buf);
}

static void
assert_samples (const gint16 *buf, guint64 first, guint64 frames, ExpectFunc expect)
{
  for (guint64 i = 0; i < frames; i++)
    for (guint c = 0; c < 2; c++)
      if (buf[2 * i + c] != expect (first + i, c))
        {
          g_test_message ("frame %" G_GUINT64_FORMAT " channel %u", first + i, c);
          g_assert_cmpint (buf[2 * i + c], ==, expect (first + i, c));
        }
}

static gint16
expect_seed1 (guint64 frame, guint channel)
{
  return test_pattern_sample (1, frame, channel);
}

static gint16
expect_seed2 (guint64 frame, guint channel)
{
  return test_pattern_sample (2, frame, channel);
}

static gint16
expect_seed3_mono (guint64 frame, guint channel)
{
  return test_pattern_sample (3, frame, 0);  /* one channel, on both sides */
}

static RcAudioSource *
open_ok (int fd, RcAudioFormat format)
{
  g_autoptr(GError) error = NULL;
  RcAudioSource *source = new_source (fd, format, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}

static void
assert_refused (int fd, RcAudioFormat format, const char *const *needles)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) source = new_source (fd, format, NULL, &error);

  g_assert_null (source);
  g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
  g_test_message ("refused: %s", error->message);
  for (guint i = 0; needles != NULL && needles[i] != NULL; i++)
    if (strstr (error->message, needles[i]) == NULL)
      g_error ("\"%s\" does not mention \"%s\"", error->message, needles[i]);
}

#define NEEDLES(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* ------------------------------------------------------------------------ */
/* Formats that are read. */

static void
test_wav16_stereo (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 2, 44100, 10000);
  g_autoptr(RcAudioSource) source = open_ok (bytes_fd ("s16.wav", wav), RC_AUDIO_FORMAT_AUTO);
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 10000);
  g_assert_cmpint (rc_audio_source_get_sectors (source), ==, 18);  /* 17 * 588 = 9996 */
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "WAV, 44100 Hz, 2 channels, 16-bit PCM");
  g_assert_true (rc_audio_source_is_rereadable (source));

  buf = read_all (source, 1000, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, 10000, expect_seed1);
}

/* 24- and 32-bit samples lose their low bits: the top 16 are the pattern,
 * the bits below it are noise that must not leak in. */
static GByteArray *
wav_pattern_wide (guint bits, gboolean extensible, guint64 frames)
{
  guint width = bits / 8;
  GByteArray *wav = wav_header (2, 44100, bits, WAVE_FORMAT_PCM, extensible,
                                (guint32) (frames * 2 * width));

  for (guint64 i = 0; i < frames; i++)
    for (guint c = 0; c < 2; c++)
      {
        guint64 low = (0xA5C3 ^ (i * 7 + c)) & ((G_GUINT64_CONSTANT (1) << (8 * (width - 2))) - 1);
        guint64 high = (guint16) test_pattern_sample (2, i, c);

        put_le (wav, high << (8 * (width - 2)) | low, width);
      }
  return wav;
}

/* What wav_pattern_wide() samples of `bits` become: in process, their
 * top 16 bits; through the helper, rounded to the nearest 16-bit value
 * (a tie away from zero, clipped at the top) from the float that
 * libsndfile delivers, (float) sample scaled by a power of two, whose 24
 * bits of precision hold a 24-bit sample exactly and a 32-bit one to
 * within 2^-24 of full scale. */
static guint wide_bits;

static gint16
expect_wide (guint64 frame, guint channel)
{
  guint shift = wide_bits - 16;
  guint64 low = (0xA5C3 ^ (frame * 7 + channel)) & ((G_GUINT64_CONSTANT (1) << shift) - 1);
  gint32 high = test_pattern_sample (2, frame, channel);
  gint64 sample = (gint64) high * (G_GINT64_CONSTANT (1) << shift) + (gint64) low;
  double v;
  gint64 rounded;

  if (decoder_path == NULL)
    return (gint16) high;
  v = (double) (float) sample / (double) (G_GINT64_CONSTANT (1) << shift);
  rounded = v >= 0 ? (gint64) (v + 0.5) : -(gint64) (-v + 0.5);
  return (gint16) MIN (rounded, G_MAXINT16);
}

static void
test_wav24 (void)
{
  g_autoptr(GByteArray) wav = wav_pattern_wide (24, FALSE, 5000);
  g_autoptr(RcAudioSource) source = open_ok (bytes_fd ("s24.wav", wav), RC_AUDIO_FORMAT_AUTO);
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 5000);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "WAV, 44100 Hz, 2 channels, 24-bit PCM");
  buf = read_all (source, 777, &error);
  g_assert_no_error (error);
  wide_bits = 24;
  assert_samples (buf, 0, 5000, expect_wide);
}

static void
test_wav32 (void)
{
  g_autoptr(GByteArray) wav = wav_pattern_wide (32, FALSE, 5000);
  g_autoptr(RcAudioSource) source = open_ok (bytes_fd ("s32.wav", wav), RC_AUDIO_FORMAT_AUTO);
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "WAV, 44100 Hz, 2 channels, 32-bit PCM");
  buf = read_all (source, 5000, &error);
  g_assert_no_error (error);
  wide_bits = 32;
  assert_samples (buf, 0, 5000, expect_wide);
}

static void
test_wav_extensible (void)
{
  g_autoptr(GByteArray) wav = wav_pattern_wide (24, TRUE, 5000);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  /* the fixture is what it claims: format tag 0xFFFE */
  g_assert_cmpint (wav->data[20] | wav->data[21] << 8, ==, WAVE_FORMAT_EXTENSIBLE);
  source = open_ok (bytes_fd ("ext.wav", wav), RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 5000);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "WAVEX, 44100 Hz, 2 channels, 24-bit PCM");
  buf = read_all (source, 4096, &error);
  g_assert_no_error (error);
  wide_bits = 24;
  assert_samples (buf, 0, 5000, expect_wide);
}

/* Float samples: value * 32768, rounded, clipped to the 16-bit range. */
static const struct {
  float  in;
  gint16 out;
} float_cases[] = {
  { 0.0f, 0 },
  { 0.5f, 16384 },
  { -0.5f, -16384 },
  { 0.25f, 8192 },
  { 1.0f / 32768, 1 },
  { -1.0f / 32768, -1 },
  { 0.4f / 32768, 0 },
  { 0.6f / 32768, 1 },
  { -0.6f / 32768, -1 },
  { 32767.0f / 32768, 32767 },
  { 1.0f, 32767 },
  { -1.0f, -32768 },
  { 1.5f, 32767 },
  { -3.0f, -32768 },
  { 100.0f, 32767 },
  { -1e30f, -32768 },
};

static gint16
expect_float (guint64 frame, guint channel)
{
  guint64 k = 2 * frame + channel;

  if (k < G_N_ELEMENTS (float_cases))
    return float_cases[k].out;
  return test_pattern_sample (1, frame, channel);
}

static void
test_wav_float (void)
{
  const guint64 frames = 9000;  /* more than one conversion chunk */
  g_autoptr(GByteArray) wav = wav_header (2, 44100, 32, WAVE_FORMAT_IEEE_FLOAT, FALSE,
                                          frames * 8);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  for (guint64 i = 0; i < frames; i++)
    for (guint c = 0; c < 2; c++)
      {
        guint64 k = 2 * i + c;
        union { float f; guint32 u; } v;

        v.f = k < G_N_ELEMENTS (float_cases) ? float_cases[k].in
                                             : test_pattern_sample (1, i, c) / 32768.0f;
        put_le (wav, v.u, 4);
      }
  source = open_ok (bytes_fd ("float.wav", wav), RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, frames);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "WAV, 44100 Hz, 2 channels, 32-bit float");
  buf = read_all (source, 5000, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, frames, expect_float);
}

static void
test_wav_mono (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (3, 1, 44100, 7000);
  g_autoptr(RcAudioSource) source = open_ok (bytes_fd ("mono.wav", wav), RC_AUDIO_FORMAT_AUTO);
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 7000);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "WAV, 44100 Hz, 1 channel, 16-bit PCM");
  buf = read_all (source, 999, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, 7000, expect_seed3_mono);
}

static guint8
u8_sample (guint64 frame, guint channel)
{
  return (guint8) (frame * 37 + channel * 101 + (frame >> 3));
}

static gint16
expect_u8 (guint64 frame, guint channel)
{
  return (gint16) ((u8_sample (frame, channel) - 128) * 256);
}

static void
test_wav8 (void)
{
  const guint64 frames = 3001;  /* odd data length: a pad byte follows */
  g_autoptr(GByteArray) wav = wav_header (2, 44100, 8, WAVE_FORMAT_PCM, FALSE, frames * 2);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  for (guint64 i = 0; i < frames; i++)
    for (guint c = 0; c < 2; c++)
      put_le (wav, u8_sample (i, c), 1);
  source = open_ok (bytes_fd ("u8.wav", wav), RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, frames);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "WAV, 44100 Hz, 2 channels, 8-bit PCM");
  buf = read_all (source, 1000, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, frames, expect_u8);
  /* by hand: frame 0 holds bytes 0x00 and 0x65 (101) */
  g_assert_cmpint (buf[0], ==, -32768);
  g_assert_cmpint (buf[1], ==, (101 - 128) * 256);
}

static void
test_flac (void)
{
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  if (!make_flac ("p.flac", 1, 20000))
    return;
  source = open_ok (open_file ("p.flac"), RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 20000);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "FLAC, 44100 Hz, 2 channels, 16-bit PCM");
  buf = read_all (source, 4096, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, 20000, expect_seed1);
}

static void
test_aiff (void)
{
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  if (!make_with_sox ("p.aiff", 2, 6000))
    return;
  source = open_ok (open_file ("p.aiff"), RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 6000);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "AIFF, 44100 Hz, 2 channels, 16-bit PCM");
  buf = read_all (source, 6000, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, 6000, expect_seed2);
}

static void
test_ogg_vorbis (void)
{
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;
  guint64 loud = 0;

  if (!make_with_sox ("p.ogg", 1, 22050))
    return;
  source = open_ok (open_file ("p.ogg"), RC_AUDIO_FORMAT_AUTO);
  /* lossy: the length is exact, the samples are not */
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 22050);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "OGG, 44100 Hz, 2 channels, Vorbis");
  buf = read_all (source, 4000, &error);
  g_assert_no_error (error);
  /* the pattern is full-scale noise: a decoder that delivered silence
   * would leave the samples near zero */
  for (guint64 i = 0; i < 22050 * 2; i++)
    loud += ABS (buf[i]) > 1000;
  g_assert_cmpuint (loud, >, 22050);
}

/* The MPEG-1 Layer III frames of a file, counted by walking their headers
 * (no ID3 tag, no Xing frame: what sox writes). */
static guint
count_mp3_frames (GByteArray *mp3)
{
  static const guint kbps[16] = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192,
                                  224, 256, 320, 0 };
  guint frames = 0;
  gsize at = 0;

  while (at + 4 <= mp3->len)
    {
      const guint8 *h = mp3->data + at;
      guint rate = kbps[h[2] >> 4];

      /* sync, MPEG-1, Layer III, 44100 Hz */
      if (h[0] != 0xFF || (h[1] & 0xFE) != 0xFA || (h[2] & 0x0C) != 0 || rate == 0)
        break;
      at += 144 * rate * 1000 / 44100 + ((h[2] >> 1) & 1);
      frames++;
    }
  g_assert_cmpuint (at, ==, mp3->len);  /* the walk covered the whole file */
  return frames;
}

static void
test_mp3 (void)
{
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GByteArray) mp3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;
  guint64 loud = 0;
  guint mpeg_frames;

  if (!make_with_sox ("p.mp3", 1, 22050))
    return;
  mp3 = read_tmp_file ("p.mp3");
  mpeg_frames = count_mp3_frames (mp3);
  source = open_ok (open_file ("p.mp3"), RC_AUDIO_FORMAT_AUTO);
  /* no length in the header: the length is what decoding delivers, 1152
   * samples per MPEG frame, and not the decoder's estimate from the size */
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 1152 * mpeg_frames);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "MPEG, 44100 Hz, 2 channels, MPEG Layer III");
  buf = read_all (source, 4000, &error);
  g_assert_no_error (error);
  for (guint64 i = 0; i < 2 * 22050; i++)
    loud += ABS (buf[i]) > 1000;
  g_assert_cmpuint (loud, >, 22050);
}

static void
test_raw (void)
{
  int fd = test_pattern_memfd (1, 3000);
  g_autoptr(RcAudioSource) source = open_ok (fd, RC_AUDIO_FORMAT_RAW);
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 3000);
  g_assert_cmpint (rc_audio_source_get_sectors (source), ==, 6);  /* 5 * 588 = 2940 */
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "RAW, 44100 Hz, 2 channels, 16-bit PCM");
  buf = read_all (source, 588, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, 3000, expect_seed1);
}

static void
test_raw_whole_sectors (void)
{
  g_autoptr(RcAudioSource) source = test_pattern_source (2, 3);

  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 3 * RC_FRAMES_PER_SECTOR);
  g_assert_cmpint (rc_audio_source_get_sectors (source), ==, 3);
}

static void
test_read_past_end (void)
{
  g_autoptr(RcAudioSource) source = open_ok (test_pattern_memfd (1, 100), RC_AUDIO_FORMAT_RAW);
  g_autoptr(RcAudioReader) reader = rc_audio_source_open_reader (source, NULL);
  g_autoptr(GError) error = NULL;
  gint16 buf[2 * 101];

  g_assert_nonnull (reader);
  g_assert_false (rc_audio_reader_read (reader, buf, 101, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* a refused request reads nothing: all 100 frames are still there */
  g_assert_true (rc_audio_reader_read (reader, buf, 100, &error));
  g_assert_no_error (error);
  assert_samples (buf, 0, 100, expect_seed1);
  g_assert_true (rc_audio_reader_read (reader, buf, 0, &error));
  g_assert_no_error (error);
}

static void
test_supported_formats (void)
{
  g_auto(GStrv) formats = supported_formats ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; formats[i] != NULL; i++)
    {
      g_test_message ("format %s", formats[i]);
      g_assert_false (g_hash_table_contains (seen, formats[i]));
      g_hash_table_add (seen, formats[i]);
      g_assert_null (strchr (formats[i], ' '));
    }
  g_assert_true (g_strv_contains ((const char *const *) formats, "WAV"));
  g_assert_true (g_strv_contains ((const char *const *) formats, "FLAC"));
  g_assert_true (g_strv_contains ((const char *const *) formats, "AIFF"));
  g_assert_true (g_strv_contains ((const char *const *) formats, "OGG"));
  /* Debian 12's libsndfile 1.2.0 is built with mpg123 */
  g_assert_true (g_strv_contains ((const char *const *) formats, "MPEG"));
}

/* ------------------------------------------------------------------------ */
/* What is refused. */

static void
test_raw_odd_length (void)
{
  int fd = memfd_create ("odd", MFD_CLOEXEC);
  guint8 bytes[4 * 100 + 2] = { 0 };

  g_assert_cmpint (write (fd, bytes, sizeof bytes), ==, sizeof bytes);
  assert_refused (fd, RC_AUDIO_FORMAT_RAW, NEEDLES ("402 bytes", "4-byte frames"));
}

/* The helper resamples other rates (in process they are refused): to
 * round(frames * 44100 / rate) frames, every one of them delivered. */
static void
assert_resampled (int fd, gint64 frames, const char *description)
{
  g_autoptr(RcAudioSource) source = open_ok (fd, RC_AUDIO_FORMAT_AUTO);
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  g_assert_cmpint (rc_audio_source_get_frames (source), ==, frames);
  g_assert_cmpstr (rc_audio_source_get_description (source), ==, description);
  buf = read_all (source, 1000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (buf);
}

static void
test_refuse_48k (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 2, 48000, 1000);

  if (decoder_path != NULL)
    {
      /* 1000 * 44100 / 48000 = 918.75 */
      assert_resampled (bytes_fd ("48k.wav", wav), 919, "WAV, 48000 Hz, 2 channels, 16-bit PCM");
      return;
    }
  assert_refused (bytes_fd ("48k.wav", wav), RC_AUDIO_FORMAT_AUTO,
                  NEEDLES ("48000 Hz WAV (2 channels)", "only 44100 Hz"));
}

static void
test_refuse_48k_flac (void)
{
  const char *argv[] = { "sox", "-t", "raw", "-r", "48000", "-e", "signed", "-b", "16",
                         "-c", "2", "-L", "p48.raw", "p48.flac", NULL };

  write_pattern_raw ("p48.raw", 1, 4800);
  if (!run_tool (argv))
    return;
  if (decoder_path != NULL)
    {
      assert_resampled (open_file ("p48.flac"), 4410, "FLAC, 48000 Hz, 2 channels, 16-bit PCM");
      return;
    }
  assert_refused (open_file ("p48.flac"), RC_AUDIO_FORMAT_AUTO,
                  NEEDLES ("48000 Hz FLAC (2 channels): only 44100 Hz audio can go on a CD"));
}

static void
test_refuse_6ch (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 6, 44100, 1000);

  assert_refused (bytes_fd ("6ch.wav", wav), RC_AUDIO_FORMAT_AUTO,
                  NEEDLES ("6 channels", "mono or stereo"));
}

static void
test_refuse_empty (void)
{
  int fd = memfd_create ("empty", MFD_CLOEXEC);
  int fd_raw = memfd_create ("empty-raw", MFD_CLOEXEC);
  g_autoptr(GByteArray) wav = wav_header (2, 44100, 16, WAVE_FORMAT_PCM, FALSE, 0);

  assert_refused (fd, RC_AUDIO_FORMAT_AUTO, NULL);
  assert_refused (fd_raw, RC_AUDIO_FORMAT_RAW, NEEDLES ("contains no audio"));
  assert_refused (bytes_fd ("empty.wav", wav), RC_AUDIO_FORMAT_AUTO,
                  NEEDLES ("WAV, 44100 Hz, 2 channels, 16-bit PCM: contains no audio"));
}

static void
test_refuse_text (void)
{
  const char *text = "This is not audio, only a few lines of text.\n"
                     "RIFF WAVE fmt data: words, not chunks.\n";

  write_file ("notes.txt", (const guint8 *) text, strlen (text));
  assert_refused (open_file ("notes.txt"), RC_AUDIO_FORMAT_AUTO, NEEDLES ("not audio"));
}

static void
test_refuse_truncated_wav (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 2, 44100, 10000);

  /* 10000 frames declared, 6000 and a half present */
  g_byte_array_set_size (wav, 44 + 6000 * 4 + 2);
  assert_refused (bytes_fd ("cut.wav", wav), RC_AUDIO_FORMAT_AUTO,
                  NEEDLES ("truncated: header declares 10000 frames, file holds 6000"));
}

/* A writer that could not seek back (sox to a pipe, redirected into a
 * file) leaves a placeholder size: the file's length is the audio's. */
static void
test_wav_placeholder_length_file (void)
{
  g_autoptr(GByteArray) wav = wav_header (2, 44100, 16, WAVE_FORMAT_PCM, FALSE, 0x7FFFF000);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;

  for (guint64 i = 0; i < 2000; i++)
    for (guint c = 0; c < 2; c++)
      put_le (wav, (guint16) test_pattern_sample (1, i, c), 2);
  source = open_ok (bytes_fd ("sox-pipe.wav", wav), RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 2000);
  buf = read_all (source, 2000, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, 2000, expect_seed1);
}

static void
assert_read_fails (RcAudioSource *source, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = read_all (source, 4096, &error);

  g_assert_null (buf);
  g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
  g_test_message ("read failed: %s", error->message);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", error->message, needle);
}

static void
test_refuse_corrupt_flac (void)
{
  g_autoptr(GByteArray) flac = NULL;
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;

  if (!make_flac ("bad.flac", 1, 44100))
    return;
  flac = read_tmp_file ("bad.flac");
  for (guint i = flac->len / 2; i < flac->len / 2 + 64; i++)
    flac->data[i] ^= 0xFF;
  source = new_source (bytes_fd ("bad.flac", flac), RC_AUDIO_FORMAT_AUTO,
                                        NULL, &error);
  /* refused when opened or when read, never delivered */
  if (source == NULL)
    {
      g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
      return;
    }
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 44100);
  assert_read_fails (source, "FLAC");
}

static void
test_refuse_truncated_flac (void)
{
  g_autoptr(GByteArray) flac = NULL;
  g_autoptr(RcAudioSource) source = NULL;

  if (!make_flac ("cut.flac", 2, 44100))
    return;
  flac = read_tmp_file ("cut.flac");
  g_byte_array_set_size (flac, flac->len * 2 / 3);
  source = open_ok (bytes_fd ("cut.flac", flac), RC_AUDIO_FORMAT_AUTO);
  /* STREAMINFO still declares the whole length */
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 44100);
  assert_read_fails (source, "of the 44100");
}

/* ------------------------------------------------------------------------ */
/* Positioned reads. */

static void
test_positioned_reads (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (2, 2, 44100, 8000);
  int fd = bytes_fd ("pos.wav", wav);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(RcAudioReader) a = NULL;
  g_autoptr(RcAudioReader) b = NULL;
  g_autoptr(GError) error = NULL;
  gint16 buf_a[2 * 1000];
  gint16 buf_b[2 * 1000];

  /* the shared offset is somewhere odd before and after the source is made */
  g_assert_cmpint (lseek (fd, 1234, SEEK_SET), ==, 1234);
  source = open_ok (fd, RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (lseek (fd, 0, SEEK_CUR), ==, 1234);  /* and is left alone */
  g_assert_cmpint (lseek (fd, 20001, SEEK_SET), ==, 20001);

  a = rc_audio_source_open_reader (source, &error);
  g_assert_no_error (error);
  b = rc_audio_source_open_reader (source, &error);
  g_assert_no_error (error);

  /* interleaved: A reads 8 steps while B reads 4 double ones */
  for (guint step = 0; step < 8; step++)
    {
      g_assert_true (rc_audio_reader_read (a, buf_a, 1000, &error));
      g_assert_no_error (error);
      assert_samples (buf_a, step * 1000, 1000, expect_seed2);
      lseek (fd, 3 * step + 7, SEEK_SET);
      if (step % 2 == 1)
        {
          g_assert_true (rc_audio_reader_read (b, buf_b, 1000, &error));
          g_assert_no_error (error);
          assert_samples (buf_b, (step / 2) * 2000, 1000, expect_seed2);
          g_assert_true (rc_audio_reader_read (b, buf_b, 1000, &error));
          g_assert_no_error (error);
          assert_samples (buf_b, (step / 2) * 2000 + 1000, 1000, expect_seed2);
        }
    }
  g_assert_cmpint (lseek (fd, 0, SEEK_CUR), ==, 3 * 7 + 7);
}

typedef struct {
  RcAudioSource *source;
  guint          step;
} ThreadRead;

static gpointer
thread_read (gpointer user_data)
{
  ThreadRead *job = user_data;
  g_autoptr(GError) error = NULL;

  /* returns the buffer (or NULL, which the caller asserts against) */
  return read_all (job->source, job->step, &error);
}

static void
test_concurrent_readers (void)
{
  g_autoptr(RcAudioSource) source = NULL;
  ThreadRead jobs[4];
  GThread *threads[4];

  if (!make_flac ("conc.flac", 1, 30000))
    return;
  source = open_ok (open_file ("conc.flac"), RC_AUDIO_FORMAT_AUTO);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      jobs[i].source = source;
      jobs[i].step = 500 + 1000 * i;
      threads[i] = g_thread_new ("reader", thread_read, &jobs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree gint16 *buf = g_thread_join (threads[i]);

      g_assert_nonnull (buf);
      assert_samples (buf, 0, 30000, expect_seed1);
    }
}

static void
test_source_outlives_caller_ref (void)
{
  RcAudioSource *source = open_ok (test_pattern_memfd (1, 1000), RC_AUDIO_FORMAT_RAW);
  g_autoptr(RcAudioReader) reader = rc_audio_source_open_reader (source, NULL);
  g_autoptr(GError) error = NULL;
  gint16 buf[2 * 1000];

  /* the reader keeps the source, and its descriptor, alive */
  rc_audio_source_unref (source);
  g_assert_true (rc_audio_reader_read (reader, buf, 1000, &error));
  g_assert_no_error (error);
  assert_samples (buf, 0, 1000, expect_seed1);
}

/* ------------------------------------------------------------------------ */
/* Pipes. */

typedef struct {
  int         fd;
  GByteArray *bytes;
  gsize       len;       /* how much of bytes to write */
  gboolean    keep_open; /* then the test closes fd */
} PipeWriter;

static gpointer
pipe_writer (gpointer user_data)
{
  PipeWriter *w = user_data;
  gsize done = 0;

  while (done < w->len)
    {
      gssize n = write (w->fd, w->bytes->data + done, w->len - done);

      if (n <= 0)
        break;  /* the reader went away */
      done += n;
    }
  if (!w->keep_open)
    close (w->fd);
  return NULL;
}

/* The read end of a pipe a thread fills with the first len bytes. */
static int
pipe_from (PipeWriter *w, GByteArray *bytes, gsize len, gboolean keep_open, GThread **thread)
{
  int fds[2];

  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  w->fd = fds[1];
  w->bytes = bytes;
  w->len = len;
  w->keep_open = keep_open;
  *thread = g_thread_new ("pipe-writer", pipe_writer, w);
  return fds[0];
}

static void
test_pipe_wav (void)
{
  /* larger than the pipe's buffer and the retained head together */
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 2, 44100, 100000);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(RcAudioReader) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;
  PipeWriter w;
  GThread *thread;
  int fd = pipe_from (&w, wav, wav->len, FALSE, &thread);

  source = open_ok (fd, RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 100000);
  g_assert_false (rc_audio_source_is_rereadable (source));
  g_assert_cmpstr (rc_audio_source_get_description (source), ==,
                   "WAV, 44100 Hz, 2 channels, 16-bit PCM");

  buf = read_all (source, 3000, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, 100000, expect_seed1);
  g_thread_join (thread);

  second = rc_audio_source_open_reader (source, &error);
  g_assert_null (second);
  g_assert_error (error, RC_ERROR, RC_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "the audio came from a pipe and was read already");
}

static void
test_pipe_flac (void)
{
  g_autoptr(GByteArray) flac = NULL;
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;
  PipeWriter w;
  GThread *thread;
  int fd;

  if (!make_flac ("pipe.flac", 2, 50000))
    return;
  flac = read_tmp_file ("pipe.flac");
  fd = pipe_from (&w, flac, flac->len, FALSE, &thread);
  source = open_ok (fd, RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 50000);
  buf = read_all (source, 4096, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, 50000, expect_seed2);
  g_thread_join (thread);
}

/* A file made by a tool, sent through a pipe, reads back as the pattern. */
static void
assert_pipe_reads (const char *name, guint64 frames, ExpectFunc expect)
{
  g_autoptr(GByteArray) bytes = read_tmp_file (name);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = NULL;
  PipeWriter w;
  GThread *thread;
  int fd = pipe_from (&w, bytes, bytes->len, FALSE, &thread);

  source = open_ok (fd, RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, frames);
  g_assert_false (rc_audio_source_is_rereadable (source));
  buf = read_all (source, 4096, &error);
  g_assert_no_error (error);
  assert_samples (buf, 0, frames, expect);
  g_thread_join (thread);
}

static void
test_pipe_aiff (void)
{
  if (make_with_sox ("pipe.aiff", 2, 40000))
    assert_pipe_reads ("pipe.aiff", 40000, expect_seed2);
}

/* W64 chunk sizes are 64-bit and count their own header */
static void
test_pipe_w64 (void)
{
  if (make_with_sox ("pipe.w64", 1, 40000))
    assert_pipe_reads ("pipe.w64", 40000, expect_seed1);
}

/* Metadata larger than the retained head (cover art) is read through. */
static void
test_pipe_flac_picture (void)
{
  g_autoptr(GByteArray) picture = g_byte_array_new ();
  const char *argv[] = { "flac", "--silent", "--force", "--force-raw-format",
                         "--endian=little", "--sign=signed", "--channels=2", "--bps=16",
                         "--sample-rate=44100", "--picture=3|image/png|cover|1x1x24|pic.bin",
                         "--output-name=pic.flac", "pic.raw", NULL };

  for (guint i = 0; i < 200000 / 4; i++)
    put_le (picture, g_test_rand_int (), 4);
  write_file ("pic.bin", picture->data, picture->len);
  write_pattern_raw ("pic.raw", 1, 30000);
  if (run_tool (argv))
    assert_pipe_reads ("pic.flac", 30000, expect_seed1);
}

static void
assert_pipe_refused (GByteArray *bytes, RcAudioFormat format, const char *needle)
{
  PipeWriter w;
  GThread *thread;
  int fd = pipe_from (&w, bytes, bytes->len, FALSE, &thread);

  assert_refused (fd, format, NEEDLES (needle));
  g_thread_join (thread);
}

static void
test_pipe_undeclared (void)
{
  const char *needle = "the length of audio from a pipe must be declared in its header";
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GByteArray) ffff = wav_header (2, 44100, 16, WAVE_FORMAT_PCM, FALSE, 0xFFFFFFFF);
  g_autoptr(GByteArray) sox = wav_header (2, 44100, 16, WAVE_FORMAT_PCM, FALSE, 0x7FFFF000);
  g_autoptr(GByteArray) zero = wav_header (2, 44100, 16, WAVE_FORMAT_PCM, FALSE, 0);
  g_autoptr(GByteArray) zero_riff = wav_header (2, 44100, 16, WAVE_FORMAT_PCM, FALSE, 0);

  /* RIFF size 8 with data size 0: what libsndfile takes for an unfinished
   * file, whose audio runs to the end of the file */
  zero_riff->data[4] = 8;
  zero_riff->data[5] = zero_riff->data[6] = zero_riff->data[7] = 0;
  for (guint i = 0; i < 4000; i++)
    {
      put_le (raw, i, 4);
      put_le (ffff, i, 4);
      put_le (sox, i, 4);
      put_le (zero, i, 4);
      put_le (zero_riff, i, 4);
    }
  assert_pipe_refused (raw, RC_AUDIO_FORMAT_RAW, needle);
  assert_pipe_refused (ffff, RC_AUDIO_FORMAT_AUTO, needle);
  assert_pipe_refused (sox, RC_AUDIO_FORMAT_AUTO, needle);
  assert_pipe_refused (zero, RC_AUDIO_FORMAT_AUTO, needle);
  assert_pipe_refused (zero_riff, RC_AUDIO_FORMAT_AUTO, needle);
}

/* An Ogg stream's length is in its last page, not its header */
static void
test_pipe_ogg_refused (void)
{
  g_autoptr(GByteArray) ogg = NULL;

  if (!make_with_sox ("pipe.ogg", 1, 22050))
    return;
  ogg = read_tmp_file ("pipe.ogg");
  assert_pipe_refused (ogg, RC_AUDIO_FORMAT_AUTO,
                       "OGG, 44100 Hz, 2 channels, Vorbis: the length of audio from a pipe "
                       "must be declared in its header");
}

static void
test_pipe_short (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 2, 44100, 30000);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(RcAudioReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = g_new (gint16, 2 * 30000);
  PipeWriter w;
  GThread *thread;
  /* the writer closes after 12345 of the 30000 frames */
  int fd = pipe_from (&w, wav, 44 + 12345 * 4, FALSE, &thread);

  source = open_ok (fd, RC_AUDIO_FORMAT_AUTO);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 30000);
  reader = rc_audio_source_open_reader (source, &error);
  g_assert_no_error (error);
  g_assert_true (rc_audio_reader_read (reader, buf, 10000, &error));
  g_assert_no_error (error);
  assert_samples (buf, 0, 10000, expect_seed1);
  g_assert_false (rc_audio_reader_read (reader, buf, 20000, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
  g_assert_nonnull (strstr (error->message, "12345 frames arrived of the 30000 declared"));
  /* and the failure stays */
  g_clear_error (&error);
  g_assert_false (rc_audio_reader_read (reader, buf, 1, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
  g_thread_join (thread);
}

typedef struct {
  GCancellable *cancellable;
  guint         delay_ms;
} Canceller;

static gpointer
cancel_later (gpointer user_data)
{
  Canceller *c = user_data;

  g_usleep (c->delay_ms * 1000);
  g_cancellable_cancel (c->cancellable);
  return NULL;
}

static void
test_pipe_silent_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) source = NULL;
  Canceller c = { cancellable, 200 };
  GThread *thread;
  int fds[2];
  gint64 start;

  /* a writer that keeps the pipe open and says nothing */
  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  thread = g_thread_new ("canceller", cancel_later, &c);
  start = g_get_monotonic_time ();
  source = new_source (fds[0], RC_AUDIO_FORMAT_AUTO, cancellable, &error);
  g_assert_null (source);
  g_assert_error (error, RC_ERROR, RC_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  g_thread_join (thread);
  close (fds[1]);
}

static void
test_pipe_cancel_while_reading (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 2, 44100, 30000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(RcAudioReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = g_new (gint16, 2 * 30000);
  Canceller c = { cancellable, 200 };
  PipeWriter w;
  GThread *writer;
  GThread *canceller;
  gint64 start;
  /* 5000 frames come, then the writer falls silent without closing */
  int fd = pipe_from (&w, wav, 44 + 5000 * 4, TRUE, &writer);

  source = new_source (fd, RC_AUDIO_FORMAT_AUTO, cancellable, &error);
  g_assert_no_error (error);
  reader = rc_audio_source_open_reader (source, &error);
  g_assert_no_error (error);
  g_assert_true (rc_audio_reader_read (reader, buf, 5000, &error));
  g_assert_no_error (error);
  assert_samples (buf, 0, 5000, expect_seed1);

  canceller = g_thread_new ("canceller", cancel_later, &c);
  start = g_get_monotonic_time ();
  g_assert_false (rc_audio_reader_read (reader, buf, 1000, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_thread_join (canceller);
  g_thread_join (writer);
  close (w.fd);
}

/* The job's own cancellable, given to the reader, stops it as well. */
static void
test_pipe_reader_cancellable (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 2, 44100, 30000);
  g_autoptr(GCancellable) job = g_cancellable_new ();
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(RcAudioReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint16 *buf = g_new (gint16, 2 * 30000);
  Canceller c = { job, 200 };
  PipeWriter w;
  GThread *writer;
  GThread *canceller;
  int fd = pipe_from (&w, wav, 44 + 100 * 4, TRUE, &writer);

  source = open_ok (fd, RC_AUDIO_FORMAT_AUTO);  /* no cancellable of its own */
  reader = rc_audio_source_open_reader (source, &error);
  g_assert_no_error (error);
  rc_audio_reader_set_cancellable (reader, job);
  canceller = g_thread_new ("canceller", cancel_later, &c);
  g_assert_false (rc_audio_reader_read (reader, buf, 1000, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_CANCELLED);
  g_thread_join (canceller);
  g_thread_join (writer);
  close (w.fd);
}

/* A pipe source that is never read still cleans up (valgrind checks). */
static void
test_pipe_unread (void)
{
  g_autoptr(GByteArray) wav = wav_pattern16 (1, 2, 44100, 1000);
  PipeWriter w;
  GThread *thread;
  int fd = pipe_from (&w, wav, wav->len, FALSE, &thread);
  RcAudioSource *source = open_ok (fd, RC_AUDIO_FORMAT_AUTO);

  g_assert_cmpint (rc_audio_source_get_frames (source), ==, 1000);
  g_thread_join (thread);
  rc_audio_source_unref (source);
  /* the descriptor was closed with the source */
  g_assert_cmpint (fcntl (fd, F_GETFD), ==, -1);
}

/* ------------------------------------------------------------------------ */
/* Descriptors the daemon should not pass, refused without harm. */

static void
test_odd_descriptors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) source = NULL;

  /* a directory: not seekable audio, and read() fails */
  source = new_source (open (tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
                                        RC_AUDIO_FORMAT_AUTO, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, RC_ERROR, RC_ERROR_FAILED);
  g_test_message ("directory: %s", error->message);
  g_clear_error (&error);

  /* a character device that is empty */
  source = new_source (open ("/dev/null", O_RDONLY | O_CLOEXEC),
                                        RC_AUDIO_FORMAT_AUTO, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
  g_clear_error (&error);

  /* an endless stream of zeros is not audio, and is not read to its end */
  source = new_source (open ("/dev/zero", O_RDONLY | O_CLOEXEC),
                                        RC_AUDIO_FORMAT_AUTO, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
  g_clear_error (&error);

  /* a descriptor that is not open (a high one, that nothing will open
   * meanwhile: the source closes what it is given) */
  g_assert_cmpint (fcntl (900, F_GETFD), ==, -1);
  source = new_source (900, RC_AUDIO_FORMAT_AUTO, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, RC_ERROR, RC_ERROR_FAILED);
  g_test_message ("closed: %s", error->message);
}

/* ------------------------------------------------------------------------ */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  /* a source refused before its pipe is read closes the pipe under the
   * writer thread: its write() should fail, not kill the test */
  signal (SIGPIPE, SIG_IGN);
  decoder_path = g_getenv ("RAWCD_TEST_DECODER");
  if (decoder_path != NULL)
    g_test_message ("decoding through the helper %s", decoder_path);
  tmpdir = g_dir_make_tmp ("rawcd-audio-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/audio-source/wav/16-bit-stereo", test_wav16_stereo);
  g_test_add_func ("/audio-source/wav/24-bit", test_wav24);
  g_test_add_func ("/audio-source/wav/32-bit", test_wav32);
  g_test_add_func ("/audio-source/wav/extensible", test_wav_extensible);
  g_test_add_func ("/audio-source/wav/float", test_wav_float);
  g_test_add_func ("/audio-source/wav/mono", test_wav_mono);
  g_test_add_func ("/audio-source/wav/8-bit", test_wav8);
  g_test_add_func ("/audio-source/wav/placeholder-length-file", test_wav_placeholder_length_file);
  g_test_add_func ("/audio-source/flac", test_flac);
  g_test_add_func ("/audio-source/aiff", test_aiff);
  g_test_add_func ("/audio-source/ogg-vorbis", test_ogg_vorbis);
  g_test_add_func ("/audio-source/mp3", test_mp3);
  g_test_add_func ("/audio-source/raw/pattern", test_raw);
  g_test_add_func ("/audio-source/raw/whole-sectors", test_raw_whole_sectors);
  g_test_add_func ("/audio-source/read-past-end", test_read_past_end);
  g_test_add_func ("/audio-source/supported-formats", test_supported_formats);
  g_test_add_func ("/audio-source/refuse/raw-odd-length", test_raw_odd_length);
  g_test_add_func ("/audio-source/refuse/48k", test_refuse_48k);
  g_test_add_func ("/audio-source/refuse/48k-flac", test_refuse_48k_flac);
  g_test_add_func ("/audio-source/refuse/6-channels", test_refuse_6ch);
  g_test_add_func ("/audio-source/refuse/empty", test_refuse_empty);
  g_test_add_func ("/audio-source/refuse/text", test_refuse_text);
  g_test_add_func ("/audio-source/refuse/truncated-wav", test_refuse_truncated_wav);
  g_test_add_func ("/audio-source/refuse/corrupt-flac", test_refuse_corrupt_flac);
  g_test_add_func ("/audio-source/refuse/truncated-flac", test_refuse_truncated_flac);
  g_test_add_func ("/audio-source/positioned/interleaved", test_positioned_reads);
  g_test_add_func ("/audio-source/positioned/threads", test_concurrent_readers);
  g_test_add_func ("/audio-source/positioned/reader-keeps-source", test_source_outlives_caller_ref);
  g_test_add_func ("/audio-source/pipe/wav", test_pipe_wav);
  g_test_add_func ("/audio-source/pipe/flac", test_pipe_flac);
  g_test_add_func ("/audio-source/pipe/aiff", test_pipe_aiff);
  g_test_add_func ("/audio-source/pipe/w64", test_pipe_w64);
  g_test_add_func ("/audio-source/pipe/flac-picture", test_pipe_flac_picture);
  g_test_add_func ("/audio-source/pipe/undeclared-length", test_pipe_undeclared);
  g_test_add_func ("/audio-source/pipe/ogg-refused", test_pipe_ogg_refused);
  g_test_add_func ("/audio-source/pipe/short", test_pipe_short);
  g_test_add_func ("/audio-source/pipe/silent-cancel", test_pipe_silent_cancel);
  g_test_add_func ("/audio-source/pipe/cancel-while-reading", test_pipe_cancel_while_reading);
  g_test_add_func ("/audio-source/pipe/reader-cancellable", test_pipe_reader_cancellable);
  g_test_add_func ("/audio-source/pipe/unread", test_pipe_unread);
  g_test_add_func ("/audio-source/odd-descriptors", test_odd_descriptors);

  rc = g_test_run ();
  remove_tree (tmpdir);
  g_free (tmpdir);
  return rc;
}
