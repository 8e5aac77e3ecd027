/* rcd-daemon.c: ties the manager, the sessions and the limits together. */
#include "rcd-daemon.h"

#include "rcd-error.h"
#include "rcd-inspect.h"
#include "rcd-manager.h"
#include "rcd-session.h"

/* Pools left running at exit (rcd_daemon_shutdown). */
static GPtrArray *abandoned_workers;

static void
notify_idle (RcdDaemon *daemon)
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
  g_autoptr(RcdDBusManager) manager = NULL;

  daemon->connection = g_object_ref (connection);
  daemon->config = *config;
  daemon->callers = rcd_callers_new (connection);
  /* One thread per session at most: a session reads one header at a time
   * (its calls are queued), so a pipe that never delivers can delay only
   * its own session. */
  daemon->header_workers = rcd_workers_new (config->max_sessions);
  daemon->job_workers = rcd_workers_new (config->max_jobs);
  /* Reading images back costs what writing them does: as many at once. */
  daemon->inspect_workers = rcd_workers_new (config->max_jobs);
  daemon->inspector = rcd_inspector_new (daemon);
  daemon->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  daemon->idle_func = idle_func;
  daemon->idle_data = idle_data;

  manager = rcd_manager_object_new (daemon);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (manager), connection,
                                         RAWCD_MANAGER_PATH, error))
    {
      g_prefix_error (error, "cannot export %s: ", RAWCD_MANAGER_PATH);
      return NULL;
    }
  daemon->manager = G_OBJECT (g_steal_pointer (&manager));
  return g_steal_pointer (&daemon);
}

static guint
busy_workers (RcdDaemon *daemon)
{
  return rcd_workers_get_busy (daemon->job_workers)
         + rcd_workers_get_busy (daemon->header_workers)
         + rcd_workers_get_busy (daemon->inspect_workers);
}

void
rcd_daemon_shutdown (RcdDaemon *daemon, const char *reason)
{
  g_autoptr(GList) sessions = NULL;
  gint64 deadline;
  guint busy;

  if (daemon->shutting_down)
    return;
  daemon->shutting_down = TRUE;

  /* Calls waiting for a caller's uid fail now; inspections stop within a
   * batch. */
  rcd_callers_close (daemon->callers);
  rcd_inspector_cancel (daemon->inspector, reason);

  sessions = g_hash_table_get_values (daemon->sessions);
  for (GList *l = sessions; l != NULL; l = l->next)
    rcd_session_end (l->data, reason);

  if (daemon->manager != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (daemon->manager));

  /* The workers see their cancellables within a batch; what they leave on
   * the main loop is dispatched meanwhile. */
  deadline = g_get_monotonic_time () + RCD_SHUTDOWN_WAIT_SECONDS * G_USEC_PER_SEC;
  while (busy_workers (daemon) > 0
         && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10 * 1000);
    }

  busy = busy_workers (daemon);
  if (busy > 0)
    {
      /* Pipes, sockets and character devices are polled with the
       * cancellable, but a read or write on a regular file or block device
       * (a hung FUSE or NFS mount) can block regardless: do not wait for it
       * forever.  The process exits with the thread. */
      g_warning ("%u worker%s still blocked after %d s (a hung file system?); "
                 "exiting without waiting", busy, busy == 1 ? " is" : "s are",
                 RCD_SHUTDOWN_WAIT_SECONDS);
      if (abandoned_workers == NULL)
        abandoned_workers = g_ptr_array_new ();
      g_ptr_array_add (abandoned_workers, g_steal_pointer (&daemon->job_workers));
      g_ptr_array_add (abandoned_workers, g_steal_pointer (&daemon->header_workers));
      g_ptr_array_add (abandoned_workers, g_steal_pointer (&daemon->inspect_workers));
      return;
    }
  g_clear_pointer (&daemon->job_workers, rcd_workers_free);
  g_clear_pointer (&daemon->header_workers, rcd_workers_free);
  g_clear_pointer (&daemon->inspect_workers, rcd_workers_free);
}

void
rcd_daemon_free (RcdDaemon *daemon)
{
  if (daemon->job_workers != NULL)
    rcd_workers_free (daemon->job_workers);
  if (daemon->header_workers != NULL)
    rcd_workers_free (daemon->header_workers);
  if (daemon->inspect_workers != NULL)
    rcd_workers_free (daemon->inspect_workers);
  g_clear_pointer (&daemon->inspector, rcd_inspector_free);
  g_clear_pointer (&daemon->sessions, g_hash_table_unref);
  g_clear_object (&daemon->manager);
  g_clear_pointer (&daemon->callers, rcd_callers_unref);
  g_clear_object (&daemon->connection);
  g_free (daemon);
}

gboolean
rcd_daemon_is_idle (RcdDaemon *daemon)
{
  return g_hash_table_size (daemon->sessions) == 0 && daemon->calls_under_way == 0;
}

void
rcd_daemon_calls_changed (RcdDaemon *daemon, gint delta)
{
  daemon->calls_under_way += delta;
  notify_idle (daemon);
}

static guint
count_sessions_of (RcdDaemon *daemon, guint32 uid)
{
  GHashTableIter iter;
  RcdSession *session;
  guint n = 0;

  g_hash_table_iter_init (&iter, daemon->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    {
      if (rcd_session_get_owner (session)->uid == uid)
        n++;
    }
  return n;
}

char *
rcd_daemon_create_session (RcdDaemon  *daemon,
                           const char *sender,
                           guint32     uid,
                           gboolean    persist,
                           GError    **error)
{
  g_autoptr(RcdOwner) owner = NULL;
  g_autoptr(RcdSession) session = NULL;
  g_autofree char *path = NULL;

  if (daemon->shutting_down)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_CANCELLED,
                           "the service is shutting down");
      return NULL;
    }
  if (g_hash_table_size (daemon->sessions) >= daemon->config.max_sessions)
    {
      g_set_error (error, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED,
                   "the service has reached its limit of %u session%s "
                   "(--max-sessions); try again later", daemon->config.max_sessions,
                   daemon->config.max_sessions == 1 ? "" : "s");
      return NULL;
    }
  if (count_sessions_of (daemon, uid) >= daemon->config.max_sessions_per_user)
    {
      g_set_error (error, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED,
                   "uid %u has reached the limit of %u session%s per user "
                   "(--max-sessions-per-user); close one first",
                   uid, daemon->config.max_sessions_per_user,
                   daemon->config.max_sessions_per_user == 1 ? "" : "s");
      return NULL;
    }

  owner = rcd_owner_new (sender, uid, persist);
  path = g_strdup_printf (RAWCD_SESSION_PATH_PREFIX "%u", ++daemon->last_session_id);
  session = rcd_session_new (daemon, path, owner, error);
  if (session == NULL)
    return NULL;

  g_info ("session %s created by %s (uid %u)%s", path, sender, uid,
          persist ? ", persistent" : "");
  g_hash_table_insert (daemon->sessions, (gpointer) rcd_session_get_path (session),
                       g_object_ref (session));
  notify_idle (daemon);
  return g_steal_pointer (&path);
}

void
rcd_daemon_session_ended (RcdDaemon *daemon, RcdSession *session)
{
  g_hash_table_remove (daemon->sessions, rcd_session_get_path (session));
  notify_idle (daemon);
}

char *
rcd_daemon_next_job_path (RcdDaemon *daemon)
{
  return g_strdup_printf (RAWCD_JOB_PATH_PREFIX "%u", ++daemon->last_job_id);
}
