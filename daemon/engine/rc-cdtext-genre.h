/* rc-cdtext-genre.h: the genre codes of the CD-TEXT genre pack (0x87),
 * whose first two bytes are a big-endian code from a fixed list and the
 * rest a free text (cd-format.md §9, "Genre codes").
 *
 * Pure GLib and nothing else, so that rawcdctl can compile this one file
 * too: it turns a sheet's REM GENRE or a file's genre tag into the code
 * with the very table the service and its inspector use.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 0x0000: no code ("Not Used"); 0x0001: a genre the list does not hold
 * ("Not Defined"); 0x0002 .. 0x001B: the listed genres. */
#define RC_CDTEXT_GENRE_NOT_USED     0x0000
#define RC_CDTEXT_GENRE_NOT_DEFINED  0x0001
#define RC_CDTEXT_GENRE_LAST_LISTED  0x001B

/* The list's name of a code ("Rock Music"), NULL for a code past the
 * list (0x001C .. 0xFFFF are reserved or registered elsewhere). */
const char *rc_cdtext_genre_name      (guint code);
/* The code of a genre name: the list's names and their common short
 * forms ("Rock", "Pop", "Hip-Hop", "R&B", "Children's Music"), compared
 * without regard to case, spaces, hyphens and apostrophes.  FALSE for
 * any other name and for the two names that are no genre ("Not Used",
 * "Not Defined"). */
gboolean    rc_cdtext_genre_from_name (const char *name, guint *code);

G_END_DECLS
