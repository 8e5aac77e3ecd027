/* rawcd-names.h: the bus name, object paths, interface names and error
 * prefix of the org.rawcd.RawCD1 API, defined once for the daemon, the
 * client and the tests (docs/api.md). */
#pragma once

#define RAWCD_BUS_NAME            "org.rawcd.RawCD1"
#define RAWCD_MANAGER_PATH        "/org/rawcd/RawCD1"
/* ImageCreator objects are RAWCD_SESSION_PATH_PREFIX<n>, their tracks
 * <session path>/Track/<index>, jobs RAWCD_JOB_PATH_PREFIX<n>. */
#define RAWCD_SESSION_PATH_PREFIX "/org/rawcd/RawCD1/ImageCreator/"
#define RAWCD_JOB_PATH_PREFIX     "/org/rawcd/RawCD1/Job/"

#define RAWCD_IFACE_MANAGER       "org.rawcd.RawCD1.Manager"
#define RAWCD_IFACE_CREATOR       "org.rawcd.RawCD1.ImageCreator"
#define RAWCD_IFACE_TRACK         "org.rawcd.RawCD1.Track"
#define RAWCD_IFACE_JOB           "org.rawcd.RawCD1.Job"

/* Every error of the API is RAWCD_ERROR_PREFIX<Name>. */
#define RAWCD_ERROR_PREFIX        "org.rawcd.RawCD1.Error."
