/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-coverage-private.h — working out which source counts, for the store's own files */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

gboolean cu_ledger_overlap_begin   (CuLedger  *self,
                                    gboolean   reset,
                                    GError   **error);
gboolean cu_ledger_resolve_overlap (CuLedger  *self,
                                    gint64     account_id,
                                    CuDay      first_day,
                                    CuDay      last_day,
                                    GError   **error);

G_END_DECLS
