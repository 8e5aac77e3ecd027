/* td.c: the harness of the daemon's integration tests (see td.h). */
#define _GNU_SOURCE
#include "td.h"

#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static GTestDBus *test_bus;
static char *tmpdir;

/* ---- program ---------------------------------------------------------- */

void
td_init (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);
  /* Writing into a pipe whose reader (the daemon) went away must give
   * EPIPE, not kill the test. */
  signal (SIGPIPE, SIG_IGN);

  tmpdir = g_dir_make_tmp ("rawcd-itest-XXXXXX", &error);
  g_assert_no_error (error);

  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      unlink (path);
    }
  rmdir (dir);
}

int
td_run (void)
{
  int ret = g_test_run ();

  g_test_dbus_down (test_bus);
  g_clear_object (&test_bus);
  remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
  return ret;
}

gboolean
td_wrapped (void)
{
  const char *w = g_getenv ("RAWCD_DAEMON_WRAPPER");
  return w != NULL && *w != '\0';
}

guint
td_slowdown (void)
{
  return td_wrapped () ? 20 : 1;
}

const char *
td_tmpdir (void)
{
  return tmpdir;
}

int
td_call_timeout_ms (void)
{
  return 60000 * (int) td_slowdown ();
}

/* ---- main-context helpers ------------------------------------------------ */

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
td_wait_until (GMainContext *context, gboolean (*func) (gpointer), gpointer data,
               guint timeout_ms)
{
  g_autoptr(GMainContext) ctx = context ? g_main_context_ref (context)
                                        : g_main_context_ref_thread_default ();
  gboolean timed_out = FALSE;
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  /* Wakes the loop now and then, so that a condition that is polled
   * (rather than changed by a callback) is checked again. */
  g_autoptr(GSource) tick = g_timeout_source_new (10);

  g_source_set_callback (timeout, set_flag_cb, &timed_out, NULL);
  g_source_attach (timeout, ctx);
  g_source_set_callback (tick, tick_cb, NULL, NULL);
  g_source_attach (tick, ctx);
  while (!func (data) && !timed_out)
    g_main_context_iteration (ctx, TRUE);
  g_source_destroy (tick);
  g_source_destroy (timeout);
  return func (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
td_spin (guint ms)
{
  td_wait_until (NULL, never, NULL, ms);
}

/* ---- the daemon ------------------------------------------------------- */

struct _TdDaemon {
  GSubprocess     *proc;
  GPid             pid;
  GDBusConnection *conn;      /* the harness's own, for Ping */
  gboolean         appeared;
  gboolean         exited;
};

static void
daemon_exited_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  TdDaemon *daemon = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  daemon->exited = TRUE;
}

static void
name_appeared_cb (GDBusConnection *conn, const char *name, const char *owner, gpointer data)
{
  ((TdDaemon *) data)->appeared = TRUE;
}

static gboolean
daemon_appeared_or_exited (gpointer data)
{
  TdDaemon *daemon = data;
  return daemon->appeared || daemon->exited;
}

static gboolean
daemon_exited (gpointer data)
{
  return ((TdDaemon *) data)->exited;
}

static void
child_setup (gpointer data)
{
  /* The daemon dies with the test program, whatever happens to it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

GDBusConnection *
td_connect (GError **error)
{
  return g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (test_bus),
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                 NULL, NULL, error);
}

TdDaemon *
td_daemon_start (const char *const *extra_args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) wrapper = NULL;
  g_autofree char *cmdline = NULL;
  const char *exe = g_getenv ("RAWCDD") ? g_getenv ("RAWCDD") : TD_RAWCDD;
  TdDaemon *daemon = g_new0 (TdDaemon, 1);
  guint watch;

  if (td_wrapped ())
    {
      g_shell_parse_argv (g_getenv ("RAWCD_DAEMON_WRAPPER"), NULL, &wrapper, &error);
      g_assert_no_error (error);
      for (guint i = 0; wrapper[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (wrapper[i]));
    }
  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--session"));
  g_ptr_array_add (argv, g_strdup ("--idle-timeout"));
  g_ptr_array_add (argv, g_strdup ("0"));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  cmdline = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("starting %s", cmdline);

  daemon->conn = td_connect (&error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  /* The daemon's stdout would corrupt our TAP stream: send it to stderr. */
  g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  daemon->proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  daemon->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (daemon->proc), NULL, 10);
  g_subprocess_wait_async (daemon->proc, NULL, daemon_exited_cb, daemon);

  watch = g_bus_watch_name_on_connection (daemon->conn, TD_BUS_NAME,
                                          G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          name_appeared_cb, NULL, daemon, NULL);
  td_wait_until (NULL, daemon_appeared_or_exited, daemon, 30000 * td_slowdown ());
  g_bus_unwatch_name (watch);
  if (daemon->exited)
    g_error ("the daemon exited before owning %s (status %d)", TD_BUS_NAME,
             g_subprocess_get_status (daemon->proc));
  if (!daemon->appeared)
    g_error ("the daemon did not own %s within %u s", TD_BUS_NAME, 30 * td_slowdown ());
  return daemon;
}

