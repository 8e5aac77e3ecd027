/* test-cdtext.c: CD-TEXT through the bus: CdText and CdTextLanguages on
 * the creator and its tracks, the engine's normalisations coming back, the
 * refusals (all or nothing), and a disc whose block mixes scripts.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <string.h>
#include <unistd.h>

/* block: the index in aa{ss}; the dictionary must hold exactly the
 * NULL-terminated key/value pairs. */
static void
assert_block (GVariant *cdtext, guint block, ...)
{
  g_autoptr(GVariant) dict = NULL;
  va_list args;
  const char *key;
  guint n = 0;

  g_assert_cmpuint (g_variant_n_children (cdtext), >, block);
  dict = g_variant_get_child_value (cdtext, block);
  va_start (args, block);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *expected = va_arg (args, const char *);
      const char *value = NULL;

      if (!g_variant_lookup (dict, key, "&s", &value))
        g_error ("CD-TEXT block %u has no \"%s\"", block, key);
      g_assert_cmpstr (value, ==, expected);
      n++;
    }
  va_end (args);
  g_assert_cmpuint (g_variant_n_children (dict), ==, n);
}

static void
assert_languages (GDBusConnection *c, const char *creator, const guint8 *codes, gsize n)
{
  g_autoptr(GVariant) value = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages", "ay");
  gsize len = 0;
  const guint8 *got = g_variant_get_fixed_array (value, &len, 1);

  g_assert_cmpmem (got, len, codes, n);
}

/* Disc and track text round trip, with the engine's normalisations. */
static void
test_cdtext_roundtrip (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *track = NULL;
  g_autoptr(GVariant) empty = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
  const char *const disc0[] = {
    "title", "Album", "performer", "Artist", "genre", "Ambient", "upc_ean", "12345678905", NULL,
  };
  const char *const disc1[] = { "title", "Titel", NULL };
  const char *const track0[] = {
    "title", "Cafe\xcc\x81", "isrc", "US-ABC-06-12345", "composer", "Someone", NULL,
  };
  static const guint8 english[] = { 0x09 };
  static const guint8 english_unknown[] = { 0x09, 0x00 };
  static const guint8 english_german[] = { 0x09, 0x08 };

  g_assert_cmpuint (g_variant_n_children (empty), ==, 0);
  assert_languages (c, creator, english, sizeof english);

  td_add_track_ok (c, creator, "a.wav", &track);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", td_cdtext_value (disc0, disc1));
  td_set_ok (c, track, RAWCD_IFACE_TRACK, "CdText", td_cdtext_value (track0, NULL));

  {
    g_autoptr(GVariant) disc = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
    g_autoptr(GVariant) t = td_get_value (c, track, RAWCD_IFACE_TRACK, "CdText", "aa{ss}");

    g_assert_cmpuint (g_variant_n_children (disc), ==, 2);
    /* the UPC/EAN comes back as 13 digits */
    assert_block (disc, 0, "title", "Album", "performer", "Artist", "genre", "Ambient",
                  "upc_ean", "0012345678905", NULL);
    assert_block (disc, 1, "title", "Titel", NULL);
    /* NFC, and the ISRC as its 12 characters */
    g_assert_cmpuint (g_variant_n_children (t), ==, 1);
    assert_block (t, 0, "title", "Caf\xc3\xa9", "isrc", TD_ISRC, "composer", "Someone", NULL);
  }

  /* Block 1 has text: the languages show it, with its default code */
  assert_languages (c, creator, english_unknown, sizeof english_unknown);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages",
             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, english_german, 2, 1));
  assert_languages (c, creator, english_german, sizeof english_german);

  /* A Set replaces: one block without the performer */
  {
    const char *const only[] = { "title", "Album 2", NULL };
    g_autoptr(GVariant) disc = NULL;

    td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", td_cdtext_value (only, NULL));
    disc = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
    g_assert_cmpuint (g_variant_n_children (disc), ==, 1);
    assert_block (disc, 0, "title", "Album 2", NULL);
  }
  /* A genre code comes back in decimal, in its block, also without text;
   * left out it is 0 and not shown */
  {
    const char *const coded[] = { "genre", "Jazz", "genre_code", "14", NULL };
    const char *const code_only[] = { "genre_code", "0027", NULL };
    const char *const title_only[] = { "title", "Album 2", NULL };
    g_autoptr(GVariant) disc = NULL;

    td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", td_cdtext_value (coded, code_only));
    disc = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
    g_assert_cmpuint (g_variant_n_children (disc), ==, 2);
    assert_block (disc, 0, "genre", "Jazz", "genre_code", "14", NULL);
    assert_block (disc, 1, "genre_code", "27", NULL);
    td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", td_cdtext_value (title_only, NULL));
    g_clear_pointer (&disc, g_variant_unref);
    disc = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
    g_assert_cmpuint (g_variant_n_children (disc), ==, 1);
    assert_block (disc, 0, "title", "Album 2", NULL);
  }
  /* The code stays; the track's text is untouched */
  assert_languages (c, creator, english_german, sizeof english_german);
  {
    g_autoptr(GVariant) t = td_get_value (c, track, RAWCD_IFACE_TRACK, "CdText", "aa{ss}");
    assert_block (t, 0, "title", "Caf\xc3\xa9", "isrc", TD_ISRC, "composer", "Someone", NULL);
  }
  /* Fewer codes: the others return to their defaults */
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages",
             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, english, 1, 1));
  assert_languages (c, creator, english, sizeof english);
}

