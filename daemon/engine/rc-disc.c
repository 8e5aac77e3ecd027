/* rc-disc.c: the disc model and IMAPI's rules for changing it.
 *
 * Changes that move sectors (adding a track, gaps on or off, a lower
 * lead-out limit, a special pregap) are applied tentatively, the layout is
 * recomputed and checked, and the change is undone if the disc no longer
 * holds together; so the rules live in one place, rc_disc_validate_layout().
 *
 * Stream lengths come from clients and are unbounded: a sparse file of
 * terabytes costs its owner nothing.  So sector positions are placed in
 * 64 bits (place_streams()) and checked against the lead-out limit before
 * anything is narrowed into the layout's 32-bit LBAs; a disc that passes
 * the check is at most RC_MAX_LEADOUT_LIMIT + 1 sectors long.
 *
 * The tracks' own setters (adding one, its range, ISRC, flags, indexes)
 * are in rc-disc-tracks.c, their pregaps and postgaps in rc-disc-gaps.c.
 */
#include "rc-disc-private.h"
#include "rc-codes.h"
#include "rc-error.h"
#include "rc-layout-private.h"

#include <string.h>

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

void
rc_disc_invalidate (RcDisc *disc)
{
  g_clear_pointer (&disc->layout, rc_layout_unref);
}

/* Whole sectors `frames` fill, rounded up.  No overflow for any frame
 * count a source can report. */
gint64
rc_disc_frames_to_sectors (gint64 frames)
{
  return frames / RC_FRAMES_PER_SECTOR + (frames % RC_FRAMES_PER_SECTOR != 0 ? 1 : 0);
}

/* Where a track's index 0, index 1 and end lie, and where its stream's
 * first sample falls (offset frames into the sector `audio`), in 64 bits. */
typedef struct {
  gint64 pregap;
  gint64 start;
  gint64 end;
  gint64 audio;
  gint   offset;
} TrackSpan;

gint
rc_disc_effective_pregap (const RcDisc *disc, const DiscTrack *track)
{
  return track->pregap >= 0 ? track->pregap : RC_PREGAP_SECTORS;
}

RcPregapAudio
rc_disc_effective_pregap_audio (const RcDisc *disc, const DiscTrack *track)
{
  if (track->pregap_audio != RC_PREGAP_AUDIO_DEFAULT)
    return track->pregap_audio;
  return disc->disable_gapless ? RC_PREGAP_AUDIO_SILENCE : RC_PREGAP_AUDIO_PREVIOUS;
}

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
 * A cursor (a sector and a frame offset in it) walks the program area:
 * before each track after the first its pregap is inserted as silence
 * ("silence": the previous audio padded to a sector first), taken from
 * what precedes ("previous": index 1 is the sector holding the stream's
 * first sample) or from the stream itself ("own": index 1 lies that many
 * sectors into it); then the stream, joined sample-exactly to the previous
 * one or padded to whole sectors (PadStreamsToSectors, 2-second gaps, or a
 * postgap after it); then the postgap's silence.  A track ends where the
 * next one's index 0 begins.  With the defaults (150 sectors, "previous"
 * gapless, "silence" with gaps) this is IMAPI's layout.  Positions are
 * kept as a sector and a frame offset rather than in frames: a stream has
 * at most G_MAXINT64 / 588 sectors, and 100 of them plus their pauses
 * (each at most RC_MAX_LEADOUT_LIMIT sectors) stay far below G_MAXINT64,
 * which would not hold for their frames. */
