/* test-cost-query.c — grouping, periods, filters and tags on known data */
#define G_LOG_DOMAIN "test-cost-query"

#include <stdlib.h>
#include <string.h>

#include "store/cu-cost-query.h"
#include "store/cu-ledger.h"
#include "store/cu-summary.h"

static char *workspace;
static CuLedger *ledger;

typedef struct {
  const char *day, *account, *service, *region, *team;
  const char *amount_cents;
} Row;

/* 2026-01-30 (Fri) … 2026-02-02 (Mon) */
static const Row rows[] = {
  { "2026-01-30", "111", "EC2", "us-east-1", "web",  "1000" },
  { "2026-01-30", "111", "S3",  "us-east-1", NULL,   "250" },
  { "2026-01-31", "222", "EC2", "eu-west-1", "data", "2000" },
  { "2026-02-01", "111", "EC2", "us-east-1", "web",  "1500" },
  { "2026-02-01", "222", "S3",  "eu-west-1", "data", "125" },
  { "2026-02-02", "222", "EC2", "eu-west-1", NULL,   "4000" },
};

static void
setup_ledger (void)
{
  g_autoptr(GError) error = NULL;
  gint64 account;
  CuLedgerWriter *w;
  CuDay first, last;

  workspace = g_dir_make_tmp ("cumulus-query-XXXXXX", &error);
  ledger = cu_ledger_open (workspace, &error);
  g_assert_no_error (error);
  account = cu_ledger_add_account (ledger, "src", "aws", "import", NULL, NULL, &error);
  cu_day_parse ("2026-01-30", &first);
  cu_day_parse ("2026-02-02", &last);
  w = cu_ledger_writer_begin (ledger, account, "import", "t", first, last, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      CuCostRow row = { 0 };
      const char *keys[] = { "team" };
      const char *values[] = { rows[i].team };

      row.charge_period_start = rows[i].day;
      row.billed_cost = g_ascii_strtoll (rows[i].amount_cents, NULL, 10) * 10000;
      row.effective_cost = row.billed_cost / 2;
      row.billing_currency = "USD";
      row.provider_name = "AWS";
      row.sub_account_id = rows[i].account;
      row.sub_account_name = g_str_equal (rows[i].account, "111") ? "prod" : "data";
      row.service_name = rows[i].service;
      row.region_id = rows[i].region;
      row.n_tags = rows[i].team ? 1 : 0;
      row.tag_keys = keys;
      row.tag_values = values;
      g_assert_true (cu_ledger_writer_add (w, &row, &error));
    }
  g_assert_true (cu_ledger_writer_commit (w, &error));
}

/* "period|group|billed-cents;…" for compact assertions */
static char *
run (CuGroupBy group, const char *tag, CuGranularity gran, const char *fkey, const char *fvalue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  GString *out = g_string_new (NULL);
  CuCostQuery q;

  cu_cost_query_init (&q);
  q.group_by = group;
  q.tag_key = tag;
  q.granularity = gran;
  q.filter_key = fkey;
  q.filter_value = fvalue;
  cells = cu_ledger_query_costs (ledger, &q, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = cells->pdata[i];
      g_string_append_printf (out, "%s%s|%s|%" G_GINT64_FORMAT, i ? ";" : "", c->period, c->group, c->billed / 10000);
    }
  return g_string_free (out, FALSE);
}

static void
check (char *got, const char *want)
{
  g_assert_cmpstr (got, ==, want);
  g_free (got);
}

static void
test_groups (void)
{
  check (run (CU_GROUP_NONE, NULL, CU_GRANULARITY_TOTAL, NULL, NULL), "2026-01-30/2026-02-02||8875");
  check (run (CU_GROUP_SERVICE, NULL, CU_GRANULARITY_TOTAL, NULL, NULL),
         "2026-01-30/2026-02-02|EC2|8500;2026-01-30/2026-02-02|S3|375");
  check (run (CU_GROUP_ACCOUNT, NULL, CU_GRANULARITY_TOTAL, NULL, NULL),
         "2026-01-30/2026-02-02|data|6125;2026-01-30/2026-02-02|prod|2750");
  check (run (CU_GROUP_PROVIDER, NULL, CU_GRANULARITY_MONTH, NULL, NULL),
         "2026-01|AWS|3250;2026-02|AWS|5625");
  check (run (CU_GROUP_REGION, NULL, CU_GRANULARITY_WEEK, NULL, NULL),
         "2026-01-26|us-east-1|2750;2026-01-26|eu-west-1|2125;2026-02-02|eu-west-1|4000");
}

static void
test_weeks (void)
{
  /* Mon 26 Jan .. Sun 1 Feb is one ISO week; Mon 2 Feb starts the next */
  check (run (CU_GROUP_NONE, NULL, CU_GRANULARITY_WEEK, NULL, NULL), "2026-01-26||4875;2026-02-02||4000");
  check (run (CU_GROUP_NONE, NULL, CU_GRANULARITY_DAY, NULL, NULL),
         "2026-01-30||1250;2026-01-31||2000;2026-02-01||1625;2026-02-02||4000");
}

