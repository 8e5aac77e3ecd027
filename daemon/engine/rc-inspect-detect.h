/* rc-inspect-detect.h: what an image file is and where it starts.
 *
 * Nothing in a raw image says its sector size: the inspector reads the
 * first sectors in each form the input allows and keeps the form in which
 * most of them hold a plausible Q (file size decides a tie).  The LBA of
 * the first sector then comes from the first absolute time read.
 */
#pragma once

#include "rc-inspect-log.h"
#include "rc-inspect-read.h"

G_BEGIN_DECLS

/* Tells the format of image_fd (a full image) or of image_fd with its .sub
 * sub_fd (sub_fd >= 0), and the LBA of its first sector.  What is odd but
 * readable (a size that is not whole sectors, no absolute time to start
 * from) goes to the log; what cannot be an image is RC_ERROR_INVALID_ARGUMENT. */
gboolean rc_inspect_detect (int               image_fd,
                            int               sub_fd,
                            RcInspectLog     *log,
                            RcInspectFormat  *fmt,
                            gint             *origin,
                            GError          **error);

G_END_DECLS
