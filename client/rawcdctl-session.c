/* rawcdctl-session.c: a session on the service made of a parsed disc: the
 * audio files opened and passed as descriptors, the CD-TEXT file read, and
 * every property and index of the command line set.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>

#include "rawcdctl.h"
#include "rawcdctl-session.h"

/* ---- the files ------------------------------------------------------- */

static int
open_audio (const char *path, GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  struct stat st;
  int fd;

  fd = rcd_ctl_open_read (path, error);
  if (fd < 0)
    return -1;
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode)) {
    close (fd);
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                 "cannot read %s: %s", display, g_strerror (EISDIR));
    return -1;
  }
  return fd;
}

/* The CD-TEXT file, then the options over it */
static gboolean
load_cdtext (RcdCtlDisc *disc, GError **error)
{
  g_autoptr(RcdCtlCdText) cdtext = rcd_ctl_cdtext_new (disc->tracks->len);

  /* lowest first: a sheet's (or tags') text, the file, the options */
  for (guint i = 0; i < disc->sheet_cdtext->len; i++) {
    RcdCtlCdTextOption *option = g_ptr_array_index (disc->sheet_cdtext, i);

    if (option->track == 0 && strcmp (option->field, "genre") == 0)
      rcd_ctl_cdtext_set_genre_coded (cdtext, option->text);
    else
      rcd_ctl_cdtext_set (cdtext, option->track, option->field, option->text);
  }
  if (disc->cdtext_file != NULL &&
      !rcd_ctl_cdtext_load_file (cdtext, disc->cdtext_file, error)) {
    g_prefix_error (error, "--cdtext: ");
    return FALSE;
  }
  for (guint i = 0; i < disc->cdtext_options->len; i++) {
    RcdCtlCdTextOption *option = g_ptr_array_index (disc->cdtext_options, i);

    rcd_ctl_cdtext_set (cdtext, option->track, option->field, option->text);
  }
  g_clear_pointer (&disc->cdtext, rcd_ctl_cdtext_free);
  if (!rcd_ctl_cdtext_is_empty (cdtext))
    disc->cdtext = g_steal_pointer (&cdtext);
  return TRUE;
}

gboolean
rcd_ctl_session_open_files (RcdCtlDisc *disc, GError **error)
{
  /* a CUE sheet's files are open already (rcd_ctl_cue_disc_new) */
  if (disc->hidden_path != NULL && disc->hidden_source == NULL) {
    disc->hidden_fd = open_audio (disc->hidden_path, error);
    if (disc->hidden_fd < 0)
      return FALSE;
  }
  for (guint i = 0; i < disc->tracks->len; i++) {
    RcdCtlTrackSpec *track = g_ptr_array_index (disc->tracks, i);

    if (track->source != NULL)
      continue;
    track->fd = open_audio (track->path, error);
    if (track->fd < 0)
      return FALSE;
  }
  return load_cdtext (disc, error);
}

/* ---- the session ----------------------------------------------------- */

#define PROXY_FLAGS (G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | \
                     G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS)

/* The options of AddTrack and AddSpecialPregap: source's range from start
 * (length 0: to the end); only what differs from the defaults, so that a
 * plain disc needs no newer service. */
static GVariant *
audio_options (RcdCtlDisc *disc, const RcdCtlSource *source, guint64 start, guint64 length)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (source != NULL && source->raw && source->big_endian)
    g_variant_builder_add (&builder, "{sv}", "format", g_variant_new_string ("raw-big-endian"));
  else if (disc->raw || (source != NULL && source->raw))
    g_variant_builder_add (&builder, "{sv}", "format", g_variant_new_string ("raw"));
  if (disc->no_dither)
    g_variant_builder_add (&builder, "{sv}", "dither", g_variant_new_boolean (FALSE));
  if (start > 0)
    g_variant_builder_add (&builder, "{sv}", "start", g_variant_new_uint64 (start));
  if (length > 0)
    g_variant_builder_add (&builder, "{sv}", "length", g_variant_new_uint64 (length));
  return g_variant_builder_end (&builder);
}

/* What a message about a track names: the sheet's line, else the file. */
static char *
track_origin (const RcdCtlTrackSpec *track)
{
  if (track->origin != NULL)
    return g_strdup (track->origin);
  return g_filename_display_name (track->path);
}

