/* rawcdctl-bus.c: connecting to the rawcd service, or starting a private
 * one for the duration of the command.
 *
 * The private service is a dbus-daemon (session configuration) and rawcdd
 * --address on it.  Both run in their own process group, so that a Ctrl-C
 * on the terminal reaches rawcdctl alone (which cancels its job and then
 * stops them in order), and with PR_SET_PDEATHSIG, so that they go away
 * with rawcdctl however it ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "rawcdctl.h"
#include "rawcdctl-bus.h"

/* How long the private dbus-daemon and rawcdd may take to start (generous:
 * rawcdd may run under valgrind through $RAWCDD). */
#define EMBEDDED_START_TIMEOUT_US  (30 * G_USEC_PER_SEC)
/* How long each may take to exit after SIGTERM before SIGKILL. */
#define EMBEDDED_STOP_TIMEOUT_US   (5 * G_USEC_PER_SEC)

struct _RcdCtlBus {
  GDBusConnection *connection;
  gboolean         close_on_free;   /* our own connection, not the shared one */
  char            *description;
  gboolean         embedded;
  char            *daemon_path;     /* the embedded rawcdd */
  GPid             bus_pid;         /* private dbus-daemon, 0 when none */
  GPid             daemon_pid;      /* private rawcdd, 0 when none */
};

/* ---- child processes ------------------------------------------------- */

static void
child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* rawcdctl died before prctl() took effect */
  if (getppid () != parent)
    raise (SIGTERM);
}

/* Starts argv with stdin and stdout on /dev/null, stderr shared unless
 * quiet (then only with G_MESSAGES_DEBUG set), and fd (if >= 0) as
 * descriptor target_fd of the child. */
static gboolean
spawn_helper (const char *const *argv, gboolean quiet, int fd, int target_fd,
              GPid *pid, GError **error)
{
  const int source_fds[1] = { fd };
  const int target_fds[1] = { target_fd };
  GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD |
                      G_SPAWN_STDIN_FROM_DEV_NULL |
                      G_SPAWN_STDOUT_TO_DEV_NULL;

  if (quiet && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    flags |= G_SPAWN_STDERR_TO_DEV_NULL;
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, flags,
                                         child_setup, GINT_TO_POINTER (getpid ()),
                                         -1, -1, -1,
                                         fd >= 0 ? source_fds : NULL,
                                         fd >= 0 ? target_fds : NULL,
                                         fd >= 0 ? 1 : 0,
                                         pid, NULL, NULL, NULL, error)) {
    g_prefix_error (error, "cannot start %s: ", argv[0]);
    return FALSE;
  }
  return TRUE;
}

/* Reaps *pid if it has exited; then clears *pid and returns TRUE with its
 * wait status. */
static gboolean
child_exited (GPid *pid, int *wait_status)
{
  pid_t r;

  do
    r = waitpid (*pid, wait_status, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == 0)
    return FALSE;
  if (r < 0)
    *wait_status = 0;   /* not our child any more */
  *pid = 0;
  return TRUE;
}

/* SIGTERM, then SIGKILL if it does not exit in time. */
static void
stop_child (GPid *pid)
{
  gint64 deadline;
  int status;

  if (*pid <= 0)
    return;
  kill (*pid, SIGTERM);
  deadline = g_get_monotonic_time () + EMBEDDED_STOP_TIMEOUT_US;
  while (!child_exited (pid, &status)) {
    if (g_get_monotonic_time () >= deadline) {
      kill (*pid, SIGKILL);
      while (waitpid (*pid, &status, 0) < 0 && errno == EINTR)
        ;
      *pid = 0;
      return;
    }
    g_usleep (10 * 1000);
  }
}

static void
set_exited_error (GError **error, const char *what, int wait_status)
{
  g_autoptr(GError) status_error = NULL;

  if (g_spawn_check_wait_status (wait_status, &status_error))
    g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s exited", what);
  else
    g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s: %s",
                 what, status_error->message);
}

/* ---- the private bus ------------------------------------------------- */

/* Reads the first line dbus-daemon prints on fd: its address. */
static char *
read_bus_address (int fd, GPid *bus_pid, GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + EMBEDDED_START_TIMEOUT_US;

  for (;;) {
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    gint64 remaining_ms = (deadline - g_get_monotonic_time ()) / 1000;
    const char *newline;
    char buf[512];
    ssize_t n;
    int r;

    if (remaining_ms <= 0) {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           "dbus-daemon did not print its address in time");
      return NULL;
    }
    r = poll (&pfd, 1, (int) remaining_ms);
    if (r < 0 && errno != EINTR) {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "waiting for dbus-daemon: %s", g_strerror (errno));
      return NULL;
    }
    if (r <= 0)
      continue;
    n = read (fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN)
        continue;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "reading the address of dbus-daemon: %s", g_strerror (errno));
      return NULL;
    }
    if (n == 0) {
      int status = 0;

      if (child_exited (bus_pid, &status))
        set_exited_error (error, "dbus-daemon", status);
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "dbus-daemon did not print its address");
      return NULL;
    }
    g_string_append_len (text, buf, n);
    newline = strchr (text->str, '\n');
    if (newline != NULL)
      return g_strndup (text->str, newline - text->str);
  }
}

