/* rcd-guard.c: every call to a session's objects passes here (rcd-guard.h). */
#include "rcd-guard.h"

#include <gio/gunixfdlist.h>

#include "rcd-error.h"

#define PROPERTIES_INTERFACE "org.freedesktop.DBus.Properties"

typedef struct {
  RcdOwner          *owner;
  const RcdContext  *context;
  RcdCallQueue      *queue;
  const char *const *immediate;
  RcdGuardSetFunc    set_property;
  gboolean           uid_may_read;   /* rcd_guard_let_uid_read() */
} Guard;

/* One call on its way: owns a reference to the object and the invocation. */
typedef struct {
  GDBusInterfaceSkeleton *skeleton;
  GDBusMethodInvocation  *invocation;
} Call;

static GQuark guard_quark;

static void dispatch (Call *call);

static void
call_free (Call *call)
{
  g_object_unref (call->skeleton);
  g_clear_object (&call->invocation);
  g_free (call);
}

static void
call_fail (Call *call, GQuark domain, gint code, const char *message)
{
  g_dbus_method_invocation_return_error_literal (g_steal_pointer (&call->invocation),
                                                 domain, code, message);
  call_free (call);
}

/* The queue's items are Calls. */
static void
queued_dispatch (gpointer item)
{
  dispatch (item);
}

static void
queued_fail (gpointer item, GQuark domain, gint code, const char *message)
{
  call_fail (item, domain, code, message);
}

RcdCallQueue *
rcd_guard_call_queue_new (const RcdCallQueueLimits *limits)
{
  return rcd_call_queue_new (limits, queued_dispatch, queued_fail);
}

/* What a waiting call holds: its arguments (the bulk of its message, kept
 * with the invocation) and its descriptors. */
static guint64
call_bytes (GDBusMethodInvocation *invocation)
{
  return g_variant_get_size (g_dbus_method_invocation_get_parameters (invocation));
}

static guint
call_fds (GDBusMethodInvocation *invocation)
{
  GUnixFDList *fds = g_dbus_message_get_unix_fd_list (g_dbus_method_invocation_get_message (invocation));

  return fds != NULL ? (guint) g_unix_fd_list_get_length (fds) : 0;
}

/* --- dispatch ------------------------------------------------------------- */

static const GDBusInterfaceVTable *
parent_vtable (GDBusInterfaceSkeleton *skeleton)
{
  GDBusInterfaceSkeletonClass *klass = G_DBUS_INTERFACE_SKELETON_GET_CLASS (skeleton);
  GDBusInterfaceVTable *(*ours) (GDBusInterfaceSkeleton *) = klass->get_vtable;

  /* The generated class up the chain. */
  while (klass->get_vtable == ours)
    klass = g_type_class_peek_parent (klass);
  return klass->get_vtable (skeleton);
}

/* Consumes invocation. */
static void
dispatch_properties (GDBusInterfaceSkeleton *skeleton,
                     GDBusMethodInvocation  *invocation)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  GVariant *parameters = g_dbus_method_invocation_get_parameters (invocation);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (method, "Get"))
    {
      const GDBusInterfaceVTable *vtable = parent_vtable (skeleton);
      const char *interface_name, *property_name;
      g_autoptr(GVariant) value = NULL;

      g_variant_get (parameters, "(&s&s)", &interface_name, &property_name);
      value = vtable->get_property (g_dbus_method_invocation_get_connection (invocation),
                                    g_dbus_method_invocation_get_sender (invocation),
                                    g_dbus_method_invocation_get_object_path (invocation),
                                    interface_name, property_name, &error, skeleton);
      if (value == NULL)
        rcd_error_return (invocation, error);
      else
        g_dbus_method_invocation_return_value (invocation,
                                               g_variant_new ("(v)", value));
    }
  else if (g_str_equal (method, "GetAll"))
    {
      /* Full reference, not floating. */
      g_autoptr(GVariant) all = g_dbus_interface_skeleton_get_properties (skeleton);

      g_dbus_method_invocation_return_value (invocation, g_variant_new_tuple (&all, 1));
    }
  else if (g_str_equal (method, "Set"))
    {
      Guard *guard = g_object_get_qdata (G_OBJECT (skeleton), guard_quark);
      const char *property_name;
      g_autoptr(GVariant) value = NULL;

      g_variant_get (parameters, "(&s&sv)", NULL, &property_name, &value);
      if (guard->set_property == NULL)
        rcd_error_return_new (invocation, RC_ERROR_INVALID_ARGUMENT,
                              "property '%s' is read-only", property_name);
      else if (!guard->set_property (skeleton, property_name, value, &error))
        rcd_error_return (invocation, error);
      else
        g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      rcd_error_return_new (invocation, RC_ERROR_INVALID_ARGUMENT,
                            "unknown method %s." PROPERTIES_INTERFACE, method);
    }
}

