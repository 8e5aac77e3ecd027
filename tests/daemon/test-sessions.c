/* test-sessions.c: who owns a session and when it ends.
 *
 * - a session ends with its creator's connection: its objects go, the
 *   descriptors it held are closed, its running job is cancelled;
 * - another connection cannot touch it (AccessDenied on methods and on
 *   property Get/GetAll/Set alike), except that another connection of the
 *   same uid may read a job of it and hear its Completed (a desktop
 *   notifier), but not cancel it;
 * - a `persist` session belongs to the uid, survives its creator, is
 *   reachable from another connection of the same uid, and ends with
 *   Close() or after --persist-timeout;
 * - the daemon exits by itself after --idle-timeout without sessions.
 */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static GVariant *
persist_options (void)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);

  g_variant_dict_insert (dict, "persist", "b", TRUE);
  return g_variant_dict_end (dict);
}

static void
add_ok (GDBusConnection *c, const char *creator, const char *audio, char **track)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (td_add_track (c, creator, td_audio (audio), NULL, track, &error), >, 0);
  g_assert_no_error (error);
}

typedef struct {
  TdDaemon *daemon;
  guint     expected;
  guint     last;
} FdCount;

static gboolean
fds_back (gpointer data)
{
  FdCount *count = data;

  count->last = td_daemon_count_fds (count->daemon);
  if (count->last == count->expected)
    return TRUE;
  td_spin (20);
  return FALSE;
}

static void
assert_fds_return (TdDaemon *daemon, guint expected)
{
  FdCount count = { daemon, expected, 0 };

  if (!td_wait_until (NULL, fds_back, &count, 10000 * td_slowdown ()))
    g_error ("the daemon has %u descriptors open, %u before the session", count.last, expected);
}

static gboolean
creator_listed (GDBusConnection *c, const char *creator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = td_call (c, "/org/rawcd/RawCD1/ImageCreator",
                                       "org.freedesktop.DBus.Introspectable", "Introspect",
                                       NULL, G_VARIANT_TYPE ("(s)"), &error);
  g_autoptr(GDBusNodeInfo) node = NULL;
  const char *xml = NULL;
  const char *leaf = strrchr (creator, '/') + 1;

  if (reply == NULL)
    return FALSE;   /* no node at all: no session */
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  for (guint i = 0; node->nodes != NULL && node->nodes[i] != NULL; i++)
    if (g_strcmp0 (node->nodes[i]->path, leaf) == 0)
      return TRUE;
  return FALSE;
}

typedef struct {
  GDBusConnection *conn;
  const char      *creator;
} ListedData;

static gboolean
creator_unlisted_poll (gpointer data)
{
  ListedData *listed = data;

  if (!creator_listed (listed->conn, listed->creator))
    return TRUE;
  td_spin (50);
  return FALSE;
}

/* The creator's connection closes: everything of its session goes. */
static void
test_owner_disconnect (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) other = NULL;
  g_autofree char *creator = NULL;
  g_autofree char *track = NULL;
  g_autofree char *job = NULL;
  g_autoptr(GVariant) value = NULL;
  guint before, during;
  gint64 drained;
  gboolean eof = FALSE;
  int p[2];

  before = td_daemon_count_fds (f->daemon);
  other = td_connect (&error);
  g_assert_no_error (error);
  creator = td_create_session (other, NULL);
  add_ok (other, creator, "a.wav", &track);
  add_ok (other, creator, "b.flac", NULL);
  add_ok (other, creator, "c.wav", NULL);
  g_assert_true (creator_listed (c, creator));

  /* A job writing into a pipe nobody reads yet: it is running (blocked
   * in write) when the owner goes. */
  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  job = td_create_result_image (other, creator, p[1], &error);
  g_assert_no_error (error);
  close (p[1]);
  td_spin (200);
  during = td_daemon_count_fds (f->daemon);
  g_test_message ("daemon descriptors: %u before, %u with the session", before, during);
  /* three tracks and the output at least */
  g_assert_cmpuint (during, >=, before + 4);

  /* Meanwhile, to anyone else the objects are there but not theirs */
  value = td_get (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout", &error);
  td_assert_error (error, "AccessDenied");
  g_clear_error (&error);

  g_dbus_connection_close_sync (other, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&other);

  td_wait_object_gone (c, creator, RAWCD_IFACE_CREATOR);
  td_wait_object_gone (c, track, RAWCD_IFACE_TRACK);
  g_assert_false (creator_listed (c, creator));
  g_test_message ("the session's objects are gone");

  /* The job was cancelled: the pipe ends (the daemon closed its end)
   * long before the 31298 sectors of the whole image. */
  drained = td_drain (p[0], 10000, &eof);
  close (p[0]);
  if (!eof)
    g_error ("the daemon still holds the job's output 10 s after its owner went");
  g_assert_cmpint (drained, <, (gint64) 31298 * 2448);
  g_test_message ("the job's output ended after %" G_GINT64_FORMAT " bytes", drained);

  assert_fds_return (f->daemon, before);
  td_daemon_assert_alive (f->daemon);
}

