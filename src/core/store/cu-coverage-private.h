/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-coverage-private.h — working out which source counts, for the store's own files */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

/* Whether coverage row c counts: the first copy in (rank, account) order
 * wins when it is an API sync (rank 0); copies from files and other
 * sources all count when no sync holds the day. */
#define CU_COVERAGE_SQL_COUNTS \
  "(SELECT CASE WHEN w.rank > 0 THEN 1 ELSE w.account_id = c.account_id END FROM coverage w" \
  " WHERE w.sub_account = c.sub_account AND w.usage_day = c.usage_day" \
  " ORDER BY w.rank, w.account_id LIMIT 1)"

gboolean cu_ledger_overlap_begin   (CuLedger  *self,
                                    gboolean   reset,
                                    GError   **error);
gboolean cu_ledger_resolve_overlap (CuLedger  *self,
                                    gint64     account_id,
                                    CuDay      first_day,
                                    CuDay      last_day,
                                    GError   **error);

G_END_DECLS
