/* rc-output.c: writing all of a buffer, or saying why not. */
#include "rc-output.h"
#include "rc-error.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

void
rc_output_init (RcOutput *output, int fd, guint64 total)
{
  struct stat st;

  output->fd = fd;
  output->written = 0;
  output->total = total;
  /* Regular files and block devices never wait on another process. */
  output->can_block = fstat (fd, &st) < 0 || !(S_ISREG (st.st_mode) || S_ISBLK (st.st_mode));
}

static void
set_write_error (RcOutput *output, int saved, GError **error)
{
  const char *why;

  switch (saved)
    {
    case ENOSPC:
    case EDQUOT:
      why = "no space left for the image";
      break;
    case EPIPE:
      why = "the reader of the output went away";
      break;
    case EBADF:
      why = "the output is not open for writing";
      break;
    default:
      why = g_strerror (saved);
    }
  g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
               "%s after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
               why, output->written, output->total);
}

/* Waits until fd takes data, the cancellable fires or abort_fd becomes
 * readable; FALSE for the two last. */
static gboolean
wait_for_room (RcOutput *output, GPollFD *cancel, int abort_fd, GError **error)
{
  GPollFD fds[3] = { { output->fd, G_IO_OUT, 0 } };
  guint n = 1;
  gboolean cancelled = FALSE;

  if (cancel != NULL)
    fds[n++] = *cancel;
  if (abort_fd >= 0)
    fds[n++] = (GPollFD) { abort_fd, G_IO_IN, 0 };
  while (g_poll (fds, n, -1) < 0 && errno == EINTR)
    ;
  for (guint i = 1; i < n; i++)
    cancelled |= fds[i].revents != 0;
  if (cancelled)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_CANCELLED,
                   "cancelled after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
                   output->written, output->total);
      return FALSE;
    }
  /* POLLERR/POLLHUP: the write below reports what happened. */
  return TRUE;
}

gboolean
rc_output_write (RcOutput *output, const guint8 *buf, gsize len,
                 GCancellable *cancellable, GError **error)
{
  return rc_output_write_full (output, buf, len, cancellable, -1, error);
}

gboolean
rc_output_write_full (RcOutput *output, const guint8 *buf, gsize len,
                      GCancellable *cancellable, int abort_fd, GError **error)
{
  GPollFD cancel;
  gboolean watch = output->can_block && g_cancellable_make_pollfd (cancellable, &cancel);
  gboolean ok = TRUE;

  while (ok && len > 0)
    {
      gssize n;

      if (output->can_block
          && !wait_for_room (output, watch ? &cancel : NULL, abort_fd, error))
        {
          ok = FALSE;
          break;
        }
      /* After POLLOUT a write of up to PIPE_BUF bytes does not block. */
      n = write (output->fd, buf, output->can_block ? MIN (len, PIPE_BUF) : len);
      if (n < 0)
        {
          if (errno == EINTR || errno == EAGAIN)
            continue;
          set_write_error (output, errno, error);
          ok = FALSE;
          break;
        }
      buf += n;
      len -= (gsize) n;
      output->written += (guint64) n;
    }
  if (watch)
    g_cancellable_release_fd (cancellable);
  return ok;
}