static gboolean
set_disc_properties (RcdCtlDisc *disc, RcdDBusImageCreator *creator, GError **error)
{
  GDBusProxy *proxy = G_DBUS_PROXY (creator);

  if (disc->image_type != 0 &&
      !rcd_ctl_set_property (proxy, "ResultingImageType",
                             g_variant_new_uint32 (disc->image_type), error)) {
    rcd_ctl_prefix_error (error, "--image-type: ");
    return FALSE;
  }
  if (disc->gaps &&
      !rcd_ctl_set_property (proxy, "DisableGaplessAudio",
                             g_variant_new_boolean (TRUE), error)) {
    rcd_ctl_prefix_error (error, "--gaps: ");
    return FALSE;
  }
  if (disc->has_first_track &&
      !rcd_ctl_set_property (proxy, "StartingTrackNumber",
                             g_variant_new_int32 (disc->first_track), error)) {
    rcd_ctl_prefix_error (error, "--first-track %d: ", disc->first_track);
    return FALSE;
  }
  if (disc->mcn != NULL &&
      !rcd_ctl_set_property (proxy, "MediaCatalogNumber",
                             g_variant_new_string (disc->mcn), error)) {
    if (disc->mcn_origin != NULL)
      rcd_ctl_prefix_error (error, "%s %s: ", disc->mcn_origin, disc->mcn);
    else
      rcd_ctl_prefix_error (error, "--mcn %s: ", disc->mcn);
    return FALSE;
  }
  if (disc->has_leadout_limit &&
      !rcd_ctl_set_property (proxy, "StartOfLeadoutLimit",
                             g_variant_new_int32 (disc->leadout_limit), error)) {
    rcd_ctl_prefix_error (error, "--leadout-limit %s: ", disc->leadout_limit_arg);
    return FALSE;
  }
  return TRUE;
}

/* The languages of the blocks, then the disc's text */
static gboolean
set_disc_cdtext (RcdCtlDisc *disc, RcdDBusImageCreator *creator, GError **error)
{
  GDBusProxy *proxy = G_DBUS_PROXY (creator);
  g_autoptr(GVariant) languages = NULL;
  gboolean is_default = TRUE;

  if (disc->cdtext == NULL)
    return TRUE;
  languages = g_variant_ref_sink (rcd_ctl_cdtext_languages (disc->cdtext, &is_default));
  if (!is_default &&
      !rcd_ctl_set_property (proxy, "CdTextLanguages", languages, error)) {
    rcd_ctl_prefix_error (error, "CD-TEXT languages: ");
    return FALSE;
  }
  if (!rcd_ctl_set_property (proxy, "CdText", rcd_ctl_cdtext_variant (disc->cdtext, 0), error)) {
    rcd_ctl_prefix_error (error, "CD-TEXT of the disc: ");
    return FALSE;
  }
  return TRUE;
}

static gboolean
add_special_pregap (RcdCtlDisc *disc, RcdDBusImageCreator *creator, GError **error)
{
  g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new ();
  g_autofree char *display = disc->hidden_origin != NULL ? g_strdup (disc->hidden_origin)
                                                        : g_filename_display_name (disc->hidden_path);
  RcdCtlSource *source = disc->hidden_source;
  int handle;

  handle = g_unix_fd_list_append (fd_list, source != NULL ? source->fd : disc->hidden_fd, error);
  if (handle < 0)
    return FALSE;
  if (!rcd_dbus_image_creator_call_add_special_pregap_sync (creator,
                                                       g_variant_new_handle (handle),
                                                       audio_options (disc, source,
                                                                      disc->hidden_start,
                                                                      disc->hidden_length),
                                                       G_DBUS_CALL_FLAGS_NONE,
                                                       G_MAXINT,   /* headers of pipes may be slow */
                                                       fd_list, NULL, NULL, error)) {
    if (source != NULL)
      rcd_ctl_prefix_error (error, "%s: hidden track: ", display);
    else
      rcd_ctl_prefix_error (error, "--hidden-track %s: ", display);
    return FALSE;
  }
  if (source == NULL) {
    close (disc->hidden_fd);   /* the service has its own */
    disc->hidden_fd = -1;
  }
  return TRUE;
}

