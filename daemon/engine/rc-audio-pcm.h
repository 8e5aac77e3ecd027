/* rc-audio-pcm.h: 16-bit PCM read straight from a seekable descriptor.
 *
 * Headerless audio (IMAPI's raw format) needs no parsing at all, and a WAV
 * or AIFF whose header a decoder helper has checked holds its samples as
 * one run of bytes: both are read here with pread(), in this process,
 * which keeps the fastest path free of any copy through another process.
 */
#pragma once

#include "rc-audio-source.h"

G_BEGIN_DECLS

/* Only regular files and block devices take pread() reliably at any
 * offset with a known length; everything else is read as a stream.  FALSE
 * with error set when fd cannot be examined. */
gboolean       rc_audio_fd_is_seekable (int fd, gboolean *seekable, GError **error);
/* The bytes of a regular file or block device, -1 (errno set) on failure. */
gint64         rc_audio_fd_length      (int fd);

/* Headerless 44.1 kHz s16 stereo little-endian audio filling the whole of
 * fd (taken, closed on error too): its length must be a whole number of
 * 4-byte frames, and a pipe is refused (its length is not known). */
RcAudioSource *rc_audio_raw_source_new (int fd, GError **error);
/* The same with the byte order chosen: CUE sheets name big-endian raw
 * files MOTOROLA, and ripping tools still write them. */
RcAudioSource *rc_audio_raw_source_new_full (int fd, gboolean big_endian, GError **error);

/* `frames` frames of 16-bit PCM of 1 or 2 channels starting at byte
 * `offset` of the seekable fd (taken).  Readers check that the file still
 * holds them. */
RcAudioSource *rc_audio_pcm_source_new (int         fd,
                                        gint64      offset,
                                        gint64      frames,
                                        guint       channels,
                                        gboolean    big_endian,
                                        const char *description);

G_END_DECLS
