/* rcd-inspect.c: Manager.InspectImage (rcd-inspect.h). */
#include "rcd-inspect.h"

#include <unistd.h>

#include "rc-error.h"
#include "rc-inspect.h"
#include "rcd-error.h"
#include "rcd-fd-check.h"
#include "rcd-inspect-report.h"
#include "rcd-options.h"

struct _RcdInspector {
  grefcount     ref;
  const RcdContext     *context;   /* NULL once freed by its user */
  RcdInspectorCallsFunc calls_changed;
  gpointer              calls_data;
  GCancellable *cancellable;  /* cancelled when the service stops */
  char         *cancel_reason;
  guint         under_way;    /* waiting for the uid, a worker, or running */
  GHashTable   *per_uid;      /* uid -> inspections queued or running */
};

typedef struct {
  RcdInspector          *inspector;   /* a reference */
  GDBusMethodInvocation *invocation;
  int                    image_fd;
  int                    sub_fd;
  guint32                uid;
  gboolean               has_uid;     /* counted in per_uid */
} Inspection;

static const RcdOptionSpec inspect_options[] = {
  { "subchannel", "h" },
  { NULL },
};

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
  g_free (inspector->cancel_reason);
  g_free (inspector);
}

RcdInspector *
rcd_inspector_new (const RcdContext      *context,
                   RcdInspectorCallsFunc  calls_changed,
                   gpointer               user_data)
{
  RcdInspector *inspector = g_new0 (RcdInspector, 1);

  g_ref_count_init (&inspector->ref);
  inspector->context = context;
  inspector->calls_changed = calls_changed;
  inspector->calls_data = user_data;
  inspector->cancellable = g_cancellable_new ();
  inspector->per_uid = g_hash_table_new (g_direct_hash, g_direct_equal);
  return inspector;
}

void
rcd_inspector_cancel (RcdInspector *inspector, const char *reason)
{
  if (inspector->cancel_reason != NULL)
    return;
  inspector->cancel_reason = g_strdup (reason);
  g_cancellable_cancel (inspector->cancellable);
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

/* Replies (reply or error, exactly one of them) and forgets the
 * inspection. */
static void
inspection_finish (Inspection *in, GVariant *reply, const GError *error)
{
  RcdInspector *inspector = in->inspector;

  if (reply != NULL)
    g_dbus_method_invocation_return_value (in->invocation, g_variant_new ("(@a{sv})", reply));
  else
    rcd_error_return (in->invocation, error);

  if (in->has_uid)
    uid_count_add (inspector, in->uid, -1);
  inspector->under_way--;
  if (inspector->context != NULL)
    inspector->calls_changed (-1, inspector->calls_data);

  if (in->image_fd >= 0)
    close (in->image_fd);
  if (in->sub_fd >= 0)
    close (in->sub_fd);
  inspector_unref (inspector);
  g_free (in);
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
      g_autoptr(GError) cancelled =
        g_error_new (RC_ERROR, RC_ERROR_CANCELLED, "InspectImage was cancelled: %s",
                     inspector->cancel_reason != NULL ? inspector->cancel_reason
                                                      : error->message);
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

static void
on_caller_uid (guint32 uid, const GError *error, gpointer user_data)
{
  Inspection *in = user_data;
  RcdInspector *inspector = in->inspector;
  g_autoptr(GTask) task = NULL;
  guint max;

  if (error != NULL)
    {
      inspection_finish (in, NULL, error);
      return;
    }
  if (inspector->context == NULL || inspector->cancel_reason != NULL)
    {
      g_autoptr(GError) cancelled =
        g_error_new (RC_ERROR, RC_ERROR_CANCELLED, "InspectImage was cancelled: %s",
                     inspector->cancel_reason != NULL ? inspector->cancel_reason
                                                      : "the service stopped");
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
  task = g_task_new (NULL, inspector->cancellable, on_inspected, in);
  g_task_set_source_tag (task, on_caller_uid);
  /* Our own cancellation message, from the engine's error. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, in, NULL);
  rcd_workers_run (inspector->context->inspect_workers, task, inspect_in_thread);
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

  in = g_new0 (Inspection, 1);
  in->inspector = inspector_ref (inspector);
  in->invocation = invocation;
  in->image_fd = image_fd;
  in->sub_fd = sub_fd;
  inspector->under_way++;
  inspector->calls_changed (+1, inspector->calls_data);

  /* The per-user limit needs the caller's uid: ask the bus without
   * blocking. */
  rcd_callers_get_uid (inspector->context->callers,
                       g_dbus_method_invocation_get_sender (invocation),
                       on_caller_uid, in);
}
