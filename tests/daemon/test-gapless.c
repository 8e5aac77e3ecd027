/* test-gapless.c: sample-exact gapless joins (docs/cd-format.md §12) and
 * tracks cut from one file (AddTrack options start and length) through the
 * real daemon.
 *
 * One stream of known samples is cut at arbitrary sample positions into
 * three files (headerless, WAV, FLAC made by the flac program), added as
 * three tracks, and the image the daemon writes must hold exactly the
 * original samples from LBA 0 on, with nothing between the pieces and
 * silence only after the last one; each track's StartingLba must be
 * floor(F_k / 588), F_k the frames before it.  The expected numbers come
 * from the cut positions alone, never from the engine.  The same cuts,
 * given as ranges of one whole file, must give the same image.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define FRAMES_PER_SECTOR 588

/* Cut points chosen so that no piece is a whole number of sectors and the
 * joins fall at different places inside their sectors: F_2 = 200017
 * (sector 340, frame 97), F_3 = 400300 (sector 680, frame 460), all
 * 590301 frames (1003 sectors and 537 frames: lead-out 1004). */
static const guint64 pieces[] = { 200017, 200283, 190001 };
#define N_PIECES G_N_ELEMENTS (pieces)

static guint64
total_frames (void)
{
  guint64 total = 0;

  for (guint i = 0; i < N_PIECES; i++)
    total += pieces[i];
  return total;
}

/* The source: interleaved stereo s16, a pseudo-random sequence (every
 * sample differs from its neighbours, so a shift by one frame shows). */
static gint16 *
source_samples (void)
{
  guint64 n = total_frames () * 2;
  gint16 *s = g_new (gint16, n);
  guint32 x = 0x12345678;

  for (guint64 i = 0; i < n; i++)
    {
      x = x * 1664525u + 1013904223u;
      s[i] = (gint16) (x >> 16);
    }
  return s;
}

static void
put_le32 (guint8 *p, guint32 v)
{
  p[0] = v;
  p[1] = v >> 8;
  p[2] = v >> 16;
  p[3] = v >> 24;
}

/* Writes piece i (N_PIECES: the whole stream) in the tmpdir as "raw",
 * "wav" or "flac". */
static char *
write_piece (const gint16 *src, guint i, const char *kind)
{
  g_autoptr(GError) error = NULL;
  guint64 first = 0;
  guint64 frames = i < N_PIECES ? pieces[i] : total_frames ();
  gsize bytes = (gsize) frames * 4;
  g_autofree guint8 *data = g_malloc (44 + bytes);
  g_autofree char *wav = g_strdup_printf ("%s/gapless-%u.wav", td_tmpdir (), i);
  char *path;

  for (guint k = 0; k < i && k < N_PIECES; k++)
    first += i < N_PIECES ? pieces[k] : 0;
  /* 44-byte canonical WAV header: PCM, 2 channels, 44100 Hz, 16 bits */
  memcpy (data, "RIFF", 4);
  put_le32 (data + 4, (guint32) (36 + bytes));
  memcpy (data + 8, "WAVEfmt ", 8);
  put_le32 (data + 16, 16);
  data[20] = 1, data[21] = 0, data[22] = 2, data[23] = 0;
  put_le32 (data + 24, 44100);
  put_le32 (data + 28, 44100 * 4);
  data[32] = 4, data[33] = 0, data[34] = 16, data[35] = 0;
  memcpy (data + 36, "data", 4);
  put_le32 (data + 40, (guint32) bytes);
  for (gsize k = 0; k < frames * 2; k++)
    {
      guint16 v = (guint16) src[first * 2 + k];

      data[44 + 2 * k] = v & 0xff;
      data[44 + 2 * k + 1] = v >> 8;
    }

  if (g_str_equal (kind, "raw"))
    {
      path = g_strdup_printf ("%s/gapless-%u.raw", td_tmpdir (), i);
      g_file_set_contents (path, (const char *) data + 44, (gssize) bytes, &error);
      g_assert_no_error (error);
      return path;
    }
  g_file_set_contents (wav, (const char *) data, (gssize) (44 + bytes), &error);
  g_assert_no_error (error);
  if (g_str_equal (kind, "wav"))
    return g_steal_pointer (&wav);

  path = g_strdup_printf ("%s/gapless-%u.flac", td_tmpdir (), i);
  {
    const char *argv[] = { "flac", "-s", "-f", "-o", path, wav, NULL };
    g_autofree char *err = NULL;
    gint status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                  NULL, NULL, NULL, &err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("flac failed: %s", err);
  }
  return path;
}

