/* rawcdctl-disc-options.c: the disc options of the command line (the
 * table GOption reads them with) and their parsing into an RcdCtlDisc:
 * TRACK numbers, copy settings, times, CD-TEXT text.  No file is opened here.
 */
#include <string.h>
#include <unistd.h>

#include "rawcdctl-disc-options.h"

/* ---- the options ----------------------------------------------------- */

#define OPT(set_, name_, arg_, field_, description_, arg_description_) \
  { RCD_CTL_DISC_OPTIONS_ ## set_, \
    { name_, 0, 0, G_OPTION_ARG_ ## arg_, NULL, description_, arg_description_ }, \
    G_STRUCT_OFFSET (RcdCtlDiscOptions, field_) }

/* In the order --help lists them. */
static const struct {
  RcdCtlDiscOptionSet set;
  GOptionEntry        entry;
  glong               offset;
} disc_options[] = {
  OPT (CONTENT, "image-type", STRING, image_type,
       "raw (P-W subchannel, the default), cooked or pq (P and Q only)", "TYPE"),
  OPT (LAYOUT, "gaps", NONE, gaps,
       "2-second silent gaps between tracks (default: gapless)", NULL),
  OPT (LAYOUT, "first-track", STRING, first_track,
       "Number the first track N (1 to 99)", "N"),
  OPT (CONTENT, "mcn", STRING, mcn,
       "The disc's media catalog number (13 digits)", "DIGITS"),
  OPT (CONTENT, "isrc", STRING_ARRAY, isrc,
       "The ISRC of TRACK (12 characters)", "TRACK:CODE"),
  OPT (CONTENT, "index", STRING_ARRAY, index,
       "Add an index OFFSET into TRACK: sectors (1/75 s) or MM:SS:FF", "TRACK:OFFSET"),
  OPT (CONTENT, "preemphasis", STRING_ARRAY, preemphasis,
       "Mark TRACK as recorded with pre-emphasis", "TRACK"),
  OPT (CONTENT, "copy", STRING_ARRAY, copy,
       "Copy setting of TRACK: permitted, prohibited or scms", "TRACK:SETTING"),
  OPT (LAYOUT, "hidden-track", FILENAME, hidden_track,
       "Put FILE in track 1's pregap (hidden track, >= 2 s)", "FILE"),
  OPT (CONTENT, "leadout-limit", STRING, leadout_limit,
       "The last sector the tracks may use (max 398099): an LBA, or MM:SS:FF from LBA 0",
       "LBA"),
  OPT (LAYOUT, "raw", NONE, raw,
       "The audio is headerless 16-bit stereo PCM (IMAPI's)", NULL),
  OPT (CONTENT, "no-dither", NONE, no_dither,
       "Round audio of more than 16 bits to 16 (24-bit, float, resampled) instead of dithering",
       NULL),
  OPT (CDTEXT, "title", STRING, title,
       "CD-TEXT: the disc's title", "TEXT"),
  OPT (CDTEXT, "performer", STRING, performer,
       "CD-TEXT: the disc's performer", "TEXT"),
  OPT (CDTEXT, "track-title", STRING_ARRAY, track_title,
       "CD-TEXT: the title of TRACK", "TRACK:TEXT"),
  OPT (CDTEXT, "track-performer", STRING_ARRAY, track_performer,
       "CD-TEXT: the performer of TRACK", "TRACK:TEXT"),
  OPT (CDTEXT, "cdtext", FILENAME, cdtext_file,
       "CD-TEXT of the disc and tracks in any language from FILE (see below)", "FILE"),
  OPT (CDTEXT, "tags", NONE, tags,
       "CD-TEXT and ISRCs from the files' tags, below a sheet, --cdtext and the options", NULL),
};

#undef OPT

void
rcd_ctl_disc_options_add (GOptionContext      *context,
                          RcdCtlDiscOptions   *options,
                          RcdCtlDiscOptionSet  set)
{
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));

  for (gsize i = 0; i < G_N_ELEMENTS (disc_options); i++) {
    GOptionEntry entry = disc_options[i].entry;

    if ((disc_options[i].set & set) == 0)
      continue;
    entry.arg_data = G_STRUCT_MEMBER_P (options, disc_options[i].offset);
    g_array_append_val (entries, entry);
  }
  /* the context copies the entries */
  g_option_context_add_main_entries (context, (GOptionEntry *) entries->data, NULL);
}

