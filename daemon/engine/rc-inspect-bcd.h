/* rc-inspect-bcd.h: BCD numbers and times of a Q, read defensively.
 *
 * An image may hold any byte: each reader says whether the bytes were what
 * the Q format allows, and never trusts them otherwise.
 */
#pragma once

#include "rc-inspect.h"
#include "rc-msf.h"

G_BEGIN_DECLS

/* One BCD byte 00..99; FALSE when a nibble is over 9. */
gboolean rc_inspect_bcd_value (guint8 b, guint *v);

/* Three bytes as a BCD M:S:F (seconds 0..59, frames 0..74); FALSE when
 * they are not one. */
gboolean rc_inspect_msf_value (const guint8 b[3], RcMsf *msf);

/* A relative time (a count of sectors); FALSE when not a BCD M:S:F. */
gboolean rc_inspect_rel_value (const guint8 *b, gint *sectors);

/* A count of sectors as "MM:SS:FF" (negative counts as "-N"). */
void     rc_inspect_rel_string (gint sectors, char out[RC_INSPECT_MSF_LEN]);

G_END_DECLS