GPid
td_daemon_pid (TdDaemon *daemon)
{
  return daemon->pid;
}

void
td_daemon_assert_alive (TdDaemon *daemon)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_assert_false (daemon->exited);
  reply = g_dbus_connection_call_sync (daemon->conn, TD_BUS_NAME, TD_MANAGER_PATH,
                                       "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, td_call_timeout_ms (), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (daemon->exited);
}

guint
td_daemon_count_fds (TdDaemon *daemon)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%d/fd", (int) daemon->pid);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  guint n = 0;
  const char *name;

  g_assert_no_error (error);
  /* Valgrind keeps descriptors of its own at the top of the range (some
   * opened and closed as it goes): count the daemon's, below 1024. */
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_ascii_strtoull (name, NULL, 10) < 1024)
      n++;
  return n;
}

static void
td_daemon_free (TdDaemon *daemon)
{
  g_clear_object (&daemon->proc);
  if (daemon->conn != NULL)
    g_dbus_connection_close_sync (daemon->conn, NULL, NULL);
  g_clear_object (&daemon->conn);
  g_free (daemon);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdDaemon, td_daemon_free)

void
td_daemon_stop (TdDaemon *daemon)
{
  g_autoptr(TdDaemon) owned = daemon;

  gint64 t0 = g_get_monotonic_time ();

  if (!daemon->exited)
    g_subprocess_send_signal (daemon->proc, SIGTERM);
  if (!td_wait_until (NULL, daemon_exited, daemon, 60000 * td_slowdown ()))
    {
      g_subprocess_force_exit (daemon->proc);
      td_wait_until (NULL, daemon_exited, daemon, 10000);
      g_error ("the daemon did not exit within %u s of SIGTERM", 60 * td_slowdown ());
    }
  g_test_message ("the daemon exited %.1f s after SIGTERM",
                  (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC);
  if (g_subprocess_get_if_signaled (daemon->proc))
    g_error ("the daemon was killed by signal %d (%s)",
             g_subprocess_get_term_sig (daemon->proc),
             g_strsignal (g_subprocess_get_term_sig (daemon->proc)));
  g_assert_true (g_subprocess_get_if_exited (daemon->proc));
  if (g_subprocess_get_exit_status (daemon->proc) == 99 && td_wrapped ())
    g_error ("valgrind found errors in the daemon (exit status 99): see the log");
  g_assert_cmpint (g_subprocess_get_exit_status (daemon->proc), ==, 0);
}


void
td_fixture_setup (TdFixture *fixture, gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->daemon = td_daemon_start (user_data);
  fixture->conn = td_connect (&error);
  g_assert_no_error (error);
}

void
td_fixture_teardown (TdFixture *fixture, gconstpointer user_data)
{
  g_dbus_connection_close_sync (fixture->conn, NULL, NULL);
  g_clear_object (&fixture->conn);
  td_daemon_stop (g_steal_pointer (&fixture->daemon));
}

/* ---- calls ------------------------------------------------------------ */

GVariant *
td_call_fd (GDBusConnection    *conn,
            const char         *path,
            const char         *iface,
            const char         *method,
            GVariant           *params,
            const GVariantType *reply_type,
            int                 fd,
            GError            **error)
{
  g_autoptr(GUnixFDList) fds = NULL;

  if (fd >= 0)
    {
      fds = g_unix_fd_list_new ();
      if (g_unix_fd_list_append (fds, fd, error) < 0)
        {
          if (params != NULL)
            g_variant_unref (g_variant_ref_sink (params));
          return NULL;
        }
    }
  return g_dbus_connection_call_with_unix_fd_list_sync (conn, TD_BUS_NAME, path, iface, method,
                                                        params, reply_type,
                                                        G_DBUS_CALL_FLAGS_NONE,
                                                        td_call_timeout_ms (),
                                                        fds, NULL, NULL, error);
}

GVariant *
td_get (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
        GError **error)
{
  g_autoptr(GVariant) reply = td_call (conn, path, "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", iface, prop),
                                       G_VARIANT_TYPE ("(v)"), error);
  GVariant *value = NULL;

  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(v)", &value);
  return value;
}

