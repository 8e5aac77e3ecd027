/* rc-error.c: the engine's error domain and the API names of its codes. */
#include "rc-error.h"

G_DEFINE_QUARK (rc-error-quark, rc_error)

static const char *const error_names[] = {
  [RC_ERROR_READ_ONLY] = "ReadOnly",
  [RC_ERROR_TOO_MANY_TRACKS] = "TooManyTracks",
  [RC_ERROR_SECTOR_TYPE_NOT_SUPPORTED] = "SectorTypeNotSupported",
  [RC_ERROR_NO_TRACKS] = "NoTracks",
  [RC_ERROR_TRACKS_ALREADY_ADDED] = "TracksAlreadyAdded",
  [RC_ERROR_INSUFFICIENT_SPACE] = "InsufficientSpace",
  [RC_ERROR_TOO_MANY_TRACK_INDEXES] = "TooManyTrackIndexes",
  [RC_ERROR_TRACK_INDEX_NOT_FOUND] = "TrackIndexNotFound",
  [RC_ERROR_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED] = "TrackIndexOffsetZeroCannotBeCleared",
  [RC_ERROR_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX] = "TrackIndexTooCloseToOtherIndex",
  [RC_ERROR_TRACK_TOO_SHORT] = "TrackTooShort",
  [RC_ERROR_INVALID_ARGUMENT] = "InvalidArgument",
  [RC_ERROR_UNSUPPORTED_AUDIO] = "UnsupportedAudio",
  [RC_ERROR_ACCESS_DENIED] = "AccessDenied",
  [RC_ERROR_LIMIT_EXCEEDED] = "LimitExceeded",
  [RC_ERROR_CANCELLED] = "Cancelled",
  [RC_ERROR_FAILED] = "Failed",
};

G_STATIC_ASSERT (G_N_ELEMENTS (error_names) == RC_ERROR_N_CODES);

const char *
rc_error_name (RcError code)
{
  g_return_val_if_fail ((guint) code < RC_ERROR_N_CODES, "Failed");
  return error_names[code];
}
