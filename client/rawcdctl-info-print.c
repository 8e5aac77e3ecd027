/* rawcdctl-info-print.c: `rawcdctl info` as text and as JSON.  Everything
 * printed is a value the service published (rawcdctl-info-read.c).
 */
#include "rawcdctl.h"
#include "rawcdctl-cdtext.h"
#include "rawcdctl-disc-options.h"
#include "rawcdctl-info.h"

#define TOC_LEADOUT_TRACK  0xAA

/* ResultingImageType values and the names --image-type gives them */
static const struct {
  guint32     type;
  const char *name;
} image_types[] = {
  { 3, "raw" },
  { 2, "cooked" },
  { 1, "pq" },
};

/* The disc identifiers in a fixed order, then any others the service
 * gives. */
static const struct {
  const char *key;
  const char *label;
} disc_id_names[] = {
  { "cddb", "CDDB" },
  { "musicbrainz", "MusicBrainz" },
  { "accuraterip", "AccurateRip" },
};

static gboolean
is_known_disc_id (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (disc_id_names); i++) {
    if (g_str_equal (key, disc_id_names[i].key))
      return TRUE;
  }
  return FALSE;
}

/* Bytes of the full image of a ResultingImageType, from ImageSizes */
static guint64
image_size (const RcdCtlDiscInfo *info, guint32 type)
{
  GVariantIter iter;
  guint32 key;
  guint64 value;

  g_variant_iter_init (&iter, info->image_sizes);
  while (g_variant_iter_next (&iter, "{ut}", &key, &value)) {
    if (key == type)
      return value;
  }
  return 0;
}

/* The language of CD-TEXT block block ("English", or "language 0x4a") */
static char *
block_language (const RcdCtlDiscInfo *info, gsize block)
{
  gsize n = 0;
  const guint8 *codes = info->cdtext_languages != NULL
    ? g_variant_get_fixed_array (info->cdtext_languages, &n, 1) : NULL;
  const char *name;

  if (block >= n)
    return g_strdup_printf ("block %" G_GSIZE_FORMAT, block);
  name = rcd_ctl_cdtext_language_name (codes[block]);
  return name != NULL ? g_strdup (name) : g_strdup_printf ("language 0x%02x", codes[block]);
}

/* CD-TEXT (aa{ss}) as lines "  PREFIX[Language] field "text", ..." */
static void
print_cdtext_text (const RcdCtlDiscInfo *info, GVariant *cdtext, const char *indent)
{
  gsize n_blocks = cdtext != NULL ? g_variant_n_children (cdtext) : 0;

  for (gsize b = 0; b < n_blocks; b++) {
    g_autoptr(GVariant) fields = g_variant_get_child_value (cdtext, b);
    g_autofree char *language = block_language (info, b);
    g_autoptr(GString) line = g_string_new (NULL);
    GVariantIter iter;
    const char *key;
    const char *value;

    g_variant_iter_init (&iter, fields);
    while (g_variant_iter_next (&iter, "{&s&s}", &key, &value)) {
      if (*value == '\0')
        continue;
      g_string_append_printf (line, "%s%s \"%s\"", line->len > 0 ? ", " : "", key, value);
    }
    if (line->len > 0)
      g_print ("%sCD-TEXT (%s): %s\n", indent, language, line->str);
  }
}

static void
print_track_details (const RcdCtlDiscInfo *info, const RcdCtlInfoTrack *track)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (track->isrc != NULL && *track->isrc != '\0')
    g_string_append_printf (line, "ISRC %s", track->isrc);
  if (track->copy != 0)
    g_string_append_printf (line, "%scopy %s", line->len > 0 ? ", " : "",
                            rcd_ctl_copy_setting_name ((int) track->copy));
  if (track->preemphasis)
    g_string_append_printf (line, "%spre-emphasis", line->len > 0 ? ", " : "");
  if (line->len > 0)
    g_print ("       %s\n", line->str);
  /* only for audio that is changed on its way to the disc */
  if (track->conversions[0] != NULL) {
    g_autofree char *done = g_strjoinv (", ", track->conversions);

    g_print ("       %s: %s\n", track->source_format != NULL ? track->source_format : "", done);
  }
  if (track->levels.measured) {
    g_autofree char *levels = rcd_ctl_levels_describe (&track->levels);

    g_print ("       levels: %s\n", levels);
  }
  print_cdtext_text (info, track->cdtext, "       ");
}

