/* rawcdctl-cdtext.c: CD-TEXT from the command line and from a CD-TEXT file.
 *
 * The CD-TEXT file (rawcdctl create --cdtext FILE) is a GLib key file, the
 * INI-like format of .desktop files, in UTF-8:
 *
 *   # comments start with '#'
 *   [disc]
 *   title=Café Songs
 *   performer=The Band
 *   genre=Jazz
 *
 *   [track 1]
 *   title=The First Song
 *   isrc=USRC17607839
 *
 *   [disc:de]
 *   title=Kaffeehauslieder
 *
 *   [track 1:de]
 *   title=Das erste Lied
 *
 * - [disc] holds the text of the disc, [track N] that of track N, N being
 *   the position of its AUDIO file on the command line, from 1 (as for
 *   every TRACK of rawcdctl).
 * - Groups without a language are block 0 of the CD-TEXT, English unless
 *   [disc] has a key language=LANG.  [disc:LANG] and [track N:LANG] hold the
 *   text of another language, each language a block of its own, numbered in
 *   the order the file first names them (at most 8 blocks).
 * - LANG is an ISO 639-1 code (en, de, fr, es, it, nl, sv, ja, ...), the
 *   English name of the language as EBU Tech 3264 appendix 3 lists it
 *   (German, Japanese, ...: libburn's BURN_CDTEXT_LANGUAGES_* spellings), or
 *   its code there, 0..127 (0x08).  The table below is that appendix; the
 *   ISO 639-1 codes are ours (a few languages of the appendix have none).
 * - Keys: title, performer, songwriter, composer, arranger, message; on the
 *   disc also genre (ASCII text) and upc_ean (13 digits); on a track also
 *   isrc (CC-OOO-YY-NNNNN, dashes optional: the CD-TEXT copy of the ISRC;
 *   --isrc sets the one in the Q subchannel).  The service checks the
 *   values (it names the field and block of one it refuses).
 * - An empty value is no text.  Key-file escapes apply: \s for a leading
 *   space, \\ for a backslash.  Text not in the file's own language is
 *   still UTF-8: the service picks the character code of each block
 *   (ASCII, ISO-8859-1 or MS-JIS).
 *
 * The command-line options --title, --performer, --track-title and
 * --track-performer set block 0 after the file is read, so they win over
 * the file.
 */
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "rawcdctl-cdtext.h"
#include "rc-cdtext-genre.h"

/* ---- languages (EBU Tech 3264 appendix 3, as libburn's libburn.h and
 *      doc/cdtext.txt list them) ------------------------------------------ */

typedef struct {
  guint8      code;
  const char *name;    /* libburn's spelling */
  const char *iso639;  /* ISO 639-1, NULL when there is none */
} Language;

