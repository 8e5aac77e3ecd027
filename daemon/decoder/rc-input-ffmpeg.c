/* rc-input-ffmpeg.c: what libsndfile does not read, decoded by FFmpeg's
 * libavformat and libavcodec: MP4/M4A (AAC, ALAC), WavPack, Monkey's
 * Audio (APE), TTA, and Matroska/WebM audio (rc-input-ffmpeg-demux.c
 * lists the codecs).
 *
 * FFmpeg reads far more than that, and can open files and network streams
 * a container names (an MP4 data reference, a playlist).  Here it reads
 * only through an AVIOContext over the client's descriptor, only with the
 * demuxers and decoders listed below, and any attempt to open anything
 * else is refused by io_open, so a hostile file reaches nothing but the
 * code of those few formats.  Decoding is single-threaded: the helper is
 * one process with one thread under a seccomp filter.
 *
 * The length: a lossless codec's container counts its samples exactly
 * (WavPack and APE headers, an MP4 track's sample table); lossy codecs
 * start with the encoder's priming and end with padding, which libavformat
 * and libavcodec remove (MP4 edit lists and iTunSMPB, skip_samples side
 * data), and only decoding says how many samples that leaves: their
 * streams are decoded to the end once when opened.  Samples go through
 * libswresample for their format alone (planar or integer to interleaved
 * float); the rate is left as it is, for rc-convert.
 */
#define _GNU_SOURCE
#include "rc-input-ffmpeg-private.h"

#include "rc-audio-pcm.h"
#include "rc-error.h"

#define SCRATCH_FRAMES  4096

static gint64
stated_frames (RcFfmpegInput *in)
{
  AVStream *st = in->fmt->streams[in->stream];

  if (st->duration <= 0 || st->time_base.num != 1 || st->time_base.den != in->dec->sample_rate
      || (st->start_time != AV_NOPTS_VALUE && st->start_time != 0))
    return -1;
  return st->duration;
}

/* The stream decoded to its end, counted; then opened again at its start.
 * libavcodec removes the priming (skip_samples) but libavformat 5.1 does
 * not cut an MP4's last packet where its edit list ends: a stated
 * duration shorter than what decodes is the end. */
static gboolean
count_frames (RcFfmpegInput *in, GCancellable *cancellable, GError **error)
{
  gint64 stated = stated_frames (in);
  gssize got;
  gint64 counted = 0;

  while ((got = rc_ffmpeg_take_frames (in, NULL, SCRATCH_FRAMES * 16, error)) > 0)
    {
      counted += got;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (got < 0)
    return FALSE;
  rc_ffmpeg_demux_close (in);
  if (!rc_ffmpeg_demux_open (in, error))
    return FALSE;
  in->frames = stated > 0 ? MIN (stated, counted) : counted;
  return TRUE;
}

/* The container's count, where it is exact: lossless codecs whose
 * stream counts time in samples. */
static gint64
container_frames (RcFfmpegInput *in)
{
  return in->codec->lossless ? stated_frames (in) : -1;
}

static guint
source_bits (RcFfmpegInput *in)
{
  if (!in->codec->lossless)
    return 0;
  if (in->dec->bits_per_raw_sample > 0)
    return (guint) in->dec->bits_per_raw_sample;
  switch (av_get_packed_sample_fmt (in->dec->sample_fmt))
    {
    case AV_SAMPLE_FMT_U8:
      return 8;
    case AV_SAMPLE_FMT_S16:
      return 16;
    case AV_SAMPLE_FMT_S32:
      return 32;
    default:
      return 0;  /* float: more than 16 bits of precision */
    }
}

static void
ffmpeg_input_close (gpointer state)
{
  RcFfmpegInput *in = state;

  rc_ffmpeg_demux_close (in);
  av_packet_free (&in->packet);
  av_frame_free (&in->frame);
  g_free (in->pending);
  g_free (in->container);
  g_free (in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcFfmpegInput, ffmpeg_input_close)

static gpointer
ffmpeg_input_open (int fd, RcInputInfo *info, GCancellable *cancellable, GError **error)
{
  g_autoptr(RcFfmpegInput) in = g_new0 (RcFfmpegInput, 1);

  av_log_set_callback (rc_ffmpeg_log);
  if (!rc_audio_fd_is_seekable (fd, &in->seekable, error))
    return NULL;
  in->fd = fd;
  in->frames = -1;
  in->packet = av_packet_alloc ();
  in->frame = av_frame_alloc ();
  if (in->packet == NULL || in->frame == NULL)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED, "FFmpeg: out of memory");
      return NULL;
    }
  if (!rc_ffmpeg_demux_open (in, error))
    {
      /* the container is named once it is one of those read here */
      info->recognised = in->container != NULL;
      return NULL;
    }
  info->recognised = TRUE;
  in->rate = (guint) in->dec->sample_rate;
  in->channels = (guint) in->dec->ch_layout.nb_channels;
  in->frames = container_frames (in);
  if (in->frames < 0 && !in->seekable)
    {
      rc_ffmpeg_fail (in, error, RC_ERROR_UNSUPPORTED_AUDIO,
                      " from a pipe: its length is not known before the end; give it as a file");
      return NULL;
    }
  if (in->frames < 0 && !count_frames (in, cancellable, error))
    return NULL;
  if (in->frames <= 0)
    {
      rc_ffmpeg_fail (in, error, RC_ERROR_UNSUPPORTED_AUDIO, ": contains no audio");
      return NULL;
    }
  info->container = g_strdup (in->container);
  info->codec = g_strdup (in->codec->name);
  info->rate = in->rate;
  info->channels = in->channels;
  info->bits = source_bits (in);
  info->frames = in->frames;
  info->seekable = in->seekable;
  return g_steal_pointer (&in);
}

