/* rc-cue.h: a CUE sheet read back, for checking it against its BIN.
 *
 * The text comes from a client and will be fuzzed: the reader never fails
 * on content.  Anything it cannot take (an unknown command, a time that is
 * not MM:SS:FF, a second FILE, an index out of order ...) becomes a
 * problem with its line number, and reading goes on.  Memory is bounded by
 * the text (RC_CUE_MAX_BYTES) and by 99 tracks of 100 indexes.
 *
 * Times are offsets in the FILE, in sectors (MM:SS:FF x 75): the BIN's
 * first sector is the disc's 00:02:00 (LBA 0), as CUE sheets for audio
 * discs (and rawcd's) have it.
 */
#pragma once

#include "rc-cd.h"
#include "rc-sheet-problem.h"

G_BEGIN_DECLS

#define RC_CUE_MAX_BYTES  (64 * 1024)
#define RC_CUE_NO_INDEX   (-1)

typedef RcSheetProblem RcCueProblem;

typedef struct {
  guint    number;
  guint    line;                         /* of its TRACK command */
  gint     index[RC_MAX_INDEXES + 1];    /* offset of INDEX 00..99, RC_CUE_NO_INDEX when absent */
  guint    index_line[RC_MAX_INDEXES + 1];
  guint    pregap;                       /* PREGAP sectors (not in the file) */
  char     isrc[13];                     /* "" for none */
  guint    isrc_line;
  gboolean dcp;                          /* FLAGS DCP: digital copy permitted */
  gboolean pre;                          /* FLAGS PRE: pre-emphasis */
  guint    flags_line;
  char    *title;
  char    *performer;
} RcCueTrack;

typedef struct {
  char       *file;          /* the FILE's name, NULL when none */
  gboolean    binary;        /* FILE ... BINARY (little-endian samples) */
  char        mcn[14];       /* CATALOG, "" for none */
  guint       mcn_line;
  char       *title;
  char       *performer;
  guint       n_tracks;
  RcCueTrack *tracks;
  GPtrArray  *problems;      /* RcCueProblem */
} RcCue;

/* FALSE (RC_ERROR_INVALID_ARGUMENT) only when the text is larger than
 * RC_CUE_MAX_BYTES; everything else is in the sheet's problems. */
RcCue *rc_cue_parse (const char *text, gsize len, GError **error);
void   rc_cue_free  (RcCue *cue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcCue, rc_cue_free)

G_END_DECLS
