/* td-outputs.h: helpers shared by the tests of what the daemon writes and
 * reads back (CD-TEXT, disc ids, R-W, the side formats, GetSideFiles,
 * InspectImage).  Each asserts what it says; expected values stay in the
 * tests, computed there independently of the engine.
 */
#pragma once
#include "td.h"

#define TD_FULL_SECTOR  2448
#define TD_AUDIO_SECTOR 2352
#define TD_SUB_SECTOR   96

#define TD_MCN  "0012345678905"
#define TD_ISRC "USABC0612345"

/* ---- properties ----------------------------------------------------------- */

/* Set fails with org.rawcd.RawCD1.Error.<name>, its message mentioning
 * in_message (unless NULL).  value is consumed (floating or not). */
void        td_set_fails (GDBusConnection *c, const char *path, const char *iface,
                          const char *prop, GVariant *value, const char *name,
                          const char *in_message);
/* The property's value, asserted to be of the type. */
GVariant   *td_get_value (GDBusConnection *c, const char *path, const char *iface,
                          const char *prop, const char *type);
/* An aa{ss} of one or two blocks of NULL-terminated key/value pairs
 * (block1 may be NULL); floating. */
GVariant   *td_cdtext_value (const char *const *block0, const char *const *block1);

/* ---- images ----------------------------------------------------------------- */

/* CreateResultImage(out, options) with option format (NULL: none) and, when
 * sub >= 0, option subchannel; the job path or NULL with error set. */
char       *td_create_image (GDBusConnection *c, const char *creator, const char *format,
                             int out, int sub, GError **error);
/* Writes an image and waits for its job to succeed; returns TotalSectors. */
guint64     td_write_image (GDBusConnection *c, const char *creator, const char *format,
                            int out, int sub);
/* CreateResultImage is refused with <name>, its message mentioning
 * in_message (unless NULL). */
void        td_create_image_fails (GDBusConnection *c, const char *creator, const char *format,
                                   int out, int sub, const char *name, const char *in_message);

/* ---- descriptors -------------------------------------------------------------- */

GMappedFile *td_map_fd (int fd);
/* A memfd holding len bytes of data, its offset at 0. */
int         td_memfd_with (const char *name, const void *data, gsize len);
/* A memfd with the contents of fd. */
int         td_copy_fd (int fd);

/* ---- R-W ------------------------------------------------------------------------ */

/* A generator stream for `sectors` image sectors (symbols with the top two
 * bits clear). */
int         td_rw_memfd (guint sectors);
/* AddSubcodeRWGenerator(fd, {}) */
GVariant   *td_add_rw (GDBusConnection *c, const char *creator, int fd, GError **error);

/* ---- the side disc ---------------------------------------------------------------- */

/* Two tracks (a.wav 750 + e5.wav 375 sectors), the MCN, track 1's ISRC and
 * an index at 300, track 2 copy-permitted with pre-emphasis; the lead-out
 * at LBA TD_SIDE_LEADOUT. */
extern const TdDiscSpec td_side_spec;
#define TD_SIDE_LEADOUT 1125
/* A session holding td_side_spec and disc CD-TEXT (title "Café Album",
 * performer "Ensemble"). */
char       *td_side_disc (GDBusConnection *c);

/* ---- InspectImage ------------------------------------------------------------------- */

/* Manager.InspectImage(image, {subchannel: sub when >= 0} + extra_options
 * (consumed, may be NULL)); the report or NULL with error set. */
GVariant   *td_inspect (GDBusConnection *c, int image, int sub, GVariant *extra_options,
                        GError **error);
/* A report entry, asserted present and of the type. */
GVariant   *td_report_value (GVariant *report, const char *key, const char *type);
guint32     td_report_u (GVariant *dict, const char *key);
gint32      td_report_i (GVariant *dict, const char *key);
guint64     td_report_t (GVariant *dict, const char *key);
gboolean    td_report_b (GVariant *dict, const char *key);
/* Valid while dict is. */
const char *td_report_s (GVariant *dict, const char *key);
gboolean    td_report_clean (GVariant *report);
/* The report's problems as test messages. */
void        td_print_problems (GVariant *report);
