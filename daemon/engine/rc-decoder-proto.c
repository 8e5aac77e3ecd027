/* rc-decoder-proto.c: encoding and parsing the decoder helper's messages.
 * Parsing is pure (bytes in, a message or an error out) so that a fuzzer
 * can drive it; every field is checked, nothing is trusted. */
#include "rc-decoder-proto.h"

#include "rc-error.h"

#include <math.h>
#include <string.h>

static guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint64
get_u64 (const guint8 *p)
{
  return (guint64) get_u32 (p) | (guint64) get_u32 (p + 4) << 32;
}

static void
put_u32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
put_u64 (GByteArray *out, guint64 v)
{
  put_u32 (out, (guint32) v);
  put_u32 (out, (guint32) (v >> 32));
}

static void
put_header (GByteArray *out, RcDecoderMsgType type, gsize payload_len)
{
  guint8 b[4] = { type & 0xff, (type >> 8) & 0xff, 0, 0 };

  g_assert (payload_len <= RC_DECODER_MSG_MAX_PAYLOAD);
  put_u32 (out, (guint32) payload_len);
  g_byte_array_append (out, b, 4);
}

gboolean
rc_decoder_msg_parse_header (const guint8  header[RC_DECODER_MSG_HEADER_BYTES],
                             guint32       *payload_len,
                             GError       **error)
{
  guint32 len = get_u32 (header);
  guint type = header[4] | header[5] << 8;

  if (header[6] != 0 || header[7] != 0)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                           "a decoder message has reserved bits set");
      return FALSE;
    }
  if (type < RC_DECODER_MSG_READ || type > RC_DECODER_MSG_UNRECOGNISED)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "a decoder message has the unknown type %u", type);
      return FALSE;
    }
  if (len > RC_DECODER_MSG_MAX_PAYLOAD)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "a decoder message of %u bytes is larger than the %u allowed",
                   len, (guint) RC_DECODER_MSG_MAX_PAYLOAD);
      return FALSE;
    }
  *payload_len = len;
  return TRUE;
}

static gboolean
parse_text (const guint8 *p, gsize len, RcDecoderMsg *msg, GError **error)
{
  if (len == 0 || len > RC_DECODER_MSG_MAX_TEXT)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "a decoder message's text of %" G_GSIZE_FORMAT " bytes is not "
                   "between 1 and %u bytes long", len, (guint) RC_DECODER_MSG_MAX_TEXT);
      return FALSE;
    }
  if (memchr (p, 0, len) != NULL || !g_utf8_validate ((const char *) p, (gssize) len, NULL))
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                           "a decoder message's text is not valid UTF-8");
      return FALSE;
    }
  memcpy (msg->text, p, len);
  msg->text[len] = '\0';
  return TRUE;
}

/* Phrases separated by '\n': none (0 bytes), or each non-empty. */
static gboolean
parse_phrases (const guint8 *p, gsize len, RcDecoderMsg *msg, GError **error)
{
  if (len == 0)
    return TRUE;
  if (!parse_text (p, len, msg, error))
    return FALSE;
  if (msg->text[0] == '\n' || msg->text[len - 1] == '\n' || strstr (msg->text, "\n\n") != NULL)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                           "a decoder sent an empty phrase in its list of conversions");
      msg->text[0] = '\0';
      return FALSE;
    }
  return TRUE;
}

static gboolean
bad_length (guint type, gsize len, GError **error)
{
  g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
               "a decoder message of type %u has a payload of the wrong length (%"
               G_GSIZE_FORMAT " bytes)", type, len);
  return FALSE;
}

static double
get_f64 (const guint8 *p)
{
  guint64 bits = get_u64 (p);
  double v;

  memcpy (&v, &bits, sizeof v);
  return v;
}

static void
put_f64 (GByteArray *out, double v)
{
  guint64 bits;

  memcpy (&bits, &v, sizeof bits);
  put_u64 (out, bits);
}

