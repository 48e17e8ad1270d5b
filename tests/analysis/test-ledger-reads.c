/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-reads.c — what the pages read from core: stored forecasts, account usage, tag keys
 *
 * Each test writes its own workspace through the ledger writer (and, for
 * forecasts, runs the real analysis), then checks the values the GUI shows.
 */
#define G_LOG_DOMAIN "test-ledger-reads"

#include <stdlib.h>
#include <string.h>

#include "analysis/cu-analysis.h"
#include "analysis/cu-forecasts.h"
#include "store/cu-account-usage.h"
#include "store/cu-ledger.h"
#include "store/cu-tags.h"
#include "util/cu-money.h"

static GPtrArray *workspaces;

static CuLedger *
new_ledger (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cumulus-reads-XXXXXX", &error);
  CuLedger *ledger;

  g_assert_no_error (error);
  g_ptr_array_add (workspaces, dir);
  ledger = cu_ledger_open (dir, &error);
  g_assert_no_error (error);
  return ledger;
}

typedef struct {
  const char *sub_account_id;
  const char *sub_account_name;
  const char *service;
  double      amount;
  const char *tag_key;     /* one tag or none */
  const char *tag_value;
  const char *currency;    /* NULL for USD */
} Row;

/* one batch of @n_rows rows per day over [first, last] */
static void
write_batch (CuLedger   *ledger,
             gint64      account,
             const char *kind,
             CuDay       first,
             CuDay       last,
             const Row  *rows,
             guint       n_rows,
             guint       n_requests)
{
  g_autoptr(GError) error = NULL;
  CuLedgerWriter *w = cu_ledger_writer_begin (ledger, account, kind, "test", first, last, &error);

  g_assert_no_error (error);
  for (CuDay d = first; d <= last; d++)
    for (guint i = 0; i < n_rows; i++)
      {
        char day[11];
        CuCostRow row = { 0 };
        const char *keys[1] = { rows[i].tag_key };
        const char *values[1] = { rows[i].tag_value };

        cu_day_format (d, day);
        row.charge_period_start = day;
        row.billing_currency = rows[i].currency != NULL ? rows[i].currency : "USD";
        row.provider_name = "AWS";
        row.sub_account_id = rows[i].sub_account_id;
        row.sub_account_name = rows[i].sub_account_name;
        row.region_id = "eu-west-1";
        row.service_name = rows[i].service;
        /* a weekly wiggle, so that the models have something to fit */
        row.billed_cost = cu_money_from_double (rows[i].amount * (1.0 + 0.02 * (d % 7)));
        row.effective_cost = row.billed_cost;
        row.n_tags = rows[i].tag_key != NULL ? 1 : 0;
        row.tag_keys = keys;
        row.tag_values = values;
        g_assert_true (cu_ledger_writer_add (w, &row, &error));
        g_assert_no_error (error);
      }
  cu_ledger_writer_set_requests (w, n_requests);
  g_assert_true (cu_ledger_writer_commit (w, &error));
  g_assert_no_error (error);
}

