/* rc-inspect.c: reads an image, tells its format and checks each sector.
 *
 * The file is read in batches of sectors with pread(); each sector is
 * brought to one form (main channel, Q, P bits, R-W symbols) whatever the
 * file's layout, its Q goes to the Q checker (rc-inspect-q.c), and what is
 * specific to the form is checked here: the CRC convention, the P bits,
 * silence in the lead-in and lead-out, CD-TEXT packs in the lead-in's R-W,
 * and the R-W of the program area (whose CD+G coding tells IS_RAW from
 * IS_COOKED).
 */
#include "rc-inspect-private.h"

#include "rc-crc.h"
#include "rc-error.h"
#include "rc-msf.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ~1 MiB per read: cheap in system calls, prompt for Cancel and progress. */
#define BATCH_SECTORS   428
/* Sectors whose Q CRCs decide the sector size. */
#define DETECT_SECTORS  16
/* Sectors searched for a first absolute time. */
#define ORIGIN_SECTORS  150
#define SUB_BYTES       96
#define PQ16_BYTES      16
#define NO_LBA          RC_INSPECT_NO_LBA

/* ---- the problem log ---- */

static const char *const check_names[] = {
  [RC_INSPECT_CHECK_IMAGE] = "image",
  [RC_INSPECT_CHECK_Q_CRC] = "q-crc",
  [RC_INSPECT_CHECK_Q_FORMAT] = "q-format",
  [RC_INSPECT_CHECK_TIME] = "time",
  [RC_INSPECT_CHECK_POSITION] = "position",
  [RC_INSPECT_CHECK_CONTROL] = "control",
  [RC_INSPECT_CHECK_TOC] = "toc",
  [RC_INSPECT_CHECK_TOC_PROGRAM] = "toc-program",
  [RC_INSPECT_CHECK_MCN] = "mcn",
  [RC_INSPECT_CHECK_ISRC] = "isrc",
  [RC_INSPECT_CHECK_P] = "p",
  [RC_INSPECT_CHECK_CDTEXT] = "cdtext",
  [RC_INSPECT_CHECK_MAIN] = "main",
};
G_STATIC_ASSERT (G_N_ELEMENTS (check_names) == RC_INSPECT_N_CHECKS);

const char *
rc_inspect_check_name (RcInspectCheck check)
{
  g_return_val_if_fail ((guint) check < RC_INSPECT_N_CHECKS, NULL);
  return check_names[check];
}

static void
problem_free (gpointer data)
{
  RcInspectProblem *problem = data;

  g_free (problem->message);
  g_free (problem);
}

void
rc_inspect_log_init (RcInspectLog *log, guint max)
{
  memset (log, 0, sizeof *log);
  log->problems = g_ptr_array_new_with_free_func (problem_free);
  log->max = max;
}

void
rc_inspect_log_clear (RcInspectLog *log)
{
  g_clear_pointer (&log->problems, g_ptr_array_unref);
}

void
rc_inspect_log_add (RcInspectLog      *log,
                    gint               lba,
                    RcInspectCheck     check,
                    RcInspectSeverity  severity,
                    const char        *format,
                    ...)
{
  RcInspectProblem *problem;
  va_list args;

  /* A systematic fault shows in every sector: keep the count, not 300000
   * messages. */
  log->n++;
  log->counts[check]++;
  if (log->problems->len >= log->max)
    return;
  problem = g_new0 (RcInspectProblem, 1);
  problem->lba = lba;
  problem->check = check;
  problem->severity = severity;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (log->problems, problem);
}

/* ---- reading ---- */

typedef enum {
  SUB_PQ16,         /* PQ_ONLY: Q, three zero bytes, P flag */
  SUB_INTERLEAVED,  /* 96 bytes, P Q R..W as bits 7..0 of each */
  SUB_PLANAR,       /* 96 bytes, 12 per channel: P, Q, R..W (CloneCD .sub) */
} SubForm;

typedef struct {
  RcInspectInput input;
  SubForm        form;
  guint          image_bytes;  /* per sector in the image file */
  guint          sub_bytes;    /* per sector in the .sub, 0 without one */
  guint64        sectors;
} Format;

typedef struct {
  int     image_fd;
  int     sub_fd;
  Format  fmt;
  guint8 *image_buf;   /* one batch */
  guint8 *sub_buf;
  guint64 bytes_read;
} Reader;

