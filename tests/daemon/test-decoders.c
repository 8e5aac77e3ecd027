/* test-decoders.c: the daemon reads client audio only through sandboxed
 * decoder helpers (rawcd-decoder), and a helper's troubles stay its own.
 *
 *  - a malformed Ogg Vorbis file that makes libvorbis (inside libsndfile
 *    1.2.0) leak ~5.6 kB per refusal is refused 3,000 times with the
 *    daemon's RSS flat: the leak dies with each helper;
 *  - Close, the header timeout and SIGTERM stop a long header probe (of
 *    an AAC .m4a, which the second helper decodes to count it)
 *    (counting its frames) within half a second, helper included;
 *  - a helper that crashes (the test hook RAWCD_DECODER_TEST, which only
 *    whoever starts the daemon can set) fails its own job, by name, while a
 *    job of another session succeeds with the right image;
 *  - a helper that hangs is killed at once when its job is cancelled;
 *  - the helper's seccomp filter applies: once confined it cannot open a
 *    file the daemon itself can read; the same in the second helper,
 *    rawcd-decoder-ffmpeg, started for an .m4a the first does not
 *    recognise.
 */
#define _GNU_SOURCE
#include "td.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Fixtures. */

static void
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (td_tmpdir (), (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     NULL, &err, &status, &error))
    g_error ("%s cannot run (see .ci/packages): %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (td_tmpdir (), name, NULL);
}

/* Ogg's page checksum: CRC-32, polynomial 0x04c11db7, MSB first, initial
 * value 0, over the page with its checksum field zeroed (RFC 3533). */
static guint32
ogg_crc (const guint8 *data, gsize len)
{
  guint32 crc = 0;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= (guint32) data[i] << 24;
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
  return crc;
}

/* The file of the report: the first 90 bytes of a sox-made Ogg Vorbis file
 * whose first page's lacing value says 60 instead of 30 (so that the
 * identification packet runs into the next page), with the page's CRC
 * made right again so that the damage reaches the Vorbis decoder. */
static const char *
bad_ogg (void)
{
  static char *path;
  g_autofree char *good = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;
  guint32 crc;

  if (path != NULL)
    return path;
  good = tmp_path ("good.ogg");
  {
    const char *argv[] = { "sox", "-n", "-r", "44100", "-c", "2", good,
                           "synth", "0.05", "sine", "440", NULL };
    run_tool (argv);
  }
  g_file_get_contents (good, (char **) &bytes, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >=, 90);
  /* a first page of one segment: 27 header bytes, 1 lacing value, 30 bytes */
  g_assert_cmpmem (bytes, 4, "OggS", 4);
  g_assert_cmpuint (bytes[26], ==, 1);
  g_assert_cmpuint (bytes[27], ==, 30);
  bytes[27] = 60;
  memset (bytes + 22, 0, 4);
  crc = ogg_crc (bytes, 28 + 60);
  for (guint i = 0; i < 4; i++)
    bytes[22 + i] = (crc >> (8 * i)) & 0xff;
  path = tmp_path ("bad.ogg");
  g_file_set_contents (path, (const char *) bytes, 90, &error);
  g_assert_no_error (error);
  return path;
}

/* An AAC .m4a long enough that counting its frames (which the header
 * probe does: FFmpeg decodes lossy audio to the end to know its length)
 * takes seconds: 66 minutes, 400 copies of 10 s of pink noise put one
 * after the other by ffmpeg without encoding again.  It used to be an
 * MP3, but rawcd-decoder no longer decodes an MP3 to count it before
 * libmpg123 walks its frame headers (about 1 s for 64 MB, too short to
 * stop it reliably halfway).  It is read by the second helper,
 * rawcd-decoder-ffmpeg, after the first has said UNRECOGNISED. */
