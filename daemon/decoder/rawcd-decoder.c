/* rawcd-decoder: reads one client's audio for rawcdd, in a sandbox.
 *
 *   rawcd-decoder probe|read|formats PARENT-PID KNOWN-FRAMES dither|round
 *
 * Two helpers are built from this file, each with its own backends
 * (rc-input-backends-*.c): rawcd-decoder (libsndfile, libmpg123) and
 * rawcd-decoder-ffmpeg (FFmpeg), which rawcdd starts only for a file
 * the first answers UNRECOGNISED to.
 *
 * The last argument says how audio of more than 16 bits of precision
 * becomes 16-bit (rc-convert.h).
 * rawcdd starts it (rc-decoder-process.c) with the audio descriptor as 3
 * and a socket to rawcdd as 4.  It confines itself (rawcd-decoder-sandbox.c)
 * before it touches the audio, then answers with one message
 * (rc-decoder-proto.h): PROBE, what the header says, or ERROR, why the
 * audio is refused; FORMATS in formats mode.  It then decodes the frames
 * each READ asks for as PCM messages, CLIPPED and an END, until rawcdd closes the
 * channel or kills it.  A READ that does not start where the last one
 * ended seeks, when the stream seeks exactly (PROBE's SEGMENTS flag).  A
 * MEASURE before the first READ has it measure the levels of the segments
 * it names too (rc-levels.h), each reported in a LEVELS message before the
 * PCM of the segment's last frame.  It is not meant to be run by hand.
 *
 * Test hook: RAWCD_DECODER_TEST in the environment rawcdd was started
 * with (never anything a client can set), a comma-separated list of
 *   open:PATH            try to open PATH once confined, answer ERROR
 *                        saying how that went (the filter's proof)
 *   ffmpeg-open:PATH     the same in rawcd-decoder-ffmpeg only (so that
 *                        rawcd-decoder answers UNRECOGNISED first)
 *   crash-on-read:N      die of SIGSEGV at a READ for a stream of N frames
 *   spin-on-read:N       loop forever at a READ for a stream of N frames
 */
#define _GNU_SOURCE
#include "rawcd-decoder-sandbox.h"
#include "rc-convert.h"
#include "rc-decoder-proto.h"
#include "rc-error.h"
#include "rc-input.h"
#include "rc-levels.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define AUDIO_FD   3
#define CHANNEL_FD 4
#define PCM_FRAMES (RC_DECODER_MSG_MAX_PAYLOAD / 4)

static gboolean
send_all (GByteArray *message)
{
  gsize done = 0;

  while (done < message->len)
    {
      gssize n = write (CHANNEL_FD, message->data + done, message->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;  /* rawcdd is gone or done with us */
      done += (gsize) n;
    }
  g_byte_array_set_size (message, 0);
  return TRUE;
}

static int
send_error (guint32 code, const char *message)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  rc_decoder_msg_add_error (out, code, message);
  send_all (out);
  return 0;
}

static int
send_gerror (const GError *error)
{
  guint32 code = error->domain == RC_ERROR ? (guint32) error->code : RC_ERROR_FAILED;

  return send_error (code, error->message);
}

