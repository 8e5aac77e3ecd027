/* rc-inspect-q.h: the Q channel of an image followed from sector to sector
 * (time, tracks, indexes, lead-in TOC, MCN, ISRC).
 */
#pragma once

#include "rc-inspect-log.h"
#include "rc-layout.h"  /* RcRegion */

G_BEGIN_DECLS

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
