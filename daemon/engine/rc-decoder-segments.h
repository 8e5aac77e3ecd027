/* rc-decoder-segments.h: one stream decoded in pieces by several helpers.
 *
 * A stream whose helper said in its PROBE that it seeks exactly
 * (RC_DECODER_PROBE_SEGMENTS: FLAC, uncompressed PCM in WAV or AIFF ...,
 * never resampled audio) can be cut into segments of
 * RC_DECODER_SEGMENT_FRAMES frames that decode apart to the very bytes the
 * whole stream gives.  The reader keeps each of its helpers busy with one
 * segment: segment k goes to helper k mod n, and the next free segment is
 * handed to a helper as soon as its last one has been read out.  The
 * frames are handed out in order: those of the segment being read come
 * straight from its helper, those of later segments wait in a buffer of
 * their own, at most one segment each.  Memory is thus bounded by the
 * number of helpers, whatever the length of the stream.
 *
 * Extra helpers come from one budget for the whole process (about one per
 * processor but one: rc_decoder_segments_reserve()), are taken only when
 * free and never waited for: a reader that finds none decodes with one
 * helper, as it always did, so no job waits for another's.
 *
 * Each helper sees only its own segments: what must be measured over the
 * whole stream in one helper (loudness, say) cannot be, while a stream is
 * read in segments; such a measurement must combine the helpers' parts,
 * or turn segments off (RC_DECODER_PROBE_SEGMENTS) for the stream.
 *
 * RAWCD_PARALLEL_DECODING in the environment (tests and benchmarks only;
 * nothing a client sets) overrides the helpers per stream: 1 turns
 * segments off, N (up to RC_DECODER_SEGMENT_MAX_HELPERS) asks for N
 * helpers per stream whatever the number of processors.
 */
#pragma once

#include "rc-decoder-process.h"

G_BEGIN_DECLS

/* 2^19 frames: 2 MiB of CD audio, 11.9 s; a few milliseconds of FLAC
 * decoding, so that a seek's cost is small beside it. */
#define RC_DECODER_SEGMENT_FRAMES       (G_GINT64_CONSTANT (1) << 19)
#define RC_DECODER_SEGMENT_MAX_HELPERS  4

typedef struct _RcDecoderSegments RcDecoderSegments;

/* How many helpers a reader of a stream of `frames` frames may use (at
 * least 1, which means no segments), the extra ones taken from the
 * process-wide budget; give the extra ones back with
 * rc_decoder_segments_release().  `why` is set to the reason when only one
 * may be used (for a debug log). */
guint              rc_decoder_segments_reserve (gint64        frames,
                                                const char  **why);
void               rc_decoder_segments_release (guint         extra);

/* Takes the n (>= 2) helpers, each started in READ mode and past its
 * PROBE, and asks each for its first segment.  `what` names the audio in
 * messages. */
RcDecoderSegments *rc_decoder_segments_new     (const char        *what,
                                                gint64             frames,
                                                RcDecoderProcess **processes,
                                                guint              n,
                                                GError           **error);

/* The next n_frames frames (never past the end) into buf, as the
 * RcAudioBackend read does: on failure *got says how many arrived before
 * it.  After the last frame, *clipped is set to the samples the helpers
 * clipped in all and *complete to TRUE. */
gboolean           rc_decoder_segments_read    (RcDecoderSegments  *segments,
                                                gint16             *buf,
                                                gsize               n_frames,
                                                gsize              *got,
                                                gboolean           *complete,
                                                guint64            *clipped,
                                                GError            **error);

/* Kills every helper when `cancellable` is cancelled (watch slot 1). */
void               rc_decoder_segments_watch   (RcDecoderSegments  *segments,
                                                GCancellable       *cancellable);
gboolean           rc_decoder_segments_cancelled (RcDecoderSegments *segments);

void               rc_decoder_segments_free    (RcDecoderSegments  *segments);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcDecoderSegments, rc_decoder_segments_free)

G_END_DECLS
