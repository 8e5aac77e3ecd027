/* rc-cdtext-decode.h: CD-TEXT packs read back from a lead-in, turned into
 * text again (cd-format.md §9): the reverse of rc_cdtext_encode().
 *
 * The lead-in repeats every pack thousands of times.  The decoder keeps one
 * copy of each pack (by block and sequence number) with the LBA where it was
 * first seen, so that its memory is bounded (8 blocks x 256 packs) whatever
 * the image holds, and reports a copy that disagrees with the first.
 * Decoding handles strings that continue across packs, TAB ("same as the
 * previous track"), double-byte (MS-JIS) blocks, and packs that are missing
 * (the text stream resynchronises on the next pack's header).
 *
 * Not thread-safe: one inspector feeds it.
 */
#pragma once

#include "rc-cdtext.h"

G_BEGIN_DECLS

/* What the size-info packs (type 0x8F) of a block say. */
typedef struct {
  guint     block;        /* 0..7 */
  guint8    charset;      /* 0x00 ISO-8859-1, 0x01 ASCII, 0x80 MS-JIS */
  guint8    language;     /* EBU Tech 3264 code: 0x09 English ... */
  gboolean  copyright;
  guint     first_track;
  guint     last_track;
  guint     n_packs;      /* distinct packs found, the size info included */
  guint16   genre_code;   /* the two binary bytes of a 0x87 pack, 0 if none */
} RcCdTextBlockInfo;

/* One non-empty string. */
typedef struct {
  guint          block;
  guint          track;   /* 0 = the disc */
  RcCdTextField  field;
  char          *text;    /* UTF-8 */
} RcCdTextEntry;

typedef struct {
  guint              n_blocks;
  RcCdTextBlockInfo *blocks;   /* the blocks present, in ascending order */
  guint              n_entries;
  RcCdTextEntry     *entries;  /* by block, then field, then track */
} RcCdTextDecoded;

void        rc_cdtext_decoded_free (RcCdTextDecoded *decoded);
/* The text of one field, NULL when the image has none. */
const char *rc_cdtext_decoded_get  (const RcCdTextDecoded *decoded,
                                    guint                  block,
                                    guint                  track,
                                    RcCdTextField          field);
/* The size info of a block, NULL when the block is absent. */
const RcCdTextBlockInfo *rc_cdtext_decoded_get_block (const RcCdTextDecoded *decoded,
                                                      guint                  block);

typedef enum {
  RC_CDTEXT_PACK_ADDED,      /* a pack not seen before */
  RC_CDTEXT_PACK_REPEATED,   /* the same bytes as an earlier copy */
  RC_CDTEXT_PACK_CONFLICT,   /* valid, but differs from the earlier copy of its block and sequence number */
  RC_CDTEXT_PACK_BAD_CRC,    /* the CRC does not match: ignored */
  RC_CDTEXT_PACK_NOT_TEXT,   /* a valid CRC but a type outside 0x80..0x8F: ignored */
} RcCdTextPackResult;

typedef struct _RcCdTextDecoder RcCdTextDecoder;

RcCdTextDecoder   *rc_cdtext_decoder_new     (void);
void               rc_cdtext_decoder_free    (RcCdTextDecoder *decoder);

/* One pack as read from the lead-in sector at `lba`. */
RcCdTextPackResult rc_cdtext_decoder_add     (RcCdTextDecoder *decoder,
                                              const guint8     pack[RC_CDTEXT_PACK_SIZE],
                                              gint             lba);
/* Distinct valid packs kept so far. */
guint              rc_cdtext_decoder_n_packs (const RcCdTextDecoder *decoder);

/* Where a problem of the text was seen: the LBA where the pack concerned
 * was first read. */
typedef void (*RcCdTextProblemFunc) (gint lba, const char *message, gpointer user_data);

/* Decodes every block; problems (missing packs, size info that disagrees
 * with the packs, unterminated strings, undecodable characters) go to
 * `problem`.  NULL when no pack was added. */
RcCdTextDecoded   *rc_cdtext_decoder_finish  (RcCdTextDecoder     *decoder,
                                              RcCdTextProblemFunc  problem,
                                              gpointer             user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcCdTextDecoder, rc_cdtext_decoder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcCdTextDecoded, rc_cdtext_decoded_free)

G_END_DECLS
