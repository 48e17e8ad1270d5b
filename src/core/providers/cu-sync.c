/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-sync.c — the sync job, the same for every provider (cu-provider.h) */
#define G_LOG_DOMAIN "cumulus-sync"

#include "store/cu-ledger-private.h"
#include "providers/cu-sync.h"
#include "providers/cu-accounts.h"
#include "providers/cu-http.h"
#include "providers/cu-provider.h"
#include "providers/cu-json-read.h"

#include <string.h>

void
cu_sync_result_free (CuSyncResult *r)
{
  if (r == NULL)
    return;
  g_free (r->account);
  g_free (r->kind);
  g_clear_error (&r->error);
  g_free (r);
}

/* ------------------------------------------------------------------ state */

static char *
meta_get (CuLedger *ledger, const char *key)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "SELECT value FROM workspace_meta WHERE key = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
meta_set (CuLedger *ledger, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "INSERT OR REPLACE INTO workspace_meta (key, value) VALUES (?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot save the sync state");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot save the sync state");
      return FALSE;
    }
  return TRUE;
}

/* @cost_tags: (out): the tag keys the rows were built with; empty when the
 * state predates tags or has none */
static void
state_read (CuLedger *ledger, const char *account, CuDay *synced_through, CuDay *estimated_from,
            char ***cost_tags)
{
  g_autofree char *key = g_strdup_printf ("sync:%s", account);
  g_autofree char *value = meta_get (ledger, key);
  g_autoptr(JsonNode) root = value ? json_from_string (value, NULL) : NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  JsonObject *o;
  JsonNode *member;
  const char *s;

  *synced_through = CU_DAY_INVALID;
  *estimated_from = CU_DAY_INVALID;
  *cost_tags = g_new0 (char *, 1);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  o = json_node_get_object (root);
  member = json_object_get_member (o, "cost_tags");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *arr = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          const char *t = json_node_get_string (json_array_get_element (arr, i));
          g_ptr_array_add (tags, g_strdup (t ? t : ""));
        }
      g_ptr_array_add (tags, NULL);
      g_strfreev (*cost_tags);
      *cost_tags = (char **) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
    }
  s = json_object_get_string_member_with_default (o, "synced_through", NULL);
  if (s == NULL || !cu_day_parse (s, synced_through))
    *synced_through = CU_DAY_INVALID;
  s = json_object_get_string_member_with_default (o, "estimated_from", NULL);
  if (s == NULL || !cu_day_parse (s, estimated_from))
    *estimated_from = CU_DAY_INVALID;
}

