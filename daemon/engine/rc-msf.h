/* rc-msf.h: BCD and minute:second:frame conversions (cd-format.md §1). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint8 m, s, f;
} RcMsf;

/* 0..99 to packed BCD (0x00..0x99). */
static inline guint8
rc_bcd (guint v)
{
  return (guint8) (((v / 10) << 4) | (v % 10));
}

static inline guint
rc_from_bcd (guint8 b)
{
  return (b >> 4) * 10 + (b & 0x0f);
}

/* A count of sectors as M:S:F (relative times, durations). */
RcMsf rc_msf_from_sectors (guint sectors);
guint rc_msf_to_sectors   (RcMsf msf);

/* The absolute time of an LBA: LBA + 150, or LBA + 450150 in the lead-in
 * (LBA < -150), so 95:00:00 is -22650 and 99:59:74 is -151. */
RcMsf rc_msf_from_lba (gint lba);
gint  rc_msf_to_lba   (RcMsf msf);

G_END_DECLS
