/* rcd-inspect.c: Manager.InspectImage (rcd-inspect.h). */
#include "rcd-inspect.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc-cue.h"
#include "rc-error.h"
#include "rc-inspect.h"
#include "rc-toc-file.h"
#include "rcd-error.h"
#include "rcd-fd-check.h"
#include "rcd-inspect-queue.h"
#include "rcd-inspect-report.h"
#include "rcd-options.h"

struct _RcdInspector {
  grefcount        ref;
  const RcdContext     *context;   /* NULL once freed by its user */
  RcdInspectorCallsFunc calls_changed;
  gpointer              calls_data;
  GCancellable    *cancellable;  /* cancelled when the service stops */
  char            *cancel_reason;
  guint            under_way;    /* waiting for the uid, a worker, or running */
  GHashTable      *per_uid;      /* uid -> inspections waiting or running */
  RcdInspectQueue *queue;        /* who runs next */
  GPtrArray       *all;          /* Inspection, every one under way */
};

typedef enum {
  STAGE_UID,      /* waiting for the caller's uid */
  STAGE_QUEUED,   /* in the queue */
  STAGE_RUNNING,  /* on a worker */
} Stage;

typedef struct {
  RcdInspector          *inspector;   /* a reference */
  GDBusMethodInvocation *invocation;
  int                    image_fd;
  int                    sub_fd;
  GBytes                *cue_sheet;   /* NULL: image_fd is a full image or a BIN with its .sub */
  GBytes                *ccd;         /* a CloneCD control file: image_fd its .img, sub_fd its .sub */
  GBytes                *toc_file;    /* a cdrdao TOC file: image_fd its data file */
  guint32                uid;
  gboolean               has_uid;     /* counted in per_uid */
  Stage                  stage;
  /* Its own, so that it stops alone when its caller leaves; cancelled
   * too when the service stops. */
  GCancellable          *cancellable;
  gulong                 stop_handler;
  guint                  caller_watch;
  gboolean               caller_left;
} Inspection;

static const RcdOptionSpec inspect_options[] = {
  { "subchannel", "h" },
  { "cue_sheet", "ay" },
  { "clonecd_control", "ay" },
  { "toc_file", "ay" },
  { NULL },
};

static void inspection_finish (Inspection *in, GVariant *reply, const GError *error);

static RcdInspector *
inspector_ref (RcdInspector *inspector)
{
  g_ref_count_inc (&inspector->ref);
  return inspector;
}

static void
inspector_unref (RcdInspector *inspector)
{
  if (!g_ref_count_dec (&inspector->ref))
    return;
  g_object_unref (inspector->cancellable);
  g_hash_table_unref (inspector->per_uid);
  rcd_inspect_queue_free (inspector->queue);
  g_ptr_array_unref (inspector->all);
  g_free (inspector->cancel_reason);
  g_free (inspector);
}

/* PINNED choice (issue 11): one uid runs at most half the workers (at
 * least one) while inspections wait, so another uid's starts on the next
 * free worker; with --max-jobs 4, two and two. */
static guint
per_uid_running (guint workers)
{
  return MAX (1u, workers / 2);
}

RcdInspector *
rcd_inspector_new (const RcdContext      *context,
                   RcdInspectorCallsFunc  calls_changed,
                   gpointer               user_data)
{
  RcdInspector *inspector = g_new0 (RcdInspector, 1);
  guint workers = MAX (1u, context->config.max_jobs);

  g_ref_count_init (&inspector->ref);
  inspector->context = context;
  inspector->calls_changed = calls_changed;
  inspector->calls_data = user_data;
  inspector->cancellable = g_cancellable_new ();
  inspector->per_uid = g_hash_table_new (g_direct_hash, g_direct_equal);
  inspector->queue = rcd_inspect_queue_new (workers, per_uid_running (workers));
  inspector->all = g_ptr_array_new ();
  return inspector;
}

