/* rc-inspect-text.h: CD-TEXT collected from the R-W of the lead-in.
 *
 * The lead-in's R-W carries CD-TEXT packs (cd-format.md §7, §9) or
 * whatever an R-W generator gave, or nothing.  Packs are decoded as they
 * come; whether the lead-in carries CD-TEXT at all is decided when it ends
 * (most non-zero packs valid), so that generator data in a lead-in without
 * CD-TEXT is not reported as a thousand broken packs.
 */
#pragma once

#include "rc-cdtext-decode.h"
#include "rc-inspect-log.h"

G_BEGIN_DECLS

typedef struct _RcInspectText RcInspectText;

RcInspectText *rc_inspect_text_new           (RcInspectLog *log);
void           rc_inspect_text_free          (RcInspectText *self);
/* The 96 R-W symbols of a lead-in sector (4 packs). */
void           rc_inspect_text_leadin_sector (RcInspectText *self, gint lba, const guint8 rw[96]);
/* The lead-in has ended: decides whether it carried CD-TEXT and reports
 * the packs that were broken.  Later calls do nothing. */
void           rc_inspect_text_leadin_done   (RcInspectText *self);
gboolean       rc_inspect_text_is_done       (const RcInspectText *self);
/* Lead-in packs whose CRC did not match (0 without CD-TEXT). */
guint64        rc_inspect_text_n_bad_packs   (const RcInspectText *self);
/* The decoded text, NULL without CD-TEXT, and its problems; then checks
 * that the blocks' track ranges are the disc's (report->tracks filled). */
RcCdTextDecoded *rc_inspect_text_finish      (RcInspectText         *self,
                                              const RcInspectReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcInspectText, rc_inspect_text_free)

G_END_DECLS
