/* test-cdtext.c: the CD-TEXT encoder against libburn.
 *
 * Each case sets the same text through our API (UTF-8) and through libburn's
 * session API (bytes in the block's character code, converted here with
 * iconv), then compares every byte of the packs with those of
 * burn_cdtext_from_session().  Where rc-cdtext.c deliberately differs from
 * libburn, the case shows the difference and has libburn's decoder,
 * burn_make_input_sheet_v07t(), read our packs back to the same text.
 */
#include "rc-cdtext.h"
#include "rc-crc.h"
#include "rc-error.h"

#include <libburn/libburn.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

/* One field of the text of a case. */
typedef struct {
  guint          block;
  guint          track;  /* 0 = disc */
  RcCdTextField  field;
  const char    *utf8;
} Entry;

typedef struct {
  const Entry *entries;
  gsize        n_entries;
  guint        first_track;
  guint        last_track;
  /* the character code each block must get (only blocks with text) */
  guint8       charset[RC_CDTEXT_N_BLOCKS];
  guint8       language[RC_CDTEXT_N_BLOCKS];
  gboolean     copyright[RC_CDTEXT_N_BLOCKS];
} Case;

static const RcCdTextField all_fields[] = {
  RC_CDTEXT_FIELD_TITLE, RC_CDTEXT_FIELD_PERFORMER, RC_CDTEXT_FIELD_SONGWRITER,
  RC_CDTEXT_FIELD_COMPOSER, RC_CDTEXT_FIELD_ARRANGER, RC_CDTEXT_FIELD_MESSAGE,
  RC_CDTEXT_FIELD_GENRE, RC_CDTEXT_FIELD_UPC_ISRC,
};

static gboolean
is_text_field (RcCdTextField field)
{
  return field <= RC_CDTEXT_FIELD_MESSAGE;
}

/* ---- helpers ------------------------------------------------------------ */

static char *
hex_pack (const guint8 *pack)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < RC_CDTEXT_PACK_SIZE; i++)
    g_string_append_printf (s, "%02x ", pack[i]);
  return g_string_free (s, FALSE);
}

static void
dump_packs (const char *label, const guint8 *packs, gsize n)
{
  g_test_message ("%s: %" G_GSIZE_FORMAT " packs", label, n);
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *hex = hex_pack (packs + i * RC_CDTEXT_PACK_SIZE);
      g_test_message ("  %3" G_GSIZE_FORMAT ": %s", i, hex);
    }
}

static void
assert_packs_equal (GBytes *ours, const guint8 *theirs, gsize n_theirs)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (ours, &len);

  if (len != n_theirs * RC_CDTEXT_PACK_SIZE ||
      memcmp (data, theirs, len) != 0)
    {
      dump_packs ("rc_cdtext_encode", data, len / RC_CDTEXT_PACK_SIZE);
      dump_packs ("burn_cdtext_from_session", theirs, n_theirs);
    }
  g_assert_cmpmem (data, len, theirs, n_theirs * RC_CDTEXT_PACK_SIZE);
}

/* Every pack carries a valid inverted CRC. */
static void
assert_crcs (GBytes *packs)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (packs, &len);

  g_assert_cmpuint (len % RC_CDTEXT_PACK_SIZE, ==, 0);
  for (gsize off = 0; off < len; off += RC_CDTEXT_PACK_SIZE)
    {
      guint16 crc = rc_crc16 (data + off, 16) ^ 0xFFFF;
      g_assert_cmpuint (data[off + 16], ==, crc >> 8);
      g_assert_cmpuint (data[off + 17], ==, crc & 0xFF);
    }
}

static RcCdText *
build_ours (const Case *c)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (rc_cdtext_set_language (cdtext, b, c->language[b], &error));
      g_assert_no_error (error);
      g_assert_true (rc_cdtext_set_copyright (cdtext, b, c->copyright[b], &error));
      g_assert_no_error (error);
    }
  for (gsize i = 0; i < c->n_entries; i++)
    {
      const Entry *e = &c->entries[i];
      g_autoptr(GError) error = NULL;

      gboolean ok = rc_cdtext_set (cdtext, e->block, e->track, e->field, e->utf8, &error);

      g_assert_no_error (error);
      g_assert_true (ok);
    }
  return g_steal_pointer (&cdtext);
}

static const char *
find_entry (const Case *c, guint block, guint track, RcCdTextField field)
{
  for (gsize i = 0; i < c->n_entries; i++)
    {
      const Entry *e = &c->entries[i];
      if (e->block == block && e->track == track && e->field == field)
        return e->utf8;
    }
  return NULL;
}

/* The libburn payload of a field: the text in the block's character code
 * plus its terminator; genre gets its two code bytes (0x0000) in front. */
static GByteArray *
burn_payload (const char *utf8, RcCdTextField field, guint8 charset, int *burn_flag)
{
  static const guint8 zeros[2] = { 0, 0 };
  GByteArray *out = g_byte_array_new ();
  gboolean dbcc = charset == 0x80 && is_text_field (field);

  *burn_flag = dbcc ? 1 : 0;
  if (field == RC_CDTEXT_FIELD_GENRE)
    g_byte_array_append (out, zeros, 2);
  if (utf8 != NULL)
    {
      const char *to = !is_text_field (field) ? "ASCII"
                       : dbcc ? "CP932" : "ISO-8859-1";
      gsize len = 0;
      g_autoptr(GError) error = NULL;
      g_autofree char *conv = g_convert (utf8, -1, to, "UTF-8", NULL, &len, &error);

      g_assert_no_error (error);
      g_byte_array_append (out, (const guint8 *) conv, (guint) len);
    }
  g_byte_array_append (out, zeros, dbcc ? 2 : 1);
  return out;
}

/* A libburn session with the text of the case, set as libburn's own v07t
 * sheet reader sets it: a type that any track has gets a disc text too ("" if
 * none), and every track gets its text ("" if none, with a two-byte
 * terminator in double-byte blocks).  `bare` leaves out the texts that are
 * not in the case, to show libburn's behaviour for missing ones. */
static struct burn_session *
build_burn_session (const Case *c, gboolean bare)
{
  struct burn_session *s = burn_session_create ();
  int char_codes[8], copyrights[8], languages[8];

  for (guint t = c->first_track; t <= c->last_track; t++)
    {
      struct burn_track *track = burn_track_create ();
      g_assert_true (burn_session_add_track (s, track, BURN_POS_END));
      burn_track_free (track);  /* the session holds its own reference */
    }
  g_assert_cmpint (burn_session_set_start_tno (s, (int) c->first_track, 0), >, 0);
  for (guint b = 0; b < 8; b++)
    {
      char_codes[b] = c->charset[b];
      copyrights[b] = c->copyright[b] ? 3 : 0;
      languages[b] = c->language[b];
    }
  g_assert_cmpint (burn_session_set_cdtext_par (s, char_codes, copyrights, languages, 0), >, 0);

  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    for (gsize f = 0; f < G_N_ELEMENTS (all_fields); f++)
      {
        RcCdTextField field = all_fields[f];
        gboolean any = FALSE;
        struct burn_track **tracks;
        int n_tracks = 0;

        for (guint t = 0; t <= c->last_track && !any; t++)
          any = find_entry (c, b, t, field) != NULL;
        if (!any)
          continue;

        {
          int flag = 0;
          const char *disc = find_entry (c, b, 0, field);
          g_autoptr(GByteArray) p = burn_payload (disc, field, c->charset[b], &flag);
          if (disc != NULL || !bare)
            g_assert_cmpint (burn_session_set_cdtext (s, (int) b, field, NULL,
                                                      p->data, (int) p->len, flag), >, 0);
        }
        if (field == RC_CDTEXT_FIELD_GENRE)
          continue;

        tracks = burn_session_get_tracks (s, &n_tracks);
        for (int i = 0; i < n_tracks; i++)
          {
            int flag = 0;
            const char *text = find_entry (c, b, c->first_track + (guint) i, field);
            g_autoptr(GByteArray) p = burn_payload (text, field, c->charset[b], &flag);
            if (text != NULL || !bare)
              g_assert_cmpint (burn_track_set_cdtext (tracks[i], (int) b, field, NULL,
                                                      p->data, (int) p->len, flag), >, 0);
          }
      }
  return s;
}

