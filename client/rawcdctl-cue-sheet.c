/* rawcdctl-cue-sheet.c: a CUE sheet's bytes -> RcdCtlCueSheet.
 *
 * libcue parses the sheet, but it says nothing useful about a bad one (a
 * NULL, or a "syntax error" without a line), it keeps no line numbers, and
 * it loses which FILE an INDEX is in when a track's INDEX 00 and INDEX 01
 * are in different files (EAC's default sheets).  So every line is checked
 * here first, and this scan records the structure: FILEs, TRACKs, INDEX,
 * PREGAP/POSTGAP, CATALOG and the REM keys rippers write.  libcue then
 * reads the sheet as the scan understood it (canonical_text() says why
 * not the user's bytes) and gives the CD-TEXT, ISRC and FLAGS DCP/PRE of
 * the disc and the tracks.
 */
#include <string.h>

#include <gio/gio.h>
#include <libcue.h>

#include "rawcdctl-cue.h"

static const char *const text_keys[RCD_CTL_CUE_N_TEXT] = {
  "title", "performer", "songwriter", "composer", "arranger", "message", "genre",
};

const char *
rcd_ctl_cue_text_key (RcdCtlCueText field)
{
  g_return_val_if_fail (field < RCD_CTL_CUE_N_TEXT, NULL);
  return text_keys[field];
}

static void
cue_file_free (RcdCtlCueFile *file)
{
  g_free (file->name);
  g_free (file);
}

static void
cue_track_free (RcdCtlCueTrack *track)
{
  g_free (track->isrc);
  for (guint i = 0; i < RCD_CTL_CUE_N_TEXT; i++)
    g_free (track->text[i]);
  g_free (track);
}

void
rcd_ctl_cue_sheet_free (RcdCtlCueSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_free (sheet->name);
  g_free (sheet->catalog);
  g_free (sheet->date);
  g_free (sheet->discid);
  for (guint i = 0; i < RCD_CTL_CUE_N_TEXT; i++)
    g_free (sheet->text[i]);
  g_ptr_array_unref (sheet->files);
  g_ptr_array_unref (sheet->tracks);
  g_free (sheet);
}

/* The scan's state: where it is and what it has seen. */
typedef struct {
  RcdCtlCueSheet *sheet;
  guint           line;
  RcdCtlCueTrack *track;        /* the current TRACK, NULL before the first */
  gint            file;         /* the current FILE, -1 before the first */
  gint            last_index;   /* of the current track, -1 before its first */
} Scan;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Scan *scan, GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: %s",
               scan->sheet->name, scan->line, message);
  return FALSE;
}

/* The next word of *rest (up to white space), NULL at the end. */
static char *
next_word (const char **rest)
{
  const char *p = *rest;
  const char *start;

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0') {
    *rest = p;
    return NULL;
  }
  start = p;
  while (*p != '\0' && *p != ' ' && *p != '\t')
    p++;
  *rest = p;
  return g_strndup (start, p - start);
}

/* A value that is the rest of the line: "quoted" (up to the line's last
 * quote, so a title may hold quotes) or a bare word. */
static gboolean
text_value (Scan *scan, const char *command, const char *rest, char **out, GError **error)
{
  const char *last;

  while (*rest == ' ' || *rest == '\t')
    rest++;
  if (*rest == '\0')
    return fail (scan, error, "%s without a value", command);
  if (*rest != '"') {
    *out = g_strdup (rest);
    g_strchomp (*out);
    return TRUE;
  }
  last = strrchr (rest, '"');
  if (last == rest)
    return fail (scan, error, "unterminated quote in %s: %s", command, rest);
  *out = g_strndup (rest + 1, last - rest - 1);
  return TRUE;
}

/* MM:SS:FF -> CD frames */
static gboolean
parse_time (Scan *scan, const char *command, const char *text, guint *frames, GError **error)
{
  g_auto(GStrv) fields = NULL;
  guint64 m, s, f;

  if (text == NULL)
    return fail (scan, error, "%s without a time (MM:SS:FF)", command);
  fields = g_strsplit (text, ":", -1);
  if (g_strv_length (fields) != 3 ||
      !g_ascii_string_to_unsigned (fields[0], 10, 0, 99, &m, NULL) ||
      !g_ascii_string_to_unsigned (fields[1], 10, 0, 59, &s, NULL) ||
      !g_ascii_string_to_unsigned (fields[2], 10, 0, 74, &f, NULL))
    return fail (scan, error, "%s %s: expected a time MM:SS:FF (minutes up to 99, "
                 "seconds below 60, frames below 75)", command, text);
  *frames = (guint) ((m * 60 + s) * 75 + f);
  return TRUE;
}