gboolean
td_set (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
        GVariant *value, GError **error)
{
  g_autoptr(GVariant) reply = td_call (conn, path, "org.freedesktop.DBus.Properties", "Set",
                                       g_variant_new ("(ssv)", iface, prop, value),
                                       NULL, error);
  return reply != NULL;
}

static GVariant *
get_typed (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
           const char *type)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = td_get (conn, path, iface, prop, &error);

  if (error != NULL)
    g_error ("Get %s.%s on %s: %s", iface, prop, path, error->message);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
    g_error ("%s.%s is of type %s, the contract says %s", iface, prop,
             g_variant_get_type_string (value), type);
  return value;
}

gint32
td_get_i (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "i");
  return g_variant_get_int32 (v);
}

guint32
td_get_u (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "u");
  return g_variant_get_uint32 (v);
}

guint64
td_get_t (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "t");
  return g_variant_get_uint64 (v);
}

gboolean
td_get_b (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "b");
  return g_variant_get_boolean (v);
}

gdouble
td_get_d (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "d");
  return g_variant_get_double (v);
}

char *
td_get_s (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "s");
  return g_variant_dup_string (v, NULL);
}

GStrv
td_get_ao (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "ao");
  return g_variant_dup_objv (v, NULL);
}

GArray *
td_get_ai (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "ai");
  gsize n = 0;
  const gint32 *items = g_variant_get_fixed_array (v, &n, sizeof (gint32));
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (gint32), n);

  g_array_append_vals (array, items, n);
  return array;
}

GBytes *
td_get_ay (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "ay");
  return g_variant_get_data_as_bytes (v);
}

void
td_set_ok (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
           GVariant *value)
{
  g_autoptr(GError) error = NULL;

  td_set (conn, path, iface, prop, value, &error);
  if (error != NULL)
    g_error ("Set %s.%s on %s: %s", iface, prop, path, error->message);
}

char *
td_error_name (const GError *error)
{
  if (error == NULL || !g_dbus_error_is_remote_error (error))
    return NULL;
  return g_dbus_error_get_remote_error (error);
}

