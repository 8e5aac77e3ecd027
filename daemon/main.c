/* main.c: rawcdd's command line, bus connection, name, signals and exit.
 *
 * Exit status: 0 after SIGTERM/SIGINT or the idle timeout, 1 when the bus
 * name is lost or the connection closes, 2 for a bad command line.
 */
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "rcd-callers.h"
#include "rcd-audio-open.h"
#include "rcd-config.h"
#include "rcd-daemon.h"
#include "rcd-error.h"

typedef struct {
  GMainLoop *loop;
  RcdDaemon *daemon;
  RcdConfig  config;
  guint      idle_source;
  gboolean   owned_name;
  int        status;
} Main;

static void
quit (Main *m, int status)
{
  m->status = status;
  g_main_loop_quit (m->loop);
}

static gboolean
on_signal (gpointer user_data)
{
  Main *m = user_data;

  g_info ("signal received: shutting down");
  quit (m, 0);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  Main *m = user_data;

  m->idle_source = 0;
  g_info ("no session for %u s: exiting", m->config.idle_timeout);
  quit (m, 0);
  return G_SOURCE_REMOVE;
}

static void
on_idle_changed (RcdDaemon *daemon, gpointer user_data)
{
  Main *m = user_data;
  gboolean idle = rcd_daemon_is_idle (daemon);

  if (m->config.idle_timeout == 0)
    return;
  if (idle && m->idle_source == 0)
    m->idle_source = g_timeout_add_seconds (m->config.idle_timeout, on_idle_timeout, m);
  else if (!idle)
    g_clear_handle_id (&m->idle_source, g_source_remove);
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Main *m = user_data;

  m->owned_name = TRUE;
  g_info ("owns %s on %s", name, g_dbus_connection_get_unique_name (connection));
}

static void
on_name_lost (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Main *m = user_data;

  if (connection == NULL)
    g_printerr ("rawcdd: the bus connection closed before %s could be owned\n", name);
  else if (m->owned_name)
    g_printerr ("rawcdd: another instance (started with --replace) took over "
                "the bus name %s\n", name);
  else
    g_printerr ("rawcdd: lost the bus name %s (another instance owns it; "
                "use --replace to take it over)\n", name);
  quit (m, 1);
}

static void
on_connection_closed (GDBusConnection *connection,
                      gboolean         remote_peer_vanished,
                      GError          *error,
                      gpointer         user_data)
{
  g_printerr ("rawcdd: the bus connection closed%s%s\n",
              error != NULL ? ": " : "", error != NULL ? error->message : "");
  quit (user_data, 1);
}

