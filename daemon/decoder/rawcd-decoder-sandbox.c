/* rawcd-decoder-sandbox.c: the decoder helper's confinement.
 *
 * The helper reads a hostile client's bytes with large decoder libraries
 * (libsndfile, libFLAC, libvorbis, libopus, libmpg123).  Whatever a bug in
 * them lets an attacker do, it should be no more than this process may:
 * read and write the two descriptors it was given (the audio, and the
 * channel to rawcdd), manage its memory, and exit.
 *
 * System calls that would reach anything new (open a file, make or
 * connect a socket, start a program, fork) fail with EPERM: a library that
 * merely tries (glibc looking for a character set module, GLib looking for
 * the journal's socket) then carries on as it would without the file,
 * instead of dying for a harmless attempt.  Every call not named here at
 * all kills the process (SIGSYS), which rawcdd reports as a decoder killed
 * for a forbidden system call: nothing outside this list should ever be
 * needed, so one that is means the process does something it must not.
 */
#define _GNU_SOURCE
#include "rawcd-decoder-sandbox.h"

#include "rc-decoder-process.h"
#include "rc-error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

static gboolean
set_limit (int resource, const char *name, rlim_t soft, rlim_t hard, GError **error)
{
  struct rlimit limit = { soft, hard };

  /* prlimit (not setrlimit): the service's unit filters @resources, which
   * holds setrlimit, but lets prlimit64 through */
  if (prlimit (0, resource, &limit, NULL) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "cannot set the decoder's %s limit: %s", name, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_limits (GError **error)
{
  /* The soft CPU limit sends SIGXCPU, which kills; the hard one, a second
   * later, SIGKILL for a process that caught SIGXCPU. */
  return set_limit (RLIMIT_CPU, "processor time", RC_DECODER_CPU_SECONDS,
                    RC_DECODER_CPU_SECONDS + 1, error)
         && set_limit (RLIMIT_AS, "address space", RC_DECODER_ADDRESS_SPACE,
                       RC_DECODER_ADDRESS_SPACE, error)
         /* descriptors 0-4 are all it has and all it may have */
         && set_limit (RLIMIT_NOFILE, "descriptor", 5, 5, error)
         && set_limit (RLIMIT_FSIZE, "file size", 0, 0, error)
         && set_limit (RLIMIT_CORE, "core size", 0, 0, error)
         && set_limit (RLIMIT_MEMLOCK, "locked memory", 0, 0, error);
}

/* Allowed outright. */
static const int allowed[] = {
  /* the two descriptors */
  SCMP_SYS (read), SCMP_SYS (readv), SCMP_SYS (pread64), SCMP_SYS (preadv),
  SCMP_SYS (write), SCMP_SYS (writev), SCMP_SYS (lseek), SCMP_SYS (close),
  SCMP_SYS (poll), SCMP_SYS (ppoll), SCMP_SYS (fstat), SCMP_SYS (fcntl),
  /* glibc's fstat() is newfstatat (fd, "", AT_EMPTY_PATH): at worst it
   * tells a file's metadata, never its contents */
  SCMP_SYS (newfstatat),
  /* GLib's logging asks whether stderr is the journal's socket */
  SCMP_SYS (getsockname),
  /* memory (mmap and mprotect below, without PROT_EXEC) */
  SCMP_SYS (brk), SCMP_SYS (munmap), SCMP_SYS (mremap), SCMP_SYS (madvise),
  /* the rest of a plain single-threaded life */
  SCMP_SYS (futex), SCMP_SYS (rt_sigreturn), SCMP_SYS (rt_sigprocmask),
  SCMP_SYS (rt_sigaction), SCMP_SYS (clock_gettime), SCMP_SYS (clock_nanosleep),
  SCMP_SYS (nanosleep), SCMP_SYS (getpid), SCMP_SYS (gettid), SCMP_SYS (getrandom),
  SCMP_SYS (sched_yield), SCMP_SYS (sysinfo), SCMP_SYS (uname),
  SCMP_SYS (exit), SCMP_SYS (exit_group),
};

/* Refused with EPERM: everything that reaches something new. */
static const int refused[] = {
  SCMP_SYS (open), SCMP_SYS (openat), SCMP_SYS (openat2), SCMP_SYS (creat),
  SCMP_SYS (open_by_handle_at), SCMP_SYS (socket), SCMP_SYS (socketpair),
  SCMP_SYS (connect), SCMP_SYS (bind), SCMP_SYS (listen), SCMP_SYS (accept),
  SCMP_SYS (accept4), SCMP_SYS (sendto), SCMP_SYS (sendmsg), SCMP_SYS (recvmsg),
  SCMP_SYS (execve), SCMP_SYS (execveat), SCMP_SYS (fork), SCMP_SYS (vfork),
  SCMP_SYS (clone), SCMP_SYS (clone3), SCMP_SYS (ptrace), SCMP_SYS (access),
  SCMP_SYS (faccessat), SCMP_SYS (faccessat2), SCMP_SYS (readlink), SCMP_SYS (readlinkat),
  SCMP_SYS (stat), SCMP_SYS (lstat), SCMP_SYS (statx), SCMP_SYS (prctl),
};

static gboolean
add_rule (scmp_filter_ctx ctx, guint32 action, int call, GError **error)
{
  int rc = seccomp_rule_add (ctx, action, call, 0);

  if (rc < 0 && rc != -EDOM)  /* -EDOM: not on this architecture */
    {
      g_autofree char *name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, call);

      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "cannot add the seccomp rule for %s: %s",
                   name != NULL ? name : "?", g_strerror (-rc));
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_filter (GError **error)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_KILL_PROCESS);
  gboolean ok;
  int rc = 0;

  /* libseccomp offers "kill the process" only when it can ask the kernel
   * through the seccomp() call, which rawcd.service's own filter refuses
   * (it is not in @system-service).  Killing the thread is the same here:
   * the helper has one. */
  if (ctx == NULL)
    ctx = seccomp_init (SCMP_ACT_KILL);
  ok = ctx != NULL;

  if (ctx == NULL)
    {
      g_set_error_literal (error, RC_ERROR, RC_ERROR_FAILED, "cannot make a seccomp filter");
      return FALSE;
    }
  for (guint i = 0; ok && i < G_N_ELEMENTS (allowed); i++)
    ok = add_rule (ctx, SCMP_ACT_ALLOW, allowed[i], error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (refused); i++)
    ok = add_rule (ctx, SCMP_ACT_ERRNO (EPERM), refused[i], error);
  /* memory may be made readable and writable, never executable */
  if (ok)
    rc = seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (mmap), 1,
                           SCMP_A2 (SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
  if (ok && rc == 0)
    rc = seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (mprotect), 1,
                           SCMP_A2 (SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
  /* the size of a block device (rc_audio_fd_length), and isatty() */
  if (ok && rc == 0)
    rc = seccomp_rule_add (ctx, SCMP_ACT_ALLOW, SCMP_SYS (ioctl), 1,
                           SCMP_A1 (SCMP_CMP_EQ, BLKGETSIZE64));
  if (ok && rc == 0)
    rc = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOTTY), SCMP_SYS (ioctl), 1,
                           SCMP_A1 (SCMP_CMP_EQ, TCGETS));
  if (ok && rc == 0)
    rc = seccomp_load (ctx);
  if (ok && rc != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "cannot load the seccomp filter: %s",
                   g_strerror (-rc));
      ok = FALSE;
    }
  seccomp_release (ctx);
  return ok;
}

