/* rc-disc.c: the disc model and IMAPI's rules for changing it.
 *
 * Changes that move sectors (adding a track, gaps on or off, a lower
 * lead-out limit, a special pregap) are applied tentatively, the layout is
 * recomputed and checked, and the change is undone if the disc no longer
 * holds together; so the rules live in one place, validate_layout().
 *
 * Stream lengths come from clients and are unbounded: a sparse file of
 * terabytes costs its owner nothing.  So sector positions are placed in
 * 64 bits (place_streams()) and checked against the lead-out limit before
 * anything is narrowed into the layout's 32-bit LBAs; a disc that passes
 * the check is at most RC_MAX_LEADOUT_LIMIT + 1 sectors long.
 */
#include "rc-disc.h"
#include "rc-codes.h"
#include "rc-disc-range.h"
#include "rc-error.h"
#include "rc-layout-private.h"

#include <string.h>

typedef struct {
  RcAudioSource *source;
  RcStreamId     id;            /* the file it comes from, if known */
  gboolean       cut;           /* a range given by the client */
  gint64         first;         /* the first frame of the source it plays */
  gint64         frames;        /* frames it plays from there */
  gint64         sectors;       /* those frames padded to whole sectors */
  RcCopySetting  copy;
  gboolean       preemphasis;
  char           isrc[13];
  guint          n_indexes;
  gint           index_offsets[RC_MAX_INDEXES];
} DiscTrack;

struct _RcDisc {
  gboolean       frozen;
  RcImageType    image_type;
  gint           leadout_limit;
  gboolean       disable_gapless;
  gboolean       pad_streams;   /* PadStreamsToSectors */
  char           mcn[14];
  gint           starting_track;
  RcAudioSource *special_pregap;
  RcStreamId     special_pregap_id;
  gboolean       special_pregap_cut;
  gint64         special_pregap_first;
  gint64         special_pregap_frames;
  gint64         special_pregap_sectors;
  GPtrArray     *tracks;        /* of DiscTrack */
  RcCdText      *cdtext;
  RcSubcodeSource *rw;
  RcLayout      *layout;        /* cache of compute_layout(); NULL when stale */
};

static void
disc_track_free (gpointer data)
{
  DiscTrack *track = data;

  rc_audio_source_unref (track->source);
  g_free (track);
}

RcDisc *
rc_disc_new (void)
{
  RcDisc *disc = g_new0 (RcDisc, 1);

  disc->image_type = RC_IMAGE_TYPE_IS_RAW;
  disc->leadout_limit = RC_MAX_LEADOUT_LIMIT;
  disc->starting_track = 1;
  disc->tracks = g_ptr_array_new_with_free_func (disc_track_free);
  disc->cdtext = rc_cdtext_new ();
  return disc;
}

void
rc_disc_free (RcDisc *disc)
{
  if (disc == NULL)
    return;
  g_clear_pointer (&disc->layout, rc_layout_unref);
  g_clear_pointer (&disc->special_pregap, rc_audio_source_unref);
  g_clear_pointer (&disc->rw, rc_subcode_source_unref);
  rc_cdtext_free (disc->cdtext);
  g_ptr_array_unref (disc->tracks);
  g_free (disc);
}

static void
invalidate (RcDisc *disc)
{
  g_clear_pointer (&disc->layout, rc_layout_unref);
}

/* Whole sectors `frames` fill, rounded up.  No overflow for any frame
 * count a source can report. */
static gint64
frames_to_sectors (gint64 frames)
{
  return frames / RC_FRAMES_PER_SECTOR + (frames % RC_FRAMES_PER_SECTOR != 0 ? 1 : 0);
}

/* Where a track's index 1 and end lie, and where its stream's first
 * sample falls (offset frames into the sector at start), in 64 bits. */
typedef struct {
  gint64 start;
  gint64 end;
  gint   offset;
} TrackSpan;

/* cd-format.md §12: in gapless mode, unless PadStreamsToSectors asks for
 * IMAPI's padding, each stream's samples follow the previous one's with
 * nothing between. */
