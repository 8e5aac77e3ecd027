/* rc-decoder-source.c: sources and readers served by decoder helpers. */
#include "rc-decoder-source.h"

#include "rc-audio-pcm.h"
#include "rc-audio-source-private.h"
#include "rc-decoder-process.h"
#include "rc-decoder-segments.h"
#include "rc-error.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  char             *helper_path;
  int               fd;           /* a file's; -1 for a pipe (its helper holds it) */
  gint64            frames;
  char             *description;
  gboolean          dither;       /* each reader's helper is told */
  gboolean          segments;     /* PROBE said SEGMENTS: pieces decode apart */
  /* A pipe's helper, until its one reader takes it; `lock` guards it. */
  GMutex            lock;
  RcDecoderProcess *pipe_process;
} HelperSource;

typedef struct {
  RcAudioSource    *audio;        /* borrowed: the generic reader keeps it */
  HelperSource     *source;       /* borrowed: the generic reader keeps it */
  RcDecoderProcess *process;     /* NULL when segments read the stream */
  RcDecoderSegments *segments;   /* several helpers, or NULL */
  guint             extra;        /* helpers taken from the budget for segments */
  gboolean          is_pipe;
  RcDecoderMsg      msg;          /* the PCM message being handed out */
  gsize             msg_used;     /* bytes of it handed out */
  gint64            requested;    /* frames asked for so far */
  gint64            received;     /* frames arrived so far */
  guint             ends_due;     /* END messages still to come, one per READ */
  guint64           clipped;      /* the helper's last CLIPPED count */
} HelperReader;

/* A segment's levels from the helper, kept on the source. */
static void
note_levels (HelperReader *reader, const RcDecoderMsg *msg)
{
  RcLevels levels = {
    .first = (gint64) msg->first,
    .frames = (gint64) msg->count,
    .sample_peak = msg->sample_peak,
    .true_peak = msg->true_peak,
    .has_loudness = (msg->levels_flags & RC_DECODER_LEVELS_LOUDNESS) != 0,
    .loudness = msg->loudness,
  };

  g_debug ("decoder: %s: frames %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " measured",
           reader->source->description, levels.first, levels.first + levels.frames - 1);
  rc_audio_source_note_levels (reader->audio, &levels);
}

static void
helper_source_free (gpointer data)
{
  HelperSource *source = data;

  g_clear_pointer (&source->pipe_process, rc_decoder_process_free);
  g_mutex_clear (&source->lock);
  if (source->fd >= 0)
    close (source->fd);
  g_free (source->description);
  g_free (source->helper_path);
  g_free (source);
}

static void
helper_reader_free (gpointer data)
{
  HelperReader *reader = data;

  g_clear_pointer (&reader->process, rc_decoder_process_free);
  g_clear_pointer (&reader->segments, rc_decoder_segments_free);
  rc_decoder_segments_release (reader->extra);
  g_free (reader);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HelperReader, helper_reader_free)

/* Asks for the frames up to `until`.  A file's reader asks for all of
 * them at once, so that the helper decodes ahead while the image is
 * written; a pipe's only for what is wanted now, since its writer may
 * not give more yet (a helper waiting for frames nobody wants would hold
 * up those that are wanted). */
static gboolean
request (HelperReader *reader, gint64 until, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (until <= reader->requested)
    return TRUE;
  rc_decoder_msg_add_read (out, (guint64) reader->requested,
                           (guint64) (until - reader->requested));
  reader->requested = until;
  reader->ends_due++;
  return rc_decoder_process_send (reader->process, out, error);
}

/* A failure of a reader's helper, explained: cancellation first. */
static gboolean
reader_fail (HelperReader *reader, GError *cause, GError **error)
{
  g_autoptr(GError) owned = cause;

  if (reader->segments != NULL ? rc_decoder_segments_cancelled (reader->segments)
                               : rc_decoder_process_cancelled (reader->process))
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_CANCELLED,
                           reader->is_pipe ? "reading the audio from a pipe was cancelled"
                                           : "reading the audio was cancelled");
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&owned));
  return FALSE;
}

