/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cost-pivot.c — cost cells as a table of groups × periods */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-cost-pivot.h"
#include "store/cu-comparison.h"
#include "util/cu-money.h"

#include <math.h>

static void
row_free (CuPivotRow *row)
{
  g_free (row->group);
  g_free (row->currency);
  g_free (row->values);
  g_free (row);
}

static int
cmp_day (gconstpointer a, gconstpointer b)
{
  CuDay x = *(const CuDay *) a, y = *(const CuDay *) b;

  return x < y ? -1 : x > y;
}

/* column: 0 group, 1 … n periods, n+1 total, n+2 change, n+3 change_pct */
typedef struct {
  guint    column;
  guint    n_periods;
  gboolean descending;
} SortSpec;

static int
compare_rows (gconstpointer pa, gconstpointer pb, gpointer data)
{
  const SortSpec *s = data;
  const CuPivotRow *a = *(CuPivotRow * const *) pa;
  const CuPivotRow *b = *(CuPivotRow * const *) pb;
  int c = 0;

  if (s->column == 0)
    c = g_strcmp0 (a->group, b->group);
  else if (s->column <= s->n_periods)
    c = (a->values[s->column - 1] > b->values[s->column - 1]) - (a->values[s->column - 1] < b->values[s->column - 1]);
  else if (s->column == s->n_periods + 1)
    c = (a->total > b->total) - (a->total < b->total);
  else if (s->column == s->n_periods + 2)
    {
      if (a->has_change != b->has_change)
        return a->has_change ? -1 : 1;
      c = (a->change > b->change) - (a->change < b->change);
    }
  else
    {
      /* rows without a percentage go last whichever the direction */
      if (a->has_change_pct != b->has_change_pct)
        return a->has_change_pct ? -1 : 1;
      if (a->has_change_pct)
        c = (a->change_pct > b->change_pct) - (a->change_pct < b->change_pct);
    }
  if (s->descending)
    c = -c;
  if (c == 0)
    c = g_strcmp0 (a->group, b->group);
  if (c == 0)
    c = g_strcmp0 (a->currency, b->currency);
  return c;
}

/**
 * cu_cost_pivot_new:
 * @cells: (element-type CuCostCell): cells of one query
 * @granularity: the query's granularity
 * @from: the query's first day
 * @to: the query's last day
 * @data_first: the workspace's first day with data (CU_DAY_INVALID: unknown)
 * @data_last: its last day with data
 *
 * Returns: (transfer full): the pivot, rows by total, largest first
 */
