/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-output.c — the output module: RFC 4180 CSV, JSON through json-glib,
 * canonical JSON, exact money in JSON, aligned tables
 *
 * CSV output is read back with the importer's own RFC 4180 reader and JSON
 * with json-glib's parser, so each case checks what a consumer sees, not
 * only the bytes.
 */
#define G_LOG_DOMAIN "test-output"

#include <math.h>
#include <string.h>

#include "importers/cu-csv-reader.h"
#include "store/cu-cost-report.h"
#include "util/cu-money.h"
#include "util/cu-output.h"

/* ------------------------------------------------------------ CSV */

static GPtrArray *
read_back_csv (const char *text)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);
  g_autoptr(CuCsvReader) reader = cu_csv_reader_new (in);
  g_autoptr(GError) error = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  while (cu_csv_reader_next (reader, NULL, &error))
    {
      guint n = cu_csv_reader_get_n_fields (reader);
      char **fields = g_new0 (char *, n + 1);

      for (guint i = 0; i < n; i++)
        {
          gsize len = 0;
          const char *f = cu_csv_reader_get_field (reader, i, &len);
          fields[i] = g_strndup (f, len);
        }
      g_ptr_array_add (records, fields);
    }
  g_assert_no_error (error);
  return records;
}

static void
test_csv_fields (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "plain", "plain" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "\"", "\"\"\"\"" },
    { "line\nbreak", "\"line\nbreak\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { "crlf\r\n", "\"crlf\r\n\"" },
    { " leading", "\" leading\"" },
    { "trailing ", "\"trailing \"" },
    { "\ttab", "\"\ttab\"" },
    { "in side", "in side" },
    { "", "\"\"" },
    { "日本語,x", "\"日本語,x\"" },
    { "=1+2", "=1+2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GPtrArray) back = NULL;
      char **record;

      cu_output_csv_field (out, cases[i].in);
      g_assert_cmpstr (out->str, ==, cases[i].out);

      /* a reader gives back exactly the text, whatever it holds */
      g_string_append_c (out, '\n');
      back = read_back_csv (out->str);
      g_assert_cmpuint (back->len, ==, 1);
      record = back->pdata[0];
      g_assert_cmpuint (g_strv_length (record), ==, 1);
      g_assert_cmpstr (record[0], ==, cases[i].in);
    }
}

static void
test_csv_null_and_empty (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *fields[] = { "a", NULL, "", "b", NULL };
  g_autoptr(GPtrArray) back = NULL;
  char **record;

  /* NULL is an absent value (nothing), "" a present empty string ("") */
  cu_output_csv_row (out, G_N_ELEMENTS (fields), fields);
  g_assert_cmpstr (out->str, ==, "a,,\"\",b,\n");

  back = read_back_csv (out->str);
  g_assert_cmpuint (back->len, ==, 1);
  record = back->pdata[0];
  g_assert_cmpuint (g_strv_length (record), ==, 5);
  g_assert_cmpstr (record[1], ==, "");
  g_assert_cmpstr (record[2], ==, "");
  g_assert_cmpstr (record[4], ==, "");

  g_string_truncate (out, 0);
  cu_output_csv_field (out, NULL);
  g_assert_cmpstr (out->str, ==, "");
}

static void
test_csv_rows (void)
{
  const char *header[] = { "id", "name", "note" };
  const char *row[] = { "1", "x, \"y\"", "two\r\nlines" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) back = NULL;

  cu_output_csv_row (out, G_N_ELEMENTS (header), header);
  cu_output_csv_row (out, G_N_ELEMENTS (row), row);
  g_assert_cmpstr (out->str, ==, "id,name,note\n1,\"x, \"\"y\"\"\",\"two\r\nlines\"\n");

  back = read_back_csv (out->str);
  g_assert_cmpuint (back->len, ==, 2);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (((char **) back->pdata[1])[i], ==, row[i]);
}

static void
test_csv_invalid_utf8 (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  cu_output_csv_field (out, "ab\xff\xfe" "c,d");
  g_assert_true (g_utf8_validate (out->str, -1, NULL));
  g_assert_cmpstr (out->str, ==, "\"ab\xef\xbf\xbd\xef\xbf\xbd" "c,d\"");
}

