/* test-lifecycle.c: a session from creation to image through the bus.
 *
 * Layouts are computed by hand from docs/cd-format.md §5 (a 10 s WAV is
 * 441000 frames = 750 sectors; gapless: StartingLba(N+1) = StartingLba(N) +
 * sectors(N), SectorCount(N) = sectors(N) - 150 except the last) and the
 * images are compared byte for byte with the engine's own for the same disc.
 */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void
assert_ai (GArray *array, guint n, const gint32 *expected)
{
  g_assert_cmpuint (array->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (array, gint32, i), ==, expected[i]);
}

static void
assert_toc (GBytes *toc, const guint8 *expected, gsize len)
{
  gsize n = 0;
  const guint8 *data = g_bytes_get_data (toc, &n);

  g_assert_cmpmem (data, n, expected, len);
}

/* Waits for the job, then checks its final properties against an image of
 * `sectors` sectors of `sector_bytes` bytes in out_fd. */
static void
finish_job (GDBusConnection *conn, TdJobWatch *watch, const char *job, int out_fd,
            gint sectors, guint sector_bytes)
{
  gboolean success = FALSE;
  g_autofree char *message = NULL;
  g_autofree char *state = NULL;
  guint64 total = (guint64) sectors;
  guint64 start, end;

  g_assert_true (td_job_watch_wait (watch, job, 120, &success, &message));
  g_test_message ("Completed(%d, \"%s\")", success, message);
  g_assert_true (success);
  g_assert_cmpuint (td_job_watch_count (watch, job), ==, 1);

  state = td_get_s (conn, job, RAWCD_IFACE_JOB, "State");
  g_assert_cmpstr (state, ==, "succeeded");
  g_assert_cmpfloat (td_get_d (conn, job, RAWCD_IFACE_JOB, "Progress"), ==, 1.0);
  g_assert_cmpuint (td_get_t (conn, job, RAWCD_IFACE_JOB, "TotalSectors"), ==, total);
  g_assert_cmpuint (td_get_t (conn, job, RAWCD_IFACE_JOB, "SectorsWritten"), ==, total);
  g_assert_cmpuint (td_get_t (conn, job, RAWCD_IFACE_JOB, "BytesWritten"), ==, total * sector_bytes);
  g_assert_cmpint (td_fd_size (out_fd), ==, (gint64) (total * sector_bytes));
  start = td_get_t (conn, job, RAWCD_IFACE_JOB, "StartTime");
  end = td_get_t (conn, job, RAWCD_IFACE_JOB, "ExpectedEndTime");
  g_assert_cmpuint (start, >, 0);
  g_assert_cmpuint (end, >=, start);
  /* Rate: bytes per second; any value, but of the right type */
  td_get_t (conn, job, RAWCD_IFACE_JOB, "Rate");
}

static void
compare_with_reference (const TdDiscSpec *spec, int out_fd, guint sector_bytes)
{
  g_autoptr(GError) error = NULL;
  int ref = td_spec_reference (spec, &error);

  g_assert_no_error (error);
  td_assert_fds_equal (out_fd, ref, sector_bytes);
  close (ref);
}

/* Every property set and read, three tracks (WAV, FLAC, WAV with a padded
 * last sector), gapless, IS_RAW, written to a temporary file. */
