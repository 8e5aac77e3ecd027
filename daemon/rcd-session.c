/* rcd-session.c: the ImageCreator object: its properties, its methods and
 * its lifetime. */
#include "rcd-session.h"

#include <string.h>
#include <unistd.h>

#include "rc-discid.h"
#include "rc-format-plan.h"
#include "rc-geometry.h"
#include "rc-sidefiles.h"
#include "rcd-audio-open.h"
#include "rcd-cdtext.h"
#include "rcd-error.h"
#include "rcd-fd-check.h"
#include "rcd-job.h"
#include "rcd-options.h"
#include "rcd-track.h"

/* IMAPI_CD_SECTOR_TYPE: the only one supported. */
#define RCD_SECTOR_TYPE_AUDIO 0

struct _RcdSession {
  RcdDBusImageCreatorSkeleton parent;

  RcdDaemon    *daemon;        /* outlives every session */
  char         *path;
  RcdOwner     *owner;
  RcDisc       *disc;          /* NULL once ended */
  RcdCallQueue *queue;
  GPtrArray    *tracks;        /* RcdTrack, by index - 1 */
  GPtrArray    *jobs;          /* RcdJob */
  GCancellable *cancellable;   /* cancelled when the session ends */
  guint         owner_watch;
  guint         idle_source;
  gboolean      ended;
  char         *end_reason;
};

static void rcd_session_image_creator_init (RcdDBusImageCreatorIface *iface);

G_DEFINE_TYPE_WITH_CODE (RcdSession, rcd_session, RCD_DBUS_TYPE_IMAGE_CREATOR_SKELETON,
                         G_IMPLEMENT_INTERFACE (RCD_DBUS_TYPE_IMAGE_CREATOR,
                                                rcd_session_image_creator_init))

/* Close() ends the session at once, even with calls waiting. */
static const char *const immediate_methods[] = { "Close", NULL };

static const RcdOptionSpec audio_options[] = {
  { "format", "s" },
  { NULL },
};

static const RcdOptionSpec image_options[] = {
  { "format", "s" },
  { "subchannel", "h" },
  { NULL },
};

static const RcdOptionSpec side_file_options[] = {
  { "subchannel_file", "s" },
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

RcdDaemon *
rcd_session_get_daemon (RcdSession *self)
{
  return self->daemon;
}

RcdCallQueue *
rcd_session_get_queue (RcdSession *self)
{
  return self->queue;
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

/* --- properties ----------------------------------------------------------- */

/* DiscIds: a{ss}, {} without tracks. */
static GVariant *
disc_ids_variant (RcDisc *disc)
{
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GList) keys = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  if (rc_disc_get_n_tracks (disc) > 0)
    {
      ids = rc_discid_compute (rc_disc_peek_layout (disc));
      /* In a stable order, so that an unchanged value compares equal. */
      keys = g_list_sort (g_hash_table_get_keys (ids), (GCompareFunc) strcmp);
      for (GList *l = keys; l != NULL; l = l->next)
        g_variant_builder_add (&builder, "{ss}", (const char *) l->data,
                               (const char *) g_hash_table_lookup (ids, l->data));
    }
  return g_variant_builder_end (&builder);
}

/* ImageSizes: a{ut}, the full image's bytes for each ResultingImageType. */
static GVariant *
image_sizes_variant (const RcLayout *layout)
{
  static const RcImageType types[] = {
    RC_IMAGE_TYPE_PQ_ONLY, RC_IMAGE_TYPE_IS_COOKED, RC_IMAGE_TYPE_IS_RAW,
  };
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ut}"));
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_variant_builder_add (&builder, "{ut}", (guint32) types[i],
                           rc_geometry_image_bytes (layout, types[i]));
  return g_variant_builder_end (&builder);
}

