/* rc-disc-tracks.c: adding tracks (whole streams or ranges of them) and
 * the settings of each track but its pauses (rc-disc-gaps.c), with
 * IMAPI's rules (rc-disc.h).  Every
 * change that moves sectors is checked by rc_disc_validate_layout() and
 * undone when it fails. */
#include "rc-disc-private.h"
#include "rc-codes.h"
#include "rc-disc-range.h"
#include "rc-error.h"

#include <string.h>

/* The range a new track or special pregap plays, checked against the
 * ranges of the same file already on the disc; *source becomes the source
 * of that file already used, so that consecutive ranges are read by one
 * reader straight through (rc-program-audio.c). */
static gboolean
place_range (RcDisc *disc, RcAudioSource **source, const RcStreamRange *range,
             gint64 *first, gint64 *frames, GError **error)
{
  static const RcStreamId unknown = { 0, 0 };
  const RcStreamId *id = range != NULL ? &range->id : &unknown;
  gboolean cut = range != NULL && range->cut;
  RcAudioSource *same = NULL;

  if (!rc_range_resolve (range, rc_audio_source_get_frames (*source), first, frames, error))
    return FALSE;
  if (disc->special_pregap != NULL && rc_range_same_file (id, &disc->special_pregap_id))
    {
      if ((cut || disc->special_pregap_cut)
          && !rc_range_check_overlap (*first, *frames, disc->special_pregap_first,
                                      disc->special_pregap_frames, "the special pregap", error))
        return FALSE;
      same = disc->special_pregap;
    }
  for (guint i = 0; i < disc->tracks->len; i++)
    {
      const DiscTrack *dt = g_ptr_array_index (disc->tracks, i);
      g_autofree char *name = NULL;

      if (!rc_range_same_file (id, &dt->id))
        continue;
      name = g_strdup_printf ("track %u", disc->starting_track + i);
      if ((cut || dt->cut)
          && !rc_range_check_overlap (*first, *frames, dt->first, dt->frames, name, error))
        return FALSE;
      same = dt->source;
    }
  /* The same file read the same way (the same length and description:
   * not the same file taken as "raw" once and decoded once). */
  if (same != NULL && rc_audio_source_is_rereadable (same) && rc_audio_source_is_rereadable (*source)
      && rc_audio_source_get_frames (same) == rc_audio_source_get_frames (*source)
      && g_strcmp0 (rc_audio_source_get_description (same),
                    rc_audio_source_get_description (*source)) == 0)
    *source = same;
  return TRUE;
}

