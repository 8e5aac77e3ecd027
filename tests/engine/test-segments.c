/* test-segments.c: the decoder helper's sample-exact seeks, format by
 * format (the PROBE flag SEGMENTS, rc-decoder-proto.h).
 *
 * For each fixture, written here with libsndfile from a pseudo-random
 * sequence, one helper (RAWCD_TEST_DECODER) decodes the whole stream with
 * one READ from frame 0; another is sent READs of pieces out of order, so
 * that each piece starts after a seek.  Where the PROBE says SEGMENTS,
 * every piece must be byte for byte the same frames of the whole, and the
 * clipped samples the second helper counts over all pieces must be those
 * the first counted.  Formats that cannot seek exactly must not say
 * SEGMENTS: resampled audio (the resampler's output depends on all input
 * before it), Ogg Vorbis, IMA ADPCM.  Dither is on, so that a piece keyed
 * on the wrong position would show.
 */
#include "rc-decoder-process.h"
#include "rc-error.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sndfile.h>
#include <string.h>
#include <unistd.h>

#define FRAMES 300001

static char *tmpdir;
static const char *decoder_path;

/* Values in [-1.25, 1.25): a fifth of them beyond full scale (clipped,
 * where the format holds them: float). */
static float
sample (guint64 frame, guint channel)
{
  guint32 x = (guint32) (frame * 2 + channel) * 2654435761u;

  x ^= x >> 15;
  x *= 2246822519u;
  x ^= x >> 13;
  return ((float) (x & 0xffffff) / 16777216.0f - 0.5f) * 2.5f;
}

static char *
write_fixture (const char *name, int format, guint channels, guint rate)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  SF_INFO info = { .samplerate = (int) rate, .channels = (int) channels, .format = format };
  g_autofree float *buf = g_new (float, (gsize) FRAMES * channels);
  SNDFILE *file;
  gboolean clips = (format & SF_FORMAT_SUBMASK) == SF_FORMAT_FLOAT;

  for (guint64 f = 0; f < FRAMES; f++)
    for (guint c = 0; c < channels; c++)
      {
        float v = sample (f, c);

        /* integer formats cannot hold more than full scale */
        buf[f * channels + c] = clips ? v : CLAMP (v, -1.0f, 0.999f);
      }
  file = sf_open (path, SFM_WRITE, &info);
  if (file == NULL)
    g_error ("cannot write %s: %s", name, sf_strerror (NULL));
  /* libsndfile's own clipping of what the integer formats cannot hold */
  sf_command (file, SFC_SET_CLIPPING, NULL, SF_TRUE);
  g_assert_cmpint (sf_writef_float (file, buf, FRAMES), ==, FRAMES);
  sf_close (file);
  return path;
}

typedef struct {
  RcDecoderProcess *process;
  int               fd;
  gint64            frames;
  guint32           flags;
  guint64           clipped;  /* the last CLIPPED */
} Helper;

static void
helper_start (Helper *helper, const char *path)
{
  g_autoptr(GError) error = NULL;
  RcDecoderMsg msg;

  helper->fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (helper->fd, >=, 0);
  helper->process = rc_decoder_process_start (decoder_path, RC_DECODER_MODE_READ, helper->fd,
                                              0, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (rc_decoder_process_receive (helper->process, path, &msg, &error));
  g_assert_no_error (error);
  if (msg.type == RC_DECODER_MSG_ERROR)
    g_error ("%s refused: %s", path, msg.text);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_PROBE);
  helper->frames = msg.frames;
  helper->flags = msg.flags;
  helper->clipped = 0;
}

static void
helper_stop (Helper *helper)
{
  g_clear_pointer (&helper->process, rc_decoder_process_free);
  close (helper->fd);
}

