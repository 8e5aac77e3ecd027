/* rc-sndfile-private.h: the pieces of the libsndfile audio source.
 *
 * libsndfile reads the audio through its virtual I/O, over one of two
 * streams:
 *
 *  - a seekable descriptor (a regular file, a memfd, a block device) is
 *    read with pread() at a position of the stream's own, so the
 *    descriptor's shared file offset is neither used nor moved, and every
 *    reader opens its own SNDFILE (rc-sndfile-file-stream.c);
 *
 *  - any other descriptor (a pipe, a socket) is read forward only.
 *    libsndfile takes every virtual stream for seekable, so the stream
 *    keeps the first HEAD_BYTES it read and serves libsndfile's probing of
 *    the header from them.  The SNDFILE opened to check the header is the
 *    one the single reader gets later (rc-sndfile-pipe-stream.c).
 *
 * rc-sndfile-format.c names formats and reads libsndfile's account of a
 * header, rc-sndfile-source.c makes and checks the source, and
 * rc-sndfile-reader.c reads and converts the samples.
 */
#pragma once

#include <sndfile.h>

#include "rc-audio-source-private.h"
#include "rc-sndfile-source.h"

G_BEGIN_DECLS

/* What a pipe stream keeps of its head for libsndfile to seek back into. */
#define HEAD_BYTES (64 * 1024)

/* The most a pipe stream reads while libsndfile probes the header, which
 * ends where the audio starts: a header longer than this cannot come from
 * a pipe, nor can audio whose reading starts beyond HEAD_BYTES after a
 * parser has read on. */
#define PROBE_BYTES (16 * 1024 * 1024)

/* Frames converted per step when samples need converting (float to 16-bit). */
#define CHUNK_FRAMES 4096

/* A length a pipe's header may declare: 99:59:74, the most any CD
 * addresses.  Larger values are the placeholders of writers that could not
 * seek back to fill in the length. */
#define PIPE_MAX_FRAMES ((gint64) 450000 * 588)

/* WAV data chunk and AIFF SSND chunk sizes from this one up are the
 * placeholders streaming writers put in a header (sox 0x7FFFF000, others
 * 0xFFFFFFFF): no audio that fits on a CD is that long even as 32-bit
 * stereo samples. */
#define PLACEHOLDER_CHUNK_BYTES G_GINT64_CONSTANT (0x7FFFF000)

/* libsndfile keeps the error of the last failed open, and a seed, in
 * process-wide variables that every sf_open_virtual() writes: opens (and
 * its format tables) are used under this lock.  A stream being opened lets
 * go of it while it waits for its descriptor, so that a slow writer (or a
 * slow file system) does not hold up the other opens; the variables are
 * only touched by libsndfile's own code, which runs with the lock held. */
extern GMutex rc_sndfile_lock;

/* --- rc-sndfile-file-stream.c ------------------------------------------ */

typedef struct {
  int      fd;          /* borrowed from the source */
  gint64   pos;
  int      read_errno;  /* the first failed pread(), 0 if none */
  gboolean in_open;     /* rc_sndfile_lock is held around us */
} RcFileStream;

extern SF_VIRTUAL_IO rc_file_stream_vio;

/* Both streams' write: sources are read only, nothing is ever written. */
sf_count_t    rc_sndfile_vio_write_nothing (const void *ptr, sf_count_t count,
                                            void *user_data);

/* --- rc-sndfile-pipe-stream.c ------------------------------------------ */

typedef struct {
  int           fd;             /* borrowed from the source */
  GPollFD       polls[3];       /* the descriptor, then the cancellables' fds */
  guint         n_polls;
  GCancellable *cancellables[2]; /* the source's, the reader's */
  guint8       *head;           /* the first head_len bytes of the stream */
  gsize         head_len;
  gint64        consumed;       /* bytes read from the descriptor */
  gint64        pos;            /* libsndfile's idea of the position */
  gboolean      streaming;      /* FALSE while the header is probed */
  gboolean      eof;
  GError       *error;          /* cancellation or a failed read */
  gboolean      in_open;        /* rc_sndfile_lock is held around us */
} RcPipeStream;