static RcDecoderProcess *
start_reader_helper (HelperSource *source, GError **error)
{
  return rc_decoder_process_start (source->helper_path, RC_DECODER_MODE_READ, source->fd,
                                   source->frames, source->dither, error);
}

/* A reader's helper reads the file again: its PROBE must say what the
 * source's said. */
static gboolean
check_reader_probe (HelperSource *source, RcDecoderProcess *process, GError **error)
{
  RcDecoderMsg msg;

  if (!rc_decoder_process_receive (process, source->description, &msg, error))
    return FALSE;
  if (msg.type == RC_DECODER_MSG_ERROR)
    {
      g_set_error (error, RC_ERROR, msg.code, "%s: opening it again: %s",
                   source->description, msg.text);
      return FALSE;
    }
  if (msg.type != RC_DECODER_MSG_PROBE)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: the decoder broke the protocol: message %u instead of its probe",
                   source->description, msg.type);
      return FALSE;
    }
  if (msg.frames != source->frames || strcmp (msg.text, source->description) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "the audio changed since it was added: it was %s, %" G_GINT64_FORMAT
                   " frames, and is now %s, %" G_GINT64_FORMAT " frames",
                   source->description, source->frames, msg.text, msg.frames);
      return FALSE;
    }
  return TRUE;
}

/* MEASURE: the ranges whose levels the helper reports (before any READ). */
static gboolean
send_measure (HelperReader *reader, const gint64 *marks, guint n_marks, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint64 wire[RC_DECODER_MAX_MARKS];

  g_return_val_if_fail (reader->requested == 0 && n_marks >= 2
                        && n_marks <= RC_DECODER_MAX_MARKS, FALSE);
  for (guint i = 0; i < n_marks; i++)
    wire[i] = (guint64) marks[i];
  rc_decoder_msg_add_measure (out, wire, n_marks);
  return rc_decoder_process_send (reader->process, out, error);
}

/* Several helpers decoding segments of the file at once, when its format
 * allows and spare helpers are free (rc-decoder-segments.h); else one
 * helper, asked for every frame at once.  The helpers are all started
 * before any is waited for, so that they start on several processors. */
static gboolean
start_reading_file (HelperReader *reader, const gint64 *marks, guint n_marks, GError **error)
{
  HelperSource *source = reader->source;
  RcDecoderProcess *processes[RC_DECODER_SEGMENT_MAX_HELPERS] = { NULL };
  const char *why = n_marks > 0 ? "its levels are measured, over whole ranges"
                                : "its format does not seek exactly, or it is resampled";
  /* levels are measured in one helper that sees every frame in order */
  guint wanted = source->segments && n_marks == 0
                 ? rc_decoder_segments_reserve (source->frames, &why) : 1;
  guint started = 0;
  guint ready = 0;

  reader->extra = wanted - 1;
  for (; started < wanted; started++)
    {
      g_autoptr(GError) local_error = NULL;

      processes[started] = start_reader_helper (source, started == 0 ? error : &local_error);
      if (processes[started] == NULL && started == 0)
        return FALSE;
      if (processes[started] == NULL)
        {
          /* the extra helpers are a bonus: go on with those that started */
          g_debug ("decoder: %s: an extra helper did not start: %s", source->description,
                   local_error->message);
          why = "extra helpers did not start";
          break;
        }
    }
  for (; ready < started; ready++)
    {
      g_autoptr(GError) local_error = NULL;

      if (check_reader_probe (source, processes[ready], ready == 0 ? error : &local_error))
        continue;
      if (ready == 0)
        {
          for (guint i = 0; i < started; i++)
            rc_decoder_process_free (processes[i]);
          return FALSE;
        }
      g_debug ("decoder: %s: an extra helper failed: %s", source->description,
               local_error->message);
      why = "extra helpers failed";
      for (guint i = ready; i < started; i++)
        g_clear_pointer (&processes[i], rc_decoder_process_free);
      break;
    }
  rc_decoder_segments_release (reader->extra - (ready - 1));
  reader->extra = ready - 1;
  if (ready >= 2)
    {
      g_debug ("decoder: %s: %u helpers decode segments of %" G_GINT64_FORMAT " frames",
               source->description, ready, RC_DECODER_SEGMENT_FRAMES);
      reader->segments = rc_decoder_segments_new (source->description, source->frames,
                                                  processes, ready, error);
      /* it took every process, also when it failed */
      return reader->segments != NULL;
    }
  g_debug ("decoder: %s: one helper decodes it all: %s", source->description, why);
  reader->process = processes[0];
  if (n_marks > 0 && !send_measure (reader, marks, n_marks, error))
    return FALSE;
  return request (reader, source->frames, error);
}

