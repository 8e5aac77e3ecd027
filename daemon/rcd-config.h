/* rcd-config.h: the service's limits and timeouts (command line options). */
#pragma once

#include <glib.h>

#include "rawcd-names.h"

G_BEGIN_DECLS

#define RCD_TRACK_PATH_FMT    "%s/Track/%u"

#define RCD_DEFAULT_IDLE_TIMEOUT          60    /* s without sessions: exit */
#define RCD_DEFAULT_PERSIST_TIMEOUT       600   /* s a persistent session waits for its owner */
#define RCD_DEFAULT_HEADER_TIMEOUT        30    /* s a descriptor may take to deliver its header */
#define RCD_DEFAULT_MAX_SESSIONS_PER_USER 16
#define RCD_DEFAULT_MAX_SESSIONS          256
#define RCD_DEFAULT_MAX_TRACKS            99    /* IMAPI's own limit */
#define RCD_DEFAULT_MAX_JOBS              4     /* images written at once; more wait */
#define RCD_DEFAULT_OUTPUT_TIMEOUT        60    /* s a job's output may accept nothing */

/* Unfinished calls one session may have waiting for their turn, and
 * unfinished jobs (queued or running) one session may have. */
#define RCD_MAX_PENDING_CALLS             64
/* What the calls waiting in one session may hold in all (their arguments'
 * bytes, their descriptors), and in all the sessions of one uid: a call
 * beyond is refused at once, so that its message is freed at once. */
#define RCD_MAX_PENDING_BYTES             (8 * 1024 * 1024)
#define RCD_MAX_PENDING_FDS               32
#define RCD_MAX_PENDING_BYTES_PER_USER    (32 * 1024 * 1024)
#define RCD_MAX_PENDING_FDS_PER_USER      128
#define RCD_MAX_JOBS_PER_SESSION          16
/* Manager.InspectImage calls under way in all (waiting for the caller's
 * uid or a worker, or running); each uid may have --max-jobs of them. */
#define RCD_MAX_INSPECTIONS               64
/* A finished job object stays this long for late readers. */
#define RCD_JOB_LINGER_SECONDS            60
/* At exit, workers get this long to see their cancellables; a safety net
 * for I/O that cannot be cancelled (files on a hung mount). */
#define RCD_SHUTDOWN_WAIT_SECONDS         5
/* Job properties are refreshed this often while it runs. */
#define RCD_JOB_UPDATE_MS                 100

typedef struct {
  guint idle_timeout;          /* 0 = never exit */
  guint persist_timeout;
  guint header_timeout;
  guint max_sessions_per_user;
  guint max_sessions;
  guint max_tracks;
  guint max_jobs;
  guint max_jobs_per_user;     /* 0: half of max_jobs, at least 1 */
  guint output_timeout;        /* 0 = no limit */
} RcdConfig;

/* Images one uid may write at once: below max_jobs, so that a uid whose
 * outputs stall cannot hold every writer. */
static inline guint
rcd_config_jobs_per_user (const RcdConfig *config)
{
  guint n = config->max_jobs_per_user > 0 ? config->max_jobs_per_user
                                          : config->max_jobs / 2;

  return CLAMP (n, 1, config->max_jobs);
}

static inline void
rcd_config_init (RcdConfig *config)
{
  config->idle_timeout = RCD_DEFAULT_IDLE_TIMEOUT;
  config->persist_timeout = RCD_DEFAULT_PERSIST_TIMEOUT;
  config->header_timeout = RCD_DEFAULT_HEADER_TIMEOUT;
  config->max_sessions_per_user = RCD_DEFAULT_MAX_SESSIONS_PER_USER;
  config->max_sessions = RCD_DEFAULT_MAX_SESSIONS;
  config->max_tracks = RCD_DEFAULT_MAX_TRACKS;
  config->max_jobs = RCD_DEFAULT_MAX_JOBS;
  config->max_jobs_per_user = 0;
  config->output_timeout = RCD_DEFAULT_OUTPUT_TIMEOUT;
}

G_END_DECLS
