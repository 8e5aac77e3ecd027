/* rc-inspect-toc.c: the lead-in TOC (§7): each entry tallied over its
 * copies, then checked against the others and against the program area. */
#include "rc-inspect-q-private.h"

#include "rc-inspect-bcd.h"
#include "rc-msf.h"

/* ---- the lead-in (§7) ---- */

static gboolean
valid_point (guint8 point)
{
  guint v;

  if (point == 0xA0 || point == 0xA1 || point == 0xA2)
    return TRUE;
  return rc_inspect_bcd_value (point, &v) && v >= 1 && v <= RC_MAX_TRACK_NUMBER;
}

void
rc_inspect_toc_entry (RcInspectQ *self, gint lba, const guint8 q[12])
{
  guint8 point = q[2];
  guint8 key[4] = { q[0] >> 4, q[7], q[8], q[9] };

  if (self->region != RC_REGION_LEADIN)
    {
      rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                          "a lead-in TOC entry (TNO 00, POINT %02X) after the program area began", point);
      return;
    }
  if (lba >= PROGRAM_LBA)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                        "a lead-in TOC entry (TNO 00, POINT %02X) at LBA %d; the lead-in ends at LBA -151 (§2)",
                        point, lba);
  if (!self->has_leadin)
    {
      self->has_leadin = TRUE;
      self->leadin_first_lba = lba;
    }
  if (!valid_point (point))
    {
      if (!self->point_reported[point])
        rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_TOC, RC_INSPECT_SEVERITY_ERROR,
                            "lead-in entry with POINT %02X: an audio CD's TOC has tracks 01..99, A0, A1 "
                            "and A2 (§7)", point);
      self->point_reported[point] = TRUE;
      return;
    }
  if (self->points[point] == NULL)
    self->points[point] = g_new0 (RcTally, 1);
  rc_tally_add (self->points[point], key, sizeof key, lba);
}

static void
toc_entry_from (RcInspectTocEntry *e, guint8 point, const RcTallyValue *v)
{
  RcMsf msf;
  guint n = 0;

  e->point = point;
  e->control = v->key[0];
  e->pmin = v->key[1];
  e->psec = v->key[2];
  e->pframe = v->key[3];
  e->copies = v->count;
  e->lba = NO_LBA;
  if (point == 0xA0 || point == 0xA1)
    {
      e->track = rc_inspect_bcd_value (e->pmin, &n) ? n : 0;
      return;
    }
  if (point != 0xA2)
    e->track = rc_from_bcd (point);
  if (rc_inspect_msf_value (v->key + 1, &msf))
    e->lba = rc_msf_to_lba (msf);
}

/* Copies of an entry that disagree with most of its copies. */
static void
report_odd_entries (RcInspectQ *self, guint8 point, const RcTally *t, const RcTallyValue *major)
{
  for (guint i = 0; i < t->values->len; i++)
    {
      const RcTallyValue *v = &g_array_index (t->values, RcTallyValue, i);

      if (v == major)
        continue;
      for (guint k = 0; k < v->n_lbas; k++)
        rc_inspect_log_add (self->log, v->lbas[k], RC_INSPECT_CHECK_TOC, RC_INSPECT_SEVERITY_ERROR,
                            "lead-in entry %02X reads CONTROL %X PMSF %02X:%02X:%02X here, CONTROL %X PMSF "
                            "%02X:%02X:%02X in %u other sectors: every copy of an entry must be the same",
                            point, v->key[0], v->key[1], v->key[2], v->key[3],
                            major->key[0], major->key[1], major->key[2], major->key[3], major->count);
    }
  if (t->n_dropped > 0)
    rc_inspect_log_add (self->log, t->dropped_lba, RC_INSPECT_CHECK_TOC, RC_INSPECT_SEVERITY_ERROR,
                        "lead-in entry %02X: %u more sectors with yet other values", point, t->n_dropped);
}

static const RcInspectTocEntry *
find_entry (const RcInspectReport *report, guint8 point)
{
  for (guint i = 0; i < report->n_toc; i++)
    if (report->toc[i].point == point)
      return &report->toc[i];
  return NULL;
}