void
rcd_ctl_disc_info_print_text (const RcdCtlDiscInfo *info)
{
  GVariantIter iter;
  const char *key;
  const char *value;

  g_print ("%u track%s, %s, first track %d\n", info->tracks->len,
           info->tracks->len == 1 ? "" : "s",
           info->gapless ? "gapless" : "2-second gaps", info->first_track);
  if (info->mcn != NULL && *info->mcn != '\0')
    g_print ("MCN: %s\n", info->mcn);
  print_cdtext_text (info, info->cdtext, "");
  if (info->hidden_file != NULL) {
    g_autofree char *display = g_filename_display_name (info->hidden_file);

    g_print ("Hidden track: %s, %d sectors before track %d index 1\n",
             display, info->hidden_sectors, info->first_track);
  }

  /* Length: what a listener hears, index 1 to the next track's index 1 */
  g_print ("\n%5s  %9s  %7s  %8s  %6s  %8s  %-7s  %s\n",
           "Track", "Start LBA", "Sectors", "Length", "Pregap", "Start", "Indexes", "File");
  for (guint i = 0; i < info->tracks->len; i++) {
    const RcdCtlInfoTrack *track = &g_array_index (info->tracks, RcdCtlInfoTrack, i);
    g_autofree char *file = track->file != NULL ? g_filename_display_name (track->file)
                                                : g_strdup ("");
    g_autoptr(GString) indexes = g_string_new (NULL);

    /* index 1 is at offset 0; list the others as INDEX@OFFSET */
    for (guint j = 1; j < track->indexes->len; j++)
      g_string_append_printf (indexes, "%s%u@%d", j > 1 ? "," : "", j + 1,
                              g_array_index (track->indexes, gint32, j));
    if (indexes->len == 0)
      g_string_append (indexes, "-");
    g_print ("%5d  %9d  %7d  %8s  %6d  %8s  %-7s  %s\n", track->number, track->starting_lba,
             track->sector_count, track->playing_time, track->pregap, track->start_msf,
             indexes->str, file);
    print_track_details (info, track);
  }

  g_print ("\nStartOfLeadout: %d (MSF %s)\n", info->start_of_leadout, info->leadout_msf);
  g_print ("Total time:     %s\n", info->leadout_msf);
  g_print ("Lead-out limit: LBA %d (MSF %s)\n", info->leadout_limit, info->leadout_limit_msf);
  if (info->smallest_blank != 0)
    g_print ("Fits on:        a %u-minute blank\n", info->smallest_blank);
  else
    g_print ("Fits on:        no common blank\n");
  g_print ("Image size:     %" G_GUINT64_FORMAT " sectors, %" G_GUINT64_FORMAT
           " bytes (raw or cooked), %" G_GUINT64_FORMAT " bytes (pq)\n",
           info->image_sectors, image_size (info, 3), image_size (info, 1));

  if (info->toc->len > 0) {
    const RcdCtlInfoTocEntry *first = &g_array_index (info->toc, RcdCtlInfoTocEntry, 0);
    const RcdCtlInfoTocEntry *last = info->toc->len > 1
      ? &g_array_index (info->toc, RcdCtlInfoTocEntry, info->toc->len - 2) : first;

    g_print ("\nTOC (first track %u, last track %u):\n", first->track, last->track);
  }
  g_print ("%5s  %3s  %7s  %9s  %8s\n", "Track", "ADR", "Control", "LBA", "MSF");
  for (guint i = 0; i < info->toc->len; i++) {
    const RcdCtlInfoTocEntry *entry = &g_array_index (info->toc, RcdCtlInfoTocEntry, i);
    g_autofree char *name = entry->track == TOC_LEADOUT_TRACK
      ? g_strdup ("AA") : g_strdup_printf ("%02u", entry->track);
    g_autofree char *control = g_strdup_printf ("0x%x", entry->control);

    g_print ("%5s  %3u  %7s  %9d  %8s\n", name, entry->adr, control, entry->lba, entry->msf);
  }

  if (info->disc_ids == NULL || g_variant_n_children (info->disc_ids) == 0)
    return;
  g_print ("\nDisc IDs:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (disc_id_names); i++) {
    if (g_variant_lookup (info->disc_ids, disc_id_names[i].key, "&s", &value))
      g_print ("  %-12s  %s\n", disc_id_names[i].label, value);
  }
  g_variant_iter_init (&iter, info->disc_ids);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value)) {
    if (!is_known_disc_id (key))
      g_print ("  %-12s  %s\n", key, value);
  }
}

