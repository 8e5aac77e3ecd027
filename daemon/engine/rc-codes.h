/* rc-codes.h: Media Catalog Number and ISRC validation (cd-format.md §4). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The check digit (0..9) of the first 12 digits of an MCN (EAN-13 rule). */
guint    rc_mcn_check_digit (const char *first_12_digits);

/* Validates a Media Catalog Number: 1..13 digits (missing leading zeros are
 * added), with a correct check digit.  Writes the 13 digits and a NUL to
 * out.  An empty string is valid and means "no MCN" (out = ""). */
gboolean rc_mcn_normalize   (const char *in, char out[14], GError **error);

/* Validates an ISRC: CC OOO YY NNNNN, dashes optional, letters in any case.
 * Writes the 12 canonical characters (upper case, no dashes) and a NUL to
 * out.  An empty string means "no ISRC" (out = ""). */
gboolean rc_isrc_normalize  (const char *in, char out[13], GError **error);

/* The display form CC-OOO-YY-NNNNN of a canonical ISRC ("" stays ""). */
char    *rc_isrc_format     (const char *canonical);

G_END_DECLS
