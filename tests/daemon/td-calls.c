/* td-calls.c: D-Bus calls with the contract's names, error checks, and
 * the Job.Completed watch (see td.h). */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* ---- calls ------------------------------------------------------------ */

GVariant *
td_call_fd (GDBusConnection    *conn,
            const char         *path,
            const char         *iface,
            const char         *method,
            GVariant           *params,
            const GVariantType *reply_type,
            int                 fd,
            GError            **error)
{
  g_autoptr(GUnixFDList) fds = NULL;

  if (fd >= 0)
    {
      fds = g_unix_fd_list_new ();
      if (g_unix_fd_list_append (fds, fd, error) < 0)
        {
          if (params != NULL)
            g_variant_unref (g_variant_ref_sink (params));
          return NULL;
        }
    }
  return g_dbus_connection_call_with_unix_fd_list_sync (conn, RAWCD_BUS_NAME, path, iface, method,
                                                        params, reply_type,
                                                        G_DBUS_CALL_FLAGS_NONE,
                                                        td_call_timeout_ms (),
                                                        fds, NULL, NULL, error);
}

GVariant *
td_get (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
        GError **error)
{
  g_autoptr(GVariant) reply = td_call (conn, path, "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", iface, prop),
                                       G_VARIANT_TYPE ("(v)"), error);
  GVariant *value = NULL;

  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(v)", &value);
  return value;
}

gboolean
td_set (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
        GVariant *value, GError **error)
{
  g_autoptr(GVariant) reply = td_call (conn, path, "org.freedesktop.DBus.Properties", "Set",
                                       g_variant_new ("(ssv)", iface, prop, value),
                                       NULL, error);
  return reply != NULL;
}

static GVariant *
get_typed (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
           const char *type)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = td_get (conn, path, iface, prop, &error);

  if (error != NULL)
    g_error ("Get %s.%s on %s: %s", iface, prop, path, error->message);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE (type)))
    g_error ("%s.%s is of type %s, the contract says %s", iface, prop,
             g_variant_get_type_string (value), type);
  return value;
}

gint32
td_get_i (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "i");
  return g_variant_get_int32 (v);
}

guint32
td_get_u (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "u");
  return g_variant_get_uint32 (v);
}

guint64
td_get_t (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "t");
  return g_variant_get_uint64 (v);
}

gboolean
td_get_b (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "b");
  return g_variant_get_boolean (v);
}

gdouble
td_get_d (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "d");
  return g_variant_get_double (v);
}

char *
td_get_s (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "s");
  return g_variant_dup_string (v, NULL);
}

GStrv
td_get_ao (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "ao");
  return g_variant_dup_objv (v, NULL);
}

GArray *
td_get_ai (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "ai");
  gsize n = 0;
  const gint32 *items = g_variant_get_fixed_array (v, &n, sizeof (gint32));
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (gint32), n);

  g_array_append_vals (array, items, n);
  return array;
}

GBytes *
td_get_ay (GDBusConnection *conn, const char *path, const char *iface, const char *prop)
{
  g_autoptr(GVariant) v = get_typed (conn, path, iface, prop, "ay");
  return g_variant_get_data_as_bytes (v);
}

void
td_set_ok (GDBusConnection *conn, const char *path, const char *iface, const char *prop,
           GVariant *value)
{
  g_autoptr(GError) error = NULL;

  td_set (conn, path, iface, prop, value, &error);
  if (error != NULL)
    g_error ("Set %s.%s on %s: %s", iface, prop, path, error->message);
}

char *
td_error_name (const GError *error)
{
  if (error == NULL || !g_dbus_error_is_remote_error (error))
    return NULL;
  return g_dbus_error_get_remote_error (error);
}

