/* rc-input-mpg123.c: MPEG audio (MP3, MP2, MP1) decoded by libmpg123.
 *
 * libsndfile decodes MP3 too, but keeps what the encoder put before and
 * after the music: LAME's encoder delay (576 samples plus the decoder's
 * 529) and the padding that fills the last MPEG frame.  A track made from
 * such a file starts with ~26 ms of silence and ends with up to another
 * frame of it, so gapless albums click or gap at every join.  libmpg123's
 * gapless mode reads the LAME/Info tag and removes both, sample-exactly.
 *
 * The length: a LAME/Info tag declares it exactly; without one (sox and
 * many streaming encoders write none) libmpg123 only estimates it from the
 * file's size, so every MPEG frame header is walked (mpg123_scan) before
 * the length is given.  The walk parses headers only, and checks the
 * cancellable between chunks of it.  A pipe cannot be walked and then read
 * again: MPEG audio from a pipe needs the tag.
 *
 * Samples come out as 32-bit float at the stream's own rate, unclipped.
 */
#define _GNU_SOURCE
#include "rc-input.h"

#include "rc-audio-pcm.h"
#include "rc-error.h"

#include <errno.h>
#include <mpg123.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  int            fd;          /* borrowed */
  gboolean       seekable;
  gint64         pos;         /* of the next pread() */
  int            read_errno;  /* the first failed read, 0 if none */
  mpg123_handle *mh;
  guint          channels;
  gint64         frames;
  gint64         position;    /* frames delivered since the start or a seek */
} RcMpg123Input;

static gboolean
library_ready (GError **error)
{
  static gsize done;
  static int result;

  if (g_once_init_enter (&done))
    {
      /* a no-op since libmpg123 1.27, needed before it */
      result = mpg123_init ();
      g_once_init_leave (&done, 1);
    }
  if (result != MPG123_OK)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "libmpg123 cannot start: %s",
                   mpg123_plain_strerror (result));
      return FALSE;
    }
  return TRUE;
}

/* libmpg123's reader: pread() at our own position on a seekable
 * descriptor, so that the descriptor's shared offset is never moved; a
 * plain forward read() on anything else. */
static mpg123_ssize_t
stream_read (void *handle, void *buf, size_t count)
{
  RcMpg123Input *in = handle;
  gssize n;

  do
    n = in->seekable ? pread (in->fd, buf, count, in->pos) : read (in->fd, buf, count);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      if (in->read_errno == 0)
        in->read_errno = errno;
      return -1;
    }
  in->pos += n;
  return n;
}

static off_t
stream_seek (void *handle, off_t offset, int whence)
{
  RcMpg123Input *in = handle;
  gint64 base;

  if (!in->seekable)
    {
      errno = ESPIPE;
      return -1;
    }
  switch (whence)
    {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = in->pos;
      break;
    case SEEK_END:
      base = rc_audio_fd_length (in->fd);
      if (base < 0)
        {
          errno = EINVAL;
          return -1;
        }
      break;
    default:
      errno = EINVAL;
      return -1;
    }
  if (offset < -base)
    {
      errno = EINVAL;
      return -1;
    }
  in->pos = base + offset;
  return (off_t) in->pos;
}

static void
set_decode_error (RcMpg123Input *in, const char *doing, int rc, GError **error)
{
  if (in->read_errno != 0)
    g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "reading the audio failed: %s",
                 g_strerror (in->read_errno));
  else
    g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, "MPEG audio: %s: %s", doing,
                 rc == MPG123_ERR ? mpg123_strerror (in->mh) : mpg123_plain_strerror (rc));
}

static void
mpg123_input_close (gpointer state)
{
  RcMpg123Input *in = state;

  if (in->mh != NULL)
    mpg123_delete (in->mh);  /* closes the stream; the descriptor is borrowed */
  g_free (in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcMpg123Input, mpg123_input_close)

/* Every rate libmpg123 decodes, in float only, mono or stereo as the
 * stream is: no conversion inside the decoder (rc-convert does that). */
static gboolean
configure (RcMpg123Input *in, GError **error)
{
  const long *rates = NULL;
  size_t n_rates = 0;
  int rc;

  /* Quiet: libmpg123 would print to stderr.  No Frankenstein streams:
   * one file is one stream, which ends where its Info tag says. */
  rc = mpg123_param (in->mh, MPG123_FLAGS,
                     MPG123_GAPLESS | MPG123_QUIET | MPG123_NO_FRANKENSTEIN
                     | (in->seekable ? 0 : MPG123_NO_PEEK_END), 0.0);
  if (rc == MPG123_OK)
    rc = mpg123_param (in->mh, MPG123_REMOVE_FLAGS, MPG123_AUTO_RESAMPLE, 0.0);
  if (rc == MPG123_OK)
    rc = mpg123_format_none (in->mh);
  mpg123_rates (&rates, &n_rates);
  for (size_t i = 0; rc == MPG123_OK && i < n_rates; i++)
    rc = mpg123_format (in->mh, rates[i], MPG123_MONO | MPG123_STEREO, MPG123_ENC_FLOAT_32);
  if (rc == MPG123_OK)
    rc = mpg123_replace_reader_handle (in->mh, stream_read, stream_seek, NULL);
  if (rc != MPG123_OK)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "libmpg123 cannot be set up: %s",
                   mpg123_strerror (in->mh));
      return FALSE;
    }
  return TRUE;
}

