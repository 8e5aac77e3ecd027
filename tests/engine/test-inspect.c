/* test-inspect.c: the image inspector (rc-inspect.h).
 *
 * Images written by the engine must inspect clean in every form, and the
 * report must give back what the disc was built with: the expected values
 * below are worked out by hand from cd-format.md §5, not taken from the
 * engine's layout.  Then images are damaged one way at a time, and each
 * damage must be reported at the LBA where it was made.  The damage is done
 * with helpers of this file (not image-decoder.c, which is another reader of
 * the same format and must stay independent of this one).
 */
#define _GNU_SOURCE
#include "test-util.h"
#include "rc-cdtext-decode.h"
#include "rc-crc.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-inspect.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define NO_LBA RC_INSPECT_NO_LBA
#define SHOWN  20

/* ---- the disc: gapless, MCN, ISRCs, index 2, every copy setting,
 * pre-emphasis and CD-TEXT in three blocks and three character codes ---- */

#define MCN     "4006381333931"
#define ISRC_1  "USRC17607839"
#define ISRC_2  "GBAYE0601498"

typedef struct {
  guint number;
  gint  pregap_lba, start_lba, end_lba;
  guint n_indexes;
  gint  index_lba[2];
  RcCopySetting copy;
  gboolean preemphasis;
  guint8 control;         /* as the TOC carries it */
  const char *isrc;
} ExpectTrack;

typedef struct {
  guint first_track;
  guint n_tracks;
  const ExpectTrack *tracks;
  gint leadout_lba;
  const char *mcn;
} Expect;

/* Gapless (§5): StartingLba(n+1) = StartingLba(n) + sectors(n); the last
 * 150 sectors of a track are the next one's index 0.  Tracks of 600, 650
 * and 490 sectors, index 2 of track 2 at offset 290.  With A = LBA + 150,
 * three starts fall where §4 PINNED moves a code to the next sector: track
 * 1's pregap (-150, A = 0) and the lead-out (1740, A = 1890) for the MCN,
 * index 2 of track 2 (890, A = 1040) for its ISRC. */
#define LEADOUT 1740
static const ExpectTrack album_tracks[] = {
  { 1, -150, 0, 450, 1, { 0 }, RC_COPY_PERMITTED, TRUE, 0x3, ISRC_1 },
  { 2, 450, 600, 1100, 2, { 600, 890 }, RC_COPY_PROHIBITED, FALSE, 0x0, ISRC_2 },
  { 3, 1100, 1250, LEADOUT, 1, { 1250 }, RC_COPY_SCMS, FALSE, 0x0, "" },
};
static const Expect album = { 1, 3, album_tracks, LEADOUT, MCN };

/* DisableGaplessAudio from track 5: 150 silent sectors before track 6. */
static const ExpectTrack gaps_tracks[] = {
  { 5, -150, 0, 400, 1, { 0 }, RC_COPY_PROHIBITED, FALSE, 0x0, "" },
  { 6, 400, 550, 900, 1, { 550 }, RC_COPY_PERMITTED, TRUE, 0x3, ISRC_2 },
};
static const Expect gaps = { 5, 2, gaps_tracks, 900, "" };

/* A special pregap of 200 sectors (§5): track 1's index 0 spans -150..49
 * and holds audio; index 1 at 50. */
static const ExpectTrack hidden_tracks[] = {
  { 1, -150, 50, 450, 1, { 50 }, RC_COPY_PROHIBITED, FALSE, 0x0, "" },
};
static const Expect hidden = { 1, 1, hidden_tracks, 450, "" };
/* The same with an MCN: §4 PINNED moves the MCN due on the pregap's first
 * sector (A = 0) to the next one, LBA -149, which holds audio of the
 * hidden track and comes before any mode-1 Q of the program area but one. */
static const Expect hidden_mcn = { 1, 1, hidden_tracks, 450, MCN };

typedef struct {
  guint          block;
  guint          track;
  RcCdTextField  field;
  const char    *text;
} Text;

static const Text album_text[] = {
  { 0, 0, RC_CDTEXT_FIELD_TITLE, "Inspecting Images, a Long Album Title" },
  { 0, 0, RC_CDTEXT_FIELD_PERFORMER, "The Testers" },
  { 0, 1, RC_CDTEXT_FIELD_TITLE, "First" },
  { 0, 2, RC_CDTEXT_FIELD_TITLE, "Second, which spans more than one pack" },
  { 0, 3, RC_CDTEXT_FIELD_TITLE, "Third" },
  /* track 2 = track 1: written as TAB */
  { 0, 1, RC_CDTEXT_FIELD_PERFORMER, "The Testers" },
  { 0, 2, RC_CDTEXT_FIELD_PERFORMER, "The Testers" },
  { 0, 3, RC_CDTEXT_FIELD_SONGWRITER, "Someone Else" },
  { 0, 0, RC_CDTEXT_FIELD_MESSAGE, "made by test-inspect" },
  { 0, 0, RC_CDTEXT_FIELD_GENRE, "Test Tones" },
  { 0, 0, RC_CDTEXT_FIELD_UPC_ISRC, MCN },
  { 0, 1, RC_CDTEXT_FIELD_UPC_ISRC, ISRC_1 },
  /* ISO-8859-1 */
  { 1, 0, RC_CDTEXT_FIELD_TITLE, "Caf\xc3\xa9 \xc3\x9c" "ber Alles" },
  { 1, 3, RC_CDTEXT_FIELD_COMPOSER, "J\xc3\xbcrgen" },
  /* MS-JIS, double-byte */
  { 2, 0, RC_CDTEXT_FIELD_TITLE, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x82\xbf\xe3\x82\xa4\xe3\x83\x88\xe3\x83\xab" },
  { 2, 2, RC_CDTEXT_FIELD_ARRANGER, "\xe5\xb1\xb1\xe7\x94\xb0" },
  { 2, 3, RC_CDTEXT_FIELD_ARRANGER, "\xe5\xb1\xb1\xe7\x94\xb0" },
};

static void
add_track (RcDisc *disc, guint32 seed, guint sectors, RcCopySetting copy, gboolean pre, const char *isrc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) source = test_pattern_source (seed, sectors);
  guint index = rc_disc_add_track (disc, source, &error);

  g_assert_no_error (error);
  g_assert_true (rc_disc_track_set_copy_setting (disc, index, copy, &error));
  g_assert_true (rc_disc_track_set_preemphasis (disc, index, pre, &error));
  if (isrc != NULL)
    g_assert_true (rc_disc_track_set_isrc (disc, index, isrc, &error));
  g_assert_no_error (error);
}