/* ------------------------------------------------------------ JSON */

static char *
json_of_string (const char *text, CuJsonStyle style)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return cu_output_json_to_string (node, style);
}

static char *
parse_back_string (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_parser_get_root (parser)));
  return g_strdup (json_node_get_string (json_parser_get_root (parser)));
}

static void
test_json_control_characters (void)
{
  /* every C0 control, DEL, the two JSON specials and a slash */
  for (int c = 1; c < 0x80; c++)
    {
      char in[4] = { 'a', (char) c, 'b', 0 };
      g_autofree char *json = json_of_string (in, CU_JSON_COMPACT);
      g_autofree char *back = NULL;

      /* no raw control character may be left in the text */
      for (const char *p = json; *p; p++)
        g_assert_cmpint ((guchar) *p, >=, 0x20);
      back = parse_back_string (json);
      g_assert_cmpstr (back, ==, in);
    }

  {
    /* json-glib 1.6 leaves U+001F raw: the module must not */
    g_autofree char *json = json_of_string ("\x1f", CU_JSON_COMPACT);
    g_assert_cmpstr (json, ==, "\"\\u001f\"");
  }
  {
    g_autofree char *json = json_of_string ("q\"b\\n\n", CU_JSON_COMPACT);
    g_assert_cmpstr (json, ==, "\"q\\\"b\\\\n\\n\"");
  }
}

static void
test_json_line_separators (void)
{
  g_autofree char *json = json_of_string ("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", CU_JSON_COMPACT);
  g_autofree char *back = NULL;

  /* valid JSON raw, but a line end in JavaScript: escaped */
  g_assert_cmpstr (json, ==, "\"a\\u2028b\\u2029c\"");
  back = parse_back_string (json);
  g_assert_cmpstr (back, ==, "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c");

  /* other non-ASCII text stays as it is */
  g_clear_pointer (&json, g_free);
  json = json_of_string ("é日本\xf0\x9f\x92\xb0", CU_JSON_COMPACT);
  g_assert_cmpstr (json, ==, "\"é日本\xf0\x9f\x92\xb0\"");
}

static void
test_json_invalid_utf8 (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "k\xc3");
  json_builder_add_string_value (b, "v\xff" "w\xe2\x80");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = cu_output_json_to_string (root, CU_JSON_COMPACT);

  /* the document is valid UTF-8 and JSON, bad bytes become U+FFFD */
  g_assert_true (g_utf8_validate (json, -1, NULL));
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "k\xef\xbf\xbd"), ==, "v\xef\xbf\xbdw\xef\xbf\xbd\xef\xbf\xbd");  /* one per byte */
}

static JsonNode *
build_document (gboolean reversed)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *keys[] = { "b", "a", "é", "Z", "c" };
  guint n = G_N_ELEMENTS (keys);

  json_builder_begin_object (b);
  for (guint k = 0; k < n; k++)
    {
      const char *key = keys[reversed ? n - 1 - k : k];

      json_builder_set_member_name (b, key);
      if (g_str_equal (key, "c"))
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, reversed ? "y" : "x");
          json_builder_add_int_value (b, reversed ? 2 : 1);
          json_builder_set_member_name (b, reversed ? "x" : "y");
          json_builder_add_int_value (b, reversed ? 1 : 2);
          json_builder_end_object (b);
        }
      else if (g_str_equal (key, "a"))
        {
          json_builder_begin_array (b);
          json_builder_add_boolean_value (b, TRUE);
          json_builder_add_null_value (b);
          json_builder_add_string_value (b, "s p");
          cu_output_json_add_money (b, 1230000, 2);
          json_builder_end_array (b);
        }
      else
        json_builder_add_string_value (b, key);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
test_json_canonical (void)
{
  g_autoptr(JsonNode) one = build_document (FALSE);
  g_autoptr(JsonNode) two = build_document (TRUE);
  g_autofree char *c1 = cu_output_json_canonical (one);
  g_autofree char *c2 = cu_output_json_canonical (two);
  g_autofree char *p1 = cu_output_json_to_string (one, CU_JSON_COMPACT);
  g_autofree char *p2 = cu_output_json_to_string (two, CU_JSON_COMPACT);

  /* sorted by bytes: "Z" < "a" < "b" < "c" < "é"; nothing insignificant */
  g_assert_cmpstr (c1, ==, "{\"Z\":\"Z\",\"a\":[true,null,\"s p\",1.23],\"b\":\"b\",\"c\":{\"x\":1,\"y\":2},\"é\":\"é\"}");
  g_assert_cmpstr (c1, ==, c2);
  /* the other styles keep the order the document was built in */
  g_assert_cmpstr (p1, !=, p2);
  g_assert_true (g_str_has_prefix (p1, "{\"b\":\"b\",\"a\":"));
}

