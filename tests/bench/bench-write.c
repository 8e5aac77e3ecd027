/* bench-write: the engine alone, writing the full image of some audio
 * files to standard output, for tests/bench/bench.py to time.
 *
 *   bench-write [--type 1|2|3] [--gaps] [--decoder PATH] FILE... > IMAGE
 *
 * With --decoder the audio is read as rawcdd reads it, through that
 * decoder helper (rawcd-decoder); without, by libsndfile in this process.
 */
#include "rc-decoder-source.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-sndfile-source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static char *decoder;

static gboolean
add_file (RcDisc *disc, const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  g_autoptr(RcAudioSource) source = NULL;

  if (fd < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "%s: %s", path, g_strerror (errno));
      return FALSE;
    }
  if (decoder != NULL)
    source = rc_decoder_source_new (decoder, fd, RC_AUDIO_FORMAT_AUTO, NULL, error);
  else
    source = rc_audio_source_new_from_fd (fd, RC_AUDIO_FORMAT_AUTO, NULL, error);
  if (source == NULL || rc_disc_add_track (disc, source, error) == 0)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_image (GStrv files, guint type, gboolean gaps, GError **error)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcLayout) layout = NULL;

  if (!rc_disc_set_image_type (disc, type, error)
      || !rc_disc_set_disable_gapless_audio (disc, gaps, error))
    return FALSE;
  for (guint i = 0; files[i] != NULL; i++)
    if (!add_file (disc, files[i], error))
      return FALSE;
  layout = rc_disc_freeze (disc, error);
  return layout != NULL
         && rc_image_write (layout, type, STDOUT_FILENO, NULL, NULL, NULL, error);
}

int
main (int argc, char **argv)
{
  gint type = RC_IMAGE_TYPE_IS_RAW;
  gboolean gaps = FALSE;
  g_auto(GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_INT, &type, "Sector type (1 PQ_ONLY, 2 IS_COOKED, 3 IS_RAW)", "N" },
    { "gaps", 0, 0, G_OPTION_ARG_NONE, &gaps, "2-second gaps between tracks", NULL },
    { "decoder", 0, 0, G_OPTION_ARG_FILENAME, &decoder, "Read the audio through this decoder helper", "PATH" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE... > IMAGE");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-write: %s\n", error->message);
      return 2;
    }
  if (files == NULL)
    {
      fprintf (stderr, "bench-write: no input files\n");
      return 2;
    }
  if (!write_image (files, (guint) type, gaps, &error))
    {
      fprintf (stderr, "bench-write: %s\n", error->message);
      return 1;
    }
  return 0;
}
