/* rc-program-audio.h: the main channel of the program area: which samples
 * of which stream fall in each sector.
 *
 * A reader walks a layout's streams in order, batch after batch, opening
 * each stream's reader when its first sample is due and closing it after
 * its last; a stream may begin or end anywhere inside a sector
 * (sample-exact joins, cd-format.md §12) and two streams may share one.
 * Blocking (it reads the audio): run it on a worker thread.
 */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

typedef struct _RcProgramAudio RcProgramAudio;

/* For sectors from first_lba on: streams that end before it are never
 * opened; one that began before it is read from the right frame. */
RcProgramAudio *rc_program_audio_new  (const RcLayout *layout,
                                       gint            first_lba,
                                       GCancellable   *cancellable);
void            rc_program_audio_free (RcProgramAudio *audio);

/* Fills `sectors` sectors of main channel from `lba` on, as interleaved
 * stereo signed 16-bit samples in host byte order: audio where a stream
 * lies, digital silence elsewhere (pauses, padding, lead-in, lead-out).
 * Calls must cover consecutive ranges, from first_lba on.  Errors are the
 * audio reader's (rc-audio-source.h), prefixed with the track they come
 * from. */
gboolean        rc_program_audio_fill (RcProgramAudio *audio,
                                       gint            lba,
                                       guint           sectors,
                                       guint8         *buf,
                                       GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcProgramAudio, rc_program_audio_free)

G_END_DECLS
