/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-demo.c — the demo workspace: determinism, shape, anomalies, inventory,
 * reconciliation, cancellation and crash safety */
#define G_LOG_DOMAIN "cumulus-demo"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/cu-ledger-private.h"
#include "cu-test-util.h"
#include "analysis/cu-analysis.h"
#include "analysis/cu-budgets.h"
#include "demo/cu-demo.h"
#include "store/cu-inventory.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"
#include "util/cu-workspace.h"

#define DEFAULT_SEED 42

/* CUMULUS_DEMO_TEST_SEED and CUMULUS_DEMO_TEST_END (YYYY-MM-DD) run the
 * same checks on other seeds and dates */
static guint64 seed = DEFAULT_SEED;
#define SEED seed

/* a fixed end day keeps the test independent of the calendar */
static CuDay end_day;
static char *shared_parent;
static char *shared_dir;
static CuLedger *shared;
static GArray *shared_progress;   /* of double */
static double shared_seconds;

/* ------------------------------------------------------------------ helpers */

static sqlite3 *
db (void)
{
  return cu_ledger_get_db (shared);
}

/* Everything the generator decides; timestamps (accounts.created_at,
 * batches) are left out. */
static char *
workspace_digest (const char *dir)
{
  static const char * const queries[] = {
    "SELECT id, name, provider, kind, external_id, config FROM accounts ORDER BY id",
    "SELECT * FROM cost_rows ORDER BY id",
    "SELECT * FROM rollup_daily ORDER BY 1, 2, 3, 4, 5, 6, 7",
    "SELECT * FROM rollup_tag_daily ORDER BY 1, 2, 3, 4, 5",
    "SELECT * FROM resources ORDER BY id",
    "SELECT * FROM resource_metrics ORDER BY resource, metric, usage_day",
    "SELECT * FROM demo_events ORDER BY id",
    "SELECT * FROM workspace_meta ORDER BY key",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    cu_test_hash_query (sum, ledger, queries[i]);
  return g_strdup (g_checksum_get_string (sum));
}

static void
record_progress_cb (double fraction, gpointer data)
{
  g_array_append_val ((GArray *) data, fraction);
}

/* Daily totals of one (sub_account, service, region) series. */
static GHashTable *
series_by_day (const char *sub_account, const char *service, const char *region)
{
  GHashTable *days = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db (),
                                       "SELECT usage_day, SUM(billed) FROM rollup_daily"
                                       " WHERE sub_account = ? AND service = ? AND region = ? GROUP BY usage_day",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, sub_account, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, service, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, region, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      double *v = g_new (double, 1);

      *v = sqlite3_column_int64 (stmt, 1) / 1e6;
      g_hash_table_insert (days, GINT_TO_POINTER (sqlite3_column_int (stmt, 0)), v);
    }
  sqlite3_finalize (stmt);
  return days;
}

static double
day_value (GHashTable *days, CuDay day)
{
  double *v = g_hash_table_lookup (days, GINT_TO_POINTER (day));
  return v ? *v : 0.0;
}

/* ------------------------------------------------------------------ tests */

/* Two example budgets with a history of alerts: the total monthly, just
 * above the last complete month; the platform team's tag quarterly. The
 * alerts are those of past periods, already notified; after an analysis
 * run the current month has a forecast and a chance of passing. */
