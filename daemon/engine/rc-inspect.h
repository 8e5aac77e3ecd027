/* rc-inspect.h: reads a raw CD image back and reports what it holds and
 * what is wrong with it (Manager.InspectImage, rawcdctl inspect).
 *
 * The inspector is given no expected layout: it reconstructs the tracks,
 * indexes, lead-in TOC, MCN, ISRCs and CD-TEXT from the subchannel alone,
 * checks them against each other and against cd-format.md, and reports each
 * inconsistency with the LBA where it shows.  It is product code with its
 * own checks: it shares no encoding helper with the subchannel encoder
 * (rc-subchannel.c), so that an encoder bug is not read back as correct;
 * only plain arithmetic (BCD, MSF, CRC-16, GF(64) of rc-rw.h) is common.
 *
 * Inputs:
 *  - a full image (IMAPI's result) of 2368-byte (PQ_ONLY) or 2448-byte
 *    (IS_COOKED, IS_RAW) sectors; the sector size is told from the file size
 *    and from which interpretation gives valid Q CRCs;
 *  - a BIN of 2352-byte sectors with its .sub of 96 bytes per sector
 *    (planar P, Q, R..W as CloneCD writes it; an interleaved .sub is
 *    accepted too); the LBA of the BIN's first sector is read from the
 *    absolute times in the .sub.
 *
 * The main channel is not checked, except that the lead-in and lead-out
 * should be digital silence (a warning).
 *
 * Memory is bounded: the files are read in batches with pread(), whatever
 * their size; the problems kept are capped (the count is not).  Blocking:
 * run it on a worker thread.  The descriptors are not closed and their file
 * offsets are not moved.
 *
 * The report holds only numbers and strings a client shows as they are
 * (LBAs, track numbers, BCD bytes as on disc, decoded text, stable check
 * names): an exported object turns it into a{sv} without CD arithmetic;
 * rc_inspect_msf_string() gives a time for an LBA.
 */
#pragma once

#include "rc-cdtext-decode.h"
#include "rc-cd.h"
#include "rc-image-writer.h"  /* RcProgressFunc */

G_BEGIN_DECLS

/* The LBA of a problem of the image as a whole (its size, say). */
#define RC_INSPECT_NO_LBA               G_MININT
#define RC_INSPECT_DEFAULT_MAX_PROBLEMS 1000

typedef enum {
  RC_INSPECT_INPUT_FULL_IMAGE,  /* one file, main channel + subchannel per sector */
  RC_INSPECT_INPUT_BIN_SUB,     /* 2352-byte sectors + a separate 96-byte .sub */
} RcInspectInput;

typedef enum {
  RC_INSPECT_SEVERITY_ERROR,
  RC_INSPECT_SEVERITY_WARNING,  /* allowed, but not what rawcd writes */
} RcInspectSeverity;

/* The rule a problem breaks.  rc_inspect_check_name() gives a stable
 * lower-case name for each (the D-Bus report uses it as a key). */
typedef enum {
  RC_INSPECT_CHECK_IMAGE,        /* "image": size, sector format, where it starts, lead-out length */
  RC_INSPECT_CHECK_Q_CRC,        /* "q-crc": a Q whose CRC does not match */
  RC_INSPECT_CHECK_Q_FORMAT,     /* "q-format": unknown ADR, bad BCD, non-zero reserved bits */
  RC_INSPECT_CHECK_TIME,         /* "time": absolute time or AFRAME not continuous: sectors dropped or repeated */
  RC_INSPECT_CHECK_POSITION,     /* "position": track/index order, relative time, region order */
  RC_INSPECT_CHECK_CONTROL,      /* "control": CONTROL changes within a track, data track bits */
  RC_INSPECT_CHECK_TOC,          /* "toc": lead-in entries that disagree with each other or are missing */
  RC_INSPECT_CHECK_TOC_PROGRAM,  /* "toc-program": the lead-in TOC disagrees with the program area */
  RC_INSPECT_CHECK_MCN,          /* "mcn": differing values, check digit, spacing, placement */
  RC_INSPECT_CHECK_ISRC,         /* "isrc": differing values in a track, spacing, placement */
  RC_INSPECT_CHECK_P,            /* "p": P bits of a sector not all equal; PQ_ONLY padding */
  RC_INSPECT_CHECK_CDTEXT,       /* "cdtext": pack CRC, differing copies, size info, decoding */
  RC_INSPECT_CHECK_MAIN,         /* "main": lead-in or lead-out not silent (a warning) */
  RC_INSPECT_CHECK_SHEET,        /* "sheet": a CUE sheet's text, or what it says against the data */
} RcInspectCheck;