/* TableOfContents: a(yyyis), ExpectedTableOfContents decoded. */
static GVariant *
toc_variant (GBytes *toc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = rc_geometry_decode_toc (toc, &error);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(yyyis)"));
  if (entries == NULL)
    {
      /* The engine built the bytes: a failure here is a bug of ours. */
      g_warning ("cannot decode the table of contents: %s", error->message);
      return g_variant_builder_end (&builder);
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const RcTocEntry *e = &g_array_index (entries, RcTocEntry, i);
      g_autofree char *msf = rc_geometry_lba_to_msf (e->lba);

      g_variant_builder_add (&builder, "(yyyis)", e->track, e->adr, e->control,
                             e->lba, msf);
    }
  return g_variant_builder_end (&builder);
}

/* The geometry the clients show, all from the engine (rc-geometry.h). */
static void
publish_geometry (RcdDBusImageCreator *ic, RcDisc *disc, GBytes *toc)
{
  const RcLayout *layout = rc_disc_peek_layout (disc);
  g_autofree char *leadout_msf = rc_geometry_lba_to_msf (layout->leadout_lba);
  g_autofree char *limit_msf =
    rc_geometry_lba_to_msf (rc_disc_get_start_of_leadout_limit (disc));

  rcd_dbus_image_creator_set_image_sectors (ic, (guint64) rc_layout_image_sectors (layout));
  rcd_dbus_image_creator_set_image_sizes (ic, image_sizes_variant (layout));
  rcd_dbus_image_creator_set_start_of_leadout_msf (ic, leadout_msf);
  rcd_dbus_image_creator_set_start_of_leadout_limit_msf (ic, limit_msf);
  rcd_dbus_image_creator_set_smallest_blank (ic, rc_geometry_smallest_blank (layout->leadout_lba));
  rcd_dbus_image_creator_set_table_of_contents (ic, toc_variant (toc));
}

void
rcd_session_changed (RcdSession *self)
{
  RcdDBusImageCreator *ic = RCD_DBUS_IMAGE_CREATOR (self);
  RcDisc *disc = self->disc;
  g_autoptr(GBytes) toc = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  if (self->ended)
    return;

  for (guint i = 0; i < self->tracks->len; i++)
    {
      RcdTrack *track = g_ptr_array_index (self->tracks, i);

      g_ptr_array_add (paths, (gpointer) rcd_track_get_path (track));
      rcd_track_refresh (track, disc);
    }
  g_ptr_array_add (paths, NULL);

  toc = rc_disc_get_expected_toc (disc);
  rcd_dbus_image_creator_set_resulting_image_type (ic, rc_disc_get_image_type (disc));
  rcd_dbus_image_creator_set_start_of_leadout (ic, rc_disc_get_start_of_leadout (disc));
  rcd_dbus_image_creator_set_start_of_leadout_limit (ic, rc_disc_get_start_of_leadout_limit (disc));
  rcd_dbus_image_creator_set_disable_gapless_audio (ic, rc_disc_get_disable_gapless_audio (disc));
  rcd_dbus_image_creator_set_media_catalog_number (ic, rc_disc_get_media_catalog_number (disc));
  rcd_dbus_image_creator_set_starting_track_number (ic, rc_disc_get_starting_track_number (disc));
  rcd_dbus_image_creator_set_number_of_existing_tracks (ic, (gint) rc_disc_get_n_tracks (disc));
  rcd_dbus_image_creator_set_last_used_user_sector_in_image (ic, rc_disc_get_last_used_user_sector (disc));
  rcd_dbus_image_creator_set_expected_table_of_contents (ic,
    toc != NULL ? g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, toc, TRUE)
                : g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, NULL, 0, 1));
  rcd_dbus_image_creator_set_tracks (ic, (const char *const *) paths->pdata);
  rcd_dbus_image_creator_set_cd_text (ic, rcd_cdtext_get (disc, 0));
  rcd_dbus_image_creator_set_cd_text_languages (ic, rcd_cdtext_get_languages (disc));
  rcd_dbus_image_creator_set_disc_ids (ic, disc_ids_variant (disc));
  publish_geometry (ic, disc, toc);
}