/* libburn's packs for the case; NULL when libburn refuses. */
static guint8 *
burn_packs (const Case *c, gboolean bare, gsize *n_packs)
{
  struct burn_session *s = build_burn_session (c, bare);
  unsigned char *packs = NULL;
  int n = 0;
  int ret = burn_cdtext_from_session (s, &packs, &n, 0);
  guint8 *copy = NULL;

  burn_session_free (s);
  *n_packs = 0;
  if (ret <= 0)
    return NULL;
  copy = g_memdup2 (packs, (gsize) n * RC_CDTEXT_PACK_SIZE);
  free (packs);
  *n_packs = (gsize) n;
  return copy;
}

static GBytes *
encode_ours (const Case *c)
{
  g_autoptr(RcCdText) cdtext = build_ours (c);
  g_autoptr(GError) error = NULL;
  GBytes *packs = rc_cdtext_encode (cdtext, c->first_track, c->last_track, &error);

  g_assert_no_error (error);
  g_assert_nonnull (packs);
  assert_crcs (packs);
  return packs;
}

/* The full comparison, plus a check that the charset chosen is the one the
 * case names (libburn was told that one, so equal bytes prove it too). */
static GBytes *
check_against_libburn (const Case *c)
{
  g_autoptr(GBytes) ours = encode_ours (c);
  gsize n = 0;
  g_autofree guint8 *theirs = burn_packs (c, FALSE, &n);

  g_assert_nonnull (theirs);
  assert_packs_equal (ours, theirs, n);
  return g_steal_pointer (&ours);
}

/* libburn's decoder on our packs: the v07t sheet text.  With first_tno 0
 * it takes the track range from the 0x8F packs. */
/* libburn's sheet holds the text in the block's own character code
 * (ISO-8859-1, MS-JIS): bytes outside ASCII become \xNN so that the TAP
 * comment stays valid UTF-8. */
static char *
escape_for_tap (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p >= 0x80)
        g_string_append_printf (s, "\\x%02x", *p);
      else
        g_string_append_c (s, (char) *p);
    }
  return g_string_free (s, FALSE);
}

static char *
v07t_of_range (GBytes *packs, int first_tno, int track_count, int *char_code)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (packs, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len);
  char *result = NULL;
  char *dup;
  int ret;

  ret = burn_make_input_sheet_v07t (copy, (int) (len / RC_CDTEXT_PACK_SIZE),
                                    first_tno, track_count, &result, char_code, 0);
  g_assert_cmpint (ret, >, 0);
  {
    g_autofree char *shown = escape_for_tap (result);
    g_test_message ("v07t:\n%s", shown);
  }
  dup = g_strdup (result);
  free (result);
  return dup;
}

static char *
v07t_of (GBytes *packs, int *char_code)
{
  return v07t_of_range (packs, 0, 0, char_code);
}

static void
assert_sheet_has (const char *sheet, const char *line)
{
  if (strstr (sheet, line) == NULL)
    g_error ("v07t sheet lacks the line \"%s\"", line);
}

/* ---- known answers ------------------------------------------------------ */

static const guint8 joyful_night_pack[18] = {
  0x80, 0x00, 0x00, 0x00, 'J', 'o', 'y', 'f', 'u', 'l', ' ', 'N', 'i', 'g', 'h', 't', 0xF0, 0xF7,
};

static void
test_crc_known_answer (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GBytes) packs = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len = 0;

  g_assert_cmphex (rc_crc16 (joyful_night_pack, 16) ^ 0xFFFF, ==, 0xF0F7);

  /* A 12-character disc title fills the first pack exactly. */
  g_assert_true (rc_cdtext_set (cdtext, 0, 0, RC_CDTEXT_FIELD_TITLE, "Joyful Night", &error));
  g_assert_no_error (error);
  packs = rc_cdtext_encode (cdtext, 1, 1, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (packs, &len);
  g_assert_cmpuint (len, >=, 18);
  g_assert_cmpmem (data, 18, joyful_night_pack, 18);
}

static void
test_symbols_known_answer (void)
{
  /* worked out by hand: 80 00 00 -> 100000 000000 000000 000000, then
   * 00 4A 6F -> 000000 000100 101001 101111, and so on */
  static const guint8 expected[24] = {
    0x20, 0x00, 0x00, 0x00, 0x00, 0x04, 0x29, 0x2F, 0x1E, 0x16, 0x19, 0x35,
    0x1B, 0x02, 0x01, 0x0E, 0x1A, 0x16, 0x1D, 0x28, 0x1D, 0x0F, 0x03, 0x37,
  };
  static const guint8 ones[18] = {
    0xFF, 0xFF, 0xFF, 0xFC, 0x0F, 0xC0, 0x03, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
  };
  static const guint8 ones_expected[24] = {
    0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x00, 0x3F, 0x00, 0x00, 0x3F, 0x00, 0x3F,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
  };
  guint8 symbols[24];

  rc_cdtext_pack_to_symbols (joyful_night_pack, symbols);
  g_assert_cmpmem (symbols, 24, expected, 24);
  rc_cdtext_pack_to_symbols (ones, symbols);
  g_assert_cmpmem (symbols, 24, ones_expected, 24);
}

/* ---- byte-identical with libburn ---------------------------------------- */

#define CASE_ENTRIES(e) .entries = (e), .n_entries = G_N_ELEMENTS (e)

static void
test_english_three_tracks (void)
{
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "Joyful Night" },
    { 0, 0, RC_CDTEXT_FIELD_PERFORMER, "The Band" },
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "Dawn" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "Noon" },
    { 0, 3, RC_CDTEXT_FIELD_TITLE, "Dusk" },
    { 0, 1, RC_CDTEXT_FIELD_PERFORMER, "Anna" },
    { 0, 2, RC_CDTEXT_FIELD_PERFORMER, "Bert" },
    { 0, 3, RC_CDTEXT_FIELD_PERFORMER, "Carl" },
  };
  Case c = { CASE_ENTRIES (e), 1, 3, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);
  int code = -1;
  g_autofree char *sheet = NULL;

  /* hand-checked: 0x80 x3 + 0x81 x2 + 0x8F x3 = 8 packs; the size info
   * says ASCII, tracks 1..3, 3 and 2 packs, last sequence 7, English */
  g_assert_cmpuint (g_bytes_get_size (packs), ==, 8 * 18);
  g_assert_cmpmem (d, 18, joyful_night_pack, 18);
  g_assert_cmpuint (d[5 * 18 + 0], ==, 0x8F);
  g_assert_cmpuint (d[5 * 18 + 4], ==, 0x01);
  g_assert_cmpuint (d[5 * 18 + 5], ==, 1);
  g_assert_cmpuint (d[5 * 18 + 6], ==, 3);
  g_assert_cmpuint (d[5 * 18 + 8], ==, 3);
  g_assert_cmpuint (d[5 * 18 + 9], ==, 2);
  g_assert_cmpuint (d[6 * 18 + 4 + 7], ==, 3);   /* 3 packs of 0x8F */
  g_assert_cmpuint (d[6 * 18 + 4 + 8], ==, 7);   /* last sequence, block 0 */
  g_assert_cmpuint (d[7 * 18 + 4 + 4], ==, 0x09); /* English */

  sheet = v07t_of (packs, &code);
  g_assert_cmpint (code, ==, 0x01);
  assert_sheet_has (sheet, "Album Title         = Joyful Night");
  assert_sheet_has (sheet, "Track 02 Title      = Noon");
  assert_sheet_has (sheet, "Track 03 Artist     = Carl");
}

