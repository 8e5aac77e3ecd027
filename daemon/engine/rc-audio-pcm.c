/* rc-audio-pcm.c: 16-bit PCM read straight from a seekable descriptor. */
#define _GNU_SOURCE
#include "rc-audio-pcm.h"

#include "rc-audio-source-private.h"
#include "rc-error.h"

#include <errno.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  int       fd;          /* owned */
  gint64    offset;
  gint64    frames;
  guint     channels;
  gboolean  big_endian;
  char     *description;
} PcmSource;

typedef struct {
  PcmSource *pcm;        /* borrowed: the generic reader keeps the source */
  gint64     position;
} PcmReader;

gboolean
rc_audio_fd_is_seekable (int fd, gboolean *seekable, GError **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "cannot examine the audio descriptor: %s", g_strerror (errno));
      return FALSE;
    }
  *seekable = S_ISREG (st.st_mode) || S_ISBLK (st.st_mode);
  return TRUE;
}

gint64
rc_audio_fd_length (int fd)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return -1;
  if (S_ISBLK (st.st_mode))
    {
      guint64 size = 0;

      if (ioctl (fd, BLKGETSIZE64, &size) != 0)
        return -1;
      return (gint64) MIN (size, (guint64) G_MAXINT64);
    }
  return st.st_size;
}

static guint
frame_bytes (const PcmSource *pcm)
{
  return 2 * pcm->channels;
}

static gpointer
pcm_open_reader (RcAudioSource *source, gpointer source_data, GError **error)
{
  PcmSource *pcm = source_data;
  gint64 length = rc_audio_fd_length (pcm->fd);
  PcmReader *reader;

  if (length < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "%s: cannot find the length of the audio: %s",
                   pcm->description, g_strerror (errno));
      return NULL;
    }
  if ((length - pcm->offset) / frame_bytes (pcm) < pcm->frames)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "the audio changed since it was added: it was %s, %" G_GINT64_FORMAT
                   " frames, and the file now holds %" G_GINT64_FORMAT,
                   pcm->description, pcm->frames,
                   MAX (length - pcm->offset, 0) / frame_bytes (pcm));
      return NULL;
    }
  reader = g_new0 (PcmReader, 1);
  reader->pcm = pcm;
  return reader;
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

static gboolean
pcm_read (gpointer reader_data, gint16 *buf, gsize n_frames, gsize *got, GError **error)
{
  PcmReader *reader = reader_data;
  const PcmSource *pcm = reader->pcm;
  gsize want = n_frames * frame_bytes (pcm);
  gsize done = 0;
  gsize samples;
  gboolean complete = TRUE;

  *got = 0;
  while (done < want)
    {
      gint64 at = pcm->offset + reader->position * frame_bytes (pcm) + (gint64) done;
      gssize n = pread (pcm->fd, (guint8 *) buf + done, want - done, at);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "%s: reading frame %" G_GINT64_FORMAT " failed: %s",
                       pcm->description, reader->position + (gint64) (done / frame_bytes (pcm)),
                       g_strerror (errno));
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                       "%s: the audio ended early: %" G_GINT64_FORMAT
                       " frames arrived of the %" G_GINT64_FORMAT " declared",
                       pcm->description,
                       reader->position + (gint64) (done / frame_bytes (pcm)), pcm->frames);
          /* what did arrive is handed out: the failure comes after it */
          n_frames = done / frame_bytes (pcm);
          complete = FALSE;
          break;
        }
      done += (gsize) n;
    }

  samples = n_frames * pcm->channels;
  if (pcm->big_endian != (G_BYTE_ORDER == G_BIG_ENDIAN))
    for (gsize i = 0; i < samples; i++)
      buf[i] = (gint16) GUINT16_SWAP_LE_BE ((guint16) buf[i]);
  if (pcm->channels == 1)
    mono_to_stereo (buf, n_frames);
  reader->position += (gint64) n_frames;
  *got = n_frames;
  return complete;
}

static void
pcm_free_source (gpointer data)
{
  PcmSource *pcm = data;

  if (pcm->fd >= 0)
    close (pcm->fd);
  g_free (pcm->description);
  g_free (pcm);
}

static const RcAudioBackend pcm_backend = {
  .open_reader = pcm_open_reader,
  .read = pcm_read,
  .free_reader = g_free,
  .free_source = pcm_free_source,
  .unconverted = TRUE,   /* 16-bit samples as stored: nothing can clip */
};

RcAudioSource *
rc_audio_pcm_source_new (int         fd,
                         gint64      offset,
                         gint64      frames,
                         guint       channels,
                         gboolean    big_endian,
                         const char *description)
{
  PcmSource *pcm = g_new0 (PcmSource, 1);

  g_return_val_if_fail (channels == 1 || channels == 2, NULL);
  pcm->fd = fd;
  pcm->offset = offset;
  pcm->frames = frames;
  pcm->channels = channels;
  pcm->big_endian = big_endian;
  pcm->description = g_strdup (description);
  return rc_audio_source_new_with_backend (&pcm_backend, pcm, frames, description, TRUE);
}

/* The checks of headerless audio; fd stays the caller's. */
static gboolean
check_raw (int fd, gint64 *length, GError **error)
{
  gboolean seekable = FALSE;

  if (!rc_audio_fd_is_seekable (fd, &seekable, error))
    return FALSE;
  if (!seekable)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                           "headerless audio from a pipe: the length of audio from a pipe "
                           "must be declared in its header");
      return FALSE;
    }
  *length = rc_audio_fd_length (fd);
  if (*length < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "cannot find the length of the audio: %s", g_strerror (errno));
      return FALSE;
    }
  if (*length == 0)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                           "headerless audio: contains no audio");
      return FALSE;
    }
  if (*length % 4 != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "headerless 16-bit stereo audio comes in 4-byte frames, "
                   "but it is %" G_GINT64_FORMAT " bytes long",
                   *length);
      return FALSE;
    }
  return TRUE;
}

RcAudioSource *
rc_audio_raw_source_new (int fd, GError **error)
{
  return rc_audio_raw_source_new_full (fd, FALSE, error);
}

RcAudioSource *
rc_audio_raw_source_new_full (int fd, gboolean big_endian, GError **error)
{
  gint64 length = 0;

  if (!check_raw (fd, &length, error))
    {
      close (fd);
      return NULL;
    }
  return rc_audio_pcm_source_new (fd, 0, length / 4, 2, big_endian,
                                  big_endian ? "RAW, 44100 Hz, 2 channels, 16-bit PCM big-endian"
                                             : "RAW, 44100 Hz, 2 channels, 16-bit PCM");
}
