/* rc-toc-file-lex.c: the words, strings, numbers and times of a cdrdao
 * TOC file (rc-toc-file-private.h).  cdrdao's strings are ISO-8859-1 with
 * \ooo escapes; times are MM:SS:FF or samples. */
#include "rc-toc-file-private.h"

#include "rc-inspect.h"

#include <string.h>

void
rc_toc_problem (RcTocReader *r, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  rc_sheet_problems_addv (r->toc->problems, r->token_line, format, args);
  va_end (args);
}

/* ---- the lexer ------------------------------------------------------------ */

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == ':' || c == '.' || c == '-';
}

/* A string: cdrdao's escapes are \ooo (octal), \" and \\.  It ends at its
 * quote or, unterminated, at the end of the line. */
static void
lex_string (RcTocReader *r)
{
  r->p++;
  while (r->p < r->end && *r->p != '"' && *r->p != '\n')
    {
      if (*r->p == '\\' && r->p + 1 < r->end)
        {
          const char *e = r->p + 1;

          if (*e >= '0' && *e <= '7')
            {
              guint v = 0, n = 0;

              while (n < 3 && e < r->end && *e >= '0' && *e <= '7')
                v = v * 8 + (guint) (*e++ - '0'), n++;
              g_string_append_c (r->value, (char) (v & 0xff));
              r->p = e;
              continue;
            }
          g_string_append_c (r->value, *e);
          r->p = e + 1;
          continue;
        }
      g_string_append_c (r->value, *r->p++);
    }
  if (r->p < r->end && *r->p == '"')
    r->p++;
  else
    rc_toc_problem (r, "a string has no closing quote");
}

void
rc_toc_next (RcTocReader *r)
{
  g_string_truncate (r->value, 0);
  for (;;)
    {
      while (r->p < r->end && g_ascii_isspace (*r->p))
        {
          if (*r->p == '\n')
            r->line++;
          r->p++;
        }
      if (r->p + 1 < r->end && r->p[0] == '/' && r->p[1] == '/')
        {
          while (r->p < r->end && *r->p != '\n')
            r->p++;
          continue;
        }
      break;
    }
  r->token_line = r->line;
  if (r->p >= r->end)
    {
      r->type = TOK_END;
      return;
    }
  switch (*r->p)
    {
    case '"':
      r->type = TOK_STRING;
      lex_string (r);
      return;
    case '{':
      r->type = TOK_LBRACE;
      r->p++;
      return;
    case '}':
      r->type = TOK_RBRACE;
      r->p++;
      return;
    case ',':
      r->type = TOK_COMMA;
      r->p++;
      return;
    case ':':
      r->type = TOK_COLON;
      r->p++;
      return;
    case '#':
      r->type = TOK_OFFSET;
      r->p++;
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        g_string_append_c (r->value, *r->p++);
      return;
    default:
      break;
    }
  if (!is_word_char (*r->p))
    {
      r->type = TOK_OTHER;
      g_string_append_c (r->value, *r->p++);
      return;
    }
  r->type = TOK_WORD;
  while (r->p < r->end && is_word_char (*r->p))
    g_string_append_c (r->value, *r->p++);
}

gboolean
rc_toc_is_word (RcTocReader *r, const char *word)
{
  return r->type == TOK_WORD && strcmp (r->value->str, word) == 0;
}

/* ---- values --------------------------------------------------------------- */

/* A decimal number 0..max; -1 otherwise. */
gint64
rc_toc_parse_number (const char *w, guint64 max)
{
  guint64 v;

  if (*w == '\0' || strlen (w) > 12 || !g_ascii_string_to_unsigned (w, 10, 0, max, &v, NULL))
    return -1;
  return (gint64) v;
}

/* The current word as a time in sectors: MM:SS:FF, or a number of samples
 * (588 to a sector).  -1 with a problem when it is neither. */
gint
rc_toc_parse_time (RcTocReader *r, const char *what)
{
  g_auto(GStrv) parts = NULL;
  gint64 m, s, f;

  if (r->type != TOK_WORD)
    {
      rc_toc_problem (r, "%s: expected a time (MM:SS:FF)", what);
      return -1;
    }
  if (strchr (r->value->str, ':') == NULL)
    {
      gint64 samples = rc_toc_parse_number (r->value->str, (guint64) RC_INSPECT_MAX_SECTORS * 588);

      if (samples < 0)
        {
          rc_toc_problem (r, "%s: \"%s\" is not a time (MM:SS:FF) or a number of samples", what,
                   r->value->str);
          return -1;
        }
      if (samples % 588 != 0)
        rc_toc_problem (r, "%s: %" G_GINT64_FORMAT " samples is not a whole number of sectors (588 "
                 "samples each); rawcd's images have only whole sectors", what, samples);
      return (gint) (samples / 588);
    }
  parts = g_strsplit (r->value->str, ":", 4);
  if (g_strv_length (parts) != 3
      || (m = rc_toc_parse_number (parts[0], 999)) < 0
      || (s = rc_toc_parse_number (parts[1], 59)) < 0
      || (f = rc_toc_parse_number (parts[2], 74)) < 0)
    {
      rc_toc_problem (r, "%s: \"%s\" is not a time MM:SS:FF (seconds below 60, frames below 75)", what,
               r->value->str);
      return -1;
    }
  return (gint) ((m * 60 + s) * 75 + f);
}

/* The file's ISO-8859-1 as UTF-8 (every byte is a character). */
char *
rc_toc_latin1_to_utf8 (const GString *bytes)
{
  GString *out = g_string_sized_new (bytes->len + 8);

  for (gsize i = 0; i < bytes->len; i++)
    g_string_append_unichar (out, (guchar) bytes->str[i]);
  return g_string_free (out, FALSE);
}

