/* test-cue-plan.c: the sheet -> disc plan step of rawcdctl on sheets
 * written the way EAC, XLD and cyanrip write them, with FILE lengths given,
 * checked against numbers worked out by hand from the sheets (a CD frame is
 * 588 sample frames); and every kind of bad sheet, each a one-line error
 * naming the line.
 */
#include <string.h>

#include <gio/gio.h>

#include "rawcdctl-cue.h"

#define S 588   /* sample frames of a CD frame */
#define SEC (75 * S)

static RcdCtlCuePlan *
plan_of (const char *text, const gint64 *lengths, RcdCtlCueSheet **sheet_out, GError **error)
{
  g_autoptr(RcdCtlCueSheet) sheet = rcd_ctl_cue_sheet_parse ("t.cue", text, strlen (text), error);
  RcdCtlCuePlan *plan;

  if (sheet == NULL)
    return NULL;
  plan = rcd_ctl_cue_plan_new (sheet, lengths, error);
  *sheet_out = g_steal_pointer (&sheet);
  return plan;
}

#define TRACK(plan, i) (&g_array_index ((plan)->tracks, RcdCtlCuePlanTrack, (i)))

/* EAC's default ("non-compliant") sheet: each track's gap at the end of
 * the file before it. */
static void
test_eac_noncompliant (void)
{
  const char *text =
    "REM GENRE \"Jazz\"\r\n"
    "REM DATE 1999\r\n"
    "REM DISCID 1F0A2B03\r\n"
    "REM COMMENT \"ExactAudioCopy v1.6\"\r\n"
    "CATALOG 0036000291452\r\n"
    "PERFORMER \"The Band\"\r\n"
    "TITLE \"The Album\"\r\n"
    "FILE \"01 - One.wav\" WAVE\r\n"
    "  TRACK 01 AUDIO\r\n"
    "    TITLE \"One\"\r\n"
    "    PERFORMER \"The Band\"\r\n"
    "    ISRC USRC17607839\r\n"
    "    INDEX 01 00:00:00\r\n"
    "  TRACK 02 AUDIO\r\n"
    "    TITLE \"Two\"\r\n"
    "    FLAGS DCP PRE\r\n"
    "    INDEX 00 00:58:20\r\n"
    "FILE \"02 - Two.wav\" WAVE\r\n"
    "    INDEX 01 00:00:00\r\n"
    "    INDEX 02 00:20:00\r\n"
    "  TRACK 03 AUDIO\r\n"
    "    TITLE \"Three\"\r\n"
    "    INDEX 00 01:10:00\r\n"
    "FILE \"03 - Three.wav\" WAVE\r\n"
    "    INDEX 01 00:00:00\r\n";
  /* 01: 01:00:00 (4500 frames); 02: 01:12:30; 03: 00:40:00 */
  gint64 lengths[] = { 4500LL * S, (72 * 75 + 30) * (gint64) S, 3000LL * S };
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = plan_of (text, lengths, &sheet, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sheet->catalog, ==, "0036000291452");
  g_assert_cmpstr (sheet->text[RCD_CTL_CUE_TITLE], ==, "The Album");
  g_assert_cmpstr (sheet->text[RCD_CTL_CUE_GENRE], ==, "Jazz");
  g_assert_cmpstr (sheet->text[RCD_CTL_CUE_MESSAGE], ==, "ExactAudioCopy v1.6");
  g_assert_cmpstr (sheet->date, ==, "1999");
  g_assert_cmpstr (sheet->discid, ==, "1F0A2B03");
  g_assert_cmpuint (sheet->files->len, ==, 3);
  g_assert_false (plan->has_hidden);
  g_assert_cmpint (plan->first_track, ==, 1);
  g_assert_cmpuint (plan->tracks->len, ==, 3);

  /* track 1: all of file 1, its last 1:40 sectors are track 2's index 0 */
  g_assert_cmpint (TRACK (plan, 0)->range.file, ==, 0);
  g_assert_cmpuint (TRACK (plan, 0)->range.start, ==, 0);
  g_assert_cmpuint (TRACK (plan, 0)->range.length, ==, 0);
  g_assert_cmpuint (TRACK (plan, 0)->pregap, ==, 0);
  g_assert_cmpstr (TRACK (plan, 0)->cue->isrc, ==, "USRC17607839");
  g_assert_cmpstr (TRACK (plan, 0)->cue->text[RCD_CTL_CUE_TITLE], ==, "One");
  g_assert_cmpint (TRACK (plan, 1)->range.file, ==, 1);
  g_assert_cmpuint (TRACK (plan, 1)->range.start, ==, 0);
  g_assert_cmpuint (TRACK (plan, 1)->pregap, ==, 4500 - (58 * 75 + 20));
  g_assert_cmpstr (TRACK (plan, 1)->pregap_audio, ==, "previous");
  /* ... placed by the service from INDEX 00's frame in file 1 */
  g_assert_cmpint (TRACK (plan, 1)->pregap_start, ==, (58 * 75 + 20) * (gint64) S);
  g_assert_cmpint (TRACK (plan, 0)->pregap_start, ==, -1);
  g_assert_true (TRACK (plan, 1)->cue->copy_permitted);
  g_assert_true (TRACK (plan, 1)->cue->preemphasis);
  g_assert_cmpuint (TRACK (plan, 1)->indexes->len, ==, 1);
  g_assert_cmpint (g_array_index (TRACK (plan, 1)->indexes, gint32, 0), ==, 20 * 75);
  g_assert_cmpuint (TRACK (plan, 2)->pregap, ==, 72 * 75 + 30 - 70 * 75);
  g_assert_cmpstr (TRACK (plan, 2)->pregap_audio, ==, "previous");
  g_assert_cmpint (TRACK (plan, 2)->pregap_start, ==, 70 * 75 * (gint64) S);
  g_assert_cmpint (TRACK (plan, 2)->range.file, ==, 2);
}

