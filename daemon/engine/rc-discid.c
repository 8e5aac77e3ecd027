/* rc-discid.c: freedb, MusicBrainz and AccurateRip disc identifiers. */
#include "rc-discid.h"

#include "rc-cd.h"

gboolean
rc_discid_toc_is_valid (guint first, guint last, const guint *offsets, guint leadout)
{
  if (first < 1 || last > RC_MAX_TRACK_NUMBER || first > last || offsets == NULL)
    return FALSE;
  for (guint i = 1; i <= last - first; i++)
    {
      if (offsets[i] <= offsets[i - 1])
        return FALSE;
    }
  return leadout > offsets[last - first];
}

static guint
digit_sum (guint n)
{
  guint sum = 0;

  for (; n > 0; n /= 10)
    sum += n % 10;
  return sum;
}

static guint32
cddb_value (guint first, guint last, const guint *offsets, guint leadout)
{
  guint n_tracks = last - first + 1;
  guint n = 0;
  guint t;

  /* cddb.howto appendix A works on the TOC in whole seconds (M*60+S of each
   * start, i.e. offset / 75) and counts from the disc's first track.  When
   * the first track number is not 1, libdiscid 0.6 departs from this (it
   * takes track 1's slot, zero, as the start and the last track number as
   * the count); freedb's own definition wins here. */
  for (guint i = 0; i < n_tracks; i++)
    n += digit_sum (offsets[i] / RC_SECTORS_PER_SECOND);
  t = leadout / RC_SECTORS_PER_SECOND - offsets[0] / RC_SECTORS_PER_SECOND;
  return ((guint32) (n % 255) << 24) | ((guint32) t << 8) | (n_tracks & 0xff);
}

char *
rc_discid_cddb (guint first, guint last, const guint *offsets, guint leadout)
{
  g_return_val_if_fail (rc_discid_toc_is_valid (first, last, offsets, leadout), NULL);
  return g_strdup_printf ("%08x", cddb_value (first, last, offsets, leadout));
}

char *
rc_discid_musicbrainz (guint first, guint last, const guint *offsets, guint leadout)
{
  g_autoptr(GChecksum) sha1 = NULL;
  g_autoptr(GString) text = NULL;
  guint8 digest[20];
  gsize digest_len = sizeof (digest);
  guint slots[100] = { 0 };
  char *id;

  g_return_val_if_fail (rc_discid_toc_is_valid (first, last, offsets, leadout), NULL);

  /* The hashed text has a slot per track number 1..99, so a disc starting
   * at track 3 leaves slots 1 and 2 zero; slot 0 is the lead-out. */
  slots[0] = leadout;
  for (guint track = first; track <= last; track++)
    slots[track] = offsets[track - first];

  text = g_string_sized_new (2 + 2 + 100 * 8);
  g_string_append_printf (text, "%02X%02X", first, last);
  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    g_string_append_printf (text, "%08X", slots[i]);

  sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sha1, (const guchar *) text->str, (gssize) text->len);
  g_checksum_get_digest (sha1, digest, &digest_len);

  /* MusicBrainz uses base64 with the three characters that are not safe in
   * a URL replaced. */
  id = g_base64_encode (digest, digest_len);
  g_strdelimit (id, "+", '.');
  g_strdelimit (id, "/", '_');
  g_strdelimit (id, "=", '-');
  return id;
}

char *
rc_discid_accuraterip (guint first, guint last, const guint *offsets, guint leadout)
{
  guint n_tracks = last - first + 1;
  guint32 lsn_leadout = leadout - RC_PREGAP_SECTORS;
  guint32 id1 = 0;
  guint32 id2 = 0;

  g_return_val_if_fail (rc_discid_toc_is_valid (first, last, offsets, leadout), NULL);

  /* AccurateRip counts in LBA (offset - 150) and weights by the position
   * on the disc (1..n, as dBpoweramp's reference code does), with a
   * start at LBA 0 counted as 1 so that it still weighs in.  Unsigned
   * arithmetic gives the required wrap modulo 2^32. */
  for (guint i = 0; i < n_tracks; i++)
    {
      guint32 lsn = offsets[i] - RC_PREGAP_SECTORS;
      id1 += lsn;
      id2 += MAX (lsn, 1u) * (i + 1);
    }
  id1 += lsn_leadout;
  id2 += lsn_leadout * (n_tracks + 1);

  return g_strdup_printf ("%03u-%08x-%08x-%08x", n_tracks, id1, id2,
                          cddb_value (first, last, offsets, leadout));
}

GHashTable *
rc_discid_compute (const RcLayout *layout)
{
  g_autofree guint *offsets = NULL;
  GHashTable *ids;
  guint first;
  guint last;
  guint leadout;

  g_return_val_if_fail (layout != NULL && layout->n_tracks > 0, NULL);

  first = layout->first_track;
  last = first + layout->n_tracks - 1;
  leadout = (guint) (layout->leadout_lba + RC_PREGAP_SECTORS);
  offsets = g_new (guint, layout->n_tracks);
  for (guint i = 0; i < layout->n_tracks; i++)
    offsets[i] = (guint) (layout->tracks[i].start_lba + RC_PREGAP_SECTORS);

  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (ids, g_strdup (RC_DISCID_CDDB),
                       rc_discid_cddb (first, last, offsets, leadout));
  g_hash_table_insert (ids, g_strdup (RC_DISCID_MUSICBRAINZ),
                       rc_discid_musicbrainz (first, last, offsets, leadout));
  g_hash_table_insert (ids, g_strdup (RC_DISCID_ACCURATERIP),
                       rc_discid_accuraterip (first, last, offsets, leadout));
  return ids;
}
