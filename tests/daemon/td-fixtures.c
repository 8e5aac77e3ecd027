/* td-fixtures.c: audio fixtures made with sox and flac, and the same disc
 * built through the bus and by the engine linked into the test (see td.h). */
#define _GNU_SOURCE
#include "td.h"

#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-subcode-source.h"
#include "rc-sndfile-source.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- audio fixtures ---------------------------------------------------- */

/* recursive: a fixture may be made from another (a.raw from a.wav) */
static GRecMutex audio_lock;

static void
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (td_tmpdir (), (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

static void
sox_synth (const char *name, const char *rate, const char *channels, const char *seconds,
           const char *f1, const char *f2)
{
  const char *argv[] = { "sox", "-D", "-n", "-r", rate, "-c", channels, "-b", "16", name,
                         "synth", seconds, "sine", f1, "sine", f2, "vol", "0.5", NULL };
  run (argv);
}

static void
copy_part (const char *src, const char *dst, gsize keep)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *in = g_build_filename (td_tmpdir (), src, NULL);
  g_autofree char *out = g_build_filename (td_tmpdir (), dst, NULL);
  gsize len = 0;

  g_file_get_contents (in, &data, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (out, data, MIN (keep, len), &error);
  g_assert_no_error (error);
}

static void
make_audio (const char *name)
{
  if (g_str_equal (name, "a.wav"))
    sox_synth (name, "44100", "2", "10", "440", "554");
  else if (g_str_equal (name, "b.flac"))
    {
      const char *flac[] = { "flac", "-s", "-f", "-o", "b.flac", "b-src.wav", NULL };
      sox_synth ("b-src.wav", "44100", "2", "8", "660", "330");
      run (flac);
    }
  else if (g_str_equal (name, "c.wav"))
    sox_synth (name, "44100", "2", "7.3", "880", "990");
  else if (g_str_equal (name, "e5.wav"))
    sox_synth (name, "44100", "2", "5", "330", "392");
  else if (g_str_equal (name, "d20.wav"))
    sox_synth (name, "44100", "2", "20", "550", "587");
  else if (g_str_equal (name, "tiny.wav"))
    sox_synth (name, "44100", "2", "1", "220", "247");
  else if (g_str_equal (name, "empty.bin"))
    {
      g_autofree char *path = g_build_filename (td_tmpdir (), name, NULL);
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    }
  else if (g_str_equal (name, "short.wav"))
    sox_synth (name, "44100", "2", "3", "220", "247");
  else if (g_str_equal (name, "mono.wav"))
    sox_synth (name, "44100", "1", "5", "500", "500");
  else if (g_str_equal (name, "48k.wav"))
    sox_synth (name, "48000", "2", "5", "440", "554");
  else if (g_str_equal (name, "6ch.wav"))
    sox_synth (name, "44100", "6", "5", "440", "554");
  else if (g_str_equal (name, "big.wav"))
    sox_synth (name, "44100", "2", "300", "440", "660");
  else if (g_str_equal (name, "a.raw"))
    {
      const char *argv[] = { "sox", "a.wav", "-t", "raw", "-e", "signed-integer", "-b", "16",
                             "-L", "a.raw", NULL };
      td_audio ("a.wav");
      run (argv);
    }
  else if (g_str_equal (name, "text.txt"))
    {
      g_autofree char *path = g_build_filename (td_tmpdir (), name, NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      for (guint i = 0; i < 2000; i++)
        g_string_append (text, "This is not audio at all, just some text.\n");
      g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
    }
  else if (g_str_equal (name, "trunc.wav"))
    {
      td_audio ("a.wav");
      copy_part ("a.wav", name, 44 + 441000 * 4 / 2);
    }
  else if (g_str_equal (name, "corrupt.flac"))
    {
      g_autofree char *path = g_build_filename (td_tmpdir (), name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      guint32 x = 12345;

      td_audio ("b.flac");
      copy_part ("b.flac", name, G_MAXSIZE);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      /* Garbage over the middle third of the frames: STREAMINFO (and so
       * the declared length) stays intact. */
      for (gsize i = len / 3; i < 2 * len / 3; i++)
        {
          x = x * 1103515245u + 12345u;
          data[i] = (char) (x >> 16);
        }
      g_assert_true (g_file_set_contents (path, data, len, NULL));
    }
  else
    g_error ("no audio fixture named %s", name);
}

const char *
td_audio (const char *name)
{
  static GHashTable *made;
  const char *path;

  g_rec_mutex_lock (&audio_lock);
  if (made == NULL)
    made = g_hash_table_new (g_str_hash, g_str_equal);
  path = g_hash_table_lookup (made, name);
  if (path == NULL)
    {
      make_audio (name);
      path = g_build_filename (td_tmpdir (), name, NULL);
      g_hash_table_insert (made, g_strdup (name), (gpointer) path);
    }
  g_rec_mutex_unlock (&audio_lock);
  return path;
}

/* ---- discs ------------------------------------------------------------ */

const char *
td_rw_file (guint sectors)
{
  g_autofree char *name = g_strdup_printf ("rw-%u.bin", sectors);
  char *path = g_build_filename (td_tmpdir (), name, NULL);

  g_rec_mutex_lock (&audio_lock);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gsize len = (gsize) sectors * 96;
      g_autofree guint8 *buf = g_malloc (len);

      for (gsize i = 0; i < len; i++)
        buf[i] = (guint8) ((i * 7 + i / 96 * 13 + 5) & 0x3f);
      g_assert_true (g_file_set_contents (path, (const char *) buf, len, NULL));
    }
  g_rec_mutex_unlock (&audio_lock);
  /* kept for the life of the program, like the audio fixtures */
  return g_intern_string (path);
}

static gboolean
set_or_fail (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
             GVariant *value, GError **error)
{
  if (!td_set (conn, path, iface, prop, value, error))
    {
      g_prefix_error (error, "Set %s: ", prop);
      return FALSE;
    }
  return TRUE;
}

char *
td_spec_create (GDBusConnection *conn, const TdDiscSpec *spec, GError **error)
{
  g_autofree char *creator = NULL;
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GVariant) reply = NULL;

  reply = td_call (conn, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER, "CreateImageCreator",
                   g_variant_new ("(@a{sv})", g_variant_new ("a{sv}", NULL)),
                   G_VARIANT_TYPE ("(o)"), error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(o)", &creator);

  if (spec->image_type != 0 &&
      !set_or_fail (conn, creator, RAWCD_IFACE_CREATOR, "ResultingImageType",
                    g_variant_new_uint32 (spec->image_type), error))
    return NULL;
  if (spec->leadout_limit != 0 &&
      !set_or_fail (conn, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit",
                    g_variant_new_int32 (spec->leadout_limit), error))
    return NULL;
  if (spec->disable_gapless &&
      !set_or_fail (conn, creator, RAWCD_IFACE_CREATOR, "DisableGaplessAudio",
                    g_variant_new_boolean (TRUE), error))
    return NULL;
  if (spec->mcn != NULL &&
      !set_or_fail (conn, creator, RAWCD_IFACE_CREATOR, "MediaCatalogNumber",
                    g_variant_new_string (spec->mcn), error))
    return NULL;
  if (spec->starting_track != 0 &&
      !set_or_fail (conn, creator, RAWCD_IFACE_CREATOR, "StartingTrackNumber",
                    g_variant_new_int32 (spec->starting_track), error))
    return NULL;
  if (spec->special_pregap != NULL)
    {
      g_autoptr(GVariant) r = NULL;
      int fd = open (td_audio (spec->special_pregap), O_RDONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      r = td_call_fd (conn, creator, RAWCD_IFACE_CREATOR, "AddSpecialPregap",
                      g_variant_new ("(h@a{sv})", 0, g_variant_new ("a{sv}", NULL)),
                      NULL, fd, error);
      close (fd);
      if (r == NULL)
        return NULL;
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    {
      const TdTrackSpec *t = &spec->tracks[i];
      g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);
      char *track = NULL;

      if (t->raw)
        g_variant_dict_insert (options, "format", "s", "raw");
      if (td_add_track (conn, creator, td_audio (t->audio), g_variant_dict_end (options),
                        &track, error) != (gint) i + 1)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "track %u got another index", i + 1);
          return NULL;
        }
      g_ptr_array_add (tracks, track);
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    {
      const TdTrackSpec *t = &spec->tracks[i];
      const char *track = tracks->pdata[i];

      if (t->isrc != NULL &&
          !set_or_fail (conn, track, RAWCD_IFACE_TRACK, "ISRC", g_variant_new_string (t->isrc), error))
        return NULL;
      if (t->copy >= 0 &&
          !set_or_fail (conn, track, RAWCD_IFACE_TRACK, "DigitalAudioCopySetting",
                        g_variant_new_uint32 (t->copy), error))
        return NULL;
      if (t->preemphasis >= 0 &&
          !set_or_fail (conn, track, RAWCD_IFACE_TRACK, "AudioHasPreemphasis",
                        g_variant_new_boolean (t->preemphasis), error))
        return NULL;
      for (guint k = 0; k < t->n_indexes; k++)
        {
          g_autoptr(GVariant) r = td_call (conn, track, RAWCD_IFACE_TRACK, "AddTrackIndex",
                                           g_variant_new ("(i)", t->indexes[k]),
                                           G_VARIANT_TYPE ("(b)"), error);
          if (r == NULL)
            return NULL;
        }
    }
  if (spec->rw_sectors != 0)
    {
      g_autoptr(GVariant) r = NULL;
      int fd = open (td_rw_file (spec->rw_sectors), O_RDONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      r = td_call_fd (conn, creator, RAWCD_IFACE_CREATOR, "AddSubcodeRWGenerator",
                      g_variant_new ("(h@a{sv})", 0, g_variant_new ("a{sv}", NULL)),
                      NULL, fd, error);
      close (fd);
      if (r == NULL)
        return NULL;
    }
  return g_steal_pointer (&creator);
}

static RcAudioSource *
open_source (const char *name, gboolean raw, GError **error)
{
  int fd = open (td_audio (name), O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  return rc_audio_source_new_from_fd (fd, raw ? RC_AUDIO_FORMAT_RAW : RC_AUDIO_FORMAT_AUTO,
                                      NULL, error);
}

static RcDisc *
spec_disc (const TdDiscSpec *spec, GError **error)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();

  if (spec->image_type != 0 && !rc_disc_set_image_type (disc, spec->image_type, error))
    return NULL;
  if (spec->leadout_limit != 0 &&
      !rc_disc_set_start_of_leadout_limit (disc, spec->leadout_limit, error))
    return NULL;
  if (spec->disable_gapless && !rc_disc_set_disable_gapless_audio (disc, TRUE, error))
    return NULL;
  if (spec->mcn != NULL && !rc_disc_set_media_catalog_number (disc, spec->mcn, error))
    return NULL;
  if (spec->starting_track != 0 &&
      !rc_disc_set_starting_track_number (disc, spec->starting_track, error))
    return NULL;
  if (spec->special_pregap != NULL)
    {
      g_autoptr(RcAudioSource) source = open_source (spec->special_pregap, FALSE, error);
      if (source == NULL || !rc_disc_set_special_pregap (disc, source, error))
        return NULL;
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    {
      g_autoptr(RcAudioSource) source = open_source (spec->tracks[i].audio,
                                                     spec->tracks[i].raw, error);
      if (source == NULL || rc_disc_add_track (disc, source, error) != i + 1)
        return NULL;
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    {
      const TdTrackSpec *t = &spec->tracks[i];

      if (t->isrc != NULL && !rc_disc_track_set_isrc (disc, i + 1, t->isrc, error))
        return NULL;
      if (t->copy >= 0 && !rc_disc_track_set_copy_setting (disc, i + 1, t->copy, error))
        return NULL;
      if (t->preemphasis >= 0 && !rc_disc_track_set_preemphasis (disc, i + 1, t->preemphasis, error))
        return NULL;
      for (guint k = 0; k < t->n_indexes; k++)
        {
          gboolean existed = FALSE;
          if (!rc_disc_track_add_index (disc, i + 1, t->indexes[k], &existed, error))
            return NULL;
        }
    }
  if (spec->rw_sectors != 0)
    {
      int fd = open (td_rw_file (spec->rw_sectors), O_RDONLY | O_CLOEXEC);
      g_autoptr(RcSubcodeSource) rw = rc_subcode_source_new_from_fd (fd, error);

      if (rw == NULL || !rc_disc_set_rw_generator (disc, rw, error))
        return NULL;
    }
  return g_steal_pointer (&disc);
}

int
td_spec_reference (const TdDiscSpec *spec, GError **error)
{
  g_autoptr(RcDisc) disc = spec_disc (spec, error);
  g_autoptr(RcLayout) layout = NULL;
  int fd;

  if (disc == NULL)
    return -1;
  layout = rc_disc_freeze (disc, error);
  if (layout == NULL)
    return -1;
  fd = td_memfd ("reference");
  if (!rc_image_write (layout, rc_disc_get_image_type (disc), fd, NULL, NULL, NULL, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

gint
td_spec_reference_leadout (const TdDiscSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcDisc) disc = spec_disc (spec, &error);

  g_assert_no_error (error);
  return rc_disc_get_start_of_leadout (disc);
}

GBytes *
td_spec_reference_toc (const TdDiscSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcDisc) disc = spec_disc (spec, &error);

  g_assert_no_error (error);
  return rc_disc_get_expected_toc (disc);
}
