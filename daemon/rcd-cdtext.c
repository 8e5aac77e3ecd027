/* rcd-cdtext.c: CD-TEXT between the disc model and its D-Bus values.
 *
 * Only conversion lives here: the field names, which fields a disc or a
 * track has, the default languages and the all-or-nothing replacement are
 * the engine's (rc-cdtext.h, rc-disc.h).
 */
#include "rcd-cdtext.h"
#include "rc-error.h"

GVariant *
rcd_cdtext_get (RcDisc *disc, guint track_index)
{
  GVariantBuilder blocks;
  guint used = 0;

  /* Blocks up to the last one with text; empty ones before it stay, so
   * that the array index is the block number. */
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint i = 0; i < RC_CDTEXT_N_FIELDS; i++)
      {
        RcCdTextField field = rc_cdtext_field_nth (i);

        if ((rc_cdtext_field_applies (field, track_index)
             && rc_disc_get_cdtext (disc, b, track_index, field)[0] != '\0')
            || (track_index == 0 && rc_disc_get_cdtext_genre_code (disc, b) != 0))
          used = b + 1;
      }

  g_variant_builder_init (&blocks, G_VARIANT_TYPE ("aa{ss}"));
  for (guint b = 0; b < used; b++)
    {
      g_variant_builder_open (&blocks, G_VARIANT_TYPE ("a{ss}"));
      for (guint i = 0; i < RC_CDTEXT_N_FIELDS; i++)
        {
          RcCdTextField field = rc_cdtext_field_nth (i);
          const char *text;

          if (!rc_cdtext_field_applies (field, track_index))
            continue;
          text = rc_disc_get_cdtext (disc, b, track_index, field);
          if (text[0] != '\0')
            g_variant_builder_add (&blocks, "{ss}", rc_cdtext_field_name (field, track_index), text);
        }
      /* the genre code is no text field: a number, shown when set */
      if (track_index == 0 && rc_disc_get_cdtext_genre_code (disc, b) != 0)
        {
          g_autofree char *code = g_strdup_printf ("%u", rc_disc_get_cdtext_genre_code (disc, b));

          g_variant_builder_add (&blocks, "{ss}", "genre_code", code);
        }
      g_variant_builder_close (&blocks);
    }
  return g_variant_builder_end (&blocks);
}

gboolean
rcd_cdtext_set (RcDisc *disc, guint track_index, GVariant *value, GError **error)
{
  g_autoptr(GPtrArray) blocks = NULL;
  GVariantIter iter;
  GVariant *block;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("aa{ss}")))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CdText must be of type aa{ss}, not %s", g_variant_get_type_string (value));
      return FALSE;
    }

  /* One name -> text table per block; a name given twice keeps its last
   * text, as setting the fields one by one would. */
  blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_variant_iter_init (&iter, value);
  while ((block = g_variant_iter_next_value (&iter)) != NULL)
    {
      GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      GVariantIter field_iter;
      char *key, *text;

      g_variant_iter_init (&field_iter, block);
      while (g_variant_iter_next (&field_iter, "{ss}", &key, &text))
        g_hash_table_replace (fields, key, text);
      g_ptr_array_add (blocks, fields);
      g_variant_unref (block);
    }
  return rc_disc_replace_cdtext (disc, track_index, blocks, error);
}

GVariant *
rcd_cdtext_get_languages (RcDisc *disc)
{
  guint8 codes[RC_CDTEXT_N_BLOCKS];
  guint used = rc_disc_get_cdtext_languages (disc, codes);

  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, codes, used, 1);
}

gboolean
rcd_cdtext_set_languages (RcDisc *disc, GVariant *value, GError **error)
{
  const guint8 *codes;
  gsize n;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CdTextLanguages must be of type ay, not %s", g_variant_get_type_string (value));
      return FALSE;
    }
  codes = g_variant_get_fixed_array (value, &n, 1);
  return rc_disc_replace_cdtext_languages (disc, codes, n, error);
}