/* Values a Set of CdText or CdTextLanguages must refuse, in GVariant
 * text, with the error and a word its message must hold (NULL: any). */
typedef struct {
  gboolean    on_track;   /* the track's property, not the disc's */
  const char *property;
  const char *value;
  const char *name;
  const char *in_message;
} CdTextRefusal;

static const CdTextRefusal cdtext_refusals[] = {
  /* an unknown field, named */
  { FALSE, "CdText", "[{'title': 'Lost', 'colour': 'blue'}]", "InvalidArgument", "colour" },
  /* ... in the second block: the block is named */
  { FALSE, "CdText", "[{'title': 'Kept'}, {'title': 'Lost', 'colour': 'blue'}]",
    "InvalidArgument", "block 1" },
  /* fields of the other level: an ISRC for the disc, a genre for a track */
  { FALSE, "CdText", "[{'isrc': '" TD_ISRC "'}]", "InvalidArgument", "isrc" },
  { TRUE, "CdText", "[{'genre': 'Jazz'}]", "InvalidArgument", "genre" },
  { TRUE, "CdText", "[{'genre_code': '14'}]", "InvalidArgument", "genre_code" },
  /* a genre code that is no number from 0 to 65535, named */
  { FALSE, "CdText", "[{'genre': 'Jazz', 'genre_code': 'Jazz'}]", "InvalidArgument", "genre_code" },
  { FALSE, "CdText", "[{'genre_code': '65536'}]", "InvalidArgument", "65536" },
  /* a control character */
  { FALSE, "CdText", "[{'title': 'a\\tb'}]", "InvalidArgument", "title" },
  /* a UPC/EAN with a wrong check digit */
  { FALSE, "CdText", "[{'upc_ean': '0012345678900'}]", "InvalidArgument", NULL },
  /* nine blocks (at most eight) */
  { FALSE, "CdText",
    "[{'title': 'x'}, {'title': 'x'}, {'title': 'x'}, {'title': 'x'}, {'title': 'x'},"
    " {'title': 'x'}, {'title': 'x'}, {'title': 'x'}, {'title': 'x'}]",
    "InvalidArgument", NULL },
  /* a language code above 0x7f, named */
  { FALSE, "CdTextLanguages", "@ay [0x09, 0x80]", "InvalidArgument", "0x80" },
  /* nine codes */
  { FALSE, "CdTextLanguages", "@ay [9, 9, 9, 9, 9, 9, 9, 9, 9]", "InvalidArgument", NULL },
};

