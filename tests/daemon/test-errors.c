/* test-errors.c: every error name of docs/api.md §9, provoked through the
 * bus and checked by name (org.rawcd.RawCD1.Error.<Name>) with a non-empty
 * message; property writes go through org.freedesktop.DBus.Properties.Set.
 * (Failed, from an output that fails, is in test-descriptors.c; Cancelled
 * of a job in test-lifecycle.c.)
 */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void
add_fails (GDBusConnection *c, const char *creator, const char *audio, GVariant *options,
           const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (td_add_track (c, creator, td_audio (audio), options, NULL, &error), ==, 0);
  td_assert_error (error, name);
}

static void
set_fails (GDBusConnection *c, const char *path, const char *iface, const char *prop,
           GVariant *value, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_variant_print (g_variant_ref_sink (value), TRUE);

  if (td_set (c, path, iface, prop, value, &error))
    g_error ("Set %s = %s succeeded; expected %s", prop, shown, name);
  g_variant_unref (value);
  td_assert_error (error, name);
}

static void
call_fails (GDBusConnection *c, const char *path, const char *iface, const char *method,
            GVariant *params, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = params ? g_variant_print (params, TRUE) : g_strdup ("()");
  g_autoptr(GVariant) reply = td_call (c, path, iface, method, params, NULL, &error);

  if (reply != NULL)
    g_error ("%s%s succeeded; expected %s", method, shown, name);
  td_assert_error (error, name);
}

static void
pregap_fails (GDBusConnection *c, const char *creator, const char *audio, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  int fd = open (td_audio (audio), O_RDONLY | O_CLOEXEC);

  reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "AddSpecialPregap",
                      g_variant_new ("(h@a{sv})", 0, td_no_options ()), NULL, fd, &error);
  close (fd);
  g_assert_null (reply);
  td_assert_error (error, name);
}

static gint
n_tracks (GDBusConnection *c, const char *creator)
{
  return td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks");
}

static void
test_read_only (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *track = NULL;
  g_autofree char *job = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  int out = td_memfd ("out");

  td_add_track_ok (c, creator, "e5.wav", &track);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);

  add_fails (c, creator, "e5.wav", NULL, "ReadOnly");
  pregap_fails (c, creator, "e5.wav", "ReadOnly");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1), "ReadOnly");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32 (1000), "ReadOnly");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "DisableGaplessAudio", g_variant_new_boolean (TRUE), "ReadOnly");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber", g_variant_new_string ("0012345678905"), "ReadOnly");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber", g_variant_new_int32 (2), "ReadOnly");
  set_fails (c, track, RAWCD_IFACE_TRACK, "ISRC", g_variant_new_string ("USS1Z9900001"), "ReadOnly");
  set_fails (c, track, RAWCD_IFACE_TRACK, "DigitalAudioCopySetting", g_variant_new_uint32 (1), "ReadOnly");
  set_fails (c, track, RAWCD_IFACE_TRACK, "AudioHasPreemphasis", g_variant_new_boolean (TRUE), "ReadOnly");
  call_fails (c, track, RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 100), "ReadOnly");
  call_fails (c, track, RAWCD_IFACE_TRACK, "ClearTrackIndex", g_variant_new ("(i)", 100), "ReadOnly");

  /* Nothing changed */
  g_assert_cmpuint (td_get_u (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType"), ==, 3);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit"), ==, 398099);
  g_assert_false (td_get_b (c, track, RAWCD_IFACE_TRACK, "AudioHasPreemphasis"));
  g_assert_cmpint (n_tracks (c, creator), ==, 1);
  g_assert_true (td_job_watch_wait (watch, job, 120, NULL, NULL));
  close (out);
}

/* IMAPI's 99-track limit is on track numbers: starting at 99, a second
 * track would be track 100. */
static void
test_too_many_tracks (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber", g_variant_new_int32 (99));
  td_add_track_ok (c, creator, "e5.wav", NULL);
  add_fails (c, creator, "e5.wav", NULL, "TooManyTracks");
  g_assert_cmpint (n_tracks (c, creator), ==, 1);
}