#define RC_INSPECT_N_CHECKS (RC_INSPECT_CHECK_SHEET + 1)

const char *rc_inspect_check_name    (RcInspectCheck check);

/* "MM:SS:FF", the absolute time of an LBA (lead-in LBAs give 90..99
 * minutes), for a client that shows times rather than LBAs. */
#define RC_INSPECT_MSF_LEN 9
void        rc_inspect_msf_string    (gint lba, char out[RC_INSPECT_MSF_LEN]);

typedef struct {
  gint               lba;       /* RC_INSPECT_NO_LBA for the image as a whole */
  RcInspectCheck     check;
  RcInspectSeverity  severity;
  char              *message;   /* says what was found and what was expected */
} RcInspectProblem;

/* A track as the program area shows it. */
typedef struct {
  guint          number;
  gint           pregap_lba;    /* first index-0 sector; RC_INSPECT_NO_LBA when it has none */
  gint           start_lba;     /* first index-1 sector; RC_INSPECT_NO_LBA when never seen */
  gint           end_lba;       /* one past its last sector (next track's first, or the lead-out) */
  guint          n_indexes;     /* indexes 1.. seen */
  gint           index_lba[RC_MAX_INDEXES]; /* first sector of index 1..n_indexes */
  /* CONTROL with the copy bit as its lead-in TOC entry should carry it
   * (clear under SCMS): pre-emphasis 0x1, copy permitted 0x2, data 0x4,
   * four channels 0x8. */
  guint8         control;
  RcCopySetting  copy;          /* SCMS when the copy bit alternates */
  gboolean       preemphasis;
  char           isrc[13];      /* the 12 characters its mode-3 Q carries most, "" for none */
} RcInspectTrack;

/* One lead-in TOC entry: the value most of its copies carry. */
typedef struct {
  guint8  point;        /* 0x01..0x99 (BCD track number), 0xA0, 0xA1, 0xA2 */
  guint8  control;
  guint8  pmin, psec, pframe;  /* as on disc (BCD) */
  guint   track;        /* tracks: the track; A0/A1: first/last track number (PMIN); A2: 0 */
  gint    lba;          /* tracks and A2: PMSF as an LBA; RC_INSPECT_NO_LBA for A0/A1 */
  guint   copies;       /* lead-in sectors carrying this value */
} RcInspectTocEntry;

typedef struct {
  RcInspectInput     input;
  /* PQ_ONLY, IS_COOKED or IS_RAW; 0 when a 96-byte subchannel (the image's
   * or a .sub's) carries no R-W data that tells IS_COOKED from IS_RAW:
   * IS_RAW's program-area R-W passes the CD+G parity checks once its
   * interleave is undone (§8), IS_COOKED's is as given; CD-TEXT in the
   * lead-in reads the same in both. */
  RcImageType        image_type;
  guint              sector_bytes;  /* of the image file: 2368, 2448, or 2352 for a BIN */
  char              *format;        /* in words: "IS_RAW: 2448-byte sectors" ... */
  guint64            sectors;       /* whole sectors inspected */
  gint               first_lba;     /* LBA of the first sector, from its Q */
  gboolean           has_leadin;
  gboolean           has_leadout;

  guint              first_track;   /* 0 when no track was seen */
  guint              last_track;
  guint              n_tracks;
  RcInspectTrack    *tracks;
  gint               leadout_lba;   /* first lead-out sector; RC_INSPECT_NO_LBA when not seen */
  char               mcn[14];       /* the 13 digits most mode-2 Q carry, "" for none */

  guint              n_toc;
  RcInspectTocEntry *toc;           /* by POINT: tracks, A0, A1, A2; none without a lead-in */

  RcCdTextDecoded   *cdtext;        /* NULL when the lead-in carries no CD-TEXT */

  /* sectors whose Q CRC does not match as the form stores it; a CRC
   * stored in the other form's convention (inverted or not) counts here
   * but is reported once for the image */
  guint64            n_q_crc_errors;
  guint64            n_cdtext_pack_errors; /* lead-in packs whose CRC does not match */
  guint64            n_nonsilent_sectors;  /* lead-in and lead-out sectors with audio */

  guint              n_problems;    /* all problems found */
  guint              counts[RC_INSPECT_N_CHECKS]; /* of them, per check */
  GPtrArray         *problems;      /* RcInspectProblem: the first max_problems found, by LBA */
} RcInspectReport;