void
td_assert_error_impl (const char *file, int line, const char *func,
                      const GError *error, const char *name)
{
  g_autofree char *expected = strchr (name, '.') ? g_strdup (name)
                                                 : g_strconcat (TD_ERROR_PREFIX, name, NULL);
  g_autofree char *remote = td_error_name (error);
  g_autofree char *msg = NULL;
  g_autoptr(GError) copy = NULL;

  if (error == NULL)
    msg = g_strdup_printf ("expected the error %s, the call succeeded", expected);
  else if (remote == NULL)
    msg = g_strdup_printf ("expected the error %s, got a local error: %s", expected,
                           error->message);
  else if (strcmp (remote, expected) != 0)
    msg = g_strdup_printf ("expected the error %s, got %s", expected, error->message);
  else
    {
      copy = g_error_copy (error);
      g_dbus_error_strip_remote_error (copy);
      if (g_strstrip (copy->message)[0] == '\0')
        msg = g_strdup_printf ("the error %s has an empty message", expected);
      else
        g_test_message ("%s: %s", expected, copy->message);
    }
  if (msg != NULL)
    g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

void
td_assert_no_object_impl (const char *file, int line, const char *func, const GError *error)
{
  static const char *const names[] = {
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownInterface",
    "org.freedesktop.DBus.Error.UnknownMethod",
    NULL,
  };
  g_autofree char *remote = td_error_name (error);
  g_autofree char *msg = NULL;

  if (error == NULL)
    msg = g_strdup ("expected an unknown-object error, the call succeeded");
  else if (remote == NULL || !g_strv_contains (names, remote))
    msg = g_strdup_printf ("expected an unknown-object error, got %s", error->message);
  if (msg != NULL)
    g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

char *
td_create_session (GDBusConnection *conn, GVariant *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  char *path = NULL;

  if (options == NULL)
    options = g_variant_new ("a{sv}", NULL);
  reply = td_call (conn, TD_MANAGER_PATH, TD_IFACE_MANAGER, "CreateImageCreator",
                   g_variant_new ("(@a{sv})", options), G_VARIANT_TYPE ("(o)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(o)", &path);
  g_assert_true (g_regex_match_simple ("^/org/rawcd/RawCD1/ImageCreator/[0-9]+$", path, 0, 0));
  return path;
}

gint
td_add_track (GDBusConnection *conn, const char *creator, const char *path,
              GVariant *options, char **track_path, GError **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *track = NULL;
  g_autofree char *pattern = NULL;
  gint32 index = 0;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  if (options == NULL)
    options = g_variant_new ("a{sv}", NULL);
  reply = td_call_fd (conn, creator, TD_IFACE_CREATOR, "AddTrack",
                      g_variant_new ("(uh@a{sv})", 0, 0, options),
                      G_VARIANT_TYPE ("(io)"), fd, error);
  close (fd);
  if (reply == NULL)
    return 0;
  g_variant_get (reply, "(io)", &index, &track);
  g_assert_cmpint (index, >=, 1);
  pattern = g_strdup_printf ("^%s/Track/%d$", creator, index);
  if (!g_regex_match_simple (pattern, track, 0, 0))
    g_error ("AddTrack returned track %d as %s", index, track);
  if (track_path != NULL)
    *track_path = g_steal_pointer (&track);
  return index;
}

typedef struct {
  GDBusConnection *conn;
  const char      *path;
  const char      *iface;
  GError          *error;
} GoneData;

static gboolean
object_gone (gpointer data)
{
  GoneData *gone = data;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *name = NULL;

  g_clear_error (&gone->error);
  reply = td_call (gone->conn, gone->path, "org.freedesktop.DBus.Properties", "GetAll",
                   g_variant_new ("(s)", gone->iface), NULL, &gone->error);
  name = td_error_name (gone->error);
  return name != NULL && g_str_has_prefix (name, "org.freedesktop.DBus.Error.Unknown");
}

static gboolean
object_gone_poll (gpointer data)
{
  if (object_gone (data))
    return TRUE;
  td_spin (20);
  return FALSE;
}

void
td_wait_object_gone (GDBusConnection *conn, const char *path, const char *iface)
{
  GoneData gone = { conn, path, iface, NULL };

  td_wait_until (NULL, object_gone_poll, &gone, 10000 * td_slowdown ());
  if (gone.error == NULL)
    g_error ("%s still answers GetAll(%s)", path, iface);
  td_assert_no_object (gone.error);
  g_clear_error (&gone.error);
}

/* ---- jobs ------------------------------------------------------------- */

typedef struct {
  guint    count;
  gboolean success;
  char    *message;
} Completion;

struct _TdJobWatch {
  GDBusConnection *conn;
  GMainContext    *context;
  guint            subscription;
  GHashTable      *completions;   /* path -> Completion */
};

static void
completion_free (gpointer data)
{
  Completion *c = data;
  g_free (c->message);
  g_free (c);
}

static void
completed_cb (GDBusConnection *conn, const char *sender, const char *path,
              const char *iface, const char *signal, GVariant *params, gpointer data)
{
  TdJobWatch *watch = data;
  Completion *c;

  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(bs)")))
    g_error ("Completed on %s has the signature %s, the contract says (bs)", path,
             g_variant_get_type_string (params));
  c = g_hash_table_lookup (watch->completions, path);
  if (c == NULL)
    {
      c = g_new0 (Completion, 1);
      g_hash_table_insert (watch->completions, g_strdup (path), c);
    }
  c->count++;
  g_free (c->message);
  g_variant_get (params, "(bs)", &c->success, &c->message);
}

TdJobWatch *
td_job_watch_new (GDBusConnection *conn)
{
  TdJobWatch *watch = g_new0 (TdJobWatch, 1);

  watch->conn = g_object_ref (conn);
  watch->context = g_main_context_ref_thread_default ();
  watch->completions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, completion_free);
  watch->subscription = g_dbus_connection_signal_subscribe (conn, NULL, TD_IFACE_JOB,
                                                            "Completed", NULL, NULL,
                                                            G_DBUS_SIGNAL_FLAGS_NONE,
                                                            completed_cb, watch, NULL);
  /* The AddMatch goes out before any later call of ours on this
   * connection, so the bus has it before the daemon can emit. */
  return watch;
}

void
td_job_watch_free (TdJobWatch *watch)
{
  g_dbus_connection_signal_unsubscribe (watch->conn, watch->subscription);
  g_hash_table_unref (watch->completions);
  g_main_context_unref (watch->context);
  g_object_unref (watch->conn);
  g_free (watch);
}

typedef struct {
  TdJobWatch *watch;
  const char *job;
} WaitData;

static gboolean
job_completed (gpointer data)
{
  WaitData *w = data;
  return g_hash_table_contains (w->watch->completions, w->job);
}

gboolean
td_job_watch_wait (TdJobWatch *watch, const char *job, guint timeout_s,
                   gboolean *success, char **message)
{
  WaitData w = { watch, job };
  Completion *c;

  if (!td_wait_until (watch->context, job_completed, &w, timeout_s * 1000 * td_slowdown ()))
    return FALSE;
  c = g_hash_table_lookup (watch->completions, job);
  if (success != NULL)
    *success = c->success;
  if (message != NULL)
    *message = g_strdup (c->message);
  return TRUE;
}

guint
td_job_watch_count (TdJobWatch *watch, const char *job)
{
  Completion *c = g_hash_table_lookup (watch->completions, job);
  return c ? c->count : 0;
}

char *
td_create_result_image (GDBusConnection *conn, const char *creator, int out_fd,
                        GError **error)
{
  g_autoptr(GVariant) reply = td_call_fd (conn, creator, TD_IFACE_CREATOR, "CreateResultImage",
                                          g_variant_new ("(h@a{sv})", 0,
                                                         g_variant_new ("a{sv}", NULL)),
                                          G_VARIANT_TYPE ("(o)"), out_fd, error);
  char *job = NULL;

  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(o)", &job);
  if (!g_regex_match_simple ("^/org/rawcd/RawCD1/Job/[0-9]+$", job, 0, 0))
    g_error ("CreateResultImage returned the job %s", job);
  return job;
}

/* ---- audio fixtures ---------------------------------------------------- */

/* recursive: a fixture may be made from another (a.raw from a.wav) */
static GRecMutex audio_lock;

static void
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (tmpdir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

static void
sox_synth (const char *name, const char *rate, const char *channels, const char *seconds,
           const char *f1, const char *f2)
{
  const char *argv[] = { "sox", "-D", "-n", "-r", rate, "-c", channels, "-b", "16", name,
                         "synth", seconds, "sine", f1, "sine", f2, "vol", "0.5", NULL };
  run (argv);
}

static void
copy_part (const char *src, const char *dst, gsize keep)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *in = g_build_filename (tmpdir, src, NULL);
  g_autofree char *out = g_build_filename (tmpdir, dst, NULL);
  gsize len = 0;

  g_file_get_contents (in, &data, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (out, data, MIN (keep, len), &error);
  g_assert_no_error (error);
}

static void
make_audio (const char *name)
{
  if (g_str_equal (name, "a.wav"))
    sox_synth (name, "44100", "2", "10", "440", "554");
  else if (g_str_equal (name, "b.flac"))
    {
      const char *flac[] = { "flac", "-s", "-f", "-o", "b.flac", "b-src.wav", NULL };
      sox_synth ("b-src.wav", "44100", "2", "8", "660", "330");
      run (flac);
    }
  else if (g_str_equal (name, "c.wav"))
    sox_synth (name, "44100", "2", "7.3", "880", "990");
  else if (g_str_equal (name, "e5.wav"))
    sox_synth (name, "44100", "2", "5", "330", "392");
  else if (g_str_equal (name, "d20.wav"))
    sox_synth (name, "44100", "2", "20", "550", "587");
  else if (g_str_equal (name, "tiny.wav"))
    sox_synth (name, "44100", "2", "1", "220", "247");
  else if (g_str_equal (name, "empty.bin"))
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    }
  else if (g_str_equal (name, "short.wav"))
    sox_synth (name, "44100", "2", "3", "220", "247");
  else if (g_str_equal (name, "mono.wav"))
    sox_synth (name, "44100", "1", "5", "500", "500");
  else if (g_str_equal (name, "48k.wav"))
    sox_synth (name, "48000", "2", "5", "440", "554");
  else if (g_str_equal (name, "big.wav"))
    sox_synth (name, "44100", "2", "300", "440", "660");
  else if (g_str_equal (name, "a.raw"))
    {
      const char *argv[] = { "sox", "a.wav", "-t", "raw", "-e", "signed-integer", "-b", "16",
                             "-L", "a.raw", NULL };
      td_audio ("a.wav");
      run (argv);
    }
  else if (g_str_equal (name, "text.txt"))
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      for (guint i = 0; i < 2000; i++)
        g_string_append (text, "This is not audio at all, just some text.\n");
      g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
    }
  else if (g_str_equal (name, "trunc.wav"))
    {
      td_audio ("a.wav");
      copy_part ("a.wav", name, 44 + 441000 * 4 / 2);
    }
  else if (g_str_equal (name, "corrupt.flac"))
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      guint32 x = 12345;

      td_audio ("b.flac");
      copy_part ("b.flac", name, G_MAXSIZE);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      /* Garbage over the middle third of the frames: STREAMINFO (and so
       * the declared length) stays intact. */
      for (gsize i = len / 3; i < 2 * len / 3; i++)
        {
          x = x * 1103515245u + 12345u;
          data[i] = (char) (x >> 16);
        }
      g_assert_true (g_file_set_contents (path, data, len, NULL));
    }
  else
    g_error ("no audio fixture named %s", name);
}

