/* rcd-inspect-report.h: an inspection report as the a{sv} that
 * Manager.InspectImage returns (keys documented in the interface XML). */
#pragma once

#include "rc-inspect.h"

GVariant *rcd_inspect_report_to_variant (const RcInspectReport *report);
