/* rc-subchannel.c: P and Q of each sector, from the layout alone.
 *
 * Every function here is a pure function of (layout, LBA), so a sector can
 * be generated in any order and tests can ask about any single sector.
 */
#include "rc-subchannel.h"
#include "rc-crc.h"
#include "rc-msf.h"

#include <string.h>

#define ADR_POSITION 1
#define ADR_MCN      2
#define ADR_ISRC     3

static void
put_msf (guint8 *p, RcMsf msf)
{
  p[0] = rc_bcd (msf.m);
  p[1] = rc_bcd (msf.s);
  p[2] = rc_bcd (msf.f);
}

static void
finish_q (guint8 q[12])
{
  guint16 crc = rc_crc16 (q, 10) ^ 0xffff;   /* inverted, as on disc */

  q[10] = crc >> 8;
  q[11] = crc & 0xff;
}

/* cd-format.md §7: one TOC entry per 3 sectors, tracks then A0 A1 A2. */
static void
leadin_q (const RcLayout *layout, gint lba, guint8 q[12])
{
  guint n = layout->n_tracks;
  guint entry = (guint) ((lba - RC_LEADIN_START_LBA) / 3) % (n + 3);
  const RcLayoutTrack *first = &layout->tracks[0];
  const RcLayoutTrack *last = &layout->tracks[n - 1];
  const RcLayoutTrack *owner;
  guint8 point;
  RcMsf pmsf = { 0, 0, 0 };

  if (entry < n)
    {
      owner = &layout->tracks[entry];
      point = rc_bcd (owner->number);
      pmsf = rc_msf_from_lba (owner->start_lba);
    }
  else if (entry == n)
    {
      owner = first;
      point = 0xA0;
      pmsf.m = (guint8) layout->first_track;   /* PSEC 00: disc type CD-DA */
    }
  else if (entry == n + 1)
    {
      owner = last;
      point = 0xA1;
      pmsf.m = (guint8) last->number;
    }
  else
    {
      owner = last;
      point = 0xA2;
      pmsf = rc_msf_from_lba (layout->leadout_lba);
    }

  /* Under SCMS the copy bit is clear in the TOC: the base control is. */
  q[0] = (guint8) (rc_layout_track_control (owner) << 4 | ADR_POSITION);
  q[1] = 0;
  q[2] = point;
  put_msf (q + 3, rc_msf_from_lba (lba));
  q[6] = 0;
  put_msf (q + 7, pmsf);
}

/* Does lba start a track (its pregap), an index, or the lead-out? */
static gboolean
starts_something (const RcLayout *layout, gint lba)
{
  RcPosition pos;

  rc_layout_locate (layout, lba, &pos);
  return pos.region != RC_REGION_LEADIN && pos.index_lba == lba;
}

/* PINNED placement of modes 2/3: the sector with A % 90 == phase, or the
 * one after it when that one starts a track or an index.  pos is where
 * lba lies (the caller has it already). */
static gboolean
carries_mode (const RcLayout *layout, gint lba, const RcPosition *pos, guint phase)
{
  guint a = (guint) (lba + RC_PREGAP_SECTORS);

  if (a % 90 == phase)
    return pos->index_lba != lba;
  if (a % 90 == phase + 1)
    return starts_something (layout, lba - 1);
  return FALSE;
}

static guint8
isrc_code (char c)
{
  return g_ascii_isdigit (c) ? (guint8) (c - '0') : (guint8) (c - 'A' + 0x11);
}

static void
isrc_q (const char *isrc, guint8 q[12])
{
  guint32 bits = 0;

  /* c1 c2 o1 o2 o3 as five 6-bit codes, then two zero bits. */
  for (guint i = 0; i < 5; i++)
    bits = bits << 6 | isrc_code (isrc[i]);
  bits <<= 2;
  q[1] = bits >> 24;
  q[2] = bits >> 16;
  q[3] = bits >> 8;
  q[4] = bits;
  q[5] = (guint8) ((isrc[5] - '0') << 4 | (isrc[6] - '0'));
  q[6] = (guint8) ((isrc[7] - '0') << 4 | (isrc[8] - '0'));
  q[7] = (guint8) ((isrc[9] - '0') << 4 | (isrc[10] - '0'));
  q[8] = (guint8) ((isrc[11] - '0') << 4);
}

