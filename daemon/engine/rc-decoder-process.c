/* rc-decoder-process.c: starting, talking to, and burying a decoder
 * helper. */
#define _GNU_SOURCE
#include "rc-decoder-process.h"

#include "rc-error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct _RcDecoderProcess {
  GPid          pid;            /* 0 once reaped */
  int           channel;        /* our end of the socket pair */
  int           wait_status;
  gboolean      reaped;
  GCancellable *cancellables[2];
  gulong        handlers[2];
  guint8       *buf;            /* one whole message */
};

/* ------------------------------------------------------------------------ */
/* The thread that starts every helper. */

typedef struct {
  char       **argv;
  int          audio_fd;
  int          channel_fd;
  gboolean     background;
  GPid         pid;
  GError      *error;
  gboolean     done;
} SpawnRequest;

static GMutex spawn_lock;
static GCond spawn_cond;
static GAsyncQueue *spawn_queue;
static char **helper_env;

/* What the helper may see of our environment: the test hook and GLib's
 * debugging switches, nothing else. */
static char **
make_helper_env (void)
{
  static const char *const keep[] = { "RAWCD_DECODER_TEST", "G_MESSAGES_DEBUG", "G_DEBUG", NULL };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; keep[i] != NULL; i++)
    {
      const char *value = g_getenv (keep[i]);

      if (value != NULL)
        {
          g_autofree char *pair = g_strdup_printf ("%s=%s", keep[i], value);

          g_strv_builder_add (builder, pair);
        }
    }
  return g_strv_builder_end (builder);
}

/* posix_spawn() with the copies of the descriptors made (see below). */
static gboolean
spawn_with_copies (SpawnRequest *req, int channel, int audio, GError **error)
{
  posix_spawn_file_actions_t actions;
  pid_t pid = 0;
  int err;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  if (audio >= 0)
    posix_spawn_file_actions_adddup2 (&actions, audio, 3);
  posix_spawn_file_actions_adddup2 (&actions, channel, 4);
  posix_spawn_file_actions_addclosefrom_np (&actions, 5);
  err = posix_spawn (&pid, req->argv[0], &actions, NULL, req->argv, helper_env);
  posix_spawn_file_actions_destroy (&actions);
  if (err != 0)
    {
      g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, g_strerror (err));
      return FALSE;
    }
  /* A helper that decodes for an image is background work, so that the
   * service's main loop wins the processor over it.  Set from here, as
   * nothing of ours runs in the child: it has barely begun to load its
   * libraries.  Probes stay at the service's own priority: a client waits
   * for AddTrack. */
  if (req->background)
    setpriority (PRIO_PROCESS, (id_t) pid, RC_DECODER_NICE);
  req->pid = pid;
  return TRUE;
}

/* Starts the helper with posix_spawn(), which glibc implements with vfork
 * semantics: the child borrows our memory until it execs.  fork() (what
 * g_spawn does when it must move descriptors) copies the page tables of
 * every mapping of the service first: ~2 ms per helper for a rawcdd of
 * 12 MiB, ~7 ms at 64 MiB (jobs' batch buffers), and each helper waits
 * for the one before it on this thread.  posix_spawn() takes ~0.3 ms
 * whatever our size.  The child gets what g_spawn gave it: the audio as
 * 3, the channel as 4, /dev/null as 0 and 1, our 2, nothing else. */
static gboolean
spawn_helper (SpawnRequest *req, GError **error)
{
  int channel, audio = -1;
  gboolean ok;

  /* Copies above 4, so that neither dup2() overwrites the other's source
   * nor finds its source already in place (it would keep close-on-exec). */
  channel = fcntl (req->channel_fd, F_DUPFD_CLOEXEC, 5);
  if (channel >= 0 && req->audio_fd >= 0)
    audio = fcntl (req->audio_fd, F_DUPFD_CLOEXEC, 5);
  if (channel < 0 || (req->audio_fd >= 0 && audio < 0))
    {
      int saved = errno;

      if (channel >= 0)
        close (channel);
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   "cannot pass descriptors to it: %s", g_strerror (saved));
      return FALSE;
    }
  ok = spawn_with_copies (req, channel, audio, error);
  close (channel);
  if (audio >= 0)
    close (audio);
  return ok;
}

static gpointer
spawner_thread (gpointer data)
{
  while (TRUE)
    {
      SpawnRequest *req = g_async_queue_pop (spawn_queue);

      spawn_helper (req, &req->error);
      g_mutex_lock (&spawn_lock);
      req->done = TRUE;
      g_cond_broadcast (&spawn_cond);
      g_mutex_unlock (&spawn_lock);
    }
  return NULL;
}

