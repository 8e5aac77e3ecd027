/* rc-rw.c: CD+G coding of the R-W channels (cd-format.md §8).
 *
 * Where the facts come from (learned, not copied):
 *  - The pack layout and its two Reed-Solomon codes over GF(2^6) with
 *    primitive polynomial x^6 + x + 1 are those of IEC 60908 (the Red
 *    Book) for the R-W subcode: the Q code is a (4,2) code over symbols
 *    0-3, the P code a (24,20) code over the whole pack.  The standard
 *    defines them by parity-check matrices whose row k (k = 0..1 for Q,
 *    0..3 for P) holds alpha^(k*(n-1-p)) in the column of symbol p, i.e.
 *    the pack read as a polynomial with symbol 0 as the highest power has
 *    roots 1, alpha, ... alpha^(r-1).
 *  - cdrkit's libedc (edc_ecc.c: encode_LSUB_Q/P, do_encode_sub,
 *    decode_LSUB_Q/P; gen_encodes.c for its tables) implements exactly
 *    this: field polynomial 0x03 over x^6, alpha = 2, the same check
 *    matrices, Q parity first and P parity over the pack with Q in place,
 *    then swaps 1<->18, 2<->5, 3<->23, then a delay line of 8 packs that
 *    delays symbol j by j % 8 packs and starts out zero.
 * The parity here is computed by ordinary systematic division by the
 * generator polynomial rather than by cdrkit's precomputed tables; the
 * result is the same because, for given data symbols, an MDS code has
 * exactly one set of parity symbols that satisfies all checks.
 */
#include "rc-rw.h"

#include "rc-error.h"

#include <string.h>

#define GF_ORDER 63           /* non-zero elements of GF(64) */
#define GF_POLY  0x43         /* x^6 + x + 1 */
#define Q_PARITY 2
#define P_PARITY 4
#define DELAY_PACKS 8

static guint8 gf_exp[GF_ORDER];
static guint8 gf_log[64];
/* Generator polynomials, coefficient of x^i at [i], monic (the x^r term
 * is implicit): prod (x + alpha^k) for k = 0..r-1. */
static guint8 gen_q[Q_PARITY];
static guint8 gen_p[P_PARITY];

/* Needs the tables built; the public rc_rw_gf_mul() makes sure first. */
static inline guint8
gf_mul (guint8 a, guint8 b)
{
  if (a == 0 || b == 0)
    return 0;
  return gf_exp[(gf_log[a] + gf_log[b]) % GF_ORDER];
}

static void
build_generator (guint8 *gen, guint r)
{
  guint8 poly[P_PARITY + 1] = { 1 };

  for (guint k = 0; k < r; k++)
    {
      /* poly *= (x + alpha^k) */
      for (guint i = k + 1; i > 0; i--)
        poly[i] = poly[i - 1] ^ gf_mul (poly[i], gf_exp[k]);
      poly[0] = gf_mul (poly[0], gf_exp[k]);
    }
  memcpy (gen, poly, r);
}

static gpointer
build_tables (gpointer unused)
{
  guint x = 1;

  for (guint i = 0; i < GF_ORDER; i++)
    {
      gf_exp[i] = (guint8) x;
      gf_log[x] = (guint8) i;
      x <<= 1;
      if (x & 0x40)
        x ^= GF_POLY;
    }
  build_generator (gen_q, Q_PARITY);
  build_generator (gen_p, P_PARITY);
  return NULL;
}

static inline void
ensure_tables (void)
{
  static GOnce once = G_ONCE_INIT;
  g_once (&once, build_tables, NULL);
}

guint8
rc_rw_gf_exp (guint n)
{
  ensure_tables ();
  return gf_exp[n % GF_ORDER];
}

guint8
rc_rw_gf_log (guint8 x)
{
  g_return_val_if_fail (x != 0 && x < 64, 0);
  ensure_tables ();
  return gf_log[x];
}

guint8
rc_rw_gf_mul (guint8 a, guint8 b)
{
  ensure_tables ();
  return gf_mul (a & 0x3f, b & 0x3f);
}

/* The remainder of data(x) * x^r divided by the generator, highest power
 * first: the r parity symbols that follow the data in the codeword.  This
 * is the usual shift register: each data symbol plus the register's top
 * is fed back through the generator's coefficients. */
static void
rs_parity (const guint8 *data, guint k, const guint8 *gen, guint r, guint8 *parity)
{
  guint8 reg[P_PARITY] = { 0 };

  for (guint i = 0; i < k; i++)
    {
      guint8 feedback = data[i] ^ reg[0];
      for (guint j = 0; j + 1 < r; j++)
        reg[j] = reg[j + 1] ^ gf_mul (feedback, gen[r - 1 - j]);
      reg[r - 1] = gf_mul (feedback, gen[0]);
    }
  memcpy (parity, reg, r);
}

void
rc_rw_pack_add_parity (guint8 pack[RC_RW_PACK_SYMBOLS])
{
  ensure_tables ();
  for (guint i = 0; i < RC_RW_PACK_SYMBOLS; i++)
    pack[i] &= 0x3f;
  /* Q first: the P code covers the Q parity symbols too. */
  rs_parity (pack, 2, gen_q, Q_PARITY, pack + 2);
  rs_parity (pack, 20, gen_p, P_PARITY, pack + 20);
}

