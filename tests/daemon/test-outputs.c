/* test-outputs.c: what an image carries beyond the audio and the forms it
 * goes out in, through the bus: CD-TEXT (CdText, CdTextLanguages on the
 * creator and its tracks), DiscIds, AddSubcodeRWGenerator, the side
 * formats of CreateResultImage (cue, toc, clonecd), GetSideFiles and
 * Manager.InspectImage.
 *
 * Expected values are computed here, independently of the engine: disc ids
 * by their formulas (cd-format.md §11, SHA-1 with GChecksum), the side
 * formats' data files from the full image the daemon writes (its main
 * channel from LBA 0; its subchannel de-interleaved here), positions from
 * the lengths of the audio fixtures.
 */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FULL_SECTOR  2448
#define AUDIO_SECTOR 2352
#define SUB_SECTOR   96

#define MCN  "0012345678905"
#define ISRC "USABC0612345"

static void
set_fails (GDBusConnection *c, const char *path, const char *iface, const char *prop,
           GVariant *value, const char *name, const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_variant_print (g_variant_ref_sink (value), TRUE);

  if (td_set (c, path, iface, prop, value, &error))
    g_error ("Set %s = %s succeeded; expected %s", prop, shown, name);
  g_variant_unref (value);
  td_assert_error (error, name);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("Set %s = %s: the message \"%s\" does not mention \"%s\"", prop, shown,
             error->message, in_message);
}

/* CreateResultImage(output, options) with format (NULL: none) and, when
 * sub >= 0, option subchannel. */
static char *
create_image (GDBusConnection *c, const char *creator, const char *format, int out, int sub,
              GError **error)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr(GVariant) reply = NULL;
  GVariantBuilder options;
  char *job = NULL;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_assert_cmpint (g_unix_fd_list_append (fds, out, NULL), ==, 0);
  if (format != NULL)
    g_variant_builder_add (&options, "{sv}", "format", g_variant_new_string (format));
  if (sub >= 0)
    {
      gint handle = g_unix_fd_list_append (fds, sub, NULL);

      g_assert_cmpint (handle, ==, 1);
      g_variant_builder_add (&options, "{sv}", "subchannel", g_variant_new_handle (handle));
    }
  reply = g_dbus_connection_call_with_unix_fd_list_sync (c, RAWCD_BUS_NAME, creator,
                                                         RAWCD_IFACE_CREATOR, "CreateResultImage",
                                                         g_variant_new ("(h@a{sv})", 0,
                                                                        g_variant_builder_end (&options)),
                                                         G_VARIANT_TYPE ("(o)"),
                                                         G_DBUS_CALL_FLAGS_NONE,
                                                         td_call_timeout_ms (), fds, NULL,
                                                         NULL, error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(o)", &job);
  return job;
}

/* Writes an image and waits for its job to succeed; returns TotalSectors. */
static guint64
write_image (GDBusConnection *c, const char *creator, const char *format, int out, int sub)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  g_autofree char *job = create_image (c, creator, format, out, sub, &error);
  g_autofree char *message = NULL;
  gboolean success = FALSE;

  g_assert_no_error (error);
  if (!td_job_watch_wait (watch, job, 300, &success, &message))
    g_error ("job %s (format %s) did not complete", job, format);
  if (!success)
    g_error ("job %s (format %s) failed: %s", job, format, message);
  return td_get_t (c, job, RAWCD_IFACE_JOB, "TotalSectors");
}

static void
create_image_fails (GDBusConnection *c, const char *creator, const char *format, int out,
                    int sub, const char *name, const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job = create_image (c, creator, format, out, sub, &error);

  if (job != NULL)
    g_error ("CreateResultImage (format %s) succeeded: %s; expected %s", format, job, name);
  td_assert_error (error, name);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("CreateResultImage (format %s): the message \"%s\" does not mention \"%s\"",
             format, error->message, in_message);
}

static GMappedFile *
map_fd (int fd)
{
  g_autoptr(GError) error = NULL;
  GMappedFile *map = g_mapped_file_new_from_fd (fd, FALSE, &error);

  g_assert_no_error (error);
  return map;
}

/* A memfd holding len bytes of data. */
static int
memfd_with (const char *name, const void *data, gsize len)
{
  int fd = td_memfd (name);

  g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
  g_assert_cmpint (lseek (fd, 0, SEEK_SET), ==, 0);
  return fd;
}

static int
copy_fd (int fd)
{
  g_autoptr(GMappedFile) map = map_fd (fd);

  return memfd_with ("copy", g_mapped_file_get_contents (map), g_mapped_file_get_length (map));
}

/* ---- CD-TEXT ------------------------------------------------------------ */

static GVariant *
get_value (GDBusConnection *c, const char *path, const char *iface, const char *prop,
           const char *type)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = td_get (c, path, iface, prop, &error);

  g_assert_no_error (error);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
    g_error ("%s is of type %s, the contract says %s", prop,
             g_variant_get_type_string (value), type);
  return value;
}

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

static GVariant *
cdtext_value (const char *const *block0, const char *const *block1)
{
  GVariantBuilder blocks;

  g_variant_builder_init (&blocks, G_VARIANT_TYPE ("aa{ss}"));
  for (const char *const *b = block0; b != NULL; b = (b == block0 ? block1 : NULL))
    {
      g_variant_builder_open (&blocks, G_VARIANT_TYPE ("a{ss}"));
      for (guint i = 0; b[i] != NULL; i += 2)
        g_variant_builder_add (&blocks, "{ss}", b[i], b[i + 1]);
      g_variant_builder_close (&blocks);
    }
  return g_variant_builder_end (&blocks);
}

static void
assert_languages (GDBusConnection *c, const char *creator, const guint8 *codes, gsize n)
{
  g_autoptr(GVariant) value = get_value (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages", "ay");
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
  g_autoptr(GVariant) empty = get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
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
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (disc0, disc1));
  td_set_ok (c, track, RAWCD_IFACE_TRACK, "CdText", cdtext_value (track0, NULL));

  {
    g_autoptr(GVariant) disc = get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
    g_autoptr(GVariant) t = get_value (c, track, RAWCD_IFACE_TRACK, "CdText", "aa{ss}");

    g_assert_cmpuint (g_variant_n_children (disc), ==, 2);
    /* the UPC/EAN comes back as 13 digits */
    assert_block (disc, 0, "title", "Album", "performer", "Artist", "genre", "Ambient",
                  "upc_ean", "0012345678905", NULL);
    assert_block (disc, 1, "title", "Titel", NULL);
    /* NFC, and the ISRC as its 12 characters */
    g_assert_cmpuint (g_variant_n_children (t), ==, 1);
    assert_block (t, 0, "title", "Caf\xc3\xa9", "isrc", ISRC, "composer", "Someone", NULL);
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

    td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (only, NULL));
    disc = get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
    g_assert_cmpuint (g_variant_n_children (disc), ==, 1);
    assert_block (disc, 0, "title", "Album 2", NULL);
  }
  /* The code stays; the track's text is untouched */
  assert_languages (c, creator, english_german, sizeof english_german);
  {
    g_autoptr(GVariant) t = get_value (c, track, RAWCD_IFACE_TRACK, "CdText", "aa{ss}");
    assert_block (t, 0, "title", "Caf\xc3\xa9", "isrc", ISRC, "composer", "Someone", NULL);
  }
  /* Fewer codes: the others return to their defaults */
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages",
             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, english, 1, 1));
  assert_languages (c, creator, english, sizeof english);
}

