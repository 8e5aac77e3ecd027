/* test-inspect-cue.c: a BIN checked against its CUE sheet
 * (rc_inspect_cue(), rc-cue.h).
 *
 * The sheet and the data are the ones rawcd writes for a disc (the CUE
 * side file, its BIN, and the CloneCD .sub of the same sectors); then the
 * sheet or the data is damaged one way at a time, and each damage must be
 * reported at its place (the LBA, and the sheet's line where it is the
 * sheet's).  Expected positions are worked out by hand from cd-format.md
 * §5: two tracks of 600 and 500 sectors, gapless, so track 2's index 0 at
 * LBA 450 and index 1 at 600; its index 2 at offset 200, LBA 800.
 */
#define _GNU_SOURCE
#include "test-util.h"
#include "rc-cue.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-inspect.h"
#include "rc-sidefiles.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MCN    "4006381333931"
#define ISRC_1 "USRC17607839"
#define LEADOUT 1100

typedef struct {
  int   bin;
  int   sub;
  char *cue;
} Files;

static void
files_clear (Files *f)
{
  if (f->bin >= 0)
    close (f->bin);
  if (f->sub >= 0)
    close (f->sub);
  g_free (f->cue);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Files, files_clear)

static RcLayout *
build_disc (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) one = test_pattern_source (41, 600);
  g_autoptr(RcAudioSource) two = test_pattern_source (42, 500);
  gboolean existed = TRUE;
  RcLayout *layout;

  g_assert_true (rc_disc_set_media_catalog_number (disc, MCN, &error));
  g_assert_cmpuint (rc_disc_add_track (disc, one, &error), ==, 1);
  g_assert_cmpuint (rc_disc_add_track (disc, two, &error), ==, 2);
  g_assert_true (rc_disc_track_set_isrc (disc, 1, ISRC_1, &error));
  g_assert_true (rc_disc_track_set_copy_setting (disc, 1, RC_COPY_PERMITTED, &error));
  g_assert_true (rc_disc_track_set_copy_setting (disc, 2, RC_COPY_PROHIBITED, &error));
  g_assert_true (rc_disc_track_set_preemphasis (disc, 2, TRUE, &error));
  g_assert_true (rc_disc_track_add_index (disc, 2, 200, &existed, &error));
  g_assert_no_error (error);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->leadout_lba, ==, LEADOUT);
  return layout;
}

/* The CUE side file, its BIN and the CloneCD .sub of the same sectors. */
static void
write_files (Files *f)
{
  g_autoptr(RcLayout) layout = build_disc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) texts = NULL;
  RcImageOutput outputs[2] = {
    { memfd_create ("test-bin", MFD_CLOEXEC), RC_SECTOR_FORM_AUDIO },
    { memfd_create ("test-sub", MFD_CLOEXEC), RC_SECTOR_FORM_SUB_PLANAR },
  };
  gint first, end;

  rc_side_format_data_range (RC_SIDE_FORMAT_CUE, layout, &first, &end);
  g_assert_cmpint (first, ==, 0);
  g_assert_true (rc_image_write_range (layout, RC_IMAGE_TYPE_IS_RAW, first, end, outputs, 2,
                                       NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  texts = rc_side_files_build (RC_SIDE_FORMAT_CUE, layout, "album.bin", NULL, &error);
  g_assert_no_error (error);
  f->bin = outputs[0].fd;
  f->sub = outputs[1].fd;
  f->cue = g_strdup (g_hash_table_lookup (texts, "cue"));
  if (g_test_verbose ())
    g_printerr ("%s", f->cue);
}

static RcInspectReport *
inspect_cue (int bin, int sub, const char *cue)
{
  g_autoptr(GError) error = NULL;
  RcInspectReport *report = rc_inspect_cue (bin, sub, cue, strlen (cue), NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; g_test_verbose () && i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      g_printerr ("  LBA %d [%s]: %s\n", p->lba, rc_inspect_check_name (p->check), p->message);
    }
  return report;
}

/* The line (1-based) of the sheet that contains `text` */
static guint
line_of (const char *sheet, const char *text)
{
  const char *at = strstr (sheet, text);
  guint line = 1;

  g_assert_nonnull (at);
  for (const char *p = sheet; p < at; p++)
    line += *p == '\n';
  return line;
}

/* A problem of check "sheet" at lba whose message holds `words` */
static void
assert_sheet_problem (const RcInspectReport *report, gint lba, const char *words)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      if (p->check == RC_INSPECT_CHECK_SHEET && p->lba == lba && strstr (p->message, words) != NULL)
        return;
    }
  g_error ("no sheet problem at LBA %d saying \"%s\"", lba, words);
}

