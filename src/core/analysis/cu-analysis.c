/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-analysis.c — forecasts and anomalies over the ledger's daily series */
#define G_LOG_DOMAIN "cumulus-analysis"

#include "analysis/cu-analysis.h"
#include "analysis/cu-analysis-private.h"
#include "engines/cu-anomaly.h"
#include "engines/cu-forecast.h"
#include "engines/cu-stats.h"
#include "store/cu-ledger-private.h"
#include "util/cu-money.h"

#include <math.h>
#include <string.h>

/* forecasts learn from at most this much history: older years say little
 * about next month's cloud bill and cost time */
#define FIT_WINDOW 365
/* how many robust spreads above its median a young series' day must be */
#define YOUNG_Z 6.0

void
cu_daily_series_free (CuDailySeries *s)
{
  if (s == NULL)
    return;
  g_free (s->kind);
  g_free (s->key);
  g_free (s->currency);
  g_free (s->values);
  g_free (s);
}

void
cu_anomaly_free (CuAnomaly *a)
{
  if (a == NULL)
    return;
  g_free (a->series_kind);
  g_free (a->series_key);
  g_free (a->currency);
  g_free (a->status);
  g_free (a);
}

static gpointer
anomaly_new_from_row (sqlite3_stmt *stmt)
{
  CuAnomaly *a = g_new0 (CuAnomaly, 1);

  a->id = sqlite3_column_int64 (stmt, 0);
  a->series_kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  a->series_key = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  a->day = sqlite3_column_int (stmt, 3);
  a->expected = sqlite3_column_int64 (stmt, 4);
  a->actual = sqlite3_column_int64 (stmt, 5);
  a->impact = sqlite3_column_int64 (stmt, 6);
  a->impact_pct = sqlite3_column_type (stmt, 7) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 7);
  a->score = sqlite3_column_double (stmt, 8);
  a->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  a->status = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  a->incident_id = sqlite3_column_int64 (stmt, 11);
  a->young = sqlite3_column_int (stmt, 12) != 0;
  return a;
}

static const char *
key_expr (const char *kind)
{
  if (g_str_equal (kind, "service"))
    return "r.service";
  if (g_str_equal (kind, "account"))
    return CU_LEDGER_SQL_ACCOUNT_NAME;
  return "''";
}

/**
 * cu_analysis_load_series:
 * @kind: "total", "account" or "service"
 * @max_series: keep the largest this many series (by the last 90 days), 0 for all
 * @as_of: today; series end at the last complete day with data
 *
 * Returns: (transfer full) (element-type CuDailySeries): daily series in
 *   the dominant currency, largest first
 */
