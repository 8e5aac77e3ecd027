/* rcd-owner.h: who owns a session, and who is calling.
 *
 * A session (with its tracks and jobs) belongs to the connection that
 * created it, identified by its unique bus name, or for a persistent session
 * to that connection's uid.  Callers' uids come from the bus
 * (org.freedesktop.DBus.GetConnectionCredentials), asked asynchronously and
 * cached by unique name: a unique name is never reused on a bus, so a cached
 * answer never goes stale.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* --- callers' credentials ------------------------------------------------ */

typedef struct _RcdCallers RcdCallers;

/* error is NULL on success. */
typedef void (*RcdCallerFunc) (guint32       uid,
                               const GError *error,
                               gpointer      user_data);

RcdCallers *rcd_callers_new   (GDBusConnection *connection);
/* Cancels the lookups under way: their waiters are called at once with an
 * error; the lookups themselves finish on a later main loop iteration. */
void        rcd_callers_close (RcdCallers *callers);
RcdCallers *rcd_callers_ref   (RcdCallers *callers);
void        rcd_callers_unref (RcdCallers *callers);
/* Lookups whose bus reply has not arrived yet (main() iterates until 0). */
guint       rcd_callers_get_n_pending (void);

/* Calls func with the uid of the connection sender: at once if known,
 * otherwise once the bus has answered.  Calls for one sender are answered
 * in the order they were made. */
void        rcd_callers_get_uid (RcdCallers    *callers,
                                 const char    *sender,
                                 RcdCallerFunc  func,
                                 gpointer       user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCallers, rcd_callers_unref)

/* --- owners --------------------------------------------------------------- */

typedef struct {
  gatomicrefcount ref;
  char           *unique_name;  /* the creating connection */
  guint32         uid;
  gboolean        persist;      /* owned by uid rather than unique_name */
  gint64          last_used;    /* monotonic µs of the owner's last method
                                 * call or property write */
} RcdOwner;

RcdOwner   *rcd_owner_new   (const char *unique_name, guint32 uid, gboolean persist);
RcdOwner   *rcd_owner_ref   (RcdOwner *owner);
void        rcd_owner_unref (RcdOwner *owner);

/* allowed is FALSE with error NULL for a caller that is not the owner;
 * error is set when the caller could not be identified. */
typedef void (*RcdOwnerCheckFunc) (gboolean      allowed,
                                   const GError *error,
                                   gpointer      user_data);

/* Decides whether sender may use the owner's objects; at once when that is
 * possible (the creating connection, or a sender whose uid is cached). */
void        rcd_owner_check (RcdOwner          *owner,
                             RcdCallers        *callers,
                             const char        *sender,
                             RcdOwnerCheckFunc  func,
                             gpointer           user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdOwner, rcd_owner_unref)

G_END_DECLS
