/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-inventory.h — the resource inventory and its utilisation metrics
 *
 * Resources are what a sync (or the demo) found in an account: instances,
 * volumes, addresses, snapshots, databases, load balancers, buckets and
 * functions, one row per (account, resource_id). Daily utilisation lives
 * in resource_metrics, keyed by the resource's row id.
 *
 * Vocabulary shared by the writers and the rules, whatever the provider:
 *
 *   resource_type  state
 *   instance       "running" | "stopped"
 *   volume         "in-use" | "available" (unattached)
 *   elastic_ip     "associated" | "unassociated"
 *   snapshot       "completed"
 *   database       "available" | "stopped"
 *   load_balancer  "active"
 *   bucket         "active"
 *   function       "active"
 *
 *   metric          value (per day)                maximum
 *   cpu_percent     average CPU %                  highest hourly average
 *   network_bytes   bytes in + out                 —
 *   connections     average open connections       peak
 *   iops            average read + write ops/s     peak
 *   request_count   requests                       peak per hour
 *   healthy_targets average healthy targets        —
 *   invocations     invocations                    —
 *   bucket_bytes    stored bytes                   —
 *
 * Money is in micro-units of @currency, like the ledger.
 */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;             /* row id; 0 when not stored yet */
  gint64  account_id;
  char   *provider;       /* "aws" | "azure" */
  char   *sub_account;    /* the cloud account / subscription id */
  char   *resource_type;  /* see above */
  char   *resource_id;    /* the cloud's id or ARN */
  char   *name;
  char   *region;
  char   *service;        /* FOCUS ServiceName that bills it */
  char   *state;
  char   *size;           /* instance type, volume type, database class … */
  char   *attributes;     /* JSON object, may be NULL */
  char   *tags;           /* JSON object, may be NULL */
  gint64  monthly_cost;   /* micro-units */
  char   *currency;
  CuDay   created_day;    /* CU_DAY_INVALID when unknown */
  CuDay   last_seen_day;  /* CU_DAY_INVALID when unknown */
} CuResource;

void        cu_resource_free (CuResource *resource);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuResource, cu_resource_free)

typedef struct {
  CuDay    day;
  double   value;
  double   maximum;
  gboolean has_maximum;
} CuMetricPoint;

typedef struct {
  guint  n_days;
  double mean;     /* of the daily values */
  double p95;      /* 95th percentile of the daily values (nearest rank) */
  double max;      /* largest daily maximum, or largest value without maxima */
} CuMetricStats;

/* ---- writing: one transaction for a whole inventory pass ---- */

typedef struct _CuInventoryWriter CuInventoryWriter;

CuInventoryWriter *cu_inventory_writer_begin    (CuLedger          *ledger,
                                                 GError           **error);
gint64             cu_inventory_writer_put      (CuInventoryWriter *writer,
                                                 const CuResource  *resource,
                                                 GError           **error);
gboolean           cu_inventory_writer_put_metric (CuInventoryWriter *writer,
                                                   gint64             resource,
                                                   const char        *metric,
                                                   CuDay              day,
                                                   double             value,
                                                   gboolean           has_maximum,
                                                   double             maximum,
                                                   GError           **error);
gboolean           cu_inventory_writer_forget_unseen (CuInventoryWriter *writer,
                                                      gint64             account_id,
                                                      CuDay              seen_day,
                                                      GError           **error);
gboolean           cu_inventory_writer_commit   (CuInventoryWriter *writer,
                                                 GError           **error);
void               cu_inventory_writer_abort    (CuInventoryWriter *writer);

/* ---- reading ---- */

GPtrArray  *cu_inventory_list     (CuLedger    *ledger,
                                   gint64       account_id,     /* 0 = all */
                                   const char  *resource_type,  /* NULL = all */
                                   GError     **error);         /* of CuResource */
CuResource *cu_inventory_get      (CuLedger    *ledger,
                                   gint64       account_id,
                                   const char  *resource_id,
                                   GError     **error);
GArray     *cu_inventory_get_metric (CuLedger  *ledger,
                                     gint64     resource,
                                     const char *metric,
                                     CuDay      first_day,
                                     CuDay      last_day,
                                     GError   **error);          /* of CuMetricPoint */
gboolean    cu_inventory_get_metric_stats (CuLedger      *ledger,
                                           gint64         resource,
                                           const char    *metric,
                                           CuDay          first_day,
                                           CuDay          last_day,
                                           CuMetricStats *out,
                                           GError       **error); /* FALSE without error when no data */

G_END_DECLS