static void
test_cdtext_errors (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *track = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  const char *const good[] = { "title", "Kept", NULL };
  const char *const unknown[] = { "title", "Lost", "colour", "blue", NULL };
  const char *const disc_isrc[] = { "isrc", ISRC, NULL };
  const char *const track_genre[] = { "genre", "Jazz", NULL };
  const char *const control[] = { "title", "a\tb", NULL };
  const char *const bad_upc[] = { "upc_ean", "0012345678900", NULL };
  static const guint8 too_high[] = { 0x09, 0x80 };
  static const guint8 nine[9] = { 9, 9, 9, 9, 9, 9, 9, 9, 9 };
  static const guint8 english[] = { 0x09 };
  GVariantBuilder blocks;

  td_add_track_ok (c, creator, "a.wav", &track);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (good, NULL));

  set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (unknown, NULL),
             "InvalidArgument", "colour");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (good, unknown),
             "InvalidArgument", "block 1");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (disc_isrc, NULL),
             "InvalidArgument", "isrc");
  set_fails (c, track, RAWCD_IFACE_TRACK, "CdText", cdtext_value (track_genre, NULL),
             "InvalidArgument", "genre");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (control, NULL),
             "InvalidArgument", "title");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (bad_upc, NULL),
             "InvalidArgument", NULL);
  g_variant_builder_init (&blocks, G_VARIANT_TYPE ("aa{ss}"));
  for (guint b = 0; b < 9; b++)
    {
      g_variant_builder_open (&blocks, G_VARIANT_TYPE ("a{ss}"));
      g_variant_builder_add (&blocks, "{ss}", "title", "x");
      g_variant_builder_close (&blocks);
    }
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdText", g_variant_builder_end (&blocks),
             "InvalidArgument", NULL);
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages",
             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, too_high, 2, 1),
             "InvalidArgument", "0x80");
  set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages",
             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, nine, 9, 1),
             "InvalidArgument", NULL);

  /* All or nothing: the text and the codes are as before */
  {
    g_autoptr(GVariant) disc = get_value (c, creator, RAWCD_IFACE_CREATOR, "CdText", "aa{ss}");
    g_autoptr(GVariant) t = get_value (c, track, RAWCD_IFACE_TRACK, "CdText", "aa{ss}");

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

    job = create_image (c, creator, NULL, out, -1, &error);
    g_assert_no_error (error);
    set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (good, NULL), "ReadOnly", NULL);
    set_fails (c, track, RAWCD_IFACE_TRACK, "CdText", cdtext_value (good, NULL), "ReadOnly", NULL);
    set_fails (c, creator, RAWCD_IFACE_CREATOR, "CdTextLanguages",
               g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, english, 1, 1), "ReadOnly", NULL);
    g_assert_true (td_job_watch_wait (watch, job, 300, NULL, NULL));
    close (out);
  }
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
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (latin, NULL));
  td_set_ok (c, track, RAWCD_IFACE_TRACK, "CdText", cdtext_value (japanese, NULL));

  create_image_fails (c, creator, NULL, out, -1, "InvalidArgument", "block 0");
  create_image_fails (c, creator, NULL, out, -1, "InvalidArgument", "title of track 1");
  create_image_fails (c, creator, NULL, out, -1, "InvalidArgument", "title of the disc");
  files = td_call (c, creator, RAWCD_IFACE_CREATOR, "GetSideFiles",
                   g_variant_new ("(ss@a{sv})", "cue", "x.bin", td_no_options ()),
                   G_VARIANT_TYPE ("(a{say})"), &error);
  g_assert_null (files);
  td_assert_error (error, "InvalidArgument");
  g_assert_cmpint (td_fd_size (out), ==, 0);

  /* Not frozen: the text can be fixed and the image made */
  td_set_ok (c, track, RAWCD_IFACE_TRACK, "CdText", cdtext_value (romaji, NULL));
  g_assert_cmpuint (write_image (c, creator, NULL, out, -1), ==, 22650 + 750 + 6750);
  g_assert_cmpint (td_fd_size (out), ==, (gint64) (22650 + 750 + 6750) * FULL_SECTOR);
  close (out);
}

/* ---- DiscIds ------------------------------------------------------------ */

static guint
digit_sum (guint n)
{
  guint s = 0;

  for (; n > 0; n /= 10)
    s += n % 10;
  return s;
}

typedef struct {
  GMainContext *context;
  gboolean      seen;
} ChangedData;

static void
on_properties_changed (GDBusConnection *conn, const char *sender, const char *path,
                       const char *iface, const char *signal, GVariant *params, gpointer data)
{
  ChangedData *changed = data;
  g_autoptr(GVariant) props = NULL;
  const char *interface_name;

  g_variant_get (params, "(&s@a{sv}as)", &interface_name, &props, NULL);
  if (g_str_equal (interface_name, RAWCD_IFACE_CREATOR)
      && g_variant_lookup_value (props, "DiscIds", NULL) != NULL)
    {
      g_autoptr(GVariant) ids = g_variant_lookup_value (props, "DiscIds", G_VARIANT_TYPE ("a{ss}"));
      changed->seen = ids != NULL && g_variant_n_children (ids) == 3;
    }
}

static gboolean
changed_seen (gpointer data)
{
  return ((ChangedData *) data)->seen;
}

static char *
lookup_id (GVariant *ids, const char *key)
{
  char *value = NULL;

  if (!g_variant_lookup (ids, key, "s", &value))
    g_error ("DiscIds has no \"%s\"", key);
  return value;
}

/* Three tracks of 750, 375 and 600 sectors, gapless: index 1 at LBA 0, 750
 * and 1125, the lead-out at 1725 (offsets + 150: 150, 900, 1275; 1875). */
