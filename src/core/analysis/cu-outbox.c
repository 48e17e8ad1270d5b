/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-outbox.c — incidents, anomalies and budget alerts nobody has been told about yet
 *
 * Collecting reads; marking writes only the rows collected, in one
 * transaction, so an anomaly flagged between the two is announced by the
 * next run rather than marked unseen.
 */
#define G_LOG_DOMAIN "cumulus-analysis"

#include "analysis/cu-analysis-private.h"
#include "analysis/cu-outbox.h"
#include "util/cu-money.h"

void
cu_outbox_free (CuOutbox *outbox)
{
  if (outbox == NULL)
    return;
  g_clear_pointer (&outbox->anomalies, g_ptr_array_unref);
  g_clear_pointer (&outbox->alerts, g_ptr_array_unref);
  g_clear_pointer (&outbox->incidents, g_ptr_array_unref);
  g_free (outbox);
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
  /* the same dollar floor the detector uses: smaller ones are not news */
  g_autofree char *anomalies = g_strdup_printf ("WHERE notified = 0 AND status = 'new' AND impact >= %" G_GINT64_FORMAT
                                                " ORDER BY usage_day DESC, impact DESC",
                                                (gint64) (CU_ANALYSIS_MIN_IMPACT * CU_MICROS_PER_UNIT));

  g_autofree char *incidents = g_strdup_printf ("WHERE notified = 0 AND status = 'new' AND impact >= %" G_GINT64_FORMAT
                                                " ORDER BY end_day DESC, impact DESC, id",
                                                (gint64) (CU_ANALYSIS_MIN_IMPACT * CU_MICROS_PER_UNIT));

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  outbox->incidents = cu_incidents_select (ledger, incidents, "Cannot read the new incidents", error);
  if (outbox->incidents == NULL)
    return NULL;
  outbox->anomalies = cu_anomalies_select (ledger, anomalies, "Cannot read the new anomalies", error);
  if (outbox->anomalies == NULL)
    return NULL;
  /* one notification per budget and period: keep their stages together */
  outbox->alerts = cu_budget_alerts_select (ledger, "WHERE a.notified = 0"
                                            " ORDER BY b.name, a.budget_id, a.period_start, a.basis, a.threshold",
                                            "Cannot read the budget alerts", error);
  if (outbox->alerts == NULL)
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
         (outbox->incidents == NULL || outbox->incidents->len == 0) &&
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
  sqlite3_stmt *a = NULL, *b = NULL, *c = NULL;
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
                              " AND basis = ? AND threshold = ?", -1, &b, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "UPDATE incidents SET notified = 1 WHERE id = ?1;", -1, &c, NULL) != SQLITE_OK)
    goto fail;
  for (guint i = 0; outbox->incidents != NULL && i < outbox->incidents->len; i++)
    {
      const CuIncident *inc = g_ptr_array_index (outbox->incidents, i);

      sqlite3_reset (c);
      sqlite3_bind_int64 (c, 1, inc->id);
      if (sqlite3_step (c) != SQLITE_DONE)
        goto fail;
      /* an incident announced is its anomalies announced */
      for (guint k = 0; k < inc->anomaly_ids->len; k++)
        {
          sqlite3_reset (a);
          sqlite3_bind_int64 (a, 1, g_array_index (inc->anomaly_ids, gint64, k));
          if (sqlite3_step (a) != SQLITE_DONE)
            goto fail;
        }
    }
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
  sqlite3_finalize (c);
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
  sqlite3_finalize (c);
  cu_ledger_rollback (ledger);
  return FALSE;
}
