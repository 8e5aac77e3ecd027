/* rc-input-sndfile.c: libsndfile as an input backend of the decoder helper.
 *
 * The header is read and checked by the same code as the in-process
 * source (rc-sndfile-source.c: pipes read forward with their head kept,
 * placeholder lengths, truncated files, MPEG length counted), with any
 * sample rate accepted; the samples come out as float at the file's own
 * rate, for rc-convert to make CD audio of.
 */
#define _GNU_SOURCE
#include "rc-input.h"
#include "rc-sndfile-private.h"

#include "rc-error.h"

#include <string.h>

typedef struct {
  RcSndfileSource *source;    /* its fd is borrowed: set to -1 before freeing */
  SNDFILE         *sndfile;
  RcFileStream    *file;      /* one of these two is the stream */
  RcPipeStream    *pipe;
  gint64           position;  /* frames delivered so far */
} SndfileInput;

static void
sndfile_input_close (gpointer data)
{
  SndfileInput *input = data;

  if (input->sndfile != NULL)
    sf_close (input->sndfile);
  if (input->pipe != NULL)
    rc_pipe_stream_free (input->pipe);
  g_free (input->file);
  if (input->source != NULL)
    {
      input->source->fd = -1;
      rc_sndfile_source_free (input->source);
    }
  g_free (input);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SndfileInput, sndfile_input_close)

/* The formats only rawcd-decoder-ffmpeg reads, by their first bytes: that
 * helper reads files only (it starts again from offset 0, which a pipe
 * the first helper has consumed cannot), so from a pipe they are refused,
 * and the refusal should say what they are and what to do. */
static const char *
ffmpeg_only_format (const guint8 *head, gsize len)
{
  if (len >= 12 && memcmp (head + 4, "ftyp", 4) == 0)
    return "MP4/M4A";
  if (len >= 4 && memcmp (head, "wvpk", 4) == 0)
    return "WavPack";
  if (len >= 4 && memcmp (head, "MAC ", 4) == 0)
    return "Monkey's Audio (APE)";
  if (len >= 4 && memcmp (head, "TTA1", 4) == 0)
    return "TTA";
  if (len >= 4 && memcmp (head, "\x1a\x45\xdf\xa3", 4) == 0)
    return "Matroska/WebM";
  return NULL;
}

static gpointer
sndfile_input_open (int fd, RcInputInfo *info, GCancellable *cancellable, GError **error)
{
  g_autoptr(SndfileInput) input = g_new0 (SndfileInput, 1);
  RcSndfileSource *source;

  source = input->source = g_new0 (RcSndfileSource, 1);
  source->fd = fd;
  source->format = RC_AUDIO_FORMAT_AUTO;
  source->any_rate = TRUE;
  source->mpeg_counted_elsewhere = info->mpeg_goes_on;
  if (!rc_sndfile_source_setup (source, info->known_frames, cancellable, error))
    {
      const char *only_ffmpeg = NULL;

      /* a malformed file of a format libsndfile knows is its own */
      info->recognised = !source->unrecognised;
      if (!info->recognised && source->pipe != NULL)
        only_ffmpeg = ffmpeg_only_format (source->pipe->head, source->pipe->head_len);
      if (only_ffmpeg != NULL && error != NULL
          && g_error_matches (*error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO))
        {
          g_clear_error (error);
          g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                       "%s audio cannot be read from a pipe, only from a file: "
                       "give the file itself", only_ffmpeg);
        }
      return NULL;
    }

  if (source->is_pipe)
    {
      /* the SNDFILE that read the header reads on: a pipe has one reader */
      input->pipe = g_steal_pointer (&source->pipe);
      input->sndfile = g_steal_pointer (&source->pipe_sndfile);
      input->pipe->streaming = TRUE;
    }
  else
    {
      input->file = g_new0 (RcFileStream, 1);
      input->sndfile = rc_sndfile_source_reopen (source, input->file, error);
      if (input->sndfile == NULL)
        return NULL;
    }

  info->container = rc_sndfile_major_name (source->info.format);
  info->codec = rc_sndfile_subtype_name (source->info.format);
  info->rate = (guint) source->info.samplerate;
  info->channels = (guint) source->info.channels;
  info->bits = rc_sndfile_subtype_bits (source->info.format);
  info->frames = source->frames;
  info->seekable = !source->is_pipe;
  switch (source->info.format & SF_FORMAT_SUBMASK)
    {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_PCM_16:
      /* libsndfile scales these by 1/32768 to float and by 256 (8-bit)
       * or 1 to short: the same values */
      info->reads_s16 = TRUE;
      break;
    default:
      break;
    }
  return g_steal_pointer (&input);
}

