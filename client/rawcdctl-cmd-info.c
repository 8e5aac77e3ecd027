/* rawcdctl-cmd-info.c: rawcdctl info: the layout the service would make of the
 * audio files (a session that adds them, reads the properties and closes
 * without writing anything).
 */
#include <stdio.h>

#include "rawcdctl-json.h"
#include "rawcdctl.h"
#include "rawcdctl-session.h"

/* docs/cd-format.md §2: lead-in and track 1's standard pregap, lead-out */
#define IMAGE_SECTORS_BEFORE_LBA0  22650
#define LEADOUT_SECTORS            6750
#define BYTES_PER_SECTOR_96        2448   /* IS_RAW, IS_COOKED */
#define BYTES_PER_SECTOR_16        2368   /* PQ_ONLY */
#define TOC_LEADOUT_TRACK          0xAA

typedef struct {
  const char *file;
  gint32      number;
  gint32      starting_lba;
  gint32      sector_count;
  gint32      pregap;
  GArray     *indexes;   /* gint32 offsets from starting_lba */
} TrackInfo;

typedef struct {
  guint8  adr;
  guint8  control;
  guint8  track;
  gint32  lba;
} TocEntry;

typedef struct {
  gboolean  gapless;
  gint32    first_track;
  gint32    start_of_leadout;
  const char *hidden_file;
  gint32    hidden_sectors;
  GArray   *tracks;        /* TrackInfo */
  guint8    toc_first;
  guint8    toc_last;
  GArray   *toc;           /* TocEntry */
  GBytes   *toc_bytes;
  GVariant *disc_ids;      /* a{ss} DiscIds; NULL when the service has none */
} DiscInfo;

static void
track_info_clear (TrackInfo *track)
{
  g_clear_pointer (&track->indexes, g_array_unref);
}

static void
disc_info_clear (DiscInfo *info)
{
  g_clear_pointer (&info->tracks, g_array_unref);
  g_clear_pointer (&info->toc, g_array_unref);
  g_clear_pointer (&info->toc_bytes, g_bytes_unref);
  g_clear_pointer (&info->disc_ids, g_variant_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DiscInfo, disc_info_clear)

/* ---- reading the session --------------------------------------------- */

static gboolean
parse_toc (DiscInfo *info, GVariant *toc, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_variant_get_fixed_array (toc, &len, 1);

  info->toc = g_array_new (FALSE, FALSE, sizeof (TocEntry));
  info->toc_bytes = g_bytes_new (data, len);
  if (len < 4 || (len - 4) % 8 != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the service gave a table of contents of %" G_GSIZE_FORMAT " bytes", len);
    return FALSE;
  }
  info->toc_first = data[2];
  info->toc_last = data[3];
  for (gsize off = 4; off + 8 <= len; off += 8) {
    TocEntry entry = {
      .adr = data[off + 1] >> 4,
      .control = data[off + 1] & 0x0f,
      .track = data[off + 2],
      .lba = (gint32) ((guint32) data[off + 4] << 24 | (guint32) data[off + 5] << 16 |
                       (guint32) data[off + 6] << 8 | data[off + 7]),
    };

    g_array_append_val (info->toc, entry);
  }
  return TRUE;
}

static gboolean
read_layout (DiscInfo *info, RcdCtlDisc *disc, GDBusConnection *connection,
             const char *creator_path, GError **error)
{
  g_autoptr(RcdDBusImageCreator) creator = NULL;
  const char *const *track_paths;
  g_autoptr(GVariant) toc = NULL;

  /* a new proxy: its properties are read now, after every track was added */
  creator = rcd_dbus_image_creator_proxy_new_sync (connection,
                                              G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                              RAWCD_BUS_NAME, creator_path,
                                              NULL, error);
  if (creator == NULL)
    return FALSE;

  info->gapless = !rcd_dbus_image_creator_get_disable_gapless_audio (creator);
  info->first_track = rcd_dbus_image_creator_get_starting_track_number (creator);
  info->start_of_leadout = rcd_dbus_image_creator_get_start_of_leadout (creator);
  toc = rcd_dbus_image_creator_dup_expected_table_of_contents (creator);
  if (toc == NULL || !parse_toc (info, toc, error)) {
    if (toc == NULL)
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the service gave no table of contents");
    return FALSE;
  }

  /* read with the other properties; a service without DiscIds has none */
  info->disc_ids = g_dbus_proxy_get_cached_property (G_DBUS_PROXY (creator), "DiscIds");
  if (info->disc_ids != NULL && !g_variant_is_of_type (info->disc_ids, G_VARIANT_TYPE ("a{ss}")))
    g_clear_pointer (&info->disc_ids, g_variant_unref);

  track_paths = rcd_dbus_image_creator_get_tracks (creator);
  info->tracks = g_array_new (FALSE, TRUE, sizeof (TrackInfo));
  g_array_set_clear_func (info->tracks, (GDestroyNotify) track_info_clear);
  for (guint i = 0; track_paths != NULL && track_paths[i] != NULL; i++) {
    g_autoptr(RcdDBusTrack) proxy = NULL;
    g_autoptr(GVariant) indexes = NULL;
    TrackInfo track = { 0 };
    const gint32 *offsets;
    gsize n_offsets = 0;

    proxy = rcd_dbus_track_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                      RAWCD_BUS_NAME, track_paths[i], NULL, error);
    if (proxy == NULL)
      return FALSE;
    if (i < disc->tracks->len)
      track.file = ((RcdCtlTrackSpec *) g_ptr_array_index (disc->tracks, i))->path;
    track.number = rcd_dbus_track_get_track_number (proxy);
    track.starting_lba = rcd_dbus_track_get_starting_lba (proxy);
    track.sector_count = rcd_dbus_track_get_sector_count (proxy);
    if (i == 0) {
      track.pregap = track.starting_lba + 150;
    } else {
      TrackInfo *previous = &g_array_index (info->tracks, TrackInfo, i - 1);

      track.pregap = track.starting_lba - (previous->starting_lba + previous->sector_count);
    }
    track.indexes = g_array_new (FALSE, FALSE, sizeof (gint32));
    indexes = rcd_dbus_track_dup_track_indexes (proxy);
    if (indexes != NULL) {
      offsets = g_variant_get_fixed_array (indexes, &n_offsets, sizeof (gint32));
      g_array_append_vals (track.indexes, offsets, n_offsets);
    }
    g_array_append_val (info->tracks, track);
  }

  if (disc->hidden_path != NULL && info->tracks->len > 0) {
    info->hidden_file = disc->hidden_path;
    info->hidden_sectors = g_array_index (info->tracks, TrackInfo, 0).pregap;
  }
  return TRUE;
}

