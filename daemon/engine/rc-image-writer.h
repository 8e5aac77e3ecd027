/* rc-image-writer.h: streams sectors of a layout to file descriptors.
 *
 * Memory use is bounded by one batch of sectors, whatever the image size.
 * Blocking: run it on a worker thread.
 */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

/* What an output receives of each sector. */
typedef enum {
  RC_SECTOR_FORM_FULL,        /* main channel + subchannel in the image type's form */
  RC_SECTOR_FORM_AUDIO,       /* the 2352 bytes of main channel (BIN, CloneCD .img) */
  RC_SECTOR_FORM_SUB_PLANAR,  /* 96 bytes: P, Q, R, S, T, U, V, W, 12 bytes each (CloneCD .sub) */
  RC_SECTOR_FORM_SUB_RAW,     /* the 96 interleaved subchannel bytes alone */
  RC_SECTOR_FORM_AUDIO_BE,    /* the 2352 bytes of main channel, samples big-endian
                               * (cdrdao's raw byte order: the TOC data file) */
  RC_SECTOR_FORM_AUDIO_BE_SUB,/* 2448 bytes: RC_SECTOR_FORM_AUDIO_BE, then the 96
                               * interleaved subchannel bytes as in
                               * RC_SECTOR_FORM_SUB_RAW (cdrdao's RW_RAW blocks) */
} RcSectorForm;

typedef struct {
  int          fd;
  RcSectorForm form;
} RcImageOutput;

/* Called after each batch. */
typedef void (*RcProgressFunc) (guint64 sectors_written,
                                guint64 total_sectors,
                                guint64 bytes_written,
                                gpointer user_data);

/* Bytes per sector of a form for an image type. */
guint    rc_sector_form_bytes (RcSectorForm form, RcImageType type);

/* Writes sectors first_lba .. end_lba-1 to every output.  Errors:
 * RC_ERROR_CANCELLED, RC_ERROR_UNSUPPORTED_AUDIO (a stream that ends
 * early), RC_ERROR_INVALID_ARGUMENT (bad R-W generator data),
 * RC_ERROR_FAILED (a write that failed: the message says why and after
 * how many bytes). */
gboolean rc_image_write_range (RcLayout            *layout,
                               RcImageType          type,
                               gint                 first_lba,
                               gint                 end_lba,
                               const RcImageOutput *outputs,
                               guint                n_outputs,
                               RcProgressFunc       progress,
                               gpointer             user_data,
                               GCancellable        *cancellable,
                               GError             **error);

/* The full image (IMAPI's result): every sector from LBA -22650 through
 * the lead-out, in RC_SECTOR_FORM_FULL, to one descriptor. */
gboolean rc_image_write       (RcLayout       *layout,
                               RcImageType     type,
                               int             fd,
                               RcProgressFunc  progress,
                               gpointer        user_data,
                               GCancellable   *cancellable,
                               GError        **error);

G_END_DECLS
