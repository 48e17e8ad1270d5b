/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cost-query.c — cost totals from the daily rollups
 *
 * Queries never scan cost rows: they read rollup_daily, rollup_tag_daily
 * for one tag alone, or rollup_fine (by tag set) when a tag meets another
 * dimension, sum by day × group in SQL and fold days into weeks or months
 * here, which keeps period logic in one place.
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-cost-query.h"
#include "store/cu-ledger-private.h"

#include <string.h>

#define UNTAGGED "(untagged)"

void
cu_cost_cell_free (CuCostCell *cell)
{
  if (cell == NULL)
    return;
  g_free (cell->period);
  g_free (cell->group);
  g_free (cell->currency);
  g_free (cell);
}

void
cu_cost_query_init (CuCostQuery *query)
{
  memset (query, 0, sizeof *query);
  query->from = CU_DAY_INVALID;
  query->to = CU_DAY_INVALID;
  query->group_by = CU_GROUP_NONE;
  query->granularity = CU_GRANULARITY_TOTAL;
}

/**
 * cu_group_by_parse:
 * @text: "provider", "account", "service", "region", "total"/"none" or "tag:KEY"
 * @tag_key: (out) (transfer full): the key for "tag:KEY"
 */
gboolean
cu_group_by_parse (const char  *text,
                   CuGroupBy   *group_by,
                   char       **tag_key)
{
  static const struct { const char *name; CuGroupBy value; } names[] = {
    { "none", CU_GROUP_NONE }, { "total", CU_GROUP_NONE },
    { "provider", CU_GROUP_PROVIDER }, { "account", CU_GROUP_ACCOUNT },
    { "service", CU_GROUP_SERVICE }, { "region", CU_GROUP_REGION },
  };

  if (tag_key)
    *tag_key = NULL;
  if (text == NULL)
    return FALSE;
  if (g_str_has_prefix (text, "tag:") && text[4] != '\0')
    {
      *group_by = CU_GROUP_TAG;
      if (tag_key)
        *tag_key = g_strdup (text + 4);
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i].name))
      {
        *group_by = names[i].value;
        return TRUE;
      }
  return FALSE;
}

gboolean
cu_granularity_parse (const char    *text,
                      CuGranularity *granularity)
{
  static const struct { const char *name; CuGranularity value; } names[] = {
    { "total", CU_GRANULARITY_TOTAL }, { "day", CU_GRANULARITY_DAY },
    { "week", CU_GRANULARITY_WEEK }, { "month", CU_GRANULARITY_MONTH },
  };

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i].name))
      {
        *granularity = names[i].value;
        return TRUE;
      }
  return FALSE;
}

static const char *
dimension_column (const char *name)
{
  if (g_str_equal (name, "provider"))
    return "r.provider";
  if (g_str_equal (name, "account"))
    return "r.sub_account IN (SELECT :fvalue UNION ALL SELECT s.sub_account_id FROM sub_accounts s WHERE s.name = :fvalue)";
  if (g_str_equal (name, "service"))
    return "r.service";
  if (g_str_equal (name, "region"))
    return "r.region";
  return NULL;
}

static CuDay
period_start (CuGranularity g, CuDay day, CuDay from)
{
  switch (g)
    {
    case CU_GRANULARITY_DAY:   return day;
    case CU_GRANULARITY_WEEK:  return cu_day_week_start (day);
    case CU_GRANULARITY_MONTH: return cu_day_month_start (day);
    case CU_GRANULARITY_TOTAL:
    default:                   return from;
    }
}

static char *
period_label (CuGranularity g, CuDay start, CuDay from, CuDay to)
{
  char a[11], b[11];
  int y, m;

  switch (g)
    {
    case CU_GRANULARITY_DAY:
      return cu_day_to_string (start);
    case CU_GRANULARITY_WEEK:
      /* the ISO week's Monday: sorts and parses like any other date */
      return cu_day_to_string (start);
    case CU_GRANULARITY_MONTH:
      cu_day_to_ymd (start, &y, &m, NULL);
      return g_strdup_printf ("%04d-%02d", y, m);
    case CU_GRANULARITY_TOTAL:
    default:
      cu_day_format (from, a);
      cu_day_format (to, b);
      return g_strdup_printf ("%s/%s", a, b);
    }
}

static int
compare_cells (gconstpointer pa, gconstpointer pb)
{
  const CuCostCell *a = *(CuCostCell * const *) pa;
  const CuCostCell *b = *(CuCostCell * const *) pb;
  int c;

  if (a->period_start != b->period_start)
    return a->period_start < b->period_start ? -1 : 1;
  /* within a period: largest first, then by name for stable output */
  if (a->billed != b->billed)
    return a->billed > b->billed ? -1 : 1;
  c = g_strcmp0 (a->group, b->group);
  if (c != 0)
    return c;
  return g_strcmp0 (a->currency, b->currency);
}

