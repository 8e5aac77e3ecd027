/* test-rw.c: the CD+G coder of the R-W channels (rc-rw.h).
 *
 * The checks here do not reuse the coder's arithmetic: GF(64) products
 * are recomputed by shift-and-add, the parity is checked by evaluating the
 * syndromes of IEC 60908's check matrices, and the interleave is undone by
 * a de-interleaver written from the definition.
 */
#include "rc-error.h"
#include "rc-rw.h"

#include <string.h>

/* Carry-less multiplication reduced by x^6 + x + 1, bit by bit. */
static guint8
slow_mul (guint8 a, guint8 b)
{
  guint product = 0;

  for (guint bit = 0; bit < 6; bit++)
    {
      if (b & (1u << bit))
        product ^= (guint) a << bit;
    }
  for (guint bit = 11; bit >= 6; bit--)
    {
      if (product & (1u << bit))
        product ^= 0x43u << (bit - 6);
    }
  return (guint8) product;
}

static guint8
slow_pow (guint8 base, guint n)
{
  guint8 r = 1;

  for (guint i = 0; i < n; i++)
    r = slow_mul (r, base);
  return r;
}

/* S_k = sum over p of c_p * (alpha^k)^(n-1-p), by Horner's rule. */
static gboolean
syndromes_zero (const guint8 *c, guint n, guint r)
{
  for (guint k = 0; k < r; k++)
    {
      guint8 root = slow_pow (0x02, k);
      guint8 s = 0;
      for (guint p = 0; p < n; p++)
        s = slow_mul (s, root) ^ c[p];
      if (s != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
pack_checks (const guint8 pack[RC_RW_PACK_SYMBOLS])
{
  return syndromes_zero (pack, 4, 2) && syndromes_zero (pack, 24, 4);
}

static void
random_symbols (guint8 *buf, gsize len)
{
  for (gsize i = 0; i < len; i++)
    buf[i] = (guint8) g_test_rand_int_range (0, 64);
}

static void
test_gf_known_answers (void)
{
  gboolean seen[64] = { FALSE };

  /* alpha^6 = alpha + 1 is the field polynomial itself. */
  g_assert_cmpuint (rc_rw_gf_exp (0), ==, 0x01);
  g_assert_cmpuint (rc_rw_gf_exp (1), ==, 0x02);
  g_assert_cmpuint (rc_rw_gf_exp (5), ==, 0x20);
  g_assert_cmpuint (rc_rw_gf_exp (6), ==, 0x03);
  g_assert_cmpuint (rc_rw_gf_exp (7), ==, 0x06);
  g_assert_cmpuint (rc_rw_gf_exp (62), ==, 0x21);   /* alpha^-1 = x^5 + 1 */
  g_assert_cmpuint (rc_rw_gf_exp (63), ==, 0x01);   /* the cycle closes at 63 */
  g_assert_cmpuint (rc_rw_gf_log (0x03), ==, 6);

  /* alpha is primitive: its powers run through all 63 non-zero symbols. */
  for (guint i = 0; i < 63; i++)
    {
      guint8 x = rc_rw_gf_exp (i);
      g_assert_cmpuint (x, !=, 0);
      g_assert_cmpuint (x, <, 64);
      g_assert_false (seen[x]);
      seen[x] = TRUE;
      g_assert_cmpuint (rc_rw_gf_log (x), ==, i);
      g_assert_cmpuint (x, ==, slow_pow (0x02, i));
    }

  for (guint a = 0; a < 64; a++)
    for (guint b = 0; b < 64; b++)
      g_assert_cmpuint (rc_rw_gf_mul ((guint8) a, (guint8) b), ==,
                        slow_mul ((guint8) a, (guint8) b));
}

static void
test_q_parity_known_answer (void)
{
  guint8 pack[RC_RW_PACK_SYMBOLS] = { 0 };

  /* Worked by hand from the two Q checks c0+c1+c2+c3 = 0 and
   * a^3 c0 + a^2 c1 + a c2 + c3 = 0 with c0 = 1, c1 = 0:
   * c2 = (a^3+1)/(a+1) = a^2+a+1 = 0x07, c3 = c0+c2 = 0x06. */
  pack[0] = 0x01;
  rc_rw_pack_add_parity (pack);
  g_assert_cmpuint (pack[2], ==, 0x07);
  g_assert_cmpuint (pack[3], ==, 0x06);
  g_assert_true (pack_checks (pack));

  /* All-zero data gives all-zero parity. */
  memset (pack, 0, sizeof (pack));
  rc_rw_pack_add_parity (pack);
  for (guint i = 0; i < RC_RW_PACK_SYMBOLS; i++)
    g_assert_cmpuint (pack[i], ==, 0);
}

static void
test_pack_parity (void)
{
  guint8 pack[RC_RW_PACK_SYMBOLS];

  memset (pack, 0x3f, sizeof (pack));
  rc_rw_pack_add_parity (pack);
  g_assert_true (pack_checks (pack));

  for (guint round = 0; round < 2000; round++)
    {
      guint8 before[RC_RW_PACK_SYMBOLS];

      random_symbols (pack, sizeof (pack));
      memcpy (before, pack, sizeof (pack));
      rc_rw_pack_add_parity (pack);
      g_assert_true (pack_checks (pack));
      /* data and mode/instruction symbols untouched */
      g_assert_cmpmem (pack, 2, before, 2);
      g_assert_cmpmem (pack + 4, 16, before + 4, 16);

      /* one wrong symbol anywhere breaks a check */
      pack[round % RC_RW_PACK_SYMBOLS] ^= 0x01 + (round % 63);
      g_assert_false (pack_checks (pack));
    }
}

/* Undo the coding of a stream of output packs: output pack m carries in
 * symbol j the symbol j of coded pack m - j % 8; then swap back. */
static void
deinterleave (const guint8 *out, guint n_out_packs, guint pack, guint8 coded[RC_RW_PACK_SYMBOLS])
{
  for (guint j = 0; j < RC_RW_PACK_SYMBOLS; j++)
    {
      guint m = pack + j % 8;
      g_assert_cmpuint (m, <, n_out_packs);
      coded[j] = out[m * RC_RW_PACK_SYMBOLS + j];
    }
  for (guint i = 0; i < 3; i++)
    {
      static const guint pairs[3][2] = { { 1, 18 }, { 2, 5 }, { 3, 23 } };
      guint8 t = coded[pairs[i][0]];
      coded[pairs[i][0]] = coded[pairs[i][1]];
      coded[pairs[i][1]] = t;
    }
}

static void
test_encoder_round_trip (void)
{
  const guint n_sectors = 50;
  const guint n_flush = 2;   /* delays of up to 7 packs spill into 2 sectors */
  guint total = n_sectors + n_flush;
  g_autofree guint8 *in = g_malloc0 ((gsize) total * RC_RW_SECTOR_BYTES);
  g_autofree guint8 *out = g_malloc0 ((gsize) total * RC_RW_SECTOR_BYTES);
  g_autoptr(RcRwEncoder) enc = rc_rw_encoder_new ();

  random_symbols (in, (gsize) n_sectors * RC_RW_SECTOR_BYTES);
  for (guint s = 0; s < total; s++)
    rc_rw_encoder_encode_sector (enc, in + s * RC_RW_SECTOR_BYTES,
                                 out + s * RC_RW_SECTOR_BYTES);

  /* Before any input the delay line is zero: output pack m shows zero in
   * every symbol j with j % 8 > m. */
  for (guint m = 0; m < 8; m++)
    for (guint j = 0; j < RC_RW_PACK_SYMBOLS; j++)
      {
        if (j % 8 > m)
          g_assert_cmpuint (out[m * RC_RW_PACK_SYMBOLS + j], ==, 0);
      }

  for (guint p = 0; p < n_sectors * RC_RW_PACKS_PER_SECTOR; p++)
    {
      const guint8 *src = in + p * RC_RW_PACK_SYMBOLS;
      guint8 coded[RC_RW_PACK_SYMBOLS];

      deinterleave (out, total * RC_RW_PACKS_PER_SECTOR, p, coded);
      g_assert_cmpmem (coded, 2, src, 2);
      g_assert_cmpmem (coded + 4, 16, src + 4, 16);
      g_assert_true (pack_checks (coded));
    }

  for (gsize i = 0; i < (gsize) total * RC_RW_SECTOR_BYTES; i++)
    g_assert_cmpuint (out[i] & 0xc0, ==, 0);
}

/* rc_rw_pack_parity_ok agrees with the syndromes computed here, for
 * codewords and for codewords with one symbol changed. */
static void
test_parity_check (void)
{
  for (guint n = 0; n < 500; n++)
    {
      guint8 pack[RC_RW_PACK_SYMBOLS];
      guint at = (guint) g_test_rand_int_range (0, RC_RW_PACK_SYMBOLS);

      random_symbols (pack, sizeof pack);
      g_assert_cmpint (rc_rw_pack_parity_ok (pack), ==, pack_checks (pack));
      rc_rw_pack_add_parity (pack);
      g_assert_true (pack_checks (pack));
      g_assert_true (rc_rw_pack_parity_ok (pack));
      pack[at] ^= (guint8) g_test_rand_int_range (1, 64);
      g_assert_false (pack_checks (pack));
      g_assert_false (rc_rw_pack_parity_ok (pack));
    }
}

/* The decoder gives back what the definition-based de-interleaver above
 * reads from the encoder's output, pack for pack. */
static void
test_decoder (void)
{
  const guint n_sectors = 20;
  const guint n_packs = n_sectors * RC_RW_PACKS_PER_SECTOR;
  g_autofree guint8 *in = g_malloc0 ((gsize) n_sectors * RC_RW_SECTOR_BYTES);
  g_autofree guint8 *out = g_malloc0 ((gsize) n_sectors * RC_RW_SECTOR_BYTES);
  g_autoptr(RcRwEncoder) enc = rc_rw_encoder_new ();
  g_autoptr(RcRwDecoder) dec = rc_rw_decoder_new ();
  guint n_coded = 0;

  random_symbols (in, (gsize) n_sectors * RC_RW_SECTOR_BYTES);
  for (guint s = 0; s < n_sectors; s++)
    rc_rw_encoder_encode_sector (enc, in + s * RC_RW_SECTOR_BYTES, out + s * RC_RW_SECTOR_BYTES);

  for (guint m = 0; m < n_packs; m++)
    {
      guint8 coded[RC_RW_PACK_SYMBOLS];
      guint8 want[RC_RW_PACK_SYMBOLS];

      if (!rc_rw_decoder_push_pack (dec, out + m * RC_RW_PACK_SYMBOLS, coded))
        {
          g_assert_cmpuint (m, <, 7);
          continue;
        }
      g_assert_cmpuint (m, >=, 7);
      deinterleave (out, n_packs, m - 7, want);
      g_assert_cmpmem (coded, sizeof coded, want, sizeof want);
      g_assert_cmpmem (coded + 4, 16, in + (m - 7) * RC_RW_PACK_SYMBOLS + 4, 16);
      g_assert_true (rc_rw_pack_parity_ok (coded));
      n_coded++;
    }
  g_assert_cmpuint (n_coded, ==, n_packs - 7);
}

static void
test_encoder_restart (void)
{
  const guint n_sectors = 10;
  g_autofree guint8 *in = g_malloc ((gsize) n_sectors * RC_RW_SECTOR_BYTES);
  g_autofree guint8 *out = g_malloc ((gsize) n_sectors * RC_RW_SECTOR_BYTES);
  g_autoptr(RcRwEncoder) enc = rc_rw_encoder_new ();
  guint8 again[RC_RW_SECTOR_BYTES];
  guint8 scratch[RC_RW_SECTOR_BYTES];
  guint8 inplace[RC_RW_SECTOR_BYTES];

  random_symbols (in, (gsize) n_sectors * RC_RW_SECTOR_BYTES);
  for (guint s = 0; s < n_sectors; s++)
    rc_rw_encoder_encode_sector (enc, in + s * RC_RW_SECTOR_BYTES,
                                 out + s * RC_RW_SECTOR_BYTES);

  /* After a reset the same input gives the same output. */
  rc_rw_encoder_reset (enc);
  rc_rw_encoder_encode_sector (enc, in, again);
  g_assert_cmpmem (again, sizeof (again), out, RC_RW_SECTOR_BYTES);

  /* Starting at sector 7 needs sectors 5 and 6 fed first. */
  rc_rw_encoder_reset (enc);
  rc_rw_encoder_encode_sector (enc, in + 5 * RC_RW_SECTOR_BYTES, scratch);
  rc_rw_encoder_encode_sector (enc, in + 6 * RC_RW_SECTOR_BYTES, scratch);
  rc_rw_encoder_encode_sector (enc, in + 7 * RC_RW_SECTOR_BYTES, again);
  g_assert_cmpmem (again, sizeof (again), out + 7 * RC_RW_SECTOR_BYTES, RC_RW_SECTOR_BYTES);

  /* ... and feeding only one is not enough (pack 0 reaches back 7 packs). */
  rc_rw_encoder_reset (enc);
  rc_rw_encoder_encode_sector (enc, in + 6 * RC_RW_SECTOR_BYTES, scratch);
  rc_rw_encoder_encode_sector (enc, in + 7 * RC_RW_SECTOR_BYTES, again);
  g_assert_true (memcmp (again, out + 7 * RC_RW_SECTOR_BYTES, RC_RW_SECTOR_BYTES) != 0);

  /* In place gives the same as out of place. */
  rc_rw_encoder_reset (enc);
  memcpy (inplace, in, RC_RW_SECTOR_BYTES);
  rc_rw_encoder_encode_sector (enc, inplace, inplace);
  memcpy (inplace, in + RC_RW_SECTOR_BYTES, RC_RW_SECTOR_BYTES);
  rc_rw_encoder_encode_sector (enc, inplace, inplace);
  g_assert_cmpmem (inplace, sizeof (inplace), out + RC_RW_SECTOR_BYTES, RC_RW_SECTOR_BYTES);
}

static void
test_check_sector (void)
{
  guint8 sector[RC_RW_SECTOR_BYTES];
  g_autoptr(GError) error = NULL;

  memset (sector, 0x3f, sizeof (sector));
  g_assert_true (rc_rw_check_sector (sector, &error));
  g_assert_no_error (error);

  sector[37] = 0x40;
  g_assert_false (rc_rw_check_sector (sector, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "byte 37 "));
  g_clear_error (&error);

  /* the first offending byte is the one named */
  sector[95] = 0x80;
  sector[37] = 0x3f;
  g_assert_false (rc_rw_check_sector (sector, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "byte 95 "));
  g_assert_nonnull (strstr (error->message, "0x80"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rw/gf-known-answers", test_gf_known_answers);
  g_test_add_func ("/rw/q-parity-known-answer", test_q_parity_known_answer);
  g_test_add_func ("/rw/pack-parity", test_pack_parity);
  g_test_add_func ("/rw/encoder-round-trip", test_encoder_round_trip);
  g_test_add_func ("/rw/encoder-restart", test_encoder_restart);
  g_test_add_func ("/rw/parity-check", test_parity_check);
  g_test_add_func ("/rw/decoder", test_decoder);
  g_test_add_func ("/rw/check-sector", test_check_sector);

  return g_test_run ();
}
