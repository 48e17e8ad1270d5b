/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger-private.h — what the store's own files share, nothing else */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

gboolean cu_ledger_overlap_begin   (CuLedger  *self,
                                    GError   **error);
gboolean cu_ledger_resolve_overlap (CuLedger  *self,
                                    gint64     account_id,
                                    CuDay      first_day,
                                    CuDay      last_day,
                                    GError   **error);

G_END_DECLS
