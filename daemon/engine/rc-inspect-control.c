/* rc-inspect-control.c: the CONTROL bits of each track and of the lead-out
 * (§4): constant within a track but for the copy bit, which under SCMS
 * alternates as §4 pins it. */
#include "rc-inspect-q-private.h"

/* PINNED §4: under SCMS the copy bit is set iff ((LBA + 150) / 4) % 2 == 1. */
static gboolean
scms_copy_bit (gint lba)
{
  return ((lba + 150) / 4) % 2 == 1;
}

RcCopySetting
rc_inspect_control_copy (const ControlState *cs)
{
  if (cs->n_copy_set > 0 && cs->n_copy_clear > 0)
    return RC_COPY_SCMS;
  return cs->n_copy_set > 0 ? RC_COPY_PERMITTED : RC_COPY_PROHIBITED;
}

/* CONTROL as a lead-in TOC entry carries it: the copy bit clear under SCMS. */
guint8
rc_inspect_control_toc_form (const ControlState *cs)
{
  return (guint8) (cs->control | (rc_inspect_control_copy (cs) == RC_COPY_PERMITTED ? CONTROL_COPY : 0));
}

/* ---- CONTROL ---- */

/* "track N", or "the lead-out" for track NULL: only for messages, which
 * are rare, so it is not formatted for every sector. */
static const char *
control_owner (const TrackState *track, char buf[32])
{
  if (track == NULL)
    return "the lead-out";
  g_snprintf (buf, 32, "track %u", track->info.number);
  return buf;
}

static void
control_sector (RcInspectQ *self, ControlState *cs, gint lba, guint8 control, const TrackState *track)
{
  char what[32];
  gboolean copy = (control & CONTROL_COPY) != 0;
  guint8 rest = control & ~CONTROL_COPY;

  if (copy)
    cs->n_copy_set++;
  else
    cs->n_copy_clear++;
  if (copy != scms_copy_bit (lba) && cs->n_not_scms++ == 0)
    cs->first_not_scms = lba;

  if (!cs->have)
    {
      cs->have = TRUE;
      cs->control = rest;
      if ((rest & 0xC) != 0)
        rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_CONTROL, RC_INSPECT_SEVERITY_ERROR,
                            "%s has CONTROL %X: %s, not two-channel audio (§4)",
                            control_owner (track, what), control,
                            (rest & 0x4) ? "a data track" : "four-channel audio");
      return;
    }
  if (rest != cs->control && !cs->reported)
    {
      cs->reported = TRUE;
      rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_CONTROL, RC_INSPECT_SEVERITY_ERROR,
                          "%s: CONTROL %X here, %X in its earlier sectors (only the copy bit may change, "
                          "under SCMS)", control_owner (track, what), control,
                          cs->control | (copy ? CONTROL_COPY : 0));
    }
}

/* SCMS is told from the copy bit changing; it must change as §4 pins it. */
void
rc_inspect_control_finish (RcInspectQ *self, const ControlState *cs, const char *what)
{
  if (rc_inspect_control_copy (cs) != RC_COPY_SCMS || cs->n_not_scms == 0)
    return;
  rc_inspect_log_add (self->log, cs->first_not_scms, RC_INSPECT_CHECK_CONTROL, RC_INSPECT_SEVERITY_ERROR,
                      "%s: the copy bit alternates (SCMS) but in %u sectors not as §4 pins it "
                      "(set iff ((LBA + 150) / 4) %% 2 == 1)", what, cs->n_not_scms);
}

void
rc_inspect_control_sector_here (RcInspectQ *self, gint lba, guint8 control)
{
  TrackState *cur = rc_inspect_q_current_track (self);

  if (self->region == RC_REGION_LEADOUT)
    {
      control_sector (self, &self->leadout_control, lba, control, NULL);
      return;
    }
  if (self->region != RC_REGION_PROGRAM || cur == NULL)
    return;
  control_sector (self, &cur->control, lba, control, cur);
}