static gboolean
read_at (int fd, guint8 *buf, gsize len, guint64 offset, const char *what, GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = pread (fd, buf + done, len - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "reading the %s at byte %" G_GUINT64_FORMAT
                       " failed: %s", what, offset + done, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "the %s ends at byte %" G_GUINT64_FORMAT
                       ", before the size it had when inspection began", what, offset + done);
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

static gboolean
file_size (int fd, const char *what, guint64 *size, GError **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, RC_ERROR, RC_ERROR_FAILED, "cannot inspect the %s: %s", what, g_strerror (saved));
      return FALSE;
    }
  /* pread needs a seekable file, and the size tells the sector format */
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "the %s is not a regular file: inspection reads it at offsets", what);
      return FALSE;
    }
  *size = (guint64) st.st_size;
  return TRUE;
}

static void
reader_init (Reader *r, int image_fd, int sub_fd, const Format *fmt)
{
  r->image_fd = image_fd;
  r->sub_fd = sub_fd;
  r->fmt = *fmt;
  r->image_buf = g_malloc ((gsize) BATCH_SECTORS * fmt->image_bytes);
  r->sub_buf = fmt->sub_bytes > 0 ? g_malloc ((gsize) BATCH_SECTORS * fmt->sub_bytes) : NULL;
}

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->image_buf, g_free);
  g_clear_pointer (&r->sub_buf, g_free);
}

static gboolean
reader_read (Reader *r, guint64 first, guint n, GError **error)
{
  const char *what = r->fmt.input == RC_INSPECT_INPUT_BIN_SUB ? "BIN" : "image";

  g_assert (n <= BATCH_SECTORS);
  if (!read_at (r->image_fd, r->image_buf, (gsize) n * r->fmt.image_bytes,
                first * r->fmt.image_bytes, what, error))
    return FALSE;
  r->bytes_read += (guint64) n * r->fmt.image_bytes;
  if (r->sub_buf == NULL)
    return TRUE;
  if (!read_at (r->sub_fd, r->sub_buf, (gsize) n * r->fmt.sub_bytes, first * r->fmt.sub_bytes,
                "subchannel file", error))
    return FALSE;
  r->bytes_read += (guint64) n * r->fmt.sub_bytes;
  return TRUE;
}

/* ---- one sector in one form ---- */

typedef struct {
  const guint8 *main;
  guint8        q[12];
  const guint8 *pq16;      /* the 16-byte PQ_ONLY part, or NULL */
  guint8        p[12];     /* P channel of the 96-byte forms */
  guint8        rw[96];    /* R-W symbols, bits 5..0 (96-byte forms) */
} Sector;

static void
from_interleaved (const guint8 sub[SUB_BYTES], Sector *s)
{
  memset (s->q, 0, sizeof s->q);
  memset (s->p, 0, sizeof s->p);
  for (guint n = 0; n < SUB_BYTES; n++)
    {
      guint8 bit = (guint8) (0x80 >> (n % 8));

      if (sub[n] & 0x80)
        s->p[n / 8] |= bit;
      if (sub[n] & 0x40)
        s->q[n / 8] |= bit;
      s->rw[n] = sub[n] & 0x3F;
    }
}

static void
from_planar (const guint8 sub[SUB_BYTES], Sector *s)
{
  memcpy (s->p, sub, 12);
  memcpy (s->q, sub + 12, 12);
  for (guint n = 0; n < SUB_BYTES; n++)
    {
      guint8 sym = 0;

      /* channels R..W are bits 5..0 of a symbol */
      for (guint c = 0; c < 6; c++)
        sym |= (guint8) (((sub[24 + 12 * c + n / 8] >> (7 - n % 8)) & 1) << (5 - c));
      s->rw[n] = sym;
    }
}

static void
sector_get (const Format *fmt, const guint8 *image_sector, const guint8 *sub, Sector *s)
{
  s->main = image_sector;
  s->pq16 = NULL;
  switch (fmt->form)
    {
    case SUB_PQ16:
      s->pq16 = sub;
      memcpy (s->q, sub, 12);
      break;
    case SUB_INTERLEAVED:
      from_interleaved (sub, s);
      break;
    case SUB_PLANAR:
    default:
      from_planar (sub, s);
      break;
    }
}

static void
reader_sector (const Reader *r, guint i, Sector *s)
{
  const guint8 *image_sector = r->image_buf + (gsize) i * r->fmt.image_bytes;
  const guint8 *sub = r->sub_buf != NULL ? r->sub_buf + (gsize) i * r->fmt.sub_bytes
                                         : image_sector + RC_AUDIO_BYTES;

  sector_get (&r->fmt, image_sector, sub, s);
}

