/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-summary.h — the numbers and series the Overview shows */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

#define CU_SUMMARY_TOP_N 5
#define CU_SUMMARY_CHART_DAYS 90
/* the daily chart names at least this many services, more while "Other"
 * would be the largest band or a service has 3 % of the period, at most 16
 * (the chart palette's colours) */
#define CU_SUMMARY_CHART_MIN_NAMED 8
#define CU_SUMMARY_CHART_MAX_NAMED 16
#define CU_SUMMARY_CHART_MIN_SHARE 0.03

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
  gint64  month_projection;   /* actuals + forecast of the rest, or linear */
  /* how month_projection was made: "forecast" (actuals to date plus the
   * stored forecast of the total, with its interval), "linear" (mtd / days
   * elapsed × days in month, where no current forecast exists) or "actual"
   * (the month is complete) */
  const char *month_projection_basis;
  char   *month_projection_model; /* e.g. "ETS(A,Ad,A)"; NULL unless "forecast" */
  gint64  month_projection_lo80, month_projection_hi80; /* = projection unless "forecast" */
  gint64  month_projection_lo95, month_projection_hi95;
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
  guint   n_series;           /* named services, then "Other" when anything is left */
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