static void
test_long_strings (void)
{
  /* strings of 13 to 60 bytes: they start mid-pack, span two to six packs,
   * and the character position passes 15 (capped) */
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "A Title That Is Longer Than Twelve" },
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "Thirteen byte" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "The quick brown fox jumps over the lazy dog, twice over, yes" },
    { 0, 3, RC_CDTEXT_FIELD_TITLE, "x" },
    { 0, 4, RC_CDTEXT_FIELD_TITLE, "Exactly twelve chars" },
    { 0, 0, RC_CDTEXT_FIELD_MESSAGE, "Recorded live at the old town hall on a rainy Sunday" },
    { 0, 2, RC_CDTEXT_FIELD_SONGWRITER, "Somebody Withaverylongname" },
  };
  Case c = { CASE_ENTRIES (e), 1, 4, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);

  /* by hand: the disc title (34 + NUL) fills packs 0-1 and 11 bytes of
   * pack 2, whose header therefore names the disc with position 15 (24
   * characters already written, capped) */
  g_assert_cmpuint (d[2 * 18 + 1], ==, 0);
  g_assert_cmpuint (d[2 * 18 + 3], ==, 15);
  g_assert_cmpuint (d[1 * 18 + 3], ==, 12);
}

static void
test_repeated_performer (void)
{
  /* tracks 2-4 repeat track 1's performer: TAB; track 1 repeats the disc's
   * and track 5 its predecessor's empty string: written out */
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_PERFORMER, "Same Artist" },
    { 0, 1, RC_CDTEXT_FIELD_PERFORMER, "Same Artist" },
    { 0, 2, RC_CDTEXT_FIELD_PERFORMER, "Same Artist" },
    { 0, 3, RC_CDTEXT_FIELD_PERFORMER, "Same Artist" },
    { 0, 4, RC_CDTEXT_FIELD_PERFORMER, "Guest" },
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "One" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "One" },
    { 0, 3, RC_CDTEXT_FIELD_TITLE, "x" },
    { 0, 4, RC_CDTEXT_FIELD_TITLE, "x" },
  };
  Case c = { CASE_ENTRIES (e), 1, 5, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  gsize len = 0;
  const guint8 *d = g_bytes_get_data (packs, &len);
  guint tabs = 0;
  int code = -1;
  g_autofree char *sheet = NULL;

  for (gsize i = 0; i < len && d[i] != 0x8F; i += 18)
    for (guint j = 4; j < 16; j++)
      tabs += d[i + j] == '\t';
  g_assert_cmpuint (tabs, ==, 4);  /* performer 2, 3; title 2, 4 */

  sheet = v07t_of (packs, &code);
  assert_sheet_has (sheet, "Track 03 Artist     = Same Artist");
  assert_sheet_has (sheet, "Track 04 Title      = x");
}

static void
test_two_languages (void)
{
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "Happy Songs" },
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "Good Morning" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "Good Night" },
    { 0, 0, RC_CDTEXT_FIELD_PERFORMER, "Choir" },
    { 1, 0, RC_CDTEXT_FIELD_TITLE, "Fröhliche Lieder" },
    { 1, 1, RC_CDTEXT_FIELD_TITLE, "Guten Morgen" },
    { 1, 2, RC_CDTEXT_FIELD_TITLE, "Gute Nacht, schlaf schön" },
    { 1, 0, RC_CDTEXT_FIELD_PERFORMER, "Chor" },
  };
  Case c = { CASE_ENTRIES (e), 1, 2,
             .charset = { 0x01, 0x00 }, .language = { 0x09, 0x08 },
             .copyright = { FALSE, TRUE } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  int code = -1;
  g_autofree char *sheet = v07t_of (packs, &code);

  assert_sheet_has (sheet, "CD-TEXT Block 1");
  assert_sheet_has (sheet, "Language Code       = German");
  assert_sheet_has (sheet, "Album Title         = Happy Songs");
  assert_sheet_has (sheet, "Album Title         = Fr\xf6hliche Lieder");
  assert_sheet_has (sheet, "Track 02 Title      = Gute Nacht, schlaf sch\xf6n");
}

static void
test_latin1 (void)
{
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "Café Society" },
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "Été" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "Plain ASCII" },
    { 0, 1, RC_CDTEXT_FIELD_COMPOSER, "Händel" },
    { 0, 2, RC_CDTEXT_FIELD_ARRANGER, "Ñoño ×÷ ¿¡ ÿ" },
  };
  Case c = { CASE_ENTRIES (e), 1, 2, .charset = { 0x00 }, .language = { 0x0F } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);

  /* "Café": é is the single byte 0xE9 */
  g_assert_cmpmem (d + 4, 4, "Caf\xe9", 4);
}

static void
test_genre (void)
{
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "Jazz Album" },
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "Blue" },
    { 0, 0, RC_CDTEXT_FIELD_GENRE, "Cool jazz from the late fifties" },
  };
  Case c = { CASE_ENTRIES (e), 1, 1, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);
  int code = -1;
  g_autofree char *sheet = NULL;

  /* "Jazz Album", "Blue" take packs 0-1; pack 2 is 87 00 02 00 with genre
   * code 00 00 and 10 characters of text, pack 3 goes on at position 10
   * and pack 4 at 22 */
  g_assert_cmpuint (d[2 * 18 + 0], ==, 0x87);
  g_assert_cmpuint (d[2 * 18 + 2], ==, 2);
  g_assert_cmpuint (d[2 * 18 + 3], ==, 0);
  g_assert_cmpuint (d[2 * 18 + 4], ==, 0);
  g_assert_cmpuint (d[2 * 18 + 5], ==, 0);
  g_assert_cmpmem (d + 2 * 18 + 6, 10, "Cool jazz ", 10);
  g_assert_cmpuint (d[3 * 18 + 3], ==, 10);
  g_assert_cmpuint (d[4 * 18 + 3], ==, 15);  /* 22, capped */
  g_assert_cmpuint (d[5 * 18 + 0], ==, 0x8F);

  sheet = v07t_of (packs, &code);
  assert_sheet_has (sheet, "Genre Code          = Not Used");
  assert_sheet_has (sheet, "Genre Information   = Cool jazz from the late fifties");
}

static void
test_upc_isrc (void)
{
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "Codes" },
    { 0, 0, RC_CDTEXT_FIELD_UPC_ISRC, "0724384260729" },
    { 0, 1, RC_CDTEXT_FIELD_UPC_ISRC, "GBAYE0601498" },
    { 0, 2, RC_CDTEXT_FIELD_UPC_ISRC, "GBAYE0601499" },
    { 0, 4, RC_CDTEXT_FIELD_UPC_ISRC, "USRC17607839" },
  };
  Case c = { CASE_ENTRIES (e), 1, 4, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  int code = -1;
  g_autofree char *sheet = v07t_of (packs, &code);

  assert_sheet_has (sheet, "UPC / EAN           = 0724384260729");
  assert_sheet_has (sheet, "ISRC 02             = GBAYE0601499");
  assert_sheet_has (sheet, "ISRC 04             = USRC17607839");
}

