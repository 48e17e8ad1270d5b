/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-forecasts.c — the forecasts an analysis run stored, read back */
#define G_LOG_DOMAIN "cumulus-analysis"

#include "analysis/cu-forecasts.h"
#include "store/cu-ledger-private.h"

void
cu_stored_forecast_free (CuStoredForecast *f)
{
  if (f == NULL)
    return;
  g_free (f->series_kind);
  g_free (f->series_key);
  g_free (f->model);
  g_free (f->currency);
  g_free (f->computed_at);
  g_free (f);
}

static gpointer
stored_forecast_new_from_row (sqlite3_stmt *stmt)
{
  CuStoredForecast *f = g_new0 (CuStoredForecast, 1);

  f->series_kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  f->series_key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  f->model = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  f->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  f->history_from = sqlite3_column_int (stmt, 4);
  f->history_to = sqlite3_column_int (stmt, 5);
  f->computed_at = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  return f;
}

/**
 * cu_forecasts_list:
 *
 * Returns: (transfer full) (element-type CuStoredForecast): every series
 *   with a stored forecast: the total first, then the accounts, then the
 *   services, each by key; %NULL with @error
 */
GPtrArray *
cu_forecasts_list (CuLedger  *ledger,
                   GError   **error)
{
  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  return cu_ledger_select_rows (ledger,
                                "SELECT series_kind, series_key, model, currency, history_from, history_to, computed_at"
                                " FROM forecast_models ORDER BY CASE series_kind WHEN 'total' THEN 0"
                                " WHEN 'account' THEN 1 ELSE 2 END, series_key",
                                stored_forecast_new_from_row, (GDestroyNotify) cu_stored_forecast_free,
                                "Cannot read the forecasts", error);
}

/**
 * cu_forecasts_get_points:
 * @series_kind: "total", "account" or "service"
 * @series_key: the account or service, "" for the total
 * @after: the first point is the day after this one (usually the model's
 *   history_to)
 * @max_days: at most this many points
 *
 * Returns: (transfer full) (element-type CuForecastPoint): the stored
 *   daily forecast, by day; empty for a series without one; %NULL with
 *   @error
 */
GArray *
cu_forecasts_get_points (CuLedger    *ledger,
                         const char  *series_kind,
                         const char  *series_key,
                         CuDay        after,
                         guint        max_days,
                         GError     **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CuForecastPoint));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (series_kind != NULL && series_key != NULL, NULL);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT usage_day, mean, lo80, hi80, lo95, hi95 FROM forecasts WHERE series_kind = ?"
                          " AND series_key = ? AND usage_day > ? ORDER BY usage_day LIMIT ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the forecast");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, series_kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, series_key, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, after);
  sqlite3_bind_int64 (stmt, 4, max_days);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuForecastPoint p;

      p.day = sqlite3_column_int (stmt, 0);
      p.mean = sqlite3_column_double (stmt, 1);
      p.lo80 = sqlite3_column_double (stmt, 2);
      p.hi80 = sqlite3_column_double (stmt, 3);
      p.lo95 = sqlite3_column_double (stmt, 4);
      p.hi95 = sqlite3_column_double (stmt, 5);
      g_array_append_val (points, p);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the forecast");
      return NULL;
    }
  return g_steal_pointer (&points);
}
