/* test-inspect-queue.c: the fair shares of the inspection workers
 * (daemon/rcd-inspect-queue.c), in process, no bus. */
#include "rcd-inspect-queue.h"

#define A 1000
#define B 65534

static guint32 got_uid;

static gpointer
next (RcdInspectQueue *q)
{
  return rcd_inspect_queue_next (q, &got_uid);
}

/* Four workers, two per uid: uid A's four requests take two workers; B's,
 * made after them, starts on the third at once. */
static void
test_second_uid_not_starved (void)
{
  g_autoptr(RcdInspectQueue) q = rcd_inspect_queue_new (4, 2);
  int a[4], b[1];

  for (guint i = 0; i < 4; i++)
    rcd_inspect_queue_push (q, A, &a[i]);
  g_assert_true (next (q) == &a[0]);
  g_assert_true (next (q) == &a[1]);
  g_assert_null (next (q));           /* A has its share; nothing else waits */
  rcd_inspect_queue_push (q, B, &b[0]);
  g_assert_true (next (q) == &b[0]);
  g_assert_cmpuint (got_uid, ==, B);
  g_assert_null (next (q));
  g_assert_cmpuint (rcd_inspect_queue_running (q, A), ==, 2);
  g_assert_cmpuint (rcd_inspect_queue_waiting (q), ==, 2);
  /* one of A's ends: its next one runs */
  rcd_inspect_queue_done (q, A);
  g_assert_true (next (q) == &a[2]);
  g_assert_null (next (q));
}

/* Waiting work runs in the order it came, across uids, and never more
 * than max at once. */
static void
test_order_and_total (void)
{
  g_autoptr(RcdInspectQueue) q = rcd_inspect_queue_new (2, 2);
  int x[4];

  rcd_inspect_queue_push (q, A, &x[0]);
  rcd_inspect_queue_push (q, B, &x[1]);
  rcd_inspect_queue_push (q, A, &x[2]);
  rcd_inspect_queue_push (q, B, &x[3]);
  g_assert_true (next (q) == &x[0]);
  g_assert_true (next (q) == &x[1]);
  g_assert_null (next (q));
  rcd_inspect_queue_done (q, B);
  g_assert_true (next (q) == &x[2]);
  rcd_inspect_queue_done (q, A);
  g_assert_true (next (q) == &x[3]);
  g_assert_cmpuint (rcd_inspect_queue_waiting (q), ==, 0);
}

/* A caller that leaves takes its waiting work out; running work is not in
 * the queue. */
static void
test_remove (void)
{
  g_autoptr(RcdInspectQueue) q = rcd_inspect_queue_new (1, 1);
  int x[3];

  rcd_inspect_queue_push (q, A, &x[0]);
  rcd_inspect_queue_push (q, A, &x[1]);
  rcd_inspect_queue_push (q, B, &x[2]);
  g_assert_true (next (q) == &x[0]);
  g_assert_false (rcd_inspect_queue_remove (q, &x[0]));
  g_assert_true (rcd_inspect_queue_remove (q, &x[1]));
  g_assert_false (rcd_inspect_queue_remove (q, &x[1]));
  rcd_inspect_queue_done (q, A);
  g_assert_true (next (q) == &x[2]);
  g_assert_cmpuint (rcd_inspect_queue_running (q, A), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inspect-queue/second-uid-not-starved", test_second_uid_not_starved);
  g_test_add_func ("/inspect-queue/order-and-total", test_order_and_total);
  g_test_add_func ("/inspect-queue/remove", test_remove);
  return g_test_run ();
}