/* rw_seed != 0: an R-W generator of pseudo-random symbols. */
static RcLayout *
build_album (gboolean cdtext, guint32 rw_seed)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  gboolean existed = TRUE;
  RcLayout *layout;

  g_assert_true (rc_disc_set_media_catalog_number (disc, MCN, &error));
  add_track (disc, 11, 600, RC_COPY_PERMITTED, TRUE, ISRC_1);
  add_track (disc, 12, 650, RC_COPY_PROHIBITED, FALSE, ISRC_2);
  add_track (disc, 13, 490, RC_COPY_SCMS, FALSE, NULL);
  g_assert_true (rc_disc_track_add_index (disc, 2, 290, &existed, &error));
  g_assert_no_error (error);
  for (guint i = 0; cdtext && i < G_N_ELEMENTS (album_text); i++)
    {
      const Text *t = &album_text[i];

      g_assert_true (rc_disc_set_cdtext (disc, t->block, t->track, t->field, t->text, &error));
      g_assert_no_error (error);
    }
  if (cdtext)
    g_assert_true (rc_disc_set_cdtext_language (disc, 1, 0x08, &error));
  if (rw_seed != 0)
    {
      gint sectors = 22650 + LEADOUT + 6750;
      g_autofree guint8 *rw = g_malloc ((gsize) sectors * 96);
      int fd = memfd_create ("test-rw", MFD_CLOEXEC);
      g_autoptr(RcSubcodeSource) source = NULL;
      guint32 x = rw_seed;

      for (gsize i = 0; i < (gsize) sectors * 96; i++)
        {
          x = x * 1103515245u + 12345u;
          rw[i] = (x >> 16) & 0x3F;
        }
      g_assert_cmpint (write (fd, rw, (gsize) sectors * 96), ==, (gssize) sectors * 96);
      source = rc_subcode_source_new_from_fd (fd, &error);
      g_assert_no_error (error);
      g_assert_true (rc_disc_set_rw_generator (disc, source, &error));
    }
  g_assert_no_error (error);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->leadout_lba, ==, album.leadout_lba);
  return layout;
}

static RcLayout *
build_gaps (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  RcLayout *layout;

  g_assert_true (rc_disc_set_starting_track_number (disc, 5, &error));
  g_assert_true (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
  g_assert_no_error (error);
  add_track (disc, 21, 400, RC_COPY_PROHIBITED, FALSE, NULL);
  add_track (disc, 22, 350, RC_COPY_PERMITTED, TRUE, ISRC_2);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  return layout;
}

static RcLayout *
build_hidden (const char *mcn)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) pregap = test_pattern_source (31, 200);
  RcLayout *layout;

  if (mcn != NULL)
    g_assert_true (rc_disc_set_media_catalog_number (disc, mcn, &error));
  g_assert_true (rc_disc_set_special_pregap (disc, pregap, &error));
  g_assert_no_error (error);
  add_track (disc, 32, 400, RC_COPY_PROHIBITED, FALSE, NULL);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  return layout;
}

/* ---- writing, copying, inspecting ---- */