/* Close() frees the descriptors at once, too */
static void
test_close_frees (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint before = td_daemon_count_fds (f->daemon);
  g_autofree char *creator = td_create_session (c, NULL);

  add_ok (c, creator, "a.wav", NULL);
  add_ok (c, creator, "e5.wav", NULL);
  g_assert_cmpuint (td_daemon_count_fds (f->daemon), >=, before + 2);
  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "Close", NULL, G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);
  td_wait_object_gone (c, creator, RAWCD_IFACE_CREATOR);
  assert_fds_return (f->daemon, before);
}

/* Close() with a running job: the job is cancelled, its output closed */
static void
test_close_cancels_job (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  gboolean eof = FALSE;
  gint64 drained;
  guint before = td_daemon_count_fds (f->daemon);
  int p[2];

  add_ok (c, creator, "a.wav", NULL);
  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  job = td_create_result_image (c, creator, p[1], &error);
  g_assert_no_error (error);
  close (p[1]);
  td_spin (200);
  {
    g_autofree char *state = td_get_s (c, job, RAWCD_IFACE_JOB, "State");
    g_assert_cmpstr (state, ==, "running");
  }
  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "Close", NULL, G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);
  drained = td_drain (p[0], 10000, &eof);
  close (p[0]);
  if (!eof)
    g_error ("the daemon still holds the job's output 10 s after Close()");
  g_assert_cmpint (drained, <, (gint64) (22650 + 750 + 6750) * 2448);
  td_wait_object_gone (c, creator, RAWCD_IFACE_CREATOR);
  assert_fds_return (f->daemon, before);
}

static void
assert_denied_get (GDBusConnection *c, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = td_get (c, path, iface, prop, &error);

  td_assert_error (error, "AccessDenied");
}

static void
assert_denied_getall (GDBusConnection *c, const char *path, const char *iface)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = td_call (c, path, "org.freedesktop.DBus.Properties", "GetAll",
                                       g_variant_new ("(s)", iface), NULL, &error);

  td_assert_error (error, "AccessDenied");
}

static void
assert_denied_set (GDBusConnection *c, const char *path, const char *iface, const char *prop,
                   GVariant *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (td_set (c, path, iface, prop, value, &error));
  td_assert_error (error, "AccessDenied");
}

static void
assert_denied_call (GDBusConnection *c, const char *path, const char *iface,
                    const char *method, GVariant *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = td_call (c, path, iface, method, params, NULL, &error);

  td_assert_error (error, "AccessDenied");
}

/* A second connection of the same uid cannot touch a non-persistent
 * session: not its creator or tracks, methods and properties alike; nor
 * cancel its job (reading the job is test_job_readers'). */
static void
test_access_denied (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) other = td_connect (&error);
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *track = NULL;
  g_autofree char *job = NULL;
  g_autofree char *isrc = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  int out = td_memfd ("out");
  int fd = open (td_audio ("e5.wav"), O_RDONLY | O_CLOEXEC);

  g_assert_no_error (error);
  add_ok (c, creator, "a.wav", &track);

  reply = td_call_fd (other, creator, RAWCD_IFACE_CREATOR, "AddTrack",
                      g_variant_new ("(uh@a{sv})", 0, 0, g_variant_new ("a{sv}", NULL)),
                      NULL, fd, &error);
  td_assert_error (error, "AccessDenied");
  g_clear_error (&error);
  g_clear_pointer (&reply, g_variant_unref);
  reply = td_call_fd (other, creator, RAWCD_IFACE_CREATOR, "CreateResultImage",
                      g_variant_new ("(h@a{sv})", 0, g_variant_new ("a{sv}", NULL)),
                      NULL, out, &error);
  td_assert_error (error, "AccessDenied");
  g_clear_error (&error);
  close (fd);
  assert_denied_call (other, creator, RAWCD_IFACE_CREATOR, "Close", NULL);
  assert_denied_get (other, creator, RAWCD_IFACE_CREATOR, "Tracks");
  assert_denied_get (other, creator, RAWCD_IFACE_CREATOR, "ExpectedTableOfContents");
  assert_denied_getall (other, creator, RAWCD_IFACE_CREATOR);
  assert_denied_set (other, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber",
                     g_variant_new_string ("0012345678905"));
  assert_denied_call (other, track, RAWCD_IFACE_TRACK, "AddTrackIndex", g_variant_new ("(i)", 100));
  assert_denied_call (other, track, RAWCD_IFACE_TRACK, "ClearTrackIndex", g_variant_new ("(i)", 100));
  assert_denied_get (other, track, RAWCD_IFACE_TRACK, "ISRC");
  assert_denied_getall (other, track, RAWCD_IFACE_TRACK);
  assert_denied_set (other, track, RAWCD_IFACE_TRACK, "ISRC", g_variant_new_string ("USS1Z9900001"));

  /* Nothing changed */
  isrc = td_get_s (c, track, RAWCD_IFACE_TRACK, "ISRC");
  g_assert_cmpstr (isrc, ==, "");
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 1);
  g_assert_cmpint (td_fd_size (out), ==, 0);

  /* The job: the same user's notifier may read it, not cancel it */
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  assert_denied_call (other, job, RAWCD_IFACE_JOB, "Cancel", NULL);
  g_assert_true (td_job_watch_wait (watch, job, 120, NULL, NULL));
  {
    g_autofree char *state = td_get_s (c, job, RAWCD_IFACE_JOB, "State");
    g_assert_cmpstr (state, ==, "succeeded");
  }
  close (out);
  g_dbus_connection_close_sync (other, NULL, NULL);
}

