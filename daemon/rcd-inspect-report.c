/* rcd-inspect-report.c: RcInspectReport to a{sv}, field by field; no CD
 * arithmetic here, only what the engine found. */
#include "rcd-inspect-report.h"

/* A string of the report as a D-Bus string.  The engine's strings are
 * UTF-8, but they come from an image a client chose: never let one that is
 * not (a damaged ISRC, say) reach g_variant_new_string(). */
static GVariant *
text_variant (const char *text)
{
  if (text == NULL)
    return g_variant_new_string ("");
  if (!g_utf8_validate (text, -1, NULL))
    return g_variant_new_take_string (g_utf8_make_valid (text, -1));
  return g_variant_new_string (text);
}

/* The absolute time "MM:SS:FF" of an LBA, as the engine writes it; "" for
 * RC_INSPECT_NO_LBA, so that a client prints times without CD arithmetic. */
static GVariant *
msf_variant (gint lba)
{
  char msf[RC_INSPECT_MSF_LEN];

  if (lba == RC_INSPECT_NO_LBA)
    return g_variant_new_string ("");
  rc_inspect_msf_string (lba, msf);
  return g_variant_new_string (msf);
}

static const char *
cdtext_field_name (RcCdTextField field, guint track)
{
  switch (field)
    {
    case RC_CDTEXT_FIELD_TITLE: return "title";
    case RC_CDTEXT_FIELD_PERFORMER: return "performer";
    case RC_CDTEXT_FIELD_SONGWRITER: return "songwriter";
    case RC_CDTEXT_FIELD_COMPOSER: return "composer";
    case RC_CDTEXT_FIELD_ARRANGER: return "arranger";
    case RC_CDTEXT_FIELD_MESSAGE: return "message";
    case RC_CDTEXT_FIELD_GENRE: return "genre";
    case RC_CDTEXT_FIELD_UPC_ISRC:
    default:
      return track == 0 ? "upc_ean" : "isrc";
    }
}

static GVariant *
tracks_variant (const RcInspectReport *report)
{
  GVariantBuilder tracks;

  g_variant_builder_init (&tracks, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < report->n_tracks; i++)
    {
      const RcInspectTrack *t = &report->tracks[i];
      GVariantBuilder track;

      g_variant_builder_init (&track, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&track, "{sv}", "number", g_variant_new_uint32 (t->number));
      g_variant_builder_add (&track, "{sv}", "start_lba", g_variant_new_int32 (t->start_lba));
      g_variant_builder_add (&track, "{sv}", "start_msf", msf_variant (t->start_lba));
      if (t->pregap_lba != RC_INSPECT_NO_LBA)
        {
          g_variant_builder_add (&track, "{sv}", "pregap_lba", g_variant_new_int32 (t->pregap_lba));
          g_variant_builder_add (&track, "{sv}", "pregap_msf", msf_variant (t->pregap_lba));
        }
      g_variant_builder_add (&track, "{sv}", "end_lba", g_variant_new_int32 (t->end_lba));
      g_variant_builder_add (&track, "{sv}", "indexes",
                             g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, t->index_lba,
                                                        t->n_indexes, sizeof (gint32)));
      g_variant_builder_add (&track, "{sv}", "isrc", text_variant (t->isrc));
      g_variant_builder_add (&track, "{sv}", "copy", g_variant_new_uint32 (t->copy));
      g_variant_builder_add (&track, "{sv}", "preemphasis", g_variant_new_boolean (t->preemphasis));
      g_variant_builder_add_value (&tracks, g_variant_builder_end (&track));
    }
  return g_variant_builder_end (&tracks);
}

static GVariant *
cdtext_entry (guint block, guint track, const char *field, GVariant *text)
{
  GVariantBuilder entry;

  g_variant_builder_init (&entry, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&entry, "{sv}", "block", g_variant_new_uint32 (block));
  g_variant_builder_add (&entry, "{sv}", "track", g_variant_new_uint32 (track));
  g_variant_builder_add (&entry, "{sv}", "field", g_variant_new_string (field));
  g_variant_builder_add (&entry, "{sv}", "text", text);
  return g_variant_builder_end (&entry);
}

/* The genre code of the blocks before `before` (entries come by block):
 * "genre_code" as the CdText properties name it, the number in decimal,
 * for a code other than 0 ("Not Used"). */
