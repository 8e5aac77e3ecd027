/* test-concurrency.c: 8 clients (8 connections, 8 threads) build 8
 * different discs at once; every image must equal the engine's own image of
 * the same disc, byte for byte.  More jobs than --max-jobs (4 by default)
 * exist at once, so some of them wait their turn.
 */
#define _GNU_SOURCE
#include "td.h"

#include <string.h>
#include <unistd.h>

#define N_CLIENTS 8

typedef struct {
  const TdDiscSpec *spec;
  guint             sector_bytes;
  GMutex           *lock;
  GCond            *cond;
  guint            *ready;
  /* results */
  char             *failure;
  int               out;
  guint64           bytes_written;
  guint64           total_sectors;
  char             *state;
} Client;

static const TdDiscSpec specs[N_CLIENTS] = {
  { .n_tracks = 2, .tracks = { TD_TRACK ("a.wav"), TD_TRACK ("b.flac") } },
  { .image_type = 1, .disable_gapless = TRUE, .n_tracks = 2,
    .tracks = { TD_TRACK ("c.wav"), TD_TRACK ("e5.wav") } },
  { .image_type = 2, .mcn = "0012345678905", .n_tracks = 2,
    .tracks = { { .audio = "e5.wav", .isrc = "USS1Z9900001", .copy = -1, .preemphasis = -1 },
                TD_TRACK ("a.wav") } },
  { .starting_track = 10, .n_tracks = 2, .tracks = { TD_TRACK ("mono.wav"), TD_TRACK ("c.wav") } },
  { .special_pregap = "e5.wav", .n_tracks = 1, .tracks = { TD_TRACK ("a.wav") } },
  { .n_tracks = 2,
    .tracks = { { .audio = "a.raw", .raw = TRUE, .copy = 2, .preemphasis = -1 },
                TD_TRACK ("b.flac") } },
  { .n_tracks = 1,
    .tracks = { { .audio = "d20.wav", .copy = -1, .preemphasis = -1, .n_indexes = 3,
                  .indexes = { 100, 700, 1200 } } } },
  { .image_type = 1, .n_tracks = 3,
    .tracks = { { .audio = "b.flac", .copy = 1, .preemphasis = 1 },
                TD_TRACK ("c.wav"), TD_TRACK ("e5.wav") } },
};

/* Everything a client does; returns what went wrong, or NULL */
static char *
client_run (Client *client, GDBusConnection *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TdJobWatch) watch = NULL;
  g_autofree char *creator = NULL;
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  gboolean success = FALSE;

  creator = td_spec_create (conn, client->spec, &error);
  if (creator == NULL)
    return g_strdup_printf ("building the disc: %s", error->message);
  watch = td_job_watch_new (conn);
  client->out = td_memfd ("out");
  job = td_create_result_image (conn, creator, client->out, &error);
  if (job == NULL)
    return g_strdup_printf ("CreateResultImage: %s", error->message);
  if (!td_job_watch_wait (watch, job, 300, &success, &message))
    return g_strdup_printf ("%s did not complete", job);
  if (!success)
    return g_strdup_printf ("%s failed: %s", job, message);
  client->state = td_get_s (conn, job, RAWCD_IFACE_JOB, "State");
  client->bytes_written = td_get_t (conn, job, RAWCD_IFACE_JOB, "BytesWritten");
  client->total_sectors = td_get_t (conn, job, RAWCD_IFACE_JOB, "TotalSectors");
  return NULL;
}

static gpointer
client_thread (gpointer data)
{
  Client *client = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) conn = NULL;

  g_main_context_push_thread_default (context);
  conn = td_connect (&error);
  g_assert_no_error (error);

  /* All connected, then all start at once */
  g_mutex_lock (client->lock);
  (*client->ready)++;
  g_cond_broadcast (client->cond);
  while (*client->ready < N_CLIENTS)
    g_cond_wait (client->cond, client->lock);
  g_mutex_unlock (client->lock);

  client->failure = client_run (client, conn);
  g_dbus_connection_close_sync (conn, NULL, NULL);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static const char *const limits[] = { "--max-sessions-per-user", "16", NULL };

static void
test_eight_clients (TdFixture *f, gconstpointer data)
{
  Client clients[N_CLIENTS];
  GThread *threads[N_CLIENTS];
  GMutex lock;
  GCond cond;
  guint ready = 0;

  g_mutex_init (&lock);
  g_cond_init (&cond);
  /* Make the fixtures before the clients need them */
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      if (specs[i].special_pregap != NULL)
        td_audio (specs[i].special_pregap);
      for (guint k = 0; k < specs[i].n_tracks; k++)
        td_audio (specs[i].tracks[k].audio);
    }

  for (guint i = 0; i < N_CLIENTS; i++)
    {
      clients[i] = (Client) {
        .spec = &specs[i],
        .sector_bytes = specs[i].image_type == 1 ? 2368 : 2448,
        .lock = &lock, .cond = &cond, .ready = &ready, .out = -1,
      };
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (guint i = 0; i < N_CLIENTS; i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_autoptr(GError) error = NULL;
      gint leadout;
      guint64 sectors;
      int ref;

      if (clients[i].failure != NULL)
        g_error ("client %u: %s", i, clients[i].failure);
      leadout = td_spec_reference_leadout (&specs[i]);
      sectors = 22650 + leadout + 6750;
      g_test_message ("client %u: %" G_GUINT64_FORMAT " sectors", i, sectors);
      g_assert_cmpstr (clients[i].state, ==, "succeeded");
      g_assert_cmpuint (clients[i].total_sectors, ==, sectors);
      g_assert_cmpuint (clients[i].bytes_written, ==, sectors * clients[i].sector_bytes);
      ref = td_spec_reference (&specs[i], &error);
      g_assert_no_error (error);
      td_assert_fds_equal (clients[i].out, ref, clients[i].sector_bytes);
      close (ref);
      close (clients[i].out);
      g_free (clients[i].state);
    }
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
  td_daemon_assert_alive (f->daemon);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add_args ("/daemon/concurrency/eight-clients", limits, test_eight_clients);
  return td_run ();
}
