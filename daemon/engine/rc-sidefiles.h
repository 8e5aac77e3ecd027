/* rc-sidefiles.h: the text side files that let Linux programs burn or
 * mount an image's data files: a CUE sheet, a cdrdao TOC file or a CloneCD
 * control file, made from a frozen layout.
 *
 * Every format describes a data file of the sectors from LBA 0 (MSF
 * 00:02:00) to the lead-out, in the form rc_side_format_data_form() says:
 * for the CUE sheet, 2352-byte sectors of little-endian audio
 * (RC_SECTOR_FORM_AUDIO), which is byte for byte the CloneCD .img; for the
 * cdrdao TOC file, big-endian audio (RC_SECTOR_FORM_AUDIO_BE, cdrdao's raw
 * byte order), or with R-W data 2448-byte blocks of big-endian audio and
 * the raw subchannel (RC_SECTOR_FORM_AUDIO_BE_SUB, cdrdao's RW_RAW), so
 * the TOC file needs a data file of its own.  CloneCD adds a .sub file, 96
 * bytes per sector of that same range in RC_SECTOR_FORM_SUB_PLANAR.  What each
 * format cannot carry (the first 150 sectors of a hidden track, SCMS in a
 * TOC, CD-TEXT beyond one Latin-1 block in a CUE sheet ...) is listed in
 * docs/formats.md.
 *
 * The texts are C strings but not all UTF-8: a CUE sheet is ISO-8859-1
 * (what libcdio and libburn read), a TOC file is ASCII with octal escapes
 * (the data file name excepted) and a CloneCD file is ASCII.  Write them
 * to files as bytes; never hand them over as D-Bus strings.
 *
 * Pure functions of the layout: call them from any thread.
 */
#pragma once

#include "rc-image-writer.h"
#include "rc-layout.h"

G_BEGIN_DECLS

typedef enum {
  RC_SIDE_FORMAT_CUE,
  RC_SIDE_FORMAT_TOC,
  RC_SIDE_FORMAT_CLONECD,
} RcSideFormat;

/* "cue", "toc" or "clonecd"; anything else fails with
 * RC_ERROR_INVALID_ARGUMENT naming the accepted names. */
gboolean    rc_side_format_parse   (const char   *name,
                                    RcSideFormat *out,
                                    GError      **error);
const char *rc_side_format_to_string (RcSideFormat format);

/* The sectors of the data file: first_lba .. end_lba - 1, for
 * rc_image_write_range() in rc_side_format_data_form() (and, where
 * rc_side_format_has_subchannel(), a second output in
 * RC_SECTOR_FORM_SUB_PLANAR over the same range).  LBA 0 to the lead-out
 * for every format. */
void        rc_side_format_data_range      (RcSideFormat    format,
                                            const RcLayout *layout,
                                            gint           *first_lba,
                                            gint           *end_lba);

/* The form of the data file's sectors: RC_SECTOR_FORM_AUDIO (little-endian
 * samples) for CUE and CloneCD; for TOC RC_SECTOR_FORM_AUDIO_BE, or
 * RC_SECTOR_FORM_AUDIO_BE_SUB when the layout has an R-W generator
 * (layout->rw), whose R-W bits only an image type with R-W (IS_RAW)
 * fills. */
RcSectorForm rc_side_format_data_form      (RcSideFormat    format,
                                            const RcLayout *layout);

/* Whether a separate subchannel file goes with the data file: TRUE for
 * CloneCD (its .sub), FALSE for CUE and TOC. */
gboolean    rc_side_format_has_subchannel  (RcSideFormat    format,
                                            const RcLayout *layout);

/* The text file(s) of a format for the data file `bin_name` (and
 * `sub_name`, the subchannel file, where there is one), as a table of file
 * kind -> text, both owned by the table:
 *   RC_SIDE_FORMAT_CUE      "cue"  the CUE sheet
 *   RC_SIDE_FORMAT_TOC      "toc"  the cdrdao TOC file
 *   RC_SIDE_FORMAT_CLONECD  "ccd"  the CloneCD control file
 * Names are written as given (relative names are relative to the text
 * file).  A CloneCD control file names no files: its readers take BASE.img
 * and BASE.sub beside BASE.ccd, so bin_name must end in ".img" and
 * sub_name must be the same base with ".sub".  Readers of a CUE sheet
 * (libcdio, cdrdao) likewise expect BASE.bin beside BASE.cue.
 * Fails with RC_ERROR_INVALID_ARGUMENT for a missing name, a name with a
 * double quote, a backslash or a control character, or CloneCD names that
 * break the rule above. */
GHashTable *rc_side_files_build (RcSideFormat    format,
                                 const RcLayout *layout,
                                 const char     *bin_name,
                                 const char     *sub_name,
                                 GError        **error);

G_END_DECLS