static GError *
cancelled_error (RcdInspector *inspector, Inspection *in, const char *detail)
{
  const char *why = inspector->cancel_reason != NULL ? inspector->cancel_reason
                  : in != NULL && in->caller_left ? "its caller left the bus"
                  : detail != NULL ? detail : "the service stopped";

  return g_error_new (RC_ERROR, RC_ERROR_CANCELLED, "InspectImage was cancelled: %s", why);
}

void
rcd_inspector_cancel (RcdInspector *inspector, const char *reason)
{
  if (inspector->cancel_reason != NULL)
    return;
  inspector->cancel_reason = g_strdup (reason);
  /* the running ones stop at their next batch and answer then */
  g_cancellable_cancel (inspector->cancellable);
  /* the queued ones will not start: answer them now */
  for (guint i = inspector->all->len; i > 0; i--)
    {
      Inspection *in;

      if (i > inspector->all->len)
        continue;
      in = g_ptr_array_index (inspector->all, i - 1);
      if (in->stage == STAGE_QUEUED && rcd_inspect_queue_remove (inspector->queue, in))
        {
          g_autoptr(GError) error = cancelled_error (inspector, in, NULL);

          inspection_finish (in, NULL, error);
        }
    }
}

void
rcd_inspector_free (RcdInspector *inspector)
{
  if (inspector == NULL)
    return;
  rcd_inspector_cancel (inspector, "the service stopped");
  inspector->context = NULL;
  inspector_unref (inspector);
}

/* --- one inspection -------------------------------------------------------- */

static guint
uid_count (RcdInspector *inspector, guint32 uid)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (inspector->per_uid, GUINT_TO_POINTER (uid)));
}

static void
uid_count_add (RcdInspector *inspector, guint32 uid, gint delta)
{
  guint n = uid_count (inspector, uid) + (guint) delta;

  if (n == 0)
    g_hash_table_remove (inspector->per_uid, GUINT_TO_POINTER (uid));
  else
    g_hash_table_insert (inspector->per_uid, GUINT_TO_POINTER (uid), GUINT_TO_POINTER (n));
}

static void start_next (RcdInspector *inspector);

/* Replies (reply or error, exactly one of them) and forgets the
 * inspection. */
static void
inspection_finish (Inspection *in, GVariant *reply, const GError *error)
{
  RcdInspector *inspector = in->inspector;
  gboolean was_running = in->stage == STAGE_RUNNING;

  if (reply != NULL)
    g_dbus_method_invocation_return_value (in->invocation, g_variant_new ("(@a{sv})", reply));
  else
    rcd_error_return (in->invocation, error);

  if (in->caller_watch != 0)
    g_bus_unwatch_name (in->caller_watch);
  g_cancellable_disconnect (inspector->cancellable, in->stop_handler);
  g_clear_object (&in->cancellable);
  g_ptr_array_remove_fast (inspector->all, in);
  if (was_running)
    rcd_inspect_queue_done (inspector->queue, in->uid);
  if (in->has_uid)
    uid_count_add (inspector, in->uid, -1);
  inspector->under_way--;
  if (inspector->context != NULL)
    inspector->calls_changed (-1, inspector->calls_data);

  if (in->image_fd >= 0)
    close (in->image_fd);
  if (in->sub_fd >= 0)
    close (in->sub_fd);
  g_clear_pointer (&in->cue_sheet, g_bytes_unref);
  g_clear_pointer (&in->ccd, g_bytes_unref);
  g_clear_pointer (&in->toc_file, g_bytes_unref);
  g_free (in);
  /* a worker is free */
  if (was_running)
    start_next (inspector);
  inspector_unref (inspector);
}

