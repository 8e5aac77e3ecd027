/* rawcdctl-levels.c: the Track properties LevelsMeasured and
 * ClippedSamples, read after the job, and the warning they call for. */
#include "rawcdctl-levels.h"

#include "rawcdctl.h"

GArray *
rcd_ctl_levels_read_clipping (RcdDBusImageCreator *creator, GError **error)
{
  GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (creator));
  g_autoptr(GArray) clipping = g_array_new (FALSE, FALSE, sizeof (RcdCtlClipping));
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
    RcdCtlClipping entry;

    track = rcd_dbus_track_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                           RAWCD_BUS_NAME, paths[i], NULL, error);
    if (track == NULL) {
      g_prefix_error (error, "reading the levels of %s: ", paths[i]);
      return NULL;
    }
    /* a service from before these properties measures nothing: 0, FALSE */
    if (!rcd_dbus_track_get_levels_measured (track))
      continue;
    entry.number = (guint) rcd_dbus_track_get_track_number (track);
    entry.samples = rcd_dbus_track_get_clipped_samples (track);
    if (entry.samples > 0)
      g_array_append_val (clipping, entry);
  }
  return g_steal_pointer (&clipping);
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