static const char *
long_m4a (void)
{
  static char *path;
  g_autofree char *wav = NULL;
  g_autofree char *one = NULL;

  if (path != NULL)
    return path;
  wav = tmp_path ("one.wav");
  one = tmp_path ("one.m4a");
  path = tmp_path ("long.m4a");
  {
    const char *argv[] = { "sox", "-n", "-r", "44100", "-c", "2", wav,
                           "synth", "10", "pinknoise", NULL };
    const char *encode[] = { "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", wav,
                             "-c:a", "aac", "-b:a", "128k", one, NULL };
    const char *repeat[] = { "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                             "-stream_loop", "399", "-i", one, "-c", "copy", path, NULL };

    run_tool (argv);
    run_tool (encode);
    run_tool (repeat);
  }
  return path;
}

/* A FLAC of its own length (`seconds` of a.wav), so that a test hook keyed
 * on the length touches it alone. */
static const char *
flac_of (const char *name, const char *seconds)
{
  g_autofree char *path = tmp_path (name);
  const char *argv[] = { "sox", td_audio ("a.wav"), path, "trim", "0", seconds, NULL };

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    run_tool (argv);
  return g_intern_string (path);
}

/* ------------------------------------------------------------------------ */
/* The daemon's processes. */

static gint64
rss_kib (GPid pid)
{
  g_autofree char *file = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (file, &status, NULL, NULL))
    return -1;
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10);
}

/* The kernel keeps 15 bytes of a program's name: rawcd-decoder-ffmpeg's. */
#define FFMPEG_HELPER_NAME "rawcd-decoder-f"

/* The helpers of `daemon` whose name starts with `prefix`: how many, and
 * the first one's PID in *first when not NULL. */
static guint
find_helpers_named (GPid daemon, const char *prefix, GPid *first)
{
  g_autofree char *name_line = g_strconcat ("Name:\t", prefix, NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = NULL;
      g_autofree char *status = NULL;
      const char *ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      file = g_strdup_printf ("/proc/%s/status", name);
      if (!g_file_get_contents (file, &status, NULL, NULL))
        continue;
      ppid = strstr (status, "\nPPid:");
      if (ppid == NULL || g_ascii_strtoll (ppid + strlen ("\nPPid:"), NULL, 10) != daemon)
        continue;
      if (g_str_has_prefix (status, name_line) && n++ == 0 && first != NULL)
        *first = (GPid) g_ascii_strtoll (name, NULL, 10);
    }
  return n;
}

/* Decoder helpers the daemon has running (its children named
 * rawcd-decoder, rawcd-decoder-ffmpeg); the first one's PID in *first
 * when not NULL. */
static guint
find_helpers (GPid daemon, GPid *first)
{
  return find_helpers_named (daemon, "rawcd-decoder", first);
}

static guint
count_helpers (GPid daemon)
{
  return find_helpers (daemon, NULL);
}

/* /proc/PID/oom_score_adj as a number. */
static gint64
oom_score_adj (GPid pid)
{
  g_autofree char *file = g_strdup_printf ("/proc/%d/oom_score_adj", (int) pid);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (file, &text, NULL, &error));
  g_assert_no_error (error);
  return g_ascii_strtoll (text, NULL, 10);
}

/* ------------------------------------------------------------------------ */

static void
test_rss_flat_over_refusals (TdFixture *f, gconstpointer user_data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  GPid pid = td_daemon_pid (f->daemon);
  /* under valgrind the RSS is valgrind's, and the calls slow: fewer, and
   * valgrind's own leak check is the verdict */
  guint rounds = td_wrapped () ? 200 : 3000;
  gint64 before = 0;
  gint64 after;
  TdProbe *probe = td_probe_start ("malformed-Ogg refusals");

  for (guint i = 0; i < 100 + rounds; i++)
    {
      g_autoptr(GError) error = NULL;

      if (i == 100)
        before = rss_kib (pid);  /* after a warm-up: pools and caches filled */
      g_assert_cmpint (td_add_track (f->conn, creator, bad_ogg (), NULL, NULL, &error), ==, 0);
      td_assert_error (error, "UnsupportedAudio");
      if (i == 0)
        g_test_message ("refused: %s", error->message);
    }
  td_probe_stop (probe);
  after = rss_kib (pid);
  g_test_message ("daemon RSS %" G_GINT64_FORMAT " KiB before %u refusals, %" G_GINT64_FORMAT
                  " KiB after (%+" G_GINT64_FORMAT " KiB)", before, rounds, after, after - before);
  if (!td_wrapped ())
    g_assert_cmpint (after - before, <, 1024);
  g_assert_cmpuint (count_helpers (pid), ==, 0);
  td_daemon_assert_alive (f->daemon);
}

