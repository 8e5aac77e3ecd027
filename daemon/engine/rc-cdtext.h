/* rc-cdtext.h: CD-TEXT of the disc and its tracks, encoded into the 18-byte
 * packs that the lead-in carries (cd-format.md §9).
 *
 * Text is given as UTF-8 in up to 8 blocks (languages), for the disc
 * (track 0) and for tracks 1..99 (track numbers as on the disc).  The
 * character code of a block is chosen from its text when it is encoded:
 * 7-bit ASCII (0x01) when every character of titles, performers,
 * songwriters, composers, arrangers and messages is ASCII, else ISO-8859-1
 * (0x00) when every character has a Latin-1 code, else MS-JIS (0x80, the
 * Microsoft code page 932 form of Shift-JIS, with two-byte terminators).
 *
 * The packs are byte for byte those that libburn's burn_cdtext_from_session()
 * makes from the same text (tests/engine/test-cdtext.c compares them), with
 * the few deliberate differences documented in rc-cdtext.c.
 *
 * Not thread-safe: one owner sets the text; encode once and hand the
 * immutable GBytes to workers.
 *
 * The model is rc-cdtext.c, the character codes rc-cdtext-charset.c, the
 * pack encoder rc-cdtext-encode.c.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_CDTEXT_N_BLOCKS       8
#define RC_CDTEXT_MAX_TRACK      99
/* Text packs per block; the three size-info packs come on top. */
#define RC_CDTEXT_MAX_TEXT_PACKS 253
#define RC_CDTEXT_PACK_SIZE      18

/* Values are the pack types. */
typedef enum {
  RC_CDTEXT_FIELD_TITLE      = 0x80,
  RC_CDTEXT_FIELD_PERFORMER  = 0x81,
  RC_CDTEXT_FIELD_SONGWRITER = 0x82,
  RC_CDTEXT_FIELD_COMPOSER   = 0x83,
  RC_CDTEXT_FIELD_ARRANGER   = 0x84,
  RC_CDTEXT_FIELD_MESSAGE    = 0x85,
  /* Disc only.  The pack carries a two-byte genre code and a text: the
   * code is rc_cdtext_set_genre_code()'s (0x0000 "Not Used" until set, the
   * list is rc-cdtext-genre.h), the text this field's, which must be
   * printable 7-bit ASCII (the genre text is ASCII in every block). */
  RC_CDTEXT_FIELD_GENRE      = 0x87,
  /* Track 0: the UPC/EAN (1..13 digits with a valid EAN-13 check digit,
   * stored as 13 digits); track n: the ISRC (CC-OOO-YY-NNNNN, dashes
   * optional, stored as its 12 characters).  Always ASCII. */
  RC_CDTEXT_FIELD_UPC_ISRC   = 0x8E,
} RcCdTextField;

#define RC_CDTEXT_N_FIELDS       8

/* The character code of a block; values are those of its size info. */
typedef enum {
  RC_CDTEXT_CHARSET_ISO_8859_1 = 0x00,
  RC_CDTEXT_CHARSET_ASCII      = 0x01,
  RC_CDTEXT_CHARSET_MS_JIS     = 0x80,
} RcCdTextCharset;

typedef struct _RcCdText RcCdText;

/* ---- field names: the one table the service, its report and its
 * clients' files use.  "title", "performer", "songwriter", "composer",
 * "arranger", "message", "genre" (the disc only), and for 0x8E "upc_ean"
 * on the disc (track 0) and "isrc" on a track. */

/* The name of a field of the disc (track 0) or of a track. */
const char   *rc_cdtext_field_name      (RcCdTextField field, guint track);
/* Whether the disc (track 0) or a track can have this field. */
gboolean      rc_cdtext_field_applies   (RcCdTextField field, guint track);
/* The fields in pack-type order, i < RC_CDTEXT_N_FIELDS. */
RcCdTextField rc_cdtext_field_nth       (guint i);
/* FALSE with RC_ERROR_INVALID_ARGUMENT naming the known names when the
 * disc (track 0) or a track has no field of that name. */
gboolean      rc_cdtext_field_from_name (const char    *name,
                                         guint          track,
                                         RcCdTextField *field,
                                         GError       **error);

/* Empty: no text; every block's default language
 * (rc_cdtext_default_language()); not copyrighted. */
RcCdText   *rc_cdtext_new  (void);
void        rc_cdtext_free (RcCdText *cdtext);
/* A deep copy (a frozen disc hands one to its layout). */
RcCdText   *rc_cdtext_copy (const RcCdText *cdtext);

/* Sets (or, with NULL or "", clears) one field of the disc (track 0) or of
 * a track.  The text is stored in Unicode NFC.  Fails with
 * RC_ERROR_INVALID_ARGUMENT, naming the field and the track, when the block,
 * track or field is out of range, the text is not UTF-8, holds control
 * characters, or can be encoded neither in ISO-8859-1 nor in MS-JIS
 * (whether a whole block can share one character code is checked by
 * rc_cdtext_encode). */
gboolean    rc_cdtext_set  (RcCdText     *cdtext,
                            guint         block,
                            guint         track,
                            RcCdTextField field,
                            const char   *utf8,
                            GError      **error);