static gboolean
read_all (guint8 *dest, gsize len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = read (CHANNEL_FD, dest + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}

/* The next READ or MEASURE from rawcdd; FALSE at the end of the channel
 * or for anything else, which ends the helper. */
static gboolean
receive_request (RcDecoderMsg *msg)
{
  g_autofree guint8 *buf = g_malloc (RC_DECODER_MSG_HEADER_BYTES + 8 * RC_DECODER_MAX_MARKS);
  guint32 payload_len = 0;
  gsize consumed = 0;

  if (!read_all (buf, RC_DECODER_MSG_HEADER_BYTES)
      || !rc_decoder_msg_parse_header (buf, &payload_len, NULL)
      || payload_len > 8 * RC_DECODER_MAX_MARKS
      || !read_all (buf + RC_DECODER_MSG_HEADER_BYTES, payload_len)
      || !rc_decoder_msg_parse (buf, RC_DECODER_MSG_HEADER_BYTES + payload_len, &consumed,
                                msg, NULL))
    return FALSE;
  return consumed == RC_DECODER_MSG_HEADER_BYTES + payload_len
         && (msg->type == RC_DECODER_MSG_READ || msg->type == RC_DECODER_MSG_MEASURE);
}

/* The argument of hook `name` in RAWCD_DECODER_TEST, or NULL. */
static char *
test_hook (const char *name)
{
  const char *spec = g_getenv ("RAWCD_DECODER_TEST");
  g_auto(GStrv) hooks = NULL;
  g_autofree char *prefix = g_strconcat (name, ":", NULL);

  if (spec == NULL)
    return NULL;
  hooks = g_strsplit (spec, ",", -1);
  for (guint i = 0; hooks[i] != NULL; i++)
    if (g_str_has_prefix (hooks[i], prefix))
      return g_strdup (hooks[i] + strlen (prefix));
  return NULL;
}

static gboolean
hook_matches (const char *name, gint64 frames)
{
  g_autofree char *arg = test_hook (name);

  return arg != NULL && g_ascii_strtoll (arg, NULL, 10) == frames;
}

static void
run_read_hooks (gint64 frames)
{
  if (hook_matches ("crash-on-read", frames))
    {
      volatile int *nowhere = NULL;

      *nowhere = 1;
    }
  if (hook_matches ("spin-on-read", frames))
    for (volatile guint64 i = 0;; i++)
      ;
}

/* The stream from its start, as CD audio.  *unrecognised as
 * rc_input_open_full() says. */
static RcConvert *
open_stream (gint64 known_frames, gboolean dither, gboolean *unrecognised, GError **error)
{
  RcInput *input = rc_input_open_full (AUDIO_FD, known_frames, unrecognised, NULL, error);

  if (input == NULL)
    return NULL;
  return rc_convert_new (input, dither, error);
}

/* Decodes the frames of READ requests as they come; returns the exit
 * status.  The stream is only ever read forward from its start, so that
 * resampling and dither give the same samples to every reader. */
static int
serve (RcConvert *first, gboolean dither)
{
  g_autoptr(RcConvert) convert = first;
  g_autoptr(GByteArray) out = g_byte_array_sized_new (RC_DECODER_MSG_HEADER_BYTES
                                                      + RC_DECODER_MSG_MAX_PAYLOAD);
  g_autofree gint16 *pcm = g_new (gint16, 2 * PCM_FRAMES);
  gint64 frames = rc_convert_get_frames (convert);
  gboolean seekable = rc_input_get_info (rc_convert_get_input (convert))->seekable;
  gint64 position = 0;
  g_autoptr(RcLevelMeter) meter = NULL;
  RcDecoderMsg msg;

  while (receive_request (&msg))
    {
      g_autoptr(GError) error = NULL;
      guint64 left;

      if (msg.type == RC_DECODER_MSG_MEASURE)
        {
          /* the segments are known before any frame is converted */
          if (meter != NULL || position > 0)
            return send_error (RC_ERROR_FAILED, "levels asked for after reading began");
          meter = rc_level_meter_new (msg.marks, msg.n_marks);
          continue;
        }

      run_read_hooks (frames);
      if (msg.first > (guint64) frames || msg.count > (guint64) frames - msg.first)
        return send_error (RC_ERROR_INVALID_ARGUMENT, "frames asked for past the end");
      /* A stream that seeks exactly goes straight to the first frame (the
       * daemon decodes pieces of it in several helpers: PROBE said
       * SEGMENTS); others go back by starting again (a pipe cannot) and go
       * on by decoding what lies between. */
      if ((gint64) msg.first != position && rc_convert_seeks_exactly (convert))
        {
          /* levels are measured over whole ranges, read in order */
          if (meter != NULL)
            return send_error (RC_ERROR_FAILED,
                               "a helper that measures levels reads its stream in order");
          if (!rc_convert_seek (convert, (gint64) msg.first, &error))
            return send_gerror (error);
          position = (gint64) msg.first;
        }
      if ((gint64) msg.first < position)
        {
          if (!seekable)
            return send_error (RC_ERROR_FAILED,
                               "the audio came from a pipe and was read already");
          g_clear_pointer (&convert, rc_convert_free);
          convert = open_stream (frames, dither, NULL, &error);
          if (convert == NULL)
            return send_gerror (error);
          if (rc_convert_get_frames (convert) != frames)
            return send_error (RC_ERROR_UNSUPPORTED_AUDIO,
                               "the audio changed since it was added");
          position = 0;
          if (meter != NULL)
            rc_level_meter_restart (meter);
        }
      while (position < (gint64) msg.first)
        {
          gsize n = (gsize) MIN ((gint64) PCM_FRAMES, (gint64) msg.first - position);
          gsize got = 0;

          if (!rc_convert_read (convert, pcm, n, &got, &error)
              || (meter != NULL && !rc_level_meter_feed (meter, pcm, n, out, &error)))
            return send_gerror (error);
          position += (gint64) n;
        }
      for (left = msg.count; left > 0;)
        {
          gsize n = (gsize) MIN ((guint64) PCM_FRAMES, left);
          gsize got = 0;

          /* the frames that came before a failure go first, as a reader
           * in rawcdd would have had them */
          if (!rc_convert_read (convert, pcm, n, &got, &error))
            {
              if (got > 0)
                {
                  rc_decoder_msg_add_pcm (out, pcm, got * 4);
                  send_all (out);
                }
              return send_gerror (error);
            }
          /* a segment's levels go before its last frame: a reader that
           * stops at that frame has them */
          if (meter != NULL && !rc_level_meter_feed (meter, pcm, n, out, &error))
            return send_gerror (error);
          rc_decoder_msg_add_pcm (out, pcm, n * 4);
          if (!send_all (out))
            return 0;
          position += (gint64) n;
          left -= n;
        }
      /* clipping is never silent: rawcdd tells the user */
      rc_decoder_msg_add_clipped (out, rc_convert_get_clipped (convert));
      rc_decoder_msg_add_end (out);
      if (!send_all (out))
        return 0;
    }
  return 0;
}

static int
probe (gboolean for_reading, gint64 known_frames, gboolean dither)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcConvert) convert = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RcInput *input;
  gint64 offset = 0;
  guint channels = 0;
  gboolean big_endian = FALSE;
  guint32 flags = 0;
  gboolean unrecognised = FALSE;

  convert = open_stream (for_reading ? known_frames : 0, dither, &unrecognised, &error);
  /* another helper may know the format: rawcdd decides (a reader's helper
   * was chosen by the probe, and refuses plainly) */
  if (convert == NULL && unrecognised && !for_reading)
    {
      rc_decoder_msg_add_unrecognised (out, error->message);
      send_all (out);
      return 0;
    }
  if (convert == NULL)
    return send_gerror (error);
  input = rc_convert_get_input (convert);
  if (rc_input_get_info (input)->seekable)
    flags |= RC_DECODER_PROBE_SEEKABLE;
  if (rc_convert_seeks_exactly (convert))
    flags |= RC_DECODER_PROBE_SEGMENTS;
  /* a reader's helper decodes even plain PCM: rawcdd asked it to */
  if (!for_reading && rc_input_get_pcm_layout (input, &offset, &channels, &big_endian))
    flags |= RC_DECODER_PROBE_PCM | (big_endian ? RC_DECODER_PROBE_PCM_BIG_ENDIAN : 0);
  else
    offset = 0, channels = 0;
  rc_decoder_msg_add_probe (out, rc_convert_get_frames (convert), flags, channels, offset,
                            rc_input_get_description (input));
  /* rawcdd knows what its reader's helper will do from the probe */
  if (!for_reading)
    rc_decoder_msg_add_conversions (out, rc_convert_get_conversions (convert));
  if (!send_all (out))
    return 0;
  return serve (g_steal_pointer (&convert), dither);
}