static void
test_budgets (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) budgets = cu_budgets_list (shared, &error);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  CuBudget *total = NULL, *team = NULL;
  CuDay month_start = cu_day_month_start (end_day);
  guint n_total = 0, n_team = 0;
  GHashTable *periods = g_hash_table_new (NULL, NULL);
  gint64 last_month = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (budgets->len, ==, 2);
  for (guint i = 0; i < budgets->len; i++)
    {
      CuBudget *b = budgets->pdata[i];
      if (b->filter_key == NULL)
        total = b;
      else
        team = b;
    }
  g_assert_nonnull (total);
  g_assert_nonnull (team);
  g_assert_cmpint (total->period, ==, CU_BUDGET_MONTHLY);
  g_assert_cmpint (team->period, ==, CU_BUDGET_QUARTERLY);
  g_assert_cmpstr (team->filter_key, ==, "tag:team");
  g_assert_cmpstr (team->filter_value, ==, "platform");
  g_assert_cmpint (total->amount % (G_GINT64_CONSTANT (10000) * CU_MICROS_PER_UNIT), ==, 0);
  g_assert_cmpint (team->amount % (G_GINT64_CONSTANT (1000) * CU_MICROS_PER_UNIT), ==, 0);

  /* the total's amount is the last complete month + 2 %, rounded */
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db (), "SELECT SUM(billed) FROM rollup_daily WHERE usage_day BETWEEN ? AND ?",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_int (stmt, 1, cu_day_add_months (month_start, -1));
    sqlite3_bind_int (stmt, 2, month_start - 1);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    last_month = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
  }
  g_assert_cmpfloat (fabs ((double) total->amount / (last_month * 1.02) - 1.0), <, 5000e6 / total->amount + 1e-9);

  alerts = cu_budgets_list_alerts (shared, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < alerts->len; i++)
    {
      CuBudgetAlert *a = alerts->pdata[i];

      /* history only: every alert is of a period that has ended */
      g_assert_cmpint (a->period_end, <, end_day);
      g_assert_cmpint (a->spend, >=, (gint64) ((double) a->amount * a->threshold / 100.0));
      if (a->budget_id == total->id)
        n_total++;
      else
        n_team++;
      g_hash_table_add (periods, GINT_TO_POINTER (a->budget_id * 100000 + a->period_start));
    }
  g_test_message ("demo budgets: total %.2f (%u alerts), platform %.2f (%u alerts), %u periods",
                  total->amount / 1e6, n_total, team->amount / 1e6, n_team, g_hash_table_size (periods));
  g_assert_cmpuint (n_total, >=, 6 * 2);  /* six months, at least 50 % and 80 % each */
  g_assert_cmpuint (n_team, >=, 2 * 2);
  g_assert_cmpuint (g_hash_table_size (periods), >=, 6 + 2);
  g_hash_table_unref (periods);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db (), "SELECT COUNT(*) FROM budget_alerts WHERE notified = 0",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
  }

  /* the current month, evaluated mid-month without a forecast: a linear
   * projection and no probability; the period is the demo's last month */
  statuses = cu_budgets_evaluate (shared, budgets, end_day + 1, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < statuses->len; i++)
    {
      CuBudgetStatus *st = statuses->pdata[i];
      g_assert_cmpint (st->through, ==, end_day);
      g_assert_cmpint (st->actual, >, 0);
    }
}

