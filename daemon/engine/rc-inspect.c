/* rc-inspect.c: inspection of an image, sector by sector (rc-inspect.h).
 *
 * The pieces: rc-inspect-detect tells the file's format and origin,
 * rc-inspect-read brings each sector to one form, rc-inspect-q follows the
 * Q channel (time, tracks, indexes, TOC, MCN, ISRC), rc-inspect-text
 * collects the lead-in's CD-TEXT and rc-inspect-rw tells IS_RAW from
 * IS_COOKED.  What is specific to a sector form is checked here: the CRC
 * convention, the P bits and silence in the lead-in and lead-out.
 */
#include "rc-inspect.h"

#include "rc-crc.h"
#include "rc-error.h"
#include "rc-inspect-detect.h"
#include "rc-inspect-log.h"
#include "rc-inspect-q.h"
#include "rc-inspect-read.h"
#include "rc-inspect-rw.h"
#include "rc-inspect-text.h"

#include <string.h>

#define NO_LBA RC_INSPECT_NO_LBA

typedef struct {
  RcInspectLog     log;
  RcInspectFormat  fmt;
  RcInspectQ      *q;
  guint64          n_q_crc_errors;
  gboolean         convention_reported;

  /* a run of lead-in or lead-out sectors that are not silent */
  gint             run_first;
  gint             run_last;
  RcRegion         run_region;
  guint64          n_nonsilent;

  RcInspectText   *text;
  RcInspectRw      rw;
} Inspector;

static void
flush_run (Inspector *ins)
{
  if (ins->run_first == NO_LBA)
    return;
  rc_inspect_log_add (&ins->log, ins->run_first, RC_INSPECT_CHECK_MAIN, RC_INSPECT_SEVERITY_WARNING,
                      "the main channel of the %s is not digital silence from LBA %d to %d (%d sectors, §2)",
                      ins->run_region == RC_REGION_LEADIN ? "lead-in" : "lead-out",
                      ins->run_first, ins->run_last, ins->run_last - ins->run_first + 1);
  ins->run_first = NO_LBA;
}

static void
check_silence (Inspector *ins, gint lba, RcRegion region, const guint8 *main_bytes)
{
  if (region == RC_REGION_PROGRAM || rc_inspect_all_zero (main_bytes, RC_AUDIO_BYTES))
    {
      flush_run (ins);
      return;
    }
  ins->n_nonsilent++;
  if (ins->run_first != NO_LBA && region == ins->run_region && lba == ins->run_last + 1)
    {
      ins->run_last = lba;
      return;
    }
  flush_run (ins);
  ins->run_first = ins->run_last = lba;
  ins->run_region = region;
}

static void
check_crc (Inspector *ins, gint lba, const guint8 q[12], RcInspectCrc crc)
{
  guint16 stored, computed;
  gboolean inverted = ins->fmt.form != RC_INSPECT_SUB_PQ16;

  if (crc == RC_INSPECT_CRC_OK)
    return;
  /* rc_inspect_q_crc() computed it too, but only a bad Q gets here */
  stored = (guint16) (q[10] << 8 | q[11]);
  computed = rc_crc16 (q, 10);
  ins->n_q_crc_errors++;
  if (crc == RC_INSPECT_CRC_BAD && rc_inspect_all_zero (q, 12))
    {
      rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_Q_CRC, RC_INSPECT_SEVERITY_ERROR,
                          "Q is all zero: the sector has no subchannel");
      return;
    }
  if (crc == RC_INSPECT_CRC_BAD)
    {
      rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_Q_CRC, RC_INSPECT_SEVERITY_ERROR,
                          "Q CRC %04X does not match its content (%04X stored %s) "
                          "[Q %02X %02X %02X %02X %02X %02X %02X %02X %02X %02X]",
                          stored, inverted ? computed ^ 0xFFFF : computed,
                          inverted ? "inverted" : "as computed",
                          q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]);
      return;
    }
  /* one producer's convention: say it once, not in every sector */
  if (ins->convention_reported)
    return;
  ins->convention_reported = TRUE;
  rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_Q_CRC, RC_INSPECT_SEVERITY_ERROR,
                      "Q CRC stored %s, this form stores it %s (§3 PINNED); said once for the image",
                      inverted ? "as computed" : "inverted", inverted ? "inverted" : "as computed");
}