static void
test_sector_type (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  for (guint type = 1; type <= 3; type++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;
      int fd = open (td_audio ("e5.wav"), O_RDONLY | O_CLOEXEC);

      reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "AddTrack",
                          g_variant_new ("(uh@a{sv})", type, 0, td_no_options ()),
                          NULL, fd, &error);
      close (fd);
      td_assert_error (error, "SectorTypeNotSupported");
    }
  g_assert_cmpint (n_tracks (c, creator), ==, 0);
}

static void
test_no_tracks (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  int out = td_memfd ("out");

  job = td_create_result_image (c, creator, out, &error);
  g_assert_null (job);
  td_assert_error (error, "NoTracks");
  g_clear_error (&error);
  /* Not frozen by the failed call */
  td_add_track_ok (c, creator, "e5.wav", NULL);
  g_assert_cmpint (td_fd_size (out), ==, 0);
  close (out);
}

static void
test_tracks_already_added (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  td_add_track_ok (c, creator, "e5.wav", NULL);
  pregap_fails (c, creator, "e5.wav", "TracksAlreadyAdded");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber", g_variant_new_int32 (3),
             "TracksAlreadyAdded");
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber"), ==, 1);
}

static void
test_insufficient_space_fit (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  /* 750 + 375 sectors end at LBA 1124: a limit of 1124 fits, 1123 not */
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32 (1123));
  td_add_track_ok (c, creator, "a.wav", NULL);
  add_fails (c, creator, "e5.wav", NULL, "InsufficientSpace");
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32 (1124));
  td_add_track_ok (c, creator, "e5.wav", NULL);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "LastUsedUserSectorInImage"), ==, 1124);
}

static void
test_track_indexes (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GArray) indexes = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *track = NULL;

  td_add_track_ok (c, creator, "d20.wav", &track);   /* 1500 sectors, the last track */

  call_fails (c, track, RAWCD_IFACE_TRACK, "ClearTrackIndex", g_variant_new ("(i)", 0),
              "TrackIndexOffsetZeroCannotBeCleared");
  call_fails (c, track, RAWCD_IFACE_TRACK, "ClearTrackIndex", g_variant_new ("(i)", 123),
              "TrackIndexNotFound");
  call_fails (c, track, RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 5),
              "TrackIndexTooCloseToOtherIndex");
  call_fails (c, track, RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 1495),
              "TrackIndexTooCloseToOtherIndex");
  call_fails (c, track, RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", -1),
              "InvalidArgument");
  call_fails (c, track, RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 1500),
              "InvalidArgument");

  /* Index 1 at offset 0 plus 98 more is 99: the most a track can have */
  for (gint32 off = 10; off <= 980; off += 10)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = td_call (c, track, RAWCD_IFACE_TRACK, "AddTrackIndex",
                                           g_variant_new ("(i)", off), G_VARIANT_TYPE ("(b)"),
                                           &error);
      g_assert_no_error (error);
    }
  indexes = td_get_ai (c, track, RAWCD_IFACE_TRACK, "TrackIndexes");
  g_assert_cmpuint (indexes->len, ==, 99);
  g_assert_cmpint (g_array_index (indexes, gint32, 98), ==, 980);
  call_fails (c, track, RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 990),
              "TooManyTrackIndexes");
  call_fails (c, track, RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 985),
              "TooManyTrackIndexes");
  g_clear_pointer (&indexes, g_array_unref);
  indexes = td_get_ai (c, track, RAWCD_IFACE_TRACK, "TrackIndexes");
  g_assert_cmpuint (indexes->len, ==, 99);
}

/* Index errors name the track by its number, as every other message does:
 * with StartingTrackNumber 5 the second track is "track 6" in the
 * service's prefix and in the engine's message, never "track 1" or
 * "track 2" (its position). */
