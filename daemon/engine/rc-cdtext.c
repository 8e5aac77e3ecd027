/* rc-cdtext.c: CD-TEXT text to lead-in packs (cd-format.md §9).
 *
 * Layout of the output, the same as libburn's burn_cdtext_from_session()
 * (the reference the tests compare against byte for byte):
 *
 * - blocks in ascending order, each a run of sequence numbers from 0;
 * - in a block, pack types in ascending order; for the per-track types
 *   (0x80..0x85, 0x8E) the disc's string and then one string per track,
 *   first_track..last_track, all NUL-terminated and packed back to back, so
 *   that a string may start in the middle of a pack and continue into the
 *   next; the last pack of a type is padded with zeros;
 * - a track string identical to the previous track's (and not empty) is
 *   written as TAB (two TABs in a double-byte block);
 * - header byte 1 is the track of the string that starts the pack's text,
 *   byte 3 the number of characters of that string in earlier packs,
 *   capped at 15;
 * - three 0x8F size-info packs close each block.
 *
 * Deliberate differences from libburn 1.5.4 (each shown by a test that has
 * libburn's decoder, burn_make_input_sheet_v07t(), read our packs back):
 *
 * - A type is written when any string of it (disc or track) is set; the
 *   disc's string is then "".  libburn drops the track texts of a type
 *   whose disc text is unset; its own v07t sheet reader works around that
 *   by setting the disc text to "", which gives our bytes.
 * - In an MS-JIS block every text type (0x80..0x85) is double-byte: DBCC
 *   bit, TAB TAB NUL NUL for a repeat, positions counted in byte pairs.
 *   libburn keeps the double-byte flag of type 0x80 only (its setters mask
 *   the flag with the type's bit), so its performer .. message packs say
 *   single-byte while holding Shift-JIS.
 * - A missing track string in an MS-JIS block is two NUL bytes; libburn
 *   writes one, which puts every later character of that type off by a
 *   byte for a reader that pairs bytes.
 * - The language code of a block without text is 0x00 ("Unknown", as in
 *   Sony's example); libburn writes whatever code was set for it, which a
 *   reader could take for a block that is not there.
 * - A block may hold 253 text packs plus its 3 size-info packs (sequence
 *   numbers 0..255, as Sony's documentation and libburn's doc/cdtext.txt
 *   state); libburn's encoder stops at 255 packs in all.
 */
#include "rc-cdtext.h"

#include "rc-codes.h"
#include "rc-crc.h"
#include "rc-error.h"

#include <string.h>

#define N_FIELDS        8
#define FIELD_GENRE     6
#define FIELD_UPC_ISRC  7
#define TEXT_BYTES      12
#define SIZE_INFO_PACKS 3

#define CHARSET_ISO_8859_1 0x00
#define CHARSET_ASCII      0x01
#define CHARSET_MS_JIS     0x80

/* glibc's CP932 maps 0x5C and 0x7E to backslash and tilde as MS-JIS players
 * expect; its SHIFT_JIS maps them to yen sign and overline. */
#define MS_JIS_ICONV_NAME "CP932"

struct _RcCdText {
  /* NFC UTF-8, NULL when unset; [block][track][field index] */
  char     *text[RC_CDTEXT_N_BLOCKS][RC_CDTEXT_MAX_TRACK + 1][N_FIELDS];
  guint8    language[RC_CDTEXT_N_BLOCKS];
  gboolean  copyright[RC_CDTEXT_N_BLOCKS];
};

static const guint8 field_types[N_FIELDS] = {
  0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x87, 0x8E,
};

static int
field_index (RcCdTextField field)
{
  for (int i = 0; i < N_FIELDS; i++)
    if (field_types[i] == (guint) field)
      return i;
  return -1;
}

static gboolean
field_is_text (int fi)
{
  return fi < FIELD_GENRE;
}

/* "title of track 3", "UPC/EAN of the disc", "performer of track 1 in block 2" */
static char *
describe (guint block, guint track, int fi)
{
  static const char *const names[N_FIELDS] = {
    "title", "performer", "songwriter", "composer", "arranger", "message", "genre", NULL,
  };
  const char *name = names[fi];
  g_autofree char *where = NULL;

  if (fi == FIELD_UPC_ISRC)
    name = track == 0 ? "UPC/EAN" : "ISRC";
  where = track == 0 ? g_strdup ("the disc") : g_strdup_printf ("track %u", track);
  if (block == 0)
    return g_strdup_printf ("%s of %s", name, where);
  return g_strdup_printf ("%s of %s in block %u", name, where, block);
}

