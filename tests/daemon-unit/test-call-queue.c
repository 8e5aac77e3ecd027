/* test-call-queue.c: the per-session call queue (rcd-call-queue.h), in
 * process, with no bus: order, holds, the limit and closing. */
#include "rcd-call-queue.h"
#include "rcd-error.h"

typedef struct {
  GString *log;        /* what happened, in order */
  RcdCallQueue *queue;
  guint hold_on;       /* dispatching this item takes a hold */
} Trace;

static Trace trace;

/* Items are small integers (GUINT_TO_POINTER). */
static void
item_dispatch (gpointer item)
{
  guint n = GPOINTER_TO_UINT (item);

  g_string_append_printf (trace.log, "run %u;", n);
  if (n == trace.hold_on)
    rcd_call_queue_hold (trace.queue);
}

static void
item_fail (gpointer item, GQuark domain, gint code, const char *message)
{
  const char *name = rcd_error_name (domain, code);

  g_assert_nonnull (name);
  g_assert_cmpstr (message, !=, "");
  g_string_append_printf (trace.log, "fail %u %s;", GPOINTER_TO_UINT (item), name);
}

static void
setup_with (const RcdCallQueueLimits *limits)
{
  trace.log = g_string_new (NULL);
  trace.queue = rcd_call_queue_new (limits, item_dispatch, item_fail);
  trace.hold_on = 0;
}

static void
setup (guint max_waiting)
{
  setup_with (&(RcdCallQueueLimits) { max_waiting, G_MAXUINT64, G_MAXUINT, NULL, 0 });
}

static char *
teardown (void)
{
  g_clear_pointer (&trace.queue, rcd_call_queue_unref);
  return g_string_free (g_steal_pointer (&trace.log), FALSE);
}

static void
test_at_once (void)
{
  g_autofree char *log = NULL;

  setup (4);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (1), 0, 0);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (2), 0, 0);
  g_assert_cmpuint (rcd_call_queue_get_n_waiting (trace.queue), ==, 0);
  log = teardown ();
  g_assert_cmpstr (log, ==, "run 1;run 2;");
}

static void
test_hold_keeps_order (void)
{
  g_autofree char *log = NULL;

  setup (4);
  trace.hold_on = 1;
  /* 1 takes a hold (a header read on a worker): 2 and 3 wait for it. */
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (1), 0, 0);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (2), 0, 0);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (3), 0, 0);
  g_assert_cmpstr (trace.log->str, ==, "run 1;");
  g_assert_cmpuint (rcd_call_queue_get_n_waiting (trace.queue), ==, 2);
  rcd_call_queue_release (trace.queue);
  log = teardown ();
  g_assert_cmpstr (log, ==, "run 1;run 2;run 3;");
}

static void
test_limit (void)
{
  g_autofree char *log = NULL;

  setup (2);
  trace.hold_on = 1;
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (1), 0, 0);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (2), 0, 0);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (3), 0, 0);
  /* Two wait: the third is refused at once, by name. */
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (4), 0, 0);
  g_assert_cmpstr (trace.log->str, ==, "run 1;fail 4 LimitExceeded;");
  rcd_call_queue_release (trace.queue);
  log = teardown ();
  g_assert_cmpstr (log, ==, "run 1;fail 4 LimitExceeded;run 2;run 3;");
}

static void
test_close (void)
{
  g_autofree char *log = NULL;

  setup (4);
  trace.hold_on = 1;
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (1), 0, 0);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (2), 0, 0);
  rcd_call_queue_close (trace.queue, "the session was closed");
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (3), 0, 0);
  /* The holder finishing later dispatches nothing more. */
  rcd_call_queue_release (trace.queue);
  log = teardown ();
  g_assert_cmpstr (log, ==, "run 1;fail 2 Cancelled;fail 3 Cancelled;");
}

/* A dispatched item that pushes another (a handler completing a call
 * that lets the next through) does not run it inside itself. */
static guint nested_depth, nested_max;

static void
nested_dispatch (gpointer item)
{
  nested_depth++;
  nested_max = MAX (nested_max, nested_depth);
  g_string_append_printf (trace.log, "run %u;", GPOINTER_TO_UINT (item));
  if (GPOINTER_TO_UINT (item) < 5)
    rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (GPOINTER_TO_UINT (item) + 1), 0, 0);
  nested_depth--;
}

static void
test_no_recursion (void)
{
  g_autofree char *log = NULL;

  trace.log = g_string_new (NULL);
  trace.queue = rcd_call_queue_new (&(RcdCallQueueLimits) { 4, G_MAXUINT64, G_MAXUINT, NULL, 0 },
                                    nested_dispatch, item_fail);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (1), 0, 0);
  log = teardown ();
  g_assert_cmpstr (log, ==, "run 1;run 2;run 3;run 4;run 5;");
  g_assert_cmpuint (nested_max, ==, 1);
}

