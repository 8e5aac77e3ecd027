/* rcd-object-manager.h: org.freedesktop.DBus.ObjectManager on the
 * manager path, answered per caller.
 *
 * A desktop client lists its sessions, their tracks and jobs with
 * GetManagedObjects and follows them with InterfacesAdded and
 * InterfacesRemoved, as with udisks.  GDBusObjectManagerServer cannot be
 * used: it answers every caller alike and broadcasts its signals, so that
 * any user would see every other user's sessions and their properties
 * (MCN, CD-TEXT).  Here each object is registered with its owner
 * (rcd-owner.h), and a connection sees an object only if it may use it:
 * the owning connection, and for a persistent session any connection of
 * the owner's uid.  Signals go unicast to those connections: the owner,
 * and the connections of the uid that asked GetManagedObjects (its
 * "watchers"), which also join the audience of a persistent session's
 * PropertiesChanged (rcd-audience.h).
 *
 * Objects are known by path; removing a path removes the objects below
 * it too (a session's tracks).  Main thread only.
 */
#pragma once

#include <gio/gio.h>

#include "rcd-audience.h"
#include "rcd-callers.h"
#include "rcd-owner.h"

G_BEGIN_DECLS

typedef struct _RcdObjectManager RcdObjectManager;

/* Connections of one uid that are told about its persistent sessions
 * without having called them; the oldest is forgotten beyond this. */
#define RCD_OBJECT_MANAGER_MAX_WATCHERS_PER_UID 32
/* ... and of all uids together. */
#define RCD_OBJECT_MANAGER_MAX_WATCHERS 1024

/* Registers the interface at RAWCD_MANAGER_PATH on connection. */
RcdObjectManager *rcd_object_manager_new   (GDBusConnection  *connection,
                                            RcdCallers       *callers,
                                            RcdAudience      *audience,
                                            GError          **error);
RcdObjectManager *rcd_object_manager_ref   (RcdObjectManager *manager);
void              rcd_object_manager_unref (RcdObjectManager *manager);
/* Unregisters the interface and stops sending signals (shutdown); the
 * objects may still be added and removed. */
void              rcd_object_manager_close (RcdObjectManager *manager);

/* An exported object of owner: its properties as they are now go out with
 * InterfacesAdded. */
void              rcd_object_manager_add    (RcdObjectManager       *manager,
                                             GDBusInterfaceSkeleton *skeleton,
                                             RcdOwner               *owner);
/* The object at path and every one below it are gone (InterfacesRemoved,
 * deepest first).  Unknown paths are ignored. */
void              rcd_object_manager_remove (RcdObjectManager *manager,
                                             const char       *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdObjectManager, rcd_object_manager_unref)

G_END_DECLS
