/* fuzz-decoder-msg.c: the channel between rawcdd and a decoder helper
 * (rc-decoder-proto.c), in both directions.
 *
 * Input: one mode byte, then the rest.
 *   mode 0: a stream of bytes as one side receives it from the other (a
 *           helper that has read hostile audio is hostile; so, to the
 *           helper, is anything but its READs).  It is taken message by
 *           message as rc_decoder_process_receive() (the daemon) and the
 *           helper's receive_read() do: the header alone first, then the
 *           header and the payload it announced.  Checked: a header the
 *           header check refuses is refused by the whole parse too; a
 *           message cut short is "more bytes needed", never a message; an
 *           accepted message is exactly header plus payload, its fields in
 *           the ranges rc-decoder-proto.h promises, its text UTF-8 without
 *           NUL, and encoding it again gives back the very same bytes.
 *   mode 1: what the encoders send, from hostile values: a description
 *           or error message made of the input's bytes (as a tag or a
 *           library's message may be: invalid UTF-8, over-long), READ
 *           ranges, PCM.  Whatever goes in, the parser must accept what
 *           the encoders produce and read back the same values.
 */
#include "fuzz.h"
#include "rc-decoder-proto.h"
#include "rc-error.h"

#include <string.h>

/* The message encoded again from its parsed fields. */
static GByteArray *
encode (const RcDecoderMsg *msg)
{
  GByteArray *out = g_byte_array_new ();

  switch (msg->type)
    {
    case RC_DECODER_MSG_READ:
      rc_decoder_msg_add_read (out, msg->first, msg->count);
      break;
    case RC_DECODER_MSG_PROBE:
      rc_decoder_msg_add_probe (out, msg->frames, msg->flags, msg->pcm_channels, msg->pcm_offset,
                                msg->text);
      break;
    case RC_DECODER_MSG_PCM:
      rc_decoder_msg_add_pcm (out, msg->pcm, msg->pcm_len);
      break;
    case RC_DECODER_MSG_END:
      rc_decoder_msg_add_end (out);
      break;
    case RC_DECODER_MSG_ERROR:
      rc_decoder_msg_add_error (out, msg->code, msg->text);
      break;
    case RC_DECODER_MSG_FORMATS:
      rc_decoder_msg_add_formats (out, msg->text);
      break;
    case RC_DECODER_MSG_CONVERSIONS:
      {
        g_auto(GStrv) phrases = msg->text[0] != '\0' ? g_strsplit (msg->text, "\n", -1) : NULL;

        rc_decoder_msg_add_conversions (out, (const char *const *) phrases);
      }
      break;
    case RC_DECODER_MSG_CLIPPED:
      rc_decoder_msg_add_clipped (out, msg->clipped);
      break;
    case RC_DECODER_MSG_MEASURE:
      rc_decoder_msg_add_measure (out, msg->marks, msg->n_marks);
      break;
    case RC_DECODER_MSG_LEVELS:
      rc_decoder_msg_add_levels (out, msg->first, msg->count, msg->sample_peak,
                                 msg->levels_flags, msg->true_peak, msg->loudness);
      break;
    case RC_DECODER_MSG_UNRECOGNISED:
      rc_decoder_msg_add_unrecognised (out, msg->text);
      break;
    default:
      g_assert_not_reached ();
    }
  return out;
}