static char *
replace (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* ---- what rawcd writes is clean ---- */

static void
test_clean_with_sub (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;

  write_files (&f);
  report = inspect_cue (f.bin, f.sub, f.cue);
  g_assert_cmpuint (report->n_problems, ==, 0);
  g_assert_cmpstr (report->mcn, ==, MCN);
  g_assert_cmpuint (report->n_tracks, ==, 2);
}

/* Without a .sub the tracks are the sheet's, as §5 places them. */
static void
test_clean_without_sub (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  const RcInspectTrack *t1, *t2;

  write_files (&f);
  report = inspect_cue (f.bin, -1, f.cue);
  g_assert_cmpuint (report->n_problems, ==, 0);
  g_assert_cmpuint (report->sectors, ==, LEADOUT);
  g_assert_cmpstr (report->mcn, ==, MCN);
  t1 = rc_inspect_report_get_track (report, 1);
  t2 = rc_inspect_report_get_track (report, 2);
  g_assert_nonnull (t1);
  g_assert_nonnull (t2);
  g_assert_cmpint (t1->start_lba, ==, 0);
  g_assert_cmpstr (t1->isrc, ==, ISRC_1);
  g_assert_cmpint (t1->copy, ==, RC_COPY_PERMITTED);
  g_assert_cmpint (t2->pregap_lba, ==, 450);
  g_assert_cmpint (t2->start_lba, ==, 600);
  g_assert_cmpuint (t2->n_indexes, ==, 2);
  g_assert_cmpint (t2->index_lba[1], ==, 800);
  g_assert_true (t2->preemphasis);
  g_assert_cmpint (t2->end_lba, ==, LEADOUT);
}

/* ---- a damaged sheet ---- */

/* Track 2's INDEX 01 one frame late (00:08:00 is LBA 600) */
static void
test_wrong_index_time (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *cue = NULL;
  g_autofree char *where = NULL;

  write_files (&f);
  cue = replace (f.cue, "INDEX 01 00:08:00", "INDEX 01 00:08:01");
  report = inspect_cue (f.bin, f.sub, cue);
  where = g_strdup_printf ("line %u of the CUE sheet", line_of (cue, "INDEX 01 00:08:01"));
  assert_sheet_problem (report, 601, where);
  assert_sheet_problem (report, 601, "the subchannel starts it at LBA 600");
  g_assert_cmpuint (report->counts[RC_INSPECT_CHECK_SHEET], ==, 1);
}

static void
test_wrong_isrc (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *cue = NULL;
  g_autofree char *where = NULL;

  write_files (&f);
  cue = replace (f.cue, "ISRC " ISRC_1, "ISRC USRC17607840");
  report = inspect_cue (f.bin, f.sub, cue);
  where = g_strdup_printf ("line %u of the CUE sheet", line_of (cue, "ISRC USRC17607840"));
  assert_sheet_problem (report, 0, where);
  assert_sheet_problem (report, 0, "ISRC USRC17607840 in the sheet, " ISRC_1 " in the subchannel");
  g_assert_cmpuint (report->n_problems, ==, 1);
}

static void
test_wrong_catalog (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *cue = NULL;

  write_files (&f);
  /* a valid EAN-13, but not the disc's */
  cue = replace (f.cue, "CATALOG " MCN, "CATALOG 0036000291452");
  report = inspect_cue (f.bin, f.sub, cue);
  assert_sheet_problem (report, RC_INSPECT_NO_LBA, "CATALOG 0036000291452; the subchannel's MCN is " MCN);
}

/* ---- damaged data ---- */

static int
copy_fd (int src, gsize len)
{
  int fd = memfd_create ("test-copy", MFD_CLOEXEC);
  g_autofree guint8 *buf = g_malloc (len);

  g_assert_cmpint (pread (src, buf, len, 0), ==, (gssize) len);
  g_assert_cmpint (write (fd, buf, len), ==, (gssize) len);
  return fd;
}

/* A BIN one sector short: with its .sub, the sizes disagree; without one,
 * the last track is short of the sheet's and the report's lengths say so. */
static void
test_bin_one_sector_short (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) with_sub = NULL;
  g_autoptr(RcInspectReport) without = NULL;
  int bin;

  write_files (&f);
  bin = copy_fd (f.bin, (gsize) (LEADOUT - 1) * 2352);
  with_sub = inspect_cue (bin, f.sub, f.cue);
  g_assert_true (rc_inspect_report_has_problem (with_sub, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_NO_LBA));
  without = inspect_cue (bin, -1, f.cue);
  g_assert_cmpuint (without->sectors, ==, LEADOUT - 1);
  g_assert_cmpint (rc_inspect_report_get_track (without, 2)->end_lba, ==, LEADOUT - 1);
  close (bin);
}

