/* rc-audio-source.c: one track's audio, read from a file descriptor.
 *
 * libsndfile reads the audio through its virtual I/O, over one of two
 * streams:
 *
 *  - a seekable descriptor (a regular file, a memfd, a block device) is read
 *    with pread() at a position of the stream's own, so the descriptor's
 *    shared file offset is neither used nor moved, and every reader opens
 *    its own SNDFILE: readers of one source can run on different threads;
 *
 *  - any other descriptor (a pipe, a socket) is read forward only.
 *    libsndfile takes every virtual stream for seekable, so the stream keeps
 *    the first HEAD_BYTES it read and serves libsndfile's probing of the
 *    header from them.  The SNDFILE opened to check the header is the one
 *    the single reader gets later: the pipe cannot be read twice.
 *
 * The length of the audio is settled when the source is made; a stream that
 * then delivers less, or fails to decode, is an error, never silence.
 */
#define _GNU_SOURCE
#include "rc-audio-source.h"

#include "rc-cd.h"
#include "rc-error.h"

#include <errno.h>
#include <linux/fs.h>
#include <sndfile.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a stream keeps of its head for libsndfile to seek back into. */
#define HEAD_BYTES (64 * 1024)

/* The most a stream reads while libsndfile probes the header, which ends
 * where the audio starts: a header longer than this cannot come from a
 * pipe, nor can audio whose reading starts beyond HEAD_BYTES after a parser
 * has read on. */
#define PROBE_BYTES (16 * 1024 * 1024)

/* Frames converted per step when samples need converting (float to 16-bit). */
#define CHUNK_FRAMES 4096

/* A length a pipe's header may declare: 99:59:74, the most any CD
 * addresses.  Larger values are the placeholders of writers that could not
 * seek back to fill in the length. */
#define PIPE_MAX_FRAMES ((gint64) 450000 * RC_FRAMES_PER_SECTOR)

/* WAV data chunk and AIFF SSND chunk sizes from this one up are the
 * placeholders streaming writers put in a header (sox 0x7FFFF000, others
 * 0xFFFFFFFF): no audio that fits on a CD is that long even as 32-bit
 * stereo samples. */
#define PLACEHOLDER_CHUNK_BYTES G_GINT64_CONSTANT (0x7FFFF000)

/* libsndfile keeps the error of the last failed open, and a seed, in
 * process-wide variables that every sf_open_virtual() writes: opens (and
 * its format tables) are used under this lock.  A stream being opened lets
 * go of it while it waits for its descriptor, so that a slow writer (or a
 * slow file system) does not hold up the other opens; the variables are
 * only touched by libsndfile's own code, which runs with the lock held. */
static GMutex sndfile_lock;

/* ------------------------------------------------------------------------ */
/* Seekable descriptors: positioned reads. */

typedef struct {
  int      fd;          /* borrowed from the source */
  gint64   pos;
  int      read_errno;  /* the first failed pread(), 0 if none */
  gboolean in_open;     /* sndfile_lock is held around us */
} RcFileStream;

static gint64
fd_length (int fd)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return -1;
  if (S_ISBLK (st.st_mode))
    {
      guint64 size = 0;

      if (ioctl (fd, BLKGETSIZE64, &size) != 0)
        return -1;
      return (gint64) size;
    }
  return st.st_size;
}

static sf_count_t
file_vio_get_filelen (void *user_data)
{
  RcFileStream *stream = user_data;

  return fd_length (stream->fd);
}

static sf_count_t
file_vio_seek (sf_count_t offset, int whence, void *user_data)
{
  RcFileStream *stream = user_data;
  gint64 base;

  switch (whence)
    {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = stream->pos;
      break;
    case SEEK_END:
      base = fd_length (stream->fd);
      break;
    default:
      return -1;
    }
  if (base < 0 || (offset > 0 && base > G_MAXINT64 - offset) || base + offset < 0)
    return -1;
  stream->pos = base + offset;
  return stream->pos;
}

static sf_count_t
file_vio_read (void *ptr, sf_count_t count, void *user_data)
{
  RcFileStream *stream = user_data;
  sf_count_t total = 0;

  if (stream->in_open)
    g_mutex_unlock (&sndfile_lock);
  while (total < count && stream->read_errno == 0)
    {
      gsize want = (gsize) MIN (count - total, (sf_count_t) G_MAXSSIZE);
      gssize n = pread (stream->fd, (guint8 *) ptr + total, want, stream->pos);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          stream->read_errno = errno;
          break;
        }
      if (n == 0)
        break;
      total += n;
      stream->pos += n;
    }
  if (stream->in_open)
    g_mutex_lock (&sndfile_lock);
  return total;
}

