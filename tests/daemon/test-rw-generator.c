/* test-rw-generator.c: AddSubcodeRWGenerator: the R-W bits of an IS_RAW
 * image come from the client's stream and nothing else changes (compared
 * with the same disc without one); a stream of the wrong length, a
 * PQ_ONLY disc and descriptors that cannot be read at positions are
 * refused.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void
test_rw_generator (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  const guint sectors = 22650 + 375 + 6750;
  g_autofree char *with = td_create_session (c, NULL);
  g_autofree char *without = td_create_session (c, NULL);
  g_autofree char *wrong = td_create_session (c, NULL);
  g_autofree char *pq = td_create_session (c, NULL);
  g_autofree char *expected = g_strdup_printf ("%u bytes", sectors * TD_SUB_SECTOR);
  g_autoptr(GMappedFile) map_with = NULL, map_without = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  int rw = td_rw_memfd (sectors);
  int rw_short = td_rw_memfd (sectors - 1);
  int out_with = td_memfd ("with"), out_without = td_memfd ("without"), out = td_memfd ("out");
  const guint8 *a, *b;
  gboolean sub_differs = FALSE;

  /* IS_RAW with and without a generator of the right length */
  td_add_track_ok (c, with, "e5.wav", NULL);
  reply = td_add_rw (c, with, rw, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  td_add_track_ok (c, without, "e5.wav", NULL);
  td_write_image (c, with, NULL, out_with, -1);
  td_write_image (c, without, NULL, out_without, -1);
  g_assert_cmpint (td_fd_size (out_with), ==, (gint64) sectors * TD_FULL_SECTOR);
  g_assert_cmpint (td_fd_size (out_without), ==, (gint64) sectors * TD_FULL_SECTOR);

  /* The same audio; R-W bits that differ */
  map_with = td_map_fd (out_with);
  map_without = td_map_fd (out_without);
  a = (const guint8 *) g_mapped_file_get_contents (map_with);
  b = (const guint8 *) g_mapped_file_get_contents (map_without);
  for (guint s = 0; s < sectors; s++)
    {
      const guint8 *sa = a + (gsize) s * TD_FULL_SECTOR, *sb = b + (gsize) s * TD_FULL_SECTOR;

      if (memcmp (sa, sb, TD_AUDIO_SECTOR) != 0)
        g_error ("sector %u: the main channel differs with an R-W generator", s);
      for (guint i = TD_AUDIO_SECTOR; i < TD_FULL_SECTOR; i++)
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
    g_autoptr(GVariant) report = td_inspect (c, out_with, -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (td_report_clean (report));
    g_assert_cmpuint (td_report_u (report, "image_type"), ==, 3);
  }

  /* Wrong length: refused with the expected length when the image is
   * requested; the session stays open */
  td_add_track_ok (c, wrong, "e5.wav", NULL);
  reply = td_add_rw (c, wrong, rw_short, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  td_create_image_fails (c, wrong, NULL, out, -1, "InvalidArgument", expected);
  td_create_image_fails (c, wrong, "clonecd", out, out, "InvalidArgument", expected);
  g_assert_cmpint (td_fd_size (out), ==, 0);
  reply = td_add_rw (c, wrong, rw, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);

  /* PQ_ONLY has no R-W */
  td_set_ok (c, pq, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1));
  reply = td_add_rw (c, pq, rw, &error);
  g_assert_null (reply);
  td_assert_error (error, "InvalidArgument");
  g_clear_error (&error);

  /* Not a file that can be read at positions: a pipe; not readable */
  {
    int p[2];
    int wronly = open ("/dev/null", O_WRONLY | O_CLOEXEC);

    g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
    reply = td_add_rw (c, wrong, p[0], &error);
    g_assert_null (reply);
    td_assert_error (error, "InvalidArgument");
    g_clear_error (&error);
    reply = td_add_rw (c, wrong, wronly, &error);
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

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/outputs/rw-generator", test_rw_generator);
  return td_run ();
}