static void
check_p (Inspector *ins, gint lba, const RcInspectSector *s)
{
  if (s->pq16 != NULL)
    {
      if (s->pq16[12] != 0 || s->pq16[13] != 0 || s->pq16[14] != 0 || (s->pq16[15] & 0x7F) != 0)
        rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_P, RC_INSPECT_SEVERITY_ERROR,
                            "PQ_ONLY bytes 12-15 are %02X %02X %02X %02X, expected 00 00 00 and 00 or 80 (§3)",
                            s->pq16[12], s->pq16[13], s->pq16[14], s->pq16[15]);
      return;
    }
  for (guint i = 0; i < 12; i++)
    {
      if ((s->p[i] == 0x00 || s->p[i] == 0xFF) && s->p[i] == s->p[0])
        continue;
      rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_P, RC_INSPECT_SEVERITY_ERROR,
                          "the P bits of the sector are not all equal: %02X %02X %02X %02X %02X %02X %02X %02X "
                          "%02X %02X %02X %02X (§6: one flag per sector)",
                          s->p[0], s->p[1], s->p[2], s->p[3], s->p[4], s->p[5],
                          s->p[6], s->p[7], s->p[8], s->p[9], s->p[10], s->p[11]);
      return;
    }
}


static void
inspect_sector (Inspector *ins, const RcInspectSector *s)
{
  RcInspectCrc crc = rc_inspect_q_crc (s->q, ins->fmt.form);
  RcRegion region;
  gint lba;

  lba = rc_inspect_q_sector (ins->q, s->q, crc != RC_INSPECT_CRC_BAD, &region);
  check_crc (ins, lba, s->q, crc);
  check_p (ins, lba, s);
  check_silence (ins, lba, region, s->main);
  if (s->pq16 != NULL)
    return;
  /* the sector that begins the program area is still counted in the
   * lead-in until the next one confirms it: go by its time too */
  if (region == RC_REGION_LEADIN && lba < -RC_PREGAP_SECTORS && !rc_inspect_text_is_done (ins->text))
    {
      rc_inspect_text_leadin_sector (ins->text, lba, s->rw);
      return;
    }
  rc_inspect_text_leadin_done (ins->text);
  if (lba < -RC_PREGAP_SECTORS)
    return;
  for (guint k = 0; k < 4; k++)
    rc_inspect_rw_pack (&ins->rw, s->rw + 24 * k);
}
static void
inspector_clear (Inspector *ins)
{
  g_clear_pointer (&ins->q, rc_inspect_q_free);
  g_clear_pointer (&ins->text, rc_inspect_text_free);
  rc_inspect_log_clear (&ins->log);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Inspector, inspector_clear)

/* ---- the report ---- */

static char *
describe_format (const RcInspectFormat *fmt, RcImageType type, const char *why)
{
  const char *rw = type == RC_IMAGE_TYPE_IS_RAW ? "IS_RAW" : type == RC_IMAGE_TYPE_IS_COOKED ? "IS_COOKED" : NULL;

  if (fmt->input == RC_INSPECT_INPUT_BIN_SUB)
    return g_strdup_printf ("BIN of 2352-byte sectors with a%s 96-byte .sub%s%s",
                            fmt->form == RC_INSPECT_SUB_PLANAR ? " planar" : "n interleaved",
                            rw != NULL ? ", R-W as in " : "", rw != NULL ? rw : "");
  if (fmt->form == RC_INSPECT_SUB_PQ16)
    return g_strdup ("PQ_ONLY: 2368-byte sectors");
  if (rw != NULL)
    return g_strdup_printf ("%s: 2448-byte sectors", rw);
  return g_strdup_printf ("2448-byte sectors (IS_RAW or IS_COOKED: %s)", why);
}