static void
inspect_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Inspection *in = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcInspectReport) report = NULL;

  if (in->cue_sheet != NULL)
    {
      gsize len = 0;
      const char *text = g_bytes_get_data (in->cue_sheet, &len);

      report = rc_inspect_cue (in->image_fd, in->sub_fd, text != NULL ? text : "", len, NULL, NULL, NULL,
                               cancellable, &error);
    }
  else if (in->ccd != NULL)
    {
      gsize len = 0;
      const char *text = g_bytes_get_data (in->ccd, &len);

      report = rc_inspect_clonecd (in->image_fd, in->sub_fd, text != NULL ? text : "", len, NULL, NULL,
                                   NULL, cancellable, &error);
    }
  else if (in->toc_file != NULL)
    {
      gsize len = 0;
      const char *text = g_bytes_get_data (in->toc_file, &len);

      /* Only the data file's size is read: no cancellation needed. */
      report = rc_inspect_toc_file (in->image_fd, text != NULL ? text : "", len, NULL, &error);
    }
  else
    report = rc_inspect_fd (in->image_fd, in->sub_fd, NULL, NULL, NULL, cancellable, &error);
  if (report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The a{sv} is made here too: a report can hold a thousand problems. */
  g_task_return_pointer (task, g_variant_ref_sink (rcd_inspect_report_to_variant (report)),
                         (GDestroyNotify) g_variant_unref);
}

static void
on_inspected (GObject *unused, GAsyncResult *result, gpointer user_data)
{
  Inspection *in = user_data;
  RcdInspector *inspector = in->inspector;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) report = g_task_propagate_pointer (G_TASK (result), &error);

  if (report == NULL && g_error_matches (error, RC_ERROR, RC_ERROR_CANCELLED))
    {
      g_autoptr(GError) cancelled = cancelled_error (inspector, in, error->message);

      g_debug ("InspectImage for %s stopped: %s",
               g_dbus_method_invocation_get_sender (in->invocation), cancelled->message);
      inspection_finish (in, NULL, cancelled);
      return;
    }
  if (report == NULL)
    g_prefix_error (&error, "InspectImage: ");
  else
    g_debug ("InspectImage for %s done",
             g_dbus_method_invocation_get_sender (in->invocation));
  inspection_finish (in, report, error);
}

/* Starts what the queue lets run on the free workers. */
static void
start_next (RcdInspector *inspector)
{
  Inspection *in;
  guint32 uid;

  while (inspector->context != NULL && inspector->cancel_reason == NULL &&
         (in = rcd_inspect_queue_next (inspector->queue, &uid)) != NULL)
    {
      g_autoptr(GTask) task = NULL;

      in->stage = STAGE_RUNNING;
      g_debug ("InspectImage for %s (uid %u) starts",
               g_dbus_method_invocation_get_sender (in->invocation), uid);
      task = g_task_new (NULL, in->cancellable, on_inspected, in);
      g_task_set_source_tag (task, start_next);
      /* Our own cancellation message, from the engine's error. */
      g_task_set_check_cancellable (task, FALSE);
      g_task_set_task_data (task, in, NULL);
      rcd_workers_run (inspector->context->inspect_workers, task, inspect_in_thread);
    }
}

/* The caller's unique name left the bus: nobody waits for the report. */
static void
on_caller_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Inspection *in = user_data;
  RcdInspector *inspector = in->inspector;

  if (in->caller_left)
    return;
  in->caller_left = TRUE;
  g_debug ("InspectImage for %s: the caller left", name);
  switch (in->stage)
    {
    case STAGE_QUEUED:
      if (rcd_inspect_queue_remove (inspector->queue, in))
        {
          g_autoptr(GError) error = cancelled_error (inspector, in, NULL);

          inspection_finish (in, NULL, error);
        }
      break;
    case STAGE_RUNNING:
      /* the worker stops at its next batch (about 1 MiB) */
      g_cancellable_cancel (in->cancellable);
      break;
    case STAGE_UID:
    default:
      /* on_caller_uid sees caller_left */
      break;
    }
}

static void
on_service_stop (GCancellable *stop, gpointer user_data)
{
  Inspection *in = user_data;

  g_cancellable_cancel (in->cancellable);
}

