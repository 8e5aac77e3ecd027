/* image-decoder.c: an independent decoder and checker of full raw images.
 *
 * Every rule checked here names its section of docs/cd-format.md.  None of
 * the engine's helpers are used (rc-crc, rc-msf, rc-subchannel, rc-layout,
 * rc-rw, rc-rw-channel, rc-cdtext): a shared bug would otherwise check itself.
 */
#include "image-decoder.h"
#include "test-util.h"

#include <string.h>

#define LEADIN_LBA     (-22650)  /* 95:00:00, the first sector of the image */
#define LEADIN_OFFSET  450150    /* absolute MSF = LBA + this in the lead-in */
#define PROGRAM_OFFSET 150       /* absolute MSF = LBA + this from LBA -150 */
#define PREGAP         150

/* ---- arithmetic of our own ---- */

static guint8
to_bcd (guint v)
{
  return (guint8) ((v / 10) << 4 | v % 10);
}

/* FALSE for a byte that is not two decimal digits. */
static gboolean
from_bcd (guint8 b, guint *v)
{
  if ((b >> 4) > 9 || (b & 0x0f) > 9)
    return FALSE;
  *v = (b >> 4) * 10 + (b & 0x0f);
  return TRUE;
}

/* Three BCD bytes M S F as a count of sectors; FALSE if not a valid time. */
static gboolean
msf_decode (const guint8 *msf, gint *sectors)
{
  guint m, s, f;

  if (!from_bcd (msf[0], &m) || !from_bcd (msf[1], &s) || !from_bcd (msf[2], &f))
    return FALSE;
  if (s > 59 || f > 74)
    return FALSE;
  *sectors = (gint) ((m * 60 + s) * 75 + f);
  return TRUE;
}

static void
msf_encode (gint sectors, guint8 *msf)
{
  msf[0] = to_bcd ((guint) sectors / 4500);
  msf[1] = to_bcd ((guint) sectors / 75 % 60);
  msf[2] = to_bcd ((guint) sectors % 75);
}

/* "MM:SS:FF" of a count of sectors, for messages. */
static char *
msf_string (gint sectors)
{
  if (sectors < 0)
    return g_strdup_printf ("-%d sectors", -sectors);
  return g_strdup_printf ("%02d:%02d:%02d", sectors / 4500, sectors / 75 % 60, sectors % 75);
}

/* Bitwise, MSB first: polynomial 0x1021, initial 0, no reflection (§4). */
guint16
idec_crc16 (const guint8 *data, gsize len)
{
  guint16 crc = 0;

  for (gsize i = 0; i < len; i++)
    {
      for (gint bit = 7; bit >= 0; bit--)
        {
          gboolean in = (data[i] >> bit) & 1;
          gboolean top = (crc >> 15) & 1;

          crc = (guint16) (crc << 1);
          if (in != top)
            crc ^= 0x1021;
        }
    }
  return crc;
}

static char *
hex_string (const guint8 *data, gsize len)
{
  GString *str = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (str, i == 0 ? "%02X" : " %02X", data[i]);
  return g_string_free (str, FALSE);
}

/* ---- the report ---- */

static void
idec_problem_free (gpointer data)
{
  IdecProblem *problem = data;

  g_free (problem->message);
  g_free (problem);
}

IdecReport *
idec_report_new (void)
{
  IdecReport *report = g_new0 (IdecReport, 1);

  report->problems = g_ptr_array_new_with_free_func (idec_problem_free);
  return report;
}

void
idec_report_free (IdecReport *report)
{
  g_ptr_array_unref (report->problems);
  g_free (report);
}

static void
report_addv (IdecReport *report, gint lba, const char *format, va_list args) G_GNUC_PRINTF (3, 0);

static void
report_addv (IdecReport *report, gint lba, const char *format, va_list args)
{
  IdecProblem *problem;

  /* A systematic bug shows in every sector: keep the count, not 30000
   * messages. */
  report->n_problems++;
  if (report->problems->len >= IDEC_MAX_PROBLEMS)
    return;
  problem = g_new0 (IdecProblem, 1);
  problem->lba = lba;
  problem->message = g_strdup_vprintf (format, args);
  g_ptr_array_add (report->problems, problem);
}

void
idec_report_add (IdecReport *report, gint lba, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  report_addv (report, lba, format, args);
  va_end (args);
}

char *
idec_report_to_string (const IdecReport *report, guint max_lines)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < report->problems->len && i < max_lines; i++)
    {
      const IdecProblem *problem = g_ptr_array_index (report->problems, i);

      if (problem->lba == IDEC_NO_LBA)
        g_string_append_printf (str, "image: %s\n", problem->message);
      else
        g_string_append_printf (str, "LBA %d: %s\n", problem->lba, problem->message);
    }
  if (report->n_problems > max_lines)
    g_string_append_printf (str, "... and %u more problems\n", report->n_problems - max_lines);
  return g_string_free (str, FALSE);
}

