/* rawcdctl-info-read.c: the layout of a session, read from its properties
 * and those of its tracks, for `rawcdctl info`.
 */
#include "rawcdctl.h"
#include "rawcdctl-info.h"
#include "rcd-dbus-generated.h"

static void
info_track_clear (RcdCtlInfoTrack *track)
{
  g_clear_pointer (&track->start_msf, g_free);
  g_clear_pointer (&track->playing_time, g_free);
  g_clear_pointer (&track->isrc, g_free);
  g_clear_pointer (&track->indexes, g_array_unref);
  g_clear_pointer (&track->cdtext, g_variant_unref);
  g_clear_pointer (&track->source_format, g_free);
  g_clear_pointer (&track->conversions, g_strfreev);
}

static void
info_toc_entry_clear (RcdCtlInfoTocEntry *entry)
{
  g_clear_pointer (&entry->msf, g_free);
}

void
rcd_ctl_disc_info_clear (RcdCtlDiscInfo *info)
{
  g_clear_pointer (&info->mcn, g_free);
  g_clear_pointer (&info->leadout_msf, g_free);
  g_clear_pointer (&info->leadout_limit_msf, g_free);
  g_clear_pointer (&info->image_sizes, g_variant_unref);
  g_clear_pointer (&info->tracks, g_array_unref);
  g_clear_pointer (&info->toc, g_array_unref);
  g_clear_pointer (&info->toc_bytes, g_bytes_unref);
  g_clear_pointer (&info->disc_ids, g_variant_unref);
  g_clear_pointer (&info->cdtext, g_variant_unref);
  g_clear_pointer (&info->cdtext_languages, g_variant_unref);
}

/* A string property the service must publish */
static char *
dup_required (const char *value, const char *name, GError **error)
{
  if (value == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the service does not publish %s (is it older than rawcdctl?)", name);
  return g_strdup (value);
}

static gboolean
read_toc (RcdCtlDiscInfo *info, RcdDBusImageCreator *creator, GError **error)
{
  g_autoptr(GVariant) toc = rcd_dbus_image_creator_dup_table_of_contents (creator);
  g_autoptr(GVariant) toc_bytes = rcd_dbus_image_creator_dup_expected_table_of_contents (creator);
  GVariantIter iter;
  RcdCtlInfoTocEntry entry = { 0 };
  const char *msf;

  if (toc == NULL || toc_bytes == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "the service gave no table of contents");
    return FALSE;
  }
  info->toc = g_array_new (FALSE, TRUE, sizeof (RcdCtlInfoTocEntry));
  g_array_set_clear_func (info->toc, (GDestroyNotify) info_toc_entry_clear);
  g_variant_iter_init (&iter, toc);
  while (g_variant_iter_next (&iter, "(yyyi&s)", &entry.track, &entry.adr,
                              &entry.control, &entry.lba, &msf)) {
    entry.msf = g_strdup (msf);
    g_array_append_val (info->toc, entry);
  }
  info->toc_bytes = g_variant_get_data_as_bytes (toc_bytes);
  return TRUE;
}

static gboolean
read_track (RcdCtlInfoTrack *track, GDBusConnection *connection, const char *path,
            GError **error)
{
  g_autoptr(RcdDBusTrack) proxy = NULL;
  g_autoptr(GVariant) indexes = NULL;

  proxy = rcd_dbus_track_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                         RAWCD_BUS_NAME, path, NULL, error);
  if (proxy == NULL)
    return FALSE;
  track->number = rcd_dbus_track_get_track_number (proxy);
  track->starting_lba = rcd_dbus_track_get_starting_lba (proxy);
  track->sector_count = rcd_dbus_track_get_sector_count (proxy);
  track->pregap = rcd_dbus_track_get_pregap (proxy);
  track->playing_sectors = rcd_dbus_track_get_playing_sectors (proxy);
  track->copy = rcd_dbus_track_get_digital_audio_copy_setting (proxy);
  track->preemphasis = rcd_dbus_track_get_audio_has_preemphasis (proxy);
  track->isrc = g_strdup (rcd_dbus_track_get_isrc (proxy));
  track->cdtext = rcd_dbus_track_dup_cd_text (proxy);
  /* a service from before these properties has neither: "" and none */
  track->source_format = g_strdup (rcd_dbus_track_get_source_format (proxy));
  track->conversions = rcd_dbus_track_dup_conversions (proxy);
  if (track->conversions == NULL)
    track->conversions = g_new0 (char *, 1);
  rcd_ctl_levels_from_track (proxy, &track->levels);
  track->start_msf = dup_required (rcd_dbus_track_get_start_msf (proxy), "StartMSF", error);
  if (track->start_msf == NULL)
    return FALSE;
  track->playing_time = dup_required (rcd_dbus_track_get_playing_time (proxy),
                                      "PlayingTime", error);
  if (track->playing_time == NULL)
    return FALSE;
  track->indexes = g_array_new (FALSE, FALSE, sizeof (gint32));
  indexes = rcd_dbus_track_dup_track_indexes (proxy);
  if (indexes != NULL) {
    gsize n = 0;
    const gint32 *offsets = g_variant_get_fixed_array (indexes, &n, sizeof (gint32));

    g_array_append_vals (track->indexes, offsets, n);
  }
  return TRUE;
}

