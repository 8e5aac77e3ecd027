/* rawcdctl-cue.h: CUE sheets in, in two pure steps and one that touches
 * files:
 *
 *   1. rcd_ctl_cue_sheet_parse(): the sheet's bytes -> RcdCtlCueSheet, what
 *      the sheet says, every line checked (rawcdctl-cue-sheet.c, with
 *      libcue for the CD-TEXT, ISRC and FLAGS of the tracks);
 *   2. rcd_ctl_cue_plan_new(): sheet + the length of each FILE -> the disc
 *      plan: which range of which FILE each track and the hidden track
 *      are, their pregaps, postgaps and indexes (rawcdctl-cue-plan.c);
 *   3. rcd_ctl_cue_disc_new(): opens the FILEs beside the sheet, measures
 *      them and turns the plan into the RcdCtlDisc that create and info lay
 *      out over D-Bus (rawcdctl-cue-disc.c).
 *
 * Times in a sheet are MM:SS:FF, 75 frames a second; a CD frame is 588
 * sample frames of 44.1 kHz stereo, the unit of AddTrack's start and
 * length.  That conversion is all the CD arithmetic done here; the service
 * does the rest.
 */
#pragma once

#include <glib.h>

#include "rawcdctl-disc-options.h"

G_BEGIN_DECLS

/* A sheet larger than this is not a CUE sheet (real ones are a few kB). */
#define RCD_CTL_CUE_MAX_BYTES      (1024 * 1024)
#define RCD_CTL_CUE_FRAME_SAMPLES  588
#define RCD_CTL_CUE_MAX_INDEX      99

typedef enum {
  RCD_CTL_CUE_AUDIO,      /* WAVE, FLAC, AIFF, MP3: a file the service decodes */
  RCD_CTL_CUE_BINARY,     /* headerless 16-bit stereo PCM, little-endian */
  RCD_CTL_CUE_MOTOROLA,   /* the same, big-endian */
} RcdCtlCueFileType;

typedef struct {
  char              *name;   /* as the sheet writes it (UTF-8) */
  RcdCtlCueFileType  type;
  guint              line;
} RcdCtlCueFile;

/* A place in a FILE: CD frames from its start. */
typedef struct {
  gint   file;     /* into RcdCtlCueSheet.files; -1: no such index */
  guint  frames;
  guint  line;
} RcdCtlCuePosition;

/* The CD-TEXT fields a sheet carries, in the CdText properties' keys. */
typedef enum {
  RCD_CTL_CUE_TITLE,
  RCD_CTL_CUE_PERFORMER,
  RCD_CTL_CUE_SONGWRITER,
  RCD_CTL_CUE_COMPOSER,
  RCD_CTL_CUE_ARRANGER,
  RCD_CTL_CUE_MESSAGE,
  RCD_CTL_CUE_GENRE,       /* disc only: REM GENRE */
  RCD_CTL_CUE_N_TEXT
} RcdCtlCueText;

const char *rcd_ctl_cue_text_key (RcdCtlCueText field);

typedef struct {
  guint              number;
  guint              line;
  RcdCtlCuePosition  index[RCD_CTL_CUE_MAX_INDEX + 1];
  guint              n_indexes;   /* the highest index number + 1 */
  guint              pregap;      /* PREGAP, CD frames; 0: none */
  guint              pregap_line;
  guint              postgap;     /* POSTGAP, CD frames; 0: none */
  guint              postgap_line;
  char              *isrc;        /* NULL: none */
  guint              isrc_line;
  gboolean           copy_permitted;   /* FLAGS DCP */
  gboolean           preemphasis;      /* FLAGS PRE */
  gboolean           scms;             /* FLAGS SCMS */
  guint              flags_line;
  char              *text[RCD_CTL_CUE_N_TEXT];
} RcdCtlCueTrack;

