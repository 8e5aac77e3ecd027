/* rc-toc-file-private.h: the reader of cdrdao TOC files, shared by its
 * files: rc-toc-file.c (statements and tracks), rc-toc-file-lex.c (the
 * lexer, numbers, times, text) and rc-toc-file-text.c (CD_TEXT). */
#pragma once

#include "rc-toc-file.h"

G_BEGIN_DECLS

typedef enum {
  TOK_END,
  TOK_WORD,      /* keyword, number or MM:SS:FF */
  TOK_STRING,    /* the bytes between the quotes, escapes undone */
  TOK_LBRACE,
  TOK_RBRACE,
  TOK_COLON,
  TOK_COMMA,
  TOK_OFFSET,    /* #digits: the digits */
  TOK_OTHER,
} RcTocTokenType;

typedef struct {
  RcTocFile      *toc;
  const char     *p;
  const char     *end;
  guint           line;
  RcTocTokenType       type;
  GString        *value;
  guint           token_line;
  RcTocFileTrack *track;     /* the current one, NULL before the first */
  GArray         *tracks;    /* RcTocFileTrack */
} RcTocReader;

/* A problem at the current token's line (bounded; made UTF-8). */
void     rc_toc_problem        (RcTocReader *r, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* Moves to the next token (r->type, r->value, r->token_line). */
void     rc_toc_next           (RcTocReader *r);
gboolean rc_toc_is_word        (RcTocReader *r, const char *word);
/* A decimal number 0..max; -1 otherwise. */
gint64   rc_toc_parse_number   (const char *w, guint64 max);
/* The current word as a time in sectors (MM:SS:FF or samples); -1 with a
 * problem when it is neither. */
gint     rc_toc_parse_time     (RcTocReader *r, const char *what);
/* The file's ISO-8859-1 bytes as UTF-8. */
char    *rc_toc_latin1_to_utf8 (const GString *bytes);
/* CD_TEXT { ... } of the disc (track NULL) or a track; the current token
 * is CD_TEXT. */
void     rc_toc_read_cd_text   (RcTocReader *r, RcTocFileTrack *track);

G_END_DECLS