static void
test_cdtext_errors (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *track = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  const char *const good[] = { "title", "Kept", NULL };
  static const guint8 english[] = { 0x09 };

  td_add_track_ok (c, creator, "a.wav", &track);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", td_cdtext_value (good, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (cdtext_refusals); i++)
    {
      const CdTextRefusal *r = &cdtext_refusals[i];

      g_test_message ("%s %s = %s", r->on_track ? "track" : "disc", r->property, r->value);
      td_set_fails (c, r->on_track ? track : creator,
                    r->on_track ? RAWCD_IFACE_TRACK : RAWCD_IFACE_CREATOR,
                    r->property, g_variant_new_parsed (r->value), r->name, r->in_message);
    }

  /* All or nothing: the text and the codes are as before */
  {
    g_autoptr(GVariant) disc = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
    g_autoptr(GVariant) t = td_get_value (c, track, RAWCD_IFACE_TRACK, "CdText", "aa{ss}");

    g_assert_cmpuint (g_variant_n_children (disc), ==, 1);
    assert_block (disc, 0, "title", "Kept", NULL);
    g_assert_cmpuint (g_variant_n_children (t), ==, 0);
    assert_languages (c, creator, english, sizeof english);
  }

  /* Read-only once the image was requested */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *job = NULL;
    int out = td_memfd ("out");

    job = td_create_image (c, creator, NULL, out, -1, &error);
    g_assert_no_error (error);
    td_set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdText", td_cdtext_value (good, NULL), "ReadOnly", NULL);
    td_set_fails (c, track, RAWCD_IFACE_TRACK, "CdText", td_cdtext_value (good, NULL), "ReadOnly", NULL);
    td_set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages",
                  g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, english, 1, 1), "ReadOnly", NULL);
    g_assert_true (td_job_watch_wait (watch, job, 300, NULL, NULL));
    close (out);
  }
}

/* A refused track CD-TEXT names the track one way, by its number: with
 * StartingTrackNumber 3 the second track is "track 4" in the service's
 * prefix as in the engine's message, never "track 2" (its position). */
static void
test_cdtext_track_number (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *second = NULL;
  const char *const bad[] = { "title", "Bad\001", NULL };

  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber", g_variant_new_int32 (3));
  td_add_track_ok (c, creator, "a.wav", NULL);
  td_add_track_ok (c, creator, "a.wav", &second);
  g_assert_false (td_set (c, second, RAWCD_IFACE_TRACK, "CdText",
                          td_cdtext_value (bad, NULL), &error));
  td_assert_error (error, "InvalidArgument");
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "cannot set CdText of track 4: "));
  g_assert_nonnull (strstr (error->message, "title of track 4 "));
  g_assert_null (strstr (error->message, "track 2"));
}

/* Each string fits a character code, but a block has one: Latin-1 "Café"
 * and MS-JIS "日本" cannot share block 0.  Refused when the image is
 * requested, naming the block and the fields; the layout stays open. */
static void
test_cdtext_mixed_scripts (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *track = NULL;
  const char *const latin[] = { "title", "Caf\xc3\xa9", NULL };
  const char *const japanese[] = { "title", "\xe6\x97\xa5\xe6\x9c\xac", NULL };
  const char *const romaji[] = { "title", "Nihon", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) files = NULL;
  int out = td_memfd ("out");

  td_add_track_ok (c, creator, "a.wav", &track);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", td_cdtext_value (latin, NULL));
  td_set_ok (c, track, RAWCD_IFACE_TRACK, "CdText", td_cdtext_value (japanese, NULL));

  td_create_image_fails (c, creator, NULL, out, -1, "InvalidArgument", "block 0");
  td_create_image_fails (c, creator, NULL, out, -1, "InvalidArgument", "title of track 1");
  td_create_image_fails (c, creator, NULL, out, -1, "InvalidArgument", "title of the disc");
  files = td_call (c, creator, RAWCD_IFACE_CREATOR, "GetSideFiles",
                   g_variant_new ("(ss@a{sv})", "cue", "x.bin", td_no_options ()),
                   G_VARIANT_TYPE ("(a{say})"), &error);
  g_assert_null (files);
  td_assert_error (error, "InvalidArgument");
  g_assert_cmpint (td_fd_size (out), ==, 0);

  /* Not frozen: the text can be fixed and the image made */
  td_set_ok (c, track, RAWCD_IFACE_TRACK, "CdText", td_cdtext_value (romaji, NULL));
  g_assert_cmpuint (td_write_image (c, creator, NULL, out, -1), ==, 22650 + 750 + 6750);
  g_assert_cmpint (td_fd_size (out), ==, (gint64) (22650 + 750 + 6750) * TD_FULL_SECTOR);
  close (out);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/outputs/cdtext/roundtrip", test_cdtext_roundtrip);
  td_add ("/daemon/outputs/cdtext/errors", test_cdtext_errors);
  td_add ("/daemon/outputs/cdtext/track-number", test_cdtext_track_number);
  td_add ("/daemon/outputs/cdtext/mixed-scripts", test_cdtext_mixed_scripts);
  return td_run ();
}
