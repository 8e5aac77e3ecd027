/* rc-input.h: one client stream as a decoder library delivers it, before
 * it becomes CD audio.
 *
 * Inside the decoder helper, every file is opened by one input backend:
 * libsndfile for what it reads (the primary decoder), libmpg123 for MPEG
 * audio (it honours the LAME/Xing encoder delay and padding), FFmpeg's
 * libavformat/libavcodec for the rest (MP4/M4A with AAC or ALAC, WavPack,
 * APE ...).  An input gives samples at the source's own rate and channel
 * count as interleaved float, full scale +-1.0 and NOT clipped; the
 * conversion to 44.1 kHz 16-bit stereo (resampling, mixing mono to
 * stereo, dither or rounding, clipping and counting it) is done once, for
 * every backend, by the code that reads inputs (rc-convert).
 *
 * Each helper binary links its own set of backends (RcInputBackends):
 * rawcd-decoder has libsndfile, then libmpg123 for the MPEG audio that
 * libsndfile recognises (libsndfile keeps the encoder delay);
 * rawcd-decoder-ffmpeg has FFmpeg alone, and is started by rawcdd only
 * for a file the first helper does not recognise (FFmpeg's libraries make
 * a helper start ten times slower, so the common formats never pay it).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char     *container;   /* "WAV", "FLAC", "MPEG audio", "MP4", "WavPack" */
  char     *codec;       /* "16-bit PCM", "FLAC", "MP3", "AAC", "ALAC" */
  guint     rate;        /* Hz, > 0 */
  guint     channels;    /* >= 1 (more than 2 is refused by the converter) */
  /* Precision of the source's samples: 8, 16, 24 or 32 for integer PCM
   * (and lossless codecs of that depth); 0 for float and lossy codecs,
   * whose decoded values have more than 16 bits of precision. */
  guint     bits;
  /* Exact frames at `rate`, encoder delay and padding already removed. */
  gint64    frames;
  /* rc_input_seek() lands on the exact frame (FALSE for pipes). */
  gboolean  seekable;
  /* rc_input_read_s16() gives exactly the float samples times 32768:
   * integer samples of at most 16 bits, read without the detour through
   * float (the most common case, 16-bit FLAC, spent a third of its time
   * converting to float and back). */
  gboolean  reads_s16;
  /* Set by rc_input_open() before a backend's open(), which must keep it:
   * the frames an earlier probe of this stream reported, as 44,100 Hz
   * frames after conversion, or 0.  A backend whose format only estimates
   * its length in the header may take it instead of counting again when
   * the stream's rate is 44,100 Hz (a reader's helper then fails if the
   * audio ends early). */
  gint64    known_frames;
  /* Set by a backend's open() once it knows the stream is in a format it
   * reads, and kept when it fails after that (a damaged file of its own
   * format): then no other helper need try the stream. */
  gboolean  recognised;
  /* Set by rc_input_open() before the primary backend's open(): MPEG audio
   * it recognises in a seekable stream goes on to the MPEG backend, which
   * counts its frames itself, so the primary need not count them too. */
  gboolean  mpeg_goes_on;
} RcInputInfo;

typedef struct _RcInput RcInput;

typedef struct {
  const char *name;      /* "libsndfile", "libmpg123", "FFmpeg" */
  /* Opens the stream on fd (borrowed; read from offset 0 with pread() when
   * it is seekable, forward otherwise).  Fills info; returns the backend's
   * state, or NULL with error set (RC_ERROR_UNSUPPORTED_AUDIO for a stream
   * it does not recognise or cannot decode, saying what was found). */
  gpointer (*open)  (int            fd,
                     RcInputInfo   *info,
                     GCancellable  *cancellable,
                     GError       **error);
  /* Up to n_frames frames (info->channels floats each) into buf; the
   * frames read, 0 only at the end of the stream, -1 with error set. */
  gssize   (*read)  (gpointer       state,
                     float         *buf,
                     gsize          n_frames,
                     GError       **error);
  /* Positions the next read at `frame` (< info->frames), exactly. */
  gboolean (*seek)  (gpointer       state,
                     gint64         frame,
                     GError       **error);
  void     (*close) (gpointer       state);
  /* Optional (info->reads_s16): as read, as interleaved s16. */
  gssize   (*read_s16) (gpointer     state,
                        gint16      *buf,
                        gsize        n_frames,
                        GError     **error);
  /* The formats it reads, for SupportedInputFormats ("MP3", "M4A" ...). */
  GStrv    (*formats) (void);
  /* Optional (NULL: never): see rc_input_seeks_exactly(). */
  gboolean (*seeks_exactly) (gpointer state);
  /* Optional (NULL): see rc_input_get_pcm_layout(). */
  gboolean (*pcm_layout) (gpointer  state,
                          gint64   *data_offset,
                          guint    *channels,
                          gboolean *big_endian);
} RcInputBackend;

