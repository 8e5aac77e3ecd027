/* rcd-track.h: one track of a session, the org.rawcd.RawCD1.Track object
 * (IRawCDImageTrackInfo).  Its properties mirror the engine's layout; its
 * calls go through the session's call queue. */
#pragma once

#include "rcd-dbus-generated.h"
#include "rcd-session.h"

G_BEGIN_DECLS

#define RCD_TYPE_SESSION_TRACK (rcd_session_track_get_type ())
G_DECLARE_FINAL_TYPE (RcdSessionTrack, rcd_session_track, RCD, SESSION_TRACK, RcdTrackSkeleton)

/* Track index (1-based) of session, exported below the session's path. */
RcdSessionTrack *rcd_session_track_new      (RcdSession *session,
                                             guint       index,
                                             GError    **error);
const char      *rcd_session_track_get_path (RcdSessionTrack *track);
/* Sets every property from the disc model. */
void             rcd_session_track_refresh  (RcdSessionTrack *track,
                                             RcDisc          *disc);
void             rcd_session_track_unexport (RcdSessionTrack *track);

G_END_DECLS
