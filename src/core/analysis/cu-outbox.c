/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-outbox.c — anomalies and budget alerts nobody has been told about yet
 *
 * Collecting reads; marking writes only the rows collected, in one
 * transaction, so an anomaly flagged between the two is announced by the
 * next run rather than marked unseen.
 */
#define G_LOG_DOMAIN "cumulus-analysis"

#include "analysis/cu-outbox.h"
#include "store/cu-ledger-private.h"
#include "util/cu-money.h"

#include <math.h>

void
cu_outbox_free (CuOutbox *outbox)
{
  if (outbox == NULL)
    return;
  g_clear_pointer (&outbox->anomalies, g_ptr_array_unref);
  g_clear_pointer (&outbox->alerts, g_ptr_array_unref);
  g_free (outbox);
}

static gboolean
collect_anomalies (CuLedger   *ledger,
                   GPtrArray  *anomalies,
                   GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT id, series_kind, series_key, usage_day, expected, actual, impact, impact_pct,"
                          " score, currency, status FROM anomalies"
                          " WHERE notified = 0 AND status = 'new' AND impact >= ?"
                          " ORDER BY usage_day DESC, impact DESC", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the new anomalies");
      return FALSE;
    }
  /* the same dollar floor the detector uses: smaller ones are not news */
  sqlite3_bind_int64 (stmt, 1, (gint64) (CU_ANALYSIS_MIN_IMPACT * CU_MICROS_PER_UNIT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
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
      g_ptr_array_add (anomalies, a);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the new anomalies");
      return FALSE;
    }
  return TRUE;
}

static gboolean
collect_alerts (CuLedger   *ledger,
                GPtrArray  *alerts,
                GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT a.budget_id, b.name, b.period, b.amount, b.currency, a.period_start, a.basis,"
                          " a.threshold, a.spend, a.crossed_day FROM budget_alerts a"
                          " JOIN budgets b ON b.id = a.budget_id WHERE a.notified = 0"
                          " ORDER BY b.name, a.budget_id, a.period_start, a.basis, a.threshold",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the budget alerts");
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuBudgetAlert *a = g_new0 (CuBudgetAlert, 1);
      CuDay start;

      a->budget_id = sqlite3_column_int64 (stmt, 0);
      a->budget_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (!cu_budget_period_parse ((const char *) sqlite3_column_text (stmt, 2), &a->period))
        a->period = CU_BUDGET_MONTHLY;
      a->amount = sqlite3_column_int64 (stmt, 3);
      a->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      a->period_start = sqlite3_column_int (stmt, 5);
      cu_budget_period_bounds (a->period, a->period_start, &start, &a->period_end);
      a->basis = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      a->threshold = sqlite3_column_int (stmt, 7);
      a->spend = sqlite3_column_int64 (stmt, 8);
      a->crossed_day = sqlite3_column_int (stmt, 9);
      g_ptr_array_add (alerts, a);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the budget alerts");
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_outbox_collect:
 *
 * Reads what is waiting to be announced; changes nothing. Call it from a
 * worker, after the analysis run.
 *
 * Returns: (transfer full): the outbox (its arrays may be empty), or %NULL
 *   with @error
 */
CuOutbox *
cu_outbox_collect (CuLedger  *ledger,
                   GError   **error)
{
  g_autoptr(CuOutbox) outbox = g_new0 (CuOutbox, 1);

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  outbox->anomalies = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_anomaly_free);
  outbox->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_budget_alert_free);
  if (!collect_anomalies (ledger, outbox->anomalies, error) ||
      !collect_alerts (ledger, outbox->alerts, error))
    return NULL;
  return g_steal_pointer (&outbox);
}

/**
 * cu_outbox_is_empty:
 *
 * Returns: whether @outbox holds nothing to announce (or to mark)
 */
gboolean
cu_outbox_is_empty (const CuOutbox *outbox)
{
  g_return_val_if_fail (outbox != NULL, TRUE);

  return (outbox->anomalies == NULL || outbox->anomalies->len == 0) &&
         (outbox->alerts == NULL || outbox->alerts->len == 0);
}

/**
 * cu_outbox_mark_notified:
 * @outbox: what cu_outbox_collect() returned, on any connection to the
 *   same workspace
 *
 * Marks every anomaly and alert of @outbox as announced, in one
 * transaction: all of them or, on error, none.
 *
 * Returns: %FALSE with @error when nothing was marked
 */
gboolean
cu_outbox_mark_notified (CuLedger        *ledger,
                         const CuOutbox  *outbox,
                         GError         **error)
{
  sqlite3_stmt *a = NULL, *b = NULL;
  sqlite3 *db;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (outbox != NULL, FALSE);

  if (cu_outbox_is_empty (outbox))
    return TRUE;
  if (!cu_ledger_begin (ledger, error))
    return FALSE;
  db = cu_ledger_get_db (ledger);
  if (sqlite3_prepare_v2 (db, "UPDATE anomalies SET notified = 1 WHERE id = ?", -1, &a, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "UPDATE budget_alerts SET notified = 1 WHERE budget_id = ? AND period_start = ?"
                              " AND basis = ? AND threshold = ?", -1, &b, NULL) != SQLITE_OK)
    goto fail;
  for (guint i = 0; outbox->anomalies != NULL && i < outbox->anomalies->len; i++)
    {
      const CuAnomaly *an = g_ptr_array_index (outbox->anomalies, i);

      sqlite3_reset (a);
      sqlite3_bind_int64 (a, 1, an->id);
      if (sqlite3_step (a) != SQLITE_DONE)
        goto fail;
    }
  for (guint i = 0; outbox->alerts != NULL && i < outbox->alerts->len; i++)
    {
      const CuBudgetAlert *k = g_ptr_array_index (outbox->alerts, i);

      sqlite3_reset (b);
      sqlite3_bind_int64 (b, 1, k->budget_id);
      sqlite3_bind_int (b, 2, k->period_start);
      sqlite3_bind_text (b, 3, k->basis, -1, SQLITE_STATIC);
      sqlite3_bind_int (b, 4, (int) k->threshold);
      if (sqlite3_step (b) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (a);
  sqlite3_finalize (b);
  if (!cu_ledger_commit (ledger, error))
    {
      cu_ledger_rollback (ledger);
      return FALSE;
    }
  return TRUE;

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot mark the notifications as sent");
  sqlite3_finalize (a);
  sqlite3_finalize (b);
  cu_ledger_rollback (ledger);
  return FALSE;
}
