/* rc-inspect-tally.c: values that many sectors repeat (rc-inspect-tally.h). */
#include "rc-inspect-tally.h"

#include <string.h>

void
rc_tally_add (RcTally *t, const void *key, gsize len, gint lba)
{
  guint8 k[RC_TALLY_KEY_LEN] = { 0 };
  RcTallyValue v = { 0 };

  g_assert (len <= RC_TALLY_KEY_LEN);
  memcpy (k, key, len);
  if (t->values == NULL)
    t->values = g_array_new (FALSE, FALSE, sizeof (RcTallyValue));
  for (guint i = 0; i < t->values->len; i++)
    {
      RcTallyValue *e = &g_array_index (t->values, RcTallyValue, i);

      if (memcmp (e->key, k, RC_TALLY_KEY_LEN) != 0)
        continue;
      e->count++;
      if (e->n_lbas < RC_TALLY_MAX_LBAS)
        e->lbas[e->n_lbas++] = lba;
      return;
    }
  if (t->values->len >= RC_TALLY_MAX_VALUES)
    {
      if (t->n_dropped++ == 0)
        t->dropped_lba = lba;
      return;
    }
  memcpy (v.key, k, RC_TALLY_KEY_LEN);
  v.count = 1;
  v.n_lbas = 1;
  v.lbas[0] = lba;
  g_array_append_val (t->values, v);
}

/* The value most copies carry (the first seen of equals), NULL if none. */
const RcTallyValue *
rc_tally_majority (const RcTally *t)
{
  const RcTallyValue *best = NULL;

  for (guint i = 0; t->values != NULL && i < t->values->len; i++)
    {
      const RcTallyValue *e = &g_array_index (t->values, RcTallyValue, i);

      if (best == NULL || e->count > best->count)
        best = e;
    }
  return best;
}

void
rc_tally_clear (RcTally *t)
{
  g_clear_pointer (&t->values, g_array_unref);
  t->n_dropped = 0;
}