static void
test_track_index_names_number (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *second = NULL;
  const char *const method[] = { "AddTrackIndex", "ClearTrackIndex" };

  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber", g_variant_new_int32 (5));
  td_add_track_ok (c, creator, "a.wav", NULL);
  td_add_track_ok (c, creator, "d20.wav", &second);
  for (guint i = 0; i < G_N_ELEMENTS (method); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = td_call (c, second, RAWCD_IFACE_TRACK, method[i],
                                           g_variant_new ("(i)", -1), NULL, &error);

      g_assert_null (reply);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "(-1) on track 6: "));
      g_assert_nonnull (strstr (error->message, ": index offset -1 is outside track 6 ")
                        ?: strstr (error->message, ": track 6 has no index at offset -1"));
      g_assert_null (strstr (error->message, "track 1"));
      g_assert_null (strstr (error->message, "track 2"));
    }
}

static void
test_track_too_short (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  /* 225 sectors < 300 */
  add_fails (c, creator, "short.wav", NULL, "TrackTooShort");
  /* 75 sectors < 150 for a special pregap */
  pregap_fails (c, creator, "tiny.wav", "TrackTooShort");
  g_assert_cmpint (n_tracks (c, creator), ==, 0);
}

static void
test_invalid_properties (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *track = NULL;
  g_autofree char *mcn = NULL;
  g_autofree char *isrc = NULL;
  static const char *const bad_mcns[] = {
    "0012345678904",   /* wrong check digit */
    "124",             /* 0000000000124: wrong check digit (123 is valid) */
    "00123456789050",  /* 14 digits */
    "001234567890X",   /* not digits */
    NULL,
  };
  static const char *const bad_isrcs[] = {
    "US-S1Z-99-0000",  /* 11 characters */
    "USS1Z99000011",   /* 13 */
    "U$S1Z9900001",    /* not a letter or digit */
    "USS1Z99A0001",    /* letters where the year and number go */
    NULL,
  };

  set_fails (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (0), "InvalidArgument");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (4), "InvalidArgument");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32 (398100), "InvalidArgument");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32 (-1), "InvalidArgument");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber", g_variant_new_int32 (0), "InvalidArgument");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber", g_variant_new_int32 (100), "InvalidArgument");
  for (guint i = 0; bad_mcns[i] != NULL; i++)
    set_fails (c, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber", g_variant_new_string (bad_mcns[i]),
               "InvalidArgument");
  g_assert_cmpuint (td_get_u (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType"), ==, 3);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit"), ==, 398099);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber"), ==, 1);
  mcn = td_get_s (c, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber");
  g_assert_cmpstr (mcn, ==, "");

  td_add_track_ok (c, creator, "e5.wav", &track);
  for (guint i = 0; bad_isrcs[i] != NULL; i++)
    set_fails (c, track, RAWCD_IFACE_TRACK, "ISRC", g_variant_new_string (bad_isrcs[i]), "InvalidArgument");
  set_fails (c, track, RAWCD_IFACE_TRACK, "DigitalAudioCopySetting", g_variant_new_uint32 (3), "InvalidArgument");
  isrc = td_get_s (c, track, RAWCD_IFACE_TRACK, "ISRC");
  g_assert_cmpstr (isrc, ==, "");
  g_assert_cmpuint (td_get_u (c, track, RAWCD_IFACE_TRACK, "DigitalAudioCopySetting"), ==, 0);

  /* Read-only properties cannot be written */
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (td_set (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout",
                            g_variant_new_int32 (5), &error));
    g_assert_nonnull (error);
    g_assert_false (td_set (c, track, RAWCD_IFACE_TRACK, "StartingLba",
                            g_variant_new_int32 (5), NULL));
    g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "StartingLba"), ==, 0);
  }
  /* A value of the wrong type: GDBus's own InvalidArgs or ours */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *name = NULL;

    g_assert_false (td_set (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType",
                            g_variant_new_string ("3"), &error));
    name = td_error_name (error);
    if (g_strcmp0 (name, "org.freedesktop.DBus.Error.InvalidArgs") != 0)
      td_assert_error (error, "InvalidArgument");
  }
}