static guint
cell_hash (gconstpointer p)
{
  const CuCostCell *c = p;

  return (g_str_hash (c->group) * 31 + g_str_hash (c->currency)) * 31 + (guint) c->period_start;
}

static gboolean
cell_equal (gconstpointer pa, gconstpointer pb)
{
  const CuCostCell *a = pa, *b = pb;

  return a->period_start == b->period_start && strcmp (a->group, b->group) == 0 &&
         strcmp (a->currency, b->currency) == 0;
}

/* Adds (billed, effective) × sign into the cell for (period, group,
 * currency); FALSE when the sum leaves 64 bits. */
static gboolean
accumulate (GHashTable          *cells,
            GPtrArray           *out,
            const CuCostQuery   *q,
            CuDay                from,
            CuDay                to,
            CuDay                day,
            const char          *group,
            const char          *currency,
            gint64               billed,
            gint64               effective,
            int                  sign)
{
  CuDay start = period_start (q->granularity, day, from);
  CuCostCell probe = { .period_start = start, .group = (char *) group, .currency = (char *) currency };
  CuCostCell *cell = g_hash_table_lookup (cells, &probe);

  if (cell == NULL)
    {
      cell = g_new0 (CuCostCell, 1);
      cell->period_start = start;
      cell->period = period_label (q->granularity, start, from, to);
      cell->group = g_strdup (group);
      cell->currency = g_strdup (currency);
      g_hash_table_add (cells, cell);
      g_ptr_array_add (out, cell);
    }
  if (__builtin_add_overflow (cell->billed, sign * billed, &cell->billed) ||
      __builtin_add_overflow (cell->effective, sign * effective, &cell->effective))
    return FALSE;
  return TRUE;
}

static gboolean
run_sum (CuLedger      *ledger,
         const char    *sql,
         const CuCostQuery *q,
         CuDay          from,
         CuDay          to,
         GHashTable    *cells,
         GPtrArray     *out,
         int            sign,
         const char    *fixed_group,
         GError       **error)
{
  sqlite3 *db = cu_ledger_get_db (ledger);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot query costs");
      return FALSE;
    }
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":from"), from);
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":to"), to);
  if (sqlite3_bind_parameter_index (stmt, ":fvalue") > 0)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":fvalue"),
                       q->filter_value, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_index (stmt, ":fkey") > 0)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":fkey"),
                       q->filter_key + 4, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_index (stmt, ":gkey") > 0)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":gkey"),
                       q->tag_key, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *group = fixed_group ? fixed_group : (const char *) sqlite3_column_text (stmt, 1);
      const char *currency = (const char *) sqlite3_column_text (stmt, 2);

      if (!accumulate (cells, out, q, from, to,
                       sqlite3_column_int (stmt, 0),
                       group ? group : "",
                       currency ? currency : "",
                       sqlite3_column_int64 (stmt, 3),
                       sqlite3_column_int64 (stmt, 4),
                       sign))
        {
          sqlite3_finalize (stmt);
          g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                       "The total is beyond the largest amount the ledger can hold");
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot query costs");
      return FALSE;
    }
  return TRUE;
}

/* One group of the fine rollup, in ids. Every query sums here rather than
 * with SQL's GROUP BY, which sorts every row it reads: at 10M cost rows the
 * sort is 5–10 times the cost of the scan. */
typedef struct {
  CuDay  start;
  gint64 g1;
  gint64 g2;
  gint64 currency;
  gint64 billed;
  gint64 effective;
} FineCell;

static guint
fine_cell_hash (gconstpointer p)
{
  const FineCell *c = p;
  guint64 h = (guint64) c->start * 1000003u ^ (guint64) c->g1;

  h = h * 1000003u ^ (guint64) c->g2;
  h = h * 1000003u ^ (guint64) c->currency;
  return (guint) (h ^ (h >> 32));
}

static gboolean
fine_cell_equal (gconstpointer pa, gconstpointer pb)
{
  const FineCell *a = pa, *b = pb;

  return a->start == b->start && a->g1 == b->g1 && a->g2 == b->g2 && a->currency == b->currency;
}