static gssize
ffmpeg_input_read (gpointer state, float *buf, gsize n_frames, GError **error)
{
  RcFfmpegInput *in = state;
  gsize want = MIN (n_frames, (gsize) MAX (in->frames - in->position, 0));
  gssize got = rc_ffmpeg_take_frames (in, buf, want, error);

  if (got == 0 && want > 0)
    {
      rc_ffmpeg_fail (in, error, RC_ERROR_UNSUPPORTED_AUDIO, ": the stream ended after %"
                      G_GINT64_FORMAT " of its %" G_GINT64_FORMAT " frames",
                      in->position, in->frames);
      return -1;
    }
  return got;
}

/* Exact by decoding: forward from where the stream is, or from its start
 * again (what the codec's own seeking lands on is not sample-exact for
 * every codec and container, decoding from the start is). */
static gboolean
ffmpeg_input_seek (gpointer state, gint64 frame, GError **error)
{
  RcFfmpegInput *in = state;

  if (!in->seekable || frame < 0 || frame > in->frames)
    {
      rc_ffmpeg_fail (in, error, RC_ERROR_INVALID_ARGUMENT, ": cannot go to frame %"
                      G_GINT64_FORMAT, frame);
      return FALSE;
    }
  if (frame < in->position)
    {
      rc_ffmpeg_demux_close (in);
      if (!rc_ffmpeg_demux_open (in, error))
        return FALSE;
    }
  while (in->position < frame)
    {
      gsize step = (gsize) MIN (frame - in->position, (gint64) SCRATCH_FRAMES * 16);
      gssize got = rc_ffmpeg_take_frames (in, NULL, step, error);

      if (got < 0)
        return FALSE;
      if (got == 0)
        {
          rc_ffmpeg_fail (in, error, RC_ERROR_UNSUPPORTED_AUDIO, ": the stream ended after %"
                          G_GINT64_FORMAT " of its %" G_GINT64_FORMAT " frames",
                          in->position, in->frames);
          return FALSE;
        }
    }
  return TRUE;
}

static GStrv
ffmpeg_input_formats (void)
{
  const char *const formats[] = { "M4A", "MP4", "AAC", "ALAC", "WavPack", "APE", "TTA", "MKA",
                                  "WebM", NULL };

  return g_strdupv ((char **) formats);
}

const RcInputBackend rc_input_ffmpeg_backend = {
  .name = "FFmpeg",
  .open = ffmpeg_input_open,
  .read = ffmpeg_input_read,
  .seek = ffmpeg_input_seek,
  .close = ffmpeg_input_close,
  .formats = ffmpeg_input_formats,
};