/* ---- JSON ---------------------------------------------------------------- */

/* CD-TEXT as [{"language": "English", "code": 9, FIELD: TEXT ...}, ...] */
static void
cdtext_json (RcdJson *json, const RcdCtlDiscInfo *info, GVariant *cdtext)
{
  gsize n_blocks = cdtext != NULL ? g_variant_n_children (cdtext) : 0;
  gsize n_codes = 0;
  const guint8 *codes = info->cdtext_languages != NULL
    ? g_variant_get_fixed_array (info->cdtext_languages, &n_codes, 1) : NULL;

  rcd_json_begin_array (json);
  for (gsize b = 0; b < n_blocks; b++) {
    g_autoptr(GVariant) fields = g_variant_get_child_value (cdtext, b);
    GVariantIter iter;
    const char *key;
    const char *value;

    rcd_json_begin_object (json);
    rcd_json_member (json, "language");
    rcd_json_string (json, b < n_codes ? rcd_ctl_cdtext_language_name (codes[b]) : NULL);
    rcd_json_member (json, "code");
    if (b < n_codes)
      rcd_json_int (json, codes[b]);
    else
      rcd_json_null (json);
    g_variant_iter_init (&iter, fields);
    while (g_variant_iter_next (&iter, "{&s&s}", &key, &value)) {
      rcd_json_member (json, key);
      rcd_json_string (json, value);
    }
    rcd_json_end_object (json);
  }
  rcd_json_end_array (json);
}

static void
track_json (RcdJson *json, const RcdCtlDiscInfo *info, const RcdCtlInfoTrack *track)
{
  rcd_json_begin_object (json);
  rcd_json_member (json, "number");
  rcd_json_int (json, track->number);
  rcd_json_member (json, "file");
  rcd_json_string (json, track->file);
  rcd_json_member (json, "starting_lba");
  rcd_json_int (json, track->starting_lba);
  rcd_json_member (json, "start_msf");
  rcd_json_string (json, track->start_msf);
  rcd_json_member (json, "sector_count");
  rcd_json_int (json, track->sector_count);
  rcd_json_member (json, "playing_sectors");
  rcd_json_int (json, track->playing_sectors);
  rcd_json_member (json, "length");
  rcd_json_string (json, track->playing_time);
  rcd_json_member (json, "pregap");
  rcd_json_int (json, track->pregap);
  rcd_json_member (json, "indexes");
  rcd_json_begin_array (json);
  for (guint j = 0; j < track->indexes->len; j++)
    rcd_json_int (json, g_array_index (track->indexes, gint32, j));
  rcd_json_end_array (json);
  rcd_json_member (json, "isrc");
  rcd_json_string (json, track->isrc != NULL && *track->isrc != '\0' ? track->isrc : NULL);
  rcd_json_member (json, "copy");
  rcd_json_string (json, rcd_ctl_copy_setting_name ((int) track->copy));
  rcd_json_member (json, "preemphasis");
  rcd_json_boolean (json, track->preemphasis);
  rcd_json_member (json, "cdtext");
  cdtext_json (json, info, track->cdtext);
  rcd_json_member (json, "source_format");
  rcd_json_string (json, track->source_format);
  rcd_json_member (json, "conversions");
  rcd_json_begin_array (json);
  for (guint j = 0; track->conversions[j] != NULL; j++)
    rcd_json_string (json, track->conversions[j]);
  rcd_json_end_array (json);
  /* null unless info --levels measured them */
  rcd_json_member (json, "levels");
  rcd_ctl_levels_json (json, &track->levels);
  rcd_json_end_object (json);
}

