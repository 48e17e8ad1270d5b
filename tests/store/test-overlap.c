/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-overlap.c — two sources holding the same linked accounts never double the spend
 *
 * A payer's access keys and a role in the same organisation both sync the
 * same linked accounts; a cost export file covers some of them too. The
 * ledger keeps every copy, counts one per linked account and day (an API
 * sync over a file, the sync added first over another sync), and says which
 * source is shadowed.
 */
#define G_LOG_DOMAIN "test-overlap"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/cu-ledger-private.h"
#include "cu-test-util.h"
#include "store/cu-cost-query.h"
#include "store/cu-coverage.h"
#include "store/cu-ledger.h"
#include "store/cu-summary.h"

/* What a linked account costs on a day: the same whoever fetches it. */
static gint64
cost_of (const char *linked, CuDay day, int service)
{
  return (gint64) (atoi (linked) % 1000 + 1) * 1000000 + (day % 31) * 10000 + service * 100;
}

/* Writes the costs of @linked (NULL-terminated) for [first, last] as
 * @account would fetch them; returns their total. */
static gint64
fetch (CuLedger *ledger, gint64 account, const char *kind, const char * const *linked,
       CuDay first, CuDay last)
{
  static const char *services[] = { "Amazon Elastic Compute Cloud", "Amazon Simple Storage Service" };
  static const char *keys[] = { "team" };
  g_autoptr(GError) error = NULL;
  CuLedgerWriter *w = cu_ledger_writer_begin (ledger, account, kind, "test", first, last, &error);
  gint64 total = 0;

  g_assert_no_error (error);
  for (CuDay d = first; d <= last; d++)
    for (guint l = 0; linked[l] != NULL; l++)
      for (int s = 0; s < 2; s++)
        {
          CuCostRow row = { 0 };
          char day[11];
          const char *values[] = { s == 0 ? "web" : "data" };
          g_autofree char *name = g_strdup_printf ("member-%s", linked[l]);

          cu_day_format (d, day);
          row.charge_period_start = day;
          row.billed_cost = cost_of (linked[l], d, s);
          row.effective_cost = row.billed_cost;
          row.billing_currency = "USD";
          row.provider_name = "AWS";
          row.sub_account_id = linked[l];
          row.sub_account_name = name;
          row.service_name = services[s];
          row.region_id = "us-east-1";
          row.n_tags = 1;
          row.tag_keys = keys;
          row.tag_values = values;
          g_assert_true (cu_ledger_writer_add (w, &row, &error));
          total += row.billed_cost;
        }
  g_assert_true (cu_ledger_writer_commit (w, &error));
  g_assert_no_error (error);
  return total;
}

static gint64
expected_total (const char * const *linked, CuDay first, CuDay last)
{
  gint64 t = 0;

  for (CuDay d = first; d <= last; d++)
    for (guint l = 0; linked[l] != NULL; l++)
      t += cost_of (linked[l], d, 0) + cost_of (linked[l], d, 1);
  return t;
}

/* Every reader agrees: the rollups, an Explorer query with a tag filter,
 * one grouped by account, and the Overview. */
static void
assert_total (CuLedger *ledger, gint64 want)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GPtrArray) by_account = NULL;
  g_autoptr(GPtrArray) tagged = NULL;
  CuCostQuery q;
  gint64 sum = 0;

  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COALESCE(SUM(billed), 0) FROM rollup_daily"), ==, want);
  if (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows WHERE Tags IS NULL") == 0)
    g_assert_cmpint (cu_test_query_int (ledger, "SELECT COALESCE(SUM(billed), 0) FROM rollup_tag_daily"), ==, want);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COALESCE(SUM(billed), 0) FROM rollup_fine WHERE active"), ==, want);

  cu_cost_query_init (&q);
  cells = cu_ledger_query_costs (ledger, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cells->len, ==, 1);
  g_assert_cmpint (((CuCostCell *) cells->pdata[0])->billed, ==, want);

  if (cu_test_query_int (ledger, "SELECT COUNT(*) FROM cost_rows WHERE Tags IS NULL") > 0)
    return;
  q.group_by = CU_GROUP_ACCOUNT;
  q.filter_key = "tag:team";
  q.filter_value = "web";
  by_account = cu_ledger_query_costs (ledger, &q, &error);
  g_assert_no_error (error);
  q.filter_value = "data";
  tagged = cu_ledger_query_costs (ledger, &q, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < by_account->len; i++)
    sum += ((CuCostCell *) by_account->pdata[i])->billed;
  for (guint i = 0; i < tagged->len; i++)
    sum += ((CuCostCell *) tagged->pdata[i])->billed;
  g_assert_cmpint (sum, ==, want);
}