static GVariant *
format_options (const char *kind)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);

  if (g_str_equal (kind, "raw"))
    g_variant_dict_insert (dict, "format", "s", "raw");
  return g_variant_dict_end (dict);
}

/* Writes the session's full IS_RAW image into a memfd. */
static int
write_image (GDBusConnection *c, const char *creator)
{
  g_autoptr(TdJobWatch) watch = td_job_watch_new (c);
  g_autoptr(GError) error = NULL;
  g_autofree char *job = NULL;
  g_autofree char *message = NULL;
  gboolean success = FALSE;
  int out = td_memfd ("gapless");

  job = td_create_result_image (c, creator, out, &error);
  g_assert_no_error (error);
  g_assert_true (td_job_watch_wait (watch, job, 300, &success, &message));
  if (!success)
    g_error ("the job failed: %s", message);
  return out;
}

/* The image's main channel from LBA 0 to `leadout` must be `expected`
 * (frames of stereo s16), silence after it. */
static void
assert_program_area (int image, gint leadout, const gint16 *expected, guint64 frames)
{
  g_autoptr(GMappedFile) map = td_map_fd (image);
  const guint8 *data = (const guint8 *) g_mapped_file_get_contents (map);

  g_assert_cmpuint (g_mapped_file_get_length (map), ==,
                    (gsize) (TD_LEADIN_SECTORS + leadout + TD_LEADOUT_SECTORS) * TD_FULL_SECTOR);
  for (gint lba = 0; lba < leadout; lba++)
    {
      const guint8 *main = data + (gsize) (lba + TD_LEADIN_SECTORS) * TD_FULL_SECTOR;

      for (guint f = 0; f < FRAMES_PER_SECTOR; f++)
        {
          guint64 frame = (guint64) lba * FRAMES_PER_SECTOR + f;

          for (guint ch = 0; ch < 2; ch++)
            {
              gint16 got = (gint16) (main[4 * f + 2 * ch] | main[4 * f + 2 * ch + 1] << 8);
              gint16 want = frame < frames ? expected[frame * 2 + ch] : 0;

              if (got != want)
                g_error ("LBA %d frame %u channel %u (frame %" G_GUINT64_FORMAT " of the disc): "
                         "found %d, expected %d", lba, f, ch, frame, got, want);
            }
        }
    }
}

static void
test_joined (TdFixture *fx, const char *kind)
{
  GDBusConnection *c = fx->conn;
  g_autofree gint16 *src = source_samples ();
  g_autofree char *creator = td_create_session (c, NULL);
  guint64 before = 0;
  gint leadout;
  int image;

  if (g_str_equal (kind, "flac") && g_find_program_in_path ("flac") == NULL)
    {
      g_test_skip ("flac is not installed");
      return;
    }
  g_assert_false (td_get_b (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors"));
  for (guint i = 0; i < N_PIECES; i++)
    {
      g_autofree char *path = write_piece (src, i, kind);
      g_autofree char *track = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (td_add_track (c, creator, path, format_options (kind), &track, &error), ==,
                       (gint) i + 1);
      g_assert_no_error (error);
      /* index 1 at the sector holding the piece's first sample */
      g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "StartingLba"), ==,
                       (gint) (before / FRAMES_PER_SECTOR));
      before += pieces[i];
    }
  leadout = td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout");
  g_assert_cmpint (leadout, ==, 1004);
  g_assert_cmpint (leadout, ==, (gint) ((before + FRAMES_PER_SECTOR - 1) / FRAMES_PER_SECTOR));
  image = write_image (c, creator);
  assert_program_area (image, leadout, src, total_frames ());
  close (image);
}

static void
test_joined_raw (TdFixture *fx, gconstpointer data)
{
  test_joined (fx, "raw");
}

static void
test_joined_wav (TdFixture *fx, gconstpointer data)
{
  test_joined (fx, "wav");
}

static void
test_joined_flac (TdFixture *fx, gconstpointer data)
{
  test_joined (fx, "flac");
}

