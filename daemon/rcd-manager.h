/* rcd-manager.h: the org.rawcd.RawCD1.Manager object.
 *
 * It makes sessions (CreateImageCreator) within the limits of the
 * configuration, keeps them until they end (their "ended" signal), counts
 * them per uid, and answers InspectImage through the inspector.  It is
 * idle when no session exists and no call is under way; "idle-changed"
 * (GObject signal, no arguments) says when that may have changed.
 */
#pragma once

#include "rcd-context.h"
#include "rcd-dbus-generated.h"

G_BEGIN_DECLS

#define RCD_TYPE_MANAGER (rcd_manager_get_type ())
G_DECLARE_FINAL_TYPE (RcdManager, rcd_manager, RCD, MANAGER, RcdDBusManagerSkeleton)

/* Not exported yet: the caller exports it at RAWCD_MANAGER_PATH.  context
 * must outlive the manager. */
RcdManager *rcd_manager_new      (const RcdContext *context);

gboolean    rcd_manager_is_idle  (RcdManager *manager);
guint       rcd_manager_get_n_sessions (RcdManager *manager);

/* Ends every session (their jobs complete with reason), cancels the
 * inspections and refuses new calls. */
void        rcd_manager_shutdown (RcdManager *manager, const char *reason);

G_END_DECLS
