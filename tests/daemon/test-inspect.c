/* test-inspect.c: Manager.InspectImage on images the daemon wrote: a full
 * image and a CloneCD .img/.sub are clean and report what was set; one
 * flipped Q bit is found where it is; what is not an image is refused;
 * --max-jobs limits inspections per uid; a shutdown answers a running one.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The dictionary of track `number` in the report. */
static GVariant *
report_track (GVariant *report, guint number)
{
  g_autoptr(GVariant) tracks = td_report_value (report, "tracks", "aa{sv}");

  for (gsize i = 0; i < g_variant_n_children (tracks); i++)
    {
      g_autoptr(GVariant) t = g_variant_get_child_value (tracks, i);

      if (td_report_u (t, "number") == number)
        return g_steal_pointer (&t);
    }
  g_error ("the report has no track %u", number);
}

static gboolean
report_has_cdtext (GVariant *report, guint block, guint track, const char *field,
                   const char *text)
{
  g_autoptr(GVariant) entries = td_report_value (report, "cdtext", "aa{sv}");

  for (gsize i = 0; i < g_variant_n_children (entries); i++)
    {
      g_autoptr(GVariant) e = g_variant_get_child_value (entries, i);

      if (td_report_u (e, "block") == block
          && td_report_u (e, "track") == track
          && g_str_equal (td_report_s (e, "field"), field)
          && g_str_equal (td_report_s (e, "text"), text))
        return TRUE;
    }
  return FALSE;
}

/* whole: the image reaches the lead-out (a full image), not a BIN */
static void
assert_report_layout (GVariant *report, gboolean whole)
{
  g_autoptr(GVariant) t1 = report_track (report, 1);
  g_autoptr(GVariant) t2 = report_track (report, 2);
  g_autoptr(GVariant) indexes = td_report_value (t1, "indexes", "ai");
  gsize n = 0;
  const gint32 *lbas = g_variant_get_fixed_array (indexes, &n, sizeof (gint32));
  static const gint32 expected_indexes[] = { 0, 300 };

  g_assert_cmpuint (td_report_u (report, "first_track"), ==, 1);
  g_assert_cmpuint (td_report_u (report, "last_track"), ==, 2);
  g_assert_cmpint (td_report_i (report, "leadout_lba"), ==, whole ? TD_SIDE_LEADOUT : G_MININT);
  g_assert_cmpstr (td_report_s (report, "mcn"), ==, TD_MCN);

  g_assert_cmpint (td_report_i (t1, "start_lba"), ==, 0);
  /* Track 1's pause lies before LBA 0: not in a BIN */
  if (whole)
    g_assert_cmpint (td_report_i (t1, "pregap_lba"), ==, -150);
  else
    g_assert_false (g_variant_lookup (t1, "pregap_lba", "i", NULL));
  g_assert_cmpint (td_report_i (t1, "end_lba"), ==, 600);
  g_assert_cmpstr (td_report_s (t1, "isrc"), ==, TD_ISRC);
  g_assert_cmpuint (td_report_u (t1, "copy"), ==, 0);
  g_assert_false (td_report_b (t1, "preemphasis"));
  g_assert_cmpmem (lbas, n * sizeof (gint32), expected_indexes, sizeof expected_indexes);

  g_assert_cmpint (td_report_i (t2, "pregap_lba"), ==, 600);
  g_assert_cmpint (td_report_i (t2, "start_lba"), ==, 750);
  g_assert_cmpint (td_report_i (t2, "end_lba"), ==, TD_SIDE_LEADOUT);
  g_assert_cmpstr (td_report_s (t2, "isrc"), ==, "");
  g_assert_cmpuint (td_report_u (t2, "copy"), ==, 2);
  g_assert_true (td_report_b (t2, "preemphasis"));
}

/* A fresh image: clean, and what was set.  A copy with one Q bit flipped
 * at LBA 500: not clean, a q-crc problem at 500. */
