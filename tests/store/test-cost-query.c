/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cost-query.c — grouping, periods, filters and tags on known data */
#define G_LOG_DOMAIN "test-cost-query"

#include <stdlib.h>
#include <string.h>

#include "cu-test-util.h"
#include "store/cu-ledger-private.h"
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

  workspace = cu_test_make_tmp_dir ("cumulus-query");
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

static int
strcmp_ptr (gconstpointer a, gconstpointer b, gpointer data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
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
  /* tag with another dimension: read from the rollup by tag set */
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
  /* both services are named: no empty "Other" band */
  g_assert_cmpuint (s->n_series, ==, 2);
  g_assert_cmpstr (s->series_names[1], ==, "S3");
  /* no forecast stored: the projection is linear and says so */
  g_assert_cmpstr (s->month_projection_basis, ==, "linear");
  g_assert_null (s->month_projection_model);
  g_assert_cmpint (s->month_projection_hi95, ==, s->month_projection);
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

/* Every Explorer shape on a random ledger with three tag keys, answered from
 * the rollups, against the same question asked of the cost rows in SQL. */
static void
test_every_shape (void)
{
  static const char *services[] = { "EC2", "S3", "RDS", "Lambda" };
  static const char *regions[] = { "us-east-1", "eu-west-1", "" };
  static const char *teams[] = { "web", "data", "ml" };
  static const char *envs[] = { "prod", "dev" };
  static const char *subs[] = { "111", "222", "333", "444" }; /* no two sources share one */
  static const struct { const char *label; CuGroupBy g; const char *tag; const char *sql; } groups[] = {
    { "none", CU_GROUP_NONE, NULL, "''" },
    { "provider", CU_GROUP_PROVIDER, NULL, "COALESCE(c.ProviderName, a.provider)" },
    { "account", CU_GROUP_ACCOUNT, NULL,
      "COALESCE((SELECT n.name FROM sub_accounts n WHERE n.provider = COALESCE(c.ProviderName, a.provider)"
      " AND n.sub_account_id = c.SubAccountId), COALESCE(c.SubAccountId, ''))" },
    { "service", CU_GROUP_SERVICE, NULL, "COALESCE(c.ServiceName, '')" },
    { "region", CU_GROUP_REGION, NULL, "COALESCE(c.RegionId, '')" },
    { "team", CU_GROUP_TAG, "team", "COALESCE(json_extract(c.Tags, '$.team'), '(untagged)')" },
    { "env", CU_GROUP_TAG, "env", "COALESCE(json_extract(c.Tags, '$.env'), '(untagged)')" },
  };
  static const struct { const char *key, *value, *sql; } filters[] = {
    { NULL, NULL, "1" },
    { "service", "S3", "COALESCE(c.ServiceName, '') = 'S3'" },
    { "region", "eu-west-1", "COALESCE(c.RegionId, '') = 'eu-west-1'" },
    { "provider", "Microsoft", "COALESCE(c.ProviderName, a.provider) = 'Microsoft'" },
    { "account", "acct-222", "(c.SubAccountId = 'acct-222' OR c.SubAccountId IN"
                              " (SELECT sub_account_id FROM sub_accounts WHERE name = 'acct-222'))" },
    { "tag:team", "data", "json_extract(c.Tags, '$.team') = 'data'" },
    { "tag:env", "prod", "json_extract(c.Tags, '$.env') = 'prod'" },
  };
  static const struct { CuGranularity g; const char *sql; } grains[] = {
    { CU_GRANULARITY_DAY, "date(c.usage_day * 86400, 'unixepoch')" },
    { CU_GRANULARITY_WEEK, "date((c.usage_day - (c.usage_day + 3) % 7) * 86400, 'unixepoch')" },
    { CU_GRANULARITY_MONTH, "strftime('%Y-%m', c.usage_day * 86400, 'unixepoch')" },
    { CU_GRANULARITY_TOTAL, "'2025-12-01/2026-02-28'" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-shapes");
  g_autoptr(CuLedger) l = cu_ledger_open (dir, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  CuDay first, last;
  guint n_shapes = 0;

  cu_day_parse ("2025-12-01", &first);
  cu_day_parse ("2026-02-28", &last);
  for (int a = 0; a < 2; a++)
    {
      gint64 account = cu_ledger_add_account (l, a ? "azure-src" : "aws-src", a ? "azure" : "aws",
                                              "import", NULL, NULL, &error);
      CuLedgerWriter *w = cu_ledger_writer_begin (l, account, "import", "t", first, last, &error);

      g_assert_no_error (error);
      for (int i = 0; i < 3000; i++)
        {
          CuCostRow row = { 0 };
          char day[11];
          const char *keys[3], *values[3];
          guint n = 0;
          g_autofree char *name = NULL;

          cu_day_format (first + g_rand_int_range (rand, 0, last - first + 1), day);
          row.charge_period_start = day;
          row.billed_cost = g_rand_int_range (rand, 1, 5000000);
          row.effective_cost = row.billed_cost / 3;
          row.billing_currency = "USD";
          row.provider_name = a ? "Microsoft" : (i % 5 ? "AWS" : NULL);
          row.sub_account_id = subs[2 * a + g_rand_int_range (rand, 0, 2)];
          name = g_strdup_printf ("acct-%s", row.sub_account_id);
          row.sub_account_name = i % 3 ? name : NULL;
          row.service_name = services[g_rand_int_range (rand, 0, 4)];
          row.region_id = regions[g_rand_int_range (rand, 0, 3)];
          if (g_rand_int_range (rand, 0, 100) >= 15)
            {
              keys[n] = "team"; values[n++] = teams[g_rand_int_range (rand, 0, 3)];
              if (g_rand_boolean (rand))
                {
                  keys[n] = "env"; values[n++] = envs[g_rand_int_range (rand, 0, 2)];
                }
              keys[n] = "project"; values[n++] = g_rand_boolean (rand) ? "p1" : "p2";
            }
          row.n_tags = n;
          row.tag_keys = keys;
          row.tag_values = values;
          g_assert_true (cu_ledger_writer_add (w, &row, &error));
        }
      g_assert_true (cu_ledger_writer_commit (w, &error));
      g_assert_no_error (error);
    }

  for (guint gi = 0; gi < G_N_ELEMENTS (groups); gi++)
    for (guint fi = 0; fi < G_N_ELEMENTS (filters); fi++)
      for (guint k = 0; k < G_N_ELEMENTS (grains); k++)
        {
          g_autoptr(GPtrArray) cells = NULL;
          g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *sql = NULL;
          sqlite3_stmt *stmt = NULL;
          CuCostQuery q;

          cu_cost_query_init (&q);
          q.group_by = groups[gi].g;
          q.tag_key = groups[gi].tag;
          q.granularity = grains[k].g;
          q.filter_key = filters[fi].key;
          q.filter_value = filters[fi].value;
          cells = cu_ledger_query_costs (l, &q, &error);
          g_assert_no_error (error);
          for (guint i = 0; i < cells->len; i++)
            {
              CuCostCell *c = cells->pdata[i];
              g_ptr_array_add (got, g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                                                     c->period, c->group, c->billed, c->effective));
            }
          sql = g_strdup_printf ("SELECT %s, %s, SUM(c.BilledCost), SUM(c.EffectiveCost)"
                                 " FROM cost_rows c JOIN accounts a ON a.id = c.account_id WHERE %s"
                                 " GROUP BY 1, 2", grains[k].sql, groups[gi].sql, filters[fi].sql);
          g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (l), sql, -1, &stmt, NULL), ==, SQLITE_OK);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            g_ptr_array_add (want, g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                                                    sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                                                    (gint64) sqlite3_column_int64 (stmt, 2), (gint64) sqlite3_column_int64 (stmt, 3)));
          sqlite3_finalize (stmt);
          g_ptr_array_sort_with_data (got, strcmp_ptr, NULL);
          g_ptr_array_sort_with_data (want, strcmp_ptr, NULL);
          if (got->len != want->len)
            g_error ("group %s, filter %s, granularity %u: %u cells, SQL on the rows gives %u",
                     groups[gi].label, filters[fi].key ? filters[fi].key : "-", k, got->len, want->len);
          for (guint i = 0; i < got->len; i++)
            if (!g_str_equal (got->pdata[i], want->pdata[i]))
              g_error ("group %s, filter %s, granularity %u: %s, SQL on the rows gives %s",
                       groups[gi].label, filters[fi].key ? filters[fi].key : "-", k,
                       (char *) got->pdata[i], (char *) want->pdata[i]);
          g_assert_cmpuint (want->len, >, 0);
          n_shapes++;
        }
  g_assert_cmpuint (n_shapes, ==, 7 * 7 * 4);
  g_clear_object (&l);
  cu_test_remove_tree (dir);
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
  g_test_add_func ("/cost-query/every-shape", test_every_shape);
  g_test_add_func ("/summary/compute", test_summary);
  rc = g_test_run ();
  g_clear_object (&ledger);
  cu_test_remove_tree (workspace);
  g_free (workspace);
  return rc;
}