static gboolean
state_write (CuLedger *ledger, const char *account, CuDay synced_through, CuDay estimated_from,
             const char * const *cost_tags, GError **error)
{
  g_autofree char *key = g_strdup_printf ("sync:%s", account);
  g_autofree char *value = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char day[11];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "synced_through");
  cu_day_format (synced_through, day);
  json_builder_add_string_value (b, day);
  json_builder_set_member_name (b, "estimated_from");
  if (estimated_from != CU_DAY_INVALID)
    {
      cu_day_format (estimated_from, day);
      json_builder_add_string_value (b, day);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "last_sync");
  json_builder_add_string_value (b, stamp);
  if (cost_tags != NULL && cost_tags[0] != NULL)
    {
      json_builder_set_member_name (b, "cost_tags");
      json_builder_begin_array (b);
      for (guint i = 0; cost_tags[i]; i++)
        json_builder_add_string_value (b, cost_tags[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  value = json_to_string (root, FALSE);
  return meta_set (ledger, key, value, error);
}

/**
 * cu_sync_plan_range:
 * @provider: a provider id ("aws", "azure")
 * @synced_through: last day of the previous sync, or CU_DAY_INVALID
 * @estimated_from: first day still flagged Estimated, or CU_DAY_INVALID
 *
 * Decides which days to fetch; see cu-sync.h. The provider then splits
 * them into the ranges its API takes (CuProvider.plan_ranges).
 */
void
cu_sync_plan_range (const char *provider,
                    CuDay       today,
                    CuDay       synced_through,
                    CuDay       estimated_from,
                    CuDay      *first,
                    CuDay      *last)
{
  const CuProvider *p = cu_provider_lookup (provider);
  CuDay window = cu_day_add_months (cu_day_month_start (today), -12);
  int y, m, d;

  *last = today - 1;
  if (synced_through == CU_DAY_INVALID)
    {
      *first = window;
      return;
    }
  *first = synced_through - (p ? (CuDay) p->late_days : 2);
  if (estimated_from != CU_DAY_INVALID)
    *first = MIN (*first, estimated_from);
  cu_day_to_ymd (today, &y, &m, &d);
  if (d <= 5)
    *first = MIN (*first, cu_day_add_months (cu_day_month_start (today), -1));
  *first = MAX (*first, window);
  if (*first > *last)
    *first = *last;
}

/* ------------------------------------------------------------- the job */

typedef struct {
  CuLedgerWriter *writer;
  const char     *cost_api;
  gint64          gross_billed;     /* Σ|BilledCost| of the rows so far */
  gint64          gross_effective;
} WriteCtx;

static gboolean
add_magnitude (gint64 *gross, gint64 v)
{
  return v != G_MININT64 && !__builtin_add_overflow (*gross, v < 0 ? -v : v, gross);
}

/* Every sum of this sync's rows (any total, any grouping) is bounded by
 * their gross amount, so refusing a sync whose gross amount does not fit
 * in 64 bits keeps every total the ledger computes from them exact. */
static gboolean
write_row_cb (const CuCostRow *row, gpointer data, GError **error)
{
  WriteCtx *ctx = data;

  if (!add_magnitude (&ctx->gross_billed, row->billed_cost) ||
      !add_magnitude (&ctx->gross_effective, row->effective_cost))
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                   "%s sent an unexpected answer: its amounts add up beyond what the ledger can hold",
                   ctx->cost_api);
      return FALSE;
    }
  return cu_ledger_writer_add (ctx->writer, row, error);
}

static void
progress (CuSyncProgressFunc func, gpointer data, const char *account, double f, const char *msg)
{
  if (func)
    func (account, f, msg, data);
}

/* Ends @w as the sync ended: "cancelled" when the user stopped it, else
 * "failed" with the reason. */
static void
end_writer (CuLedgerWriter *w, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cu_ledger_writer_cancel (w);
  else
    cu_ledger_writer_abort (w, error->message);
}

/* A sync that stopped before writing still leaves a batch saying how it
 * ended and how many (billed) requests it made. */
static void
record_failure (CuLedger *ledger, gint64 account_id, const char *source, CuDay first, CuDay last,
                guint n_requests, const GError *error)
{
  CuLedgerWriter *w = cu_ledger_writer_begin (ledger, account_id, "sync", source, first, last, NULL);

  if (w == NULL)
    return;
  cu_ledger_writer_set_requests (w, n_requests);
  end_writer (w, error);
}

/* The account's provider, or an error naming what the account holds. */
static const CuProvider *
provider_for (CuAccount *account, GError **error)
{
  const CuProvider *p = cu_provider_lookup (account->provider);

  if (p == NULL)
    g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                 "“%s” is not a cloud account (it holds %s data)", account->name, account->provider);
  return p;
}

