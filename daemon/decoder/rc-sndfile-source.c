/* rc-sndfile-source.c: a source decoded by libsndfile: opening it, and
 * the checks of what its header says. */
#define _GNU_SOURCE
#include "rc-sndfile-private.h"

#include "rc-audio-pcm.h"
#include "rc-error.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

GMutex rc_sndfile_lock;

SNDFILE *
rc_sndfile_open (SF_VIRTUAL_IO *vio, void *stream, gboolean *in_open,
                 SF_INFO *info, gboolean *unrecognised, GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&rc_sndfile_lock);
  SNDFILE *sndfile;

  memset (info, 0, sizeof *info);
  *in_open = TRUE;
  sndfile = sf_open_virtual (vio, SFM_READ, info, stream);
  *in_open = FALSE;
  if (sndfile == NULL)
    {
      /* libsndfile's last error, read under the lock that makes it ours */
      if (unrecognised != NULL)
        *unrecognised = sf_error (NULL) == SF_ERR_UNRECOGNISED_FORMAT;
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "not audio that can be read: %s", sf_strerror (NULL));
      return NULL;
    }
  return sndfile;
}

/* The checks of what a header says, once libsndfile has read it. */
static gboolean
check_header (RcSndfileSource *source, SNDFILE *sndfile, GError **error)
{
  const SF_INFO *info = &source->info;
  gint64 frame_bytes = rc_sndfile_sample_bytes (info->format) * MAX (info->channels, 0);
  gint64 declared;

  if (info->samplerate <= 0 || info->channels <= 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: the header is damaged", source->description);
      return FALSE;
    }
  if (info->channels > 2)
    {
      g_autofree char *major = rc_sndfile_major_name (info->format);

      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%d channels of %d Hz %s: a CD holds mono or stereo audio only",
                   info->channels, info->samplerate, major);
      return FALSE;
    }
  if (info->samplerate != 44100 && !source->any_rate)
    {
      g_autofree char *major = rc_sndfile_major_name (info->format);

      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%d Hz %s (%d %s): only 44100 Hz audio can go on a CD",
                   info->samplerate, major, info->channels, rc_sndfile_channels_word (info->channels));
      return FALSE;
    }

  declared = rc_sndfile_declared_bytes (sndfile, info->format);
  if (source->is_pipe)
    {
      /* Not knowing a pipe's end, libsndfile may count the audio to it (W64
       * does): the header's own count is the one to go by. */
      if (declared >= 0 && !rc_sndfile_chunk_length_is_placeholder (declared) && frame_bytes > 0)
        source->frames = MIN (source->frames, declared / frame_bytes);
      if ((declared >= 0 && rc_sndfile_chunk_length_is_placeholder (declared))
          || source->frames <= 0 || source->frames > PIPE_MAX_FRAMES)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                       "%s: the length of audio from a pipe must be declared in its header",
                       source->description);
          return FALSE;
        }
    }
  else if (declared >= 0 && !rc_sndfile_chunk_length_is_placeholder (declared) && frame_bytes > 0
           && declared / frame_bytes > source->frames)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: truncated: header declares %" G_GINT64_FORMAT
                   " frames, file holds %" G_GINT64_FORMAT,
                   source->description, declared / frame_bytes, source->frames);
      return FALSE;
    }

  if (source->frames == SF_COUNT_MAX)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: the length of the audio is not known", source->description);
      return FALSE;
    }
  if (source->frames <= 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: contains no audio", source->description);
      return FALSE;
    }
  return TRUE;
}

/* MPEG audio has no length in its header unless an encoder added a Xing or
 * LAME tag; without one the decoder guesses from the file's size and bit
 * rate, a few MPEG frames off.  The only true length is what decoding
 * delivers, so it is counted here (once, on a worker thread). */
