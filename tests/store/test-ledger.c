/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger.c — migrations, atomic range replace, crash safety, reconciliation */
#define G_LOG_DOMAIN "test-ledger"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/cu-ledger-private.h"
#include "cu-test-util.h"
#include "store/cu-cost-query.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

/* Amount of row r of generation g: distinct per generation so a mixture of
 * two batches can never add up to a complete one by accident. */
static gint64
amount_of (int generation, int r)
{
  return (gint64) (generation + 1) * 1000003 + (r % 97) * 11;
}

/* Writes @per_day rows a day for [first, last]; returns the total. */
static gint64
write_range (CuLedger *ledger, gint64 account, CuDay first, CuDay last,
             int per_day, int generation, gboolean commit)
{
  g_autoptr(GError) error = NULL;
  CuLedgerWriter *w = cu_ledger_writer_begin (ledger, account, "import", "test", first, last, &error);
  static const char *services[] = { "Compute", "Storage", "Database" };
  static const char *keys[] = { "team", "env" };
  const char *values[2];
  gint64 total = 0;
  int r = 0;

  g_assert_no_error (error);
  g_assert_nonnull (w);
  for (CuDay d = first; d <= last; d++)
    for (int i = 0; i < per_day; i++, r++)
      {
        CuCostRow row = { 0 };
        char day[11], start[32], team[16], sub[24];

        cu_day_format (d, day);
        g_snprintf (start, sizeof start, "%sT00:00:00Z", day);
        g_snprintf (team, sizeof team, "team-%d", i % 3);
        values[0] = team;
        values[1] = (i % 2) ? "prod" : "dev";
        row.charge_period_start = start;
        row.charge_period_end = start;
        row.billed_cost = amount_of (generation, r);
        row.effective_cost = row.billed_cost / 2;
        row.billing_currency = "USD";
        row.provider_name = "AWS";
        /* each account its own linked account (account 1: 123456789012) */
        g_snprintf (sub, sizeof sub, "%" G_GINT64_FORMAT, (gint64) 123456789011 + account);
        row.sub_account_id = sub;
        row.sub_account_name = account == 1 ? "acme-prod" : "acme-other";
        row.service_name = services[i % 3];
        row.region_id = (i % 2) ? "us-east-1" : "eu-west-1";
        row.n_tags = (i % 5 == 0) ? 0 : 2;
        row.tag_keys = keys;
        row.tag_values = values;
        g_assert_true (cu_ledger_writer_add (w, &row, &error));
        g_assert_no_error (error);
        total += row.billed_cost;
      }
  if (commit)
    {
      g_assert_true (cu_ledger_writer_commit (w, &error));
      g_assert_no_error (error);
    }
  else
    cu_ledger_writer_abort (w, "test abort");
  return total;
}

static void
assert_rollups_reconcile (CuLedger *ledger)
{
  gint64 rows = cu_test_query_int (ledger, "SELECT COALESCE(SUM(BilledCost),0) FROM cost_rows");
  gint64 rolled = cu_test_query_int (ledger, "SELECT COALESCE(SUM(billed),0) FROM rollup_daily");
  gint64 n = cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows");
  gint64 rolled_n = cu_test_query_int (ledger, "SELECT COALESCE(SUM(n_rows),0) FROM rollup_daily");
  gint64 per_day_mismatch =
    cu_test_query_int (ledger, "SELECT COUNT(*) FROM (SELECT usage_day, account_id, SUM(BilledCost) s FROM cost_rows GROUP BY 1, 2) c"
                       " LEFT JOIN (SELECT usage_day, account_id, SUM(billed) s FROM rollup_daily GROUP BY 1, 2) r"
                       " USING (usage_day, account_id) WHERE r.s IS NOT c.s");
  gint64 tag_mismatch =
    cu_test_query_int (ledger, "SELECT COUNT(*) FROM (SELECT c.usage_day, j.key k, SUM(c.BilledCost) s FROM cost_rows c,"
                       " json_each(c.Tags) j GROUP BY 1, 2) c LEFT JOIN (SELECT usage_day, tag_key k, SUM(billed) s"
                       " FROM rollup_tag_daily GROUP BY 1, 2) r USING (usage_day, k) WHERE r.s IS NOT c.s");

  g_assert_cmpint (rows, ==, rolled);
  g_assert_cmpint (n, ==, rolled_n);
  g_assert_cmpint (per_day_mismatch, ==, 0);
  g_assert_cmpint (tag_mismatch, ==, 0);
}

/* ------------------------------------------------------------ migrations */

