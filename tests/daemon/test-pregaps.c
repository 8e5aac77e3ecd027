/* test-pregaps.c: per-track pregaps (Track Pregap and PregapAudio) and
 * postgaps through the real daemon.
 *
 * Three headerless tracks of known samples, 1000, 500 and 400 sectors,
 * gapless; track 1 gets a 30-sector postgap, track 2 a pregap of 75
 * sectors of inserted silence, track 3 its own first 100 sectors as its
 * pregap.  Worked out by hand (docs/cd-format.md §5): track 1's audio
 * 0..999 and its postgap 1000..1029; track 2's index 0 1030..1104
 * (silence), index 1 from 1105, its audio 1105..1604; track 3's audio from
 * 1605, index 0 1605..1704, index 1 from 1705; the lead-out at 2005.  The
 * image must have every sample there and silence elsewhere, its Q channel
 * the track and index of each of those sectors, and the CUE sheet the
 * INDEX lines at those times.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <string.h>
#include <unistd.h>

#define FRAMES_PER_SECTOR 588

static const guint track_sectors[] = { 1000, 500, 400 };
static const gint audio_lba[] = { 0, 1105, 1605 };

/* The samples of track k, frame f, channel c: different in every track. */
static gint16
sample (guint k, guint64 f, guint c)
{
  guint32 x = (guint32) (f * 2 + c) * 2654435761u ^ (k + 1) * 40503u;

  return (gint16) (x >> 13);
}

static char *
write_track (guint k)
{
  g_autoptr(GError) error = NULL;
  guint64 frames = (guint64) track_sectors[k] * FRAMES_PER_SECTOR;
  g_autofree guint8 *data = g_malloc (frames * 4);
  char *path = g_strdup_printf ("%s/pregaps-%u.raw", td_tmpdir (), k);

  for (guint64 f = 0; f < frames; f++)
    for (guint c = 0; c < 2; c++)
      {
        guint16 v = (guint16) sample (k, f, c);

        data[4 * f + 2 * c] = v & 0xff;
        data[4 * f + 2 * c + 1] = v >> 8;
      }
  g_file_set_contents (path, (const char *) data, (gssize) (frames * 4), &error);
  g_assert_no_error (error);
  return path;
}

static GVariant *
raw_options (void)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);

  g_variant_dict_insert (dict, "format", "s", "raw");
  return g_variant_dict_end (dict);
}

/* The disc described above; tracks[k] its Track objects. */
static char *
build_disc (GDBusConnection *c, char *tracks[3])
{
  char *creator = td_create_session (c, NULL);

  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *path = write_track (k);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (td_add_track (c, creator, path, raw_options (), &tracks[k], &error), ==,
                       (gint) k + 1);
      g_assert_no_error (error);
    }
  td_set_ok (c, tracks[0], RAWCD_IFACE_TRACK, "Postgap", g_variant_new_int32 (30));
  td_set_ok (c, tracks[1], RAWCD_IFACE_TRACK, "Pregap", g_variant_new_int32 (75));
  td_set_ok (c, tracks[1], RAWCD_IFACE_TRACK, "PregapAudio", g_variant_new_string ("silence"));
  td_set_ok (c, tracks[2], RAWCD_IFACE_TRACK, "Pregap", g_variant_new_int32 (100));
  td_set_ok (c, tracks[2], RAWCD_IFACE_TRACK, "PregapAudio", g_variant_new_string ("own"));
  return creator;
}

static void
assert_track (GDBusConnection *c, const char *track, gint start, gint count, gint pregap,
              const char *audio, gint postgap)
{
  g_autofree char *got_audio = td_get_s (c, track, RAWCD_IFACE_TRACK, "PregapAudio");

  g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "StartingLba"), ==, start);
  g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "SectorCount"), ==, count);
  g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "Pregap"), ==, pregap);
  g_assert_cmpstr (got_audio, ==, audio);
  g_assert_cmpint (td_get_i (c, track, RAWCD_IFACE_TRACK, "Postgap"), ==, postgap);
}

static void
test_properties (TdFixture *fx, gconstpointer data)
{
  GDBusConnection *c = fx->conn;
  char *tracks[3] = { NULL };
  g_autofree char *creator = build_disc (c, tracks);

  assert_track (c, tracks[0], 0, 1030, 150, "silence", 30);
  assert_track (c, tracks[1], 1105, 500, 75, "silence", 0);
  assert_track (c, tracks[2], 1705, 300, 100, "own", 0);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 2005);
  for (guint k = 0; k < 3; k++)
    g_free (tracks[k]);
}