/* PadStreamsToSectors true (IMAPI): each piece starts a sector and the
 * tail of each piece's last sector is silence; with 2-second gaps the
 * same, 150 sectors apart, whatever the property says. */
static void
test_padded (TdFixture *fx, gboolean gaps)
{
  GDBusConnection *c = fx->conn;
  g_autofree gint16 *src = source_samples ();
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree gint16 *expected = NULL;
  g_autoptr(GError) error = NULL;
  guint64 from = 0;
  gint start = 0;
  gint leadout;
  int image;

  if (gaps)
    td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "DisableGaplessAudio", g_variant_new_boolean (TRUE));
  else
    td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors", g_variant_new_boolean (TRUE));
  g_assert_cmpint (td_get_b (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors"), ==, !gaps);
  /* every piece at most 341 sectors: room for them and two pauses */
  expected = g_new0 (gint16, (gsize) 1500 * FRAMES_PER_SECTOR * 2);
  for (guint i = 0; i < N_PIECES; i++)
    {
      g_autofree char *path = write_piece (src, i, "raw");
      g_autofree char *track = NULL;

      g_assert_cmpint (td_add_track (c, creator, path, format_options ("raw"), &track, &error), ==,
                       (gint) i + 1);
      g_assert_no_error (error);
      if (i > 0 && gaps)
        start += 150;
      g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "StartingLba"), ==, start);
      memcpy (expected + (gsize) start * FRAMES_PER_SECTOR * 2, src + from * 2,
              (gsize) pieces[i] * 4);
      from += pieces[i];
      start += (gint) ((pieces[i] + FRAMES_PER_SECTOR - 1) / FRAMES_PER_SECTOR);
    }
  leadout = td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout");
  g_assert_cmpint (leadout, ==, start);
  image = write_image (c, creator);
  assert_program_area (image, leadout, expected, (guint64) leadout * FRAMES_PER_SECTOR);
  close (image);

  /* frozen with the rest of the layout */
  g_assert_false (td_set (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors",
                          g_variant_new_boolean (FALSE), &error));
  td_assert_error (error, "ReadOnly");
}

static void
test_pad_streams (TdFixture *fx, gconstpointer data)
{
  test_padded (fx, FALSE);
}

static void
test_two_second_gaps (TdFixture *fx, gconstpointer data)
{
  test_padded (fx, TRUE);
}

/* The pieces as ranges of one file: options start and length (the last
 * without length: to the end).  Same positions, same samples. */
static void
test_ranges (TdFixture *fx, const char *kind)
{
  GDBusConnection *c = fx->conn;
  g_autofree gint16 *src = source_samples ();
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *path = NULL;
  guint64 before = 0;
  gint leadout;
  int image;

  if (g_str_equal (kind, "flac") && g_find_program_in_path ("flac") == NULL)
    {
      g_test_skip ("flac is not installed");
      return;
    }
  path = write_piece (src, N_PIECES, kind);
  for (guint i = 0; i < N_PIECES; i++)
    {
      g_autoptr(GVariantDict) dict = g_variant_dict_new (format_options (kind));
      g_autofree char *track = NULL;
      g_autoptr(GError) error = NULL;

      g_variant_dict_insert (dict, "start", "t", before);
      if (i + 1 < N_PIECES)
        g_variant_dict_insert (dict, "length", "t", pieces[i]);
      g_assert_cmpint (td_add_track (c, creator, path, g_variant_dict_end (dict), &track, &error),
                       ==, (gint) i + 1);
      g_assert_no_error (error);
      g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "StartingLba"), ==,
                       (gint) (before / FRAMES_PER_SECTOR));
      before += pieces[i];
    }
  leadout = td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout");
  g_assert_cmpint (leadout, ==, 1004);
  image = write_image (c, creator);
  assert_program_area (image, leadout, src, total_frames ());
  close (image);
}

static void
test_ranges_raw (TdFixture *fx, gconstpointer data)
{
  test_ranges (fx, "raw");
}

static void
test_ranges_wav (TdFixture *fx, gconstpointer data)
{
  test_ranges (fx, "wav");
}

static void
test_ranges_flac (TdFixture *fx, gconstpointer data)
{
  test_ranges (fx, "flac");
}