static gboolean
joins_samples (const RcDisc *disc)
{
  return !disc->disable_gapless && !disc->pad_streams;
}

/* cd-format.md §5 and §12: places every track (spans[i], when spans is not
 * NULL) and returns the lead-out LBA.
 *
 * Track k's index 1 is the sector holding its stream's first sample and
 * the track ends where the next one's 150-sector index 0 begins (gapless:
 * inside this track's audio; with gaps: the silence inserted after it).
 * Padded streams are joined sample-exactly too, only with a whole number
 * of sectors each, so one loop covers every mode.  Positions are kept as
 * a sector and a frame offset in it rather than in frames: a stream has at
 * most G_MAXINT64 / 588 sectors, and 100 of them plus their pauses stay far
 * below G_MAXINT64, which would not hold for their frames. */
static gint64
place_streams (const RcDisc *disc, TrackSpan *spans)
{
  gint64 sector = -RC_PREGAP_SECTORS
                  + (disc->special_pregap != NULL ? disc->special_pregap_sectors : RC_PREGAP_SECTORS);
  gint offset = 0;
  gint64 leadout = sector;

  for (guint i = 0; i < disc->tracks->len; i++)
    {
      const DiscTrack *dt = g_ptr_array_index (disc->tracks, i);

      if (spans != NULL)
        {
          spans[i] = (TrackSpan) { sector, 0, offset };
          if (i > 0)
            spans[i - 1].end = sector - RC_PREGAP_SECTORS;
        }
      if (joins_samples (disc))
        {
          /* offset + frames % 588 < 2 * 588: no overflow. */
          gint rest = offset + (gint) (dt->frames % RC_FRAMES_PER_SECTOR);

          sector += dt->frames / RC_FRAMES_PER_SECTOR + rest / RC_FRAMES_PER_SECTOR;
          offset = rest % RC_FRAMES_PER_SECTOR;
          leadout = sector + (offset != 0 ? 1 : 0);
        }
      else
        {
          sector += dt->sectors;
          leadout = sector;
          /* With gaps the next track's pause is silence after this audio. */
          if (disc->disable_gapless)
            sector += RC_PREGAP_SECTORS;
        }
    }
  if (spans != NULL && disc->tracks->len > 0)
    spans[disc->tracks->len - 1].end = leadout;
  return leadout;
}

/* The layout of a disc that obeys the space rule (validate_layout()), so
 * that every position fits the layout's gint LBAs. */
static RcLayout *
compute_layout (const RcDisc *disc)
{
  guint n_tracks = disc->tracks->len;
  guint n_audio = n_tracks + (disc->special_pregap != NULL ? 1 : 0);
  RcLayout *layout = rc_layout_new (n_tracks, n_audio);
  RcLayoutAudio *audio = layout->audio;
  g_autofree TrackSpan *spans = g_new (TrackSpan, MAX (n_tracks, 1));

  layout->leadout_lba = (gint) place_streams (disc, spans);
  /* The special pregap is padded to whole sectors, whatever the mode, so
   * that track 1 begins with its own first sample (cd-format.md §12). */
  if (disc->special_pregap != NULL)
    *audio++ = (RcLayoutAudio) { -RC_PREGAP_SECTORS, (gint) disc->special_pregap_sectors,
                                 rc_audio_source_ref (disc->special_pregap), 0,
                                 disc->special_pregap_first, disc->special_pregap_frames, 0 };

  layout->first_track = (guint) disc->starting_track;
  memcpy (layout->mcn, disc->mcn, sizeof layout->mcn);

  for (guint i = 0; i < n_tracks; i++)
    {
      const DiscTrack *dt = g_ptr_array_index (disc->tracks, i);
      RcLayoutTrack *t = &layout->tracks[i];

      t->number = (guint) disc->starting_track + i;
      t->pregap_lba = i == 0 ? -RC_PREGAP_SECTORS : layout->tracks[i - 1].end_lba;
      t->start_lba = (gint) spans[i].start;
      t->end_lba = (gint) spans[i].end;
      t->copy = dt->copy;
      t->preemphasis = dt->preemphasis;
      memcpy (t->isrc, dt->isrc, sizeof t->isrc);
      t->n_indexes = dt->n_indexes;
      memcpy (t->index_offsets, dt->index_offsets, dt->n_indexes * sizeof (gint));

      *audio++ = (RcLayoutAudio) {
        .lba = t->start_lba,
        .sectors = (gint) frames_to_sectors (spans[i].offset + dt->frames),
        .source = rc_audio_source_ref (dt->source),
        .offset = spans[i].offset,
        .first = dt->first,
        .frames = dt->frames,
        .track = i + 1,
      };
    }
  return layout;
}

