/* rc-inspect-tracks.c: tracks, indexes, relative times and the lead-out
 * as the mode-1 Q of the program area gives them (§4, §5), and the
 * tracks of the report. */
#include "rc-inspect-q-private.h"

#include "rc-inspect-bcd.h"

/* ---- the program area (§4, §5) ---- */

/* Where an index whose relative time counts up from 00:00:00 (index 1, the
 * lead-out) began, given its first sector seen: sectors before it that no
 * mode-1 Q placed (MCN, ISRC, bad CRC) may belong to it. */
static gint
counting_start (RcInspectQ *self, gint lba, gint rel, gboolean have_rel, const char *what)
{
  gint unplaced;
  char found[RC_INSPECT_MSF_LEN];

  if (!have_rel)
    {
      self->rel_origin = lba;
      return lba;
    }
  self->rel_origin = lba - rel;
  /* the file may start inside the index */
  if (self->last_pos_lba == NO_LBA)
    return MAX (lba - rel, self->first_lba);
  unplaced = lba - self->last_pos_lba - 1;
  if (rel >= 0 && rel <= unplaced)
    {
      /* PINNED §4: an MCN or ISRC due on the first sector of an index
       * moves to the next one */
      if (rel > 0 && self->transition_code_lba == lba - rel)
        rc_inspect_log_add (self->log, lba - rel, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "the first sector of %s carries an MCN or ISRC; §4 PINNED moves it to the next "
                            "sector", what);
      return lba - rel;
    }
  rc_inspect_rel_string (rel, found);
  rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                      "%s begins with relative time %s, expected 00:00:00 (§4 PINNED)", what, found);
  return lba;
}

static void
check_relative (RcInspectQ *self, gint lba, gint rel, gboolean have_rel)
{
  char found[RC_INSPECT_MSF_LEN], want[RC_INSPECT_MSF_LEN];
  gint expected;

  if (!have_rel)
    return;
  if (self->region == RC_REGION_PROGRAM && self->index == 0)
    {
      if (self->pregap_end == NO_LBA)
        {
          self->pregap_end = lba + rel;
          return;
        }
      expected = self->pregap_end - lba;
    }
  else
    {
      expected = lba - self->rel_origin;
    }
  if (rel == expected)
    return;
  rc_inspect_rel_string (rel, found);
  rc_inspect_rel_string (expected, want);
  rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                      "relative time %s, expected %s (§4 PINNED: %s)", found, want,
                      self->region == RC_REGION_LEADOUT ? "the lead-out counts up from 00:00:00" :
                      self->index == 0 ? "index 0 counts down to 00:00:00 on its last sector" :
                      "counts up from 00:00:00 at index 1 through later indexes");
}

static void
set_index_lba (TrackState *t, guint index, gint lba)
{
  if (index < 1 || index > RC_MAX_INDEXES)
    return;
  for (guint k = t->info.n_indexes; k + 1 < index; k++)
    t->info.index_lba[k] = NO_LBA;
  t->info.index_lba[index - 1] = lba;
  t->info.n_indexes = MAX (t->info.n_indexes, index);
}

/* The ISRC must recur in the track up to its last sector. */
void
rc_inspect_tracks_close (RcInspectQ *self, TrackState *t, gint end_lba)
{
  char what[32];

  if (t->closed)
    return;
  t->closed = TRUE;
  t->info.end_lba = end_lba;
  if (t->last_isrc_lba != NO_LBA && end_lba - 1 - t->last_isrc_lba >= CODE_SPACING)
    rc_inspect_log_add (self->log, t->last_isrc_lba + 1, RC_INSPECT_CHECK_ISRC, RC_INSPECT_SEVERITY_ERROR,
                        "track %u: no ISRC in its last %d sectors (LBA %d to %d); it must recur at least "
                        "once in every %d", t->info.number, end_lba - 1 - t->last_isrc_lba,
                        t->last_isrc_lba + 1, end_lba - 1, CODE_SPACING);
  g_snprintf (what, sizeof what, "track %u", t->info.number);
  rc_inspect_control_finish (self, &t->control, what);
}