typedef struct {
  guint max_problems;  /* problems kept in the report; 0 = RC_INSPECT_DEFAULT_MAX_PROBLEMS */
} RcInspectOptions;

/* The largest files an inspection reads.  No Q can name a sector after
 * 99:59:74 (LBA 449849) and a full image starts at 95:00:00 (LBA -22650),
 * so no CD image has more than 472500 sectors: 2448 bytes each in the
 * widest form (IS_RAW, IS_COOKED), 2352 in a BIN, 96 in a .sub.  Anything
 * larger is not a CD image, whatever it holds, and is refused before it is
 * read.  image_bytes, sub_bytes: the sizes of the files (sub_bytes only
 * with has_sub); FALSE with RC_ERROR_INVALID_ARGUMENT naming the file, its
 * size and the bound. */
#define RC_INSPECT_MAX_SECTORS 472500
gboolean         rc_inspect_check_sizes (guint64   image_bytes,
                                         gboolean  has_sub,
                                         guint64   sub_bytes,
                                         GError  **error);

/* Inspects image_fd (a full image, or with sub_fd >= 0 a BIN whose .sub is
 * sub_fd).  Both must be seekable (pread).  Progress is called after each
 * batch with the sectors and bytes read so far.  Errors:
 * RC_ERROR_INVALID_ARGUMENT (not a raw CD image: the message says what was
 * found, or larger than rc_inspect_check_sizes() allows), RC_ERROR_FAILED
 * (a read that failed), RC_ERROR_CANCELLED.  What is
 * wrong inside an image is never an error: it is in the report. */
RcInspectReport *rc_inspect_fd (int                      image_fd,
                                int                      sub_fd,
                                const RcInspectOptions  *options,
                                RcProgressFunc           progress,
                                gpointer                 user_data,
                                GCancellable            *cancellable,
                                GError                 **error);

/* A BIN checked against its CUE sheet (sheet_len bytes of text, at most
 * RC_CUE_MAX_BYTES; the caller has opened the sheet's FILE as bin_fd).
 * With its .sub (sub_fd >= 0) the BIN is inspected as rc_inspect_fd()
 * does, and the sheet's indexes, ISRCs, CATALOG and FLAGS are compared
 * with what the subchannel says; without one, the report's tracks are the
 * sheet's and only what the BIN's size shows is checked.  The sheet's own
 * faults and every disagreement are problems of check "sheet" at the LBA
 * concerned, their messages naming the sheet's line.  Errors as
 * rc_inspect_fd(); a sheet too large is RC_ERROR_INVALID_ARGUMENT. */
RcInspectReport *rc_inspect_cue (int                      bin_fd,
                                 int                      sub_fd,
                                 const char              *sheet,
                                 gsize                    sheet_len,
                                 const RcInspectOptions  *options,
                                 RcProgressFunc           progress,
                                 gpointer                 user_data,
                                 GCancellable            *cancellable,
                                 GError                 **error);

/* A CloneCD set: the .img (img_fd) and .sub (sub_fd) inspected as a BIN
 * and its .sub, and the control file's text (ccd, at most
 * RC_CUE_MAX_BYTES) checked against them: TOC entries, track indexes,
 * CATALOG; its [CDText] packs are decoded into the report's cdtext.  Its
 * faults and disagreements are problems of check "sheet" naming the
 * section.  Errors as rc_inspect_fd(); a control file too large is
 * RC_ERROR_INVALID_ARGUMENT. */
RcInspectReport *rc_inspect_clonecd (int                      img_fd,
                                     int                      sub_fd,
                                     const char              *ccd,
                                     gsize                    ccd_len,
                                     const RcInspectOptions  *options,
                                     RcProgressFunc           progress,
                                     gpointer                 user_data,
                                     GCancellable            *cancellable,
                                     GError                 **error);

void             rc_inspect_report_free (RcInspectReport *report);

/* Whether a problem of `check` was reported at `lba`. */
gboolean         rc_inspect_report_has_problem (const RcInspectReport *report,
                                                RcInspectCheck         check,
                                                gint                   lba);
/* The track with that number, or NULL. */
const RcInspectTrack *rc_inspect_report_get_track (const RcInspectReport *report,
                                                   guint                  number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcInspectReport, rc_inspect_report_free)

G_END_DECLS
