/* rawcdctl-cmd-status.c: rawcdctl status: which rawcd service answers, its version
 * and the audio formats it reads (the Manager's properties).
 */
#include "rawcdctl.h"
#include "rcd-dbus-generated.h"

static gboolean
print_status (RcdCtl *ctl, GError **error)
{
  g_autoptr(RcdDBusManager) manager = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *formats = NULL;
  const char *const *format_list;
  const char *version;

  if (!rcd_ctl_connect (ctl, error))
    return FALSE;
  manager = rcd_dbus_manager_proxy_new_sync (rcd_ctl_bus_get_connection (ctl->bus),
                                        G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                        RAWCD_BUS_NAME, RAWCD_MANAGER_PATH,
                                        NULL, error);
  if (manager == NULL)
    return FALSE;

  version = rcd_dbus_manager_get_version (manager);
  if (version == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "the service on %s did not tell its version",
                 rcd_ctl_bus_get_description (ctl->bus));
    return FALSE;
  }
  format_list = rcd_dbus_manager_get_supported_input_formats (manager);
  formats = format_list != NULL ? g_strjoinv (", ", (char **) format_list) : g_strdup ("");
  owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (manager));

  if (rcd_ctl_bus_is_embedded (ctl->bus))
    g_print ("Service:        %s (private, for this command only)\n",
             rcd_ctl_bus_get_daemon_path (ctl->bus));
  else
    g_print ("Service:        %s on %s (%s)\n", RAWCD_BUS_NAME,
             rcd_ctl_bus_get_description (ctl->bus), owner != NULL ? owner : "no owner");
  g_print ("Version:        %s\n", version);
  g_print ("Input formats:  %s\n", formats);
  g_print ("Raw input:      44.1 kHz 16-bit stereo little-endian PCM (--raw)\n");
  g_print ("rawcdctl:       %s\n", RAWCD_VERSION);
  return TRUE;
}

int
rcd_ctl_cmd_status (RcdCtl *ctl, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  context = rcd_ctl_option_context_new ("status", NULL,
    "Shows which rawcd service answers (on the bus asked for, or a private\n"
    "one), its version and the audio formats it reads.");
  if (!rcd_ctl_parse_options (context, "status", &argc, &argv))
    return RCD_CTL_EXIT_USAGE;
  if (argc > 1)
    return rcd_ctl_usage_error ("status", "unexpected argument '%s'", argv[1]);

  if (!print_status (ctl, &error))
    return rcd_ctl_print_error (error);
  return RCD_CTL_EXIT_OK;
}
