/* rcd-job.c: the Job objects: an image written on a worker thread. */
#define _GNU_SOURCE   /* gettid */
#include "rcd-job.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rc-error.h"
#include "rcd-config.h"
#include "rcd-error.h"
#include "rcd-guard.h"
#include "rcd-job-levels.h"

/* A job writes what a format's plan has. */
G_STATIC_ASSERT (RCD_JOB_MAX_OUTPUTS == RC_FORMAT_PLAN_MAX_OUTPUTS);

/* Rate and ExpectedEndTime come from the samples of the last few seconds,
 * and only once they span a second: a rate over a tenth of a second says
 * more about the page cache than about the job (a short job once showed
 * 1.8 TB/s).  Until then both are 0, which clients show as unknown. */
#define RATE_WINDOW_US     (5 * G_USEC_PER_SEC)
#define RATE_MIN_WINDOW_US (1 * G_USEC_PER_SEC)

/* The writer is background work: the main loop, which answers every
 * client, must get the processor whenever it has something to do, however
 * many images are being written (threads the writer starts inherit it). */
#define WRITER_NICE 10

typedef struct {
  gint64  time;      /* monotonic µs */
  guint64 bytes;
  guint64 sectors;
} Sample;

struct _RcdJob {
  RcdDBusJobSkeleton parent;

  char         *path;
  RcdAudience  *audience;     /* while exported */
  RcdObjectManager *objects;  /* while exported */
  RcLayout     *layout;       /* until the worker is done */
  RcImageType   type;
  gint          first_lba;    /* the range written: first_lba .. end_lba - 1 */
  gint          end_lba;
  guint         n_outputs;
  GCancellable *cancellable;
  char         *cancel_reason;

  /* Shared with the worker. */
  GMutex        lock;
  RcImageOutput outputs[RCD_JOB_MAX_OUTPUTS]; /* the worker takes the fds when it starts */
  gboolean      started;
  gint64        worker_start;   /* monotonic µs the worker began writing */
  guint64       sectors;
  guint64       total;
  guint64       bytes;

  GArray       *samples;      /* Sample, oldest first */
  guint         output_timeout; /* s an output may accept nothing; 0: no limit */
  guint64       last_bytes;     /* BytesWritten when it last moved */
  gint64        last_moved;     /* monotonic µs of that */
  gboolean      stalled;        /* cancelled for its stalled output */
  gint64        running_since; /* monotonic µs, 0 while queued */
  guint         update_source;
  guint         linger_source;
  gboolean      finished;
};

