/* rc-toc-file.h: a cdrdao TOC file read back, for checking it against its
 * data file (rc_inspect_toc_file(), rc-inspect.h).
 *
 * The text comes from a client and is fuzzed: the reader never fails on
 * content.  What it cannot take (an unknown keyword, a time that is not
 * MM:SS:FF, a string without its closing quote, a second CD_TEXT ...)
 * becomes a problem with its line number, and reading goes on.  Memory is
 * bounded by the text (RC_TOC_FILE_MAX_BYTES), 99 tracks of 99 indexes and
 * 8 CD-TEXT languages.
 *
 * cdrdao's model: a track is a run of audio (FILE/AUDIOFILE or DATAFILE
 * pieces of a data file, SILENCE and PREGAP not in any file); the disc is
 * the tracks one after the other from 00:00:00 on the program area; START
 * says where index 1 begins in the track (the part before it is the
 * track's pause, index 0); INDEX gives indexes 2 and up as offsets from
 * index 1.  Times are MM:SS:FF (sectors) or, as cdrdao allows, a number of
 * samples (588 to a sector).
 */
#pragma once

#include "rc-cd.h"
#include "rc-inspect.h"
#include "rc-sheet-problem.h"

G_BEGIN_DECLS

/* A TOC with CD-TEXT in 8 languages for 99 tracks is well below this. */
#define RC_TOC_FILE_MAX_BYTES  (256 * 1024)
#define RC_TOC_FILE_LANGUAGES  8
/* The text items cdrdao knows, in its order (Toc::checkCdTextData). */
#define RC_TOC_FILE_N_ITEMS    7

typedef RcSheetProblem RcTocFileProblem;

typedef struct {
  guint    number;             /* 1, 2 ... in the file's order */
  guint    line;               /* of its TRACK */
  gboolean rw_raw;             /* TRACK AUDIO RW_RAW: 2448-byte blocks in the data file */
  gboolean copy;               /* COPY */
  gboolean pre;                /* PRE_EMPHASIS */
  char     isrc[13];           /* "" for none */
  guint    isrc_line;
  /* Its audio: sectors not in any file (PREGAP, SILENCE, ZERO) come
   * first in rawcd's files and are counted apart; the one data-file
   * piece rawcd writes per track is file_from .. file_from + file_length. */
  gint     silence;            /* sectors of audio not in a file */
  gint64   file_from;          /* in sectors of the data file; -1 for none */
  gint     file_length;        /* -1: to the end of the data file */
  guint    file_line;
  guint    n_pieces;           /* data-file pieces seen (rawcd writes one) */
  gint     start;              /* START: sectors of index 0 at the start; 0 for none */
  guint    start_line;
  guint    n_indexes;          /* INDEX lines: indexes 2 .. n_indexes + 1 */
  gint     index[RC_MAX_INDEXES];       /* their offsets from index 1 */
  guint    index_line[RC_MAX_INDEXES];
  /* CD-TEXT: text[language][item], NULL when the item is not given
   * (UTF-8, from the file's ISO-8859-1) */
  char    *text[RC_TOC_FILE_LANGUAGES][RC_TOC_FILE_N_ITEMS];
  guint    text_line[RC_TOC_FILE_LANGUAGES];
} RcTocFileTrack;

typedef struct {
  char           *data_file;   /* the first FILE/DATAFILE name, NULL when none */
  char            mcn[14];     /* CATALOG, "" for none */
  guint           mcn_line;
  /* CD-TEXT of the disc (track 0): as in a track */
  char           *text[RC_TOC_FILE_LANGUAGES][RC_TOC_FILE_N_ITEMS];
  guint           text_line[RC_TOC_FILE_LANGUAGES];
  gboolean        has_language[RC_TOC_FILE_LANGUAGES]; /* a LANGUAGE n block anywhere */
  gint            language_code[RC_TOC_FILE_LANGUAGES]; /* LANGUAGE_MAP; -1 when unmapped */
  guint           cd_text_line;  /* of the disc's CD_TEXT, 0 for none */
  guint           n_tracks;
  RcTocFileTrack *tracks;
  GPtrArray      *problems;    /* RcTocFileProblem */
} RcTocFile;

/* The keyword of item i (TITLE ... MESSAGE, then UPC_EAN for the disc or
 * ISRC for a track). */
const char *rc_toc_file_item_name (guint item, gboolean disc);

/* FALSE (RC_ERROR_INVALID_ARGUMENT) only when the text is larger than
 * RC_TOC_FILE_MAX_BYTES; everything else is in the file's problems. */
RcTocFile *rc_toc_file_parse (const char *text, gsize len, GError **error);
void       rc_toc_file_free  (RcTocFile *toc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcTocFile, rc_toc_file_free)

/* A cdrdao TOC file (toc_len bytes of text, at most RC_TOC_FILE_MAX_BYTES)
 * checked against its data file (data_fd; the caller opened the file the
 * TOC names): where each track, its START (index 0) and INDEX fall, that
 * every track's FILE or DATAFILE lies inside the data file and follows the
 * one before as on the disc, that the tracks cover the whole data file,
 * the CATALOG and ISRCs (well-formed), and the CD-TEXT by the rules cdrdao
 * checks before it writes (every item of a language for the disc and
 * every track, or for none; languages numbered without holes; TITLE and
 * PERFORMER present).  The report's tracks, MCN and lead-out are the
 * TOC's.  Every fault is a problem of check "sheet" naming the TOC file's
 * line.  Errors as rc_inspect_fd(); a TOC file too large is
 * RC_ERROR_INVALID_ARGUMENT. */
RcInspectReport *rc_inspect_toc_file (int                      data_fd,
                                      const char              *toc_text,
                                      gsize                    toc_len,
                                      const RcInspectOptions  *options,
                                      GError                 **error);

G_END_DECLS