static void
test_invalid_options (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autoptr(GVariantDict) bogus = g_variant_dict_new (NULL);
  g_autoptr(GVariantDict) bad_format = g_variant_dict_new (NULL);
  g_autoptr(GVariantDict) bad_type = g_variant_dict_new (NULL);
  g_autoptr(GVariantDict) persist_type = g_variant_dict_new (NULL);

  g_variant_dict_insert (bogus, "bogus", "i", 1);
  g_variant_dict_insert (bad_format, "format", "s", "mp9");
  g_variant_dict_insert (bad_type, "format", "i", 1);
  g_variant_dict_insert (persist_type, "persist", "s", "yes");

  add_fails (c, creator, "e5.wav", g_variant_dict_end (bogus), "InvalidArgument");
  add_fails (c, creator, "e5.wav", g_variant_dict_end (bad_format), "InvalidArgument");
  add_fails (c, creator, "e5.wav", g_variant_dict_end (bad_type), "InvalidArgument");
  call_fails (c, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER, "CreateImageCreator",
              g_variant_new ("(@a{sv})", g_variant_dict_end (persist_type)), "InvalidArgument");
  g_assert_cmpint (n_tracks (c, creator), ==, 0);
}

/* A handle that refers to no descriptor of the message */
static void
test_missing_descriptor (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  call_fails (c, creator, RAWCD_IFACE_CREATOR, "AddTrack",
              g_variant_new ("(uh@a{sv})", 0, 0, td_no_options ()), "InvalidArgument");
  call_fails (c, creator, RAWCD_IFACE_CREATOR, "CreateResultImage",
              g_variant_new ("(h@a{sv})", 3, td_no_options ()), "InvalidArgument");
}

static void
test_unsupported_audio (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autoptr(GVariantDict) raw = g_variant_dict_new (NULL);

  add_fails (c, creator, "text.txt", NULL, "UnsupportedAudio");
  add_fails (c, creator, "empty.bin", NULL, "UnsupportedAudio");

  /* "say what was found" (48 kHz audio, once refused, is resampled now:
   * the audio that cannot go on a CD at all is more than stereo) */
  g_assert_cmpint (td_add_track (c, creator, td_audio ("6ch.wav"), NULL, NULL, &error), ==, 0);
  td_assert_error (error, "UnsupportedAudio");
  g_assert_nonnull (strstr (error->message, "6 channels"));
  g_clear_error (&error);

  g_variant_dict_insert (raw, "format", "s", "raw");
  add_fails (c, creator, "empty.bin", g_variant_dict_end (raw), "UnsupportedAudio");
  g_assert_cmpint (n_tracks (c, creator), ==, 0);
}

/* Another connection (same uid, not persistent) is not the owner */
static void
test_access_denied (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) other = td_connect (&error);
  g_autofree char *creator = td_create_session (c, NULL);
  g_autoptr(GVariant) value = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (td_add_track (other, creator, td_audio ("e5.wav"), NULL, NULL, &error), ==, 0);
  td_assert_error (error, "AccessDenied");
  g_clear_error (&error);
  value = td_get (other, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout", &error);
  td_assert_error (error, "AccessDenied");
  g_clear_error (&error);
  set_fails (other, creator, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1),
             "AccessDenied");
  call_fails (other, creator, RAWCD_IFACE_CREATOR, "Close", NULL, "AccessDenied");
  g_assert_cmpint (n_tracks (c, creator), ==, 0);
  g_assert_cmpuint (td_get_u (c, creator, RAWCD_IFACE_CREATOR, "ResultingImageType"), ==, 3);
  g_dbus_connection_close_sync (other, NULL, NULL);
}

static const char *const two_per_user[] = { "--max-sessions-per-user", "2", NULL };
static const char *const three_in_all[] = { "--max-sessions", "3", NULL };
static const char *const two_tracks[] = { "--max-tracks", "2", NULL };

