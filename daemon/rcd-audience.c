/* rcd-audience.c: signals to the entitled connections only
 * (rcd-audience.h). */
#include "rcd-audience.h"

#include <string.h>

#include "rawcd-names.h"

struct _RcdAudience {
  gatomicrefcount  ref;
  GDBusConnection *connection;
  guint            filter_id;
  /* Shared with the filter, which runs in GDBus's worker thread. */
  GMutex           lock;
  GHashTable      *objects;    /* path -> RcdOwner (a reference) */
  GHashTable      *admitted;   /* RcdOwner -> GPtrArray of unique names */
  GHashTable      *readers;    /* path -> GPtrArray of unique names, for
                                * that object alone */
};

/* The session path a path below a session belongs to (its tracks), or the
 * path itself.  Caller frees. */
static char *
object_key (const char *path)
{
  const char *rest;
  const char *slash;

  if (!g_str_has_prefix (path, RAWCD_SESSION_PATH_PREFIX))
    return g_strdup (path);
  rest = path + strlen (RAWCD_SESSION_PATH_PREFIX);
  slash = strchr (rest, '/');
  return slash != NULL ? g_strndup (path, (gsize) (slash - path)) : g_strdup (path);
}

static gboolean
is_ours (const char *path)
{
  return g_str_has_prefix (path, RAWCD_SESSION_PATH_PREFIX)
         || g_str_has_prefix (path, RAWCD_JOB_PATH_PREFIX);
}

/* The names to send to, under the lock; NULL for none. */
static GPtrArray *
audience_of (RcdAudience *self, const char *path)
{
  g_autofree char *key = object_key (path);
  RcdOwner *owner = g_hash_table_lookup (self->objects, key);
  GPtrArray *admitted;
  GPtrArray *readers;
  GPtrArray *names;

  if (owner == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (names, g_strdup (owner->unique_name));
  admitted = g_hash_table_lookup (self->admitted, owner);
  for (guint i = 0; admitted != NULL && i < admitted->len; i++)
    g_ptr_array_add (names, g_strdup (g_ptr_array_index (admitted, i)));
  readers = g_hash_table_lookup (self->readers, key);
  for (guint i = 0; readers != NULL && i < readers->len; i++)
    if (!g_ptr_array_find_with_equal_func (names, g_ptr_array_index (readers, i),
                                           g_str_equal, NULL))
      g_ptr_array_add (names, g_strdup (g_ptr_array_index (readers, i)));
  return names;
}

static GDBusMessage *
filter (GDBusConnection *connection,
        GDBusMessage    *message,
        gboolean         incoming,
        gpointer         user_data)
{
  RcdAudience *self = user_data;
  g_autoptr(GPtrArray) names = NULL;
  const char *path;
  GDBusMessage *first;

  if (incoming
      || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_SIGNAL
      || g_dbus_message_get_destination (message) != NULL
      || (path = g_dbus_message_get_path (message)) == NULL
      || !is_ours (path))
    return message;

  g_mutex_lock (&self->lock);
  names = audience_of (self, path);
  g_mutex_unlock (&self->lock);

  if (names == NULL)
    {
      g_object_unref (message);
      return NULL;
    }

  /* The others get copies, sent after this one. */
  for (guint i = 1; i < names->len; i++)
    {
      g_autoptr(GDBusMessage) copy = g_dbus_message_copy (message, NULL);

      if (copy == NULL)
        continue;
      g_dbus_message_set_destination (copy, g_ptr_array_index (names, i));
      g_dbus_connection_send_message (connection, copy, G_DBUS_SEND_MESSAGE_FLAGS_NONE,
                                      NULL, NULL);
    }

  /* A message about to be sent is locked: change a copy. */
  first = g_dbus_message_copy (message, NULL);
  g_object_unref (message);
  if (first == NULL)
    return NULL;
  g_dbus_message_set_destination (first, g_ptr_array_index (names, 0));
  return first;
}

RcdAudience *
rcd_audience_new (GDBusConnection *connection)
{
  RcdAudience *self = g_new0 (RcdAudience, 1);

  g_atomic_ref_count_init (&self->ref);
  self->connection = g_object_ref (connection);
  g_mutex_init (&self->lock);
  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) rcd_owner_unref);
  self->admitted = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          (GDestroyNotify) g_ptr_array_unref);
  self->readers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  /* The filter runs in GDBus's worker thread and may still run after it
   * was removed: it holds a reference of its own. */
  self->filter_id = g_dbus_connection_add_filter (connection, filter, rcd_audience_ref (self),
                                                  (GDestroyNotify) rcd_audience_unref);
  return self;
}

