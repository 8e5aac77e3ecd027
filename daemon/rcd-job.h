/* rcd-job.h: one image being written, the org.rawcd.RawCD1.Job object.
 *
 * rc_image_write() runs on the daemon's job workers (at most --max-jobs at
 * once; the others wait with State "queued").  The worker's progress is
 * picked up by the main loop every RCD_JOB_UPDATE_MS and published as
 * properties; Completed is emitted exactly once.
 *
 * Signals (GObject, for the session): "finished" right after Completed;
 * "expired" RCD_JOB_LINGER_SECONDS later, when the object should go.
 */
#pragma once

#include "rc-layout.h"
#include "rcd-dbus-generated.h"
#include "rcd-owner.h"
#include "rcd-workers.h"

G_BEGIN_DECLS

#define RCD_TYPE_IMAGE_JOB (rcd_image_job_get_type ())
G_DECLARE_FINAL_TYPE (RcdImageJob, rcd_image_job, RCD, IMAGE_JOB, RcdJobSkeleton)

/* Takes ownership of fd; exported at path. */
RcdImageJob *rcd_image_job_new (GDBusConnection *connection,
                                const char      *path,
                                RcdOwner        *owner,
                                RcdCallers      *callers,
                                RcLayout        *layout,
                                RcImageType      type,
                                int              fd,
                                GError         **error);
void         rcd_image_job_start       (RcdImageJob *job, RcdWorkers *workers);
/* Cancels an unfinished job and completes it at once with reason as the
 * message (the worker stops within a batch). */
void         rcd_image_job_abort       (RcdImageJob *job, const char *reason);
gboolean     rcd_image_job_is_finished (RcdImageJob *job);
const char  *rcd_image_job_get_path    (RcdImageJob *job);
void         rcd_image_job_unexport    (RcdImageJob *job);

G_END_DECLS
