/* test-image-output.c: what the writer does when its output misbehaves.
 *
 * A job's output may be a pipe whose reader stops reading: Cancel must
 * still end the write promptly.  A reader that goes away, or a full disk,
 * must end it with a message that says what happened and how far it got.
 */
#define _GNU_SOURCE
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "test-util.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static RcLayout *
one_track_layout (void)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(RcAudioSource) track = test_pattern_source (3, 600);
  g_autoptr(GError) error = NULL;
  RcLayout *layout;

  g_assert_cmpuint (rc_disc_add_track (disc, track, &error), ==, 1);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  return layout;
}

static gboolean
cancel_now (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (300 * 1000);
  cancel_now (data);
  return NULL;
}

/* The reader keeps the pipe open but never reads: the writer fills the
 * pipe, then must wait where Cancel can reach it. */
static void
test_cancel_with_stalled_reader (void)
{
  g_autoptr(RcLayout) layout = one_track_layout ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) canceller = NULL;
  int pipefd[2];
  gint64 start;

  g_assert_cmpint (pipe2 (pipefd, O_CLOEXEC), ==, 0);
  canceller = g_thread_new ("cancel", cancel_later, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (rc_image_write (layout, RC_IMAGE_TYPE_IS_RAW, pipefd[1], NULL, NULL,
                                  cancellable, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_CANCELLED);
  /* 300 ms until Cancel, then promptly: well under the time a stuck write
   * would take (forever). */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (error->message, "cancelled after"));
  g_test_message ("%s", error->message);
  /* g_cancellable_cancel() wakes the writer before it is done with the
   * cancellable: the canceller ends before the cancellable goes */
  g_thread_join (g_steal_pointer (&canceller));
  close (pipefd[0]);
  close (pipefd[1]);
}

static void
test_reader_gone (void)
{
  g_autoptr(RcLayout) layout = one_track_layout ();
  g_autoptr(GError) error = NULL;
  int pipefd[2];

  g_assert_cmpint (pipe2 (pipefd, O_CLOEXEC), ==, 0);
  close (pipefd[0]);
  g_assert_false (rc_image_write (layout, RC_IMAGE_TYPE_IS_RAW, pipefd[1], NULL, NULL, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "the reader of the output went away after 0 of"));
  close (pipefd[1]);
}

static void
test_disk_full (void)
{
  g_autoptr(RcLayout) layout = one_track_layout ();
  g_autoptr(GError) error = NULL;
  int fd = open ("/dev/full", O_WRONLY | O_CLOEXEC);

  if (fd < 0)
    {
      g_test_skip ("no /dev/full");
      return;
    }
  g_assert_false (rc_image_write (layout, RC_IMAGE_TYPE_PQ_ONLY, fd, NULL, NULL, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no space left for the image after 0 of"));
  close (fd);
}

/* A slow reader that keeps reading gets the whole image, byte for byte
 * the same as a file gets. */
static gpointer
drain (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 buf[7000];
  gssize n;

  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_checksum_update (sum, buf, n);
  close (fd);
  return sum;
}

static void
test_pipe_gets_the_same_bytes (void)
{
  g_autoptr(RcLayout) layout = one_track_layout ();
  g_autoptr(GError) error = NULL;
  int pipefd[2];
  int file = memfd_create ("image", MFD_CLOEXEC);
  g_autoptr(GThread) reader = NULL;
  GChecksum *from_pipe;
  g_autoptr(GChecksum) from_file = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autofree char *path = g_strdup_printf ("/proc/self/fd/%d", file);

  g_assert_cmpint (pipe2 (pipefd, O_CLOEXEC), ==, 0);
  reader = g_thread_new ("drain", drain, GINT_TO_POINTER (pipefd[0]));
  g_assert_true (rc_image_write (layout, RC_IMAGE_TYPE_IS_COOKED, pipefd[1], NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  close (pipefd[1]);
  from_pipe = g_thread_join (g_steal_pointer (&reader));

  g_assert_true (rc_image_write (layout, RC_IMAGE_TYPE_IS_COOKED, file, NULL, NULL, NULL, &error));
  mapped = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  g_checksum_update (from_file, (const guchar *) g_mapped_file_get_contents (mapped),
                     g_mapped_file_get_length (mapped));
  g_assert_cmpuint (g_mapped_file_get_length (mapped), ==,
                    (gsize) rc_layout_image_sectors (layout) * 2448);
  g_assert_cmpstr (g_checksum_get_string (from_pipe), ==, g_checksum_get_string (from_file));
  g_checksum_free (from_pipe);
  close (file);
}

int
main (int argc, char **argv)
{
  /* A daemon ignores SIGPIPE too: a reader that goes away is an error. */
  signal (SIGPIPE, SIG_IGN);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/image-output/cancel-with-stalled-reader", test_cancel_with_stalled_reader);
  g_test_add_func ("/image-output/reader-gone", test_reader_gone);
  g_test_add_func ("/image-output/disk-full", test_disk_full);
  g_test_add_func ("/image-output/pipe-gets-the-same-bytes", test_pipe_gets_the_same_bytes);
  return g_test_run ();
}