static int
write_full (RcLayout *layout, RcImageType type)
{
  g_autoptr(GError) error = NULL;
  int fd = memfd_create ("test-image", MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_true (rc_image_write (layout, type, fd, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return fd;
}

static gsize
fd_size (int fd)
{
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  return (gsize) st.st_size;
}

/* A new memfd holding the byte ranges (offset, length, ...) of src, one
 * after the other: cuts and duplications are made of these. */
static int
copy_ranges (int src, const gsize *ranges, guint n_ranges)
{
  int fd = memfd_create ("test-damaged", MFD_CLOEXEC);
  g_autofree guint8 *buf = g_malloc (1 << 20);

  g_assert_cmpint (fd, >=, 0);
  for (guint r = 0; r < n_ranges; r++)
    {
      gsize off = ranges[2 * r], len = ranges[2 * r + 1];

      while (len > 0)
        {
          gsize chunk = MIN (len, (gsize) 1 << 20);

          g_assert_cmpint (pread (src, buf, chunk, (off_t) off), ==, (gssize) chunk);
          g_assert_cmpint (write (fd, buf, chunk), ==, (gssize) chunk);
          off += chunk;
          len -= chunk;
        }
    }
  return fd;
}

static int
copy_image (int src)
{
  gsize whole[2] = { 0, fd_size (src) };

  return copy_ranges (src, whole, 1);
}

static void
print_problems (const RcInspectReport *report)
{
  for (guint i = 0; i < report->problems->len && i < SHOWN; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      g_printerr ("  LBA %d [%s]: %s\n", p->lba, rc_inspect_check_name (p->check), p->message);
    }
  if (report->n_problems > SHOWN)
    g_printerr ("  ... and %u more\n", report->n_problems - SHOWN);
}

static RcInspectReport *
inspect (int image_fd, int sub_fd)
{
  g_autoptr(GError) error = NULL;
  RcInspectReport *report = rc_inspect_fd (image_fd, sub_fd, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  if (g_test_verbose ())
    {
      g_printerr ("%s, %" G_GUINT64_FORMAT " sectors from LBA %d, %u problems\n",
                  report->format, report->sectors, report->first_lba, report->n_problems);
      print_problems (report);
    }
  return report;
}

static void
assert_clean (const RcInspectReport *report)
{
  if (report->n_problems == 0)
    return;
  g_printerr ("%u problems:\n", report->n_problems);
  print_problems (report);
  g_test_fail_printf ("expected no problems, found %u", report->n_problems);
}

/* The damage made must be reported: `check` at `lba`. */
static void
assert_problem (const RcInspectReport *report, RcInspectCheck check, gint lba)
{
  if (rc_inspect_report_has_problem (report, check, lba))
    return;
  g_printerr ("%u problems:\n", report->n_problems);
  print_problems (report);
  g_test_fail_printf ("no \"%s\" problem reported at LBA %d", rc_inspect_check_name (check), lba);
}

/* ...and nothing else: one damage, one problem. */
static void
assert_only_problem (const RcInspectReport *report, RcInspectCheck check, gint lba)
{
  assert_problem (report, check, lba);
  if (report->n_problems == 1)
    return;
  g_printerr ("%u problems:\n", report->n_problems);
  print_problems (report);
  g_test_fail_printf ("one damage, %u problems reported", report->n_problems);
}

/* ---- what the report must say ---- */

static void
assert_tracks (const RcInspectReport *report, const Expect *e, gboolean has_first_pregap)
{
  g_assert_cmpuint (report->n_tracks, ==, e->n_tracks);
  g_assert_cmpuint (report->first_track, ==, e->first_track);
  g_assert_cmpuint (report->last_track, ==, e->first_track + e->n_tracks - 1);
  for (guint i = 0; i < e->n_tracks; i++)
    {
      const ExpectTrack *w = &e->tracks[i];
      const RcInspectTrack *t = rc_inspect_report_get_track (report, w->number);

      g_assert_nonnull (t);
      g_assert_cmpint (t->pregap_lba, ==, i == 0 && !has_first_pregap ? NO_LBA : w->pregap_lba);
      g_assert_cmpint (t->start_lba, ==, w->start_lba);
      g_assert_cmpint (t->end_lba, ==, w->end_lba);
      g_assert_cmpuint (t->n_indexes, ==, w->n_indexes);
      for (guint k = 0; k < w->n_indexes; k++)
        g_assert_cmpint (t->index_lba[k], ==, w->index_lba[k]);
      g_assert_cmpint (t->copy, ==, w->copy);
      g_assert_cmpint (t->preemphasis, ==, w->preemphasis);
      g_assert_cmpuint (t->control, ==, w->control);
      g_assert_cmpstr (t->isrc, ==, w->isrc);
    }
  g_assert_cmpstr (report->mcn, ==, e->mcn);
}

static void
assert_toc_entry (const RcInspectReport *report, guint8 point, guint8 control, guint track, gint lba)
{
  for (guint i = 0; i < report->n_toc; i++)
    {
      const RcInspectTocEntry *t = &report->toc[i];

      if (t->point != point)
        continue;
      g_assert_cmpuint (t->control, ==, control);
      g_assert_cmpuint (t->track, ==, track);
      g_assert_cmpint (t->lba, ==, lba);
      return;
    }
  g_test_fail_printf ("no TOC entry %02X", point);
}

/* §7 from the expected tracks: one entry per track at its index 1, A0 and
 * A1 the first and last track, A2 the lead-out. */
static void
assert_toc (const RcInspectReport *report, const Expect *e)
{
  const ExpectTrack *first = &e->tracks[0];
  const ExpectTrack *last = &e->tracks[e->n_tracks - 1];

  g_assert_true (report->has_leadin);
  g_assert_cmpuint (report->n_toc, ==, e->n_tracks + 3);
  for (guint i = 0; i < e->n_tracks; i++)
    {
      const ExpectTrack *t = &e->tracks[i];

      assert_toc_entry (report, (guint8) ((t->number / 10) << 4 | t->number % 10),
                        t->control, t->number, t->start_lba);
    }
  assert_toc_entry (report, 0xA0, first->control, first->number, NO_LBA);
  assert_toc_entry (report, 0xA1, last->control, last->number, NO_LBA);
  assert_toc_entry (report, 0xA2, last->control, 0, e->leadout_lba);
}

static void
assert_album_cdtext (const RcInspectReport *report)
{
  const RcCdTextBlockInfo *b0, *b1, *b2;
  guint n_set = 0;

  g_assert_nonnull (report->cdtext);
  for (guint i = 0; i < G_N_ELEMENTS (album_text); i++)
    {
      const Text *t = &album_text[i];

      g_assert_cmpstr (rc_cdtext_decoded_get (report->cdtext, t->block, t->track, t->field), ==, t->text);
    }
  /* nothing more than was set */
  for (guint i = 0; i < report->cdtext->n_entries; i++)
    n_set += report->cdtext->entries[i].text[0] != '\0';
  g_assert_cmpuint (n_set, ==, G_N_ELEMENTS (album_text));
  g_assert_null (rc_cdtext_decoded_get (report->cdtext, 0, 3, RC_CDTEXT_FIELD_PERFORMER));

  g_assert_cmpuint (report->cdtext->n_blocks, ==, 3);
  b0 = rc_cdtext_decoded_get_block (report->cdtext, 0);
  b1 = rc_cdtext_decoded_get_block (report->cdtext, 1);
  b2 = rc_cdtext_decoded_get_block (report->cdtext, 2);
  g_assert_nonnull (b0);
  g_assert_nonnull (b1);
  g_assert_nonnull (b2);
  g_assert_cmpuint (b0->charset, ==, 0x01);
  g_assert_cmpuint (b1->charset, ==, 0x00);
  g_assert_cmpuint (b2->charset, ==, 0x80);
  g_assert_cmpuint (b0->language, ==, 0x09);
  g_assert_cmpuint (b1->language, ==, 0x08);
  g_assert_cmpuint (b0->first_track, ==, 1);
  g_assert_cmpuint (b0->last_track, ==, 3);
}

/* ---- the pristine album, once per image type ---- */

static int album_fd[4] = { -1, -1, -1, -1 };

static int
album_image (RcImageType type)
{
  if (album_fd[type] < 0)
    {
      g_autoptr(RcLayout) layout = build_album (TRUE, 0);

      album_fd[type] = write_full (layout, type);
    }
  return album_fd[type];
}

/* ---- clean images ---- */

static void
test_clean_full (gconstpointer data)
{
  RcImageType type = GPOINTER_TO_UINT (data);
  int fd = album_image (type);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  assert_clean (report);
  g_assert_cmpint (report->input, ==, RC_INSPECT_INPUT_FULL_IMAGE);
  g_assert_cmpuint (report->sector_bytes, ==, type == RC_IMAGE_TYPE_PQ_ONLY ? 2368 : 2448);
  /* without R-W data beyond the lead-in, cooked and raw cannot be told */
  g_assert_cmpint (report->image_type, ==, type == RC_IMAGE_TYPE_PQ_ONLY ? RC_IMAGE_TYPE_PQ_ONLY : 0);
  if (type != RC_IMAGE_TYPE_PQ_ONLY)
    g_assert_nonnull (strstr (report->format, "IS_RAW or IS_COOKED"));
  g_assert_cmpuint (report->sectors, ==, 22650 + LEADOUT + 6750);
  g_assert_cmpint (report->first_lba, ==, -22650);
  g_assert_true (report->has_leadout);
  g_assert_cmpint (report->leadout_lba, ==, album.leadout_lba);
  assert_tracks (report, &album, TRUE);
  assert_toc (report, &album);
  if (type == RC_IMAGE_TYPE_PQ_ONLY)
    g_assert_null (report->cdtext);   /* PQ_ONLY has no R-W */
  else
    assert_album_cdtext (report);
  g_assert_cmpuint (report->n_q_crc_errors, ==, 0);
}

static void
test_clean_gaps (void)
{
  g_autoptr(RcLayout) layout = build_gaps ();
  int fd = write_full (layout, RC_IMAGE_TYPE_IS_COOKED);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_clean (report);
  assert_tracks (report, &gaps, TRUE);
  assert_toc (report, &gaps);
  g_assert_cmpint (report->leadout_lba, ==, gaps.leadout_lba);
  g_assert_null (report->cdtext);
}

static void
test_clean_hidden (void)
{
  g_autoptr(RcLayout) layout = build_hidden (NULL);
  int fd = write_full (layout, RC_IMAGE_TYPE_PQ_ONLY);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_clean (report);
  assert_tracks (report, &hidden, TRUE);
  assert_toc (report, &hidden);
}

/* Issue 10: `create --hidden-track intro.wav --mcn ...` was reported as a
 * lead-in that is not silent at LBA -149: the MCN sector there was taken
 * as part of the lead-in while track 1's first mode-1 Q awaited
 * confirmation. */
static void
test_clean_hidden_mcn (gconstpointer data)
{
  RcImageType type = GPOINTER_TO_UINT (data);
  g_autoptr(RcLayout) layout = build_hidden (MCN);
  int fd = write_full (layout, type);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_clean (report);
  assert_tracks (report, &hidden_mcn, TRUE);
  assert_toc (report, &hidden_mcn);
  g_assert_cmpuint (report->n_nonsilent_sectors, ==, 0);
}

/* The .sub may also hold the 96 bytes interleaved, as in the image. */
static void
test_clean_bin_sub_interleaved (void)
{
  g_autoptr(RcLayout) layout = build_gaps ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcInspectReport) report = NULL;
  RcImageOutput outputs[2] = {
    { memfd_create ("test-bin", MFD_CLOEXEC), RC_SECTOR_FORM_AUDIO },
    { memfd_create ("test-sub", MFD_CLOEXEC), RC_SECTOR_FORM_SUB_RAW },
  };

  g_assert_true (rc_image_write_range (layout, RC_IMAGE_TYPE_IS_COOKED, -150, layout->leadout_lba + 6750,
                                       outputs, 2, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  report = inspect (outputs[0].fd, outputs[1].fd);
  close (outputs[0].fd);
  close (outputs[1].fd);
  assert_clean (report);
  g_assert_nonnull (strstr (report->format, "interleaved"));
  g_assert_true (report->has_leadout);
  g_assert_cmpint (report->leadout_lba, ==, gaps.leadout_lba);
  assert_tracks (report, &gaps, TRUE);
}

/* A BIN of 2352-byte sectors and its planar .sub, from -150 or from 0: the
 * LBA of the first sector is read from the .sub. */
static void
test_clean_bin_sub (gconstpointer data)
{
  gint first = GPOINTER_TO_INT (data);
  g_autoptr(RcLayout) layout = build_album (TRUE, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcInspectReport) report = NULL;
  RcImageOutput outputs[2] = {
    { memfd_create ("test-bin", MFD_CLOEXEC), RC_SECTOR_FORM_AUDIO },
    { memfd_create ("test-sub", MFD_CLOEXEC), RC_SECTOR_FORM_SUB_PLANAR },
  };

  g_assert_true (rc_image_write_range (layout, RC_IMAGE_TYPE_IS_RAW, first, layout->leadout_lba,
                                       outputs, 2, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  report = inspect (outputs[0].fd, outputs[1].fd);
  close (outputs[0].fd);
  close (outputs[1].fd);

  assert_clean (report);
  g_assert_cmpint (report->input, ==, RC_INSPECT_INPUT_BIN_SUB);
  g_assert_nonnull (strstr (report->format, "planar"));
  g_assert_cmpint (report->first_lba, ==, first);
  g_assert_cmpuint (report->sectors, ==, (guint64) (album.leadout_lba - first));
  g_assert_false (report->has_leadin);
  g_assert_false (report->has_leadout);
  g_assert_cmpuint (report->n_toc, ==, 0);
  assert_tracks (report, &album, first == -150);
}

/* The R-W generator's data tells the forms apart: IS_RAW carries it with
 * CD+G parity and interleave, IS_COOKED as given.  Without CD-TEXT the
 * generator also fills the lead-in, which must not be taken for broken
 * CD-TEXT. */
static void
test_rw_type (gconstpointer data)
{
  RcImageType type = GPOINTER_TO_UINT (data) & 0xF;
  gboolean cdtext = (GPOINTER_TO_UINT (data) & 0x10) != 0;
  g_autoptr(RcLayout) layout = build_album (cdtext, 77);
  int fd = write_full (layout, type);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_clean (report);
  g_assert_cmpint (report->image_type, ==, type);
  g_assert_cmpstr (report->format, ==, type == RC_IMAGE_TYPE_IS_RAW ? "IS_RAW: 2448-byte sectors"
                                                                     : "IS_COOKED: 2448-byte sectors");
  if (cdtext)
    assert_album_cdtext (report);
  else
    g_assert_null (report->cdtext);
  assert_tracks (report, &album, TRUE);
}

/* ---- damage ---- */

static gsize
sector_offset (RcImageType type, gint lba)
{
  return (gsize) (lba + 22650) * rc_image_sector_bytes (type);
}

static void
read_sub (int fd, RcImageType type, gint lba, guint8 sub[96])
{
  gsize len = type == RC_IMAGE_TYPE_PQ_ONLY ? 16 : 96;

  g_assert_cmpint (pread (fd, sub, len, (off_t) (sector_offset (type, lba) + 2352)), ==, (gssize) len);
}

static void
write_sub (int fd, RcImageType type, gint lba, const guint8 sub[96])
{
  gsize len = type == RC_IMAGE_TYPE_PQ_ONLY ? 16 : 96;

  g_assert_cmpint (pwrite (fd, sub, len, (off_t) (sector_offset (type, lba) + 2352)), ==, (gssize) len);
}

/* Q is bit 6 of the 96 interleaved bytes, MSB first (§3). */
static void
get_q (RcImageType type, const guint8 sub[96], guint8 q[12])
{
  if (type == RC_IMAGE_TYPE_PQ_ONLY)
    {
      memcpy (q, sub, 12);
      return;
    }
  memset (q, 0, 12);
  for (guint n = 0; n < 96; n++)
    q[n / 8] |= (guint8) (((sub[n] >> 6) & 1) << (7 - n % 8));
}

static void
set_q (RcImageType type, guint8 sub[96], const guint8 q[12])
{
  if (type == RC_IMAGE_TYPE_PQ_ONLY)
    {
      memcpy (sub, q, 12);
      return;
    }
  for (guint n = 0; n < 96; n++)
    sub[n] = (guint8) ((sub[n] & ~0x40) | ((q[n / 8] >> (7 - n % 8)) & 1) << 6);
}

/* The CRC as the form stores it (§3 PINNED). */
static void
seal_q (RcImageType type, guint8 q[12])
{
  guint16 crc = rc_crc16 (q, 10);

  if (type != RC_IMAGE_TYPE_PQ_ONLY)
    crc ^= 0xFFFF;
  q[10] = (guint8) (crc >> 8);
  q[11] = (guint8) crc;
}

typedef void (*EditQ) (guint8 q[12], gpointer data);

/* Rewrites the Q of one sector, with its CRC made valid again. */
static void
forge_q (int fd, RcImageType type, gint lba, EditQ edit, gpointer data)
{
  guint8 sub[96], q[12];

  read_sub (fd, type, lba, sub);
  get_q (type, sub, q);
  edit (q, data);
  seal_q (type, q);
  set_q (type, sub, q);
  write_sub (fd, type, lba, sub);
}

static void
test_damage_q_bit (gconstpointer data)
{
  RcImageType type = GPOINTER_TO_UINT (data);
  gint lba = 1000;  /* a mode-1 sector of track 2 index 2 */
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;
  guint8 sub[96], q[12];

  read_sub (fd, type, lba, sub);
  get_q (type, sub, q);
  q[4] ^= 0x01;  /* relative seconds */
  set_q (type, sub, q);
  write_sub (fd, type, lba, sub);

  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_Q_CRC, lba);
  g_assert_cmpuint (report->n_q_crc_errors, ==, 1);
  g_assert_cmpuint (report->counts[RC_INSPECT_CHECK_Q_CRC], ==, 1);
}

/* One sector cut out of track 2 (LBA 700, mode 1): the time jumps there,
 * and only there. */
static void
test_damage_dropped (gconstpointer data)
{
  RcImageType type = GPOINTER_TO_UINT (data);
  int src = album_image (type);
  gsize off = sector_offset (type, 700), bps = rc_image_sector_bytes (type);
  gsize ranges[4] = { 0, off, off + bps, fd_size (src) - off - bps };
  int fd = copy_ranges (src, ranges, 2);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_TIME, 700);
  /* resynchronised: everything after it is where it was */
  assert_tracks (report, &album, TRUE);
}

/* Sector 700 twice. */
static void
test_damage_duplicated (gconstpointer data)
{
  RcImageType type = GPOINTER_TO_UINT (data);
  int src = album_image (type);
  gsize off = sector_offset (type, 700), bps = rc_image_sector_bytes (type);
  gsize ranges[4] = { 0, off + bps, off, fd_size (src) - off };
  int fd = copy_ranges (src, ranges, 2);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_TIME, 700);
  assert_tracks (report, &album, TRUE);
}

/* Two sectors cut out just before an MCN sector (LBA 840, A = 990): the
 * MCN's AFRAME already shows the jump, at the first missing LBA. */
static void
test_damage_dropped_before_mcn (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  int src = album_image (type);
  gsize off = sector_offset (type, 838), bps = rc_image_sector_bytes (type);
  gsize ranges[4] = { 0, off, off + 2 * bps, fd_size (src) - off - 2 * bps };
  int fd = copy_ranges (src, ranges, 2);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_TIME, 838);
}

/* Lead-in sector s carries entry (s / 3) % 6; track 2's is entry 1. */
static gboolean
is_track2_entry (gint lba)
{
  return ((lba + 22650) / 3) % 6 == 1;
}

static void
move_pmsf (guint8 q[12], gpointer data)
{
  g_assert_cmpuint (q[2], ==, 0x02);
  q[9] = 0x10;  /* PFRAME: 00:10:00 -> 00:10:10, LBA 600 -> 610 */
}

/* Every copy of track 2's lead-in entry says 00:10:10: the TOC disagrees
 * with the program area, where track 2's index 1 is at LBA 600. */
static void
test_damage_toc_all (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;
  guint forged = 0;

  for (gint lba = -22650; lba < -150; lba++)
    if (is_track2_entry (lba))
      {
        forge_q (fd, type, lba, move_pmsf, NULL);
        forged++;
      }
  g_assert_cmpuint (forged, ==, 22500 / 6);
  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_TOC_PROGRAM, 600);
  assert_toc_entry (report, 0x02, 0x0, 2, 610);
}

/* One copy only: the entry disagrees with its other copies there. */
static void
test_damage_toc_one (void)
{
  RcImageType type = RC_IMAGE_TYPE_PQ_ONLY;
  gint lba = -22650 + 3 * 6 * 100 + 4;  /* entry 1, in its second sector */
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;

  g_assert_true (is_track2_entry (lba));
  forge_q (fd, type, lba, move_pmsf, NULL);
  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_TOC, lba);
  assert_toc (report, &album);
}

static void
wrong_mcn_digit (guint8 q[12], gpointer data)
{
  g_assert_cmpuint (q[0] & 0x0f, ==, 2);
  q[3] ^= 0x01;  /* digits 5-6: "38" -> "39" */
}

/* The MCN sector at LBA 840 (A = 990) with one digit changed and a valid
 * CRC: a second MCN, with a wrong check digit, there. */
static void
test_damage_mcn (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;

  forge_q (fd, type, 840, wrong_mcn_digit, NULL);
  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_MCN, 840);
  g_assert_cmpstr (report->mcn, ==, MCN);
}

