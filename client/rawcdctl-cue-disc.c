/* rawcdctl-cue-disc.c: a CUE sheet on disk -> the RcdCtlDisc that create
 * and info lay out: the sheet read, its FILEs found beside it and opened
 * once each (the service gets a descriptor, never a path), their lengths
 * read for the plan, and the plan's tracks, ranges, gaps, indexes, codes
 * and CD-TEXT put under the command line's options.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <sndfile.h>

#include "rawcdctl.h"
#include "rawcdctl-cue.h"
#include "rawcdctl-tags.h"

gboolean
rcd_ctl_cue_is_sheet (const char *path)
{
  g_autofree char *lower = path != NULL ? g_ascii_strdown (path, -1) : NULL;

  return lower != NULL && g_str_has_suffix (lower, ".cue");
}

/* The sheet's bytes; a file far beyond any sheet is not even read. */
static RcdCtlCueSheet *
read_sheet (const char *path, GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *data = NULL;
  gsize len = 0;
  struct stat st;

  if (stat (path, &st) == 0 && S_ISDIR (st.st_mode)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "cannot read %s: %s", display,
                 g_strerror (EISDIR));
    return NULL;
  }
  if (stat (path, &st) == 0 && st.st_size > RCD_CTL_CUE_MAX_BYTES) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: %lld bytes is not a CUE sheet (at most %d)", display,
                 (long long) st.st_size, RCD_CTL_CUE_MAX_BYTES);
    return NULL;
  }
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return rcd_ctl_cue_sheet_parse (display, data, len, error);
}

/* Where a FILE is: relative to the sheet's directory (as every ripper
 * writes it), or absolute. */
static char *
file_path (const char *sheet_path, const RcdCtlCueFile *file)
{
  g_autofree char *dir = g_path_get_dirname (sheet_path);
  g_autofree char *name = g_filename_from_utf8 (file->name, -1, NULL, NULL, NULL);

  if (name == NULL)
    name = g_strdup (file->name);
  if (g_path_is_absolute (name))
    return g_steal_pointer (&name);
  return g_build_filename (dir, name, NULL);
}

static int
open_file (const RcdCtlCueSheet *sheet, const RcdCtlCueFile *file, const char *path,
           GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  struct stat st;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                 "%s:%u: FILE \"%s\": cannot open %s: %s", sheet->name, file->line,
                 file->name, display, g_strerror (saved));
    return -1;
  }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)) {
    close (fd);
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 "%s:%u: FILE \"%s\": %s is %s", sheet->name, file->line, file->name,
                 display, S_ISDIR (st.st_mode) ? "a directory" : "not a regular file");
    return -1;
  }
  return fd;
}

/* Sample frames at 44.1 kHz; -1 when libsndfile cannot tell (the service
 * may still decode it: only a pregap taken from this file's end needs its
 * length).  A file at another rate is counted as the service converts it. */
static gint64
file_length (const RcdCtlCueFile *file, const char *path, int fd)
{
  struct stat st;
  SF_INFO info = { 0 };
  SNDFILE *sf;
  gint64 frames;

  if (file->type != RCD_CTL_CUE_AUDIO)
    return fstat (fd, &st) == 0 ? (gint64) st.st_size / 4 : -1;
  /* by path, not by fd: the service shares the descriptor's offset */
  sf = sf_open (path, SFM_READ, &info);
  if (sf == NULL)
    return -1;
  sf_close (sf);
  if (info.samplerate <= 0 || info.frames < 0)
    return -1;
  frames = info.frames;
  if (info.samplerate != 44100)
    frames = (gint64) ((double) frames * 44100.0 / info.samplerate);
  return frames;
}

/* The sheet's values under the command line's: a value an option set
 * stays. */
