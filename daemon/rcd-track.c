/* rcd-track.c: the Track objects of a session. */
#include "rcd-track.h"

#include "rc-geometry.h"
#include "rc-measure.h"
#include "rcd-cdtext.h"
#include "rcd-error.h"
#include "rcd-guard.h"

struct _RcdTrack {
  RcdDBusTrackSkeleton parent;

  GObject          *session;
  RcdTrackDiscFunc  get_disc;
  guint             index;      /* 1-based, as the engine counts */
  char             *path;
  RcAudioSource    *source;     /* its audio, for what reading it measured */
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rcd_track_track_init (RcdDBusTrackIface *iface);

G_DEFINE_TYPE_WITH_CODE (RcdTrack, rcd_track, RCD_DBUS_TYPE_TRACK_SKELETON,
                         G_IMPLEMENT_INTERFACE (RCD_DBUS_TYPE_TRACK,
                                                rcd_track_track_init))

const char *
rcd_track_get_path (RcdTrack *self)
{
  return self->path;
}

/* What clients show of the track, all from the engine (rc-geometry.h). */
static void
refresh_geometry (RcdDBusTrack *track, const RcLayout *layout, guint index)
{
  const RcLayoutTrack *t = &layout->tracks[index - 1];
  gint64 playing = rc_geometry_track_playing_sectors (layout, index);
  g_autofree char *start_msf = rc_geometry_lba_to_msf (t->start_lba);
  g_autofree char *playing_time = rc_geometry_sectors_to_msf ((guint64) MAX (playing, 0));

  rcd_dbus_track_set_pregap (track, (gint) rc_geometry_track_pregap (layout, index));
  rcd_dbus_track_set_start_msf (track, start_msf);
  rcd_dbus_track_set_playing_sectors (track, (gint) playing);
  rcd_dbus_track_set_playing_time (track, playing_time);
}

void
rcd_track_refresh (RcdTrack *self, RcDisc *disc)
{
  RcdDBusTrack *track = RCD_DBUS_TRACK (self);
  const RcLayoutTrack *t = rc_disc_get_track (disc, self->index);
  g_autofree char *isrc = rc_disc_track_dup_isrc (disc, self->index);

  rcd_dbus_track_set_starting_lba (track, t->start_lba);
  rcd_dbus_track_set_sector_count (track, rc_disc_track_get_sector_count (disc, self->index));
  rcd_dbus_track_set_track_number (track, (gint) t->number);
  rcd_dbus_track_set_isrc (track, isrc);
  rcd_dbus_track_set_digital_audio_copy_setting (track, t->copy);
  rcd_dbus_track_set_audio_has_preemphasis (track, t->preemphasis);
  rcd_dbus_track_set_track_indexes (track,
    g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, t->index_offsets,
                               t->n_indexes, sizeof t->index_offsets[0]));
  rcd_dbus_track_set_cd_text (track, rcd_cdtext_get (disc, self->index));
  rcd_dbus_track_set_pregap_audio (track,
    rc_pregap_audio_to_string (rc_disc_track_get_pregap_audio (disc, self->index)));
  rcd_dbus_track_set_postgap (track, rc_disc_track_get_postgap (disc, self->index));
  rcd_dbus_track_set_pregap_start (track, rc_disc_track_get_pregap_start (disc, self->index));
  refresh_geometry (track, rc_disc_peek_layout (disc), self->index);
}

/* --- the source's account (issue 13) ----------------------------------- */

void
rcd_track_describe_source (RcdTrack *self, RcAudioSource *source)
{
  RcdDBusTrack *track = RCD_DBUS_TRACK (self);

  rcd_dbus_track_set_source_format (track, rc_audio_source_get_description (source));
  rcd_dbus_track_set_conversions (track, rc_audio_source_get_conversions (source));
  g_clear_pointer (&self->source, rc_audio_source_unref);
  self->source = rc_audio_source_ref (source);
}

/* What the conversion measured: known only after a reader went through
 * the whole stream, so a job that ended early leaves it unmeasured. */
void
rcd_track_publish_levels (RcdTrack *self)
{
  RcdDBusTrack *track = RCD_DBUS_TRACK (self);
  RcDisc *disc = self->get_disc (self->session, NULL);
  const RcLayout *layout = disc != NULL ? rc_disc_peek_layout (disc) : NULL;
  RcAudioSource *source = layout != NULL ? rc_measure_track_source (layout, self->index) : NULL;
  guint64 clipped = 0;
  RcLevels levels;

  /* tracks cut from one file are read through the first one's source */
  if (source == NULL)
    source = self->source;
  if (source == NULL || !rc_audio_source_get_clipped (source, &clipped))
    return;
  rcd_dbus_track_set_clipped_samples (track, clipped);
  rcd_dbus_track_set_levels_measured (track, TRUE);
  /* the levels of the track's own range of its stream, when a job
   * measured them (rc-measure.h) */
  if (layout != NULL && rc_measure_get_levels (layout, self->index, &levels))
    {
      double sample_peak, true_peak, loudness;

      rc_measure_levels_db (&levels, &sample_peak, &true_peak, &loudness);
      rcd_dbus_track_set_sample_peak (track, sample_peak);
      rcd_dbus_track_set_true_peak (track, true_peak);
      rcd_dbus_track_set_integrated_loudness (track, loudness);
      rcd_dbus_track_set_loudness_measured (track, TRUE);
    }
}

