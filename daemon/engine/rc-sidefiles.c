/* rc-sidefiles.c: CUE sheets, cdrdao TOC files and CloneCD control files
 * for the data files of a frozen layout.  docs/formats.md explains every
 * choice made here and what each format cannot carry; the interop tests
 * (tests/interop) check the results with the programs that read them.
 */
#include "rc-sidefiles.h"
#include "rc-error.h"
#include "rc-msf.h"

#include <string.h>

/* ---- formats ---- */

static const char *const format_names[] = {
  [RC_SIDE_FORMAT_CUE] = "cue",
  [RC_SIDE_FORMAT_TOC] = "toc",
  [RC_SIDE_FORMAT_CLONECD] = "clonecd",
};

gboolean
rc_side_format_parse (const char *name, RcSideFormat *out, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_strcmp0 (name, format_names[i]) == 0)
      {
        *out = (RcSideFormat) i;
        return TRUE;
      }
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "unknown side file format \"%s\" (known: cue, toc, clonecd)",
               name != NULL ? name : "(null)");
  return FALSE;
}

const char *
rc_side_format_to_string (RcSideFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

void
rc_side_format_data_range (RcSideFormat format, const RcLayout *layout,
                           gint *first_lba, gint *end_lba)
{
  /* Every reader puts offset 0 of the data file at LBA 0 (00:02:00) and
   * writes LBA -150 .. -1 itself: see docs/formats.md. */
  *first_lba = 0;
  *end_lba = layout->leadout_lba;
}

RcSectorForm
rc_side_format_data_form (RcSideFormat format, const RcLayout *layout)
{
  /* cdrdao reads raw audio big-endian (FILE without SWAP, and DATAFILE
   * always), and takes R-W only inside RW_RAW DATAFILE blocks. */
  if (format == RC_SIDE_FORMAT_TOC)
    return layout->rw != NULL ? RC_SECTOR_FORM_AUDIO_BE_SUB : RC_SECTOR_FORM_AUDIO_BE;
  return RC_SECTOR_FORM_AUDIO;
}

gboolean
rc_side_format_has_subchannel (RcSideFormat format, const RcLayout *layout)
{
  return format == RC_SIDE_FORMAT_CLONECD;
}

/* ---- helpers ---- */

/* A count of sectors as MM:SS:FF (minutes may pass 99 in principle). */
static void
append_msf (GString *s, gint sectors)
{
  g_string_append_printf (s, "%02d:%02d:%02d",
                          sectors / (60 * RC_SECTORS_PER_SECOND),
                          sectors / RC_SECTORS_PER_SECOND % 60,
                          sectors % RC_SECTORS_PER_SECOND);
}

static const RcLayoutTrack *
last_track (const RcLayout *layout)
{
  return &layout->tracks[layout->n_tracks - 1];
}

/* Sectors of special-pregap (hidden track) audio before LBA 0, which no
 * side file carries; 0 without a special pregap. */
static gint
hidden_audio_lost (const RcLayout *layout)
{
  if (layout->n_audio == 0 || layout->audio[0].lba >= 0)
    return 0;
  return MIN (-layout->audio[0].lba, layout->audio[0].sectors);
}

static gboolean
check_name (const char *what, const char *name, GError **error)
{
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "no %s file name", what);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '"' || *p == '\\' || (guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                     "the %s file name \"%s\" has a character that side files cannot quote",
                     what, name);
        return FALSE;
      }
  return TRUE;
}

/* ---- CD-TEXT ---- */

typedef enum {
  CHARSET_ASCII,
  CHARSET_LATIN1,
  CHARSET_OTHER,      /* MS-JIS in the lead-in */
} Charset;

/* The text fields (the ones whose character code depends on the text). */
static const RcCdTextField text_fields[] = {
  RC_CDTEXT_FIELD_TITLE, RC_CDTEXT_FIELD_PERFORMER, RC_CDTEXT_FIELD_SONGWRITER,
  RC_CDTEXT_FIELD_COMPOSER, RC_CDTEXT_FIELD_ARRANGER, RC_CDTEXT_FIELD_MESSAGE,
};

static Charset
string_charset (const char *utf8)
{
  Charset c = CHARSET_ASCII;

  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar u = g_utf8_get_char (p);
      if (u > 0xff)
        return CHARSET_OTHER;
      if (u > 0x7f)
        c = CHARSET_LATIN1;
    }
  return c;
}