static void
apply_track (RcdCtlDisc *disc, RcdCtlTrackSpec *spec, const RcdCtlCuePlanTrack *plan,
             const RcdCtlCueSheet *sheet, guint position)
{
  const RcdCtlCueTrack *cue = plan->cue;

  spec->origin = g_strdup_printf ("%s:%u: track %u", sheet->name, cue->index[1].line,
                                  cue->number);
  spec->start = plan->range.start;
  spec->length = plan->range.length;
  /* a sheet says every track's pregap, 0 included: left unset, the
   * service would give a gapless track IMAPI's 2 s carved from the
   * previous one (track 1's is always 2 s, or the hidden track) */
  if (position > 1) {
    spec->pregap = (gint32) plan->pregap;
    spec->pregap_audio = plan->pregap_audio;
    spec->pregap_start = plan->pregap_start;
  }
  if (plan->postgap > 0)
    spec->postgap = (gint32) plan->postgap;
  if (spec->isrc == NULL && cue->isrc != NULL) {
    spec->isrc = g_strdup (cue->isrc);
    spec->isrc_origin = g_strdup_printf ("%s:%u: ISRC", sheet->name, cue->isrc_line);
  }
  if (spec->copy < 0 && (cue->copy_permitted || cue->scms)) {
    /* SCMS (copy once) wins over DCP when a sheet says both */
    spec->copy = cue->scms ? 2 : 0;
    spec->flags_origin = g_strdup_printf ("%s:%u: FLAGS", sheet->name, cue->flags_line);
  }
  if (!spec->preemphasis && cue->preemphasis) {
    spec->preemphasis = TRUE;
    if (spec->flags_origin == NULL)
      spec->flags_origin = g_strdup_printf ("%s:%u: FLAGS", sheet->name, cue->flags_line);
  }
  for (guint i = 0; i < plan->indexes->len; i++) {
    gint32 offset = g_array_index (plan->indexes, gint32, i);

    g_array_append_val (spec->indexes, offset);
    g_ptr_array_add (spec->index_args,
                     g_strdup_printf ("%s:%u: INDEX %02u", sheet->name,
                                      cue->index[i + 2].line, i + 2));
  }
  for (guint f = 0; f < RCD_CTL_CUE_N_TEXT; f++) {
    if (cue->text[f] != NULL && f != RCD_CTL_CUE_GENRE)
      rcd_ctl_disc_add_sheet_text (disc, position, rcd_ctl_cue_text_key (f), cue->text[f]);
  }
}

static void
apply_disc (RcdCtlDisc *disc, const RcdCtlCuePlan *plan, const RcdCtlCueSheet *sheet)
{
  if (disc->mcn == NULL && sheet->catalog != NULL) {
    disc->mcn = g_strdup (sheet->catalog);
    disc->mcn_origin = g_strdup_printf ("%s:%u: CATALOG", sheet->name, sheet->catalog_line);
  }
  if (!disc->has_first_track && plan->first_track != 1) {
    disc->has_first_track = TRUE;
    disc->first_track = plan->first_track;
  }
  for (guint f = 0; f < RCD_CTL_CUE_N_TEXT; f++) {
    if (sheet->text[f] != NULL)
      rcd_ctl_disc_add_sheet_text (disc, 0, rcd_ctl_cue_text_key (f), sheet->text[f]);
  }
}