static gboolean
all_zero (const guint8 *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != 0)
      return FALSE;
  return TRUE;
}

typedef enum {
  CRC_OK,
  CRC_OTHER_CONVENTION,  /* inverted where it should not be, or the reverse */
  CRC_BAD,
} CrcResult;

/* PINNED §3: PQ_ONLY stores the CRC as computed, the 96-byte forms
 * inverted (as on disc). */
static CrcResult
q_crc (const guint8 q[12], SubForm form)
{
  guint16 crc = rc_crc16 (q, 10);
  guint16 stored = (guint16) (q[10] << 8 | q[11]);
  guint16 inverted = crc ^ 0xFFFF;
  guint16 expected = form == SUB_PQ16 ? crc : inverted;
  guint16 other = form == SUB_PQ16 ? inverted : crc;

  /* a zeroed subchannel has a valid uninverted CRC, but carries nothing */
  if (all_zero (q, 12))
    return CRC_BAD;
  if (stored == expected)
    return CRC_OK;
  if (stored == other)
    return CRC_OTHER_CONVENTION;
  return CRC_BAD;
}

/* A Q that is plainly a Q: its CRC checks (either convention) and it is
 * in mode 1, 2 or 3 (an all-zero Q has a valid uninverted CRC). */
static gboolean
q_plausible (const guint8 q[12], SubForm form)
{
  guint adr = q[0] & 0x0f;

  return adr >= 1 && adr <= 3 && q_crc (q, form) != CRC_BAD;
}

/* ---- telling the format ---- */

typedef struct {
  Format  fmt;
  guint   score;      /* plausible Qs among the first sectors */
  gboolean divides;   /* the file size is whole sectors */
} Candidate;