extern SF_VIRTUAL_IO rc_pipe_stream_vio;

RcPipeStream *rc_pipe_stream_new              (int fd, GCancellable *cancellable);
void          rc_pipe_stream_free             (RcPipeStream *stream);
/* slot 0: the source's cancellable, 1: the reader's */
void          rc_pipe_stream_add_cancellable  (RcPipeStream *stream, guint slot,
                                               GCancellable *cancellable);
/* TRUE (and stream->error set) once a cancellable is cancelled. */
gboolean      rc_pipe_stream_cancelled        (RcPipeStream *stream);

/* --- rc-sndfile-format.c ----------------------------------------------- */

char         *rc_sndfile_major_name      (int format);
/* "FLAC, 44100 Hz, 2 channels, 16-bit PCM" */
char         *rc_sndfile_describe        (const SF_INFO *info);
/* "16-bit PCM", "32-bit float", "Vorbis" */
char         *rc_sndfile_subtype_name    (int format);
/* Precision of the decoded samples in bits, 0 for floating point. */
guint         rc_sndfile_subtype_bits    (int format);
const char   *rc_sndfile_channels_word   (int channels);
/* Bytes per sample of uncompressed encodings, 0 for the others. */
guint         rc_sndfile_sample_bytes    (int format);
/* Encodings decoded to floating point, converted here. */
gboolean      rc_sndfile_subtype_is_float (int format);
/* The bytes of audio a WAV, W64 or AIFF header declares, or -1. */
gint64        rc_sndfile_declared_bytes  (SNDFILE *sndfile, int format);
gboolean      rc_sndfile_chunk_length_is_placeholder (gint64 declared);

/* --- rc-sndfile-source.c ----------------------------------------------- */

typedef struct {
  int            fd;           /* owned, unless the owner sets it to -1 first */
  gboolean       is_pipe;
  /* Any sample rate is accepted (the decoder helper resamples); otherwise
   * only 44,100 Hz, which the in-process reader delivers as it is. */
  gboolean       any_rate;
  RcAudioFormat  format;
  SF_INFO        info;         /* as found when the source was made */
  gint64         frames;
  char          *description;
  /* 16-bit PCM stored as one run of bytes from here, or -1 (see
   * rc_sndfile_source_get_pcm_layout) */
  gint64         pcm_offset;
  gboolean       pcm_big_endian;
  /* Set when opening failed because libsndfile knows no format of these
   * bytes (not for a malformed file of a format it knows): another
   * decoder may know them. */
  gboolean       unrecognised;
  /* MPEG audio in a file is counted by another decoder (libmpg123, in the
   * helper): the header's estimate is kept, for that decoder to replace. */
  gboolean       mpeg_counted_elsewhere;

  /* A pipe's stream and the SNDFILE reading it, until its one reader
   * takes them; `lock` guards the taking. */
  GMutex         lock;
  RcPipeStream  *pipe;
  SNDFILE       *pipe_sndfile;
} RcSndfileSource;

/* Opens a SNDFILE over a stream; info is filled in.  in_open is the
 * stream's flag that tells it to let go of rc_sndfile_lock while it waits. */
void          rc_sndfile_source_free (gpointer data);
/* Reads and checks the header of source->fd (set, with any_rate, by the
 * caller on a zeroed source); fills the rest of the source. */
gboolean      rc_sndfile_source_setup (RcSndfileSource *source, gint64 known_frames,
                                       GCancellable *cancellable, GError **error);
/* Opens a SNDFILE of its own over a seekable source's descriptor, checking
 * that the audio is still what the source found. */
SNDFILE      *rc_sndfile_source_reopen (RcSndfileSource *source, RcFileStream *stream,
                                        GError **error);
/* *unrecognised (may be NULL) as RcSndfileSource's, on failure. */
SNDFILE      *rc_sndfile_open (SF_VIRTUAL_IO *vio, void *stream, gboolean *in_open,
                               SF_INFO *info, gboolean *unrecognised, GError **error);

/* --- rc-sndfile-reader.c ----------------------------------------------- */

extern const RcAudioBackend rc_sndfile_backend;

G_END_DECLS
