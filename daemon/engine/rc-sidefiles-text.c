/* rc-sidefiles-text.c: helpers the side-file writers share: times,
 * what the side files lose of a hidden track, and the layout's CD-TEXT as
 * the writers need it (the character codes are the engine's,
 * rc-cdtext.h, so a sheet never disagrees with the lead-in).
 */
#include "rc-sidefiles-private.h"

#include "rc-msf.h"

void
rc_side_append_msf (GString *s, gint sectors)
{
  g_string_append_printf (s, "%02d:%02d:%02d",
                          sectors / (60 * RC_SECTORS_PER_SECOND),
                          sectors / RC_SECTORS_PER_SECOND % 60,
                          sectors % RC_SECTORS_PER_SECOND);
}

gint
rc_side_hidden_audio_lost (const RcLayout *layout)
{
  if (layout->n_audio == 0 || layout->audio[0].lba >= 0)
    return 0;
  return MIN (-layout->audio[0].lba, layout->audio[0].sectors);
}

const char *
rc_side_text_of (const RcLayout *layout, guint block, guint track, RcCdTextField field)
{
  if (layout->cdtext == NULL)
    return "";
  return rc_cdtext_get (layout->cdtext, block, track, field);
}

guint
rc_side_text_track (const RcLayout *layout, guint i)
{
  return i == 0 ? 0 : layout->tracks[i - 1].number;
}

gboolean
rc_side_field_in_block (const RcLayout *layout, guint block, RcCdTextField field)
{
  for (guint i = 0; i <= layout->n_tracks; i++)
    if (*rc_side_text_of (layout, block, rc_side_text_track (layout, i), field) != '\0')
      return TRUE;
  return FALSE;
}

gboolean
rc_side_block_has_text (const RcLayout *layout, guint block)
{
  /* a frozen layout's text lies within its tracks (rc_cdtext_encode
   * refused anything else), so any text of the block is the layout's */
  return layout->cdtext != NULL && rc_cdtext_block_has_text (layout->cdtext, block);
}

gboolean
rc_side_block_is_latin1 (const RcLayout *layout, guint block,
                         const RcCdTextField *fields, guint n_fields)
{
  const RcLayoutTrack *first = &layout->tracks[0];
  const RcLayoutTrack *last = &layout->tracks[layout->n_tracks - 1];
  RcCdTextCharset charset;

  if (layout->cdtext == NULL)
    return TRUE;
  /* a block that cannot share one code never reaches a frozen layout; the
   * fields asked for are then simply not Latin-1 */
  if (!rc_cdtext_block_charset (layout->cdtext, block, first->number, last->number,
                                fields, n_fields, &charset, NULL))
    return FALSE;
  return charset != RC_CDTEXT_CHARSET_MS_JIS;
}

char *
rc_side_latin1 (const char *utf8)
{
  char *latin1 = rc_cdtext_to_latin1 (utf8);

  /* never NULL for the text of a Latin-1 block; "" rather than a crash */
  return latin1 != NULL ? latin1 : g_strdup ("");
}
