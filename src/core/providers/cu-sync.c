/* cu-sync.c — the sync job */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/cu-sync.h"
#include "providers/cu-accounts.h"
#include "providers/cu-http.h"
#include "providers/aws/cu-aws-client.h"
#include "providers/aws/cu-cost-explorer.h"
#include "providers/azure/cu-azure-client.h"
#include "secrets/cu-secrets.h"
#include "util/cu-money.h"

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
 * @provider: "aws" or "azure"
 * @synced_through: last day of the previous sync, or CU_DAY_INVALID
 * @estimated_from: first day still flagged Estimated, or CU_DAY_INVALID
 *
 * Decides which days to fetch; see cu-sync.h.
 */
void
cu_sync_plan_range (const char *provider,
                    CuDay       today,
                    CuDay       synced_through,
                    CuDay       estimated_from,
                    CuDay      *first,
                    CuDay      *last)
{
  CuDay window = cu_day_add_months (cu_day_month_start (today), -12);
  int y, m, d;

  *last = today - 1;
  if (synced_through == CU_DAY_INVALID)
    {
      *first = window;
      return;
    }
  *first = synced_through - (g_strcmp0 (provider, "azure") == 0 ? 3 : 2);
  if (estimated_from != CU_DAY_INVALID)
    *first = MIN (*first, estimated_from);
  cu_day_to_ymd (today, &y, &m, &d);
  if (d <= 5)
    *first = MIN (*first, cu_day_add_months (cu_day_month_start (today), -1));
  *first = MAX (*first, window);
  if (*first > *last)
    *first = *last;
}

/* ---------------------------------------------------------- credentials */

static CuAwsClient *
aws_client_for (CuLedger *ledger, CuAccount *account, CuHttp *http,
                GCancellable *cancellable, GError **error)
{
  g_autoptr(CuAccount) source = NULL;
  CuAccount *keys = account;
  g_autofree char *key_id = NULL;
  g_auto(CuSecretString) secret = NULL;
  g_auto(CuSecretString) token = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(CuAwsClient) client = NULL;

  if (g_strcmp0 (account->kind, "aws-role") == 0)
    {
      g_autofree char *source_name = cu_accounts_config_get (account, "source");

      source = source_name ? cu_ledger_get_account (ledger, source_name, NULL) : NULL;
      if (source == NULL || g_strcmp0 (source->kind, "aws-keys") != 0)
        {
          g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                       "The role account “%s” needs its source aws-keys account “%s”, which is missing",
                       account->name, source_name ? source_name : "");
          return NULL;
        }
      keys = source;
    }

  key_id = cu_accounts_config_get (keys, "access_key_id");
  if (key_id == NULL)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "The account “%s” has no access key id", keys->name);
      return NULL;
    }
  secret = cu_secrets_lookup_in (cu_ledger_get_workspace (ledger), keys->name, CU_SECRET_AWS_SECRET_ACCESS_KEY, cancellable, error);
  if (secret == NULL)
    return NULL;
  token = cu_secrets_lookup_in (cu_ledger_get_workspace (ledger), keys->name, CU_SECRET_AWS_SESSION_TOKEN, cancellable, &local);
  if (token == NULL && !g_error_matches (local, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  client = cu_aws_client_new (http, key_id, secret, token);
  if (!cu_aws_client_set_endpoint (client, NULL, error))
    return NULL;
  if (g_strcmp0 (account->kind, "aws-role") == 0)
    {
      g_autofree char *arn = cu_accounts_config_get (account, "role_arn");
      g_autofree char *ext = cu_accounts_config_get (account, "external_id");

      if (!cu_aws_client_assume_role (client, arn, ext, cancellable, error))
        return NULL;
    }
  return g_steal_pointer (&client);
}

static CuAzureClient *
azure_client_for (CuLedger *ledger, CuAccount *account, CuHttp *http,
                  GCancellable *cancellable, GError **error)
{
  g_autofree char *tenant = cu_accounts_config_get (account, "tenant");
  g_autofree char *client_id = cu_accounts_config_get (account, "client_id");
  g_auto(CuSecretString) secret = NULL;
  g_autoptr(CuAzureClient) client = NULL;

  if (tenant == NULL || client_id == NULL)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "The account “%s” lacks its tenant or client id", account->name);
      return NULL;
    }
  secret = cu_secrets_lookup_in (cu_ledger_get_workspace (ledger), account->name, CU_SECRET_AZURE_CLIENT_SECRET, cancellable, error);
  if (secret == NULL)
    return NULL;
  client = cu_azure_client_new (http, tenant, client_id, secret);
  if (!cu_azure_client_set_endpoints (client, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&client);
}