static void
wrong_isrc (guint8 q[12], gpointer data)
{
  g_assert_cmpuint (q[0] & 0x0f, ==, 3);
  q[6] ^= 0x10;  /* the first serial digit */
}

/* Track 2's ISRC sector at LBA 620 (A = 770, 770 % 90 == 50). */
static void
test_damage_isrc (void)
{
  RcImageType type = RC_IMAGE_TYPE_PQ_ONLY;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;

  forge_q (fd, type, 620, wrong_isrc, NULL);
  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_ISRC, 620);
  g_assert_cmpstr (rc_inspect_report_get_track (report, 2)->isrc, ==, ISRC_2);
}

static void
wrong_index (guint8 q[12], gpointer data)
{
  g_assert_cmpuint (q[2], ==, 0x01);
  q[2] = 0x02;
}

/* An index 2 for one sector in track 1 (LBA 200), then index 1 again. */
static void
test_damage_index (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;

  forge_q (fd, type, 200, wrong_index, NULL);
  report = inspect (fd, -1);
  close (fd);
  /* one sector out of place, reported there and only there */
  assert_only_problem (report, RC_INSPECT_CHECK_POSITION, 200);
  assert_tracks (report, &album, TRUE);
}

static void
wrong_relative (guint8 q[12], gpointer data)
{
  g_assert_cmpuint (q[0] & 0x0f, ==, 1);
  q[5] ^= 0x01;  /* relative frame */
}

