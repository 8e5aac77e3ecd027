/* rcd-inspect.h: Manager.InspectImage, images read back on worker threads.
 *
 * The inspector checks the client's descriptors on the main loop (fstat
 * only: what no CD image can be, a file larger than the engine's bound, is
 * refused at once), then runs rc_inspect_fd() on the daemon's inspection
 * workers (config.max_jobs threads, like the image writers) and replies
 * when it is done.  Anyone may call it; the caller's uid may have at most
 * config.max_jobs inspections under way, and at most RCD_MAX_INSPECTIONS
 * wait or run in all (LimitExceeded beyond).  Fair shares: one uid runs
 * at most half the workers (at least one) while others wait; waiting
 * inspections start in the order they came (rcd-inspect-queue.h).  An
 * inspection stops (Cancelled) when its caller's connection leaves the
 * bus, and all of them when the service stops.  Every inspection under way
 * counts as a call under way (the daemon does not exit idle meanwhile).
 */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "rcd-context.h"

G_BEGIN_DECLS

typedef struct _RcdInspector RcdInspector;

/* Told of every inspection that starts (+1) or ends (-1), so that the
 * service does not exit idle meanwhile. */
typedef void (*RcdInspectorCallsFunc) (gint delta, gpointer user_data);

/* Uses context's callers, config and inspect_workers; context must outlive
 * the inspector (rcd_inspector_free()). */
RcdInspector *rcd_inspector_new    (const RcdContext      *context,
                                    RcdInspectorCallsFunc  calls_changed,
                                    gpointer               user_data);
/* Cancels the inspections under way (they fail with Cancelled and reason)
 * and refuses new ones. */
void          rcd_inspector_cancel (RcdInspector *inspector, const char *reason);
/* Detaches from the context and its user and drops their reference: an
 * inspection that still finishes later (its worker was abandoned at exit)
 * touches neither. */
void          rcd_inspector_free   (RcdInspector *inspector);

/* Handles Manager.InspectImage(h image, a{sv} options). */
void          rcd_inspector_handle (RcdInspector          *inspector,
                                    GDBusMethodInvocation *invocation,
                                    GUnixFDList           *fd_list,
                                    GVariant              *image,
                                    GVariant              *options);

G_END_DECLS
