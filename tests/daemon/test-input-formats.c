/* test-input-formats.c: MPEG audio, which the decoder helper reads with
 * libmpg123 (libsndfile keeps the encoder's delay), through the real
 * daemon, made from a known source by lame.
 *
 * The source: 235,100 frames of 44.1 kHz 16-bit stereo (100 frames short
 * of 400 sectors), 10,000 frames of silence, then pink noise (sox -R: the
 * same every run).  Each file is added as the only track of a disc and
 * written as a CUE/BIN, whose BIN is the program area from LBA 0:
 *
 *  - an MP3 from lame fills 400 sectors, as the source does (the
 *    encoder's delay and padding kept would add a third), and matches the
 *    source best at lag 0, at the start and at the end, its silence
 *    silent;
 *  - an AAC .m4a from ffmpeg the same: FFmpeg honours the MP4 edit list
 *    that records the encoder's priming, so nothing is added or lost;
 *  - ALAC in .m4a (ffmpeg), WavPack (wavpack), Monkey's Audio (jmac) and
 *    TTA (ffmpeg) give the source's samples exactly;
 *  - SupportedInputFormats names MP3 once, and M4A, WavPack and APE.
 * All of it runs in the confined helpers, which a forbidden system call
 * would kill (test-decoders shows the filter still refuses open()): the
 * formats after the MP3 are read by the second helper,
 * rawcd-decoder-ffmpeg, which rawcdd starts only when rawcd-decoder does
 * not recognise a file.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define SOURCE_FRAMES  235100
#define SILENT_FRAMES  10000
#define SOURCE_SECTORS 400
#define MAX_LAG        2048

/* ------------------------------------------------------------------------ */
/* Fixtures. */

typedef struct {
  const char *file;
  const char *argv[24];
} Fixture;

#define FFMPEG "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", "source.wav"

static const Fixture fixtures[] = {
  { "source.wav", { "sox", "-R", "-r", "44100", "-c", "2", "-n", "-b", "16", "source.wav",
                    "synth", "225100s", "pinknoise", "vol", "0.5", "pad", "10000s", "0" } },
  { "lame.mp3", { "lame", "--quiet", "-b", "192", "source.wav", "lame.mp3" } },
  { "aac.m4a", { FFMPEG, "-c:a", "aac", "-b:a", "192k", "aac.m4a" } },
  { "alac.m4a", { FFMPEG, "-c:a", "alac", "alac.m4a" } },
  { "source.tta", { FFMPEG, "-c:a", "tta", "source.tta" } },
  { "source.wv", { "wavpack", "-q", "-y", "source.wav", "-o", "source.wv" } },
  /* Monkey's Audio: jmac, the Java port of its SDK (ffmpeg has no encoder) */
  { "normal.ape", { "jmac", "c2", "source.wav", "normal.ape" } },
};

/* The path of `file`, made by its encoder on first use. */
static const char *
fixture (const char *file)
{
  g_autofree char *path = g_build_filename (td_tmpdir (), file, NULL);

  if (strcmp (file, "source.wav") != 0)
    fixture ("source.wav");
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
      if (strcmp (fixtures[i].file, file) == 0)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *err = NULL;
          int status = 0;

          if (!g_spawn_sync (td_tmpdir (), (char **) fixtures[i].argv, NULL,
                             G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                             &err, &status, &error))
            g_error ("%s cannot run (see .ci/packages): %s", fixtures[i].argv[0],
                     error->message);
          if (!g_spawn_check_wait_status (status, NULL))
            g_error ("%s failed: %s", fixtures[i].argv[0], err);
        }
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  return g_intern_string (path);
}

/* The source's samples, interleaved 16-bit: the WAV's data chunk. */
static const gint16 *
source_samples (void)
{
  static gint16 *samples;
  g_autofree char *bytes = NULL;
  gsize len = 0;
  const char *data;

  if (samples != NULL)
    return samples;
  g_assert_true (g_file_get_contents (fixture ("source.wav"), &bytes, &len, NULL));
  data = memmem (bytes, len, "data", 4);
  g_assert_nonnull (data);
  g_assert_cmpuint (GUINT32_FROM_LE (*(const guint32 *) (data + 4)), ==, SOURCE_FRAMES * 4);
  g_assert_cmpuint ((gsize) (data + 8 - bytes) + SOURCE_FRAMES * 4, <=, len);
  samples = g_memdup2 (data + 8, SOURCE_FRAMES * 4);
  return samples;
}

/* The BIN of a disc of `file` alone (asserted to be SOURCE_SECTORS long). */
static GBytes *
bin_of (TdFixture *f, const char *file)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autoptr(GError) error = NULL;
  int bin = td_memfd ("bin");
  g_autoptr(GMappedFile) map = NULL;
  GBytes *bytes;

  td_add_track (f->conn, creator, fixture (file), NULL, NULL, &error);
  g_assert_no_error (error);
  td_write_image (f->conn, creator, "cue", bin, -1);
  map = td_map_fd (bin);
  bytes = g_mapped_file_get_bytes (map);
  close (bin);
  g_test_message ("%s: %zu sectors", file, g_bytes_get_size (bytes) / TD_AUDIO_SECTOR);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, (gsize) SOURCE_SECTORS * TD_AUDIO_SECTOR);
  return bytes;
}

