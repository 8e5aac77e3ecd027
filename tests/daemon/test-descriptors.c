/* test-descriptors.c: what the daemon does with the descriptors clients
 * pass: pipes with and without a declared length, sockets, directories,
 * devices, descriptors open the wrong way, damaged audio, and outputs that
 * fail (ENOSPC on /dev/full, EPIPE from a reader that goes away).
 */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static GVariant *
options_format (const char *format)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);

  if (format != NULL)
    g_variant_dict_insert (dict, "format", "s", format);
  return g_variant_dict_end (dict);
}

/* AddTrack with a descriptor; returns the index or 0 with error set */
static gint
add_fd (GDBusConnection *c, const char *creator, int fd, const char *format, GError **error)
{
  g_autoptr(GVariant) reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "AddTrack",
                                          g_variant_new ("(uh@a{sv})", 0, 0,
                                                         options_format (format)),
                                          G_VARIANT_TYPE ("(io)"), fd, error);
  gint32 index = 0;

  if (reply != NULL)
    g_variant_get (reply, "(io)", &index, NULL);
  return index;
}

static void
assert_message_contains (const GError *error, const char *const *words)
{
  g_autofree char *lower = g_ascii_strdown (error->message, -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (lower, words[i]) == NULL)
      g_error ("the message \"%s\" does not say \"%s\"", error->message, words[i]);
}

static void
add_fd_fails (GDBusConnection *c, const char *creator, int fd, const char *format,
              const char *name, const char *const *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (add_fd (c, creator, fd, format, &error), ==, 0);
  td_assert_error (error, name);
  if (words != NULL)
    assert_message_contains (error, words);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 0);
}

/* A thread that writes a buffer into a pipe, then closes it */
typedef struct {
  int     fd;
  GBytes *data;
  gsize   written;
} Feeder;

static gpointer
feeder_thread (gpointer data)
{
  Feeder *feeder = data;
  gsize len = 0;
  const char *buf = g_bytes_get_data (feeder->data, &len);

  while (feeder->written < len)
    {
      gssize n = write (feeder->fd, buf + feeder->written, len - feeder->written);
      if (n <= 0)
        break;   /* EPIPE: the daemon closed its end */
      feeder->written += n;
    }
  close (feeder->fd);
  return NULL;
}

static GThread *
feed_pipe (GBytes *data, int *read_end, Feeder *feeder)
{
  int p[2];

  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  feeder->fd = p[1];
  feeder->data = data;
  feeder->written = 0;
  *read_end = p[0];
  return g_thread_new ("feeder", feeder_thread, feeder);
}

static GBytes *
read_audio (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (td_audio (name), &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
wait_job (TdJobWatch *watch, const char *job, gboolean *success, char **message)
{
  if (!td_job_watch_wait (watch, job, 120, success, message))
    g_error ("%s did not complete", job);
  g_test_message ("Completed(%d, \"%s\")", *success, *message);
}

/* A WAV written into a pipe by a thread: its header declares the length,
 * so it is accepted, and the image equals the one from the file.  A pipe
 * can be read once only: a second image fails, saying so. */
static void
test_pipe_with_length (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) wav = read_audio ("a.wav");
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *job2 = NULL;
  g_autofree char *message = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  const TdDiscSpec spec = { .n_tracks = 2, .tracks = { TD_TRACK ("a.wav"), TD_TRACK ("e5.wav") } };
  gboolean success = FALSE;
  Feeder feeder;
  GThread *thread;
  int rfd;
  int out = td_memfd ("out");
  int out2 = td_memfd ("out2");
  int ref;

  thread = feed_pipe (wav, &rfd, &feeder);
  g_assert_cmpint (add_fd (c, creator, rfd, NULL, &error), ==, 1);
  g_assert_no_error (error);
  close (rfd);
  g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 1125);

  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  wait_job (watch, job, &success, &message);
  g_assert_true (success);
  g_thread_join (thread);
  g_assert_cmpuint (feeder.written, ==, g_bytes_get_size (wav));

  ref = td_spec_reference (&spec, &error);
  g_assert_no_error (error);
  td_assert_fds_equal (out, ref, 2448);
  close (ref);
  close (out);

  /* Read once only */
  g_clear_pointer (&message, g_free);
  job2 = td_create_result_image (c, creator, out2, &error);
  if (job2 == NULL)
    {
      static const char *const words[] = { "pipe", NULL };
      td_assert_error (error, "Failed");
      assert_message_contains (error, words);
    }
  else
    {
      g_autofree char *state = NULL;
      wait_job (watch, job2, &success, &message);
      g_assert_false (success);
      g_assert_nonnull (strstr (message, "pipe"));
      state = td_get_s (c, job2, RAWCD_IFACE_JOB, "State");
      g_assert_cmpstr (state, ==, "failed");
    }
  close (out2);
  td_daemon_assert_alive (f->daemon);
}

