/* rc-inspect-q-private.h: what the pieces of the Q checker share.
 *
 * rc-inspect-q.c places each sector in time and follows changes of place;
 * rc-inspect-tracks.c follows tracks, indexes and the lead-out;
 * rc-inspect-toc.c collects and checks the lead-in TOC; rc-inspect-codes.c
 * the MCN and ISRCs; rc-inspect-control.c the CONTROL bits.  All of them
 * work on one RcInspectQ and add problems to its log.
 */
#pragma once

#include "rc-inspect-q.h"
#include "rc-inspect-tally.h"

G_BEGIN_DECLS

#define NO_LBA          RC_INSPECT_NO_LBA
#define PROGRAM_LBA     (-RC_PREGAP_SECTORS)  /* -150: the first sector after the lead-in */
/* Red Book: the MCN and an ISRC, when present, at least once in every 100
 * sectors (rawcd places them every 90: §4). */
#define CODE_SPACING    100
/* MCN and ISRC sectors kept while a change of place awaits confirmation */
#define MAX_HELD        8
/* Tracks kept: a disc has at most 99, a damaged image may say anything */
#define MAX_TRACKS      (2 * RC_MAX_TRACK_NUMBER)

#define CONTROL_COPY 0x2

typedef struct {
  gboolean have;
  guint8   control;         /* the first CONTROL seen, copy bit aside */
  guint    n_copy_set;
  guint    n_copy_clear;
  guint    n_not_scms;      /* sectors whose copy bit breaks the SCMS pattern */
  gint     first_not_scms;
  gboolean reported;
} ControlState;

typedef struct {
  RcInspectTrack info;
  gint           first_lba;      /* its first sector: pregap or index 1 */
  ControlState   control;
  RcTally        isrc;
  gint           last_isrc_lba;  /* NO_LBA before the first */
  gboolean       closed;
} TrackState;

struct _RcInspectQ {
  RcInspectLog *log;
  gboolean      full_image;
  gint          first_lba;
  gint          expect;          /* the LBA the next sector should have */
  gint          last_lba;        /* of the last sector fed */
  RcRegion      region;
  gint          last_pos_lba;    /* last sector placed by a mode-1 Q, NO_LBA before */

  /* lead-in */
  gboolean      has_leadin;
  gint          leadin_first_lba;
  RcTally        *points[256];     /* per POINT, allocated when seen */
  gboolean      point_reported[256];

  /* program area */
  gint          program_lba;     /* first sector after the lead-in, NO_LBA before */
  GArray       *tracks;          /* TrackState, at most MAX_TRACKS */
  gboolean      tracks_full;
  guint         index;           /* of the current track */
  gint          pregap_end;      /* last sector of the current pregap, as its countdown says */
  gint          rel_origin;      /* where the current track's (or lead-out's) relative time is 0 */

  /* lead-out */
  gint          leadout_lba;     /* NO_LBA before it */
  ControlState  leadout_control;

  /* MCN */
  RcTally         mcn;
  gint          last_mcn_lba;    /* NO_LBA before the first */
  /* PINNED §4: no MCN or ISRC on the first sector of a track or index.
   * The first such sector read since the last mode-1 Q, and its value
   * when the change of place being applied was read. */
  gint          code_since_pos;
  gint          transition_code_lba;

  /* A mode-1 Q that puts its sector somewhere else than the sectors before
   * it (a new track, index or region) takes effect only when the next
   * mode-1 Q agrees: a lone sector out of place is one problem at its own
   * LBA, not a track that begins and ends there.  The MCN and ISRC sectors
   * read meanwhile wait with it, as they belong to wherever it leads. */
  gboolean      pending;
  gint          pending_lba;
  gint          pending_code_lba;
  guint8        pending_q[12];
  guint         n_held;
  gint          held_lba[MAX_HELD];
  guint8        held_q[MAX_HELD][12];
};

/* rc-inspect-q.c */
TrackState   *rc_inspect_q_current_track     (RcInspectQ *self);
void          rc_inspect_q_enter_program     (RcInspectQ *self, gint lba);

/* rc-inspect-control.c: CONTROL of a track (or of the lead-out) */
RcCopySetting rc_inspect_control_copy        (const ControlState *cs);
/* CONTROL as a lead-in TOC entry carries it: the copy bit clear under SCMS. */
guint8        rc_inspect_control_toc_form    (const ControlState *cs);
void          rc_inspect_control_sector_here (RcInspectQ *self, gint lba, guint8 control);
/* SCMS is told from the copy bit changing; it must change as §4 pins it. */
void          rc_inspect_control_finish      (RcInspectQ *self, const ControlState *cs, const char *what);

/* rc-inspect-tracks.c: the program area (§4, §5) and the lead-out */
void          rc_inspect_tracks_program_sector (RcInspectQ *self, gint lba, const guint8 q[12]);
void          rc_inspect_tracks_leadout_sector (RcInspectQ *self, gint lba, const guint8 q[12]);
void          rc_inspect_tracks_close          (RcInspectQ *self, TrackState *t, gint end_lba);
void          rc_inspect_tracks_finish         (RcInspectQ *self, RcInspectReport *report);
void          rc_inspect_tracks_finish_leadout (RcInspectQ *self, RcInspectReport *report);

/* rc-inspect-toc.c: the lead-in (§7) */
void          rc_inspect_toc_entry           (RcInspectQ *self, gint lba, const guint8 q[12]);
void          rc_inspect_toc_finish          (RcInspectQ *self, RcInspectReport *report);

/* rc-inspect-codes.c: mode 2 (MCN) and mode 3 (ISRC) */
void          rc_inspect_codes_mcn_sector    (RcInspectQ *self, gint lba, const guint8 q[12]);
void          rc_inspect_codes_isrc_sector   (RcInspectQ *self, gint lba, const guint8 q[12]);
void          rc_inspect_codes_finish_isrc   (RcInspectQ *self, TrackState *t);
void          rc_inspect_codes_finish_mcn    (RcInspectQ *self, RcInspectReport *report);

G_END_DECLS
