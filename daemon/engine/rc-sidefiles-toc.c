/* rc-sidefiles-toc.c: the cdrdao TOC file of a layout's data file
 * (docs/formats.md, "cdrdao TOC file"): big-endian audio or RW_RAW blocks,
 * CD-TEXT as cdrdao checks it before it writes.
 */
#include "rc-sidefiles-private.h"

/* A cdrdao string: printable ASCII as it is, everything else (and the
 * quote and backslash) as \ooo octal escapes of the given bytes. */
static void
toc_append_string (GString *s, const char *bytes)
{
  g_string_append_c (s, '"');
  for (const guchar *p = (const guchar *) bytes; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\' || *p < 0x20 || *p > 0x7e)
        g_string_append_printf (s, "\\%03o", *p);
      else
        g_string_append_c (s, (char) *p);
    }
  g_string_append_c (s, '"');
}

/* The text items of a TOC file, in cdrdao's order.  cdrdao checks the
 * CD-TEXT before it writes (Toc::checkCdTextData, run by its drivers, not
 * by show-toc): in every language an item given for the disc or one track
 * must be given for the disc and every track (an error), and TITLE and
 * PERFORMER must be there at all (a warning that stops a write without
 * --force).  So TITLE and PERFORMER are always written and the others
 * once any entry of the block has them; "" fills the gaps. */
static const struct {
  RcCdTextField field;
  const char   *disc_keyword;
  const char   *track_keyword;
  gboolean      always;
} toc_items[] = {
  { RC_CDTEXT_FIELD_TITLE, "TITLE", "TITLE", TRUE },
  { RC_CDTEXT_FIELD_PERFORMER, "PERFORMER", "PERFORMER", TRUE },
  { RC_CDTEXT_FIELD_SONGWRITER, "SONGWRITER", "SONGWRITER", FALSE },
  { RC_CDTEXT_FIELD_COMPOSER, "COMPOSER", "COMPOSER", FALSE },
  { RC_CDTEXT_FIELD_ARRANGER, "ARRANGER", "ARRANGER", FALSE },
  { RC_CDTEXT_FIELD_MESSAGE, "MESSAGE", "MESSAGE", FALSE },
  { RC_CDTEXT_FIELD_UPC_ISRC, "UPC_EAN", "ISRC", FALSE },
};

/* The CD-TEXT blocks a TOC file carries, numbered from 0 without holes
 * (cdrdao refuses "LANGUAGE 0" followed by "LANGUAGE 2"), and the genre
 * each of them gets. */
typedef struct {
  guint       n;
  guint       block[RC_CDTEXT_N_BLOCKS];   /* the RcCdText block of LANGUAGE i */
  const char *genre[RC_CDTEXT_N_BLOCKS];   /* "" for none */
  guint       genre_code[RC_CDTEXT_N_BLOCKS];
} TocLanguages;

static void
toc_append_block (GString *s, const RcLayout *layout, const TocLanguages *langs,
                  guint language, guint track)
{
  guint block = langs->block[language];

  g_string_append_printf (s, "  LANGUAGE %u {\n", language);
  for (guint f = 0; f < G_N_ELEMENTS (toc_items); f++)
    {
      if (!toc_items[f].always && !rc_side_field_in_block (layout, block, toc_items[f].field))
        continue;
      g_autofree char *latin1 = rc_side_latin1 (rc_side_text_of (layout, block, track, toc_items[f].field));
      g_string_append_printf (s, "    %s ",
                              track == 0 ? toc_items[f].disc_keyword : toc_items[f].track_keyword);
      toc_append_string (s, latin1);
      g_string_append_c (s, '\n');
    }

  /* The genre pack's payload as binary data: the genre code's two bytes
   * (big-endian), the ASCII text, its NUL. */
  if (track == 0 && (*langs->genre[language] != '\0' || langs->genre_code[language] != 0))
    {
      g_string_append_printf (s, "    GENRE { %u, %u", langs->genre_code[language] >> 8,
                              langs->genre_code[language] & 0xFF);
      for (const guchar *p = (const guchar *) langs->genre[language]; *p != '\0'; p++)
        g_string_append_printf (s, ", %u", *p);
      g_string_append (s, ", 0 }\n");
    }
  g_string_append (s, "  }\n");
}

/* Blocks a TOC file carries: those with text in ASCII or Latin-1; cdrdao
 * 1.2.4 has no way to declare another character code.  cdrdao warns when
 * some languages have a genre and others not: the disc has one genre, so
 * a block without one gets that of the first block that has it. */
static void
toc_languages (GString *s, const RcLayout *layout, TocLanguages *langs)
{
  const char *first_genre = "";
  guint first_code = 0;

  langs->n = 0;
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    {
      if (!rc_side_block_has_text (layout, b))
        continue;
      if (!rc_side_block_is_latin1 (layout, b, NULL, 0))
        {
          g_string_append_printf (s, "// CD-TEXT block %u (language 0x%02X) is MS-JIS text, which a"
                                  " cdrdao TOC file cannot declare: left out\n",
                                  b, rc_cdtext_get_language (layout->cdtext, b));
          continue;
        }
      langs->block[langs->n] = b;
      langs->genre[langs->n] = rc_side_text_of (layout, b, 0, RC_CDTEXT_FIELD_GENRE);
      langs->genre_code[langs->n] = rc_cdtext_get_genre_code (layout->cdtext, b);
      if (*first_genre == '\0' && first_code == 0)
        {
          first_genre = langs->genre[langs->n];
          first_code = langs->genre_code[langs->n];
        }
      langs->n++;
    }
  for (guint i = 0; i < langs->n; i++)
    if (*langs->genre[i] == '\0' && langs->genre_code[i] == 0)
      {
        langs->genre[i] = first_genre;
        langs->genre_code[i] = first_code;
      }
}

