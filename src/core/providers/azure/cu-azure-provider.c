/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-azure-provider.c — Azure sign-in, test and Cost Management for the sync job */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/azure/cu-azure-provider.h"
#include "providers/azure/cu-azure-client.h"
#include "providers/azure/cu-azure-costs.h"
#include "providers/cu-accounts.h"
#include "secrets/cu-secrets.h"

typedef struct {
  CuAzureClient *client;
  CuAzureCosts  *costs;
  char          *subscription;
  char          *scope;
} AzureSession;

static void
azure_disconnect (gpointer data, CuProviderContext *ctx)
{
  AzureSession *s = data;

  if (s == NULL)
    return;
  g_clear_pointer (&s->client, cu_azure_client_free);
  g_clear_pointer (&s->costs, cu_azure_costs_free);
  g_free (s->subscription);
  g_free (s->scope);
  g_free (s);
}

static gpointer
azure_connect (CuProviderContext *ctx, GCancellable *cancellable, GError **error)
{
  CuAccount *account = ctx->account;
  g_autofree char *tenant = cu_accounts_config_get (account, "tenant");
  g_autofree char *client_id = cu_accounts_config_get (account, "client_id");
  g_auto(CuSecretString) secret = NULL;
  AzureSession *s;

  if (tenant == NULL || client_id == NULL)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "The account “%s” lacks its tenant or client id", account->name);
      return NULL;
    }
  secret = cu_secrets_lookup_in (cu_ledger_get_workspace (ctx->ledger), account->name,
                                 CU_SECRET_AZURE_CLIENT_SECRET, cancellable, error);
  if (secret == NULL)
    return NULL;
  s = g_new0 (AzureSession, 1);
  s->client = cu_azure_client_new (ctx->http, tenant, client_id, secret);
  s->subscription = cu_accounts_config_get (account, "subscription");
  s->scope = g_strdup_printf ("subscriptions/%s", s->subscription ? s->subscription : "");
  s->costs = cu_azure_costs_new (s->subscription);
  if (!cu_azure_client_set_endpoints (s->client, NULL, NULL, error))
    {
      azure_disconnect (s, ctx);
      return NULL;
    }
  return s;
}

static gboolean
count_rows_cb (const char * const *columns, JsonArray *rows, gpointer data, GError **error)
{
  *(guint *) data += json_array_get_length (rows);
  return TRUE;
}

static char *
azure_test (gpointer data, CuProviderContext *ctx, GCancellable *cancellable, GError **error)
{
  AzureSession *s = data;
  g_autoptr(JsonNode) body = NULL;
  CuDay yesterday = cu_day_today () - 1;
  guint n = 0;

  if (!cu_azure_client_get_token (s->client, cancellable, error))
    return NULL;
  body = cu_azure_build_query ("ActualCost", yesterday, yesterday);
  if (!cu_azure_client_query (s->client, s->scope, body, count_rows_cb, &n, NULL, cancellable, error))
    return NULL;
  return g_strdup_printf ("subscription %s (token and cost query work; %u rows for yesterday)",
                          s->subscription ? s->subscription : "?", n);
}

typedef struct {
  CuAzureCosts *costs;
  gboolean      amortized;
  CuDay         first, last;
} PageCtx;

static gboolean
add_page_cb (const char * const *columns, JsonArray *rows, gpointer data, GError **error)
{
  PageCtx *p = data;

  return cu_azure_costs_add_rows (p->costs, columns, rows, p->amortized, p->first, p->last, error);
}

static gboolean
azure_fetch_costs (gpointer data, CuProviderContext *ctx, const CuDayRange *range,
                   GCancellable *cancellable, GError **error)
{
  static const char * const types[] = { "ActualCost", "AmortizedCost" };
  AzureSession *s = data;

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(JsonNode) body = cu_azure_build_query (types[t], range->first, range->last);
      PageCtx p = { s->costs, t == 1, range->first, range->last };

      if (!cu_azure_client_query (s->client, s->scope, body, add_page_cb, &p,
                                  &ctx->n_billable_requests, cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
azure_emit_rows (gpointer data, CuProviderContext *ctx, CuProviderRowFunc func, gpointer user_data,
                 guint64 *n_rows, GError **error)
{
  AzureSession *s = data;

  return cu_azure_costs_emit_rows (s->costs, func, user_data, n_rows, error);
}

const CuProvider cu_azure_provider = {
  .id = "azure",
  .cost_source = "azure-cost-management",
  .cost_api = "Azure Cost Management",
  .micros_per_request = 0,
  .late_days = 3,
  .uses_cost_tags = FALSE,
  .connect = azure_connect,
  .disconnect = azure_disconnect,
  .test = azure_test,
  .plan_ranges = cu_azure_plan_ranges,
  .fetch_costs = azure_fetch_costs,
  .emit_rows = azure_emit_rows,
};
