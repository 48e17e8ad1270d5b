/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-inventory.c — the resource inventory and its utilisation metrics
 *
 * A writer wraps one inventory pass in one IMMEDIATE transaction so that
 * readers never see half an inventory; resources are upserted on
 * (account_id, resource_id), which keeps their row id — and so their
 * metric history — stable across passes.
 */
#define G_LOG_DOMAIN "cumulus-demo"

#include "store/cu-inventory.h"
#include "store/cu-ledger-private.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>

struct _CuInventoryWriter
{
  /* borrowed */
  CuLedger     *ledger;
  sqlite3      *db;

  /* owned */
  sqlite3_stmt *put;
  sqlite3_stmt *put_metric;
};

static const char put_sql[] =
  "INSERT INTO resources (account_id, provider, sub_account, resource_type, resource_id,"
  " name, region, service, state, size, attributes, tags, monthly_cost, currency,"
  " created_day, last_seen_day)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
  " ON CONFLICT (account_id, resource_id) DO UPDATE SET"
  "  provider = excluded.provider, sub_account = excluded.sub_account,"
  "  resource_type = excluded.resource_type, name = excluded.name,"
  "  region = excluded.region, service = excluded.service, state = excluded.state,"
  "  size = excluded.size, attributes = excluded.attributes, tags = excluded.tags,"
  "  monthly_cost = excluded.monthly_cost, currency = excluded.currency,"
  "  created_day = COALESCE(excluded.created_day, created_day),"
  "  last_seen_day = excluded.last_seen_day"
  " RETURNING id";

static const char put_metric_sql[] =
  "INSERT OR REPLACE INTO resource_metrics (resource, metric, usage_day, value, maximum)"
  " VALUES (?1, ?2, ?3, ?4, ?5)";

static const char select_sql[] =
  "SELECT id, account_id, provider, sub_account, resource_type, resource_id, name, region,"
  " service, state, size, attributes, tags, monthly_cost, currency, created_day, last_seen_day"
  " FROM resources";

