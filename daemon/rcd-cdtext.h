/* rcd-cdtext.h: CD-TEXT of the disc or of a track as D-Bus values.
 *
 * CdText properties are aa{ss}: one dictionary per CD-TEXT block
 * (language), in block order; keys are field names ("title", "performer",
 * ...).  CdTextLanguages is ay: the language code of each block.
 */
#pragma once

#include "rc-disc.h"

G_BEGIN_DECLS

/* track_index 0 is the disc. */
GVariant *rcd_cdtext_get       (RcDisc *disc, guint track_index);
/* Replaces every field of the disc or track in every block; all or nothing. */
gboolean  rcd_cdtext_set       (RcDisc *disc, guint track_index, GVariant *value, GError **error);

GVariant *rcd_cdtext_get_languages (RcDisc *disc);
gboolean  rcd_cdtext_set_languages (RcDisc *disc, GVariant *value, GError **error);

G_END_DECLS