static void
add_genre_codes (GVariantBuilder *entries, const RcCdTextDecoded *cdtext, guint *next,
                 guint before)
{
  for (; *next < cdtext->n_blocks && cdtext->blocks[*next].block < before; (*next)++)
    {
      const RcCdTextBlockInfo *b = &cdtext->blocks[*next];
      g_autofree char *code = NULL;

      if (b->genre_code == 0)
        continue;
      code = g_strdup_printf ("%u", b->genre_code);
      g_variant_builder_add_value (entries, cdtext_entry (b->block, 0, "genre_code",
                                                          g_variant_new_string (code)));
    }
}

static GVariant *
cdtext_variant (const RcInspectReport *report)
{
  GVariantBuilder entries;
  guint next_block = 0;

  g_variant_builder_init (&entries, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; report->cdtext != NULL && i < report->cdtext->n_entries; i++)
    {
      const RcCdTextEntry *e = &report->cdtext->entries[i];

      add_genre_codes (&entries, report->cdtext, &next_block, e->block);
      g_variant_builder_add_value (&entries,
                                   cdtext_entry (e->block, e->track,
                                                 cdtext_field_name (e->field, e->track),
                                                 text_variant (e->text)));
    }
  if (report->cdtext != NULL)
    add_genre_codes (&entries, report->cdtext, &next_block, G_MAXUINT);
  return g_variant_builder_end (&entries);
}

static GVariant *
problems_variant (const RcInspectReport *report)
{
  GVariantBuilder problems;

  g_variant_builder_init (&problems, G_VARIANT_TYPE ("a(iss)"));
  for (guint i = 0; i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);
      g_variant_builder_add (&problems, "(is@s)", p->lba, rc_inspect_check_name (p->check),
                             text_variant (p->message));
    }
  return g_variant_builder_end (&problems);
}

/* The absolute time of each problem of problems_variant(), in its order
 * (a(iss) stays as it was for the clients that read it). */
static GVariant *
problem_msfs_variant (const RcInspectReport *report)
{
  GVariantBuilder msfs;

  g_variant_builder_init (&msfs, G_VARIANT_TYPE ("as"));
  for (guint i = 0; i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      g_variant_builder_add_value (&msfs, msf_variant (p->lba));
    }
  return g_variant_builder_end (&msfs);
}

static GVariant *
counts_variant (const RcInspectReport *report)
{
  GVariantBuilder counts;

  g_variant_builder_init (&counts, G_VARIANT_TYPE ("a{su}"));
  for (guint c = 0; c < RC_INSPECT_N_CHECKS; c++)
    if (report->counts[c] > 0)
      g_variant_builder_add (&counts, "{su}", rc_inspect_check_name (c), report->counts[c]);
  return g_variant_builder_end (&counts);
}

GVariant *
rcd_inspect_report_to_variant (const RcInspectReport *report)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "clean", g_variant_new_boolean (report->n_problems == 0));
  g_variant_builder_add (&b, "{sv}", "format", text_variant (report->format));
  g_variant_builder_add (&b, "{sv}", "image_type", g_variant_new_uint32 (report->image_type));
  g_variant_builder_add (&b, "{sv}", "sector_bytes", g_variant_new_uint32 (report->sector_bytes));
  g_variant_builder_add (&b, "{sv}", "sectors", g_variant_new_uint64 (report->sectors));
  g_variant_builder_add (&b, "{sv}", "first_lba", g_variant_new_int32 (report->first_lba));
  g_variant_builder_add (&b, "{sv}", "first_msf", msf_variant (report->first_lba));
  g_variant_builder_add (&b, "{sv}", "first_track", g_variant_new_uint32 (report->first_track));
  g_variant_builder_add (&b, "{sv}", "last_track", g_variant_new_uint32 (report->last_track));
  g_variant_builder_add (&b, "{sv}", "leadout_lba", g_variant_new_int32 (report->leadout_lba));
  g_variant_builder_add (&b, "{sv}", "leadout_msf", msf_variant (report->leadout_lba));
  g_variant_builder_add (&b, "{sv}", "mcn", text_variant (report->mcn));
  g_variant_builder_add (&b, "{sv}", "tracks", tracks_variant (report));
  g_variant_builder_add (&b, "{sv}", "cdtext", cdtext_variant (report));
  g_variant_builder_add (&b, "{sv}", "problems", problems_variant (report));
  g_variant_builder_add (&b, "{sv}", "problem_msfs", problem_msfs_variant (report));
  g_variant_builder_add (&b, "{sv}", "problem_count", g_variant_new_uint32 (report->n_problems));
  g_variant_builder_add (&b, "{sv}", "counts", counts_variant (report));
  return g_variant_builder_end (&b);
}
