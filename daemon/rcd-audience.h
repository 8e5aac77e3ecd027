/* rcd-audience.h: who hears the signals about a session, its tracks and
 * its jobs.
 *
 * GDBus skeletons send PropertiesChanged, and our objects their own
 * signals (Job.Completed), without a destination: the bus would deliver
 * them to every connection with a matching rule, so that any user could
 * read another's MCN, CD-TEXT, TOC or job messages.  A filter on the
 * connection's outgoing messages sends each such signal instead to the
 * connections entitled to it, one copy each: the owning connection, and
 * for a persistent session the connections of its uid that have been
 * admitted to it (rcd_audience_admit(): the guard does so when it lets a
 * call of one through), and for one object the connections of the uid
 * that read it (rcd_audience_admit_to(): a desktop notifier following a
 * job).  A signal about an object that has no audience
 * (any other path below the service's) is dropped.
 *
 * Objects are registered by path: a session's path covers the tracks
 * below it; a job has its own.  Forgetting an object waits until the
 * messages queued before it are out, so that a last signal (Completed of
 * a job cancelled as its session ends) still reaches its audience.
 */
#pragma once

#include <gio/gio.h>

#include "rcd-owner.h"

G_BEGIN_DECLS

typedef struct _RcdAudience RcdAudience;

/* Installs the filter on connection. */
RcdAudience *rcd_audience_new    (GDBusConnection *connection);
RcdAudience *rcd_audience_ref    (RcdAudience *audience);
void         rcd_audience_unref  (RcdAudience *audience);
/* Removes the filter: call before dropping the last reference (the
 * filter holds one of its own until then). */
void         rcd_audience_close  (RcdAudience *audience);

void         rcd_audience_add    (RcdAudience *audience,
                                  const char  *path,
                                  RcdOwner    *owner);
void         rcd_audience_remove (RcdAudience *audience,
                                  const char  *path);

/* sender, a connection of owner's uid, may hear about owner's objects
 * from now on (for a persistent session; the owning connection always
 * does).  At most RCD_AUDIENCE_MAX_ADMITTED per owner: the oldest goes. */
#define RCD_AUDIENCE_MAX_ADMITTED 32
void         rcd_audience_admit  (RcdAudience *audience,
                                  RcdOwner    *owner,
                                  const char  *sender);

/* sender, a connection of the owner's uid that may read the object at
 * path (a job, rcd_guard_let_uid_read()), hears about that object only
 * from now on.  At most RCD_AUDIENCE_MAX_ADMITTED per object. */
void         rcd_audience_admit_to (RcdAudience *audience,
                                    const char  *path,
                                    const char  *sender);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdAudience, rcd_audience_unref)

G_END_DECLS