/* id → text of the strings table, asked once per id */
static const char *
string_of (CuLedger *ledger, GHashTable *cache, gint64 id)
{
  const char *text = g_hash_table_lookup (cache, &id);
  sqlite3_stmt *stmt = NULL;

  if (text != NULL)
    return text;
  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "SELECT value FROM strings WHERE id = ?",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = (const char *) sqlite3_column_text (stmt, 0);
      text = g_strdup (text ? text : "");
      sqlite3_finalize (stmt);
    }
  else
    text = g_strdup ("");
  g_hash_table_insert (cache, g_memdup2 (&id, sizeof id), (char *) text);
  return text;
}

/* A tag together with another dimension: rollup_fine holds day × account ×
 * service × region × tag set, and a tag filter is the set of tag-set ids
 * holding that key and value, read through the rollup's indexes. */
static gboolean
query_fine (CuLedger           *ledger,
            const CuCostQuery  *q,
            CuDay               from,
            CuDay               to,
            gboolean            tag_filter,
            GHashTable         *cells,
            GPtrArray          *out,
            GError            **error)
{
  sqlite3 *db = cu_ledger_get_db (ledger);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) sums = g_hash_table_new_full (fine_cell_hash, fine_cell_equal, g_free, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) tag_values = NULL;   /* tag set → value id (index into values) */
  g_autoptr(GPtrArray) values = NULL;
  g_autofree char *sql = NULL;
  const char *where;
  GHashTableIter iter;
  gpointer key;
  int rc;

  if (q->group_by == CU_GROUP_TAG)
    {
      g_autoptr(GHashTable) value_ids = g_hash_table_new (g_str_hash, g_str_equal);

      tag_values = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      values = g_ptr_array_new_with_free_func (g_free);
      if (sqlite3_prepare_v2 (db, "SELECT tag_set, tag_value FROM tag_set_items WHERE tag_key = ?",
                              -1, &stmt, NULL) != SQLITE_OK)
        goto sql_error;
      sqlite3_bind_text (stmt, 1, q->tag_key, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 set = sqlite3_column_int64 (stmt, 0);
          const char *value = (const char *) sqlite3_column_text (stmt, 1);
          gpointer found;
          gsize index;

          if (g_hash_table_lookup_extended (value_ids, value, NULL, &found))
            index = GPOINTER_TO_SIZE (found);
          else
            {
              g_ptr_array_add (values, g_strdup (value));
              index = values->len; /* 1-based: 0 is untagged */
              g_hash_table_insert (value_ids, values->pdata[values->len - 1], GSIZE_TO_POINTER (index));
            }
          g_hash_table_insert (tag_values, g_memdup2 (&set, sizeof set), GSIZE_TO_POINTER (index));
        }
      sqlite3_finalize (stmt);
      stmt = NULL;
      if (rc != SQLITE_DONE)
        goto sql_error;
    }

  if (tag_filter)
    where = " AND r.tag_set IN (SELECT f.tag_set FROM tag_set_items f WHERE f.tag_key = :fkey AND f.tag_value = :fvalue)";
  else if (g_str_equal (q->filter_key, "account"))
    where = " AND r.sub_account IN (SELECT id FROM strings WHERE value = :fvalue"
            " UNION ALL SELECT d.id FROM sub_accounts n JOIN strings d ON d.value = n.sub_account_id"
            " WHERE n.name = :fvalue)";
  else if (g_str_equal (q->filter_key, "provider"))
    where = " AND r.provider = (SELECT id FROM strings WHERE value = :fvalue)";
  else if (g_str_equal (q->filter_key, "service"))
    where = " AND r.service = (SELECT id FROM strings WHERE value = :fvalue)";
  else
    where = " AND r.region = (SELECT id FROM strings WHERE value = :fvalue)";
  sql = g_strdup_printf ("SELECT r.usage_day, r.provider, r.sub_account, r.service, r.region, r.tag_set,"
                         " r.currency, r.billed, r.effective FROM rollup_fine r"
                         " WHERE r.usage_day BETWEEN :from AND :to AND r.active%s", where);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":from"), from);
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":to"), to);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":fvalue"), q->filter_value, -1, SQLITE_STATIC);
  if (tag_filter)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":fkey"), q->filter_key + 4, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FineCell probe = { 0 }, *cell;
      CuDay day = sqlite3_column_int (stmt, 0);

      probe.start = period_start (q->granularity, day, from);
      probe.currency = sqlite3_column_int64 (stmt, 6);
      switch (q->group_by)
        {
        case CU_GROUP_PROVIDER: probe.g1 = sqlite3_column_int64 (stmt, 1); break;
        case CU_GROUP_ACCOUNT:
          probe.g1 = sqlite3_column_int64 (stmt, 1);
          probe.g2 = sqlite3_column_int64 (stmt, 2);
          break;
        case CU_GROUP_SERVICE:  probe.g1 = sqlite3_column_int64 (stmt, 3); break;
        case CU_GROUP_REGION:   probe.g1 = sqlite3_column_int64 (stmt, 4); break;
        case CU_GROUP_TAG:
          {
            gint64 set = sqlite3_column_int64 (stmt, 5);
            probe.g1 = (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (tag_values, &set));
          }
          break;
        case CU_GROUP_NONE:
        default:
          break;
        }
      cell = g_hash_table_lookup (sums, &probe);
      if (cell == NULL)
        {
          cell = g_memdup2 (&probe, sizeof probe);
          g_hash_table_add (sums, cell);
        }
      if (__builtin_add_overflow (cell->billed, sqlite3_column_int64 (stmt, 7), &cell->billed) ||
          __builtin_add_overflow (cell->effective, sqlite3_column_int64 (stmt, 8), &cell->effective))
        {
          sqlite3_finalize (stmt);
          g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                       "The total is beyond the largest amount the ledger can hold");
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto sql_error;

  /* name the groups: a few hundred at most */
  g_hash_table_iter_init (&iter, sums);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const FineCell *c = key;
      g_autofree char *account = NULL;
      const char *group;

      switch (q->group_by)
        {
        case CU_GROUP_PROVIDER:
        case CU_GROUP_SERVICE:
        case CU_GROUP_REGION:
          group = string_of (ledger, names, c->g1);
          break;
        case CU_GROUP_ACCOUNT:
          {
            const char *provider = string_of (ledger, names, c->g1);
            const char *sub = string_of (ledger, names, c->g2);

            if (sqlite3_prepare_v2 (db, "SELECT name FROM sub_accounts WHERE provider = ? AND sub_account_id = ?",
                                    -1, &stmt, NULL) != SQLITE_OK)
              goto sql_error;
            sqlite3_bind_text (stmt, 1, provider, -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, 2, sub, -1, SQLITE_STATIC);
            if (sqlite3_step (stmt) == SQLITE_ROW)
              account = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
            sqlite3_finalize (stmt);
            stmt = NULL;
            group = account ? account : sub;
          }
          break;
        case CU_GROUP_TAG:
          group = c->g1 > 0 ? values->pdata[c->g1 - 1] : UNTAGGED;
          break;
        case CU_GROUP_NONE:
        default:
          group = "";
          break;
        }
      if (!accumulate (cells, out, q, from, to, c->start, group, string_of (ledger, names, c->currency),
                       c->billed, c->effective, +1))
        {
          g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                       "The total is beyond the largest amount the ledger can hold");
          return FALSE;
        }
    }
  return TRUE;