const RcLayout *
rc_disc_peek_layout (RcDisc *disc)
{
  if (disc->layout == NULL)
    disc->layout = compute_layout (disc);
  return disc->layout;
}

/* The rules that depend on where things ended up. */
static gboolean
validate_layout (RcDisc *disc, GError **error)
{
  const RcLayout *layout;
  gint64 last_used = place_streams (disc, NULL) - 1;

  /* Checked before the layout exists: only a disc that passes fits it. */
  if (last_used > disc->leadout_limit)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INSUFFICIENT_SPACE,
                   "the audio would end at LBA %" G_GINT64_FORMAT ", past StartOfLeadoutLimit %d "
                   "by %" G_GINT64_FORMAT " sectors",
                   last_used, disc->leadout_limit, last_used - disc->leadout_limit);
      return FALSE;
    }
  layout = rc_disc_peek_layout (disc);
  for (guint i = 0; i < layout->n_tracks; i++)
    {
      const RcLayoutTrack *t = &layout->tracks[i];
      gint count = rc_layout_track_sector_count (t);
      gint last_offset = t->index_offsets[t->n_indexes - 1];
      gint next = i + 1 < layout->n_tracks ? layout->tracks[i + 1].start_lba : layout->leadout_lba;

      /* A stream of 300 sectors or more can still give a track of 299
       * when it does not fill its last sector and the next stream follows
       * it sample-exactly: the rule is on what is played (index 1 to the
       * next index 1), as IMAPI's padded streams always satisfied it. */
      if (next - t->start_lba < RC_MIN_TRACK_SECTORS)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_TRACK_TOO_SHORT,
                       "track %u would be played for %d sectors from its index 1 to the next "
                       "track's; a track must have at least %d (4 seconds)",
                       t->number, next - t->start_lba, RC_MIN_TRACK_SECTORS);
          return FALSE;
        }

      if (count - last_offset < RC_MIN_INDEX_SECTORS)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
                       "track %u would be %d sectors long, leaving its index at offset %d "
                       "shorter than %d sectors", t->number, count, last_offset,
                       RC_MIN_INDEX_SECTORS);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_writable (const RcDisc *disc, GError **error)
{
  if (disc->frozen)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_READ_ONLY,
                           "the image was already requested; the layout can no longer change");
      return FALSE;
    }
  return TRUE;
}

static DiscTrack *
get_disc_track (RcDisc *disc, guint index, GError **error)
{
  if (index < 1 || index > disc->tracks->len)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "there is no track %u; the disc has %u", index, disc->tracks->len);
      return NULL;
    }
  return g_ptr_array_index (disc->tracks, index - 1);
}

gboolean
rc_disc_is_frozen (const RcDisc *disc)
{
  return disc->frozen;
}

RcImageType
rc_disc_get_image_type (const RcDisc *disc)
{
  return disc->image_type;
}

gboolean
rc_disc_set_image_type (RcDisc *disc, guint type, GError **error)
{
  if (!check_writable (disc, error))
    return FALSE;
  if (type < RC_IMAGE_TYPE_PQ_ONLY || type > RC_IMAGE_TYPE_IS_RAW)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "ResultingImageType %u is not 1 (PQ_ONLY), 2 (IS_COOKED) or 3 (IS_RAW)", type);
      return FALSE;
    }
  if (type == RC_IMAGE_TYPE_PQ_ONLY && disc->rw != NULL)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                           "ResultingImageType 1 (PQ_ONLY) cannot carry the R-W generator's subcode");
      return FALSE;
    }
  disc->image_type = type;
  return TRUE;
}