/* Bad values are named errors that leave the disc as it was. */
static void
test_errors (TdFixture *fx, gconstpointer data)
{
  GDBusConnection *c = fx->conn;
  char *tracks[3] = { NULL };
  g_autofree char *creator = build_disc (c, tracks);

  td_set_fails (c, tracks[0], RAWCD_IFACE_TRACK, "Pregap", g_variant_new_int32 (10),
                "InvalidArgument", "first track");
  td_set_fails (c, tracks[0], RAWCD_IFACE_TRACK, "PregapAudio", g_variant_new_string ("own"),
                "InvalidArgument", "first track");
  td_set_fails (c, tracks[1], RAWCD_IFACE_TRACK, "PregapAudio", g_variant_new_string ("loud"),
                "InvalidArgument", "loud");
  td_set_fails (c, tracks[1], RAWCD_IFACE_TRACK, "Pregap", g_variant_new_int32 (-5),
                "InvalidArgument", "-5");
  td_set_fails (c, tracks[1], RAWCD_IFACE_TRACK, "Postgap", g_variant_new_int32 (400000),
                "InvalidArgument", "400000");
  /* own 250 would leave track 3 150 sectors to play */
  td_set_fails (c, tracks[2], RAWCD_IFACE_TRACK, "Pregap", g_variant_new_int32 (250),
                "TrackTooShort", "track 3");
  /* taken from before it, 1025 sectors would start 5 sectors after track 1's index 1 */
  td_set_ok (c, tracks[1], RAWCD_IFACE_TRACK, "PregapAudio", g_variant_new_string ("previous"));
  td_set_fails (c, tracks[1], RAWCD_IFACE_TRACK, "Pregap", g_variant_new_int32 (1025),
                "TrackTooShort", "track 2");
  td_set_ok (c, tracks[1], RAWCD_IFACE_TRACK, "PregapAudio", g_variant_new_string ("silence"));
  /* past the lead-out limit */
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadoutLimit", g_variant_new_int32 (2100));
  td_set_fails (c, tracks[1], RAWCD_IFACE_TRACK, "Postgap", g_variant_new_int32 (100),
                "InsufficientSpace", NULL);
  assert_track (c, tracks[1], 1105, 500, 75, "silence", 0);
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, 2005);

  /* frozen with the image */
  {
    int out = td_memfd ("out");

    td_write_image (c, creator, NULL, out, -1);
    close (out);
  }
  td_set_fails (c, tracks[1], RAWCD_IFACE_TRACK, "Pregap", g_variant_new_int32 (10), "ReadOnly", NULL);
  td_set_fails (c, tracks[1], RAWCD_IFACE_TRACK, "PregapAudio", g_variant_new_string ("own"),
                "ReadOnly", NULL);
  td_set_fails (c, tracks[0], RAWCD_IFACE_TRACK, "Postgap", g_variant_new_int32 (0), "ReadOnly", NULL);
  for (guint k = 0; k < 3; k++)
    g_free (tracks[k]);
}

/* Q of an IS_RAW sector: bit 6 of each of the 96 subchannel bytes. */
static void
sector_q (const guint8 *sub, guint8 q[12])
{
  memset (q, 0, 12);
  for (guint n = 0; n < 96; n++)
    if (sub[n] & 0x40)
      q[n / 8] |= (guint8) (0x80 >> (n % 8));
}

static guint
bcd (guint8 v)
{
  return (v >> 4) * 10 + (v & 15);
}

/* The track and index the Q channel of lba gives (mode 1: no MCN or ISRC
 * on this disc). */
static void
assert_q (const guint8 *image, gint lba, guint track, guint index)
{
  const guint8 *sector = image + (gsize) (lba + TD_LEADIN_SECTORS) * TD_FULL_SECTOR;
  guint8 q[12];

  sector_q (sector + TD_AUDIO_SECTOR, q);
  if ((q[0] & 0x0f) != 1 || bcd (q[1]) != track || bcd (q[2]) != index)
    g_error ("LBA %d: Q says ADR %u track %u index %u, expected track %u index %u", lba,
             q[0] & 0x0f, bcd (q[1]), bcd (q[2]), track, index);
}

