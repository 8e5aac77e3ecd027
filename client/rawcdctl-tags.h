/* rawcdctl-tags.h: CD-TEXT and ISRCs from the audio files' own tags
 * (rawcdctl create/info --tags), below every other source of text.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The tags of the file at path as TagLib's property names ("TITLE",
 * "ARTIST", "COMPOSER", "ISRC" ...) -> their first value in UTF-8; empty
 * when TagLib reads no tags there.  Never NULL. */
GHashTable *rcd_ctl_tags_read_file (const char *path);

G_END_DECLS

#ifndef __cplusplus
#include "rawcdctl-disc-options.h"

G_BEGIN_DECLS

/* Adds the CD-TEXT and ISRCs the tracks' files carry as tags, below any
 * text already given (a sheet's, --cdtext, the options): a track's own
 * file (not a file several tracks share) gives its title, performer,
 * songwriter, composer, arranger, message and ISRC; the files together
 * the disc's title (ALBUM), performer (ALBUMARTIST, or the ARTIST all
 * share) and genre.  Text no CD-TEXT character code holds fails with
 * G_IO_ERROR_INVALID_DATA naming the file, the tag and the text. */
gboolean rcd_ctl_tags_apply (RcdCtlDisc *disc, GError **error);

/* When error quotes text that came from a file's tags (the service's
 * messages quote CD-TEXT they refuse: `the title of track 1 ("…")`), adds
 * which file and tag gave it: the user learns what to change. */
void rcd_ctl_tags_explain (const RcdCtlDisc *disc, GError *error);

G_END_DECLS
#endif
