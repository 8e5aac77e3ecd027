/* rc-input-ffmpeg-demux.c: the container and decoder of an FFmpeg
 * input, and its decoded frames as interleaved float.
 *
 * Only the demuxers and decoders of RC_FFMPEG_DEMUXERS and
 * RC_FFMPEG_DECODERS run; decoding is single-threaded.  libswresample
 * converts the sample format alone (planar or integer to interleaved
 * float): the rate is left as it is, for rc-convert.
 */
#define _GNU_SOURCE
#include "rc-input-ffmpeg-private.h"

#include "rc-error.h"

#include <libavutil/avstring.h>
#include <string.h>

#define IO_BUFFER_BYTES (64 * 1024)

static const RcFfmpegCodec codec_names[] = {
  { AV_CODEC_ID_AAC, "AAC", FALSE },
  { AV_CODEC_ID_ALAC, "ALAC", TRUE },
  { AV_CODEC_ID_WAVPACK, "WavPack", TRUE },
  { AV_CODEC_ID_APE, "Monkey's Audio", TRUE },
  { AV_CODEC_ID_TTA, "TTA", TRUE },
  { AV_CODEC_ID_OPUS, "Opus", FALSE },
  { AV_CODEC_ID_VORBIS, "Vorbis", FALSE },
  { AV_CODEC_ID_FLAC, "FLAC", TRUE },
};

void
rc_ffmpeg_demux_close (RcFfmpegInput *in)
{
  swr_free (&in->swr);
  avcodec_free_context (&in->dec);
  avformat_close_input (&in->fmt);  /* leaves our AVIOContext (CUSTOM_IO) */
  if (in->avio != NULL)
    av_freep (&in->avio->buffer);
  avio_context_free (&in->avio);
  in->pending_frames = in->pending_at = 0;
  in->flushed = in->drained = FALSE;
  in->position = 0;
}

static const RcFfmpegCodec *
find_codec_name (enum AVCodecID id)
{
  for (guint i = 0; i < G_N_ELEMENTS (codec_names); i++)
    if (codec_names[i].id == id)
      return &codec_names[i];
  return NULL;
}

static const char *
container_name (const AVInputFormat *format)
{
  if (av_match_name ("mov", format->name))
    return "MP4";
  if (av_match_name ("wv", format->name))
    return "WavPack";
  if (av_match_name ("ape", format->name))
    return "Monkey's Audio";
  if (av_match_name ("matroska", format->name))
    return "Matroska";
  return "TTA";
}

/* Opens the container from its first byte and the decoder of its first
 * audio stream. */