static void
test_tags (void)
{
  check (run (CU_GROUP_TAG, "team", CU_GRANULARITY_TOTAL, NULL, NULL),
         "2026-01-30/2026-02-02|(untagged)|4250;2026-01-30/2026-02-02|web|2500;2026-01-30/2026-02-02|data|2125");
  check (run (CU_GROUP_TAG, "team", CU_GRANULARITY_MONTH, NULL, NULL),
         "2026-01|data|2000;2026-01|web|1000;2026-01|(untagged)|250;2026-02|(untagged)|4000;2026-02|web|1500;2026-02|data|125");
  /* tag with another dimension: read from the cost rows */
  check (run (CU_GROUP_SERVICE, NULL, CU_GRANULARITY_TOTAL, "tag:team", "data"),
         "2026-01-30/2026-02-02|EC2|2000;2026-01-30/2026-02-02|S3|125");
  check (run (CU_GROUP_TAG, "team", CU_GRANULARITY_TOTAL, "service", "EC2"),
         "2026-01-30/2026-02-02|(untagged)|4000;2026-01-30/2026-02-02|web|2500;2026-01-30/2026-02-02|data|2000");
  check (run (CU_GROUP_NONE, NULL, CU_GRANULARITY_TOTAL, "tag:team", "web"), "2026-01-30/2026-02-02||2500");
}

static void
test_filters (void)
{
  check (run (CU_GROUP_SERVICE, NULL, CU_GRANULARITY_TOTAL, "region", "eu-west-1"),
         "2026-01-30/2026-02-02|EC2|6000;2026-01-30/2026-02-02|S3|125");
  /* account by id or by name */
  check (run (CU_GROUP_NONE, NULL, CU_GRANULARITY_TOTAL, "account", "111"), "2026-01-30/2026-02-02||2750");
  check (run (CU_GROUP_NONE, NULL, CU_GRANULARITY_TOTAL, "account", "prod"), "2026-01-30/2026-02-02||2750");
  check (run (CU_GROUP_NONE, NULL, CU_GRANULARITY_TOTAL, "service", "Nope"), "");
}

static void
test_summary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSummary) s = NULL;
  CuDay as_of;

  cu_day_parse ("2026-02-03", &as_of);
  s = cu_summary_compute (ledger, as_of, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->currency, ==, "USD");
  g_assert_cmpint (s->days_elapsed, ==, 2);
  g_assert_cmpint (s->days_in_month, ==, 28);
  g_assert_cmpint (s->month_to_date, ==, 5625 * 10000);
  g_assert_cmpint (s->month_projection, ==, 5625 * 10000 / 2 * 28);
  g_assert_cmpint (s->last_month, ==, 3250 * 10000);
  g_assert_cmpint (s->last_month_same_period, ==, 0);
  g_assert_cmpint (s->year_to_date, ==, 8875 * 10000);
  g_assert_cmpint (s->daily_average, ==, 8875 * 10000 / 4);
  g_assert_cmpint (s->top_services->len, ==, 2);
  g_assert_cmpstr (((CuSummaryItem *) s->top_services->pdata[0])->name, ==, "EC2");
  g_assert_cmpstr (((CuSummaryItem *) s->top_accounts->pdata[0])->name, ==, "data");
  g_assert_cmpuint (s->n_days, ==, 90);
  g_assert_cmpuint (s->n_series, ==, 3);
  g_assert_cmpstr (s->series_names[2], ==, "Other");
  g_assert_cmpfloat_with_epsilon (s->series_values[0 * 90 + 89], 40.0, 1e-9); /* EC2 on 2 Feb */
  g_assert_cmpfloat_with_epsilon (s->series_values[1 * 90 + 88], 1.25, 1e-9); /* S3 on 1 Feb */

  /* a ledger behind "today" reports its last month with data */
  {
    g_autoptr(CuSummary) late = NULL;
    cu_day_parse ("2026-03-20", &as_of);
    late = cu_summary_compute (ledger, as_of, &error);
    g_assert_cmpint (late->month_to_date, ==, 5625 * 10000);
  }
  {
    g_autofree char *json = cu_summary_to_json (s);
    g_assert_nonnull (strstr (json, "\"month_to_date\": 56.25,"));
    g_assert_nonnull (strstr (json, "\"currency\": \"USD\""));
  }
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  setup_ledger ();
  g_test_add_func ("/cost-query/groups", test_groups);
  g_test_add_func ("/cost-query/weeks", test_weeks);
  g_test_add_func ("/cost-query/tags", test_tags);
  g_test_add_func ("/cost-query/filters", test_filters);
  g_test_add_func ("/summary/compute", test_summary);
  rc = g_test_run ();
  g_clear_object (&ledger);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", workspace);
    if (system (cmd) != 0)
      rc = 1;
  }
  g_free (workspace);
  return rc;
}
