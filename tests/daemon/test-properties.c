/* test-properties.c: the properties the service computes for clients, on
 * the bus, and what a property write announces.
 *
 * - the geometry of the contract (ImageSectors, ImageSizes,
 *   StartOfLeadoutMSF, StartOfLeadoutLimitMSF, SmallestBlank,
 *   TableOfContents; each Track's Pregap, StartMSF, PlayingSectors,
 *   PlayingTime) with values worked out by hand below, and their update
 *   when the layout changes;
 * - a refused Set announces nothing (no PropertiesChanged), while an
 *   accepted one does;
 * - the Job's udisks-like properties (Operation, Cancelable, StartedByUID,
 *   Objects, ProgressValid);
 * - Version and SupportedInputFormats are annotated as constant.
 *
 * Fixtures: a.wav 750 sectors, b.flac 600, big.wav 22500.  Arithmetic:
 * absolute time = LBA + 150, 75 sectors a second, 4500 a minute; the full
 * image runs from LBA -22650 to the end of the 6750-sector lead-out.
 */
#include "td.h"

#include <string.h>
#include <unistd.h>

static void
assert_s (GDBusConnection *c, const char *path, const char *iface, const char *prop,
          const char *expected)
{
  g_autofree char *value = td_get_s (c, path, iface, prop);

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_toc_entry (GVariant *toc, guint i, guint8 track, gint32 lba, const char *msf)
{
  guint8 t, adr, control;
  gint32 l;
  const char *m;

  g_variant_get_child (toc, i, "(yyyi&s)", &t, &adr, &control, &l, &m);
  g_assert_cmpuint (t, ==, track);
  g_assert_cmpuint (adr, ==, 1);
  /* DigitalAudioCopySetting 0 (permitted) by default: CONTROL bit 1. */
  g_assert_cmpuint (control, ==, 2);
  g_assert_cmpint (l, ==, lba);
  g_assert_cmpstr (m, ==, msf);
}

static void
test_geometry (TdFixture *f, gconstpointer data)
{
  const char *C = RAWCD_IFACE_CREATOR, *T = RAWCD_IFACE_TRACK;
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autofree char *t1 = NULL, *t2 = NULL;
  g_autoptr(GVariant) sizes = NULL;
  g_autoptr(GVariant) toc = NULL;
  g_autoptr(GError) error = NULL;
  guint64 bytes = 0;

  /* Gapless: track 1 at LBA 0, track 2 at 750, the lead-out at 1350. */
  td_add_track_ok (f->conn, creator, "a.wav", &t1);
  td_add_track_ok (f->conn, creator, "b.flac", &t2);

  g_assert_cmpuint (td_get_t (f->conn, creator, C, "ImageSectors"), ==, 30750); /* 22650 + 1350 + 6750 */
  sizes = td_get (f->conn, creator, C, "ImageSizes", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_type_string (sizes), ==, "a{ut}");
  g_assert_cmpuint (g_variant_n_children (sizes), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      guint32 type;

      g_variant_get_child (sizes, i, "{ut}", &type, &bytes);
      if (type == 1)
        g_assert_cmpuint (bytes, ==, 72816000);   /* 30750 x 2368 */
      else if (type == 2 || type == 3)
        g_assert_cmpuint (bytes, ==, 75276000);   /* 30750 x 2448 */
      else
        g_assert_not_reached ();
    }
  assert_s (f->conn, creator, C, "StartOfLeadoutMSF", "00:20:00");       /* 1350 + 150 = 1500 */
  assert_s (f->conn, creator, C, "StartOfLeadoutLimitMSF", "88:29:74");  /* 398099 + 150 */
  g_assert_cmpuint (td_get_u (f->conn, creator, C, "SmallestBlank"), ==, 74);

  toc = td_get (f->conn, creator, C, "TableOfContents", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_type_string (toc), ==, "a(yyyis)");
  g_assert_cmpuint (g_variant_n_children (toc), ==, 3);
  assert_toc_entry (toc, 0, 1, 0, "00:02:00");
  assert_toc_entry (toc, 1, 2, 750, "00:12:00");
  assert_toc_entry (toc, 2, 0xAA, 1350, "00:20:00");

  /* Track 1 plays until track 2's index 1, which the last 150 sectors of
   * its own audio precede as track 2's pause. */
  g_assert_cmpint (td_get_i (f->conn, t1, T, "Pregap"), ==, 150);
  assert_s (f->conn, t1, T, "StartMSF", "00:02:00");
  g_assert_cmpint (td_get_i (f->conn, t1, T, "PlayingSectors"), ==, 750);
  assert_s (f->conn, t1, T, "PlayingTime", "00:10:00");
  g_assert_cmpint (td_get_i (f->conn, t2, T, "Pregap"), ==, 150);
  assert_s (f->conn, t2, T, "StartMSF", "00:12:00");
  g_assert_cmpint (td_get_i (f->conn, t2, T, "PlayingSectors"), ==, 600);
  assert_s (f->conn, t2, T, "PlayingTime", "00:08:00");

  /* With 2-second gaps track 2 moves to 900 and track 1 plays its pause:
   * 900 sectors; the lead-out moves to 1500. */
  td_set_ok (f->conn, creator, C, "DisableGaplessAudio", g_variant_new_boolean (TRUE));
  g_assert_cmpuint (td_get_t (f->conn, creator, C, "ImageSectors"), ==, 30900);
  assert_s (f->conn, creator, C, "StartOfLeadoutMSF", "00:22:00");
  g_assert_cmpint (td_get_i (f->conn, t1, T, "PlayingSectors"), ==, 900);
  assert_s (f->conn, t1, T, "PlayingTime", "00:12:00");
  assert_s (f->conn, t2, T, "StartMSF", "00:14:00");

  td_set_ok (f->conn, creator, C, "StartOfLeadoutLimit", g_variant_new_int32 (2000));
  assert_s (f->conn, creator, C, "StartOfLeadoutLimitMSF", "00:28:50");  /* 2150 */
}

static void
test_smallest_blank (TdFixture *f, gconstpointer data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);

  /* 14 x 22500 = 315000 (lead-out 70:02:00): a 74-minute blank.  One
   * more: 337500 (75:02:00), past 74:00:00: an 80-minute blank. */
  for (guint i = 0; i < 14; i++)
    td_add_track_ok (f->conn, creator, "big.wav", NULL);
  g_assert_cmpuint (td_get_u (f->conn, creator, RAWCD_IFACE_CREATOR, "SmallestBlank"), ==, 74);
  td_add_track_ok (f->conn, creator, "big.wav", NULL);
  g_assert_cmpuint (td_get_u (f->conn, creator, RAWCD_IFACE_CREATOR, "SmallestBlank"), ==, 80);
  g_assert_cmpuint (td_get_i (f->conn, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 337500);
}

typedef struct {
  guint n;
  char *last;
} Announcements;

static void
on_properties_changed (GDBusConnection *c, const char *sender, const char *path,
                       const char *iface, const char *signal, GVariant *params,
                       gpointer user_data)
{
  Announcements *a = user_data;

  a->n++;
  g_free (a->last);
  a->last = g_strdup_printf ("%s %s", path, g_variant_print (params, FALSE));
}

/* A round trip to the daemon, then time for an idle-emitted signal. */
static void
settle (GDBusConnection *c)
{
  g_autoptr(GVariant) reply = NULL;

  /* Ping goes to the daemon's connection; the reply may be ignored. */
  reply = g_dbus_connection_call_sync (c, RAWCD_BUS_NAME, RAWCD_MANAGER_PATH,
                                       "org.freedesktop.DBus.Peer", "Ping", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, td_call_timeout_ms (),
                                       NULL, NULL);
  td_spin (300 * td_slowdown ());
}

typedef struct {
  gboolean    track;
  const char *prop;
  const char *value;   /* GVariant text */
  const char *error;
} RefusedSet;

static void
test_refused_set_is_silent (TdFixture *f, gconstpointer data)
{
  static const RefusedSet refused[] = {
    { FALSE, "MediaCatalogNumber", "'12345x'", "InvalidArgument" },
    { FALSE, "StartOfLeadoutLimit", "10", "InsufficientSpace" },
    { FALSE, "ResultingImageType", "uint32 9", "InvalidArgument" },
    { FALSE, "StartingTrackNumber", "5", "TracksAlreadyAdded" },
    { FALSE, "CdText", "[{'title': 'A'}, {'bogus': 'x'}]", "InvalidArgument" },
    { TRUE, "ISRC", "'bad'", "InvalidArgument" },
    { TRUE, "DigitalAudioCopySetting", "uint32 7", "InvalidArgument" },
    { TRUE, "CdText", "[{'title': 'T'}, {'bogus': 'x'}]", "InvalidArgument" },
  };
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autofree char *track = NULL;
  Announcements a = { 0, NULL };
  guint id;

  td_add_track_ok (f->conn, creator, "a.wav", &track);
  id = g_dbus_connection_signal_subscribe (f->conn, NULL, "org.freedesktop.DBus.Properties",
                                           "PropertiesChanged", NULL, NULL,
                                           G_DBUS_SIGNAL_FLAGS_NONE,
                                           on_properties_changed, &a, NULL);
  settle (f->conn);
  a.n = 0;

  /* The listener hears an accepted write... */
  td_set_ok (f->conn, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber",
             g_variant_new_string ("0036000291452"));
  settle (f->conn);
  g_assert_cmpuint (a.n, >=, 1);

  /* ...and nothing after a refused one. */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      const RefusedSet *r = &refused[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) value = g_variant_parse (NULL, r->value, NULL, NULL, &error);

      g_assert_no_error (error);
      g_test_message ("Set %s = %s", r->prop, r->value);
      a.n = 0;
      g_assert_false (td_set (f->conn, r->track ? track : creator,
                              r->track ? RAWCD_IFACE_TRACK : RAWCD_IFACE_CREATOR,
                              r->prop, value, &error));
      td_assert_error (error, r->error);
      settle (f->conn);
      if (a.n != 0)
        g_error ("a refused Set of %s announced %u change(s), the last: %s",
                 r->prop, a.n, a.last);
    }

  g_dbus_connection_signal_unsubscribe (f->conn, id);
  g_free (a.last);
}