RcCdText *
rc_cdtext_new (void)
{
  RcCdText *cdtext = g_new0 (RcCdText, 1);

  cdtext->language[0] = 0x09;
  return cdtext;
}

void
rc_cdtext_free (RcCdText *cdtext)
{
  if (cdtext == NULL)
    return;
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint t = 0; t <= RC_CDTEXT_MAX_TRACK; t++)
      for (guint f = 0; f < N_FIELDS; f++)
        g_free (cdtext->text[b][t][f]);
  g_free (cdtext);
}

RcCdText *
rc_cdtext_copy (const RcCdText *cdtext)
{
  RcCdText *copy = g_memdup2 (cdtext, sizeof *cdtext);

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint t = 0; t <= RC_CDTEXT_MAX_TRACK; t++)
      for (guint f = 0; f < N_FIELDS; f++)
        copy->text[b][t][f] = g_strdup (cdtext->text[b][t][f]);
  return copy;
}

/* ---- character codes ---------------------------------------------------- */

static gboolean
is_ascii (const char *utf8)
{
  for (const guchar *p = (const guchar *) utf8; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* Appends the ISO-8859-1 bytes of utf8; FALSE (nothing appended) when a
 * character has no Latin-1 code. */
static gboolean
append_latin1 (GByteArray *out, const char *utf8)
{
  guint start = out->len;

  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint8 byte = (guint8) c;

      if (c > 0xFF)
        {
          g_byte_array_set_size (out, start);
          return FALSE;
        }
      g_byte_array_append (out, &byte, 1);
    }
  return TRUE;
}

static gboolean
append_ms_jis (GByteArray *out, const char *utf8)
{
  gsize len = 0;
  g_autofree char *sjis = g_convert (utf8, -1, MS_JIS_ICONV_NAME, "UTF-8", NULL, &len, NULL);

  if (sjis == NULL)
    return FALSE;
  g_byte_array_append (out, (const guint8 *) sjis, (guint) len);
  return TRUE;
}

static gboolean
fits_latin1 (const char *utf8)
{
  g_autoptr(GByteArray) scratch = g_byte_array_new ();
  return append_latin1 (scratch, utf8);
}

static gboolean
fits_ms_jis (const char *utf8)
{
  g_autoptr(GByteArray) scratch = g_byte_array_new ();
  return append_ms_jis (scratch, utf8);
}

/* ---- setters ------------------------------------------------------------ */

static gboolean
check_block (guint block, GError **error)
{
  if (block >= RC_CDTEXT_N_BLOCKS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT block %u is out of range 0 to %u", block, RC_CDTEXT_N_BLOCKS - 1);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_fits_block (const char *what, gsize bytes, GError **error)
{
  gsize packs = (bytes + TEXT_BYTES - 1) / TEXT_BYTES;

  if (packs > RC_CDTEXT_MAX_TEXT_PACKS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT %s alone needs %" G_GSIZE_FORMAT " packs; at most %u fit in a block",
                   what, packs, RC_CDTEXT_MAX_TEXT_PACKS);
      return FALSE;
    }
  return TRUE;
}

/* Returns the form to store (newly allocated), NULL with error set. */
static char *
validate_text (guint block, guint track, int fi, const char *utf8, GError **error)
{
  g_autofree char *what = describe (block, track, fi);
  g_autofree char *nfc = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint terminator = 1;
  char normal[14];

  if (!g_utf8_validate (utf8, -1, NULL))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT %s is not valid UTF-8", what);
      return NULL;
    }

  if (fi == FIELD_UPC_ISRC)
    {
      gboolean ok = track == 0 ? rc_mcn_normalize (utf8, normal, error)
                               : rc_isrc_normalize (utf8, normal, error);
      if (!ok)
        {
          g_prefix_error (error, "CD-TEXT %s: ", what);
          return NULL;
        }
      return g_strdup (normal);
    }

  /* NFC so that "e" + combining acute, as some systems send it, becomes the
   * one Latin-1 character it looks like. */
  nfc = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFC);
  for (const char *p = nfc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* TAB means "same as the previous track" in a pack; other control
       * characters have no meaning to a player. */
      if (g_unichar_iscntrl (c))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                       "CD-TEXT %s contains the control character U+%04X", what, c);
          return NULL;
        }
    }

  if (fi == FIELD_GENRE)
    {
      if (!is_ascii (nfc))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                       "CD-TEXT %s \"%s\" must be 7-bit ASCII", what, nfc);
          return NULL;
        }
      /* genre code, text, NUL */
      if (!check_fits_block (what, 2 + strlen (nfc) + 1, error))
        return NULL;
      return g_steal_pointer (&nfc);
    }

  if (!append_latin1 (bytes, nfc))
    {
      terminator = 2;
      if (!append_ms_jis (bytes, nfc))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                       "CD-TEXT %s cannot be encoded in ISO-8859-1 or MS-JIS", what);
          return NULL;
        }
    }
  /* a text that cannot fit even alone is refused now, which also bounds
   * what a client can make us store */
  if (!check_fits_block (what, bytes->len + terminator, error))
    return NULL;
  return g_steal_pointer (&nfc);
}

