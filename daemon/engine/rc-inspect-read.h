/* rc-inspect-read.h: the sectors of an image file, read in batches and
 * brought to one form whatever the file's layout.
 *
 * A full image holds the main channel and a subchannel in each sector
 * (PQ_ONLY: 16 bytes of Q and P; IS_COOKED, IS_RAW: 96 interleaved
 * bytes); a BIN holds the main channel only and its .sub the 96 bytes of
 * subchannel (planar as CloneCD writes it, or interleaved).  Whatever the
 * layout, a sector is given as its main channel, Q, P and R-W symbols.
 * Files are read with pread(): the descriptors' offsets do not move.
 */
#pragma once

#include "rc-inspect.h"

G_BEGIN_DECLS

/* ~1 MiB per read: cheap in system calls, prompt for Cancel and progress. */
#define RC_INSPECT_BATCH_SECTORS 428
#define RC_INSPECT_SUB_BYTES     96
#define RC_INSPECT_PQ16_BYTES    16

typedef enum {
  RC_INSPECT_SUB_PQ16,         /* PQ_ONLY: Q, three zero bytes, P flag */
  RC_INSPECT_SUB_INTERLEAVED,  /* 96 bytes, P Q R..W as bits 7..0 of each */
  RC_INSPECT_SUB_PLANAR,       /* 96 bytes, 12 per channel: P, Q, R..W (CloneCD .sub) */
} RcInspectSubForm;

typedef struct {
  RcInspectInput   input;
  RcInspectSubForm form;
  guint            image_bytes;  /* per sector in the image file */
  guint            sub_bytes;    /* per sector in the .sub, 0 without one */
  guint64          sectors;
} RcInspectFormat;

typedef struct {
  int             image_fd;
  int             sub_fd;
  RcInspectFormat fmt;
  guint8         *image_buf;   /* one batch */
  guint8         *sub_buf;
  guint64         bytes_read;
} RcInspectReader;

typedef struct {
  const guint8 *main;
  guint8        q[12];
  const guint8 *pq16;      /* the 16-byte PQ_ONLY part, or NULL */
  guint8        p[12];     /* P channel of the 96-byte forms */
  guint8        rw[96];    /* R-W symbols, bits 5..0 (96-byte forms) */
} RcInspectSector;

/* The size of a regular file (pread needs one, and the size tells the
 * sector format); `what` names it in the error. */
gboolean rc_inspect_file_size     (int fd, const char *what, guint64 *size, GError **error);

void     rc_inspect_reader_init   (RcInspectReader *r, int image_fd, int sub_fd,
                                   const RcInspectFormat *fmt);
void     rc_inspect_reader_clear  (RcInspectReader *r);
/* Reads sectors first .. first + n - 1 (n <= RC_INSPECT_BATCH_SECTORS). */
gboolean rc_inspect_reader_read   (RcInspectReader *r, guint64 first, guint n, GError **error);
/* Sector i of the batch read last. */
void     rc_inspect_reader_sector (const RcInspectReader *r, guint i, RcInspectSector *s);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RcInspectReader, rc_inspect_reader_clear)

gboolean rc_inspect_all_zero      (const guint8 *data, gsize len);

typedef enum {
  RC_INSPECT_CRC_OK,
  RC_INSPECT_CRC_OTHER_CONVENTION,  /* inverted where it should not be, or the reverse */
  RC_INSPECT_CRC_BAD,
} RcInspectCrc;

/* PINNED §3: PQ_ONLY stores the CRC as computed, the 96-byte forms
 * inverted (as on disc).  An all-zero Q is BAD (its uninverted CRC is
 * valid, but it carries nothing). */
RcInspectCrc rc_inspect_q_crc       (const guint8 q[12], RcInspectSubForm form);
/* A Q that is plainly a Q: its CRC checks (either convention) and it is
 * in mode 1, 2 or 3. */
gboolean     rc_inspect_q_plausible (const guint8 q[12], RcInspectSubForm form);

G_END_DECLS