static void
test_full (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *mcn = NULL;
  char *t[3] = { NULL, };
  g_autofree char *isrc = NULL;
  g_autofree char *job = NULL;
  g_autofree char *job2 = NULL;
  g_autofree char *tmp_path = NULL;
  g_auto(GStrv) tracks = NULL;
  g_autoptr(GArray) indexes = NULL;
  g_autoptr(GBytes) toc = NULL;
  g_autoptr(GBytes) ref_toc = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(TdJobWatch) watch = NULL;
  gboolean existed = FALSE;
  int out;
  int out2;
  const TdDiscSpec spec = {
    .image_type = 3, .leadout_limit = 300000, .mcn = "0012345678905", .starting_track = 5,
    .n_tracks = 3,
    .tracks = {
      { .audio = "a.wav", .isrc = "USS1Z9900001", .copy = 1, .preemphasis = 0,
        .n_indexes = 1, .indexes = { 300 } },
      { .audio = "b.flac", .copy = 2, .preemphasis = 1 },
      { .audio = "c.wav", .copy = 0, .preemphasis = -1, .n_indexes = 1, .indexes = { 10 } },
    },
  };
  /* READ TOC format 0, LBA form: length 2 + 4 * 8 = 34; tracks 5..7.
   * ADR 1 | CONTROL: track 5 copy prohibited 0x0; track 6 SCMS (copy bit
   * clear in the TOC) + pre-emphasis 0x1; track 7 copy permitted 0x2;
   * lead-out: the last track's.  LBAs 0, 750, 1350, 1898. */
  static const guint8 expected_toc[] = {
    0x00, 0x22, 5, 7,
    0, 0x10, 5, 0, 0x00, 0x00, 0x00, 0x00,
    0, 0x11, 6, 0, 0x00, 0x00, 0x02, 0xEE,
    0, 0x12, 7, 0, 0x00, 0x00, 0x05, 0x46,
    0, 0x12, 0xAA, 0, 0x00, 0x00, 0x07, 0x6A,
  };
  static const gint32 idx_300[] = { 0, 300 };
  static const gint32 idx_10[] = { 0, 10 };
  static const gint32 idx_0[] = { 0 };

  /* Defaults */
  g_assert_cmpuint (td_get_u (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType"), ==, 3);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit"), ==, 398099);
  g_assert_false (td_get_b (c, creator, RAWCD_IFACE_CREATOR, "DisableGaplessAudio"));
  mcn = td_get_s (c, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber");
  g_assert_cmpstr (mcn, ==, "");
  g_clear_pointer (&mcn, g_free);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber"), ==, 1);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 0);
  tracks = td_get_ao (c, creator, RAWCD_IFACE_CREATOR, "Tracks");
  g_assert_cmpuint (g_strv_length (tracks), ==, 0);
  g_clear_pointer (&tracks, g_strfreev);

  /* Disc properties, each written and read back */
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1));
  g_assert_cmpuint (td_get_u (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType"), ==, 1);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (3));
  g_assert_cmpuint (td_get_u (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType"), ==, 3);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32 (300000));
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit"), ==, 300000);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "DisableGaplessAudio", g_variant_new_boolean (TRUE));
  g_assert_true (td_get_b (c, creator, RAWCD_IFACE_CREATOR, "DisableGaplessAudio"));
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "DisableGaplessAudio", g_variant_new_boolean (FALSE));
  g_assert_false (td_get_b (c, creator, RAWCD_IFACE_CREATOR, "DisableGaplessAudio"));
  /* 12 digits: the leading zero is optional (UPC-A 012345678905) */
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber", g_variant_new_string ("012345678905"));
  mcn = td_get_s (c, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber");
  g_assert_cmpstr (mcn, ==, "0012345678905");
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber", g_variant_new_int32 (5));
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber"), ==, 5);

  /* Tracks */
  g_assert_cmpint (td_add_track (c, creator, td_audio ("a.wav"), NULL, &t[0], &error), ==, 1);
  g_assert_no_error (error);
  /* While it is the last track, track 1 has all its 750 sectors */
  g_assert_cmpint (td_get_i (c, t[0], RAWCD_IFACE_TRACK, "SectorCount"), ==, 750);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 750);
  g_assert_cmpint (td_add_track (c, creator, td_audio ("b.flac"), NULL, &t[1], &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (td_add_track (c, creator, td_audio ("c.wav"), NULL, &t[2], &error), ==, 3);
  g_assert_no_error (error);

  /* Per-track properties */
  td_set_ok (c, t[0], RAWCD_IFACE_TRACK, "ISRC", g_variant_new_string ("USS1Z9900001"));
  isrc = td_get_s (c, t[0], RAWCD_IFACE_TRACK, "ISRC");
  g_assert_cmpstr (isrc, ==, "US-S1Z-99-00001");
  g_clear_pointer (&isrc, g_free);
  isrc = td_get_s (c, t[1], RAWCD_IFACE_TRACK, "ISRC");
  g_assert_cmpstr (isrc, ==, "");
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (td_get_u (c, t[i], RAWCD_IFACE_TRACK, "SectorType"), ==, 0);
      g_assert_cmpuint (td_get_u (c, t[i], RAWCD_IFACE_TRACK, "DigitalAudioCopySetting"), ==, 0);
      g_assert_false (td_get_b (c, t[i], RAWCD_IFACE_TRACK, "AudioHasPreemphasis"));
    }
  td_set_ok (c, t[0], RAWCD_IFACE_TRACK, "DigitalAudioCopySetting", g_variant_new_uint32 (1));
  td_set_ok (c, t[1], RAWCD_IFACE_TRACK, "DigitalAudioCopySetting", g_variant_new_uint32 (2));
  td_set_ok (c, t[2], RAWCD_IFACE_TRACK, "DigitalAudioCopySetting", g_variant_new_uint32 (0));
  td_set_ok (c, t[1], RAWCD_IFACE_TRACK, "AudioHasPreemphasis", g_variant_new_boolean (TRUE));
  td_set_ok (c, t[0], RAWCD_IFACE_TRACK, "AudioHasPreemphasis", g_variant_new_boolean (FALSE));
  g_assert_cmpuint (td_get_u (c, t[0], RAWCD_IFACE_TRACK, "DigitalAudioCopySetting"), ==, 1);
  g_assert_cmpuint (td_get_u (c, t[1], RAWCD_IFACE_TRACK, "DigitalAudioCopySetting"), ==, 2);
  g_assert_cmpuint (td_get_u (c, t[2], RAWCD_IFACE_TRACK, "DigitalAudioCopySetting"), ==, 0);
  g_assert_false (td_get_b (c, t[0], RAWCD_IFACE_TRACK, "AudioHasPreemphasis"));
  g_assert_true (td_get_b (c, t[1], RAWCD_IFACE_TRACK, "AudioHasPreemphasis"));

  /* Indexes: add, add again (already existed), add and clear */
  indexes = td_get_ai (c, t[0], RAWCD_IFACE_TRACK, "TrackIndexes");
  assert_ai (indexes, 1, idx_0);
  g_clear_pointer (&indexes, g_array_unref);
  reply = td_call (c, t[0], RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 300),
                   G_VARIANT_TYPE ("(b)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &existed);
  g_assert_false (existed);
  g_clear_pointer (&reply, g_variant_unref);
  reply = td_call (c, t[0], RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 300),
                   G_VARIANT_TYPE ("(b)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &existed);
  g_assert_true (existed);
  g_clear_pointer (&reply, g_variant_unref);
  reply = td_call (c, t[0], RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 100),
                   G_VARIANT_TYPE ("(b)"), &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  reply = td_call (c, t[0], RAWCD_IFACE_TRACK, "ClearTrackIndex", g_variant_new ("(i)", 100),
                   G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  reply = td_call (c, t[2], RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 10),
                   G_VARIANT_TYPE ("(b)"), &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  indexes = td_get_ai (c, t[0], RAWCD_IFACE_TRACK, "TrackIndexes");
  assert_ai (indexes, 2, idx_300);
  g_clear_pointer (&indexes, g_array_unref);
  indexes = td_get_ai (c, t[1], RAWCD_IFACE_TRACK, "TrackIndexes");
  assert_ai (indexes, 1, idx_0);
  g_clear_pointer (&indexes, g_array_unref);
  indexes = td_get_ai (c, t[2], RAWCD_IFACE_TRACK, "TrackIndexes");
  assert_ai (indexes, 2, idx_10);
  g_clear_pointer (&indexes, g_array_unref);

  /* The derived layout: 750 + 600 + 548 sectors, gapless */
  g_assert_cmpint (td_get_i (c, t[0], RAWCD_IFACE_TRACK, "TrackNumber"), ==, 5);
  g_assert_cmpint (td_get_i (c, t[1], RAWCD_IFACE_TRACK, "TrackNumber"), ==, 6);
  g_assert_cmpint (td_get_i (c, t[2], RAWCD_IFACE_TRACK, "TrackNumber"), ==, 7);
  g_assert_cmpint (td_get_i (c, t[0], RAWCD_IFACE_TRACK, "StartingLba"), ==, 0);
  g_assert_cmpint (td_get_i (c, t[1], RAWCD_IFACE_TRACK, "StartingLba"), ==, 750);
  g_assert_cmpint (td_get_i (c, t[2], RAWCD_IFACE_TRACK, "StartingLba"), ==, 1350);
  g_assert_cmpint (td_get_i (c, t[0], RAWCD_IFACE_TRACK, "SectorCount"), ==, 600);
  g_assert_cmpint (td_get_i (c, t[1], RAWCD_IFACE_TRACK, "SectorCount"), ==, 450);
  g_assert_cmpint (td_get_i (c, t[2], RAWCD_IFACE_TRACK, "SectorCount"), ==, 548);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 1898);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "LastUsedUserSectorInImage"), ==, 1897);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 3);
  tracks = td_get_ao (c, creator, RAWCD_IFACE_CREATOR, "Tracks");
  g_assert_cmpuint (g_strv_length (tracks), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (tracks[i], ==, t[i]);
  toc = td_get_ay (c, creator, RAWCD_IFACE_CREATOR, "ExpectedTableOfContents");
  assert_toc (toc, expected_toc, sizeof expected_toc);
  ref_toc = td_spec_reference_toc (&spec);
  g_assert_true (g_bytes_equal (toc, ref_toc));
  g_assert_cmpint (td_spec_reference_leadout (&spec), ==, 1898);

  /* The image, into a temporary file */
  out = g_file_open_tmp ("rawcd-image-XXXXXX", &tmp_path, &error);
  g_assert_no_error (error);
  unlink (tmp_path);
  watch = td_job_watch_new (c);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  finish_job (c, watch, job, out, 22650 + 1898 + 6750, 2448);
  compare_with_reference (&spec, out, 2448);

  /* Frozen: every change fails with ReadOnly, reads still work */
  g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &error), ==, 0);
  td_assert_error (error, "ReadOnly");
  g_clear_error (&error);
  td_set (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1), &error);
  td_assert_error (error, "ReadOnly");
  g_clear_error (&error);
  td_set (c, t[1], RAWCD_IFACE_TRACK, "ISRC", g_variant_new_string ("USS1Z9900002"), &error);
  td_assert_error (error, "ReadOnly");
  g_clear_error (&error);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 1898);

  /* A second image of the frozen layout, from the same descriptors, is
   * the same image. */
  out2 = td_memfd ("second");
  job2 = td_create_result_image (c, creator, out2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job2, !=, job);
  finish_job (c, watch, job2, out2, 22650 + 1898 + 6750, 2448);
  td_assert_fds_equal (out, out2, 2448);
  close (out2);
  close (out);

  /* Close() ends the session: its objects go away */
  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "Close", NULL, G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);
  td_wait_object_gone (c, creator, RAWCD_IFACE_CREATOR);
  td_wait_object_gone (c, t[0], RAWCD_IFACE_TRACK);
  for (guint i = 0; i < 3; i++)
    g_free (t[i]);
}

