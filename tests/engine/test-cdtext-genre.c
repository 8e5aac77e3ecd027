/* CD-TEXT genre codes: rawcd's list against libburn's (the same names as
 * libcdio's cd-info prints), names to codes, the code in the genre pack
 * read back by libburn's own decoder (its v07t sheet), and the CdText
 * key "genre_code" with its refusals.
 */
#include <stdlib.h>
#include <string.h>

#include <libburn/libburn.h>

#include "rc-cdtext.h"
#include "rc-cdtext-genre.h"
#include "rc-error.h"

static const char *const libburn_genres[] = { BURN_CDTEXT_GENRE_LIST };

static void
test_list_is_libburns (void)
{
  g_assert_cmpint (G_N_ELEMENTS (libburn_genres), ==, BURN_CDTEXT_NUM_GENRES);
  g_assert_cmpint (RC_CDTEXT_GENRE_LAST_LISTED + 1, ==, BURN_CDTEXT_NUM_GENRES);
  for (guint code = 0; code < BURN_CDTEXT_NUM_GENRES; code++)
    g_assert_cmpstr (rc_cdtext_genre_name (code), ==, libburn_genres[code]);
  g_assert_null (rc_cdtext_genre_name (BURN_CDTEXT_NUM_GENRES));
  g_assert_null (rc_cdtext_genre_name (0x8000));
}

static void
test_names (void)
{
  static const struct {
    const char *name;
    guint       code;
  } good[] = {
    { "Rock Music", 23 }, { "rock music", 23 }, { "ROCK", 23 }, { "Hip Hop", 13 },
    { "hip-hop", 13 }, { "HipHop", 13 }, { "Children's Music", 4 }, { "Childrens Music", 4 },
    { "R&B", 24 }, { "Rhythm and Blues", 24 }, { "Rhythm & Blues", 24 }, { "pop", 20 },
    { "World", 27 }, { "World Music", 27 }, { "Adult Contemporary", 2 }, { "Spoken Word", 26 },
    { " Jazz ", 14 }, { "new_age", 17 },
  };
  static const char *const bad[] = {
    "Chanson", "", "Not Used", "Not Defined", "Rock & Roll", "Jazz Fusion", "Classic Rock",
  };

  /* every listed name, as the list spells it */
  for (guint code = 2; code <= RC_CDTEXT_GENRE_LAST_LISTED; code++)
    {
      guint found = 0;

      g_assert_true (rc_cdtext_genre_from_name (libburn_genres[code], &found));
      g_assert_cmpuint (found, ==, code);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      guint found = 0;

      g_test_message ("%s", good[i].name);
      g_assert_true (rc_cdtext_genre_from_name (good[i].name, &found));
      g_assert_cmpuint (found, ==, good[i].code);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint found = 999;

      g_test_message ("%s", bad[i]);
      g_assert_false (rc_cdtext_genre_from_name (bad[i], &found));
      g_assert_cmpuint (found, ==, 999);
    }
}

/* libburn's decoder on our packs */
static char *
v07t_of (GBytes *packs)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (packs, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len);
  char *result = NULL;
  char *dup;
  int char_code = -1;

  g_assert_cmpint (burn_make_input_sheet_v07t (copy, (int) (len / RC_CDTEXT_PACK_SIZE), 0, 0,
                                               &result, &char_code, 0), >, 0);
  g_test_message ("v07t:\n%s", result);
  dup = g_strdup (result);
  free (result);
  return dup;
}

static const guint8 *
genre_pack (GBytes *packs)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (packs, &len);

  for (gsize at = 0; at + RC_CDTEXT_PACK_SIZE <= len; at += RC_CDTEXT_PACK_SIZE)
    if (data[at] == 0x87)
      return data + at;
  return NULL;
}

static void
test_code_in_pack (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) packs = NULL;
  g_autofree char *sheet = NULL;
  const guint8 *pack;

  g_assert_true (rc_cdtext_set (cdtext, 0, 0, RC_CDTEXT_FIELD_TITLE, "Album", &error));
  g_assert_true (rc_cdtext_set (cdtext, 0, 1, RC_CDTEXT_FIELD_TITLE, "One", &error));
  g_assert_true (rc_cdtext_set (cdtext, 0, 0, RC_CDTEXT_FIELD_GENRE, "Rock", &error));
  g_assert_true (rc_cdtext_set_genre_code (cdtext, 0, 23, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_cdtext_get_genre_code (cdtext, 0), ==, 23);
  packs = rc_cdtext_encode (cdtext, 1, 1, &error);
  g_assert_no_error (error);
  pack = genre_pack (packs);
  g_assert_nonnull (pack);
  /* track 0, code 00 17 big-endian, then "Rock" and its NUL */
  g_assert_cmpuint (pack[1], ==, 0);
  g_assert_cmpuint (pack[4], ==, 0x00);
  g_assert_cmpuint (pack[5], ==, 0x17);
  g_assert_cmpmem (pack + 6, 5, "Rock", 5);
  sheet = v07t_of (packs);
  g_assert_nonnull (strstr (sheet, "Genre Code          = Rock Music"));
  g_assert_nonnull (strstr (sheet, "Genre Information   = Rock"));
}