static void
test_migrate_from_empty (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cu_test_query_int (ledger, "PRAGMA user_version"), ==, CU_LEDGER_SCHEMA_VERSION);
  g_assert_cmpint (cu_test_query_int (ledger, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                                      " ('accounts','batches','cost_rows','rollup_daily','rollup_tag_daily',"
                                      "  'sub_accounts','resources','resource_metrics','workspace_meta')"), ==, 9);
  {
    sqlite3_stmt *stmt = NULL;
    g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
  }
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* Version 1 had no tag rollups nor account names: both are rebuilt from
 * the cost rows by the migration. */
static void
test_migrate_from_v1 (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) v1 = cu_ledger_open_at_version (dir, 1, &error);
  g_autoptr(CuLedger) ledger = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (cu_test_query_int (v1, "PRAGMA user_version"), ==, 1);
  g_assert_true (cu_ledger_exec (v1,
    "INSERT INTO accounts (id, name, provider, kind) VALUES (1, 'old', 'aws', 'import');"
    "INSERT INTO batches (id, account_id, kind, first_day, last_day, status) VALUES (1, 1, 'import', '2026-01-01', '2026-01-02', 'done');"
    "INSERT INTO cost_rows (account_id, batch_id, usage_day, ChargePeriodStart, ChargePeriodEnd, BilledCost, EffectiveCost,"
    "  BillingCurrency, SubAccountId, SubAccountName, ServiceName, RegionId, Tags) VALUES"
    "  (1, 1, 20454, '2026-01-01', '2026-01-02', 1500000, 1400000, 'USD', '1111', 'acme', 'S3', 'us-east-1', '{\"team\":\"web\"}'),"
    "  (1, 1, 20455, '2026-01-02', '2026-01-03', 2500000, 2400000, 'USD', '1111', 'acme', 'S3', 'us-east-1', NULL);"
    "INSERT INTO rollup_daily VALUES (20454, 1, 'aws', '1111', 'S3', 'us-east-1', 'USD', 1500000, 1400000, 1),"
    "  (20455, 1, 'aws', '1111', 'S3', 'us-east-1', 'USD', 2500000, 2400000, 1);", &error));
  g_assert_no_error (error);
  g_clear_object (&v1);

  ledger = cu_ledger_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cu_test_query_int (ledger, "PRAGMA user_version"), ==, CU_LEDGER_SCHEMA_VERSION);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, 4000000);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT billed FROM rollup_tag_daily WHERE tag_key = 'team' AND tag_value = 'web'"), ==, 1500000);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM sub_accounts WHERE name = 'acme'"), ==, 1);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM resources"), ==, 0);
  assert_rollups_reconcile (ledger);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* Writes rows into a ledger still at @version with SQL, the way the writer
 * of that version stored them (plain text columns, JSON tags, rollups
 * summed from the rows); returns the billed total. */
static gint64
write_legacy (CuLedger *ledger, int version, gint64 account, CuDay first, CuDay last, int per_day)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *batch = g_strdup_printf ("INSERT INTO batches (account_id, kind, first_day, last_day, status)"
                                            " VALUES (%" G_GINT64_FORMAT ", 'import', 'x', 'y', 'done')", account);
  gint64 batch_id, total = 0;
  int r = 0;

  g_assert_true (cu_ledger_exec (ledger, batch, &error));
  batch_id = sqlite3_last_insert_rowid (cu_ledger_get_db (ledger));
  g_assert_true (cu_ledger_exec (ledger, "BEGIN", &error));
  for (CuDay d = first; d <= last; d++)
    for (int i = 0; i < per_day; i++, r++)
      {
        char day[11];
        g_autofree char *sql = NULL;
        gint64 amount = amount_of (0, r);
        const char *tags = (i % 5 == 0) ? "NULL" : (i % 2) ? "'{\"team\":\"team-1\",\"env\":\"prod\"}'"
                                                          : "'{\"env\":\"dev\",\"team\":\"team-2\"}'";

        cu_day_format (d, day);
        sql = g_strdup_printf ("INSERT INTO cost_rows (account_id, batch_id, usage_day, ChargePeriodStart,"
                               " ChargePeriodEnd, BilledCost, EffectiveCost, BillingCurrency, ProviderName,"
                               " SubAccountId, SubAccountName, ServiceName, RegionId, ResourceId, Tags)"
                               " VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %d, '%sT00:00:00Z',"
                               " '%sT23:59:59Z', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'USD', 'AWS',"
                               " '123456789012', 'acme-prod', '%s', '%s', 'i-%d', %s)",
                               account, batch_id, d, day, day, amount, amount / 2,
                               (i % 3) == 0 ? "Compute" : (i % 3) == 1 ? "Storage" : "Database",
                               (i % 2) ? "us-east-1" : "eu-west-1", i, tags);
        g_assert_true (cu_ledger_exec (ledger, sql, &error));
        total += amount;
      }
  g_assert_true (cu_ledger_exec (ledger,
    "DELETE FROM rollup_daily;"
    "INSERT INTO rollup_daily SELECT c.usage_day, c.account_id, COALESCE(c.ProviderName, a.provider),"
    " COALESCE(c.SubAccountId, ''), COALESCE(c.ServiceName, ''), COALESCE(c.RegionId, ''), c.BillingCurrency,"
    " SUM(c.BilledCost), SUM(c.EffectiveCost), COUNT(*) FROM cost_rows c JOIN accounts a ON a.id = c.account_id"
    " GROUP BY 1, 2, 3, 4, 5, 6, 7;", &error));
  g_assert_no_error (error);
  if (version >= 2)
    g_assert_true (cu_ledger_exec (ledger,
      "DELETE FROM rollup_tag_daily;"
      "INSERT INTO rollup_tag_daily SELECT j.key, c.usage_day, c.account_id, j.value, c.BillingCurrency,"
      " SUM(c.BilledCost), SUM(c.EffectiveCost) FROM cost_rows c, json_each(c.Tags) j GROUP BY 1, 2, 3, 4, 5;"
      "INSERT OR REPLACE INTO sub_accounts SELECT 'AWS', '123456789012', 'acme-prod';",
      &error));
  g_assert_true (cu_ledger_exec (ledger, "COMMIT", &error));
  g_assert_no_error (error);
  return total;
}

