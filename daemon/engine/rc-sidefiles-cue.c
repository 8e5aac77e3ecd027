/* rc-sidefiles-cue.c: the CUE sheet of a layout's BIN file
 * (docs/formats.md, "CUE sheet"): CDRWIN's keywords, ISO-8859-1 text from
 * one CD-TEXT block, the BIN from LBA 0.
 */
#include "rc-sidefiles-private.h"

static const RcCdTextField cue_fields[] = {
  RC_CDTEXT_FIELD_TITLE, RC_CDTEXT_FIELD_PERFORMER, RC_CDTEXT_FIELD_SONGWRITER,
};
static const char *const cue_keywords[] = { "TITLE", "PERFORMER", "SONGWRITER" };

/* A CUE sheet has no escapes: a double quote ends the string in every
 * reader, so it becomes a single quote. */
static void
cue_append_text (GString *s, const char *indent, const char *keyword, const char *utf8)
{
  g_autofree char *latin1 = rc_side_latin1 (utf8);

  g_string_append_printf (s, "%s%s \"", indent, keyword);
  for (const char *p = latin1; *p != '\0'; p++)
    g_string_append_c (s, *p == '"' ? '\'' : *p);
  g_string_append (s, "\"\n");
}

static void
cue_append_cdtext (GString *s, const RcLayout *layout, gint block, guint track, const char *indent)
{
  if (block < 0)
    return;
  for (guint f = 0; f < G_N_ELEMENTS (cue_fields); f++)
    {
      const char *t = rc_side_text_of (layout, (guint) block, track, cue_fields[f]);
      if (*t != '\0')
        cue_append_text (s, indent, cue_keywords[f], t);
    }
}

/* The CD-TEXT block a CUE sheet carries: the first one with titles,
 * performers or songwriters that all have ISO-8859-1 codes; -1 for none.
 * Blocks passed over are noted in REM lines. */
static gint
cue_choose_block (GString *s, const RcLayout *layout)
{
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    {
      gboolean any = FALSE;

      for (guint f = 0; f < G_N_ELEMENTS (cue_fields); f++)
        any = any || rc_side_field_in_block (layout, b, cue_fields[f]);
      if (!any)
        continue;
      if (rc_side_block_is_latin1 (layout, b, cue_fields, G_N_ELEMENTS (cue_fields)))
        {
          if (b > 0)
            g_string_append_printf (s, "REM CD-TEXT of block %u (language 0x%02X)\n",
                                    b, rc_cdtext_get_language (layout->cdtext, b));
          return (gint) b;
        }
      g_string_append_printf (s, "REM CD-TEXT block %u (language 0x%02X) is not ISO-8859-1 text:"
                              " left out of this sheet\n",
                              b, rc_cdtext_get_language (layout->cdtext, b));
    }
  return -1;
}

/* Whether any track has an index 2 or later (docs/formats.md: cdrdao's
 * CUE reader misplaces them). */
static gboolean
has_index_2 (const RcLayout *layout)
{
  for (guint i = 0; i < layout->n_tracks; i++)
    if (layout->tracks[i].n_indexes > 1)
      return TRUE;
  return FALSE;
}

char *
rc_side_build_cue (const RcLayout *layout, const char *bin_name)
{
  GString *s = g_string_new (NULL);
  gint block = cue_choose_block (s, layout);
  gint lost = rc_side_hidden_audio_lost (layout);

  if (lost > 0)
    g_string_append_printf (s, "REM The first %d sectors of the hidden track (before 00:02:00)"
                            " cannot be in a BIN file: they are not in %s\n", lost, bin_name);
  if (has_index_2 (layout))
    g_string_append (s, "REM cdrdao 1.2.4 reads INDEX 02 and later as times from the track's INDEX 01"
                        " (too late, or past the track's end): burn with cdrdao from the TOC file\n");
  if (layout->mcn[0] != '\0')
    g_string_append_printf (s, "CATALOG %s\n", layout->mcn);
  cue_append_cdtext (s, layout, block, 0, "");
  g_string_append_printf (s, "FILE \"%s\" BINARY\n", bin_name);

  for (guint i = 0; i < layout->n_tracks; i++)
    {
      const RcLayoutTrack *t = &layout->tracks[i];
      gint index0 = MAX (t->pregap_lba, 0);

      g_string_append_printf (s, "  TRACK %02u AUDIO\n", t->number);
      cue_append_cdtext (s, layout, block, t->number, "    ");
      if (t->copy != RC_COPY_PROHIBITED || t->preemphasis)
        g_string_append_printf (s, "    FLAGS%s%s%s\n",
                                t->copy == RC_COPY_PERMITTED ? " DCP" : "",
                                t->copy == RC_COPY_SCMS ? " SCMS" : "",
                                t->preemphasis ? " PRE" : "");
      if (t->isrc[0] != '\0')
        g_string_append_printf (s, "    ISRC %s\n", t->isrc);
      if (index0 < t->start_lba)
        {
          g_string_append (s, "    INDEX 00 ");
          rc_side_append_msf (s, index0);
          g_string_append_c (s, '\n');
        }
      for (guint k = 0; k < t->n_indexes; k++)
        {
          g_string_append_printf (s, "    INDEX %02u ", k + 1);
          rc_side_append_msf (s, t->start_lba + t->index_offsets[k]);
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

