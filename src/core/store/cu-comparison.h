/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-comparison.h — which period a range of costs is compared with
 *
 * The one rule every figure with a "change" uses (`cumulus-cli costs
 * --compare` and `--pivot`, the Explorer): a calendar month, quarter or
 * year is compared with the previous one of the same kind, and with the
 * same period a year earlier; any other range with the same number of days
 * just before it. A period the range or the data covers only in part (the
 * month to date, the first month of history) is "partial": its change
 * against a full period is given like for like, over the same days.
 */
#pragma once

#include "store/cu-cost-query.h"
#include "util/cu-date.h"
#include "util/cu-output.h"

G_BEGIN_DECLS

typedef enum {
  CU_PERIOD_KIND_AUTO,     /* decide from the dates (input only) */
  CU_PERIOD_KIND_RANGE,    /* custom or "last N days" */
  CU_PERIOD_KIND_MONTH,
  CU_PERIOD_KIND_QUARTER,
  CU_PERIOD_KIND_YEAR,
} CuPeriodKind;

typedef struct {
  CuPeriodKind kind;          /* never AUTO */
  CuDay        from, to;      /* the range asked for */
  CuDay        period_from;   /* the whole calendar period (= from, to for a range) */
  CuDay        period_to;
  gboolean     partial;       /* the range stops before the period ends (month to date) */
  CuDay        previous_from; /* the whole previous period, or the days before a range */
  CuDay        previous_to;
  CuDay        like_from;     /* the same days of the previous period: what a partial */
  CuDay        like_to;       /*   range is compared with (= previous_* when whole) */
  CuDay        year_from;     /* the same days a year earlier; CU_DAY_INVALID for a range */
  CuDay        year_to;
} CuComparison;

gboolean     cu_comparison_compute       (CuPeriodKind  kind,
                                          CuDay         from,
                                          CuDay         to,
                                          CuComparison *out);
char        *cu_comparison_describe      (const CuComparison *cmp);

gboolean     cu_period_kind_parse        (const char   *text,
                                          CuPeriodKind *kind);
CuDay        cu_period_end               (CuGranularity granularity,
                                          CuDay         start,
                                          CuDay         from,
                                          CuDay         to);
gboolean     cu_period_is_partial        (CuGranularity granularity,
                                          CuDay         start,
                                          CuDay         from,
                                          CuDay         to,
                                          CuDay         data_first,
                                          CuDay         data_last,
                                          CuDay        *covered_from,
                                          CuDay        *covered_to);

/* The costs of a range against its comparison periods, per group and
 * currency: what `cumulus-cli costs --compare` prints. */
typedef struct {
  char     *group;
  char     *currency;
  gint64    current;     /* billed, micro-units */
  gint64    previous;    /* over like_from … like_to */
  gint64    year;        /* over year_from … year_to; 0 for a range */
} CuComparisonRow;

typedef struct {
  CuComparison  periods;
  GPtrArray    *rows;    /* of CuComparisonRow, largest current first */
} CuCostComparison;

CuCostComparison *cu_ledger_compare_costs     (CuLedger          *ledger,
                                               const CuCostQuery *query,
                                               CuPeriodKind       kind,
                                               GError           **error);
void              cu_cost_comparison_free     (CuCostComparison  *cmp);
void              cu_cost_comparison_append   (CuCostComparison  *cmp,
                                               GString           *out,
                                               CuOutputFormat     format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuCostComparison, cu_cost_comparison_free)

G_END_DECLS