/* Property writes: the engine validates, its error goes to the caller. */
static gboolean
session_set_property (GDBusInterfaceSkeleton  *skeleton,
                      const char              *name,
                      GVariant                *value,
                      GError                 **error)
{
  RcdSession *self = RCD_SESSION (skeleton);
  RcDisc *disc = rcd_session_get_disc (self, error);
  gboolean ok;

  if (disc == NULL)
    return FALSE;

  if (g_str_equal (name, "ResultingImageType"))
    ok = rc_disc_set_image_type (disc, g_variant_get_uint32 (value), error);
  else if (g_str_equal (name, "StartOfLeadoutLimit"))
    ok = rc_disc_set_start_of_leadout_limit (disc, g_variant_get_int32 (value), error);
  else if (g_str_equal (name, "DisableGaplessAudio"))
    ok = rc_disc_set_disable_gapless_audio (disc, g_variant_get_boolean (value), error);
  else if (g_str_equal (name, "MediaCatalogNumber"))
    ok = rc_disc_set_media_catalog_number (disc, g_variant_get_string (value, NULL), error);
  else if (g_str_equal (name, "StartingTrackNumber"))
    ok = rc_disc_set_starting_track_number (disc, g_variant_get_int32 (value), error);
  else if (g_str_equal (name, "CdText"))
    ok = rcd_cdtext_set (disc, 0, value, error);
  else if (g_str_equal (name, "CdTextLanguages"))
    ok = rcd_cdtext_set_languages (disc, value, error);
  else
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "property '%s' cannot be set", name);
      return FALSE;
    }

  /* A refused value leaves the model as it was: nothing to announce. */
  if (!ok)
    {
      g_prefix_error (error, "cannot set %s: ", name);
      return FALSE;
    }
  g_debug ("%s: %s set", self->path, name);
  rcd_session_changed (self);
  return TRUE;
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
} Add;

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
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "option 'format' must be \"auto\" or \"raw\", not \"%s\"", name);
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
      if (!rc_disc_set_special_pregap (self->disc, source, &error))
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

  index = rc_disc_add_track (self->disc, source, &error);
  if (index == 0)
    {
      rcd_error_return (add->invocation, error);
      return;
    }

  track = rcd_track_new (self, index, &error);
  if (track == NULL)
    {
      /* The engine has the track: the session can go on without its
       * object, but the caller must hear of it. */
      g_warning ("%s: %s", self->path, error->message);
      rcd_error_return (add->invocation, error);
      return;
    }
  g_ptr_array_add (self->tracks, g_object_ref (track));
  g_info ("%s: track %u added (%s)", self->path, index,
          rc_audio_source_get_description (source));
  rcd_session_changed (self);
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
  RcdConfig *config = &self->daemon->config;
  g_autoptr(GError) error = NULL;
  RcAudioFormat format;
  RcDisc *disc;
  Add *add;
  int fd;

  disc = rcd_session_get_disc (self, &error);
  if (disc == NULL
      || !rcd_options_check (options, method, audio_options, &error)
      || !parse_format (options, &format, &error)
      || !check_not_frozen (disc, method, &error))
    {
      rcd_error_return (invocation, error);
      return;
    }
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

  add = g_new0 (Add, 1);
  add->session = g_object_ref (self);
  add->invocation = invocation;
  add->kind = kind;
  rcd_call_queue_hold (self->queue);
  rcd_audio_open_async (self->daemon->header_workers, fd, format,
                        config->header_timeout, "data", self->cancellable,
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

/* --- CreateResultImage ---------------------------------------------------- */

static guint
count_unfinished_jobs (RcdSession *self)
{
  guint n = 0;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      if (!rcd_job_is_finished (g_ptr_array_index (self->jobs, i)))
        n++;
    }
  return n;
}

static void
on_job_finished (RcdJob *job, RcdSession *self)
{
  /* A long job counts as activity of a persistent session's owner. */
  self->owner->last_used = g_get_monotonic_time ();
}

static void
on_job_expired (RcdJob *job, RcdSession *self)
{
  g_signal_handlers_disconnect_by_data (job, self);
  rcd_job_unexport (job);
  g_ptr_array_remove (self->jobs, job);
}