RcdCtlDisc *
rcd_ctl_cue_disc_new (const RcdCtlDiscOptions *options, const char *sheet_path, GError **error)
{
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = NULL;
  g_autoptr(RcdCtlDisc) disc = NULL;
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();
  g_autoptr(GPtrArray) track_paths = g_ptr_array_new ();
  g_autofree gint64 *lengths = NULL;

  sheet = read_sheet (sheet_path, error);
  if (sheet == NULL)
    return NULL;
  if (options->hidden_track != NULL) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--hidden-track and a CUE sheet: the sheet says what is before track 1");
    return NULL;
  }

  /* every FILE: found, opened once, measured */
  lengths = g_new0 (gint64, sheet->files->len);
  for (guint f = 0; f < sheet->files->len; f++) {
    const RcdCtlCueFile *file = g_ptr_array_index (sheet->files, f);
    RcdCtlSource *source = g_new0 (RcdCtlSource, 1);

    source->path = file_path (sheet_path, file);
    source->raw = file->type != RCD_CTL_CUE_AUDIO;
    source->big_endian = file->type == RCD_CTL_CUE_MOTOROLA;
    g_ptr_array_add (sources, source);
    source->fd = open_file (sheet, file, source->path, error);
    if (source->fd < 0) {
      for (guint i = 0; i < sources->len; i++) {
        RcdCtlSource *s = g_ptr_array_index (sources, i);

        if (s->fd >= 0)
          close (s->fd);
        g_free (s->path);
        g_free (s);
      }
      return NULL;
    }
    lengths[f] = file_length (file, source->path, source->fd);
  }

  plan = rcd_ctl_cue_plan_new (sheet, lengths, error);
  if (plan != NULL) {
    for (guint t = 0; t < plan->tracks->len; t++) {
      const RcdCtlCuePlanTrack *track = &g_array_index (plan->tracks, RcdCtlCuePlanTrack, t);
      RcdCtlSource *source = g_ptr_array_index (sources, track->range.file);

      g_ptr_array_add (track_paths, source->path);
    }
    g_ptr_array_add (track_paths, NULL);
    disc = rcd_ctl_disc_new (options, (char **) track_paths->pdata, error);
  }
  /* the disc owns the sources from here on, or nobody needs them */
  for (guint i = 0; i < sources->len; i++) {
    RcdCtlSource *source = g_ptr_array_index (sources, i);

    if (disc != NULL && plan->file_used[i]) {
      g_ptr_array_add (disc->sources, source);
      continue;
    }
    close (source->fd);
    g_free (source->path);
    g_free (source);
  }
  if (disc == NULL)
    return NULL;

  for (guint t = 0; t < plan->tracks->len; t++) {
    const RcdCtlCuePlanTrack *track = &g_array_index (plan->tracks, RcdCtlCuePlanTrack, t);
    RcdCtlTrackSpec *spec = g_ptr_array_index (disc->tracks, t);

    spec->source = g_ptr_array_index (sources, track->range.file);
    apply_track (disc, spec, track, sheet, t + 1);
  }
  if (plan->has_hidden) {
    RcdCtlSource *source = g_ptr_array_index (sources, plan->hidden.file);

    disc->hidden_source = source;
    disc->hidden_path = g_strdup (source->path);
    disc->hidden_start = plan->hidden.start;
    disc->hidden_length = plan->hidden.length;
    disc->hidden_origin = g_strdup_printf ("%s:%u", sheet->name, plan->hidden_line);
  }
  apply_disc (disc, plan, sheet);
  /* after the sheet: a tag's ISRC only where the sheet has none */
  if (options->tags && !rcd_ctl_tags_apply (disc, error))
    return NULL;
  return g_steal_pointer (&disc);
}

RcdCtlDisc *
rcd_ctl_disc_from_arguments (const char              *command,
                             const RcdCtlDiscOptions *options,
                             char                   **files,
                             gboolean                 json,
                             int                     *status)
{
  g_autoptr(GError) error = NULL;
  RcdCtlDisc *disc;

  for (guint i = 1; files[0] != NULL && files[i] != NULL; i++) {
    if (rcd_ctl_cue_is_sheet (files[i]) || rcd_ctl_cue_is_sheet (files[0])) {
      *status = rcd_ctl_usage_error (command, "a CUE sheet must be the only file: %s",
                                     rcd_ctl_cue_is_sheet (files[0]) ? files[0] : files[i]);
      return NULL;
    }
  }
  if (rcd_ctl_cue_is_sheet (files[0])) {
    /* a sheet's faults are the input's, not the command line's: status 1 */
    disc = rcd_ctl_cue_disc_new (options, files[0], &error);
    if (disc == NULL && error->domain != G_OPTION_ERROR) {
      *status = rcd_ctl_report_error (error, json);
      return NULL;
    }
  } else {
    disc = rcd_ctl_disc_new (options, files, &error);
    if (disc != NULL && options->tags && !rcd_ctl_tags_apply (disc, &error)) {
      rcd_ctl_disc_free (disc);
      *status = rcd_ctl_report_error (error, json);
      return NULL;
    }
  }
  if (disc == NULL)
    *status = rcd_ctl_usage_error (command, "%s", error->message);
  return disc;
}
