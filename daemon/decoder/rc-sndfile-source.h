/* rc-sndfile-source.h: audio decoded by libsndfile in this process.
 *
 * Only the decoder helper (rawcd-decoder) and the tests link this: rawcdd
 * never runs a decoder itself (rc-decoder-source.h starts a helper).
 */
#pragma once

#include "rc-audio-source.h"

G_BEGIN_DECLS

/* Takes ownership of fd (closed on error too).  Fails with
 * RC_ERROR_UNSUPPORTED_AUDIO and a message naming what was found (format,
 * rate, channels) for audio that is not 44.1 kHz mono/stereo, unreadable,
 * empty, or of unknown length.  Opening reads and checks the header (this
 * blocks: call it from a worker thread); a pipe's header read is stopped
 * by `cancellable` (RC_ERROR_CANCELLED). */
RcAudioSource *rc_audio_source_new_from_fd (int            fd,
                                            RcAudioFormat  format,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* The same, for a file whose length was found before: when its header
 * only estimates the length (MPEG audio without a Xing or LAME tag),
 * known_frames (> 0) is taken instead of decoding it all again to count
 * them; the reader fails if the audio then ends early. */
RcAudioSource *rc_sndfile_source_new_full  (int            fd,
                                            RcAudioFormat  format,
                                            gint64         known_frames,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* The file formats the linked libsndfile reads, e.g. "WAV", "FLAC". */
GStrv          rc_audio_supported_formats (void);

/* For a source made by rc_audio_source_new_from_fd() whose samples are
 * 16-bit PCM stored as one run of bytes (WAV, AIFF, raw): where they start
 * and their byte order, so that another process can read them directly.
 * FALSE for everything else (compressed, other sample sizes, pipes). */
gboolean       rc_sndfile_source_get_pcm_layout (RcAudioSource *source,
                                                 gint64        *data_offset,
                                                 guint         *channels,
                                                 gboolean      *big_endian);

G_END_DECLS
