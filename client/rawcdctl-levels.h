/* rawcdctl-levels.h: what the service measured of the tracks' audio once
 * an image was written: samples clipped in conversion, which the user must
 * hear of (issue 13: clipping is never silent); and, from a job that
 * measures (MeasureLevels, CreateResultImage option levels), each track's
 * sample peak, true peak and integrated loudness.
 */
#pragma once

#include "rcd-dbus-generated.h"
#include "rawcdctl-job.h"
#include "rawcdctl-json.h"

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

/* A track's Levels properties. */
typedef struct {
  guint    number;      /* the track's number on the disc */
  gboolean measured;    /* LoudnessMeasured: the three levels hold values */
  guint64  clipped;     /* ClippedSamples (valid when measured) */
  double   sample_peak; /* dBFS; RCD_CTL_LEVELS_SILENT: minus infinity */
  double   true_peak;   /* dBTP */
  double   loudness;    /* LUFS */
} RcdCtlLevels;

/* The service's minus infinity (digital silence), as the API says. */
#define RCD_CTL_LEVELS_SILENT (-G_MAXDOUBLE)

void    rcd_ctl_levels_from_track (RcdDBusTrack *track, RcdCtlLevels *levels);

/* Every track's RcdCtlLevels, in track order (the Tracks list asked for
 * afresh). */
GArray *rcd_ctl_levels_read       (RcdDBusImageCreator  *creator,
                                   GError              **error);

/* "peak -6.02 dBFS, true peak -5.98 dBTP, loudness -9.01 LUFS"
 * (and ", N samples clipped" when some were); NULL when not measured. */
char   *rcd_ctl_levels_describe   (const RcdCtlLevels *levels);

/* {"sample_peak": dBFS, "true_peak": dBTP, "loudness": LUFS, "clipped": N}
 * with null for minus infinity (silence), or null when not measured. */
void    rcd_ctl_levels_json       (RcdJson *json, const RcdCtlLevels *levels);

/* Runs the session's MeasureLevels job to its end (watch follows it):
 * each track's audio is read and measured, nothing is written. */
gboolean rcd_ctl_levels_measure   (RcdDBusImageCreator  *creator,
                                   RcdCtlJobWatch       *watch,
                                   GError              **error);

G_END_DECLS
