/* fuzz-cdtext-file.c: rawcdctl's CD-TEXT file reader (rcd_ctl_cdtext_load_data
 * in client/rawcdctl-cdtext.c), on any bytes a user's file may hold.
 *
 * Input: one byte (the number of AUDIO files on the command line, 0..99),
 * then the file.  The text read is then turned into the CdText and
 * CdTextLanguages property values, as rawcdctl sends them.
 */
#include "fuzz.h"
#include "rawcdctl-cdtext.h"

#include <gio/gio.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(RcdCtlCdText) cdtext = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) languages = NULL;
  guint n_tracks;
  gboolean is_default;

  if (size < 1)
    return 0;
  n_tracks = data[0] % 100;
  cdtext = rcd_ctl_cdtext_new (n_tracks);
  if (!rcd_ctl_cdtext_load_data (cdtext, "fuzz.cdtext", (const char *) data + 1,
                                 (gssize) size - 1, &error))
    {
      /* refused with a message that names the file */
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "fuzz.cdtext"));
      return 0;
    }
  g_assert_no_error (error);

  languages = g_variant_ref_sink (rcd_ctl_cdtext_languages (cdtext, &is_default));
  g_assert_true (g_variant_is_of_type (languages, G_VARIANT_TYPE_BYTESTRING));
  g_assert_cmpuint (g_variant_n_children (languages), <=, RCD_CTL_CDTEXT_MAX_BLOCKS);
  for (guint t = 0; t <= n_tracks; t++)
    {
      g_autoptr(GVariant) text = rcd_ctl_cdtext_variant (cdtext, t);

      if (text == NULL)
        continue;
      g_variant_ref_sink (text);
      /* what goes on the bus must be a valid a{ss}: UTF-8 strings */
      g_assert_true (g_variant_is_of_type (text, G_VARIANT_TYPE ("aa{ss}")));
      g_assert_true (g_variant_is_normal_form (text));
      g_assert_cmpuint (g_variant_n_children (text), ==, g_variant_n_children (languages));
    }
  return 0;
}
