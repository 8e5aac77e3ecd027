/* rcd-session-private.h: the session's state, shared by the files that
 * implement it: rcd-session.c (life, adding audio, Close),
 * rcd-session-properties.c (properties) and rcd-session-output.c
 * (CreateResultImage, GetSideFiles and the jobs). */
#pragma once

#include "rc-disc.h"
#include "rcd-job.h"
#include "rcd-call-queue.h"
#include "rcd-session.h"

G_BEGIN_DECLS

struct _RcdSession {
  RcdDBusImageCreatorSkeleton parent;

  const RcdContext *context;   /* outlives every session */
  char         *path;
  RcdOwner     *owner;
  RcDisc       *disc;          /* NULL once ended */
  RcdCallQueue *queue;
  GPtrArray    *tracks;        /* RcdTrack, by index - 1 */
  GPtrArray    *jobs;          /* RcdJob */
  GCancellable *cancellable;   /* cancelled when the session ends */
  gboolean      ended;
  char         *end_reason;
};

/* The disc model; NULL with RC_ERROR_CANCELLED once the session ended. */
RcDisc   *rcd_session_get_disc (RcdSession *session, GError **error);

/* rcd-session-properties.c: refreshes every property of the session and
 * its tracks from the disc model, after any change; validates and applies
 * a property write (an RcdGuardSetFunc). */
void      rcd_session_changed  (RcdSession *session);
gboolean  rcd_session_set_property (GDBusInterfaceSkeleton  *skeleton,
                                    const char              *name,
                                    GVariant                *value,
                                    GError                 **error);

/* rcd-session-output.c */
gboolean  rcd_session_handle_create_result_image (RcdDBusImageCreator   *ic,
                                                  GDBusMethodInvocation *invocation,
                                                  GUnixFDList           *fd_list,
                                                  GVariant              *output,
                                                  GVariant              *options);
gboolean  rcd_session_handle_get_side_files      (RcdDBusImageCreator   *ic,
                                                  GDBusMethodInvocation *invocation,
                                                  const char            *format_name,
                                                  const char            *data_file,
                                                  GVariant              *options);
/* The session keeps a new job until it expires, and its tracks learn
 * what the job measured when it finishes. */
void      rcd_session_keep_job (RcdSession *session, RcdJob *job);

/* rcd-session-levels.c: MeasureLevels */
gboolean  rcd_session_handle_measure_levels      (RcdDBusImageCreator   *ic,
                                                  GDBusMethodInvocation *invocation,
                                                  GVariant              *options);
/* Jobs not yet completed. */
guint     rcd_session_count_unfinished_jobs (RcdSession *session);
/* FALSE with LimitExceeded when the session may start no further job. */
gboolean  rcd_session_check_job_room (RcdSession *session, GError **error);
/* Cancels and unexports every job (the session ends). */
void      rcd_session_drop_jobs (RcdSession *session, const char *reason);

G_END_DECLS