static gboolean
parse_image_format (GVariant *options, RcOutputFormat *format, GError **error)
{
  const char *name = NULL;

  g_variant_lookup (options, "format", "&s", &name);
  if (!rc_output_format_parse (name, format, error))
    {
      g_prefix_error (error, "option 'format': ");
      return FALSE;
    }
  return TRUE;
}

/* The descriptors of a job, taken from the message and checked: the data
 * file and, for a format with one, the subchannel file.  On failure every
 * descriptor taken is closed. */
static gboolean
take_outputs (RcDisc         *disc,
              RcOutputFormat  format,
              GUnixFDList    *fd_list,
              GVariant       *output,
              GVariant       *options,
              int            *fds,
              GError        **error)
{
  g_autoptr(GVariant) sub_handle = g_variant_lookup_value (options, "subchannel",
                                                           G_VARIANT_TYPE_HANDLE);
  gboolean has_sub = rc_output_format_n_outputs (format, rc_disc_peek_layout (disc)) > 1;

  if (has_sub && sub_handle == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "format \"%s\" writes a subchannel file too: pass its descriptor "
                   "as option 'subchannel' (h)", rc_output_format_to_string (format));
      return FALSE;
    }
  if (!has_sub && sub_handle != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "option 'subchannel' applies only to format \"clonecd\", not to \"%s\"",
                   rc_output_format_to_string (format));
      return FALSE;
    }

  fds[0] = rcd_fd_take_checked (fd_list, output, "output", rcd_fd_check_output, error);
  if (fds[0] < 0)
    return FALSE;
  fds[1] = -1;
  if (has_sub)
    {
      fds[1] = rcd_fd_take_checked (fd_list, sub_handle, "options.subchannel",
                                    rcd_fd_check_output, error);
      if (fds[1] < 0)
        {
          close (g_steal_fd (&fds[0]));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
handle_create_result_image (RcdDBusImageCreator       *ic,
                            GDBusMethodInvocation *invocation,
                            GUnixFDList           *fd_list,
                            GVariant              *output,
                            GVariant              *options)
{
  RcdSession *self = RCD_SESSION (ic);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(RcdJob) job = NULL;
  g_autofree char *job_path = NULL;
  RcDisc *disc = rcd_session_get_disc (self, &error);
  RcImageOutput outputs[RC_FORMAT_PLAN_MAX_OUTPUTS];
  int fds[RC_FORMAT_PLAN_MAX_OUTPUTS] = { -1, -1 };
  RcOutputFormat format;
  RcFormatPlan plan;

  if (disc == NULL
      || !rcd_options_check (options, "CreateResultImage", image_options, &error)
      || !parse_image_format (options, &format, &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (count_unfinished_jobs (self) >= RCD_MAX_JOBS_PER_SESSION)
    {
      rcd_error_return_service (invocation, RCD_ERROR_LIMIT_EXCEEDED,
                            "the session has reached the limit of %u unfinished "
                            "jobs per session; wait for one to complete",
                            RCD_MAX_JOBS_PER_SESSION);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  /* The descriptors first: a call with a bad one leaves the layout as it
   * was, unfrozen. */
  if (!take_outputs (disc, format, fd_list, output, options, fds, &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  layout = rc_disc_freeze (disc, &error);
  if (layout == NULL)
    {
      for (guint o = 0; o < RC_FORMAT_PLAN_MAX_OUTPUTS; o++)
        if (fds[o] >= 0)
          close (fds[o]);
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  rc_format_plan (format, layout, rc_disc_get_image_type (disc), &plan);
  for (guint o = 0; o < plan.n_outputs; o++)
    outputs[o] = (RcImageOutput) { fds[o], plan.forms[o] };

  job_path = rcd_daemon_next_job_path (self->daemon);
  job = rcd_job_new (self->daemon->connection, job_path, self->owner,
                           self->daemon->callers, layout, plan.type,
                           plan.first_lba, plan.end_lba, outputs, plan.n_outputs, &error);
  if (job == NULL)
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_signal_connect (job, "finished", G_CALLBACK (on_job_finished), self);
  g_signal_connect (job, "expired", G_CALLBACK (on_job_expired), self);
  g_ptr_array_add (self->jobs, g_object_ref (job));
  g_info ("%s: job %s created (%s, sectors %d to %d)", self->path, job_path,
          rc_output_format_to_string (format), plan.first_lba, plan.end_lba - 1);

  rcd_session_changed (self);
  rcd_dbus_image_creator_complete_create_result_image (ic, invocation, NULL, job_path);
  rcd_job_start (job, self->daemon->job_workers);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* --- GetSideFiles ---------------------------------------------------------- */

static GVariant *
side_files_variant (GHashTable *files)
{
  g_autoptr(GList) kinds = g_list_sort (g_hash_table_get_keys (files), (GCompareFunc) strcmp);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{say}"));
  for (GList *l = kinds; l != NULL; l = l->next)
    {
      const char *text = g_hash_table_lookup (files, l->data);

      /* The bytes of the file, without the C string's NUL. */
      g_variant_builder_add (&builder, "{s@ay}", (const char *) l->data,
                             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text,
                                                        strlen (text), 1));
    }
  return g_variant_builder_end (&builder);
}

static gboolean
handle_get_side_files (RcdDBusImageCreator       *ic,
                       GDBusMethodInvocation *invocation,
                       const char            *format_name,
                       const char            *data_file,
                       GVariant              *options)
{
  RcdSession *self = RCD_SESSION (ic);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(GHashTable) files = NULL;
  g_autofree char *sub_name = NULL;
  RcDisc *disc = rcd_session_get_disc (self, &error);
  RcSideFormat format;
  const char *sub_option = NULL;

  if (disc == NULL
      || !rcd_options_check (options, "GetSideFiles", side_file_options, &error)
      || !rc_side_format_parse (format_name, &format, &error)
      || !rc_side_file_name_check (data_file, -1, "argument 'data_file'", &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (g_variant_lookup (options, "subchannel_file", "&s", &sub_option)
      && format != RC_SIDE_FORMAT_CLONECD)
    {
      rcd_error_return_new (invocation, RC_ERROR_INVALID_ARGUMENT,
                            "option 'subchannel_file' applies only to format "
                            "\"clonecd\", not to \"%s\"", format_name);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  if (sub_option != NULL
      && !rc_side_file_name_check (sub_option, -1, "option 'subchannel_file'", &error))
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  if (format == RC_SIDE_FORMAT_CLONECD)
    {
      sub_name = sub_option != NULL ? g_strdup (sub_option)
                                    : rc_side_file_default_sub_name (data_file);
      /* NAME.sub from a NAME without an extension is 4 bytes longer. */
      if (!rc_side_file_name_check (sub_name, -1, "the subchannel file's name "
                                    "(made from argument 'data_file')", &error))
        {
          rcd_error_return (invocation, error);
          return G_DBUS_METHOD_INVOCATION_HANDLED;
        }
    }

  /* The engine's checks of the names, on the layout as it stands, before
   * freezing: a call with a bad name leaves the session open, as
   * CreateResultImage with a bad descriptor does.  (Text of a few
   * kilobytes at most: made on the main loop.) */
  if (!rc_disc_is_frozen (disc) && rc_disc_get_n_tracks (disc) > 0)
    {
      g_autoptr(GHashTable) trial = rc_side_files_build (format, rc_disc_peek_layout (disc),
                                                         data_file, sub_name, &error);
      if (trial == NULL)
        {
          g_prefix_error (&error, "GetSideFiles(\"%s\", \"%s\"): ", format_name, data_file);
          rcd_error_return (invocation, error);
          return G_DBUS_METHOD_INVOCATION_HANDLED;
        }
    }

  layout = rc_disc_freeze (disc, &error);
  if (layout == NULL)
    {
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  files = rc_side_files_build (format, layout, data_file, sub_name, &error);
  if (files == NULL)
    {
      g_prefix_error (&error, "GetSideFiles(\"%s\", \"%s\"): ", format_name, data_file);
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  rcd_dbus_image_creator_complete_get_side_files (ic, invocation, side_files_variant (files));
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

  for (guint i = 0; i < self->jobs->len; i++)
    {
      RcdJob *job = g_ptr_array_index (self->jobs, i);
      g_autofree char *message = g_strdup_printf ("cancelled: %s", reason);

      g_signal_handlers_disconnect_by_data (job, self);
      rcd_job_abort (job, message);
      rcd_job_unexport (job);
    }
  g_ptr_array_set_size (self->jobs, 0);

  for (guint i = 0; i < self->tracks->len; i++)
    rcd_track_unexport (g_ptr_array_index (self->tracks, i));
  g_ptr_array_set_size (self->tracks, 0);

  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self));
  if (self->owner_watch != 0)
    {
      g_bus_unwatch_name (self->owner_watch);
      self->owner_watch = 0;
    }
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_pointer (&self->disc, rc_disc_free);

  rcd_daemon_session_ended (self->daemon, self);
}

static void
on_owner_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  rcd_session_end (RCD_SESSION (user_data), "its owner's connection closed");
}

/* A persistent session ends after config.persist_timeout without a call
 * from its owner and without an unfinished job. */
static gboolean
on_idle_check (gpointer user_data)
{
  RcdSession *self = user_data;
  gint64 timeout = (gint64) self->daemon->config.persist_timeout * G_USEC_PER_SEC;
  gint64 idle = g_get_monotonic_time () - self->owner->last_used;
  gint64 wait;

  self->idle_source = 0;
  if (idle >= timeout && count_unfinished_jobs (self) == 0)
    {
      g_autofree char *reason =
        g_strdup_printf ("the persistent session was idle for %u s",
                         self->daemon->config.persist_timeout);
      rcd_session_end (self, reason);
      return G_SOURCE_REMOVE;
    }

  wait = idle >= timeout ? timeout : timeout - idle;
  self->idle_source = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                          (guint) (wait / 1000) + 1,
                                          on_idle_check, self, NULL);
  return G_SOURCE_REMOVE;
}

RcdSession *
rcd_session_new (RcdDaemon  *daemon,
                 const char *path,
                 RcdOwner   *owner,
                 GError    **error)
{
  g_autoptr(RcdSession) self = g_object_new (RCD_TYPE_SESSION, NULL);

  self->daemon = daemon;
  self->path = g_strdup (path);
  self->owner = rcd_owner_ref (owner);
  self->disc = rc_disc_new ();
  self->queue = rcd_call_queue_new (RCD_MAX_PENDING_CALLS);

  rcd_dbus_image_creator_set_persistent (RCD_DBUS_IMAGE_CREATOR (self), owner->persist);
  rcd_session_changed (self);
  rcd_guard_attach (G_DBUS_INTERFACE_SKELETON (self), owner, daemon->callers,
                    self->queue, immediate_methods, session_set_property);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self),
                                         daemon->connection, path, error))
    {
      g_prefix_error (error, "cannot export %s: ", path);
      rcd_error_convert (error);
      self->ended = TRUE;
      self->end_reason = g_strdup ("it could not be exported");
      return NULL;
    }

  if (!owner->persist)
    self->owner_watch = g_bus_watch_name_on_connection (daemon->connection,
                                                        owner->unique_name,
                                                        G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                        NULL, on_owner_vanished,
                                                        self, NULL);
  else if (daemon->config.persist_timeout > 0)
    self->idle_source = g_timeout_add_seconds (daemon->config.persist_timeout,
                                               on_idle_check, self);
  return g_steal_pointer (&self);
}

/* --- GObject -------------------------------------------------------------- */

static void
rcd_session_finalize (GObject *object)
{
  RcdSession *self = RCD_SESSION (object);

  g_assert (self->owner_watch == 0 && self->idle_source == 0);
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
}

static void
rcd_session_image_creator_init (RcdDBusImageCreatorIface *iface)
{
  iface->handle_add_track = handle_add_track;
  iface->handle_add_special_pregap = handle_add_special_pregap;
  iface->handle_add_subcode_rw_generator = handle_add_subcode_rw_generator;
  iface->handle_create_result_image = handle_create_result_image;
  iface->handle_get_side_files = handle_get_side_files;
  iface->handle_close = handle_close;
}