static void
test_forecasts (void)
{
  static const Row rows[] = {
    { "111", "prod", "Zeta", 200.0, NULL, NULL },
    { "222", "dev", "Alpha", 100.0, NULL, NULL },
  };
  static const char * const order[][2] = {
    { "total", "" }, { "account", "dev" }, { "account", "prod" }, { "service", "Alpha" }, { "service", "Zeta" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = new_ledger ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) tail = NULL;
  g_autoptr(GArray) none = NULL;
  const CuStoredForecast *total;
  CuDay first, last;
  double recent = 0;
  gint64 account;

  cu_day_parse ("2026-03-01", &first);
  last = first + 119;
  account = cu_ledger_add_account (ledger, "src", "aws", "import", NULL, NULL, &error);
  g_assert_no_error (error);

  /* nothing analysed yet: no forecasts, and no error */
  list = cu_forecasts_list (ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  write_batch (ledger, account, "import", first, last, rows, G_N_ELEMENTS (rows), 0);
  g_assert_true (cu_analysis_run (ledger, last + 1, NULL, NULL, &error));
  g_assert_no_error (error);

  /* the total, then accounts by name, then services by name */
  list = cu_forecasts_list (ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < list->len; i++)
    {
      const CuStoredForecast *f = list->pdata[i];

      g_assert_cmpstr (f->series_kind, ==, order[i][0]);
      g_assert_cmpstr (f->series_key, ==, order[i][1]);
      g_assert_cmpstr (f->currency, ==, "USD");
      g_assert_true (f->model != NULL && g_str_has_prefix (f->model, "ETS("));
      g_assert_cmpint (f->history_from, ==, first);
      g_assert_cmpint (f->history_to, ==, last);
      g_assert_true (f->computed_at != NULL && strlen (f->computed_at) == 20 && f->computed_at[10] == 'T');
    }
  total = list->pdata[0];

  /* the next 30 days, one a day, intervals nested */
  points = cu_forecasts_get_points (ledger, "total", "", total->history_to, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 30);
  for (CuDay d = last - 27; d <= last; d++)
    recent += 300.0 * (1.0 + 0.02 * (d % 7)) / 28.0;
  for (guint i = 0; i < points->len; i++)
    {
      const CuForecastPoint *p = &g_array_index (points, CuForecastPoint, i);

      g_assert_cmpint (p->day, ==, last + 1 + (CuDay) i);
      g_assert_cmpfloat (p->lo95, <=, p->lo80);
      g_assert_cmpfloat (p->lo80, <=, p->mean);
      g_assert_cmpfloat (p->mean, <=, p->hi80);
      g_assert_cmpfloat (p->hi80, <=, p->hi95);
      /* a steady $300 a day (±6 %) stays near $300 a day */
      g_assert_cmpfloat (p->mean, >, recent * 0.9);
      g_assert_cmpfloat (p->mean, <, recent * 1.1);
    }

  /* no more than was stored; from any day on */
  all = cu_forecasts_get_points (ledger, "service", "Zeta", last, 1000, &error);
  g_assert_cmpuint (all->len, ==, CU_ANALYSIS_HORIZON);
  tail = cu_forecasts_get_points (ledger, "service", "Zeta", last + CU_ANALYSIS_HORIZON - 2, 30, &error);
  g_assert_cmpuint (tail->len, ==, 2);
  g_assert_cmpint (g_array_index (tail, CuForecastPoint, 1).day, ==, last + CU_ANALYSIS_HORIZON);
  g_assert_cmpfloat (g_array_index (tail, CuForecastPoint, 1).mean, ==,
                     g_array_index (all, CuForecastPoint, CU_ANALYSIS_HORIZON - 1).mean);
  none = cu_forecasts_get_points (ledger, "service", "Nothing", last, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_account_usage (void)
{
  static const Row two[] = {
    { "111", "prod", "EC2", 10.0, NULL, NULL },
    { "111", "prod", "S3", 1.0, NULL, NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = new_ledger ();
  g_autoptr(GArray) usage = NULL;
  const CuAccountUsage *u;
  gint64 file, cloud, idle;
  CuDay first;

  cu_day_parse ("2026-05-01", &first);
  file = cu_ledger_add_account (ledger, "export", "file", "import", NULL, NULL, &error);
  cloud = cu_ledger_add_account (ledger, "aws", "aws", "aws-keys", "111", NULL, &error);
  idle = cu_ledger_add_account (ledger, "idle", "aws", "aws-keys", "333", NULL, &error);
  g_assert_no_error (error);

  usage = cu_account_usage_list (ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (usage->len, ==, 0);
  g_clear_pointer (&usage, g_array_unref);

  /* an import: rows, and requests do not count */
  write_batch (ledger, file, "import", first, first + 9, two, 2, 3);
  /* two syncs of the same ten days: the second replaces the rows of the
   * first, but both sets of requests were made (and paid for) */
  write_batch (ledger, cloud, "sync", first, first + 9, two, 2, 7);
  write_batch (ledger, cloud, "sync", first, first + 9, two, 1, 5);

  usage = cu_account_usage_list (ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (usage->len, ==, 2);
  u = cu_account_usage_find (usage, file);
  g_assert_nonnull (u);
  g_assert_cmpint (u->n_rows, ==, 20);
  g_assert_cmpint (u->n_requests, ==, 0);
  u = cu_account_usage_find (usage, cloud);
  g_assert_nonnull (u);
  g_assert_cmpint (u->n_rows, ==, 10);
  g_assert_cmpint (u->n_requests, ==, 12);
  g_assert_null (cu_account_usage_find (usage, idle));
  g_assert_null (cu_account_usage_find (usage, 0));
}

static void
test_tag_keys (void)
{
  static const Row tagged[] = {
    { "111", "prod", "EC2", 10.0, "team", "web" },
    { "111", "prod", "S3", 1.0, "env", "prod" },
    { "111", "prod", "RDS", 5.0, "Cost Center", "42" },
    { "111", "prod", "EBS", 2.0, "team", "data" },
    { "111", "prod", "Lambda", 0.5, NULL, NULL },
  };
  static const char * const expected[] = { "Cost Center", "env", "team", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = new_ledger ();
  g_auto(GStrv) keys = NULL;
  gint64 account;
  CuDay first;

  /* no costs, no keys — an empty list, not an error */
  keys = cu_ledger_list_tag_keys (ledger, &error);
  g_assert_no_error (error);
  g_assert_nonnull (keys);
  g_assert_cmpuint (g_strv_length (keys), ==, 0);
  g_clear_pointer (&keys, g_strfreev);

  cu_day_parse ("2026-05-01", &first);
  account = cu_ledger_add_account (ledger, "export", "file", "import", NULL, NULL, &error);
  write_batch (ledger, account, "import", first, first + 2, tagged, G_N_ELEMENTS (tagged), 0);
  keys = cu_ledger_list_tag_keys (ledger, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) keys, expected));
  g_clear_pointer (&keys, g_strfreev);

  /* the account goes, its tags with it */
  g_assert_true (cu_ledger_remove_account (ledger, "export", &error));
  keys = cu_ledger_list_tag_keys (ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (keys), ==, 0);
}

/* the currency the Explorer and the Budgets page show amounts in */
static void
test_dominant_currency (void)
{
  static const Row usd[] = { { "111", "prod", "EC2", 10.0, NULL, NULL, "USD" } };
  static const Row eur[] = { { "222", "eu", "VM", 50.0, NULL, NULL, "EUR" } };
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = new_ledger ();
  char *currency;
  gboolean mixed = TRUE;
  gint64 a, b;
  CuDay first;

  /* an empty ledger reads as dollars, alone */
  currency = cu_ledger_get_dominant_currency (ledger, CU_DAY_INVALID, CU_DAY_INVALID, &mixed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (currency, ==, "USD");
  g_assert_false (mixed);
  g_free (currency);

  /* ten days of about $10 a day; three of them also about €50 */
  cu_day_parse ("2026-05-01", &first);
  a = cu_ledger_add_account (ledger, "us", "file", "import", NULL, NULL, &error);
  b = cu_ledger_add_account (ledger, "eu", "file", "import", NULL, NULL, &error);
  write_batch (ledger, a, "import", first, first + 9, usd, 1, 0);
  write_batch (ledger, b, "import", first + 5, first + 7, eur, 1, 0);

  currency = cu_ledger_get_dominant_currency (ledger, CU_DAY_INVALID, CU_DAY_INVALID, &mixed, &error);
  g_assert_cmpstr (currency, ==, "EUR");
  g_assert_true (mixed);
  g_free (currency);
  /* the range decides: before the euros came, dollars only */
  currency = cu_ledger_get_dominant_currency (ledger, first, first + 4, &mixed, &error);
  g_assert_cmpstr (currency, ==, "USD");
  g_assert_false (mixed);
  g_free (currency);
  /* €50 on one day outweighs $10 on each of two */
  currency = cu_ledger_get_dominant_currency (ledger, first + 7, first + 8, &mixed, &error);
  g_assert_cmpstr (currency, ==, "EUR");
  g_assert_true (mixed);
  g_free (currency);
  /* a range without costs */
  currency = cu_ledger_get_dominant_currency (ledger, first + 100, first + 120, &mixed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (currency, ==, "USD");
  g_assert_false (mixed);
  g_free (currency);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  workspaces = g_ptr_array_new_with_free_func (g_free);
  g_test_add_func ("/ledger-reads/forecasts", test_forecasts);
  g_test_add_func ("/ledger-reads/account-usage", test_account_usage);
  g_test_add_func ("/ledger-reads/tag-keys", test_tag_keys);
  g_test_add_func ("/ledger-reads/dominant-currency", test_dominant_currency);
  rc = g_test_run ();
  for (guint i = 0; i < workspaces->len; i++)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", (char *) workspaces->pdata[i]);
      if (system (cmd) != 0)
        rc = 1;
    }
  g_ptr_array_unref (workspaces);
  return rc;
}
