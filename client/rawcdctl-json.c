/* rawcdctl-json.c: a small JSON writer: containers, members and escaped values.
 * Commas are placed automatically; nesting is tracked on a stack.
 */
#include <math.h>
#include <stdio.h>

#include "rawcdctl-json.h"

struct _RcdJson {
  GString *text;
  GArray  *has_items;   /* gboolean per open container */
  gboolean after_member;
};

RcdJson *
rcd_json_new (void)
{
  RcdJson *json = g_new0 (RcdJson, 1);

  json->text = g_string_new (NULL);
  json->has_items = g_array_new (FALSE, FALSE, sizeof (gboolean));
  return json;
}

void
rcd_json_free (RcdJson *json)
{
  if (json == NULL)
    return;
  g_string_free (json->text, TRUE);
  g_array_unref (json->has_items);
  g_free (json);
}

/* Before any value or member: the comma between items. */
static void
begin_item (RcdJson *json)
{
  gboolean *has_items;

  if (json->after_member) {
    json->after_member = FALSE;
    return;
  }
  if (json->has_items->len == 0)
    return;
  has_items = &g_array_index (json->has_items, gboolean, json->has_items->len - 1);
  if (*has_items)
    g_string_append_c (json->text, ',');
  *has_items = TRUE;
}

static void
open_container (RcdJson *json, char c)
{
  gboolean none = FALSE;

  begin_item (json);
  g_string_append_c (json->text, c);
  g_array_append_val (json->has_items, none);
}

static void
close_container (RcdJson *json, char c)
{
  g_return_if_fail (json->has_items->len > 0);
  g_array_set_size (json->has_items, json->has_items->len - 1);
  g_string_append_c (json->text, c);
}

void
rcd_json_begin_object (RcdJson *json)
{
  open_container (json, '{');
}

void
rcd_json_end_object (RcdJson *json)
{
  close_container (json, '}');
}

void
rcd_json_begin_array (RcdJson *json)
{
  open_container (json, '[');
}

void
rcd_json_end_array (RcdJson *json)
{
  close_container (json, ']');
}

static void
append_escaped (GString *text, const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  g_string_append_c (text, '"');
  for (const char *p = valid; *p != '\0'; p++) {
    unsigned char c = (unsigned char) *p;

    switch (c) {
    case '"':
      g_string_append (text, "\\\"");
      break;
    case '\\':
      g_string_append (text, "\\\\");
      break;
    case '\b':
      g_string_append (text, "\\b");
      break;
    case '\f':
      g_string_append (text, "\\f");
      break;
    case '\n':
      g_string_append (text, "\\n");
      break;
    case '\r':
      g_string_append (text, "\\r");
      break;
    case '\t':
      g_string_append (text, "\\t");
      break;
    default:
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (text, "\\u%04x", c);
      else
        g_string_append_c (text, (char) c);
    }
  }
  g_string_append_c (text, '"');
}

void
rcd_json_member (RcdJson *json, const char *name)
{
  begin_item (json);
  append_escaped (json->text, name);
  g_string_append_c (json->text, ':');
  json->after_member = TRUE;
}

void
rcd_json_string (RcdJson *json, const char *value)
{
  if (value == NULL) {
    rcd_json_null (json);
    return;
  }
  begin_item (json);
  append_escaped (json->text, value);
}

void
rcd_json_int (RcdJson *json, gint64 value)
{
  begin_item (json);
  g_string_append_printf (json->text, "%" G_GINT64_FORMAT, value);
}

void
rcd_json_uint (RcdJson *json, guint64 value)
{
  begin_item (json);
  g_string_append_printf (json->text, "%" G_GUINT64_FORMAT, value);
}

void
rcd_json_double (RcdJson *json, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value)) {
    rcd_json_null (json);
    return;
  }
  begin_item (json);
  /* locale independent: always a '.' */
  g_string_append (json->text, g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

void
rcd_json_boolean (RcdJson *json, gboolean value)
{
  begin_item (json);
  g_string_append (json->text, value ? "true" : "false");
}

void
rcd_json_null (RcdJson *json)
{
  begin_item (json);
  g_string_append (json->text, "null");
}

void
rcd_json_print_line (RcdJson *json)
{
  fputs (json->text->str, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}
