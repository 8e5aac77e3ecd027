/* rc-disc-tracks.c: adding tracks (whole streams or ranges of them) and
 * the settings of each track, with IMAPI's rules (rc-disc.h).  Every
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


const char *
rc_pregap_audio_to_string (RcPregapAudio audio)
{
  switch (audio)
    {
    case RC_PREGAP_AUDIO_SILENCE:
      return "silence";
    case RC_PREGAP_AUDIO_PREVIOUS:
      return "previous";
    case RC_PREGAP_AUDIO_OWN:
      return "own";
    case RC_PREGAP_AUDIO_SPECIAL:
      return "special";
    case RC_PREGAP_AUDIO_DEFAULT:
    default:
      return NULL;
    }
}

gboolean
rc_pregap_audio_from_string (const char *name, RcPregapAudio *audio, GError **error)
{
  static const RcPregapAudio all[] = {
    RC_PREGAP_AUDIO_SILENCE, RC_PREGAP_AUDIO_PREVIOUS, RC_PREGAP_AUDIO_OWN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_strcmp0 (name, rc_pregap_audio_to_string (all[i])) == 0)
      {
        *audio = all[i];
        return TRUE;
      }
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "PregapAudio \"%s\" is not \"silence\", \"previous\" or \"own\"", name);
  return FALSE;
}

/* Track 1's index 0 is the disc's first 150 sectors (and the special
 * pregap): nothing of it can be set on the track. */
static DiscTrack *
get_later_track (RcDisc *disc, guint index, const char *what, GError **error)
{
  DiscTrack *track = rc_disc_get_disc_track (disc, index, error);

  if (track != NULL && index == 1)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "the first track's %s cannot be set: its pregap is the disc's first "
                   "150 sectors, with hidden track audio from AddSpecialPregap()", what);
      return NULL;
    }
  return track;
}

/* Sets a track's *field to value tentatively, keeping it only if the
 * layout still holds. */
static gboolean
change_track (RcDisc *disc, DiscTrack *track, gint *field, gint value, guint index,
              const char *what, GError **error)
{
  gint old = *field;

  *field = value;
  rc_disc_invalidate (disc);
  if (!rc_disc_validate_layout (disc, error))
    {
      *field = old;
      rc_disc_invalidate (disc);
      g_prefix_error (error, "track %u's %s: ", track_number (disc, index), what);
      return FALSE;
    }
  return TRUE;
}

/* The three settings of a pregap (Pregap, PregapAudio, PregapStart) go
 * together: the one set last decides, tentatively as change_track(). */
static gboolean
change_pregap (RcDisc *disc, DiscTrack *track, guint index, gint pregap, RcPregapAudio audio,
               gint64 start, const char *what, GError **error)
{
  gint old_pregap = track->pregap;
  RcPregapAudio old_audio = track->pregap_audio;
  gint64 old_start = track->pregap_start;

  track->pregap = pregap;
  track->pregap_audio = audio;
  track->pregap_start = start;
  rc_disc_invalidate (disc);
  if (!rc_disc_validate_layout (disc, error))
    {
      track->pregap = old_pregap;
      track->pregap_audio = old_audio;
      track->pregap_start = old_start;
      rc_disc_invalidate (disc);
      g_prefix_error (error, "track %u's %s: ", track_number (disc, index), what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_sectors (gint sectors, gint minimum, const char *what, GError **error)
{
  if (sectors < minimum || sectors > RC_MAX_LEADOUT_LIMIT)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s %d is outside %d..%d sectors", what, sectors, minimum, RC_MAX_LEADOUT_LIMIT);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_disc_track_set_pregap (RcDisc *disc, guint index, gint sectors, GError **error)
{
  DiscTrack *track;

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = get_later_track (disc, index, "Pregap", error)) == NULL)
    return FALSE;
  if (!check_sectors (sectors, -1, "Pregap", error))
    return FALSE;
  return change_pregap (disc, track, index, sectors, track->pregap_audio, -1, "Pregap", error);
}

gboolean
rc_disc_track_set_pregap_audio (RcDisc *disc, guint index, RcPregapAudio audio, GError **error)
{
  DiscTrack *track;

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = get_later_track (disc, index, "PregapAudio", error)) == NULL)
    return FALSE;
  g_autofree char *what = g_strdup_printf ("PregapAudio \"%s\"", rc_pregap_audio_to_string (audio));

  return change_pregap (disc, track, index, track->pregap, audio, -1, what, error);
}

RcPregapAudio
rc_disc_track_get_pregap_audio (RcDisc *disc, guint index)
{
  DiscTrack *track = rc_disc_get_disc_track (disc, index, NULL);

  g_return_val_if_fail (track != NULL, RC_PREGAP_AUDIO_DEFAULT);
  /* Track 1's pregap is silence or the special pregap's audio. */
  if (index == 1)
    return disc->special_pregap != NULL ? RC_PREGAP_AUDIO_SPECIAL : RC_PREGAP_AUDIO_SILENCE;
  return rc_disc_effective_pregap_audio (disc, track);
}

gboolean
rc_disc_track_set_pregap_start (RcDisc *disc, guint index, gint64 frame, GError **error)
{
  DiscTrack *track;
  const DiscTrack *previous;

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = get_later_track (disc, index, "PregapStart", error)) == NULL)
    return FALSE;
  if (frame < -1)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "PregapStart %" G_GINT64_FORMAT " is neither -1 (none) nor a frame",
                   frame);
      return FALSE;
    }
  if (frame == -1)
    return change_pregap (disc, track, index, track->pregap, track->pregap_audio, -1,
                          "PregapStart", error);
  previous = g_ptr_array_index (disc->tracks, index - 2);
  if (frame > previous->frames)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "track %u's PregapStart %" G_GINT64_FORMAT " is past the end of track %u's "
                   "audio (%" G_GINT64_FORMAT " frames)", track_number (disc, index),
                   frame, track_number (disc, index - 1), previous->frames);
      return FALSE;
    }
  return change_pregap (disc, track, index, track->pregap, RC_PREGAP_AUDIO_PREVIOUS, frame,
                        "PregapStart", error);
}

gint64
rc_disc_track_get_pregap_start (RcDisc *disc, guint index)
{
  DiscTrack *track = rc_disc_get_disc_track (disc, index, NULL);

  g_return_val_if_fail (track != NULL, -1);
  return track->pregap_start;
}

gboolean
rc_disc_track_set_postgap (RcDisc *disc, guint index, gint sectors, GError **error)
{
  DiscTrack *track;

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if ((track = rc_disc_get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  if (!check_sectors (sectors, 0, "Postgap", error))
    return FALSE;
  return change_track (disc, track, &track->postgap, sectors, index, "Postgap", error);
}

gint
rc_disc_track_get_postgap (RcDisc *disc, guint index)
{
  DiscTrack *track = rc_disc_get_disc_track (disc, index, NULL);

  g_return_val_if_fail (track != NULL, 0);
  return track->postgap;
}