static gboolean
score_candidate (int image_fd, int sub_fd, Candidate *c, GError **error)
{
  Reader r = { 0 };
  guint n = (guint) MIN (c->fmt.sectors, (guint64) DETECT_SECTORS);
  gboolean ok;

  c->score = 0;
  if (n == 0)
    return TRUE;
  reader_init (&r, image_fd, sub_fd, &c->fmt);
  ok = reader_read (&r, 0, n, error);
  for (guint i = 0; ok && i < n; i++)
    {
      Sector s;

      reader_sector (&r, i, &s);
      if (q_plausible (s.q, c->fmt.form))
        c->score++;
    }
  reader_clear (&r);
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
detect_full (int fd, Format *fmt, RcInspectLog *log, GError **error)
{
  Candidate cands[2] = {
    { .fmt = { RC_INSPECT_INPUT_FULL_IMAGE, SUB_PQ16, RC_AUDIO_BYTES + PQ16_BYTES, 0, 0 } },
    { .fmt = { RC_INSPECT_INPUT_FULL_IMAGE, SUB_INTERLEAVED, RC_AUDIO_BYTES + SUB_BYTES, 0, 0 } },
  };
  const Candidate *best;
  guint64 size;

  if (!file_size (fd, "image", &size, error))
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
detect_bin_sub (int image_fd, int sub_fd, Format *fmt, RcInspectLog *log, GError **error)
{
  Candidate cands[2] = {
    { .fmt = { RC_INSPECT_INPUT_BIN_SUB, SUB_PLANAR, RC_AUDIO_BYTES, SUB_BYTES, 0 } },
    { .fmt = { RC_INSPECT_INPUT_BIN_SUB, SUB_INTERLEAVED, RC_AUDIO_BYTES, SUB_BYTES, 0 } },
  };
  const Candidate *best;
  guint64 bin_size, sub_size, sectors;

  if (!file_size (image_fd, "BIN", &bin_size, error) || !file_size (sub_fd, "subchannel file", &sub_size, error))
    return FALSE;
  sectors = MIN (bin_size / RC_AUDIO_BYTES, sub_size / SUB_BYTES);
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
  if (bin_size % RC_AUDIO_BYTES != 0 || sub_size % SUB_BYTES != 0 ||
      bin_size / RC_AUDIO_BYTES != sub_size / SUB_BYTES)
    rc_inspect_log_add (log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                        "the BIN is %" G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT " sectors of 2352) and its "
                        ".sub %" G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT " sectors of 96): only the first %"
                        G_GUINT64_FORMAT " sectors are inspected", bin_size, bin_size / RC_AUDIO_BYTES,
                        sub_size, sub_size / SUB_BYTES, sectors);
  return TRUE;
}

/* The LBA of the file's first sector, from the first absolute time. */
static gboolean
find_origin (Reader *r, gint *origin, GError **error)
{
  guint n = (guint) MIN (r->fmt.sectors, (guint64) ORIGIN_SECTORS);

  *origin = NO_LBA;
  for (guint done = 0; done < n;)
    {
      guint batch = MIN (n - done, (guint) BATCH_SECTORS);

      if (!reader_read (r, done, batch, error))
        return FALSE;
      for (guint i = 0; i < batch; i++)
        {
          Sector s;
          RcMsf msf;

          reader_sector (r, i, &s);
          if ((s.q[0] & 0x0f) != 1 || q_crc (s.q, r->fmt.form) == CRC_BAD)
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

/* ---- R-W of the program area: IS_RAW or IS_COOKED? ---- */

/* GF(64), primitive polynomial x^6 + x + 1 (§8); tables of our own so
 * that a fault in the encoder's coding is not read back as valid. */
static guint8 gf_exp[2 * 63];
static guint8 gf_log[64];

static gpointer
gf_build (gpointer unused)
{
  guint x = 1;

  for (guint i = 0; i < 63; i++)
    {
      gf_exp[i] = gf_exp[i + 63] = (guint8) x;
      gf_log[x] = (guint8) i;
      x <<= 1;
      if (x & 0x40)
        x ^= 0x43;
    }
  return NULL;
}

static inline guint8
gf_mul (guint8 a, guint8 b)
{
  return a == 0 || b == 0 ? 0 : gf_exp[gf_log[a] + gf_log[b]];
}

/* The symbols as a polynomial, symbol 0 the highest power, evaluated at
 * alpha^k: zero for k < r in a codeword (IEC 60908's check matrices). */
static gboolean
rs_checks (const guint8 *sym, guint n, guint r)
{
  for (guint k = 0; k < r; k++)
    {
      guint8 s = 0;

      for (guint p = 0; p < n; p++)
        s = gf_mul (s, gf_exp[k]) ^ sym[p];
      if (s != 0)
        return FALSE;
    }
  return TRUE;
}

/* A CD+G pack: Q parity over symbols 0-3, P parity over all 24. */
static gboolean
pack_parity_ok (const guint8 pack[24])
{
  return rs_checks (pack, 4, 2) && rs_checks (pack, 24, 4);
}

typedef struct {
  guint8  ring[8][24];   /* the last 8 packs as read */
  guint64 n_read;
  guint64 cooked_total, cooked_ok;  /* non-zero packs as read, and with valid parity */
  guint64 raw_total, raw_ok;        /* the same after undoing IS_RAW's interleave */
} RwEvidence;

static void
swap_symbols (guint8 *pack, guint a, guint b)
{
  guint8 t = pack[a];

  pack[a] = pack[b];
  pack[b] = t;
}

static void
rw_evidence_pack (RwEvidence *e, const guint8 pack[24])
{
  guint8 coded[24];
  guint64 m;

  if (!all_zero (pack, 24))
    {
      e->cooked_total++;
      if (pack_parity_ok (pack))
        e->cooked_ok++;
    }
  memcpy (e->ring[e->n_read % 8], pack, 24);
  e->n_read++;
  if (e->n_read < 8)
    return;
  /* §8: symbol j was delayed by j % 8 packs, after swapping 1<->18,
   * 2<->5, 3<->23 */
  m = e->n_read - 8;
  for (guint j = 0; j < 24; j++)
    coded[j] = e->ring[(m + j % 8) % 8][j];
  swap_symbols (coded, 1, 18);
  swap_symbols (coded, 2, 5);
  swap_symbols (coded, 3, 23);
  if (all_zero (coded, 24))
    return;
  e->raw_total++;
  if (pack_parity_ok (coded))
    e->raw_ok++;
}

/* IS_RAW carries every pack with valid parity once the interleave is
 * undone; IS_COOKED carries the generator's packs as given, which do not
 * survive that (unless they are so regular that both readings hold). */
static RcImageType
rw_verdict (const RwEvidence *e, const char **why)
{
  gboolean raw_holds = e->raw_total > 0 && e->raw_ok * 10 >= e->raw_total * 9;
  gboolean raw_fails = e->raw_ok * 10 < e->raw_total;
  gboolean cooked_holds = e->cooked_ok * 10 >= e->cooked_total * 9;

  if (e->cooked_total == 0)
    {
      *why = "no R-W data outside the lead-in";
      return 0;
    }
  if (raw_holds && !cooked_holds)
    return RC_IMAGE_TYPE_IS_RAW;
  if (raw_fails)
    return RC_IMAGE_TYPE_IS_COOKED;
  *why = "the R-W data reads as CD+G packs both ways";
  return 0;
}

/* ---- the inspector ---- */

typedef struct {
  gint     lba;
  guint    k;       /* pack of the sector */
  gboolean conflict;
} PendingPack;

typedef struct {
  RcInspectLog     log;
  Format           fmt;
  RcInspectQ      *q;
  guint64          n_q_crc_errors;
  gboolean         convention_reported;

  /* a run of lead-in or lead-out sectors that are not silent */
  gint             run_first;
  gint             run_last;
  RcRegion         run_region;
  guint64          n_nonsilent;

  /* CD-TEXT: decided when the lead-in ends, so that R-W generator data in
   * a lead-in without CD-TEXT is not reported as broken packs */
  RcCdTextDecoder *cdtext;
  gboolean         leadin_done;
  gboolean         has_cdtext;
  guint64          n_packs_nonzero;
  guint64          n_packs_valid;
  guint64          n_packs_bad;
  guint64          n_packs_conflict;
  GArray          *pending;    /* PendingPack, at most log.max */

  RwEvidence       rw;
} Inspector;

static void
flush_run (Inspector *ins)
{
  if (ins->run_first == NO_LBA)
    return;
  rc_inspect_log_add (&ins->log, ins->run_first, RC_INSPECT_CHECK_MAIN, RC_INSPECT_SEVERITY_WARNING,
                      "the main channel of the %s is not digital silence from LBA %d to %d (%d sectors, §2)",
                      ins->run_region == RC_REGION_LEADIN ? "lead-in" : "lead-out",
                      ins->run_first, ins->run_last, ins->run_last - ins->run_first + 1);
  ins->run_first = NO_LBA;
}

static void
check_silence (Inspector *ins, gint lba, RcRegion region, const guint8 *main_bytes)
{
  if (region == RC_REGION_PROGRAM || all_zero (main_bytes, RC_AUDIO_BYTES))
    {
      flush_run (ins);
      return;
    }
  ins->n_nonsilent++;
  if (ins->run_first != NO_LBA && region == ins->run_region && lba == ins->run_last + 1)
    {
      ins->run_last = lba;
      return;
    }
  flush_run (ins);
  ins->run_first = ins->run_last = lba;
  ins->run_region = region;
}

static void
check_crc (Inspector *ins, gint lba, const guint8 q[12], CrcResult crc)
{
  guint16 stored, computed;
  gboolean inverted = ins->fmt.form != SUB_PQ16;

  if (crc == CRC_OK)
    return;
  /* q_crc() computed it too, but only a bad Q gets here */
  stored = (guint16) (q[10] << 8 | q[11]);
  computed = rc_crc16 (q, 10);
  ins->n_q_crc_errors++;
  if (crc == CRC_BAD && all_zero (q, 12))
    {
      rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_Q_CRC, RC_INSPECT_SEVERITY_ERROR,
                          "Q is all zero: the sector has no subchannel");
      return;
    }
  if (crc == CRC_BAD)
    {
      rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_Q_CRC, RC_INSPECT_SEVERITY_ERROR,
                          "Q CRC %04X does not match its content (%04X stored %s) "
                          "[Q %02X %02X %02X %02X %02X %02X %02X %02X %02X %02X]",
                          stored, inverted ? computed ^ 0xFFFF : computed,
                          inverted ? "inverted" : "as computed",
                          q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]);
      return;
    }
  /* one producer's convention: say it once, not in every sector */
  if (ins->convention_reported)
    return;
  ins->convention_reported = TRUE;
  rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_Q_CRC, RC_INSPECT_SEVERITY_ERROR,
                      "Q CRC stored %s, this form stores it %s (§3 PINNED); said once for the image",
                      inverted ? "as computed" : "inverted", inverted ? "inverted" : "as computed");
}

static void
check_p (Inspector *ins, gint lba, const Sector *s)
{
  if (s->pq16 != NULL)
    {
      if (s->pq16[12] != 0 || s->pq16[13] != 0 || s->pq16[14] != 0 || (s->pq16[15] & 0x7F) != 0)
        rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_P, RC_INSPECT_SEVERITY_ERROR,
                            "PQ_ONLY bytes 12-15 are %02X %02X %02X %02X, expected 00 00 00 and 00 or 80 (§3)",
                            s->pq16[12], s->pq16[13], s->pq16[14], s->pq16[15]);
      return;
    }
  for (guint i = 0; i < 12; i++)
    {
      if ((s->p[i] == 0x00 || s->p[i] == 0xFF) && s->p[i] == s->p[0])
        continue;
      rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_P, RC_INSPECT_SEVERITY_ERROR,
                          "the P bits of the sector are not all equal: %02X %02X %02X %02X %02X %02X %02X %02X "
                          "%02X %02X %02X %02X (§6: one flag per sector)",
                          s->p[0], s->p[1], s->p[2], s->p[3], s->p[4], s->p[5],
                          s->p[6], s->p[7], s->p[8], s->p[9], s->p[10], s->p[11]);
      return;
    }
}