static void
test_empty_fields (void)
{
  /* track 2 has no performer and track 3 no title; only tracks have
   * songwriters (the disc's is written as "") */
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "Gaps" },
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "First" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "Second" },
    { 0, 1, RC_CDTEXT_FIELD_PERFORMER, "Someone" },
    { 0, 3, RC_CDTEXT_FIELD_PERFORMER, "Someone" },
    { 0, 3, RC_CDTEXT_FIELD_SONGWRITER, "Writer" },
  };
  Case c = { CASE_ENTRIES (e), 1, 3, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  int code = -1;
  g_autofree char *sheet = v07t_of (packs, &code);

  assert_sheet_has (sheet, "Track 02 Artist     = \n");
  assert_sheet_has (sheet, "Track 03 Title      = \n");
  assert_sheet_has (sheet, "Track 03 Artist     = Someone");
  assert_sheet_has (sheet, "Track 03 Songwriter = Writer");
}

static void
test_all_fields_start_track (void)
{
  /* every field, tracks numbered 5..7, copyright set */
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "Everything" },
    { 0, 0, RC_CDTEXT_FIELD_PERFORMER, "Orchestra" },
    { 0, 0, RC_CDTEXT_FIELD_SONGWRITER, "Lyricist" },
    { 0, 0, RC_CDTEXT_FIELD_COMPOSER, "Composer" },
    { 0, 0, RC_CDTEXT_FIELD_ARRANGER, "Arranger" },
    { 0, 0, RC_CDTEXT_FIELD_MESSAGE, "Thanks for listening" },
    { 0, 0, RC_CDTEXT_FIELD_GENRE, "Symphonic" },
    { 0, 0, RC_CDTEXT_FIELD_UPC_ISRC, "4006381333931" },
    { 0, 5, RC_CDTEXT_FIELD_TITLE, "Allegro" },
    { 0, 6, RC_CDTEXT_FIELD_TITLE, "Adagio" },
    { 0, 7, RC_CDTEXT_FIELD_TITLE, "Presto" },
    { 0, 6, RC_CDTEXT_FIELD_COMPOSER, "Someone Else" },
    { 0, 7, RC_CDTEXT_FIELD_MESSAGE, "Encore" },
    { 0, 5, RC_CDTEXT_FIELD_UPC_ISRC, "DEA123456789" },
  };
  Case c = { CASE_ENTRIES (e), 5, 7, .charset = { 0x01 }, .language = { 0x09 },
             .copyright = { TRUE } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  int code = -1;
  g_autofree char *sheet = v07t_of (packs, &code);

  assert_sheet_has (sheet, "First Track Number  = 5");
  assert_sheet_has (sheet, "Last Track Number   = 7");
  assert_sheet_has (sheet, "Track 07 Title      = Presto");
  assert_sheet_has (sheet, "Track 06 Composer   = Someone Else");
}

static void
test_ms_jis (void)
{
  /* Japanese titles in CP932, double-byte packs flagged; the UPC and ISRC
   * stay single-byte.  Track 4 repeats track 3's title (two TABs), track 1
   * has an ASCII title (single bytes in Shift-JIS), track 5 an empty one.
   * Only titles: see test_ms_jis_other_fields for why. */
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "夜の歌集" },
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "Overture" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "静かな夜に月が昇る長い長い物語の始まり" },
    { 0, 3, RC_CDTEXT_FIELD_TITLE, "夜明け" },
    { 0, 4, RC_CDTEXT_FIELD_TITLE, "夜明け" },
    { 0, 0, RC_CDTEXT_FIELD_UPC_ISRC, "4988001234562" },
    { 0, 2, RC_CDTEXT_FIELD_UPC_ISRC, "JPA000123456" },
  };
  Case c = { CASE_ENTRIES (e), 1, 5, .charset = { 0x80 }, .language = { 0x69 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);
  gsize len = g_bytes_get_size (packs);
  int code = -1;
  g_autofree char *sheet = v07t_of (packs, &code);
  g_autofree char *expected2 = g_convert ("Track 02 Title      = 静かな夜に月が昇る長い長い物語の始まり",
                                          -1, "CP932", "UTF-8", NULL, NULL, NULL);
  g_autofree char *expected4 = g_convert ("Track 04 Title      = 夜明け",
                                          -1, "CP932", "UTF-8", NULL, NULL, NULL);

  for (gsize i = 0; i < len; i += 18)
    g_assert_cmpuint (d[i + 3] & 0x80, ==, d[i] == 0x80 ? 0x80 : 0x00);
  /* by hand: 夜の歌集 = 96 E9 82 CC 89 CC 8F 57, then 00 00 */
  g_assert_cmpmem (d + 4, 10, "\x96\xe9\x82\xcc\x89\xcc\x8f\x57\0\0", 10);
  g_assert_cmpint (code, ==, 0x80);
  assert_sheet_has (sheet, expected2);
  assert_sheet_has (sheet, expected4);
  assert_sheet_has (sheet, "ISRC 02             = JPA000123456");
}

/* The largest block libburn makes: 252 text packs.  99 tracks of 29
 * distinct characters and a disc title of 53 fill exactly 3024 bytes. */
static GPtrArray *
titles_filling (guint disc_title_len)
{
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (titles, g_strnfill (disc_title_len, 'D'));
  for (guint t = 1; t <= 99; t++)
    g_ptr_array_add (titles, g_strdup_printf ("Title number %02u of the record", t));
  for (guint i = 1; i < titles->len; i++)
    g_assert_cmpuint (strlen (g_ptr_array_index (titles, i)), ==, 29);
  return titles;
}

static Entry *
entries_of (GPtrArray *titles)
{
  Entry *e = g_new0 (Entry, titles->len);

  for (guint i = 0; i < titles->len; i++)
    e[i] = (Entry) { 0, i, RC_CDTEXT_FIELD_TITLE, g_ptr_array_index (titles, i) };
  return e;
}

static void
test_full_block (void)
{
  g_autoptr(GPtrArray) titles = titles_filling (53);
  g_autofree Entry *e = entries_of (titles);
  Case c = { e, titles->len, 1, 99, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);

  g_assert_cmpuint (g_bytes_get_size (packs), ==, (252 + 3) * 18);
}

/* ---- deliberate differences from libburn -------------------------------- */

