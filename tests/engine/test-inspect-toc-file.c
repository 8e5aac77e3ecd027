/* test-inspect-toc-file.c: a data file checked against its cdrdao TOC file
 * (rc_inspect_toc_file(), rc-toc-file.h).
 *
 * The TOC file and data file are the ones rawcd writes for a disc (the toc
 * side format); then the TOC is damaged one way at a time, and each damage
 * must be reported at its place (the LBA, and the TOC file's line).  The
 * expected positions are worked out by hand from cd-format.md §5, as in
 * test-inspect-cue.c: two tracks of 600 and 500 sectors, gapless, so
 * track 2's index 0 at LBA 450 and index 1 at 600; its index 2 at offset
 * 200, LBA 800; the lead-out at 1100.
 */
#define _GNU_SOURCE
#include "test-util.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-sidefiles.h"
#include "rc-subcode-source.h"
#include "rc-toc-file.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MCN    "4006381333931"
#define ISRC_1 "USRC17607839"
#define LEADOUT 1100

typedef struct {
  int   data;
  char *toc;
} Files;

static void
files_clear (Files *f)
{
  if (f->data >= 0)
    close (f->data);
  g_free (f->toc);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Files, files_clear)

/* with_rw: an R-W generator too, so that the TOC is RW_RAW */
static RcLayout *
build_disc (gboolean with_rw)
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
  g_assert_true (rc_disc_set_cdtext (disc, 0, 0, RC_CDTEXT_FIELD_TITLE, "Album", &error));
  g_assert_true (rc_disc_set_cdtext (disc, 0, 1, RC_CDTEXT_FIELD_TITLE, "One", &error));
  g_assert_true (rc_disc_set_cdtext (disc, 0, 2, RC_CDTEXT_FIELD_TITLE, "Two", &error));
  g_assert_true (rc_disc_set_cdtext (disc, 0, 2, RC_CDTEXT_FIELD_COMPOSER, "Someone", &error));
  g_assert_no_error (error);
  if (with_rw)
    {
      /* One 96-symbol packet per sector of the full image */
      int fd = memfd_create ("rw", MFD_CLOEXEC);
      g_autoptr(RcSubcodeSource) rw = NULL;

      g_assert_cmpint (ftruncate (fd, (off_t) (22650 + LEADOUT + 6750) * 96), ==, 0);
      rw = rc_subcode_source_new_from_fd (fd, &error);
      g_assert_no_error (error);
      g_assert_true (rc_disc_set_rw_generator (disc, rw, &error));
    }
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->leadout_lba, ==, LEADOUT);
  return layout;
}

/* The toc side file and its big-endian data file. */
static void
write_files_rw (Files *f, gboolean with_rw)
{
  g_autoptr(RcLayout) layout = build_disc (with_rw);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) texts = NULL;
  RcImageOutput output = { memfd_create ("test-data", MFD_CLOEXEC),
                           with_rw ? RC_SECTOR_FORM_AUDIO_BE_SUB : RC_SECTOR_FORM_AUDIO_BE };
  gint first, end;

  rc_side_format_data_range (RC_SIDE_FORMAT_TOC, layout, &first, &end);
  g_assert_cmpint (first, ==, 0);
  g_assert_cmpint (end, ==, LEADOUT);
  g_assert_true (rc_image_write_range (layout, RC_IMAGE_TYPE_IS_RAW, first, end, &output, 1,
                                       NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  texts = rc_side_files_build (RC_SIDE_FORMAT_TOC, layout, "album.bin", NULL, &error);
  g_assert_no_error (error);
  f->data = output.fd;
  f->toc = g_strdup (g_hash_table_lookup (texts, "toc"));
  g_assert_nonnull (f->toc);
  if (g_test_verbose ())
    g_printerr ("%s", f->toc);
}

static void
write_files (Files *f)
{
  write_files_rw (f, FALSE);
}

static RcInspectReport *
inspect_toc (int data, const char *toc)
{
  g_autoptr(GError) error = NULL;
  RcInspectReport *report = rc_inspect_toc_file (data, toc, strlen (toc), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; g_test_verbose () && i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      g_printerr ("  LBA %d [%s]: %s\n", p->lba, rc_inspect_check_name (p->check), p->message);
    }
  return report;
}

/* The line (1-based) of the TOC file that contains `text` (its n-th
 * occurrence, from 1). */
static guint
line_of (const char *toc, const char *text, guint n)
{
  const char *at = toc;
  guint line = 1;

  for (guint i = 0; i < n; i++)
    {
      at = strstr (i == 0 ? at : at + 1, text);
      g_assert_nonnull (at);
    }
  for (const char *p = toc; p < at; p++)
    line += *p == '\n';
  return line;
}

/* A problem of check "sheet" at lba whose message holds `words` (and
 * `more` unless NULL). */
static void
assert_problem (const RcInspectReport *report, gint lba, const char *words, const char *more)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      if (p->check == RC_INSPECT_CHECK_SHEET && p->lba == lba && strstr (p->message, words) != NULL
          && (more == NULL || strstr (p->message, more) != NULL))
        return;
    }
  g_error ("no TOC problem at LBA %d saying \"%s\"%s%s", lba, words, more != NULL ? " and " : "",
           more != NULL ? more : "");
}