static void
new_track (RcInspectQ *self, gint lba, guint number, guint index, gint rel, gboolean have_rel)
{
  TrackState *prev = rc_inspect_q_current_track (self);
  TrackState t = { 0 };
  gint start;
  char what[32];

  if (self->tracks->len >= MAX_TRACKS)
    {
      if (!self->tracks_full)
        rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "more than %u track changes: later ones are not followed", MAX_TRACKS);
      self->tracks_full = TRUE;
      return;
    }
  if (prev != NULL)
    {
      /* reported, then followed: the report lists tracks as the Q has them */
      if (number <= prev->info.number)
        rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "track %u after track %u: track numbers go back", number, prev->info.number);
      else if (number != prev->info.number + 1)
        rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "track %u follows track %u, expected track %u", number, prev->info.number,
                            prev->info.number + 1);
      if (self->index == 0)
        rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "track %u ends in its pregap: it has no index 1", prev->info.number);
    }

  t.info.number = number;
  t.info.pregap_lba = NO_LBA;
  t.info.start_lba = NO_LBA;
  t.info.end_lba = NO_LBA;
  t.last_isrc_lba = NO_LBA;
  g_snprintf (what, sizeof what, "track %u", number);
  if (index == 0)
    {
      start = lba;
      /* the first track's pregap begins where the lead-in ends, whatever
       * the first sector carries */
      if (prev == NULL && self->program_lba != NO_LBA && self->program_lba < lba &&
          self->last_pos_lba < self->program_lba)
        {
          start = self->program_lba;
          if (self->transition_code_lba == start)
            rc_inspect_log_add (self->log, start, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                                "the first sector of track %u carries an MCN or ISRC; §4 PINNED moves it "
                                "to the next sector", number);
        }
      t.info.pregap_lba = start;
      self->pregap_end = have_rel ? lba + rel : NO_LBA;
    }
  else
    {
      start = counting_start (self, lba, rel, have_rel, what);
      if (index == 1)
        t.info.start_lba = start;
      else
        rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "track %u begins at index %u, expected index 0 or 1", number, index);
      set_index_lba (&t, index, start);
    }
  t.first_lba = start;
  if (prev != NULL)
    rc_inspect_tracks_close (self, prev, start);
  g_array_append_val (self->tracks, t);
  self->index = index;
}

static void
new_index (RcInspectQ *self, TrackState *cur, gint lba, guint index, gint rel, gboolean have_rel)
{
  gint start = lba;
  char what[48];

  if (index < self->index)
    {
      rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                          "index %u after index %u of track %u: indexes go back",
                          index, self->index, cur->info.number);
      /* follow the Q from here, so that this is said once */
      self->index = index;
      return;
    }
  if (index != self->index + 1)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                        "index %u follows index %u of track %u, expected index %u",
                        index, self->index, cur->info.number, self->index + 1);

  if (self->index == 0)
    {
      /* the pregap ends: relative time starts again from 00:00:00 */
      g_snprintf (what, sizeof what, "index %u of track %u", index, cur->info.number);
      start = counting_start (self, lba, rel, have_rel, what);
      if (self->pregap_end != NO_LBA && start != self->pregap_end + 1)
        rc_inspect_log_add (self->log, start, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "index %u of track %u begins at LBA %d, but its pregap's relative time "
                            "reaches 00:00:00 at LBA %d (§4 PINNED: on the pregap's last sector)",
                            index, cur->info.number, start, self->pregap_end);
      if (index == 1)
        cur->info.start_lba = start;
    }
  set_index_lba (cur, index, start);
  self->index = index;
  check_relative (self, lba, rel, have_rel);
}

void
rc_inspect_tracks_program_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  TrackState *cur;
  guint number, index;
  gint rel = 0;
  gboolean have_rel = rc_inspect_rel_value (q + 3, &rel);

  if (!rc_inspect_bcd_value (q[1], &number) || number == 0 || !rc_inspect_bcd_value (q[2], &index))
    {
      rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                          "track/index %02X/%02X are not BCD numbers (§4)", q[1], q[2]);
      return;
    }
  if (!have_rel)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                        "relative time %02X:%02X:%02X is not a valid BCD time", q[3], q[4], q[5]);
  if (self->region == RC_REGION_LEADIN)
    rc_inspect_q_enter_program (self, lba);
  if (self->region == RC_REGION_LEADOUT)
    {
      rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                          "track %u after the lead-out began at LBA %d", number, self->leadout_lba);
      return;
    }
  if (lba < PROGRAM_LBA)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                        "track %u at LBA %d, in the lead-in's time: the program area begins at LBA -150 (§2)",
                        number, lba);

  cur = rc_inspect_q_current_track (self);
  if (cur == NULL || number != cur->info.number)
    new_track (self, lba, number, index, rel, have_rel);
  else if (index != self->index)
    new_index (self, cur, lba, index, rel, have_rel);
  else
    check_relative (self, lba, rel, have_rel);
  rc_inspect_control_sector_here (self, lba, q[0] >> 4);
}