static gpointer
start_spawner (gpointer data)
{
  helper_env = make_helper_env ();
  spawn_queue = g_async_queue_new ();
  /* never joined: it lives as long as the process */
  g_thread_unref (g_thread_new ("rawcd-spawner", spawner_thread, NULL));
  return NULL;
}

static gboolean
spawn (char **argv, int audio_fd, int channel_fd, gboolean background, GPid *pid,
       GError **error)
{
  static GOnce once = G_ONCE_INIT;
  SpawnRequest req = { argv, audio_fd, channel_fd, background, 0, NULL, FALSE };

  g_once (&once, start_spawner, NULL);
  g_async_queue_push (spawn_queue, &req);
  g_mutex_lock (&spawn_lock);
  while (!req.done)
    g_cond_wait (&spawn_cond, &spawn_lock);
  g_mutex_unlock (&spawn_lock);
  if (req.error != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "cannot start the decoder %s: %s",
                   argv[0], req.error->message);
      g_error_free (req.error);
      return FALSE;
    }
  *pid = req.pid;
  return TRUE;
}

/* ------------------------------------------------------------------------ */

static const char *
mode_name (RcDecoderMode mode)
{
  switch (mode)
    {
    case RC_DECODER_MODE_PROBE:
      return "probe";
    case RC_DECODER_MODE_READ:
      return "read";
    case RC_DECODER_MODE_FORMATS:
    default:
      return "formats";
    }
}

RcDecoderProcess *
rc_decoder_process_start (const char     *helper_path,
                          RcDecoderMode   mode,
                          int             audio_fd,
                          gint64          expected_frames,
                          gboolean        dither,
                          GError        **error)
{
  g_autoptr(RcDecoderProcess) process = g_new0 (RcDecoderProcess, 1);
  g_autofree char *parent = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *frames = g_strdup_printf ("%" G_GINT64_FORMAT, expected_frames);
  char *argv[] = { (char *) helper_path, (char *) mode_name (mode), parent, frames,
                   (char *) (dither ? "dither" : "round"), NULL };
  int pair[2];

  process->channel = -1;
  process->reaped = TRUE;  /* nothing to reap yet */
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    {
      int saved = errno;

      /* Out of descriptors is the service's condition, not the client's:
       * a G_IO_ERROR the daemon reports as LimitExceeded. */
      if (saved == EMFILE || saved == ENFILE)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES,
                     "cannot make a channel to a decoder: %s", g_strerror (saved));
      else
        g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                     "cannot make a channel to a decoder: %s", g_strerror (saved));
      return NULL;
    }
  process->channel = pair[0];
  if (!spawn (argv, audio_fd, pair[1], mode == RC_DECODER_MODE_READ, &process->pid, error))
    {
      close (pair[1]);
      return NULL;
    }
  close (pair[1]);
  process->reaped = FALSE;
  process->buf = g_malloc (RC_DECODER_MSG_HEADER_BYTES + RC_DECODER_MSG_MAX_PAYLOAD);
  return g_steal_pointer (&process);
}

char *
rc_decoder_process_second_helper (const char *helper_path)
{
  g_autofree char *path = g_strconcat (helper_path, "-ffmpeg", NULL);

  /* an installation without it reads what the first helper reads */
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  return g_steal_pointer (&path);
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  RcDecoderProcess *process = user_data;

  /* the pid cannot have been reaped: every watch is disconnected first */
  kill (process->pid, SIGKILL);
}

void
rc_decoder_process_watch (RcDecoderProcess *process, guint slot, GCancellable *cancellable)
{
  g_return_if_fail (slot < G_N_ELEMENTS (process->cancellables));
  g_return_if_fail (process->cancellables[slot] == NULL);

  if (cancellable == NULL || process->reaped)
    return;
  process->cancellables[slot] = g_object_ref (cancellable);
  process->handlers[slot] = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                   process, NULL);
}

gboolean
rc_decoder_process_cancelled (RcDecoderProcess *process)
{
  for (guint i = 0; i < G_N_ELEMENTS (process->cancellables); i++)
    if (process->cancellables[i] != NULL && g_cancellable_is_cancelled (process->cancellables[i]))
      return TRUE;
  return FALSE;
}

static void
unwatch (RcDecoderProcess *process)
{
  for (guint i = 0; i < G_N_ELEMENTS (process->cancellables); i++)
    {
      if (process->cancellables[i] == NULL)
        continue;
      g_cancellable_disconnect (process->cancellables[i], process->handlers[i]);
      process->handlers[i] = 0;
    }
}

