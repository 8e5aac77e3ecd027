/* rc-geometry.h: what a client shows about a disc's layout: image sizes,
 * absolute times, the table of contents decoded, what a listener hears of
 * each track, and the smallest common blank the disc fits on.
 *
 * The D-Bus layer publishes these values as they are, so that neither it
 * nor the client does any CD arithmetic of its own.  Every function works
 * on the layout as it stands (rc_disc_peek_layout() or a frozen one).
 */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

/* Bytes of the full image (MSF 95:00:00 to the end of the lead-out) in the
 * form of an image type: sectors x 2368 (PQ_ONLY) or x 2448. */
guint64   rc_geometry_image_bytes   (const RcLayout *layout, RcImageType type);

/* The absolute time of an LBA as "MM:SS:FF" (lead-in LBAs read 90..99
 * minutes, as in the Q channel).  Caller frees. */
char     *rc_geometry_lba_to_msf    (gint64 lba);
/* A count of sectors as "MM:SS:FF" (a duration).  Caller frees. */
char     *rc_geometry_sectors_to_msf (guint64 sectors);

/* The common blanks, in minutes, smallest first. */
#define RC_GEOMETRY_N_BLANKS 4
extern const guint rc_geometry_blank_minutes[RC_GEOMETRY_N_BLANKS];

/* The smallest common blank (74, 80, 90 or 99 minutes) whose capacity
 * holds a disc whose lead-out starts at leadout_lba, or 0 when none does.
 * A blank of N minutes holds the disc when the lead-out starts at or
 * before absolute time N:00:00 (LBA N x 4500 - 150). */
guint     rc_geometry_smallest_blank (gint64 leadout_lba);

/* One entry of the table of contents, decoded from the bytes of
 * rc_layout_build_toc() (READ TOC format 0, LBA form). */
typedef struct {
  guint8 track;     /* 1..99, or RC_LEADOUT_TRACK (0xAA) */
  guint8 adr;       /* high nibble of the descriptor's byte 1 */
  guint8 control;   /* low nibble */
  gint32 lba;
} RcTocEntry;

/* Decodes READ TOC format 0 bytes: NULL with RC_ERROR_INVALID_ARGUMENT
 * when they are not a well-formed table.  An empty table (a disc without
 * tracks) gives an empty array.  Array of RcTocEntry. */
GArray   *rc_geometry_decode_toc    (GBytes *toc, GError **error);

/* Sectors of a track's index 0 (its pregap): for the first track 150 plus
 * any special pregap beyond them.  index is 1-based. */
gint64    rc_geometry_track_pregap  (const RcLayout *layout, guint index);

/* What a listener hears when a player plays track `index`: from its index
 * 1 to the next track's index 1, or to the lead-out for the last track
 * (so the next track's pregap counts, and its own does not). */
gint64    rc_geometry_track_playing_sectors (const RcLayout *layout, guint index);

G_END_DECLS
