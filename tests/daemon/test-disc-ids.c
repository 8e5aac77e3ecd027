/* test-disc-ids.c: the DiscIds property (freedb/CDDB, MusicBrainz,
 * AccurateRip), its expected values computed here from their formulas
 * (cd-format.md §11, SHA-1 with GChecksum) and the track lengths, and the
 * PropertiesChanged that announces a change.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <string.h>

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
  g_autoptr(GVariant) none = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "DiscIds", "a{ss}");
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

  ids = td_get_value (c, creator, RAWCD_IFACE_CREATOR, "DiscIds", "a{ss}");
  g_assert_cmpuint (g_variant_n_children (ids), ==, 3);
  cddb = lookup_id (ids, "cddb");
  mb = lookup_id (ids, "musicbrainz");
  ar = lookup_id (ids, "accuraterip");
  g_assert_cmpstr (cddb, ==, expected_cddb);
  g_assert_cmpstr (mb, ==, expected_mb);
  g_assert_cmpstr (ar, ==, expected_ar);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/outputs/disc-ids", test_disc_ids);
  return td_run ();
}