static gboolean
length_is_estimate (int format)
{
  return (format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG;
}

static gboolean
count_frames (RcSndfileSource *source, SNDFILE *sndfile, GError **error)
{
  g_autofree float *scratch = g_new (float, (gsize) CHUNK_FRAMES * source->info.channels);
  gint64 frames = 0;
  sf_count_t got;

  while ((got = sf_readf_float (sndfile, scratch, CHUNK_FRAMES)) > 0)
    frames += got;
  if (sf_error (sndfile) != SF_ERR_NO_ERROR)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: decoding failed after %" G_GINT64_FORMAT " frames: %s",
                   source->description, frames, sf_strerror (sndfile));
      return FALSE;
    }
  if (frames == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: contains no audio", source->description);
      return FALSE;
    }
  if (frames != source->info.frames)
    g_debug ("%s: %" G_GINT64_FORMAT " frames estimated, %" G_GINT64_FORMAT " decoded",
             source->description, (gint64) source->info.frames, frames);
  source->frames = frames;
  return TRUE;
}

/* Frames compared at each end when looking for a run of plain PCM. */
#define PCM_CHECK_FRAMES 4096

static gboolean
pcm_run_matches (RcSndfileSource *source, SNDFILE *sndfile, gint64 offset,
                 gint64 first, gsize n, gboolean big_endian)
{
  guint channels = (guint) source->info.channels;
  gsize samples = n * channels;
  g_autofree gint16 *decoded = g_new (gint16, samples);
  g_autofree gint16 *stored = g_new (gint16, samples);
  gssize got;

  if (sf_seek (sndfile, first, SEEK_SET) != first
      || sf_readf_short (sndfile, decoded, (sf_count_t) n) != (sf_count_t) n)
    return FALSE;
  got = pread (source->fd, stored, samples * 2, offset + first * 2 * channels);
  if (got != (gssize) (samples * 2))
    return FALSE;
  for (gsize i = 0; i < samples; i++)
    {
      guint16 v = (guint16) stored[i];

      if (big_endian != (G_BYTE_ORDER == G_BIG_ENDIAN))
        v = GUINT16_SWAP_LE_BE (v);
      if ((gint16) v != decoded[i])
        return FALSE;
    }
  return TRUE;
}

/* Whether the samples of a 16-bit PCM file are the bytes at `offset` on
 * (where libsndfile stood when it had read the header), in which byte
 * order: checked against what libsndfile decodes at both ends, so that a
 * reader in another process may pread() them.  Anything that does not
 * match exactly stays with the decoder. */
static void
find_pcm_layout (RcSndfileSource *source, SNDFILE *sndfile, gint64 offset)
{
  gsize n = (gsize) MIN (source->frames, (gint64) PCM_CHECK_FRAMES);
  gint64 last = source->frames - (gint64) n;

  source->pcm_offset = -1;
  if ((source->info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_PCM_16 || offset < 0
      || source->info.channels > 2 || source->info.samplerate != 44100)
    return;
  for (guint order = 0; order < 2; order++)
    {
      gboolean big_endian = order == 1;

      if (pcm_run_matches (source, sndfile, offset, 0, n, big_endian)
          && pcm_run_matches (source, sndfile, offset, last, n, big_endian))
        {
          source->pcm_offset = offset;
          source->pcm_big_endian = big_endian;
          return;
        }
    }
}

static gboolean
open_seekable (RcSndfileSource *source, gint64 known_frames, GError **error)
{
  RcFileStream stream = { source->fd, 0, 0, FALSE };
  SNDFILE *sndfile;
  gint64 data_offset;
  gboolean ok;

  sndfile = rc_sndfile_open (&rc_file_stream_vio, &stream, &stream.in_open,
                             &source->info, &source->unrecognised, error);
  if (sndfile == NULL)
    {
      if (stream.read_errno != 0)
        {
          g_clear_error (error);
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "reading the audio failed: %s", g_strerror (stream.read_errno));
        }
      return FALSE;
    }
  data_offset = stream.pos;
  source->description = rc_sndfile_describe (&source->info);
  source->frames = source->info.frames;
  ok = check_header (source, sndfile, error);
  if (ok && length_is_estimate (source->info.format))
    {
      /* counted before (a reader will tell), as 44.1 kHz frames: at any
       * other rate they are the resampled count, so these are counted again */
      if (known_frames > 0 && source->info.samplerate == 44100)
        source->frames = known_frames;
      else if (!source->mpeg_counted_elsewhere)
        ok = count_frames (source, sndfile, error);
    }
  if (ok)
    find_pcm_layout (source, sndfile, data_offset);
  sf_close (sndfile);
  if (ok && stream.read_errno != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "reading the audio failed: %s", g_strerror (stream.read_errno));
      return FALSE;
    }
  return ok;
}