static const char *
text_of (const RcLayout *layout, guint block, guint track, RcCdTextField field)
{
  const char *t;

  if (layout->cdtext == NULL)
    return "";
  t = rc_cdtext_get (layout->cdtext, block, track, field);
  return t != NULL ? t : "";
}

/* CD-TEXT track number of entry i of 0..n_tracks: 0 is the disc. */
static guint
text_track (const RcLayout *layout, guint i)
{
  return i == 0 ? 0 : layout->tracks[i - 1].number;
}

static gboolean
field_in_block (const RcLayout *layout, guint block, RcCdTextField field)
{
  for (guint i = 0; i <= layout->n_tracks; i++)
    if (*text_of (layout, block, text_track (layout, i), field) != '\0')
      return TRUE;
  return FALSE;
}

static gboolean
block_has_text (const RcLayout *layout, guint block)
{
  static const RcCdTextField others[] = { RC_CDTEXT_FIELD_GENRE, RC_CDTEXT_FIELD_UPC_ISRC };

  for (guint f = 0; f < G_N_ELEMENTS (text_fields); f++)
    if (field_in_block (layout, block, text_fields[f]))
      return TRUE;
  for (guint f = 0; f < G_N_ELEMENTS (others); f++)
    if (field_in_block (layout, block, others[f]))
      return TRUE;
  return FALSE;
}

/* The character set a block's text fields need (as rc_cdtext_encode
 * chooses the block's character code). */
static Charset
block_charset (const RcLayout *layout, guint block, const RcCdTextField *fields, guint n_fields)
{
  Charset c = CHARSET_ASCII;

  for (guint f = 0; f < n_fields; f++)
    for (guint i = 0; i <= layout->n_tracks; i++)
      c = MAX (c, string_charset (text_of (layout, block, text_track (layout, i), fields[f])));
  return c;
}

/* UTF-8 known to be Latin-1 (string_charset() <= CHARSET_LATIN1) to its
 * ISO-8859-1 bytes. */
static char *
to_latin1 (const char *utf8)
{
  GString *s = g_string_new (NULL);

  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_c (s, (char) (guchar) g_utf8_get_char (p));
  return g_string_free (s, FALSE);
}

/* ---- CUE sheet ---- */

static const RcCdTextField cue_fields[] = {
  RC_CDTEXT_FIELD_TITLE, RC_CDTEXT_FIELD_PERFORMER, RC_CDTEXT_FIELD_SONGWRITER,
};
static const char *const cue_keywords[] = { "TITLE", "PERFORMER", "SONGWRITER" };

/* A CUE sheet has no escapes: a double quote ends the string in every
 * reader, so it becomes a single quote. */
