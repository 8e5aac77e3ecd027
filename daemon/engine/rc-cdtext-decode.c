/* rc-cdtext-decode.c: CD-TEXT packs back to text (cd-format.md §9).
 *
 * How a block is read (the layout rc-cdtext.c and libburn write, and what
 * Sony's documentation allows):
 *
 * - the packs of one type, in sequence order, carry that type's strings
 *   back to back: the disc's (track 0), then first_track, first_track + 1
 *   ... each ended by NUL (two NULs in a double-byte pack);
 * - header byte 1 names the track of the string that starts the pack's
 *   text and byte 3 how many of its characters came in earlier packs: they
 *   are checked while the stream is continuous, and used to pick the stream
 *   up again after a missing pack (the string cut by the gap is dropped,
 *   never guessed);
 * - a string that is TAB (TAB TAB when double-byte) repeats the previous
 *   track's;
 * - the genre pack starts with a two-byte binary code, then ASCII text;
 * - the three 0x8F packs (size info) give the character code, the track
 *   range, the pack count of every type and the last sequence number and
 *   language of every block; they are checked against the packs found.
 */
#include "rc-cdtext-decode.h"

#include "rc-crc.h"

#include <string.h>

#define N_SEQ            256
#define TEXT_BYTES       12
#define SIZE_INFO_TYPE   0x8F
#define GENRE_TYPE       0x87
#define SIZE_INFO_PACKS  3
#define NO_LBA           G_MININT

/* the size info's character codes are RcCdTextCharset values */
#define CHARSET_ISO_8859_1 RC_CDTEXT_CHARSET_ISO_8859_1
#define CHARSET_ASCII      RC_CDTEXT_CHARSET_ASCII
#define CHARSET_MS_JIS     RC_CDTEXT_CHARSET_MS_JIS

typedef struct {
  guint8   pack[RC_CDTEXT_PACK_SIZE];
  gint     lba;        /* where it was first read */
  gboolean present;
} StoredPack;

struct _RcCdTextDecoder {
  StoredPack packs[RC_CDTEXT_N_BLOCKS][N_SEQ];
  guint      n_packs;
};

RcCdTextDecoder *
rc_cdtext_decoder_new (void)
{
  return g_new0 (RcCdTextDecoder, 1);
}

void
rc_cdtext_decoder_free (RcCdTextDecoder *decoder)
{
  g_free (decoder);
}

guint
rc_cdtext_decoder_n_packs (const RcCdTextDecoder *decoder)
{
  return decoder->n_packs;
}

RcCdTextPackResult
rc_cdtext_decoder_add (RcCdTextDecoder *decoder, const guint8 pack[RC_CDTEXT_PACK_SIZE], gint lba)
{
  guint16 crc = rc_crc16 (pack, 16) ^ 0xFFFF;
  guint block = (pack[3] >> 4) & 0x7;
  StoredPack *sp;

  if (pack[16] != (crc >> 8) || pack[17] != (crc & 0xff))
    return RC_CDTEXT_PACK_BAD_CRC;
  if (pack[0] < 0x80 || pack[0] > 0x8F)
    return RC_CDTEXT_PACK_NOT_TEXT;
  sp = &decoder->packs[block][pack[2]];
  if (sp->present)
    return memcmp (sp->pack, pack, RC_CDTEXT_PACK_SIZE) == 0 ? RC_CDTEXT_PACK_REPEATED
                                                            : RC_CDTEXT_PACK_CONFLICT;
  memcpy (sp->pack, pack, RC_CDTEXT_PACK_SIZE);
  sp->lba = lba;
  sp->present = TRUE;
  decoder->n_packs++;
  return RC_CDTEXT_PACK_ADDED;
}

/* ---- the result ---- */

void
rc_cdtext_decoded_free (RcCdTextDecoded *decoded)
{
  if (decoded == NULL)
    return;
  for (guint i = 0; i < decoded->n_entries; i++)
    g_free (decoded->entries[i].text);
  g_free (decoded->entries);
  g_free (decoded->blocks);
  g_free (decoded);
}

const char *
rc_cdtext_decoded_get (const RcCdTextDecoded *decoded, guint block, guint track, RcCdTextField field)
{
  for (guint i = 0; decoded != NULL && i < decoded->n_entries; i++)
    {
      const RcCdTextEntry *e = &decoded->entries[i];

      if (e->block == block && e->track == track && e->field == field)
        return e->text;
    }
  return NULL;
}

