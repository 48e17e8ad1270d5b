/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger-bench.h — generated ledgers and query timings for `cumulus-cli bench` */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

void    cu_ledger_bench_fill_row (CuCostRow  *row,
                                  int         account,     /* 0..3; 3 is the Azure one */
                                  gint64      i,           /* row number within the account */
                                  const char *sub_account,
                                  const char *sub_account_name);
double  cu_ledger_bench_cpu_seconds (void);
char   *cu_ledger_bench_queries  (CuLedger   *ledger,
                                  GError    **error);

G_END_DECLS