gboolean
idec_report_has (const IdecReport *report, gint lba, const char *substring)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      const IdecProblem *problem = g_ptr_array_index (report->problems, i);

      if (problem->lba != lba)
        continue;
      if (substring == NULL || strstr (problem->message, substring) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* ---- the expected layout (§5) ---- */

static gint
sectors_of_frames (guint64 frames)
{
  return (gint) ((frames + RC_FRAMES_PER_SECTOR - 1) / RC_FRAMES_PER_SECTOR);
}

static void
track_init (IdecTrack *track, const IdecTrackSpec *spec, guint number)
{
  track->number = number;
  track->copy = spec->copy;
  track->preemphasis = spec->preemphasis;
  g_strlcpy (track->isrc, spec->isrc != NULL ? spec->isrc : "", sizeof track->isrc);
  track->n_indexes = 1 + spec->n_extra_indexes;
  track->index_lba = g_new0 (gint, track->n_indexes);
}

IdecLayout *
idec_layout_new (const IdecSpec *spec)
{
  IdecLayout *layout = g_new0 (IdecLayout, 1);
  gint next;  /* where the next track's audio (gapless) or pregap (gaps) begins */
  /* §12: gapless streams follow each other sample-exactly unless padded;
   * `joined` counts the frames of the track streams so far. */
  gboolean join = !spec->disable_gapless && !spec->pad_streams;
  guint64 joined = 0;

  g_assert_cmpuint (spec->n_tracks, >=, 1);
  layout->first_track = spec->first_track;
  layout->n_tracks = spec->n_tracks;
  layout->tracks = g_new0 (IdecTrack, spec->n_tracks);
  layout->streams = g_new0 (IdecStream, spec->n_tracks + 1);
  g_strlcpy (layout->mcn, spec->mcn != NULL ? spec->mcn : "", sizeof layout->mcn);

  /* Track 1's index 0 always begins at -150; a special pregap's audio fills
   * it from there, so index 1 moves back by the pregap's extra length. */
  next = 0;
  if (spec->pregap_frames > 0)
    {
      IdecStream *stream = &layout->streams[layout->n_streams++];

      stream->lba = -PREGAP;
      stream->frames = spec->pregap_frames;
      stream->sectors = sectors_of_frames (spec->pregap_frames);
      stream->seed = spec->pregap_seed;
      next = stream->sectors - PREGAP;
    }

  for (guint i = 0; i < spec->n_tracks; i++)
    {
      IdecTrack *track = &layout->tracks[i];
      IdecStream *stream = &layout->streams[layout->n_streams++];

      track_init (track, &spec->tracks[i], spec->first_track + i);
      if (join && i > 0)
        {
          /* index 1 at the sector holding the stream's first sample,
           * floor(F_k / 588) sectors after track 1's */
          track->start_lba = layout->tracks[0].start_lba + (gint) (joined / RC_FRAMES_PER_SECTOR);
          track->pregap_lba = track->start_lba - PREGAP;
        }
      else if (i == 0)
        {
          track->pregap_lba = -PREGAP;
          track->start_lba = next;
        }
      else if (!spec->disable_gapless)
        {
          /* gapless: the previous track's last 150 sectors are this pregap */
          track->start_lba = next;
          track->pregap_lba = next - PREGAP;
        }
      else
        {
          /* 150 silent sectors are inserted as this track's index 0 */
          track->pregap_lba = next;
          track->start_lba = next + PREGAP;
        }
      if (i > 0)
        layout->tracks[i - 1].end_lba = track->pregap_lba;

      track->index_lba[0] = track->start_lba;
      for (guint k = 0; k < spec->tracks[i].n_extra_indexes; k++)
        track->index_lba[k + 1] = track->start_lba + spec->tracks[i].extra_indexes[k];

      stream->lba = track->start_lba;
      stream->offset = join ? (gint) (joined % RC_FRAMES_PER_SECTOR) : 0;
      stream->frames = spec->tracks[i].frames;
      stream->sectors = sectors_of_frames (stream->offset + stream->frames);
      stream->seed = spec->tracks[i].seed;
      next = track->start_lba + stream->sectors;
      joined += stream->frames;
    }
  layout->tracks[spec->n_tracks - 1].end_lba = next;
  layout->leadout_lba = next;
  return layout;
}

void
idec_layout_free (IdecLayout *layout)
{
  for (guint i = 0; i < layout->n_tracks; i++)
    g_free (layout->tracks[i].index_lba);
  g_free (layout->tracks);
  g_free (layout->streams);
  g_free (layout);
}

gint
idec_layout_image_sectors (const IdecLayout *layout)
{
  return -LEADIN_LBA + layout->leadout_lba + RC_LEADOUT_SECTORS;
}

/* ---- where a sector lies ---- */

typedef enum {
  ZONE_LEADIN,
  ZONE_PROGRAM,   /* from -150: track 1's pregap included */
  ZONE_LEADOUT,
} Zone;

typedef struct {
  Zone             zone;
  const IdecTrack *track;     /* NULL in the lead-in; the last track in the lead-out */
  guint            index;     /* 0 in a pregap; 1 in the lead-out */
  gint             relative;  /* the Q relative time in sectors */
} Place;

static const IdecTrack *
track_at (const IdecLayout *layout, gint lba)
{
  for (guint i = 0; i < layout->n_tracks; i++)
    {
      const IdecTrack *track = &layout->tracks[i];

      if (lba >= track->pregap_lba && lba < track->end_lba)
        return track;
    }
  return NULL;
}

static void
locate (const IdecLayout *layout, gint lba, Place *place)
{
  memset (place, 0, sizeof *place);
  if (lba < -PREGAP)
    {
      place->zone = ZONE_LEADIN;
      return;
    }
  if (lba >= layout->leadout_lba)
    {
      place->zone = ZONE_LEADOUT;
      place->track = &layout->tracks[layout->n_tracks - 1];
      place->index = 1;
      place->relative = lba - layout->leadout_lba;
      return;
    }
  place->zone = ZONE_PROGRAM;
  place->track = track_at (layout, lba);
  g_assert (place->track != NULL);
  if (lba < place->track->start_lba)
    {
      /* PINNED §4: counts down, 00:00:00 on the last pregap sector */
      place->index = 0;
      place->relative = place->track->start_lba - 1 - lba;
      return;
    }
  /* PINNED §4: counts up from index 1 through all later indexes */
  place->relative = lba - place->track->start_lba;
  for (guint k = 0; k < place->track->n_indexes; k++)
    if (lba >= place->track->index_lba[k])
      place->index = k + 1;
}

/* The stream whose sectors hold lba; after a sample-exact join two streams
 * share a sector: the later one when `last`, else the earlier one. */
static const IdecStream *
stream_at (const IdecLayout *layout, gint lba, gboolean last)
{
  const IdecStream *found = NULL;

  for (guint i = 0; i < layout->n_streams; i++)
    {
      const IdecStream *stream = &layout->streams[i];

      if (lba >= stream->lba && lba < stream->lba + stream->sectors)
        {
          found = stream;
          if (!last)
            break;
        }
    }
  return found;
}

/* ---- the checker ---- */

typedef struct {
  const IdecLayout *layout;
  RcImageType       type;
  IdecReport       *report;
  gint              n_sectors;
  guint8           *starts;       /* per sector: first sector of a track or an index */
  guint             n_mcn_ok;     /* mode 2 sectors that decoded to the MCN set */
  guint            *n_isrc_ok;    /* per track: mode 3 sectors with its ISRC */
} Checker;

static gboolean
is_start (const Checker *checker, gint lba)
{
  gint i = lba - LEADIN_LBA;

  return i >= 0 && i < checker->n_sectors && checker->starts[i];
}

static void
mark_starts (Checker *checker)
{
  const IdecLayout *layout = checker->layout;

  checker->starts = g_new0 (guint8, checker->n_sectors);
  for (guint i = 0; i < layout->n_tracks; i++)
    {
      const IdecTrack *track = &layout->tracks[i];

      checker->starts[track->pregap_lba - LEADIN_LBA] = 1;
      for (guint k = 0; k < track->n_indexes; k++)
        checker->starts[track->index_lba[k] - LEADIN_LBA] = 1;
    }
  /* the lead-out is track AA's index 01: its first sector is a track start */
  checker->starts[layout->leadout_lba - LEADIN_LBA] = 1;
}

static void problem_q (Checker *checker, gint lba, const guint8 q[12],
                       const char *format, ...) G_GNUC_PRINTF (4, 5);

/* A problem of a Q field, with the whole Q as evidence. */
static void
problem_q (Checker *checker, gint lba, const guint8 q[12], const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;
  g_autofree char *hex = hex_string (q, 12);

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  idec_report_add (checker->report, lba, "%s [Q found %s]", what, hex);
}

/* §4: CONTROL of a track; SCMS alternates only in the program area and
 * lead-out, and is clear in lead-in TOC entries. */
static guint
track_control (const IdecTrack *track, gboolean in_program, gint lba)
{
  guint control = track->preemphasis ? RC_CONTROL_PREEMPHASIS : 0;

  if (track->copy == RC_COPY_PERMITTED)
    control |= RC_CONTROL_COPY_PERMITTED;
  else if (track->copy == RC_COPY_SCMS && in_program && ((lba + PROGRAM_OFFSET) / 4) % 2 == 1)
    control |= RC_CONTROL_COPY_PERMITTED;
  return control;
}

/* §6: the Red Book flag, before the one-sector delay. */
static gboolean
flag_f (const IdecLayout *layout, gint lba)
{
  if (lba < -PREGAP)
    return FALSE;
  if (lba >= layout->leadout_lba)
    {
      gint s = lba - layout->leadout_lba;

      return s >= 150 && (s - 150) % 38 < 19;
    }
  if (lba >= layout->leadout_lba - 150)
    return TRUE;
  for (guint i = 0; i < layout->n_tracks; i++)
    if (lba >= layout->tracks[i].pregap_lba && lba < layout->tracks[i].start_lba)
      return TRUE;
  return FALSE;
}

/* §4 PINNED placement: the chosen sector, or the next one when the chosen
 * one begins a track or an index. */
static gboolean
is_placed (const Checker *checker, gint lba, guint residue)
{
  if ((guint) ((lba + PROGRAM_OFFSET) % 90) == residue && !is_start (checker, lba))
    return TRUE;
  return (guint) ((lba - 1 + PROGRAM_OFFSET) % 90) == residue && is_start (checker, lba - 1);
}

static guint
expected_adr (const Checker *checker, gint lba, const Place *place)
{
  if (place->zone == ZONE_LEADIN)
    return 1;
  /* A = 0 falls on -150, the start of track 1: the MCN moves to -149 */
  if (checker->layout->mcn[0] != '\0' && is_placed (checker, lba, 0))
    return 2;
  /* indexes are at least 10 sectors long, so a sector moved off a start
   * stays in the track of that start */
  if (place->zone == ZONE_PROGRAM && place->track->isrc[0] != '\0' && is_placed (checker, lba, 50))
    return 3;
  return 1;
}

/* ---- subchannel forms (§3) ---- */

static void
deinterleave (const guint8 *sub, guint bit, guint8 out[12])
{
  for (guint i = 0; i < 12; i++)
    {
      guint8 b = 0;

      for (guint j = 0; j < 8; j++)
        b = (guint8) (b << 1 | ((sub[8 * i + j] >> bit) & 1));
      out[i] = b;
    }
}

void
idec_subchannel_get_q (RcImageType type, const guint8 *sub, guint8 q[12])
{
  if (type == RC_IMAGE_TYPE_PQ_ONLY)
    memcpy (q, sub, 12);
  else
    deinterleave (sub, 6, q);
}

void
idec_subchannel_set_q (RcImageType type, guint8 *sub, const guint8 q[12])
{
  if (type == RC_IMAGE_TYPE_PQ_ONLY)
    {
      memcpy (sub, q, 12);
      return;
    }
  for (guint i = 0; i < 12; i++)
    for (guint j = 0; j < 8; j++)
      {
        guint8 bit = (q[i] >> (7 - j)) & 1;

        sub[8 * i + j] = (guint8) ((sub[8 * i + j] & ~0x40) | bit << 6);
      }
}

void
idec_q_set_crc (RcImageType type, guint8 q[12])
{
  guint16 crc = idec_crc16 (q, 10);

  if (type != RC_IMAGE_TYPE_PQ_ONLY)
    crc ^= 0xFFFF;
  q[10] = crc >> 8;
  q[11] = crc & 0xff;
}

guint8 *
idec_sector_subchannel (guint8 *image, RcImageType type, gint lba)
{
  return image + (gsize) (lba - LEADIN_LBA) * rc_image_sector_bytes (type) + RC_AUDIO_BYTES;
}

/* The P bit and the Q bytes of a sector; the form's own rules checked. */
static void
read_subchannel (Checker *checker, gint lba, const guint8 *sub, gboolean *p, guint8 q[12])
{
  idec_subchannel_get_q (checker->type, sub, q);

  if (checker->type == RC_IMAGE_TYPE_PQ_ONLY)
    {
      if (sub[12] != 0 || sub[13] != 0 || sub[14] != 0)
        idec_report_add (checker->report, lba,
                         "PQ_ONLY bytes 12-14 found %02X %02X %02X, expected zero (§3)",
                         sub[12], sub[13], sub[14]);
      if (sub[15] != 0x00 && sub[15] != 0x80)
        idec_report_add (checker->report, lba,
                         "PQ_ONLY byte 15 found %02X, expected 00 or 80 (§3)", sub[15]);
      *p = (sub[15] & 0x80) != 0;
    }
  else
    {
      guint8 pbytes[12];
      guint ones = 0;

      deinterleave (sub, 7, pbytes);
      for (guint i = 0; i < 12; i++)
        {
          if (pbytes[i] != 0x00 && pbytes[i] != 0xFF)
            {
              g_autofree char *hex = hex_string (pbytes, 12);

              idec_report_add (checker->report, lba,
                               "P bytes inconsistent: %s, expected all 00 or all FF (§3, §6)", hex);
              break;
            }
        }
      for (guint n = 0; n < 96; n++)
        ones += (sub[n] >> 7) & 1;
      *p = ones > 48;
      /* R-W (bits 5..0) are checked by check_rw() */
    }
}

static void
check_crc (Checker *checker, gint lba, const guint8 q[12])
{
  guint16 crc = idec_crc16 (q, 10);
  guint16 stored = (guint16) (q[10] << 8 | q[11]);
  gboolean inverted = checker->type != RC_IMAGE_TYPE_PQ_ONLY;
  guint16 expected = inverted ? (guint16) ~crc : crc;
  guint16 other = (guint16) ~expected;

  if (stored == expected)
    return;
  if (stored == other)
    problem_q (checker, lba, q, "Q CRC stored %s, expected %s %04X (§3 PINNED)",
               inverted ? "not inverted" : "inverted",
               inverted ? "inverted" : "not inverted", expected);
  else
    problem_q (checker, lba, q, "Q CRC found %04X, expected %04X (§4)", stored, expected);
}

static void
check_p (Checker *checker, gint lba, gboolean p)
{
  gboolean expected = flag_f (checker->layout, lba - 1);

  if (p != expected)
    idec_report_add (checker->report, lba,
                     "P found %d, expected %d (§6: P(x) = F(x-1), F(%d) = %d)",
                     p, expected, lba - 1, expected);
}

/* ---- Q in the lead-in (§7) ---- */

static void
check_leadin_q (Checker *checker, gint lba, const guint8 q[12])
{
  const IdecLayout *layout = checker->layout;
  const IdecTrack *first = &layout->tracks[0];
  const IdecTrack *last = &layout->tracks[layout->n_tracks - 1];
  guint n = layout->n_tracks;
  guint entry = (guint) ((lba - LEADIN_LBA) / 3) % (n + 3);
  guint8 point;
  guint8 pmsf[3] = { 0, 0, 0 };
  guint control;
  gint abs;

  if (entry < n)
    {
      const IdecTrack *track = &layout->tracks[entry];

      point = to_bcd (track->number);
      msf_encode (track->start_lba + PROGRAM_OFFSET, pmsf);
      control = track_control (track, FALSE, lba);
    }
  else if (entry == n)
    {
      point = 0xA0;
      pmsf[0] = to_bcd (first->number);
      control = track_control (first, FALSE, lba);
    }
  else if (entry == n + 1)
    {
      point = 0xA1;
      pmsf[0] = to_bcd (last->number);
      control = track_control (last, FALSE, lba);
    }
  else
    {
      point = 0xA2;
      msf_encode (layout->leadout_lba + PROGRAM_OFFSET, pmsf);
      control = track_control (last, FALSE, lba);
    }

  if ((q[0] & 0x0f) != 1)
    problem_q (checker, lba, q, "lead-in ADR found %u, expected 1 (§7)", q[0] & 0x0f);
  if ((guint) (q[0] >> 4) != control)
    problem_q (checker, lba, q, "lead-in entry %02X CONTROL found %X, expected %X (§7, §4 SCMS clear in the TOC)",
               point, q[0] >> 4, control);
  if (q[1] != 0)
    problem_q (checker, lba, q, "lead-in TNO found %02X, expected 00 (§7)", q[1]);
  if (q[2] != point)
    problem_q (checker, lba, q, "lead-in POINT found %02X, expected %02X (§7 PINNED: entry (s/3)%%(n+3) = %u)",
               q[2], point, entry);
  if (!msf_decode (q + 3, &abs) || abs - LEADIN_OFFSET != lba)
    {
      g_autofree char *want = msf_string (lba + LEADIN_OFFSET);

      problem_q (checker, lba, q, "lead-in absolute time found %02X:%02X:%02X, expected %s (§7 PINNED: LBA + 450150)",
                 q[3], q[4], q[5], want);
    }
  if (q[6] != 0)
    problem_q (checker, lba, q, "lead-in ZERO byte found %02X, expected 00 (§7)", q[6]);
  if (memcmp (q + 7, pmsf, 3) != 0)
    problem_q (checker, lba, q, "lead-in entry %02X PMSF found %02X %02X %02X, expected %02X %02X %02X (§7)",
               point, q[7], q[8], q[9], pmsf[0], pmsf[1], pmsf[2]);
}

/* ---- Q in the program area and lead-out (§4) ---- */

static void
check_position_q (Checker *checker, gint lba, const guint8 q[12], const Place *place)
{
  guint8 tno = place->zone == ZONE_LEADOUT ? RC_LEADOUT_TRACK : to_bcd (place->track->number);
  guint8 index = to_bcd (place->index);
  gint rel, abs;

  if (q[1] != tno || q[2] != index)
    problem_q (checker, lba, q, "track/index found %02X/%02X, expected %02X/%02X (§4, §5)",
               q[1], q[2], tno, index);
  if (!msf_decode (q + 3, &rel) || rel != place->relative)
    {
      g_autofree char *want = msf_string (place->relative);

      problem_q (checker, lba, q, "relative time found %02X:%02X:%02X, expected %s in index %u (§4 PINNED: %s)",
                 q[3], q[4], q[5], want, place->index,
                 place->index == 0 ? "index 0 counts down to 00:00:00 on its last sector"
                                   : "from 00:00:00 at index 1 (or the lead-out) counting up");
    }
  if (q[6] != 0)
    problem_q (checker, lba, q, "ZERO byte found %02X, expected 00 (§4)", q[6]);
  if (!msf_decode (q + 7, &abs) || abs - PROGRAM_OFFSET != lba)
    {
      g_autofree char *want = msf_string (lba + PROGRAM_OFFSET);

      problem_q (checker, lba, q, "absolute time found %02X:%02X:%02X, expected %s (§1: LBA + 150)",
                 q[7], q[8], q[9], want);
    }
}

static void
check_aframe (Checker *checker, gint lba, const guint8 q[12])
{
  guint8 aframe = to_bcd ((guint) (lba + PROGRAM_OFFSET) % 75);

  if (q[9] != aframe)
    problem_q (checker, lba, q, "AFRAME found %02X, expected %02X (§4)", q[9], aframe);
}

static void
check_mcn_q (Checker *checker, gint lba, const guint8 q[12])
{
  char mcn[14];
  gboolean valid = TRUE;

  for (guint i = 0; i < 13; i++)
    {
      guint8 nibble = (i % 2 == 0) ? q[1 + i / 2] >> 4 : q[1 + i / 2] & 0x0f;

      valid = valid && nibble <= 9;
      mcn[i] = (char) ('0' + nibble);
    }
  mcn[13] = '\0';
  if (!valid || g_strcmp0 (mcn, checker->layout->mcn) != 0)
    problem_q (checker, lba, q, "MCN decoded as \"%s\", expected \"%s\" (§4 mode 2)",
               valid ? mcn : "(not BCD)", checker->layout->mcn);
  else
    checker->n_mcn_ok++;
  if ((q[7] & 0x0f) != 0 || q[8] != 0)
    problem_q (checker, lba, q, "MCN padding found %X/%02X, expected 0/00 (§4 mode 2)", q[7] & 0x0f, q[8]);
  check_aframe (checker, lba, q);
}

/* §4: '0'..'9' are 0..9, 'A'..'Z' are 0x11..0x2A; anything else is '?'. */
static char
isrc_char (guint code)
{
  if (code <= 9)
    return (char) ('0' + code);
  if (code >= 0x11 && code <= 0x2A)
    return (char) ('A' + code - 0x11);
  return '?';
}

static void
check_isrc_q (Checker *checker, gint lba, const guint8 q[12], const Place *place)
{
  guint32 bits = (guint32) q[1] << 24 | (guint32) q[2] << 16 | (guint32) q[3] << 8 | q[4];
  char isrc[13];
  const char *expected = place->track != NULL ? place->track->isrc : "";

  for (guint i = 0; i < 5; i++)
    isrc[i] = isrc_char ((bits >> (26 - 6 * i)) & 0x3f);
  for (guint i = 0; i < 7; i++)
    {
      guint8 nibble = (i % 2 == 0) ? q[5 + i / 2] >> 4 : q[5 + i / 2] & 0x0f;

      isrc[5 + i] = nibble <= 9 ? (char) ('0' + nibble) : '?';
    }
  isrc[12] = '\0';

  if (place->zone == ZONE_LEADOUT)
    problem_q (checker, lba, q, "ISRC \"%s\" in the lead-out (§4: never in the lead-out)", isrc);
  else if (g_strcmp0 (isrc, expected) != 0)
    problem_q (checker, lba, q, "ISRC decoded as \"%s\", expected \"%s\" of track %u (§4 mode 3)",
               isrc, expected, place->track->number);
  else
    checker->n_isrc_ok[place->track - checker->layout->tracks]++;
  if ((bits & 0x3) != 0 || (q[8] & 0x0f) != 0)
    problem_q (checker, lba, q, "ISRC padding bits not zero (§4 mode 3)");
  check_aframe (checker, lba, q);
}

static void
check_program_q (Checker *checker, gint lba, const guint8 q[12], const Place *place)
{
  guint adr = q[0] & 0x0f;
  guint want_adr = expected_adr (checker, lba, place);
  guint control = track_control (place->track, TRUE, lba);

  if ((guint) (q[0] >> 4) != control)
    problem_q (checker, lba, q, "CONTROL found %X, expected %X (§4: %s's own%s)",
               q[0] >> 4, control,
               place->zone == ZONE_LEADOUT ? "the last track" : "the track",
               place->track->copy == RC_COPY_SCMS ? ", SCMS copy bit iff ((LBA+150)/4)%2 == 1" : "");
  if (adr != want_adr)
    problem_q (checker, lba, q, "ADR found %u, expected %u (§4 PINNED placement: MCN at A%%90 == 0, "
               "ISRC at A%%90 == 50, A = %d, next sector at a track or index start)",
               adr, want_adr, lba + PROGRAM_OFFSET);

  /* decode what the sector says it is, so that its content is checked
   * even when it sits where it should not */
  if (adr == 1)
    check_position_q (checker, lba, q, place);
  else if (adr == 2)
    check_mcn_q (checker, lba, q);
  else if (adr == 3)
    check_isrc_q (checker, lba, q, place);
}

/* ---- the main channel (§2, §5) ---- */

static void
check_main (Checker *checker, gint lba, const guint8 *main_bytes, const Place *place)
{
  const IdecStream *stream = place->zone == ZONE_PROGRAM ? stream_at (checker->layout, lba, FALSE) : NULL;
  const IdecStream *later = place->zone == ZONE_PROGRAM ? stream_at (checker->layout, lba, TRUE) : NULL;

  if (stream == NULL)
    {
      for (guint i = 0; i < RC_AUDIO_BYTES; i++)
        {
          if (main_bytes[i] != 0)
            {
              idec_report_add (checker->report, lba,
                               "main channel byte %u found %02X, expected silence (§2: %s)",
                               i, main_bytes[i],
                               place->zone == ZONE_LEADIN ? "lead-in" :
                               place->zone == ZONE_LEADOUT ? "lead-out" : "silent pregap");
              return;
            }
        }
      return;
    }

  for (guint i = 0; i < RC_FRAMES_PER_SECTOR; i++)
    {
      /* The frame of the stream this sample belongs to; before a stream's
       * offset (§12) it is the earlier stream's, or silence. */
      gint64 from_start = (gint64) (lba - stream->lba) * RC_FRAMES_PER_SECTOR + i - stream->offset;
      guint64 frame;

      if (later != stream && lba == later->lba && (gint) i >= later->offset)
        {
          stream = later;
          from_start = (gint64) i - stream->offset;
        }
      frame = from_start < 0 ? G_MAXUINT64 : (guint64) from_start;

      for (guint c = 0; c < 2; c++)
        {
          const guint8 *b = main_bytes + 4 * i + 2 * c;
          guint16 found = (guint16) (b[0] | b[1] << 8);
          guint16 expected = frame < stream->frames ? (guint16) test_pattern_sample (stream->seed, frame, c) : 0;

          if (found != expected)
            {
              idec_report_add (checker->report, lba,
                               "main channel sample %u.%u found %04X, expected %04X "
                               "(stream seed %u at LBA %d, frame %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT "%s)",
                               i, c, found, expected, stream->seed, stream->lba, frame, stream->frames,
                               frame < stream->frames ? "" : ": silence pads the last sector, §5");
              return;
            }
        }
    }
}

