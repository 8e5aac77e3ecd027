/* rcd-session.c: the ImageCreator object: its life, adding audio, and
 * Close (properties: rcd-session-properties.c; output:
 * rcd-session-output.c). */
#include "rcd-session-private.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rcd-audio-open.h"
#include "rcd-error.h"
#include "rcd-fd-check.h"
#include "rcd-guard.h"
#include "rcd-options.h"
#include "rcd-track.h"

/* IMAPI_CD_SECTOR_TYPE: the only one supported. */
#define RCD_SECTOR_TYPE_AUDIO 0

static void rcd_session_image_creator_init (RcdDBusImageCreatorIface *iface);

G_DEFINE_TYPE_WITH_CODE (RcdSession, rcd_session, RCD_DBUS_TYPE_IMAGE_CREATOR_SKELETON,
                         G_IMPLEMENT_INTERFACE (RCD_DBUS_TYPE_IMAGE_CREATOR,
                                                rcd_session_image_creator_init))

enum {
  SIGNAL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Close() ends the session at once, even with calls waiting. */
static const char *const immediate_methods[] = { "Close", NULL };

static const RcdOptionSpec audio_options[] = {
  { "format", "s" },
  { "start", "t" },
  { "length", "t" },
  { "dither", "b" },
  { NULL },
};

/* --- accessors ------------------------------------------------------------ */

const char *
rcd_session_get_path (RcdSession *self)
{
  return self->path;
}

RcdOwner *
rcd_session_get_owner (RcdSession *self)
{
  return self->owner;
}

RcDisc *
rcd_session_get_disc (RcdSession *self, GError **error)
{
  if (self->ended)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_CANCELLED, "session %s has ended: %s",
                   self->path, self->end_reason);
      return NULL;
    }
  return self->disc;
}

/* For the tracks (RcdTrackDiscFunc). */
static RcDisc *
session_get_disc (GObject *session, GError **error)
{
  return rcd_session_get_disc (RCD_SESSION (session), error);
}

/* --- AddTrack, AddSpecialPregap ------------------------------------------- */

typedef enum {
  ADD_TRACK,
  ADD_SPECIAL_PREGAP,
} AddKind;

typedef struct {
  RcdSession            *session;
  GDBusMethodInvocation *invocation;
  AddKind                kind;
  RcStreamRange          range;   /* options start and length, the file's identity */
} Add;

/* Options `start` and `length` (t): the range of the stream, in frames;
 * the engine checks it against the stream once its length is known. */
static gboolean
parse_range (GVariant *options, RcStreamRange *range, GError **error)
{
  guint64 start = 0, length = 0;
  gboolean has_length = g_variant_lookup (options, "length", "t", &length);
  gboolean has_start = g_variant_lookup (options, "start", "t", &start);

  if (start > G_MAXINT64 || length > G_MAXINT64)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "option '%s' is %" G_GUINT64_FORMAT " frames, more than any stream holds",
                   start > G_MAXINT64 ? "start" : "length", MAX (start, length));
      return FALSE;
    }
  range->start = (gint64) start;
  range->length = has_length ? (gint64) length : -1;
  range->cut = has_start || has_length;
  return TRUE;
}

/* Which file fd is, for the engine's checks of ranges of one file.  A pipe
 * is read once, by one reader: a second range of it is refused before its
 * (absent) header is waited for. */
static gboolean
identify_stream (RcDisc *disc, int fd, RcStreamId *id, GError **error)
{
  struct stat st;
  g_autofree char *user = NULL;

  if (fstat (fd, &st) != 0)
    return TRUE;        /* rcd_fd_take_checked() looked at it already */
  id->dev = (guint64) st.st_dev;
  id->ino = (guint64) st.st_ino;
  if ((S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)) && rc_disc_stream_in_use (disc, id, &user))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "this pipe already supplies %s; a pipe can be read only once, "
                   "so it can supply only one range", user);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_format (GVariant *options, RcAudioFormat *format, GError **error)
{
  const char *name = NULL;

  *format = RC_AUDIO_FORMAT_AUTO;
  if (!g_variant_lookup (options, "format", "&s", &name) || g_str_equal (name, "auto"))
    return TRUE;
  if (g_str_equal (name, "raw"))
    {
      *format = RC_AUDIO_FORMAT_RAW;
      return TRUE;
    }
  if (g_str_equal (name, "raw-big-endian"))
    {
      *format = RC_AUDIO_FORMAT_RAW_BIG_ENDIAN;
      return TRUE;
    }
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "option 'format' must be \"auto\", \"raw\" or \"raw-big-endian\", not \"%s\"",
               name);
  return FALSE;
}