static void
on_caller_uid (guint32 uid, const GError *error, gpointer user_data)
{
  Inspection *in = user_data;
  RcdInspector *inspector = in->inspector;
  guint max;

  if (error != NULL)
    {
      inspection_finish (in, NULL, error);
      return;
    }
  if (inspector->context == NULL || inspector->cancel_reason != NULL || in->caller_left)
    {
      g_autoptr(GError) cancelled = cancelled_error (inspector, in, NULL);

      inspection_finish (in, NULL, cancelled);
      return;
    }

  max = inspector->context->config.max_jobs;
  if (uid_count (inspector, uid) >= max)
    {
      g_autoptr(GError) limit =
        g_error_new (RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED,
                     "uid %u has reached the limit of %u inspection%s under way "
                     "(--max-jobs); wait for one to complete", uid, max,
                     max == 1 ? "" : "s");
      inspection_finish (in, NULL, limit);
      return;
    }
  in->uid = uid;
  in->has_uid = TRUE;
  uid_count_add (inspector, uid, +1);

  g_debug ("InspectImage for %s (uid %u) queued",
           g_dbus_method_invocation_get_sender (in->invocation), uid);
  in->stage = STAGE_QUEUED;
  rcd_inspect_queue_push (inspector->queue, uid, in);
  start_next (inspector);
}

/* The engine's bound on what a CD image can be, from the sizes alone: a
 * huge sparse file is refused before a worker reads it. */
static gboolean
check_sizes (int image_fd, int sub_fd, gboolean bin, GError **error)
{
  struct stat image_st, sub_st = { 0 };

  if (fstat (image_fd, &image_st) != 0 || (sub_fd >= 0 && fstat (sub_fd, &sub_st) != 0))
    {
      int saved = errno;

      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "InspectImage: cannot read the file's size: %s",
                   g_strerror (saved));
      return FALSE;
    }
  if (!rc_inspect_check_sizes ((guint64) image_st.st_size, bin, (guint64) sub_st.st_size, error))
    {
      g_prefix_error (error, "InspectImage: ");
      return FALSE;
    }
  return TRUE;
}

/* The text of a side file that travels in the call (options key), bounded
 * before anything else is done with it (the engine reads it on the
 * worker).  *value NULL when the option is absent. */
static gboolean
lookup_side_file (GVariant *options, const char *key, const char *what, gsize max,
                  GVariant **value, GError **error)
{
  *value = g_variant_lookup_value (options, key, G_VARIANT_TYPE_BYTESTRING);
  if (*value == NULL || g_variant_get_size (*value) <= max)
    return TRUE;
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "InspectImage: options.%s is %" G_GSIZE_FORMAT " bytes; "
               "%s of at most %" G_GSIZE_FORMAT " bytes is read",
               key, g_variant_get_size (*value), what, max);
  return FALSE;
}

