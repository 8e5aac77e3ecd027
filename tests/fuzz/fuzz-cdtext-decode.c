/* fuzz-cdtext-decode.c: the CD-TEXT pack decoder (rc-cdtext-decode.c), the
 * part of the inspector that turns lead-in packs into text.
 *
 * Input: one flags byte, then 18-byte packs.  Flag 0x01: keep each pack's
 * CRC as given (otherwise it is made valid, or almost every pack would be
 * dropped before the decoder looks at it).  Packs are fed four per sector,
 * from LBA -22650, as the lead-in carries them.
 */
#include "fuzz.h"
#include "rc-cdtext-decode.h"
#include "rc-crc.h"

#include <string.h>

static void
on_problem (gint lba, const char *message, gpointer user_data)
{
  guint *n_problems = user_data;

  /* a problem says what it is, in text a D-Bus string can carry */
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  g_assert_true (g_utf8_validate (message, -1, NULL));
  (*n_problems)++;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(RcCdTextDecoder) decoder = rc_cdtext_decoder_new ();
  g_autoptr(RcCdTextDecoded) decoded = NULL;
  gboolean keep_crc;
  guint n_problems = 0;
  guint n_added = 0;

  if (size < 1)
    return 0;
  keep_crc = (data[0] & 0x01) != 0;
  data++;
  size--;

  for (size_t i = 0; i + RC_CDTEXT_PACK_SIZE <= size; i += RC_CDTEXT_PACK_SIZE)
    {
      guint8 pack[RC_CDTEXT_PACK_SIZE];

      memcpy (pack, data + i, sizeof pack);
      if (!keep_crc)
        {
          guint16 crc = rc_crc16 (pack, 16) ^ 0xFFFF;

          pack[16] = crc >> 8;
          pack[17] = crc & 0xff;
        }
      if (rc_cdtext_decoder_add (decoder, pack, -22650 + (gint) (i / RC_CDTEXT_PACK_SIZE / 4))
          == RC_CDTEXT_PACK_ADDED)
        n_added++;
    }
  g_assert_cmpuint (rc_cdtext_decoder_n_packs (decoder), ==, n_added);
  /* memory is bounded: one pack per block and sequence number */
  g_assert_cmpuint (n_added, <=, RC_CDTEXT_N_BLOCKS * 256);

  decoded = rc_cdtext_decoder_finish (decoder, on_problem, &n_problems);
  if (n_added == 0)
    {
      g_assert_null (decoded);
      return 0;
    }
  g_assert_nonnull (decoded);
  g_assert_cmpuint (decoded->n_blocks, <=, RC_CDTEXT_N_BLOCKS);
  for (guint b = 0; b < decoded->n_blocks; b++)
    {
      g_assert_cmpuint (decoded->blocks[b].block, <, RC_CDTEXT_N_BLOCKS);
      g_assert_true (rc_cdtext_decoded_get_block (decoded, decoded->blocks[b].block) != NULL);
    }
  for (guint e = 0; e < decoded->n_entries; e++)
    {
      const RcCdTextEntry *entry = &decoded->entries[e];

      /* the report goes over D-Bus as strings: they must be valid UTF-8 */
      g_assert_nonnull (entry->text);
      g_assert_true (g_utf8_validate (entry->text, -1, NULL));
      g_assert_cmpstr (entry->text, !=, "");
      g_assert_cmpuint (entry->block, <, RC_CDTEXT_N_BLOCKS);
      g_assert_true (rc_cdtext_decoded_get (decoded, entry->block, entry->track, entry->field) != NULL);
    }
  return 0;
}
