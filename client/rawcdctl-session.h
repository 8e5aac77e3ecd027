/* rawcdctl-session.h: the session on the service that lays out a disc of
 * the command line (rawcdctl-disc-options.h): files opened, tracks added,
 * properties and indexes set.  Shared by create and info.
 */
#pragma once

#include <gio/gio.h>

#include "rcd-dbus-generated.h"
#include "rawcdctl-disc-options.h"

G_BEGIN_DECLS

/* Opens the hidden track and the audio files for reading, and reads the
 * CD-TEXT file (then applies the CD-TEXT options over it). */
gboolean             rcd_ctl_session_open_files (RcdCtlDisc *disc,
                                                 GError    **error);

/* Creates a session on the service, sets the disc's properties, adds the
 * special pregap and the tracks, then sets the tracks' properties and
 * indexes, and the CD-TEXT of the disc and the tracks.  Errors name the
 * file or option they are about.  The returned proxy is for calls: its
 * property cache is not loaded. */
RcdDBusImageCreator *rcd_ctl_session_create     (RcdCtlDisc      *disc,
                                                 GDBusConnection *connection,
                                                 GError         **error);

G_END_DECLS
