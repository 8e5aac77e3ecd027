/* rc-error.h: the engine's error codes.
 *
 * One code per error name of the API contract (docs/api.md §9).  The engine
 * knows nothing of D-Bus: the daemon maps this domain onto
 * org.rawcd.RawCD1.Error.<Name> using rc_error_name().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RC_ERROR (rc_error_quark ())

typedef enum {
  RC_ERROR_READ_ONLY,
  RC_ERROR_TOO_MANY_TRACKS,
  RC_ERROR_SECTOR_TYPE_NOT_SUPPORTED,
  RC_ERROR_NO_TRACKS,
  RC_ERROR_TRACKS_ALREADY_ADDED,
  RC_ERROR_INSUFFICIENT_SPACE,
  RC_ERROR_TOO_MANY_TRACK_INDEXES,
  RC_ERROR_TRACK_INDEX_NOT_FOUND,
  RC_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
  RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
  RC_ERROR_TRACK_TOO_SHORT,
  RC_ERROR_INVALID_ARGUMENT,
  RC_ERROR_UNSUPPORTED_AUDIO,
  RC_ERROR_ACCESS_DENIED,
  RC_ERROR_LIMIT_EXCEEDED,
  RC_ERROR_CANCELLED,
  RC_ERROR_FAILED,
} RcError;

#define RC_ERROR_N_CODES (RC_ERROR_FAILED + 1)

GQuark      rc_error_quark (void);

/* The API name of a code ("ReadOnly", "TooManyTracks", ...). */
const char *rc_error_name  (RcError code);

G_END_DECLS
