/* rcd-workers.c: GTasks on bounded GThreadPools. */
#include "rcd-workers.h"

struct _RcdWorkers {
  GThreadPool  *pool;
  gint          busy;     /* atomic: work queued or running */
  GMainContext *context;  /* woken up whenever work finishes */
};

typedef struct _Work Work;

struct _Work {
  RcdWorkers      *workers;
  GTask           *task;
  GTaskThreadFunc  func;
};

static void
run_work (gpointer data, gpointer user_data)
{
  Work *work = data;

  work->func (work->task,
              g_task_get_source_object (work->task),
              g_task_get_task_data (work->task),
              g_task_get_cancellable (work->task));
  g_object_unref (work->task);
  g_atomic_int_dec_and_test (&work->workers->busy);
  /* A loop waiting for the pool to empty looks again. */
  g_main_context_wakeup (work->workers->context);
  g_free (work);
}

RcdWorkers *
rcd_workers_new (guint max_threads)
{
  RcdWorkers *workers = g_new0 (RcdWorkers, 1);

  workers->context = g_main_context_ref_thread_default ();

  /* Not exclusive: threads are made when needed and shared with GLib's
   * other pools; this pool never runs more than max_threads at once. */
  workers->pool = g_thread_pool_new (run_work, NULL, (gint) MAX (max_threads, 1),
                                     FALSE, NULL);
  return workers;
}

void
rcd_workers_free (RcdWorkers *workers)
{
  g_thread_pool_free (workers->pool, FALSE, TRUE);
  g_main_context_unref (workers->context);
  g_free (workers);
}

void
rcd_workers_run (RcdWorkers      *workers,
                 GTask           *task,
                 GTaskThreadFunc  func)
{
  Work *work = g_new0 (Work, 1);

  work->workers = workers;
  work->task = g_object_ref (task);
  g_atomic_int_inc (&workers->busy);
  work->func = func;
  /* Cannot fail for a non-exclusive pool. */
  g_thread_pool_push (workers->pool, work, NULL);
}

guint
rcd_workers_get_busy (RcdWorkers *workers)
{
  return (guint) g_atomic_int_get (&workers->busy);
}