typedef struct {
  gboolean  done;
  GError   *error;
  gint64    at;
} AsyncCall;

static void
call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncCall *call = user_data;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL,
                                                           result, &call->error);
  call->at = g_get_monotonic_time ();
  call->done = TRUE;
}

static gboolean
call_is_done (gpointer data)
{
  return ((AsyncCall *) data)->done;
}

typedef struct {
  GPid        pid;
  AsyncCall  *call;
  /* the helpers waited for: those named so (NULL: every helper) */
  const char *name;
} HelperWait;

static gboolean
helper_running (gpointer data)
{
  HelperWait *wait = data;

  return (wait->call != NULL && wait->call->done)
         || find_helpers_named (wait->pid, wait->name != NULL ? wait->name : "rawcd-decoder",
                                NULL) > 0;
}

static gboolean
no_helper_running (gpointer data)
{
  return count_helpers (((HelperWait *) data)->pid) == 0;
}

/* Starts AddTrack of the long .m4a and waits until its helper is at work. */
static void
start_long_probe (TdFixture *f, const char *creator, AsyncCall *call)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  /* the helper that probes the long .m4a is the second: rawcd-decoder
   * has answered UNRECOGNISED and is gone, or about to be */
  HelperWait wait = { td_daemon_pid (f->daemon), call, FFMPEG_HELPER_NAME };
  g_autoptr(GError) error = NULL;
  int fd = open (long_m4a (), O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_unix_fd_list_append (fds, fd, &error);
  g_assert_no_error (error);
  close (fd);
  g_dbus_connection_call_with_unix_fd_list (f->conn, RAWCD_BUS_NAME, creator,
                                            RAWCD_IFACE_CREATOR, "AddTrack",
                                            g_variant_new ("(uh@a{sv})", 0, 0, td_no_options ()),
                                            G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                            td_call_timeout_ms (), fds, NULL, call_done, call);
  g_assert_true (td_wait_until (NULL, helper_running, &wait, 10000 * td_slowdown ()));
  if (call->done)
    g_error ("AddTrack of the long .m4a was answered at once: %s",
             call->error != NULL ? call->error->message : "success");
  /* counting 66 minutes of AAC takes seconds: it is well under way here */
  td_spin (300);
  g_assert_false (call->done);
  g_assert_cmpuint (count_helpers (wait.pid), ==, 1);
}

