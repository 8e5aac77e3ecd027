/* rc-crc.c: table-driven CRC-16, polynomial 0x1021. */
#include "rc-crc.h"

static guint16 crc_table[256];

static gpointer
build_table (gpointer unused)
{
  for (guint i = 0; i < 256; i++)
    {
      guint16 c = (guint16) (i << 8);
      for (int bit = 0; bit < 8; bit++)
        c = (c & 0x8000) ? (guint16) ((c << 1) ^ 0x1021) : (guint16) (c << 1);
      crc_table[i] = c;
    }
  return NULL;
}

guint16
rc_crc16 (const guint8 *data, gsize len)
{
  static GOnce once = G_ONCE_INIT;
  guint16 crc = 0;

  g_once (&once, build_table, NULL);
  for (gsize i = 0; i < len; i++)
    crc = (guint16) ((crc << 8) ^ crc_table[((crc >> 8) ^ data[i]) & 0xff]);
  return crc;
}
