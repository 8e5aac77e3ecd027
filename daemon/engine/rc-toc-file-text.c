/* rc-toc-file-text.c: the CD_TEXT blocks of a cdrdao TOC file
 * (rc-toc-file-private.h): LANGUAGE_MAP, LANGUAGE n { ITEM "text" }, and
 * binary items ({ n, n, ... }), which are passed over. */
#include "rc-toc-file-private.h"

#include <string.h>

/* Skips a binary item's { n, n, ... }; the current token is its '{'. */
static void
skip_binary (RcTocReader *r)
{
  for (rc_toc_next (r); r->type != TOK_RBRACE && r->type != TOK_END; rc_toc_next (r))
    if (r->type != TOK_WORD && r->type != TOK_COMMA)
      rc_toc_problem (r, "binary CD-TEXT data: expected numbers separated by commas");
}

/* LANGUAGE n { items }: the current token is the number. */
static void
read_language (RcTocReader *r, RcTocFileTrack *track)
{
  gint64 n = r->type == TOK_WORD ? rc_toc_parse_number (r->value->str, RC_TOC_FILE_LANGUAGES - 1) : -1;
  char *(*text)[RC_TOC_FILE_N_ITEMS];
  guint *text_line;

  if (n < 0)
    {
      rc_toc_problem (r, "LANGUAGE: expected a number from 0 to %d", RC_TOC_FILE_LANGUAGES - 1);
      n = -1;
    }
  rc_toc_next (r);
  if (r->type != TOK_LBRACE)
    {
      rc_toc_problem (r, "LANGUAGE: expected {");
      return;
    }
  if (n >= 0)
    {
      text = track != NULL ? track->text : r->toc->text;
      text_line = track != NULL ? track->text_line : r->toc->text_line;
      if (text_line[n] != 0)
        rc_toc_problem (r, "a second LANGUAGE %" G_GINT64_FORMAT " block here", n);
      text_line[n] = r->token_line;
      r->toc->has_language[n] = TRUE;
    }
  for (rc_toc_next (r); r->type != TOK_RBRACE && r->type != TOK_END; rc_toc_next (r))
    {
      g_autofree char *keyword = NULL;
      gint item = -1;

      if (r->type != TOK_WORD)
        {
          rc_toc_problem (r, "CD-TEXT: expected an item such as TITLE");
          continue;
        }
      keyword = g_strdup (r->value->str);
      for (guint i = 0; i < RC_TOC_FILE_N_ITEMS; i++)
        {
          if (g_str_equal (keyword, rc_toc_file_item_name (i, track == NULL)))
            item = (gint) i;
          else if (i == RC_TOC_FILE_N_ITEMS - 1
                   && g_str_equal (keyword, rc_toc_file_item_name (i, track != NULL)))
            rc_toc_problem (r, "%s belongs to %s", keyword, track == NULL ? "a track" : "the disc");
        }
      rc_toc_next (r);
      if (r->type == TOK_LBRACE)
        {
          skip_binary (r);
          continue;
        }
      if (r->type != TOK_STRING)
        {
          rc_toc_problem (r, "%s: expected a string or binary data", keyword);
          continue;
        }
      if (item < 0)
        {
          if (!g_str_equal (keyword, "GENRE") && !g_str_equal (keyword, "DISC_ID")
              && !g_str_equal (keyword, "TOC_INFO1") && !g_str_equal (keyword, "TOC_INFO2")
              && !g_str_equal (keyword, "SIZE_INFO") && !g_str_equal (keyword, "UPC_EAN")
              && !g_str_equal (keyword, "ISRC"))
            rc_toc_problem (r, "unknown CD-TEXT item %s", keyword);
          continue;
        }
      if (n < 0)
        continue;
      if (text[n][item] != NULL)
        rc_toc_problem (r, "%s is given twice in LANGUAGE %" G_GINT64_FORMAT, keyword, n);
      g_free (text[n][item]);
      text[n][item] = rc_toc_latin1_to_utf8 (r->value);
    }
  if (r->type == TOK_END)
    rc_toc_problem (r, "LANGUAGE %" G_GINT64_FORMAT " has no closing }", n);
}

/* LANGUAGE_MAP { n : code ... }: the current token is its '{'. */
static void
read_language_map (RcTocReader *r)
{
  for (rc_toc_next (r); r->type != TOK_RBRACE && r->type != TOK_END; rc_toc_next (r))
    {
      g_auto(GStrv) pair = NULL;
      gint64 n, code;

      if (r->type != TOK_WORD)
        {
          rc_toc_problem (r, "LANGUAGE_MAP: expected \"number : language code\"");
          continue;
        }
      /* "0 : 9" or "0:9" */
      pair = g_strsplit (r->value->str, ":", 3);
      n = rc_toc_parse_number (pair[0], RC_TOC_FILE_LANGUAGES - 1);
      if (pair[1] != NULL && pair[2] == NULL)
        code = rc_toc_parse_number (pair[1], 255);
      else
        {
          rc_toc_next (r);
          if (r->type != TOK_COLON)
            {
              rc_toc_problem (r, "LANGUAGE_MAP: expected \"number : language code\"");
              continue;
            }
          rc_toc_next (r);
          code = r->type == TOK_WORD ? rc_toc_parse_number (r->value->str, 255) : -1;
        }
      if (n < 0 || code < 0)
        {
          rc_toc_problem (r, "LANGUAGE_MAP: a language is a number 0 to %d, its code a number 0 to 255",
                   RC_TOC_FILE_LANGUAGES - 1);
          continue;
        }
      r->toc->language_code[n] = (gint) code;
    }
}

/* CD_TEXT { ... } of the disc (track NULL) or a track. */
void
rc_toc_read_cd_text (RcTocReader *r, RcTocFileTrack *track)
{
  rc_toc_next (r);
  if (r->type != TOK_LBRACE)
    {
      rc_toc_problem (r, "CD_TEXT: expected {");
      return;
    }
  if (track == NULL)
    {
      if (r->toc->cd_text_line != 0)
        rc_toc_problem (r, "a second CD_TEXT for the disc");
      r->toc->cd_text_line = r->token_line;
    }
  for (rc_toc_next (r); r->type != TOK_RBRACE && r->type != TOK_END; rc_toc_next (r))
    {
      if (rc_toc_is_word (r, "LANGUAGE_MAP"))
        {
          if (track != NULL)
            rc_toc_problem (r, "LANGUAGE_MAP belongs to the disc's CD_TEXT");
          rc_toc_next (r);
          if (r->type == TOK_LBRACE)
            read_language_map (r);
          else
            rc_toc_problem (r, "LANGUAGE_MAP: expected {");
        }
      else if (rc_toc_is_word (r, "LANGUAGE"))
        {
          rc_toc_next (r);
          read_language (r, track);
        }
      else
        rc_toc_problem (r, "CD_TEXT: expected LANGUAGE_MAP or LANGUAGE");
    }
  if (r->type == TOK_END)
    rc_toc_problem (r, "CD_TEXT has no closing }");
}