const char *
td_audio (const char *name)
{
  static GHashTable *made;
  const char *path;

  g_rec_mutex_lock (&audio_lock);
  if (made == NULL)
    made = g_hash_table_new (g_str_hash, g_str_equal);
  path = g_hash_table_lookup (made, name);
  if (path == NULL)
    {
      make_audio (name);
      path = g_build_filename (tmpdir, name, NULL);
      g_hash_table_insert (made, g_strdup (name), (gpointer) path);
    }
  g_rec_mutex_unlock (&audio_lock);
  return path;
}

/* ---- discs ------------------------------------------------------------ */

static gboolean
set_or_fail (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
             GVariant *value, GError **error)
{
  if (!td_set (conn, path, iface, prop, value, error))
    {
      g_prefix_error (error, "Set %s: ", prop);
      return FALSE;
    }
  return TRUE;
}

char *
td_spec_create (GDBusConnection *conn, const TdDiscSpec *spec, GError **error)
{
  g_autofree char *creator = NULL;
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GVariant) reply = NULL;

  reply = td_call (conn, TD_MANAGER_PATH, TD_IFACE_MANAGER, "CreateImageCreator",
                   g_variant_new ("(@a{sv})", g_variant_new ("a{sv}", NULL)),
                   G_VARIANT_TYPE ("(o)"), error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(o)", &creator);

  if (spec->image_type != 0 &&
      !set_or_fail (conn, creator, TD_IFACE_CREATOR, "ResultingImageType",
                    g_variant_new_uint32 (spec->image_type), error))
    return NULL;
  if (spec->leadout_limit != 0 &&
      !set_or_fail (conn, creator, TD_IFACE_CREATOR, "StartOfLeadoutLimit",
                    g_variant_new_int32 (spec->leadout_limit), error))
    return NULL;
  if (spec->disable_gapless &&
      !set_or_fail (conn, creator, TD_IFACE_CREATOR, "DisableGaplessAudio",
                    g_variant_new_boolean (TRUE), error))
    return NULL;
  if (spec->mcn != NULL &&
      !set_or_fail (conn, creator, TD_IFACE_CREATOR, "MediaCatalogNumber",
                    g_variant_new_string (spec->mcn), error))
    return NULL;
  if (spec->starting_track != 0 &&
      !set_or_fail (conn, creator, TD_IFACE_CREATOR, "StartingTrackNumber",
                    g_variant_new_int32 (spec->starting_track), error))
    return NULL;
  if (spec->special_pregap != NULL)
    {
      g_autoptr(GVariant) r = NULL;
      int fd = open (td_audio (spec->special_pregap), O_RDONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      r = td_call_fd (conn, creator, TD_IFACE_CREATOR, "AddSpecialPregap",
                      g_variant_new ("(h@a{sv})", 0, g_variant_new ("a{sv}", NULL)),
                      NULL, fd, error);
      close (fd);
      if (r == NULL)
        return NULL;
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    {
      const TdTrackSpec *t = &spec->tracks[i];
      g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);
      char *track = NULL;

      if (t->raw)
        g_variant_dict_insert (options, "format", "s", "raw");
      if (td_add_track (conn, creator, td_audio (t->audio), g_variant_dict_end (options),
                        &track, error) != (gint) i + 1)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "track %u got another index", i + 1);
          return NULL;
        }
      g_ptr_array_add (tracks, track);
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    {
      const TdTrackSpec *t = &spec->tracks[i];
      const char *track = tracks->pdata[i];

      if (t->isrc != NULL &&
          !set_or_fail (conn, track, TD_IFACE_TRACK, "ISRC", g_variant_new_string (t->isrc), error))
        return NULL;
      if (t->copy >= 0 &&
          !set_or_fail (conn, track, TD_IFACE_TRACK, "DigitalAudioCopySetting",
                        g_variant_new_uint32 (t->copy), error))
        return NULL;
      if (t->preemphasis >= 0 &&
          !set_or_fail (conn, track, TD_IFACE_TRACK, "AudioHasPreemphasis",
                        g_variant_new_boolean (t->preemphasis), error))
        return NULL;
      for (guint k = 0; k < t->n_indexes; k++)
        {
          g_autoptr(GVariant) r = td_call (conn, track, TD_IFACE_TRACK, "AddTrackIndex",
                                           g_variant_new ("(i)", t->indexes[k]),
                                           G_VARIANT_TYPE ("(b)"), error);
          if (r == NULL)
            return NULL;
        }
    }
  return g_steal_pointer (&creator);
}

