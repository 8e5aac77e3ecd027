/* test-job-rate.c: a job's Rate and ExpectedEndTime say something true.
 *
 * A job's output pipe is drained by a thread at a bounded rate, so that the
 * job lasts a few seconds, and the client samples the job's properties
 * every 50 ms.  Checked against what the client sees for itself:
 *
 * - Rate and ExpectedEndTime are 0 in the first second after the client
 *   asked for the image (the job cannot have written for a second yet);
 * - later, Rate is within a factor 2 of how fast the client sees
 *   BytesWritten grow over the same few seconds, and ExpectedEndTime lies
 *   ahead, within a factor 3 of what that growth predicts (while that is a
 *   second or more);
 * - a short job (to a memfd) ends with a Rate no lower than half its
 *   bytes over the whole time the client waited, and not absurd (the
 *   service once reported 1.8 TB/s for one).
 *
 * Rates compare with rates measured in the same run, never with a fixed
 * speed: the test holds on a slow or loaded machine and under valgrind.
 */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <unistd.h>

typedef struct {
  gint64  time;        /* monotonic µs since CreateResultImage was sent */
  gint64  now_real;    /* wall clock µs when read */
  guint64 rate;
  guint64 end_time;
  guint64 bytes;
  gboolean running;
} Sample;

/* One GetAll: the values belong together, and one call keeps the
 * samples dense under valgrind. */
static Sample
sample_job (GDBusConnection *c, const char *job, gint64 sent)
{
  Sample s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) props = NULL;
  const char *state = NULL;

  reply = td_call (c, job, "org.freedesktop.DBus.Properties", "GetAll",
                   g_variant_new ("(s)", RAWCD_IFACE_JOB), G_VARIANT_TYPE ("(a{sv})"), &error);
  g_assert_no_error (error);
  s.time = g_get_monotonic_time () - sent;
  s.now_real = g_get_real_time ();
  props = g_variant_get_child_value (reply, 0);
  g_assert_true (g_variant_lookup (props, "Rate", "t", &s.rate));
  g_assert_true (g_variant_lookup (props, "ExpectedEndTime", "t", &s.end_time));
  g_assert_true (g_variant_lookup (props, "BytesWritten", "t", &s.bytes));
  g_assert_true (g_variant_lookup (props, "State", "&s", &state));
  s.running = g_strcmp0 (state, "running") == 0;
  return s;
}

