/* rawcdctl-cdtext.h: the CD-TEXT a command line asks for (--title,
 * --performer, --track-title, --track-performer and a --cdtext FILE), as
 * the values of the CdText and CdTextLanguages properties.
 *
 * Tracks are numbered by their position on the command line, from 1, like
 * every TRACK of rawcdctl.  Blocks (languages) are numbered 0..7 in the
 * order the service takes them; block 0 is English unless the file says
 * otherwise.  The format of the file is described in rawcdctl-cdtext.c and
 * in `rawcdctl create --help`.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RCD_CTL_CDTEXT_MAX_BLOCKS  8
/* EBU Tech 3264 appendix 3 code of English, block 0's default language */
#define RCD_CTL_CDTEXT_ENGLISH     0x09

typedef struct _RcdCtlCdText RcdCtlCdText;

/* No text for a disc of n_tracks tracks. */
RcdCtlCdText *rcd_ctl_cdtext_new        (guint n_tracks);
void          rcd_ctl_cdtext_free       (RcdCtlCdText *cdtext);

/* Reads a CD-TEXT file and adds its text (replacing what was there for the
 * same field).  Errors (G_FILE_ERROR or G_KEY_FILE_ERROR, or
 * G_IO_ERROR_INVALID_DATA for a group, key, track or language the format
 * does not have) name the file, and the group where there is one. */
gboolean      rcd_ctl_cdtext_load_file  (RcdCtlCdText *cdtext,
                                         const char   *path,
                                         GError      **error);
/* The same for a file's contents already in memory (len bytes, or -1 for
 * a NUL-terminated string); name stands for the file in messages.  Lets
 * the parser be fuzzed without files. */
gboolean      rcd_ctl_cdtext_load_data  (RcdCtlCdText *cdtext,
                                         const char   *name,
                                         const char   *data,
                                         gssize        len,
                                         GError      **error);

/* Sets field (a key of the CdText properties: "title", "performer", ...)
 * of the disc (track 0) or of the track at position track, in block 0. */
void          rcd_ctl_cdtext_set        (RcdCtlCdText *cdtext,
                                         guint         track,
                                         const char   *field,
                                         const char   *text);

/* The disc's genre in block 0 as a sheet's REM GENRE or a file's genre
 * tag gives it: the text, and the genre code of the CD-TEXT list when the
 * name is on it (case, spaces and hyphens aside), else code 1 ("Not
 * Defined").  A genre set later by rcd_ctl_cdtext_set() drops the code. */
void          rcd_ctl_cdtext_set_genre_coded (RcdCtlCdText *cdtext, const char *genre);

/* TRUE when no text was given at all. */
gboolean      rcd_ctl_cdtext_is_empty   (const RcdCtlCdText *cdtext);

/* The language codes of the blocks in use, as the CdTextLanguages
 * property (ay); TRUE in *is_default when it is just [English]. */
GVariant     *rcd_ctl_cdtext_languages  (const RcdCtlCdText *cdtext,
                                         gboolean           *is_default);

/* The disc's text (track 0) or a track's, as the CdText properties
 * (aa{ss}, one dictionary per block in use); NULL for a track without
 * text. */
GVariant     *rcd_ctl_cdtext_variant    (const RcdCtlCdText *cdtext,
                                         guint               track);

/* The EBU Tech 3264 language code of an ISO 639-1 code ("de"), an English
 * language name as libburn spells them ("German"), or a number 0..127
 * ("8", "0x08"); -1 when it is none of those. */
int           rcd_ctl_cdtext_language_code (const char *name);

/* The English name of an EBU Tech 3264 language code ("German" for 0x08),
 * NULL for a code the table does not name. */
const char   *rcd_ctl_cdtext_language_name (guint code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlCdText, rcd_ctl_cdtext_free)

G_END_DECLS
