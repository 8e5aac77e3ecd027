/* rawcdctl.c: main(), the global options and the table of subcommands.
 *
 * The global options come before the command ("rawcdctl --session info
 * a.wav"); everything from the command on belongs to the command, which
 * parses it with its own GOptionContext.  To add a command, write its
 * cmd-NAME.c and add a line to the table: `rawcdctl --help` lists it.
 */
#include <locale.h>

#include "rawcdctl.h"

typedef struct {
  const char        *name;
  RcdCtlCommandFunc  func;
  const char        *description;
} RcdCtlCommand;

static const RcdCtlCommand commands[] = {
  { "create", rcd_ctl_cmd_create, "Write the raw image of an audio CD made of audio files" },
  { "info",   rcd_ctl_cmd_info,   "Show the layout, TOC and disc IDs a disc of audio files would have" },
  { "inspect", rcd_ctl_cmd_inspect, "Check a raw CD image and show what its subchannel holds" },
  { "status", rcd_ctl_cmd_status, "Show the rawcd service's version and the formats it reads" },
};

static const RcdCtlCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  }
  return NULL;
}

static char *
commands_summary (void)
{
  GString *summary = g_string_new ("Make raw audio CD images with the rawcd service.\n\nCommands:");
  int width = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) strlen (commands[i].name));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (summary, "\n  %-*s  %s",
                            width, commands[i].name, commands[i].description);
  return g_string_free (summary, FALSE);
}

static void
rcd_ctl_clear (RcdCtl *ctl)
{
  g_clear_pointer (&ctl->bus, rcd_ctl_bus_free);
  g_clear_pointer (&ctl->bus_address, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RcdCtl, rcd_ctl_clear)

int
main (int argc, char **argv)
{
  g_auto(RcdCtl) ctl = { .bus_kind = RCD_CTL_BUS_SYSTEM };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *help = NULL;
  gboolean system_bus = FALSE;
  gboolean session_bus = FALSE;
  const RcdCtlCommand *command;
  const GOptionEntry entries[] = {
    { "system", 0, 0, G_OPTION_ARG_NONE, &system_bus,
      "Use the rawcd service on the system bus (the default)", NULL },
    { "session", 0, 0, G_OPTION_ARG_NONE, &session_bus,
      "Use the rawcd service on the session bus", NULL },
    { "address", 0, 0, G_OPTION_ARG_STRING, &ctl.bus_address,
      "Use the rawcd service on the message bus at ADDRESS", "ADDRESS" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &ctl.quiet,
      "Do not say when a private rawcdd is used", NULL },
    G_OPTION_ENTRY_NULL
  };

  setlocale (LC_ALL, "");

  summary = commands_summary ();
  context = rcd_ctl_option_context_new (NULL, "COMMAND [ARGUMENT…]", summary);
  g_option_context_set_description (context,
    "Run 'rawcdctl COMMAND --help' for the options of a command.\n"
    "When no rawcd service answers on the bus, rawcdctl starts a private\n"
    "rawcdd for the command, and says so on stderr (not with --quiet, and\n"
    "not where the output says it: status, --json).\n");
  /* stop at the command: the rest is the command's */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("rawcdctl: %s\nTry 'rawcdctl --help' for more information.\n",
                error->message);
    return RCD_CTL_EXIT_USAGE;
  }

  if ((system_bus ? 1 : 0) + (session_bus ? 1 : 0) + (ctl.bus_address != NULL ? 1 : 0) > 1) {
    g_printerr ("rawcdctl: --system, --session and --address exclude each other\n");
    return RCD_CTL_EXIT_USAGE;
  }
  if (session_bus)
    ctl.bus_kind = RCD_CTL_BUS_SESSION;
  else if (ctl.bus_address != NULL)
    ctl.bus_kind = RCD_CTL_BUS_ADDRESS;

  if (argc < 2) {
    help = g_option_context_get_help (context, TRUE, NULL);
    g_printerr ("%s", help);
    return RCD_CTL_EXIT_USAGE;
  }
  command = find_command (argv[1]);
  if (command == NULL) {
    g_printerr ("rawcdctl: unknown command '%s'\nTry 'rawcdctl --help' for the commands.\n",
                argv[1]);
    return RCD_CTL_EXIT_USAGE;
  }
  return command->func (&ctl, argc - 1, argv + 1);
}