static RcAudioSource *
open_source (const char *name, gboolean raw, GError **error)
{
  int fd = open (td_audio (name), O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  return rc_audio_source_new_from_fd (fd, raw ? RC_AUDIO_FORMAT_RAW : RC_AUDIO_FORMAT_AUTO,
                                      NULL, error);
}

static RcDisc *
spec_disc (const TdDiscSpec *spec, GError **error)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();

  if (spec->image_type != 0 && !rc_disc_set_image_type (disc, spec->image_type, error))
    return NULL;
  if (spec->leadout_limit != 0 &&
      !rc_disc_set_start_of_leadout_limit (disc, spec->leadout_limit, error))
    return NULL;
  if (spec->disable_gapless && !rc_disc_set_disable_gapless_audio (disc, TRUE, error))
    return NULL;
  if (spec->mcn != NULL && !rc_disc_set_media_catalog_number (disc, spec->mcn, error))
    return NULL;
  if (spec->starting_track != 0 &&
      !rc_disc_set_starting_track_number (disc, spec->starting_track, error))
    return NULL;
  if (spec->special_pregap != NULL)
    {
      g_autoptr(RcAudioSource) source = open_source (spec->special_pregap, FALSE, error);
      if (source == NULL || !rc_disc_set_special_pregap (disc, source, error))
        return NULL;
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    {
      g_autoptr(RcAudioSource) source = open_source (spec->tracks[i].audio,
                                                     spec->tracks[i].raw, error);
      if (source == NULL || rc_disc_add_track (disc, source, error) != i + 1)
        return NULL;
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    {
      const TdTrackSpec *t = &spec->tracks[i];

      if (t->isrc != NULL && !rc_disc_track_set_isrc (disc, i + 1, t->isrc, error))
        return NULL;
      if (t->copy >= 0 && !rc_disc_track_set_copy_setting (disc, i + 1, t->copy, error))
        return NULL;
      if (t->preemphasis >= 0 && !rc_disc_track_set_preemphasis (disc, i + 1, t->preemphasis, error))
        return NULL;
      for (guint k = 0; k < t->n_indexes; k++)
        {
          gboolean existed = FALSE;
          if (!rc_disc_track_add_index (disc, i + 1, t->indexes[k], &existed, error))
            return NULL;
        }
    }
  return g_steal_pointer (&disc);
}

int
td_memfd (const char *name)
{
  int fd = memfd_create (name, MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  return fd;
}

int
td_spec_reference (const TdDiscSpec *spec, GError **error)
{
  g_autoptr(RcDisc) disc = spec_disc (spec, error);
  g_autoptr(RcLayout) layout = NULL;
  int fd;

  if (disc == NULL)
    return -1;
  layout = rc_disc_freeze (disc, error);
  if (layout == NULL)
    return -1;
  fd = td_memfd ("reference");
  if (!rc_image_write (layout, rc_disc_get_image_type (disc), fd, NULL, NULL, NULL, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

gint
td_spec_reference_leadout (const TdDiscSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcDisc) disc = spec_disc (spec, &error);

  g_assert_no_error (error);
  return rc_disc_get_start_of_leadout (disc);
}

GBytes *
td_spec_reference_toc (const TdDiscSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcDisc) disc = spec_disc (spec, &error);

  g_assert_no_error (error);
  return rc_disc_get_expected_toc (disc);
}

/* ---- files ------------------------------------------------------------ */

gint64
td_drain (int fd, guint quiet_ms, gboolean *eof)
{
  char buf[65536];
  gint64 total = 0;

  *eof = FALSE;
  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      int r = poll (&pfd, 1, quiet_ms * td_slowdown ());
      gssize n;

      if (r < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (r, >=, 0);
      if (r == 0)
        return total;
      n = read (fd, buf, sizeof buf);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        {
          *eof = TRUE;
          return total;
        }
      total += n;
    }
}

gint64
td_fd_size (int fd)
{
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  return st.st_size;
}

gboolean
td_fds_equal (int a, int b, guint sector_bytes, GError **error)
{
  const gsize chunk = 1 << 20;
  g_autofree guint8 *buf_a = g_malloc (chunk);
  g_autofree guint8 *buf_b = g_malloc (chunk);
  gint64 size_a = td_fd_size (a);
  gint64 size_b = td_fd_size (b);

  if (size_a != size_b)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the images differ in size: %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                   " bytes", size_a, size_b);
      return FALSE;
    }
  for (gint64 off = 0; off < size_a; off += chunk)
    {
      gsize n = MIN ((gint64) chunk, size_a - off);

      if (pread (a, buf_a, n, off) != (gssize) n || pread (b, buf_b, n, off) != (gssize) n)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "short read at %" G_GINT64_FORMAT,
                       off);
          return FALSE;
        }
      if (memcmp (buf_a, buf_b, n) != 0)
        {
          gint64 at = off;
          for (gsize i = 0; i < n && buf_a[i] == buf_b[i]; i++)
            at++;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "the images differ first at byte %" G_GINT64_FORMAT
                       " (sector %" G_GINT64_FORMAT " = LBA %" G_GINT64_FORMAT
                       ", byte %" G_GINT64_FORMAT " of it): %02x vs %02x",
                       at, at / sector_bytes, at / sector_bytes - TD_LEADIN_SECTORS,
                       at % sector_bytes, buf_a[at - off], buf_b[at - off]);
          return FALSE;
        }
    }
  return TRUE;
}
