/* rc-layout.h: where everything lies on the disc, computed from the disc
 * model (rc-disc.h).  A layout is immutable and reference counted: image
 * writers and side-file writers on worker threads hold their own reference
 * while the session goes on.
 *
 * LBAs are gint: rc-disc.c places client streams in 64 bits and builds a
 * layout only for a disc that ends within the lead-out limit, so every
 * position here lies between -22650 and a few hundred thousand.
 */
#pragma once

#include "rc-audio-source.h"
#include "rc-cd.h"
#include "rc-cdtext.h"
#include "rc-subcode-source.h"

G_BEGIN_DECLS

typedef struct {
  guint          number;        /* track number, 1..99 */
  gint           pregap_lba;    /* first sector of index 0 */
  gint           start_lba;     /* first sector of index 1 (IMAPI StartingLba) */
  gint           end_lba;       /* one past the last sector (next pregap or lead-out) */
  RcCopySetting  copy;
  gboolean       preemphasis;
  char           isrc[13];      /* canonical 12 characters, "" for none */
  guint          n_indexes;     /* >= 1 */
  gint           index_offsets[RC_MAX_INDEXES]; /* from start_lba; [0] = 0 is index 1 */
} RcLayoutTrack;

/* One stream of audio (or a range of one) and where its samples lie;
 * everything not covered is silence.  A stream starts at the first sample
 * of a sector (offset 0) unless it follows the previous one sample-exactly
 * (cd-format.md §12); the tail of its last sector is silence unless the
 * next stream begins there. */
typedef struct {
  gint           lba;       /* the sector holding the first sample */
  gint           sectors;   /* sectors it touches from lba on */
  RcAudioSource *source;
  gint           offset;    /* frames of that sector before the first sample, 0..587 */
  gint64         first;     /* the first frame taken from the source */
  gint64         frames;    /* frames taken from there */
  guint          track;     /* the track's 1-based index, 0 for the special pregap */
} RcLayoutAudio;

/* Where a stream's first sample lies, in frames from LBA 0's first one. */
static inline gint64
rc_layout_audio_begin (const RcLayoutAudio *audio)
{
  return (gint64) audio->lba * RC_FRAMES_PER_SECTOR + audio->offset;
}

typedef struct {
  guint          first_track;   /* StartingTrackNumber */
  guint          n_tracks;
  RcLayoutTrack *tracks;
  gint           leadout_lba;   /* StartOfLeadout */
  char           mcn[14];       /* 13 digits, "" for none */
  guint          n_audio;
  RcLayoutAudio *audio;         /* in LBA order */
  /* Set in a frozen layout only: */
  RcCdText        *cdtext;       /* NULL when the disc has no CD-TEXT */
  GBytes          *cdtext_packs; /* its packs for the lead-in, or NULL */
  RcSubcodeSource *rw;           /* the R-W generator, or NULL */
  /* Set in a copy made for one job only (rc_layout_copy_measuring): its
   * streams are read by readers that measure each range's levels. */
  gboolean         measure_levels;
} RcLayout;

RcLayout *rc_layout_ref   (RcLayout *layout);
void      rc_layout_unref (RcLayout *layout);
/* A copy of a frozen layout, with measure_levels set: a frozen layout is
 * shared by every job of its disc, and only some jobs measure. */
RcLayout *rc_layout_copy_measuring (const RcLayout *layout);

/* Sectors of the full image: lead-in + program area + lead-out. */
static inline gint
rc_layout_image_sectors (const RcLayout *layout)
{
  return -RC_LEADIN_START_LBA + layout->leadout_lba + RC_LEADOUT_SECTORS;
}

/* The full image's range (IMAPI's result): first_lba .. end_lba - 1. */
static inline void
rc_layout_image_range (const RcLayout *layout, gint *first_lba, gint *end_lba)
{
  *first_lba = RC_LEADIN_START_LBA;
  *end_lba = layout->leadout_lba + RC_LEADOUT_SECTORS;
}

/* IMAPI SectorCount: sectors from index 1 to the end of the track. */
static inline gint
rc_layout_track_sector_count (const RcLayoutTrack *track)
{
  return track->end_lba - track->start_lba;
}

/* CONTROL nibble of a track, without the SCMS alternation. */
guint8    rc_layout_track_control (const RcLayoutTrack *track);

/* What lies at an LBA of the full image. */
typedef enum {
  RC_REGION_LEADIN,
  RC_REGION_PROGRAM,   /* pregaps included, from LBA -150 */
  RC_REGION_LEADOUT,
} RcRegion;

typedef struct {
  RcRegion             region;
  const RcLayoutTrack *track;      /* NULL in the lead-in; the last track in the lead-out */
  guint                index;      /* 0 = pregap, 1..99; 1 in the lead-out */
  gint                 index_lba;  /* first sector of this index (or of the lead-out) */
  gint                 relative;   /* Q relative time in sectors (counts down in index 0) */
} RcPosition;

void      rc_layout_locate (const RcLayout *layout, gint lba, RcPosition *pos);

/* READ TOC format 0, LBA form (IMAPI ExpectedTableOfContents). */
GBytes   *rc_layout_build_toc (const RcLayout *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcLayout, rc_layout_unref)

G_END_DECLS