static gboolean
open_pipe (RcSndfileSource *source, GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) error_local = NULL;

  source->pipe = rc_pipe_stream_new (source->fd, cancellable);
  source->pipe_sndfile = rc_sndfile_open (&rc_pipe_stream_vio, source->pipe,
                                          &source->pipe->in_open, &source->info,
                                          &source->unrecognised, &error_local);
  /* What went wrong with the pipe itself explains any failure best. */
  if (source->pipe->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&source->pipe->error));
      return FALSE;
    }
  if (source->pipe_sndfile == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&error_local));
      return FALSE;
    }
  source->description = rc_sndfile_describe (&source->info);
  source->frames = source->info.frames;
  return check_header (source, source->pipe_sndfile, error);
}

void
rc_sndfile_source_free (gpointer data)
{
  RcSndfileSource *source = data;

  if (source->pipe_sndfile != NULL)
    sf_close (source->pipe_sndfile);
  if (source->pipe != NULL)
    rc_pipe_stream_free (source->pipe);
  g_mutex_clear (&source->lock);
  if (source->fd >= 0)
    close (source->fd);
  g_free (source->description);
  g_free (source);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSndfileSource, rc_sndfile_source_free)

RcAudioSource *
rc_audio_source_new_from_fd (int            fd,
                             RcAudioFormat  format,
                             GCancellable  *cancellable,
                             GError       **error)
{
  return rc_sndfile_source_new_full (fd, format, 0, cancellable, error);
}

RcAudioSource *
rc_sndfile_source_new_full (int            fd,
                            RcAudioFormat  format,
                            gint64         known_frames,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(RcSndfileSource) source = NULL;
  g_autoptr(GError) error_local = NULL;
  RcAudioSource *audio;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (format == RC_AUDIO_FORMAT_AUTO || format == RC_AUDIO_FORMAT_RAW
                        || format == RC_AUDIO_FORMAT_RAW_BIG_ENDIAN, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, &error_local))
    {
      close (fd);
      g_set_error_literal (error, RC_ERROR, RC_ERROR_CANCELLED, error_local->message);
      return NULL;
    }
  /* Headerless audio is not parsed at all. */
  if (format == RC_AUDIO_FORMAT_RAW || format == RC_AUDIO_FORMAT_RAW_BIG_ENDIAN)
    return rc_audio_raw_source_new_full (fd, format == RC_AUDIO_FORMAT_RAW_BIG_ENDIAN, error);

  /* The source owns fd from here on, so every failure below closes it. */
  source = g_new0 (RcSndfileSource, 1);
  source->fd = fd;
  source->format = format;
  if (!rc_sndfile_source_setup (source, known_frames, cancellable, error))
    return NULL;

  g_debug ("audio source on fd %d: %s, %" G_GINT64_FORMAT " frames%s",
           fd, source->description, source->frames, source->is_pipe ? ", from a pipe" : "");
  audio = rc_audio_source_new_with_backend (&rc_sndfile_backend, source, source->frames,
                                            source->description, !source->is_pipe);
  g_steal_pointer (&source);
  return audio;
}

gboolean
rc_sndfile_source_setup (RcSndfileSource *source, gint64 known_frames,
                         GCancellable *cancellable, GError **error)
{
  gboolean seekable = FALSE;

  source->pcm_offset = -1;
  g_mutex_init (&source->lock);
  if (!rc_audio_fd_is_seekable (source->fd, &seekable, error))
    return FALSE;
  source->is_pipe = !seekable;
  return source->is_pipe ? open_pipe (source, cancellable, error)
                         : open_seekable (source, known_frames, error);
}

gboolean
rc_sndfile_source_get_pcm_layout (RcAudioSource *source,
                                  gint64        *data_offset,
                                  guint         *channels,
                                  gboolean      *big_endian)
{
  RcSndfileSource *sf = rc_audio_source_get_backend_data (source, &rc_sndfile_backend);

  if (sf == NULL || sf->is_pipe || sf->pcm_offset < 0)
    return FALSE;
  *data_offset = sf->pcm_offset;
  *channels = (guint) sf->info.channels;
  *big_endian = sf->pcm_big_endian;
  return TRUE;
}
