/* rc-inspect-toc-file.c: a data file checked against its cdrdao TOC file
 * (rc_inspect_toc_file(), rc-toc-file.h).
 *
 * The TOC says where each track begins on the disc (the tracks one after
 * the other), which piece of the data file it plays, where its index 1
 * (START) and further indexes fall, its ISRC and flags, the disc's CATALOG
 * and the CD-TEXT.  The data file says how many sectors there are.  rawcd
 * writes the data file in disc order from LBA 0, so every track's piece
 * must begin where the tracks before it end, and the last one must end
 * where the data file does.  Each disagreement is one problem at the LBA
 * concerned, naming the TOC file's line.
 */
#include "rc-toc-file.h"

#include "rc-error.h"
#include "rc-inspect-log.h"
#include "rc-inspect-read.h"

#include <string.h>

#define NO_LBA RC_INSPECT_NO_LBA

typedef struct {
  RcInspectReport *report;
  RcInspectLog     log;
  const RcTocFile *toc;
  guint            block;      /* bytes of a data-file sector: 2352, 2448 for RW_RAW */
  guint64          sectors;    /* whole sectors of the data file */
} Check;

static void G_GNUC_PRINTF (5, 6)
toc_problem (Check *c, gint lba, guint line, RcInspectSeverity severity, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    rc_inspect_log_add (&c->log, lba, RC_INSPECT_CHECK_SHEET, severity,
                        "line %u of the TOC file: %s", line, message);
  else
    rc_inspect_log_add (&c->log, lba, RC_INSPECT_CHECK_SHEET, severity, "the TOC file: %s", message);
}

#define error_at(c, lba, line, ...) toc_problem (c, lba, line, RC_INSPECT_SEVERITY_ERROR, __VA_ARGS__)

static void
msf (gint sectors, char out[RC_INSPECT_MSF_LEN])
{
  g_snprintf (out, RC_INSPECT_MSF_LEN, "%02d:%02d:%02d", sectors / 4500, sectors / 75 % 60,
              sectors % 75);
}

/* One track: where the TOC puts it against the data file, into the
 * report.  pos is the LBA where it begins (the tracks before it end);
 * returns where it ends. */