GPtrArray *
cu_analysis_load_series (CuLedger    *ledger,
                         const char  *kind,
                         guint        max_series,
                         CuDay        as_of,
                         GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_daily_series_free);
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *currency = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = cu_ledger_get_db (ledger);
  sqlite3_stmt *stmt = NULL;
  CuDay first, last;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  if (!g_str_equal (kind, "total") && !g_str_equal (kind, "account") && !g_str_equal (kind, "service"))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "Unknown series “%s”: use total, account or service", kind);
      return NULL;
    }
  if (!cu_ledger_get_day_range (ledger, &first, &last, error))
    return (error && *error) ? NULL : g_steal_pointer (&list);
  last = MIN (last, as_of - 1);
  if (last < first)
    return g_steal_pointer (&list);

  currency = cu_ledger_get_dominant_currency (ledger, CU_DAY_INVALID, CU_DAY_INVALID, NULL, error);
  if (currency == NULL)
    return NULL;

  /* the series, largest first over the last 90 days */
  sql = g_strdup_printf ("SELECT %s AS k, SUM(CASE WHEN r.usage_day > ?3 - 90 THEN r.billed ELSE 0 END) AS recent"
                         " FROM rollup_daily r WHERE r.currency = ?1 AND r.usage_day BETWEEN ?2 AND ?3"
                         " GROUP BY k ORDER BY recent DESC, k", key_expr (kind));
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, first);
  sqlite3_bind_int (stmt, 3, last);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuDailySeries *s;

      if (max_series > 0 && list->len >= max_series)
        break;
      s = g_new0 (CuDailySeries, 1);
      s->kind = g_strdup (kind);
      s->key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (s->key == NULL)
        s->key = g_strdup ("");
      s->currency = g_strdup (currency);
      s->first = first;
      s->n = last - first + 1;
      s->values = g_new0 (double, s->n);
      g_ptr_array_add (list, s);
      g_hash_table_insert (by_key, s->key, s);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  g_free (sql);
  sql = g_strdup_printf ("SELECT %s AS k, r.usage_day, SUM(r.billed) FROM rollup_daily r"
                         " WHERE r.currency = ?1 AND r.usage_day BETWEEN ?2 AND ?3 GROUP BY k, r.usage_day",
                         key_expr (kind));
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, first);
  sqlite3_bind_int (stmt, 3, last);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *k = (const char *) sqlite3_column_text (stmt, 0);
      CuDailySeries *s = g_hash_table_lookup (by_key, k ? k : "");

      if (s != NULL)
        s->values[sqlite3_column_int (stmt, 1) - first] = cu_money_to_double (sqlite3_column_int64 (stmt, 2));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the daily series");
      return NULL;
    }
  return g_steal_pointer (&list);

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot read the daily series");
  sqlite3_finalize (stmt);
  return NULL;
}