static void
mcn_q (const char *mcn, guint8 q[12])
{
  for (guint i = 0; i < 6; i++)
    q[1 + i] = (guint8) ((mcn[2 * i] - '0') << 4 | (mcn[2 * i + 1] - '0'));
  q[7] = (guint8) ((mcn[12] - '0') << 4);
  q[8] = 0;
}

void
rc_subchannel_q (const RcLayout *layout, gint lba, guint8 q[12])
{
  RcPosition pos;
  RcMsf abs_msf = rc_msf_from_lba (lba);
  guint8 control;

  memset (q, 0, 12);
  rc_layout_locate (layout, lba, &pos);
  if (pos.region == RC_REGION_LEADIN)
    {
      leadin_q (layout, lba, q);
      finish_q (q);
      return;
    }

  control = rc_layout_track_control (pos.track);
  if (pos.track->copy == RC_COPY_SCMS && ((lba + RC_PREGAP_SECTORS) / 4) % 2 == 1)
    control |= RC_CONTROL_COPY_PERMITTED;

  if (layout->mcn[0] != '\0' && carries_mode (layout, lba, &pos, 0))
    {
      q[0] = (guint8) (control << 4 | ADR_MCN);
      mcn_q (layout->mcn, q);
      q[9] = rc_bcd (abs_msf.f);
    }
  else if (pos.region == RC_REGION_PROGRAM && pos.track->isrc[0] != '\0'
           && carries_mode (layout, lba, &pos, 50))
    {
      q[0] = (guint8) (control << 4 | ADR_ISRC);
      isrc_q (pos.track->isrc, q);
      q[9] = rc_bcd (abs_msf.f);
    }
  else
    {
      q[0] = (guint8) (control << 4 | ADR_POSITION);
      q[1] = pos.region == RC_REGION_LEADOUT ? RC_LEADOUT_TRACK : rc_bcd (pos.track->number);
      q[2] = rc_bcd (pos.index);
      put_msf (q + 3, rc_msf_from_sectors ((guint) pos.relative));
      q[6] = 0;
      put_msf (q + 7, abs_msf);
    }
  finish_q (q);
}

/* cd-format.md §6: the flag as the standard defines it, before the delay. */
static gboolean
p_flag (const RcLayout *layout, gint lba)
{
  RcPosition pos;

  rc_layout_locate (layout, lba, &pos);
  switch (pos.region)
    {
    case RC_REGION_LEADIN:
      return FALSE;
    case RC_REGION_PROGRAM:
      return pos.index == 0 || lba >= layout->leadout_lba - RC_PREGAP_SECTORS;
    case RC_REGION_LEADOUT:
    default:
      return pos.relative >= RC_PREGAP_SECTORS && (pos.relative - RC_PREGAP_SECTORS) % 38 < 19;
    }
}

gboolean
rc_subchannel_p (const RcLayout *layout, gint lba)
{
  /* P is recorded one sector late relative to Q. */
  return p_flag (layout, lba - 1);
}

void
rc_subchannel_pack16 (const guint8 q[12], gboolean p, guint8 out[16])
{
  memcpy (out, q, 10);
  /* PINNED: the 16-byte form carries the CRC not inverted. */
  out[10] = q[10] ^ 0xff;
  out[11] = q[11] ^ 0xff;
  out[12] = out[13] = out[14] = 0;
  out[15] = p ? 0x80 : 0x00;
}

void
rc_subchannel_pack96 (const guint8 q[12], gboolean p,
                      const guint8 *rw_symbols, guint8 out[96])
{
  guint8 p_bit = p ? 0x80 : 0x00;

  for (guint i = 0; i < 12; i++)
    for (guint b = 0; b < 8; b++)
      {
        guint n = 8 * i + b;
        guint8 q_bit = (guint8) (((q[i] >> (7 - b)) & 1) << 6);
        out[n] = p_bit | q_bit | (rw_symbols != NULL ? rw_symbols[n] & 0x3f : 0);
      }
}