/* Headerless audio on a pipe has no declared length: refused, saying so */
static void
test_pipe_raw (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GBytes) raw = read_audio ("a.raw");
  g_autofree char *creator = td_create_session (c, NULL);
  static const char *const words[] = { "pipe", "length", NULL };
  Feeder feeder;
  GThread *thread;
  int rfd;

  thread = feed_pipe (raw, &rfd, &feeder);
  add_fd_fails (c, creator, rfd, "raw", "UnsupportedAudio", words);
  close (rfd);
  g_thread_join (thread);
}

/* A WAV streamed with placeholder sizes (0xFFFFFFFF, as a program writing
 * to a pipe does when it does not know the length) is refused likewise. */
static void
test_pipe_wav_unknown_length (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GBytes) wav = read_audio ("a.wav");
  g_autoptr(GBytes) streamed = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  static const char *const words[] = { "length", NULL };
  gsize len = g_bytes_get_size (wav);
  guint8 *buf = g_memdup2 (g_bytes_get_data (wav, NULL), len);
  gsize data_at = 0;
  Feeder feeder;
  GThread *thread;
  int rfd;

  g_assert_cmpmem (buf, 4, "RIFF", 4);
  memset (buf + 4, 0xff, 4);
  for (gsize i = 12; i + 8 <= len; i++)
    if (memcmp (buf + i, "data", 4) == 0)
      {
        data_at = i;
        break;
      }
  g_assert_cmpuint (data_at, >, 0);
  memset (buf + data_at + 4, 0xff, 4);
  streamed = g_bytes_new_take (buf, len);

  thread = feed_pipe (streamed, &rfd, &feeder);
  add_fd_fails (c, creator, rfd, NULL, "UnsupportedAudio", words);
  close (rfd);
  g_thread_join (thread);
}

static void
test_socket (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  static const char *const words[] = { "socket", NULL };
  int sv[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  add_fd_fails (c, creator, sv[0], NULL, "InvalidArgument", words);
  close (sv[0]);
  close (sv[1]);
}

static void
test_directory (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  static const char *const words[] = { "directory", NULL };
  int fd = open (td_tmpdir (), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  add_fd_fails (c, creator, fd, NULL, "InvalidArgument", words);
  g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  /* Nor as the output */
  job = td_create_result_image (c, creator, fd, &error);
  g_assert_null (job);
  td_assert_error (error, "InvalidArgument");
  close (fd);
}

static void
test_dev_null (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  static const char *const words[] = { "device", NULL };
  int fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  add_fd_fails (c, creator, fd, NULL, "InvalidArgument", words);
  close (fd);
}

static void
test_wrong_access_mode (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *out_path = g_build_filename (td_tmpdir (), "readonly-out", NULL);
  int wfd = open (td_audio ("e5.wav"), O_WRONLY | O_CLOEXEC);
  int pfd = open (td_audio ("e5.wav"), O_PATH | O_CLOEXEC);
  int rfd;

  g_assert_cmpint (wfd, >=, 0);
  g_assert_cmpint (pfd, >=, 0);
  add_fd_fails (c, creator, wfd, NULL, "InvalidArgument", NULL);
  add_fd_fails (c, creator, pfd, NULL, "InvalidArgument", NULL);
  close (wfd);
  close (pfd);

  /* An output open for reading only */
  g_assert_true (g_file_set_contents (out_path, "", 0, NULL));
  rfd = open (out_path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  job = td_create_result_image (c, creator, rfd, &error);
  g_assert_null (job);
  td_assert_error (error, "InvalidArgument");
  g_clear_error (&error);
  close (rfd);
  /* The refused output did not freeze the session */
  g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &error), ==, 2);
  g_assert_no_error (error);
}

/* A WAV cut in half: its header declares 10 s, the file holds 5 s.
 * Refused at AddTrack (or, at the latest, the job fails with a message). */
static void
check_damaged (TdFixture *f, const char *audio)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  g_autofree char *state = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  gboolean success = TRUE;
  int out;

  if (td_add_track (c, creator, td_audio (audio), NULL, NULL, &error) == 0)
    {
      td_assert_error (error, "UnsupportedAudio");
      return;
    }
  g_test_message ("%s was accepted by AddTrack; the job must fail", audio);
  out = td_memfd ("out");
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  wait_job (watch, job, &success, &message);
  g_assert_false (success);
  g_assert_cmpstr (message, !=, "");
  state = td_get_s (c, job, RAWCD_IFACE_JOB, "State");
  g_assert_cmpstr (state, ==, "failed");
  close (out);
  td_daemon_assert_alive (f->daemon);
}