/* A code without text still makes a pack: the code, then a lone NUL; a
 * code of the reserved range goes in as given. */
static void
test_code_without_text (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) packs = NULL;
  const guint8 *pack;

  g_assert_true (rc_cdtext_is_empty (cdtext));
  g_assert_true (rc_cdtext_set_genre_code (cdtext, 0, 0x8123, &error));
  g_assert_false (rc_cdtext_is_empty (cdtext));
  g_assert_true (rc_cdtext_block_has_text (cdtext, 0));
  g_assert_false (rc_cdtext_block_has_text (cdtext, 1));
  packs = rc_cdtext_encode (cdtext, 1, 1, &error);
  g_assert_no_error (error);
  pack = genre_pack (packs);
  g_assert_nonnull (pack);
  g_assert_cmpuint (pack[4], ==, 0x81);
  g_assert_cmpuint (pack[5], ==, 0x23);
  g_assert_cmpuint (pack[6], ==, 0);

  g_assert_false (rc_cdtext_set_genre_code (cdtext, 0, 65536, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "65536"));
  g_clear_error (&error);
  g_assert_false (rc_cdtext_set_genre_code (cdtext, 8, 1, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (rc_cdtext_get_genre_code (cdtext, 0), ==, 0x8123);
}

static GHashTable *
table (const char *first_key, ...)
{
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (t, g_strdup (key), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return t;
}

/* "genre_code" of a CdText table: all or nothing with the text, cleared
 * with the rest of the disc's entry, refused for a track. */
static void
test_replace_key (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;
  static const char *const refused[] = { "abc", "65536", "-1", "12x", "0x17" };

  {
    g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

    g_ptr_array_add (blocks, table ("genre", "Jazz", "genre_code", "14", NULL));
    g_ptr_array_add (blocks, table ("genre_code", "2", NULL));
    g_assert_true (rc_cdtext_replace (cdtext, 0, blocks, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (rc_cdtext_get_genre_code (cdtext, 0), ==, 14);
  g_assert_cmpuint (rc_cdtext_get_genre_code (cdtext, 1), ==, 2);
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 0, RC_CDTEXT_FIELD_GENRE), ==, "Jazz");

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

      g_ptr_array_add (blocks, table ("genre", "Pop", "genre_code", refused[i], NULL));
      g_assert_false (rc_cdtext_replace (cdtext, 0, blocks, &error));
      g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "genre_code"));
      g_clear_error (&error);
      /* nothing changed */
      g_assert_cmpuint (rc_cdtext_get_genre_code (cdtext, 0), ==, 14);
      g_assert_cmpuint (rc_cdtext_get_genre_code (cdtext, 1), ==, 2);
      g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 0, RC_CDTEXT_FIELD_GENRE), ==, "Jazz");
    }
  {
    g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

    g_ptr_array_add (blocks, table ("genre_code", "5", NULL));
    g_assert_false (rc_cdtext_replace (cdtext, 1, blocks, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
  {
    g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

    g_ptr_array_add (blocks, table ("title", "Only a title", NULL));
    g_assert_true (rc_cdtext_replace (cdtext, 0, blocks, &error));
  }
  g_assert_cmpuint (rc_cdtext_get_genre_code (cdtext, 0), ==, 0);
  g_assert_cmpuint (rc_cdtext_get_genre_code (cdtext, 1), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cdtext-genre/list-is-libburns", test_list_is_libburns);
  g_test_add_func ("/cdtext-genre/names", test_names);
  g_test_add_func ("/cdtext-genre/code-in-pack", test_code_in_pack);
  g_test_add_func ("/cdtext-genre/code-without-text", test_code_without_text);
  g_test_add_func ("/cdtext-genre/replace-key", test_replace_key);
  return g_test_run ();
}