static void
test_disc_ids (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autoptr(GVariant) none = get_value (c, creator, RAWCD_IFACE_CREATOR, "DiscIds", "a{ss}");
  g_autoptr(GVariant) ids = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autoptr(GString) toc = g_string_new (NULL);
  g_autofree char *cddb = NULL, *mb = NULL, *ar = NULL;
  g_autofree char *expected_cddb = NULL, *expected_ar = NULL, *expected_mb = NULL;
  const char *audio[] = { "a.wav", "e5.wav", "b.flac" };
  const gint lba[] = { 0, 750, 1125 };
  const gint leadout = 1725;
  guint offsets[3], n = 0, t;
  guint32 id1 = 0, id2 = 0, freedb;
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  ChangedData changed = { NULL, FALSE };
  guint subscription = 0;

  g_assert_cmpuint (g_variant_n_children (none), ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *track = NULL;

      if (i == 2)
        {
          /* The last AddTrack changes the ids: PropertiesChanged says so */
          subscription = g_dbus_connection_signal_subscribe (c, NULL,
                                                             "org.freedesktop.DBus.Properties",
                                                             "PropertiesChanged", creator, NULL,
                                                             G_DBUS_SIGNAL_FLAGS_NONE,
                                                             on_properties_changed, &changed, NULL);
        }
      td_add_track_ok (c, creator, audio[i], &track);
      g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "StartingLba"), ==, lba[i]);
      offsets[i] = (guint) lba[i] + 150;
    }
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, leadout);
  if (!td_wait_until (NULL, changed_seen, &changed, 10000 * td_slowdown ()))
    g_error ("no PropertiesChanged with DiscIds after AddTrack");
  g_dbus_connection_signal_unsubscribe (c, subscription);

  /* freedb: digit sums of the starts in seconds, the length in seconds */
  for (guint i = 0; i < 3; i++)
    n += digit_sum (offsets[i] / 75);
  t = (leadout + 150) / 75 - offsets[0] / 75;
  freedb = ((n % 255) << 24) | (t << 8) | 3;
  expected_cddb = g_strdup_printf ("%08x", freedb);
  g_assert_cmpstr (expected_cddb, ==, "0d001703");   /* by hand: n = 2+3+8, t = 23 */

  /* MusicBrainz: SHA-1 of first, last, lead-out and 99 offsets in hex */
  g_string_append_printf (toc, "%02X%02X%08X", 1, 3, leadout + 150);
  for (guint i = 1; i <= 99; i++)
    g_string_append_printf (toc, "%08X", i <= 3 ? offsets[i - 1] : 0);
  g_checksum_update (sha1, (const guchar *) toc->str, (gssize) toc->len);
  g_checksum_get_digest (sha1, digest, &digest_len);
  expected_mb = g_base64_encode (digest, digest_len);
  g_strdelimit (expected_mb, "+", '.');
  g_strdelimit (expected_mb, "/", '_');
  g_strdelimit (expected_mb, "=", '-');
  g_assert_cmpuint (strlen (expected_mb), ==, 28);

  /* AccurateRip: LBAs (offset - 150) */
  for (guint i = 0; i < 3; i++)
    {
      id1 += (guint32) lba[i];
      id2 += (guint32) MAX (lba[i], 1) * (i + 1);
    }
  id1 += (guint32) leadout;
  id2 += (guint32) leadout * 4;
  expected_ar = g_strdup_printf ("%03u-%08x-%08x-%08x", 3u, id1, id2, freedb);
  g_assert_cmpstr (expected_ar, ==, "003-00000e10-00002e00-0d001703");

  ids = get_value (c, creator, RAWCD_IFACE_CREATOR, "DiscIds", "a{ss}");
  g_assert_cmpuint (g_variant_n_children (ids), ==, 3);
  cddb = lookup_id (ids, "cddb");
  mb = lookup_id (ids, "musicbrainz");
  ar = lookup_id (ids, "accuraterip");
  g_assert_cmpstr (cddb, ==, expected_cddb);
  g_assert_cmpstr (mb, ==, expected_mb);
  g_assert_cmpstr (ar, ==, expected_ar);
}

/* ---- AddSubcodeRWGenerator ---------------------------------------------- */

static GVariant *inspect      (GDBusConnection *c, int image, int sub, GVariant *extra_options,
                               GError **error);
static gboolean  report_clean (GVariant *report);
static guint32   r_u          (GVariant *dict, const char *key);

/* A generator stream for `sectors` image sectors: symbols with the top two
 * bits clear. */
static int
rw_memfd (guint sectors)
{
  gsize len = (gsize) sectors * SUB_SECTOR;
  g_autofree guint8 *buf = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    buf[i] = (guint8) ((i * 5 + i / 96 * 3 + 1) & 0x3f);
  return memfd_with ("rw", buf, len);
}

static GVariant *
add_rw (GDBusConnection *c, const char *creator, int fd, GError **error)
{
  return td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "AddSubcodeRWGenerator",
                     g_variant_new ("(h@a{sv})", 0, td_no_options ()), G_VARIANT_TYPE ("()"),
                     fd, error);
}

