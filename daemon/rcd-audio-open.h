/* rcd-audio-open.h: opens a client's audio descriptor off the main loop.
 *
 * Every header is read, and every compressed stream later decoded, by a
 * sandboxed decoder helper process (rc-decoder-source.h): rawcdd itself
 * runs no decoder.  Waiting for the helper's answer blocks (a pipe may never
 * deliver): it runs on a worker pool, bounded by a timeout and the
 * caller's cancellable, either of which kills the helper at once.
 */
#pragma once

#include <gio/gio.h>

#include "rc-audio-source.h"
#include "rcd-workers.h"

G_BEGIN_DECLS

/* Where the helper is (rawcdd's --decoder, or its default), checked by
 * asking it for the formats it reads; call once at startup. */
gboolean       rcd_audio_open_init   (const char          *decoder_path,
                                      GError             **error);
/* What the helper answered: "WAV", "FLAC", ... */
const char *const *rcd_audio_open_get_formats (void);

/* Takes ownership of fd.  dither: reduce audio of more than 16 bits with
 * TPDF dither (else round).  what names the audio in error messages as a
 * user knows it ("the track", "the special pregap"). */
void           rcd_audio_open_async  (RcdWorkers          *workers,
                                      int                  fd,
                                      RcAudioFormat        format,
                                      gboolean             dither,
                                      guint                timeout_seconds,
                                      const char          *what,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);

/* RC_ERROR_UNSUPPORTED_AUDIO when no header arrived in time,
 * RC_ERROR_CANCELLED when cancellable was cancelled, else the engine's
 * error, which describes the file. */
RcAudioSource *rcd_audio_open_finish (GAsyncResult  *result,
                                      GError       **error);

G_END_DECLS
