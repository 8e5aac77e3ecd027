/* test-inspect-clonecd.c: a CloneCD set (.ccd, .img, .sub) checked as one
 * (rc_inspect_clonecd()).
 *
 * The set is the one rawcd writes for a disc with an MCN and CD-TEXT; then
 * the control file or the .sub is damaged one way at a time, and each
 * damage must be reported at its place.  Positions by hand (§5): tracks of
 * 600 and 500 sectors, gapless: track 2's index 1 at LBA 600, the lead-out
 * (the end of the .img) at 1100.
 */
#define _GNU_SOURCE
#include "test-util.h"
#include "rc-cdtext-decode.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-inspect.h"
#include "rc-sidefiles.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MCN     "4006381333931"
#define LEADOUT 1100

typedef struct {
  int   img;
  int   sub;
  char *ccd;
} Files;

static void
files_clear (Files *f)
{
  if (f->img >= 0)
    close (f->img);
  if (f->sub >= 0)
    close (f->sub);
  g_free (f->ccd);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Files, files_clear)

static void
write_files (Files *f)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) one = test_pattern_source (51, 600);
  g_autoptr(RcAudioSource) two = test_pattern_source (52, 500);
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(GHashTable) texts = NULL;
  RcImageOutput outputs[2] = {
    { memfd_create ("test-img", MFD_CLOEXEC), RC_SECTOR_FORM_AUDIO },
    { memfd_create ("test-sub", MFD_CLOEXEC), RC_SECTOR_FORM_SUB_PLANAR },
  };
  gint first, end;

  g_assert_true (rc_disc_set_media_catalog_number (disc, MCN, &error));
  g_assert_cmpuint (rc_disc_add_track (disc, one, &error), ==, 1);
  g_assert_cmpuint (rc_disc_add_track (disc, two, &error), ==, 2);
  g_assert_true (rc_disc_set_cdtext (disc, 0, 0, RC_CDTEXT_FIELD_TITLE, "Album", &error));
  g_assert_true (rc_disc_set_cdtext (disc, 0, 1, RC_CDTEXT_FIELD_TITLE, "One", &error));
  g_assert_true (rc_disc_set_cdtext (disc, 0, 2, RC_CDTEXT_FIELD_TITLE, "Two", &error));
  g_assert_no_error (error);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->leadout_lba, ==, LEADOUT);
  rc_side_format_data_range (RC_SIDE_FORMAT_CLONECD, layout, &first, &end);
  g_assert_true (rc_image_write_range (layout, RC_IMAGE_TYPE_IS_RAW, first, end, outputs, 2,
                                       NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  texts = rc_side_files_build (RC_SIDE_FORMAT_CLONECD, layout, "album.img", "album.sub", &error);
  g_assert_no_error (error);
  f->img = outputs[0].fd;
  f->sub = outputs[1].fd;
  f->ccd = g_strdup (g_hash_table_lookup (texts, "ccd"));
  if (g_test_verbose ())
    g_printerr ("%s", f->ccd);
}

static RcInspectReport *
inspect_set (const Files *f, const char *ccd)
{
  g_autoptr(GError) error = NULL;
  RcInspectReport *report = rc_inspect_clonecd (f->img, f->sub, ccd, strlen (ccd), NULL, NULL, NULL,
                                                NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; g_test_verbose () && i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      g_printerr ("  LBA %d [%s]: %s\n", p->lba, rc_inspect_check_name (p->check), p->message);
    }
  return report;
}

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

/* The text with the first `from` after `after` replaced by `to` */
static char *
replace_after (const char *text, const char *after, const char *from, const char *to)
{
  const char *base = strstr (text, after);
  const char *at;

  g_assert_nonnull (base);
  at = strstr (base, from);
  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

static void
test_clean (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;

  write_files (&f);
  report = inspect_set (&f, f.ccd);
  g_assert_cmpuint (report->n_problems, ==, 0);
  g_assert_cmpstr (report->mcn, ==, MCN);
  /* the [CDText] packs, decoded */
  g_assert_nonnull (report->cdtext);
  g_assert_cmpstr (rc_cdtext_decoded_get (report->cdtext, 0, 0, RC_CDTEXT_FIELD_TITLE), ==, "Album");
  g_assert_cmpstr (rc_cdtext_decoded_get (report->cdtext, 0, 2, RC_CDTEXT_FIELD_TITLE), ==, "Two");
}

/* Track 2's TOC entry one sector late */
static void
test_wrong_entry (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *ccd = NULL;

  write_files (&f);
  ccd = replace_after (f.ccd, "Point=0x02", "PLBA=600", "PLBA=601");
  report = inspect_set (&f, ccd);
  assert_sheet_problem (report, 601, "track 2 at PLBA=601; the subchannel starts its index 1 at LBA 600");
  /* and its PMSF no longer matches its PLBA */
  assert_sheet_problem (report, RC_INSPECT_NO_LBA, "is not PLBA=601 + 150 sectors");
}

static void
test_wrong_track_index (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *ccd = NULL;

  write_files (&f);
  ccd = replace_after (f.ccd, "[TRACK 2]", "INDEX 1=600", "INDEX 1=599");
  report = inspect_set (&f, ccd);
  assert_sheet_problem (report, 599, "[TRACK 2]: INDEX 1=599; the subchannel starts it elsewhere");
}

static void
test_wrong_catalog (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *ccd = NULL;

  write_files (&f);
  ccd = replace_after (f.ccd, "[Disc]", "CATALOG=" MCN, "CATALOG=0036000291452");
  report = inspect_set (&f, ccd);
  assert_sheet_problem (report, RC_INSPECT_NO_LBA, "CATALOG=0036000291452; the subchannel's MCN is " MCN);
}

/* A [CDText] entry whose pack type byte is not CD-TEXT's */
static void
test_bad_cdtext_entry (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree char *ccd = NULL;

  write_files (&f);
  ccd = replace_after (f.ccd, "[CDText]", "Entry 0=80", "Entry 0=70");
  report = inspect_set (&f, ccd);
  assert_sheet_problem (report, RC_INSPECT_NO_LBA, "Entry 0 is not a CD-TEXT pack (type 70)");
}

/* The lead-out entry against the end of the data */
static void
test_short_img (void)
{
  g_auto(Files) f = { -1, -1, NULL };
  g_autoptr(RcInspectReport) report = NULL;
  g_autofree guint8 *buf = g_malloc ((gsize) (LEADOUT - 1) * 2352);
  int img = memfd_create ("test-short", MFD_CLOEXEC);
  int sub = memfd_create ("test-short-sub", MFD_CLOEXEC);

  write_files (&f);
  g_assert_cmpint (pread (f.img, buf, (gsize) (LEADOUT - 1) * 2352, 0), ==, (gssize) (LEADOUT - 1) * 2352);
  g_assert_cmpint (write (img, buf, (gsize) (LEADOUT - 1) * 2352), ==, (gssize) (LEADOUT - 1) * 2352);
  g_assert_cmpint (pread (f.sub, buf, (gsize) (LEADOUT - 1) * 96, 0), ==, (gssize) (LEADOUT - 1) * 96);
  g_assert_cmpint (write (sub, buf, (gsize) (LEADOUT - 1) * 96), ==, (gssize) (LEADOUT - 1) * 96);
  close (f.img);
  close (f.sub);
  f.img = img;
  f.sub = sub;
  report = inspect_set (&f, f.ccd);
  assert_sheet_problem (report, LEADOUT, "the lead-out at PLBA=1100; the .img and .sub end at LBA 1099");
}

static void
test_hostile (void)
{
  static const char *const texts[] = {
    "",
    "garbage without sections",
    "[CloneCD]\n[Disc]\nTocEntries=99999999999999999999\n",
    "[CloneCD]\n[Disc]\nTocEntries=2\n[Entry 0]\nPoint=zz\n[Entry 1]\nPoint=0x01\nControl=0\nPLBA=-2147483648\n"
    "PMin=99\nPSec=99\nPFrame=99\n",
    "[CloneCD]\n[CDText]\nEntries=3\nEntry 0=8\nEntry 1=80 00 00 00 zz\nEntry 2=" "80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n",
    "[CloneCD]\n[TRACK 1]\nINDEX 1=0x7fffffff\nINDEX 0=-5\n",
    "[\xff\xfe]\nkey=\xff\n",
  };
  g_auto(Files) f = { -1, -1, NULL };

  write_files (&f);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(RcInspectReport) report = inspect_set (&f, texts[i]);

      g_assert_cmpuint (report->counts[RC_INSPECT_CHECK_SHEET], >, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inspect-clonecd/clean", test_clean);
  g_test_add_func ("/inspect-clonecd/damage/toc-entry", test_wrong_entry);
  g_test_add_func ("/inspect-clonecd/damage/track-index", test_wrong_track_index);
  g_test_add_func ("/inspect-clonecd/damage/catalog", test_wrong_catalog);
  g_test_add_func ("/inspect-clonecd/damage/cdtext-entry", test_bad_cdtext_entry);
  g_test_add_func ("/inspect-clonecd/damage/short-img", test_short_img);
  g_test_add_func ("/inspect-clonecd/hostile", test_hostile);
  return g_test_run ();
}