/* §7: 24 six-bit symbols, each 4 giving 3 bytes, most significant first. */
static void
symbols_to_pack (const guint8 sym[24], guint8 pack[RC_CDTEXT_PACK_SIZE])
{
  for (guint g = 0; g < 6; g++)
    {
      const guint8 *s = sym + 4 * g;
      guint32 bits = (guint32) s[0] << 18 | (guint32) s[1] << 12 | (guint32) s[2] << 6 | s[3];

      pack[3 * g] = (guint8) (bits >> 16);
      pack[3 * g + 1] = (guint8) (bits >> 8);
      pack[3 * g + 2] = (guint8) bits;
    }
}

static void
pending_add (Inspector *ins, gint lba, guint k, gboolean conflict)
{
  PendingPack p = { lba, k, conflict };

  if (ins->pending->len < ins->log.max)
    g_array_append_val (ins->pending, p);
}

static void
leadin_rw (Inspector *ins, gint lba, const guint8 rw[96])
{
  for (guint k = 0; k < 4; k++)
    {
      const guint8 *sym = rw + 24 * k;
      guint8 pack[RC_CDTEXT_PACK_SIZE];

      if (all_zero (sym, 24))
        continue;
      ins->n_packs_nonzero++;
      symbols_to_pack (sym, pack);
      switch (rc_cdtext_decoder_add (ins->cdtext, pack, lba))
        {
        case RC_CDTEXT_PACK_ADDED:
        case RC_CDTEXT_PACK_REPEATED:
          ins->n_packs_valid++;
          break;
        case RC_CDTEXT_PACK_CONFLICT:
          ins->n_packs_valid++;
          ins->n_packs_conflict++;
          pending_add (ins, lba, k, TRUE);
          break;
        case RC_CDTEXT_PACK_BAD_CRC:
          ins->n_packs_bad++;
          pending_add (ins, lba, k, FALSE);
          break;
        case RC_CDTEXT_PACK_NOT_TEXT:
        default:
          break;
        }
    }
}

