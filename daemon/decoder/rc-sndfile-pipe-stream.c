/* rc-sndfile-pipe-stream.c: libsndfile's virtual I/O over a descriptor
 * that is read forward only (a pipe, a socket), keeping its head. */
#define _GNU_SOURCE
#include "rc-sndfile-private.h"

#include "rc-error.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

void
rc_pipe_stream_add_cancellable (RcPipeStream *stream, guint slot, GCancellable *cancellable)
{
  if (cancellable == NULL)
    return;
  stream->cancellables[slot] = g_object_ref (cancellable);
  if (g_cancellable_make_pollfd (cancellable, &stream->polls[stream->n_polls]))
    stream->n_polls++;
}

RcPipeStream *
rc_pipe_stream_new (int fd, GCancellable *cancellable)
{
  RcPipeStream *stream = g_new0 (RcPipeStream, 1);

  stream->fd = fd;
  stream->polls[0].fd = fd;
  stream->polls[0].events = G_IO_IN;
  stream->n_polls = 1;
  stream->head = g_malloc (HEAD_BYTES);
  rc_pipe_stream_add_cancellable (stream, 0, cancellable);
  return stream;
}

void
rc_pipe_stream_free (RcPipeStream *stream)
{
  for (guint i = 0; i < G_N_ELEMENTS (stream->cancellables); i++)
    {
      if (stream->cancellables[i] == NULL)
        continue;
      g_cancellable_release_fd (stream->cancellables[i]);
      g_object_unref (stream->cancellables[i]);
    }
  g_clear_error (&stream->error);
  g_free (stream->head);
  g_free (stream);
}

gboolean
rc_pipe_stream_cancelled (RcPipeStream *stream)
{
  for (guint i = 0; i < G_N_ELEMENTS (stream->cancellables); i++)
    {
      if (g_cancellable_is_cancelled (stream->cancellables[i]))
        {
          g_set_error_literal (&stream->error, RC_ERROR, RC_ERROR_CANCELLED,
                               "reading the audio from a pipe was cancelled");
          return TRUE;
        }
    }
  return FALSE;
}

/* Waits in poll() for the descriptor, so that a cancellable can interrupt
 * a silent writer, then reads.  Returns what read() returned, or 0 after an
 * error (then stream->error is set). */
static gssize
pipe_stream_wait_read (RcPipeStream *stream, guint8 *dest, gsize count)
{
  gssize n;

  while (TRUE)
    {
      if (rc_pipe_stream_cancelled (stream))
        return 0;
      if (g_poll (stream->polls, stream->n_polls, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          g_set_error (&stream->error, RC_ERROR, RC_ERROR_FAILED,
                       "waiting for the audio stream failed: %s", g_strerror (errno));
          return 0;
        }
      if (rc_pipe_stream_cancelled (stream))
        return 0;
      if (stream->polls[0].revents & G_IO_NVAL)
        {
          g_set_error_literal (&stream->error, RC_ERROR, RC_ERROR_FAILED,
                               "reading the audio stream failed: the descriptor is not open");
          return 0;
        }
      if (stream->polls[0].revents == 0)
        continue;
      n = read (stream->fd, dest, count);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n < 0)
        {
          g_set_error (&stream->error, RC_ERROR, RC_ERROR_FAILED,
                       "reading the audio stream failed: %s", g_strerror (errno));
          return 0;
        }
      return n;
    }
}

/* Reads up to `count` bytes from the descriptor into dest, keeping what
 * falls in the head.  Returns the bytes read, 0 at the end of the stream
 * or after an error (then stream->error is set). */
static gsize
pipe_stream_pull (RcPipeStream *stream, guint8 *dest, gsize count)
{
  gssize n;

  if (stream->in_open)
    g_mutex_unlock (&rc_sndfile_lock);
  n = pipe_stream_wait_read (stream, dest, count);
  if (stream->in_open)
    g_mutex_lock (&rc_sndfile_lock);
  if (n <= 0 && stream->error != NULL)
    return 0;
  if (n == 0)
    {
      stream->eof = TRUE;
      return 0;
    }
  if (stream->consumed < HEAD_BYTES)
    {
      gsize keep = MIN ((gsize) n, (gsize) (HEAD_BYTES - stream->consumed));

      memcpy (stream->head + stream->consumed, dest, keep);
      stream->head_len += keep;
    }
  stream->consumed += n;
  return (gsize) n;
}

static sf_count_t
pipe_vio_get_filelen (void *user_data)
{
  /* Unknown: as libsndfile itself says of its own pipes, so that the length
   * a header declares is taken as it is. */
  return SF_COUNT_MAX;
}

static sf_count_t
pipe_vio_seek (sf_count_t offset, int whence, void *user_data)
{
  RcPipeStream *stream = user_data;
  gint64 base;

  /* Only the position moves here; read() finds out whether the stream can
   * follow, since libsndfile often seeks without reading. */
  switch (whence)
    {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = stream->pos;
      break;
    default:
      return -1;  /* the end of a pipe is not known */
    }
  if ((offset > 0 && base > G_MAXINT64 - offset) || base + offset < 0)
    return -1;
  stream->pos = base + offset;
  return stream->pos;
}

static sf_count_t
pipe_vio_read (void *ptr, sf_count_t count, void *user_data)
{
  RcPipeStream *stream = user_data;
  guint8 *out = ptr;
  sf_count_t total = 0;

  while (total < count && stream->error == NULL)
    {
      gsize want = (gsize) MIN (count - total, (sf_count_t) G_MAXSSIZE);
      gsize n;

      if (stream->pos < stream->consumed)
        {
          if (stream->pos >= (gint64) stream->head_len)
            {
              g_set_error (&stream->error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                           "the decoder needs to go back to byte %" G_GINT64_FORMAT
                           " of a pipe, which has passed",
                           stream->pos);
              break;
            }
          n = MIN (want, (gsize) ((gint64) stream->head_len - stream->pos));
          memcpy (out + total, stream->head + stream->pos, n);
          stream->pos += n;
          total += n;
          continue;
        }

      if (stream->eof)
        break;

      if (stream->pos > stream->consumed)
        {
          guint8 scratch[4096];
          gsize skip;

          /* While the header is probed, a parser that skips ahead (over a
           * WAV's data chunk, to look for chunks after it) finds nothing
           * there: skipping would consume the audio. */
          if (!stream->streaming)
            break;
          skip = (gsize) MIN ((gint64) sizeof scratch, stream->pos - stream->consumed);
          if (pipe_stream_pull (stream, scratch, skip) == 0)
            break;
          continue;
        }

      /* Reading straight on is allowed while probing (a FLAC's metadata
       * may hold a large picture), to a limit. */
      if (!stream->streaming)
        {
          if (stream->pos >= PROBE_BYTES)
            break;
          want = MIN (want, (gsize) (PROBE_BYTES - stream->pos));
        }
      n = pipe_stream_pull (stream, out + total, want);
      if (n == 0)
        break;
      stream->pos += n;
      total += n;
    }
  return total;
}

static sf_count_t
pipe_vio_tell (void *user_data)
{
  RcPipeStream *stream = user_data;

  return stream->pos;
}

SF_VIRTUAL_IO rc_pipe_stream_vio = {
  .get_filelen = pipe_vio_get_filelen,
  .seek = pipe_vio_seek,
  .read = pipe_vio_read,
  .write = rc_sndfile_vio_write_nothing,
  .tell = pipe_vio_tell,
};