static void
test_job (TdFixture *f, gconstpointer data)
{
  const char *J = RAWCD_IFACE_JOB;
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autofree char *job = NULL;
  g_autofree char *operation = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (f->conn);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) objects = NULL;
  gboolean success = FALSE;
  int out = td_memfd ("image");

  td_add_track_ok (f->conn, creator, "a.wav", NULL);
  job = td_create_result_image (f->conn, creator, out, &error);
  g_assert_no_error (error);

  operation = td_get_s (f->conn, job, J, "Operation");
  g_assert_cmpstr (operation, ==, "rawcd-create-image");
  g_assert_cmpuint (td_get_u (f->conn, job, J, "StartedByUID"), ==, getuid ());
  objects = td_get_ao (f->conn, job, J, "Objects");
  g_assert_cmpuint (g_strv_length (objects), ==, 1);
  g_assert_cmpstr (objects[0], ==, creator);
  g_assert_true (td_get_b (f->conn, job, J, "ProgressValid"));

  g_assert_true (td_get_b (f->conn, job, J, "Cancelable"));

  g_assert_true (td_job_watch_wait (watch, job, 120, &success, NULL));
  g_assert_true (success);
  /* Ended: no longer cancelable. */
  g_assert_false (td_get_b (f->conn, job, J, "Cancelable"));
  close (out);
}

static void
test_const_properties (TdFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = td_call (f->conn, RAWCD_MANAGER_PATH,
                                       "org.freedesktop.DBus.Introspectable", "Introspect",
                                       NULL, G_VARIANT_TYPE ("(s)"), &error);
  g_autoptr(GDBusNodeInfo) node = NULL;
  const char *xml = NULL;
  GDBusInterfaceInfo *manager;
  const char *const names[] = { "Version", "SupportedInputFormats" };

  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  manager = g_dbus_node_info_lookup_interface (node, RAWCD_IFACE_MANAGER);
  g_assert_nonnull (manager);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GDBusPropertyInfo *p = g_dbus_interface_info_lookup_property (manager, names[i]);

      g_assert_nonnull (p);
      g_assert_cmpstr (g_dbus_annotation_info_lookup (p->annotations,
                                                      "org.freedesktop.DBus.Property.EmitsChangedSignal"),
                       ==, "const");
    }
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/properties/geometry", test_geometry);
  td_add ("/properties/smallest-blank", test_smallest_blank);
  td_add ("/properties/refused-set-is-silent", test_refused_set_is_silent);
  td_add ("/properties/job", test_job);
  td_add ("/properties/const-properties", test_const_properties);
  return td_run ();
}
