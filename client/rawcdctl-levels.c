/* rawcdctl-levels.c: the Track properties LevelsMeasured, ClippedSamples,
 * LoudnessMeasured, SamplePeak, TruePeak and IntegratedLoudness, read after
 * a job; the warning clipping calls for; the job that measures. */
#include "rawcdctl-levels.h"

#include "rawcdctl.h"

void
rcd_ctl_levels_from_track (RcdDBusTrack *track, RcdCtlLevels *levels)
{
  levels->number = (guint) rcd_dbus_track_get_track_number (track);
  levels->clipped = rcd_dbus_track_get_clipped_samples (track);
  /* a service from before these properties measures none: FALSE */
  levels->measured = rcd_dbus_track_get_loudness_measured (track);
  levels->sample_peak = rcd_dbus_track_get_sample_peak (track);
  levels->true_peak = rcd_dbus_track_get_true_peak (track);
  levels->loudness = rcd_dbus_track_get_integrated_loudness (track);
}

/* Each track's proxy, and whether it measured its clipping. */
static GArray *
read_tracks (RcdDBusImageCreator *creator, gboolean clipping_only, GError **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (creator));
  g_autoptr(GArray) tracks = g_array_new (FALSE, FALSE, sizeof (RcdCtlLevels));
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autofree const char **paths = NULL;

  /* asked now: the proxy's cache may predate the tracks */
  reply = g_dbus_connection_call_sync (connection, RAWCD_BUS_NAME,
                                       g_dbus_proxy_get_object_path (G_DBUS_PROXY (creator)),
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", RAWCD_IFACE_CREATOR,
                                                      "Tracks"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       -1, NULL, error);
  if (reply == NULL) {
    g_prefix_error (error, "reading the tracks for their levels: ");
    return NULL;
  }
  g_variant_get (reply, "(v)", &value);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("ao"))) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "the service's Tracks is not a list of objects");
    return NULL;
  }
  paths = g_variant_get_objv (value, NULL);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++) {
    g_autoptr(RcdDBusTrack) track = NULL;
    RcdCtlLevels entry;

    track = rcd_dbus_track_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                           RAWCD_BUS_NAME, paths[i], NULL, error);
    if (track == NULL) {
      g_prefix_error (error, "reading the levels of %s: ", paths[i]);
      return NULL;
    }
    /* a service from before these properties measures nothing: 0, FALSE */
    if (clipping_only && !rcd_dbus_track_get_levels_measured (track))
      continue;
    rcd_ctl_levels_from_track (track, &entry);
    g_array_append_val (tracks, entry);
  }
  return g_steal_pointer (&tracks);
}

GArray *
rcd_ctl_levels_read (RcdDBusImageCreator *creator, GError **error)
{
  return read_tracks (creator, FALSE, error);
}

GArray *
rcd_ctl_levels_read_clipping (RcdDBusImageCreator *creator, GError **error)
{
  g_autoptr(GArray) tracks = read_tracks (creator, TRUE, error);
  g_autoptr(GArray) clipping = g_array_new (FALSE, FALSE, sizeof (RcdCtlClipping));

  if (tracks == NULL)
    return NULL;
  for (guint i = 0; i < tracks->len; i++) {
    const RcdCtlLevels *levels = &g_array_index (tracks, RcdCtlLevels, i);
    RcdCtlClipping entry = { levels->number, levels->clipped };

    if (entry.samples > 0)
      g_array_append_val (clipping, entry);
  }
  return g_steal_pointer (&clipping);
}

static void
append_db (GString *text, double value, const char *unit)
{
  if (value == RCD_CTL_LEVELS_SILENT)
    g_string_append_printf (text, "-inf %s", unit);
  else
    g_string_append_printf (text, "%.2f %s", value, unit);
}

char *
rcd_ctl_levels_describe (const RcdCtlLevels *levels)
{
  GString *text;

  if (!levels->measured)
    return NULL;
  text = g_string_new ("peak ");
  append_db (text, levels->sample_peak, "dBFS");
  g_string_append (text, ", true peak ");
  append_db (text, levels->true_peak, "dBTP");
  g_string_append (text, ", loudness ");
  append_db (text, levels->loudness, "LUFS");
  if (levels->clipped > 0)
    g_string_append_printf (text, ", %" G_GUINT64_FORMAT " samples clipped", levels->clipped);
  return g_string_free (text, FALSE);
}

static void
json_db (RcdJson *json, const char *name, double value)
{
  rcd_json_member (json, name);
  if (value == RCD_CTL_LEVELS_SILENT)
    rcd_json_null (json);
  else
    rcd_json_double (json, value);
}

void
rcd_ctl_levels_json (RcdJson *json, const RcdCtlLevels *levels)
{
  if (!levels->measured) {
    rcd_json_null (json);
    return;
  }
  rcd_json_begin_object (json);
  json_db (json, "sample_peak", levels->sample_peak);
  json_db (json, "true_peak", levels->true_peak);
  json_db (json, "loudness", levels->loudness);
  rcd_json_member (json, "clipped");
  rcd_json_uint (json, levels->clipped);
  rcd_json_end_object (json);
}

gboolean
rcd_ctl_levels_measure (RcdDBusImageCreator *creator, RcdCtlJobWatch *watch, GError **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (creator));
  g_autofree char *job_path = NULL;

  if (!rcd_dbus_image_creator_call_measure_levels_sync (creator,
                                                        g_variant_new_array (G_VARIANT_TYPE ("{sv}"),
                                                                             NULL, 0),
                                                        G_DBUS_CALL_FLAGS_NONE, -1,
                                                        &job_path, NULL, error)) {
    rcd_ctl_prefix_error (error, "cannot measure the levels: ");
    return FALSE;
  }
  if (!rcd_ctl_job_watch_start (watch, connection, job_path, error))
    return FALSE;
  if (!rcd_ctl_job_watch_wait (watch, error)) {
    if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_prefix_error (error, "the levels were not measured: ");
    return FALSE;
  }
  return TRUE;
}

void
rcd_ctl_levels_warn_clipping (GArray *clipping)
{
  for (guint i = 0; clipping != NULL && i < clipping->len; i++) {
    const RcdCtlClipping *entry = &g_array_index (clipping, RcdCtlClipping, i);

    g_printerr ("rawcdctl: warning: track %u: %" G_GUINT64_FORMAT " samples clipped\n",
                entry->number, entry->samples);
  }
}
