/* fuzz-clonecd.c: the CloneCD control-file reader (rc-inspect-clonecd.c)
 * as InspectImage runs it on a client's .ccd (option clonecd_control),
 * with the .img and .sub it describes.
 *
 * Input: a 16-bit little-endian length of the control file, the control
 * file, then Q records as fuzz-image.h makes an .img and its .sub from
 * (valid CRCs, so that the TOC entries and indexes are compared with
 * tracks the Q really has).  Whatever the control file holds, the report
 * passes fuzz_check_report(): bounded, counted, every message and every
 * CD-TEXT string decoded from its [CDText] packs UTF-8.
 */
#include "fuzz.h"
#include "fuzz-image.h"

#include <unistd.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(RcInspectReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) img = g_byte_array_new ();
  g_autoptr(GByteArray) sub = g_byte_array_new ();
  size_t len;
  int img_fd, sub_fd;

  if (size < 2)
    return 0;
  len = MIN ((size_t) (data[0] | data[1] << 8), size - 2);
  fuzz_bin_and_sub (data + 2 + len, size - 2 - len, img, sub);
  img_fd = fuzz_memfd_with (img->data, img->len);
  sub_fd = fuzz_memfd_with (sub->data, sub->len);

  report = rc_inspect_clonecd (img_fd, sub_fd, (const char *) data + 2, len, NULL, NULL, NULL, NULL,
                               &error);
  if (report == NULL)
    {
      /* not an .img and .sub the inspector takes: a named error */
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      g_assert_no_error (error);
      fuzz_check_report (report);
    }
  close (img_fd);
  close (sub_fd);
  return 0;
}
