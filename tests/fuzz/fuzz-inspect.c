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
#include "fuzz.h"
#include "fuzz-image.h"

#include <unistd.h>

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
      image_fd = fuzz_memfd_with (data + 1, size - 1);
      break;
    case 1:
      {
        g_autoptr(GByteArray) image = fuzz_pq_only_image (data + 1, size - 1);

        image_fd = fuzz_memfd_with (image->data, image->len);
      }
      break;
    default:
      {
        g_autoptr(GByteArray) bin = g_byte_array_new ();
        g_autoptr(GByteArray) sub = g_byte_array_new ();

        fuzz_bin_and_sub (data + 1, size - 1, bin, sub);
        image_fd = fuzz_memfd_with (bin->data, bin->len);
        sub_fd = fuzz_memfd_with (sub->data, sub->len);
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
      fuzz_check_report (report);
    }
  close (image_fd);
  if (sub_fd >= 0)
    close (sub_fd);
  return 0;
}
