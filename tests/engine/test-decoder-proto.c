/* test-decoder-proto.c: the decoder helper's messages, byte for byte.
 *
 * The expected bytes are written out by hand from the layout documented in
 * rc-decoder-proto.h, not produced by the encoders under test; the parser
 * must refuse every malformed message (it reads what a possibly
 * compromised helper sends) and never read past what it is given.
 */
#include "rc-decoder-proto.h"
#include "rc-error.h"

#include <math.h>
#include <string.h>

static void
assert_bytes (GByteArray *got, const guint8 *want, gsize len)
{
  g_assert_cmpmem (got->data, got->len, want, len);
}

/* Parses bytes whole, and checks that every shorter prefix asks for more. */
static void
parse_ok (const guint8 *bytes, gsize len, RcDecoderMsg *msg)
{
  g_autoptr(GError) error = NULL;
  gsize consumed = 99;

  for (gsize prefix = 0; prefix < len; prefix++)
    {
      /* a copy of exactly `prefix` bytes, so that valgrind or ASan would
       * see a read beyond it */
      g_autofree guint8 *part = g_memdup2 (bytes, prefix);

      g_assert_true (rc_decoder_msg_parse (part, prefix, &consumed, msg, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (consumed, ==, 0);
    }
  g_assert_true (rc_decoder_msg_parse (bytes, len, &consumed, msg, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, len);
}

static void
parse_refused (const guint8 *bytes, gsize len, const char *needle)
{
  g_autoptr(GError) error = NULL;
  RcDecoderMsg msg;
  gsize consumed = 99;

  g_test_message ("expecting a refusal mentioning \"%s\"", needle);
  g_assert_false (rc_decoder_msg_parse (bytes, len, &consumed, &msg, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_FAILED);
  g_assert_cmpuint (consumed, ==, 0);
  if (strstr (error->message, needle) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", error->message, needle);
}

static void
test_read (void)
{
  static const guint8 want[] = {
    16, 0, 0, 0,  1, 0,  0, 0,                  /* 16 bytes, READ, reserved */
    0x01, 0x02, 0, 0, 0, 0, 0, 0,               /* first 0x0201 */
    0x88, 0x77, 0x66, 0x55, 0x04, 0, 0, 0,      /* count 0x455667788 */
  };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RcDecoderMsg msg;

  rc_decoder_msg_add_read (out, 0x0201, G_GUINT64_CONSTANT (0x455667788));
  assert_bytes (out, want, sizeof want);
  parse_ok (want, sizeof want, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_READ);
  g_assert_cmpuint (msg.first, ==, 0x0201);
  g_assert_cmpuint (msg.count, ==, G_GUINT64_CONSTANT (0x455667788));
}

static void
test_probe (void)
{
  static const guint8 want[] = {
    24 + 3, 0, 0, 0,  2, 0,  0, 0,
    0x10, 0x27, 0, 0, 0, 0, 0, 0,               /* 10000 frames */
    0x03, 0, 0, 0,                              /* seekable, PCM */
    0x02, 0, 0, 0,                              /* 2 channels */
    44, 0, 0, 0, 0, 0, 0, 0,                    /* samples at byte 44 */
    'W', 'A', 'V',
  };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RcDecoderMsg msg;

  rc_decoder_msg_add_probe (out, 10000, RC_DECODER_PROBE_SEEKABLE | RC_DECODER_PROBE_PCM,
                            2, 44, "WAV");
  assert_bytes (out, want, sizeof want);
  parse_ok (want, sizeof want, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_PROBE);
  g_assert_cmpint (msg.frames, ==, 10000);
  g_assert_cmpuint (msg.flags, ==, 3);
  g_assert_cmpuint (msg.pcm_channels, ==, 2);
  g_assert_cmpint (msg.pcm_offset, ==, 44);
  g_assert_cmpstr (msg.text, ==, "WAV");
}

/* SEGMENTS (bit 4): with SEEKABLE it is read back; without, a helper
 * claims to seek in what it cannot read again. */
static void
test_probe_segments (void)
{
  static const guint8 want[] = {
    24 + 4, 0, 0, 0,  2, 0,  0, 0,
    0x10, 0x27, 0, 0, 0, 0, 0, 0,               /* 10000 frames */
    0x11, 0, 0, 0,                              /* seekable, segments */
    0, 0, 0, 0,                                 /* no PCM channels */
    0, 0, 0, 0, 0, 0, 0, 0,                     /* no PCM offset */
    'F', 'L', 'A', 'C',
  };
  static const guint8 without_seekable[] = {
    24 + 4, 0, 0, 0,  2, 0,  0, 0,
    0x10, 0x27, 0, 0, 0, 0, 0, 0,
    0x10, 0, 0, 0,                              /* segments alone */
    0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    'F', 'L', 'A', 'C',
  };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RcDecoderMsg msg;

  rc_decoder_msg_add_probe (out, 10000, RC_DECODER_PROBE_SEEKABLE | RC_DECODER_PROBE_SEGMENTS,
                            0, 0, "FLAC");
  assert_bytes (out, want, sizeof want);
  parse_ok (want, sizeof want, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_PROBE);
  g_assert_cmpuint (msg.flags, ==, 0x11);
  parse_refused (without_seekable, sizeof without_seekable, "inconsistent");
}

static void
test_pcm_end_error_formats (void)
{
  static const guint8 pcm[] = { 4, 0, 0, 0,  3, 0,  0, 0,  0x01, 0x02, 0x03, 0x04 };
  static const guint8 end[] = { 0, 0, 0, 0,  4, 0,  0, 0 };
  static const guint8 err[] = { 6, 0, 0, 0,  5, 0,  0, 0,  12, 0, 0, 0,  'n', 'o' };
  static const guint8 formats[] = { 8, 0, 0, 0,  6, 0,  0, 0,  'W', 'A', 'V', ',', 'F', 'L', 'A', 'C' };
  static const guint8 samples[] = { 0x01, 0x02, 0x03, 0x04 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RcDecoderMsg msg;

  rc_decoder_msg_add_pcm (out, samples, sizeof samples);
  assert_bytes (out, pcm, sizeof pcm);
  parse_ok (pcm, sizeof pcm, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_PCM);
  g_assert_true (msg.pcm == pcm + 8);
  g_assert_cmpuint (msg.pcm_len, ==, 4);

  g_byte_array_set_size (out, 0);
  rc_decoder_msg_add_end (out);
  assert_bytes (out, end, sizeof end);
  parse_ok (end, sizeof end, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_END);

  g_byte_array_set_size (out, 0);
  rc_decoder_msg_add_error (out, RC_ERROR_UNSUPPORTED_AUDIO, "no");
  assert_bytes (out, err, sizeof err);
  parse_ok (err, sizeof err, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_ERROR);
  g_assert_cmpuint (msg.code, ==, RC_ERROR_UNSUPPORTED_AUDIO);
  g_assert_cmpstr (msg.text, ==, "no");

  g_byte_array_set_size (out, 0);
  rc_decoder_msg_add_formats (out, "WAV,FLAC");
  assert_bytes (out, formats, sizeof formats);
  parse_ok (formats, sizeof formats, &msg);
  g_assert_cmpstr (msg.text, ==, "WAV,FLAC");
}

/* What the converter does, as phrases; none at all for CD audio.  Empty
 * phrases are refused, and the encoder keeps only whole phrases that fit. */
static void
test_conversions (void)
{
  static const guint8 two[] = { 20, 0, 0, 0,  7, 0,  0, 0,
                                'r', 'e', 's', 'a', 'm', 'p', 'l', 'e', 'd', '\n',
                                'm', 'o', 'n', 'o', ' ', 't', 'o', ' ', 'L', 'R' };
  static const guint8 none[] = { 0, 0, 0, 0,  7, 0,  0, 0 };
  static const guint8 leading[] = { 2, 0, 0, 0,  7, 0,  0, 0,  '\n', 'a' };
  static const guint8 trailing[] = { 2, 0, 0, 0,  7, 0,  0, 0,  'a', '\n' };
  static const guint8 double_break[] = { 4, 0, 0, 0,  7, 0,  0, 0,  'a', '\n', '\n', 'b' };
  static const guint8 bad_utf8[] = { 2, 0, 0, 0,  7, 0,  0, 0,  0xc3, 0x28 };
  const char *const phrases[] = { "resampled", "mono to LR", NULL };
  g_autofree char *huge = g_strnfill (RC_DECODER_MSG_MAX_TEXT, 'x');
  const char *const too_long[] = { "first", huge, "line\nbreak", "", NULL };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RcDecoderMsg msg;

  rc_decoder_msg_add_conversions (out, phrases);
  assert_bytes (out, two, sizeof two);
  parse_ok (two, sizeof two, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_CONVERSIONS);
  g_assert_cmpstr (msg.text, ==, "resampled\nmono to LR");

  g_byte_array_set_size (out, 0);
  rc_decoder_msg_add_conversions (out, NULL);
  assert_bytes (out, none, sizeof none);
  parse_ok (none, sizeof none, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_CONVERSIONS);
  g_assert_cmpstr (msg.text, ==, "");

  /* the huge phrase does not fit after "first"; the line break becomes a
   * space; the empty phrase is left out */
  g_byte_array_set_size (out, 0);
  rc_decoder_msg_add_conversions (out, too_long);
  parse_ok (out->data, out->len, &msg);
  g_assert_cmpstr (msg.text, ==, "first\nline break");

  parse_refused (leading, sizeof leading, "empty phrase");
  parse_refused (trailing, sizeof trailing, "empty phrase");
  parse_refused (double_break, sizeof double_break, "empty phrase");
  parse_refused (bad_utf8, sizeof bad_utf8, "UTF-8");
}

/* The count of clipped samples: exactly 8 bytes, no more than a stream of
 * the most frames can hold in both channels. */
static void
test_clipped (void)
{
  static const guint8 known[] = { 8, 0, 0, 0,  8, 0,  0, 0,
                                  0xd0, 0x34, 0x04, 0, 0, 0, 0, 0 };   /* 275,664 */
  static const guint8 most[] = { 8, 0, 0, 0,  8, 0,  0, 0,
                                 0, 0, 0, 0, 0, 0, 0x08, 0 };          /* 2^51 */
  static const guint8 too_many[] = { 8, 0, 0, 0,  8, 0,  0, 0,
                                     1, 0, 0, 0, 0, 0, 0x08, 0 };      /* 2^51 + 1 */
  static const guint8 short_payload[] = { 4, 0, 0, 0,  8, 0,  0, 0,  1, 0, 0, 0 };
  static const guint8 empty[] = { 0, 0, 0, 0,  8, 0,  0, 0 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RcDecoderMsg msg;

  rc_decoder_msg_add_clipped (out, 275664);
  assert_bytes (out, known, sizeof known);
  parse_ok (known, sizeof known, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_CLIPPED);
  g_assert_cmpuint (msg.clipped, ==, 275664);

  parse_ok (most, sizeof most, &msg);
  g_assert_cmpuint (msg.clipped, ==, G_GUINT64_CONSTANT (1) << 51);

  parse_refused (too_many, sizeof too_many, "clipped samples");
  parse_refused (short_payload, sizeof short_payload, "wrong length");
  parse_refused (empty, sizeof empty, "wrong length");
}

/* MEASURE: 2 to 256 ascending frame positions, 8 bytes each. */
static void
test_measure (void)
{
  static const guint8 known[] = { 24, 0, 0, 0,  9, 0,  0, 0,
                                  0, 0, 0, 0, 0, 0, 0, 0,
                                  0x44, 0xac, 0, 0, 0, 0, 0, 0,            /* 44,100 */
                                  0x88, 0x58, 0x01, 0, 0, 0, 0, 0 };       /* 88,200 */
  static const guint8 one[] = { 8, 0, 0, 0,  9, 0,  0, 0,  1, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 odd[] = { 12, 0, 0, 0,  9, 0,  0, 0,
                                1, 0, 0, 0, 0, 0, 0, 0,  2, 0, 0, 0 };
  static const guint8 equal[] = { 16, 0, 0, 0,  9, 0,  0, 0,
                                  5, 0, 0, 0, 0, 0, 0, 0,  5, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 descending[] = { 16, 0, 0, 0,  9, 0,  0, 0,
                                       6, 0, 0, 0, 0, 0, 0, 0,  5, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 huge[] = { 16, 0, 0, 0,  9, 0,  0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 0,  1, 0, 0, 0, 0, 0, 0x04, 0 };  /* 2^50 + 1 */
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) too_many = g_byte_array_new ();
  guint64 marks[RC_DECODER_MAX_MARKS + 1];
  RcDecoderMsg msg;

  rc_decoder_msg_add_measure (out, (const guint64[]) { 0, 44100, 88200 }, 3);
  assert_bytes (out, known, sizeof known);
  parse_ok (known, sizeof known, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_MEASURE);
  g_assert_cmpuint (msg.n_marks, ==, 3);
  g_assert_cmpuint (msg.marks[0], ==, 0);
  g_assert_cmpuint (msg.marks[1], ==, 44100);
  g_assert_cmpuint (msg.marks[2], ==, 88200);

  /* the most marks pass; one more is refused by its length */
  for (guint i = 0; i <= RC_DECODER_MAX_MARKS; i++)
    marks[i] = 1000 * (guint64) i;
  rc_decoder_msg_add_measure (too_many, marks, RC_DECODER_MAX_MARKS);
  parse_ok (too_many->data, too_many->len, &msg);
  g_assert_cmpuint (msg.n_marks, ==, RC_DECODER_MAX_MARKS);
  g_assert_cmpuint (msg.marks[RC_DECODER_MAX_MARKS - 1], ==, 1000 * (RC_DECODER_MAX_MARKS - 1));
  g_byte_array_set_size (too_many, 0);
  g_byte_array_append (too_many, (const guint8[]) { 0x08, 0x08, 0, 0,  9, 0,  0, 0 }, 8);
  for (guint i = 0; i <= RC_DECODER_MAX_MARKS; i++)
    {
      guint8 le[8] = { 0 };

      le[0] = (guint8) (i & 0xff);
      le[1] = (guint8) (i >> 8);
      g_byte_array_append (too_many, le, 8);
    }
  parse_refused (too_many->data, too_many->len, "wrong length");

  parse_refused (one, sizeof one, "wrong length");
  parse_refused (odd, sizeof odd, "wrong length");
  parse_refused (equal, sizeof equal, "ascending");
  parse_refused (descending, sizeof descending, "ascending");
  parse_refused (huge, sizeof huge, "ascending");
}

/* A LEVELS message of the given fields, as a hostile helper could write
 * it (the encoder would not let some of them through). */
static GByteArray *
raw_levels (guint64 first, guint64 frames, guint32 peak, guint32 flags, double true_peak,
            double loudness)
{
  GByteArray *out = g_byte_array_new ();
  guint8 b[48] = { 40, 0, 0, 0,  10, 0,  0, 0 };
  guint64 tp, lu;

  memcpy (&tp, &true_peak, 8);
  memcpy (&lu, &loudness, 8);
  for (guint i = 0; i < 8; i++)
    {
      b[8 + i] = (guint8) (first >> (8 * i));
      b[16 + i] = (guint8) (frames >> (8 * i));
      b[32 + i] = (guint8) (tp >> (8 * i));
      b[40 + i] = (guint8) (lu >> (8 * i));
    }
  for (guint i = 0; i < 4; i++)
    {
      b[24 + i] = (guint8) (peak >> (8 * i));
      b[28 + i] = (guint8) (flags >> (8 * i));
    }
  g_byte_array_append (out, b, sizeof b);
  return out;
}

/* LEVELS: finite values that 16-bit audio can have, nothing else. */
static void
test_levels (void)
{
  /* first 588, 44,100 frames, peak 16,384, loudness, true peak 0.5
   * (0x3fe0000000000000), -23.0 LUFS (0xc037000000000000) */
  static const guint8 known[] = { 40, 0, 0, 0,  10, 0,  0, 0,
                                  0x4c, 0x02, 0, 0, 0, 0, 0, 0,
                                  0x44, 0xac, 0, 0, 0, 0, 0, 0,
                                  0, 0x40, 0, 0,  1, 0, 0, 0,
                                  0, 0, 0, 0, 0, 0, 0xe0, 0x3f,
                                  0, 0, 0, 0, 0, 0, 0x37, 0xc0 };
  struct { GByteArray *bytes; const char *needle; } refused[] = {
    { raw_levels (0, 1, 32769, 1, 1.0, -10.0), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 2, 1.0, -10.0), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 1, NAN, -10.0), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 1, INFINITY, -10.0), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 1, -0.5, -10.0), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 1, 64.5, -10.0), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 1, 1.0, NAN), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 1, 1.0, -INFINITY), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 1, 1.0, -200.5), "no 16-bit audio" },
    { raw_levels (0, 1, 100, 1, 1.0, 30.5), "no 16-bit audio" },
    { raw_levels (0, 1, 0, 0, 0.0, -70.0), "no 16-bit audio" },   /* no loudness, but a value */
    { raw_levels (0, 0, 100, 1, 1.0, -10.0), "impossible range" },
    { raw_levels (G_GUINT64_CONSTANT (1) << 50, 1, 100, 1, 1.0, -10.0), "impossible range" },
  };
  static const guint8 short_payload[] = { 8, 0, 0, 0,  10, 0,  0, 0,  0, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) silence = g_byte_array_new ();
  g_autoptr(GByteArray) edges = NULL;
  RcDecoderMsg msg;

  rc_decoder_msg_add_levels (out, 588, 44100, 16384, RC_DECODER_LEVELS_LOUDNESS, 0.5, -23.0);
  assert_bytes (out, known, sizeof known);
  parse_ok (known, sizeof known, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_LEVELS);
  g_assert_cmpuint (msg.first, ==, 588);
  g_assert_cmpuint (msg.count, ==, 44100);
  g_assert_cmpuint (msg.sample_peak, ==, 16384);
  g_assert_cmpuint (msg.levels_flags, ==, RC_DECODER_LEVELS_LOUDNESS);
  g_assert_cmpfloat (msg.true_peak, ==, 0.5);
  g_assert_cmpfloat (msg.loudness, ==, -23.0);

  /* digital silence: peaks 0, no loudness */
  rc_decoder_msg_add_levels (silence, 0, 1, 0, 0, 0.0, 0.0);
  parse_ok (silence->data, silence->len, &msg);
  g_assert_cmpuint (msg.sample_peak, ==, 0);
  g_assert_cmpuint (msg.levels_flags, ==, 0);

  /* the edges of every range pass */
  edges = raw_levels (0, (guint64) RC_DECODER_MAX_FRAMES, 32768, 1, RC_DECODER_MAX_TRUE_PEAK, 30.0);
  parse_ok (edges->data, edges->len, &msg);
  g_byte_array_unref (edges);
  edges = raw_levels (0, 1, 32768, 1, 0.0, -200.0);
  parse_ok (edges->data, edges->len, &msg);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      parse_refused (refused[i].bytes->data, refused[i].bytes->len, refused[i].needle);
      g_byte_array_unref (refused[i].bytes);
    }
  parse_refused (short_payload, sizeof short_payload, "wrong length");
}

