/* rawcdctl-cmd-inspect.c: rawcdctl inspect: reads a raw CD image back with the
 * service's inspector (Manager.InspectImage) and reports what the image
 * holds and what is wrong with it.
 *
 * The exit status says whether it is clean: 0 clean, 1 problems found (or
 * the inspection failed), 2 a bad command line.
 */
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "rawcdctl-inspect-report.h"
#include "rawcdctl.h"
#include "rcd-dbus-generated.h"

/* ---- the call ------------------------------------------------------------ */

static int
open_image (const char *path, GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  struct stat st;
  int fd;

  fd = rcd_ctl_open_read (path, error);
  if (fd < 0)
    return -1;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)) {
    close (fd);
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 "cannot inspect %s: not a regular file", display);
    return -1;
  }
  return fd;
}

/* The sheet's bytes as they are in the file (CUE sheets are often not
 * UTF-8): the service bounds their size and says so; a file far beyond any
 * sheet is not even sent. */
static GVariant *
read_sheet (const char *path, const char *what, GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *text = NULL;
  gsize len = 0;
  struct stat st;

  if (stat (path, &st) == 0 && st.st_size > 1024 * 1024) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 "%s is %lld bytes: not a %s", display, (long long) st.st_size, what);
    return NULL;
  }
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text, len, 1);
}

static GVariant *
inspect (RcdCtl *ctl, const char *image, const char *sub, const char *cue, const char *ccd,
         const char *toc, GError **error)
{
  g_autoptr(RcdDBusManager) manager = NULL;
  g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new ();
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *display = g_filename_display_name (image);
  GVariantBuilder options;
  int image_fd;
  int handle;

  image_fd = open_image (image, error);
  if (image_fd < 0)
    return NULL;
  handle = g_unix_fd_list_append (fd_list, image_fd, error);
  close (image_fd);
  if (handle < 0)
    return NULL;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  if (cue != NULL) {
    GVariant *sheet = read_sheet (cue, "CUE sheet", error);

    if (sheet == NULL) {
      g_variant_builder_clear (&options);
      return NULL;
    }
    g_variant_builder_add (&options, "{sv}", "cue_sheet", sheet);
  }
  if (ccd != NULL) {
    GVariant *control = read_sheet (ccd, "CloneCD control file", error);

    if (control == NULL) {
      g_variant_builder_clear (&options);
      return NULL;
    }
    g_variant_builder_add (&options, "{sv}", "clonecd_control", control);
  }
  if (toc != NULL) {
    GVariant *toc_file = read_sheet (toc, "cdrdao TOC file", error);

    if (toc_file == NULL) {
      g_variant_builder_clear (&options);
      return NULL;
    }
    g_variant_builder_add (&options, "{sv}", "toc_file", toc_file);
  }
  if (sub != NULL) {
    int sub_fd = open_image (sub, error);
    int sub_handle;

    if (sub_fd < 0) {
      g_variant_builder_clear (&options);
      return NULL;
    }
    sub_handle = g_unix_fd_list_append (fd_list, sub_fd, error);
    close (sub_fd);
    if (sub_handle < 0) {
      g_variant_builder_clear (&options);
      return NULL;
    }
    g_variant_builder_add (&options, "{sv}", "subchannel", g_variant_new_handle (sub_handle));
  }

  if (!rcd_ctl_connect (ctl, error)) {
    g_variant_builder_clear (&options);
    return NULL;
  }
  manager = rcd_dbus_manager_proxy_new_sync (rcd_ctl_bus_get_connection (ctl->bus),
                                        G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                        G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                        RAWCD_BUS_NAME, RAWCD_MANAGER_PATH, NULL, error);
  if (manager == NULL) {
    g_variant_builder_clear (&options);
    return NULL;
  }
  /* the service reads the whole image: no time limit */
  reply = g_dbus_proxy_call_with_unix_fd_list_sync (G_DBUS_PROXY (manager), "InspectImage",
                                                    g_variant_new ("(ha{sv})", 0, &options),
                                                    G_DBUS_CALL_FLAGS_NONE, G_MAXINT,
                                                    fd_list, NULL, NULL, error);
  if (reply == NULL) {
    rcd_ctl_prefix_error (error, "%s: ", display);
    return NULL;
  }
  if (!g_variant_is_of_type (reply, G_VARIANT_TYPE ("(a{sv})"))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the service answered InspectImage with %s", g_variant_get_type_string (reply));
    return NULL;
  }
  return g_variant_get_child_value (reply, 0);
}

