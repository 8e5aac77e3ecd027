/* rc-audio-source-private.h: what a kind of audio source provides.
 *
 * rc-audio-source.c is the part every source shares: the reference count,
 * the length and description, the reader's position and its sticky error.
 * How the samples are obtained is a backend's business: 16-bit PCM read
 * straight from a descriptor (rc-audio-pcm.c), a sandboxed decoder process
 * (rc-decoder-source.c), or libsndfile in this process (daemon/decoder/,
 * linked only into the decoder helper and the tests).
 */
#pragma once

#include "rc-audio-source.h"

G_BEGIN_DECLS

typedef struct {
  /* A new reader's state, positioned at frame 0; NULL and error set on
   * failure. */
  gpointer (*open_reader)     (RcAudioSource  *source,
                               gpointer        source_data,
                               GError        **error);
  /* n_frames (> 0, never past the end) frames as interleaved stereo
   * host-order s16, or FALSE with error set and *got the frames that were
   * delivered before the failure.  After a failure the generic reader
   * never calls read again. */
  gboolean (*read)            (gpointer        reader_data,
                               gint16         *buf,
                               gsize           n_frames,
                               gsize          *got,
                               GError        **error);
  /* Optional: a cancellable that stops reads blocked or to come. */
  void     (*set_cancellable) (gpointer        reader_data,
                               GCancellable   *cancellable);
  void     (*free_reader)     (gpointer        reader_data);
  void     (*free_source)     (gpointer        source_data);
  /* TRUE when the samples are CD audio as stored, converted in no way:
   * nothing can clip, so a reader that reached the end knows the count
   * (0).  Others say what they counted with rc_audio_source_note_clipped. */
  gboolean   unconverted;
  /* Optional: as open_reader, for a reader that also has the levels of
   * the ranges between marks measured (rc_audio_source_note_levels). */
  gpointer (*open_measuring_reader) (RcAudioSource  *source,
                                     gpointer        source_data,
                                     const gint64   *marks,
                                     guint           n_marks,
                                     GError        **error);
} RcAudioBackend;

/* Takes ownership of source_data (freed with backend->free_source). */
RcAudioSource *rc_audio_source_new_with_backend (const RcAudioBackend *backend,
                                                 gpointer              source_data,
                                                 gint64                frames,
                                                 const char           *description,
                                                 gboolean              rereadable);

/* As rc_audio_reader_read(), but on a failure *got says how many frames
 * were delivered before it (the decoder helper passes them on). */
gboolean       rc_audio_reader_read_some (RcAudioReader  *reader,
                                          gint16         *buf,
                                          gsize           n_frames,
                                          gsize          *got,
                                          GError        **error);

/* The samples clipped when the whole stream was converted, as a reader
 * that read it all learnt it; may be called from any thread. */
void           rc_audio_source_note_clipped (RcAudioSource *source,
                                             guint64        clipped);

/* What a measuring reader learnt of a segment; any thread. */
void           rc_audio_source_note_levels (RcAudioSource  *source,
                                            const RcLevels *levels);

/* The source that measures for this one (a helper reading the same
 * descriptor); a reference is taken.  Set once, before sharing. */
void           rc_audio_source_set_measurer (RcAudioSource *source,
                                             RcAudioSource *measurer);

/* The source_data of a source of that backend, NULL for another backend. */
gpointer       rc_audio_source_get_backend_data (RcAudioSource        *source,
                                                 const RcAudioBackend *backend);

G_END_DECLS
