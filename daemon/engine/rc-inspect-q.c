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
#include "rc-inspect-private.h"
#include "rc-codes.h"
#include "rc-msf.h"

#include <string.h>

#define NO_LBA          RC_INSPECT_NO_LBA
#define PROGRAM_LBA     (-RC_PREGAP_SECTORS)  /* -150: the first sector after the lead-in */
/* Red Book: the MCN and an ISRC, when present, at least once in every 100
 * sectors (rawcd places them every 90: §4). */
#define CODE_SPACING    100
/* MCN and ISRC sectors kept while a change of place awaits confirmation */
#define MAX_HELD        8
/* Tracks kept: a disc has at most 99, a damaged image may say anything */
#define MAX_TRACKS      (2 * RC_MAX_TRACK_NUMBER)

/* ---- tallies: the value most copies carry, and where the others are ---- */

#define TALLY_KEY_LEN    16
#define TALLY_MAX_VALUES 16  /* a damaged image must not grow memory */
#define TALLY_MAX_LBAS   16  /* where a value was seen, for reporting */

typedef struct {
  guint8 key[TALLY_KEY_LEN];
  guint  count;
  guint  n_lbas;
  gint   lbas[TALLY_MAX_LBAS];
} TallyValue;

typedef struct {
  GArray *values;     /* TallyValue, NULL before the first */
  guint   n_dropped;  /* copies of values beyond TALLY_MAX_VALUES */
  gint    dropped_lba;
} Tally;

static void
tally_add (Tally *t, const void *key, gsize len, gint lba)
{
  guint8 k[TALLY_KEY_LEN] = { 0 };
  TallyValue v = { 0 };

  g_assert (len <= TALLY_KEY_LEN);
  memcpy (k, key, len);
  if (t->values == NULL)
    t->values = g_array_new (FALSE, FALSE, sizeof (TallyValue));
  for (guint i = 0; i < t->values->len; i++)
    {
      TallyValue *e = &g_array_index (t->values, TallyValue, i);

      if (memcmp (e->key, k, TALLY_KEY_LEN) != 0)
        continue;
      e->count++;
      if (e->n_lbas < TALLY_MAX_LBAS)
        e->lbas[e->n_lbas++] = lba;
      return;
    }
  if (t->values->len >= TALLY_MAX_VALUES)
    {
      if (t->n_dropped++ == 0)
        t->dropped_lba = lba;
      return;
    }
  memcpy (v.key, k, TALLY_KEY_LEN);
  v.count = 1;
  v.n_lbas = 1;
  v.lbas[0] = lba;
  g_array_append_val (t->values, v);
}

/* The value most copies carry (the first seen of equals), NULL if none. */
static const TallyValue *
tally_majority (const Tally *t)
{
  const TallyValue *best = NULL;

  for (guint i = 0; t->values != NULL && i < t->values->len; i++)
    {
      const TallyValue *e = &g_array_index (t->values, TallyValue, i);

      if (best == NULL || e->count > best->count)
        best = e;
    }
  return best;
}

static void
tally_clear (Tally *t)
{
  g_clear_pointer (&t->values, g_array_unref);
  t->n_dropped = 0;
}

/* ---- BCD and times, read defensively (the image may hold anything) ---- */

static gboolean
bcd_value (guint8 b, guint *v)
{
  if ((b >> 4) > 9 || (b & 0x0f) > 9)
    return FALSE;
  *v = rc_from_bcd (b);
  return TRUE;
}

gboolean
rc_inspect_msf_value (const guint8 b[3], RcMsf *msf)
{
  guint m, s, f;

  if (!bcd_value (b[0], &m) || !bcd_value (b[1], &s) || !bcd_value (b[2], &f) || s > 59 || f > 74)
    return FALSE;
  msf->m = (guint8) m;
  msf->s = (guint8) s;
  msf->f = (guint8) f;
  return TRUE;
}

/* A relative time (a count of sectors). */
static gboolean
rel_value (const guint8 *b, gint *sectors)
{
  RcMsf msf;

  if (!rc_inspect_msf_value (b, &msf))
    return FALSE;
  *sectors = (gint) rc_msf_to_sectors (msf);
  return TRUE;
}

static void
rel_string (gint sectors, char out[RC_INSPECT_MSF_LEN])
{
  RcMsf msf;

  if (sectors < 0)
    {
      g_snprintf (out, RC_INSPECT_MSF_LEN, "-%d", -sectors);
      return;
    }
  msf = rc_msf_from_sectors ((guint) sectors);
  g_snprintf (out, RC_INSPECT_MSF_LEN, "%02u:%02u:%02u", msf.m, msf.s, msf.f);
}

