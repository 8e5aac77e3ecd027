/* rc-decoder-proto.h: the messages between rawcdd and a decoder helper.
 *
 * The channel is a stream socket.  Every message is an 8-byte header,
 * little-endian: the payload's length (u32, at most
 * RC_DECODER_MSG_MAX_PAYLOAD) and its type (u16) and a reserved u16 that
 * must be 0; then the payload.  Both sides parse what they receive with
 * rc_decoder_msg_parse(), a pure function of the bytes (it is what the
 * fuzzer drives), and refuse anything malformed: a helper is treated as
 * hostile, since it has read hostile input.
 *
 *   READ    daemon -> helper  u64 first frame, u64 frame count (> 0); a
 *                             first frame other than where the last READ
 *                             ended seeks there when PROBE said SEGMENTS
 *   PROBE   helper -> daemon  i64 frames, u32 flags, u32 PCM channels,
 *                             i64 PCM data offset, text: description
 *   PCM     helper -> daemon  interleaved stereo s16 frames, host order
 *   END     helper -> daemon  the range of the last READ is complete
 *   ERROR   helper -> daemon  u32 RcError code, text: message
 *   FORMATS helper -> daemon  text: the formats read, comma-separated
 *   CONVERSIONS helper -> daemon  right after a probe helper's PROBE: what
 *                             is done to the source to make CD audio, as
 *                             phrases separated by '\n' ("resampled from
 *                             48,000 Hz"); empty for CD audio
 *   CLIPPED helper -> daemon  right before each END: u64 samples clipped
 *                             by conversion in the frames converted so
 *                             far, counted from the stream's start (at
 *                             most 2 * RC_DECODER_MAX_FRAMES); a helper
 *                             that seeks (SEGMENTS) counts only the frames
 *                             it converted, so the helpers of one stream's
 *                             pieces add up to the whole
 *   MEASURE daemon -> helper  before the first READ, when levels are
 *                             wanted: u64 frame positions, ascending, 2 to
 *                             RC_DECODER_MAX_MARKS of them.  Each pair of
 *                             neighbours bounds a segment (a track's
 *                             range of the stream) to be measured apart;
 *                             such a helper is read in order, never seeks
 *   LEVELS  helper -> daemon  the levels of one segment, sent before the
 *                             PCM message that holds its last frame:
 *                             u64 first frame, u64 frames (> 0), u32
 *                             sample peak (largest |sample|, 0..32768),
 *                             u32 flags, f64 true peak (linear, 1.0 = full
 *                             scale, finite, 0..RC_DECODER_MAX_TRUE_PEAK),
 *                             f64 integrated loudness in LUFS (finite,
 *                             -200..+30) with RC_DECODER_LEVELS_LOUDNESS,
 *                             else 0 (nothing above the -70 LUFS gate:
 *                             silence).  The f64s are IEEE 754 binary64.
 *   UNRECOGNISED helper -> daemon  instead of PROBE: text: why this helper's
 *                             decoders refused the stream; sent only for a
 *                             seekable descriptor, which another helper
 *                             (rawcd-decoder-ffmpeg) may read from its start
 *
 * A text is the rest of the payload: UTF-8 without NUL, 1 to
 * RC_DECODER_MSG_MAX_TEXT bytes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_DECODER_MSG_HEADER_BYTES 8
/* A PCM payload of 16384 frames; the others are far smaller. */
#define RC_DECODER_MSG_MAX_PAYLOAD  (64 * 1024)
#define RC_DECODER_MSG_MAX_TEXT     1024
/* The most frames a probe may report: far beyond any CD (the disc model
 * refuses what does not fit), far below any overflow. */
#define RC_DECODER_MAX_FRAMES       (G_GINT64_CONSTANT (1) << 50)

typedef enum {
  RC_DECODER_MSG_READ = 1,
  RC_DECODER_MSG_PROBE,
  RC_DECODER_MSG_PCM,
  RC_DECODER_MSG_END,
  RC_DECODER_MSG_ERROR,
  RC_DECODER_MSG_FORMATS,
  RC_DECODER_MSG_CONVERSIONS,
  RC_DECODER_MSG_CLIPPED,
  RC_DECODER_MSG_MEASURE,
  RC_DECODER_MSG_LEVELS,
  RC_DECODER_MSG_UNRECOGNISED,
} RcDecoderMsgType;

/* MEASURE: a source is cut into at most 100 ranges (99 tracks and the
 * special pregap), each bounded by two marks. */
#define RC_DECODER_MAX_MARKS       256
/* LEVELS: a 16-bit signal's peak between samples stays far below this;
 * anything above is a lie. */
