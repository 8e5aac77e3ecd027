/* cmd-create.c: rawcdctl create: one session on the service, the files and
 * options of the command line, and the image written atomically to OUTPUT.
 *
 * --format cue, toc or clonecd writes the data file to OUTPUT (the BIN;
 * for toc the same sectors in cdrdao's big-endian order, in RW_RAW blocks
 * with R-W data; the .img) and the side files the service makes
 * (GetSideFiles) beside it, named after OUTPUT: NAME.bin gets NAME.cue or
 * NAME.toc; NAME.img gets NAME.sub (the service writes it, as the job's
 * `subchannel` descriptor) and NAME.ccd.  Every file goes to a temporary file first, and all are renamed
 * only when the job succeeded (rcd_ctl_output_files_commit): all of them
 * appear, or none.
 *
 * A Ctrl-C (SIGINT), SIGTERM or SIGHUP while the image is written cancels
 * the job and removes the temporary file; a second one stops waiting for
 * the service.  Before the job starts no output file exists yet, and the
 * signals keep their default action.
 */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
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
  RcdDBusJob         *job;
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
job_info (RcdDBusJob *job, RcdCtlProgressInfo *info)
{
  info->state = rcd_dbus_job_get_state (job);
  info->progress = rcd_dbus_job_get_progress (job);
  info->sectors_written = rcd_dbus_job_get_sectors_written (job);
  info->total_sectors = rcd_dbus_job_get_total_sectors (job);
  info->bytes_written = rcd_dbus_job_get_bytes_written (job);
  info->rate = rcd_dbus_job_get_rate (job);
  info->start_time = rcd_dbus_job_get_start_time (job);
  info->expected_end_time = rcd_dbus_job_get_expected_end_time (job);
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
on_completed (RcdDBusJob *job, gboolean success, const char *message, CreateRun *run)
{
  const char *state = rcd_dbus_job_get_state (job);

  if (!state_is_final (state))
    state = success ? "succeeded" : (run->cancel_sent ? "cancelled" : "failed");
  finish (run, success, state, message);
}

static gboolean
on_completed_grace_over (gpointer user_data)
{
  CreateRun *run = user_data;
  const char *state = rcd_dbus_job_get_state (run->job);

  run->timeout_id = 0;
  finish (run, g_strcmp0 (state, "succeeded") == 0, state, rcd_dbus_job_get_message (run->job));
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
  message = rcd_dbus_job_get_message (run->job);
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
  rcd_dbus_job_call_cancel (run->job, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
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

/* ---- the files --------------------------------------------------------- */

/* --format: the service's format name, the side file GetSideFiles gives
 * (its key is the file's extension), whether the service also writes a
 * subchannel file (NAME.sub) */
typedef struct {
  const char *name;
  const char *sheet;        /* NULL: no side file */
  const char *sheet_what;   /* for messages */
  gboolean    subchannel;
} CreateFormat;

static const CreateFormat formats[] = {
  { "imapi",   NULL,  NULL,              FALSE },
  { "cue",     "cue", "the CUE sheet",   FALSE },
  { "toc",     "toc", "the TOC file",    FALSE },
  { "clonecd", "ccd", "the CloneCD file", TRUE },
};

static const CreateFormat *
find_format (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++) {
    if (g_ascii_strcasecmp (formats[i].name, name) == 0)
      return &formats[i];
  }
  return NULL;
}

/* path with the extension of its file name replaced by extension, or
 * extension appended when it has none ("a.bin" -> "a.cue", "a" -> "a.cue",
 * ".a" -> ".a.cue") */
static char *
with_extension (const char *path, const char *extension)
{
  const char *base = strrchr (path, '/');
  const char *dot;
  g_autofree char *stem = NULL;

  base = base != NULL ? base + 1 : path;
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return g_strconcat (path, ".", extension, NULL);
  stem = g_strndup (path, dot - path);
  return g_strconcat (stem, ".", extension, NULL);
}

/* The files a format makes, output first, the side file last; a usage
 * error (G_OPTION_ERROR) when OUTPUT's name does not fit the format. */
static GStrv
output_paths (const CreateFormat *format, const char *output, GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *base = g_path_get_basename (output);
  g_autofree char *sheet = NULL;

  g_strv_builder_add (builder, output);
  if (format->sheet == NULL)
    return g_strv_builder_end (builder);

  if (format->subchannel) {
    g_autofree char *sub = NULL;

    /* CloneCD readers find BASE.img and BASE.sub beside BASE.ccd */
    if (!g_str_has_suffix (base, ".img") || strlen (base) <= strlen (".img")) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--format %s: OUTPUT must be named NAME.img (readers look for "
                   "NAME.img and NAME.sub beside NAME.ccd)", format->name);
      return NULL;
    }
    sub = with_extension (output, "sub");
    g_strv_builder_add (builder, sub);
  }
  sheet = with_extension (output, format->sheet);
  if (g_str_equal (sheet, output)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--format %s: OUTPUT is the data file; %s would have the same name "
                 "(use -o NAME.bin)", format->name, format->sheet_what);
    return NULL;
  }
  g_strv_builder_add (builder, sheet);
  return g_strv_builder_end (builder);
}