gint
rc_disc_get_start_of_leadout_limit (const RcDisc *disc)
{
  return disc->leadout_limit;
}

gboolean
rc_disc_set_start_of_leadout_limit (RcDisc *disc, gint limit, GError **error)
{
  gint old = disc->leadout_limit;

  if (!check_writable (disc, error))
    return FALSE;
  if (limit < 0 || limit > RC_MAX_LEADOUT_LIMIT)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "StartOfLeadoutLimit %d is outside 0..%d", limit, RC_MAX_LEADOUT_LIMIT);
      return FALSE;
    }
  disc->leadout_limit = limit;
  if (!validate_layout (disc, error))
    {
      disc->leadout_limit = old;
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_disc_get_disable_gapless_audio (const RcDisc *disc)
{
  return disc->disable_gapless;
}

gboolean
rc_disc_set_disable_gapless_audio (RcDisc *disc, gboolean disable, GError **error)
{
  gboolean old = disc->disable_gapless;

  if (!check_writable (disc, error))
    return FALSE;
  disc->disable_gapless = !!disable;
  invalidate (disc);
  if (!validate_layout (disc, error))
    {
      disc->disable_gapless = old;
      invalidate (disc);
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_disc_get_pad_streams_to_sectors (const RcDisc *disc)
{
  return disc->pad_streams;
}

gboolean
rc_disc_set_pad_streams_to_sectors (RcDisc *disc, gboolean pad, GError **error)
{
  gboolean old = disc->pad_streams;

  if (!check_writable (disc, error))
    return FALSE;
  disc->pad_streams = !!pad;
  invalidate (disc);
  if (!validate_layout (disc, error))
    {
      disc->pad_streams = old;
      invalidate (disc);
      return FALSE;
    }
  return TRUE;
}

const char *
rc_disc_get_media_catalog_number (const RcDisc *disc)
{
  return disc->mcn;
}

gboolean
rc_disc_set_media_catalog_number (RcDisc *disc, const char *mcn, GError **error)
{
  char normalized[14];

  if (!check_writable (disc, error))
    return FALSE;
  if (!rc_mcn_normalize (mcn, normalized, error))
    return FALSE;
  memcpy (disc->mcn, normalized, sizeof normalized);
  invalidate (disc);
  return TRUE;
}

gint
rc_disc_get_starting_track_number (const RcDisc *disc)
{
  return disc->starting_track;
}

gboolean
rc_disc_set_starting_track_number (RcDisc *disc, gint number, GError **error)
{
  if (!check_writable (disc, error))
    return FALSE;
  if (number < 1 || number > RC_MAX_TRACK_NUMBER)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "StartingTrackNumber %d is outside 1..%d", number, RC_MAX_TRACK_NUMBER);
      return FALSE;
    }
  if (disc->tracks->len > 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_TRACKS_ALREADY_ADDED,
                   "StartingTrackNumber can only change before tracks are added (%u added)",
                   disc->tracks->len);
      return FALSE;
    }
  disc->starting_track = number;
  invalidate (disc);
  return TRUE;
}

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
  /* The same file, as long as it still reads the same. */
  if (same != NULL && rc_audio_source_is_rereadable (same) && rc_audio_source_is_rereadable (*source)
      && rc_audio_source_get_frames (same) == rc_audio_source_get_frames (*source))
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

  if (!check_writable (disc, error))
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
  sectors = frames_to_sectors (frames);
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
  invalidate (disc);
  if (!validate_layout (disc, error))
    {
      g_prefix_error (error, "the special pregap of %" G_GINT64_FORMAT " sectors: ", sectors);
      rc_audio_source_unref (disc->special_pregap);
      disc->special_pregap = old;
      disc->special_pregap_id = old_id;
      disc->special_pregap_cut = old_cut;
      disc->special_pregap_first = old_first;
      disc->special_pregap_frames = old_frames;
      disc->special_pregap_sectors = old_sectors;
      invalidate (disc);
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

  if (!check_writable (disc, error))
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
  sectors = frames_to_sectors (frames);
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
  g_ptr_array_add (disc->tracks, track);
  invalidate (disc);
  if (!validate_layout (disc, error))
    {
      g_prefix_error (error, "track %u of %" G_GINT64_FORMAT " sectors: ",
                      disc->tracks->len, sectors);
      g_ptr_array_remove_index (disc->tracks, disc->tracks->len - 1);
      invalidate (disc);
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

  if (!check_writable (disc, error))
    return FALSE;
  if ((track = get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  if (!rc_isrc_normalize (isrc, normalized, error))
    return FALSE;
  memcpy (track->isrc, normalized, sizeof normalized);
  invalidate (disc);
  return TRUE;
}

gboolean
rc_disc_track_set_copy_setting (RcDisc *disc, guint index, guint setting, GError **error)
{
  DiscTrack *track;

  if (!check_writable (disc, error))
    return FALSE;
  if ((track = get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  if (setting > RC_COPY_SCMS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "DigitalAudioCopySetting %u is not 0 (permitted), 1 (prohibited) or 2 (SCMS)",
                   setting);
      return FALSE;
    }
  track->copy = setting;
  invalidate (disc);
  return TRUE;
}

gboolean
rc_disc_track_set_preemphasis (RcDisc *disc, guint index, gboolean preemphasis, GError **error)
{
  DiscTrack *track;

  if (!check_writable (disc, error))
    return FALSE;
  if ((track = get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  track->preemphasis = !!preemphasis;
  invalidate (disc);
  return TRUE;
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
  if (!check_writable (disc, error))
    return FALSE;
  if ((track = get_disc_track (disc, index, error)) == NULL)
    return FALSE;

  count = rc_disc_track_get_sector_count (disc, index);
  if (offset < 0 || offset >= count)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "index offset %d is outside track %u (offsets 0..%d)",
                   offset, index, count - 1);
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
                   index, RC_MAX_INDEXES);
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
                     offset, index, RC_MIN_INDEX_SECTORS,
                     offset - prev < RC_MIN_INDEX_SECTORS ? "the index at" : "the track end or the index at",
                     offset - prev < RC_MIN_INDEX_SECTORS ? prev : next);
        return FALSE;
      }
  }
  memmove (&track->index_offsets[pos + 1], &track->index_offsets[pos],
           (track->n_indexes - pos) * sizeof (gint));
  track->index_offsets[pos] = offset;
  track->n_indexes++;
  invalidate (disc);
  return TRUE;
}

gboolean
rc_disc_track_clear_index (RcDisc *disc, guint index, gint offset, GError **error)
{
  DiscTrack *track;

  if (!check_writable (disc, error))
    return FALSE;
  if ((track = get_disc_track (disc, index, error)) == NULL)
    return FALSE;
  if (offset == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
                   "offset 0 of track %u is its index 1 and cannot be cleared", index);
      return FALSE;
    }
  for (guint pos = 1; pos < track->n_indexes; pos++)
    if (track->index_offsets[pos] == offset)
      {
        memmove (&track->index_offsets[pos], &track->index_offsets[pos + 1],
                 (track->n_indexes - pos - 1) * sizeof (gint));
        track->n_indexes--;
        invalidate (disc);
        return TRUE;
      }
  g_set_error (error, RC_ERROR, RC_ERROR_TRACK_INDEX_NOT_FOUND,
               "track %u has no index at offset %d", index, offset);
  return FALSE;
}