void
rc_inspect_msf_string (gint lba, char out[RC_INSPECT_MSF_LEN])
{
  RcMsf msf;

  /* absolute times exist from 00:00:00 (LBA -150) and in the lead-in from
   * 90:00:00 (LBA -450150) */
  if (lba < -450150 || lba > 449849)
    {
      g_strlcpy (out, "??:??:??", RC_INSPECT_MSF_LEN);
      return;
    }
  msf = rc_msf_from_lba (lba);
  g_snprintf (out, RC_INSPECT_MSF_LEN, "%02u:%02u:%02u", msf.m, msf.s, msf.f);
}

/* ---- CONTROL of a track (or of the lead-out) ---- */

#define CONTROL_COPY 0x2

typedef struct {
  gboolean have;
  guint8   control;         /* the first CONTROL seen, copy bit aside */
  guint    n_copy_set;
  guint    n_copy_clear;
  guint    n_not_scms;      /* sectors whose copy bit breaks the SCMS pattern */
  gint     first_not_scms;
  gboolean reported;
} ControlState;

/* PINNED §4: under SCMS the copy bit is set iff ((LBA + 150) / 4) % 2 == 1. */
static gboolean
scms_copy_bit (gint lba)
{
  return ((lba + 150) / 4) % 2 == 1;
}

static RcCopySetting
control_copy (const ControlState *cs)
{
  if (cs->n_copy_set > 0 && cs->n_copy_clear > 0)
    return RC_COPY_SCMS;
  return cs->n_copy_set > 0 ? RC_COPY_PERMITTED : RC_COPY_PROHIBITED;
}

/* CONTROL as a lead-in TOC entry carries it: the copy bit clear under SCMS. */
static guint8
control_toc_form (const ControlState *cs)
{
  return (guint8) (cs->control | (control_copy (cs) == RC_COPY_PERMITTED ? CONTROL_COPY : 0));
}

/* ---- the checker ---- */

typedef struct {
  RcInspectTrack info;
  gint           first_lba;      /* its first sector: pregap or index 1 */
  ControlState   control;
  Tally          isrc;
  gint           last_isrc_lba;  /* NO_LBA before the first */
  gboolean       closed;
} TrackState;

struct _RcInspectQ {
  RcInspectLog *log;
  gboolean      full_image;
  gint          first_lba;
  gint          expect;          /* the LBA the next sector should have */
  gint          last_lba;        /* of the last sector fed */
  RcRegion      region;
  gint          last_pos_lba;    /* last sector placed by a mode-1 Q, NO_LBA before */

  /* lead-in */
  gboolean      has_leadin;
  gint          leadin_first_lba;
  Tally        *points[256];     /* per POINT, allocated when seen */
  gboolean      point_reported[256];

  /* program area */
  gint          program_lba;     /* first sector after the lead-in, NO_LBA before */
  GArray       *tracks;          /* TrackState, at most MAX_TRACKS */
  gboolean      tracks_full;
  guint         index;           /* of the current track */
  gint          pregap_end;      /* last sector of the current pregap, as its countdown says */
  gint          rel_origin;      /* where the current track's (or lead-out's) relative time is 0 */

  /* lead-out */
  gint          leadout_lba;     /* NO_LBA before it */
  ControlState  leadout_control;

  /* MCN */
  Tally         mcn;
  gint          last_mcn_lba;    /* NO_LBA before the first */
  /* PINNED §4: no MCN or ISRC on the first sector of a track or index.
   * The first such sector read since the last mode-1 Q, and its value
   * when the change of place being applied was read. */
  gint          code_since_pos;
  gint          transition_code_lba;

  /* A mode-1 Q that puts its sector somewhere else than the sectors before
   * it (a new track, index or region) takes effect only when the next
   * mode-1 Q agrees: a lone sector out of place is one problem at its own
   * LBA, not a track that begins and ends there.  The MCN and ISRC sectors
   * read meanwhile wait with it, as they belong to wherever it leads. */
  gboolean      pending;
  gint          pending_lba;
  gint          pending_code_lba;
  guint8        pending_q[12];
  guint         n_held;
  gint          held_lba[MAX_HELD];
  guint8        held_q[MAX_HELD][12];
};

