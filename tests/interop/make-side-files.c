/* make-side-files: builds a disc with the engine from audio files and
 * writes its data files and side files, for the interop tests to hand to
 * programs nobody here wrote.
 *
 *   make-side-files --out DIR [--name BASE] [disc options]
 *                   --track FILE [track options] [--track FILE ...]
 *
 * Disc options:   --mcn DIGITS  --first-track N  --gaps (DisableGaplessAudio)
 *                 --hidden FILE (special pregap)  --rw FILE (R-W generator)
 *                 --full (also write BASE.full, the IS_RAW image from LBA -22650)
 *                 --cdtext BLOCK:TRACK:FIELD=TEXT (TRACK 0 = the disc; FIELD title,
 *                   performer, songwriter, composer, arranger, message, genre, upc_isrc)
 *                 --language BLOCK:CODE
 * Track options (for the track before them):
 *                 --isrc CODE  --index OFFSET  --copy 0|1|2  --pre
 *
 * Writes into DIR: BASE.bin + BASE.cue, BASE-toc.bin + BASE.toc (the TOC
 * file's own data file, in rc_side_format_data_form ()), BASE.img + BASE.sub +
 * BASE.ccd, BASE.full with --full, and BASE.layout: the layout as the
 * engine computed it, one record a line:
 *   disc FIRST_TRACK N_TRACKS LEADOUT_LBA MCN|-
 *   track NUMBER PREGAP_LBA START_LBA END_LBA COPY PREEMPHASIS ISRC|- OFFSET,OFFSET...
 *   audio LBA SECTORS
 */
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-sidefiles.h"
#include "rc-sndfile-source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static RcAudioSource *
open_audio (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "%s: %s", path, g_strerror (errno));
      return NULL;
    }
  return rc_audio_source_new_from_fd (fd, RC_AUDIO_FORMAT_AUTO, NULL, error);
}

static int
create_file (const char *dir, const char *base, const char *ext, GError **error)
{
  g_autofree char *name = g_strconcat (base, ext, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if (fd < 0)
    g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "%s: %s", path, g_strerror (errno));
  return fd;
}

static gboolean
write_text (const char *dir, const char *base, const char *ext, const char *text, GError **error)
{
  g_autofree char *name = g_strconcat (base, ext, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

static gboolean
write_range (RcLayout *layout, gint first, gint end, const char *dir, const char *base,
             const char *const *exts, const RcSectorForm *forms, guint n, GError **error)
{
  RcImageOutput outputs[4];
  gboolean ok = TRUE;
  guint opened = 0;

  g_assert (n <= G_N_ELEMENTS (outputs));
  for (; ok && opened < n; opened++)
    {
      outputs[opened].form = forms[opened];
      outputs[opened].fd = create_file (dir, base, exts[opened], error);
      ok = outputs[opened].fd >= 0;
    }
  if (ok)
    ok = rc_image_write_range (layout, RC_IMAGE_TYPE_IS_RAW, first, end, outputs, n,
                               NULL, NULL, NULL, error);
  for (guint o = 0; o < opened; o++)
    if (outputs[o].fd >= 0)
      close (outputs[o].fd);
  return ok;
}

static char *
describe_layout (const RcLayout *l)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "disc %u %u %d %s\n", l->first_track, l->n_tracks, l->leadout_lba,
                          l->mcn[0] != '\0' ? l->mcn : "-");
  for (guint i = 0; i < l->n_tracks; i++)
    {
      const RcLayoutTrack *t = &l->tracks[i];

      g_string_append_printf (s, "track %u %d %d %d %d %d %s ", t->number, t->pregap_lba,
                              t->start_lba, t->end_lba, t->copy, t->preemphasis ? 1 : 0,
                              t->isrc[0] != '\0' ? t->isrc : "-");
      for (guint k = 0; k < t->n_indexes; k++)
        g_string_append_printf (s, k == 0 ? "%d" : ",%d", t->index_offsets[k]);
      g_string_append_c (s, '\n');
    }
  for (guint i = 0; i < l->n_audio; i++)
    g_string_append_printf (s, "audio %d %d\n", l->audio[i].lba, l->audio[i].sectors);
  return g_string_free (s, FALSE);
}