static void
test_determinism (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = cu_test_make_tmp_dir ("cumulus-demo-test");
  g_autofree char *same = g_build_filename (parent, "same", NULL);
  g_autofree char *other = g_build_filename (parent, "other", NULL);
  g_autofree char *unrelated = g_build_filename (other, "notes.txt", NULL);
  g_autofree char *d_shared = workspace_digest (shared_dir);
  g_autofree char *d_same = NULL;
  g_autofree char *d_other = NULL;

  /* an existing empty directory is fine … */
  g_assert_cmpint (g_mkdir (same, 0700), ==, 0);
  g_assert_true (cu_demo_create (same, SEED, end_day, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  d_same = workspace_digest (same);
  g_assert_cmpstr (d_shared, ==, d_same);

  /* … and so is one holding other files, which are kept */
  g_assert_cmpint (g_mkdir (other, 0700), ==, 0);
  g_assert_true (g_file_set_contents (unrelated, "keep me", -1, NULL));
  g_assert_true (cu_demo_create (other, SEED + 1, end_day, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_IS_REGULAR));
  d_other = workspace_digest (other);
  g_assert_cmpstr (d_shared, !=, d_other);

  /* nothing but the two workspaces is left behind */
  g_assert_cmpuint (cu_test_count_entries (parent), ==, 2);
  cu_test_remove_tree (parent);
}

static void
test_exists (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cu_demo_create (shared_dir, SEED, end_day, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpuint (cu_test_count_entries (shared_parent), ==, 1);
}

static void
test_progress (void)
{
  g_assert_cmpuint (shared_progress->len, >=, 10);
  g_assert_cmpfloat (g_array_index (shared_progress, double, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (shared_progress, double, shared_progress->len - 1), ==, 1.0);
  for (guint i = 1; i < shared_progress->len; i++)
    g_assert_cmpfloat (g_array_index (shared_progress, double, i), >=,
                       g_array_index (shared_progress, double, i - 1));
  g_test_message ("generation took %.2f s", shared_seconds);
}

static void
test_shape (void)
{
  g_autofree char *sql = NULL;
  gint64 n_rows = cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows");
  double untagged, weekend, weekday, first30, last30;

  g_test_message ("%" G_GINT64_FORMAT " cost rows", n_rows);
  g_assert_cmpint (n_rows, >=, 150000);
  g_assert_cmpint (n_rows, <=, 250000);

  /* 18 months of days ending end_day, every day present */
  g_assert_cmpint (cu_test_query_int (shared, "SELECT MAX(usage_day) FROM cost_rows"), ==, end_day);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT MIN(usage_day) FROM cost_rows"), ==, end_day - 547);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(DISTINCT usage_day) FROM rollup_daily"), ==, 548);

  /* 3 AWS accounts and 1 Azure subscription */
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM accounts"), ==, 4);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM accounts WHERE provider = 'aws'"), ==, 3);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM accounts WHERE provider = 'azure'"), ==, 1);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(DISTINCT SubAccountId) FROM cost_rows"), ==, 4);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(DISTINCT ProviderName) FROM cost_rows"), ==, 2);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows WHERE ProviderName NOT IN ('AWS', 'Microsoft')"), ==, 0);

  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(DISTINCT ServiceName) FROM cost_rows"), >=, 30);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(DISTINCT ServiceCategory) FROM cost_rows"), >=, 6);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(DISTINCT RegionId) FROM cost_rows"), ==, 5);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows WHERE ServiceName IS NULL OR ServiceCategory IS NULL"
                                     " OR RegionId IS NULL OR BillingAccountId IS NULL OR SubAccountName IS NULL"), ==, 0);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows WHERE BillingCurrency != 'USD'"), ==, 0);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows WHERE ResourceId IS NOT NULL"), >, n_rows / 10);
  /* mostly usage; any credit is negative */
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows WHERE ChargeCategory = 'Usage'"), >, n_rows * 95 / 100);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows WHERE ChargeCategory = 'Usage' AND BilledCost < 0"), ==, 0);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows WHERE ChargeCategory = 'Credit' AND BilledCost > 0"), ==, 0);

  /* tags: team, env, project, with some untagged spend */
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(DISTINCT tag_key) FROM rollup_tag_daily"
                                     " WHERE tag_key IN ('team', 'env', 'project')"), ==, 3);
  untagged = cu_test_query_double (shared, "SELECT SUM(CASE WHEN Tags IS NULL THEN BilledCost END) * 1.0 / SUM(BilledCost)"
                                  " FROM cost_rows WHERE ChargeCategory = 'Usage'");
  g_test_message ("untagged share %.3f", untagged);
  g_assert_cmpfloat (untagged, >=, 0.05);
  g_assert_cmpfloat (untagged, <=, 0.30);

  /* weekly seasonality (CuDay 0, 1970-01-01, was a Thursday) */
  weekend = cu_test_query_double (shared, "SELECT AVG(t) FROM (SELECT usage_day d, SUM(billed) t FROM rollup_daily GROUP BY 1)"
                                 " WHERE (d + 3) % 7 >= 5");
  weekday = cu_test_query_double (shared, "SELECT AVG(t) FROM (SELECT usage_day d, SUM(billed) t FROM rollup_daily GROUP BY 1)"
                                 " WHERE (d + 3) % 7 < 5");
  g_test_message ("weekend / weekday %.3f", weekend / weekday);
  g_assert_cmpfloat (weekend, <, weekday * 0.97);

  /* growth */
  sql = g_strdup_printf ("SELECT SUM(billed) / 30.0 FROM rollup_daily WHERE usage_day BETWEEN %d AND %d",
                         end_day - 547, end_day - 518);
  first30 = cu_test_query_double (shared, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT SUM(billed) / 30.0 FROM rollup_daily WHERE usage_day BETWEEN %d AND %d",
                         end_day - 29, end_day);
  last30 = cu_test_query_double (shared, sql);
  g_test_message ("daily spend %.0f -> %.0f", first30 / 1e6, last30 / 1e6);
  g_assert_cmpfloat (last30, >, first30 * 1.2);

  /* a mid-size company: every full month between $150k and $400k */
  {
    sqlite3_stmt *stmt = NULL;
    guint n_months = 0;

    g_assert_cmpint (sqlite3_prepare_v2 (db (),
                                         "SELECT strftime('%Y-%m', usage_day * 86400, 'unixepoch') m, SUM(billed),"
                                         " COUNT(DISTINCT usage_day) FROM rollup_daily GROUP BY m",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        double total = sqlite3_column_int64 (stmt, 1) / 1e6;

        if (sqlite3_column_int (stmt, 2) < 28)
          continue;
        g_test_message ("%s: $%.0f", sqlite3_column_text (stmt, 0), total);
        g_assert_cmpfloat (total, >=, 150000.0);
        g_assert_cmpfloat (total, <=, 400000.0);
        n_months++;
      }
    sqlite3_finalize (stmt);
    g_assert_cmpuint (n_months, >=, 17);
  }

  /* workspace metadata */
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM workspace_meta WHERE key = 'demo' AND value = '1'"), ==, 1);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT value FROM workspace_meta WHERE key = 'seed'"), ==, (gint64) SEED);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM workspace_meta WHERE key IN ('end_day', 'generator_version')"), ==, 2);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM batches WHERE status != 'done'"), ==, 0);
}

