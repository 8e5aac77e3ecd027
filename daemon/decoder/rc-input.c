/* rc-input.c: choosing the backend that reads a stream.
 *
 * The helper's primary backend is tried first (rc-input-backends-*.c):
 * libsndfile in rawcd-decoder, which reads most of what users have and
 * whose readers the tests have pinned down byte by byte; FFmpeg in
 * rawcd-decoder-ffmpeg.  When libsndfile recognises MPEG audio, the MPEG
 * backend reads the file instead, since libsndfile keeps the encoder's
 * delay and padding.
 *
 * What the primary backend does not recognise is another helper's to
 * try, and only on a seekable descriptor: that helper starts again from
 * offset 0 with pread().  A pipe has been consumed by the first attempt,
 * so its answer is the one given.
 */
#include "rc-input.h"

#include "rc-audio-pcm.h"
#include "rc-error.h"

#include <string.h>

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

/* One backend's attempt: TRUE with input filled, or FALSE with error and
 * *recognised saying whether the backend knew the format. */
static gboolean
try_backend (RcInput *input, const RcInputBackend *backend, int fd, gint64 known_frames,
             gboolean *recognised, GCancellable *cancellable, GError **error)
{
  clear_info (&input->info);
  memset (&input->info, 0, sizeof input->info);
  input->info.known_frames = known_frames;
  input->info.mpeg_goes_on = backend == rc_input_backends.primary
                             && rc_input_backends.mpeg != NULL;
  input->state = backend->open (fd, &input->info, cancellable, error);
  if (input->state == NULL)
    {
      *recognised = input->info.recognised;
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
rc_input_open_full (int fd, gint64 known_frames, gboolean *unrecognised,
                    GCancellable *cancellable, GError **error)
{
  g_autoptr(RcInput) input = g_new0 (RcInput, 1);
  g_autoptr(GError) local_error = NULL;
  const RcInputBackend *mpeg = rc_input_backends.mpeg;
  gboolean recognised = FALSE;

  if (unrecognised != NULL)
    *unrecognised = FALSE;
  if (!try_backend (input, rc_input_backends.primary, fd, known_frames, &recognised,
                    cancellable, &local_error))
    {
      gboolean seekable = FALSE;

      /* a stream the backend could not read as it was (damaged, truncated,
       * cancelled, a pipe it has consumed) is not another format's */
      if (unrecognised != NULL && !recognised
          && g_error_matches (local_error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO)
          && rc_audio_fd_is_seekable (fd, &seekable, NULL) && seekable)
        *unrecognised = TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (mpeg != NULL && input->info.seekable && g_strcmp0 (input->info.container, "MPEG") == 0)
    {
      input->backend->close (g_steal_pointer (&input->state));
      if (!try_backend (input, mpeg, fd, known_frames, &recognised, cancellable, error))
        return NULL;
    }
  if (!info_is_sane (&input->info, error))
    return NULL;
  input->description = g_strdup_printf ("%s, %u Hz, %u %s, %s", input->info.container,
                                        input->info.rate, input->info.channels,
                                        input->info.channels == 1 ? "channel" : "channels",
                                        input->info.codec);
  return g_steal_pointer (&input);
}

RcInput *
rc_input_open (int fd, gint64 known_frames, GCancellable *cancellable, GError **error)
{
  return rc_input_open_full (fd, known_frames, NULL, cancellable, error);
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

gboolean
rc_input_seeks_exactly (RcInput *input)
{
  return input->backend->seeks_exactly != NULL && input->backend->seeks_exactly (input->state);
}

gboolean
rc_input_get_pcm_layout (RcInput *input, gint64 *data_offset, guint *channels,
                         gboolean *big_endian)
{
  return input->backend->pcm_layout != NULL
         && input->backend->pcm_layout (input->state, data_offset, channels, big_endian);
}

GStrv
rc_input_supported_formats (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const RcInputBackend *const backends[] = { rc_input_backends.primary, rc_input_backends.mpeg };

  for (guint b = 0; b < G_N_ELEMENTS (backends); b++)
    {
      g_auto(GStrv) more = NULL;

      if (backends[b] == NULL)
        continue;
      more = backends[b]->formats ();
      for (guint i = 0; more[i] != NULL; i++)
        if (!g_ptr_array_find_with_equal_func (names, more[i], g_str_equal, NULL))
          g_ptr_array_add (names, g_strdup (more[i]));
    }
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
