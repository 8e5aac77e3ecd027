/* cmd-create.c: rawcdctl create: one session on the service, the files and
 * options of the command line, and the image written atomically to OUTPUT.
 *
 * A Ctrl-C (SIGINT), SIGTERM or SIGHUP while the image is written cancels
 * the job and removes the temporary file; a second one stops waiting for
 * the service.  Before the job starts no output file exists yet, and the
 * signals keep their default action.
 */
#include <signal.h>
#include <unistd.h>

#include <glib-unix.h>
#include <gio/gunixfdlist.h>

#include "rawcdctl.h"
#include "rawcdctl-disc.h"
#include "output-file.h"
#include "progress.h"

/* How long to wait for the job to end after Cancel() */
#define CANCEL_TIMEOUT_S        10
/* How long to wait for Completed once State says the job ended */
#define COMPLETED_GRACE_MS      2000

typedef struct {
  GMainLoop      *loop;
  RcdJob         *job;
  RcdCtlProgress *progress;
  guint           signal_ids[3];
  guint           timeout_id;
  gboolean        cancel_sent;
  gboolean        interrupted;
  /* the outcome */
  gboolean        finished;
  gboolean        success;
  char           *state;
  char           *message;
} CreateRun;

static void
create_run_clear (CreateRun *run)
{
  for (gsize i = 0; i < G_N_ELEMENTS (run->signal_ids); i++)
    g_clear_handle_id (&run->signal_ids[i], g_source_remove);
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  if (run->job != NULL)
    g_signal_handlers_disconnect_by_data (run->job, run);
  g_clear_object (&run->job);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_pointer (&run->state, g_free);
  g_clear_pointer (&run->message, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CreateRun, create_run_clear)

static gboolean
state_is_final (const char *state)
{
  return g_strcmp0 (state, "succeeded") == 0 ||
         g_strcmp0 (state, "failed") == 0 ||
         g_strcmp0 (state, "cancelled") == 0;
}

static void
job_info (RcdJob *job, RcdCtlProgressInfo *info)
{
  info->state = rcd_job_get_state (job);
  info->progress = rcd_job_get_progress (job);
  info->sectors_written = rcd_job_get_sectors_written (job);
  info->total_sectors = rcd_job_get_total_sectors (job);
  info->bytes_written = rcd_job_get_bytes_written (job);
  info->rate = rcd_job_get_rate (job);
  info->start_time = rcd_job_get_start_time (job);
  info->expected_end_time = rcd_job_get_expected_end_time (job);
}

static void
finish (CreateRun *run, gboolean success, const char *state, const char *message)
{
  if (run->finished)
    return;
  run->finished = TRUE;
  run->success = success;
  run->state = g_strdup (state);
  run->message = g_strdup (message);
  g_main_loop_quit (run->loop);
}

/* ---- the job --------------------------------------------------------- */

static void
on_completed (RcdJob *job, gboolean success, const char *message, CreateRun *run)
{
  const char *state = rcd_job_get_state (job);

  if (!state_is_final (state))
    state = success ? "succeeded" : (run->cancel_sent ? "cancelled" : "failed");
  finish (run, success, state, message);
}

static gboolean
on_completed_grace_over (gpointer user_data)
{
  CreateRun *run = user_data;
  const char *state = rcd_job_get_state (run->job);

  run->timeout_id = 0;
  finish (run, g_strcmp0 (state, "succeeded") == 0, state, rcd_job_get_message (run->job));
  return G_SOURCE_REMOVE;
}

static void
check_job (CreateRun *run)
{
  RcdCtlProgressInfo info;
  const char *message;

  job_info (run->job, &info);
  if (!state_is_final (info.state)) {
    rcd_ctl_progress_update (run->progress, &info);
    return;
  }
  /* Completed says how it ended; the Message property says the same */
  message = rcd_job_get_message (run->job);
  if (message != NULL && *message != '\0')
    finish (run, g_strcmp0 (info.state, "succeeded") == 0, info.state, message);
  else if (run->timeout_id == 0 && !run->cancel_sent)
    run->timeout_id = g_timeout_add (COMPLETED_GRACE_MS, on_completed_grace_over, run);
}

static void
on_properties_changed (GDBusProxy *proxy, GVariant *changed, GStrv invalidated, CreateRun *run)
{
  check_job (run);
}

static void
on_name_owner (GObject *object, GParamSpec *pspec, CreateRun *run)
{
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (object));

  if (owner == NULL)
    finish (run, FALSE, "failed", "the rawcd service exited");
}

