/* rc-inspect-read.c: the sectors of an image file (rc-inspect-read.h). */
#include "rc-inspect-read.h"

#include "rc-crc.h"
#include "rc-error.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean
read_at (int fd, guint8 *buf, gsize len, guint64 offset, const char *what, GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = pread (fd, buf + done, len - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "reading the %s at byte %" G_GUINT64_FORMAT
                       " failed: %s", what, offset + done, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "the %s ends at byte %" G_GUINT64_FORMAT
                       ", before the size it had when inspection began", what, offset + done);
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

gboolean
rc_inspect_file_size (int fd, const char *what, guint64 *size, GError **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "cannot inspect the %s: %s", what, g_strerror (saved));
      return FALSE;
    }
  /* pread needs a seekable file, and the size tells the sector format */
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "the %s is not a regular file: inspection reads it at offsets", what);
      return FALSE;
    }
  *size = (guint64) st.st_size;
  return TRUE;
}

void
rc_inspect_reader_init (RcInspectReader *r, int image_fd, int sub_fd, const RcInspectFormat *fmt)
{
  r->image_fd = image_fd;
  r->sub_fd = sub_fd;
  r->fmt = *fmt;
  r->image_buf = g_malloc ((gsize) RC_INSPECT_BATCH_SECTORS * fmt->image_bytes);
  r->sub_buf = fmt->sub_bytes > 0 ? g_malloc ((gsize) RC_INSPECT_BATCH_SECTORS * fmt->sub_bytes) : NULL;
}

void
rc_inspect_reader_clear (RcInspectReader *r)
{
  g_clear_pointer (&r->image_buf, g_free);
  g_clear_pointer (&r->sub_buf, g_free);
}

gboolean
rc_inspect_reader_read (RcInspectReader *r, guint64 first, guint n, GError **error)
{
  const char *what = r->fmt.input == RC_INSPECT_INPUT_BIN_SUB ? "BIN" : "image";

  g_assert (n <= RC_INSPECT_BATCH_SECTORS);
  if (!read_at (r->image_fd, r->image_buf, (gsize) n * r->fmt.image_bytes,
                first * r->fmt.image_bytes, what, error))
    return FALSE;
  r->bytes_read += (guint64) n * r->fmt.image_bytes;
  if (r->sub_buf == NULL)
    return TRUE;
  if (!read_at (r->sub_fd, r->sub_buf, (gsize) n * r->fmt.sub_bytes, first * r->fmt.sub_bytes,
                "subchannel file", error))
    return FALSE;
  r->bytes_read += (guint64) n * r->fmt.sub_bytes;
  return TRUE;
}

/* ---- one sector in one form ---- */


static void
from_interleaved (const guint8 sub[RC_INSPECT_SUB_BYTES], RcInspectSector *s)
{
  memset (s->q, 0, sizeof s->q);
  memset (s->p, 0, sizeof s->p);
  for (guint n = 0; n < RC_INSPECT_SUB_BYTES; n++)
    {
      guint8 bit = (guint8) (0x80 >> (n % 8));

      if (sub[n] & 0x80)
        s->p[n / 8] |= bit;
      if (sub[n] & 0x40)
        s->q[n / 8] |= bit;
      s->rw[n] = sub[n] & 0x3F;
    }
}

static void
from_planar (const guint8 sub[RC_INSPECT_SUB_BYTES], RcInspectSector *s)
{
  memcpy (s->p, sub, 12);
  memcpy (s->q, sub + 12, 12);
  for (guint n = 0; n < RC_INSPECT_SUB_BYTES; n++)
    {
      guint8 sym = 0;

      /* channels R..W are bits 5..0 of a symbol */
      for (guint c = 0; c < 6; c++)
        sym |= (guint8) (((sub[24 + 12 * c + n / 8] >> (7 - n % 8)) & 1) << (5 - c));
      s->rw[n] = sym;
    }
}

static void
sector_get (const RcInspectFormat *fmt, const guint8 *image_sector, const guint8 *sub, RcInspectSector *s)
{
  s->main = image_sector;
  s->pq16 = NULL;
  switch (fmt->form)
    {
    case RC_INSPECT_SUB_PQ16:
      s->pq16 = sub;
      memcpy (s->q, sub, 12);
      break;
    case RC_INSPECT_SUB_INTERLEAVED:
      from_interleaved (sub, s);
      break;
    case RC_INSPECT_SUB_PLANAR:
    default:
      from_planar (sub, s);
      break;
    }
}

void
rc_inspect_reader_sector (const RcInspectReader *r, guint i, RcInspectSector *s)
{
  const guint8 *image_sector = r->image_buf + (gsize) i * r->fmt.image_bytes;
  const guint8 *sub = r->sub_buf != NULL ? r->sub_buf + (gsize) i * r->fmt.sub_bytes
                                         : image_sector + RC_AUDIO_BYTES;

  sector_get (&r->fmt, image_sector, sub, s);
}

gboolean
rc_inspect_all_zero (const guint8 *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != 0)
      return FALSE;
  return TRUE;
}


/* PINNED §3: PQ_ONLY stores the CRC as computed, the 96-byte forms
 * inverted (as on disc). */
RcInspectCrc
rc_inspect_q_crc (const guint8 q[12], RcInspectSubForm form)
{
  guint16 crc = rc_crc16 (q, 10);
  guint16 stored = (guint16) (q[10] << 8 | q[11]);
  guint16 inverted = crc ^ 0xFFFF;
  guint16 expected = form == RC_INSPECT_SUB_PQ16 ? crc : inverted;
  guint16 other = form == RC_INSPECT_SUB_PQ16 ? inverted : crc;

  /* a zeroed subchannel has a valid uninverted CRC, but carries nothing */
  if (rc_inspect_all_zero (q, 12))
    return RC_INSPECT_CRC_BAD;
  if (stored == expected)
    return RC_INSPECT_CRC_OK;
  if (stored == other)
    return RC_INSPECT_CRC_OTHER_CONVENTION;
  return RC_INSPECT_CRC_BAD;
}

/* A Q that is plainly a Q: its CRC checks (either convention) and it is
 * in mode 1, 2 or 3 (an all-zero Q has a valid uninverted CRC). */
gboolean
rc_inspect_q_plausible (const guint8 q[12], RcInspectSubForm form)
{
  guint adr = q[0] & 0x0f;

  return adr >= 1 && adr <= 3 && rc_inspect_q_crc (q, form) != RC_INSPECT_CRC_BAD;
}
