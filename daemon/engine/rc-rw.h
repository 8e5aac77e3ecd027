/* rc-rw.h: the R-W channels of the program area from an R-W generator
 * stream (IMAPI AddSubcodeRWGenerator, CD+G; cd-format.md §8).
 *
 * The generator gives 96 bytes per sector: 4 packs of 24 six-bit symbols
 * (0-1 mode/instruction, 2-3 Q parity, 4-19 data, 20-23 P parity), the top
 * two bits of every byte zero.  IS_COOKED images carry these symbols as
 * given.  IS_RAW images carry them as on disc: with both Reed-Solomon
 * parities computed, three symbol pairs swapped and symbol j of each pack
 * delayed by j % 8 packs.  The output here is again 96 six-bit symbols
 * (bits 5..0); merging them with P and Q in bits 7 and 6 is the
 * subchannel writer's job.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_RW_SECTOR_BYTES      96
#define RC_RW_PACKS_PER_SECTOR  4
#define RC_RW_PACK_SYMBOLS      24

/* GF(64) with primitive polynomial x^6 + x + 1, symbols as bits 5..0,
 * alpha = x = 0x02.  Exposed for the known-answer tests. */
guint8   rc_rw_gf_exp (guint n);              /* alpha^(n mod 63) */
guint8   rc_rw_gf_log (guint8 x);             /* x != 0; 0..62 */
guint8   rc_rw_gf_mul (guint8 a, guint8 b);

/* Fills symbols 2-3 (Q parity over 0-1) and 20-23 (P parity over 0-19,
 * after Q) of one pack in place; the other symbols are masked to 6 bits
 * and otherwise kept.  No swap, no delay. */
void     rc_rw_pack_add_parity (guint8 pack[RC_RW_PACK_SYMBOLS]);

/* TRUE when a pack (24 symbols, after the swaps and delays are undone) is
 * a codeword of both codes: the Q parity checks over symbols 0-3 and the
 * P parity checks over all 24 hold.  Bits 7-6 of the symbols are ignored.
 * This is how a reader tells valid CD+G packs from other data (the
 * inspector uses it to tell IS_RAW from IS_COOKED R-W). */
gboolean rc_rw_pack_parity_ok (const guint8 pack[RC_RW_PACK_SYMBOLS]);

/* FALSE with RC_ERROR_INVALID_ARGUMENT naming the first byte (0..95) that
 * has bit 7 or 6 set.  The caller adds which sector it was. */
gboolean rc_rw_check_sector (const guint8 in[RC_RW_SECTOR_BYTES],
                             GError     **error);

/* The IS_RAW coder.  The delay carries up to 7 packs, so each sector's
 * output holds symbols of the two sectors before it: feed every sector of
 * the image in order from the first.  Before the first sector the delay
 * line holds zero symbols.  To start in the middle, reset and feed the two
 * preceding sectors first, discarding their output. */
typedef struct _RcRwEncoder RcRwEncoder;

RcRwEncoder *rc_rw_encoder_new           (void);
void         rc_rw_encoder_free          (RcRwEncoder  *self);
void         rc_rw_encoder_reset         (RcRwEncoder  *self);
void         rc_rw_encoder_encode_sector (RcRwEncoder  *self,
                                          const guint8  in[RC_RW_SECTOR_BYTES],
                                          guint8        out[RC_RW_SECTOR_BYTES]);

/* The reverse of the IS_RAW coder's interleave, for readers: feed the
 * packs in the order read (IS_RAW symbols); once 8 have been fed, each
 * further pack completes the coded pack that started 7 packs earlier,
 * which comes out with the swaps undone: the generator's symbols 0-1 and
 * 4-19 with the parity in 2-3 and 20-23, ready for
 * rc_rw_pack_parity_ok().  The first 7 packs fed complete nothing. */
typedef struct _RcRwDecoder RcRwDecoder;

RcRwDecoder *rc_rw_decoder_new       (void);
void         rc_rw_decoder_free      (RcRwDecoder  *self);
/* TRUE when `coded` was filled. */
gboolean     rc_rw_decoder_push_pack (RcRwDecoder  *self,
                                      const guint8  pack[RC_RW_PACK_SYMBOLS],
                                      guint8        coded[RC_RW_PACK_SYMBOLS]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcRwEncoder, rc_rw_encoder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcRwDecoder, rc_rw_decoder_free)

G_END_DECLS
