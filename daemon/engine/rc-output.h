/* rc-output.h: one output descriptor of an image writer.
 *
 * Writes everything or fails with a message that says why and how far it
 * got.  A descriptor that can block indefinitely (a pipe whose reader
 * stalls, a socket, a device) is written only when poll() says it has
 * room, at most PIPE_BUF bytes at a time, while the cancellable is watched
 * too: so Cancel stops a job whatever its reader does.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  int      fd;
  gboolean can_block;
  guint64  written;
  guint64  total;      /* what will be written in all, for messages */
} RcOutput;

void     rc_output_init  (RcOutput *output, int fd, guint64 total);
gboolean rc_output_write (RcOutput      *output,
                          const guint8  *buf,
                          gsize          len,
                          GCancellable  *cancellable,
                          GError       **error);
/* As rc_output_write(); a descriptor that can block is also given up
 * (RC_ERROR_CANCELLED) when abort_fd (-1: none) becomes readable. */
gboolean rc_output_write_full (RcOutput      *output,
                               const guint8  *buf,
                               gsize          len,
                               GCancellable  *cancellable,
                               int            abort_fd,
                               GError       **error);

G_END_DECLS