/* DisableGaplessAudio: 150 silent sectors before every track after the
 * first; PQ_ONLY (2368 bytes a sector). */
static void
test_gaps_pq (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = NULL;
  g_autofree char *job = NULL;
  g_auto(GStrv) tracks = NULL;
  g_autoptr(TdJobWatch) watch = NULL;
  int out = td_memfd ("out");
  const TdDiscSpec spec = {
    .image_type = 1, .disable_gapless = TRUE, .n_tracks = 3,
    .tracks = { TD_TRACK ("a.wav"), TD_TRACK ("c.wav"), TD_TRACK ("e5.wav") },
  };
  static const gint32 lba[] = { 0, 900, 1598 };
  static const gint32 count[] = { 750, 548, 375 };

  creator = td_spec_create (c, &spec, &error);
  g_assert_no_error (error);
  tracks = td_get_ao (c, creator, RAWCD_IFACE_CREATOR, "Tracks");
  g_assert_cmpuint (g_strv_length (tracks), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (td_get_i (c, tracks[i], RAWCD_IFACE_TRACK, "StartingLba"), ==, lba[i]);
      g_assert_cmpint (td_get_i (c, tracks[i], RAWCD_IFACE_TRACK, "SectorCount"), ==, count[i]);
      g_assert_cmpint (td_get_i (c, tracks[i], RAWCD_IFACE_TRACK, "TrackNumber"), ==, (gint) i + 1);
    }
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 1973);

  watch = td_job_watch_new (c);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  finish_job (c, watch, job, out, 22650 + 1973 + 6750, 2368);
  compare_with_reference (&spec, out, 2368);
  close (out);
}

