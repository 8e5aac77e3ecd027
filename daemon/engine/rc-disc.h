/* rc-disc.h: the disc model with IMAPI IRawCDImageCreator's rules.
 *
 * Every setter validates its argument and fails with the RcError that
 * IMAPI's E_IMAPI_RAW_IMAGE_* error would be, and a message that names the
 * value.  Tracks are numbered by their 1-based index in the session.  Once
 * rc_disc_freeze() has been called every setter fails with
 * RC_ERROR_READ_ONLY.  Not thread-safe: one owner (the session) calls it;
 * workers use the frozen RcLayout.
 */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

typedef struct _RcDisc RcDisc;

RcDisc         *rc_disc_new  (void);
void            rc_disc_free (RcDisc *disc);

gboolean        rc_disc_is_frozen (const RcDisc *disc);

RcImageType     rc_disc_get_image_type                (const RcDisc *disc);
gboolean        rc_disc_set_image_type                (RcDisc *disc, guint type, GError **error);
gint            rc_disc_get_start_of_leadout_limit    (const RcDisc *disc);
gboolean        rc_disc_set_start_of_leadout_limit    (RcDisc *disc, gint limit, GError **error);
gboolean        rc_disc_get_disable_gapless_audio     (const RcDisc *disc);
gboolean        rc_disc_set_disable_gapless_audio     (RcDisc *disc, gboolean disable, GError **error);
/* FALSE (default): in gapless mode streams are joined sample-exactly
 * (cd-format.md §12); TRUE: each is padded to whole sectors, as IMAPI does. */
gboolean        rc_disc_get_pad_streams_to_sectors    (const RcDisc *disc);
gboolean        rc_disc_set_pad_streams_to_sectors    (RcDisc *disc, gboolean pad, GError **error);
/* 13 digits or "" */
const char     *rc_disc_get_media_catalog_number      (const RcDisc *disc);
gboolean        rc_disc_set_media_catalog_number      (RcDisc *disc, const char *mcn, GError **error);
gint            rc_disc_get_starting_track_number     (const RcDisc *disc);
gboolean        rc_disc_set_starting_track_number     (RcDisc *disc, gint number, GError **error);

/* Where a track's pregap (index 0) audio comes from (Track PregapAudio). */
typedef enum {
  RC_PREGAP_AUDIO_DEFAULT,   /* as DisableGaplessAudio says: PREVIOUS, or SILENCE with gaps */
  RC_PREGAP_AUDIO_SILENCE,   /* "silence": silence inserted before index 1 */
  RC_PREGAP_AUDIO_PREVIOUS,  /* "previous": the end of what comes before (the previous
                              * track's audio), nothing inserted */
  RC_PREGAP_AUDIO_OWN,       /* "own": the first sectors of the track's own stream */
  RC_PREGAP_AUDIO_SPECIAL,   /* "special": track 1's, with the special pregap's audio
                              * (read only) */
} RcPregapAudio;

/* Which file a stream comes from (its st_dev and st_ino), so that ranges
 * of one file can be checked against each other; dev = ino = 0: unknown. */
typedef struct {
  guint64 dev;
  guint64 ino;
} RcStreamId;

/* The part of a stream a track plays, in 44,100 Hz frames of the source
 * as its reader delivers them (after any conversion): `start` frames in,
 * `length` frames long (-1: to the stream's end). */
typedef struct {
  RcStreamId id;
  gint64     start;
  gint64     length;
  gboolean   cut;     /* start or length was given */
} RcStreamRange;

/* Hidden track one audio before track 1's index 1; before any track. */
gboolean        rc_disc_set_special_pregap (RcDisc *disc, RcAudioSource *source, GError **error);
/* Returns the new track's 1-based index, 0 on error. */
guint           rc_disc_add_track          (RcDisc *disc, RcAudioSource *source, GError **error);
/* The same for a range of the stream (NULL: all of it).  A range outside
 * the stream, or one that overlaps another range of the same file, is
 * RC_ERROR_INVALID_ARGUMENT with the frame numbers and their times.  A
 * range of a file already used by another track plays from that track's
 * source (one decoder reads consecutive ranges straight through). */
gboolean        rc_disc_set_special_pregap_range (RcDisc *disc, RcAudioSource *source,
                                                  const RcStreamRange *range, GError **error);
guint           rc_disc_add_track_range          (RcDisc *disc, RcAudioSource *source,
                                                  const RcStreamRange *range, GError **error);
/* Whether a track or the special pregap plays from the file `id`; if so,
 * *user (when not NULL) names it ("track 3"; caller frees). */
gboolean        rc_disc_stream_in_use            (RcDisc *disc, const RcStreamId *id, char **user);

guint           rc_disc_get_n_tracks               (const RcDisc *disc);
gint            rc_disc_get_start_of_leadout       (RcDisc *disc);
gint            rc_disc_get_last_used_user_sector  (RcDisc *disc);
GBytes         *rc_disc_get_expected_toc           (RcDisc *disc);

