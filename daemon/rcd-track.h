/* rcd-track.h: one track of a session, the org.rawcd.RawCD1.Track object
 * (IRawCDImageTrackInfo).  Its properties mirror the engine's layout; its
 * calls go through the session's call queue. */
#pragma once

#include "rcd-dbus-generated.h"
#include "rcd-session.h"

G_BEGIN_DECLS

#define RCD_TYPE_TRACK (rcd_track_get_type ())
G_DECLARE_FINAL_TYPE (RcdTrack, rcd_track, RCD, TRACK, RcdDBusTrackSkeleton)

/* Track index (1-based) of session, exported below the session's path. */
RcdTrack *rcd_track_new      (RcdSession *session,
                                             guint       index,
                                             GError    **error);
const char      *rcd_track_get_path (RcdTrack *track);
/* Sets every property from the disc model. */
void             rcd_track_refresh  (RcdTrack *track,
                                             RcDisc          *disc);
void             rcd_track_unexport (RcdTrack *track);

G_END_DECLS