/* A reader; with marks, one that has the helper measure their ranges. */
static gpointer
open_reader (RcAudioSource *audio, gpointer source_data, const gint64 *marks, guint n_marks,
             GError **error)
{
  HelperSource *source = source_data;
  g_autoptr(HelperReader) reader = g_new0 (HelperReader, 1);

  reader->audio = audio;
  reader->source = source;
  if (source->fd < 0)
    {
      g_mutex_lock (&source->lock);
      reader->process = g_steal_pointer (&source->pipe_process);
      g_mutex_unlock (&source->lock);
      reader->is_pipe = TRUE;
      if (reader->process == NULL)
        {
          g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                               "the audio came from a pipe and was read already");
          return NULL;
        }
      /* its helper waits for the first READ: the MEASURE goes before */
      if (n_marks > 0 && !send_measure (reader, marks, n_marks, error))
        return NULL;
      return g_steal_pointer (&reader);
    }
  if (!start_reading_file (reader, marks, n_marks, error))
    return NULL;
  return g_steal_pointer (&reader);
}

static gpointer
helper_open_reader (RcAudioSource *audio, gpointer source_data, GError **error)
{
  return open_reader (audio, source_data, NULL, 0, error);
}

static gpointer
helper_open_measuring_reader (RcAudioSource *audio, gpointer source_data, const gint64 *marks,
                              guint n_marks, GError **error)
{
  return open_reader (audio, source_data, marks, n_marks, error);
}



static void
helper_set_cancellable (gpointer data, GCancellable *cancellable)
{
  HelperReader *reader = data;

  /* a helper that decodes a file is stopped by it too: its work may be
   * long (a large MP3), and killing it is instant */
  if (reader->segments != NULL)
    rc_decoder_segments_watch (reader->segments, cancellable);
  else
    rc_decoder_process_watch (reader->process, 1, cancellable);
}

/* After the last frame: the helper's count of clipped samples and its
 * END follow at once; the source keeps the count for the track. */
static gboolean
finish_stream (HelperReader *reader, GError **error)
{
  HelperSource *source = reader->source;

  while (reader->ends_due > 0)
    {
      g_autoptr(GError) local_error = NULL;
      RcDecoderMsg *msg = &reader->msg;

      if (!rc_decoder_process_receive (reader->process, source->description, msg, &local_error))
        return reader_fail (reader, g_steal_pointer (&local_error), error);
      reader->msg_used = 0;
      if (msg->type == RC_DECODER_MSG_CLIPPED)
        reader->clipped = msg->clipped;
      else if (msg->type == RC_DECODER_MSG_LEVELS)
        note_levels (reader, msg);
      else if (msg->type == RC_DECODER_MSG_END)
        reader->ends_due--;
      else if (msg->type == RC_DECODER_MSG_ERROR)
        return reader_fail (reader, g_error_new_literal (RC_ERROR, msg->code, msg->text), error);
      else
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                       "%s: the decoder broke the protocol: message %u after the last frame",
                       source->description, msg->type);
          return FALSE;
        }
    }
  memset (&reader->msg, 0, sizeof reader->msg);
  rc_audio_source_note_clipped (reader->audio, reader->clipped);
  return TRUE;
}