static gboolean
store_forecast (sqlite3 *db, CuDailySeries *s, GError **error)
{
  static const double levels[] = { 80, 95 };
  gsize offset = s->n > FIT_WINDOW ? s->n - FIT_WINDOW : 0;
  g_autoptr(CuForecastModel) model = cu_forecast_model_fit (s->values + offset, s->n - offset, 7,
                                                            CU_ETS_AUTO, CU_FORECAST_NONE);
  double mean[CU_ANALYSIS_HORIZON], lower[2 * CU_ANALYSIS_HORIZON], upper[2 * CU_ANALYSIS_HORIZON];
  sqlite3_stmt *stmt = NULL;
  CuDay next = s->first + (CuDay) s->n;

  if (model == NULL)
    return TRUE; /* too little history to say anything */
  cu_forecast_model_predict (model, CU_ANALYSIS_HORIZON, levels, 2, mean, lower, upper);

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO forecast_models (series_kind, series_key, model, currency,"
                              " history_from, history_to) VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, s->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, s->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, cu_ets_kind_to_string (cu_forecast_model_get_kind (model)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, s->currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, s->first + (CuDay) offset);
  sqlite3_bind_int (stmt, 6, next - 1);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (db, "INSERT INTO forecasts (series_kind, series_key, usage_day, mean, lo80, hi80, lo95, hi95)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  for (guint h = 0; h < CU_ANALYSIS_HORIZON; h++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, s->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, s->key, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, next + (CuDay) h);
      sqlite3_bind_double (stmt, 4, mean[h]);
      /* lower/upper are level-major: [level][h] */
      sqlite3_bind_double (stmt, 5, lower[0 * CU_ANALYSIS_HORIZON + h]);
      sqlite3_bind_double (stmt, 6, upper[0 * CU_ANALYSIS_HORIZON + h]);
      sqlite3_bind_double (stmt, 7, lower[1 * CU_ANALYSIS_HORIZON + h]);
      sqlite3_bind_double (stmt, 8, upper[1 * CU_ANALYSIS_HORIZON + h]);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (stmt);
  return TRUE;

fail:
  g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL, "Cannot store the forecast: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return FALSE;
}

/* Flags the series' anomalies; keeps the status people gave earlier ones and
 * drops unreviewed ones that the current data no longer supports. */
static gboolean
store_anomalies (sqlite3 *db, CuDailySeries *s, CuAnalysisStats *stats, GError **error)
{
  CuAnomalyOptions options;
  g_autofree double *expected = g_new0 (double, s->n);
  g_autofree double *score = g_new0 (double, s->n);
  g_autofree gboolean *flag = g_new0 (gboolean, s->n);
  double scratch[CU_ANALYSIS_FULL_HISTORY];
  sqlite3_stmt *del = NULL, *ins = NULL;
  g_autoptr(GString) kept = g_string_new ("-2147483648"); /* days still flagged */
  double mean = 0;
  guint lead = 0;

  for (guint i = 0; i < s->n; i++)
    mean += s->values[i];
  mean /= MAX (s->n, 1);

  cu_anomaly_options_init (&options, 7);
  /* a dollar floor, raised for big series so that their noise stays quiet */
  options.min_impact = MAX (CU_ANALYSIS_MIN_IMPACT, 0.05 * mean);
  /* A series starts with its first cost, not with the workspace: the zeros
   * before a new account or service are no history to compare with. */
  while (lead < s->n && s->values[lead] == 0.0)
    lead++;
  if (lead < s->n)
    cu_anomaly_detect (s->values + lead, s->n - lead, &options, expected + lead, score + lead, flag + lead);
  /* The detector needs four weeks before it judges; from one week a young
   * series is judged against the median of its history with a range
   * YOUNG_Z spreads wide (twice the usual), and twice the dollar floor. */
  for (guint i = lead + CU_ANALYSIS_YOUNG_HISTORY; i < s->n && i - lead < CU_ANALYSIS_FULL_HISTORY; i++)
    {
      guint age = i - lead;
      double med, mad, spread, z;

      mad = cu_stats_mad (s->values + lead, age, scratch, &med);
      spread = MAX (MAX (1.4826 * mad, 0.05 * fabs (med)), 1.0);
      z = (s->values[i] - med) / spread;
      expected[i] = med;
      score[i] = cu_anomaly_score_for_z (z / 2.0);
      flag[i] = z >= YOUNG_Z && s->values[i] - med >= 2 * options.min_impact;
    }

  if (sqlite3_prepare_v2 (db, "INSERT INTO anomalies (series_kind, series_key, usage_day, expected, actual, impact,"
                              " impact_pct, score, currency, young) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                              " ON CONFLICT (series_kind, series_key, usage_day) DO UPDATE SET"
                              " expected = excluded.expected, actual = excluded.actual, impact = excluded.impact,"
                              " impact_pct = excluded.impact_pct, score = excluded.score, young = excluded.young",
                          -1, &ins, NULL) != SQLITE_OK)
    goto fail;

  for (guint i = 0; i < s->n; i++)
    {
      gint64 exp_micros, act_micros;

      /* Cost anomalies are spend above expectation (as cloud providers' own
       * detectors do); a dip is good news or a gap in the data, not an alert. */
      if (!flag[i] || s->values[i] <= expected[i])
        continue;
      exp_micros = cu_money_from_double (expected[i]);
      act_micros = cu_money_from_double (s->values[i]);
      sqlite3_reset (ins);
      sqlite3_bind_text (ins, 1, s->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 2, s->key, -1, SQLITE_STATIC);
      sqlite3_bind_int (ins, 3, s->first + (CuDay) i);
      sqlite3_bind_int64 (ins, 4, exp_micros);
      sqlite3_bind_int64 (ins, 5, act_micros);
      sqlite3_bind_int64 (ins, 6, act_micros - exp_micros);
      if (fabs (expected[i]) > 0.005)
        sqlite3_bind_double (ins, 7, 100.0 * (s->values[i] - expected[i]) / fabs (expected[i]));
      else
        sqlite3_bind_null (ins, 7);
      sqlite3_bind_double (ins, 8, score[i]);
      sqlite3_bind_text (ins, 9, s->currency, -1, SQLITE_STATIC);
      sqlite3_bind_int (ins, 10, i - lead < CU_ANALYSIS_FULL_HISTORY);
      if (sqlite3_step (ins) != SQLITE_DONE)
        goto fail;
      stats->n_anomalies++;
      g_string_append_printf (kept, ",%d", s->first + (CuDay) i);
    }

  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM anomalies WHERE series_kind = ? AND series_key = ?"
                                            " AND status = 'new' AND usage_day NOT IN (%s)", kept->str);
    if (sqlite3_prepare_v2 (db, sql, -1, &del, NULL) != SQLITE_OK)
      goto fail;
    sqlite3_bind_text (del, 1, s->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text (del, 2, s->key, -1, SQLITE_STATIC);
    if (sqlite3_step (del) != SQLITE_DONE)
      goto fail;
  }
  sqlite3_finalize (del);
  sqlite3_finalize (ins);
  return TRUE;

fail:
  g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL, "Cannot store anomalies: %s", sqlite3_errmsg (db));
  sqlite3_finalize (del);
  sqlite3_finalize (ins);
  return FALSE;
}

