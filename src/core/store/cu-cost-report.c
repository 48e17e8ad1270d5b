/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cost-report.c — a cost query result as a table, CSV or JSON */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-cost-report.h"
#include "util/cu-money.h"

static void
append_csv (GString   *out,
            GPtrArray *cells)
{
  static const char * const header[] = { "period", "group", "billed_cost", "effective_cost", "currency" };

  cu_output_csv_row (out, G_N_ELEMENTS (header), header);
  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = g_ptr_array_index (cells, i);
      g_autofree char *billed = cu_money_format_plain (c->billed, 2);
      g_autofree char *effective = cu_money_format_plain (c->effective, 2);
      /* an ungrouped cell has no group: an empty field, not a quoted "" */
      const char *fields[] = { c->period, *c->group ? c->group : NULL, billed, effective, c->currency };

      cu_output_csv_row (out, G_N_ELEMENTS (fields), fields);
    }
}

static void
append_json (GString   *out,
             GPtrArray *cells)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = g_ptr_array_index (cells, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "period");
      json_builder_add_string_value (b, c->period);
      json_builder_set_member_name (b, "group");
      json_builder_add_string_value (b, c->group);
      json_builder_set_member_name (b, "billed_cost");
      cu_output_json_add_money (b, c->billed, 2);
      json_builder_set_member_name (b, "effective_cost");
      cu_output_json_add_money (b, c->effective, 2);
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, c->currency);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  cu_output_json_append (out, root, CU_JSON_PRETTY);
  g_string_append_c (out, '\n');
}

static void
append_table (GString   *out,
              GPtrArray *cells)
{
  g_autoptr(CuTable) t = cu_table_new (5);

  /* a period is at most "YYYY-MM-DD/YYYY-MM-DD"; long groups overflow */
  cu_table_set_column (t, 0, "Period", CU_TABLE_ALIGN_LEFT, 21, 21);
  cu_table_set_column (t, 1, "Group", CU_TABLE_ALIGN_LEFT, 0, 48);
  cu_table_set_column (t, 2, "Billed cost", CU_TABLE_ALIGN_RIGHT, 16, 16);
  cu_table_set_column (t, 3, "Effective cost", CU_TABLE_ALIGN_RIGHT, 16, 16);
  cu_table_set_column (t, 4, "Currency", CU_TABLE_ALIGN_LEFT, 0, 0);
  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = g_ptr_array_index (cells, i);
      g_autofree char *billed = cu_money_format_plain (c->billed, 2);
      g_autofree char *effective = cu_money_format_plain (c->effective, 2);
      const char *row[] = { c->period, c->group, billed, effective, c->currency };

      cu_table_add_row (t, row);
    }
  cu_table_append (t, out);
}

/**
 * cu_cost_cells_append:
 * @cells: (element-type CuCostCell): cells of cu_ledger_query_costs()
 *
 * Appends the cells in @format to @out; every format ends with a newline.
 */
void
cu_cost_cells_append (GString        *out,
                      GPtrArray      *cells,
                      CuOutputFormat  format)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (cells != NULL);

  switch (format)
    {
    case CU_OUTPUT_FORMAT_CSV:
      append_csv (out, cells);
      break;
    case CU_OUTPUT_FORMAT_JSON:
      append_json (out, cells);
      break;
    case CU_OUTPUT_FORMAT_TABLE:
    default:
      append_table (out, cells);
      break;
    }
}

/**
 * cu_cost_cells_render:
 * @cells: (element-type CuCostCell): cells of cu_ledger_query_costs()
 *
 * Returns: (transfer full): the cells in @format
 */
char *
cu_cost_cells_render (GPtrArray      *cells,
                      CuOutputFormat  format)
{
  GString *out = g_string_new (NULL);

  cu_cost_cells_append (out, cells, format);
  return g_string_free (out, FALSE);
}