static void
test_rate_of_a_paced_job (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autofree char *session = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  TdPacedReader reader = { -1, 256 << 10, 16 << 20, 0 };
  GThread *thread;
  gboolean success = FALSE;
  guint early_running = 0, measured = 0, predicted = 0;
  gint64 sent;
  int out[2];

  g_assert_cmpint (td_add_track (c, session, td_audio ("a.wav"), NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (pipe2 (out, O_CLOEXEC), ==, 0);
  sent = g_get_monotonic_time ();
  job = td_create_result_image (c, session, out[1], &error);
  g_assert_no_error (error);
  close (out[1]);
  reader.fd = out[0];
  thread = g_thread_new ("reader", td_paced_reader_thread, &reader);

  while (td_job_watch_count (watch, job) == 0)
    {
      Sample s = sample_job (c, job, sent);

      g_array_append_val (samples, s);
      td_spin (50);
    }
  g_assert_true (td_job_watch_wait (watch, job, 300, &success, &message));
  g_assert_true (success);
  g_thread_join (thread);

  for (guint i = 0; i < samples->len; i++)
    {
      const Sample *s = &g_array_index (samples, Sample, i);
      const Sample *back = NULL;
      gdouble seen, eta_seen, eta;

      if (s->time < G_USEC_PER_SEC)
        {
          /* whatever the job did, it has not written for a second */
          g_assert_cmpuint (s->rate, ==, 0);
          g_assert_cmpuint (s->end_time, ==, 0);
          early_running += s->running && s->bytes > 0;
          continue;
        }
      if (!s->running || s->rate == 0)
        continue;
      /* the client's own measure: BytesWritten over the last 2 to 5 s */
      for (guint j = 0; j < i; j++)
        {
          const Sample *b = &g_array_index (samples, Sample, j);

          if (s->time - b->time <= 5 * G_USEC_PER_SEC && s->time - b->time >= 2 * G_USEC_PER_SEC
              && b->running)
            {
              back = b;
              break;
            }
        }
      if (back == NULL || s->bytes <= back->bytes)
        continue;
      seen = (gdouble) (s->bytes - back->bytes) * G_USEC_PER_SEC / (gdouble) (s->time - back->time);
      g_test_message ("at %.2f s: Rate %" G_GUINT64_FORMAT " B/s, the client sees %.0f B/s",
                      s->time / 1e6, s->rate, seen);
      g_assert_cmpfloat ((gdouble) s->rate, >=, seen / 2);
      g_assert_cmpfloat ((gdouble) s->rate, <=, seen * 2);
      g_assert_cmpuint (s->end_time, >, 0);
      eta = (gdouble) ((gint64) s->end_time - s->now_real);
      eta_seen = (gdouble) (reader.total - (gint64) s->bytes) * G_USEC_PER_SEC / seen;
      g_test_message ("  ends in %.2f s by ExpectedEndTime, %.2f s by the client's rate",
                      eta / 1e6, eta_seen / 1e6);
      measured++;
      /* in its last second, a job's end is near either way: the two
       * guesses differ by the pipe's buffer and a sample's age */
      if (eta_seen < G_USEC_PER_SEC)
        continue;
      g_assert_cmpfloat (eta, >=, eta_seen / 3);
      g_assert_cmpfloat (eta, <=, eta_seen * 3);
      predicted++;
    }
  g_test_message ("%u samples, %u running with bytes in the first second, %u measured, "
                  "%u predicted", samples->len, early_running, measured, predicted);
  /* the checks above happened, or the test proves nothing */
  g_assert_cmpuint (early_running, >, 0);
  g_assert_cmpuint (measured, >, 0);
  g_assert_cmpuint (predicted, >, 0);
}

static void
test_rate_of_a_short_job (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  g_autofree char *session = td_create_session (c, NULL);
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  gboolean success = FALSE;
  int out = td_memfd ("image");
  guint64 rate, bytes;
  gint64 sent, waited;

  g_assert_cmpint (td_add_track (c, session, td_audio ("e5.wav"), NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  sent = g_get_monotonic_time ();
  job = td_create_result_image (c, session, out, &error);
  g_assert_no_error (error);
  g_assert_true (td_job_watch_wait (watch, job, 300, &success, &message));
  waited = g_get_monotonic_time () - sent;
  g_assert_true (success);
  rate = td_get_t (c, job, RAWCD_IFACE_JOB, "Rate");
  bytes = td_get_t (c, job, RAWCD_IFACE_JOB, "BytesWritten");
  g_test_message ("%" G_GUINT64_FORMAT " bytes in %.3f s as the client waited; Rate %"
                  G_GUINT64_FORMAT " B/s", bytes, waited / 1e6, rate);
  g_assert_cmpuint (bytes, ==, (guint64) td_fd_size (out));
  /* the job wrote within the client's wait: its rate is about this or
   * more (half: the last few seconds' rate of a job slowed by valgrind
   * may be a little under its average); 0 would say nothing */
  g_assert_cmpfloat ((gdouble) rate, >=, (gdouble) bytes * G_USEC_PER_SEC / (gdouble) waited / 2);
  /* and no more than memory bandwidth: 1.8 TB/s was a rate over nothing */
  g_assert_cmpuint (rate, <, G_GUINT64_CONSTANT (100) << 30);
  close (out);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/job-rate/paced-job", test_rate_of_a_paced_job);
  td_add ("/daemon/job-rate/short-job", test_rate_of_a_short_job);
  return td_run ();
}
