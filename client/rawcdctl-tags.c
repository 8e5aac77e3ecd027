/* rawcdctl-tags.c: --tags: CD-TEXT and ISRCs from the files' tags (read
 * by rawcdctl-tags-taglib.cc), put below every other source of text:
 * command line, then --cdtext file, then the CUE sheet, then tags.
 */
#include <string.h>

#include <gio/gio.h>

#include "rawcdctl-tags.h"

/* The tag each track field comes from, the first one a file has. */
static const struct {
  const char *field;
  const char *tags[3];
} track_fields[] = {
  { "title", { "TITLE", NULL } },
  { "performer", { "ARTIST", NULL } },
  { "songwriter", { "SONGWRITER", "LYRICIST", NULL } },
  { "composer", { "COMPOSER", NULL } },
  { "arranger", { "ARRANGER", NULL } },
  { "message", { "COMMENT", NULL } },
};

/* CD-TEXT holds text in ISO-8859-1 or MS-JIS (the service picks one per
 * block); anything else can only be refused, and the user must learn
 * where it came from. */
static gboolean
check_text (const char *path, const char *tag, const char *text, GError **error)
{
  g_autofree char *latin1 = g_convert (text, -1, "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
  g_autofree char *msjis = latin1 != NULL ? NULL
                           : g_convert (text, -1, "CP932", "UTF-8", NULL, NULL, NULL);
  g_autofree char *display = NULL;

  if (latin1 != NULL || msjis != NULL)
    return TRUE;
  display = g_filename_display_name (path);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s: tag %s \"%s\": CD-TEXT cannot hold this text (its character codes are "
               "ISO-8859-1 and MS-JIS); give the text with --cdtext or leave out --tags",
               display, tag, text);
  return FALSE;
}

/* A value all files that have tag agree on; NULL when they differ or none
 * has it. */
static const char *
common_value (GPtrArray *tables, const char *tag)
{
  const char *value = NULL;

  for (guint i = 0; i < tables->len; i++) {
    const char *v = g_hash_table_lookup (g_ptr_array_index (tables, i), tag);

    if (v == NULL)
      continue;
    if (value != NULL && !g_str_equal (value, v))
      return NULL;
    value = v;
  }
  return value;
}

static const char *
first_value (GPtrArray *tables, const char *tag, guint *which)
{
  for (guint i = 0; i < tables->len; i++) {
    const char *v = g_hash_table_lookup (g_ptr_array_index (tables, i), tag);

    if (v != NULL) {
      *which = i;
      return v;
    }
  }
  return NULL;
}

/* The text goes in front of what a sheet gave, so that the sheet wins. */
static void
add_below (RcdCtlDisc *disc, guint *at, guint track, const char *field, const char *text,
           const char *path, const char *tag)
{
  RcdCtlCdTextOption *option = g_new0 (RcdCtlCdTextOption, 1);
  g_autofree char *display = g_filename_display_name (path);

  option->track = track;
  option->field = g_strdup (field);
  option->text = g_strdup (text);
  option->origin = g_strdup_printf ("the %s tag of %s", tag, display);
  g_ptr_array_insert (disc->sheet_cdtext, (gint) (*at)++, option);
}

static gboolean
apply_disc (RcdCtlDisc *disc, GPtrArray *tables, GPtrArray *paths, guint *at, GError **error)
{
  guint which = 0;
  const char *title = first_value (tables, "ALBUM", &which);
  const char *performer;
  const char *performer_tag;
  const char *genre = common_value (tables, "GENRE");

  if (title != NULL) {
    if (!check_text (g_ptr_array_index (paths, which), "ALBUM", title, error))
      return FALSE;
    add_below (disc, at, 0, "title", title, g_ptr_array_index (paths, which), "ALBUM");
  }
  performer = first_value (tables, "ALBUMARTIST", &which);
  performer_tag = "ALBUMARTIST";
  if (performer == NULL) {
    performer = common_value (tables, "ARTIST");
    performer_tag = "ARTIST";
    first_value (tables, "ARTIST", &which);
  }
  if (performer != NULL) {
    if (!check_text (g_ptr_array_index (paths, which), performer_tag, performer, error))
      return FALSE;
    add_below (disc, at, 0, "performer", performer, g_ptr_array_index (paths, which),
               performer_tag);
  }
  /* the service takes genre text in printable ASCII only */
  if (genre != NULL) {
    first_value (tables, "GENRE", &which);
    for (const char *p = genre; *p != '\0'; p++) {
      if (*p < 0x20 || *p > 0x7e) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: tag GENRE \"%s\": CD-TEXT genre text must be ASCII",
                     (const char *) g_ptr_array_index (paths, which), genre);
        return FALSE;
      }
    }
    add_below (disc, at, 0, "genre", genre, g_ptr_array_index (paths, which), "GENRE");
  }
  return TRUE;
}