/* ------------------------------------------------------------ Azure rows */

typedef struct {
  gint64 billed;
  gint64 effective;
} AzAmt;

typedef struct {
  GHashTable *cells;          /* "day\x1fservice\x1flocation\x1fcurrency" → AzAmt */
  gboolean    amortized;
  CuDay       first, last;
} AzAccum;

static int
column (const char * const *columns, const char * const *names)
{
  for (guint n = 0; names[n]; n++)
    for (int i = 0; columns[i]; i++)
      if (g_ascii_strcasecmp (columns[i], names[n]) == 0)
        return i;
  return -1;
}

static gboolean
az_page_cb (const char * const *columns, JsonArray *rows, gpointer data, GError **error)
{
  static const char * const cost_names[] = { "Cost", "PreTaxCost", "CostUSD", "PreTaxCostUSD", NULL };
  static const char * const date_names[] = { "UsageDate", NULL };
  static const char * const service_names[] = { "ServiceName", NULL };
  static const char * const location_names[] = { "ResourceLocation", NULL };
  static const char * const currency_names[] = { "Currency", NULL };
  AzAccum *acc = data;
  int c_cost = column (columns, cost_names);
  int c_date = column (columns, date_names);
  int c_service = column (columns, service_names);
  int c_location = column (columns, location_names);
  int c_currency = column (columns, currency_names);

  if (json_array_get_length (rows) == 0)
    return TRUE;
  if (c_cost < 0 || c_date < 0)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                   "Azure Cost Management sent rows without a cost or date column");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonArray *row = json_array_get_array_element (rows, i);
      gint64 date;
      int y, m, d;
      CuDay day;
      const char *service = "", *location = "", *currency = "USD";
      g_autofree char *key = NULL;
      AzAmt *amt;
      gint64 micros;

      if (row == NULL || json_array_get_length (row) < (guint) MAX (c_cost, c_date) + 1)
        goto invalid;
      date = json_array_get_int_element (row, c_date);
      y = date / 10000; m = (date / 100) % 100; d = date % 100;
      if (y < 2000 || m < 1 || m > 12 || d < 1 || d > cu_days_in_month (y, m))
        goto invalid;
      day = cu_day_from_ymd (y, m, d);
      if (day < acc->first || day > acc->last)
        continue;
      if (c_service >= 0 && !json_node_is_null (json_array_get_element (row, c_service)))
        service = json_array_get_string_element (row, c_service);
      if (c_location >= 0 && !json_node_is_null (json_array_get_element (row, c_location)))
        location = json_array_get_string_element (row, c_location);
      if (c_currency >= 0 && !json_node_is_null (json_array_get_element (row, c_currency)))
        currency = json_array_get_string_element (row, c_currency);
      /* json-glib reads numbers as doubles; round each to the micro-unit */
      micros = cu_money_from_double (json_array_get_double_element (row, c_cost));

      key = g_strdup_printf ("%04d-%02d-%02d\x1f%s\x1f%s\x1f%s", y, m, d,
                             service ? service : "", location ? location : "", currency ? currency : "USD");
      amt = g_hash_table_lookup (acc->cells, key);
      if (amt == NULL)
        {
          amt = g_new0 (AzAmt, 1);
          g_hash_table_insert (acc->cells, g_steal_pointer (&key), amt);
        }
      if (acc->amortized)
        amt->effective += micros;
      else
        amt->billed += micros;
    }
  return TRUE;

invalid:
  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
               "Azure Cost Management sent a row Cumulus does not understand");
  return FALSE;
}

/* ------------------------------------------------------------- the job */