gboolean
rc_disc_stream_in_use (RcDisc *disc, const RcStreamId *id, char **user)
{
  if (disc->special_pregap != NULL && rc_range_same_file (id, &disc->special_pregap_id))
    {
      if (user != NULL)
        *user = g_strdup ("the special pregap");
      return TRUE;
    }
  for (guint i = 0; i < disc->tracks->len; i++)
    {
      const DiscTrack *dt = g_ptr_array_index (disc->tracks, i);

      if (rc_range_same_file (id, &dt->id))
        {
          if (user != NULL)
            *user = g_strdup_printf ("track %u", disc->starting_track + i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
rc_disc_set_special_pregap (RcDisc *disc, RcAudioSource *source, GError **error)
{
  return rc_disc_set_special_pregap_range (disc, source, NULL, error);
}

gboolean
rc_disc_set_special_pregap_range (RcDisc *disc, RcAudioSource *source,
                                  const RcStreamRange *range, GError **error)
{
  RcAudioSource *old = disc->special_pregap;
  RcStreamId old_id = disc->special_pregap_id;
  gboolean old_cut = disc->special_pregap_cut;
  gint64 old_first = disc->special_pregap_first;
  gint64 old_frames = disc->special_pregap_frames;
  gint64 old_sectors = disc->special_pregap_sectors;
  gint64 first, frames, sectors;

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if (disc->tracks->len > 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_TRACKS_ALREADY_ADDED,
                   "the special pregap must be added before any track (%u added)",
                   disc->tracks->len);
      return FALSE;
    }
  /* A new special pregap replaces the old one: not checked against it. */
  disc->special_pregap = NULL;
  if (!place_range (disc, &source, range, &first, &frames, error))
    {
      disc->special_pregap = old;
      g_prefix_error (error, "the special pregap: ");
      return FALSE;
    }
  disc->special_pregap = old;
  sectors = rc_disc_frames_to_sectors (frames);
  if (sectors < RC_PREGAP_SECTORS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_TRACK_TOO_SHORT,
                   "the special pregap is %" G_GINT64_FORMAT " sectors long; "
                   "it must be at least %d (2 seconds)",
                   sectors, RC_PREGAP_SECTORS);
      return FALSE;
    }
  disc->special_pregap = rc_audio_source_ref (source);
  disc->special_pregap_id = range != NULL ? range->id : (RcStreamId) { 0, 0 };
  disc->special_pregap_cut = range != NULL && range->cut;
  disc->special_pregap_first = first;
  disc->special_pregap_frames = frames;
  disc->special_pregap_sectors = sectors;
  rc_disc_invalidate (disc);
  if (!rc_disc_validate_layout (disc, error))
    {
      g_prefix_error (error, "the special pregap of %" G_GINT64_FORMAT " sectors: ", sectors);
      rc_audio_source_unref (disc->special_pregap);
      disc->special_pregap = old;
      disc->special_pregap_id = old_id;
      disc->special_pregap_cut = old_cut;
      disc->special_pregap_first = old_first;
      disc->special_pregap_frames = old_frames;
      disc->special_pregap_sectors = old_sectors;
      rc_disc_invalidate (disc);
      return FALSE;
    }
  g_clear_pointer (&old, rc_audio_source_unref);
  return TRUE;
}

guint
rc_disc_add_track (RcDisc *disc, RcAudioSource *source, GError **error)
{
  return rc_disc_add_track_range (disc, source, NULL, error);
}

guint
rc_disc_add_track_range (RcDisc *disc, RcAudioSource *source, const RcStreamRange *range,
                         GError **error)
{
  DiscTrack *track;
  gint64 first, frames, sectors;

  if (!rc_disc_check_writable (disc, error))
    return 0;
  if (disc->starting_track + (gint) disc->tracks->len > RC_MAX_TRACK_NUMBER)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_TOO_MANY_TRACKS,
                   "a track %u would exceed track number %d (the disc starts at track %d)",
                   disc->starting_track + disc->tracks->len, RC_MAX_TRACK_NUMBER,
                   disc->starting_track);
      return 0;
    }
  if (!place_range (disc, &source, range, &first, &frames, error))
    {
      g_prefix_error (error, "track %u: ", disc->starting_track + disc->tracks->len);
      return 0;
    }
  sectors = rc_disc_frames_to_sectors (frames);
  if (sectors < RC_MIN_TRACK_SECTORS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_TRACK_TOO_SHORT,
                   "the track is %" G_GINT64_FORMAT " sectors long; "
                   "a track must have at least %d (4 seconds)",
                   sectors, RC_MIN_TRACK_SECTORS);
      return 0;
    }

  track = g_new0 (DiscTrack, 1);
  track->source = rc_audio_source_ref (source);
  track->id = range != NULL ? range->id : (RcStreamId) { 0, 0 };
  track->cut = range != NULL && range->cut;
  track->first = first;
  track->frames = frames;
  track->sectors = sectors;
  track->n_indexes = 1;
  track->pregap = -1;
  track->pregap_start = -1;
  g_ptr_array_add (disc->tracks, track);
  rc_disc_invalidate (disc);
  if (!rc_disc_validate_layout (disc, error))
    {
      g_prefix_error (error, "track %u of %" G_GINT64_FORMAT " sectors: ",
                      disc->tracks->len, sectors);
      g_ptr_array_remove_index (disc->tracks, disc->tracks->len - 1);
      rc_disc_invalidate (disc);
      return 0;
    }
  return disc->tracks->len;
}

guint
rc_disc_get_n_tracks (const RcDisc *disc)
{
  return disc->tracks->len;
}

gint
rc_disc_get_start_of_leadout (RcDisc *disc)
{
  return rc_disc_peek_layout (disc)->leadout_lba;
}

gint
rc_disc_get_last_used_user_sector (RcDisc *disc)
{
  return rc_disc_get_start_of_leadout (disc) - 1;
}

GBytes *
rc_disc_get_expected_toc (RcDisc *disc)
{
  return rc_layout_build_toc (rc_disc_peek_layout (disc));
}

const RcLayoutTrack *
rc_disc_get_track (RcDisc *disc, guint index)
{
  const RcLayout *layout = rc_disc_peek_layout (disc);

  g_return_val_if_fail (index >= 1 && index <= layout->n_tracks, NULL);
  return &layout->tracks[index - 1];
}

gint
rc_disc_track_get_sector_count (RcDisc *disc, guint index)
{
  return rc_layout_track_sector_count (rc_disc_get_track (disc, index));
}

char *
rc_disc_track_dup_isrc (RcDisc *disc, guint index)
{
  return rc_isrc_format (rc_disc_get_track (disc, index)->isrc);
}

