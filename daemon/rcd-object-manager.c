/* rcd-object-manager.c: ObjectManager per caller (rcd-object-manager.h). */
#include "rcd-object-manager.h"

#include <string.h>

#include "rawcd-names.h"
#include "rcd-error.h"

#define OBJECT_MANAGER_INTERFACE "org.freedesktop.DBus.ObjectManager"

/* The standard interface (D-Bus specification), for the registration and
 * for Introspect. */
static const char object_manager_xml[] =
  "<node>"
  "  <interface name='" OBJECT_MANAGER_INTERFACE "'>"
  "    <method name='GetManagedObjects'>"
  "      <arg type='a{oa{sa{sv}}}' name='object_paths_interfaces_and_properties' direction='out'/>"
  "    </method>"
  "    <signal name='InterfacesAdded'>"
  "      <arg type='o' name='object_path'/>"
  "      <arg type='a{sa{sv}}' name='interfaces_and_properties'/>"
  "    </signal>"
  "    <signal name='InterfacesRemoved'>"
  "      <arg type='o' name='object_path'/>"
  "      <arg type='as' name='interfaces'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

typedef struct {
  GDBusInterfaceSkeleton *skeleton;
  RcdOwner               *owner;
} Entry;

typedef struct {
  char    *name;       /* unique name */
  guint32  uid;
  guint    watch_id;   /* forgets it when the connection closes */
} Watcher;

struct _RcdObjectManager {
  gatomicrefcount  ref;
  GDBusConnection *connection;
  RcdCallers      *callers;
  RcdAudience     *audience;
  GDBusNodeInfo   *info;
  guint            registration_id;
  gboolean         closed;
  GHashTable      *entries;    /* path -> Entry */
  GPtrArray       *watchers;   /* Watcher, oldest first */
};

static void
entry_free (Entry *entry)
{
  g_object_unref (entry->skeleton);
  rcd_owner_unref (entry->owner);
  g_free (entry);
}

static void
watcher_free (Watcher *watcher)
{
  if (watcher->watch_id != 0)
    g_bus_unwatch_name (watcher->watch_id);
  g_free (watcher->name);
  g_free (watcher);
}

/* --- who is entitled ------------------------------------------------------ */

/* Whether the connection sender, of uid, may use owner's objects: the
 * same rule as rcd_owner_check(). */
static gboolean
may_see (const RcdOwner *owner, const char *sender, guint32 uid)
{
  return g_strcmp0 (sender, owner->unique_name) == 0
         || (owner->persist && owner->uid == uid);
}

static void
on_watcher_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  RcdObjectManager *self = user_data;

  for (guint i = 0; i < self->watchers->len; i++)
    {
      Watcher *watcher = g_ptr_array_index (self->watchers, i);

      if (g_str_equal (watcher->name, name))
        {
          g_ptr_array_remove_index (self->watchers, i);
          return;
        }
    }
}

/* sender (uid) asked for the objects: it hears of its uid's persistent
 * objects from now on.  Bounded per uid and in all, oldest out first, so
 * that a user opening connections costs the service a fixed amount. */
static void
add_watcher (RcdObjectManager *self, const char *sender, guint32 uid)
{
  Watcher *watcher;
  guint same_uid = 0;

  for (guint i = 0; i < self->watchers->len; i++)
    {
      Watcher *w = g_ptr_array_index (self->watchers, i);

      if (g_str_equal (w->name, sender))
        return;
      if (w->uid == uid)
        same_uid++;
    }
  if (same_uid >= RCD_OBJECT_MANAGER_MAX_WATCHERS_PER_UID)
    {
      for (guint i = 0; i < self->watchers->len; i++)
        if (((Watcher *) g_ptr_array_index (self->watchers, i))->uid == uid)
          {
            g_ptr_array_remove_index (self->watchers, i);
            break;
          }
    }
  else if (self->watchers->len >= RCD_OBJECT_MANAGER_MAX_WATCHERS)
    {
      g_ptr_array_remove_index (self->watchers, 0);
    }

  watcher = g_new0 (Watcher, 1);
  watcher->name = g_strdup (sender);
  watcher->uid = uid;
  g_ptr_array_add (self->watchers, watcher);
  watcher->watch_id = g_bus_watch_name_on_connection (self->connection, sender,
                                                      G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                      NULL, on_watcher_vanished,
                                                      self, NULL);
}

