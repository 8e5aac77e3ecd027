/* td-outputs.c: helpers of the tests of what the daemon writes and reads
 * back (test-cdtext, test-disc-ids, test-rw-generator, test-formats,
 * test-side-files, test-inspect): image requests, memfd plumbing, CD-TEXT
 * values, the two-track side disc and InspectImage's report.  See
 * td-outputs.h.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <string.h>
#include <unistd.h>

void
td_set_fails (GDBusConnection *c, const char *path, const char *iface, const char *prop,
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
char *
td_create_image (GDBusConnection *c, const char *creator, const char *format, int out, int sub,
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
guint64
td_write_image (GDBusConnection *c, const char *creator, const char *format, int out, int sub)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  g_autofree char *job = td_create_image (c, creator, format, out, sub, &error);
  g_autofree char *message = NULL;
  gboolean success = FALSE;

  g_assert_no_error (error);
  if (!td_job_watch_wait (watch, job, 300, &success, &message))
    g_error ("job %s (format %s) did not complete", job, format);
  if (!success)
    g_error ("job %s (format %s) failed: %s", job, format, message);
  return td_get_t (c, job, RAWCD_IFACE_JOB, "TotalSectors");
}

void
td_create_image_fails (GDBusConnection *c, const char *creator, const char *format, int out,
                       int sub, const char *name, const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job = td_create_image (c, creator, format, out, sub, &error);

  if (job != NULL)
    g_error ("CreateResultImage (format %s) succeeded: %s; expected %s", format, job, name);
  td_assert_error (error, name);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("CreateResultImage (format %s): the message \"%s\" does not mention \"%s\"",
             format, error->message, in_message);
}

GMappedFile *
td_map_fd (int fd)
{
  g_autoptr(GError) error = NULL;
  GMappedFile *map = g_mapped_file_new_from_fd (fd, FALSE, &error);

  g_assert_no_error (error);
  return map;
}

/* A memfd holding len bytes of data. */
int
td_memfd_with (const char *name, const void *data, gsize len)
{
  int fd = td_memfd (name);

  g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
  g_assert_cmpint (lseek (fd, 0, SEEK_SET), ==, 0);
  return fd;
}

int
td_copy_fd (int fd)
{
  g_autoptr(GMappedFile) map = td_map_fd (fd);

  return td_memfd_with ("copy", g_mapped_file_get_contents (map), g_mapped_file_get_length (map));
}

GVariant *
td_get_value (GDBusConnection *c, const char *path, const char *iface, const char *prop,
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

GVariant *
td_cdtext_value (const char *const *block0, const char *const *block1)
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

/* A generator stream for `sectors` image sectors: symbols with the top two
 * bits clear. */
int
td_rw_memfd (guint sectors)
{
  gsize len = (gsize) sectors * TD_SUB_SECTOR;
  g_autofree guint8 *buf = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    buf[i] = (guint8) ((i * 5 + i / 96 * 3 + 1) & 0x3f);
  return td_memfd_with ("rw", buf, len);
}

GVariant *
td_add_rw (GDBusConnection *c, const char *creator, int fd, GError **error)
{
  return td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "AddSubcodeRWGenerator",
                     g_variant_new ("(h@a{sv})", 0, td_no_options ()), G_VARIANT_TYPE ("()"),
                     fd, error);
}

/* Two tracks (750 + 375 sectors), MCN, an ISRC, an index, CD-TEXT. */
const TdDiscSpec td_side_spec = {
  .mcn = TD_MCN,
  .n_tracks = 2,
  .tracks = {
    { .audio = "a.wav", .isrc = TD_ISRC, .copy = 0, .preemphasis = -1,
      .n_indexes = 1, .indexes = { 300 } },
    { .audio = "e5.wav", .copy = 2, .preemphasis = 1 },
  },
};

char *
td_side_disc (GDBusConnection *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_spec_create (c, &td_side_spec, &error);
  const char *const disc[] = { "title", "Caf\xc3\xa9 Album", "performer", "Ensemble", NULL };

  g_assert_no_error (error);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "CdText", td_cdtext_value (disc, NULL));
  return g_steal_pointer (&creator);
}

GVariant *
td_inspect (GDBusConnection *c, int image, int sub, GVariant *extra_options, GError **error)
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

GVariant *
td_report_value (GVariant *report, const char *key, const char *type)
{
  GVariant *value = g_variant_lookup_value (report, key, NULL);

  if (value == NULL)
    g_error ("the report has no \"%s\"", key);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
    g_error ("the report's \"%s\" is of type %s, the contract says %s", key,
             g_variant_get_type_string (value), type);
  return value;
}

guint32
td_report_u (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = td_report_value (dict, key, "u");
  return g_variant_get_uint32 (v);
}

gint32
td_report_i (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = td_report_value (dict, key, "i");
  return g_variant_get_int32 (v);
}

guint64
td_report_t (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = td_report_value (dict, key, "t");
  return g_variant_get_uint64 (v);
}

gboolean
td_report_b (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = td_report_value (dict, key, "b");
  return g_variant_get_boolean (v);
}

/* Valid while dict is. */
const char *
td_report_s (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) v = td_report_value (dict, key, "s");
  const char *text = NULL;

  g_assert_true (g_variant_lookup (dict, key, "&s", &text));
  return text;
}

gboolean
td_report_clean (GVariant *report)
{
  return td_report_b (report, "clean");
}

void
td_print_problems (GVariant *report)
{
  g_autoptr(GVariant) problems = td_report_value (report, "problems", "a(iss)");
  GVariantIter iter;
  const char *check, *message;
  gint lba;

  g_variant_iter_init (&iter, problems);
  while (g_variant_iter_next (&iter, "(i&s&s)", &lba, &check, &message))
    g_test_message ("problem at %d (%s): %s", lba, check, message);
}
