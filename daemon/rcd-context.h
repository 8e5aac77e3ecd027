/* rcd-context.h: what the exported objects share, handed to each at
 * construction instead of the daemon.
 *
 * Read-only for the objects: the bus connection, the configuration, the
 * callers' credentials cache, the audience of the objects' signals and
 * the worker pools.  The daemon makes it
 * at start-up and is the only one to change it (at shutdown, when it
 * abandons pools whose threads are stuck).  Reference counted, so that
 * work finishing late never touches freed memory.
 */
#pragma once

#include <gio/gio.h>

#include "rcd-audience.h"
#include "rcd-call-queue.h"
#include "rcd-callers.h"
#include "rcd-config.h"
#include "rcd-object-manager.h"
#include "rcd-workers.h"

G_BEGIN_DECLS

/* rcd-job-scheduler.h; made and freed by the daemon, which knows jobs. */
typedef struct _RcdJobScheduler RcdJobScheduler;

typedef struct {
  gatomicrefcount  ref;
  GDBusConnection *connection;
  RcdConfig        config;
  RcdCallers      *callers;
  RcdAudience     *audience;        /* who hears about which object */
  RcdObjectManager *objects;        /* ObjectManager on the manager path; made
                                     * by the daemon, which can report its error */
  RcdCallBudget   *call_budget;     /* what each uid's waiting calls hold */
  RcdWorkers      *header_workers;  /* reading audio headers */
  RcdWorkers      *job_workers;     /* writing images: config.max_jobs threads */
  RcdWorkers      *inspect_workers; /* reading images back: config.max_jobs threads */
  RcdJobScheduler *job_scheduler;   /* each uid's share of job_workers */
} RcdContext;

/* The pools are sized from config; callers ask connection's bus. */
RcdContext *rcd_context_new   (GDBusConnection *connection, const RcdConfig *config);
RcdContext *rcd_context_ref   (RcdContext *context);
/* The last reference waits for the work left in the pools. */
void        rcd_context_unref (RcdContext *context);

/* Work queued or running in all pools. */
guint       rcd_context_get_busy_workers (const RcdContext *context);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdContext, rcd_context_unref)

G_END_DECLS
