/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger.h — the SQLite ledger of one workspace
 *
 * A CuLedger is one connection to <workspace>/ledger.db. Connections are
 * not shared between threads: every worker opens its own with
 * cu_ledger_open(). The schema is migrated forward on open.
 *
 * Money columns (BilledCost, EffectiveCost, ListCost, ContractedCost and
 * the rollup sums) hold integer micro-units of BillingCurrency, see
 * cu-money.h. Column names of cost_rows follow FOCUS 1.2.
 */
#pragma once

#include <glib-object.h>

#include "util/cu-date.h"

G_BEGIN_DECLS

#define CU_LEDGER_SCHEMA_VERSION 6

#define CU_LEDGER_ERROR (cu_ledger_error_quark ())
GQuark cu_ledger_error_quark (void);

typedef enum {
  CU_LEDGER_ERROR_SQL,
  CU_LEDGER_ERROR_TOO_NEW,
  CU_LEDGER_ERROR_INVALID,
  CU_LEDGER_ERROR_NOT_FOUND,
  CU_LEDGER_ERROR_EXISTS,
} CuLedgerError;

#define CU_TYPE_LEDGER (cu_ledger_get_type ())
G_DECLARE_FINAL_TYPE (CuLedger, cu_ledger, CU, LEDGER, GObject)

CuLedger   *cu_ledger_open            (const char  *workspace_dir,
                                       GError     **error);
CuLedger   *cu_ledger_open_at_version (const char  *workspace_dir,
                                       int          version,
                                       GError     **error);
const char *cu_ledger_get_workspace   (CuLedger    *self);
int         cu_ledger_get_schema_version (CuLedger *self);

gboolean    cu_ledger_checkpoint      (CuLedger    *self,
                                       GError     **error);

/* ---- accounts (never secrets) ---- */

typedef struct {
  gint64  id;
  char   *name;
  char   *provider;     /* "aws" | "azure" | "file" | "demo" */
  char   *kind;         /* "aws-keys" | "aws-role" | "azure-sp" | "import" | "demo" */
  char   *external_id;  /* AWS account id / Azure subscription id, may be NULL */
  char   *config_json;  /* non-secret settings as a JSON object, may be NULL */
  char   *created_at;
} CuAccount;

void        cu_account_free           (CuAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuAccount, cu_account_free)

gint64      cu_ledger_add_account     (CuLedger    *self,
                                       const char  *name,
                                       const char  *provider,
                                       const char  *kind,
                                       const char  *external_id,
                                       const char  *config_json,
                                       GError     **error);
gint64      cu_ledger_ensure_account  (CuLedger    *self,
                                       const char  *name,
                                       const char  *provider,
                                       const char  *kind,
                                       GError     **error);
CuAccount  *cu_ledger_get_account     (CuLedger    *self,
                                       const char  *name,
                                       GError     **error);
GPtrArray  *cu_ledger_list_accounts   (CuLedger    *self,
                                       GError     **error); /* of CuAccount */
gboolean    cu_ledger_remove_account  (CuLedger    *self,
                                       const char  *name,
                                       GError     **error);

/* ---- writing cost rows: atomic replace of one account's date range ---- */

typedef struct {
  /* Required */
  const char *charge_period_start;   /* "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" */
  const char *charge_period_end;
  gint64      billed_cost;           /* micro-units */
  gint64      effective_cost;        /* micro-units */
  const char *billing_currency;      /* ISO 4217 */
  /* Optional (NULL / has_* FALSE for null) */
  gint64      list_cost;        gboolean has_list_cost;
  gint64      contracted_cost;  gboolean has_contracted_cost;
  const char *billing_period_start;
  const char *billing_period_end;
  const char *billing_account_id;
  const char *billing_account_name;
  const char *sub_account_id;
  const char *sub_account_name;
  const char *provider_name;
  const char *publisher_name;
  const char *invoice_issuer_name;
  const char *service_name;
  const char *service_category;
  const char *service_subcategory;
  const char *region_id;
  const char *region_name;
  const char *availability_zone;
  const char *resource_id;
  const char *resource_name;
  const char *resource_type;
  const char *charge_category;
  const char *charge_class;
  const char *charge_description;
  const char *charge_frequency;
  const char *sku_id;
  const char *sku_price_id;
  const char *pricing_category;
  const char *pricing_unit;
  const char *consumed_unit;
  double      pricing_quantity;  gboolean has_pricing_quantity;
  double      consumed_quantity; gboolean has_consumed_quantity;
  const char *commitment_discount_id;
  const char *commitment_discount_type;
  const char *invoice_id;
  /* Tags: n_tags pairs; keys unique */
  guint               n_tags;
  const char * const *tag_keys;
  const char * const *tag_values;
} CuCostRow;

