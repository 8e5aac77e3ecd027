/* rcd-callers.h: the uids of the connections that call the service.
 *
 * A caller's uid comes from the bus (org.freedesktop.DBus.
 * GetConnectionCredentials), asked asynchronously and cached by unique
 * name: a unique name is never reused on a bus, so a cached answer never
 * goes stale.  Waiters for one sender are answered in the order they
 * asked, with one query in flight per sender.
 *
 * The query is a seam: rcd_callers_new_with_query() lets a unit test
 * answer queries itself (rcd_callers_answer()) with no bus at all.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RcdCallers RcdCallers;

/* error is NULL on success. */
typedef void (*RcdCallerFunc) (guint32       uid,
                               const GError *error,
                               gpointer      user_data);

/* Starts finding out sender's uid; must lead to exactly one
 * rcd_callers_answer() for sender, now or later (unless the callers are
 * closed first, after which answers are ignored). */
typedef void (*RcdCallersQueryFunc) (RcdCallers *callers,
                                     const char *sender,
                                     gpointer    user_data);

/* Asks the bus of connection. */
RcdCallers *rcd_callers_new            (GDBusConnection     *connection);
RcdCallers *rcd_callers_new_with_query (RcdCallersQueryFunc  query,
                                        gpointer             user_data);
/* The waiters of the queries under way are told at once with an error;
 * later calls fail at once. */
void        rcd_callers_close (RcdCallers *callers);
RcdCallers *rcd_callers_ref   (RcdCallers *callers);
void        rcd_callers_unref (RcdCallers *callers);

/* Bus queries whose reply has not arrived yet, in all (main() iterates
 * until 0 before it exits). */
guint       rcd_callers_get_n_pending (void);
/* Unique names remembered (the oldest is forgotten first beyond
 * RCD_CALLERS_CACHE_SIZE). */
#define RCD_CALLERS_CACHE_SIZE 512
guint       rcd_callers_get_n_cached  (RcdCallers *callers);

/* Calls func with the uid of the connection sender: at once if known,
 * otherwise once the query has been answered. */
void        rcd_callers_get_uid (RcdCallers    *callers,
                                 const char    *sender,
                                 RcdCallerFunc  func,
                                 gpointer       user_data);

/* The answer to a query: a uid, or error (not NULL) when the caller could
 * not be identified (not cached: a later call asks again). */
void        rcd_callers_answer  (RcdCallers   *callers,
                                 const char   *sender,
                                 guint32       uid,
                                 const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCallers, rcd_callers_unref)

G_END_DECLS