static sf_count_t
vio_write (const void *ptr, sf_count_t count, void *user_data)
{
  return 0;  /* sources are read only */
}

static sf_count_t
file_vio_tell (void *user_data)
{
  RcFileStream *stream = user_data;

  return stream->pos;
}

static SF_VIRTUAL_IO file_vio = {
  .get_filelen = file_vio_get_filelen,
  .seek = file_vio_seek,
  .read = file_vio_read,
  .write = vio_write,
  .tell = file_vio_tell,
};

/* ------------------------------------------------------------------------ */
/* Other descriptors: forward-only reads that keep the head. */

typedef struct {
  int           fd;             /* borrowed from the source */
  GPollFD       polls[3];       /* the descriptor, then the cancellables' fds */
  guint         n_polls;
  GCancellable *cancellables[2]; /* the source's, the reader's */
  guint8       *head;           /* the first head_len bytes of the stream */
  gsize         head_len;
  gint64        consumed;       /* bytes read from the descriptor */
  gint64        pos;            /* libsndfile's idea of the position */
  gboolean      streaming;      /* FALSE while the header is probed */
  gboolean      eof;
  GError       *error;          /* cancellation or a failed read */
  gboolean      in_open;        /* sndfile_lock is held around us */
} RcPipeStream;

static void
pipe_stream_add_cancellable (RcPipeStream *stream, guint slot, GCancellable *cancellable)
{
  if (cancellable == NULL)
    return;
  stream->cancellables[slot] = g_object_ref (cancellable);
  if (g_cancellable_make_pollfd (cancellable, &stream->polls[stream->n_polls]))
    stream->n_polls++;
}

static RcPipeStream *
pipe_stream_new (int fd, GCancellable *cancellable)
{
  RcPipeStream *stream = g_new0 (RcPipeStream, 1);

  stream->fd = fd;
  stream->polls[0].fd = fd;
  stream->polls[0].events = G_IO_IN;
  stream->n_polls = 1;
  stream->head = g_malloc (HEAD_BYTES);
  pipe_stream_add_cancellable (stream, 0, cancellable);
  return stream;
}

static void
pipe_stream_free (RcPipeStream *stream)
{
  for (guint i = 0; i < G_N_ELEMENTS (stream->cancellables); i++)
    {
      if (stream->cancellables[i] == NULL)
        continue;
      g_cancellable_release_fd (stream->cancellables[i]);
      g_object_unref (stream->cancellables[i]);
    }
  g_clear_error (&stream->error);
  g_free (stream->head);
  g_free (stream);
}

static gboolean
pipe_stream_cancelled (RcPipeStream *stream)
{
  for (guint i = 0; i < G_N_ELEMENTS (stream->cancellables); i++)
    {
      if (g_cancellable_is_cancelled (stream->cancellables[i]))
        {
          g_set_error_literal (&stream->error, RC_ERROR, RC_ERROR_CANCELLED,
                               "reading the audio from a pipe was cancelled");
          return TRUE;
        }
    }
  return FALSE;
}

/* Waits in poll() for the descriptor, so that a cancellable can interrupt
 * a silent writer, then reads.  Returns what read() returned, or 0 after an
 * error (then stream->error is set). */
static gssize
pipe_stream_wait_read (RcPipeStream *stream, guint8 *dest, gsize count)
{
  gssize n;

  while (TRUE)
    {
      if (pipe_stream_cancelled (stream))
        return 0;
      if (g_poll (stream->polls, stream->n_polls, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          g_set_error (&stream->error, RC_ERROR, RC_ERROR_FAILED,
                       "waiting for the audio stream failed: %s", g_strerror (errno));
          return 0;
        }
      if (pipe_stream_cancelled (stream))
        return 0;
      if (stream->polls[0].revents & G_IO_NVAL)
        {
          g_set_error_literal (&stream->error, RC_ERROR, RC_ERROR_FAILED,
                               "reading the audio stream failed: the descriptor is not open");
          return 0;
        }
      if (stream->polls[0].revents == 0)
        continue;
      n = read (stream->fd, dest, count);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n < 0)
        {
          g_set_error (&stream->error, RC_ERROR, RC_ERROR_FAILED,
                       "reading the audio stream failed: %s", g_strerror (errno));
          return 0;
        }
      return n;
    }
}

/* Reads up to `count` bytes from the descriptor into dest, keeping what
 * falls in the head.  Returns the bytes read, 0 at the end of the stream
 * or after an error (then stream->error is set). */