CuCostPivot *
cu_cost_pivot_new (GPtrArray     *cells,
                   CuGranularity  granularity,
                   CuDay          from,
                   CuDay          to,
                   CuDay          data_first,
                   CuDay          data_last)
{
  CuCostPivot *p;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (CuDay));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) col = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) currency_total = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (cells != NULL, NULL);

  p = g_new0 (CuCostPivot, 1);
  p->granularity = granularity;
  p->from = from;
  p->to = to;
  p->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);

  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = cells->pdata[i];
      if (!g_hash_table_contains (seen, GINT_TO_POINTER (c->period_start)))
        {
          g_hash_table_add (seen, GINT_TO_POINTER (c->period_start));
          g_array_append_val (starts, c->period_start);
        }
    }
  g_array_sort (starts, cmp_day);
  p->n_periods = starts->len;
  p->periods = g_new0 (CuPivotPeriod, MAX (starts->len, 1));
  for (guint i = 0; i < starts->len; i++)
    {
      CuPivotPeriod *pp = &p->periods[i];

      pp->start = g_array_index (starts, CuDay, i);
      g_hash_table_insert (col, GINT_TO_POINTER (pp->start), GUINT_TO_POINTER (i));
      pp->partial = cu_period_is_partial (granularity, pp->start, from, to, data_first, data_last,
                                          &pp->covered_from, &pp->covered_to);
    }
  /* the labels `costs` prints: take them from the cells */
  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = cells->pdata[i];
      guint k = GPOINTER_TO_UINT (g_hash_table_lookup (col, GINT_TO_POINTER (c->period_start)));
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", c->group, c->currency);
      CuPivotRow *row = g_hash_table_lookup (rows, key);
      gint64 *ct;

      if (p->periods[k].label == NULL)
        p->periods[k].label = g_strdup (c->period);
      if (row == NULL)
        {
          row = g_new0 (CuPivotRow, 1);
          row->group = g_strdup (c->group);
          row->currency = g_strdup (c->currency);
          row->values = g_new0 (gint64, MAX (p->n_periods, 1));
          g_hash_table_insert (rows, g_steal_pointer (&key), row);
          g_ptr_array_add (p->rows, row);
        }
      row->values[k] += c->billed;
      row->total += c->billed;
      ct = g_hash_table_lookup (currency_total, c->currency);
      if (ct == NULL)
        {
          ct = g_new0 (gint64, 1);
          g_hash_table_insert (currency_total, g_strdup (c->currency), ct);
        }
      *ct += c->billed;
    }
  for (guint r = 0; r < p->rows->len; r++)
    {
      CuPivotRow *row = p->rows->pdata[r];
      gint64 *ct = g_hash_table_lookup (currency_total, row->currency);

      if (p->n_periods > 0)
        {
          gint64 first = row->values[0], last = row->values[p->n_periods - 1];
          gboolean comparable = !p->periods[0].partial && !p->periods[p->n_periods - 1].partial;

          row->change = last - first;
          row->has_change = comparable && p->n_periods > 1;
          row->has_change_pct = row->has_change && first > 0;
          if (row->has_change_pct)
            row->change_pct = ((double) last - (double) first) / (double) first * 100.0;
        }
      row->share = ct != NULL && *ct > 0 ? (double) MAX (row->total, 0) / (double) *ct : 0.0;
    }
  cu_cost_pivot_sort_by_index (p, p->n_periods + 1, TRUE);
  return p;
}

/**
 * cu_cost_pivot_set_baseline:
 * @cells: (element-type CuCostCell): totals of the comparison period
 *   (cu_comparison_compute()), one per group and currency
 * @comparable: %FALSE when the data covers the comparison period only in
 *   part: the change is then given in money without a percentage
 *
 * Makes "change" each row's total against its total in @cells instead of
 * the last period against the first: what a one-period table compares.
 */
void
cu_cost_pivot_set_baseline (CuCostPivot *pivot,
                            GPtrArray   *cells,
                            gboolean     comparable)
{
  g_autoptr(GHashTable) base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_if_fail (pivot != NULL);
  g_return_if_fail (cells != NULL);

  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = cells->pdata[i];
      char *key = g_strdup_printf ("%s\x1f%s", c->group, c->currency);
      gint64 *v = g_hash_table_lookup (base, key);

      if (v == NULL)
        {
          v = g_new0 (gint64, 1);
          g_hash_table_insert (base, key, v);
        }
      else
        g_free (key);
      *v += c->billed;
    }
  for (guint r = 0; r < pivot->rows->len; r++)
    {
      CuPivotRow *row = pivot->rows->pdata[r];
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", row->group, row->currency);
      gint64 *v = g_hash_table_lookup (base, key);
      gint64 before = v ? *v : 0;

      row->change = row->total - before;
      row->has_change = TRUE;
      row->has_change_pct = comparable && before > 0;
      row->change_pct = row->has_change_pct ? ((double) row->total - (double) before) / (double) before * 100.0 : 0.0;
    }
}

void
cu_cost_pivot_free (CuCostPivot *pivot)
{
  if (pivot == NULL)
    return;
  for (guint i = 0; i < pivot->n_periods; i++)
    g_free (pivot->periods[i].label);
  g_free (pivot->periods);
  g_ptr_array_unref (pivot->rows);
  g_free (pivot);
}

/**
 * cu_cost_pivot_sort_by_index:
 * @column: 0 group, 1 … n_periods a period, then total, change, change_pct
 *
 * Sorts the rows; ties by group, then currency.
 */
