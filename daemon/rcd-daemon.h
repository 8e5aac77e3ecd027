/* rcd-daemon.h: the service on one bus connection: start-up (the shared
 * context, the Manager object exported) and shutdown (sessions ended,
 * workers given a bounded time to stop). */
#pragma once

#include <gio/gio.h>

#include "rcd-config.h"

G_BEGIN_DECLS

typedef struct _RcdDaemon RcdDaemon;

/* Called whenever rcd_daemon_is_idle() may have changed. */
typedef void (*RcdDaemonIdleFunc) (RcdDaemon *daemon, gpointer user_data);

/* Exports the manager object on connection. */
RcdDaemon  *rcd_daemon_new      (GDBusConnection   *connection,
                                 const RcdConfig   *config,
                                 RcdDaemonIdleFunc  idle_func,
                                 gpointer           idle_data,
                                 GError           **error);
/* Ends every session (their jobs complete with reason), unexports the
 * manager, and waits (dispatching the main context) until the worker
 * threads are done or RCD_SHUTDOWN_WAIT_SECONDS have passed. */
void        rcd_daemon_shutdown (RcdDaemon *daemon, const char *reason);
void        rcd_daemon_free     (RcdDaemon *daemon);

/* No session and no call under way, and not shutting down. */
gboolean    rcd_daemon_is_idle  (RcdDaemon *daemon);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdDaemon, rcd_daemon_free)

G_END_DECLS