static void
apply_add (RcdSession *self, Add *add, RcAudioSource *source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdTrack) track = NULL;
  guint index;

  if (add->kind == ADD_SPECIAL_PREGAP)
    {
      if (!rc_disc_set_special_pregap_range (self->disc, source, &add->range, &error))
        {
          rcd_error_return (add->invocation, error);
          return;
        }
      g_info ("%s: special pregap set (%s)", self->path,
              rc_audio_source_get_description (source));
      rcd_session_changed (self);
      rcd_dbus_image_creator_complete_add_special_pregap (RCD_DBUS_IMAGE_CREATOR (self),
                                                     add->invocation, NULL);
      return;
    }

  index = rc_disc_add_track_range (self->disc, source, &add->range, &error);
  if (index == 0)
    {
      rcd_error_return (add->invocation, error);
      return;
    }

  track = rcd_track_new (self->context, G_OBJECT (self), self->path, self->owner,
                         self->queue, session_get_disc, index, &error);
  if (track == NULL)
    {
      /* The engine has the track: the session can go on without its
       * object, but the caller must hear of it. */
      g_warning ("%s: %s", self->path, error->message);
      rcd_error_return (add->invocation, error);
      return;
    }
  rcd_track_describe_source (track, source);
  g_signal_connect_object (track, "changed", G_CALLBACK (rcd_session_changed), self,
                           G_CONNECT_SWAPPED);
  g_ptr_array_add (self->tracks, g_object_ref (track));
  g_info ("%s: track %u added (%s)", self->path, index,
          rc_audio_source_get_description (source));
  rcd_session_changed (self);
  /* With its properties set; it goes with the session. */
  rcd_object_manager_add (self->context->objects, G_DBUS_INTERFACE_SKELETON (track), self->owner);
  rcd_dbus_image_creator_complete_add_track (RCD_DBUS_IMAGE_CREATOR (self), add->invocation, NULL,
                                        (gint) index,
                                        rcd_track_get_path (track));
}

static void
on_audio_opened (GObject *unused, GAsyncResult *result, gpointer user_data)
{
  Add *add = user_data;
  RcdSession *self = add->session;
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) source = rcd_audio_open_finish (result, &error);

  if (self->ended)
    g_dbus_method_invocation_return_error (add->invocation, RC_ERROR, RC_ERROR_CANCELLED,
                                           "session %s has ended: %s",
                                           self->path, self->end_reason);
  else if (source == NULL)
    rcd_error_return (add->invocation, error);
  else
    apply_add (self, add, source);

  /* The calls that came after this one may go on. */
  rcd_call_queue_release (self->queue);
  g_object_unref (add->session);
  g_free (add);
}

/* The methods that change the layout refuse once it is frozen. */
static gboolean
check_not_frozen (RcDisc *disc, const char *method, GError **error)
{
  if (!rc_disc_is_frozen (disc))
    return TRUE;
  g_set_error (error, RC_ERROR, RC_ERROR_READ_ONLY,
               "%s: the session is read-only since the image was requested "
               "(CreateResultImage or GetSideFiles)", method);
  return FALSE;
}

/* Checks the descriptor and reads its header on a worker; the session's
 * later calls wait for the result, so that tracks are added in call
 * order. */