/* A job of a non-persistent session can be followed by another connection
 * of the same uid (Get, GetAll, PropertiesChanged, Completed: a desktop
 * notifier), but Cancel stays its owner's; the session stays closed to it. */
static void
test_job_readers (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) other = td_connect (&error);
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  g_autoptr(TdJobWatch) notifier = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *state = NULL;
  g_autofree char *operation = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) all = NULL;
  g_autoptr(GVariant) uid = NULL;
  gboolean success = FALSE;
  gboolean eof = FALSE;
  int p[2];

  g_assert_no_error (error);
  notifier = td_job_watch_new (other);
  add_ok (c, creator, "a.wav", NULL);
  /* Nobody reads the pipe yet: the job cannot finish before the notifier
   * has looked at it. */
  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  job = td_create_result_image (c, creator, p[1], &error);
  g_assert_no_error (error);
  close (p[1]);

  state = td_get_s (other, job, RAWCD_IFACE_JOB, "State");
  g_assert_true (g_str_equal (state, "queued") || g_str_equal (state, "running"));
  reply = td_call (other, job, "org.freedesktop.DBus.Properties", "GetAll",
                   g_variant_new ("(s)", RAWCD_IFACE_JOB), G_VARIANT_TYPE ("(a{sv})"), &error);
  g_assert_no_error (error);
  all = g_variant_get_child_value (reply, 0);
  g_assert_true (g_variant_lookup (all, "Operation", "s", &operation));
  g_assert_cmpstr (operation, ==, "rawcd-create-image");
  uid = g_variant_lookup_value (all, "StartedByUID", G_VARIANT_TYPE_UINT32);
  g_assert_nonnull (uid);
  g_assert_cmpuint (g_variant_get_uint32 (uid), ==, getuid ());

  /* Not its to stop (a Job has no writable property) */
  assert_denied_call (other, job, RAWCD_IFACE_JOB, "Cancel", NULL);
  g_clear_pointer (&state, g_free);
  state = td_get_s (c, job, RAWCD_IFACE_JOB, "State");
  g_assert_cmpstr (state, !=, "cancelled");
  /* and the session stays its owner's */
  assert_denied_get (other, creator, RAWCD_IFACE_CREATOR, "Tracks");

  td_drain (p[0], 10000, &eof);
  close (p[0]);
  g_assert_true (eof);
  g_assert_true (td_job_watch_wait (watch, job, 120, &success, NULL));
  g_assert_true (success);
  /* The notifier hears the end too */
  g_assert_true (td_job_watch_wait (notifier, job, 30, &success, NULL));
  g_assert_true (success);
  g_clear_pointer (&state, g_free);
  state = td_get_s (other, job, RAWCD_IFACE_JOB, "State");
  g_assert_cmpstr (state, ==, "succeeded");
  g_dbus_connection_close_sync (other, NULL, NULL);
}

/* persist: survives its creator, reachable from another connection of the
 * same uid, ends with Close(). */
