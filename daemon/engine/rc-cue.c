/* rc-cue.c: a CUE sheet read back (rc-cue.h).
 *
 * Line by line: a command word, then its arguments, a quoted string where
 * the CUE format has one.  Nothing is trusted: lengths are checked before
 * bytes are copied, numbers before they are used as indexes, and text is
 * kept only when it is valid UTF-8 (a client shows it).
 */
#include "rc-cue.h"

#include "rc-codes.h"
#include "rc-error.h"

#include <string.h>

typedef struct {
  RcCue      *cue;
  guint       line;
  RcCueTrack *track;    /* the current one, NULL before the first */
  GArray     *tracks;   /* RcCueTrack */
} Parser;

static void G_GNUC_PRINTF (2, 3)
problem (Parser *p, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  rc_sheet_problems_addv (p->cue->problems, p->line, format, args);
  va_end (args);
}

/* The next word of *s (a quoted string without its quotes, or up to a
 * blank); NULL at the end of the line.  Moves *s past it. */
static char *
next_word (const char **s, gboolean *quoted)
{
  const char *p = *s;
  const char *start;

  while (*p == ' ' || *p == '\t')
    p++;
  *quoted = FALSE;
  if (*p == '\0')
    {
      *s = p;
      return NULL;
    }
  if (*p == '"')
    {
      const char *end = strchr (p + 1, '"');

      *quoted = TRUE;
      if (end == NULL)
        end = p + strlen (p);
      *s = *end == '"' ? end + 1 : end;
      return g_strndup (p + 1, (gsize) (end - p - 1));
    }
  start = p;
  while (*p != '\0' && *p != ' ' && *p != '\t')
    p++;
  *s = p;
  return g_strndup (start, (gsize) (p - start));
}

/* Two digits at w, as a number; -1 when they are not digits. */
static gint
two_digits (const char *w)
{
  if (!g_ascii_isdigit (w[0]) || !g_ascii_isdigit (w[1]))
    return -1;
  return (w[0] - '0') * 10 + (w[1] - '0');
}

/* MM:SS:FF exactly (minutes 00..99), as sectors; -1 when it is not one */
static gint
parse_time (const char *w)
{
  gint m, s, f;

  if (w == NULL || strlen (w) != 8 || w[2] != ':' || w[5] != ':')
    return -1;
  m = two_digits (w);
  s = two_digits (w + 3);
  f = two_digits (w + 6);
  if (m < 0 || s < 0 || f < 0 || s > 59 || f > 74)
    return -1;
  return (m * 60 + s) * 75 + f;
}

/* a decimal number 0..max; -1 otherwise */
static gint
parse_number (const char *w, guint max)
{
  guint64 v;

  if (w == NULL || *w == '\0' || strlen (w) > 3 || !g_ascii_string_to_unsigned (w, 10, 0, max, &v, NULL))
    return -1;
  return (gint) v;
}

static char *
valid_text (Parser *p, char *text, const char *what)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      problem (p, "%s is not valid UTF-8 text", what);
      g_free (text);
      return NULL;
    }
  return text;
}

static void
set_text (Parser *p, char **field, char *value, const char *what)
{
  if (*field != NULL)
    problem (p, "a second %s", what);
  g_free (*field);
  *field = valid_text (p, value, what);
}

static void
cmd_track (Parser *p, const char *args)
{
  g_autofree char *num = NULL;
  g_autofree char *mode = NULL;
  gboolean q;
  RcCueTrack t = { 0 };
  gint n;

  num = next_word (&args, &q);
  mode = next_word (&args, &q);
  n = parse_number (num, RC_MAX_TRACK_NUMBER);
  if (n < 1)
    {
      problem (p, "TRACK %s: a track number is 01 to 99", num != NULL ? num : "");
      p->track = NULL;
      return;
    }
  if (mode == NULL || g_ascii_strcasecmp (mode, "AUDIO") != 0)
    problem (p, "TRACK %02d is %s, not AUDIO: an audio CD image has audio tracks only", n,
             mode != NULL ? mode : "of no mode");
  if (p->tracks->len >= RC_MAX_TRACK_NUMBER)
    {
      problem (p, "more than %u tracks", RC_MAX_TRACK_NUMBER);
      p->track = NULL;
      return;
    }
  if (p->tracks->len > 0)
    {
      guint prev = g_array_index (p->tracks, RcCueTrack, p->tracks->len - 1).number;

      if ((guint) n != prev + 1)
        problem (p, "TRACK %02d follows TRACK %02u, expected %02u", n, prev, prev + 1);
    }
  if (p->cue->file == NULL)
    problem (p, "TRACK %02d comes before any FILE", n);
  t.number = (guint) n;
  t.line = p->line;
  for (guint i = 0; i <= RC_MAX_INDEXES; i++)
    t.index[i] = RC_CUE_NO_INDEX;
  g_array_append_val (p->tracks, t);
  p->track = &g_array_index (p->tracks, RcCueTrack, p->tracks->len - 1);
}

