/* fuzz-image.h: what the inspector's fuzz targets share: files made from
 * fuzz input (memfds, as a client's descriptor may be), a BIN and its .sub
 * built from Q records with valid CRCs, and the checks every inspection
 * report must pass whatever the input.
 */
#pragma once

#include "rc-inspect.h"

#include <stdint.h>

#define FUZZ_RECORD_BYTES 11   /* Q[0..9] and a flags byte */
#define FUZZ_RW_BYTES     72   /* R-W symbols after a record with flag 0x20 */

/* A memfd holding data; aborts when the kernel gives none. */
int  fuzz_memfd_with        (const void *data, gsize len);

/* A PQ_ONLY image: one 2368-byte sector per record. */
GByteArray *fuzz_pq_only_image (const uint8_t *data, size_t size);

/* A BIN of silence and a planar .sub: one sector per record, each record's
 * Q with a valid CRC (unless flag 0x40), P set by flag 0x80, and with flag
 * 0x20 the next 72 bytes as its R-W. */
void fuzz_bin_and_sub       (const uint8_t *data, size_t size, GByteArray *bin, GByteArray *sub);

/* What holds for every report: bounded, counted, UTF-8 text. */
void fuzz_check_report      (const RcInspectReport *report);