static gsize
pipe_stream_pull (RcPipeStream *stream, guint8 *dest, gsize count)
{
  gssize n;

  if (stream->in_open)
    g_mutex_unlock (&sndfile_lock);
  n = pipe_stream_wait_read (stream, dest, count);
  if (stream->in_open)
    g_mutex_lock (&sndfile_lock);
  if (n <= 0 && stream->error != NULL)
    return 0;
  if (n == 0)
    {
      stream->eof = TRUE;
      return 0;
    }
  if (stream->consumed < HEAD_BYTES)
    {
      gsize keep = MIN ((gsize) n, (gsize) (HEAD_BYTES - stream->consumed));

      memcpy (stream->head + stream->consumed, dest, keep);
      stream->head_len += keep;
    }
  stream->consumed += n;
  return (gsize) n;
}

static sf_count_t
pipe_vio_get_filelen (void *user_data)
{
  /* Unknown: as libsndfile itself says of its own pipes, so that the length
   * a header declares is taken as it is. */
  return SF_COUNT_MAX;
}

static sf_count_t
pipe_vio_seek (sf_count_t offset, int whence, void *user_data)
{
  RcPipeStream *stream = user_data;
  gint64 base;

  /* Only the position moves here; read() finds out whether the stream can
   * follow, since libsndfile often seeks without reading. */
  switch (whence)
    {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = stream->pos;
      break;
    default:
      return -1;  /* the end of a pipe is not known */
    }
  if ((offset > 0 && base > G_MAXINT64 - offset) || base + offset < 0)
    return -1;
  stream->pos = base + offset;
  return stream->pos;
}

static sf_count_t
pipe_vio_read (void *ptr, sf_count_t count, void *user_data)
{
  RcPipeStream *stream = user_data;
  guint8 *out = ptr;
  sf_count_t total = 0;

  while (total < count && stream->error == NULL)
    {
      gsize want = (gsize) MIN (count - total, (sf_count_t) G_MAXSSIZE);
      gsize n;

      if (stream->pos < stream->consumed)
        {
          if (stream->pos >= (gint64) stream->head_len)
            {
              g_set_error (&stream->error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                           "the decoder needs to go back to byte %" G_GINT64_FORMAT
                           " of a pipe, which has passed",
                           stream->pos);
              break;
            }
          n = MIN (want, (gsize) ((gint64) stream->head_len - stream->pos));
          memcpy (out + total, stream->head + stream->pos, n);
          stream->pos += n;
          total += n;
          continue;
        }

      if (stream->eof)
        break;

      if (stream->pos > stream->consumed)
        {
          guint8 scratch[4096];
          gsize skip;

          /* While the header is probed, a parser that skips ahead (over a
           * WAV's data chunk, to look for chunks after it) finds nothing
           * there: skipping would consume the audio. */
          if (!stream->streaming)
            break;
          skip = (gsize) MIN ((gint64) sizeof scratch, stream->pos - stream->consumed);
          if (pipe_stream_pull (stream, scratch, skip) == 0)
            break;
          continue;
        }

      /* Reading straight on is allowed while probing (a FLAC's metadata
       * may hold a large picture), to a limit. */
      if (!stream->streaming)
        {
          if (stream->pos >= PROBE_BYTES)
            break;
          want = MIN (want, (gsize) (PROBE_BYTES - stream->pos));
        }
      n = pipe_stream_pull (stream, out + total, want);
      if (n == 0)
        break;
      stream->pos += n;
      total += n;
    }
  return total;
}

static sf_count_t
pipe_vio_tell (void *user_data)
{
  RcPipeStream *stream = user_data;

  return stream->pos;
}

static SF_VIRTUAL_IO pipe_vio = {
  .get_filelen = pipe_vio_get_filelen,
  .seek = pipe_vio_seek,
  .read = pipe_vio_read,
  .write = vio_write,
  .tell = pipe_vio_tell,
};

/* ------------------------------------------------------------------------ */
/* Names of formats. */

/* "WAV" from "WAV (Microsoft)", "MPEG" from "MPEG-1/2 Audio". */
static char *
tidy_major_name (const char *name)
{
  gsize len = strcspn (name, " (-");

  return g_strndup (name, len);
}

static char *
major_format_name (int format)
{
  SF_FORMAT_INFO info = { .format = format & SF_FORMAT_TYPEMASK };
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&sndfile_lock);

  if ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RAW)
    return g_strdup ("RAW");
  if (sf_command (NULL, SFC_GET_FORMAT_INFO, &info, sizeof info) != 0 || info.name == NULL)
    return g_strdup_printf ("format 0x%x", (guint) (format & SF_FORMAT_TYPEMASK));
  return tidy_major_name (info.name);
}