/* Side files go beside OUTPUT, so every file must be one that is renamed
 * into place (not a FIFO or a device). */
static gboolean
check_outputs (const CreateFormat *format, char **paths, GError **error)
{
  for (char **p = paths; *p != NULL; p++) {
    GStatBuf st;

    if (!rcd_ctl_output_file_check (*p, error))
      return FALSE;
    if (format->sheet != NULL && g_stat (*p, &st) == 0 && !S_ISREG (st.st_mode)) {
      g_autofree char *display = g_filename_display_name (*p);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "--format %s: %s is not a regular file (the files of a "
                   "format with side files are created beside each other)",
                   format->name, display);
      return FALSE;
    }
  }
  return TRUE;
}

/* The side file of the layout, for the data file named as OUTPUT. */
static GBytes *
get_side_file (RcdDBusImageCreator *creator, const CreateFormat *format,
               char **paths, GError **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) files = NULL;
  g_autoptr(GVariant) data = NULL;
  g_autofree char *data_file = g_path_get_basename (paths[0]);
  GVariantBuilder options;

  if (!g_utf8_validate (data_file, -1, NULL)) {
    g_autofree char *display = g_filename_display_name (data_file);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                 "--format %s: the name %s is not UTF-8, and %s names the data file",
                 format->name, display, format->sheet_what);
    return NULL;
  }
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  if (format->subchannel) {
    g_autofree char *sub = g_path_get_basename (paths[1]);

    g_variant_builder_add (&options, "{sv}", "subchannel_file", g_variant_new_string (sub));
  }
  reply = g_dbus_proxy_call_sync (G_DBUS_PROXY (creator), "GetSideFiles",
                                  g_variant_new ("(ssa{sv})", format->name, data_file, &options),
                                  G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (reply == NULL) {
    rcd_ctl_prefix_error (error, "cannot make %s: ", format->sheet_what);
    return NULL;
  }
  if (!g_variant_is_of_type (reply, G_VARIANT_TYPE ("(a{say})"))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the service answered GetSideFiles with %s", g_variant_get_type_string (reply));
    return NULL;
  }
  files = g_variant_get_child_value (reply, 0);
  data = g_variant_lookup_value (files, format->sheet, G_VARIANT_TYPE_BYTESTRING);
  if (data == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the service gave no '%s' side file for --format %s",
                 format->sheet, format->name);
    return NULL;
  }
  return g_variant_get_data_as_bytes (data);
}

/* ---- the image ------------------------------------------------------- */

/* files: the output files, the data file first; a subchannel file second
 * when the format has one. */