/* The connections to tell about owner's objects. */
static GPtrArray *
audience_of (RcdObjectManager *self, RcdOwner *owner)
{
  GPtrArray *names = g_ptr_array_new ();

  g_ptr_array_add (names, owner->unique_name);
  if (!owner->persist)
    return names;
  for (guint i = 0; i < self->watchers->len; i++)
    {
      Watcher *watcher = g_ptr_array_index (self->watchers, i);

      if (watcher->uid != owner->uid || g_str_equal (watcher->name, owner->unique_name))
        continue;
      g_ptr_array_add (names, watcher->name);
      /* It may follow the object's PropertiesChanged as well. */
      rcd_audience_admit (self->audience, owner, watcher->name);
    }
  return names;
}

/* --- the objects ---------------------------------------------------------- */

/* {interface: properties} of one object; floating. */
static GVariant *
interfaces_and_properties (GDBusInterfaceSkeleton *skeleton)
{
  /* A full reference, not a floating one: the builder takes its own. */
  g_autoptr(GVariant) properties = g_dbus_interface_skeleton_get_properties (skeleton);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sa{sv}}"));
  g_variant_builder_add (&builder, "{s@a{sv}}",
                         g_dbus_interface_skeleton_get_info (skeleton)->name, properties);
  return g_variant_builder_end (&builder);
}

static void
emit (RcdObjectManager *self, RcdOwner *owner, const char *signal, GVariant *parameters)
{
  g_autoptr(GVariant) args = g_variant_ref_sink (parameters);
  g_autoptr(GPtrArray) names = NULL;

  if (self->closed)
    return;
  names = audience_of (self, owner);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!g_dbus_connection_emit_signal (self->connection, g_ptr_array_index (names, i),
                                          RAWCD_MANAGER_PATH, OBJECT_MANAGER_INTERFACE,
                                          signal, args, &error))
        g_debug ("%s to %s: %s", signal, (const char *) g_ptr_array_index (names, i),
                 error->message);
    }
}

void
rcd_object_manager_add (RcdObjectManager       *self,
                        GDBusInterfaceSkeleton *skeleton,
                        RcdOwner               *owner)
{
  const char *path = g_dbus_interface_skeleton_get_object_path (skeleton);
  Entry *entry;

  g_return_if_fail (path != NULL);

  entry = g_new0 (Entry, 1);
  entry->skeleton = g_object_ref (skeleton);
  entry->owner = rcd_owner_ref (owner);
  g_hash_table_replace (self->entries, g_strdup (path), entry);
  emit (self, owner, "InterfacesAdded",
        g_variant_new ("(o@a{sa{sv}})", path, interfaces_and_properties (skeleton)));
}

/* Deeper paths first, so that a client drops a track before its session. */
static gint
by_depth_descending (gconstpointer a, gconstpointer b)
{
  const char *pa = *(const char *const *) a;
  const char *pb = *(const char *const *) b;
  gsize la = strlen (pa), lb = strlen (pb);

  return la < lb ? 1 : la > lb ? -1 : strcmp (pa, pb);
}

void
rcd_object_manager_remove (RcdObjectManager *self, const char *path)
{
  g_autofree char *below = g_strconcat (path, "/", NULL);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_equal (key, path) || g_str_has_prefix (key, below))
      g_ptr_array_add (gone, key);
  g_ptr_array_sort (gone, by_depth_descending);

  for (guint i = 0; i < gone->len; i++)
    {
      const char *gone_path = g_ptr_array_index (gone, i);
      Entry *entry = g_hash_table_lookup (self->entries, gone_path);
      const char *interfaces[] = {
        g_dbus_interface_skeleton_get_info (entry->skeleton)->name, NULL
      };

      emit (self, entry->owner, "InterfacesRemoved",
            g_variant_new ("(o^as)", gone_path, interfaces));
      g_hash_table_remove (self->entries, gone_path);
    }
}