static char *
subtype_name (int format)
{
  SF_FORMAT_INFO info = { .format = format & SF_FORMAT_SUBMASK };
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&sndfile_lock);

  switch (format & SF_FORMAT_SUBMASK)
    {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
      return g_strdup ("8-bit PCM");
    case SF_FORMAT_PCM_16:
      return g_strdup ("16-bit PCM");
    case SF_FORMAT_PCM_24:
      return g_strdup ("24-bit PCM");
    case SF_FORMAT_PCM_32:
      return g_strdup ("32-bit PCM");
    case SF_FORMAT_FLOAT:
      return g_strdup ("32-bit float");
    case SF_FORMAT_DOUBLE:
      return g_strdup ("64-bit float");
    default:
      break;
    }
  if (sf_command (NULL, SFC_GET_FORMAT_INFO, &info, sizeof info) != 0 || info.name == NULL)
    return g_strdup_printf ("encoding 0x%x", (guint) (format & SF_FORMAT_SUBMASK));
  return g_strdup (info.name);
}

/* Bytes per sample of uncompressed encodings, 0 for the others. */
static guint
subtype_sample_bytes (int format)
{
  switch (format & SF_FORMAT_SUBMASK)
    {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
      return 1;
    case SF_FORMAT_PCM_16:
      return 2;
    case SF_FORMAT_PCM_24:
      return 3;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
      return 4;
    case SF_FORMAT_DOUBLE:
      return 8;
    default:
      return 0;
    }
}

/* Encodings decoded to floating point: read as float and converted here.
 * libsndfile's own float-to-short conversion either does not scale
 * (SFC_SET_SCALE_FLOAT_INT_READ off) or normalises to the peak of the whole
 * stream (on), which changes the level and reads all the audio first. */
static gboolean
subtype_is_float (int format)
{
  switch (format & SF_FORMAT_SUBMASK)
    {
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
    case SF_FORMAT_VORBIS:
    case SF_FORMAT_OPUS:
    case SF_FORMAT_MPEG_LAYER_I:
    case SF_FORMAT_MPEG_LAYER_II:
    case SF_FORMAT_MPEG_LAYER_III:
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
channels_word (int channels)
{
  return channels == 1 ? "channel" : "channels";
}

/* "FLAC, 44100 Hz, 2 channels, 16-bit PCM" */
static char *
describe (const SF_INFO *info)
{
  g_autofree char *major = major_format_name (info->format);
  g_autofree char *sub = subtype_name (info->format);

  return g_strdup_printf ("%s, %d Hz, %d %s, %s", major, info->samplerate,
                          info->channels, channels_word (info->channels), sub);
}

/* ------------------------------------------------------------------------ */
/* Reading libsndfile's account of a header. */

/* The bytes of audio a WAV, W64 or AIFF header declares, or -1 when the
 * header has no such field.  libsndfile logs the size field of the data
 * (WAV, W64) or SSND (AIFF) chunk, and then quietly uses a shorter length
 * when the file holds less: its log is the only place that tells. */
static gint64
find_declared_bytes (SNDFILE *sndfile, int format)
{
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;

  /* other containers log other fields, or other sizes, under these names */
  switch (format & SF_FORMAT_TYPEMASK)
    {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
    case SF_FORMAT_W64:
    case SF_FORMAT_AIFF:
      break;
    default:
      return -1;
    }

  log = g_malloc0 (16384);
  sf_command (sndfile, SFC_GET_LOG_INFO, log, 16384 - 1);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strchug (lines[i]);
      const char *rest = NULL;
      guint64 header = 0;
      guint64 declared;

      if (g_str_has_prefix (line, "data : "))
        {
          rest = line + strlen ("data : ");
          /* W64 chunk sizes count the chunk's own 24-byte GUID and size */
          if ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_W64)
            header = 24;
        }
      else if (g_str_has_prefix (line, "SSND : "))
        {
          rest = line + strlen ("SSND : ");
          header = 8;  /* the SSND size counts its offset and block size fields */
        }
      if (rest == NULL || !g_ascii_isdigit (*rest))
        continue;
      declared = g_ascii_strtoull (rest, NULL, 10);
      return (gint64) MIN (declared > header ? declared - header : 0, (guint64) G_MAXINT64);
    }
  return -1;
}

static gboolean
chunk_length_is_placeholder (gint64 declared)
{
  return declared == 0 || declared >= PLACEHOLDER_CHUNK_BYTES;
}

/* ------------------------------------------------------------------------ */
/* The source. */