gboolean
rc_disc_track_set_isrc (RcDisc *disc, guint index, const char *isrc, GError **error)
{
  DiscTrack *track;
  char normalized[13];

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = rc_disc_get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  if (!rc_isrc_normalize (isrc, normalized, error))
    return FALSE;
  memcpy (track->isrc, normalized, sizeof normalized);
  rc_disc_invalidate (disc);
  return TRUE;
}

gboolean
rc_disc_track_set_copy_setting (RcDisc *disc, guint index, guint setting, GError **error)
{
  DiscTrack *track;

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = rc_disc_get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  if (setting > RC_COPY_SCMS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "DigitalAudioCopySetting %u is not 0 (permitted), 1 (prohibited) or 2 (SCMS)",
                   setting);
      return FALSE;
    }
  track->copy = setting;
  rc_disc_invalidate (disc);
  return TRUE;
}

gboolean
rc_disc_track_set_preemphasis (RcDisc *disc, guint index, gboolean preemphasis, GError **error)
{
  DiscTrack *track;

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = rc_disc_get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  track->preemphasis = !!preemphasis;
  rc_disc_invalidate (disc);
  return TRUE;
}

/* Messages name a track by its number (StartingTrackNumber counts), as
 * a user and the client do, not by its position on the disc. */
static guint
track_number (const RcDisc *disc, guint index)
{
  return (guint) disc->starting_track + index - 1;
}

gboolean
rc_disc_track_add_index (RcDisc *disc, guint index, gint offset,
                         gboolean *already_existed, GError **error)
{
  DiscTrack *track;
  gint count;
  guint pos;

  if (already_existed != NULL)
    *already_existed = FALSE;
  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = rc_disc_get_disc_track (disc, index, error)) == NULL)
    return FALSE;

  count = rc_disc_track_get_sector_count (disc, index);
  if (offset < 0 || offset >= count)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "index offset %d is outside track %u (offsets 0..%d)",
                   offset, track_number (disc, index), count - 1);
      return FALSE;
    }
  for (pos = 0; pos < track->n_indexes && track->index_offsets[pos] < offset; pos++)
    ;
  if (pos < track->n_indexes && track->index_offsets[pos] == offset)
    {
      if (already_existed != NULL)
        *already_existed = TRUE;
      return TRUE;
    }
  if (track->n_indexes == RC_MAX_INDEXES)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_TOO_MANY_TRACK_INDEXES,
                   "track %u already has %d indexes, the most a track can have",
                   track_number (disc, index), RC_MAX_INDEXES);
      return FALSE;
    }
  /* pos > 0 here, since offset 0 always exists and offset > 0. */
  {
    gint prev = track->index_offsets[pos - 1];
    gint next = pos < track->n_indexes ? track->index_offsets[pos] : count;

    if (offset - prev < RC_MIN_INDEX_SECTORS || next - offset < RC_MIN_INDEX_SECTORS)
      {
        g_set_error (error, RC_ERROR, RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
                     "index offset %d of track %u is less than %d sectors from %s %d",
                     offset, track_number (disc, index), RC_MIN_INDEX_SECTORS,
                     offset - prev < RC_MIN_INDEX_SECTORS ? "the index at" : "the track end or the index at",
                     offset - prev < RC_MIN_INDEX_SECTORS ? prev : next);
        return FALSE;
      }
  }
  memmove (&track->index_offsets[pos + 1], &track->index_offsets[pos],
           (track->n_indexes - pos) * sizeof (gint));
  track->index_offsets[pos] = offset;
  track->n_indexes++;
  rc_disc_invalidate (disc);
  return TRUE;
}

gboolean
rc_disc_track_clear_index (RcDisc *disc, guint index, gint offset, GError **error)
{
  DiscTrack *track;

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = rc_disc_get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  if (offset == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
                   "offset 0 of track %u is its index 1 and cannot be cleared",
                   track_number (disc, index));
      return FALSE;
    }
  for (guint pos = 1; pos < track->n_indexes; pos++)
    if (track->index_offsets[pos] == offset)
      {
        memmove (&track->index_offsets[pos], &track->index_offsets[pos + 1],
                 (track->n_indexes - pos - 1) * sizeof (gint));
        track->n_indexes--;
        rc_disc_invalidate (disc);
        return TRUE;
      }
  g_set_error (error, RC_ERROR, RC_ERROR_TRACK_INDEX_NOT_FOUND,
               "track %u has no index at offset %d", track_number (disc, index), offset);
  return FALSE;
}