static gboolean
no_more (Scan *scan, const char *command, const char *rest, GError **error)
{
  g_autofree char *extra = next_word (&rest);

  if (extra != NULL)
    return fail (scan, error, "%s: unexpected \"%s\" at the end of the line", command, extra);
  return TRUE;
}

static gboolean
scan_file (Scan *scan, const char *rest, GError **error)
{
  static const struct {
    const char        *word;
    RcdCtlCueFileType  type;
  } types[] = {
    { "WAVE", RCD_CTL_CUE_AUDIO }, { "FLAC", RCD_CTL_CUE_AUDIO },
    { "AIFF", RCD_CTL_CUE_AUDIO }, { "MP3", RCD_CTL_CUE_AUDIO },
    { "BINARY", RCD_CTL_CUE_BINARY }, { "MOTOROLA", RCD_CTL_CUE_MOTOROLA },
  };
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  const char *after;
  RcdCtlCueFile *file;

  while (*rest == ' ' || *rest == '\t')
    rest++;
  if (*rest == '"') {
    const char *last = strrchr (rest, '"');

    if (last == rest)
      return fail (scan, error, "unterminated quote in FILE: %s", rest);
    name = g_strndup (rest + 1, last - rest - 1);
    after = last + 1;
  } else {
    name = next_word (&rest);
    after = rest;
  }
  if (name == NULL || *name == '\0')
    return fail (scan, error, "FILE without a file name");
  type = next_word (&after);
  if (type == NULL)
    return fail (scan, error, "FILE \"%s\" without a type (WAVE, FLAC, MP3, AIFF, BINARY "
                 "or MOTOROLA)", name);
  if (!no_more (scan, "FILE", after, error))
    return FALSE;

  file = g_new0 (RcdCtlCueFile, 1);
  file->line = scan->line;
  file->type = G_MAXINT;
  for (gsize i = 0; i < G_N_ELEMENTS (types); i++) {
    if (g_ascii_strcasecmp (type, types[i].word) == 0)
      file->type = types[i].type;
  }
  if ((int) file->type == G_MAXINT) {
    g_free (file);
    return fail (scan, error, "FILE \"%s\" %s: unknown type (expected WAVE, FLAC, MP3, "
                 "AIFF, BINARY or MOTOROLA)", name, type);
  }
  file->name = g_steal_pointer (&name);
  g_ptr_array_add (scan->sheet->files, file);
  scan->file = (gint) scan->sheet->files->len - 1;
  return TRUE;
}

static gboolean
scan_track (Scan *scan, const char *rest, GError **error)
{
  g_autofree char *number = next_word (&rest);
  g_autofree char *mode = next_word (&rest);
  RcdCtlCueTrack *track;
  guint64 n;

  if (scan->file < 0)
    return fail (scan, error, "TRACK before any FILE");
  if (number == NULL || !g_ascii_string_to_unsigned (number, 10, 1, 99, &n, NULL))
    return fail (scan, error, "TRACK %s: expected a track number 1 to 99",
                 number != NULL ? number : "");
  if (mode == NULL)
    return fail (scan, error, "TRACK %s without a type (AUDIO)", number);
  if (g_ascii_strcasecmp (mode, "AUDIO") != 0)
    return fail (scan, error, "TRACK %s %s: a data track; rawcd makes audio CDs only",
                 number, mode);
  if (!no_more (scan, "TRACK", rest, error))
    return FALSE;
  if (scan->track != NULL && scan->track->index[1].file < 0)
    return fail (scan, error, "track %u has no INDEX 01", scan->track->number);
  if (scan->track != NULL && n != scan->track->number + 1)
    return fail (scan, error, "TRACK %s after track %u: track numbers must follow each "
                 "other", number, scan->track->number);

  track = g_new0 (RcdCtlCueTrack, 1);
  track->number = (guint) n;
  track->line = scan->line;
  for (guint i = 0; i <= RCD_CTL_CUE_MAX_INDEX; i++)
    track->index[i].file = -1;
  g_ptr_array_add (scan->sheet->tracks, track);
  scan->track = track;
  scan->last_index = -1;
  return TRUE;
}

