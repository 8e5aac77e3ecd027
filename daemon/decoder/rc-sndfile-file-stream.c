/* rc-sndfile-file-stream.c: libsndfile's virtual I/O over a seekable
 * descriptor, by positioned reads. */
#define _GNU_SOURCE
#include "rc-sndfile-private.h"

#include "rc-audio-pcm.h"

#include <errno.h>
#include <unistd.h>

static sf_count_t
file_vio_get_filelen (void *user_data)
{
  RcFileStream *stream = user_data;

  return rc_audio_fd_length (stream->fd);
}

static sf_count_t
file_vio_seek (sf_count_t offset, int whence, void *user_data)
{
  RcFileStream *stream = user_data;
  gint64 base;

  switch (whence)
    {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = stream->pos;
      break;
    case SEEK_END:
      base = rc_audio_fd_length (stream->fd);
      break;
    default:
      return -1;
    }
  if (base < 0 || (offset > 0 && base > G_MAXINT64 - offset) || base + offset < 0)
    return -1;
  stream->pos = base + offset;
  return stream->pos;
}

static sf_count_t
file_vio_read (void *ptr, sf_count_t count, void *user_data)
{
  RcFileStream *stream = user_data;
  sf_count_t total = 0;

  if (stream->in_open)
    g_mutex_unlock (&rc_sndfile_lock);
  while (total < count && stream->read_errno == 0)
    {
      gsize want = (gsize) MIN (count - total, (sf_count_t) G_MAXSSIZE);
      gssize n = pread (stream->fd, (guint8 *) ptr + total, want, stream->pos);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          stream->read_errno = errno;
          break;
        }
      if (n == 0)
        break;
      total += n;
      stream->pos += n;
    }
  if (stream->in_open)
    g_mutex_lock (&rc_sndfile_lock);
  return total;
}

sf_count_t
rc_sndfile_vio_write_nothing (const void *ptr, sf_count_t count, void *user_data)
{
  return 0;  /* sources are read only */
}

static sf_count_t
file_vio_tell (void *user_data)
{
  RcFileStream *stream = user_data;

  return stream->pos;
}

SF_VIRTUAL_IO rc_file_stream_vio = {
  .get_filelen = file_vio_get_filelen,
  .seek = file_vio_seek,
  .read = file_vio_read,
  .write = rc_sndfile_vio_write_nothing,
  .tell = file_vio_tell,
};