static gboolean
start_job (CreateRun *run, RcdDBusImageCreator *creator, const CreateFormat *format,
           GPtrArray *files, GError **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (creator));
  g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new ();
  g_autofree char *job_path = NULL;
  GVariantBuilder options;
  int handle;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  handle = g_unix_fd_list_append (fd_list,
                                  rcd_ctl_output_file_get_fd (g_ptr_array_index (files, 0)),
                                  error);
  if (handle < 0)
    return FALSE;
  /* the default format needs no option (and an older service knows none) */
  if (format->sheet != NULL)
    g_variant_builder_add (&options, "{sv}", "format", g_variant_new_string (format->name));
  if (format->subchannel) {
    int sub_handle = g_unix_fd_list_append (fd_list,
                                            rcd_ctl_output_file_get_fd (g_ptr_array_index (files, 1)),
                                            error);

    if (sub_handle < 0) {
      g_variant_builder_clear (&options);
      return FALSE;
    }
    g_variant_builder_add (&options, "{sv}", "subchannel", g_variant_new_handle (sub_handle));
  }
  if (!rcd_dbus_image_creator_call_create_result_image_sync (creator,
                                                        g_variant_new_handle (handle),
                                                        g_variant_builder_end (&options),
                                                        G_DBUS_CALL_FLAGS_NONE, -1,
                                                        fd_list, &job_path, NULL,
                                                        NULL, error)) {
    rcd_ctl_prefix_error (error, "cannot write the image: ");
    return FALSE;
  }
  /* the proxy subscribes to the job's signals before it reads its
   * properties: a job that ends now is seen either way */
  run->job = rcd_dbus_job_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_NONE,
                                     RAWCD_BUS_NAME, job_path, NULL, error);
  if (run->job == NULL)
    return FALSE;
  g_signal_connect (run->job, "completed", G_CALLBACK (on_completed), run);
  g_signal_connect (run->job, "g-properties-changed", G_CALLBACK (on_properties_changed), run);
  g_signal_connect (run->job, "notify::g-name-owner", G_CALLBACK (on_name_owner), run);
  g_signal_connect (connection, "closed", G_CALLBACK (on_connection_closed), run);
  return TRUE;
}

static void
abort_files (GPtrArray *files)
{
  for (guint i = 0; i < files->len; i++)
    rcd_ctl_output_file_abort (g_ptr_array_index (files, i));
}

static gboolean
wait_for_job (CreateRun *run, GPtrArray *files, GError **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (run->job));

  on_name_owner (G_OBJECT (run->job), NULL, run);
  check_job (run);
  if (!run->finished)
    g_main_loop_run (run->loop);
  dispatch_pending ();
  g_signal_handlers_disconnect_by_data (connection, run);

  if (run->interrupted) {
    abort_files (files);
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
    abort_files (files);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "the image was not written: %s", run->message);
    return FALSE;
  }
  if (!rcd_ctl_output_files_commit ((RcdCtlOutputFile *const *) files->pdata, files->len, error)) {
    run->success = FALSE;
    g_free (run->state);
    run->state = g_strdup ("failed");
    return FALSE;
  }
  return TRUE;
}

/* Creates the temporary files of paths and writes the side file (the
 * last one) as the service made it, byte for byte. */
static gboolean
open_outputs (CreateRun *run, char **paths, GBytes *sheet, GPtrArray *files, GError **error)
{
  for (char **p = paths; *p != NULL; p++) {
    RcdCtlOutputFile *file = rcd_ctl_output_file_new (*p, error);

    if (file == NULL)
      return FALSE;
    g_ptr_array_add (files, file);
  }
  if (sheet != NULL &&
      !rcd_ctl_output_file_write_bytes (g_ptr_array_index (files, files->len - 1), sheet, error))
    return FALSE;
  /* a signal that came meanwhile: no job to start */
  dispatch_pending ();
  if (run->interrupted) {
    run->state = g_strdup ("cancelled");
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "interrupted");
    return FALSE;
  }
  return TRUE;
}