/* InsufficientSpace names the limit in sectors; the service also has it
 * as a time on the disc, which says more to a user. */
static void
add_limit_time (RcdDBusImageCreator *creator, GError **error)
{
  GDBusProxy *proxy = G_DBUS_PROXY (creator);
  g_autofree char *name = rcd_ctl_error_name (*error);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  char *message;

  if (g_strcmp0 (name, RAWCD_ERROR_PREFIX "InsufficientSpace") != 0)
    return;
  reply = g_dbus_connection_call_sync (g_dbus_proxy_get_connection (proxy),
                                       g_dbus_proxy_get_name (proxy),
                                       g_dbus_proxy_get_object_path (proxy),
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", RAWCD_IFACE_CREATOR,
                                                      "StartOfLeadoutLimitMSF"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, NULL);
  if (reply == NULL)
    return;
  g_variant_get (reply, "(v)", &value);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return;
  message = g_strdup_printf ("%s (the limit is at %s on the disc)", (*error)->message,
                             g_variant_get_string (value, NULL));
  g_free ((*error)->message);
  (*error)->message = message;
}

/* AddTrack calls in flight at once.  The service takes a session's calls
 * in the order they were sent and answers each when its header is read;
 * with the next call already waiting there, it starts on it at once
 * instead of after a round trip through the bus and this process.  Few
 * enough to stay far below the service's limits on a session's waiting
 * calls and their descriptors. */
#define ADD_TRACK_WINDOW 4

typedef struct {
  RcdCtlTrackSpec *track;
  GError          *error;
  gboolean         done;
} AddTrackCall;

static void
add_track_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AddTrackCall *call = user_data;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_proxy_call_with_unix_fd_list_finish (G_DBUS_PROXY (source), NULL, result,
                                                      &call->error);
  if (reply != NULL && !g_variant_is_of_type (reply, G_VARIANT_TYPE ("(io)")))
    g_set_error (&call->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the service answered AddTrack with %s instead of (io)",
                 g_variant_get_type_string (reply));
  else if (reply != NULL)
    g_variant_get (reply, "(io)", NULL, &call->track->object_path);
  call->done = TRUE;
}

/* Sends the AddTrack of one track; add_track_done() gets its answer. */
static gboolean
send_add_track (RcdCtlDisc *disc, RcdDBusImageCreator *creator, AddTrackCall *call,
                GError **error)
{
  RcdCtlTrackSpec *track = call->track;
  g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new ();
  int handle;

  handle = g_unix_fd_list_append (fd_list, track->source != NULL ? track->source->fd : track->fd,
                                  error);
  if (handle < 0)
    return FALSE;
  /* no time limit: a long MP3 without a length in its header is counted */
  g_dbus_proxy_call_with_unix_fd_list (G_DBUS_PROXY (creator), "AddTrack",
                                       g_variant_new ("(uh@a{sv})", 0, handle,
                                                      audio_options (disc, track->source,
                                                                     track->start,
                                                                     track->length)),
                                       G_DBUS_CALL_FLAGS_NONE, G_MAXINT, fd_list, NULL,
                                       add_track_done, call);
  return TRUE;
}

/* AddTrack of every track, ADD_TRACK_WINDOW at a time; the first failure
 * in the order of the tracks is the one reported, once the calls sent
 * are answered (the session is given up then: what was added after it
 * does not matter). */