static int
list_formats (void)
{
  g_auto(GStrv) formats = rc_input_supported_formats ();
  g_autofree char *joined = g_strjoinv (",", formats);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  rc_decoder_msg_add_formats (out, joined);
  send_all (out);
  return 0;
}

/* The proof that the filter applies: what opening a file does now. */
static gboolean
run_open_hook (void)
{
  gboolean ffmpeg = g_strcmp0 (rc_input_backends.primary->name, "FFmpeg") == 0;
  g_autofree char *path = test_hook (ffmpeg ? "ffmpeg-open" : "open");
  g_autofree char *what = NULL;
  int fd;

  if (path == NULL)
    return FALSE;
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    what = g_strdup_printf ("test hook: opened %s after confinement", path);
  else
    what = g_strdup_printf ("test hook: opening %s after confinement failed: %s",
                            path, g_strerror (errno));
  send_error (RC_ERROR_UNSUPPORTED_AUDIO, what);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) warm = NULL;
  gint64 parent;
  gint64 known_frames;

  if (argc != 5 || (strcmp (argv[1], "probe") != 0 && strcmp (argv[1], "read") != 0
                    && strcmp (argv[1], "formats") != 0)
      || (strcmp (argv[4], "dither") != 0 && strcmp (argv[4], "round") != 0))
    {
      g_printerr ("usage: %s probe|read|formats PARENT-PID KNOWN-FRAMES dither|round "
                  "(started by rawcdd, not by hand)\n", argv[0]);
      return 2;
    }
  parent = g_ascii_strtoll (argv[2], NULL, 10);
  known_frames = g_ascii_strtoll (argv[3], NULL, 10);

  /* Die with rawcdd; and if it died before this line, do not start. */
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (getppid () != (pid_t) parent)
    return 1;
  /* rawcdd closing the channel ends a write with EPIPE, not a signal */
  signal (SIGPIPE, SIG_IGN);

  /* libsndfile builds its format tables on first use: before the filter */
  warm = rc_input_supported_formats ();

  if (!rd_sandbox_enter (&error))
    {
      send_gerror (error);
      return 1;
    }
  if (strcmp (argv[1], "formats") == 0)
    return list_formats ();
  if (run_open_hook ())
    return 0;
  return probe (strcmp (argv[1], "read") == 0, known_frames, strcmp (argv[4], "dither") == 0);
}