static void
test_persist (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) other = td_connect (&error);
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *creator = NULL;
  g_autofree char *track = NULL;
  g_autofree char *isrc = NULL;
  g_autofree char *job = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  gboolean success = FALSE;
  guint before = td_daemon_count_fds (f->daemon);
  int out = td_memfd ("out");
  const TdDiscSpec spec = {
    .n_tracks = 2,
    .tracks = { { .audio = "a.wav", .isrc = "USS1Z9900001", .copy = -1, .preemphasis = -1 },
                TD_TRACK ("e5.wav") },
  };

  g_assert_no_error (error);
  creator = td_create_session (other, persist_options ());
  add_ok (other, creator, "a.wav", &track);
  td_set_ok (other, track, RAWCD_IFACE_TRACK, "ISRC", g_variant_new_string ("USS1Z9900001"));
  /* Even while its creator is connected, the uid's other connections may
   * use it */
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 1);

  g_dbus_connection_close_sync (other, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&other);
  td_spin (500);

  /* Still there for the same uid: go on building it from here */
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 1);
  isrc = td_get_s (c, track, RAWCD_IFACE_TRACK, "ISRC");
  g_assert_cmpstr (isrc, ==, "US-S1Z-99-00001");
  add_ok (c, creator, "e5.wav", NULL);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  g_assert_true (td_job_watch_wait (watch, job, 120, &success, NULL));
  g_assert_true (success);
  {
    int ref = td_spec_reference (&spec, &error);
    g_assert_no_error (error);
    td_assert_fds_equal (out, ref, 2448);
    close (ref);
  }
  close (out);

  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "Close", NULL, G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);
  td_wait_object_gone (c, creator, RAWCD_IFACE_CREATOR);
  td_wait_object_gone (c, track, RAWCD_IFACE_TRACK);
  assert_fds_return (f->daemon, before);
}

static const char *const persist_2s[] = { "--persist-timeout", "2", NULL };

/* A persistent session nobody uses is freed after --persist-timeout */
static void
test_persist_timeout (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) other = td_connect (&error);
  g_autofree char *creator = NULL;
  guint before = td_daemon_count_fds (f->daemon);
  gint64 last_use;

  g_assert_no_error (error);
  creator = td_create_session (other, persist_options ());
  /* The AddTrack is the session's last use: it reaches the daemon after
   * this instant. */
  last_use = g_get_monotonic_time ();
  add_ok (other, creator, "a.wav", NULL);
  g_dbus_connection_close_sync (other, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (creator_listed (c, creator));

  /* Watch the parent node, so as not to touch the session while waiting */
  {
    ListedData listed = { c, creator };
    if (!td_wait_until (NULL, creator_unlisted_poll, &listed, 20000 * td_slowdown ()))
      g_error ("the persistent session is still there %u s after its last use",
               20 * td_slowdown ());
  }
  td_wait_object_gone (c, creator, RAWCD_IFACE_CREATOR);
  /* not before the timeout (50 ms of slack between the clocks' reads) */
  g_assert_cmpint (g_get_monotonic_time () - last_use, >=, 2 * G_USEC_PER_SEC - 50000);
  assert_fds_return (f->daemon, before);
}

static const char *const idle_2s[] = { "--idle-timeout", "2", NULL };

static gboolean
no_owner (gpointer data)
{
  GDBusConnection *c = data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (c, "org.freedesktop.DBus",
                                                           "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "NameHasOwner",
                                                           g_variant_new ("(s)", RAWCD_BUS_NAME),
                                                           G_VARIANT_TYPE ("(b)"),
                                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  gboolean has = TRUE;

  g_variant_get (reply, "(b)", &has);
  if (has)
    td_spin (50);
  return !has;
}

/* --idle-timeout: the daemon stays while a session exists and exits (with
 * status 0, checked at teardown) once none is left. */
static void
test_idle_exit (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *creator = td_create_session (c, NULL);

  td_spin (3000);
  td_daemon_assert_alive (f->daemon);
  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "Close", NULL, G_VARIANT_TYPE ("()"), &error);
  g_assert_no_error (error);
  g_assert_true (td_wait_until (NULL, no_owner, c, 20000 * td_slowdown ()));
  /* and the process ends by itself (teardown checks its status is 0) */
  if (!td_daemon_wait_exit (f->daemon, 20000))
    g_error ("the daemon released its name but did not exit");
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/sessions/owner-disconnect", test_owner_disconnect);
  td_add ("/daemon/sessions/close-frees", test_close_frees);
  td_add ("/daemon/sessions/close-cancels-job", test_close_cancels_job);
  td_add ("/daemon/sessions/access-denied", test_access_denied);
  td_add ("/daemon/sessions/job-readers", test_job_readers);
  td_add ("/daemon/sessions/persist", test_persist);
  td_add_args ("/daemon/sessions/persist-timeout", persist_2s, test_persist_timeout);
  td_add_args ("/daemon/sessions/idle-exit", idle_2s, test_idle_exit);
  return td_run ();
}
