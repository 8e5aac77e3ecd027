/* rawcdctl-cue-plan.c: a parsed sheet and the lengths of its FILEs -> the
 * disc plan: for each track the range of a FILE that is its stream, its
 * pregap (index 0) and where that pregap's audio comes from, its postgap
 * and its further indexes; and the hidden track before track 1.  Pure: no
 * file, no bus.
 *
 * How a sheet's index 0 maps onto the service's tracks:
 *
 *  - INDEX 00 in the same FILE as INDEX 01 (one file for the disc, or the
 *    gap at the start of the next file, "compliant" sheets): the track's
 *    stream starts at INDEX 00, and its first Pregap sectors are its index
 *    0 (PregapAudio "own").
 *  - INDEX 00 at the end of the previous FILE and INDEX 01 at the start of
 *    the next (EAC's default sheets): the previous track's stream runs to
 *    the end of its file and its last sectors are this track's index 0
 *    (PregapAudio "previous"), from the frame INDEX 00 names (PregapStart,
 *    which the service turns into sectors).  This needs that file's
 *    length, for the checks and the estimate of the pregap.
 *  - PREGAP: that many sectors of inserted silence (PregapAudio "silence").
 *  - A first track in a new FILE whose INDEX 01 is not at 00:00:00 and
 *    which has no INDEX 00: the audio before INDEX 01 is its index 0, as
 *    if INDEX 00 were at 00:00:00 (cdrdao reads such sheets this way).
 *  - Track 1: audio before its INDEX 01 is a hidden track (the service's
 *    special pregap, at least 2 s), from INDEX 00 (or the file's start) to
 *    INDEX 01, or the whole FILE holding its INDEX 00.
 *
 * Each range ends where the next range in the same FILE starts, or at the
 * end of the FILE (length 0: the service reads to the end).
 */
#include <gio/gio.h>

#include "rawcdctl-cue.h"

#define SECTOR  RCD_CTL_CUE_FRAME_SAMPLES

static gboolean G_GNUC_PRINTF (4, 5)
fail (const RcdCtlCueSheet *sheet, guint line, GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: %s",
               sheet->name, line, message);
  return FALSE;
}

static char *
msf (guint64 frames)
{
  return g_strdup_printf ("%02u:%02u:%02u", (guint) (frames / (75 * 60)),
                          (guint) (frames / 75 % 60), (guint) (frames % 75));
}

static void
plan_track_clear (RcdCtlCuePlanTrack *track)
{
  g_clear_pointer (&track->indexes, g_array_unref);
}

void
rcd_ctl_cue_plan_free (RcdCtlCuePlan *plan)
{
  if (plan == NULL)
    return;
  g_array_unref (plan->tracks);
  g_free (plan->file_used);
  g_free (plan);
}

/* Every index of every track inside its FILE: a time past the end of the
 * file is the error users make most (a sheet for another rip). */
static gboolean
check_times (const RcdCtlCueSheet *sheet, const gint64 *file_frames, GError **error)
{
  for (guint t = 0; t < sheet->tracks->len; t++) {
    const RcdCtlCueTrack *track = g_ptr_array_index (sheet->tracks, t);

    for (guint i = 0; i < track->n_indexes; i++) {
      const RcdCtlCuePosition *p = &track->index[i];
      const RcdCtlCueFile *file;
      gint64 length = p->file >= 0 ? file_frames[p->file] : -1;

      if (length < 0 || (gint64) p->frames * SECTOR < length)
        continue;
      file = g_ptr_array_index (sheet->files, p->file);
      {
        g_autofree char *at = msf (p->frames);
        g_autofree char *end = msf ((guint64) length / SECTOR);

        return fail (sheet, p->line, error,
                     "INDEX %02u of track %u at %s is past the end of \"%s\" (%s long)",
                     i, track->number, at, file->name, end);
      }
    }
  }
  return TRUE;
}

/* The stream's start and the pregap of track t (0-based); *hidden for
 * track 0's audio before index 1. */
