/* td.c: the harness of the daemon's integration tests (see td.h): the
 * test program, its private bus, main-loop helpers and file helpers.  The
 * daemon process is in td-daemon.c, calls and jobs in td-calls.c, audio
 * fixtures and reference discs in td-fixtures.c. */
#define _GNU_SOURCE
#include "td.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static GTestDBus *test_bus;
static char *tmpdir;

/* ---- program ---------------------------------------------------------- */

void
td_init (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);
  /* Writing into a pipe whose reader (the daemon) went away must give
   * EPIPE, not kill the test. */
  signal (SIGPIPE, SIG_IGN);

  tmpdir = g_dir_make_tmp ("rawcd-itest-XXXXXX", &error);
  g_assert_no_error (error);

  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      unlink (path);
    }
  rmdir (dir);
}

int
td_run (void)
{
  int ret = g_test_run ();

  g_test_dbus_down (test_bus);
  g_clear_object (&test_bus);
  remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
  return ret;
}

gboolean
td_wrapped (void)
{
  const char *w = g_getenv ("RAWCD_DAEMON_WRAPPER");
  return w != NULL && *w != '\0';
}

guint
td_slowdown (void)
{
  return td_wrapped () ? 20 : 1;
}

const char *
td_tmpdir (void)
{
  return tmpdir;
}

int
td_call_timeout_ms (void)
{
  return 60000 * (int) td_slowdown ();
}

GDBusConnection *
td_connect (GError **error)
{
  return g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (test_bus),
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                 NULL, NULL, error);
}

/* ---- main-context helpers ------------------------------------------------ */

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
td_wait_until (GMainContext *context, gboolean (*func) (gpointer), gpointer data,
               guint timeout_ms)
{
  g_autoptr(GMainContext) ctx = context ? g_main_context_ref (context)
                                        : g_main_context_ref_thread_default ();
  gboolean timed_out = FALSE;
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  /* Wakes the loop now and then, so that a condition that is polled
   * (rather than changed by a callback) is checked again. */
  g_autoptr(GSource) tick = g_timeout_source_new (10);

  g_source_set_callback (timeout, set_flag_cb, &timed_out, NULL);
  g_source_attach (timeout, ctx);
  g_source_set_callback (tick, tick_cb, NULL, NULL);
  g_source_attach (tick, ctx);
  while (!func (data) && !timed_out)
    g_main_context_iteration (ctx, TRUE);
  g_source_destroy (tick);
  g_source_destroy (timeout);
  return func (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
td_spin (guint ms)
{
  td_wait_until (NULL, never, NULL, ms);
}

/* ---- files ------------------------------------------------------------ */

gint64
td_drain (int fd, guint quiet_ms, gboolean *eof)
{
  char buf[65536];
  gint64 total = 0;

  *eof = FALSE;
  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      int r = poll (&pfd, 1, quiet_ms * td_slowdown ());
      gssize n;

      if (r < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (r, >=, 0);
      if (r == 0)
        return total;
      n = read (fd, buf, sizeof buf);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        {
          *eof = TRUE;
          return total;
        }
      total += n;
    }
}

int
td_memfd (const char *name)
{
  int fd = memfd_create (name, MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  return fd;
}

gint64
td_fd_size (int fd)
{
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  return st.st_size;
}

gboolean
td_fds_equal (int a, int b, guint sector_bytes, GError **error)
{
  const gsize chunk = 1 << 20;
  g_autofree guint8 *buf_a = g_malloc (chunk);
  g_autofree guint8 *buf_b = g_malloc (chunk);
  gint64 size_a = td_fd_size (a);
  gint64 size_b = td_fd_size (b);

  if (size_a != size_b)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the images differ in size: %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                   " bytes", size_a, size_b);
      return FALSE;
    }
  for (gint64 off = 0; off < size_a; off += chunk)
    {
      gsize n = MIN ((gint64) chunk, size_a - off);

      if (pread (a, buf_a, n, off) != (gssize) n || pread (b, buf_b, n, off) != (gssize) n)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "short read at %" G_GINT64_FORMAT,
                       off);
          return FALSE;
        }
      if (memcmp (buf_a, buf_b, n) != 0)
        {
          gint64 at = off;
          for (gsize i = 0; i < n && buf_a[i] == buf_b[i]; i++)
            at++;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "the images differ first at byte %" G_GINT64_FORMAT
                       " (sector %" G_GINT64_FORMAT " = LBA %" G_GINT64_FORMAT
                       ", byte %" G_GINT64_FORMAT " of it): %02x vs %02x",
                       at, at / sector_bytes, at / sector_bytes - TD_LEADIN_SECTORS,
                       at % sector_bytes, buf_a[at - off], buf_b[at - off]);
          return FALSE;
        }
    }
  return TRUE;
}

gpointer
td_paced_reader_thread (gpointer data)
{
  TdPacedReader *reader = data;
  g_autofree char *buf = g_malloc (reader->chunk);
  gint64 start = g_get_monotonic_time ();

  for (;;)
    {
      gssize n = read (reader->fd, buf, reader->chunk);
      gint64 due;

      if (n <= 0)
        break;
      reader->total += n;
      due = start + reader->total * G_USEC_PER_SEC / reader->bytes_per_second;
      if (due > g_get_monotonic_time ())
        g_usleep (due - g_get_monotonic_time ());
    }
  close (reader->fd);
  return NULL;
}
