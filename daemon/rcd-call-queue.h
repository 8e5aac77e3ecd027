/* rcd-call-queue.h: the calls of one session, applied in the order they
 * were sent.
 *
 * A call is dispatched at once when nothing is ahead of it; otherwise it
 * waits.  A handler that finishes its call later (AddTrack reading a
 * header on a worker) holds the queue until it is done, so that the calls
 * after it see its result.  Waiting calls are bounded: beyond max_waiting
 * a call fails at once with LimitExceeded.  Waiting calls are bounded in
 * memory and descriptors as well as in number: each waiting call counts
 * its bytes and descriptors against its queue's limits and against a
 * budget shared by the queues of one uid (RcdCallBudget), and a call
 * beyond either fails at once with LimitExceeded, so that its message is
 * freed at once.  Closing the queue fails every waiting and later call
 * with Cancelled.
 *
 * The queue knows nothing of D-Bus: an item is anything with a dispatch
 * and a fail function (rcd-guard.c queues method invocations).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcdCallQueue RcdCallQueue;

/* What the waiting calls of every queue of a uid may hold in all. */
typedef struct _RcdCallBudget RcdCallBudget;

RcdCallBudget *rcd_call_budget_new  (guint64 max_bytes_per_uid, guint max_fds_per_uid);
void           rcd_call_budget_free (RcdCallBudget *budget);
/* What uid's waiting calls hold now. */
void           rcd_call_budget_get  (RcdCallBudget *budget, guint32 uid,
                                     guint64 *bytes, guint *fds);

/* The limits of one queue. */
typedef struct {
  guint    max_waiting;   /* calls */
  guint64  max_bytes;     /* their messages' bytes */
  guint    max_fds;       /* their descriptors */
  RcdCallBudget *budget;  /* shared by the queues of uid; NULL for none */
  guint32  uid;
} RcdCallQueueLimits;

/* Runs (and consumes) an item. */
typedef void (*RcdCallQueueDispatchFunc) (gpointer item);
/* Fails (and consumes) an item with an error of domain/code. */
typedef void (*RcdCallQueueFailFunc)     (gpointer    item,
                                          GQuark      domain,
                                          gint        code,
                                          const char *message);

RcdCallQueue *rcd_call_queue_new   (const RcdCallQueueLimits *limits,
                                    RcdCallQueueDispatchFunc  dispatch,
                                    RcdCallQueueFailFunc      fail);
RcdCallQueue *rcd_call_queue_ref   (RcdCallQueue *queue);
void          rcd_call_queue_unref (RcdCallQueue *queue);

/* Dispatches item now or when the calls ahead of it are done; fails it
 * when the queue is closed, or when it would wait beyond a limit.  bytes
 * and fds: what the item holds while it waits. */
void          rcd_call_queue_push    (RcdCallQueue *queue,
                                      gpointer      item,
                                      guint64       bytes,
                                      guint         fds);

/* Called by a handler that finishes its call later: the calls behind it
 * wait until rcd_call_queue_release(). */
void          rcd_call_queue_hold    (RcdCallQueue *queue);
void          rcd_call_queue_release (RcdCallQueue *queue);

/* Fails the waiting calls and every later one with RC_ERROR_CANCELLED and
 * reason as the message. */
void          rcd_call_queue_close   (RcdCallQueue *queue, const char *reason);

guint         rcd_call_queue_get_n_waiting (RcdCallQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCallQueue, rcd_call_queue_unref)

G_END_DECLS
