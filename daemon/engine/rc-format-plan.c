/* rc-format-plan.c: ranges, forms and outputs of each output format, and
 * the side-file name rules (rc-format-plan.h). */
#include "rc-format-plan.h"

#include <string.h>

#include "rc-error.h"

static const char *const format_names[] = {
  [RC_OUTPUT_FORMAT_IMAPI] = "imapi",
  [RC_OUTPUT_FORMAT_CUE] = "cue",
  [RC_OUTPUT_FORMAT_TOC] = "toc",
  [RC_OUTPUT_FORMAT_CLONECD] = "clonecd",
};

gboolean
rc_output_format_parse (const char *name, RcOutputFormat *out, GError **error)
{
  if (name == NULL)
    {
      *out = RC_OUTPUT_FORMAT_IMAPI;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    {
      if (g_str_equal (name, format_names[i]))
        {
          *out = (RcOutputFormat) i;
          return TRUE;
        }
    }
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "the format must be \"imapi\", \"cue\", \"toc\" or \"clonecd\", "
               "not \"%s\"", name);
  return FALSE;
}

const char *
rc_output_format_to_string (RcOutputFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), "imapi");
  return format_names[format];
}

RcSideFormat
rc_output_format_to_side (RcOutputFormat format)
{
  switch (format)
    {
    case RC_OUTPUT_FORMAT_CUE:
      return RC_SIDE_FORMAT_CUE;
    case RC_OUTPUT_FORMAT_TOC:
      return RC_SIDE_FORMAT_TOC;
    case RC_OUTPUT_FORMAT_CLONECD:
      return RC_SIDE_FORMAT_CLONECD;
    case RC_OUTPUT_FORMAT_IMAPI:
    default:
      g_return_val_if_reached (RC_SIDE_FORMAT_CUE);
    }
}

guint
rc_output_format_n_outputs (RcOutputFormat format, const RcLayout *layout)
{
  if (format == RC_OUTPUT_FORMAT_IMAPI)
    return 1;
  return rc_side_format_has_subchannel (rc_output_format_to_side (format), layout) ? 2 : 1;
}

void
rc_format_plan (RcOutputFormat  format,
                const RcLayout *layout,
                RcImageType     type,
                RcFormatPlan   *plan)
{
  RcSideFormat side;

  memset (plan, 0, sizeof *plan);
  plan->format = format;
  plan->n_outputs = rc_output_format_n_outputs (format, layout);

  if (format == RC_OUTPUT_FORMAT_IMAPI)
    {
      /* IMAPI's result: rc_image_write()'s range and form. */
      plan->type = type;
      rc_layout_image_range (layout, &plan->first_lba, &plan->end_lba);
      plan->forms[0] = RC_SECTOR_FORM_FULL;
      return;
    }

  side = rc_output_format_to_side (format);
  rc_side_format_data_range (side, layout, &plan->first_lba, &plan->end_lba);
  plan->forms[0] = rc_side_format_data_form (side, layout);
  plan->forms[1] = RC_SECTOR_FORM_SUB_PLANAR;
  /* A .sub, and the subchannel in the TOC's RW_RAW blocks, hold the
   * subchannel as a drive reads it raw: the IS_RAW form whatever
   * ResultingImageType says (docs/formats.md).  The main channel alone
   * does not depend on the type: PQ_ONLY spares the writer the R-W it
   * would compute for nothing. */
  plan->type = plan->n_outputs > 1 || plan->forms[0] == RC_SECTOR_FORM_AUDIO_BE_SUB
               ? RC_IMAGE_TYPE_IS_RAW : RC_IMAGE_TYPE_PQ_ONLY;
}

gboolean
rc_side_file_name_check (const char *name, gssize len, const char *what, GError **error)
{
  gsize n = len < 0 ? strlen (name) : (gsize) len;

  if (n == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s is empty; give a file name", what);
      return FALSE;
    }
  /* Before any message quotes the name: a long one is not repeated. */
  if (n > RC_SIDE_FILE_NAME_MAX)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s is %" G_GSIZE_FORMAT " bytes long; a file name has at most %d",
                   what, n, RC_SIDE_FILE_NAME_MAX);
      return FALSE;
    }
  if (memchr (name, '\0', n) != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s contains a NUL byte; give a plain file name", what);
      return FALSE;
    }
  if (memchr (name, '/', n) != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s (\"%.*s\") contains '/': give a plain file name, the text "
                   "file names its data file relative to itself", what, (int) n, name);
      return FALSE;
    }
  if ((n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s (\"%.*s\") is not a file name", what, (int) n, name);
      return FALSE;
    }
  return TRUE;
}

char *
rc_side_file_default_sub_name (const char *data_file)
{
  const char *dot = strrchr (data_file, '.');
  gsize base_len = dot != NULL && dot != data_file ? (gsize) (dot - data_file)
                                                  : strlen (data_file);

  return g_strdup_printf ("%.*s.sub", (int) base_len, data_file);
}