/* A helper's "not mine": a text, like ERROR's but without a code, and
 * never empty. */
static void
test_unrecognised (void)
{
  static const guint8 known[] = { 3, 0, 0, 0,  11, 0,  0, 0,  'M', '4', 'A' };
  static const guint8 empty[] = { 0, 0, 0, 0,  11, 0,  0, 0 };
  static const guint8 bad_utf8[] = { 2, 0, 0, 0,  11, 0,  0, 0,  0xc3, 0x28 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RcDecoderMsg msg;

  rc_decoder_msg_add_unrecognised (out, "M4A");
  assert_bytes (out, known, sizeof known);
  parse_ok (known, sizeof known, &msg);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_UNRECOGNISED);
  g_assert_cmpstr (msg.text, ==, "M4A");

  parse_refused (empty, sizeof empty, "between 1 and");
  parse_refused (bad_utf8, sizeof bad_utf8, "UTF-8");
}

/* Two messages back to back: the first is consumed alone. */
static void
test_stream_of_two (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  RcDecoderMsg msg;
  gsize consumed = 0;

  rc_decoder_msg_add_end (out);
  rc_decoder_msg_add_read (out, 1, 2);
  g_assert_true (rc_decoder_msg_parse (out->data, out->len, &consumed, &msg, &error));
  g_assert_cmpuint (consumed, ==, 8);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_END);
  g_assert_true (rc_decoder_msg_parse (out->data + 8, out->len - 8, &consumed, &msg, &error));
  g_assert_cmpuint (consumed, ==, 24);
  g_assert_cmpint (msg.type, ==, RC_DECODER_MSG_READ);
}

