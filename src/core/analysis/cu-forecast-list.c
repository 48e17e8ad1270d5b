/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-forecast-list.c — the stored forecasts, read back for display */
#define G_LOG_DOMAIN "cumulus-analysis"

#include "analysis/cu-forecast-list.h"

/* cu_ledger_get_db() is moving to the store's private header */
#if __has_include ("store/cu-ledger-private.h")
#include "store/cu-ledger-private.h"
#endif

void
cu_forecast_point_free (CuForecastPoint *point)
{
  if (point == NULL)
    return;
  g_free (point->series_key);
  g_free (point->currency);
  g_free (point);
}

/**
 * cu_analysis_list_forecasts:
 * @series_kind: "total", "account" or "service"
 * @horizon: days after each series' history to include
 *
 * Returns: (transfer full) (element-type CuForecastPoint): the points of
 *   every series of @series_kind, the total first, then by key and day;
 *   %NULL with @error when the ledger cannot be read
 */
GPtrArray *
cu_analysis_list_forecasts (CuLedger    *ledger,
                            const char  *series_kind,
                            guint        horizon,
                            GError     **error)
{
  g_autoptr(GPtrArray) points = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_forecast_point_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (series_kind != NULL, NULL);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT f.series_key, f.usage_day, f.mean, f.lo80, f.hi80, f.lo95, f.hi95, m.currency"
                          " FROM forecasts f JOIN forecast_models m USING (series_kind, series_key)"
                          " WHERE f.series_kind = ? AND f.usage_day <= m.history_to + ?"
                          " ORDER BY f.series_key = '', f.series_key, f.usage_day", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the forecasts");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, series_kind, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, (int) MIN (horizon, G_MAXINT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuForecastPoint *p = g_new0 (CuForecastPoint, 1);
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *currency = (const char *) sqlite3_column_text (stmt, 7);

      p->series_key = g_strdup (key ? key : "");
      p->day = sqlite3_column_int (stmt, 1);
      p->mean = sqlite3_column_double (stmt, 2);
      p->lo80 = sqlite3_column_double (stmt, 3);
      p->hi80 = sqlite3_column_double (stmt, 4);
      p->lo95 = sqlite3_column_double (stmt, 5);
      p->hi95 = sqlite3_column_double (stmt, 6);
      p->currency = g_strdup (currency ? currency : "");
      g_ptr_array_add (points, p);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the forecasts");
      return NULL;
    }
  return g_steal_pointer (&points);
}
