/* rcd-owner.c: owners' access decisions and their watch (rcd-owner.h). */
#include "rcd-owner.h"

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
  /* The watch holds no reference: its user must unwatch first. */
  g_assert (owner->name_watch == 0 && owner->idle_source == 0);
  g_free (owner->unique_name);
  g_free (owner);
}

void
rcd_owner_touch (RcdOwner *owner)
{
  owner->last_used = g_get_monotonic_time ();
}

/* --- access ---------------------------------------------------------------- */

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

/* --- the watch ------------------------------------------------------------- */

static void
gone (RcdOwner *owner, const char *reason)
{
  void (*func) (const char *, gpointer) = owner->gone;
  gpointer data = owner->watch_data;

  rcd_owner_unwatch (owner);
  func (reason, data);
}

static void
on_owner_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  gone (user_data, "its owner's connection closed");
}

static gboolean
on_idle_check (gpointer user_data)
{
  RcdOwner *owner = user_data;
  gint64 timeout = (gint64) owner->persist_timeout * G_USEC_PER_SEC;
  gint64 idle = g_get_monotonic_time () - owner->last_used;
  gint64 wait;

  owner->idle_source = 0;
  if (idle >= timeout && !owner->busy (owner->watch_data))
    {
      g_autofree char *reason =
        g_strdup_printf ("the persistent session was idle for %u s", owner->persist_timeout);

      gone (owner, reason);
      return G_SOURCE_REMOVE;
    }

  /* Busy, or used since: look again when the timeout could have passed. */
  wait = idle >= timeout ? timeout : timeout - idle;
  owner->idle_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (wait / 1000) + 1,
                                           on_idle_check, owner, NULL);
  return G_SOURCE_REMOVE;
}

void
rcd_owner_watch (RcdOwner        *owner,
                 GDBusConnection *connection,
                 guint            persist_timeout,
                 gboolean       (*busy) (gpointer user_data),
                 void           (*gone_func) (const char *reason, gpointer user_data),
                 gpointer         user_data)
{
  g_return_if_fail (owner->name_watch == 0 && owner->idle_source == 0);

  owner->persist_timeout = persist_timeout;
  owner->busy = busy;
  owner->gone = gone_func;
  owner->watch_data = user_data;
  if (!owner->persist)
    owner->name_watch = g_bus_watch_name_on_connection (connection, owner->unique_name,
                                                        G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                        NULL, on_owner_vanished,
                                                        owner, NULL);
  else if (persist_timeout > 0)
    owner->idle_source = g_timeout_add_seconds (persist_timeout, on_idle_check, owner);
}

void
rcd_owner_unwatch (RcdOwner *owner)
{
  if (owner->name_watch != 0)
    {
      g_bus_unwatch_name (owner->name_watch);
      owner->name_watch = 0;
    }
  g_clear_handle_id (&owner->idle_source, g_source_remove);
}