static void
cmd_index (Parser *p, const char *args)
{
  g_autofree char *num = NULL;
  g_autofree char *time = NULL;
  gboolean q;
  gint n, at;

  num = next_word (&args, &q);
  time = next_word (&args, &q);
  n = parse_number (num, RC_MAX_INDEXES);
  at = parse_time (time);
  if (p->track == NULL)
    {
      problem (p, "INDEX outside a track");
      return;
    }
  if (n < 0 || at < 0)
    {
      problem (p, "INDEX %s %s: expected a number 00..99 and a time MM:SS:FF",
               num != NULL ? num : "", time != NULL ? time : "");
      return;
    }
  if (p->track->index[n] != RC_CUE_NO_INDEX)
    {
      problem (p, "track %02u has INDEX %02d twice", p->track->number, n);
      return;
    }
  if (n > 1 && p->track->index[n - 1] == RC_CUE_NO_INDEX)
    problem (p, "track %02u: INDEX %02d without INDEX %02d", p->track->number, n, n - 1);
  p->track->index[n] = at;
  p->track->index_line[n] = p->line;
}

static void
cmd_flags (Parser *p, const char *args)
{
  gboolean q;

  if (p->track == NULL)
    {
      problem (p, "FLAGS outside a track");
      return;
    }
  p->track->flags_line = p->line;
  for (;;)
    {
      g_autofree char *w = next_word (&args, &q);

      if (w == NULL)
        break;
      if (g_ascii_strcasecmp (w, "DCP") == 0)
        p->track->dcp = TRUE;
      else if (g_ascii_strcasecmp (w, "PRE") == 0)
        p->track->pre = TRUE;
      else if (g_ascii_strcasecmp (w, "4CH") == 0)
        problem (p, "FLAGS 4CH: rawcd images are two-channel audio");
      else if (g_ascii_strcasecmp (w, "SCMS") != 0)
        problem (p, "FLAGS %.16s: not a CUE flag (DCP, 4CH, PRE, SCMS)", w);
    }
}

static void
cmd_isrc (Parser *p, const char *args)
{
  g_autofree char *w = NULL;
  g_autoptr(GError) error = NULL;
  gboolean q;

  w = next_word (&args, &q);
  if (p->track == NULL)
    {
      problem (p, "ISRC outside a track");
      return;
    }
  if (w == NULL || strlen (w) != 12 || !rc_isrc_normalize (w, p->track->isrc, &error))
    {
      problem (p, "track %02u: ISRC %.20s is not 12 characters CCOOOYYNNNNN", p->track->number,
               w != NULL ? w : "");
      p->track->isrc[0] = '\0';
      return;
    }
  p->track->isrc_line = p->line;
}

static void
cmd_catalog (Parser *p, const char *args)
{
  g_autofree char *w = NULL;
  gboolean q;
  gboolean digits;

  w = next_word (&args, &q);
  digits = w != NULL && strlen (w) == 13;
  for (guint i = 0; digits && i < 13; i++)
    digits = g_ascii_isdigit (w[i]);
  if (!digits)
    {
      problem (p, "CATALOG %.20s is not 13 digits", w != NULL ? w : "");
      return;
    }
  if ((guint) (w[12] - '0') != rc_mcn_check_digit (w))
    problem (p, "CATALOG %s: its check digit should be %u", w, rc_mcn_check_digit (w));
  memcpy (p->cue->mcn, w, 14);
  p->cue->mcn_line = p->line;
}

static void
cmd_file (Parser *p, const char *args)
{
  g_autofree char *type = NULL;
  char *name;
  gboolean q;

  name = next_word (&args, &q);
  type = next_word (&args, &q);
  if (p->cue->file != NULL)
    {
      problem (p, "a second FILE: only sheets with one data file are checked");
      g_free (name);
      return;
    }
  p->cue->file = valid_text (p, name != NULL ? name : g_strdup (""), "the FILE name");
  p->cue->binary = type != NULL && g_ascii_strcasecmp (type, "BINARY") == 0;
  if (!p->cue->binary)
    problem (p, "FILE of type %s: the data file is checked as BINARY (2352-byte sectors)",
             type != NULL ? type : "none");
}

