/* test-options.c: the checks of the methods' a{sv} options
 * (rcd-options.h), in process: known options of the right type pass;
 * anything else is InvalidArgument naming the method and the option. */
#include <string.h>

#include "rc-error.h"
#include "rcd-options.h"

static const RcdOptionSpec specs[] = {
  { "format", "s" },
  { "subchannel", "h" },
  { NULL },
};

static gboolean
check (const char *text, const RcdOptionSpec *with, GError **error)
{
  g_autoptr(GVariant) options = g_variant_parse (G_VARIANT_TYPE ("a{sv}"), text,
                                                 NULL, NULL, NULL);

  g_assert_nonnull (options);
  return rcd_options_check (options, "Method", with, error);
}

static void
assert_refused (const char *text, const RcdOptionSpec *with, const char *const *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (check (text, with, &error));
  g_assert_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT);
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (error->message, words[i]) == NULL)
      g_error ("\"%s\" does not say \"%s\"", error->message, words[i]);
}

static void
test_accepted (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (check ("@a{sv} {}", specs, &error));
  g_assert_true (check ("{'format': <'cue'>}", specs, &error));
  g_assert_true (check ("{'format': <'cue'>, 'subchannel': <handle 0>}", specs, &error));
  g_assert_true (check ("@a{sv} {}", NULL, &error));
  g_assert_no_error (error);
}

static void
test_refused (void)
{
  assert_refused ("{'fromat': <'cue'>}", specs,
                  (const char *const[]) { "'fromat'", "Method", "'format' (s)", "'subchannel' (h)", NULL });
  assert_refused ("{'format': <7>}", specs,
                  (const char *const[]) { "'format'", "Method", "'s'", "'i'", NULL });
  assert_refused ("{'subchannel': <int32 3>}", specs,
                  (const char *const[]) { "'subchannel'", "'h'", NULL });
  assert_refused ("{'persist': <true>}", NULL,
                  (const char *const[]) { "'persist'", "Method takes no options", NULL });
  /* A wrong option after a good one is still found. */
  assert_refused ("{'format': <'cue'>, 'x': <1>}", specs,
                  (const char *const[]) { "'x'", NULL });
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/options/accepted", test_accepted);
  g_test_add_func ("/options/refused", test_refused);
  return g_test_run ();
}
