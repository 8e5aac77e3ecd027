/* td.h: the harness of the daemon's integration tests.
 *
 * Every test talks to the REAL rawcdd binary on a private bus (GTestDBus),
 * with plain GDBus calls and the names of docs/api.md §1, never through
 * generated proxies: the tests check the wire contract.
 *
 * - td_init()/td_run(): GTestDBus up once per test program, down at the end.
 * - TdFixture: one daemon per test case (started with --session
 *   --idle-timeout 0 and the case's extra arguments), one client
 *   connection; teardown stops the daemon with SIGTERM and fails the case
 *   unless it exits 0 (99 is valgrind's verdict under the valgrind setup).
 * - RAWCD_DAEMON_WRAPPER (set by `meson test --setup valgrind`) is a command
 *   line put in front of the daemon's, e.g. valgrind.
 * - Audio fixtures are made with sox and flac in a temporary directory.
 * - The reference images come from the engine itself (daemon/engine),
 *   linked into the test, from the same files.
 */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "rawcd-names.h"


/* Full-image geometry (docs/cd-format.md §2) */
#define TD_LEADIN_SECTORS  22650   /* LBA -22650 .. -1 (lead-in and track 1's pregap) */
#define TD_LEADOUT_SECTORS 6750

/* ---- program ---------------------------------------------------------- */

void        td_init (int *argc, char ***argv);
int         td_run  (void);

/* 1 normally; larger when the daemon runs under a wrapper (valgrind), to
 * scale timeouts and the latency bound of the responsiveness test. */
guint       td_slowdown (void);
gboolean    td_wrapped  (void);
const char *td_tmpdir   (void);
/* Milliseconds for a D-Bus call */
int         td_call_timeout_ms (void);

/* ---- the daemon ------------------------------------------------------- */

typedef struct _TdDaemon TdDaemon;

/* extra_args: NULL-terminated, or NULL */
TdDaemon   *td_daemon_start (const char *const *extra_args);
/* Waits for the daemon to exit by itself; FALSE on timeout (scaled) */
gboolean    td_daemon_wait_exit (TdDaemon *daemon, guint timeout_ms);
/* SIGTERM (unless it exited already); asserts a clean exit with status 0 */
void        td_daemon_stop  (TdDaemon *daemon);
GPid        td_daemon_pid   (TdDaemon *daemon);
/* The process still runs and answers org.freedesktop.DBus.Peer.Ping */
void        td_daemon_assert_alive (TdDaemon *daemon);
/* Open descriptors of the daemon process (/proc/<pid>/fd, those below 1024) */
guint       td_daemon_count_fds (TdDaemon *daemon);

/* A new private connection to the test bus */
GDBusConnection *td_connect (GError **error);

typedef struct {
  TdDaemon        *daemon;
  GDBusConnection *conn;
} TdFixture;

/* user_data: const char *const * extra daemon arguments, or NULL */
void        td_fixture_setup    (TdFixture *fixture, gconstpointer user_data);
void        td_fixture_teardown (TdFixture *fixture, gconstpointer user_data);

#define td_add(path, func) \
  g_test_add (path, TdFixture, NULL, td_fixture_setup, func, td_fixture_teardown)
#define td_add_args(path, args, func) \
  g_test_add (path, TdFixture, args, td_fixture_setup, func, td_fixture_teardown)

/* ---- calls ------------------------------------------------------------ */

/* fd >= 0 is sent as handle 0 (the daemon gets a duplicate; the caller
 * keeps fd). */
GVariant   *td_call_fd (GDBusConnection    *conn,
                        const char         *path,
                        const char         *iface,
                        const char         *method,
                        GVariant           *params,
                        const GVariantType *reply_type,
                        int                 fd,
                        GError            **error);
#define td_call(c, p, i, m, params, reply, err) \
  td_call_fd (c, p, i, m, params, reply, -1, err)

/* org.freedesktop.DBus.Properties; td_get returns the unboxed value */
GVariant   *td_get (GDBusConnection *conn, const char *path, const char *iface,
                    const char *prop, GError **error);
gboolean    td_set (GDBusConnection *conn, const char *path, const char *iface,
                    const char *prop, GVariant *value, GError **error);