static gboolean
lay_out (RcdCtl *ctl, RcdCtlDisc *disc, DiscInfo *info, GError **error)
{
  g_autoptr(RcdDBusImageCreator) creator = NULL;
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
  ok = read_layout (info, disc, connection,
                    g_dbus_proxy_get_object_path (G_DBUS_PROXY (creator)), error);
  rcd_dbus_image_creator_call_close_sync (creator, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                     -1, NULL, NULL);
  return ok;
}

/* ---- printing -------------------------------------------------------- */

/* The disc identifiers in a fixed order, then any others the service
 * gives; (name, value) pairs, "" for those it does not give. */
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

static void
print_disc_ids_text (const DiscInfo *info)
{
  GVariantIter iter;
  const char *key;
  const char *value;

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

static void
print_disc_ids_json (RcdJson *json, const DiscInfo *info)
{
  GVariantIter iter;
  const char *key;
  const char *value;

  rcd_json_member (json, "disc_ids");
  if (info->disc_ids == NULL) {
    rcd_json_null (json);
    return;
  }
  rcd_json_begin_object (json);
  for (gsize i = 0; i < G_N_ELEMENTS (disc_id_names); i++) {
    if (g_variant_lookup (info->disc_ids, disc_id_names[i].key, "&s", &value)) {
      rcd_json_member (json, disc_id_names[i].key);
      rcd_json_string (json, value);
    }
  }
  g_variant_iter_init (&iter, info->disc_ids);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value)) {
    if (!is_known_disc_id (key)) {
      rcd_json_member (json, key);
      rcd_json_string (json, value);
    }
  }
  rcd_json_end_object (json);
}

static guint64
image_sectors (const DiscInfo *info)
{
  return (guint64) IMAGE_SECTORS_BEFORE_LBA0 + (guint64) info->start_of_leadout + LEADOUT_SECTORS;
}

/* "TT" for a track number, "AA" for the lead-out */
static char *
toc_track_name (guint8 track)
{
  if (track == TOC_LEADOUT_TRACK)
    return g_strdup ("AA");
  return g_strdup_printf ("%02u", track);
}

