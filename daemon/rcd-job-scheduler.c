/* rcd-job-scheduler.c: at most max_per_uid writers per uid
 * (rcd-job-scheduler.h). */
#include "rcd-job-scheduler.h"

struct _RcdJobScheduler {
  RcdWorkers *workers;
  guint       max_per_uid;
  GHashTable *uids;   /* uid -> Share */
};

typedef struct {
  guint  running;
  GQueue waiting;     /* RcdJob (references) */
} Share;

static void
share_free (Share *share)
{
  g_queue_clear_full (&share->waiting, g_object_unref);
  g_free (share);
}

RcdJobScheduler *
rcd_job_scheduler_new (RcdWorkers *workers, guint max_per_uid)
{
  RcdJobScheduler *self = g_new0 (RcdJobScheduler, 1);

  self->workers = workers;
  self->max_per_uid = MAX (max_per_uid, 1);
  self->uids = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                      (GDestroyNotify) share_free);
  return self;
}

void
rcd_job_scheduler_free (RcdJobScheduler *self)
{
  GHashTableIter iter;
  Share *share;

  if (self == NULL)
    return;
  g_hash_table_iter_init (&iter, self->uids);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &share))
    for (GList *l = share->waiting.head; l != NULL; l = l->next)
      g_signal_handlers_disconnect_by_data (l->data, self);
  g_hash_table_unref (self->uids);
  g_free (self);
}

static Share *
share_of (RcdJobScheduler *self, guint32 uid)
{
  Share *share = g_hash_table_lookup (self->uids, GUINT_TO_POINTER (uid));

  if (share == NULL)
    {
      share = g_new0 (Share, 1);
      g_queue_init (&share->waiting);
      g_hash_table_insert (self->uids, GUINT_TO_POINTER (uid), share);
    }
  return share;
}

guint
rcd_job_scheduler_get_running (RcdJobScheduler *self, guint32 uid)
{
  Share *share = g_hash_table_lookup (self->uids, GUINT_TO_POINTER (uid));

  return share != NULL ? share->running : 0;
}

static void on_finished (RcdJob *job, gpointer user_data);

/* The scheduler's data on a job: its uid, and whether it was started. */
#define UID_KEY     "rcd-job-scheduler-uid"
#define STARTED_KEY "rcd-job-scheduler-started"

static void
start (RcdJobScheduler *self, Share *share, RcdJob *job)
{
  share->running++;
  g_object_set_data (G_OBJECT (job), STARTED_KEY, GINT_TO_POINTER (TRUE));
  rcd_job_start (job, self->workers);
}

static void
on_finished (RcdJob *job, gpointer user_data)
{
  RcdJobScheduler *self = user_data;
  guint32 uid = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (job), UID_KEY));
  Share *share = share_of (self, uid);
  g_autoptr(RcdJob) next = NULL;

  g_signal_handlers_disconnect_by_func (job, on_finished, self);
  if (g_object_get_data (G_OBJECT (job), STARTED_KEY) == NULL)
    {
      /* Aborted while it waited here. */
      if (g_queue_remove (&share->waiting, job))
        g_object_unref (job);
    }
  else
    {
      share->running--;
      next = g_queue_pop_head (&share->waiting);
      if (next != NULL)
        start (self, share, next);
    }
  if (share->running == 0 && g_queue_is_empty (&share->waiting))
    g_hash_table_remove (self->uids, GUINT_TO_POINTER (uid));
}

void
rcd_job_scheduler_submit (RcdJobScheduler *self, RcdJob *job, guint32 uid)
{
  Share *share = share_of (self, uid);

  g_object_set_data (G_OBJECT (job), UID_KEY, GUINT_TO_POINTER (uid));
  g_signal_connect (job, "finished", G_CALLBACK (on_finished), self);
  if (share->running < self->max_per_uid)
    start (self, share, job);
  else
    g_queue_push_tail (&share->waiting, g_object_ref (job));
}
