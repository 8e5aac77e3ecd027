/* rcd-inspect-queue.c: fair shares of the inspection workers
 * (rcd-inspect-queue.h). */
#include "rcd-inspect-queue.h"

typedef struct {
  guint32  uid;
  gpointer item;
} Waiting;

struct _RcdInspectQueue {
  guint       max_running;
  guint       per_uid_running;
  guint       running;      /* in all */
  GHashTable *per_uid;      /* uid -> running */
  GQueue      waiting;      /* Waiting, oldest first */
};

RcdInspectQueue *
rcd_inspect_queue_new (guint max_running, guint per_uid_running)
{
  RcdInspectQueue *queue;

  g_return_val_if_fail (per_uid_running >= 1 && per_uid_running <= max_running, NULL);
  queue = g_new0 (RcdInspectQueue, 1);
  queue->max_running = max_running;
  queue->per_uid_running = per_uid_running;
  queue->per_uid = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_queue_init (&queue->waiting);
  return queue;
}

void
rcd_inspect_queue_free (RcdInspectQueue *queue)
{
  if (queue == NULL)
    return;
  g_queue_clear_full (&queue->waiting, g_free);
  g_hash_table_unref (queue->per_uid);
  g_free (queue);
}

guint
rcd_inspect_queue_running (RcdInspectQueue *queue, guint32 uid)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (queue->per_uid, GUINT_TO_POINTER (uid)));
}

guint
rcd_inspect_queue_waiting (RcdInspectQueue *queue)
{
  return queue->waiting.length;
}

static void
running_add (RcdInspectQueue *queue, guint32 uid, gint delta)
{
  guint n = rcd_inspect_queue_running (queue, uid) + (guint) delta;

  queue->running += (guint) delta;
  if (n == 0)
    g_hash_table_remove (queue->per_uid, GUINT_TO_POINTER (uid));
  else
    g_hash_table_insert (queue->per_uid, GUINT_TO_POINTER (uid), GUINT_TO_POINTER (n));
}

void
rcd_inspect_queue_push (RcdInspectQueue *queue, guint32 uid, gpointer item)
{
  Waiting *w = g_new (Waiting, 1);

  w->uid = uid;
  w->item = item;
  g_queue_push_tail (&queue->waiting, w);
}

gpointer
rcd_inspect_queue_next (RcdInspectQueue *queue, guint32 *uid)
{
  if (queue->running >= queue->max_running)
    return NULL;
  for (GList *l = queue->waiting.head; l != NULL; l = l->next)
    {
      Waiting *w = l->data;
      gpointer item = w->item;

      if (rcd_inspect_queue_running (queue, w->uid) >= queue->per_uid_running)
        continue;
      *uid = w->uid;
      running_add (queue, w->uid, +1);
      g_queue_delete_link (&queue->waiting, l);
      g_free (w);
      return item;
    }
  return NULL;
}

void
rcd_inspect_queue_done (RcdInspectQueue *queue, guint32 uid)
{
  g_return_if_fail (rcd_inspect_queue_running (queue, uid) > 0);
  running_add (queue, uid, -1);
}

gboolean
rcd_inspect_queue_remove (RcdInspectQueue *queue, gpointer item)
{
  for (GList *l = queue->waiting.head; l != NULL; l = l->next)
    {
      Waiting *w = l->data;

      if (w->item != item)
        continue;
      g_queue_delete_link (&queue->waiting, l);
      g_free (w);
      return TRUE;
    }
  return FALSE;
}