static void
print_text (const DiscInfo *info)
{
  g_autofree char *leadout_msf = rcd_ctl_format_msf ((gint64) info->start_of_leadout + 150);
  guint64 sectors = image_sectors (info);

  g_print ("%u track%s, %s, first track %d\n", info->tracks->len,
           info->tracks->len == 1 ? "" : "s",
           info->gapless ? "gapless" : "2-second gaps", info->first_track);
  if (info->hidden_file != NULL) {
    g_autofree char *display = g_filename_display_name (info->hidden_file);
    g_autofree char *length = rcd_ctl_format_msf (info->hidden_sectors);

    g_print ("Hidden track: %s, %d sectors (%s) before track %d index 1\n",
             display, info->hidden_sectors, length, info->first_track);
  }
  g_print ("\n%5s  %9s  %7s  %8s  %6s  %-7s  %s\n",
           "Track", "Start LBA", "Sectors", "Length", "Pregap", "Indexes", "File");
  for (guint i = 0; i < info->tracks->len; i++) {
    const TrackInfo *track = &g_array_index (info->tracks, TrackInfo, i);
    g_autofree char *length = rcd_ctl_format_msf (track->sector_count);
    g_autofree char *file = track->file != NULL ? g_filename_display_name (track->file) : g_strdup ("");
    g_autoptr(GString) indexes = g_string_new (NULL);

    /* index 1 is at offset 0; list the others as INDEX@OFFSET */
    for (guint j = 1; j < track->indexes->len; j++)
      g_string_append_printf (indexes, "%s%u@%d", j > 1 ? "," : "", j + 1,
                              g_array_index (track->indexes, gint32, j));
    if (indexes->len == 0)
      g_string_append (indexes, "-");
    g_print ("%5d  %9d  %7d  %8s  %6d  %-7s  %s\n", track->number, track->starting_lba,
             track->sector_count, length, track->pregap, indexes->str, file);
  }
  g_print ("\nStartOfLeadout: %d (MSF %s)\n", info->start_of_leadout, leadout_msf);
  g_print ("Total time:     %s\n", leadout_msf);
  g_print ("Image size:     %" G_GUINT64_FORMAT " sectors, %" G_GUINT64_FORMAT
           " bytes (raw or cooked), %" G_GUINT64_FORMAT " bytes (pq)\n",
           sectors, sectors * BYTES_PER_SECTOR_96, sectors * BYTES_PER_SECTOR_16);

  g_print ("\nTOC (first track %u, last track %u):\n", info->toc_first, info->toc_last);
  g_print ("%5s  %3s  %7s  %9s  %8s\n", "Track", "ADR", "Control", "LBA", "MSF");
  for (guint i = 0; i < info->toc->len; i++) {
    const TocEntry *entry = &g_array_index (info->toc, TocEntry, i);
    g_autofree char *name = toc_track_name (entry->track);
    g_autofree char *msf = rcd_ctl_format_msf ((gint64) entry->lba + 150);
    g_autofree char *control = g_strdup_printf ("0x%x", entry->control);

    g_print ("%5s  %3u  %7s  %9d  %8s\n", name, entry->adr, control, entry->lba, msf);
  }
  print_disc_ids_text (info);
}