enum {
  SIGNAL_FINISHED,
  SIGNAL_EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rcd_job_job_init (RcdDBusJobIface *iface);

G_DEFINE_TYPE_WITH_CODE (RcdJob, rcd_job, RCD_DBUS_TYPE_JOB_SKELETON,
                         G_IMPLEMENT_INTERFACE (RCD_DBUS_TYPE_JOB, rcd_job_job_init))

gboolean
rcd_job_is_finished (RcdJob *self)
{
  return self->finished;
}

/* --- progress, on the main loop ------------------------------------------- */

static void
add_sample (RcdJob *self, guint64 bytes, guint64 sectors)
{
  Sample sample = { g_get_monotonic_time (), bytes, sectors };

  g_array_append_val (self->samples, sample);
  while (self->samples->len > 2
         && sample.time - g_array_index (self->samples, Sample, 0).time > RATE_WINDOW_US)
    g_array_remove_index (self->samples, 0);
}

/* Publishes the worker's progress as properties. */
static void
publish (RcdJob *self)
{
  RcdDBusJob *job = RCD_DBUS_JOB (self);
  guint64 sectors, total, bytes;
  gboolean started;
  gint64 worker_start;
  const Sample *first, *last;

  g_mutex_lock (&self->lock);
  started = self->started;
  worker_start = self->worker_start;
  sectors = self->sectors;
  total = self->total;
  bytes = self->bytes;
  g_mutex_unlock (&self->lock);

  if (!started)
    return;
  if (self->running_since == 0)
    {
      g_info ("%s running", self->path);
      self->running_since = g_get_monotonic_time ();
      rcd_dbus_job_set_state (job, "running");
    }

  rcd_dbus_job_set_sectors_written (job, sectors);
  rcd_dbus_job_set_bytes_written (job, bytes);
  rcd_dbus_job_set_progress (job, total > 0 ? (gdouble) sectors / (gdouble) total : 0.0);

  /* the window begins where the writing did, not at the first update */
  if (self->samples->len == 0)
    g_array_append_val (self->samples, ((Sample) { worker_start, 0, 0 }));
  add_sample (self, bytes, sectors);
  first = &g_array_index (self->samples, Sample, 0);
  last = &g_array_index (self->samples, Sample, self->samples->len - 1);
  if (last->time - first->time >= RATE_MIN_WINDOW_US && last->sectors > first->sectors)
    {
      gdouble seconds = (gdouble) (last->time - first->time) / G_USEC_PER_SEC;
      gdouble sector_rate = (gdouble) (last->sectors - first->sectors) / seconds;

      rcd_dbus_job_set_rate (job, (guint64) ((gdouble) (last->bytes - first->bytes) / seconds));
      rcd_dbus_job_set_expected_end_time (job, (guint64) g_get_real_time ()
                                     + (guint64) ((gdouble) (total - sectors) / sector_rate
                                                  * G_USEC_PER_SEC));
    }
}

/* A job that writes nothing for output_timeout seconds (its output
 * accepts no data, or an input pipe delivers none) holds a writer for
 * nothing: it fails, and the writer goes to the next job. */
static void
check_stall (RcdJob *self)
{
  guint64 bytes = rcd_dbus_job_get_bytes_written (RCD_DBUS_JOB (self));
  gint64 now = g_get_monotonic_time ();

  if (self->running_since == 0 || self->output_timeout == 0 || self->stalled)
    return;
  if (bytes != self->last_bytes || self->last_moved == 0)
    {
      self->last_bytes = bytes;
      self->last_moved = now;
      return;
    }
  if (now - self->last_moved < (gint64) self->output_timeout * G_USEC_PER_SEC)
    return;

  g_info ("%s: nothing written for %u s", self->path, self->output_timeout);
  self->stalled = TRUE;
  g_free (self->cancel_reason);
  self->cancel_reason =
    g_strdup_printf ("nothing could be written for %u s (--output-timeout) after %"
                     G_GUINT64_FORMAT " bytes: the output accepted no data (is anyone "
                     "reading it?), or an audio input delivered none",
                     self->output_timeout, bytes);
  g_cancellable_cancel (self->cancellable);
}

static gboolean
on_update (gpointer user_data)
{
  RcdJob *self = RCD_JOB (user_data);

  publish (self);
  check_stall (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_linger_over (gpointer user_data)
{
  g_autoptr(RcdJob) self = g_object_ref (RCD_JOB (user_data));

  self->linger_source = 0;
  g_signal_emit (self, signals[SIGNAL_EXPIRED], 0);
  return G_SOURCE_REMOVE;
}

/* The end: final properties, then Completed, exactly once. */
static void
finish (RcdJob *self, const char *state, gboolean success, const char *message)
{
  RcdDBusJob *job = RCD_DBUS_JOB (self);

  g_assert (!self->finished);
  self->finished = TRUE;
  g_clear_handle_id (&self->update_source, g_source_remove);

  publish (self);
  if (rcd_dbus_job_get_rate (job) == 0 && self->running_since > 0)
    {
      /* Over before the window meant something: the average over the
       * whole writing, from when the worker began. */
      gint64 elapsed;

      g_mutex_lock (&self->lock);
      elapsed = g_get_monotonic_time () - self->worker_start;
      g_mutex_unlock (&self->lock);

      if (elapsed > 0)
        rcd_dbus_job_set_rate (job, rcd_dbus_job_get_bytes_written (job) * G_USEC_PER_SEC / (guint64) elapsed);
    }
  if (success)
    {
      rcd_dbus_job_set_sectors_written (job, rcd_dbus_job_get_total_sectors (job));
      rcd_dbus_job_set_progress (job, 1.0);
    }
  rcd_dbus_job_set_expected_end_time (job, (guint64) g_get_real_time ());
  rcd_dbus_job_set_state (job, state);
  rcd_dbus_job_set_message (job, message);
  rcd_dbus_job_set_cancelable (job, FALSE);

  /* Properties first, so that a client reacting to Completed reads the
   * final values. */
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (self));
  rcd_dbus_job_emit_completed (job, success, message);
  g_info ("%s ended, %s: %s", self->path, state, message);

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
  self->linger_source = g_timeout_add_seconds (RCD_JOB_LINGER_SECONDS, on_linger_over, self);
}

/* --- the outputs ---------------------------------------------------------- */

/* Takes the descriptors (under the lock): -1 is left behind. */
static void
steal_outputs (RcdJob *self, RcImageOutput *out)
{
  for (guint o = 0; o < self->n_outputs; o++)
    {
      out[o].form = self->outputs[o].form;
      out[o].fd = g_steal_fd (&self->outputs[o].fd);
    }
}

static void
close_outputs (RcImageOutput *outputs, guint n)
{
  for (guint o = 0; o < n; o++)
    if (outputs[o].fd >= 0)
      close (g_steal_fd (&outputs[o].fd));
}

/* Closes every output and reports the first failure: a close can be where
 * a file system says that the data did not fit. */
static gboolean
close_outputs_checked (RcImageOutput *outputs, guint n, GError **error)
{
  gboolean ok = TRUE;

  for (guint o = 0; o < n; o++)
    {
      g_autoptr(GError) local_error = NULL;

      if (outputs[o].fd < 0)
        continue;
      if (!g_close (g_steal_fd (&outputs[o].fd), &local_error) && ok)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "closing the %s after the image failed: ",
                                      o == 0 ? "output" : "subchannel output");
          ok = FALSE;
        }
    }
  return ok;
}

