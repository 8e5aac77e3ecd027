/* rc-inspect-rw.h: IS_RAW or IS_COOKED, told from the R-W of the program
 * area.
 *
 * Both forms store 2448-byte sectors.  IS_RAW carries the R-W packs as on
 * disc: every pack passes the CD+G parity checks once the interleave of
 * cd-format.md §8 is undone.  IS_COOKED carries the generator's packs as
 * given, which do not survive that.  The evidence is counted pack by pack
 * and judged at the end.
 */
#pragma once

#include "rc-cd.h"

G_BEGIN_DECLS

typedef struct {
  guint8  ring[8][24];   /* the last 8 packs as read */
  guint64 n_read;
  guint64 cooked_total, cooked_ok;  /* non-zero packs as read, and with valid parity */
  guint64 raw_total, raw_ok;        /* the same after undoing IS_RAW's interleave */
} RcInspectRw;

/* One pack of 24 six-bit symbols, in the order of the image. */
void        rc_inspect_rw_pack    (RcInspectRw *e, const guint8 pack[24]);
/* IS_RAW, IS_COOKED, or 0 with *why saying why neither can be told. */
RcImageType rc_inspect_rw_verdict (const RcInspectRw *e, const char **why);

G_END_DECLS
