/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-coverage.c — one copy per linked account and day, whoever fetched it
 *
 * coverage holds (linked account, day, rank, source account) for every
 * source that wrote costs of that linked account on that day; rank 0 is an
 * API sync, 1 a cost export file, 2 anything else. When an API sync holds
 * the (linked account, day), the sync added first counts and every other
 * copy is shadowed; without one, every copy counts. Files never shadow one
 * another: a file replaces its own billing account's earlier import of the
 * period, and two billing accounts billing one linked account on one day are
 * two bills, not two copies. The choice is stable from one sync to the next.
 * Only counted rollup_fine rows are active, and rollup_daily and
 * rollup_tag_daily are derived from active rows only: every reader of the
 * rollups counts each dollar once without knowing about sources.
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-ledger-private.h"
#include "store/cu-coverage.h"
#include "store/cu-coverage-private.h"

#include <string.h>

static gboolean
run (CuLedger    *self,
     const char  *sql,
     gint64       account_id,
     CuDay        first,
     CuDay        last,
     GError     **error)
{
  sqlite3 *db = cu_ledger_get_db (self);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (self, error, "Cannot work out which source counts");
      return FALSE;
    }
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    {
      sqlite3_bind_int (stmt, 2, first);
      sqlite3_bind_int (stmt, 3, last);
    }
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (self, error, "Cannot work out which source counts");
      return FALSE;
    }
  return TRUE;
}

/* Derives rollup_daily and rollup_tag_daily of @account_id in [first, last]
 * from its active fine rows. */
static gboolean
rebuild_rollups (CuLedger *self, gint64 account_id, CuDay first, CuDay last, GError **error)
{
  return run (self, "DELETE FROM rollup_daily WHERE account_id = ?1 AND usage_day BETWEEN ?2 AND ?3",
              account_id, first, last, error) &&
         run (self, "DELETE FROM rollup_tag_daily WHERE account_id = ?1 AND usage_day BETWEEN ?2 AND ?3",
              account_id, first, last, error) &&
         run (self, "INSERT INTO rollup_daily (usage_day, account_id, provider, sub_account, service, region,"
                    " currency, billed, effective, n_rows)"
                    " SELECT r.usage_day, r.account_id, p.value, s.value, v.value, g.value, u.value,"
                    " SUM(r.billed), SUM(r.effective), SUM(r.n_rows)"
                    " FROM rollup_fine r JOIN strings p ON p.id = r.provider JOIN strings s ON s.id = r.sub_account"
                    " JOIN strings v ON v.id = r.service JOIN strings g ON g.id = r.region"
                    " JOIN strings u ON u.id = r.currency"
                    " WHERE r.account_id = ?1 AND r.usage_day BETWEEN ?2 AND ?3 AND r.active"
                    " GROUP BY r.usage_day, r.provider, r.sub_account, r.service, r.region, r.currency",
              account_id, first, last, error) &&
         run (self, "INSERT INTO rollup_tag_daily (tag_key, usage_day, account_id, tag_value, currency,"
                    " billed, effective)"
                    " SELECT i.tag_key, r.usage_day, r.account_id, i.tag_value, u.value,"
                    " SUM(r.billed), SUM(r.effective)"
                    " FROM rollup_fine r JOIN tag_set_items i ON i.tag_set = r.tag_set"
                    " JOIN strings u ON u.id = r.currency"
                    " WHERE r.account_id = ?1 AND r.usage_day BETWEEN ?2 AND ?3 AND r.active AND r.tag_set != 0"
                    " GROUP BY 1, 2, 3, 4, 5",
              account_id, first, last, error);
}

/*
 * cu_ledger_overlap_begin:
 * @reset: start a new list (a new transaction); %FALSE adds to the list of
 *   a transaction already open, as writers sharing one transaction do
 *
 * Makes the connection's list of linked accounts whose winner is to be
 * worked out again (temp.cu_touched); callers fill it before changing
 * coverage.
 */
gboolean
cu_ledger_overlap_begin (CuLedger  *self,
                         gboolean   reset,
                         GError   **error)
{
  return cu_ledger_exec (self,
                         "CREATE TEMP TABLE IF NOT EXISTS cu_touched (sub_account INTEGER PRIMARY KEY);"
                         "CREATE TEMP TABLE IF NOT EXISTS cu_flipped (sub_account INTEGER, usage_day INTEGER,"
                         "  account_id INTEGER, active INTEGER);", error) &&
         (!reset || cu_ledger_exec (self, "DELETE FROM temp.cu_touched;", error));
}

/*
 * cu_ledger_resolve_overlap:
 * @account_id: the account just written (its rollups are derived again in
 *   the range whatever changed), or 0
 *
 * Works out the winner of every (touched linked account, day) in
 * [first_day, last_day], flips rows whose winner changed, derives the
 * coarse rollups of every account concerned, and refuses a ledger whose
 * amounts could no longer be summed in 64 bits. Runs inside the caller's
 * transaction.
 */