static const CuCoverage *
find_coverage (GPtrArray *list, gint64 account, const char *linked)
{
  for (guint i = 0; i < list->len; i++)
    {
      const CuCoverage *c = list->pdata[i];
      if (c->account_id == account && g_str_equal (c->linked_account, linked))
        return c;
    }
  return NULL;
}

/* The payer's keys and a role in the same organisation both see 111 and
 * 222: the total counts each once, whichever syncs last. */
static void
test_two_credentials (void)
{
  static const char * const org[] = { "111111111111", "222222222222", NULL };
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-overlap");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(GPtrArray) coverage = NULL;
  g_autoptr(CuSummary) summary = NULL;
  gint64 payer, role, want = expected_total (org, 20000, 20029);
  const CuCoverage *c;

  payer = cu_ledger_add_account (ledger, "payer", "aws", "aws-keys", NULL, NULL, &error);
  role = cu_ledger_add_account (ledger, "role", "aws", "aws-role", NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (fetch (ledger, payer, "sync", org, 20000, 20029), ==, want);
  assert_total (ledger, want);
  g_assert_cmpint (fetch (ledger, role, "sync", org, 20000, 20029), ==, want);
  assert_total (ledger, want);
  /* both copies are kept */
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT SUM(BilledCost) FROM cost_rows"), ==, 2 * want);

  /* the payer, added first, wins; the role is shadowed on every day */
  coverage = cu_ledger_list_coverage (ledger, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coverage->len, ==, 4);
  c = find_coverage (coverage, role, "111111111111");
  g_assert_nonnull (c);
  g_assert_cmpuint (c->n_days, ==, 30);
  g_assert_cmpuint (c->n_shadowed_days, ==, 30);
  g_assert_cmpint (c->shadowed_by, ==, payer);
  g_assert_cmpuint (c->overlaps->len, ==, 1);
  g_assert_cmpint (g_array_index (c->overlaps, gint64, 0), ==, payer);
  g_assert_cmpstr (c->linked_name, ==, "member-111111111111");
  c = find_coverage (coverage, payer, "222222222222");
  g_assert_cmpuint (c->n_shadowed_days, ==, 0);
  g_assert_cmpint (c->shadowed_by, ==, 0);
  g_assert_cmpint (g_array_index (c->overlaps, gint64, 0), ==, role);

  /* syncing the payer again (the winner) and the role again changes nothing */
  fetch (ledger, payer, "sync", org, 20010, 20019);
  fetch (ledger, role, "sync", org, 20000, 20029);
  assert_total (ledger, want);

  summary = cu_summary_compute (ledger, 20030, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->month_to_date + summary->last_month, <=, want);

  /* the account JSON names the other source */
  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonGenerator) gen = json_generator_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GPtrArray) accounts = cu_ledger_list_accounts (ledger, &error);
    g_autofree char *json = NULL;

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "covers");
    cu_coverage_build_json (coverage, role, accounts, b);
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    json = json_generator_to_data (gen, NULL);
    g_assert_nonnull (strstr (json, "\"shadowed_by\":\"payer\""));
    g_assert_nonnull (strstr (json, "\"overlaps_with\":[\"payer\"]"));
    g_assert_nonnull (strstr (json, "\"shadowed_days\":30"));
  }

  /* without the payer, the role's copy counts: nothing lost, nothing doubled */
  g_assert_true (cu_ledger_remove_account (ledger, "payer", &error));
  g_assert_no_error (error);
  assert_total (ledger, want);
  g_clear_pointer (&coverage, g_ptr_array_unref);
  coverage = cu_ledger_list_coverage (ledger, role, &error);
  g_assert_cmpuint (((CuCoverage *) coverage->pdata[0])->n_shadowed_days, ==, 0);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* Two roles in one payer see overlapping parts of the organisation, on
 * overlapping periods; one drops a linked account on its next sync. */
