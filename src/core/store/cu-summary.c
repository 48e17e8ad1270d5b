/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-summary.c — the numbers and series the Overview shows
 *
 * All figures are computed from rollup_daily in the workspace's dominant
 * currency. "Today" is as_of; the last complete day is the day before, or
 * the last day with data when the ledger is behind, so a workspace that
 * has not synced for a while still shows its latest month rather than an
 * empty one. The UI names that day.
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-summary.h"
#include "store/cu-ledger-private.h"
#include "analysis/cu-analysis.h"
#include "util/cu-money.h"
#include "util/cu-output.h"

#include <stdlib.h>
#include <string.h>

static void
summary_item_free (CuSummaryItem *item)
{
  g_free (item->name);
  g_free (item);
}

void
cu_summary_free (CuSummary *s)
{
  if (s == NULL)
    return;
  g_free (s->currency);
  g_free (s->month_projection_model);
  g_clear_pointer (&s->top_services, g_ptr_array_unref);
  g_clear_pointer (&s->top_accounts, g_ptr_array_unref);
  g_clear_pointer (&s->by_region, g_ptr_array_unref);
  g_strfreev (s->series_names);
  g_free (s->series_values);
  g_free (s);
}

static gboolean
sum_range (CuLedger   *ledger,
           const char *currency,
           CuDay       from,
           CuDay       to,
           gint64     *out,
           GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  *out = 0;
  if (to < from)
    return TRUE;
  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT COALESCE(SUM(billed), 0) FROM rollup_daily"
                          " WHERE usage_day BETWEEN ? AND ? AND currency = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int (stmt, 1, from);
  sqlite3_bind_int (stmt, 2, to);
  sqlite3_bind_text (stmt, 3, currency, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    goto fail;
  *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot compute the overview");
  sqlite3_finalize (stmt);
  return FALSE;
}

/* Sums by @group_sql over [from, to]; largest first. */
static GPtrArray *
top_by (CuLedger   *ledger,
        const char *group_sql,
        const char *currency,
        CuDay       from,
        CuDay       to,
        guint       limit,
        GError    **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) summary_item_free);
  g_autofree char *sql = g_strdup_printf ("SELECT %s AS g, SUM(r.billed) FROM rollup_daily r"
                                          " WHERE r.usage_day BETWEEN ? AND ? AND r.currency = ?"
                                          " GROUP BY g ORDER BY 2 DESC, g", group_sql);
  sqlite3_stmt *stmt = NULL;
  gint64 total = 0;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot compute the overview");
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, from);
  sqlite3_bind_int (stmt, 2, to);
  sqlite3_bind_text (stmt, 3, currency, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 amount = sqlite3_column_int64 (stmt, 1);

      total += amount;
      if (limit == 0 || items->len < limit)
        {
          CuSummaryItem *item = g_new0 (CuSummaryItem, 1);
          const char *name = (const char *) sqlite3_column_text (stmt, 0);

          item->name = g_strdup (name && *name ? name : "(unspecified)");
          item->amount = amount;
          g_ptr_array_add (items, item);
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot compute the overview");
      return NULL;
    }
  for (guint i = 0; i < items->len; i++)
    {
      CuSummaryItem *item = g_ptr_array_index (items, i);
      item->share = total != 0 ? (double) item->amount / (double) total : 0.0;
    }
  return g_steal_pointer (&items);
}