static gboolean
plan_start (const RcdCtlCueSheet *sheet, const gint64 *file_frames, RcdCtlCuePlan *plan,
            guint t, GError **error)
{
  const RcdCtlCueTrack *track = g_ptr_array_index (sheet->tracks, t);
  RcdCtlCuePlanTrack *out = &g_array_index (plan->tracks, RcdCtlCuePlanTrack, t);
  const RcdCtlCuePosition *one = &track->index[1];
  const RcdCtlCuePosition *zero = &track->index[0];
  RcdCtlCuePlanTrack *previous = t > 0 ? &out[-1] : NULL;
  gboolean new_file = previous == NULL || previous->range.file != one->file;
  guint index0 = one->frames;   /* where index 0 starts in one->file */

  out->range.file = one->file;
  out->range.start = (guint64) one->frames * SECTOR;

  if (zero->file >= 0 && zero->file != one->file) {
    /* INDEX 00 in an earlier FILE: the end of that file is index 0 */
    gint64 length = file_frames[zero->file];

    if (one->frames != 0)
      return fail (sheet, one->line, error,
                   "track %u: INDEX 00 is in another FILE, so INDEX 01 must be at "
                   "00:00:00 of its own", track->number);
    if (zero->file != one->file - 1)
      return fail (sheet, zero->line, error,
                   "track %u: INDEX 00 must be in the FILE before its INDEX 01",
                   track->number);
    if (track->pregap > 0)
      return fail (sheet, track->pregap_line, error,
                   "track %u has both PREGAP and INDEX 00", track->number);
    if (previous == NULL) {
      plan->has_hidden = TRUE;
      plan->hidden.file = zero->file;
      plan->hidden.start = (guint64) zero->frames * SECTOR;
      plan->hidden_line = zero->line;
      return TRUE;
    }
    if (previous->range.file != zero->file)
      return fail (sheet, zero->line, error,
                   "track %u: INDEX 00 is in a FILE that holds no audio of track %u",
                   track->number, previous->cue->number);
    if (length < 0) {
      const RcdCtlCueFile *file = g_ptr_array_index (sheet->files, zero->file);

      return fail (sheet, zero->line, error,
                   "track %u: INDEX 00 at the end of \"%s\" needs that file's length, "
                   "which cannot be read", track->number, file->name);
    }
    /* a file that is not whole sectors: index 0 starts in its last part sector */
    out->pregap = (guint) (((guint64) length - (guint64) zero->frames * SECTOR + SECTOR - 1)
                           / SECTOR);
    out->pregap_audio = out->pregap > 0 ? "previous" : NULL;
    /* ... which is only an estimate: the length is libsndfile's count,
     * converted here, and where the sector boundaries fall depends on how
     * the streams meet.  The service places index 0 exactly from the
     * frame of the previous range that INDEX 00 names (PregapStart). */
    if (out->pregap > 0)
      out->pregap_start = (gint64) ((guint64) zero->frames * SECTOR - previous->range.start);
    return TRUE;
  }

  if (zero->file >= 0)
    index0 = zero->frames;
  else if (new_file && track->pregap == 0)
    index0 = 0;   /* the audio before INDEX 01 of a file's first track */

  if (track->pregap > 0 && index0 < one->frames)
    return fail (sheet, track->pregap_line, error,
                 "track %u has both PREGAP and audio before its INDEX 01", track->number);

  if (previous == NULL) {
    if (track->pregap > 0 && track->pregap != 150) {
      g_autofree char *time = msf (track->pregap);

      return fail (sheet, track->pregap_line, error,
                   "PREGAP %s of the first track: its pause is always 00:02:00; a longer "
                   "one needs audio (a hidden track)", time);
    }
    if (index0 < one->frames) {
      plan->has_hidden = TRUE;
      plan->hidden.file = one->file;
      plan->hidden.start = (guint64) index0 * SECTOR;
      plan->hidden.length = (guint64) (one->frames - index0) * SECTOR;
      plan->hidden_line = zero->file >= 0 ? zero->line : one->line;
      if (one->frames - index0 < 150) {
        g_autofree char *time = msf (one->frames - index0);

        return fail (sheet, one->line, error,
                     "the audio before INDEX 01 of the first track (a hidden track) lasts "
                     "%s: it must last at least 00:02:00", time);
      }
    }
    return TRUE;
  }

  if (track->pregap > 0) {
    out->pregap = track->pregap;
    out->pregap_audio = "silence";
  } else if (index0 < one->frames) {
    out->range.start = (guint64) index0 * SECTOR;
    out->pregap = one->frames - index0;
    out->pregap_audio = "own";
  }
  return TRUE;
}

