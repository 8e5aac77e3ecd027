/* rc-sidefiles-private.h: what the side-file writers share: the builders
 * of each format and the text helpers of rc-sidefiles-text.c.  Not for
 * other users: rc-sidefiles.h is the API.
 */
#pragma once

#include "rc-sidefiles.h"

G_BEGIN_DECLS

/* One text file per format; the names were checked by the caller. */
char        *rc_side_build_cue (const RcLayout *layout, const char *bin_name);
char        *rc_side_build_toc (const RcLayout *layout, const char *bin_name);
char        *rc_side_build_ccd (const RcLayout *layout);

/* A count of sectors as MM:SS:FF (minutes may pass 99 in principle). */
void         rc_side_append_msf        (GString *s, gint sectors);
/* Sectors of special-pregap (hidden track) audio before LBA 0, which no
 * side file carries; 0 without a special pregap. */
gint         rc_side_hidden_audio_lost (const RcLayout *layout);

/* CD-TEXT of the layout: "" when unset or when the disc has none. */
const char  *rc_side_text_of        (const RcLayout *layout, guint block, guint track,
                                     RcCdTextField field);
/* CD-TEXT track number of entry i of 0..n_tracks: 0 is the disc. */
guint        rc_side_text_track     (const RcLayout *layout, guint i);
/* Whether the disc or any track has the field in the block. */
gboolean     rc_side_field_in_block (const RcLayout *layout, guint block, RcCdTextField field);
gboolean     rc_side_block_has_text (const RcLayout *layout, guint block);
/* Whether the given text fields (NULL: all of them) of a block have
 * ISO-8859-1 codes (or are ASCII): the engine's choice for the lead-in,
 * rc_cdtext_block_charset(), over the layout's tracks. */
gboolean     rc_side_block_is_latin1 (const RcLayout *layout, guint block,
                                      const RcCdTextField *fields, guint n_fields);
/* The ISO-8859-1 bytes of a text that has them (rc_side_block_is_latin1). */
char        *rc_side_latin1          (const char *utf8);

G_END_DECLS
