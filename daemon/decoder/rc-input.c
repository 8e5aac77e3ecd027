/* rc-input.c: choosing the backend that reads a stream.
 *
 * libsndfile is tried first: it reads most of what users have, and its
 * readers are the ones the tests have pinned down byte by byte.  When it
 * recognises MPEG audio, a dedicated MPEG backend (when linked) reads the
 * file instead, since libsndfile keeps the encoder's delay and padding.
 * What libsndfile does not recognise goes to the other backends in turn.
 *
 * Only a seekable descriptor can be offered to a second backend: each
 * starts again from offset 0 with pread().  A pipe has been consumed by
 * the first attempt, so its answer is the one given.
 */
#include "rc-input.h"

#include "rc-audio-pcm.h"
#include "rc-error.h"

#include <string.h>

/* The backends after libsndfile, in the order they are tried on what it
 * does not recognise.  FFmpeg's (rc-input-ffmpeg.c) is not linked into
 * the helper yet: Debian's libavcodec brings ~115 shared libraries, which
 * made every helper start (one per AddTrack and per image) ~10 times
 * slower; it needs a helper of its own, started only for what libsndfile
 * does not recognise (docs/input-formats.md). */
static const RcInputBackend *const other_backends[] = {
  NULL,
};

/* The backend that reads MPEG audio which libsndfile recognised; NULL
 * leaves it to libsndfile. */
static const RcInputBackend *const mpeg_backend = &rc_input_mpg123_backend;

struct _RcInput {
  const RcInputBackend *backend;
  gpointer              state;
  RcInputInfo           info;
  char                 *description;
};

void
rc_input_free (RcInput *input)
{
  if (input->state != NULL)
    input->backend->close (input->state);
  g_free (input->info.container);
  g_free (input->info.codec);
  g_free (input->description);
  g_free (input);
}

static void
clear_info (RcInputInfo *info)
{
  g_clear_pointer (&info->container, g_free);
  g_clear_pointer (&info->codec, g_free);
}

/* One backend's attempt: TRUE with input filled, or FALSE with error. */
static gboolean
try_backend (RcInput *input, const RcInputBackend *backend, int fd, gint64 known_frames,
             GCancellable *cancellable, GError **error)
{
  clear_info (&input->info);
  memset (&input->info, 0, sizeof input->info);
  input->info.known_frames = known_frames;
  input->state = backend->open (fd, &input->info, cancellable, error);
  if (input->state == NULL)
    {
      clear_info (&input->info);
      return FALSE;
    }
  input->backend = backend;
  return TRUE;
}

static gboolean
info_is_sane (const RcInputInfo *info, GError **error)
{
  if (info->container == NULL || info->codec == NULL || info->rate == 0
      || info->channels == 0 || info->frames <= 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s %s: the decoder gave no usable account of the audio",
                   info->container != NULL ? info->container : "audio",
                   info->codec != NULL ? info->codec : "");
      return FALSE;
    }
  return TRUE;
}

RcInput *
rc_input_open (int fd, gint64 known_frames, GCancellable *cancellable, GError **error)
{
  g_autoptr(RcInput) input = g_new0 (RcInput, 1);
  g_autoptr(GError) sndfile_error = NULL;

  if (try_backend (input, &rc_input_sndfile_backend, fd, known_frames, cancellable,
                   &sndfile_error))
    {
      if (mpeg_backend != NULL && input->info.seekable
          && g_strcmp0 (input->info.container, "MPEG") == 0)
        {
          input->backend->close (g_steal_pointer (&input->state));
          if (!try_backend (input, mpeg_backend, fd, known_frames, cancellable, error))
            return NULL;
        }
    }
  else
    {
      gboolean seekable = FALSE;

      /* a stream libsndfile could not read as it was (damaged, truncated,
       * cancelled, a pipe it has consumed) is not another format's */
      if (!g_error_matches (sndfile_error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO)
          || !rc_audio_fd_is_seekable (fd, &seekable, NULL) || !seekable)
        {
          g_propagate_error (error, g_steal_pointer (&sndfile_error));
          return NULL;
        }
      for (guint i = 0; input->state == NULL && other_backends[i] != NULL; i++)
        if (!try_backend (input, other_backends[i], fd, known_frames, cancellable, NULL))
          continue;
      if (input->state == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&sndfile_error));
          return NULL;
        }
    }
  if (!info_is_sane (&input->info, error))
    return NULL;
  input->description = g_strdup_printf ("%s, %u Hz, %u %s, %s", input->info.container,
                                        input->info.rate, input->info.channels,
                                        input->info.channels == 1 ? "channel" : "channels",
                                        input->info.codec);
  return g_steal_pointer (&input);
}

const RcInputInfo *
rc_input_get_info (RcInput *input)
{
  return &input->info;
}

const char *
rc_input_get_backend_name (RcInput *input)
{
  return input->backend->name;
}

const RcInputBackend *
rc_input_get_backend (RcInput *input)
{
  return input->backend;
}

gpointer
rc_input_get_state (RcInput *input)
{
  return input->state;
}

const char *
rc_input_get_description (RcInput *input)
{
  return input->description;
}

gssize
rc_input_read (RcInput *input, float *buf, gsize n_frames, GError **error)
{
  return input->backend->read (input->state, buf, n_frames, error);
}

gssize
rc_input_read_s16 (RcInput *input, gint16 *buf, gsize n_frames, GError **error)
{
  g_return_val_if_fail (input->info.reads_s16 && input->backend->read_s16 != NULL, -1);
  return input->backend->read_s16 (input->state, buf, n_frames, error);
}

gboolean
rc_input_seek (RcInput *input, gint64 frame, GError **error)
{
  return input->backend->seek (input->state, frame, error);
}

GStrv
rc_input_supported_formats (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) first = rc_input_sndfile_backend.formats ();

  for (guint i = 0; first[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (first[i]));
  for (guint b = 0; b == 0 || other_backends[b - 1] != NULL; b++)
    {
      /* the MPEG backend first, then the others */
      const RcInputBackend *backend = b == 0 ? mpeg_backend : other_backends[b - 1];
      g_auto(GStrv) more = NULL;

      if (backend == NULL)
        continue;
      more = backend->formats ();

      for (guint i = 0; more[i] != NULL; i++)
        if (!g_ptr_array_find_with_equal_func (names, more[i], g_str_equal, NULL))
          g_ptr_array_add (names, g_strdup (more[i]));
    }
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