static gint64
place_streams (const RcDisc *disc, TrackSpan *spans)
{
  gint64 sector = -RC_PREGAP_SECTORS
                  + (disc->special_pregap != NULL ? disc->special_pregap_sectors : RC_PREGAP_SECTORS);
  gint offset = 0;
  gboolean join = joins_samples (disc);
  gint64 previous_audio = sector;   /* where the previous stream began */
  gint previous_offset = 0;

  for (guint i = 0; i < disc->tracks->len; i++)
    {
      const DiscTrack *dt = g_ptr_array_index (disc->tracks, i);
      gint pregap = rc_disc_effective_pregap (disc, dt);
      TrackSpan span = { -RC_PREGAP_SECTORS, sector, 0, sector, offset };

      if (i > 0)
        switch (rc_disc_effective_pregap_audio (disc, dt))
          {
          case RC_PREGAP_AUDIO_SILENCE:
            if (offset != 0)
              sector++, offset = 0;
            span = (TrackSpan) { sector, sector + pregap, 0, sector + pregap, 0 };
            sector += pregap;
            break;
          case RC_PREGAP_AUDIO_OWN:
            span = (TrackSpan) { sector, sector + pregap, 0, sector, offset };
            break;
          case RC_PREGAP_AUDIO_PREVIOUS:
          case RC_PREGAP_AUDIO_DEFAULT:
          default:
            if (dt->pregap_start >= 0)
              {
                /* PregapStart: the sector holding that frame of the
                 * previous stream, wherever that stream began (a CUE
                 * sheet's INDEX 00 in the file before, exact at any rate
                 * and in either join mode) */
                gint64 from = previous_audio + dt->pregap_start / RC_FRAMES_PER_SECTOR
                              + (previous_offset + dt->pregap_start % RC_FRAMES_PER_SECTOR)
                                / RC_FRAMES_PER_SECTOR;

                span = (TrackSpan) { MIN (from, sector), sector, 0, sector, offset };
              }
            else
              span = (TrackSpan) { sector - pregap, sector, 0, sector, offset };
            break;
          }
      previous_audio = span.audio;
      previous_offset = span.offset;
      if (spans != NULL)
        {
          spans[i] = span;
          if (i > 0)
            spans[i - 1].end = span.pregap;
        }

      /* offset + frames % 588 < 2 * 588: no overflow. */
      {
        gint rest = offset + (gint) (dt->frames % RC_FRAMES_PER_SECTOR);

        sector += dt->frames / RC_FRAMES_PER_SECTOR + rest / RC_FRAMES_PER_SECTOR;
        offset = rest % RC_FRAMES_PER_SECTOR;
      }
      if ((!join || dt->postgap > 0) && offset != 0)
        sector++, offset = 0;
      sector += dt->postgap;
    }
  if (offset != 0)
    sector++;
  if (spans != NULL && disc->tracks->len > 0)
    spans[disc->tracks->len - 1].end = sector;
  return sector;
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
      t->pregap_lba = (gint) spans[i].pregap;
      t->start_lba = (gint) spans[i].start;
      t->end_lba = (gint) spans[i].end;
      t->copy = dt->copy;
      t->preemphasis = dt->preemphasis;
      memcpy (t->isrc, dt->isrc, sizeof t->isrc);
      t->n_indexes = dt->n_indexes;
      memcpy (t->index_offsets, dt->index_offsets, dt->n_indexes * sizeof (gint));

      *audio++ = (RcLayoutAudio) {
        .lba = (gint) spans[i].audio,
        .sectors = (gint) rc_disc_frames_to_sectors (spans[i].offset + dt->frames),
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
gboolean
rc_disc_validate_layout (RcDisc *disc, GError **error)
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
  /* A pregap taken from what comes before may not reach back into the
   * previous track's first sectors: said first, as what was asked for. */
  for (guint i = 1; i < layout->n_tracks; i++)
    {
      const RcLayoutTrack *t = &layout->tracks[i];

      if (t->pregap_lba < layout->tracks[i - 1].start_lba + RC_MIN_INDEX_SECTORS)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_TRACK_TOO_SHORT,
                       "track %u's pregap of %d sectors would begin at LBA %d, less than %d "
                       "sectors after track %u's index 1 at LBA %d",
                       t->number, t->start_lba - t->pregap_lba, t->pregap_lba,
                       RC_MIN_INDEX_SECTORS, layout->tracks[i - 1].number,
                       layout->tracks[i - 1].start_lba);
          return FALSE;
        }
    }
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

gboolean
rc_disc_check_writable (const RcDisc *disc, GError **error)
{
  if (disc->frozen)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_READ_ONLY,
                           "the image was already requested; the layout can no longer change");
      return FALSE;
    }
  return TRUE;
}

DiscTrack *
rc_disc_get_disc_track (RcDisc *disc, guint index, GError **error)
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
  if (!rc_disc_check_writable (disc, error))
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

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if (limit < 0 || limit > RC_MAX_LEADOUT_LIMIT)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "StartOfLeadoutLimit %d is outside 0..%d", limit, RC_MAX_LEADOUT_LIMIT);
      return FALSE;
    }
  disc->leadout_limit = limit;
  if (!rc_disc_validate_layout (disc, error))
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

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  disc->disable_gapless = !!disable;
  rc_disc_invalidate (disc);
  if (!rc_disc_validate_layout (disc, error))
    {
      disc->disable_gapless = old;
      rc_disc_invalidate (disc);
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

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  disc->pad_streams = !!pad;
  rc_disc_invalidate (disc);
  if (!rc_disc_validate_layout (disc, error))
    {
      disc->pad_streams = old;
      rc_disc_invalidate (disc);
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

  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if (!rc_mcn_normalize (mcn, normalized, error))
    return FALSE;
  memcpy (disc->mcn, normalized, sizeof normalized);
  rc_disc_invalidate (disc);
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
  if (!rc_disc_check_writable (disc, error))
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
  rc_disc_invalidate (disc);
  return TRUE;
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
  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if (track_index > 0 && rc_disc_get_disc_track (disc, track_index, error) == NULL)
    return FALSE;
  return rc_cdtext_set (disc->cdtext, block, cdtext_track_number (disc, track_index),
                        field, utf8, error);
}

const char *
rc_disc_get_cdtext (RcDisc *disc, guint block, guint track_index, RcCdTextField field)
{
  return rc_cdtext_get (disc->cdtext, block, cdtext_track_number (disc, track_index), field);
}

guint
rc_disc_get_cdtext_genre_code (RcDisc *disc, guint block)
{
  return rc_cdtext_get_genre_code (disc->cdtext, block);
}

gboolean
rc_disc_set_cdtext_language (RcDisc *disc, guint block, guint8 code, GError **error)
{
  if (!rc_disc_check_writable (disc, error))
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
  if (!rc_disc_check_writable (disc, error))
    return FALSE;
  if (track_index > 0 && rc_disc_get_disc_track (disc, track_index, error) == NULL)
    return FALSE;
  return rc_cdtext_replace (disc->cdtext, cdtext_track_number (disc, track_index), blocks, error);
}

gboolean
rc_disc_replace_cdtext_languages (RcDisc *disc, const guint8 *codes, gsize n_codes, GError **error)
{
  if (!rc_disc_check_writable (disc, error))
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
  if (!rc_disc_check_writable (disc, error))
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
