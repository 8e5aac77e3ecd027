/* rc-cdtext-charset.c: the character codes of CD-TEXT (cd-format.md §9):
 * which code a block's text needs, and the bytes of a text in it.  The
 * pack encoder and the side-file writers both decide here, so that a CUE
 * sheet or TOC file never disagrees with the lead-in about a block.
 */
#include "rc-cdtext-private.h"

#include "rc-error.h"

/* glibc's CP932 maps 0x5C and 0x7E to backslash and tilde as MS-JIS players
 * expect; its SHIFT_JIS maps them to yen sign and overline. */
#define MS_JIS_ICONV_NAME "CP932"

gboolean
rc_cdtext_is_ascii (const char *utf8)
{
  for (const guchar *p = (const guchar *) utf8; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

gboolean
rc_cdtext_append_latin1 (GByteArray *out, const char *utf8)
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

gboolean
rc_cdtext_append_ms_jis (GByteArray *out, const char *utf8)
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
  return rc_cdtext_append_latin1 (scratch, utf8);
}

static gboolean
fits_ms_jis (const char *utf8)
{
  g_autoptr(GByteArray) scratch = g_byte_array_new ();
  return rc_cdtext_append_ms_jis (scratch, utf8);
}

char *
rc_cdtext_to_latin1 (const char *utf8)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  static const guint8 nul = 0;

  g_return_val_if_fail (utf8 != NULL, NULL);

  if (!rc_cdtext_append_latin1 (bytes, utf8))
    return NULL;
  g_byte_array_append (bytes, &nul, 1);
  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

/* "the title of track 3 ("…")": the text itself, so that a user can tell
 * which of their files or tags gave it (rawcdctl adds where it came from). */
static char *
describe_quoting (guint block, guint track, int field, const char *text)
{
  g_autofree char *what = rc_cdtext_describe (block, track, field);

  return g_strdup_printf ("%s (\"%s\")", what, text);
}

gboolean
rc_cdtext_block_charset (const RcCdText      *cdtext,
                         guint                block,
                         guint                first_track,
                         guint                last_track,
                         const RcCdTextField *fields,
                         guint                n_fields,
                         RcCdTextCharset     *charset,
                         GError             **error)
{
  static const RcCdTextField text_fields[] = {
    RC_CDTEXT_FIELD_TITLE, RC_CDTEXT_FIELD_PERFORMER, RC_CDTEXT_FIELD_SONGWRITER,
    RC_CDTEXT_FIELD_COMPOSER, RC_CDTEXT_FIELD_ARRANGER, RC_CDTEXT_FIELD_MESSAGE,
  };
  gboolean all_ascii = TRUE;
  g_autofree char *not_latin1 = NULL;
  g_autofree char *not_ms_jis = NULL;

  g_return_val_if_fail (cdtext != NULL && charset != NULL, FALSE);
  g_return_val_if_fail (block < RC_CDTEXT_N_BLOCKS, FALSE);
  g_return_val_if_fail (first_track >= 1 && first_track <= last_track &&
                        last_track <= RC_CDTEXT_MAX_TRACK, FALSE);

  if (fields == NULL)
    {
      fields = text_fields;
      n_fields = G_N_ELEMENTS (text_fields);
    }
  /* the disc (track 0), then first_track .. last_track */
  for (guint i = 0; i <= last_track - first_track + 1; i++)
    for (guint f = 0; f < n_fields; f++)
      {
        guint track = i == 0 ? 0 : first_track + i - 1;
        int fi = rc_cdtext_field_index (fields[f]);
        const char *text;

        g_return_val_if_fail (fi >= 0 && rc_cdtext_field_is_text (fi), FALSE);
        text = cdtext->text[block][track][fi];
        if (text == NULL || rc_cdtext_is_ascii (text))
          continue;
        all_ascii = FALSE;
        if (not_latin1 == NULL && !fits_latin1 (text))
          not_latin1 = describe_quoting (block, track, fi, text);
        if (not_ms_jis == NULL && !fits_ms_jis (text))
          not_ms_jis = describe_quoting (block, track, fi, text);
      }

  if (all_ascii)
    *charset = RC_CDTEXT_CHARSET_ASCII;
  else if (not_latin1 == NULL)
    *charset = RC_CDTEXT_CHARSET_ISO_8859_1;
  else if (not_ms_jis == NULL)
    *charset = RC_CDTEXT_CHARSET_MS_JIS;
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
