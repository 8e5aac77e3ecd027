/* rc-inspect-private.h: what the pieces of the inspector share.
 *
 * rc-inspect.c reads the files, tells their format and checks what is
 * specific to a sector form (CRC convention, P bits, R-W); rc-inspect-q.c
 * follows the Q channel from sector to sector (time, tracks, indexes, TOC,
 * MCN, ISRC).  Both add problems to one RcInspectLog.
 */
#pragma once

#include "rc-inspect.h"
#include "rc-layout.h"  /* RcRegion */
#include "rc-msf.h"     /* RcMsf */

G_BEGIN_DECLS

typedef struct {
  GPtrArray *problems;   /* RcInspectProblem, at most max */
  guint      max;
  guint      n;          /* all problems, kept or not */
  guint      counts[RC_INSPECT_N_CHECKS];
} RcInspectLog;

void rc_inspect_log_init  (RcInspectLog *log, guint max);
void rc_inspect_log_clear (RcInspectLog *log);
void rc_inspect_log_add   (RcInspectLog      *log,
                           gint               lba,
                           RcInspectCheck     check,
                           RcInspectSeverity  severity,
                           const char        *format,
                           ...) G_GNUC_PRINTF (5, 6);

/* ---- the Q channel ---- */

/* Reads three bytes as a BCD M:S:F (seconds 0..59, frames 0..74); FALSE
 * when they are not one. */
gboolean    rc_inspect_msf_value (const guint8 b[3], RcMsf *msf);

typedef struct _RcInspectQ RcInspectQ;

/* first_lba: the LBA of the first sector fed (from its absolute time).
 * full_image: the file should hold the whole disc image of cd-format.md §2
 * (lead-in from 95:00:00, 6750 lead-out sectors). */
RcInspectQ *rc_inspect_q_new    (RcInspectLog *log, gint first_lba, gboolean full_image);
void        rc_inspect_q_free   (RcInspectQ *self);

/* Feeds the next sector's Q; crc_ok tells whether its content can be
 * trusted.  Returns the sector's LBA (from its absolute time or AFRAME, or
 * one past the previous sector's) and sets *region (from its TNO, or the
 * region of the sectors before it). */
gint        rc_inspect_q_sector (RcInspectQ   *self,
                                 const guint8  q[12],
                                 gboolean      crc_ok,
                                 RcRegion     *region);

/* Checks what needs the whole image (TOC against the program area, the
 * values most copies carry) and fills the report's tracks, lead-out, MCN
 * and TOC. */
void        rc_inspect_q_finish (RcInspectQ *self, RcInspectReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcInspectQ, rc_inspect_q_free)

G_END_DECLS