static gint64
check_track (Check *c, const RcTocFileTrack *t, gint64 pos, RcInspectTrack *out)
{
  gint64 length, track_len, data_at;
  char a[RC_INSPECT_MSF_LEN], b[RC_INSPECT_MSF_LEN];
  gint prev = 0;

  if (t->rw_raw != (c->block != RC_AUDIO_BYTES))
    error_at (c, (gint) pos, t->line, "track %02u is %s while track 01 is %s: one data file has "
              "one block size", t->number, t->rw_raw ? "RW_RAW" : "not RW_RAW",
              t->rw_raw ? "not" : "RW_RAW");
  if (t->n_pieces == 0)
    {
      error_at (c, (gint) pos, t->line, "track %02u has no FILE or DATAFILE: no audio of the data file",
                t->number);
      length = 0;
    }
  else
    {
      length = t->file_length >= 0 ? t->file_length
                                   : MAX ((gint64) c->sectors - t->file_from, 0);
      data_at = pos + t->silence;
      if (t->file_from != data_at)
        {
          msf ((gint) MIN (t->file_from, G_MAXINT / 2), a);
          error_at (c, (gint) data_at, t->file_line, "track %02u plays the data file from %s (sector "
                    "%" G_GINT64_FORMAT "), but on the disc its audio begins at LBA %" G_GINT64_FORMAT
                    ", where the tracks before it end: the data file is in disc order",
                    t->number, a, t->file_from, data_at);
        }
      if ((guint64) (t->file_from + length) > c->sectors)
        error_at (c, (gint) data_at, t->file_line, "track %02u takes sectors %" G_GINT64_FORMAT " to %"
                  G_GINT64_FORMAT " of the data file, which has %" G_GUINT64_FORMAT, t->number,
                  t->file_from, t->file_from + length - 1, c->sectors);
    }
  track_len = t->silence + length;

  /* index 1 (START) and the further indexes, inside the track */
  if (t->start >= track_len && track_len > 0)
    {
      msf (t->start, a);
      msf ((gint) track_len, b);
      error_at (c, (gint) (pos + t->start), t->start_line > 0 ? t->start_line : t->line,
                "START %s of track %02u is at or past the track's end (it is %s long)", a,
                t->number, b);
    }
  for (guint k = 0; k < t->n_indexes; k++)
    {
      msf (t->index[k], a);
      if (t->index[k] <= prev)
        error_at (c, (gint) (pos + t->start + t->index[k]), t->index_line[k],
                  "INDEX %s (index %u) of track %02u is not after the index before it", a, k + 2,
                  t->number);
      else if (t->start + t->index[k] >= track_len)
        error_at (c, (gint) (pos + t->start + t->index[k]), t->index_line[k],
                  "INDEX %s (index %u) of track %02u is beyond the track's end", a, k + 2, t->number);
      prev = t->index[k];
    }
  out->number = t->number;
  out->pregap_lba = t->start > 0 ? (gint) pos : NO_LBA;
  out->start_lba = (gint) (pos + MIN (t->start, track_len));
  out->end_lba = (gint) (pos + track_len);
  out->index_lba[out->n_indexes++] = out->start_lba;
  for (guint k = 0; k < t->n_indexes && out->n_indexes < RC_MAX_INDEXES; k++)
    out->index_lba[out->n_indexes++] = out->start_lba + t->index[k];
  out->copy = t->copy ? RC_COPY_PERMITTED : RC_COPY_PROHIBITED;
  out->preemphasis = t->pre;
  out->control = (guint8) ((t->pre ? RC_CONTROL_PREEMPHASIS : 0) | (t->copy ? RC_CONTROL_COPY_PERMITTED : 0));
  memcpy (out->isrc, t->isrc, sizeof out->isrc);
  return pos + track_len;
}

/* cdrdao's rules for the CD-TEXT (Toc::checkCdTextData), which it checks
 * before it writes, not in show-toc: a language has each item for the
 * disc and every track or for none, languages are numbered 0, 1, 2 ...
 * without a hole, and a language without TITLE or PERFORMER needs --force. */
static void
check_cd_text (Check *c)
{
  const RcTocFile *toc = c->toc;

  for (guint l = 0; l < RC_TOC_FILE_LANGUAGES; l++)
    {
      if (!toc->has_language[l])
        continue;
      if (l > 0 && !toc->has_language[l - 1])
        error_at (c, NO_LBA, toc->cd_text_line, "LANGUAGE %u without LANGUAGE %u: cdrdao refuses "
                  "languages numbered with a hole", l, l - 1);
      for (guint k = 0; k < RC_TOC_FILE_N_ITEMS; k++)
        {
          guint given = toc->text[l][k] != NULL ? 1 : 0;
          const char *missing = NULL;
          guint missing_line = toc->text_line[l];
          g_autofree char *track_name = NULL;

          if (given == 0)
            missing = "the disc";
          for (guint i = 0; i < toc->n_tracks; i++)
            {
              if (toc->tracks[i].text[l][k] != NULL)
                given++;
              else if (missing == NULL)
                {
                  track_name = g_strdup_printf ("track %02u", toc->tracks[i].number);
                  missing = track_name;
                  missing_line = toc->tracks[i].text_line[l] > 0 ? toc->tracks[i].text_line[l]
                                                                 : toc->tracks[i].line;
                }
            }
          if (given > 0 && missing != NULL)
            error_at (c, NO_LBA, missing_line, "LANGUAGE %u has %s for some of the disc and its "
                      "tracks but not for %s: cdrdao wants it for the disc and every track, or "
                      "for none (\"\" where there is no text)", l,
                      rc_toc_file_item_name (k, missing == track_name ? FALSE : TRUE), missing);
          else if (given == 0 && k <= 1)
            toc_problem (c, NO_LBA, toc->text_line[l] > 0 ? toc->text_line[l] : toc->cd_text_line,
                         RC_INSPECT_SEVERITY_WARNING, "LANGUAGE %u has no %s: cdrdao writes it only "
                         "with --force", l, rc_toc_file_item_name (k, TRUE));
        }
    }
}