gboolean
rc_cdtext_set (RcCdText     *cdtext,
               guint         block,
               guint         track,
               RcCdTextField field,
               const char   *utf8,
               GError      **error)
{
  int fi = field_index (field);
  char *stored = NULL;

  g_return_val_if_fail (cdtext != NULL, FALSE);

  if (!check_block (block, error))
    return FALSE;
  if (track > RC_CDTEXT_MAX_TRACK)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT track %u is out of range 0 (the disc) to %u",
                   track, RC_CDTEXT_MAX_TRACK);
      return FALSE;
    }
  if (fi < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT field 0x%02X is not supported", (guint) field);
      return FALSE;
    }
  if (fi == FIELD_GENRE && track != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT genre belongs to the disc, not to track %u", track);
      return FALSE;
    }

  if (utf8 != NULL && utf8[0] != '\0')
    {
      stored = validate_text (block, track, fi, utf8, error);
      if (stored == NULL)
        return FALSE;
    }
  g_free (cdtext->text[block][track][fi]);
  cdtext->text[block][track][fi] = stored;
  return TRUE;
}

const char *
rc_cdtext_get (const RcCdText *cdtext, guint block, guint track, RcCdTextField field)
{
  int fi = field_index (field);
  const char *text;

  g_return_val_if_fail (cdtext != NULL, NULL);
  g_return_val_if_fail (block < RC_CDTEXT_N_BLOCKS, NULL);
  g_return_val_if_fail (track <= RC_CDTEXT_MAX_TRACK, NULL);
  g_return_val_if_fail (fi >= 0, NULL);

  text = cdtext->text[block][track][fi];
  return text != NULL ? text : "";
}

gboolean
rc_cdtext_set_language (RcCdText *cdtext, guint block, guint8 code, GError **error)
{
  g_return_val_if_fail (cdtext != NULL, FALSE);

  if (!check_block (block, error))
    return FALSE;
  /* The pack byte is shared with nothing, but EBU codes stop at 0x7F. */
  if (code > 0x7F)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT language code 0x%02X of block %u is out of range 0x00 to 0x7F",
                   code, block);
      return FALSE;
    }
  cdtext->language[block] = code;
  return TRUE;
}

guint8
rc_cdtext_get_language (const RcCdText *cdtext, guint block)
{
  g_return_val_if_fail (cdtext != NULL, 0);
  g_return_val_if_fail (block < RC_CDTEXT_N_BLOCKS, 0);
  return cdtext->language[block];
}

gboolean
rc_cdtext_set_copyright (RcCdText *cdtext, guint block, gboolean copyrighted, GError **error)
{
  g_return_val_if_fail (cdtext != NULL, FALSE);

  if (!check_block (block, error))
    return FALSE;
  cdtext->copyright[block] = copyrighted ? TRUE : FALSE;
  return TRUE;
}

