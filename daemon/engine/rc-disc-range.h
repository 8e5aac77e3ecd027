/* rc-disc-range.h: ranges of streams, for rc-disc.c only: where a range
 * lies in its stream, whether two of one file overlap, and how a frame
 * count reads in the errors that name them. */
#pragma once

#include "rc-disc.h"

G_BEGIN_DECLS

/* "441000 frames (00:10:00)", or "441001 frames (00:10:00 and 1 frame)":
 * the count and the CD time it covers, as CUE sheets write them.  Caller
 * frees. */
char     *rc_range_describe_frames (gint64 frames);

/* The first frame and the length of `range` (NULL: the whole stream) in a
 * stream of `total` frames; RC_ERROR_INVALID_ARGUMENT naming the numbers
 * when it does not lie inside the stream. */
gboolean  rc_range_resolve         (const RcStreamRange *range, gint64 total,
                                    gint64 *first, gint64 *frames, GError **error);

/* Whether two streams are known to be the same file. */
gboolean  rc_range_same_file       (const RcStreamId *a, const RcStreamId *b);

/* RC_ERROR_INVALID_ARGUMENT when frames first..first+frames-1 overlap
 * those of `other` (named in the message, e.g. "track 2"). */
gboolean  rc_range_check_overlap   (gint64 first, gint64 frames,
                                    gint64 other_first, gint64 other_frames,
                                    const char *other, GError **error);

G_END_DECLS