static void
test_image (TdFixture *fx, gconstpointer data)
{
  GDBusConnection *c = fx->conn;
  char *tracks[3] = { NULL };
  g_autofree char *creator = build_disc (c, tracks);
  g_autoptr(GMappedFile) map = NULL;
  const guint8 *image;
  int out = td_memfd ("out");
  static const struct { gint lba; guint track, index; } q_checks[] = {
    { 0, 1, 1 }, { 999, 1, 1 }, { 1029, 1, 1 }, { 1030, 2, 0 }, { 1104, 2, 0 }, { 1105, 2, 1 },
    { 1604, 2, 1 }, { 1605, 3, 0 }, { 1704, 3, 0 }, { 1705, 3, 1 }, { 2004, 3, 1 },
  };

  td_write_image (c, creator, NULL, out, -1);
  map = td_map_fd (out);
  image = (const guint8 *) g_mapped_file_get_contents (map);
  g_assert_cmpuint (g_mapped_file_get_length (map), ==,
                    (gsize) (TD_LEADIN_SECTORS + 2005 + TD_LEADOUT_SECTORS) * TD_FULL_SECTOR);

  for (gint lba = 0; lba < 2005; lba++)
    {
      const guint8 *main = image + (gsize) (lba + TD_LEADIN_SECTORS) * TD_FULL_SECTOR;
      gint k = -1;

      for (guint t = 0; t < 3; t++)
        if (lba >= audio_lba[t] && lba < audio_lba[t] + (gint) track_sectors[t])
          k = (gint) t;
      for (guint f = 0; f < FRAMES_PER_SECTOR; f++)
        for (guint ch = 0; ch < 2; ch++)
          {
            gint16 got = (gint16) (main[4 * f + 2 * ch] | main[4 * f + 2 * ch + 1] << 8);
            gint16 want = k < 0 ? 0
                          : sample ((guint) k, (guint64) (lba - audio_lba[k]) * FRAMES_PER_SECTOR + f, ch);

            if (got != want)
              g_error ("LBA %d frame %u channel %u: found %d, expected %d (%s)", lba, f, ch, got,
                       want, k < 0 ? "silence" : "track audio");
          }
    }
  for (guint i = 0; i < G_N_ELEMENTS (q_checks); i++)
    assert_q (image, q_checks[i].lba, q_checks[i].track, q_checks[i].index);
  close (out);
  for (guint k = 0; k < 3; k++)
    g_free (tracks[k]);
}

/* The CUE sheet gives the same positions: INDEX 00 and 01 of tracks 2
 * and 3 at 1030 (00:13:55), 1105 (00:14:55), 1605 (00:21:30) and 1705
 * (00:22:55). */
static void
test_cue_sheet (TdFixture *fx, gconstpointer data)
{
  GDBusConnection *c = fx->conn;
  char *tracks[3] = { NULL };
  g_autofree char *creator = build_disc (c, tracks);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) files = NULL;
  g_autoptr(GVariant) cue = NULL;
  g_autofree char *text = NULL;
  const char *data_ptr;
  gsize len = 0;
  static const char *const lines[] = {
    "    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n",
    "    INDEX 00 00:13:55\n    INDEX 01 00:14:55\n  TRACK 03 AUDIO\n",
    "    INDEX 00 00:21:30\n    INDEX 01 00:22:55\n",
  };

  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "GetSideFiles",
                   g_variant_new ("(ss@a{sv})", "cue", "disc.bin", td_no_options ()),
                   G_VARIANT_TYPE ("(a{say})"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(@a{say})", &files);
  cue = g_variant_lookup_value (files, "cue", G_VARIANT_TYPE_BYTESTRING);
  g_assert_nonnull (cue);
  data_ptr = g_variant_get_fixed_array (cue, &len, 1);
  text = g_strndup (data_ptr, len);
  g_test_message ("%s", text);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if (strstr (text, lines[i]) == NULL)
      g_error ("the CUE sheet lacks\n%s\nin:\n%s", lines[i], text);
  for (guint k = 0; k < 3; k++)
    g_free (tracks[k]);
}

/* PregapStart: index 0 at the sector holding a frame of the previous
 * track's audio.  Track 1 plays 440,900 frames (750 sectors less 100
 * frames), track 2 400 sectors; index 0 at frame 352,800 (sector 600).
 * Sample-exact (the default), track 2's first sample lies in sector 749,
 * so its pregap is 149 sectors; with PadStreamsToSectors track 1 is padded
 * to 750 sectors and the pregap is 150: index 0 stays at LBA 600. */
