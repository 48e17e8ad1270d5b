/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-aws-provider.c — AWS sign-in, test and Cost Explorer for the sync job */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/aws/cu-aws-provider.h"
#include "providers/aws/cu-aws-client.h"
#include "providers/aws/cu-cost-explorer.h"
#include "providers/cu-accounts.h"
#include "secrets/cu-secrets.h"

typedef struct {
  CuAwsClient *client;
  CuCeAccum   *costs;
} AwsSession;

static void
aws_disconnect (gpointer data, CuProviderContext *ctx)
{
  AwsSession *s = data;

  if (s == NULL)
    return;
  if (s->client)
    ctx->n_assume_role = cu_aws_client_get_n_assume (s->client);
  g_clear_pointer (&s->client, cu_aws_client_free);
  g_clear_pointer (&s->costs, cu_ce_accum_free);
  g_free (s);
}

static gpointer
aws_connect (CuProviderContext *ctx, GCancellable *cancellable, GError **error)
{
  CuLedger *ledger = ctx->ledger;
  CuAccount *account = ctx->account;
  g_autoptr(CuAccount) source = NULL;
  CuAccount *keys = account;
  g_autofree char *key_id = NULL;
  g_auto(CuSecretString) secret = NULL;
  g_auto(CuSecretString) token = NULL;
  g_autoptr(GError) local = NULL;
  AwsSession *s;

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
  secret = cu_secrets_lookup_in (cu_ledger_get_workspace (ledger), keys->name, CU_SECRET_AWS_SECRET_ACCESS_KEY,
                                 cancellable, error);
  if (secret == NULL)
    return NULL;
  token = cu_secrets_lookup_in (cu_ledger_get_workspace (ledger), keys->name, CU_SECRET_AWS_SESSION_TOKEN,
                                cancellable, &local);
  if (token == NULL && !g_error_matches (local, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  s = g_new0 (AwsSession, 1);
  s->client = cu_aws_client_new (ctx->http, key_id, secret, token);
  if (!cu_aws_client_set_endpoint (s->client, NULL, error))
    goto fail;
  if (g_strcmp0 (account->kind, "aws-role") == 0)
    {
      g_autofree char *arn = cu_accounts_config_get (account, "role_arn");
      g_autofree char *ext = cu_accounts_config_get (account, "external_id");

      if (!cu_aws_client_assume_role (s->client, arn, ext, cancellable, error))
        goto fail;
    }
  s->costs = cu_ce_accum_new ();
  cu_ce_accum_set_tag_keys (s->costs, ctx->cost_tags);
  return s;

fail:
  aws_disconnect (s, ctx);
  return NULL;
}

static char *
aws_test (gpointer data, CuProviderContext *ctx, GCancellable *cancellable, GError **error)
{
  AwsSession *s = data;
  g_autofree char *arn = NULL, *acct = NULL;

  if (!cu_aws_client_get_caller_identity (s->client, &arn, &acct, cancellable, error))
    return NULL;
  return g_strdup_printf ("%s (AWS account %s)", arn ? arn : "?", acct ? acct : "?");
}

static gboolean
aws_fetch_costs (gpointer data, CuProviderContext *ctx, const CuDayRange *range,
                 GCancellable *cancellable, GError **error)
{
  AwsSession *s = data;
  gboolean ok;

  ok = cu_ce_fetch (s->client, s->costs, range->first, range->last, &ctx->n_billable_requests,
                    &ctx->n_tag_requests, cancellable, error);
  ctx->first_estimated = cu_ce_accum_first_estimated (s->costs);
  return ok;
}

static gboolean
aws_emit_rows (gpointer data, CuProviderContext *ctx, CuProviderRowFunc func, gpointer user_data,
               guint64 *n_rows, GError **error)
{
  AwsSession *s = data;

  return cu_ce_accum_emit_rows (s->costs, func, user_data, n_rows, error);
}

const CuProvider cu_aws_provider = {
  .id = "aws",
  .cost_source = "aws-ce",
  .cost_api = "AWS Cost Explorer",
  .micros_per_request = CU_CE_MICROS_PER_REQUEST,
  .late_days = 2,
  .uses_cost_tags = TRUE,
  .connect = aws_connect,
  .disconnect = aws_disconnect,
  .test = aws_test,
  .plan_ranges = cu_provider_single_range,
  .fetch_costs = aws_fetch_costs,
  .emit_rows = aws_emit_rows,
};
