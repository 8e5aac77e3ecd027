/* rc-decoder-segments.c: reading a stream's segments from several helpers
 * at once, in order (see rc-decoder-segments.h). */
#include "rc-decoder-segments.h"

#include "rc-error.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* The process-wide budget of extra helpers. */

static gint extra_in_use;  /* atomic */

static guint
helpers_per_stream (guint processors)
{
  const char *forced = g_getenv ("RAWCD_PARALLEL_DECODING");

  if (forced != NULL && *forced != '\0')
    {
      guint64 n = g_ascii_strtoull (forced, NULL, 10);

      return (guint) CLAMP (n, 1, RC_DECODER_SEGMENT_MAX_HELPERS);
    }
  return MIN (processors, RC_DECODER_SEGMENT_MAX_HELPERS);
}

guint
rc_decoder_segments_reserve (gint64 frames, const char **why)
{
  guint processors = g_get_num_processors ();
  guint wanted = helpers_per_stream (processors);
  /* one processor each beyond the first; a forced count is granted even
   * on a machine with fewer, so that tests run the same everywhere */
  gint budget = (gint) MAX (processors, wanted) - 1;
  guint extra;

  if (wanted < 2)
    {
      *why = processors < 2 ? "one processor" : "parallel decoding is off";
      return 1;
    }
  /* a stream of one or two segments gains too little for a second start */
  if (frames < 3 * RC_DECODER_SEGMENT_FRAMES)
    {
      *why = "the stream is short";
      return 1;
    }
  extra = (guint) MIN ((gint64) wanted - 1, (frames + RC_DECODER_SEGMENT_FRAMES - 1)
                                            / RC_DECODER_SEGMENT_FRAMES - 1);
  while (extra > 0)
    {
      gint in_use = g_atomic_int_get (&extra_in_use);
      guint take = MIN (extra, (guint) MAX (budget - in_use, 0));

      if (take == 0)
        {
          *why = "every spare helper is busy with other streams";
          return 1;
        }
      if (g_atomic_int_compare_and_exchange (&extra_in_use, in_use, in_use + (gint) take))
        return take + 1;
    }
  *why = "the stream is short";
  return 1;
}

void
rc_decoder_segments_release (guint extra)
{
  if (extra > 0)
    g_atomic_int_add (&extra_in_use, -(gint) extra);
}

/* ------------------------------------------------------------------------ */

typedef struct {
  RcDecoderProcess *process;
  gint64            first;      /* its segment; count 0: none left for it */
  gint64            count;
  gint64            received;   /* frames of it arrived */
  gboolean          ended;      /* its END arrived */
  guint64           clipped;    /* the helper's last CLIPPED count */
  /* Frames of a segment not yet being read, as they arrived: at most one
   * segment.  The segment being read is handed out from `msg` instead. */
  GByteArray       *waiting;
  gsize             waiting_used;
  RcDecoderMsg      msg;        /* the PCM message being handed out */
  gsize             msg_used;
} Slot;

struct _RcDecoderSegments {
  char   *what;
  gint64  frames;
  gint64  next_first;   /* the first frame of the next segment to hand to a helper */
  Slot   *slots;
  guint   n;
  guint   current;      /* the slot whose segment is being handed out */
};

void
rc_decoder_segments_free (RcDecoderSegments *segments)
{
  if (segments == NULL)
    return;
  for (guint i = 0; i < segments->n; i++)
    {
      g_clear_pointer (&segments->slots[i].process, rc_decoder_process_free);
      g_clear_pointer (&segments->slots[i].waiting, g_byte_array_unref);
    }
  g_free (segments->slots);
  g_free (segments->what);
  g_free (segments);
}