static void
start_add (RcdSession            *self,
           GDBusMethodInvocation *invocation,
           AddKind                kind,
           GUnixFDList           *fd_list,
           GVariant              *handle,
           GVariant              *options)
{
  const char *method = kind == ADD_TRACK ? "AddTrack" : "AddSpecialPregap";
  const RcdConfig *config = &self->context->config;
  g_autoptr(GError) error = NULL;
  RcStreamRange range = { { 0, 0 }, 0, -1, FALSE };
  RcAudioFormat format;
  gboolean dither = TRUE;
  RcDisc *disc;
  Add *add;
  int fd;

  disc = rcd_session_get_disc (self, &error);
  if (disc == NULL
      || !rcd_options_check (options, method, audio_options, &error)
      || !parse_format (options, &format, &error)
      || !parse_range (options, &range, &error)
      || !check_not_frozen (disc, method, &error))
    {
      rcd_error_return (invocation, error);
      return;
    }
  /* checked as a boolean above; absent: dither */
  g_variant_lookup (options, "dither", "b", &dither);
  /* IMAPI's own limit (99) gives TooManyTracks from the engine; a lower
   * limit of the service gives LimitExceeded. */
  if (kind == ADD_TRACK && config->max_tracks < RC_MAX_TRACK_NUMBER
      && rc_disc_get_n_tracks (disc) >= config->max_tracks)
    {
      rcd_error_return_service (invocation, RCD_ERROR_LIMIT_EXCEEDED,
                            "the session has reached the service's limit of %u "
                            "track%s (--max-tracks)", config->max_tracks,
                            config->max_tracks == 1 ? "" : "s");
      return;
    }

  fd = rcd_fd_take_checked (fd_list, handle, "data", rcd_fd_check_input, &error);
  if (fd < 0)
    {
      rcd_error_return (invocation, error);
      return;
    }
  if (!identify_stream (disc, fd, &range.id, &error))
    {
      close (fd);
      g_prefix_error (&error, "%s: ", method);
      rcd_error_return (invocation, error);
      return;
    }

  add = g_new0 (Add, 1);
  add->session = g_object_ref (self);
  add->invocation = invocation;
  add->kind = kind;
  add->range = range;
  rcd_call_queue_hold (self->queue);
  rcd_audio_open_async (self->context->header_workers, fd, format, dither,
                        config->header_timeout,
                        kind == ADD_TRACK ? "the track" : "the special pregap",
                        self->cancellable,
                        on_audio_opened, add);
}

