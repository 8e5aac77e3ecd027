/* rc-layout.c: the computed disc layout and lookups in it. */
#include "rc-layout-private.h"

#include <string.h>

static void
layout_clear (gpointer data)
{
  RcLayout *layout = data;

  for (guint i = 0; i < layout->n_audio; i++)
    rc_audio_source_unref (layout->audio[i].source);
  g_free (layout->audio);
  g_free (layout->tracks);
  g_clear_pointer (&layout->cdtext, rc_cdtext_free);
  g_clear_pointer (&layout->cdtext_packs, g_bytes_unref);
  g_clear_pointer (&layout->rw, rc_subcode_source_unref);
}

RcLayout *
rc_layout_new (guint n_tracks, guint n_audio)
{
  RcLayout *layout = g_atomic_rc_box_new0 (RcLayout);

  layout->n_tracks = n_tracks;
  layout->tracks = g_new0 (RcLayoutTrack, n_tracks);
  layout->n_audio = n_audio;
  layout->audio = g_new0 (RcLayoutAudio, n_audio);
  return layout;
}

RcLayout *
rc_layout_copy_measuring (const RcLayout *layout)
{
  RcLayout *copy = rc_layout_new (layout->n_tracks, layout->n_audio);

  memcpy (copy->tracks, layout->tracks, layout->n_tracks * sizeof layout->tracks[0]);
  memcpy (copy->audio, layout->audio, layout->n_audio * sizeof layout->audio[0]);
  for (guint i = 0; i < copy->n_audio; i++)
    rc_audio_source_ref (copy->audio[i].source);
  copy->first_track = layout->first_track;
  copy->leadout_lba = layout->leadout_lba;
  memcpy (copy->mcn, layout->mcn, sizeof copy->mcn);
  if (layout->cdtext != NULL)
    copy->cdtext = rc_cdtext_copy (layout->cdtext);
  if (layout->cdtext_packs != NULL)
    copy->cdtext_packs = g_bytes_ref (layout->cdtext_packs);
  if (layout->rw != NULL)
    copy->rw = rc_subcode_source_ref (layout->rw);
  copy->measure_levels = TRUE;
  return copy;
}

RcLayout *
rc_layout_ref (RcLayout *layout)
{
  return g_atomic_rc_box_acquire (layout);
}

void
rc_layout_unref (RcLayout *layout)
{
  g_atomic_rc_box_release_full (layout, layout_clear);
}

guint8
rc_layout_track_control (const RcLayoutTrack *track)
{
  guint8 control = 0;

  /* SCMS starts from "copy prohibited"; the subchannel toggles the bit. */
  if (track->copy == RC_COPY_PERMITTED)
    control |= RC_CONTROL_COPY_PERMITTED;
  if (track->preemphasis)
    control |= RC_CONTROL_PREEMPHASIS;
  return control;
}

/* The track whose pregap or body holds lba (pregap_lba <= lba < end_lba). */
static const RcLayoutTrack *
find_track (const RcLayout *layout, gint lba)
{
  guint lo = 0, hi = layout->n_tracks;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (layout->tracks[mid].pregap_lba <= lba)
        lo = mid;
      else
        hi = mid;
    }
  return &layout->tracks[lo];
}

void
rc_layout_locate (const RcLayout *layout, gint lba, RcPosition *pos)
{
  const RcLayoutTrack *track;
  guint k;

  if (lba < -RC_PREGAP_SECTORS)
    {
      *pos = (RcPosition) { .region = RC_REGION_LEADIN, .index_lba = RC_LEADIN_START_LBA,
                            .relative = lba - RC_LEADIN_START_LBA };
      return;
    }
  if (lba >= layout->leadout_lba)
    {
      *pos = (RcPosition) { .region = RC_REGION_LEADOUT,
                            .track = &layout->tracks[layout->n_tracks - 1],
                            .index = 1, .index_lba = layout->leadout_lba,
                            .relative = lba - layout->leadout_lba };
      return;
    }

  track = find_track (layout, lba);
  pos->region = RC_REGION_PROGRAM;
  pos->track = track;
  if (lba < track->start_lba)
    {
      /* The pause counts down and reaches 0 on its last sector (PINNED). */
      pos->index = 0;
      pos->index_lba = track->pregap_lba;
      pos->relative = track->start_lba - 1 - lba;
      return;
    }
  for (k = track->n_indexes - 1; track->start_lba + track->index_offsets[k] > lba; k--)
    ;
  pos->index = k + 1;
  pos->index_lba = track->start_lba + track->index_offsets[k];
  pos->relative = lba - track->start_lba;
}

static void
put_be32 (guint8 *p, gint32 v)
{
  guint32 u = (guint32) v;

  p[0] = u >> 24;
  p[1] = u >> 16;
  p[2] = u >> 8;
  p[3] = u;
}

GBytes *
rc_layout_build_toc (const RcLayout *layout)
{
  gsize size = 4 + 8 * (layout->n_tracks + 1);
  guint8 *toc;
  const RcLayoutTrack *last;

  /* A disc without tracks has no table of contents yet. */
  if (layout->n_tracks == 0)
    return g_bytes_new (NULL, 0);

  toc = g_malloc0 (size);
  last = &layout->tracks[layout->n_tracks - 1];

  /* Header: data length (not counting itself), first and last track. */
  toc[0] = (guint8) ((size - 2) >> 8);
  toc[1] = (guint8) (size - 2);
  toc[2] = (guint8) layout->first_track;
  toc[3] = (guint8) last->number;

  for (guint i = 0; i <= layout->n_tracks; i++)
    {
      guint8 *d = toc + 4 + 8 * i;
      gboolean leadout = i == layout->n_tracks;
      const RcLayoutTrack *track = leadout ? last : &layout->tracks[i];

      d[1] = (guint8) (0x10 | rc_layout_track_control (track));   /* ADR 1 */
      d[2] = leadout ? RC_LEADOUT_TRACK : (guint8) track->number;
      put_be32 (d + 4, leadout ? layout->leadout_lba : track->start_lba);
    }
  return g_bytes_new_take (toc, size);
}