/* One relative time off in track 2 (LBA 801, A = 951, mode 1), with a
 * valid CRC; and the last sector of track 3's pregap (LBA 1249) not
 * reaching 00:00:00. */
static void
test_damage_relative (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;

  forge_q (fd, type, 801, wrong_relative, NULL);
  forge_q (fd, type, 1249, wrong_relative, NULL);
  report = inspect (fd, -1);
  close (fd);
  assert_problem (report, RC_INSPECT_CHECK_POSITION, 801);
  assert_problem (report, RC_INSPECT_CHECK_POSITION, 1249);
  g_assert_cmpuint (report->n_problems, ==, 2);
}

/* §4 PINNED moved the MCN due on the lead-out's first sector (1740,
 * A = 1890) to 1741.  Put it back on 1740, and 1741's place in the
 * lead-out (relative 00:00:01) on 1741: the inspector must see the code
 * on the first sector of the lead-out. */
static void
test_damage_code_on_start (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;
  guint8 sub0[96], sub1[96], q0[12], q1[12], mcn[12], pos[12];

  read_sub (fd, type, LEADOUT, sub0);
  read_sub (fd, type, LEADOUT + 1, sub1);
  get_q (type, sub0, q0);
  get_q (type, sub1, q1);
  g_assert_cmpuint (q0[0] & 0x0f, ==, 1);
  g_assert_cmpuint (q0[1], ==, 0xAA);
  g_assert_cmpuint (q1[0] & 0x0f, ==, 2);

  memcpy (mcn, q1, 12);
  mcn[9] = q0[9];            /* AFRAME of 1740 */
  memcpy (pos, q0, 12);
  pos[5] = 0x01;             /* relative 00:00:01 */
  pos[9] = q1[9];            /* absolute frame of 1741 */
  seal_q (type, mcn);
  seal_q (type, pos);
  set_q (type, sub0, mcn);
  set_q (type, sub1, pos);
  write_sub (fd, type, LEADOUT, sub0);
  write_sub (fd, type, LEADOUT + 1, sub1);

  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_POSITION, LEADOUT);
  g_assert_cmpint (report->leadout_lba, ==, LEADOUT);
}