static RcInspectReport *
build_report (Inspector *ins)
{
  RcInspectReport *report = g_new0 (RcInspectReport, 1);
  const char *why = NULL;

  report->input = ins->fmt.input;
  report->sector_bytes = ins->fmt.image_bytes;
  report->sectors = ins->fmt.sectors;
  report->image_type = ins->fmt.form == RC_INSPECT_SUB_PQ16 ? RC_IMAGE_TYPE_PQ_ONLY
                                                             : rc_inspect_rw_verdict (&ins->rw, &why);
  report->format = describe_format (&ins->fmt, report->image_type, why);
  rc_inspect_q_finish (ins->q, report);
  report->cdtext = rc_inspect_text_finish (ins->text, report);
  report->n_q_crc_errors = ins->n_q_crc_errors;
  report->n_cdtext_pack_errors = rc_inspect_text_n_bad_packs (ins->text);
  report->n_nonsilent_sectors = ins->n_nonsilent;
  rc_inspect_log_to_report (&ins->log, report);
  return report;
}

RcInspectReport *
rc_inspect_fd (int                      image_fd,
               int                      sub_fd,
               const RcInspectOptions  *options,
               RcProgressFunc           progress,
               gpointer                 user_data,
               GCancellable            *cancellable,
               GError                 **error)
{
  g_auto(Inspector) ins = { 0 };
  g_auto(RcInspectReader) r = { 0 };
  guint max = options != NULL && options->max_problems > 0 ? options->max_problems
                                                            : RC_INSPECT_DEFAULT_MAX_PROBLEMS;
  gint origin;

  g_return_val_if_fail (image_fd >= 0, NULL);

  rc_inspect_log_init (&ins.log, max);
  ins.run_first = NO_LBA;
  ins.text = rc_inspect_text_new (&ins.log);
  if (!rc_inspect_detect (image_fd, sub_fd, &ins.log, &ins.fmt, &origin, error))
    return NULL;
  ins.q = rc_inspect_q_new (&ins.log, origin, ins.fmt.input == RC_INSPECT_INPUT_FULL_IMAGE);
  rc_inspect_reader_init (&r, image_fd, sub_fd, &ins.fmt);

  for (guint64 done = 0; done < ins.fmt.sectors;)
    {
      guint n = (guint) MIN ((guint64) RC_INSPECT_BATCH_SECTORS, ins.fmt.sectors - done);

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_CANCELLED,
                       "cancelled after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " sectors",
                       done, ins.fmt.sectors);
          return NULL;
        }
      if (!rc_inspect_reader_read (&r, done, n, error))
        return NULL;
      for (guint i = 0; i < n; i++)
        {
          RcInspectSector s;

          rc_inspect_reader_sector (&r, i, &s);
          inspect_sector (&ins, &s);
        }
      done += n;
      if (progress != NULL)
        progress (done, ins.fmt.sectors, r.bytes_read, user_data);
    }
  flush_run (&ins);
  rc_inspect_text_leadin_done (ins.text);
  return build_report (&ins);
}

void
rc_inspect_report_free (RcInspectReport *report)
{
  if (report == NULL)
    return;
  g_free (report->format);
  g_free (report->tracks);
  g_free (report->toc);
  rc_cdtext_decoded_free (report->cdtext);
  if (report->problems != NULL)
    g_ptr_array_unref (report->problems);
  g_free (report);
}

gboolean
rc_inspect_report_has_problem (const RcInspectReport *report, RcInspectCheck check, gint lba)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      if (p->check == check && p->lba == lba)
        return TRUE;
    }
  return FALSE;
}

const RcInspectTrack *
rc_inspect_report_get_track (const RcInspectReport *report, guint number)
{
  for (guint i = 0; i < report->n_tracks; i++)
    if (report->tracks[i].number == number)
      return &report->tracks[i];
  return NULL;
}
