/* rcd-call-queue.c: a session's calls in order (rcd-call-queue.h). */
#include "rcd-call-queue.h"

#include "rc-error.h"
#include "rcd-error.h"

struct _RcdCallQueue {
  grefcount                ref;
  GQueue                   items;
  guint                    max_waiting;
  guint                    holds;
  gboolean                 dispatching;
  char                    *closed_reason;   /* non-NULL once closed */
  RcdCallQueueDispatchFunc dispatch;
  RcdCallQueueFailFunc     fail;
};

RcdCallQueue *
rcd_call_queue_new (guint                    max_waiting,
                    RcdCallQueueDispatchFunc dispatch,
                    RcdCallQueueFailFunc     fail)
{
  RcdCallQueue *queue = g_new0 (RcdCallQueue, 1);

  g_ref_count_init (&queue->ref);
  g_queue_init (&queue->items);
  queue->max_waiting = max_waiting;
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

static void
queue_run (RcdCallQueue *queue)
{
  gpointer item;

  if (queue->dispatching)
    return;   /* the loop further up the stack goes on */

  queue->dispatching = TRUE;
  while (queue->closed_reason == NULL && queue->holds == 0
         && (item = g_queue_pop_head (&queue->items)) != NULL)
    queue->dispatch (item);
  queue->dispatching = FALSE;
}

void
rcd_call_queue_push (RcdCallQueue *queue, gpointer item)
{
  if (queue->closed_reason != NULL)
    {
      queue->fail (item, RC_ERROR, RC_ERROR_CANCELLED, queue->closed_reason);
      return;
    }
  if (g_queue_get_length (&queue->items) >= queue->max_waiting)
    {
      g_autofree char *message =
        g_strdup_printf ("too many calls are waiting in this session "
                         "(the limit is %u): wait for their replies",
                         queue->max_waiting);
      queue->fail (item, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED, message);
      return;
    }
  g_queue_push_tail (&queue->items, item);
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
  while ((item = g_queue_pop_head (&queue->items)) != NULL)
    queue->fail (item, RC_ERROR, RC_ERROR_CANCELLED, reason);
}