char *
rc_side_build_toc (const RcLayout *layout, const char *bin_name)
{
  GString *s = g_string_new (NULL);
  TocLanguages langs;
  gint lost = rc_side_hidden_audio_lost (layout);
  gboolean rw_raw = rc_side_format_data_form (RC_SIDE_FORMAT_TOC, layout)
                    == RC_SECTOR_FORM_AUDIO_BE_SUB;

  if (rw_raw)
    g_string_append (s, "// cdrdao TOC file: the data file holds 2448-byte blocks from 00:02:00 (LBA 0)\n"
                        "// to the lead-out: 2352 bytes of big-endian samples, then the 96 raw\n"
                        "// (interleaved) subchannel bytes, whose R-W bits carry the R-W data (RW_RAW).\n");
  else
    g_string_append (s, "// cdrdao TOC file: the data file holds 2352-byte sectors of big-endian\n"
                        "// samples from 00:02:00 (LBA 0) to the lead-out.\n");
  if (layout->first_track != 1)
    g_string_append_printf (s, "// The disc's tracks are numbered from %u; cdrdao numbers them from 1.\n",
                            layout->first_track);
  if (lost > 0)
    g_string_append_printf (s, "// cdrdao writes 00:00:00-00:01:74 as silence itself: the first %d"
                            " sectors of the hidden track are not in %s.\n", lost, bin_name);
  toc_languages (s, layout, &langs);

  g_string_append (s, "CD_DA\n");
  if (layout->mcn[0] != '\0')
    g_string_append_printf (s, "CATALOG \"%s\"\n", layout->mcn);

  if (langs.n > 0)
    {
      /* On one line: libcdio 2.1's TOC reader takes the pairs only on
       * the LANGUAGE_MAP line (cdrdao reads it either way). */
      g_string_append (s, "CD_TEXT {\n  LANGUAGE_MAP {");
      for (guint i = 0; i < langs.n; i++)
        g_string_append_printf (s, " %u : %u", i,
                                rc_cdtext_get_language (layout->cdtext, langs.block[i]));
      g_string_append (s, " }\n");
      for (guint i = 0; i < langs.n; i++)
        toc_append_block (s, layout, &langs, i, 0);
      g_string_append (s, "}\n");
    }

  for (guint i = 0; i < layout->n_tracks; i++)
    {
      const RcLayoutTrack *t = &layout->tracks[i];
      gint from = MAX (t->pregap_lba, 0);

      g_string_append_printf (s, "\n// Track %u\nTRACK AUDIO%s\n", t->number,
                              rw_raw ? " RW_RAW" : "");
      if (t->copy == RC_COPY_SCMS)
        g_string_append (s, "// SCMS: cdrdao cannot alternate the copy bit: copy not permitted, as in the lead-in\n");
      /* Only the flags that are set: "copy not permitted, no pre-emphasis"
       * is cdrdao's default, and cdrdao 1.2.4's parser rejects "NO
       * PRE_EMPHASIS" followed by FILE. */
      if (t->copy == RC_COPY_PERMITTED)
        g_string_append (s, "COPY\n");
      if (t->preemphasis)
        g_string_append (s, "PRE_EMPHASIS\n");
      if (t->isrc[0] != '\0')
        g_string_append_printf (s, "ISRC \"%s\"\n", t->isrc);
      if (langs.n > 0)
        {
          g_string_append (s, "CD_TEXT {\n");
          for (guint l = 0; l < langs.n; l++)
            toc_append_block (s, layout, &langs, l, t->number);
          g_string_append (s, "}\n");
        }
      /* DATAFILE has no start position, only a byte offset ("#"); its
       * length counts blocks of 2448 bytes in RW_RAW tracks. */
      if (rw_raw)
        g_string_append_printf (s, "DATAFILE \"%s\" #%" G_GINT64_FORMAT, bin_name,
                                (gint64) from * (RC_AUDIO_BYTES + 96));
      else
        {
          g_string_append_printf (s, "FILE \"%s\" ", bin_name);
          rc_side_append_msf (s, from);
        }
      g_string_append_c (s, ' ');
      rc_side_append_msf (s, t->end_lba - from);
      g_string_append_c (s, '\n');
      if (t->start_lba > from)
        {
          g_string_append (s, "START ");
          rc_side_append_msf (s, t->start_lba - from);
          g_string_append_c (s, '\n');
        }
      for (guint k = 1; k < t->n_indexes; k++)
        {
          g_string_append (s, "INDEX ");
          rc_side_append_msf (s, t->index_offsets[k]);
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

