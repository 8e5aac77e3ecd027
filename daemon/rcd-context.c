/* rcd-context.c: the objects' shared context (rcd-context.h). */
#include "rcd-context.h"

RcdContext *
rcd_context_new (GDBusConnection *connection, const RcdConfig *config)
{
  RcdContext *context = g_new0 (RcdContext, 1);

  g_atomic_ref_count_init (&context->ref);
  context->connection = g_object_ref (connection);
  context->config = *config;
  context->callers = rcd_callers_new (connection);
  context->audience = rcd_audience_new (connection);
  context->call_budget = rcd_call_budget_new (RCD_MAX_PENDING_BYTES_PER_USER,
                                              RCD_MAX_PENDING_FDS_PER_USER);
  /* One thread per session at most: a session reads one header at a time
   * (its calls are queued), so a pipe that never delivers can delay only
   * its own session. */
  context->header_workers = rcd_workers_new (config->max_sessions);
  context->job_workers = rcd_workers_new (config->max_jobs);

  /* Reading images back costs what writing them does: as many at once. */
  context->inspect_workers = rcd_workers_new (config->max_jobs);
  return context;
}

RcdContext *
rcd_context_ref (RcdContext *context)
{
  g_atomic_ref_count_inc (&context->ref);
  return context;
}

void
rcd_context_unref (RcdContext *context)
{
  if (!g_atomic_ref_count_dec (&context->ref))
    return;
  g_clear_pointer (&context->job_workers, rcd_workers_free);
  g_clear_pointer (&context->header_workers, rcd_workers_free);
  g_clear_pointer (&context->inspect_workers, rcd_workers_free);
  g_clear_pointer (&context->callers, rcd_callers_unref);
  g_clear_pointer (&context->call_budget, rcd_call_budget_free);
  g_clear_pointer (&context->objects, rcd_object_manager_unref);
  rcd_audience_close (context->audience);
  g_clear_pointer (&context->audience, rcd_audience_unref);
  g_clear_object (&context->connection);
  g_free (context);
}

static guint
busy_of (RcdWorkers *workers)
{
  return workers != NULL ? rcd_workers_get_busy (workers) : 0;
}

guint
rcd_context_get_busy_workers (const RcdContext *context)
{
  return busy_of (context->job_workers) + busy_of (context->header_workers)
         + busy_of (context->inspect_workers);
}
