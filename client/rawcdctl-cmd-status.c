/* rawcdctl-cmd-status.c: rawcdctl status: which rawcd service answers, its
 * version and the audio formats it reads (the Manager's properties).
 */
#include "rawcdctl.h"
#include "rcd-dbus-generated.h"

#define RAW_INPUT_DESCRIPTION "44.1 kHz 16-bit stereo little-endian PCM (--raw)"

typedef struct {
  gboolean           embedded;
  const char        *daemon_path;   /* the private rawcdd, or NULL */
  const char        *bus;           /* "the system bus" ... */
  char              *owner;         /* the service's unique name */
  const char        *version;
  const char *const *formats;
} Status;

static void
print_text (const Status *status)
{
  g_autofree char *formats = status->formats != NULL
    ? g_strjoinv (", ", (char **) status->formats) : g_strdup ("");

  if (status->embedded)
    g_print ("Service:        %s (private, for this command only)\n", status->daemon_path);
  else
    g_print ("Service:        %s on %s (%s)\n", RAWCD_BUS_NAME, status->bus,
             status->owner != NULL ? status->owner : "no owner");
  g_print ("Version:        %s\n", status->version);
  g_print ("Input formats:  %s\n", formats);
  g_print ("Raw input:      %s\n", RAW_INPUT_DESCRIPTION);
  g_print ("rawcdctl:       %s\n", RAWCD_VERSION);
}

static void
print_json (const Status *status)
{
  g_autoptr(RcdJson) json = rcd_json_new ();

  rcd_json_begin_object (json);
  rcd_json_member (json, "success");
  rcd_json_boolean (json, TRUE);
  rcd_json_member (json, "service");
  rcd_json_string (json, RAWCD_BUS_NAME);
  rcd_json_member (json, "private");
  rcd_json_boolean (json, status->embedded);
  rcd_json_member (json, "bus");
  rcd_json_string (json, status->bus);
  rcd_json_member (json, "daemon");
  rcd_json_string (json, status->daemon_path);
  rcd_json_member (json, "owner");
  rcd_json_string (json, status->owner);
  rcd_json_member (json, "version");
  rcd_json_string (json, status->version);
  rcd_json_member (json, "input_formats");
  rcd_json_begin_array (json);
  for (gsize i = 0; status->formats != NULL && status->formats[i] != NULL; i++)
    rcd_json_string (json, status->formats[i]);
  rcd_json_end_array (json);
  rcd_json_member (json, "raw_input");
  rcd_json_string (json, RAW_INPUT_DESCRIPTION);
  rcd_json_member (json, "rawcdctl_version");
  rcd_json_string (json, RAWCD_VERSION);
  rcd_json_end_object (json);
  rcd_json_print_line (json);
}

static gboolean
print_status (RcdCtl *ctl, gboolean json, GError **error)
{
  g_autoptr(RcdDBusManager) manager = NULL;
  Status status = { 0 };

  if (!rcd_ctl_connect (ctl, error))
    return FALSE;
  manager = rcd_dbus_manager_proxy_new_sync (rcd_ctl_bus_get_connection (ctl->bus),
                                             G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                             RAWCD_BUS_NAME, RAWCD_MANAGER_PATH,
                                             NULL, error);
  if (manager == NULL)
    return FALSE;

  status.version = rcd_dbus_manager_get_version (manager);
  if (status.version == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "the service on %s did not tell its version",
                 rcd_ctl_bus_get_description (ctl->bus));
    return FALSE;
  }
  status.embedded = rcd_ctl_bus_is_embedded (ctl->bus);
  status.daemon_path = rcd_ctl_bus_get_daemon_path (ctl->bus);
  status.bus = rcd_ctl_bus_get_description (ctl->bus);
  status.owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (manager));
  status.formats = rcd_dbus_manager_get_supported_input_formats (manager);

  if (json)
    print_json (&status);
  else
    print_text (&status);
  g_free (status.owner);
  return TRUE;
}

int
rcd_ctl_cmd_status (RcdCtl *ctl, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print the status as one JSON object", NULL },
    G_OPTION_ENTRY_NULL
  };

  context = rcd_ctl_option_context_new ("status", NULL,
    "Shows which rawcd service answers (on the bus asked for, or a private\n"
    "one), its version and the audio formats it reads.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!rcd_ctl_parse_options (context, "status", &argc, &argv))
    return RCD_CTL_EXIT_USAGE;
  if (argc > 1)
    return rcd_ctl_usage_error ("status", "unexpected argument '%s'", argv[1]);

  /* the output says which service answered */
  ctl->quiet = TRUE;
  if (!print_status (ctl, json, &error))
    return rcd_ctl_report_error (error, json);
  return RCD_CTL_EXIT_OK;
}
