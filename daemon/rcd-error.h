/* rcd-error.h: the service's errors on the bus.
 *
 * Two domains travel as org.rawcd.RawCD1.Error.<Name>: the engine's RcError
 * (rc-error.h), so that an engine GError can be returned to a caller as it
 * is, and the daemon's own RcdError for what only a service refuses
 * (AccessDenied, LimitExceeded).  rcd-error.c holds the one table of names.
 */
#pragma once

#include <gio/gio.h>

#include "rc-error.h"

G_BEGIN_DECLS

#define RCD_ERROR (rcd_error_quark ())

typedef enum {
  RCD_ERROR_ACCESS_DENIED,
  RCD_ERROR_LIMIT_EXCEEDED,
} RcdError;

#define RCD_ERROR_N_CODES (RCD_ERROR_LIMIT_EXCEEDED + 1)

GQuark rcd_error_quark (void);

/* Registers both domains with GDBus; call once from main(). */
void rcd_error_register (void);

/* The D-Bus error name of an error of either domain ("AccessDenied"...,
 * without the prefix), or NULL for any other domain or code. */
const char *rcd_error_name (GQuark domain, gint code);

/* Returns error to the caller.  Errors of other domains (GIO, GLib) become
 * RC_ERROR_FAILED with the same message: every reply carries one of the
 * API's error names.  error NULL (a failure that said nothing, a bug) is
 * answered too, with Failed, and logged. */
void rcd_error_return (GDBusMethodInvocation *invocation,
                       const GError          *error);

/* g_dbus_method_invocation_return_error() for RC_ERROR. */
void rcd_error_return_new (GDBusMethodInvocation *invocation,
                           RcError                code,
                           const char            *format,
                           ...) G_GNUC_PRINTF (3, 4);

/* The same for the daemon's own RCD_ERROR. */
void rcd_error_return_service (GDBusMethodInvocation *invocation,
                               RcdError               code,
                               const char            *format,
                               ...) G_GNUC_PRINTF (3, 4);

/* Turns any error into one of the API's domains (same message;
 * RC_ERROR_FAILED unless it is a cancellation, which becomes
 * RC_ERROR_CANCELLED). */
void rcd_error_convert (GError **error);

G_END_DECLS