static gboolean
scan_index (Scan *scan, const char *rest, GError **error)
{
  g_autofree char *number = next_word (&rest);
  g_autofree char *time = next_word (&rest);
  RcdCtlCueTrack *track = scan->track;
  RcdCtlCuePosition *position;
  guint frames;
  guint64 n;

  if (track == NULL)
    return fail (scan, error, "INDEX before any TRACK");
  if (number == NULL || !g_ascii_string_to_unsigned (number, 10, 0, 99, &n, NULL))
    return fail (scan, error, "INDEX %s: expected an index number 00 to 99",
                 number != NULL ? number : "");
  if (!parse_time (scan, "INDEX", time, &frames, error) ||
      !no_more (scan, "INDEX", rest, error))
    return FALSE;
  if (scan->last_index < 0 && n > 1)
    return fail (scan, error, "INDEX %s: the first index of track %u must be 00 or 01",
                 number, track->number);
  if (scan->last_index >= 0 && n != (guint64) scan->last_index + 1)
    return fail (scan, error, "INDEX %s of track %u out of order: it follows INDEX %02d",
                 number, track->number, scan->last_index);
  if (n > 0) {
    const RcdCtlCuePosition *before = &track->index[n - 1];

    if (before->file == scan->file && frames <= before->frames)
      return fail (scan, error, "INDEX %s of track %u at %s is not after INDEX %02u",
                   number, track->number, time, (guint) n - 1);
  }
  if (scan->last_index < 0 && scan->sheet->tracks->len > 1) {
    /* a track's first index before the previous track's last one in the
     * same file: the sheet runs backwards */
    const RcdCtlCueTrack *previous = g_ptr_array_index (scan->sheet->tracks,
                                                        scan->sheet->tracks->len - 2);
    const RcdCtlCuePosition *last = &previous->index[previous->n_indexes - 1];

    if (last->file == scan->file && frames <= last->frames)
      return fail (scan, error, "INDEX %s of track %u at %s is not after the last index of "
                   "track %u", number, track->number, time, previous->number);
  }
  position = &track->index[n];
  position->file = scan->file;
  position->frames = frames;
  position->line = scan->line;
  track->n_indexes = (guint) n + 1;
  scan->last_index = (gint) n;
  return TRUE;
}

static gboolean
scan_gap (Scan *scan, const char *command, const char *rest, GError **error)
{
  g_autofree char *time = next_word (&rest);
  guint frames;

  if (scan->track == NULL)
    return fail (scan, error, "%s before any TRACK", command);
  if (!parse_time (scan, command, time, &frames, error) ||
      !no_more (scan, command, rest, error))
    return FALSE;
  if (g_str_equal (command, "PREGAP")) {
    if (scan->last_index >= 0)
      return fail (scan, error, "PREGAP of track %u after its INDEX lines",
                   scan->track->number);
    scan->track->pregap = frames;
    scan->track->pregap_line = scan->line;
  } else {
    if (scan->track->index[1].file < 0)
      return fail (scan, error, "POSTGAP of track %u before its INDEX 01",
                   scan->track->number);
    scan->track->postgap = frames;
    scan->track->postgap_line = scan->line;
  }
  return TRUE;
}

static gboolean
scan_flags (Scan *scan, const char *rest, GError **error)
{
  g_autofree char *word = NULL;

  if (scan->track == NULL)
    return fail (scan, error, "FLAGS before any TRACK");
  scan->track->flags_line = scan->line;
  while ((word = next_word (&rest)) != NULL) {
    if (g_ascii_strcasecmp (word, "DCP") == 0)
      scan->track->copy_permitted = TRUE;
    else if (g_ascii_strcasecmp (word, "PRE") == 0)
      scan->track->preemphasis = TRUE;
    else if (g_ascii_strcasecmp (word, "SCMS") == 0)
      scan->track->scms = TRUE;
    else if (g_ascii_strcasecmp (word, "4CH") == 0)
      return fail (scan, error, "FLAGS 4CH: four-channel audio cannot be written; rawcd "
                   "makes two-channel discs");
    else if (g_ascii_strcasecmp (word, "DATA") == 0)
      return fail (scan, error, "FLAGS DATA: a data track; rawcd makes audio CDs only");
    else
      return fail (scan, error, "FLAGS %s: unknown flag (expected DCP, PRE or SCMS)", word);
    g_clear_pointer (&word, g_free);
  }
  return TRUE;
}