/* Hands the next segment, if any is left, to the slot's helper. */
static gboolean
assign (RcDecoderSegments *segments, Slot *slot, GError **error)
{
  g_autoptr(GByteArray) out = NULL;

  slot->first = segments->next_first;
  slot->count = MIN (RC_DECODER_SEGMENT_FRAMES, segments->frames - segments->next_first);
  slot->received = 0;
  slot->ended = FALSE;
  if (slot->count <= 0)
    {
      slot->count = 0;
      return TRUE;
    }
  segments->next_first += slot->count;
  out = g_byte_array_new ();
  rc_decoder_msg_add_read (out, (guint64) slot->first, (guint64) slot->count);
  return rc_decoder_process_send (slot->process, out, error);
}

RcDecoderSegments *
rc_decoder_segments_new (const char        *what,
                         gint64             frames,
                         RcDecoderProcess **processes,
                         guint              n,
                         GError           **error)
{
  g_autoptr(RcDecoderSegments) segments = g_new0 (RcDecoderSegments, 1);

  g_return_val_if_fail (n >= 2, NULL);

  segments->what = g_strdup (what);
  segments->frames = frames;
  segments->n = n;
  segments->slots = g_new0 (Slot, n);
  for (guint i = 0; i < n; i++)
    {
      segments->slots[i].process = g_steal_pointer (&processes[i]);
      segments->slots[i].waiting = g_byte_array_new ();
    }
  for (guint i = 0; i < n; i++)
    if (!assign (segments, &segments->slots[i], error))
      return NULL;
  return g_steal_pointer (&segments);
}

void
rc_decoder_segments_watch (RcDecoderSegments *segments, GCancellable *cancellable)
{
  for (guint i = 0; i < segments->n; i++)
    rc_decoder_process_watch (segments->slots[i].process, 1, cancellable);
}

gboolean
rc_decoder_segments_cancelled (RcDecoderSegments *segments)
{
  for (guint i = 0; i < segments->n; i++)
    if (rc_decoder_process_cancelled (segments->slots[i].process))
      return TRUE;
  return FALSE;
}

static gboolean
broke_protocol (RcDecoderSegments *segments, const char *how, guint type, GError **error)
{
  g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
               "%s: the decoder broke the protocol: %s (message %u)",
               segments->what, how, type);
  return FALSE;
}

/* Takes one message from the slot's helper.  PCM of the segment being
 * read stays in slot->msg to be handed out; that of a later segment is
 * kept in slot->waiting. */
static gboolean
receive (RcDecoderSegments *segments, Slot *slot, gboolean is_current, GError **error)
{
  RcDecoderMsg *msg = &slot->msg;

  if (!rc_decoder_process_receive (slot->process, segments->what, msg, error))
    return FALSE;
  slot->msg_used = 0;
  switch (msg->type)
    {
    case RC_DECODER_MSG_PCM:
      if (slot->ended || (gint64) (msg->pcm_len / 4) > slot->count - slot->received)
        return broke_protocol (segments, "more frames than asked for", msg->type, error);
      slot->received += (gint64) (msg->pcm_len / 4);
      if (!is_current)
        {
          g_byte_array_append (slot->waiting, msg->pcm, (guint) msg->pcm_len);
          slot->msg_used = msg->pcm_len;
        }
      return TRUE;
    case RC_DECODER_MSG_CLIPPED:
      slot->clipped = msg->clipped;
      return TRUE;
    case RC_DECODER_MSG_END:
      if (slot->ended || slot->received != slot->count)
        return broke_protocol (segments, "an end before the last frame", msg->type, error);
      slot->ended = TRUE;
      return TRUE;
    case RC_DECODER_MSG_ERROR:
      g_set_error_literal (error, RC_ERROR, msg->code, msg->text);
      return FALSE;
    default:
      return broke_protocol (segments, "an unexpected message while decoding", msg->type,
                             error);
    }
}

/* Waits until a helper with work under way has something to say, and
 * takes one message from each that has. */
