/* rcd-daemon.c: start-up and shutdown of the service (rcd-daemon.h). */
#include "rcd-daemon.h"

#include "rcd-context.h"
#include "rcd-job-scheduler.h"
#include "rcd-manager.h"

struct _RcdDaemon {
  RcdContext       *context;
  RcdManager       *manager;
  gboolean          shutting_down;
  RcdDaemonIdleFunc idle_func;
  gpointer          idle_data;
};

/* Contexts whose pools were left running at exit (rcd_daemon_shutdown). */
static GPtrArray *abandoned;

static void
on_idle_changed (RcdManager *manager, RcdDaemon *daemon)
{
  if (daemon->idle_func != NULL)
    daemon->idle_func (daemon, daemon->idle_data);
}

RcdDaemon *
rcd_daemon_new (GDBusConnection   *connection,
                const RcdConfig   *config,
                RcdDaemonIdleFunc  idle_func,
                gpointer           idle_data,
                GError           **error)
{
  g_autoptr(RcdDaemon) daemon = g_new0 (RcdDaemon, 1);

  daemon->context = rcd_context_new (connection, config);
  daemon->context->job_scheduler =
    rcd_job_scheduler_new (daemon->context->job_workers, rcd_config_jobs_per_user (config));
  daemon->idle_func = idle_func;
  daemon->idle_data = idle_data;
  daemon->context->objects = rcd_object_manager_new (connection, daemon->context->callers,
                                                     daemon->context->audience, error);
  if (daemon->context->objects == NULL)
    return NULL;
  daemon->manager = rcd_manager_new (daemon->context);
  g_signal_connect (daemon->manager, "idle-changed", G_CALLBACK (on_idle_changed), daemon);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (daemon->manager),
                                         connection, RAWCD_MANAGER_PATH, error))
    {
      g_prefix_error (error, "cannot export %s: ", RAWCD_MANAGER_PATH);
      return NULL;
    }
  return g_steal_pointer (&daemon);
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

void
rcd_daemon_shutdown (RcdDaemon *daemon, const char *reason)
{
  gboolean deadline_passed = FALSE;
  guint deadline;
  guint busy;

  if (daemon->shutting_down)
    return;
  daemon->shutting_down = TRUE;

  /* Calls waiting for a caller's uid fail now; inspections stop within a
   * batch; the sessions end and cancel their jobs. */
  rcd_callers_close (daemon->context->callers);
  rcd_manager_shutdown (daemon->manager, reason);
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (daemon->manager));
  rcd_object_manager_close (daemon->context->objects);

  /* The workers see their cancellables within a batch; what they leave on
   * the main loop is dispatched meanwhile.  The pools wake this context
   * whenever work finishes, so the predicate is looked at again then. */
  deadline = g_timeout_add_seconds (RCD_SHUTDOWN_WAIT_SECONDS, on_deadline, &deadline_passed);
  while (rcd_context_get_busy_workers (daemon->context) > 0 && !deadline_passed)
    g_main_context_iteration (NULL, TRUE);
  if (!deadline_passed)
    g_source_remove (deadline);

  busy = rcd_context_get_busy_workers (daemon->context);
  if (busy > 0)
    {
      /* Pipes, sockets and character devices are polled with the
       * cancellable, but a read or write on a regular file or block device
       * (a hung FUSE or NFS mount) can block regardless: do not wait for it
       * forever.  The process exits with the thread. */
      g_warning ("%u worker%s still blocked after %d s (a hung file system?); "
                 "exiting without waiting", busy, busy == 1 ? " is" : "s are",
                 RCD_SHUTDOWN_WAIT_SECONDS);
      if (abandoned == NULL)
        abandoned = g_ptr_array_new ();
      g_ptr_array_add (abandoned, g_steal_pointer (&daemon->context->job_workers));
      g_ptr_array_add (abandoned, g_steal_pointer (&daemon->context->header_workers));
      g_ptr_array_add (abandoned, g_steal_pointer (&daemon->context->inspect_workers));
    }
}

void
rcd_daemon_free (RcdDaemon *daemon)
{
  if (daemon->manager != NULL)
    g_signal_handlers_disconnect_by_data (daemon->manager, daemon);
  g_clear_object (&daemon->manager);
  if (daemon->context != NULL)
    g_clear_pointer (&daemon->context->job_scheduler, rcd_job_scheduler_free);
  g_clear_pointer (&daemon->context, rcd_context_unref);
  g_free (daemon);
}

gboolean
rcd_daemon_is_idle (RcdDaemon *daemon)
{
  return !daemon->shutting_down && rcd_manager_is_idle (daemon->manager);
}