static gboolean
start_private_bus (RcdCtlBus *bus, char **address, GError **error)
{
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  int fds[2];
  gboolean ok;

  if (dbus_daemon == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         "dbus-daemon is not installed");
    return FALSE;
  }
  if (!g_unix_open_pipe (fds, FD_CLOEXEC, error))
    return FALSE;

  {
    const char *argv[] = { dbus_daemon, "--session", "--nofork",
                           "--print-address=3", NULL };

    /* quiet: it complains about resource limits it cannot raise */
    ok = spawn_helper (argv, TRUE, fds[1], 3, &bus->bus_pid, error);
  }
  close (fds[1]);
  if (ok)
    *address = read_bus_address (fds[0], &bus->bus_pid, error);
  close (fds[0]);
  return ok && *address != NULL;
}

static gboolean
wait_for_service (RcdCtlBus *bus, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + EMBEDDED_START_TIMEOUT_US;

  for (;;) {
    g_autoptr(GVariant) reply = NULL;
    gboolean has_owner = FALSE;
    int status = 0;

    reply = g_dbus_connection_call_sync (bus->connection,
                                         "org.freedesktop.DBus",
                                         "/org/freedesktop/DBus",
                                         "org.freedesktop.DBus",
                                         "NameHasOwner",
                                         g_variant_new ("(s)", RAWCD_BUS_NAME),
                                         G_VARIANT_TYPE ("(b)"),
                                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
    if (reply == NULL)
      return FALSE;
    g_variant_get (reply, "(b)", &has_owner);
    if (has_owner)
      return TRUE;
    if (child_exited (&bus->daemon_pid, &status)) {
      set_exited_error (error, "rawcdd", status);
      return FALSE;
    }
    if (g_get_monotonic_time () >= deadline) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "rawcdd did not take the name %s in time", RAWCD_BUS_NAME);
      return FALSE;
    }
    g_usleep (20 * 1000);
  }
}

static gboolean
start_embedded (RcdCtlBus *bus, GError **error)
{
  g_autofree char *address = NULL;
  const char *rawcdd;

  bus->daemon_path = rcd_ctl_bus_find_rawcdd (error);
  if (bus->daemon_path == NULL)
    return FALSE;
  rawcdd = bus->daemon_path;
  if (!start_private_bus (bus, &address, error))
    return FALSE;

  {
    const char *argv[] = { rawcdd, "--address", address,
                           "--idle-timeout", "0", NULL };

    if (!spawn_helper (argv, FALSE, -1, -1, &bus->daemon_pid, error))
      return FALSE;
  }

  bus->connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, error);
  if (bus->connection == NULL)
    return FALSE;
  g_dbus_connection_set_exit_on_close (bus->connection, FALSE);
  bus->close_on_free = TRUE;
  bus->embedded = TRUE;
  g_free (bus->description);
  bus->description = g_strdup ("a private bus");
  return wait_for_service (bus, error);
}

/* ---- the bus asked for ----------------------------------------------- */

/* Errors of a call to the service that mean there is no service there, as
 * opposed to one that answers with an error. */
static gboolean
error_means_no_service (const GError *error)
{
  static const int no_service_codes[] = {
    G_DBUS_ERROR_SERVICE_UNKNOWN,
    G_DBUS_ERROR_NAME_HAS_NO_OWNER,
    G_DBUS_ERROR_SPAWN_EXEC_FAILED,
    G_DBUS_ERROR_SPAWN_FORK_FAILED,
    G_DBUS_ERROR_SPAWN_CHILD_EXITED,
    G_DBUS_ERROR_SPAWN_CHILD_SIGNALED,
    G_DBUS_ERROR_SPAWN_FAILED,
    G_DBUS_ERROR_SPAWN_SETUP_FAILED,
    G_DBUS_ERROR_SPAWN_CONFIG_INVALID,
    G_DBUS_ERROR_SPAWN_SERVICE_INVALID,
    G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND,
    G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID,
    G_DBUS_ERROR_SPAWN_FILE_INVALID,
    G_DBUS_ERROR_SPAWN_NO_MEMORY,
  };
  g_autofree char *remote = NULL;

  if (error->domain == G_DBUS_ERROR) {
    for (gsize i = 0; i < G_N_ELEMENTS (no_service_codes); i++) {
      if (error->code == no_service_codes[i])
        return TRUE;
    }
  }
  /* activation through systemd of a unit that is not there */
  remote = g_dbus_error_get_remote_error (error);
  return remote != NULL && g_str_has_prefix (remote, "org.freedesktop.systemd1.");
}

