/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger-bench.c — generated ledgers and query timings for `cumulus-cli bench`
 *
 * The generated rows look like a real organisation's: each account runs 256
 * workloads, and a workload (a group of 16 resources) has one service, one
 * region and one tag set, as tagged resources do. Tag sets use three keys
 * (team, env, project): 300 distinct sets, with 15 % of the workloads
 * untagged. The timings cover every Explorer query shape: each grouping ×
 * no filter, a dimension filter and a tag filter × each granularity, over
 * the whole ledger.
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-ledger-private.h"
#include "store/cu-ledger-bench.h"
#include "store/cu-cost-query.h"

#include <time.h>

static const char * const services[] = {
  "Amazon Elastic Compute Cloud", "Amazon Simple Storage Service", "Amazon Relational Database Service",
  "AWS Lambda", "Amazon CloudFront", "Amazon DynamoDB", "Amazon Elastic Kubernetes Service",
  "Amazon Elastic Load Balancing", "Amazon Virtual Private Cloud", "Amazon CloudWatch",
  "Amazon ElastiCache", "Amazon Redshift", "Amazon Kinesis", "Amazon Simple Queue Service",
  "Amazon Route 53", "AWS Key Management Service", "Amazon OpenSearch Service", "AWS Glue",
  "Amazon Athena", "Amazon EMR", "Virtual Machines", "Storage", "Azure SQL Database",
  "Azure Kubernetes Service", "Bandwidth", "Azure Cosmos DB", "Azure Monitor", "Azure App Service",
  "Azure Functions", "Azure Cache for Redis",
};
static const char * const regions[] = { "us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "westeurope" };
static const char * const teams[] = { "platform", "data", "web", "ml", "payments", "search", "mobile", "security" };
static const char * const envs[] = { "prod", "staging", "dev", "test" };

#define N_WORKLOADS 256
#define N_TAG_SETS 300
#define N_PROJECTS 60

static const char * const tag_keys[3] = { "team", "env", "project" };
static const char * const tag_keys_no_env[2] = { "team", "project" };

static guint32
mix (guint32 x)
{
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

/**
 * cu_ledger_bench_fill_row:
 * @row: filled in; its strings are static or borrowed from the arguments,
 *   except the dates, which the caller sets
 *
 * Fills the amounts and dimensions of generated row @i of @account.
 */
void
cu_ledger_bench_fill_row (CuCostRow  *row,
                          int         account,
                          gint64      i,
                          const char *sub_account,
                          const char *sub_account_name)
{
  static char projects[N_PROJECTS][16];
  static char resources[4 * N_WORKLOADS * 16][16];
  static const char *values[N_TAG_SETS][3];
  static const char *values_no_env[N_TAG_SETS][2];
  static gsize initialised = 0;
  guint32 h = mix ((guint32) i * 2654435761u ^ (guint32) account);
  guint32 w = (h >> 3) % N_WORKLOADS;
  guint32 wh = mix ((guint32) (account * N_WORKLOADS + w) + 0x9e3779b9u);
  gboolean azure = account == 3;

  if (g_once_init_enter (&initialised))
    {
      for (guint p = 0; p < N_PROJECTS; p++)
        g_snprintf (projects[p], sizeof projects[p], "project-%02u", p);
      for (guint r = 0; r < G_N_ELEMENTS (resources); r++)
        g_snprintf (resources[r], sizeof resources[r], "r-%08x", r * 7919);
      for (guint t = 0; t < N_TAG_SETS; t++)
        {
          /* 240 sets of team, env and project; 60 without env */
          guint p = t < 240 ? t / 4 : t - 240;
          values[t][0] = teams[p % G_N_ELEMENTS (teams)];
          values[t][1] = t < 240 ? envs[t % 4] : projects[p];
          values[t][2] = projects[p];
          values_no_env[t][0] = values[t][0];
          values_no_env[t][1] = projects[p];
        }
      g_once_init_leave (&initialised, 1);
    }

  row->billed_cost = (gint64) (h % 5000000) + 1;
  row->effective_cost = row->billed_cost - row->billed_cost / 10;
  row->billing_currency = "USD";
  row->provider_name = azure ? "Microsoft" : "AWS";
  row->sub_account_id = sub_account;
  row->sub_account_name = sub_account_name;
  row->service_name = services[azure ? 20 + wh % 10 : wh % 20];
  row->region_id = regions[azure ? 4 : (wh >> 8) % 4];
  row->charge_category = "Usage";
  row->resource_id = resources[(account * N_WORKLOADS + w) * 16 + h % 16];
  if (w % 20 < 3)
    row->n_tags = 0;
  else
    {
      guint t = (wh >> 12) % N_TAG_SETS;

      if (t < 240)
        {
          row->n_tags = 3;
          row->tag_keys = tag_keys;
          row->tag_values = values[t];
        }
      else
        {
          row->n_tags = 2;
          row->tag_keys = tag_keys_no_env;
          row->tag_values = values_no_env[t];
        }
    }
}

/**
 * cu_ledger_bench_cpu_seconds:
 *
 * Returns: the CPU time this process has used; on a machine shared with
 *   other work it tells the cost of a step better than the wall clock
 */
double
cu_ledger_bench_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static gint64
query_int (CuLedger *ledger, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

/**
 * cu_ledger_bench_queries:
 *
 * Times every Explorer query shape on @ledger (each three times, the best
 * kept, as a page asks again on every change) and measures the ledger's
 * size per cost row.
 *
 * Returns: (transfer full): the report, lines ending in "\n"; %NULL with
 *   @error when a query fails
 */
char *
cu_ledger_bench_queries (CuLedger  *ledger,
                         GError   **error)
{
  static const struct { const char *label; CuGroupBy group; const char *tag; } groups[] = {
    { "total", CU_GROUP_NONE, NULL }, { "provider", CU_GROUP_PROVIDER, NULL },
    { "account", CU_GROUP_ACCOUNT, NULL }, { "service", CU_GROUP_SERVICE, NULL },
    { "region", CU_GROUP_REGION, NULL }, { "tag:team", CU_GROUP_TAG, "team" },
    { "tag:env", CU_GROUP_TAG, "env" },
  };
  static const struct { const char *label; const char *key; const char *value; } filters[] = {
    { "-", NULL, NULL },
    { "service=Amazon Elastic Compute Cloud", "service", "Amazon Elastic Compute Cloud" },
    { "region=eu-west-1", "region", "eu-west-1" },
    { "tag:team=data", "tag:team", "data" },
    { "tag:env=prod", "tag:env", "prod" },
  };
  static const struct { const char *label; CuGranularity g; } grains[] = {
    { "day", CU_GRANULARITY_DAY }, { "week", CU_GRANULARITY_WEEK },
    { "month", CU_GRANULARITY_MONTH }, { "total", CU_GRANULARITY_TOTAL },
  };
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 n_rows, bytes;
  double slowest = 0, slowest_cpu = 0;
  const char *slowest_group = NULL, *slowest_filter = NULL, *slowest_grain = NULL;
  guint n_shapes = 0;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  n_rows = cu_ledger_count_cost_rows (ledger, error);
  if (n_rows < 0)
    return NULL;
  bytes = query_int (ledger, "PRAGMA page_count") * query_int (ledger, "PRAGMA page_size");
  g_string_append_printf (out, "ledger: %.1f MiB for %" G_GINT64_FORMAT " cost rows = %.0f bytes per cost row"
                               " (%" G_GINT64_FORMAT " fine rollup rows, %" G_GINT64_FORMAT " tag sets)\n",
                          bytes / 1048576.0, n_rows, n_rows > 0 ? (double) bytes / n_rows : 0.0,
                          query_int (ledger, "SELECT COUNT(*) FROM rollup_fine"),
                          query_int (ledger, "SELECT COUNT(*) FROM tag_sets WHERE id > 0"));
  g_string_append_printf (out, "Explorer queries over the whole ledger, best of 3, wall/CPU ms (target < 100 each):\n"
                               "  %-9s %-38s %11s %11s %11s %11s\n", "group", "filter", "day", "week", "month", "total");
  for (guint gi = 0; gi < G_N_ELEMENTS (groups); gi++)
    for (guint fi = 0; fi < G_N_ELEMENTS (filters); fi++)
      {
        g_string_append_printf (out, "  %-9s %-38s", groups[gi].label, filters[fi].label);
        for (guint k = 0; k < G_N_ELEMENTS (grains); k++)
          {
            double best = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE;

            for (int rep = 0; rep < 3; rep++)
              {
                g_autoptr(GPtrArray) cells = NULL;
                CuCostQuery q;
                gint64 t0, t1;
                double c0, c1;

                cu_cost_query_init (&q);
                q.group_by = groups[gi].group;
                q.tag_key = groups[gi].tag;
                q.granularity = grains[k].g;
                q.filter_key = filters[fi].key;
                q.filter_value = filters[fi].value;
                c0 = cu_ledger_bench_cpu_seconds ();
                t0 = g_get_monotonic_time ();
                cells = cu_ledger_query_costs (ledger, &q, error);
                t1 = g_get_monotonic_time ();
                c1 = cu_ledger_bench_cpu_seconds ();
                if (cells == NULL)
                  return NULL;
                best = MIN (best, (t1 - t0) / 1e3);
                best_cpu = MIN (best_cpu, (c1 - c0) * 1e3);
              }
            g_string_append_printf (out, " %5.0f/%5.1f", best, best_cpu);
            n_shapes++;
            slowest_cpu = MAX (slowest_cpu, best_cpu);
            if (best > slowest)
              {
                slowest = best;
                slowest_group = groups[gi].label;
                slowest_filter = filters[fi].label;
                slowest_grain = grains[k].label;
              }
          }
        g_string_append_c (out, '\n');
      }
  g_string_append_printf (out, "slowest of %u shapes: %.1f ms wall (group %s, filter %s, %s); slowest CPU time %.1f ms\n",
                          n_shapes, slowest, slowest_group, slowest_filter, slowest_grain, slowest_cpu);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
