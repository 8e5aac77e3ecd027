/* rc-sndfile-reader.c: reading a libsndfile source, and converting its
 * samples to the CD's interleaved 16-bit stereo. */
#define _GNU_SOURCE
#include "rc-sndfile-private.h"

#include "rc-error.h"

typedef struct {
  RcSndfileSource *source;      /* borrowed: the generic reader keeps the source */
  SNDFILE         *sndfile;
  RcFileStream    *file;        /* one of these two is the stream */
  RcPipeStream    *pipe;
  gboolean         read_float;
  gint64           position;    /* frames delivered so far */
  float           *scratch;     /* CHUNK_FRAMES frames, for float decoding */
} SndfileReader;

static void
reader_free (gpointer data)
{
  SndfileReader *reader = data;

  if (reader->sndfile != NULL)
    sf_close (reader->sndfile);
  if (reader->pipe != NULL)
    rc_pipe_stream_free (reader->pipe);
  g_free (reader->file);
  g_free (reader->scratch);
  g_free (reader);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SndfileReader, reader_free)

static gboolean
same_audio (const SF_INFO *a, const SF_INFO *b)
{
  return a->frames == b->frames && a->samplerate == b->samplerate
         && a->channels == b->channels && a->format == b->format;
}

SNDFILE *
rc_sndfile_source_reopen (RcSndfileSource *source, RcFileStream *stream, GError **error)
{
  SNDFILE *sndfile;
  SF_INFO info;

  stream->fd = source->fd;
  sndfile = rc_sndfile_open (&rc_file_stream_vio, stream, &stream->in_open, &info, NULL,
                             error);
  if (sndfile == NULL)
    {
      g_prefix_error (error, "%s: opening it again: ", source->description);
      return NULL;
    }
  if (!same_audio (&info, &source->info))
    {
      g_autofree char *now = rc_sndfile_describe (&info);

      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "the audio changed since it was added: it was %s, %" G_GINT64_FORMAT
                   " frames, and is now %s, %" G_GINT64_FORMAT " frames",
                   source->description, (gint64) source->info.frames,
                   now, (gint64) info.frames);
      sf_close (sndfile);
      return NULL;
    }
  return sndfile;
}

static gpointer
reader_open (RcAudioSource *audio, gpointer source_data, GError **error)
{
  RcSndfileSource *source = source_data;
  g_autoptr(SndfileReader) reader = g_new0 (SndfileReader, 1);

  reader->source = source;
  reader->read_float = rc_sndfile_subtype_is_float (source->info.format);
  if (reader->read_float)
    reader->scratch = g_new (float, (gsize) CHUNK_FRAMES * source->info.channels);

  if (source->is_pipe)
    {
      g_mutex_lock (&source->lock);
      reader->pipe = g_steal_pointer (&source->pipe);
      reader->sndfile = g_steal_pointer (&source->pipe_sndfile);
      g_mutex_unlock (&source->lock);
      if (reader->sndfile == NULL)
        {
          g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                               "the audio came from a pipe and was read already");
          return NULL;
        }
      /* From now on the audio is read through, past the head. */
      reader->pipe->streaming = TRUE;
      return g_steal_pointer (&reader);
    }

  reader->file = g_new0 (RcFileStream, 1);
  reader->sndfile = rc_sndfile_source_reopen (source, reader->file, error);
  if (reader->sndfile == NULL)
    return NULL;
  return g_steal_pointer (&reader);
}

static void
reader_set_cancellable (gpointer data, GCancellable *cancellable)
{
  SndfileReader *reader = data;

  /* readers of seekable descriptors ignore it: their reads do not wait
   * for a writer */
  if (reader->pipe == NULL)
    return;
  g_return_if_fail (reader->pipe->cancellables[1] == NULL);
  rc_pipe_stream_add_cancellable (reader->pipe, 1, cancellable);
}

