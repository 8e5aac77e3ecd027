/* rcd-fd-check.h: checks of the descriptors clients pass.
 *
 * Only non-blocking calls (fcntl, fstat): they run on the main loop.  The
 * messages name the argument and what was found.
 */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

G_BEGIN_DECLS

/* The daemon's own duplicate (close-on-exec) of the descriptor a handle
 * argument refers to, or -1 with RC_ERROR_INVALID_ARGUMENT, or
 * RCD_ERROR_LIMIT_EXCEEDED when the service itself is out of descriptors
 * (EMFILE, ENFILE). */
int      rcd_fd_take       (GUnixFDList  *fd_list,
                            GVariant     *handle,
                            const char   *arg_name,
                            GError      **error);

/* Audio to read: open for reading; a regular file (memfd
 * included) or a pipe. */
gboolean rcd_fd_check_input  (int fd, const char *arg_name, GError **error);

/* A file read with positioned reads (R-W generator, an image to inspect):
 * open for reading; a regular file (memfd included), not a pipe. */
gboolean rcd_fd_check_file   (int fd, const char *arg_name, GError **error);

/* An image to write: open for writing; anything but a directory. */
gboolean rcd_fd_check_output (int fd, const char *arg_name, GError **error);

/* One of the checks above. */
typedef gboolean (*RcdFdCheckFunc) (int fd, const char *arg_name, GError **error);

/* rcd_fd_take() followed by check: the descriptor, or -1 with the
 * descriptor closed again. */
int      rcd_fd_take_checked (GUnixFDList     *fd_list,
                              GVariant        *handle,
                              const char      *arg_name,
                              RcdFdCheckFunc   check,
                              GError         **error);

G_END_DECLS