/* ---- R-W: arithmetic of our own (§8) ---- */

#define RW_FIRST_GEN_WITH_TEXT 22500  /* image sector of LBA -150 (§7, §8) */
#define RW_PACKS_PER_SECTOR    4
#define RW_PACK_SYMBOLS        24
#define RW_DELAY               8      /* symbol j is delayed by j % 8 packs */

/* GF(64) with x^6 + x + 1: carry-less product reduced bit by bit. */
static guint8
gf64_mul (guint8 a, guint8 b)
{
  guint product = 0;

  for (guint bit = 0; bit < 6; bit++)
    if (b & (1u << bit))
      product ^= (guint) (a & 0x3f) << bit;
  for (guint bit = 10; bit >= 6; bit--)
    if (product & (1u << bit))
      product ^= 0x43u << (bit - 6);
  return (guint8) product;
}

/* Row k of IEC 60908's check matrix holds alpha^(k * (n-1-p)) in column p:
 * by Horner's rule, S_k = (..(c0 * a^k + c1) * a^k + ..) + c_(n-1). */
static gboolean
syndromes_vanish (const guint8 *c, guint n, guint rows)
{
  guint8 root = 1;   /* alpha^k */

  for (guint k = 0; k < rows; k++)
    {
      guint8 s = 0;

      for (guint p = 0; p < n; p++)
        s = gf64_mul (s, root) ^ (c[p] & 0x3f);
      if (s != 0)
        return FALSE;
      root = gf64_mul (root, 0x02);
    }
  return TRUE;
}

