/* test-image-decode.c: full images of every sector type, decoded sector by
 * sector by an independent decoder (image-decoder.c) and checked against
 * docs/cd-format.md; then the decoder itself is shown to catch forged
 * images, so that its silence can be trusted.
 */
#define _GNU_SOURCE
#include "image-decoder.h"
#include "test-util.h"
#include "rc-disc.h"
#include "rc-error.h"
#include "rc-image-writer.h"
#include "rc-sndfile-source.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROBLEMS_SHOWN 20

/* ---- the scenarios ---- */

/* (a) gapless, MCN, ISRC on track 2, SCMS on track 3, pre-emphasis on track
 * 1, index 2 in track 2.  The lengths put placement edge cases on purpose:
 * track 2's pregap (LBA 530, A = 680) and its index 2 (LBA 980, A = 1130)
 * begin where A % 90 == 50, and the lead-out (LBA 1830, A = 1980) where
 * A % 90 == 0, so the ISRC and the MCN must move to the next sector.
 * Track 1 and 3 end inside a sector, to check IMAPI's padding of every
 * stream (PadStreamsToSectors). */
static const gint gapless_indexes[] = { 300 };
static const IdecTrackSpec gapless_tracks[] = {
  { .seed = 11, .frames = 679 * 588 + 300, .copy = RC_COPY_PERMITTED, .preemphasis = TRUE },
  { .seed = 12, .frames = 650 * 588, .copy = RC_COPY_PROHIBITED, .isrc = "USRC17607839",
    .n_extra_indexes = G_N_ELEMENTS (gapless_indexes), .extra_indexes = gapless_indexes },
  { .seed = 13, .frames = 499 * 588 + 1, .copy = RC_COPY_SCMS },
};
static const IdecSpec scenario_gapless = {
  .first_track = 1,
  .pad_streams = TRUE,
  .mcn = "4006381333931",
  .n_tracks = G_N_ELEMENTS (gapless_tracks),
  .tracks = gapless_tracks,
};

/* (b) 2-second silent gaps from track number 5; the ISRC of track 6 also
 * falls in its silent pregap (LBA 440, A = 590). */
static const IdecTrackSpec gaps_tracks[] = {
  { .seed = 21, .frames = 399 * 588 + 37, .copy = RC_COPY_PERMITTED },
  { .seed = 22, .frames = 350 * 588, .copy = RC_COPY_SCMS, .preemphasis = TRUE, .isrc = "GBAYE0601498" },
};
static const IdecSpec scenario_gaps = {
  .first_track = 5,
  .disable_gapless = TRUE,
  .n_tracks = G_N_ELEMENTS (gaps_tracks),
  .tracks = gaps_tracks,
};

/* (c) a hidden track one of 200 sectors (its last one padded) + 1 track */
static const IdecTrackSpec hidden_tracks[] = {
  { .seed = 32, .frames = 400 * 588 + 5, .copy = RC_COPY_PERMITTED },
};
static const IdecSpec scenario_hidden = {
  .first_track = 1,
  .pregap_seed = 31,
  .pregap_frames = 199 * 588 + 300,
  .n_tracks = G_N_ELEMENTS (hidden_tracks),
  .tracks = hidden_tracks,
};

/* (d) one track of the minimum length */
static const IdecTrackSpec single_tracks[] = {
  { .seed = 41, .frames = 300 * 588, .copy = RC_COPY_PROHIBITED },
};
static const IdecSpec scenario_single = {
  .first_track = 1,
  .n_tracks = G_N_ELEMENTS (single_tracks),
  .tracks = single_tracks,
};

/* (e) gapless, joined sample-exactly (§12, the default): track 2's first
 * sample is frame 300 of LBA 400, track 3's frame 112 of LBA 751 (F_3 =
 * 400*588+300 + 350*588+400 = 751*588+112); only the last stream is padded
 * (F = 1071*588+113: lead-out 1072).  An ISRC and an index in the track
 * that begins inside a sector. */