/* The codeword read as a polynomial, symbol 0 the highest power,
 * evaluated at alpha^k for k < r: all zero in a codeword (the rows of
 * IEC 60908's check matrices). */
static gboolean
syndromes_zero (const guint8 *sym, guint n, guint r)
{
  for (guint k = 0; k < r; k++)
    {
      guint8 s = 0;

      for (guint p = 0; p < n; p++)
        s = gf_mul (s, gf_exp[k]) ^ (sym[p] & 0x3f);
      if (s != 0)
        return FALSE;
    }
  return TRUE;
}

gboolean
rc_rw_pack_parity_ok (const guint8 pack[RC_RW_PACK_SYMBOLS])
{
  ensure_tables ();
  return syndromes_zero (pack, 4, Q_PARITY) && syndromes_zero (pack, RC_RW_PACK_SYMBOLS, P_PARITY);
}

gboolean
rc_rw_check_sector (const guint8 in[RC_RW_SECTOR_BYTES], GError **error)
{
  for (guint i = 0; i < RC_RW_SECTOR_BYTES; i++)
    {
      if (in[i] & 0xc0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                       "R-W generator byte %u of the sector is 0x%02x: "
                       "only the low six bits (R-W) may be set", i, in[i]);
          return FALSE;
        }
    }
  return TRUE;
}

struct _RcRwEncoder {
  /* The last DELAY_PACKS coded packs (after parity and swaps), pack n in
   * slot n % DELAY_PACKS.  A slot not yet written reads as zero, which is
   * what the delay line holds before the first pack. */
  guint8 history[DELAY_PACKS][RC_RW_PACK_SYMBOLS];
  guint  n_packs;  /* wraps harmlessly: 2^32 is a multiple of 8 */
};

RcRwEncoder *
rc_rw_encoder_new (void)
{
  return g_new0 (RcRwEncoder, 1);
}

void
rc_rw_encoder_free (RcRwEncoder *self)
{
  g_free (self);
}

void
rc_rw_encoder_reset (RcRwEncoder *self)
{
  g_return_if_fail (self != NULL);
  memset (self, 0, sizeof (*self));
}

static inline void
swap_symbols (guint8 *pack, guint a, guint b)
{
  guint8 t = pack[a];
  pack[a] = pack[b];
  pack[b] = t;
}

static void
encode_pack (RcRwEncoder *self, const guint8 *in, guint8 *out)
{
  guint n = self->n_packs;
  guint8 *coded = self->history[n % DELAY_PACKS];

  memcpy (coded, in, RC_RW_PACK_SYMBOLS);
  rc_rw_pack_add_parity (coded);
  /* Spread the control and parity symbols so that a burst error does not
   * take out both a symbol and the parity that protects it. */
  swap_symbols (coded, 1, 18);
  swap_symbols (coded, 2, 5);
  swap_symbols (coded, 3, 23);

  for (guint j = 0; j < RC_RW_PACK_SYMBOLS; j++)
    {
      guint delay = j % DELAY_PACKS;
      out[j] = self->history[(n - delay) % DELAY_PACKS][j];
    }
  self->n_packs++;
}

void
rc_rw_encoder_encode_sector (RcRwEncoder  *self,
                             const guint8  in[RC_RW_SECTOR_BYTES],
                             guint8        out[RC_RW_SECTOR_BYTES])
{
  g_return_if_fail (self != NULL);

  /* Each input pack is copied into the delay line before its output pack
   * is written, so in and out may be the same buffer. */
  for (guint k = 0; k < RC_RW_PACKS_PER_SECTOR; k++)
    encode_pack (self, in + k * RC_RW_PACK_SYMBOLS, out + k * RC_RW_PACK_SYMBOLS);
}

/* ---- reading: the interleave undone ---- */

struct _RcRwDecoder {
  /* The last DELAY_PACKS packs as read, pack n in slot n % DELAY_PACKS. */
  guint8  ring[DELAY_PACKS][RC_RW_PACK_SYMBOLS];
  guint64 n_read;
};

RcRwDecoder *
rc_rw_decoder_new (void)
{
  return g_new0 (RcRwDecoder, 1);
}

void
rc_rw_decoder_free (RcRwDecoder *self)
{
  g_free (self);
}

gboolean
rc_rw_decoder_push_pack (RcRwDecoder  *self,
                         const guint8  pack[RC_RW_PACK_SYMBOLS],
                         guint8        coded[RC_RW_PACK_SYMBOLS])
{
  guint64 m;

  g_return_val_if_fail (self != NULL, FALSE);

  memcpy (self->ring[self->n_read % DELAY_PACKS], pack, RC_RW_PACK_SYMBOLS);
  self->n_read++;
  if (self->n_read < DELAY_PACKS)
    return FALSE;
  /* Coded pack m had its symbol j delayed by j % 8 packs: it was read in
   * pack m + j % 8, the latest being m + 7, the pack just read. */
  m = self->n_read - DELAY_PACKS;
  for (guint j = 0; j < RC_RW_PACK_SYMBOLS; j++)
    coded[j] = self->ring[(m + j % DELAY_PACKS) % DELAY_PACKS][j];
  swap_symbols (coded, 1, 18);
  swap_symbols (coded, 2, 5);
  swap_symbols (coded, 3, 23);
  return TRUE;
}