static char *
write_raw (const char *name, guint64 frames)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = g_malloc0 (frames * 4);
  char *path = g_strdup_printf ("%s/%s", td_tmpdir (), name);

  for (guint64 f = 0; f < frames; f++)
    data[4 * f] = (guint8) (f * 7 + 1);
  g_file_set_contents (path, (const char *) data, (gssize) (frames * 4), &error);
  g_assert_no_error (error);
  return path;
}

static gint64
get_x (GDBusConnection *c, const char *path, const char *prop)
{
  g_autoptr(GVariant) value = td_get_value (c, path, RAWCD_IFACE_TRACK, prop, "x");

  return g_variant_get_int64 (value);
}

static void
test_pregap_start (TdFixture *fx, gconstpointer data)
{
  GDBusConnection *c = fx->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autofree char *one = write_raw ("start-1.raw", 750 * FRAMES_PER_SECTOR - 100);
  g_autofree char *two = write_raw ("start-2.raw", 400 * FRAMES_PER_SECTOR);
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *audio = NULL;

  g_assert_cmpint (td_add_track (c, creator, one, raw_options (), &t1, &error), ==, 1);
  g_assert_cmpint (td_add_track (c, creator, two, raw_options (), &t2, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (get_x (c, t2, "PregapStart"), ==, -1);

  td_set_ok (c, t2, RAWCD_IFACE_TRACK, "PregapStart", g_variant_new_int64 (600 * FRAMES_PER_SECTOR));
  g_assert_cmpint (get_x (c, t2, "PregapStart"), ==, 600 * FRAMES_PER_SECTOR);
  audio = td_get_s (c, t2, RAWCD_IFACE_TRACK, "PregapAudio");
  g_assert_cmpstr (audio, ==, "previous");
  g_assert_cmpint (td_get_i (c, t2, RAWCD_IFACE_TRACK, "StartingLba"), ==, 749);
  g_assert_cmpint (td_get_i (c, t2, RAWCD_IFACE_TRACK, "Pregap"), ==, 149);

  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors", g_variant_new_boolean (TRUE));
  g_assert_cmpint (td_get_i (c, t2, RAWCD_IFACE_TRACK, "StartingLba"), ==, 750);
  g_assert_cmpint (td_get_i (c, t2, RAWCD_IFACE_TRACK, "Pregap"), ==, 150);
  td_set_ok (c, creator, RAWCD_IFACE_CREATOR, "PadStreamsToSectors", g_variant_new_boolean (FALSE));

  /* the last frame's sector: no index 0 left; the end itself is allowed */
  td_set_ok (c, t2, RAWCD_IFACE_TRACK, "PregapStart",
             g_variant_new_int64 (750 * FRAMES_PER_SECTOR - 100));
  g_assert_cmpint (td_get_i (c, t2, RAWCD_IFACE_TRACK, "Pregap"), ==, 0);

  /* refused, and nothing changes */
  td_set_fails (c, t2, RAWCD_IFACE_TRACK, "PregapStart",
                g_variant_new_int64 (750 * FRAMES_PER_SECTOR - 99), "InvalidArgument", "past the end");
  td_set_fails (c, t2, RAWCD_IFACE_TRACK, "PregapStart", g_variant_new_int64 (-2),
                "InvalidArgument", "-2");
  td_set_fails (c, t1, RAWCD_IFACE_TRACK, "PregapStart", g_variant_new_int64 (0),
                "InvalidArgument", "first track");
  /* index 0 within 10 sectors of track 1's index 1 */
  td_set_fails (c, t2, RAWCD_IFACE_TRACK, "PregapStart", g_variant_new_int64 (5 * FRAMES_PER_SECTOR),
                "TrackTooShort", NULL);
  g_assert_cmpint (get_x (c, t2, "PregapStart"), ==, 750 * FRAMES_PER_SECTOR - 100);
  g_assert_cmpint (td_get_i (c, t2, RAWCD_IFACE_TRACK, "Pregap"), ==, 0);

  /* Pregap written last decides */
  td_set_ok (c, t2, RAWCD_IFACE_TRACK, "Pregap", g_variant_new_int32 (50));
  g_assert_cmpint (get_x (c, t2, "PregapStart"), ==, -1);
  g_assert_cmpint (td_get_i (c, t2, RAWCD_IFACE_TRACK, "Pregap"), ==, 50);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/pregaps/properties", test_properties);
  td_add ("/pregaps/errors", test_errors);
  td_add ("/pregaps/image", test_image);
  td_add ("/pregaps/cue-sheet", test_cue_sheet);
  td_add ("/pregaps/pregap-start", test_pregap_start);
  return td_run ();
}