static void
test_json_pretty (void)
{
  g_autoptr(JsonNode) doc = build_document (FALSE);
  g_autofree char *pretty = cu_output_json_to_string (doc, CU_JSON_PRETTY);

  /* containers of scalars on one line, others indented by two spaces */
  g_assert_cmpstr (pretty, ==,
                   "{\n"
                   "  \"b\": \"b\",\n"
                   "  \"a\": [true, null, \"s p\", 1.23],\n"
                   "  \"é\": \"é\",\n"
                   "  \"Z\": \"Z\",\n"
                   "  \"c\": {\"x\": 1, \"y\": 2}\n"
                   "}");
}

static void
test_json_money_exact (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4180);

  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *json = NULL;

    json_builder_begin_array (b);
    cu_output_json_add_money (b, 12300000, 2);      /* 12.30 */
    cu_output_json_add_money (b, 100000, 2);        /* 0.10 */
    cu_output_json_add_money (b, 300000, 2);        /* 0.1 + 0.2 */
    cu_output_json_add_money (b, -5005000, 2);      /* -5.005 rounds away from zero */
    cu_output_json_add_money (b, 0, 2);
    cu_output_json_add_money (b, -4000, 2);         /* -0.004: no "-0" */
    cu_output_json_add_money (b, G_GINT64_CONSTANT (987654321012345678), 2);
    cu_output_json_add_money (b, 1234567, 6);
    json_builder_end_array (b);
    root = json_builder_get_root (b);
    json = cu_output_json_to_string (root, CU_JSON_COMPACT);
    g_assert_cmpstr (json, ==, "[12.3,0.1,0.3,-5.01,0,0,987654321012.35,1.234567]");
  }

  /* every amount prints as its exact cents, never 12.300000000000001 */
  for (guint i = 0; i < 100000; i++)
    {
      gint64 micros = (gint64) g_rand_int_range (rand, -1000000, 1000000) * 1000003
                      + g_rand_int_range (rand, 0, 1000000);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *json = NULL;
      g_autofree char *cents = cu_money_format_plain (micros, 2);
      g_autofree char *expected = NULL;
      char *end;

      /* the expected text: the cents without trailing zeros */
      expected = g_strdup (cents);
      end = expected + strlen (expected) - 1;
      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
      if (g_str_equal (expected, "-0"))
        expected[0] = '0', expected[1] = '\0';

      json_builder_begin_array (b);
      cu_output_json_add_money (b, micros, 2);
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      json = cu_output_json_to_string (root, CU_JSON_COMPACT);
      json[strlen (json) - 1] = '\0';
      g_assert_cmpstr (json + 1, ==, expected);
    }
}

static void
test_json_numbers (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GString) d = g_string_new (NULL);

  json_builder_begin_array (b);
  json_builder_add_double_value (b, 0.1 + 0.2);   /* not a decimal: all digits it needs */
  json_builder_add_double_value (b, -0.0);
  json_builder_add_double_value (b, 1e300);
  json_builder_add_double_value (b, NAN);          /* JSON has no NaN */
  json_builder_add_double_value (b, INFINITY);
  json_builder_add_int_value (b, G_MININT64);
  cu_output_json_add_rounded (b, 0.21024999, 4);
  cu_output_json_add_rounded (b, NAN, 1);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json = cu_output_json_to_string (root, CU_JSON_COMPACT);
  g_assert_cmpstr (json, ==, "[0.30000000000000004,0,1e+300,null,null,-9223372036854775808,0.2102,null]");

  cu_output_append_double (d, 2.5e-7);
  g_assert_cmpstr (d->str, ==, "2.5e-07");
}

/* ------------------------------------------------------------ tables */

