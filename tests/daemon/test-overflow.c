/* test-overflow.c: streams longer than 32-bit sector arithmetic holds.
 *
 * A sparse memfd of terabytes costs a client nothing, and headerless audio
 * (format "raw") takes its length from the file's size.  Such a stream
 * must be refused by name (InsufficientSpace, saying where the audio would
 * end), leave the session as it was and usable, and leave no descriptor
 * behind in the daemon.  Expected numbers are worked out by hand from
 * docs/cd-format.md §5: a.wav is 750 sectors, b.flac 600; gapless, a
 * second track starts where the first one's audio ends (LBA 750).
 */
#define _GNU_SOURCE
#include "td.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SECTOR_BYTES G_GUINT64_CONSTANT (2352)

static const struct {
  const char *what;
  guint64     bytes;
  gint64      sectors;      /* ceil (bytes / 2352) */
} huge[] = {
  /* the 6 TB: 1.5e12 frames, 2551020408.16 sectors */
  { "6 TB", G_GUINT64_CONSTANT (6000000000000), G_GINT64_CONSTANT (2551020409) },
  { "2^31 - 1 sectors", (guint64) G_MAXINT32 * SECTOR_BYTES, G_MAXINT32 },
  { "2^31 sectors", (G_GUINT64_CONSTANT (1) << 31) * SECTOR_BYTES, G_GINT64_CONSTANT (1) << 31 },
  { "2^31 sectors less 1 frame", (G_GUINT64_CONSTANT (1) << 31) * SECTOR_BYTES - 4,
    G_GINT64_CONSTANT (1) << 31 },
  { "2^32 sectors and 1 frame", (G_GUINT64_CONSTANT (1) << 32) * SECTOR_BYTES + 4,
    (G_GINT64_CONSTANT (1) << 32) + 1 },
};

/* A sparse memfd of `bytes` bytes: all silence, no memory. */
static int
sparse_memfd (guint64 bytes)
{
  int fd = memfd_create ("huge", MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) bytes), ==, 0);
  return fd;
}

static GVariant *
raw_options (void)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);

  g_variant_dict_insert (dict, "format", "s", "raw");
  return g_variant_dict_end (dict);
}

/* TRUE while an attack is repeated for the probe: its messages were
 * printed the first time. */
static gboolean repeating;

/* Calls `method` ("AddTrack" or "AddSpecialPregap") with a huge stream;
 * asserts InsufficientSpace and that the message gives the LBA where the
 * audio would end and the limit. */
static void
huge_fails (GDBusConnection *c, const char *creator, const char *method, guint64 bytes,
            gint64 last_used)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *lba = g_strdup_printf ("LBA %" G_GINT64_FORMAT ",", last_used);
  int fd = sparse_memfd (bytes);
  GVariant *params = g_str_equal (method, "AddTrack")
                     ? g_variant_new ("(uh@a{sv})", 0, 0, raw_options ())
                     : g_variant_new ("(h@a{sv})", 0, raw_options ());

  reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, method, params, NULL, fd, &error);
  close (fd);
  g_assert_null (reply);
  td_assert_error (error, "InsufficientSpace");
  if (!repeating)
    g_test_message ("%s: %s", method, error->message);
  if (strstr (error->message, lba) == NULL || strstr (error->message, "398099") == NULL)
    g_error ("the message \"%s\" does not say \"%s\" and the limit 398099", error->message, lba);
}

typedef struct {
  TdDaemon *daemon;
  guint     expected;
  guint     last;
} FdCount;

static gboolean
fds_back (gpointer data)
{
  FdCount *count = data;

  count->last = td_daemon_count_fds (count->daemon);
  if (count->last <= count->expected)
    return TRUE;
  td_spin (20);
  return FALSE;
}

/* The daemon holds no more than `expected` descriptors again (the refused
 * streams were closed), within a few seconds.  Not exactly as many: idle
 * worker threads come and go with descriptors of their own (a main
 * context's wakeup), while a leak would add one per refused stream. */
static void
assert_fds_return (TdDaemon *daemon, guint expected)
{
  FdCount count = { daemon, expected, 0 };

  if (!td_wait_until (NULL, fds_back, &count, 10000 * td_slowdown ()))
    g_error ("the daemon holds %u descriptors, expected at most %u again", count.last, expected);
}

/* Writes the image of the session and checks its size: the session is not
 * frozen or damaged by the refused streams. */
static void
assert_image_written (GDBusConnection *c, const char *creator, gint leadout)
{
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  g_autoptr(GError) error = NULL;
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  gboolean success = FALSE;
  int out = td_memfd ("out");

  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  g_assert_true (td_job_watch_wait (watch, job, 120, &success, &message));
  if (!success)
    g_error ("the job failed: %s", message);
  g_assert_cmpint (td_fd_size (out), ==,
                   (gint64) (TD_LEADIN_SECTORS + leadout + TD_LEADOUT_SECTORS) * 2448);
  close (out);
}

/* The case: a second track of 2^31 sectors or more. */
static void
test_second_track (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  TdProbe *probe;
  gint64 since;
  guint fds;

  td_add_track_ok (c, creator, "a.wav", NULL);
  fds = td_daemon_count_fds (f->daemon);
  probe = td_probe_start ("huge sparse raw streams (up to 6 TB) as a second track");
  since = g_get_monotonic_time ();
  /* again and again while the probe measures */
  for (guint pass = 0; pass == 0 || td_probe_wants_more (probe, since); pass++)
    for (guint i = 0; i < G_N_ELEMENTS (huge); i++)
      {
        repeating = pass > 0;
        if (pass == 0)
          g_test_message ("second track: %s", huge[i].what);
        huge_fails (c, creator, "AddTrack", huge[i].bytes, 749 + huge[i].sectors);
        g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 1);
        g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 750);
      }
  repeating = FALSE;
  td_probe_stop (probe);
  assert_fds_return (f->daemon, fds);

  /* Still usable: another track, then the image. */
  td_add_track_ok (c, creator, "b.flac", NULL);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 2);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 1350);
  assert_image_written (c, creator, 1350);
}

static void
test_first_track (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (huge); i++)
    {
      g_test_message ("first track: %s", huge[i].what);
      huge_fails (c, creator, "AddTrack", huge[i].bytes, huge[i].sectors - 1);
      g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 0);
    }
  td_add_track_ok (c, creator, "a.wav", NULL);
  assert_image_written (c, creator, 750);
}

/* A special pregap puts track 1's index 1 at -150 + its length. */
static void
test_special_pregap (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (huge); i++)
    {
      g_test_message ("special pregap: %s", huge[i].what);
      huge_fails (c, creator, "AddSpecialPregap", huge[i].bytes, huge[i].sectors - 151);
    }
  td_add_track_ok (c, creator, "a.wav", NULL);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 750);
  assert_image_written (c, creator, 750);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/overflow/second-track", test_second_track);
  td_add ("/daemon/overflow/first-track", test_first_track);
  td_add ("/daemon/overflow/special-pregap", test_special_pregap);
  return td_run ();
}
