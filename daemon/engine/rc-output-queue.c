/* rc-output-queue.c: a writer thread with a queue of two batches. */
#include "rc-output-queue.h"
#include "rc-error.h"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

typedef struct {
  guint8 **bufs;         /* one per output */
  gsize   *lens;
  guint    sectors;
} Batch;

struct _RcOutputQueue {
  RcOutput     *outputs;
  guint         n_outputs;
  GCancellable *cancellable;
  int           abort_fd;   /* an eventfd: readable once the queue is freed */
  GThread      *thread;

  GMutex        lock;       /* guards everything below */
  GCond         cond;
  Batch         batches[RC_OUTPUT_QUEUE_DEPTH];
  guint64       pushed;     /* batches */
  guint64       written;    /* batches */
  guint64       sectors_written;
  guint64       bytes_written;
  GError       *error;      /* the first failure: the thread stops there */
  gboolean      finishing;  /* no more batches will come */
  gboolean      aborting;   /* write no more */
};

static gboolean
write_batch (RcOutputQueue *queue, const Batch *batch, guint64 *bytes, GError **error)
{
  *bytes = 0;
  for (guint o = 0; o < queue->n_outputs; o++)
    {
      if (!rc_output_write_full (&queue->outputs[o], batch->bufs[o], batch->lens[o],
                                 queue->cancellable, queue->abort_fd, error))
        return FALSE;
      *bytes += batch->lens[o];
    }
  return TRUE;
}

static gpointer
writer_thread (gpointer data)
{
  RcOutputQueue *queue = data;

  g_mutex_lock (&queue->lock);
  while (TRUE)
    {
      const Batch *batch;
      GError *error = NULL;
      guint64 bytes = 0;
      gboolean ok;

      while (queue->written == queue->pushed && !queue->finishing && !queue->aborting)
        g_cond_wait (&queue->cond, &queue->lock);
      if (queue->aborting || queue->written == queue->pushed)
        break;
      batch = &queue->batches[queue->written % RC_OUTPUT_QUEUE_DEPTH];
      /* the batch is ours until `written` moves past it */
      g_mutex_unlock (&queue->lock);
      ok = write_batch (queue, batch, &bytes, &error);
      g_mutex_lock (&queue->lock);
      queue->bytes_written += bytes;
      if (!ok)
        {
          queue->error = error;
          g_cond_broadcast (&queue->cond);
          break;
        }
      queue->sectors_written += batch->sectors;
      queue->written++;
      g_cond_broadcast (&queue->cond);
    }
  g_mutex_unlock (&queue->lock);
  return NULL;
}

RcOutputQueue *
rc_output_queue_new (RcOutput *outputs, guint n_outputs, GCancellable *cancellable,
                     GError **error)
{
  RcOutputQueue *queue;
  int abort_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);

  if (abort_fd < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "cannot start writing the image: %s", g_strerror (errno));
      return NULL;
    }
  queue = g_new0 (RcOutputQueue, 1);
  queue->outputs = outputs;
  queue->n_outputs = n_outputs;
  queue->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  queue->abort_fd = abort_fd;
  for (guint i = 0; i < RC_OUTPUT_QUEUE_DEPTH; i++)
    {
      queue->batches[i].bufs = g_new0 (guint8 *, n_outputs);
      queue->batches[i].lens = g_new0 (gsize, n_outputs);
    }
  g_mutex_init (&queue->lock);
  g_cond_init (&queue->cond);
  queue->thread = g_thread_new ("rawcd-output", writer_thread, queue);
  return queue;
}

gboolean
rc_output_queue_wait_slot (RcOutputQueue *queue, GError **error)
{
  gboolean ok;

  g_mutex_lock (&queue->lock);
  while (queue->error == NULL && queue->pushed - queue->written >= RC_OUTPUT_QUEUE_DEPTH)
    g_cond_wait (&queue->cond, &queue->lock);
  ok = queue->error == NULL;
  if (!ok)
    g_propagate_error (error, g_error_copy (queue->error));
  g_mutex_unlock (&queue->lock);
  return ok;
}

void
rc_output_queue_push (RcOutputQueue *queue, guint8 *const *bufs, const gsize *lens,
                      guint sectors)
{
  Batch *batch;

  g_mutex_lock (&queue->lock);
  /* rc_output_queue_wait_slot() came first */
  g_assert (queue->pushed - queue->written < RC_OUTPUT_QUEUE_DEPTH);
  batch = &queue->batches[queue->pushed % RC_OUTPUT_QUEUE_DEPTH];
  for (guint o = 0; o < queue->n_outputs; o++)
    {
      batch->bufs[o] = bufs[o];
      batch->lens[o] = lens[o];
    }
  batch->sectors = sectors;
  queue->pushed++;
  g_cond_broadcast (&queue->cond);
  g_mutex_unlock (&queue->lock);
}

void
rc_output_queue_get_written (RcOutputQueue *queue, guint64 *sectors, guint64 *bytes)
{
  g_mutex_lock (&queue->lock);
  *sectors = queue->sectors_written;
  *bytes = queue->bytes_written;
  g_mutex_unlock (&queue->lock);
}

gboolean
rc_output_queue_finish (RcOutputQueue *queue, GError **error)
{
  gboolean ok;

  g_mutex_lock (&queue->lock);
  queue->finishing = TRUE;
  g_cond_broadcast (&queue->cond);
  while (queue->error == NULL && queue->written < queue->pushed)
    g_cond_wait (&queue->cond, &queue->lock);
  ok = queue->error == NULL;
  if (!ok)
    g_propagate_error (error, g_error_copy (queue->error));
  g_mutex_unlock (&queue->lock);
  return ok;
}

void
rc_output_queue_free (RcOutputQueue *queue)
{
  guint64 one = 1;

  if (queue == NULL)
    return;
  g_mutex_lock (&queue->lock);
  queue->aborting = TRUE;
  g_cond_broadcast (&queue->cond);
  g_mutex_unlock (&queue->lock);
  /* a write waiting for room on a pipe or socket gives up */
  while (write (queue->abort_fd, &one, sizeof one) < 0 && errno == EINTR)
    ;
  g_thread_join (queue->thread);
  close (queue->abort_fd);
  for (guint i = 0; i < RC_OUTPUT_QUEUE_DEPTH; i++)
    {
      g_free (queue->batches[i].bufs);
      g_free (queue->batches[i].lens);
    }
  g_clear_error (&queue->error);
  g_clear_object (&queue->cancellable);
  g_mutex_clear (&queue->lock);
  g_cond_clear (&queue->cond);
  g_free (queue);
}