static void
test_close_stops_probe (TdFixture *f, gconstpointer user_data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  HelperWait wait = { td_daemon_pid (f->daemon), NULL, NULL };
  AsyncCall call = { FALSE, NULL, 0 };
  gint64 start;
  gint64 helper_gone;
  TdProbe *probe = td_probe_start ("a long probe, then Close");

  start_long_probe (f, creator, &call);
  start = g_get_monotonic_time ();
  reply = td_call (f->conn, creator, RAWCD_IFACE_CREATOR, "Close", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (td_wait_until (NULL, no_helper_running, &wait, 5000 * td_slowdown ()));
  helper_gone = g_get_monotonic_time ();
  g_assert_true (td_wait_until (NULL, call_is_done, &call, 5000 * td_slowdown ()));
  td_probe_stop (probe);
  g_test_message ("after Close: helper gone in %" G_GINT64_FORMAT " ms, AddTrack answered "
                  "in %" G_GINT64_FORMAT " ms: %s", (helper_gone - start) / 1000,
                  (call.at - start) / 1000, call.error ? call.error->message : "success");
  g_assert_nonnull (call.error);
  g_assert_cmpint (helper_gone - start, <, 500 * 1000 * (gint64) td_slowdown ());
  g_assert_cmpint (call.at - start, <, 500 * 1000 * (gint64) td_slowdown ());
  g_clear_error (&call.error);
  td_daemon_assert_alive (f->daemon);
}

/* When memory runs out, the kernel takes a decoder helper, never rawcdd:
 * a running helper reads back oom_score_adj 1000 (the most), the daemon
 * keeps the score it was started with. */
static void
test_helper_is_oom_first (TdFixture *f, gconstpointer user_data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GPid daemon = td_daemon_pid (f->daemon);
  AsyncCall call = { FALSE, NULL, 0 };
  GPid helper = 0;
  gint64 ours = oom_score_adj (getpid ());

  start_long_probe (f, creator, &call);
  g_assert_cmpuint (find_helpers (daemon, &helper), ==, 1);
  g_assert_cmpint (helper, >, 0);
  g_test_message ("helper %d: oom_score_adj %" G_GINT64_FORMAT "; rawcdd %d: %" G_GINT64_FORMAT
                  "; this test: %" G_GINT64_FORMAT, (int) helper, oom_score_adj (helper),
                  (int) daemon, oom_score_adj (daemon), ours);
  g_assert_cmpint (oom_score_adj (helper), ==, 1000);
  g_assert_cmpint (oom_score_adj (daemon), ==, ours);
  g_assert_cmpint (ours, <, 1000);

  reply = td_call (f->conn, creator, RAWCD_IFACE_CREATOR, "Close", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (td_wait_until (NULL, call_is_done, &call, 5000 * td_slowdown ()));
  g_clear_error (&call.error);
  td_daemon_assert_alive (f->daemon);
}

static const char *const timeout_1s[] = { "--header-timeout", "1", NULL };

static void
test_header_timeout_stops_probe (TdFixture *f, gconstpointer user_data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  HelperWait wait = { td_daemon_pid (f->daemon), NULL, NULL };
  AsyncCall call = { FALSE, NULL, 0 };
  gint64 start = g_get_monotonic_time ();

  start_long_probe (f, creator, &call);
  g_assert_true (td_wait_until (NULL, call_is_done, &call, 10000 * td_slowdown ()));
  g_test_message ("AddTrack answered after %" G_GINT64_FORMAT " ms: %s",
                  (call.at - start) / 1000, call.error ? call.error->message : "success");
  td_assert_error (call.error, "UnsupportedAudio");
  g_assert_nonnull (strstr (call.error->message, "1 s"));
  /* the timeout is 1 s after the call started; half a second more at most */
  g_assert_cmpint (call.at - start, <, 1500 * 1000 * (gint64) td_slowdown ());
  g_assert_true (td_wait_until (NULL, no_helper_running, &wait, 500 * td_slowdown ()));
  g_clear_error (&call.error);
}

static void
test_sigterm_stops_probe (TdFixture *f, gconstpointer user_data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  AsyncCall call = { FALSE, NULL, 0 };
  gint64 start;

  start_long_probe (f, creator, &call);
  start = g_get_monotonic_time ();
  g_assert_no_errno (kill (td_daemon_pid (f->daemon), SIGTERM));
  /* the exit deadline for stuck workers is 5 s (and its warning about a
   * hung file system comes only then): a probe must not be one */
  g_assert_true (td_daemon_wait_exit (f->daemon, 500));
  g_test_message ("exited %" G_GINT64_FORMAT " ms after SIGTERM",
                  (g_get_monotonic_time () - start) / 1000);
  td_wait_until (NULL, call_is_done, &call, 5000 * td_slowdown ());
  g_clear_error (&call.error);
  /* teardown asserts the exit status 0 */
}

/* ------------------------------------------------------------------------ */
/* Test hooks.  The environment is the daemon's: set around its start. */

static void
setup_with_hook (TdFixture *f, gconstpointer user_data)
{
  g_setenv ("RAWCD_DECODER_TEST", user_data, TRUE);
  td_fixture_setup (f, NULL);
  g_unsetenv ("RAWCD_DECODER_TEST");
}

/* 7 s of a.wav: 308,700 frames */
#define CRASH_FRAMES "308700"

static void
test_crash_fails_own_job (TdFixture *f, gconstpointer user_data)
{
  g_autoptr(GDBusConnection) other = td_connect (NULL);
  g_autoptr(TdJobWatch) watch = td_job_watch_new (f->conn);
  g_autoptr(TdJobWatch) other_watch = NULL;
  g_autofree char *victim = td_create_session (f->conn, NULL);
  g_autofree char *victim_job = NULL;
  g_autofree char *good_job = NULL;
  g_autofree char *message = NULL;
  g_autofree char *good_message = NULL;
  g_autofree char *good = NULL;
  g_autoptr(GError) error = NULL;
  TdDiscSpec spec = { .n_tracks = 1, .tracks = { TD_TRACK ("b.flac") } };
  gboolean success = TRUE;
  gboolean good_success = FALSE;
  int victim_out = td_memfd ("victim");
  int good_out = td_memfd ("good");
  int reference;
  TdProbe *probe = NULL;

  g_assert_nonnull (other);
  other_watch = td_job_watch_new (other);
  g_assert_cmpint (td_add_track (f->conn, victim, flac_of ("crash.flac", "7"), NULL, NULL,
                                 &error), ==, 1);
  g_assert_no_error (error);
  good = td_spec_create (other, &spec, &error);
  g_assert_no_error (error);

  /* both jobs at once, each decoding FLAC in helpers of its own */
  probe = td_probe_start ("a decoder crash in one job, another job beside it");
  victim_job = td_create_result_image (f->conn, victim, victim_out, &error);
  g_assert_no_error (error);
  good_job = td_create_result_image (other, good, good_out, &error);
  g_assert_no_error (error);

  g_assert_true (td_job_watch_wait (watch, victim_job, 60, &success, &message));
  g_test_message ("the crashing job: %s", message);
  g_assert_false (success);
  g_assert_nonnull (strstr (message, "track 1"));
  g_assert_nonnull (strstr (message, "killed by SIGSEGV"));

  g_assert_true (td_job_watch_wait (other_watch, good_job, 60, &good_success, &good_message));
  td_probe_stop (probe);
  g_assert_true (good_success);
  reference = td_spec_reference (&spec, &error);
  g_assert_no_error (error);
  td_assert_fds_equal (good_out, reference, 2448);

  {
    g_autofree char *state = td_get_s (f->conn, victim_job, RAWCD_IFACE_JOB, "State");

    g_assert_cmpstr (state, ==, "failed");
  }
  close (reference);
  close (victim_out);
  close (good_out);
  td_daemon_assert_alive (f->daemon);
}

/* 6 s of a.wav: 264,600 frames */
#define SPIN_FRAMES "264600"

/* A helper that hangs (spins, for the test) while its job writes: Cancel
 * ends the job, and the helper, at once. */
static void
test_cancel_kills_hung_helper (TdFixture *f, gconstpointer user_data)
{
  g_autoptr(TdJobWatch) watch = td_job_watch_new (f->conn);
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  HelperWait wait = { td_daemon_pid (f->daemon), NULL, NULL };
  gboolean success = TRUE;
  int out = td_memfd ("spin");
  gint64 start;
  gint64 gone;

  g_assert_cmpint (td_add_track (f->conn, creator, flac_of ("spin.flac", "6"), NULL, NULL,
                                 &error), ==, 1);
  g_assert_no_error (error);
  job = td_create_result_image (f->conn, creator, out, &error);
  g_assert_no_error (error);
  g_assert_true (td_wait_until (NULL, helper_running, &wait, 10000 * td_slowdown ()));
  td_spin (300);
  g_assert_cmpuint (td_job_watch_count (watch, job), ==, 0);  /* hung, not done */

  start = g_get_monotonic_time ();
  reply = td_call (f->conn, job, RAWCD_IFACE_JOB, "Cancel", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (td_job_watch_wait (watch, job, 10, &success, &message));
  g_assert_true (td_wait_until (NULL, no_helper_running, &wait, 5000 * td_slowdown ()));
  gone = g_get_monotonic_time ();
  g_test_message ("cancelled in %" G_GINT64_FORMAT " ms: %s", (gone - start) / 1000, message);
  g_assert_false (success);
  g_assert_cmpint (gone - start, <, 500 * 1000 * (gint64) td_slowdown ());
  close (out);
}

static void
test_filter_forbids_open (TdFixture *f, gconstpointer user_data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *readable = NULL;

  /* the daemon (and an unconfined helper) can read this file */
  g_assert_true (g_file_get_contents (td_audio ("a.wav"), &readable, NULL, NULL));
  g_assert_cmpint (td_add_track (f->conn, creator, td_audio ("a.wav"), NULL, NULL, &error), ==, 0);
  td_assert_error (error, "UnsupportedAudio");
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "after confinement failed: Operation not permitted"));
}

/* The second helper, for an .m4a, under the same filter: its test hook
 * (ffmpeg-open) runs only there, so the first helper has said
 * UNRECOGNISED before. */
static void
test_ffmpeg_filter_forbids_open (TdFixture *f, gconstpointer user_data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *m4a = tmp_path ("alac.m4a");
  const char *argv[] = { "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i",
                         td_audio ("a.wav"), "-t", "3", "-c:a", "alac", m4a, NULL };

  run_tool (argv);
  g_assert_cmpint (td_add_track (f->conn, creator, m4a, NULL, NULL, &error), ==, 0);
  td_assert_error (error, "UnsupportedAudio");
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "after confinement failed: Operation not permitted"));
  /* the first helper never ran the hook: a WAV is read as always */
  g_clear_error (&error);
  g_assert_cmpint (td_add_track (f->conn, creator, td_audio ("a.wav"), NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_autofree char *open_hook = NULL;
  g_autofree char *ffmpeg_open_hook = NULL;

  td_init (&argc, &argv);
  open_hook = g_strconcat ("open:", td_audio ("a.wav"), NULL);
  ffmpeg_open_hook = g_strconcat ("ffmpeg-open:", td_audio ("a.wav"), NULL);

  td_add ("/decoders/malformed-ogg-rss-flat", test_rss_flat_over_refusals);
  td_add ("/decoders/close-stops-long-probe", test_close_stops_probe);
  td_add ("/decoders/helper-is-oom-first", test_helper_is_oom_first);
  td_add_args ("/decoders/header-timeout-stops-long-probe", timeout_1s,
               test_header_timeout_stops_probe);
  td_add ("/decoders/sigterm-stops-long-probe", test_sigterm_stops_probe);
  g_test_add ("/decoders/crash-fails-own-job-only", TdFixture, "crash-on-read:" CRASH_FRAMES,
              setup_with_hook, test_crash_fails_own_job, td_fixture_teardown);
  g_test_add ("/decoders/cancel-kills-hung-helper", TdFixture, "spin-on-read:" SPIN_FRAMES,
              setup_with_hook, test_cancel_kills_hung_helper, td_fixture_teardown);
  g_test_add ("/decoders/filter-forbids-open", TdFixture, open_hook,
              setup_with_hook, test_filter_forbids_open, td_fixture_teardown);
  g_test_add ("/decoders/ffmpeg-filter-forbids-open", TdFixture, ffmpeg_open_hook,
              setup_with_hook, test_ffmpeg_filter_forbids_open, td_fixture_teardown);
  return td_run ();
}
