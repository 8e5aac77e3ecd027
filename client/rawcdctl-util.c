/* rawcdctl-util.c: helpers every subcommand uses: option contexts, error
 * lines, opening files, the connection, property writes, MSF.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "rawcdctl.h"
#include "rawcdctl-json.h"

GOptionContext *
rcd_ctl_option_context_new (const char *command,
                            const char *parameters,
                            const char *summary)
{
  GOptionContext *context = g_option_context_new (parameters);
  g_autofree char *prgname = NULL;

  g_option_context_set_summary (context, summary);
  /* the usage line reads "rawcdctl COMMAND [OPTION…] PARAMETERS" */
  prgname = command == NULL ? g_strdup ("rawcdctl")
                            : g_strconcat ("rawcdctl ", command, NULL);
  g_set_prgname (prgname);
  return context;
}

gboolean
rcd_ctl_parse_options (GOptionContext *context,
                       const char     *command,
                       int            *argc,
                       char         ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  rcd_ctl_usage_error (command, "%s", error->message);
  return FALSE;
}

int
rcd_ctl_usage_error (const char *command, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("rawcdctl %s: %s\n", command, message);
  g_printerr ("Try 'rawcdctl %s --help' for more information.\n", command);
  return RCD_CTL_EXIT_USAGE;
}

void
rcd_ctl_prefix_error (GError **error, const char *format, ...)
{
  g_autofree char *prefix = NULL;
  g_autofree char *remote = NULL;
  va_list args;

  if (error == NULL || *error == NULL)
    return;
  va_start (args, format);
  prefix = g_strdup_vprintf (format, args);
  va_end (args);

  /* The remote name leads the message ("GDBus.Error:NAME: text"), where
   * GLib looks for it: the prefix goes after it, so that the name stays
   * for --json (rcd_ctl_error_name) and is stripped when printed. */
  remote = g_dbus_error_get_remote_error (*error);
  g_dbus_error_strip_remote_error (*error);
  g_prefix_error (error, "%s", prefix);
  if (remote != NULL)
    g_prefix_error (error, "GDBus.Error:%s: ", remote);
}

char *
rcd_ctl_error_name (const GError *error)
{
  return g_dbus_error_get_remote_error (error);
}

char *
rcd_ctl_error_message (const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  g_dbus_error_strip_remote_error (copy);
  return g_strdup (copy->message);
}

int
rcd_ctl_print_error (GError *error)
{
  g_autofree char *message = rcd_ctl_error_message (error);

  /* one line, even if a message spans several */
  g_strdelimit (message, "\r\n", ' ');
  g_printerr ("rawcdctl: %s\n", message);
  if (error->domain == G_OPTION_ERROR)
    return RCD_CTL_EXIT_USAGE;
  return RCD_CTL_EXIT_FAILURE;
}

void
rcd_ctl_json_error_members (RcdJson *json, const GError *error)
{
  g_autofree char *message = rcd_ctl_error_message (error);
  g_autofree char *name = rcd_ctl_error_name (error);

  rcd_json_member (json, "message");
  rcd_json_string (json, message);
  rcd_json_member (json, "error_name");
  rcd_json_string (json, name);
}

int
rcd_ctl_report_error (GError *error, gboolean json)
{
  if (json) {
    g_autoptr(RcdJson) object = rcd_json_new ();

    rcd_json_begin_object (object);
    rcd_json_member (object, "success");
    rcd_json_boolean (object, FALSE);
    rcd_ctl_json_error_members (object, error);
    rcd_json_end_object (object);
    rcd_json_print_line (object);
  }
  return rcd_ctl_print_error (error);
}

int
rcd_ctl_open_read (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

  if (fd < 0) {
    int errsv = errno;
    g_autofree char *display = g_filename_display_name (path);

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                 "cannot open %s: %s", display, g_strerror (errsv));
  }
  return fd;
}

gboolean
rcd_ctl_connect (RcdCtl *ctl, GError **error)
{
  if (ctl->bus != NULL)
    return TRUE;
  ctl->bus = rcd_ctl_bus_open (ctl->bus_kind, ctl->bus_address, !ctl->quiet, error);
  return ctl->bus != NULL;
}

gboolean
rcd_ctl_set_property (GDBusProxy  *proxy,
                      const char  *name,
                      GVariant    *value,
                      GError     **error)
{
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (g_dbus_proxy_get_connection (proxy),
                                       g_dbus_proxy_get_name (proxy),
                                       g_dbus_proxy_get_object_path (proxy),
                                       "org.freedesktop.DBus.Properties", "Set",
                                       g_variant_new ("(ssv)",
                                                      g_dbus_proxy_get_interface_name (proxy),
                                                      name, value),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, error);
  return reply != NULL;
}

char *
rcd_ctl_format_msf (gint64 sectors)
{
  guint64 n = sectors < 0 ? (guint64) -sectors : (guint64) sectors;

  return g_strdup_printf ("%s%02" G_GUINT64_FORMAT ":%02u:%02u",
                          sectors < 0 ? "-" : "",
                          n / (75 * 60), (guint) (n / 75 % 60), (guint) (n % 75));
}
