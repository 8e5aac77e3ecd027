/* fuzz-inspect.c: the image inspector (rc_inspect_fd), as InspectImage
 * runs it on a client's file.
 *
 * Input: one mode byte, then the rest.
 *   mode 0: the rest is the image file itself (sector size guessed from
 *           the size and the Q CRCs, as for any file a client passes).
 *   mode 1: a PQ_ONLY image made from 11-byte records, one per sector:
 *           Q[0..9], then a flags byte (0x80 P set, 0x40 keep a wrong CRC).
 *           The CRC is made valid, so the inspector's reconstruction of
 *           tracks, indexes, TOC, MCN and ISRC is reached, not just its
 *           sector-format detection.
 *   mode 2: a BIN and a planar .sub from records of 11 bytes as in mode 1,
 *           and with flags 0x20 also 72 bytes of R-W (CD-TEXT in the
 *           lead-in, R-W generator data elsewhere).
 * Files are memfds, as a client's descriptor may be.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "rc-crc.h"
#include "rc-inspect.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define RECORD      11
#define MAIN_BYTES  2352
#define RW_BYTES    72

static int
memfd_with (const void *data, gsize len)
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

static GByteArray *
pq_only_image (const uint8_t *data, size_t size)
{
  GByteArray *image = g_byte_array_new ();

  for (size_t i = 0; i + RECORD <= size; i += RECORD)
    {
      guint8 sector[MAIN_BYTES + 16] = { 0 };

      make_q (data + i, FALSE, sector + MAIN_BYTES);
      sector[MAIN_BYTES + 15] = (data[i + 10] & 0x80) ? 0x80 : 0x00;
      g_byte_array_append (image, sector, sizeof sector);
    }
  return image;
}

static void
bin_and_sub (const uint8_t *data, size_t size, GByteArray *bin, GByteArray *sub)
{
  static const guint8 silence[MAIN_BYTES] = { 0 };
  size_t i = 0;

  while (i + RECORD <= size)
    {
      guint8 planar[96] = { 0 };
      const uint8_t *record = data + i;

      i += RECORD;
      memset (planar, (record[10] & 0x80) ? 0xFF : 0x00, 12);
      make_q (record, TRUE, planar + 12);
      if ((record[10] & 0x20) && i + RW_BYTES <= size)
        {
          for (guint k = 0; k < RW_BYTES; k++)
            planar[24 + k] = data[i + k];
          i += RW_BYTES;
        }
      g_byte_array_append (bin, silence, sizeof silence);
      g_byte_array_append (sub, planar, sizeof planar);
    }
}

static void
check_report (const RcInspectReport *report)
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

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(RcInspectReport) report = NULL;
  g_autoptr(GError) error = NULL;
  int image_fd = -1;
  int sub_fd = -1;

  if (size < 1)
    return 0;
  switch (data[0] % 3)
    {
    case 0:
      image_fd = memfd_with (data + 1, size - 1);
      break;
    case 1:
      {
        g_autoptr(GByteArray) image = pq_only_image (data + 1, size - 1);

        image_fd = memfd_with (image->data, image->len);
      }
      break;
    default:
      {
        g_autoptr(GByteArray) bin = g_byte_array_new ();
        g_autoptr(GByteArray) sub = g_byte_array_new ();

        bin_and_sub (data + 1, size - 1, bin, sub);
        image_fd = memfd_with (bin->data, bin->len);
        sub_fd = memfd_with (sub->data, sub->len);
      }
      break;
    }

  report = rc_inspect_fd (image_fd, sub_fd, NULL, NULL, NULL, NULL, &error);
  if (report == NULL)
    {
      /* not an image: a named error that says so */
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      g_assert_no_error (error);
      check_report (report);
    }
  close (image_fd);
  if (sub_fd >= 0)
    close (sub_fd);
  return 0;
}
