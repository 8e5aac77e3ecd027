/* rc-levels.h: the levels of the audio that goes on the disc, measured in
 * the decoder helper (issue 13).
 *
 * rawcdd names the segments to measure (MEASURE, rc-decoder-proto.h): the
 * ranges of the stream that tracks take, bounded by ascending marks.  The
 * meter is fed every converted frame in order from the stream's start
 * (44.1 kHz s16 stereo, what the image holds) and reports each segment
 * as it ends: the largest |sample|, the true peak (4x oversampled with
 * libsoxr, ITU-R BS.1770-4 annex 2) and the integrated loudness
 * (libebur128, BS.1770 gating), each segment measured alone, as if it were a file of its own.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcLevelMeter RcLevelMeter;

/* marks: 2 to RC_DECODER_MAX_MARKS frame positions, strictly ascending
 * (the parser checked them). */
RcLevelMeter *rc_level_meter_new     (const guint64 *marks,
                                      guint          n_marks);
void          rc_level_meter_free    (RcLevelMeter  *meter);
/* The stream starts again from frame 0 (a reader went back). */
void          rc_level_meter_restart (RcLevelMeter  *meter);
/* The next n_frames frames of the stream, interleaved s16 stereo: a
 * LEVELS message is appended to out for each segment that ends in them.
 * FALSE when libebur128 fails (out of memory). */
gboolean      rc_level_meter_feed    (RcLevelMeter  *meter,
                                      const gint16  *pcm,
                                      gsize          n_frames,
                                      GByteArray    *out,
                                      GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcLevelMeter, rc_level_meter_free)

G_END_DECLS