static const Language languages[] = {
  { 0x00, "Unknown",       NULL },
  { 0x01, "Albanian",      "sq" },
  { 0x02, "Breton",        "br" },
  { 0x03, "Catalan",       "ca" },
  { 0x04, "Croatian",      "hr" },
  { 0x05, "Welsh",         "cy" },
  { 0x06, "Czech",         "cs" },
  { 0x07, "Danish",        "da" },
  { 0x08, "German",        "de" },
  { 0x09, "English",       "en" },
  { 0x0a, "Spanish",       "es" },
  { 0x0b, "Esperanto",     "eo" },
  { 0x0c, "Estonian",      "et" },
  { 0x0d, "Basque",        "eu" },
  { 0x0e, "Faroese",       "fo" },
  { 0x0f, "French",        "fr" },
  { 0x10, "Frisian",       "fy" },
  { 0x11, "Irish",         "ga" },
  { 0x12, "Gaelic",        "gd" },
  { 0x13, "Galician",      "gl" },
  { 0x14, "Icelandic",     "is" },
  { 0x15, "Italian",       "it" },
  { 0x16, "Lappish",       "se" },
  { 0x17, "Latin",         "la" },
  { 0x18, "Latvian",       "lv" },
  { 0x19, "Luxembourgian", "lb" },
  { 0x1a, "Lithuanian",    "lt" },
  { 0x1b, "Hungarian",     "hu" },
  { 0x1c, "Maltese",       "mt" },
  { 0x1d, "Dutch",         "nl" },
  { 0x1e, "Norwegian",     "no" },
  { 0x1f, "Occitan",       "oc" },
  { 0x20, "Polish",        "pl" },
  { 0x21, "Portuguese",    "pt" },
  { 0x22, "Romanian",      "ro" },
  { 0x23, "Romansh",       "rm" },
  { 0x24, "Serbian",       "sr" },
  { 0x25, "Slovak",        "sk" },
  { 0x26, "Slovenian",     "sl" },
  { 0x27, "Finnish",       "fi" },
  { 0x28, "Swedish",       "sv" },
  { 0x29, "Turkish",       "tr" },
  { 0x2a, "Flemish",       NULL },
  { 0x2b, "Wallon",        "wa" },
  /* 0x2c..0x44 are not assigned */
  { 0x45, "Zulu",          "zu" },
  { 0x46, "Vietnamese",    "vi" },
  { 0x47, "Uzbek",         "uz" },
  { 0x48, "Urdu",          "ur" },
  { 0x49, "Ukrainian",     "uk" },
  { 0x4a, "Thai",          "th" },
  { 0x4b, "Telugu",        "te" },
  { 0x4c, "Tatar",         "tt" },
  { 0x4d, "Tamil",         "ta" },
  { 0x4e, "Tadzhik",       "tg" },
  { 0x4f, "Swahili",       "sw" },
  { 0x50, "Sranan Tongo",  NULL },
  { 0x51, "Somali",        "so" },
  { 0x52, "Sinhalese",     "si" },
  { 0x53, "Shona",         "sn" },
  { 0x54, "Serbo-croat",   "sh" },
  { 0x55, "Ruthenian",     NULL },
  { 0x56, "Russian",       "ru" },
  { 0x57, "Quechua",       "qu" },
  { 0x58, "Pushtu",        "ps" },
  { 0x59, "Punjabi",       "pa" },
  { 0x5a, "Persian",       "fa" },
  { 0x5b, "Papamiento",    NULL },
  { 0x5c, "Oriya",         "or" },
  { 0x5d, "Nepali",        "ne" },
  { 0x5e, "Ndebele",       NULL },   /* North (nd) or South (nr)? */
  { 0x5f, "Marathi",       "mr" },
  { 0x60, "Moldavian",     "mo" },
  { 0x61, "Malaysian",     "ms" },
  { 0x62, "Malagasay",     "mg" },
  { 0x63, "Macedonian",    "mk" },
  { 0x64, "Laotian",       "lo" },
  { 0x65, "Korean",        "ko" },
  { 0x66, "Khmer",         "km" },
  { 0x67, "Kazakh",        "kk" },
  { 0x68, "Kannada",       "kn" },
  { 0x69, "Japanese",      "ja" },
  { 0x6a, "Indonesian",    "id" },
  { 0x6b, "Hindi",         "hi" },
  { 0x6c, "Hebrew",        "he" },
  { 0x6d, "Hausa",         "ha" },
  { 0x6e, "Gurani",        "gn" },
  { 0x6f, "Gujurati",      "gu" },
  { 0x70, "Greek",         "el" },
  { 0x71, "Georgian",      "ka" },
  { 0x72, "Fulani",        "ff" },
  { 0x73, "Dari",          NULL },
  { 0x74, "Churash",       "cv" },
  { 0x75, "Chinese",       "zh" },
  { 0x76, "Burmese",       "my" },
  { 0x77, "Bulgarian",     "bg" },
  { 0x78, "Bengali",       "bn" },
  { 0x79, "Bielorussian",  "be" },
  { 0x7a, "Bambora",       "bm" },
  { 0x7b, "Azerbaijani",   "az" },
  { 0x7c, "Assamese",      "as" },
  { 0x7d, "Armenian",      "hy" },
  { 0x7e, "Arabic",        "ar" },
  { 0x7f, "Amharic",       "am" },
};

int
rcd_ctl_cdtext_language_code (const char *name)
{
  guint64 number;

  if (name == NULL || *name == '\0')
    return -1;
  for (gsize i = 0; i < G_N_ELEMENTS (languages); i++) {
    if ((languages[i].iso639 != NULL && g_ascii_strcasecmp (name, languages[i].iso639) == 0) ||
        g_ascii_strcasecmp (name, languages[i].name) == 0)
      return languages[i].code;
  }
  if ((g_str_has_prefix (name, "0x") || g_str_has_prefix (name, "0X")) &&
      g_ascii_string_to_unsigned (name + 2, 16, 0, 0x7f, &number, NULL))
    return (int) number;
  if (g_ascii_string_to_unsigned (name, 10, 0, 0x7f, &number, NULL))
    return (int) number;
  return -1;
}

