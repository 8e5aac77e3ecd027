/* rc-input-backends-ffmpeg.c: rawcd-decoder-ffmpeg's backend.
 *
 * FFmpeg alone, for the files rawcd-decoder does not recognise (M4A with
 * AAC or ALAC, WavPack, APE, TTA, Matroska audio): rawcdd starts this
 * helper only for those, so only they pay for loading FFmpeg.
 */
#include "rc-input.h"

const RcInputBackends rc_input_backends = {
  .primary = &rc_input_ffmpeg_backend,
  .mpeg = NULL,
};
