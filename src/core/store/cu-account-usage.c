/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-account-usage.c — how much each account has put into the ledger */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-account-usage.h"
#include "store/cu-ledger-private.h"

/**
 * cu_account_usage_list:
 *
 * Counts over cost_rows and the sync batches; an account with neither has
 * no entry.
 *
 * Returns: (transfer full) (element-type CuAccountUsage): by account id;
 *   %NULL with @error
 */
GArray *
cu_account_usage_list (CuLedger  *ledger,
                       GError   **error)
{
  g_autoptr(GArray) usage = g_array_new (FALSE, TRUE, sizeof (CuAccountUsage));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT account_id, SUM(n_rows), SUM(n_requests) FROM ("
                          "  SELECT account_id, COUNT(*) AS n_rows, 0 AS n_requests FROM cost_rows"
                          "   GROUP BY account_id"
                          "  UNION ALL"
                          "  SELECT account_id, 0, COALESCE(SUM(n_requests), 0) FROM batches"
                          "   WHERE kind = 'sync' GROUP BY account_id"
                          ") GROUP BY account_id ORDER BY account_id", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot count the accounts’ rows");
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuAccountUsage u;

      u.account_id = sqlite3_column_int64 (stmt, 0);
      u.n_rows = sqlite3_column_int64 (stmt, 1);
      u.n_requests = sqlite3_column_int64 (stmt, 2);
      g_array_append_val (usage, u);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot count the accounts’ rows");
      return NULL;
    }
  return g_steal_pointer (&usage);
}

/**
 * cu_account_usage_find:
 * @usage: (element-type CuAccountUsage): from cu_account_usage_list()
 *
 * Returns: (transfer none) (nullable): the account's entry; %NULL when it
 *   has neither rows nor sync requests
 */
const CuAccountUsage *
cu_account_usage_find (GArray *usage,
                       gint64  account_id)
{
  guint lo = 0, hi;

  g_return_val_if_fail (usage != NULL, NULL);

  /* sorted by id: a binary search keeps a page of many accounts linear */
  hi = usage->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const CuAccountUsage *u = &g_array_index (usage, CuAccountUsage, mid);

      if (u->account_id == account_id)
        return u;
      if (u->account_id < account_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}
