/* test-known-answers.c: byte-level known answers of the engine, worked out
 * by hand from docs/cd-format.md (section numbers below refer to it).
 *
 * Every expected value is a literal with the arithmetic that gives it in a
 * comment.  The only computed expectation is the Q CRC of the hand-written
 * Q bytes: it comes from the bitwise CRC below (ref_crc16), which is written
 * independently of the engine and is itself checked against the vectors of
 * the spec.
 */
#include "rc-cd.h"
#include "rc-codes.h"
#include "rc-crc.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-layout.h"
#include "rc-msf.h"
#include "rc-subchannel.h"
#include "test-util.h"

#include <string.h>

/* ---------------------------------------------------------------------- */
/* helpers                                                                 */

/* CRC-16, polynomial 0x1021, initial 0, no reflection, one bit at a time. */
static guint16
ref_crc16 (const guint8 *data, gsize len)
{
  guint16 crc = 0;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= (guint16) (data[i] << 8);
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc & 0x8000) ? (guint16) ((crc << 1) ^ 0x1021) : (guint16) (crc << 1);
    }
  return crc;
}

static char *
hex_string (const guint8 *data, gsize len)
{
  GString *str = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (str, i ? " %02X" : "%02X", data[i]);
  return g_string_free (str, FALSE);
}

/* A Q known answer: bytes 0..9 by hand; 10..11 are the inverted CRC. */
typedef struct {
  gint   lba;
  guint8 q[10];
} QAnswer;

/* Compares the 12 Q bytes of every entry, logging each mismatch, so that a
 * failure shows all the wrong sectors at once. */
static void
check_q_answers (const RcLayout *layout, const QAnswer *answers, gsize n)
{
  guint failures = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint8 expected[12];
      guint8 got[12];
      guint16 crc;

      memcpy (expected, answers[i].q, 10);
      crc = ref_crc16 (expected, 10) ^ 0xFFFF;
      expected[10] = crc >> 8;
      expected[11] = crc & 0xff;
      memset (got, 0x5A, sizeof got);
      rc_subchannel_q (layout, answers[i].lba, got);
      if (memcmp (got, expected, 12) != 0)
        {
          g_autofree char *e = hex_string (expected, 12);
          g_autofree char *g = hex_string (got, 12);
          g_test_message ("Q of LBA %d: expected %s, got %s", answers[i].lba, e, g);
          failures++;
        }
    }
  g_assert_cmpuint (failures, ==, 0);
}

typedef struct {
  gint     lba;
  gboolean p;
} PAnswer;

static void
check_p_answers (const RcLayout *layout, const PAnswer *answers, gsize n)
{
  guint failures = 0;

  for (gsize i = 0; i < n; i++)
    {
      gboolean got = rc_subchannel_p (layout, answers[i].lba);
      if (!got != !answers[i].p)
        {
          g_test_message ("P of LBA %d: expected %d, got %d",
                          answers[i].lba, answers[i].p, got);
          failures++;
        }
    }
  g_assert_cmpuint (failures, ==, 0);
}

static void
assert_bytes (GBytes *bytes, const guint8 *expected, gsize len)
{
  gsize got_len = 0;
  const guint8 *got = g_bytes_get_data (bytes, &got_len);
  g_autofree char *e = hex_string (expected, len);
  g_autofree char *g = hex_string (got, got_len);

  g_assert_cmpstr (g, ==, e);
}

typedef struct {
  guint         sectors;
  RcCopySetting copy;
  gboolean      preemphasis;
  const char   *isrc;        /* NULL for none */
  gint          index_offset; /* 0 for none */
} TrackSpec;

