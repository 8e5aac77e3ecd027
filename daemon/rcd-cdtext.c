/* rcd-cdtext.c: CD-TEXT between the disc model and aa{ss}. */
#include "rcd-cdtext.h"
#include "rc-error.h"

#include <string.h>

typedef struct {
  const char   *name;
  RcCdTextField field;
  gboolean      disc;     /* may be set on the disc */
  gboolean      track;    /* may be set on a track */
} FieldName;

/* 0x8E is the UPC/EAN on the disc and the ISRC on a track. */
static const FieldName field_names[] = {
  { "title",      RC_CDTEXT_FIELD_TITLE,      TRUE,  TRUE },
  { "performer",  RC_CDTEXT_FIELD_PERFORMER,  TRUE,  TRUE },
  { "songwriter", RC_CDTEXT_FIELD_SONGWRITER, TRUE,  TRUE },
  { "composer",   RC_CDTEXT_FIELD_COMPOSER,   TRUE,  TRUE },
  { "arranger",   RC_CDTEXT_FIELD_ARRANGER,   TRUE,  TRUE },
  { "message",    RC_CDTEXT_FIELD_MESSAGE,    TRUE,  TRUE },
  { "genre",      RC_CDTEXT_FIELD_GENRE,      TRUE,  FALSE },
  { "upc_ean",    RC_CDTEXT_FIELD_UPC_ISRC,   TRUE,  FALSE },
  { "isrc",       RC_CDTEXT_FIELD_UPC_ISRC,   FALSE, TRUE },
};

static gboolean
applies (const FieldName *f, guint track_index)
{
  return track_index == 0 ? f->disc : f->track;
}

static const FieldName *
lookup (const char *name, guint track_index)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (applies (&field_names[i], track_index) && strcmp (field_names[i].name, name) == 0)
      return &field_names[i];
  return NULL;
}

GVariant *
rcd_cdtext_get (RcDisc *disc, guint track_index)
{
  GVariantBuilder blocks;
  guint used = 0;

  /* Blocks up to the last one with text; empty ones before it stay, so
   * that the array index is the block number. */
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
      if (applies (&field_names[i], track_index)
          && rc_disc_get_cdtext (disc, b, track_index, field_names[i].field)[0] != '\0')
        used = b + 1;

  g_variant_builder_init (&blocks, G_VARIANT_TYPE ("aa{ss}"));
  for (guint b = 0; b < used; b++)
    {
      g_variant_builder_open (&blocks, G_VARIANT_TYPE ("a{ss}"));
      for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
        {
          const char *text;

          if (!applies (&field_names[i], track_index))
            continue;
          text = rc_disc_get_cdtext (disc, b, track_index, field_names[i].field);
          if (text[0] != '\0')
            g_variant_builder_add (&blocks, "{ss}", field_names[i].name, text);
        }
      g_variant_builder_close (&blocks);
    }
  return g_variant_builder_end (&blocks);
}

/* Every field of one disc/track in every block, as it stands. */
static GPtrArray *
snapshot (RcDisc *disc, guint track_index)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
      g_ptr_array_add (texts, applies (&field_names[i], track_index)
                       ? g_strdup (rc_disc_get_cdtext (disc, b, track_index, field_names[i].field))
                       : NULL);
  return texts;
}

static void
restore (RcDisc *disc, guint track_index, GPtrArray *texts)
{
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
      {
        const char *text = g_ptr_array_index (texts, b * G_N_ELEMENTS (field_names) + i);
        if (text != NULL)
          rc_disc_set_cdtext (disc, b, track_index, field_names[i].field, text, NULL);
      }
}