/* AddTrack with `options` must fail with InvalidArgument, its message
 * containing every string of `words`. */
static void
range_fails (GDBusConnection *c, const char *creator, const char *path, GVariant *options,
             const char *const *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (td_add_track (c, creator, path, options, NULL, &error), ==, 0);
  td_assert_error (error, "InvalidArgument");
  g_test_message ("%s", error->message);
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (error->message, words[i]) == NULL)
      g_error ("the message \"%s\" does not say \"%s\"", error->message, words[i]);
}

static GVariant *
range_options_fmt (const char *kind, gint64 start, gint64 length)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (format_options (kind));

  if (start >= 0)
    g_variant_dict_insert (dict, "start", "t", (guint64) start);
  if (length >= 0)
    g_variant_dict_insert (dict, "length", "t", (guint64) length);
  return g_variant_dict_end (dict);
}

static GVariant *
range_options (gint64 start, gint64 length)
{
  return range_options_fmt ("raw", start, length);
}

/* Ranges outside the stream, and ranges that overlap another range of the
 * same file, are refused with the numbers and their times; the session is
 * unchanged.  Another file with the same samples is another stream. */
static void
test_range_errors (TdFixture *fx, gconstpointer data)
{
  GDBusConnection *c = fx->conn;
  g_autofree gint16 *src = source_samples ();
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *path = write_piece (src, N_PIECES, "raw");
  g_autofree char *copy = g_strdup_printf ("%s/gapless-copy.raw", td_tmpdir ());
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  /* 590301 frames = 1003 sectors and 537 frames: 00:13:28 and 537 */
  static const char *const past_start[] = { "590302 frames", "590301 frames (00:13:28 and 537 frames)", NULL };
  static const char *const past_end[] = { "start 400000 frames", "length 190302 frames", "590301", NULL };
  static const char *const overlap[] = { "track 1", "176400 frames (00:04:00)", "200000 frames", NULL };
  static const char *const too_big[] = { "start", NULL };

  range_fails (c, creator, path, range_options ((gint64) total_frames () + 1, -1), past_start);
  range_fails (c, creator, path, range_options (400000, 190302), past_end);
  {
    g_autoptr(GVariantDict) dict = g_variant_dict_new (format_options ("raw"));

    g_variant_dict_insert (dict, "start", "t", G_MAXUINT64);
    range_fails (c, creator, path, g_variant_dict_end (dict), too_big);
  }
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 0);

  g_assert_cmpint (td_add_track (c, creator, path, range_options (0, 200000), NULL, &error), ==, 1);
  g_assert_no_error (error);
  range_fails (c, creator, path, range_options (176400, 200000), overlap);
  /* the same samples in another file are another stream */
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (td_add_track (c, creator, copy, range_options (176400, 200000), NULL, &error),
                   ==, 2);
  g_assert_no_error (error);
  /* what is left of the first file, up to its end: no overlap */
  g_assert_cmpint (td_add_track (c, creator, path, range_options (200000, -1), NULL, &error),
                   ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 3);
}

/* Writes a buffer into a pipe, then closes it. */
typedef struct {
  int     fd;
  GBytes *data;
} Feeder;

static gpointer
feeder_thread (gpointer data)
{
  Feeder *feeder = data;
  gsize len = 0, done = 0;
  const char *buf = g_bytes_get_data (feeder->data, &len);

  while (done < len)
    {
      gssize n = write (feeder->fd, buf + done, len - done);

      if (n <= 0)
        break;   /* EPIPE: the daemon closed its end after its range */
      done += (gsize) n;
    }
  close (feeder->fd);
  return NULL;
}

static gint
add_fd (GDBusConnection *c, const char *creator, int fd, GVariant *options, GError **error)
{
  g_autoptr(GVariant) reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "AddTrack",
                                          g_variant_new ("(uh@a{sv})", 0, 0, options),
                                          G_VARIANT_TYPE ("(io)"), fd, error);
  gint index = 0;

  if (reply != NULL)
    g_variant_get (reply, "(io)", &index, NULL);
  return index;
}

/* A pipe supplies one range: the first AddTrack of it takes frames
 * 0..200016 of a WAV written into it, a second use of the same pipe is
 * refused at once, saying why and naming track 1; the image holds exactly
 * that range. */