gboolean
rc_cdtext_get_copyright (const RcCdText *cdtext, guint block)
{
  g_return_val_if_fail (cdtext != NULL, FALSE);
  g_return_val_if_fail (block < RC_CDTEXT_N_BLOCKS, FALSE);
  return cdtext->copyright[block];
}

gboolean
rc_cdtext_is_empty (const RcCdText *cdtext)
{
  g_return_val_if_fail (cdtext != NULL, TRUE);

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint t = 0; t <= RC_CDTEXT_MAX_TRACK; t++)
      for (guint f = 0; f < N_FIELDS; f++)
        if (cdtext->text[b][t][f] != NULL)
          return FALSE;
  return TRUE;
}

/* ---- packs -------------------------------------------------------------- */

/* Fills the packs of one block; sequence numbers count from 0. */
typedef struct {
  GByteArray *packs;
  guint8      block;
  guint       n_packs;
  guint       count[16];  /* packs per type 0x80..0x8F */
  gboolean    open;       /* the last pack takes more text bytes */
  guint       used;       /* text bytes in the open pack */
} PackWriter;

static void
seal_pack (guint8 *pack)
{
  guint16 crc = rc_crc16 (pack, 16) ^ 0xFFFF;

  pack[16] = (guint8) (crc >> 8);
  pack[17] = (guint8) crc;
}

static void
writer_close (PackWriter *w)
{
  if (!w->open)
    return;
  /* the unused text bytes were zeroed when the pack was opened */
  seal_pack (w->packs->data + w->packs->len - RC_CDTEXT_PACK_SIZE);
  w->open = FALSE;
}

static void
writer_open (PackWriter *w, guint8 type, guint8 track, gboolean dbcc, guint char_pos)
{
  guint8 *pack;

  writer_close (w);
  g_byte_array_set_size (w->packs, w->packs->len + RC_CDTEXT_PACK_SIZE);
  pack = w->packs->data + w->packs->len - RC_CDTEXT_PACK_SIZE;
  memset (pack, 0, RC_CDTEXT_PACK_SIZE);
  pack[0] = type;
  pack[1] = track;
  /* can wrap only past the limit, which the caller then refuses */
  pack[2] = (guint8) w->n_packs;
  pack[3] = (guint8) ((dbcc ? 0x80 : 0x00) | (w->block << 4) | MIN (char_pos, 15));
  w->n_packs++;
  w->count[type - 0x80]++;
  w->open = TRUE;
  w->used = 0;
}

/* Appends one string (terminator included) of a type.  binary_prefix bytes
 * at its start are not characters (the genre code), so the character
 * position counts from after them; in a double-byte string it counts byte
 * pairs. */
static void
writer_add (PackWriter   *w,
            guint8        type,
            guint8        track,
            gboolean      dbcc,
            const guint8 *bytes,
            guint         len,
            guint         binary_prefix)
{
  for (guint i = 0; i < len; i++)
    {
      if (!w->open || w->used == TEXT_BYTES)
        {
          guint chars = i < binary_prefix ? 0 : i - binary_prefix;
          writer_open (w, type, track, dbcc, dbcc ? chars / 2 : chars);
        }
      w->packs->data[w->packs->len - RC_CDTEXT_PACK_SIZE + 4 + w->used] = bytes[i];
      w->used++;
    }
}

typedef struct {
  const RcCdText *cdtext;
  guint           first;
  guint           last;
} Range;

/* The disc (track 0) and then first..last, in the order packs carry them. */
static guint
range_n (const Range *r)
{
  return 1 + r->last - r->first + 1;
}

static guint
range_track (const Range *r, guint i)
{
  return i == 0 ? 0 : r->first + i - 1;
}

static const char *
text_at (const Range *r, guint block, guint track, int fi)
{
  return r->cdtext->text[block][track][fi];
}

static gboolean
block_has_text (const Range *r, guint block)
{
  for (guint i = 0; i < range_n (r); i++)
    for (int fi = 0; fi < N_FIELDS; fi++)
      if (text_at (r, block, range_track (r, i), fi) != NULL)
        return TRUE;
  return FALSE;
}

