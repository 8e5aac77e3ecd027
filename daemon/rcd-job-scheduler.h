/* rcd-job-scheduler.h: fair shares of the image writers.
 *
 * The job workers run --max-jobs images at once; more wait.  Without a
 * share per user, one uid whose jobs write to outputs nobody reads could
 * hold every writer while another uid's job stays queued.  The scheduler
 * lets each uid run at most max_per_uid jobs at once (below --max-jobs):
 * its further jobs wait here, in order, and go to the workers when one of
 * its own finishes, so the other uids always find a writer.
 */
#pragma once

#include "rcd-job.h"
#include "rcd-workers.h"

G_BEGIN_DECLS

typedef struct _RcdJobScheduler RcdJobScheduler;

/* workers must outlive the scheduler. */
RcdJobScheduler *rcd_job_scheduler_new    (RcdWorkers *workers, guint max_per_uid);
void             rcd_job_scheduler_free   (RcdJobScheduler *scheduler);

/* Starts job (rcd_job_start()) now, or once fewer than max_per_uid jobs of
 * uid run.  A job that ends before it starts (aborted) is forgotten. */
void             rcd_job_scheduler_submit (RcdJobScheduler *scheduler,
                                           RcdJob          *job,
                                           guint32          uid);

/* Jobs of uid given to the workers and not yet finished. */
guint            rcd_job_scheduler_get_running (RcdJobScheduler *scheduler, guint32 uid);

G_END_DECLS