typedef struct _CuLedgerWriter CuLedgerWriter;

CuLedgerWriter *cu_ledger_writer_begin  (CuLedger    *self,
                                         gint64       account_id,
                                         const char  *batch_kind,   /* "import" | "sync" | "demo" */
                                         const char  *batch_source, /* file path, API name … */
                                         CuDay        first_day,
                                         CuDay        last_day,
                                         GError     **error);
gboolean        cu_ledger_writer_add    (CuLedgerWriter  *writer,
                                         const CuCostRow *row,
                                         GError         **error);
void            cu_ledger_writer_set_requests (CuLedgerWriter *writer,
                                               guint           n_requests);
gint64          cu_ledger_writer_get_batch_id (CuLedgerWriter *writer);
guint64         cu_ledger_writer_get_n_rows   (CuLedgerWriter *writer);
gboolean        cu_ledger_writer_commit (CuLedgerWriter  *writer,
                                         GError         **error);
void            cu_ledger_writer_abort  (CuLedgerWriter  *writer,
                                         const char      *reason);
void            cu_ledger_writer_cancel (CuLedgerWriter  *writer);

/* Several (account, date range) writers in one transaction: see
 * cu-ledger-writer.c. Rows go to each writer with cu_ledger_writer_add(). */
typedef struct _CuLedgerWriterGroup CuLedgerWriterGroup;

CuLedgerWriterGroup *cu_ledger_writer_group_new    (CuLedger            *self,
                                                    const char          *batch_kind,
                                                    const char          *batch_source);
CuLedgerWriter      *cu_ledger_writer_group_begin  (CuLedgerWriterGroup *group,
                                                    gint64               account_id,
                                                    CuDay                first_day,
                                                    CuDay                last_day,
                                                    GError             **error);
gboolean             cu_ledger_writer_group_commit (CuLedgerWriterGroup *group,
                                                    GError             **error);
void                 cu_ledger_writer_group_abort  (CuLedgerWriterGroup *group,
                                                    const char          *reason);
void                 cu_ledger_writer_group_cancel (CuLedgerWriterGroup *group);

/* ---- batches ---- */

typedef struct {
  gint64  id;
  gint64  account_id;
  char   *kind;
  char   *source;
  char   *first_day;
  char   *last_day;
  char   *status;      /* "running" | "done" | "failed" | "cancelled" | "interrupted" */
  char   *error;       /* why it failed or was interrupted; NULL otherwise */
  char   *started_at;
  char   *finished_at;
  gint64  n_rows;
  gint64  n_requests;
} CuBatch;

void        cu_batch_free              (CuBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuBatch, cu_batch_free)
GPtrArray  *cu_ledger_list_batches     (CuLedger    *self,
                                        gint64       account_id, /* 0 = all */
                                        GError     **error);     /* of CuBatch, newest first */

char       *cu_ledger_get_dominant_currency (CuLedger  *self,
                                             CuDay      from,
                                             CuDay      to,
                                             gboolean  *mixed,
                                             GError   **error);

/* ---- data range ---- */
gboolean    cu_ledger_get_day_range    (CuLedger    *self,
                                        CuDay       *first,
                                        CuDay       *last,
                                        GError     **error); /* FALSE without error when empty */
gint64      cu_ledger_count_cost_rows  (CuLedger    *self,
                                        GError     **error);

G_END_DECLS