/* The other indexes, as sectors after index 1, in the same FILE. */
static gboolean
plan_indexes (const RcdCtlCueSheet *sheet, RcdCtlCuePlanTrack *out, GError **error)
{
  const RcdCtlCueTrack *track = out->cue;

  out->indexes = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (guint i = 2; i < track->n_indexes; i++) {
    const RcdCtlCuePosition *p = &track->index[i];
    gint32 offset = (gint32) (p->frames - track->index[1].frames);

    if (p->file != track->index[1].file)
      return fail (sheet, p->line, error,
                   "INDEX %02u of track %u is in another FILE than its INDEX 01",
                   i, track->number);
    g_array_append_val (out->indexes, offset);
  }
  return TRUE;
}

/* Each range ends where the next range of its FILE begins. */
static void
plan_lengths (RcdCtlCuePlan *plan)
{
  for (guint t = 0; t < plan->tracks->len; t++) {
    RcdCtlCuePlanTrack *track = &g_array_index (plan->tracks, RcdCtlCuePlanTrack, t);
    RcdCtlCuePlanTrack *next = t + 1 < plan->tracks->len ? &track[1] : NULL;

    plan->file_used[track->range.file] = TRUE;
    if (next != NULL && next->range.file == track->range.file)
      track->range.length = next->range.start - track->range.start;
  }
  if (plan->has_hidden) {
    const RcdCtlCuePlanTrack *first = &g_array_index (plan->tracks, RcdCtlCuePlanTrack, 0);

    plan->file_used[plan->hidden.file] = TRUE;
    if (first->range.file != plan->hidden.file)
      plan->hidden.length = 0;   /* its own FILE, whole from INDEX 00 */
  }
}

RcdCtlCuePlan *
rcd_ctl_cue_plan_new (const RcdCtlCueSheet *sheet, const gint64 *file_frames, GError **error)
{
  g_autoptr(RcdCtlCuePlan) plan = g_new0 (RcdCtlCuePlan, 1);
  const RcdCtlCueTrack *first = g_ptr_array_index (sheet->tracks, 0);

  plan->tracks = g_array_sized_new (FALSE, TRUE, sizeof (RcdCtlCuePlanTrack),
                                    sheet->tracks->len);
  g_array_set_clear_func (plan->tracks, (GDestroyNotify) plan_track_clear);
  g_array_set_size (plan->tracks, sheet->tracks->len);
  plan->file_used = g_new0 (gboolean, sheet->files->len);
  plan->first_track = (gint32) first->number;

  if (!check_times (sheet, file_frames, error))
    return NULL;
  for (guint t = 0; t < sheet->tracks->len; t++) {
    RcdCtlCuePlanTrack *out = &g_array_index (plan->tracks, RcdCtlCuePlanTrack, t);

    out->cue = g_ptr_array_index (sheet->tracks, t);
    out->postgap = out->cue->postgap;
    out->pregap_start = -1;
    if (!plan_start (sheet, file_frames, plan, t, error) ||
        !plan_indexes (sheet, out, error))
      return NULL;
  }
  plan_lengths (plan);
  for (guint f = 0; f < sheet->files->len; f++) {
    const RcdCtlCueFile *file = g_ptr_array_index (sheet->files, f);

    if (!plan->file_used[f]) {
      fail (sheet, file->line, error, "FILE \"%s\" holds no track's audio", file->name);
      return NULL;
    }
  }
  return g_steal_pointer (&plan);
}