static void
test_253_text_packs (void)
{
  /* 12 more bytes: 253 text packs, sequence numbers 0..255.  libburn stops
   * at 255 packs; the format (and libburn's doc/cdtext.txt) allows 256. */
  g_autoptr(GPtrArray) titles = titles_filling (65);
  g_autofree Entry *e = entries_of (titles);
  Case c = { e, titles->len, 1, 99, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = encode_ours (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);
  gsize n = 0;
  g_autofree guint8 *theirs = burn_packs (&c, FALSE, &n);
  int code = -1;
  g_autofree char *sheet = NULL;

  g_assert_null (theirs);
  g_assert_cmpuint (g_bytes_get_size (packs), ==, 256 * 18);
  g_assert_cmpuint (d[255 * 18 + 2], ==, 255);          /* last sequence */
  g_assert_cmpuint (d[254 * 18 + 4 + 8], ==, 255);      /* recorded in 0x8F */
  g_assert_cmpuint (d[253 * 18 + 4], ==, 0x01);
  g_assert_cmpuint (d[253 * 18 + 4 + 4], ==, 253);      /* 0x80 packs */

  /* libburn's decoder refuses the range 1..99 of the 0x8F packs (it wants
   * first + last < 100), so it is told the range as from the TOC */
  sheet = v07t_of_range (packs, 1, 99, &code);
  assert_sheet_has (sheet, "Last Track Number   = 99");
  assert_sheet_has (sheet, "Track 99 Title      = Title number 99 of the record");
}

static void
test_track_text_without_disc_text (void)
{
  /* Only tracks have titles.  libburn writes no packs of a type unless the
   * disc has text of it too (here: no CD-TEXT at all); we write "" for the
   * disc, as libburn does when its own v07t reader fills in that "". */
  static const Entry e[] = {
    { 0, 1, RC_CDTEXT_FIELD_TITLE, "Alpha" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "Beta" },
  };
  Case c = { CASE_ENTRIES (e), 1, 2, .charset = { 0x01 }, .language = { 0x09 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  gsize n = 0;
  g_autofree guint8 *bare = burn_packs (&c, TRUE, &n);
  int code = -1;
  g_autofree char *sheet = NULL;

  g_assert_cmpuint (n, ==, 0);
  g_assert_null (bare);
  g_assert_cmpuint (g_bytes_get_size (packs), ==, (1 + 3) * 18);  /* "", Alpha, Beta: 12 bytes */

  sheet = v07t_of (packs, &code);
  assert_sheet_has (sheet, "Track 01 Title      = Alpha");
  assert_sheet_has (sheet, "Track 02 Title      = Beta");
}

static void
test_ms_jis_missing_track_text (void)
{
  /* Track 1 has no title.  Bare libburn writes a single NUL for it in a
   * double-byte block, so a reader pairing bytes is off by one from there
   * on; we write two, as libburn does for an explicit empty text. */
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "歌" },
    { 0, 2, RC_CDTEXT_FIELD_TITLE, "月" },
  };
  Case c = { CASE_ENTRIES (e), 1, 2, .charset = { 0x80 }, .language = { 0x69 } };
  g_autoptr(GBytes) packs = check_against_libburn (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);
  gsize n = 0;
  g_autofree guint8 *bare = burn_packs (&c, TRUE, &n);
  int code = -1;
  g_autofree char *sheet = NULL;
  g_autofree char *expected = g_convert ("Track 02 Title      = 月", -1,
                                         "CP932", "UTF-8", NULL, NULL, NULL);

  /* ours: 89 CC 00 00 | 00 00 | 8C 8E 00 00 (two NULs for track 1) */
  static const guint8 text[10] = { 0x89, 0xCC, 0, 0, 0, 0, 0x8C, 0x8E, 0, 0 };
  g_assert_cmpmem (d + 4, 10, text, 10);
  g_assert_nonnull (bare);
  g_assert_cmpuint (bare[4 + 4], ==, 0x00);
  g_assert_cmpuint (bare[4 + 5], ==, 0x8C);  /* libburn: one NUL, then 月 */

  sheet = v07t_of (packs, &code);
  g_assert_cmpint (code, ==, 0x80);
  assert_sheet_has (sheet, expected);
}

static void
test_ms_jis_other_fields (void)
{
  /* libburn 1.5.4 keeps the double-byte flag of a text only for type 0x80:
   * burn_session_set_cdtext() and burn_track_set_cdtext() pass "flag & 1"
   * on, which is then masked with the type's own bit.  For performers ..
   * messages it therefore writes packs without the DBCC bit, a single-byte
   * TAB and byte-counted character positions.  We treat every text type of
   * an MS-JIS block like the title. */
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_PERFORMER, "山田太郎" },
    { 0, 1, RC_CDTEXT_FIELD_PERFORMER, "佐藤花子と仲間たち" },
    { 0, 2, RC_CDTEXT_FIELD_PERFORMER, "佐藤花子と仲間たち" },
    { 0, 2, RC_CDTEXT_FIELD_ARRANGER, "鈴木" },
  };
  Case c = { CASE_ENTRIES (e), 1, 2, .charset = { 0x80 }, .language = { 0x69 } };
  g_autoptr(GBytes) packs = encode_ours (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);
  gsize n = 0;
  g_autofree guint8 *theirs = burn_packs (&c, FALSE, &n);
  int code = -1;
  g_autofree char *sheet = NULL;
  g_autofree char *expected1 = g_convert ("Track 01 Artist     = 佐藤花子と仲間たち",
                                          -1, "CP932", "UTF-8", NULL, NULL, NULL);
  g_autofree char *expected2 = g_convert ("Track 02 Artist     = 佐藤花子と仲間たち",
                                          -1, "CP932", "UTF-8", NULL, NULL, NULL);
  g_autofree char *expected3 = g_convert ("Track 02 Arranger   = 鈴木",
                                          -1, "CP932", "UTF-8", NULL, NULL, NULL);

  g_assert_nonnull (theirs);
  g_assert_cmpuint (theirs[3] & 0x80, ==, 0x00);   /* libburn: no DBCC bit */
  g_assert_cmpuint (d[3], ==, 0x80);               /* ours */
  /* by hand: disc 8 + 2 bytes, track 1 18 + 2: pack 1 starts with track 1's
   * 2nd byte pair (position 1, counted in pairs), pack 2 with its 8th
   * (position 7) and holds its last 6 bytes, then track 2: TAB TAB NUL NUL */
  g_assert_cmpuint (d[18 + 1], ==, 1);
  g_assert_cmpuint (d[18 + 3], ==, 0x80 | 1);
  g_assert_cmpuint (d[2 * 18 + 1], ==, 1);
  g_assert_cmpuint (d[2 * 18 + 3], ==, 0x80 | 7);
  g_assert_cmpmem (d + 2 * 18 + 4 + 6, 6, "\t\t\0\0\0\0", 6);

  sheet = v07t_of (packs, &code);
  g_assert_cmpint (code, ==, 0x80);
  assert_sheet_has (sheet, expected1);
  assert_sheet_has (sheet, expected2);
  assert_sheet_has (sheet, expected3);
}

static void
test_language_of_absent_block (void)
{
  /* A language set for block 3, which has no text: libburn writes it into
   * the size info, we write 0x00 ("Unknown", no block), like Sony's example */
  static const Entry e[] = {
    { 0, 0, RC_CDTEXT_FIELD_TITLE, "Only English" },
  };
  Case c = { CASE_ENTRIES (e), 1, 1, .charset = { 0x01 },
             .language = { 0x09, 0, 0, 0x0A } };
  g_autoptr(GBytes) packs = encode_ours (&c);
  const guint8 *d = g_bytes_get_data (packs, NULL);
  gsize n = 0;
  g_autofree guint8 *theirs = burn_packs (&c, FALSE, &n);
  int code = -1;
  g_autofree char *sheet = NULL;

  g_assert_cmpuint (g_bytes_get_size (packs), ==, n * 18);
  g_assert_cmpuint (theirs[(n - 1) * 18 + 4 + 4 + 3], ==, 0x0A);
  g_assert_cmpuint (d[(n - 1) * 18 + 4 + 4 + 3], ==, 0x00);
  /* all other bytes (but the CRC of that pack) agree */
  g_assert_cmpmem (d, (n - 1) * 18, theirs, (n - 1) * 18);
  g_assert_cmpmem (d + (n - 1) * 18, 7, theirs + (n - 1) * 18, 7);

  sheet = v07t_of (packs, &code);
  assert_sheet_has (sheet, "Album Title         = Only English");
  g_assert_null (strstr (sheet, "Block 3"));
}

/* ---- the API ------------------------------------------------------------ */