static gboolean
parse_measure (const guint8 *p, gsize len, RcDecoderMsg *msg, GError **error)
{
  if (len % 8 != 0 || len < 16 || len > 8 * RC_DECODER_MAX_MARKS)
    return bad_length (RC_DECODER_MSG_MEASURE, len, error);
  msg->n_marks = (guint) (len / 8);
  for (guint i = 0; i < msg->n_marks; i++)
    {
      msg->marks[i] = get_u64 (p + 8 * i);
      if (msg->marks[i] > (guint64) RC_DECODER_MAX_FRAMES
          || (i > 0 && msg->marks[i] <= msg->marks[i - 1]))
        {
          g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                               "a decoder was asked to measure segments that are not "
                               "in ascending order within a stream");
          return FALSE;
        }
    }
  return TRUE;
}

/* What a hostile helper could claim is refused here, so that rawcdd never
 * shows a client a level no audio can have (or a NaN). */
static gboolean
parse_levels (const guint8 *p, gsize len, RcDecoderMsg *msg, GError **error)
{
  gboolean has_loudness;

  if (len != 40)
    return bad_length (RC_DECODER_MSG_LEVELS, len, error);
  msg->first = get_u64 (p);
  msg->count = get_u64 (p + 8);
  msg->sample_peak = get_u32 (p + 16);
  msg->levels_flags = get_u32 (p + 20);
  msg->true_peak = get_f64 (p + 24);
  msg->loudness = get_f64 (p + 32);
  has_loudness = (msg->levels_flags & RC_DECODER_LEVELS_LOUDNESS) != 0;
  if (msg->count == 0 || msg->first > (guint64) RC_DECODER_MAX_FRAMES
      || msg->count > (guint64) RC_DECODER_MAX_FRAMES - msg->first)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                           "a decoder reported levels of an impossible range of frames");
      return FALSE;
    }
  if (msg->sample_peak > 32768
      || (msg->levels_flags & ~RC_DECODER_LEVELS_LOUDNESS) != 0
      || !isfinite (msg->true_peak) || msg->true_peak < 0.0
      || msg->true_peak > RC_DECODER_MAX_TRUE_PEAK
      || !isfinite (msg->loudness)
      || (has_loudness ? msg->loudness < -200.0 || msg->loudness > 30.0
                       : msg->loudness != 0.0))
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                           "a decoder reported levels that no 16-bit audio can have");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_probe (const guint8 *p, gsize len, RcDecoderMsg *msg, GError **error)
{
  gboolean pcm;

  if (len < 24)
    return bad_length (RC_DECODER_MSG_PROBE, len, error);
  msg->frames = (gint64) get_u64 (p);
  msg->flags = get_u32 (p + 8);
  msg->pcm_channels = get_u32 (p + 12);
  msg->pcm_offset = (gint64) get_u64 (p + 16);
  pcm = (msg->flags & RC_DECODER_PROBE_PCM) != 0;
  if (msg->frames <= 0 || msg->frames > RC_DECODER_MAX_FRAMES)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "a decoder reported %" G_GINT64_FORMAT " frames", msg->frames);
      return FALSE;
    }
  if ((msg->flags & ~RC_DECODER_PROBE_FLAGS_KNOWN) != 0
      || (pcm && (msg->flags & RC_DECODER_PROBE_SEEKABLE) == 0)
      || ((msg->flags & RC_DECODER_PROBE_SEGMENTS) != 0
          && (msg->flags & RC_DECODER_PROBE_SEEKABLE) == 0)
      || (!pcm && (msg->flags & RC_DECODER_PROBE_PCM_BIG_ENDIAN) != 0)
      || (pcm ? (msg->pcm_channels != 1 && msg->pcm_channels != 2) : msg->pcm_channels != 0)
      || (pcm ? msg->pcm_offset < 0 || msg->pcm_offset > G_MAXINT64 / 2 : msg->pcm_offset != 0))
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                           "a decoder reported an inconsistent layout");
      return FALSE;
    }
  return parse_text (p + 24, len - 24, msg, error);
}

