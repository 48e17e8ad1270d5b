/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-json-read.c — shape-checked reading of cloud answers */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/cu-json-read.h"
#include "providers/cu-http.h"

#include <string.h>

/**
 * cu_json_parse_object:
 * @body: (array length=len): the answer's bytes, not necessarily NUL-terminated
 *
 * Parses a whole answer whose top level must be one JSON object. An empty
 * or whitespace-only body, broken JSON and any other top-level value are
 * CU_PROVIDER_ERROR_INVALID_RESPONSE.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
cu_json_parse_object (const char  *body,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (body == NULL || len == 0 || len > G_MAXSSIZE)
    goto invalid;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, body, (gssize) len, NULL))
    goto invalid;
  root = json_parser_get_root (parser);
  /* whitespace parses to no root at all */
  if (root == NULL || JSON_NODE_TYPE (root) != JSON_NODE_OBJECT)
    goto invalid;
  return json_node_ref (root);

invalid:
  g_set_error_literal (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                       "the answer is not a JSON object");
  return NULL;
}

/* Returns: (transfer none) (nullable): @node's object if it is one */
JsonObject *
cu_json_node_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_OBJECT ? json_node_get_object (node) : NULL;
}

/* Returns: (transfer none) (nullable): @node's array if it is one */
JsonArray *
cu_json_node_array (JsonNode *node)
{
  return node != NULL && JSON_NODE_TYPE (node) == JSON_NODE_ARRAY ? json_node_get_array (node) : NULL;
}

/* Returns: (transfer none) (nullable): @node's string if it holds one */
const char *
cu_json_node_string (JsonNode *node)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonNode *
member (JsonObject *object, const char *name)
{
  return object != NULL && name != NULL ? json_object_get_member (object, name) : NULL;
}

/* Returns: (transfer none) (nullable): the member if it is an object */
JsonObject *
cu_json_get_object (JsonObject *object, const char *name)
{
  return cu_json_node_object (member (object, name));
}

/* Returns: (transfer none) (nullable): the member if it is an array */
JsonArray *
cu_json_get_array (JsonObject *object, const char *name)
{
  return cu_json_node_array (member (object, name));
}

/* Returns: (transfer none) (nullable): the member if it is a string */
const char *
cu_json_get_string (JsonObject *object, const char *name)
{
  return cu_json_node_string (member (object, name));
}

/* Returns: the member if it is a boolean, else @fallback */
gboolean
cu_json_get_boolean (JsonObject *object, const char *name, gboolean fallback)
{
  JsonNode *node = member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

/**
 * cu_json_get_int:
 * @out: (out): the value
 *
 * Returns: %TRUE when the member is an integer (JSON numbers without a
 *   fraction are integers to json-glib)
 */
gboolean
cu_json_get_int (JsonObject *object, const char *name, gint64 *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/* Returns: (transfer none) (nullable): element @index, %NULL past the end */
JsonNode *
cu_json_array_element (JsonArray *array, guint index)
{
  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  return json_array_get_element (array, index);
}

/* Length of the JSON number at @p (RFC 8259 grammar), or 0 if there is none. */
static gsize
number_length (const char *p, const char *end)
{
  const char *q = p;

  if (q < end && *q == '-')
    q++;
  if (q >= end || !g_ascii_isdigit (*q))
    return 0;
  if (*q == '0')
    q++;
  else
    while (q < end && g_ascii_isdigit (*q))
      q++;
  if (q < end && *q == '.')
    {
      if (q + 1 >= end || !g_ascii_isdigit (q[1]))
        return 0;
      q++;
      while (q < end && g_ascii_isdigit (*q))
        q++;
    }
  if (q < end && (*q == 'e' || *q == 'E'))
    {
      q++;
      if (q < end && (*q == '+' || *q == '-'))
        q++;
      if (q >= end || !g_ascii_isdigit (*q))
        return 0;
      while (q < end && g_ascii_isdigit (*q))
        q++;
    }
  /* "12abc" is no number followed by a word: leave it for the parser to refuse */
  if (q < end && (g_ascii_isalnum (*q) || *q == '.' || *q == '-' || *q == '+'))
    return 0;
  return (gsize) (q - p);
}

/**
 * cu_json_numbers_to_strings:
 * @body: (array length=len): JSON text
 * @out_len: (out): length of the result
 *
 * Rewrites every number outside a string into a string holding the same
 * characters (`[20240501, 1.2E-05]` becomes `["20240501", "1.2E-05"]`), so
 * that json-glib, which only keeps numbers as doubles or int64, hands the
 * exact decimal text to cu_money_parse(). Strings (with their escapes) and
 * everything else are copied unchanged; text that is no valid number is
 * left as it is, so broken JSON stays broken for the parser to refuse.
 *
 * Returns: (transfer full): the rewritten text, NUL-terminated
 */
char *
cu_json_numbers_to_strings (const char *body,
                            gsize       len,
                            gsize      *out_len)
{
  GString *out;
  const char *p, *end;

  g_return_val_if_fail (body != NULL || len == 0, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  out = g_string_sized_new (len + len / 4 + 1);
  p = body;
  end = body + len;

  while (p < end)
    {
      if (*p == '"')
        {
          const char *q = p + 1;

          while (q < end && *q != '"')
            q += (*q == '\\' && q + 1 < end) ? 2 : 1;
          q = MIN (q + 1, end);
          g_string_append_len (out, p, q - p);
          p = q;
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          gsize n = number_length (p, end);

          if (n == 0)
            {
              g_string_append_c (out, *p++);
              continue;
            }
          g_string_append_c (out, '"');
          g_string_append_len (out, p, n);
          g_string_append_c (out, '"');
          p += n;
        }
      else
        g_string_append_c (out, *p++);
    }
  *out_len = out->len;
  return g_string_free (out, FALSE);
}