static gboolean
helper_read (gpointer data, gint16 *buf, gsize n_frames, gsize *got, GError **error)
{
  HelperReader *reader = data;
  HelperSource *source = reader->source;
  guint8 *out = (guint8 *) buf;
  gsize want = n_frames * 4;
  gsize done = 0;

  *got = 0;
  if (reader->segments != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean complete = FALSE;
      guint64 clipped = 0;

      if (!rc_decoder_segments_read (reader->segments, buf, n_frames, got, &complete,
                                     &clipped, &local_error))
        return reader_fail (reader, g_steal_pointer (&local_error), error);
      if (complete)
        rc_audio_source_note_clipped (reader->audio, clipped);
      return TRUE;
    }
  if (reader->is_pipe)
    {
      g_autoptr(GError) local_error = NULL;

      if (!request (reader, reader->received + (gint64) n_frames, &local_error))
        return reader_fail (reader, g_steal_pointer (&local_error), error);
    }
  while (done < want)
    {
      g_autoptr(GError) local_error = NULL;
      RcDecoderMsg *msg = &reader->msg;
      gsize n;

      if (msg->type == RC_DECODER_MSG_PCM && reader->msg_used < msg->pcm_len)
        {
          n = MIN (want - done, msg->pcm_len - reader->msg_used);
          memcpy (out + done, msg->pcm + reader->msg_used, n);
          reader->msg_used += n;
          done += n;
          *got = done / 4;
          continue;
        }
      if (rc_decoder_process_cancelled (reader->process))
        return reader_fail (reader, NULL, error);
      if (!rc_decoder_process_receive (reader->process, source->description, msg, &local_error))
        return reader_fail (reader, g_steal_pointer (&local_error), error);
      reader->msg_used = 0;
      switch (msg->type)
        {
        case RC_DECODER_MSG_PCM:
          if ((gint64) (msg->pcm_len / 4) > reader->requested - reader->received)
            {
              g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                           "%s: the decoder broke the protocol: more frames than asked for",
                           source->description);
              return FALSE;
            }
          reader->received += (gint64) (msg->pcm_len / 4);
          continue;
        case RC_DECODER_MSG_CLIPPED:
          reader->clipped = msg->clipped;
          continue;
        case RC_DECODER_MSG_LEVELS:
          note_levels (reader, msg);
          continue;
        case RC_DECODER_MSG_END:
          /* an END closes the oldest READ: all but the last one asked
           * for are complete by the time another is sent */
          if (reader->ends_due > 1
              || (reader->ends_due == 1 && reader->received == reader->requested))
            {
              reader->ends_due--;
              continue;
            }
          break;
        case RC_DECODER_MSG_ERROR:
          return reader_fail (reader, g_error_new_literal (RC_ERROR, msg->code, msg->text),
                              error);
        default:
          break;
        }
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: the decoder broke the protocol: message %u while decoding",
                   source->description, msg->type);
      return FALSE;
    }
  if (reader->received == source->frames && reader->msg_used == reader->msg.pcm_len)
    return finish_stream (reader, error);
  return TRUE;
}

static const RcAudioBackend helper_backend = {
  .open_reader = helper_open_reader,
  .read = helper_read,
  .set_cancellable = helper_set_cancellable,
  .free_reader = helper_reader_free,
  .free_source = helper_source_free,
  .open_measuring_reader = helper_open_measuring_reader,
};

static RcAudioSource *
helper_source_new (const char *helper_path, int fd, gint64 frames, const char *description,
                   gboolean dither)
{
  HelperSource *source = g_new0 (HelperSource, 1);

  source->helper_path = g_strdup (helper_path);
  source->fd = fd;
  source->frames = frames;
  source->description = g_strdup (description);
  source->dither = dither;
  g_mutex_init (&source->lock);
  return rc_audio_source_new_with_backend (&helper_backend, source, source->frames,
                                           source->description, TRUE);
}