static gboolean
set_all (RcDisc *disc, guint track_index, GVariant *value, GError **error)
{
  guint n_blocks = (guint) g_variant_n_children (value);

  if (n_blocks > RC_CDTEXT_N_BLOCKS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CdText has %u blocks; CD-TEXT has at most %d languages",
                   n_blocks, RC_CDTEXT_N_BLOCKS);
      return FALSE;
    }
  /* Clear first, so that a field left out is no longer set. */
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
      if (applies (&field_names[i], track_index)
          && !rc_disc_set_cdtext (disc, b, track_index, field_names[i].field, "", error))
        return FALSE;

  for (guint b = 0; b < n_blocks; b++)
    {
      g_autoptr(GVariant) block = g_variant_get_child_value (value, b);
      GVariantIter iter;
      const char *key, *text;

      g_variant_iter_init (&iter, block);
      while (g_variant_iter_next (&iter, "{&s&s}", &key, &text))
        {
          const FieldName *f = lookup (key, track_index);

          if (f == NULL)
            {
              g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                           "CdText block %u: \"%s\" is not a CD-TEXT field of %s", b, key,
                           track_index == 0 ? "the disc" : "a track");
              return FALSE;
            }
          if (!rc_disc_set_cdtext (disc, b, track_index, f->field, text, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
rcd_cdtext_set (RcDisc *disc, guint track_index, GVariant *value, GError **error)
{
  g_autoptr(GPtrArray) before = NULL;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("aa{ss}")))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CdText must be of type aa{ss}, not %s", g_variant_get_type_string (value));
      return FALSE;
    }
  if (rc_disc_is_frozen (disc))
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_READ_ONLY,
                           "the image was already requested; CD-TEXT can no longer change");
      return FALSE;
    }

  before = snapshot (disc, track_index);
  if (set_all (disc, track_index, value, error))
    return TRUE;
  restore (disc, track_index, before);
  return FALSE;
}

/* Whether a block holds any text of the disc or of a track. */
static gboolean
block_has_text (RcDisc *disc, guint block)
{
  guint n_tracks = rc_disc_get_n_tracks (disc);

  for (guint t = 0; t <= n_tracks; t++)
    for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
      if (applies (&field_names[i], t)
          && rc_disc_get_cdtext (disc, block, t, field_names[i].field)[0] != '\0')
        return TRUE;
  return FALSE;
}

/* The default code of a block (rc_cdtext_new()): English for block 0. */
static guint8
default_language (guint block)
{
  return block == 0 ? 0x09 : 0x00;
}

GVariant *
rcd_cdtext_get_languages (RcDisc *disc)
{
  guint8 codes[RC_CDTEXT_N_BLOCKS];
  guint used = 1;

  /* Block 0 always; then up to the last block that has text or a code. */
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    {
      codes[b] = rc_disc_get_cdtext_language (disc, b);
      if (b > 0 && (codes[b] != default_language (b) || block_has_text (disc, b)))
        used = b + 1;
    }
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, codes, used, 1);
}

gboolean
rcd_cdtext_set_languages (RcDisc *disc, GVariant *value, GError **error)
{
  guint8 before[RC_CDTEXT_N_BLOCKS];
  const guint8 *codes;
  gsize n;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CdTextLanguages must be of type ay, not %s", g_variant_get_type_string (value));
      return FALSE;
    }
  codes = g_variant_get_fixed_array (value, &n, 1);
  if (n > RC_CDTEXT_N_BLOCKS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CdTextLanguages has %" G_GSIZE_FORMAT " codes; CD-TEXT has at most %d blocks",
                   n, RC_CDTEXT_N_BLOCKS);
      return FALSE;
    }

  /* Blocks not given return to their defaults; all or nothing. */
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    before[b] = rc_disc_get_cdtext_language (disc, b);
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    if (!rc_disc_set_cdtext_language (disc, b, b < n ? codes[b] : default_language (b), error))
      {
        for (guint r = 0; r < RC_CDTEXT_N_BLOCKS; r++)
          rc_disc_set_cdtext_language (disc, r, before[r], NULL);
        return FALSE;
      }
  return TRUE;
}
