/* rc-inspect-clonecd.c: a CloneCD set (.ccd, .img, .sub) checked as one
 * (rc_inspect_clonecd(), rc-inspect.h).
 *
 * The .img and .sub are inspected as a BIN and its .sub; the control file
 * is read with GKeyFile (GLib's own parser of this INI form, which takes
 * hostile text without harm) and what it says is checked against them:
 * the TOC entries ([Entry N]: tracks, A0, A1, A2) against where the Q
 * starts each track and where the data ends, the [TRACK N] indexes, the
 * CATALOG against the Q's MCN, and the [CDText] packs decoded (a .sub
 * holds no lead-in, so the control file is where the text is).  Each
 * disagreement is a problem of check "sheet" at the LBA concerned, naming
 * the section and key.
 */
#include "rc-inspect.h"

#include "rc-cdtext.h"
#include "rc-crc.h"
#include "rc-cue.h"
#include "rc-error.h"
#include "rc-inspect-log.h"

#include <stdlib.h>
#include <string.h>

#define NO_LBA RC_INSPECT_NO_LBA

typedef struct {
  RcInspectReport *report;
  RcInspectLog     log;
  GKeyFile        *ccd;
} Check;

static void G_GNUC_PRINTF (4, 5)
ccd_problem (Check *c, gint lba, const char *where, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* messages quote the control file, which may be any bytes (or cut one
   * character in two): what a client is shown must be UTF-8 */
  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = valid;
    }
  rc_inspect_log_add (&c->log, lba, RC_INSPECT_CHECK_SHEET, RC_INSPECT_SEVERITY_ERROR,
                      "the CloneCD file%s%s: %s", where != NULL ? ", " : "", where != NULL ? where : "",
                      message);
}

/* An integer key (decimal, or hex with 0x); FALSE when absent or not one. */
static gboolean
get_int (Check *c, const char *group, const char *key, gint *out)
{
  g_autofree char *v = g_key_file_get_value (c->ccd, group, key, NULL);
  gint64 n;
  char *end = NULL;

  if (v == NULL)
    return FALSE;
  g_strstrip (v);
  n = g_ascii_strtoll (v, &end, 0);
  if (end == v || *end != '\0' || n < G_MININT32 || n > G_MAXINT32)
    {
      ccd_problem (c, NO_LBA, group, "%s=%.20s is not a number", key, v);
      return FALSE;
    }
  *out = (gint) n;
  return TRUE;
}

static void
check_catalog (Check *c)
{
  g_autofree char *mcn = g_key_file_get_value (c->ccd, "Disc", "CATALOG", NULL);
  const char *q = c->report->mcn;

  if (mcn != NULL)
    g_strstrip (mcn);
  if (mcn != NULL && strcmp (mcn, q) != 0)
    ccd_problem (c, NO_LBA, "[Disc]", "CATALOG=%.20s; the subchannel's MCN is %s", mcn,
                 *q != '\0' ? q : "none");
  else if (mcn == NULL && *q != '\0')
    ccd_problem (c, NO_LBA, "[Disc]", "no CATALOG; the subchannel carries MCN %s", q);
}

