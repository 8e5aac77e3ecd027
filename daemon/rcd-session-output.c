/* rcd-session-output.c: what a session writes: CreateResultImage (a Job
 * on a worker) and GetSideFiles (the text files, on the main loop), with
 * the plan of each format from the engine (rc-format-plan.h). */
#include <string.h>
#include <unistd.h>

#include "rc-format-plan.h"
#include "rc-sidefiles.h"
#include "rcd-error.h"
#include "rcd-fd-check.h"
#include "rcd-job.h"
#include "rcd-job-scheduler.h"
#include "rcd-options.h"
#include "rcd-session-private.h"
#include "rcd-track.h"

static const RcdOptionSpec image_options[] = {
  { "format", "s" },
  { "levels", "b" },
  { "subchannel", "h" },
  { NULL },
};

static const RcdOptionSpec side_file_options[] = {
  { "subchannel_file", "s" },
  { NULL },
};

guint
rcd_session_count_unfinished_jobs (RcdSession *self)
{
  guint n = 0;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      if (!rcd_job_is_finished (g_ptr_array_index (self->jobs, i)))
        n++;
    }
  return n;
}

gboolean
rcd_session_check_job_room (RcdSession *self, GError **error)
{
  if (rcd_session_count_unfinished_jobs (self) < RCD_MAX_JOBS_PER_SESSION)
    return TRUE;
  g_set_error (error, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED,
               "the session has reached the limit of %u unfinished jobs per session; "
               "wait for one to complete", RCD_MAX_JOBS_PER_SESSION);
  return FALSE;
}

static void
on_job_finished (RcdJob *job, RcdSession *self)
{
  /* A long job counts as activity of a persistent session's owner. */
  rcd_owner_touch (self->owner);
  /* the tracks it read to the end now know their levels */
  for (guint i = 0; i < self->tracks->len; i++)
    rcd_track_publish_levels (g_ptr_array_index (self->tracks, i));
}

static void
on_job_expired (RcdJob *job, RcdSession *self)
{
  g_signal_handlers_disconnect_by_data (job, self);
  rcd_job_unexport (job);
  g_ptr_array_remove (self->jobs, job);
}

static gboolean
parse_image_format (GVariant *options, RcOutputFormat *format, GError **error)
{
  const char *name = NULL;

  g_variant_lookup (options, "format", "&s", &name);
  if (!rc_output_format_parse (name, format, error))
    {
      g_prefix_error (error, "option 'format': ");
      return FALSE;
    }
  return TRUE;
}

/* The descriptors of a job, taken from the message and checked: the data
 * file and, for a format with one, the subchannel file.  On failure every
 * descriptor taken is closed. */