static CuSyncResult *
sync_run (const char         *workspace_dir,
          const char         *account_name,
          CuSyncProgressFunc  progress_func,
          gpointer            user_data,
          GCancellable       *cancellable)
{
  CuSyncResult *r = g_new0 (CuSyncResult, 1);
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(CuAccount) account = NULL;
  g_autoptr(CuHttp) http = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_auto(GStrv) cost_tags = NULL;
  g_auto(GStrv) synced_tags = NULL;
  gint64 started = g_get_monotonic_time ();
  CuDay synced_through, estimated_from, first, last;
  const CuProvider *provider = NULL;
  CuProviderContext ctx = { 0 };
  gpointer session = NULL;
  CuLedgerWriter *writer;
  WriteCtx wctx;
  GError *error = NULL;
  g_autofree char *message = NULL;

  r->account = g_strdup (account_name);
  ctx.first_estimated = CU_DAY_INVALID;

  ledger = cu_ledger_open (workspace_dir, &error);
  if (ledger == NULL)
    goto out;
  account = cu_ledger_get_account (ledger, account_name, &error);
  if (account == NULL)
    goto out;
  r->kind = g_strdup (account->kind);
  provider = provider_for (account, &error);
  if (provider == NULL)
    goto out;

  cost_tags = provider->uses_cost_tags ? cu_accounts_get_cost_tags (account) : g_new0 (char *, 1);
  state_read (ledger, account_name, &synced_through, &estimated_from, &synced_tags);
  /* other tag keys than last time: every row in the window is rebuilt, so
   * none keeps the tags of the old selection */
  if (!g_strv_equal ((const char * const *) cost_tags, (const char * const *) synced_tags))
    {
      synced_through = CU_DAY_INVALID;
      estimated_from = CU_DAY_INVALID;
    }
  cu_sync_plan_range (provider->id, cu_day_today (), synced_through, estimated_from, &first, &last);
  r->incremental = synced_through != CU_DAY_INVALID;
  cu_day_format (first, r->first_day);
  cu_day_format (last, r->last_day);
  r->n_days = last - first + 1;
  r->n_cost_tags = g_strv_length (cost_tags);

  http = cu_http_new ();
  ctx.ledger = ledger;
  ctx.account = account;
  ctx.http = http;
  ctx.cost_tags = (const char * const *) cost_tags;

  progress (progress_func, user_data, account_name, 0.05, "Signing in");
  session = provider->connect (&ctx, cancellable, &error);
  if (session == NULL)
    goto fail;

  message = g_strdup_printf ("Fetching costs from %s", provider->cost_api);
  ranges = provider->plan_ranges (first, last);
  for (guint i = 0; i < ranges->len; i++)
    {
      progress (progress_func, user_data, account_name, 0.1 + 0.8 * i / ranges->len, message);
      if (!provider->fetch_costs (session, &ctx, &g_array_index (ranges, CuDayRange, i), cancellable, &error))
        goto fail;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto fail;

  progress (progress_func, user_data, account_name, 0.9, "Saving");
  writer = cu_ledger_writer_begin (ledger, account->id, "sync", provider->cost_source, first, last, &error);
  if (writer == NULL)
    goto fail;
  wctx.writer = writer;
  wctx.cost_api = provider->cost_api;
  wctx.gross_billed = wctx.gross_effective = 0;
  if (!provider->emit_rows (session, &ctx, write_row_cb, &wctx, &r->n_rows, &error))
    goto fail_writer;
  /* the state goes in the same transaction as the rows */
  if (!state_write (ledger, account_name, last, ctx.first_estimated, (const char * const *) cost_tags, &error))
    goto fail_writer;
  cu_ledger_writer_set_requests (writer, ctx.n_billable_requests);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto fail_writer;
  if (!cu_ledger_writer_commit (writer, &error))
    goto out;
  r->ok = TRUE;
  progress (progress_func, user_data, account_name, 1.0, "Done");
  goto out;

fail_writer:
  cu_ledger_writer_set_requests (writer, ctx.n_billable_requests);
  end_writer (writer, error);
  goto out;

fail:
  record_failure (ledger, account->id, provider->cost_source, first, last, ctx.n_billable_requests, error);

out:
  if (session != NULL)
    provider->disconnect (session, &ctx);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "The sync was cancelled; the ledger was left as it was");
    }
  r->error = error;
  r->n_billable_requests = ctx.n_billable_requests;
  r->n_tag_requests = ctx.n_tag_requests;
  r->n_assume_role = ctx.n_assume_role;
  if (provider != NULL)
    r->request_cost_micros = (gint64) r->n_billable_requests * provider->micros_per_request;
  if (http)
    r->n_requests = cu_http_get_n_sent (http);
  r->seconds = (g_get_monotonic_time () - started) / 1e6;
  return r;
}