/* Per track, index 1..n_tracks. */
const RcLayoutTrack *rc_disc_get_track (RcDisc *disc, guint index);
gint            rc_disc_track_get_sector_count  (RcDisc *disc, guint index);
/* CC-OOO-YY-NNNNN or "" (caller frees) */
char           *rc_disc_track_dup_isrc          (RcDisc *disc, guint index);
gboolean        rc_disc_track_set_isrc          (RcDisc *disc, guint index, const char *isrc, GError **error);
gboolean        rc_disc_track_set_copy_setting  (RcDisc *disc, guint index, guint setting, GError **error);
gboolean        rc_disc_track_set_preemphasis   (RcDisc *disc, guint index, gboolean preemphasis, GError **error);
gboolean        rc_disc_track_add_index         (RcDisc *disc, guint index, gint offset,
                                                 gboolean *already_existed, GError **error);
gboolean        rc_disc_track_clear_index       (RcDisc *disc, guint index, gint offset, GError **error);
/* Sectors of a track's index 0 (0, or 1 upward), for tracks after the
 * first; -1 returns to the default (150, as DisableGaplessAudio says).
 * A pregap that leaves a track too short, an index too close to its end,
 * or the disc too long fails with the rule's error, naming the track. */
gboolean        rc_disc_track_set_pregap        (RcDisc *disc, guint index, gint sectors, GError **error);
gboolean        rc_disc_track_set_pregap_audio  (RcDisc *disc, guint index, RcPregapAudio audio,
                                                 GError **error);
/* As set or as the default gives it. */
RcPregapAudio   rc_disc_track_get_pregap_audio  (RcDisc *disc, guint index);
/* Track PregapStart: index 0 of track `index` (not the first) begins at
 * the sector that holds frame `frame` of the previous track's audio
 * (44,100 Hz frames from the first one it plays, as AddTrack's start and
 * length count), wherever the layout puts that track: the pregap follows
 * from it, its audio "previous".  -1 returns to Pregap's sectors.  A frame
 * past the previous track's audio is InvalidArgument; a pregap the layout
 * cannot take fails as for Pregap.  Setting Pregap or PregapAudio returns
 * it to -1. */
gboolean        rc_disc_track_set_pregap_start  (RcDisc *disc, guint index, gint64 frame,
                                                 GError **error);
gint64          rc_disc_track_get_pregap_start  (RcDisc *disc, guint index);
/* Sectors of silence after the track's audio, inside the track. */
gboolean        rc_disc_track_set_postgap       (RcDisc *disc, guint index, gint sectors, GError **error);
gint            rc_disc_track_get_postgap       (RcDisc *disc, guint index);
/* "silence", "previous", "own", "special" (RC_PREGAP_AUDIO_DEFAULT: NULL);
 * from_string takes the first three. */
const char     *rc_pregap_audio_to_string       (RcPregapAudio audio);
gboolean        rc_pregap_audio_from_string     (const char *name, RcPregapAudio *audio, GError **error);

/* CD-TEXT in block (language) 0..7; track_index 0 is the disc, else a
 * track's 1-based index.  NULL or "" clears a field. */
gboolean        rc_disc_set_cdtext          (RcDisc *disc, guint block, guint track_index,
                                             RcCdTextField field, const char *utf8, GError **error);
const char     *rc_disc_get_cdtext          (RcDisc *disc, guint block, guint track_index,
                                             RcCdTextField field);
/* The disc's genre code in a block (rc_cdtext_get_genre_code()). */
guint           rc_disc_get_cdtext_genre_code (RcDisc *disc, guint block);
gboolean        rc_disc_set_cdtext_language (RcDisc *disc, guint block, guint8 code, GError **error);
guint8          rc_disc_get_cdtext_language (RcDisc *disc, guint block);
/* rc_cdtext_replace(), rc_cdtext_replace_languages() and
 * rc_cdtext_languages_in_use() for the disc (track_index 0) or a track:
 * whole entries at once, all or nothing. */
gboolean        rc_disc_replace_cdtext      (RcDisc *disc, guint track_index, GPtrArray *blocks,
                                             GError **error);
gboolean        rc_disc_replace_cdtext_languages (RcDisc *disc, const guint8 *codes, gsize n_codes,
                                                  GError **error);
guint           rc_disc_get_cdtext_languages (RcDisc *disc, guint8 codes[RC_CDTEXT_N_BLOCKS]);

/* R-W subcode for the image (not with PQ_ONLY); its length is checked
 * against the image when it is frozen. */
gboolean        rc_disc_set_rw_generator    (RcDisc *disc, RcSubcodeSource *source, GError **error);

/* The layout as it stands (recomputed after changes; valid until the next
 * change).  Fails with RC_ERROR_NO_TRACKS for no tracks only in freeze. */
const RcLayout *rc_disc_peek_layout (RcDisc *disc);

/* Freezes the model (first CreateResultImage) and returns the layout with
 * its CD-TEXT packs and R-W generator.  Fails, and leaves the disc as it
 * was, with RC_ERROR_NO_TRACKS, or RC_ERROR_INVALID_ARGUMENT for CD-TEXT
 * that does not encode or an R-W generator of the wrong length. */
RcLayout       *rc_disc_freeze      (RcDisc *disc, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcDisc, rc_disc_free)

G_END_DECLS
