/* test-image-range.c: ranges of an image that begin inside a stream.
 *
 * Side files start at LBA 0, where a hidden track longer than the 2 s
 * pregap is still playing, so the writer must pass over the audio before
 * the range.  The samples are checked against the test pattern itself (a
 * known answer), and the whole range against the full image.
 */
#define _GNU_SOURCE
#include "rc-disc.h"
#include "rc-image-writer.h"
#include "test-util.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HIDDEN_SEED   7
#define HIDDEN_SECTORS 400   /* pregap -150 .. 249, index 1 at LBA 250 */
#define TRACK_SEED    8
#define TRACK_SECTORS 500

typedef struct {
  guint8 *data;
  gsize   size;
} Mapped;

static Mapped
map_fd (int fd)
{
  Mapped m = { .size = (gsize) lseek (fd, 0, SEEK_END) };

  m.data = mmap (NULL, m.size, PROT_READ, MAP_PRIVATE, fd, 0);
  g_assert_true (m.data != MAP_FAILED);
  close (fd);
  return m;
}

static RcLayout *
hidden_track_layout (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) hidden = test_pattern_source (HIDDEN_SEED, HIDDEN_SECTORS);
  g_autoptr(RcAudioSource) track = test_pattern_source (TRACK_SEED, TRACK_SECTORS);
  g_autoptr(GError) error = NULL;
  RcLayout *layout;

  g_assert_true (rc_disc_set_special_pregap (disc, hidden, &error));
  g_assert_cmpuint (rc_disc_add_track (disc, track, &error), ==, 1);
  g_assert_no_error (error);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (layout->tracks[0].start_lba, ==, HIDDEN_SECTORS - 150);
  return layout;
}

/* The main channel of `lba` as the pattern says it must be. */
static void
expected_audio (gint lba, guint8 out[RC_AUDIO_BYTES])
{
  guint32 seed = lba < HIDDEN_SECTORS - 150 ? HIDDEN_SEED : TRACK_SEED;
  gint first = lba < HIDDEN_SECTORS - 150 ? -150 : HIDDEN_SECTORS - 150;
  guint64 frame0 = (guint64) (lba - first) * RC_FRAMES_PER_SECTOR;

  for (guint i = 0; i < RC_FRAMES_PER_SECTOR; i++)
    for (guint c = 0; c < 2; c++)
      {
        guint16 v = (guint16) test_pattern_sample (seed, frame0 + i, c);
        out[4 * i + 2 * c] = v & 0xff;
        out[4 * i + 2 * c + 1] = v >> 8;
      }
}

static void
check_range (gint first, gint end)
{
  g_autoptr(RcLayout) layout = hidden_track_layout ();
  g_autoptr(GError) error = NULL;
  RcImageOutput full_out = { memfd_create ("full", MFD_CLOEXEC), RC_SECTOR_FORM_FULL };
  RcImageOutput range_out[2] = {
    { memfd_create ("audio", MFD_CLOEXEC), RC_SECTOR_FORM_AUDIO },
    { memfd_create ("sub", MFD_CLOEXEC), RC_SECTOR_FORM_SUB_RAW },
  };
  Mapped full, audio, sub;

  g_assert_true (rc_image_write_range (layout, RC_IMAGE_TYPE_IS_RAW, RC_LEADIN_START_LBA,
                                       layout->leadout_lba + RC_LEADOUT_SECTORS,
                                       &full_out, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (rc_image_write_range (layout, RC_IMAGE_TYPE_IS_RAW, first, end,
                                       range_out, 2, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  full = map_fd (full_out.fd);
  audio = map_fd (range_out[0].fd);
  sub = map_fd (range_out[1].fd);

  g_assert_cmpuint (audio.size, ==, (gsize) (end - first) * RC_AUDIO_BYTES);
  g_assert_cmpuint (sub.size, ==, (gsize) (end - first) * 96);
  for (gint lba = first; lba < end; lba++)
    {
      const guint8 *sector = full.data + (gsize) (lba - RC_LEADIN_START_LBA) * 2448;
      const guint8 *got = audio.data + (gsize) (lba - first) * RC_AUDIO_BYTES;
      guint8 want[RC_AUDIO_BYTES];

      expected_audio (lba, want);
      if (memcmp (got, want, RC_AUDIO_BYTES) != 0)
        g_error ("range [%d, %d): the audio of LBA %d is not the pattern's", first, end, lba);
      if (memcmp (got, sector, RC_AUDIO_BYTES) != 0)
        g_error ("range [%d, %d): the audio of LBA %d differs from the full image", first, end, lba);
      if (memcmp (sub.data + (gsize) (lba - first) * 96, sector + RC_AUDIO_BYTES, 96) != 0)
        g_error ("range [%d, %d): the subchannel of LBA %d differs from the full image",
                 first, end, lba);
    }
  munmap (full.data, full.size);
  munmap (audio.data, audio.size);
  munmap (sub.data, sub.size);
}

/* Side files: LBA 0 lies 150 sectors into the hidden track's stream. */
static void
test_from_lba0_inside_hidden_track (void)
{
  check_range (0, HIDDEN_SECTORS - 150 + TRACK_SECTORS);
}

/* A range that starts deep inside a stream and ends inside the next. */
static void
test_inside_and_across_streams (void)
{
  check_range (-10, HIDDEN_SECTORS - 150 + 17);
  check_range (HIDDEN_SECTORS - 150 + 123, HIDDEN_SECTORS - 150 + TRACK_SECTORS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/image-range/from-lba0-inside-hidden-track", test_from_lba0_inside_hidden_track);
  g_test_add_func ("/image-range/inside-and-across-streams", test_inside_and_across_streams);
  return g_test_run ();
}
