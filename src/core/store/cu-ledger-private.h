/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger-private.h — what only src/core/ may use of a CuLedger
 *
 * The SQLite handle and the helpers around it. Modules under src/core/
 * include this header; the GUI and the CLI read result structs from core
 * functions instead (SQL lives in src/core/ only).
 */
#pragma once

#include <sqlite3.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

/* (transfer none): the connection; it lives as long as @self and is used
 * only by the thread that opened the ledger */
sqlite3    *cu_ledger_get_db          (CuLedger    *self);

gboolean    cu_ledger_exec            (CuLedger    *self,
                                       const char  *sql,
                                       GError     **error);
gboolean    cu_ledger_begin           (CuLedger    *self,
                                       GError     **error);
gboolean    cu_ledger_commit          (CuLedger    *self,
                                       GError     **error);
void        cu_ledger_rollback        (CuLedger    *self);
void        cu_ledger_set_sql_error   (CuLedger    *self,
                                       GError     **error,
                                       const char  *what);

/* builds one element of a cu_ledger_select_rows() answer from the current row */
typedef gpointer (*CuLedgerRowFunc) (sqlite3_stmt *stmt);

GPtrArray  *cu_ledger_select_rows     (CuLedger         *self,
                                       const char       *sql,
                                       CuLedgerRowFunc   row,
                                       GDestroyNotify    free_row,
                                       const char       *what,
                                       GError          **error);

/* SQL for a rollup row's cloud account as people know it: its name when an
 * import or sync told us one, else its id. The rollup table must be aliased r. */
#define CU_LEDGER_SQL_ACCOUNT_NAME \
  "COALESCE((SELECT n.name FROM sub_accounts n WHERE n.provider = r.provider" \
  " AND n.sub_account_id = r.sub_account), r.sub_account)"

G_END_DECLS