static void
test_display_width (void)
{
  g_assert_cmpuint (cu_output_display_width (""), ==, 0);
  g_assert_cmpuint (cu_output_display_width ("abc"), ==, 3);
  g_assert_cmpuint (cu_output_display_width ("日本語"), ==, 6);
  g_assert_cmpuint (cu_output_display_width ("e\xcc\x81"), ==, 1);       /* e + combining acute */
  g_assert_cmpuint (cu_output_display_width ("\xef\xbc\xa1"), ==, 2);   /* fullwidth A */
}

/* the display columns before @cell in @line */
static guint
width_before (const char *line,
              const char *cell)
{
  const char *p = strstr (line, cell);
  g_autofree char *prefix = NULL;

  g_assert_nonnull (p);
  prefix = g_strndup (line, p - line);
  return cu_output_display_width (prefix);
}

static void
test_table_alignment (void)
{
  g_autoptr(CuTable) t = cu_table_new (4);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *rows[][4] = {
    { "2026-11", "日本語サービス", "12.30", "USD" },
    { "2026-11", "Cafe\xcc\x81", "1234567.89", "EUR" },
    { "2026-12", "plain", "0.00", NULL },
  };
  g_auto(GStrv) lines = NULL;

  cu_table_set_column (t, 0, "Period", CU_TABLE_ALIGN_LEFT, 8, 8);
  cu_table_set_column (t, 1, "Group", CU_TABLE_ALIGN_LEFT, 0, 0);
  cu_table_set_column (t, 2, "Amount", CU_TABLE_ALIGN_RIGHT, 12, 0);
  cu_table_set_column (t, 3, "Currency", CU_TABLE_ALIGN_LEFT, 0, 0);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    cu_table_add_row (t, rows[i]);
  cu_table_append (t, out);

  lines = g_strsplit (out->str, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[4], ==, "");
  /* the group column is as wide as 日本語サービス (14 columns) */
  g_assert_cmpstr (lines[0], ==, "Period    Group                 Amount  Currency");
  g_assert_cmpstr (lines[1], ==, "2026-11   日本語サービス         12.30  USD");
  g_assert_cmpstr (lines[2], ==, "2026-11   Cafe\xcc\x81              1234567.89  EUR");
  /* an empty last cell leaves no trailing blanks beyond the padding of the others */
  g_assert_cmpstr (lines[3], ==, "2026-12   plain                   0.00  ");
  /* on screen: left columns start, right columns end, at one column */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_assert_cmpuint (width_before (lines[i + 1], rows[i][1]), ==, width_before (lines[0], "Group"));
      g_assert_cmpuint (width_before (lines[i + 1], rows[i][2]) + cu_output_display_width (rows[i][2]), ==,
                        width_before (lines[0], "Amount") + strlen ("Amount"));
      if (rows[i][3] != NULL)
        g_assert_cmpuint (width_before (lines[i + 1], rows[i][3]), ==, width_before (lines[0], "Currency"));
    }
}

static void
test_table_limits (void)
{
  g_autoptr(CuTable) t = cu_table_new (2);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *r1[] = { "a very long group name", "1" };
  const char *r2[] = { "tab\there\nnewline", "2" };

  /* capped at 6: the long cell overflows its own line only */
  cu_table_set_column (t, 0, "G", CU_TABLE_ALIGN_LEFT, 0, 6);
  cu_table_set_column (t, 1, "N", CU_TABLE_ALIGN_RIGHT, 3, 3);
  cu_table_add_row (t, r1);
  cu_table_add_row (t, r2);
  cu_table_append (t, out);
  g_assert_cmpstr (out->str, ==,
                   "G         N\n"
                   "a very long group name    1\n"
                   "tab here newline    2\n");
}

static void
test_format_names (void)
{
  CuOutputFormat f = CU_OUTPUT_FORMAT_TABLE;

  g_assert_true (cu_output_format_parse ("json", &f));
  g_assert_cmpint (f, ==, CU_OUTPUT_FORMAT_JSON);
  g_assert_true (cu_output_format_parse ("csv", &f));
  g_assert_cmpint (f, ==, CU_OUTPUT_FORMAT_CSV);
  g_assert_false (cu_output_format_parse ("JSON", &f));
  g_assert_false (cu_output_format_parse ("", &f));
  g_assert_false (cu_output_format_parse (NULL, &f));
  g_assert_cmpint (f, ==, CU_OUTPUT_FORMAT_CSV);
  g_assert_cmpstr (cu_output_format_to_string (CU_OUTPUT_FORMAT_TABLE), ==, "table");
}