gboolean
idec_rw_pack_checks (const guint8 pack[24])
{
  return syndromes_vanish (pack, 4, 2) && syndromes_vanish (pack, 24, 4);
}

void
idec_symbols_to_pack (const guint8 symbols[24], guint8 pack[18])
{
  for (guint g = 0; g < 6; g++)
    {
      guint32 bits = 0;

      for (guint i = 0; i < 4; i++)
        bits = bits << 6 | (symbols[4 * g + i] & 0x3f);
      pack[3 * g] = (guint8) (bits >> 16);
      pack[3 * g + 1] = (guint8) (bits >> 8);
      pack[3 * g + 2] = (guint8) bits;
    }
}

void
idec_subchannel_planar (const guint8 sub[96], guint8 planar[96])
{
  for (guint ch = 0; ch < 8; ch++)
    deinterleave (sub, 7 - ch, planar + 12 * ch);
}

/* The swaps of §8 are their own inverse. */
static guint
swapped (guint j)
{
  switch (j)
    {
    case 1: return 18;
    case 18: return 1;
    case 2: return 5;
    case 5: return 2;
    case 3: return 23;
    case 23: return 3;
    default: return j;
    }
}

/* ---- R-W: the checks ---- */

typedef struct {
  Checker      *checker;
  const IdecRw *rw;
  const guint8 *image;
  gsize         bps;
  gint          first_gen;  /* image sector where the generator is first heard */
  gint64        n_packs;    /* packs present from first_gen to the image's end */
} RwChecker;

