/* rcd-error.c: maps the engine's RcError codes to D-Bus error names. */
#include "rcd-error.h"

#include <string.h>

#include "rcd-config.h"

#define ENTRY(code, name) { code, RAWCD_ERROR_PREFIX name }

static const GDBusErrorEntry rcd_error_entries[] = {
  ENTRY (RC_ERROR_READ_ONLY, "ReadOnly"),
  ENTRY (RC_ERROR_TOO_MANY_TRACKS, "TooManyTracks"),
  ENTRY (RC_ERROR_SECTOR_TYPE_NOT_SUPPORTED, "SectorTypeNotSupported"),
  ENTRY (RC_ERROR_NO_TRACKS, "NoTracks"),
  ENTRY (RC_ERROR_TRACKS_ALREADY_ADDED, "TracksAlreadyAdded"),
  ENTRY (RC_ERROR_INSUFFICIENT_SPACE, "InsufficientSpace"),
  ENTRY (RC_ERROR_TOO_MANY_TRACK_INDEXES, "TooManyTrackIndexes"),
  ENTRY (RC_ERROR_TRACK_INDEX_NOT_FOUND, "TrackIndexNotFound"),
  ENTRY (RC_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED, "TrackIndexOffsetZeroCannotBeCleared"),
  ENTRY (RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "TrackIndexTooCloseToOtherIndex"),
  ENTRY (RC_ERROR_TRACK_TOO_SHORT, "TrackTooShort"),
  ENTRY (RC_ERROR_INVALID_ARGUMENT, "InvalidArgument"),
  ENTRY (RC_ERROR_UNSUPPORTED_AUDIO, "UnsupportedAudio"),
  ENTRY (RC_ERROR_ACCESS_DENIED, "AccessDenied"),
  ENTRY (RC_ERROR_LIMIT_EXCEEDED, "LimitExceeded"),
  ENTRY (RC_ERROR_CANCELLED, "Cancelled"),
  ENTRY (RC_ERROR_FAILED, "Failed"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (rcd_error_entries) == RC_ERROR_N_CODES);

void
rcd_error_register (void)
{
  static gsize quark = 0;

  if (quark != 0)
    return;

  /* The table is written out so that the names are static strings; check
   * that it agrees with the engine's names, code by code. */
  for (guint i = 0; i < G_N_ELEMENTS (rcd_error_entries); i++)
    {
      const GDBusErrorEntry *entry = &rcd_error_entries[i];
      const char *suffix = entry->dbus_error_name + strlen (RAWCD_ERROR_PREFIX);

      g_assert (entry->error_code == (gint) i);
      g_assert (g_str_equal (suffix, rc_error_name (entry->error_code)));
    }

  g_dbus_error_register_error_domain ("rc-error-quark", &quark,
                                      rcd_error_entries,
                                      G_N_ELEMENTS (rcd_error_entries));
  g_assert (quark == RC_ERROR);
}

void
rcd_error_convert (GError **error)
{
  GError *old;
  RcError code;

  if (error == NULL || *error == NULL || (*error)->domain == RC_ERROR)
    return;

  old = *error;
  code = g_error_matches (old, G_IO_ERROR, G_IO_ERROR_CANCELLED)
    ? RC_ERROR_CANCELLED : RC_ERROR_FAILED;
  *error = g_error_new_literal (RC_ERROR, code, old->message);
  g_error_free (old);
}

void
rcd_error_return (GDBusMethodInvocation *invocation,
                  const GError          *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  rcd_error_convert (&copy);
  g_dbus_method_invocation_return_gerror (invocation, copy);
}

void
rcd_error_return_new (GDBusMethodInvocation *invocation,
                      RcError                code,
                      const char            *format,
                      ...)
{
  va_list args;

  va_start (args, format);
  g_dbus_method_invocation_return_error_valist (invocation, RC_ERROR, code,
                                                format, args);
  va_end (args);
}
