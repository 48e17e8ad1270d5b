/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-provider.h — what every cloud provider offers the sync job
 *
 * A provider is a const table of functions in its own folder (aws/,
 * azure/) and one entry in the registry of cu-provider.c; cu-sync.c knows
 * nothing else about it. The sync job calls, in this order:
 *
 *   connect      sign in from the account's configuration and keyring
 *                secret (AWS: keys, or AssumeRole for a role; Azure: the
 *                service principal) and return the provider's session;
 *   plan_ranges  split the days to fetch into the ranges one query may
 *                cover (Azure: at most one year; AWS: one range);
 *   fetch_costs  once per range, accumulating costs in the session;
 *   emit_rows    hand every accumulated ledger row to the writer;
 *   disconnect   free the session (always, also after a failure).
 *
 * "Test connection" is connect + test. Every function that can fail
 * returns %FALSE (or %NULL) with a plain-language @error; an answer of an
 * unexpected shape is CU_PROVIDER_ERROR_INVALID_RESPONSE, never an abort.
 * Inventory joins this table in a later issue.
 */
#pragma once

#include <gio/gio.h>

#include "providers/cu-http.h"
#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  CuDay first;
  CuDay last;   /* inclusive */
} CuDayRange;

typedef gboolean (*CuProviderRowFunc) (const CuCostRow *row,
                                       gpointer         user_data,
                                       GError         **error);

/* What the sync job lends a provider, and the figures the provider reports. */
typedef struct {
  /* borrowed */
  CuLedger           *ledger;
  CuAccount          *account;
  CuHttp             *http;
  const char * const *cost_tags;       /* selected cost-allocation tag keys, maybe empty */

  /* reported by the provider */
  guint               n_billable_requests;
  guint               n_tag_requests;
  guint               n_assume_role;
  CuDay               first_estimated;  /* CU_DAY_INVALID when nothing is flagged */
} CuProviderContext;

typedef struct {
  const char *id;                 /* CuAccount.provider: "aws", "azure" */
  const char *cost_source;        /* the batch source: "aws-ce" */
  const char *cost_api;           /* for progress messages: "AWS Cost Explorer" */
  gint64      micros_per_request; /* USD micro-units each billable request costs; 0 = free */
  guint       late_days;          /* days before the last synced day fetched again */
  gboolean    uses_cost_tags;

  gpointer  (*connect)      (CuProviderContext *ctx,
                             GCancellable      *cancellable,
                             GError           **error);
  void      (*disconnect)   (gpointer           session,
                             CuProviderContext *ctx);
  char     *(*test)         (gpointer           session,
                             CuProviderContext *ctx,
                             GCancellable      *cancellable,
                             GError           **error);
  GArray   *(*plan_ranges)  (CuDay              first,
                             CuDay              last);
  gboolean  (*fetch_costs)  (gpointer           session,
                             CuProviderContext *ctx,
                             const CuDayRange  *range,
                             GCancellable      *cancellable,
                             GError           **error);
  gboolean  (*emit_rows)    (gpointer           session,
                             CuProviderContext *ctx,
                             CuProviderRowFunc  func,
                             gpointer           user_data,
                             guint64           *n_rows,
                             GError           **error);
} CuProvider;

const CuProvider *cu_provider_lookup      (const char *id);
GArray           *cu_provider_single_range (CuDay     first,
                                            CuDay     last);

G_END_DECLS
