/* test-formats.c: the forms CreateResultImage writes (imapi, cue, toc,
 * clonecd with its .sub).  Expected data files are derived here from the
 * full image the daemon writes for the same disc: its main channel from
 * LBA 0, big-endian for the TOC, its subchannel de-interleaved for the
 * .sub.  Then the requests that must be refused.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The BIN (or .img) is the full image's main channel from LBA 0 to the
 * lead-out. */
static void
assert_bin_is_main_channel (int bin, int full, gint leadout)
{
  g_autoptr(GMappedFile) bin_map = td_map_fd (bin);
  g_autoptr(GMappedFile) full_map = td_map_fd (full);
  const guint8 *b = (const guint8 *) g_mapped_file_get_contents (bin_map);
  const guint8 *f = (const guint8 *) g_mapped_file_get_contents (full_map);

  g_assert_cmpuint (g_mapped_file_get_length (bin_map), ==, (gsize) leadout * TD_AUDIO_SECTOR);
  for (gint lba = 0; lba < leadout; lba++)
    if (memcmp (b + (gsize) lba * TD_AUDIO_SECTOR,
                f + (gsize) (lba + 22650) * TD_FULL_SECTOR, TD_AUDIO_SECTOR) != 0)
      g_error ("the data file's sector %d differs from the full image's LBA %d", lba, lba);
}

/* The TOC's data file: the full image's main channel from LBA 0 with
 * big-endian samples, each sector followed, with R-W (RW_RAW), by the full
 * IS_RAW image's 96 subchannel bytes. */
static void
assert_toc_data (int toc, int full, gint leadout, gboolean rw_raw)
{
  g_autoptr(GMappedFile) toc_map = td_map_fd (toc);
  g_autoptr(GMappedFile) full_map = td_map_fd (full);
  const guint8 *t = (const guint8 *) g_mapped_file_get_contents (toc_map);
  const guint8 *f = (const guint8 *) g_mapped_file_get_contents (full_map);
  gsize block = rw_raw ? TD_FULL_SECTOR : TD_AUDIO_SECTOR;

  g_assert_cmpuint (g_mapped_file_get_length (toc_map), ==, (gsize) leadout * block);
  for (gint lba = 0; lba < leadout; lba++)
    {
      const guint8 *b = t + (gsize) lba * block;
      const guint8 *s = f + (gsize) (lba + 22650) * TD_FULL_SECTOR;

      for (guint i = 0; i < TD_AUDIO_SECTOR; i += 2)
        if (b[i] != s[i + 1] || b[i + 1] != s[i])
          g_error ("the TOC data file's sector %d is not the full image's LBA %d big-endian",
                   lba, lba);
      if (rw_raw && memcmp (b + TD_AUDIO_SECTOR, s + TD_AUDIO_SECTOR, TD_SUB_SECTOR) != 0)
        g_error ("the TOC data file's block %d has not the full image's subchannel", lba);
    }
}

/* The .sub is the full IS_RAW image's subchannel from LBA 0, de-interleaved
 * into P, Q, R..W, 12 bytes each. */
static void
assert_sub_is_subchannel (int sub, int full, gint leadout)
{
  g_autoptr(GMappedFile) sub_map = td_map_fd (sub);
  g_autoptr(GMappedFile) full_map = td_map_fd (full);
  const guint8 *s = (const guint8 *) g_mapped_file_get_contents (sub_map);
  const guint8 *f = (const guint8 *) g_mapped_file_get_contents (full_map);

  g_assert_cmpuint (g_mapped_file_get_length (sub_map), ==, (gsize) leadout * TD_SUB_SECTOR);
  for (gint lba = 0; lba < leadout; lba++)
    {
      const guint8 *in = f + (gsize) (lba + 22650) * TD_FULL_SECTOR + TD_AUDIO_SECTOR;
      guint8 planar[TD_SUB_SECTOR] = { 0 };

      for (guint n = 0; n < TD_SUB_SECTOR; n++)
        for (guint ch = 0; ch < 8; ch++)
          if (in[n] & (0x80 >> ch))
            planar[12 * ch + n / 8] |= (guint8) (0x80 >> (n % 8));
      if (memcmp (planar, s + (gsize) lba * TD_SUB_SECTOR, TD_SUB_SECTOR) != 0)
        g_error (".sub sector %d is not the full image's subchannel de-interleaved", lba);
    }
}

static void
test_format_cue_toc (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_side_disc (c);
  int full = td_memfd ("full"), cue = td_memfd ("cue"), toc = td_memfd ("toc");
  int imapi = td_memfd ("imapi");

  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "StartOfLeadout"), ==, TD_SIDE_LEADOUT);
  g_assert_cmpuint (td_write_image (c, creator, NULL, full, -1), ==, 22650 + TD_SIDE_LEADOUT + 6750);
  g_assert_cmpuint (td_write_image (c, creator, "imapi", imapi, -1), ==, 22650 + TD_SIDE_LEADOUT + 6750);
  td_assert_fds_equal (full, imapi, TD_FULL_SECTOR);
  g_assert_cmpuint (td_write_image (c, creator, "cue", cue, -1), ==, TD_SIDE_LEADOUT);
  g_assert_cmpuint (td_write_image (c, creator, "toc", toc, -1), ==, TD_SIDE_LEADOUT);

  assert_bin_is_main_channel (cue, full, TD_SIDE_LEADOUT);
  assert_toc_data (toc, full, TD_SIDE_LEADOUT, FALSE);
  close (full);
  close (imapi);
  close (cue);
  close (toc);
}