/* The backends of one helper binary (rc-input-backends-*.c, one of them
 * linked into each). */
typedef struct {
  const RcInputBackend *primary;  /* tried first on every stream */
  /* Reads instead the MPEG audio the primary recognised, or NULL. */
  const RcInputBackend *mpeg;
} RcInputBackends;

extern const RcInputBackends rc_input_backends;

/* Opens the stream with this helper's backends; takes ownership of
 * nothing (fd is borrowed and must outlive the input).  known_frames: see
 * RcInputInfo.  On failure, *unrecognised (when not NULL) says whether no
 * backend here recognised the stream's format and fd can be read again
 * from its start: another helper may then try it. */
RcInput           *rc_input_open_full (int            fd,
                                       gint64         known_frames,
                                       gboolean      *unrecognised,
                                       GCancellable  *cancellable,
                                       GError       **error);
RcInput           *rc_input_open      (int            fd,
                                       gint64         known_frames,
                                       GCancellable  *cancellable,
                                       GError       **error);
const RcInputInfo *rc_input_get_info  (RcInput       *input);
const char        *rc_input_get_backend_name (RcInput *input);
/* The backend that reads the stream, and its state (for what only that
 * backend can tell, such as rc_input_sndfile_get_pcm_layout()). */
const RcInputBackend *rc_input_get_backend (RcInput       *input);
gpointer           rc_input_get_state (RcInput       *input);
/* TRUE when rc_input_seek() followed by reads gives exactly the samples
 * that reading from the start gives at that position (for libsndfile's
 * inputs: rc_input_sndfile_seeks_exactly()); FALSE for other backends. */
gboolean           rc_input_seeks_exactly (RcInput *input);
/* For 44,100 Hz 16-bit PCM stored as one run of bytes (WAV, AIFF, as
 * libsndfile finds them): where the samples start, how many channels,
 * which byte order, so that rawcdd may read them itself.  FALSE for
 * anything else. */
gboolean           rc_input_get_pcm_layout (RcInput  *input,
                                            gint64   *data_offset,
                                            guint    *channels,
                                            gboolean *big_endian);
/* "FLAC, 48000 Hz, 2 channels, 24-bit PCM": container, rate, channels,
 * codec. */
const char        *rc_input_get_description (RcInput *input);
gssize             rc_input_read      (RcInput       *input,
                                       float         *buf,
                                       gsize          n_frames,
                                       GError       **error);
/* Only when rc_input_get_info()->reads_s16. */
gssize             rc_input_read_s16  (RcInput       *input,
                                       gint16        *buf,
                                       gsize          n_frames,
                                       GError       **error);
gboolean           rc_input_seek      (RcInput       *input,
                                       gint64         frame,
                                       GError       **error);
void               rc_input_free      (RcInput       *input);
/* This helper's backends' formats, without duplicates. */
GStrv              rc_input_supported_formats (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcInput, rc_input_free)

/* The backends. */
extern const RcInputBackend rc_input_sndfile_backend;  /* rc-input-sndfile.c */
extern const RcInputBackend rc_input_mpg123_backend;   /* rc-input-mpg123.c */
extern const RcInputBackend rc_input_ffmpeg_backend;   /* rc-input-ffmpeg.c */

/* For a libsndfile input of 44,100 Hz 16-bit PCM stored as one run of
 * bytes (WAV, AIFF): where the samples start, how many channels, which
 * byte order, so that rawcdd may read them itself.  FALSE otherwise. */
gboolean rc_input_sndfile_get_pcm_layout (gpointer  state,
                                          gint64   *data_offset,
                                          guint    *channels,
                                          gboolean *big_endian);

/* For a libsndfile input: TRUE when rc_input_seek() followed by reads
 * gives exactly the samples that reading from the start gives at that
 * position (FLAC, uncompressed PCM in WAV, AIFF ...), so that pieces of
 * the stream may be decoded apart.  Checked by test-segments. */
gboolean rc_input_sndfile_seeks_exactly (gpointer state);

G_END_DECLS
