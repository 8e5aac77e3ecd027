/* rc-disc-range.c: ranges of streams (rc-disc-range.h). */
#include "rc-disc-range.h"
#include "rc-error.h"

char *
rc_range_describe_frames (gint64 frames)
{
  gint64 sectors = frames / RC_FRAMES_PER_SECTOR;
  gint64 rest = frames % RC_FRAMES_PER_SECTOR;
  g_autofree char *time = g_strdup_printf ("%02" G_GINT64_FORMAT ":%02d:%02d",
                                           sectors / (60 * RC_SECTORS_PER_SECOND),
                                           (gint) (sectors / RC_SECTORS_PER_SECOND % 60),
                                           (gint) (sectors % RC_SECTORS_PER_SECOND));

  if (rest == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " frames (%s)", frames, time);
  return g_strdup_printf ("%" G_GINT64_FORMAT " frames (%s and %" G_GINT64_FORMAT " frame%s)",
                          frames, time, rest, rest == 1 ? "" : "s");
}

gboolean
rc_range_resolve (const RcStreamRange *range, gint64 total, gint64 *first, gint64 *frames,
                  GError **error)
{
  gint64 start = range != NULL ? range->start : 0;
  gint64 length = range != NULL ? range->length : -1;

  if (start < 0 || start > total)
    {
      g_autofree char *s = rc_range_describe_frames (start);
      g_autofree char *t = rc_range_describe_frames (total);

      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "start %s lies past the end of the stream, which has %s", s, t);
      return FALSE;
    }
  if (length < 0)
    length = total - start;
  else if (length > total - start)
    {
      g_autofree char *s = rc_range_describe_frames (start);
      g_autofree char *l = rc_range_describe_frames (length);
      g_autofree char *t = rc_range_describe_frames (total);

      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "start %s and length %s end past the end of the stream, which has %s",
                   s, l, t);
      return FALSE;
    }
  *first = start;
  *frames = length;
  return TRUE;
}

gboolean
rc_range_same_file (const RcStreamId *a, const RcStreamId *b)
{
  if (a->dev == 0 && a->ino == 0)
    return FALSE;
  return a->dev == b->dev && a->ino == b->ino;
}

gboolean
rc_range_check_overlap (gint64 first, gint64 frames, gint64 other_first, gint64 other_frames,
                        const char *other, GError **error)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  if (frames == 0 || other_frames == 0
      || first >= other_first + other_frames || other_first >= first + frames)
    return TRUE;
  a = rc_range_describe_frames (first);
  b = rc_range_describe_frames (first + frames);
  c = rc_range_describe_frames (other_first);
  d = rc_range_describe_frames (other_first + other_frames);
  g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
               "the range from %s to %s of this file overlaps %s, which plays it from %s to %s",
               a, b, other, c, d);
  return FALSE;
}
