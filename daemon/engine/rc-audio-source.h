/* rc-audio-source.h: one track's audio, read from a file descriptor.
 *
 * Opening reads and checks the header (this blocks: call it from a worker
 * thread).  The audio itself is read later, when an image is written, by a
 * reader that has its own position: seekable descriptors are read with
 * positioned reads, so the result never depends on the descriptor's shared
 * file offset and several images can be written from one source at once.
 * A non-seekable stream (a pipe) can be read once only.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  RC_AUDIO_FORMAT_AUTO,   /* whatever libsndfile recognises */
  RC_AUDIO_FORMAT_RAW,    /* headerless 44.1 kHz s16 stereo little-endian (IMAPI) */
  RC_AUDIO_FORMAT_RAW_BIG_ENDIAN, /* the same, big-endian (a CUE sheet's MOTOROLA file) */
} RcAudioFormat;

typedef struct _RcAudioSource RcAudioSource;
typedef struct _RcAudioReader RcAudioReader;

/* Sources are made by rc_audio_raw_source_new() (rc-audio-pcm.h), by a
 * decoder helper process (rc-decoder-source.h) or, in the helper and the
 * tests only, by libsndfile in this process (rc-sndfile-source.h). */

RcAudioSource *rc_audio_source_ref   (RcAudioSource *source);
void           rc_audio_source_unref (RcAudioSource *source);

/* Stereo sample frames at 44.1 kHz, as the header declares. */
gint64         rc_audio_source_get_frames      (RcAudioSource *source);
/* Whole sectors the audio fills: frames / 588 rounded up. */
gint           rc_audio_source_get_sectors     (RcAudioSource *source);
/* "FLAC, 44100 Hz, 2 channels, 16-bit PCM" */
const char    *rc_audio_source_get_description (RcAudioSource *source);
/* What the decoder helper does to the source to make CD audio, in words
 * ("resampled from 48,000 Hz", "dithered from 24 bits", "mono to
 * stereo"); empty (never NULL) when nothing is done. */
const char *const *rc_audio_source_get_conversions (RcAudioSource *source);
/* Set once, by whoever makes the source, before it is shared. */
void           rc_audio_source_set_conversions (RcAudioSource      *source,
                                                const char *const  *conversions);
/* The samples clipped in making CD audio of the whole stream: TRUE with
 * *clipped set once a reader has read it to the end (an image was
 * written), FALSE before.  Thread-safe: readers run on worker threads. */
gboolean       rc_audio_source_get_clipped     (RcAudioSource *source,
                                                guint64       *clipped);
/* The levels of a range of the stream as it goes on the disc (44.1 kHz
 * s16 stereo), measured by a decoder helper (issue 13). */
typedef struct {
  gint64   first;        /* the range measured: frames first .. first + frames - 1 */
  gint64   frames;
  guint32  sample_peak;  /* the largest |sample|, 0 (silence) .. 32768 */
  double   true_peak;    /* the largest value between samples, 1.0 = full scale */
  gboolean has_loudness; /* FALSE: nothing above the -70 LUFS gate (silence) */
  double   loudness;     /* integrated loudness in LUFS (ITU-R BS.1770) */
} RcLevels;

/* The levels of frames first .. first + frames - 1, once a measuring
 * reader (rc_audio_source_open_measuring_reader) has read past them;
 * FALSE before.  Thread-safe. */
gboolean       rc_audio_source_get_levels      (RcAudioSource *source,
                                                gint64         first,
                                                gint64         frames,
                                                RcLevels      *levels);

/* FALSE for a pipe: its one reader has been opened, or can be opened once. */
gboolean       rc_audio_source_is_rereadable   (RcAudioSource *source);

/* A reader from frame 0.  Fails (RC_ERROR_FAILED) for a pipe that was read
 * already, and (RC_ERROR_UNSUPPORTED_AUDIO) for a file that no longer holds
 * the audio it held when the source was made.  Each reader has its own
 * position: readers of a file may run at once, on different threads. */
RcAudioReader *rc_audio_source_open_reader (RcAudioSource  *source,
                                            GError        **error);

/* Reads exactly n_frames frames as interleaved stereo signed 16-bit samples
 * in host byte order into buf (4 * n_frames bytes).  Fewer frames than the
 * header declared is an error (RC_ERROR_UNSUPPORTED_AUDIO, saying how many
 * arrived), never silence; so is a decoding error.  Asking for frames past
 * the declared length is RC_ERROR_INVALID_ARGUMENT, a cancelled pipe
 * RC_ERROR_CANCELLED, a failed read RC_ERROR_FAILED.  Any failure but the
 * invalid argument is final: later reads repeat it. */
gboolean       rc_audio_reader_read (RcAudioReader  *reader,
                                     gint16         *buf,
                                     gsize           n_frames,
                                     GError        **error);
void           rc_audio_reader_free (RcAudioReader *reader);

/* A reader from frame 0 that also has the levels of segments measured:
 * marks (2 to 256, strictly ascending) bound them, each pair of
 * neighbours one segment, and each segment's levels are kept on the
 * source (rc_audio_source_get_levels) once read past.  Measuring happens
 * in a decoder helper: a source that rawcdd reads itself (plain PCM)
 * is read through a helper for it.  A source that cannot be measured
 * gives a plain reader (its levels stay unknown). */
RcAudioReader *rc_audio_source_open_measuring_reader (RcAudioSource  *source,
                                                      const gint64   *marks,
                                                      guint           n_marks,
                                                      GError        **error);

/* Also abandon a pipe's reads, blocked or to come, when `cancellable` is
 * cancelled (RC_ERROR_CANCELLED), besides the cancellable the source was
 * made with: a job can then stop a silent pipe with its own cancellable.
 * At most one per reader, set before the first read; readers of seekable
 * descriptors ignore it (their reads do not wait for a writer). */
void           rc_audio_reader_set_cancellable (RcAudioReader *reader,
                                                GCancellable  *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcAudioSource, rc_audio_source_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcAudioReader, rc_audio_reader_free)

G_END_DECLS
