/* rc-cdtext.c: the CD-TEXT of a disc (cd-format.md §9): its text, checked
 * as it is set, its language codes and copyright flags, and the names of
 * its fields.  rc-cdtext-charset.c chooses the character codes and
 * rc-cdtext-encode.c makes the lead-in packs.
 */
#include "rc-cdtext.h"

#include "rc-cdtext-private.h"

#include "rc-codes.h"
#include "rc-error.h"

#include <stdlib.h>
#include <string.h>

#define N_FIELDS        RC_CDTEXT_N_FIELDS
#define FIELD_GENRE     RC_CDTEXT_FI_GENRE
#define FIELD_UPC_ISRC  RC_CDTEXT_FI_UPC_ISRC
#define TEXT_BYTES      RC_CDTEXT_TEXT_BYTES

static const guint8 field_types[N_FIELDS] = {
  0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x87, 0x8E,
};

int
rc_cdtext_field_index (RcCdTextField field)
{
  for (int i = 0; i < N_FIELDS; i++)
    if (field_types[i] == (guint) field)
      return i;
  return -1;
}

RcCdTextField
rc_cdtext_field_at (int fi)
{
  g_return_val_if_fail (fi >= 0 && fi < N_FIELDS, RC_CDTEXT_FIELD_TITLE);
  return (RcCdTextField) field_types[fi];
}

gboolean
rc_cdtext_field_is_text (int fi)
{
  return fi >= 0 && fi < FIELD_GENRE;
}

/* ---- field names ---------------------------------------------------------
 * The one table of names for the API (D-Bus CdText keys, the inspector's
 * report, rawcdctl's key file): the pack types in order; 0x8E is "upc_ean"
 * for the disc and "isrc" for a track; the genre is the disc's only. */

static const char *const field_names[N_FIELDS] = {
  "title", "performer", "songwriter", "composer", "arranger", "message", "genre", NULL,
};

const char *
rc_cdtext_field_name (RcCdTextField field, guint track)
{
  int fi = rc_cdtext_field_index (field);

  g_return_val_if_fail (fi >= 0, NULL);
  if (fi == FIELD_UPC_ISRC)
    return track == 0 ? "upc_ean" : "isrc";
  return field_names[fi];
}

gboolean
rc_cdtext_field_applies (RcCdTextField field, guint track)
{
  int fi = rc_cdtext_field_index (field);

  return fi >= 0 && (track == 0 || fi != FIELD_GENRE);
}

RcCdTextField
rc_cdtext_field_nth (guint i)
{
  return rc_cdtext_field_at ((int) i);
}

gboolean
rc_cdtext_field_from_name (const char *name, guint track, RcCdTextField *field, GError **error)
{
  g_autoptr(GString) known = g_string_new (NULL);

  g_return_val_if_fail (name != NULL && field != NULL, FALSE);

  for (int fi = 0; fi < N_FIELDS; fi++)
    {
      RcCdTextField f = rc_cdtext_field_at (fi);

      if (!rc_cdtext_field_applies (f, track))
        continue;
      if (strcmp (rc_cdtext_field_name (f, track), name) == 0)
        {
          *field = f;
          return TRUE;
        }
      g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", rc_cdtext_field_name (f, track));
    }
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "\"%s\" is not a CD-TEXT field of %s (known: %s)",
               name, track == 0 ? "the disc" : "a track", known->str);
  return FALSE;
}

char *
rc_cdtext_describe (guint block, guint track, int fi)
{
  const char *name = field_names[fi];
  g_autofree char *where = NULL;

  if (fi == FIELD_UPC_ISRC)
    name = track == 0 ? "UPC/EAN" : "ISRC";
  where = track == 0 ? g_strdup ("the disc") : g_strdup_printf ("track %u", track);
  if (block == 0)
    return g_strdup_printf ("%s of %s", name, where);
  return g_strdup_printf ("%s of %s in block %u", name, where, block);
}

guint8
rc_cdtext_default_language (guint block)
{
  /* libburn's defaults: English for the first block, "Unknown" after */
  return block == 0 ? 0x09 : 0x00;
}

RcCdText *
rc_cdtext_new (void)
{
  RcCdText *cdtext = g_new0 (RcCdText, 1);

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    cdtext->language[b] = rc_cdtext_default_language (b);
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
  g_autofree char *what = rc_cdtext_describe (block, track, fi);
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
      if (!rc_cdtext_is_ascii (nfc))
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

  if (!rc_cdtext_append_latin1 (bytes, nfc))
    {
      terminator = 2;
      if (!rc_cdtext_append_ms_jis (bytes, nfc))
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
  int fi = rc_cdtext_field_index (field);
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
  int fi = rc_cdtext_field_index (field);
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
rc_cdtext_set_genre_code (RcCdText *cdtext, guint block, guint code, GError **error)
{
  g_return_val_if_fail (cdtext != NULL, FALSE);

  if (!check_block (block, error))
    return FALSE;
  if (code > G_MAXUINT16)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT genre code %u of block %u is out of range 0 to 65535", code, block);
      return FALSE;
    }
  cdtext->genre_code[block] = (guint16) code;
  return TRUE;
}

guint
rc_cdtext_get_genre_code (const RcCdText *cdtext, guint block)
{
  g_return_val_if_fail (cdtext != NULL, 0);
  g_return_val_if_fail (block < RC_CDTEXT_N_BLOCKS, 0);
  return cdtext->genre_code[block];
}

gboolean
rc_cdtext_is_empty (const RcCdText *cdtext)
{
  g_return_val_if_fail (cdtext != NULL, TRUE);

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    if (cdtext->genre_code[b] != 0)
      return FALSE;
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint t = 0; t <= RC_CDTEXT_MAX_TRACK; t++)
      for (guint f = 0; f < N_FIELDS; f++)
        if (cdtext->text[b][t][f] != NULL)
          return FALSE;
  return TRUE;
}