static void
on_connection_closed (GDBusConnection *connection, gboolean remote_peer_vanished,
                      GError *error, CreateRun *run)
{
  finish (run, FALSE, "failed", "the connection to the rawcd service was lost");
}

/* ---- signals --------------------------------------------------------- */

static gboolean
on_cancel_timeout (gpointer user_data)
{
  CreateRun *run = user_data;

  run->timeout_id = 0;
  finish (run, FALSE, "cancelled", "interrupted; the service did not confirm the cancellation");
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer user_data)
{
  CreateRun *run = user_data;

  run->interrupted = TRUE;
  if (run->finished || run->job == NULL)
    return G_SOURCE_CONTINUE;
  if (run->cancel_sent) {
    /* a second Ctrl-C: stop waiting */
    finish (run, FALSE, "cancelled", "interrupted");
    return G_SOURCE_CONTINUE;
  }
  run->cancel_sent = TRUE;
  rcd_job_call_cancel (run->job, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  run->timeout_id = g_timeout_add_seconds (CANCEL_TIMEOUT_S, on_cancel_timeout, run);
  return G_SOURCE_CONTINUE;
}

static void
catch_signals (CreateRun *run)
{
  const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  G_STATIC_ASSERT (G_N_ELEMENTS (signals) == G_N_ELEMENTS (run->signal_ids));
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    run->signal_ids[i] = g_unix_signal_add (signals[i], on_signal, run);
}

/* Dispatches what is pending (a signal that came while calls blocked). */
static void
dispatch_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- the image ------------------------------------------------------- */

static gboolean
start_job (CreateRun *run, RcdImageCreator *creator, RcdCtlOutputFile *file, GError **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (creator));
  g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new ();
  g_autofree char *job_path = NULL;
  int handle;

  handle = g_unix_fd_list_append (fd_list, rcd_ctl_output_file_get_fd (file), error);
  if (handle < 0)
    return FALSE;
  if (!rcd_image_creator_call_create_result_image_sync (creator,
                                                        g_variant_new_handle (handle),
                                                        g_variant_new ("a{sv}", NULL),
                                                        G_DBUS_CALL_FLAGS_NONE, -1,
                                                        fd_list, &job_path, NULL,
                                                        NULL, error)) {
    rcd_ctl_prefix_error (error, "cannot write the image: ");
    return FALSE;
  }
  /* the proxy subscribes to the job's signals before it reads its
   * properties: a job that ends now is seen either way */
  run->job = rcd_job_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_NONE,
                                     RCD_CTL_BUS_NAME, job_path, NULL, error);
  if (run->job == NULL)
    return FALSE;
  g_signal_connect (run->job, "completed", G_CALLBACK (on_completed), run);
  g_signal_connect (run->job, "g-properties-changed", G_CALLBACK (on_properties_changed), run);
  g_signal_connect (run->job, "notify::g-name-owner", G_CALLBACK (on_name_owner), run);
  g_signal_connect (connection, "closed", G_CALLBACK (on_connection_closed), run);
  return TRUE;
}

static gboolean
wait_for_job (CreateRun *run, RcdCtlOutputFile *file, GError **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (run->job));

  on_name_owner (G_OBJECT (run->job), NULL, run);
  check_job (run);
  if (!run->finished)
    g_main_loop_run (run->loop);
  dispatch_pending ();
  g_signal_handlers_disconnect_by_data (connection, run);

  if (run->interrupted) {
    rcd_ctl_output_file_abort (file);
    if (!state_is_final (run->state) || g_strcmp0 (run->state, "succeeded") == 0) {
      g_free (run->state);
      run->state = g_strdup ("cancelled");
    }
    run->success = FALSE;
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                 "interrupted: %s", run->message);
    return FALSE;
  }
  if (!run->success) {
    rcd_ctl_output_file_abort (file);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "the image was not written: %s", run->message);
    return FALSE;
  }
  if (!rcd_ctl_output_file_commit (file, error)) {
    run->success = FALSE;
    g_free (run->state);
    run->state = g_strdup ("failed");
    return FALSE;
  }
  return TRUE;
}

