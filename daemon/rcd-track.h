/* rcd-track.h: one track of a session, the org.rawcd.RawCD1.Track object
 * (IRawCDImageTrackInfo).  Its properties mirror the engine's layout; its
 * calls go through the session's call queue.
 *
 * A track knows its session only through what it is given: the disc
 * model (a function, since the session ends and drops it) and the
 * "changed" signal, emitted after a call of the track changed the model,
 * on which the session refreshes every property.
 */
#pragma once

#include "rc-disc.h"
#include "rcd-call-queue.h"
#include "rcd-context.h"
#include "rcd-dbus-generated.h"
#include "rcd-owner.h"

G_BEGIN_DECLS

#define RCD_TYPE_TRACK (rcd_track_get_type ())
G_DECLARE_FINAL_TYPE (RcdTrack, rcd_track, RCD, TRACK, RcdDBusTrackSkeleton)

/* The session's disc model, or NULL with RC_ERROR_CANCELLED once it ended. */
typedef RcDisc *(*RcdTrackDiscFunc) (GObject *session, GError **error);

/* Track index (1-based) of the session at session_path, exported below
 * it; holds a reference to session. */
RcdTrack   *rcd_track_new      (const RcdContext *context,
                                GObject          *session,
                                const char       *session_path,
                                RcdOwner         *owner,
                                RcdCallQueue     *queue,
                                RcdTrackDiscFunc  get_disc,
                                guint             index,
                                GError          **error);
const char *rcd_track_get_path (RcdTrack *track);
/* Sets every property from the disc model. */
void        rcd_track_refresh  (RcdTrack *track,
                                RcDisc   *disc);
void        rcd_track_unexport (RcdTrack *track);
/* SourceFormat and Conversions: what the track's audio is, and what the
 * decoder helper does to it (fixed when the track is added). */
void        rcd_track_describe_source (RcdTrack      *track,
                                       RcAudioSource *source);
/* LevelsMeasured and ClippedSamples, once an image has read the track's
 * audio to its end (called when a job ends). */
void        rcd_track_publish_levels (RcdTrack *track);

G_END_DECLS
