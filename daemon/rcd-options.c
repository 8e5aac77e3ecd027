/* rcd-options.c: the options dictionaries of the API's methods. */
#include "rcd-options.h"

#include "rc-error.h"

static const RcdOptionSpec *
find_spec (const RcdOptionSpec *specs, const char *name)
{
  for (const RcdOptionSpec *spec = specs; spec != NULL && spec->name != NULL; spec++)
    {
      if (g_str_equal (spec->name, name))
        return spec;
    }
  return NULL;
}

static char *
known_names (const RcdOptionSpec *specs)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (const RcdOptionSpec *spec = specs; spec != NULL && spec->name != NULL; spec++)
    g_string_append_printf (names, "%s'%s' (%s)", names->len > 0 ? ", " : "",
                            spec->name, spec->type);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

gboolean
rcd_options_check (GVariant            *options,
                   const char          *method,
                   const RcdOptionSpec *specs,
                   GError             **error)
{
  GVariantIter iter;
  const char *name;
  GVariant *value;

  g_variant_iter_init (&iter, options);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_autoptr(GVariant) owned = value;
      const RcdOptionSpec *spec = find_spec (specs, name);

      if (spec == NULL)
        {
          g_autofree char *known = known_names (specs);

          if (*known == '\0')
            g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                         "unknown option '%s' in argument 'options': "
                         "%s takes no options", name, method);
          else
            g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                         "unknown option '%s' in argument 'options' of %s; "
                         "known options: %s", name, method, known);
          return FALSE;
        }

      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (spec->type)))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                       "option '%s' of %s must be of type '%s', not '%s'",
                       name, method, spec->type,
                       g_variant_get_type_string (value));
          return FALSE;
        }
    }
  return TRUE;
}