gboolean
rc_ffmpeg_demux_open (RcFfmpegInput *in, GError **error)
{
  const AVInputFormat *format = NULL;
  const AVCodec *codec = NULL;
  AVStream *st;
  guint8 *buffer;
  int rc;

  in->pos = 0;
  buffer = av_malloc (IO_BUFFER_BYTES);
  in->avio = avio_alloc_context (buffer, IO_BUFFER_BYTES, 0, in, rc_ffmpeg_io_read, NULL,
                                 in->seekable ? rc_ffmpeg_io_seek : NULL);
  in->fmt = avformat_alloc_context ();
  if (buffer == NULL || in->avio == NULL || in->fmt == NULL)
    {
      if (in->avio == NULL)
        av_free (buffer);
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED, "FFmpeg: out of memory");
      return FALSE;
    }
  in->avio->seekable = in->seekable ? AVIO_SEEKABLE_NORMAL : 0;
  in->fmt->pb = in->avio;
  in->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
  in->fmt->io_open = rc_ffmpeg_refuse_io_open;
  in->fmt->format_whitelist = av_strdup (RC_FFMPEG_DEMUXERS);
  in->fmt->codec_whitelist = av_strdup (RC_FFMPEG_DECODERS);
  in->fmt->protocol_whitelist = av_strdup ("");
  rc_ffmpeg_forget_last_message ();
  /* What the bytes are, among every format FFmpeg knows, to say so when
   * it is one not read here. */
  rc = av_probe_input_buffer2 (in->avio, &format, NULL, NULL, 0, 0);
  if (rc < 0)
    {
      rc_ffmpeg_set_error (in, "not audio that can be read", rc, error);
      return FALSE;
    }
  if (av_match_list (format->name, RC_FFMPEG_DEMUXERS, ',') <= 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, "%s: not a format read here",
                   format->long_name != NULL ? format->long_name : format->name);
      return FALSE;
    }
  if (in->container == NULL)
    in->container = g_strdup (container_name (format));
  rc = avformat_open_input (&in->fmt, NULL, format, NULL);  /* frees fmt on failure */
  if (rc < 0)
    {
      rc_ffmpeg_set_error (in, "the container is damaged", rc, error);
      return FALSE;
    }
  rc = avformat_find_stream_info (in->fmt, NULL);
  if (rc >= 0)
    rc = av_find_best_stream (in->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (rc < 0)
    {
      g_autofree char *doing = g_strdup_printf ("%s: no audio stream that can be decoded",
                                                in->container);

      rc_ffmpeg_set_error (in, doing, rc, error);
      return FALSE;
    }
  in->stream = rc;
  st = in->fmt->streams[in->stream];
  in->codec = find_codec_name (st->codecpar->codec_id);
  if (in->codec == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, "%s audio in %s: not read here",
                   avcodec_get_name (st->codecpar->codec_id), in->container);
      return FALSE;
    }
  /* everything else in the container is never read */
  for (guint i = 0; i < in->fmt->nb_streams; i++)
    if ((int) i != in->stream)
      in->fmt->streams[i]->discard = AVDISCARD_ALL;

  in->dec = avcodec_alloc_context3 (codec);
  if (in->dec == NULL)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED, "FFmpeg: out of memory");
      return FALSE;
    }
  rc = avcodec_parameters_to_context (in->dec, st->codecpar);
  in->dec->thread_count = 1;
  in->dec->pkt_timebase = st->time_base;
  in->dec->codec_whitelist = av_strdup (RC_FFMPEG_DECODERS);
  if (rc >= 0)
    rc = avcodec_open2 (in->dec, codec, NULL);
  if (rc < 0)
    {
      rc_ffmpeg_set_error (in, "the decoder cannot start", rc, error);
      return FALSE;
    }
  if (in->dec->sample_rate <= 0 || in->dec->ch_layout.nb_channels <= 0)
    {
      rc_ffmpeg_fail (in, error, RC_ERROR_UNSUPPORTED_AUDIO, ": the header is damaged");
      return FALSE;
    }
  /* the same format of the same rate and channels, interleaved float */
  rc = swr_alloc_set_opts2 (&in->swr, &in->dec->ch_layout, AV_SAMPLE_FMT_FLT,
                            in->dec->sample_rate, &in->dec->ch_layout, in->dec->sample_fmt,
                            in->dec->sample_rate, 0, NULL);
  if (rc >= 0)
    rc = swr_init (in->swr);
  if (rc < 0)
    {
      rc_ffmpeg_set_error (in, "the sample format cannot be converted", rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Converts one decoded frame into `pending`. */
static gboolean
convert_frame (RcFfmpegInput *in, GError **error)
{
  AVFrame *frame = in->frame;
  int got;

  if (frame->sample_rate != (int) in->rate || frame->ch_layout.nb_channels != (int) in->channels
      || frame->format != in->dec->sample_fmt)
    {
      rc_ffmpeg_fail (in, error, RC_ERROR_UNSUPPORTED_AUDIO,
                      ": the format changes inside the stream");
      return FALSE;
    }
  if ((gsize) frame->nb_samples > in->pending_cap)
    {
      in->pending_cap = (gsize) frame->nb_samples;
      in->pending = g_renew (float, in->pending, in->pending_cap * in->channels);
    }
  got = swr_convert (in->swr, (uint8_t **) &in->pending, frame->nb_samples,
                     (const uint8_t **) frame->extended_data, frame->nb_samples);
  if (got < 0)
    {
      rc_ffmpeg_set_error (in, "converting samples failed", got, error);
      return FALSE;
    }
  in->pending_frames = (gsize) got;
  in->pending_at = 0;
  return TRUE;
}

/* Decodes until `pending` holds frames or the stream has ended. */
static gboolean
decode_more (RcFfmpegInput *in, GError **error)
{
  while (in->pending_at >= in->pending_frames && !in->drained)
    {
      int rc = avcodec_receive_frame (in->dec, in->frame);

      if (rc == 0)
        {
          gboolean ok = convert_frame (in, error);

          av_frame_unref (in->frame);
          if (!ok)
            return FALSE;
          continue;
        }
      if (rc == AVERROR_EOF)
        {
          in->drained = TRUE;
          break;
        }
      if (rc != AVERROR (EAGAIN))
        {
          rc_ffmpeg_set_error (in, "decoding failed", rc, error);
          return FALSE;
        }
      /* the decoder wants the next packet of our stream */
      rc = av_read_frame (in->fmt, in->packet);
      if (rc == AVERROR_EOF)
        {
          in->flushed = TRUE;
          rc = avcodec_send_packet (in->dec, NULL);
        }
      else if (rc >= 0)
        {
          if (in->packet->stream_index == in->stream)
            rc = avcodec_send_packet (in->dec, in->packet);
          av_packet_unref (in->packet);
        }
      if (rc < 0 && rc != AVERROR_EOF)
        {
          rc_ffmpeg_set_error (in, in->flushed ? "decoding failed" : "reading the container failed",
                        rc, error);
          return FALSE;
        }
    }
  return TRUE;
}

/* Up to n frames into buf (NULL: skipped); 0 at the decoder's end. */
gssize
rc_ffmpeg_take_frames (RcFfmpegInput *in, float *buf, gsize n, GError **error)
{
  gsize done = 0;

  while (done < n)
    {
      gsize step;

      if (!decode_more (in, error))
        return -1;
      step = MIN (n - done, in->pending_frames - in->pending_at);
      if (step == 0)
        break;
      if (buf != NULL)
        memcpy (buf + done * in->channels, in->pending + in->pending_at * in->channels,
                step * in->channels * sizeof (float));
      in->pending_at += step;
      done += step;
    }
  in->position += (gint64) done;
  return (gssize) done;
}

/* The stream's duration in samples as its container states it (an MP4
 * edit list's, for one), or -1. */
