/* fuzz-cue-sheet.c: rawcdctl's CUE sheet reader and disc plan
 * (rcd_ctl_cue_sheet_parse and rcd_ctl_cue_plan_new in
 * client/rawcdctl-cue-*.c, with libcue), on any bytes a user's sheet may
 * hold.
 *
 * Input: two bytes, the length of every FILE in seconds (0xffff: not
 * known), then the sheet.  A refusal must be one line naming the sheet; a
 * plan must keep every range and pregap inside what the sheet and the
 * lengths allow.
 */
#include "fuzz.h"
#include "rawcdctl-cue.h"

#include <gio/gio.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *lengths = NULL;
  guint seconds;

  if (size < 2)
    return 0;
  seconds = (guint) data[0] << 8 | data[1];
  sheet = rcd_ctl_cue_sheet_parse ("fuzz.cue", (const char *) data + 2, size - 2, &error);
  if (sheet == NULL) {
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "fuzz.cue"));
    g_assert_null (strchr (error->message, '\n'));
    return 0;
  }
  g_assert_cmpuint (sheet->tracks->len, >, 0);
  lengths = g_new0 (gint64, sheet->files->len);
  for (guint f = 0; f < sheet->files->len; f++)
    lengths[f] = seconds == 0xffff ? -1 : (gint64) seconds * 44100;

  plan = rcd_ctl_cue_plan_new (sheet, lengths, &error);
  if (plan == NULL) {
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "fuzz.cue"));
    g_assert_null (strchr (error->message, '\n'));
    return 0;
  }
  g_assert_no_error (error);
  g_assert_cmpuint (plan->tracks->len, ==, sheet->tracks->len);
  for (guint t = 0; t < plan->tracks->len; t++) {
    const RcdCtlCuePlanTrack *track = &g_array_index (plan->tracks, RcdCtlCuePlanTrack, t);
    gint32 last = 0;

    g_assert_cmpint (track->range.file, >=, 0);
    g_assert_cmpint (track->range.file, <, (gint) sheet->files->len);
    g_assert_cmpuint (track->range.start % RCD_CTL_CUE_FRAME_SAMPLES, ==, 0);
    if (lengths[track->range.file] >= 0)
      g_assert_cmpuint (track->range.start, <, (guint64) lengths[track->range.file]);
    g_assert_true ((track->pregap == 0) == (track->pregap_audio == NULL));
    g_assert_true (t > 0 || track->pregap == 0);
    for (guint i = 0; i < track->indexes->len; i++) {
      gint32 offset = g_array_index (track->indexes, gint32, i);

      g_assert_cmpint (offset, >, last);
      last = offset;
    }
  }
  return 0;
}