static void
dispatch (Call *call)
{
  GDBusMethodInvocation *invocation = g_steal_pointer (&call->invocation);
  const GDBusInterfaceVTable *vtable;

  if (g_str_equal (g_dbus_method_invocation_get_interface_name (invocation),
                   PROPERTIES_INTERFACE))
    {
      dispatch_properties (call->skeleton, invocation);
      call_free (call);
      return;
    }

  /* The generated dispatch takes over the invocation. */
  vtable = parent_vtable (call->skeleton);
  vtable->method_call (g_dbus_method_invocation_get_connection (invocation),
                       g_dbus_method_invocation_get_sender (invocation),
                       g_dbus_method_invocation_get_object_path (invocation),
                       g_dbus_method_invocation_get_interface_name (invocation),
                       g_dbus_method_invocation_get_method_name (invocation),
                       g_dbus_method_invocation_get_parameters (invocation),
                       invocation, call->skeleton);
  call_free (call);
}

static gboolean
is_immediate (const Guard *guard, GDBusMethodInvocation *invocation)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);

  if (guard->immediate == NULL)
    return FALSE;
  if (g_str_equal (g_dbus_method_invocation_get_interface_name (invocation),
                   PROPERTIES_INTERFACE))
    return FALSE;
  return g_strv_contains (guard->immediate, method);
}

static gboolean
is_property_read (GDBusMethodInvocation *invocation)
{
  return g_str_equal (g_dbus_method_invocation_get_interface_name (invocation),
                      PROPERTIES_INTERFACE)
         && !g_str_equal (g_dbus_method_invocation_get_method_name (invocation), "Set");
}

static void
deny (Call *call, Guard *guard)
{
  const char *path = g_dbus_method_invocation_get_object_path (call->invocation);
  g_autofree char *message =
    g_strdup_printf ("%s belongs to %s", path,
                     guard->owner->persist ? "another user"
                                           : "another client's connection");

  g_info ("denied %s.%s on %s to %s",
          g_dbus_method_invocation_get_interface_name (call->invocation),
          g_dbus_method_invocation_get_method_name (call->invocation),
          path, g_dbus_method_invocation_get_sender (call->invocation));
  call_fail (call, RCD_ERROR, RCD_ERROR_ACCESS_DENIED, message);
}

/* A failed check of the caller fails the call, as a service error. */
static void
call_fail_with (Call *call, const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  rcd_error_convert (&copy);
  call_fail (call, copy->domain, copy->code, copy->message);
}

static void
on_checked (gboolean allowed, const GError *error, gpointer user_data)
{
  Call *call = user_data;
  Guard *guard = g_object_get_qdata (G_OBJECT (call->skeleton), guard_quark);

  if (error != NULL)
    {
      call_fail_with (call, error);
      return;
    }

  if (!allowed)
    {
      deny (call, guard);
      return;
    }

  /* Use keeps a persistent session alive; reading its properties (a
   * client watching it) does not. */
  if (!is_property_read (call->invocation))
    rcd_owner_touch (guard->owner);
  rcd_audience_admit (guard->context->audience, guard->owner,
                      g_dbus_method_invocation_get_sender (call->invocation));

  if (guard->queue != NULL && !is_immediate (guard, call->invocation))
    rcd_call_queue_push (guard->queue, call, call_bytes (call->invocation),
                         call_fds (call->invocation));
  else
    dispatch (call);
}

