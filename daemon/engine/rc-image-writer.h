/* rc-image-writer.h: streams a full image to a file descriptor.
 *
 * Memory use is bounded by one batch buffer, whatever the image size.
 * Blocking: run it on a worker thread.
 */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

/* Called after each batch; sectors_written out of total_sectors. */
typedef void (*RcProgressFunc) (guint64 sectors_written,
                                guint64 total_sectors,
                                guint64 bytes_written,
                                gpointer user_data);

/* Writes the image from LBA -22650 through the lead-out.  Errors:
 * RC_ERROR_CANCELLED, RC_ERROR_UNSUPPORTED_AUDIO (a stream that ends early),
 * RC_ERROR_FAILED (a write that failed: the message says why and after how
 * many bytes). */
gboolean rc_image_write (RcLayout       *layout,
                         RcImageType     type,
                         int             fd,
                         RcProgressFunc  progress,
                         gpointer        user_data,
                         GCancellable   *cancellable,
                         GError        **error);

G_END_DECLS