static void
test_inspect_full (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_side_disc (c);
  g_autoptr(GVariant) report = NULL, damaged_report = NULL;
  g_autoptr(GDBusConnection) stranger = td_connect (&error);
  const char *const t1_text[] = { "title", "First", NULL };
  g_autofree char *track1 = g_strconcat (creator, "/Track/1", NULL);
  int full = td_memfd ("full"), damaged;
  const gint bad_lba = 500;
  off_t offset;

  g_assert_no_error (error);
  td_set_ok (c, track1, RAWCD_IFACE_TRACK, "CdText", td_cdtext_value (t1_text, NULL));
  td_write_image (c, creator, NULL, full, -1);

  /* Anyone may inspect: a connection without a session */
  offset = lseek (full, 0, SEEK_CUR);
  report = td_inspect (stranger, full, -1, NULL, &error);
  g_assert_no_error (error);
  if (!td_report_clean (report))
    td_print_problems (report);
  g_assert_true (td_report_clean (report));
  g_assert_cmpuint (td_report_u (report, "problem_count"), ==, 0);
  /* IS_RAW, but without R-W data nothing tells it from IS_COOKED */
  g_assert_cmpuint (td_report_u (report, "image_type"), ==, 0);
  g_assert_cmpuint (td_report_u (report, "sector_bytes"), ==, TD_FULL_SECTOR);
  g_assert_cmpuint (td_report_t (report, "sectors"), ==,
                    22650 + TD_SIDE_LEADOUT + 6750);
  g_assert_cmpint (td_report_i (report, "first_lba"), ==, -22650);
  g_assert_cmpstr (td_report_s (report, "format"), !=, "");
  assert_report_layout (report, TRUE);
  g_assert_true (report_has_cdtext (report, 0, 0, "title", "Caf\xc3\xa9 Album"));
  g_assert_true (report_has_cdtext (report, 0, 0, "performer", "Ensemble"));
  g_assert_true (report_has_cdtext (report, 0, 1, "title", "First"));
  /* the descriptor's offset did not move */
  g_assert_cmpint (lseek (full, 0, SEEK_CUR), ==, offset);

  /* One Q bit of LBA 500 flipped (bit 6 of each subchannel byte is Q) */
  damaged = td_copy_fd (full);
  {
    guint8 byte;
    off_t at = (off_t) (bad_lba + 22650) * TD_FULL_SECTOR + TD_AUDIO_SECTOR + 40;

    g_assert_cmpint (pread (damaged, &byte, 1, at), ==, 1);
    byte ^= 0x40;
    g_assert_cmpint (pwrite (damaged, &byte, 1, at), ==, 1);
  }
  damaged_report = td_inspect (c, damaged, -1, NULL, &error);
  g_assert_no_error (error);
  td_print_problems (damaged_report);
  g_assert_false (td_report_clean (damaged_report));
  g_assert_cmpuint (td_report_u (damaged_report, "problem_count"), >=, 1);
  {
    g_autoptr(GVariant) problems = td_report_value (damaged_report, "problems", "a(iss)");
    g_autoptr(GVariant) counts = td_report_value (damaged_report, "counts", "a{su}");
    GVariantIter iter;
    const char *check, *message;
    gboolean found = FALSE;
    guint q_crc = 0;
    gint lba;

    g_variant_iter_init (&iter, problems);
    while (g_variant_iter_next (&iter, "(i&s&s)", &lba, &check, &message))
      {
        g_assert_cmpstr (message, !=, "");
        if (lba == bad_lba && g_str_equal (check, "q-crc"))
          found = TRUE;
      }
    if (!found)
      g_error ("no q-crc problem at LBA %d", bad_lba);
    g_assert_true (g_variant_lookup (counts, "q-crc", "u", &q_crc));
    g_assert_cmpuint (q_crc, >=, 1);
  }
  /* The layout is still read correctly */
  assert_report_layout (damaged_report, TRUE);
  close (damaged);
  close (full);
}

/* A CloneCD .img with its .sub: clean, from LBA 0. */
static void
test_inspect_bin_sub (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_side_disc (c);
  g_autoptr(GVariant) report = NULL;
  int img = td_memfd ("img"), sub = td_memfd ("sub");

  td_write_image (c, creator, "clonecd", img, sub);
  report = td_inspect (c, img, sub, NULL, &error);
  g_assert_no_error (error);

  if (!td_report_clean (report))
    td_print_problems (report);
  g_assert_true (td_report_clean (report));
  g_assert_cmpuint (td_report_u (report, "sector_bytes"), ==, TD_AUDIO_SECTOR);
  g_assert_cmpint (td_report_i (report, "first_lba"), ==, 0);
  g_assert_cmpuint (td_report_t (report, "sectors"), ==, TD_SIDE_LEADOUT);
  assert_report_layout (report, FALSE);
  /* CD-TEXT lives in the lead-in, which a BIN does not have */
  {
    g_autoptr(GVariant) cdtext = td_report_value (report, "cdtext", "aa{sv}");
    g_assert_cmpuint (g_variant_n_children (cdtext), ==, 0);
  }
  close (img);
  close (sub);
}

