/* rc-crc.h: the CRC-16 of the Q subchannel and of CD-TEXT packs. */
#pragma once

#include <glib.h>

/* CRC-16/CCITT as the CD uses it: polynomial 0x1021, initial value 0, no
 * reflection.  The value returned is NOT inverted; the disc stores it
 * inverted (XOR 0xFFFF), the PQ_ONLY 16-byte form stores it as returned. */
guint16 rc_crc16 (const guint8 *data, gsize len);
