/* rawcdctl-job.h: following an image job of the service to its end: its
 * progress, how it ended, and the signals (Ctrl-C, SIGTERM, SIGHUP) that
 * cancel it.
 *
 * The watch catches the signals from rcd_ctl_job_watch_catch_signals() on
 * (when there are output files to clean up): the first one cancels the
 * job, a second one stops waiting for the service to confirm.  A signal
 * that comes before the job is started is remembered, and the job is
 * cancelled as soon as it exists.
 */
#pragma once

#include <gio/gio.h>

#include "rawcdctl-progress.h"

G_BEGIN_DECLS

typedef struct _RcdCtlJobWatch RcdCtlJobWatch;

/* progress (not owned, may be NULL) is updated as the job's properties
 * change. */
RcdCtlJobWatch *rcd_ctl_job_watch_new           (RcdCtlProgress *progress);
void            rcd_ctl_job_watch_free          (RcdCtlJobWatch *watch);

/* From now on SIGINT, SIGTERM and SIGHUP no longer end rawcdctl: they are
 * remembered and cancel the job. */
void            rcd_ctl_job_watch_catch_signals (RcdCtlJobWatch *watch);

/* The first signal caught (dispatching any that is pending), 0 when none
 * came. */
int             rcd_ctl_job_watch_get_signal    (RcdCtlJobWatch *watch);

/* Follows the job at job_path on connection. */
gboolean        rcd_ctl_job_watch_start         (RcdCtlJobWatch  *watch,
                                                 GDBusConnection *connection,
                                                 const char      *job_path,
                                                 GError         **error);

/* Runs the main loop until the job ended (or, after a signal, until the
 * service confirmed the cancellation or a second signal came).  TRUE when
 * the job succeeded.  Otherwise FALSE with G_IO_ERROR_CANCELLED when a
 * signal cancelled it, or G_IO_ERROR_FAILED with the service's message
 * when it failed (or was cancelled by someone else). */
gboolean        rcd_ctl_job_watch_wait          (RcdCtlJobWatch  *watch,
                                                 GError         **error);

/* How the job ended: "succeeded", "failed" or "cancelled"; NULL while it
 * runs or when none was started. */
const char     *rcd_ctl_job_watch_get_state     (RcdCtlJobWatch *watch);

/* What the service said when the job ended (Completed's message); NULL
 * while it runs or when none was started. */
const char     *rcd_ctl_job_watch_get_message   (RcdCtlJobWatch *watch);

/* The job's last properties; FALSE (and info untouched) when no job was
 * started. */
gboolean        rcd_ctl_job_watch_get_info      (RcdCtlJobWatch     *watch,
                                                 RcdCtlProgressInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlJobWatch, rcd_ctl_job_watch_free)

G_END_DECLS
