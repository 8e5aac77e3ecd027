/* rc-input-backends-sndfile.c: rawcd-decoder's backends.
 *
 * libsndfile for what it reads, and libmpg123 for the MPEG audio it
 * recognises (libmpg123 removes the encoder's delay and padding).  No
 * FFmpeg here: its shared libraries would make every helper start ten
 * times slower; rawcd-decoder-ffmpeg has them (rc-input-backends-ffmpeg.c).
 */
#include "rc-input.h"

const RcInputBackends rc_input_backends = {
  .primary = &rc_input_sndfile_backend,
  .mpeg = &rc_input_mpg123_backend,
};
