/* test-input-backends.c: the libmpg123 and FFmpeg input backends
 * (daemon/decoder/rc-input-mpg123.c, rc-input-ffmpeg.c) against files made
 * by the real encoders from one known source.
 *
 * The source is 133,534 frames of 44.1 kHz stereo: 10,000 frames of
 * silence, then pink noise (sox -R: the same every run).  Its length is a
 * multiple of neither an MP3 frame (1,152) nor an AAC frame (1,024), so
 * that a backend which kept the encoder's delay or padding is caught.
 *
 *  - lossless files (ALAC in M4A, WavPack, TTA, FLAC in Matroska, APE,
 *    made by ffmpeg, wavpack and jmac) decode to exactly the source's
 *    samples;
 *  - lossy files (MP3 from lame, AAC in M4A from ffmpeg) decode to exactly
 *    the source's length, best aligned with the source at lag 0 of +-2,048,
 *    the first sound where the source's is;
 *  - MPEG audio without a LAME/Info tag is walked for its length, which
 *    is what decoding delivers; from a pipe it is refused, with the tag it
 *    is read;
 *  - seeking lands on the exact frame;
 *  - Ogg Opus, which libsndfile reads, has its pre-skip removed;
 *  - damaged files are refused as UnsupportedAudio saying what was found;
 *  - both backends still work inside the decoder helper's seccomp filter
 *    (a forked child confined with rd_sandbox_enter), which still refuses
 *    open().
 */
#define _GNU_SOURCE
#include "rawcd-decoder-sandbox.h"
#include "rc-error.h"
#include "rc-input.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SOURCE_FRAMES  133534
#define SILENT_FRAMES  10000
#define MAX_LAG        2048

static char *tmpdir;
static float *source_pcm;  /* SOURCE_FRAMES stereo frames, as float */

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* Runs a tool in tmpdir; FALSE (the test skipped) if it is not installed. */
static gboolean
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *found = g_find_program_in_path (argv[0]);
  int status = 0;

  if (found == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed (see .ci/packages)", argv[0]);

      g_test_skip (why);
      return FALSE;
    }
  /* standard output captured too: jmac reports its progress there, and
   * this program's own standard output is the TAP stream */
  if (!g_spawn_sync (tmpdir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error))
    g_error ("%s cannot run: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s%s", argv[0], out, err);
  return TRUE;
}


/* --- fixtures, made once by the real encoders -------------------------- */

#define FFMPEG "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", "source.wav"

typedef struct {
  const char *file;
  const char *argv[16];
} Fixture;

static const Fixture fixtures[] = {
  { "lame.mp3", { "lame", "--quiet", "-b", "192", "source.wav", "lame.mp3" } },
  /* lame -t: no Xing/LAME tag */
  { "untagged.mp3", { "lame", "--quiet", "-t", "-b", "128", "source.wav", "untagged.mp3" } },
  { "aac.m4a", { FFMPEG, "-c:a", "aac", "-b:a", "192k", "aac.m4a" } },
  { "alac.m4a", { FFMPEG, "-c:a", "alac", "alac.m4a" } },
  { "source.wv", { "wavpack", "-q", "-y", "source.wav", "-o", "source.wv" } },
  { "source.tta", { FFMPEG, "-c:a", "tta", "source.tta" } },
  { "flac.mka", { FFMPEG, "-c:a", "flac", "flac.mka" } },
  { "mp3.mp4", { FFMPEG, "-c:a", "libmp3lame", "mp3.mp4" } },
  { "source.opus", { "opusenc", "--quiet", "source.wav", "source.opus" } },
  /* Monkey's Audio: jmac, the Java port of its SDK (ffmpeg has no encoder) */
  { "normal.ape", { "jmac", "c2", "source.wav", "normal.ape" } },
  { "extra.ape", { "jmac", "c4", "source.wav", "extra.ape" } },
  { "wmav2.wma", { FFMPEG, "-c:a", "wmav2", "wmav2.wma" } },
};

