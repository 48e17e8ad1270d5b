/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-comparison.c — which period a range of costs is compared with */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-comparison.h"
#include "util/cu-money.h"

#include <math.h>

static CuDay
quarter_start (CuDay d)
{
  int y, m;

  cu_day_to_ymd (d, &y, &m, NULL);
  return cu_day_from_ymd (y, ((m - 1) / 3) * 3 + 1, 1);
}

static CuDay
year_start (CuDay d)
{
  int y;

  cu_day_to_ymd (d, &y, NULL, NULL);
  return cu_day_from_ymd (y, 1, 1);
}

static int
months_of (CuPeriodKind kind)
{
  switch (kind)
    {
    case CU_PERIOD_KIND_MONTH: return 1;
    case CU_PERIOD_KIND_QUARTER: return 3;
    case CU_PERIOD_KIND_YEAR: return 12;
    case CU_PERIOD_KIND_AUTO:
    case CU_PERIOD_KIND_RANGE:
    default: return 0;
    }
}

static CuDay
kind_start (CuPeriodKind kind, CuDay d)
{
  switch (kind)
    {
    case CU_PERIOD_KIND_MONTH: return cu_day_month_start (d);
    case CU_PERIOD_KIND_QUARTER: return quarter_start (d);
    case CU_PERIOD_KIND_YEAR: return year_start (d);
    case CU_PERIOD_KIND_AUTO:
    case CU_PERIOD_KIND_RANGE:
    default: return d;
    }
}

/* A period of @kind starting on @start, or the range itself */
static CuDay
kind_end (CuPeriodKind kind, CuDay start)
{
  int n = months_of (kind);

  return n == 0 ? start : cu_day_add_months (start, n) - 1;
}

static CuPeriodKind
detect (CuDay from, CuDay to)
{
  static const CuPeriodKind largest_first[] = { CU_PERIOD_KIND_YEAR, CU_PERIOD_KIND_QUARTER, CU_PERIOD_KIND_MONTH };

  for (guint i = 0; i < G_N_ELEMENTS (largest_first); i++)
    if (kind_start (largest_first[i], from) == from && kind_end (largest_first[i], from) == to)
      return largest_first[i];
  /* a month to date: the 1st of a month up to a day of that month */
  if (cu_day_month_start (from) == from && cu_day_month_start (to) == from)
    return CU_PERIOD_KIND_MONTH;
  return CU_PERIOD_KIND_RANGE;
}

/**
 * cu_comparison_compute:
 * @kind: the kind of period @from … @to is, or %CU_PERIOD_KIND_AUTO: a
 *   whole calendar year, quarter or month (largest first) or a month to
 *   date is taken as such, anything else as a range
 * @from: first day
 * @to: last day, inclusive
 * @out: (out caller-allocates): the periods to compare with
 *
 * A calendar kind needs @from on the first day of its period and @to within
 * it; when it is not, the range is compared as a range.
 *
 * Returns: %FALSE when the dates are not valid (@to before @from, or a
 *   comparison period outside the days a CuDay holds)
 */
gboolean
cu_comparison_compute (CuPeriodKind  kind,
                       CuDay         from,
                       CuDay         to,
                       CuComparison *out)
{
  int n;

  g_return_val_if_fail (out != NULL, FALSE);

  if (from == CU_DAY_INVALID || to == CU_DAY_INVALID || to < from ||
      from < CU_DAY_MIN + 800 || to > CU_DAY_MAX)
    return FALSE;
  if (kind == CU_PERIOD_KIND_AUTO)
    kind = detect (from, to);
  if (kind != CU_PERIOD_KIND_RANGE &&
      (kind_start (kind, from) != from || to > kind_end (kind, from)))
    kind = CU_PERIOD_KIND_RANGE;

  out->kind = kind;
  out->from = from;
  out->to = to;
  n = months_of (kind);
  if (n == 0)
    {
      CuDay len = to - from + 1;

      out->period_from = from;
      out->period_to = to;
      out->partial = FALSE;
      out->previous_from = from - len;
      out->previous_to = from - 1;
      out->like_from = out->previous_from;
      out->like_to = out->previous_to;
      out->year_from = CU_DAY_INVALID;
      out->year_to = CU_DAY_INVALID;
      return TRUE;
    }

  out->period_from = from;
  out->period_to = kind_end (kind, from);
  out->partial = to < out->period_to;
  out->previous_from = cu_day_add_months (from, -n);
  out->previous_to = from - 1;
  /* same offset into the previous period, clamped to its end: 1–31 Mar to
   * date against 1–29 Feb, not into March */
  out->like_from = out->previous_from;
  out->like_to = MIN (out->previous_from + (to - from), out->previous_to);
  if (!out->partial)
    out->like_to = out->previous_to;
  out->year_from = cu_day_add_months (from, -12);
  /* a whole period a year earlier is that whole period (29 Feb has no twin;
   * 1–28 Feb 2027 is February's whole), a partial one its same days */
  out->year_to = out->partial ? MIN (cu_day_add_months (to, -12), kind_end (kind, out->year_from))
                              : kind_end (kind, out->year_from);
  return out->previous_from != CU_DAY_INVALID && out->year_from != CU_DAY_INVALID;
}