/* Reaps the helper: waits a moment for one that is exiting by itself
 * (it closed the channel), then kills it. */
static void
reap (RcDecoderProcess *process, gboolean let_exit)
{
  if (process->reaped)
    return;
  unwatch (process);
  for (guint tries = 0; let_exit && tries < 200; tries++)
    {
      pid_t got = waitpid (process->pid, &process->wait_status, WNOHANG);

      if (got == process->pid)
        {
          process->reaped = TRUE;
          return;
        }
      if (got < 0 && errno != EINTR)
        break;
      g_usleep (1000);
    }
  kill (process->pid, SIGKILL);
  while (waitpid (process->pid, &process->wait_status, 0) < 0 && errno == EINTR)
    ;
  process->reaped = TRUE;
}

/* What became of a helper that ended its channel, in words. */
static char *
describe_end (RcDecoderProcess *process)
{
  int status = process->wait_status;

  if (WIFSIGNALED (status))
    {
      int sig = WTERMSIG (status);
      const char *abbrev = sigabbrev_np (sig);
      const char *why = "";

      if (sig == SIGSYS)
        why = " (it made a system call its sandbox forbids)";
      else if (sig == SIGXCPU)
        why = " (it used up its " G_STRINGIFY (RC_DECODER_CPU_SECONDS) " s of processor time)";
      else if (sig == SIGABRT || sig == SIGKILL)
        why = " (perhaps it ran out of memory)";
      return g_strdup_printf ("the decoder was killed by SIG%s%s",
                              abbrev != NULL ? abbrev : "?", why);
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) != 0)
    return g_strdup_printf ("the decoder exited with status %d", WEXITSTATUS (status));
  return g_strdup ("the decoder stopped without an answer");
}

static gboolean
fail (RcDecoderProcess *process, const char *what, const char *detail, GError **error)
{
  g_autofree char *end = NULL;

  reap (process, detail == NULL);
  end = detail != NULL ? g_strdup (detail) : describe_end (process);
  if (what != NULL)
    g_set_error (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, "%s: %s", what, end);
  else
    g_set_error_literal (error, RC_ERROR, RC_ERROR_UNSUPPORTED_AUDIO, end);
  return FALSE;
}

gboolean
rc_decoder_process_send (RcDecoderProcess *process, GByteArray *message, GError **error)
{
  gsize done = 0;

  while (done < message->len)
    {
      gssize n = send (process->channel, message->data + done, message->len - done,
                       MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return fail (process, NULL, NULL, error);
      done += (gsize) n;
    }
  return TRUE;
}

/* Reads exactly len bytes; FALSE at the end of the channel or on an error. */
static gboolean
read_exactly (int fd, guint8 *dest, gsize len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = read (fd, dest + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}

gboolean
rc_decoder_process_receive (RcDecoderProcess  *process,
                            const char        *what,
                            RcDecoderMsg      *msg,
                            GError           **error)
{
  g_autoptr(GError) parse_error = NULL;
  guint32 payload_len = 0;
  gsize consumed = 0;

  if (process->reaped)
    return fail (process, what, NULL, error);
  if (!read_exactly (process->channel, process->buf, RC_DECODER_MSG_HEADER_BYTES))
    return fail (process, what, NULL, error);
  if (!rc_decoder_msg_parse_header (process->buf, &payload_len, &parse_error)
      || !read_exactly (process->channel, process->buf + RC_DECODER_MSG_HEADER_BYTES, payload_len)
      || !rc_decoder_msg_parse (process->buf, RC_DECODER_MSG_HEADER_BYTES + payload_len,
                                &consumed, msg, &parse_error))
    {
      if (parse_error == NULL)
        return fail (process, what, NULL, error);
      g_autofree char *detail = g_strdup_printf ("the decoder broke the protocol: %s",
                                                 parse_error->message);
      return fail (process, what, detail, error);
    }
  g_assert (consumed == RC_DECODER_MSG_HEADER_BYTES + payload_len);
  return TRUE;
}

int
rc_decoder_process_get_channel (RcDecoderProcess *process)
{
  return process->channel;
}

void
rc_decoder_process_free (RcDecoderProcess *process)
{
  if (process == NULL)
    return;
  reap (process, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (process->cancellables); i++)
    g_clear_object (&process->cancellables[i]);
  if (process->channel >= 0)
    close (process->channel);
  g_free (process->buf);
  g_free (process);
}
