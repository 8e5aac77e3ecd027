/* fuzz-cue.c: the CUE sheet reader (rc_cue_parse, rc-cue.c) and the check
 * of a BIN against its sheet (rc_inspect_cue), as InspectImage runs them on
 * a client's sheet (option cue_sheet).
 *
 * Input: one mode byte, then
 *   mode 0: a 24-bit little-endian count of BIN sectors, then the sheet.
 *           The BIN is that many sectors of silence (a sparse memfd, so a
 *           sheet can point anywhere up to a full CD at no cost) without a
 *           .sub: the sheet's layout is checked against its size.
 *   mode 1: a 16-bit little-endian length of the sheet, the sheet, then
 *           Q records as fuzz-image.h makes a BIN and its .sub from: the
 *           sheet is checked against what the Q says.
 * The sheet itself is checked first: whatever it holds, the reader keeps
 * at most 99 tracks numbered 1..99 with times below 100 minutes, codes of
 * the right form, text that is UTF-8, and a bounded list of problems whose
 * messages are UTF-8 and name a line of the sheet.
 */
#include "fuzz.h"
#include "fuzz-image.h"
#include "rc-cue.h"
#include "rc-error.h"

#include <string.h>
#include <unistd.h>

static guint
count_lines (const uint8_t *text, size_t len)
{
  guint lines = 0;

  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n')
      lines++;
  return lines + 1;
}

static void
check_text (const char *text)
{
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

static void
check_sheet (const uint8_t *text, size_t len)
{
  g_autoptr(RcCue) cue = NULL;
  g_autoptr(GError) error = NULL;
  guint lines = count_lines (text, len);

  cue = rc_cue_parse ((const char *) text, len, &error);
  if (len > RC_CUE_MAX_BYTES)
    {
      g_assert_null (cue);
      g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (cue);
  g_assert_cmpuint (cue->n_tracks, <=, RC_MAX_TRACK_NUMBER);
  g_assert_cmpuint (cue->problems->len, <=, 1000);
  check_text (cue->file);
  check_text (cue->title);
  check_text (cue->performer);
  g_assert_true (cue->mcn[0] == '\0' || strlen (cue->mcn) == 13);
  for (guint i = 0; cue->mcn[i] != '\0'; i++)
    g_assert_true (g_ascii_isdigit (cue->mcn[i]));
  for (guint i = 0; i < cue->n_tracks; i++)
    {
      const RcCueTrack *t = &cue->tracks[i];

      g_assert_cmpuint (t->number, >=, 1);
      g_assert_cmpuint (t->number, <=, RC_MAX_TRACK_NUMBER);
      g_assert_cmpuint (t->line, >=, 1);
      g_assert_cmpuint (t->line, <=, lines);
      for (guint k = 0; k <= RC_MAX_INDEXES; k++)
        {
          /* MM:SS:FF with MM 00..99 */
          g_assert_cmpint (t->index[k], >=, RC_CUE_NO_INDEX);
          g_assert_cmpint (t->index[k], <, 100 * 60 * 75);
        }
      g_assert_cmpuint (t->pregap, <, 100 * 60 * 75);
      g_assert_true (t->isrc[0] == '\0' || strlen (t->isrc) == 12);
      for (guint k = 0; t->isrc[k] != '\0'; k++)
        g_assert_true (g_ascii_isalnum (t->isrc[k]));
      check_text (t->title);
      check_text (t->performer);
    }
  for (guint i = 0; i < cue->problems->len; i++)
    {
      const RcCueProblem *p = g_ptr_array_index (cue->problems, i);

      g_assert_nonnull (p->message);
      g_assert_true (g_utf8_validate (p->message, -1, NULL));
      g_assert_cmpuint (p->line, <=, lines);
    }
}

static void
check_inspection (int bin_fd, int sub_fd, const uint8_t *sheet, size_t len)
{
  g_autoptr(RcInspectReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = rc_inspect_cue (bin_fd, sub_fd, (const char *) sheet, len, NULL, NULL, NULL, NULL, &error);
  if (report == NULL)
    {
      /* not a BIN and .sub the inspector takes: a named error that says so */
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert_no_error (error);
  fuzz_check_report (report);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 4)
    return 0;
  if (data[0] % 2 == 0)
    {
      guint sectors = data[1] | data[2] << 8 | data[3] << 16;
      int bin_fd = fuzz_memfd_with (NULL, 0);

      /* a full image's 472500 sectors at most, as the inspector allows */
      sectors %= RC_INSPECT_MAX_SECTORS + 1;
      g_assert_cmpint (ftruncate (bin_fd, (off_t) sectors * 2352), ==, 0);
      check_sheet (data + 4, size - 4);
      check_inspection (bin_fd, -1, data + 4, size - 4);
      close (bin_fd);
    }
  else
    {
      size_t len = MIN ((size_t) (data[1] | data[2] << 8), size - 3);
      const uint8_t *records = data + 3 + len;
      g_autoptr(GByteArray) bin = g_byte_array_new ();
      g_autoptr(GByteArray) sub = g_byte_array_new ();
      int bin_fd, sub_fd;

      fuzz_bin_and_sub (records, size - 3 - len, bin, sub);
      bin_fd = fuzz_memfd_with (bin->data, bin->len);
      sub_fd = fuzz_memfd_with (sub->data, sub->len);
      check_sheet (data + 3, len);
      check_inspection (bin_fd, sub_fd, data + 3, len);
      close (bin_fd);
      close (sub_fd);
    }
  return 0;
}
