/* rcd-session.h: one image creator session, the
 * org.rawcd.RawCD1.ImageCreator object (IRawCDImageCreator).
 *
 * The session owns the engine's disc model (RcDisc), its Track objects and
 * its Job objects.  It ends on Close(), when its owner is gone (the
 * creating connection closed, or a persistent session stayed idle:
 * rcd-owner.h), or when the service stops: its waiting calls fail, its
 * jobs are cancelled, every object is unexported, and it emits "ended"
 * (GObject signal, no arguments) for whoever keeps the sessions.
 */
#pragma once

#include "rcd-context.h"
#include "rcd-dbus-generated.h"
#include "rcd-owner.h"

G_BEGIN_DECLS

#define RCD_TYPE_SESSION (rcd_session_get_type ())
G_DECLARE_FINAL_TYPE (RcdSession, rcd_session, RCD, SESSION, RcdDBusImageCreatorSkeleton)

/* Exported at path on the context's connection; context must outlive the
 * session. */
RcdSession   *rcd_session_new       (const RcdContext *context,
                                     const char       *path,
                                     RcdOwner         *owner,
                                     GError          **error);
void          rcd_session_end       (RcdSession *session,
                                     const char *reason);

const char   *rcd_session_get_path  (RcdSession *session);
RcdOwner     *rcd_session_get_owner (RcdSession *session);

G_END_DECLS