gboolean
rcd_ctl_disc_info_read (RcdCtlDiscInfo  *info,
                        GDBusConnection *connection,
                        const char      *creator_path,
                        GPtrArray       *files,
                        const char      *hidden_file,
                        GError         **error)
{
  g_autoptr(RcdDBusImageCreator) creator = NULL;
  const char *const *track_paths;

  /* a new proxy: its properties are read now, after every track was added */
  creator = rcd_dbus_image_creator_proxy_new_sync (connection,
                                                   G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                                   RAWCD_BUS_NAME, creator_path, NULL, error);
  if (creator == NULL)
    return FALSE;

  info->gapless = !rcd_dbus_image_creator_get_disable_gapless_audio (creator);
  info->first_track = rcd_dbus_image_creator_get_starting_track_number (creator);
  info->mcn = g_strdup (rcd_dbus_image_creator_get_media_catalog_number (creator));
  info->start_of_leadout = rcd_dbus_image_creator_get_start_of_leadout (creator);
  info->leadout_limit = rcd_dbus_image_creator_get_start_of_leadout_limit (creator);
  info->smallest_blank = rcd_dbus_image_creator_get_smallest_blank (creator);
  info->image_sectors = rcd_dbus_image_creator_get_image_sectors (creator);
  info->image_sizes = rcd_dbus_image_creator_dup_image_sizes (creator);
  info->cdtext = rcd_dbus_image_creator_dup_cd_text (creator);
  info->cdtext_languages = rcd_dbus_image_creator_dup_cd_text_languages (creator);
  info->leadout_msf = dup_required (rcd_dbus_image_creator_get_start_of_leadout_msf (creator),
                                    "StartOfLeadoutMSF", error);
  if (info->leadout_msf == NULL)
    return FALSE;
  info->leadout_limit_msf =
    dup_required (rcd_dbus_image_creator_get_start_of_leadout_limit_msf (creator),
                  "StartOfLeadoutLimitMSF", error);
  if (info->leadout_limit_msf == NULL)
    return FALSE;
  if (info->image_sizes == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "the service does not publish ImageSizes (is it older than rawcdctl?)");
    return FALSE;
  }
  if (!read_toc (info, creator, error))
    return FALSE;

  /* read with the other properties; a service without DiscIds has none */
  info->disc_ids = g_dbus_proxy_get_cached_property (G_DBUS_PROXY (creator), "DiscIds");
  if (info->disc_ids != NULL && !g_variant_is_of_type (info->disc_ids, G_VARIANT_TYPE ("a{ss}")))
    g_clear_pointer (&info->disc_ids, g_variant_unref);

  track_paths = rcd_dbus_image_creator_get_tracks (creator);
  info->tracks = g_array_new (FALSE, TRUE, sizeof (RcdCtlInfoTrack));
  g_array_set_clear_func (info->tracks, (GDestroyNotify) info_track_clear);
  for (guint i = 0; track_paths != NULL && track_paths[i] != NULL; i++) {
    RcdCtlInfoTrack track = { 0 };

    if (i < files->len)
      track.file = g_ptr_array_index (files, i);
    if (!read_track (&track, connection, track_paths[i], error)) {
      info_track_clear (&track);
      return FALSE;
    }
    g_array_append_val (info->tracks, track);
  }

  /* the hidden track is track 1's index 0 */
  if (hidden_file != NULL && info->tracks->len > 0) {
    info->hidden_file = hidden_file;
    info->hidden_sectors = g_array_index (info->tracks, RcdCtlInfoTrack, 0).pregap;
  }
  return TRUE;
}

char *
rcd_ctl_disc_info_blank_warning (const RcdCtlDiscInfo *info)
{
  if (info->smallest_blank == 0)
    return g_strdup_printf ("the disc lasts %s: it fits no common blank (74, 80, 90 or "
                            "99 minutes)", info->leadout_msf);
  if (info->smallest_blank > 80)
    return g_strdup_printf ("the disc lasts %s: it fits neither a 74- nor an 80-minute "
                            "blank; it needs a %u-minute one",
                            info->leadout_msf, info->smallest_blank);
  if (info->smallest_blank > 74)
    return g_strdup_printf ("the disc lasts %s: it does not fit a 74-minute blank; it "
                            "needs an %u-minute one", info->leadout_msf, info->smallest_blank);
  return NULL;
}
