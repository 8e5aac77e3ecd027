/* fuzz-image.c: files and checks the inspector's fuzz targets share
 * (fuzz-image.h). */
#define _GNU_SOURCE
#include "fuzz-image.h"
#include "rc-crc.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAIN_BYTES  2352

int
fuzz_memfd_with (const void *data, gsize len)
{
  int fd = memfd_create ("fuzz-inspect", MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
  return fd;
}

/* Q from a record, with its CRC as the form stores it. */
static void
make_q (const uint8_t *record, gboolean inverted, guint8 q[12])
{
  guint16 crc;

  memcpy (q, record, 10);
  crc = rc_crc16 (q, 10) ^ (inverted ? 0xFFFF : 0);
  if (record[10] & 0x40)
    crc ^= 0x1234;
  q[10] = crc >> 8;
  q[11] = crc & 0xff;
}

GByteArray *
fuzz_pq_only_image (const uint8_t *data, size_t size)
{
  GByteArray *image = g_byte_array_new ();

  for (size_t i = 0; i + FUZZ_RECORD_BYTES <= size; i += FUZZ_RECORD_BYTES)
    {
      guint8 sector[MAIN_BYTES + 16] = { 0 };

      make_q (data + i, FALSE, sector + MAIN_BYTES);
      sector[MAIN_BYTES + 15] = (data[i + 10] & 0x80) ? 0x80 : 0x00;
      g_byte_array_append (image, sector, sizeof sector);
    }
  return image;
}

void
fuzz_bin_and_sub (const uint8_t *data, size_t size, GByteArray *bin, GByteArray *sub)
{
  static const guint8 silence[MAIN_BYTES] = { 0 };
  size_t i = 0;

  while (i + FUZZ_RECORD_BYTES <= size)
    {
      guint8 planar[96] = { 0 };
      const uint8_t *record = data + i;

      i += FUZZ_RECORD_BYTES;
      memset (planar, (record[10] & 0x80) ? 0xFF : 0x00, 12);
      make_q (record, TRUE, planar + 12);
      if ((record[10] & 0x20) && i + FUZZ_RW_BYTES <= size)
        {
          for (guint k = 0; k < FUZZ_RW_BYTES; k++)
            planar[24 + k] = data[i + k];
          i += FUZZ_RW_BYTES;
        }
      g_byte_array_append (bin, silence, sizeof silence);
      g_byte_array_append (sub, planar, sizeof planar);
    }
}

void
fuzz_check_report (const RcInspectReport *report)
{
  guint counted = 0;

  g_assert_cmpuint (report->problems->len, <=, RC_INSPECT_DEFAULT_MAX_PROBLEMS);
  g_assert_cmpuint (report->problems->len, <=, report->n_problems);
  for (guint c = 0; c < RC_INSPECT_N_CHECKS; c++)
    counted += report->counts[c];
  g_assert_cmpuint (counted, ==, report->n_problems);
  for (guint i = 0; i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      g_assert_nonnull (p->message);
      g_assert_true (g_utf8_validate (p->message, -1, NULL));
      g_assert_nonnull (rc_inspect_check_name (p->check));
    }
  g_assert_nonnull (report->format);
  g_assert_true (g_utf8_validate (report->format, -1, NULL));
  /* a damaged image may name any track in any order: the inspector
   * follows the first 2 x 99 track changes, and the report stays bounded */
  g_assert_cmpuint (report->n_tracks, <=, 2 * RC_MAX_TRACK_NUMBER);
  for (guint t = 0; t < report->n_tracks; t++)
    {
      const RcInspectTrack *track = &report->tracks[t];

      g_assert_cmpuint (track->n_indexes, <=, RC_MAX_INDEXES);
      g_assert_true (g_utf8_validate (track->isrc, -1, NULL));
    }
  g_assert_true (g_utf8_validate (report->mcn, -1, NULL));
  if (report->cdtext != NULL)
    for (guint e = 0; e < report->cdtext->n_entries; e++)
      g_assert_true (g_utf8_validate (report->cdtext->entries[e].text, -1, NULL));
}