static gboolean
fill_chart (CuLedger   *ledger,
            CuSummary  *s,
            GError    **error)
{
  g_autoptr(GPtrArray) top = NULL;
  sqlite3_stmt *stmt = NULL;
  CuDay last = s->chart_first + (CuDay) s->n_days - 1;
  gboolean has_other = FALSE;
  guint n_services;
  int rc;

  top = top_by (ledger, "r.service", s->currency, s->chart_first, last, 0, error);
  if (top == NULL)
    return FALSE;
  n_services = top->len;

  /* Name enough services that "Other" is a remainder, not the largest
   * band: at least the top CU_SUMMARY_CHART_MIN_NAMED, then every service
   * of CU_SUMMARY_CHART_MIN_SHARE or more of the period, and more while
   * "Other" would still outweigh the largest named one. */
  {
    guint named = MIN (top->len, CU_SUMMARY_CHART_MIN_NAMED);
    double other_share = 0.0;

    for (guint i = named; i < top->len; i++)
      other_share += ((CuSummaryItem *) g_ptr_array_index (top, i))->share;
    while (named < top->len && named < CU_SUMMARY_CHART_MAX_NAMED)
      {
        CuSummaryItem *next = g_ptr_array_index (top, named);
        CuSummaryItem *first = g_ptr_array_index (top, 0);

        if (next->share < CU_SUMMARY_CHART_MIN_SHARE && other_share <= first->share)
          break;
        other_share -= next->share;
        named++;
      }
    /* the rest becomes "Other"; one left over is shown under its own name */
    if (top->len == named + 1)
      named++;
    g_ptr_array_set_size (top, named);
    has_other = named < n_services;
  }

  s->n_series = top->len + (has_other ? 1 : 0);
  s->series_names = g_new0 (char *, s->n_series + 1);
  for (guint i = 0; i < top->len; i++)
    s->series_names[i] = g_strdup (((CuSummaryItem *) g_ptr_array_index (top, i))->name);
  if (has_other)
    s->series_names[top->len] = g_strdup ("Other");
  s->series_values = g_new0 (double, (gsize) s->n_series * s->n_days);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT usage_day, service, SUM(billed) FROM rollup_daily"
                          " WHERE usage_day BETWEEN ? AND ? AND currency = ? GROUP BY 1, 2",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot compute the overview");
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, s->chart_first);
  sqlite3_bind_int (stmt, 2, last);
  sqlite3_bind_text (stmt, 3, s->currency, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuDay day = sqlite3_column_int (stmt, 0);
      const char *service = (const char *) sqlite3_column_text (stmt, 1);
      guint series = top->len; /* Other */
      gboolean named = FALSE;

      if (service == NULL || *service == '\0')
        service = "(unspecified)";
      for (guint i = 0; i < top->len; i++)
        if (g_str_equal (s->series_names[i], service))
          {
            series = i;
            named = TRUE;
            break;
          }
      if (!named && !has_other)
        continue; /* only services with no cost in the window */
      s->series_values[series * s->n_days + (day - s->chart_first)] +=
        cu_money_to_double (sqlite3_column_int64 (stmt, 2));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot compute the overview");
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_summary_compute:
 * @as_of: "today"; see the file comment for the reference day
 *
 * Runs a handful of range queries over the rollups; call it from a worker.
 *
 * Returns: (transfer full): the summary, or %NULL with @error
 */
CuSummary *
cu_summary_compute (CuLedger  *ledger,
                    CuDay      as_of,
                    GError   **error)
{
  g_autoptr(CuSummary) s = g_new0 (CuSummary, 1);
  CuDay ref, prev_start, prev_end, avg_from;
  int y, m, dom;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  s->as_of = as_of;
  if (!cu_ledger_get_day_range (ledger, &s->data_first, &s->data_last, error))
    {
      if (error && *error)
        return NULL;
      s->data_first = s->data_last = as_of - 1;
    }

  ref = MIN (as_of - 1, s->data_last);
  cu_day_to_ymd (ref, &y, &m, &dom);
  s->month_start = cu_day_month_start (ref);
  s->days_elapsed = dom;
  s->days_in_month = cu_days_in_month (y, m);

  s->currency = cu_ledger_get_dominant_currency (ledger, MAX (ref - 365, s->data_first), ref,
                                   &s->mixed_currencies, error);
  if (s->currency == NULL)
    return NULL;

  prev_end = s->month_start - 1;
  prev_start = cu_day_month_start (prev_end);
  avg_from = MAX (ref - 29, s->data_first);

  if (!sum_range (ledger, s->currency, s->month_start, ref, &s->month_to_date, error) ||
      !sum_range (ledger, s->currency, prev_start, prev_end, &s->last_month, error) ||
      !sum_range (ledger, s->currency, prev_start, MIN (prev_start + dom - 1, prev_end),
                  &s->last_month_same_period, error) ||
      !sum_range (ledger, s->currency, cu_day_from_ymd (y, 1, 1), ref, &s->year_to_date, error))
    return NULL;

  {
    gint64 last30 = 0;
    int n_days = ref - avg_from + 1;

    if (!sum_range (ledger, s->currency, avg_from, ref, &last30, error))
      return NULL;
    s->daily_average = n_days > 0 ? last30 / n_days : 0;
  }

  /* The month-end: actuals to date plus the stored forecast of the total
   * for the rest, as the Forecast and Budgets pages say (a straight line
   * through the first two days of a month is noise). Linear only where no
   * forecast of the current data exists, and named so. */
  {
    CuDay month_end = s->month_start + s->days_in_month - 1;
    CuProjection p = { 0 };
    g_autoptr(GError) local = NULL;

    s->month_projection = s->days_elapsed > 0
      ? (gint64) ((double) s->month_to_date / s->days_elapsed * s->days_in_month)
      : 0;
    s->month_projection_basis = ref >= month_end ? "actual" : "linear";
    if (ref >= month_end)
      s->month_projection = s->month_to_date;
    else if (cu_analysis_project (ledger, "total", "", s->month_start, month_end, &p, &local) &&
             p.model != NULL && p.actual_through == ref && p.hi95 >= p.lo95)
      {
        /* the stored forecast is in the dominant currency of all history;
         * use it only when it is the one this summary reads */
        if (llabs (cu_money_from_double (p.actual) - s->month_to_date) <= 10000)
          {
            s->month_projection_basis = "forecast";
            s->month_projection_model = g_steal_pointer (&p.model);
            s->month_projection = s->month_to_date + cu_money_from_double (p.mean - p.actual);
            s->month_projection_lo80 = s->month_to_date + cu_money_from_double (p.lo80 - p.actual);
            s->month_projection_hi80 = s->month_to_date + cu_money_from_double (p.hi80 - p.actual);
            s->month_projection_lo95 = s->month_to_date + cu_money_from_double (p.lo95 - p.actual);
            s->month_projection_hi95 = s->month_to_date + cu_money_from_double (p.hi95 - p.actual);
          }
      }
    else if (local != NULL)
      g_debug ("no forecast for the month-end: %s", local->message);
    g_free (p.model);
    if (s->month_projection_model == NULL)
      s->month_projection_lo80 = s->month_projection_hi80 =
        s->month_projection_lo95 = s->month_projection_hi95 = s->month_projection;
  }

  s->top_from = avg_from;
  s->top_to = ref;
  s->top_services = top_by (ledger, "r.service", s->currency, avg_from, ref, CU_SUMMARY_TOP_N, error);
  if (s->top_services == NULL)
    return NULL;
  s->top_accounts = top_by (ledger,
                            CU_LEDGER_SQL_ACCOUNT_NAME,
                            s->currency, avg_from, ref, CU_SUMMARY_TOP_N, error);
  if (s->top_accounts == NULL)
    return NULL;
  s->by_region = top_by (ledger, "r.region", s->currency, avg_from, ref, 0, error);
  if (s->by_region == NULL)
    return NULL;

  s->n_days = CU_SUMMARY_CHART_DAYS;
  s->chart_first = ref - CU_SUMMARY_CHART_DAYS + 1;
  if (!fill_chart (ledger, s, error))
    return NULL;

  return g_steal_pointer (&s);
}

/* ------------------------------------------------------------- JSON */

static void
json_money (JsonBuilder *b, const char *name, gint64 micros)
{
  json_builder_set_member_name (b, name);
  cu_output_json_add_money (b, micros, 2);
}

static void
json_day (JsonBuilder *b, const char *name, CuDay day)
{
  char buf[11];

  cu_day_format (day, buf);
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, buf);
}