static gboolean
check_count (const char *option, gint value, gint min, guint *out, GError **error)
{
  if (value < min)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s must be at least %d, not %d", option, min, value);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

/* The decoder helper: --decoder, else rawcd-decoder beside this rawcdd
 * (installed together in libexecdir; side by side in the build tree),
 * else the installed one.  argv[0] is whoever started us's choice, as the
 * options are, never a client's. */
static char *
find_decoder (const char *option, const char *argv0)
{
  g_autofree char *dir = NULL;
  g_autofree char *beside = NULL;

  if (option != NULL)
    return g_strdup (option);
  dir = g_path_get_dirname (argv0);
  beside = g_build_filename (dir, "rawcd-decoder", NULL);
  if (strchr (argv0, '/') != NULL && g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&beside);
  return g_strdup (RCD_DECODER_PATH);
}

static GDBusConnection *
connect_bus (gboolean use_session, const char *address, GError **error)
{
  g_autoptr(GDBusConnection) connection = NULL;

  if (address != NULL)
    connection = g_dbus_connection_new_for_address_sync (address,
                                                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                         NULL, NULL, error);
  else
    connection = g_bus_get_sync (use_session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
                                 NULL, error);
  if (connection == NULL)
    {
      g_prefix_error (error, "cannot connect to the %s bus: ",
                      address != NULL ? "given" : use_session ? "session" : "system");
      return NULL;
    }
  return g_steal_pointer (&connection);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *address = NULL;
  g_autofree char *decoder_option = NULL;
  g_autofree char *decoder = NULL;
  gboolean use_system = FALSE, use_session = FALSE, replace = FALSE;
  gboolean verbose = FALSE, version = FALSE;
  gint idle_timeout = RCD_DEFAULT_IDLE_TIMEOUT;
  gint persist_timeout = RCD_DEFAULT_PERSIST_TIMEOUT;
  gint header_timeout = RCD_DEFAULT_HEADER_TIMEOUT;
  gint max_per_user = RCD_DEFAULT_MAX_SESSIONS_PER_USER;
  gint max_sessions = RCD_DEFAULT_MAX_SESSIONS;
  gint max_tracks = RCD_DEFAULT_MAX_TRACKS;
  gint max_jobs = RCD_DEFAULT_MAX_JOBS;
  gint max_jobs_per_user = 0;
  gint output_timeout = RCD_DEFAULT_OUTPUT_TIMEOUT;
  guint owner_id, sigterm_id, sigint_id;
  Main m = { 0, };
  const GOptionEntry entries[] = {
    { "system", 0, 0, G_OPTION_ARG_NONE, &use_system,
      "Use the system bus (the default)", NULL },
    { "session", 0, 0, G_OPTION_ARG_NONE, &use_session,
      "Use the session bus", NULL },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address,
      "Use the message bus at ADDRESS", "ADDRESS" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      "Replace the running instance", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      "Log what happens", NULL },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Exit after SECONDS without sessions; 0: never (default 60)", "SECONDS" },
    { "persist-timeout", 0, 0, G_OPTION_ARG_INT, &persist_timeout,
      "Free a persistent session after SECONDS without a call from its owner; "
      "0: never (default 600)", "SECONDS" },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &header_timeout,
      "Refuse audio whose header takes longer than SECONDS to arrive; 0: wait "
      "forever (default 30)", "SECONDS" },
    { "max-sessions-per-user", 0, 0, G_OPTION_ARG_INT, &max_per_user,
      "Sessions one uid may have (default 16)", "N" },
    { "max-sessions", 0, 0, G_OPTION_ARG_INT, &max_sessions,
      "Sessions in all (default 256)", "N" },
    { "max-tracks", 0, 0, G_OPTION_ARG_INT, &max_tracks,
      "Tracks per session (default 99, IMAPI's own limit)", "N" },
    { "max-jobs", 0, 0, G_OPTION_ARG_INT, &max_jobs,
      "Images written at once; more wait in a queue (default 4)", "N" },
    { "max-jobs-per-user", 0, 0, G_OPTION_ARG_INT, &max_jobs_per_user,
      "Images one user may have written at once, at most --max-jobs "
      "(default: half of --max-jobs, at least 1)", "N" },
    { "output-timeout", 0, 0, G_OPTION_ARG_INT, &output_timeout,
      "Fail a job whose output accepts no data for SECONDS; 0: never "
      "(default 60)", "SECONDS" },
    { "decoder", 0, 0, G_OPTION_ARG_FILENAME, &decoder_option,
      "Run PATH as the sandboxed decoder helper (default: rawcd-decoder beside "
      "rawcdd, else " RCD_DECODER_PATH ")", "PATH" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* A client that closes its end of an output pipe must fail the job
   * (EPIPE), not kill the service. */
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new ("- raw audio CD image service");
  g_option_context_set_summary (context,
    "Creates raw disc-at-once audio CD images for its D-Bus clients\n"
    "(org.rawcd.RawCD1, the counterpart of IMAPI2's IRawCDImageCreator).");
  g_option_context_add_main_entries (context, entries, NULL);
  rcd_config_init (&m.config);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !check_count ("--idle-timeout", idle_timeout, 0, &m.config.idle_timeout, &error)
      || !check_count ("--persist-timeout", persist_timeout, 0, &m.config.persist_timeout, &error)
      || !check_count ("--header-timeout", header_timeout, 0, &m.config.header_timeout, &error)
      || !check_count ("--max-sessions-per-user", max_per_user, 1, &m.config.max_sessions_per_user, &error)
      || !check_count ("--max-sessions", max_sessions, 1, &m.config.max_sessions, &error)
      || !check_count ("--max-tracks", max_tracks, 1, &m.config.max_tracks, &error)
      || !check_count ("--max-jobs", max_jobs, 1, &m.config.max_jobs, &error)
      || !check_count ("--max-jobs-per-user", max_jobs_per_user, 0, &m.config.max_jobs_per_user, &error)
      || !check_count ("--output-timeout", output_timeout, 0, &m.config.output_timeout, &error))
    {
      g_printerr ("rawcdd: %s\n", error->message);
      return 2;
    }
  if ((use_system + use_session + (address != NULL)) > 1)
    {
      g_printerr ("rawcdd: --system, --session and --address exclude each other\n");
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("rawcdd: unexpected argument '%s'\n", argv[1]);
      return 2;
    }
  if (version)
    {
      g_print ("rawcdd %s\n", RCD_VERSION);
      return 0;
    }
  if (verbose && g_getenv ("G_MESSAGES_DEBUG") == NULL)
    g_setenv ("G_MESSAGES_DEBUG", G_LOG_DOMAIN, TRUE);

  rcd_error_register ();

  connection = connect_bus (use_session, address, &error);
  if (connection == NULL)
    {
      g_printerr ("rawcdd: %s\n", error->message);
      return 1;
    }
  g_dbus_connection_set_exit_on_close (connection, FALSE);

  /* Every client's audio is parsed by this helper: without it, nothing
   * would work, so say so now rather than at each AddTrack. */
  decoder = find_decoder (decoder_option, argv[0]);
  if (!rcd_audio_open_init (decoder, &error))
    {
      g_printerr ("rawcdd: %s\n", error->message);
      return 1;
    }
  g_debug ("decoder helper: %s", decoder);

  loop = g_main_loop_new (NULL, FALSE);
  m.loop = loop;
  g_signal_connect (connection, "closed", G_CALLBACK (on_connection_closed), &m);

  /* The objects exist before the name: activated calls find them. */
  m.daemon = rcd_daemon_new (connection, &m.config, on_idle_changed, &m, &error);
  if (m.daemon == NULL)
    {
      g_printerr ("rawcdd: %s\n", error->message);
      return 1;
    }
  owner_id = g_bus_own_name_on_connection (connection, RAWCD_BUS_NAME,
                                           G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT |
                                           (replace ? G_BUS_NAME_OWNER_FLAGS_REPLACE : 0),
                                           on_name_acquired, on_name_lost, &m, NULL);

  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &m);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &m);
  on_idle_changed (m.daemon, &m);

  g_info ("rawcdd %s started", RCD_VERSION);
  g_main_loop_run (loop);

  /* Orderly exit: running jobs complete (cancelled), the workers stop,
   * then what they left on the main loop is dispatched. */
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  rcd_daemon_shutdown (m.daemon, "the service is shutting down");
  g_clear_handle_id (&m.idle_source, g_source_remove);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (rcd_callers_get_n_pending () > 0)
    g_main_context_iteration (NULL, TRUE);

  /* The Completed signals of the cancelled jobs go out before the exit. */
  if (!g_dbus_connection_is_closed (connection))
    {
      g_bus_unown_name (owner_id);
      if (!g_dbus_connection_flush_sync (connection, NULL, &error))
        g_warning ("cannot flush the bus connection: %s", error->message);
    }
  g_clear_pointer (&m.daemon, rcd_daemon_free);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_info ("exit %d", m.status);
  return m.status;
}
