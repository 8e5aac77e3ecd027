/* test-geometry.c: known answers of rc-geometry (what the service
 * publishes as ImageSectors, ImageSizes, the MSF strings, SmallestBlank,
 * TableOfContents, and each track's Pregap and PlayingSectors).
 *
 * Every expected value is a literal with the arithmetic that gives it in
 * a comment: 75 sectors a second, 4500 a minute, absolute time = LBA + 150
 * (LBA + 450150 in the lead-in), the full image from LBA -22650 to the end
 * of the 6750-sector lead-out.
 */
#include <string.h>

#include "rc-cd.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-geometry.h"
#include "test-util.h"

static void
assert_lba_msf (gint64 lba, const char *expected)
{
  g_autofree char *msf = rc_geometry_lba_to_msf (lba);

  g_assert_cmpstr (msf, ==, expected);
}

static void
test_lba_to_msf (void)
{
  assert_lba_msf (-22650, "95:00:00");  /* -22650 + 450150 = 427500 = 95 x 4500 */
  assert_lba_msf (-151, "99:59:74");    /* 449999 */
  assert_lba_msf (-150, "00:00:00");
  assert_lba_msf (0, "00:02:00");
  assert_lba_msf (359849, "79:59:74");  /* 359999 = 79 x 4500 + 59 x 75 + 74 */
  assert_lba_msf (398099, "88:29:74");  /* StartOfLeadoutLimit's maximum */
}

static void
test_sectors_to_msf (void)
{
  g_autofree char *zero = rc_geometry_sectors_to_msf (0);
  g_autofree char *one = rc_geometry_sectors_to_msf (4574);          /* 1:00 + 74 */
  g_autofree char *hundred = rc_geometry_sectors_to_msf (450000);    /* 100 minutes */

  g_assert_cmpstr (zero, ==, "00:00:00");
  g_assert_cmpstr (one, ==, "01:00:74");
  g_assert_cmpstr (hundred, ==, "100:00:00");
}

static void
test_smallest_blank (void)
{
  /* N minutes hold a lead-out starting at or before N:00:00, LBA N x 4500 - 150. */
  g_assert_cmpuint (rc_geometry_smallest_blank (0), ==, 74);
  g_assert_cmpuint (rc_geometry_smallest_blank (332850), ==, 74);
  g_assert_cmpuint (rc_geometry_smallest_blank (332851), ==, 80);
  g_assert_cmpuint (rc_geometry_smallest_blank (359850), ==, 80);
  g_assert_cmpuint (rc_geometry_smallest_blank (359851), ==, 90);
  g_assert_cmpuint (rc_geometry_smallest_blank (404850), ==, 90);
  g_assert_cmpuint (rc_geometry_smallest_blank (404851), ==, 99);
  g_assert_cmpuint (rc_geometry_smallest_blank (445350), ==, 99);
  g_assert_cmpuint (rc_geometry_smallest_blank (445351), ==, 0);
  g_assert_cmpuint (rc_geometry_smallest_blank (G_GINT64_CONSTANT (1) << 40), ==, 0);
}

static void
test_decode_toc (void)
{
  /* Two tracks at LBA 0 and 750 (0x2EE), the lead-out at 1500 (0x5DC);
   * track 2 has CONTROL 2 (copy permitted); length 26 = 2 + 3 x 8. */
  static const guint8 bytes[] = {
    0x00, 0x1A, 0x01, 0x02,
    0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x12, 0x02, 0x00, 0x00, 0x00, 0x02, 0xEE,
    0x00, 0x10, 0xAA, 0x00, 0x00, 0x00, 0x05, 0xDC,
  };
  g_autoptr(GBytes) toc = g_bytes_new_static (bytes, sizeof bytes);
  g_autoptr(GBytes) empty = g_bytes_new_static (NULL, 0);
  g_autoptr(GBytes) short_toc = g_bytes_new_static (bytes, 12);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = rc_geometry_decode_toc (toc, &error);
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) bad = NULL;
  const RcTocEntry *e;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  e = &g_array_index (entries, RcTocEntry, 0);
  g_assert_cmpuint (e->track, ==, 1);
  g_assert_cmpuint (e->adr, ==, 1);
  g_assert_cmpuint (e->control, ==, 0);
  g_assert_cmpint (e->lba, ==, 0);
  e = &g_array_index (entries, RcTocEntry, 1);
  g_assert_cmpuint (e->track, ==, 2);
  g_assert_cmpuint (e->control, ==, 2);
  g_assert_cmpint (e->lba, ==, 750);
  e = &g_array_index (entries, RcTocEntry, 2);
  g_assert_cmpuint (e->track, ==, 0xAA);
  g_assert_cmpint (e->lba, ==, 1500);

  none = rc_geometry_decode_toc (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  /* 12 bytes whose header says 28. */
  bad = rc_geometry_decode_toc (short_toc, &error);
  g_assert_null (bad);
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
}

