/* rawcdctl-job.c: following an image job to its end.
 *
 * The job's end is seen three ways, whichever comes first: its Completed
 * signal, its State property turning final (then Completed is given a
 * moment to bring the message), or the service or the connection going
 * away.
 */
#include <signal.h>

#include <glib-unix.h>

#include "rawcdctl.h"
#include "rawcdctl-job.h"
#include "rcd-dbus-generated.h"

/* How long to wait for the job to end after Cancel() */
#define CANCEL_TIMEOUT_S        10
/* How long to wait for Completed once State says the job ended */
#define COMPLETED_GRACE_MS      2000

/* The signals that cancel a job; each source needs its own callback to
 * know which signal it was. */
static const int caught_signals[] = { SIGINT, SIGTERM, SIGHUP };

struct _RcdCtlJobWatch {
  GMainLoop       *loop;
  RcdDBusJob      *job;
  GDBusConnection *connection;
  RcdCtlProgress  *progress;      /* not owned */
  guint            signal_ids[G_N_ELEMENTS (caught_signals)];
  guint            timeout_id;
  gboolean         cancel_sent;
  int              signal;        /* the first signal caught, 0 none */
  const char      *unconfirmed;   /* why a cancellation was not confirmed */
  /* the outcome */
  gboolean         finished;
  gboolean         success;
  char            *state;
  char            *message;
};

RcdCtlJobWatch *
rcd_ctl_job_watch_new (RcdCtlProgress *progress)
{
  RcdCtlJobWatch *watch = g_new0 (RcdCtlJobWatch, 1);

  watch->loop = g_main_loop_new (NULL, FALSE);
  watch->progress = progress;
  return watch;
}

void
rcd_ctl_job_watch_free (RcdCtlJobWatch *watch)
{
  if (watch == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (watch->signal_ids); i++)
    g_clear_handle_id (&watch->signal_ids[i], g_source_remove);
  g_clear_handle_id (&watch->timeout_id, g_source_remove);
  if (watch->job != NULL)
    g_signal_handlers_disconnect_by_data (watch->job, watch);
  if (watch->connection != NULL)
    g_signal_handlers_disconnect_by_data (watch->connection, watch);
  g_clear_object (&watch->job);
  g_clear_object (&watch->connection);
  g_main_loop_unref (watch->loop);
  g_free (watch->state);
  g_free (watch->message);
  g_free (watch);
}

static gboolean
state_is_final (const char *state)
{
  return g_strcmp0 (state, "succeeded") == 0 ||
         g_strcmp0 (state, "failed") == 0 ||
         g_strcmp0 (state, "cancelled") == 0;
}

static void
finish (RcdCtlJobWatch *watch, gboolean success, const char *state, const char *message)
{
  if (watch->finished)
    return;
  watch->finished = TRUE;
  watch->success = success;
  watch->state = g_strdup (state);
  watch->message = g_strdup (message);
  g_main_loop_quit (watch->loop);
}

gboolean
rcd_ctl_job_watch_get_info (RcdCtlJobWatch *watch, RcdCtlProgressInfo *info)
{
  RcdDBusJob *job = watch->job;

  if (job == NULL)
    return FALSE;
  info->state = rcd_dbus_job_get_state (job);
  info->progress = rcd_dbus_job_get_progress (job);
  info->sectors_written = rcd_dbus_job_get_sectors_written (job);
  info->total_sectors = rcd_dbus_job_get_total_sectors (job);
  info->bytes_written = rcd_dbus_job_get_bytes_written (job);
  info->rate = rcd_dbus_job_get_rate (job);
  info->start_time = rcd_dbus_job_get_start_time (job);
  info->expected_end_time = rcd_dbus_job_get_expected_end_time (job);
  return TRUE;
}

/* ---- the job --------------------------------------------------------- */

static void
on_completed (RcdDBusJob *job, gboolean success, const char *message, RcdCtlJobWatch *watch)
{
  const char *state = rcd_dbus_job_get_state (job);

  if (!state_is_final (state))
    state = success ? "succeeded" : (watch->cancel_sent ? "cancelled" : "failed");
  finish (watch, success, state, message);
}

static gboolean
on_completed_grace_over (gpointer user_data)
{
  RcdCtlJobWatch *watch = user_data;
  const char *state = rcd_dbus_job_get_state (watch->job);

  watch->timeout_id = 0;
  finish (watch, g_strcmp0 (state, "succeeded") == 0, state,
          rcd_dbus_job_get_message (watch->job));
  return G_SOURCE_REMOVE;
}

static void
check_job (RcdCtlJobWatch *watch)
{
  RcdCtlProgressInfo info;
  const char *message;

  rcd_ctl_job_watch_get_info (watch, &info);
  if (!state_is_final (info.state)) {
    if (watch->progress != NULL)
      rcd_ctl_progress_update (watch->progress, &info);
    return;
  }
  /* Completed says how it ended; the Message property says the same */
  message = rcd_dbus_job_get_message (watch->job);
  if (message != NULL && *message != '\0')
    finish (watch, g_strcmp0 (info.state, "succeeded") == 0, info.state, message);
  else if (watch->timeout_id == 0 && !watch->cancel_sent)
    watch->timeout_id = g_timeout_add (COMPLETED_GRACE_MS, on_completed_grace_over, watch);
}

static void
on_properties_changed (GDBusProxy *proxy, GVariant *changed, GStrv invalidated,
                       RcdCtlJobWatch *watch)
{
  check_job (watch);
}

