/* test-disc-model.c: the disc model's layout arithmetic and IMAPI rules.
 *
 * Expected layouts are literal tables derived by hand from
 * docs/cd-format.md §5; errors are those of docs/api.md §9, plus the
 * semantics the lead decided where the spec is silent (sector count =
 * ceil(frames / 588); index spacing; gapless shrink and index checks;
 * StartOfLeadout - 1 <= StartOfLeadoutLimit always).
 */
#define _GNU_SOURCE  /* memfd_create */
#include "rc-cd.h"
#include "rc-disc.h"
#include "rc-geometry.h"
#include "rc-error.h"
#include "rc-layout.h"
#include "test-util.h"
#include "rc-sndfile-source.h"

#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---------------------------------------------------------------------- */
/* helpers                                                                 */

/* Checks domain and code, that the message is not empty and, when
 * alternatives are given (NULL-terminated), that it names one of them. */
static void
assert_error (const GError *error, RcError code, ...)
{
  va_list ap;
  const char *needle;
  gboolean any = FALSE;
  gboolean found = FALSE;

  g_assert_error (error, RC_ERROR, (gint) code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  va_start (ap, code);
  while ((needle = va_arg (ap, const char *)) != NULL)
    {
      any = TRUE;
      if (strstr (error->message, needle) != NULL)
        found = TRUE;
    }
  va_end (ap);
  if (any && !found)
    g_test_message ("message \"%s\" does not name the offending value", error->message);
  g_assert_true (!any || found);
}

static guint
add_track (RcDisc *disc, guint sectors)
{
  g_autoptr(RcAudioSource) source = test_pattern_source (sectors, sectors);
  g_autoptr(GError) error = NULL;
  guint index = rc_disc_add_track (disc, source, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (index, >, 0);
  return index;
}

static guint
add_track_frames (RcDisc *disc, guint64 frames)
{
  int fd = test_pattern_memfd (7, frames);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) source = rc_audio_source_new_from_fd (fd, RC_AUDIO_FORMAT_RAW, NULL, &error);
  guint index;

  g_assert_no_error (error);
  index = rc_disc_add_track (disc, source, &error);
  g_assert_no_error (error);
  return index;
}

static void
set_special_pregap (RcDisc *disc, guint sectors)
{
  g_autoptr(RcAudioSource) source = test_pattern_source (1000 + sectors, sectors);
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_special_pregap (disc, source, &error));
  g_assert_no_error (error);
}

static void
add_index (RcDisc *disc, guint track, gint offset)
{
  g_autoptr(GError) error = NULL;
  gboolean existed = TRUE;

  g_assert_true (rc_disc_track_add_index (disc, track, offset, &existed, &error));
  g_assert_no_error (error);
  g_assert_false (existed);
}

static void
assert_indexes (RcDisc *disc, guint track, const gint *offsets, guint n)
{
  const RcLayoutTrack *t = rc_disc_get_track (disc, track);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);

  g_assert_nonnull (t);
  for (guint i = 0; i < t->n_indexes; i++)
    g_string_append_printf (got, "%d ", t->index_offsets[i]);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (expected, "%d ", offsets[i]);
  g_assert_cmpstr (got->str, ==, expected->str);
}

typedef struct {
  guint number;
  gint  pregap_lba;    /* index 0 */
  gint  starting_lba;  /* IMAPI StartingLba, index 1 */
  gint  sector_count;  /* IMAPI SectorCount */
} ExpectedTrack;

typedef struct {
  gint lba;
  gint sectors;
} ExpectedAudio;

static void
assert_layout (RcDisc *disc, const ExpectedTrack *tracks, guint n_tracks, gint leadout,
               const ExpectedAudio *audio, guint n_audio)
{
  const RcLayout *layout = rc_disc_peek_layout (disc);

  g_assert_nonnull (layout);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, n_tracks);
  g_assert_cmpuint (layout->n_tracks, ==, n_tracks);
  g_assert_cmpuint (layout->first_track, ==, tracks[0].number);
  for (guint i = 0; i < n_tracks; i++)
    {
      const RcLayoutTrack *t = rc_disc_get_track (disc, i + 1);

      g_test_message ("track index %u", i + 1);
      g_assert_nonnull (t);
      g_assert_cmpuint (t->number, ==, tracks[i].number);
      g_assert_cmpint (t->pregap_lba, ==, tracks[i].pregap_lba);
      g_assert_cmpint (t->start_lba, ==, tracks[i].starting_lba);
      g_assert_cmpint (rc_layout_track_sector_count (t), ==, tracks[i].sector_count);
      g_assert_cmpint (rc_disc_track_get_sector_count (disc, i + 1), ==, tracks[i].sector_count);
      g_assert_cmpuint (layout->tracks[i].number, ==, tracks[i].number);
      g_assert_cmpint (layout->tracks[i].start_lba, ==, tracks[i].starting_lba);
      g_assert_cmpint (layout->tracks[i].end_lba, ==, tracks[i].starting_lba + tracks[i].sector_count);
    }
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, leadout);
  g_assert_cmpint (layout->leadout_lba, ==, leadout);
  g_assert_cmpint (rc_disc_get_last_used_user_sector (disc), ==, leadout - 1);
  /* 22650 lead-in and first pregap sectors before LBA 0, 6750 lead-out */
  g_assert_cmpint (rc_layout_image_sectors (layout), ==, 22650 + leadout + 6750);
  if (audio != NULL)
    {
      g_assert_cmpuint (layout->n_audio, ==, n_audio);
      for (guint i = 0; i < n_audio; i++)
        {
          g_assert_cmpint (layout->audio[i].lba, ==, audio[i].lba);
          g_assert_cmpint (layout->audio[i].sectors, ==, audio[i].sectors);
        }
    }
}

/* ---------------------------------------------------------------------- */
/* defaults and properties                                                 */

static void
test_defaults (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();

  g_assert_cmpint (rc_disc_get_image_type (disc), ==, RC_IMAGE_TYPE_IS_RAW);
  g_assert_cmpint (rc_disc_get_start_of_leadout_limit (disc), ==, 398099);
  g_assert_false (rc_disc_get_disable_gapless_audio (disc));
  g_assert_cmpstr (rc_disc_get_media_catalog_number (disc), ==, "");
  g_assert_cmpint (rc_disc_get_starting_track_number (disc), ==, 1);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 0);
  g_assert_false (rc_disc_is_frozen (disc));
}

