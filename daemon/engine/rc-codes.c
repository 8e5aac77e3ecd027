/* rc-codes.c: Media Catalog Number and ISRC validation. */
#include "rc-codes.h"
#include "rc-error.h"

#include <string.h>

guint
rc_mcn_check_digit (const char *first_12_digits)
{
  guint sum = 0;

  /* EAN-13: from the left, odd positions weigh 1 and even positions 3. */
  for (guint i = 0; i < 12; i++)
    sum += (guint) (first_12_digits[i] - '0') * ((i % 2) ? 3 : 1);
  return (10 - sum % 10) % 10;
}

gboolean
rc_mcn_normalize (const char *in, char out[14], GError **error)
{
  gsize len = strlen (in);

  out[0] = '\0';
  if (len == 0)
    return TRUE;
  if (len > 13)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "media catalog number \"%s\" has %" G_GSIZE_FORMAT " digits; at most 13", in, len);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (in[i]))
      {
        g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                     "media catalog number \"%s\" may contain only digits", in);
        return FALSE;
      }

  /* Leading zeros are optional on input (a UPC-A is an EAN-13 with a 0). */
  memset (out, '0', 13 - len);
  memcpy (out + 13 - len, in, len);
  out[13] = '\0';

  if ((guint) (out[12] - '0') != rc_mcn_check_digit (out))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "media catalog number %s has check digit %c; the first 12 digits need %u",
                   out, out[12], rc_mcn_check_digit (out));
      out[0] = '\0';
      return FALSE;
    }
  return TRUE;
}

gboolean
rc_isrc_normalize (const char *in, char out[13], GError **error)
{
  gsize n = 0;

  out[0] = '\0';
  if (in[0] == '\0')
    return TRUE;

  for (const char *p = in; *p != '\0'; p++)
    {
      if (*p == '-')
        continue;
      if (n == 12 || !g_ascii_isalnum (*p))
        {
          g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                       "ISRC \"%s\" is not of the form CC-OOO-YY-NNNNN", in);
          return FALSE;
        }
      out[n++] = g_ascii_toupper (*p);
    }
  out[n] = '\0';

  /* CC country (letters), OOO registrant (letters or digits), YY year and
   * NNNNN designation (digits). */
  gboolean ok = n == 12 && g_ascii_isalpha (out[0]) && g_ascii_isalpha (out[1]);
  for (gsize i = 5; ok && i < 12; i++)
    ok = g_ascii_isdigit (out[i]);
  if (!ok)
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "ISRC \"%s\" is not of the form CC-OOO-YY-NNNNN (country letters, "
                   "registrant letters or digits, year and designation digits)", in);
      out[0] = '\0';
      return FALSE;
    }
  return TRUE;
}

char *
rc_isrc_format (const char *canonical)
{
  if (strlen (canonical) != 12)
    return g_strdup ("");
  return g_strdup_printf ("%.2s-%.3s-%.2s-%.5s",
                          canonical, canonical + 2, canonical + 5, canonical + 7);
}
