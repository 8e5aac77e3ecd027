/* rawcdctl-json.h: writes JSON text (one object per line for rawcdctl's --json). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcdJson RcdJson;

RcdJson *rcd_json_new          (void);
void     rcd_json_free         (RcdJson *json);

/* Containers; inside an object, each value follows rcd_json_member(). */
void     rcd_json_begin_object (RcdJson *json);
void     rcd_json_end_object   (RcdJson *json);
void     rcd_json_begin_array  (RcdJson *json);
void     rcd_json_end_array    (RcdJson *json);
void     rcd_json_member       (RcdJson *json, const char *name);

/* Values.  Strings that are not UTF-8 (file names) get U+FFFD for their
 * bad bytes; NULL is written as null. */
void     rcd_json_string       (RcdJson *json, const char *value);
void     rcd_json_int          (RcdJson *json, gint64 value);
void     rcd_json_uint         (RcdJson *json, guint64 value);
void     rcd_json_double       (RcdJson *json, double value);
void     rcd_json_boolean      (RcdJson *json, gboolean value);
void     rcd_json_null         (RcdJson *json);

/* Prints the text and a newline on stdout and flushes it. */
void     rcd_json_print_line   (RcdJson *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdJson, rcd_json_free)

G_END_DECLS