static const gint joined_indexes[] = { 120 };
static const IdecTrackSpec joined_tracks[] = {
  { .seed = 51, .frames = 400 * 588 + 300, .copy = RC_COPY_PERMITTED },
  { .seed = 52, .frames = 350 * 588 + 400, .copy = RC_COPY_SCMS, .isrc = "USRC17607839",
    .n_extra_indexes = G_N_ELEMENTS (joined_indexes), .extra_indexes = joined_indexes },
  { .seed = 53, .frames = 320 * 588 + 1, .copy = RC_COPY_PROHIBITED, .preemphasis = TRUE },
};
static const IdecSpec scenario_joined = {
  .first_track = 3,
  .mcn = "4006381333931",
  .n_tracks = G_N_ELEMENTS (joined_tracks),
  .tracks = joined_tracks,
};

/* (f) a hidden track (padded to 200 sectors: track 1 starts with its own
 * first sample at LBA 50), then two tracks joined sample-exactly: track 2
 * at frame 5 of LBA 450; together 701 whole sectors, so nothing pads the
 * last one and the lead-out is at 751. */
static const IdecTrackSpec joined_hidden_tracks[] = {
  { .seed = 71, .frames = 400 * 588 + 5, .copy = RC_COPY_PERMITTED },
  { .seed = 72, .frames = 300 * 588 + 583, .copy = RC_COPY_PERMITTED },
};
static const IdecSpec scenario_joined_hidden = {
  .first_track = 1,
  .pregap_seed = 70,
  .pregap_frames = 199 * 588 + 300,
  .n_tracks = G_N_ELEMENTS (joined_hidden_tracks),
  .tracks = joined_hidden_tracks,
};

/* ---- building and writing a disc through the engine ---- */

