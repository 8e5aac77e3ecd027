/* rawcdctl-cmd-create.c: rawcdctl create: one session on the service, the
 * files and options of the command line, and the image written atomically
 * to OUTPUT.
 *
 * --format cue, toc or clonecd writes the data file to OUTPUT and the side
 * files the service makes beside it (rawcdctl-formats.c).  Every file goes
 * to a temporary file first, and all are renamed only when the job
 * succeeded (rcd_ctl_output_files_commit): all of them appear, or none.
 *
 * A Ctrl-C (SIGINT), SIGTERM or SIGHUP while the image is written cancels
 * the job and removes the temporary files (rawcdctl-job.c).  Before the
 * output files exist, the signals keep their default action: there is
 * nothing to clean up.
 */
#include <stdio.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "rawcdctl.h"
#include "rawcdctl-formats.h"
#include "rawcdctl-job.h"
#include "rawcdctl-levels.h"
#include "rawcdctl-output-file.h"
#include "rawcdctl-progress.h"
#include "rawcdctl-cue.h"
#include "rawcdctl-session.h"
#include "rawcdctl-tags.h"

/* files: the output files, the data file first; a subchannel file second
 * when the format has one.  Returns the job's object path. */
static char *
start_job (RcdDBusImageCreator *creator, const RcdCtlFormat *format,
           GPtrArray *files, gboolean levels, GError **error)
{
  g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new ();
  g_autofree char *job_path = NULL;
  GVariantBuilder options;
  int handle;

  handle = g_unix_fd_list_append (fd_list,
                                  rcd_ctl_output_file_get_fd (g_ptr_array_index (files, 0)),
                                  error);
  if (handle < 0)
    return NULL;
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  /* the default format needs no option (and an older service knows none) */
  if (format->sheet != NULL)
    g_variant_builder_add (&options, "{sv}", "format", g_variant_new_string (format->name));
  if (format->subchannel) {
    int sub_handle = g_unix_fd_list_append (fd_list,
                                            rcd_ctl_output_file_get_fd (g_ptr_array_index (files, 1)),
                                            error);

    if (sub_handle < 0) {
      g_variant_builder_clear (&options);
      return NULL;
    }
    g_variant_builder_add (&options, "{sv}", "subchannel", g_variant_new_handle (sub_handle));
  }
  if (levels)
    g_variant_builder_add (&options, "{sv}", "levels", g_variant_new_boolean (TRUE));
  if (!rcd_dbus_image_creator_call_create_result_image_sync (creator,
                                                             g_variant_new_handle (handle),
                                                             g_variant_builder_end (&options),
                                                             G_DBUS_CALL_FLAGS_NONE, -1,
                                                             fd_list, &job_path, NULL,
                                                             NULL, error)) {
    rcd_ctl_prefix_error (error, "cannot write the image: ");
    return NULL;
  }
  return g_steal_pointer (&job_path);
}

static void
abort_files (GPtrArray *files)
{
  for (guint i = 0; i < files->len; i++)
    rcd_ctl_output_file_abort (g_ptr_array_index (files, i));
}

static gboolean
interrupted_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  return FALSE;
}

/* Creates the temporary files of paths and writes the side file (the
 * last one) as the service made it, byte for byte. */
static gboolean
open_outputs (char **paths, GBytes *sheet, GPtrArray *files, GError **error)
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
  return TRUE;
}

/* The job, from the output files to their commit */
static gboolean
write_image (RcdDBusImageCreator *creator,
             const RcdCtlFormat  *format,
             char               **paths,
             GBytes              *sheet,
             gboolean             levels,
             RcdCtlJobWatch      *watch,
             GError             **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (creator));
  g_autoptr(GPtrArray) files =
    g_ptr_array_new_with_free_func ((GDestroyNotify) rcd_ctl_output_file_free);
  g_autofree char *job_path = NULL;

  if (!open_outputs (paths, sheet, files, error))
    return FALSE;
  /* a signal that came meanwhile: no job to start */
  if (rcd_ctl_job_watch_get_signal (watch) != 0)
    return interrupted_error (error);
  job_path = start_job (creator, format, files, levels, error);
  if (job_path == NULL ||
      !rcd_ctl_job_watch_start (watch, connection, job_path, error))
    return FALSE;
  if (!rcd_ctl_job_watch_wait (watch, error)) {
    abort_files (files);
    if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_prefix_error (error, "the image was not written: ");
    return FALSE;
  }
  return rcd_ctl_output_files_commit ((RcdCtlOutputFile *const *) files->pdata, files->len,
                                      error);
}