/* The lead-in carries CD-TEXT when most of its non-zero packs are valid
 * CD-TEXT packs: R-W generator data passes a pack CRC about once in 65536
 * packs. */
static void
leadin_done (Inspector *ins)
{
  if (ins->leadin_done)
    return;
  ins->leadin_done = TRUE;
  ins->has_cdtext = ins->n_packs_valid > 0 && ins->n_packs_valid * 2 >= ins->n_packs_nonzero;
  if (!ins->has_cdtext)
    {
      g_clear_pointer (&ins->cdtext, rc_cdtext_decoder_free);
      ins->n_packs_bad = 0;
      return;
    }
  for (guint i = 0; i < ins->pending->len; i++)
    {
      const PendingPack *p = &g_array_index (ins->pending, PendingPack, i);

      rc_inspect_log_add (&ins->log, p->lba, RC_INSPECT_CHECK_CDTEXT, RC_INSPECT_SEVERITY_ERROR,
                          p->conflict ? "CD-TEXT pack %u of the sector has a valid CRC but differs from an "
                                        "earlier copy with its block and sequence number"
                                      : "CD-TEXT pack %u of the sector has a CRC error (§9)", p->k);
    }
  if (ins->n_packs_bad + ins->n_packs_conflict > ins->pending->len)
    rc_inspect_log_add (&ins->log, NO_LBA, RC_INSPECT_CHECK_CDTEXT, RC_INSPECT_SEVERITY_ERROR,
                        "in all %" G_GUINT64_FORMAT " CD-TEXT packs have a CRC error and %" G_GUINT64_FORMAT
                        " differ from an earlier copy", ins->n_packs_bad, ins->n_packs_conflict);
}

