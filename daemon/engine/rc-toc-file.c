/* rc-toc-file.c: a cdrdao TOC file read back (rc-toc-file.h): its
 * statements and tracks.
 *
 * A small lexer (rc-toc-file-lex.c: words, quoted strings with cdrdao's
 * escapes, braces, colons, commas, "#offsets", // comments) under a reader
 * that takes one statement at a time (CD_TEXT: rc-toc-file-text.c).  Nothing is trusted: every number is range-checked
 * before it is used, every count is bounded, and text is kept as UTF-8
 * (converted from the ISO-8859-1 cdrdao writes) because a client shows it.
 */
#include "rc-toc-file-private.h"

#include "rc-codes.h"
#include "rc-error.h"
#include "rc-inspect.h"

#include <string.h>

static const char *const item_names[RC_TOC_FILE_N_ITEMS] = {
  "TITLE", "PERFORMER", "SONGWRITER", "COMPOSER", "ARRANGER", "MESSAGE", NULL,
};

const char *
rc_toc_file_item_name (guint item, gboolean disc)
{
  if (item == RC_TOC_FILE_N_ITEMS - 1)
    return disc ? "UPC_EAN" : "ISRC";
  return item < RC_TOC_FILE_N_ITEMS ? item_names[item] : NULL;
}


/* ---- tracks --------------------------------------------------------------- */

/* Reads the optional time that may follow (START, FILE's length): returns
 * it, or -1 with the token left alone when the next token is no time. */
static gint
optional_time (RcTocReader *r, const char *what)
{
  /* a time is a word starting with a digit; a keyword starts with a letter */
  if (r->type != TOK_WORD || !g_ascii_isdigit (r->value->str[0]))
    return -1;
  return MAX (rc_toc_parse_time (r, what), 0);
}

static gboolean
need_track (RcTocReader *r, const char *keyword)
{
  if (r->track != NULL)
    return TRUE;
  rc_toc_problem (r, "%s before the first TRACK", keyword);
  return FALSE;
}

static void
add_piece (RcTocReader *r, const char *name, gint64 from, gint length, guint line)
{
  RcTocFileTrack *t = r->track;

  if (r->toc->data_file == NULL)
    r->toc->data_file = g_strdup (name);
  else if (strcmp (r->toc->data_file, name) != 0)
    rc_toc_problem (r, "\"%s\" is a second data file; rawcd's TOC files have one (\"%s\")", name,
             r->toc->data_file);
  t->n_pieces++;
  if (t->n_pieces > 1)
    {
      rc_toc_problem (r, "track %02u takes a second piece of the data file; only the first is checked",
               t->number);
      return;
    }
  t->file_from = from;
  t->file_length = length;
  t->file_line = line;
}

/* FILE/AUDIOFILE "name" [SWAP] [#offset] start [length] */
static void
read_file (RcTocReader *r, const char *keyword)
{
  g_autofree char *name = NULL;
  guint line = r->token_line;
  gint from, length;

  rc_toc_next (r);
  if (r->type != TOK_STRING)
    {
      rc_toc_problem (r, "%s: expected the data file's name in quotes", keyword);
      return;
    }
  name = rc_toc_latin1_to_utf8 (r->value);
  rc_toc_next (r);
  if (rc_toc_is_word (r, "SWAP"))
    {
      rc_toc_problem (r, "%s \"%s\" SWAP: rawcd's data file is big-endian, as cdrdao reads it "
               "without SWAP", keyword, name);
      rc_toc_next (r);
    }
  if (r->type == TOK_OFFSET)
    {
      if (rc_toc_parse_number (r->value->str, 0) != 0)
        rc_toc_problem (r, "%s: a byte offset (#%s) before the start time; rawcd's TOC files have none",
                 keyword, r->value->str);
      rc_toc_next (r);
    }
  from = rc_toc_parse_time (r, keyword);
  rc_toc_next (r);
  length = optional_time (r, keyword);
  if (length >= 0)
    rc_toc_next (r);
  if (need_track (r, keyword))
    add_piece (r, name, MAX (from, 0), length, line);
}

/* DATAFILE "name" [#offset] [length]: blocks of 2448 bytes in an RW_RAW
 * track, 2352 otherwise. */
static void
read_datafile (RcTocReader *r)
{
  g_autofree char *name = NULL;
  guint line = r->token_line;
  guint block = r->track != NULL && r->track->rw_raw ? RC_AUDIO_BYTES + 96 : RC_AUDIO_BYTES;
  gint64 offset = 0;
  gint length;

  rc_toc_next (r);
  if (r->type != TOK_STRING)
    {
      rc_toc_problem (r, "DATAFILE: expected the data file's name in quotes");
      return;
    }
  name = rc_toc_latin1_to_utf8 (r->value);
  rc_toc_next (r);
  if (r->type == TOK_OFFSET)
    {
      offset = rc_toc_parse_number (r->value->str, (guint64) RC_INSPECT_MAX_SECTORS * block);
      if (offset < 0)
        rc_toc_problem (r, "DATAFILE: byte offset #%s is past any CD image", r->value->str);
      else if (offset % block != 0)
        rc_toc_problem (r, "DATAFILE: byte offset %" G_GINT64_FORMAT " is not a whole number of "
                 "%u-byte blocks", offset, block);
      rc_toc_next (r);
    }
  length = optional_time (r, "DATAFILE");
  if (length >= 0)
    rc_toc_next (r);
  if (need_track (r, "DATAFILE"))
    add_piece (r, name, MAX (offset, 0) / block, length, line);
}