/* The same answer from the rollups as from the rows for a tag met with
 * another dimension, which only the fine rollup of version 5 can give. */
static void
assert_tag_queries_match_rows (CuLedger *ledger)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  CuCostQuery q;
  gint64 sum = 0;

  cu_cost_query_init (&q);
  q.group_by = CU_GROUP_SERVICE;
  q.filter_key = "tag:team";
  q.filter_value = "team-1";
  cells = cu_ledger_query_costs (ledger, &q, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cells->len; i++)
    {
      CuCostCell *c = cells->pdata[i];
      g_autofree char *sql =
        g_strdup_printf ("SELECT COALESCE(SUM(BilledCost), 0) FROM cost_rows WHERE ServiceName = '%s'"
                         " AND json_extract(Tags, '$.team') = 'team-1'", c->group);
      g_assert_cmpint (c->billed, ==, cu_test_query_int (ledger, sql));
      sum += c->billed;
    }
  g_assert_cmpint (sum, ==, cu_test_query_int (ledger, "SELECT COALESCE(SUM(BilledCost), 0) FROM cost_rows"
                                               " WHERE json_extract(Tags, '$.team') = 'team-1'"));
}

/* Version 6 adds incidents: the costs and the reviewed anomalies of a
 * version 5 ledger come through, the anomalies not yet in any incident. */
static void
test_migrate_from_v5 (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) old = cu_ledger_open_at_version (dir, 5, &error);
  g_autoptr(CuLedger) ledger = NULL;
  gint64 account, total;

  g_assert_no_error (error);
  g_assert_cmpint (cu_test_query_int (old, "PRAGMA user_version"), ==, 5);
  account = cu_ledger_add_account (old, "a", "aws", "import", NULL, NULL, &error);
  g_assert_no_error (error);
  total = write_range (old, account, 20000, 20009, 10, 1, TRUE);
  g_assert_true (cu_ledger_exec (old, "INSERT INTO anomalies (series_kind, series_key, usage_day, expected, actual,"
                                      " impact, score, currency, status, notified) VALUES ('service', 'Storage', 20003,"
                                      " 1000000, 90000000, 89000000, 0.99, 'USD', 'acknowledged', 1)", &error));
  g_assert_no_error (error);
  g_clear_object (&old);

  ledger = cu_ledger_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cu_test_query_int (ledger, "PRAGMA user_version"), ==, CU_LEDGER_SCHEMA_VERSION);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, total);
  assert_rollups_reconcile (ledger);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM incidents"), ==, 0);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM incident_causes"), ==, 0);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM anomalies WHERE status = 'acknowledged' AND notified = 1"
                                      " AND incident_id IS NULL AND young = 0 AND impact = 89000000"), ==, 1);
  /* the new tables take rows, and deleting an incident frees its anomalies */
  g_assert_true (cu_ledger_exec (ledger, "INSERT INTO incidents (id, start_day, end_day, expected, impact, currency,"
                                         " root_cause) VALUES (7, 20003, 20004, 1, 2, 'USD', 'Storage');"
                                         "INSERT INTO incident_causes VALUES (7, 1, 'Storage', 'a', 'us-east-1', 2, 1.0);"
                                         "UPDATE anomalies SET incident_id = 7;"
                                         "DELETE FROM incidents WHERE id = 7;", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM incident_causes"), ==, 0);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM anomalies WHERE incident_id IS NULL"), ==, 1);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

