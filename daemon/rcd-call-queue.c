/* rcd-call-queue.c: a session's calls in order (rcd-call-queue.h). */
#include "rcd-call-queue.h"

#include "rc-error.h"
#include "rcd-error.h"

/* One waiting item and what it holds. */
typedef struct {
  gpointer item;
  guint64  bytes;
  guint    fds;
} Waiting;

typedef struct {
  guint64 bytes;
  guint   fds;
} Held;

struct _RcdCallBudget {
  guint64     max_bytes;
  guint       max_fds;
  GHashTable *per_uid;   /* uid -> Held */
};

struct _RcdCallQueue {
  grefcount                ref;
  GQueue                   items;   /* Waiting */
  RcdCallQueueLimits       limits;
  guint64                  bytes;   /* held by the waiting items */
  guint                    fds;
  guint                    holds;
  gboolean                 dispatching;
  char                    *closed_reason;   /* non-NULL once closed */
  RcdCallQueueDispatchFunc dispatch;
  RcdCallQueueFailFunc     fail;
};

/* --- the budget of each uid ------------------------------------------------ */

RcdCallBudget *
rcd_call_budget_new (guint64 max_bytes_per_uid, guint max_fds_per_uid)
{
  RcdCallBudget *budget = g_new0 (RcdCallBudget, 1);

  budget->max_bytes = max_bytes_per_uid;
  budget->max_fds = max_fds_per_uid;
  budget->per_uid = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  return budget;
}

void
rcd_call_budget_free (RcdCallBudget *budget)
{
  if (budget == NULL)
    return;
  g_hash_table_unref (budget->per_uid);
  g_free (budget);
}

void
rcd_call_budget_get (RcdCallBudget *budget, guint32 uid, guint64 *bytes, guint *fds)
{
  Held *held = g_hash_table_lookup (budget->per_uid, GUINT_TO_POINTER (uid));

  *bytes = held != NULL ? held->bytes : 0;
  *fds = held != NULL ? held->fds : 0;
}

static void
budget_add (RcdCallBudget *budget, guint32 uid, guint64 bytes, guint fds)
{
  Held *held = g_hash_table_lookup (budget->per_uid, GUINT_TO_POINTER (uid));

  if (held == NULL)
    {
      held = g_new0 (Held, 1);
      g_hash_table_insert (budget->per_uid, GUINT_TO_POINTER (uid), held);
    }
  held->bytes += bytes;
  held->fds += fds;
}

static void
budget_remove (RcdCallBudget *budget, guint32 uid, guint64 bytes, guint fds)
{
  Held *held = g_hash_table_lookup (budget->per_uid, GUINT_TO_POINTER (uid));

  g_return_if_fail (held != NULL && held->bytes >= bytes && held->fds >= fds);
  held->bytes -= bytes;
  held->fds -= fds;
  if (held->bytes == 0 && held->fds == 0)
    g_hash_table_remove (budget->per_uid, GUINT_TO_POINTER (uid));
}

/* --- the queue ---------------------------------------------------------------- */

RcdCallQueue *
rcd_call_queue_new (const RcdCallQueueLimits *limits,
                    RcdCallQueueDispatchFunc  dispatch,
                    RcdCallQueueFailFunc      fail)
{
  RcdCallQueue *queue = g_new0 (RcdCallQueue, 1);

  g_ref_count_init (&queue->ref);
  g_queue_init (&queue->items);
  queue->limits = *limits;
  queue->dispatch = dispatch;
  queue->fail = fail;
  return queue;
}

RcdCallQueue *
rcd_call_queue_ref (RcdCallQueue *queue)
{
  g_ref_count_inc (&queue->ref);
  return queue;
}

void
rcd_call_queue_unref (RcdCallQueue *queue)
{
  if (!g_ref_count_dec (&queue->ref))
    return;
  /* Waiting calls hold references to their objects, which hold the queue:
   * a queue with calls is never freed before it is closed. */
  g_assert (g_queue_is_empty (&queue->items));
  g_free (queue->closed_reason);
  g_free (queue);
}

guint
rcd_call_queue_get_n_waiting (RcdCallQueue *queue)
{
  return g_queue_get_length (&queue->items);
}

