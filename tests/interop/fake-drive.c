/* fake-drive: an LD_PRELOAD module that lets `cdrdao write --simulate` run
 * its checks of a TOC file or CUE sheet on a machine without a CD writer.
 *
 * cdrdao checks CD-TEXT consistency (all-or-none items, continuous
 * language numbers, TITLE and PERFORMER present, a genre in every
 * language) only in its drivers' checkToc(), which runs after it has
 * opened and queried a drive; `cdrdao show-toc` never runs it.  Pointed
 * at an ordinary empty file (--device FILE --driver generic-mmc:0x10),
 * cdrdao's SG_IO commands land here: every command succeeds and reads
 * back zeros, which cdrdao takes for a blank disc of unknown capacity
 * (hence --overburn).  The first MODE SENSE(10) is the first command of
 * the write itself, sent only once every check has passed: there the
 * module prints a line and ends the process with status 77, so that a
 * test knows the sheet got that far and nothing is "written".
 *
 * Only descriptors of the file named by RAWCD_FAKE_DRIVE are faked; every
 * other ioctl goes to the C library.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <scsi/sg.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAKE_DRIVE_STOP_STATUS 77
#define MODE_SENSE_10          0x5A

int ioctl (int fd, unsigned long request, ...);

typedef int (*IoctlFunc) (int fd, unsigned long request, void *arg);

static int
is_fake_drive (int fd)
{
  const char *want = getenv ("RAWCD_FAKE_DRIVE");
  char link[64];
  char path[PATH_MAX];
  char real_want[PATH_MAX];
  ssize_t len;

  if (want == NULL || realpath (want, real_want) == NULL)
    return 0;
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  len = readlink (link, path, sizeof path - 1);
  if (len < 0)
    return 0;
  path[len] = '\0';
  return strcmp (path, real_want) == 0;
}

int
ioctl (int fd, unsigned long request, ...)
{
  static IoctlFunc real_ioctl;
  va_list ap;
  void *arg;

  va_start (ap, request);
  arg = va_arg (ap, void *);
  va_end (ap);

  if (request == SG_IO && is_fake_drive (fd))
    {
      sg_io_hdr_t *hdr = arg;

      if (hdr->cmd_len > 0 && hdr->cmdp[0] == MODE_SENSE_10)
        {
          fprintf (stderr, "\nfake-drive: every check passed; stopping before the write\n");
          fflush (stderr);
          _exit (FAKE_DRIVE_STOP_STATUS);
        }
      if (hdr->dxfer_direction == SG_DXFER_FROM_DEV && hdr->dxferp != NULL)
        memset (hdr->dxferp, 0, hdr->dxfer_len);
      hdr->status = 0;
      hdr->masked_status = 0;
      hdr->host_status = 0;
      hdr->driver_status = 0;
      hdr->sb_len_wr = 0;
      hdr->resid = 0;
      hdr->duration = 0;
      return 0;
    }

  if (real_ioctl == NULL)
    real_ioctl = (IoctlFunc) dlsym (RTLD_NEXT, "ioctl");
  return real_ioctl (fd, request, arg);
}