static void
test_migrate_from_version (gconstpointer data)
{
  int version = GPOINTER_TO_INT (data);
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) old = cu_ledger_open_at_version (dir, version, &error);
  g_autoptr(CuLedger) ledger = NULL;
  gint64 account, total;

  g_assert_no_error (error);
  g_assert_cmpint (cu_test_query_int (old, "PRAGMA user_version"), ==, version);
  account = cu_ledger_add_account (old, "a", "aws", "import", NULL, NULL, &error);
  g_assert_no_error (error);
  total = write_legacy (old, version, account, 20000, 20009, 20);
  if (version >= 3)
    g_assert_true (cu_ledger_exec (old, "INSERT INTO resources (account_id, provider, resource_type, resource_id)"
                                        " VALUES (1, 'aws', 'volume', 'vol-1')", &error));
  if (version >= 4)
    g_assert_true (cu_ledger_exec (old, "INSERT INTO anomalies (series_kind, series_key, usage_day, expected, actual,"
                                        " impact, score, currency, status) VALUES ('service', 'Storage', 20003,"
                                        " 1000000, 90000000, 89000000, 0.99, 'USD', 'acknowledged')", &error));
  g_clear_object (&old);

  ledger = cu_ledger_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cu_test_query_int (ledger, "PRAGMA user_version"), ==, CU_LEDGER_SCHEMA_VERSION);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, total);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows"), ==, 200);
  /* strings and tags came through the dictionaries unchanged */
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows WHERE ServiceName = 'Storage'"
                                      " AND RegionId = 'us-east-1' AND SubAccountName = 'acme-prod'"
                                      " AND ChargePeriodEnd LIKE '%T23:59:59Z' AND ResourceId LIKE 'i-%'"), >, 0);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM tag_sets WHERE id > 0"), ==, 2);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows WHERE Tags IS NULL"), ==, 40);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows WHERE json_extract(Tags, '$.env') = 'prod'"), ==, 80);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM sub_accounts WHERE name = 'acme-prod'"), ==, 1);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM coverage"), ==, 10);
  assert_rollups_reconcile (ledger);
  assert_tag_queries_match_rows (ledger);
  if (version >= 3)
    g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM resources"), ==, 1);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM budgets"), ==, 0);
  /* version 6: reviewed anomalies keep their status and wait for the next
   * analysis to be grouped into an incident */
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM incidents"), ==, 0);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM incident_causes"), ==, 0);
  if (version >= 4)
    g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM anomalies WHERE status = 'acknowledged'"
                                        " AND incident_id IS NULL AND young = 0 AND impact = 89000000"), ==, 1);
  g_assert_true (cu_ledger_exec (ledger, "INSERT INTO incidents (start_day, end_day, expected, impact, currency,"
                                         " root_cause) VALUES (20003, 20004, 1, 2, 'USD', 'Storage')", &error));
  g_assert_no_error (error);

  /* and the writer carries on from there */
  total = write_range (ledger, account, 20005, 20014, 10, 3, TRUE);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows"), ==, 5 * 20 + 10 * 10);
  assert_rollups_reconcile (ledger);
  assert_tag_queries_match_rows (ledger);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

static gpointer
open_in_thread (gpointer dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);

  return GINT_TO_POINTER (ledger != NULL && cu_test_query_int (ledger, "SELECT COUNT(*) FROM accounts") == 1);
}

/* Pages open their own connections at once on a ledger that was just
 * generated (written in rollback-journal mode and moved into place). */
static void
test_concurrent_open (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  GThread *threads[8];

  cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);
  g_assert_true (cu_ledger_exec (ledger, "PRAGMA journal_mode = DELETE", &error));
  g_clear_object (&ledger);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_in_thread, dir);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
  cu_test_remove_tree (dir);
}

static void
test_too_new (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);

  g_assert_true (cu_ledger_exec (ledger, "PRAGMA user_version = 99", &error));
  g_clear_object (&ledger);
  ledger = cu_ledger_open (dir, &error);
  g_assert_null (ledger);
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
  cu_test_remove_tree (dir);
}

/* ------------------------------------------------------------ replace */