static void
test_set_get (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_cdtext_is_empty (cdtext));
  g_assert_cmpuint (rc_cdtext_get_language (cdtext, 0), ==, 0x09);
  g_assert_cmpuint (rc_cdtext_get_language (cdtext, 1), ==, 0x00);
  g_assert_false (rc_cdtext_get_copyright (cdtext, 0));
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 1, RC_CDTEXT_FIELD_TITLE), ==, "");

  /* NFD in, NFC stored: e + COMBINING ACUTE ACCENT becomes é */
  g_assert_true (rc_cdtext_set (cdtext, 2, 7, RC_CDTEXT_FIELD_TITLE, "Cafe\xcc\x81", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rc_cdtext_get (cdtext, 2, 7, RC_CDTEXT_FIELD_TITLE), ==, "Caf\xc3\xa9");
  g_assert_false (rc_cdtext_is_empty (cdtext));

  /* codes are normalized */
  g_assert_true (rc_cdtext_set (cdtext, 0, 3, RC_CDTEXT_FIELD_UPC_ISRC, "us-rc1-76-07839", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 3, RC_CDTEXT_FIELD_UPC_ISRC), ==, "USRC17607839");
  g_assert_true (rc_cdtext_set (cdtext, 0, 0, RC_CDTEXT_FIELD_UPC_ISRC, "724384260729", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 0, RC_CDTEXT_FIELD_UPC_ISRC), ==, "0724384260729");

  /* "" and NULL clear */
  g_assert_true (rc_cdtext_set (cdtext, 2, 7, RC_CDTEXT_FIELD_TITLE, "", &error));
  g_assert_true (rc_cdtext_set (cdtext, 0, 3, RC_CDTEXT_FIELD_UPC_ISRC, NULL, &error));
  g_assert_true (rc_cdtext_set (cdtext, 0, 0, RC_CDTEXT_FIELD_UPC_ISRC, "", &error));
  g_assert_no_error (error);
  g_assert_true (rc_cdtext_is_empty (cdtext));

  /* empty text: no packs */
  {
    g_autoptr(GBytes) packs = rc_cdtext_encode (cdtext, 1, 5, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (packs), ==, 0);
  }

  g_assert_true (rc_cdtext_set_language (cdtext, 1, 0x69, &error));
  g_assert_true (rc_cdtext_set_copyright (cdtext, 1, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rc_cdtext_get_language (cdtext, 1), ==, 0x69);
  g_assert_true (rc_cdtext_get_copyright (cdtext, 1));
}

/* `message` is the whole message, or with `prefix_only` its start (the
 * rest comes from rc-codes.c) */
static void
assert_set_fails_full (guint block, guint track, RcCdTextField field, const char *utf8,
                       const char *message, gboolean prefix_only)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (rc_cdtext_set (cdtext, block, track, field, utf8, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  if (prefix_only)
    g_assert_true (g_str_has_prefix (error->message, message));
  else
    g_assert_cmpstr (error->message, ==, message);
  g_assert_true (rc_cdtext_is_empty (cdtext));
}

static void
assert_set_fails (guint block, guint track, RcCdTextField field, const char *utf8,
                  const char *message)
{
  assert_set_fails_full (block, track, field, utf8, message, FALSE);
}

static GHashTable *
fields_of (const char *first_name, ...)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list ap;

  va_start (ap, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (ap, const char *))
    g_hash_table_replace (fields, g_strdup (name), g_strdup (va_arg (ap, const char *)));
  va_end (ap);
  return fields;
}

static GPtrArray *
blocks_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
}

/* The names the API uses, each field once, 0x8E by where it is. */
static void
test_field_names (void)
{
  static const char *const disc[] = {
    "title", "performer", "songwriter", "composer", "arranger", "message", "genre", "upc_ean",
  };
  static const char *const track[] = {
    "title", "performer", "songwriter", "composer", "arranger", "message", NULL, "isrc",
  };
  static const RcCdTextField types[] = { 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x87, 0x8E };
  g_autoptr(GError) error = NULL;
  RcCdTextField field;

  for (guint i = 0; i < RC_CDTEXT_N_FIELDS; i++)
    {
      g_assert_cmpuint (rc_cdtext_field_nth (i), ==, types[i]);
      g_assert_cmpstr (rc_cdtext_field_name (types[i], 0), ==, disc[i]);
      g_assert_true (rc_cdtext_field_from_name (disc[i], 0, &field, NULL));
      g_assert_cmpuint (field, ==, types[i]);
      g_assert_cmpint (rc_cdtext_field_applies (types[i], 5), ==, track[i] != NULL);
      if (track[i] == NULL)
        continue;
      g_assert_cmpstr (rc_cdtext_field_name (types[i], 5), ==, track[i]);
      g_assert_true (rc_cdtext_field_from_name (track[i], 5, &field, NULL));
      g_assert_cmpuint (field, ==, types[i]);
    }
  g_assert_false (rc_cdtext_field_from_name ("genre", 3, &field, &error));
  g_assert_cmpstr (error->message, ==,
                   "\"genre\" is not a CD-TEXT field of a track (known: title, performer, "
                   "songwriter, composer, arranger, message, isrc)");
  g_clear_error (&error);
  g_assert_false (rc_cdtext_field_from_name ("isrc", 0, &field, &error));
  g_assert_nonnull (strstr (error->message, "\"isrc\" is not a CD-TEXT field of the disc"));
}

/* rc_cdtext_replace: every block of an entry at once, all or nothing. */
static void
test_replace (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_cdtext_set (cdtext, 0, 0, RC_CDTEXT_FIELD_COMPOSER, "Old", NULL));
  g_assert_true (rc_cdtext_set (cdtext, 3, 0, RC_CDTEXT_FIELD_TITLE, "Old 3", NULL));
  g_assert_true (rc_cdtext_set (cdtext, 0, 2, RC_CDTEXT_FIELD_TITLE, "Track two", NULL));
  {
    g_autoptr(GPtrArray) blocks = blocks_new ();

    g_ptr_array_add (blocks, fields_of ("title", "Album", "upc_ean", "0012345678905", NULL));
    g_ptr_array_add (blocks, fields_of ("title", "Album auf Deutsch", NULL));
    g_assert_true (rc_cdtext_replace (cdtext, 0, blocks, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 0, RC_CDTEXT_FIELD_TITLE), ==, "Album");
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 0, RC_CDTEXT_FIELD_UPC_ISRC), ==, "0012345678905");
  g_assert_cmpstr (rc_cdtext_get (cdtext, 1, 0, RC_CDTEXT_FIELD_TITLE), ==, "Album auf Deutsch");
  /* fields and blocks not given are cleared; other entries keep theirs */
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 0, RC_CDTEXT_FIELD_COMPOSER), ==, "");
  g_assert_cmpstr (rc_cdtext_get (cdtext, 3, 0, RC_CDTEXT_FIELD_TITLE), ==, "");
  g_assert_false (rc_cdtext_block_has_text (cdtext, 3));
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 2, RC_CDTEXT_FIELD_TITLE), ==, "Track two");

  /* refused: an unknown name, a bad text in a later block, a genre on a
   * track, nine blocks; nothing changes */
  {
    g_autoptr(GPtrArray) blocks = blocks_new ();

    g_ptr_array_add (blocks, fields_of ("title", "New", "colour", "blue", NULL));
    g_assert_false (rc_cdtext_replace (cdtext, 0, blocks, &error));
    g_assert_cmpstr (error->message, ==,
                     "CD-TEXT block 0: \"colour\" is not a CD-TEXT field of the disc (known: title, "
                     "performer, songwriter, composer, arranger, message, genre, upc_ean)");
    g_clear_error (&error);
  }
  {
    g_autoptr(GPtrArray) blocks = blocks_new ();

    g_ptr_array_add (blocks, fields_of ("title", "New", NULL));
    g_ptr_array_add (blocks, fields_of ("performer", "Tab\there", NULL));
    g_assert_false (rc_cdtext_replace (cdtext, 0, blocks, &error));
    g_assert_cmpstr (error->message, ==,
                     "CD-TEXT performer of the disc in block 1 contains the control character U+0009");
    g_clear_error (&error);
  }
  {
    g_autoptr(GPtrArray) blocks = blocks_new ();

    g_ptr_array_add (blocks, fields_of ("genre", "Jazz", NULL));
    g_assert_false (rc_cdtext_replace (cdtext, 2, blocks, &error));
    g_assert_nonnull (strstr (error->message, "\"genre\" is not a CD-TEXT field of a track"));
    g_clear_error (&error);
  }
  {
    g_autoptr(GPtrArray) blocks = blocks_new ();

    for (guint b = 0; b < 9; b++)
      g_ptr_array_add (blocks, fields_of ("title", "x", NULL));
    g_assert_false (rc_cdtext_replace (cdtext, 0, blocks, &error));
    g_assert_cmpstr (error->message, ==, "CD-TEXT has 9 blocks; there are at most 8 (one per language)");
    g_clear_error (&error);
  }
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 0, RC_CDTEXT_FIELD_TITLE), ==, "Album");
  g_assert_cmpstr (rc_cdtext_get (cdtext, 1, 0, RC_CDTEXT_FIELD_TITLE), ==, "Album auf Deutsch");
  g_assert_cmpstr (rc_cdtext_get (cdtext, 1, 0, RC_CDTEXT_FIELD_PERFORMER), ==, "");
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 2, RC_CDTEXT_FIELD_TITLE), ==, "Track two");

  /* no blocks: the entry has no text left */
  {
    g_autoptr(GPtrArray) blocks = blocks_new ();

    g_assert_true (rc_cdtext_replace (cdtext, 0, blocks, &error));
  }
  g_assert_cmpstr (rc_cdtext_get (cdtext, 0, 0, RC_CDTEXT_FIELD_TITLE), ==, "");
  g_assert_false (rc_cdtext_block_has_text (cdtext, 1));
  g_assert_true (rc_cdtext_block_has_text (cdtext, 0));   /* track 2's title */
}