RcdAudience *
rcd_audience_ref (RcdAudience *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
rcd_audience_close (RcdAudience *self)
{
  if (self->filter_id != 0)
    g_dbus_connection_remove_filter (self->connection, self->filter_id);
  self->filter_id = 0;
}

void
rcd_audience_unref (RcdAudience *self)
{
  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  g_hash_table_unref (self->readers);
  g_hash_table_unref (self->admitted);
  g_hash_table_unref (self->objects);
  g_mutex_clear (&self->lock);
  g_object_unref (self->connection);
  g_free (self);
}

void
rcd_audience_add (RcdAudience *self, const char *path, RcdOwner *owner)
{
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->objects, g_strdup (path), rcd_owner_ref (owner));
  g_mutex_unlock (&self->lock);
}

/* Whether any object still has owner. */
static gboolean
owner_has_objects (RcdAudience *self, RcdOwner *owner)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == owner)
      return TRUE;
  return FALSE;
}

typedef struct {
  RcdAudience *audience;
  char        *path;
} Removal;

static void
on_flushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Removal *removal = user_data;
  RcdAudience *self = removal->audience;
  g_autoptr(RcdOwner) owner = NULL;
  gpointer key = NULL, value = NULL;

  g_dbus_connection_flush_finish (G_DBUS_CONNECTION (source), result, NULL);
  g_mutex_lock (&self->lock);
  if (g_hash_table_steal_extended (self->objects, removal->path, &key, &value))
    {
      owner = value;
      g_free (key);
      if (!owner_has_objects (self, owner))
        g_hash_table_remove (self->admitted, owner);
    }
  g_hash_table_remove (self->readers, removal->path);
  g_mutex_unlock (&self->lock);
  rcd_audience_unref (removal->audience);
  g_free (removal->path);
  g_free (removal);
}

void
rcd_audience_remove (RcdAudience *self, const char *path)
{
  Removal *removal = g_new0 (Removal, 1);

  /* After what is queued now has been sent (the filter has seen it). */
  removal->audience = rcd_audience_ref (self);
  removal->path = g_strdup (path);
  g_dbus_connection_flush (self->connection, NULL, on_flushed, removal);
}

/* Adds sender to names, once; the oldest goes beyond the limit. */
static void
add_bounded (GPtrArray *names, const char *sender)
{
  if (g_ptr_array_find_with_equal_func (names, sender, g_str_equal, NULL))
    return;
  if (names->len >= RCD_AUDIENCE_MAX_ADMITTED)
    g_ptr_array_remove_index (names, 0);
  g_ptr_array_add (names, g_strdup (sender));
}

void
rcd_audience_admit_to (RcdAudience *self, const char *path, const char *sender)
{
  GPtrArray *readers;

  if (sender == NULL)
    return;
  g_mutex_lock (&self->lock);
  /* Only for a known object: its removal clears the entry. */
  if (g_hash_table_contains (self->objects, path))
    {
      readers = g_hash_table_lookup (self->readers, path);
      if (readers == NULL)
        {
          readers = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (self->readers, g_strdup (path), readers);
        }
      add_bounded (readers, sender);
    }
  g_mutex_unlock (&self->lock);
}

void
rcd_audience_admit (RcdAudience *self, RcdOwner *owner, const char *sender)
{
  GPtrArray *admitted;

  if (sender == NULL || g_strcmp0 (sender, owner->unique_name) == 0)
    return;
  g_mutex_lock (&self->lock);
  admitted = g_hash_table_lookup (self->admitted, owner);
  if (admitted == NULL)
    {
      admitted = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->admitted, owner, admitted);
    }
  add_bounded (admitted, sender);
  g_mutex_unlock (&self->lock);
}