void
rcd_ctl_disc_options_clear (RcdCtlDiscOptions *options)
{
  g_clear_pointer (&options->first_track, g_free);
  g_clear_pointer (&options->hidden_track, g_free);
  g_clear_pointer (&options->image_type, g_free);
  g_clear_pointer (&options->mcn, g_free);
  g_clear_pointer (&options->leadout_limit, g_free);
  g_clear_pointer (&options->isrc, g_strfreev);
  g_clear_pointer (&options->index, g_strfreev);
  g_clear_pointer (&options->preemphasis, g_strfreev);
  g_clear_pointer (&options->copy, g_strfreev);
  g_clear_pointer (&options->title, g_free);
  g_clear_pointer (&options->performer, g_free);
  g_clear_pointer (&options->track_title, g_strfreev);
  g_clear_pointer (&options->track_performer, g_strfreev);
  g_clear_pointer (&options->cdtext_file, g_free);
}

/* ---- parsing --------------------------------------------------------- */

static const char *const copy_names[] = { "permitted", "prohibited", "scms" };

const char *
rcd_ctl_copy_setting_name (int copy)
{
  g_return_val_if_fail (copy >= 0 && copy < (int) G_N_ELEMENTS (copy_names), NULL);
  return copy_names[copy];
}

static gboolean
bad_value (GError **error, const char *option, const char *value, const char *why)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--%s %s: %s", option, value, why);
  return FALSE;
}

static gboolean
parse_int32 (const char *option, const char *text, const char *value,
             gint32 *out, GError **error)
{
  gint64 v;

  if (!g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXINT32, &v, NULL))
    return bad_value (error, option, value, "expected a whole number");
  *out = (gint32) v;
  return TRUE;
}

/* A number of sectors written "N" or "MM:SS:FF" (minutes, seconds below
 * 60, frames below 75: 75 frames a second, one frame a sector). */
static gboolean
parse_sectors (const char *option, const char *text, const char *value,
               gint32 *out, GError **error)
{
  g_auto(GStrv) fields = NULL;
  guint64 minutes, seconds, frames;

  if (strchr (text, ':') == NULL)
    return parse_int32 (option, text, value, out, error);

  fields = g_strsplit (text, ":", -1);
  if (g_strv_length (fields) != 3 ||
      !g_ascii_string_to_unsigned (fields[0], 10, 0, G_MAXINT32 / (60 * 75), &minutes, NULL) ||
      !g_ascii_string_to_unsigned (fields[1], 10, 0, 59, &seconds, NULL) ||
      !g_ascii_string_to_unsigned (fields[2], 10, 0, 74, &frames, NULL))
    return bad_value (error, option, value,
                      "expected a number of sectors or MM:SS:FF (seconds below 60, "
                      "frames below 75)");
  *out = (gint32) ((minutes * 60 + seconds) * 75 + frames);
  return TRUE;
}

/* "TRACK" or "TRACK:REST": the track's spec, and REST if rest != NULL. */
static RcdCtlTrackSpec *
parse_track (RcdCtlDisc  *disc,
             const char  *option,
             const char  *value,
             const char **rest,
             GError     **error)
{
  g_autofree char *number = NULL;
  guint64 n;

  if (rest != NULL) {
    const char *colon = strchr (value, ':');

    if (colon == NULL) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--%s %s: expected TRACK:VALUE", option, value);
      return NULL;
    }
    number = g_strndup (value, colon - value);
    *rest = colon + 1;
  } else {
    number = g_strdup (value);
  }

  if (!g_ascii_string_to_unsigned (number, 10, 1, disc->tracks->len, &n, NULL)) {
    g_autofree char *why =
      g_strdup_printf ("TRACK must be the position of an AUDIO file, 1 to %u",
                       disc->tracks->len);

    bad_value (error, option, value, why);
    return NULL;
  }
  return g_ptr_array_index (disc->tracks, n - 1);
}