/* Asserting getters: the property must exist and have the type */
gint32      td_get_i   (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
guint32     td_get_u   (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
guint64     td_get_t   (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
gboolean    td_get_b   (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
gdouble     td_get_d   (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
char       *td_get_s   (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
GStrv       td_get_ao  (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
GArray     *td_get_ai  (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
GBytes     *td_get_ay  (GDBusConnection *conn, const char *path, const char *iface, const char *prop);
void        td_set_ok  (GDBusConnection *conn, const char *path, const char *iface,
                        const char *prop, GVariant *value);

/* Asserts that error is the D-Bus error org.rawcd.RawCD1.Error.<name> (or
 * the full name when name contains a dot) with a non-empty message. */
#define td_assert_error(error, name) \
  td_assert_error_impl (__FILE__, __LINE__, G_STRFUNC, error, name)
void        td_assert_error_impl (const char *file, int line, const char *func,
                                  const GError *error, const char *name);
/* The remote error name of error, or NULL (caller frees) */
char       *td_error_name (const GError *error);

/* Asserts that error says the object does not exist (any of the names a
 * bus peer gives for an unknown object, interface or method). */
#define td_assert_no_object(error) \
  td_assert_no_object_impl (__FILE__, __LINE__, G_STRFUNC, error)
void        td_assert_no_object_impl (const char *file, int line, const char *func,
                                      const GError *error);

/* Manager.CreateImageCreator; asserts success and the path's form */
char       *td_create_session (GDBusConnection *conn, GVariant *options);
/* Opens path read-only and calls AddTrack(0, fd, options); returns the
 * 1-based index or 0 (error set); track_path optional. */
gint        td_add_track (GDBusConnection *conn, const char *creator, const char *path,
                          GVariant *options, char **track_path, GError **error);
/* td_add_track of the fixture file `audio` (td_audio) with no options;
 * asserts success.  track_path optional. */
void        td_add_track_ok (GDBusConnection *conn, const char *creator, const char *audio,
                             char **track_path);
/* An empty a{sv} (floating), for calls that take options. */
GVariant   *td_no_options (void);
/* Waits until the object no longer answers (Properties.GetAll fails with
 * an unknown-object error); asserts within a timeout. */
void        td_wait_object_gone (GDBusConnection *conn, const char *path, const char *iface);

/* ---- jobs ------------------------------------------------------------- */

typedef struct _TdJobWatch TdJobWatch;

/* Subscribes to every Job.Completed in the calling thread's thread-default
 * main context.  Create it BEFORE CreateResultImage so that no signal is
 * missed. */
TdJobWatch *td_job_watch_new  (GDBusConnection *conn);
void        td_job_watch_free (TdJobWatch *watch);
/* Iterates the context until `job` completed; FALSE on timeout. */
gboolean    td_job_watch_wait (TdJobWatch *watch, const char *job, guint timeout_s,
                               gboolean *success, char **message);
/* How many Completed signals `job` emitted so far */
guint       td_job_watch_count (TdJobWatch *watch, const char *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TdJobWatch, td_job_watch_free)

/* CreateResultImage(out_fd, {}); returns the job path (form checked) */
char       *td_create_result_image (GDBusConnection *conn, const char *creator, int out_fd,
                                    GError **error);

/* ---- audio fixtures ---------------------------------------------------- */

/* The path of a named fixture, made on first use (see td.c for the list):
 * "a.wav" 10 s (750 sectors), "b.flac" 8 s (600), "c.wav" 7.3 s (548, the
 * last one padded), "e5.wav" 5 s (375), "d20.wav" 20 s (1500), "short.wav"
 * 3 s (225), "tiny.wav" 1 s (75), "empty.bin" 0 bytes, "a.raw" the samples of a.wav headerless, "mono.wav" 5 s mono,
 * "48k.wav" 5 s at 48 kHz, "6ch.wav" 5 s of 6 channels, "big.wav" 5 min (22500), "text.txt",
 * "trunc.wav" a.wav cut in half, "corrupt.flac" b.flac with garbage frames. */
const char *td_audio (const char *name);

/* ---- discs: the same disc built through the bus and by the engine ------ */

typedef struct {
  const char *audio;        /* td_audio() name */
  gboolean    raw;          /* AddTrack option format = "raw" */
  const char *isrc;         /* NULL: not set */
  gint        copy;         /* -1: not set */
  gint        preemphasis;  /* -1: not set */
  guint       n_indexes;
  gint        indexes[8];   /* AddTrackIndex offsets, in this order */
} TdTrackSpec;

typedef struct {
  guint       image_type;      /* 0: not set (IS_RAW) */
  gint        leadout_limit;   /* 0: not set */
  gboolean    disable_gapless;
  const char *mcn;             /* NULL: not set */
  gint        starting_track;  /* 0: not set */
  const char *special_pregap;  /* td_audio() name or NULL */
  guint       rw_sectors;      /* AddSubcodeRWGenerator of td_rw_file(rw_sectors), 0: none */
  guint       n_tracks;
  TdTrackSpec tracks[8];
} TdDiscSpec;

#define TD_TRACK(name) { .audio = (name), .copy = -1, .preemphasis = -1 }

/* An R-W generator stream of `sectors` x 96 symbols (a pattern, the top
 * two bits of each byte clear), made on first use. */
const char *td_rw_file (guint sectors);

/* Builds the disc through the bus (properties, then AddSpecialPregap,
 * every AddTrack, each track's settings, then AddSubcodeRWGenerator);
 * returns the creator. */
char       *td_spec_create (GDBusConnection *conn, const TdDiscSpec *spec, GError **error);
/* The engine's own image of the same disc, in a memfd; -1 on error. */
int         td_spec_reference (const TdDiscSpec *spec, GError **error);
/* StartOfLeadout of the engine's layout (for expected sizes) */
gint        td_spec_reference_leadout (const TdDiscSpec *spec);
/* The engine's ExpectedTableOfContents for the disc */
GBytes     *td_spec_reference_toc (const TdDiscSpec *spec);

/* ---- files ------------------------------------------------------------ */

/* Byte-for-byte comparison of two regular files (sizes first); the
 * message of the error names the first differing offset and sector. */
gboolean    td_fds_equal (int a, int b, guint sector_bytes, GError **error);
#define td_assert_fds_equal(a, b, sector_bytes) G_STMT_START { \
    g_autoptr(GError) td_cmp_error_ = NULL; \
    if (!td_fds_equal ((a), (b), (sector_bytes), &td_cmp_error_)) \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                           td_cmp_error_->message); \
  } G_STMT_END
gint64      td_fd_size (int fd);
/* Reads fd until EOF (eof TRUE) or until nothing arrived for quiet_ms
 * (scaled by td_slowdown()); returns the bytes read. */
gint64      td_drain (int fd, guint quiet_ms, gboolean *eof);
int         td_memfd (const char *name);
/* Runs the main context until func returns TRUE or timeout_ms passes */
gboolean    td_wait_until (GMainContext *context, gboolean (*func) (gpointer), gpointer data,
                           guint timeout_ms);
/* Sleeps while dispatching the thread-default context */
void        td_spin (guint ms);

/* ---- the probe: a third client's reads during an attack --------------- */

/* A thread with a connection of its own reads a property of the daemon
 * every 20 ms until td_probe_stop(), which prints the p50 and p99 of
 * those reads as a test message ("p50=0.41 ms p99=1.73 ms (250 reads)
 * during WHAT").  Figures only: nothing is asserted on them. */
typedef struct _TdProbe TdProbe;

TdProbe    *td_probe_start (const char *what);
void        td_probe_stop  (TdProbe *probe);
/* Reads measured so far. */
guint       td_probe_count (TdProbe *probe);
/* For attacks quicker than a p99 needs: TRUE while the probe has fewer
 * than TD_PROBE_ENOUGH_READS reads and less than 30 s (scaled) have passed
 * since `since` (g_get_monotonic_time()); repeat the attack while it is. */
#define TD_PROBE_ENOUGH_READS 200
gboolean    td_probe_wants_more (TdProbe *probe, gint64 since);

/* Drains a job's output pipe at a bounded rate from a thread of its own,
 * so that a job lasts a few seconds whatever the speed of the machine.
 * `total` counts the bytes read; the thread closes fd at its end. */
typedef struct {
  int     fd;
  gsize   chunk;
  gint64  bytes_per_second;
  gint64  total;
} TdPacedReader;

gpointer    td_paced_reader_thread (gpointer reader);