static RcAudioSource *
pattern_source (guint32 seed, guint64 frames)
{
  g_autoptr(GError) error = NULL;
  RcAudioSource *source;

  /* frames need not fill the last sector: test_pattern_source() would */
  source = rc_audio_source_new_from_fd (test_pattern_memfd (seed, frames),
                                        RC_AUDIO_FORMAT_RAW, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}

static void
add_track (RcDisc *disc, const IdecTrackSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RcAudioSource) source = pattern_source (spec->seed, spec->frames);
  guint index = rc_disc_add_track (disc, source, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (index, >, 0);
  g_assert_true (rc_disc_track_set_copy_setting (disc, index, spec->copy, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_track_set_preemphasis (disc, index, spec->preemphasis, &error));
  g_assert_no_error (error);
  if (spec->isrc != NULL)
    {
      g_assert_true (rc_disc_track_set_isrc (disc, index, spec->isrc, &error));
      g_assert_no_error (error);
    }
  for (guint k = 0; k < spec->n_extra_indexes; k++)
    {
      gboolean existed = TRUE;

      g_assert_true (rc_disc_track_add_index (disc, index, spec->extra_indexes[k], &existed, &error));
      g_assert_no_error (error);
      g_assert_false (existed);
    }
}

static RcLayout *
build_layout (const IdecSpec *spec)
{
  g_autoptr(RcDisc) disc = rc_disc_new ();
  g_autoptr(GError) error = NULL;
  RcLayout *layout;

  g_assert_true (rc_disc_set_starting_track_number (disc, (gint) spec->first_track, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_set_disable_gapless_audio (disc, spec->disable_gapless, &error));
  g_assert_no_error (error);
  g_assert_true (rc_disc_set_pad_streams_to_sectors (disc, spec->pad_streams, &error));
  g_assert_no_error (error);
  if (spec->mcn != NULL)
    {
      g_assert_true (rc_disc_set_media_catalog_number (disc, spec->mcn, &error));
      g_assert_no_error (error);
    }
  if (spec->pregap_frames > 0)
    {
      g_autoptr(RcAudioSource) pregap = pattern_source (spec->pregap_seed, spec->pregap_frames);

      g_assert_true (rc_disc_set_special_pregap (disc, pregap, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < spec->n_tracks; i++)
    add_track (disc, &spec->tracks[i]);

  layout = rc_disc_freeze (disc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (layout);
  return layout;
}

/* The engine's layout must be the one §5 gives for the same inputs. */
static void
compare_layout (const IdecLayout *want, const RcLayout *got, IdecReport *report)
{
  if (got->first_track != want->first_track || got->n_tracks != want->n_tracks)
    {
      idec_report_add (report, IDEC_NO_LBA, "layout: tracks %u.. (%u), expected %u.. (%u)",
                       got->first_track, got->n_tracks, want->first_track, want->n_tracks);
      return;
    }
  if (got->leadout_lba != want->leadout_lba)
    idec_report_add (report, IDEC_NO_LBA, "layout: StartOfLeadout %d, expected %d (§5)",
                     got->leadout_lba, want->leadout_lba);
  if (g_strcmp0 (got->mcn, want->mcn) != 0)
    idec_report_add (report, IDEC_NO_LBA, "layout: MCN \"%s\", expected \"%s\"", got->mcn, want->mcn);

  for (guint i = 0; i < want->n_tracks; i++)
    {
      const IdecTrack *w = &want->tracks[i];
      const RcLayoutTrack *g = &got->tracks[i];

      if (g->number != w->number || g->pregap_lba != w->pregap_lba ||
          g->start_lba != w->start_lba || g->end_lba != w->end_lba)
        idec_report_add (report, w->pregap_lba,
                         "layout: track %u pregap/start/end %d/%d/%d, expected track %u %d/%d/%d (§5)",
                         g->number, g->pregap_lba, g->start_lba, g->end_lba,
                         w->number, w->pregap_lba, w->start_lba, w->end_lba);
      if (g->copy != w->copy || g->preemphasis != w->preemphasis || g_strcmp0 (g->isrc, w->isrc) != 0)
        idec_report_add (report, w->pregap_lba,
                         "layout: track %u copy %d pre-emphasis %d ISRC \"%s\", expected %d %d \"%s\"",
                         w->number, g->copy, g->preemphasis, g->isrc, w->copy, w->preemphasis, w->isrc);
      if (g->n_indexes != w->n_indexes)
        {
          idec_report_add (report, w->start_lba, "layout: track %u has %u indexes, expected %u",
                           w->number, g->n_indexes, w->n_indexes);
          continue;
        }
      for (guint k = 0; k < w->n_indexes; k++)
        if (g->start_lba + g->index_offsets[k] != w->index_lba[k])
          idec_report_add (report, w->index_lba[k], "layout: track %u index %u at %d, expected %d",
                           w->number, k + 1, g->start_lba + g->index_offsets[k], w->index_lba[k]);
    }

  if (got->n_audio != want->n_streams)
    {
      idec_report_add (report, IDEC_NO_LBA, "layout: %u audio streams, expected %u",
                       got->n_audio, want->n_streams);
      return;
    }
  for (guint i = 0; i < want->n_streams; i++)
    {
      const IdecStream *w = &want->streams[i];
      const RcLayoutAudio *g = &got->audio[i];
      guint64 frames = (guint64) rc_audio_source_get_frames (g->source);

      if (g->lba != w->lba || g->sectors != w->sectors || frames != w->frames)
        idec_report_add (report, w->lba,
                         "layout: stream %u at %d, %d sectors, %" G_GUINT64_FORMAT " frames; expected %d, %d, %"
                         G_GUINT64_FORMAT " (§5)", i, g->lba, g->sectors, frames, w->lba, w->sectors, w->frames);
    }
}

/* A memfd holding the image the engine writes. */
static int
write_image (RcLayout *layout, RcImageType type)
{
  g_autoptr(GError) error = NULL;
  int fd = memfd_create ("test-image", MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_true (rc_image_write (layout, type, fd, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return fd;
}

typedef struct {
  guint8 *data;
  gsize   size;
} Image;

/* A private (copy-on-write) mapping: a test may forge it freely. */
static Image *
image_map (int fd)
{
  Image *image = g_new0 (Image, 1);
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  image->size = (gsize) st.st_size;
  g_assert_cmpuint (image->size, >, 0);
  image->data = mmap (NULL, image->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  g_assert_true (image->data != MAP_FAILED);
  return image;
}

static void
image_unmap (Image *image)
{
  munmap (image->data, image->size);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_unmap)

static void
assert_no_problems (const IdecReport *report)
{
  g_autofree char *text = NULL;

  if (report->n_problems == 0)
    return;
  text = idec_report_to_string (report, PROBLEMS_SHOWN);
  g_printerr ("%u problems:\n%s", report->n_problems, text);
  g_test_fail_printf ("%u problems, the first: LBA %d: %s", report->n_problems,
                      ((IdecProblem *) g_ptr_array_index (report->problems, 0))->lba,
                      ((IdecProblem *) g_ptr_array_index (report->problems, 0))->message);
}

/* ---- the scenario tests ---- */

typedef struct {
  const char     *path;
  const IdecSpec *spec;
  RcImageType     type;
} Case;

static void
test_scenario (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(IdecLayout) want = idec_layout_new (c->spec);
  g_autoptr(RcLayout) layout = build_layout (c->spec);
  g_autoptr(IdecReport) report = idec_report_new ();
  g_autoptr(Image) image = NULL;
  int fd;

  compare_layout (want, layout, report);
  fd = write_image (layout, c->type);
  image = image_map (fd);
  close (fd);
  g_assert_cmpuint (image->size, ==, (gsize) (22650 + want->leadout_lba + 6750) * rc_image_sector_bytes (c->type));
  idec_check_image (want, c->type, image->data, image->size, report);
  assert_no_problems (report);
}

/* ---- the decoder's own arithmetic ---- */

static void
test_decoder_crc (void)
{
  const guint8 q[10] = { 0x01, 0x00, 0xA0, 0x98, 0x06, 0x12, 0x00, 0x01, 0x00, 0x00 };

  /* §4 known answer, inverted as on disc */
  g_assert_cmpuint (idec_crc16 (q, 10) ^ 0xFFFF, ==, 0xE374);
}

/* §5 by hand for scenario (a), so that the decoder's layout is not only
 * compared with the engine's. */
static void
test_decoder_layout (void)
{
  g_autoptr(IdecLayout) a = idec_layout_new (&scenario_gapless);
  g_autoptr(IdecLayout) b = idec_layout_new (&scenario_gaps);
  g_autoptr(IdecLayout) c = idec_layout_new (&scenario_hidden);

  g_assert_cmpint (a->tracks[0].pregap_lba, ==, -150);
  g_assert_cmpint (a->tracks[0].start_lba, ==, 0);
  g_assert_cmpint (a->tracks[0].end_lba, ==, 530);
  g_assert_cmpint (a->tracks[1].pregap_lba, ==, 530);
  g_assert_cmpint (a->tracks[1].start_lba, ==, 680);
  g_assert_cmpint (a->tracks[1].index_lba[1], ==, 980);
  g_assert_cmpint (a->tracks[1].end_lba, ==, 1180);
  g_assert_cmpint (a->tracks[2].start_lba, ==, 1330);
  g_assert_cmpint (a->leadout_lba, ==, 1830);
  g_assert_cmpint (idec_layout_image_sectors (a), ==, 22650 + 1830 + 6750);

  g_assert_cmpuint (b->tracks[0].number, ==, 5);
  g_assert_cmpint (b->tracks[0].end_lba, ==, 400);
  g_assert_cmpint (b->tracks[1].pregap_lba, ==, 400);
  g_assert_cmpint (b->tracks[1].start_lba, ==, 550);
  g_assert_cmpint (b->leadout_lba, ==, 900);
  g_assert_cmpuint (b->n_streams, ==, 2);
  g_assert_cmpint (b->streams[1].lba, ==, 550);

  g_assert_cmpint (c->tracks[0].pregap_lba, ==, -150);
  g_assert_cmpint (c->tracks[0].start_lba, ==, 50);
  g_assert_cmpint (c->streams[0].lba, ==, -150);
  g_assert_cmpint (c->streams[0].sectors, ==, 200);
  g_assert_cmpint (c->leadout_lba, ==, 451);
}

/* §12 by hand for scenarios (e) and (f). */
static void
test_decoder_layout_joined (void)
{
  g_autoptr(IdecLayout) e = idec_layout_new (&scenario_joined);
  g_autoptr(IdecLayout) f = idec_layout_new (&scenario_joined_hidden);

  g_assert_cmpint (e->tracks[0].start_lba, ==, 0);
  g_assert_cmpint (e->tracks[0].end_lba, ==, 250);
  g_assert_cmpint (e->tracks[1].pregap_lba, ==, 250);
  g_assert_cmpint (e->tracks[1].start_lba, ==, 400);
  g_assert_cmpint (e->tracks[1].index_lba[1], ==, 520);
  g_assert_cmpint (e->tracks[1].end_lba, ==, 601);
  g_assert_cmpint (e->tracks[2].start_lba, ==, 751);
  g_assert_cmpint (e->leadout_lba, ==, 1072);
  g_assert_cmpint (e->streams[0].sectors, ==, 401);
  g_assert_cmpint (e->streams[1].lba, ==, 400);
  g_assert_cmpint (e->streams[1].offset, ==, 300);
  g_assert_cmpint (e->streams[1].sectors, ==, 352);
  g_assert_cmpint (e->streams[2].lba, ==, 751);
  g_assert_cmpint (e->streams[2].offset, ==, 112);
  g_assert_cmpint (e->streams[2].sectors, ==, 321);

  g_assert_cmpint (f->streams[0].lba, ==, -150);
  g_assert_cmpint (f->streams[0].sectors, ==, 200);
  g_assert_cmpint (f->tracks[0].start_lba, ==, 50);
  g_assert_cmpint (f->streams[1].offset, ==, 0);
  g_assert_cmpint (f->tracks[1].start_lba, ==, 450);
  g_assert_cmpint (f->tracks[1].pregap_lba, ==, 300);
  g_assert_cmpint (f->streams[2].offset, ==, 5);
  g_assert_cmpint (f->leadout_lba, ==, 751);
}


/* ---- mutation self-checks ---- */

/* One correct image of scenario (a) per type, written once and mapped
 * privately by each mutation test; and the problems it has unmutated (none,
 * if the engine is right), so that a mutation is seen to add its own. */
typedef struct {
  int         fd;
  IdecReport *baseline;
} Pristine;

static IdecLayout *mutation_layout;
static Pristine pristine[4];

static Image *
pristine_image (RcImageType type)
{
  Pristine *p = &pristine[type];

  if (p->baseline == NULL)
    {
      g_autoptr(RcLayout) layout = build_layout (&scenario_gapless);
      g_autoptr(Image) image = NULL;

      p->fd = write_image (layout, type);
      image = image_map (p->fd);
      p->baseline = idec_report_new ();
      idec_check_image (mutation_layout, type, image->data, image->size, p->baseline);
    }
  return image_map (p->fd);
}

/* Checks a forged image: the decoder must report `what` at `lba`, which the
 * unforged image did not have. */
static void
assert_caught (const Image *image, RcImageType type, gsize size, gint lba, const char *what)
{
  g_autoptr(IdecReport) report = idec_report_new ();

  g_assert_false (idec_report_has (pristine[type].baseline, lba, what));
  idec_check_image (mutation_layout, type, image->data, size, report);
  if (!idec_report_has (report, lba, what))
    {
      g_autofree char *text = idec_report_to_string (report, PROBLEMS_SHOWN);

      g_test_fail_printf ("forged LBA %d not reported as \"%s\"; report:\n%s", lba, what, text);
    }
}

static guint8 *
sector_main (Image *image, RcImageType type, gint lba)
{
  return idec_sector_subchannel (image->data, type, lba) - RC_AUDIO_BYTES;
}

/* Rewrites Q of a sector through `edit`, with a valid CRC unless told not to. */
static void
forge_q (Image *image, RcImageType type, gint lba, void (*edit) (guint8 q[12]), gboolean fix_crc)
{
  guint8 *sub = idec_sector_subchannel (image->data, type, lba);
  guint8 q[12];

  idec_subchannel_get_q (type, sub, q);
  edit (q);
  if (fix_crc)
    idec_q_set_crc (type, q);
  idec_subchannel_set_q (type, sub, q);
}

static void
flip_q5_bit (guint8 q[12])
{
  q[5] ^= 0x01;
}

static void
test_mutation_q_bit (void)
{
  for (RcImageType type = RC_IMAGE_TYPE_PQ_ONLY; type <= RC_IMAGE_TYPE_IS_RAW; type++)
    {
      g_autoptr(Image) image = pristine_image (type);

      forge_q (image, type, 100, flip_q5_bit, FALSE);
      assert_caught (image, type, image->size, 100, "Q CRC");
    }
}

/* The CRC convention of each form (§3 PINNED): the other one is an error. */
static void
invert_crc (guint8 q[12])
{
  q[10] ^= 0xFF;
  q[11] ^= 0xFF;
}

static void
test_mutation_crc_convention (void)
{
  g_autoptr(Image) pq = pristine_image (RC_IMAGE_TYPE_PQ_ONLY);
  g_autoptr(Image) raw = pristine_image (RC_IMAGE_TYPE_IS_RAW);

  forge_q (pq, RC_IMAGE_TYPE_PQ_ONLY, 5, invert_crc, FALSE);
  assert_caught (pq, RC_IMAGE_TYPE_PQ_ONLY, pq->size, 5, "PINNED");
  forge_q (raw, RC_IMAGE_TYPE_IS_RAW, 5, invert_crc, FALSE);
  assert_caught (raw, RC_IMAGE_TYPE_IS_RAW, raw->size, 5, "PINNED");
}

/* Swaps the TOC entries of track 1 (s = 0..2) and track 2 (s = 3..5),
 * keeping each sector's own time and a valid CRC. */
static void
test_mutation_toc_swap (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  g_autoptr(Image) image = pristine_image (type);

  for (gint s = 0; s < 3; s++)
    {
      guint8 *sub_a = idec_sector_subchannel (image->data, type, -22650 + s);
      guint8 *sub_b = idec_sector_subchannel (image->data, type, -22650 + s + 3);
      guint8 qa[12], qb[12], tmp[12];

      idec_subchannel_get_q (type, sub_a, qa);
      idec_subchannel_get_q (type, sub_b, qb);
      memcpy (tmp, qa, 12);
      qa[0] = qb[0];
      qa[2] = qb[2];
      memcpy (qa + 7, qb + 7, 3);
      qb[0] = tmp[0];
      qb[2] = tmp[2];
      memcpy (qb + 7, tmp + 7, 3);
      idec_q_set_crc (type, qa);
      idec_q_set_crc (type, qb);
      idec_subchannel_set_q (type, sub_a, qa);
      idec_subchannel_set_q (type, sub_b, qb);
    }
  assert_caught (image, type, image->size, -22650, "POINT");
  assert_caught (image, type, image->size, -22647, "POINT");
}

/* LBA 300 lies in track 1's index 1, where F(299) = 0. */
static void
test_mutation_p_bit (void)
{
  g_autoptr(Image) pq = pristine_image (RC_IMAGE_TYPE_PQ_ONLY);
  g_autoptr(Image) raw = pristine_image (RC_IMAGE_TYPE_IS_RAW);
  g_autoptr(Image) one = pristine_image (RC_IMAGE_TYPE_IS_RAW);
  guint8 *sub;

  idec_sector_subchannel (pq->data, RC_IMAGE_TYPE_PQ_ONLY, 300)[15] ^= 0x80;
  assert_caught (pq, RC_IMAGE_TYPE_PQ_ONLY, pq->size, 300, "P found 1");

  /* all twelve P bytes: a consistent but wrong P */
  sub = idec_sector_subchannel (raw->data, RC_IMAGE_TYPE_IS_RAW, 300);
  for (guint n = 0; n < 96; n++)
    sub[n] ^= 0x80;
  assert_caught (raw, RC_IMAGE_TYPE_IS_RAW, raw->size, 300, "P found 1");

  /* one P bit: inconsistent */
  idec_sector_subchannel (one->data, RC_IMAGE_TYPE_IS_RAW, 300)[17] ^= 0x80;
  assert_caught (one, RC_IMAGE_TYPE_IS_RAW, one->size, 300, "P bytes inconsistent");
}

/* The off-by-one the other implementations make (§4 PINNED): the last
 * pregap sector of track 2 (LBA 679) showing 00:00:01. */
static void
rel_one (guint8 q[12])
{
  q[5] = 0x01;
}

/* Copy bit of an SCMS sector of track 3 inverted (§4 PINNED). */
static void
flip_copy (guint8 q[12])
{
  q[0] ^= 0x20;
}

static void
mcn_digit (guint8 q[12])
{
  q[3] ^= 0x10;
}

static void
isrc_letter (guint8 q[12])
{
  q[6] ^= 0x01;
}

static void
test_mutation_q_fields (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  g_autoptr(Image) image = pristine_image (type);

  forge_q (image, type, 679, rel_one, TRUE);
  assert_caught (image, type, image->size, 679, "relative time");
  forge_q (image, type, 1500, flip_copy, TRUE);
  assert_caught (image, type, image->size, 1500, "CONTROL");
  /* A = 180: MCN */
  forge_q (image, type, 30, mcn_digit, TRUE);
  assert_caught (image, type, image->size, 30, "MCN decoded");
  /* A = 860: ISRC of track 2 */
  forge_q (image, type, 710, isrc_letter, TRUE);
  assert_caught (image, type, image->size, 710, "ISRC decoded");
}

/* An MCN left on the lead-out's first sector (A = 1980) instead of moved
 * to the next one: the two sectors' Q swapped, each keeping a valid CRC. */
static void
test_mutation_placement (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  g_autoptr(Image) image = pristine_image (type);
  guint8 *sub_a = idec_sector_subchannel (image->data, type, 1830);
  guint8 *sub_b = idec_sector_subchannel (image->data, type, 1831);
  guint8 qa[12], qb[12];

  idec_subchannel_get_q (type, sub_a, qa);
  idec_subchannel_get_q (type, sub_b, qb);
  idec_subchannel_set_q (type, sub_a, qb);
  idec_subchannel_set_q (type, sub_b, qa);
  assert_caught (image, type, image->size, 1830, "ADR found 2");
  assert_caught (image, type, image->size, 1831, "ADR found 1");
}

static void
test_mutation_main (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_COOKED;
  g_autoptr(Image) image = pristine_image (type);

  /* a bit of audio in track 2 */
  sector_main (image, type, 900)[1001] ^= 0x04;
  assert_caught (image, type, image->size, 900, "main channel");
  /* the padding after track 1's last frame (frame 300 of its last sector) */
  sector_main (image, type, 679)[4 * 300 + 1] = 0x01;
  assert_caught (image, type, image->size, 679, "main channel");
  /* the lead-in */
  sector_main (image, type, -1000)[0] = 0x01;
  assert_caught (image, type, image->size, -1000, "main channel");
}

static void
test_mutation_rw (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  g_autoptr(Image) image = pristine_image (type);

  idec_sector_subchannel (image->data, type, 42)[50] |= 0x01;
  assert_caught (image, type, image->size, 42, "R-W");
}

static void
test_mutation_size (void)
{
  RcImageType type = RC_IMAGE_TYPE_PQ_ONLY;
  g_autoptr(Image) image = pristine_image (type);

  assert_caught (image, type, image->size - rc_image_sector_bytes (type), IDEC_NO_LBA, "size");
}

/* A sample forged on either side of a join inside a sector is caught:
 * the decoder knows which stream each sample of that sector belongs to. */
static void
test_mutation_join (void)
{
  RcImageType type = RC_IMAGE_TYPE_IS_RAW;
  g_autoptr(IdecLayout) want = idec_layout_new (&scenario_joined);
  g_autoptr(RcLayout) layout = build_layout (&scenario_joined);
  g_autoptr(IdecReport) clean = idec_report_new ();
  g_autoptr(Image) image = NULL;
  int fd = write_image (layout, type);
  static const guint frames[] = { 299, 300 };

  image = image_map (fd);
  close (fd);
  idec_check_image (want, type, image->data, image->size, clean);
  assert_no_problems (clean);
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(IdecReport) report = idec_report_new ();
      guint8 *sample = sector_main (image, type, 400) + 4 * frames[i];

      sample[0] ^= 0x01;
      idec_check_image (want, type, image->data, image->size, report);
      sample[0] ^= 0x01;
      if (!idec_report_has (report, 400, "main channel"))
        g_test_fail_printf ("a forged sample at frame %u of LBA 400 was not reported", frames[i]);
    }
}

/* ---- main ---- */

static const Case cases[] = {
  { "/image-decode/gapless/pq-only", &scenario_gapless, RC_IMAGE_TYPE_PQ_ONLY },
  { "/image-decode/gapless/is-cooked", &scenario_gapless, RC_IMAGE_TYPE_IS_COOKED },
  { "/image-decode/gapless/is-raw", &scenario_gapless, RC_IMAGE_TYPE_IS_RAW },
  { "/image-decode/gaps-from-5/pq-only", &scenario_gaps, RC_IMAGE_TYPE_PQ_ONLY },
  { "/image-decode/gaps-from-5/is-cooked", &scenario_gaps, RC_IMAGE_TYPE_IS_COOKED },
  { "/image-decode/gaps-from-5/is-raw", &scenario_gaps, RC_IMAGE_TYPE_IS_RAW },
  { "/image-decode/hidden-track/pq-only", &scenario_hidden, RC_IMAGE_TYPE_PQ_ONLY },
  { "/image-decode/hidden-track/is-cooked", &scenario_hidden, RC_IMAGE_TYPE_IS_COOKED },
  { "/image-decode/hidden-track/is-raw", &scenario_hidden, RC_IMAGE_TYPE_IS_RAW },
  { "/image-decode/one-track/pq-only", &scenario_single, RC_IMAGE_TYPE_PQ_ONLY },
  { "/image-decode/one-track/is-cooked", &scenario_single, RC_IMAGE_TYPE_IS_COOKED },
  { "/image-decode/one-track/is-raw", &scenario_single, RC_IMAGE_TYPE_IS_RAW },
  { "/image-decode/joined/pq-only", &scenario_joined, RC_IMAGE_TYPE_PQ_ONLY },
  { "/image-decode/joined/is-cooked", &scenario_joined, RC_IMAGE_TYPE_IS_COOKED },
  { "/image-decode/joined/is-raw", &scenario_joined, RC_IMAGE_TYPE_IS_RAW },
  { "/image-decode/joined-hidden-track/is-raw", &scenario_joined_hidden, RC_IMAGE_TYPE_IS_RAW },
};

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  mutation_layout = idec_layout_new (&scenario_gapless);

  g_test_add_func ("/image-decode/decoder/crc-known-answer", test_decoder_crc);
  g_test_add_func ("/image-decode/decoder/layout", test_decoder_layout);
  g_test_add_func ("/image-decode/decoder/layout-joined", test_decoder_layout_joined);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_scenario);
  g_test_add_func ("/image-decode/mutation/q-bit", test_mutation_q_bit);
  g_test_add_func ("/image-decode/mutation/crc-convention", test_mutation_crc_convention);
  g_test_add_func ("/image-decode/mutation/toc-swap", test_mutation_toc_swap);
  g_test_add_func ("/image-decode/mutation/p-bit", test_mutation_p_bit);
  g_test_add_func ("/image-decode/mutation/q-fields", test_mutation_q_fields);
  g_test_add_func ("/image-decode/mutation/placement", test_mutation_placement);
  g_test_add_func ("/image-decode/mutation/main-channel", test_mutation_main);
  g_test_add_func ("/image-decode/mutation/rw", test_mutation_rw);
  g_test_add_func ("/image-decode/mutation/size", test_mutation_size);
  g_test_add_func ("/image-decode/mutation/join", test_mutation_join);
  rc = g_test_run ();

  for (guint t = 0; t < G_N_ELEMENTS (pristine); t++)
    if (pristine[t].baseline != NULL)
      {
        close (pristine[t].fd);
        idec_report_free (pristine[t].baseline);
      }
  idec_layout_free (mutation_layout);
  return rc;
}
