/* rawcdctl-tags-taglib.cc: a file's tags as one flat table, through
 * TagLib's PropertyMap, which names the fields alike for Vorbis comments
 * (FLAC, Ogg), ID3v2 (MP3, WAV), APE and MP4 atoms.
 *
 * C++ because Debian 12's TagLib C binding (1.13) reads only title,
 * artist, album, comment, genre, year and track: no composer, no ISRC.
 * This is the only C++ in rawcd; rawcdctl-tags.c does the rest in C.
 */
#include <fileref.h>
#include <tpropertymap.h>

#include <glib.h>

#include "rawcdctl-tags.h"

GHashTable *
rcd_ctl_tags_read_file (const char *path)
{
  TagLib::FileRef file (path, false);
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (file.isNull () || file.file () == nullptr)
    return table;
  const TagLib::PropertyMap properties = file.file ()->properties ();
  for (const auto &property : properties) {
    if (property.second.isEmpty ())
      continue;
    /* the first value of a field that has several (two ARTIST comments) */
    g_hash_table_insert (table,
                         g_strdup (property.first.toCString (true)),
                         g_strdup (property.second.front ().toCString (true)));
  }
  return table;
}
