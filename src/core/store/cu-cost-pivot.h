/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cost-pivot.h — cost cells as a table of groups × periods
 *
 * Built from the cells of cu_ledger_query_costs() (by day, week or month),
 * read by the Explorer's pivot table and printed by `cumulus-cli costs
 * --pivot`. One row per group and currency; "change" is the last period
 * minus the first; it and its percentage are left out (not comparable)
 * when the first or the last period is partial.
 */
#pragma once

#include "store/cu-cost-query.h"
#include "util/cu-output.h"

G_BEGIN_DECLS

typedef struct {
  CuDay     start;          /* the cell's period_start */
  char     *label;          /* as `costs` prints it: YYYY-MM, the Monday, YYYY-MM-DD */
  gboolean  partial;        /* the range or the data covers it only in part */
  CuDay     covered_from;   /* the days covered */
  CuDay     covered_to;
} CuPivotPeriod;

typedef struct {
  char     *group;          /* "" when not grouped */
  char     *currency;
  gint64   *values;         /* billed, micro-units, one per period */
  gint64    total;
  gint64    change;         /* last period − first */
  gboolean  has_change;     /* FALSE: one period, or the first or last partial */
  gboolean  has_change_pct; /* FALSE: first period zero, or partial against whole */
  double    change_pct;
  double    share;          /* of the total in this currency, 0 … 1 */
} CuPivotRow;

typedef struct {
  CuGranularity  granularity;
  CuDay          from, to;
  guint          n_periods;
  CuPivotPeriod *periods;
  GPtrArray     *rows;      /* of CuPivotRow, largest total first */
} CuCostPivot;

CuCostPivot *cu_cost_pivot_new      (GPtrArray      *cells,
                                     CuGranularity   granularity,
                                     CuDay           from,
                                     CuDay           to,
                                     CuDay           data_first,
                                     CuDay           data_last);
void         cu_cost_pivot_free     (CuCostPivot    *pivot);
void         cu_cost_pivot_set_baseline (CuCostPivot *pivot,
                                         GPtrArray   *cells,
                                         gboolean     comparable);
gboolean     cu_cost_pivot_sort     (CuCostPivot    *pivot,
                                     const char     *column,
                                     gboolean        descending);
void         cu_cost_pivot_sort_by_index (CuCostPivot *pivot,
                                          guint        column,
                                          gboolean     descending);
void         cu_cost_pivot_append   (CuCostPivot    *pivot,
                                     GString        *out,
                                     CuOutputFormat  format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuCostPivot, cu_cost_pivot_free)

G_END_DECLS
