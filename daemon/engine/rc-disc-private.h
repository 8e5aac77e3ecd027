/* rc-disc-private.h: the disc model's state, shared by rc-disc.c (the
 * disc and its layout), rc-disc-tracks.c (the tracks' setters) and
 * rc-disc-gaps.c (their pregaps and postgaps). */
#pragma once

#include "rc-disc.h"

G_BEGIN_DECLS

typedef struct {
  RcAudioSource *source;
  RcStreamId     id;            /* the file it comes from, if known */
  gboolean       cut;           /* a range given by the client */
  gint64         first;         /* the first frame of the source it plays */
  gint64         frames;        /* frames it plays from there */
  gint64         sectors;       /* those frames padded to whole sectors */
  RcCopySetting  copy;
  gboolean       preemphasis;
  char           isrc[13];
  guint          n_indexes;
  gint           index_offsets[RC_MAX_INDEXES];
  gint           pregap;        /* sectors of index 0, -1: as DisableGaplessAudio says */
  RcPregapAudio  pregap_audio;  /* RC_PREGAP_AUDIO_DEFAULT: as DisableGaplessAudio says */
  gint           postgap;       /* sectors of silence after the audio */
  /* -1, else index 0 begins at the sector holding this frame of the
   * previous track's audio, and the layout derives the pregap from it */
  gint64         pregap_start;
} DiscTrack;

/* A track's pregap and where its audio comes from, the settings or the
 * defaults DisableGaplessAudio gives (IMAPI: 150 sectors, the end of the
 * previous track's audio when gapless, silence with gaps). */
gint          rc_disc_effective_pregap       (const RcDisc *disc, const DiscTrack *track);
RcPregapAudio rc_disc_effective_pregap_audio (const RcDisc *disc, const DiscTrack *track);

struct _RcDisc {
  gboolean       frozen;
  RcImageType    image_type;
  gint           leadout_limit;
  gboolean       disable_gapless;
  gboolean       pad_streams;   /* PadStreamsToSectors */
  char           mcn[14];
  gint           starting_track;
  RcAudioSource *special_pregap;
  RcStreamId     special_pregap_id;
  gboolean       special_pregap_cut;
  gint64         special_pregap_first;
  gint64         special_pregap_frames;
  gint64         special_pregap_sectors;
  GPtrArray     *tracks;        /* of DiscTrack */
  RcCdText      *cdtext;
  RcSubcodeSource *rw;
  RcLayout      *layout;        /* cache of compute_layout(); NULL when stale */
};

/* Frames padded to whole sectors. */
gint64      rc_disc_frames_to_sectors (gint64 frames);
/* The cached layout is stale. */
void        rc_disc_invalidate        (RcDisc *disc);
/* The rules that depend on where things ended up (rc-disc.c): a change
 * is applied tentatively, checked with this, and undone if it fails. */
gboolean    rc_disc_validate_layout   (RcDisc *disc, GError **error);
/* RC_ERROR_READ_ONLY once frozen. */
gboolean    rc_disc_check_writable    (const RcDisc *disc, GError **error);
/* The track of a 1-based index, or RC_ERROR_INVALID_ARGUMENT. */
DiscTrack  *rc_disc_get_disc_track    (RcDisc *disc, guint index, GError **error);

G_END_DECLS
