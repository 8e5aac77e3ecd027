/* rcd-manager.c: CreateImageCreator, InspectImage and the service's
 * properties. */
#include "rcd-manager.h"

#include "rcd-audio-open.h"
#include "rcd-error.h"
#include "rcd-inspect.h"
#include "rcd-options.h"

static const RcdOptionSpec create_options[] = {
  { "persist", "b" },
  { NULL },
};

typedef struct {
  RcdDaemon             *daemon;
  GDBusMethodInvocation *invocation;
  gboolean               persist;
} Create;

static void
on_caller_uid (guint32 uid, const GError *error, gpointer user_data)
{
  Create *create = user_data;
  GDBusMethodInvocation *invocation = create->invocation;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  rcd_daemon_calls_changed (create->daemon, -1);

  if (error != NULL)
    {
      rcd_error_return (invocation, error);
    }
  else
    {
      path = rcd_daemon_create_session (create->daemon,
                                        g_dbus_method_invocation_get_sender (invocation),
                                        uid, create->persist, &local_error);
      if (path == NULL)
        rcd_error_return (invocation, local_error);
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", path));
    }
  g_free (create);
}

static gboolean
handle_create_image_creator (RcdDBusManager            *manager,
                             GDBusMethodInvocation *invocation,
                             GVariant              *options,
                             gpointer               user_data)
{
  RcdDaemon *daemon = user_data;
  g_autoptr(GError) error = NULL;
  Create *create;

  if (!rcd_options_check (options, "CreateImageCreator", create_options, &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  create = g_new0 (Create, 1);
  create->daemon = daemon;
  create->invocation = invocation;
  if (!g_variant_lookup (options, "persist", "b", &create->persist))
    create->persist = FALSE;

  /* The session's limits and owner need the caller's uid: ask the bus
   * without blocking. */
  rcd_daemon_calls_changed (daemon, +1);
  rcd_callers_get_uid (daemon->callers,
                       g_dbus_method_invocation_get_sender (invocation),
                       on_caller_uid, create);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_inspect_image (RcdDBusManager            *manager,
                      GDBusMethodInvocation *invocation,
                      GUnixFDList           *fd_list,
                      GVariant              *image,
                      GVariant              *options,
                      gpointer               user_data)
{
  RcdDaemon *daemon = user_data;

  rcd_inspector_handle (daemon->inspector, invocation, fd_list, image, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

RcdDBusManager *
rcd_manager_object_new (RcdDaemon *daemon)
{
  RcdDBusManager *manager = rcd_dbus_manager_skeleton_new ();

  rcd_dbus_manager_set_version (manager, RCD_VERSION);
  rcd_dbus_manager_set_supported_input_formats (manager, rcd_audio_open_get_formats ());
  g_signal_connect (manager, "handle-create-image-creator",
                    G_CALLBACK (handle_create_image_creator), daemon);
  g_signal_connect (manager, "handle-inspect-image",
                    G_CALLBACK (handle_inspect_image), daemon);
  return manager;
}