/* [Entry N]: the lead-in TOC as CloneCD keeps it. */
static void
check_entries (Check *c, gint data_end)
{
  const RcInspectReport *r = c->report;
  gint n_entries = 0;
  gboolean seen_track[RC_MAX_TRACK_NUMBER + 1] = { FALSE };

  if (!get_int (c, "Disc", "TocEntries", &n_entries) || n_entries < 0 || n_entries > 3 + RC_MAX_TRACK_NUMBER)
    {
      ccd_problem (c, NO_LBA, "[Disc]", "TocEntries is missing or not 0..102");
      return;
    }
  for (gint i = 0; i < n_entries; i++)
    {
      g_autofree char *group = g_strdup_printf ("Entry %d", i);
      g_autofree char *where = g_strdup_printf ("[Entry %d]", i);
      gint point, control, plba, pmin, psec, pframe;

      if (!g_key_file_has_group (c->ccd, group))
        {
          ccd_problem (c, NO_LBA, where, "missing (TocEntries=%d)", n_entries);
          continue;
        }
      if (!get_int (c, group, "Point", &point) || !get_int (c, group, "Control", &control) ||
          !get_int (c, group, "PLBA", &plba))
        {
          ccd_problem (c, NO_LBA, where, "needs Point, Control and PLBA");
          continue;
        }
      if (get_int (c, group, "PMin", &pmin) && get_int (c, group, "PSec", &psec) &&
          get_int (c, group, "PFrame", &pframe) && point != 0xA0 && point != 0xA1 &&
          (pmin * 60 + psec) * 75 + pframe - 150 != plba)
        ccd_problem (c, NO_LBA, where, "PMin:PSec:PFrame %d:%d:%d is not PLBA=%d + 150 sectors",
                     pmin, psec, pframe, plba);
      if (point >= 1 && point <= RC_MAX_TRACK_NUMBER)
        {
          const RcInspectTrack *t = rc_inspect_report_get_track (r, (guint) point);

          seen_track[point] = TRUE;
          if (t == NULL)
            ccd_problem (c, plba, where, "track %d is not in the subchannel", point);
          else if (t->start_lba != plba)
            ccd_problem (c, plba, where, "track %d at PLBA=%d; the subchannel starts its index 1 at LBA %d",
                         point, plba, t->start_lba);
          else if ((guint) (control & 0xF) != t->control)
            ccd_problem (c, plba, where, "track %d has Control=0x%02x; its Q says %X", point, control,
                         t->control);
        }
      else if (point == 0xA0 && r->n_tracks > 0)
        {
          if (pmin != (gint) r->first_track)
            ccd_problem (c, NO_LBA, where, "A0 gives first track %d; the subchannel's is %u", pmin,
                         r->first_track);
        }
      else if (point == 0xA1 && r->n_tracks > 0)
        {
          if (pmin != (gint) r->last_track)
            ccd_problem (c, NO_LBA, where, "A1 gives last track %d; the subchannel's is %u", pmin,
                         r->last_track);
        }
      else if (point == 0xA2)
        {
          if (plba != data_end)
            ccd_problem (c, plba, where, "the lead-out at PLBA=%d; the .img and .sub end at LBA %d",
                         plba, data_end);
        }
      else
        ccd_problem (c, NO_LBA, where, "Point=0x%02x: an audio CD's TOC has tracks 1..99, A0, A1, A2",
                     point);
    }
  for (guint i = 0; i < r->n_tracks; i++)
    if (r->tracks[i].number <= RC_MAX_TRACK_NUMBER && !seen_track[r->tracks[i].number])
      ccd_problem (c, r->tracks[i].start_lba, "[Entry]", "no entry for track %u of the subchannel",
                   r->tracks[i].number);
}

/* [TRACK N] INDEX k=LBA */
static void
check_track_indexes (Check *c)
{
  const RcInspectReport *r = c->report;

  for (guint i = 0; i < r->n_tracks; i++)
    {
      const RcInspectTrack *t = &r->tracks[i];
      g_autofree char *group = g_strdup_printf ("TRACK %u", t->number);
      g_autofree char *where = g_strdup_printf ("[TRACK %u]", t->number);

      if (!g_key_file_has_group (c->ccd, group))
        {
          ccd_problem (c, t->start_lba, where, "missing: the subchannel has track %u", t->number);
          continue;
        }
      for (guint k = 0; k <= RC_MAX_INDEXES; k++)
        {
          g_autofree char *key = g_strdup_printf ("INDEX %u", k);
          gint lba, got;

          if (!get_int (c, group, key, &lba))
            continue;
          got = k == 0 ? t->pregap_lba : k <= t->n_indexes ? t->index_lba[k - 1] : NO_LBA;
          /* a pregap that began before the .img shows from its first sector */
          if (k == 0 && got != NO_LBA && got < r->first_lba)
            got = r->first_lba;
          if (k == 0 && got == NO_LBA && lba < r->first_lba)
            continue;
          if (got != lba)
            ccd_problem (c, lba, where, "INDEX %u=%d; the subchannel %s", k, lba,
                         got == NO_LBA ? "has no such index" : "starts it elsewhere");
        }
    }
}

