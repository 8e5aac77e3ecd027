/* test-discid.c: disc identifiers (rc-discid.h) against libdiscid, against
 * identifiers published for real discs, and against values worked by hand.
 */
#include "rc-discid.h"

#include <discid/discid.h>
#include <string.h>

typedef struct {
  const char *name;
  guint       first;
  guint       last;
  guint       leadout;
  guint       offsets[99];
} Toc;

/* libdiscid's answer for a TOC: its offsets array is indexed by track
 * number, with the lead-out in slot 0. */
static void
libdiscid_ids (const Toc *toc, char **mb, char **freedb)
{
  int slots[100] = { 0 };
  DiscId *d = discid_new ();

  slots[0] = (int) toc->leadout;
  for (guint t = toc->first; t <= toc->last; t++)
    slots[t] = (int) toc->offsets[t - toc->first];
  g_assert_true (discid_put (d, (int) toc->first, (int) toc->last, slots));
  *mb = g_strdup (discid_get_id (d));
  *freedb = g_strdup (discid_get_freedb_id (d));
  discid_free (d);
}

static void
assert_like_libdiscid (const Toc *toc)
{
  g_autofree char *mb = rc_discid_musicbrainz (toc->first, toc->last, toc->offsets, toc->leadout);
  g_autofree char *cddb = rc_discid_cddb (toc->first, toc->last, toc->offsets, toc->leadout);
  g_autofree char *ref_mb = NULL;
  g_autofree char *ref_cddb = NULL;

  g_test_message ("%s: %s %s", toc->name, mb, cddb);
  libdiscid_ids (toc, &ref_mb, &ref_cddb);
  g_assert_cmpstr (mb, ==, ref_mb);
  g_assert_cmpuint (strlen (mb), ==, 28);
  g_assert_cmpstr (cddb, ==, ref_cddb);
}