/* Takes the next waiting item out, with what it held; NULL for none. */
static gpointer
pop (RcdCallQueue *queue)
{
  Waiting *w = g_queue_pop_head (&queue->items);
  gpointer item;

  if (w == NULL)
    return NULL;
  queue->bytes -= w->bytes;
  queue->fds -= w->fds;
  if (queue->limits.budget != NULL)
    budget_remove (queue->limits.budget, queue->limits.uid, w->bytes, w->fds);
  item = w->item;
  g_free (w);
  return item;
}

static void
queue_run (RcdCallQueue *queue)
{
  gpointer item;

  if (queue->dispatching)
    return;   /* the loop further up the stack goes on */

  queue->dispatching = TRUE;
  while (queue->closed_reason == NULL && queue->holds == 0
         && (item = pop (queue)) != NULL)
    queue->dispatch (item);
  queue->dispatching = FALSE;
}

/* NULL when an item holding bytes and fds may wait, else why not. */
static char *
over_limit (RcdCallQueue *queue, guint64 bytes, guint fds)
{
  const RcdCallQueueLimits *l = &queue->limits;
  guint64 uid_bytes = 0;
  guint uid_fds = 0;

  if (g_queue_get_length (&queue->items) >= l->max_waiting)
    return g_strdup_printf ("too many calls are waiting in this session "
                            "(the limit is %u): wait for their replies", l->max_waiting);
  if (queue->bytes + bytes > l->max_bytes)
    return g_strdup_printf ("the calls waiting in this session would hold %" G_GUINT64_FORMAT
                            " bytes, over the limit of %" G_GUINT64_FORMAT
                            ": wait for their replies", queue->bytes + bytes, l->max_bytes);
  if (queue->fds + fds > l->max_fds)
    return g_strdup_printf ("the calls waiting in this session would hold %u descriptors, "
                            "over the limit of %u: wait for their replies",
                            queue->fds + fds, l->max_fds);
  if (l->budget == NULL)
    return NULL;
  rcd_call_budget_get (l->budget, l->uid, &uid_bytes, &uid_fds);
  if (uid_bytes + bytes > l->budget->max_bytes)
    return g_strdup_printf ("the calls waiting in the sessions of uid %u would hold %"
                            G_GUINT64_FORMAT " bytes, over the limit of %" G_GUINT64_FORMAT
                            " per user: wait for their replies", l->uid,
                            uid_bytes + bytes, l->budget->max_bytes);
  if (uid_fds + fds > l->budget->max_fds)
    return g_strdup_printf ("the calls waiting in the sessions of uid %u would hold %u "
                            "descriptors, over the limit of %u per user: wait for their "
                            "replies", l->uid, uid_fds + fds, l->budget->max_fds);
  return NULL;
}

void
rcd_call_queue_push (RcdCallQueue *queue, gpointer item, guint64 bytes, guint fds)
{
  g_autofree char *refusal = NULL;
  Waiting *w;

  if (queue->closed_reason != NULL)
    {
      queue->fail (item, RC_ERROR, RC_ERROR_CANCELLED, queue->closed_reason);
      return;
    }
  /* Nothing ahead: it does not wait. */
  if (queue->holds == 0 && !queue->dispatching && g_queue_is_empty (&queue->items))
    {
      queue->dispatching = TRUE;
      queue->dispatch (item);
      queue->dispatching = FALSE;
      queue_run (queue);
      return;
    }
  refusal = over_limit (queue, bytes, fds);
  if (refusal != NULL)
    {
      queue->fail (item, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED, refusal);
      return;
    }
  w = g_new0 (Waiting, 1);
  w->item = item;
  w->bytes = bytes;
  w->fds = fds;
  queue->bytes += bytes;
  queue->fds += fds;
  if (queue->limits.budget != NULL)
    budget_add (queue->limits.budget, queue->limits.uid, bytes, fds);
  g_queue_push_tail (&queue->items, w);
  queue_run (queue);
}

void
rcd_call_queue_hold (RcdCallQueue *queue)
{
  queue->holds++;
}

void
rcd_call_queue_release (RcdCallQueue *queue)
{
  g_return_if_fail (queue->holds > 0);
  queue->holds--;
  queue_run (queue);
}

void
rcd_call_queue_close (RcdCallQueue *queue, const char *reason)
{
  gpointer item;

  if (queue->closed_reason != NULL)
    return;
  queue->closed_reason = g_strdup (reason);
  while ((item = pop (queue)) != NULL)
    queue->fail (item, RC_ERROR, RC_ERROR_CANCELLED, reason);
}