void
rcd_inspector_handle (RcdInspector          *inspector,
                      GDBusMethodInvocation *invocation,
                      GUnixFDList           *fd_list,
                      GVariant              *image,
                      GVariant              *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) sub_handle = NULL;
  g_autoptr(GVariant) cue_sheet = NULL;
  g_autoptr(GVariant) ccd = NULL;
  g_autoptr(GVariant) toc_file = NULL;
  Inspection *in;
  int image_fd, sub_fd = -1;

  if (inspector->context == NULL || inspector->cancel_reason != NULL)
    {
      rcd_error_return_new (invocation, RC_ERROR_CANCELLED, "InspectImage: %s",
                            inspector->cancel_reason != NULL ? inspector->cancel_reason
                                                             : "the service stopped");
      return;
    }
  if (!rcd_options_check (options, "InspectImage", inspect_options, &error))
    {
      rcd_error_return (invocation, error);
      return;
    }
  if (inspector->under_way >= RCD_MAX_INSPECTIONS)
    {
      rcd_error_return_service (invocation, RCD_ERROR_LIMIT_EXCEEDED,
                            "the service has %u inspections under way, its limit; "
                            "try again later", RCD_MAX_INSPECTIONS);
      return;
    }

  if (!lookup_side_file (options, "cue_sheet", "a CUE sheet", RC_CUE_MAX_BYTES, &cue_sheet,
                         &error)
      || !lookup_side_file (options, "clonecd_control", "a CloneCD file", RC_CUE_MAX_BYTES,
                            &ccd, &error)
      || !lookup_side_file (options, "toc_file", "a cdrdao TOC file", RC_TOC_FILE_MAX_BYTES,
                            &toc_file, &error))
    {
      rcd_error_return (invocation, error);
      return;
    }
  if (ccd != NULL && (cue_sheet != NULL || !g_variant_lookup (options, "subchannel", "h", NULL)))
    {
      rcd_error_return_new (invocation, RC_ERROR_INVALID_ARGUMENT,
                            "InspectImage: options.clonecd_control needs options.subchannel (the "
                            ".sub) and no cue_sheet");
      return;
    }

  if (toc_file != NULL && (cue_sheet != NULL || ccd != NULL
                           || g_variant_lookup (options, "subchannel", "h", NULL)))
    {
      rcd_error_return_new (invocation, RC_ERROR_INVALID_ARGUMENT,
                            "InspectImage: options.toc_file goes alone: the image is the TOC's "
                            "data file, without subchannel, cue_sheet or clonecd_control");
      return;
    }

  image_fd = rcd_fd_take_checked (fd_list, image, "image", rcd_fd_check_file, &error);
  if (image_fd < 0)
    {
      rcd_error_return (invocation, error);
      return;
    }
  sub_handle = g_variant_lookup_value (options, "subchannel", G_VARIANT_TYPE_HANDLE);
  if (sub_handle != NULL)
    {
      sub_fd = rcd_fd_take_checked (fd_list, sub_handle, "options.subchannel",
                                     rcd_fd_check_file, &error);
      if (sub_fd < 0)
        {
          close (image_fd);
          rcd_error_return (invocation, error);
          return;
        }
    }
  if (!check_sizes (image_fd, sub_fd, sub_fd >= 0 || cue_sheet != NULL, &error))
    {
      close (image_fd);
      if (sub_fd >= 0)
        close (sub_fd);
      rcd_error_return (invocation, error);
      return;
    }

  in = g_new0 (Inspection, 1);
  in->inspector = inspector_ref (inspector);
  in->invocation = invocation;
  in->image_fd = image_fd;
  in->sub_fd = sub_fd;
  if (cue_sheet != NULL)
    in->cue_sheet = g_variant_get_data_as_bytes (cue_sheet);
  if (ccd != NULL)
    in->ccd = g_variant_get_data_as_bytes (ccd);
  if (toc_file != NULL)
    in->toc_file = g_variant_get_data_as_bytes (toc_file);
  in->stage = STAGE_UID;
  in->cancellable = g_cancellable_new ();
  in->stop_handler = g_cancellable_connect (inspector->cancellable, G_CALLBACK (on_service_stop),
                                            in, NULL);
  g_ptr_array_add (inspector->all, in);
  inspector->under_way++;
  inspector->calls_changed (+1, inspector->calls_data);

  /* The work is for the caller alone: when its connection closes, stop.
   * A unique name never comes back, so vanishing is final; one that is
   * already gone is reported on a later iteration. */
  if (g_dbus_method_invocation_get_sender (invocation) != NULL)
    in->caller_watch =
      g_bus_watch_name_on_connection (g_dbus_method_invocation_get_connection (invocation),
                                      g_dbus_method_invocation_get_sender (invocation),
                                      G_BUS_NAME_WATCHER_FLAGS_NONE,
                                      NULL, on_caller_vanished, in, NULL);

  /* The per-user limit needs the caller's uid: ask the bus without
   * blocking. */
  rcd_callers_get_uid (inspector->context->callers,
                       g_dbus_method_invocation_get_sender (invocation),
                       on_caller_uid, in);
}
