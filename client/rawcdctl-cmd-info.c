/* rawcdctl-cmd-info.c: rawcdctl info: the disc the service would make of
 * the audio files and every option create takes (a session that adds
 * them, reads the properties and closes without writing anything).
 */
#include <unistd.h>

#include "rawcdctl.h"
#include "rawcdctl-info.h"
#include "rawcdctl-levels.h"
#include "rawcdctl-cue.h"
#include "rawcdctl-session.h"
#include "rawcdctl-tags.h"

/* The session's MeasureLevels job, with a bar on a terminal. */
static gboolean
measure (RcdDBusImageCreator *creator, gboolean json, GError **error)
{
  gboolean bar = !json && isatty (STDERR_FILENO);
  g_autoptr(RcdCtlProgress) progress = rcd_ctl_progress_new (bar ? RCD_CTL_PROGRESS_BAR : 0,
                                                             "levels");
  g_autoptr(RcdCtlJobWatch) watch = rcd_ctl_job_watch_new (progress);
  RcdCtlProgressInfo last = { 0 };
  gboolean ok = rcd_ctl_levels_measure (creator, watch, error);

  if (rcd_ctl_job_watch_get_info (watch, &last))
    rcd_ctl_progress_finish (progress, ok ? "succeeded" : "failed", ok,
                             rcd_ctl_job_watch_get_message (watch), NULL, &last);
  return ok;
}

static gboolean
lay_out (RcdCtl *ctl, RcdCtlDisc *disc, RcdCtlDiscInfo *info, gboolean levels, gboolean json,
         GError **error)
{
  g_autoptr(RcdDBusImageCreator) creator = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  GDBusConnection *connection;
  gboolean ok;

  if (!rcd_ctl_session_open_files (disc, error))
    return FALSE;
  if (!rcd_ctl_connect (ctl, error))
    return FALSE;
  connection = rcd_ctl_bus_get_connection (ctl->bus);
  creator = rcd_ctl_session_create (disc, connection, error);
  if (creator == NULL)
    return FALSE;
  if (levels && !measure (creator, json, error)) {
    rcd_dbus_image_creator_call_close_sync (creator, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                            -1, NULL, NULL);
    return FALSE;
  }
  for (guint i = 0; i < disc->tracks->len; i++)
    g_ptr_array_add (files, ((RcdCtlTrackSpec *) g_ptr_array_index (disc->tracks, i))->path);
  ok = rcd_ctl_disc_info_read (info, connection,
                               g_dbus_proxy_get_object_path (G_DBUS_PROXY (creator)),
                               files, disc->hidden_path, error);
  rcd_dbus_image_creator_call_close_sync (creator, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                          -1, NULL, NULL);
  return ok;
}

int
rcd_ctl_cmd_info (RcdCtl *ctl, int argc, char **argv)
{
  g_auto(RcdCtlDiscOptions) disc_options = { 0 };
  g_auto(RcdCtlDiscInfo) info = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RcdCtlDisc) disc = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  gboolean levels = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print the layout as one JSON object", NULL },
    { "levels", 0, 0, G_OPTION_ARG_NONE, &levels,
      "Also decode every track and show its sample peak, true peak, loudness "
      "and clipping (takes as long as decoding the files)", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };

  context = rcd_ctl_option_context_new ("info", "[OPTION…] AUDIO…|SHEET.cue",
    "Shows the disc that 'rawcdctl create' with the same AUDIO files and\n"
    "options would make, without writing anything: the MCN and CD-TEXT of\n"
    "the disc; for each track its number, start (LBA), sectors, Length (what\n"
    "a listener hears: from its index 1 to the next track's), pregap, start\n"
    "time (MM:SS:FF on the disc), indexes, ISRC, copy setting, pre-emphasis\n"
    "and CD-TEXT; where the lead-out starts (the total time), the lead-out\n"
    "limit, the smallest blank it fits on (with a warning on stderr when it\n"
    "does not fit a 74-minute one), the image size, the table of contents\n"
    "and the disc's identifiers (CDDB/freedb, MusicBrainz, AccurateRip).\n"
    "TRACK in the options is the position of an AUDIO file, from 1, or of a\n"
    "track in the CUE sheet SHEET.cue.  --levels also measures each track's\n"
    "audio as it would go on the disc: sample peak (dBFS), true peak (dBTP),\n"
    "integrated loudness (LUFS, EBU R 128) and samples clipped.");
  g_option_context_add_main_entries (context, entries, NULL);
  rcd_ctl_disc_options_add (context, &disc_options,
                            RCD_CTL_DISC_OPTIONS_LAYOUT | RCD_CTL_DISC_OPTIONS_CONTENT |
                            RCD_CTL_DISC_OPTIONS_CDTEXT);
  if (!rcd_ctl_parse_options (context, "info", &argc, &argv))
    return RCD_CTL_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    return rcd_ctl_usage_error ("info", "no AUDIO files");
  disc = rcd_ctl_disc_from_arguments ("info", &disc_options, files, json, &status);
  if (disc == NULL)
    return status;

  /* machine output needs no word about a private rawcdd */
  if (json)
    ctl->quiet = TRUE;
  if (!lay_out (ctl, disc, &info, levels, json, &error))
    return rcd_ctl_report_error (error, json);
  if (json)
    rcd_ctl_disc_info_print_json (&info);
  else
    rcd_ctl_disc_info_print_text (&info);
  warning = rcd_ctl_disc_info_blank_warning (&info);
  if (warning != NULL)
    g_printerr ("rawcdctl: warning: %s\n", warning);
  return RCD_CTL_EXIT_OK;
}
