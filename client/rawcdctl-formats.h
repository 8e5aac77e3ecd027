/* rawcdctl-formats.h: the formats of `rawcdctl create --format`: which
 * files each writes and how they are named.
 */
#pragma once

#include <gio/gio.h>

#include "rcd-dbus-generated.h"

G_BEGIN_DECLS

/* --format: the service's format name, the side file GetSideFiles gives
 * (its key is the file's extension), whether the service also writes a
 * subchannel file (NAME.sub) */
typedef struct {
  const char *name;
  const char *sheet;        /* NULL: no side file */
  const char *sheet_what;   /* for messages */
  gboolean    subchannel;
} RcdCtlFormat;

/* The format named name (imapi, cue, toc, clonecd; any case), NULL for
 * none of them.  NULL name: the default, imapi. */
const RcdCtlFormat *rcd_ctl_format_find          (const char *name);

/* The files a format makes of OUTPUT, the data file first, a subchannel
 * file second when the format has one, the side file last; a usage error
 * (G_OPTION_ERROR) when OUTPUT's name does not fit the format. */
GStrv               rcd_ctl_format_output_paths  (const RcdCtlFormat *format,
                                                  const char         *output,
                                                  GError            **error);

/* Checks that every file of paths can be created (and, for a format with
 * side files, is or will be a regular file). */
gboolean            rcd_ctl_format_check_outputs (const RcdCtlFormat *format,
                                                  char              **paths,
                                                  GError            **error);

/* The side file of the session's layout, for the data file named as
 * paths[0] (GetSideFiles). */
GBytes             *rcd_ctl_format_get_side_file (RcdDBusImageCreator *creator,
                                                  const RcdCtlFormat  *format,
                                                  char               **paths,
                                                  GError             **error);

G_END_DECLS