/* EAC's "compliant" sheet (XLD and cyanrip write the same): the gap at
 * the start of the next file. */
static void
test_gap_at_start_of_file (void)
{
  const char *text =
    "FILE \"01.flac\" WAVE\n"
    "  TRACK 01 AUDIO\n"
    "    INDEX 01 00:00:00\n"
    "FILE \"02.flac\" WAVE\n"
    "  TRACK 02 AUDIO\n"
    "    INDEX 00 00:00:00\n"
    "    INDEX 01 00:01:33\n";
  gint64 lengths[] = { 10 * SEC, 10 * SEC };
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = plan_of (text, lengths, &sheet, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (TRACK (plan, 1)->range.start, ==, 0);
  g_assert_cmpuint (TRACK (plan, 1)->range.length, ==, 0);
  g_assert_cmpuint (TRACK (plan, 1)->pregap, ==, 75 + 33);
  g_assert_cmpstr (TRACK (plan, 1)->pregap_audio, ==, "own");
  g_assert_cmpuint (TRACK (plan, 0)->range.length, ==, 0);
}

/* One file for the whole disc (EAC's single-file image, cyanrip -I, XLD's
 * single file): ranges of it, gaps inside, indexes, a hidden track. */
static void
test_one_file (void)
{
  const char *text =
    "PERFORMER \"Band\"\n"
    "TITLE \"Album\"\n"
    "FILE \"CDImage.flac\" WAVE\n"
    "  TRACK 01 AUDIO\n"
    "    INDEX 00 00:00:00\n"
    "    INDEX 01 00:32:10\n"
    "  TRACK 02 AUDIO\n"
    "    INDEX 00 04:00:00\n"
    "    INDEX 01 04:02:00\n"
    "    INDEX 02 04:30:00\n"
    "    INDEX 03 05:00:00\n"
    "  TRACK 03 AUDIO\n"
    "    INDEX 01 07:00:00\n";
  gint64 lengths[] = { 10 * 60 * (gint64) SEC };
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = plan_of (text, lengths, &sheet, &error);

  g_assert_no_error (error);
  g_assert_true (plan->has_hidden);
  g_assert_cmpint (plan->hidden.file, ==, 0);
  g_assert_cmpuint (plan->hidden.start, ==, 0);
  g_assert_cmpuint (plan->hidden.length, ==, (32 * 75 + 10) * S);
  g_assert_cmpuint (TRACK (plan, 0)->range.start, ==, (32 * 75 + 10) * S);
  g_assert_cmpuint (TRACK (plan, 0)->range.length, ==, (4 * 60 * 75 - 32 * 75 - 10) * S);
  g_assert_cmpuint (TRACK (plan, 1)->range.start, ==, 4 * 60 * (guint64) SEC);
  g_assert_cmpuint (TRACK (plan, 1)->range.length, ==, 3 * 60 * (guint64) SEC);
  g_assert_cmpuint (TRACK (plan, 1)->pregap, ==, 150);
  g_assert_cmpstr (TRACK (plan, 1)->pregap_audio, ==, "own");
  g_assert_cmpuint (TRACK (plan, 1)->indexes->len, ==, 2);
  g_assert_cmpint (g_array_index (TRACK (plan, 1)->indexes, gint32, 0), ==, 28 * 75);
  g_assert_cmpint (g_array_index (TRACK (plan, 1)->indexes, gint32, 1), ==, 58 * 75);
  g_assert_cmpuint (TRACK (plan, 2)->range.start, ==, 7 * 60 * (guint64) SEC);
  g_assert_cmpuint (TRACK (plan, 2)->range.length, ==, 0);
  g_assert_cmpuint (TRACK (plan, 2)->pregap, ==, 0);
}

/* A hidden track in a file of its own (cyanrip's track 0 file) */
static void
test_hidden_own_file (void)
{
  const char *text =
    "FILE \"00 - hidden.flac\" WAVE\n"
    "  TRACK 01 AUDIO\n"
    "    INDEX 00 00:00:00\n"
    "FILE \"01.flac\" WAVE\n"
    "    INDEX 01 00:00:00\n"
    "FILE \"02.flac\" WAVE\n"
    "  TRACK 02 AUDIO\n"
    "    PREGAP 00:03:00\n"
    "    INDEX 01 00:00:00\n"
    "    POSTGAP 00:01:05\n";
  gint64 lengths[] = { 20 * SEC, 30 * SEC, 30 * SEC };
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = plan_of (text, lengths, &sheet, &error);

  g_assert_no_error (error);
  g_assert_true (plan->has_hidden);
  g_assert_cmpint (plan->hidden.file, ==, 0);
  g_assert_cmpuint (plan->hidden.start, ==, 0);
  g_assert_cmpuint (plan->hidden.length, ==, 0);
  g_assert_cmpint (TRACK (plan, 0)->range.file, ==, 1);
  g_assert_cmpuint (TRACK (plan, 0)->pregap, ==, 0);
  g_assert_cmpint (TRACK (plan, 1)->range.file, ==, 2);
  g_assert_cmpuint (TRACK (plan, 1)->pregap, ==, 225);
  g_assert_cmpstr (TRACK (plan, 1)->pregap_audio, ==, "silence");
  g_assert_cmpuint (TRACK (plan, 1)->postgap, ==, 80);
}

/* A disc starting at track 5, BINARY file */
static void
test_first_track_binary (void)
{
  const char *text =
    "FILE \"disc.bin\" BINARY\n"
    "  TRACK 05 AUDIO\n"
    "    INDEX 01 00:00:00\n"
    "  TRACK 06 AUDIO\n"
    "    INDEX 01 00:10:00\n";
  gint64 lengths[] = { 20 * SEC };
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = plan_of (text, lengths, &sheet, &error);

  g_assert_no_error (error);
  g_assert_cmpint (plan->first_track, ==, 5);
  g_assert_cmpint (((RcdCtlCueFile *) g_ptr_array_index (sheet->files, 0))->type, ==,
                   RCD_CTL_CUE_BINARY);
  g_assert_cmpuint (TRACK (plan, 0)->range.length, ==, 10 * SEC);
  g_assert_cmpuint (TRACK (plan, 1)->range.start, ==, 10 * SEC);
}

/* Windows-1252 text (EAC without its Unicode option) becomes UTF-8 */
static void
test_windows_1252 (void)
{
  const char *text =
    "TITLE \"Caf\xe9\"\n"
    "FILE \"a.wav\" WAVE\n"
    "  TRACK 01 AUDIO\n"
    "    INDEX 01 00:00:00\n";
  gint64 lengths[] = { 10 * SEC };
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = plan_of (text, lengths, &sheet, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sheet->text[RCD_CTL_CUE_TITLE], ==, "Caf\xc3\xa9");
}

static const struct {
  const char *name;
  const char *text;
  const char *message;
} bad_sheets[] = {
  { "unterminated-quote",
    "TITLE \"Album\nFILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n",
    "t.cue:1: unterminated quote in TITLE: \"Album" },
  { "unknown-command",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEKS 01 00:00:00\n",
    "t.cue:3: unknown command \"INDEKS\"" },
  { "index-out-of-order",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n    INDEX 03 00:10:00\n",
    "t.cue:4: INDEX 03 of track 1 out of order: it follows INDEX 01" },
  { "index-backwards",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n"
    "    INDEX 01 00:00:00\n",
    "t.cue:5: INDEX 01 of track 2 at 00:00:00 is not after the last index of track 1" },
  { "bad-time",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:75\n",
    "t.cue:3: INDEX 00:00:75: expected a time MM:SS:FF (minutes up to 99, seconds below 60, "
    "frames below 75)" },
  { "past-end",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n"
    "    INDEX 01 00:12:00\n",
    "t.cue:5: INDEX 01 of track 2 at 00:12:00 is past the end of \"a.wav\" (00:10:00 long)" },
  { "four-channels",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    FLAGS 4CH\n    INDEX 01 00:00:00\n",
    "t.cue:3: FLAGS 4CH: four-channel audio cannot be written; rawcd makes two-channel discs" },
  { "data-track",
    "FILE \"a.bin\" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n",
    "t.cue:2: TRACK 01 MODE1/2352: a data track; rawcd makes audio CDs only" },
  { "binary-junk",
    "FILE \"a.wav\" WAVE\n\x01\x02\x03\x04",
    "t.cue:2: byte 0x01: binary data, not a CUE sheet" },
  { "no-index-01",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 00 00:00:00\n  TRACK 02 AUDIO\n",
    "t.cue:4: track 1 has no INDEX 01" },
  { "track-before-file",
    "TRACK 01 AUDIO\n    INDEX 01 00:00:00\n",
    "t.cue:1: TRACK before any FILE" },
  { "track-numbers",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 03 AUDIO\n",
    "t.cue:4: TRACK 03 after track 1: track numbers must follow each other" },
  { "short-hidden-track",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 00 00:00:00\n    INDEX 01 00:01:00\n",
    "t.cue:4: the audio before INDEX 01 of the first track (a hidden track) lasts 00:01:00: "
    "it must last at least 00:02:00" },
  { "file-without-type",
    "FILE \"a.wav\"\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n",
    "t.cue:1: FILE \"a.wav\" without a type (WAVE, FLAC, MP3, AIFF, BINARY or MOTOROLA)" },
  { "catalog",
    "CATALOG 12345\nFILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n",
    "t.cue:1: CATALOG 12345: expected 13 digits" },
  { "no-track",
    "REM just a comment\n",
    "t.cue: no TRACK in the sheet" },
  { "unused-file",
    "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\nFILE \"b.wav\" WAVE\n",
    "t.cue:4: FILE \"b.wav\" holds no track's audio" },
};

static void
test_bad_sheet (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  gint64 lengths[] = { 10 * SEC, 10 * SEC };
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCtlCueSheet) sheet = NULL;
  g_autoptr(RcdCtlCuePlan) plan = plan_of (bad_sheets[i].text, lengths, &sheet, &error);

  g_assert_null (plan);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, bad_sheets[i].message);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_too_big (void)
{
  gsize len = RCD_CTL_CUE_MAX_BYTES + 1;
  g_autofree char *text = g_malloc (len);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcdCtlCueSheet) sheet = NULL;

  memset (text, ' ', len);
  sheet = rcd_ctl_cue_sheet_parse ("t.cue", text, len, &error);
  g_assert_null (sheet);
  g_assert_cmpstr (error->message, ==, "t.cue: 1048577 bytes is not a CUE sheet (at most 1048576)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cue-plan/eac-noncompliant", test_eac_noncompliant);
  g_test_add_func ("/cue-plan/gap-at-start-of-file", test_gap_at_start_of_file);
  g_test_add_func ("/cue-plan/one-file", test_one_file);
  g_test_add_func ("/cue-plan/hidden-own-file", test_hidden_own_file);
  g_test_add_func ("/cue-plan/first-track-binary", test_first_track_binary);
  g_test_add_func ("/cue-plan/windows-1252", test_windows_1252);
  g_test_add_func ("/cue-plan/too-big", test_too_big);
  for (guint i = 0; i < G_N_ELEMENTS (bad_sheets); i++) {
    g_autofree char *path = g_strdup_printf ("/cue-plan/bad/%s", bad_sheets[i].name);

    g_test_add_data_func (path, GUINT_TO_POINTER (i), test_bad_sheet);
  }
  return g_test_run ();
}
