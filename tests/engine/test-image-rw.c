/* test-image-rw.c: the R-W channels of whole images: CD-TEXT in the lead-in
 * (docs/cd-format.md §7) and the R-W generator everywhere else (§8), in
 * every sector type, written whole and in ranges.
 *
 * Nothing here asks the engine's R-W coder for an answer: the images are
 * decoded by image-decoder.c (idec_check_image_rw: the CD-TEXT symbols
 * regrouped into packs, the IS_RAW delay and swaps undone and the parity
 * checked with its own GF(64) arithmetic), and a few sectors are checked
 * against answers worked out by hand from §7 and §8.  The expected CD-TEXT
 * packs are fixed known answers made by libburn's encoder.  Mutation tests show that the decoder catches forged R-W data,
 * so that its silence can be trusted.
 */
#define _GNU_SOURCE
#include "image-decoder.h"
#include "test-util.h"
#include "rc-cdtext.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-subcode-source.h"
#include "rc-sndfile-source.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROBLEMS_SHOWN     20
#define LEADIN_LBA         (-22650)
#define LEADIN_SECTORS     22500   /* LBA -22650 .. -151 */
#define IMAGE_SECTOR(lba)  ((lba) - LEADIN_LBA)

/* ---- the disc ---- */

/* Tracks 2..4, gapless with every stream padded (PadStreamsToSectors):
 * LBA 0..399, 400..750 (its last sector padded),
 * 751..1070; the lead-out at 1071; 22650 + 1071 + 6750 = 30471 sectors.
 * MCN, ISRC, SCMS and pre-emphasis are there so that the decoder's P/Q
 * checks show that R-W data leaves them alone. */
static const IdecTrackSpec disc_tracks[] = {
  { .seed = 61, .frames = 400 * 588, .copy = RC_COPY_PERMITTED },
  { .seed = 62, .frames = 350 * 588 + 100, .copy = RC_COPY_SCMS, .isrc = "USRC17607839" },
  { .seed = 63, .frames = 320 * 588, .copy = RC_COPY_PROHIBITED, .preemphasis = TRUE },
};
static const IdecSpec disc_spec = {
  .first_track = 2,
  .pad_streams = TRUE,
  .mcn = "4006381333931",
  .n_tracks = G_N_ELEMENTS (disc_tracks),
  .tracks = disc_tracks,
};
#define LEADOUT_LBA   1071
#define IMAGE_SECTORS (22650 + LEADOUT_LBA + 6750)

typedef struct {
  guint         block;
  guint         track_index;   /* 0 = the disc, else 1-based as rc_disc takes it */
  RcCdTextField field;
  const char   *text;
} Text;

/* Two blocks, so that the size-info packs of both and a Latin-1 block are
 * in the lead-in; the number of packs is not a multiple of 4, so that the
 * wrap of (4s + k) % N falls inside a sector. */
static const Text disc_text[] = {
  { 0, 0, RC_CDTEXT_FIELD_TITLE, "Songs of the Subcode Channels" },
  { 0, 0, RC_CDTEXT_FIELD_PERFORMER, "The Lead-In Ensemble" },
  { 0, 1, RC_CDTEXT_FIELD_TITLE, "Pack Zero" },
  { 0, 1, RC_CDTEXT_FIELD_PERFORMER, "Symbol Six" },
  { 0, 2, RC_CDTEXT_FIELD_TITLE, "Delay Line Blues" },
  { 0, 2, RC_CDTEXT_FIELD_PERFORMER, "The Lead-In Ensemble" },
  { 0, 3, RC_CDTEXT_FIELD_TITLE, "Parity (Reprise)" },
  { 0, 3, RC_CDTEXT_FIELD_PERFORMER, "Reed & Solomon" },
  { 1, 0, RC_CDTEXT_FIELD_TITLE, "Lieder der Unterkan\xc3\xa4le" },
  { 1, 1, RC_CDTEXT_FIELD_TITLE, "Paket Null" },
};
#define BLOCK1_LANGUAGE 0x08   /* German */

/* What an image carries in R-W. */
typedef enum {
  CONTENT_NONE = 0,
  CONTENT_TEXT = 1 << 0,   /* CD-TEXT */
  CONTENT_GEN = 1 << 1,    /* an R-W generator */
} Content;
#define N_CONTENTS 4

/* The generator: a hash of (image sector, byte), so that data shifted by
 * any number of sectors or symbols shows. */
static guint8
gen_symbol (gint sector, guint n)
{
  guint32 x = (guint32) sector * 0x9E3779B1u ^ (n + 1) * 0x85EBCA6Bu;

  x ^= x >> 15;
  x *= 0x2C1B3C6Du;
  x ^= x >> 12;
  return (guint8) (x & 0x3f);
}

static guint8 *generator;        /* IMAGE_SECTORS * 96, then one sector of zeros */
static GBytes *expected_packs;   /* known_packs */

static const guint8 *
packs_data (guint *n)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (expected_packs, &size);

  *n = (guint) (size / RC_CDTEXT_PACK_SIZE);
  return data;
}

static void
expected_rw (Content content, IdecRw *rw)
{
  memset (rw, 0, sizeof *rw);
  if (content & CONTENT_TEXT)
    rw->cdtext_packs = packs_data (&rw->n_cdtext_packs);
  if (content & CONTENT_GEN)
    {
      rw->generator = generator;
      rw->generator_size = (gsize) IMAGE_SECTORS * 96;
    }
}

/* The packs the lead-in must carry for disc_text: known answers made by
 * libburn 1.5.4's encoder (burn_cdtext_from_session()) from the same text,
 * block 0 in ASCII, block 1 in ISO-8859-1 with language 0x08, tracks 2..4;
 * test-cdtext.c compares rc_cdtext_encode() with libburn in general. */
