/* test-util.c: pattern audio in memfds. */
#define _GNU_SOURCE
#include "test-util.h"
#include "rc-cd.h"
#include "rc-sndfile-source.h"

#include <sys/mman.h>
#include <unistd.h>

gint16
test_pattern_sample (guint32 seed, guint64 frame, guint channel)
{
  /* A cheap hash of (seed, frame, channel); the low bit is forced on so
   * that no sample of a pattern is digital silence. */
  guint32 x = seed * 0x9E3779B1u ^ (guint32) frame * 0x85EBCA6Bu ^ (channel + 1) * 0xC2B2AE35u;
  x ^= x >> 15;
  x *= 0x2C1B3C6Du;
  x ^= x >> 12;
  return (gint16) (x | 1);
}

int
test_pattern_memfd (guint32 seed, guint64 frames)
{
  int fd = memfd_create ("test-pattern", MFD_CLOEXEC);
  g_autofree guint8 *buf = g_malloc (frames * 4 + 1);

  g_assert_cmpint (fd, >=, 0);
  for (guint64 i = 0; i < frames; i++)
    for (guint c = 0; c < 2; c++)
      {
        guint16 v = (guint16) test_pattern_sample (seed, i, c);
        buf[4 * i + 2 * c] = v & 0xff;      /* little-endian, as IMAPI takes it */
        buf[4 * i + 2 * c + 1] = v >> 8;
      }
  g_assert_cmpint (write (fd, buf, frames * 4), ==, (gssize) (frames * 4));
  return fd;
}

RcAudioSource *
test_pattern_source (guint32 seed, guint sectors)
{
  g_autoptr(GError) error = NULL;
  int fd = test_pattern_memfd (seed, (guint64) sectors * RC_FRAMES_PER_SECTOR);
  RcAudioSource *source = rc_audio_source_new_from_fd (fd, RC_AUDIO_FORMAT_RAW, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}