/* The BIN ends before track 2's index 2 (LBA 800): the sheet's index is
 * past its end, reported at that LBA with the sheet's line. */
static void
test_index_past_bin (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *where = NULL;
  int bin;

  write_files (&f);
  bin = copy_fd (f.bin, (gsize) 700 * 2352);
  report = inspect_cue (bin, -1, f.cue);
  where = g_strdup_printf ("line %u of the CUE sheet", line_of (f.cue, "INDEX 02 00:10:50"));
  assert_sheet_problem (report, 800, where);
  assert_sheet_problem (report, 800, "past the end of the BIN, which has 700 sectors");
  close (bin);
}

/* One Q of the .sub with a bad CRC, at LBA 300 */
static void
test_sub_bad_q_crc (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  guint8 byte;
  off_t at = (off_t) 300 * 96 + 12 + 4;   /* planar: Q is bytes 12..23 */

  write_files (&f);
  g_assert_cmpint (pread (f.sub, &byte, 1, at), ==, 1);
  byte ^= 0x01;
  g_assert_cmpint (pwrite (f.sub, &byte, 1, at), ==, 1);
  report = inspect_cue (f.bin, f.sub, f.cue);
  g_assert_true (rc_inspect_report_has_problem (report, RC_INSPECT_CHECK_Q_CRC, 300));
  g_assert_cmpuint (report->counts[RC_INSPECT_CHECK_SHEET], ==, 0);
}

/* ---- hostile text ---- */

