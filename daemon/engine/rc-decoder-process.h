/* rc-decoder-process.h: one decoder helper process and its channel.
 *
 * The helper (rawcd-decoder) gets the audio descriptor as its descriptor
 * 3 and one end of a socket pair as 4, and nothing else of ours.  All
 * processes are started by one long-lived thread of this process, because
 * the helper asks the kernel to kill it when the thread that started it
 * ends (PR_SET_PDEATHSIG): worker threads come and go, that thread stays.
 */
#pragma once

#include <gio/gio.h>

#include "rc-decoder-proto.h"

G_BEGIN_DECLS

typedef struct _RcDecoderProcess RcDecoderProcess;

typedef enum {
  RC_DECODER_MODE_PROBE,    /* read the header; the length decoded if need be */
  RC_DECODER_MODE_READ,     /* read the header, then decode on request */
  RC_DECODER_MODE_FORMATS,  /* list the formats read; no audio */
} RcDecoderMode;

/* Starts helper_path on audio_fd (borrowed; -1 for FORMATS).  For READ,
 * expected_frames is the length a probe found (kept when the header only
 * estimates it, as MPEG audio's does).  dither: audio of more than 16 bits
 * of precision is reduced with TPDF dither, else rounded. */
RcDecoderProcess *rc_decoder_process_start   (const char     *helper_path,
                                              RcDecoderMode   mode,
                                              int             audio_fd,
                                              gint64          expected_frames,
                                              gboolean        dither,
                                              GError        **error);

/* The second helper, for what helper_path's answers UNRECOGNISED to:
 * rawcd-decoder-ffmpeg beside it (helper_path with "-ffmpeg" appended),
 * or NULL when there is none to run. */
char             *rc_decoder_process_second_helper (const char *helper_path);

/* Kills the helper at once whenever `cancellable` is cancelled (already
 * too), until the process is freed.  slot: 0 or 1, each used once. */
void              rc_decoder_process_watch   (RcDecoderProcess *process,
                                              guint             slot,
                                              GCancellable     *cancellable);
/* TRUE when a watched cancellable has been cancelled. */
gboolean          rc_decoder_process_cancelled (RcDecoderProcess *process);

gboolean          rc_decoder_process_send    (RcDecoderProcess  *process,
                                              GByteArray        *message,
                                              GError           **error);

/* The next message (a PCM message's samples stay valid until the next
 * call).  When the helper ends the channel, dies or sends something
 * malformed: FALSE with RC_ERROR_UNSUPPORTED_AUDIO saying what happened to
 * it ("the decoder was killed by SIGSEGV"), the helper killed and reaped.
 * `what` (may be NULL) names the audio in that message. */
gboolean          rc_decoder_process_receive (RcDecoderProcess  *process,
                                              const char        *what,
                                              RcDecoderMsg      *msg,
                                              GError           **error);

/* Our end of the channel, to poll() several helpers at once (read it only
 * through rc_decoder_process_receive()). */
int               rc_decoder_process_get_channel (RcDecoderProcess *process);

/* Kills (if still running) and reaps the helper. */
void              rc_decoder_process_free    (RcDecoderProcess *process);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcDecoderProcess, rc_decoder_process_free)

/* Limits the helper applies to itself (rawcd-decoder.c), here so that the
 * daemon's messages can name them. */
#define RC_DECODER_CPU_SECONDS     600              /* a 99-minute MP3 takes ~30 s */
#define RC_DECODER_ADDRESS_SPACE   (512u << 20)     /* bytes */
/* The nice value of helpers that decode for an image (background work). */
#define RC_DECODER_NICE            10

G_END_DECLS