/* AddSpecialPregap: hidden track one audio of 375 sectors moves track 1's
 * index 1 to LBA 375 - 150 = 225; IS_COOKED. */
static void
test_special_pregap (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = NULL;
  g_autofree char *job = NULL;
  g_auto(GStrv) tracks = NULL;
  g_autoptr(TdJobWatch) watch = NULL;
  int out = td_memfd ("out");
  const TdDiscSpec spec = {
    .image_type = 2, .special_pregap = "e5.wav", .n_tracks = 2,
    .tracks = { TD_TRACK ("a.wav"), TD_TRACK ("c.wav") },
  };

  creator = td_spec_create (c, &spec, &error);
  g_assert_no_error (error);
  tracks = td_get_ao (c, creator, RAWCD_IFACE_CREATOR, "Tracks");
  g_assert_cmpuint (g_strv_length (tracks), ==, 2);
  g_assert_cmpint (td_get_i (c, tracks[0], RAWCD_IFACE_TRACK, "StartingLba"), ==, 225);
  g_assert_cmpint (td_get_i (c, tracks[0], RAWCD_IFACE_TRACK, "SectorCount"), ==, 600);
  g_assert_cmpint (td_get_i (c, tracks[1], RAWCD_IFACE_TRACK, "StartingLba"), ==, 975);
  g_assert_cmpint (td_get_i (c, tracks[1], RAWCD_IFACE_TRACK, "SectorCount"), ==, 548);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 1523);

  watch = td_job_watch_new (c);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  finish_job (c, watch, job, out, 22650 + 1523 + 6750, 2448);
  compare_with_reference (&spec, out, 2448);
  close (out);
}

