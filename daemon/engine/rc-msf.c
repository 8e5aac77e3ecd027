/* rc-msf.c: minute:second:frame arithmetic. */
#include "rc-msf.h"
#include "rc-cd.h"

#define SECTORS_PER_MINUTE (60 * RC_SECTORS_PER_SECOND)
/* 100 minutes: absolute times wrap so that the lead-in reads 90..99 min. */
#define MSF_WRAP (100 * SECTORS_PER_MINUTE)

RcMsf
rc_msf_from_sectors (guint sectors)
{
  RcMsf msf = {
    .m = (guint8) (sectors / SECTORS_PER_MINUTE),
    .s = (guint8) (sectors / RC_SECTORS_PER_SECOND % 60),
    .f = (guint8) (sectors % RC_SECTORS_PER_SECOND),
  };
  return msf;
}

guint
rc_msf_to_sectors (RcMsf msf)
{
  return (guint) msf.m * SECTORS_PER_MINUTE + msf.s * RC_SECTORS_PER_SECOND + msf.f;
}

RcMsf
rc_msf_from_lba (gint lba)
{
  if (lba >= -RC_PREGAP_SECTORS)
    return rc_msf_from_sectors ((guint) (lba + RC_PREGAP_SECTORS));
  return rc_msf_from_sectors ((guint) (lba + MSF_WRAP + RC_PREGAP_SECTORS));
}

gint
rc_msf_to_lba (RcMsf msf)
{
  gint sectors = (gint) rc_msf_to_sectors (msf);

  /* Minutes 90 and above are the lead-in, before LBA -150. */
  if (msf.m >= 90)
    return sectors - MSF_WRAP - RC_PREGAP_SECTORS;
  return sectors - RC_PREGAP_SECTORS;
}
