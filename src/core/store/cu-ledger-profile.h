/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger-profile.h — time every SQL statement a ledger runs
 *
 * For benchmarks: between start and stop, SQLite's own statement profile
 * records the wall time of each statement run on that connection.
 */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  char   *sql;   /* the statement as prepared */
  double  ms;    /* its run time, in milliseconds */
} CuQueryTiming;

typedef struct _CuLedgerProfile CuLedgerProfile;

void              cu_query_timing_free     (CuQueryTiming   *timing);

CuLedgerProfile  *cu_ledger_profile_start  (CuLedger        *ledger);
GPtrArray        *cu_ledger_profile_stop   (CuLedgerProfile *profile);

G_END_DECLS