/* The character code of a block, from its titles .. messages. */
static gboolean
choose_charset (const Range *r, guint block, guint8 *charset, GError **error)
{
  gboolean all_ascii = TRUE;
  g_autofree char *not_latin1 = NULL;
  g_autofree char *not_ms_jis = NULL;

  for (guint i = 0; i < range_n (r); i++)
    for (int fi = 0; field_is_text (fi); fi++)
      {
        guint track = range_track (r, i);
        const char *text = text_at (r, block, track, fi);

        if (text == NULL || is_ascii (text))
          continue;
        all_ascii = FALSE;
        if (not_latin1 == NULL && !fits_latin1 (text))
          not_latin1 = describe (block, track, fi);
        if (not_ms_jis == NULL && !fits_ms_jis (text))
          not_ms_jis = describe (block, track, fi);
      }

  if (all_ascii)
    *charset = CHARSET_ASCII;
  else if (not_latin1 == NULL)
    *charset = CHARSET_ISO_8859_1;
  else if (not_ms_jis == NULL)
    *charset = CHARSET_MS_JIS;
  else
    {
      /* each string fits one of them (rc_cdtext_set checked), but a block
       * has a single character code */
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT block %u cannot use one character code: the %s cannot be "
                   "encoded in ISO-8859-1 and the %s cannot be encoded in MS-JIS",
                   block, not_latin1, not_ms_jis);
      return FALSE;
    }
  return TRUE;
}

/* The bytes of one string of a type, terminator included. */
static void
encode_string (GByteArray *out, const char *text, int fi, guint8 charset)
{
  static const guint8 nul[2] = { 0, 0 };
  gboolean dbcc = charset == CHARSET_MS_JIS && field_is_text (fi);

  g_byte_array_set_size (out, 0);
  if (text != NULL)
    {
      /* set() and choose_charset() checked that this succeeds */
      if (dbcc)
        append_ms_jis (out, text);
      else
        append_latin1 (out, text);
    }
  g_byte_array_append (out, nul, dbcc ? 2 : 1);
}

static void
add_genre (PackWriter *w, const char *text)
{
  /* genre code 0x0000 "Not Used", then the ASCII text */
  static const guint8 code[2] = { 0x00, 0x00 };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  g_byte_array_append (bytes, code, sizeof code);
  g_byte_array_append (bytes, (const guint8 *) text, (guint) strlen (text) + 1);
  writer_add (w, 0x87, 0, FALSE, bytes->data, bytes->len, sizeof code);
  writer_close (w);
}

static void
add_per_track_type (PackWriter *w, const Range *r, int fi, guint8 charset)
{
  static const guint8 tab_sb[2] = { '\t', 0 };
  static const guint8 tab_db[4] = { '\t', '\t', 0, 0 };
  gboolean dbcc = charset == CHARSET_MS_JIS && field_is_text (fi);
  guint terminator = dbcc ? 2 : 1;
  g_autoptr(GByteArray) prev = g_byte_array_new ();
  g_autoptr(GByteArray) cur = g_byte_array_new ();

  for (guint i = 0; i < range_n (r); i++)
    {
      guint8 track = (guint8) range_track (r, i);

      encode_string (cur, text_at (r, w->block, track, fi), fi, charset);
      /* TAB for a non-empty string equal to the previous track's: never for
       * the first track, whatever the disc's string (libburn's rule) */
      if (i >= 2 && cur->len > terminator && cur->len == prev->len &&
          memcmp (cur->data, prev->data, cur->len) == 0)
        writer_add (w, field_types[fi], track, dbcc,
                    dbcc ? tab_db : tab_sb, dbcc ? sizeof tab_db : sizeof tab_sb, 0);
      else
        writer_add (w, field_types[fi], track, dbcc, cur->data, cur->len, 0);

      g_byte_array_set_size (prev, 0);
      g_byte_array_append (prev, cur->data, cur->len);
    }
  writer_close (w);
}

