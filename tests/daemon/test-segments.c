/* test-segments.c: one long FLAC decoded in segments by several helpers at
 * once (rc-decoder-segments.h) makes the very image that one helper makes,
 * and its program area holds exactly what `flac -d` decodes.
 *
 * Each case runs the real rawcdd twice: with RAWCD_PARALLEL_DECODING=3
 * (three helpers per stream, whatever the number of processors) and with
 * RAWCD_PARALLEL_DECODING=1 (segments off).  The stream is 4 segments and
 * 1,234 frames long, so that every helper is given a second segment and the
 * last one is short; its length is no whole number of sectors.  While the
 * image is read from a pipe, the test counts the daemon's rawcd-decoder
 * children in /proc: the daemon cannot write far ahead of the test's
 * reading, so the helpers of the track are there to be seen.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* 4 segments of 2^19 frames and a short fifth */
#define LONG_FRAMES (4 * 524288 + 1234)
#define FRAMES_PER_SECTOR 588

static void
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (td_tmpdir (), (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    g_error ("%s cannot run (see .ci/packages): %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

/* White noise of LONG_FRAMES frames made by sox at `bits`, then by flac. */
static const char *
long_flac (guint bits)
{
  static char *paths[33];
  g_autofree char *wav = NULL;
  g_autofree char *length = g_strdup_printf ("%us", (guint) LONG_FRAMES);
  g_autofree char *depth = g_strdup_printf ("%u", bits);

  if (paths[bits] != NULL)
    return paths[bits];
  wav = g_strdup_printf ("%s/long%u.wav", td_tmpdir (), bits);
  paths[bits] = g_strdup_printf ("%s/long%u.flac", td_tmpdir (), bits);
  {
    /* the rate of -n too: sox would make 48 kHz and resample it */
    const char *sox[] = { "sox", "-r", "44100", "-c", "2", "-n", "-r", "44100", "-c", "2",
                          "-b", depth, wav,
                          "synth", length, "whitenoise", NULL };
    const char *flac[] = { "flac", "--silent", "--force", "-5", "-o", paths[bits], wav, NULL };

    run_tool (sox);
    run_tool (flac);
  }
  return paths[bits];
}

/* Live rawcd-decoder processes whose parent is `daemon`. */
static guint
count_helpers (GPid daemon)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *comm_end;
      char state = 0;
      int ppid = 0;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;  /* it ended meanwhile */
      comm_end = strrchr (stat, ')');
      if (comm_end == NULL || strstr (stat, " (rawcd-decoder)") == NULL
          || sscanf (comm_end + 1, " %c %d", &state, &ppid) != 2)
        continue;
      if (ppid == (int) daemon && state != 'Z')
        n++;
    }
  return n;
}

typedef struct {
  int     image;          /* memfd */
  guint   most_helpers;   /* seen at once while the image was read */
  guint64 clipped;        /* the track's ClippedSamples */
} Result;

/* Waits until `expected` helpers of the daemon run (the last ones may be
 * starting), at most 20 s (scaled); the number seen last. */
static guint
wait_for_helpers (GPid daemon, guint expected)
{
  gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC * td_slowdown ();
  guint n;

  while ((n = count_helpers (daemon)) != expected && g_get_monotonic_time () < until)
    g_usleep (10000);
  return n;
}

/* Starts a daemon with `helpers` helpers per stream, writes the full
 * IS_RAW image of `flac` through a pipe into a memfd.  Once the image has
 * been read 1 MiB into the track, the daemon cannot be past the track's
 * end (it writes ahead by no more than the pipe and two 1 MiB batches,
 * and the track is 8.7 MB): the track's helpers must be there. */
static Result
make_image (const char *flac, guint helpers)
{
  Result result = { -1, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) c = NULL;
  g_autoptr(TdJobWatch) watch = NULL;
  g_autofree char *creator = NULL;
  g_autofree char *track = NULL;
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  g_autofree guint8 *buf = g_malloc (1 << 16);
  g_autofree char *count = g_strdup_printf ("%u", helpers);
  gsize track_from = (gsize) TD_LEADIN_SECTORS * TD_FULL_SECTOR + (1 << 20);
  gsize done = 0;
  gboolean success = FALSE;
  TdDaemon *daemon;
  int pipe_fds[2];

  g_setenv ("RAWCD_PARALLEL_DECODING", count, TRUE);
  daemon = td_daemon_start (NULL);
  g_unsetenv ("RAWCD_PARALLEL_DECODING");
  c = td_connect (&error);
  g_assert_no_error (error);
  watch = td_job_watch_new (c);
  creator = td_create_session (c, NULL);
  g_assert_cmpint (td_add_track (c, creator, flac, NULL, &track, &error), ==, 1);
  g_assert_no_error (error);

  g_assert_cmpint (pipe2 (pipe_fds, O_CLOEXEC), ==, 0);
  job = td_create_result_image (c, creator, pipe_fds[1], &error);
  g_assert_no_error (error);
  close (pipe_fds[1]);
  result.image = td_memfd ("segments");
  while (TRUE)
    {
      gssize n = read (pipe_fds[0], buf, 1 << 16);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        break;
      g_assert_cmpint (write (result.image, buf, (gsize) n), ==, n);
      if (done < track_from && done + (gsize) n >= track_from)
        result.most_helpers = wait_for_helpers (td_daemon_pid (daemon), helpers);
      done += (gsize) n;
      /* and never more, as long as the image is read */
      if (done >= track_from)
        {
          guint now = count_helpers (td_daemon_pid (daemon));

          result.most_helpers = MAX (result.most_helpers, now);
        }
    }
  close (pipe_fds[0]);
  g_assert_true (td_job_watch_wait (watch, job, 300, &success, &message));
  if (!success)
    g_error ("the job failed: %s", message);
  result.clipped = td_get_t (c, track, RAWCD_IFACE_TRACK, "ClippedSamples");
  g_dbus_connection_close_sync (c, NULL, NULL);
  td_daemon_stop (daemon);
  return result;
}

static void
assert_same_image (int a, int b)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (td_fd_size (a), ==, td_fd_size (b));
  if (!td_fds_equal (a, b, TD_FULL_SECTOR, &error))
    g_error ("the image made in segments differs: %s", error->message);
}

