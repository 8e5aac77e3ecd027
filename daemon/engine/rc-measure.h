/* rc-measure.h: which ranges of a stream a job measures (issue 13).
 *
 * A track's levels are those of its own range of its source: tracks cut
 * from one file (AddTrack start/length) share one reader, and each range
 * is measured apart, as if it were a file of its own.
 */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

/* A reader of source from frame 0 that measures every range the layout
 * takes of it (rc_audio_source_open_measuring_reader). */
RcAudioReader *rc_measure_open_reader (const RcLayout  *layout,
                                       RcAudioSource   *source,
                                       GError         **error);

/* The levels of the range the layout plays as track `index` (1-based;
 * 0: the special pregap): TRUE once measured. */
gboolean       rc_measure_get_levels  (const RcLayout  *layout,
                                       guint            index,
                                       RcLevels        *levels);

/* The source the layout plays as track `index` (0: the special pregap):
 * tracks cut from one file share the source of the first, whatever
 * descriptor each was added with.  NULL when the track plays none. */
RcAudioSource *rc_measure_track_source (const RcLayout *layout,
                                        guint           index);

/* What D-Bus and rawcdctl show: the sample peak in dBFS (full scale,
 * 32768, is 0), the true peak in dBTP and the integrated loudness in
 * LUFS.  Minus infinity (digital silence; loudness under the -70 LUFS
 * gate) is RC_LEVELS_SILENT, which every D-Bus binding and JSON can
 * carry. */
#define RC_LEVELS_SILENT (-G_MAXDOUBLE)
void           rc_measure_levels_db   (const RcLevels  *levels,
                                       double          *sample_peak_dbfs,
                                       double          *true_peak_dbtp,
                                       double          *loudness_lufs);

G_END_DECLS