/* ---- the lead-out ---- */

static void
enter_leadout (RcInspectQ *self, gint lba, gint rel, gboolean have_rel)
{
  TrackState *cur = rc_inspect_q_current_track (self);

  if (cur != NULL && self->index == 0)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                        "track %u ends in its pregap: it has no index 1", cur->info.number);
  if (cur == NULL && self->last_pos_lba != NO_LBA)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                        "the lead-out begins with no track before it");
  if (self->region == RC_REGION_LEADIN)
    self->program_lba = lba;
  self->leadout_lba = counting_start (self, lba, rel, have_rel, "the lead-out");
  self->region = RC_REGION_LEADOUT;
  if (cur != NULL)
    rc_inspect_tracks_close (self, cur, self->leadout_lba);
}

void
rc_inspect_tracks_leadout_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  gint rel = 0;
  gboolean have_rel = rc_inspect_rel_value (q + 3, &rel);

  if (q[2] != 0x01)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                        "lead-out index %02X, expected 01 (§4)", q[2]);
  if (!have_rel)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                        "relative time %02X:%02X:%02X is not a valid BCD time", q[3], q[4], q[5]);
  if (self->region != RC_REGION_LEADOUT)
    enter_leadout (self, lba, rel, have_rel);
  else
    check_relative (self, lba, rel, have_rel);
  rc_inspect_control_sector_here (self, lba, q[0] >> 4);
}

void
rc_inspect_tracks_finish (RcInspectQ *self, RcInspectReport *report)
{
  TrackState *cur = rc_inspect_q_current_track (self);

  if (cur != NULL && !cur->closed)
    {
      if (self->index == 0)
        rc_inspect_log_add (self->log, self->last_lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "the image ends in track %u's pregap", cur->info.number);
      rc_inspect_tracks_close (self, cur, self->last_lba + 1);
    }

  report->n_tracks = self->tracks->len;
  report->tracks = g_new0 (RcInspectTrack, MAX (self->tracks->len, 1));
  for (guint i = 0; i < self->tracks->len; i++)
    {
      TrackState *t = &g_array_index (self->tracks, TrackState, i);

      rc_inspect_codes_finish_isrc (self, t);
      t->info.copy = rc_inspect_control_copy (&t->control);
      t->info.preemphasis = (t->control.control & RC_CONTROL_PREEMPHASIS) != 0;
      t->info.control = rc_inspect_control_toc_form (&t->control);
      report->tracks[i] = t->info;
    }
  if (report->n_tracks > 0)
    {
      report->first_track = report->tracks[0].number;
      report->last_track = report->tracks[report->n_tracks - 1].number;
    }
}

void
rc_inspect_tracks_finish_leadout (RcInspectQ *self, RcInspectReport *report)
{
  gint sectors;

  report->leadout_lba = self->leadout_lba;
  report->has_leadout = self->leadout_lba != NO_LBA;
  if (report->has_leadout && report->n_tracks > 0)
    {
      const RcInspectTrack *last = &report->tracks[report->n_tracks - 1];
      const ControlState *cs = &self->leadout_control;

      rc_inspect_control_finish (self, cs, "the lead-out");
      if (cs->have && (rc_inspect_control_toc_form (cs) != last->control || rc_inspect_control_copy (cs) != last->copy))
        rc_inspect_log_add (self->log, self->leadout_lba, RC_INSPECT_CHECK_CONTROL, RC_INSPECT_SEVERITY_ERROR,
                            "the lead-out has CONTROL %X (copy setting %d); the last track's is %X (%d) (§4)",
                            rc_inspect_control_toc_form (cs), rc_inspect_control_copy (cs), last->control, last->copy);
    }
  if (!self->full_image)
    return;
  if (!self->has_leadin)
    rc_inspect_log_add (self->log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                        "the image has no lead-in (§2)");
  if (!report->has_leadout)
    {
      rc_inspect_log_add (self->log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                          "the image has no lead-out (§2)");
      return;
    }
  sectors = self->last_lba - self->leadout_lba + 1;
  if (sectors != RC_LEADOUT_SECTORS)
    rc_inspect_log_add (self->log, self->leadout_lba, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                        "the lead-out has %d sectors; a full image has %d (§2)", sectors, RC_LEADOUT_SECTORS);
}
