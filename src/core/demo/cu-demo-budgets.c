/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-demo-budgets.c — the demo's two example budgets and their history
 *
 * So that the Budgets page, its alerts and the Forecast page's "chance of
 * ending above" show something without any setting up, the demo carries
 * a monthly budget on all costs and a quarterly one on the platform team's
 * tag. Their amounts are set from the demo's own spend (a little above
 * the last complete month, a little below the platform team's last
 * quarter), so the current period sits near the line and some past periods
 * crossed their stages; those crossings are recorded as the alert history
 * daily analysis runs would have left behind (seen mid-period and after
 * the period ended).
 */
#define G_LOG_DOMAIN "cumulus-demo"

#include <math.h>

#include "analysis/cu-budgets.h"
#include "cu-demo-private.h"
#include "store/cu-ledger-private.h"
#include "util/cu-money.h"

/* months and quarters of alert history */
#define HISTORY_MONTHS 6
#define HISTORY_QUARTERS 3

static gint64
round_to (double value,
          double step)
{
  return cu_money_from_double (MAX (step, round (value / step) * step));
}

/* spend of @b over the whole period that ends on @period_end */
static gboolean
period_spend (CuLedger *ledger,
              CuBudget *b,
              CuDay     period_end,
              gint64   *out,
              GError  **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GPtrArray) status = NULL;

  g_ptr_array_add (one, b);
  status = cu_budgets_evaluate (ledger, one, period_end + 1, FALSE, error);
  if (status == NULL)
    return FALSE;
  *out = ((CuBudgetStatus *) status->pdata[0])->actual;
  return TRUE;
}

/**
 * cu_demo_budgets_write:
 * @end_day: the demo's last day with costs
 *
 * Adds the two example budgets and the alerts of their past periods.
 */
gboolean
cu_demo_budgets_write (CuLedger *ledger,
                       CuDay     end_day,
                       GError  **error)
{
  CuBudget total = { 0 }, team = { 0 };
  CuDay month_start = cu_day_month_start (end_day);
  CuDay quarter_start, qs;
  gint64 spend = 0;
  int y, m;
  g_autoptr(GPtrArray) budgets = NULL;

  total.name = (char *) "Cloud spend";
  total.period = CU_BUDGET_MONTHLY;
  total.currency = (char *) "USD";
  total.amount = 1;
  if (!cu_budget_stages_parse ("50,80,100", &total, error))
    return FALSE;
  if (!period_spend (ledger, &total, month_start - 1, &spend, error))
    return FALSE;
  /* 2 % above the last complete month, to the nearest $10,000 */
  total.amount = round_to (cu_money_to_double (spend) * 1.02, 10000.0);

  cu_day_to_ymd (end_day, &y, &m, NULL);
  quarter_start = cu_day_from_ymd (y, ((m - 1) / 3) * 3 + 1, 1);
  team.name = (char *) "Platform team";
  team.period = CU_BUDGET_QUARTERLY;
  team.currency = (char *) "USD";
  team.filter_key = (char *) "tag:team";
  team.filter_value = (char *) "platform";
  team.amount = 1;
  if (!cu_budget_stages_parse ("50,80,90,100", &team, error))
    return FALSE;
  if (!period_spend (ledger, &team, quarter_start - 1, &spend, error))
    return FALSE;
  /* 5 % under the last complete quarter, to the nearest $1,000: growth
   * makes the current quarter likely to pass it */
  team.amount = round_to (cu_money_to_double (spend) * 0.95, 1000.0);

  if (cu_budgets_add (ledger, &total, error) == 0 ||
      cu_budgets_add (ledger, &team, error) == 0)
    return FALSE;

  /* the history: each past period evaluated once, on the day after it ended */
  budgets = cu_budgets_list (ledger, error);
  if (budgets == NULL)
    return FALSE;
  for (guint i = 0; i < budgets->len; i++)
    {
      CuBudget *b = budgets->pdata[i];
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      guint n = b->period == CU_BUDGET_MONTHLY ? HISTORY_MONTHS : HISTORY_QUARTERS;
      int step = b->period == CU_BUDGET_MONTHLY ? 1 : 3;

      g_ptr_array_add (one, b);
      qs = b->period == CU_BUDGET_MONTHLY ? month_start : quarter_start;
      for (guint k = n; k >= 1; k--)
        {
          CuDay after = cu_day_add_months (qs, -(int) (k - 1) * step); /* the day after the period */
          CuDay start = cu_day_add_months (after, -step);
          /* mid-period, as a daily analysis would have seen it (the
           * forecast stages then cross on a projection, not on the final
           * spend), then on the day after the period ended */
          CuDay as_of[2] = { start + (after - start) / 2, after };

          for (guint j = 0; j < G_N_ELEMENTS (as_of); j++)
            {
              g_autoptr(GPtrArray) status = cu_budgets_evaluate (ledger, one, as_of[j], TRUE, error);

              if (status == NULL)
                return FALSE;
            }
        }
    }
  /* the history was seen when it happened: no burst of notifications for
   * it on the first analysis run */
  return cu_ledger_exec (ledger, "UPDATE budget_alerts SET notified = 1", error);
}