static gboolean
add_tracks (RcdCtlDisc *disc, RcdDBusImageCreator *creator, GError **error)
{
  guint n = disc->tracks->len;
  g_autofree AddTrackCall *calls = g_new0 (AddTrackCall, n);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) send_error = NULL;
  guint sent = 0, answered = 0;
  gboolean failed = FALSE;

  /* the answers are dispatched here, not in whatever loop is the default */
  g_main_context_push_thread_default (context);
  while (answered < sent || (!failed && sent < n)) {
    if (!failed && sent < n && sent - answered < ADD_TRACK_WINDOW) {
      calls[sent].track = g_ptr_array_index (disc->tracks, sent);
      if (!send_add_track (disc, creator, &calls[sent], &send_error)) {
        calls[sent].error = g_steal_pointer (&send_error);
        calls[sent].done = TRUE;
      }
      sent++;
      continue;
    }
    while (!calls[answered].done)
      g_main_context_iteration (context, TRUE);
    failed |= calls[answered].error != NULL;
    answered++;
  }
  g_main_context_pop_thread_default (context);

  for (guint i = 0; i < sent; i++) {
    RcdCtlTrackSpec *track = calls[i].track;

    if (calls[i].error != NULL) {
      g_autofree char *display = track_origin (track);

      g_propagate_error (error, calls[i].error);
      for (guint j = i + 1; j < sent; j++)
        g_clear_error (&calls[j].error);
      add_limit_time (creator, error);
      rcd_ctl_prefix_error (error, "%s: ", display);
      return FALSE;
    }
    if (track->source == NULL) {
      close (track->fd);   /* the service has its own */
      track->fd = -1;
    }
  }
  return TRUE;
}

/* A sheet's pregap and postgap: before any index is set, as a pregap
 * taken from the previous track's audio shortens that track. */
static gboolean
set_track_gaps (RcdCtlTrackSpec *track, GDBusConnection *connection, GError **error)
{
  g_autoptr(RcdDBusTrack) proxy = NULL;
  g_autofree char *display = NULL;

  if (track->pregap < 0 && track->postgap < 0)
    return TRUE;
  display = track_origin (track);
  proxy = rcd_dbus_track_proxy_new_sync (connection, PROXY_FLAGS, RAWCD_BUS_NAME,
                                    track->object_path, NULL, error);
  if (proxy == NULL)
    return FALSE;
  if (track->pregap_start >= 0) {
    /* INDEX 00 in the file before: the service places it exactly */
    if (!rcd_ctl_set_property (G_DBUS_PROXY (proxy), "PregapStart",
                               g_variant_new_int64 (track->pregap_start), error)) {
      rcd_ctl_prefix_error (error, "%s: INDEX 00 in the file before: ", display);
      return FALSE;
    }
  } else if (track->pregap >= 0 &&
      ((track->pregap_audio != NULL &&
        !rcd_ctl_set_property (G_DBUS_PROXY (proxy), "PregapAudio",
                               g_variant_new_string (track->pregap_audio), error)) ||
       !rcd_ctl_set_property (G_DBUS_PROXY (proxy), "Pregap",
                              g_variant_new_int32 (track->pregap), error))) {
    rcd_ctl_prefix_error (error, "%s: a pregap of %d sectors: ", display, track->pregap);
    return FALSE;
  }
  if (track->postgap >= 0 &&
      !rcd_ctl_set_property (G_DBUS_PROXY (proxy), "Postgap",
                             g_variant_new_int32 (track->postgap), error)) {
    rcd_ctl_prefix_error (error, "%s: POSTGAP of %d sectors: ", display, track->postgap);
    return FALSE;
  }
  return TRUE;
}