static void
toc_json (RcdJson *json, const RcdCtlDiscInfo *info)
{
  gsize toc_len = 0;
  const guint8 *toc_data = g_bytes_get_data (info->toc_bytes, &toc_len);
  g_autoptr(GString) hex = g_string_sized_new (toc_len * 2 + 1);

  rcd_json_begin_object (json);
  if (info->toc->len > 0) {
    rcd_json_member (json, "first_track");
    rcd_json_int (json, g_array_index (info->toc, RcdCtlInfoTocEntry, 0).track);
    rcd_json_member (json, "last_track");
    rcd_json_int (json, g_array_index (info->toc, RcdCtlInfoTocEntry,
                                       info->toc->len > 1 ? info->toc->len - 2 : 0).track);
  }
  rcd_json_member (json, "entries");
  rcd_json_begin_array (json);
  for (guint i = 0; i < info->toc->len; i++) {
    const RcdCtlInfoTocEntry *entry = &g_array_index (info->toc, RcdCtlInfoTocEntry, i);

    rcd_json_begin_object (json);
    rcd_json_member (json, "track");
    rcd_json_int (json, entry->track);
    rcd_json_member (json, "adr");
    rcd_json_int (json, entry->adr);
    rcd_json_member (json, "control");
    rcd_json_int (json, entry->control);
    rcd_json_member (json, "lba");
    rcd_json_int (json, entry->lba);
    rcd_json_member (json, "msf");
    rcd_json_string (json, entry->msf);
    rcd_json_end_object (json);
  }
  rcd_json_end_array (json);
  for (gsize i = 0; i < toc_len; i++)
    g_string_append_printf (hex, "%02x", toc_data[i]);
  rcd_json_member (json, "hex");
  rcd_json_string (json, hex->str);
  rcd_json_end_object (json);
}

void
rcd_ctl_disc_info_print_json (const RcdCtlDiscInfo *info)
{
  g_autoptr(RcdJson) json = rcd_json_new ();
  g_autofree char *warning = rcd_ctl_disc_info_blank_warning (info);

  rcd_json_begin_object (json);
  rcd_json_member (json, "success");
  rcd_json_boolean (json, TRUE);
  rcd_json_member (json, "gapless");
  rcd_json_boolean (json, info->gapless);
  rcd_json_member (json, "first_track");
  rcd_json_int (json, info->first_track);
  rcd_json_member (json, "mcn");
  rcd_json_string (json, info->mcn != NULL && *info->mcn != '\0' ? info->mcn : NULL);
  rcd_json_member (json, "cdtext");
  cdtext_json (json, info, info->cdtext);
  rcd_json_member (json, "hidden_track");
  if (info->hidden_file == NULL) {
    rcd_json_null (json);
  } else {
    rcd_json_begin_object (json);
    rcd_json_member (json, "file");
    rcd_json_string (json, info->hidden_file);
    rcd_json_member (json, "sectors");
    rcd_json_int (json, info->hidden_sectors);
    rcd_json_end_object (json);
  }

  rcd_json_member (json, "tracks");
  rcd_json_begin_array (json);
  for (guint i = 0; i < info->tracks->len; i++)
    track_json (json, info, &g_array_index (info->tracks, RcdCtlInfoTrack, i));
  rcd_json_end_array (json);

  rcd_json_member (json, "start_of_leadout");
  rcd_json_int (json, info->start_of_leadout);
  rcd_json_member (json, "leadout_msf");
  rcd_json_string (json, info->leadout_msf);
  rcd_json_member (json, "total_time");
  rcd_json_string (json, info->leadout_msf);
  rcd_json_member (json, "leadout_limit");
  rcd_json_int (json, info->leadout_limit);
  rcd_json_member (json, "leadout_limit_msf");
  rcd_json_string (json, info->leadout_limit_msf);
  rcd_json_member (json, "smallest_blank");
  rcd_json_int (json, info->smallest_blank);
  rcd_json_member (json, "warnings");
  rcd_json_begin_array (json);
  if (warning != NULL)
    rcd_json_string (json, warning);
  rcd_json_end_array (json);
  rcd_json_member (json, "image_sectors");
  rcd_json_uint (json, info->image_sectors);
  rcd_json_member (json, "image_bytes");
  rcd_json_begin_object (json);
  for (gsize i = 0; i < G_N_ELEMENTS (image_types); i++) {
    rcd_json_member (json, image_types[i].name);
    rcd_json_uint (json, image_size (info, image_types[i].type));
  }
  rcd_json_end_object (json);

  rcd_json_member (json, "toc");
  toc_json (json, info);

  rcd_json_member (json, "disc_ids");
  if (info->disc_ids == NULL) {
    rcd_json_null (json);
  } else {
    GVariantIter iter;
    const char *key;
    const char *value;

    rcd_json_begin_object (json);
    g_variant_iter_init (&iter, info->disc_ids);
    while (g_variant_iter_next (&iter, "{&s&s}", &key, &value)) {
      rcd_json_member (json, key);
      rcd_json_string (json, value);
    }
    rcd_json_end_object (json);
  }

  rcd_json_end_object (json);
  rcd_json_print_line (json);
}