static const guint8 known_packs[][RC_CDTEXT_PACK_SIZE] = {
  { 0x80, 0x00, 0x00, 0x00, 0x53, 0x6f, 0x6e, 0x67, 0x73, 0x20, 0x6f, 0x66, 0x20, 0x74, 0x68, 0x65, 0x93, 0x3b },
  { 0x80, 0x00, 0x01, 0x0c, 0x20, 0x53, 0x75, 0x62, 0x63, 0x6f, 0x64, 0x65, 0x20, 0x43, 0x68, 0x61, 0x34, 0xa2 },
  { 0x80, 0x00, 0x02, 0x0f, 0x6e, 0x6e, 0x65, 0x6c, 0x73, 0x00, 0x50, 0x61, 0x63, 0x6b, 0x20, 0x5a, 0xf5, 0x42 },
  { 0x80, 0x02, 0x03, 0x06, 0x65, 0x72, 0x6f, 0x00, 0x44, 0x65, 0x6c, 0x61, 0x79, 0x20, 0x4c, 0x69, 0x55, 0xc5 },
  { 0x80, 0x03, 0x04, 0x08, 0x6e, 0x65, 0x20, 0x42, 0x6c, 0x75, 0x65, 0x73, 0x00, 0x50, 0x61, 0x72, 0x30, 0xb4 },
  { 0x80, 0x04, 0x05, 0x03, 0x69, 0x74, 0x79, 0x20, 0x28, 0x52, 0x65, 0x70, 0x72, 0x69, 0x73, 0x65, 0x1c, 0x71 },
  { 0x80, 0x04, 0x06, 0x0f, 0x29, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd0, 0x74 },
  { 0x81, 0x00, 0x07, 0x00, 0x54, 0x68, 0x65, 0x20, 0x4c, 0x65, 0x61, 0x64, 0x2d, 0x49, 0x6e, 0x20, 0x8c, 0xd9 },
  { 0x81, 0x00, 0x08, 0x0c, 0x45, 0x6e, 0x73, 0x65, 0x6d, 0x62, 0x6c, 0x65, 0x00, 0x53, 0x79, 0x6d, 0x5b, 0xa4 },
  { 0x81, 0x02, 0x09, 0x03, 0x62, 0x6f, 0x6c, 0x20, 0x53, 0x69, 0x78, 0x00, 0x54, 0x68, 0x65, 0x20, 0x18, 0x7b },
  { 0x81, 0x03, 0x0a, 0x04, 0x4c, 0x65, 0x61, 0x64, 0x2d, 0x49, 0x6e, 0x20, 0x45, 0x6e, 0x73, 0x65, 0x77, 0x17 },
  { 0x81, 0x03, 0x0b, 0x0f, 0x6d, 0x62, 0x6c, 0x65, 0x00, 0x52, 0x65, 0x65, 0x64, 0x20, 0x26, 0x20, 0xe1, 0x41 },
  { 0x81, 0x04, 0x0c, 0x07, 0x53, 0x6f, 0x6c, 0x6f, 0x6d, 0x6f, 0x6e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x63, 0x41 },
  { 0x8f, 0x00, 0x0d, 0x00, 0x01, 0x02, 0x04, 0x00, 0x07, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x8b, 0xf5 },
  { 0x8f, 0x01, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x0f, 0x05, 0x00, 0x00, 0x11, 0xa8 },
  { 0x8f, 0x02, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x92, 0x84 },
  { 0x80, 0x00, 0x00, 0x10, 0x4c, 0x69, 0x65, 0x64, 0x65, 0x72, 0x20, 0x64, 0x65, 0x72, 0x20, 0x55, 0x88, 0xdc },
  { 0x80, 0x00, 0x01, 0x1c, 0x6e, 0x74, 0x65, 0x72, 0x6b, 0x61, 0x6e, 0xe4, 0x6c, 0x65, 0x00, 0x50, 0x38, 0x87 },
  { 0x80, 0x02, 0x02, 0x11, 0x61, 0x6b, 0x65, 0x74, 0x20, 0x4e, 0x75, 0x6c, 0x6c, 0x00, 0x00, 0x00, 0x33, 0xd9 },
  { 0x8f, 0x00, 0x03, 0x10, 0x00, 0x02, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd0, 0x70 },
  { 0x8f, 0x01, 0x04, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x0f, 0x05, 0x00, 0x00, 0x1a, 0xb5 },
  { 0x8f, 0x02, 0x05, 0x10, 0x00, 0x00, 0x00, 0x00, 0x09, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x99, 0x99 },
};

static GBytes *
encode_expected_packs (void)
{
  return g_bytes_new_static (known_packs, sizeof known_packs);
}

/* A memfd of `size` bytes of `data`, as an R-W generator. */
static RcSubcodeSource *
subcode_source (const guint8 *data, gsize size)
{
  g_autoptr(GError) error = NULL;
  int fd = memfd_create ("test-rw-generator", MFD_CLOEXEC);
  RcSubcodeSource *source;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, size), ==, (gssize) size);
  source = rc_subcode_source_new_from_fd (fd, &error);
  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}

