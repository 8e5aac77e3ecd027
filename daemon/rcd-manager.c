/* rcd-manager.c: the Manager object: sessions, their limits, InspectImage
 * and the service's properties (rcd-manager.h). */
#include "rcd-manager.h"

#include "rcd-audio-open.h"
#include "rcd-error.h"
#include "rcd-inspect.h"
#include "rcd-options.h"
#include "rcd-session.h"

struct _RcdManager {
  RcdDBusManagerSkeleton parent;

  const RcdContext *context;
  RcdInspector     *inspector;       /* Manager.InspectImage */
  GHashTable       *sessions;        /* object path -> RcdSession */
  GHashTable       *per_uid;         /* uid -> sessions of that uid */
  guint             last_session_id;
  guint             calls_under_way; /* CreateImageCreator waiting for the bus,
                                      * InspectImage under way */
  gboolean          shutting_down;
};

enum {
  SIGNAL_IDLE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rcd_manager_iface_init (RcdDBusManagerIface *iface);

G_DEFINE_TYPE_WITH_CODE (RcdManager, rcd_manager, RCD_DBUS_TYPE_MANAGER_SKELETON,
                         G_IMPLEMENT_INTERFACE (RCD_DBUS_TYPE_MANAGER, rcd_manager_iface_init))

static const RcdOptionSpec create_options[] = {
  { "persist", "b" },
  { NULL },
};

gboolean
rcd_manager_is_idle (RcdManager *self)
{
  return g_hash_table_size (self->sessions) == 0 && self->calls_under_way == 0;
}

guint
rcd_manager_get_n_sessions (RcdManager *self)
{
  return g_hash_table_size (self->sessions);
}

static void
calls_changed (RcdManager *self, gint delta)
{
  self->calls_under_way += delta;
  g_signal_emit (self, signals[SIGNAL_IDLE_CHANGED], 0);
}

/* For the inspector (RcdInspectorCallsFunc). */
static void
on_inspections_changed (gint delta, gpointer user_data)
{
  calls_changed (RCD_MANAGER (user_data), delta);
}

/* --- sessions -------------------------------------------------------------- */

static guint
count_sessions_of (RcdManager *self, guint32 uid)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_uid, GUINT_TO_POINTER (uid)));
}

static void
count_session (RcdManager *self, guint32 uid, gint delta)
{
  guint n = count_sessions_of (self, uid) + (guint) delta;

  if (n == 0)
    g_hash_table_remove (self->per_uid, GUINT_TO_POINTER (uid));
  else
    g_hash_table_insert (self->per_uid, GUINT_TO_POINTER (uid), GUINT_TO_POINTER (n));
}

static void
on_session_ended (RcdSession *session, RcdManager *self)
{
  g_signal_handlers_disconnect_by_data (session, self);
  rcd_object_manager_remove (self->context->objects, rcd_session_get_path (session));
  count_session (self, rcd_session_get_owner (session)->uid, -1);
  g_hash_table_remove (self->sessions, rcd_session_get_path (session));
  g_signal_emit (self, signals[SIGNAL_IDLE_CHANGED], 0);
}

/* A new session for the caller, within the limits.  Returns its path. */
static char *
create_session (RcdManager *self,
                const char *sender,
                guint32     uid,
                gboolean    persist,
                GError    **error)
{
  const RcdConfig *config = &self->context->config;
  g_autoptr(RcdOwner) owner = NULL;
  g_autoptr(RcdSession) session = NULL;
  g_autofree char *path = NULL;

  if (self->shutting_down)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_CANCELLED,
                           "the service is shutting down");
      return NULL;
    }
  if (g_hash_table_size (self->sessions) >= config->max_sessions)
    {
      g_set_error (error, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED,
                   "the service has reached its limit of %u session%s "
                   "(--max-sessions); try again later", config->max_sessions,
                   config->max_sessions == 1 ? "" : "s");
      return NULL;
    }
  if (count_sessions_of (self, uid) >= config->max_sessions_per_user)
    {
      g_set_error (error, RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED,
                   "uid %u has reached the limit of %u session%s per user "
                   "(--max-sessions-per-user); close one first",
                   uid, config->max_sessions_per_user,
                   config->max_sessions_per_user == 1 ? "" : "s");
      return NULL;
    }

  owner = rcd_owner_new (sender, uid, persist);
  path = g_strdup_printf (RAWCD_SESSION_PATH_PREFIX "%u", ++self->last_session_id);
  session = rcd_session_new (self->context, path, owner, error);
  if (session == NULL)
    return NULL;

  g_info ("session %s created by %s (uid %u)%s", path, sender, uid,
          persist ? ", persistent" : "");
  g_hash_table_insert (self->sessions, (gpointer) rcd_session_get_path (session),
                       g_object_ref (session));
  count_session (self, uid, +1);
  g_signal_connect (session, "ended", G_CALLBACK (on_session_ended), self);
  /* Its owner's ObjectManager clients see it come (and go, with its
   * tracks, when it ends). */
  rcd_object_manager_add (self->context->objects, G_DBUS_INTERFACE_SKELETON (session), owner);
  g_signal_emit (self, signals[SIGNAL_IDLE_CHANGED], 0);
  return g_steal_pointer (&path);
}