static void
print_json (const DiscInfo *info)
{
  g_autoptr(RcdJson) json = rcd_json_new ();
  g_autofree char *leadout_msf = rcd_ctl_format_msf ((gint64) info->start_of_leadout + 150);
  g_autofree char *toc_hex = NULL;
  gsize toc_len = 0;
  const guint8 *toc_data = g_bytes_get_data (info->toc_bytes, &toc_len);
  guint64 sectors = image_sectors (info);

  rcd_json_begin_object (json);
  rcd_json_member (json, "success");
  rcd_json_boolean (json, TRUE);
  rcd_json_member (json, "gapless");
  rcd_json_boolean (json, info->gapless);
  rcd_json_member (json, "first_track");
  rcd_json_int (json, info->first_track);
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
  for (guint i = 0; i < info->tracks->len; i++) {
    const TrackInfo *track = &g_array_index (info->tracks, TrackInfo, i);
    g_autofree char *length = rcd_ctl_format_msf (track->sector_count);

    rcd_json_begin_object (json);
    rcd_json_member (json, "number");
    rcd_json_int (json, track->number);
    rcd_json_member (json, "file");
    rcd_json_string (json, track->file);
    rcd_json_member (json, "starting_lba");
    rcd_json_int (json, track->starting_lba);
    rcd_json_member (json, "sector_count");
    rcd_json_int (json, track->sector_count);
    rcd_json_member (json, "length");
    rcd_json_string (json, length);
    rcd_json_member (json, "pregap");
    rcd_json_int (json, track->pregap);
    rcd_json_member (json, "indexes");
    rcd_json_begin_array (json);
    for (guint j = 0; j < track->indexes->len; j++)
      rcd_json_int (json, g_array_index (track->indexes, gint32, j));
    rcd_json_end_array (json);
    rcd_json_end_object (json);
  }
  rcd_json_end_array (json);

  rcd_json_member (json, "start_of_leadout");
  rcd_json_int (json, info->start_of_leadout);
  rcd_json_member (json, "leadout_msf");
  rcd_json_string (json, leadout_msf);
  rcd_json_member (json, "total_time");
  rcd_json_string (json, leadout_msf);
  rcd_json_member (json, "image_sectors");
  rcd_json_uint (json, sectors);
  rcd_json_member (json, "image_bytes");
  rcd_json_begin_object (json);
  rcd_json_member (json, "raw");
  rcd_json_uint (json, sectors * BYTES_PER_SECTOR_96);
  rcd_json_member (json, "cooked");
  rcd_json_uint (json, sectors * BYTES_PER_SECTOR_96);
  rcd_json_member (json, "pq");
  rcd_json_uint (json, sectors * BYTES_PER_SECTOR_16);
  rcd_json_end_object (json);

  rcd_json_member (json, "toc");
  rcd_json_begin_object (json);
  rcd_json_member (json, "first_track");
  rcd_json_int (json, info->toc_first);
  rcd_json_member (json, "last_track");
  rcd_json_int (json, info->toc_last);
  rcd_json_member (json, "entries");
  rcd_json_begin_array (json);
  for (guint i = 0; i < info->toc->len; i++) {
    const TocEntry *entry = &g_array_index (info->toc, TocEntry, i);
    g_autofree char *msf = rcd_ctl_format_msf ((gint64) entry->lba + 150);

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
    rcd_json_string (json, msf);
    rcd_json_end_object (json);
  }
  rcd_json_end_array (json);
  toc_hex = g_malloc0 (toc_len * 2 + 1);
  for (gsize i = 0; i < toc_len; i++)
    g_snprintf (toc_hex + 2 * i, 3, "%02x", toc_data[i]);
  rcd_json_member (json, "hex");
  rcd_json_string (json, toc_hex);
  rcd_json_end_object (json);
  print_disc_ids_json (json, info);

  rcd_json_end_object (json);
  rcd_json_print_line (json);
}

int
rcd_ctl_cmd_info (RcdCtl *ctl, int argc, char **argv)
{
  g_auto(RcdCtlDiscOptions) disc_options = { 0 };
  g_auto(DiscInfo) info = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RcdCtlDisc) disc = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print the layout as one JSON object", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };

  context = rcd_ctl_option_context_new ("info", "AUDIO…",
    "Shows the layout a disc of the AUDIO files would have: each track's\n"
    "number, start (LBA), length in sectors (1/75 s), pregap and indexes,\n"
    "where the lead-out starts, the total time (MM:SS:FF), the table of\n"
    "contents and the disc's identifiers (CDDB/freedb, MusicBrainz,\n"
    "AccurateRip).  Nothing is written.");
  g_option_context_add_main_entries (context, entries, NULL);
  rcd_ctl_disc_options_add (context, &disc_options, RCD_CTL_DISC_OPTIONS_LAYOUT);
  if (!rcd_ctl_parse_options (context, "info", &argc, &argv))
    return RCD_CTL_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    return rcd_ctl_usage_error ("info", "no AUDIO files");
  disc = rcd_ctl_disc_new (&disc_options, files, &error);
  if (disc == NULL)
    return rcd_ctl_usage_error ("info", "%s", error->message);

  /* machine output needs no word about a private rawcdd */
  if (json)
    ctl->quiet = TRUE;
  if (!lay_out (ctl, disc, &info, &error))
    return rcd_ctl_report_error (error, json);
  if (json)
    print_json (&info);
  else
    print_text (&info);
  return RCD_CTL_EXIT_OK;
}