static int
strcmp_ptr (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

typedef struct {
  CuLedgerWriter *writer;
} WriteCtx;

static gboolean
write_row_cb (const CuCostRow *row, gpointer data, GError **error)
{
  WriteCtx *ctx = data;
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

/**
 * cu_sync_account:
 * @progress: (nullable): called from this thread
 *
 * Syncs one account. Never returns %NULL; check ->ok and ->error.
 *
 * Returns: (transfer full): the result
 */
CuSyncResult *
cu_sync_account (const char         *workspace_dir,
                 const char         *account_name,
                 CuSyncProgressFunc  progress_func,
                 gpointer            user_data,
                 GCancellable       *cancellable)
{
  CuSyncResult *r = g_new0 (CuSyncResult, 1);
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(CuAccount) account = NULL;
  g_autoptr(CuHttp) http = NULL;
  g_autoptr(CuAwsClient) aws = NULL;
  g_autoptr(CuAzureClient) azure = NULL;
  g_autoptr(CuCeAccum) ce = NULL;
  g_autoptr(GHashTable) az_cells = NULL;
  g_auto(GStrv) cost_tags = NULL;
  g_auto(GStrv) synced_tags = NULL;
  gint64 started = g_get_monotonic_time ();
  CuDay synced_through, estimated_from, first, last, new_estimated = CU_DAY_INVALID;
  CuLedgerWriter *writer;
  const char *source;
  WriteCtx ctx;
  GError *error = NULL;
  gboolean is_aws;

  r->account = g_strdup (account_name);

  ledger = cu_ledger_open (workspace_dir, &error);
  if (ledger == NULL)
    goto out;
  account = cu_ledger_get_account (ledger, account_name, &error);
  if (account == NULL)
    goto out;
  r->kind = g_strdup (account->kind);
  is_aws = g_strcmp0 (account->provider, "aws") == 0;
  if (!is_aws && g_strcmp0 (account->provider, "azure") != 0)
    {
      g_set_error (&error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "“%s” is not a cloud account (it holds %s data)", account_name, account->provider);
      goto out;
    }
  source = is_aws ? "aws-ce" : "azure-cost-management";

  cost_tags = is_aws ? cu_accounts_get_cost_tags (account) : g_new0 (char *, 1);
  state_read (ledger, account_name, &synced_through, &estimated_from, &synced_tags);
  /* other tag keys than last time: every row in the window is rebuilt, so
   * none keeps the tags of the old selection */
  if (!g_strv_equal ((const char * const *) cost_tags, (const char * const *) synced_tags))
    {
      synced_through = CU_DAY_INVALID;
      estimated_from = CU_DAY_INVALID;
    }
  cu_sync_plan_range (account->provider, cu_day_today (), synced_through, estimated_from, &first, &last);
  r->incremental = synced_through != CU_DAY_INVALID;
  cu_day_format (first, r->first_day);
  cu_day_format (last, r->last_day);
  r->n_days = last - first + 1;

  http = cu_http_new ();
  progress (progress_func, user_data, account_name, 0.05, "Signing in");

  if (is_aws)
    {
      aws = aws_client_for (ledger, account, http, cancellable, &error);
      if (aws == NULL)
        goto fail;
      progress (progress_func, user_data, account_name, 0.1, "Fetching costs from AWS Cost Explorer");
      ce = cu_ce_accum_new ();
      cu_ce_accum_set_tag_keys (ce, (const char * const *) cost_tags);
      r->n_cost_tags = g_strv_length (cost_tags);
      if (!cu_ce_fetch (aws, ce, first, last, &r->n_billable_requests, &r->n_tag_requests,
                        cancellable, &error))
        goto fail;
      new_estimated = cu_ce_accum_first_estimated (ce);
    }
  else
    {
      g_autofree char *subscription = cu_accounts_config_get (account, "subscription");
      g_autofree char *scope = g_strdup_printf ("subscriptions/%s", subscription ? subscription : "");
      static const char * const types[] = { "ActualCost", "AmortizedCost" };

      azure = azure_client_for (ledger, account, http, cancellable, &error);
      if (azure == NULL)
        goto fail;
      progress (progress_func, user_data, account_name, 0.1, "Fetching costs from Azure Cost Management");
      az_cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint t = 0; t < G_N_ELEMENTS (types); t++)
        {
          g_autoptr(JsonNode) body = cu_azure_build_query (types[t], first, last);
          AzAccum acc = { az_cells, t == 1, first, last };

          if (!cu_azure_client_query (azure, scope, body, az_page_cb, &acc,
                                      &r->n_billable_requests, cancellable, &error))
            goto fail;
        }
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto fail;

  progress (progress_func, user_data, account_name, 0.9, "Saving");
  writer = cu_ledger_writer_begin (ledger, account->id, "sync", source, first, last, &error);
  if (writer == NULL)
    goto fail;
  ctx.writer = writer;
  if (is_aws)
    {
      if (!cu_ce_accum_emit_rows (ce, write_row_cb, &ctx, &r->n_rows, &error))
        goto fail_writer;
    }
  else
    {
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();
      GHashTableIter it;
      gpointer k;
      g_autofree char *subscription = cu_accounts_config_get (account, "subscription");

      g_hash_table_iter_init (&it, az_cells);
      while (g_hash_table_iter_next (&it, &k, NULL))
        g_ptr_array_add (keys, k);
      g_ptr_array_sort (keys, strcmp_ptr);
      for (guint i = 0; i < keys->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (keys->pdata[i], "\x1f", 4);
          AzAmt *amt = g_hash_table_lookup (az_cells, keys->pdata[i]);
          CuCostRow row = { 0 };
          char end[11];
          CuDay day;

          cu_day_parse (parts[0], &day);
          cu_day_format (day + 1, end);
          row.charge_period_start = parts[0];
          row.charge_period_end = end;
          row.billed_cost = amt->billed;
          row.effective_cost = amt->effective;
          row.billing_currency = parts[3];
          row.provider_name = "Microsoft";
          row.publisher_name = "Microsoft";
          row.invoice_issuer_name = "Microsoft";
          row.service_name = parts[1];
          row.region_id = *parts[2] ? parts[2] : NULL;
          row.sub_account_id = subscription;
          row.charge_category = "Usage";
          row.charge_frequency = "Usage-Based";
          if (!cu_ledger_writer_add (writer, &row, &error))
            goto fail_writer;
          r->n_rows++;
        }
    }
  /* the state goes in the same transaction as the rows */
  if (!state_write (ledger, account_name, last, new_estimated, (const char * const *) cost_tags, &error))
    goto fail_writer;
  cu_ledger_writer_set_requests (writer, r->n_billable_requests);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto fail_writer;
  if (!cu_ledger_writer_commit (writer, &error))
    goto out;
  r->ok = TRUE;
  progress (progress_func, user_data, account_name, 1.0, "Done");
  goto out;

fail_writer:
  cu_ledger_writer_set_requests (writer, r->n_billable_requests);
  end_writer (writer, error);
  goto out;

fail:
  record_failure (ledger, account->id, source, first, last, r->n_billable_requests, error);

out:
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "The sync was cancelled; the ledger was left as it was");
    }
  r->error = error;
  if (r->kind && g_str_has_prefix (r->kind, "aws") && r->n_billable_requests > 0)
    r->request_cost_micros = (gint64) r->n_billable_requests * CU_CE_MICROS_PER_REQUEST;
  if (http)
    r->n_requests = cu_http_get_n_sent (http);
  if (aws)
    r->n_assume_role = cu_aws_client_get_n_assume (aws);
  r->seconds = (g_get_monotonic_time () - started) / 1e6;
  return r;
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

  g_task_return_pointer (task, cu_sync_account (d->workspace, d->account, NULL, NULL, cancellable),
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
 *
 * Returns: (transfer full): the result (check ->ok)
 */
CuSyncResult *
cu_sync_account_finish (GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
az_test_page_cb (const char * const *columns, JsonArray *rows, gpointer data, GError **error)
{
  guint *n = data;
  *n += json_array_get_length (rows);
  return TRUE;
}

/**
 * cu_sync_test_account:
 *
 * "Test connection": AWS STS GetCallerIdentity (after AssumeRole for a
 * role); Azure a token plus a one-day query. Costs nothing on AWS.
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

  if (ledger == NULL)
    return NULL;
  account = cu_ledger_get_account (ledger, account_name, error);
  if (account == NULL)
    return NULL;
  http = cu_http_new ();

  if (g_strcmp0 (account->provider, "aws") == 0)
    {
      g_autoptr(CuAwsClient) aws = aws_client_for (ledger, account, http, cancellable, error);
      g_autofree char *arn = NULL, *acct = NULL;

      if (aws == NULL)
        return NULL;
      if (!cu_aws_client_get_caller_identity (aws, &arn, &acct, cancellable, error))
        return NULL;
      return g_strdup_printf ("%s (AWS account %s)", arn ? arn : "?", acct ? acct : "?");
    }
  if (g_strcmp0 (account->provider, "azure") == 0)
    {
      g_autoptr(CuAzureClient) azure = azure_client_for (ledger, account, http, cancellable, error);
      g_autofree char *subscription = cu_accounts_config_get (account, "subscription");
      g_autofree char *scope = g_strdup_printf ("subscriptions/%s", subscription ? subscription : "");
      g_autoptr(JsonNode) body = NULL;
      CuDay yesterday = cu_day_today () - 1;
      guint n = 0;

      if (azure == NULL || !cu_azure_client_get_token (azure, cancellable, error))
        return NULL;
      body = cu_azure_build_query ("ActualCost", yesterday, yesterday);
      if (!cu_azure_client_query (azure, scope, body, az_test_page_cb, &n, NULL, cancellable, error))
        return NULL;
      return g_strdup_printf ("subscription %s (token and cost query work; %u rows for yesterday)",
                              subscription ? subscription : "?", n);
    }
  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
               "“%s” is not a cloud account", account_name);
  return NULL;
}
