/* rc-sidefiles.c: CUE sheets, cdrdao TOC files and CloneCD control files
 * for the data files of a frozen layout: which sectors and form each
 * format's data file has, the file-name rules, and the dispatch to the
 * writer of each format (rc-sidefiles-cue.c, -toc.c, -clonecd.c).
 * docs/formats.md explains every choice made here and what each format
 * cannot carry; the interop tests (tests/interop) check the results with
 * the programs that read them.
 */
#include "rc-sidefiles-private.h"
#include "rc-error.h"

#include <string.h>

/* ---- formats ---- */

static const char *const format_names[] = {
  [RC_SIDE_FORMAT_CUE] = "cue",
  [RC_SIDE_FORMAT_TOC] = "toc",
  [RC_SIDE_FORMAT_CLONECD] = "clonecd",
};

gboolean
rc_side_format_parse (const char *name, RcSideFormat *out, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_strcmp0 (name, format_names[i]) == 0)
      {
        *out = (RcSideFormat) i;
        return TRUE;
      }
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "unknown side file format \"%s\" (known: cue, toc, clonecd)",
               name != NULL ? name : "(null)");
  return FALSE;
}

const char *
rc_side_format_to_string (RcSideFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

void
rc_side_format_data_range (RcSideFormat format, const RcLayout *layout,
                           gint *first_lba, gint *end_lba)
{
  /* Every reader puts offset 0 of the data file at LBA 0 (00:02:00) and
   * writes LBA -150 .. -1 itself: see docs/formats.md. */
  *first_lba = 0;
  *end_lba = layout->leadout_lba;
}

RcSectorForm
rc_side_format_data_form (RcSideFormat format, const RcLayout *layout)
{
  /* cdrdao reads raw audio big-endian (FILE without SWAP, and DATAFILE
   * always), and takes R-W only inside RW_RAW DATAFILE blocks. */
  if (format == RC_SIDE_FORMAT_TOC)
    return layout->rw != NULL ? RC_SECTOR_FORM_AUDIO_BE_SUB : RC_SECTOR_FORM_AUDIO_BE;
  return RC_SECTOR_FORM_AUDIO;
}

gboolean
rc_side_format_has_subchannel (RcSideFormat format, const RcLayout *layout)
{
  return format == RC_SIDE_FORMAT_CLONECD;
}

/* ---- helpers ---- */

static gboolean
check_name (const char *what, const char *name, GError **error)
{
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "no %s file name", what);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '"' || *p == '\\' || (guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                     "the %s file name \"%s\" has a character that side files cannot quote",
                     what, name);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_clonecd_names (const char *bin_name, const char *sub_name, GError **error)
{
  gsize len;

  if (!check_name ("image", bin_name, error) || !check_name ("subchannel", sub_name, error))
    return FALSE;
  len = strlen (bin_name);
  if (!g_str_has_suffix (bin_name, ".img")
      || strlen (sub_name) != len
      || strncmp (bin_name, sub_name, len - 4) != 0
      || !g_str_has_suffix (sub_name, ".sub"))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CloneCD files are found by name: the image must be BASE.img and the"
                   " subchannel BASE.sub beside BASE.ccd (got \"%s\" and \"%s\")",
                   bin_name, sub_name);
      return FALSE;
    }
  return TRUE;
}

GHashTable *
rc_side_files_build (RcSideFormat    format,
                     const RcLayout *layout,
                     const char     *bin_name,
                     const char     *sub_name,
                     GError        **error)
{
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_return_val_if_fail (layout != NULL && layout->n_tracks > 0, NULL);

  switch (format)
    {
    case RC_SIDE_FORMAT_CUE:
      if (!check_name ("BIN", bin_name, error))
        return NULL;
      g_hash_table_insert (files, (gpointer) "cue", rc_side_build_cue (layout, bin_name));
      break;
    case RC_SIDE_FORMAT_TOC:
      if (!check_name ("BIN", bin_name, error))
        return NULL;
      g_hash_table_insert (files, (gpointer) "toc", rc_side_build_toc (layout, bin_name));
      break;
    case RC_SIDE_FORMAT_CLONECD:
      if (!check_clonecd_names (bin_name, sub_name, error))
        return NULL;
      g_hash_table_insert (files, (gpointer) "ccd", rc_side_build_ccd (layout));
      break;
    default:
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "unknown side file format %d", format);
      return NULL;
    }
  return g_steal_pointer (&files);
}
