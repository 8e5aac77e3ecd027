/* rcd-owner.c: callers' uids from the bus, and owners' access decisions. */
#include "rcd-owner.h"

#include "rc-error.h"

/* Unique names remembered; the oldest is forgotten first. */
#define CALLERS_CACHE_SIZE 512

struct _RcdCallers {
  grefcount        ref;
  GDBusConnection *connection;
  GCancellable    *cancellable;
  GHashTable      *uids;      /* unique name -> GUINT_TO_POINTER (uid) */
  GQueue           order;     /* the keys of uids, oldest first */
  GHashTable      *lookups;   /* unique name -> Lookup under way */
  gboolean         closed;
};

typedef struct {
  RcdCallerFunc func;
  gpointer      user_data;
} Waiter;

typedef struct {
  RcdCallers *callers;
  char       *sender;
  GQueue      waiters;
} Lookup;

static guint n_pending;

RcdCallers *
rcd_callers_new (GDBusConnection *connection)
{
  RcdCallers *callers = g_new0 (RcdCallers, 1);

  g_ref_count_init (&callers->ref);
  callers->connection = g_object_ref (connection);
  callers->cancellable = g_cancellable_new ();
  callers->uids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&callers->order);
  callers->lookups = g_hash_table_new (g_str_hash, g_str_equal);
  return callers;
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
  g_assert (g_hash_table_size (callers->lookups) == 0);
  g_hash_table_unref (callers->lookups);
  g_queue_clear (&callers->order);
  g_hash_table_unref (callers->uids);
  g_object_unref (callers->cancellable);
  g_object_unref (callers->connection);
  g_free (callers);
}

guint
rcd_callers_get_n_pending (void)
{
  return n_pending;
}

static void
run_waiters (Lookup *lookup, guint32 uid, const GError *error)
{
  Waiter *waiter;

  while ((waiter = g_queue_pop_head (&lookup->waiters)) != NULL)
    {
      waiter->func (uid, error, waiter->user_data);
      g_free (waiter);
    }
}

static void
lookup_free (Lookup *lookup)
{
  g_assert (g_queue_is_empty (&lookup->waiters));
  rcd_callers_unref (lookup->callers);
  g_free (lookup->sender);
  g_free (lookup);
}

void
rcd_callers_close (RcdCallers *callers)
{
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  Lookup *lookup;

  if (callers->closed)
    return;
  callers->closed = TRUE;
  g_cancellable_cancel (callers->cancellable);

  /* The lookups stay alive until their (cancelled) bus calls return. */
  error = g_error_new_literal (RC_ERROR, RC_ERROR_CANCELLED,
                               "the service is shutting down");
  g_hash_table_iter_init (&iter, callers->lookups);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lookup))
    {
      g_hash_table_iter_remove (&iter);
      run_waiters (lookup, 0, error);
    }
}

static void
remember (RcdCallers *callers, const char *sender, guint32 uid)
{
  char *key;

  if (g_hash_table_contains (callers->uids, sender))
    return;
  if (g_queue_get_length (&callers->order) >= CALLERS_CACHE_SIZE)
    g_hash_table_remove (callers->uids, g_queue_pop_head (&callers->order));

  key = g_strdup (sender);
  g_hash_table_insert (callers->uids, key, GUINT_TO_POINTER (uid));
  g_queue_push_tail (&callers->order, key);
}

static void
on_credentials (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;
  RcdCallers *callers = lookup->callers;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) creds = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uid = 0;

  n_pending--;
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (callers->closed)
    {
      /* Its waiters were told already. */
      lookup_free (lookup);
      return;
    }
  g_hash_table_remove (callers->lookups, lookup->sender);

  if (reply != NULL)
    {
      creds = g_variant_get_child_value (reply, 0);
      if (g_variant_lookup (creds, "UnixUserID", "u", &uid))
        remember (callers, lookup->sender, uid);
      else
        error = g_error_new (RC_ERROR, RC_ERROR_FAILED,
                             "the bus did not tell the uid of caller %s",
                             lookup->sender);
    }
  else
    {
      g_dbus_error_strip_remote_error (error);
      g_prefix_error (&error, "cannot identify caller %s: ", lookup->sender);
    }

  if (error != NULL)
    g_debug ("%s", error->message);
  run_waiters (lookup, uid, error);
  lookup_free (lookup);
}

void
rcd_callers_get_uid (RcdCallers    *callers,
                     const char    *sender,
                     RcdCallerFunc  func,
                     gpointer       user_data)
{
  gpointer uid;
  Lookup *lookup;
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

  lookup = g_hash_table_lookup (callers->lookups, sender);
  if (lookup == NULL)
    {
      lookup = g_new0 (Lookup, 1);
      lookup->callers = rcd_callers_ref (callers);
      lookup->sender = g_strdup (sender);
      g_queue_init (&lookup->waiters);
      g_hash_table_insert (callers->lookups, lookup->sender, lookup);

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
                              on_credentials, lookup);
    }

  waiter = g_new0 (Waiter, 1);
  waiter->func = func;
  waiter->user_data = user_data;
  g_queue_push_tail (&lookup->waiters, waiter);
}

/* --- owners --------------------------------------------------------------- */

RcdOwner *
rcd_owner_new (const char *unique_name, guint32 uid, gboolean persist)
{
  RcdOwner *owner = g_new0 (RcdOwner, 1);

  g_atomic_ref_count_init (&owner->ref);
  owner->unique_name = g_strdup (unique_name);
  owner->uid = uid;
  owner->persist = persist;
  owner->last_used = g_get_monotonic_time ();
  return owner;
}

RcdOwner *
rcd_owner_ref (RcdOwner *owner)
{
  g_atomic_ref_count_inc (&owner->ref);
  return owner;
}

void
rcd_owner_unref (RcdOwner *owner)
{
  if (!g_atomic_ref_count_dec (&owner->ref))
    return;
  g_free (owner->unique_name);
  g_free (owner);
}

typedef struct {
  RcdOwner          *owner;
  RcdOwnerCheckFunc  func;
  gpointer           user_data;
} Check;

static void
on_caller_uid (guint32 uid, const GError *error, gpointer user_data)
{
  Check *check = user_data;

  check->func (error == NULL && uid == check->owner->uid, error, check->user_data);
  rcd_owner_unref (check->owner);
  g_free (check);
}

void
rcd_owner_check (RcdOwner          *owner,
                 RcdCallers        *callers,
                 const char        *sender,
                 RcdOwnerCheckFunc  func,
                 gpointer           user_data)
{
  Check *check;

  if (g_strcmp0 (sender, owner->unique_name) == 0)
    {
      func (TRUE, NULL, user_data);
      return;
    }
  if (!owner->persist || sender == NULL)
    {
      func (FALSE, NULL, user_data);
      return;
    }

  check = g_new0 (Check, 1);
  check->owner = rcd_owner_ref (owner);
  check->func = func;
  check->user_data = user_data;
  rcd_callers_get_uid (callers, sender, on_caller_uid, check);
}
