/* rc-inspect-rw.c: IS_RAW or IS_COOKED (rc-inspect-rw.h).
 *
 * The GF(64) arithmetic is rc-rw's (one implementation in the engine); the
 * parity CHECK here is the inspector's own: the encoder computes parity
 * symbols, this evaluates the received word at the roots of the code, so an
 * encoder fault in placing or computing them is not read back as valid.
 */
#include "rc-inspect-rw.h"

#include "rc-inspect-read.h"
#include "rc-rw.h"

#include <string.h>

/* The checks evaluate at alpha^0 .. alpha^3 only: a product table for
 * each of those roots, made once with rc-rw's arithmetic, keeps the
 * evaluation of ~100 symbols per pack to table lookups. */
#define N_ROOTS 4
static guint8 times_root[N_ROOTS][64];

static gpointer
build_root_tables (gpointer unused)
{
  for (guint k = 0; k < N_ROOTS; k++)
    for (guint x = 0; x < 64; x++)
      times_root[k][x] = rc_rw_gf_mul ((guint8) x, rc_rw_gf_exp (k));
  return NULL;
}

/* The symbols as a polynomial, symbol 0 the highest power, evaluated at
 * alpha^k: zero for k < r in a codeword (IEC 60908's check matrices). */
static gboolean
rs_checks (const guint8 *sym, guint n, guint r)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, build_root_tables, NULL);
  g_assert (r <= N_ROOTS);
  for (guint k = 0; k < r; k++)
    {
      guint8 s = 0;

      for (guint p = 0; p < n; p++)
        s = times_root[k][s] ^ (sym[p] & 0x3f);
      if (s != 0)
        return FALSE;
    }
  return TRUE;
}

/* A CD+G pack: Q parity over symbols 0-3, P parity over all 24. */
static gboolean
pack_parity_ok (const guint8 pack[24])
{
  return rs_checks (pack, 4, 2) && rs_checks (pack, 24, 4);
}

static void
swap_symbols (guint8 *pack, guint a, guint b)
{
  guint8 t = pack[a];

  pack[a] = pack[b];
  pack[b] = t;
}

void
rc_inspect_rw_pack (RcInspectRw *e, const guint8 pack[24])
{
  guint8 coded[24];
  guint64 m;

  if (!rc_inspect_all_zero (pack, 24))
    {
      e->cooked_total++;
      if (pack_parity_ok (pack))
        e->cooked_ok++;
    }
  memcpy (e->ring[e->n_read % 8], pack, 24);
  e->n_read++;
  if (e->n_read < 8)
    return;
  /* §8: symbol j was delayed by j % 8 packs, after swapping 1<->18,
   * 2<->5, 3<->23 */
  m = e->n_read - 8;
  for (guint j = 0; j < 24; j++)
    coded[j] = e->ring[(m + j % 8) % 8][j];
  swap_symbols (coded, 1, 18);
  swap_symbols (coded, 2, 5);
  swap_symbols (coded, 3, 23);
  if (rc_inspect_all_zero (coded, 24))
    return;
  e->raw_total++;
  if (pack_parity_ok (coded))
    e->raw_ok++;
}

/* IS_RAW carries every pack with valid parity once the interleave is
 * undone; IS_COOKED carries the generator's packs as given, which do not
 * survive that (unless they are so regular that both readings hold). */
RcImageType
rc_inspect_rw_verdict (const RcInspectRw *e, const char **why)
{
  gboolean raw_holds = e->raw_total > 0 && e->raw_ok * 10 >= e->raw_total * 9;
  gboolean raw_fails = e->raw_ok * 10 < e->raw_total;
  gboolean cooked_holds = e->cooked_ok * 10 >= e->cooked_total * 9;

  if (e->cooked_total == 0)
    {
      *why = "no R-W data outside the lead-in";
      return 0;
    }
  if (raw_holds && !cooked_holds)
    return RC_IMAGE_TYPE_IS_RAW;
  if (raw_fails)
    return RC_IMAGE_TYPE_IS_COOKED;
  *why = "the R-W data reads as CD+G packs both ways";
  return 0;
}