static void
test_hostile_text (void)
{
  static const char *const sheets[] = {
    "",
    "\n\n\n",
    "TRACK",
    "FILE \"unterminated BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
    "FILE \"a.bin\" BINARY\nTRACK 00 AUDIO\nTRACK 100 AUDIO\nTRACK -1 AUDIO\nTRACK 99999999999999999999 AUDIO\n",
    "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 100 00:00:00\nINDEX 01 99:59:75\nINDEX 01 -1:00:00\n"
    "INDEX 01 00:00:00:00\nINDEX 01 +0:00:00\nINDEX 01 00:00:00\nINDEX 01 00:00:01\nINDEX 03 00:00:02\n",
    "INDEX 01 00:00:00\nISRC x\nFLAGS DCP\nPREGAP 00:02:00\nCATALOG 123\nCATALOG 4006381333932\n",
    "FILE \"a.bin\" BINARY\nTRACK 01 MODE1/2352\nTITLE \"\xff\xfe\"\nISRC \xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\n",
    "\xEF\xBB\xBF" "FILE \"a.bin\" BINARY\r\nTRACK 01 AUDIO\r\nINDEX 01 00:00:00\r\n",
  };
  g_autoptr(GString) many = g_string_new ("FILE \"a.bin\" BINARY\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_malloc0 (RC_CUE_MAX_BYTES + 1);

  for (guint i = 0; i < G_N_ELEMENTS (sheets); i++)
    {
      g_autoptr(RcCue) cue = rc_cue_parse (sheets[i], strlen (sheets[i]), NULL);

      g_assert_nonnull (cue);
    }
  /* a NUL inside the text ends its line, not the sheet */
  {
    static const char with_nul[] = "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\0junk\nINDEX 01 00:00:00\n";
    g_autoptr(RcCue) cue = rc_cue_parse (with_nul, sizeof with_nul - 1, NULL);

    g_assert_cmpuint (cue->n_tracks, ==, 1);
    g_assert_cmpint (cue->tracks[0].index[1], ==, 0);
    g_assert_cmpuint (cue->problems->len, ==, 0);
  }
  /* more than 99 tracks: bounded, said once per extra track */
  for (guint i = 1; i <= 150; i++)
    g_string_append_printf (many, "TRACK %02u AUDIO\nINDEX 01 %02u:00:00\n", i % 100, i % 100);
  {
    g_autoptr(RcCue) cue = rc_cue_parse (many->str, many->len, NULL);

    g_assert_cmpuint (cue->n_tracks, <=, 99);
    g_assert_cmpuint (cue->problems->len, >, 0);
  }
  /* the sheet's size is bounded */
  memset (big, ' ', RC_CUE_MAX_BYTES + 1);
  g_assert_null (rc_cue_parse (big, RC_CUE_MAX_BYTES + 1, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "at most 65536 bytes"));
}

/* Problems of the sheet's own name their lines. */
static void
test_sheet_problems_have_lines (void)
{
  static const char sheet[] =
    "FILE \"a.bin\" BINARY\n"
    "TRACK 01 AUDIO\n"
    "  INDEX 01 00:00:00\n"
    "TRACK 03 AUDIO\n"
    "  INDEX 01 00:61:00\n";
  g_autoptr(RcCue) cue = rc_cue_parse (sheet, sizeof sheet - 1, NULL);
  gboolean seen_track = FALSE, seen_time = FALSE;

  for (guint i = 0; i < cue->problems->len; i++)
    {
      const RcCueProblem *p = g_ptr_array_index (cue->problems, i);

      seen_track |= p->line == 4 && strstr (p->message, "TRACK 03 follows TRACK 01") != NULL;
      seen_time |= p->line == 5 && strstr (p->message, "MM:SS:FF") != NULL;
    }
  g_assert_true (seen_track);
  g_assert_true (seen_time);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inspect-cue/clean/with-sub", test_clean_with_sub);
  g_test_add_func ("/inspect-cue/clean/without-sub", test_clean_without_sub);
  g_test_add_func ("/inspect-cue/damage/index-time", test_wrong_index_time);
  g_test_add_func ("/inspect-cue/damage/isrc", test_wrong_isrc);
  g_test_add_func ("/inspect-cue/damage/catalog", test_wrong_catalog);
  g_test_add_func ("/inspect-cue/damage/bin-one-sector-short", test_bin_one_sector_short);
  g_test_add_func ("/inspect-cue/damage/index-past-bin", test_index_past_bin);
  g_test_add_func ("/inspect-cue/damage/sub-q-crc", test_sub_bad_q_crc);
  g_test_add_func ("/inspect-cue/parser/hostile", test_hostile_text);
  g_test_add_func ("/inspect-cue/parser/lines", test_sheet_problems_have_lines);
  return g_test_run ();
}