static gboolean
handle_add_track (RcdDBusImageCreator       *ic,
                  GDBusMethodInvocation *invocation,
                  GUnixFDList           *fd_list,
                  guint                  sector_type,
                  GVariant              *data,
                  GVariant              *options)
{
  if (sector_type != RCD_SECTOR_TYPE_AUDIO)
    {
      rcd_error_return_new (invocation, RC_ERROR_SECTOR_TYPE_NOT_SUPPORTED,
                            "argument 'sector_type' is %u; only 0 (audio) is "
                            "supported", sector_type);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  start_add (RCD_SESSION (ic), invocation, ADD_TRACK, fd_list, data, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_add_special_pregap (RcdDBusImageCreator       *ic,
                           GDBusMethodInvocation *invocation,
                           GUnixFDList           *fd_list,
                           GVariant              *data,
                           GVariant              *options)
{
  start_add (RCD_SESSION (ic), invocation, ADD_SPECIAL_PREGAP, fd_list, data, options);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- AddSubcodeRWGenerator ------------------------------------------------ */

static gboolean
handle_add_subcode_rw_generator (RcdDBusImageCreator       *ic,
                                 GDBusMethodInvocation *invocation,
                                 GUnixFDList           *fd_list,
                                 GVariant              *data,
                                 GVariant              *options)
{
  RcdSession *self = RCD_SESSION (ic);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcSubcodeSource) source = NULL;
  RcDisc *disc = rcd_session_get_disc (self, &error);
  int fd;

  if (disc == NULL
      || !rcd_options_check (options, "AddSubcodeRWGenerator", NULL, &error)
      || !check_not_frozen (disc, "AddSubcodeRWGenerator", &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  fd = rcd_fd_take_checked (fd_list, data, "data", rcd_fd_check_file, &error);
  if (fd < 0)
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  /* Only fstat: the stream is read by the jobs, on their workers.  The
   * engine refuses PQ_ONLY; the length is checked against the image when
   * it is frozen, since tracks may still come. */
  source = rc_subcode_source_new_from_fd (fd, &error);
  if (source == NULL || !rc_disc_set_rw_generator (disc, source, &error))
    {
      g_prefix_error (&error, "AddSubcodeRWGenerator: ");
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_info ("%s: R-W generator set (%" G_GINT64_FORMAT " sectors)", self->path,
          rc_subcode_source_get_sectors (source));
  rcd_session_changed (self);
  rcd_dbus_image_creator_complete_add_subcode_rw_generator (ic, invocation, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- Close and the end ---------------------------------------------------- */

static gboolean
handle_close (RcdDBusImageCreator       *ic,
              GDBusMethodInvocation *invocation)
{
  RcdSession *self = RCD_SESSION (ic);
  g_autoptr(GError) error = NULL;

  if (rcd_session_get_disc (self, &error) == NULL)
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  rcd_session_end (self, "the session was closed");
  rcd_dbus_image_creator_complete_close (ic, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
rcd_session_end (RcdSession *self, const char *reason)
{
  g_autoptr(RcdSession) keep = NULL;

  if (self->ended)
    return;
  keep = g_object_ref (self);
  self->ended = TRUE;
  self->end_reason = g_strdup (reason);
  g_info ("%s ends: %s", self->path, reason);

  g_cancellable_cancel (self->cancellable);
  rcd_call_queue_close (self->queue, reason);
  rcd_session_drop_jobs (self, reason);

  for (guint i = 0; i < self->tracks->len; i++)
    rcd_track_unexport (g_ptr_array_index (self->tracks, i));
  g_ptr_array_set_size (self->tracks, 0);

  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self));
  rcd_audience_remove (self->context->audience, self->path);
  rcd_owner_unwatch (self->owner);
  g_clear_pointer (&self->disc, rc_disc_free);

  g_signal_emit (self, signals[SIGNAL_ENDED], 0);
}

/* The owner's watch: a persistent session does not time out while a job
 * of it is unfinished. */
static gboolean
owner_busy (gpointer user_data)
{
  return rcd_session_count_unfinished_jobs (RCD_SESSION (user_data)) > 0;
}

static void
owner_gone (const char *reason, gpointer user_data)
{
  rcd_session_end (RCD_SESSION (user_data), reason);
}

RcdSession *
rcd_session_new (const RcdContext *context,
                 const char       *path,
                 RcdOwner         *owner,
                 GError          **error)
{
  g_autoptr(RcdSession) self = g_object_new (RCD_TYPE_SESSION, NULL);

  self->context = context;
  self->path = g_strdup (path);
  self->owner = rcd_owner_ref (owner);
  self->disc = rc_disc_new ();
  self->queue = rcd_guard_call_queue_new (&(RcdCallQueueLimits) {
                                            .max_waiting = RCD_MAX_PENDING_CALLS,
                                            .max_bytes = RCD_MAX_PENDING_BYTES,
                                            .max_fds = RCD_MAX_PENDING_FDS,
                                            .budget = context->call_budget,
                                            .uid = owner->uid,
                                          });

  rcd_dbus_image_creator_set_persistent (RCD_DBUS_IMAGE_CREATOR (self), owner->persist);
  rcd_session_changed (self);
  rcd_guard_attach (G_DBUS_INTERFACE_SKELETON (self), owner, context,
                    self->queue, immediate_methods, rcd_session_set_property);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self),
                                         context->connection, path, error))
    {
      g_prefix_error (error, "cannot export %s: ", path);
      rcd_error_convert (error);
      self->ended = TRUE;
      self->end_reason = g_strdup ("it could not be exported");
      return NULL;
    }

  /* Its signals, and its tracks', go to its owner only. */
  rcd_audience_add (context->audience, path, owner);
  rcd_owner_watch (owner, context->connection, context->config.persist_timeout,
                   owner_busy, owner_gone, self);
  return g_steal_pointer (&self);
}

/* --- GObject -------------------------------------------------------------- */

static void
rcd_session_finalize (GObject *object)
{
  RcdSession *self = RCD_SESSION (object);

  g_clear_pointer (&self->disc, rc_disc_free);
  g_ptr_array_unref (self->jobs);
  g_ptr_array_unref (self->tracks);
  g_clear_pointer (&self->queue, rcd_call_queue_unref);
  g_object_unref (self->cancellable);
  rcd_owner_unref (self->owner);
  g_free (self->end_reason);
  g_free (self->path);

  G_OBJECT_CLASS (rcd_session_parent_class)->finalize (object);
}

static void
rcd_session_init (RcdSession *self)
{
  self->tracks = g_ptr_array_new_with_free_func (g_object_unref);
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

static void
rcd_session_class_init (RcdSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcd_session_finalize;
  rcd_guard_class_init (G_DBUS_INTERFACE_SKELETON_CLASS (klass));

  signals[SIGNAL_ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);
}

static void
rcd_session_image_creator_init (RcdDBusImageCreatorIface *iface)
{
  iface->handle_add_track = handle_add_track;
  iface->handle_add_special_pregap = handle_add_special_pregap;
  iface->handle_add_subcode_rw_generator = handle_add_subcode_rw_generator;
  iface->handle_create_result_image = rcd_session_handle_create_result_image;
  iface->handle_get_side_files = rcd_session_handle_get_side_files;
  iface->handle_measure_levels = rcd_session_handle_measure_levels;
  iface->handle_close = handle_close;
}