static TrackState *
current_track (RcInspectQ *self)
{
  if (self->tracks->len == 0)
    return NULL;
  return &g_array_index (self->tracks, TrackState, self->tracks->len - 1);
}

static void
track_state_clear (gpointer data)
{
  TrackState *t = data;

  tally_clear (&t->isrc);
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
      tally_clear (self->points[p]);
      g_free (self->points[p]);
    }
  tally_clear (&self->mcn);
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

  if (!bcd_value (q[9], &f) || f > 74)
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

static void
enter_program (RcInspectQ *self, gint lba)
{
  self->region = RC_REGION_PROGRAM;
  self->program_lba = lba;
  if (self->has_leadin && lba != PROGRAM_LBA)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                        "the program area begins at LBA %d; the lead-in ends at LBA -151 (99:59:74) "
                        "and track 1's pregap begins at LBA -150 (§2)", lba);
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
static void
control_finish (RcInspectQ *self, const ControlState *cs, const char *what)
{
  if (control_copy (cs) != RC_COPY_SCMS || cs->n_not_scms == 0)
    return;
  rc_inspect_log_add (self->log, cs->first_not_scms, RC_INSPECT_CHECK_CONTROL, RC_INSPECT_SEVERITY_ERROR,
                      "%s: the copy bit alternates (SCMS) but in %u sectors not as §4 pins it "
                      "(set iff ((LBA + 150) / 4) %% 2 == 1)", what, cs->n_not_scms);
}

static void
control_sector_here (RcInspectQ *self, gint lba, guint8 control)
{
  TrackState *cur = current_track (self);

  if (self->region == RC_REGION_LEADOUT)
    {
      control_sector (self, &self->leadout_control, lba, control, NULL);
      return;
    }
  if (self->region != RC_REGION_PROGRAM || cur == NULL)
    return;
  control_sector (self, &cur->control, lba, control, cur);
}

/* ---- the lead-in (§7) ---- */

static gboolean
valid_point (guint8 point)
{
  guint v;

  if (point == 0xA0 || point == 0xA1 || point == 0xA2)
    return TRUE;
  return bcd_value (point, &v) && v >= 1 && v <= RC_MAX_TRACK_NUMBER;
}

static void
leadin_entry (RcInspectQ *self, gint lba, const guint8 q[12])
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
    self->points[point] = g_new0 (Tally, 1);
  tally_add (self->points[point], key, sizeof key, lba);
}

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
  rel_string (rel, found);
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
  rel_string (rel, found);
  rel_string (expected, want);
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
static void
close_track (RcInspectQ *self, TrackState *t, gint end_lba)
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
  control_finish (self, &t->control, what);
}

static void
new_track (RcInspectQ *self, gint lba, guint number, guint index, gint rel, gboolean have_rel)
{
  TrackState *prev = current_track (self);
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
    close_track (self, prev, start);
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

static void
program_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  TrackState *cur;
  guint number, index;
  gint rel = 0;
  gboolean have_rel = rel_value (q + 3, &rel);

  if (!bcd_value (q[1], &number) || number == 0 || !bcd_value (q[2], &index))
    {
      rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                          "track/index %02X/%02X are not BCD numbers (§4)", q[1], q[2]);
      return;
    }
  if (!have_rel)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                        "relative time %02X:%02X:%02X is not a valid BCD time", q[3], q[4], q[5]);
  if (self->region == RC_REGION_LEADIN)
    enter_program (self, lba);
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

  cur = current_track (self);
  if (cur == NULL || number != cur->info.number)
    new_track (self, lba, number, index, rel, have_rel);
  else if (index != self->index)
    new_index (self, cur, lba, index, rel, have_rel);
  else
    check_relative (self, lba, rel, have_rel);
  control_sector_here (self, lba, q[0] >> 4);
}

/* ---- the lead-out ---- */

static void
enter_leadout (RcInspectQ *self, gint lba, gint rel, gboolean have_rel)
{
  TrackState *cur = current_track (self);

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
    close_track (self, cur, self->leadout_lba);
}

static void
leadout_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  gint rel = 0;
  gboolean have_rel = rel_value (q + 3, &rel);

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
  control_sector_here (self, lba, q[0] >> 4);
}

/* ---- mode 1 ---- */

static void
place_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  if (q[1] == 0x00)
    leadin_entry (self, lba, q);
  else if (q[1] == RC_LEADOUT_TRACK)
    leadout_sector (self, lba, q);
  else
    program_sector (self, lba, q);
  self->last_pos_lba = lba;
}