static gboolean
parse_field (const char *name, RcCdTextField *field)
{
  static const struct { const char *name; RcCdTextField field; } fields[] = {
    { "title", RC_CDTEXT_FIELD_TITLE }, { "performer", RC_CDTEXT_FIELD_PERFORMER },
    { "songwriter", RC_CDTEXT_FIELD_SONGWRITER }, { "composer", RC_CDTEXT_FIELD_COMPOSER },
    { "arranger", RC_CDTEXT_FIELD_ARRANGER }, { "message", RC_CDTEXT_FIELD_MESSAGE },
    { "genre", RC_CDTEXT_FIELD_GENRE }, { "upc_isrc", RC_CDTEXT_FIELD_UPC_ISRC },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (strcmp (name, fields[i].name) == 0)
      {
        *field = fields[i].field;
        return TRUE;
      }
  return FALSE;
}

/* BLOCK:TRACK:FIELD=TEXT */
static gboolean
set_cdtext (RcDisc *disc, const char *arg, GError **error)
{
  g_autofree char *copy = g_strdup (arg);
  char *eq = strchr (copy, '=');
  g_auto(GStrv) parts = NULL;
  RcCdTextField field;

  if (eq != NULL)
    *eq = '\0';
  parts = g_strsplit (copy, ":", 3);
  if (eq == NULL || g_strv_length (parts) != 3 || !parse_field (parts[2], &field))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "bad --cdtext %s", arg);
      return FALSE;
    }
  return rc_disc_set_cdtext (disc, (guint) atoi (parts[0]), (guint) atoi (parts[1]), field,
                             eq + 1, error);
}

