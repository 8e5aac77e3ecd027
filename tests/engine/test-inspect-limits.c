/* test-inspect-limits.c: what the inspector refuses before reading
 * (rc_inspect_check_sizes(), issue 11).
 *
 * The bound is worked out by hand from the format: a full image runs from
 * 95:00:00 (LBA -22650) and no Q names a sector after 99:59:74 (LBA
 * 449849), so 472500 sectors at most: 1,156,680,000 bytes of 2448-byte
 * sectors, 1,111,320,000 of BIN, 45,360,000 of .sub.
 */
#define _GNU_SOURCE
#include "rc-error.h"
#include "rc-inspect.h"

#include <sys/mman.h>
#include <unistd.h>

#define MAX_IMAGE G_GUINT64_CONSTANT (1156680000)
#define MAX_BIN   G_GUINT64_CONSTANT (1111320000)
#define MAX_SUB   G_GUINT64_CONSTANT (45360000)

static void
assert_too_large (const GError *error, const char *what)
{
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, what));
  g_assert_nonnull (strstr (error->message, "larger than any CD's"));
}

static void
test_bounds (void)
{
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;

  g_assert_true (rc_inspect_check_sizes (MAX_IMAGE, FALSE, 0, NULL));
  g_assert_false (rc_inspect_check_sizes (MAX_IMAGE + 1, FALSE, 0, &e1));
  assert_too_large (e1, "the image is 1156680001 bytes");
  g_assert_true (rc_inspect_check_sizes (MAX_BIN, TRUE, MAX_SUB, NULL));
  g_assert_false (rc_inspect_check_sizes (MAX_BIN + 1, TRUE, MAX_SUB, &e2));
  assert_too_large (e2, "the BIN is 1111320001 bytes");
  g_assert_false (rc_inspect_check_sizes (MAX_BIN, TRUE, MAX_SUB + 1, &e3));
  assert_too_large (e3, "the subchannel file is 45360001 bytes");
  /* a huge size does not wrap */
  g_assert_false (rc_inspect_check_sizes (G_MAXUINT64, FALSE, 0, NULL));
  g_assert_false (rc_inspect_check_sizes (0, TRUE, G_MAXUINT64, NULL));
}

static int
sparse_memfd (guint64 size)
{
  int fd = memfd_create ("test-sparse", MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) size), ==, 0);
  return fd;
}

/* rc_inspect_fd() refuses an oversize file before reading it: a sparse
 * file of 6 TB costs nothing to make and would take hours to read. */
static void
test_inspect_refuses (void)
{
  int image = sparse_memfd (G_GUINT64_CONSTANT (6) << 40);
  int bin = sparse_memfd (MAX_BIN);
  int sub = sparse_memfd (MAX_SUB + 96);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  gint64 start = g_get_monotonic_time ();
  RcInspectReport *report;

  report = rc_inspect_fd (image, -1, NULL, NULL, NULL, NULL, &e1);
  g_assert_null (report);
  assert_too_large (e1, "the image is 6597069766656 bytes");
  report = rc_inspect_fd (bin, sub, NULL, NULL, NULL, NULL, &e2);
  g_assert_null (report);
  assert_too_large (e2, "the subchannel file is 45360096 bytes");
  /* refused from the sizes alone */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  close (image);
  close (bin);
  close (sub);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inspect-limits/bounds", test_bounds);
  g_test_add_func ("/inspect-limits/inspect-refuses", test_inspect_refuses);
  return g_test_run ();
}