static gboolean
block_text_packs (const Range *r, PackWriter *w, guint8 charset, GError **error)
{
  for (int fi = 0; fi < N_FIELDS; fi++)
    {
      gboolean any = FALSE;

      if (fi == FIELD_GENRE)
        {
          const char *genre = text_at (r, w->block, 0, fi);
          if (genre != NULL)
            add_genre (w, genre);
          continue;
        }
      for (guint i = 0; i < range_n (r) && !any; i++)
        any = text_at (r, w->block, range_track (r, i), fi) != NULL;
      if (any)
        add_per_track_type (w, r, fi, charset);
    }

  if (w->n_packs > RC_CDTEXT_MAX_TEXT_PACKS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT block %u needs %u packs; at most %u fit",
                   w->block, w->n_packs, RC_CDTEXT_MAX_TEXT_PACKS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_tracks_in_range (const RcCdText *cdtext, guint first, guint last, GError **error)
{
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint t = 1; t <= RC_CDTEXT_MAX_TRACK; t++)
      for (int fi = 0; fi < N_FIELDS; fi++)
        if (cdtext->text[b][t][fi] != NULL && (t < first || t > last))
          {
            g_autofree char *what = describe (b, t, fi);
            g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                         "CD-TEXT %s is set but the disc has tracks %u to %u",
                         what, first, last);
            return FALSE;
          }
  return TRUE;
}

GBytes *
rc_cdtext_encode (const RcCdText *cdtext, guint first_track, guint last_track, GError **error)
{
  Range r = { cdtext, first_track, last_track };
  PackWriter writers[RC_CDTEXT_N_BLOCKS] = { 0 };
  guint8 charsets[RC_CDTEXT_N_BLOCKS] = { 0 };
  gboolean present[RC_CDTEXT_N_BLOCKS] = { 0 };
  guint8 last_seq[RC_CDTEXT_N_BLOCKS] = { 0 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gboolean ok = TRUE;

  g_return_val_if_fail (cdtext != NULL, NULL);

  if (first_track < 1 || last_track > RC_CDTEXT_MAX_TRACK || first_track > last_track)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT track range %u to %u is not within 1 to %u",
                   first_track, last_track, RC_CDTEXT_MAX_TRACK);
      return NULL;
    }
  if (!check_tracks_in_range (cdtext, first_track, last_track, error))
    return NULL;

  /* First the text packs of every block: each size-info group lists the
   * last sequence number of all blocks. */
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS && ok; b++)
    {
      PackWriter *w = &writers[b];

      w->packs = g_byte_array_new ();
      w->block = (guint8) b;
      present[b] = block_has_text (&r, b);
      if (!present[b])
        continue;
      ok = choose_charset (&r, b, &charsets[b], error) &&
           block_text_packs (&r, w, charsets[b], error);
      last_seq[b] = (guint8) (w->n_packs + SIZE_INFO_PACKS - 1);
    }

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS && ok; b++)
    {
      PackWriter *w = &writers[b];
      guint8 info[SIZE_INFO_PACKS * TEXT_BYTES] = { 0 };

      if (!present[b])
        continue;
      info[0] = charsets[b];
      info[1] = (guint8) first_track;
      info[2] = (guint8) last_track;
      info[3] = cdtext->copyright[b] ? 0x03 : 0x00;
      for (guint t = 0; t < 15; t++)
        info[4 + t] = (guint8) w->count[t];
      info[4 + 15] = SIZE_INFO_PACKS;
      for (guint i = 0; i < RC_CDTEXT_N_BLOCKS; i++)
        {
          info[20 + i] = last_seq[i];
          info[28 + i] = present[i] ? cdtext->language[i] : 0x00;
        }
      for (guint p = 0; p < SIZE_INFO_PACKS; p++)
        {
          writer_open (w, 0x8F, (guint8) p, FALSE, 0);
          memcpy (w->packs->data + w->packs->len - RC_CDTEXT_PACK_SIZE + 4,
                  info + p * TEXT_BYTES, TEXT_BYTES);
          w->used = TEXT_BYTES;
        }
      writer_close (w);
      g_byte_array_append (out, w->packs->data, w->packs->len);
    }

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    if (writers[b].packs != NULL)
      g_byte_array_unref (writers[b].packs);
  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

void
rc_cdtext_pack_to_symbols (const guint8 pack[RC_CDTEXT_PACK_SIZE], guint8 symbols[24])
{
  for (guint g = 0; g < 6; g++)
    {
      const guint8 *in = pack + 3 * g;
      guint32 bits = ((guint32) in[0] << 16) | ((guint32) in[1] << 8) | in[2];

      for (guint k = 0; k < 4; k++)
        symbols[4 * g + k] = (guint8) ((bits >> (18 - 6 * k)) & 0x3F);
    }
}
