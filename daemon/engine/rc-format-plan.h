/* rc-format-plan.h: what CreateResultImage and GetSideFiles write for each
 * output format, decided in one place.
 *
 * A format is IMAPI's full image ("imapi": MSF 95:00:00 to the end of the
 * lead-out, in the ResultingImageType's form) or the data file of a side
 * format ("cue", "toc", "clonecd": LBA 0 to the lead-out, in the form the
 * format's readers expect, rc-sidefiles.h), with a separate subchannel
 * file for CloneCD.  The plan says which sectors, in which forms, to how
 * many outputs, and with which image type the writer computes them.
 *
 * Side-file names (the data file a sheet names, CloneCD's .sub) are plain
 * names: one path component of at most RC_SIDE_FILE_NAME_MAX bytes,
 * neither "." nor "..", without '/' or NUL.  The sheet names its files
 * relative to itself, and a bounded name keeps every reply small.
 */
#pragma once

#include "rc-image-writer.h"
#include "rc-sidefiles.h"

G_BEGIN_DECLS

typedef enum {
  RC_OUTPUT_FORMAT_IMAPI,
  RC_OUTPUT_FORMAT_CUE,
  RC_OUTPUT_FORMAT_TOC,
  RC_OUTPUT_FORMAT_CLONECD,
} RcOutputFormat;

/* Outputs a plan has at most: the data file and its subchannel file. */
#define RC_FORMAT_PLAN_MAX_OUTPUTS 2

/* NAME_MAX of Linux file systems. */
#define RC_SIDE_FILE_NAME_MAX 255

typedef struct {
  RcOutputFormat format;
  RcImageType    type;            /* the image type the writer uses */
  gint           first_lba;       /* sectors first_lba .. end_lba - 1 */
  gint           end_lba;
  guint          n_outputs;       /* 1 or 2 */
  RcSectorForm   forms[RC_FORMAT_PLAN_MAX_OUTPUTS];  /* [0] data, [1] subchannel */
} RcFormatPlan;

/* "imapi", "cue", "toc" or "clonecd"; NULL means "imapi".  Anything else
 * fails with RC_ERROR_INVALID_ARGUMENT naming the accepted names. */
gboolean    rc_output_format_parse     (const char     *name,
                                        RcOutputFormat *out,
                                        GError        **error);
const char *rc_output_format_to_string (RcOutputFormat  format);
/* The side format of a format other than RC_OUTPUT_FORMAT_IMAPI. */
RcSideFormat rc_output_format_to_side  (RcOutputFormat  format);

/* How many outputs the format writes (1, or 2 with a subchannel file):
 * known before the layout is frozen, so that a caller can take and check
 * its descriptors first. */
guint       rc_output_format_n_outputs (RcOutputFormat  format,
                                        const RcLayout *layout);

/* The plan for a frozen layout (only a frozen layout has its R-W
 * generator, which decides the TOC data file's form).  type is the
 * disc's ResultingImageType. */
void        rc_format_plan             (RcOutputFormat  format,
                                        const RcLayout *layout,
                                        RcImageType     type,
                                        RcFormatPlan   *plan);

/* Checks a side-file name (len bytes at name, which may hold a NUL that
 * the check refuses; -1 for a NUL-terminated string).  what names it in
 * the message ("argument 'data_file'").  RC_ERROR_INVALID_ARGUMENT. */
gboolean    rc_side_file_name_check    (const char *name,
                                        gssize      len,
                                        const char *what,
                                        GError    **error);

/* CloneCD's subchannel file beside data_file: BASE.img gives BASE.sub,
 * a name without an extension NAME.sub.  Caller frees. */
char       *rc_side_file_default_sub_name (const char *data_file);

G_END_DECLS