struct _RcAudioSource {
  gint           ref_count;    /* atomic */
  int            fd;           /* owned */
  gboolean       is_pipe;
  RcAudioFormat  format;
  SF_INFO        info;         /* as found when the source was made */
  gint64         frames;
  char          *description;

  /* A pipe's stream and the SNDFILE reading it, until its one reader
   * takes them; `lock` guards the taking. */
  GMutex         lock;
  RcPipeStream  *pipe;
  SNDFILE       *pipe_sndfile;
};

RcAudioSource *
rc_audio_source_ref (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, NULL);
  g_atomic_int_inc (&source->ref_count);
  return source;
}

void
rc_audio_source_unref (RcAudioSource *source)
{
  g_return_if_fail (source != NULL);
  if (!g_atomic_int_dec_and_test (&source->ref_count))
    return;
  if (source->pipe_sndfile != NULL)
    sf_close (source->pipe_sndfile);
  if (source->pipe != NULL)
    pipe_stream_free (source->pipe);
  g_mutex_clear (&source->lock);
  if (source->fd >= 0)
    close (source->fd);
  g_free (source->description);
  g_free (source);
}

gint64
rc_audio_source_get_frames (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, 0);
  return source->frames;
}

gint
rc_audio_source_get_sectors (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, 0);
  return (gint) MIN ((source->frames + RC_FRAMES_PER_SECTOR - 1) / RC_FRAMES_PER_SECTOR,
                     (gint64) G_MAXINT);
}

const char *
rc_audio_source_get_description (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, NULL);
  return source->description;
}

gboolean
rc_audio_source_is_rereadable (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, FALSE);
  return !source->is_pipe;
}

/* Only regular files and block devices take pread() reliably at any offset
 * with a known length; everything else is read as a stream. */
static gboolean
fd_is_seekable (int fd, GError **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "cannot examine the audio descriptor: %s", g_strerror (errno));
      return FALSE;
    }
  return S_ISREG (st.st_mode) || S_ISBLK (st.st_mode);
}

static void
set_raw_info (SF_INFO *info)
{
  memset (info, 0, sizeof *info);
  info->samplerate = 44100;
  info->channels = 2;
  info->format = SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE;
}

/* Opens a SNDFILE over a stream; info is filled in (and for RAW, read).
 * in_open is the stream's flag that tells it to let go of sndfile_lock
 * while it waits. */
static SNDFILE *
open_sndfile (SF_VIRTUAL_IO *vio, void *stream, gboolean *in_open,
              RcAudioFormat format, SF_INFO *info, GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&sndfile_lock);
  SNDFILE *sndfile;

  if (format == RC_AUDIO_FORMAT_RAW)
    set_raw_info (info);
  else
    memset (info, 0, sizeof *info);
  *in_open = TRUE;
  sndfile = sf_open_virtual (vio, SFM_READ, info, stream);
  *in_open = FALSE;
  if (sndfile == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "not audio that can be read: %s", sf_strerror (NULL));
      return NULL;
    }
  return sndfile;
}

/* The checks of what a header says, once libsndfile has read it. */
static gboolean
check_header (RcAudioSource *source, SNDFILE *sndfile, GError **error)
{
  const SF_INFO *info = &source->info;
  gint64 frame_bytes = subtype_sample_bytes (info->format) * MAX (info->channels, 0);
  gint64 declared;

  if (info->samplerate <= 0 || info->channels <= 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: the header is damaged", source->description);
      return FALSE;
    }
  if (info->channels > 2)
    {
      g_autofree char *major = major_format_name (info->format);

      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%d channels of %d Hz %s: a CD holds mono or stereo audio only",
                   info->channels, info->samplerate, major);
      return FALSE;
    }
  if (info->samplerate != 44100)
    {
      g_autofree char *major = major_format_name (info->format);

      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%d Hz %s (%d %s): only 44100 Hz audio can go on a CD",
                   info->samplerate, major, info->channels, channels_word (info->channels));
      return FALSE;
    }

  declared = find_declared_bytes (sndfile, info->format);
  if (source->is_pipe)
    {
      /* Not knowing a pipe's end, libsndfile may count the audio to it (W64
       * does): the header's own count is the one to go by. */
      if (declared >= 0 && !chunk_length_is_placeholder (declared) && frame_bytes > 0)
        source->frames = MIN (source->frames, declared / frame_bytes);
      if ((declared >= 0 && chunk_length_is_placeholder (declared))
          || source->frames <= 0 || source->frames > PIPE_MAX_FRAMES)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                       "%s: the length of audio from a pipe must be declared in its header",
                       source->description);
          return FALSE;
        }
    }
  else if (declared >= 0 && !chunk_length_is_placeholder (declared) && frame_bytes > 0
           && declared / frame_bytes > source->frames)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: truncated: header declares %" G_GINT64_FORMAT
                   " frames, file holds %" G_GINT64_FORMAT,
                   source->description, declared / frame_bytes, source->frames);
      return FALSE;
    }

  if (source->frames == SF_COUNT_MAX)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: the length of the audio is not known", source->description);
      return FALSE;
    }
  if (source->frames <= 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: contains no audio", source->description);
      return FALSE;
    }
  return TRUE;
}