/* One symbol of pack 1 of lead-in sector 100: a CRC error there; every
 * other copy of that pack still gives the text. */
static void
test_damage_cdtext_pack (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  gint lba = -22650 + 100;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;
  guint8 sub[96];

  read_sub (fd, type, lba, sub);
  sub[24 + 7] ^= 0x04;   /* a text byte of pack 1 */
  write_sub (fd, type, lba, sub);
  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_CDTEXT, lba);
  g_assert_cmpuint (report->n_cdtext_pack_errors, ==, 1);
  assert_album_cdtext (report);
}

/* One P bit flipped in a program sector. */
static void
test_damage_p (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;
  guint8 sub[96];

  read_sub (fd, type, 333, sub);
  sub[40] ^= 0x80;
  write_sub (fd, type, 333, sub);
  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_P, 333);
}

/* Audio in three lead-out sectors: one warning for the run. */
static void
test_damage_leadout_audio (void)
{
  RcImageType type = RC_IMAGE_TYPE_PQ_ONLY;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;
  const guint8 noise[4] = { 1, 2, 3, 4 };

  for (gint lba = 2000; lba < 2003; lba++)
    g_assert_cmpint (pwrite (fd, noise, sizeof noise, (off_t) (sector_offset (type, lba) + 1000)), ==, 4);
  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_MAIN, 2000);
  g_assert_cmpint (((RcInspectProblem *) g_ptr_array_index (report->problems, 0))->severity, ==,
                   RC_INSPECT_SEVERITY_WARNING);
  g_assert_cmpuint (report->n_nonsilent_sectors, ==, 3);
}

/* The image cut short in the lead-out: a full image has 6750 sectors of it. */
static void
test_damage_short_leadout (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  int src = album_image (type);
  gsize ranges[2] = { 0, fd_size (src) - 10 * rc_image_sector_bytes (type) };
  int fd = copy_ranges (src, ranges, 1);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_IMAGE, album.leadout_lba);
}

/* Every Q CRC of a PQ_ONLY image stored inverted, as the 96-byte forms
 * store it: against §3 PINNED, said once, and the image still read. */
static void
test_damage_pq_crc_inverted (void)
{
  RcImageType type = RC_IMAGE_TYPE_PQ_ONLY;
  int fd = copy_image (album_image (type));
  g_autoptr(RcInspectReport) report = NULL;

  for (gint lba = -22650; lba < LEADOUT + 6750; lba++)
    {
      guint8 sub[96];

      read_sub (fd, type, lba, sub);
      sub[10] ^= 0xFF;
      sub[11] ^= 0xFF;
      write_sub (fd, type, lba, sub);
    }
  report = inspect (fd, -1);
  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_Q_CRC, -22650);
  g_assert_cmpuint (report->n_q_crc_errors, ==, 22650 + LEADOUT + 6750);
  g_assert_cmpint (report->image_type, ==, RC_IMAGE_TYPE_PQ_ONLY);
  assert_tracks (report, &album, TRUE);
  assert_toc (report, &album);
}

/* The first second of the lead-in missing: the image starts at 95:01:00. */
static void
test_damage_late_start (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  int src = album_image (type);
  gsize skip = 75 * rc_image_sector_bytes (type);
  gsize ranges[2] = { skip, fd_size (src) - skip };
  int fd = copy_ranges (src, ranges, 1);
  g_autoptr(RcInspectReport) report = inspect (fd, -1);

  close (fd);
  assert_only_problem (report, RC_INSPECT_CHECK_IMAGE, -22650 + 75);
  g_assert_cmpint (report->first_lba, ==, -22650 + 75);
  assert_toc (report, &album);
  assert_album_cdtext (report);
}

