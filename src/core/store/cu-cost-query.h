/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cost-query.h — cost totals from the daily rollups */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef enum {
  CU_GROUP_NONE,
  CU_GROUP_PROVIDER,
  CU_GROUP_ACCOUNT,   /* cloud account: SubAccountId (name when known) */
  CU_GROUP_SERVICE,
  CU_GROUP_REGION,
  CU_GROUP_TAG,       /* tag_key names the key */
} CuGroupBy;

typedef enum {
  CU_GRANULARITY_TOTAL,
  CU_GRANULARITY_DAY,
  CU_GRANULARITY_WEEK,
  CU_GRANULARITY_MONTH,
} CuGranularity;

typedef struct {
  CuDay          from;          /* inclusive; CU_DAY_INVALID = first day with data */
  CuDay          to;            /* inclusive; CU_DAY_INVALID = last day with data */
  CuGroupBy      group_by;
  const char    *tag_key;       /* for CU_GROUP_TAG */
  CuGranularity  granularity;
  /* Optional filter on one dimension, "service", "account", "region",
   * "provider" or "tag:KEY"; NULL for none. */
  const char    *filter_key;
  const char    *filter_value;
} CuCostQuery;

typedef struct {
  char   *period;     /* "2026-11-21", "2026-W47", "2026-11" or "2025-05-22/2026-11-21" */
  CuDay   period_start;
  char   *group;      /* "" when not grouped; "(untagged)" for spend without the tag */
  gint64  billed;     /* micro-units */
  gint64  effective;  /* micro-units */
  char   *currency;
} CuCostCell;

void        cu_cost_cell_free        (CuCostCell *cell);

void        cu_cost_query_init       (CuCostQuery *query);
GPtrArray  *cu_ledger_query_costs    (CuLedger          *ledger,
                                      const CuCostQuery *query,
                                      GError           **error); /* of CuCostCell, by period then group */
gboolean    cu_group_by_parse        (const char  *text,
                                      CuGroupBy   *group_by,
                                      char       **tag_key);
gboolean    cu_granularity_parse     (const char    *text,
                                      CuGranularity *granularity);

G_END_DECLS