/* paths: from rcd_ctl_format_output_paths() */
static gboolean
create_image (RcdCtl             *ctl,
              RcdCtlDisc         *disc,
              const RcdCtlFormat *format,
              char              **paths,
              RcdCtlJobWatch     *watch,
              GArray            **clipping,
              GArray            **levels,
              GError            **error)
{
  g_autoptr(RcdDBusImageCreator) creator = NULL;
  g_autoptr(GBytes) sheet = NULL;
  gboolean ok;

  if (!rcd_ctl_format_check_outputs (format, paths, error))
    return FALSE;
  if (!rcd_ctl_session_open_files (disc, error))
    return FALSE;
  if (!rcd_ctl_connect (ctl, error))
    return FALSE;
  creator = rcd_ctl_session_create (disc, rcd_ctl_bus_get_connection (ctl->bus), error);
  if (creator == NULL)
    return FALSE;

  /* the side file first: it fixes the layout, and a layout the format
   * cannot carry fails before anything is written */
  if (format->sheet != NULL) {
    sheet = rcd_ctl_format_get_side_file (creator, format, paths, error);
    if (sheet == NULL) {
      rcd_ctl_tags_explain (disc, *error);
      rcd_dbus_image_creator_call_close_sync (creator, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                              -1, NULL, NULL);
      return FALSE;
    }
  }

  /* from here on an interruption has temporary files to remove */
  rcd_ctl_job_watch_catch_signals (watch);
  ok = write_image (creator, format, paths, sheet, levels != NULL, watch, error);
  if (!ok)
    rcd_ctl_tags_explain (disc, *error);
  /* the image is there: what the service measured cannot undo it, and a
   * failure to read it is said, not fatal */
  if (ok) {
    g_autoptr(GError) local_error = NULL;

    *clipping = rcd_ctl_levels_read_clipping (creator, &local_error);
    if (*clipping == NULL)
      g_printerr ("rawcdctl: warning: %s\n", local_error->message);
    g_clear_error (&local_error);
    if (levels != NULL && (*levels = rcd_ctl_levels_read (creator, &local_error)) == NULL)
      g_printerr ("rawcdctl: warning: %s\n", local_error->message);
  }
  rcd_dbus_image_creator_call_close_sync (creator, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                          -1, NULL, NULL);
  return ok;
}

/* "track 1: peak -6.02 dBFS, true peak ..." for each track measured */
static void
print_levels (GArray *levels, FILE *out)
{
  for (guint i = 0; levels != NULL && i < levels->len; i++) {
    const RcdCtlLevels *entry = &g_array_index (levels, RcdCtlLevels, i);
    g_autofree char *text = rcd_ctl_levels_describe (entry);

    if (text != NULL)
      fprintf (out, "track %u: %s\n", entry->number, text);
  }
}