static void
test_rw_generator (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  const guint sectors = 22650 + 375 + 6750;
  g_autofree char *with = td_create_session (c, NULL);
  g_autofree char *without = td_create_session (c, NULL);
  g_autofree char *wrong = td_create_session (c, NULL);
  g_autofree char *pq = td_create_session (c, NULL);
  g_autofree char *expected = g_strdup_printf ("%u bytes", sectors * SUB_SECTOR);
  g_autoptr(GMappedFile) map_with = NULL, map_without = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  int rw = rw_memfd (sectors);
  int rw_short = rw_memfd (sectors - 1);
  int out_with = td_memfd ("with"), out_without = td_memfd ("without"), out = td_memfd ("out");
  const guint8 *a, *b;
  gboolean sub_differs = FALSE;

  /* IS_RAW with and without a generator of the right length */
  td_add_track_ok (c, with, "e5.wav", NULL);
  reply = add_rw (c, with, rw, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  td_add_track_ok (c, without, "e5.wav", NULL);
  write_image (c, with, NULL, out_with, -1);
  write_image (c, without, NULL, out_without, -1);
  g_assert_cmpint (td_fd_size (out_with), ==, (gint64) sectors * FULL_SECTOR);
  g_assert_cmpint (td_fd_size (out_without), ==, (gint64) sectors * FULL_SECTOR);

  /* The same audio; R-W bits that differ */
  map_with = map_fd (out_with);
  map_without = map_fd (out_without);
  a = (const guint8 *) g_mapped_file_get_contents (map_with);
  b = (const guint8 *) g_mapped_file_get_contents (map_without);
  for (guint s = 0; s < sectors; s++)
    {
      const guint8 *sa = a + (gsize) s * FULL_SECTOR, *sb = b + (gsize) s * FULL_SECTOR;

      if (memcmp (sa, sb, AUDIO_SECTOR) != 0)
        g_error ("sector %u: the main channel differs with an R-W generator", s);
      for (guint i = AUDIO_SECTOR; i < FULL_SECTOR; i++)
        {
          /* P and Q (bits 7, 6) are the same, R-W (bits 5..0) are not */
          g_assert_cmphex (sa[i] & 0xc0, ==, sb[i] & 0xc0);
          if ((sa[i] & 0x3f) != (sb[i] & 0x3f))
            sub_differs = TRUE;
        }
    }
  g_assert_true (sub_differs);

  /* The inspector finds the R-W coded as IS_RAW codes it */
  {
    g_autoptr(GVariant) report = inspect (c, out_with, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (report_clean (report));
    g_assert_cmpuint (r_u (report, "image_type"), ==, 3);
  }

  /* Wrong length: refused with the expected length when the image is
   * requested; the session stays open */
  td_add_track_ok (c, wrong, "e5.wav", NULL);
  reply = add_rw (c, wrong, rw_short, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  create_image_fails (c, wrong, NULL, out, -1, "InvalidArgument", expected);
  create_image_fails (c, wrong, "clonecd", out, out, "InvalidArgument", expected);
  g_assert_cmpint (td_fd_size (out), ==, 0);
  reply = add_rw (c, wrong, rw, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);

  /* PQ_ONLY has no R-W */
  td_set_ok (c, pq, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1));
  reply = add_rw (c, pq, rw, &error);
  g_assert_null (reply);
  td_assert_error (error, "InvalidArgument");
  g_clear_error (&error);

  /* Not a file that can be read at positions: a pipe; not readable */
  {
    int p[2];
    int wronly = open ("/dev/null", O_WRONLY | O_CLOEXEC);

    g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
    reply = add_rw (c, wrong, p[0], &error);
    g_assert_null (reply);
    td_assert_error (error, "InvalidArgument");
    g_clear_error (&error);
    reply = add_rw (c, wrong, wronly, &error);
    g_assert_null (reply);
    td_assert_error (error, "InvalidArgument");
    g_clear_error (&error);
    close (p[0]);
    close (p[1]);
    close (wronly);
  }

  close (rw);
  close (rw_short);
  close (out_with);
  close (out_without);
  close (out);
}

/* ---- side formats --------------------------------------------------------- */

/* Two tracks (750 + 375 sectors), MCN, an ISRC, an index, CD-TEXT. */
static const TdDiscSpec side_spec = {
  .mcn = MCN,
  .n_tracks = 2,
  .tracks = {
    { .audio = "a.wav", .isrc = ISRC, .copy = 0, .preemphasis = -1,
      .n_indexes = 1, .indexes = { 300 } },
    { .audio = "e5.wav", .copy = 2, .preemphasis = 1 },
  },
};
#define SIDE_LEADOUT 1125

static char *
side_disc (GDBusConnection *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_spec_create (c, &side_spec, &error);
  const char *const disc[] = { "title", "Caf\xc3\xa9 Album", "performer", "Ensemble", NULL };

  g_assert_no_error (error);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", cdtext_value (disc, NULL));
  return g_steal_pointer (&creator);
}

/* The BIN (or .img) is the full image's main channel from LBA 0 to the
 * lead-out. */
static void
assert_bin_is_main_channel (int bin, int full, gint leadout)
{
  g_autoptr(GMappedFile) bin_map = map_fd (bin);
  g_autoptr(GMappedFile) full_map = map_fd (full);
  const guint8 *b = (const guint8 *) g_mapped_file_get_contents (bin_map);
  const guint8 *f = (const guint8 *) g_mapped_file_get_contents (full_map);

  g_assert_cmpuint (g_mapped_file_get_length (bin_map), ==, (gsize) leadout * AUDIO_SECTOR);
  for (gint lba = 0; lba < leadout; lba++)
    if (memcmp (b + (gsize) lba * AUDIO_SECTOR,
                f + (gsize) (lba + 22650) * FULL_SECTOR, AUDIO_SECTOR) != 0)
      g_error ("the data file's sector %d differs from the full image's LBA %d", lba, lba);
}

/* The TOC's data file: the full image's main channel from LBA 0 with
 * big-endian samples, each sector followed, with R-W (RW_RAW), by the full
 * IS_RAW image's 96 subchannel bytes. */
static void
assert_toc_data (int toc, int full, gint leadout, gboolean rw_raw)
{
  g_autoptr(GMappedFile) toc_map = map_fd (toc);
  g_autoptr(GMappedFile) full_map = map_fd (full);
  const guint8 *t = (const guint8 *) g_mapped_file_get_contents (toc_map);
  const guint8 *f = (const guint8 *) g_mapped_file_get_contents (full_map);
  gsize block = rw_raw ? FULL_SECTOR : AUDIO_SECTOR;

  g_assert_cmpuint (g_mapped_file_get_length (toc_map), ==, (gsize) leadout * block);
  for (gint lba = 0; lba < leadout; lba++)
    {
      const guint8 *b = t + (gsize) lba * block;
      const guint8 *s = f + (gsize) (lba + 22650) * FULL_SECTOR;

      for (guint i = 0; i < AUDIO_SECTOR; i += 2)
        if (b[i] != s[i + 1] || b[i + 1] != s[i])
          g_error ("the TOC data file's sector %d is not the full image's LBA %d big-endian",
                   lba, lba);
      if (rw_raw && memcmp (b + AUDIO_SECTOR, s + AUDIO_SECTOR, SUB_SECTOR) != 0)
        g_error ("the TOC data file's block %d has not the full image's subchannel", lba);
    }
}

/* The .sub is the full IS_RAW image's subchannel from LBA 0, de-interleaved
 * into P, Q, R..W, 12 bytes each. */
static void
assert_sub_is_subchannel (int sub, int full, gint leadout)
{
  g_autoptr(GMappedFile) sub_map = map_fd (sub);
  g_autoptr(GMappedFile) full_map = map_fd (full);
  const guint8 *s = (const guint8 *) g_mapped_file_get_contents (sub_map);
  const guint8 *f = (const guint8 *) g_mapped_file_get_contents (full_map);

  g_assert_cmpuint (g_mapped_file_get_length (sub_map), ==, (gsize) leadout * SUB_SECTOR);
  for (gint lba = 0; lba < leadout; lba++)
    {
      const guint8 *in = f + (gsize) (lba + 22650) * FULL_SECTOR + AUDIO_SECTOR;
      guint8 planar[SUB_SECTOR] = { 0 };

      for (guint n = 0; n < SUB_SECTOR; n++)
        for (guint ch = 0; ch < 8; ch++)
          if (in[n] & (0x80 >> ch))
            planar[12 * ch + n / 8] |= (guint8) (0x80 >> (n % 8));
      if (memcmp (planar, s + (gsize) lba * SUB_SECTOR, SUB_SECTOR) != 0)
        g_error (".sub sector %d is not the full image's subchannel de-interleaved", lba);
    }
}

static void
test_format_cue_toc (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = side_disc (c);
  int full = td_memfd ("full"), cue = td_memfd ("cue"), toc = td_memfd ("toc");
  int imapi = td_memfd ("imapi");

  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, SIDE_LEADOUT);
  g_assert_cmpuint (write_image (c, creator, NULL, full, -1), ==, 22650 + SIDE_LEADOUT + 6750);
  g_assert_cmpuint (write_image (c, creator, "imapi", imapi, -1), ==, 22650 + SIDE_LEADOUT + 6750);
  td_assert_fds_equal (full, imapi, FULL_SECTOR);
  g_assert_cmpuint (write_image (c, creator, "cue", cue, -1), ==, SIDE_LEADOUT);
  g_assert_cmpuint (write_image (c, creator, "toc", toc, -1), ==, SIDE_LEADOUT);

  assert_bin_is_main_channel (cue, full, SIDE_LEADOUT);
  assert_toc_data (toc, full, SIDE_LEADOUT, FALSE);
  close (full);
  close (imapi);
  close (cue);
  close (toc);
}

/* With R-W data the TOC's data file holds RW_RAW blocks: big-endian audio
 * and the IS_RAW subchannel, whatever ResultingImageType is. */
static void
test_format_toc_rw (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = side_disc (c);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  int rw = rw_memfd (22650 + SIDE_LEADOUT + 6750);
  int full = td_memfd ("full"), toc = td_memfd ("toc");

  reply = add_rw (c, creator, rw, &error);
  g_assert_no_error (error);
  write_image (c, creator, NULL, full, -1);
  g_assert_cmpuint (write_image (c, creator, "toc", toc, -1), ==, SIDE_LEADOUT);
  assert_toc_data (toc, full, SIDE_LEADOUT, TRUE);
  close (rw);
  close (full);
  close (toc);
}

static void
test_format_clonecd (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = side_disc (c);
  int full = td_memfd ("full"), img = td_memfd ("img"), sub = td_memfd ("sub");

  write_image (c, creator, NULL, full, -1);
  g_assert_cmpuint (write_image (c, creator, "clonecd", img, sub), ==, SIDE_LEADOUT);
  g_assert_cmpint (td_fd_size (sub), ==, (gint64) SIDE_LEADOUT * SUB_SECTOR);
  assert_bin_is_main_channel (img, full, SIDE_LEADOUT);
  assert_sub_is_subchannel (sub, full, SIDE_LEADOUT);
  close (full);
  close (img);
  close (sub);
}

/* The sub stays IS_RAW for a PQ_ONLY disc; the .img is the BIN. */
static void
test_format_clonecd_pq (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *pq = td_create_session (c, NULL);
  g_autofree char *raw = td_create_session (c, NULL);
  int full = td_memfd ("full"), img = td_memfd ("img"), sub = td_memfd ("sub");

  td_set_ok (c, pq, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1));
  td_add_track_ok (c, pq, "e5.wav", NULL);
  td_add_track_ok (c, raw, "e5.wav", NULL);
  write_image (c, raw, NULL, full, -1);
  write_image (c, pq, "clonecd", img, sub);
  assert_bin_is_main_channel (img, full, 375);
  assert_sub_is_subchannel (sub, full, 375);
  close (full);
  close (img);
  close (sub);
}

