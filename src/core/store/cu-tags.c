/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-tags.c — the tag keys the ledger's costs carry
 *
 * Read from the tag rollup, not the cost rows, so that listing them costs
 * the same whatever the size of the ledger.
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-ledger-private.h"
#include "store/cu-tags.h"

/**
 * cu_ledger_list_tag_keys:
 *
 * Returns: (transfer full): every tag key with costs, sorted (byte order);
 *   empty for a ledger without tags; %NULL with @error
 */
GStrv
cu_ledger_list_tag_keys (CuLedger  *ledger,
                         GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT DISTINCT tag_key FROM rollup_tag_daily ORDER BY tag_key",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot list the tag keys");
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot list the tag keys");
      return NULL;
    }
  return g_strv_builder_end (builder);
}