/* MPEG audio has no length in its header unless an encoder added a Xing or
 * LAME tag; without one the decoder guesses from the file's size and bit
 * rate, a few MPEG frames off.  The only true length is what decoding
 * delivers, so it is counted here (once, on a worker thread). */
static gboolean
length_is_estimate (int format)
{
  return (format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG;
}

static gboolean
count_frames (RcAudioSource *source, SNDFILE *sndfile, GError **error)
{
  g_autofree float *scratch = g_new (float, (gsize) CHUNK_FRAMES * source->info.channels);
  gint64 frames = 0;
  sf_count_t got;

  while ((got = sf_readf_float (sndfile, scratch, CHUNK_FRAMES)) > 0)
    frames += got;
  if (sf_error (sndfile) != SF_ERR_NO_ERROR)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: decoding failed after %" G_GINT64_FORMAT " frames: %s",
                   source->description, frames, sf_strerror (sndfile));
      return FALSE;
    }
  if (frames == 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "%s: contains no audio", source->description);
      return FALSE;
    }
  if (frames != source->info.frames)
    g_debug ("%s: %" G_GINT64_FORMAT " frames estimated, %" G_GINT64_FORMAT " decoded",
             source->description, (gint64) source->info.frames, frames);
  source->frames = frames;
  return TRUE;
}

static gboolean
open_seekable (RcAudioSource *source, GError **error)
{
  RcFileStream stream = { source->fd, 0, 0, FALSE };
  SNDFILE *sndfile;
  gboolean ok;

  if (source->format == RC_AUDIO_FORMAT_RAW)
    {
      gint64 length = fd_length (source->fd);

      if (length < 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "cannot find the length of the audio: %s", g_strerror (errno));
          return FALSE;
        }
      if (length == 0)
        {
          g_set_error_literal (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                               "headerless audio: contains no audio");
          return FALSE;
        }
      if (length % 4 != 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                       "headerless 16-bit stereo audio comes in 4-byte frames, "
                       "but it is %" G_GINT64_FORMAT " bytes long",
                       length);
          return FALSE;
        }
    }

  sndfile = open_sndfile (&file_vio, &stream, &stream.in_open, source->format,
                          &source->info, error);
  if (sndfile == NULL)
    {
      if (stream.read_errno != 0)
        {
          g_clear_error (error);
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "reading the audio failed: %s", g_strerror (stream.read_errno));
        }
      return FALSE;
    }
  source->description = describe (&source->info);
  source->frames = source->info.frames;
  ok = check_header (source, sndfile, error);
  if (ok && length_is_estimate (source->info.format))
    ok = count_frames (source, sndfile, error);
  sf_close (sndfile);
  if (ok && stream.read_errno != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "reading the audio failed: %s", g_strerror (stream.read_errno));
      return FALSE;
    }
  return ok;
}

static gboolean
open_pipe (RcAudioSource *source, GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) error_local = NULL;

  if (source->format == RC_AUDIO_FORMAT_RAW)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                           "headerless audio from a pipe: the length of audio from a pipe "
                           "must be declared in its header");
      return FALSE;
    }

  source->pipe = pipe_stream_new (source->fd, cancellable);
  source->pipe_sndfile = open_sndfile (&pipe_vio, source->pipe, &source->pipe->in_open,
                                       source->format, &source->info, &error_local);
  /* What went wrong with the pipe itself explains any failure best. */
  if (source->pipe->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&source->pipe->error));
      return FALSE;
    }
  if (source->pipe_sndfile == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&error_local));
      return FALSE;
    }
  source->description = describe (&source->info);
  source->frames = source->info.frames;
  return check_header (source, source->pipe_sndfile, error);
}

