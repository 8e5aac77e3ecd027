/* test-callers.c: the callers' credentials cache (rcd-callers.h) and the
 * owners' access decisions (rcd-owner.h), in process, with no bus: the
 * test answers the queries itself through the cache's query seam. */
#include "rc-error.h"
#include "rcd-callers.h"
#include "rcd-owner.h"

typedef struct {
  GPtrArray *queries;    /* senders asked about, in order */
  gboolean   answer_now; /* answer in the query itself, with uid 1000 */
} Fake;

static void
fake_query (RcdCallers *callers, const char *sender, gpointer user_data)
{
  Fake *fake = user_data;

  g_ptr_array_add (fake->queries, g_strdup (sender));
  if (fake->answer_now)
    rcd_callers_answer (callers, sender, 1000, NULL);
}

typedef struct {
  GString *log;
} Answers;

static void
on_uid (guint32 uid, const GError *error, gpointer user_data)
{
  Answers *a = user_data;

  if (error != NULL)
    g_string_append_printf (a->log, "error %s;",
                            g_error_matches (error, RC_ERROR, RC_ERROR_CANCELLED)
                            ? "cancelled" : "other");
  else
    g_string_append_printf (a->log, "%u;", uid);
}

static void
fake_init (Fake *fake)
{
  fake->queries = g_ptr_array_new_with_free_func (g_free);
  fake->answer_now = FALSE;
}

static void
test_one_query_per_sender (void)
{
  Fake fake;
  g_autoptr(RcdCallers) callers = NULL;
  Answers a = { g_string_new (NULL) };

  fake_init (&fake);
  callers = rcd_callers_new_with_query (fake_query, &fake);
  /* Three waiters for :1.5 and one for :1.6 before any answer. */
  rcd_callers_get_uid (callers, ":1.5", on_uid, &a);
  rcd_callers_get_uid (callers, ":1.5", on_uid, &a);
  rcd_callers_get_uid (callers, ":1.6", on_uid, &a);
  rcd_callers_get_uid (callers, ":1.5", on_uid, &a);
  g_assert_cmpuint (fake.queries->len, ==, 2);
  g_assert_cmpstr (a.log->str, ==, "");

  /* Answered in the order they asked. */
  rcd_callers_answer (callers, ":1.6", 2000, NULL);
  rcd_callers_answer (callers, ":1.5", 1000, NULL);
  g_assert_cmpstr (a.log->str, ==, "2000;1000;1000;1000;");
  g_assert_cmpuint (rcd_callers_get_n_cached (callers), ==, 2);

  /* Cached: at once, no new query. */
  rcd_callers_get_uid (callers, ":1.5", on_uid, &a);
  g_assert_cmpstr (a.log->str, ==, "2000;1000;1000;1000;1000;");
  g_assert_cmpuint (fake.queries->len, ==, 2);

  /* An answer nobody waits for is ignored. */
  rcd_callers_answer (callers, ":1.99", 5, NULL);
  g_assert_cmpuint (rcd_callers_get_n_cached (callers), ==, 2);

  g_ptr_array_unref (fake.queries);
  g_string_free (a.log, TRUE);
}

static void
test_errors_not_cached (void)
{
  Fake fake;
  g_autoptr(RcdCallers) callers = NULL;
  g_autoptr(GError) error = g_error_new_literal (RC_ERROR, RC_ERROR_FAILED, "no such name");
  Answers a = { g_string_new (NULL) };

  fake_init (&fake);
  callers = rcd_callers_new_with_query (fake_query, &fake);
  rcd_callers_get_uid (callers, ":1.7", on_uid, &a);
  rcd_callers_answer (callers, ":1.7", 0, error);
  g_assert_cmpstr (a.log->str, ==, "error other;");
  g_assert_cmpuint (rcd_callers_get_n_cached (callers), ==, 0);
  /* Asked again next time. */
  rcd_callers_get_uid (callers, ":1.7", on_uid, &a);
  g_assert_cmpuint (fake.queries->len, ==, 2);
  rcd_callers_answer (callers, ":1.7", 42, NULL);
  g_assert_cmpstr (a.log->str, ==, "error other;42;");

  g_ptr_array_unref (fake.queries);
  g_string_free (a.log, TRUE);
}