void
td_assert_error_impl (const char *file, int line, const char *func,
                      const GError *error, const char *name)
{
  g_autofree char *expected = strchr (name, '.') ? g_strdup (name)
                                                 : g_strconcat (RAWCD_ERROR_PREFIX, name, NULL);
  g_autofree char *remote = td_error_name (error);
  g_autofree char *msg = NULL;
  g_autoptr(GError) copy = NULL;

  if (error == NULL)
    msg = g_strdup_printf ("expected the error %s, the call succeeded", expected);
  else if (remote == NULL)
    msg = g_strdup_printf ("expected the error %s, got a local error: %s", expected,
                           error->message);
  else if (strcmp (remote, expected) != 0)
    msg = g_strdup_printf ("expected the error %s, got %s", expected, error->message);
  else
    {
      copy = g_error_copy (error);
      g_dbus_error_strip_remote_error (copy);
      if (g_strstrip (copy->message)[0] == '\0')
        msg = g_strdup_printf ("the error %s has an empty message", expected);
      else
        g_test_message ("%s: %s", expected, copy->message);
    }
  if (msg != NULL)
    g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

void
td_assert_no_object_impl (const char *file, int line, const char *func, const GError *error)
{
  static const char *const names[] = {
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownInterface",
    "org.freedesktop.DBus.Error.UnknownMethod",
    NULL,
  };
  g_autofree char *remote = td_error_name (error);
  g_autofree char *msg = NULL;

  if (error == NULL)
    msg = g_strdup ("expected an unknown-object error, the call succeeded");
  else if (remote == NULL || !g_strv_contains (names, remote))
    msg = g_strdup_printf ("expected an unknown-object error, got %s", error->message);
  if (msg != NULL)
    g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

char *
td_create_session (GDBusConnection *conn, GVariant *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  char *path = NULL;

  if (options == NULL)
    options = g_variant_new ("a{sv}", NULL);
  reply = td_call (conn, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER, "CreateImageCreator",
                   g_variant_new ("(@a{sv})", options), G_VARIANT_TYPE ("(o)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(o)", &path);
  g_assert_true (g_regex_match_simple ("^/org/rawcd/RawCD1/ImageCreator/[0-9]+$", path, 0, 0));
  return path;
}

gint
td_add_track (GDBusConnection *conn, const char *creator, const char *path,
              GVariant *options, char **track_path, GError **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *track = NULL;
  g_autofree char *pattern = NULL;
  gint32 index = 0;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  if (options == NULL)
    options = g_variant_new ("a{sv}", NULL);
  reply = td_call_fd (conn, creator, RAWCD_IFACE_CREATOR, "AddTrack",
                      g_variant_new ("(uh@a{sv})", 0, 0, options),
                      G_VARIANT_TYPE ("(io)"), fd, error);
  close (fd);
  if (reply == NULL)
    return 0;
  g_variant_get (reply, "(io)", &index, &track);
  g_assert_cmpint (index, >=, 1);
  pattern = g_strdup_printf ("^%s/Track/%d$", creator, index);
  if (!g_regex_match_simple (pattern, track, 0, 0))
    g_error ("AddTrack returned track %d as %s", index, track);
  if (track_path != NULL)
    *track_path = g_steal_pointer (&track);
  return index;
}

void
td_add_track_ok (GDBusConnection *conn, const char *creator, const char *audio,
                 char **track_path)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (td_add_track (conn, creator, td_audio (audio), NULL, track_path, &error), >, 0);
  g_assert_no_error (error);
}

GVariant *
td_no_options (void)
{
  return g_variant_new ("a{sv}", NULL);
}

typedef struct {
  GDBusConnection *conn;
  const char      *path;
  const char      *iface;
  GError          *error;
} GoneData;

static gboolean
object_gone (gpointer data)
{
  GoneData *gone = data;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *name = NULL;

  g_clear_error (&gone->error);
  reply = td_call (gone->conn, gone->path, "org.freedesktop.DBus.Properties", "GetAll",
                   g_variant_new ("(s)", gone->iface), NULL, &gone->error);
  name = td_error_name (gone->error);
  return name != NULL && g_str_has_prefix (name, "org.freedesktop.DBus.Error.Unknown");
}

static gboolean
object_gone_poll (gpointer data)
{
  if (object_gone (data))
    return TRUE;
  td_spin (20);
  return FALSE;
}

void
td_wait_object_gone (GDBusConnection *conn, const char *path, const char *iface)
{
  GoneData gone = { conn, path, iface, NULL };

  td_wait_until (NULL, object_gone_poll, &gone, 10000 * td_slowdown ());
  if (gone.error == NULL)
    g_error ("%s still answers GetAll(%s)", path, iface);
  td_assert_no_object (gone.error);
  g_clear_error (&gone.error);
}

/* ---- jobs ------------------------------------------------------------- */

typedef struct {
  guint    count;
  gboolean success;
  char    *message;
} Completion;

struct _TdJobWatch {
  GDBusConnection *conn;
  GMainContext    *context;
  guint            subscription;
  GHashTable      *completions;   /* path -> Completion */
};

static void
completion_free (gpointer data)
{
  Completion *c = data;
  g_free (c->message);
  g_free (c);
}

static void
completed_cb (GDBusConnection *conn, const char *sender, const char *path,
              const char *iface, const char *signal, GVariant *params, gpointer data)
{
  TdJobWatch *watch = data;
  Completion *c;

  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(bs)")))
    g_error ("Completed on %s has the signature %s, the contract says (bs)", path,
             g_variant_get_type_string (params));
  c = g_hash_table_lookup (watch->completions, path);
  if (c == NULL)
    {
      c = g_new0 (Completion, 1);
      g_hash_table_insert (watch->completions, g_strdup (path), c);
    }
  c->count++;
  g_free (c->message);
  g_variant_get (params, "(bs)", &c->success, &c->message);
}

TdJobWatch *
td_job_watch_new (GDBusConnection *conn)
{
  TdJobWatch *watch = g_new0 (TdJobWatch, 1);

  watch->conn = g_object_ref (conn);
  watch->context = g_main_context_ref_thread_default ();
  watch->completions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, completion_free);
  watch->subscription = g_dbus_connection_signal_subscribe (conn, NULL, RAWCD_IFACE_JOB,
                                                            "Completed", NULL, NULL,
                                                            G_DBUS_SIGNAL_FLAGS_NONE,
                                                            completed_cb, watch, NULL);
  /* The AddMatch goes out before any later call of ours on this
   * connection, so the bus has it before the daemon can emit. */
  return watch;
}

void
td_job_watch_free (TdJobWatch *watch)
{
  g_dbus_connection_signal_unsubscribe (watch->conn, watch->subscription);
  g_hash_table_unref (watch->completions);
  g_main_context_unref (watch->context);
  g_object_unref (watch->conn);
  g_free (watch);
}

typedef struct {
  TdJobWatch *watch;
  const char *job;
} WaitData;

static gboolean
job_completed (gpointer data)
{
  WaitData *w = data;
  return g_hash_table_contains (w->watch->completions, w->job);
}

gboolean
td_job_watch_wait (TdJobWatch *watch, const char *job, guint timeout_s,
                   gboolean *success, char **message)
{
  WaitData w = { watch, job };
  Completion *c;

  if (!td_wait_until (watch->context, job_completed, &w, timeout_s * 1000 * td_slowdown ()))
    return FALSE;
  c = g_hash_table_lookup (watch->completions, job);
  if (success != NULL)
    *success = c->success;
  if (message != NULL)
    *message = g_strdup (c->message);
  return TRUE;
}

guint
td_job_watch_count (TdJobWatch *watch, const char *job)
{
  Completion *c = g_hash_table_lookup (watch->completions, job);
  return c ? c->count : 0;
}

char *
td_create_result_image (GDBusConnection *conn, const char *creator, int out_fd,
                        GError **error)
{
  g_autoptr(GVariant) reply = td_call_fd (conn, creator, RAWCD_IFACE_CREATOR, "CreateResultImage",
                                          g_variant_new ("(h@a{sv})", 0,
                                                         g_variant_new ("a{sv}", NULL)),
                                          G_VARIANT_TYPE ("(o)"), out_fd, error);
  char *job = NULL;

  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(o)", &job);
  if (!g_regex_match_simple ("^/org/rawcd/RawCD1/Job/[0-9]+$", job, 0, 0))
    g_error ("CreateResultImage returned the job %s", job);
  return job;
}
