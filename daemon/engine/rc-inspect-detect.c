/* rc-inspect-detect.c: what an image file is and where it starts
 * (rc-inspect-detect.h). */
#include "rc-inspect-detect.h"

#include "rc-error.h"
#include "rc-inspect-bcd.h"
#include "rc-msf.h"

/* Sectors whose Q CRCs decide the sector size. */
#define DETECT_SECTORS  16
/* Sectors searched for a first absolute time. */
#define ORIGIN_SECTORS  150
#define NO_LBA          RC_INSPECT_NO_LBA

typedef struct {
  RcInspectFormat  fmt;
  guint   score;      /* plausible Qs among the first sectors */
  gboolean divides;   /* the file size is whole sectors */
} Candidate;

static gboolean
score_candidate (int image_fd, int sub_fd, Candidate *c, GError **error)
{
  RcInspectReader r = { 0 };
  guint n = (guint) MIN (c->fmt.sectors, (guint64) DETECT_SECTORS);
  gboolean ok;

  c->score = 0;
  if (n == 0)
    return TRUE;
  rc_inspect_reader_init (&r, image_fd, sub_fd, &c->fmt);
  ok = rc_inspect_reader_read (&r, 0, n, error);
  for (guint i = 0; ok && i < n; i++)
    {
      RcInspectSector s;

      rc_inspect_reader_sector (&r, i, &s);
      if (rc_inspect_q_plausible (s.q, c->fmt.form))
        c->score++;
    }
  rc_inspect_reader_clear (&r);
  return ok;
}

static const Candidate *
best_candidate (const Candidate *cands, guint n)
{
  const Candidate *best = NULL;

  for (guint i = 0; i < n; i++)
    {
      const Candidate *c = &cands[i];

      if (c->score == 0)
        continue;
      if (best == NULL || c->score > best->score || (c->score == best->score && c->divides && !best->divides))
        best = c;
    }
  return best;
}

static gboolean
detect_full (int fd, RcInspectFormat *fmt, RcInspectLog *log, GError **error)
{
  Candidate cands[2] = {
    { .fmt = { RC_INSPECT_INPUT_FULL_IMAGE, RC_INSPECT_SUB_PQ16, RC_AUDIO_BYTES + RC_INSPECT_PQ16_BYTES, 0, 0 } },
    { .fmt = { RC_INSPECT_INPUT_FULL_IMAGE, RC_INSPECT_SUB_INTERLEAVED, RC_AUDIO_BYTES + RC_INSPECT_SUB_BYTES, 0, 0 } },
  };
  const Candidate *best;
  guint64 size;

  if (!rc_inspect_file_size (fd, "image", &size, error) ||
      !rc_inspect_check_sizes (size, FALSE, 0, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (cands); i++)
    {
      cands[i].fmt.sectors = size / cands[i].fmt.image_bytes;
      cands[i].divides = size % cands[i].fmt.image_bytes == 0;
      if (!score_candidate (fd, -1, &cands[i], error))
        return FALSE;
    }
  best = best_candidate (cands, G_N_ELEMENTS (cands));
  if (best == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "not a raw CD image: read as 2368- or as 2448-byte sectors (%" G_GUINT64_FORMAT
                   " bytes), none of the first sectors has a Q with a valid CRC%s", size,
                   size % RC_AUDIO_BYTES == 0 ? "; a BIN of 2352-byte sectors needs its .sub" : "");
      return FALSE;
    }
  *fmt = best->fmt;
  if (!best->divides)
    rc_inspect_log_add (log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                        "the image is %" G_GUINT64_FORMAT " bytes: %" G_GUINT64_FORMAT " bytes after its last "
                        "whole %u-byte sector are ignored", size, size % best->fmt.image_bytes,
                        best->fmt.image_bytes);
  return TRUE;
}