gboolean
rc_cdtext_block_has_text (const RcCdText *cdtext, guint block)
{
  g_return_val_if_fail (cdtext != NULL, FALSE);
  g_return_val_if_fail (block < RC_CDTEXT_N_BLOCKS, FALSE);

  if (cdtext->genre_code[block] != 0)
    return TRUE;
  for (guint t = 0; t <= RC_CDTEXT_MAX_TRACK; t++)
    for (guint f = 0; f < N_FIELDS; f++)
      if (cdtext->text[block][t][f] != NULL)
        return TRUE;
  return FALSE;
}

/* ---- replacing a whole entry -------------------------------------------- */

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* "genre_code" of a CdText table: the code in decimal, "" for none. */
static gboolean
set_genre_code_text (RcCdText *cdtext, guint block, const char *text, GError **error)
{
  guint64 code = 0;

  if (text != NULL && text[0] != '\0'
      && !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT16, &code, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (text, MIN (strlen (text), 40));

      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT block %u: genre_code \"%s\" is not a number from 0 to 65535",
                   block, shown);
      return FALSE;
    }
  return rc_cdtext_set_genre_code (cdtext, block, (guint) code, error);
}

/* Sets the fields of one block from a table of names; stops at the first
 * that fails (names in sorted order, so that the same input always names
 * the same culprit). */
static gboolean
set_block_from_names (RcCdText *cdtext, guint block, guint track, GHashTable *fields, GError **error)
{
  guint n = 0;
  g_autofree gpointer *names = g_hash_table_get_keys_as_array (fields, &n);

  qsort (names, n, sizeof *names, compare_names);
  for (guint i = 0; i < n; i++)
    {
      RcCdTextField field;

      if (track == 0 && strcmp (names[i], "genre_code") == 0)
        {
          if (!set_genre_code_text (cdtext, block, g_hash_table_lookup (fields, names[i]), error))
            return FALSE;
          continue;
        }
      if (!rc_cdtext_field_from_name (names[i], track, &field, error))
        {
          g_prefix_error (error, "CD-TEXT block %u: ", block);
          return FALSE;
        }
      if (!rc_cdtext_set (cdtext, block, track, field, g_hash_table_lookup (fields, names[i]), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
rc_cdtext_replace (RcCdText *cdtext, guint track, GPtrArray *blocks, GError **error)
{
  char *before[RC_CDTEXT_N_BLOCKS][N_FIELDS];
  guint16 codes_before[RC_CDTEXT_N_BLOCKS];
  gboolean ok = TRUE;

  g_return_val_if_fail (cdtext != NULL && blocks != NULL, FALSE);

  if (track > RC_CDTEXT_MAX_TRACK)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT track %u is out of range 0 (the disc) to %u",
                   track, RC_CDTEXT_MAX_TRACK);
      return FALSE;
    }
  if (blocks->len > RC_CDTEXT_N_BLOCKS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CD-TEXT has %u blocks; there are at most %d (one per language)",
                   blocks->len, RC_CDTEXT_N_BLOCKS);
      return FALSE;
    }

  /* Take the entry's text out, so that a field left out is cleared; it
   * goes back untouched if any new field is refused. */
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    {
      memcpy (before[b], cdtext->text[b][track], sizeof before[b]);
      memset (cdtext->text[b][track], 0, sizeof cdtext->text[b][track]);
    }
  /* the disc's genre codes are part of its entry */
  memcpy (codes_before, cdtext->genre_code, sizeof codes_before);
  if (track == 0)
    memset (cdtext->genre_code, 0, sizeof cdtext->genre_code);
  for (guint b = 0; b < blocks->len && ok; b++)
    ok = set_block_from_names (cdtext, b, track, g_ptr_array_index (blocks, b), error);

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint f = 0; f < N_FIELDS; f++)
      {
        char **slot = &cdtext->text[b][track][f];

        if (ok)
          g_free (before[b][f]);
        else
          {
            g_free (*slot);
            *slot = before[b][f];
          }
      }
  if (!ok)
    memcpy (cdtext->genre_code, codes_before, sizeof codes_before);
  return ok;
}

gboolean
rc_cdtext_replace_languages (RcCdText *cdtext, const guint8 *codes, gsize n_codes, GError **error)
{
  g_return_val_if_fail (cdtext != NULL && (codes != NULL || n_codes == 0), FALSE);

  if (n_codes > RC_CDTEXT_N_BLOCKS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " CD-TEXT language codes; there are at most %d blocks",
                   n_codes, RC_CDTEXT_N_BLOCKS);
      return FALSE;
    }
  /* every code is checked before any is set: all or nothing */
  for (guint b = 0; b < n_codes; b++)
    if (codes[b] > 0x7F)
      {
        g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                     "CD-TEXT language code 0x%02X of block %u is out of range 0x00 to 0x7F",
                     codes[b], b);
        return FALSE;
      }
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    cdtext->language[b] = b < n_codes ? codes[b] : rc_cdtext_default_language (b);
  return TRUE;
}

guint
rc_cdtext_languages_in_use (const RcCdText *cdtext, guint8 codes[RC_CDTEXT_N_BLOCKS])
{
  guint used = 1;

  g_return_val_if_fail (cdtext != NULL, 0);

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    {
      codes[b] = cdtext->language[b];
      if (b > 0 && (codes[b] != rc_cdtext_default_language (b) || rc_cdtext_block_has_text (cdtext, b)))
        used = b + 1;
    }
  return used;
}
