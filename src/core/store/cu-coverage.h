/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-coverage.h — which linked accounts each source covers, and overlaps
 *
 * Costs belong to the linked (cloud) account that incurred them. When two
 * sources — two credentials in one organisation, or a credential and a cost
 * export file — hold the same linked account on the same day, one wins and
 * is counted; the others are kept but shadowed. The rule: an API sync wins
 * over a cost export file; between two API syncs the account added first
 * wins; files never shadow one another (see cu-coverage.c).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  gint64  account_id;        /* the credential or file account that holds the costs */
  char   *linked_account;    /* SubAccountId */
  char   *linked_name;       /* its name when a source told us one, else NULL */
  CuDay   first_day;
  CuDay   last_day;
  guint   n_days;            /* days this source holds */
  guint   n_shadowed_days;   /* of which another source wins */
  gint64  shadowed_by;       /* the winner on the first shadowed day, 0 if none */
  GArray *overlaps;          /* of gint64: other accounts holding the same linked account */
} CuCoverage;

void        cu_coverage_free          (CuCoverage *coverage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuCoverage, cu_coverage_free)

GPtrArray  *cu_ledger_list_coverage   (CuLedger    *self,
                                       gint64       account_id, /* 0 = all */
                                       GError     **error);     /* of CuCoverage */
void        cu_coverage_build_json    (GPtrArray   *coverage,
                                       gint64       account_id,
                                       GPtrArray   *accounts,   /* of CuAccount, for names */
                                       JsonBuilder *builder);
char       *cu_coverage_describe      (GPtrArray   *coverage,
                                       gint64       account_id,
                                       GPtrArray   *accounts);

G_END_DECLS
