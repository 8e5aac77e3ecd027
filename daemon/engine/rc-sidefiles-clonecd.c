/* rc-sidefiles-clonecd.c: the CloneCD control file of a layout's .img and
 * .sub (docs/formats.md, "CloneCD"): the TOC entries as READ TOC format 2
 * lists them, the CD-TEXT packs, index positions as LBAs.
 */
#include "rc-sidefiles-private.h"

#include "rc-msf.h"

static void
ccd_append_entry (GString *s, guint *n, guint8 point, guint8 control, gint plba)
{
  RcMsf p = rc_msf_from_lba (plba);

  g_string_append_printf (s,
                          "[Entry %u]\n"
                          "Session=1\n"
                          "Point=0x%02x\n"
                          "ADR=0x01\n"
                          "Control=0x%02x\n"
                          "TrackNo=0\n"
                          "AMin=0\n"
                          "ASec=0\n"
                          "AFrame=0\n"
                          "ALBA=-150\n"
                          "Zero=0\n"
                          "PMin=%u\n"
                          "PSec=%u\n"
                          "PFrame=%u\n"
                          "PLBA=%d\n",
                          (*n)++, point, control, p.m, p.s, p.f, plba);
}

char *
rc_side_build_ccd (const RcLayout *layout)
{
  GString *s = g_string_new (NULL);
  gsize packs_size = 0;
  const guint8 *packs = layout->cdtext_packs != NULL
                        ? g_bytes_get_data (layout->cdtext_packs, &packs_size) : NULL;
  guint n_packs = (guint) (packs_size / RC_CDTEXT_PACK_SIZE);
  const RcLayoutTrack *first = &layout->tracks[0];
  const RcLayoutTrack *last = &layout->tracks[layout->n_tracks - 1];
  guint n = 0;

  g_string_append_printf (s,
                          "[CloneCD]\n"
                          "Version=3\n"
                          "[Disc]\n"
                          "TocEntries=%u\n"
                          "Sessions=1\n"
                          "DataTracksScrambled=0\n"
                          "CDTextLength=%u\n",
                          layout->n_tracks + 3, n_packs * RC_CDTEXT_PACK_SIZE);
  if (layout->mcn[0] != '\0')
    g_string_append_printf (s, "CATALOG=%s\n", layout->mcn);

  /* The packs without their CRCs, 16 bytes an entry, as CloneCD writes them. */
  if (n_packs > 0)
    {
      g_string_append_printf (s, "[CDText]\nEntries=%u\n", n_packs);
      for (guint k = 0; k < n_packs; k++)
        {
          g_string_append_printf (s, "Entry %u=", k);
          for (guint b = 0; b < 16; b++)
            g_string_append_printf (s, b == 0 ? "%02x" : " %02x", packs[k * RC_CDTEXT_PACK_SIZE + b]);
          g_string_append_c (s, '\n');
        }
    }

  g_string_append (s, "[Session 1]\nPreGapMode=0\nPreGapSubC=0\n");

  /* A0/A1 carry track numbers in PMIN: PLBA is that MSF as an LBA, as
   * CloneCD writes it ("PMin=1 ... PLBA=4350"). */
  ccd_append_entry (s, &n, 0xa0, rc_layout_track_control (first),
                    (gint) first->number * 60 * RC_SECTORS_PER_SECOND - RC_PREGAP_SECTORS);
  ccd_append_entry (s, &n, 0xa1, rc_layout_track_control (last),
                    (gint) last->number * 60 * RC_SECTORS_PER_SECOND - RC_PREGAP_SECTORS);
  ccd_append_entry (s, &n, 0xa2, rc_layout_track_control (last), layout->leadout_lba);
  for (guint i = 0; i < layout->n_tracks; i++)
    ccd_append_entry (s, &n, (guint8) layout->tracks[i].number,
                      rc_layout_track_control (&layout->tracks[i]), layout->tracks[i].start_lba);

  for (guint i = 0; i < layout->n_tracks; i++)
    {
      const RcLayoutTrack *t = &layout->tracks[i];
      gint index0 = MAX (t->pregap_lba, 0);

      g_string_append_printf (s, "[TRACK %u]\nMODE=0\n", t->number);
      if (t->isrc[0] != '\0')
        g_string_append_printf (s, "ISRC=%s\n", t->isrc);
      /* Index positions are LBAs, which are .img sector numbers. */
      if (index0 < t->start_lba)
        g_string_append_printf (s, "INDEX 0=%d\n", index0);
      for (guint k = 0; k < t->n_indexes; k++)
        g_string_append_printf (s, "INDEX %u=%d\n", k + 1, t->start_lba + t->index_offsets[k]);
    }
  return g_string_free (s, FALSE);
}

