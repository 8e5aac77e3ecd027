/* rcd-error.h: the engine's RcError domain on the bus.
 *
 * Each RcError code travels as org.rawcd.RawCD1.Error.<rc_error_name()>, so
 * that an engine GError can be returned to a caller as it is.
 */
#pragma once

#include <gio/gio.h>

#include "rc-error.h"

G_BEGIN_DECLS

/* Registers the RcError domain with GDBus; call once from main(). */
void rcd_error_register (void);

/* Returns error to the caller.  Errors of other domains (GIO, GLib) become
 * RC_ERROR_FAILED with the same message: every reply carries one of the
 * API's error names. */
void rcd_error_return (GDBusMethodInvocation *invocation,
                       const GError          *error);

/* g_dbus_method_invocation_return_error() for RC_ERROR. */
void rcd_error_return_new (GDBusMethodInvocation *invocation,
                           RcError                code,
                           const char            *format,
                           ...) G_GNUC_PRINTF (3, 4);

/* Turns any error into an RC_ERROR one (same message; RC_ERROR_FAILED unless
 * it is a cancellation, which becomes RC_ERROR_CANCELLED). */
void rcd_error_convert (GError **error);

G_END_DECLS
