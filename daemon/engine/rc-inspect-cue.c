/* rc-inspect-cue.c: a BIN checked against its CUE sheet (rc_inspect_cue(),
 * rc-inspect.h).
 *
 * The sheet says where each track and index begins in the BIN, its ISRC,
 * the disc's CATALOG and the copy and pre-emphasis flags.  The data says
 * how many sectors there are and, with a .sub, where the Q puts every
 * track and index and which codes it carries.  Each disagreement is one
 * problem at the LBA concerned, naming the sheet's line.
 */
#include "rc-inspect.h"

#include "rc-cue.h"
#include "rc-error.h"
#include "rc-inspect-log.h"
#include "rc-inspect-read.h"

#include <string.h>

#define NO_LBA RC_INSPECT_NO_LBA

typedef struct {
  RcInspectReport *report;
  RcInspectLog     log;
  gint             origin;     /* LBA of the BIN's first sector */
  guint64          sectors;    /* whole sectors of the BIN */
} Check;

static void G_GNUC_PRINTF (4, 5)
sheet_problem (Check *c, gint lba, guint line, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    rc_inspect_log_add (&c->log, lba, RC_INSPECT_CHECK_SHEET, RC_INSPECT_SEVERITY_ERROR,
                        "line %u of the CUE sheet: %s", line, message);
  else
    rc_inspect_log_add (&c->log, lba, RC_INSPECT_CHECK_SHEET, RC_INSPECT_SEVERITY_ERROR,
                        "the CUE sheet: %s", message);
}

static void
time_string (gint sectors, char out[RC_INSPECT_MSF_LEN])
{
  g_snprintf (out, RC_INSPECT_MSF_LEN, "%02d:%02d:%02d", sectors / 4500, sectors / 75 % 60, sectors % 75);
}

/* The BIN as the sheet lays it out: every index inside it, tracks of at
 * least 4 seconds. */
static void
check_layout (Check *c, const RcCue *cue)
{
  for (guint i = 0; i < cue->n_tracks; i++)
    {
      const RcCueTrack *t = &cue->tracks[i];
      /* what a player plays: to the next track's index 1 (its pregap is
       * this track's audio, gapless) or to the end */
      gint end = i + 1 < cue->n_tracks ? cue->tracks[i + 1].index[1] : (gint) c->sectors;
      gint prev = -1;

      for (guint k = 0; k <= RC_MAX_INDEXES; k++)
        {
          char at[RC_INSPECT_MSF_LEN];

          if (t->index[k] == RC_CUE_NO_INDEX)
            continue;
          time_string (t->index[k], at);
          if ((guint64) t->index[k] >= c->sectors)
            sheet_problem (c, c->origin + t->index[k], t->index_line[k],
                           "INDEX %02u of track %02u is at %s (sector %d of the BIN), past the end of the "
                           "BIN, which has %" G_GUINT64_FORMAT " sectors", k, t->number, at, t->index[k],
                           c->sectors);
          else if (t->index[k] <= prev)
            sheet_problem (c, c->origin + t->index[k], t->index_line[k],
                           "INDEX %02u of track %02u is at %s, not after the index before it", k,
                           t->number, at);
          prev = t->index[k];
        }
      if (t->index[1] != RC_CUE_NO_INDEX && end != RC_CUE_NO_INDEX && end > t->index[1] &&
          (guint64) end <= c->sectors &&
          end - t->index[1] < RC_MIN_TRACK_SECTORS)
        sheet_problem (c, c->origin + t->index[1], t->line,
                       "track %02u has %d sectors from its INDEX 01 to %s; a track has at least %d (4 s)",
                       t->number, end - t->index[1],
                       i + 1 < cue->n_tracks ? "the next track" : "the end of the BIN", RC_MIN_TRACK_SECTORS);
    }
}