static gboolean
create_image (RcdCtl     *ctl,
              RcdCtlDisc *disc,
              const char *output,
              CreateRun  *run,
              GError    **error)
{
  g_autoptr(RcdImageCreator) creator = NULL;
  g_autoptr(RcdCtlOutputFile) file = NULL;
  gboolean ok;

  if (!rcd_ctl_output_file_check (output, error))
    return FALSE;
  if (!rcd_ctl_disc_open_files (disc, error))
    return FALSE;
  if (!rcd_ctl_connect (ctl, error))
    return FALSE;
  creator = rcd_ctl_disc_create_session (disc, rcd_ctl_bus_get_connection (ctl->bus), error);
  if (creator == NULL)
    return FALSE;

  /* from here on an interruption has a temporary file to remove */
  catch_signals (run);
  file = rcd_ctl_output_file_new (output, error);
  if (file == NULL)
    return FALSE;
  ok = start_job (run, creator, file, error) && wait_for_job (run, file, error);

  rcd_image_creator_call_close_sync (creator, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                     -1, NULL, NULL);
  return ok;
}

int
rcd_ctl_cmd_create (RcdCtl *ctl, int argc, char **argv)
{
  g_auto(RcdCtlDiscOptions) disc_options = { 0 };
  g_auto(CreateRun) run = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RcdCtlDisc) disc = NULL;
  g_autoptr(RcdCtlProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  gboolean show_progress = FALSE;
  RcdCtlProgressFlags flags = 0;
  RcdCtlProgressInfo last = { 0 };
  const GOptionEntry output_entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "The image file to write (required)", "OUTPUT" },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry report_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print progress and the result as JSON lines on stdout", NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &show_progress,
      "Show the progress bar even if stderr is no terminal", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };

  context = rcd_ctl_option_context_new ("create", "-o OUTPUT AUDIO…",
    "Writes the raw image of an audio CD with one track per AUDIO file, in\n"
    "the order given, to OUTPUT.  OUTPUT appears only when the image is\n"
    "complete.  TRACK in the options below is the position of an AUDIO file\n"
    "on the command line, from 1.");
  g_option_context_add_main_entries (context, output_entries, NULL);
  rcd_ctl_disc_options_add (context, &disc_options,
                            RCD_CTL_DISC_OPTIONS_LAYOUT | RCD_CTL_DISC_OPTIONS_CONTENT);
  g_option_context_add_main_entries (context, report_entries, NULL);
  if (!rcd_ctl_parse_options (context, "create", &argc, &argv))
    return RCD_CTL_EXIT_USAGE;

  if (output == NULL)
    return rcd_ctl_usage_error ("create", "no output file: -o OUTPUT is required");
  if (files == NULL || files[0] == NULL)
    return rcd_ctl_usage_error ("create", "no AUDIO files");
  disc = rcd_ctl_disc_new (&disc_options, files, &error);
  if (disc == NULL)
    return rcd_ctl_usage_error ("create", "%s", error->message);

  if (show_progress || (!json && isatty (STDERR_FILENO)))
    flags |= RCD_CTL_PROGRESS_BAR;
  if (json)
    flags |= RCD_CTL_PROGRESS_JSON;
  progress = rcd_ctl_progress_new (flags, output);
  run.progress = progress;
  run.loop = g_main_loop_new (NULL, FALSE);

  if (!create_image (ctl, disc, output, &run, &error)) {
    g_autofree char *message = rcd_ctl_error_message (error);

    if (run.job != NULL)
      job_info (run.job, &last);
    rcd_ctl_progress_finish (progress, run.state != NULL ? run.state : "failed",
                             FALSE, message, run.job != NULL ? &last : NULL);
    return rcd_ctl_print_error (error);
  }
  job_info (run.job, &last);
  rcd_ctl_progress_finish (progress, run.state, TRUE, run.message, &last);
  return RCD_CTL_EXIT_OK;
}
