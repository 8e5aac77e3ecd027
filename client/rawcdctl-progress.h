/* rawcdctl-progress.h: how far an image job is: a progress bar on stderr, and/or
 * one JSON object per update on stdout, with a final result object.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RCD_CTL_PROGRESS_BAR  = 1 << 0,   /* redrawn on stderr with \r */
  RCD_CTL_PROGRESS_JSON = 1 << 1,   /* one object per line on stdout */
} RcdCtlProgressFlags;

/* A job's properties (org.rawcd.RawCD1.Job) */
typedef struct {
  const char *state;
  double      progress;            /* 0..1 */
  guint64     sectors_written;
  guint64     total_sectors;
  guint64     bytes_written;
  guint64     rate;                /* bytes/s, 0 unknown */
  guint64     start_time;          /* µs since the epoch */
  guint64     expected_end_time;   /* µs since the epoch, 0 unknown */
} RcdCtlProgressInfo;

typedef struct _RcdCtlProgress RcdCtlProgress;

/* output: the output file name, shown with the bar and in the result. */
RcdCtlProgress *rcd_ctl_progress_new    (RcdCtlProgressFlags flags,
                                         const char         *output);

/* At most about ten redraws or objects a second; a new state always
 * shows. */
void            rcd_ctl_progress_update (RcdCtlProgress           *progress,
                                         const RcdCtlProgressInfo *info);

/* Ends the bar (drawn once more from info if given, then a newline) and
 * prints the JSON result object {"type": "result", "state", "success",
 * "message", "error_name" (the D-Bus error name of a failure that came
 * from the bus, else null), "output" (the file on success, else null),
 * "files" (every file written on success: output and its side files, else
 * null), "bytes_written", "clipped" (on success: [{"track": N, "samples":
 * M}] for each track whose conversion clipped, else null)}.
 * info may be NULL when no job was started. */
void            rcd_ctl_progress_finish (RcdCtlProgress           *progress,
                                         const char               *state,
                                         gboolean                  success,
                                         const char               *message,
                                         const char               *error_name,
                                         const RcdCtlProgressInfo *info);

/* The files the job makes (output first), for the JSON result; by
 * default only output. */
void            rcd_ctl_progress_set_files (RcdCtlProgress     *progress,
                                            const char *const  *files);

/* The tracks' levels (RcdCtlLevels, rawcdctl-levels.h) when the job
 * measured them, for the JSON result's "levels": [{"track": N, "levels":
 * {...}}] (null when not measured); NULL: not measured. */
void            rcd_ctl_progress_set_levels (RcdCtlProgress *progress,
                                             GArray         *levels);

/* The tracks that clipped (RcdCtlClipping, rawcdctl-levels.h), for the
 * JSON result; NULL: none known. */
void            rcd_ctl_progress_set_clipping (RcdCtlProgress *progress,
                                               GArray         *clipping);

void            rcd_ctl_progress_free   (RcdCtlProgress *progress);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlProgress, rcd_ctl_progress_free)

G_END_DECLS