static void
bind_text (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

static void
bind_day (sqlite3_stmt *stmt, int i, CuDay day)
{
  if (day != CU_DAY_INVALID)
    sqlite3_bind_int (stmt, i, day);
  else
    sqlite3_bind_null (stmt, i);
}

static char *
column_strdup (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

static CuDay
column_day (sqlite3_stmt *stmt, int i)
{
  return sqlite3_column_type (stmt, i) == SQLITE_NULL ? CU_DAY_INVALID : sqlite3_column_int (stmt, i);
}

static CuResource *
resource_from_row (sqlite3_stmt *stmt)
{
  CuResource *r = g_new0 (CuResource, 1);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->account_id = sqlite3_column_int64 (stmt, 1);
  r->provider = column_strdup (stmt, 2);
  r->sub_account = column_strdup (stmt, 3);
  r->resource_type = column_strdup (stmt, 4);
  r->resource_id = column_strdup (stmt, 5);
  r->name = column_strdup (stmt, 6);
  r->region = column_strdup (stmt, 7);
  r->service = column_strdup (stmt, 8);
  r->state = column_strdup (stmt, 9);
  r->size = column_strdup (stmt, 10);
  r->attributes = column_strdup (stmt, 11);
  r->tags = column_strdup (stmt, 12);
  r->monthly_cost = sqlite3_column_int64 (stmt, 13);
  r->currency = column_strdup (stmt, 14);
  r->created_day = column_day (stmt, 15);
  r->last_seen_day = column_day (stmt, 16);
  return r;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
cu_resource_free (CuResource *r)
{
  if (r == NULL)
    return;
  g_free (r->provider);
  g_free (r->sub_account);
  g_free (r->resource_type);
  g_free (r->resource_id);
  g_free (r->name);
  g_free (r->region);
  g_free (r->service);
  g_free (r->state);
  g_free (r->size);
  g_free (r->attributes);
  g_free (r->tags);
  g_free (r->currency);
  g_free (r);
}

/* ------------------------------------------------------------------ writing */

/**
 * cu_inventory_writer_begin:
 *
 * Starts an inventory pass on @ledger's connection, which must not be in a
 * transaction already.
 *
 * Returns: (transfer full): a writer; finish it with commit or abort
 */
CuInventoryWriter *
cu_inventory_writer_begin (CuLedger  *ledger,
                           GError   **error)
{
  CuInventoryWriter *w;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  if (!cu_ledger_exec (ledger, "BEGIN IMMEDIATE", error))
    return NULL;

  w = g_new0 (CuInventoryWriter, 1);
  w->ledger = ledger;
  w->db = cu_ledger_get_db (ledger);
  if (sqlite3_prepare_v2 (w->db, put_sql, -1, &w->put, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (w->db, put_metric_sql, -1, &w->put_metric, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot write the inventory");
      cu_inventory_writer_abort (w);
      return NULL;
    }
  return w;
}

/**
 * cu_inventory_writer_put:
 * @resource: the resource; its id field is ignored
 *
 * Inserts @resource or updates the stored one with the same account and
 * resource_id.
 *
 * Returns: the resource's row id, or 0 with @error set
 */
gint64
cu_inventory_writer_put (CuInventoryWriter  *w,
                         const CuResource   *r,
                         GError            **error)
{
  sqlite3_stmt *s;
  gint64 id = 0;

  g_return_val_if_fail (w != NULL, 0);
  g_return_val_if_fail (r != NULL, 0);

  if (r->provider == NULL || r->resource_type == NULL || r->resource_id == NULL)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "A resource needs a provider, a type and an id");
      return 0;
    }

  s = w->put;
  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  sqlite3_bind_int64 (s, 1, r->account_id);
  bind_text (s, 2, r->provider);
  bind_text (s, 3, r->sub_account);
  bind_text (s, 4, r->resource_type);
  bind_text (s, 5, r->resource_id);
  bind_text (s, 6, r->name);
  bind_text (s, 7, r->region);
  bind_text (s, 8, r->service);
  bind_text (s, 9, r->state);
  bind_text (s, 10, r->size);
  bind_text (s, 11, r->attributes);
  bind_text (s, 12, r->tags);
  sqlite3_bind_int64 (s, 13, r->monthly_cost);
  bind_text (s, 14, r->currency ? r->currency : "USD");
  bind_day (s, 15, r->created_day);
  bind_day (s, 16, r->last_seen_day);

  if (sqlite3_step (s) == SQLITE_ROW)
    id = sqlite3_column_int64 (s, 0);
  if (id == 0 || sqlite3_step (s) != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot write a resource");
      sqlite3_reset (s);
      return 0;
    }
  sqlite3_reset (s);
  return id;
}

/**
 * cu_inventory_writer_put_metric:
 * @resource: a row id from cu_inventory_writer_put()
 * @has_maximum: whether @maximum is known
 *
 * Stores one day of one metric, replacing what was stored for that day.
 */
gboolean
cu_inventory_writer_put_metric (CuInventoryWriter  *w,
                                gint64              resource,
                                const char         *metric,
                                CuDay               day,
                                double              value,
                                gboolean            has_maximum,
                                double              maximum,
                                GError            **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (metric != NULL, FALSE);

  if (!isfinite (value) || (has_maximum && !isfinite (maximum)))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "Metric %s has a value that is not a number", metric);
      return FALSE;
    }

  s = w->put_metric;
  sqlite3_reset (s);
  sqlite3_bind_int64 (s, 1, resource);
  sqlite3_bind_text (s, 2, metric, -1, SQLITE_STATIC);
  sqlite3_bind_int (s, 3, day);
  sqlite3_bind_double (s, 4, value);
  if (has_maximum)
    sqlite3_bind_double (s, 5, maximum);
  else
    sqlite3_bind_null (s, 5);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot write a resource metric");
      sqlite3_reset (s);
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_inventory_writer_forget_unseen:
 * @seen_day: the day of this pass
 *
 * Deletes @account_id's resources (and their metrics) that this pass did
 * not put, i.e. whose last_seen_day is before @seen_day: they are gone
 * from the cloud.
 */
gboolean
cu_inventory_writer_forget_unseen (CuInventoryWriter  *w,
                                   gint64              account_id,
                                   CuDay               seen_day,
                                   GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (w != NULL, FALSE);

  if (sqlite3_prepare_v2 (w->db,
                          "DELETE FROM resources WHERE account_id = ?"
                          " AND (last_seen_day IS NULL OR last_seen_day < ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot prune the inventory");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, seen_day);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot prune the inventory");
      return FALSE;
    }
  return TRUE;
}

static void
writer_free (CuInventoryWriter *w)
{
  sqlite3_finalize (w->put);
  sqlite3_finalize (w->put_metric);
  g_free (w);
}

/**
 * cu_inventory_writer_commit:
 *
 * Commits the pass. Frees @w either way; on failure nothing is written.
 */
gboolean
cu_inventory_writer_commit (CuInventoryWriter  *w,
                            GError            **error)
{
  g_return_val_if_fail (w != NULL, FALSE);

  /* Statements are finalized first so COMMIT never waits on them. */
  sqlite3_finalize (w->put);
  sqlite3_finalize (w->put_metric);
  w->put = w->put_metric = NULL;

  if (!cu_ledger_exec (w->ledger, "COMMIT", error))
    {
      cu_inventory_writer_abort (w);
      return FALSE;
    }
  writer_free (w);
  return TRUE;
}

/**
 * cu_inventory_writer_abort:
 *
 * Rolls the pass back and frees @w.
 */
void
cu_inventory_writer_abort (CuInventoryWriter *w)
{
  g_return_if_fail (w != NULL);

  sqlite3_finalize (w->put);
  sqlite3_finalize (w->put_metric);
  w->put = w->put_metric = NULL;
  if (!sqlite3_get_autocommit (w->db))
    sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
  writer_free (w);
}

/* ------------------------------------------------------------------ reading */

/**
 * cu_inventory_list:
 * @account_id: an account, or 0 for all
 * @resource_type: (nullable): a type such as "instance", or %NULL for all
 *
 * Returns: (transfer full) (element-type CuResource): the resources ordered
 *   by account, type and resource id, or %NULL with @error set
 */
GPtrArray *
cu_inventory_list (CuLedger    *ledger,
                   gint64       account_id,
                   const char  *resource_type,
                   GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_resource_free);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);

  db = cu_ledger_get_db (ledger);
  sql = g_strconcat (select_sql,
                     " WHERE (?1 = 0 OR account_id = ?1) AND (?2 IS NULL OR resource_type = ?2)"
                     " ORDER BY account_id, resource_type, resource_id", NULL);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the inventory");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, account_id);
  bind_text (stmt, 2, resource_type);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, resource_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the inventory");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * cu_inventory_get:
 *
 * Returns: (transfer full): the resource, or %NULL with @error set
 *   (%CU_LEDGER_ERROR_NOT_FOUND when there is none)
 */
