/* rcd-callers.c: callers' uids, from the bus or a test's answers
 * (rcd-callers.h). */
#include "rcd-callers.h"

#include "rc-error.h"

struct _RcdCallers {
  grefcount           ref;
  RcdCallersQueryFunc query;
  gpointer            query_data;
  GDBusConnection    *connection;  /* the bus query's, or NULL */
  GCancellable       *cancellable;
  GHashTable         *uids;      /* unique name -> GUINT_TO_POINTER (uid) */
  GQueue              order;     /* the keys of uids, oldest first */
  GHashTable         *lookups;   /* unique name -> GQueue of Waiter */
  gboolean            closed;
};

typedef struct {
  RcdCallerFunc func;
  gpointer      user_data;
} Waiter;

/* A bus query in flight. */
typedef struct {
  RcdCallers *callers;
  char       *sender;
} BusQuery;

static guint n_pending;

static void
waiters_free (gpointer data)
{
  GQueue *waiters = data;

  g_assert (g_queue_is_empty (waiters));
  g_queue_free (waiters);
}

static RcdCallers *
callers_new (RcdCallersQueryFunc query, gpointer query_data)
{
  RcdCallers *callers = g_new0 (RcdCallers, 1);

  g_ref_count_init (&callers->ref);
  callers->query = query;
  callers->query_data = query_data;
  callers->cancellable = g_cancellable_new ();
  callers->uids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&callers->order);
  callers->lookups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, waiters_free);
  return callers;
}

/* --- the bus query ------------------------------------------------------- */

static void
on_credentials (GObject *source, GAsyncResult *result, gpointer user_data)
{
  BusQuery *q = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) creds = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uid = 0;

  n_pending--;
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply != NULL)
    {
      creds = g_variant_get_child_value (reply, 0);
      if (!g_variant_lookup (creds, "UnixUserID", "u", &uid))
        error = g_error_new (RC_ERROR, RC_ERROR_FAILED,
                             "the bus did not tell the uid of caller %s", q->sender);
    }
  else
    {
      g_dbus_error_strip_remote_error (error);
      g_prefix_error (&error, "cannot identify caller %s: ", q->sender);
    }
  if (error != NULL)
    g_debug ("%s", error->message);

  rcd_callers_answer (q->callers, q->sender, uid, error);
  rcd_callers_unref (q->callers);
  g_free (q->sender);
  g_free (q);
}

static void
bus_query (RcdCallers *callers, const char *sender, gpointer user_data)
{
  BusQuery *q = g_new0 (BusQuery, 1);

  q->callers = rcd_callers_ref (callers);
  q->sender = g_strdup (sender);
  n_pending++;
  g_dbus_connection_call (callers->connection,
                          "org.freedesktop.DBus",
                          "/org/freedesktop/DBus",
                          "org.freedesktop.DBus",
                          "GetConnectionCredentials",
                          g_variant_new ("(s)", sender),
                          G_VARIANT_TYPE ("(a{sv})"),
                          G_DBUS_CALL_FLAGS_NONE, -1,
                          callers->cancellable,
                          on_credentials, q);
}

RcdCallers *
rcd_callers_new (GDBusConnection *connection)
{
  RcdCallers *callers = callers_new (bus_query, NULL);

  callers->connection = g_object_ref (connection);
  return callers;
}

RcdCallers *
rcd_callers_new_with_query (RcdCallersQueryFunc query, gpointer user_data)
{
  return callers_new (query, user_data);
}

RcdCallers *
rcd_callers_ref (RcdCallers *callers)
{
  g_ref_count_inc (&callers->ref);
  return callers;
}

void
rcd_callers_unref (RcdCallers *callers)
{
  if (!g_ref_count_dec (&callers->ref))
    return;
  /* Waiting callers hold no reference: close first, or answer them all. */
  g_assert (g_hash_table_size (callers->lookups) == 0);
  g_hash_table_unref (callers->lookups);
  g_queue_clear (&callers->order);
  g_hash_table_unref (callers->uids);
  g_object_unref (callers->cancellable);
  g_clear_object (&callers->connection);
  g_free (callers);
}

guint
rcd_callers_get_n_pending (void)
{
  return n_pending;
}

guint
rcd_callers_get_n_cached (RcdCallers *callers)
{
  return g_hash_table_size (callers->uids);
}

static void
run_waiters (GQueue *waiters, guint32 uid, const GError *error)
{
  Waiter *waiter;

  while ((waiter = g_queue_pop_head (waiters)) != NULL)
    {
      waiter->func (uid, error, waiter->user_data);
      g_free (waiter);
    }
}

void
rcd_callers_close (RcdCallers *callers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCallers) keep = NULL;
  GHashTableIter iter;
  GQueue *waiters;

  if (callers->closed)
    return;
  keep = rcd_callers_ref (callers);
  callers->closed = TRUE;
  /* The bus queries finish on a later main loop iteration, ignored. */
  g_cancellable_cancel (callers->cancellable);

  error = g_error_new_literal (RC_ERROR, RC_ERROR_CANCELLED,
                               "the service is shutting down");
  g_hash_table_iter_init (&iter, callers->lookups);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &waiters))
    {
      run_waiters (waiters, 0, error);
      g_hash_table_iter_remove (&iter);
    }
}

static void
remember (RcdCallers *callers, const char *sender, guint32 uid)
{
  char *key;

  if (g_hash_table_contains (callers->uids, sender))
    return;
  if (g_queue_get_length (&callers->order) >= RCD_CALLERS_CACHE_SIZE)
    g_hash_table_remove (callers->uids, g_queue_pop_head (&callers->order));

  key = g_strdup (sender);
  g_hash_table_insert (callers->uids, key, GUINT_TO_POINTER (uid));
  g_queue_push_tail (&callers->order, key);
}

void
rcd_callers_answer (RcdCallers   *callers,
                    const char   *sender,
                    guint32       uid,
                    const GError *error)
{
  g_autoptr(RcdCallers) keep = NULL;
  g_autofree char *key = NULL;
  GQueue *waiters = NULL;

  /* Closed: the waiters were told already. */
  if (callers->closed
      || !g_hash_table_steal_extended (callers->lookups, sender,
                                       (gpointer *) &key, (gpointer *) &waiters))
    return;

  keep = rcd_callers_ref (callers);
  if (error == NULL)
    remember (callers, sender, uid);
  run_waiters (waiters, uid, error);
  waiters_free (waiters);
}

void
rcd_callers_get_uid (RcdCallers    *callers,
                     const char    *sender,
                     RcdCallerFunc  func,
                     gpointer       user_data)
{
  gpointer uid;
  GQueue *waiters;
  Waiter *waiter;

  if (callers->closed)
    {
      g_autoptr(GError) error = g_error_new_literal (RC_ERROR, RC_ERROR_CANCELLED,
                                                     "the service is shutting down");
      func (0, error, user_data);
      return;
    }

  if (g_hash_table_lookup_extended (callers->uids, sender, NULL, &uid))
    {
      func (GPOINTER_TO_UINT (uid), NULL, user_data);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->func = func;
  waiter->user_data = user_data;

  waiters = g_hash_table_lookup (callers->lookups, sender);
  if (waiters != NULL)
    {
      g_queue_push_tail (waiters, waiter);
      return;
    }
  waiters = g_queue_new ();
  g_queue_push_tail (waiters, waiter);
  g_hash_table_insert (callers->lookups, g_strdup (sender), waiters);
  /* May answer at once (a test's query). */
  callers->query (callers, sender, callers->query_data);
}