static gboolean
pump (RcDecoderSegments *segments, GError **error)
{
  struct pollfd fds[RC_DECODER_SEGMENT_MAX_HELPERS];
  guint which[RC_DECODER_SEGMENT_MAX_HELPERS];
  guint nfds = 0;
  int ready;

  for (guint k = 0; k < segments->n; k++)
    {
      /* the current slot first, then those after it */
      guint i = (segments->current + k) % segments->n;
      Slot *slot = &segments->slots[i];

      if (slot->count == 0 || slot->ended)
        continue;
      fds[nfds].fd = rc_decoder_process_get_channel (slot->process);
      fds[nfds].events = POLLIN;
      fds[nfds].revents = 0;
      which[nfds++] = i;
    }
  g_assert (nfds > 0);
  do
    ready = poll (fds, nfds, -1);
  while (ready < 0 && errno == EINTR);
  if (ready < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "%s: waiting for the decoders failed: %s",
                   segments->what, g_strerror (errno));
      return FALSE;
    }
  for (guint k = 0; k < nfds; k++)
    if (fds[k].revents != 0
        && !receive (segments, &segments->slots[which[k]], which[k] == segments->current,
                     error))
      return FALSE;
  return TRUE;
}

/* Copies what the current slot has ready; the bytes copied. */
static gsize
take_ready (Slot *slot, guint8 *out, gsize want)
{
  gsize n;

  if (slot->waiting_used < slot->waiting->len)
    {
      n = MIN (want, slot->waiting->len - slot->waiting_used);
      memcpy (out, slot->waiting->data + slot->waiting_used, n);
      slot->waiting_used += n;
      if (slot->waiting_used == slot->waiting->len)
        {
          g_byte_array_set_size (slot->waiting, 0);
          slot->waiting_used = 0;
        }
      return n;
    }
  if (slot->msg.type == RC_DECODER_MSG_PCM && slot->msg_used < slot->msg.pcm_len)
    {
      n = MIN (want, slot->msg.pcm_len - slot->msg_used);
      memcpy (out, slot->msg.pcm + slot->msg_used, n);
      slot->msg_used += n;
      return n;
    }
  return 0;
}

gboolean
rc_decoder_segments_read (RcDecoderSegments  *segments,
                          gint16             *buf,
                          gsize               n_frames,
                          gsize              *got,
                          gboolean           *complete,
                          guint64            *clipped,
                          GError            **error)
{
  guint8 *out = (guint8 *) buf;
  gsize want = n_frames * 4;
  gsize done = 0;

  *got = 0;
  *complete = FALSE;
  while (done < want)
    {
      Slot *slot = &segments->slots[segments->current];
      gsize n = take_ready (slot, out + done, want - done);

      if (n > 0)
        {
          done += n;
          *got = done / 4;
          continue;
        }
      if (slot->count == 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                       "%s: frames asked for past the end of the audio", segments->what);
          return FALSE;
        }
      if (slot->ended)
        {
          /* its segment is all read: give it the next one, read on from
           * the next slot, which holds the next segment */
          if (!assign (segments, slot, error))
            return FALSE;
          segments->current = (segments->current + 1) % segments->n;
          continue;
        }
      if (!pump (segments, error))
        return FALSE;
    }
  if (segments->next_first == segments->frames)
    {
      gboolean all_read = TRUE;
      guint64 total = 0;

      for (guint i = 0; i < segments->n; i++)
        {
          Slot *slot = &segments->slots[i];

          /* the last segment's END comes right after its last frame */
          while (slot->count > 0 && !slot->ended && slot->received == slot->count
                 && slot->msg_used == slot->msg.pcm_len && slot->waiting->len == 0)
            if (!receive (segments, slot, FALSE, error))
              return FALSE;
          if (slot->count > 0 && (!slot->ended || slot->waiting->len > 0
                                  || slot->msg_used < slot->msg.pcm_len))
            all_read = FALSE;
          total += slot->clipped;
        }
      if (all_read)
        {
          *complete = TRUE;
          *clipped = total;
        }
    }
  return TRUE;
}
