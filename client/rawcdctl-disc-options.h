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
  /* --title --performer --track-title --track-performer --cdtext */
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
} RcdCtlDiscOptions;

/* Adds the options of set to the main group of context, writing into
 * options (which must outlive the parse). */
void rcd_ctl_disc_options_add   (GOptionContext      *context,
                                 RcdCtlDiscOptions   *options,
                                 RcdCtlDiscOptionSet  set);
void rcd_ctl_disc_options_clear (RcdCtlDiscOptions *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RcdCtlDiscOptions, rcd_ctl_disc_options_clear)

typedef struct {
  char     *path;          /* as given */
  int       fd;            /* open for reading, -1 before */
  char     *isrc;          /* NULL: none */
  int       copy;          /* DigitalAudioCopySetting, -1: the default */
  gboolean  preemphasis;
  GArray   *indexes;       /* gint32 offsets for AddTrackIndex */
  GPtrArray *index_args;   /* each offset as the command line gave it */
  char     *object_path;   /* the Track object once added */
} RcdCtlTrackSpec;

/* A CD-TEXT field the command line sets (block 0). */
typedef struct {
  guint  track;    /* 0: the disc, else the position of the file */
  char  *field;
  char  *text;
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
  char       *hidden_path;     /* NULL: none */
  int         hidden_fd;
  GPtrArray  *tracks;          /* RcdCtlTrackSpec, in order */
  char       *cdtext_file;     /* --cdtext, NULL: none */
  GPtrArray  *cdtext_options;  /* RcdCtlCdTextOption: what --title ... set,
                                * applied after the file */
  RcdCtlCdText *cdtext;        /* all of it, by rcd_ctl_session_open_files;
                                * NULL: none */
} RcdCtlDisc;

/* Parses options for files; a bad value or a TRACK that is not the
 * position of a file fails with G_OPTION_ERROR_BAD_VALUE. */
RcdCtlDisc      *rcd_ctl_disc_new            (const RcdCtlDiscOptions *options,
                                              char                   **files,
                                              GError                 **error);
void             rcd_ctl_disc_free           (RcdCtlDisc *disc);

/* "permitted", "prohibited" or "scms": the --copy word of a
 * DigitalAudioCopySetting value. */
const char      *rcd_ctl_copy_setting_name   (int copy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlDisc, rcd_ctl_disc_free)

G_END_DECLS
