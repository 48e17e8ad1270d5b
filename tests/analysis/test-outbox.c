/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-outbox.c — the analysis pass, the notification outbox and the budget alerts it reads
 *
 * A real ledger (rows through the ledger writer) with a known spike and two
 * budgets: the pass must store the anomaly and the stages, the outbox must
 * hold exactly what was not announced, and marking must touch exactly what
 * was collected — a row that arrives in between stays for the next run.
 */
#define G_LOG_DOMAIN "test-outbox"

#include <stdlib.h>
#include <string.h>

#include "analysis/cu-analysis-pass.h"
#include "analysis/cu-budgets.h"
#include "analysis/cu-outbox.h"
#include "store/cu-ledger-private.h"
#include "util/cu-money.h"

static char *workspace;
static CuLedger *ledger;
static CuDay first_day, last_day, spike_day;

/* "Compute" has a weekly cycle and growth, "Storage" is flat; +$900 on
 * Compute on spike_day */
static double
compute_cost (int d)
{
  int wd = cu_day_weekday (first_day + d);
  return 400.0 + d * 0.5 + (wd >= 6 ? -120.0 : 0.0) + ((d * 37) % 11) - 5;
}

static double
storage_cost (int d)
{
  return 100.0 + ((d * 13) % 5) * 0.1;
}

/* what the ledger holds for the day, in micro-units, as written */
static gint64
day_total (CuDay day)
{
  int d = day - first_day;

  return cu_money_from_double (compute_cost (d) + (day == spike_day ? 900.0 : 0.0)) +
         cu_money_from_double (storage_cost (d));
}