static void
test_format_errors (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  int out = td_memfd ("out"), sub = td_memfd ("sub");
  int readonly = open ("/dev/null", O_RDONLY | O_CLOEXEC);

  td_add_track_ok (c, creator, "e5.wav", NULL);
  create_image_fails (c, creator, "iso", out, -1, "InvalidArgument", "iso");
  create_image_fails (c, creator, "CUE", out, -1, "InvalidArgument", NULL);
  create_image_fails (c, creator, "clonecd", out, -1, "InvalidArgument", "subchannel");
  create_image_fails (c, creator, "cue", out, sub, "InvalidArgument", "subchannel");
  create_image_fails (c, creator, NULL, out, sub, "InvalidArgument", "subchannel");
  create_image_fails (c, creator, "clonecd", out, readonly, "InvalidArgument", "subchannel");
  /* Wrong type of the option */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply = NULL;
    GVariantBuilder options;

    g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add (&options, "{sv}", "format", g_variant_new_uint32 (1));
    reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "CreateResultImage",
                        g_variant_new ("(h@a{sv})", 0, g_variant_builder_end (&options)),
                        G_VARIANT_TYPE ("(o)"), out, &error);
    g_assert_null (reply);
    td_assert_error (error, "InvalidArgument");
  }
  g_assert_cmpint (td_fd_size (out), ==, 0);
  g_assert_cmpint (td_fd_size (sub), ==, 0);

  /* None of that froze the layout */
  td_add_track_ok (c, creator, "e5.wav", NULL);
  close (out);
  close (sub);
  close (readonly);
}

/* ---- GetSideFiles --------------------------------------------------------- */

static GVariant *
get_side_files (GDBusConnection *c, const char *creator, const char *format,
                const char *data_file, GVariant *options, GError **error)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *files = NULL;

  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "GetSideFiles",
                   g_variant_new ("(ss@a{sv})", format, data_file,
                                  options != NULL ? options : td_no_options ()),
                   G_VARIANT_TYPE ("(a{say})"), error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(@a{say})", &files);
  return files;
}

/* The one file of a reply, as a NUL-terminated copy of its bytes. */
static char *
only_file (GVariant *files, const char *kind)
{
  g_autoptr(GVariant) bytes = g_variant_lookup_value (files, kind, G_VARIANT_TYPE_BYTESTRING);
  gsize len = 0;
  const char *data;

  g_assert_cmpuint (g_variant_n_children (files), ==, 1);
  if (bytes == NULL)
    g_error ("GetSideFiles gave no \"%s\"", kind);
  data = g_variant_get_fixed_array (bytes, &len, 1);
  g_assert_cmpuint (len, >, 0);
  /* the file's bytes: no NUL inside or at the end */
  g_assert_null (memchr (data, '\0', len));
  return g_strndup (data, len);
}

static void
assert_has_line (const char *text, const char *line, const char *what)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (g_str_equal (g_strchug (lines[i]), line))
        return;
    }
  g_error ("the %s has no line \"%s\":\n%s", what, line, text);
}

static void
side_files_fail (GDBusConnection *c, const char *creator, const char *format,
                 const char *data_file, GVariant *options, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) files = get_side_files (c, creator, format, data_file, options, &error);

  if (files != NULL)
    g_error ("GetSideFiles(%s, %s) succeeded; expected %s", format, data_file, name);
  td_assert_error (error, name);
}