static gboolean
run (int argc, char **argv, GError **error)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(GHashTable) cue = NULL, toc = NULL, ccd = NULL;
  g_autofree char *layout_text = NULL;
  const char *dir = NULL, *base = "disc";
  gboolean full = FALSE;
  guint track = 0;
  gint first, end, first2, end2;
  g_autoptr(GPtrArray) cdtext = g_ptr_array_new ();

  for (int i = 1; i < argc; i++)
    {
      const char *opt = argv[i];
      const char *val = i + 1 < argc ? argv[i + 1] : NULL;
      gboolean ok = TRUE;

      if (strcmp (opt, "--full") == 0)
        {
          full = TRUE;
          continue;
        }
      if (strcmp (opt, "--gaps") == 0)
        {
          if (!rc_disc_set_disable_gapless_audio (disc, TRUE, error))
            return FALSE;
          continue;
        }
      if (strcmp (opt, "--pad-streams") == 0)
        {
          if (!rc_disc_set_pad_streams_to_sectors (disc, TRUE, error))
            return FALSE;
          continue;
        }
      if (strcmp (opt, "--pre") == 0)
        {
          if (track == 0 || !rc_disc_track_set_preemphasis (disc, track, TRUE, error))
            return FALSE;
          continue;
        }
      if (val == NULL)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "%s needs a value", opt);
          return FALSE;
        }
      i++;
      if (strcmp (opt, "--out") == 0)
        dir = val;
      else if (strcmp (opt, "--name") == 0)
        base = val;
      else if (strcmp (opt, "--mcn") == 0)
        ok = rc_disc_set_media_catalog_number (disc, val, error);
      else if (strcmp (opt, "--first-track") == 0)
        ok = rc_disc_set_starting_track_number (disc, atoi (val), error);
      else if (strcmp (opt, "--hidden") == 0)
        {
          g_autoptr(RcAudioSource) source = open_audio (val, error);
          ok = source != NULL && rc_disc_set_special_pregap (disc, source, error);
        }
      else if (strcmp (opt, "--rw") == 0)
        {
          int fd = open (val, O_RDONLY | O_CLOEXEC);
          g_autoptr(RcSubcodeSource) rw = fd >= 0 ? rc_subcode_source_new_from_fd (fd, error) : NULL;
          ok = rw != NULL && rc_disc_set_rw_generator (disc, rw, error);
        }
      else if (strcmp (opt, "--cdtext") == 0)
        g_ptr_array_add (cdtext, (gpointer) val);   /* once the tracks are there */
      else if (strcmp (opt, "--language") == 0)
        {
          g_auto(GStrv) p = g_strsplit (val, ":", 2);
          ok = g_strv_length (p) == 2
               && rc_disc_set_cdtext_language (disc, (guint) atoi (p[0]), (guint8) atoi (p[1]), error);
        }
      else if (strcmp (opt, "--track") == 0)
        {
          g_autoptr(RcAudioSource) source = open_audio (val, error);
          track = source != NULL ? rc_disc_add_track (disc, source, error) : 0;
          ok = track != 0;
        }
      else if (track != 0 && strcmp (opt, "--isrc") == 0)
        ok = rc_disc_track_set_isrc (disc, track, val, error);
      else if (track != 0 && strcmp (opt, "--index") == 0)
        {
          gboolean existed;
          ok = rc_disc_track_add_index (disc, track, atoi (val), &existed, error);
        }
      else if (track != 0 && strcmp (opt, "--pregap") == 0)
        ok = rc_disc_track_set_pregap (disc, track, atoi (val), error);
      else if (track != 0 && strcmp (opt, "--pregap-audio") == 0)
        {
          RcPregapAudio audio;
          ok = rc_pregap_audio_from_string (val, &audio, error)
               && rc_disc_track_set_pregap_audio (disc, track, audio, error);
        }
      else if (track != 0 && strcmp (opt, "--postgap") == 0)
        ok = rc_disc_track_set_postgap (disc, track, atoi (val), error);
      else if (track != 0 && strcmp (opt, "--copy") == 0)
        ok = rc_disc_track_set_copy_setting (disc, track, (guint) atoi (val), error);
      else
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "unknown option %s", opt);
          return FALSE;
        }
      if (!ok)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "bad %s %s", opt, val);
          g_prefix_error (error, "%s %s: ", opt, val);
          return FALSE;
        }
    }
  if (dir == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "--out DIR is required");
      return FALSE;
    }

  for (guint i = 0; i < cdtext->len; i++)
    if (!set_cdtext (disc, cdtext->pdata[i], error))
      return FALSE;
  layout = rc_disc_freeze (disc, error);
  if (layout == NULL)
    return FALSE;

  g_autofree char *bin = g_strconcat (base, ".bin", NULL);
  g_autofree char *img = g_strconcat (base, ".img", NULL);
  g_autofree char *tbin = g_strconcat (base, "-toc.bin", NULL);
  g_autofree char *sub = g_strconcat (base, ".sub", NULL);

  cue = rc_side_files_build (RC_SIDE_FORMAT_CUE, layout, bin, NULL, error);
  toc = cue != NULL ? rc_side_files_build (RC_SIDE_FORMAT_TOC, layout, tbin, NULL, error) : NULL;
  ccd = toc != NULL ? rc_side_files_build (RC_SIDE_FORMAT_CLONECD, layout, img, sub, error) : NULL;
  if (ccd == NULL)
    return FALSE;
  layout_text = describe_layout (layout);
  if (!write_text (dir, base, ".cue", g_hash_table_lookup (cue, "cue"), error)
      || !write_text (dir, base, ".toc", g_hash_table_lookup (toc, "toc"), error)
      || !write_text (dir, base, ".ccd", g_hash_table_lookup (ccd, "ccd"), error)
      || !write_text (dir, base, ".layout", layout_text, error))
    return FALSE;

  /* The CUE sheet's BASE.bin (little-endian) and the TOC file's
   * BASE-toc.bin (big-endian, with the raw subchannel when there is R-W)
   * cover the same sectors. */
  rc_side_format_data_range (RC_SIDE_FORMAT_CUE, layout, &first, &end);
  rc_side_format_data_range (RC_SIDE_FORMAT_TOC, layout, &first2, &end2);
  g_assert (first == first2 && end == end2);
  g_assert (!rc_side_format_has_subchannel (RC_SIDE_FORMAT_CUE, layout));
  g_assert (!rc_side_format_has_subchannel (RC_SIDE_FORMAT_TOC, layout));
  g_assert (rc_side_format_data_form (RC_SIDE_FORMAT_CUE, layout) == RC_SECTOR_FORM_AUDIO);
  g_assert (rc_side_format_data_form (RC_SIDE_FORMAT_CLONECD, layout) == RC_SECTOR_FORM_AUDIO);
  {
    const char *const exts[] = { ".bin", "-toc.bin" };
    const RcSectorForm forms[] = { RC_SECTOR_FORM_AUDIO,
                                   rc_side_format_data_form (RC_SIDE_FORMAT_TOC, layout) };
    if (!write_range (layout, first, end, dir, base, exts, forms, 2, error))
      return FALSE;
  }
  rc_side_format_data_range (RC_SIDE_FORMAT_CLONECD, layout, &first, &end);
  g_assert (rc_side_format_has_subchannel (RC_SIDE_FORMAT_CLONECD, layout));
  {
    const char *const exts[] = { ".img", ".sub" };
    const RcSectorForm forms[] = { RC_SECTOR_FORM_AUDIO, RC_SECTOR_FORM_SUB_PLANAR };
    if (!write_range (layout, first, end, dir, base, exts, forms, 2, error))
      return FALSE;
  }
  if (full)
    {
      int fd = create_file (dir, base, ".full", error);
      gboolean ok = fd >= 0 && rc_image_write (layout, RC_IMAGE_TYPE_IS_RAW, fd, NULL, NULL, NULL, error);
      if (fd >= 0)
        close (fd);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  if (!run (argc, argv, &error))
    {
      fprintf (stderr, "make-side-files: %s\n", error->message);
      return 1;
    }
  return 0;
}