/* Whether a mode-1 Q belongs where the sectors before it are. */
static gboolean
same_place (RcInspectQ *self, const guint8 q[12])
{
  TrackState *cur = current_track (self);

  if (q[1] == 0x00)
    return self->region == RC_REGION_LEADIN;
  if (q[1] == RC_LEADOUT_TRACK)
    return self->region == RC_REGION_LEADOUT;
  return self->region == RC_REGION_PROGRAM && cur != NULL &&
         q[1] == rc_bcd (cur->info.number) && q[2] == rc_bcd (self->index);
}

static void mcn_sector (RcInspectQ *self, gint lba, const guint8 q[12]);
static void isrc_sector (RcInspectQ *self, gint lba, const guint8 q[12]);

static void
code_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  if ((q[0] & 0x0f) == 2)
    mcn_sector (self, lba, q);
  else
    isrc_sector (self, lba, q);
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

/* ---- mode 2: the MCN ---- */

/* Only for 13 digits (the callers rule out '?' first). */
static gboolean
mcn_check_digit_ok (const char *mcn)
{
  return (guint) (mcn[12] - '0') == rc_mcn_check_digit (mcn);
}

static gboolean
mcn_decode (const guint8 q[12], char mcn[14])
{
  gboolean digits = TRUE;

  for (guint i = 0; i < 13; i++)
    {
      guint8 nibble = (i % 2 == 0) ? q[1 + i / 2] >> 4 : q[1 + i / 2] & 0x0f;

      digits = digits && nibble <= 9;
      mcn[i] = nibble <= 9 ? (char) ('0' + nibble) : '?';
    }
  mcn[13] = '\0';
  return digits;
}

/* A code (MCN, ISRC) recurs at least once in every CODE_SPACING sectors:
 * `prev` is the last sector before this run that had it. */
static void
check_spacing (RcInspectQ *self, RcInspectCheck check, const char *what, gint prev, gint lba)
{
  if (lba - prev - 1 < CODE_SPACING)
    return;
  rc_inspect_log_add (self->log, prev + 1, check, RC_INSPECT_SEVERITY_ERROR,
                      "no %s in the %d sectors from LBA %d to %d; it must recur at least once in every %d "
                      "(rawcd: every 90, §4)", what, lba - prev - 1, prev + 1, lba - 1, CODE_SPACING);
}

static void
mcn_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  char mcn[14];

  mcn_decode (q, mcn);
  if ((q[7] & 0x0f) != 0 || q[8] != 0)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                        "MCN padding %X/%02X, expected 0/00 (§4 mode 2)", q[7] & 0x0f, q[8]);
  if (self->region == RC_REGION_LEADIN)
    {
      rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_MCN, RC_INSPECT_SEVERITY_ERROR,
                          "MCN %s in the lead-in, which carries only TOC entries (§7)", mcn);
      return;
    }
  control_sector_here (self, lba, q[0] >> 4);
  tally_add (&self->mcn, mcn, 13, lba);
  check_spacing (self, RC_INSPECT_CHECK_MCN, "MCN",
                 self->last_mcn_lba != NO_LBA ? self->last_mcn_lba : self->program_lba - 1, lba);
  self->last_mcn_lba = lba;
}

/* ---- mode 3: ISRC ---- */

/* §4: '0'..'9' are 0..9, 'A'..'Z' are 0x11..0x2A. */
static char
isrc_char (guint code)
{
  if (code <= 9)
    return (char) ('0' + code);
  if (code >= 0x11 && code <= 0x2A)
    return (char) ('A' + code - 0x11);
  return '?';
}

static void
isrc_decode (const guint8 q[12], char isrc[13])
{
  guint32 bits = (guint32) q[1] << 24 | (guint32) q[2] << 16 | (guint32) q[3] << 8 | q[4];

  for (guint i = 0; i < 5; i++)
    isrc[i] = isrc_char ((bits >> (26 - 6 * i)) & 0x3f);
  for (guint i = 0; i < 7; i++)
    {
      guint8 nibble = (i % 2 == 0) ? q[5 + i / 2] >> 4 : q[5 + i / 2] & 0x0f;

      isrc[5 + i] = nibble <= 9 ? (char) ('0' + nibble) : '?';
    }
  isrc[12] = '\0';
}