/* ------------------------------------------------------------ cost report */

static GPtrArray *
make_cells (void)
{
  static const struct { const char *period, *group; gint64 billed, effective; } rows[] = {
    { "2026-11", "", 12300000, 12295000 },
    { "2026-11", "team \"a\", b", 1005000, -4999 },   /* rounds to 0.00, not -0.00 */
    { "2026-11", "日本語", 100000000000, 99999994999 },
  };
  GPtrArray *cells = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_cost_cell_free);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      CuCostCell *c = g_new0 (CuCostCell, 1);

      c->period = g_strdup (rows[i].period);
      c->group = g_strdup (rows[i].group);
      c->billed = rows[i].billed;
      c->effective = rows[i].effective;
      c->currency = g_strdup ("USD");
      g_ptr_array_add (cells, c);
    }
  return cells;
}

static void
test_cost_report (void)
{
  g_autoptr(GPtrArray) cells = make_cells ();
  g_autofree char *csv = cu_cost_cells_render (cells, CU_OUTPUT_FORMAT_CSV);
  g_autofree char *json = cu_cost_cells_render (cells, CU_OUTPUT_FORMAT_JSON);
  g_autofree char *table = cu_cost_cells_render (cells, CU_OUTPUT_FORMAT_TABLE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  /* the documented CSV of `cumulus-cli costs`; no group is an empty field */
  g_assert_cmpstr (csv, ==,
                   "period,group,billed_cost,effective_cost,currency\n"
                   "2026-11,,12.30,12.30,USD\n"
                   "2026-11,\"team \"\"a\"\", b\",1.01,0.00,USD\n"
                   "2026-11,日本語,100000.00,99999.99,USD\n");

  g_assert_cmpstr (json, ==,
                   "[\n"
                   "  {\"period\": \"2026-11\", \"group\": \"\", \"billed_cost\": 12.3, \"effective_cost\": 12.3, \"currency\": \"USD\"},\n"
                   "  {\"period\": \"2026-11\", \"group\": \"team \\\"a\\\", b\", \"billed_cost\": 1.01, \"effective_cost\": 0, \"currency\": \"USD\"},\n"
                   "  {\"period\": \"2026-11\", \"group\": \"日本語\", \"billed_cost\": 100000, \"effective_cost\": 99999.99, \"currency\": \"USD\"}\n"
                   "]\n");
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "group"), ==, "team \"a\", b");

  /* Period 21 wide, Group as its widest cell (11), amounts 16, right-aligned */
  g_assert_true (g_str_has_prefix (table, "Period                 Group             Billed cost    Effective cost  Currency\n"));
  g_assert_nonnull (strstr (table, "\n2026-11                日本語              100000.00          99999.99  USD\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/output/csv/fields", test_csv_fields);
  g_test_add_func ("/output/csv/null-and-empty", test_csv_null_and_empty);
  g_test_add_func ("/output/csv/rows", test_csv_rows);
  g_test_add_func ("/output/csv/invalid-utf8", test_csv_invalid_utf8);
  g_test_add_func ("/output/json/control-characters", test_json_control_characters);
  g_test_add_func ("/output/json/line-separators", test_json_line_separators);
  g_test_add_func ("/output/json/invalid-utf8", test_json_invalid_utf8);
  g_test_add_func ("/output/json/canonical", test_json_canonical);
  g_test_add_func ("/output/json/pretty", test_json_pretty);
  g_test_add_func ("/output/json/money-exact", test_json_money_exact);
  g_test_add_func ("/output/json/numbers", test_json_numbers);
  g_test_add_func ("/output/table/display-width", test_display_width);
  g_test_add_func ("/output/table/alignment", test_table_alignment);
  g_test_add_func ("/output/table/limits", test_table_limits);
  g_test_add_func ("/output/format-names", test_format_names);
  g_test_add_func ("/output/cost-report", test_cost_report);
  return g_test_run ();
}
