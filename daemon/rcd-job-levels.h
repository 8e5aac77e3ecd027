/* rcd-job-levels.h: the levels a job measured, in words for its Message. */
#pragma once

#include "rc-layout.h"

G_BEGIN_DECLS

/* "; track 1: peak -0.50 dBFS, true peak -0.31 dBTP, -14.20 LUFS" for
 * each track (and the special pregap) whose levels are known; "" when
 * the layout was not measured. */
char *rcd_job_describe_levels (const RcLayout *layout);

G_END_DECLS