gboolean
rc_decoder_msg_parse (const guint8  *bytes,
                      gsize          len,
                      gsize         *consumed,
                      RcDecoderMsg  *msg,
                      GError       **error)
{
  guint32 payload_len = 0;
  const guint8 *p;

  *consumed = 0;
  memset (msg, 0, sizeof *msg);
  if (len < RC_DECODER_MSG_HEADER_BYTES)
    return TRUE;
  if (!rc_decoder_msg_parse_header (bytes, &payload_len, error))
    return FALSE;
  if (len - RC_DECODER_MSG_HEADER_BYTES < payload_len)
    return TRUE;
  msg->type = bytes[4] | bytes[5] << 8;
  p = bytes + RC_DECODER_MSG_HEADER_BYTES;

  switch (msg->type)
    {
    case RC_DECODER_MSG_READ:
      if (payload_len != 16)
        return bad_length (msg->type, payload_len, error);
      msg->first = get_u64 (p);
      msg->count = get_u64 (p + 8);
      if (msg->count == 0 || msg->first > (guint64) RC_DECODER_MAX_FRAMES
          || msg->count > (guint64) RC_DECODER_MAX_FRAMES)
        {
          g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                               "a decoder was asked for an impossible range of frames");
          return FALSE;
        }
      break;
    case RC_DECODER_MSG_PROBE:
      if (!parse_probe (p, payload_len, msg, error))
        return FALSE;
      break;
    case RC_DECODER_MSG_PCM:
      if (payload_len == 0 || payload_len % 4 != 0)
        return bad_length (msg->type, payload_len, error);
      msg->pcm = p;
      msg->pcm_len = payload_len;
      break;
    case RC_DECODER_MSG_END:
      if (payload_len != 0)
        return bad_length (msg->type, payload_len, error);
      break;
    case RC_DECODER_MSG_ERROR:
      if (payload_len < 4)
        return bad_length (msg->type, payload_len, error);
      msg->code = get_u32 (p);
      if (msg->code >= RC_ERROR_N_CODES)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "a decoder reported the unknown error code %u", msg->code);
          return FALSE;
        }
      if (!parse_text (p + 4, payload_len - 4, msg, error))
        return FALSE;
      break;
    case RC_DECODER_MSG_FORMATS:
    case RC_DECODER_MSG_UNRECOGNISED:
      if (!parse_text (p, payload_len, msg, error))
        return FALSE;
      break;
    case RC_DECODER_MSG_CONVERSIONS:
      if (!parse_phrases (p, payload_len, msg, error))
        return FALSE;
      break;
    case RC_DECODER_MSG_CLIPPED:
      if (payload_len != 8)
        return bad_length (msg->type, payload_len, error);
      msg->clipped = get_u64 (p);
      /* at most every sample of a stereo stream of the most frames */
      if (msg->clipped > 2 * (guint64) RC_DECODER_MAX_FRAMES)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "a decoder reported %" G_GUINT64_FORMAT " clipped samples, "
                       "more than a stream can hold", msg->clipped);
          return FALSE;
        }
      break;
    case RC_DECODER_MSG_MEASURE:
      if (!parse_measure (p, payload_len, msg, error))
        return FALSE;
      break;
    case RC_DECODER_MSG_LEVELS:
      if (!parse_levels (p, payload_len, msg, error))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();  /* the header check knows the types */
    }
  *consumed = RC_DECODER_MSG_HEADER_BYTES + payload_len;
  return TRUE;
}

char *
rc_decoder_msg_make_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL && *text != '\0' ? text : "?", -1);
  const char *end = valid;

  /* the longest run of whole characters that fits */
  while (*end != '\0')
    {
      const char *next = g_utf8_next_char (end);

      if (next - valid > RC_DECODER_MSG_MAX_TEXT)
        break;
      end = next;
    }
  return g_strndup (valid, (gsize) (end - valid));
}