/* Option format = "raw": a.raw holds exactly a.wav's samples, so its image
 * must be the image of a.wav. */
static void
test_raw_format (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = NULL;
  g_autofree char *job = NULL;
  g_autoptr(TdJobWatch) watch = NULL;
  int out = td_memfd ("out");
  TdDiscSpec raw = { .n_tracks = 2, .tracks = { TD_TRACK ("a.raw"), TD_TRACK ("e5.wav") } };
  const TdDiscSpec wav = { .n_tracks = 2, .tracks = { TD_TRACK ("a.wav"), TD_TRACK ("e5.wav") } };
  gint32 sectors;

  raw.tracks[0].raw = TRUE;
  creator = td_spec_create (c, &raw, &error);
  g_assert_no_error (error);
  /* 750 + 375 sectors */
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 1125);
  sectors = 22650 + 1125 + 6750;

  watch = td_job_watch_new (c);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  finish_job (c, watch, job, out, sectors, 2448);
  compare_with_reference (&wav, out, 2448);
  close (out);
}

/* AddSubcodeRWGenerator: 96 symbols for every sector of the image (750 +
 * 375 audio sectors: 30525), in IS_RAW (CD+G coded) and IS_COOKED (as
 * given); the images equal the engine's. */
static void
check_rw (TdFixture *f, guint image_type)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = NULL;
  g_autofree char *job = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  int out = td_memfd ("out");
  const TdDiscSpec spec = {
    .image_type = image_type, .rw_sectors = 22650 + 1125 + 6750, .n_tracks = 2,
    .tracks = { TD_TRACK ("a.wav"), TD_TRACK ("e5.wav") },
  };
  const TdDiscSpec plain = {
    .image_type = image_type, .n_tracks = 2, .tracks = { TD_TRACK ("a.wav"), TD_TRACK ("e5.wav") },
  };
  int ref_plain;

  creator = td_spec_create (c, &spec, &error);
  g_assert_no_error (error);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  finish_job (c, watch, job, out, 22650 + 1125 + 6750, 2448);
  compare_with_reference (&spec, out, 2448);
  /* and the R-W data is really in it */
  ref_plain = td_spec_reference (&plain, &error);
  g_assert_no_error (error);
  g_assert_false (td_fds_equal (out, ref_plain, 2448, NULL));
  close (ref_plain);
  close (out);
}

