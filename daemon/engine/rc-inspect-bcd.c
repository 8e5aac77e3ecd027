/* rc-inspect-bcd.c: BCD numbers and times of a Q (rc-inspect-bcd.h), and
 * the absolute time strings of the report (rc-inspect.h). */
#include "rc-inspect-bcd.h"

#include "rc-msf.h"

gboolean
rc_inspect_bcd_value (guint8 b, guint *v)
{
  if ((b >> 4) > 9 || (b & 0x0f) > 9)
    return FALSE;
  *v = rc_from_bcd (b);
  return TRUE;
}

gboolean
rc_inspect_msf_value (const guint8 b[3], RcMsf *msf)
{
  guint m, s, f;

  if (!rc_inspect_bcd_value (b[0], &m) || !rc_inspect_bcd_value (b[1], &s) ||
      !rc_inspect_bcd_value (b[2], &f) || s > 59 || f > 74)
    return FALSE;
  msf->m = (guint8) m;
  msf->s = (guint8) s;
  msf->f = (guint8) f;
  return TRUE;
}

/* A relative time (a count of sectors). */
gboolean
rc_inspect_rel_value (const guint8 *b, gint *sectors)
{
  RcMsf msf;

  if (!rc_inspect_msf_value (b, &msf))
    return FALSE;
  *sectors = (gint) rc_msf_to_sectors (msf);
  return TRUE;
}

void
rc_inspect_rel_string (gint sectors, char out[RC_INSPECT_MSF_LEN])
{
  RcMsf msf;

  if (sectors < 0)
    {
      g_snprintf (out, RC_INSPECT_MSF_LEN, "-%d", -sectors);
      return;
    }
  msf = rc_msf_from_sectors ((guint) sectors);
  g_snprintf (out, RC_INSPECT_MSF_LEN, "%02u:%02u:%02u", msf.m, msf.s, msf.f);
}

void
rc_inspect_msf_string (gint lba, char out[RC_INSPECT_MSF_LEN])
{
  RcMsf msf;

  /* absolute times exist from 00:00:00 (LBA -150) and in the lead-in from
   * 90:00:00 (LBA -450150) */
  if (lba < -450150 || lba > 449849)
    {
      g_strlcpy (out, "??:??:??", RC_INSPECT_MSF_LEN);
      return;
    }
  msf = rc_msf_from_lba (lba);
  g_snprintf (out, RC_INSPECT_MSF_LEN, "%02u:%02u:%02u", msf.m, msf.s, msf.f);
}
