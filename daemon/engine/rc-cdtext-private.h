/* rc-cdtext-private.h: what the files of the CD-TEXT model share (the
 * model, its character codes and its pack encoder); not for other users.
 */
#pragma once

#include "rc-cdtext.h"

G_BEGIN_DECLS

/* Field indexes: the order of the pack types 0x80..0x85, 0x87, 0x8E. */
#define RC_CDTEXT_FI_GENRE     6
#define RC_CDTEXT_FI_UPC_ISRC  7
/* Bytes of text in one pack. */
#define RC_CDTEXT_TEXT_BYTES   12

struct _RcCdText {
  /* NFC UTF-8, NULL when unset; [block][track][field index] */
  char     *text[RC_CDTEXT_N_BLOCKS][RC_CDTEXT_MAX_TRACK + 1][RC_CDTEXT_N_FIELDS];
  guint8    language[RC_CDTEXT_N_BLOCKS];
  guint16   genre_code[RC_CDTEXT_N_BLOCKS];   /* the disc's, before its genre text */
  gboolean  copyright[RC_CDTEXT_N_BLOCKS];
};

/* -1 for a value that is no supported field. */
int            rc_cdtext_field_index   (RcCdTextField field);
RcCdTextField  rc_cdtext_field_at      (int fi);
/* Titles .. messages: the fields whose character code follows the block's. */
gboolean       rc_cdtext_field_is_text (int fi);
/* "title of track 3", "UPC/EAN of the disc", "performer of track 1 in block 2" */
char          *rc_cdtext_describe      (guint block, guint track, int fi);

/* Character codes (rc-cdtext-charset.c). */
gboolean       rc_cdtext_is_ascii      (const char *utf8);
/* Append the bytes of utf8 in ISO-8859-1 or MS-JIS; FALSE (nothing
 * appended) when a character has no code there. */
gboolean       rc_cdtext_append_latin1 (GByteArray *out, const char *utf8);
gboolean       rc_cdtext_append_ms_jis (GByteArray *out, const char *utf8);

G_END_DECLS
