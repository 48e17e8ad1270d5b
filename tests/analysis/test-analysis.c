/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-analysis.c — forecasts, anomalies and budgets stored in the ledger */
#define G_LOG_DOMAIN "test-analysis"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cu-test-util.h"
#include "analysis/cu-analysis.h"
#include "analysis/cu-budgets.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

static CuTestWorkspace *workspace;
static CuLedger *ledger;   /* borrowed from workspace */
static CuDay first_day, last_day, spike_day;

/* 200 days, two services; "Compute" has a weekly cycle and growth,
 * "Storage" is flat; one spike of +$900 on Compute. */
static double
compute_cost (int d)
{
  int wd = cu_day_weekday (first_day + d);
  return 400.0 + d * 0.5 + (wd >= 6 ? -120.0 : 0.0) + ((d * 37) % 11) - 5;
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  CuLedgerWriter *w;
  gint64 account;

  cu_day_parse ("2026-01-01", &first_day);
  last_day = first_day + 199;
  spike_day = first_day + 170;
  workspace = cu_test_workspace_new ("cumulus-analysis");
  ledger = workspace->ledger;
  account = cu_ledger_add_account (ledger, "src", "aws", "import", NULL, NULL, &error);
  w = cu_ledger_writer_begin (ledger, account, "import", "t", first_day, last_day, &error);
  for (int d = 0; d < 200; d++)
    {
      char day[11];
      CuCostRow row = { 0 };

      cu_day_format (first_day + d, day);
      row.charge_period_start = day;
      row.billing_currency = "USD";
      row.provider_name = "AWS";
      row.sub_account_id = "111";
      row.sub_account_name = "prod";
      row.region_id = "us-east-1";
      row.service_name = "Compute";
      row.billed_cost = cu_money_from_double (compute_cost (d) + (first_day + d == spike_day ? 900.0 : 0.0));
      row.effective_cost = row.billed_cost;
      g_assert_true (cu_ledger_writer_add (w, &row, &error));
      row.service_name = "Storage";
      row.billed_cost = cu_money_from_double (100.0 + ((d * 13) % 5) * 0.1);
      row.effective_cost = row.billed_cost;
      g_assert_true (cu_ledger_writer_add (w, &row, &error));
    }
  g_assert_true (cu_ledger_writer_commit (w, &error));
}

static gint64
query_int (const char *sql)
{
  return cu_test_query_int (ledger, sql);
}

static void
test_series (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) total = cu_analysis_load_series (ledger, "total", 0, last_day + 1, &error);
  g_autoptr(GPtrArray) services = cu_analysis_load_series (ledger, "service", 1, last_day + 1, &error);
  CuDailySeries *t;

  g_assert_no_error (error);
  g_assert_cmpuint (total->len, ==, 1);
  t = total->pdata[0];
  g_assert_cmpuint (t->n, ==, 200);
  g_assert_cmpfloat_with_epsilon (t->values[3], compute_cost (3) + 100.0 + ((3 * 13) % 5) * 0.1, 1e-6);
  g_assert_cmpuint (services->len, ==, 1);
  g_assert_cmpstr (((CuDailySeries *) services->pdata[0])->key, ==, "Compute");
  /* as_of cuts the history */
  {
    g_autoptr(GPtrArray) cut = cu_analysis_load_series (ledger, "total", 0, first_day + 10, &error);
    g_assert_cmpuint (((CuDailySeries *) cut->pdata[0])->n, ==, 10);
  }
  g_assert_null (cu_analysis_load_series (ledger, "colour", 0, last_day + 1, &error));
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID);
}