const RcCdTextBlockInfo *
rc_cdtext_decoded_get_block (const RcCdTextDecoded *decoded, guint block)
{
  for (guint i = 0; decoded != NULL && i < decoded->n_blocks; i++)
    if (decoded->blocks[i].block == block)
      return &decoded->blocks[i];
  return NULL;
}

/* ---- decoding one block ---- */

typedef struct {
  const RcCdTextDecoder *decoder;
  guint                  block;
  RcCdTextProblemFunc    problem;
  gpointer               user_data;
  guint8                 info[SIZE_INFO_PACKS * TEXT_BYTES];
  gboolean               has_info;
  gint                   info_lba;
  guint8                 charset;
  guint                  first_track;
  GArray                *entries;   /* RcCdTextEntry */
} Block;

static void block_problem (Block *b, gint lba, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
block_problem (Block *b, gint lba, const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  message = g_strdup_printf ("CD-TEXT block %u: %s", b->block, what);
  if (b->problem != NULL)
    b->problem (lba, message, b->user_data);
}

static const StoredPack *
block_pack (const Block *b, guint seq)
{
  const StoredPack *sp = &b->decoder->packs[b->block][seq];

  return sp->present ? sp : NULL;
}

static void
read_size_info (Block *b)
{
  gboolean have[SIZE_INFO_PACKS] = { FALSE };

  for (guint seq = 0; seq < N_SEQ; seq++)
    {
      const StoredPack *sp = block_pack (b, seq);

      if (sp == NULL || sp->pack[0] != SIZE_INFO_TYPE || sp->pack[1] >= SIZE_INFO_PACKS)
        continue;
      memcpy (b->info + TEXT_BYTES * sp->pack[1], sp->pack + 4, TEXT_BYTES);
      have[sp->pack[1]] = TRUE;
      if (b->info_lba == NO_LBA)
        b->info_lba = sp->lba;
    }
  b->has_info = have[0] && have[1] && have[2];
  b->charset = CHARSET_ISO_8859_1;
  b->first_track = 1;
  if (!b->has_info)
    {
      block_problem (b, b->info_lba, "its size information (three 0x8F packs) is incomplete: "
                     "text read as ISO-8859-1 from track 1");
      return;
    }
  b->charset = b->info[0];
  b->first_track = b->info[1];
  if (b->charset != CHARSET_ISO_8859_1 && b->charset != CHARSET_ASCII && b->charset != CHARSET_MS_JIS)
    block_problem (b, b->info_lba, "character code %02X is not one rawcd reads "
                   "(00 ISO-8859-1, 01 ASCII, 80 MS-JIS)", b->charset);
}

/* Sequence numbers run from 0 without gaps; a gap is a pack whose every
 * copy in the lead-in was damaged (or never written). */
static void
check_sequence (Block *b)
{
  guint last = 0;
  guint counts[16] = { 0 };

  for (guint seq = 0; seq < N_SEQ; seq++)
    {
      const StoredPack *sp = block_pack (b, seq);

      if (sp == NULL)
        continue;
      last = seq;
      counts[sp->pack[0] - 0x80]++;
    }
  for (guint seq = 0; seq < last; seq++)
    {
      guint end = seq;

      if (block_pack (b, seq) != NULL)
        continue;
      while (end + 1 < last && block_pack (b, end + 1) == NULL)
        end++;
      block_problem (b, block_pack (b, end + 1)->lba,
                     "no valid copy of the packs with sequence numbers %u to %u", seq, end);
      seq = end;
    }
  if (!b->has_info)
    return;
  for (guint t = 0; t < 16; t++)
    if (b->info[4 + t] != counts[t])
      block_problem (b, b->info_lba, "the size information counts %u packs of type %02X, the lead-in "
                     "has %u", b->info[4 + t], 0x80 + t, counts[t]);
  if (b->info[20 + b->block] != last)
    block_problem (b, b->info_lba, "the size information gives %u as the last sequence number, the "
                   "lead-in has packs up to %u", b->info[20 + b->block], last);
}

static guint
next_track (const Block *b, guint track)
{
  return track == 0 ? b->first_track : track + 1;
}

/* Collects the raw bytes of every string of one type, by track. */
static void
collect_strings (Block *b, guint8 type, GByteArray *raw[RC_CDTEXT_MAX_TRACK + 1], gboolean *dbcc_out)
{
  g_autoptr(GByteArray) cur = g_byte_array_new ();
  guint track = 0;
  gboolean skipping = FALSE;  /* bytes of a string whose head was in a missing pack */
  gint prev_seq = -1;
  gint last_lba = NO_LBA;

  for (guint seq = 0; seq < N_SEQ; seq++)
    {
      const StoredPack *sp = block_pack (b, seq);
      const guint8 *p;
      gboolean dbcc;
      guint unit, pos;

      if (sp == NULL || sp->pack[0] != type)
        continue;
      p = sp->pack;
      dbcc = (p[3] & 0x80) != 0;
      unit = dbcc ? 2 : 1;
      pos = p[3] & 0x0F;
      *dbcc_out = dbcc;
      if (prev_seq < 0 || (gint) seq != prev_seq + 1)
        {
          /* the first pack of the type, or the first after a gap (reported
           * by check_sequence): the header says where the text stands */
          g_byte_array_set_size (cur, 0);
          track = p[1];
          skipping = pos > 0;
        }
      else if (!skipping && (p[1] != track || pos != MIN (cur->len / unit, 15u)))
        {
          block_problem (b, sp->lba, "pack %u (type %02X) says track %u character %u; the text before "
                         "it stands at track %u character %u", seq, type, p[1], pos, track,
                         MIN (cur->len / unit, 15u));
        }

      for (guint i = 0; i + unit <= TEXT_BYTES; i += unit)
        {
          const guint8 *c = p + 4 + i;
          gboolean terminator = c[0] == 0 && (unit == 1 || c[1] == 0);

          if (!terminator)
            {
              if (!skipping)
                g_byte_array_append (cur, c, unit);
              continue;
            }
          if (!skipping && track <= RC_CDTEXT_MAX_TRACK && raw[track] == NULL)
            raw[track] = g_byte_array_append (g_byte_array_new (), cur->data, cur->len);
          g_byte_array_set_size (cur, 0);
          skipping = FALSE;
          track = next_track (b, track);
        }
      prev_seq = (gint) seq;
      last_lba = sp->lba;
    }
  if (cur->len > 0)
    block_problem (b, last_lba, "the text of type %02X for track %u has no terminating NUL", type, track);
}

static char *
latin1_to_utf8 (const guint8 *bytes, gsize len)
{
  GString *s = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    g_string_append_unichar (s, bytes[i]);
  return g_string_free (s, FALSE);
}

/* The text of one string in the block's character code; a byte sequence
 * that does not decode is reported and shown as Latin-1, so that the user
 * still sees something of it. */
static char *
string_to_utf8 (Block *b, const GByteArray *raw, gboolean ascii_field, guint8 type, guint track, gint lba)
{
  guint8 charset = ascii_field ? CHARSET_ASCII : b->charset;

  if (raw->len == 0)
    return g_strdup ("");
  if (charset == CHARSET_MS_JIS)
    {
      g_autoptr(GError) error = NULL;
      char *utf8 = g_convert ((const char *) raw->data, raw->len, "UTF-8", "CP932", NULL, NULL, &error);

      if (utf8 != NULL)
        return utf8;
      block_problem (b, lba, "the text of type %02X for track %u is not valid MS-JIS: %s",
                     type, track, error->message);
    }
  else if (charset == CHARSET_ASCII)
    {
      for (guint i = 0; i < raw->len; i++)
        if (raw->data[i] >= 0x80)
          {
            block_problem (b, lba, "the text of type %02X for track %u has byte %02X, which is not ASCII",
                           type, track, raw->data[i]);
            break;
          }
    }
  return latin1_to_utf8 (raw->data, raw->len);
}

static void
add_entry (Block *b, guint track, RcCdTextField field, char *text)
{
  RcCdTextEntry e = { b->block, track, field, text };

  if (text[0] == '\0')
    {
      g_free (text);
      return;
    }
  g_array_append_val (b->entries, e);
}

static gint
type_lba (const Block *b, guint8 type)
{
  for (guint seq = 0; seq < N_SEQ; seq++)
    {
      const StoredPack *sp = block_pack (b, seq);

      if (sp != NULL && sp->pack[0] == type)
        return sp->lba;
    }
  return NO_LBA;
}

static void
decode_type (Block *b, guint8 type)
{
  GByteArray *raw[RC_CDTEXT_MAX_TRACK + 1] = { NULL };
  gboolean dbcc = FALSE;
  gint lba = type_lba (b, type);
  const GByteArray *prev = NULL;

  if (lba == NO_LBA)
    return;
  collect_strings (b, type, raw, &dbcc);
  for (guint t = 0; t <= RC_CDTEXT_MAX_TRACK; t++)
    {
      const GByteArray *s = raw[t];
      gboolean tab;

      if (s == NULL)
        continue;
      /* TAB: the same as the previous track's */
      tab = (s->len == 1 && !dbcc && s->data[0] == '\t') ||
            (s->len == 2 && dbcc && s->data[0] == '\t' && s->data[1] == '\t');
      if (tab && prev == NULL)
        {
          block_problem (b, lba, "track %u's text of type %02X is TAB, but no string comes before it",
                         t, type);
          continue;
        }
      if (tab)
        s = prev;
      add_entry (b, t, (RcCdTextField) type,
                 string_to_utf8 (b, s, type == RC_CDTEXT_FIELD_UPC_ISRC, type, t, lba));
      prev = s;
    }
  for (guint t = 0; t <= RC_CDTEXT_MAX_TRACK; t++)
    if (raw[t] != NULL)
      g_byte_array_unref (raw[t]);
}

/* 0x87: the disc's genre, a two-byte code and then ASCII text. */
static guint16
decode_genre (Block *b)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gint lba = type_lba (b, GENRE_TYPE);
  guint16 code;
  guint len = 0;

  if (lba == NO_LBA)
    return 0;
  for (guint seq = 0; seq < N_SEQ; seq++)
    {
      const StoredPack *sp = block_pack (b, seq);

      if (sp != NULL && sp->pack[0] == GENRE_TYPE && sp->pack[1] == 0)
        g_byte_array_append (bytes, sp->pack + 4, TEXT_BYTES);
    }
  if (bytes->len < 2)
    return 0;
  code = (guint16) (bytes->data[0] << 8 | bytes->data[1]);
  while (2 + len < bytes->len && bytes->data[2 + len] != 0)
    len++;
  if (len > 0)
    {
      g_autoptr(GByteArray) text = g_byte_array_new ();

      g_byte_array_append (text, bytes->data + 2, len);
      add_entry (b, 0, RC_CDTEXT_FIELD_GENRE,
                 string_to_utf8 (b, text, TRUE, GENRE_TYPE, 0, lba));
    }
  return code;
}