static void
compare_track_entry (RcInspectQ *self, const RcInspectReport *report, const RcInspectTrack *t)
{
  const RcInspectTocEntry *e = find_entry (report, rc_bcd (t->number));
  gint where = t->start_lba != NO_LBA ? t->start_lba : t->pregap_lba;
  char toc[RC_INSPECT_MSF_LEN], prog[RC_INSPECT_MSF_LEN];

  if (e == NULL)
    {
      rc_inspect_log_add (self->log, where, RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                          "track %u is not in the lead-in TOC (§7)", t->number);
      return;
    }
  if (e->lba != t->start_lba)
    {
      rc_inspect_msf_string (e->lba, toc);
      rc_inspect_msf_string (t->start_lba, prog);
      rc_inspect_log_add (self->log, where, RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                          "the lead-in TOC puts track %u at %02X:%02X:%02X (LBA %d); its index 1 begins at "
                          "%s (LBA %d)", t->number, e->pmin, e->psec, e->pframe, e->lba, prog, t->start_lba);
    }
  if (e->control != t->control)
    rc_inspect_log_add (self->log, where, RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                        "the lead-in TOC gives track %u CONTROL %X; its sectors say %X "
                        "(§7: the track's own, the copy bit clear under SCMS)", t->number, e->control, t->control);
}

static void
compare_disc_entries (RcInspectQ *self, const RcInspectReport *report)
{
  const RcInspectTocEntry *a0 = find_entry (report, 0xA0);
  const RcInspectTocEntry *a1 = find_entry (report, 0xA1);
  const RcInspectTocEntry *a2 = find_entry (report, 0xA2);
  const RcInspectTrack *first = &report->tracks[0];
  const RcInspectTrack *last = &report->tracks[report->n_tracks - 1];
  gint where = first->pregap_lba != NO_LBA ? first->pregap_lba : first->start_lba;

  if (a0 != NULL && (a0->track != first->number || a0->control != first->control))
    rc_inspect_log_add (self->log, where, RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                        "lead-in A0 says first track %02X with CONTROL %X; the program area begins with "
                        "track %u, CONTROL %X", a0->pmin, a0->control, first->number, first->control);
  if (a0 != NULL && (a0->psec != 0x00 || a0->pframe != 0x00))
    rc_inspect_log_add (self->log, NO_LBA, RC_INSPECT_CHECK_TOC, RC_INSPECT_SEVERITY_ERROR,
                        "lead-in A0 PSEC/PFRAME %02X/%02X, expected 00/00 (disc type CD-DA, §7)",
                        a0->psec, a0->pframe);
  if (a1 != NULL && (a1->track != last->number || a1->control != last->control))
    rc_inspect_log_add (self->log, last->start_lba, RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                        "lead-in A1 says last track %02X with CONTROL %X; the program area ends with "
                        "track %u, CONTROL %X", a1->pmin, a1->control, last->number, last->control);
  if (a2 != NULL && self->leadout_lba != NO_LBA && a2->lba != self->leadout_lba)
    rc_inspect_log_add (self->log, self->leadout_lba, RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                        "lead-in A2 puts the lead-out at %02X:%02X:%02X (LBA %d); it begins at LBA %d",
                        a2->pmin, a2->psec, a2->pframe, a2->lba, self->leadout_lba);
  if (a2 != NULL && a2->control != last->control)
    rc_inspect_log_add (self->log, NO_LBA, RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                        "lead-in A2 has CONTROL %X; the last track's is %X (§7)", a2->control, last->control);
}

void
rc_inspect_toc_finish (RcInspectQ *self, RcInspectReport *report)
{
  static const guint8 required[] = { 0xA0, 0xA1, 0xA2 };

  guint n = 0;

  for (guint p = 0; p < G_N_ELEMENTS (self->points); p++)
    n += self->points[p] != NULL;
  report->toc = g_new0 (RcInspectTocEntry, MAX (n, 1));
  if (!self->has_leadin)
    return;
  /* in POINT order: tracks 01..99, then A0, A1, A2 */
  for (guint p = 0; p < G_N_ELEMENTS (self->points); p++)
    {
      const RcTallyValue *major;

      if (self->points[p] == NULL)
        continue;
      major = rc_tally_majority (self->points[p]);
      toc_entry_from (&report->toc[report->n_toc++], (guint8) p, major);
      report_odd_entries (self, (guint8) p, self->points[p], major);
    }
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (find_entry (report, required[i]) == NULL)
      rc_inspect_log_add (self->log, self->leadin_first_lba, RC_INSPECT_CHECK_TOC, RC_INSPECT_SEVERITY_ERROR,
                          "the lead-in has no %02X entry (§7)", required[i]);
  if (report->n_tracks == 0)
    return;

  for (guint i = 0; i < report->n_tracks; i++)
    compare_track_entry (self, report, &report->tracks[i]);
  for (guint i = 0; i < report->n_toc; i++)
    {
      const RcInspectTocEntry *e = &report->toc[i];

      if (e->point >= 0xA0 || rc_inspect_report_get_track (report, e->track) != NULL)
        continue;
      rc_inspect_log_add (self->log, rc_tally_majority (self->points[e->point])->lbas[0],
                          RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                          "the lead-in TOC lists track %u, which the program area does not have", e->track);
    }
  compare_disc_entries (self, report);
}

