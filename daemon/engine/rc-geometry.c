/* rc-geometry.c: sizes, times and the decoded table of contents of a
 * layout (rc-geometry.h). */
#include "rc-geometry.h"

#include "rc-error.h"
#include "rc-msf.h"

#define SECTORS_PER_MINUTE (60 * RC_SECTORS_PER_SECOND)

const guint rc_geometry_blank_minutes[RC_GEOMETRY_N_BLANKS] = { 74, 80, 90, 99 };

guint64
rc_geometry_image_bytes (const RcLayout *layout, RcImageType type)
{
  return (guint64) rc_layout_image_sectors (layout) * rc_image_sector_bytes (type);
}

static char *
format_msf (guint64 sectors)
{
  /* Minutes may pass 99 for a duration in principle: print them all. */
  return g_strdup_printf ("%02" G_GUINT64_FORMAT ":%02u:%02u",
                          sectors / SECTORS_PER_MINUTE,
                          (guint) (sectors / RC_SECTORS_PER_SECOND % 60),
                          (guint) (sectors % RC_SECTORS_PER_SECOND));
}

char *
rc_geometry_sectors_to_msf (guint64 sectors)
{
  return format_msf (sectors);
}

char *
rc_geometry_lba_to_msf (gint64 lba)
{
  /* The lead-in wraps below 00:00:00 to 99:59:74 (rc_msf_from_lba()). */
  if (lba >= -RC_PREGAP_SECTORS)
    return format_msf ((guint64) (lba + RC_PREGAP_SECTORS));
  return format_msf ((guint64) (lba + 100 * SECTORS_PER_MINUTE + RC_PREGAP_SECTORS));
}

guint
rc_geometry_smallest_blank (gint64 leadout_lba)
{
  gint64 leadout_time = leadout_lba + RC_PREGAP_SECTORS;

  for (guint i = 0; i < RC_GEOMETRY_N_BLANKS; i++)
    {
      if (leadout_time <= (gint64) rc_geometry_blank_minutes[i] * SECTORS_PER_MINUTE)
        return rc_geometry_blank_minutes[i];
    }
  return 0;
}

GArray *
rc_geometry_decode_toc (GBytes *toc, GError **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (toc, &size);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (RcTocEntry));
  gsize length;

  if (size == 0)
    return g_steal_pointer (&entries);
  if (size < 4)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "a table of contents of %" G_GSIZE_FORMAT " bytes has no header",
                   size);
      return NULL;
    }
  /* The header's length counts the bytes after itself. */
  length = ((gsize) data[0] << 8 | data[1]) + 2;
  if (length != size || (size - 4) % 8 != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "a table of contents of %" G_GSIZE_FORMAT " bytes says it has %"
                   G_GSIZE_FORMAT " bytes of 8-byte descriptors", size, length);
      return NULL;
    }
  for (gsize off = 4; off < size; off += 8)
    {
      const guint8 *d = data + off;
      RcTocEntry entry = {
        .track = d[2],
        .adr = d[1] >> 4,
        .control = d[1] & 0x0f,
        .lba = (gint32) ((guint32) d[4] << 24 | (guint32) d[5] << 16
                         | (guint32) d[6] << 8 | d[7]),
      };
      g_array_append_val (entries, entry);
    }
  return g_steal_pointer (&entries);
}

gint64
rc_geometry_track_pregap (const RcLayout *layout, guint index)
{
  const RcLayoutTrack *t;

  g_return_val_if_fail (index >= 1 && index <= layout->n_tracks, 0);
  t = &layout->tracks[index - 1];
  /* Track 1's index 0 starts at LBA -150 or, with a special pregap,
   * before it: pregap_lba says where. */
  return (gint64) t->start_lba - t->pregap_lba;
}

gint64
rc_geometry_track_playing_sectors (const RcLayout *layout, guint index)
{
  const RcLayoutTrack *t;
  gint64 end;

  g_return_val_if_fail (index >= 1 && index <= layout->n_tracks, 0);
  t = &layout->tracks[index - 1];
  end = index < layout->n_tracks ? layout->tracks[index].start_lba : layout->leadout_lba;
  return end - t->start_lba;
}