static void
test_properties (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *isrc = NULL;
  g_autofree char *isrc_none = NULL;

  for (guint type = 1; type <= 3; type++)
    {
      g_assert_true (rc_disc_set_image_type (disc, type, &error));
      g_assert_no_error (error);
      g_assert_cmpint (rc_disc_get_image_type (disc), ==, type);
    }
  g_assert_true (rc_disc_set_start_of_leadout_limit (disc, 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rc_disc_get_start_of_leadout_limit (disc), ==, 1000);
  g_assert_true (rc_disc_set_start_of_leadout_limit (disc, 398099, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_set_starting_track_number (disc, 99, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rc_disc_get_starting_track_number (disc), ==, 99);
  g_assert_true (rc_disc_set_starting_track_number (disc, 1, &error));
  g_assert_no_error (error);

  /* MCN: leading zeros added */
  g_assert_true (rc_disc_set_media_catalog_number (disc, "75678164125", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rc_disc_get_media_catalog_number (disc), ==, "0075678164125");
  g_assert_true (rc_disc_set_media_catalog_number (disc, "", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rc_disc_get_media_catalog_number (disc), ==, "");

  /* ISRC: any case and dashes in, CC-OOO-YY-NNNNN out */
  add_track (disc, 400);
  g_assert_true (rc_disc_track_set_isrc (disc, 1, "uss1z9900001", &error));
  g_assert_no_error (error);
  isrc = rc_disc_track_dup_isrc (disc, 1);
  g_assert_cmpstr (isrc, ==, "US-S1Z-99-00001");
  g_assert_cmpstr (rc_disc_get_track (disc, 1)->isrc, ==, "USS1Z9900001");
  g_assert_true (rc_disc_track_set_isrc (disc, 1, "", &error));
  g_assert_no_error (error);
  isrc_none = rc_disc_track_dup_isrc (disc, 1);
  g_assert_cmpstr (isrc_none, ==, "");

  g_assert_true (rc_disc_track_set_copy_setting (disc, 1, RC_COPY_SCMS, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rc_disc_get_track (disc, 1)->copy, ==, RC_COPY_SCMS);
  g_assert_true (rc_disc_track_set_preemphasis (disc, 1, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_get_track (disc, 1)->preemphasis);

  /* CONTROL: 0x2 copy permitted, 0x1 pre-emphasis */
  g_assert_true (rc_disc_track_set_copy_setting (disc, 1, RC_COPY_PERMITTED, &error));
  g_assert_no_error (error);
  g_assert_cmphex (rc_layout_track_control (rc_disc_get_track (disc, 1)), ==, 0x3);
  g_assert_true (rc_disc_track_set_copy_setting (disc, 1, RC_COPY_PROHIBITED, &error));
  g_assert_no_error (error);
  g_assert_cmphex (rc_layout_track_control (rc_disc_get_track (disc, 1)), ==, 0x1);
  g_assert_true (rc_disc_track_set_preemphasis (disc, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmphex (rc_layout_track_control (rc_disc_get_track (disc, 1)), ==, 0x0);
}

/* ---------------------------------------------------------------------- */
/* layouts (§5)                                                            */

static void
test_layout_gapless (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  /* audio 1000, 2000, 500 sectors.  StartingLba(N+1) = StartingLba(N) +
   * sectors(N): 0, 0+1000 = 1000, 1000+2000 = 3000.  SectorCount = sectors
   * - 150 but for the last: 850, 1850, 500.  Index 0 of N+1 = the last 150
   * sectors of N's audio: -150 (first pregap), 1000-150 = 850,
   * 3000-150 = 2850.  Lead-out 3000 + 500 = 3500. */
  static const ExpectedTrack tracks[] = {
    { 1, -150, 0, 850 },
    { 2, 850, 1000, 1850 },
    { 3, 2850, 3000, 500 },
  };
  static const ExpectedAudio audio[] = {
    { 0, 1000 }, { 1000, 2000 }, { 3000, 500 },
  };

  g_assert_cmpuint (add_track (disc, 1000), ==, 1);
  g_assert_cmpuint (add_track (disc, 2000), ==, 2);
  g_assert_cmpuint (add_track (disc, 500), ==, 3);
  assert_layout (disc, tracks, 3, 3500, audio, 3);
}

static void
test_layout_gaps (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  /* 150 silent sectors before tracks 2 and 3: 0; 0+1000+150 = 1150;
   * 1150+2000+150 = 3300; counts = whole audio; gaps 1000..1149 and
   * 3150..3299; lead-out 3300 + 500 = 3800. */
  static const ExpectedTrack tracks[] = {
    { 1, -150, 0, 1000 },
    { 2, 1000, 1150, 2000 },
    { 3, 3150, 3300, 500 },
  };
  static const ExpectedAudio audio[] = {
    { 0, 1000 }, { 1150, 2000 }, { 3300, 500 },
  };

  g_assert_true (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_get_disable_gapless_audio (disc));
  add_track (disc, 1000);
  add_track (disc, 2000);
  add_track (disc, 500);
  assert_layout (disc, tracks, 3, 3800, audio, 3);
}

static void
test_layout_switch_gaps (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  static const ExpectedTrack gapless[] = {
    { 1, -150, 0, 850 }, { 2, 850, 1000, 1850 }, { 3, 2850, 3000, 500 },
  };
  static const ExpectedTrack gaps[] = {
    { 1, -150, 0, 1000 }, { 2, 1000, 1150, 2000 }, { 3, 3150, 3300, 500 },
  };

  add_track (disc, 1000);
  add_track (disc, 2000);
  add_track (disc, 500);
  assert_layout (disc, gapless, 3, 3500, NULL, 0);
  /* the property changes an existing layout both ways */
  g_assert_true (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
  g_assert_no_error (error);
  assert_layout (disc, gaps, 3, 3800, NULL, 0);
  g_assert_true (rc_disc_set_disable_gapless_audio (disc, FALSE, &error));
  g_assert_no_error (error);
  assert_layout (disc, gapless, 3, 3500, NULL, 0);
}

static void
test_layout_special_pregap (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  /* P = 300: track 1 index 0 -150..P-151 = 149, index 1 at P-150 = 150;
   * gapless: track 2 at 150 + 1000 = 1150, track 1 count 1000-150 = 850,
   * track 2 index 0 at 1000; lead-out 1150 + 500 = 1650.  Audio: the
   * pregap from -150 (300 sectors), track 1 from 150, track 2 from 1150. */
  static const ExpectedTrack tracks[] = {
    { 1, -150, 150, 850 },
    { 2, 1000, 1150, 500 },
  };
  static const ExpectedAudio audio[] = {
    { -150, 300 }, { 150, 1000 }, { 1150, 500 },
  };

  set_special_pregap (disc, 300);
  add_track (disc, 1000);
  add_track (disc, 500);
  assert_layout (disc, tracks, 2, 1650, audio, 3);
}

static void
test_layout_special_pregap_gaps (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  /* P = 300 with gaps: track 1 150..1149 (1000), gap 1150..1299, track 2
   * 1300..1799, lead-out 1800 */
  static const ExpectedTrack tracks[] = {
    { 1, -150, 150, 1000 },
    { 2, 1150, 1300, 500 },
  };
  static const ExpectedAudio audio[] = {
    { -150, 300 }, { 150, 1000 }, { 1300, 500 },
  };

  g_assert_true (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
  g_assert_no_error (error);
  set_special_pregap (disc, 300);
  add_track (disc, 1000);
  add_track (disc, 500);
  assert_layout (disc, tracks, 2, 1800, audio, 3);
}

static void
test_layout_special_pregap_minimum (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  /* P = 150: exactly the standard pregap, filled with audio */
  static const ExpectedTrack tracks[] = {
    { 1, -150, 0, 400 },
  };
  static const ExpectedAudio audio[] = {
    { -150, 150 }, { 0, 400 },
  };

  set_special_pregap (disc, 150);
  add_track (disc, 400);
  assert_layout (disc, tracks, 1, 400, audio, 2);
}

static void
test_layout_starting_track_number (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) toc = NULL;
  const guint8 *data;
  gsize len = 0;
  static const ExpectedTrack tracks[] = {
    { 5, -150, 0, 850 },
    { 6, 850, 1000, 1850 },
    { 7, 2850, 3000, 500 },
  };

  g_assert_true (rc_disc_set_starting_track_number (disc, 5, &error));
  g_assert_no_error (error);
  /* the 1-based index stays 1, 2, 3 */
  g_assert_cmpuint (add_track (disc, 1000), ==, 1);
  g_assert_cmpuint (add_track (disc, 2000), ==, 2);
  g_assert_cmpuint (add_track (disc, 500), ==, 3);
  assert_layout (disc, tracks, 3, 3500, NULL, 0);

  /* TOC header: length 2 + 8*4 = 34, first 5, last 7; track bytes 5, 6, 7, AA */
  toc = rc_disc_get_expected_toc (disc);
  data = g_bytes_get_data (toc, &len);
  g_assert_cmpuint (len, ==, 36);
  g_assert_cmphex (data[0], ==, 0x00);
  g_assert_cmphex (data[1], ==, 34);
  g_assert_cmphex (data[2], ==, 5);
  g_assert_cmphex (data[3], ==, 7);
  g_assert_cmphex (data[4 + 2], ==, 5);
  g_assert_cmphex (data[12 + 2], ==, 6);
  g_assert_cmphex (data[20 + 2], ==, 7);
  g_assert_cmphex (data[28 + 2], ==, 0xAA);
}

static void
test_layout_partial_sector (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  /* With PadStreamsToSectors (IMAPI's padding): ceil(frames / 588):
   * 1000*588 + 1 frames = 1001 sectors, 300*588 - 1 = 300 sectors.  Track 1
   * count 1001 - 150 = 851, track 2 at 1001, lead-out 1301. */
  static const ExpectedTrack tracks[] = {
    { 1, -150, 0, 851 },
    { 2, 851, 1001, 300 },
  };
  static const ExpectedAudio audio[] = {
    { 0, 1001 }, { 1001, 300 },
  };

  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_pad_streams_to_sectors (disc, TRUE, &error));
  g_assert_no_error (error);
  add_track_frames (disc, 1000 * 588 + 1);
  add_track_frames (disc, 300 * 588 - 1);
  assert_layout (disc, tracks, 2, 1301, audio, 2);
}

static void
test_layout_locate (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  const RcLayout *layout;
  RcPosition pos;

  add_track (disc, 1000);  /* index 0 -150..-1, index 1 0..849 */
  add_track (disc, 500);   /* index 0 850..999, index 1 1000..1149, index 2 1150.. */
  add_index (disc, 2, 150);
  layout = rc_disc_peek_layout (disc);

  rc_layout_locate (layout, -22650, &pos);
  g_assert_cmpint (pos.region, ==, RC_REGION_LEADIN);
  g_assert_null (pos.track);
  rc_layout_locate (layout, -151, &pos);
  g_assert_cmpint (pos.region, ==, RC_REGION_LEADIN);

  /* first pregap sector: relative counts down, 149 .. 0 */
  rc_layout_locate (layout, -150, &pos);
  g_assert_cmpint (pos.region, ==, RC_REGION_PROGRAM);
  g_assert_true (pos.track == &layout->tracks[0]);
  g_assert_cmpuint (pos.index, ==, 0);
  g_assert_cmpint (pos.index_lba, ==, -150);
  g_assert_cmpint (pos.relative, ==, 149);
  rc_layout_locate (layout, -1, &pos);
  g_assert_cmpuint (pos.index, ==, 0);
  g_assert_cmpint (pos.relative, ==, 0);
  rc_layout_locate (layout, 0, &pos);
  g_assert_true (pos.track == &layout->tracks[0]);
  g_assert_cmpuint (pos.index, ==, 1);
  g_assert_cmpint (pos.index_lba, ==, 0);
  g_assert_cmpint (pos.relative, ==, 0);
  rc_layout_locate (layout, 849, &pos);
  g_assert_true (pos.track == &layout->tracks[0]);
  g_assert_cmpint (pos.relative, ==, 849);

  rc_layout_locate (layout, 850, &pos);
  g_assert_true (pos.track == &layout->tracks[1]);
  g_assert_cmpuint (pos.index, ==, 0);
  g_assert_cmpint (pos.index_lba, ==, 850);
  g_assert_cmpint (pos.relative, ==, 149);
  rc_layout_locate (layout, 1149, &pos);
  g_assert_cmpuint (pos.index, ==, 1);
  g_assert_cmpint (pos.relative, ==, 149);
  /* index 2 at 1000 + 150: relative keeps counting from index 1 */
  rc_layout_locate (layout, 1150, &pos);
  g_assert_cmpuint (pos.index, ==, 2);
  g_assert_cmpint (pos.index_lba, ==, 1150);
  g_assert_cmpint (pos.relative, ==, 150);
  rc_layout_locate (layout, 1499, &pos);
  g_assert_cmpuint (pos.index, ==, 2);
  g_assert_cmpint (pos.relative, ==, 499);

  rc_layout_locate (layout, 1500, &pos);
  g_assert_cmpint (pos.region, ==, RC_REGION_LEADOUT);
  g_assert_true (pos.track == &layout->tracks[1]);
  g_assert_cmpuint (pos.index, ==, 1);
  g_assert_cmpint (pos.index_lba, ==, 1500);
  g_assert_cmpint (pos.relative, ==, 0);
  rc_layout_locate (layout, 1500 + 6749, &pos);
  g_assert_cmpint (pos.region, ==, RC_REGION_LEADOUT);
  g_assert_cmpint (pos.relative, ==, 6749);
}

/* ---------------------------------------------------------------------- */
/* indexes                                                                 */

static void
test_index_add_clear (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  gboolean existed = FALSE;
  static const gint one[] = { 0 };
  static const gint three[] = { 0, 100, 500 };
  static const gint four[] = { 0, 100, 300, 500 };
  static const gint after_clear[] = { 0, 100, 500 };
  static const gint edges[] = { 0, 10, 100, 500, 990 };

  add_track (disc, 1000);   /* last track: SectorCount 1000 */
  assert_indexes (disc, 1, one, 1);
  add_index (disc, 1, 500);
  add_index (disc, 1, 100);
  assert_indexes (disc, 1, three, 3);
  add_index (disc, 1, 300);   /* kept in offset order */
  assert_indexes (disc, 1, four, 4);

  /* an existing offset: TRUE, no error, no change */
  g_assert_true (rc_disc_track_add_index (disc, 1, 300, &existed, &error));
  g_assert_no_error (error);
  g_assert_true (existed);
  existed = FALSE;
  g_assert_true (rc_disc_track_add_index (disc, 1, 0, &existed, &error));
  g_assert_no_error (error);
  g_assert_true (existed);
  assert_indexes (disc, 1, four, 4);

  g_assert_true (rc_disc_track_clear_index (disc, 1, 300, &error));
  g_assert_no_error (error);
  assert_indexes (disc, 1, after_clear, 3);

  /* exactly 10 sectors from index 1 and from the track end (1000 - 990) */
  add_index (disc, 1, 10);
  add_index (disc, 1, 990);
  assert_indexes (disc, 1, edges, 5);
  /* 10 from both neighbours: 100 +- 10 */
  add_index (disc, 1, 90);
  add_index (disc, 1, 110);
}

static void
test_index_gapless_count (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  gboolean existed = TRUE;

  /* track 1 of 1000 sectors becomes 850 long once track 2 is added:
   * an index at 840 (850 - 840 = 10) survives it */
  add_track (disc, 1000);
  add_index (disc, 1, 840);
  add_track (disc, 500);
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 1), ==, 850);
  /* in the shortened track 845 is now too close to the end (5) */
  g_assert_false (rc_disc_track_add_index (disc, 1, 845, &existed, &error));
  assert_error (error, RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "845", NULL);
  g_clear_error (&error);
  /* and 850 is beyond it */
  g_assert_false (rc_disc_track_add_index (disc, 1, 850, &existed, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "850", NULL);
}

static void
test_index_already_existed (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  gboolean existed = FALSE;

  add_track (disc, 400);
  add_index (disc, 1, 200);
  g_assert_true (rc_disc_track_add_index (disc, 1, 200, &existed, &error));
  g_assert_no_error (error);
  g_assert_true (existed);
}

/* ---------------------------------------------------------------------- */
/* errors                                                                  */

static void
test_error_read_only (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(RcLayout) layout2 = NULL;
  g_autoptr(RcAudioSource) source = test_pattern_source (3, 400);
  g_autoptr(GError) error = NULL;
  gboolean existed = FALSE;

  add_track (disc, 1000);
  add_index (disc, 1, 100);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (layout);
  g_assert_true (rc_disc_is_frozen (disc));
  g_assert_cmpint (layout->leadout_lba, ==, 1000);

  /* every setter, with a value that would otherwise be accepted */
  g_assert_false (rc_disc_set_image_type (disc, 2, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_start_of_leadout_limit (disc, 300000, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_media_catalog_number (disc, "4006381333931", &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_starting_track_number (disc, 2, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_special_pregap (disc, source, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_set_isrc (disc, 1, "USS1Z9900001", &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_set_copy_setting (disc, 1, RC_COPY_PROHIBITED, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_set_preemphasis (disc, 1, TRUE, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_add_index (disc, 1, 500, &existed, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_clear_index (disc, 1, 100, &error));
  assert_error (error, RC_ERROR_READ_ONLY, NULL);
  g_clear_error (&error);

  /* nothing changed */
  g_assert_cmpint (rc_disc_get_image_type (disc), ==, RC_IMAGE_TYPE_IS_RAW);
  g_assert_cmpint (rc_disc_get_start_of_leadout_limit (disc), ==, 398099);
  g_assert_false (rc_disc_get_disable_gapless_audio (disc));
  g_assert_cmpstr (rc_disc_get_media_catalog_number (disc), ==, "");
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 1);
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1000);
  g_assert_cmpuint (rc_disc_get_track (disc, 1)->n_indexes, ==, 2);

  /* a later CreateResultImage gets the same layout again */
  layout2 = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (layout2);
  g_assert_cmpint (layout2->leadout_lba, ==, 1000);
}

static void
test_error_too_many_tracks_from_98 (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) source = test_pattern_source (5, 300);
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_starting_track_number (disc, 98, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 1);   /* track 98 */
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 2);   /* track 99 */
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);   /* would be 100 */
  assert_error (error, RC_ERROR_TOO_MANY_TRACKS, "100", "99", NULL);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 2);
  g_assert_cmpuint (rc_disc_get_track (disc, 2)->number, ==, 99);
  /* the last track keeps its whole length: 300 */
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 2), ==, 300);
}

static void
test_error_too_many_tracks_99 (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) source = test_pattern_source (5, 300);
  g_autoptr(GError) error = NULL;

  /* 99 tracks of 300 sectors fit: gapless, track n at 300 (n - 1), lead-out
   * 99 * 300 = 29700 */
  for (guint i = 1; i <= 99; i++)
    {
      g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, i);
      g_assert_no_error (error);
    }
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 29700);
  g_assert_cmpint (rc_disc_get_track (disc, 99)->start_lba, ==, 29400);
  g_assert_cmpuint (rc_disc_get_track (disc, 99)->number, ==, 99);
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 98), ==, 150);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
  assert_error (error, RC_ERROR_TOO_MANY_TRACKS, "100", "99", NULL);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 99);
}

static void
test_error_tracks_already_added (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) pregap = test_pattern_source (9, 300);
  g_autoptr(GError) error = NULL;

  add_track (disc, 400);
  g_assert_false (rc_disc_set_starting_track_number (disc, 5, &error));
  assert_error (error, RC_ERROR_TRACKS_ALREADY_ADDED, NULL);
  g_clear_error (&error);
  g_assert_cmpint (rc_disc_get_starting_track_number (disc), ==, 1);
  g_assert_false (rc_disc_set_special_pregap (disc, pregap, &error));
  assert_error (error, RC_ERROR_TRACKS_ALREADY_ADDED, NULL);
  g_clear_error (&error);
  g_assert_cmpint (rc_disc_get_track (disc, 1)->start_lba, ==, 0);
}

static void
test_error_insufficient_space_limit (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  /* one track of 1000: lead-out 1000, last used sector 999 */
  add_track (disc, 1000);
  g_assert_false (rc_disc_set_start_of_leadout_limit (disc, 998, &error));
  assert_error (error, RC_ERROR_INSUFFICIENT_SPACE, "998", "999", NULL);
  g_clear_error (&error);
  g_assert_cmpint (rc_disc_get_start_of_leadout_limit (disc), ==, 398099);
  /* 999 is exactly enough */
  g_assert_true (rc_disc_set_start_of_leadout_limit (disc, 999, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rc_disc_get_start_of_leadout_limit (disc), ==, 999);
}

static void
test_error_insufficient_space_add_track (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) source = test_pattern_source (4, 1000);
  g_autoptr(RcAudioSource) source2 = test_pattern_source (5, 500);
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_start_of_leadout_limit (disc, 998, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
  assert_error (error, RC_ERROR_INSUFFICIENT_SPACE, "998", "999", "1000", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 0);

  g_assert_true (rc_disc_set_start_of_leadout_limit (disc, 1498, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 1);
  g_assert_no_error (error);
  /* gapless: lead-out 1000 + 500 = 1500, last used 1499 > 1498 */
  g_assert_cmpuint (rc_disc_add_track (disc, source2, &error), ==, 0);
  assert_error (error, RC_ERROR_INSUFFICIENT_SPACE, "1498", "1499", "1500", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 1);
  /* the failed add did not shrink track 1 */
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 1), ==, 1000);
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1000);
}

static void
test_error_insufficient_space_gaps (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  add_track (disc, 1000);
  add_track (disc, 500);
  /* gapless lead-out 1500: limit 1499 holds; gaps would put it at 1650 */
  g_assert_true (rc_disc_set_start_of_leadout_limit (disc, 1499, &error));
  g_assert_no_error (error);
  g_assert_false (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
  assert_error (error, RC_ERROR_INSUFFICIENT_SPACE, "1499", "1649", "1650", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_get_disable_gapless_audio (disc));
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1500);
}

static void
test_error_insufficient_space_special_pregap (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) source = test_pattern_source (4, 1000);
  g_autoptr(GError) error = NULL;

  /* a special pregap of 300 puts track 1 at 150: lead-out 1150 */
  set_special_pregap (disc, 300);
  g_assert_true (rc_disc_set_start_of_leadout_limit (disc, 1148, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
  assert_error (error, RC_ERROR_INSUFFICIENT_SPACE, "1148", "1149", "1150", NULL);
  g_clear_error (&error);
  g_assert_true (rc_disc_set_start_of_leadout_limit (disc, 1149, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1150);
}

static void
test_error_too_many_track_indexes (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  gboolean existed = FALSE;

  add_track (disc, 1000);
  /* offset 0 plus 98 more at 10, 20 .. 980 = 99 indexes */
  for (gint off = 10; off <= 980; off += 10)
    add_index (disc, 1, off);
  g_assert_cmpuint (rc_disc_get_track (disc, 1)->n_indexes, ==, 99);
  /* 990 is 10 from 980 and 10 from the end: only the count is wrong */
  g_assert_false (rc_disc_track_add_index (disc, 1, 990, &existed, &error));
  assert_error (error, RC_ERROR_TOO_MANY_TRACK_INDEXES, "99", "100", "990", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_get_track (disc, 1)->n_indexes, ==, 99);
  /* an existing one is still reported as existing */
  g_assert_true (rc_disc_track_add_index (disc, 1, 500, &existed, &error));
  g_assert_no_error (error);
  g_assert_true (existed);
}

static void
test_error_track_index_not_found (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  add_track (disc, 1000);
  add_index (disc, 1, 100);
  g_assert_false (rc_disc_track_clear_index (disc, 1, 50, &error));
  assert_error (error, RC_ERROR_TRACK_INDEX_NOT_FOUND, "50", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_get_track (disc, 1)->n_indexes, ==, 2);
}

static void
test_error_offset_zero (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  add_track (disc, 1000);
  g_assert_false (rc_disc_track_clear_index (disc, 1, 0, &error));
  assert_error (error, RC_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED, NULL);
  g_assert_cmpuint (rc_disc_get_track (disc, 1)->n_indexes, ==, 1);
}

static void
assert_index_too_close (RcDisc *disc, gint offset)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = g_strdup_printf ("%d", offset);
  gboolean existed = FALSE;
  guint before = rc_disc_get_track (disc, 1)->n_indexes;

  g_test_message ("index offset %d must be too close", offset);
  g_assert_false (rc_disc_track_add_index (disc, 1, offset, &existed, &error));
  assert_error (error, RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, value, NULL);
  g_assert_cmpuint (rc_disc_get_track (disc, 1)->n_indexes, ==, before);
}

static void
test_error_index_too_close (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();

  add_track (disc, 1000);
  add_index (disc, 1, 100);
  assert_index_too_close (disc, 9);    /* 9 from offset 0 */
  assert_index_too_close (disc, 1);
  assert_index_too_close (disc, 91);   /* 9 before 100 */
  assert_index_too_close (disc, 109);  /* 9 after 100 */
  assert_index_too_close (disc, 991);  /* 1000 - 991 = 9 from the end */
  assert_index_too_close (disc, 999);
}

static void
test_error_index_too_close_gapless_add (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) source = test_pattern_source (8, 500);
  g_autoptr(GError) error = NULL;

  /* track 1: 1000 sectors, index at 845; adding track 2 would make it
   * 850 long, 5 sectors after the index */
  add_track (disc, 1000);
  add_index (disc, 1, 845);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
  assert_error (error, RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "845", "850", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 1);
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 1), ==, 1000);
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1000);

  /* an index past the new end (990 > 850) fails the same way */
  g_assert_true (rc_disc_track_clear_index (disc, 1, 845, &error));
  g_assert_no_error (error);
  add_index (disc, 1, 990);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
  assert_error (error, RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "990", "850", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 1);

  /* with gaps the track keeps its length: allowed */
  g_assert_true (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 1), ==, 1000);
}

