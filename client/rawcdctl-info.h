/* rawcdctl-info.h: what `rawcdctl info` shows of a disc, as the service
 * publishes it (every number and time comes from the session's properties:
 * the client does no CD arithmetic), and its two printed forms.
 */
#pragma once

#include <gio/gio.h>

#include "rawcdctl-levels.h"

G_BEGIN_DECLS

typedef struct {
  const char *file;             /* the AUDIO file, as given */
  gint32      number;
  gint32      starting_lba;
  gint32      sector_count;
  gint32      pregap;           /* sectors of index 0 */
  char       *start_msf;        /* absolute time of index 1 */
  gint32      playing_sectors;  /* what a listener hears */
  char       *playing_time;
  char       *isrc;             /* "" for none */
  guint32     copy;             /* DigitalAudioCopySetting */
  gboolean    preemphasis;
  GArray     *indexes;          /* gint32 offsets from starting_lba */
  GVariant   *cdtext;           /* aa{ss}, one dictionary per block */
  char       *source_format;    /* SourceFormat: "FLAC, 48000 Hz, ..." */
  GStrv       conversions;      /* Conversions: empty for CD audio */
  RcdCtlLevels levels;          /* measured only by info --levels */
} RcdCtlInfoTrack;

typedef struct {
  guint8      track;            /* 0xAA: the lead-out */
  guint8      adr;
  guint8      control;
  gint32      lba;
  char       *msf;
} RcdCtlInfoTocEntry;

typedef struct {
  gboolean    gapless;
  gint32      first_track;
  char       *mcn;              /* "" for none */
  const char *hidden_file;      /* NULL: no hidden track */
  gint32      hidden_sectors;
  gint32      start_of_leadout;
  char       *leadout_msf;      /* the disc's total time */
  gint32      leadout_limit;
  char       *leadout_limit_msf;
  guint32     smallest_blank;   /* minutes, 0: none */
  guint64     image_sectors;
  GVariant   *image_sizes;      /* a{ut}: bytes per ResultingImageType */
  GArray     *tracks;           /* RcdCtlInfoTrack */
  GArray     *toc;              /* RcdCtlInfoTocEntry */
  GBytes     *toc_bytes;        /* ExpectedTableOfContents */
  GVariant   *disc_ids;         /* a{ss}; NULL when the service has none */
  GVariant   *cdtext;           /* aa{ss} of the disc */
  GVariant   *cdtext_languages; /* ay: the language of each block */
} RcdCtlDiscInfo;

void     rcd_ctl_disc_info_clear      (RcdCtlDiscInfo *info);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RcdCtlDiscInfo, rcd_ctl_disc_info_clear)

/* Reads the layout of the session at creator_path; files: the AUDIO files
 * in order, hidden_file the --hidden-track (or NULL), for the File
 * column. */
gboolean rcd_ctl_disc_info_read       (RcdCtlDiscInfo  *info,
                                       GDBusConnection *connection,
                                       const char      *creator_path,
                                       GPtrArray       *files,
                                       const char      *hidden_file,
                                       GError         **error);

/* A warning when the disc does not fit a 74-minute blank (or none of the
 * common blanks), NULL when it fits. */
char    *rcd_ctl_disc_info_blank_warning (const RcdCtlDiscInfo *info);

void     rcd_ctl_disc_info_print_text (const RcdCtlDiscInfo *info);
void     rcd_ctl_disc_info_print_json (const RcdCtlDiscInfo *info);

G_END_DECLS
