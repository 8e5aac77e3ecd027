/* rawcdctl-disc-options.h: a disc as the command line describes it (audio
 * files and the options about the disc and its tracks), parsed and checked
 * for form, before any file is opened or the service is asked.  Shared by
 * create and info; rawcdctl-session.h makes a session of it.
 */
#pragma once

#include <gio/gio.h>

#include "rawcdctl-cdtext.h"

G_BEGIN_DECLS

/* Which of the disc options a command takes. */
typedef enum {
  /* --gaps --first-track --hidden-track --raw: what changes the layout */
  RCD_CTL_DISC_OPTIONS_LAYOUT     = 1 << 0,
  /* --image-type --mcn --isrc --index --preemphasis --copy
   * --leadout-limit --no-dither: what goes into the image besides the
   * layout */
  RCD_CTL_DISC_OPTIONS_CONTENT    = 1 << 1,
  /* --title --performer --track-title --track-performer --cdtext --tags */
  RCD_CTL_DISC_OPTIONS_CDTEXT     = 1 << 2,
} RcdCtlDiscOptionSet;

/* The options as GOption leaves them: values are parsed and checked by
 * rcd_ctl_disc_new(). */
typedef struct {
  gboolean   gaps;
  gboolean   raw;
  gboolean   no_dither;
  char      *first_track;
  char      *hidden_track;
  char      *image_type;
  char      *mcn;
  char      *leadout_limit;
  char     **isrc;
  char     **index;
  char     **preemphasis;
  char     **copy;
  char      *title;
  char      *performer;
  char     **track_title;
  char     **track_performer;
  char      *cdtext_file;
  gboolean   tags;
} RcdCtlDiscOptions;

/* Adds the options of set to the main group of context, writing into
 * options (which must outlive the parse). */
void rcd_ctl_disc_options_add   (GOptionContext      *context,
                                 RcdCtlDiscOptions   *options,
                                 RcdCtlDiscOptionSet  set);
void rcd_ctl_disc_options_clear (RcdCtlDiscOptions *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RcdCtlDiscOptions, rcd_ctl_disc_options_clear)

/* A file several tracks read ranges of: a CUE sheet's FILE, opened once
 * and passed with each of its tracks. */
typedef struct {
  char     *path;
  int       fd;
  gboolean  raw;           /* headerless PCM (BINARY) */
  gboolean  big_endian;    /* ... big-endian (MOTOROLA) */
} RcdCtlSource;

typedef struct {
  char     *path;          /* as given */
  int       fd;            /* open for reading, -1 before */
  /* from a CUE sheet: a range of source (AddTrack's start and length, 44.1
   * kHz sample frames; length 0: to the end); NULL: the file at path */
  RcdCtlSource *source;
  guint64   start;
  guint64   length;
  gint32    pregap;        /* sectors; -1: as DisableGaplessAudio says */
  const char *pregap_audio;
  gint64    pregap_start;  /* PregapStart: the frame of the previous track's
                            * audio where index 0 begins; -1: Pregap's sectors */
  gint32    postgap;       /* sectors; -1: none set */
  char     *origin;        /* "SHEET:LINE" for messages; NULL: the path */
  /* "SHEET:LINE: ISRC" ... where a sheet gave the value, for messages;
   * NULL where the command line did */
  char     *isrc_origin;
  char     *flags_origin;
  char     *isrc;          /* NULL: none */
  int       copy;          /* DigitalAudioCopySetting, -1: the default */
  gboolean  preemphasis;
  GArray   *indexes;       /* gint32 offsets for AddTrackIndex */
  GPtrArray *index_args;   /* each offset as the command line gave it, or
                            * "SHEET:LINE: INDEX NN" from a sheet */
  char     *object_path;   /* the Track object once added */
} RcdCtlTrackSpec;

/* A CD-TEXT field the command line sets (block 0). */
typedef struct {
  guint  track;    /* 0: the disc, else the position of the file */
  char  *field;
  char  *text;
  char  *origin;   /* "the TITLE tag of FILE" for text from tags, else NULL */
} RcdCtlCdTextOption;

typedef struct {
  gboolean    gaps;
  gboolean    raw;
  gboolean    no_dither;       /* AddTrack option dither = false */
  gboolean    has_first_track;
  gint32      first_track;
  gboolean    has_leadout_limit;
  gint32      leadout_limit;
  char       *leadout_limit_arg;   /* as the command line gave it */
  guint32     image_type;      /* ResultingImageType, 0: the default */
  char       *mcn;             /* NULL: none */
  char       *mcn_origin;      /* "SHEET:LINE: CATALOG" from a sheet */
  char       *hidden_path;     /* NULL: none */
  int         hidden_fd;
  GPtrArray  *tracks;          /* RcdCtlTrackSpec, in order */
  char       *cdtext_file;     /* --cdtext, NULL: none */
  GPtrArray  *cdtext_options;  /* RcdCtlCdTextOption: what --title ... set,
                                * applied after the file */
  GPtrArray  *sheet_cdtext;    /* RcdCtlCdTextOption from a CUE sheet or
                                * the files' tags, applied before the file */
  GPtrArray  *sources;         /* RcdCtlSource of a CUE sheet's FILEs */
  RcdCtlSource *hidden_source; /* the hidden track as a range of a source */
  guint64     hidden_start;
  guint64     hidden_length;
  char       *hidden_origin;   /* "SHEET:LINE" */
  RcdCtlCdText *cdtext;        /* all of it, by rcd_ctl_session_open_files;
                                * NULL: none */
} RcdCtlDisc;

/* Parses options for files; a bad value or a TRACK that is not the
 * position of a file fails with G_OPTION_ERROR_BAD_VALUE. */
RcdCtlDisc      *rcd_ctl_disc_new            (const RcdCtlDiscOptions *options,
                                              char                   **files,
                                              GError                 **error);
void             rcd_ctl_disc_free           (RcdCtlDisc *disc);

/* A CD-TEXT field of lower precedence than --cdtext (a sheet's, a tag's). */
void             rcd_ctl_disc_add_sheet_text (RcdCtlDisc *disc,
                                              guint       track,
                                              const char *field,
                                              const char *text);

/* "permitted", "prohibited" or "scms": the --copy word of a
 * DigitalAudioCopySetting value. */
const char      *rcd_ctl_copy_setting_name   (int copy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlDisc, rcd_ctl_disc_free)

G_END_DECLS
