/* rawcdctl-formats.c: what --format writes: the files of each format, their
 * names beside OUTPUT, and the side file the service makes for them.
 */
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "rawcdctl.h"
#include "rawcdctl-formats.h"
#include "rawcdctl-output-file.h"

static const RcdCtlFormat formats[] = {
  { "imapi",   NULL,  NULL,              FALSE },
  { "cue",     "cue", "the CUE sheet",   FALSE },
  { "toc",     "toc", "the TOC file",    FALSE },
  { "clonecd", "ccd", "the CloneCD file", TRUE },
};

const RcdCtlFormat *
rcd_ctl_format_find (const char *name)
{
  if (name == NULL)
    return &formats[0];
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++) {
    if (g_ascii_strcasecmp (formats[i].name, name) == 0)
      return &formats[i];
  }
  return NULL;
}

/* path with the extension of its file name replaced by extension, or
 * extension appended when it has none ("a.bin" -> "a.cue", "a" -> "a.cue",
 * ".a" -> ".a.cue") */
static char *
with_extension (const char *path, const char *extension)
{
  const char *base = strrchr (path, '/');
  const char *dot;
  g_autofree char *stem = NULL;

  base = base != NULL ? base + 1 : path;
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return g_strconcat (path, ".", extension, NULL);
  stem = g_strndup (path, dot - path);
  return g_strconcat (stem, ".", extension, NULL);
}

/* The files a format makes, output first, the side file last; a usage
 * error (G_OPTION_ERROR) when OUTPUT's name does not fit the format. */
GStrv
rcd_ctl_format_output_paths (const RcdCtlFormat *format, const char *output, GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *base = g_path_get_basename (output);
  g_autofree char *sheet = NULL;

  g_strv_builder_add (builder, output);
  if (format->sheet == NULL)
    return g_strv_builder_end (builder);
  if (rcd_ctl_output_file_is_stdout (output)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--format %s: OUTPUT cannot be standard output (-): %s is "
                 "named after it and written beside it", format->name, format->sheet_what);
    return NULL;
  }

  if (format->subchannel) {
    g_autofree char *sub = NULL;

    /* CloneCD readers find BASE.img and BASE.sub beside BASE.ccd */
    if (!g_str_has_suffix (base, ".img") || strlen (base) <= strlen (".img")) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--format %s: OUTPUT must be named NAME.img (readers look for "
                   "NAME.img and NAME.sub beside NAME.ccd)", format->name);
      return NULL;
    }
    sub = with_extension (output, "sub");
    g_strv_builder_add (builder, sub);
  }
  sheet = with_extension (output, format->sheet);
  if (g_str_equal (sheet, output)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--format %s: OUTPUT is the data file; %s would have the same name "
                 "(use -o NAME.bin)", format->name, format->sheet_what);
    return NULL;
  }
  g_strv_builder_add (builder, sheet);
  return g_strv_builder_end (builder);
}

/* Side files go beside OUTPUT, so every file must be one that is renamed
 * into place (not a FIFO or a device). */
gboolean
rcd_ctl_format_check_outputs (const RcdCtlFormat *format, char **paths, GError **error)
{
  for (char **p = paths; *p != NULL; p++) {
    GStatBuf st;

    if (!rcd_ctl_output_file_check (*p, error))
      return FALSE;
    if (format->sheet != NULL && g_stat (*p, &st) == 0 && !S_ISREG (st.st_mode)) {
      g_autofree char *display = g_filename_display_name (*p);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "--format %s: %s is not a regular file (the files of a "
                   "format with side files are created beside each other)",
                   format->name, display);
      return FALSE;
    }
  }
  return TRUE;
}

/* The side file of the layout, for the data file named as OUTPUT. */
GBytes *
rcd_ctl_format_get_side_file (RcdDBusImageCreator *creator,
                              const RcdCtlFormat  *format,
                              char               **paths,
                              GError             **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) files = NULL;
  g_autoptr(GVariant) data = NULL;
  g_autofree char *data_file = g_path_get_basename (paths[0]);
  GVariantBuilder options;

  if (!g_utf8_validate (data_file, -1, NULL)) {
    g_autofree char *display = g_filename_display_name (data_file);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                 "--format %s: the name %s is not UTF-8, and %s names the data file",
                 format->name, display, format->sheet_what);
    return NULL;
  }
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  if (format->subchannel) {
    g_autofree char *sub = g_path_get_basename (paths[1]);

    g_variant_builder_add (&options, "{sv}", "subchannel_file", g_variant_new_string (sub));
  }
  reply = g_dbus_proxy_call_sync (G_DBUS_PROXY (creator), "GetSideFiles",
                                  g_variant_new ("(ssa{sv})", format->name, data_file, &options),
                                  G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (reply == NULL) {
    rcd_ctl_prefix_error (error, "cannot make %s: ", format->sheet_what);
    return NULL;
  }
  if (!g_variant_is_of_type (reply, G_VARIANT_TYPE ("(a{say})"))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the service answered GetSideFiles with %s", g_variant_get_type_string (reply));
    return NULL;
  }
  files = g_variant_get_child_value (reply, 0);
  data = g_variant_lookup_value (files, format->sheet, G_VARIANT_TYPE_BYTESTRING);
  if (data == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the service gave no '%s' side file for --format %s",
                 format->sheet, format->name);
    return NULL;
  }
  return g_variant_get_data_as_bytes (data);
}
