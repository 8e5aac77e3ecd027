/* rc-inspect-log.h: the problems an inspection finds, as they are found.
 *
 * Every check of the inspector adds to one log; the report takes its
 * problems at the end.  The log keeps the first `max` problems and counts
 * all of them, so that a fault repeated in every sector costs a counter,
 * not a message per sector.
 */
#pragma once

#include "rc-inspect.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *problems;   /* RcInspectProblem, at most max */
  guint      max;
  guint      n;          /* all problems, kept or not */
  guint      counts[RC_INSPECT_N_CHECKS];
} RcInspectLog;

void rc_inspect_log_init  (RcInspectLog *log, guint max);
void rc_inspect_log_clear (RcInspectLog *log);
void rc_inspect_log_add   (RcInspectLog      *log,
                           gint               lba,
                           RcInspectCheck     check,
                           RcInspectSeverity  severity,
                           const char        *format,
                           ...) G_GNUC_PRINTF (5, 6);

/* Sorts the problems kept by LBA (the checks that need the whole image
 * report last) and hands them to the report with the counts. */
void rc_inspect_log_to_report (RcInspectLog *log, RcInspectReport *report);
/* Adds the log's problems to a finished report (its own problems, or none
 * yet when report->problems is NULL): counts summed, at most log->max
 * kept, all sorted by LBA.  The log is left empty. */
void rc_inspect_log_merge     (RcInspectLog *log, RcInspectReport *report);

G_END_DECLS