/* --- the worker ----------------------------------------------------------- */

static void
on_progress (guint64 sectors_written, guint64 total_sectors, guint64 bytes_written,
             gpointer user_data)
{
  RcdJob *self = user_data;

  g_mutex_lock (&self->lock);
  self->sectors = sectors_written;
  self->total = total_sectors;
  self->bytes = bytes_written;
  g_mutex_unlock (&self->lock);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *unused)
{
  RcdJob *self = source_object;
  g_autoptr(GError) error = NULL;
  RcImageOutput outputs[RCD_JOB_MAX_OUTPUTS];
  gboolean started = FALSE;
  pid_t tid = gettid ();
  int nice_before;
  gboolean niced, ok;

  g_mutex_lock (&self->lock);
  if (!g_cancellable_is_cancelled (self->cancellable))
    {
      steal_outputs (self, outputs);
      self->started = started = TRUE;
      self->worker_start = g_get_monotonic_time ();
    }
  g_mutex_unlock (&self->lock);

  if (!started)
    {
      g_task_return_new_error (task, RC_ERROR, RC_ERROR_CANCELLED,
                               "cancelled before it started");
      return;
    }

  /* Linux's nice value is per thread; this pool thread is GLib's and goes
   * back to its other work afterwards (as it was, where we may raise it
   * again: not as an unprivileged rawcdd, which then keeps it lower). */
  errno = 0;
  nice_before = getpriority (PRIO_PROCESS, (id_t) tid);
  niced = errno == 0 && nice_before < WRITER_NICE
          && setpriority (PRIO_PROCESS, (id_t) tid, WRITER_NICE) == 0;
  ok = rc_image_write_range (self->layout, self->type, self->first_lba, self->end_lba,
                             outputs, self->n_outputs, on_progress, self,
                             self->cancellable, &error);
  if (niced)
    setpriority (PRIO_PROCESS, (id_t) tid, nice_before);
  if (!ok)
    {
      close_outputs (outputs, self->n_outputs);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!close_outputs_checked (outputs, self->n_outputs, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* The number of the track a stream of audio belongs to: the last whose
 * index 0 begins at or before the stream's first sector (a stream starts
 * in its own track whatever its gaps); 0 for the special pregap, which
 * alone lies before LBA 0. */
static guint
stream_track_number (const RcLayout *layout, const RcLayoutAudio *audio)
{
  guint number = 0;

  if (audio->lba < 0)
    return 0;
  for (guint i = 0; i < layout->n_tracks; i++)
    if (layout->tracks[i].pregap_lba <= audio->lba)
      number = layout->tracks[i].number;
  return number;
}

/* "; track 2: 275600 samples clipped" for each stream whose conversion
 * clipped: the user must hear of it, not only a client that asks. */
static char *
describe_clipping (const RcLayout *layout)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < layout->n_audio; i++)
    {
      const RcLayoutAudio *audio = &layout->audio[i];
      guint number = stream_track_number (layout, audio);
      guint64 clipped = 0;

      if (!rc_audio_source_get_clipped (audio->source, &clipped) || clipped == 0)
        continue;
      if (number == 0)
        g_string_append_printf (text, "; the special pregap: %" G_GUINT64_FORMAT
                                " samples clipped", clipped);
      else
        g_string_append_printf (text, "; track %u: %" G_GUINT64_FORMAT " samples clipped",
                                number, clipped);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RcdJob *self = RCD_JOB (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* The worker no longer reads the tracks. */
  g_autoptr(RcLayout) layout = g_steal_pointer (&self->layout);

  if (self->finished)
    return;   /* aborted: completed already */

  if (ok)
    {
      g_autofree char *clipping = describe_clipping (layout);
      g_autofree char *levels = rcd_job_describe_levels (layout);

      /* a MeasureLevels job writes nothing anyone keeps */
      if (g_strcmp0 (rcd_dbus_job_get_operation (RCD_DBUS_JOB (self)), "rawcd-measure-levels") == 0)
        message = g_strdup_printf ("the levels are measured: %" G_GUINT64_FORMAT
                                   " sectors read%s%s", self->total, levels, clipping);
      else
        message = g_strdup_printf ("the image is complete: %" G_GUINT64_FORMAT
                                   " bytes, %" G_GUINT64_FORMAT " sectors%s%s",
                                   self->bytes, self->total, levels, clipping);
      finish (self, "succeeded", TRUE, message);
    }
  else if (self->stalled)
    {
      /* Not a cancellation anyone asked for: a failure, named. */
      finish (self, "failed", FALSE, self->cancel_reason);
    }
  else if (g_error_matches (error, RC_ERROR, RC_ERROR_CANCELLED))
    {
      message = g_strdup_printf ("%s (%s)",
                                 self->cancel_reason != NULL ? self->cancel_reason
                                                             : "cancelled",
                                 error->message);
      finish (self, "cancelled", FALSE, message);
    }
  else
    {
      finish (self, "failed", FALSE, error->message);
    }
}

void
rcd_job_start (RcdJob *self, RcdWorkers *workers)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_written, NULL);

  g_task_set_source_tag (task, rcd_job_start);
  self->update_source = g_timeout_add (RCD_JOB_UPDATE_MS, on_update, self);
  rcd_workers_run (workers, task, write_in_thread);
}