const char *
rcd_ctl_cdtext_language_name (guint code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (languages); i++) {
    if (languages[i].code == code)
      return languages[i].name;
  }
  return NULL;
}

/* ---- the text ------------------------------------------------------------ */

typedef struct {
  gboolean    allocated;
  guint8      language;
  GPtrArray  *fields;     /* per track (0: the disc): GHashTable field -> text, or NULL */
} Block;

struct _RcdCtlCdText {
  guint n_tracks;
  guint n_allocated;      /* blocks 0..n_allocated-1 have a language */
  Block blocks[RCD_CTL_CDTEXT_MAX_BLOCKS];
};

static const char *const disc_fields[] = {
  "title", "performer", "songwriter", "composer", "arranger", "message",
  "genre", "upc_ean", NULL
};
static const char *const track_fields[] = {
  "title", "performer", "songwriter", "composer", "arranger", "message",
  "isrc", NULL
};

static void
fields_free (gpointer fields)
{
  if (fields != NULL)
    g_hash_table_unref (fields);
}

RcdCtlCdText *
rcd_ctl_cdtext_new (guint n_tracks)
{
  RcdCtlCdText *cdtext = g_new0 (RcdCtlCdText, 1);

  cdtext->n_tracks = n_tracks;
  /* block 0 is English until a file says otherwise */
  cdtext->n_allocated = 1;
  for (guint b = 0; b < RCD_CTL_CDTEXT_MAX_BLOCKS; b++) {
    Block *block = &cdtext->blocks[b];

    block->allocated = b == 0;
    block->language = b == 0 ? RCD_CTL_CDTEXT_ENGLISH : 0;
    block->fields = g_ptr_array_new_with_free_func (fields_free);
    g_ptr_array_set_size (block->fields, n_tracks + 1);
  }
  return cdtext;
}

void
rcd_ctl_cdtext_free (RcdCtlCdText *cdtext)
{
  if (cdtext == NULL)
    return;
  for (guint b = 0; b < RCD_CTL_CDTEXT_MAX_BLOCKS; b++)
    g_ptr_array_unref (cdtext->blocks[b].fields);
  g_free (cdtext);
}

static void
set_text (RcdCtlCdText *cdtext, guint block_number, guint track,
          const char *field, const char *text)
{
  Block *block = &cdtext->blocks[block_number];
  GHashTable *fields;

  g_return_if_fail (track <= cdtext->n_tracks);
  fields = g_ptr_array_index (block->fields, track);
  /* a genre code belongs to the genre text it was found for: a genre of
   * higher precedence (a --cdtext file, an option) goes in without it */
  if (fields != NULL && strcmp (field, "genre") == 0)
    g_hash_table_remove (fields, "genre_code");
  if (text == NULL || *text == '\0') {
    if (fields != NULL)
      g_hash_table_remove (fields, field);
    return;
  }
  if (fields == NULL) {
    fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_ptr_array_index (block->fields, track) = fields;
  }
  g_hash_table_replace (fields, g_strdup (field), g_strdup (text));
}

void
rcd_ctl_cdtext_set (RcdCtlCdText *cdtext, guint track, const char *field, const char *text)
{
  set_text (cdtext, 0, track, field, text);
}

void
rcd_ctl_cdtext_set_genre_coded (RcdCtlCdText *cdtext, const char *genre)
{
  guint code = RC_CDTEXT_GENRE_NOT_DEFINED;
  g_autofree char *number = NULL;

  set_text (cdtext, 0, 0, "genre", genre);
  if (genre == NULL || *genre == '\0')
    return;
  rc_cdtext_genre_from_name (genre, &code);
  number = g_strdup_printf ("%u", code);
  set_text (cdtext, 0, 0, "genre_code", number);
}

static gboolean
block_has_text (const RcdCtlCdText *cdtext, guint b)
{
  const Block *block = &cdtext->blocks[b];

  if (!block->allocated)
    return FALSE;
  for (guint t = 0; t <= cdtext->n_tracks; t++) {
    GHashTable *fields = g_ptr_array_index (block->fields, t);

    if (fields != NULL && g_hash_table_size (fields) > 0)
      return TRUE;
  }
  return FALSE;
}