int
rcd_ctl_cmd_inspect (RcdCtl *ctl, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) report = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *cue = NULL;
  g_autofree char *ccd = NULL;
  g_autofree char *toc = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "sub", 0, 0, G_OPTION_ARG_FILENAME, &sub,
      "IMAGE is a BIN or .img and FILE its .sub (96 bytes a sector)", "FILE" },
    { "cue", 0, 0, G_OPTION_ARG_FILENAME, &cue,
      "IMAGE is the BIN of this CUE sheet; check the sheet against it", "SHEET" },
    { "ccd", 0, 0, G_OPTION_ARG_FILENAME, &ccd,
      "IMAGE is the .img of this CloneCD file (with --sub its .sub); check them as one", "CCD" },
    { "toc", 0, 0, G_OPTION_ARG_FILENAME, &toc,
      "IMAGE is the data file of this cdrdao TOC file; check the TOC against it", "TOC" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print the report as one JSON object", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };

  context = rcd_ctl_option_context_new ("inspect", "IMAGE",
    "Reads a raw CD image back from its subchannel and reports what it\n"
    "holds: its format, the tracks with their start (LBA and MSF), indexes,\n"
    "ISRCs and copy flags, the MCN, the table of contents, the CD-TEXT of\n"
    "the lead-in, and every problem found with the LBA and MSF where it\n"
    "shows.  The last line says \"clean\" or how many problems there are.\n"
    "IMAGE is a full image (create's default format, any image type), or\n"
    "with --sub a BIN or CloneCD .img of 2352-byte sectors.  With --cue,\n"
    "IMAGE is the BIN the CUE sheet names (with --sub, its .sub if there is\n"
    "one): the sheet's indexes, ISRCs, CATALOG and flags are checked\n"
    "against the data, and its own faults reported with their lines.\n"
    "With --ccd and --sub, IMAGE is a CloneCD .img: the control file's TOC,\n"
    "indexes and CATALOG are checked against the .sub and its CD-TEXT shown.\n"
    "With --toc, IMAGE is the data file a cdrdao TOC file names: where the\n"
    "TOC puts each track, START and INDEX is checked against the data file,\n"
    "and its CATALOG, ISRCs and CD-TEXT by the rules cdrdao applies before\n"
    "it writes.\n"
    "\n"
    "Exit status: 0 clean, 1 problems found (or the image could not be\n"
    "inspected), 2 a bad command line.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!rcd_ctl_parse_options (context, "inspect", &argc, &argv))
    return RCD_CTL_EXIT_USAGE;
  if (files == NULL || files[0] == NULL)
    return rcd_ctl_usage_error ("inspect", "no IMAGE");
  if (files[1] != NULL)
    return rcd_ctl_usage_error ("inspect", "one IMAGE at a time");

  if (ccd != NULL && (sub == NULL || cue != NULL))
    return rcd_ctl_usage_error ("inspect", "--ccd needs --sub (the .sub) and no --cue");
  if (toc != NULL && (sub != NULL || cue != NULL || ccd != NULL))
    return rcd_ctl_usage_error ("inspect", "--toc goes without --sub, --cue or --ccd");

  report = inspect (ctl, files[0], sub, cue, ccd, toc, &error);
  if (report == NULL)
    return rcd_ctl_print_error (error);
  if (json)
    rcd_ctl_inspect_print_json (report, files[0], sub);
  else
    rcd_ctl_inspect_print_text (report, files[0], sub);
  return rcd_ctl_inspect_is_clean (report) ? RCD_CTL_EXIT_OK : RCD_CTL_EXIT_FAILURE;
}