gboolean
rcd_ctl_tags_apply (RcdCtlDisc *disc, GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GHashTable) per_source = g_hash_table_new (NULL, NULL);
  guint at = 0;

  /* a file several tracks share (a whole-disc FLAC) says nothing about
   * one track: its tags describe the disc */
  for (guint t = 0; t < disc->tracks->len; t++) {
    RcdCtlTrackSpec *track = g_ptr_array_index (disc->tracks, t);

    if (track->source != NULL)
      g_hash_table_insert (per_source, track->source,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_source,
                                                                                    track->source)) + 1));
  }
  for (guint t = 0; t < disc->tracks->len; t++) {
    RcdCtlTrackSpec *track = g_ptr_array_index (disc->tracks, t);
    const char *path = track->source != NULL ? track->source->path : track->path;
    gboolean shared = track->source != NULL &&
                      GPOINTER_TO_UINT (g_hash_table_lookup (per_source, track->source)) > 1;
    GHashTable *tags;

    if (shared && t > 0 && track->source ==
        ((RcdCtlTrackSpec *) g_ptr_array_index (disc->tracks, t - 1))->source)
      continue;   /* read once */
    tags = rcd_ctl_tags_read_file (path);
    g_ptr_array_add (tables, tags);
    g_ptr_array_add (paths, (gpointer) path);
    if (shared)
      continue;
    for (gsize f = 0; f < G_N_ELEMENTS (track_fields); f++) {
      for (guint k = 0; track_fields[f].tags[k] != NULL; k++) {
        const char *value = g_hash_table_lookup (tags, track_fields[f].tags[k]);

        if (value == NULL)
          continue;
        if (!check_text (path, track_fields[f].tags[k], value, error))
          return FALSE;
        add_below (disc, &at, t + 1, track_fields[f].field, value, path,
                   track_fields[f].tags[k]);
        break;
      }
    }
    if (track->isrc == NULL && g_hash_table_lookup (tags, "ISRC") != NULL) {
      g_autofree char *display = g_filename_display_name (path);

      track->isrc = g_strdup (g_hash_table_lookup (tags, "ISRC"));
      track->isrc_origin = g_strdup_printf ("%s: tag ISRC", display);
    }
  }
  return apply_disc (disc, tables, paths, &at, error);
}

void
rcd_ctl_tags_explain (const RcdCtlDisc *disc, GError *error)
{
  g_autoptr(GString) message = NULL;
  g_autoptr(GHashTable) said = NULL;

  if (error == NULL)
    return;
  message = g_string_new (error->message);
  said = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < disc->sheet_cdtext->len; i++) {
    const RcdCtlCdTextOption *option = g_ptr_array_index (disc->sheet_cdtext, i);
    g_autofree char *quoted = NULL;

    if (option->origin == NULL || g_hash_table_contains (said, option->text))
      continue;
    quoted = g_strdup_printf ("(\"%s\")", option->text);
    if (strstr (error->message, quoted) == NULL)
      continue;
    g_string_append_printf (message, "; \"%s\" is %s", option->text, option->origin);
    g_hash_table_add (said, option->text);
  }
  g_free (error->message);
  error->message = g_string_free (g_steal_pointer (&message), FALSE);
}
