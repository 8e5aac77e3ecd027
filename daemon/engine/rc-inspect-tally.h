/* rc-inspect-tally.h: values that many sectors repeat, counted.
 *
 * A lead-in TOC entry, the MCN and a track's ISRC are each carried by many
 * sectors.  A tally counts the copies of each value and keeps where the
 * first few of each were seen: the value most copies carry is the image's,
 * the others are reported at their LBAs.  Memory is bounded whatever a
 * damaged image holds.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_TALLY_KEY_LEN    16
#define RC_TALLY_MAX_VALUES 16  /* a damaged image must not grow memory */
#define RC_TALLY_MAX_LBAS   16  /* where a value was seen, for reporting */

typedef struct {
  guint8 key[RC_TALLY_KEY_LEN];
  guint  count;
  guint  n_lbas;
  gint   lbas[RC_TALLY_MAX_LBAS];
} RcTallyValue;

typedef struct {
  GArray *values;     /* RcTallyValue, NULL before the first */
  guint   n_dropped;  /* copies of values beyond RC_TALLY_MAX_VALUES */
  gint    dropped_lba;
} RcTally;

/* Counts one copy of the first len (<= RC_TALLY_KEY_LEN) bytes of key. */
void                rc_tally_add      (RcTally *t, const void *key, gsize len, gint lba);
/* The value most copies carry (the first seen of equals), NULL if none. */
const RcTallyValue *rc_tally_majority (const RcTally *t);
void                rc_tally_clear    (RcTally *t);

G_END_DECLS