static gint64
query_int (const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static void
add_budget (const char     *name,
            CuBudgetPeriod  period,
            double          amount,
            const char     *service)
{
  g_autoptr(GError) error = NULL;
  CuBudget b = { 0 };

  b.name = (char *) name;
  b.period = period;
  b.amount = cu_money_from_double (amount);
  b.currency = (char *) "USD";
  if (service != NULL)
    {
      b.filter_key = (char *) "service";
      b.filter_value = (char *) service;
    }
  g_assert_true (cu_budget_stages_parse ("50,80,100", &b, &error));
  g_assert_cmpint (cu_budgets_add (ledger, &b, &error), >, 0);
  g_assert_no_error (error);
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  CuLedgerWriter *w;
  gint64 account;

  cu_day_parse ("2026-01-01", &first_day);
  last_day = first_day + 199;     /* 2026-07-19 */
  spike_day = first_day + 170;
  workspace = g_dir_make_tmp ("cumulus-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  ledger = cu_ledger_open (workspace, &error);
  g_assert_no_error (error);
  account = cu_ledger_add_account (ledger, "src", "aws", "import", NULL, NULL, &error);
  w = cu_ledger_writer_begin (ledger, account, "import", "t", first_day, last_day, &error);
  g_assert_no_error (error);
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
      row.billed_cost = cu_money_from_double (storage_cost (d));
      row.effective_cost = row.billed_cost;
      g_assert_true (cu_ledger_writer_add (w, &row, &error));
    }
  g_assert_true (cu_ledger_writer_commit (w, &error));

  /* July to date is about $10,000 in all: a $10,000 total budget crosses
   * 50 % and 80 % on actuals; $60,000 a quarter on Compute crosses none */
  add_budget ("Total monthly", CU_BUDGET_MONTHLY, 10000.0, NULL);
  add_budget ("Compute quarterly", CU_BUDGET_QUARTERLY, 60000.0, "Compute");
}

/* the days each stage of an amount is crossed, from the rows written */
static void
expected_crossing (double  amount,
                   guint   threshold,
                   CuDay  *crossed,
                   gint64 *spend)
{
  gint64 limit = (gint64) ((double) cu_money_from_double (amount) * threshold / 100.0);
  CuDay start, end;
  gint64 sum = 0;

  cu_budget_period_bounds (CU_BUDGET_MONTHLY, last_day, &start, &end);
  *crossed = CU_DAY_INVALID;
  *spend = 0;
  for (CuDay d = start; d <= last_day; d++)
    {
      sum += day_total (d);
      if (sum >= limit)
        {
          *crossed = d;
          *spend = sum;
          return;
        }
    }
}

static void
test_pass (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuAnalysisPass) pass = cu_analysis_pass_run (ledger, last_day + 1, NULL, &error);
  const CuAnomaly *spike = NULL;
  gboolean seen[101] = { FALSE };
  CuDay july_start, july_end;

  g_assert_no_error (error);
  g_assert_nonnull (pass);
  /* total + 1 account + 2 services */
  g_assert_cmpuint (pass->stats.n_series, ==, 4);
  g_assert_cmpuint (pass->n_budgets, ==, 2);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM budget_alerts"), ==, pass->n_stages);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM forecast_models"), ==, 4);

  /* anomalies: what is new, large enough, not yet announced — and in order */
  g_assert_cmpint (pass->outbox->anomalies->len, ==,
                   query_int ("SELECT COUNT(*) FROM anomalies WHERE status = 'new' AND impact >= 50000000"));
  g_assert_cmpuint (pass->outbox->anomalies->len, >, 0);
  for (guint i = 0; i < pass->outbox->anomalies->len; i++)
    {
      const CuAnomaly *a = pass->outbox->anomalies->pdata[i];

      g_assert_cmpint (a->impact, >=, cu_money_from_double (CU_ANALYSIS_MIN_IMPACT));
      g_assert_cmpint (a->impact, ==, a->actual - a->expected);
      g_assert_cmpstr (a->status, ==, "new");
      g_assert_cmpstr (a->currency, ==, "USD");
      if (i > 0)
        {
          const CuAnomaly *p = pass->outbox->anomalies->pdata[i - 1];
          g_assert_true (p->day > a->day || (p->day == a->day && p->impact >= a->impact));
        }
      if (g_str_equal (a->series_kind, "service") && g_str_equal (a->series_key, "Compute") && a->day == spike_day)
        spike = a;
    }
  g_assert_nonnull (spike);
  /* the day held $900 more than its pattern */
  g_assert_cmpint (spike->actual, ==, cu_money_from_double (compute_cost (spike_day - first_day) + 900.0));
  g_assert_cmpfloat (cu_money_to_double (spike->impact), >, 700.0);
  g_assert_cmpfloat (cu_money_to_double (spike->impact), <, 1100.0);

  /* budget alerts: every stage row, with its budget's name, amount and period */
  g_assert_cmpint (pass->outbox->alerts->len, ==, pass->n_stages);
  cu_budget_period_bounds (CU_BUDGET_MONTHLY, last_day, &july_start, &july_end);
  for (guint i = 0; i < pass->outbox->alerts->len; i++)
    {
      const CuBudgetAlert *a = pass->outbox->alerts->pdata[i];

      if (i > 0)
        {
          const CuBudgetAlert *p = pass->outbox->alerts->pdata[i - 1];
          int c = strcmp (p->budget_name, a->budget_name);

          g_assert_true (c < 0 || (c == 0 && (strcmp (p->basis, a->basis) < 0 ||
                                              (g_str_equal (p->basis, a->basis) && p->threshold < a->threshold))));
        }
      g_assert_cmpstr (a->currency, ==, "USD");
      if (g_str_equal (a->budget_name, "Total monthly"))
        {
          g_assert_cmpint (a->period, ==, CU_BUDGET_MONTHLY);
          g_assert_cmpint (a->amount, ==, cu_money_from_double (10000.0));
          g_assert_cmpint (a->period_start, ==, july_start);
          g_assert_cmpint (a->period_end, ==, july_end);
        }
      else
        {
          CuDay qs, qe;

          cu_budget_period_bounds (CU_BUDGET_QUARTERLY, last_day, &qs, &qe);
          g_assert_cmpstr (a->budget_name, ==, "Compute quarterly");
          g_assert_cmpint (a->period_start, ==, qs);
          g_assert_cmpint (a->period_end, ==, qe);
          /* Compute to date is far below $30,000: only a forecast may cross */
          g_assert_cmpstr (a->basis, ==, "forecast");
        }
      if (g_str_equal (a->budget_name, "Total monthly") && g_str_equal (a->basis, "actual"))
        {
          CuDay crossed;
          gint64 spend;

          expected_crossing (10000.0, a->threshold, &crossed, &spend);
          g_assert_cmpint (a->crossed_day, ==, crossed);
          g_assert_cmpint (a->spend, ==, spend);
          seen[a->threshold] = TRUE;
        }
    }
  g_assert_true (seen[50]);
  g_assert_true (seen[80]);
  {
    CuDay crossed;
    gint64 spend;

    expected_crossing (10000.0, 100, &crossed, &spend);
    g_assert_cmpint (seen[100], ==, crossed != CU_DAY_INVALID);
  }

  /* the budgets page's list is the same rows, newest period first */
  {
    g_autoptr(GPtrArray) all = cu_budgets_list_alerts (ledger, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, pass->n_stages);
    for (guint i = 1; i < all->len; i++)
      {
        const CuBudgetAlert *p = all->pdata[i - 1], *a = all->pdata[i];
        g_assert_true (p->period_start > a->period_start ||
                       (p->period_start == a->period_start && p->threshold >= a->threshold));
      }
  }
}