static RcDisc *
make_disc (gboolean gaps, guint special_pregap, const guint *sectors, guint n)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_disable_gapless_audio (disc, gaps, &error));
  if (special_pregap > 0)
    {
      g_autoptr(RcAudioSource) hidden = test_pattern_source (99, special_pregap);

      g_assert_true (rc_disc_set_special_pregap (disc, hidden, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RcAudioSource) source = test_pattern_source (i + 1, sectors[i]);

      g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, i + 1);
      g_assert_no_error (error);
    }
  return g_steal_pointer (&disc);
}

static void
test_image_sizes (void)
{
  static const guint sectors[] = { 750 };
  g_autoptr(RcDisc) disc = make_disc (FALSE, 0, sectors, 1);
  const RcLayout *layout = rc_disc_peek_layout (disc);

  /* One 750-sector track from LBA 0: lead-out at 750; 22650 + 750 + 6750. */
  g_assert_cmpint (layout->leadout_lba, ==, 750);
  g_assert_cmpint (rc_layout_image_sectors (layout), ==, 30150);
  g_assert_cmpuint (rc_geometry_image_bytes (layout, RC_IMAGE_TYPE_PQ_ONLY), ==, 71395200);   /* x 2368 */
  g_assert_cmpuint (rc_geometry_image_bytes (layout, RC_IMAGE_TYPE_IS_COOKED), ==, 73807200); /* x 2448 */
  g_assert_cmpuint (rc_geometry_image_bytes (layout, RC_IMAGE_TYPE_IS_RAW), ==, 73807200);
}

static void
test_tracks_gapless (void)
{
  static const guint sectors[] = { 750, 600 };
  g_autoptr(RcDisc) disc = make_disc (FALSE, 0, sectors, 2);
  const RcLayout *layout = rc_disc_peek_layout (disc);

  /* Gapless: track 2's pause is the last 150 sectors of track 1's audio:
   * track 1 plays 0..749, track 2's index 1 is at 750, lead-out 1350. */
  g_assert_cmpint (rc_geometry_track_pregap (layout, 1), ==, 150);
  g_assert_cmpint (rc_geometry_track_pregap (layout, 2), ==, 150);
  g_assert_cmpint (rc_geometry_track_playing_sectors (layout, 1), ==, 750);
  g_assert_cmpint (rc_geometry_track_playing_sectors (layout, 2), ==, 600);
  g_assert_cmpint (layout->leadout_lba, ==, 1350);
}

static void
test_tracks_with_gaps (void)
{
  static const guint sectors[] = { 750, 600 };
  g_autoptr(RcDisc) disc = make_disc (TRUE, 0, sectors, 2);
  const RcLayout *layout = rc_disc_peek_layout (disc);

  /* Gaps: 150 sectors of silence after track 1: track 2's index 1 at
   * 750 + 150 = 900, so a player plays 900 sectors of track 1 (its audio
   * and the pause); lead-out 1500. */
  g_assert_cmpint (rc_geometry_track_pregap (layout, 2), ==, 150);
  g_assert_cmpint (rc_geometry_track_playing_sectors (layout, 1), ==, 900);
  g_assert_cmpint (rc_geometry_track_playing_sectors (layout, 2), ==, 600);
  g_assert_cmpint (layout->leadout_lba, ==, 1500);
}

static void
test_special_pregap (void)
{
  static const guint sectors[] = { 750 };
  g_autoptr(RcDisc) disc = make_disc (FALSE, 450, sectors, 1);
  const RcLayout *layout = rc_disc_peek_layout (disc);
  g_autofree char *start = rc_geometry_lba_to_msf (layout->tracks[0].start_lba);

  /* A 450-sector hidden track from LBA -150: index 1 at 300 (00:06:00). */
  g_assert_cmpint (rc_geometry_track_pregap (layout, 1), ==, 450);
  g_assert_cmpstr (start, ==, "00:06:00");
  g_assert_cmpint (rc_geometry_track_playing_sectors (layout, 1), ==, 750);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geometry/lba-to-msf", test_lba_to_msf);
  g_test_add_func ("/geometry/sectors-to-msf", test_sectors_to_msf);
  g_test_add_func ("/geometry/smallest-blank", test_smallest_blank);
  g_test_add_func ("/geometry/decode-toc", test_decode_toc);
  g_test_add_func ("/geometry/image-sizes", test_image_sizes);
  g_test_add_func ("/geometry/tracks-gapless", test_tracks_gapless);
  g_test_add_func ("/geometry/tracks-with-gaps", test_tracks_with_gaps);
  g_test_add_func ("/geometry/special-pregap", test_special_pregap);
  return g_test_run ();
}
