/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger-profile.c — time every SQL statement a ledger runs */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-ledger-profile.h"

#include "store/cu-ledger-private.h"

struct _CuLedgerProfile {
  CuLedger  *ledger;   /* owned: the trace hook must not outlive it */
  GPtrArray *timings;  /* of CuQueryTiming */
};

void
cu_query_timing_free (CuQueryTiming *timing)
{
  if (timing == NULL)
    return;
  g_free (timing->sql);
  g_free (timing);
}

static int
profile_cb (unsigned  type,
            void     *ctx,
            void     *p,
            void     *x)
{
  CuLedgerProfile *profile = ctx;
  CuQueryTiming *timing = g_new0 (CuQueryTiming, 1);

  timing->sql = g_strdup (sqlite3_sql ((sqlite3_stmt *) p));
  timing->ms = *(sqlite3_int64 *) x / 1e6;
  g_ptr_array_add (profile->timings, timing);
  return 0;
}

/**
 * cu_ledger_profile_start:
 *
 * Starts recording the time of every statement @ledger runs, on the
 * calling thread's connection. Only one profile per ledger at a time.
 *
 * Returns: (transfer full): the profile; give it to cu_ledger_profile_stop()
 */
CuLedgerProfile *
cu_ledger_profile_start (CuLedger *ledger)
{
  CuLedgerProfile *profile;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  profile = g_new0 (CuLedgerProfile, 1);
  profile->ledger = g_object_ref (ledger);
  profile->timings = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_query_timing_free);
  sqlite3_trace_v2 (cu_ledger_get_db (ledger), SQLITE_TRACE_PROFILE, profile_cb, profile);
  return profile;
}

/**
 * cu_ledger_profile_stop:
 * @profile: (transfer full): a profile from cu_ledger_profile_start()
 *
 * Stops recording and frees @profile.
 *
 * Returns: (transfer full) (element-type CuQueryTiming): the statements
 *   in the order they finished
 */
GPtrArray *
cu_ledger_profile_stop (CuLedgerProfile *profile)
{
  GPtrArray *timings;

  g_return_val_if_fail (profile != NULL, NULL);

  sqlite3_trace_v2 (cu_ledger_get_db (profile->ledger), 0, NULL, NULL);
  timings = g_steal_pointer (&profile->timings);
  g_object_unref (profile->ledger);
  g_free (profile);
  return timings;
}