/* Makes `file` unless it is there; FALSE (the test skipped) when its
 * encoder is not installed. */
static gboolean
ensure_fixture (const char *file)
{
  g_autofree char *path = tmp_path (file);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    if (strcmp (fixtures[i].file, file) == 0)
      return run_tool (fixtures[i].argv);
  g_assert_not_reached ();
}

static int
open_tmp (const char *name)
{
  g_autofree char *path = tmp_path (name);
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  return fd;
}

/* Everything the input gives, as float frames; *frames set. */
static float *
read_everything (const RcInputBackend *backend, gpointer state, guint channels, gint64 *frames)
{
  g_autoptr(GError) error = NULL;
  gsize cap = 65536;
  gsize have = 0;
  float *all = g_new (float, cap * channels);
  gssize got;

  /* odd read sizes, so that reads straddle the decoders' frames */
  while ((got = backend->read (state, all + have * channels, MIN (cap - have, 3001), &error)) > 0)
    {
      have += (gsize) got;
      if (have == cap)
        {
          cap *= 2;
          all = g_renew (float, all, cap * channels);
        }
    }
  g_assert_no_error (error);
  g_assert_cmpint (got, ==, 0);
  *frames = (gint64) have;
  return all;
}

typedef struct {
  const RcInputBackend *backend;
  gpointer              state;
  RcInputInfo           info;
} Opened;

static void
opened_clear (Opened *o)
{
  if (o->state != NULL)
    o->backend->close (o->state);
  g_free (o->info.container);
  g_free (o->info.codec);
  memset (o, 0, sizeof *o);
}