/* The probe's answer: a source, or the helper's refusal. */
static RcAudioSource *
source_from_probe (const char *helper_path, int fd, gboolean dither,
                   RcDecoderProcess **process, const RcDecoderMsg *msg, GError **error)
{
  HelperSource *source;

  if (msg->type == RC_DECODER_MSG_ERROR)
    {
      g_set_error_literal (error, RC_ERROR, msg->code, msg->text);
      close (fd);
      return NULL;
    }
  if (msg->type != RC_DECODER_MSG_PROBE)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "the decoder broke the protocol: message %u instead of its probe",
                   msg->type);
      close (fd);
      return NULL;
    }
  g_debug ("decoder: %s, %" G_GINT64_FORMAT " frames%s%s", msg->text, msg->frames,
           msg->flags & RC_DECODER_PROBE_PCM ? ", read directly" : "",
           msg->flags & RC_DECODER_PROBE_SEEKABLE ? "" : ", from a pipe");
  if (msg->flags & RC_DECODER_PROBE_PCM)
    {
      /* rawcdd reads plain PCM itself; levels are measured in a helper
       * only, which reads its own copy of the descriptor when asked */
      int measurer_fd = fcntl (fd, F_DUPFD_CLOEXEC, 3);
      RcAudioSource *pcm = rc_audio_pcm_source_new (fd, msg->pcm_offset, msg->frames,
                                                    msg->pcm_channels,
                                                    (msg->flags & RC_DECODER_PROBE_PCM_BIG_ENDIAN) != 0,
                                                    msg->text);

      if (pcm != NULL && measurer_fd >= 0)
        {
          g_autoptr(RcAudioSource) measurer = helper_source_new (helper_path, measurer_fd,
                                                                 msg->frames, msg->text,
                                                                 dither);

          rc_audio_source_set_measurer (pcm, measurer);
        }
      else if (measurer_fd >= 0)
        close (measurer_fd);
      return pcm;
    }

  source = g_new0 (HelperSource, 1);
  source->helper_path = g_strdup (helper_path);
  source->frames = msg->frames;
  source->description = g_strdup (msg->text);
  source->dither = dither;
  source->segments = (msg->flags & RC_DECODER_PROBE_SEGMENTS) != 0;
  g_mutex_init (&source->lock);
  if (msg->flags & RC_DECODER_PROBE_SEEKABLE)
    source->fd = fd;
  else
    {
      /* the helper holds the pipe now, and reads it on */
      source->fd = -1;
      close (fd);
      source->pipe_process = g_steal_pointer (process);
    }
  return rc_audio_source_new_with_backend (&helper_backend, source, source->frames,
                                           source->description, source->fd >= 0);
}

/* The next message of a probe; FALSE with error set (cancelled, or what
 * went wrong with the helper). */
static gboolean
receive_probe (RcDecoderProcess *process, gboolean seekable, RcDecoderMsg *msg, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (rc_decoder_process_receive (process, NULL, msg, &local_error))
    return TRUE;
  if (rc_decoder_process_cancelled (process))
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_CANCELLED,
                           seekable ? "reading the audio header was cancelled"
                                    : "reading the audio from a pipe was cancelled");
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

RcAudioSource *
rc_decoder_source_new (const char     *helper_path,
                       int             fd,
                       RcAudioFormat   format,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return rc_decoder_source_new_full (helper_path, fd, format, TRUE, cancellable, error);
}

/* One helper's probe of fd: its PROBE (then its CONVERSIONS), ERROR or
 * UNRECOGNISED in *msg; FALSE with error set when the helper failed. */
static gboolean
run_probe (const char *helper_path, int fd, gboolean seekable, gboolean dither,
           GCancellable *cancellable, RcDecoderProcess **process_out, RcDecoderMsg *msg,
           RcDecoderMsg *conversions, GError **error)
{
  g_autoptr(RcDecoderProcess) process = NULL;

  process = rc_decoder_process_start (helper_path, RC_DECODER_MODE_PROBE, fd, 0, dither, error);
  if (process == NULL)
    return FALSE;
  /* Cancelling kills the helper: a probe stops at once, whatever it was
   * doing (counting a long MP3's frames, waiting on a silent pipe).  For a
   * pipe this stays so for its reader, as with libsndfile in process. */
  rc_decoder_process_watch (process, 0, cancellable);
  if (!receive_probe (process, seekable, msg, error))
    return FALSE;
  /* a probe is followed by what the helper will do to the audio */
  if (msg->type == RC_DECODER_MSG_PROBE)
    {
      if (!receive_probe (process, seekable, conversions, error))
        return FALSE;
      if (conversions->type != RC_DECODER_MSG_CONVERSIONS)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                       "the decoder broke the protocol: message %u instead of its conversions",
                       conversions->type);
          return FALSE;
        }
    }
  *process_out = g_steal_pointer (&process);
  return TRUE;
}

