/* rc-input-ffmpeg-io.c: FFmpeg's input, and its errors.
 *
 * libavformat reads the client's descriptor through an AVIOContext with
 * these callbacks: pread() at a position of our own on a seekable
 * descriptor (its shared offset is never moved), a forward read() on a
 * pipe.  A container that names another file or a URL (an MP4 data
 * reference) gets nothing: io_open refuses it.
 */
#define _GNU_SOURCE
#include "rc-input-ffmpeg-private.h"

#include "rc-audio-pcm.h"
#include "rc-error.h"

#include <errno.h>
#include <unistd.h>

/* --- I/O over the descriptor ------------------------------------------- */

int
rc_ffmpeg_io_read (void *opaque, uint8_t *buf, int size)
{
  RcFfmpegInput *in = opaque;
  gssize n;

  do
    n = in->seekable ? pread (in->fd, buf, (size_t) size, in->pos)
                     : read (in->fd, buf, (size_t) size);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      if (in->read_errno == 0)
        in->read_errno = errno;
      return AVERROR (errno);
    }
  if (n == 0)
    return AVERROR_EOF;
  in->pos += n;
  return (int) n;
}

int64_t
rc_ffmpeg_io_seek (void *opaque, int64_t offset, int whence)
{
  RcFfmpegInput *in = opaque;
  gint64 length = rc_audio_fd_length (in->fd);

  switch (whence & ~AVSEEK_FORCE)
    {
    case AVSEEK_SIZE:
      return length >= 0 ? length : AVERROR (ENOSYS);
    case SEEK_SET:
      break;
    case SEEK_CUR:
      offset += in->pos;
      break;
    case SEEK_END:
      if (length < 0)
        return AVERROR (EINVAL);
      offset += length;
      break;
    default:
      return AVERROR (EINVAL);
    }
  if (offset < 0)
    return AVERROR (EINVAL);
  in->pos = offset;
  return offset;
}

/* A container that names another file or a URL gets nothing. */
int
rc_ffmpeg_refuse_io_open (AVFormatContext *s, AVIOContext **pb, const char *url, int flags,
                AVDictionary **options)
{
  g_debug ("FFmpeg: refused to open %s named inside the audio", url);
  return AVERROR (EPERM);
}

/* FFmpeg's last error message ("moov atom not found"), which says more
 * than the AVERROR code a call returns; the helper decodes one stream in
 * one thread, the lock is for the tests. */
static GMutex last_message_lock;
static char last_message[256];

void
rc_ffmpeg_log (void *avcl, int level, const char *format, va_list args)
{
  int print_prefix = 0;
  char line[sizeof last_message];

  if (level > AV_LOG_WARNING)
    return;
  av_log_format_line2 (NULL, level, format, args, line, sizeof line, &print_prefix);
  g_strchomp (line);
  g_debug ("FFmpeg: %s", line);
  if (level <= AV_LOG_ERROR)
    {
      g_mutex_lock (&last_message_lock);
      g_strlcpy (last_message, line, sizeof last_message);
      g_mutex_unlock (&last_message_lock);
    }
}

void
rc_ffmpeg_forget_last_message (void)
{
  g_mutex_lock (&last_message_lock);
  last_message[0] = '\0';
  g_mutex_unlock (&last_message_lock);
}

/* --- the demuxer and decoder ------------------------------------------- */

char *
rc_ffmpeg_stream_name (RcFfmpegInput *in)
{
  if (g_strcmp0 (in->codec->name, in->container) == 0)
    return g_strdup (in->container);
  return g_strdup_printf ("%s in %s", in->codec->name, in->container);
}

void
rc_ffmpeg_fail (RcFfmpegInput *in, GError **error, int code, const char *format, ...)
{
  g_autofree char *what = rc_ffmpeg_stream_name (in);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RC_ERROR, code, "%s%s", what, message);
}

void
rc_ffmpeg_set_error (RcFfmpegInput *in, const char *doing, int rc, GError **error)
{
  char why[sizeof last_message] = "";

  if (in->read_errno != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "reading the audio failed: %s",
                   g_strerror (in->read_errno));
      return;
    }
  g_mutex_lock (&last_message_lock);
  if (last_message[0] != '\0')
    g_strlcpy (why, last_message, sizeof why);
  g_mutex_unlock (&last_message_lock);
  /* a demuxer that meets the end of the file inside a packet says EIO */
  if (why[0] == '\0' && in->avio != NULL && avio_feof (in->avio))
    g_strlcpy (why, "the file ends early (it is cut short)", sizeof why);
  if (why[0] == '\0')
    av_strerror (rc, why, sizeof why);
  if (in->codec != NULL)
    {
      g_autofree char *what = rc_ffmpeg_stream_name (in);

      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, "%s: %s: %s", what, doing, why);
    }
  else if (in->container != NULL)
    g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, "%s: %s: %s", in->container,
                 doing, why);
  else
    g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, "%s: %s", doing, why);
}

