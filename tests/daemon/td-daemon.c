/* td-daemon.c: the daemon under test as a subprocess (see td.h). */
#define _GNU_SOURCE
#include "td.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

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

  watch = g_bus_watch_name_on_connection (daemon->conn, RAWCD_BUS_NAME,
                                          G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          name_appeared_cb, NULL, daemon, NULL);
  td_wait_until (NULL, daemon_appeared_or_exited, daemon, 30000 * td_slowdown ());
  g_bus_unwatch_name (watch);
  if (daemon->exited)
    g_error ("the daemon exited before owning %s (status %d)", RAWCD_BUS_NAME,
             g_subprocess_get_status (daemon->proc));
  if (!daemon->appeared)
    g_error ("the daemon did not own %s within %u s", RAWCD_BUS_NAME, 30 * td_slowdown ());
  return daemon;
}

gboolean
td_daemon_wait_exit (TdDaemon *daemon, guint timeout_ms)
{
  return td_wait_until (NULL, daemon_exited, daemon, timeout_ms * td_slowdown ());
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
  reply = g_dbus_connection_call_sync (daemon->conn, RAWCD_BUS_NAME, RAWCD_MANAGER_PATH,
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
  gboolean by_itself = daemon->exited;

  if (!by_itself)
    g_subprocess_send_signal (daemon->proc, SIGTERM);
  if (!td_wait_until (NULL, daemon_exited, daemon, 60000 * td_slowdown ()))
    {
      g_subprocess_force_exit (daemon->proc);
      td_wait_until (NULL, daemon_exited, daemon, 10000);
      g_error ("the daemon did not exit within %u s of SIGTERM", 60 * td_slowdown ());
    }
  if (by_itself)
    g_test_message ("the daemon had exited by itself");
  else
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