static void
test_replace_range (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  gint64 a, b, total_a, total_b, replaced, outside;
  g_autofree char *sql = NULL;

  a = cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);
  b = cu_ledger_add_account (ledger, "b", "aws", "import", NULL, NULL, &error);
  g_assert_no_error (error);
  total_a = write_range (ledger, a, 20000, 20029, 10, 0, TRUE);
  total_b = write_range (ledger, b, 20000, 20029, 10, 0, TRUE);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, total_a + total_b);

  /* replace days 10..14 of account a with fewer, different rows */
  sql = g_strdup_printf ("SELECT COALESCE(SUM(BilledCost),0) FROM cost_rows WHERE account_id = %" G_GINT64_FORMAT
                         " AND usage_day NOT BETWEEN 20010 AND 20014", a);
  outside = cu_test_query_int (ledger, sql);
  replaced = write_range (ledger, a, 20010, 20014, 4, 7, TRUE);
  g_assert_cmpint (cu_test_query_int (ledger, sql), ==, outside);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, outside + replaced + total_b);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows WHERE usage_day BETWEEN 20010 AND 20014"), ==, 5 * 4 + 5 * 10);
  /* no gaps: every day still has rows for both accounts */
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM (SELECT DISTINCT usage_day, account_id FROM cost_rows)"), ==, 60);
  assert_rollups_reconcile (ledger);

  /* replacing the same range again is idempotent */
  write_range (ledger, a, 20010, 20014, 4, 7, TRUE);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, outside + replaced + total_b);
  assert_rollups_reconcile (ledger);

  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

static void
test_abort_keeps_data (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(GPtrArray) batches = NULL;
  gint64 a, total;

  a = cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);
  total = write_range (ledger, a, 20000, 20009, 10, 0, TRUE);
  write_range (ledger, a, 20000, 20009, 3, 5, FALSE);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, total);
  assert_rollups_reconcile (ledger);

  batches = cu_ledger_list_batches (ledger, a, &error);
  g_assert_cmpint (batches->len, ==, 2);
  g_assert_cmpstr (((CuBatch *) batches->pdata[0])->status, ==, "failed");
  g_assert_cmpstr (((CuBatch *) batches->pdata[0])->error, ==, "test abort");
  g_assert_cmpstr (((CuBatch *) batches->pdata[1])->status, ==, "done");
  g_assert_cmpint (((CuBatch *) batches->pdata[1])->n_rows, ==, 100);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* Cancelling is not failing: the batch says "cancelled", with no error but
 * with the requests made; the data stays as it was, as with abort. */
static void
test_cancel_keeps_data (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(GPtrArray) batches = NULL;
  CuLedgerWriter *w;
  CuCostRow row = { 0 };
  CuBatch *b;
  gint64 a, total;

  a = cu_ledger_add_account (ledger, "a", "aws", "sync", NULL, NULL, &error);
  total = write_range (ledger, a, 20000, 20009, 10, 0, TRUE);

  w = cu_ledger_writer_begin (ledger, a, "sync", "aws-ce", 20000, 20009, &error);
  g_assert_no_error (error);
  row.charge_period_start = "2024-10-04";
  row.billed_cost = 123456789;
  row.effective_cost = 123456789;
  row.billing_currency = "USD";
  g_assert_true (cu_ledger_writer_add (w, &row, &error));
  cu_ledger_writer_set_requests (w, 7);
  cu_ledger_writer_cancel (w);

  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, total);
  assert_rollups_reconcile (ledger);
  batches = cu_ledger_list_batches (ledger, a, &error);
  g_assert_cmpint (batches->len, ==, 2);
  b = batches->pdata[0];
  g_assert_cmpstr (b->status, ==, "cancelled");
  g_assert_null (b->error);
  g_assert_nonnull (b->finished_at);
  g_assert_cmpint (b->n_requests, ==, 7);
  g_assert_cmpint (b->n_rows, ==, 0);
  g_assert_cmpstr (((CuBatch *) batches->pdata[1])->status, ==, "done");

  /* the ledger is free for the next writer */
  write_range (ledger, a, 20000, 20009, 2, 3, TRUE);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM batches WHERE status = 'running'"), ==, 0);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

static void
test_row_validation (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  gint64 a = cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);
  CuLedgerWriter *w = cu_ledger_writer_begin (ledger, a, "import", "t", 20000, 20001, &error);
  CuCostRow row = { 0 };

  row.charge_period_start = "2026-01-01T00:00:00Z"; /* day 20454, outside */
  row.billing_currency = "USD";
  g_assert_false (cu_ledger_writer_add (w, &row, &error));
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ChargePeriodStart"));
  g_clear_error (&error);

  row.charge_period_start = "2024-10-04"; /* day 20000, inside */
  row.billing_currency = "US";
  g_assert_false (cu_ledger_writer_add (w, &row, &error));
  g_assert_nonnull (strstr (error->message, "BillingCurrency"));
  g_clear_error (&error);

  row.charge_period_start = "yesterday";
  g_assert_false (cu_ledger_writer_add (w, &row, &error));
  g_assert_nonnull (strstr (error->message, "ChargePeriodStart"));
  cu_ledger_writer_abort (w, "bad rows");
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* ------------------------------------------------------------ SIGKILL */

#define KILL_DAYS 30
#define KILL_PER_DAY 1500

