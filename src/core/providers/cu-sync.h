/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-sync.h — the sync job: cloud costs of one account into the ledger
 *
 * The job is the same for every provider: it signs in, fetches the planned
 * ranges and writes the rows through the account's CuProvider
 * (cu-provider.h), and knows nothing of AWS or Azure. It runs in the
 * calling thread with its own ledger connection and its own CuHttp
 * (SoupSession); cu_sync_account_async() runs it in a GTask thread. Network work happens first; the ledger is written in
 * one short transaction at the end (cu_ledger_writer), so a failed,
 * cancelled or killed sync leaves the previous data exactly as it was; a
 * failure is recorded as a "failed" batch with its reason and request
 * count, a cancelled sync as a "cancelled" batch with its request count.
 *
 * Incremental state lives in workspace_meta under "sync:<account>":
 * {"synced_through": day, "estimated_from": day, "cost_tags": [key…]}
 * (written in the same transaction as the rows). When the account's
 * selected cost tags differ from "cost_tags" (added, removed, reordered),
 * the next sync is a first sync again, so no row keeps stale tags.
 *
 * Range (AWS): the first sync covers 13 calendar months up to yesterday
 * (Cost Explorer's End is exclusive: today). Later syncs refetch from the
 * earliest of: the first day CE flagged Estimated, the last synced day
 * minus 2 (late usage), and — during the first 5 days of a month — the
 * first day of the previous month (month close, credits, refunds).
 * Azure: the same without the Estimated flag, minus 3 days, fetched in
 * ranges of at most one year (Cost Management refuses longer ones), so a
 * first sync is two ranges of two queries (ActualCost, AmortizedCost)
 * each, plus their nextLink pages.
 *
 * Requests (AWS; each Cost Explorer request is billed USD 0.01): the pages
 * of SERVICE × LINKED_ACCOUNT, plus the pages of SERVICE × REGION, plus the
 * pages of SERVICE × TAG:key for each selected cost tag key, plus retries
 * that reached CE (see cu-cost-explorer.h). Measured against the mock cloud
 * (4 services × 2 accounts × 3 regions, CE-like pages of 1000 groups) on
 * 2026-12-04: first sync (368 days) 8 requests without tags (9 later in a
 * month, when the window holds more groups), 12 with one tag key (its
 * query takes 4 pages: 2 values plus untagged), 17 with two keys; a daily
 * resync 2 requests without tags, 3 with one tag key. A real
 * organisation with more services, accounts or tag values needs more pages
 * per query; count one page per query for a daily resync. n_tag_requests is
 * the part spent on the tag queries.
 */
#pragma once

#include <gio/gio.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

/* What one sync did, for reports: set also when it failed. ok and error
 * repeat the outcome cu_sync_account() returns, so a caller that runs
 * several syncs can report them all afterwards. */
typedef struct {
  char    *account;
  char    *kind;
  gboolean ok;
  GError  *error;               /* when !ok: a copy of the returned error */
  gboolean incremental;
  char     first_day[11];       /* range fetched */
  char     last_day[11];
  guint    n_days;
  guint64  n_rows;
  guint    n_billable_requests; /* Cost Explorer requests (USD 0.01 each); Azure queries */
  gint64   request_cost_micros; /* USD micro-units */
  guint    n_requests;          /* every request that reached the cloud (STS, tokens, …) */
  guint    n_assume_role;
  double   seconds;
  guint    n_cost_tags;         /* AWS cost tag keys fetched */
  guint    n_tag_requests;      /* of n_billable_requests: the SERVICE × TAG queries */
} CuSyncResult;

typedef void (*CuSyncProgressFunc) (const char *account,
                                    double      fraction,
                                    const char *message,
                                    gpointer    user_data);

void          cu_sync_result_free   (CuSyncResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuSyncResult, cu_sync_result_free)

gboolean      cu_sync_account       (const char         *workspace_dir,
                                     const char         *account,
                                     CuSyncProgressFunc  progress,
                                     gpointer            user_data,
                                     CuSyncResult      **out_result,
                                     GCancellable       *cancellable,
                                     GError            **error);
void          cu_sync_account_async (const char         *workspace_dir,
                                     const char         *account,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
gboolean      cu_sync_account_finish (GAsyncResult      *result,
                                      CuSyncResult     **out_result,
                                      GError           **error);
char         *cu_sync_test_account  (const char         *workspace_dir,
                                     const char         *account,
                                     GCancellable       *cancellable,
                                     GError            **error);
void          cu_sync_plan_range    (const char         *provider,
                                     CuDay               today,
                                     CuDay               synced_through,
                                     CuDay               estimated_from,
                                     CuDay              *first,
                                     CuDay              *last);

G_END_DECLS