static void
test_close (void)
{
  Fake fake;
  g_autoptr(RcdCallers) callers = NULL;
  Answers a = { g_string_new (NULL) };

  fake_init (&fake);
  callers = rcd_callers_new_with_query (fake_query, &fake);
  rcd_callers_get_uid (callers, ":1.8", on_uid, &a);
  rcd_callers_get_uid (callers, ":1.9", on_uid, &a);
  rcd_callers_close (callers);
  g_assert_cmpstr (a.log->str, ==, "error cancelled;error cancelled;");
  /* A late answer changes nothing; a later call fails at once. */
  rcd_callers_answer (callers, ":1.8", 1000, NULL);
  rcd_callers_get_uid (callers, ":1.8", on_uid, &a);
  g_assert_cmpstr (a.log->str, ==, "error cancelled;error cancelled;error cancelled;");
  g_assert_cmpuint (fake.queries->len, ==, 2);

  g_ptr_array_unref (fake.queries);
  g_string_free (a.log, TRUE);
}

static void
test_cache_forgets_oldest (void)
{
  Fake fake;
  g_autoptr(RcdCallers) callers = NULL;
  Answers a = { g_string_new (NULL) };

  fake_init (&fake);
  fake.answer_now = TRUE;
  callers = rcd_callers_new_with_query (fake_query, &fake);
  for (guint i = 0; i <= RCD_CALLERS_CACHE_SIZE; i++)
    {
      g_autofree char *sender = g_strdup_printf (":1.%u", i);

      rcd_callers_get_uid (callers, sender, on_uid, &a);
    }
  g_assert_cmpuint (rcd_callers_get_n_cached (callers), ==, RCD_CALLERS_CACHE_SIZE);
  g_assert_cmpuint (fake.queries->len, ==, RCD_CALLERS_CACHE_SIZE + 1);
  /* :1.0 was forgotten (asked again); :1.512 was not. */
  rcd_callers_get_uid (callers, ":1.512", on_uid, &a);
  g_assert_cmpuint (fake.queries->len, ==, RCD_CALLERS_CACHE_SIZE + 1);
  rcd_callers_get_uid (callers, ":1.0", on_uid, &a);
  g_assert_cmpuint (fake.queries->len, ==, RCD_CALLERS_CACHE_SIZE + 2);

  g_ptr_array_unref (fake.queries);
  g_string_free (a.log, TRUE);
}

/* --- owners ----------------------------------------------------------------- */

static void
on_checked (gboolean allowed, const GError *error, gpointer user_data)
{
  Answers *a = user_data;

  g_string_append (a->log, error != NULL ? "error;" : allowed ? "yes;" : "no;");
}

static void
test_owner_check (void)
{
  Fake fake;
  g_autoptr(RcdCallers) callers = NULL;
  g_autoptr(RcdOwner) conn_owner = rcd_owner_new (":1.1", 1000, FALSE);
  g_autoptr(RcdOwner) uid_owner = rcd_owner_new (":1.1", 1000, TRUE);
  Answers a = { g_string_new (NULL) };

  fake_init (&fake);
  callers = rcd_callers_new_with_query (fake_query, &fake);

  /* The creating connection: at once, without a query. */
  rcd_owner_check (conn_owner, callers, ":1.1", on_checked, &a);
  rcd_owner_check (uid_owner, callers, ":1.1", on_checked, &a);
  /* Another connection of a connection's session: no, whatever its uid. */
  rcd_owner_check (conn_owner, callers, ":1.2", on_checked, &a);
  g_assert_cmpstr (a.log->str, ==, "yes;yes;no;");
  g_assert_cmpuint (fake.queries->len, ==, 0);

  /* A persistent session: the uid decides, once the bus has told it. */
  rcd_owner_check (uid_owner, callers, ":1.2", on_checked, &a);
  rcd_owner_check (uid_owner, callers, ":1.3", on_checked, &a);
  g_assert_cmpstr (a.log->str, ==, "yes;yes;no;");
  rcd_callers_answer (callers, ":1.3", 65534, NULL);
  rcd_callers_answer (callers, ":1.2", 1000, NULL);
  g_assert_cmpstr (a.log->str, ==, "yes;yes;no;no;yes;");

  g_ptr_array_unref (fake.queries);
  g_string_free (a.log, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/callers/one-query-per-sender", test_one_query_per_sender);
  g_test_add_func ("/callers/errors-not-cached", test_errors_not_cached);
  g_test_add_func ("/callers/close", test_close);
  g_test_add_func ("/callers/cache-forgets-oldest", test_cache_forgets_oldest);
  g_test_add_func ("/callers/owner-check", test_owner_check);
  return g_test_run ();
}