void
rcd_job_abort (RcdJob *self, const char *reason)
{
  RcImageOutput outputs[RCD_JOB_MAX_OUTPUTS];

  if (self->finished)
    return;

  g_cancellable_cancel (self->cancellable);
  /* A job still queued has not taken its outputs: close them now, so that
   * a reader at the other end of a pipe sees the end. */
  g_mutex_lock (&self->lock);
  steal_outputs (self, outputs);
  g_mutex_unlock (&self->lock);
  close_outputs (outputs, self->n_outputs);

  finish (self, "cancelled", FALSE, reason);
}

static gboolean
handle_cancel (RcdDBusJob *job, GDBusMethodInvocation *invocation)
{
  RcdJob *self = RCD_JOB (job);
  gboolean started;

  if (!self->finished)
    {
      g_info ("%s: cancelled by %s", self->path,
              g_dbus_method_invocation_get_sender (invocation));
      g_mutex_lock (&self->lock);
      started = self->started;
      g_mutex_unlock (&self->lock);

      if (!started)
        {
          rcd_job_abort (self, "cancelled by its owner before it started");
        }
      else
        {
          /* Completed follows when the worker stops, within a batch. */
          g_free (self->cancel_reason);
          self->cancel_reason = g_strdup ("cancelled by its owner");
          g_cancellable_cancel (self->cancellable);
        }
    }
  rcd_dbus_job_complete_cancel (job, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Job paths are never reused while the service runs. */
static guint last_job_id;

const char *
rcd_job_get_path (RcdJob *self)
{
  return self->path;
}

RcdJob *
rcd_job_new (const RcdContext    *context,
             RcdOwner            *owner,
             const char          *session_path,
             RcLayout            *layout,
             RcImageType          type,
             gint                 first_lba,
             gint                 end_lba,
             const RcImageOutput *outputs,
             guint                n_outputs,
             GError             **error)
{
  g_autoptr(RcdJob) self = g_object_new (RCD_TYPE_JOB, NULL);
  RcdDBusJob *job = RCD_DBUS_JOB (self);

  /* A caller's bug, never a client's: still an answer for the client (the
   * caller returns the error) and no descriptor left open, as promised. */
  if (n_outputs < 1 || n_outputs > RCD_JOB_MAX_OUTPUTS || first_lba > end_lba)
    {
      for (guint o = 0; o < n_outputs; o++)
        if (outputs[o].fd >= 0)
          close (outputs[o].fd);
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "internal error: a job of %u outputs, sectors %d to %d, cannot be made",
                   n_outputs, first_lba, end_lba);
      return NULL;
    }

  self->path = g_strdup_printf (RAWCD_JOB_PATH_PREFIX "%u", ++last_job_id);
  self->layout = rc_layout_ref (layout);
  self->type = type;
  self->first_lba = first_lba;
  self->end_lba = end_lba;
  self->n_outputs = n_outputs;
  memcpy (self->outputs, outputs, n_outputs * sizeof outputs[0]);
  self->total = (guint64) (end_lba - first_lba);
  self->output_timeout = context->config.output_timeout;

  rcd_dbus_job_set_state (job, "queued");
  rcd_dbus_job_set_message (job, "");
  rcd_dbus_job_set_total_sectors (job, self->total);
  rcd_dbus_job_set_start_time (job, (guint64) g_get_real_time ());
  /* udisks' Job conventions, for desktop notifiers. */
  rcd_dbus_job_set_operation (job, "rawcd-create-image");
  rcd_dbus_job_set_cancelable (job, TRUE);
  rcd_dbus_job_set_started_by_uid (job, owner->uid);
  rcd_dbus_job_set_objects (job, (const char *const[]) { session_path, NULL });
  rcd_dbus_job_set_progress_valid (job, TRUE);

  rcd_guard_attach (G_DBUS_INTERFACE_SKELETON (self), owner, context,
                    NULL, NULL, NULL);
  /* A desktop notifier of the same user may follow the job (its
   * properties and Completed); Cancel stays its owner's. */
  rcd_guard_let_uid_read (G_DBUS_INTERFACE_SKELETON (self));
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self),
                                         context->connection, self->path, error))
    {
      g_prefix_error (error, "cannot export %s: ", self->path);
      rcd_error_convert (error);
      self->finished = TRUE;
      return NULL;
    }
  /* Its signals go to its session's owner only. */
  self->audience = rcd_audience_ref (context->audience);
  rcd_audience_add (self->audience, self->path, owner);
  self->objects = rcd_object_manager_ref (context->objects);
  rcd_object_manager_add (self->objects, G_DBUS_INTERFACE_SKELETON (self), owner);
  return g_steal_pointer (&self);
}