sql_error:
  cu_ledger_set_sql_error (ledger, error, "Cannot query costs");
  sqlite3_finalize (stmt);
  return FALSE;
}

/**
 * cu_ledger_query_costs:
 *
 * Returns: (transfer full) (element-type CuCostCell): cells ordered by
 *   period, then largest first; %NULL with @error on failure
 */
GPtrArray *
cu_ledger_query_costs (CuLedger           *ledger,
                       const CuCostQuery  *q,
                       GError            **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_cost_cell_free);
  g_autoptr(GHashTable) cells = g_hash_table_new (cell_hash, cell_equal);
  g_autofree char *filter_sql = NULL;
  g_autofree char *group_sql = NULL;
  gboolean tag_filter = FALSE;
  const char *day_expr;
  CuDay from = q->from, to = q->to;
  CuDay first, last;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (q != NULL, NULL);

  if (!cu_ledger_get_day_range (ledger, &first, &last, error))
    {
      if (error && *error)
        return NULL;
      return g_steal_pointer (&out); /* empty ledger: no cells */
    }
  if (from == CU_DAY_INVALID)
    from = first;
  if (to == CU_DAY_INVALID)
    to = last;
  if (to < from)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "The end date comes before the start date");
      return NULL;
    }
  if (q->group_by == CU_GROUP_TAG && (q->tag_key == NULL || *q->tag_key == '\0'))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID, "Grouping by tag needs a tag key");
      return NULL;
    }

  if (q->filter_key != NULL)
    {
      const char *col;

      if (q->filter_value == NULL)
        {
          g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                       "The filter “%s” needs a value", q->filter_key);
          return NULL;
        }
      if (g_str_has_prefix (q->filter_key, "tag:") && q->filter_key[4] != '\0')
        tag_filter = TRUE;
      else if ((col = dimension_column (q->filter_key)) != NULL)
        filter_sql = g_str_equal (q->filter_key, "account")
                     ? g_strdup_printf (" AND %s", col)
                     : g_strdup_printf (" AND %s = :fvalue", col);
      else
        {
          g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                       "Unknown filter “%s”: use provider, account, service, region or tag:KEY",
                       q->filter_key);
          return NULL;
        }
    }

  day_expr = q->granularity == CU_GRANULARITY_TOTAL ? ":from" : "r.usage_day";

  switch (q->group_by)
    {
    case CU_GROUP_NONE:     group_sql = g_strdup ("''"); break;
    case CU_GROUP_PROVIDER: group_sql = g_strdup ("r.provider"); break;
    case CU_GROUP_SERVICE:  group_sql = g_strdup ("r.service"); break;
    case CU_GROUP_REGION:   group_sql = g_strdup ("r.region"); break;
    case CU_GROUP_ACCOUNT:
      group_sql = g_strdup (CU_LEDGER_SQL_ACCOUNT_NAME);
      break;
    case CU_GROUP_TAG:      group_sql = g_strdup ("r.tag_value"); break;
    default:
      g_return_val_if_reached (NULL);
    }

  if ((q->group_by == CU_GROUP_TAG && filter_sql == NULL &&
       (!tag_filter || g_str_equal (q->filter_key + 4, q->tag_key))) ||
      (tag_filter && q->group_by == CU_GROUP_NONE))
    {
      /* rollup_tag_daily holds day × account × tag key/value. The untagged
       * remainder is the total minus the tagged part. */
      const char *key_param = tag_filter ? ":fkey" : ":gkey";
      g_autofree char *tagged_where =
        g_strdup_printf ("r.tag_key = %s AND r.usage_day BETWEEN :from AND :to%s",
                         key_param, tag_filter ? " AND r.tag_value = :fvalue" : "");
      g_autofree char *sql =
        g_strdup_printf ("SELECT %s, %s, r.currency, r.billed, r.effective"
                         " FROM rollup_tag_daily r WHERE %s",
                         day_expr, group_sql, tagged_where);

      if (!run_sum (ledger, sql, q, from, to, cells, out, +1, NULL, error))
        return NULL;

      if (q->group_by == CU_GROUP_TAG && !tag_filter)
        {
          g_autofree char *total_sql =
            g_strdup_printf ("SELECT %s, '', r.currency, r.billed, r.effective"
                             " FROM rollup_daily r WHERE r.usage_day BETWEEN :from AND :to", day_expr);
          g_autofree char *tagged_sql =
            g_strdup_printf ("SELECT %s, '', r.currency, r.billed, r.effective"
                             " FROM rollup_tag_daily r WHERE %s", day_expr, tagged_where);

          if (!run_sum (ledger, total_sql, q, from, to, cells, out, +1, UNTAGGED, error) ||
              !run_sum (ledger, tagged_sql, q, from, to, cells, out, -1, UNTAGGED, error))
            return NULL;
        }
    }
  else if (q->group_by == CU_GROUP_TAG || tag_filter)
    {
      if (!query_fine (ledger, q, from, to, tag_filter, cells, out, error))
        return NULL;
    }
  else
    {
      g_autofree char *sql = NULL;

      /* no GROUP BY: SQLite would sort every row; run_sum() adds them up */
      if (q->group_by == CU_GROUP_ACCOUNT)
        sql = g_strdup_printf ("SELECT %s, COALESCE(n.name, r.sub_account), r.currency, r.billed, r.effective"
                               " FROM rollup_daily r LEFT JOIN sub_accounts n ON n.provider = r.provider"
                               " AND n.sub_account_id = r.sub_account"
                               " WHERE r.usage_day BETWEEN :from AND :to%s", day_expr, filter_sql ? filter_sql : "");
      else
        sql = g_strdup_printf ("SELECT %s, %s, r.currency, r.billed, r.effective"
                               " FROM rollup_daily r WHERE r.usage_day BETWEEN :from AND :to%s",
                               day_expr, group_sql, filter_sql ? filter_sql : "");

      if (!run_sum (ledger, sql, q, from, to, cells, out, +1, NULL, error))
        return NULL;
    }

  /* an untagged remainder of exactly zero is not a group */
  for (guint i = out->len; i > 0; i--)
    {
      CuCostCell *c = g_ptr_array_index (out, i - 1);
      if (g_str_equal (c->group, UNTAGGED) && c->billed == 0 && c->effective == 0)
        g_ptr_array_remove_index (out, i - 1);
    }

  g_ptr_array_sort (out, compare_cells);
  return g_steal_pointer (&out);
}
