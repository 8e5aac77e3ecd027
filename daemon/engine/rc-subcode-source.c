/* rc-subcode-source.c: R-W generator data from a descriptor. */
#include "rc-subcode-source.h"
#include "rc-error.h"
#include "rc-rw.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

struct _RcSubcodeSource {
  int    fd;
  gint64 sectors;
};

RcSubcodeSource *
rc_subcode_source_new_from_fd (int fd, GError **error)
{
  struct stat st;
  RcSubcodeSource *source;
  const char *problem = NULL;

  if (fstat (fd, &st) < 0)
    {
      int saved = errno;
      close (fd);
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "cannot inspect the R-W generator descriptor: %s", g_strerror (saved));
      return NULL;
    }
  /* Positioned reads need a file: a pipe could be read only once. */
  if (!S_ISREG (st.st_mode))
    problem = "it must be a regular file or memfd";
  else if (st.st_size % RC_RW_SECTOR_BYTES != 0)
    problem = "its length is not a whole number of 96-byte sectors";
  if (problem != NULL)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "the R-W generator (%" G_GINT64_FORMAT " bytes) cannot be used: %s",
                   (gint64) st.st_size, problem);
      close (fd);
      return NULL;
    }
  source = g_atomic_rc_box_new0 (RcSubcodeSource);
  source->fd = fd;
  source->sectors = st.st_size / RC_RW_SECTOR_BYTES;
  return source;
}

RcSubcodeSource *
rc_subcode_source_ref (RcSubcodeSource *source)
{
  return g_atomic_rc_box_acquire (source);
}

static void
source_clear (gpointer data)
{
  RcSubcodeSource *source = data;

  close (source->fd);
}

void
rc_subcode_source_unref (RcSubcodeSource *source)
{
  g_atomic_rc_box_release_full (source, source_clear);
}

gint64
rc_subcode_source_get_sectors (RcSubcodeSource *source)
{
  return source->sectors;
}

gboolean
rc_subcode_source_read (RcSubcodeSource *source, gint64 first, guint n,
                        guint8 *buf, GError **error)
{
  gsize want = (gsize) n * RC_RW_SECTOR_BYTES;
  gsize got = 0;
  off_t offset = (off_t) first * RC_RW_SECTOR_BYTES;

  while (got < want)
    {
      gssize r = pread (source->fd, buf + got, want - got, offset + (off_t) got);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED,
                       "reading the R-W generator at byte %" G_GINT64_FORMAT " failed: %s",
                       (gint64) (offset + (off_t) got),
                       r < 0 ? g_strerror (errno) : "the file is shorter than it was");
          return FALSE;
        }
      got += (gsize) r;
    }
  for (guint i = 0; i < n; i++)
    if (!rc_rw_check_sector (buf + (gsize) i * RC_RW_SECTOR_BYTES, error))
      {
        g_prefix_error (error, "R-W generator sector %" G_GINT64_FORMAT ": ", first + i);
        return FALSE;
      }
  return TRUE;
}