static void
test_side_files (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = side_disc (c);
  g_autoptr(GVariant) cue_files = NULL, toc_files = NULL, ccd_files = NULL, named = NULL;
  g_autofree char *cue = NULL, *toc = NULL, *ccd = NULL, *ccd_named = NULL;

  /* Refused before anything is frozen */
  side_files_fail (c, creator, "cue", "dir/x.bin", NULL, "InvalidArgument");
  side_files_fail (c, creator, "cue", "", NULL, "InvalidArgument");
  side_files_fail (c, creator, "cue", "x\".bin", NULL, "InvalidArgument");
  side_files_fail (c, creator, "iso", "x.bin", NULL, "InvalidArgument");
  side_files_fail (c, creator, "cue", "x.bin",
                   g_variant_new_parsed ("{'subchannel_file': <'x.sub'>}"), "InvalidArgument");
  side_files_fail (c, creator, "cue", "x.bin",
                   g_variant_new_parsed ("{'colour': <'blue'>}"), "InvalidArgument");
  td_add_track_ok (c, creator, "e5.wav", NULL);   /* still open: track 3 */

  cue_files = get_side_files (c, creator, "cue", "x.bin", NULL, &error);
  g_assert_no_error (error);
  cue = only_file (cue_files, "cue");
  assert_has_line (cue, "FILE \"x.bin\" BINARY", "CUE sheet");
  assert_has_line (cue, "TRACK 01 AUDIO", "CUE sheet");
  assert_has_line (cue, "INDEX 01 00:00:00", "CUE sheet");
  assert_has_line (cue, "INDEX 02 00:04:00", "CUE sheet");   /* offset 300 */
  assert_has_line (cue, "TRACK 02 AUDIO", "CUE sheet");
  assert_has_line (cue, "INDEX 00 00:08:00", "CUE sheet");   /* LBA 600 */
  assert_has_line (cue, "INDEX 01 00:10:00", "CUE sheet");   /* LBA 750 */
  assert_has_line (cue, "TRACK 03 AUDIO", "CUE sheet");
  assert_has_line (cue, "CATALOG " MCN, "CUE sheet");
  assert_has_line (cue, "ISRC " ISRC, "CUE sheet");
  /* ISO-8859-1 bytes, not UTF-8 */
  assert_has_line (cue, "TITLE \"Caf\xe9 Album\"", "CUE sheet");

  /* The layout is frozen now */
  {
    g_autoptr(GError) add_error = NULL;

    g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &add_error), ==, 0);
    td_assert_error (add_error, "ReadOnly");
  }

  toc_files = get_side_files (c, creator, "toc", "x.bin", NULL, &error);
  g_assert_no_error (error);
  toc = only_file (toc_files, "toc");
  assert_has_line (toc, "CD_DA", "TOC file");
  assert_has_line (toc, "CATALOG \"" MCN "\"", "TOC file");
  assert_has_line (toc, "ISRC \"" ISRC "\"", "TOC file");
  g_assert_nonnull (strstr (toc, "FILE \"x.bin\" 00:00:00"));
  g_assert_null (strstr (toc, "SWAP"));

  ccd_files = get_side_files (c, creator, "clonecd", "x.img", NULL, &error);
  g_assert_no_error (error);
  ccd = only_file (ccd_files, "ccd");
  assert_has_line (ccd, "[CloneCD]", "CloneCD file");
  assert_has_line (ccd, "CATALOG=" MCN, "CloneCD file");
  assert_has_line (ccd, "[TRACK 2]", "CloneCD file");
  assert_has_line (ccd, "INDEX 1=750", "CloneCD file");
  assert_has_line (ccd, "ISRC=" ISRC, "CloneCD file");
  named = get_side_files (c, creator, "clonecd", "x.img",
                          g_variant_new_parsed ("{'subchannel_file': <'x.sub'>}"), &error);
  g_assert_no_error (error);
  ccd_named = only_file (named, "ccd");
  g_assert_cmpstr (ccd_named, ==, ccd);

  /* CloneCD readers find BASE.img and BASE.sub by the control file */
  side_files_fail (c, creator, "clonecd", "x.bin", NULL, "InvalidArgument");
  side_files_fail (c, creator, "clonecd", "x.img",
                   g_variant_new_parsed ("{'subchannel_file': <'y.sub'>}"), "InvalidArgument");
  side_files_fail (c, creator, "clonecd", "x.img",
                   g_variant_new_parsed ("{'subchannel_file': <'d/x.sub'>}"), "InvalidArgument");
  side_files_fail (c, creator, "toc", "../x.bin", NULL, "InvalidArgument");
}

static void
test_side_files_no_tracks (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  side_files_fail (c, creator, "cue", "x.bin", NULL, "NoTracks");
  /* not frozen */
  td_add_track_ok (c, creator, "e5.wav", NULL);
}

/* ---- InspectImage --------------------------------------------------------- */

static GVariant *
inspect (GDBusConnection *c, int image, int sub, GVariant *extra_options, GError **error)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr(GVariant) reply = NULL;
  GVariantBuilder options;
  GVariant *report = NULL;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_assert_cmpint (g_unix_fd_list_append (fds, image, NULL), ==, 0);
  if (sub >= 0)
    g_variant_builder_add (&options, "{sv}", "subchannel",
                           g_variant_new_handle (g_unix_fd_list_append (fds, sub, NULL)));
  if (extra_options != NULL)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, extra_options);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_variant_builder_add (&options, "{sv}", key, value);
          g_variant_unref (value);
        }
      g_variant_unref (g_variant_ref_sink (extra_options));
    }
  reply = g_dbus_connection_call_with_unix_fd_list_sync (c, RAWCD_BUS_NAME, RAWCD_MANAGER_PATH,
                                                         RAWCD_IFACE_MANAGER, "InspectImage",
                                                         g_variant_new ("(h@a{sv})", 0,
                                                                        g_variant_builder_end (&options)),
                                                         G_VARIANT_TYPE ("(a{sv})"),
                                                         G_DBUS_CALL_FLAGS_NONE,
                                                         td_call_timeout_ms () * 4, fds, NULL,
                                                         NULL, error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(@a{sv})", &report);
  return report;
}

static GVariant *
report_value (GVariant *report, const char *key, const char *type)
{
  GVariant *value = g_variant_lookup_value (report, key, NULL);

  if (value == NULL)
    g_error ("the report has no \"%s\"", key);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
    g_error ("the report's \"%s\" is of type %s, the contract says %s", key,
             g_variant_get_type_string (value), type);
  return value;
}

static guint32
r_u (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = report_value (dict, key, "u");
  return g_variant_get_uint32 (v);
}

static gint32
r_i (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = report_value (dict, key, "i");
  return g_variant_get_int32 (v);
}

static guint64
r_t (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = report_value (dict, key, "t");
  return g_variant_get_uint64 (v);
}

static gboolean
r_b (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = report_value (dict, key, "b");
  return g_variant_get_boolean (v);
}

/* Valid while dict is. */
static const char *
r_s (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = report_value (dict, key, "s");
  const char *text = NULL;

  g_assert_true (g_variant_lookup (dict, key, "&s", &text));
  return text;
}

static gboolean
report_clean (GVariant *report)
{
  return r_b (report, "clean");
}

static void
print_problems (GVariant *report)
{
  g_autoptr(GVariant) problems = report_value (report, "problems", "a(iss)");
  GVariantIter iter;
  const char *check, *message;
  gint lba;

  g_variant_iter_init (&iter, problems);
  while (g_variant_iter_next (&iter, "(i&s&s)", &lba, &check, &message))
    g_test_message ("problem at %d (%s): %s", lba, check, message);
}

/* The dictionary of track `number` in the report. */
static GVariant *
report_track (GVariant *report, guint number)
{
  g_autoptr(GVariant) tracks = report_value (report, "tracks", "aa{sv}");

  for (gsize i = 0; i < g_variant_n_children (tracks); i++)
    {
      g_autoptr(GVariant) t = g_variant_get_child_value (tracks, i);

      if (r_u (t, "number") == number)
        return g_steal_pointer (&t);
    }
  g_error ("the report has no track %u", number);
}

static gboolean
report_has_cdtext (GVariant *report, guint block, guint track, const char *field,
                   const char *text)
{
  g_autoptr(GVariant) entries = report_value (report, "cdtext", "aa{sv}");

  for (gsize i = 0; i < g_variant_n_children (entries); i++)
    {
      g_autoptr(GVariant) e = g_variant_get_child_value (entries, i);

      if (r_u (e, "block") == block
          && r_u (e, "track") == track
          && g_str_equal (r_s (e, "field"), field)
          && g_str_equal (r_s (e, "text"), text))
        return TRUE;
    }
  return FALSE;
}