RcAudioSource *
rc_decoder_source_new_full (const char     *helper_path,
                            int             fd,
                            RcAudioFormat   format,
                            gboolean        dither,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(RcDecoderProcess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *second = NULL;
  gboolean seekable = FALSE;
  RcAudioSource *source;
  RcDecoderMsg msg;
  RcDecoderMsg conversions = { 0 };

  g_return_val_if_fail (helper_path != NULL, NULL);
  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (format == RC_AUDIO_FORMAT_AUTO || format == RC_AUDIO_FORMAT_RAW
                        || format == RC_AUDIO_FORMAT_RAW_BIG_ENDIAN, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    {
      close (fd);
      g_set_error_literal (error, RC_ERROR, RC_ERROR_CANCELLED, local_error->message);
      return NULL;
    }
  /* Headerless audio is not parsed at all. */
  if (format == RC_AUDIO_FORMAT_RAW || format == RC_AUDIO_FORMAT_RAW_BIG_ENDIAN)
    return rc_audio_raw_source_new_full (fd, format == RC_AUDIO_FORMAT_RAW_BIG_ENDIAN, error);
  if (!rc_audio_fd_is_seekable (fd, &seekable, error)
      || !run_probe (helper_path, fd, seekable, dither, cancellable, &process, &msg,
                     &conversions, error))
    {
      close (fd);
      return NULL;
    }
  /* A file the first helper does not recognise goes to the second, which
   * reads it from its start (and then serves its readers too); when that
   * one does not recognise it either, the first's words say why. */
  if (msg.type == RC_DECODER_MSG_UNRECOGNISED)
    {
      g_autofree char *first_words = g_strdup (msg.text);

      g_clear_pointer (&process, rc_decoder_process_free);
      second = rc_decoder_process_second_helper (helper_path);
      if (second == NULL
          || (run_probe (second, fd, seekable, dither, cancellable, &process, &msg,
                         &conversions, error)
              && msg.type == RC_DECODER_MSG_UNRECOGNISED))
        g_set_error_literal (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, first_words);
      if (process == NULL || msg.type == RC_DECODER_MSG_UNRECOGNISED)
        {
          close (fd);
          return NULL;
        }
      helper_path = second;
    }
  source = source_from_probe (helper_path, fd, dither, &process, &msg, error);
  if (source != NULL && conversions.text[0] != '\0')
    {
      g_auto(GStrv) phrases = g_strsplit (conversions.text, "\n", -1);

      rc_audio_source_set_conversions (source, (const char *const *) phrases);
    }
  return source;
}

/* One helper's formats. */
static GStrv
helper_formats (const char *helper_path, GError **error)
{
  g_autoptr(RcDecoderProcess) process = NULL;
  RcDecoderMsg msg;

  process = rc_decoder_process_start (helper_path, RC_DECODER_MODE_FORMATS, -1, 0, TRUE, error);
  if (process == NULL)
    return NULL;
  if (!rc_decoder_process_receive (process, NULL, &msg, error))
    return NULL;
  if (msg.type == RC_DECODER_MSG_ERROR)
    {
      g_set_error_literal (error, RC_ERROR, msg.code, msg.text);
      return NULL;
    }
  if (msg.type != RC_DECODER_MSG_FORMATS)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "the decoder %s answered message %u instead of its formats",
                   helper_path, msg.type);
      return NULL;
    }
  return g_strsplit (msg.text, ",", -1);
}

GStrv
rc_decoder_supported_formats (const char *helper_path, GError **error)
{
  g_auto(GStrv) first = helper_formats (helper_path, error);
  g_autofree char *second = NULL;
  g_auto(GStrv) more = NULL;
  g_autoptr(GStrvBuilder) all = NULL;

  if (first == NULL)
    return NULL;
  second = rc_decoder_process_second_helper (helper_path);
  if (second == NULL)
    return g_steal_pointer (&first);
  /* installed but not working is a broken installation: say so */
  more = helper_formats (second, error);
  if (more == NULL)
    {
      g_prefix_error (error, "the decoder helper %s does not work: ", second);
      return NULL;
    }
  all = g_strv_builder_new ();
  g_strv_builder_addv (all, (const char **) first);
  for (guint i = 0; more[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) first, more[i]))
      g_strv_builder_add (all, more[i]);
  return g_strv_builder_end (all);
}