static gint64
max_anomaly_id (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0;

  if (sqlite3_prepare_v2 (db, "SELECT COALESCE(MAX(id), 0) FROM anomalies", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return id;
}

/**
 * cu_analysis_run:
 * @as_of: today; the history ends the day before (or at the last data)
 *
 * Fits a forecast for the total, every account and the 30 largest services,
 * flags anomalies in each, groups them into incidents, and replaces the
 * stored results in one transaction. Honours @cancellable between series.
 */
gboolean
cu_analysis_run (CuLedger         *ledger,
                 CuDay             as_of,
                 GCancellable     *cancellable,
                 CuAnalysisStats  *stats,
                 GError          **error)
{
  static const struct { const char *kind; guint max; } kinds[] = {
    { "total", 1 }, { "account", 0 }, { "service", 30 },
  };
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_daily_series_free);
  CuAnalysisStats local = { 0 };
  sqlite3 *db = cu_ledger_get_db (ledger);
  gint64 t0, before_id;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), FALSE);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) list = cu_analysis_load_series (ledger, kinds[k].kind, kinds[k].max, as_of, error);
      if (list == NULL)
        return FALSE;
      while (list->len > 0)
        g_ptr_array_add (all, g_ptr_array_steal_index (list, 0));
    }

  if (!cu_ledger_begin (ledger, error))
    return FALSE;
  before_id = max_anomaly_id (db);
  if (!cu_ledger_exec (ledger, "DELETE FROM forecasts; DELETE FROM forecast_models;", error))
    goto fail;

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < all->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (!store_forecast (db, all->pdata[i], error))
        goto fail;
    }
  local.forecast_seconds = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < all->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (!store_anomalies (db, all->pdata[i], &local, error))
        goto fail;
    }
  local.anomaly_seconds = (g_get_monotonic_time () - t0) / 1e6;
  local.n_series = all->len;
  /* in the same transaction: nobody reads anomalies without incidents */
  t0 = g_get_monotonic_time ();
  if (!cu_incidents_rebuild (ledger, &local.n_incidents, error))
    goto fail;
  local.incident_seconds = (g_get_monotonic_time () - t0) / 1e6;

  {
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM anomalies WHERE id > ?", -1, &stmt, NULL) == SQLITE_OK)
      {
        sqlite3_bind_int64 (stmt, 1, before_id);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          local.n_new_anomalies = sqlite3_column_int (stmt, 0);
      }
    sqlite3_finalize (stmt);
  }

  if (!cu_ledger_commit (ledger, error))
    goto fail;
  if (stats)
    *stats = local;
  return TRUE;

fail:
  cu_ledger_rollback (ledger);
  return FALSE;
}

/**
 * cu_analysis_project:
 * @kind: "total", "account" or "service"
 * @key: the account or service, "" for the total
 *
 * Projects the spend of [@start, @end]: actuals to date plus the stored
 * forecast for the remaining days. The interval adds the daily bounds,
 * which treats forecast errors as fully correlated — wider than the truth,
 * never narrower.
 */