/* A frozen layout of whole-sector pattern tracks. */
static RcLayout *
build_layout (gboolean disable_gapless, gint starting_track, const char *mcn,
              guint special_pregap, const TrackSpec *tracks, guint n_tracks)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  RcLayout *layout;

  g_assert_true (rc_disc_set_disable_gapless_audio (disc, disable_gapless, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_set_starting_track_number (disc, starting_track, &error));
  g_assert_no_error (error);
  if (mcn != NULL)
    {
      g_assert_true (rc_disc_set_media_catalog_number (disc, mcn, &error));
      g_assert_no_error (error);
    }
  if (special_pregap > 0)
    {
      g_autoptr(RcAudioSource) pregap = test_pattern_source (99, special_pregap);
      g_assert_true (rc_disc_set_special_pregap (disc, pregap, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < n_tracks; i++)
    {
      g_autoptr(RcAudioSource) source = test_pattern_source (i + 1, tracks[i].sectors);
      guint index = rc_disc_add_track (disc, source, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (index, ==, i + 1);
      g_assert_true (rc_disc_track_set_copy_setting (disc, index, tracks[i].copy, &error));
      g_assert_no_error (error);
      g_assert_true (rc_disc_track_set_preemphasis (disc, index, tracks[i].preemphasis, &error));
      g_assert_no_error (error);
      if (tracks[i].isrc != NULL)
        {
          g_assert_true (rc_disc_track_set_isrc (disc, index, tracks[i].isrc, &error));
          g_assert_no_error (error);
        }
      if (tracks[i].index_offset != 0)
        {
          gboolean existed = TRUE;
          g_assert_true (rc_disc_track_add_index (disc, index, tracks[i].index_offset,
                                                  &existed, &error));
          g_assert_no_error (error);
          g_assert_false (existed);
        }
    }
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (layout);
  return layout;
}

/* ---------------------------------------------------------------------- */
/* CRC (§4, §9)                                                            */

static const guint8 q_vector[10] = { 0x01, 0x00, 0xA0, 0x98, 0x06, 0x12, 0x00, 0x01, 0x00, 0x00 };

static void
test_crc_q_vector (void)
{
  /* §4: 01 00 A0 98 06 12 00 01 00 00 -> E3 74 on disc (inverted), so the
   * plain CRC is E374 ^ FFFF = 1C8B. */
  g_assert_cmphex (rc_crc16 (q_vector, sizeof q_vector), ==, 0x1C8B);
  g_assert_cmphex (rc_crc16 (q_vector, sizeof q_vector) ^ 0xFFFF, ==, 0xE374);
  /* the reference used by the Q tests agrees with the spec too */
  g_assert_cmphex (ref_crc16 (q_vector, sizeof q_vector) ^ 0xFFFF, ==, 0xE374);
}

static void
test_crc_cd_text_vector (void)
{
  /* §9: 80 00 00 00 "Joyful Night" -> F0 F7 inverted, plain 0F08 */
  guint8 pack[16] = { 0x80, 0x00, 0x00, 0x00 };

  memcpy (pack + 4, "Joyful Night", 12);
  g_assert_cmphex (rc_crc16 (pack, 16), ==, 0x0F08);
  g_assert_cmphex (rc_crc16 (pack, 16) ^ 0xFFFF, ==, 0xF0F7);
  g_assert_cmphex (ref_crc16 (pack, 16) ^ 0xFFFF, ==, 0xF0F7);
}

static void
test_crc_xmodem (void)
{
  const guint8 one = 0x01;
  const guint8 letter_a = 'A';

  /* CRC-16/XMODEM (same parameters): check value of "123456789" is 31C3 */
  g_assert_cmphex (rc_crc16 ((const guint8 *) "123456789", 9), ==, 0x31C3);
  g_assert_cmphex (ref_crc16 ((const guint8 *) "123456789", 9), ==, 0x31C3);
  /* no data: the initial value 0 */
  g_assert_cmphex (rc_crc16 (&one, 0), ==, 0x0000);
  /* one byte 01: 0x0100 shifted 8 times, one reduction -> the polynomial */
  g_assert_cmphex (rc_crc16 (&one, 1), ==, 0x1021);
  /* 'A' = 0x41: T[0x40] ^ T[0x01]; T[0x01..0x08] = 1021 2042 4084 8108,
   * T[0x10] = 0210 ^ 1021 = 1231, T[0x20] = 2462, T[0x40] = 48C4;
   * 48C4 ^ 1021 = 58E5 */
  g_assert_cmphex (rc_crc16 (&letter_a, 1), ==, 0x58E5);
}

static void
test_crc_residue (void)
{
  /* Without final XOR, data followed by its big-endian CRC has CRC 0. */
  guint8 buf[12];

  memcpy (buf, q_vector, 10);
  buf[10] = 0x1C;
  buf[11] = 0x8B;
  g_assert_cmphex (rc_crc16 (buf, 12), ==, 0x0000);
}

/* Sector sizes of the image types: every size check of the image tests
 * multiplies by rc_image_sector_bytes(), so it is pinned here to the
 * numbers cdrdao and CloneCD use: 2352 audio bytes, then 16 bytes of P-Q
 * (PQ_ONLY) or 96 of P-W. */
static void
test_sector_bytes (void)
{
  g_assert_cmpuint (RC_AUDIO_BYTES, ==, 2352);
  g_assert_cmpuint (rc_image_sector_bytes (RC_IMAGE_TYPE_PQ_ONLY), ==, 2368);
  g_assert_cmpuint (rc_image_sector_bytes (RC_IMAGE_TYPE_IS_COOKED), ==, 2448);
  g_assert_cmpuint (rc_image_sector_bytes (RC_IMAGE_TYPE_IS_RAW), ==, 2448);
}

/* ---------------------------------------------------------------------- */
/* BCD and MSF (§1)                                                        */

static void
test_bcd (void)
{
  g_assert_cmphex (rc_bcd (0), ==, 0x00);
  g_assert_cmphex (rc_bcd (9), ==, 0x09);
  g_assert_cmphex (rc_bcd (10), ==, 0x10);
  g_assert_cmphex (rc_bcd (42), ==, 0x42);
  g_assert_cmphex (rc_bcd (74), ==, 0x74);
  g_assert_cmphex (rc_bcd (99), ==, 0x99);
  g_assert_cmpuint (rc_from_bcd (0x00), ==, 0);
  g_assert_cmpuint (rc_from_bcd (0x59), ==, 59);
  g_assert_cmpuint (rc_from_bcd (0x74), ==, 74);
  g_assert_cmpuint (rc_from_bcd (0x99), ==, 99);
  for (guint v = 0; v < 100; v++)
    g_assert_cmpuint (rc_from_bcd (rc_bcd (v)), ==, v);
}

static void
assert_msf (RcMsf msf, guint m, guint s, guint f)
{
  g_autofree char *got = g_strdup_printf ("%02u:%02u:%02u", msf.m, msf.s, msf.f);
  g_autofree char *expected = g_strdup_printf ("%02u:%02u:%02u", m, s, f);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_msf_sectors (void)
{
  assert_msf (rc_msf_from_sectors (0), 0, 0, 0);
  assert_msf (rc_msf_from_sectors (74), 0, 0, 74);
  assert_msf (rc_msf_from_sectors (75), 0, 1, 0);
  assert_msf (rc_msf_from_sectors (150), 0, 2, 0);
  assert_msf (rc_msf_from_sectors (4499), 0, 59, 74);     /* 59*75 + 74 */
  assert_msf (rc_msf_from_sectors (4500), 1, 0, 0);
  assert_msf (rc_msf_from_sectors (6749), 1, 29, 74);     /* 4500 + 29*75 + 74 */
  g_assert_cmpuint (rc_msf_to_sectors ((RcMsf) { 1, 29, 74 }), ==, 6749);
  g_assert_cmpuint (rc_msf_to_sectors ((RcMsf) { 0, 2, 0 }), ==, 150);
}

static void
test_msf_lba (void)
{
  /* LBA >= -150: LBA + 150; LBA < -150: LBA + 450150 */
  assert_msf (rc_msf_from_lba (-22650), 95, 0, 0);   /* 427500 = 95*4500 */
  assert_msf (rc_msf_from_lba (-22649), 95, 0, 1);
  assert_msf (rc_msf_from_lba (-8688), 98, 6, 12);   /* 441462 = 98*4500 + 6*75 + 12 */
  assert_msf (rc_msf_from_lba (-151), 99, 59, 74);   /* 449999 = 99*4500 + 59*75 + 74 */
  assert_msf (rc_msf_from_lba (-150), 0, 0, 0);
  assert_msf (rc_msf_from_lba (-1), 0, 1, 74);       /* 149 */
  assert_msf (rc_msf_from_lba (0), 0, 2, 0);
  assert_msf (rc_msf_from_lba (4350), 1, 0, 0);      /* 4500 */
  assert_msf (rc_msf_from_lba (398099), 88, 29, 74); /* 398249 = 88*4500 + 29*75 + 74 */
  assert_msf (rc_msf_from_lba (404849), 89, 59, 74); /* 404999 = 89*4500 + 59*75 + 74 */

  g_assert_cmpint (rc_msf_to_lba ((RcMsf) { 95, 0, 0 }), ==, -22650);
  g_assert_cmpint (rc_msf_to_lba ((RcMsf) { 99, 59, 74 }), ==, -151);
  g_assert_cmpint (rc_msf_to_lba ((RcMsf) { 0, 0, 0 }), ==, -150);
  g_assert_cmpint (rc_msf_to_lba ((RcMsf) { 0, 2, 0 }), ==, 0);
  g_assert_cmpint (rc_msf_to_lba ((RcMsf) { 88, 29, 74 }), ==, 398099);
  g_assert_cmpint (rc_msf_to_lba ((RcMsf) { 89, 59, 74 }), ==, 404849);
}

static void
test_msf_round_trip (void)
{
  /* The whole image range, and each step is one frame later than the last
   * (with the wrap from 99:59:74 to 00:00:00 at LBA -150). */
  RcMsf prev = rc_msf_from_lba (-22650);

  assert_msf (prev, 95, 0, 0);
  for (gint lba = -22650; lba <= 404849; lba++)
    {
      RcMsf msf = rc_msf_from_lba (lba);
      g_assert_cmpint (rc_msf_to_lba (msf), ==, lba);
      g_assert_cmpuint (msf.m, <, 100);
      g_assert_cmpuint (msf.s, <, 60);
      g_assert_cmpuint (msf.f, <, 75);
      if (lba > -22650)
        {
          guint p = rc_msf_to_sectors (prev);
          guint c = rc_msf_to_sectors (msf);
          g_assert_cmpuint (c, ==, lba == -150 ? 0 : p + 1);
        }
      prev = msf;
    }
}

/* ---------------------------------------------------------------------- */
/* MCN (§4, EAN-13)                                                        */

static void
test_mcn_check_digit (void)
{
  /* weights 1,3,1,3... over digits 1..12; check = (10 - sum % 10) % 10 */
  /* 4 0 0 6 3 8 1 3 3 3 9 3: odd 4+0+3+1+3+9 = 20, even 0+6+8+3+3+3 = 23*3 = 69;
   * 89 -> 1 */
  g_assert_cmpuint (rc_mcn_check_digit ("400638133393"), ==, 1);
  /* 0 0 7 5 6 7 8 1 6 4 1 2: odd 0+7+6+8+6+1 = 28, even 0+5+7+1+4+2 = 19*3 = 57;
   * 85 -> 5 */
  g_assert_cmpuint (rc_mcn_check_digit ("007567816412"), ==, 5);
  /* 5 9 0 1 2 3 4 1 2 3 4 5: odd 5+0+2+4+2+4 = 17, even 9+1+3+1+3+5 = 22*3 = 66;
   * 83 -> 7 */
  g_assert_cmpuint (rc_mcn_check_digit ("590123412345"), ==, 7);
  /* 9 7 8 0 3 0 6 4 0 6 1 5: odd 9+8+3+6+0+1 = 27, even 7+0+0+4+6+5 = 22*3 = 66;
   * 93 -> 7 */
  g_assert_cmpuint (rc_mcn_check_digit ("978030640615"), ==, 7);
  /* all zeros: 0 -> 0 */
  g_assert_cmpuint (rc_mcn_check_digit ("000000000000"), ==, 0);
}

static void
assert_mcn_ok (const char *in, const char *expected)
{
  g_autoptr(GError) error = NULL;
  char out[14];

  memset (out, 'x', sizeof out);
  g_assert_true (rc_mcn_normalize (in, out, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected);
}

static void
assert_mcn_refused (const char *in)
{
  g_autoptr(GError) error = NULL;
  char out[14];

  g_test_message ("MCN '%s' must be refused", in);
  g_assert_false (rc_mcn_normalize (in, out, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_mcn_normalize (void)
{
  assert_mcn_ok ("4006381333931", "4006381333931");
  assert_mcn_ok ("0075678164125", "0075678164125");
  assert_mcn_ok ("5901234123457", "5901234123457");
  assert_mcn_ok ("9780306406157", "9780306406157");
  /* leading zeros optional: 11 digits padded to 13 */
  assert_mcn_ok ("75678164125", "0075678164125");
  assert_mcn_ok ("075678164125", "0075678164125");
  /* "0": twelve zeros + check digit 0 */
  assert_mcn_ok ("0", "0000000000000");
  /* empty: no MCN */
  assert_mcn_ok ("", "");
}

static void
test_mcn_refused (void)
{
  assert_mcn_refused ("4006381333932");   /* check digit 1, not 2 */
  assert_mcn_refused ("4006381333930");
  assert_mcn_refused ("0075678164124");   /* check digit 5, not 4 */
  assert_mcn_refused ("75678164126");
  assert_mcn_refused ("400638133393X");
  assert_mcn_refused ("4006381 333931");
  assert_mcn_refused ("4006-381333931");
  assert_mcn_refused ("a");
  assert_mcn_refused ("14006381333931"); /* 14 digits */
  assert_mcn_refused ("04006381333931"); /* 14 digits, even with a leading zero */
}

/* ---------------------------------------------------------------------- */
/* ISRC (§4)                                                               */

static void
assert_isrc_ok (const char *in, const char *expected)
{
  g_autoptr(GError) error = NULL;
  char out[13];

  memset (out, 'x', sizeof out);
  g_assert_true (rc_isrc_normalize (in, out, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected);
}

static void
assert_isrc_refused (const char *in)
{
  g_autoptr(GError) error = NULL;
  char out[13];

  g_test_message ("ISRC '%s' must be refused", in);
  g_assert_false (rc_isrc_normalize (in, out, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_isrc_normalize (void)
{
  assert_isrc_ok ("US-S1Z-99-00001", "USS1Z9900001");
  assert_isrc_ok ("USS1Z9900001", "USS1Z9900001");
  assert_isrc_ok ("us-s1z-99-00001", "USS1Z9900001");
  assert_isrc_ok ("uss1z9900001", "USS1Z9900001");
  assert_isrc_ok ("FR-Z03-91-01231", "FRZ039101231");
  assert_isrc_ok ("GBAYE0000351", "GBAYE0000351");
  assert_isrc_ok ("", "");
}

static void
test_isrc_format (void)
{
  g_autofree char *a = rc_isrc_format ("USS1Z9900001");
  g_autofree char *b = rc_isrc_format ("FRZ039101231");
  g_autofree char *c = rc_isrc_format ("");

  g_assert_cmpstr (a, ==, "US-S1Z-99-00001");
  g_assert_cmpstr (b, ==, "FR-Z03-91-01231");
  g_assert_cmpstr (c, ==, "");
}

static void
test_isrc_refused (void)
{
  assert_isrc_refused ("USS1Z990000");     /* 11 characters */
  assert_isrc_refused ("USS1Z99000011");   /* 13 characters */
  assert_isrc_refused ("US-S1Z-99-0000");
  assert_isrc_refused ("12S1Z9900001");    /* country code of digits */
  assert_isrc_refused ("U1S1Z9900001");
  assert_isrc_refused ("USS1ZA900001");    /* year not digits */
  assert_isrc_refused ("USS1Z9X00001");
  assert_isrc_refused ("USS1Z990000A");    /* designation not digits */
  assert_isrc_refused ("USS1Z99A0001");
  assert_isrc_refused ("US*1Z9900001");    /* owner not alphanumeric */
}

/* ---------------------------------------------------------------------- */
/* Q subchannel (§4, §5, §7)                                               */

/* Disc A: one track of 400 sectors, copy permitted (CONTROL 2), MCN
 * 4006381333931, ISRC US-S1Z-99-00001, index 2 at offset 80.
 * Track 1: index 0 -150..-1, index 1 0..79, index 2 80..399; lead-out
 * 400..7149.
 * MCN bytes: 40 06 38 13 33 93, 1<<4 = 10, 00.
 * ISRC: U = 0x11+20 = 0x25 = 100101, S = 0x11+18 = 0x23 = 100011, S, '1' = 000001,
 * Z = 0x11+25 = 0x2A = 101010, 00:
 * 10010110 00111000 11000001 10101000 = 96 38 C1 A8; 99, 00, 00, 1<<4 = 10. */
static const TrackSpec disc_a[] = {
  { 400, RC_COPY_PERMITTED, FALSE, "US-S1Z-99-00001", 80 },
};

static void
test_q_program_area (void)
{
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, "4006381333931", 0, disc_a, 1);
  static const QAnswer answers[] = {
    /* A = 0 is an MCN sector but the first of the track: moves to -149.
     * rel 149 = 00:01:74 (counts down), abs 00:00:00 */
    { -150, { 0x21, 0x01, 0x00, 0x00, 0x01, 0x74, 0x00, 0x00, 0x00, 0x00 } },
    /* mode 2, AFRAME of A = 1 */
    { -149, { 0x22, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x01 } },
    /* rel 147 = 00:01:72, abs A = 2 */
    { -148, { 0x21, 0x01, 0x00, 0x00, 0x01, 0x72, 0x00, 0x00, 0x00, 0x02 } },
    /* A = 50: ISRC in track 1's pregap, AFRAME 50 */
    { -100, { 0x23, 0x96, 0x38, 0xC1, 0xA8, 0x99, 0x00, 0x00, 0x10, 0x50 } },
    /* A = 90: MCN, abs 00:01:15 */
    { -60,  { 0x22, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x15 } },
    /* A = 140: ISRC, abs 00:01:65 */
    { -10,  { 0x23, 0x96, 0x38, 0xC1, 0xA8, 0x99, 0x00, 0x00, 0x10, 0x65 } },
    /* last pregap sector: rel 00:00:00, abs A = 149 = 00:01:74 */
    { -1,   { 0x21, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x74 } },
    /* index 1: rel 0, abs 00:02:00 */
    { 0,    { 0x21, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    { 1,    { 0x21, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x02, 0x01 } },
    /* A = 180: MCN, abs 00:02:30 */
    { 30,   { 0x22, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x30 } },
    /* rel 79 = 00:01:04, A = 229 = 00:03:04 (229 % 90 = 49: mode 1) */
    { 79,   { 0x21, 0x01, 0x01, 0x00, 0x01, 0x04, 0x00, 0x00, 0x03, 0x04 } },
    /* A = 230, 230 % 90 = 50, but index 2 starts here: mode 1, index 02,
     * rel keeps counting: 80 = 00:01:05, abs 00:03:05 */
    { 80,   { 0x21, 0x01, 0x02, 0x00, 0x01, 0x05, 0x00, 0x00, 0x03, 0x05 } },
    /* the ISRC moved here: AFRAME of A = 231 = 00:03:06 */
    { 81,   { 0x23, 0x96, 0x38, 0xC1, 0xA8, 0x99, 0x00, 0x00, 0x10, 0x06 } },
    /* A = 270: MCN, 270 = 3*75 + 45 */
    { 120,  { 0x22, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x45 } },
    /* A = 320 = 3*90 + 50: ISRC, 320 = 4*75 + 20 */
    { 170,  { 0x23, 0x96, 0x38, 0xC1, 0xA8, 0x99, 0x00, 0x00, 0x10, 0x20 } },
    /* last sector: rel 399 = 00:05:24, A = 549 = 00:07:24 (549 % 90 = 9) */
    { 399,  { 0x21, 0x01, 0x02, 0x00, 0x05, 0x24, 0x00, 0x00, 0x07, 0x24 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

static void
test_q_leadout (void)
{
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, "4006381333931", 0, disc_a, 1);
  static const QAnswer answers[] = {
    /* track AA index 01 rel 0, A = 550 = 00:07:25 (550 % 90 = 10) */
    { 400,  { 0x21, 0xAA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x25 } },
    /* A = 590, 590 % 90 = 50 but no ISRC in the lead-out: rel 40, 590 = 7*75 + 65 */
    { 440,  { 0x21, 0xAA, 0x01, 0x00, 0x00, 0x40, 0x00, 0x00, 0x07, 0x65 } },
    /* A = 630 = 7*90: MCN with the last track's CONTROL, 630 = 8*75 + 30 */
    { 480,  { 0x22, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x30 } },
    /* rel 600 = 00:08:00, A = 1150 = 00:15:25 (1150 % 90 = 70) */
    { 1000, { 0x21, 0xAA, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x15, 0x25 } },
    /* last image sector 400 + 6749: rel 6749 = 01:29:74, A = 7299 = 97*75 + 24
     * = 01:37:24 (7299 % 90 = 9) */
    { 7149, { 0x21, 0xAA, 0x01, 0x01, 0x29, 0x74, 0x00, 0x01, 0x37, 0x24 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

/* Disc E: track 1 410 sectors (permitted), track 2 430 sectors (prohibited,
 * CONTROL 0, ISRC FR-Z03-91-01231), gapless, MCN 0075678164125.
 * Track 2 index 0 at 410 - 150 = 260 (A = 410, 410 % 90 = 50), index 1 at
 * 410; lead-out at 840 (A = 990 = 11*90).
 * MCN: 00 75 67 81 64 12, 5<<4 = 50, 00.
 * ISRC: F = 0x11+5 = 0x16 = 010110, R = 0x11+17 = 0x22 = 100010, Z = 101010,
 * '0' = 000000, '3' = 000011, 00: 01011010 00101010 10000000 00001100
 * = 5A 2A 80 0C; 91, 01, 23, 1<<4 = 10. */
static void
test_q_postponed (void)
{
  static const TrackSpec disc_e[] = {
    { 410, RC_COPY_PERMITTED, FALSE, NULL, 0 },
    { 430, RC_COPY_PROHIBITED, FALSE, "FR-Z03-91-01231", 0 },
  };
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, "0075678164125", 0, disc_e, 2);
  static const QAnswer answers[] = {
    /* A = 180: MCN in track 1 */
    { 30,  { 0x22, 0x00, 0x75, 0x67, 0x81, 0x64, 0x12, 0x50, 0x00, 0x30 } },
    /* A = 320 = 3*90 + 50 in track 1, which has no ISRC: mode 1,
     * rel 170 = 00:02:20, abs 00:04:20 */
    { 170, { 0x21, 0x01, 0x01, 0x00, 0x02, 0x20, 0x00, 0x00, 0x04, 0x20 } },
    /* first sector of track 2 (index 0): the ISRC moves to 261;
     * rel 409 - 260 = 149 = 00:01:74, A = 410 = 00:05:35 */
    { 260, { 0x01, 0x02, 0x00, 0x00, 0x01, 0x74, 0x00, 0x00, 0x05, 0x35 } },
    /* A = 411 = 00:05:36 */
    { 261, { 0x03, 0x5A, 0x2A, 0x80, 0x0C, 0x91, 0x01, 0x23, 0x10, 0x36 } },
    /* A = 450 = 5*90 in track 2's pregap: MCN with track 2's CONTROL 0,
     * 450 = 6*75 + 0 */
    { 300, { 0x02, 0x00, 0x75, 0x67, 0x81, 0x64, 0x12, 0x50, 0x00, 0x00 } },
    /* A = 500 = 5*90 + 50: ISRC, 500 = 6*75 + 50 */
    { 350, { 0x03, 0x5A, 0x2A, 0x80, 0x0C, 0x91, 0x01, 0x23, 0x10, 0x50 } },
    /* track 2 index 1: rel 0, A = 560 = 7*75 + 35 */
    { 410, { 0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x35 } },
    /* A = 950 = 10*90 + 50: ISRC, 950 = 12*75 + 50 */
    { 800, { 0x03, 0x5A, 0x2A, 0x80, 0x0C, 0x91, 0x01, 0x23, 0x10, 0x50 } },
    /* lead-out start, A = 990 = 11*90: MCN moves to 841;
     * CONTROL of the last track (0), 990 = 13*75 + 15 */
    { 840, { 0x01, 0xAA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x13, 0x15 } },
    { 841, { 0x02, 0x00, 0x75, 0x67, 0x81, 0x64, 0x12, 0x50, 0x00, 0x16 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

static void
test_q_leadin_one_track (void)
{
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, "4006381333931", 0, disc_a, 1);
  /* n = 1: entries T1, A0, A1, A2; s = LBA + 22650 carries (s/3) % 4.
   * T1 PMSF = 00:02:00; A2 PMSF = lead-out 400 + 150 = 550 = 00:07:25. */
  static const QAnswer answers[] = {
    { -22650, { 0x21, 0x00, 0x01, 0x95, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    { -22648, { 0x21, 0x00, 0x01, 0x95, 0x00, 0x02, 0x00, 0x00, 0x02, 0x00 } },
    { -22647, { 0x21, 0x00, 0xA0, 0x95, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00 } },
    { -22644, { 0x21, 0x00, 0xA1, 0x95, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00 } },
    { -22641, { 0x21, 0x00, 0xA2, 0x95, 0x00, 0x09, 0x00, 0x00, 0x07, 0x25 } },
    { -22638, { 0x21, 0x00, 0x01, 0x95, 0x00, 0x12, 0x00, 0x00, 0x02, 0x00 } },
    /* 98:06:12: s = 13962, 4654 % 4 = 2: A1 */
    { -8688,  { 0x21, 0x00, 0xA1, 0x98, 0x06, 0x12, 0x00, 0x01, 0x00, 0x00 } },
    /* s = 22496: 7498 % 4 = 2: A1 at 99:59:71 */
    { -154,   { 0x21, 0x00, 0xA1, 0x99, 0x59, 0x71, 0x00, 0x01, 0x00, 0x00 } },
    /* s = 22497..22499: 7499 % 4 = 3: A2, the last at 99:59:74 */
    { -153,   { 0x21, 0x00, 0xA2, 0x99, 0x59, 0x72, 0x00, 0x00, 0x07, 0x25 } },
    { -151,   { 0x21, 0x00, 0xA2, 0x99, 0x59, 0x74, 0x00, 0x00, 0x07, 0x25 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

/* Disc B: gapless, track 1 1000 sectors copy permitted + pre-emphasis
 * (CONTROL 3), track 2 500 sectors prohibited (CONTROL 0).
 * Track 1 index 1 at 0 (SectorCount 850), track 2 index 0 at 850, index 1 at
 * 1000, lead-out at 1500. */
static const TrackSpec disc_b[] = {
  { 1000, RC_COPY_PERMITTED, TRUE, NULL, 0 },
  { 500, RC_COPY_PROHIBITED, FALSE, NULL, 0 },
};

static void
test_q_leadin_control (void)
{
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, NULL, 0, disc_b, 2);
  /* n = 2: entries T1, T2, A0, A1, A2 ((s/3) % 5).
   * T2 PMSF 1000 + 150 = 1150 = 15*75 + 25 = 00:15:25;
   * A2 PMSF 1500 + 150 = 1650 = 22*75 = 00:22:00.
   * CONTROL: T1 3, T2 0, A0 first track's (3), A1/A2 last track's (0). */
  static const QAnswer answers[] = {
    { -22650, { 0x31, 0x00, 0x01, 0x95, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    { -22647, { 0x01, 0x00, 0x02, 0x95, 0x00, 0x03, 0x00, 0x00, 0x15, 0x25 } },
    { -22644, { 0x31, 0x00, 0xA0, 0x95, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00 } },
    { -22641, { 0x01, 0x00, 0xA1, 0x95, 0x00, 0x09, 0x00, 0x02, 0x00, 0x00 } },
    { -22638, { 0x01, 0x00, 0xA2, 0x95, 0x00, 0x12, 0x00, 0x00, 0x22, 0x00 } },
    { -22636, { 0x01, 0x00, 0xA2, 0x95, 0x00, 0x14, 0x00, 0x00, 0x22, 0x00 } },
    { -22635, { 0x31, 0x00, 0x01, 0x95, 0x00, 0x15, 0x00, 0x00, 0x02, 0x00 } },
    /* 98:06:12: s = 13962, 4654 % 5 = 4: A2 */
    { -8688,  { 0x01, 0x00, 0xA2, 0x98, 0x06, 0x12, 0x00, 0x00, 0x22, 0x00 } },
    /* program area and lead-out CONTROL */
    { 0,      { 0x31, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    /* track 1's last sector: rel 849 = 11*75 + 24, A = 999 = 13*75 + 24 */
    { 849,    { 0x31, 0x01, 0x01, 0x00, 0x11, 0x24, 0x00, 0x00, 0x13, 0x24 } },
    /* track 2 index 0: rel 149 = 00:01:74, A = 1000 = 13*75 + 25 */
    { 850,    { 0x01, 0x02, 0x00, 0x00, 0x01, 0x74, 0x00, 0x00, 0x13, 0x25 } },
    /* A = 1149 = 15*75 + 24 */
    { 999,    { 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x15, 0x24 } },
    { 1000,   { 0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x15, 0x25 } },
    { 1500,   { 0x01, 0xAA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x22, 0x00 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

static void
test_q_scms (void)
{
  static const TrackSpec disc_c[] = {
    { 400, RC_COPY_SCMS, FALSE, NULL, 0 },
  };
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, NULL, 0, disc_c, 1);
  /* copy bit 0x2 iff ((LBA + 150) / 4) % 2 == 1 in program area and
   * lead-out; always clear in the lead-in TOC entries. */
  static const QAnswer answers[] = {
    { -22650, { 0x01, 0x00, 0x01, 0x95, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    { -22647, { 0x01, 0x00, 0xA0, 0x95, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00 } },
    { -22644, { 0x01, 0x00, 0xA1, 0x95, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00 } },
    { -22641, { 0x01, 0x00, 0xA2, 0x95, 0x00, 0x09, 0x00, 0x00, 0x07, 0x25 } },
    /* A = 0: 0/4 = 0 clear */
    { -150, { 0x01, 0x01, 0x00, 0x00, 0x01, 0x74, 0x00, 0x00, 0x00, 0x00 } },
    /* A = 3: 0 clear; rel 146 = 00:01:71 */
    { -147, { 0x01, 0x01, 0x00, 0x00, 0x01, 0x71, 0x00, 0x00, 0x00, 0x03 } },
    /* A = 4: 1 set */
    { -146, { 0x21, 0x01, 0x00, 0x00, 0x01, 0x70, 0x00, 0x00, 0x00, 0x04 } },
    /* A = 7: 1 set */
    { -143, { 0x21, 0x01, 0x00, 0x00, 0x01, 0x67, 0x00, 0x00, 0x00, 0x07 } },
    /* A = 8: 2 clear */
    { -142, { 0x01, 0x01, 0x00, 0x00, 0x01, 0x66, 0x00, 0x00, 0x00, 0x08 } },
    /* A = 150: 37 set; 151: 37 set; 152: 38 clear */
    { 0,    { 0x21, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    { 1,    { 0x21, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x02, 0x01 } },
    { 2,    { 0x01, 0x01, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x02, 0x02 } },
    /* A = 549: 137 set */
    { 399,  { 0x21, 0x01, 0x01, 0x00, 0x05, 0x24, 0x00, 0x00, 0x07, 0x24 } },
    /* lead-out: A = 550: 137 set; A = 552: 138 clear */
    { 400,  { 0x21, 0xAA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x25 } },
    { 402,  { 0x01, 0xAA, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x07, 0x27 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

static void
test_q_scms_preemphasis_mcn (void)
{
  static const TrackSpec disc_f[] = {
    { 400, RC_COPY_SCMS, TRUE, NULL, 0 },
  };
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, "4006381333931", 0, disc_f, 1);
  /* CONTROL 1 (pre-emphasis) always; copy bit 2 by the SCMS rule in every
   * mode of the program area and lead-out, never in the lead-in. */
  static const QAnswer answers[] = {
    { -22650, { 0x11, 0x00, 0x01, 0x95, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    { -22641, { 0x11, 0x00, 0xA2, 0x95, 0x00, 0x09, 0x00, 0x00, 0x07, 0x25 } },
    /* MCN moved from A = 0 to A = 1: 1/4 = 0 clear */
    { -149, { 0x12, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x01 } },
    /* A = 90: 22 clear */
    { -60,  { 0x12, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x15 } },
    /* A = 150: 37 set */
    { 0,    { 0x31, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    /* A = 180: 45 set */
    { 30,   { 0x32, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x30 } },
    /* lead-out A = 550: 137 set */
    { 400,  { 0x31, 0xAA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x25 } },
    /* lead-out MCN A = 630: 157 set */
    { 480,  { 0x32, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x30 } },
    /* A = 720 = 8*90: 180 clear, 720 = 9*75 + 45 */
    { 570,  { 0x12, 0x40, 0x06, 0x38, 0x13, 0x33, 0x93, 0x10, 0x00, 0x45 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

static void
test_q_track_number_bcd (void)
{
  static const TrackSpec tracks[] = {
    { 1000, RC_COPY_PERMITTED, FALSE, NULL, 0 },
    { 500, RC_COPY_PERMITTED, FALSE, NULL, 0 },
  };
  g_autoptr(RcLayout) layout = build_layout (FALSE, 10, NULL, 0, tracks, 2);
  /* tracks 10 and 11: BCD 10 and 11 in Q, POINT 10/11, A0 PMIN 10, A1 PMIN 11 */
  static const QAnswer answers[] = {
    { -22650, { 0x21, 0x00, 0x10, 0x95, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    { -22647, { 0x21, 0x00, 0x11, 0x95, 0x00, 0x03, 0x00, 0x00, 0x15, 0x25 } },
    { -22644, { 0x21, 0x00, 0xA0, 0x95, 0x00, 0x06, 0x00, 0x10, 0x00, 0x00 } },
    { -22641, { 0x21, 0x00, 0xA1, 0x95, 0x00, 0x09, 0x00, 0x11, 0x00, 0x00 } },
    { -22638, { 0x21, 0x00, 0xA2, 0x95, 0x00, 0x12, 0x00, 0x00, 0x22, 0x00 } },
    { -150,   { 0x21, 0x10, 0x00, 0x00, 0x01, 0x74, 0x00, 0x00, 0x00, 0x00 } },
    { 0,      { 0x21, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 } },
    { 850,    { 0x21, 0x11, 0x00, 0x00, 0x01, 0x74, 0x00, 0x00, 0x13, 0x25 } },
    { 1000,   { 0x21, 0x11, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x15, 0x25 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

/* Disc D: tracks of 1000 and 500 sectors with DisableGaplessAudio: track 1
 * 0..999, track 2 index 0 (silence) 1000..1149, index 1 1150..1649,
 * lead-out 1650. */
static const TrackSpec disc_d[] = {
  { 1000, RC_COPY_PERMITTED, FALSE, NULL, 0 },
  { 500, RC_COPY_PERMITTED, FALSE, NULL, 0 },
};

static void
test_q_gaps (void)
{
  g_autoptr(RcLayout) layout = build_layout (TRUE, 1, NULL, 0, disc_d, 2);
  static const QAnswer answers[] = {
    /* rel 999 = 13*75 + 24, A = 1149 = 15*75 + 24 */
    { 999,  { 0x21, 0x01, 0x01, 0x00, 0x13, 0x24, 0x00, 0x00, 0x15, 0x24 } },
    /* A = 1150 = 00:15:25, rel 149 */
    { 1000, { 0x21, 0x02, 0x00, 0x00, 0x01, 0x74, 0x00, 0x00, 0x15, 0x25 } },
    /* A = 1299 = 17*75 + 24 */
    { 1149, { 0x21, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x17, 0x24 } },
    { 1150, { 0x21, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x17, 0x25 } },
    /* lead-out at 1650, A = 1800 = 24*75 */
    { 1650, { 0x21, 0xAA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x24, 0x00 } },
    /* lead-in, n = 2: s = 3 is track 2 (PMSF 1300 = 00:17:25), s = 12 is A2
     * (PMSF 1800 = 00:24:00) */
    { -22638, { 0x21, 0x00, 0xA2, 0x95, 0x00, 0x12, 0x00, 0x00, 0x24, 0x00 } },
    { -22647, { 0x21, 0x00, 0x02, 0x95, 0x00, 0x03, 0x00, 0x00, 0x17, 0x25 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

/* Special pregap of 300 sectors + one track of 1000: track 1 index 0
 * -150..149, index 1 at 150, lead-out 1150. */
static const TrackSpec disc_sp[] = {
  { 1000, RC_COPY_PERMITTED, FALSE, NULL, 0 },
};

static void
test_q_special_pregap (void)
{
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, NULL, 300, disc_sp, 1);
  static const QAnswer answers[] = {
    /* rel 299 = 00:03:74 */
    { -150, { 0x21, 0x01, 0x00, 0x00, 0x03, 0x74, 0x00, 0x00, 0x00, 0x00 } },
    /* rel 149 - (-1) = 150 = 00:02:00, A = 149 = 00:01:74 */
    { -1,   { 0x21, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x74 } },
    /* rel 0, A = 299 = 00:03:74 */
    { 149,  { 0x21, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x74 } },
    { 150,  { 0x21, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00 } },
    /* lead-out 1150, A = 1300 = 17*75 + 25 */
    { 1150, { 0x21, 0xAA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x17, 0x25 } },
    /* lead-in: T1 PMSF 00:04:00, A2 00:17:25 */
    { -22650, { 0x21, 0x00, 0x01, 0x95, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00 } },
    { -22641, { 0x21, 0x00, 0xA2, 0x95, 0x00, 0x09, 0x00, 0x00, 0x17, 0x25 } },
  };

  check_q_answers (layout, answers, G_N_ELEMENTS (answers));
}

/* ---------------------------------------------------------------------- */
/* P subchannel (§6): P(x) = F(x - 1)                                      */

static void
test_p_gapless (void)
{
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, NULL, 0, disc_b, 2);
  /* F = 1 on -150..-1 (track 1 index 0), 850..999 (track 2 index 0),
   * 1350..1499 (last 150 of the program area); lead-out 1500: F = 0 for
   * s 0..149, then 1 when (s - 150) % 38 < 19. */
  static const PAnswer answers[] = {
    { -22650, FALSE }, { -151, FALSE },
    { -150, FALSE },   /* F(-151) lead-in */
    { -149, TRUE },    /* F(-150) */
    { -1, TRUE }, { 0, TRUE },   /* F(-1): the last one on index 1's first sector */
    { 1, FALSE }, { 849, FALSE }, { 850, FALSE },
    { 851, TRUE }, { 999, TRUE }, { 1000, TRUE },
    { 1001, FALSE }, { 1349, FALSE }, { 1350, FALSE },
    { 1351, TRUE }, { 1499, TRUE },
    { 1500, TRUE },    /* F(1499): the one P = 1 opening the lead-out */
    { 1501, FALSE }, { 1649, FALSE }, { 1650, FALSE }, /* F(1500..1649) = 0 */
    { 1651, TRUE },    /* F(1650): s = 150, 0 % 38 < 19 */
    { 1669, TRUE },    /* s = 168: 18 */
    { 1670, FALSE },   /* s = 169: 19 */
    { 1688, FALSE },   /* s = 187: 37 */
    { 1689, TRUE },    /* s = 188: 38 % 38 = 0 */
    { 1707, TRUE },    /* s = 206: 56 % 38 = 18 */
    { 1708, FALSE },   /* s = 207: 19 */
    { 8249, FALSE },   /* s = 6748: 6598 % 38 = 24 */
  };

  check_p_answers (layout, answers, G_N_ELEMENTS (answers));
}

static void
test_p_runs (void)
{
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, NULL, 0, disc_b, 2);
  guint ones = 0;

  /* the lead-in is all zeros */
  for (gint lba = -22650; lba <= -150; lba++)
    g_assert_false (rc_subchannel_p (layout, lba));
  /* exactly 150 ones before and including each index 1 (0 and 1000) */
  for (gint lba = -149; lba <= 0; lba++)
    ones += rc_subchannel_p (layout, lba) ? 1 : 0;
  g_assert_cmpuint (ones, ==, 150);
  ones = 0;
  for (gint lba = 851; lba <= 1000; lba++)
    ones += rc_subchannel_p (layout, lba) ? 1 : 0;
  g_assert_cmpuint (ones, ==, 150);
  for (gint lba = 1; lba <= 850; lba++)
    g_assert_false (rc_subchannel_p (layout, lba));
  /* lead-out: 1 then 150 zeros then 19 ones / 19 zeros */
  g_assert_true (rc_subchannel_p (layout, 1500));
  for (gint lba = 1501; lba <= 1650; lba++)
    g_assert_false (rc_subchannel_p (layout, lba));
  for (gint lba = 1651; lba < 1500 + 6750; lba++)
    {
      gint s = lba - 1 - 1500;   /* F's sector number */
      g_assert_cmpint (rc_subchannel_p (layout, lba), ==, (s - 150) % 38 < 19);
    }
}

static void
test_p_gaps (void)
{
  g_autoptr(RcLayout) layout = build_layout (TRUE, 1, NULL, 0, disc_d, 2);
  /* F = 1 on -150..-1, 1000..1149 (silent gap), 1500..1649 (last 150) */
  static const PAnswer answers[] = {
    { -149, TRUE }, { 0, TRUE }, { 1, FALSE },
    { 1000, FALSE }, { 1001, TRUE }, { 1150, TRUE }, { 1151, FALSE },
    { 1500, FALSE }, { 1501, TRUE }, { 1650, TRUE }, { 1651, FALSE },
    { 1800, FALSE }, { 1801, TRUE },
  };

  check_p_answers (layout, answers, G_N_ELEMENTS (answers));
}

static void
test_p_special_pregap (void)
{
  g_autoptr(RcLayout) layout = build_layout (FALSE, 1, NULL, 300, disc_sp, 1);
  /* F = 1 on -150..149 (the whole index 0) and 1000..1149 */
  static const PAnswer answers[] = {
    { -150, FALSE }, { -149, TRUE }, { 0, TRUE }, { 150, TRUE }, { 151, FALSE },
    { 1000, FALSE }, { 1001, TRUE }, { 1150, TRUE }, { 1151, FALSE },
  };

  check_p_answers (layout, answers, G_N_ELEMENTS (answers));
}

/* ---------------------------------------------------------------------- */
/* pack16 and pack96 (§3)                                                  */

/* the spec's Q vector with its on-disc CRC */
static const guint8 q_disc[12] = {
  0x01, 0x00, 0xA0, 0x98, 0x06, 0x12, 0x00, 0x01, 0x00, 0x00, 0xE3, 0x74
};

static void
test_pack16 (void)
{
  /* Q with the CRC NOT inverted (E374 ^ FFFF = 1C8B), three zeros, 0x80 if P */
  static const guint8 with_p[16] = {
    0x01, 0x00, 0xA0, 0x98, 0x06, 0x12, 0x00, 0x01, 0x00, 0x00, 0x1C, 0x8B,
    0x00, 0x00, 0x00, 0x80,
  };
  static const guint8 without_p[16] = {
    0x01, 0x00, 0xA0, 0x98, 0x06, 0x12, 0x00, 0x01, 0x00, 0x00, 0x1C, 0x8B,
    0x00, 0x00, 0x00, 0x00,
  };
  guint8 out[16];
  g_autofree char *got1 = NULL;
  g_autofree char *got2 = NULL;
  g_autofree char *exp1 = hex_string (with_p, 16);
  g_autofree char *exp2 = hex_string (without_p, 16);

  memset (out, 0x5A, sizeof out);
  rc_subchannel_pack16 (q_disc, TRUE, out);
  got1 = hex_string (out, 16);
  g_assert_cmpstr (got1, ==, exp1);
  memset (out, 0x5A, sizeof out);
  rc_subchannel_pack16 (q_disc, FALSE, out);
  got2 = hex_string (out, 16);
  g_assert_cmpstr (got2, ==, exp2);
}

/* Q bits MSB first: channel byte i over bytes 8i..8i+7, Q in bit 6 (0x40),
 * P in bit 7 (0x80):
 *   01 = 00000001, 00, A0 = 10100000, 98 = 10011000, 06 = 00000110,
 *   12 = 00010010, 00, 01, 00, 00, E3 = 11100011, 74 = 01110100 */
static const guint8 pack96_with_p[96] = {
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xC0,   /* 01 */
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,   /* 00 */
  0xC0, 0x80, 0xC0, 0x80, 0x80, 0x80, 0x80, 0x80,   /* A0 */
  0xC0, 0x80, 0x80, 0xC0, 0xC0, 0x80, 0x80, 0x80,   /* 98 */
  0x80, 0x80, 0x80, 0x80, 0x80, 0xC0, 0xC0, 0x80,   /* 06 */
  0x80, 0x80, 0x80, 0xC0, 0x80, 0x80, 0xC0, 0x80,   /* 12 */
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,   /* 00 */
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xC0,   /* 01 */
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,   /* 00 */
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,   /* 00 */
  0xC0, 0xC0, 0xC0, 0x80, 0x80, 0x80, 0xC0, 0xC0,   /* E3 */
  0x80, 0xC0, 0xC0, 0xC0, 0x80, 0xC0, 0x80, 0x80,   /* 74 */
};

static void
test_pack96 (void)
{
  guint8 out[96];
  guint8 expected[96];
  g_autofree char *got1 = NULL;
  g_autofree char *got2 = NULL;
  g_autofree char *exp1 = hex_string (pack96_with_p, 96);
  g_autofree char *exp2 = NULL;

  memset (out, 0x5A, sizeof out);
  rc_subchannel_pack96 (q_disc, TRUE, NULL, out);
  got1 = hex_string (out, 96);
  g_assert_cmpstr (got1, ==, exp1);

  /* without P: the same with bit 7 clear (C0 -> 40, 80 -> 00) */
  for (guint i = 0; i < 96; i++)
    expected[i] = pack96_with_p[i] & 0x40;
  exp2 = hex_string (expected, 96);
  memset (out, 0x5A, sizeof out);
  rc_subchannel_pack96 (q_disc, FALSE, NULL, out);
  got2 = hex_string (out, 96);
  g_assert_cmpstr (got2, ==, exp2);
}

static void
test_pack96_rw (void)
{
  guint8 rw[96];
  guint8 out[96];

  /* symbol n = n % 64 in bits 5..0 beside P and Q */
  for (guint i = 0; i < 96; i++)
    rw[i] = i % 64;
  rc_subchannel_pack96 (q_disc, TRUE, rw, out);
  g_assert_cmphex (out[0], ==, 0x80);          /* P, Q 0, symbol 0 */
  g_assert_cmphex (out[5], ==, 0x85);          /* P, Q 0, symbol 5 */
  g_assert_cmphex (out[7], ==, 0xC7);          /* P, Q 1 (last bit of 01), 7 */
  g_assert_cmphex (out[16], ==, 0xD0);         /* P, Q 1 (A0 bit 7), 16 = 0x10 */
  g_assert_cmphex (out[63], ==, 0xFF);         /* P, Q 1 (last bit of 01), 63 */
  g_assert_cmphex (out[64], ==, 0x80);         /* P, Q 0, 64 % 64 = 0 */
  g_assert_cmphex (out[80], ==, 0xD0);         /* P, Q 1 (E3 bit 7), 16 */
  g_assert_cmphex (out[95], ==, 0x9F);         /* P, Q 0 (74 bit 0), 31 */
}

/* ---------------------------------------------------------------------- */
/* ExpectedTableOfContents: READ TOC format 0, LBA form                     */

static RcDisc *
build_disc (gint starting_track, guint special_pregap, const TrackSpec *tracks, guint n_tracks)
{
  RcDisc *disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_starting_track_number (disc, starting_track, &error));
  g_assert_no_error (error);
  if (special_pregap > 0)
    {
      g_autoptr(RcAudioSource) pregap = test_pattern_source (99, special_pregap);
      g_assert_true (rc_disc_set_special_pregap (disc, pregap, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < n_tracks; i++)
    {
      g_autoptr(RcAudioSource) source = test_pattern_source (i + 1, tracks[i].sectors);
      guint index = rc_disc_add_track (disc, source, &error);

      g_assert_no_error (error);
      g_assert_true (rc_disc_track_set_copy_setting (disc, index, tracks[i].copy, &error));
      g_assert_no_error (error);
      g_assert_true (rc_disc_track_set_preemphasis (disc, index, tracks[i].preemphasis, &error));
      g_assert_no_error (error);
    }
  return disc;
}

static void
check_toc (RcDisc *disc, const guint8 *expected, gsize len)
{
  g_autoptr(GBytes) toc = rc_disc_get_expected_toc (disc);
  g_autoptr(GBytes) toc2 = rc_layout_build_toc (rc_disc_peek_layout (disc));

  assert_bytes (toc, expected, len);
  assert_bytes (toc2, expected, len);
}

static void
test_toc_two_tracks (void)
{
  static const TrackSpec tracks[] = {
    { 1000, RC_COPY_PERMITTED, TRUE, NULL, 0 },   /* CONTROL 3 */
    { 500, RC_COPY_PERMITTED, FALSE, NULL, 0 },   /* CONTROL 2 */
  };
  g_autoptr(RcDisc) disc = build_disc (1, 0, tracks, 2);
  /* length 2 + 8*3 = 26 = 0x001A; first 1, last 2;
   * track 1: ADR 1 CONTROL 3 = 0x13, LBA 0; track 2: 0x12, LBA 1000 = 0x3E8;
   * lead-out AA: last track's CONTROL 0x12, LBA 1500 = 0x5DC */
  static const guint8 expected[] = {
    0x00, 0x1A, 0x01, 0x02,
    0x00, 0x13, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x12, 0x02, 0x00, 0x00, 0x00, 0x03, 0xE8,
    0x00, 0x12, 0xAA, 0x00, 0x00, 0x00, 0x05, 0xDC,
  };

  check_toc (disc, expected, sizeof expected);
}

static void
test_toc_track_number_binary (void)
{
  static const TrackSpec tracks[] = {
    { 1000, RC_COPY_PROHIBITED, FALSE, NULL, 0 },  /* CONTROL 0 */
    { 500, RC_COPY_PROHIBITED, FALSE, NULL, 0 },
  };
  g_autoptr(RcDisc) disc = build_disc (10, 0, tracks, 2);
  /* tracks 10 and 11 in binary (0x0A, 0x0B), not BCD */
  static const guint8 expected[] = {
    0x00, 0x1A, 0x0A, 0x0B,
    0x00, 0x10, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x10, 0x0B, 0x00, 0x00, 0x00, 0x03, 0xE8,
    0x00, 0x10, 0xAA, 0x00, 0x00, 0x00, 0x05, 0xDC,
  };

  check_toc (disc, expected, sizeof expected);
}

static void
test_toc_special_pregap (void)
{
  g_autoptr(RcDisc) disc = build_disc (1, 300, disc_sp, 1);
  /* length 2 + 8*2 = 18; track 1 at 300 - 150 = 150 = 0x96,
   * lead-out 150 + 1000 = 1150 = 0x47E */
  static const guint8 expected[] = {
    0x00, 0x12, 0x01, 0x01,
    0x00, 0x12, 0x01, 0x00, 0x00, 0x00, 0x00, 0x96,
    0x00, 0x12, 0xAA, 0x00, 0x00, 0x00, 0x04, 0x7E,
  };

  check_toc (disc, expected, sizeof expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/known-answers/crc/q-vector", test_crc_q_vector);
  g_test_add_func ("/known-answers/crc/cd-text-vector", test_crc_cd_text_vector);
  g_test_add_func ("/known-answers/crc/xmodem", test_crc_xmodem);
  g_test_add_func ("/known-answers/crc/residue", test_crc_residue);
  g_test_add_func ("/known-answers/sector-bytes", test_sector_bytes);
  g_test_add_func ("/known-answers/bcd", test_bcd);
  g_test_add_func ("/known-answers/msf/sectors", test_msf_sectors);
  g_test_add_func ("/known-answers/msf/lba", test_msf_lba);
  g_test_add_func ("/known-answers/msf/round-trip", test_msf_round_trip);
  g_test_add_func ("/known-answers/mcn/check-digit", test_mcn_check_digit);
  g_test_add_func ("/known-answers/mcn/normalize", test_mcn_normalize);
  g_test_add_func ("/known-answers/mcn/refused", test_mcn_refused);
  g_test_add_func ("/known-answers/isrc/normalize", test_isrc_normalize);
  g_test_add_func ("/known-answers/isrc/format", test_isrc_format);
  g_test_add_func ("/known-answers/isrc/refused", test_isrc_refused);
  g_test_add_func ("/known-answers/q/program-area", test_q_program_area);
  g_test_add_func ("/known-answers/q/lead-out", test_q_leadout);
  g_test_add_func ("/known-answers/q/postponed", test_q_postponed);
  g_test_add_func ("/known-answers/q/lead-in", test_q_leadin_one_track);
  g_test_add_func ("/known-answers/q/lead-in-control", test_q_leadin_control);
  g_test_add_func ("/known-answers/q/scms", test_q_scms);
  g_test_add_func ("/known-answers/q/scms-preemphasis-mcn", test_q_scms_preemphasis_mcn);
  g_test_add_func ("/known-answers/q/track-number-bcd", test_q_track_number_bcd);
  g_test_add_func ("/known-answers/q/gaps", test_q_gaps);
  g_test_add_func ("/known-answers/q/special-pregap", test_q_special_pregap);
  g_test_add_func ("/known-answers/p/gapless", test_p_gapless);
  g_test_add_func ("/known-answers/p/runs", test_p_runs);
  g_test_add_func ("/known-answers/p/gaps", test_p_gaps);
  g_test_add_func ("/known-answers/p/special-pregap", test_p_special_pregap);
  g_test_add_func ("/known-answers/pack16", test_pack16);
  g_test_add_func ("/known-answers/pack96", test_pack96);
  g_test_add_func ("/known-answers/pack96-rw", test_pack96_rw);
  g_test_add_func ("/known-answers/toc/two-tracks", test_toc_two_tracks);
  g_test_add_func ("/known-answers/toc/track-number-binary", test_toc_track_number_binary);
  g_test_add_func ("/known-answers/toc/special-pregap", test_toc_special_pregap);

  return g_test_run ();
}
