/* fuzz-toc-file.c: the cdrdao TOC file reader and its check against the
 * data file (rc_toc_file_parse, rc_inspect_toc_file), as InspectImage runs
 * them on a client's TOC file (option toc_file).
 *
 * Input: two bytes (big-endian) giving the data file's size in sectors of
 * 2352 bytes, one byte added to it (so that sizes that are not whole
 * sectors come too), then the TOC file's text.  The data file is a memfd
 * of that size (sparse: nothing is read from it but its size).
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "rc-toc-file.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void
assert_text (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(RcTocFile) toc = NULL;
  g_autoptr(RcInspectReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize len;
  int fd;

  if (size < 3)
    return 0;
  text = (const char *) data + 3;
  len = size - 3;

  toc = rc_toc_file_parse (text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (toc->n_tracks, <=, RC_MAX_TRACK_NUMBER);
  for (guint i = 0; i < toc->problems->len; i++)
    assert_text (((RcTocFileProblem *) g_ptr_array_index (toc->problems, i))->message);
  for (guint i = 0; i < toc->n_tracks; i++)
    {
      g_assert_cmpuint (toc->tracks[i].n_indexes, <, RC_MAX_INDEXES);
      for (guint l = 0; l < RC_TOC_FILE_LANGUAGES; l++)
        for (guint k = 0; k < RC_TOC_FILE_N_ITEMS; k++)
          if (toc->tracks[i].text[l][k] != NULL)
            assert_text (toc->tracks[i].text[l][k]);
    }
  if (toc->data_file != NULL)
    assert_text (toc->data_file);

  fd = memfd_create ("fuzz-toc-data", MFD_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) ((data[0] << 8 | data[1]) * 2352 + data[2])), ==, 0);
  report = rc_inspect_toc_file (fd, text, len, NULL, &error);
  close (fd);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->n_tracks, <=, RC_MAX_TRACK_NUMBER);
  for (guint i = 0; i < report->problems->len; i++)
    assert_text (((RcInspectProblem *) g_ptr_array_index (report->problems, i))->message);
  for (guint i = 0; report->cdtext != NULL && i < report->cdtext->n_entries; i++)
    assert_text (report->cdtext->entries[i].text);
  return 0;
}