static gboolean
parse_track_options (RcdCtlDisc *disc, const RcdCtlDiscOptions *options, GError **error)
{
  for (char **v = options->isrc; v != NULL && *v != NULL; v++) {
    const char *code = NULL;
    RcdCtlTrackSpec *track = parse_track (disc, "isrc", *v, &code, error);

    if (track == NULL)
      return FALSE;
    g_free (track->isrc);
    track->isrc = g_strdup (code);
  }

  for (char **v = options->index; v != NULL && *v != NULL; v++) {
    const char *offset_text = NULL;
    RcdCtlTrackSpec *track = parse_track (disc, "index", *v, &offset_text, error);
    gint32 offset;

    if (track == NULL ||
        !parse_sectors ("index", offset_text, *v, &offset, error))
      return FALSE;
    g_array_append_val (track->indexes, offset);
    g_ptr_array_add (track->index_args, g_strdup (offset_text));
  }

  for (char **v = options->preemphasis; v != NULL && *v != NULL; v++) {
    RcdCtlTrackSpec *track = parse_track (disc, "preemphasis", *v, NULL, error);

    if (track == NULL)
      return FALSE;
    track->preemphasis = TRUE;
  }

  for (char **v = options->copy; v != NULL && *v != NULL; v++) {
    const char *setting = NULL;
    RcdCtlTrackSpec *track = parse_track (disc, "copy", *v, &setting, error);

    if (track == NULL)
      return FALSE;
    track->copy = -1;
    for (gsize i = 0; i < G_N_ELEMENTS (copy_names); i++) {
      if (g_ascii_strcasecmp (setting, copy_names[i]) == 0)
        track->copy = (int) i;
    }
    if (track->copy < 0)
      return bad_value (error, "copy", *v, "expected permitted, prohibited or scms");
  }
  return TRUE;
}

static void
cdtext_option_free (RcdCtlCdTextOption *option)
{
  g_free (option->field);
  g_free (option->text);
  g_free (option->origin);
  g_free (option);
}

static RcdCtlCdTextOption *
cdtext_option_new (guint track, const char *field, const char *text)
{
  RcdCtlCdTextOption *option = g_new0 (RcdCtlCdTextOption, 1);

  option->track = track;
  option->field = g_strdup (field);
  option->text = g_strdup (text);
  return option;
}

static void
add_cdtext_option (RcdCtlDisc *disc, guint track, const char *field, const char *text)
{
  g_ptr_array_add (disc->cdtext_options, cdtext_option_new (track, field, text));
}

static gboolean
check_text (const char *option, const char *value, const char *text, GError **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    return bad_value (error, option, value, "the text is not UTF-8");
  return TRUE;
}

static gboolean
parse_cdtext_options (RcdCtlDisc *disc, const RcdCtlDiscOptions *options, GError **error)
{
  const struct {
    const char *option;
    char      **values;
    const char *field;
  } track_options[] = {
    { "track-title", options->track_title, "title" },
    { "track-performer", options->track_performer, "performer" },
  };

  if (options->title != NULL) {
    if (!check_text ("title", options->title, options->title, error))
      return FALSE;
    add_cdtext_option (disc, 0, "title", options->title);
  }
  if (options->performer != NULL) {
    if (!check_text ("performer", options->performer, options->performer, error))
      return FALSE;
    add_cdtext_option (disc, 0, "performer", options->performer);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (track_options); i++) {
    for (char **v = track_options[i].values; v != NULL && *v != NULL; v++) {
      const char *text = NULL;
      RcdCtlTrackSpec *track = parse_track (disc, track_options[i].option, *v, &text, error);
      guint index = 0;

      if (track == NULL || !check_text (track_options[i].option, *v, text, error))
        return FALSE;
      g_ptr_array_find (disc->tracks, track, &index);
      add_cdtext_option (disc, index + 1, track_options[i].field, text);
    }
  }
  return TRUE;
}

