/* rcd-workers.h: bounded pools of worker threads for GTasks.
 *
 * Like g_task_run_in_thread(), but on a pool of the daemon's own with a
 * maximum number of threads: work beyond it waits in the pool's queue.  The
 * task's callback runs in the task's main context as usual.  The pool
 * wakes the thread-default main context it was made in whenever work
 * finishes, so that a loop iterating that context until
 * rcd_workers_get_busy() is 0 needs no polling.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RcdWorkers RcdWorkers;

RcdWorkers *rcd_workers_new  (guint max_threads);
/* Waits for all queued and running work to finish. */
void        rcd_workers_free (RcdWorkers *workers);

/* Work queued or running. */
guint       rcd_workers_get_busy (RcdWorkers *workers);

/* Runs func (task, source object, task data, cancellable) on a worker
 * thread; takes a reference to task. */
void        rcd_workers_run  (RcdWorkers      *workers,
                              GTask           *task,
                              GTaskThreadFunc  func);

G_END_DECLS