/* What the sheet says against what the subchannel says. */
static void
check_against_q (Check *c, const RcCue *cue)
{
  const RcInspectReport *r = c->report;

  if (*cue->mcn != '\0' && strcmp (cue->mcn, r->mcn) != 0)
    sheet_problem (c, NO_LBA, cue->mcn_line, "CATALOG %s; the subchannel's MCN is %s", cue->mcn,
                   *r->mcn != '\0' ? r->mcn : "none");
  if (*cue->mcn == '\0' && *r->mcn != '\0')
    sheet_problem (c, NO_LBA, 0, "no CATALOG; the subchannel carries MCN %s", r->mcn);
  for (guint i = 0; i < cue->n_tracks; i++)
    {
      const RcCueTrack *t = &cue->tracks[i];
      const RcInspectTrack *q = rc_inspect_report_get_track (r, t->number);
      gboolean permitted;

      if (q == NULL)
        {
          sheet_problem (c, NO_LBA, t->line, "track %02u is not in the subchannel", t->number);
          continue;
        }
      for (guint k = 0; k <= RC_MAX_INDEXES; k++)
        {
          gint want, got;
          char at[RC_INSPECT_MSF_LEN];

          if (t->index[k] == RC_CUE_NO_INDEX)
            continue;
          want = c->origin + t->index[k];
          got = k == 0 ? q->pregap_lba : k <= q->n_indexes ? q->index_lba[k - 1] : NO_LBA;
          /* a pregap that began before the BIN's first sector shows from there */
          if (k == 0 && got != NO_LBA && got < c->origin)
            got = c->origin;
          if (got == want)
            continue;
          time_string (t->index[k], at);
          if (got == NO_LBA)
            sheet_problem (c, want, t->index_line[k], "INDEX %02u of track %02u at %s (LBA %d); the "
                           "subchannel has no index %u in that track", k, t->number, at, want, k);
          else
            sheet_problem (c, want, t->index_line[k], "INDEX %02u of track %02u at %s (LBA %d); the "
                           "subchannel starts it at LBA %d", k, t->number, at, want, got);
        }
      if (strcmp (t->isrc, q->isrc) != 0)
        sheet_problem (c, q->start_lba, t->isrc_line > 0 ? t->isrc_line : t->line,
                       "track %02u: ISRC %s in the sheet, %s in the subchannel", t->number,
                       *t->isrc != '\0' ? t->isrc : "none", *q->isrc != '\0' ? q->isrc : "none");
      permitted = q->copy == RC_COPY_PERMITTED;
      if (t->dcp != permitted || t->pre != q->preemphasis)
        sheet_problem (c, q->start_lba, t->flags_line > 0 ? t->flags_line : t->line,
                       "track %02u: FLAGS say copy %s and pre-emphasis %s; the subchannel says "
                       "copy %s and pre-emphasis %s", t->number,
                       t->dcp ? "permitted (DCP)" : "not permitted", t->pre ? "on" : "off",
                       q->copy == RC_COPY_PERMITTED ? "permitted" :
                       q->copy == RC_COPY_SCMS ? "SCMS" : "prohibited",
                       q->preemphasis ? "on" : "off");
    }
  for (guint i = 0; i < r->n_tracks; i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; j < cue->n_tracks && !listed; j++)
        listed = cue->tracks[j].number == r->tracks[i].number;
      if (!listed)
        sheet_problem (c, r->tracks[i].start_lba, 0, "the subchannel has track %u, the sheet does not",
                       r->tracks[i].number);
    }
}

/* Without a .sub the report's tracks are the sheet's. */
static void
tracks_from_sheet (Check *c, const RcCue *cue)
{
  RcInspectReport *r = c->report;

  r->tracks = g_new0 (RcInspectTrack, MAX (cue->n_tracks, 1));
  for (guint i = 0; i < cue->n_tracks; i++)
    {
      const RcCueTrack *t = &cue->tracks[i];
      RcInspectTrack *out = &r->tracks[r->n_tracks++];
      const RcCueTrack *next = i + 1 < cue->n_tracks ? &cue->tracks[i + 1] : NULL;
      gint next_first = next == NULL ? RC_CUE_NO_INDEX : next->index[0] != RC_CUE_NO_INDEX ? next->index[0]
                                                                                            : next->index[1];

      out->number = t->number;
      out->pregap_lba = t->index[0] != RC_CUE_NO_INDEX ? c->origin + t->index[0] : NO_LBA;
      out->start_lba = t->index[1] != RC_CUE_NO_INDEX ? c->origin + t->index[1] : NO_LBA;
      out->end_lba = next_first != RC_CUE_NO_INDEX ? c->origin + next_first : c->origin + (gint) c->sectors;
      for (guint k = 1; k <= RC_MAX_INDEXES && t->index[k] != RC_CUE_NO_INDEX; k++)
        out->index_lba[out->n_indexes++] = c->origin + t->index[k];
      out->copy = t->dcp ? RC_COPY_PERMITTED : RC_COPY_PROHIBITED;
      out->preemphasis = t->pre;
      out->control = (guint8) ((t->pre ? RC_CONTROL_PREEMPHASIS : 0) | (t->dcp ? RC_CONTROL_COPY_PERMITTED : 0));
      memcpy (out->isrc, t->isrc, sizeof out->isrc);
    }
  if (r->n_tracks > 0)
    {
      r->first_track = r->tracks[0].number;
      r->last_track = r->tracks[r->n_tracks - 1].number;
    }
  memcpy (r->mcn, cue->mcn, sizeof r->mcn);
}

