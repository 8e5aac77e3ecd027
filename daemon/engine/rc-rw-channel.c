/* rc-rw-channel.c: CD-TEXT in the lead-in, the R-W generator elsewhere. */
#include "rc-rw-channel.h"
#include "rc-rw.h"

#include <string.h>

struct _RcRwChannel {
  const guint8   *packs;        /* CD-TEXT packs, or NULL */
  guint           n_packs;
  RcSubcodeSource *rw;          /* or NULL */
  RcRwEncoder    *encoder;      /* IS_RAW only */
  gint64          first_rw;     /* first image sector that carries generator data */
  gint64          next_rw;      /* the sector the encoder expects next */
  guint8         *in;           /* generator symbols of the current run */
  guint           in_sectors;
};

RcRwChannel *
rc_rw_channel_new (const RcLayout *layout, RcImageType type)
{
  RcRwChannel *channel;
  gboolean has_text = layout->cdtext_packs != NULL && g_bytes_get_size (layout->cdtext_packs) > 0;

  if (type == RC_IMAGE_TYPE_PQ_ONLY || (!has_text && layout->rw == NULL))
    return NULL;

  channel = g_new0 (RcRwChannel, 1);
  if (has_text)
    {
      gsize size;
      channel->packs = g_bytes_get_data (layout->cdtext_packs, &size);
      channel->n_packs = (guint) (size / RC_CDTEXT_PACK_SIZE);
    }
  channel->rw = layout->rw;
  /* The generator's stream is coded from where it is first heard. */
  channel->first_rw = has_text ? RC_LEADIN_SECTORS : 0;
  channel->next_rw = -1;
  if (layout->rw != NULL && type == RC_IMAGE_TYPE_IS_RAW)
    channel->encoder = rc_rw_encoder_new ();
  return channel;
}

void
rc_rw_channel_free (RcRwChannel *channel)
{
  if (channel == NULL)
    return;
  g_clear_pointer (&channel->encoder, rc_rw_encoder_free);
  g_free (channel->in);
  g_free (channel);
}

static void
fill_cdtext (RcRwChannel *channel, gint64 sector, guint8 out[96])
{
  /* PINNED: lead-in sector s carries packs (4s + k) % N, k = 0..3. */
  for (guint k = 0; k < 4; k++)
    {
      guint pack = (guint) ((4 * sector + k) % channel->n_packs);
      rc_cdtext_pack_to_symbols (channel->packs + (gsize) pack * RC_CDTEXT_PACK_SIZE,
                                 out + 24 * k);
    }
}

/* Brings the IS_RAW coder to the state it has before `sector`: its delay
 * spans less than two sectors, so coding the two before is enough. */
static gboolean
prime_encoder (RcRwChannel *channel, gint64 sector, GError **error)
{
  gint64 from = MAX (channel->first_rw, sector - 2);
  guint8 in[96], out[96];

  rc_rw_encoder_reset (channel->encoder);
  for (gint64 s = from; s < sector; s++)
    {
      if (!rc_subcode_source_read (channel->rw, s, 1, in, error))
        return FALSE;
      rc_rw_encoder_encode_sector (channel->encoder, in, out);
    }
  channel->next_rw = sector;
  return TRUE;
}

/* Generator data for sectors first .. first+n-1, all at or after first_rw. */
static gboolean
fill_generator (RcRwChannel *channel, gint64 first, guint n, guint8 *out, GError **error)
{
  if (channel->encoder == NULL)
    return rc_subcode_source_read (channel->rw, first, n, out, error);

  if (channel->in_sectors < n)
    {
      g_free (channel->in);
      channel->in = g_malloc ((gsize) n * 96);
      channel->in_sectors = n;
    }
  if (channel->next_rw != first && !prime_encoder (channel, first, error))
    return FALSE;
  if (!rc_subcode_source_read (channel->rw, first, n, channel->in, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    rc_rw_encoder_encode_sector (channel->encoder, channel->in + (gsize) i * 96,
                                 out + (gsize) i * 96);
  channel->next_rw = first + n;
  return TRUE;
}

gboolean
rc_rw_channel_fill (RcRwChannel *channel, gint lba, guint n, guint8 *out, GError **error)
{
  gint64 first = (gint64) lba - RC_LEADIN_START_LBA;   /* image sector number */
  guint i = 0;

  for (; i < n && first + i < channel->first_rw; i++)
    {
      if (channel->packs != NULL)
        fill_cdtext (channel, first + i, out + (gsize) i * 96);
      else
        memset (out + (gsize) i * 96, 0, 96);
    }
  if (i == n)
    return TRUE;
  if (channel->rw == NULL)
    {
      memset (out + (gsize) i * 96, 0, (gsize) (n - i) * 96);
      return TRUE;
    }
  return fill_generator (channel, first + i, n - i, out + (gsize) i * 96, error);
}