static void
cue_append_text (GString *s, const char *indent, const char *keyword, const char *utf8)
{
  g_autofree char *latin1 = to_latin1 (utf8);

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
      const char *t = text_of (layout, (guint) block, track, cue_fields[f]);
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
        any = any || field_in_block (layout, b, cue_fields[f]);
      if (!any)
        continue;
      if (block_charset (layout, b, cue_fields, G_N_ELEMENTS (cue_fields)) != CHARSET_OTHER)
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

static char *
build_cue (const RcLayout *layout, const char *bin_name)
{
  GString *s = g_string_new (NULL);
  gint block = cue_choose_block (s, layout);
  gint lost = hidden_audio_lost (layout);

  if (lost > 0)
    g_string_append_printf (s, "REM The first %d sectors of the hidden track (before 00:02:00)"
                            " cannot be in a BIN file: they are not in %s\n", lost, bin_name);
  if (has_index_2 (layout))
    g_string_append (s, "REM cdrdao 1.2.4 reads INDEX 02 and later as times from the track's INDEX 01"
                        " and refuses them on the last track: burn with cdrdao from the TOC file\n");
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
          append_msf (s, index0);
          g_string_append_c (s, '\n');
        }
      for (guint k = 0; k < t->n_indexes; k++)
        {
          g_string_append_printf (s, "    INDEX %02u ", k + 1);
          append_msf (s, t->start_lba + t->index_offsets[k]);
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

/* ---- cdrdao TOC file ---- */

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
} TocLanguages;

static void
toc_append_block (GString *s, const RcLayout *layout, const TocLanguages *langs,
                  guint language, guint track)
{
  guint block = langs->block[language];

  g_string_append_printf (s, "  LANGUAGE %u {\n", language);
  for (guint f = 0; f < G_N_ELEMENTS (toc_items); f++)
    {
      if (!toc_items[f].always && !field_in_block (layout, block, toc_items[f].field))
        continue;
      g_autofree char *latin1 = to_latin1 (text_of (layout, block, track, toc_items[f].field));
      g_string_append_printf (s, "    %s ",
                              track == 0 ? toc_items[f].disc_keyword : toc_items[f].track_keyword);
      toc_append_string (s, latin1);
      g_string_append_c (s, '\n');
    }

  /* The genre pack's payload as binary data: genre code 0x0000 (the API
   * writes no other), the ASCII text, its NUL. */
  if (track == 0 && *langs->genre[language] != '\0')
    {
      g_string_append (s, "    GENRE { 0, 0");
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

  langs->n = 0;
  for (guint b = 0; b < RC_CDTEXT_N_BLOCKS; b++)
    {
      if (!block_has_text (layout, b))
        continue;
      if (block_charset (layout, b, text_fields, G_N_ELEMENTS (text_fields)) == CHARSET_OTHER)
        {
          g_string_append_printf (s, "// CD-TEXT block %u (language 0x%02X) is MS-JIS text, which a"
                                  " cdrdao TOC file cannot declare: left out\n",
                                  b, rc_cdtext_get_language (layout->cdtext, b));
          continue;
        }
      langs->block[langs->n] = b;
      langs->genre[langs->n] = text_of (layout, b, 0, RC_CDTEXT_FIELD_GENRE);
      if (*first_genre == '\0')
        first_genre = langs->genre[langs->n];
      langs->n++;
    }
  for (guint i = 0; i < langs->n; i++)
    if (*langs->genre[i] == '\0')
      langs->genre[i] = first_genre;
}

static char *
build_toc (const RcLayout *layout, const char *bin_name)
{
  GString *s = g_string_new (NULL);
  TocLanguages langs;
  gint lost = hidden_audio_lost (layout);
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
          append_msf (s, from);
        }
      g_string_append_c (s, ' ');
      append_msf (s, t->end_lba - from);
      g_string_append_c (s, '\n');
      if (t->start_lba > from)
        {
          g_string_append (s, "START ");
          append_msf (s, t->start_lba - from);
          g_string_append_c (s, '\n');
        }
      for (guint k = 1; k < t->n_indexes; k++)
        {
          g_string_append (s, "INDEX ");
          append_msf (s, t->index_offsets[k]);
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

/* ---- CloneCD control file ---- */

static void
ccd_append_entry (GString *s, guint *n, guint8 point, guint8 control, gint plba)
{
  RcMsf p = rc_msf_from_lba (plba);

  g_string_append_printf (s,
                          "[Entry %u]\n"
                          "Session=1\n"
                          "Point=0x%02x\n"
                          "ADR=0x01\n"
                          "Control=0x%02x\n"
                          "TrackNo=0\n"
                          "AMin=0\n"
                          "ASec=0\n"
                          "AFrame=0\n"
                          "ALBA=-150\n"
                          "Zero=0\n"
                          "PMin=%u\n"
                          "PSec=%u\n"
                          "PFrame=%u\n"
                          "PLBA=%d\n",
                          (*n)++, point, control, p.m, p.s, p.f, plba);
}

static char *
build_ccd (const RcLayout *layout)
{
  GString *s = g_string_new (NULL);
  gsize packs_size = 0;
  const guint8 *packs = layout->cdtext_packs != NULL
                        ? g_bytes_get_data (layout->cdtext_packs, &packs_size) : NULL;
  guint n_packs = (guint) (packs_size / RC_CDTEXT_PACK_SIZE);
  const RcLayoutTrack *first = &layout->tracks[0];
  const RcLayoutTrack *last = last_track (layout);
  guint n = 0;

  g_string_append_printf (s,
                          "[CloneCD]\n"
                          "Version=3\n"
                          "[Disc]\n"
                          "TocEntries=%u\n"
                          "Sessions=1\n"
                          "DataTracksScrambled=0\n"
                          "CDTextLength=%u\n",
                          layout->n_tracks + 3, n_packs * RC_CDTEXT_PACK_SIZE);
  if (layout->mcn[0] != '\0')
    g_string_append_printf (s, "CATALOG=%s\n", layout->mcn);

  /* The packs without their CRCs, 16 bytes an entry, as CloneCD writes them. */
  if (n_packs > 0)
    {
      g_string_append_printf (s, "[CDText]\nEntries=%u\n", n_packs);
      for (guint k = 0; k < n_packs; k++)
        {
          g_string_append_printf (s, "Entry %u=", k);
          for (guint b = 0; b < 16; b++)
            g_string_append_printf (s, b == 0 ? "%02x" : " %02x", packs[k * RC_CDTEXT_PACK_SIZE + b]);
          g_string_append_c (s, '\n');
        }
    }

  g_string_append (s, "[Session 1]\nPreGapMode=0\nPreGapSubC=0\n");

  /* A0/A1 carry track numbers in PMIN: PLBA is that MSF as an LBA, as
   * CloneCD writes it ("PMin=1 ... PLBA=4350"). */
  ccd_append_entry (s, &n, 0xa0, rc_layout_track_control (first),
                    (gint) first->number * 60 * RC_SECTORS_PER_SECOND - RC_PREGAP_SECTORS);
  ccd_append_entry (s, &n, 0xa1, rc_layout_track_control (last),
                    (gint) last->number * 60 * RC_SECTORS_PER_SECOND - RC_PREGAP_SECTORS);
  ccd_append_entry (s, &n, 0xa2, rc_layout_track_control (last), layout->leadout_lba);
  for (guint i = 0; i < layout->n_tracks; i++)
    ccd_append_entry (s, &n, (guint8) layout->tracks[i].number,
                      rc_layout_track_control (&layout->tracks[i]), layout->tracks[i].start_lba);

  for (guint i = 0; i < layout->n_tracks; i++)
    {
      const RcLayoutTrack *t = &layout->tracks[i];
      gint index0 = MAX (t->pregap_lba, 0);

      g_string_append_printf (s, "[TRACK %u]\nMODE=0\n", t->number);
      if (t->isrc[0] != '\0')
        g_string_append_printf (s, "ISRC=%s\n", t->isrc);
      /* Index positions are LBAs, which are .img sector numbers. */
      if (index0 < t->start_lba)
        g_string_append_printf (s, "INDEX 0=%d\n", index0);
      for (guint k = 0; k < t->n_indexes; k++)
        g_string_append_printf (s, "INDEX %u=%d\n", k + 1, t->start_lba + t->index_offsets[k]);
    }
  return g_string_free (s, FALSE);
}

static gboolean
check_clonecd_names (const char *bin_name, const char *sub_name, GError **error)
{
  gsize len;

  if (!check_name ("image", bin_name, error) || !check_name ("subchannel", sub_name, error))
    return FALSE;
  len = strlen (bin_name);
  if (!g_str_has_suffix (bin_name, ".img")
      || strlen (sub_name) != len
      || strncmp (bin_name, sub_name, len - 4) != 0
      || !g_str_has_suffix (sub_name, ".sub"))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "CloneCD files are found by name: the image must be BASE.img and the"
                   " subchannel BASE.sub beside BASE.ccd (got \"%s\" and \"%s\")",
                   bin_name, sub_name);
      return FALSE;
    }
  return TRUE;
}

GHashTable *
rc_side_files_build (RcSideFormat    format,
                     const RcLayout *layout,
                     const char     *bin_name,
                     const char     *sub_name,
                     GError        **error)
{
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_return_val_if_fail (layout != NULL && layout->n_tracks > 0, NULL);

  switch (format)
    {
    case RC_SIDE_FORMAT_CUE:
      if (!check_name ("BIN", bin_name, error))
        return NULL;
      g_hash_table_insert (files, (gpointer) "cue", build_cue (layout, bin_name));
      break;
    case RC_SIDE_FORMAT_TOC:
      if (!check_name ("BIN", bin_name, error))
        return NULL;
      g_hash_table_insert (files, (gpointer) "toc", build_toc (layout, bin_name));
      break;
    case RC_SIDE_FORMAT_CLONECD:
      if (!check_clonecd_names (bin_name, sub_name, error))
        return NULL;
      g_hash_table_insert (files, (gpointer) "ccd", build_ccd (layout));
      break;
    default:
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT, "unknown side file format %d", format);
      return NULL;
    }
  return g_steal_pointer (&files);
}