static void
test_range_pipe (TdFixture *fx, gconstpointer data)
{
  GDBusConnection *c = fx->conn;
  g_autofree gint16 *src = source_samples ();
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *path = write_piece (src, N_PIECES, "wav");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  static const char *const words[] = { "pipe", "track 1", NULL };
  Feeder feeder;
  GThread *thread;
  gsize len = 0;
  int p[2];
  int image;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_assert_cmpint (pipe2 (p, O_CLOEXEC), ==, 0);
  feeder = (Feeder) { p[1], bytes };
  thread = g_thread_new ("feeder", feeder_thread, &feeder);

  g_assert_cmpint (add_fd (c, creator, p[0], range_options_fmt ("auto", 0, (gint64) pieces[0]), &error),
                   ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (add_fd (c, creator, p[0], range_options_fmt ("auto", (gint64) pieces[0], -1), &error),
                   ==, 0);
  td_assert_error (error, "InvalidArgument");
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (error->message, words[i]) == NULL)
      g_error ("the message \"%s\" does not say \"%s\"", error->message, words[i]);
  g_clear_error (&error);
  close (p[0]);

  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 341);
  image = write_image (c, creator);
  assert_program_area (image, 341, src, pieces[0]);
  close (image);
  /* the daemon lets go of the pipe with the session: the feeder ends */
  {
    g_autoptr(GVariant) reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "Close", NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (reply);
  }
  g_thread_join (thread);
}

/* A stream of 300 sectors less one frame is a valid last track (padded,
 * it plays 300 sectors), but joined to a next one it would play 299: the
 * next AddTrack is TrackTooShort naming track 2; with PadStreamsToSectors
 * it is accepted. */
static void
test_joined_too_short (TdFixture *fx, gconstpointer data)
{
  GDBusConnection *c = fx->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *dir = g_strdup (td_tmpdir ());
  g_autofree char *a = g_build_filename (dir, "short-a.raw", NULL);
  g_autofree char *b = g_build_filename (dir, "short-b.raw", NULL);
  g_autofree char *zeros = g_malloc0 ((gsize) 400 * FRAMES_PER_SECTOR * 4);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (a, zeros, (gssize) 400 * FRAMES_PER_SECTOR * 4, &error);
  g_assert_no_error (error);
  g_file_set_contents (b, zeros, (gssize) (300 * FRAMES_PER_SECTOR - 1) * 4, &error);
  g_assert_no_error (error);

  g_assert_cmpint (td_add_track (c, creator, a, format_options ("raw"), NULL, &error), ==, 1);
  g_assert_cmpint (td_add_track (c, creator, b, format_options ("raw"), NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (td_add_track (c, creator, a, format_options ("raw"), NULL, &error), ==, 0);
  td_assert_error (error, "TrackTooShort");
  if (strstr (error->message, "track 2") == NULL || strstr (error->message, "299") == NULL)
    g_error ("the message \"%s\" does not name track 2 and its 299 sectors", error->message);
  g_clear_error (&error);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 2);

  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors", g_variant_new_boolean (TRUE));
  g_assert_cmpint (td_add_track (c, creator, a, format_options ("raw"), NULL, &error), ==, 3);
  g_assert_no_error (error);
  /* back to joined: track 2 would be too short again, so it is refused */
  g_assert_false (td_set (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors",
                          g_variant_new_boolean (FALSE), &error));
  td_assert_error (error, "TrackTooShort");
  g_assert_true (td_get_b (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors"));
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/gapless/joined/raw", test_joined_raw);
  td_add ("/gapless/joined/wav", test_joined_wav);
  td_add ("/gapless/joined/flac", test_joined_flac);
  td_add ("/gapless/pad-streams", test_pad_streams);
  td_add ("/gapless/two-second-gaps", test_two_second_gaps);
  td_add ("/gapless/joined-too-short", test_joined_too_short);
  td_add ("/gapless/ranges/raw", test_ranges_raw);
  td_add ("/gapless/ranges/wav", test_ranges_wav);
  td_add ("/gapless/ranges/flac", test_ranges_flac);
  td_add ("/gapless/ranges/errors", test_range_errors);
  td_add ("/gapless/ranges/pipe", test_range_pipe);
  return td_run ();
}