static void
check_fields (const RcDecoderMsg *msg, const guint8 *bytes, gsize consumed)
{
  gsize text_len = strlen (msg->text);

  switch (msg->type)
    {
    case RC_DECODER_MSG_READ:
      g_assert_cmpuint (msg->count, >, 0);
      g_assert_cmpuint (msg->count, <=, (guint64) RC_DECODER_MAX_FRAMES);
      g_assert_cmpuint (msg->first, <=, (guint64) RC_DECODER_MAX_FRAMES);
      break;
    case RC_DECODER_MSG_PROBE:
      g_assert_cmpint (msg->frames, >, 0);
      g_assert_cmpint (msg->frames, <=, RC_DECODER_MAX_FRAMES);
      g_assert_cmpuint (msg->flags & ~RC_DECODER_PROBE_FLAGS_KNOWN, ==, 0);
      if (msg->flags & RC_DECODER_PROBE_PCM)
        {
          g_assert_true (msg->pcm_channels == 1 || msg->pcm_channels == 2);
          g_assert_cmpint (msg->pcm_offset, >=, 0);
        }
      /* only what can be read again can be read in pieces */
      if (msg->flags & RC_DECODER_PROBE_SEGMENTS)
        g_assert_true (msg->flags & RC_DECODER_PROBE_SEEKABLE);
      g_assert_cmpuint (text_len, >, 0);
      break;
    case RC_DECODER_MSG_PCM:
      /* the samples lie inside the message */
      g_assert_cmpuint (msg->pcm_len, >, 0);
      g_assert_cmpuint (msg->pcm_len % 4, ==, 0);
      g_assert_true (msg->pcm == bytes + RC_DECODER_MSG_HEADER_BYTES);
      g_assert_cmpuint (RC_DECODER_MSG_HEADER_BYTES + msg->pcm_len, ==, consumed);
      break;
    case RC_DECODER_MSG_ERROR:
      g_assert_cmpuint (msg->code, <, RC_ERROR_N_CODES);
      g_assert_cmpuint (text_len, >, 0);
      break;
    case RC_DECODER_MSG_FORMATS:
    case RC_DECODER_MSG_UNRECOGNISED:
      g_assert_cmpuint (text_len, >, 0);
      break;
    case RC_DECODER_MSG_CONVERSIONS:
      /* no phrase, or phrases none of which is empty */
      g_assert_true (text_len == 0
                     || (msg->text[0] != '\n' && msg->text[text_len - 1] != '\n'
                         && strstr (msg->text, "\n\n") == NULL));
      break;
    case RC_DECODER_MSG_CLIPPED:
      g_assert_cmpuint (msg->clipped, <=, 2 * (guint64) RC_DECODER_MAX_FRAMES);
      g_assert_cmpuint (consumed, ==, RC_DECODER_MSG_HEADER_BYTES + 8);
      break;
    case RC_DECODER_MSG_MEASURE:
      g_assert_cmpuint (msg->n_marks, >=, 2);
      g_assert_cmpuint (msg->n_marks, <=, RC_DECODER_MAX_MARKS);
      for (guint i = 1; i < msg->n_marks; i++)
        g_assert_cmpuint (msg->marks[i - 1], <, msg->marks[i]);
      g_assert_cmpuint (msg->marks[msg->n_marks - 1], <=, (guint64) RC_DECODER_MAX_FRAMES);
      break;
    case RC_DECODER_MSG_LEVELS:
      /* never a level no 16-bit audio can have, never a NaN */
      g_assert_cmpuint (msg->count, >, 0);
      g_assert_cmpuint (msg->first + msg->count, <=, (guint64) RC_DECODER_MAX_FRAMES);
      g_assert_cmpuint (msg->sample_peak, <=, 32768);
      g_assert_cmpuint (msg->levels_flags & ~RC_DECODER_LEVELS_LOUDNESS, ==, 0);
      g_assert_true (msg->true_peak >= 0.0 && msg->true_peak <= RC_DECODER_MAX_TRUE_PEAK);
      g_assert_true (msg->loudness >= -200.0 && msg->loudness <= 30.0);
      break;
    case RC_DECODER_MSG_END:
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_cmpuint (text_len, <=, RC_DECODER_MSG_MAX_TEXT);
  g_assert_true (g_utf8_validate (msg->text, -1, NULL));
}

static void
receive_stream (const guint8 *data, gsize size)
{
  gsize at = 0;

  while (at < size)
    {
      const guint8 *bytes = data + at;
      gsize left = size - at;
      g_autoptr(GError) header_error = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GByteArray) again = NULL;
      guint32 payload_len = 0;
      gsize consumed = 1;
      RcDecoderMsg msg;

      if (left < RC_DECODER_MSG_HEADER_BYTES)
        {
          /* the channel ended inside a header: more is needed, nothing parsed */
          g_assert_true (rc_decoder_msg_parse (bytes, left, &consumed, &msg, &error));
          g_assert_cmpuint (consumed, ==, 0);
          return;
        }
      if (!rc_decoder_msg_parse_header (bytes, &payload_len, &header_error))
        {
          g_assert_nonnull (header_error);
          g_assert_true (g_utf8_validate (header_error->message, -1, NULL));
          g_assert_false (rc_decoder_msg_parse (bytes, left, &consumed, &msg, &error));
          g_assert_error (error, RC_ERROR, RC_ERROR_FAILED);
          return;
        }
      g_assert_cmpuint (payload_len, <=, RC_DECODER_MSG_MAX_PAYLOAD);
      if (left - RC_DECODER_MSG_HEADER_BYTES < payload_len)
        {
          /* cut short: never taken for a message */
          g_assert_true (rc_decoder_msg_parse (bytes, left, &consumed, &msg, &error));
          g_assert_cmpuint (consumed, ==, 0);
          return;
        }
      /* the daemon parses exactly header and payload; the same message
       * with bytes after it parses the same */
      if (!rc_decoder_msg_parse (bytes, RC_DECODER_MSG_HEADER_BYTES + payload_len, &consumed, &msg,
                                 &error))
        {
          g_autoptr(GError) error2 = NULL;
          gsize consumed2 = 1;

          g_assert_error (error, RC_ERROR, RC_ERROR_FAILED);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_cmpuint (consumed, ==, 0);
          g_assert_false (rc_decoder_msg_parse (bytes, left, &consumed2, &msg, &error2));
          g_assert_nonnull (error2);
          return;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (consumed, ==, RC_DECODER_MSG_HEADER_BYTES + payload_len);
      check_fields (&msg, bytes, consumed);
      again = encode (&msg);
      g_assert_cmpmem (again->data, again->len, bytes, consumed);
      {
        RcDecoderMsg whole;
        gsize consumed2 = 0;

        g_assert_true (rc_decoder_msg_parse (bytes, left, &consumed2, &whole, NULL));
        g_assert_cmpuint (consumed2, ==, consumed);
        g_assert_cmpint (whole.type, ==, msg.type);
      }
      at += consumed;
    }
}

static guint64
take_u64 (const guint8 **p, gsize *left)
{
  guint64 v = 0;

  for (guint i = 0; i < 8 && *left > 0; i++, (*p)++, (*left)--)
    v |= (guint64) **p << (8 * i);
  return v;
}

/* One message out of the encoders, parsed back. */
static void
round_trip (GByteArray *out, RcDecoderMsg *msg)
{
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_assert_true (rc_decoder_msg_parse (out->data, out->len, &consumed, msg, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, out->len);
  check_fields (msg, out->data, consumed);
}

static void
send_messages (const guint8 *data, gsize size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);  /* up to the first NUL, as C text */
  g_autofree char *made = rc_decoder_msg_make_text (text);
  const guint8 *p = data;
  gsize left = size;
  guint64 first = take_u64 (&p, &left) % ((guint64) RC_DECODER_MAX_FRAMES + 1);
  guint64 count = take_u64 (&p, &left) % (guint64) RC_DECODER_MAX_FRAMES + 1;
  gint64 frames = (gint64) (take_u64 (&p, &left) % (guint64) RC_DECODER_MAX_FRAMES) + 1;
  guint32 code = (guint32) (take_u64 (&p, &left) % RC_ERROR_N_CODES);
  RcDecoderMsg msg;

  /* the text every encoder sends: valid, bounded, never empty, and the
   * input itself whenever that was already valid and short enough */
  g_assert_true (g_utf8_validate (made, -1, NULL));
  g_assert_cmpuint (strlen (made), >, 0);
  g_assert_cmpuint (strlen (made), <=, RC_DECODER_MSG_MAX_TEXT);
  if (*text != '\0' && strlen (text) <= RC_DECODER_MSG_MAX_TEXT && g_utf8_validate (text, -1, NULL))
    g_assert_cmpstr (made, ==, text);

  {
    g_autoptr(GByteArray) out = g_byte_array_new ();

    rc_decoder_msg_add_error (out, code, text);
    round_trip (out, &msg);
    g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_ERROR);
    g_assert_cmpuint (msg.code, ==, code);
    g_assert_cmpstr (msg.text, ==, made);
  }
  {
    g_autoptr(GByteArray) out = g_byte_array_new ();

    rc_decoder_msg_add_probe (out, frames, RC_DECODER_PROBE_SEEKABLE, 0, 0, text);
    round_trip (out, &msg);
    g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_PROBE);
    g_assert_cmpint (msg.frames, ==, frames);
    g_assert_cmpstr (msg.text, ==, made);
  }
  {
    g_autoptr(GByteArray) out = g_byte_array_new ();

    rc_decoder_msg_add_formats (out, text);
    round_trip (out, &msg);
    g_assert_cmpstr (msg.text, ==, made);
  }
  {
    g_autoptr(GByteArray) out = g_byte_array_new ();

    rc_decoder_msg_add_read (out, first, count);
    round_trip (out, &msg);
    g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_READ);
    g_assert_cmpuint (msg.first, ==, first);
    g_assert_cmpuint (msg.count, ==, count);
  }
  if (size >= 4)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      gsize len = MIN (size, (gsize) RC_DECODER_MSG_MAX_PAYLOAD) / 4 * 4;

      rc_decoder_msg_add_pcm (out, data, len);
      round_trip (out, &msg);
      g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_PCM);
      g_assert_cmpmem (msg.pcm, msg.pcm_len, data, len);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  if (data[0] % 2 == 0)
    receive_stream (data + 1, size - 1);
  else
    send_messages (data + 1, size - 1);
  return 0;
}