static void
test_truncated_wav (TdFixture *f, gconstpointer data)
{
  check_damaged (f, "trunc.wav");
}

static void
test_corrupt_flac (TdFixture *f, gconstpointer data)
{
  check_damaged (f, "corrupt.flac");
}

/* The file shrinks after AddTrack: the job fails, it never pads the
 * missing audio with silence. */
static void
test_shrunk_after_add (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) wav = read_audio ("e5.wav");
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  gboolean success = TRUE;
  int fd = td_memfd ("shrinking");
  int out = td_memfd ("out");

  g_assert_cmpint (write (fd, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav)), ==,
                   (gssize) g_bytes_get_size (wav));
  g_assert_cmpint (add_fd (c, creator, fd, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (ftruncate (fd, g_bytes_get_size (wav) / 2), ==, 0);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  wait_job (watch, job, &success, &message);
  g_assert_false (success);
  g_assert_cmpstr (message, !=, "");
  close (fd);
  close (out);
}

/* ENOSPC reaches the client as a failed job with a message */
static void
test_dev_full (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  g_autofree char *state = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  gboolean success = TRUE;
  int out = open ("/dev/full", O_WRONLY | O_CLOEXEC);

  g_assert_cmpint (out, >=, 0);
  g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  close (out);
  wait_job (watch, job, &success, &message);
  g_assert_false (success);
  if (strcasestr (message, "no space") == NULL && strstr (message, "ENOSPC") == NULL)
    g_error ("the message \"%s\" does not say ENOSPC", message);
  state = td_get_s (c, job, RAWCD_IFACE_JOB, "State");
  g_assert_cmpstr (state, ==, "failed");
  g_assert_cmpuint (td_get_t (c, job, RAWCD_IFACE_JOB, "BytesWritten"), ==, 0);
  td_daemon_assert_alive (f->daemon);
}

/* A reader that reads a little and goes away: EPIPE, a failed job, and the
 * daemon survives (it must not die of SIGPIPE). */
static void
test_broken_pipe (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  g_autofree char *state = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  gboolean success = TRUE;
  char buf[65536];
  gsize got = 0;
  int p[2];

  g_assert_cmpint (td_add_track (c, creator, td_audio ("a.wav"), NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  job = td_create_result_image (c, creator, p[1], &error);
  g_assert_no_error (error);
  close (p[1]);
  while (got < 1024 * 1024)
    {
      gssize n = read (p[0], buf, sizeof buf);
      g_assert_cmpint (n, >, 0);
      got += n;
    }
  close (p[0]);

  wait_job (watch, job, &success, &message);
  g_assert_false (success);
  /* any wording ("Broken pipe", "the reader went away"), but a message */
  g_assert_cmpstr (message, !=, "");
  state = td_get_s (c, job, RAWCD_IFACE_JOB, "State");
  g_assert_cmpstr (state, ==, "failed");
  td_daemon_assert_alive (f->daemon);

  /* and goes on working */
  {
    g_autofree char *s2 = td_create_session (c, NULL);
    g_autofree char *job2 = NULL;
    int out = td_memfd ("out");

    g_assert_cmpint (td_add_track (c, s2, td_audio ("e5.wav"), NULL, NULL, &error), ==, 1);
    g_assert_no_error (error);
    job2 = td_create_result_image (c, s2, out, &error);
    g_assert_no_error (error);
    g_clear_pointer (&message, g_free);
    wait_job (watch, job2, &success, &message);
    g_assert_true (success);
    close (out);
  }
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/descriptors/pipe-with-length", test_pipe_with_length);
  td_add ("/daemon/descriptors/pipe-raw-refused", test_pipe_raw);
  td_add ("/daemon/descriptors/pipe-wav-unknown-length-refused", test_pipe_wav_unknown_length);
  td_add ("/daemon/descriptors/socket-refused", test_socket);
  td_add ("/daemon/descriptors/directory-refused", test_directory);
  td_add ("/daemon/descriptors/dev-null-refused", test_dev_null);
  td_add ("/daemon/descriptors/wrong-access-mode-refused", test_wrong_access_mode);
  td_add ("/daemon/descriptors/truncated-wav", test_truncated_wav);
  td_add ("/daemon/descriptors/corrupt-flac", test_corrupt_flac);
  td_add ("/daemon/descriptors/shrunk-after-add", test_shrunk_after_add);
  td_add ("/daemon/descriptors/output-enospc", test_dev_full);
  td_add ("/daemon/descriptors/output-epipe", test_broken_pipe);
  return td_run ();
}
