/* test-limits.c: calls waiting in a session are bounded in bytes and in
 * descriptors, not only in number (issue 11, "bounded memory").
 *
 * A session's calls wait while an AddTrack reads a header from a pipe
 * that never delivers (--header-timeout 0: it waits for ever).  Behind it:
 * - 40 calls of 16 MB each are refused at once with LimitExceeded, and
 *   the daemon's peak RSS stays under 64 MB (it grew by 656 MB before);
 * - of 40 AddTrack calls carrying a descriptor each, those beyond the
 *   session's descriptor limit are refused at once, naming descriptors;
 *   the others wait and are answered once the reader is done.
 */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static const char *const wait_forever[] = { "--header-timeout", "0", NULL };

typedef struct {
  guint  replies;
  guint  limit_exceeded;
  guint  other_errors;
  GString *names;
} Replies;

static void
on_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Replies *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL,
                                                     result, &error);
  g_autofree char *name = error != NULL ? td_error_name (error) : NULL;

  r->replies++;
  if (g_strcmp0 (name, RAWCD_ERROR_PREFIX "LimitExceeded") == 0)
    {
      r->limit_exceeded++;
      if (r->names->len < 400)
        g_string_append_printf (r->names, "[%s] ", error->message);
    }
  else if (error != NULL)
    {
      r->other_errors++;
      if (r->other_errors == 1)
        g_test_message ("first other error: %.300s", error->message);
    }
}

static gboolean
all_replied (gpointer data)
{
  Replies *r = data;

  return r->replies >= 40;
}

/* The holder: AddTrack on a pipe that never delivers.  Returns the write
 * end (close it to let the session go on). */
static int
hold_session (TdFixture *f, const char *creator, Replies *holder)
{
  g_autoptr(GUnixFDList) list = g_unix_fd_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) pong = NULL;
  int p[2];

  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  g_unix_fd_list_append (list, p[0], &error);
  g_assert_no_error (error);
  close (p[0]);
  g_dbus_connection_call_with_unix_fd_list (f->conn, RAWCD_BUS_NAME, creator,
                                            RAWCD_IFACE_CREATOR, "AddTrack",
                                            g_variant_new ("(uh@a{sv})", 0, 0, td_no_options ()),
                                            NULL, G_DBUS_CALL_FLAGS_NONE, td_call_timeout_ms (), list, NULL,
                                            on_reply, holder);
  /* The daemon has dispatched it once it answers a later call of ours
   * on another object. */
  pong = td_call (f->conn, RAWCD_MANAGER_PATH, "org.freedesktop.DBus.Peer", "Ping",
                  NULL, NULL, &error);
  g_assert_no_error (error);
  return p[1];
}

static guint64
peak_rss_kb (TdDaemon *daemon)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", td_daemon_pid (daemon));
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

static gboolean
holder_replied (gpointer data)
{
  return ((Replies *) data)->replies > 0;
}

static void
test_big_waiting_calls (TdFixture *f, gconstpointer data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  g_autofree char *name = g_strnfill (16 * 1024 * 1024, 'n');
  Replies holder = { 0, 0, 0, g_string_new (NULL) };
  Replies r = { 0, 0, 0, g_string_new (NULL) };
  guint64 before, after;
  TdProbe *probe;
  int writer;

  before = peak_rss_kb (f->daemon);
  writer = hold_session (f, creator, &holder);
  probe = td_probe_start ("40 waiting calls of 16 MB");
  for (guint i = 0; i < 40; i++)
    g_dbus_connection_call_with_unix_fd_list (f->conn, RAWCD_BUS_NAME, creator,
                                              RAWCD_IFACE_CREATOR, "GetSideFiles",
                                              g_variant_new ("(ss@a{sv})", "cue", name,
                                                             td_no_options ()),
                                              NULL, G_DBUS_CALL_FLAGS_NONE, td_call_timeout_ms (), NULL, NULL,
                                              on_reply, &r);
  /* At once: they do not wait for the holder. */
  if (!td_wait_until (NULL, all_replied, &r, 60000 * td_slowdown ()))
    g_error ("%u of 40 oversized waiting calls answered (the others wait behind the "
             "holder, keeping their 16 MB each)", r.replies);
  td_probe_stop (probe);
  g_assert_cmpuint (r.limit_exceeded, ==, 40);
  g_assert_nonnull (strstr (r.names->str, "bytes"));
  g_test_message ("refusal: %.200s", r.names->str);

  after = peak_rss_kb (f->daemon);
  g_test_message ("daemon peak RSS: %" G_GUINT64_FORMAT " kB before, %" G_GUINT64_FORMAT
                  " kB after", before, after);
  /* Under valgrind the RSS is valgrind's. */
  if (!td_wrapped ())
    g_assert_cmpuint (after, <, 64 * 1024);

  /* The holder's pipe ends: its AddTrack fails, and is answered. */
  close (writer);
  g_assert_true (td_wait_until (NULL, holder_replied, &holder, 30000 * td_slowdown ()));
  g_string_free (holder.names, TRUE);
  g_string_free (r.names, TRUE);
}

static void
test_waiting_descriptors (TdFixture *f, gconstpointer data)
{
  g_autofree char *creator = td_create_session (f->conn, NULL);
  Replies holder = { 0, 0, 0, g_string_new (NULL) };
  Replies r = { 0, 0, 0, g_string_new (NULL) };
  int writer = hold_session (f, creator, &holder);

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GUnixFDList) list = g_unix_fd_list_new ();
      int p[2];

      /* Pipes at their end: each AddTrack fails quickly once it runs. */
      g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
      close (p[1]);
      g_unix_fd_list_append (list, p[0], NULL);
      close (p[0]);
      g_dbus_connection_call_with_unix_fd_list (f->conn, RAWCD_BUS_NAME, creator,
                                                RAWCD_IFACE_CREATOR, "AddTrack",
                                                g_variant_new ("(uh@a{sv})", 0, 0,
                                                               td_no_options ()),
                                                NULL, G_DBUS_CALL_FLAGS_NONE, td_call_timeout_ms (), list,
                                                NULL, on_reply, &r);
    }
  /* The refusals come at once; 32 (RCD_MAX_PENDING_FDS) wait. */
  td_spin (2000 * td_slowdown ());
  g_assert_cmpuint (r.replies, ==, 8);
  g_assert_cmpuint (r.limit_exceeded, ==, 8);
  g_assert_nonnull (strstr (r.names->str, "descriptors"));

  /* The holder's pipe ends: it fails, and the waiting calls run. */
  close (writer);
  g_assert_true (td_wait_until (NULL, holder_replied, &holder, 30000 * td_slowdown ()));
  g_assert_true (td_wait_until (NULL, all_replied, &r, 60000 * td_slowdown ()));
  g_assert_cmpuint (r.limit_exceeded, ==, 8);
  g_assert_cmpuint (r.other_errors, ==, 32);   /* empty input: UnsupportedAudio */

  g_string_free (holder.names, TRUE);
  g_string_free (r.names, TRUE);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add_args ("/limits/big-waiting-calls", wait_forever, test_big_waiting_calls);
  td_add_args ("/limits/waiting-descriptors", wait_forever, test_waiting_descriptors);
  return td_run ();
}
