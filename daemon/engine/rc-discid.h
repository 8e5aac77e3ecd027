/* rc-discid.h: the identifiers the disc will have once written
 * (cd-format.md §11), so that a client can look it up in freedb/CDDB,
 * MusicBrainz and AccurateRip before burning.
 *
 * The core works on plain numbers so that tests can feed it any TOC:
 * `offsets` are the sector offsets of index 1 of the tracks first..last in
 * order (LBA + 150, as a drive's TOC counts them), `leadout` the offset of
 * the lead-out (StartOfLeadout + 150).
 */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

/* The keys of rc_discid_compute() (and of the D-Bus property DiscIds). */
#define RC_DISCID_CDDB        "cddb"
#define RC_DISCID_MUSICBRAINZ "musicbrainz"
#define RC_DISCID_ACCURATERIP "accuraterip"

/* A TOC is valid when 1 <= first <= last <= 99, the offsets rise strictly
 * and the lead-out lies after the last one.  The functions below accept
 * only valid TOCs (a layout always gives one). */
gboolean    rc_discid_toc_is_valid   (guint        first,
                                      guint        last,
                                      const guint *offsets,
                                      guint        leadout);

/* freedb/CDDB: "%08x". */
char       *rc_discid_cddb           (guint        first,
                                      guint        last,
                                      const guint *offsets,
                                      guint        leadout);

/* MusicBrainz: 28 characters of base64 with "+/=" as "._-". */
char       *rc_discid_musicbrainz    (guint        first,
                                      guint        last,
                                      const guint *offsets,
                                      guint        leadout);

/* AccurateRip: "%03d-%08x-%08x-%08x" (tracks, id1, id2, freedb id). */
char       *rc_discid_accuraterip    (guint        first,
                                      guint        last,
                                      const guint *offsets,
                                      guint        leadout);

/* All three for a layout, keyed by the RC_DISCID_* names; free with
 * g_hash_table_unref (keys and values are owned by the table). */
GHashTable *rc_discid_compute        (const RcLayout *layout);

G_END_DECLS