/* whole: the image reaches the lead-out (a full image), not a BIN */
static void
assert_report_layout (GVariant *report, gboolean whole)
{
  g_autoptr(GVariant) t1 = report_track (report, 1);
  g_autoptr(GVariant) t2 = report_track (report, 2);
  g_autoptr(GVariant) indexes = report_value (t1, "indexes", "ai");
  gsize n = 0;
  const gint32 *lbas = g_variant_get_fixed_array (indexes, &n, sizeof (gint32));
  static const gint32 expected_indexes[] = { 0, 300 };

  g_assert_cmpuint (r_u (report, "first_track"), ==, 1);
  g_assert_cmpuint (r_u (report, "last_track"), ==, 2);
  g_assert_cmpint (r_i (report, "leadout_lba"), ==, whole ? SIDE_LEADOUT : G_MININT);
  g_assert_cmpstr (r_s (report, "mcn"), ==, MCN);

  g_assert_cmpint (r_i (t1, "start_lba"), ==, 0);
  /* Track 1's pause lies before LBA 0: not in a BIN */
  if (whole)
    g_assert_cmpint (r_i (t1, "pregap_lba"), ==, -150);
  else
    g_assert_false (g_variant_lookup (t1, "pregap_lba", "i", NULL));
  g_assert_cmpint (r_i (t1, "end_lba"), ==, 600);
  g_assert_cmpstr (r_s (t1, "isrc"), ==, ISRC);
  g_assert_cmpuint (r_u (t1, "copy"), ==, 0);
  g_assert_false (r_b (t1, "preemphasis"));
  g_assert_cmpmem (lbas, n * sizeof (gint32), expected_indexes, sizeof expected_indexes);

  g_assert_cmpint (r_i (t2, "pregap_lba"), ==, 600);
  g_assert_cmpint (r_i (t2, "start_lba"), ==, 750);
  g_assert_cmpint (r_i (t2, "end_lba"), ==, SIDE_LEADOUT);
  g_assert_cmpstr (r_s (t2, "isrc"), ==, "");
  g_assert_cmpuint (r_u (t2, "copy"), ==, 2);
  g_assert_true (r_b (t2, "preemphasis"));
}

/* A fresh image: clean, and what was set.  A copy with one Q bit flipped
 * at LBA 500: not clean, a q-crc problem at 500. */
static void
test_inspect_full (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = side_disc (c);
  g_autoptr(GVariant) report = NULL, damaged_report = NULL;
  g_autoptr(GDBusConnection) stranger = td_connect (&error);
  const char *const t1_text[] = { "title", "First", NULL };
  g_autofree char *track1 = g_strconcat (creator, "/Track/1", NULL);
  int full = td_memfd ("full"), damaged;
  const gint bad_lba = 500;
  off_t offset;

  g_assert_no_error (error);
  td_set_ok (c, track1, RAWCD_IFACE_TRACK, "CdText", cdtext_value (t1_text, NULL));
  write_image (c, creator, NULL, full, -1);

  /* Anyone may inspect: a connection without a session */
  offset = lseek (full, 0, SEEK_CUR);
  report = inspect (stranger, full, -1, NULL, &error);
  g_assert_no_error (error);
  if (!report_clean (report))
    print_problems (report);
  g_assert_true (report_clean (report));
  g_assert_cmpuint (r_u (report, "problem_count"), ==, 0);
  /* IS_RAW, but without R-W data nothing tells it from IS_COOKED */
  g_assert_cmpuint (r_u (report, "image_type"), ==, 0);
  g_assert_cmpuint (r_u (report, "sector_bytes"), ==, FULL_SECTOR);
  g_assert_cmpuint (r_t (report, "sectors"), ==,
                    22650 + SIDE_LEADOUT + 6750);
  g_assert_cmpint (r_i (report, "first_lba"), ==, -22650);
  g_assert_cmpstr (r_s (report, "format"), !=, "");
  assert_report_layout (report, TRUE);
  g_assert_true (report_has_cdtext (report, 0, 0, "title", "Caf\xc3\xa9 Album"));
  g_assert_true (report_has_cdtext (report, 0, 0, "performer", "Ensemble"));
  g_assert_true (report_has_cdtext (report, 0, 1, "title", "First"));
  /* the descriptor's offset did not move */
  g_assert_cmpint (lseek (full, 0, SEEK_CUR), ==, offset);

  /* One Q bit of LBA 500 flipped (bit 6 of each subchannel byte is Q) */
  damaged = copy_fd (full);
  {
    guint8 byte;
    off_t at = (off_t) (bad_lba + 22650) * FULL_SECTOR + AUDIO_SECTOR + 40;

    g_assert_cmpint (pread (damaged, &byte, 1, at), ==, 1);
    byte ^= 0x40;
    g_assert_cmpint (pwrite (damaged, &byte, 1, at), ==, 1);
  }
  damaged_report = inspect (c, damaged, -1, NULL, &error);
  g_assert_no_error (error);
  print_problems (damaged_report);
  g_assert_false (report_clean (damaged_report));
  g_assert_cmpuint (r_u (damaged_report, "problem_count"), >=, 1);
  {
    g_autoptr(GVariant) problems = report_value (damaged_report, "problems", "a(iss)");
    g_autoptr(GVariant) counts = report_value (damaged_report, "counts", "a{su}");
    GVariantIter iter;
    const char *check, *message;
    gboolean found = FALSE;
    guint q_crc = 0;
    gint lba;

    g_variant_iter_init (&iter, problems);
    while (g_variant_iter_next (&iter, "(i&s&s)", &lba, &check, &message))
      {
        g_assert_cmpstr (message, !=, "");
        if (lba == bad_lba && g_str_equal (check, "q-crc"))
          found = TRUE;
      }
    if (!found)
      g_error ("no q-crc problem at LBA %d", bad_lba);
    g_assert_true (g_variant_lookup (counts, "q-crc", "u", &q_crc));
    g_assert_cmpuint (q_crc, >=, 1);
  }
  /* The layout is still read correctly */
  assert_report_layout (damaged_report, TRUE);
  close (damaged);
  close (full);
}

/* A CloneCD .img with its .sub: clean, from LBA 0. */
static void
test_inspect_bin_sub (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = side_disc (c);
  g_autoptr(GVariant) report = NULL;
  int img = td_memfd ("img"), sub = td_memfd ("sub");

  write_image (c, creator, "clonecd", img, sub);
  report = inspect (c, img, sub, NULL, &error);
  g_assert_no_error (error);

  if (!report_clean (report))
    print_problems (report);
  g_assert_true (report_clean (report));
  g_assert_cmpuint (r_u (report, "sector_bytes"), ==, AUDIO_SECTOR);
  g_assert_cmpint (r_i (report, "first_lba"), ==, 0);
  g_assert_cmpuint (r_t (report, "sectors"), ==, SIDE_LEADOUT);
  assert_report_layout (report, FALSE);
  /* CD-TEXT lives in the lead-in, which a BIN does not have */
  {
    g_autoptr(GVariant) cdtext = report_value (report, "cdtext", "aa{sv}");
    g_assert_cmpuint (g_variant_n_children (cdtext), ==, 0);
  }
  close (img);
  close (sub);
}

static void
inspect_fails (GDBusConnection *c, int image, int sub, GVariant *options, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) report = inspect (c, image, sub, options, &error);

  g_assert_null (report);
  td_assert_error (error, name);
}

