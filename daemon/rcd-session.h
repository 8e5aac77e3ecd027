/* rcd-session.h: one image creator session, the
 * org.rawcd.RawCD1.ImageCreator object (IRawCDImageCreator).
 *
 * The session owns the engine's disc model (RcDisc), its Track objects and
 * its Job objects.  It ends on Close(), when its owner's connection closes
 * (unless persistent), after the idle timeout (persistent), or when the
 * service stops: its waiting calls fail, its jobs are cancelled and every
 * object is unexported.
 */
#pragma once

#include "rc-disc.h"
#include "rcd-daemon.h"
#include "rcd-dbus-generated.h"
#include "rcd-guard.h"

G_BEGIN_DECLS

#define RCD_TYPE_SESSION (rcd_session_get_type ())
G_DECLARE_FINAL_TYPE (RcdSession, rcd_session, RCD, SESSION, RcdDBusImageCreatorSkeleton)

/* Exported at path on the daemon's connection. */
RcdSession   *rcd_session_new       (RcdDaemon  *daemon,
                                     const char *path,
                                     RcdOwner   *owner,
                                     GError    **error);
void          rcd_session_end       (RcdSession *session,
                                     const char *reason);

const char   *rcd_session_get_path  (RcdSession *session);
RcdOwner     *rcd_session_get_owner (RcdSession *session);

/* For the session's Track objects. */
RcdDaemon    *rcd_session_get_daemon (RcdSession *session);
RcdCallQueue *rcd_session_get_queue  (RcdSession *session);
/* The disc model; NULL with RC_ERROR_CANCELLED once the session ended. */
RcDisc       *rcd_session_get_disc   (RcdSession *session, GError **error);
/* Refreshes every property of the session and its tracks from the disc
 * model, after any change. */
void          rcd_session_changed    (RcdSession *session);

G_END_DECLS