/* Blocks without any text are left out: the others keep their order. */
static guint
used_blocks (const RcdCtlCdText *cdtext, guint used[RCD_CTL_CDTEXT_MAX_BLOCKS])
{
  guint n = 0;

  for (guint b = 0; b < RCD_CTL_CDTEXT_MAX_BLOCKS; b++) {
    if (block_has_text (cdtext, b))
      used[n++] = b;
  }
  return n;
}

gboolean
rcd_ctl_cdtext_is_empty (const RcdCtlCdText *cdtext)
{
  guint used[RCD_CTL_CDTEXT_MAX_BLOCKS];

  return used_blocks (cdtext, used) == 0;
}

GVariant *
rcd_ctl_cdtext_languages (const RcdCtlCdText *cdtext, gboolean *is_default)
{
  guint used[RCD_CTL_CDTEXT_MAX_BLOCKS];
  guint8 codes[RCD_CTL_CDTEXT_MAX_BLOCKS];
  guint n = used_blocks (cdtext, used);

  for (guint i = 0; i < n; i++)
    codes[i] = cdtext->blocks[used[i]].language;
  if (is_default != NULL)
    *is_default = n <= 1 && (n == 0 || codes[0] == RCD_CTL_CDTEXT_ENGLISH);
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, codes, n, 1);
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GVariant *
rcd_ctl_cdtext_variant (const RcdCtlCdText *cdtext, guint track)
{
  guint used[RCD_CTL_CDTEXT_MAX_BLOCKS];
  guint n = used_blocks (cdtext, used);
  GVariantBuilder builder;
  gboolean any = FALSE;

  g_return_val_if_fail (track <= cdtext->n_tracks, NULL);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{ss}"));
  for (guint i = 0; i < n; i++) {
    GHashTable *fields = g_ptr_array_index (cdtext->blocks[used[i]].fields, track);
    g_autofree gpointer *keys = NULL;
    guint n_keys = 0;

    g_variant_builder_open (&builder, G_VARIANT_TYPE ("a{ss}"));
    if (fields != NULL) {
      /* sorted, so that the same text gives the same message */
      keys = g_hash_table_get_keys_as_array (fields, &n_keys);
      qsort (keys, n_keys, sizeof (gpointer), compare_strings);
    }
    for (guint k = 0; k < n_keys; k++) {
      g_variant_builder_add (&builder, "{ss}", keys[k], g_hash_table_lookup (fields, keys[k]));
      any = TRUE;
    }
    g_variant_builder_close (&builder);
  }
  if (!any && track != 0) {
    g_variant_builder_clear (&builder);
    return NULL;
  }
  return g_variant_builder_end (&builder);
}

/* ---- the file ------------------------------------------------------------ */

static gboolean
bad_file (GError **error, const char *path, const char *group, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
bad_file (GError **error, const char *path, const char *group, const char *format, ...)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* the file is data, not the command line: exit status 1, not 2 */
  if (group != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: [%s]: %s", display, group, message);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: %s", display, message);
  return FALSE;
}

/* The block of a language: an existing one, else a new one. */
static int
block_for_language (RcdCtlCdText *cdtext, guint8 code)
{
  for (guint b = 0; b < cdtext->n_allocated; b++) {
    if (cdtext->blocks[b].language == code)
      return (int) b;
  }
  if (cdtext->n_allocated == RCD_CTL_CDTEXT_MAX_BLOCKS)
    return -1;
  cdtext->blocks[cdtext->n_allocated].allocated = TRUE;
  cdtext->blocks[cdtext->n_allocated].language = code;
  return (int) cdtext->n_allocated++;
}

/* "disc", "track N", optionally ":LANG": the track (0 for the disc) and
 * the language (-1 without one). */
