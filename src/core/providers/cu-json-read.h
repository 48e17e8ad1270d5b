/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-json-read.h — reading cloud answers without trusting their shape
 *
 * json-glib's getters assume the caller knows the shape: asking an object
 * for an array member that is a string prints a GLib CRITICAL (fatal under
 * the test suite's G_DEBUG=fatal-warnings) and returns NULL. Cloud answers
 * are untrusted input, so every provider reads them through these getters,
 * which return NULL (or the default) for a member that is missing, null or
 * of another type, and never warn. The callers turn NULL into a clear
 * "unexpected answer" error.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode   *cu_json_parse_object  (const char  *body,
                                   gsize        len,
                                   GError     **error);
JsonObject *cu_json_node_object   (JsonNode    *node);
JsonArray  *cu_json_node_array    (JsonNode    *node);
const char *cu_json_node_string   (JsonNode    *node);
JsonObject *cu_json_get_object    (JsonObject  *object,
                                   const char  *member);
JsonArray  *cu_json_get_array     (JsonObject  *object,
                                   const char  *member);
const char *cu_json_get_string    (JsonObject  *object,
                                   const char  *member);
gboolean    cu_json_get_boolean   (JsonObject  *object,
                                   const char  *member,
                                   gboolean     fallback);
gboolean    cu_json_get_int       (JsonObject  *object,
                                   const char  *member,
                                   gint64      *out);
JsonNode   *cu_json_array_element (JsonArray   *array,
                                   guint        index);
char       *cu_json_numbers_to_strings (const char *body,
                                        gsize       len,
                                        gsize      *out_len);

G_END_DECLS