int
rcd_ctl_cmd_create (RcdCtl *ctl, int argc, char **argv)
{
  g_auto(RcdCtlDiscOptions) disc_options = { 0 };
  g_autoptr(RcdCtlJobWatch) watch = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RcdCtlDisc) disc = NULL;
  int status = 0;
  g_autoptr(RcdCtlProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format_name = NULL;
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) paths = NULL;
  const RcdCtlFormat *format = NULL;
  gboolean json = FALSE;
  gboolean show_progress = FALSE;
  RcdCtlProgressFlags flags = 0;
  RcdCtlProgressInfo last = { 0 };
  gboolean has_job;
  g_autoptr(GArray) clipping = NULL;
  g_autoptr(GArray) levels = NULL;
  gboolean measure = FALSE;
  const GOptionEntry output_entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "The image file to write (required; - for standard output); with "
      "--format, the data file", "OUTPUT" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      "imapi (the full image, the default), cue, toc or clonecd", "FORMAT" },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry report_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print progress and the result as JSON lines on stdout", NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &show_progress,
      "Show the progress bar even if stderr is no terminal", NULL },
    { "levels", 0, 0, G_OPTION_ARG_NONE, &measure,
      "Also measure each track's sample peak, true peak and loudness while "
      "writing, and print them (costs processor time)", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };

  context = rcd_ctl_option_context_new ("create", "-o OUTPUT AUDIO…|SHEET.cue",
    "Writes the raw image of an audio CD with one track per AUDIO file, in\n"
    "the order given, to OUTPUT; or the disc a CUE sheet describes (its\n"
    "FILEs, ranges, gaps, indexes, CATALOG, ISRC, FLAGS and CD-TEXT).\n"
    "OUTPUT appears only when the image is complete; -o - writes the image\n"
    "to standard output as it is made.  TRACK in the options below is the\n"
    "position of an AUDIO file on the command line, from 1, or of a track\n"
    "in the sheet; the options win over the sheet.\n"
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
  if (json && rcd_ctl_output_file_is_stdout (output))
    return rcd_ctl_usage_error ("create", "--json and -o - both write to standard output");
  format = rcd_ctl_format_find (format_name);
  if (format == NULL)
    return rcd_ctl_usage_error ("create", "--format %s: expected imapi, cue, toc or clonecd",
                                format_name);
  paths = rcd_ctl_format_output_paths (format, output, &error);
  if (paths == NULL)
    return rcd_ctl_usage_error ("create", "%s", error->message);
  disc = rcd_ctl_disc_from_arguments ("create", &disc_options, files, json, &status);
  if (disc == NULL)
    return status;

  if (show_progress || (!json && isatty (STDERR_FILENO)))
    flags |= RCD_CTL_PROGRESS_BAR;
  if (json)
    flags |= RCD_CTL_PROGRESS_JSON;
  progress = rcd_ctl_progress_new (flags, output);
  rcd_ctl_progress_set_files (progress, (const char *const *) paths);
  watch = rcd_ctl_job_watch_new (progress);

  /* machine output needs no word about a private rawcdd */
  if (json)
    ctl->quiet = TRUE;
  if (!create_image (ctl, disc, format, paths, watch, &clipping, measure ? &levels : NULL,
                     &error)) {
    g_autofree char *error_name = rcd_ctl_error_name (error);
    g_autofree char *message = NULL;
    const char *state = rcd_ctl_job_watch_get_state (watch);
    int signal = 0;

    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      state = "cancelled";
      signal = rcd_ctl_job_watch_get_signal (watch);
      if (rcd_ctl_output_file_is_stdout (output)) {
        GError *incomplete = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          "%s; what went to standard output is incomplete",
                                          error->message);

        g_clear_error (&error);
        error = incomplete;
      }
    } else if (state == NULL || g_str_equal (state, "succeeded")) {
      /* no job, or its files could not be committed */
      state = "failed";
    }
    message = rcd_ctl_error_message (error);
    has_job = rcd_ctl_job_watch_get_info (watch, &last);
    rcd_ctl_progress_finish (progress, state, FALSE, message, error_name,
                             has_job ? &last : NULL);
    if (signal != 0) {
      /* as a shell reports a command a signal ended */
      g_printerr ("rawcdctl: interrupted: %s\n", message);
      return 128 + signal;
    }
    return rcd_ctl_print_error (error);
  }
  rcd_ctl_job_watch_get_info (watch, &last);
  rcd_ctl_progress_set_clipping (progress, clipping);
  rcd_ctl_progress_set_levels (progress, levels);
  rcd_ctl_progress_finish (progress, "succeeded", TRUE,
                           rcd_ctl_job_watch_get_message (watch), NULL, &last);
  /* the image may be on standard output: the levels go beside the bar */
  if (!json)
    print_levels (levels, rcd_ctl_output_file_is_stdout (output) ? stderr : stdout);
  rcd_ctl_levels_warn_clipping (clipping);
  return RCD_CTL_EXIT_OK;
}