static void
test_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) anomalies = NULL;
  CuAnalysisStats stats;
  CuAnomaly *found = NULL;

  g_assert_true (cu_analysis_run (ledger, last_day + 1, NULL, &stats, &error));
  g_assert_no_error (error);
  /* total + 1 account + 2 services */
  g_assert_cmpuint (stats.n_series, ==, 4);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM forecasts"), ==, 4 * CU_ANALYSIS_HORIZON);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM forecasts WHERE NOT (lo95 <= lo80 AND lo80 <= mean"
                              " AND mean <= hi80 AND hi80 <= hi95)"), ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM forecasts WHERE lo95 < 0"), ==, 0);

  anomalies = cu_analysis_list_anomalies (ledger, TRUE, &error);
  for (guint i = 0; i < anomalies->len; i++)
    {
      CuAnomaly *a = anomalies->pdata[i];
      if (g_str_equal (a->series_kind, "service") && g_str_equal (a->series_key, "Compute") && a->day == spike_day)
        found = a;
    }
  g_assert_nonnull (found);
  g_assert_cmpfloat (cu_money_to_double (found->impact), >, 700.0);
  g_assert_cmpfloat (cu_money_to_double (found->impact), <, 1100.0);
  g_assert_cmpfloat (found->score, >, 0.9);
  g_assert_cmpstr (found->status, ==, "new");
  /* the flat Storage series (±$0.40 wiggle) raises nothing */
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM anomalies WHERE series_key = 'Storage'"), ==, 0);
  /* few false alarms on Compute: the spike and at most two more */
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM anomalies WHERE series_key = 'Compute'"), <=, 3);

  /* reviewing survives a re-run, which finds nothing new */
  g_assert_true (cu_analysis_set_anomaly_status (ledger, found->id, "acknowledged", &error));
  g_assert_false (cu_analysis_set_anomaly_status (ledger, found->id, "maybe", &error));
  g_clear_error (&error);
  g_assert_true (cu_analysis_run (ledger, last_day + 1, NULL, &stats, &error));
  g_assert_cmpuint (stats.n_new_anomalies, ==, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM anomalies WHERE id = %" G_GINT64_FORMAT
                                            " AND status = 'acknowledged'", found->id);
    g_assert_cmpint (query_int (sql), ==, 1);
  }
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 before = query_int ("SELECT COUNT(*) FROM forecasts");

  g_cancellable_cancel (cancellable);
  g_assert_false (cu_analysis_run (ledger, last_day + 1, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM forecasts"), ==, before);
}

static void
test_projection (void)
{
  g_autoptr(GError) error = NULL;
  CuProjection p;
  CuDay start, end;
  double month_actual = 0;

  /* last_day is 2026-07-19: July is half done */
  cu_budget_period_bounds (CU_BUDGET_MONTHLY, last_day, &start, &end);
  g_assert_true (cu_analysis_project (ledger, "total", "", start, end, &p, &error));
  for (CuDay d = start; d <= last_day; d++)
    month_actual += compute_cost (d - first_day) + 100.0 + (((d - first_day) * 13) % 5) * 0.1;
  g_assert_cmpfloat_with_epsilon (p.actual, month_actual, 0.01);
  g_assert_cmpint (p.actual_through, ==, last_day);
  g_assert_nonnull (p.model);
  /* the rest of July at about $470–$530 a day */
  g_assert_cmpfloat (p.mean - p.actual, >, 12 * 400.0);
  g_assert_cmpfloat (p.mean - p.actual, <, 12 * 650.0);
  g_assert_cmpfloat (p.lo95, <=, p.lo80);
  g_assert_cmpfloat (p.lo80, <=, p.mean);
  g_assert_cmpfloat (p.mean, <=, p.hi80);
  g_assert_cmpfloat (p.hi80, <=, p.hi95);
  g_free (p.model);
}

static void
test_budgets (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) status = NULL;
  CuBudget b = { 0 };
  CuBudgetStatus *st;
  CuDay qs, qe;

  b.name = (char *) "Compute monthly";
  b.period = CU_BUDGET_MONTHLY;
  b.amount = cu_money_from_double (15000.0);
  b.currency = (char *) "USD";
  b.filter_key = (char *) "service";
  b.filter_value = (char *) "Compute";
  g_assert_true (cu_budget_stages_parse ("50,80,100", &b, &error));
  g_assert_cmpint (cu_budgets_add (ledger, &b, &error), >, 0);
  g_assert_cmpint (cu_budgets_add (ledger, &b, &error), ==, 0);
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (cu_budget_stages_parse ("80,50", &b, &error));
  g_clear_error (&error);

  list = cu_budgets_list (ledger, &error);
  g_assert_cmpuint (list->len, ==, 1);
  status = cu_budgets_evaluate (ledger, list, last_day + 1, TRUE, &error);
  g_assert_no_error (error);
  st = status->pdata[0];
  /* 19 July days of ~$480 ≈ $9,100: past 50 %, not 80 % yet; the month
   * should end near $15,000, so the forecast crosses 80 % */
  g_assert_cmpfloat (cu_money_to_double (st->actual), >, 7500.0);
  g_assert_cmpfloat (cu_money_to_double (st->actual), <, 12000.0);
  g_assert_true (st->forecast_from_model);
  {
    gboolean a50 = FALSE, a80 = FALSE, f80 = FALSE;
    for (guint i = 0; i < st->stages->len; i++)
      {
        CuBudgetStage *s = st->stages->pdata[i];
        g_assert_true (s->new_alert);
        if (g_str_equal (s->basis, "actual"))
          {
            a50 |= s->threshold == 50;
            a80 |= s->threshold == 80;
            if (s->threshold == 50)
              g_assert_cmpint (s->crossed_day, <, last_day);
          }
        else
          f80 |= s->threshold == 80;
      }
    g_assert_true (a50);
    g_assert_false (a80);
    g_assert_true (f80);
  }
  g_clear_pointer (&status, g_ptr_array_unref);

  /* each stage alerts once */
  status = cu_budgets_evaluate (ledger, list, last_day + 1, TRUE, &error);
  st = status->pdata[0];
  g_assert_cmpuint (st->stages->len, >, 0);
  for (guint i = 0; i < st->stages->len; i++)
    g_assert_false (((CuBudgetStage *) st->stages->pdata[i])->new_alert);

  cu_budget_period_bounds (CU_BUDGET_QUARTERLY, last_day, &qs, &qe);
  {
    char a[11], z[11];
    cu_day_format (qs, a);
    cu_day_format (qe, z);
    g_assert_cmpstr (a, ==, "2026-07-01");
    g_assert_cmpstr (z, ==, "2026-09-30");
  }
  g_assert_true (cu_budgets_remove (ledger, "Compute monthly", &error));
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM budget_alerts"), ==, 0);
  g_assert_false (cu_budgets_remove (ledger, "Compute monthly", &error));
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  setup ();
  g_test_add_func ("/analysis/series", test_series);
  g_test_add_func ("/analysis/run", test_run);
  g_test_add_func ("/analysis/cancel", test_cancel);
  g_test_add_func ("/analysis/projection", test_projection);
  g_test_add_func ("/analysis/budgets", test_budgets);
  rc = g_test_run ();
  /* closes the ledger (its last reference) before removing the files */
  ledger = NULL;
  cu_test_workspace_free (g_steal_pointer (&workspace));
  return rc;
}