static gboolean
detect_bin_sub (int image_fd, int sub_fd, RcInspectFormat *fmt, RcInspectLog *log, GError **error)
{
  Candidate cands[2] = {
    { .fmt = { RC_INSPECT_INPUT_BIN_SUB, RC_INSPECT_SUB_PLANAR, RC_AUDIO_BYTES, RC_INSPECT_SUB_BYTES, 0 } },
    { .fmt = { RC_INSPECT_INPUT_BIN_SUB, RC_INSPECT_SUB_INTERLEAVED, RC_AUDIO_BYTES, RC_INSPECT_SUB_BYTES, 0 } },
  };
  const Candidate *best;
  guint64 bin_size, sub_size, sectors;

  if (!rc_inspect_file_size (image_fd, "BIN", &bin_size, error) ||
      !rc_inspect_file_size (sub_fd, "subchannel file", &sub_size, error) ||
      !rc_inspect_check_sizes (bin_size, TRUE, sub_size, error))
    return FALSE;
  sectors = MIN (bin_size / RC_AUDIO_BYTES, sub_size / RC_INSPECT_SUB_BYTES);
  for (guint i = 0; i < G_N_ELEMENTS (cands); i++)
    {
      cands[i].fmt.sectors = sectors;
      cands[i].divides = TRUE;
      if (!score_candidate (image_fd, sub_fd, &cands[i], error))
        return FALSE;
    }
  best = best_candidate (cands, G_N_ELEMENTS (cands));
  if (best == NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "not a CD subchannel file: read as 96-byte sectors, planar or interleaved "
                   "(%" G_GUINT64_FORMAT " bytes), none of the first sectors has a Q with a valid CRC",
                   sub_size);
      return FALSE;
    }
  *fmt = best->fmt;
  if (bin_size % RC_AUDIO_BYTES != 0 || sub_size % RC_INSPECT_SUB_BYTES != 0 ||
      bin_size / RC_AUDIO_BYTES != sub_size / RC_INSPECT_SUB_BYTES)
    rc_inspect_log_add (log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                        "the BIN is %" G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT " sectors of 2352) and its "
                        ".sub %" G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT " sectors of 96): only the first %"
                        G_GUINT64_FORMAT " sectors are inspected", bin_size, bin_size / RC_AUDIO_BYTES,
                        sub_size, sub_size / RC_INSPECT_SUB_BYTES, sectors);
  return TRUE;
}

/* The LBA of the file's first sector, from the first absolute time. */
static gboolean
find_origin (RcInspectReader *r, gint *origin, GError **error)
{
  guint n = (guint) MIN (r->fmt.sectors, (guint64) ORIGIN_SECTORS);

  *origin = NO_LBA;
  for (guint done = 0; done < n;)
    {
      guint batch = MIN (n - done, (guint) RC_INSPECT_BATCH_SECTORS);

      if (!rc_inspect_reader_read (r, done, batch, error))
        return FALSE;
      for (guint i = 0; i < batch; i++)
        {
          RcInspectSector s;
          RcMsf msf;

          rc_inspect_reader_sector (r, i, &s);
          if ((s.q[0] & 0x0f) != 1 || rc_inspect_q_crc (s.q, r->fmt.form) == RC_INSPECT_CRC_BAD)
            continue;
          /* lead-in entries carry it in bytes 3-5, other sectors in 7-9 */
          if (!rc_inspect_msf_value (s.q[1] == 0x00 ? s.q + 3 : s.q + 7, &msf))
            continue;
          *origin = rc_msf_to_lba (msf) - (gint) (done + i);
          return TRUE;
        }
      done += batch;
    }
  return TRUE;
}

G_STATIC_ASSERT (RC_INSPECT_MAX_SECTORS == 449849 - RC_LEADIN_START_LBA + 1);

static gboolean
check_size (const char *what, guint64 size, guint sector_bytes, GError **error)
{
  guint64 max = (guint64) RC_INSPECT_MAX_SECTORS * sector_bytes;

  if (size <= max)
    return TRUE;
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "the %s is %" G_GUINT64_FORMAT " bytes, larger than any CD's: a full image from "
               "95:00:00 to 99:59:74 is %u sectors, %" G_GUINT64_FORMAT " bytes of %u-byte sectors",
               what, size, RC_INSPECT_MAX_SECTORS, max, sector_bytes);
  return FALSE;
}

gboolean
rc_inspect_check_sizes (guint64 image_bytes, gboolean has_sub, guint64 sub_bytes, GError **error)
{
  if (!has_sub)
    return check_size ("image", image_bytes, RC_AUDIO_BYTES + RC_INSPECT_SUB_BYTES, error);
  return check_size ("BIN", image_bytes, RC_AUDIO_BYTES, error) &&
         check_size ("subchannel file", sub_bytes, RC_INSPECT_SUB_BYTES, error);
}

gboolean
rc_inspect_detect (int               image_fd,
                   int               sub_fd,
                   RcInspectLog     *log,
                   RcInspectFormat  *fmt,
                   gint             *origin,
                   GError          **error)
{
  g_auto(RcInspectReader) r = { 0 };

  if (sub_fd >= 0 ? !detect_bin_sub (image_fd, sub_fd, fmt, log, error)
                  : !detect_full (image_fd, fmt, log, error))
    return FALSE;
  rc_inspect_reader_init (&r, image_fd, sub_fd, fmt);
  if (!find_origin (&r, origin, error))
    return FALSE;
  if (*origin != NO_LBA)
    return TRUE;
  /* a full image starts at 95:00:00; a BIN as its .sub says */
  *origin = sub_fd >= 0 ? 0 : RC_LEADIN_START_LBA;
  rc_inspect_log_add (log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                      "none of the first %u sectors has a readable absolute time: LBA %d is assumed for "
                      "the first sector", ORIGIN_SECTORS, *origin);
  return TRUE;
}