/* A property read by a connection other than the owner's, of an object
 * its uid may read (rcd_guard_let_uid_read()). */
static void
on_reader_uid (guint32 uid, const GError *error, gpointer user_data)
{
  Call *call = user_data;
  Guard *guard = g_object_get_qdata (G_OBJECT (call->skeleton), guard_quark);

  if (error != NULL)
    {
      call_fail_with (call, error);
      return;
    }
  if (uid != guard->owner->uid)
    {
      deny (call, guard);
      return;
    }
  /* A reader neither keeps the session alive nor joins its audience: it
   * hears about this object only. */
  rcd_audience_admit_to (guard->context->audience,
                         g_dbus_method_invocation_get_object_path (call->invocation),
                         g_dbus_method_invocation_get_sender (call->invocation));
  dispatch (call);
}

static void
guard_method_call (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  GDBusInterfaceSkeleton *skeleton = user_data;
  Guard *guard = g_object_get_qdata (G_OBJECT (skeleton), guard_quark);
  Call *call;

  if (guard == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, RC_ERROR, RC_ERROR_FAILED,
                                             "%s is not ready", object_path);
      return;
    }

  call = g_new0 (Call, 1);
  call->skeleton = g_object_ref (skeleton);
  call->invocation = invocation;
  if (guard->uid_may_read && !guard->owner->persist && sender != NULL
      && g_strcmp0 (sender, guard->owner->unique_name) != 0 && is_property_read (invocation))
    {
      rcd_callers_get_uid (guard->context->callers, sender, on_reader_uid, call);
      return;
    }
  rcd_owner_check (guard->owner, guard->context->callers, sender, on_checked, call);
}

/* No get_property/set_property: Properties calls come to method_call. */
static GDBusInterfaceVTable guard_vtable = {
  .method_call = guard_method_call,
};

static GDBusInterfaceVTable *
guard_get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  return &guard_vtable;
}

void
rcd_guard_class_init (GDBusInterfaceSkeletonClass *klass)
{
  if (guard_quark == 0)
    guard_quark = g_quark_from_static_string ("rcd-guard");
  klass->get_vtable = guard_get_vtable;
}

static void
guard_free (gpointer data)
{
  Guard *guard = data;

  rcd_owner_unref (guard->owner);
  if (guard->queue != NULL)
    rcd_call_queue_unref (guard->queue);
  g_free (guard);
}

void
rcd_guard_attach (GDBusInterfaceSkeleton *skeleton,
                  RcdOwner               *owner,
                  const RcdContext       *context,
                  RcdCallQueue           *queue,
                  const char *const      *immediate,
                  RcdGuardSetFunc         set_property)
{
  Guard *guard;

  g_return_if_fail (G_DBUS_INTERFACE_SKELETON_GET_CLASS (skeleton)->get_vtable == guard_get_vtable);
  guard = g_new0 (Guard, 1);

  guard->owner = rcd_owner_ref (owner);
  guard->context = context;
  guard->queue = queue != NULL ? rcd_call_queue_ref (queue) : NULL;
  guard->immediate = immediate;
  guard->set_property = set_property;
  g_object_set_qdata_full (G_OBJECT (skeleton), guard_quark, guard, guard_free);
}

void
rcd_guard_let_uid_read (GDBusInterfaceSkeleton *skeleton)
{
  Guard *guard = g_object_get_qdata (G_OBJECT (skeleton), guard_quark);

  g_return_if_fail (guard != NULL);
  guard->uid_may_read = TRUE;
}
