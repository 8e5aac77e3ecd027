/* rawcdctl.h: what the subcommands of rawcdctl share: the command context,
 * exit statuses, the subcommand entry points and the error helpers.
 */
#pragma once

#include <gio/gio.h>

#include "rawcdctl-bus.h"
#include "rawcdctl-json.h"
#include "rawcd-names.h"

G_BEGIN_DECLS


/* Exit statuses */
#define RCD_CTL_EXIT_OK       0
#define RCD_CTL_EXIT_FAILURE  1   /* the command failed */
#define RCD_CTL_EXIT_USAGE    2   /* a bad command line */

typedef struct {
  RcdCtlBusKind  bus_kind;
  char          *bus_address;   /* with RCD_CTL_BUS_ADDRESS */
  /* no line on stderr about a private rawcdd: --quiet, or a command
   * whose output says it (status) or is for programs (--json) */
  gboolean       quiet;
  RcdCtlBus     *bus;           /* NULL until rcd_ctl_connect() */
} RcdCtl;

/* A subcommand: argv[0] is the command's name, the rest its arguments.
 * Returns the exit status. */
typedef int (*RcdCtlCommandFunc) (RcdCtl *ctl, int argc, char **argv);

int  rcd_ctl_cmd_create (RcdCtl *ctl, int argc, char **argv);
int  rcd_ctl_cmd_info   (RcdCtl *ctl, int argc, char **argv);
int  rcd_ctl_cmd_inspect (RcdCtl *ctl, int argc, char **argv);
int  rcd_ctl_cmd_status (RcdCtl *ctl, int argc, char **argv);

/* A GOptionContext for a subcommand: "rawcdctl COMMAND [OPTION…] PARAMETERS"
 * with summary as the text under the usage line. */
GOptionContext *rcd_ctl_option_context_new (const char *command,
                                            const char *parameters,
                                            const char *summary);

/* Parses a subcommand's arguments; on failure prints the error and a hint
 * to use --help, and returns FALSE (exit with RCD_CTL_EXIT_USAGE). */
gboolean rcd_ctl_parse_options (GOptionContext *context,
                                const char     *command,
                                int            *argc,
                                char         ***argv);

/* Prints "rawcdctl COMMAND: MESSAGE" and a --help hint on stderr; returns
 * RCD_CTL_EXIT_USAGE. */
int  rcd_ctl_usage_error (const char *command,
                          const char *format,
                          ...) G_GNUC_PRINTF (2, 3);

/* Prints error as one line "rawcdctl: MESSAGE" on stderr (a D-Bus error's
 * remote name stripped) and returns the exit status for it:
 * RCD_CTL_EXIT_USAGE for G_OPTION_ERROR, RCD_CTL_EXIT_FAILURE otherwise. */
int  rcd_ctl_print_error (GError *error);

/* Prefixes *error like g_prefix_error(), keeping a remote D-Bus error
 * name where rcd_ctl_error_name() finds it. */
void rcd_ctl_prefix_error (GError    **error,
                           const char *format,
                           ...) G_GNUC_PRINTF (2, 3);

/* The message of error without a remote D-Bus error name (a copy). */
char *rcd_ctl_error_message (const GError *error);

/* The D-Bus error name error came with
 * ("org.rawcd.RawCD1.Error.InvalidArgument"), NULL when it did not come
 * from the bus. */
char *rcd_ctl_error_name    (const GError *error);

/* For --json: the members "message" and "error_name" (null when the error
 * did not come from the bus) of error, in the object json is writing. */
void rcd_ctl_json_error_members (RcdJson *json, const GError *error);

/* rcd_ctl_print_error(); with json first the object {"success": false,
 * "message", "error_name"} on stdout. */
int  rcd_ctl_report_error (GError *error, gboolean json);

/* Opens path for reading (O_CLOEXEC, O_NOCTTY); fails with a
 * G_FILE_ERROR "cannot open PATH: REASON" and returns -1. */
int  rcd_ctl_open_read (const char *path, GError **error);

/* Connects to the bus asked for (or an embedded private rawcdd when no
 * rawcd service answers there); sets ctl->bus. */
gboolean rcd_ctl_connect (RcdCtl *ctl, GError **error);

/* Sets a property with org.freedesktop.DBus.Properties.Set and waits for
 * the answer (the generated proxies' setters do not report errors).
 * value is consumed if floating. */
gboolean rcd_ctl_set_property (GDBusProxy  *proxy,
                               const char  *name,
                               GVariant    *value,
                               GError     **error);

/* MM:SS:FF of a number of sectors (75 per second); negative values get a
 * leading "-". */
char *rcd_ctl_format_msf (gint64 sectors);

G_END_DECLS