static void
test_error_index_too_close_gapless_switch (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
  g_assert_no_error (error);
  add_track (disc, 1000);
  add_index (disc, 1, 990);
  add_track (disc, 500);
  /* gapless would shrink track 1 to 850 < 990 */
  g_assert_false (rc_disc_set_disable_gapless_audio (disc, FALSE, &error));
  assert_error (error, RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "990", "850", NULL);
  g_clear_error (&error);
  g_assert_true (rc_disc_get_disable_gapless_audio (disc));
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 1), ==, 1000);
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1650);
}

static void
test_error_track_too_short (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) short_source = test_pattern_source (6, 299);
  g_autoptr(GError) error = NULL;
  int fd;
  g_autoptr(RcAudioSource) short_frames = NULL;

  g_assert_cmpuint (rc_disc_add_track (disc, short_source, &error), ==, 0);
  assert_error (error, RC_ERROR_TRACK_TOO_SHORT, "299", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 0);

  /* 299 * 588 frames: exactly 299 sectors, too short */
  fd = test_pattern_memfd (6, 299 * 588);
  short_frames = rc_audio_source_new_from_fd (fd, RC_AUDIO_FORMAT_RAW, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track (disc, short_frames, &error), ==, 0);
  assert_error (error, RC_ERROR_TRACK_TOO_SHORT, "299", NULL);
  g_clear_error (&error);

  /* 299 * 588 + 1 frames round up to 300 sectors: accepted */
  g_assert_cmpuint (add_track_frames (disc, 299 * 588 + 1), ==, 1);
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 1), ==, 300);
}

