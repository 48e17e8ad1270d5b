/* cu-cost-query.c — cost totals from the daily rollups
 *
 * Queries never scan cost_rows: they read rollup_daily (and, for tags,
 * rollup_tag_daily), sum by day × group in SQL and fold days into weeks or
 * months here, which keeps period logic in one place.
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

typedef struct {
  CuDay   start;
  char   *group;
  char   *currency;
} CellKey;

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

/* Adds (billed, effective) × sign into the cell for (period, group, currency). */
static void
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
  g_autofree char *key = g_strdup_printf ("%d\x1f%s\x1f%s", start, group, currency);
  CuCostCell *cell = g_hash_table_lookup (cells, key);

  if (cell == NULL)
    {
      cell = g_new0 (CuCostCell, 1);
      cell->period_start = start;
      cell->period = period_label (q->granularity, start, from, to);
      cell->group = g_strdup (group);
      cell->currency = g_strdup (currency);
      g_hash_table_insert (cells, g_steal_pointer (&key), cell);
      g_ptr_array_add (out, cell);
    }
  cell->billed += sign * billed;
  cell->effective += sign * effective;
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
      accumulate (cells, out, q, from, to,
                  sqlite3_column_int (stmt, 0),
                  group ? group : "",
                  (const char *) sqlite3_column_text (stmt, 2),
                  sqlite3_column_int64 (stmt, 3),
                  sqlite3_column_int64 (stmt, 4),
                  sign);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot query costs");
      return FALSE;
    }
  return TRUE;
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
  g_autoptr(GHashTable) cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
        g_strdup_printf ("SELECT %s, %s, r.currency, SUM(r.billed), SUM(r.effective)"
                         " FROM rollup_tag_daily r WHERE %s GROUP BY 1, 2, 3",
                         day_expr, group_sql, tagged_where);

      if (!run_sum (ledger, sql, q, from, to, cells, out, +1, NULL, error))
        return NULL;

      if (q->group_by == CU_GROUP_TAG && !tag_filter)
        {
          g_autofree char *total_sql =
            g_strdup_printf ("SELECT %s, '', r.currency, SUM(r.billed), SUM(r.effective)"
                             " FROM rollup_daily r WHERE r.usage_day BETWEEN :from AND :to"
                             " GROUP BY 1, 3", day_expr);
          g_autofree char *tagged_sql =
            g_strdup_printf ("SELECT %s, '', r.currency, SUM(r.billed), SUM(r.effective)"
                             " FROM rollup_tag_daily r WHERE %s GROUP BY 1, 3", day_expr, tagged_where);

          if (!run_sum (ledger, total_sql, q, from, to, cells, out, +1, UNTAGGED, error) ||
              !run_sum (ledger, tagged_sql, q, from, to, cells, out, -1, UNTAGGED, error))
            return NULL;
        }
    }
  else if (q->group_by == CU_GROUP_TAG || tag_filter)
    {
      /* A tag together with another dimension is not rolled up: read the
       * cost rows themselves (slower, but exact). */
      const char *group_expr;
      g_autofree char *where = NULL;
      g_autofree char *sql = NULL;

      switch (q->group_by)
        {
        case CU_GROUP_NONE:     group_expr = "''"; break;
        case CU_GROUP_PROVIDER: group_expr = "COALESCE(r.ProviderName, (SELECT a.provider FROM accounts a WHERE a.id = r.account_id))"; break;
        case CU_GROUP_ACCOUNT:  group_expr = "COALESCE(r.SubAccountName, r.SubAccountId, '')"; break;
        case CU_GROUP_SERVICE:  group_expr = "COALESCE(r.ServiceName, '')"; break;
        case CU_GROUP_REGION:   group_expr = "COALESCE(r.RegionId, '')"; break;
        case CU_GROUP_TAG:
        default:                group_expr = "COALESCE(json_extract(r.Tags, '$.\"' || :gkey || '\"'), '" UNTAGGED "')"; break;
        }
      if (tag_filter)
        where = g_strdup ("json_extract(r.Tags, '$.\"' || :fkey || '\"') = :fvalue");
      else
        {
          const char *col = NULL;
          if (g_str_equal (q->filter_key, "provider"))
            col = "COALESCE(r.ProviderName, (SELECT a.provider FROM accounts a WHERE a.id = r.account_id))";
          else if (g_str_equal (q->filter_key, "account"))
            col = "(CASE WHEN r.SubAccountName = :fvalue THEN :fvalue ELSE COALESCE(r.SubAccountId, '') END)";
          else if (g_str_equal (q->filter_key, "service"))
            col = "COALESCE(r.ServiceName, '')";
          else
            col = "COALESCE(r.RegionId, '')";
          where = g_strdup_printf ("%s = :fvalue", col);
        }
      sql = g_strdup_printf ("SELECT %s, %s, r.BillingCurrency, SUM(r.BilledCost), SUM(r.EffectiveCost)"
                             " FROM cost_rows r WHERE r.usage_day BETWEEN :from AND :to AND %s"
                             " GROUP BY 1, 2, 3",
                             q->granularity == CU_GRANULARITY_TOTAL ? ":from" : "r.usage_day",
                             group_expr, where);
      if (!run_sum (ledger, sql, q, from, to, cells, out, +1, NULL, error))
        return NULL;
    }
  else
    {
      g_autofree char *sql =
        g_strdup_printf ("SELECT %s, %s, r.currency, SUM(r.billed), SUM(r.effective)"
                         " FROM rollup_daily r WHERE r.usage_day BETWEEN :from AND :to%s"
                         " GROUP BY 1, 2, 3", day_expr, group_sql, filter_sql ? filter_sql : "");

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
