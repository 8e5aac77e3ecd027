/* rc-input-ffmpeg-private.h: the pieces of the FFmpeg input backend.
 *
 * rc-input-ffmpeg-io.c reads the descriptor for libavformat, refuses
 * everything else it might open, and turns FFmpeg's errors into ours;
 * rc-input-ffmpeg-demux.c opens the container and decoder and delivers
 * interleaved float frames; rc-input-ffmpeg.c is the backend of
 * rc-input.h (the length, reading, seeking).
 */
#pragma once

#include "rc-input.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>

G_BEGIN_DECLS

/* libavformat's demuxer names (av_match_list matches any of a demuxer's
 * comma-separated names) and libavcodec's decoder names: nothing else is
 * ever used.  Not here: containers that record no encoder delay, whose
 * lossy audio could not be joined gaplessly (ADTS AAC, ASF/WMA). */
#define RC_FFMPEG_DEMUXERS "mov,wv,ape,tta,matroska"
#define RC_FFMPEG_DECODERS "aac,alac,wavpack,ape,tta,opus,vorbis,flac"

typedef struct {
  enum AVCodecID id;
  const char    *name;
  gboolean       lossless;
} RcFfmpegCodec;

typedef struct {
  int              fd;          /* borrowed */
  gboolean         seekable;
  gint64           pos;         /* of the next pread() */
  int              read_errno;  /* the first failed read, 0 if none */

  AVIOContext     *avio;
  AVFormatContext *fmt;
  AVCodecContext  *dec;
  SwrContext      *swr;
  AVPacket        *packet;
  AVFrame         *frame;
  int              stream;
  gboolean         flushed;     /* the decoder was told the stream ended */
  gboolean         drained;     /* and has given everything */

  /* converted frames not yet delivered */
  float           *pending;
  gsize            pending_frames;
  gsize            pending_at;
  gsize            pending_cap;

  const RcFfmpegCodec *codec;
  char            *container;
  guint            channels;
  guint            rate;
  gint64           frames;      /* -1 until known */
  gint64           position;
} RcFfmpegInput;


/* --- rc-input-ffmpeg-io.c ---------------------------------------------- */

int      rc_ffmpeg_io_read        (void *opaque, uint8_t *buf, int size);
int64_t  rc_ffmpeg_io_seek        (void *opaque, int64_t offset, int whence);
int      rc_ffmpeg_refuse_io_open (AVFormatContext *s, AVIOContext **pb, const char *url,
                                   int flags, AVDictionary **options);
void     rc_ffmpeg_log            (void *avcl, int level, const char *format, va_list args);
void     rc_ffmpeg_forget_last_message (void);
/* "ALAC in MP4"; "WavPack" where the codec names its container. */
char    *rc_ffmpeg_stream_name    (RcFfmpegInput *in);
/* An error from FFmpeg's code rc, while `doing`: FFmpeg's own last message
 * where it gave one. */
void     rc_ffmpeg_set_error      (RcFfmpegInput *in, const char *doing, int rc,
                                   GError **error);
/* UnsupportedAudio (or `code`), the message after the stream's name. */
void     rc_ffmpeg_fail           (RcFfmpegInput *in, GError **error, int code,
                                   const char *format, ...) G_GNUC_PRINTF (4, 5);

/* --- rc-input-ffmpeg-demux.c ------------------------------------------- */

/* Opens the container from its first byte, and the decoder of its audio. */
gboolean rc_ffmpeg_demux_open     (RcFfmpegInput *in, GError **error);
void     rc_ffmpeg_demux_close    (RcFfmpegInput *in);
/* Up to n frames into buf (NULL: skipped); 0 at the decoder's end. */
gssize   rc_ffmpeg_take_frames    (RcFfmpegInput *in, float *buf, gsize n, GError **error);

G_END_DECLS