static guint
cdtext_track_number (const RcDisc *disc, guint track_index)
{
  return track_index == 0 ? 0 : (guint) disc->starting_track + track_index - 1;
}

gboolean
rc_disc_set_cdtext (RcDisc *disc, guint block, guint track_index,
                    RcCdTextField field, const char *utf8, GError **error)
{
  if (!check_writable (disc, error))
    return FALSE;
  if (track_index > 0 && get_disc_track (disc, track_index, error) == NULL)
    return FALSE;
  return rc_cdtext_set (disc->cdtext, block, cdtext_track_number (disc, track_index),
                        field, utf8, error);
}

const char *
rc_disc_get_cdtext (RcDisc *disc, guint block, guint track_index, RcCdTextField field)
{
  return rc_cdtext_get (disc->cdtext, block, cdtext_track_number (disc, track_index), field);
}

gboolean
rc_disc_set_cdtext_language (RcDisc *disc, guint block, guint8 code, GError **error)
{
  if (!check_writable (disc, error))
    return FALSE;
  return rc_cdtext_set_language (disc->cdtext, block, code, error);
}

guint8
rc_disc_get_cdtext_language (RcDisc *disc, guint block)
{
  return rc_cdtext_get_language (disc->cdtext, block);
}

gboolean
rc_disc_replace_cdtext (RcDisc *disc, guint track_index, GPtrArray *blocks, GError **error)
{
  if (!check_writable (disc, error))
    return FALSE;
  if (track_index > 0 && get_disc_track (disc, track_index, error) == NULL)
    return FALSE;
  return rc_cdtext_replace (disc->cdtext, cdtext_track_number (disc, track_index), blocks, error);
}