/* The TOC's CD-TEXT into the report, as a lead-in's would be decoded: a
 * block per LANGUAGE, its code from the LANGUAGE_MAP, ISO-8859-1 (the only
 * character code a TOC file can declare), the non-empty strings. */
static void
text_to_report (Check *c)
{
  static const RcCdTextField fields[RC_TOC_FILE_N_ITEMS] = {
    RC_CDTEXT_FIELD_TITLE, RC_CDTEXT_FIELD_PERFORMER, RC_CDTEXT_FIELD_SONGWRITER,
    RC_CDTEXT_FIELD_COMPOSER, RC_CDTEXT_FIELD_ARRANGER, RC_CDTEXT_FIELD_MESSAGE,
    RC_CDTEXT_FIELD_UPC_ISRC,
  };
  const RcTocFile *toc = c->toc;
  g_autoptr(GArray) blocks = g_array_new (FALSE, TRUE, sizeof (RcCdTextBlockInfo));
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (RcCdTextEntry));
  RcCdTextDecoded *decoded;

  for (guint l = 0; l < RC_TOC_FILE_LANGUAGES; l++)
    {
      RcCdTextBlockInfo info = { 0 };

      if (!toc->has_language[l])
        continue;
      info.block = l;
      info.charset = 0x00;
      info.language = toc->language_code[l] >= 0 ? (guint8) toc->language_code[l] : 0;
      info.first_track = toc->n_tracks > 0 ? 1 : 0;
      info.last_track = toc->n_tracks;
      g_array_append_val (blocks, info);
      for (guint k = 0; k < RC_TOC_FILE_N_ITEMS; k++)
        for (guint t = 0; t <= toc->n_tracks; t++)
          {
            const char *text = t == 0 ? toc->text[l][k] : toc->tracks[t - 1].text[l][k];
            RcCdTextEntry entry = { l, t, fields[k], NULL };

            if (text == NULL || *text == '\0')
              continue;
            entry.text = g_strdup (text);
            g_array_append_val (entries, entry);
          }
    }
  if (blocks->len == 0)
    return;
  decoded = g_new0 (RcCdTextDecoded, 1);
  decoded->n_blocks = blocks->len;
  decoded->blocks = (RcCdTextBlockInfo *) (void *) g_array_free (g_steal_pointer (&blocks), FALSE);
  decoded->n_entries = entries->len;
  decoded->entries = (RcCdTextEntry *) (void *) g_array_free (g_steal_pointer (&entries), FALSE);
  c->report->cdtext = decoded;
}

static RcInspectReport *
new_report (int data_fd, Check *c, GError **error)
{
  RcInspectReport *r;
  guint64 size;

  if (!rc_inspect_file_size (data_fd, "data file", &size, error)
      || !rc_inspect_check_sizes (size, c->block == RC_AUDIO_BYTES, 0, error))
    return NULL;
  r = g_new0 (RcInspectReport, 1);
  r->input = RC_INSPECT_INPUT_BIN_SUB;
  r->sector_bytes = c->block;
  r->format = g_strdup (c->block == RC_AUDIO_BYTES
                        ? "cdrdao data file of 2352-byte sectors (big-endian samples): its size "
                          "checked against the TOC file"
                        : "cdrdao data file of 2448-byte RW_RAW blocks: its size checked against "
                          "the TOC file (the subchannel in it is not read)");
  r->sectors = size / c->block;
  r->first_lba = 0;
  c->sectors = r->sectors;
  if (size % c->block != 0)
    rc_inspect_log_add (&c->log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                        "the data file is %" G_GUINT64_FORMAT " bytes: %" G_GUINT64_FORMAT " bytes after "
                        "its last whole %u-byte block", size, size % c->block, c->block);
  return r;
}

