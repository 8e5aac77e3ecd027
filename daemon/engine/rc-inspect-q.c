/* rc-inspect-q.c: the Q channel of an image followed from sector to sector.
 *
 * Nothing is known in advance: each sector's LBA comes from its own
 * absolute time (mode 1) or AFRAME (modes 2 and 3), and a sector whose time
 * is not the one after the previous sector's is a dropped or repeated
 * sector.  The checker then resynchronises on the time it read, so that one
 * dropped sector is one problem and not a problem in every later sector.
 * Tracks and indexes are learnt from their first sector; relative times
 * are checked against where the Q itself says its index began (so that a
 * producer whose times are off by one gets one problem per index, not one
 * per sector).
 *
 * Values that many sectors repeat (lead-in TOC entries, the MCN, each
 * track's ISRC) are tallied: the value most copies carry is the image's,
 * the others are reported at their LBAs when the image has been read.
 *
 * Rules are those of docs/cd-format.md (section numbers in messages).
 */
#include "rc-inspect-q-private.h"

#include "rc-inspect-bcd.h"
#include "rc-msf.h"

#include <string.h>

TrackState *
rc_inspect_q_current_track (RcInspectQ *self)
{
  if (self->tracks->len == 0)
    return NULL;
  return &g_array_index (self->tracks, TrackState, self->tracks->len - 1);
}

static void
track_state_clear (gpointer data)
{
  TrackState *t = data;

  rc_tally_clear (&t->isrc);
}

RcInspectQ *
rc_inspect_q_new (RcInspectLog *log, gint first_lba, gboolean full_image)
{
  RcInspectQ *self = g_new0 (RcInspectQ, 1);

  self->log = log;
  self->full_image = full_image;
  self->first_lba = first_lba;
  self->expect = first_lba;
  self->last_lba = first_lba - 1;
  self->last_pos_lba = NO_LBA;
  self->leadin_first_lba = NO_LBA;
  /* a file without a lead-in (a BIN) starts in the program area */
  self->region = first_lba < PROGRAM_LBA ? RC_REGION_LEADIN : RC_REGION_PROGRAM;
  self->program_lba = first_lba < PROGRAM_LBA ? NO_LBA : first_lba;
  self->tracks = g_array_new (FALSE, TRUE, sizeof (TrackState));
  g_array_set_clear_func (self->tracks, track_state_clear);
  self->pregap_end = NO_LBA;
  self->leadout_lba = NO_LBA;
  self->last_mcn_lba = NO_LBA;
  self->code_since_pos = NO_LBA;
  self->transition_code_lba = NO_LBA;

  if (full_image && first_lba != RC_LEADIN_START_LBA)
    {
      char msf[RC_INSPECT_MSF_LEN];

      rc_inspect_msf_string (first_lba, msf);
      rc_inspect_log_add (log, first_lba, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                          "the image starts at %s (LBA %d); a full image starts at 95:00:00 "
                          "(LBA -22650, §2)", msf, first_lba);
    }
  return self;
}

void
rc_inspect_q_free (RcInspectQ *self)
{
  if (self == NULL)
    return;
  for (guint p = 0; p < G_N_ELEMENTS (self->points); p++)
    {
      if (self->points[p] == NULL)
        continue;
      rc_tally_clear (self->points[p]);
      g_free (self->points[p]);
    }
  rc_tally_clear (&self->mcn);
  g_array_unref (self->tracks);
  g_free (self);
}

/* ---- where a sector lies in time ---- */

/* The time read says `found`, the sector was expected at self->expect. */
static void
report_jump (RcInspectQ *self, gint found, const char *what)
{
  gint expect = self->expect;
  char want[RC_INSPECT_MSF_LEN], got[RC_INSPECT_MSF_LEN];

  rc_inspect_msf_string (expect, want);
  rc_inspect_msf_string (found, got);
  if (found > expect)
    rc_inspect_log_add (self->log, expect, RC_INSPECT_CHECK_TIME, RC_INSPECT_SEVERITY_ERROR,
                        "%s %s (LBA %d) where %s was due: %d sector%s missing (LBA %d to %d)",
                        what, got, found, want, found - expect, found - expect == 1 ? "" : "s",
                        expect, found - 1);
  else if (found == expect - 1)
    rc_inspect_log_add (self->log, found, RC_INSPECT_CHECK_TIME, RC_INSPECT_SEVERITY_ERROR,
                        "%s %s (LBA %d) again, where %s was due: a duplicated sector",
                        what, got, found, want);
  else
    rc_inspect_log_add (self->log, found, RC_INSPECT_CHECK_TIME, RC_INSPECT_SEVERITY_ERROR,
                        "%s goes back to %s (LBA %d) where %s was due: %d sectors repeated",
                        what, got, found, want, expect - found);
}

