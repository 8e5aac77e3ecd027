/* rc-inspect-text.c: CD-TEXT from the lead-in's R-W (rc-inspect-text.h). */
#include "rc-inspect-text.h"

#include "rc-inspect-read.h"

#define NO_LBA RC_INSPECT_NO_LBA

/* A broken pack, reported only once the lead-in is known to carry CD-TEXT. */
typedef struct {
  gint     lba;
  guint    k;       /* pack of the sector */
  gboolean conflict;
} PendingPack;

struct _RcInspectText {
  RcInspectLog    *log;
  RcCdTextDecoder *decoder;    /* NULL once the lead-in proved to carry none */
  gboolean         done;
  gboolean         has_cdtext;
  guint64          n_packs_nonzero;
  guint64          n_packs_valid;
  guint64          n_packs_bad;
  guint64          n_packs_conflict;
  GArray          *pending;    /* PendingPack, at most log->max */
};

RcInspectText *
rc_inspect_text_new (RcInspectLog *log)
{
  RcInspectText *self = g_new0 (RcInspectText, 1);

  self->log = log;
  self->decoder = rc_cdtext_decoder_new ();
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingPack));
  return self;
}

void
rc_inspect_text_free (RcInspectText *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->decoder, rc_cdtext_decoder_free);
  g_array_unref (self->pending);
  g_free (self);
}

/* §7: 24 six-bit symbols, each 4 giving 3 bytes, most significant first. */
static void
symbols_to_pack (const guint8 sym[24], guint8 pack[RC_CDTEXT_PACK_SIZE])
{
  for (guint g = 0; g < 6; g++)
    {
      const guint8 *s = sym + 4 * g;
      guint32 bits = (guint32) s[0] << 18 | (guint32) s[1] << 12 | (guint32) s[2] << 6 | s[3];

      pack[3 * g] = (guint8) (bits >> 16);
      pack[3 * g + 1] = (guint8) (bits >> 8);
      pack[3 * g + 2] = (guint8) bits;
    }
}

static void
pending_add (RcInspectText *self, gint lba, guint k, gboolean conflict)
{
  PendingPack p = { lba, k, conflict };

  if (self->pending->len < self->log->max)
    g_array_append_val (self->pending, p);
}

void
rc_inspect_text_leadin_sector (RcInspectText *self, gint lba, const guint8 rw[96])
{
  if (self->done)
    return;
  for (guint k = 0; k < 4; k++)
    {
      const guint8 *sym = rw + 24 * k;
      guint8 pack[RC_CDTEXT_PACK_SIZE];

      if (rc_inspect_all_zero (sym, 24))
        continue;
      self->n_packs_nonzero++;
      symbols_to_pack (sym, pack);
      switch (rc_cdtext_decoder_add (self->decoder, pack, lba))
        {
        case RC_CDTEXT_PACK_ADDED:
        case RC_CDTEXT_PACK_REPEATED:
          self->n_packs_valid++;
          break;
        case RC_CDTEXT_PACK_CONFLICT:
          self->n_packs_valid++;
          self->n_packs_conflict++;
          pending_add (self, lba, k, TRUE);
          break;
        case RC_CDTEXT_PACK_BAD_CRC:
          self->n_packs_bad++;
          pending_add (self, lba, k, FALSE);
          break;
        case RC_CDTEXT_PACK_NOT_TEXT:
        default:
          break;
        }
    }
}

/* The lead-in carries CD-TEXT when most of its non-zero packs are valid
 * CD-TEXT packs: R-W generator data passes a pack CRC about once in 65536
 * packs. */
void
rc_inspect_text_leadin_done (RcInspectText *self)
{
  if (self->done)
    return;
  self->done = TRUE;
  self->has_cdtext = self->n_packs_valid > 0 && self->n_packs_valid * 2 >= self->n_packs_nonzero;
  if (!self->has_cdtext)
    {
      g_clear_pointer (&self->decoder, rc_cdtext_decoder_free);
      self->n_packs_bad = 0;
      return;
    }
  for (guint i = 0; i < self->pending->len; i++)
    {
      const PendingPack *p = &g_array_index (self->pending, PendingPack, i);

      rc_inspect_log_add (self->log, p->lba, RC_INSPECT_CHECK_CDTEXT, RC_INSPECT_SEVERITY_ERROR,
                          p->conflict ? "CD-TEXT pack %u of the sector has a valid CRC but differs from an "
                                        "earlier copy with its block and sequence number"
                                      : "CD-TEXT pack %u of the sector has a CRC error (§9)", p->k);
    }
  if (self->n_packs_bad + self->n_packs_conflict > self->pending->len)
    rc_inspect_log_add (self->log, NO_LBA, RC_INSPECT_CHECK_CDTEXT, RC_INSPECT_SEVERITY_ERROR,
                        "in all %" G_GUINT64_FORMAT " CD-TEXT packs have a CRC error and %" G_GUINT64_FORMAT
                        " differ from an earlier copy", self->n_packs_bad, self->n_packs_conflict);
}

gboolean
rc_inspect_text_is_done (const RcInspectText *self)
{
  return self->done;
}

guint64
rc_inspect_text_n_bad_packs (const RcInspectText *self)
{
  return self->n_packs_bad;
}

static void
decoder_problem (gint lba, const char *message, gpointer user_data)
{
  RcInspectText *self = user_data;

  rc_inspect_log_add (self->log, lba, RC_INSPECT_CHECK_CDTEXT, RC_INSPECT_SEVERITY_ERROR, "%s", message);
}

/* The size info of each block names the disc's track range. */
static void
check_tracks (RcInspectText *self, const RcCdTextDecoded *cdtext, const RcInspectReport *report)
{
  for (guint i = 0; i < cdtext->n_blocks; i++)
    {
      const RcCdTextBlockInfo *b = &cdtext->blocks[i];

      if (report->n_tracks == 0 || b->last_track == 0)
        continue;
      if (b->first_track != report->first_track || b->last_track != report->last_track)
        rc_inspect_log_add (self->log, NO_LBA, RC_INSPECT_CHECK_CDTEXT, RC_INSPECT_SEVERITY_ERROR,
                            "CD-TEXT block %u gives tracks %u to %u; the disc has tracks %u to %u",
                            b->block, b->first_track, b->last_track, report->first_track, report->last_track);
    }
}

RcCdTextDecoded *
rc_inspect_text_finish (RcInspectText *self, const RcInspectReport *report)
{
  RcCdTextDecoded *cdtext;

  if (self->decoder == NULL)
    return NULL;
  cdtext = rc_cdtext_decoder_finish (self->decoder, decoder_problem, self);
  if (cdtext != NULL)
    check_tracks (self, cdtext, report);
  return cdtext;
}