void
cu_cost_pivot_sort_by_index (CuCostPivot *pivot,
                             guint        column,
                             gboolean     descending)
{
  SortSpec s = { column, 0, descending };

  g_return_if_fail (pivot != NULL);
  s.n_periods = pivot->n_periods;
  g_ptr_array_sort_with_data (pivot->rows, compare_rows, &s);
}

/**
 * cu_cost_pivot_sort:
 * @column: a CSV header name: "group", a period label, "total", "change"
 *   or "change_pct"
 *
 * Returns: %FALSE when no column has that name
 */
gboolean
cu_cost_pivot_sort (CuCostPivot *pivot,
                    const char  *column,
                    gboolean     descending)
{
  g_return_val_if_fail (pivot != NULL, FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  if (g_str_equal (column, "group"))
    return cu_cost_pivot_sort_by_index (pivot, 0, descending), TRUE;
  for (guint i = 0; i < pivot->n_periods; i++)
    if (g_strcmp0 (pivot->periods[i].label, column) == 0)
      return cu_cost_pivot_sort_by_index (pivot, i + 1, descending), TRUE;
  if (g_str_equal (column, "total"))
    return cu_cost_pivot_sort_by_index (pivot, pivot->n_periods + 1, descending), TRUE;
  if (g_str_equal (column, "change"))
    return cu_cost_pivot_sort_by_index (pivot, pivot->n_periods + 2, descending), TRUE;
  if (g_str_equal (column, "change_pct"))
    return cu_cost_pivot_sort_by_index (pivot, pivot->n_periods + 3, descending), TRUE;
  return FALSE;
}

static char *
pct_text (const CuPivotRow *row)
{
  /* one decimal, no sign for zero: what a spreadsheet reads as a number */
  return row->has_change_pct ? g_strdup_printf ("%.1f", round (row->change_pct * 10.0) / 10.0 + 0.0) : NULL;
}

static void
append_csv (CuCostPivot *p, GString *out)
{
  g_autoptr(GPtrArray) f = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (f, g_strdup ("group"));
  for (guint i = 0; i < p->n_periods; i++)
    g_ptr_array_add (f, g_strdup (p->periods[i].label));
  g_ptr_array_add (f, g_strdup ("total"));
  g_ptr_array_add (f, g_strdup ("change"));
  g_ptr_array_add (f, g_strdup ("change_pct"));
  g_ptr_array_add (f, g_strdup ("currency"));
  cu_output_csv_row (out, f->len, (const char * const *) f->pdata);
  for (guint r = 0; r < p->rows->len; r++)
    {
      CuPivotRow *row = p->rows->pdata[r];

      g_ptr_array_set_size (f, 0);
      /* an ungrouped row has no group: an empty field, as in `costs` */
      g_ptr_array_add (f, *row->group ? g_strdup (row->group) : NULL);
      for (guint i = 0; i < p->n_periods; i++)
        g_ptr_array_add (f, cu_money_format_plain (row->values[i], 2));
      g_ptr_array_add (f, cu_money_format_plain (row->total, 2));
      g_ptr_array_add (f, row->has_change ? cu_money_format_plain (row->change, 2) : NULL);
      g_ptr_array_add (f, pct_text (row));
      g_ptr_array_add (f, g_strdup (row->currency));
      cu_output_csv_row (out, f->len, (const char * const *) f->pdata);
    }
}

static void
append_json (CuCostPivot *p, GString *out)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "periods");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->n_periods; i++)
    {
      char a[11], z[11];

      cu_day_format (p->periods[i].covered_from, a);
      cu_day_format (p->periods[i].covered_to, z);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "period");
      json_builder_add_string_value (b, p->periods[i].label);
      json_builder_set_member_name (b, "partial");
      json_builder_add_boolean_value (b, p->periods[i].partial);
      json_builder_set_member_name (b, "covered_from");
      json_builder_add_string_value (b, a);
      json_builder_set_member_name (b, "covered_to");
      json_builder_add_string_value (b, z);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint r = 0; r < p->rows->len; r++)
    {
      CuPivotRow *row = p->rows->pdata[r];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "group");
      json_builder_add_string_value (b, row->group);
      json_builder_set_member_name (b, "values");
      json_builder_begin_array (b);
      for (guint i = 0; i < p->n_periods; i++)
        cu_output_json_add_money (b, row->values[i], 2);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "total");
      cu_output_json_add_money (b, row->total, 2);
      json_builder_set_member_name (b, "change");
      if (row->has_change)
        cu_output_json_add_money (b, row->change, 2);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "change_pct");
      if (row->has_change_pct)
        cu_output_json_add_rounded (b, row->change_pct, 1);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, row->currency);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  cu_output_json_append (out, root, CU_JSON_PRETTY);
  g_string_append_c (out, '\n');
}