static void
test_anomalies (void)
{
  sqlite3_stmt *stmt = NULL;
  guint n_anomalies = 0, n_steps = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db (),
                                       "SELECT kind, usage_day, sub_account, service, region,"
                                       " json_extract(detail, '$.days'), json_extract(detail, '$.factor'),"
                                       " json_extract(detail, '$.new_daily_cost')"
                                       " FROM demo_events ORDER BY usage_day", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      CuDay day = sqlite3_column_int (stmt, 1);
      g_autoptr(GHashTable) days = series_by_day ((const char *) sqlite3_column_text (stmt, 2),
                                                  (const char *) sqlite3_column_text (stmt, 3),
                                                  (const char *) sqlite3_column_text (stmt, 4));
      char text[11];

      cu_day_format (day, text);
      g_assert_cmpint (day, >, end_day - 547 + 28);
      g_assert_cmpint (day, <=, end_day);

      if (strcmp (kind, "anomaly") == 0)
        {
          int n_days = sqlite3_column_int (stmt, 5);
          double factor = sqlite3_column_double (stmt, 6);

          g_assert_cmpint (n_days, >=, 1);
          g_assert_cmpint (n_days, <=, 3);
          g_assert_cmpfloat (factor, >=, 2.0);
          g_assert_cmpfloat (factor, <=, 5.0);
          g_assert_cmpint (day + n_days - 1, <=, end_day);

          /* every day of the anomaly stands out against the same weekday in
           * the weeks around it */
          for (int k = 0; k < n_days; k++)
            {
              CuDay d = day + k;
              double sum = 0.0, ratio;
              guint n = 0;

              for (int w = -2; w <= 2; w++)
                {
                  CuDay ref = d + 7 * w;

                  if (w == 0 || ref > end_day || (ref >= day && ref < day + n_days))
                    continue;
                  sum += day_value (days, ref);
                  n++;
                }
              g_assert_cmpuint (n, >=, 2);
              ratio = day_value (days, d) / (sum / n);
              g_test_message ("anomaly %s +%d %s / %s: %.2fx", text, k, sqlite3_column_text (stmt, 3),
                              sqlite3_column_text (stmt, 4), ratio);
              g_assert_cmpfloat (ratio, >=, 1.8);
            }
          n_anomalies++;
        }
      else
        {
          double before = 0.0, after = 0.0;

          g_assert_cmpstr (kind, ==, "step_change");
          for (int k = 1; k <= 14; k++)
            {
              before += day_value (days, day - k);
              after += day_value (days, day + k - 1);
            }
          g_test_message ("step change %s %s: %.0f -> %.0f a day", text, sqlite3_column_text (stmt, 3),
                          before / 14, after / 14);
          if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
            g_assert_cmpfloat (before, ==, 0.0);
          g_assert_cmpfloat (after, >, before * 1.4);
          g_assert_cmpfloat (after / 14, >, 100.0);
          n_steps++;
        }
    }
  sqlite3_finalize (stmt);

  g_assert_cmpuint (n_anomalies, >=, 4);
  g_assert_cmpuint (n_steps, >=, 1);
}