static GDBusConnection *
connect_bus (RcdCtlBusKind kind, const char *address, GError **error)
{
  GDBusConnection *connection = NULL;

  switch (kind) {
  case RCD_CTL_BUS_SYSTEM:
    connection = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, error);
    break;
  case RCD_CTL_BUS_SESSION:
    connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
    break;
  case RCD_CTL_BUS_ADDRESS:
    connection =
      g_dbus_connection_new_for_address_sync (address,
                                              G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                              G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                              NULL, NULL, error);
    break;
  default:
    g_assert_not_reached ();
  }
  if (connection != NULL)
    g_dbus_connection_set_exit_on_close (connection, FALSE);
  return connection;
}

/* Pings the service, which starts it if the bus can activate it. */
static gboolean
ping_service (GDBusConnection *connection, GError **error)
{
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (connection, RAWCD_BUS_NAME,
                                       RAWCD_MANAGER_PATH,
                                       "org.freedesktop.DBus.Peer", "Ping",
                                       NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, error);
  return reply != NULL;
}

RcdCtlBus *
rcd_ctl_bus_open (RcdCtlBusKind kind, const char *address, gboolean announce, GError **error)
{
  g_autoptr(RcdCtlBus) bus = g_new0 (RcdCtlBus, 1);
  g_autoptr(GError) local_error = NULL;

  switch (kind) {
  case RCD_CTL_BUS_SYSTEM:
    bus->description = g_strdup ("the system bus");
    break;
  case RCD_CTL_BUS_SESSION:
    bus->description = g_strdup ("the session bus");
    break;
  case RCD_CTL_BUS_ADDRESS:
    bus->description = g_strdup_printf ("the bus at %s", address);
    break;
  default:
    g_assert_not_reached ();
  }

  bus->connection = connect_bus (kind, address, &local_error);
  if (bus->connection == NULL && kind == RCD_CTL_BUS_ADDRESS) {
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                "cannot connect to %s: ", bus->description);
    return NULL;
  }
  if (bus->connection != NULL) {
    bus->close_on_free = (kind == RCD_CTL_BUS_ADDRESS);
    if (ping_service (bus->connection, &local_error))
      return g_steal_pointer (&bus);
    if (!error_means_no_service (local_error)) {
      g_dbus_error_strip_remote_error (local_error);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "the rawcd service on %s does not answer: ",
                                  bus->description);
      return NULL;
    }
    if (bus->close_on_free)
      g_dbus_connection_close_sync (bus->connection, NULL, NULL);
    g_clear_object (&bus->connection);
  }
  g_debug ("no rawcd service on %s: %s", bus->description, local_error->message);

  if (announce)
    g_printerr ("rawcdctl: no rawcd service on %s; using a private rawcdd for this command\n",
                bus->description);
  if (!start_embedded (bus, error)) {
    g_prefix_error (error, "cannot start a private rawcdd: ");
    return NULL;
  }
  return g_steal_pointer (&bus);
}

GDBusConnection *
rcd_ctl_bus_get_connection (RcdCtlBus *bus)
{
  return bus->connection;
}

gboolean
rcd_ctl_bus_is_embedded (RcdCtlBus *bus)
{
  return bus->embedded;
}

const char *
rcd_ctl_bus_get_daemon_path (RcdCtlBus *bus)
{
  return bus->embedded ? bus->daemon_path : NULL;
}

const char *
rcd_ctl_bus_get_description (RcdCtlBus *bus)
{
  return bus->description;
}

static gboolean
is_executable_file (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
         g_file_test (path, G_FILE_TEST_IS_EXECUTABLE);
}

char *
rcd_ctl_bus_find_rawcdd (GError **error)
{
  const char *env = g_getenv ("RAWCDD");
  g_autofree char *self = NULL;

  if (env != NULL && *env != '\0') {
    if (is_executable_file (env))
      return g_strdup (env);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "RAWCDD=%s is not an executable file", env);
    return NULL;
  }

  /* meson builds client/rawcdctl and daemon/rawcdd side by side */
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL) {
    g_autofree char *dir = g_path_get_dirname (self);
    g_autofree char *built = g_build_filename (dir, "..", "daemon", "rawcdd", NULL);

    if (is_executable_file (built))
      return g_canonicalize_filename (built, NULL);
  }

  if (is_executable_file (RAWCDD_INSTALLED_PATH))
    return g_strdup (RAWCDD_INSTALLED_PATH);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "rawcdd is neither installed as %s nor built beside rawcdctl "
               "(set RAWCDD to its path)", RAWCDD_INSTALLED_PATH);
  return NULL;
}

void
rcd_ctl_bus_free (RcdCtlBus *bus)
{
  if (bus == NULL)
    return;
  if (bus->connection != NULL) {
    if (bus->close_on_free)
      g_dbus_connection_close_sync (bus->connection, NULL, NULL);
    else
      g_dbus_connection_flush_sync (bus->connection, NULL, NULL);
  }
  g_clear_object (&bus->connection);
  stop_child (&bus->daemon_pid);
  stop_child (&bus->bus_pid);
  g_free (bus->description);
  g_free (bus->daemon_path);
  g_free (bus);
}
