/* test-format-plan.c: the plan of each output format (rc-format-plan.h):
 * which sectors, in which forms, to how many outputs and with which image
 * type, and the side-file name rules.
 *
 * The disc: one 750-sector track, lead-out at LBA 750.  The full image is
 * LBA -22650 .. 750 + 6750 = 7500 (exclusive); a side format's data file
 * LBA 0 .. 750.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rc-disc.h"
#include "rc-error.h"
#include "rc-format-plan.h"
#include "test-util.h"

static RcLayout *
frozen_layout (gboolean with_rw)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) source = test_pattern_source (1, 750);
  g_autoptr(GError) error = NULL;
  RcLayout *layout;

  g_assert_cmpuint (rc_disc_add_track (disc, source, &error), ==, 1);
  if (with_rw)
    {
      /* One 96-symbol packet per sector of the full image: 30150. */
      int fd = memfd_create ("rw", MFD_CLOEXEC);
      g_autoptr(RcSubcodeSource) rw = NULL;

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (ftruncate (fd, (off_t) 30150 * 96), ==, 0);
      rw = rc_subcode_source_new_from_fd (fd, &error);
      g_assert_no_error (error);
      g_assert_true (rc_disc_set_rw_generator (disc, rw, &error));
    }
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  return layout;
}

static void
test_parse (void)
{
  static const struct { const char *name; RcOutputFormat format; } known[] = {
    { NULL, RC_OUTPUT_FORMAT_IMAPI },
    { "imapi", RC_OUTPUT_FORMAT_IMAPI },
    { "cue", RC_OUTPUT_FORMAT_CUE },
    { "toc", RC_OUTPUT_FORMAT_TOC },
    { "clonecd", RC_OUTPUT_FORMAT_CLONECD },
  };
  g_autoptr(GError) error = NULL;
  RcOutputFormat format;

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_assert_true (rc_output_format_parse (known[i].name, &format, &error));
      g_assert_no_error (error);
      g_assert_cmpint (format, ==, known[i].format);
      if (known[i].name != NULL)
        g_assert_cmpstr (rc_output_format_to_string (format), ==, known[i].name);
    }
  g_assert_false (rc_output_format_parse ("CUE", &format, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "\"CUE\""));
}

typedef struct {
  RcOutputFormat format;
  gboolean       with_rw;
  RcImageType    disc_type;
  RcImageType    type;
  gint           first_lba, end_lba;
  guint          n_outputs;
  RcSectorForm   data_form;
} PlanCase;

static void
test_plans (void)
{
  static const PlanCase cases[] = {
    /* IMAPI: the full image in the disc's own type. */
    { RC_OUTPUT_FORMAT_IMAPI, FALSE, RC_IMAGE_TYPE_IS_RAW, RC_IMAGE_TYPE_IS_RAW,
      -22650, 7500, 1, RC_SECTOR_FORM_FULL },
    { RC_OUTPUT_FORMAT_IMAPI, FALSE, RC_IMAGE_TYPE_PQ_ONLY, RC_IMAGE_TYPE_PQ_ONLY,
      -22650, 7500, 1, RC_SECTOR_FORM_FULL },
    /* Side formats: LBA 0 to the lead-out; the main channel alone needs
     * no R-W, so PQ_ONLY whatever the disc's type. */
    { RC_OUTPUT_FORMAT_CUE, FALSE, RC_IMAGE_TYPE_IS_RAW, RC_IMAGE_TYPE_PQ_ONLY,
      0, 750, 1, RC_SECTOR_FORM_AUDIO },
    { RC_OUTPUT_FORMAT_TOC, FALSE, RC_IMAGE_TYPE_IS_RAW, RC_IMAGE_TYPE_PQ_ONLY,
      0, 750, 1, RC_SECTOR_FORM_AUDIO_BE },
    /* The TOC carries R-W in RW_RAW blocks: raw subchannel, IS_RAW. */
    { RC_OUTPUT_FORMAT_TOC, TRUE, RC_IMAGE_TYPE_IS_RAW, RC_IMAGE_TYPE_IS_RAW,
      0, 750, 1, RC_SECTOR_FORM_AUDIO_BE_SUB },
    /* CloneCD: .img and .sub; the .sub is the raw subchannel: IS_RAW. */
    { RC_OUTPUT_FORMAT_CLONECD, FALSE, RC_IMAGE_TYPE_PQ_ONLY, RC_IMAGE_TYPE_IS_RAW,
      0, 750, 2, RC_SECTOR_FORM_AUDIO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const PlanCase *c = &cases[i];
      g_autoptr(RcLayout) layout = frozen_layout (c->with_rw);
      RcFormatPlan plan;

      g_test_message ("case %u: %s%s", i, rc_output_format_to_string (c->format),
                      c->with_rw ? " with R-W" : "");
      g_assert_cmpuint (rc_output_format_n_outputs (c->format, layout), ==, c->n_outputs);
      rc_format_plan (c->format, layout, c->disc_type, &plan);
      g_assert_cmpint (plan.format, ==, c->format);
      g_assert_cmpint (plan.type, ==, c->type);
      g_assert_cmpint (plan.first_lba, ==, c->first_lba);
      g_assert_cmpint (plan.end_lba, ==, c->end_lba);
      g_assert_cmpuint (plan.n_outputs, ==, c->n_outputs);
      g_assert_cmpint (plan.forms[0], ==, c->data_form);
      if (c->n_outputs == 2)
        g_assert_cmpint (plan.forms[1], ==, RC_SECTOR_FORM_SUB_PLANAR);
    }
}

static void
assert_name_refused (const char *name, gssize len, const char *word)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (rc_side_file_name_check (name, len, "argument 'data_file'", &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "argument 'data_file'"));
  g_assert_nonnull (strstr (error->message, word));
  /* A refused long name is not repeated in the reply. */
  g_assert_cmpuint (strlen (error->message), <, 200);
}

static void
test_names (void)
{
  g_autofree char *longest = g_strnfill (255, 'n');
  g_autofree char *too_long = g_strnfill (256, 'n');
  g_autofree char *huge = g_strnfill (1 << 20, 'n');
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_side_file_name_check ("album.bin", -1, "x", &error));
  g_assert_true (rc_side_file_name_check ("...", -1, "x", &error));
  g_assert_true (rc_side_file_name_check (".hidden", -1, "x", &error));
  g_assert_true (rc_side_file_name_check (longest, -1, "x", &error));
  g_assert_no_error (error);

  assert_name_refused ("", -1, "empty");
  assert_name_refused (too_long, -1, "256 bytes");
  assert_name_refused (huge, -1, "1048576 bytes");
  assert_name_refused ("dir/album.bin", -1, "'/'");
  assert_name_refused ("/album.bin", -1, "'/'");
  assert_name_refused (".", -1, "not a file name");
  assert_name_refused ("..", -1, "not a file name");
  assert_name_refused ("a\0b", 3, "NUL");
}

static void
test_default_sub_name (void)
{
  static const char *const cases[][2] = {
    { "album.img", "album.sub" },
    { "album", "album.sub" },
    { "my.album.img", "my.album.sub" },
    { ".img", ".img.sub" },   /* a leading dot starts no extension */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sub = rc_side_file_default_sub_name (cases[i][0]);

      g_assert_cmpstr (sub, ==, cases[i][1]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format-plan/parse", test_parse);
  g_test_add_func ("/format-plan/plans", test_plans);
  g_test_add_func ("/format-plan/names", test_names);
  g_test_add_func ("/format-plan/default-sub-name", test_default_sub_name);
  return g_test_run ();
}