static RcInspectReport *
bin_only_report (int bin_fd, Check *c, GError **error)
{
  RcInspectReport *r;
  guint64 size;

  if (!rc_inspect_file_size (bin_fd, "BIN", &size, error) ||
      !rc_inspect_check_sizes (size, TRUE, 0, error))
    return NULL;
  r = g_new0 (RcInspectReport, 1);
  r->input = RC_INSPECT_INPUT_BIN_SUB;
  r->sector_bytes = RC_AUDIO_BYTES;
  r->format = g_strdup ("BIN of 2352-byte sectors without a .sub: its size checked against the sheet");
  r->sectors = size / RC_AUDIO_BYTES;
  r->first_lba = 0;
  r->leadout_lba = NO_LBA;
  c->sectors = r->sectors;
  c->origin = 0;
  if (size % RC_AUDIO_BYTES != 0)
    rc_inspect_log_add (&c->log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                        "the BIN is %" G_GUINT64_FORMAT " bytes: %" G_GUINT64_FORMAT " bytes after its last "
                        "whole 2352-byte sector", size, size % RC_AUDIO_BYTES);
  return r;
}

RcInspectReport *
rc_inspect_cue (int                      bin_fd,
                int                      sub_fd,
                const char              *sheet,
                gsize                    sheet_len,
                const RcInspectOptions  *options,
                RcProgressFunc           progress,
                gpointer                 user_data,
                GCancellable            *cancellable,
                GError                 **error)
{
  g_autoptr(RcCue) cue = NULL;
  g_autoptr(RcInspectReport) report = NULL;
  guint max = options != NULL && options->max_problems > 0 ? options->max_problems
                                                            : RC_INSPECT_DEFAULT_MAX_PROBLEMS;
  Check c = { 0 };

  g_return_val_if_fail (bin_fd >= 0 && (sheet != NULL || sheet_len == 0), NULL);

  cue = rc_cue_parse (sheet != NULL ? sheet : "", sheet_len, error);
  if (cue == NULL)
    return NULL;
  rc_inspect_log_init (&c.log, max);
  if (sub_fd >= 0)
    {
      report = rc_inspect_fd (bin_fd, sub_fd, options, progress, user_data, cancellable, error);
      if (report == NULL)
        {
          rc_inspect_log_clear (&c.log);
          return NULL;
        }
      c.origin = report->first_lba;
      c.sectors = report->sectors;
    }
  else
    {
      report = bin_only_report (bin_fd, &c, error);
      if (report == NULL)
        {
          rc_inspect_log_clear (&c.log);
          return NULL;
        }
    }
  c.report = report;

  for (guint i = 0; i < cue->problems->len; i++)
    {
      const RcCueProblem *p = g_ptr_array_index (cue->problems, i);

      sheet_problem (&c, NO_LBA, p->line, "%s", p->message);
    }
  check_layout (&c, cue);
  if (sub_fd >= 0)
    check_against_q (&c, cue);
  else
    tracks_from_sheet (&c, cue);
  rc_inspect_log_merge (&c.log, c.report);
  rc_inspect_log_clear (&c.log);
  return g_steal_pointer (&report);
}
