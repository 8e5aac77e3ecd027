/* rcd-session-levels.c: MeasureLevels, a Job that reads every track as an
 * image would, measures its levels and writes nothing (issue 13). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "rc-error.h"
#include "rcd-error.h"
#include "rcd-job.h"
#include "rcd-job-scheduler.h"
#include "rcd-options.h"
#include "rcd-session-private.h"

static const RcdOptionSpec measure_options[] = {
  { NULL },
};

/* The program area's first sector: the special pregap's, or LBA 0. */
static gint
first_audio_lba (const RcLayout *layout)
{
  return layout->n_audio > 0 ? MIN (0, layout->audio[0].lba) : 0;
}

gboolean
rcd_session_handle_measure_levels (RcdDBusImageCreator   *ic,
                                   GDBusMethodInvocation *invocation,
                                   GVariant              *options)
{
  RcdSession *self = RCD_SESSION (ic);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(RcdJob) job = NULL;
  RcDisc *disc = rcd_session_get_disc (self, &error);
  RcImageOutput output;

  if (disc == NULL || !rcd_options_check (options, "MeasureLevels", measure_options, &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (rc_disc_get_n_tracks (disc) == 0)
    {
      rcd_error_return_new (invocation, RC_ERROR_NO_TRACKS,
                            "the disc has no tracks; add at least one before measuring levels");
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (!rcd_session_check_job_room (self, &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  /* A snapshot of the layout as it is: measuring freezes nothing. */
  layout = rc_layout_copy_measuring (rc_disc_peek_layout (disc));
  /* The job's writer needs somewhere to put the sectors it assembles:
   * the service's own /dev/null, no path of the client's. */
  output.fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  output.form = RC_SECTOR_FORM_AUDIO;
  if (output.fd < 0)
    {
      rcd_error_return_new (invocation, RC_ERROR_FAILED,
                            "cannot measure levels: opening /dev/null failed: %s",
                            g_strerror (errno));
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  job = rcd_job_new (self->context, self->owner, self->path, layout,
                     rc_disc_get_image_type (disc), first_audio_lba (layout),
                     layout->leadout_lba, &output, 1, &error);
  if (job == NULL)
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  rcd_dbus_job_set_operation (RCD_DBUS_JOB (job), "rawcd-measure-levels");
  rcd_session_keep_job (self, job);
  g_info ("%s: job %s created (measuring levels)", self->path, rcd_job_get_path (job));
  rcd_session_changed (self);
  rcd_dbus_image_creator_complete_measure_levels (ic, invocation, rcd_job_get_path (job));
  rcd_job_scheduler_submit (self->context->job_scheduler, job, self->owner->uid);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}
