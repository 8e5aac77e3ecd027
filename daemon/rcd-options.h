/* rcd-options.h: checks the a{sv} options of a method call. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;
  const char *type;   /* a GVariant type string, e.g. "b" */
} RcdOptionSpec;

/* Fails with RC_ERROR_INVALID_ARGUMENT for an option not in specs (a
 * NULL-terminated array, or NULL for none) or of the wrong type; the
 * message names the method and the option. */
gboolean rcd_options_check (GVariant            *options,
                            const char          *method,
                            const RcdOptionSpec *specs,
                            GError             **error);

G_END_DECLS