static void
test_rw_raw (TdFixture *f, gconstpointer data)
{
  check_rw (f, 3);
}

static void
test_rw_cooked (TdFixture *f, gconstpointer data)
{
  check_rw (f, 2);
}

/* Manager properties, and every object's interface as the contract has it
 * (names, signatures, property types and access), read with Introspect. */
static void
check_interface (GDBusConnection *c, const char *path, const char *iface_name,
                 const char *const *methods, const char *const *properties)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  const char *xml = NULL;
  GDBusInterfaceInfo *iface;

  reply = td_call (c, path, "org.freedesktop.DBus.Introspectable", "Introspect", NULL,
                   G_VARIANT_TYPE ("(s)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  iface = g_dbus_node_info_lookup_interface (node, iface_name);
  if (iface == NULL)
    g_error ("%s does not implement %s", path, iface_name);

  /* methods: "Name(in-signature)(out-signature)" */
  for (guint i = 0; methods[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (methods[i], "|", 3);
      GDBusMethodInfo *m = g_dbus_interface_info_lookup_method (iface, parts[0]);
      g_autoptr(GString) in = g_string_new (NULL);
      g_autoptr(GString) out = g_string_new (NULL);

      if (m == NULL)
        g_error ("%s has no method %s", iface_name, parts[0]);
      for (guint k = 0; m->in_args != NULL && m->in_args[k] != NULL; k++)
        g_string_append (in, m->in_args[k]->signature);
      for (guint k = 0; m->out_args != NULL && m->out_args[k] != NULL; k++)
        g_string_append (out, m->out_args[k]->signature);
      g_assert_cmpstr (in->str, ==, parts[1]);
      g_assert_cmpstr (out->str, ==, parts[2]);
    }
  /* properties: "Name|type|r" or "|rw" */
  for (guint i = 0; properties[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (properties[i], "|", 3);
      GDBusPropertyInfo *p = g_dbus_interface_info_lookup_property (iface, parts[0]);
      GDBusPropertyInfoFlags flags = g_str_equal (parts[2], "rw")
        ? G_DBUS_PROPERTY_INFO_FLAGS_READABLE | G_DBUS_PROPERTY_INFO_FLAGS_WRITABLE
        : G_DBUS_PROPERTY_INFO_FLAGS_READABLE;

      if (p == NULL)
        g_error ("%s has no property %s", iface_name, parts[0]);
      g_assert_cmpstr (p->signature, ==, parts[1]);
      if (p->flags != flags)
        g_error ("%s.%s has access flags %d, the contract says %s", iface_name, parts[0],
                 p->flags, parts[2]);
    }
}

static void
test_interfaces (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = td_get_s (c, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER, "Version");
  g_autoptr(GVariant) formats = td_get (c, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER,
                                        "SupportedInputFormats", &error);
  g_autofree char *creator = NULL;
  g_autofree char *track = NULL;
  g_autofree char *job = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  g_autofree const char **fmts = NULL;
  int out = td_memfd ("out");
  static const char *const manager_methods[] = { "CreateImageCreator|a{sv}|o", NULL };
  static const char *const manager_props[] = { "Version|s|r", "SupportedInputFormats|as|r", NULL };
  static const char *const creator_methods[] = {
    "AddTrack|uha{sv}|io", "AddSpecialPregap|ha{sv}|", "AddSubcodeRWGenerator|ha{sv}|",
    "CreateResultImage|ha{sv}|o", "Close||", NULL,
  };
  static const char *const creator_props[] = {
    "ResultingImageType|u|rw", "StartOfLeadout|i|r", "StartOfLeadoutLimit|i|rw",
    "DisableGaplessAudio|b|rw", "MediaCatalogNumber|s|rw", "StartingTrackNumber|i|rw",
    "NumberOfExistingTracks|i|r", "LastUsedUserSectorInImage|i|r",
    "ExpectedTableOfContents|ay|r", "Tracks|ao|r", NULL,
  };
  static const char *const track_methods[] = {
    "AddTrackIndex|i|b", "ClearTrackIndex|i|", NULL,
  };
  static const char *const track_props[] = {
    "StartingLba|i|r", "SectorCount|i|r", "TrackNumber|i|r", "SectorType|u|r",
    "ISRC|s|rw", "DigitalAudioCopySetting|u|rw", "AudioHasPreemphasis|b|rw",
    "TrackIndexes|ai|r", NULL,
  };
  static const char *const job_methods[] = { "Cancel||", NULL };
  static const char *const job_props[] = {
    "Progress|d|r", "SectorsWritten|t|r", "TotalSectors|t|r", "BytesWritten|t|r",
    "Rate|t|r", "StartTime|t|r", "ExpectedEndTime|t|r", "State|s|r", NULL,
  };

  g_assert_no_error (error);
  g_assert_cmpstr (version, !=, "");
  g_assert_true (g_variant_is_of_type (formats, G_VARIANT_TYPE ("as")));
  fmts = g_variant_get_strv (formats, NULL);
  g_assert_true (g_strv_contains (fmts, "WAV"));
  g_assert_true (g_strv_contains (fmts, "FLAC"));

  check_interface (c, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER, manager_methods, manager_props);
  creator = td_create_session (c, NULL);
  check_interface (c, creator, RAWCD_IFACE_CREATOR, creator_methods, creator_props);
  g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, &track, &error), ==, 1);
  g_assert_no_error (error);
  check_interface (c, track, RAWCD_IFACE_TRACK, track_methods, track_props);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  check_interface (c, job, RAWCD_IFACE_JOB, job_methods, job_props);
  g_assert_true (td_job_watch_wait (watch, job, 120, NULL, NULL));
  close (out);
}

/* Cancel(): the job stops, reports State "cancelled" and Completed(false)
 * with a message.  The output is a pipe nobody reads, so the job is
 * certainly still running when Cancel() arrives. */
static void
test_cancel (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  g_autofree char *state = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  gboolean success = TRUE;
  gint64 total = 0;
  gboolean eof = FALSE;
  int p[2];

  g_assert_cmpint (td_add_track (c, creator, td_audio ("a.wav"), NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  job = td_create_result_image (c, creator, p[1], &error);
  g_assert_no_error (error);
  close (p[1]);

  td_spin (200);
  state = td_get_s (c, job, RAWCD_IFACE_JOB, "State");
  g_assert_cmpstr (state, ==, "running");
  g_clear_pointer (&state, g_free);
  reply = td_call (c, job, RAWCD_IFACE_JOB, "Cancel", NULL, G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);

  /* Drain the pipe so that a write blocked in the daemon returns; the
   * daemon must then close its end. */
  total = td_drain (p[0], 10000, &eof);
  close (p[0]);
  if (!eof)
    g_error ("the daemon still holds the output pipe 10 s after Cancel()");
  g_assert_cmpint (total, <, (gint64) (22650 + 750 + 6750) * 2448);

  g_assert_true (td_job_watch_wait (watch, job, 60, &success, &message));
  g_assert_false (success);
  g_assert_cmpstr (message, !=, "");
  g_test_message ("Completed(false, \"%s\")", message);
  state = td_get_s (c, job, RAWCD_IFACE_JOB, "State");
  g_assert_cmpstr (state, ==, "cancelled");
  g_assert_cmpfloat (td_get_d (c, job, RAWCD_IFACE_JOB, "Progress"), <, 1.0);
  td_daemon_assert_alive (f->daemon);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/lifecycle/full", test_full);
  td_add ("/daemon/lifecycle/gaps-pq-only", test_gaps_pq);
  td_add ("/daemon/lifecycle/special-pregap", test_special_pregap);
  td_add ("/daemon/lifecycle/raw-format", test_raw_format);
  td_add ("/daemon/lifecycle/rw-generator-raw", test_rw_raw);
  td_add ("/daemon/lifecycle/rw-generator-cooked", test_rw_cooked);
  td_add ("/daemon/lifecycle/interfaces", test_interfaces);
  td_add ("/daemon/lifecycle/cancel", test_cancel);
  return td_run ();
}