RcAudioSource *
rc_audio_source_new_from_fd (int            fd,
                             RcAudioFormat  format,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(RcAudioSource) source = g_new0 (RcAudioSource, 1);
  g_autoptr(GError) error_local = NULL;

  /* The source owns fd from here on, so every failure below closes it. */
  source->ref_count = 1;
  source->fd = fd;
  source->format = format;
  g_mutex_init (&source->lock);

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (format == RC_AUDIO_FORMAT_AUTO || format == RC_AUDIO_FORMAT_RAW, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, &error_local))
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_CANCELLED, error_local->message);
      return NULL;
    }

  source->is_pipe = !fd_is_seekable (fd, &error_local);
  if (error_local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&error_local));
      return NULL;
    }

  if (source->is_pipe ? !open_pipe (source, cancellable, error)
                      : !open_seekable (source, error))
    return NULL;

  g_debug ("audio source on fd %d: %s, %" G_GINT64_FORMAT " frames%s",
           fd, source->description, source->frames, source->is_pipe ? ", from a pipe" : "");
  return g_steal_pointer (&source);
}

/* ------------------------------------------------------------------------ */
/* Readers. */

struct _RcAudioReader {
  RcAudioSource *source;      /* a reference */
  SNDFILE       *sndfile;
  RcFileStream  *file;        /* one of these two is the stream */
  RcPipeStream  *pipe;
  gboolean       read_float;
  gint64         position;    /* frames delivered so far */
  float         *scratch;     /* CHUNK_FRAMES frames, for float decoding */
  GError        *error;       /* a failure is final */
};

static RcAudioReader *
reader_new (RcAudioSource *source)
{
  RcAudioReader *reader = g_new0 (RcAudioReader, 1);

  reader->source = rc_audio_source_ref (source);
  reader->read_float = subtype_is_float (source->info.format);
  if (reader->read_float)
    reader->scratch = g_new (float, (gsize) CHUNK_FRAMES * source->info.channels);
  return reader;
}

void
rc_audio_reader_free (RcAudioReader *reader)
{
  if (reader == NULL)
    return;
  if (reader->sndfile != NULL)
    sf_close (reader->sndfile);
  if (reader->pipe != NULL)
    pipe_stream_free (reader->pipe);
  g_free (reader->file);
  g_free (reader->scratch);
  g_clear_error (&reader->error);
  rc_audio_source_unref (reader->source);
  g_free (reader);
}

static gboolean
same_audio (const SF_INFO *a, const SF_INFO *b)
{
  return a->frames == b->frames && a->samplerate == b->samplerate
         && a->channels == b->channels && a->format == b->format;
}

RcAudioReader *
rc_audio_source_open_reader (RcAudioSource *source, GError **error)
{
  g_autoptr(RcAudioReader) reader = NULL;
  SF_INFO info;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader = reader_new (source);

  if (source->is_pipe)
    {
      g_mutex_lock (&source->lock);
      reader->pipe = g_steal_pointer (&source->pipe);
      reader->sndfile = g_steal_pointer (&source->pipe_sndfile);
      g_mutex_unlock (&source->lock);
      if (reader->sndfile == NULL)
        {
          g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED,
                               "the audio came from a pipe and was read already");
          return NULL;
        }
      /* From now on the audio is read through, past the head. */
      reader->pipe->streaming = TRUE;
      return g_steal_pointer (&reader);
    }

  reader->file = g_new0 (RcFileStream, 1);
  reader->file->fd = source->fd;
  reader->sndfile = open_sndfile (&file_vio, reader->file, &reader->file->in_open,
                                  source->format, &info, error);
  if (reader->sndfile == NULL)
    {
      g_prefix_error (error, "%s: opening it again: ", source->description);
      return NULL;
    }
  if (!same_audio (&info, &source->info))
    {
      g_autofree char *now = describe (&info);

      g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                   "the audio changed since it was added: it was %s, %" G_GINT64_FORMAT
                   " frames, and is now %s, %" G_GINT64_FORMAT " frames",
                   source->description, (gint64) source->info.frames,
                   now, (gint64) info.frames);
      return NULL;
    }
  return g_steal_pointer (&reader);
}

void
rc_audio_reader_set_cancellable (RcAudioReader *reader, GCancellable *cancellable)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (reader->pipe == NULL || cancellable == NULL)
    return;
  g_return_if_fail (reader->pipe->cancellables[1] == NULL);
  pipe_stream_add_cancellable (reader->pipe, 1, cancellable);
}

static gint16
float_to_s16 (float x)
{
  float v = x * 32768.0f;

  if (v != v)
    return 0;  /* NaN */
  if (v >= 32767.0f)
    return G_MAXINT16;
  if (v <= -32768.0f)
    return G_MININT16;
  return (gint16) (v >= 0.0f ? v + 0.5f : v - 0.5f);
}

