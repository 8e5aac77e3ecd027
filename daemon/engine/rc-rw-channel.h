/* rc-rw-channel.h: the R-W symbols of each sector of an image.
 *
 * The lead-in carries the CD-TEXT packs when the disc has CD-TEXT
 * (cd-format.md §7); every other sector carries the R-W generator's data
 * (§8), as given for IS_COOKED and after CD+G parity and interleave for
 * IS_RAW; what neither covers is zero.  PQ_ONLY images carry no R-W.
 */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

typedef struct _RcRwChannel RcRwChannel;

/* NULL when the image has no R-W data at all (every symbol zero). */
RcRwChannel *rc_rw_channel_new  (const RcLayout *layout, RcImageType type);
void         rc_rw_channel_free (RcRwChannel *channel);

/* The 96 symbols of each of `n` sectors from `lba` into out (n * 96).
 * Cheapest when called for consecutive runs, as writers do. */
gboolean     rc_rw_channel_fill (RcRwChannel *channel, gint lba, guint n,
                                 guint8 *out, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcRwChannel, rc_rw_channel_free)

G_END_DECLS