/**
 * cu_comparison_describe:
 *
 * Names the comparison in words for people and CSV: "previous month",
 * "previous quarter, same days", "the 30 days before".
 *
 * Returns: (transfer full): the description
 */
char *
cu_comparison_describe (const CuComparison *cmp)
{
  const char *what;

  g_return_val_if_fail (cmp != NULL, NULL);

  switch (cmp->kind)
    {
    case CU_PERIOD_KIND_MONTH: what = "previous month"; break;
    case CU_PERIOD_KIND_QUARTER: what = "previous quarter"; break;
    case CU_PERIOD_KIND_YEAR: what = "previous year"; break;
    case CU_PERIOD_KIND_AUTO:
    case CU_PERIOD_KIND_RANGE:
    default:
      {
        int len = cmp->to - cmp->from + 1;
        return len == 1 ? g_strdup ("the day before") : g_strdup_printf ("the %d days before", len);
      }
    }
  return cmp->partial ? g_strdup_printf ("%s, same days", what) : g_strdup (what);
}

/**
 * cu_period_kind_parse:
 * @text: "auto", "range", "month", "quarter" or "year"
 */
gboolean
cu_period_kind_parse (const char   *text,
                      CuPeriodKind *kind)
{
  static const char * const names[] = { "auto", "range", "month", "quarter", "year" };

  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *kind = (CuPeriodKind) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * cu_period_end:
 * @start: a cell's period_start
 * @from: the query's first day (a cell never starts before it)
 * @to: the query's last day
 *
 * Returns: the last day of the calendar period that starts on @start
 *   (Sunday for a week, the month's last day), not clipped to @to
 */
CuDay
cu_period_end (CuGranularity granularity,
               CuDay         start,
               CuDay         from,
               CuDay         to)
{
  switch (granularity)
    {
    case CU_GRANULARITY_DAY: return start;
    case CU_GRANULARITY_WEEK: return cu_day_week_start (start) + 6;
    case CU_GRANULARITY_MONTH: return cu_day_month_end (start);
    case CU_GRANULARITY_TOTAL:
    default:
      (void) from;
      return to;
    }
}

/**
 * cu_period_is_partial:
 * @start: the period's start as a cost cell gives it (its first day, or
 *   the query's @from when the range starts inside it)
 * @from: the query's first day
 * @to: the query's last day
 * @data_first: the first day with data in the workspace (CU_DAY_INVALID: none)
 * @data_last: the last day with data
 * @covered_from: (out) (optional): the first day of the period both the
 *   range and the data cover
 * @covered_to: (out) (optional): the last such day
 *
 * Returns: %TRUE when the range or the data covers the calendar week or
 *   month only in part (a day is never partial)
 */
gboolean
cu_period_is_partial (CuGranularity granularity,
                      CuDay         start,
                      CuDay         from,
                      CuDay         to,
                      CuDay         data_first,
                      CuDay         data_last,
                      CuDay        *covered_from,
                      CuDay        *covered_to)
{
  CuDay first, last, a, b;

  switch (granularity)
    {
    case CU_GRANULARITY_WEEK: first = cu_day_week_start (start); break;
    case CU_GRANULARITY_MONTH: first = cu_day_month_start (start); break;
    case CU_GRANULARITY_DAY:
    case CU_GRANULARITY_TOTAL:
    default: first = start; break;
    }
  last = cu_period_end (granularity, start, from, to);
  a = first;
  b = last;
  if (granularity != CU_GRANULARITY_TOTAL)
    {
      a = MAX (a, from);
      b = MIN (b, to);
    }
  if (data_first != CU_DAY_INVALID && data_last != CU_DAY_INVALID)
    {
      a = MAX (a, data_first);
      b = MIN (b, data_last);
    }
  if (covered_from)
    *covered_from = a;
  if (covered_to)
    *covered_to = b;
  return a != first || b != last;
}

/* ---- the comparison as a report ---- */

static void
comparison_row_free (CuComparisonRow *row)
{
  g_free (row->group);
  g_free (row->currency);
  g_free (row);
}

static int
compare_comparison_rows (gconstpointer pa, gconstpointer pb)
{
  const CuComparisonRow *a = *(CuComparisonRow * const *) pa;
  const CuComparisonRow *b = *(CuComparisonRow * const *) pb;
  int c;

  if (a->current != b->current)
    return a->current > b->current ? -1 : 1;
  if (a->previous != b->previous)
    return a->previous > b->previous ? -1 : 1;
  c = g_strcmp0 (a->group, b->group);
  return c ? c : g_strcmp0 (a->currency, b->currency);
}

/* adds one query's totals into the rows, into the member at @offset */
static gboolean
add_range (CuLedger          *ledger,
           const CuCostQuery *query,
           CuDay              from,
           CuDay              to,
           gsize              offset,
           GHashTable        *by_key,
           GPtrArray         *rows,
           GError           **error)
{
  CuCostQuery q = *query;
  g_autoptr(GPtrArray) cells = NULL;

  q.from = from;
  q.to = to;
  q.granularity = CU_GRANULARITY_TOTAL;
  cells = cu_ledger_query_costs (ledger, &q, error);
  if (cells == NULL)
    return FALSE;
  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = cells->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", c->group, c->currency);
      CuComparisonRow *row = g_hash_table_lookup (by_key, key);

      if (row == NULL)
        {
          row = g_new0 (CuComparisonRow, 1);
          row->group = g_strdup (c->group);
          row->currency = g_strdup (c->currency);
          g_hash_table_insert (by_key, g_steal_pointer (&key), row);
          g_ptr_array_add (rows, row);
        }
      *(gint64 *) ((char *) row + offset) += c->billed;
    }
  return TRUE;
}

/**
 * cu_ledger_compare_costs:
 * @query: the range (from and to must be set), group and filter; its
 *   granularity is ignored
 * @kind: what the range is, or %CU_PERIOD_KIND_AUTO
 *
 * Returns: (transfer full): the totals of the range and of its comparison
 *   periods (cu_comparison_compute()), or %NULL with @error
 */
CuCostComparison *
cu_ledger_compare_costs (CuLedger          *ledger,
                         const CuCostQuery *query,
                         CuPeriodKind       kind,
                         GError           **error)
{
  g_autoptr(CuCostComparison) cmp = g_new0 (CuCostComparison, 1);
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (ledger != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  cmp->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) comparison_row_free);
  if (!cu_comparison_compute (kind, query->from, query->to, &cmp->periods))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "The range has no period to compare it with");
      return NULL;
    }
  if (!add_range (ledger, query, query->from, query->to, G_STRUCT_OFFSET (CuComparisonRow, current), by_key, cmp->rows, error) ||
      !add_range (ledger, query, cmp->periods.like_from, cmp->periods.like_to, G_STRUCT_OFFSET (CuComparisonRow, previous), by_key, cmp->rows, error))
    return NULL;
  if (cmp->periods.year_from != CU_DAY_INVALID &&
      !add_range (ledger, query, cmp->periods.year_from, cmp->periods.year_to, G_STRUCT_OFFSET (CuComparisonRow, year), by_key, cmp->rows, error))
    return NULL;
  g_ptr_array_sort (cmp->rows, compare_comparison_rows);
  return g_steal_pointer (&cmp);
}