static char *
replace (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* ---- what rawcd writes is clean, with the layout's positions ---- */

static void
test_clean (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  const RcInspectTrack *t1, *t2;

  write_files (&f);
  report = inspect_toc (f.data, f.toc);
  g_assert_cmpuint (report->n_problems, ==, 0);
  g_assert_cmpuint (report->sectors, ==, LEADOUT);
  g_assert_cmpuint (report->sector_bytes, ==, 2352);
  g_assert_cmpint (report->leadout_lba, ==, LEADOUT);
  g_assert_cmpstr (report->mcn, ==, MCN);
  g_assert_cmpuint (report->n_tracks, ==, 2);
  t1 = rc_inspect_report_get_track (report, 1);
  t2 = rc_inspect_report_get_track (report, 2);
  g_assert_nonnull (t1);
  g_assert_nonnull (t2);
  g_assert_cmpint (t1->start_lba, ==, 0);
  g_assert_cmpint (t1->end_lba, ==, 450);
  g_assert_cmpstr (t1->isrc, ==, ISRC_1);
  g_assert_cmpint (t1->copy, ==, RC_COPY_PERMITTED);
  g_assert_false (t1->preemphasis);
  g_assert_cmpint (t2->pregap_lba, ==, 450);
  g_assert_cmpint (t2->start_lba, ==, 600);
  g_assert_cmpuint (t2->n_indexes, ==, 2);
  g_assert_cmpint (t2->index_lba[1], ==, 800);
  g_assert_true (t2->preemphasis);
  g_assert_cmpint (t2->copy, ==, RC_COPY_PROHIBITED);
  g_assert_cmpstr (t2->isrc, ==, "");
  g_assert_cmpint (t2->end_lba, ==, LEADOUT);
}

/* With R-W data: RW_RAW tracks, DATAFILE with byte offsets of 2448-byte
 * blocks; the same positions. */
static void
test_clean_rw_raw (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  const RcInspectTrack *t2;

  write_files_rw (&f, TRUE);
  g_assert_nonnull (strstr (f.toc, "TRACK AUDIO RW_RAW"));
  g_assert_nonnull (strstr (f.toc, "DATAFILE \"album.bin\" #1101600 "));  /* 450 x 2448 */
  report = inspect_toc (f.data, f.toc);
  g_assert_cmpuint (report->n_problems, ==, 0);
  g_assert_cmpuint (report->sector_bytes, ==, 2448);
  g_assert_cmpuint (report->sectors, ==, LEADOUT);
  t2 = rc_inspect_report_get_track (report, 2);
  g_assert_cmpint (t2->pregap_lba, ==, 450);
  g_assert_cmpint (t2->start_lba, ==, 600);
  g_assert_cmpint (t2->index_lba[1], ==, 800);
  g_assert_cmpint (t2->end_lba, ==, LEADOUT);
}

/* The parser on its own: what the TOC says, as cdrdao means it. */
static void
test_parse (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcTocFile) toc = NULL;
  g_autoptr(GError) error = NULL;

  write_files (&f);
  toc = rc_toc_file_parse (f.toc, strlen (f.toc), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (toc->problems->len, ==, 0);
  g_assert_cmpstr (toc->data_file, ==, "album.bin");
  g_assert_cmpuint (toc->n_tracks, ==, 2);
  g_assert_cmpint (toc->tracks[1].file_from, ==, 450);
  g_assert_cmpint (toc->tracks[1].file_length, ==, 650);
  g_assert_cmpint (toc->tracks[1].start, ==, 150);
  g_assert_cmpuint (toc->tracks[1].n_indexes, ==, 1);
  g_assert_cmpint (toc->tracks[1].index[0], ==, 200);
  g_assert_cmpstr (toc->text[0][0], ==, "Album");
  g_assert_cmpstr (toc->tracks[0].text[0][0], ==, "One");
  g_assert_cmpstr (toc->tracks[1].text[0][3], ==, "Someone");
  /* COMPOSER is written for every entry once one has it ("" elsewhere) */
  g_assert_cmpstr (toc->tracks[0].text[0][3], ==, "");
  g_assert_true (toc->has_language[0]);
  g_assert_cmpint (toc->language_code[0], ==, 9);
}

/* ---- a damaged TOC ---- */

/* Track 2's START one second late: index 1 at LBA 675, which the report
 * shows; the TOC itself is still consistent, so it is the position a
 * reader of the report compares (no problem: cdrdao would burn it so). */
static void
test_start_moved (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *toc = NULL;

  write_files (&f);
  toc = replace (f.toc, "START 00:02:00", "START 00:03:00");
  report = inspect_toc (f.data, toc);
  g_assert_cmpint (rc_inspect_report_get_track (report, 2)->start_lba, ==, 675);
  g_assert_cmpint (rc_inspect_report_get_track (report, 2)->index_lba[1], ==, 875);
}

/* START past the end of track 2 (650 sectors long). */
static void
test_start_past_end (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *toc = NULL;
  g_autofree char *line = NULL;

  write_files (&f);
  toc = replace (f.toc, "START 00:02:00", "START 00:09:00");
  report = inspect_toc (f.data, toc);
  line = g_strdup_printf ("line %u of the TOC file: ", line_of (toc, "START", 1));
  assert_problem (report, 450 + 675, "START 00:09:00 of track 02 is at or past the track's end", line);
}

/* An INDEX beyond the track's end (cdrdao: "Index beyond track end"). */
static void
test_index_beyond_end (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *toc = NULL;
  g_autofree char *line = NULL;

  write_files (&f);
  toc = replace (f.toc, "INDEX 00:02:50", "INDEX 00:07:00");
  report = inspect_toc (f.data, toc);
  line = g_strdup_printf ("line %u of the TOC file: ", line_of (toc, "INDEX", 1));
  assert_problem (report, 600 + 525, "INDEX 00:07:00 (index 2) of track 02 is beyond the track's end",
                  line);
}

/* Track 2 longer than the data file holds. */
static void
test_file_past_data (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *toc = NULL;

  write_files (&f);
  toc = replace (f.toc, "00:06:00 00:08:50", "00:06:00 00:09:50");
  report = inspect_toc (f.data, toc);
  assert_problem (report, 450, "track 02 takes sectors 450 to 1174 of the data file, which has 1100",
                  NULL);
}

/* Track 1 cut short: track 2's audio would follow at another place than
 * the data file has it, and sectors are left over. */
static void
test_file_out_of_order (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *toc = NULL;

  write_files (&f);
  toc = replace (f.toc, "00:00:00 00:06:00", "00:00:00 00:05:00");
  report = inspect_toc (f.data, toc);
  assert_problem (report, 375, "track 02 plays the data file from 00:06:00 (sector 450), but on the "
                  "disc its audio begins at LBA 375", NULL);
  assert_problem (report, 1025, "the data file has 75 sectors more", NULL);
}

/* CATALOG with a wrong check digit, and an ISRC that is not one. */
static void
test_bad_codes (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *bad_mcn = NULL;
  g_autofree char *toc = NULL;
  g_autofree char *mcn_line = NULL;

  write_files (&f);
  bad_mcn = replace (f.toc, "CATALOG \"" MCN "\"", "CATALOG \"4006381333932\"");
  toc = replace (bad_mcn, "ISRC \"" ISRC_1 "\"", "ISRC \"US-RC1\"");
  report = inspect_toc (f.data, toc);
  mcn_line = g_strdup_printf ("line %u of the TOC file: CATALOG", line_of (toc, "CATALOG", 1));
  assert_problem (report, RC_INSPECT_NO_LBA, mcn_line, NULL);
  assert_problem (report, RC_INSPECT_NO_LBA, "ISRC: ", NULL);
  g_assert_cmpstr (report->mcn, ==, "");
}

/* CD-TEXT: an item left out for one track, and a language with a hole. */
static void
test_cd_text_rules (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *no_composer = NULL;
  g_autofree char *toc = NULL;

  write_files (&f);
  /* track 1's COMPOSER "" gone: the second COMPOSER line of the file */
  no_composer = replace (f.toc, "    COMPOSER \"\"\n  }\n}\nFILE", "  }\n}\nFILE");
  report = inspect_toc (f.data, no_composer);
  assert_problem (report, RC_INSPECT_NO_LBA, "LANGUAGE 0 has COMPOSER for some of the disc and its "
                  "tracks but not for track 01", NULL);
  g_clear_pointer (&report, rc_inspect_report_free);

  toc = replace (f.toc, "LANGUAGE_MAP { 0 : 9 }", "LANGUAGE_MAP { 0 : 9 }\n  LANGUAGE 2 { TITLE \"x\" "
                 "PERFORMER \"\" }");
  report = inspect_toc (f.data, toc);
  assert_problem (report, RC_INSPECT_NO_LBA, "LANGUAGE 2 without LANGUAGE 1", NULL);
}

/* Not a TOC at all: every line it cannot read is a problem, none a crash;
 * too large is an error. */
static void
test_garbage_and_size (void)
{
  g_auto(Files) f = { -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_malloc0 (RC_TOC_FILE_MAX_BYTES + 2);
  static const char garbage[] = "FILE \"a\n}}{ \"\\777 LANGUAGE 9 {\nTRACK AUDIO\nINDEX 99:99:99\n#12 ,";

  write_files (&f);
  report = rc_inspect_toc_file (f.data, garbage, sizeof garbage - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_problems, >, 3);

  memset (big, ' ', RC_TOC_FILE_MAX_BYTES + 1);
  g_assert_null (rc_inspect_toc_file (f.data, big, RC_TOC_FILE_MAX_BYTES + 1, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inspect-toc-file/clean", test_clean);
  g_test_add_func ("/inspect-toc-file/clean-rw-raw", test_clean_rw_raw);
  g_test_add_func ("/inspect-toc-file/parse", test_parse);
  g_test_add_func ("/inspect-toc-file/start-moved", test_start_moved);
  g_test_add_func ("/inspect-toc-file/start-past-end", test_start_past_end);
  g_test_add_func ("/inspect-toc-file/index-beyond-end", test_index_beyond_end);
  g_test_add_func ("/inspect-toc-file/file-past-data", test_file_past_data);
  g_test_add_func ("/inspect-toc-file/file-out-of-order", test_file_out_of_order);
  g_test_add_func ("/inspect-toc-file/bad-codes", test_bad_codes);
  g_test_add_func ("/inspect-toc-file/cd-text-rules", test_cd_text_rules);
  g_test_add_func ("/inspect-toc-file/garbage-and-size", test_garbage_and_size);
  return g_test_run ();
}
