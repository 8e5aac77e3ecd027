/* rc-sheet-problem.c: the problems of a sheet (rc-sheet-problem.h). */
#include "rc-sheet-problem.h"

static void
problem_free (gpointer data)
{
  RcSheetProblem *problem = data;

  g_free (problem->message);
  g_free (problem);
}

GPtrArray *
rc_sheet_problems_new (void)
{
  return g_ptr_array_new_with_free_func (problem_free);
}

void
rc_sheet_problems_addv (GPtrArray *problems, guint line, const char *format, va_list args)
{
  RcSheetProblem *problem;

  if (problems->len >= RC_SHEET_MAX_PROBLEMS)
    return;
  problem = g_new0 (RcSheetProblem, 1);
  problem->line = line;
  problem->message = g_strdup_vprintf (format, args);
  if (!g_utf8_validate (problem->message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (problem->message, -1);

      g_free (problem->message);
      problem->message = valid;
    }
  g_ptr_array_add (problems, problem);
}
