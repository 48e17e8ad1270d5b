/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-account-row.h — one cloud account on the Accounts page: status, sync, test */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* How another source relates to this account's copy of a linked account. */
typedef enum {
  CU_LINKED_SHADOWED_BY,     /* the other's copy counts on n_days, this one's not */
  CU_LINKED_SHADOWS,         /* this copy counts on n_days, the other's not */
  CU_LINKED_BOTH_COUNT,      /* neither shadows the other: two files (two bills), other
                              * days, or a third source wins over both */
} CuLinkedRelation;

typedef struct {
  char             *other;   /* the other source, as people call it */
  CuLinkedRelation  relation;
  guint             n_days;  /* the days the relation holds on (0 for BOTH_COUNT) */
} CuLinkedOverlap;

/* One linked (member) account whose costs an account holds. */
typedef struct {
  char      *id;             /* SubAccountId */
  char      *name;           /* NULL when no source named it */
  int        first_day;      /* CuDay */
  int        last_day;
  guint      n_days;
  guint      n_shadowed_days;
  GPtrArray *overlaps;       /* of CuLinkedOverlap, never NULL */
} CuLinkedAccount;

CuLinkedAccount *cu_linked_account_new         (const char       *id,
                                                const char       *name);
void             cu_linked_account_add_overlap (CuLinkedAccount  *linked,
                                                const char       *other,
                                                CuLinkedRelation  relation,
                                                guint             n_days);
void             cu_linked_account_free        (CuLinkedAccount  *linked);
char            *cu_linked_overlap_describe    (const CuLinkedOverlap *overlap);

/* What the Accounts page read from the ledger about one account; plain data,
 * built in the page's worker. Never holds a secret. */
typedef struct {
  char   *name;
  char   *provider;          /* "aws" | "azure" | … */
  char   *kind;              /* "aws-keys" | "aws-role" | "azure-sp" | "import" | "demo" */
  char   *identity;          /* access key id, role ARN or subscription id */
  char   *via;               /* aws-role: source account; azure-sp: client id */
  char   *external_id;       /* AWS account / subscription id from the ledger */
  char   *config_json;       /* the non-secret settings (CuAccount.config_json) */
  char  **cost_tags;         /* AWS cost-allocation tag keys; NULL or empty: none */
  /* the last batch (sync or import), all NULL / 0 when there is none */
  char   *last_status;       /* "done" | "failed" | "cancelled" | "running" | "interrupted" */
  char   *last_error;
  char   *last_source;       /* file path for imports */
  char   *last_started_at;   /* ISO 8601 UTC */
  char   *last_finished_at;
  char   *last_first_day;
  char   *last_last_day;
  gint64  last_rows;
  gint64  last_requests;
  /* the last batch that succeeded (may be the same), NULL / 0 when none */
  char   *ok_finished_at;
  char   *ok_first_day;
  char   *ok_last_day;
  char   *ok_source;         /* file path for imports */
  gint64  ok_rows;
  /* totals */
  gint64  n_rows;            /* cost rows in the ledger */
  gint64  n_requests;        /* billable requests over every sync */
  GPtrArray *linked;         /* of CuLinkedAccount: what it covers; NULL when unknown */
} CuAccountStatus;

void             cu_account_status_free (CuAccountStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuAccountStatus, cu_account_status_free)

char            *cu_account_format_when (const char *iso8601);
char            *cu_account_format_count (gint64 n);

#define CU_TYPE_ACCOUNT_ROW (cu_account_row_get_type ())
G_DECLARE_FINAL_TYPE (CuAccountRow, cu_account_row, CU, ACCOUNT_ROW, AdwExpanderRow)

CuAccountRow *cu_account_row_new              (const char            *workspace,
                                               const CuAccountStatus *status);
const char   *cu_account_row_get_name         (CuAccountRow          *self);
const CuAccountStatus *cu_account_row_get_status (CuAccountRow         *self);
void          cu_account_row_set_status       (CuAccountRow          *self,
                                               const CuAccountStatus *status);
gboolean      cu_account_row_get_syncing      (CuAccountRow          *self);
gint64        cu_account_row_get_last_attempt (CuAccountRow          *self);
void          cu_account_row_sync             (CuAccountRow          *self);
void          cu_account_row_cancel_sync      (CuAccountRow          *self);
void          cu_account_row_test_connection  (CuAccountRow          *self);

G_END_DECLS