/* Reads into floats, or (s16) into shorts. */
static gssize
read_frames (gpointer data, void *buf, gboolean s16, gsize n_frames, GError **error)
{
  SndfileInput *input = data;
  RcSndfileSource *source = input->source;
  gsize want = (gsize) MIN ((gint64) n_frames, source->frames - input->position);
  sf_count_t got = 0;
  int sf_err;

  if (input->pipe != NULL && rc_pipe_stream_cancelled (input->pipe))
    {
      g_propagate_error (error, g_steal_pointer (&input->pipe->error));
      return -1;
    }
  if (want == 0)
    return 0;  /* the header's length is the stream's: nothing after it counts */

  got = s16 ? sf_readf_short (input->sndfile, buf, (sf_count_t) want)
            : sf_readf_float (input->sndfile, buf, (sf_count_t) want);
  if (got > 0)
    input->position += got;
  sf_err = sf_error (input->sndfile);

  /* The stream's own failure (cancelled, an I/O error) explains best. */
  if (input->pipe != NULL && input->pipe->error != NULL)
    g_propagate_error (error, g_steal_pointer (&input->pipe->error));
  else if (input->file != NULL && input->file->read_errno != 0)
    g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                 "%s: reading frame %" G_GINT64_FORMAT " failed: %s",
                 source->description, input->position,
                 g_strerror (input->file->read_errno));
  /* A decoder may report damage and still deliver every frame (libFLAC
   * skips a frame it cannot decode): that is not the audio either. */
  else if (sf_err != SF_ERR_NO_ERROR)
    g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                 "%s: decoding failed after %" G_GINT64_FORMAT
                 " of the %" G_GINT64_FORMAT " frames declared: %s",
                 source->description, input->position, source->frames,
                 sf_strerror (input->sndfile));
  else if (got <= 0)
    g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                 "%s: the audio ended early: %" G_GINT64_FORMAT
                 " frames arrived of the %" G_GINT64_FORMAT " declared",
                 source->description, input->position, source->frames);
  else
    return (gssize) got;
  return -1;
}

static gssize
sndfile_input_read (gpointer data, float *buf, gsize n_frames, GError **error)
{
  return read_frames (data, buf, FALSE, n_frames, error);
}

static gssize
sndfile_input_read_s16 (gpointer data, gint16 *buf, gsize n_frames, GError **error)
{
  return read_frames (data, buf, TRUE, n_frames, error);
}

static gboolean
sndfile_input_seek (gpointer data, gint64 frame, GError **error)
{
  SndfileInput *input = data;

  if (input->pipe != NULL || frame < 0 || frame > input->source->frames
      || sf_seek (input->sndfile, frame, SEEK_SET) != frame)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "%s: cannot go to frame %" G_GINT64_FORMAT "%s",
                   input->source->description, frame,
                   input->pipe != NULL ? ": the audio comes from a pipe" : "");
      return FALSE;
    }
  input->position = frame;
  return TRUE;
}

gboolean
rc_input_sndfile_get_pcm_layout (gpointer  state,
                                 gint64   *data_offset,
                                 guint    *channels,
                                 gboolean *big_endian)
{
  SndfileInput *input = state;
  RcSndfileSource *source = input->source;

  if (source->is_pipe || source->pcm_offset < 0)
    return FALSE;
  *data_offset = source->pcm_offset;
  *channels = (guint) source->info.channels;
  *big_endian = source->pcm_big_endian;
  return TRUE;
}

gboolean
rc_input_sndfile_seeks_exactly (gpointer state)
{
  SndfileInput *input = state;
  int major = input->source->info.format & SF_FORMAT_TYPEMASK;
  int subtype = input->source->info.format & SF_FORMAT_SUBMASK;

  if (input->pipe != NULL)
    return FALSE;
  /* libFLAC seeks to the sample (FLAC is lossless: a frame decodes the
   * same whichever way it was reached) */
  if (major == SF_FORMAT_FLAC)
    return TRUE;
  /* Uncompressed samples in plain containers: a seek is arithmetic on the
   * byte offset.  Block codecs (ADPCM, GSM) and lossy streams keep state
   * across blocks and are left to one decoder. */
  if (major != SF_FORMAT_WAV && major != SF_FORMAT_WAVEX && major != SF_FORMAT_W64
      && major != SF_FORMAT_RF64 && major != SF_FORMAT_AIFF && major != SF_FORMAT_CAF
      && major != SF_FORMAT_AU)
    return FALSE;
  switch (subtype)
    {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_PCM_16:
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW:
      return TRUE;
    default:
      return FALSE;
    }
}

const RcInputBackend rc_input_sndfile_backend = {
  .name = "libsndfile",
  .open = sndfile_input_open,
  .read = sndfile_input_read,
  .seek = sndfile_input_seek,
  .close = sndfile_input_close,
  .read_s16 = sndfile_input_read_s16,
  .formats = rc_audio_supported_formats,
  .seeks_exactly = rc_input_sndfile_seeks_exactly,
  .pcm_layout = rc_input_sndfile_get_pcm_layout,
};
