/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-output.c — the one writer of CSV, JSON and aligned text tables */
#define G_LOG_DOMAIN "cumulus-output"

#include "util/cu-output.h"
#include "util/cu-money.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ formats */

static const char * const format_names[] = {
  [CU_OUTPUT_FORMAT_TABLE] = "table",
  [CU_OUTPUT_FORMAT_CSV] = "csv",
  [CU_OUTPUT_FORMAT_JSON] = "json",
};

/**
 * cu_output_format_parse:
 * @text: "table", "csv" or "json", as the CLI's --format takes them
 * @format: (out): the format
 *
 * Returns: %TRUE when @text names a format
 */
gboolean
cu_output_format_parse (const char     *text,
                        CuOutputFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_str_equal (text, format_names[i]))
      {
        *format = (CuOutputFormat) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * cu_output_format_to_string:
 *
 * Returns: (transfer none): the name the CLI uses for @format
 */
const char *
cu_output_format_to_string (CuOutputFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

/* ------------------------------------------------------------ numbers */

/**
 * cu_output_append_double:
 *
 * Appends the shortest text that reads back as the same double, with a
 * dot whatever the locale and without negative zero. NaN and infinities
 * are written as g_ascii_formatd() writes them ("nan", "inf"); JSON writes
 * them as null instead.
 */
void
cu_output_append_double (GString *out,
                         double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (out != NULL);

  if (value == 0.0)
    value = 0.0;
  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

/* ------------------------------------------------------------ CSV */

static gboolean
csv_needs_quotes (const char *text)
{
  gsize len = strlen (text);

  if (len == 0)
    return TRUE;
  if (text[0] == ' ' || text[0] == '\t' || text[len - 1] == ' ' || text[len - 1] == '\t')
    return TRUE;
  return strpbrk (text, ",\"\r\n") != NULL;
}

/**
 * cu_output_csv_field:
 * @text: (nullable): the field; %NULL writes nothing (an absent value)
 *
 * Appends one field, quoted as RFC 4180 says when it needs quoting (see
 * the header). Invalid UTF-8 is replaced by U+FFFD so that the file is
 * valid UTF-8 whatever the input.
 */
void
cu_output_csv_field (GString    *out,
                     const char *text)
{
  g_autofree char *valid = NULL;

  g_return_if_fail (out != NULL);

  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  if (!csv_needs_quotes (text))
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * cu_output_csv_row:
 * @fields: (array length=n_fields) (nullable): the fields, each nullable
 *
 * Appends @n_fields fields separated by commas and a "\n".
 */
void
cu_output_csv_row (GString            *out,
                   guint               n_fields,
                   const char * const *fields)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (n_fields == 0 || fields != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      cu_output_csv_field (out, fields[i]);
    }
  g_string_append_c (out, '\n');
}

/**
 * cu_output_tsv_row:
 * @fields: (array length=n_fields): the fields, each nullable
 *
 * Appends a row of tab-separated text, what spreadsheets paste into cells:
 * a tab, CR or LF inside a field would split it, so each becomes a space.
 */
void
cu_output_tsv_row (GString            *out,
                   guint               n_fields,
                   const char * const *fields)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (n_fields == 0 || fields != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\t');
      for (const char *p = fields[i]; p != NULL && *p; p++)
        g_string_append_c (out, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
    }
  g_string_append_c (out, '\n');
}

/* ------------------------------------------------------------ JSON */

typedef struct {
  GString       *out;
  CuJsonStyle    style;
  gboolean       inline_;    /* pretty, inside a container of scalars only */
  JsonGenerator *generator;  /* escapes strings */
  JsonNode      *scratch;    /* the string being escaped */
} JsonWriter;

/* Most strings (ids, names, dates) have nothing to escape; they skip the
 * generator, which is a large part of the time for big documents. */
static gboolean
json_needs_escaping (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f || *p == 0xe2)
      return TRUE;
  return FALSE;
}

/* json-glib escapes the string; what it leaves raw is patched here:
 * 1.6 writes U+001F unescaped (invalid JSON), and U+2028/U+2029 are valid
 * JSON but end a line in JavaScript, where exported JSON may be pasted. */
static void
json_write_string (JsonWriter *w,
                   const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *escaped = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  if (!json_needs_escaping (text))
    {
      /* what json-glib would write, without a generator per string */
      g_string_append_c (w->out, '"');
      g_string_append (w->out, text);
      g_string_append_c (w->out, '"');
      return;
    }
  json_node_set_string (w->scratch, text);
  json_generator_set_root (w->generator, w->scratch);
  escaped = json_generator_to_data (w->generator, NULL);
  for (const char *p = escaped; *p; p++)
    {
      if (*p == '\x1f')
        g_string_append (w->out, "\\u001f");
      else if (p[0] == '\xe2' && p[1] == '\x80' && (p[2] == '\xa8' || p[2] == '\xa9'))
        {
          g_string_append (w->out, p[2] == '\xa8' ? "\\u2028" : "\\u2029");
          p += 2;
        }
      else
        g_string_append_c (w->out, *p);
    }
}

/* In pretty style a container holding only scalars goes on one line, so
 * that a list of records reads as one record per line. */
static gboolean
is_scalar (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_VALUE (node) || JSON_NODE_HOLDS_NULL (node);
}

static void
json_separator (JsonWriter *w,
                gboolean    first,
                guint       depth)
{
  if (!first)
    g_string_append_c (w->out, ',');
  if (w->style != CU_JSON_PRETTY)
    return;
  if (w->inline_)
    {
      if (!first)
        g_string_append_c (w->out, ' ');
      return;
    }
  g_string_append_c (w->out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (w->out, "  ");
}

static void
json_end_line (JsonWriter *w,
               guint       depth)
{
  if (w->style != CU_JSON_PRETTY)
    return;
  g_string_append_c (w->out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (w->out, "  ");
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void json_write_node (JsonWriter *w, JsonNode *node, guint depth);

static void
json_write_object (JsonWriter *w,
                   JsonObject *object,
                   guint       depth)
{
  /* json_object_get_members() keeps insertion order (json-glib ≥ 1.2) */
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (keys, l->data);
  if (w->style == CU_JSON_CANONICAL)
    g_ptr_array_sort (keys, compare_keys);

  gboolean was_inline = w->inline_;

  w->inline_ = TRUE;
  for (guint i = 0; i < keys->len && w->inline_; i++)
    w->inline_ = is_scalar (json_object_get_member (object, keys->pdata[i]));

  g_string_append_c (w->out, '{');
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];

      json_separator (w, i == 0, depth + 1);
      json_write_string (w, key);
      g_string_append (w->out, w->style == CU_JSON_PRETTY ? ": " : ":");
      json_write_node (w, json_object_get_member (object, key), depth + 1);
    }
  if (keys->len > 0 && !w->inline_)
    json_end_line (w, depth);
  g_string_append_c (w->out, '}');
  w->inline_ = was_inline;
}

static void
json_write_array (JsonWriter *w,
                  JsonArray  *array,
                  guint       depth)
{
  guint n = json_array_get_length (array);
  gboolean was_inline = w->inline_;

  w->inline_ = TRUE;
  for (guint i = 0; i < n && w->inline_; i++)
    w->inline_ = is_scalar (json_array_get_element (array, i));

  g_string_append_c (w->out, '[');
  for (guint i = 0; i < n; i++)
    {
      json_separator (w, i == 0, depth + 1);
      json_write_node (w, json_array_get_element (array, i), depth + 1);
    }
  if (n > 0 && !w->inline_)
    json_end_line (w, depth);
  g_string_append_c (w->out, ']');
  w->inline_ = was_inline;
}

static void
json_write_node (JsonWriter *w,
                 JsonNode   *node,
                 guint       depth)
{
  switch (node != NULL ? JSON_NODE_TYPE (node) : JSON_NODE_NULL)
    {
    case JSON_NODE_OBJECT:
      json_write_object (w, json_node_get_object (node), depth);
      return;
    case JSON_NODE_ARRAY:
      json_write_array (w, json_node_get_array (node), depth);
      return;
    case JSON_NODE_NULL:
      g_string_append (w->out, "null");
      return;
    case JSON_NODE_VALUE:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      g_string_append (w->out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_INT64:
      g_string_append_printf (w->out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      {
        double v = json_node_get_double (node);

        /* JSON has no NaN or infinity */
        if (isfinite (v))
          cu_output_append_double (w->out, v);
        else
          g_string_append (w->out, "null");
      }
      break;
    case G_TYPE_STRING:
      json_write_string (w, json_node_get_string (node));
      break;
    default:
      g_string_append (w->out, "null");
      break;
    }
}

/**
 * cu_output_json_append:
 * @root: (nullable): the document, as built with JsonBuilder; %NULL is null
 * @style: pretty for people, canonical for hashing
 *
 * Appends @root as JSON text, without a final newline. Invalid UTF-8 in
 * strings and member names is replaced by U+FFFD.
 */
void
cu_output_json_append (GString     *out,
                       JsonNode    *root,
                       CuJsonStyle  style)
{
  JsonWriter w = { out, style, FALSE, NULL, NULL };

  g_return_if_fail (out != NULL);

  w.generator = json_generator_new ();
  w.scratch = json_node_new (JSON_NODE_VALUE);
  json_write_node (&w, root, 0);
  json_node_unref (w.scratch);
  g_object_unref (w.generator);
}

/**
 * cu_output_json_to_string:
 *
 * Returns: (transfer full): @root as JSON text, see cu_output_json_append()
 */
char *
cu_output_json_to_string (JsonNode    *root,
                          CuJsonStyle  style)
{
  GString *out = g_string_new (NULL);

  cu_output_json_append (out, root, style);
  return g_string_free (out, FALSE);
}

/**
 * cu_output_json_canonical:
 *
 * The canonical form that hashes are computed over: object members sorted
 * by key (bytewise, which is code point order), no insignificant
 * whitespace, numbers in their shortest exact form. Two documents with the
 * same content give the same bytes whatever order they were built in.
 *
 * Returns: (transfer full): the canonical text of @root
 */
char *
cu_output_json_canonical (JsonNode *root)
{
  return cu_output_json_to_string (root, CU_JSON_CANONICAL);
}

/**
 * cu_output_json_add_money:
 * @micros: an amount in micro-units (see cu-money.h)
 * @decimals: decimals to round to, half away from zero (2 for cents)
 *
 * Adds the amount as a JSON number that is exactly its decimal value
 * rounded to @decimals: 12.30 is written 12.3, never 12.300000000000001.
 */
void
cu_output_json_add_money (JsonBuilder *builder,
                          gint64       micros,
                          guint        decimals)
{
  g_autofree char *text = NULL;

  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (decimals <= 6);

  /* the decimal text is exact; its nearest double prints back as it */
  text = cu_money_format_plain (micros, decimals);
  json_builder_add_double_value (builder, g_ascii_strtod (text, NULL));
}

/**
 * cu_output_json_add_rounded:
 * @decimals: decimals to keep, at most 15
 *
 * Adds @value rounded to @decimals (as printf's %.Nf rounds), so that a
 * share or a score has the precision the CLI documents. NaN and infinities
 * become null.
 */
void
cu_output_json_add_rounded (JsonBuilder *builder,
                            double       value,
                            guint        decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[8];

  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (decimals <= 15);

  if (!isfinite (value))
    {
      json_builder_add_null_value (builder);
      return;
    }
  g_snprintf (fmt, sizeof fmt, "%%.%uf", decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, value);
  json_builder_add_double_value (builder, g_ascii_strtod (buf, NULL));
}

/**
 * cu_output_json_add_string:
 * @text: (nullable): the string; %NULL adds null
 */
void
cu_output_json_add_string (JsonBuilder *builder,
                           const char  *text)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));

  if (text == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, text);
}

/* ------------------------------------------------------------ tables */

typedef struct {
  char         *title;
  CuTableAlign  align;
  guint         min_width;
  guint         max_width;  /* 0: none */
} Column;

struct _CuTable {
  guint      n_columns;
  Column    *columns;
  GPtrArray *rows;          /* of char *[n_columns], cells made printable */
};

/**
 * cu_output_display_width:
 *
 * Returns: the number of terminal columns @text takes: East Asian wide
 *   characters take two, combining marks none
 */
guint
cu_output_display_width (const char *text)
{
  guint width = 0;

  g_return_val_if_fail (text != NULL, 0);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* valid UTF-8 and no control characters, which would break the columns */
static char *
printable_cell (const char *text)
{
  char *cell;

  if (text == NULL)
    return g_strdup ("");
  cell = g_utf8_validate (text, -1, NULL) ? g_strdup (text) : g_utf8_make_valid (text, -1);
  for (char *p = cell; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return cell;
}

static void
row_free (gpointer data)
{
  g_strfreev (data);
}

/**
 * cu_table_new:
 *
 * A table prints a header line and one line per row, columns separated by
 * two spaces, each padded to the widest cell (in terminal columns) within
 * its minimum and maximum width; a cell wider than the maximum overflows
 * its line only. The last column is not padded when it is left-aligned.
 *
 * Returns: (transfer full): a table of @n_columns untitled left columns
 */
CuTable *
cu_table_new (guint n_columns)
{
  CuTable *table;

  g_return_val_if_fail (n_columns > 0, NULL);

  table = g_new0 (CuTable, 1);
  table->n_columns = n_columns;
  table->columns = g_new0 (Column, n_columns);
  table->rows = g_ptr_array_new_with_free_func (row_free);
  return table;
}

void
cu_table_free (CuTable *table)
{
  if (table == NULL)
    return;
  for (guint i = 0; i < table->n_columns; i++)
    g_free (table->columns[i].title);
  g_free (table->columns);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/**
 * cu_table_set_column:
 * @title: the header of the column
 * @min_width: the narrowest the column is, in terminal columns
 * @max_width: the widest it grows to fit its cells, 0 for no limit
 */
void
cu_table_set_column (CuTable      *table,
                     guint         column,
                     const char   *title,
                     CuTableAlign  align,
                     guint         min_width,
                     guint         max_width)
{
  Column *c;

  g_return_if_fail (table != NULL);
  g_return_if_fail (column < table->n_columns);
  g_return_if_fail (max_width == 0 || max_width >= min_width);

  c = &table->columns[column];
  g_free (c->title);
  c->title = printable_cell (title);
  c->align = align;
  c->min_width = min_width;
  c->max_width = max_width;
}

/**
 * cu_table_add_row:
 * @cells: (array): one cell per column, each nullable (an empty cell);
 *   copied
 */
void
cu_table_add_row (CuTable            *table,
                  const char * const *cells)
{
  char **row;

  g_return_if_fail (table != NULL);
  g_return_if_fail (cells != NULL);

  row = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    row[i] = printable_cell (cells[i]);
  g_ptr_array_add (table->rows, row);
}

static void
append_line (CuTable     *table,
             GString     *out,
             char       **cells,
             const guint *widths)
{
  for (guint i = 0; i < table->n_columns; i++)
    {
      const Column *c = &table->columns[i];
      guint w = cu_output_display_width (cells[i]);
      guint pad = widths[i] > w ? widths[i] - w : 0;
      gboolean last = i + 1 == table->n_columns;

      if (i > 0)
        g_string_append (out, "  ");
      if (c->align == CU_TABLE_ALIGN_RIGHT)
        g_string_append_printf (out, "%*s%s", (int) pad, "", cells[i]);
      else if (last)
        g_string_append (out, cells[i]);
      else
        g_string_append_printf (out, "%s%*s", cells[i], (int) pad, "");
    }
  g_string_append_c (out, '\n');
}

/**
 * cu_table_append:
 *
 * Appends the header and the rows to @out.
 */
void
cu_table_append (CuTable *table,
                 GString *out)
{
  g_autofree guint *widths = NULL;
  g_autofree char **titles = NULL;

  g_return_if_fail (table != NULL);
  g_return_if_fail (out != NULL);

  widths = g_new0 (guint, table->n_columns);
  titles = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    {
      const Column *c = &table->columns[i];
      guint w = c->title ? cu_output_display_width (c->title) : 0;

      titles[i] = c->title ? c->title : (char *) "";
      for (guint r = 0; r < table->rows->len; r++)
        w = MAX (w, cu_output_display_width (((char **) table->rows->pdata[r])[i]));
      w = MAX (w, c->min_width);
      if (c->max_width > 0)
        w = MIN (w, c->max_width);
      widths[i] = w;
    }
  append_line (table, out, titles, widths);
  for (guint r = 0; r < table->rows->len; r++)
    append_line (table, out, table->rows->pdata[r], widths);
}
