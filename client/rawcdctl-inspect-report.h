/* rawcdctl-inspect-report.h: printing what Manager.InspectImage reported. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* No problem was found (the report's "clean", or no problem counted). */
gboolean rcd_ctl_inspect_is_clean   (GVariant *report);
/* The report for a reader; image and sub (or NULL) are the files named. */
void     rcd_ctl_inspect_print_text (GVariant *report, const char *image, const char *sub);
/* The report as one JSON object on one line. */
void     rcd_ctl_inspect_print_json (GVariant *report, const char *image, const char *sub);

G_END_DECLS
