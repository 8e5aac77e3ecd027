/* rc-decoder-source.h: audio read by a sandboxed decoder helper.
 *
 * rawcdd never parses a client's audio itself: every header is read, and
 * every compressed stream decoded, by a short-lived rawcd-decoder process
 * that holds only that descriptor and a channel back (rc-decoder-process.h).
 * The probe at opening runs one helper; each reader of a file runs one of
 * its own, so that several streams decode at once on several cores.  Plain
 * 16-bit PCM that the helper found stored as one run of bytes (WAV, AIFF)
 * is then read directly (rc-audio-pcm.h); a pipe's helper, which has read
 * the header already, lives on to serve the pipe's one reader.  Headerless
 * audio needs no helper at all.
 *
 * What rawcd-decoder does not recognise in a file (it answers
 * UNRECOGNISED) is probed again by rawcd-decoder-ffmpeg beside it
 * (rc_decoder_process_second_helper()), which then serves that source's
 * readers too; only those files pay for starting FFmpeg.
 *
 * A helper that crashes, hangs, breaks the protocol or exceeds its limits
 * fails only its own source or reader, with RC_ERROR_UNSUPPORTED_AUDIO
 * saying what happened.  Cancellables kill the helper at once.
 */
#pragma once

#include "rc-audio-source.h"

G_BEGIN_DECLS

/* As rc_audio_source_new_from_fd() (rc-sndfile-source.h), with the helper
 * program at helper_path doing the parsing. */
RcAudioSource *rc_decoder_source_new (const char     *helper_path,
                                      int             fd,
                                      RcAudioFormat   format,
                                      GCancellable   *cancellable,
                                      GError        **error);

/* The same, saying whether audio of more than 16 bits of precision is
 * reduced with TPDF dither (TRUE, what rc_decoder_source_new() does) or
 * rounded to the nearest value. */
RcAudioSource *rc_decoder_source_new_full (const char     *helper_path,
                                           int             fd,
                                           RcAudioFormat   format,
                                           gboolean        dither,
                                           GCancellable   *cancellable,
                                           GError        **error);

/* The formats the helpers' decoders read, e.g. "WAV", "FLAC", "M4A": the
 * union of helper_path's and, when it is installed, its second helper's
 * (which must then work). */
GStrv          rc_decoder_supported_formats (const char  *helper_path,
                                             GError     **error);

G_END_DECLS