static void
isrc_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  TrackState *cur = current_track (self);
  char isrc[13];

  isrc_decode (q, isrc);
  if ((q[4] & 0x3) != 0 || (q[8] & 0x0f) != 0)
    rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_Q_FORMAT, RC_INSPECT_SEVERITY_ERROR,
                        "ISRC padding bits are not zero (§4 mode 3)");
  if (self->region != RC_REGION_PROGRAM || cur == NULL)
    {
      rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_ISRC, RC_INSPECT_SEVERITY_ERROR,
                          "ISRC %s in the %s: an ISRC belongs to a track (§4)", isrc,
                          self->region == RC_REGION_LEADIN ? "lead-in" :
                          self->region == RC_REGION_LEADOUT ? "lead-out" : "program area before any track");
      return;
    }
  control_sector_here (self, lba, q[0] >> 4);
  tally_add (&cur->isrc, isrc, 12, lba);
  check_spacing (self, RC_INSPECT_CHECK_ISRC, "ISRC",
                 cur->last_isrc_lba != NO_LBA ? cur->last_isrc_lba : cur->first_lba - 1, lba);
  cur->last_isrc_lba = lba;
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
    enter_program (self, lba);

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
  /* a change of place awaiting confirmation: the region this sector's
   * own Q claims (the checks of its main channel and R-W need it now) */
  if (self->pending && self->pending_lba == lba)
    *region = self->pending_q[1] == 0x00 ? RC_REGION_LEADIN :
              self->pending_q[1] == RC_LEADOUT_TRACK ? RC_REGION_LEADOUT : RC_REGION_PROGRAM;
  return lba;
}

/* ---- the whole image ---- */

static void
finish_isrc (RcInspectQ *self, TrackState *t)
{
  const TallyValue *major = tally_majority (&t->isrc);

  if (major == NULL)
    return;
  memcpy (t->info.isrc, major->key, 12);
  t->info.isrc[12] = '\0';
  if (strchr (t->info.isrc, '?') != NULL)
    rc_inspect_log_add (self->log, major->lbas[0], RC_INSPECT_CHECK_ISRC, RC_INSPECT_SEVERITY_ERROR,
                        "track %u: ISRC %s has characters outside 0-9 and A-Z (§4 mode 3)",
                        t->info.number, t->info.isrc);
  for (guint i = 0; i < t->isrc.values->len; i++)
    {
      const TallyValue *v = &g_array_index (t->isrc.values, TallyValue, i);

      if (v == major)
        continue;
      for (guint k = 0; k < v->n_lbas; k++)
        rc_inspect_log_add (self->log, v->lbas[k], RC_INSPECT_CHECK_ISRC, RC_INSPECT_SEVERITY_ERROR,
                            "track %u: ISRC %.12s here, %s in %u other sectors of the track",
                            t->info.number, (const char *) v->key, t->info.isrc, major->count);
    }
  if (t->isrc.n_dropped > 0)
    rc_inspect_log_add (self->log, t->isrc.dropped_lba, RC_INSPECT_CHECK_ISRC, RC_INSPECT_SEVERITY_ERROR,
                        "track %u: %u more sectors with yet other ISRCs", t->info.number, t->isrc.n_dropped);
}

static void
finish_tracks (RcInspectQ *self, RcInspectReport *report)
{
  TrackState *cur = current_track (self);

  if (cur != NULL && !cur->closed)
    {
      if (self->index == 0)
        rc_inspect_log_add (self->log, self->last_lba, RC_INSPECT_CHECK_POSITION, RC_INSPECT_SEVERITY_ERROR,
                            "the image ends in track %u's pregap", cur->info.number);
      close_track (self, cur, self->last_lba + 1);
    }

  report->n_tracks = self->tracks->len;
  report->tracks = g_new0 (RcInspectTrack, MAX (self->tracks->len, 1));
  for (guint i = 0; i < self->tracks->len; i++)
    {
      TrackState *t = &g_array_index (self->tracks, TrackState, i);

      finish_isrc (self, t);
      t->info.copy = control_copy (&t->control);
      t->info.preemphasis = (t->control.control & RC_CONTROL_PREEMPHASIS) != 0;
      t->info.control = control_toc_form (&t->control);
      report->tracks[i] = t->info;
    }
  if (report->n_tracks > 0)
    {
      report->first_track = report->tracks[0].number;
      report->last_track = report->tracks[report->n_tracks - 1].number;
    }
}