static void
test_limit_sessions_per_user (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) other = td_connect (&error);
  g_autofree char *s1 = td_create_session (c, NULL);
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  /* The quota is per uid: another connection of the same user counts */
  s2 = td_create_session (other, NULL);
  call_fails (c, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER, "CreateImageCreator",
              g_variant_new ("(@a{sv})", td_no_options ()), "LimitExceeded");
  call_fails (other, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER, "CreateImageCreator",
              g_variant_new ("(@a{sv})", td_no_options ()), "LimitExceeded");
  /* Closing one makes room */
  reply = td_call (c, s1, RAWCD_IFACE_CREATOR, "Close", NULL, G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);
  s3 = td_create_session (c, NULL);
  g_dbus_connection_close_sync (other, NULL, NULL);
}

static void
test_limit_sessions (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  char *s[3] = { NULL, };

  for (guint i = 0; i < 3; i++)
    s[i] = td_create_session (c, NULL);
  call_fails (c, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER, "CreateImageCreator",
              g_variant_new ("(@a{sv})", td_no_options ()), "LimitExceeded");
  for (guint i = 0; i < 3; i++)
    g_free (s[i]);
}

/* --max-tracks is the service's quota: LimitExceeded (TooManyTracks is
 * IMAPI's track-number rule, tested above) */
static void
test_limit_tracks (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);

  td_add_track_ok (c, creator, "e5.wav", NULL);
  td_add_track_ok (c, creator, "e5.wav", NULL);
  g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &error), ==, 0);
  td_assert_error (error, "LimitExceeded");
  g_assert_cmpint (n_tracks (c, creator), ==, 2);
}

/* Calls queued behind an AddTrack that waits for its header (a silent
 * pipe) fail with Cancelled when the session is closed. */
typedef struct {
  GError   *error;
  gboolean  done;
} AsyncResult;

static void
async_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncResult *r = data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_finish (
      G_DBUS_CONNECTION (source), NULL, result, &r->error);
  r->done = TRUE;
}

static gboolean
async_done (gpointer data)
{
  return ((AsyncResult *) data)->done;
}

static void
add_track_async (GDBusConnection *c, const char *creator, int fd, AsyncResult *r)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();

  g_assert_cmpint (g_unix_fd_list_append (fds, fd, NULL), ==, 0);
  g_dbus_connection_call_with_unix_fd_list (c, RAWCD_BUS_NAME, creator, RAWCD_IFACE_CREATOR, "AddTrack",
                                            g_variant_new ("(uh@a{sv})", 0, 0, td_no_options ()),
                                            G_VARIANT_TYPE ("(io)"), G_DBUS_CALL_FLAGS_NONE,
                                            td_call_timeout_ms (), fds, NULL,
                                            async_done_cb, r);
}

static void
test_cancelled (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  AsyncResult first = { NULL, FALSE };
  AsyncResult second = { NULL, FALSE };
  int p[2];
  int fd = open (td_audio ("e5.wav"), O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  add_track_async (c, creator, p[0], &first);
  add_track_async (c, creator, fd, &second);
  close (fd);
  /* Both wait: the first for its header, the second for the first */
  td_spin (300);
  g_assert_false (first.done);
  g_assert_false (second.done);

  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "Close", NULL, G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);
  g_assert_true (td_wait_until (NULL, async_done, &first, 10000 * td_slowdown ()));
  g_assert_true (td_wait_until (NULL, async_done, &second, 10000 * td_slowdown ()));
  td_assert_error (first.error, "Cancelled");
  td_assert_error (second.error, "Cancelled");
  g_clear_error (&first.error);
  g_clear_error (&second.error);
  close (p[0]);
  close (p[1]);
  td_wait_object_gone (c, creator, RAWCD_IFACE_CREATOR);
  td_daemon_assert_alive (f->daemon);
}

