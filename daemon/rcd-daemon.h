/* rcd-daemon.h: the service on one bus connection: the manager object, the
 * sessions, the worker pools and the limits they share.
 */
#pragma once

#include <gio/gio.h>

#include "rcd-config.h"
#include "rcd-owner.h"
#include "rcd-workers.h"

G_BEGIN_DECLS

typedef struct _RcdSession RcdSession;
typedef struct _RcdDaemon RcdDaemon;
typedef struct _RcdInspector RcdInspector;

/* Called whenever rcd_daemon_is_idle() may have changed. */
typedef void (*RcdDaemonIdleFunc) (RcdDaemon *daemon, gpointer user_data);

struct _RcdDaemon {
  GDBusConnection *connection;
  RcdConfig        config;
  RcdCallers      *callers;
  RcdWorkers      *header_workers;  /* reading audio headers */
  RcdWorkers      *job_workers;     /* writing images: config.max_jobs threads */
  RcdWorkers      *inspect_workers; /* reading images back: config.max_jobs threads */
  RcdInspector    *inspector;       /* Manager.InspectImage */
  GObject         *manager;         /* RcdDBusManager skeleton */
  GHashTable      *sessions;        /* object path -> RcdSession */
  guint            last_session_id;
  guint            last_job_id;
  guint            calls_under_way; /* CreateImageCreator waiting for the bus,
                                     * InspectImage under way */
  gboolean         shutting_down;
  RcdDaemonIdleFunc idle_func;
  gpointer          idle_data;
};

/* Exports the manager object on connection. */
RcdDaemon  *rcd_daemon_new      (GDBusConnection   *connection,
                                 const RcdConfig   *config,
                                 RcdDaemonIdleFunc  idle_func,
                                 gpointer           idle_data,
                                 GError           **error);
/* Ends every session (their jobs complete with reason), waits for the
 * worker threads and unexports everything. */
void        rcd_daemon_shutdown (RcdDaemon *daemon, const char *reason);
void        rcd_daemon_free     (RcdDaemon *daemon);

/* No session and no call under way. */
gboolean    rcd_daemon_is_idle  (RcdDaemon *daemon);

/* A new session for the caller, within the limits (RC_ERROR_LIMIT_EXCEEDED
 * naming the limit otherwise).  Returns the session's object path. */
char       *rcd_daemon_create_session (RcdDaemon  *daemon,
                                       const char *sender,
                                       guint32     uid,
                                       gboolean    persist,
                                       GError    **error);

/* For sessions. */
void        rcd_daemon_session_ended (RcdDaemon *daemon, RcdSession *session);
char       *rcd_daemon_next_job_path (RcdDaemon *daemon);
void        rcd_daemon_calls_changed (RcdDaemon *daemon, gint delta);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdDaemon, rcd_daemon_free)

G_END_DECLS