static void
finish_mcn (RcInspectQ *self, RcInspectReport *report)
{
  const TallyValue *major = tally_majority (&self->mcn);
  char mcn[14];

  if (major == NULL)
    return;
  memcpy (mcn, major->key, 13);
  mcn[13] = '\0';
  if (strchr (mcn, '?') == NULL)
    g_strlcpy (report->mcn, mcn, sizeof report->mcn);
  if (strchr (mcn, '?') != NULL || !mcn_check_digit_ok (mcn))
    rc_inspect_log_add (self->log, major->lbas[0], RC_INSPECT_CHECK_MCN, RC_INSPECT_SEVERITY_ERROR,
                        "MCN %s is not 13 digits with a valid EAN-13 check digit (§4 mode 2)", mcn);

  for (guint i = 0; i < self->mcn.values->len; i++)
    {
      const TallyValue *v = &g_array_index (self->mcn.values, TallyValue, i);
      char odd[14];
      gboolean odd_valid;

      if (v == major)
        continue;
      memcpy (odd, v->key, 13);
      odd[13] = '\0';
      odd_valid = strchr (odd, '?') == NULL && mcn_check_digit_ok (odd);
      for (guint k = 0; k < v->n_lbas; k++)
        rc_inspect_log_add (self->log, v->lbas[k], RC_INSPECT_CHECK_MCN, RC_INSPECT_SEVERITY_ERROR,
                            "MCN %s here (check digit %s), %s in %u other sectors: one disc has one MCN",
                            odd, odd_valid ? "valid" : "wrong", mcn, major->count);
    }
  if (self->mcn.n_dropped > 0)
    rc_inspect_log_add (self->log, self->mcn.dropped_lba, RC_INSPECT_CHECK_MCN, RC_INSPECT_SEVERITY_ERROR,
                        "%u more sectors with yet other MCNs", self->mcn.n_dropped);
  if (self->last_lba - self->last_mcn_lba >= CODE_SPACING)
    check_spacing (self, RC_INSPECT_CHECK_MCN, "MCN", self->last_mcn_lba, self->last_lba + 1);
}

static void
toc_entry_from (RcInspectTocEntry *e, guint8 point, const TallyValue *v)
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
      e->track = bcd_value (e->pmin, &n) ? n : 0;
      return;
    }
  if (point != 0xA2)
    e->track = rc_from_bcd (point);
  if (rc_inspect_msf_value (v->key + 1, &msf))
    e->lba = rc_msf_to_lba (msf);
}

/* Copies of an entry that disagree with most of its copies. */
static void
report_odd_entries (RcInspectQ *self, guint8 point, const Tally *t, const TallyValue *major)
{
  for (guint i = 0; i < t->values->len; i++)
    {
      const TallyValue *v = &g_array_index (t->values, TallyValue, i);

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

static void
finish_toc (RcInspectQ *self, RcInspectReport *report)
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
      const TallyValue *major;

      if (self->points[p] == NULL)
        continue;
      major = tally_majority (self->points[p]);
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
      rc_inspect_log_add (self->log, tally_majority (self->points[e->point])->lbas[0],
                          RC_INSPECT_CHECK_TOC_PROGRAM, RC_INSPECT_SEVERITY_ERROR,
                          "the lead-in TOC lists track %u, which the program area does not have", e->track);
    }
  compare_disc_entries (self, report);
}

static void
finish_leadout (RcInspectQ *self, RcInspectReport *report)
{
  gint sectors;

  report->leadout_lba = self->leadout_lba;
  report->has_leadout = self->leadout_lba != NO_LBA;
  if (report->has_leadout && report->n_tracks > 0)
    {
      const RcInspectTrack *last = &report->tracks[report->n_tracks - 1];
      const ControlState *cs = &self->leadout_control;

      control_finish (self, cs, "the lead-out");
      if (cs->have && (control_toc_form (cs) != last->control || control_copy (cs) != last->copy))
        rc_inspect_log_add (self->log, self->leadout_lba, RC_INSPECT_CHECK_CONTROL, RC_INSPECT_SEVERITY_ERROR,
                            "the lead-out has CONTROL %X (copy setting %d); the last track's is %X (%d) (§4)",
                            control_toc_form (cs), control_copy (cs), last->control, last->copy);
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

void
rc_inspect_q_finish (RcInspectQ *self, RcInspectReport *report)
{
  /* nothing after it to say otherwise */
  apply_pending (self);
  report->first_lba = self->first_lba;
  report->has_leadin = self->has_leadin;
  finish_tracks (self, report);
  finish_mcn (self, report);
  finish_leadout (self, report);
  finish_toc (self, report);
}