static gboolean
scan_rem (Scan *scan, const char *rest, GError **error)
{
  g_autofree char *key = next_word (&rest);
  char **slot = NULL;

  /* the keys rippers write for the disc; any other REM is a comment */
  if (key == NULL || scan->track != NULL)
    return TRUE;
  if (g_ascii_strcasecmp (key, "GENRE") == 0)
    slot = &scan->sheet->text[RCD_CTL_CUE_GENRE];
  else if (g_ascii_strcasecmp (key, "COMMENT") == 0)
    slot = &scan->sheet->text[RCD_CTL_CUE_MESSAGE];
  else if (g_ascii_strcasecmp (key, "DATE") == 0)
    slot = &scan->sheet->date;
  else if (g_ascii_strcasecmp (key, "DISCID") == 0)
    slot = &scan->sheet->discid;
  if (slot == NULL)
    return TRUE;
  g_clear_pointer (slot, g_free);
  return text_value (scan, key, rest, slot, error);
}

static gboolean
scan_text (Scan *scan, RcdCtlCueText field, const char *command, const char *rest,
           GError **error)
{
  char **slot = scan->track != NULL ? &scan->track->text[field] : &scan->sheet->text[field];

  g_clear_pointer (slot, g_free);
  return text_value (scan, command, rest, slot, error);
}

static gboolean
scan_line (Scan *scan, const char *line, GError **error)
{
  static const char *const text_commands[] = {
    "TITLE", "PERFORMER", "SONGWRITER", "COMPOSER", "ARRANGER", "MESSAGE",
  };
  const char *rest = line;
  g_autofree char *command = next_word (&rest);

  if (command == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (command, "REM") == 0)
    return scan_rem (scan, rest, error);
  for (gsize i = 0; i < G_N_ELEMENTS (text_commands); i++) {
    if (g_ascii_strcasecmp (command, text_commands[i]) == 0)
      return scan_text (scan, (RcdCtlCueText) i, text_commands[i], rest, error);
  }
  if (g_ascii_strcasecmp (command, "FILE") == 0)
    return scan_file (scan, rest, error);
  if (g_ascii_strcasecmp (command, "TRACK") == 0)
    return scan_track (scan, rest, error);
  if (g_ascii_strcasecmp (command, "INDEX") == 0)
    return scan_index (scan, rest, error);
  if (g_ascii_strcasecmp (command, "PREGAP") == 0 || g_ascii_strcasecmp (command, "POSTGAP") == 0)
    return scan_gap (scan, g_ascii_strcasecmp (command, "PREGAP") == 0 ? "PREGAP" : "POSTGAP",
                     rest, error);
  if (g_ascii_strcasecmp (command, "FLAGS") == 0)
    return scan_flags (scan, rest, error);
  if (g_ascii_strcasecmp (command, "CATALOG") == 0) {
    g_autofree char *digits = next_word (&rest);

    if (scan->track != NULL)
      return fail (scan, error, "CATALOG inside track %u: it belongs before the first TRACK",
                   scan->track->number);
    if (digits == NULL || strlen (digits) != 13 || strspn (digits, "0123456789") != 13)
      return fail (scan, error, "CATALOG %s: expected 13 digits", digits != NULL ? digits : "");
    g_free (scan->sheet->catalog);
    scan->sheet->catalog = g_steal_pointer (&digits);
    scan->sheet->catalog_line = scan->line;
    return no_more (scan, "CATALOG", rest, error);
  }
  if (g_ascii_strcasecmp (command, "ISRC") == 0) {
    g_autofree char *code = next_word (&rest);

    if (scan->track == NULL)
      return fail (scan, error, "ISRC before any TRACK");
    if (code == NULL)
      return fail (scan, error, "ISRC without a code");
    g_free (scan->track->isrc);
    scan->track->isrc = g_steal_pointer (&code);
    scan->track->isrc_line = scan->line;
    return no_more (scan, "ISRC", rest, error);
  }
  if (g_ascii_strcasecmp (command, "CDTEXTFILE") == 0)
    return fail (scan, error, "CDTEXTFILE is not read: give that text with --cdtext FILE");
  if (g_utf8_strlen (command, -1) > 20)
    return fail (scan, error, "unknown command \"%.20s…\"", command);
  return fail (scan, error, "unknown command \"%s\"", command);
}