static gboolean
take_outputs (RcDisc         *disc,
              RcOutputFormat  format,
              GUnixFDList    *fd_list,
              GVariant       *output,
              GVariant       *options,
              int            *fds,
              GError        **error)
{
  g_autoptr(GVariant) sub_handle = g_variant_lookup_value (options, "subchannel",
                                                           G_VARIANT_TYPE_HANDLE);
  gboolean has_sub = rc_output_format_n_outputs (format, rc_disc_peek_layout (disc)) > 1;

  if (has_sub && sub_handle == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "format \"%s\" writes a subchannel file too: pass its descriptor "
                   "as option 'subchannel' (h)", rc_output_format_to_string (format));
      return FALSE;
    }
  if (!has_sub && sub_handle != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "option 'subchannel' applies only to format \"clonecd\", not to \"%s\"",
                   rc_output_format_to_string (format));
      return FALSE;
    }

  fds[0] = rcd_fd_take_checked (fd_list, output, "output", rcd_fd_check_output, error);
  if (fds[0] < 0)
    return FALSE;
  fds[1] = -1;
  if (has_sub)
    {
      fds[1] = rcd_fd_take_checked (fd_list, sub_handle, "options.subchannel",
                                    rcd_fd_check_output, error);
      if (fds[1] < 0)
        {
          close (g_steal_fd (&fds[0]));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
rcd_session_handle_create_result_image (RcdDBusImageCreator   *ic,
                            GDBusMethodInvocation *invocation,
                            GUnixFDList           *fd_list,
                            GVariant              *output,
                            GVariant              *options)
{
  RcdSession *self = RCD_SESSION (ic);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(RcdJob) job = NULL;
  RcDisc *disc = rcd_session_get_disc (self, &error);
  RcImageOutput outputs[RC_FORMAT_PLAN_MAX_OUTPUTS];
  int fds[RC_FORMAT_PLAN_MAX_OUTPUTS] = { -1, -1 };
  RcOutputFormat format;
  RcFormatPlan plan;
  gboolean measure = FALSE;

  if (disc == NULL
      || !rcd_options_check (options, "CreateResultImage", image_options, &error)
      || !parse_image_format (options, &format, &error)
      || !rcd_session_check_job_room (self, &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  /* The descriptors first: a call with a bad one leaves the layout as it
   * was, unfrozen. */
  if (!take_outputs (disc, format, fd_list, output, options, fds, &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  layout = rc_disc_freeze (disc, &error);
  if (layout == NULL)
    {
      for (guint o = 0; o < RC_FORMAT_PLAN_MAX_OUTPUTS; o++)
        if (fds[o] >= 0)
          close (fds[o]);
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  rc_format_plan (format, layout, rc_disc_get_image_type (disc), &plan);
  for (guint o = 0; o < plan.n_outputs; o++)
    outputs[o] = (RcImageOutput) { fds[o], plan.forms[o] };

  /* measuring is asked for per job: a copy of the shared frozen layout */
  if (g_variant_lookup (options, "levels", "b", &measure) && measure)
    {
      RcLayout *measuring = rc_layout_copy_measuring (layout);

      rc_layout_unref (layout);
      layout = measuring;
    }
  job = rcd_job_new (self->context, self->owner, self->path, layout, plan.type,
                     plan.first_lba, plan.end_lba, outputs, plan.n_outputs, &error);
  if (job == NULL)
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  rcd_session_keep_job (self, job);
  g_info ("%s: job %s created (%s, sectors %d to %d%s)", self->path, rcd_job_get_path (job),
          rc_output_format_to_string (format), plan.first_lba, plan.end_lba - 1,
          measure ? ", measuring levels" : "");

  rcd_session_changed (self);
  rcd_dbus_image_creator_complete_create_result_image (ic, invocation, NULL,
                                                       rcd_job_get_path (job));
  rcd_job_scheduler_submit (self->context->job_scheduler, job, self->owner->uid);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
rcd_session_keep_job (RcdSession *self, RcdJob *job)
{
  g_signal_connect (job, "finished", G_CALLBACK (on_job_finished), self);
  g_signal_connect (job, "expired", G_CALLBACK (on_job_expired), self);
  g_ptr_array_add (self->jobs, g_object_ref (job));
}

/* --- GetSideFiles ---------------------------------------------------------- */

static GVariant *
side_files_variant (GHashTable *files)
{
  g_autoptr(GList) kinds = g_list_sort (g_hash_table_get_keys (files), (GCompareFunc) strcmp);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{say}"));
  for (GList *l = kinds; l != NULL; l = l->next)
    {
      const char *text = g_hash_table_lookup (files, l->data);

      /* The bytes of the file, without the C string's NUL. */
      g_variant_builder_add (&builder, "{s@ay}", (const char *) l->data,
                             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text,
                                                        strlen (text), 1));
    }
  return g_variant_builder_end (&builder);
}

gboolean
rcd_session_handle_get_side_files (RcdDBusImageCreator   *ic,
                       GDBusMethodInvocation *invocation,
                       const char            *format_name,
                       const char            *data_file,
                       GVariant              *options)
{
  RcdSession *self = RCD_SESSION (ic);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(GHashTable) files = NULL;
  g_autofree char *sub_name = NULL;
  RcDisc *disc = rcd_session_get_disc (self, &error);
  RcSideFormat format;
  const char *sub_option = NULL;

  if (disc == NULL
      || !rcd_options_check (options, "GetSideFiles", side_file_options, &error)
      || !rc_side_format_parse (format_name, &format, &error)
      || !rc_side_file_name_check (data_file, -1, "argument 'data_file'", &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (g_variant_lookup (options, "subchannel_file", "&s", &sub_option)
      && format != RC_SIDE_FORMAT_CLONECD)
    {
      rcd_error_return_new (invocation, RC_ERROR_INVALID_ARGUMENT,
                            "option 'subchannel_file' applies only to format "
                            "\"clonecd\", not to \"%s\"", format_name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (sub_option != NULL
      && !rc_side_file_name_check (sub_option, -1, "option 'subchannel_file'", &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  if (format == RC_SIDE_FORMAT_CLONECD)
    {
      sub_name = sub_option != NULL ? g_strdup (sub_option)
                                    : rc_side_file_default_sub_name (data_file);
      /* NAME.sub from a NAME without an extension is 4 bytes longer. */
      if (!rc_side_file_name_check (sub_name, -1, "the subchannel file's name "
                                    "(made from argument 'data_file')", &error))
        {
          rcd_error_return (invocation, error);
          return G_DBUS_METHOD_INVOCATION_HANDLED;
        }
    }

  /* The engine's checks of the names, on the layout as it stands, before
   * freezing: a call with a bad name leaves the session open, as
   * CreateResultImage with a bad descriptor does.  (Text of a few
   * kilobytes at most: made on the main loop.) */
  if (!rc_disc_is_frozen (disc) && rc_disc_get_n_tracks (disc) > 0)
    {
      g_autoptr(GHashTable) trial = rc_side_files_build (format, rc_disc_peek_layout (disc),
                                                         data_file, sub_name, &error);
      if (trial == NULL)
        {
          g_prefix_error (&error, "GetSideFiles(\"%s\", \"%s\"): ", format_name, data_file);
          rcd_error_return (invocation, error);
          return G_DBUS_METHOD_INVOCATION_HANDLED;
        }
    }

  layout = rc_disc_freeze (disc, &error);
  if (layout == NULL)
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  files = rc_side_files_build (format, layout, data_file, sub_name, &error);
  if (files == NULL)
    {
      g_prefix_error (&error, "GetSideFiles(\"%s\", \"%s\"): ", format_name, data_file);
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  rcd_dbus_image_creator_complete_get_side_files (ic, invocation, side_files_variant (files));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}


void
rcd_session_drop_jobs (RcdSession *self, const char *reason)
{
  g_autofree char *message = g_strdup_printf ("cancelled: %s", reason);

  for (guint i = 0; i < self->jobs->len; i++)
    {
      RcdJob *job = g_ptr_array_index (self->jobs, i);

      g_signal_handlers_disconnect_by_data (job, self);
      rcd_job_abort (job, message);
      rcd_job_unexport (job);
    }
  g_ptr_array_set_size (self->jobs, 0);
}