#define RC_DECODER_MAX_TRUE_PEAK   64.0
#define RC_DECODER_LEVELS_LOUDNESS (1u << 0)  /* loudness holds a value */

/* PROBE flags */
#define RC_DECODER_PROBE_SEEKABLE       (1u << 0)  /* can be read again */
#define RC_DECODER_PROBE_PCM            (1u << 1)  /* plain s16 at pcm_offset */
#define RC_DECODER_PROBE_PCM_BIG_ENDIAN (1u << 2)
/* (1u << 3) stays unused: tests name it as an unknown flag. */
/* Seeking is sample-exact and decoding from a seek gives the very bytes
 * that decoding from the start gives there (no resampler, a format that
 * seeks to the sample): pieces of the stream may be decoded by several
 * helpers at once, each sent READs that start anywhere.  Only with
 * SEEKABLE. */
#define RC_DECODER_PROBE_SEGMENTS       (1u << 4)
#define RC_DECODER_PROBE_FLAGS_KNOWN    0x17u

typedef struct {
  RcDecoderMsgType type;
  guint64          first;        /* READ */
  guint64          count;        /* READ */
  gint64           frames;       /* PROBE */
  guint32          flags;        /* PROBE */
  guint32          pcm_channels; /* PROBE: 1 or 2 with RC_DECODER_PROBE_PCM, else 0 */
  gint64           pcm_offset;   /* PROBE */
  guint32          code;         /* ERROR: an RcError */
  guint64          clipped;      /* CLIPPED */
  guint            n_marks;      /* MEASURE */
  guint64          marks[RC_DECODER_MAX_MARKS]; /* MEASURE */
  guint32          sample_peak;  /* LEVELS (first, count: the segment) */
  guint32          levels_flags; /* LEVELS */
  double           true_peak;    /* LEVELS */
  double           loudness;     /* LEVELS */
  const guint8    *pcm;          /* PCM: points into the parsed bytes */
  gsize            pcm_len;      /* PCM: a multiple of 4, > 0 */
  /* PROBE, ERROR, FORMATS, UNRECOGNISED; CONVERSIONS (may be empty: no phrase) */
  char             text[RC_DECODER_MSG_MAX_TEXT + 1];
} RcDecoderMsg;

/* Parses one message from the start of bytes.  TRUE with *consumed set to
 * its length when a whole valid message is there; TRUE with *consumed 0
 * when more bytes are needed; FALSE (RC_ERROR_FAILED, saying what is wrong)
 * when the bytes are no valid message. */
gboolean rc_decoder_msg_parse (const guint8  *bytes,
                               gsize          len,
                               gsize         *consumed,
                               RcDecoderMsg  *msg,
                               GError       **error);

/* Checks a header alone: the payload length that follows, or FALSE. */
gboolean rc_decoder_msg_parse_header (const guint8  header[RC_DECODER_MSG_HEADER_BYTES],
                                      guint32       *payload_len,
                                      GError       **error);

/* Encoders: append one whole message to out. */
void     rc_decoder_msg_add_read    (GByteArray *out, guint64 first, guint64 count);
void     rc_decoder_msg_add_probe   (GByteArray *out, gint64 frames, guint32 flags,
                                     guint32 pcm_channels, gint64 pcm_offset,
                                     const char *description);
void     rc_decoder_msg_add_pcm     (GByteArray *out, const void *pcm, gsize len);
void     rc_decoder_msg_add_end     (GByteArray *out);
void     rc_decoder_msg_add_error   (GByteArray *out, guint32 code, const char *message);
void     rc_decoder_msg_add_formats (GByteArray *out, const char *formats);
void     rc_decoder_msg_add_clipped (GByteArray *out, guint64 clipped);
void     rc_decoder_msg_add_unrecognised (GByteArray *out, const char *message);
void     rc_decoder_msg_add_measure (GByteArray *out, const guint64 *marks, guint n_marks);
void     rc_decoder_msg_add_levels  (GByteArray *out, guint64 first, guint64 frames,
                                     guint32 sample_peak, guint32 flags,
                                     double true_peak, double loudness);
/* The phrases that fit whole in RC_DECODER_MSG_MAX_TEXT bytes, each made
 * valid UTF-8 without line breaks; the others are left out. */
void     rc_decoder_msg_add_conversions (GByteArray *out, const char *const *phrases);

/* A text cut to RC_DECODER_MSG_MAX_TEXT bytes at a character boundary,
 * with invalid UTF-8 replaced, never empty: what the encoders send. */
char    *rc_decoder_msg_make_text   (const char *text);

G_END_DECLS