static void
read_track (RcTocReader *r)
{
  RcTocFileTrack t = { 0 };

  rc_toc_next (r);
  if (!rc_toc_is_word (r, "AUDIO"))
    rc_toc_problem (r, "TRACK %s: rawcd's discs have AUDIO tracks only", r->value->str);
  rc_toc_next (r);
  if (rc_toc_is_word (r, "RW_RAW") || rc_toc_is_word (r, "RW"))
    {
      if (rc_toc_is_word (r, "RW"))
        rc_toc_problem (r, "TRACK AUDIO RW: rawcd writes R-W data as RW_RAW");
      t.rw_raw = TRUE;
      rc_toc_next (r);
    }
  if (r->tracks->len >= RC_MAX_TRACK_NUMBER)
    {
      rc_toc_problem (r, "more than %d tracks", RC_MAX_TRACK_NUMBER);
      /* the statements that follow go to the last track */
      return;
    }
  t.number = r->tracks->len + 1;
  t.line = r->token_line;
  t.file_from = -1;
  g_array_append_val (r->tracks, t);
  r->track = &g_array_index (r->tracks, RcTocFileTrack, r->tracks->len - 1);
}

/* One statement; the current token is its first word.  Leaves the token
 * after it current. */
static void
read_statement (RcTocReader *r)
{
  g_autofree char *kw = g_strdup (r->value->str);
  guint line = r->token_line;
  RcTocFileTrack *t = r->track;
  gint v;

  if (g_str_equal (kw, "CD_DA"))
    rc_toc_next (r);
  else if (g_str_equal (kw, "CD_ROM") || g_str_equal (kw, "CD_ROM_XA") || g_str_equal (kw, "CD_I"))
    {
      rc_toc_problem (r, "%s: rawcd's discs are audio CDs (CD_DA)", kw);
      rc_toc_next (r);
    }
  else if (g_str_equal (kw, "CATALOG"))
    {
      g_autoptr(GError) error = NULL;

      rc_toc_next (r);
      if (r->type != TOK_STRING)
        rc_toc_problem (r, "CATALOG: expected the 13 digits in quotes");
      else if (!rc_mcn_normalize (r->value->str, r->toc->mcn, &error))
        rc_toc_problem (r, "CATALOG: %s", error->message);
      else
        r->toc->mcn_line = line;
      rc_toc_next (r);
    }
  else if (g_str_equal (kw, "CD_TEXT"))
    {
      rc_toc_read_cd_text (r, t);
      rc_toc_next (r);
    }
  else if (g_str_equal (kw, "TRACK"))
    read_track (r);
  else if (g_str_equal (kw, "NO"))
    {
      rc_toc_next (r);
      if ((rc_toc_is_word (r, "COPY") || rc_toc_is_word (r, "PRE_EMPHASIS")) && need_track (r, "NO"))
        {
          if (rc_toc_is_word (r, "COPY"))
            t->copy = FALSE;
          else
            t->pre = FALSE;
        }
      else if (!rc_toc_is_word (r, "COPY") && !rc_toc_is_word (r, "PRE_EMPHASIS"))
        rc_toc_problem (r, "NO: expected COPY or PRE_EMPHASIS");
      rc_toc_next (r);
    }
  else if (g_str_equal (kw, "COPY") || g_str_equal (kw, "PRE_EMPHASIS")
           || g_str_equal (kw, "TWO_CHANNEL_AUDIO") || g_str_equal (kw, "FOUR_CHANNEL_AUDIO"))
    {
      if (need_track (r, kw))
        {
          if (g_str_equal (kw, "COPY"))
            t->copy = TRUE;
          else if (g_str_equal (kw, "PRE_EMPHASIS"))
            t->pre = TRUE;
          else if (g_str_equal (kw, "FOUR_CHANNEL_AUDIO"))
            rc_toc_problem (r, "FOUR_CHANNEL_AUDIO: rawcd's tracks are two-channel");
        }
      rc_toc_next (r);
    }
  else if (g_str_equal (kw, "ISRC"))
    {
      g_autoptr(GError) error = NULL;

      rc_toc_next (r);
      if (r->type != TOK_STRING)
        rc_toc_problem (r, "ISRC: expected the code in quotes");
      else if (need_track (r, "ISRC"))
        {
          if (!rc_isrc_normalize (r->value->str, t->isrc, &error))
            rc_toc_problem (r, "ISRC: %s", error->message);
          else
            t->isrc_line = line;
        }
      rc_toc_next (r);
    }
  else if (g_str_equal (kw, "PREGAP") || g_str_equal (kw, "SILENCE") || g_str_equal (kw, "ZERO"))
    {
      rc_toc_next (r);
      if (g_str_equal (kw, "ZERO") && r->type == TOK_WORD && !g_ascii_isdigit (r->value->str[0]))
        rc_toc_next (r);  /* its data mode */
      v = rc_toc_parse_time (r, kw);
      if (need_track (r, kw) && v > 0)
        {
          if (t->n_pieces > 0)
            rc_toc_problem (r, "%s after the track's data: rawcd's tracks have their audio in the data file",
                     kw);
          t->silence = MIN (t->silence + v, RC_INSPECT_MAX_SECTORS);
          /* PREGAP is the pause: silence, then index 1 */
          if (g_str_equal (kw, "PREGAP"))
            t->start = t->silence;
        }
      rc_toc_next (r);
    }
  else if (g_str_equal (kw, "FILE") || g_str_equal (kw, "AUDIOFILE"))
    read_file (r, kw);
  else if (g_str_equal (kw, "DATAFILE"))
    read_datafile (r);
  else if (g_str_equal (kw, "START"))
    {
      rc_toc_next (r);
      v = optional_time (r, "START");
      if (need_track (r, "START"))
        {
          if (t->start_line != 0)
            rc_toc_problem (r, "a second START in track %02u", t->number);
          /* without a time: here, after what the track has so far */
          t->start = v >= 0 ? v : t->silence + MAX (t->file_length, 0);
          t->start_line = line;
        }
      if (v >= 0)
        rc_toc_next (r);
    }
  else if (g_str_equal (kw, "INDEX"))
    {
      rc_toc_next (r);
      v = rc_toc_parse_time (r, "INDEX");
      if (need_track (r, "INDEX") && v >= 0)
        {
          if (t->n_indexes >= RC_MAX_INDEXES - 1)
            rc_toc_problem (r, "track %02u has more than %d indexes", t->number, RC_MAX_INDEXES);
          else
            {
              t->index_line[t->n_indexes] = line;
              t->index[t->n_indexes++] = v;
            }
        }
      rc_toc_next (r);
    }
  else
    {
      rc_toc_problem (r, "unknown keyword %s", kw);
      rc_toc_next (r);
    }
}