static void
inspect_sector (Inspector *ins, const Sector *s)
{
  CrcResult crc = q_crc (s->q, ins->fmt.form);
  RcRegion region;
  gint lba;

  lba = rc_inspect_q_sector (ins->q, s->q, crc != CRC_BAD, &region);
  check_crc (ins, lba, s->q, crc);
  check_p (ins, lba, s);
  check_silence (ins, lba, region, s->main);
  if (s->pq16 != NULL)
    return;
  /* the sector that begins the program area is still counted in the
   * lead-in until the next one confirms it: go by its time too */
  if (region == RC_REGION_LEADIN && lba < -RC_PREGAP_SECTORS && !ins->leadin_done)
    {
      leadin_rw (ins, lba, s->rw);
      return;
    }
  leadin_done (ins);
  if (lba < -RC_PREGAP_SECTORS)
    return;
  for (guint k = 0; k < 4; k++)
    rw_evidence_pack (&ins->rw, s->rw + 24 * k);
}

static void
inspector_clear (Inspector *ins)
{
  g_clear_pointer (&ins->q, rc_inspect_q_free);
  g_clear_pointer (&ins->cdtext, rc_cdtext_decoder_free);
  g_clear_pointer (&ins->pending, g_array_unref);
  rc_inspect_log_clear (&ins->log);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Inspector, inspector_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_clear)

/* ---- the report ---- */

static void
cdtext_problem (gint lba, const char *message, gpointer user_data)
{
  Inspector *ins = user_data;

  rc_inspect_log_add (&ins->log, lba, RC_INSPECT_CHECK_CDTEXT, RC_INSPECT_SEVERITY_ERROR, "%s", message);
}

/* The size info of each block names the disc's track range. */
static void
check_cdtext_tracks (Inspector *ins, const RcInspectReport *report)
{
  for (guint i = 0; report->cdtext != NULL && i < report->cdtext->n_blocks; i++)
    {
      const RcCdTextBlockInfo *b = &report->cdtext->blocks[i];

      if (report->n_tracks == 0 || b->last_track == 0)
        continue;
      if (b->first_track != report->first_track || b->last_track != report->last_track)
        rc_inspect_log_add (&ins->log, NO_LBA, RC_INSPECT_CHECK_CDTEXT, RC_INSPECT_SEVERITY_ERROR,
                            "CD-TEXT block %u gives tracks %u to %u; the disc has tracks %u to %u",
                            b->block, b->first_track, b->last_track, report->first_track, report->last_track);
    }
}

static char *
describe_format (const Format *fmt, RcImageType type, const char *why)
{
  const char *rw = type == RC_IMAGE_TYPE_IS_RAW ? "IS_RAW" : type == RC_IMAGE_TYPE_IS_COOKED ? "IS_COOKED" : NULL;

  if (fmt->input == RC_INSPECT_INPUT_BIN_SUB)
    return g_strdup_printf ("BIN of 2352-byte sectors with a%s 96-byte .sub%s%s",
                            fmt->form == SUB_PLANAR ? " planar" : "n interleaved",
                            rw != NULL ? ", R-W as in " : "", rw != NULL ? rw : "");
  if (fmt->form == SUB_PQ16)
    return g_strdup ("PQ_ONLY: 2368-byte sectors");
  if (rw != NULL)
    return g_strdup_printf ("%s: 2448-byte sectors", rw);
  return g_strdup_printf ("2448-byte sectors (IS_RAW or IS_COOKED: %s)", why);
}

static gint
problem_compare (gconstpointer a, gconstpointer b)
{
  const RcInspectProblem *pa = *(const RcInspectProblem *const *) a;
  const RcInspectProblem *pb = *(const RcInspectProblem *const *) b;

  return pa->lba < pb->lba ? -1 : pa->lba > pb->lba ? 1 : 0;
}

static RcInspectReport *
build_report (Inspector *ins)
{
  RcInspectReport *report = g_new0 (RcInspectReport, 1);
  const char *why = NULL;

  report->input = ins->fmt.input;
  report->sector_bytes = ins->fmt.image_bytes;
  report->sectors = ins->fmt.sectors;
  report->image_type = ins->fmt.form == SUB_PQ16 ? RC_IMAGE_TYPE_PQ_ONLY : rw_verdict (&ins->rw, &why);
  report->format = describe_format (&ins->fmt, report->image_type, why);
  rc_inspect_q_finish (ins->q, report);
  if (ins->cdtext != NULL)
    report->cdtext = rc_cdtext_decoder_finish (ins->cdtext, cdtext_problem, ins);
  check_cdtext_tracks (ins, report);
  report->n_q_crc_errors = ins->n_q_crc_errors;
  report->n_cdtext_pack_errors = ins->n_packs_bad;
  report->n_nonsilent_sectors = ins->n_nonsilent;

  report->n_problems = ins->log.n;
  memcpy (report->counts, ins->log.counts, sizeof report->counts);
  report->problems = g_steal_pointer (&ins->log.problems);
  /* the checks that need the whole image report last: show them in place */
  g_ptr_array_sort (report->problems, problem_compare);
  return report;
}

