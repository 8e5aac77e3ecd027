/* rcd-fd-check.c: what a client's descriptor is and whether it may be used. */
#define _GNU_SOURCE  /* O_PATH */
#include "rcd-fd-check.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc-error.h"
#include "rcd-error.h"

static const char *
describe_mode (mode_t mode, int fd)
{
  if (S_ISREG (mode))
    return "a regular file";
  if (S_ISFIFO (mode))
    return "a pipe";
  if (S_ISDIR (mode))
    return "a directory";
  if (S_ISSOCK (mode))
    return "a socket";
  if (S_ISCHR (mode))
    return isatty (fd) ? "a terminal" : "a character device";
  if (S_ISBLK (mode))
    return "a block device";
  return "of an unknown kind";
}

static gboolean
stat_fd (int fd, const char *arg_name, struct stat *st, int *flags, GError **error)
{
  *flags = fcntl (fd, F_GETFL);
  if (*flags < 0 || fstat (fd, st) < 0)
    {
      int errsv = errno;
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "descriptor for argument '%s' cannot be examined: %s",
                   arg_name, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

int
rcd_fd_take (GUnixFDList  *fd_list,
             GVariant     *handle,
             const char   *arg_name,
             GError      **error)
{
  gint32 index = g_variant_get_handle (handle);
  gint n_fds = fd_list != NULL ? g_unix_fd_list_get_length (fd_list) : 0;
  g_autoptr(GError) local_error = NULL;
  int fd;

  if (index < 0 || index >= n_fds)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "argument '%s' refers to descriptor %d of the message, "
                   "but the message carries %d descriptor%s",
                   arg_name, index, n_fds, n_fds == 1 ? "" : "s");
      return -1;
    }

  /* g_unix_fd_list_get() dups with F_DUPFD_CLOEXEC: the daemon keeps its
   * own descriptor whatever the client does with its copy. */
  fd = g_unix_fd_list_get (fd_list, index, &local_error);
  if (fd < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
    {
      /* The service's fault, not the client's: say so. */
      g_set_error (error, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED,
                   "the service has run out of file descriptors and cannot take "
                   "the one for argument '%s' (%s); try again later",
                   arg_name, local_error->message);
      return -1;
    }
  if (fd < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "descriptor for argument '%s' cannot be duplicated: %s",
                   arg_name, local_error->message);
      return -1;
    }
  return fd;
}

/* Open for reading (not O_PATH, not write-only). */
static gboolean
check_readable (int fd, const char *arg_name, struct stat *st, GError **error)
{
  int flags;

  if (!stat_fd (fd, arg_name, st, &flags, error))
    return FALSE;

  if ((flags & O_PATH) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "descriptor for argument '%s' was opened with O_PATH; "
                   "open the file for reading", arg_name);
      return FALSE;
    }

  if ((flags & O_ACCMODE) != O_RDONLY && (flags & O_ACCMODE) != O_RDWR)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "descriptor for argument '%s' is not open for reading "
                   "(it was opened write-only)", arg_name);
      return FALSE;
    }
  return TRUE;
}

gboolean
rcd_fd_check_file (int fd, const char *arg_name, GError **error)
{
  struct stat st;

  if (!check_readable (fd, arg_name, &st, error))
    return FALSE;

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "descriptor for argument '%s' is %s; pass a regular file "
                   "(or memfd) open for reading: it is read with positioned "
                   "reads", arg_name, describe_mode (st.st_mode, fd));
      return FALSE;
    }
  return TRUE;
}

gboolean
rcd_fd_check_input (int fd, const char *arg_name, GError **error)
{
  struct stat st;

  if (!check_readable (fd, arg_name, &st, error))
    return FALSE;

  if (!S_ISREG (st.st_mode) && !S_ISFIFO (st.st_mode))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "descriptor for argument '%s' is %s; pass a regular file "
                   "or a pipe", arg_name, describe_mode (st.st_mode, fd));
      return FALSE;
    }
  return TRUE;
}

gboolean
rcd_fd_check_output (int fd, const char *arg_name, GError **error)
{
  struct stat st;
  int flags;

  if (!stat_fd (fd, arg_name, &st, &flags, error))
    return FALSE;

  if ((flags & O_ACCMODE) != O_WRONLY && (flags & O_ACCMODE) != O_RDWR)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "descriptor for argument '%s' is not open for writing "
                   "(it was opened read-only)", arg_name);
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "descriptor for argument '%s' is a directory; pass a file, "
                   "a pipe or a character device open for writing", arg_name);
      return FALSE;
    }
  return TRUE;
}

int
rcd_fd_take_checked (GUnixFDList     *fd_list,
                     GVariant        *handle,
                     const char      *arg_name,
                     RcdFdCheckFunc   check,
                     GError         **error)
{
  int fd = rcd_fd_take (fd_list, handle, arg_name, error);

  if (fd >= 0 && !check (fd, arg_name, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}
