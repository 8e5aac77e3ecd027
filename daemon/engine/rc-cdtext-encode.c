/* rc-cdtext-encode.c: CD-TEXT text to lead-in packs (cd-format.md §9).
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
#include "rc-cdtext-private.h"

#include "rc-crc.h"
#include "rc-error.h"

#include <string.h>

#define SIZE_INFO_PACKS 3
#define N_FIELDS        RC_CDTEXT_N_FIELDS
#define FIELD_GENRE     RC_CDTEXT_FI_GENRE
#define TEXT_BYTES      RC_CDTEXT_TEXT_BYTES

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
  /* a genre code alone makes a genre pack */
  if (r->cdtext->genre_code[block] != 0)
    return TRUE;
  for (guint i = 0; i < range_n (r); i++)
    for (int fi = 0; fi < N_FIELDS; fi++)
      if (text_at (r, block, range_track (r, i), fi) != NULL)
        return TRUE;
  return FALSE;
}

/* The bytes of one string of a type, terminator included. */
static void
encode_string (GByteArray *out, const char *text, int fi, RcCdTextCharset charset)
{
  static const guint8 nul[2] = { 0, 0 };
  gboolean dbcc = charset == RC_CDTEXT_CHARSET_MS_JIS && rc_cdtext_field_is_text (fi);

  g_byte_array_set_size (out, 0);
  if (text != NULL)
    {
      /* set() and rc_cdtext_block_charset() checked that this succeeds */
      if (dbcc)
        rc_cdtext_append_ms_jis (out, text);
      else
        rc_cdtext_append_latin1 (out, text);
    }
  g_byte_array_append (out, nul, dbcc ? 2 : 1);
}

static void
add_genre (PackWriter *w, guint genre_code, const char *text)
{
  /* the genre code, big-endian, then the ASCII text */
  const guint8 code[2] = { (guint8) (genre_code >> 8), (guint8) genre_code };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  if (text == NULL)
    text = "";
  g_byte_array_append (bytes, code, sizeof code);
  g_byte_array_append (bytes, (const guint8 *) text, (guint) strlen (text) + 1);
  writer_add (w, 0x87, 0, FALSE, bytes->data, bytes->len, sizeof code);
  writer_close (w);
}

static void
add_per_track_type (PackWriter *w, const Range *r, int fi, RcCdTextCharset charset)
{
  static const guint8 tab_sb[2] = { '\t', 0 };
  static const guint8 tab_db[4] = { '\t', '\t', 0, 0 };
  gboolean dbcc = charset == RC_CDTEXT_CHARSET_MS_JIS && rc_cdtext_field_is_text (fi);
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
        writer_add (w, (guint8) rc_cdtext_field_at (fi), track, dbcc,
                    dbcc ? tab_db : tab_sb, dbcc ? sizeof tab_db : sizeof tab_sb, 0);
      else
        writer_add (w, (guint8) rc_cdtext_field_at (fi), track, dbcc, cur->data, cur->len, 0);

      g_byte_array_set_size (prev, 0);
      g_byte_array_append (prev, cur->data, cur->len);
    }
  writer_close (w);
}

static gboolean
block_text_packs (const Range *r, PackWriter *w, RcCdTextCharset charset, GError **error)
{
  for (int fi = 0; fi < N_FIELDS; fi++)
    {
      gboolean any = FALSE;

      if (fi == FIELD_GENRE)
        {
          const char *genre = text_at (r, w->block, 0, fi);
          guint code = rc_cdtext_get_genre_code (r->cdtext, w->block);

          if (genre != NULL || code != 0)
            add_genre (w, code, genre);
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
            g_autofree char *what = rc_cdtext_describe (b, t, fi);
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
  RcCdTextCharset charsets[RC_CDTEXT_N_BLOCKS] = { 0 };
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
      ok = rc_cdtext_block_charset (cdtext, b, first_track, last_track, NULL, 0,
                                    &charsets[b], error) &&
           block_text_packs (&r, w, charsets[b], error);
      last_seq[b] = (guint8) (w->n_packs + SIZE_INFO_PACKS - 1);
    }

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS && ok; b++)
    {
      PackWriter *w = &writers[b];
      guint8 info[SIZE_INFO_PACKS * TEXT_BYTES] = { 0 };

      if (!present[b])
        continue;
      info[0] = (guint8) charsets[b];
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