typedef struct {
  char       *name;        /* the sheet, for messages */
  char       *catalog;     /* CATALOG, NULL: none */
  guint       catalog_line;
  char       *text[RCD_CTL_CUE_N_TEXT];
  char       *date;        /* REM DATE: no CD-TEXT field holds it */
  char       *discid;      /* REM DISCID: recomputed from the layout */
  GPtrArray  *files;       /* RcdCtlCueFile */
  GPtrArray  *tracks;      /* RcdCtlCueTrack, in order */
} RcdCtlCueSheet;

/* Parses a sheet's bytes (UTF-8, with or without a byte-order mark, or
 * else Windows-1252 as older rippers write).  Errors (G_IO_ERROR_INVALID_DATA)
 * are one line: "NAME:LINE: what is wrong". */
RcdCtlCueSheet *rcd_ctl_cue_sheet_parse (const char  *name,
                                         const char  *data,
                                         gsize        len,
                                         GError     **error);
void            rcd_ctl_cue_sheet_free  (RcdCtlCueSheet *sheet);

/* Inside the parse: libcue reads the scanned sheet and its CD-TEXT, ISRC
 * and FLAGS replace the scan's (rawcdctl-cue-libcue.c). */
void            rcd_ctl_cue_sheet_read_libcue (RcdCtlCueSheet *sheet);

/* A stretch of a FILE in sample frames (44.1 kHz, after conversion): the
 * AddTrack options start and length. */
typedef struct {
  gint     file;     /* into the sheet's files */
  guint64  start;
  guint64  length;   /* 0: to the end of the file */
} RcdCtlCueRange;

typedef struct {
  const RcdCtlCueTrack *cue;
  RcdCtlCueRange        range;
  guint                 pregap;         /* sectors of index 0; 0: none */
  const char           *pregap_audio;   /* "silence", "previous", "own"; NULL with no pregap */
  gint64                pregap_start;   /* "previous" from INDEX 00 in the FILE before: that
                                         * frame of the previous range (PregapStart); -1: none */
  guint                 postgap;        /* sectors */
  GArray               *indexes;        /* gint32: sectors from index 1, for AddTrackIndex */
} RcdCtlCuePlanTrack;

typedef struct {
  gboolean        has_hidden;    /* audio before track 1's index 1 */
  RcdCtlCueRange  hidden;
  guint           hidden_line;
  gint32          first_track;   /* the first TRACK's number */
  GArray         *tracks;        /* RcdCtlCuePlanTrack */
  gboolean       *file_used;     /* per FILE: a range reads it */
} RcdCtlCuePlan;

/* file_frames: the length of each FILE of the sheet in sample frames (44.1
 * kHz after conversion), -1 where it is not known.  Fails with a line
 * number when the sheet cannot be laid out: times past the end of a file,
 * an INDEX 00 that a track cannot take, a hidden track under 2 s ... */
RcdCtlCuePlan *rcd_ctl_cue_plan_new  (const RcdCtlCueSheet *sheet,
                                      const gint64         *file_frames,
                                      GError              **error);
void           rcd_ctl_cue_plan_free (RcdCtlCuePlan *plan);

/* TRUE when path names a CUE sheet (ends in .cue, any case). */
gboolean    rcd_ctl_cue_is_sheet (const char *path);

/* The disc of a sheet: its FILEs opened (resolved relative to the
 * sheet's directory, each once), measured, planned, with the options of
 * the command line over the sheet (TRACK being a track's position in the
 * sheet). */
RcdCtlDisc *rcd_ctl_cue_disc_new (const RcdCtlDiscOptions *options,
                                  const char              *sheet_path,
                                  GError                 **error);

/* The disc a create or info command line names: one CUE sheet alone, or
 * audio files (with their tags under --tags).  NULL when it cannot be
 * made, with the message printed and *status set to the command's exit
 * status: 2 for a fault of the command line, 1 for one of the input. */
RcdCtlDisc *rcd_ctl_disc_from_arguments (const char              *command,
                                         const RcdCtlDiscOptions *options,
                                         char                   **files,
                                         gboolean                 json,
                                         int                     *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlCueSheet, rcd_ctl_cue_sheet_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlCuePlan, rcd_ctl_cue_plan_free)

G_END_DECLS