/* Two hex digits at s; -1 when not. */
static gint
hex_byte (const char *s)
{
  gint hi = g_ascii_xdigit_value (s[0]);
  gint lo = hi < 0 ? -1 : g_ascii_xdigit_value (s[1]);

  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

static void
cdtext_problem (gint entry, const char *message, gpointer user_data)
{
  Check *c = user_data;
  g_autofree char *where = entry >= 0 ? g_strdup_printf ("[CDText] Entry %d", entry) : g_strdup ("[CDText]");

  ccd_problem (c, NO_LBA, where, "%s", message);
}

/* [CDText] Entry N=16 hex bytes: the packs without their CRC. */
static void
check_cdtext (Check *c)
{
  g_autoptr(RcCdTextDecoder) decoder = NULL;
  gint entries = 0;

  if (!g_key_file_has_group (c->ccd, "CDText"))
    return;
  if (!get_int (c, "CDText", "Entries", &entries) || entries < 0 || entries > 8 * 256)
    {
      ccd_problem (c, NO_LBA, "[CDText]", "Entries is missing or not 0..2048");
      return;
    }
  decoder = rc_cdtext_decoder_new ();
  for (gint i = 0; i < entries; i++)
    {
      g_autofree char *key = g_strdup_printf ("Entry %d", i);
      g_autofree char *v = g_key_file_get_value (c->ccd, "CDText", key, NULL);
      guint8 pack[RC_CDTEXT_PACK_SIZE];
      guint n = 0;
      guint16 crc;

      for (const char *s = v; s != NULL && *s != '\0' && n < 16;)
        {
          gint b;

          while (*s == ' ')
            s++;
          b = *s != '\0' ? hex_byte (s) : -1;
          if (b < 0)
            break;
          pack[n++] = (guint8) b;
          s += 2;
        }
      if (n != 16)
        {
          ccd_problem (c, NO_LBA, "[CDText]", "%s is not 16 hex bytes", key);
          continue;
        }
      /* CloneCD keeps no CRC: add the one the lead-in would carry */
      crc = rc_crc16 (pack, 16) ^ 0xFFFF;
      pack[16] = (guint8) (crc >> 8);
      pack[17] = (guint8) crc;
      /* the decoder places a pack by where it was read: here, its entry */
      if (rc_cdtext_decoder_add (decoder, pack, i) == RC_CDTEXT_PACK_NOT_TEXT)
        ccd_problem (c, NO_LBA, "[CDText]", "%s is not a CD-TEXT pack (type %02X)", key, pack[0]);
    }
  if (c->report->cdtext == NULL)
    c->report->cdtext = rc_cdtext_decoder_finish (decoder, cdtext_problem, c);
}

RcInspectReport *
rc_inspect_clonecd (int                      img_fd,
                    int                      sub_fd,
                    const char              *ccd,
                    gsize                    ccd_len,
                    const RcInspectOptions  *options,
                    RcProgressFunc           progress,
                    gpointer                 user_data,
                    GCancellable            *cancellable,
                    GError                 **error)
{
  g_autoptr(RcInspectReport) report = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) parse_error = NULL;
  guint max = options != NULL && options->max_problems > 0 ? options->max_problems
                                                            : RC_INSPECT_DEFAULT_MAX_PROBLEMS;
  Check c = { 0 };

  g_return_val_if_fail (img_fd >= 0 && sub_fd >= 0 && (ccd != NULL || ccd_len == 0), NULL);

  if (ccd_len > RC_CUE_MAX_BYTES)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "the CloneCD file is %" G_GSIZE_FORMAT " bytes; one of at most %u bytes is read",
                   ccd_len, RC_CUE_MAX_BYTES);
      return NULL;
    }
  report = rc_inspect_fd (img_fd, sub_fd, options, progress, user_data, cancellable, error);
  if (report == NULL)
    return NULL;
  rc_inspect_log_init (&c.log, max);
  c.report = report;
  c.ccd = keys;
  if (!g_key_file_load_from_data (keys, ccd != NULL ? ccd : "", ccd_len, G_KEY_FILE_NONE, &parse_error))
    ccd_problem (&c, NO_LBA, NULL, "not readable as one: %s", parse_error->message);
  else
    {
      if (!g_key_file_has_group (keys, "CloneCD"))
        ccd_problem (&c, NO_LBA, NULL, "has no [CloneCD] section");
      check_catalog (&c);
      check_entries (&c, report->first_lba + (gint) report->sectors);
      check_track_indexes (&c);
      check_cdtext (&c);
    }
  rc_inspect_log_merge (&c.log, report);
  rc_inspect_log_clear (&c.log);
  return g_steal_pointer (&report);
}
