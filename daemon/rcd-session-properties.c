/* rcd-session-properties.c: the ImageCreator's properties, from the disc
 * model, and its property writes (rcd-session-private.h). */
#include <string.h>

#include "rc-discid.h"
#include "rc-error.h"
#include "rc-geometry.h"
#include "rcd-cdtext.h"
#include "rcd-session-private.h"
#include "rcd-track.h"

/* DiscIds: a{ss}, {} without tracks. */
static GVariant *
disc_ids_variant (RcDisc *disc)
{
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GList) keys = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  if (rc_disc_get_n_tracks (disc) > 0)
    {
      ids = rc_discid_compute (rc_disc_peek_layout (disc));
      /* In a stable order, so that an unchanged value compares equal. */
      keys = g_list_sort (g_hash_table_get_keys (ids), (GCompareFunc) strcmp);
      for (GList *l = keys; l != NULL; l = l->next)
        g_variant_builder_add (&builder, "{ss}", (const char *) l->data,
                               (const char *) g_hash_table_lookup (ids, l->data));
    }
  return g_variant_builder_end (&builder);
}

/* ImageSizes: a{ut}, the full image's bytes for each ResultingImageType. */
static GVariant *
image_sizes_variant (const RcLayout *layout)
{
  static const RcImageType types[] = {
    RC_IMAGE_TYPE_PQ_ONLY, RC_IMAGE_TYPE_IS_COOKED, RC_IMAGE_TYPE_IS_RAW,
  };
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ut}"));
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_variant_builder_add (&builder, "{ut}", (guint32) types[i],
                           rc_geometry_image_bytes (layout, types[i]));
  return g_variant_builder_end (&builder);
}

/* TableOfContents: a(yyyis), ExpectedTableOfContents decoded. */
static GVariant *
toc_variant (GBytes *toc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = rc_geometry_decode_toc (toc, &error);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(yyyis)"));
  if (entries == NULL)
    {
      /* The engine built the bytes: a failure here is a bug of ours. */
      g_warning ("cannot decode the table of contents: %s", error->message);
      return g_variant_builder_end (&builder);
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const RcTocEntry *e = &g_array_index (entries, RcTocEntry, i);
      g_autofree char *msf = rc_geometry_lba_to_msf (e->lba);

      g_variant_builder_add (&builder, "(yyyis)", e->track, e->adr, e->control,
                             e->lba, msf);
    }
  return g_variant_builder_end (&builder);
}

/* The geometry the clients show, all from the engine (rc-geometry.h). */
static void
publish_geometry (RcdDBusImageCreator *ic, RcDisc *disc, GBytes *toc)
{
  const RcLayout *layout = rc_disc_peek_layout (disc);
  g_autofree char *leadout_msf = rc_geometry_lba_to_msf (layout->leadout_lba);
  g_autofree char *limit_msf =
    rc_geometry_lba_to_msf (rc_disc_get_start_of_leadout_limit (disc));

  rcd_dbus_image_creator_set_image_sectors (ic, (guint64) rc_layout_image_sectors (layout));
  rcd_dbus_image_creator_set_image_sizes (ic, image_sizes_variant (layout));
  rcd_dbus_image_creator_set_start_of_leadout_msf (ic, leadout_msf);
  rcd_dbus_image_creator_set_start_of_leadout_limit_msf (ic, limit_msf);
  rcd_dbus_image_creator_set_smallest_blank (ic, rc_geometry_smallest_blank (layout->leadout_lba));
  rcd_dbus_image_creator_set_table_of_contents (ic, toc_variant (toc));
}