/* Mode 1: the absolute time, in bytes 3-5 of a lead-in entry (TNO 00, §7)
 * and in bytes 7-9 elsewhere (§4). */
static gint
place_by_time (RcInspectQ *self, const guint8 q[12])
{
  const guint8 *amsf = q[1] == 0x00 ? q + 3 : q + 7;
  RcMsf msf;
  gint found;

  if (!rc_inspect_msf_value (amsf, &msf))
    {
      rc_inspect_log_add (self->log, self->expect, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                          "absolute time %02X:%02X:%02X is not a valid BCD time",
                          amsf[0], amsf[1], amsf[2]);
      return self->expect;
    }
  /* minutes 90..99 are the lead-in (§1) */
  found = rc_msf_to_lba (msf);
  if (found != self->expect)
    report_jump (self, found, "absolute time");
  return found;
}

/* Modes 2 and 3 carry only the frame of the absolute time: enough to see a
 * sector or two dropped or repeated, taken as the smallest jump. */
static gint
place_by_aframe (RcInspectQ *self, const guint8 q[12])
{
  guint f;
  gint due = ((self->expect + 150) % 75 + 75) % 75;  /* lead-in: +450150 is the same modulo 75 */
  gint d;

  if (!rc_inspect_bcd_value (q[9], &f) || f > 74)
    {
      rc_inspect_log_add (self->log, self->expect, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                          "AFRAME %02X (mode %u) is not a BCD frame 00..74", q[9], q[0] & 0x0f);
      return self->expect;
    }
  d = (((gint) f - due) % 75 + 75 + 37) % 75 - 37;
  if (d == 0)
    return self->expect;
  report_jump (self, self->expect + d,
               (q[0] & 0x0f) == 2 ? "AFRAME of an MCN sector gives" : "AFRAME of an ISRC sector gives");
  return self->expect + d;
}

/* ---- regions ---- */

void
rc_inspect_q_enter_program (RcInspectQ *self, gint lba)
{
  self->region = RC_REGION_PROGRAM;
  self->program_lba = lba;
  if (self->has_leadin && lba != PROGRAM_LBA)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                        "the program area begins at LBA %d; the lead-in ends at LBA -151 (99:59:74) "
                        "and track 1's pregap begins at LBA -150 (§2)", lba);
}

/* ---- mode 1 ---- */

static void
place_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  if (q[1] == 0x00)
    rc_inspect_toc_entry (self, lba, q);
  else if (q[1] == RC_LEADOUT_TRACK)
    rc_inspect_tracks_leadout_sector (self, lba, q);
  else
    rc_inspect_tracks_program_sector (self, lba, q);
  self->last_pos_lba = lba;
}

/* Whether a mode-1 Q belongs where the sectors before it are. */
static gboolean
same_place (RcInspectQ *self, const guint8 q[12])
{
  TrackState *cur = rc_inspect_q_current_track (self);

  if (q[1] == 0x00)
    return self->region == RC_REGION_LEADIN;
  if (q[1] == RC_LEADOUT_TRACK)
    return self->region == RC_REGION_LEADOUT;
  return self->region == RC_REGION_PROGRAM && cur != NULL &&
         q[1] == rc_bcd (cur->info.number) && q[2] == rc_bcd (self->index);
}

static void
code_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  if ((q[0] & 0x0f) == 2)
    rc_inspect_codes_mcn_sector (self, lba, q);
  else
    rc_inspect_codes_isrc_sector (self, lba, q);
}

static void
release_held (RcInspectQ *self)
{
  for (guint i = 0; i < self->n_held; i++)
    code_sector (self, self->held_lba[i], self->held_q[i]);
  self->n_held = 0;
}

/* The change of place was real. */
static void
apply_pending (RcInspectQ *self)
{
  if (!self->pending)
    return;
  self->pending = FALSE;
  self->transition_code_lba = self->pending_code_lba;
  place_sector (self, self->pending_lba, self->pending_q);
  self->transition_code_lba = NO_LBA;
  release_held (self);
}