/* ------------------------------------------------------------------------ */

/* Correlation of the left channels over [from, to) of the source, the
 * image's frame i against the source's i - lag, squared and signed (no
 * square root: the same order, without libm). */
static double
correlation (const gint16 *image, gint64 from, gint64 to, gint lag)
{
  const gint16 *source = source_samples ();
  double sum = 0, a2 = 0, b2 = 0;

  for (gint64 i = from; i < to; i++)
    {
      double a = GINT16_FROM_LE (image[2 * i]);
      double b = GINT16_FROM_LE (source[2 * (i - lag)]);

      sum += a * b;
      a2 += a * a;
      b2 += b * b;
    }
  return sum * ABS (sum) / (a2 * b2);
}

static gint
best_lag (const char *what, const gint16 *image, gint64 from, gint64 to)
{
  double best = -2;
  gint lag_found = 0;

  for (gint lag = -MAX_LAG; lag <= MAX_LAG; lag++)
    {
      double c = correlation (image, from, to, lag);

      if (c > best)
        best = c, lag_found = lag;
    }
  g_test_message ("%s: best correlation %.4f at lag %d", what, best, lag_found);
  g_assert_cmpfloat (best, >, 0.8 * 0.8);
  return lag_found;
}

static void
check_lossy (TdFixture *f, const char *file)
{
  g_autoptr(GBytes) bin = bin_of (f, file);
  const gint16 *image = g_bytes_get_data (bin, NULL);
  g_autofree char *start = g_strdup_printf ("%s, start", file);
  g_autofree char *end = g_strdup_printf ("%s, end", file);

  /* aligned at the start: the encoder's delay is gone */
  g_assert_cmpint (best_lag (start, image, SILENT_FRAMES + MAX_LAG, SILENT_FRAMES + 30000), ==, 0);
  /* and at the end: nothing missing, nothing inserted */
  g_assert_cmpint (best_lag (end, image, SOURCE_FRAMES - 20000, SOURCE_FRAMES - MAX_LAG), ==, 0);
  /* the silence before the noise is silence (a dithered LSB or two) */
  for (gint64 i = 0; i < 2 * (SILENT_FRAMES - 512); i++)
    g_assert_cmpint (ABS (GINT16_FROM_LE (image[i])), <=, 2);
}

static void
test_supported_formats (TdFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = td_get (f->conn, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER,
                                      "SupportedInputFormats", &error);
  g_autofree const char **formats = NULL;

  g_assert_no_error (error);
  formats = g_variant_get_strv (value, NULL);
  for (const char *const *name = (const char *const[]) { "MP3", "FLAC", "WAV", "M4A", "WavPack",
                                                         "APE", NULL };
       *name != NULL; name++)
    if (!g_strv_contains (formats, *name))
      g_error ("SupportedInputFormats lacks %s", *name);
  /* each once */
  for (guint i = 0; formats[i] != NULL; i++)
    for (guint j = i + 1; formats[j] != NULL; j++)
      g_assert_cmpstr (formats[i], !=, formats[j]);
}

static void
test_lame_mp3 (TdFixture *f, gconstpointer data)
{
  check_lossy (f, "lame.mp3");
}

static void
test_aac_m4a (TdFixture *f, gconstpointer data)
{
  check_lossy (f, "aac.m4a");
}

/* A lossless file's image: the source's samples, then silence to the end
 * of the last sector. */
static void
check_lossless (TdFixture *f, const char *file)
{
  g_autoptr(GBytes) bin = bin_of (f, file);
  const guint8 *image = g_bytes_get_data (bin, NULL);
  gsize len = g_bytes_get_size (bin);
  const guint8 *source = (const guint8 *) source_samples ();
  gsize differ = 0;

  for (gsize i = 0; i < (gsize) SOURCE_FRAMES * 4; i++)
    if (image[i] != source[i] && differ++ == 0)
      g_test_message ("%s: first difference at byte %zu", file, i);
  g_assert_cmpuint (differ, ==, 0);
  for (gsize i = (gsize) SOURCE_FRAMES * 4; i < len; i++)
    g_assert_cmpuint (image[i], ==, 0);
}

static void
test_alac_m4a (TdFixture *f, gconstpointer data)
{
  check_lossless (f, "alac.m4a");
}

static void
test_wavpack (TdFixture *f, gconstpointer data)
{
  check_lossless (f, "source.wv");
}

static void
test_ape (TdFixture *f, gconstpointer data)
{
  check_lossless (f, "normal.ape");
}

static void
test_tta (TdFixture *f, gconstpointer data)
{
  check_lossless (f, "source.tta");
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/input-formats/lame-mp3", test_lame_mp3);
  td_add ("/input-formats/aac-m4a", test_aac_m4a);
  td_add ("/input-formats/alac-m4a", test_alac_m4a);
  td_add ("/input-formats/wavpack", test_wavpack);
  td_add ("/input-formats/ape", test_ape);
  td_add ("/input-formats/tta", test_tta);
  td_add ("/input-formats/supported", test_supported_formats);
  return td_run ();
}