static void
parse_line (Parser *p, const char *line)
{
  g_autofree char *cmd = NULL;
  const char *args = line;
  gboolean q;

  cmd = next_word (&args, &q);
  if (cmd == NULL || g_ascii_strcasecmp (cmd, "REM") == 0)
    return;
  if (g_ascii_strcasecmp (cmd, "FILE") == 0)
    cmd_file (p, args);
  else if (g_ascii_strcasecmp (cmd, "TRACK") == 0)
    cmd_track (p, args);
  else if (g_ascii_strcasecmp (cmd, "INDEX") == 0)
    cmd_index (p, args);
  else if (g_ascii_strcasecmp (cmd, "FLAGS") == 0)
    cmd_flags (p, args);
  else if (g_ascii_strcasecmp (cmd, "ISRC") == 0)
    cmd_isrc (p, args);
  else if (g_ascii_strcasecmp (cmd, "CATALOG") == 0)
    cmd_catalog (p, args);
  else if (g_ascii_strcasecmp (cmd, "TITLE") == 0 || g_ascii_strcasecmp (cmd, "PERFORMER") == 0)
    {
      gboolean title = g_ascii_strcasecmp (cmd, "TITLE") == 0;
      char **field = p->track == NULL ? (title ? &p->cue->title : &p->cue->performer)
                                      : (title ? &p->track->title : &p->track->performer);

      set_text (p, field, next_word (&args, &q), title ? "TITLE" : "PERFORMER");
    }
  else if (g_ascii_strcasecmp (cmd, "PREGAP") == 0)
    {
      g_autofree char *w = next_word (&args, &q);
      gint at = parse_time (w);

      if (p->track == NULL || at < 0)
        problem (p, "PREGAP needs a track and a time MM:SS:FF");
      else
        p->track->pregap = (guint) at;
    }
  else if (g_ascii_strcasecmp (cmd, "SONGWRITER") == 0 || g_ascii_strcasecmp (cmd, "POSTGAP") == 0 ||
           g_ascii_strcasecmp (cmd, "CDTEXTFILE") == 0)
    return;  /* allowed; not checked against the image */
  else
    problem (p, "unknown command %.32s", cmd);
}

RcCue *
rc_cue_parse (const char *text, gsize len, GError **error)
{
  g_autoptr(RcCue) cue = NULL;
  Parser p = { 0 };
  gsize start = 0;

  if (len > RC_CUE_MAX_BYTES)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "the CUE sheet is %" G_GSIZE_FORMAT " bytes; a sheet of at most %u bytes is read",
                   len, RC_CUE_MAX_BYTES);
      return NULL;
    }
  cue = g_new0 (RcCue, 1);
  cue->problems = rc_sheet_problems_new ();
  p.cue = cue;
  p.tracks = g_array_new (FALSE, TRUE, sizeof (RcCueTrack));
  /* a UTF-8 byte order mark */
  if (len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    start = 3;
  while (start < len)
    {
      const char *nl = memchr (text + start, '\n', len - start);
      gsize end = nl != NULL ? (gsize) (nl - text) : len;
      g_autofree char *line = g_strndup (text + start, end - start);
      gsize l = strlen (line);   /* a NUL ends the line early */

      p.line++;
      if (l > 0 && line[l - 1] == '\r')
        line[l - 1] = '\0';
      parse_line (&p, line);
      start = end + 1;
    }
  cue->n_tracks = p.tracks->len;
  cue->tracks = (RcCueTrack *) (void *) g_array_free (p.tracks, FALSE);
  if (cue->n_tracks == 0)
    {
      p.line = 0;
      problem (&p, "the sheet has no TRACK");
    }
  for (guint i = 0; i < cue->n_tracks; i++)
    if (cue->tracks[i].index[1] == RC_CUE_NO_INDEX)
      {
        p.line = cue->tracks[i].line;
        problem (&p, "track %02u has no INDEX 01", cue->tracks[i].number);
      }
  return g_steal_pointer (&cue);
}

void
rc_cue_free (RcCue *cue)
{
  if (cue == NULL)
    return;
  for (guint i = 0; i < cue->n_tracks; i++)
    {
      g_free (cue->tracks[i].title);
      g_free (cue->tracks[i].performer);
    }
  g_free (cue->tracks);
  g_free (cue->file);
  g_free (cue->title);
  g_free (cue->performer);
  if (cue->problems != NULL)
    g_ptr_array_unref (cue->problems);
  g_free (cue);
}