static void
test_inventory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = cu_inventory_list (shared, 0, NULL, &error);
  guint idle = 0, oversized = 0, unattached = 0, unassociated = 0, old_snapshots = 0;
  guint idle_db = 0, empty_lb = 0, buckets = 0, functions = 0, azure_vms = 0, azure_disks = 0;
  guint flagged, with_cost_rows = 0, instances = 0;
  CuDay from = end_day - 29;

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >=, 100);

  for (guint i = 0; i < all->len; i++)
    {
      CuResource *r = all->pdata[i];
      CuMetricStats stats;

      g_assert_cmpint (r->last_seen_day, ==, end_day);
      g_assert_cmpint (r->created_day, <=, end_day);
      g_assert_nonnull (r->attributes);
      g_assert_cmpstr (r->currency, ==, "USD");

      if (strcmp (r->resource_type, "instance") == 0)
        {
          if (strcmp (r->provider, "azure") == 0)
            azure_vms++;
          if (strcmp (r->state, "running") != 0)
            continue;
          instances++;
          g_assert_cmpint (r->monthly_cost, >, 0);
          g_assert_true (cu_inventory_get_metric_stats (shared, r->id, "cpu_percent", from, end_day, &stats, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (stats.n_days, >=, 1);
          if (stats.max < 3.0)
            idle++;
          else if (stats.p95 < 20.0 && stats.max < 20.0)
            oversized++;
        }
      else if (strcmp (r->resource_type, "volume") == 0)
        {
          if (strcmp (r->provider, "azure") == 0)
            azure_disks++;
          g_assert_true (strcmp (r->state, "in-use") == 0 || strcmp (r->state, "available") == 0);
          if (strcmp (r->state, "available") == 0)
            unattached++;
        }
      else if (strcmp (r->resource_type, "elastic_ip") == 0)
        unassociated += strcmp (r->state, "unassociated") == 0;
      else if (strcmp (r->resource_type, "snapshot") == 0)
        old_snapshots += r->created_day < end_day - 365;
      else if (strcmp (r->resource_type, "database") == 0)
        {
          g_assert_true (cu_inventory_get_metric_stats (shared, r->id, "connections", from, end_day, &stats, &error));
          g_assert_cmpuint (stats.n_days, ==, 30);
          idle_db += stats.max <= 1.0;
        }
      else if (strcmp (r->resource_type, "load_balancer") == 0)
        {
          g_assert_true (cu_inventory_get_metric_stats (shared, r->id, "request_count", from, end_day, &stats, &error));
          empty_lb += stats.max == 0.0;
        }
      else if (strcmp (r->resource_type, "bucket") == 0)
        buckets++;
      else if (strcmp (r->resource_type, "function") == 0)
        {
          g_autoptr(GArray) points = cu_inventory_get_metric (shared, r->id, "invocations", from, end_day, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (points->len, >=, 1);
          functions++;
        }
    }

  g_test_message ("%u resources: %u idle and %u oversized of %u running instances, %u unattached volumes, "
                  "%u unassociated IPs, %u old snapshots, %u idle databases, %u empty load balancers",
                  all->len, idle, oversized, instances, unattached, unassociated, old_snapshots, idle_db, empty_lb);
  g_assert_cmpuint (idle, >=, 3);
  g_assert_cmpuint (oversized, >=, 3);
  g_assert_cmpuint (unattached, >=, 3);
  g_assert_cmpuint (unassociated, >=, 1);
  g_assert_cmpuint (old_snapshots, >=, 1);
  g_assert_cmpuint (idle_db, ==, 1);
  g_assert_cmpuint (empty_lb, ==, 1);
  g_assert_cmpuint (buckets, >=, 5);
  g_assert_cmpuint (functions, >=, 5);
  g_assert_cmpuint (azure_vms, >=, 5);
  g_assert_cmpuint (azure_disks, >=, 5);
  /* every running instance is billed under its own ResourceId */
  with_cost_rows = cu_test_query_int (shared, "SELECT COUNT(DISTINCT ResourceId) FROM cost_rows WHERE ResourceId IN"
                                     " (SELECT resource_id FROM resources"
                                     "  WHERE resource_type = 'instance' AND state = 'running')");
  g_assert_cmpuint (with_cost_rows, ==, instances);

  /* waste on purpose, but a minority */
  flagged = idle + oversized + unattached + unassociated + old_snapshots + idle_db + empty_lb;
  g_assert_cmpfloat ((double) flagged / all->len, >=, 0.10);
  g_assert_cmpfloat ((double) flagged / all->len, <=, 0.30);

  /* the reader finds one resource by id */
  {
    CuResource *first = all->pdata[0];
    g_autoptr(CuResource) again = cu_inventory_get (shared, first->account_id, first->resource_id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (again->id, ==, first->id);
    g_assert_cmpstr (again->name, ==, first->name);
    g_assert_null (cu_inventory_get (shared, first->account_id, "i-nonexistent", &error));
    g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND);
  }
}

static void
test_reconciliation (void)
{
  gint64 raw = cu_test_query_int (shared, "SELECT SUM(BilledCost) FROM cost_rows");
  gint64 rolled = cu_test_query_int (shared, "SELECT SUM(billed) FROM rollup_daily");

  g_assert_cmpint (raw, ==, rolled);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT SUM(EffectiveCost) FROM cost_rows"), ==,
                   cu_test_query_int (shared, "SELECT SUM(effective) FROM rollup_daily"));
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM cost_rows"), ==,
                   cu_test_query_int (shared, "SELECT SUM(n_rows) FROM rollup_daily"));

  /* every rollup cell equals the sum of its rows, to the micro */
  g_assert_cmpint (cu_test_query_int (shared,
                              "SELECT COUNT(*) FROM (SELECT usage_day d, account_id a, ProviderName p,"
                              " SubAccountId s, ServiceName v, RegionId g, BillingCurrency c,"
                              " SUM(BilledCost) b, SUM(EffectiveCost) e, COUNT(*) n FROM cost_rows"
                              " GROUP BY 1, 2, 3, 4, 5, 6, 7) x"
                              " LEFT JOIN rollup_daily r ON r.usage_day = x.d AND r.account_id = x.a"
                              " AND r.provider = x.p AND r.sub_account = x.s AND r.service = x.v"
                              " AND r.region = x.g AND r.currency = x.c"
                              " WHERE r.billed IS NOT x.b OR r.effective IS NOT x.e OR r.n_rows IS NOT x.n"), ==, 0);
  g_assert_cmpint (cu_test_query_int (shared, "SELECT COUNT(*) FROM rollup_daily"), ==,
                   cu_test_query_int (shared, "SELECT COUNT(*) FROM (SELECT 1 FROM cost_rows"
                                     " GROUP BY usage_day, account_id, ProviderName, SubAccountId, ServiceName,"
                                     " RegionId, BillingCurrency)"));

  /* and so does every tag rollup */
  g_assert_cmpint (cu_test_query_int (shared,
                              "SELECT COUNT(*) FROM (SELECT j.key k, c.usage_day d, c.account_id a, j.value t,"
                              " c.BillingCurrency u, SUM(c.BilledCost) b FROM cost_rows c, json_each(c.Tags) j"
                              " GROUP BY 1, 2, 3, 4, 5) x"
                              " LEFT JOIN rollup_tag_daily r ON r.tag_key = x.k AND r.usage_day = x.d"
                              " AND r.account_id = x.a AND r.tag_value = x.t AND r.currency = x.u"
                              " WHERE r.billed IS NOT x.b"), ==, 0);
}

