/* rcd-manager.h: the org.rawcd.RawCD1.Manager object. */
#pragma once

#include "rcd-daemon.h"
#include "rcd-dbus-generated.h"

G_BEGIN_DECLS

/* The skeleton with its properties set and its methods handled; the caller
 * exports it at RAWCD_MANAGER_PATH. */
RcdDBusManager *rcd_manager_object_new (RcdDaemon *daemon);

G_END_DECLS
