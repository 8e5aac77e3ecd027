/* rc-disc-gaps.c: a track's pauses (Track Pregap, PregapAudio,
 * PregapStart and Postgap, cd-format.md §5), with IMAPI's rules: every
 * change is tried on the layout and undone when rc_disc_validate_layout()
 * refuses it.  Split from rc-disc-tracks.c, which adds the tracks and
 * holds their other settings. */
#include "rc-disc-private.h"
#include "rc-error.h"

/* The track number a message names (as in rc-disc-tracks.c). */
static guint
track_number (const RcDisc *disc, guint index)
{
  return (guint) disc->starting_track + index - 1;
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
