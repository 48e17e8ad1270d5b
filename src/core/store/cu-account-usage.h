/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-account-usage.h — how much each account has put into the ledger
 *
 * Per account: the cost rows stored and the API requests its syncs made
 * (each Cost Explorer request costs the user money). The Accounts page shows
 * both beside each account.
 */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  gint64  account_id;
  gint64  n_rows;       /* cost rows stored for it */
  gint64  n_requests;   /* API requests of all its syncs */
} CuAccountUsage;

GArray               *cu_account_usage_list  (CuLedger      *ledger,
                                              GError       **error); /* of CuAccountUsage */
const CuAccountUsage *cu_account_usage_find  (GArray        *usage,
                                              gint64         account_id);

G_END_DECLS
