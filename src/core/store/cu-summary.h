/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-summary.h — the numbers and series the Overview shows */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

#define CU_SUMMARY_TOP_N 5
#define CU_SUMMARY_CHART_DAYS 90

typedef struct {
  char   *name;
  gint64  amount;      /* micro-units, BilledCost */
  double  share;       /* of the period's total, 0..1 */
} CuSummaryItem;

typedef struct {
  /* the period everything is relative to */
  CuDay   as_of;              /* "today": data is complete through as_of - 1 */
  CuDay   data_first;
  CuDay   data_last;
  char   *currency;           /* dominant currency; amounts below are in it */
  gboolean mixed_currencies;  /* other currencies exist and are left out */

  gint64  month_to_date;      /* 1st of as_of's month .. as_of - 1 */
  gint64  month_projection;   /* linear: mtd / days elapsed × days in month */
  gint64  last_month;         /* the whole previous calendar month */
  gint64  last_month_same_period; /* previous month, same number of days as mtd */
  gint64  year_to_date;
  gint64  daily_average;      /* over the last 30 complete days */
  CuDay   month_start;
  int     days_elapsed;
  int     days_in_month;

  /* last 30 complete days: top services and accounts */
  CuDay          top_from, top_to;
  GPtrArray     *top_services;  /* of CuSummaryItem, at most CU_SUMMARY_TOP_N */
  GPtrArray     *top_accounts;  /* of CuSummaryItem */
  GPtrArray     *by_region;     /* of CuSummaryItem, all regions, largest first */

  /* daily chart: n_days days ending as_of - 1, stacked by series */
  CuDay   chart_first;
  guint   n_days;
  guint   n_series;           /* top services + "Other" */
  char  **series_names;       /* n_series */
  double *series_values;      /* n_series × n_days, currency units, row-major by series */
} CuSummary;

void        cu_summary_free     (CuSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuSummary, cu_summary_free)

CuSummary  *cu_summary_compute  (CuLedger  *ledger,
                                 CuDay      as_of,
                                 GError   **error);
char       *cu_summary_to_json  (const CuSummary *summary);

G_END_DECLS