/* --- GetManagedObjects ---------------------------------------------------- */

typedef struct {
  RcdObjectManager      *manager;     /* a reference */
  GDBusMethodInvocation *invocation;
} Listing;

static void
on_caller_uid (guint32 uid, const GError *error, gpointer user_data)
{
  Listing *listing = user_data;
  g_autoptr(RcdObjectManager) self = listing->manager;
  GDBusMethodInvocation *invocation = listing->invocation;
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, value;

  g_free (listing);
  if (error != NULL)
    {
      rcd_error_return (invocation, error);
      return;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{oa{sa{sv}}}"));
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;

      if (!may_see (entry->owner, sender, uid))
        continue;
      g_variant_builder_add (&builder, "{o@a{sa{sv}}}", (const char *) key,
                             interfaces_and_properties (entry->skeleton));
      rcd_audience_admit (self->audience, entry->owner, sender);
    }
  if (!self->closed)
    add_watcher (self, sender, uid);
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@a{oa{sa{sv}}})",
                                                        g_variant_builder_end (&builder)));
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  RcdObjectManager *self = user_data;
  Listing *listing;

  /* GDBus checked the name and signature against the interface. */
  if (sender == NULL)
    {
      rcd_error_return_service (invocation, RCD_ERROR_ACCESS_DENIED,
                                "GetManagedObjects needs a caller on a message bus");
      return;
    }
  /* Persistent sessions are listed by uid: ask the bus without blocking. */
  listing = g_new0 (Listing, 1);
  listing->manager = rcd_object_manager_ref (self);
  listing->invocation = invocation;
  rcd_callers_get_uid (self->callers, sender, on_caller_uid, listing);
}

static const GDBusInterfaceVTable vtable = {
  .method_call = method_call,
};

/* --- life ----------------------------------------------------------------- */

RcdObjectManager *
rcd_object_manager_new (GDBusConnection  *connection,
                        RcdCallers       *callers,
                        RcdAudience      *audience,
                        GError          **error)
{
  g_autoptr(RcdObjectManager) self = g_new0 (RcdObjectManager, 1);

  g_atomic_ref_count_init (&self->ref);
  self->connection = g_object_ref (connection);
  self->callers = rcd_callers_ref (callers);
  self->audience = rcd_audience_ref (audience);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) entry_free);
  self->watchers = g_ptr_array_new_with_free_func ((GDestroyNotify) watcher_free);
  self->info = g_dbus_node_info_new_for_xml (object_manager_xml, error);
  if (self->info == NULL)
    return NULL;
  /* The method handler holds no reference: close() unregisters it before
   * the last reference can go. */
  self->registration_id =
    g_dbus_connection_register_object (connection, RAWCD_MANAGER_PATH,
                                       self->info->interfaces[0], &vtable,
                                       self, NULL, error);
  if (self->registration_id == 0)
    {
      g_prefix_error (error, "cannot register %s on %s: ", OBJECT_MANAGER_INTERFACE,
                      RAWCD_MANAGER_PATH);
      return NULL;
    }
  return g_steal_pointer (&self);
}

RcdObjectManager *
rcd_object_manager_ref (RcdObjectManager *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
rcd_object_manager_close (RcdObjectManager *self)
{
  self->closed = TRUE;
  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_ptr_array_set_size (self->watchers, 0);
}

void
rcd_object_manager_unref (RcdObjectManager *self)
{
  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  rcd_object_manager_close (self);
  g_ptr_array_unref (self->watchers);
  g_hash_table_unref (self->entries);
  g_clear_pointer (&self->info, g_dbus_node_info_unref);
  rcd_audience_unref (self->audience);
  rcd_callers_unref (self->callers);
  g_object_unref (self->connection);
  g_free (self);
}