gboolean
cu_ledger_resolve_overlap (CuLedger  *self,
                           gint64     account_id,
                           CuDay      first_day,
                           CuDay      last_day,
                           GError   **error)
{
  sqlite3 *db = cu_ledger_get_db (self);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (gint64) * 3);
  int rc;

  if (!cu_ledger_exec (self, "DELETE FROM temp.cu_flipped", error) ||
      !run (self, "INSERT INTO temp.cu_flipped (sub_account, usage_day, account_id, active)"
                  " SELECT c.sub_account, c.usage_day, c.account_id, NOT c.active FROM coverage c"
                  " WHERE c.sub_account IN (SELECT sub_account FROM temp.cu_touched)"
                  " AND c.usage_day BETWEEN ?2 AND ?3"
                  " AND c.active != " CU_COVERAGE_SQL_COUNTS,
            account_id, first_day, last_day, error) ||
      !run (self, "UPDATE coverage SET active = f.active FROM temp.cu_flipped f"
                  " WHERE coverage.sub_account = f.sub_account AND coverage.usage_day = f.usage_day"
                  " AND coverage.account_id = f.account_id AND ?1 = ?1",
            account_id, first_day, last_day, error) ||
      !run (self, "UPDATE rollup_fine SET active = f.active FROM temp.cu_flipped f"
                  " WHERE rollup_fine.usage_day = f.usage_day AND rollup_fine.account_id = f.account_id"
                  " AND rollup_fine.sub_account = f.sub_account AND ?1 = ?1",
            account_id, first_day, last_day, error))
    return FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT account_id, MIN(usage_day), MAX(usage_day) FROM temp.cu_flipped"
                              " WHERE account_id != ? GROUP BY account_id", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (self, error, "Cannot work out which source counts");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 span[3] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                         sqlite3_column_int64 (stmt, 2) };
      g_array_append_vals (spans, span, 1);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (self, error, "Cannot work out which source counts");
      return FALSE;
    }
  if (account_id != 0)
    {
      gint64 span[3] = { account_id, first_day, last_day };
      g_array_append_vals (spans, span, 1);
    }
  for (guint i = 0; i < spans->len; i++)
    {
      const gint64 *span = (const gint64 *) (spans->data + i * sizeof (gint64) * 3);
      if (!rebuild_rollups (self, span[0], (CuDay) span[1], (CuDay) span[2], error))
        return FALSE;
    }

  /* Every query sums a subset of the counted rollups: if the sum of their
   * magnitudes fits in 64 bits, no query can overflow (queries still check,
   * for amounts that cancel out within a day). */
  if (sqlite3_prepare_v2 (db, "SELECT SUM(ABS(billed)), SUM(ABS(effective)) FROM rollup_daily",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (self, error, "Cannot check the ledger’s totals");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && strstr (sqlite3_errmsg (db), "overflow") == NULL)
    {
      cu_ledger_set_sql_error (self, error, "Cannot check the ledger’s totals");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "The amounts would add up to more than the ledger can hold"
                   " (9223372036854.775807 in a currency); nothing was written");
      return FALSE;
    }
  return TRUE;
}

void
cu_coverage_free (CuCoverage *coverage)
{
  if (coverage == NULL)
    return;
  g_free (coverage->linked_account);
  g_free (coverage->linked_name);
  g_clear_pointer (&coverage->overlaps, g_array_unref);
  g_free (coverage);
}

/**
 * cu_ledger_list_coverage:
 * @account_id: one source account, or 0 for all
 *
 * Lists, per source account and linked account, the days it holds and how
 * many of them another source wins, with the other sources that hold the
 * same linked account.
 *
 * Returns: (transfer full) (element-type CuCoverage): by account id, then
 *   linked account; %NULL with @error
 */
GPtrArray *
cu_ledger_list_coverage (CuLedger    *self,
                         gint64       account_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_coverage_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (self), NULL);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (self),
                          "SELECT c.account_id, s.value,"
                          " (SELECT MAX(n.name) FROM sub_accounts n WHERE n.sub_account_id = s.value),"
                          " MIN(c.usage_day), MAX(c.usage_day), COUNT(*), SUM(c.active = 0),"
                          " (SELECT w.account_id FROM coverage x JOIN coverage w ON w.sub_account = x.sub_account"
                          "   AND w.usage_day = x.usage_day AND w.active"
                          "   WHERE x.sub_account = c.sub_account AND x.account_id = c.account_id AND NOT x.active"
                          "   ORDER BY x.usage_day LIMIT 1),"
                          " (SELECT group_concat(o.account_id) FROM (SELECT DISTINCT o.account_id FROM coverage o"
                          "   WHERE o.sub_account = c.sub_account AND o.account_id != c.account_id"
                          "   ORDER BY o.account_id) o)"
                          " FROM coverage c JOIN strings s ON s.id = c.sub_account"
                          " WHERE ?1 = 0 OR c.account_id = ?1"
                          " GROUP BY c.account_id, c.sub_account ORDER BY c.account_id, s.value",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (self, error, "Cannot list the linked accounts");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuCoverage *c = g_new0 (CuCoverage, 1);
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      const char *others = (const char *) sqlite3_column_text (stmt, 8);

      c->account_id = sqlite3_column_int64 (stmt, 0);
      c->linked_account = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      c->linked_name = g_strdup (name);
      c->first_day = sqlite3_column_int (stmt, 3);
      c->last_day = sqlite3_column_int (stmt, 4);
      c->n_days = (guint) sqlite3_column_int (stmt, 5);
      c->n_shadowed_days = (guint) sqlite3_column_int (stmt, 6);
      c->shadowed_by = sqlite3_column_int64 (stmt, 7);
      c->overlaps = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (others != NULL)
        {
          g_auto(GStrv) ids = g_strsplit (others, ",", -1);
          for (guint i = 0; ids[i] != NULL; i++)
            {
              gint64 id = g_ascii_strtoll (ids[i], NULL, 10);
              g_array_append_val (c->overlaps, id);
            }
        }
      g_ptr_array_add (list, c);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (self, error, "Cannot list the linked accounts");
      return NULL;
    }
  return g_steal_pointer (&list);
}