static gboolean
have_tools (void)
{
  g_autofree char *sox = g_find_program_in_path ("sox");
  g_autofree char *flac = g_find_program_in_path ("flac");

  if (sox == NULL || flac == NULL)
    {
      g_test_skip ("sox and flac are needed (.ci/packages)");
      return FALSE;
    }
  return TRUE;
}

/* 16-bit FLAC: both images alike, and the program area is `flac -d`'s
 * samples from LBA 0, silence after them. */
static void
test_flac16 (void)
{
  const char *flac;
  Result parallel, single;
  g_autoptr(GMappedFile) map = NULL;
  const guint8 *data;
  gsize raw_len = (gsize) LONG_FRAMES * 4;
  guint sectors = (LONG_FRAMES + FRAMES_PER_SECTOR - 1) / FRAMES_PER_SECTOR;

  if (!have_tools ())
    return;
  flac = long_flac (16);
  parallel = make_image (flac, 3);
  single = make_image (flac, 1);
  g_test_message ("helpers seen at once: %u with segments, %u without",
                  parallel.most_helpers, single.most_helpers);
  g_assert_cmpuint (parallel.most_helpers, ==, 3);
  g_assert_cmpuint (single.most_helpers, ==, 1);
  assert_same_image (parallel.image, single.image);

  {
    g_autofree char *pcm_path = g_strdup_printf ("%s/long16.raw", td_tmpdir ());
    g_autofree char *cmd = g_strdup_printf ("flac -d --silent --force --force-raw-format "
                                            "--endian=little --sign=signed -o %s %s",
                                            pcm_path, flac);
    g_autofree char *pcm = NULL;
    gsize pcm_len = 0;
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_file_get_contents (pcm_path, &pcm, &pcm_len, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (pcm_len, ==, raw_len);

    map = td_map_fd (parallel.image);
    data = (const guint8 *) g_mapped_file_get_contents (map);
    g_assert_cmpuint (g_mapped_file_get_length (map), ==,
                      (gsize) (TD_LEADIN_SECTORS + sectors + TD_LEADOUT_SECTORS) * TD_FULL_SECTOR);
    for (guint lba = 0; lba < sectors; lba++)
      {
        const guint8 *main = data + (gsize) (lba + TD_LEADIN_SECTORS) * TD_FULL_SECTOR;
        gsize at = (gsize) lba * FRAMES_PER_SECTOR * 4;
        gsize n = MIN ((gsize) FRAMES_PER_SECTOR * 4, pcm_len - at);

        if (memcmp (main, pcm + at, n) != 0)
          g_error ("LBA %u differs from flac -d's samples", lba);
        for (gsize i = n; i < (gsize) FRAMES_PER_SECTOR * 4; i++)
          if (main[i] != 0)
            g_error ("LBA %u: byte %" G_GSIZE_FORMAT " after the last sample is not silence",
                     lba, i);
      }
  }
  close (parallel.image);
  close (single.image);
}

/* 24-bit FLAC at full scale: dither keyed on the position gives the same
 * samples whichever helper makes them, and the clipped samples the helpers
 * count add up to what one helper counts. */
static void
test_flac24 (void)
{
  const char *flac;
  Result parallel, single;

  if (!have_tools ())
    return;
  flac = long_flac (24);
  parallel = make_image (flac, 3);
  single = make_image (flac, 1);
  g_test_message ("clipped samples: %" G_GUINT64_FORMAT " in segments, %" G_GUINT64_FORMAT
                  " by one helper", parallel.clipped, single.clipped);
  g_assert_cmpuint (parallel.most_helpers, ==, 3);
  g_assert_cmpuint (single.most_helpers, ==, 1);
  assert_same_image (parallel.image, single.image);
  g_assert_cmpuint (parallel.clipped, ==, single.clipped);
  close (parallel.image);
  close (single.image);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  g_test_add_func ("/segments/flac-16-bit", test_flac16);
  g_test_add_func ("/segments/flac-24-bit-dithered", test_flac24);
  return td_run ();
}
