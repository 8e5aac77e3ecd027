/* test-fd-check.c: the checks of the descriptors clients pass
 * (rcd-fd-check.h), in process, on real descriptors of each kind. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "rc-error.h"
#include "rcd-error.h"
#include "rcd-fd-check.h"

static void
assert_says (const GError *error, const char *word)
{
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "'arg'"));
  if (strstr (error->message, word) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, word);
}

static void
test_input (void)
{
  g_autoptr(GError) error = NULL;
  int pipe_fds[2], sock[2];
  int memfd = memfd_create ("audio", MFD_CLOEXEC);
  int dir = open ("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int path = open ("/", O_PATH | O_CLOEXEC);

  g_assert_cmpint (pipe2 (pipe_fds, O_CLOEXEC), ==, 0);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock), ==, 0);

  g_assert_true (rcd_fd_check_input (memfd, "arg", &error));
  g_assert_true (rcd_fd_check_input (pipe_fds[0], "arg", &error));
  g_assert_no_error (error);

  g_assert_false (rcd_fd_check_input (pipe_fds[1], "arg", &error));
  assert_says (error, "write-only");
  g_clear_error (&error);
  g_assert_false (rcd_fd_check_input (dir, "arg", &error));
  assert_says (error, "a directory");
  g_clear_error (&error);
  g_assert_false (rcd_fd_check_input (sock[0], "arg", &error));
  assert_says (error, "a socket");
  g_clear_error (&error);
  g_assert_false (rcd_fd_check_input (path, "arg", &error));
  assert_says (error, "O_PATH");
  g_clear_error (&error);

  /* Positioned reads need a file: a pipe is refused. */
  g_assert_true (rcd_fd_check_file (memfd, "arg", &error));
  g_assert_false (rcd_fd_check_file (pipe_fds[0], "arg", &error));
  assert_says (error, "a pipe");

  close (pipe_fds[0]);
  close (pipe_fds[1]);
  close (sock[0]);
  close (sock[1]);
  close (memfd);
  close (dir);
  close (path);
}

static void
test_output (void)
{
  g_autoptr(GError) error = NULL;
  int pipe_fds[2];
  int dir = open ("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);

  g_assert_cmpint (pipe2 (pipe_fds, O_CLOEXEC), ==, 0);
  g_assert_true (rcd_fd_check_output (pipe_fds[1], "arg", &error));
  g_assert_true (rcd_fd_check_output (null_fd, "arg", &error));
  g_assert_no_error (error);
  g_assert_false (rcd_fd_check_output (pipe_fds[0], "arg", &error));
  assert_says (error, "read-only");
  g_clear_error (&error);
  g_assert_false (rcd_fd_check_output (dir, "arg", &error));
  assert_says (error, "not open for writing");

  close (pipe_fds[0]);
  close (pipe_fds[1]);
  close (dir);
  close (null_fd);
}

/* Descriptors open in this process, to see that nothing leaks. */
static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_take (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUnixFDList) list = g_unix_fd_list_new ();
  g_autoptr(GVariant) handle0 = g_variant_ref_sink (g_variant_new_handle (0));
  g_autoptr(GVariant) handle3 = g_variant_ref_sink (g_variant_new_handle (3));
  int pipe_fds[2];
  guint before;
  int fd;

  /* A message without descriptors: the argument names what it refers to. */
  g_assert_cmpint (rcd_fd_take (NULL, handle0, "arg", &error), ==, -1);
  assert_says (error, "carries 0 descriptors");
  g_clear_error (&error);

  g_assert_cmpint (pipe2 (pipe_fds, O_CLOEXEC), ==, 0);
  g_assert_cmpint (g_unix_fd_list_append (list, pipe_fds[1], &error), ==, 0);
  g_assert_cmpint (rcd_fd_take (list, handle3, "arg", &error), ==, -1);
  assert_says (error, "carries 1 descriptor");
  g_clear_error (&error);

  /* A check that fails closes the daemon's duplicate again. */
  before = count_fds ();
  fd = rcd_fd_take_checked (list, handle0, "arg", rcd_fd_check_input, &error);
  g_assert_cmpint (fd, ==, -1);
  assert_says (error, "write-only");
  g_clear_error (&error);
  g_assert_cmpuint (count_fds (), ==, before);

  /* One that passes is a new close-on-exec descriptor. */
  fd = rcd_fd_take_checked (list, handle0, "arg", rcd_fd_check_output, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fd, !=, pipe_fds[1]);
  g_assert_cmpint (fcntl (fd, F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
  g_assert_cmpuint (count_fds (), ==, before + 1);

  close (fd);
  close (pipe_fds[0]);
  close (pipe_fds[1]);
}

/* When the service itself is out of descriptors, the client hears that,
 * by name, and not that its descriptor was bad. */
static void
test_out_of_descriptors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUnixFDList) list = g_unix_fd_list_new ();
  g_autoptr(GVariant) handle0 = g_variant_ref_sink (g_variant_new_handle (0));
  struct rlimit saved, tight;
  GArray *fillers;
  int pipe_fds[2];
  int fd, filler;

  g_assert_cmpint (pipe2 (pipe_fds, O_CLOEXEC), ==, 0);
  g_assert_cmpint (g_unix_fd_list_append (list, pipe_fds[0], &error), ==, 0);
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  /* No descriptor above the highest one open now. */
  tight = saved;
  tight.rlim_cur = (rlim_t) MAX (pipe_fds[0], pipe_fds[1]) + 1;
  {
    /* The list holds its own duplicate above them: allow that one too. */
    int highest = g_unix_fd_list_peek_fds (list, NULL)[0];

    tight.rlim_cur = (rlim_t) MAX ((int) tight.rlim_cur, highest + 1);
  }
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &tight), ==, 0);
  /* Fill any free slot below the limit. */
  fillers = g_array_new (FALSE, FALSE, sizeof (int));
  while ((filler = fcntl (pipe_fds[0], F_DUPFD_CLOEXEC, 0)) >= 0)
    g_array_append_val (fillers, filler);
  fd = rcd_fd_take (list, handle0, "arg", &error);
  for (guint i = 0; i < fillers->len; i++)
    close (g_array_index (fillers, int, i));
  g_array_unref (fillers);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);

  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED);
  g_assert_nonnull (strstr (error->message, "out of file descriptors"));
  g_assert_nonnull (strstr (error->message, "'arg'"));
  close (pipe_fds[0]);
  close (pipe_fds[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fd-check/input", test_input);
  g_test_add_func ("/fd-check/output", test_output);
  g_test_add_func ("/fd-check/take", test_take);
  g_test_add_func ("/fd-check/out-of-descriptors", test_out_of_descriptors);
  return g_test_run ();
}