static guint8
rw_symbol (const RwChecker *rc, gint sector, guint n)
{
  return rc->image[(gsize) sector * rc->bps + RC_AUDIO_BYTES + n] & 0x3f;
}

/* Output pack m (counted from first_gen), symbol j. */
static guint8
rw_out_symbol (const RwChecker *rc, gint64 m, guint j)
{
  return rw_symbol (rc, rc->first_gen + (gint) (m / RW_PACKS_PER_SECTOR),
                    (guint) (m % RW_PACKS_PER_SECTOR) * RW_PACK_SYMBOLS + j);
}

static void
check_rw_zero (RwChecker *rc, gint sector, const char *why)
{
  for (guint n = 0; n < 96; n++)
    {
      guint8 found = rw_symbol (rc, sector, n);

      if (found != 0)
        {
          idec_report_add (rc->checker->report, LEADIN_LBA + sector,
                           "R-W bits of subchannel byte %u found %02X, expected zero (§3: %s)",
                           n, found, why);
          return;
        }
    }
}

/* §7 PINNED: lead-in sector s carries packs (4s + k) % N, k = 0..3, pack
 * k's symbols in subchannel bytes 24k .. 24k+23. */
static void
check_rw_cdtext (RwChecker *rc, gint sector)
{
  const IdecRw *rw = rc->rw;

  for (guint k = 0; k < RW_PACKS_PER_SECTOR; k++)
    {
      guint want = (guint) ((4 * (gint64) sector + k) % rw->n_cdtext_packs);
      const guint8 *expected = rw->cdtext_packs + (gsize) want * 18;
      guint8 symbols[RW_PACK_SYMBOLS];
      guint8 found[18];
      gint which = -1;

      for (guint j = 0; j < RW_PACK_SYMBOLS; j++)
        symbols[j] = rw_symbol (rc, sector, RW_PACK_SYMBOLS * k + j);
      idec_symbols_to_pack (symbols, found);
      if (memcmp (found, expected, 18) == 0)
        continue;

      for (guint i = 0; i < rw->n_cdtext_packs && which < 0; i++)
        if (memcmp (found, rw->cdtext_packs + (gsize) i * 18, 18) == 0)
          which = (gint) i;
      {
        g_autofree char *hex_found = hex_string (found, 18);
        g_autofree char *hex_want = hex_string (expected, 18);
        g_autofree char *is = which >= 0 ? g_strdup_printf ("pack %d", which)
                                         : g_strdup ("none of the packs");

        idec_report_add (rc->checker->report, LEADIN_LBA + sector,
                         "CD-TEXT in R-W bytes %u-%u decodes to %s (%s), expected pack %u: %s "
                         "(§7 PINNED: sector s = %d carries packs (4s + k) %% N, k = %u, N = %u)",
                         RW_PACK_SYMBOLS * k, RW_PACK_SYMBOLS * k + 23, hex_found, is, want,
                         hex_want, sector, k, rw->n_cdtext_packs);
      }
      return;
    }
}