/* The first process the kernel's OOM killer takes: a helper decoding a
 * hostile stream may grow to its address-space limit, several may run at
 * once, and when memory runs out it must be one of them that dies (its
 * stream fails by name), never rawcdd with every user's sessions.  Raising
 * one's own score needs no privilege; the file is opened before the
 * filter forbids opening anything. */
static gboolean
raise_oom_score (GError **error)
{
  static const char value[] = "1000";
  int fd = open ("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                   "cannot make the decoder the OOM killer's first choice: "
                   "/proc/self/oom_score_adj: %s", g_strerror (errno));
      return FALSE;
    }
  ok = write (fd, value, sizeof value - 1) == (gssize) (sizeof value - 1);
  if (!ok)
    g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                 "cannot make the decoder the OOM killer's first choice: "
                 "writing /proc/self/oom_score_adj: %s", g_strerror (errno));
  close (fd);
  return ok;
}

gboolean
rd_sandbox_enter (GError **error)
{
  /* before PR_SET_DUMPABLE 0, which hands /proc/self over to root */
  if (!raise_oom_score (error))
    return FALSE;
  /* no core dump of a client's audio, no ptrace by another process of our uid */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0
      || prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "cannot confine the decoder: %s",
                   g_strerror (errno));
      return FALSE;
    }
  return set_limits (error) && load_filter (error);
}