static void
open_ok (Opened *o, const RcInputBackend *backend, int fd)
{
  g_autoptr(GError) error = NULL;

  memset (o, 0, sizeof *o);
  o->backend = backend;
  o->state = backend->open (fd, &o->info, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (o->state);
}

/* --- the source --------------------------------------------------------- */

static void
make_source (void)
{
  g_autofree char *path = tmp_path ("source.wav");
  g_autofree char *noise_len = g_strdup_printf ("%us", SOURCE_FRAMES - SILENT_FRAMES);
  g_autofree char *pad = g_strdup_printf ("%us", SILENT_FRAMES);
  const char *argv[] = { "sox", "-R", "-r", "44100", "-c", "2", "-n", "-b", "16", "source.wav",
                         "synth", noise_len, "pinknoise", "vol", "0.5", "pad", pad, "0", NULL };
  SF_INFO info = { 0 };
  SNDFILE *sf;

  if (!run_tool (argv))
    g_error ("sox is needed for every case here");
  sf = sf_open (path, SFM_READ, &info);
  g_assert_nonnull (sf);
  g_assert_cmpint (info.frames, ==, SOURCE_FRAMES);
  source_pcm = g_new (float, 2 * SOURCE_FRAMES);
  g_assert_cmpint (sf_readf_float (sf, source_pcm, SOURCE_FRAMES), ==, SOURCE_FRAMES);
  sf_close (sf);
}

/* --- lossless ----------------------------------------------------------- */

typedef struct {
  const char        *file;
  const char        *container;
  const char        *codec;
} LosslessCase;

static void
test_lossless (gconstpointer data)
{
  const LosslessCase *c = data;
  Opened o;
  g_autofree float *pcm = NULL;
  gint64 frames = 0;
  int fd;

  if (!ensure_fixture (c->file))
    return;
  fd = open_tmp (c->file);
  open_ok (&o, &rc_input_ffmpeg_backend, fd);
  g_assert_cmpstr (o.info.container, ==, c->container);
  g_assert_cmpstr (o.info.codec, ==, c->codec);
  g_assert_cmpuint (o.info.rate, ==, 44100);
  g_assert_cmpuint (o.info.channels, ==, 2);
  g_assert_cmpuint (o.info.bits, ==, 16);
  g_assert_cmpint (o.info.frames, ==, SOURCE_FRAMES);
  g_assert_true (o.info.seekable);
  pcm = read_everything (o.backend, o.state, 2, &frames);
  g_assert_cmpint (frames, ==, SOURCE_FRAMES);
  /* the 16-bit source exactly: float values n / 32768 */
  for (gsize i = 0; i < 2 * SOURCE_FRAMES; i++)
    if (pcm[i] != source_pcm[i])
      g_error ("%s: sample %zu is %.8f, the source's %.8f", c->file, i, pcm[i], source_pcm[i]);

  /* seeking back and forth lands on the exact frame */
  for (guint k = 0; k < 3; k++)
    {
      static const gint64 targets[] = { 70001, 1234, 133000 };
      g_autoptr(GError) error = NULL;
      float some[2 * 500];
      gssize got;

      g_assert_true (o.backend->seek (o.state, targets[k], &error));
      g_assert_no_error (error);
      got = o.backend->read (o.state, some, 500, &error);
      g_assert_no_error (error);
      g_assert_cmpint (got, ==, MIN (500, SOURCE_FRAMES - targets[k]));
      g_assert_cmpmem (some, (gsize) got * 2 * sizeof (float),
                       source_pcm + targets[k] * 2, (gsize) got * 2 * sizeof (float));
    }
  opened_clear (&o);
  close (fd);
}

static const LosslessCase lossless_cases[] = {
  { "alac.m4a", "MP4", "ALAC" },
  { "source.wv", "WavPack", "WavPack" },
  { "source.tta", "TTA", "TTA" },
  { "flac.mka", "Matroska", "FLAC" },
  { "normal.ape", "Monkey's Audio", "Monkey's Audio" },
  { "extra.ape", "Monkey's Audio", "Monkey's Audio" },
};

/* --- lossy -------------------------------------------------------------- */

/* Correlation of the decoded left channel with the source's at `lag`
 * (decoded frame i against source frame i - lag), normalised. */
static double
correlation (const float *pcm, gint64 frames, gint lag)
{
  double sum = 0, a2 = 0, b2 = 0;

  for (gint64 i = SILENT_FRAMES; i < frames - MAX_LAG; i++)
    {
      double a = pcm[2 * i], b = source_pcm[2 * (i - lag)];

      sum += a * b;
      a2 += a * a;
      b2 += b * b;
    }
  return sum / sqrt (a2 * b2);
}

static void
check_lossy_audio (const char *what, const float *pcm, gint64 frames)
{
  double best = -2;
  gint best_lag = 0;
  gint64 first_sound = -1;

  for (gint lag = -MAX_LAG; lag <= MAX_LAG; lag++)
    {
      double c = correlation (pcm, frames, lag);

      if (c > best)
        best = c, best_lag = lag;
    }
  g_test_message ("%s: best correlation %.4f at lag %d", what, best, best_lag);
  g_assert_cmpint (best_lag, ==, 0);
  g_assert_cmpfloat (best, >, 0.9);
  /* the first sound: where the source's noise starts, give or take the
   * codec's pre-echo (a few ms at most) */
  for (gint64 i = 0; i < frames && first_sound < 0; i++)
    if (fabsf (pcm[2 * i]) > 0.05f || fabsf (pcm[2 * i + 1]) > 0.05f)
      first_sound = i;
  g_test_message ("%s: first sound at frame %" G_GINT64_FORMAT, what, first_sound);
  g_assert_cmpint (first_sound, >=, SILENT_FRAMES - 256);
  g_assert_cmpint (first_sound, <=, SILENT_FRAMES + 64);
}

static void
test_mp3_lame (void)
{
  g_autofree float *pcm = NULL;
  g_autofree float *again = NULL;
  g_autoptr(GError) error = NULL;
  gint64 frames = 0;
  Opened o;
  gssize got;
  int fd;

  if (!ensure_fixture ("lame.mp3"))
    return;
  fd = open_tmp ("lame.mp3");
  open_ok (&o, &rc_input_mpg123_backend, fd);
  g_assert_cmpstr (o.info.container, ==, "MPEG");
  g_assert_cmpstr (o.info.codec, ==, "MPEG Layer III");
  g_assert_cmpuint (o.info.rate, ==, 44100);
  g_assert_cmpuint (o.info.channels, ==, 2);
  g_assert_cmpuint (o.info.bits, ==, 0);
  /* LAME's delay and padding gone: the source's length */
  g_assert_cmpint (o.info.frames, ==, SOURCE_FRAMES);
  pcm = read_everything (o.backend, o.state, 2, &frames);
  g_assert_cmpint (frames, ==, SOURCE_FRAMES);
  check_lossy_audio ("lame.mp3", pcm, frames);

  /* seeking: the same samples as reading through, from any frame */
  again = g_new (float, 2 * 5000);
  for (guint k = 0; k < 3; k++)
    {
      static const gint64 targets[] = { 50001, 777, 130000 };
      gint64 want = MIN (5000, SOURCE_FRAMES - targets[k]);

      g_assert_true (o.backend->seek (o.state, targets[k], &error));
      g_assert_no_error (error);
      got = o.backend->read (o.state, again, 5000, &error);
      g_assert_no_error (error);
      g_assert_cmpint (got, ==, want);
      for (gint64 i = 0; i < 2 * want; i++)
        g_assert_cmpfloat_with_epsilon (again[i], pcm[2 * targets[k] + i], 1e-6);
    }
  opened_clear (&o);
  close (fd);
}

static void
test_aac_m4a (void)
{
  g_autofree float *pcm = NULL;
  gint64 frames = 0;
  Opened o;
  int fd;

  if (!ensure_fixture ("aac.m4a"))
    return;
  fd = open_tmp ("aac.m4a");
  open_ok (&o, &rc_input_ffmpeg_backend, fd);
  g_assert_cmpstr (o.info.container, ==, "MP4");
  g_assert_cmpstr (o.info.codec, ==, "AAC");
  g_assert_cmpuint (o.info.bits, ==, 0);
  /* The priming and the padding gone, as the edit list ffmpeg writes
   * says: it counts in the movie's milliseconds, so its end is the source's
   * rounded to the next millisecond, not the 1,024-sample frame's end. */
  g_test_message ("aac.m4a: %" G_GINT64_FORMAT " frames", o.info.frames);
  g_assert_cmpint (o.info.frames, >=, SOURCE_FRAMES);
  g_assert_cmpint (o.info.frames, <=, SOURCE_FRAMES + 44);
  pcm = read_everything (o.backend, o.state, 2, &frames);
  g_assert_cmpint (frames, ==, o.info.frames);
  check_lossy_audio ("aac.m4a", pcm, frames);
  opened_clear (&o);
  close (fd);
}

/* MPEG audio without an Info tag: lame -t writes none.  Its length is
 * what decoding delivers (the decoder's delay and the padding stay: with
 * no tag, nothing says how long they are). */
static void
test_mp3_untagged (void)
{
  g_autofree float *pcm = NULL;
  g_autoptr(GError) error = NULL;
  gint64 frames = 0;
  Opened o;
  int fd;
  int pipe_fds[2];

  if (!ensure_fixture ("untagged.mp3"))
    return;
  fd = open_tmp ("untagged.mp3");
  open_ok (&o, &rc_input_mpg123_backend, fd);
  g_assert_cmpint (o.info.frames, >, SOURCE_FRAMES);
  g_assert_cmpint (o.info.frames % 1152, ==, 0);
  pcm = read_everything (o.backend, o.state, 2, &frames);
  g_assert_cmpint (frames, ==, o.info.frames);
  opened_clear (&o);

  /* from a pipe its length cannot be known before its end */
  g_assert_no_errno (pipe (pipe_fds));
  {
    g_autofree char *bytes = NULL;
    g_autofree char *path = tmp_path ("untagged.mp3");
    gsize len = 0;

    g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
    /* the head of it fits in the pipe's buffer */
    g_assert_cmpint (write (pipe_fds[1], bytes, MIN (len, 16384)), ==, (gssize) MIN (len, 16384));
    close (pipe_fds[1]);
  }
  o.state = rc_input_mpg123_backend.open (pipe_fds[0], &o.info, NULL, &error);
  g_assert_null (o.state);
  g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
  g_assert_nonnull (strstr (error->message, "pipe"));
  close (pipe_fds[0]);
  close (fd);
}

/* With the LAME tag a pipe is read, to the exact length. */
static void
test_mp3_pipe (void)
{
  g_autofree char *path = tmp_path ("lame.mp3");
  g_autofree char *bytes = NULL;
  g_autofree float *pcm = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  gint64 frames = 0;
  int pipe_fds[2];
  GPid writer;
  Opened o;

  if (!ensure_fixture ("lame.mp3"))
    return;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_no_errno (pipe (pipe_fds));
  writer = fork ();
  g_assert_cmpint (writer, >=, 0);
  if (writer == 0)
    {
      close (pipe_fds[0]);
      _exit (write (pipe_fds[1], bytes, len) == (gssize) len ? 0 : 1);
    }
  close (pipe_fds[1]);
  open_ok (&o, &rc_input_mpg123_backend, pipe_fds[0]);
  g_assert_false (o.info.seekable);
  g_assert_cmpint (o.info.frames, ==, SOURCE_FRAMES);
  pcm = read_everything (o.backend, o.state, 2, &frames);
  g_assert_cmpint (frames, ==, SOURCE_FRAMES);
  check_lossy_audio ("lame.mp3 from a pipe", pcm, frames);
  g_assert_false (o.backend->seek (o.state, 0, &error));
  opened_clear (&o);
  close (pipe_fds[0]);
  waitpid (writer, NULL, 0);
}

/* Ogg Opus stays with libsndfile (the first backend rc-input.c tries):
 * it honours the pre-skip of the Opus header.  Opus decodes at 48 kHz;
 * opusenc resampled the 44.1 kHz source, so its length is the source's at
 * 48 kHz (opusenc rounds the end up to a whole sample) and its first
 * sound is the source's first at 48 kHz. */
static void
test_opus_pre_skip (void)
{
  g_autofree float *pcm = NULL;
  SF_INFO info = { 0 };
  SNDFILE *sf;
  gint64 first_sound = -1;
  sf_count_t got;
  int fd;

  if (!ensure_fixture ("source.opus"))
    return;
  fd = open_tmp ("source.opus");
  sf = sf_open_fd (fd, SFM_READ, &info, TRUE);
  g_assert_nonnull (sf);
  g_assert_cmpint (info.samplerate, ==, 48000);
  g_assert_cmpint (info.frames, >=, (gint64) SOURCE_FRAMES * 48000 / 44100);
  g_assert_cmpint (info.frames, <=, (gint64) SOURCE_FRAMES * 48000 / 44100 + 1);
  pcm = g_new (float, 2 * info.frames);
  got = sf_readf_float (sf, pcm, info.frames);
  g_assert_cmpint (got, ==, info.frames);
  sf_close (sf);
  for (gint64 i = 0; i < got && first_sound < 0; i++)
    if (fabsf (pcm[2 * i]) > 0.05f || fabsf (pcm[2 * i + 1]) > 0.05f)
      first_sound = i;
  g_test_message ("source.opus: %" G_GINT64_FORMAT " frames at 48 kHz, first sound at %"
                  G_GINT64_FORMAT, (gint64) got, first_sound);
  /* 10,000 frames at 44.1 kHz are 10,884.35 at 48 kHz; without the
   * pre-skip (312 frames by default) the sound would start that much later */
  g_assert_cmpint (first_sound, >=, 10884 - 48);
  g_assert_cmpint (first_sound, <=, 10884 + 24);
}

/* --- damaged files ------------------------------------------------------ */

typedef struct {
  const char           *file;     /* made by an earlier case */
  const RcInputBackend *backend;
  gsize                 keep;     /* bytes of it kept (0: all) */
  gsize                 garble_at; /* bytes from here overwritten (0: none) */
  const char           *says;     /* in the message */
} DamagedCase;

static void
test_damaged (gconstpointer data)
{
  const DamagedCase *c = data;
  g_autofree char *path = tmp_path (c->file);
  g_autofree char *damaged_path = NULL;
  g_autofree char *bytes = NULL;
  g_autoptr(GError) error = NULL;
  RcInputInfo info = { 0 };
  gpointer state;
  gsize len = 0;
  int fd;

  if (!ensure_fixture (c->file))
    return;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  if (c->keep > 0)
    len = MIN (len, c->keep);
  if (c->garble_at > 0)
    for (gsize i = c->garble_at; i < len; i++)
      bytes[i] = (char) (i * 7919 >> 3);
  damaged_path = g_strdup_printf ("%s.damaged", path);
  g_assert_true (g_file_set_contents (damaged_path, bytes, (gssize) len, NULL));
  fd = open (damaged_path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  state = c->backend->open (fd, &info, NULL, &error);
  if (state != NULL)
    {
      /* a header that survived: the damage shows when decoding */
      g_autofree float *buf = g_new (float, 4096 * info.channels);
      gssize got;

      while ((got = c->backend->read (state, buf, 4096, &error)) > 0)
        ;
      c->backend->close (state);
      g_free (info.container);
      g_free (info.codec);
    }
  g_assert_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO);
  g_test_message ("%s: %s", c->file, error->message);
  g_assert_nonnull (strstr (error->message, c->says));
  close (fd);
}

static const DamagedCase damaged_cases[] = {
  /* an MP4 cut short: its header (moov, which ffmpeg puts last) is gone */
  { "aac.m4a", &rc_input_ffmpeg_backend, 20000, 0,
    "MP4: the container is damaged: moov atom not found" },
  /* a codec not read here, in a container that is */
  { "mp3.mp4", &rc_input_ffmpeg_backend, 0, 0, "mp3 audio in MP4: not read here" },
  /* a container not read here */
  { "lame.mp3", &rc_input_ffmpeg_backend, 0, 0,
    "MP2/3 (MPEG audio layer 2/3): not a format read here" },
  /* nor one that records no encoder delay */
  { "wmav2.wma", &rc_input_ffmpeg_backend, 0, 0,
    "ASF (Advanced / Active Streaming Format): not a format read here" },
  /* APE frames overwritten after the header */
  { "normal.ape", &rc_input_ffmpeg_backend, 0, 5000, "Monkey's Audio: decoding failed" },
  /* WavPack blocks overwritten after the first */
  { "source.wv", &rc_input_ffmpeg_backend, 0, 40000, "WavPack: reading the container failed" },
  /* WavPack cut short: fewer samples than its header says */
  { "source.wv", &rc_input_ffmpeg_backend, 100000, 0,
    "WavPack: reading the container failed: the file ends early" },
  /* no MPEG frame at all */
  { "lame.mp3", &rc_input_mpg123_backend, 0, 1, "MPEG audio" },
};

/* --- the sandbox -------------------------------------------------------- */

/* In a child confined as the decoder helper is: open each fixture with its
 * backend, decode all of it, and try open(); the exit status says how it
 * went, and a forbidden system call kills the child by SIGSYS. */
static void
test_sandboxed (void)
{
  static const struct {
    const char *file;
    const RcInputBackend *backend;
  } files[] = {
    { "lame.mp3", &rc_input_mpg123_backend },
    { "untagged.mp3", &rc_input_mpg123_backend },
    { "aac.m4a", &rc_input_ffmpeg_backend },
    { "alac.m4a", &rc_input_ffmpeg_backend },
    { "source.wv", &rc_input_ffmpeg_backend },
    { "source.tta", &rc_input_ffmpeg_backend },
    { "flac.mka", &rc_input_ffmpeg_backend },
    { "extra.ape", &rc_input_ffmpeg_backend },
  };
  int fds[G_N_ELEMENTS (files)];
  g_autofree char *source = tmp_path ("source.wav");
  int status = 0;
  pid_t child;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      if (!ensure_fixture (files[i].file))
        return;
      fds[i] = open_tmp (files[i].file);
    }
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      g_autoptr(GError) error = NULL;

      if (!rd_sandbox_enter (&error))
        _exit (10);
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          RcInputInfo info = { 0 };
          gpointer state = files[i].backend->open (fds[i], &info, NULL, &error);
          float buf[2 * 4096];
          gint64 total = 0;
          gssize got;

          if (state == NULL)
            _exit (20 + (int) i);
          while ((got = files[i].backend->read (state, buf, 4096, &error)) > 0)
            total += got;
          if (got < 0 || total != info.frames)
            _exit (40 + (int) i);
          files[i].backend->close (state);
        }
      /* the filter's proof: a file this process could read before */
      if (open (source, O_RDONLY) >= 0 || errno != EPERM)
        _exit (60);
      _exit (0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    close (fds[i]);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  if (WIFSIGNALED (status))
    g_error ("the confined decoder was killed by signal %d (SIGSYS: a system call "
             "the filter does not allow)", WTERMSIG (status));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static void
test_formats_listed (void)
{
  g_auto(GStrv) mpg123 = rc_input_mpg123_backend.formats ();
  g_auto(GStrv) ffmpeg = rc_input_ffmpeg_backend.formats ();

  g_assert_true (g_strv_contains ((const char *const *) mpg123, "MP3"));
  static const char *const read_here[] = { "M4A", "ALAC", "WavPack", "APE", "TTA", NULL };

  for (guint i = 0; read_here[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char *const *) ffmpeg, read_here[i]));
  /* nothing whose gapless length could not be known */
  g_assert_false (g_strv_contains ((const char *const *) ffmpeg, "WMA"));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("rawcd-input-XXXXXX", &error);
  g_assert_no_error (error);
  make_source ();

  g_test_add_func ("/input-backends/mp3-lame", test_mp3_lame);
  g_test_add_func ("/input-backends/mp3-pipe", test_mp3_pipe);
  g_test_add_func ("/input-backends/mp3-untagged", test_mp3_untagged);
  g_test_add_func ("/input-backends/aac-m4a", test_aac_m4a);
  g_test_add_func ("/input-backends/opus-pre-skip", test_opus_pre_skip);
  for (guint i = 0; i < G_N_ELEMENTS (lossless_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/input-backends/lossless/%s",
                                               lossless_cases[i].file);

      g_test_add_data_func (name, &lossless_cases[i], test_lossless);
    }
  for (guint i = 0; i < G_N_ELEMENTS (damaged_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/input-backends/damaged/%u-%s", i,
                                               damaged_cases[i].file);

      g_test_add_data_func (name, &damaged_cases[i], test_damaged);
    }
  g_test_add_func ("/input-backends/sandboxed", test_sandboxed);
  g_test_add_func ("/input-backends/formats", test_formats_listed);
  rc = g_test_run ();

  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmpdir);
    g_autoptr(GFileEnumerator) e = g_file_enumerate_children (dir, "standard::name", 0, NULL, NULL);
    GFileInfo *fi;

    while (e != NULL && (fi = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
      {
        g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (fi));

        g_file_delete (child, NULL, NULL);
        g_object_unref (fi);
      }
    g_file_delete (dir, NULL, NULL);
  }
  g_free (source_pcm);
  g_free (tmpdir);
  return rc;
}