/* With R-W data the TOC's data file holds RW_RAW blocks: big-endian audio
 * and the IS_RAW subchannel, whatever ResultingImageType is. */
static void
test_format_toc_rw (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_side_disc (c);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  int rw = td_rw_memfd (22650 + TD_SIDE_LEADOUT + 6750);
  int full = td_memfd ("full"), toc = td_memfd ("toc");

  reply = td_add_rw (c, creator, rw, &error);
  g_assert_no_error (error);
  td_write_image (c, creator, NULL, full, -1);
  g_assert_cmpuint (td_write_image (c, creator, "toc", toc, -1), ==, TD_SIDE_LEADOUT);
  assert_toc_data (toc, full, TD_SIDE_LEADOUT, TRUE);
  close (rw);
  close (full);
  close (toc);
}

static void
test_format_clonecd (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_side_disc (c);
  int full = td_memfd ("full"), img = td_memfd ("img"), sub = td_memfd ("sub");

  td_write_image (c, creator, NULL, full, -1);
  g_assert_cmpuint (td_write_image (c, creator, "clonecd", img, sub), ==, TD_SIDE_LEADOUT);
  g_assert_cmpint (td_fd_size (sub), ==, (gint64) TD_SIDE_LEADOUT * TD_SUB_SECTOR);
  assert_bin_is_main_channel (img, full, TD_SIDE_LEADOUT);
  assert_sub_is_subchannel (sub, full, TD_SIDE_LEADOUT);
  close (full);
  close (img);
  close (sub);
}

/* The sub stays IS_RAW for a PQ_ONLY disc; the .img is the BIN. */
static void
test_format_clonecd_pq (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *pq = td_create_session (c, NULL);
  g_autofree char *raw = td_create_session (c, NULL);
  int full = td_memfd ("full"), img = td_memfd ("img"), sub = td_memfd ("sub");

  td_set_ok (c, pq, RAWCD_IFACE_CREATOR, "ResultingImageType", g_variant_new_uint32 (1));
  td_add_track_ok (c, pq, "e5.wav", NULL);
  td_add_track_ok (c, raw, "e5.wav", NULL);
  td_write_image (c, raw, NULL, full, -1);
  td_write_image (c, pq, "clonecd", img, sub);
  assert_bin_is_main_channel (img, full, 375);
  assert_sub_is_subchannel (sub, full, 375);
  close (full);
  close (img);
  close (sub);
}

/* CreateResultImage requests that must be refused: the format option
 * (NULL: none), the subchannel descriptor passed, the error and a word its
 * message must hold (NULL: any). */
typedef enum { SUB_NONE, SUB_WRITABLE, SUB_READ_ONLY } SubchannelGiven;
typedef struct {
  const char      *format;
  SubchannelGiven  subchannel;
  const char      *name;
  const char      *in_message;
} FormatRefusal;

static const FormatRefusal format_refusals[] = {
  /* an unknown format, named */
  { "iso", SUB_NONE, "InvalidArgument", "iso" },
  /* names are lower case */
  { "CUE", SUB_NONE, "InvalidArgument", NULL },
  /* clonecd needs its .sub ... */
  { "clonecd", SUB_NONE, "InvalidArgument", "subchannel" },
  /* ... the other formats take none */
  { "cue", SUB_WRITABLE, "InvalidArgument", "subchannel" },
  { NULL, SUB_WRITABLE, "InvalidArgument", "subchannel" },
  /* a .sub that cannot be written */
  { "clonecd", SUB_READ_ONLY, "InvalidArgument", "subchannel" },
};

static void
test_format_errors (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  int out = td_memfd ("out"), sub = td_memfd ("sub");
  int readonly = open ("/dev/null", O_RDONLY | O_CLOEXEC);

  td_add_track_ok (c, creator, "e5.wav", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (format_refusals); i++)
    {
      const FormatRefusal *r = &format_refusals[i];
      int with = r->subchannel == SUB_WRITABLE ? sub : r->subchannel == SUB_READ_ONLY ? readonly : -1;

      g_test_message ("format %s, subchannel %d", r->format, r->subchannel);
      td_create_image_fails (c, creator, r->format, out, with, r->name, r->in_message);
    }
  /* Wrong type of the option */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply = NULL;
    GVariantBuilder options;

    g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add (&options, "{sv}", "format", g_variant_new_uint32 (1));
    reply = td_call_fd (c, creator, RAWCD_IFACE_CREATOR, "CreateResultImage",
                        g_variant_new ("(h@a{sv})", 0, g_variant_builder_end (&options)),
                        G_VARIANT_TYPE ("(o)"), out, &error);
    g_assert_null (reply);
    td_assert_error (error, "InvalidArgument");
  }
  g_assert_cmpint (td_fd_size (out), ==, 0);
  g_assert_cmpint (td_fd_size (sub), ==, 0);

  /* None of that froze the layout */
  td_add_track_ok (c, creator, "e5.wav", NULL);
  close (out);
  close (sub);
  close (readonly);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/outputs/format/cue-toc", test_format_cue_toc);
  td_add ("/daemon/outputs/format/toc-rw", test_format_toc_rw);
  td_add ("/daemon/outputs/format/clonecd", test_format_clonecd);
  td_add ("/daemon/outputs/format/clonecd-pq-only", test_format_clonecd_pq);
  td_add ("/daemon/outputs/format/errors", test_format_errors);
  return td_run ();
}