/* §3: IS_COOKED carries the generator's symbols as given. */
static void
check_rw_cooked (RwChecker *rc, gint sector)
{
  const guint8 *want = rc->rw->generator + (gsize) sector * 96;

  for (guint n = 0; n < 96; n++)
    {
      guint8 found = rw_symbol (rc, sector, n);

      if (found != (want[n] & 0x3f))
        {
          idec_report_add (rc->checker->report, LEADIN_LBA + sector,
                           "R-W symbol %u found %02X, expected %02X: byte %u of generator sector %d "
                           "(§3, §8: IS_COOKED carries the generator as given)",
                           n, found, want[n] & 0x3f, n, sector);
          return;
        }
    }
}

/* §8 IS_RAW: output pack m carries in symbol j the symbol j of coded pack
 * m - j % 8 (zero before the first); coded packs have the swaps 1<->18,
 * 2<->5, 3<->23 applied after their Q and P parity.  So coded pack n is
 * collected from output packs n .. n+7, swapped back, and checked. */
static void
check_rw_raw (RwChecker *rc, gint sector)
{
  Checker *checker = rc->checker;
  gint lba = LEADIN_LBA + sector;
  const guint8 *want = rc->rw->generator + (gsize) sector * 96;
  gboolean zero_reported = FALSE, parity_reported = FALSE, data_reported = FALSE;

  for (guint k = 0; k < RW_PACKS_PER_SECTOR; k++)
    {
      gint64 m = 4 * (gint64) (sector - rc->first_gen) + k;
      guint8 coded[RW_PACK_SYMBOLS], pack[RW_PACK_SYMBOLS];
      gboolean have[RW_PACK_SYMBOLS];
      gboolean complete = TRUE;

      /* symbols that came out of the delay line before any pack went in */
      for (guint j = 0; j < RW_PACK_SYMBOLS && !zero_reported; j++)
        {
          guint8 found = rw_out_symbol (rc, m, j);

          if ((gint64) (j % RW_DELAY) > m && found != 0)
            {
              idec_report_add (checker->report, lba,
                               "R-W symbol %u of pack %u found %02X, expected 00 "
                               "(§8: the delay line is zero before the generator's first pack, "
                               "%u packs before this one)", j, k, found, (guint) m);
              zero_reported = TRUE;
            }
        }

      for (guint j = 0; j < RW_PACK_SYMBOLS; j++)
        {
          gint64 from = m + j % RW_DELAY;

          have[j] = from < rc->n_packs;
          coded[j] = have[j] ? rw_out_symbol (rc, from, j) : 0;
        }
      for (guint j = 0; j < RW_PACK_SYMBOLS; j++)
        {
          pack[j] = coded[swapped (j)];
          complete = complete && have[j];
        }

      /* the last 7 packs of the image lose delayed symbols past its end */
      if (complete && !parity_reported && !idec_rw_pack_checks (pack))
        {
          g_autofree char *hex = hex_string (pack, RW_PACK_SYMBOLS);

          idec_report_add (checker->report, lba,
                           "R-W pack %u decoded to %s fails the %s parity checks (§8: Q over "
                           "symbols 0-3, P over 0-23, GF(64) x^6+x+1, before the swaps)",
                           k, hex, syndromes_vanish (pack, 4, 2) ? "P" : "Q");
          parity_reported = TRUE;
        }

      for (guint p = 0; p < RW_PACK_SYMBOLS && !data_reported; p++)
        {
          guint j = swapped (p);
          guint8 expected = want[RW_PACK_SYMBOLS * k + p] & 0x3f;
          gint64 from = m + j % RW_DELAY;

          if ((p >= 2 && p <= 3) || p >= 20 || !have[j] || pack[p] == expected)
            continue;
          idec_report_add (checker->report, lba,
                           "R-W pack %u symbol %u decoded as %02X, expected %02X of generator "
                           "sector %d (§8 IS_RAW: found as symbol %u of the pack at LBA %d "
                           "R-W bytes %u-%u, after the delay of %u packs and the swaps)",
                           k, p, pack[p], expected, sector, j,
                           LEADIN_LBA + rc->first_gen + (gint) (from / RW_PACKS_PER_SECTOR),
                           (guint) (from % RW_PACKS_PER_SECTOR) * RW_PACK_SYMBOLS,
                           (guint) (from % RW_PACKS_PER_SECTOR) * RW_PACK_SYMBOLS + 23,
                           j % RW_DELAY);
          data_reported = TRUE;
        }
    }
}

