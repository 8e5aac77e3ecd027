/* rc-cd.h: the fixed numbers of an audio CD (docs/cd-format.md §1-§5). */
#pragma once

#include <glib.h>

#define RC_FRAMES_PER_SECTOR      588     /* stereo sample frames in 1/75 s */
#define RC_AUDIO_BYTES            2352    /* main channel bytes per sector */
#define RC_SECTORS_PER_SECOND     75
#define RC_PREGAP_SECTORS         150     /* the standard 2-second pause */
#define RC_LEADIN_START_LBA       (-22650) /* 95:00:00, where the full image starts */
#define RC_LEADIN_SECTORS         22500   /* -22650 .. -151 */
#define RC_LEADOUT_SECTORS        6750
#define RC_MAX_LEADOUT_LIMIT      398099  /* 88:29:74 */
#define RC_MIN_TRACK_SECTORS      300
#define RC_MIN_INDEX_SECTORS      10
#define RC_MAX_TRACK_NUMBER       99
#define RC_MAX_INDEXES            99
#define RC_LEADOUT_TRACK          0xAA

/* IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE */
typedef enum {
  RC_IMAGE_TYPE_PQ_ONLY = 1,
  RC_IMAGE_TYPE_IS_COOKED = 2,
  RC_IMAGE_TYPE_IS_RAW = 3,
} RcImageType;

/* IMAPI_CD_TRACK_DIGITAL_COPY_SETTING */
typedef enum {
  RC_COPY_PERMITTED = 0,
  RC_COPY_PROHIBITED = 1,
  RC_COPY_SCMS = 2,
} RcCopySetting;

/* CONTROL nibble bits of Q byte 0 */
#define RC_CONTROL_PREEMPHASIS    0x1
#define RC_CONTROL_COPY_PERMITTED 0x2

/* Bytes per sector of the full image for a sector type: 2368 or 2448. */
static inline guint
rc_image_sector_bytes (RcImageType type)
{
  return type == RC_IMAGE_TYPE_PQ_ONLY ? RC_AUDIO_BYTES + 16 : RC_AUDIO_BYTES + 96;
}