/* The stored text, "" when unset. */
const char *rc_cdtext_get  (const RcCdText *cdtext,
                            guint           block,
                            guint           track,
                            RcCdTextField   field);

/* The genre code of a block (rc-cdtext-genre.h): 0 ("Not Used") until
 * set.  A block with a code other than 0 has a genre pack even without a
 * genre text.  Fails with RC_ERROR_INVALID_ARGUMENT for a code above
 * 0xFFFF or a block out of range. */
gboolean    rc_cdtext_set_genre_code (RcCdText *cdtext, guint block, guint code, GError **error);
guint       rc_cdtext_get_genre_code (const RcCdText *cdtext, guint block);

/* Replaces every field of the disc (track 0) or of a track in every
 * block: `blocks` holds one GHashTable per block (block i at index i) of
 * field name -> UTF-8 text; blocks after the last one given, and fields
 * not named, are cleared.  The disc's tables may also hold "genre_code",
 * the genre code in decimal (0 to 65535; 0 when left out).  All or nothing: when any name or text is
 * refused (RC_ERROR_INVALID_ARGUMENT, as rc_cdtext_set and
 * rc_cdtext_field_from_name say, with the block) nothing changes. */
gboolean    rc_cdtext_replace (RcCdText   *cdtext,
                               guint       track,
                               GPtrArray  *blocks,
                               GError    **error);

/* TRUE when any field of the disc or of a track is set in the block. */
gboolean    rc_cdtext_block_has_text (const RcCdText *cdtext, guint block);

/* Language code of a block (EBU Tech 3264 appendix 3: 0x00..0x7F, 0x09
 * English, 0x08 German, 0x0F French, 0x69 Japanese). */
gboolean    rc_cdtext_set_language  (RcCdText *cdtext, guint block, guint8 code, GError **error);
guint8      rc_cdtext_get_language  (const RcCdText *cdtext, guint block);
/* The code a block has until one is set: 0x09 (English) for block 0, 0x00
 * (Unknown) for the others (libburn's defaults). */
guint8      rc_cdtext_default_language (guint block);
/* Sets the codes of blocks 0 .. n_codes - 1 and returns the others to
 * their defaults; all or nothing (RC_ERROR_INVALID_ARGUMENT for more than
 * RC_CDTEXT_N_BLOCKS codes or a code above 0x7F). */
gboolean    rc_cdtext_replace_languages (RcCdText     *cdtext,
                                         const guint8 *codes,
                                         gsize         n_codes,
                                         GError      **error);
/* The codes of the blocks in use: block 0 always, then up to the last
 * block that has text or a code other than its default.  Fills codes[0 ..
 * result - 1]. */
guint       rc_cdtext_languages_in_use (const RcCdText *cdtext,
                                        guint8          codes[RC_CDTEXT_N_BLOCKS]);
/* The copyright byte of a block's size info: 0x03 when TRUE, else 0x00. */
gboolean    rc_cdtext_set_copyright (RcCdText *cdtext, guint block, gboolean copyrighted, GError **error);
gboolean    rc_cdtext_get_copyright (const RcCdText *cdtext, guint block);

/* TRUE when no field of any block is set. */
gboolean    rc_cdtext_is_empty (const RcCdText *cdtext);

/* The packs of every block that has text (block 0 first), each block's text
 * packs by type 0x80..0x8E (the disc's text, then tracks first_track ..
 * last_track) followed by its three 0x8F size-info packs: the order in
 * which the lead-in carries them (cd-format.md §7).  An empty RcCdText
 * gives an empty GBytes.  Fails with RC_ERROR_INVALID_ARGUMENT when text is
 * set for a track outside first_track..last_track, when a block's text
 * cannot share one character code, or when a block needs more than
 * RC_CDTEXT_MAX_TEXT_PACKS text packs. */
GBytes     *rc_cdtext_encode (const RcCdText *cdtext,
                              guint           first_track,
                              guint           last_track,
                              GError        **error);

/* The character code a block's text needs, as the lead-in uses it: ASCII
 * when every character of the given fields (NULL: titles .. messages) of
 * the disc and tracks first_track .. last_track is 7-bit, else ISO-8859-1
 * when every character has a Latin-1 code, else MS-JIS.  Fails with
 * RC_ERROR_INVALID_ARGUMENT, naming a field of each kind, when neither
 * code holds the whole block.  The fields must be text fields (0x80..0x85). */
gboolean    rc_cdtext_block_charset (const RcCdText      *cdtext,
                                     guint                block,
                                     guint                first_track,
                                     guint                last_track,
                                     const RcCdTextField *fields,
                                     guint                n_fields,
                                     RcCdTextCharset     *charset,
                                     GError             **error);
/* The ISO-8859-1 bytes of a UTF-8 text (newly allocated, NUL-terminated),
 * NULL when a character has no Latin-1 code. */
char       *rc_cdtext_to_latin1     (const char *utf8);

/* One pack as the 24 six-bit R-W symbols of the lead-in: every 3 bytes give
 * 4 symbols, most significant bits first; bits 7-6 of each symbol are 0. */
void        rc_cdtext_pack_to_symbols (const guint8 pack[RC_CDTEXT_PACK_SIZE],
                                       guint8       symbols[24]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcCdText, rc_cdtext_free)

G_END_DECLS