typedef struct {
  GCancellable *cancellable;
  double        at;
} CancelAt;

static void
cancel_cb (double fraction, gpointer data)
{
  CancelAt *c = data;

  if (fraction >= c->at)
    g_cancellable_cancel (c->cancellable);
}

static void
test_cancel (void)
{
  static const double points[] = { 0.0, 0.4 };
  g_autofree char *parent = cu_test_make_tmp_dir ("cumulus-demo-test");
  g_autofree char *dir = g_build_filename (parent, "ws", NULL);
  /* left by a generation that was killed: pid_max is far below this pid */
  g_autofree char *stale = g_build_filename (parent, ".ws.demo-999999999-abcdef", NULL);

  g_assert_cmpint (g_mkdir (stale, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      CancelAt c = { cancellable, points[i] };

      g_assert_false (cu_demo_create (dir, SEED, end_day, cancellable, cancel_cb, &c, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
      g_assert_cmpuint (cu_test_count_entries (parent), ==, 0);
    }

  /* already cancelled */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (cu_demo_create (dir, SEED, end_day, cancellable, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (cu_test_count_entries (parent), ==, 0);
  }
  cu_test_remove_tree (parent);
}

static void
kill_cb (double fraction, gpointer data)
{
  if (fraction >= 0.5)
    raise (SIGKILL);
}

static void
test_killed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = cu_test_make_tmp_dir ("cumulus-demo-test");
  g_autofree char *dir = g_build_filename (parent, "ws", NULL);
  int status = 0;
  pid_t pid;

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      cu_demo_create (dir, SEED, end_day, NULL, kill_cb, NULL, NULL);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  /* no workspace, only the dead process's hidden temporary … */
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_false (cu_workspace_exists (dir));
  g_assert_cmpuint (cu_test_count_entries (parent), ==, 1);

  /* … which the next generation clears away */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (cu_demo_create (dir, SEED, end_day, cancellable, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  g_assert_cmpuint (cu_test_count_entries (parent), ==, 0);
  cu_test_remove_tree (parent);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  end_day = cu_day_from_ymd (2026, 3, 31);
  if (g_getenv ("CUMULUS_DEMO_TEST_SEED") != NULL)
    seed = g_ascii_strtoull (g_getenv ("CUMULUS_DEMO_TEST_SEED"), NULL, 10);
  if (g_getenv ("CUMULUS_DEMO_TEST_END") != NULL)
    g_assert_true (cu_day_parse (g_getenv ("CUMULUS_DEMO_TEST_END"), &end_day));
  shared_parent = cu_test_make_tmp_dir ("cumulus-demo-test");
  shared_dir = g_build_filename (shared_parent, "demo", NULL);
  shared_progress = g_array_new (FALSE, FALSE, sizeof (double));
  timer = g_timer_new ();
  if (!cu_demo_create (shared_dir, SEED, end_day, NULL, record_progress_cb, shared_progress, &error))
    g_error ("cannot generate the demo workspace: %s", error->message);
  shared_seconds = g_timer_elapsed (timer, NULL);
  shared = cu_ledger_open (shared_dir, &error);
  g_assert_no_error (error);

  g_test_add_func ("/demo/progress", test_progress);
  g_test_add_func ("/demo/budgets", test_budgets);
  g_test_add_func ("/demo/shape", test_shape);
  g_test_add_func ("/demo/anomalies", test_anomalies);
  g_test_add_func ("/demo/inventory", test_inventory);
  g_test_add_func ("/demo/reconciliation", test_reconciliation);
  g_test_add_func ("/demo/exists", test_exists);
  g_test_add_func ("/demo/determinism", test_determinism);
  g_test_add_func ("/demo/cancel", test_cancel);
  g_test_add_func ("/demo/killed", test_killed);

  rc = g_test_run ();

  /* the connection must be closed before its files go */
  g_assert_finalize_object (g_steal_pointer (&shared));
  cu_test_remove_tree (shared_parent);
  g_free (shared_dir);
  g_free (shared_parent);
  g_array_unref (shared_progress);
  return rc;
}
