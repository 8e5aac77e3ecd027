/* rcd-inspect-queue.h: fair shares of the inspection workers among uids.
 *
 * Inspections wait here until a worker is free AND their uid runs fewer
 * than its share; then they run in the order they came.  A uid that asks
 * for many inspections of huge files thus holds at most `per_uid_running`
 * workers, and another uid's inspection starts on the next free one
 * instead of waiting behind the first uid's queue (issue 11).  The queue
 * knows nothing of D-Bus: items are the caller's pointers.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcdInspectQueue RcdInspectQueue;

/* max_running: workers in all; per_uid_running: at most that many of one
 * uid at once (1 <= per_uid_running <= max_running). */
RcdInspectQueue *rcd_inspect_queue_new     (guint max_running, guint per_uid_running);
void             rcd_inspect_queue_free    (RcdInspectQueue *queue);

/* Appends a waiting item of uid. */
void             rcd_inspect_queue_push    (RcdInspectQueue *queue, guint32 uid, gpointer item);
/* The oldest waiting item allowed to run now, counted as running from now
 * on (*uid set); NULL when none may. */
gpointer         rcd_inspect_queue_next    (RcdInspectQueue *queue, guint32 *uid);
/* A running item of uid ended. */
void             rcd_inspect_queue_done    (RcdInspectQueue *queue, guint32 uid);
/* Takes a waiting item out (its caller left); FALSE when it is not
 * waiting. */
gboolean         rcd_inspect_queue_remove  (RcdInspectQueue *queue, gpointer item);

guint            rcd_inspect_queue_running (RcdInspectQueue *queue, guint32 uid);
guint            rcd_inspect_queue_waiting (RcdInspectQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdInspectQueue, rcd_inspect_queue_free)

G_END_DECLS
