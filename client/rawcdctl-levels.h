/* rawcdctl-levels.h: what the service measured of the tracks' audio once
 * an image was written: samples clipped in conversion, which the user must
 * hear of (issue 13: clipping is never silent).
 */
#pragma once

#include "rcd-dbus-generated.h"

G_BEGIN_DECLS

typedef struct {
  guint   number;    /* the track's number on the disc */
  guint64 samples;   /* > 0 */
} RcdCtlClipping;

/* The tracks of the session whose conversion clipped, as an array of
 * RcdCtlClipping in track order (empty when none did, or the service
 * measured nothing). */
GArray *rcd_ctl_levels_read_clipping (RcdDBusImageCreator  *creator,
                                      GError              **error);

/* "rawcdctl: warning: track N: M samples clipped" on stderr for each. */
void    rcd_ctl_levels_warn_clipping (GArray *clipping);

G_END_DECLS
