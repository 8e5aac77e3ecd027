/* test-util.h: audio fixtures for engine tests.
 *
 * Sources are memfds of headerless PCM (the IMAPI raw format) filled with a
 * pattern that a test can recompute for any frame, so that the audio in a
 * generated image can be checked sample by sample without keeping a copy.
 */
#pragma once

#include "rc-audio-source.h"

/* The left and right sample of frame `frame` of the pattern `seed`.
 * Never all-zero for seed != 0, so that silence is told from audio. */
gint16         test_pattern_sample (guint32 seed, guint64 frame, guint channel);

/* A memfd holding `frames` frames of the pattern, as raw s16le stereo. */
int            test_pattern_memfd  (guint32 seed, guint64 frames);

/* A raw source of `sectors` whole sectors of the pattern. */
RcAudioSource *test_pattern_source (guint32 seed, guint sectors);