/* paths: from output_paths() */
static gboolean
create_image (RcdCtl             *ctl,
              RcdCtlDisc         *disc,
              const CreateFormat *format,
              char              **paths,
              CreateRun          *run,
              GError            **error)
{
  g_autoptr(RcdDBusImageCreator) creator = NULL;
  g_autoptr(GPtrArray) files =
    g_ptr_array_new_with_free_func ((GDestroyNotify) rcd_ctl_output_file_free);
  g_autoptr(GBytes) sheet = NULL;
  gboolean ok;

  if (!check_outputs (format, paths, error))
    return FALSE;
  if (!rcd_ctl_disc_open_files (disc, error))
    return FALSE;
  if (!rcd_ctl_connect (ctl, error))
    return FALSE;
  creator = rcd_ctl_disc_create_session (disc, rcd_ctl_bus_get_connection (ctl->bus), error);
  if (creator == NULL)
    return FALSE;

  /* the side file first: it fixes the layout, and a layout the format
   * cannot carry fails before anything is written */
  if (format->sheet != NULL) {
    sheet = get_side_file (creator, format, paths, error);
    if (sheet == NULL) {
      rcd_dbus_image_creator_call_close_sync (creator, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                         -1, NULL, NULL);
      return FALSE;
    }
  }

  /* from here on an interruption has temporary files to remove */
  catch_signals (run);
  ok = open_outputs (run, paths, sheet, files, error) &&
       start_job (run, creator, format, files, error) &&
       wait_for_job (run, files, error);

  rcd_dbus_image_creator_call_close_sync (creator, G_DBUS_CALL_FLAGS_NO_AUTO_START,
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
  g_autofree char *format_name = NULL;
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) paths = NULL;
  const CreateFormat *format = &formats[0];
  gboolean json = FALSE;
  gboolean show_progress = FALSE;
  RcdCtlProgressFlags flags = 0;
  RcdCtlProgressInfo last = { 0 };
  const GOptionEntry output_entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "The image file to write (required); with --format, the data file", "OUTPUT" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      "imapi (the full image, the default), cue, toc or clonecd", "FORMAT" },
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
    "on the command line, from 1.\n"
    "\n"
    "--format chooses what is written:\n"
    "  imapi    OUTPUT is the full raw image from the lead-in (IMAPI's)\n"
    "  cue      OUTPUT is the BIN (2352-byte sectors from LBA 0 to the\n"
    "           lead-out); NAME.cue, the CUE sheet, is written beside it\n"
    "  toc      the same sectors in cdrdao's byte order (big-endian; with R-W\n"
    "           data 2448-byte RW_RAW blocks), with NAME.toc for cdrdao\n"
    "  clonecd  OUTPUT must be NAME.img; NAME.sub and NAME.ccd beside it\n"
    "The side file is named after OUTPUT with its extension replaced (or\n"
    "appended).  Every file appears only when all of them are complete.");
  g_option_context_set_description (context,
    "CD-TEXT FILE (--cdtext): a key file in UTF-8, for example\n"
    "\n"
    "  [disc]\n"
    "  title=Album\n"
    "  performer=Band\n"
    "  [track 1]\n"
    "  title=First song\n"
    "  [disc:de]\n"
    "  title=Album auf Deutsch\n"
    "  [track 1:de]\n"
    "  title=Erstes Lied\n"
    "\n"
    "[disc] and [track N] (N: TRACK, the position of an AUDIO file) are\n"
    "CD-TEXT block 0, English unless [disc] has language=LANG;\n"
    "[disc:LANG] and [track N:LANG] are a block in language LANG (at most 8\n"
    "blocks).  LANG: an ISO 639-1 code (en, de, fr, es, it, nl, sv, ja ...),\n"
    "an English language name (German) or an EBU Tech 3264 code (0x08).\n"
    "Keys: title, performer, songwriter, composer, arranger, message; on the\n"
    "disc also genre and upc_ean; on a track also isrc.  --title,\n"
    "--performer, --track-title and --track-performer set block 0 and win\n"
    "over the file.\n");
  g_option_context_add_main_entries (context, output_entries, NULL);
  rcd_ctl_disc_options_add (context, &disc_options,
                            RCD_CTL_DISC_OPTIONS_LAYOUT | RCD_CTL_DISC_OPTIONS_CONTENT |
                            RCD_CTL_DISC_OPTIONS_CDTEXT);
  g_option_context_add_main_entries (context, report_entries, NULL);
  if (!rcd_ctl_parse_options (context, "create", &argc, &argv))
    return RCD_CTL_EXIT_USAGE;

  if (output == NULL)
    return rcd_ctl_usage_error ("create", "no output file: -o OUTPUT is required");
  if (files == NULL || files[0] == NULL)
    return rcd_ctl_usage_error ("create", "no AUDIO files");
  if (format_name != NULL) {
    format = find_format (format_name);
    if (format == NULL)
      return rcd_ctl_usage_error ("create", "--format %s: expected imapi, cue, toc or clonecd",
                                  format_name);
  }
  paths = output_paths (format, output, &error);
  if (paths == NULL)
    return rcd_ctl_usage_error ("create", "%s", error->message);
  disc = rcd_ctl_disc_new (&disc_options, files, &error);
  if (disc == NULL)
    return rcd_ctl_usage_error ("create", "%s", error->message);

  if (show_progress || (!json && isatty (STDERR_FILENO)))
    flags |= RCD_CTL_PROGRESS_BAR;
  if (json)
    flags |= RCD_CTL_PROGRESS_JSON;
  progress = rcd_ctl_progress_new (flags, output);
  rcd_ctl_progress_set_files (progress, (const char *const *) paths);
  run.progress = progress;
  run.loop = g_main_loop_new (NULL, FALSE);

  if (!create_image (ctl, disc, format, paths, &run, &error)) {
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