static gint64
generation_total (int generation)
{
  gint64 t = 0;
  for (int r = 0; r < KILL_DAYS * KILL_PER_DAY; r++)
    t += amount_of (generation, r);
  return t;
}

static void
child_write_forever (const char *dir, int ready_fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(CuAccount) account = NULL;

  if (ledger == NULL)
    _exit (3);
  account = cu_ledger_get_account (ledger, "a", &error);
  if (account == NULL)
    _exit (4);
  for (int g = 1; ; g++)
    {
      if (g == 2)
        {
          /* one complete replacement done: let the parent aim its kill */
          if (write (ready_fd, "x", 1) != 1)
            _exit (5);
        }
      write_range (ledger, account->id, 20000, 20000 + KILL_DAYS - 1, KILL_PER_DAY, g % 50, TRUE);
    }
}

static void
test_sigkill_mid_write (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(GArray) valid = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 a = cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);

  write_range (ledger, a, 20000, 20000 + KILL_DAYS - 1, KILL_PER_DAY, 0, TRUE);
  for (int g = 0; g < 50; g++)
    {
      gint64 t = generation_total (g);
      g_array_append_val (valid, t);
    }
  g_clear_object (&ledger);

  for (int round = 0; round < 4; round++)
    {
      int fds[2];
      pid_t pid;
      char c;
      int status;
      gint64 total;
      gboolean found = FALSE;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          child_write_forever (dir, fds[1]);
          _exit (0);
        }
      close (fds[1]);
      g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
      close (fds[0]);
      g_usleep (20000 + g_test_rand_int_range (0, 250000));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

      ledger = cu_ledger_open (dir, &error);
      g_assert_no_error (error);
      {
        sqlite3_stmt *stmt = NULL;
        sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "PRAGMA integrity_check", -1, &stmt, NULL);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
        sqlite3_finalize (stmt);
      }
      /* exactly one complete generation, never a mixture */
      total = cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows");
      for (guint i = 0; i < valid->len; i++)
        found |= g_array_index (valid, gint64, i) == total;
      g_assert_true (found);
      g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows"), ==, KILL_DAYS * KILL_PER_DAY);
      assert_rollups_reconcile (ledger);
      /* the cut-off batch is recorded as interrupted, not left running */
      g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM batches WHERE status = 'running'"), ==, 0);
      g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM batches WHERE status = 'interrupted'"), >=, 1);
      g_clear_object (&ledger);
    }
  cu_test_remove_tree (dir);
}

/* ------------------------------------------------------------ reconciliation */

/* Sums decimal strings with integer arithmetic on their parts, without
 * cu_money_parse: an independent check of the whole pipeline. */
static gint64
independent_micros (const char *text)
{
  gint64 units = 0, frac = 0;
  int ndigits = 0;
  gboolean neg = text[0] == '-';
  const char *p = neg ? text + 1 : text;

  for (; *p && *p != '.'; p++)
    units = units * 10 + (*p - '0');
  if (*p == '.')
    for (p++; *p; p++)
      {
        frac = frac * 10 + (*p - '0');
        ndigits++;
      }
  for (; ndigits < 6; ndigits++)
    frac *= 10;
  return (neg ? -1 : 1) * (units * 1000000 + frac);
}

static void
test_reconciliation (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  g_autoptr(GPtrArray) cells = NULL;
  gint64 a = cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);
  CuLedgerWriter *w = cu_ledger_writer_begin (ledger, a, "import", "t", 20000, 20364, &error);
  gint64 expected = 0, expected_cents_sum = 0, cents_total;
  double naive = 0;
  CuCostQuery q;

  for (int i = 0; i < 100000; i++)
    {
      CuCostRow row = { 0 };
      char start[32], day[11], amount[32];
      gint64 micros;

      cu_day_format (20000 + i % 365, day);
      g_snprintf (start, sizeof start, "%sT00:00:00Z", day);
      /* amounts from 0.000001 to 9999.999999 with up to six decimals, some negative (credits) */
      g_snprintf (amount, sizeof amount, "%s%d.%06d", i % 37 == 0 ? "-" : "",
                  g_rand_int_range (rand, 0, 10000), g_rand_int_range (rand, 0, 1000000));
      g_assert_true (cu_money_parse (amount, -1, &micros, &error));
      row.charge_period_start = start;
      row.billed_cost = micros;
      row.effective_cost = micros;
      row.billing_currency = "USD";
      row.service_name = i % 2 ? "A" : "B";
      g_assert_true (cu_ledger_writer_add (w, &row, &error));
      expected += independent_micros (amount);
      naive += g_ascii_strtod (amount, NULL);
    }
  g_assert_true (cu_ledger_writer_commit (w, &error));

  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, expected);
  assert_rollups_reconcile (ledger);

  cu_cost_query_init (&q);
  q.group_by = CU_GROUP_SERVICE;
  q.granularity = CU_GRANULARITY_MONTH;
  cells = cu_ledger_query_costs (ledger, &q, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cells->len; i++)
    expected_cents_sum += ((CuCostCell *) cells->pdata[i])->billed;
  g_assert_cmpint (expected_cents_sum, ==, expected);

  /* to the cent, as printed */
  cents_total = cu_money_round_cents (expected);
  {
    g_autofree char *printed = cu_money_format_plain (expected, 2);
    g_autofree char *want = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", cents_total < 0 ? "-" : "",
                                             ABS (cents_total) / 100, (int) (ABS (cents_total) % 100));
    g_assert_cmpstr (printed, ==, want);
  }
  g_test_message ("naive double sum differs from the exact one by %.9f", naive - expected / 1e6);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* ------------------------------------------------------------ fuzzing regressions */

