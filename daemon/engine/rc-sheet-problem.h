/* rc-sheet-problem.h: what a reader of a text sheet (a CUE sheet, a
 * cdrdao TOC file) found wrong, line by line.
 *
 * Both readers keep going after a problem, so that one inspection names
 * every fault of a sheet; the list is bounded whatever the sheet holds.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint  line;
  char  *message;
} RcSheetProblem;

/* The most problems one sheet records; later ones are dropped. */
#define RC_SHEET_MAX_PROBLEMS 1000

/* An empty list of RcSheetProblem that frees what it holds. */
GPtrArray *rc_sheet_problems_new  (void);
/* Adds a problem at line, unless the list is full.  The message may quote
 * the sheet's bytes (any bytes, or half a character): it is made valid
 * UTF-8, since a client is shown it. */
void       rc_sheet_problems_addv (GPtrArray  *problems,
                                   guint       line,
                                   const char *format,
                                   va_list     args) G_GNUC_PRINTF (3, 0);

G_END_DECLS