/* Mono samples sit in buf[0..n); spread them over both channels, from the
 * end so that nothing is overwritten before it is read. */
static void
mono_to_stereo (gint16 *buf, gsize n)
{
  for (gsize i = n; i > 0; i--)
    {
      buf[2 * (i - 1)] = buf[i - 1];
      buf[2 * (i - 1) + 1] = buf[i - 1];
    }
}

/* Decodes up to n frames into buf as 16-bit stereo; returns the count. */
static gsize
reader_decode (RcAudioReader *reader, gint16 *buf, gsize n)
{
  int channels = reader->source->info.channels;
  gsize done = 0;

  if (!reader->read_float)
    {
      sf_count_t got = sf_readf_short (reader->sndfile, buf, (sf_count_t) n);

      if (got <= 0)
        return 0;
      if (channels == 1)
        mono_to_stereo (buf, (gsize) got);
      return (gsize) got;
    }

  while (done < n)
    {
      gsize want = MIN (n - done, (gsize) CHUNK_FRAMES);
      sf_count_t got = sf_readf_float (reader->sndfile, reader->scratch, (sf_count_t) want);

      if (got <= 0)
        break;
      for (gsize i = 0; i < (gsize) got; i++)
        {
          gint16 left = float_to_s16 (reader->scratch[i * channels]);

          buf[2 * (done + i)] = left;
          buf[2 * (done + i) + 1] = channels == 2 ? float_to_s16 (reader->scratch[i * 2 + 1]) : left;
        }
      done += (gsize) got;
      if ((gsize) got < want)
        break;
    }
  return done;
}

gboolean
rc_audio_reader_read (RcAudioReader  *reader,
                      gint16         *buf,
                      gsize           n_frames,
                      GError        **error)
{
  RcAudioSource *source;
  gsize got;
  int sf_err;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (buf != NULL || n_frames == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = reader->source;
  if (reader->error != NULL)
    {
      g_propagate_error (error, g_error_copy (reader->error));
      return FALSE;
    }
  if (n_frames > (guint64) (source->frames - reader->position))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s: %" G_GSIZE_FORMAT " frames asked for at frame %" G_GINT64_FORMAT
                   ", past the end of its %" G_GINT64_FORMAT " frames",
                   source->description, n_frames, reader->position, source->frames);
      return FALSE;
    }
  if (n_frames == 0)
    return TRUE;
  if (reader->pipe != NULL && pipe_stream_cancelled (reader->pipe))
    {
      g_propagate_error (&reader->error, g_steal_pointer (&reader->pipe->error));
      g_propagate_error (error, g_error_copy (reader->error));
      return FALSE;
    }

  got = reader_decode (reader, buf, n_frames);
  reader->position += got;
  sf_err = sf_error (reader->sndfile);

  /* The stream's own failure (cancelled, an I/O error) explains best. */
  if (reader->pipe != NULL && reader->pipe->error != NULL)
    reader->error = g_steal_pointer (&reader->pipe->error);
  else if (reader->file != NULL && reader->file->read_errno != 0)
    reader->error = g_error_new (RC_ERROR, RC_ERROR_FAILED,
                                 "%s: reading frame %" G_GINT64_FORMAT " failed: %s",
                                 source->description, reader->position,
                                 g_strerror (reader->file->read_errno));
  /* A decoder may report damage and still deliver every frame (libFLAC
   * skips a frame it cannot decode): that is not the audio either. */
  else if (sf_err != SF_ERR_NO_ERROR)
    reader->error = g_error_new (RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                                 "%s: decoding failed after %" G_GINT64_FORMAT
                                 " of the %" G_GINT64_FORMAT " frames declared: %s",
                                 source->description, reader->position, source->frames,
                                 sf_strerror (reader->sndfile));
  else if (got < n_frames)
    reader->error = g_error_new (RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO,
                                 "%s: the audio ended early: %" G_GINT64_FORMAT
                                 " frames arrived of the %" G_GINT64_FORMAT " declared",
                                 source->description, reader->position, source->frames);
  if (reader->error != NULL)
    {
      g_propagate_error (error, g_error_copy (reader->error));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */

GStrv
rc_audio_supported_formats (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&sndfile_lock);
  int count = 0;

  sf_command (NULL, SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof count);
  for (int i = 0; i < count; i++)
    {
      SF_FORMAT_INFO info = { .format = i };
      g_autofree char *name = NULL;

      if (sf_command (NULL, SFC_GET_FORMAT_MAJOR, &info, sizeof info) != 0 || info.name == NULL)
        continue;
      name = tidy_major_name (info.name);
      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