static void
append_table (CuCostPivot *p, GString *out)
{
  guint n = p->n_periods + 5;
  g_autoptr(CuTable) t = cu_table_new (n);
  g_autoptr(GPtrArray) f = g_ptr_array_new_with_free_func (g_free);

  cu_table_set_column (t, 0, "Group", CU_TABLE_ALIGN_LEFT, 0, 40);
  for (guint i = 0; i < p->n_periods; i++)
    {
      /* a partial period says so in its title: "2026-12*" */
      g_autofree char *title = g_strdup_printf ("%s%s", p->periods[i].label, p->periods[i].partial ? "*" : "");
      cu_table_set_column (t, i + 1, title, CU_TABLE_ALIGN_RIGHT, 0, 0);
    }
  cu_table_set_column (t, p->n_periods + 1, "Total", CU_TABLE_ALIGN_RIGHT, 0, 0);
  cu_table_set_column (t, p->n_periods + 2, "Change", CU_TABLE_ALIGN_RIGHT, 0, 0);
  cu_table_set_column (t, p->n_periods + 3, "Change %", CU_TABLE_ALIGN_RIGHT, 0, 0);
  cu_table_set_column (t, p->n_periods + 4, "Currency", CU_TABLE_ALIGN_LEFT, 0, 0);
  for (guint r = 0; r < p->rows->len; r++)
    {
      CuPivotRow *row = p->rows->pdata[r];
      char *pct;

      g_ptr_array_set_size (f, 0);
      g_ptr_array_add (f, g_strdup (row->group));
      for (guint i = 0; i < p->n_periods; i++)
        g_ptr_array_add (f, cu_money_format_plain (row->values[i], 2));
      g_ptr_array_add (f, cu_money_format_plain (row->total, 2));
      g_ptr_array_add (f, row->has_change ? cu_money_format_plain (row->change, 2) : g_strdup ("–"));
      pct = pct_text (row);
      g_ptr_array_add (f, pct ? pct : g_strdup ("–"));
      g_ptr_array_add (f, g_strdup (row->currency));
      cu_table_add_row (t, (const char * const *) f->pdata);
    }
  cu_table_append (t, out);
  for (guint i = 0; i < p->n_periods; i++)
    if (p->periods[i].partial)
      {
        g_string_append (out, "* partial: the range or the data covers only part of the period; "
                              "no change between a partial and a whole period\n");
        break;
      }
}

/**
 * cu_cost_pivot_append:
 *
 * Appends the pivot in @format to @out; every format ends with a newline.
 * CSV header: group,<period>…,total,change,change_pct,currency.
 */
void
cu_cost_pivot_append (CuCostPivot    *pivot,
                      GString        *out,
                      CuOutputFormat  format)
{
  g_return_if_fail (pivot != NULL);
  g_return_if_fail (out != NULL);

  switch (format)
    {
    case CU_OUTPUT_FORMAT_CSV:
      append_csv (pivot, out);
      break;
    case CU_OUTPUT_FORMAT_JSON:
      append_json (pivot, out);
      break;
    case CU_OUTPUT_FORMAT_TABLE:
    default:
      append_table (pivot, out);
      break;
    }
}