/* READ [first, first + count) into buf (4 bytes a frame). */
static void
helper_read (Helper *helper, guint64 first, guint64 count, guint8 *buf)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gsize got = 0;

  rc_decoder_msg_add_read (out, first, count);
  g_assert_true (rc_decoder_process_send (helper->process, out, &error));
  g_assert_no_error (error);
  while (TRUE)
    {
      RcDecoderMsg msg;

      g_assert_true (rc_decoder_process_receive (helper->process, NULL, &msg, &error));
      g_assert_no_error (error);
      if (msg.type == RC_DECODER_MSG_PCM)
        {
          g_assert_cmpuint (got + msg.pcm_len, <=, count * 4);
          memcpy (buf + got, msg.pcm, msg.pcm_len);
          got += msg.pcm_len;
        }
      else if (msg.type == RC_DECODER_MSG_CLIPPED)
        helper->clipped = msg.clipped;
      else if (msg.type == RC_DECODER_MSG_END)
        break;
      else if (msg.type == RC_DECODER_MSG_ERROR)
        g_error ("READ %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT ": %s", first, count, msg.text);
      else
        g_error ("message %u in answer to a READ", msg.type);
    }
  g_assert_cmpuint (got, ==, count * 4);
}

typedef struct {
  const char *name;
  int         format;
  guint       channels;
  guint       rate;
  gboolean    exact;     /* must say SEGMENTS */
} Case;

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = NULL;
  g_autofree guint8 *whole = NULL;
  Helper a = { 0 }, b = { 0 };
  /* pieces with their boundaries anywhere, read in a scrambled order:
   * forward past a gap, backward, and one of a single frame */
  guint64 bounds[] = { 0, 77777, 150000, 150001, 222222, 0 };
  static const guint order[] = { 3, 0, 4, 2, 1 };

  if (decoder_path == NULL)
    {
      g_test_skip ("RAWCD_TEST_DECODER does not name the helper");
      return;
    }
  path = write_fixture (c->name, c->format, c->channels, c->rate);
  helper_start (&a, path);
  g_test_message ("%s: flags 0x%x, %" G_GINT64_FORMAT " frames", c->name, a.flags, a.frames);
  if (!c->exact)
    {
      g_assert_cmpuint (a.flags & RC_DECODER_PROBE_SEGMENTS, ==, 0);
      helper_stop (&a);
      return;
    }
  g_assert_cmpuint (a.flags & RC_DECODER_PROBE_SEGMENTS, !=, 0);
  g_assert_cmpint (a.frames, ==, FRAMES);
  bounds[G_N_ELEMENTS (bounds) - 1] = (guint64) a.frames;
  whole = g_malloc ((gsize) a.frames * 4);
  helper_read (&a, 0, (guint64) a.frames, whole);

  helper_start (&b, path);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      guint k = order[i];
      guint64 first = bounds[k], count = bounds[k + 1] - bounds[k];
      g_autofree guint8 *piece = g_malloc (count * 4);

      helper_read (&b, first, count, piece);
      if (memcmp (piece, whole + first * 4, count * 4) != 0)
        g_error ("%s: frames %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT " after a seek "
                 "differ from those decoded from the start", c->name, first, first + count);
    }
  g_test_message ("%s: %" G_GUINT64_FORMAT " samples clipped", c->name, a.clipped);
  g_assert_cmpuint (b.clipped, ==, a.clipped);
  helper_stop (&a);
  helper_stop (&b);
}

static const Case cases[] = {
  { "flac-16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 2, 44100, TRUE },
  { "flac-24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 2, 44100, TRUE },
  { "flac-mono.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 44100, TRUE },
  { "wav-24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 2, 44100, TRUE },
  { "wav-float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 44100, TRUE },
  { "wav-8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 2, 44100, TRUE },
  { "aiff-16.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 2, 44100, TRUE },
  { "w64-32.w64", SF_FORMAT_W64 | SF_FORMAT_PCM_32, 2, 44100, TRUE },
  { "caf-double.caf", SF_FORMAT_CAF | SF_FORMAT_DOUBLE, 2, 44100, TRUE },
  { "flac-48k.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 2, 48000, FALSE },
  { "wav-float-96k.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 96000, FALSE },
  { "ogg-vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 2, 44100, FALSE },
  { "wav-ima-adpcm.wav", SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM, 2, 44100, FALSE },
};

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  decoder_path = g_getenv ("RAWCD_TEST_DECODER");
  tmpdir = g_dir_make_tmp ("rawcd-segments-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/segments/%s", cases[i].name);

      g_test_add_data_func (name, &cases[i], test_case);
    }
  rc = g_test_run ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, cases[i].name, NULL);

      g_unlink (path);
    }
  g_rmdir (tmpdir);
  return rc;
}
