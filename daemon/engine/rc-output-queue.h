/* rc-output-queue.h: the thread that writes an image's batches.
 *
 * The image writer assembles the next batch of sectors while this thread
 * hands the last one to every output, so that making the image and
 * writing it overlap (on two cores, the image costs little more than
 * writing its bytes).  At most RC_OUTPUT_QUEUE_DEPTH batches are in hand
 * at once: one being written and one waiting, so memory stays that many
 * batch buffers per output whatever the image size.
 */
#pragma once

#include "rc-output.h"

G_BEGIN_DECLS

#define RC_OUTPUT_QUEUE_DEPTH 2

typedef struct _RcOutputQueue RcOutputQueue;

/* Writes to outputs (borrowed, n_outputs of them); a write that waits for
 * room also stops when `cancellable` is cancelled (RC_ERROR_CANCELLED). */
RcOutputQueue *rc_output_queue_new       (RcOutput      *outputs,
                                          guint          n_outputs,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* Waits until fewer than RC_OUTPUT_QUEUE_DEPTH batches are in hand: the
 * buffers of the batch pushed RC_OUTPUT_QUEUE_DEPTH pushes ago are
 * written and free again.  FALSE with the first write's failure. */
gboolean       rc_output_queue_wait_slot (RcOutputQueue  *queue,
                                          GError        **error);

/* Hands over one batch: bufs[o] (lens[o] bytes) for output o, `sectors`
 * sectors of the image.  The buffers stay the queue's until
 * rc_output_queue_wait_slot() returns RC_OUTPUT_QUEUE_DEPTH pushes later. */
void           rc_output_queue_push      (RcOutputQueue       *queue,
                                          guint8 *const       *bufs,
                                          const gsize         *lens,
                                          guint                sectors);

/* What is written so far: sectors, and bytes over every output. */
void           rc_output_queue_get_written (RcOutputQueue *queue,
                                            guint64       *sectors,
                                            guint64       *bytes);

/* Waits until every batch pushed is written; FALSE with the first
 * failure. */
gboolean       rc_output_queue_finish    (RcOutputQueue  *queue,
                                          GError        **error);

/* Stops the thread: a write waiting for room gives up, nothing more is
 * written.  After rc_output_queue_finish(), or instead of it on a failure. */
void           rc_output_queue_free      (RcOutputQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcOutputQueue, rc_output_queue_free)

G_END_DECLS