/* 153 sectors of 2368 bytes are 148 of 2448: the size alone cannot tell,
 * the Q CRCs of the first sectors do. */
static void
test_both_sizes_divide (gconstpointer data)
{
  RcImageType type = GPOINTER_TO_UINT (data);
  int src = album_image (type);
  guint whole = type == RC_IMAGE_TYPE_PQ_ONLY ? 153 : 148;
  gsize ranges[2] = { 0, (gsize) whole * 200 * rc_image_sector_bytes (type) };
  int fd = copy_ranges (src, ranges, 1);
  g_autoptr(RcInspectReport) report = NULL;

  g_assert_cmpuint (ranges[1] % 2368, ==, 0);
  g_assert_cmpuint (ranges[1] % 2448, ==, 0);
  report = inspect (fd, -1);
  close (fd);
  g_assert_cmpuint (report->sector_bytes, ==, rc_image_sector_bytes (type));
  g_assert_cmpuint (report->sectors, ==, whole * 200);
  /* 30600 or 29600 sectors: cut in the lead-out, which begins at sector
   * 22650 + 1740 = 24390 */
  assert_only_problem (report, RC_INSPECT_CHECK_IMAGE, LEADOUT);
  assert_tracks (report, &album, TRUE);
}

/* ---- the API's edges ---- */

static void
test_problem_cap (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  int fd = copy_image (album_image (type));
  RcInspectOptions options = { .max_problems = 5 };
  g_autoptr(RcInspectReport) report = NULL;
  g_autoptr(GError) error = NULL;
  guint8 zero[96] = { 0 };

  /* 100 program sectors without subchannel: every Q CRC fails */
  for (gint lba = 100; lba < 200; lba++)
    write_sub (fd, type, lba, zero);
  report = rc_inspect_fd (fd, -1, &options, NULL, NULL, NULL, &error);
  close (fd);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 5);
  g_assert_cmpuint (report->counts[RC_INSPECT_CHECK_Q_CRC], ==, 100);
  g_assert_cmpuint (report->n_q_crc_errors, ==, 100);
  g_assert_cmpuint (report->n_problems, >=, 100);
  /* the tracks are still found around the hole */
  assert_tracks (report, &album, TRUE);
}

typedef struct {
  guint   calls;
  guint64 sectors;
  guint64 total;
} Progress;

static void
on_progress (guint64 sectors, guint64 total, guint64 bytes, gpointer data)
{
  Progress *p = data;

  g_assert_cmpuint (sectors, >, p->sectors);
  p->calls++;
  p->sectors = sectors;
  p->total = total;
}

static void
test_progress_cancel (void)
{
  int fd = album_image (RC_IMAGE_TYPE_PQ_ONLY);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcInspectReport) report = NULL;
  Progress p = { 0 };

  report = rc_inspect_fd (fd, -1, NULL, on_progress, &p, cancellable, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (p.calls, >, 1);
  g_assert_cmpuint (p.sectors, ==, p.total);
  g_assert_cmpuint (p.total, ==, 22650 + LEADOUT + 6750);

  g_cancellable_cancel (cancellable);
  g_clear_pointer (&report, rc_inspect_report_free);
  report = rc_inspect_fd (fd, -1, NULL, NULL, NULL, cancellable, &error);
  g_assert_error (error, RC_ERROR, RC_ERROR_CANCELLED);
  g_assert_null (report);
}

static void
test_not_an_image (void)
{
  int fd = memfd_create ("test-zero", MFD_CLOEXEC);
  g_autoptr(GError) error = NULL;
  RcInspectReport *report;

  /* silence: an all-zero Q has a valid uninverted CRC, but is no Q */
  g_assert_cmpint (ftruncate (fd, 2352 * 2448), ==, 0);
  report = rc_inspect_fd (fd, -1, NULL, NULL, NULL, NULL, &error);
  close (fd);
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_null (report);
  g_assert_nonnull (strstr (error->message, ".sub"));
}

/* ---- the CD-TEXT decoder alone ---- */

static void
collect_problem (gint lba, const char *message, gpointer data)
{
  g_ptr_array_add (data, g_strdup (message));
}

static RcCdTextDecoded *
decode_packs_with (GBytes *packs, gint skip_seq_of_block0, GPtrArray *problems)
{
  g_autoptr(RcCdTextDecoder) decoder = rc_cdtext_decoder_new ();
  gsize size;
  const guint8 *p = g_bytes_get_data (packs, &size);

  for (gsize off = 0; off < size; off += RC_CDTEXT_PACK_SIZE)
    {
      const guint8 *pack = p + off;

      if (((pack[3] >> 4) & 7) == 0 && pack[2] == skip_seq_of_block0)
        continue;
      g_assert_cmpint (rc_cdtext_decoder_add (decoder, pack, (gint) (off / 18)), ==, RC_CDTEXT_PACK_ADDED);
      g_assert_cmpint (rc_cdtext_decoder_add (decoder, pack, 0), ==, RC_CDTEXT_PACK_REPEATED);
    }
  return rc_cdtext_decoder_finish (decoder, collect_problem, problems);
}

static GBytes *
album_packs (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;
  GBytes *packs;

  for (guint i = 0; i < G_N_ELEMENTS (album_text); i++)
    {
      const Text *t = &album_text[i];

      g_assert_true (rc_cdtext_set (cdtext, t->block, t->track, t->field, t->text, &error));
    }
  packs = rc_cdtext_encode (cdtext, 1, 3, &error);
  g_assert_no_error (error);
  return packs;
}

static void
test_cdtext_decode (void)
{
  g_autoptr(GBytes) packs = album_packs ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RcCdTextDecoded) decoded = decode_packs_with (packs, -1, problems);

  g_assert_cmpuint (problems->len, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (album_text); i++)
    {
      const Text *t = &album_text[i];

      g_assert_cmpstr (rc_cdtext_decoded_get (decoded, t->block, t->track, t->field), ==, t->text);
    }
  g_assert_cmpuint (decoded->n_entries, ==, G_N_ELEMENTS (album_text));
}

/* A pack whose every copy is lost: reported, and the strings it cut are
 * dropped, not guessed; the text after it is picked up again. */