CuResource *
cu_inventory_get (CuLedger    *ledger,
                  gint64       account_id,
                  const char  *resource_id,
                  GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  CuResource *r = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (resource_id != NULL, NULL);

  sql = g_strconcat (select_sql, " WHERE account_id = ? AND resource_id = ?", NULL);
  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read the inventory");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, resource_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    r = resource_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND,
                 "No resource %s in this account", resource_id);
  else
    cu_ledger_set_sql_error (ledger, error, "Cannot read the inventory");
  sqlite3_finalize (stmt);
  return r;
}

/**
 * cu_inventory_get_metric:
 * @resource: a resource row id
 * @first_day: first day, inclusive
 * @last_day: last day, inclusive
 *
 * Returns: (transfer full) (element-type CuMetricPoint): the stored days in
 *   order (possibly none), or %NULL with @error set
 */
GArray *
cu_inventory_get_metric (CuLedger    *ledger,
                         gint64       resource,
                         const char  *metric,
                         CuDay        first_day,
                         CuDay        last_day,
                         GError     **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (CuMetricPoint));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (metric != NULL, NULL);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "SELECT usage_day, value, maximum FROM resource_metrics"
                          " WHERE resource = ? AND metric = ? AND usage_day BETWEEN ? AND ?"
                          " ORDER BY usage_day", -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read resource metrics");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, resource);
  sqlite3_bind_text (stmt, 2, metric, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, first_day);
  sqlite3_bind_int (stmt, 4, last_day);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuMetricPoint p;

      p.day = sqlite3_column_int (stmt, 0);
      p.value = sqlite3_column_double (stmt, 1);
      p.has_maximum = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
      p.maximum = p.has_maximum ? sqlite3_column_double (stmt, 2) : 0.0;
      g_array_append_val (points, p);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot read resource metrics");
      return NULL;
    }
  return g_steal_pointer (&points);
}

/**
 * cu_inventory_get_metric_stats:
 * @out: (out caller-allocates): mean, p95 and max over the stored days
 *
 * Returns: %TRUE with @out filled; %FALSE without @error when no day is
 *   stored in the range; %FALSE with @error on failure
 */
gboolean
cu_inventory_get_metric_stats (CuLedger       *ledger,
                               gint64          resource,
                               const char     *metric,
                               CuDay           first_day,
                               CuDay           last_day,
                               CuMetricStats  *out,
                               GError        **error)
{
  g_autoptr(GArray) points = NULL;
  g_autofree double *values = NULL;
  double sum = 0.0, max = -INFINITY;
  guint rank;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  points = cu_inventory_get_metric (ledger, resource, metric, first_day, last_day, error);
  if (points == NULL)
    return FALSE;
  if (points->len == 0)
    return FALSE;

  values = g_new (double, points->len);
  for (guint i = 0; i < points->len; i++)
    {
      const CuMetricPoint *p = &g_array_index (points, CuMetricPoint, i);

      values[i] = p->value;
      sum += p->value;
      max = MAX (max, p->has_maximum ? p->maximum : p->value);
    }
  qsort (values, points->len, sizeof (double), compare_doubles);
  /* nearest rank: the smallest value with at least 95 % of days at or below it */
  rank = (guint) ceil (0.95 * points->len);
  out->n_days = points->len;
  out->mean = sum / points->len;
  out->p95 = values[MAX (rank, 1) - 1];
  out->max = max;
  return TRUE;
}
