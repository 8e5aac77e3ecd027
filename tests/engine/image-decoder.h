/* image-decoder.h: an independent decoder and checker of full raw images.
 *
 * The tests must not trust the encoder to check itself, so this decoder
 * shares none of its helpers: it has its own CRC, BCD, MSF arithmetic,
 * de-interleaving and its own idea of where everything lies on the disc,
 * computed from the same inputs a client gives (docs/cd-format.md §5).
 *
 * A check collects every problem it finds (an LBA and a description naming
 * the rule of cd-format.md) instead of stopping at the first one, so that a
 * failing test shows the shape of a bug and not only its first symptom.
 *
 * Audio is the pattern of test-util.h: a stream is described by its seed and
 * its length in frames, and every sample is recomputed when checked.
 *
 * Use: describe the disc as a client builds it (IdecSpec), derive where
 * everything must lie (idec_layout_new), have the engine or the daemon write
 * the image, then idec_check_image() and expect report->n_problems == 0.
 * idec_check_image() expects no R-W data (every R-W bit zero); an image
 * with CD-TEXT in the lead-in or an R-W generator is checked with
 * idec_check_image_rw(), which decodes the R-W channels itself: the CD-TEXT
 * symbols regrouped into packs, the IS_RAW CD+G coding undone and its
 * Reed-Solomon checks evaluated with its own GF(64) arithmetic.
 */
#pragma once

#include "rc-cd.h"

G_BEGIN_DECLS

/* An LBA for problems of the image as a whole (its size). */
#define IDEC_NO_LBA G_MININT

/* ---- what the client asked for ---- */

typedef struct {
  guint32        seed;          /* test_pattern_sample() seed, != 0 */
  guint64        frames;        /* need not be a multiple of 588 */
  RcCopySetting  copy;
  gboolean       preemphasis;
  const char    *isrc;          /* canonical 12 characters, NULL for none */
  guint          n_extra_indexes;
  const gint    *extra_indexes; /* offsets from index 1, ascending, for index 2.. */
} IdecTrackSpec;

typedef struct {
  guint                first_track;      /* StartingTrackNumber */
  gboolean             disable_gapless;  /* DisableGaplessAudio */
  gboolean             pad_streams;      /* PadStreamsToSectors: FALSE joins gapless
                                          * streams sample-exactly (§12) */
  const char          *mcn;              /* 13 digits, NULL for none */
  guint32              pregap_seed;      /* special pregap, if pregap_frames > 0 */
  guint64              pregap_frames;
  guint                n_tracks;
  const IdecTrackSpec *tracks;
} IdecSpec;

/* ---- where it must lie (computed by idec_layout_new) ---- */

typedef struct {
  guint          number;
  gint           pregap_lba;   /* first sector of index 0 */
  gint           start_lba;    /* first sector of index 1 */
  gint           end_lba;      /* one past the last sector */
  RcCopySetting  copy;
  gboolean       preemphasis;
  char           isrc[13];     /* "" for none */
  guint          n_indexes;    /* index 1.. */
  gint          *index_lba;    /* absolute first sector of index 1..n_indexes */
} IdecTrack;

typedef struct {
  gint           lba;          /* first sector */
  gint           offset;       /* frames of that sector before the first one (§12) */
  gint           sectors;      /* (offset + frames) / 588 rounded up */
  guint64        frames;
  guint32        seed;
} IdecStream;

typedef struct {
  guint          first_track;
  guint          n_tracks;
  IdecTrack     *tracks;
  gint           leadout_lba;
  char           mcn[14];      /* "" for none */
  guint          n_streams;
  IdecStream    *streams;      /* in LBA order */
} IdecLayout;

IdecLayout *idec_layout_new  (const IdecSpec *spec);
void        idec_layout_free (IdecLayout *layout);

/* Sectors of the full image, lead-in and lead-out included. */
gint        idec_layout_image_sectors (const IdecLayout *layout);