static void
test_refused (void)
{
  static const guint8 reserved[] = { 0, 0, 0, 0,  4, 0,  1, 0 };
  static const guint8 type0[] = { 0, 0, 0, 0,  0, 0,  0, 0 };
  /* the first type past the last one known (UNRECOGNISED, 11) */
  static const guint8 type_past[] = { 0, 0, 0, 0,  12, 0,  0, 0 };
  static const guint8 huge[] = { 0x01, 0x00, 0x01, 0x00,  3, 0,  0, 0 };   /* 65537 bytes */
  static const guint8 pcm_odd[] = { 3, 0, 0, 0,  3, 0,  0, 0,  1, 2, 3 };
  static const guint8 pcm_empty[] = { 0, 0, 0, 0,  3, 0,  0, 0 };
  static const guint8 end_long[] = { 1, 0, 0, 0,  4, 0,  0, 0,  0 };
  static const guint8 read_short[] = { 8, 0, 0, 0,  1, 0,  0, 0,  0, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 read_zero[] = { 16, 0, 0, 0,  1, 0,  0, 0,
                                      0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 read_huge[] = { 16, 0, 0, 0,  1, 0,  0, 0,
                                      0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0x80 };
  static const guint8 error_code[] = { 6, 0, 0, 0,  5, 0,  0, 0,  99, 0, 0, 0,  'n', 'o' };
  static const guint8 error_empty[] = { 4, 0, 0, 0,  5, 0,  0, 0,  12, 0, 0, 0 };
  static const guint8 text_nul[] = { 3, 0, 0, 0,  6, 0,  0, 0,  'a', 0, 'b' };
  static const guint8 text_utf8[] = { 2, 0, 0, 0,  6, 0,  0, 0,  0xc3, 0x28 };
  static const guint8 probe_short[] = { 23, 0, 0, 0,  2, 0,  0, 0,
                                        1, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,
                                        0, 0, 0, 0, 0, 0, 0 };
  /* 0 frames; then PCM without seekable; then 3 channels; then a negative
   * offset; then channels without PCM; then unknown flags */
  static const guint8 probe_bad[][33] = {
    { 25, 0, 0, 0,  2, 0,  0, 0,  0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0,  'x' },
    { 25, 0, 0, 0,  2, 0,  0, 0,  1, 0, 0, 0, 0, 0, 0, 0,  2, 0, 0, 0,  2, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0,  'x' },
    { 25, 0, 0, 0,  2, 0,  0, 0,  1, 0, 0, 0, 0, 0, 0, 0,  3, 0, 0, 0,  3, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0,  'x' },
    { 25, 0, 0, 0,  2, 0,  0, 0,  1, 0, 0, 0, 0, 0, 0, 0,  3, 0, 0, 0,  2, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0xff,  'x' },
    { 25, 0, 0, 0,  2, 0,  0, 0,  1, 0, 0, 0, 0, 0, 0, 0,  1, 0, 0, 0,  2, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0,  'x' },
    { 25, 0, 0, 0,  2, 0,  0, 0,  1, 0, 0, 0, 0, 0, 0, 0,  9, 0, 0, 0,  0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0,  'x' },
  };
  static const char *const probe_needles[] = {
    "0 frames", "inconsistent", "inconsistent", "inconsistent", "inconsistent", "inconsistent",
  };
  g_autofree guint8 *long_text = g_malloc (8 + RC_DECODER_MSG_MAX_TEXT + 1);

  parse_refused (reserved, sizeof reserved, "reserved");
  parse_refused (type0, sizeof type0, "unknown type 0");
  parse_refused (type_past, sizeof type_past, "unknown type 12");
  parse_refused (huge, sizeof huge, "65537 bytes");
  parse_refused (pcm_odd, sizeof pcm_odd, "wrong length");
  parse_refused (pcm_empty, sizeof pcm_empty, "wrong length");
  parse_refused (end_long, sizeof end_long, "wrong length");
  parse_refused (read_short, sizeof read_short, "wrong length");
  parse_refused (read_zero, sizeof read_zero, "impossible range");
  parse_refused (read_huge, sizeof read_huge, "impossible range");
  parse_refused (error_code, sizeof error_code, "unknown error code 99");
  parse_refused (error_empty, sizeof error_empty, "between 1 and");
  parse_refused (text_nul, sizeof text_nul, "UTF-8");
  parse_refused (text_utf8, sizeof text_utf8, "UTF-8");
  parse_refused (probe_short, sizeof probe_short, "wrong length");
  for (guint i = 0; i < G_N_ELEMENTS (probe_bad); i++)
    parse_refused (probe_bad[i], sizeof probe_bad[i], probe_needles[i]);

  /* a text one byte too long */
  memcpy (long_text, (const guint8[]) { (RC_DECODER_MSG_MAX_TEXT + 1) & 0xff,
                                        (RC_DECODER_MSG_MAX_TEXT + 1) >> 8, 0, 0, 6, 0, 0, 0 }, 8);
  memset (long_text + 8, 'a', RC_DECODER_MSG_MAX_TEXT + 1);
  parse_refused (long_text, 8 + RC_DECODER_MSG_MAX_TEXT + 1, "between 1 and");
}

/* What the encoders send is always valid: texts are cut at a character
 * boundary and made valid UTF-8. */
static void
test_texts_made_valid (void)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = NULL;
  RcDecoderMsg msg;
  gsize consumed = 0;

  for (guint i = 0; i < RC_DECODER_MSG_MAX_TEXT; i++)
    g_string_append (long_text, "é");   /* 2 bytes each */
  rc_decoder_msg_add_error (out, RC_ERROR_FAILED, long_text->str);
  g_assert_true (rc_decoder_msg_parse (out->data, out->len, &consumed, &msg, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (msg.text), ==, RC_DECODER_MSG_MAX_TEXT);
  g_assert_true (g_str_has_suffix (msg.text, "é"));

  g_byte_array_set_size (out, 0);
  rc_decoder_msg_add_error (out, RC_ERROR_FAILED, "\xff\xfe bytes");
  g_assert_true (rc_decoder_msg_parse (out->data, out->len, &consumed, &msg, &error));
  g_assert_true (g_utf8_validate (msg.text, -1, NULL));
  g_assert_true (g_str_has_suffix (msg.text, " bytes"));

  g_byte_array_set_size (out, 0);
  rc_decoder_msg_add_error (out, RC_ERROR_FAILED, "");
  g_assert_true (rc_decoder_msg_parse (out->data, out->len, &consumed, &msg, &error));
  g_assert_cmpuint (consumed, ==, out->len);
  bad = g_strdup (msg.text);
  g_assert_cmpuint (strlen (bad), >, 0);
}

/* Every message with any one byte changed, every way: parsed or refused,
 * nothing else (a crash, a read beyond the bytes under valgrind, a
 * message whose fields break the documented rules). */
static void
test_mutations (void)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  gsize starts[6];
  guint n = 0;

  starts[n++] = all->len;
  rc_decoder_msg_add_read (all, 5, 7);
  starts[n++] = all->len;
  rc_decoder_msg_add_probe (all, 1000, 1, 0, 0, "FLAC, 44100 Hz");
  starts[n++] = all->len;
  rc_decoder_msg_add_pcm (all, "abcdefgh", 8);
  starts[n++] = all->len;
  rc_decoder_msg_add_end (all);
  starts[n++] = all->len;
  rc_decoder_msg_add_error (all, RC_ERROR_CANCELLED, "stop");
  starts[n++] = all->len;

  for (guint m = 0; m + 1 < n; m++)
    {
      gsize len = starts[m + 1] - starts[m];

      for (gsize at = 0; at < len; at++)
        for (guint value = 0; value < 256; value++)
          {
            g_autofree guint8 *copy = g_memdup2 (all->data + starts[m], len);
            g_autoptr(GError) error = NULL;
            RcDecoderMsg msg;
            gsize consumed = 0;

            copy[at] = (guint8) value;
            if (!rc_decoder_msg_parse (copy, len, &consumed, &msg, &error))
              {
                g_assert_nonnull (error);
                continue;
              }
            g_assert_no_error (error);
            g_assert_cmpuint (consumed, <=, len);
            if (consumed == 0)
              continue;
            if (msg.type == RC_DECODER_MSG_PCM)
              g_assert_true (msg.pcm_len > 0 && msg.pcm_len % 4 == 0
                             && msg.pcm + msg.pcm_len <= copy + len);
            if (msg.type == RC_DECODER_MSG_PROBE)
              g_assert_true (msg.frames > 0 && msg.frames <= RC_DECODER_MAX_FRAMES);
            if (msg.type == RC_DECODER_MSG_ERROR)
              g_assert_cmpuint (msg.code, <, RC_ERROR_N_CODES);
            if (msg.type == RC_DECODER_MSG_READ)
              g_assert_cmpuint (msg.count, >, 0);
          }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/decoder-proto/read", test_read);
  g_test_add_func ("/decoder-proto/probe", test_probe);
  g_test_add_func ("/decoder-proto/probe-segments", test_probe_segments);
  g_test_add_func ("/decoder-proto/pcm-end-error-formats", test_pcm_end_error_formats);
  g_test_add_func ("/decoder-proto/conversions", test_conversions);
  g_test_add_func ("/decoder-proto/clipped", test_clipped);
  g_test_add_func ("/decoder-proto/measure", test_measure);
  g_test_add_func ("/decoder-proto/levels", test_levels);
  g_test_add_func ("/decoder-proto/unrecognised", test_unrecognised);
  g_test_add_func ("/decoder-proto/two-in-a-row", test_stream_of_two);
  g_test_add_func ("/decoder-proto/refused", test_refused);
  g_test_add_func ("/decoder-proto/texts-made-valid", test_texts_made_valid);
  g_test_add_func ("/decoder-proto/mutations", test_mutations);
  return g_test_run ();
}