gboolean
cu_analysis_project (CuLedger      *ledger,
                     const char    *kind,
                     const char    *key,
                     CuDay          start,
                     CuDay          end,
                     CuProjection  *out,
                     GError       **error)
{
  sqlite3 *db = cu_ledger_get_db (ledger);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *currency = NULL;
  CuDay history_to = start - 1;
  double fc[5] = { 0 };

  memset (out, 0, sizeof *out);
  out->start = start;
  out->end = end;

  /* the currency the series (and so the forecasts) are in */
  currency = cu_ledger_get_dominant_currency (ledger, CU_DAY_INVALID, CU_DAY_INVALID, NULL, error);
  if (currency == NULL)
    return FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT model, history_to FROM forecast_models WHERE series_kind = ? AND series_key = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->model = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      history_to = sqlite3_column_int (stmt, 1);
    }
  else
    {
      CuDay first, last;
      if (cu_ledger_get_day_range (ledger, &first, &last, NULL))
        history_to = last;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  out->actual_through = MIN (history_to, end);

  sql = g_strdup_printf ("SELECT COALESCE(SUM(r.billed), 0) FROM rollup_daily r"
                         " WHERE r.usage_day BETWEEN ?1 AND ?2 AND (?3 = 'total' OR %s = ?4) AND r.currency = ?5",
                         key_expr (kind));
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int (stmt, 1, start);
  sqlite3_bind_int (stmt, 2, out->actual_through);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, currency, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    goto fail;
  out->actual = cu_money_to_double (sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (out->model != NULL && history_to < end)
    {
      if (sqlite3_prepare_v2 (db, "SELECT TOTAL(mean), TOTAL(lo80), TOTAL(hi80), TOTAL(lo95), TOTAL(hi95)"
                                  " FROM forecasts WHERE series_kind = ? AND series_key = ? AND usage_day BETWEEN ? AND ?",
                              -1, &stmt, NULL) != SQLITE_OK)
        goto fail;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, MAX (history_to + 1, start));
      sqlite3_bind_int (stmt, 4, end);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        goto fail;
      for (int i = 0; i < 5; i++)
        fc[i] = sqlite3_column_double (stmt, i);
      sqlite3_finalize (stmt);
    }
  out->mean = out->actual + fc[0];
  out->lo80 = out->actual + fc[1];
  out->hi80 = out->actual + fc[2];
  out->lo95 = out->actual + fc[3];
  out->hi95 = out->actual + fc[4];
  return TRUE;

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot project the period");
  sqlite3_finalize (stmt);
  return FALSE;
}

/**
 * cu_analysis_list_anomalies:
 *
 * Returns: (transfer full) (element-type CuAnomaly): newest first
 */
GPtrArray *
cu_analysis_list_anomalies (CuLedger  *ledger,
                            gboolean   include_dismissed,
                            GError   **error)
{
  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  return cu_anomalies_select (ledger,
                              include_dismissed
                              ? "ORDER BY usage_day DESC, impact DESC"
                              : "WHERE status != 'dismissed' ORDER BY usage_day DESC, impact DESC",
                              "Cannot list anomalies", error);
}

GPtrArray *
cu_anomalies_select (CuLedger    *ledger,
                     const char  *clause,
                     const char  *what,
                     GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id, series_kind, series_key, usage_day, expected, actual, impact,"
                                          " impact_pct, score, currency, status, incident_id, young FROM anomalies %s", clause);

  return cu_ledger_select_rows (ledger, sql, anomaly_new_from_row, (GDestroyNotify) cu_anomaly_free, what, error);
}

gboolean
cu_analysis_set_anomaly_status (CuLedger    *ledger,
                                gint64       id,
                                const char  *status,
                                GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!g_str_equal (status, "new") && !g_str_equal (status, "acknowledged") && !g_str_equal (status, "dismissed"))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "Unknown anomaly status “%s”: use new, acknowledged or dismissed", status);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "UPDATE anomalies SET status = ? WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot update the anomaly");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot update the anomaly");
      return FALSE;
    }
  if (sqlite3_changes (cu_ledger_get_db (ledger)) == 0)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND, "No anomaly with id %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  return TRUE;
}