/* The MPEG frames of a stream without an Info tag, walked to the end. */
static gboolean
scan_length (RcMpg123Input *in, GCancellable *cancellable, GError **error)
{
  int rc;

  /* mpg123_scan() walks the whole file in one call; a file big enough for
   * that to take long is one that cannot go on a CD, which the caller's
   * limits refuse: the cancellable is checked on either side of it. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  rc = mpg123_scan (in->mh);
  if (rc != MPG123_OK)
    {
      set_decode_error (in, "walking its frames failed", rc, error);
      return FALSE;
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static const char *
layer_name (int layer)
{
  switch (layer)
    {
    case 1:
      return "MPEG Layer I";
    case 2:
      return "MPEG Layer II";
    default:
      return "MPEG Layer III";
    }
}

static gpointer
mpg123_input_open (int fd, RcInputInfo *info, GCancellable *cancellable, GError **error)
{
  g_autoptr(RcMpg123Input) in = g_new0 (RcMpg123Input, 1);
  struct mpg123_frameinfo2 frame = { 0 };
  long rate = 0;
  int channels = 0;
  int encoding = 0;
  int err = MPG123_OK;
  int rc;
  off_t length;

  if (!library_ready (error) || !rc_audio_fd_is_seekable (fd, &in->seekable, error))
    return NULL;
  in->fd = fd;
  in->mh = mpg123_new (NULL, &err);
  if (in->mh == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "libmpg123 cannot start: %s",
                   mpg123_plain_strerror (err));
      return NULL;
    }
  if (!configure (in, error))
    return NULL;
  rc = mpg123_open_handle (in->mh, in);
  if (rc == MPG123_OK)
    rc = mpg123_getformat (in->mh, &rate, &channels, &encoding);
  if (rc != MPG123_OK)
    {
      set_decode_error (in, "no MPEG audio frame found", rc, error);
      return NULL;
    }
  /* the format is fixed from here on: a change later is an error */
  mpg123_format_none (in->mh);
  mpg123_format (in->mh, rate, channels, encoding);

  if (in->seekable)
    {
      if (!scan_length (in, cancellable, error))
        return NULL;
    }
  else
    {
      long delay = -1;
      double unused;

      /* Without an Info tag a pipe's length is a guess; with one (LAME's,
       * which also gives the encoder delay) it is exact. */
      if (mpg123_getstate (in->mh, MPG123_ENC_DELAY, &delay, &unused) != MPG123_OK
          || delay < 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                       "MPEG audio from a pipe without a LAME/Info tag: its length is not "
                       "known before the end; give it as a file");
          return NULL;
        }
    }
  length = mpg123_length (in->mh);
  if (length <= 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "MPEG audio, %ld Hz, %d channels: contains no audio", rate, channels);
      return NULL;
    }
  mpg123_info2 (in->mh, &frame);

  in->channels = (guint) channels;
  in->frames = length;
  /* libsndfile's names, which tracks of MPEG audio had before */
  info->container = g_strdup ("MPEG");
  info->codec = g_strdup (layer_name (frame.layer));
  info->rate = (guint) rate;
  info->channels = (guint) channels;
  info->bits = 0;
  info->frames = length;
  info->seekable = in->seekable;
  return g_steal_pointer (&in);
}

static gssize
mpg123_input_read (gpointer state, float *buf, gsize n_frames, GError **error)
{
  RcMpg123Input *in = state;
  gsize frame_bytes = sizeof (float) * in->channels;
  gsize want = MIN (n_frames, (gsize) MAX (in->frames - in->position, 0));
  gsize done = 0;

  while (done < want)
    {
      size_t got = 0;
      int rc = mpg123_read (in->mh, (guint8 *) buf + done * frame_bytes,
                            (want - done) * frame_bytes, &got);

      done += got / frame_bytes;
      if (rc == MPG123_DONE)
        break;
      if (rc != MPG123_OK)
        {
          set_decode_error (in, rc == MPG123_NEW_FORMAT ? "the format changes inside the stream"
                                                        : "decoding failed", rc, error);
          if (rc == MPG123_NEW_FORMAT)
            g_prefix_error (error, "at frame %" G_GINT64_FORMAT ": ",
                            in->position + (gint64) done);
          return -1;
        }
    }
  in->position += (gint64) done;
  if (done == 0 && n_frames > 0 && in->position < in->frames)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "MPEG audio: the stream ended after %" G_GINT64_FORMAT " of its %"
                   G_GINT64_FORMAT " frames", in->position, in->frames);
      return -1;
    }
  return (gssize) done;
}

static gboolean
mpg123_input_seek (gpointer state, gint64 frame, GError **error)
{
  RcMpg123Input *in = state;
  off_t at;

  if (!in->seekable || frame < 0 || frame > in->frames)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "MPEG audio: cannot go to frame %" G_GINT64_FORMAT, frame);
      return FALSE;
    }
  /* with gapless decoding and the frame index of the scan, exact */
  at = mpg123_seek (in->mh, (off_t) frame, SEEK_SET);
  if (at < 0)
    {
      set_decode_error (in, "seeking failed", (int) at, error);
      return FALSE;
    }
  in->position = frame;
  return TRUE;
}

static GStrv
mpg123_input_formats (void)
{
  const char *const formats[] = { "MP3", "MP2", "MP1", NULL };

  return g_strdupv ((char **) formats);
}

const RcInputBackend rc_input_mpg123_backend = {
  .name = "libmpg123",
  .open = mpg123_input_open,
  .read = mpg123_input_read,
  .seek = mpg123_input_seek,
  .close = mpg123_input_close,
  .formats = mpg123_input_formats,
};
