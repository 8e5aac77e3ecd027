/* rc-inspect-rw.c: IS_RAW or IS_COOKED (rc-inspect-rw.h).
 *
 * The CD+G codeword check is rc-rw's (rc_rw_pack_parity_ok(): one GF(64)
 * in the engine), which evaluates the received word at the roots of the
 * codes rather than recomputing parity the encoder's way.  Undoing the
 * interleave is done here, from §8's delays and swaps.
 */
#include "rc-inspect-rw.h"

#include "rc-inspect-read.h"
#include "rc-rw.h"

#include <string.h>

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
      if (rc_rw_pack_parity_ok (pack))
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
  if (rc_rw_pack_parity_ok (coded))
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