static void
rw_fails (GDBusConnection *c, const char *creator, int fd, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "AddSubcodeRWGenerator",
                                          g_variant_new ("(h@a{sv})", 0, td_no_options ()),
                                          NULL, fd, &error);

  g_assert_null (reply);
  td_assert_error (error, name);
}

static void
rw_ok (GDBusConnection *c, const char *creator, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "AddSubcodeRWGenerator",
                      g_variant_new ("(h@a{sv})", 0, td_no_options ()), NULL, fd, &error);
  close (fd);
  g_assert_no_error (error);
}

/* AddSubcodeRWGenerator: not with PQ_ONLY (either order), 96 bytes per
 * sector of the image exactly, from a seekable descriptor. */
static void
test_rw_generator (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *pq = td_create_session (c, NULL);
  g_autofree char *raw = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *odd_path = g_build_filename (td_tmpdir (), "rw-odd.bin", NULL);
  guint sectors = 22650 + 375 + 6750;
  int fd = open (td_rw_file (sectors), O_RDONLY | O_CLOEXEC);
  int out = td_memfd ("out");
  int odd, p[2];

  /* PQ_ONLY, then R-W */
  td_set_ok (c, pq, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1));
  rw_fails (c, pq, fd, "InvalidArgument");
  /* R-W, then PQ_ONLY */
  rw_ok (c, raw, td_rw_file (sectors));
  set_fails (c, raw, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1),
             "InvalidArgument");
  g_assert_cmpuint (td_get_u (c, raw, RAWCD_IFACE_CREATOR, "ResultingImageType"), ==, 3);

  /* Not a whole number of sectors */
  g_assert_true (g_file_set_contents (odd_path, "0123456789", 10, NULL));
  odd = open (odd_path, O_RDONLY | O_CLOEXEC);
  rw_fails (c, raw, odd, "InvalidArgument");
  close (odd);
  /* A pipe cannot be read at the positions the image needs */
  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  rw_fails (c, raw, p[0], "InvalidArgument");
  close (p[0]);
  close (p[1]);

  /* The length must match the image: 375 sectors of audio fit the
   * generator, 750 do not; the check comes with CreateResultImage. */
  td_add_track_ok (c, raw, "a.wav", NULL);
  job = td_create_result_image (c, raw, out, &error);
  g_assert_null (job);
  td_assert_error (error, "InvalidArgument");
  g_clear_error (&error);
  g_assert_cmpint (td_fd_size (out), ==, 0);
  close (fd);
  close (out);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/errors/read-only", test_read_only);
  td_add ("/daemon/errors/too-many-tracks", test_too_many_tracks);
  td_add ("/daemon/errors/sector-type-not-supported", test_sector_type);
  td_add ("/daemon/errors/no-tracks", test_no_tracks);
  td_add ("/daemon/errors/tracks-already-added", test_tracks_already_added);
  td_add ("/daemon/errors/insufficient-space", test_insufficient_space_fit);
  td_add ("/daemon/errors/track-indexes", test_track_indexes);
  td_add ("/daemon/errors/track-index-names-number", test_track_index_names_number);
  td_add ("/daemon/errors/track-too-short", test_track_too_short);
  td_add ("/daemon/errors/invalid-properties", test_invalid_properties);
  td_add ("/daemon/errors/invalid-options", test_invalid_options);
  td_add ("/daemon/errors/missing-descriptor", test_missing_descriptor);
  td_add ("/daemon/errors/unsupported-audio", test_unsupported_audio);
  td_add ("/daemon/errors/access-denied", test_access_denied);
  td_add_args ("/daemon/errors/limit-sessions-per-user", two_per_user, test_limit_sessions_per_user);
  td_add_args ("/daemon/errors/limit-sessions", three_in_all, test_limit_sessions);
  td_add_args ("/daemon/errors/limit-tracks", two_tracks, test_limit_tracks);
  td_add ("/daemon/errors/cancelled", test_cancelled);
  td_add ("/daemon/errors/rw-generator", test_rw_generator);
  return td_run ();
}
