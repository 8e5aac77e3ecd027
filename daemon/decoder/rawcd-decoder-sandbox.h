/* rawcd-decoder-sandbox.h: the decoder helper's confinement. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Confines this process for good, before it reads anything of a
 * client's: the OOM killer's first choice (oom_score_adj 1000), no core
 * dumps and no ptrace by our uid, resource limits, no new privileges, and
 * a seccomp allow-list.  FALSE with error set when any
 * step fails (the helper must then not go on). */
gboolean rd_sandbox_enter (GError **error);

G_END_DECLS