/* Property writes: the engine validates, its error goes to the caller. */
static gboolean
track_set_property (GDBusInterfaceSkeleton  *skeleton,
                    const char              *name,
                    GVariant                *value,
                    GError                 **error)
{
  RcdTrack *self = RCD_TRACK (skeleton);
  RcDisc *disc = self->get_disc (self->session, error);
  guint number;
  gboolean ok;

  if (disc == NULL)
    return FALSE;
  /* Messages name the track by its number, as the engine's CD-TEXT
   * messages and the client do, not by its position on the disc. */
  number = rc_disc_get_track (disc, self->index)->number;

  if (g_str_equal (name, "ISRC"))
    ok = rc_disc_track_set_isrc (disc, self->index, g_variant_get_string (value, NULL), error);
  else if (g_str_equal (name, "DigitalAudioCopySetting"))
    ok = rc_disc_track_set_copy_setting (disc, self->index, g_variant_get_uint32 (value), error);
  else if (g_str_equal (name, "AudioHasPreemphasis"))
    ok = rc_disc_track_set_preemphasis (disc, self->index, g_variant_get_boolean (value), error);
  else if (g_str_equal (name, "CdText"))
    ok = rcd_cdtext_set (disc, self->index, value, error);
  else if (g_str_equal (name, "Pregap"))
    ok = rc_disc_track_set_pregap (disc, self->index, g_variant_get_int32 (value), error);
  else if (g_str_equal (name, "PregapAudio"))
    {
      RcPregapAudio audio;

      ok = rc_pregap_audio_from_string (g_variant_get_string (value, NULL), &audio, error)
           && rc_disc_track_set_pregap_audio (disc, self->index, audio, error);
    }
  else if (g_str_equal (name, "PregapStart"))
    ok = rc_disc_track_set_pregap_start (disc, self->index, g_variant_get_int64 (value), error);
  else if (g_str_equal (name, "Postgap"))
    ok = rc_disc_track_set_postgap (disc, self->index, g_variant_get_int32 (value), error);
  else
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "property '%s' cannot be set", name);
      return FALSE;
    }

  /* A refused value leaves the model as it was: nothing to announce. */
  if (!ok)
    {
      g_prefix_error (error, "cannot set %s of track %u: ", name, number);
      return FALSE;
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

static gboolean
handle_add_track_index (RcdDBusTrack              *track,
                        GDBusMethodInvocation *invocation,
                        gint                   lba_offset)
{
  RcdTrack *self = RCD_TRACK (track);
  g_autoptr(GError) error = NULL;
  RcDisc *disc = self->get_disc (self->session, &error);
  gboolean existed = FALSE;

  if (disc == NULL
      || !rc_disc_track_add_index (disc, self->index, lba_offset, &existed, &error))
    {
      if (disc != NULL)
        g_prefix_error (&error, "AddTrackIndex(%d) on track %u: ", lba_offset,
                        rc_disc_get_track (disc, self->index)->number);
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  rcd_dbus_track_complete_add_track_index (track, invocation, existed);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_clear_track_index (RcdDBusTrack              *track,
                          GDBusMethodInvocation *invocation,
                          gint                   lba_offset)
{
  RcdTrack *self = RCD_TRACK (track);
  g_autoptr(GError) error = NULL;
  RcDisc *disc = self->get_disc (self->session, &error);

  if (disc == NULL
      || !rc_disc_track_clear_index (disc, self->index, lba_offset, &error))
    {
      if (disc != NULL)
        g_prefix_error (&error, "ClearTrackIndex(%d) on track %u: ", lba_offset,
                        rc_disc_get_track (disc, self->index)->number);
      rcd_error_return (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  rcd_dbus_track_complete_clear_track_index (track, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

RcdTrack *
rcd_track_new (const RcdContext *context,
               GObject          *session,
               const char       *session_path,
               RcdOwner         *owner,
               RcdCallQueue     *queue,
               RcdTrackDiscFunc  get_disc,
               guint             index,
               GError          **error)
{
  g_autoptr(RcdTrack) self = g_object_new (RCD_TYPE_TRACK, NULL);

  self->session = g_object_ref (session);
  self->get_disc = get_disc;
  self->index = index;
  self->path = g_strdup_printf (RCD_TRACK_PATH_FMT, session_path, index);
  /* Audio is the only sector type (AddTrack refuses the others). */
  rcd_dbus_track_set_sector_type (RCD_DBUS_TRACK (self), 0);

  rcd_guard_attach (G_DBUS_INTERFACE_SKELETON (self), owner, context, queue,
                    NULL, track_set_property);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self),
                                         context->connection, self->path, error))
    {
      g_prefix_error (error, "cannot export %s: ", self->path);
      rcd_error_convert (error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
rcd_track_unexport (RcdTrack *self)
{
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self));
}

static void
rcd_track_finalize (GObject *object)
{
  RcdTrack *self = RCD_TRACK (object);

  g_object_unref (self->session);
  g_clear_pointer (&self->source, rc_audio_source_unref);
  g_free (self->path);
  G_OBJECT_CLASS (rcd_track_parent_class)->finalize (object);
}

static void
rcd_track_init (RcdTrack *self)
{
}

static void
rcd_track_class_init (RcdTrackClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rcd_track_finalize;
  rcd_guard_class_init (G_DBUS_INTERFACE_SKELETON_CLASS (klass));

  /* After a call of the track changed the disc model. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
rcd_track_track_init (RcdDBusTrackIface *iface)
{
  iface->handle_add_track_index = handle_add_track_index;
  iface->handle_clear_track_index = handle_clear_track_index;
}