RcTocFile *
rc_toc_file_parse (const char *text, gsize len, GError **error)
{
  g_autoptr(RcTocFile) toc = NULL;
  RcTocReader r = { 0 };

  if (len > RC_TOC_FILE_MAX_BYTES)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "the TOC file is %" G_GSIZE_FORMAT " bytes; at most %d are read",
                   len, RC_TOC_FILE_MAX_BYTES);
      return NULL;
    }
  toc = g_new0 (RcTocFile, 1);
  toc->problems = rc_sheet_problems_new ();
  for (guint l = 0; l < RC_TOC_FILE_LANGUAGES; l++)
    toc->language_code[l] = -1;

  r.toc = toc;
  r.p = text;
  r.end = text + len;
  r.line = 1;
  r.value = g_string_new (NULL);
  r.tracks = g_array_new (FALSE, TRUE, sizeof (RcTocFileTrack));
  if (memchr (text, '\0', len) != NULL)
    {
      r.token_line = 1;
      rc_toc_problem (&r, "the TOC file holds a NUL byte: it is not text; read up to it");
      r.end = memchr (text, '\0', len);
    }

  for (rc_toc_next (&r); r.type != TOK_END;)
    {
      if (r.type == TOK_WORD)
        {
          read_statement (&r);
          /* r.track may have moved with the array */
          if (r.tracks->len > 0)
            r.track = &g_array_index (r.tracks, RcTocFileTrack, r.tracks->len - 1);
          continue;
        }
      rc_toc_problem (&r, "expected a keyword, found %s", r.type == TOK_STRING ? "a string"
                                                 : r.type == TOK_OFFSET ? "a byte offset"
                                                 : "a stray character");
      rc_toc_next (&r);
    }

  toc->n_tracks = r.tracks->len;
  toc->tracks = (RcTocFileTrack *) (void *) g_array_free (r.tracks, FALSE);
  g_string_free (r.value, TRUE);
  return g_steal_pointer (&toc);
}

void
rc_toc_file_free (RcTocFile *toc)
{
  if (toc == NULL)
    return;
  for (guint i = 0; i < toc->n_tracks; i++)
    for (guint l = 0; l < RC_TOC_FILE_LANGUAGES; l++)
      for (guint k = 0; k < RC_TOC_FILE_N_ITEMS; k++)
        g_free (toc->tracks[i].text[l][k]);
  for (guint l = 0; l < RC_TOC_FILE_LANGUAGES; l++)
    for (guint k = 0; k < RC_TOC_FILE_N_ITEMS; k++)
      g_free (toc->text[l][k]);
  g_free (toc->tracks);
  g_free (toc->data_file);
  g_ptr_array_unref (toc->problems);
  g_free (toc);
}
