/* rc-subchannel.h: the P and Q subchannel of every sector of the full image
 * (cd-format.md §3, §4, §6, §7), as pure functions of the layout and LBA. */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

/* The 12 Q bytes of a sector with the CRC inverted, as on disc. */
void     rc_subchannel_q (const RcLayout *layout, gint lba, guint8 q[12]);

/* The P bit of a sector (the Red Book flag delayed by one sector). */
gboolean rc_subchannel_p (const RcLayout *layout, gint lba);

/* The 16-byte PQ_ONLY form: Q with the CRC not inverted, 0x80 if P. */
void     rc_subchannel_pack16 (const guint8 q[12], gboolean p, guint8 out[16]);

/* The 96-byte interleaved form: P and Q in bits 7 and 6 of each byte, the
 * R-W symbols (6 bits each, 96 of them, or NULL for zero) in bits 5..0. */
void     rc_subchannel_pack96 (const guint8 q[12], gboolean p,
                               const guint8 *rw_symbols, guint8 out[96]);

G_END_DECLS