static void
test_libdiscid_common (void)
{
  static const Toc tocs[] = {
    { "ten tracks", 1, 10, 200150,
      { 150, 20150, 40150, 60150, 80150, 100150, 120150, 140150, 160150, 180150 } },
    /* hidden track one audio: index 1 of track 1 at LBA 3000 */
    { "hidden track", 1, 3, 90150, { 3150, 30150, 60150 } },
    { "one track", 1, 1, 22650, { 150 } },
    /* The Bends (Radiohead), first track at LBA 33 */
    { "the bends", 1, 12, 218998,
      { 183, 19623, 38088, 57403, 79205, 93380, 110873, 128430, 149163, 164818,
        183345, 200068 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tocs); i++)
    assert_like_libdiscid (&tocs[i]);
}

static void
test_libdiscid_99_tracks (void)
{
  Toc toc = { "99 tracks", 1, 99, 0, { 0 } };

  /* 300-sector tracks, the minimum, with uneven gaps so that the digit
   * sums differ from track to track */
  for (guint i = 0; i < 99; i++)
    toc.offsets[i] = 150 + i * 3000 + (i * i) % 97;
  toc.leadout = toc.offsets[98] + 4000;
  assert_like_libdiscid (&toc);
}

static void
test_first_track_not_one (void)
{
  const Toc toc = { "tracks 3-5", 3, 5, 200000, { 150, 50000, 100000 } };
  const Toc from_one = { "tracks 1-3", 1, 3, 200000, { 150, 50000, 100000 } };
  g_autofree char *mb = rc_discid_musicbrainz (toc.first, toc.last, toc.offsets, toc.leadout);
  g_autofree char *cddb = rc_discid_cddb (toc.first, toc.last, toc.offsets, toc.leadout);
  g_autofree char *ar = rc_discid_accuraterip (toc.first, toc.last, toc.offsets, toc.leadout);
  g_autofree char *ar_from_one = rc_discid_accuraterip (from_one.first, from_one.last,
                                                        from_one.offsets, from_one.leadout);
  g_autofree char *ref_mb = NULL;
  g_autofree char *ref_cddb = NULL;
  g_autofree char *ref_cddb_from_one = NULL;
  g_autofree char *ref_mb_from_one = NULL;

  /* libdiscid takes first != 1, and the MusicBrainz id must agree: it
   * hashes the track numbers. */
  libdiscid_ids (&toc, &ref_mb, &ref_cddb);
  g_assert_cmpstr (mb, ==, ref_mb);

  /* The freedb id carries no track numbers (cddb.howto appendix A counts
   * the disc's tracks from its first), so it is the id of the same disc
   * numbered from 1.  libdiscid 0.6 answers differently for first != 1
   * ("1e0a6a05": start taken from the empty slot of track 1, count taken
   * from the last track number); that is not what freedb defines.
   * By hand: seconds 2, 666, 1333 -> digit sums 2 + 18 + 10 = 30 = 0x1e;
   * 200000/75 - 150/75 = 2666 - 2 = 2664 = 0xa68; 3 tracks. */
  libdiscid_ids (&from_one, &ref_mb_from_one, &ref_cddb_from_one);
  g_assert_cmpstr (cddb, ==, "1e0a6803");
  g_assert_cmpstr (cddb, ==, ref_cddb_from_one);
  g_assert_cmpstr (mb, !=, ref_mb_from_one);

  /* AccurateRip weights by position on the disc, not by track number. */
  g_assert_cmpstr (ar, ==, ar_from_one);
}

/* Identifiers published for real discs. */
static void
test_published (void)
{
  /* MusicBrainz's JSON for a 13-track disc, kept in ARver's repository
   * (arcctgx/ARver doc/research/AccurateRip/id_calc/stories_toc.txt):
   * disc id iW8nfx.DJerOfdccHwyVhNQ3DO8-, freedb id b30c7c0d. */
  static const guint stories[] = {
    150, 17532, 32535, 49225, 63787, 81822, 99852, 117632, 132567, 143370,
    160462, 185792, 223145
  };
  /* dBpoweramp rip logs in the same repository
   * (doc/research/dBpoweramp/murder_ballads.txt and the_bends.txt) give
   * the track LBAs and the AccurateRip disc ids of two audio-only discs;
   * the first starts at LBA 0, so the max(offset, 1) rule matters. */
  static const guint murder_ballads[] = {
    150, 30697, 54335, 72197, 91227, 109010, 140200, 161145, 180235, 245340
  };
  static const guint the_bends[] = {
    183, 19623, 38088, 57403, 79205, 93380, 110873, 128430, 149163, 164818,
    183345, 200068
  };
  g_autofree char *mb = rc_discid_musicbrainz (1, 13, stories, 239850);
  g_autofree char *cddb = rc_discid_cddb (1, 13, stories, 239850);
  g_autofree char *ar1 = rc_discid_accuraterip (1, 10, murder_ballads, 265267 + 150);
  g_autofree char *ar2 = rc_discid_accuraterip (1, 12, the_bends, 218848 + 150);

  g_assert_cmpstr (mb, ==, "iW8nfx.DJerOfdccHwyVhNQ3DO8-");
  g_assert_cmpstr (cddb, ==, "b30c7c0d");
  g_assert_cmpstr (ar1, ==, "010-001492cf-00a6013f-810dd00a");
  g_assert_cmpstr (ar2, ==, "012-0015ff5b-00cc3c27-b00b650c");
}

static void
test_accuraterip_by_hand (void)
{
  /* Tracks at LBA 0 and 20000, lead-out at LBA 45000:
   * id1 = 0 + 20000 + 45000 = 65000 = 0xfde8
   * id2 = max(0,1)*1 + 20000*2 + 45000*3 = 175001 = 0x2ab99
   * freedb: seconds 2 and 268 -> 2 + 16 = 18 = 0x12; 602 - 2 = 600 = 0x258 */
  static const guint two[] = { 150, 20150 };
  /* One track at LBA 3000 (a hidden track before it), lead-out 30000:
   * id1 = 33000 = 0x80e8; id2 = 3000 + 30000*2 = 63000 = 0xf618;
   * freedb: second 42 -> 6; 402 - 42 = 360 = 0x168; 1 track */
  static const guint hidden[] = { 3150 };
  g_autofree char *ar_two = rc_discid_accuraterip (1, 2, two, 45150);
  g_autofree char *ar_hidden = rc_discid_accuraterip (1, 1, hidden, 30150);

  g_assert_cmpstr (ar_two, ==, "002-0000fde8-0002ab99-12025802");
  g_assert_cmpstr (ar_hidden, ==, "001-000080e8-0000f618-06016801");
}

static void
test_layout (void)
{
  RcLayoutTrack tracks[2] = { { 0 } };
  RcLayout layout = { 0 };
  g_autoptr(GHashTable) ids = NULL;

  tracks[0].number = 1;
  tracks[0].start_lba = 0;
  tracks[1].number = 2;
  tracks[1].start_lba = 20000;
  layout.first_track = 1;
  layout.n_tracks = 2;
  layout.tracks = tracks;
  layout.leadout_lba = 45000;

  ids = rc_discid_compute (&layout);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (ids, RC_DISCID_CDDB), ==, "12025802");
  g_assert_cmpstr (g_hash_table_lookup (ids, RC_DISCID_ACCURATERIP), ==,
                   "002-0000fde8-0002ab99-12025802");
  {
    static const guint offsets[] = { 150, 20150 };
    g_autofree char *mb = rc_discid_musicbrainz (1, 2, offsets, 45150);
    g_assert_cmpstr (g_hash_table_lookup (ids, RC_DISCID_MUSICBRAINZ), ==, mb);
  }
}

static void
test_toc_validity (void)
{
  static const guint ok[] = { 150, 20150 };
  static const guint falling[] = { 20150, 150 };
  static const guint same[] = { 150, 150 };

  g_assert_true (rc_discid_toc_is_valid (1, 2, ok, 45150));
  g_assert_true (rc_discid_toc_is_valid (98, 99, ok, 45150));
  g_assert_false (rc_discid_toc_is_valid (0, 1, ok, 45150));
  g_assert_false (rc_discid_toc_is_valid (99, 100, ok, 45150));
  g_assert_false (rc_discid_toc_is_valid (2, 1, ok, 45150));
  g_assert_false (rc_discid_toc_is_valid (1, 2, falling, 45150));
  g_assert_false (rc_discid_toc_is_valid (1, 2, same, 45150));
  g_assert_false (rc_discid_toc_is_valid (1, 2, ok, 20150));
  g_assert_false (rc_discid_toc_is_valid (1, 2, NULL, 45150));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/discid/libdiscid-common", test_libdiscid_common);
  g_test_add_func ("/discid/libdiscid-99-tracks", test_libdiscid_99_tracks);
  g_test_add_func ("/discid/first-track-not-one", test_first_track_not_one);
  g_test_add_func ("/discid/published", test_published);
  g_test_add_func ("/discid/accuraterip-by-hand", test_accuraterip_by_hand);
  g_test_add_func ("/discid/layout", test_layout);
  g_test_add_func ("/discid/toc-validity", test_toc_validity);

  return g_test_run ();
}