static gboolean
block_present (const RcCdTextDecoder *decoder, guint block)
{
  for (guint seq = 0; seq < N_SEQ; seq++)
    if (decoder->packs[block][seq].present)
      return TRUE;
  return FALSE;
}

static void
decode_block (Block *b, RcCdTextBlockInfo *info)
{
  static const guint8 text_types[] = {
    RC_CDTEXT_FIELD_TITLE, RC_CDTEXT_FIELD_PERFORMER, RC_CDTEXT_FIELD_SONGWRITER,
    RC_CDTEXT_FIELD_COMPOSER, RC_CDTEXT_FIELD_ARRANGER, RC_CDTEXT_FIELD_MESSAGE,
  };

  read_size_info (b);
  check_sequence (b);
  for (guint i = 0; i < G_N_ELEMENTS (text_types); i++)
    decode_type (b, text_types[i]);
  info->genre_code = decode_genre (b);
  decode_type (b, RC_CDTEXT_FIELD_UPC_ISRC);

  info->block = b->block;
  info->charset = b->charset;
  info->first_track = b->first_track;
  for (guint seq = 0; seq < N_SEQ; seq++)
    if (block_pack (b, seq) != NULL)
      info->n_packs++;
  if (b->has_info)
    {
      info->last_track = b->info[2];
      info->copyright = b->info[3] != 0;
      info->language = b->info[28 + b->block];
    }
}

RcCdTextDecoded *
rc_cdtext_decoder_finish (RcCdTextDecoder *decoder, RcCdTextProblemFunc problem, gpointer user_data)
{
  RcCdTextDecoded *decoded;
  g_autoptr(GArray) blocks = g_array_new (FALSE, TRUE, sizeof (RcCdTextBlockInfo));
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (RcCdTextEntry));

  if (decoder->n_packs == 0)
    return NULL;
  for (guint block = 0; block < RC_CDTEXT_N_BLOCKS; block++)
    {
      Block b = {
        .decoder = decoder,
        .block = block,
        .problem = problem,
        .user_data = user_data,
        .info_lba = NO_LBA,
        .entries = entries,
      };
      RcCdTextBlockInfo info = { 0 };

      if (!block_present (decoder, block))
        continue;
      decode_block (&b, &info);
      g_array_append_val (blocks, info);
    }

  decoded = g_new0 (RcCdTextDecoded, 1);
  decoded->n_blocks = blocks->len;
  decoded->blocks = (RcCdTextBlockInfo *) g_array_steal (blocks, NULL);
  decoded->n_entries = entries->len;
  decoded->entries = (RcCdTextEntry *) g_array_steal (entries, NULL);
  return decoded;
}