/* --- CreateImageCreator ------------------------------------------------------ */

typedef struct {
  RcdManager            *manager;     /* a reference */
  GDBusMethodInvocation *invocation;
  gboolean               persist;
} Create;

static void
on_caller_uid (guint32 uid, const GError *error, gpointer user_data)
{
  Create *create = user_data;
  g_autoptr(RcdManager) self = create->manager;
  GDBusMethodInvocation *invocation = create->invocation;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  gboolean persist = create->persist;

  g_free (create);
  calls_changed (self, -1);

  if (error != NULL)
    {
      rcd_error_return (invocation, error);
      return;
    }
  path = create_session (self, g_dbus_method_invocation_get_sender (invocation),
                         uid, persist, &local_error);
  if (path == NULL)
    rcd_error_return (invocation, local_error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", path));
}

static gboolean
handle_create_image_creator (RcdDBusManager        *manager,
                             GDBusMethodInvocation *invocation,
                             GVariant              *options)
{
  RcdManager *self = RCD_MANAGER (manager);
  g_autoptr(GError) error = NULL;
  Create *create;

  if (!rcd_options_check (options, "CreateImageCreator", create_options, &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  create = g_new0 (Create, 1);
  create->manager = g_object_ref (self);
  create->invocation = invocation;
  if (!g_variant_lookup (options, "persist", "b", &create->persist))
    create->persist = FALSE;

  /* The session's limits and owner need the caller's uid: ask the bus
   * without blocking. */
  calls_changed (self, +1);
  rcd_callers_get_uid (self->context->callers,
                       g_dbus_method_invocation_get_sender (invocation),
                       on_caller_uid, create);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_inspect_image (RcdDBusManager        *manager,
                      GDBusMethodInvocation *invocation,
                      GUnixFDList           *fd_list,
                      GVariant              *image,
                      GVariant              *options)
{
  RcdManager *self = RCD_MANAGER (manager);

  rcd_inspector_handle (self->inspector, invocation, fd_list, image, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- life -------------------------------------------------------------------- */

void
rcd_manager_shutdown (RcdManager *self, const char *reason)
{
  g_autoptr(GList) sessions = NULL;

  if (self->shutting_down)
    return;
  self->shutting_down = TRUE;
  rcd_inspector_cancel (self->inspector, reason);

  sessions = g_hash_table_get_values (self->sessions);
  for (GList *l = sessions; l != NULL; l = l->next)
    rcd_session_end (l->data, reason);
}

RcdManager *
rcd_manager_new (const RcdContext *context)
{
  RcdManager *self = g_object_new (RCD_TYPE_MANAGER, NULL);

  self->context = context;
  self->inspector = rcd_inspector_new (context, on_inspections_changed, self);
  rcd_dbus_manager_set_version (RCD_DBUS_MANAGER (self), RCD_VERSION);
  rcd_dbus_manager_set_supported_input_formats (RCD_DBUS_MANAGER (self),
                                                rcd_audio_open_get_formats ());
  return self;
}

static void
rcd_manager_finalize (GObject *object)
{
  RcdManager *self = RCD_MANAGER (object);

  /* An inspection finishing later (its worker abandoned at exit) no
   * longer reports to the manager. */
  g_clear_pointer (&self->inspector, rcd_inspector_free);
  g_hash_table_unref (self->sessions);
  g_hash_table_unref (self->per_uid);
  G_OBJECT_CLASS (rcd_manager_parent_class)->finalize (object);
}

static void
rcd_manager_init (RcdManager *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->per_uid = g_hash_table_new (g_direct_hash, g_direct_equal);
}

static void
rcd_manager_class_init (RcdManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcd_manager_finalize;
  signals[SIGNAL_IDLE_CHANGED] = g_signal_new ("idle-changed", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 0);
}

static void
rcd_manager_iface_init (RcdDBusManagerIface *iface)
{
  iface->handle_create_image_creator = handle_create_image_creator;
  iface->handle_inspect_image = handle_inspect_image;
}
