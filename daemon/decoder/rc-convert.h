/* rc-convert.h: any input made into CD audio.
 *
 * Inside the decoder helper, every stream is read through one converter:
 * from the backend's float samples at the source's rate and channel count
 * to 44,100 Hz interleaved 16-bit stereo (docs/cd-format.md §12):
 *
 *  - another rate is resampled with libsoxr at its very high quality, in
 *    one thread, a chunk at a time;
 *  - mono is played identically on both channels; more than two channels
 *    are refused;
 *  - samples with more than 16 bits of precision (24/32-bit, float, lossy,
 *    anything resampled) are reduced with TPDF dither, or rounded to the
 *    nearest value when dither is off; 16-bit sources are left exactly as
 *    they are.  The dither of a sample depends only on the track and on
 *    the sample's position, so that every reading of the stream gives the
 *    same bytes however it is split;
 *  - values beyond full scale are clipped and counted.
 *
 * The length of the output is fixed before any audio is read:
 * round(frames * 44100 / rate).  The resampler is flushed at the end of
 * the input, and its output cut or padded with silence to that length.
 */
#pragma once

#include "rc-input.h"

G_BEGIN_DECLS

#define RC_CONVERT_RATE 44100

typedef struct _RcConvert RcConvert;

/* The frames at 44,100 Hz that `frames` frames at `rate` become. */
gint64      rc_convert_output_frames (gint64 frames, guint rate);

/* Takes ownership of input (freed on error too).  Fails with
 * RC_ERROR_UNSUPPORTED_AUDIO for audio that cannot be made CD audio
 * (more than two channels, a rate outside what is converted). */
RcConvert  *rc_convert_new        (RcInput     *input,
                                   gboolean     dither,
                                   GError     **error);
void        rc_convert_free       (RcConvert   *convert);
RcInput    *rc_convert_get_input  (RcConvert   *convert);
/* The 44,100 Hz stereo frames the stream delivers. */
gint64      rc_convert_get_frames (RcConvert   *convert);
/* What is done to the source, in words: "resampled from 48,000 Hz",
 * "dithered from 24 bits", "mono to stereo"; empty for CD audio. */
const char *const *rc_convert_get_conversions (RcConvert *convert);
/* Samples (per channel of the source) clipped so far. */
guint64     rc_convert_get_clipped (RcConvert  *convert);
/* The next n_frames frames (no more than are left) into buf as
 * interleaved s16 stereo.  On failure *got says how many frames arrived
 * before it (they are in buf). */
gboolean    rc_convert_read       (RcConvert   *convert,
                                   gint16      *buf,
                                   gsize        n_frames,
                                   gsize       *got,
                                   GError     **error);

/* TRUE when rc_convert_seek() lands exactly: the frames read after it are
 * byte for byte those read from the start (no resampling, and an input
 * that seeks to the sample: rc_input_sndfile_seeks_exactly()). */
gboolean    rc_convert_seeks_exactly (RcConvert *convert);
/* Positions the next read at output frame `frame` (<= the frames), when
 * rc_convert_seeks_exactly(); the frames passed over are not converted, so
 * their clipping is not counted. */
gboolean    rc_convert_seek       (RcConvert   *convert,
                                   gint64       frame,
                                   GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcConvert, rc_convert_free)

G_END_DECLS