static void
put_text (GByteArray *out, const char *text)
{
  g_byte_array_append (out, (const guint8 *) text, (guint) strlen (text));
}

void
rc_decoder_msg_add_read (GByteArray *out, guint64 first, guint64 count)
{
  put_header (out, RC_DECODER_MSG_READ, 16);
  put_u64 (out, first);
  put_u64 (out, count);
}

void
rc_decoder_msg_add_probe (GByteArray *out, gint64 frames, guint32 flags,
                          guint32 pcm_channels, gint64 pcm_offset,
                          const char *description)
{
  g_autofree char *text = rc_decoder_msg_make_text (description);

  put_header (out, RC_DECODER_MSG_PROBE, 24 + strlen (text));
  put_u64 (out, (guint64) frames);
  put_u32 (out, flags);
  put_u32 (out, pcm_channels);
  put_u64 (out, (guint64) pcm_offset);
  put_text (out, text);
}

void
rc_decoder_msg_add_pcm (GByteArray *out, const void *pcm, gsize len)
{
  put_header (out, RC_DECODER_MSG_PCM, len);
  g_byte_array_append (out, pcm, (guint) len);
}

void
rc_decoder_msg_add_end (GByteArray *out)
{
  put_header (out, RC_DECODER_MSG_END, 0);
}

void
rc_decoder_msg_add_error (GByteArray *out, guint32 code, const char *message)
{
  g_autofree char *text = rc_decoder_msg_make_text (message);

  put_header (out, RC_DECODER_MSG_ERROR, 4 + strlen (text));
  put_u32 (out, code);
  put_text (out, text);
}

void
rc_decoder_msg_add_formats (GByteArray *out, const char *formats)
{
  g_autofree char *text = rc_decoder_msg_make_text (formats);

  put_header (out, RC_DECODER_MSG_FORMATS, strlen (text));
  put_text (out, text);
}

void
rc_decoder_msg_add_conversions (GByteArray *out, const char *const *phrases)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; phrases != NULL && phrases[i] != NULL; i++)
    {
      g_autofree char *phrase = g_utf8_make_valid (phrases[i], -1);

      g_strdelimit (phrase, "\n", ' ');
      if (*phrase == '\0'
          || text->len + (text->len > 0 ? 1 : 0) + strlen (phrase) > RC_DECODER_MSG_MAX_TEXT)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, phrase);
    }
  put_header (out, RC_DECODER_MSG_CONVERSIONS, text->len);
  put_text (out, text->str);
}

void
rc_decoder_msg_add_clipped (GByteArray *out, guint64 clipped)
{
  put_header (out, RC_DECODER_MSG_CLIPPED, 8);
  put_u64 (out, clipped);
}

void
rc_decoder_msg_add_measure (GByteArray *out, const guint64 *marks, guint n_marks)
{
  g_assert (n_marks >= 2 && n_marks <= RC_DECODER_MAX_MARKS);
  put_header (out, RC_DECODER_MSG_MEASURE, 8 * (gsize) n_marks);
  for (guint i = 0; i < n_marks; i++)
    put_u64 (out, marks[i]);
}

void
rc_decoder_msg_add_levels (GByteArray *out, guint64 first, guint64 frames,
                           guint32 sample_peak, guint32 flags,
                           double true_peak, double loudness)
{
  put_header (out, RC_DECODER_MSG_LEVELS, 40);
  put_u64 (out, first);
  put_u64 (out, frames);
  put_u32 (out, sample_peak);
  put_u32 (out, flags);
  put_f64 (out, true_peak);
  put_f64 (out, loudness);
}

void
rc_decoder_msg_add_unrecognised (GByteArray *out, const char *message)
{
  g_autofree char *text = rc_decoder_msg_make_text (message);

  put_header (out, RC_DECODER_MSG_UNRECOGNISED, strlen (text));
  put_text (out, text);
}