static gint64
insert_anomaly (const char *key,
                CuDay       day,
                double      impact,
                const char *status)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO anomalies (series_kind, series_key, usage_day, expected, actual,"
                                          " impact, score, currency, status) VALUES ('service', '%s', %d, 0, %"
                                          G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1.0, 'USD', '%s')",
                                          key, day, cu_money_from_double (impact), cu_money_from_double (impact),
                                          status);
  g_autoptr(GError) error = NULL;

  g_assert_true (cu_ledger_exec (ledger, sql, &error));
  g_assert_no_error (error);
  return sqlite3_last_insert_rowid (cu_ledger_get_db (ledger));
}

static void
test_mark (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuOutbox) outbox = cu_outbox_collect (ledger, &error);
  g_autoptr(CuOutbox) after = NULL;
  g_autoptr(CuLedger) other = NULL;
  g_autoptr(CuAnalysisPass) again = NULL;
  gint64 late, small, dismissed;
  guint n_alerts;

  g_assert_no_error (error);
  g_assert_false (cu_outbox_is_empty (outbox));
  n_alerts = outbox->alerts->len;

  /* arrives after the collection: must not be marked with it */
  late = insert_anomaly ("Late", last_day, 200.0, "new");
  /* never in the outbox: below the dollar floor, or dismissed */
  small = insert_anomaly ("Small", last_day, 10.0, "new");
  dismissed = insert_anomaly ("Gone", last_day, 500.0, "dismissed");

  g_assert_true (cu_outbox_mark_notified (ledger, outbox, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM budget_alerts WHERE notified = 0"), ==, 0);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM budget_alerts WHERE notified = 1"), ==, n_alerts);

  /* another connection (as the GUI's second worker has) sees only the late one */
  other = cu_ledger_open (workspace, &error);
  g_assert_no_error (error);
  after = cu_outbox_collect (other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->alerts->len, ==, 0);
  g_assert_cmpuint (after->anomalies->len, ==, 1);
  g_assert_cmpint (((CuAnomaly *) after->anomalies->pdata[0])->id, ==, late);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM anomalies WHERE notified = 0 AND id IN (%"
                                            G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", small, dismissed);
    g_assert_cmpint (query_int (sql), ==, 2);
  }
  g_assert_true (cu_outbox_mark_notified (other, after, &error));
  g_clear_pointer (&after, cu_outbox_free);
  after = cu_outbox_collect (ledger, &error);
  g_assert_true (cu_outbox_is_empty (after));
  /* an empty outbox marks nothing and succeeds */
  g_assert_true (cu_outbox_mark_notified (ledger, after, &error));

  /* a second pass over the same costs announces nothing again */
  again = cu_analysis_pass_run (ledger, last_day + 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cu_outbox_is_empty (again->outbox));
  g_assert_cmpuint (again->n_stages, ==, n_alerts);
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 alerts = query_int ("SELECT COUNT(*) FROM budget_alerts");

  g_cancellable_cancel (cancellable);
  g_assert_null (cu_analysis_pass_run (ledger, last_day + 1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM forecast_models"), ==, 4);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM budget_alerts"), ==, alerts);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  setup ();
  g_test_add_func ("/outbox/pass", test_pass);
  g_test_add_func ("/outbox/mark", test_mark);
  g_test_add_func ("/outbox/cancel", test_cancel);
  rc = g_test_run ();
  g_clear_object (&ledger);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", workspace);
    if (system (cmd) != 0)
      rc = 1;
  }
  return rc;
}