static void
test_bytes_and_fds (void)
{
  g_autofree char *log = NULL;

  /* At most 1000 bytes and 2 descriptors waiting in the session. */
  setup_with (&(RcdCallQueueLimits) { 64, 1000, 2, NULL, 0 });
  trace.hold_on = 1;
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (1), 5000, 5);  /* runs: holds nothing */
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (2), 600, 1);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (3), 600, 0);   /* 1200 bytes: no */
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (4), 400, 1);
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (5), 0, 1);     /* 3 descriptors: no */
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (6), 0, 0);
  g_assert_cmpstr (trace.log->str, ==,
                   "run 1;fail 3 LimitExceeded;fail 5 LimitExceeded;");
  rcd_call_queue_release (trace.queue);
  /* What they held is free again. */
  rcd_call_queue_push (trace.queue, GUINT_TO_POINTER (7), 1000, 2);
  log = teardown ();
  g_assert_cmpstr (log, ==, "run 1;fail 3 LimitExceeded;fail 5 LimitExceeded;"
                   "run 2;run 4;run 6;run 7;");
}

static void
test_uid_budget (void)
{
  RcdCallBudget *budget = rcd_call_budget_new (1500, 3);
  RcdCallQueue *a, *b, *other;
  guint64 bytes;
  guint fds;

  trace.log = g_string_new (NULL);
  trace.hold_on = 0;
  /* Two sessions of uid 1000 and one of uid 2000, each allowing 1000
   * bytes; uid 1000 may hold 1500 in all. */
  a = rcd_call_queue_new (&(RcdCallQueueLimits) { 64, 1000, 8, budget, 1000 },
                          item_dispatch, item_fail);
  b = rcd_call_queue_new (&(RcdCallQueueLimits) { 64, 1000, 8, budget, 1000 },
                          item_dispatch, item_fail);
  other = rcd_call_queue_new (&(RcdCallQueueLimits) { 64, 1000, 8, budget, 2000 },
                              item_dispatch, item_fail);
  rcd_call_queue_hold (a);
  rcd_call_queue_hold (b);
  rcd_call_queue_hold (other);
  rcd_call_queue_push (a, GUINT_TO_POINTER (1), 900, 1);
  rcd_call_queue_push (b, GUINT_TO_POINTER (2), 900, 1);    /* 1800 for uid 1000: no */
  rcd_call_queue_push (b, GUINT_TO_POINTER (3), 500, 2);
  rcd_call_queue_push (b, GUINT_TO_POINTER (4), 0, 1);      /* 4 descriptors: no */
  rcd_call_queue_push (other, GUINT_TO_POINTER (5), 900, 1); /* another uid's own budget */
  g_assert_cmpstr (trace.log->str, ==, "fail 2 LimitExceeded;fail 4 LimitExceeded;");
  rcd_call_budget_get (budget, 1000, &bytes, &fds);
  g_assert_cmpuint (bytes, ==, 1400);
  g_assert_cmpuint (fds, ==, 3);

  /* Closing a session gives its share back. */
  rcd_call_queue_close (a, "closed");
  rcd_call_budget_get (budget, 1000, &bytes, &fds);
  g_assert_cmpuint (bytes, ==, 500);
  g_assert_cmpuint (fds, ==, 2);
  rcd_call_queue_release (b);
  rcd_call_queue_release (other);
  rcd_call_budget_get (budget, 1000, &bytes, &fds);
  g_assert_cmpuint (bytes + fds, ==, 0);
  g_assert_cmpstr (trace.log->str, ==, "fail 2 LimitExceeded;fail 4 LimitExceeded;"
                   "fail 1 Cancelled;run 3;run 5;");

  rcd_call_queue_unref (a);
  rcd_call_queue_unref (b);
  rcd_call_queue_unref (other);
  rcd_call_budget_free (budget);
  g_string_free (trace.log, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  rcd_error_register ();
  g_test_add_func ("/call-queue/at-once", test_at_once);
  g_test_add_func ("/call-queue/hold-keeps-order", test_hold_keeps_order);
  g_test_add_func ("/call-queue/limit", test_limit);
  g_test_add_func ("/call-queue/close", test_close);
  g_test_add_func ("/call-queue/no-recursion", test_no_recursion);
  g_test_add_func ("/call-queue/bytes-and-fds", test_bytes_and_fds);
  g_test_add_func ("/call-queue/uid-budget", test_uid_budget);
  return g_test_run ();
}