static RcAudioSource *
pattern_source (guint32 seed, guint64 frames)
{
  g_autoptr(GError) error = NULL;
  RcAudioSource *source = rc_audio_source_new_from_fd (test_pattern_memfd (seed, frames),
                                                       RC_AUDIO_FORMAT_RAW, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}

/* The disc of disc_spec with the image type set, no CD-TEXT, no generator. */
static RcDisc *
new_disc (RcImageType type)
{
  RcDisc *disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (rc_disc_set_image_type (disc, type, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_set_starting_track_number (disc, (gint) disc_spec.first_track, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_set_pad_streams_to_sectors (disc, disc_spec.pad_streams, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_set_media_catalog_number (disc, disc_spec.mcn, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < disc_spec.n_tracks; i++)
    {
      const IdecTrackSpec *spec = &disc_spec.tracks[i];
      g_autoptr(RcAudioSource) source = pattern_source (spec->seed, spec->frames);
      guint index = rc_disc_add_track (disc, source, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (index, ==, i + 1);
      g_assert_true (rc_disc_track_set_copy_setting (disc, index, spec->copy, &error));
      g_assert_no_error (error);
      g_assert_true (rc_disc_track_set_preemphasis (disc, index, spec->preemphasis, &error));
      g_assert_no_error (error);
      if (spec->isrc != NULL)
        {
          g_assert_true (rc_disc_track_set_isrc (disc, index, spec->isrc, &error));
          g_assert_no_error (error);
        }
    }
  return disc;
}

static void
set_disc_text (RcDisc *disc)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (disc_text); i++)
    {
      const Text *t = &disc_text[i];

      g_assert_true (rc_disc_set_cdtext (disc, t->block, t->track_index, t->field, t->text, &error));
      g_assert_no_error (error);
    }
  g_assert_true (rc_disc_set_cdtext_language (disc, 1, BLOCK1_LANGUAGE, &error));
  g_assert_no_error (error);
}

static RcLayout *
build_layout (Content content, RcImageType type)
{
  g_autoptr(RcDisc) disc = new_disc (type);
  g_autoptr(GError) error = NULL;
  RcLayout *layout;

  if (content & CONTENT_TEXT)
    set_disc_text (disc);
  if (content & CONTENT_GEN)
    {
      g_autoptr(RcSubcodeSource) source = subcode_source (generator, (gsize) IMAGE_SECTORS * 96);

      g_assert_true (rc_disc_set_rw_generator (disc, source, &error));
      g_assert_no_error (error);
    }
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (layout);
  g_assert_cmpint (layout->leadout_lba, ==, LEADOUT_LBA);
  return layout;
}

/* ---- images: written once per content and type, mapped privately ---- */

typedef struct {
  guint8 *data;
  gsize   size;
} Image;

static Image *
image_map (int fd)
{
  Image *image = g_new0 (Image, 1);
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  image->size = (gsize) st.st_size;
  if (image->size == 0)
    return image;
  /* private: a mutation test may forge it freely */
  image->data = mmap (NULL, image->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  g_assert_true (image->data != MAP_FAILED);
  return image;
}

static void
image_unmap (Image *image)
{
  if (image->size > 0)
    munmap (image->data, image->size);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_unmap)

typedef struct {
  RcLayout *layout;
  int       fd;
  guint     last_use;
} Written;

/* At most this many images (of about 72 MiB each) are kept at a time; a
 * mapping of one that is dropped stays valid until it is unmapped. */
#define MAX_WRITTEN 3

static Written written[N_CONTENTS][RC_IMAGE_TYPE_IS_RAW + 1];
static guint use_clock;

static void
written_drop (Written *w)
{
  if (w->layout == NULL)
    return;
  close (w->fd);
  g_clear_pointer (&w->layout, rc_layout_unref);
}

static void
written_make_room (void)
{
  Written *oldest = NULL;
  guint n = 0;

  for (guint c = 0; c < N_CONTENTS; c++)
    for (guint t = 0; t < G_N_ELEMENTS (written[c]); t++)
      if (written[c][t].layout != NULL)
        {
          n++;
          if (oldest == NULL || written[c][t].last_use < oldest->last_use)
            oldest = &written[c][t];
        }
  if (n >= MAX_WRITTEN)
    written_drop (oldest);
}

static Written *
written_image (Content content, RcImageType type)
{
  Written *w = &written[content][type];

  w->last_use = ++use_clock;
  if (w->layout == NULL)
    {
      g_autoptr(GError) error = NULL;

      written_make_room ();

      w->layout = build_layout (content, type);
      w->fd = memfd_create ("test-image", MFD_CLOEXEC);
      g_assert_cmpint (w->fd, >=, 0);
      g_assert_true (rc_image_write (w->layout, type, w->fd, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  return w;
}

static Image *
image_of (Content content, RcImageType type)
{
  Image *image = image_map (written_image (content, type)->fd);

  g_assert_cmpuint (image->size, ==, (gsize) IMAGE_SECTORS * rc_image_sector_bytes (type));
  return image;
}

/* The subchannel part of a sector of a full image. */
static guint8 *
sub_at (const Image *image, RcImageType type, gint lba)
{
  return image->data + (gsize) IMAGE_SECTOR (lba) * rc_image_sector_bytes (type) + RC_AUDIO_BYTES;
}

/* R-W symbol j of pack k of a sector. */
static guint8
rw_at (const Image *image, RcImageType type, gint lba, guint k, guint j)
{
  return sub_at (image, type, lba)[24 * k + j] & 0x3f;
}

/* ---- checking ---- */

static IdecLayout *want_layout;

static void
assert_no_problems (const IdecReport *report)
{
  g_autofree char *text = NULL;
  const IdecProblem *first;

  if (report->n_problems == 0)
    return;
  first = g_ptr_array_index (report->problems, 0);
  text = idec_report_to_string (report, PROBLEMS_SHOWN);
  g_printerr ("%u problems:\n%s", report->n_problems, text);
  g_test_fail_printf ("%u problems, the first: LBA %d: %s", report->n_problems, first->lba, first->message);
}

static IdecReport *
check_image (const Image *image, Content content, RcImageType type)
{
  IdecReport *report = idec_report_new ();
  IdecRw rw;

  expected_rw (content, &rw);
  idec_check_image_rw (want_layout, type, &rw, image->data, image->size, report);
  return report;
}

typedef struct {
  const char  *path;
  Content      content;
  RcImageType  type;
} Case;

/* Tests 1-3 whole: every sector decoded and checked. */
static void
test_image (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(Image) image = image_of (c->content, c->type);
  g_autoptr(IdecReport) report = check_image (image, c->content, c->type);

  assert_no_problems (report);
}

/* ---- 1. CD-TEXT in the lead-in ---- */

/* The packs as read back from the lead-in are intact CD-TEXT packs, and a
 * few sectors worked by hand from §7 PINNED. */
static void
test_cdtext_known_answers (void)
{
  g_autoptr(Image) image = image_of (CONTENT_TEXT, RC_IMAGE_TYPE_IS_RAW);
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  guint n;
  const guint8 *packs = packs_data (&n);
  gint wrap_sector;

  /* a wrap inside a sector and inside the lead-in */
  g_assert_cmpuint (n % 4, !=, 0);
  g_assert_cmpuint ((4 * LEADIN_SECTORS) % n, !=, 0);

  /* §9: the first pack is block 0's disc title, sequence 0 */
  g_assert_cmpuint (packs[0], ==, 0x80);
  g_assert_cmpuint (packs[1], ==, 0x00);
  g_assert_cmpuint (packs[2], ==, 0x00);
  g_assert_cmpuint (packs[3], ==, 0x00);

  for (gint s = 0; s < LEADIN_SECTORS; s++)
    for (guint k = 0; k < 4; k++)
      {
        guint8 symbols[24], pack[18];
        guint16 crc;

        for (guint j = 0; j < 24; j++)
          symbols[j] = rw_at (image, type, LEADIN_LBA + s, k, j);
        idec_symbols_to_pack (symbols, pack);
        /* §9: CRC over bytes 0-15, inverted, big-endian */
        crc = idec_crc16 (pack, 16) ^ 0xFFFF;
        if (pack[16] != crc >> 8 || pack[17] != (crc & 0xff))
          {
            g_test_fail_printf ("LBA %d pack %u: CRC %02X %02X, expected %04X (§9)",
                                LEADIN_LBA + s, k, pack[16], pack[17], crc);
            return;
          }
        if ((pack[0] & 0x80) == 0)
          {
            g_test_fail_printf ("LBA %d pack %u: type %02X is not a CD-TEXT pack type (§9)",
                                LEADIN_LBA + s, k, pack[0]);
            return;
          }
      }

  /* by hand: sector 0 carries packs 0..3, sector 1 packs 4..7 */
  for (guint k = 0; k < 4; k++)
    for (gint s = 0; s < 2; s++)
      {
        guint8 symbols[24], pack[18];

        for (guint j = 0; j < 24; j++)
          symbols[j] = rw_at (image, type, LEADIN_LBA + s, k, j);
        idec_symbols_to_pack (symbols, pack);
        g_assert_cmpmem (pack, 18, packs + (4 * s + k) * 18, 18);
      }

  /* the first sector whose packs wrap: (4s .. 4s+3) spans N-1 and 0 */
  wrap_sector = (gint) (n / 4);
  for (guint k = 0; k < 4; k++)
    {
      guint8 symbols[24], pack[18];
      guint want = (4 * (guint) wrap_sector + k) < n ? 4 * (guint) wrap_sector + k
                                                     : 4 * (guint) wrap_sector + k - n;

      for (guint j = 0; j < 24; j++)
        symbols[j] = rw_at (image, type, LEADIN_LBA + wrap_sector, k, j);
      idec_symbols_to_pack (symbols, pack);
      g_assert_cmpmem (pack, 18, packs + want * 18, 18);
    }

  /* the last lead-in sector, LBA -151 = sector 22499, carries (89996 + k) % N */
  for (guint k = 0; k < 4; k++)
    {
      guint8 symbols[24], pack[18];

      for (guint j = 0; j < 24; j++)
        symbols[j] = rw_at (image, type, -151, k, j);
      idec_symbols_to_pack (symbols, pack);
      g_assert_cmpmem (pack, 18, packs + ((89996 + k) % n) * 18, 18);
    }

  /* and nothing from LBA -150 on */
  for (guint n96 = 0; n96 < 96; n96++)
    {
      g_assert_cmpuint (sub_at (image, type, -150)[n96] & 0x3f, ==, 0);
      g_assert_cmpuint (sub_at (image, type, 0)[n96] & 0x3f, ==, 0);
      g_assert_cmpuint (sub_at (image, type, LEADOUT_LBA)[n96] & 0x3f, ==, 0);
    }
}

/* PQ_ONLY has no room for R-W: CD-TEXT changes nothing of the image. */
static void
test_cdtext_pq_only (void)
{
  g_autoptr(Image) with = image_of (CONTENT_TEXT, RC_IMAGE_TYPE_PQ_ONLY);
  g_autoptr(Image) without = image_of (CONTENT_NONE, RC_IMAGE_TYPE_PQ_ONLY);
  g_autoptr(IdecReport) report = idec_report_new ();

  idec_check_image (want_layout, RC_IMAGE_TYPE_PQ_ONLY, with->data, with->size, report);
  assert_no_problems (report);
  g_assert_cmpuint (with->size, ==, without->size);
  for (gint s = 0; s < IMAGE_SECTORS; s++)
    {
      gsize off = (gsize) s * rc_image_sector_bytes (RC_IMAGE_TYPE_PQ_ONLY);

      if (memcmp (with->data + off, without->data + off, rc_image_sector_bytes (RC_IMAGE_TYPE_PQ_ONLY)) != 0)
        {
          g_test_fail_printf ("PQ_ONLY LBA %d differs with CD-TEXT from without", LEADIN_LBA + s);
          return;
        }
    }
}

/* ---- 2. the generator in IS_COOKED: as given ---- */

static void
test_generator_cooked_known_answers (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  g_autoptr(Image) plain = image_of (CONTENT_GEN, type);
  g_autoptr(Image) text = image_of (CONTENT_TEXT | CONTENT_GEN, type);
  guint n_packs;
  const guint8 *packs = packs_data (&n_packs);
  guint8 symbols[24], pack[18];

  for (guint n = 0; n < 96; n++)
    {
      /* the generator from the image's first sector on, without CD-TEXT */
      g_assert_cmpuint (sub_at (plain, type, LEADIN_LBA)[n] & 0x3f, ==, gen_symbol (0, n));
      g_assert_cmpuint (sub_at (plain, type, -151)[n] & 0x3f, ==, gen_symbol (22499, n));
      g_assert_cmpuint (sub_at (plain, type, 0)[n] & 0x3f, ==, gen_symbol (22650, n));
      g_assert_cmpuint (sub_at (plain, type, LEADOUT_LBA + 6749)[n] & 0x3f, ==, gen_symbol (IMAGE_SECTORS - 1, n));
      /* with CD-TEXT: from LBA -150 on */
      g_assert_cmpuint (sub_at (text, type, -150)[n] & 0x3f, ==, gen_symbol (22500, n));
      g_assert_cmpuint (sub_at (text, type, 0)[n] & 0x3f, ==, gen_symbol (22650, n));
    }
  for (guint j = 0; j < 24; j++)
    symbols[j] = rw_at (text, type, -151, 3, j);
  idec_symbols_to_pack (symbols, pack);
  g_assert_cmpmem (pack, 18, packs + ((89996 + 3) % n_packs) * 18, 18);
}

/* ---- 3. the generator in IS_RAW: CD+G coded ---- */

/* Sectors worked by hand from §8 with F, the image sector where the
 * generator is first heard.  Output pack m symbol j is coded pack m - j%8
 * symbol j, and a coded pack holds the input's symbol p at position p,
 * except the swaps: position 1 holds 18, 18 holds 1, 2 holds 5, 5 holds 2,
 * 3 holds 23, 23 holds 3. */
static void
raw_known_answers (Content content)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  g_autoptr(Image) image = image_of (content, type);
  gint first = (content & CONTENT_TEXT) ? 22500 : 0;      /* F */
  gint first_lba = LEADIN_LBA + first;
  gint s0 = 22650;                                        /* LBA 0 */

  /* LBA 0, pack 0 (output pack m = 4 (22650 - F)): */
  g_assert_cmpuint (rw_at (image, type, 0, 0, 0), ==, gen_symbol (s0, 0));        /* not delayed */
  g_assert_cmpuint (rw_at (image, type, 0, 0, 8), ==, gen_symbol (s0, 8));
  g_assert_cmpuint (rw_at (image, type, 0, 0, 16), ==, gen_symbol (s0, 16));
  g_assert_cmpuint (rw_at (image, type, 0, 0, 4), ==, gen_symbol (s0 - 1, 4));    /* m-4: LBA -1 pack 0 */
  g_assert_cmpuint (rw_at (image, type, 0, 0, 12), ==, gen_symbol (s0 - 1, 12));
  g_assert_cmpuint (rw_at (image, type, 0, 0, 1), ==, gen_symbol (s0 - 1, 72 + 18)); /* m-1: LBA -1 pack 3, symbol 18 */
  g_assert_cmpuint (rw_at (image, type, 0, 0, 18), ==, gen_symbol (s0 - 1, 48 + 1)); /* m-2: LBA -1 pack 2, symbol 1 */
  g_assert_cmpuint (rw_at (image, type, 0, 0, 7), ==, gen_symbol (s0 - 2, 24 + 7));  /* m-7: LBA -2 pack 1 */
  g_assert_cmpuint (rw_at (image, type, 0, 0, 15), ==, gen_symbol (s0 - 2, 24 + 15));
  g_assert_cmpuint (rw_at (image, type, 0, 0, 13), ==, gen_symbol (s0 - 2, 72 + 13)); /* m-5: LBA -2 pack 3 */
  g_assert_cmpuint (rw_at (image, type, 0, 0, 2), ==, gen_symbol (s0 - 1, 48 + 5));  /* m-2, swapped with 5 */
  /* LBA 0, pack 2 (m+2): symbol 1 from pack 1 of LBA 0 (its 18), symbol 10 from pack 0 of LBA 0 */
  g_assert_cmpuint (rw_at (image, type, 0, 2, 1), ==, gen_symbol (s0, 24 + 18));
  g_assert_cmpuint (rw_at (image, type, 0, 2, 10), ==, gen_symbol (s0, 10));

  /* the first sector that carries the generator: the delay line is zero */
  for (guint k = 0; k < 4; k++)
    for (guint j = 0; j < 24; j++)
      {
        guint8 found = rw_at (image, type, first_lba, k, j);

        if (j % 8 > k)
          g_assert_cmpuint (found, ==, 0);
        else if (j % 8 == 0)
          g_assert_cmpuint (found, ==, gen_symbol (first, 24 * k + j));
      }
  /* its pack 1 symbol 1: pack 0's symbol 18 */
  g_assert_cmpuint (rw_at (image, type, first_lba, 1, 1), ==, gen_symbol (first, 18));

  if (content & CONTENT_TEXT)
    {
      guint n_packs;
      const guint8 *packs = packs_data (&n_packs);
      guint8 symbols[24], pack[18];

      /* the last lead-in sector still carries CD-TEXT, uncoded */
      for (guint j = 0; j < 24; j++)
        symbols[j] = rw_at (image, type, -151, 0, j);
      idec_symbols_to_pack (symbols, pack);
      g_assert_cmpmem (pack, 18, packs + (89996 % n_packs) * 18, 18);
    }
}

static void
test_raw_known_answers (void)
{
  raw_known_answers (CONTENT_GEN);
}

static void
test_raw_known_answers_with_text (void)
{
  raw_known_answers (CONTENT_TEXT | CONTENT_GEN);
}

/* ---- 4. ranges ---- */

typedef struct {
  gint first;
  gint end;
} Range;

/* Ranges that start where the IS_RAW coder must be primed: at the image
 * start, right after it, in the lead-in, across the lead-in's end, right
 * after LBA -150 (only one or two sectors before it to prime from), at a
 * track's first sector (a range cannot start inside a stream), in the
 * lead-out, and its last sector. */
static const Range ranges[] = {
  { 0, LEADOUT_LBA },
  { LEADIN_LBA, LEADIN_LBA + 50 },
  { LEADIN_LBA + 1, LEADIN_LBA + 10 },
  { -20001, -19000 },
  { -152, 0 },
  { -150, -140 },
  { -149, -100 },
  { -148, -147 },
  { 400, 751 },
  { LEADOUT_LBA, LEADOUT_LBA + 3 },
  { LEADOUT_LBA + 1, LEADOUT_LBA + 900 },
  { LEADOUT_LBA + 6749, LEADOUT_LBA + 6750 },
};

static const RcSectorForm range_forms[] = {
  RC_SECTOR_FORM_FULL, RC_SECTOR_FORM_AUDIO, RC_SECTOR_FORM_SUB_RAW, RC_SECTOR_FORM_SUB_PLANAR,
  RC_SECTOR_FORM_AUDIO_BE, RC_SECTOR_FORM_AUDIO_BE_SUB,
};
static const char *const form_names[] = { "FULL", "AUDIO", "SUB_RAW", "SUB_PLANAR", "AUDIO_BE",
                                          "AUDIO_BE_SUB" };

/* The full image's little-endian samples, big-endian. */
static void
swap_samples (const guint8 *le, guint8 *be)
{
  for (gsize i = 0; i < RC_AUDIO_BYTES; i += 2)
    {
      be[i] = le[i + 1];
      be[i + 1] = le[i];
    }
}

/* The bytes a form must hold for one sector of the full image. */
static void
expected_form (const Image *image, RcImageType type, gint lba, RcSectorForm form,
               guint8 *out, gsize *len)
{
  const guint8 *sector = image->data + (gsize) IMAGE_SECTOR (lba) * rc_image_sector_bytes (type);

  switch (form)
    {
    case RC_SECTOR_FORM_FULL:
      *len = rc_image_sector_bytes (type);
      memcpy (out, sector, *len);
      break;
    case RC_SECTOR_FORM_AUDIO:
      *len = RC_AUDIO_BYTES;
      memcpy (out, sector, *len);
      break;
    case RC_SECTOR_FORM_SUB_RAW:
      *len = 96;
      memcpy (out, sector + RC_AUDIO_BYTES, 96);
      break;
    case RC_SECTOR_FORM_AUDIO_BE:
      *len = RC_AUDIO_BYTES;
      swap_samples (sector, out);
      break;
    case RC_SECTOR_FORM_AUDIO_BE_SUB:
      *len = RC_AUDIO_BYTES + 96;
      swap_samples (sector, out);
      memcpy (out + RC_AUDIO_BYTES, sector + RC_AUDIO_BYTES, 96);
      break;
    case RC_SECTOR_FORM_SUB_PLANAR:
    default:
      *len = 96;
      idec_subchannel_planar (sector + RC_AUDIO_BYTES, out);
      break;
    }
}

static void
ranges_equal_full_image (Content content, RcImageType type)
{
  Written *w = written_image (content, type);
  g_autoptr(Image) full = image_of (content, type);

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    {
      const Range *range = &ranges[r];
      RcImageOutput outputs[G_N_ELEMENTS (range_forms)];
      g_autoptr(GError) error = NULL;
      guint n = (guint) (range->end - range->first);

      for (guint o = 0; o < G_N_ELEMENTS (range_forms); o++)
        {
          outputs[o].fd = memfd_create ("test-range", MFD_CLOEXEC);
          outputs[o].form = range_forms[o];
          g_assert_cmpint (outputs[o].fd, >=, 0);
        }
      g_assert_true (rc_image_write_range (w->layout, type, range->first, range->end,
                                           outputs, G_N_ELEMENTS (outputs), NULL, NULL, NULL, &error));
      g_assert_no_error (error);

      for (guint o = 0; o < G_N_ELEMENTS (range_forms); o++)
        {
          g_autoptr(Image) got = image_map (outputs[o].fd);
          gsize bytes = rc_sector_form_bytes (range_forms[o], type);
          guint8 want[RC_AUDIO_BYTES + 96];
          gsize len;

          close (outputs[o].fd);
          if (got->size != (gsize) n * bytes)
            {
              g_test_fail_printf ("range [%d, %d) %s: %" G_GSIZE_FORMAT " bytes, expected %u * %"
                                  G_GSIZE_FORMAT, range->first, range->end, form_names[o],
                                  got->size, n, bytes);
              continue;
            }
          for (guint i = 0; i < n; i++)
            {
              gint lba = range->first + (gint) i;
              const guint8 *found = got->data + (gsize) i * bytes;

              expected_form (full, type, lba, range_forms[o], want, &len);
              g_assert_cmpuint (len, ==, bytes);
              if (memcmp (found, want, len) != 0)
                {
                  gsize b = 0;

                  while (found[b] == want[b])
                    b++;
                  g_test_fail_printf ("range [%d, %d) %s: LBA %d byte %" G_GSIZE_FORMAT
                                      " is %02X, the full image's is %02X",
                                      range->first, range->end, form_names[o], lba, b,
                                      found[b], want[b]);
                  break;
                }
            }
        }
    }
}

static void
test_ranges_raw (void)
{
  ranges_equal_full_image (CONTENT_GEN, RC_IMAGE_TYPE_IS_RAW);
}

static void
test_ranges_raw_with_text (void)
{
  ranges_equal_full_image (CONTENT_TEXT | CONTENT_GEN, RC_IMAGE_TYPE_IS_RAW);
}

static void
test_ranges_cooked_with_text (void)
{
  ranges_equal_full_image (CONTENT_TEXT | CONTENT_GEN, RC_IMAGE_TYPE_IS_COOKED);
}

static void
test_ranges_raw_text_only (void)
{
  ranges_equal_full_image (CONTENT_TEXT, RC_IMAGE_TYPE_IS_RAW);
}

/* ---- 5. errors ---- */

static void
test_error_generator_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = g_strdup_printf ("%d", idec_layout_image_sectors (want_layout) * 96);
  const gint lengths[] = { IMAGE_SECTORS - 1, IMAGE_SECTORS + 1, 1 };

  g_assert_cmpint (idec_layout_image_sectors (want_layout), ==, IMAGE_SECTORS);
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(RcDisc) disc = new_disc (RC_IMAGE_TYPE_IS_RAW);
      g_autoptr(RcSubcodeSource) wrong = subcode_source (generator, (gsize) lengths[i] * 96);
      g_autoptr(RcSubcodeSource) right = subcode_source (generator, (gsize) IMAGE_SECTORS * 96);
      g_autoptr(RcLayout) layout = NULL;

      g_assert_true (rc_disc_set_rw_generator (disc, wrong, &error));
      g_assert_no_error (error);
      layout = rc_disc_freeze (disc, &error);
      g_assert_null (layout);
      g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
      if (strstr (error->message, bytes) == NULL)
        g_test_fail_printf ("message \"%s\" does not state the expected length %s bytes",
                            error->message, bytes);
      g_clear_error (&error);
      /* and the disc is left as it was: a right generator freezes */
      g_assert_false (rc_disc_is_frozen (disc));
      g_assert_true (rc_disc_set_rw_generator (disc, right, &error));
      g_assert_no_error (error);
      layout = rc_disc_freeze (disc, &error);
      g_assert_no_error (error);
      g_assert_nonnull (layout);
      g_assert_nonnull (layout->rw);
    }

  /* not a whole number of sectors: refused when the source is made */
  {
    int fd = memfd_create ("test-rw-generator", MFD_CLOEXEC);
    RcSubcodeSource *source;

    g_assert_cmpint (write (fd, generator, 97), ==, 97);
    source = rc_subcode_source_new_from_fd (fd, &error);
    g_assert_null (source);
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  }
}

/* A byte with bit 6 or 7 set: the write fails naming the generator sector
 * and the byte. */
static void
bad_generator_byte (RcImageType type, Content content, gint sector, guint byte, guint8 value)
{
  g_autofree guint8 *bad = g_memdup2 (generator, (gsize) IMAGE_SECTORS * 96);
  g_autoptr(RcDisc) disc = new_disc (type);
  g_autoptr(RcSubcodeSource) source = NULL;
  g_autoptr(RcLayout) layout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sector_text = g_strdup_printf ("sector %d", sector);
  g_autofree char *byte_text = g_strdup_printf ("byte %u ", byte);
  int fd = memfd_create ("test-image", MFD_CLOEXEC);

  bad[(gsize) sector * 96 + byte] = value;
  source = subcode_source (bad, (gsize) IMAGE_SECTORS * 96);
  if (content & CONTENT_TEXT)
    set_disc_text (disc);
  g_assert_true (rc_disc_set_rw_generator (disc, source, &error));
  g_assert_no_error (error);
  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);

  g_assert_false (rc_image_write (layout, type, fd, NULL, NULL, NULL, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, sector_text) == NULL || strstr (error->message, byte_text) == NULL)
    g_test_fail_printf ("message \"%s\" does not name %s and %s", error->message, sector_text, byte_text);
  close (fd);
}

static void
test_error_generator_top_bits (void)
{
  /* LBA 500 (image sector 23150), in both coded forms */
  bad_generator_byte (RC_IMAGE_TYPE_IS_COOKED, CONTENT_GEN, 23150, 37, 0x40);
  bad_generator_byte (RC_IMAGE_TYPE_IS_RAW, CONTENT_GEN, 23150, 37, 0x40);
  /* the lead-in when it carries the generator; the last sector */
  bad_generator_byte (RC_IMAGE_TYPE_IS_RAW, CONTENT_GEN, 5, 95, 0x80);
  bad_generator_byte (RC_IMAGE_TYPE_IS_COOKED, CONTENT_TEXT | CONTENT_GEN, IMAGE_SECTORS - 1, 0, 0xC1);
}

static void
test_error_pq_only (void)
{
  g_autoptr(RcSubcodeSource) source = subcode_source (generator, (gsize) IMAGE_SECTORS * 96);
  g_autoptr(GError) error = NULL;

  /* a generator on a PQ_ONLY disc */
  {
    g_autoptr(RcDisc) disc = new_disc (RC_IMAGE_TYPE_PQ_ONLY);

    g_assert_false (rc_disc_set_rw_generator (disc, source, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
  /* PQ_ONLY on a disc with a generator; the other types stay allowed */
  {
    g_autoptr(RcDisc) disc = new_disc (RC_IMAGE_TYPE_IS_RAW);

    g_assert_true (rc_disc_set_rw_generator (disc, source, &error));
    g_assert_no_error (error);
    g_assert_false (rc_disc_set_image_type (disc, RC_IMAGE_TYPE_PQ_ONLY, &error));
    g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_assert_cmpint (rc_disc_get_image_type (disc), ==, RC_IMAGE_TYPE_IS_RAW);
    g_assert_true (rc_disc_set_image_type (disc, RC_IMAGE_TYPE_IS_COOKED, &error));
    g_assert_no_error (error);
  }
}

/* Each string fits one character code, the block fits none: Latin-1's
 * "é" is not in MS-JIS, the kanji are not in Latin-1.  The disc's tracks
 * are numbered from 2, so track index 1 is track 2 and index 3 is track 4. */
static void
test_error_cdtext_mixed_scripts (void)
{
  g_autoptr(RcDisc) disc = new_disc (RC_IMAGE_TYPE_IS_RAW);
  g_autoptr(GError) error = NULL;
  g_autoptr(RcLayout) layout = NULL;

  g_assert_true (rc_disc_set_cdtext (disc, 0, 1, RC_CDTEXT_FIELD_TITLE, "Caf\xc3\xa9", &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_set_cdtext (disc, 0, 3, RC_CDTEXT_FIELD_PERFORMER,
                                     "\xe6\x97\xa5\xe6\x9c\xac", &error));
  g_assert_no_error (error);
  layout = rc_disc_freeze (disc, &error);
  g_assert_null (layout);
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, "title of track 2") == NULL ||
      strstr (error->message, "performer of track 4") == NULL)
    g_test_fail_printf ("message \"%s\" does not name the title of track 2 and the performer of track 4",
                        error->message);
  g_assert_false (rc_disc_is_frozen (disc));
}

/* ---- the decoder's own arithmetic and mutation self-checks ---- */

static void
test_decoder_known_answers (void)
{
  /* Worked out apart from both the engine and the decoder (solving the six
   * check equations of IEC 60908 over GF(64), x^6 + x + 1): data 09 04 and
   * 31 3C .. 0B 16 with Q parity 33 3E and P parity 34 1D 14 1D. */
  const guint8 valid[24] = {
    0x09, 0x04, 0x33, 0x3e, 0x31, 0x3c, 0x07, 0x12, 0x1d, 0x28, 0x33, 0x3e,
    0x09, 0x14, 0x1f, 0x2a, 0x35, 0x00, 0x0b, 0x16, 0x34, 0x1d, 0x14, 0x1d,
  };
  const guint8 zero[24] = { 0 };
  guint8 pack[24];
  const guint8 symbols[24] = {
    /* "Joy" = 4A 6F 79 -> 010010 100110 111101 111001 */
    0x12, 0x26, 0x3d, 0x39,
  };
  guint8 bytes[18];
  guint8 sub[96] = { 0 }, planar[96];

  g_assert_true (idec_rw_pack_checks (valid));
  g_assert_true (idec_rw_pack_checks (zero));
  for (guint i = 0; i < 24; i++)
    {
      memcpy (pack, valid, sizeof pack);
      pack[i] ^= 0x01 << (i % 6);
      g_assert_false (idec_rw_pack_checks (pack));
    }

  idec_symbols_to_pack (symbols, bytes);
  g_assert_cmpuint (bytes[0], ==, 0x4A);
  g_assert_cmpuint (bytes[1], ==, 0x6F);
  g_assert_cmpuint (bytes[2], ==, 0x79);

  /* §3: byte n bit 7 = P .. bit 0 = W; channel byte i over bytes 8i..8i+7 */
  sub[0] = 0x80;   /* P byte 0 bit 7 */
  sub[15] = 0x21;  /* R byte 1 bit 0, W byte 1 bit 0 */
  idec_subchannel_planar (sub, planar);
  g_assert_cmpuint (planar[0], ==, 0x80);
  g_assert_cmpuint (planar[2 * 12 + 1], ==, 0x01);
  g_assert_cmpuint (planar[7 * 12 + 1], ==, 0x01);
  for (guint i = 0; i < 96; i++)
    if (i != 0 && i != 25 && i != 85)
      g_assert_cmpuint (planar[i], ==, 0);
}

/* The decoder must report `what` at `lba` for the forged image, which it
 * did not for the image as written. */
static void
assert_caught (const Image *image, Content content, RcImageType type, gint lba, const char *what)
{
  g_autoptr(IdecReport) report = check_image (image, content, type);

  if (!idec_report_has (report, lba, what))
    {
      g_autofree char *text = idec_report_to_string (report, PROBLEMS_SHOWN);

      g_test_fail_printf ("forged LBA %d not reported as \"%s\"; report:\n%s", lba, what, text);
    }
}

/* The mutation tests need an image without problems of its own. */
static gboolean
is_pristine (Content content, RcImageType type)
{
  g_autoptr(Image) image = image_of (content, type);
  g_autoptr(IdecReport) report = check_image (image, content, type);

  if (report->n_problems == 0)
    return TRUE;
  g_test_fail_printf ("the image as written already has %u problems (see the image tests)",
                      (guint) report->n_problems);
  return FALSE;
}

static void
test_mutation_raw (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  Content content = CONTENT_GEN;

  if (!is_pristine (content, type))
    return;
  {
    /* an undelayed data symbol: pack 1 of LBA 100 */
    g_autoptr(Image) image = image_of (content, type);

    sub_at (image, type, 100)[24 + 0] ^= 0x01;
    assert_caught (image, content, type, 100, "parity");
    assert_caught (image, content, type, 100, "decoded as");
  }
  {
    /* symbol 12 is delayed 4 packs: it belongs to pack 0 of LBA 99 */
    g_autoptr(Image) image = image_of (content, type);

    sub_at (image, type, 100)[12] ^= 0x20;
    assert_caught (image, content, type, 99, "parity");
  }
  {
    /* P parity symbol 20 of pack 2, delayed 4: pack 2 of LBA 199 */
    g_autoptr(Image) image = image_of (content, type);

    sub_at (image, type, 200)[48 + 20] ^= 0x3f;
    assert_caught (image, content, type, 199, "parity");
  }
  {
    /* the symbols that come out of the empty delay line */
    g_autoptr(Image) image = image_of (content, type);

    sub_at (image, type, LEADIN_LBA)[3] |= 0x01;
    assert_caught (image, content, type, LEADIN_LBA, "delay line");
  }
  {
    /* output symbols 1 and 18 of LBA 600 pack 3 exchanged, as a coder
     * that swapped after the delay would: packs 2 and 1 of LBA 600 break */
    g_autoptr(Image) image = image_of (content, type);
    guint8 *sub = sub_at (image, type, 600);
    guint8 a = sub[72 + 1] & 0x3f, b = sub[72 + 18] & 0x3f;

    g_assert_cmpuint (a, !=, b);
    sub[72 + 1] = (guint8) ((sub[72 + 1] & 0xc0) | b);
    sub[72 + 18] = (guint8) ((sub[72 + 18] & 0xc0) | a);
    assert_caught (image, content, type, 600, "parity");
  }
}

static void
test_mutation_text_and_cooked (void)
{
  if (!is_pristine (CONTENT_TEXT | CONTENT_GEN, RC_IMAGE_TYPE_IS_RAW) ||
      !is_pristine (CONTENT_TEXT | CONTENT_GEN, RC_IMAGE_TYPE_IS_COOKED) ||
      !is_pristine (CONTENT_TEXT, RC_IMAGE_TYPE_IS_COOKED))
    return;
  {
    /* IS_RAW with CD-TEXT: the delay line starts empty at LBA -150 */
    RcImageType type = RC_IMAGE_TYPE_IS_RAW;
    g_autoptr(Image) image = image_of (CONTENT_TEXT | CONTENT_GEN, type);

    sub_at (image, type, -150)[24 + 7] |= 0x10;
    assert_caught (image, CONTENT_TEXT | CONTENT_GEN, type, -150, "delay line");
  }
  {
    /* a pack repeated in a lead-in sector (pack 0's symbols in slot 1) */
    RcImageType type = RC_IMAGE_TYPE_IS_RAW;
    g_autoptr(Image) image = image_of (CONTENT_TEXT | CONTENT_GEN, type);
    guint8 *sub = sub_at (image, type, -1000);

    for (guint j = 0; j < 24; j++)
      sub[24 + j] = (guint8) ((sub[24 + j] & 0xc0) | (sub[j] & 0x3f));
    assert_caught (image, CONTENT_TEXT | CONTENT_GEN, type, -1000, "CD-TEXT");
  }
  {
    /* one generator symbol in IS_COOKED */
    RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
    g_autoptr(Image) image = image_of (CONTENT_TEXT | CONTENT_GEN, type);

    sub_at (image, type, 300)[50] ^= 0x08;
    assert_caught (image, CONTENT_TEXT | CONTENT_GEN, type, 300, "IS_COOKED");
  }
  {
    /* R-W outside the lead-in of an image with CD-TEXT only */
    RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
    g_autoptr(Image) image = image_of (CONTENT_TEXT, type);

    sub_at (image, type, LEADOUT_LBA + 10)[95] |= 0x01;
    assert_caught (image, CONTENT_TEXT, type, LEADOUT_LBA + 10, "R-W bits");
  }
}

/* ---- main ---- */

static const Case cases[] = {
  { "/image-rw/cdtext/is-raw", CONTENT_TEXT, RC_IMAGE_TYPE_IS_RAW },
  { "/image-rw/cdtext/is-cooked", CONTENT_TEXT, RC_IMAGE_TYPE_IS_COOKED },
  { "/image-rw/generator/is-cooked", CONTENT_GEN, RC_IMAGE_TYPE_IS_COOKED },
  { "/image-rw/generator/is-cooked-with-cdtext", CONTENT_TEXT | CONTENT_GEN, RC_IMAGE_TYPE_IS_COOKED },
  { "/image-rw/generator/is-raw", CONTENT_GEN, RC_IMAGE_TYPE_IS_RAW },
  { "/image-rw/generator/is-raw-with-cdtext", CONTENT_TEXT | CONTENT_GEN, RC_IMAGE_TYPE_IS_RAW },
};

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  want_layout = idec_layout_new (&disc_spec);
  g_assert_cmpint (want_layout->leadout_lba, ==, LEADOUT_LBA);
  generator = g_malloc0 ((gsize) (IMAGE_SECTORS + 1) * 96);
  for (gint s = 0; s < IMAGE_SECTORS; s++)
    for (guint n = 0; n < 96; n++)
      generator[(gsize) s * 96 + n] = gen_symbol (s, n);
  expected_packs = encode_expected_packs ();

  g_test_add_func ("/image-rw/decoder/known-answers", test_decoder_known_answers);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_image);
  g_test_add_func ("/image-rw/cdtext/known-answers", test_cdtext_known_answers);
  g_test_add_func ("/image-rw/cdtext/pq-only", test_cdtext_pq_only);
  g_test_add_func ("/image-rw/generator/is-cooked-known-answers", test_generator_cooked_known_answers);
  g_test_add_func ("/image-rw/generator/is-raw-known-answers", test_raw_known_answers);
  g_test_add_func ("/image-rw/generator/is-raw-with-cdtext-known-answers", test_raw_known_answers_with_text);
  g_test_add_func ("/image-rw/range/is-raw", test_ranges_raw);
  g_test_add_func ("/image-rw/range/is-raw-with-cdtext", test_ranges_raw_with_text);
  g_test_add_func ("/image-rw/range/is-cooked-with-cdtext", test_ranges_cooked_with_text);
  g_test_add_func ("/image-rw/range/is-raw-cdtext-only", test_ranges_raw_text_only);
  g_test_add_func ("/image-rw/error/generator-length", test_error_generator_length);
  g_test_add_func ("/image-rw/error/generator-top-bits", test_error_generator_top_bits);
  g_test_add_func ("/image-rw/error/pq-only", test_error_pq_only);
  g_test_add_func ("/image-rw/error/cdtext-mixed-scripts", test_error_cdtext_mixed_scripts);
  g_test_add_func ("/image-rw/mutation/is-raw", test_mutation_raw);
  g_test_add_func ("/image-rw/mutation/cdtext-and-is-cooked", test_mutation_text_and_cooked);
  rc = g_test_run ();

  for (guint c = 0; c < N_CONTENTS; c++)
    for (guint t = 0; t < G_N_ELEMENTS (written[c]); t++)
      written_drop (&written[c][t]);
  g_bytes_unref (expected_packs);
  g_free (generator);
  idec_layout_free (want_layout);
  return rc;
}