void
cu_cost_comparison_free (CuCostComparison *cmp)
{
  if (cmp == NULL)
    return;
  g_clear_pointer (&cmp->rows, g_ptr_array_unref);
  g_free (cmp);
}

static char *
range_text (CuDay from, CuDay to)
{
  char a[11], b[11];

  if (from == CU_DAY_INVALID)
    return NULL;
  cu_day_format (from, a);
  cu_day_format (to, b);
  return g_strdup_printf ("%s/%s", a, b);
}

static char *
change_pct_text (gint64 now, gint64 before)
{
  if (before <= 0)
    return NULL;
  return g_strdup_printf ("%.1f", round (((double) now - (double) before) / (double) before * 1000.0) / 10.0 + 0.0);
}

/**
 * cu_cost_comparison_append:
 *
 * Appends @cmp in @format to @out. CSV columns: group,period,billed_cost,
 * comparison,comparison_period,comparison_cost,change,change_pct,
 * year_earlier_period,year_earlier_cost,year_change_pct,currency.
 */
void
cu_cost_comparison_append (CuCostComparison *cmp,
                           GString          *out,
                           CuOutputFormat    format)
{
  static const char * const header[] = {
    "group", "period", "billed_cost", "comparison", "comparison_period", "comparison_cost",
    "change", "change_pct", "year_earlier_period", "year_earlier_cost", "year_change_pct", "currency"
  };
  const CuComparison *p;
  g_autofree char *basis = NULL, *period = NULL, *cperiod = NULL, *yperiod = NULL;
  gboolean has_year;

  g_return_if_fail (cmp != NULL);
  g_return_if_fail (out != NULL);

  p = &cmp->periods;
  has_year = p->year_from != CU_DAY_INVALID;
  basis = cu_comparison_describe (p);
  period = range_text (p->from, p->to);
  cperiod = range_text (p->like_from, p->like_to);
  yperiod = range_text (p->year_from, p->year_to);

  if (format == CU_OUTPUT_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "period");
      json_builder_add_string_value (b, period);
      json_builder_set_member_name (b, "comparison");
      json_builder_add_string_value (b, basis);
      json_builder_set_member_name (b, "comparison_period");
      json_builder_add_string_value (b, cperiod);
      json_builder_set_member_name (b, "year_earlier_period");
      cu_output_json_add_string (b, yperiod);
      json_builder_set_member_name (b, "rows");
      json_builder_begin_array (b);
      for (guint i = 0; i < cmp->rows->len; i++)
        {
          CuComparisonRow *r = cmp->rows->pdata[i];
          g_autofree char *pct = change_pct_text (r->current, r->previous);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "group");
          json_builder_add_string_value (b, r->group);
          json_builder_set_member_name (b, "billed_cost");
          cu_output_json_add_money (b, r->current, 2);
          json_builder_set_member_name (b, "comparison_cost");
          cu_output_json_add_money (b, r->previous, 2);
          json_builder_set_member_name (b, "change");
          cu_output_json_add_money (b, r->current - r->previous, 2);
          json_builder_set_member_name (b, "change_pct");
          if (pct)
            cu_output_json_add_rounded (b, g_ascii_strtod (pct, NULL), 1);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "year_earlier_cost");
          if (has_year)
            cu_output_json_add_money (b, r->year, 2);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "currency");
          json_builder_add_string_value (b, r->currency);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cu_output_json_append (out, root, CU_JSON_PRETTY);
      g_string_append_c (out, '\n');
      return;
    }

  if (format == CU_OUTPUT_FORMAT_CSV)
    cu_output_csv_row (out, G_N_ELEMENTS (header), header);
  else
    g_string_append_printf (out, "%s compared with %s (%s)%s%s%s\n\n", period, cperiod, basis,
                            has_year ? " and a year earlier (" : "", has_year ? yperiod : "", has_year ? ")" : "");

  {
    g_autoptr(CuTable) t = cu_table_new (7);

    cu_table_set_column (t, 0, "Group", CU_TABLE_ALIGN_LEFT, 0, 40);
    cu_table_set_column (t, 1, "Billed cost", CU_TABLE_ALIGN_RIGHT, 12, 0);
    cu_table_set_column (t, 2, "Compared", CU_TABLE_ALIGN_RIGHT, 12, 0);
    cu_table_set_column (t, 3, "Change", CU_TABLE_ALIGN_RIGHT, 12, 0);
    cu_table_set_column (t, 4, "Change %", CU_TABLE_ALIGN_RIGHT, 0, 0);
    cu_table_set_column (t, 5, "Year earlier", CU_TABLE_ALIGN_RIGHT, 12, 0);
    cu_table_set_column (t, 6, "Currency", CU_TABLE_ALIGN_LEFT, 0, 0);
    for (guint i = 0; i < cmp->rows->len; i++)
      {
        CuComparisonRow *r = cmp->rows->pdata[i];
        g_autofree char *cur = cu_money_format_plain (r->current, 2);
        g_autofree char *prev = cu_money_format_plain (r->previous, 2);
        g_autofree char *chg = cu_money_format_plain (r->current - r->previous, 2);
        g_autofree char *pct = change_pct_text (r->current, r->previous);
        g_autofree char *yc = has_year ? cu_money_format_plain (r->year, 2) : NULL;
        g_autofree char *ypct = has_year ? change_pct_text (r->current, r->year) : NULL;

        if (format == CU_OUTPUT_FORMAT_CSV)
          {
            const char *f[] = { *r->group ? r->group : NULL, period, cur, basis, cperiod, prev, chg, pct,
                                yperiod, yc, ypct, r->currency };
            cu_output_csv_row (out, G_N_ELEMENTS (f), f);
          }
        else
          {
            const char *f[] = { r->group, cur, prev, chg, pct ? pct : "–", yc ? yc : "–", r->currency };
            cu_table_add_row (t, f);
          }
      }
    if (format != CU_OUTPUT_FORMAT_CSV)
      cu_table_append (t, out);
  }
}