static const char *
account_name (GPtrArray *accounts, gint64 id)
{
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      CuAccount *a = accounts->pdata[i];
      if (a->id == id)
        return a->name;
    }
  return NULL;
}

static void
add_account_ref (JsonBuilder *b, GPtrArray *accounts, gint64 id)
{
  const char *name = account_name (accounts, id);

  if (name != NULL)
    json_builder_add_string_value (b, name);
  else
    json_builder_add_int_value (b, id);
}

/**
 * cu_coverage_build_json:
 * @coverage: (element-type CuCoverage): from cu_ledger_list_coverage()
 * @account_id: whose linked accounts to write
 * @accounts: (element-type CuAccount) (nullable): to name the other sources
 *
 * Adds the array value `[{"linked_account", "name", "first_day", "last_day",
 * "days", "shadowed_days", "shadowed_by", "overlaps_with": [names]}]` to
 * @builder (after the caller has set a member name).
 */
void
cu_coverage_build_json (GPtrArray   *coverage,
                        gint64       account_id,
                        GPtrArray   *accounts,
                        JsonBuilder *b)
{
  g_return_if_fail (JSON_IS_BUILDER (b));

  json_builder_begin_array (b);
  for (guint i = 0; coverage != NULL && i < coverage->len; i++)
    {
      CuCoverage *c = coverage->pdata[i];
      char day[11];

      if (c->account_id != account_id)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "linked_account");
      json_builder_add_string_value (b, c->linked_account);
      json_builder_set_member_name (b, "name");
      if (c->linked_name)
        json_builder_add_string_value (b, c->linked_name);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "first_day");
      cu_day_format (c->first_day, day);
      json_builder_add_string_value (b, day);
      json_builder_set_member_name (b, "last_day");
      cu_day_format (c->last_day, day);
      json_builder_add_string_value (b, day);
      json_builder_set_member_name (b, "days");
      json_builder_add_int_value (b, c->n_days);
      json_builder_set_member_name (b, "shadowed_days");
      json_builder_add_int_value (b, c->n_shadowed_days);
      json_builder_set_member_name (b, "shadowed_by");
      if (c->shadowed_by != 0)
        add_account_ref (b, accounts, c->shadowed_by);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "overlaps_with");
      json_builder_begin_array (b);
      for (guint k = 0; k < c->overlaps->len; k++)
        add_account_ref (b, accounts, g_array_index (c->overlaps, gint64, k));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/**
 * cu_coverage_describe:
 * @coverage: (element-type CuCoverage): from cu_ledger_list_coverage()
 * @account_id: whose linked accounts to describe
 * @accounts: (element-type CuAccount) (nullable): to name the other sources
 *
 * Returns: (transfer full) (nullable): one line for people, such as
 *   "covers 2 linked accounts: 111111111111 (acme), 222222222222 — shared with
 *   payer, which counts on 30 of 30 days", or %NULL when it covers none
 */
char *
cu_coverage_describe (GPtrArray *coverage,
                      gint64     account_id,
                      GPtrArray *accounts)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GString) shared = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; coverage != NULL && i < coverage->len; i++)
    {
      CuCoverage *c = coverage->pdata[i];

      if (c->account_id != account_id)
        continue;
      g_string_append_printf (list, "%s%s", n++ ? ", " : "", c->linked_account);
      if (c->linked_name)
        g_string_append_printf (list, " (%s)", c->linked_name);
      for (guint k = 0; k < c->overlaps->len; k++)
        {
          gint64 other = g_array_index (c->overlaps, gint64, k);
          const char *name = account_name (accounts, other);
          g_autofree char *fallback = g_strdup_printf ("account %" G_GINT64_FORMAT, other);

          g_string_append_printf (shared, "%s%s with %s", shared->len ? "; " : "",
                                  c->linked_account, name ? name : fallback);
          if (c->n_shadowed_days > 0 && c->shadowed_by == other)
            g_string_append_printf (shared, ", which counts on %u of %u days", c->n_shadowed_days, c->n_days);
        }
    }
  if (n == 0)
    return NULL;
  return g_strdup_printf ("covers %u linked account%s: %s%s%s", n, n == 1 ? "" : "s", list->str,
                          shared->len ? " — shared: " : "", shared->str);
}
