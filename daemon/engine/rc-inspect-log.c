/* rc-inspect-log.c: the problems an inspection finds (rc-inspect-log.h). */
#include "rc-inspect-log.h"

#include <string.h>

static const char *const check_names[] = {
  [RC_INSPECT_CHECK_IMAGE] = "image",
  [RC_INSPECT_CHECK_Q_CRC] = "q-crc",
  [RC_INSPECT_CHECK_Q_FORMAT] = "q-format",
  [RC_INSPECT_CHECK_TIME] = "time",
  [RC_INSPECT_CHECK_POSITION] = "position",
  [RC_INSPECT_CHECK_CONTROL] = "control",
  [RC_INSPECT_CHECK_TOC] = "toc",
  [RC_INSPECT_CHECK_TOC_PROGRAM] = "toc-program",
  [RC_INSPECT_CHECK_MCN] = "mcn",
  [RC_INSPECT_CHECK_ISRC] = "isrc",
  [RC_INSPECT_CHECK_P] = "p",
  [RC_INSPECT_CHECK_CDTEXT] = "cdtext",
  [RC_INSPECT_CHECK_MAIN] = "main",
  [RC_INSPECT_CHECK_SHEET] = "sheet",
};
G_STATIC_ASSERT (G_N_ELEMENTS (check_names) == RC_INSPECT_N_CHECKS);

const char *
rc_inspect_check_name (RcInspectCheck check)
{
  g_return_val_if_fail ((guint) check < RC_INSPECT_N_CHECKS, NULL);
  return check_names[check];
}

static void
problem_free (gpointer data)
{
  RcInspectProblem *problem = data;

  g_free (problem->message);
  g_free (problem);
}

void
rc_inspect_log_init (RcInspectLog *log, guint max)
{
  memset (log, 0, sizeof *log);
  log->problems = g_ptr_array_new_with_free_func (problem_free);
  log->max = max;
}

void
rc_inspect_log_clear (RcInspectLog *log)
{
  g_clear_pointer (&log->problems, g_ptr_array_unref);
}

void
rc_inspect_log_add (RcInspectLog      *log,
                    gint               lba,
                    RcInspectCheck     check,
                    RcInspectSeverity  severity,
                    const char        *format,
                    ...)
{
  RcInspectProblem *problem;
  va_list args;

  /* A systematic fault shows in every sector: keep the count, not 300000
   * messages. */
  log->n++;
  log->counts[check]++;
  if (log->problems->len >= log->max)
    return;
  problem = g_new0 (RcInspectProblem, 1);
  problem->lba = lba;
  problem->check = check;
  problem->severity = severity;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (log->problems, problem);
}

static gint
problem_compare (gconstpointer a, gconstpointer b)
{
  const RcInspectProblem *pa = *(const RcInspectProblem *const *) a;
  const RcInspectProblem *pb = *(const RcInspectProblem *const *) b;

  return pa->lba < pb->lba ? -1 : pa->lba > pb->lba ? 1 : 0;
}

void
rc_inspect_log_to_report (RcInspectLog *log, RcInspectReport *report)
{
  report->n_problems = log->n;
  memcpy (report->counts, log->counts, sizeof report->counts);
  report->problems = g_steal_pointer (&log->problems);
  g_ptr_array_sort (report->problems, problem_compare);
}

void
rc_inspect_log_merge (RcInspectLog *log, RcInspectReport *r)
{
  RcInspectReport sheet = { 0 };

  rc_inspect_log_to_report (log, &sheet);
  if (r->problems == NULL)
    {
      /* a BIN without .sub: the sheet's are all there are */
      r->problems = g_steal_pointer (&sheet.problems);
      r->n_problems = sheet.n_problems;
      memcpy (r->counts, sheet.counts, sizeof r->counts);
      return;
    }
  r->n_problems += sheet.n_problems;
  for (guint k = 0; k < RC_INSPECT_N_CHECKS; k++)
    r->counts[k] += sheet.counts[k];
  for (guint i = 0; i < sheet.problems->len; i++)
    if (r->problems->len < log->max)
      g_ptr_array_add (r->problems, g_steal_pointer (&sheet.problems->pdata[i]));
  g_ptr_array_set_free_func (sheet.problems, NULL);
  for (guint i = 0; i < sheet.problems->len; i++)
    {
      RcInspectProblem *p = sheet.problems->pdata[i];

      if (p != NULL)
        {
          g_free (p->message);
          g_free (p);
        }
    }
  g_ptr_array_unref (sheet.problems);
  g_ptr_array_sort (r->problems, problem_compare);
}