static void
on_name_owner (GObject *object, GParamSpec *pspec, RcdCtlJobWatch *watch)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (object));

  if (owner == NULL)
    finish (watch, FALSE, "failed", "the rawcd service exited");
}

static void
on_connection_closed (GDBusConnection *connection, gboolean remote_peer_vanished,
                      GError *error, RcdCtlJobWatch *watch)
{
  finish (watch, FALSE, "failed", "the connection to the rawcd service was lost");
}

/* ---- signals --------------------------------------------------------- */

static gboolean
on_cancel_timeout (gpointer user_data)
{
  RcdCtlJobWatch *watch = user_data;

  watch->timeout_id = 0;
  watch->unconfirmed = "the service did not confirm it in time";
  finish (watch, FALSE, "cancelled", watch->unconfirmed);
  return G_SOURCE_REMOVE;
}

static void
send_cancel (RcdCtlJobWatch *watch)
{
  watch->cancel_sent = TRUE;
  rcd_dbus_job_call_cancel (watch->job, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
  g_clear_handle_id (&watch->timeout_id, g_source_remove);
  watch->timeout_id = g_timeout_add_seconds (CANCEL_TIMEOUT_S, on_cancel_timeout, watch);
}

static void
on_signal (RcdCtlJobWatch *watch, int signum)
{
  if (watch->signal == 0)
    watch->signal = signum;
  if (watch->finished || watch->job == NULL)
    return;
  if (watch->cancel_sent) {
    /* a second Ctrl-C: stop waiting */
    watch->unconfirmed = "without waiting for the service to confirm it";
    finish (watch, FALSE, "cancelled", watch->unconfirmed);
    return;
  }
  send_cancel (watch);
}

static gboolean
on_sigint (gpointer user_data)
{
  on_signal (user_data, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer user_data)
{
  on_signal (user_data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sighup (gpointer user_data)
{
  on_signal (user_data, SIGHUP);
  return G_SOURCE_CONTINUE;
}

void
rcd_ctl_job_watch_catch_signals (RcdCtlJobWatch *watch)
{
  const GSourceFunc handlers[] = { on_sigint, on_sigterm, on_sighup };

  G_STATIC_ASSERT (G_N_ELEMENTS (handlers) == G_N_ELEMENTS (caught_signals));
  for (gsize i = 0; i < G_N_ELEMENTS (caught_signals); i++) {
    if (watch->signal_ids[i] == 0)
      watch->signal_ids[i] = g_unix_signal_add (caught_signals[i], handlers[i], watch);
  }
}

/* Dispatches what is pending (a signal that came while calls blocked). */
static void
dispatch_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
rcd_ctl_job_watch_get_signal (RcdCtlJobWatch *watch)
{
  dispatch_pending ();
  return watch->signal;
}

/* ---- waiting --------------------------------------------------------- */

gboolean
rcd_ctl_job_watch_start (RcdCtlJobWatch  *watch,
                         GDBusConnection *connection,
                         const char      *job_path,
                         GError         **error)
{
  g_return_val_if_fail (watch->job == NULL, FALSE);

  /* the proxy subscribes to the job's signals before it reads its
   * properties: a job that ends now is seen either way */
  watch->job = rcd_dbus_job_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_NONE,
                                            RAWCD_BUS_NAME, job_path, NULL, error);
  if (watch->job == NULL)
    return FALSE;
  watch->connection = g_object_ref (connection);
  g_signal_connect (watch->job, "completed", G_CALLBACK (on_completed), watch);
  g_signal_connect (watch->job, "g-properties-changed",
                    G_CALLBACK (on_properties_changed), watch);
  g_signal_connect (watch->job, "notify::g-name-owner", G_CALLBACK (on_name_owner), watch);
  g_signal_connect (connection, "closed", G_CALLBACK (on_connection_closed), watch);
  /* a signal that came while the job was being started */
  if (rcd_ctl_job_watch_get_signal (watch) != 0)
    send_cancel (watch);
  return TRUE;
}

gboolean
rcd_ctl_job_watch_wait (RcdCtlJobWatch *watch, GError **error)
{
  g_return_val_if_fail (watch->job != NULL, FALSE);

  on_name_owner (G_OBJECT (watch->job), NULL, watch);
  check_job (watch);
  if (!watch->finished)
    g_main_loop_run (watch->loop);
  dispatch_pending ();
  g_signal_handlers_disconnect_by_data (watch->connection, watch);

  if (watch->signal != 0) {
    /* whatever the service said last, the image is not the user's */
    if (!state_is_final (watch->state) || g_strcmp0 (watch->state, "succeeded") == 0) {
      g_free (watch->state);
      watch->state = g_strdup ("cancelled");
    }
    watch->success = FALSE;
    /* what the service says about it ("cancelled by its owner") is its
     * own view; the user pressed Ctrl-C and knows why */
    if (watch->unconfirmed != NULL)
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled %s", watch->unconfirmed);
    else
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
    return FALSE;
  }
  if (!watch->success) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         watch->message != NULL ? watch->message : "the job failed");
    return FALSE;
  }
  return TRUE;
}

const char *
rcd_ctl_job_watch_get_state (RcdCtlJobWatch *watch)
{
  return watch->finished ? watch->state : NULL;
}

const char *
rcd_ctl_job_watch_get_message (RcdCtlJobWatch *watch)
{
  return watch->finished ? watch->message : NULL;
}