/* Binary junk: a byte no text file holds.  Checked on the raw bytes, so
 * the line number is right whatever the encoding. */
static gboolean
check_bytes (Scan *scan, const char *data, gsize len, GError **error)
{
  scan->line = 1;
  for (gsize i = 0; i < len; i++) {
    guchar c = (guchar) data[i];

    if (c == '\n')
      scan->line++;
    else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
      return fail (scan, error, "byte 0x%02x: binary data, not a CUE sheet", c);
  }
  return TRUE;
}

/* UTF-8 as it is (without a byte-order mark), else Windows-1252 (what EAC
 * writes without its Unicode option), else ISO-8859-1. */
static char *
to_utf8 (const char *data, gsize len)
{
  char *text;

  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0) {
    data += 3;
    len -= 3;
  }
  if (g_utf8_validate_len (data, len, NULL))
    return g_strndup (data, len);
  text = g_convert (data, len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
  if (text == NULL)
    text = g_convert (data, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  return text;
}

/* A text line libcue can take: quoted, no quote inside, no control
 * character; else none (the scan's value stays). */
static void
add_text_line (GString *out, const char *indent, const char *command, const char *value)
{
  if (value == NULL || strchr (value, '"') != NULL)
    return;
  g_string_append_printf (out, "%s%s \"%s\"\n", indent, command, value);
}

static void
add_texts (GString *out, const char *indent, char *const *text)
{
  static const char *const commands[] = {
    "TITLE", "PERFORMER", "SONGWRITER", "COMPOSER", "ARRANGER", "MESSAGE",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    add_text_line (out, indent, commands[i], text[i]);
}

static void
add_time (GString *out, const char *what, guint frames)
{
  g_string_append_printf (out, "%s %02u:%02u:%02u\n", what, frames / (75 * 60),
                          frames / 75 % 60, frames % 75);
}

/* The sheet as the scan understood it, in the one spelling libcue 2.2
 * reads: it refuses sheets players and burners take (commands in lower
 * case, FLAGS SCMS, an unquoted title of several words, a quote inside a
 * title), says so on stderr, and leaks on the way out.  libcue reads this
 * copy instead of the user's bytes. */
static char *
canonical_text (const RcdCtlCueSheet *sheet)
{
  GString *out = g_string_new (NULL);
  gint file = -1;

  if (sheet->catalog != NULL)
    g_string_append_printf (out, "CATALOG %s\n", sheet->catalog);
  add_texts (out, "", sheet->text);
  for (guint t = 0; t < sheet->tracks->len; t++) {
    const RcdCtlCueTrack *track = g_ptr_array_index (sheet->tracks, t);
    guint first = track->index[0].file >= 0 ? 0 : 1;

    for (guint i = first; i < track->n_indexes; i++) {
      if (track->index[i].file != file) {
        file = track->index[i].file;
        g_string_append_printf (out, "FILE \"%u\" WAVE\n", (guint) file);
      }
      if (i == first) {
        g_string_append_printf (out, "  TRACK %02u AUDIO\n", track->number);
        add_texts (out, "    ", track->text);
        if (track->isrc != NULL && strchr (track->isrc, '"') == NULL)
          g_string_append_printf (out, "    ISRC %s\n", track->isrc);
        if (track->copy_permitted || track->preemphasis)
          g_string_append_printf (out, "    FLAGS%s%s\n", track->copy_permitted ? " DCP" : "",
                                  track->preemphasis ? " PRE" : "");
        if (track->pregap > 0)
          add_time (out, "    PREGAP", track->pregap);
      }
      g_string_append_printf (out, "    INDEX %02u ", i);
      add_time (out, "", track->index[i].frames);
    }
    if (track->postgap > 0)
      add_time (out, "    POSTGAP", track->postgap);
  }
  return g_string_free (out, FALSE);
}

/* libcue's reading of the sheet (its canonical copy): where it sees the
 * same tracks, its CD-TEXT, ISRC and FLAGS are the ones used; where it
 * cannot, the scan's stand (they are the same values, read by the scan). */
static gboolean
read_with_libcue (RcdCtlCueSheet *sheet, GError **error)
{
  g_autofree char *text = canonical_text (sheet);
  static const struct {
    enum Pti       pti;
    RcdCtlCueText  field;
  } fields[] = {
    { PTI_TITLE, RCD_CTL_CUE_TITLE }, { PTI_PERFORMER, RCD_CTL_CUE_PERFORMER },
    { PTI_SONGWRITER, RCD_CTL_CUE_SONGWRITER }, { PTI_COMPOSER, RCD_CTL_CUE_COMPOSER },
    { PTI_ARRANGER, RCD_CTL_CUE_ARRANGER }, { PTI_MESSAGE, RCD_CTL_CUE_MESSAGE },
  };
  Cd *cd = cue_parse_string (text);

  if (cd == NULL)
    return TRUE;
  if (cd_get_ntrack (cd) != (int) sheet->tracks->len) {
    cd_delete (cd);
    return TRUE;
  }
  for (guint t = 0; t <= sheet->tracks->len; t++) {
    RcdCtlCueTrack *track = t > 0 ? g_ptr_array_index (sheet->tracks, t - 1) : NULL;
    Track *cue_track = t > 0 ? cd_get_track (cd, (int) t) : NULL;
    Cdtext *cdtext = t > 0 ? track_get_cdtext (cue_track) : cd_get_cdtext (cd);
    char **text_slots = t > 0 ? track->text : sheet->text;

    for (gsize i = 0; i < G_N_ELEMENTS (fields); i++) {
      const char *value = cdtext != NULL ? cdtext_get (fields[i].pti, cdtext) : NULL;

      if (value != NULL) {
        g_free (text_slots[fields[i].field]);
        text_slots[fields[i].field] = g_strdup (value);
      }
    }
    if (track == NULL)
      continue;
    if (track_get_isrc (cue_track) != NULL) {
      g_free (track->isrc);
      track->isrc = g_strdup (track_get_isrc (cue_track));
    }
    track->copy_permitted = track_is_set_flag (cue_track, FLAG_COPY_PERMITTED) != 0;
    track->preemphasis = track_is_set_flag (cue_track, FLAG_PRE_EMPHASIS) != 0;
  }
  cd_delete (cd);
  return TRUE;
}

RcdCtlCueSheet *
rcd_ctl_cue_sheet_parse (const char *name, const char *data, gsize len, GError **error)
{
  g_autoptr(RcdCtlCueSheet) sheet = g_new0 (RcdCtlCueSheet, 1);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  Scan scan = { 0 };

  sheet->name = g_strdup (name);
  sheet->files = g_ptr_array_new_with_free_func ((GDestroyNotify) cue_file_free);
  sheet->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) cue_track_free);
  scan.sheet = sheet;
  scan.file = -1;
  scan.last_index = -1;

  if (len > RCD_CTL_CUE_MAX_BYTES) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: %" G_GSIZE_FORMAT " bytes is not a CUE sheet (at most %d)",
                 name, len, RCD_CTL_CUE_MAX_BYTES);
    return NULL;
  }
  if (!check_bytes (&scan, data, len, error))
    return NULL;
  text = to_utf8 (data, len);
  if (text == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: neither UTF-8 nor Windows-1252 text", name);
    return NULL;
  }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    scan.line = i + 1;
    g_strchomp (lines[i]);   /* a CR of CRLF lines, trailing blanks */
    if (!scan_line (&scan, lines[i], error))
      return NULL;
  }
  if (sheet->tracks->len == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: no TRACK in the sheet", name);
    return NULL;
  }
  if (scan.track->index[1].file < 0) {
    scan.line = scan.track->line;
    fail (&scan, error, "track %u has no INDEX 01", scan.track->number);
    return NULL;
  }
  if (!read_with_libcue (sheet, error))
    return NULL;
  return g_steal_pointer (&sheet);
}
