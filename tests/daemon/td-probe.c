/* td-probe.c: a third client's property reads while a test attacks the
 * daemon (td.h, "the probe").
 *
 * A thread of its own with a connection of its own reads the Manager's
 * Version (the cheapest read there is: what it measures is the daemon's
 * main loop, not any work) every 20 ms, with a blocking call, so that the
 * test's own main context plays no part in the figures.
 */
#include "td.h"

#include <stdlib.h>

#define PROBE_INTERVAL_US 20000

struct _TdProbe {
  char    *what;
  GThread *thread;
  gint     stop;
  gint     count;       /* reads so far, for td_probe_count() */
  GArray  *latencies;   /* gint64 µs */
  guint    errors;
  char    *first_error;
};

static gpointer
probe_thread (gpointer data)
{
  TdProbe *probe = data;
  g_autoptr(GError) connect_error = NULL;
  g_autoptr(GDBusConnection) conn = td_connect (&connect_error);

  if (conn == NULL)
    {
      probe->errors++;
      probe->first_error = g_strdup (connect_error->message);
      return NULL;
    }
  while (!g_atomic_int_get (&probe->stop))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 took;

      reply = g_dbus_connection_call_sync (conn, RAWCD_BUS_NAME, RAWCD_MANAGER_PATH,
                                           "org.freedesktop.DBus.Properties", "Get",
                                           g_variant_new ("(ss)", RAWCD_IFACE_MANAGER, "Version"),
                                           G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                           td_call_timeout_ms (), NULL, &error);
      took = g_get_monotonic_time () - start;
      if (reply != NULL)
        {
          g_array_append_val (probe->latencies, took);
          g_atomic_int_inc (&probe->count);
        }
      else if (probe->errors++ == 0)
        probe->first_error = g_strdup (error->message);
      g_usleep (PROBE_INTERVAL_US);
    }
  return NULL;
}

TdProbe *
td_probe_start (const char *what)
{
  TdProbe *probe = g_new0 (TdProbe, 1);

  probe->what = g_strdup (what);
  probe->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe->thread = g_thread_new ("probe", probe_thread, probe);
  return probe;
}

guint
td_probe_count (TdProbe *probe)
{
  return (guint) g_atomic_int_get (&probe->count);
}

gboolean
td_probe_wants_more (TdProbe *probe, gint64 since)
{
  return td_probe_count (probe) < TD_PROBE_ENOUGH_READS
         && g_get_monotonic_time () - since < 30 * G_USEC_PER_SEC * (gint64) td_slowdown ();
}

static int
compare_gint64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The nearest-rank percentile p (0..100) of sorted values, in ms. */
static double
percentile_ms (const GArray *sorted, guint p)
{
  guint rank = (sorted->len * p + 99) / 100;

  return g_array_index (sorted, gint64, MAX (rank, 1) - 1) / 1000.0;
}

void
td_probe_stop (TdProbe *probe)
{
  if (probe == NULL)
    return;
  g_atomic_int_set (&probe->stop, 1);
  g_thread_join (probe->thread);
  if (probe->latencies->len == 0)
    g_test_message ("no reads measured during %s", probe->what);
  else
    {
      qsort (probe->latencies->data, probe->latencies->len, sizeof (gint64), compare_gint64);
      g_test_message ("p50=%.2f ms p99=%.2f ms (%u reads%s) during %s",
                      percentile_ms (probe->latencies, 50), percentile_ms (probe->latencies, 99),
                      probe->latencies->len, probe->errors > 0 ? ", some failed" : "", probe->what);
    }
  if (probe->errors > 0)
    g_test_message ("%u reads failed, the first: %s", probe->errors, probe->first_error);
  g_array_unref (probe->latencies);
  g_free (probe->first_error);
  g_free (probe->what);
  g_free (probe);
}