static void
test_languages (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;
  static const guint8 german_french[] = { 0x08, 0x0F };
  static const guint8 too_high[] = { 0x09, 0x80 };
  static const guint8 nine[9] = { 0 };
  guint8 codes[RC_CDTEXT_N_BLOCKS];

  g_assert_cmpuint (rc_cdtext_default_language (0), ==, 0x09);
  g_assert_cmpuint (rc_cdtext_default_language (1), ==, 0x00);
  g_assert_cmpuint (rc_cdtext_languages_in_use (cdtext, codes), ==, 1);
  g_assert_cmpuint (codes[0], ==, 0x09);

  g_assert_true (rc_cdtext_replace_languages (cdtext, german_french, 2, &error));
  g_assert_cmpuint (rc_cdtext_languages_in_use (cdtext, codes), ==, 2);
  g_assert_cmpmem (codes, 2, german_french, 2);

  g_assert_false (rc_cdtext_replace_languages (cdtext, too_high, 2, &error));
  g_assert_cmpstr (error->message, ==,
                   "CD-TEXT language code 0x80 of block 1 is out of range 0x00 to 0x7F");
  g_clear_error (&error);
  g_assert_false (rc_cdtext_replace_languages (cdtext, nine, 9, &error));
  g_assert_cmpstr (error->message, ==, "9 CD-TEXT language codes; there are at most 8 blocks");
  g_clear_error (&error);
  g_assert_cmpuint (rc_cdtext_get_language (cdtext, 0), ==, 0x08);
  g_assert_cmpuint (rc_cdtext_get_language (cdtext, 1), ==, 0x0F);

  /* codes not given return to the defaults; a block with text is in use
   * whatever its code */
  g_assert_true (rc_cdtext_replace_languages (cdtext, NULL, 0, &error));
  g_assert_cmpuint (rc_cdtext_get_language (cdtext, 0), ==, 0x09);
  g_assert_cmpuint (rc_cdtext_get_language (cdtext, 1), ==, 0x00);
  g_assert_true (rc_cdtext_set (cdtext, 4, 7, RC_CDTEXT_FIELD_TITLE, "x", NULL));
  g_assert_cmpuint (rc_cdtext_languages_in_use (cdtext, codes), ==, 5);
}

/* The character code of a block, for the whole block and for the fields a
 * CUE sheet carries. */
static void
test_block_charset (void)
{
  static const RcCdTextField cue_fields[] = {
    RC_CDTEXT_FIELD_TITLE, RC_CDTEXT_FIELD_PERFORMER, RC_CDTEXT_FIELD_SONGWRITER,
  };
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *latin1 = NULL;
  RcCdTextCharset charset;

  g_assert_true (rc_cdtext_set (cdtext, 0, 1, RC_CDTEXT_FIELD_TITLE, "plain", NULL));
  g_assert_true (rc_cdtext_set (cdtext, 0, 0, RC_CDTEXT_FIELD_GENRE, "Rock", NULL));
  g_assert_true (rc_cdtext_block_charset (cdtext, 0, 1, 2, NULL, 0, &charset, &error));
  g_assert_cmpuint (charset, ==, RC_CDTEXT_CHARSET_ASCII);

  g_assert_true (rc_cdtext_set (cdtext, 0, 2, RC_CDTEXT_FIELD_MESSAGE, "Caf\xc3\xa9", NULL));
  g_assert_true (rc_cdtext_block_charset (cdtext, 0, 1, 2, NULL, 0, &charset, &error));
  g_assert_cmpuint (charset, ==, RC_CDTEXT_CHARSET_ISO_8859_1);
  g_assert_true (rc_cdtext_block_charset (cdtext, 0, 1, 2, cue_fields, 3, &charset, &error));
  g_assert_cmpuint (charset, ==, RC_CDTEXT_CHARSET_ASCII);

  /* outside the range asked for: not looked at */
  g_assert_true (rc_cdtext_set (cdtext, 0, 3, RC_CDTEXT_FIELD_TITLE, "\xe5\xa4\x9c", NULL));
  g_assert_true (rc_cdtext_block_charset (cdtext, 0, 1, 2, NULL, 0, &charset, &error));
  g_assert_cmpuint (charset, ==, RC_CDTEXT_CHARSET_ISO_8859_1);
  g_assert_false (rc_cdtext_block_charset (cdtext, 0, 1, 3, NULL, 0, &charset, &error));
  g_assert_cmpstr (error->message, ==,
                   "CD-TEXT block 0 cannot use one character code: the title of track 3 "
                   "(\"\xe5\xa4\x9c\") cannot be encoded in ISO-8859-1 and the message of "
                   "track 2 (\"Caf\xc3\xa9\") cannot be encoded in MS-JIS");
  g_clear_error (&error);
  g_assert_true (rc_cdtext_set (cdtext, 0, 2, RC_CDTEXT_FIELD_MESSAGE, NULL, NULL));
  g_assert_true (rc_cdtext_block_charset (cdtext, 0, 1, 3, NULL, 0, &charset, &error));
  g_assert_cmpuint (charset, ==, RC_CDTEXT_CHARSET_MS_JIS);

  latin1 = rc_cdtext_to_latin1 ("Caf\xc3\xa9");
  g_assert_cmpstr (latin1, ==, "Caf\xe9");
  g_assert_null (rc_cdtext_to_latin1 ("\xe5\xa4\x9c"));
}