void
rcd_job_unexport (RcdJob *self)
{
  g_clear_handle_id (&self->linger_source, g_source_remove);
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self));
  if (self->audience != NULL)
    {
      rcd_audience_remove (self->audience, self->path);
      g_clear_pointer (&self->audience, rcd_audience_unref);
    }
  if (self->objects != NULL)
    {
      rcd_object_manager_remove (self->objects, self->path);
      g_clear_pointer (&self->objects, rcd_object_manager_unref);
    }
}

static void
rcd_job_finalize (GObject *object)
{
  RcdJob *self = RCD_JOB (object);

  g_assert (self->update_source == 0);
  g_clear_handle_id (&self->linger_source, g_source_remove);
  close_outputs (self->outputs, self->n_outputs);
  g_clear_pointer (&self->layout, rc_layout_unref);
  g_clear_pointer (&self->audience, rcd_audience_unref);
  g_clear_pointer (&self->objects, rcd_object_manager_unref);
  g_array_unref (self->samples);
  g_mutex_clear (&self->lock);
  g_object_unref (self->cancellable);
  g_free (self->cancel_reason);
  g_free (self->path);
  G_OBJECT_CLASS (rcd_job_parent_class)->finalize (object);
}

static void
rcd_job_init (RcdJob *self)
{
  for (guint o = 0; o < RCD_JOB_MAX_OUTPUTS; o++)
    self->outputs[o].fd = -1;
  self->cancellable = g_cancellable_new ();
  self->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_mutex_init (&self->lock);
}

static void
rcd_job_class_init (RcdJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcd_job_finalize;
  rcd_guard_class_init (G_DBUS_INTERFACE_SKELETON_CLASS (klass));

  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  signals[SIGNAL_EXPIRED] = g_signal_new ("expired", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
rcd_job_job_init (RcdDBusJobIface *iface)
{
  iface->handle_cancel = handle_cancel;
}