static void
check_rw (Checker *checker, const IdecRw *rw, const guint8 *image, gint n_present)
{
  RwChecker rc = {
    .checker = checker,
    .rw = rw,
    .image = image,
    .bps = rc_image_sector_bytes (checker->type),
  };
  gboolean has_text = rw != NULL && rw->cdtext_packs != NULL && rw->n_cdtext_packs > 0;
  gboolean has_gen = rw != NULL && rw->generator != NULL;
  gsize gen_size = (gsize) checker->n_sectors * 96;

  if (has_gen && rw->generator_size != gen_size)
    {
      idec_report_add (checker->report, IDEC_NO_LBA,
                       "the expected R-W generator holds %" G_GSIZE_FORMAT " bytes, not %d sectors * 96 = %"
                       G_GSIZE_FORMAT ": R-W not checked against it", rw->generator_size,
                       checker->n_sectors, gen_size);
      has_gen = FALSE;
    }
  /* §8: the generator is heard from the image's first sector, or from
   * LBA -150 when CD-TEXT occupies the lead-in */
  rc.first_gen = has_text ? RW_FIRST_GEN_WITH_TEXT : 0;
  rc.n_packs = MAX (0, (gint64) (n_present - rc.first_gen) * RW_PACKS_PER_SECTOR);

  for (gint sector = 0; sector < n_present; sector++)
    {
      if (has_text && sector < RW_FIRST_GEN_WITH_TEXT)
        check_rw_cdtext (&rc, sector);
      else if (has_gen && checker->type == RC_IMAGE_TYPE_IS_COOKED)
        check_rw_cooked (&rc, sector);
      else if (has_gen)
        check_rw_raw (&rc, sector);
      else
        check_rw_zero (&rc, sector, has_text ? "CD-TEXT only in the lead-in, no R-W generator"
                                             : "no R-W data");
    }
}

