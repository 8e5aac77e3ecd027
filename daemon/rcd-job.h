/* rcd-job.h: one image being written, the org.rawcd.RawCD1.Job object.
 *
 * rc_image_write_range() writes a range of sectors of the frozen layout
 * (the full image, or a side format's data range) to one or two outputs
 * (the data file and a subchannel file); it runs on the daemon's job
 * workers (at most --max-jobs at
 * once; the others wait with State "queued").  The worker's progress is
 * picked up by the main loop every RCD_JOB_UPDATE_MS and published as
 * properties; Completed is emitted exactly once.
 *
 * Signals (GObject, for the session): "finished" right after Completed;
 * "expired" RCD_JOB_LINGER_SECONDS later, when the object should go.
 */
#pragma once

#include "rc-image-writer.h"
#include "rc-layout.h"
#include "rcd-dbus-generated.h"
#include "rc-format-plan.h"
#include "rcd-context.h"
#include "rcd-owner.h"

G_BEGIN_DECLS

#define RCD_TYPE_JOB (rcd_job_get_type ())
G_DECLARE_FINAL_TYPE (RcdJob, rcd_job, RCD, JOB, RcdDBusJobSkeleton)

/* Outputs a job writes at most (the data file and its subchannel file). */
#define RCD_JOB_MAX_OUTPUTS 2

/* Writes sectors first_lba .. end_lba - 1 of layout to the outputs (1 to
 * RCD_JOB_MAX_OUTPUTS; TotalSectors is end_lba - first_lba).  Takes
 * ownership of the outputs' descriptors, also on failure; exported on
 * context's connection at a new path of its own (rcd_job_get_path()).
 * session_path is the ImageCreator it writes (its Objects property). */
RcdJob *rcd_job_new (const RcdContext    *context,
                     RcdOwner            *owner,
                     const char          *session_path,
                     RcLayout            *layout,
                     RcImageType          type,
                     gint                 first_lba,
                     gint                 end_lba,
                     const RcImageOutput *outputs,
                     guint                n_outputs,
                     GError             **error);
const char  *rcd_job_get_path    (RcdJob *job);
void         rcd_job_start       (RcdJob *job, RcdWorkers *workers);
/* Cancels an unfinished job and completes it at once with reason as the
 * message (the worker stops within a batch). */
void         rcd_job_abort       (RcdJob *job, const char *reason);
gboolean     rcd_job_is_finished (RcdJob *job);
void         rcd_job_unexport    (RcdJob *job);

G_END_DECLS