static void
test_set_refusals (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;

  assert_set_fails (0, 3, RC_CDTEXT_FIELD_TITLE, "Shalom שלום",
                    "CD-TEXT title of track 3 cannot be encoded in ISO-8859-1 or MS-JIS");
  assert_set_fails (1, 0, RC_CDTEXT_FIELD_PERFORMER, "Smile \xf0\x9f\x98\x80",
                    "CD-TEXT performer of the disc in block 1 cannot be encoded in "
                    "ISO-8859-1 or MS-JIS");
  assert_set_fails (0, 2, RC_CDTEXT_FIELD_TITLE, "Tab\there",
                    "CD-TEXT title of track 2 contains the control character U+0009");
  assert_set_fails (0, 2, RC_CDTEXT_FIELD_MESSAGE, "bad \xff utf-8",
                    "CD-TEXT message of track 2 is not valid UTF-8");
  assert_set_fails (0, 0, RC_CDTEXT_FIELD_GENRE, "Música",
                    "CD-TEXT genre of the disc \"Música\" must be 7-bit ASCII");
  assert_set_fails (0, 1, RC_CDTEXT_FIELD_GENRE, "Rock",
                    "CD-TEXT genre belongs to the disc, not to track 1");
  assert_set_fails (8, 0, RC_CDTEXT_FIELD_TITLE, "x",
                    "CD-TEXT block 8 is out of range 0 to 7");
  assert_set_fails (0, 100, RC_CDTEXT_FIELD_TITLE, "x",
                    "CD-TEXT track 100 is out of range 0 (the disc) to 99");
  assert_set_fails (0, 0, 0x86, "x", "CD-TEXT field 0x86 is not supported");
  assert_set_fails_full (0, 4, RC_CDTEXT_FIELD_UPC_ISRC, "US-RC1-76",
                         "CD-TEXT ISRC of track 4: ", TRUE);
  assert_set_fails_full (0, 0, RC_CDTEXT_FIELD_UPC_ISRC, "0724384260728",
                         "CD-TEXT UPC/EAN of the disc: ", TRUE);

  /* a text that cannot fit a block even alone: 3036 characters and NUL
   * need 254 packs of 12 bytes; a genre takes 2 bytes of code as well */
  {
    g_autofree char *long_text = g_strnfill (3036, 'a');
    g_autofree char *long_genre = g_strnfill (3034, 'g');
    g_autofree char *long_latin1 = g_strnfill (3036, 'a');

    assert_set_fails (0, 0, RC_CDTEXT_FIELD_TITLE, long_text,
                      "CD-TEXT title of the disc alone needs 254 packs; at most 253 fit in a block");
    assert_set_fails (0, 0, RC_CDTEXT_FIELD_GENRE, long_genre,
                      "CD-TEXT genre of the disc alone needs 254 packs; at most 253 fit in a block");
    /* counted in the encoded bytes: é is 2 bytes of UTF-8 but 1 of Latin-1 */
    long_latin1[3034] = '\0';
    {
      g_autofree char *accented = g_strconcat (long_latin1, "\xc3\xa9", NULL);
      g_assert_true (rc_cdtext_set (cdtext, 0, 1, RC_CDTEXT_FIELD_TITLE, accented, &error));
      g_assert_no_error (error);
    }
  }

  g_assert_false (rc_cdtext_set_language (cdtext, 0, 0x80, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rc_cdtext_set_copyright (cdtext, 9, TRUE, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
}

static void
assert_encode_fails (RcCdText *cdtext, guint first, guint last, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) packs = rc_cdtext_encode (cdtext, first, last, &error);

  g_assert_null (packs);
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_encode_refusals (void)
{
  g_autoptr(RcCdText) cdtext = rc_cdtext_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) titles = titles_filling (77);

  /* é has no MS-JIS code, Ж no Latin-1 code: each alone is fine, together
   * in one block they cannot share a character code */
  g_assert_true (rc_cdtext_set (cdtext, 0, 1, RC_CDTEXT_FIELD_TITLE, "Café", &error));
  g_assert_true (rc_cdtext_set (cdtext, 0, 3, RC_CDTEXT_FIELD_PERFORMER, "Жанна", &error));
  g_assert_no_error (error);
  assert_encode_fails (cdtext, 1, 3,
                       "CD-TEXT block 0 cannot use one character code: the performer of "
                       "track 3 (\"Жанна\") cannot be encoded in ISO-8859-1 and the title of "
                       "track 1 (\"Café\") cannot be encoded in MS-JIS");
  /* in different blocks they can */
  g_assert_true (rc_cdtext_set (cdtext, 0, 3, RC_CDTEXT_FIELD_PERFORMER, NULL, &error));
  g_assert_true (rc_cdtext_set (cdtext, 1, 3, RC_CDTEXT_FIELD_PERFORMER, "Жанна", &error));
  {
    g_autoptr(GBytes) packs = rc_cdtext_encode (cdtext, 1, 3, &error);
    g_assert_no_error (error);
    g_assert_nonnull (packs);
  }

  /* text for a track the disc lacks */
  assert_encode_fails (cdtext, 1, 2,
                       "CD-TEXT performer of track 3 in block 1 is set but the disc has tracks 1 to 2");
  assert_encode_fails (cdtext, 2, 3,
                       "CD-TEXT title of track 1 is set but the disc has tracks 2 to 3");
  assert_encode_fails (cdtext, 0, 3, "CD-TEXT track range 0 to 3 is not within 1 to 99");

  /* one text that fits alone, but not with the track's "" after it */
  {
    g_autoptr(RcCdText) one = rc_cdtext_new ();
    g_autofree char *long_text = g_strnfill (3035, 'a');

    g_assert_true (rc_cdtext_set (one, 0, 0, RC_CDTEXT_FIELD_TITLE, long_text, &error));
    g_assert_no_error (error);
    assert_encode_fails (one, 1, 1, "CD-TEXT block 0 needs 254 packs; at most 253 fit");
  }

  /* 254 text packs */
  {
    g_autoptr(RcCdText) full = rc_cdtext_new ();
    for (guint i = 0; i < titles->len; i++)
      g_assert_true (rc_cdtext_set (full, 0, i, RC_CDTEXT_FIELD_TITLE,
                                    g_ptr_array_index (titles, i), NULL));
    assert_encode_fails (full, 1, 99, "CD-TEXT block 0 needs 254 packs; at most 253 fit");
  }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (burn_initialize (), ==, 1);
  /* libburn's refusal of 253 text packs is expected; keep stderr quiet */
  burn_msgs_set_severities ("NEVER", getenv ("BURN_VERBOSE") ? "ALL" : "NEVER", "test-cdtext");

  g_test_add_func ("/cdtext/known-answer/crc", test_crc_known_answer);
  g_test_add_func ("/cdtext/known-answer/symbols", test_symbols_known_answer);
  g_test_add_func ("/cdtext/libburn/english-three-tracks", test_english_three_tracks);
  g_test_add_func ("/cdtext/libburn/long-strings", test_long_strings);
  g_test_add_func ("/cdtext/libburn/repeated-performer", test_repeated_performer);
  g_test_add_func ("/cdtext/libburn/two-languages", test_two_languages);
  g_test_add_func ("/cdtext/libburn/latin1", test_latin1);
  g_test_add_func ("/cdtext/libburn/genre", test_genre);
  g_test_add_func ("/cdtext/libburn/upc-isrc", test_upc_isrc);
  g_test_add_func ("/cdtext/libburn/empty-fields", test_empty_fields);
  g_test_add_func ("/cdtext/libburn/all-fields-start-track", test_all_fields_start_track);
  g_test_add_func ("/cdtext/libburn/ms-jis", test_ms_jis);
  g_test_add_func ("/cdtext/libburn/full-block", test_full_block);
  g_test_add_func ("/cdtext/differs/253-text-packs", test_253_text_packs);
  g_test_add_func ("/cdtext/differs/track-text-without-disc-text", test_track_text_without_disc_text);
  g_test_add_func ("/cdtext/differs/ms-jis-missing-track-text", test_ms_jis_missing_track_text);
  g_test_add_func ("/cdtext/differs/ms-jis-other-fields", test_ms_jis_other_fields);
  g_test_add_func ("/cdtext/differs/language-of-absent-block", test_language_of_absent_block);
  g_test_add_func ("/cdtext/api/set-get", test_set_get);
  g_test_add_func ("/cdtext/api/set-refusals", test_set_refusals);
  g_test_add_func ("/cdtext/api/encode-refusals", test_encode_refusals);
  g_test_add_func ("/cdtext/api/field-names", test_field_names);
  g_test_add_func ("/cdtext/api/replace", test_replace);
  g_test_add_func ("/cdtext/api/languages", test_languages);
  g_test_add_func ("/cdtext/api/block-charset", test_block_charset);

  ret = g_test_run ();
  burn_finish ();
  return ret;
}