static CuLedgerWriter *
begin_one_day (CuLedger *ledger, gint64 account)
{
  g_autoptr(GError) error = NULL;
  CuLedgerWriter *w = cu_ledger_writer_begin (ledger, account, "import", "t", 20000, 20001, &error);

  g_assert_no_error (error);
  return w;
}

/* Two rows of 5,000,000,000,000 wrapped the rollups; now the row that would
 * overflow is refused, and a ledger whose amounts could no longer be summed
 * is refused at commit, with what was there before kept. */
static void
test_sum_overflow (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  gint64 a = cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);
  gint64 before;
  CuLedgerWriter *w;
  CuCostRow row = { 0 };

  write_range (ledger, a, 20000, 20001, 3, 0, TRUE);
  before = cu_test_query_int (ledger, "SELECT SUM(billed) FROM rollup_daily");

  row.charge_period_start = "2024-10-04";
  row.billing_currency = "USD";
  row.service_name = "EC2";
  row.billed_cost = 5000000000000 * (gint64) 1000000;
  row.effective_cost = 1;

  /* same day, service and region: the second row is refused */
  w = begin_one_day (ledger, a);
  g_assert_true (cu_ledger_writer_add (w, &row, &error));
  g_assert_false (cu_ledger_writer_add (w, &row, &error));
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "BilledCost"));
  g_assert_nonnull (strstr (error->message, "largest amount"));
  g_clear_error (&error);
  cu_ledger_writer_abort (w, "overflow");
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(billed) FROM rollup_daily"), ==, before);

  /* different days: each rollup fits, their sum would not; commit refuses */
  w = begin_one_day (ledger, a);
  g_assert_true (cu_ledger_writer_add (w, &row, &error));
  row.charge_period_start = "2024-10-05";
  g_assert_true (cu_ledger_writer_add (w, &row, &error));
  g_assert_false (cu_ledger_writer_commit (w, &error));
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "more than the ledger can hold"));
  g_clear_error (&error);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(billed) FROM rollup_daily"), ==, before);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows"), ==, 6);
  assert_rollups_reconcile (ledger);

  /* INT64_MIN has no magnitude in 64 bits */
  w = begin_one_day (ledger, a);
  row.billed_cost = G_MININT64;
  g_assert_false (cu_ledger_writer_add (w, &row, &error));
  g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  cu_ledger_writer_abort (w, NULL);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* A field holding the old key separator 0x1F stays one field. */
static void
test_separator_in_data (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  gint64 a = cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);
  CuLedgerWriter *w = begin_one_day (ledger, a);
  static const char *keys[] = { "te\x1f" "am", "env" };
  static const char *values[] = { "we\x1f" "b", "p\x1frod" };
  CuCostRow row = { 0 };
  g_autoptr(GPtrArray) cells = NULL;
  CuCostQuery q;

  row.charge_period_start = "2024-10-04";
  row.billing_currency = "USD";
  row.billed_cost = 1000000;
  row.effective_cost = 1000000;
  row.service_name = "EC2\x1fGBP";
  row.region_id = "us-east-1";
  row.sub_account_id = "1111\x1f" "2222";
  row.sub_account_name = "acme\x1fprod";
  row.n_tags = 2;
  row.tag_keys = keys;
  row.tag_values = values;
  g_assert_true (cu_ledger_writer_add (w, &row, &error));
  row.service_name = "EC2";
  row.region_id = "GBP\x1fus-east-1";
  g_assert_true (cu_ledger_writer_add (w, &row, &error));
  g_assert_true (cu_ledger_writer_commit (w, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM rollup_daily"), ==, 2);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM rollup_daily WHERE service = 'EC2' || char(31) || 'GBP'"
                                      " AND region = 'us-east-1' AND currency = 'USD'"
                                      " AND sub_account = '1111' || char(31) || '2222'"), ==, 1);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM rollup_daily WHERE service = 'EC2'"
                                      " AND region = 'GBP' || char(31) || 'us-east-1' AND currency = 'USD'"), ==, 1);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM sub_accounts WHERE name = 'acme' || char(31) || 'prod'"), ==, 1);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT billed FROM rollup_tag_daily WHERE tag_key = 'te' || char(31) || 'am'"
                                      " AND tag_value = 'we' || char(31) || 'b'"), ==, 2000000);

  cu_cost_query_init (&q);
  q.group_by = CU_GROUP_SERVICE;
  q.filter_key = "tag:env";
  q.filter_value = "p\x1frod";
  cells = cu_ledger_query_costs (ledger, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cells->len, ==, 2);
  g_assert_cmpstr (((CuCostCell *) cells->pdata[0])->group, ==, "EC2");
  g_assert_cmpstr (((CuCostCell *) cells->pdata[1])->group, ==, "EC2\x1fGBP");
  g_assert_cmpint (((CuCostCell *) cells->pdata[1])->billed, ==, 1000000);
  assert_rollups_reconcile (ledger);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* Tags are stored as JSON written by json-glib: any key or value comes back
 * exactly, and the same set in another order is the same tag set. */
