/* rc-cdtext-genre.c: the genre list of the CD-TEXT genre pack.  The list
 * is the one Sony's CD-TEXT specification fixes and libcdio's cd-info and
 * libburn print; a name not on it keeps its text under code 0x0001.
 */
#include "rc-cdtext-genre.h"

#include <string.h>

static const char *const genre_names[RC_CDTEXT_GENRE_LAST_LISTED + 1] = {
  "Not Used", "Not Defined", "Adult Contemporary", "Alternative Rock",
  "Childrens Music", "Classical", "Contemporary Christian", "Country", "Dance",
  "Easy Listening", "Erotic", "Folk", "Gospel", "Hip Hop", "Jazz", "Latin",
  "Musical", "New Age", "Opera", "Operetta", "Pop Music", "Rap", "Reggae",
  "Rock Music", "Rhythm & Blues", "Sound Effects", "Spoken Word", "World Music",
};

/* Short forms taggers write, already folded (see fold()). */
static const struct {
  const char *folded;
  guint       code;
} aliases[] = {
  { "alternative", 0x03 }, { "children", 0x04 }, { "childrens", 0x04 },
  { "classic", 0x05 }, { "christian", 0x06 }, { "pop", 0x14 }, { "rock", 0x17 },
  { "r&b", 0x18 }, { "rnb", 0x18 }, { "rhythmandblues", 0x18 }, { "world", 0x1B },
};

const char *
rc_cdtext_genre_name (guint code)
{
  return code <= RC_CDTEXT_GENRE_LAST_LISTED ? genre_names[code] : NULL;
}

/* Lower case, without spaces, hyphens, underscores and apostrophes, so
 * that "Hip-Hop", "hip hop" and "HipHop" are one name. */
static char *
fold (const char *name)
{
  GString *folded = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (!strchr (" \t-_'", *p))
      g_string_append_c (folded, g_ascii_tolower (*p));
  return g_string_free (folded, FALSE);
}

gboolean
rc_cdtext_genre_from_name (const char *name, guint *code)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (name != NULL && code != NULL, FALSE);

  folded = fold (name);
  for (guint c = RC_CDTEXT_GENRE_NOT_DEFINED + 1; c <= RC_CDTEXT_GENRE_LAST_LISTED; c++)
    {
      g_autofree char *listed = fold (genre_names[c]);

      if (strcmp (folded, listed) == 0)
        {
          *code = c;
          return TRUE;
        }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (folded, aliases[i].folded) == 0)
      {
        *code = aliases[i].code;
        return TRUE;
      }
  return FALSE;
}