/* ---- the whole image ---- */

static void
check_sector (Checker *checker, gint lba, const guint8 *sector)
{
  const guint8 *sub = sector + RC_AUDIO_BYTES;
  Place place;
  gboolean p;
  guint8 q[12];

  locate (checker->layout, lba, &place);
  check_main (checker, lba, sector, &place);
  read_subchannel (checker, lba, sub, &p, q);
  check_p (checker, lba, p);
  check_crc (checker, lba, q);
  if (place.zone == ZONE_LEADIN)
    check_leadin_q (checker, lba, q);
  else
    check_program_q (checker, lba, q, &place);
}

/* Every MCN and ISRC set must read back at least once from the disc. */
static void
check_codes_found (Checker *checker)
{
  const IdecLayout *layout = checker->layout;

  if (layout->mcn[0] != '\0' && checker->n_mcn_ok == 0)
    idec_report_add (checker->report, IDEC_NO_LBA, "MCN \"%s\" never decoded from any sector", layout->mcn);
  for (guint i = 0; i < layout->n_tracks; i++)
    if (layout->tracks[i].isrc[0] != '\0' && checker->n_isrc_ok[i] == 0)
      idec_report_add (checker->report, IDEC_NO_LBA, "ISRC \"%s\" of track %u never decoded",
                       layout->tracks[i].isrc, layout->tracks[i].number);
}

void
idec_check_image (const IdecLayout *layout,
                  RcImageType       type,
                  const guint8     *image,
                  gsize             size,
                  IdecReport       *report)
{
  idec_check_image_rw (layout, type, NULL, image, size, report);
}

void
idec_check_image_rw (const IdecLayout *layout,
                     RcImageType       type,
                     const IdecRw     *rw,
                     const guint8     *image,
                     gsize             size,
                     IdecReport       *report)
{
  Checker checker = {
    .layout = layout,
    .type = type,
    .report = report,
    .n_sectors = idec_layout_image_sectors (layout),
  };
  gsize bps = rc_image_sector_bytes (type);
  gsize expected_size = (gsize) checker.n_sectors * bps;
  gint n_present = checker.n_sectors;

  if (size != expected_size)
    {
      idec_report_add (report, IDEC_NO_LBA,
                       "size %" G_GSIZE_FORMAT " bytes, expected (22650 + %d + 6750) * %" G_GSIZE_FORMAT
                       " = %" G_GSIZE_FORMAT " (§2)", size, layout->leadout_lba, bps, expected_size);
      n_present = (gint) MIN (size / bps, (gsize) checker.n_sectors);
    }

  mark_starts (&checker);
  checker.n_isrc_ok = g_new0 (guint, layout->n_tracks);
  for (gint i = 0; i < n_present; i++)
    check_sector (&checker, LEADIN_LBA + i, image + (gsize) i * bps);
  if (type != RC_IMAGE_TYPE_PQ_ONLY)
    check_rw (&checker, rw, image, n_present);
  if (n_present == checker.n_sectors)
    check_codes_found (&checker);

  g_free (checker.starts);
  g_free (checker.n_isrc_ok);
}
