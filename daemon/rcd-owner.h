/* rcd-owner.h: who owns a session, and whether the owner is still there.
 *
 * A session (with its tracks and jobs) belongs to the connection that
 * created it, identified by its unique bus name, or for a persistent
 * session to that connection's uid.  The owner decides who may call the
 * session's objects (rcd_owner_check()), and tells the session when its
 * owner is gone (rcd_owner_watch()): the creating connection closed, or a
 * persistent session's owner made no call for the persist timeout.
 */
#pragma once

#include <gio/gio.h>

#include "rcd-callers.h"

G_BEGIN_DECLS

typedef struct {
  gatomicrefcount ref;
  char           *unique_name;  /* the creating connection */
  guint32         uid;
  gboolean        persist;      /* owned by uid rather than unique_name */
  gint64          last_used;    /* monotonic µs of the owner's last method
                                 * call or property write */
  /* The watch (main thread only). */
  guint           name_watch;
  guint           idle_source;
  guint           persist_timeout;
  gboolean      (*busy) (gpointer user_data);
  void          (*gone) (const char *reason, gpointer user_data);
  gpointer        watch_data;
} RcdOwner;

RcdOwner   *rcd_owner_new   (const char *unique_name, guint32 uid, gboolean persist);
RcdOwner   *rcd_owner_ref   (RcdOwner *owner);
void        rcd_owner_unref (RcdOwner *owner);

/* A call from the owner: keeps a persistent session alive. */
void        rcd_owner_touch (RcdOwner *owner);

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

/* Calls gone (once) when the owner is gone: for a session of a connection,
 * when that connection closes; for a persistent one, after
 * persist_timeout seconds (0: never) without a call from the owner while
 * busy() is FALSE (busy: work under way, such as an unfinished job).
 * reason says which, for the session's end. */
void        rcd_owner_watch   (RcdOwner        *owner,
                               GDBusConnection *connection,
                               guint            persist_timeout,
                               gboolean       (*busy) (gpointer user_data),
                               void           (*gone) (const char *reason,
                                                       gpointer    user_data),
                               gpointer         user_data);
void        rcd_owner_unwatch (RcdOwner *owner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdOwner, rcd_owner_unref)

G_END_DECLS