static void
test_partial_overlap (void)
{
  static const char * const a_sees[] = { "111111111111", "222222222222", NULL };
  static const char * const b_sees[] = { "222222222222", "333333333333", NULL };
  static const char * const a_later[] = { "111111111111", NULL };
  static const char * const only_2[] = { "222222222222", NULL };
  static const char * const only_3[] = { "333333333333", NULL };
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-overlap");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  gint64 a, b, want;

  a = cu_ledger_add_account (ledger, "role-a", "aws", "aws-role", NULL, NULL, &error);
  b = cu_ledger_add_account (ledger, "role-b", "aws", "aws-role", NULL, NULL, &error);
  fetch (ledger, b, "sync", b_sees, 20010, 20039);
  fetch (ledger, a, "sync", a_sees, 20000, 20029);
  want = expected_total (a_sees, 20000, 20029) + expected_total (only_3, 20010, 20039) +
         expected_total (only_2, 20030, 20039);
  assert_total (ledger, want);

  /* a no longer sees 222: b's copy of 222 counts on those days again */
  fetch (ledger, a, "sync", a_later, 20000, 20029);
  want = expected_total (a_later, 20000, 20029) + expected_total (b_sees, 20010, 20039);
  assert_total (ledger, want);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* A cost export file and an API sync of the same linked account: the sync
 * wins the days both hold; the file still counts on the days only it has,
 * whichever is written first. */
static void
test_file_and_sync (void)
{
  static const char * const linked[] = { "111111111111", "444444444444", NULL };
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-overlap");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(GPtrArray) coverage = NULL;
  gint64 file, keys, want;
  const CuCoverage *c;

  file = cu_ledger_add_account (ledger, "import:aws:999999999999", "aws", "import", NULL, NULL, &error);
  keys = cu_ledger_add_account (ledger, "keys", "aws", "aws-keys", NULL, NULL, &error);
  /* the file covers a whole earlier quarter and the synced month */
  fetch (ledger, file, "import", linked, 19950, 20029);
  fetch (ledger, keys, "sync", linked, 20000, 20044);
  want = expected_total (linked, 19950, 20044);
  assert_total (ledger, want);

  coverage = cu_ledger_list_coverage (ledger, file, &error);
  c = find_coverage (coverage, file, "111111111111");
  g_assert_cmpuint (c->n_days, ==, 80);
  g_assert_cmpuint (c->n_shadowed_days, ==, 30);
  g_assert_cmpint (c->shadowed_by, ==, keys);

  /* importing the file again, after the sync, keeps the sync winning */
  fetch (ledger, file, "import", linked, 19950, 20029);
  assert_total (ledger, want);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* Costs without a linked account belong to the source that wrote them
 * and are never shadowed. */
static void
test_no_linked_account (void)
{
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-overlap");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  gint64 accounts[2];
  gint64 total = 0;

  for (int i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("sp-%d", i);
      CuLedgerWriter *w;
      CuCostRow row = { 0 };

      accounts[i] = cu_ledger_add_account (ledger, name, "azure", "azure-sp", NULL, NULL, &error);
      w = cu_ledger_writer_begin (ledger, accounts[i], "sync", "t", 20000, 20000, &error);
      row.charge_period_start = "2024-10-04";
      row.billed_cost = 7000000;
      row.effective_cost = 7000000;
      row.billing_currency = "EUR";
      g_assert_true (cu_ledger_writer_add (w, &row, &error));
      g_assert_true (cu_ledger_writer_commit (w, &error));
      total += row.billed_cost;
    }
  assert_total (ledger, total);
  g_assert_cmpint (cu_test_query_int (ledger, "SELECT COUNT(*) FROM coverage"), ==, 0);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

/* Two cost export files of different billing accounts that both bill one
 * linked account are two bills: both count (a file of the same billing
 * account replaces the earlier one instead). */
static void
test_two_files (void)
{
  static const char * const linked[] = { "555555555555", NULL };
  g_autofree char *dir = cu_test_make_tmp_dir ("cumulus-overlap");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  g_autoptr(GPtrArray) coverage = NULL;
  gint64 a, b, want;

  a = cu_ledger_add_account (ledger, "import:aws:111100001111", "aws", "import", NULL, NULL, &error);
  b = cu_ledger_add_account (ledger, "import:aws:222200002222", "aws", "import", NULL, NULL, &error);
  want = fetch (ledger, a, "import", linked, 20000, 20009) + fetch (ledger, b, "import", linked, 20005, 20014);
  assert_total (ledger, want);
  coverage = cu_ledger_list_coverage (ledger, b, &error);
  g_assert_cmpuint (((CuCoverage *) coverage->pdata[0])->n_shadowed_days, ==, 0);
  g_assert_cmpuint (((CuCoverage *) coverage->pdata[0])->overlaps->len, ==, 1);
  g_clear_object (&ledger);
  cu_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/overlap/two-credentials", test_two_credentials);
  g_test_add_func ("/overlap/partial", test_partial_overlap);
  g_test_add_func ("/overlap/file-and-sync", test_file_and_sync);
  g_test_add_func ("/overlap/no-linked-account", test_no_linked_account);
  g_test_add_func ("/overlap/two-files", test_two_files);
  return g_test_run ();
}