static void inspect_fails (GDBusConnection *c, int image, int sub, GVariant *options,
                           const char *name);

/* options {toc_file: toc} (consumed with them: floating) */
static GVariant *
toc_file_option (const char *toc, gsize len)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);

  g_variant_dict_insert_value (dict, "toc_file",
                               g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, toc, len, 1));
  return g_variant_dict_end (dict);
}

/* The cdrdao TOC file and data file of the side disc: clean, with the
 * TOC's tracks, MCN and CD-TEXT; a TOC with a START past its track's end
 * is reported with its line; toc_file with a subchannel, or too large, is
 * refused. */
static void
test_inspect_toc_file (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_side_disc (c);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) files = NULL;
  g_autoptr(GVariant) toc_bytes = NULL;
  g_autoptr(GVariant) report = NULL;
  g_autoptr(GVariant) t1 = NULL;
  g_autoptr(GVariant) t2 = NULL;
  g_autofree char *toc = NULL;
  g_autofree char *big = NULL;
  g_autoptr(GString) bad = NULL;
  const char *text;
  const char *at;
  int bin = td_memfd ("bin");
  int sub = td_memfd ("sub");
  gsize len = 0;

  g_assert_cmpuint (td_write_image (c, creator, "toc", bin, -1), ==, TD_SIDE_LEADOUT);
  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "GetSideFiles",
                   g_variant_new ("(ss@a{sv})", "toc", "album.bin", td_no_options ()),
                   G_VARIANT_TYPE ("(a{say})"), &error);
  g_assert_no_error (error);
  files = g_variant_get_child_value (reply, 0);
  toc_bytes = g_variant_lookup_value (files, "toc", G_VARIANT_TYPE_BYTESTRING);
  g_assert_nonnull (toc_bytes);
  text = g_variant_get_fixed_array (toc_bytes, &len, 1);
  toc = g_strndup (text, len);

  report = td_inspect (c, bin, -1, toc_file_option (toc, strlen (toc)), &error);
  g_assert_no_error (error);
  if (!td_report_clean (report))
    td_print_problems (report);
  g_assert_true (td_report_clean (report));
  g_assert_cmpuint (td_report_u (report, "sector_bytes"), ==, TD_AUDIO_SECTOR);
  g_assert_cmpuint (td_report_t (report, "sectors"), ==, TD_SIDE_LEADOUT);
  g_assert_cmpint (td_report_i (report, "leadout_lba"), ==, TD_SIDE_LEADOUT);
  g_assert_cmpstr (td_report_s (report, "mcn"), ==, TD_MCN);
  t1 = report_track (report, 1);
  t2 = report_track (report, 2);
  g_assert_cmpint (td_report_i (t1, "start_lba"), ==, 0);
  g_assert_cmpint (td_report_i (t1, "end_lba"), ==, 600);
  g_assert_cmpstr (td_report_s (t1, "isrc"), ==, TD_ISRC);
  g_assert_cmpint (td_report_i (t2, "pregap_lba"), ==, 600);
  g_assert_cmpint (td_report_i (t2, "start_lba"), ==, 750);
  g_assert_cmpint (td_report_i (t2, "end_lba"), ==, TD_SIDE_LEADOUT);
  g_assert_true (td_report_b (t2, "preemphasis"));
  g_assert_true (report_has_cdtext (report, 0, 0, "title", "Caf\u00e9 Album"));
  g_clear_pointer (&report, g_variant_unref);

  /* START of track 2 (00:02:00) moved past the track's end */
  at = strstr (toc, "START 00:02:00");
  g_assert_nonnull (at);
  bad = g_string_new_len (toc, at - toc);
  g_string_append (bad, "START 00:09:00");
  g_string_append (bad, at + strlen ("START 00:02:00"));
  report = td_inspect (c, bin, -1, toc_file_option (bad->str, bad->len), &error);
  g_assert_no_error (error);
  g_assert_false (td_report_clean (report));
  {
    g_autoptr(GVariant) problems = td_report_value (report, "problems", "a(iss)");
    const char *message = NULL;

    g_assert_cmpuint (g_variant_n_children (problems), ==, 1);
    g_variant_get_child (problems, 0, "(i&s&s)", NULL, NULL, &message);
    g_test_message ("%s", message);
    g_assert_nonnull (strstr (message, "of the TOC file: START 00:09:00 of track 02"));
  }

  /* alone, and bounded */
  inspect_fails (c, bin, sub, toc_file_option (toc, strlen (toc)), "InvalidArgument");
  big = g_malloc0 (256 * 1024 + 1);
  memset (big, ' ', 256 * 1024 + 1);
  inspect_fails (c, bin, -1, toc_file_option (big, 256 * 1024 + 1), "InvalidArgument");
  close (bin);
  close (sub);
}

