/* rc-layout-private.h: building a layout (for rc-disc.c only). */
#pragma once

#include "rc-layout.h"

/* A layout with room for n_tracks tracks and n_audio streams, zeroed. */
RcLayout *rc_layout_new (guint n_tracks, guint n_audio);