static gboolean
detect (int image_fd, int sub_fd, Inspector *ins, gint *origin, GError **error)
{
  g_auto(Reader) r = { 0 };

  if (sub_fd >= 0 ? !detect_bin_sub (image_fd, sub_fd, &ins->fmt, &ins->log, error)
                  : !detect_full (image_fd, &ins->fmt, &ins->log, error))
    return FALSE;
  reader_init (&r, image_fd, sub_fd, &ins->fmt);
  if (!find_origin (&r, origin, error))
    return FALSE;
  if (*origin != NO_LBA)
    return TRUE;
  /* a full image starts at 95:00:00; a BIN as its .sub says */
  *origin = sub_fd >= 0 ? 0 : RC_LEADIN_START_LBA;
  rc_inspect_log_add (&ins->log, NO_LBA, RC_INSPECT_CHECK_IMAGE, RC_INSPECT_SEVERITY_ERROR,
                      "none of the first %u sectors has a readable absolute time: LBA %d is assumed for "
                      "the first sector", ORIGIN_SECTORS, *origin);
  return TRUE;
}

RcInspectReport *
rc_inspect_fd (int                      image_fd,
               int                      sub_fd,
               const RcInspectOptions  *options,
               RcProgressFunc           progress,
               gpointer                 user_data,
               GCancellable            *cancellable,
               GError                 **error)
{
  g_auto(Inspector) ins = { 0 };
  g_auto(Reader) r = { 0 };
  guint max = options != NULL && options->max_problems > 0 ? options->max_problems
                                                            : RC_INSPECT_DEFAULT_MAX_PROBLEMS;
  gint origin;
  static GOnce gf_once = G_ONCE_INIT;

  g_return_val_if_fail (image_fd >= 0, NULL);

  g_once (&gf_once, gf_build, NULL);
  rc_inspect_log_init (&ins.log, max);
  ins.run_first = NO_LBA;
  ins.pending = g_array_new (FALSE, FALSE, sizeof (PendingPack));
  ins.cdtext = rc_cdtext_decoder_new ();
  if (!detect (image_fd, sub_fd, &ins, &origin, error))
    return NULL;
  ins.q = rc_inspect_q_new (&ins.log, origin, ins.fmt.input == RC_INSPECT_INPUT_FULL_IMAGE);
  reader_init (&r, image_fd, sub_fd, &ins.fmt);

  for (guint64 done = 0; done < ins.fmt.sectors;)
    {
      guint n = (guint) MIN ((guint64) BATCH_SECTORS, ins.fmt.sectors - done);

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_CANCELLED,
                       "cancelled after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " sectors",
                       done, ins.fmt.sectors);
          return NULL;
        }
      if (!reader_read (&r, done, n, error))
        return NULL;
      for (guint i = 0; i < n; i++)
        {
          Sector s;

          reader_sector (&r, i, &s);
          inspect_sector (&ins, &s);
        }
      done += n;
      if (progress != NULL)
        progress (done, ins.fmt.sectors, r.bytes_read, user_data);
    }
  flush_run (&ins);
  leadin_done (&ins);
  return build_report (&ins);
}

void
rc_inspect_report_free (RcInspectReport *report)
{
  if (report == NULL)
    return;
  g_free (report->format);
  g_free (report->tracks);
  g_free (report->toc);
  rc_cdtext_decoded_free (report->cdtext);
  if (report->problems != NULL)
    g_ptr_array_unref (report->problems);
  g_free (report);
}

gboolean
rc_inspect_report_has_problem (const RcInspectReport *report, RcInspectCheck check, gint lba)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      const RcInspectProblem *p = g_ptr_array_index (report->problems, i);

      if (p->check == check && p->lba == lba)
        return TRUE;
    }
  return FALSE;
}

const RcInspectTrack *
rc_inspect_report_get_track (const RcInspectReport *report, guint number)
{
  for (guint i = 0; i < report->n_tracks; i++)
    if (report->tracks[i].number == number)
      return &report->tracks[i];
  return NULL;
}
