/* rc-inspect-codes.c: the MCN (mode 2) and ISRCs (mode 3) of the Q: their
 * values, spacing and placement (§4), tallied over their copies. */
#include "rc-inspect-q-private.h"

#include "rc-codes.h"

#include <string.h>

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

void
rc_inspect_codes_mcn_sector (RcInspectQ *self, gint lba, const guint8 q[12])
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
  rc_inspect_control_sector_here (self, lba, q[0] >> 4);
  rc_tally_add (&self->mcn, mcn, 13, lba);
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

void
rc_inspect_codes_isrc_sector (RcInspectQ *self, gint lba, const guint8 q[12])
{
  TrackState *cur = rc_inspect_q_current_track (self);
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
  rc_inspect_control_sector_here (self, lba, q[0] >> 4);
  rc_tally_add (&cur->isrc, isrc, 12, lba);
  check_spacing (self, RC_INSPECT_CHECK_ISRC, "ISRC",
                 cur->last_isrc_lba != NO_LBA ? cur->last_isrc_lba : cur->first_lba - 1, lba);
  cur->last_isrc_lba = lba;
}

/* ---- the whole image ---- */

void
rc_inspect_codes_finish_isrc (RcInspectQ *self, TrackState *t)
{
  const RcTallyValue *major = rc_tally_majority (&t->isrc);

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
      const RcTallyValue *v = &g_array_index (t->isrc.values, RcTallyValue, i);

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

void
rc_inspect_codes_finish_mcn (RcInspectQ *self, RcInspectReport *report)
{
  const RcTallyValue *major = rc_tally_majority (&self->mcn);
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
      const RcTallyValue *v = &g_array_index (self->mcn.values, RcTallyValue, i);
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