/* number: the track's position on the command line, for messages */
static gboolean
set_track_properties (RcdCtlTrackSpec *track, guint number, const RcdCtlCdText *cdtext,
                      GDBusConnection *connection, GError **error)
{
  g_autoptr(RcdDBusTrack) proxy = NULL;
  g_autoptr(GVariant) text = NULL;

  if (cdtext != NULL)
    text = rcd_ctl_cdtext_variant (cdtext, number);
  if (text != NULL)
    g_variant_ref_sink (text);
  if (track->isrc == NULL && track->copy < 0 && !track->preemphasis &&
      track->indexes->len == 0 && text == NULL)
    return TRUE;

  proxy = rcd_dbus_track_proxy_new_sync (connection, PROXY_FLAGS, RAWCD_BUS_NAME,
                                    track->object_path, NULL, error);
  if (proxy == NULL)
    return FALSE;

  if (track->isrc != NULL &&
      !rcd_ctl_set_property (G_DBUS_PROXY (proxy), "ISRC",
                             g_variant_new_string (track->isrc), error)) {
    if (track->isrc_origin != NULL)
      rcd_ctl_prefix_error (error, "%s %s: ", track->isrc_origin, track->isrc);
    else
      rcd_ctl_prefix_error (error, "--isrc %u:%s: ", number, track->isrc);
    return FALSE;
  }
  if (track->copy >= 0 &&
      !rcd_ctl_set_property (G_DBUS_PROXY (proxy), "DigitalAudioCopySetting",
                             g_variant_new_uint32 ((guint32) track->copy), error)) {
    if (track->flags_origin != NULL)
      rcd_ctl_prefix_error (error, "%s: ", track->flags_origin);
    else
      rcd_ctl_prefix_error (error, "--copy %u:%s: ", number,
                            rcd_ctl_copy_setting_name (track->copy));
    return FALSE;
  }
  if (track->preemphasis &&
      !rcd_ctl_set_property (G_DBUS_PROXY (proxy), "AudioHasPreemphasis",
                             g_variant_new_boolean (TRUE), error)) {
    if (track->flags_origin != NULL)
      rcd_ctl_prefix_error (error, "%s: ", track->flags_origin);
    else
      rcd_ctl_prefix_error (error, "--preemphasis %u: ", number);
    return FALSE;
  }
  for (guint i = 0; i < track->indexes->len; i++) {
    gint32 offset = g_array_index (track->indexes, gint32, i);

    if (!rcd_dbus_track_call_add_track_index_sync (proxy, offset, G_DBUS_CALL_FLAGS_NONE,
                                              -1, NULL, NULL, error)) {
      const char *arg = g_ptr_array_index (track->index_args, i);

      /* a sheet's index names its line: "SHEET:LINE: INDEX 02" */
      if (track->origin != NULL && strstr (arg, ": INDEX ") != NULL)
        rcd_ctl_prefix_error (error, "%s: ", arg);
      else
        rcd_ctl_prefix_error (error, "--index %u:%s: ", number, arg);
      return FALSE;
    }
  }
  if (text != NULL &&
      !rcd_ctl_set_property (G_DBUS_PROXY (proxy), "CdText", text, error)) {
    g_autofree char *display = track_origin (track);

    /* the file, not "track N": the service's message names the track by
     * its number, which is not its position when --first-track is given */
    rcd_ctl_prefix_error (error, "CD-TEXT of %s: ", display);
    return FALSE;
  }
  return TRUE;
}

RcdDBusImageCreator *
rcd_ctl_session_create (RcdCtlDisc      *disc,
                             GDBusConnection *connection,
                             GError         **error)
{
  g_autoptr(RcdDBusManager) manager = NULL;
  g_autoptr(RcdDBusImageCreator) creator = NULL;
  g_autofree char *creator_path = NULL;

  manager = rcd_dbus_manager_proxy_new_sync (connection, PROXY_FLAGS, RAWCD_BUS_NAME,
                                        RAWCD_MANAGER_PATH, NULL, error);
  if (manager == NULL)
    return NULL;
  if (!rcd_dbus_manager_call_create_image_creator_sync (manager,
                                                   g_variant_new ("a{sv}", NULL),
                                                   G_DBUS_CALL_FLAGS_NONE, -1,
                                                   &creator_path, NULL, error)) {
    rcd_ctl_prefix_error (error, "cannot open a session: ");
    return NULL;
  }
  creator = rcd_dbus_image_creator_proxy_new_sync (connection, PROXY_FLAGS, RAWCD_BUS_NAME,
                                              creator_path, NULL, error);
  if (creator == NULL)
    return NULL;

  if (!set_disc_properties (disc, creator, error) ||
      !set_disc_cdtext (disc, creator, error))
    return NULL;
  if (disc->hidden_path != NULL && !add_special_pregap (disc, creator, error))
    return NULL;
  if (!add_tracks (disc, creator, error))
    return NULL;
  for (guint i = 0; i < disc->tracks->len; i++) {
    if (!set_track_gaps (g_ptr_array_index (disc->tracks, i), connection, error))
      return NULL;
  }
  /* after all tracks: with gapless audio a track's length changes when the
   * next one is added, and indexes must lie inside it */
  for (guint i = 0; i < disc->tracks->len; i++) {
    if (!set_track_properties (g_ptr_array_index (disc->tracks, i), i + 1,
                               disc->cdtext, connection, error))
      return NULL;
  }
  return g_steal_pointer (&creator);
}
