/* rcd-guard.h: access control, call order and property writes for the
 * objects of a session (ImageCreator, Track, Job).
 *
 * A guarded class overrides GDBusInterfaceSkeleton's get_vtable with
 * rcd_guard_class_init().  Its vtable has no get_property/set_property, so
 * GDBus hands org.freedesktop.DBus.Properties Get, Set and GetAll to
 * method_call as well (GDBusInterfaceVTable docs): every call to the object,
 * methods and properties alike, passes one place that
 *
 *  1. lets only the owner through (rcd-owner.h): everyone else gets
 *     org.rawcd.RawCD1.Error.AccessDenied; for a persistent session the
 *     caller's uid is looked up asynchronously, never blocking the main loop,
 *     and a connection let through joins the audience of the session's
 *     signals (rcd-audience.h).  An object may also let the owner's uid read
 *     its properties (rcd_guard_let_uid_read(): a job);
 *  2. queues the call behind the session's unfinished calls (rcd-call-queue.h),
 *     so that calls are applied in the order they were sent even when one
 *     of them (AddTrack reading a header) finishes later;
 *  3. answers Get and GetAll from the generated skeleton, and Set through
 *     the object's own setter, which validates the value through the engine
 *     and returns its error to the caller.
 *
 * Method calls then reach the generated skeleton's dispatch (the handle-*
 * signals) as usual.
 */
#pragma once

#include <gio/gio.h>

#include "rcd-call-queue.h"
#include "rcd-context.h"
#include "rcd-owner.h"

G_BEGIN_DECLS

/* A call queue for a session's guarded objects (rcd-call-queue.h): its
 * items are the guard's calls. */
RcdCallQueue *rcd_guard_call_queue_new (const RcdCallQueueLimits *limits);

/* --- guarded skeletons ---------------------------------------------------- */

/* Validates and applies a property write; the value has the property's type
 * (GDBus checked it).  The object refreshes its properties itself. */
typedef gboolean (*RcdGuardSetFunc) (GDBusInterfaceSkeleton  *skeleton,
                                     const char              *property_name,
                                     GVariant                *value,
                                     GError                 **error);

/* In the class_init of a direct subclass of a generated skeleton. */
void rcd_guard_class_init (GDBusInterfaceSkeletonClass *klass);

/* Before exporting the object.  queue: NULL to dispatch calls at once;
 * immediate: NULL-terminated names of methods that skip the queue. */
void rcd_guard_attach (GDBusInterfaceSkeleton *skeleton,
                       RcdOwner               *owner,
                       const RcdContext       *context,
                       RcdCallQueue           *queue,
                       const char *const      *immediate,
                       RcdGuardSetFunc         set_property);

/* Other connections of the owner's uid may read the object's properties
 * (Get, GetAll), and then hear its signals (rcd_audience_admit_to()); its
 * methods and Set stay the owner's.  For a job: a desktop notifier of the
 * same user follows it but cannot cancel it.  After rcd_guard_attach(). */
void rcd_guard_let_uid_read (GDBusInterfaceSkeleton *skeleton);

G_END_DECLS
