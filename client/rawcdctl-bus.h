/* rawcdctl-bus.h: the connection to a rawcd service: on the system bus, the
 * session bus or a given address, or, when no rawcd service answers there,
 * an embedded rawcdd on a private bus for the duration of the command.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  RCD_CTL_BUS_SYSTEM,
  RCD_CTL_BUS_SESSION,
  RCD_CTL_BUS_ADDRESS,
} RcdCtlBusKind;

typedef struct _RcdCtlBus RcdCtlBus;

/* Connects to the bus of kind (address for RCD_CTL_BUS_ADDRESS) and checks
 * that org.rawcd.RawCD1 answers there (activating it if the bus can).
 * When it does not (no owner and no activation, or no system or session bus
 * at all), starts dbus-daemon and rawcdd privately, says so on stderr in
 * one line if announce, and connects to them.  A bus address that cannot
 * be connected to is an error: the user asked for that bus. */
RcdCtlBus       *rcd_ctl_bus_open           (RcdCtlBusKind   kind,
                                             const char     *address,
                                             gboolean        announce,
                                             GError        **error);

GDBusConnection *rcd_ctl_bus_get_connection (RcdCtlBus *bus);

/* TRUE when the service is the private rawcdd started by rawcdctl. */
gboolean         rcd_ctl_bus_is_embedded    (RcdCtlBus *bus);

/* The path of the embedded rawcdd, NULL when the service is not embedded. */
const char      *rcd_ctl_bus_get_daemon_path (RcdCtlBus *bus);

/* "the system bus", "the session bus", "the bus at ADDRESS" or "a private
 * bus" for the embedded service. */
const char      *rcd_ctl_bus_get_description (RcdCtlBus *bus);

/* The rawcdd binary rawcdctl starts when it needs one: $RAWCDD, else the
 * build tree's daemon/rawcdd beside client/rawcdctl, else the installed
 * one.  Returns NULL with error if none is executable. */
char            *rcd_ctl_bus_find_rawcdd    (GError **error);

/* Closes the connection and stops an embedded service (rawcdd, then its
 * bus). */
void             rcd_ctl_bus_free           (RcdCtlBus *bus);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlBus, rcd_ctl_bus_free)

G_END_DECLS