gboolean
rc_disc_replace_cdtext_languages (RcDisc *disc, const guint8 *codes, gsize n_codes, GError **error)
{
  if (!check_writable (disc, error))
    return FALSE;
  return rc_cdtext_replace_languages (disc->cdtext, codes, n_codes, error);
}

guint
rc_disc_get_cdtext_languages (RcDisc *disc, guint8 codes[RC_CDTEXT_N_BLOCKS])
{
  return rc_cdtext_languages_in_use (disc->cdtext, codes);
}

gboolean
rc_disc_set_rw_generator (RcDisc *disc, RcSubcodeSource *source, GError **error)
{
  if (!check_writable (disc, error))
    return FALSE;
  if (disc->image_type == RC_IMAGE_TYPE_PQ_ONLY)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                           "an R-W generator cannot be used with ResultingImageType 1 (PQ_ONLY)");
      return FALSE;
    }
  g_clear_pointer (&disc->rw, rc_subcode_source_unref);
  disc->rw = rc_subcode_source_ref (source);
  return TRUE;
}

RcLayout *
rc_disc_freeze (RcDisc *disc, GError **error)
{
  g_autoptr(GBytes) packs = NULL;
  RcLayout *layout;

  if (disc->tracks->len == 0)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_NO_TRACKS,
                           "the disc has no tracks; add at least one before requesting the image");
      return NULL;
    }
  if (disc->frozen)
    return rc_layout_ref (disc->layout);

  layout = (RcLayout *) rc_disc_peek_layout (disc);
  if (disc->rw != NULL
      && rc_subcode_source_get_sectors (disc->rw) != rc_layout_image_sectors (layout))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "the R-W generator holds %" G_GINT64_FORMAT " sectors; the image has %d, "
                   "so it must be %" G_GINT64_FORMAT " bytes long",
                   rc_subcode_source_get_sectors (disc->rw), rc_layout_image_sectors (layout),
                   (gint64) rc_layout_image_sectors (layout) * 96);
      return NULL;
    }
  if (!rc_cdtext_is_empty (disc->cdtext))
    {
      packs = rc_cdtext_encode (disc->cdtext, layout->first_track,
                                layout->tracks[layout->n_tracks - 1].number, error);
      if (packs == NULL)
        return NULL;
      layout->cdtext = rc_cdtext_copy (disc->cdtext);
      layout->cdtext_packs = g_steal_pointer (&packs);
    }
  if (disc->rw != NULL)
    layout->rw = rc_subcode_source_ref (disc->rw);

  /* From here on the cached layout is never recomputed: every change fails. */
  disc->frozen = TRUE;
  return rc_layout_ref (layout);
}