/* The GLib convention on top of the result every caller reports. */
static gboolean
finish_result (CuSyncResult *r, CuSyncResult **out_result, GError **error)
{
  gboolean ok = r->ok;

  if (!ok && error != NULL)
    *error = g_error_copy (r->error);
  if (out_result)
    *out_result = r;
  else
    cu_sync_result_free (r);
  return ok;
}

/**
 * cu_sync_account:
 * @progress: (nullable): called from this thread
 * @out_result: (out) (optional) (transfer full): what the sync did, set
 *   also when it failed (requests made, the range, ->error a copy of @error)
 *
 * Syncs one account in the calling thread.
 *
 * Returns: %TRUE when the costs were written; else %FALSE with @error
 */
gboolean
cu_sync_account (const char         *workspace_dir,
                 const char         *account_name,
                 CuSyncProgressFunc  progress_func,
                 gpointer            user_data,
                 CuSyncResult      **out_result,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_return_val_if_fail (workspace_dir != NULL, FALSE);
  g_return_val_if_fail (account_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return finish_result (sync_run (workspace_dir, account_name, progress_func, user_data, cancellable),
                        out_result, error);
}

typedef struct {
  char *workspace;
  char *account;
} AsyncData;

static void
async_data_free (gpointer p)
{
  AsyncData *d = p;
  g_free (d->workspace);
  g_free (d->account);
  g_free (d);
}

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AsyncData *d = task_data;

  g_task_return_pointer (task, sync_run (d->workspace, d->account, NULL, NULL, cancellable),
                         (GDestroyNotify) cu_sync_result_free);
}

/**
 * cu_sync_account_async:
 *
 * Runs cu_sync_account() in a worker thread; the inputs are copied first.
 */
void
cu_sync_account_async (const char          *workspace_dir,
                       const char          *account,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *d = g_new0 (AsyncData, 1);

  d->workspace = g_strdup (workspace_dir);
  d->account = g_strdup (account);
  g_task_set_source_tag (task, cu_sync_account_async);
  g_task_set_task_data (task, d, async_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, sync_thread);
}

/**
 * cu_sync_account_finish:
 * @out_result: (out) (optional) (transfer full): as for cu_sync_account()
 *
 * Returns: %TRUE when the costs were written; else %FALSE with @error
 */
gboolean
cu_sync_account_finish (GAsyncResult  *result,
                        CuSyncResult **out_result,
                        GError       **error)
{
  CuSyncResult *r;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return FALSE;
  return finish_result (r, out_result, error);
}

/**
 * cu_sync_test_account:
 *
 * "Test connection": the provider signs in and makes its cheapest check
 * (AWS: STS GetCallerIdentity after AssumeRole for a role, free; Azure: a
 * token plus a one-day query).
 *
 * Returns: (transfer full): who the credentials belong to, or %NULL with a
 *   plain-language @error
 */
char *
cu_sync_test_account (const char    *workspace_dir,
                      const char    *account_name,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (workspace_dir, error);
  g_autoptr(CuAccount) account = NULL;
  g_autoptr(CuHttp) http = NULL;
  g_auto(GStrv) no_tags = g_new0 (char *, 1);
  const CuProvider *provider;
  CuProviderContext ctx = { 0 };
  gpointer session;
  char *who;

  if (ledger == NULL)
    return NULL;
  account = cu_ledger_get_account (ledger, account_name, error);
  if (account == NULL)
    return NULL;
  provider = cu_provider_lookup (account->provider);
  if (provider == NULL)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "“%s” is not a cloud account", account_name);
      return NULL;
    }
  http = cu_http_new ();
  ctx.ledger = ledger;
  ctx.account = account;
  ctx.http = http;
  ctx.cost_tags = (const char * const *) no_tags;
  ctx.first_estimated = CU_DAY_INVALID;
  session = provider->connect (&ctx, cancellable, error);
  if (session == NULL)
    return NULL;
  who = provider->test (session, &ctx, cancellable, error);
  provider->disconnect (session, &ctx);
  return who;
}
