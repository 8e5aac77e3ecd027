/* rcd-audio-open.h: opens a client's audio descriptor off the main loop.
 *
 * rc_audio_source_new_from_fd() reads the header and blocks (a pipe may
 * never deliver): it runs on a worker pool, bounded by a timeout and the
 * caller's cancellable.
 */
#pragma once

#include <gio/gio.h>

#include "rc-audio-source.h"
#include "rcd-workers.h"

G_BEGIN_DECLS

/* Takes ownership of fd.  arg_name names the argument in error messages. */
void           rcd_audio_open_async  (RcdWorkers          *workers,
                                      int                  fd,
                                      RcAudioFormat        format,
                                      guint                timeout_seconds,
                                      const char          *arg_name,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);

/* RC_ERROR_UNSUPPORTED_AUDIO when no header arrived in time,
 * RC_ERROR_CANCELLED when cancellable was cancelled, else the engine's
 * error with the argument's name before it. */
RcAudioSource *rcd_audio_open_finish (GAsyncResult  *result,
                                      GError       **error);

G_END_DECLS