static void
test_cdtext_missing_pack (void)
{
  g_autoptr(GBytes) packs = album_packs ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RcCdTextDecoded) decoded = NULL;
  const guint8 *p = g_bytes_get_data (packs, NULL);

  /* block 0's titles: "Inspecting I|mages, a Lon|g Album Titl|e\0First\0Seco|..." */
  g_assert_cmpuint (p[18 * 2 + 0], ==, 0x80);
  decoded = decode_packs_with (packs, 2, problems);
  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "sequence numbers 2 to 2"));
  g_assert_null (rc_cdtext_decoded_get (decoded, 0, 0, RC_CDTEXT_FIELD_TITLE));
  g_assert_cmpstr (rc_cdtext_decoded_get (decoded, 0, 1, RC_CDTEXT_FIELD_TITLE), ==, "First");
  g_assert_cmpstr (rc_cdtext_decoded_get (decoded, 0, 3, RC_CDTEXT_FIELD_TITLE), ==, "Third");
  g_assert_cmpstr (rc_cdtext_decoded_get (decoded, 0, 0, RC_CDTEXT_FIELD_PERFORMER), ==, "The Testers");
}

static void
test_cdtext_bad_crc (void)
{
  g_autoptr(GBytes) packs = album_packs ();
  g_autoptr(RcCdTextDecoder) decoder = rc_cdtext_decoder_new ();
  guint8 pack[RC_CDTEXT_PACK_SIZE];

  memcpy (pack, g_bytes_get_data (packs, NULL), sizeof pack);
  g_assert_cmpint (rc_cdtext_decoder_add (decoder, pack, 0), ==, RC_CDTEXT_PACK_ADDED);
  pack[5] ^= 0x20;
  g_assert_cmpint (rc_cdtext_decoder_add (decoder, pack, 1), ==, RC_CDTEXT_PACK_BAD_CRC);
  /* valid again, but not the same pack for its block and sequence number */
  {
    guint16 crc = rc_crc16 (pack, 16) ^ 0xFFFF;

    pack[16] = (guint8) (crc >> 8);
    pack[17] = (guint8) crc;
  }
  g_assert_cmpint (rc_cdtext_decoder_add (decoder, pack, 2), ==, RC_CDTEXT_PACK_CONFLICT);
  g_assert_cmpuint (rc_cdtext_decoder_n_packs (decoder), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/inspect/clean/pq-only", GUINT_TO_POINTER (RC_IMAGE_TYPE_PQ_ONLY), test_clean_full);
  g_test_add_data_func ("/inspect/clean/is-cooked", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_COOKED), test_clean_full);
  g_test_add_data_func ("/inspect/clean/is-raw", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_RAW), test_clean_full);
  g_test_add_func ("/inspect/clean/gaps", test_clean_gaps);
  g_test_add_func ("/inspect/clean/hidden-track-one", test_clean_hidden);
  g_test_add_data_func ("/inspect/clean/hidden-track-mcn/pq-only", GUINT_TO_POINTER (RC_IMAGE_TYPE_PQ_ONLY),
                        test_clean_hidden_mcn);
  g_test_add_data_func ("/inspect/clean/hidden-track-mcn/is-raw", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_RAW),
                        test_clean_hidden_mcn);
  g_test_add_func ("/inspect/clean/bin-sub-interleaved", test_clean_bin_sub_interleaved);
  g_test_add_data_func ("/inspect/clean/bin-sub-from-pregap", GINT_TO_POINTER (-150), test_clean_bin_sub);
  g_test_add_data_func ("/inspect/clean/bin-sub-from-0", GINT_TO_POINTER (0), test_clean_bin_sub);
  g_test_add_data_func ("/inspect/rw-type/is-cooked", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_COOKED), test_rw_type);
  g_test_add_data_func ("/inspect/rw-type/is-raw", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_RAW), test_rw_type);
  g_test_add_data_func ("/inspect/rw-type/is-raw-cdtext", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_RAW | 0x10), test_rw_type);
  g_test_add_data_func ("/inspect/damage/q-bit/pq-only", GUINT_TO_POINTER (RC_IMAGE_TYPE_PQ_ONLY), test_damage_q_bit);
  g_test_add_data_func ("/inspect/damage/q-bit/is-raw", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_RAW), test_damage_q_bit);
  g_test_add_data_func ("/inspect/damage/dropped/pq-only", GUINT_TO_POINTER (RC_IMAGE_TYPE_PQ_ONLY), test_damage_dropped);
  g_test_add_data_func ("/inspect/damage/dropped/is-raw", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_RAW), test_damage_dropped);
  g_test_add_func ("/inspect/damage/dropped-before-mcn", test_damage_dropped_before_mcn);
  g_test_add_data_func ("/inspect/damage/duplicated/is-cooked", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_COOKED), test_damage_duplicated);
  g_test_add_func ("/inspect/damage/toc-entry-all-copies", test_damage_toc_all);
  g_test_add_func ("/inspect/damage/toc-entry-one-copy", test_damage_toc_one);
  g_test_add_func ("/inspect/damage/mcn-digit", test_damage_mcn);
  g_test_add_func ("/inspect/damage/isrc", test_damage_isrc);
  g_test_add_func ("/inspect/damage/index", test_damage_index);
  g_test_add_func ("/inspect/damage/relative-time", test_damage_relative);
  g_test_add_func ("/inspect/damage/code-on-start", test_damage_code_on_start);
  g_test_add_func ("/inspect/damage/cdtext-pack", test_damage_cdtext_pack);
  g_test_add_func ("/inspect/damage/p-bit", test_damage_p);
  g_test_add_func ("/inspect/damage/leadout-audio", test_damage_leadout_audio);
  g_test_add_func ("/inspect/damage/short-leadout", test_damage_short_leadout);
  g_test_add_func ("/inspect/damage/pq-crc-inverted", test_damage_pq_crc_inverted);
  g_test_add_func ("/inspect/damage/late-start", test_damage_late_start);
  g_test_add_data_func ("/inspect/api/both-sizes-divide/pq-only", GUINT_TO_POINTER (RC_IMAGE_TYPE_PQ_ONLY), test_both_sizes_divide);
  g_test_add_data_func ("/inspect/api/both-sizes-divide/is-raw", GUINT_TO_POINTER (RC_IMAGE_TYPE_IS_RAW), test_both_sizes_divide);
  g_test_add_func ("/inspect/api/problem-cap", test_problem_cap);
  g_test_add_func ("/inspect/api/progress-cancel", test_progress_cancel);
  g_test_add_func ("/inspect/api/not-an-image", test_not_an_image);
  g_test_add_func ("/inspect/cdtext/decode", test_cdtext_decode);
  g_test_add_func ("/inspect/cdtext/missing-pack", test_cdtext_missing_pack);
  g_test_add_func ("/inspect/cdtext/bad-crc", test_cdtext_bad_crc);

  return g_test_run ();
}