static void
test_tags_json (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  gint64 a = cu_ledger_add_account (ledger, "a", "aws", "import", NULL, NULL, &error);
  CuLedgerWriter *w = begin_one_day (ledger, a);
  static const char *keys[] = { "quote\"key", "back\\slash", "ctl\x01\n\t", "zé" };
  static const char *values[] = { "va\"lue", "a\\b\\\\", "line\nbreak\x02", "日本\u2028" };
  static const char *keys2[] = { "zé", "ctl\x01\n\t", "back\\slash", "quote\"key" };
  static const char *values2[] = { "日本\u2028", "line\nbreak\x02", "a\\b\\\\", "va\"lue" };
  CuCostRow row = { 0 };
  sqlite3_stmt *stmt = NULL;

  row.charge_period_start = "2024-10-04";
  row.billing_currency = "USD";
  row.billed_cost = 5;
  row.effective_cost = 5;
  row.n_tags = 4;
  row.tag_keys = keys;
  row.tag_values = values;
  g_assert_true (cu_ledger_writer_add (w, &row, &error));
  row.tag_keys = keys2;
  row.tag_values = values2;
  g_assert_true (cu_ledger_writer_add (w, &row, &error));
  g_assert_true (cu_ledger_writer_commit (w, &error));

  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM tag_sets WHERE id > 0"), ==, 1);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows WHERE json_valid(Tags)"), ==, 2);
  g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                                       "SELECT j.key, j.value FROM cost_rows c, json_each(c.Tags) j"
                                       " WHERE c.id = 1 ORDER BY j.key", -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      static const int order[] = { 1, 2, 0, 3 }; /* keys by byte order */
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, keys[order[i]]);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, values[order[i]]);
    }
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT billed FROM rollup_tag_daily WHERE tag_key = 'quote\"key'"
                                      " AND tag_value = 'va\"lue'"), ==, 10);
  assert_rollups_reconcile (ledger);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ledger/migrate/from-empty", test_migrate_from_empty);
  g_test_add_func ("/ledger/migrate/from-v1", test_migrate_from_v1);
  /* from version 5 on the rows are stored as the writer stores them today
   * (write_legacy() is for the layouts before it) */
  for (int v = 1; v < 5; v++)
    {
      g_autofree char *path = g_strdup_printf ("/ledger/migrate/rows-from-v%d", v);
      g_test_add_data_func (path, GINT_TO_POINTER (v), test_migrate_from_version);
    }
  g_test_add_func ("/ledger/migrate/incidents-from-v5", test_migrate_from_v5);
  g_test_add_func ("/ledger/migrate/too-new", test_too_new);
  g_test_add_func ("/ledger/concurrent-open", test_concurrent_open);
  g_test_add_func ("/ledger/replace/range", test_replace_range);
  g_test_add_func ("/ledger/replace/abort", test_abort_keeps_data);
  g_test_add_func ("/ledger/replace/cancel", test_cancel_keeps_data);
  g_test_add_func ("/ledger/replace/validation", test_row_validation);
  g_test_add_func ("/ledger/replace/sigkill", test_sigkill_mid_write);
  g_test_add_func ("/ledger/reconciliation", test_reconciliation);
  g_test_add_func ("/ledger/fuzz/sum-overflow", test_sum_overflow);
  g_test_add_func ("/ledger/fuzz/separator-in-data", test_separator_in_data);
  g_test_add_func ("/ledger/fuzz/tags-json", test_tags_json);
  return g_test_run ();
}