static void
test_inspect_errors (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  int text = open (td_audio ("text.txt"), O_RDONLY | O_CLOEXEC);
  int wav = open (td_audio ("a.wav"), O_RDONLY | O_CLOEXEC);
  int empty = td_memfd ("empty");
  int wronly = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  int dir = open (td_tmpdir (), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int p[2];

  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  inspect_fails (c, text, -1, NULL, "InvalidArgument");
  inspect_fails (c, wav, -1, NULL, "InvalidArgument");
  inspect_fails (c, empty, -1, NULL, "InvalidArgument");
  inspect_fails (c, wav, text, NULL, "InvalidArgument");
  inspect_fails (c, p[0], -1, NULL, "InvalidArgument");
  inspect_fails (c, wronly, -1, NULL, "InvalidArgument");
  inspect_fails (c, dir, -1, NULL, "InvalidArgument");
  inspect_fails (c, wav, p[0], NULL, "InvalidArgument");
  inspect_fails (c, wav, -1, g_variant_new_parsed ("{'colour': <'blue'>}"), "InvalidArgument");
  td_daemon_assert_alive (f->daemon);
  close (p[0]);
  close (p[1]);
  close (text);
  close (wav);
  close (empty);
  close (wronly);
  close (dir);
}

typedef struct {
  guint     done;
  guint     ok;
  guint     limited;
  GPtrArray *errors;
} Concurrent;

static void
on_inspected (GObject *source, GAsyncResult *result, gpointer data)
{
  Concurrent *cc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL, result,
                                                     &error);
  g_autofree char *name = td_error_name (error);

  cc->done++;
  if (reply != NULL)
    cc->ok++;
  else if (g_strcmp0 (name, RAWCD_ERROR_PREFIX "LimitExceeded") == 0)
    cc->limited++;
  else
    g_ptr_array_add (cc->errors, g_strdup (error->message));
}

static void
start_inspect (GDBusConnection *c, int image, Concurrent *cc)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();

  g_assert_cmpint (g_unix_fd_list_append (fds, image, NULL), ==, 0);
  g_dbus_connection_call_with_unix_fd_list (c, RAWCD_BUS_NAME, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER,
                                            "InspectImage",
                                            g_variant_new ("(h@a{sv})", 0, td_no_options ()),
                                            G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                            td_call_timeout_ms () * 4, fds, NULL,
                                            on_inspected, cc);
}

static gboolean
all_done (gpointer data)
{
  Concurrent *cc = data;
  return cc->done == 3;
}

static const char *const one_job[] = { "--max-jobs", "1", NULL };

/* --max-jobs 1: one inspection per uid at a time; the others are refused
 * with LimitExceeded while it runs. */
static void
test_inspect_limit (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  Concurrent cc = { 0, 0, 0, g_ptr_array_new_with_free_func (g_free) };
  int full = td_memfd ("full");

  td_add_track_ok (c, creator, "d20.wav", NULL);
  write_image (c, creator, NULL, full, -1);
  for (guint i = 0; i < 3; i++)
    start_inspect (c, full, &cc);
  if (!td_wait_until (NULL, all_done, &cc, td_call_timeout_ms () * 4))
    g_error ("the inspections did not all answer");
  for (guint i = 0; i < cc.errors->len; i++)
    g_test_message ("unexpected error: %s", (const char *) cc.errors->pdata[i]);
  g_assert_cmpuint (cc.errors->len, ==, 0);
  g_assert_cmpuint (cc.ok, >=, 1);
  g_assert_cmpuint (cc.limited, >=, 1);
  g_ptr_array_unref (cc.errors);

  /* Once they are over, the uid may inspect again */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) report = inspect (c, full, -1, NULL, &error);
    g_assert_no_error (error);
  }
  close (full);
}

typedef struct {
  gboolean  done;
  GVariant *reply;
  GError   *error;
} OneCall;

static void
on_one_inspected (GObject *source, GAsyncResult *result, gpointer data)
{
  OneCall *one = data;

  one->reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source),
                                                                NULL, result, &one->error);
  one->done = TRUE;
}

static gboolean
one_done (gpointer data)
{
  return ((OneCall *) data)->done;
}

/* The service stops while an inspection runs: the caller gets an answer
 * (Cancelled, or the report if it was faster), and the daemon exits 0. */
static void
test_inspect_shutdown (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autofree char *name = NULL;
  OneCall one = { FALSE, NULL, NULL };
  int full = td_memfd ("full");

  td_add_track_ok (c, creator, "d20.wav", NULL);
  write_image (c, creator, NULL, full, -1);
  g_assert_cmpint (g_unix_fd_list_append (fds, full, NULL), ==, 0);
  g_dbus_connection_call_with_unix_fd_list (c, RAWCD_BUS_NAME, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER,
                                            "InspectImage",
                                            g_variant_new ("(h@a{sv})", 0, td_no_options ()),
                                            G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                            td_call_timeout_ms () * 4, fds, NULL,
                                            on_one_inspected, &one);
  td_spin (30);
  td_daemon_stop (g_steal_pointer (&f->daemon));
  if (!td_wait_until (NULL, one_done, &one, 10000))
    g_error ("InspectImage got no answer when the service stopped");
  name = td_error_name (one.error);
  if (one.reply == NULL && g_strcmp0 (name, RAWCD_ERROR_PREFIX "Cancelled") != 0)
    g_error ("InspectImage failed with %s; expected Cancelled or a report",
             one.error->message);
  g_test_message ("InspectImage %s", one.reply != NULL ? "finished first" : "was cancelled");
  g_clear_pointer (&one.reply, g_variant_unref);
  g_clear_error (&one.error);
  close (full);
  /* for the teardown */
  f->daemon = td_daemon_start (NULL);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/outputs/cdtext/roundtrip", test_cdtext_roundtrip);
  td_add ("/daemon/outputs/cdtext/errors", test_cdtext_errors);
  td_add ("/daemon/outputs/cdtext/mixed-scripts", test_cdtext_mixed_scripts);
  td_add ("/daemon/outputs/disc-ids", test_disc_ids);
  td_add ("/daemon/outputs/rw-generator", test_rw_generator);
  td_add ("/daemon/outputs/format/cue-toc", test_format_cue_toc);
  td_add ("/daemon/outputs/format/toc-rw", test_format_toc_rw);
  td_add ("/daemon/outputs/format/clonecd", test_format_clonecd);
  td_add ("/daemon/outputs/format/clonecd-pq-only", test_format_clonecd_pq);
  td_add ("/daemon/outputs/format/errors", test_format_errors);
  td_add ("/daemon/outputs/side-files", test_side_files);
  td_add ("/daemon/outputs/side-files/no-tracks", test_side_files_no_tracks);
  td_add ("/daemon/outputs/inspect/full", test_inspect_full);
  td_add ("/daemon/outputs/inspect/bin-sub", test_inspect_bin_sub);
  td_add ("/daemon/outputs/inspect/errors", test_inspect_errors);
  td_add_args ("/daemon/outputs/inspect/limit", one_job, test_inspect_limit);
  td_add ("/daemon/outputs/inspect/shutdown", test_inspect_shutdown);
  return td_run ();
}