/* ---- what was found ---- */

typedef struct {
  gint   lba;                  /* IDEC_NO_LBA for the image as a whole */
  char  *message;
} IdecProblem;

typedef struct {
  guint      n_problems;       /* all problems found */
  GPtrArray *problems;         /* the first IDEC_MAX_PROBLEMS of them */
} IdecReport;

#define IDEC_MAX_PROBLEMS 2000

IdecReport *idec_report_new  (void);
void        idec_report_free (IdecReport *report);
void        idec_report_add  (IdecReport *report, gint lba, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* The first max_lines problems, one a line, and how many more there are. */
char       *idec_report_to_string (const IdecReport *report, guint max_lines);
/* Whether a problem was reported at that LBA (whose message contains
 * `substring`, if not NULL). */
gboolean    idec_report_has (const IdecReport *report, gint lba, const char *substring);

/* Checks every sector of a full image (from LBA -22650) against the layout
 * and adds what is wrong to report. */
void        idec_check_image (const IdecLayout *layout,
                              RcImageType       type,
                              const guint8     *image,
                              gsize             size,
                              IdecReport       *report);

/* ---- R-W data (§3, §7, §8) ---- */

/* What the R-W channels of an image must carry. */
typedef struct {
  /* The CD-TEXT packs the lead-in carries (18 bytes each), NULL for none. */
  const guint8 *cdtext_packs;
  guint         n_cdtext_packs;
  /* The R-W generator as given to the engine: 96 six-bit symbols per image
   * sector from LBA -22650, idec_layout_image_sectors() * 96 bytes; NULL
   * for none.  The lead-in ignores it when there is CD-TEXT. */
  const guint8 *generator;
  gsize         generator_size;
} IdecRw;

/* idec_check_image() with R-W data: P, Q and the main channel as there,
 * and every R-W symbol against `rw` (NULL: every R-W bit zero). */
void        idec_check_image_rw (const IdecLayout *layout,
                                 RcImageType       type,
                                 const IdecRw     *rw,
                                 const guint8     *image,
                                 gsize             size,
                                 IdecReport       *report);

/* 24 six-bit symbols (bits 7-6 ignored) regrouped into the 18 bytes of a
 * CD-TEXT pack: 4 symbols give 3 bytes, most significant bits first. */
void        idec_symbols_to_pack (const guint8 symbols[24], guint8 pack[18]);
/* Whether a pack of 24 symbols (as coded, before the swaps) passes the
 * two Q checks over symbols 0-3 and the four P checks over 0-23 of
 * IEC 60908, computed in GF(64) with x^6 + x + 1. */
gboolean    idec_rw_pack_checks (const guint8 pack[24]);
/* The 96 interleaved subchannel bytes as 8 channels of 12 bytes, P, Q,
 * R .. W (the CloneCD .sub order). */
void        idec_subchannel_planar (const guint8 sub[96], guint8 planar[96]);

/* ---- pieces a test needs to forge a sector (mutation self-checks) ---- */

/* CRC-16 of Q[0..9] as computed (not inverted). */
guint16     idec_crc16 (const guint8 *data, gsize len);
/* The subchannel part of the sector at lba (after its 2352 main bytes). */
guint8     *idec_sector_subchannel (guint8 *image, RcImageType type, gint lba);
/* Q of a subchannel part (either form), and back; set_q writes the 12
 * bytes as given (the caller sets the CRC in the form's convention). */
void        idec_subchannel_get_q (RcImageType type, const guint8 *sub, guint8 q[12]);
void        idec_subchannel_set_q (RcImageType type, guint8 *sub, const guint8 q[12]);
/* Sets Q[10..11] as the form stores it: inverted unless PQ_ONLY. */
void        idec_q_set_crc (RcImageType type, guint8 q[12]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdecLayout, idec_layout_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdecReport, idec_report_free)

G_END_DECLS