static void
inspect_fails (GDBusConnection *c, int image, int sub, GVariant *options, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) report = td_inspect (c, image, sub, options, &error);

  g_assert_null (report);
  td_assert_error (error, name);
}

/* Descriptors InspectImage is given in its refusals. */
typedef enum {
  FD_NONE = -1,   /* no subchannel */
  FD_TEXT,        /* a text file */
  FD_WAV,         /* audio, not an image */
  FD_EMPTY,       /* an empty memfd */
  FD_PIPE,        /* cannot be read at positions */
  FD_WRITE_ONLY,
  FD_DIRECTORY,
  N_FDS
} GivenFd;

typedef struct {
  GivenFd     image;
  GivenFd     subchannel;
  const char *options;   /* GVariant text, NULL: none */
  const char *name;
} InspectRefusal;

static const InspectRefusal inspect_refusals[] = {
  { FD_TEXT, FD_NONE, NULL, "InvalidArgument" },
  { FD_WAV, FD_NONE, NULL, "InvalidArgument" },
  { FD_EMPTY, FD_NONE, NULL, "InvalidArgument" },
  { FD_WAV, FD_TEXT, NULL, "InvalidArgument" },
  { FD_PIPE, FD_NONE, NULL, "InvalidArgument" },
  { FD_WRITE_ONLY, FD_NONE, NULL, "InvalidArgument" },
  { FD_DIRECTORY, FD_NONE, NULL, "InvalidArgument" },
  { FD_WAV, FD_PIPE, NULL, "InvalidArgument" },
  /* an unknown option */
  { FD_WAV, FD_NONE, "{'colour': <'blue'>}", "InvalidArgument" },
};

static void
test_inspect_errors (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  int fds[N_FDS];
  int p[2];

  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  fds[FD_TEXT] = open (td_audio ("text.txt"), O_RDONLY | O_CLOEXEC);
  fds[FD_WAV] = open (td_audio ("a.wav"), O_RDONLY | O_CLOEXEC);
  fds[FD_EMPTY] = td_memfd ("empty");
  fds[FD_PIPE] = p[0];
  fds[FD_WRITE_ONLY] = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  fds[FD_DIRECTORY] = open (td_tmpdir (), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (guint i = 0; i < N_FDS; i++)
    g_assert_cmpint (fds[i], >=, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (inspect_refusals); i++)
    {
      const InspectRefusal *r = &inspect_refusals[i];

      g_test_message ("image %d, subchannel %d, options %s", r->image, r->subchannel,
                      r->options != NULL ? r->options : "none");
      inspect_fails (c, fds[r->image], r->subchannel == FD_NONE ? -1 : fds[r->subchannel],
                     r->options != NULL ? g_variant_new_parsed (r->options) : NULL, r->name);
    }
  td_daemon_assert_alive (f->daemon);
  close (p[1]);
  for (guint i = 0; i < N_FDS; i++)
    close (fds[i]);
}

typedef struct {
  guint     done;
  guint     ok;
  guint     limited;
  GPtrArray *errors;
} Concurrent;

static void
on_inspected (GObject *source, GAsyncResult *result, gpointer data)
{
  Concurrent *cc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL, result,
                                                     &error);
  g_autofree char *name = td_error_name (error);

  cc->done++;
  if (reply != NULL)
    cc->ok++;
  else if (g_strcmp0 (name, RAWCD_ERROR_PREFIX "LimitExceeded") == 0)
    cc->limited++;
  else
    g_ptr_array_add (cc->errors, g_strdup (error->message));
}