/* Ranges of one stream (rc_disc_add_track_range): where each plays from,
 * checked against the stream and against each other, and one source for
 * the ranges of one file. */
static void
test_layout_ranges (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) whole = test_pattern_source (8, 1000);
  g_autoptr(RcAudioSource) again = test_pattern_source (8, 1000);
  const RcLayout *layout;
  /* 1000 sectors cut at 400 sectors + 100 frames and 700 sectors: the
   * second track begins at frame 100 of LBA 400 (§12), the third at 700 */
  RcStreamRange first = { { 1, 42 }, 0, 400 * 588 + 100, TRUE };
  RcStreamRange second = { { 1, 42 }, 400 * 588 + 100, 300 * 588 - 100, TRUE };
  RcStreamRange third = { { 1, 42 }, 700 * 588, -1, TRUE };
  RcStreamRange overlapping = { { 1, 42 }, 699 * 588, 300 * 588, TRUE };
  RcStreamRange past = { { 1, 42 }, 1000 * 588 + 1, -1, TRUE };
  RcStreamRange too_long = { { 1, 42 }, 700 * 588, 300 * 588 + 1, TRUE };

  g_assert_cmpuint (rc_disc_add_track_range (disc, whole, &past, &error), ==, 0);
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "588001 frames", "588000 frames (00:13:25)", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_add_track_range (disc, whole, &too_long, &error), ==, 0);
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "411600 frames (00:09:20)",
                "176401 frames (00:04:00 and 1 frame)", NULL);
  g_clear_error (&error);

  g_assert_cmpuint (rc_disc_add_track_range (disc, whole, &first, &error), ==, 1);
  g_assert_no_error (error);
  /* another source of the same file: the first one's source plays it */
  g_assert_cmpuint (rc_disc_add_track_range (disc, again, &second, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (rc_disc_add_track_range (disc, again, &overlapping, &error), ==, 0);
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "track 2", "411012 frames", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_add_track_range (disc, again, &third, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_true (rc_disc_stream_in_use (disc, &first.id, NULL));
  g_assert_false (rc_disc_stream_in_use (disc, &(RcStreamId) { 1, 43 }, NULL));

  layout = rc_disc_peek_layout (disc);
  g_assert_cmpuint (layout->n_audio, ==, 3);
  g_assert_true (layout->audio[0].source == whole);
  g_assert_true (layout->audio[1].source == whole);
  g_assert_true (layout->audio[2].source == whole);
  g_assert_cmpint (layout->audio[1].lba, ==, 400);
  g_assert_cmpint (layout->audio[1].offset, ==, 100);
  g_assert_cmpint (layout->audio[1].first, ==, 400 * 588 + 100);
  g_assert_cmpint (layout->audio[1].frames, ==, 300 * 588 - 100);
  g_assert_cmpint (layout->tracks[2].start_lba, ==, 700);
  g_assert_cmpint (layout->audio[2].offset, ==, 0);
  g_assert_cmpint (layout->audio[2].frames, ==, 300 * 588);
  g_assert_cmpint (layout->leadout_lba, ==, 1000);

  /* a whole file may be repeated (IMAPI): only cuts are checked */
  g_assert_cmpuint (rc_disc_add_track (disc, again, &error), ==, 4);
  g_assert_cmpuint (rc_disc_add_track (disc, again, &error), ==, 5);
  g_assert_no_error (error);
}

/* Per-track pregaps and postgaps (rc_disc_track_set_pregap and friends),
 * worked out by hand.  Tracks of 1000, 500 and 400 sectors, gapless. */
static void
test_layout_pregaps (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  /* track 2: no index 0 at all; track 3: the default */
  static const ExpectedTrack no_pause[] = {
    { 1, -150, 0, 1000 }, { 2, 1000, 1000, 350 }, { 3, 1350, 1500, 400 },
  };
  /* track 2: 75 sectors of silence inserted at 1000; its audio from
   * 1075; track 3 takes 150 from it: index 1 at 1575; lead-out 1975 */
  static const ExpectedTrack silence[] = {
    { 1, -150, 0, 1000 }, { 2, 1000, 1075, 350 }, { 3, 1425, 1575, 400 },
  };
  static const ExpectedAudio silence_audio[] = { { 0, 1000 }, { 1075, 500 }, { 1575, 400 } };
  /* track 3's own first 100 sectors are its index 0: audio from 1575,
   * index 1 at 1675, lead-out 1975 */
  static const ExpectedTrack own[] = {
    { 1, -150, 0, 1000 }, { 2, 1000, 1075, 500 }, { 3, 1575, 1675, 300 },
  };
  static const ExpectedAudio own_audio[] = { { 0, 1000 }, { 1075, 500 }, { 1575, 400 } };
  /* 30 sectors of postgap after track 1's audio: track 2's 75 silent
   * sectors from 1030, its audio from 1105 */
  static const ExpectedTrack postgap[] = {
    { 1, -150, 0, 1030 }, { 2, 1030, 1105, 500 }, { 3, 1605, 1705, 300 },
  };

  add_track (disc, 1000);
  add_track (disc, 500);
  add_track (disc, 400);
  g_assert_cmpint (rc_disc_track_get_pregap_audio (disc, 1), ==, RC_PREGAP_AUDIO_SILENCE);
  g_assert_cmpint (rc_disc_track_get_pregap_audio (disc, 2), ==, RC_PREGAP_AUDIO_PREVIOUS);

  g_assert_true (rc_disc_track_set_pregap (disc, 2, 0, &error));
  g_assert_no_error (error);
  assert_layout (disc, no_pause, 3, 1900, NULL, 0);

  g_assert_true (rc_disc_track_set_pregap (disc, 2, 75, &error));
  g_assert_true (rc_disc_track_set_pregap_audio (disc, 2, RC_PREGAP_AUDIO_SILENCE, &error));
  g_assert_no_error (error);
  assert_layout (disc, silence, 3, 1975, silence_audio, 3);

  /* (own with the default 150 would leave track 3 only 250 sectors) */
  g_assert_true (rc_disc_track_set_pregap (disc, 3, 100, &error));
  g_assert_true (rc_disc_track_set_pregap_audio (disc, 3, RC_PREGAP_AUDIO_OWN, &error));
  g_assert_no_error (error);
  assert_layout (disc, own, 3, 1975, own_audio, 3);

  g_assert_true (rc_disc_track_set_postgap (disc, 1, 30, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rc_disc_track_get_postgap (disc, 1), ==, 30);
  assert_layout (disc, postgap, 3, 2005, NULL, 0);

  /* track 1's pregap is not the track's to set */
  g_assert_false (rc_disc_track_set_pregap (disc, 1, 10, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "first track", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_set_pregap_audio (disc, 1, RC_PREGAP_AUDIO_OWN, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "first track", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_set_pregap (disc, 2, -2, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "-2", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_set_postgap (disc, 2, 398100, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "398100", NULL);
  g_clear_error (&error);
  /* taken from before it, 1025 sectors would begin 5 sectors after track
   * 1's index 1: refused, nothing changed */
  g_assert_true (rc_disc_track_set_pregap_audio (disc, 2, RC_PREGAP_AUDIO_PREVIOUS, &error));
  g_assert_false (rc_disc_track_set_pregap (disc, 2, 1025, &error));
  assert_error (error, RC_ERROR_TRACK_TOO_SHORT, "track 2", NULL);
  g_clear_error (&error);
  /* track 3's own pregap of 150 leaves it 250 sectors to play */
  g_assert_false (rc_disc_track_set_pregap (disc, 3, 150, &error));
  assert_error (error, RC_ERROR_TRACK_TOO_SHORT, "track 3", NULL);
  g_clear_error (&error);
  g_assert_cmpint (rc_geometry_track_pregap (rc_disc_peek_layout (disc), 3), ==, 100);
  /* back to the defaults: IMAPI's gapless layout plus the postgap */
  g_assert_true (rc_disc_track_set_pregap (disc, 2, -1, &error));
  g_assert_true (rc_disc_track_set_pregap_audio (disc, 3, RC_PREGAP_AUDIO_PREVIOUS, &error));
  g_assert_true (rc_disc_track_set_pregap (disc, 3, -1, &error));
  g_assert_true (rc_disc_track_set_postgap (disc, 1, 0, &error));
  g_assert_no_error (error);
  {
    static const ExpectedTrack imapi[] = {
      { 1, -150, 0, 850 }, { 2, 850, 1000, 350 }, { 3, 1350, 1500, 400 },
    };
    assert_layout (disc, imapi, 3, 1900, NULL, 0);
  }
}

static void
test_error_special_pregap_too_short (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) source = test_pattern_source (6, 149);
  g_autoptr(GError) error = NULL;

  g_assert_false (rc_disc_set_special_pregap (disc, source, &error));
  assert_error (error, RC_ERROR_TRACK_TOO_SHORT, "149", NULL);
  g_clear_error (&error);
  /* nothing was set: track 1 starts at 0 */
  add_track (disc, 400);
  g_assert_cmpint (rc_disc_get_track (disc, 1)->start_lba, ==, 0);
  g_assert_cmpuint (rc_disc_peek_layout (disc)->n_audio, ==, 1);
}

static void
test_error_invalid_image_type (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (rc_disc_set_image_type (disc, 0, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "0", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_image_type (disc, 4, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "4", NULL);
  g_clear_error (&error);
  g_assert_cmpint (rc_disc_get_image_type (disc), ==, RC_IMAGE_TYPE_IS_RAW);
}

static void
test_error_invalid_starting_track_number (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (rc_disc_set_starting_track_number (disc, 0, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "0", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_starting_track_number (disc, 100, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "100", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_starting_track_number (disc, -1, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "-1", NULL);
  g_clear_error (&error);
  g_assert_cmpint (rc_disc_get_starting_track_number (disc), ==, 1);
}

static void
test_error_invalid_leadout_limit (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (rc_disc_set_start_of_leadout_limit (disc, 398100, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "398100", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_start_of_leadout_limit (disc, -1, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "-1", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_start_of_leadout_limit (disc, G_MININT32, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "-2147483648", NULL);
  g_clear_error (&error);
  g_assert_cmpint (rc_disc_get_start_of_leadout_limit (disc), ==, 398099);
}

static void
test_error_invalid_mcn (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_media_catalog_number (disc, "4006381333931", &error));
  g_assert_no_error (error);
  /* check digit of 400638133393 is 1 */
  g_assert_false (rc_disc_set_media_catalog_number (disc, "4006381333932", &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "4006381333932", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_media_catalog_number (disc, "40063813339X1", &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "40063813339X1", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_set_media_catalog_number (disc, "14006381333931", &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "14006381333931", NULL);
  g_clear_error (&error);
  g_assert_cmpstr (rc_disc_get_media_catalog_number (disc), ==, "4006381333931");
}

static void
test_error_invalid_isrc (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *isrc = NULL;

  add_track (disc, 400);
  g_assert_true (rc_disc_track_set_isrc (disc, 1, "US-S1Z-99-00001", &error));
  g_assert_no_error (error);
  g_assert_false (rc_disc_track_set_isrc (disc, 1, "US-S1Z-99-0000", &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "US-S1Z-99-0000", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_set_isrc (disc, 1, "12S1Z9900001", &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "12S1Z9900001", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_set_isrc (disc, 1, "USS1ZXX00001", &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "USS1ZXX00001", NULL);
  g_clear_error (&error);
  isrc = rc_disc_track_dup_isrc (disc, 1);
  g_assert_cmpstr (isrc, ==, "US-S1Z-99-00001");
}

static void
test_error_invalid_copy_setting (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  add_track (disc, 400);
  g_assert_true (rc_disc_track_set_copy_setting (disc, 1, RC_COPY_PROHIBITED, &error));
  g_assert_no_error (error);
  g_assert_false (rc_disc_track_set_copy_setting (disc, 1, 3, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "3", NULL);
  g_clear_error (&error);
  g_assert_cmpint (rc_disc_get_track (disc, 1)->copy, ==, RC_COPY_PROHIBITED);
}

static void
test_error_invalid_index_offset (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  gboolean existed = FALSE;

  add_track (disc, 1000);
  g_assert_false (rc_disc_track_add_index (disc, 1, -1, &existed, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "-1", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_add_index (disc, 1, 1000, &existed, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "1000", NULL);
  g_clear_error (&error);
  g_assert_false (rc_disc_track_add_index (disc, 1, 5000, &existed, &error));
  assert_error (error, RC_ERROR_INVALID_ARGUMENT, "5000", NULL);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_get_track (disc, 1)->n_indexes, ==, 1);
}

static void
test_error_no_tracks (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RcLayout) layout = NULL;

  layout = rc_disc_freeze (disc, &error);
  g_assert_null (layout);
  assert_error (error, RC_ERROR_NO_TRACKS, NULL);
  g_clear_error (&error);
  /* a failed CreateResultImage does not freeze the session */
  g_assert_false (rc_disc_is_frozen (disc));
  add_track (disc, 400);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (layout);
}

/* ---------------------------------------------------------------------- */
/* overflow: stream lengths past what 32 bits hold                         */

/* A raw source of `bytes` bytes of silence: a sparse memfd, so a stream of
 * terabytes costs nothing, as it costs a hostile client nothing. */
static RcAudioSource *
sparse_source (guint64 bytes)
{
  g_autoptr(GError) error = NULL;
  int fd = memfd_create ("test-sparse", MFD_CLOEXEC);
  RcAudioSource *source;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) bytes), ==, 0);
  source = rc_audio_source_new_from_fd (fd, RC_AUDIO_FORMAT_RAW, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (source);
  g_assert_cmpint (rc_audio_source_get_frames (source), ==, (gint64) (bytes / 4));
  return source;
}

/* Sizes at the edges of 32-bit sector arithmetic, in bytes; the last two
 * of each are not whole sectors (4 bytes short of one, 4 bytes into the
 * next), which rounds up. */
static const struct {
  guint64 bytes;
  gint64  sectors;
} huge_streams[] = {
  { (guint64) G_MAXINT32 * 2352, G_MAXINT32 },
  { (guint64) G_MAXINT32 * 2352 - 4, G_MAXINT32 },
  { (guint64) G_MAXINT32 * 2352 + 4, (gint64) G_MAXINT32 + 1 },
  { (G_GUINT64_CONSTANT (1) << 31) * 2352, G_GINT64_CONSTANT (1) << 31 },
  { (G_GUINT64_CONSTANT (1) << 31) * 2352 - 4, G_GINT64_CONSTANT (1) << 31 },
  { (G_GUINT64_CONSTANT (1) << 31) * 2352 + 4, (G_GINT64_CONSTANT (1) << 31) + 1 },
  { (G_GUINT64_CONSTANT (1) << 32) * 2352, G_GINT64_CONSTANT (1) << 32 },
  { (G_GUINT64_CONSTANT (1) << 32) * 2352 - 4, G_GINT64_CONSTANT (1) << 32 },
  { (G_GUINT64_CONSTANT (1) << 32) * 2352 + 4, (G_GINT64_CONSTANT (1) << 32) + 1 },
  /* the largest a file can be, 2^63 - 4 bytes: 2^61 - 1 frames */
  { G_MAXINT64 - 3, ((G_GINT64_CONSTANT (1) << 61) - 1) / 588 + 1 },
};

/* The message says where the audio would end, as a whole number. */
static void
assert_ends_at (const GError *error, gint64 last_used)
{
  g_autofree char *number = g_strdup_printf ("LBA %" G_GINT64_FORMAT ",", last_used);

  assert_error (error, RC_ERROR_INSUFFICIENT_SPACE, number, NULL);
}

/* The disc still holds exactly one 1000-sector track and takes more. */
static void
assert_disc_unchanged_and_usable (RcDisc *disc)
{
  g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 1);
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1000);
  g_assert_cmpint (rc_disc_track_get_sector_count (disc, 1), ==, 1000);
  g_assert_cmpuint (add_track (disc, 500), ==, 2);
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1500);
}

static void
test_overflow_second_track (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (huge_streams); i++)
    {
      g_autoptr(RcDisc) disc = rc_disc_new ();
      g_autoptr(RcAudioSource) source = sparse_source (huge_streams[i].bytes);
      g_autoptr(GError) error = NULL;

      g_test_message ("second track of %" G_GUINT64_FORMAT " bytes", huge_streams[i].bytes);
      add_track (disc, 1000);
      g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
      /* gapless: track 2 starts at 1000, the lead-out at 1000 + sectors */
      assert_ends_at (error, 999 + huge_streams[i].sectors);
      assert_disc_unchanged_and_usable (disc);
    }
}

static void
test_overflow_second_track_gaps (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (huge_streams); i++)
    {
      g_autoptr(RcDisc) disc = rc_disc_new ();
      g_autoptr(RcAudioSource) source = sparse_source (huge_streams[i].bytes);
      g_autoptr(GError) error = NULL;

      g_test_message ("second track of %" G_GUINT64_FORMAT " bytes, with gaps",
                      huge_streams[i].bytes);
      add_track (disc, 1000);
      g_assert_true (rc_disc_set_disable_gapless_audio (disc, TRUE, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
      /* track 2 starts at 1000 + 150 */
      assert_ends_at (error, 1149 + huge_streams[i].sectors);
      g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 1);
      g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1000);
    }
}

static void
test_overflow_first_track (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (huge_streams); i++)
    {
      g_autoptr(RcDisc) disc = rc_disc_new ();
      g_autoptr(RcAudioSource) source = sparse_source (huge_streams[i].bytes);
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 0);
      assert_ends_at (error, huge_streams[i].sectors - 1);
      g_assert_cmpuint (rc_disc_get_n_tracks (disc), ==, 0);
      g_assert_cmpuint (add_track (disc, 1000), ==, 1);
      g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1000);
    }
}

static void
test_overflow_special_pregap (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (huge_streams); i++)
    {
      g_autoptr(RcDisc) disc = rc_disc_new ();
      g_autoptr(RcAudioSource) source = sparse_source (huge_streams[i].bytes);
      g_autoptr(GError) error = NULL;

      g_assert_false (rc_disc_set_special_pregap (disc, source, &error));
      /* track 1 (none yet) would start at -150 + sectors */
      assert_ends_at (error, -151 + huge_streams[i].sectors);
      g_assert_cmpuint (add_track (disc, 1000), ==, 1);
      g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, 1000);
    }
}

/* At the limit itself: exactly enough, one sector too many. */
static void
test_overflow_at_limit (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) fits = sparse_source ((guint64) (RC_MAX_LEADOUT_LIMIT + 1 - 1000) * 2352);
  g_autoptr(RcAudioSource) one_more = sparse_source ((guint64) (RC_MAX_LEADOUT_LIMIT + 1 - 1000) * 2352 + 4);
  g_autoptr(GError) error = NULL;

  add_track (disc, 1000);
  g_assert_cmpuint (rc_disc_add_track (disc, one_more, &error), ==, 0);
  assert_ends_at (error, RC_MAX_LEADOUT_LIMIT + 1);
  g_clear_error (&error);
  g_assert_cmpuint (rc_disc_add_track (disc, fits, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (rc_disc_get_start_of_leadout (disc), ==, RC_MAX_LEADOUT_LIMIT + 1);
  g_assert_cmpint (rc_disc_get_last_used_user_sector (disc), ==, RC_MAX_LEADOUT_LIMIT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/disc-model/defaults", test_defaults);
  g_test_add_func ("/disc-model/properties", test_properties);
  g_test_add_func ("/disc-model/layout/gapless", test_layout_gapless);
  g_test_add_func ("/disc-model/layout/gaps", test_layout_gaps);
  g_test_add_func ("/disc-model/layout/switch-gaps", test_layout_switch_gaps);
  g_test_add_func ("/disc-model/layout/ranges", test_layout_ranges);
  g_test_add_func ("/disc-model/layout/pregaps", test_layout_pregaps);
  g_test_add_func ("/disc-model/layout/special-pregap", test_layout_special_pregap);
  g_test_add_func ("/disc-model/layout/special-pregap-gaps", test_layout_special_pregap_gaps);
  g_test_add_func ("/disc-model/layout/special-pregap-minimum", test_layout_special_pregap_minimum);
  g_test_add_func ("/disc-model/layout/starting-track-number", test_layout_starting_track_number);
  g_test_add_func ("/disc-model/layout/partial-sector", test_layout_partial_sector);
  g_test_add_func ("/disc-model/layout/locate", test_layout_locate);
  g_test_add_func ("/disc-model/index/add-clear", test_index_add_clear);
  g_test_add_func ("/disc-model/index/gapless-count", test_index_gapless_count);
  g_test_add_func ("/disc-model/index/already-existed", test_index_already_existed);
  g_test_add_func ("/disc-model/error/read-only", test_error_read_only);
  g_test_add_func ("/disc-model/error/too-many-tracks-from-98", test_error_too_many_tracks_from_98);
  g_test_add_func ("/disc-model/error/too-many-tracks-99", test_error_too_many_tracks_99);
  g_test_add_func ("/disc-model/error/tracks-already-added", test_error_tracks_already_added);
  g_test_add_func ("/disc-model/error/insufficient-space/limit", test_error_insufficient_space_limit);
  g_test_add_func ("/disc-model/error/insufficient-space/add-track", test_error_insufficient_space_add_track);
  g_test_add_func ("/disc-model/error/insufficient-space/gaps", test_error_insufficient_space_gaps);
  g_test_add_func ("/disc-model/error/insufficient-space/special-pregap", test_error_insufficient_space_special_pregap);
  g_test_add_func ("/disc-model/overflow/second-track", test_overflow_second_track);
  g_test_add_func ("/disc-model/overflow/second-track-gaps", test_overflow_second_track_gaps);
  g_test_add_func ("/disc-model/overflow/first-track", test_overflow_first_track);
  g_test_add_func ("/disc-model/overflow/special-pregap", test_overflow_special_pregap);
  g_test_add_func ("/disc-model/overflow/at-limit", test_overflow_at_limit);
  g_test_add_func ("/disc-model/error/too-many-track-indexes", test_error_too_many_track_indexes);
  g_test_add_func ("/disc-model/error/track-index-not-found", test_error_track_index_not_found);
  g_test_add_func ("/disc-model/error/track-index-offset-zero", test_error_offset_zero);
  g_test_add_func ("/disc-model/error/track-index-too-close", test_error_index_too_close);
  g_test_add_func ("/disc-model/error/track-index-too-close-gapless-add", test_error_index_too_close_gapless_add);
  g_test_add_func ("/disc-model/error/track-index-too-close-gapless-switch", test_error_index_too_close_gapless_switch);
  g_test_add_func ("/disc-model/error/track-too-short", test_error_track_too_short);
  g_test_add_func ("/disc-model/error/special-pregap-too-short", test_error_special_pregap_too_short);
  g_test_add_func ("/disc-model/error/invalid-argument/image-type", test_error_invalid_image_type);
  g_test_add_func ("/disc-model/error/invalid-argument/starting-track-number", test_error_invalid_starting_track_number);
  g_test_add_func ("/disc-model/error/invalid-argument/leadout-limit", test_error_invalid_leadout_limit);
  g_test_add_func ("/disc-model/error/invalid-argument/mcn", test_error_invalid_mcn);
  g_test_add_func ("/disc-model/error/invalid-argument/isrc", test_error_invalid_isrc);
  g_test_add_func ("/disc-model/error/invalid-argument/copy-setting", test_error_invalid_copy_setting);
  g_test_add_func ("/disc-model/error/invalid-argument/index-offset", test_error_invalid_index_offset);
  g_test_add_func ("/disc-model/error/no-tracks", test_error_no_tracks);

  return g_test_run ();
}