static void
describe_place (const guint8 q[12], char *out, gsize len)
{
  if (q[1] == 0x00)
    g_strlcpy (out, "the lead-in", len);
  else if (q[1] == RC_LEADOUT_TRACK)
    g_strlcpy (out, "the lead-out", len);
  else
    g_snprintf (out, len, "track %02X index %02X", q[1], q[2]);
}

/* The change of place was one sector out of place. */
static void
drop_pending (RcInspectQ *self, const guint8 q[12])
{
  char odd[40], here[40];

  describe_place (self->pending_q, odd, sizeof odd);
  describe_place (q, here, sizeof here);
  rc_inspect_log_add (self->log, self->pending_lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                      "this sector's Q says %s, between sectors of %s", odd, here);
  self->pending = FALSE;
  release_held (self);
}

static void
position_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  gint code_lba = self->code_since_pos;

  self->code_since_pos = NO_LBA;
  if (q[6] != 0)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                        "Q byte 6 (ZERO) is %02X, expected 00 (§4, §7)", q[6]);
  if (self->pending)
    {
      gboolean confirms = q[1] == self->pending_q[1] && (q[1] == 0x00 || q[2] == self->pending_q[2]);

      if (!confirms && same_place (self, q))
        drop_pending (self, q);
      else
        apply_pending (self);
    }
  /* the lead-in never comes back: an entry after it is reported, not followed */
  if (same_place (self, q) || q[1] == 0x00)
    {
      place_sector (self, lba, q);
      return;
    }
  self->pending = TRUE;
  self->pending_lba = lba;
  self->pending_code_lba = code_lba;
  memcpy (self->pending_q, q, sizeof self->pending_q);
}

/* ---- one sector ---- */

gint
rc_inspect_q_sector (RcInspectQ *self, const guint8 q[12], gboolean crc_ok, RcRegion *region)
{
  guint adr = q[0] & 0x0f;
  gint lba = self->expect;

  if (crc_ok && adr == 1)
    lba = place_by_time (self, q);
  else if (crc_ok && (adr == 2 || adr == 3))
    lba = place_by_aframe (self, q);
  self->expect = lba + 1;
  self->last_lba = lba;

  /* A sector whose Q does not say where it is (bad CRC, MCN, ISRC) still
   * leaves the lead-in once its time is past it. */
  if (self->region == RC_REGION_LEADIN && lba >= PROGRAM_LBA && !(crc_ok && adr == 1) && !self->pending)
    rc_inspect_q_enter_program (self, lba);

  if (crc_ok)
    {
      switch (adr)
        {
        case 1:
          position_sector (self, lba, q);
          break;
        case 2:
        case 3:
          if (self->code_since_pos == NO_LBA)
            self->code_since_pos = lba;
          if (self->pending && self->n_held == MAX_HELD)
            apply_pending (self);
          if (!self->pending)
            {
              code_sector (self, lba, q);
              break;
            }
          self->held_lba[self->n_held] = lba;
          memcpy (self->held_q[self->n_held++], q, 12);
          break;
        default:
          rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                              "Q mode (ADR) %u: an audio CD image has modes 1, 2 and 3 only (§4)", adr);
        }
    }
  *region = self->region;
  /* A change of place awaiting confirmation: the region the pending Q
   * claims, for its own sector and for those read since (an MCN or ISRC,
   * a bad CRC), which belong to wherever it leads, as the held codes do;
   * the checks of their main channel and R-W need it now.  (The MCN that
   * §4 PINNED moves off track 1's first sector is such a sector: taken as
   * lead-in, the audio of a hidden track there was reported as a lead-in
   * that is not silent.) */
  if (self->pending)
    *region = self->pending_q[1] == 0x00 ? RC_REGION_LEADIN :
              self->pending_q[1] == RC_LEADOUT_TRACK ? RC_REGION_LEADOUT : RC_REGION_PROGRAM;
  return lba;
}


void
rc_inspect_q_finish (RcInspectQ *self, RcInspectReport *report)
{
  /* nothing after it to say otherwise */
  apply_pending (self);
  report->first_lba = self->first_lba;
  report->has_leadin = self->has_leadin;
  rc_inspect_tracks_finish (self, report);
  rc_inspect_codes_finish_mcn (self, report);
  rc_inspect_tracks_finish_leadout (self, report);
  rc_inspect_toc_finish (self, report);
}