static void
start_inspect (GDBusConnection *c, int image, Concurrent *cc)
{
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();

  g_assert_cmpint (g_unix_fd_list_append (fds, image, NULL), ==, 0);
  g_dbus_connection_call_with_unix_fd_list (c, RAWCD_BUS_NAME, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER,
                                            "InspectImage",
                                            g_variant_new ("(h@a{sv})", 0, td_no_options ()),
                                            G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                            td_call_timeout_ms () * 4, fds, NULL,
                                            on_inspected, cc);
}

static gboolean
all_done (gpointer data)
{
  Concurrent *cc = data;
  return cc->done == 3;
}

static const char *const one_job[] = { "--max-jobs", "1", NULL };

/* --max-jobs 1: one inspection per uid at a time; the others are refused
 * with LimitExceeded while it runs. */
static void
test_inspect_limit (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  Concurrent cc = { 0, 0, 0, g_ptr_array_new_with_free_func (g_free) };
  int full = td_memfd ("full");

  td_add_track_ok (c, creator, "d20.wav", NULL);
  td_write_image (c, creator, NULL, full, -1);
  for (guint i = 0; i < 3; i++)
    start_inspect (c, full, &cc);
  if (!td_wait_until (NULL, all_done, &cc, td_call_timeout_ms () * 4))
    g_error ("the inspections did not all answer");
  for (guint i = 0; i < cc.errors->len; i++)
    g_test_message ("unexpected error: %s", (const char *) cc.errors->pdata[i]);
  g_assert_cmpuint (cc.errors->len, ==, 0);
  g_assert_cmpuint (cc.ok, >=, 1);
  g_assert_cmpuint (cc.limited, >=, 1);
  g_ptr_array_unref (cc.errors);

  /* Once they are over, the uid may inspect again */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) report = td_inspect (c, full, -1, NULL, &error);
    g_assert_no_error (error);
  }
  close (full);
}

typedef struct {
  gboolean  done;
  GVariant *reply;
  GError   *error;
} OneCall;

static void
on_one_inspected (GObject *source, GAsyncResult *result, gpointer data)
{
  OneCall *one = data;

  one->reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source),
                                                                NULL, result, &one->error);
  one->done = TRUE;
}

static gboolean
one_done (gpointer data)
{
  return ((OneCall *) data)->done;
}

/* The service stops while an inspection runs: the caller gets an answer
 * (Cancelled, or the report if it was faster), and the daemon exits 0. */
static void
test_inspect_shutdown (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
  g_autofree char *name = NULL;
  OneCall one = { FALSE, NULL, NULL };
  int full = td_memfd ("full");

  td_add_track_ok (c, creator, "d20.wav", NULL);
  td_write_image (c, creator, NULL, full, -1);
  g_assert_cmpint (g_unix_fd_list_append (fds, full, NULL), ==, 0);
  g_dbus_connection_call_with_unix_fd_list (c, RAWCD_BUS_NAME, RAWCD_MANAGER_PATH, RAWCD_IFACE_MANAGER,
                                            "InspectImage",
                                            g_variant_new ("(h@a{sv})", 0, td_no_options ()),
                                            G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NONE,
                                            td_call_timeout_ms () * 4, fds, NULL,
                                            on_one_inspected, &one);
  td_spin (30);
  td_daemon_stop (g_steal_pointer (&f->daemon));
  if (!td_wait_until (NULL, one_done, &one, 10000))
    g_error ("InspectImage got no answer when the service stopped");
  name = td_error_name (one.error);
  if (one.reply == NULL && g_strcmp0 (name, RAWCD_ERROR_PREFIX "Cancelled") != 0)
    g_error ("InspectImage failed with %s; expected Cancelled or a report",
             one.error->message);
  g_test_message ("InspectImage %s", one.reply != NULL ? "finished first" : "was cancelled");
  g_clear_pointer (&one.reply, g_variant_unref);
  g_clear_error (&one.error);
  close (full);
  /* for the teardown */
  f->daemon = td_daemon_start (NULL);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/outputs/inspect/full", test_inspect_full);
  td_add ("/daemon/outputs/inspect/bin-sub", test_inspect_bin_sub);
  td_add ("/daemon/outputs/inspect/toc-file", test_inspect_toc_file);
  td_add ("/daemon/outputs/inspect/errors", test_inspect_errors);
  td_add_args ("/daemon/outputs/inspect/limit", one_job, test_inspect_limit);
  td_add ("/daemon/outputs/inspect/shutdown", test_inspect_shutdown);
  return td_run ();
}