void
rcd_ctl_disc_add_sheet_text (RcdCtlDisc *disc, guint track, const char *field, const char *text)
{
  g_ptr_array_add (disc->sheet_cdtext, cdtext_option_new (track, field, text));
}

static void
source_free (RcdCtlSource *source)
{
  if (source->fd >= 0)
    close (source->fd);
  g_free (source->path);
  g_free (source);
}

static void
track_spec_free (RcdCtlTrackSpec *track)
{
  if (track->fd >= 0)
    close (track->fd);
  g_free (track->path);
  g_free (track->isrc);
  g_free (track->object_path);
  g_free (track->origin);
  g_free (track->isrc_origin);
  g_free (track->flags_origin);
  g_array_unref (track->indexes);
  g_ptr_array_unref (track->index_args);
  g_free (track);
}

RcdCtlDisc *
rcd_ctl_disc_new (const RcdCtlDiscOptions *options, char **files, GError **error)
{
  g_autoptr(RcdCtlDisc) disc = g_new0 (RcdCtlDisc, 1);

  disc->hidden_fd = -1;
  disc->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) track_spec_free);
  disc->gaps = options->gaps;
  disc->raw = options->raw;
  disc->no_dither = options->no_dither;
  disc->mcn = g_strdup (options->mcn);
  disc->hidden_path = g_strdup (options->hidden_track);
  disc->cdtext_file = g_strdup (options->cdtext_file);
  disc->cdtext_options = g_ptr_array_new_with_free_func ((GDestroyNotify) cdtext_option_free);
  disc->sheet_cdtext = g_ptr_array_new_with_free_func ((GDestroyNotify) cdtext_option_free);
  disc->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);

  for (char **f = files; f != NULL && *f != NULL; f++) {
    RcdCtlTrackSpec *track = g_new0 (RcdCtlTrackSpec, 1);

    track->path = g_strdup (*f);
    track->fd = -1;
    track->copy = -1;
    track->pregap = -1;
    track->pregap_start = -1;
    track->postgap = -1;
    track->indexes = g_array_new (FALSE, FALSE, sizeof (gint32));
    track->index_args = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (disc->tracks, track);
  }

  if (options->image_type != NULL) {
    static const char *const names[] = { NULL, "pq", "cooked", "raw" };

    for (guint32 i = 1; i < G_N_ELEMENTS (names); i++) {
      if (g_ascii_strcasecmp (options->image_type, names[i]) == 0)
        disc->image_type = i;
    }
    if (disc->image_type == 0) {
      bad_value (error, "image-type", options->image_type, "expected raw, cooked or pq");
      return NULL;
    }
  }
  if (options->first_track != NULL) {
    if (!parse_int32 ("first-track", options->first_track, options->first_track,
                      &disc->first_track, error))
      return NULL;
    disc->has_first_track = TRUE;
  }
  if (options->leadout_limit != NULL) {
    if (!parse_sectors ("leadout-limit", options->leadout_limit, options->leadout_limit,
                        &disc->leadout_limit, error))
      return NULL;
    disc->has_leadout_limit = TRUE;
    disc->leadout_limit_arg = g_strdup (options->leadout_limit);
  }
  if (!parse_track_options (disc, options, error) ||
      !parse_cdtext_options (disc, options, error))
    return NULL;
  return g_steal_pointer (&disc);
}

void
rcd_ctl_disc_free (RcdCtlDisc *disc)
{
  if (disc == NULL)
    return;
  if (disc->hidden_fd >= 0)
    close (disc->hidden_fd);
  g_free (disc->mcn);
  g_free (disc->mcn_origin);
  g_free (disc->leadout_limit_arg);
  g_free (disc->hidden_path);
  g_ptr_array_unref (disc->tracks);
  g_free (disc->cdtext_file);
  g_ptr_array_unref (disc->cdtext_options);
  g_ptr_array_unref (disc->sheet_cdtext);
  g_ptr_array_unref (disc->sources);
  g_free (disc->hidden_origin);
  rcd_ctl_cdtext_free (disc->cdtext);
  g_free (disc);
}