static gint16
float_to_s16 (float x)
{
  float v = x * 32768.0f;

  if (v != v)
    return 0;  /* NaN */
  if (v >= 32767.0f)
    return G_MAXINT16;
  if (v <= -32768.0f)
    return G_MININT16;
  return (gint16) (v >= 0.0f ? v + 0.5f : v - 0.5f);
}

/* Mono samples sit in buf[0..n); spread them over both channels, from the
 * end so that nothing is overwritten before it is read. */
static void
mono_to_stereo (gint16 *buf, gsize n)
{
  for (gsize i = n; i > 0; i--)
    {
      buf[2 * (i - 1)] = buf[i - 1];
      buf[2 * (i - 1) + 1] = buf[i - 1];
    }
}

/* Decodes up to n frames into buf as 16-bit stereo; returns the count. */
static gsize
reader_decode (SndfileReader *reader, gint16 *buf, gsize n)
{
  int channels = reader->source->info.channels;
  gsize done = 0;

  if (!reader->read_float)
    {
      sf_count_t got = sf_readf_short (reader->sndfile, buf, (sf_count_t) n);

      if (got <= 0)
        return 0;
      if (channels == 1)
        mono_to_stereo (buf, (gsize) got);
      return (gsize) got;
    }

  while (done < n)
    {
      gsize want = MIN (n - done, (gsize) CHUNK_FRAMES);
      sf_count_t got = sf_readf_float (reader->sndfile, reader->scratch, (sf_count_t) want);

      if (got <= 0)
        break;
      for (gsize i = 0; i < (gsize) got; i++)
        {
          gint16 left = float_to_s16 (reader->scratch[i * channels]);

          buf[2 * (done + i)] = left;
          buf[2 * (done + i) + 1] = channels == 2 ? float_to_s16 (reader->scratch[i * 2 + 1]) : left;
        }
      done += (gsize) got;
      if ((gsize) got < want)
        break;
    }
  return done;
}

static gboolean
reader_read (gpointer data, gint16 *buf, gsize n_frames, gsize *got_frames, GError **error)
{
  SndfileReader *reader = data;
  RcSndfileSource *source = reader->source;
  gsize got;
  int sf_err;

  *got_frames = 0;
  if (reader->pipe != NULL && rc_pipe_stream_cancelled (reader->pipe))
    {
      g_propagate_error (error, g_steal_pointer (&reader->pipe->error));
      return FALSE;
    }

  got = reader_decode (reader, buf, n_frames);
  reader->position += got;
  *got_frames = got;
  sf_err = sf_error (reader->sndfile);

  /* The stream's own failure (cancelled, an I/O error) explains best. */
  if (reader->pipe != NULL && reader->pipe->error != NULL)
    g_propagate_error (error, g_steal_pointer (&reader->pipe->error));
  else if (reader->file != NULL && reader->file->read_errno != 0)
    g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                 "%s: reading frame %" G_GINT64_FORMAT " failed: %s",
                 source->description, reader->position,
                 g_strerror (reader->file->read_errno));
  /* A decoder may report damage and still deliver every frame (libFLAC
   * skips a frame it cannot decode): that is not the audio either. */
  else if (sf_err != SF_ERR_NO_ERROR)
    g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                 "%s: decoding failed after %" G_GINT64_FORMAT
                 " of the %" G_GINT64_FORMAT " frames declared: %s",
                 source->description, reader->position, source->frames,
                 sf_strerror (reader->sndfile));
  else if (got < n_frames)
    g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                 "%s: the audio ended early: %" G_GINT64_FORMAT
                 " frames arrived of the %" G_GINT64_FORMAT " declared",
                 source->description, reader->position, source->frames);
  else
    return TRUE;
  return FALSE;
}

const RcAudioBackend rc_sndfile_backend = {
  .open_reader = reader_open,
  .read = reader_read,
  .set_cancellable = reader_set_cancellable,
  .free_reader = reader_free,
  .free_source = rc_sndfile_source_free,
};