RcInspectReport *
rc_inspect_toc_file (int                      data_fd,
                     const char              *toc_text,
                     gsize                    toc_len,
                     const RcInspectOptions  *options,
                     GError                 **error)
{
  g_autoptr(RcTocFile) toc = NULL;
  g_autoptr(RcInspectReport) report = NULL;
  guint max = options != NULL && options->max_problems > 0 ? options->max_problems
                                                            : RC_INSPECT_DEFAULT_MAX_PROBLEMS;
  Check c = { 0 };
  gint64 pos = 0;

  g_return_val_if_fail (data_fd >= 0 && (toc_text != NULL || toc_len == 0), NULL);

  toc = rc_toc_file_parse (toc_text != NULL ? toc_text : "", toc_len, error);
  if (toc == NULL)
    return NULL;
  c.toc = toc;
  c.block = toc->n_tracks > 0 && toc->tracks[0].rw_raw ? RC_AUDIO_BYTES + 96 : RC_AUDIO_BYTES;
  rc_inspect_log_init (&c.log, max);
  report = new_report (data_fd, &c, error);
  if (report == NULL)
    {
      rc_inspect_log_clear (&c.log);
      return NULL;
    }
  c.report = report;

  for (guint i = 0; i < toc->problems->len; i++)
    {
      const RcTocFileProblem *p = g_ptr_array_index (toc->problems, i);

      error_at (&c, NO_LBA, p->line, "%s", p->message);
    }
  if (toc->n_tracks == 0)
    error_at (&c, NO_LBA, 0, "no TRACK");

  report->tracks = g_new0 (RcInspectTrack, MAX (toc->n_tracks, 1));
  for (guint i = 0; i < toc->n_tracks; i++)
    pos = check_track (&c, &toc->tracks[i], pos, &report->tracks[report->n_tracks++]);
  /* What a player plays of a track: from its index 1 to the next track's
   * (the next pause is this track's audio, gapless), as for a CUE sheet. */
  for (guint i = 0; i < report->n_tracks; i++)
    {
      const RcInspectTrack *t = &report->tracks[i];
      gint end = i + 1 < report->n_tracks ? report->tracks[i + 1].start_lba : (gint) pos;

      if (end - t->start_lba < RC_MIN_TRACK_SECTORS && end > t->start_lba)
        error_at (&c, t->start_lba, toc->tracks[i].line, "track %02u has %d sectors from its index 1 "
                  "to %s; a track has at least %d (4 s)", t->number, end - t->start_lba,
                  i + 1 < report->n_tracks ? "the next track's" : "the end of the data file",
                  RC_MIN_TRACK_SECTORS);
    }
  if ((guint64) pos < c.sectors)
    error_at (&c, (gint) pos, 0, "the tracks end at LBA %" G_GINT64_FORMAT "; the data file has %"
              G_GUINT64_FORMAT " sectors more, audio that no track plays", pos, c.sectors - (guint64) pos);
  check_cd_text (&c);
  text_to_report (&c);

  if (report->n_tracks > 0)
    {
      report->first_track = report->tracks[0].number;
      report->last_track = report->tracks[report->n_tracks - 1].number;
      report->leadout_lba = (gint) pos;
    }
  else
    report->leadout_lba = NO_LBA;
  memcpy (report->mcn, toc->mcn, sizeof report->mcn);
  rc_inspect_log_merge (&c.log, report);
  rc_inspect_log_clear (&c.log);
  return g_steal_pointer (&report);
}
