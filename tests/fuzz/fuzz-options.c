/* fuzz-options.c: the options dictionaries (a{sv}) of the daemon's methods,
 * as rcd_options_check() takes them from a client's message.
 *
 * Input: the serialised a{sv}, untrusted (g_variant_new_from_data with
 * trusted = FALSE, as GDBus hands a message's body over).  Each method's
 * table of options is tried, then the values are looked up the way the
 * methods read them once the check passed.
 */
#include "fuzz.h"
#include "rc-error.h"
#include "rcd-options.h"

#include <string.h>

/* The methods' tables (daemon/rcd-manager.c, rcd-session.c, rcd-inspect.c):
 * their names and types, so that both the unknown-option and the
 * wrong-type paths are taken. */
static const RcdOptionSpec create_options[] = { { "persist", "b" }, { NULL } };
static const RcdOptionSpec audio_options[] = { { "format", "s" }, { NULL } };
static const RcdOptionSpec image_options[] = {
  { "format", "s" }, { "subchannel", "h" }, { NULL },
};
static const RcdOptionSpec side_file_options[] = {
  { "format", "s" }, { "name", "s" }, { "subchannel_file", "s" }, { NULL },
};
static const RcdOptionSpec inspect_options[] = { { "subchannel", "h" }, { NULL } };

static const struct {
  const char          *method;
  const RcdOptionSpec *specs;
} methods[] = {
  { "CreateImageCreator", create_options },
  { "AddTrack", audio_options },
  { "AddSubcodeRWGenerator", NULL },
  { "CreateResultImage", image_options },
  { "GetSideFiles", side_file_options },
  { "InspectImage", inspect_options },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GVariant) options =
    g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr(GError) error = NULL;

      if (!rcd_options_check (options, methods[m].method, methods[m].specs, &error))
        {
          /* refused by name, with a message that names the method */
          g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (error->message, methods[m].method));
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          continue;
        }
      g_assert_no_error (error);
      /* accepted: every option the method knows reads with its type */
      for (const RcdOptionSpec *spec = methods[m].specs; spec != NULL && spec->name != NULL; spec++)
        {
          g_autoptr(GVariant) value =
            g_variant_lookup_value (options, spec->name, NULL);

          if (value != NULL)
            g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE (spec->type)));
        }
    }
  return 0;
}