static gboolean
parse_group (RcdCtlCdText *cdtext, const char *path, const char *group,
             guint *track, int *language, GError **error)
{
  g_autofree char *name = g_strdup (group);
  char *colon = strchr (name, ':');
  char *subject;

  *language = -1;
  if (colon != NULL) {
    *colon = '\0';
    *language = rcd_ctl_cdtext_language_code (g_strstrip (colon + 1));
    if (*language < 0)
      return bad_file (error, path, group,
                       "unknown language '%s' (an ISO 639-1 code such as de, "
                       "an English name such as German, or an EBU code 0..127)",
                       colon + 1);
  }
  subject = g_strstrip (name);
  if (g_ascii_strcasecmp (subject, "disc") == 0) {
    *track = 0;
    return TRUE;
  }
  if (g_ascii_strncasecmp (subject, "track", 5) == 0 && g_ascii_isspace (subject[5])) {
    guint64 n;

    if (!g_ascii_string_to_unsigned (g_strchug (subject + 5), 10, 1, G_MAXUINT, &n, NULL))
      return bad_file (error, path, group, "expected [track N], N a number from 1");
    if (n > cdtext->n_tracks)
      return bad_file (error, path, group,
                       "TRACK must be the position of an AUDIO file, 1 to %u",
                       cdtext->n_tracks);
    *track = (guint) n;
    return TRUE;
  }
  return bad_file (error, path, group,
                   "unknown group: expected [disc], [track N], [disc:LANG] or [track N:LANG]");
}

/* The text of a parsed CD-TEXT file; path names it in messages. */
static gboolean
load_key_file (RcdCtlCdText *cdtext, const char *path, GKeyFile *file, GError **error)
{
  g_auto(GStrv) groups = NULL;
  g_autoptr(GError) local_error = NULL;

  /* block 0's language first: [disc] language=LANG */
  groups = g_key_file_get_groups (file, NULL);
  for (char **g = groups; *g != NULL; g++) {
    g_autofree char *value = NULL;
    guint track;
    int language;

    if (!parse_group (cdtext, path, *g, &track, &language, error))
      return FALSE;
    if (!g_key_file_has_key (file, *g, "language", NULL))
      continue;
    if (track != 0 || language >= 0)
      return bad_file (error, path, *g, "language= belongs in [disc] only");
    value = g_key_file_get_string (file, *g, "language", NULL);
    language = rcd_ctl_cdtext_language_code (value != NULL ? g_strstrip (value) : NULL);
    if (language < 0)
      return bad_file (error, path, *g, "unknown language '%s'", value != NULL ? value : "");
    cdtext->blocks[0].language = (guint8) language;
  }

  for (char **g = groups; *g != NULL; g++) {
    g_auto(GStrv) keys = g_key_file_get_keys (file, *g, NULL, NULL);
    const char *const *allowed;
    guint track;
    int language;
    int block = 0;

    if (!parse_group (cdtext, path, *g, &track, &language, error))
      return FALSE;
    if (language >= 0) {
      block = block_for_language (cdtext, (guint8) language);
      if (block < 0)
        return bad_file (error, path, *g, "more than %d languages", RCD_CTL_CDTEXT_MAX_BLOCKS);
    }
    allowed = track == 0 ? disc_fields : track_fields;
    for (char **k = keys; k != NULL && *k != NULL; k++) {
      g_autofree char *text = NULL;

      if (track == 0 && language < 0 && g_str_equal (*k, "language"))
        continue;
      if (!g_strv_contains (allowed, *k)) {
        g_autofree char *list = g_strjoinv (", ", (char **) allowed);

        return bad_file (error, path, *g, "unknown key '%s': expected %s", *k, list);
      }
      text = g_key_file_get_string (file, *g, *k, &local_error);
      if (text == NULL)
        return bad_file (error, path, *g, "%s: %s", *k, local_error->message);
      set_text (cdtext, (guint) block, track, *k, text);
    }
  }
  return TRUE;
}

gboolean
rcd_ctl_cdtext_load_file (RcdCtlCdText *cdtext, const char *path, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error)) {
    g_autofree char *display = g_filename_display_name (path);

    g_set_error (error, local_error->domain, local_error->code,
                 "%s: %s", display, local_error->message);
    return FALSE;
  }
  return load_key_file (cdtext, path, file, error);
}

gboolean
rcd_ctl_cdtext_load_data (RcdCtlCdText *cdtext, const char *name,
                          const char *data, gssize len, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_data (file, data, len, G_KEY_FILE_NONE, &local_error)) {
    g_autofree char *display = g_filename_display_name (name);

    g_set_error (error, local_error->domain, local_error->code,
                 "%s: %s", display, local_error->message);
    return FALSE;
  }
  return load_key_file (cdtext, name, file, error);
}
