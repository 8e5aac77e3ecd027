/* rcd-audio-open.c: reading an audio header on a worker thread, through
 * the decoder helper. */
#include "rcd-audio-open.h"

#include <unistd.h>

#include "rc-decoder-source.h"
#include "rc-error.h"

/* Set once at startup, before any thread reads them. */
static char *decoder_path;
static GStrv decoder_formats;

gboolean
rcd_audio_open_init (const char *path, GError **error)
{
  g_auto(GStrv) formats = rc_decoder_supported_formats (path, error);

  if (formats == NULL)
    {
      g_prefix_error (error, "the decoder helper %s does not work: ", path);
      return FALSE;
    }
  g_free (decoder_path);
  decoder_path = g_strdup (path);
  g_strfreev (decoder_formats);
  decoder_formats = g_steal_pointer (&formats);
  return TRUE;
}

const char *const *
rcd_audio_open_get_formats (void)
{
  static const char *const none[] = { NULL };

  return decoder_formats != NULL ? (const char *const *) decoder_formats : none;
}

typedef struct {
  int            fd;            /* until the worker hands it to the engine */
  RcAudioFormat  format;
  gboolean       dither;
  guint          timeout_seconds;
  char          *what;
  GCancellable  *cancellable;   /* ours: the timeout or the caller's cancels it */
  GCancellable  *outer;
  gulong         outer_handler;
  GCancellable  *deadline;      /* cancelled by the timeout */
  gulong         deadline_handler;
  GSource       *timeout;
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *od = data;

  if (od->fd >= 0)
    close (od->fd);
  if (od->timeout != NULL)
    {
      g_source_destroy (od->timeout);
      g_source_unref (od->timeout);
    }
  if (od->outer != NULL)
    {
      g_cancellable_disconnect (od->outer, od->outer_handler);
      g_object_unref (od->outer);
    }
  g_cancellable_disconnect (od->deadline, od->deadline_handler);
  g_object_unref (od->deadline);
  g_object_unref (od->cancellable);
  g_free (od->what);
  g_free (od);
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *unused)
{
  OpenData *od = task_data;
  GError *error = NULL;
  RcAudioSource *source;

  source = rc_decoder_source_new_full (decoder_path, g_steal_fd (&od->fd), od->format,
                                       od->dither, od->cancellable, &error);
  if (source == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, source, (GDestroyNotify) rc_audio_source_unref);
}

/* The task data may be freed on the worker thread: the timeout holds only
 * a reference to the deadline. */
static gboolean
on_timeout (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancelled, gpointer user_data)
{
  GCancellable *ours = user_data;

  g_cancellable_cancel (ours);
}

static gulong
chain (GCancellable *from, GCancellable *to)
{
  /* Runs at once if from is cancelled already. */
  return g_cancellable_connect (from, G_CALLBACK (on_cancelled),
                                g_object_ref (to), g_object_unref);
}

void
rcd_audio_open_async (RcdWorkers          *workers,
                      int                  fd,
                      RcAudioFormat        format,
                      gboolean             dither,
                      guint                timeout_seconds,
                      const char          *what,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  OpenData *od = g_new0 (OpenData, 1);

  od->fd = fd;
  od->format = format;
  od->dither = dither;
  od->timeout_seconds = timeout_seconds;
  od->what = g_strdup (what);
  od->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, od, open_data_free);
  g_task_set_source_tag (task, rcd_audio_open_async);

  od->deadline = g_cancellable_new ();
  od->deadline_handler = chain (od->deadline, od->cancellable);
  if (cancellable != NULL)
    {
      od->outer = g_object_ref (cancellable);
      od->outer_handler = chain (cancellable, od->cancellable);
    }

  if (timeout_seconds > 0)
    {
      /* to the millisecond: the helper is killed when it expires, and a
       * whole-second source may fire up to a second late */
      od->timeout = g_timeout_source_new (timeout_seconds * 1000);
      g_source_set_callback (od->timeout, on_timeout,
                             g_object_ref (od->deadline), g_object_unref);
      g_source_set_static_name (od->timeout, "[rawcdd] audio header timeout");
      g_source_attach (od->timeout, g_task_get_context (task));
    }

  rcd_workers_run (workers, task, open_in_thread);
}

RcAudioSource *
rcd_audio_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  GTask *task = G_TASK (result);
  OpenData *od = g_task_get_task_data (task);
  g_autoptr(RcAudioSource) source = NULL;
  g_autoptr(GError) local_error = NULL;

  /* a caller's bug: still an error its client is answered with */
  if (g_task_get_source_tag (task) != rcd_audio_open_async)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                           "internal error: not the result of opening audio");
      return NULL;
    }

  source = g_task_propagate_pointer (task, &local_error);

  /* A source opened with a cancellable that has been cancelled would fail
   * its later reads: whatever the engine said, the open failed. */
  if (g_cancellable_is_cancelled (od->deadline))
    {
      /* a silent pipe, or audio whose length takes long to find (MPEG
       * audio is decoded to count its frames) */
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "the audio header of %s could not be read "
                   "within %u s", od->what, od->timeout_seconds);
      return NULL;
    }
  if (g_cancellable_is_cancelled (od->cancellable))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_CANCELLED,
                   "reading the audio header of %s was cancelled",
                   od->what);
      return NULL;
    }
  if (source == NULL)
    {
      /* the message describes the file ("WAV, 48000 Hz ..."): a client
       * names it better than an argument's name would */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&source);
}
