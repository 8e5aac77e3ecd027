/* rcd-error.c: the one table of the API's error names (rcd-error.h). */
#include "rcd-error.h"

#include "rawcd-names.h"

#define ENTRY(code, name) { code, RAWCD_ERROR_PREFIX name }

/* Indexed by code: the static asserts below check that each table covers
 * its enum, and rcd_error_register() that each entry sits at its code. */
static const GDBusErrorEntry engine_entries[] = {
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
  ENTRY (RC_ERROR_CANCELLED, "Cancelled"),
  ENTRY (RC_ERROR_FAILED, "Failed"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (engine_entries) == RC_ERROR_N_CODES);

static const GDBusErrorEntry service_entries[] = {
  ENTRY (RCD_ERROR_ACCESS_DENIED, "AccessDenied"),
  ENTRY (RCD_ERROR_LIMIT_EXCEEDED, "LimitExceeded"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (service_entries) == RCD_ERROR_N_CODES);

G_DEFINE_QUARK (rcd-error-quark, rcd_error)

static void
register_domain (const char *quark_name, gsize *quark,
                 const GDBusErrorEntry *entries, guint n, GQuark expected)
{
  for (guint i = 0; i < n; i++)
    g_assert (entries[i].error_code == (gint) i);
  g_dbus_error_register_error_domain (quark_name, quark, entries, n);
  g_assert ((GQuark) *quark == expected);
}

void
rcd_error_register (void)
{
  static gsize engine_quark = 0;
  static gsize service_quark = 0;

  if (engine_quark == 0)
    register_domain ("rc-error-quark", &engine_quark, engine_entries,
                     G_N_ELEMENTS (engine_entries), RC_ERROR);
  if (service_quark == 0)
    register_domain ("rcd-error-quark", &service_quark, service_entries,
                     G_N_ELEMENTS (service_entries), RCD_ERROR);
}

const char *
rcd_error_name (GQuark domain, gint code)
{
  const GDBusErrorEntry *entries;
  guint n;

  if (domain == RC_ERROR)
    entries = engine_entries, n = G_N_ELEMENTS (engine_entries);
  else if (domain == RCD_ERROR)
    entries = service_entries, n = G_N_ELEMENTS (service_entries);
  else
    return NULL;
  if (code < 0 || (guint) code >= n)
    return NULL;
  return entries[code].dbus_error_name + sizeof RAWCD_ERROR_PREFIX - 1;
}

void
rcd_error_convert (GError **error)
{
  GError *old;
  RcError code;

  if (error == NULL || *error == NULL
      || (*error)->domain == RC_ERROR || (*error)->domain == RCD_ERROR)
    return;

  old = *error;
  if (g_error_matches (old, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
    {
      /* The daemon ran out of descriptors: a limit of the service. */
      *error = g_error_new (RCD_ERROR, RCD_ERROR_LIMIT_EXCEEDED,
                            "the service has run out of file descriptors (%s); "
                            "try again later", old->message);
      g_error_free (old);
      return;
    }
  code = g_error_matches (old, G_IO_ERROR, G_IO_ERROR_CANCELLED)
    ? RC_ERROR_CANCELLED : RC_ERROR_FAILED;
  *error = g_error_new_literal (RC_ERROR, code, old->message);
  g_error_free (old);
}

void
rcd_error_return (GDBusMethodInvocation *invocation,
                  const GError          *error)
{
  g_autoptr(GError) copy = NULL;

  /* A failure that set no error is a bug of ours, but the invocation is
   * answered all the same: a caller never waits for ever. */
  if (error == NULL)
    {
      g_warning ("%s.%s failed without saying why (a bug)",
                 g_dbus_method_invocation_get_interface_name (invocation),
                 g_dbus_method_invocation_get_method_name (invocation));
      g_dbus_method_invocation_return_error (invocation, RC_ERROR, RC_ERROR_FAILED,
                                             "internal error: %s failed without saying why",
                                             g_dbus_method_invocation_get_method_name (invocation));
      return;
    }
  copy = g_error_copy (error);

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

void
rcd_error_return_service (GDBusMethodInvocation *invocation,
                          RcdError               code,
                          const char            *format,
                          ...)
{
  va_list args;

  va_start (args, format);
  g_dbus_method_invocation_return_error_valist (invocation, RCD_ERROR, code,
                                                format, args);
  va_end (args);
}