void
rcd_session_changed (RcdSession *self)
{
  RcdDBusImageCreator *ic = RCD_DBUS_IMAGE_CREATOR (self);
  RcDisc *disc = self->disc;
  g_autoptr(GBytes) toc = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  if (self->ended)
    return;

  for (guint i = 0; i < self->tracks->len; i++)
    {
      RcdTrack *track = g_ptr_array_index (self->tracks, i);

      g_ptr_array_add (paths, (gpointer) rcd_track_get_path (track));
      rcd_track_refresh (track, disc);
    }
  g_ptr_array_add (paths, NULL);

  toc = rc_disc_get_expected_toc (disc);
  rcd_dbus_image_creator_set_resulting_image_type (ic, rc_disc_get_image_type (disc));
  rcd_dbus_image_creator_set_start_of_leadout (ic, rc_disc_get_start_of_leadout (disc));
  rcd_dbus_image_creator_set_start_of_leadout_limit (ic, rc_disc_get_start_of_leadout_limit (disc));
  rcd_dbus_image_creator_set_disable_gapless_audio (ic, rc_disc_get_disable_gapless_audio (disc));
  rcd_dbus_image_creator_set_pad_streams_to_sectors (ic, rc_disc_get_pad_streams_to_sectors (disc));
  rcd_dbus_image_creator_set_media_catalog_number (ic, rc_disc_get_media_catalog_number (disc));
  rcd_dbus_image_creator_set_starting_track_number (ic, rc_disc_get_starting_track_number (disc));
  rcd_dbus_image_creator_set_number_of_existing_tracks (ic, (gint) rc_disc_get_n_tracks (disc));
  rcd_dbus_image_creator_set_last_used_user_sector_in_image (ic, rc_disc_get_last_used_user_sector (disc));
  rcd_dbus_image_creator_set_expected_table_of_contents (ic,
    toc != NULL ? g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, toc, TRUE)
                : g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, NULL, 0, 1));
  rcd_dbus_image_creator_set_tracks (ic, (const char *const *) paths->pdata);
  rcd_dbus_image_creator_set_cd_text (ic, rcd_cdtext_get (disc, 0));
  rcd_dbus_image_creator_set_cd_text_languages (ic, rcd_cdtext_get_languages (disc));
  rcd_dbus_image_creator_set_disc_ids (ic, disc_ids_variant (disc));
  publish_geometry (ic, disc, toc);
}

/* Property writes: the engine validates, its error goes to the caller. */
gboolean
rcd_session_set_property (GDBusInterfaceSkeleton  *skeleton,
                      const char              *name,
                      GVariant                *value,
                      GError                 **error)
{
  RcdSession *self = RCD_SESSION (skeleton);
  RcDisc *disc = rcd_session_get_disc (self, error);
  gboolean ok;

  if (disc == NULL)
    return FALSE;

  if (g_str_equal (name, "ResultingImageType"))
    ok = rc_disc_set_image_type (disc, g_variant_get_uint32 (value), error);
  else if (g_str_equal (name, "StartOfLeadoutLimit"))
    ok = rc_disc_set_start_of_leadout_limit (disc, g_variant_get_int32 (value), error);
  else if (g_str_equal (name, "DisableGaplessAudio"))
    ok = rc_disc_set_disable_gapless_audio (disc, g_variant_get_boolean (value), error);
  else if (g_str_equal (name, "PadStreamsToSectors"))
    ok = rc_disc_set_pad_streams_to_sectors (disc, g_variant_get_boolean (value), error);
  else if (g_str_equal (name, "MediaCatalogNumber"))
    ok = rc_disc_set_media_catalog_number (disc, g_variant_get_string (value, NULL), error);
  else if (g_str_equal (name, "StartingTrackNumber"))
    ok = rc_disc_set_starting_track_number (disc, g_variant_get_int32 (value), error);
  else if (g_str_equal (name, "CdText"))
    ok = rcd_cdtext_set (disc, 0, value, error);
  else if (g_str_equal (name, "CdTextLanguages"))
    ok = rcd_cdtext_set_languages (disc, value, error);
  else
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "property '%s' cannot be set", name);
      return FALSE;
    }

  /* A refused value leaves the model as it was: nothing to announce. */
  if (!ok)
    {
      g_prefix_error (error, "cannot set %s: ", name);
      return FALSE;
    }
  g_debug ("%s: %s set", self->path, name);
  rcd_session_changed (self);
  return TRUE;
}

