/* test-sidefiles-api: the rc-sidefiles API itself (names, ranges, argument
 * checks); what the files say is checked by test-sidefiles.py with the
 * programs that read them. */
#define _GNU_SOURCE
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-sidefiles.h"
#include "rc-sndfile-source.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static RcLayout *
make_layout (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  for (guint t = 0; t < 2; t++)
    {
      gsize bytes = 400 * 2352;
      g_autofree guint8 *pcm = g_malloc0 (bytes);
      int fd = memfd_create ("audio", MFD_CLOEXEC);
      g_autoptr(RcAudioSource) source = NULL;

      g_assert_cmpint (write (fd, pcm, bytes), ==, (gssize) bytes);
      source = rc_audio_source_new_from_fd (fd, RC_AUDIO_FORMAT_RAW, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, t + 1);
    }
  return rc_disc_freeze (disc, &error);
}

static void
test_parse (void)
{
  RcSideFormat f;
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_side_format_parse ("cue", &f, NULL) && f == RC_SIDE_FORMAT_CUE);
  g_assert_true (rc_side_format_parse ("toc", &f, NULL) && f == RC_SIDE_FORMAT_TOC);
  g_assert_true (rc_side_format_parse ("clonecd", &f, NULL) && f == RC_SIDE_FORMAT_CLONECD);
  g_assert_cmpstr (rc_side_format_to_string (RC_SIDE_FORMAT_CLONECD), ==, "clonecd");
  g_assert_false (rc_side_format_parse ("CUE", &f, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "cue, toc, clonecd"));
}

static void
test_ranges (void)
{
  g_autoptr(RcLayout) layout = make_layout ();

  for (RcSideFormat f = RC_SIDE_FORMAT_CUE; f <= RC_SIDE_FORMAT_CLONECD; f++)
    {
      gint first = -1, end = -1;

      rc_side_format_data_range (f, layout, &first, &end);
      g_assert_cmpint (first, ==, 0);
      g_assert_cmpint (end, ==, layout->leadout_lba);
      g_assert_cmpint (rc_side_format_has_subchannel (f, layout), ==, f == RC_SIDE_FORMAT_CLONECD);
      /* No R-W generator here: big-endian audio alone for the TOC. */
      g_assert_null (layout->rw);
      g_assert_cmpint (rc_side_format_data_form (f, layout), ==,
                       f == RC_SIDE_FORMAT_TOC ? RC_SECTOR_FORM_AUDIO_BE : RC_SECTOR_FORM_AUDIO);
    }
  g_assert_cmpuint (rc_sector_form_bytes (RC_SECTOR_FORM_AUDIO_BE, RC_IMAGE_TYPE_IS_RAW), ==, 2352);
  g_assert_cmpuint (rc_sector_form_bytes (RC_SECTOR_FORM_AUDIO_BE_SUB, RC_IMAGE_TYPE_IS_RAW), ==, 2448);
}

static void
test_names (void)
{
  g_autoptr(RcLayout) layout = make_layout ();
  static const char *const bad[] = { "", "a\"b.bin", "a\\b.bin", "a\nb.bin" };
  static const char *const kinds[] = { "cue", "toc", "ccd" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_null (rc_side_files_build (RC_SIDE_FORMAT_CUE, layout, bad[i], NULL, &error));
      g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (rc_side_files_build (RC_SIDE_FORMAT_TOC, layout, NULL, NULL, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (rc_side_files_build (RC_SIDE_FORMAT_CLONECD, layout, "a.img", "b.sub", &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (rc_side_files_build (RC_SIDE_FORMAT_CLONECD, layout, "a.bin", "a.sub", &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  }
  for (RcSideFormat f = RC_SIDE_FORMAT_CUE; f <= RC_SIDE_FORMAT_CLONECD; f++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) files = rc_side_files_build (f, layout,
                                                         f == RC_SIDE_FORMAT_CLONECD ? "dir/x.img" : "x.bin",
                                                         "dir/x.sub", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_hash_table_size (files), ==, 1);
      g_assert_nonnull (g_hash_table_lookup (files, kinds[f]));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sidefiles/parse", test_parse);
  g_test_add_func ("/sidefiles/ranges", test_ranges);
  g_test_add_func ("/sidefiles/names", test_names);
  return g_test_run ();
}
