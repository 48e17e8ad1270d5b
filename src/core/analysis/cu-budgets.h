/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-budgets.h — budgets with staged alerts on actual and forecast spend */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

#define CU_BUDGET_MAX_STAGES 8

typedef enum {
  CU_BUDGET_MONTHLY,
  CU_BUDGET_QUARTERLY,
  CU_BUDGET_ANNUAL,
} CuBudgetPeriod;

typedef struct {
  gint64          id;
  char           *name;
  CuBudgetPeriod  period;
  gint64          amount;        /* micro-units */
  char           *currency;
  char           *filter_key;    /* NULL, "account", "service" or "tag:KEY" */
  char           *filter_value;
  guint           n_stages;
  guint           stages[CU_BUDGET_MAX_STAGES]; /* percent, ascending */
} CuBudget;

typedef struct {
  guint   threshold;   /* percent */
  char   *basis;       /* "actual" or "forecast" */
  CuDay   crossed_day;
  gint64  spend;
  gboolean new_alert;  /* first time this stage was seen in this period */
} CuBudgetStage;

typedef struct {
  CuBudget   *budget;        /* borrowed from the list passed in */
  CuDay       period_start;
  CuDay       period_end;
  CuDay       through;       /* last day of actuals */
  gint64      actual;        /* micro-units */
  gint64      forecast;      /* actual + forecast of the rest of the period */
  gboolean    forecast_from_model; /* FALSE: a linear projection */
  /* the chance, 0..1, that the period ends above the budget, from the
   * forecast's distribution (cu_projection_probability_above()); 0 or 1
   * once the period is complete; < 0 when no forecast exists */
  double      probability_over;
  double      forecast_lo80, forecast_hi80; /* currency units; = forecast without a model */
  GPtrArray  *stages;        /* of CuBudgetStage crossed this period */
} CuBudgetStatus;

/* one row of budget_alerts: a stage a budget crossed in one of its periods */
typedef struct {
  gint64          budget_id;
  char           *budget_name;
  CuBudgetPeriod  period;
  gint64          amount;        /* the budget's, micro-units */
  char           *currency;
  CuDay           period_start;  /* as stored: the key of the alert */
  CuDay           period_end;    /* last day of that period */
  char           *basis;         /* "actual" or "forecast" */
  guint           threshold;     /* percent */
  gint64          spend;         /* micro-units when crossed */
  CuDay           crossed_day;
} CuBudgetAlert;

void        cu_budget_free            (CuBudget *budget);
void        cu_budget_alert_free      (CuBudgetAlert *alert);
void        cu_budget_status_free     (CuBudgetStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuBudget, cu_budget_free)

gboolean    cu_budget_period_parse    (const char *text, CuBudgetPeriod *period);
const char *cu_budget_period_to_string (CuBudgetPeriod period);
gboolean    cu_budget_stages_parse    (const char *text, CuBudget *budget, GError **error);
void        cu_budget_period_bounds   (CuBudgetPeriod period, CuDay day, CuDay *start, CuDay *end);

gint64      cu_budgets_add            (CuLedger *ledger, const CuBudget *budget, GError **error);
gboolean    cu_budgets_update         (CuLedger *ledger, const CuBudget *budget, GError **error);
gboolean    cu_budgets_remove         (CuLedger *ledger, const char *name, GError **error);
GPtrArray  *cu_budgets_list           (CuLedger *ledger, GError **error); /* of CuBudget */
GPtrArray  *cu_budgets_evaluate       (CuLedger   *ledger,
                                       GPtrArray  *budgets,
                                       CuDay       as_of,
                                       gboolean    record_alerts,
                                       GError    **error); /* of CuBudgetStatus */
GPtrArray  *cu_budgets_list_alerts    (CuLedger *ledger, GError **error); /* of CuBudgetAlert */

G_END_DECLS