static void
json_items (JsonBuilder *b, const char *name, GPtrArray *items)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      CuSummaryItem *item = g_ptr_array_index (items, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, item->name);
      json_money (b, "amount", item->amount);
      json_builder_set_member_name (b, "share");
      cu_output_json_add_rounded (b, item->share, 4);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/**
 * cu_summary_to_json:
 *
 * Returns: (transfer full): the summary as a JSON object (through the
 *   output module); money amounts are numbers in currency units rounded to
 *   the cent, shares have four decimals, days are ISO dates
 */
char *
cu_summary_to_json (const CuSummary *s)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  char buf[11];

  g_return_val_if_fail (s != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, s->currency);
  json_builder_set_member_name (b, "mixed_currencies");
  json_builder_add_boolean_value (b, s->mixed_currencies);
  json_day (b, "as_of", s->as_of);
  json_day (b, "data_first_day", s->data_first);
  json_day (b, "data_last_day", s->data_last);
  json_day (b, "month_start", s->month_start);
  json_day (b, "month_to_date_through", s->month_start + s->days_elapsed - 1);
  json_builder_set_member_name (b, "days_elapsed");
  json_builder_add_int_value (b, s->days_elapsed);
  json_builder_set_member_name (b, "days_in_month");
  json_builder_add_int_value (b, s->days_in_month);
  json_money (b, "month_to_date", s->month_to_date);
  json_money (b, "month_projection", s->month_projection);
  json_builder_set_member_name (b, "month_projection_basis");
  json_builder_add_string_value (b, s->month_projection_basis);
  json_builder_set_member_name (b, "month_projection_model");
  if (s->month_projection_model != NULL)
    json_builder_add_string_value (b, s->month_projection_model);
  else
    json_builder_add_null_value (b);
  json_money (b, "month_projection_lo80", s->month_projection_lo80);
  json_money (b, "month_projection_hi80", s->month_projection_hi80);
  json_money (b, "month_projection_lo95", s->month_projection_lo95);
  json_money (b, "month_projection_hi95", s->month_projection_hi95);
  json_money (b, "last_month", s->last_month);
  json_money (b, "last_month_same_period", s->last_month_same_period);
  json_money (b, "year_to_date", s->year_to_date);
  json_money (b, "daily_average_30d", s->daily_average);
  json_day (b, "top_from", s->top_from);
  json_day (b, "top_to", s->top_to);
  json_items (b, "top_services", s->top_services);
  json_items (b, "top_accounts", s->top_accounts);
  json_items (b, "by_region", s->by_region);

  json_builder_set_member_name (b, "daily");
  json_builder_begin_object (b);
  cu_day_format (s->chart_first, buf);
  json_builder_set_member_name (b, "first_day");
  json_builder_add_string_value (b, buf);
  json_builder_set_member_name (b, "days");
  json_builder_add_int_value (b, s->n_days);
  json_builder_set_member_name (b, "series");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->n_series; i++)
    {
      double total = 0;

      for (guint d = 0; d < s->n_days; d++)
        total += s->series_values[i * s->n_days + d];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, s->series_names[i]);
      json_builder_set_member_name (b, "total");
      cu_output_json_add_rounded (b, total, 2);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  cu_output_json_append (out, root, CU_JSON_PRETTY);
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}
