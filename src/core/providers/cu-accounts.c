/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-accounts.c — adding, editing and removing cloud accounts */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/cu-accounts.h"
#include "providers/cu-http.h"
#include "providers/aws/cu-cost-explorer.h"
#include "secrets/cu-secrets.h"
#include "store/cu-ledger-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

static gboolean
matches (const char *pattern, const char *text)
{
  return text != NULL && g_regex_match_simple (pattern, text, 0, 0);
}

static gboolean
bad (CuAccountField *out, CuAccountField field, GError **error, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
bad (CuAccountField *out, CuAccountField field, GError **error, const char *fmt, ...)
{
  va_list ap;
  char *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (out)
    *out = field;
  g_set_error_literal (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG, msg);
  g_free (msg);
  return FALSE;
}

/**
 * cu_accounts_validate_cost_tags:
 * @keys: (nullable): cost-allocation tag keys
 *
 * Checks tag keys as Cost Explorer and the CLI need them: 1 to 128
 * characters, no control characters, no “$” (CE answers "key$value"), no
 * “,” (the CLI separates keys with it), no blanks at either end, no key
 * twice, and at most %CU_CE_MAX_TAG_KEYS keys (each costs a query per sync
 * and multiplies the rows).
 */
gboolean
cu_accounts_validate_cost_tags (const char * const  *keys,
                                GError             **error)
{
  guint n = 0;

  for (; keys && keys[n]; n++)
    {
      const char *k = keys[n];
      glong len;

      if (*k == '\0')
        return bad (NULL, CU_ACCOUNT_FIELD_COST_TAGS, error, "A cost tag key is empty");
      if (!g_utf8_validate (k, -1, NULL))
        return bad (NULL, CU_ACCOUNT_FIELD_COST_TAGS, error, "A cost tag key is not valid UTF-8");
      len = g_utf8_strlen (k, -1);
      if (len > 128)
        return bad (NULL, CU_ACCOUNT_FIELD_COST_TAGS, error,
                    "The cost tag key “%s” is longer than 128 characters", k);
      if (strchr (k, '$') != NULL || strchr (k, ',') != NULL)
        return bad (NULL, CU_ACCOUNT_FIELD_COST_TAGS, error,
                    "The cost tag key “%s” contains “$” or “,”, which tag keys cannot hold here", k);
      if (matches ("[\\x00-\\x1f\\x7f]", k))
        return bad (NULL, CU_ACCOUNT_FIELD_COST_TAGS, error,
                    "A cost tag key contains a control character");
      if (g_ascii_isspace (k[0]) || g_ascii_isspace (k[strlen (k) - 1]))
        return bad (NULL, CU_ACCOUNT_FIELD_COST_TAGS, error,
                    "The cost tag key “%s” starts or ends with a blank", k);
      for (guint j = 0; j < n; j++)
        if (g_str_equal (keys[j], k))
          return bad (NULL, CU_ACCOUNT_FIELD_COST_TAGS, error,
                      "The cost tag key “%s” is listed twice", k);
    }
  if (n > CU_CE_MAX_TAG_KEYS)
    return bad (NULL, CU_ACCOUNT_FIELD_COST_TAGS, error,
                "At most %d cost tag keys per account (each adds Cost Explorer requests to every sync)",
                CU_CE_MAX_TAG_KEYS);
  return TRUE;
}

/**
 * cu_accounts_parse_cost_tags:
 * @text: "KEY[,KEY…]"; "" for none
 *
 * Splits a comma-separated list of tag keys (blanks around the commas are
 * dropped) and validates it.
 *
 * Returns: (transfer full) (nullable): the keys, empty for "", or %NULL
 *   with @error
 */
char **
cu_accounts_parse_cost_tags (const char  *text,
                             GError     **error)
{
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (*text == '\0')
    return g_new0 (char *, 1);
  keys = g_strsplit (text, ",", -1);
  for (guint i = 0; keys[i]; i++)
    g_strstrip (keys[i]);
  if (!cu_accounts_validate_cost_tags ((const char * const *) keys, error))
    return NULL;
  return g_steal_pointer (&keys);
}

#define GUID "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

/**
 * cu_accounts_validate:
 * @out_bad_field: (out) (optional): the first field that is wrong
 *
 * Checks the fields of @spec (not whether the cloud accepts them). The GUI
 * calls it as the user types; the secret is only checked when set.
 */
gboolean
cu_accounts_validate (const CuAccountSpec  *spec,
                      CuAccountField       *out_bad_field,
                      GError              **error)
{
  if (out_bad_field)
    *out_bad_field = CU_ACCOUNT_FIELD_NONE;

  if (spec->name == NULL || !matches ("^[^\\x00-\\x1f/]{1,64}$", spec->name) ||
      !matches ("\\S", spec->name) || spec->name[0] == '-')
    return bad (out_bad_field, CU_ACCOUNT_FIELD_NAME, error,
                "The account name must be 1 to 64 characters, not start with “-”, and have no “/” or control characters");
  if (spec->kind == NULL ||
      !(g_str_equal (spec->kind, "aws-keys") || g_str_equal (spec->kind, "aws-role") ||
        g_str_equal (spec->kind, "azure-sp")))
    return bad (out_bad_field, CU_ACCOUNT_FIELD_KIND, error,
                "The kind must be aws-keys, aws-role or azure-sp");

  if (g_str_equal (spec->kind, "aws-keys"))
    {
      if (!matches ("^[A-Z0-9]{16,128}$", spec->access_key_id))
        return bad (out_bad_field, CU_ACCOUNT_FIELD_ACCESS_KEY_ID, error,
                    "The access key id must be 16 to 128 upper-case letters and digits (it starts with AKIA or ASIA)");
      if (spec->secret != NULL && (spec->secret[0] == '\0' || strpbrk (spec->secret, "\r\n") != NULL))
        return bad (out_bad_field, CU_ACCOUNT_FIELD_SECRET, error,
                    "The secret access key is empty or has a line break");
    }
  else if (g_str_equal (spec->kind, "aws-role"))
    {
      if (!matches ("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$", spec->role_arn))
        return bad (out_bad_field, CU_ACCOUNT_FIELD_ROLE_ARN, error,
                    "The role ARN must look like arn:aws:iam::123456789012:role/NAME");
      if (spec->external_id != NULL && *spec->external_id != '\0' &&
          !matches ("^[\\w+=,.@:/-]{2,1224}$", spec->external_id))
        return bad (out_bad_field, CU_ACCOUNT_FIELD_EXTERNAL_ID, error,
                    "The external id must be 2 to 1224 letters, digits or +=,.@:/-");
      if (spec->source == NULL || *spec->source == '\0')
        return bad (out_bad_field, CU_ACCOUNT_FIELD_SOURCE, error,
                    "A role needs --source: the aws-keys account whose keys assume it");
    }
  else
    {
      if (!matches (GUID, spec->tenant) && !matches ("^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$", spec->tenant))
        return bad (out_bad_field, CU_ACCOUNT_FIELD_TENANT, error,
                    "The tenant must be a tenant id (a GUID) or a domain such as contoso.onmicrosoft.com");
      if (!matches (GUID, spec->client_id))
        return bad (out_bad_field, CU_ACCOUNT_FIELD_CLIENT_ID, error,
                    "The client id must be the application (client) id, a GUID");
      if (!matches (GUID, spec->subscription))
        return bad (out_bad_field, CU_ACCOUNT_FIELD_SUBSCRIPTION, error,
                    "The subscription must be a subscription id, a GUID");
      if (spec->secret != NULL && (spec->secret[0] == '\0' || strpbrk (spec->secret, "\r\n") != NULL))
        return bad (out_bad_field, CU_ACCOUNT_FIELD_SECRET, error,
                    "The client secret is empty or has a line break");
      if (spec->cost_tags != NULL && spec->cost_tags[0] != NULL)
        return bad (out_bad_field, CU_ACCOUNT_FIELD_COST_TAGS, error,
                    "Cost tags are fetched for AWS accounts only");
    }
  if (!cu_accounts_validate_cost_tags (spec->cost_tags, error))
    {
      if (out_bad_field)
        *out_bad_field = CU_ACCOUNT_FIELD_COST_TAGS;
      return FALSE;
    }
  return TRUE;
}

static char *
config_json (const CuAccountSpec *spec)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
#define MEMBER(k, v) if (v) { json_builder_set_member_name (b, k); json_builder_add_string_value (b, v); }
  if (g_str_equal (spec->kind, "aws-keys"))
    {
      MEMBER ("access_key_id", spec->access_key_id);
    }
  else if (g_str_equal (spec->kind, "aws-role"))
    {
      MEMBER ("role_arn", spec->role_arn);
      MEMBER ("external_id", spec->external_id);
      MEMBER ("source", spec->source);
    }
  if (!g_str_equal (spec->kind, "azure-sp") && spec->cost_tags != NULL && spec->cost_tags[0] != NULL)
    {
      json_builder_set_member_name (b, "cost_tags");
      json_builder_begin_array (b);
      for (guint i = 0; spec->cost_tags[i]; i++)
        json_builder_add_string_value (b, spec->cost_tags[i]);
      json_builder_end_array (b);
    }
  if (g_str_equal (spec->kind, "azure-sp"))
    {
      MEMBER ("tenant", spec->tenant);
      MEMBER ("client_id", spec->client_id);
      MEMBER ("subscription", spec->subscription);
    }
#undef MEMBER
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/**
 * cu_accounts_config_get:
 *
 * Returns: (transfer full) (nullable): a string member of the account's config
 */
char *
cu_accounts_config_get (const CuAccount *account,
                        const char      *key)
{
  g_autoptr(JsonNode) root = NULL;

  if (account->config_json == NULL)
    return NULL;
  root = json_from_string (account->config_json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), key, NULL));
}

/**
 * cu_accounts_get_cost_tags:
 *
 * Returns: (transfer full): the account's cost-allocation tag keys; empty
 *   when none are set (or the stored list is not usable)
 */
char **
cu_accounts_get_cost_tags (const CuAccount *account)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  JsonNode *member = NULL;

  if (account->config_json != NULL)
    root = json_from_string (account->config_json, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    member = json_object_get_member (json_node_get_object (root), "cost_tags");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *arr = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          JsonNode *n = json_array_get_element (arr, i);
          if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
            g_ptr_array_add (keys, g_strdup (json_node_get_string (n)));
        }
    }
  g_ptr_array_add (keys, NULL);
  /* a hand-edited list that would break the queries counts as none */
  if (!cu_accounts_validate_cost_tags ((const char * const *) keys->pdata, NULL))
    return g_new0 (char *, 1);
  return (char **) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
}

/**
 * cu_accounts_set_cost_tags:
 * @keys: (nullable): the new tag keys; %NULL or empty clears them
 *
 * Stores the cost-allocation tag keys of an AWS account in its config. The
 * next sync notices the change and fetches the full range again, so old
 * rows do not keep stale tags (see cu-sync.h).
 */
gboolean
cu_accounts_set_cost_tags (CuLedger            *ledger,
                           const char          *name,
                           const char * const  *keys,
                           GError             **error)
{
  g_autoptr(CuAccount) account = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *config = NULL;
  sqlite3_stmt *stmt = NULL;
  JsonObject *o;
  int rc;

  g_return_val_if_fail (name != NULL, FALSE);

  if (!cu_accounts_validate_cost_tags (keys, error))
    return FALSE;
  account = cu_ledger_get_account (ledger, name, error);
  if (account == NULL)
    return FALSE;
  if (g_strcmp0 (account->provider, "aws") != 0)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "“%s” is not an AWS account; cost tags are fetched for AWS accounts only", name);
      return FALSE;
    }

  if (account->config_json != NULL)
    root = json_from_string (account->config_json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      g_clear_pointer (&root, json_node_unref);
      root = json_node_init_object (json_node_alloc (), empty);
    }
  o = json_node_get_object (root);
  if (json_object_has_member (o, "cost_tags"))
    json_object_remove_member (o, "cost_tags");
  if (keys != NULL && keys[0] != NULL)
    {
      JsonArray *arr = json_array_new ();
      for (guint i = 0; keys[i]; i++)
        json_array_add_string_element (arr, keys[i]);
      json_object_set_array_member (o, "cost_tags", arr);
    }
  config = json_to_string (root, FALSE);

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "UPDATE accounts SET config = ? WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot save the cost tags");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, config, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, account->id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot save the cost tags");
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_accounts_describe:
 *
 * Returns: (transfer full): a one-line, secret-free description
 */
char *
cu_accounts_describe (const CuAccount *a)
{
  if (g_strcmp0 (a->kind, "aws-keys") == 0)
    {
      g_autofree char *id = cu_accounts_config_get (a, "access_key_id");
      return g_strdup_printf ("access key %s", id ? id : "?");
    }
  if (g_strcmp0 (a->kind, "aws-role") == 0)
    {
      g_autofree char *arn = cu_accounts_config_get (a, "role_arn");
      g_autofree char *src = cu_accounts_config_get (a, "source");
      return g_strdup_printf ("role %s via %s", arn ? arn : "?", src ? src : "?");
    }
  if (g_strcmp0 (a->kind, "azure-sp") == 0)
    {
      g_autofree char *sub = cu_accounts_config_get (a, "subscription");
      g_autofree char *cid = cu_accounts_config_get (a, "client_id");
      return g_strdup_printf ("subscription %s, client %s", sub ? sub : "?", cid ? cid : "?");
    }
  return g_strdup (a->kind ? a->kind : "");
}

/**
 * cu_accounts_add:
 *
 * Validates @spec, stores its secrets in the keyring, then adds the ledger
 * row; when the ledger refuses (name taken), the secrets are removed again.
 *
 * Returns: the new account id, or 0 with @error
 */
gint64
cu_accounts_add (CuLedger             *ledger,
                 const CuAccountSpec  *spec,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autofree char *config = NULL;
  g_autofree char *external = NULL;
  g_autoptr(CuAccount) existing = NULL;
  const char *provider;
  const char *ws;
  gint64 id;

  if (!cu_accounts_validate (spec, NULL, error))
    return 0;

  existing = cu_ledger_get_account (ledger, spec->name, NULL);
  if (existing != NULL)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "An account named “%s” exists already; remove it first", spec->name);
      return 0;
    }

  if (g_str_equal (spec->kind, "aws-role"))
    {
      g_autoptr(CuAccount) source = cu_ledger_get_account (ledger, spec->source, NULL);

      if (source == NULL || g_strcmp0 (source->kind, "aws-keys") != 0)
        {
          g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                       "The source account “%s” must be an existing aws-keys account", spec->source);
          return 0;
        }
      /* the account id is part of the role ARN */
      external = g_strndup (strstr (spec->role_arn, "::") + 2, 12);
    }
  else if (spec->secret == NULL)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG, "The account needs its secret");
      return 0;
    }

  if (g_str_equal (spec->kind, "azure-sp"))
    {
      provider = "azure";
      external = g_strdup (spec->subscription);
    }
  else
    provider = "aws";

  /* stale secrets of an earlier account with this name must not survive */
  ws = cu_ledger_get_workspace (ledger);
  if (!cu_secrets_clear_in (ws, spec->name, NULL, cancellable, error))
    return 0;
  if (g_str_equal (spec->kind, "aws-keys"))
    {
      if (!cu_secrets_store_in (ws, spec->name, CU_SECRET_AWS_SECRET_ACCESS_KEY, spec->secret, cancellable, error))
        return 0;
      if (spec->session_token && *spec->session_token &&
          !cu_secrets_store_in (ws, spec->name, CU_SECRET_AWS_SESSION_TOKEN, spec->session_token, cancellable, error))
        goto undo;
    }
  else if (g_str_equal (spec->kind, "azure-sp"))
    {
      if (!cu_secrets_store_in (ws, spec->name, CU_SECRET_AZURE_CLIENT_SECRET, spec->secret, cancellable, error))
        return 0;
    }

  config = config_json (spec);
  id = cu_ledger_add_account (ledger, spec->name, provider, spec->kind, external, config, error);
  if (id > 0)
    return id;

undo:
  cu_secrets_clear_in (ws, spec->name, NULL, NULL, NULL);
  return 0;
}

/* The incremental sync state of @name (see cu-sync.h); without it the
 * next sync is a first sync. */
static gboolean
forget_sync_state (CuLedger    *ledger,
                   const char  *name,
                   GError     **error)
{
  g_autofree char *key = g_strdup_printf ("sync:%s", name);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), "DELETE FROM workspace_meta WHERE key = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot reset the sync state");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (ledger, error, "Cannot reset the sync state");
      return FALSE;
    }
  return TRUE;
}

/* Stores @value as @field of @account, or removes the field when @value is
 * %NULL or empty. The old item goes first: gnome-keyring 42 warns ("already
 * registered") when an item is replaced in place, as cu_accounts_add()
 * avoids too. */
static gboolean
put_secret (const char    *ws,
            const char    *account,
            const char    *field,
            const char    *value,
            GCancellable  *cancellable,
            GError       **error)
{
  if (!cu_secrets_clear_in (ws, account, field, cancellable, error))
    return FALSE;
  if (value == NULL || *value == '\0')
    return TRUE;
  return cu_secrets_store_in (ws, account, field, value, cancellable, error);
}

/* One keyring field an update replaces, with what it held before so a
 * failed update can put it back. */
typedef struct {
  const char *field;
  const char *value;     /* new value, NULL clears; borrowed */
  char       *previous;  /* wiped by cu_secrets_free() */
  gboolean    replaced;
} SecretChange;

static gboolean
change_secrets (const char    *ws,
                const char    *account,
                SecretChange  *changes,
                guint          n_changes,
                GCancellable  *cancellable,
                GError       **error)
{
  for (guint i = 0; i < n_changes; i++)
    {
      g_autoptr(GError) local = NULL;

      changes[i].previous = cu_secrets_lookup_in (ws, account, changes[i].field, cancellable, &local);
      if (changes[i].previous == NULL &&
          !g_error_matches (local, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!put_secret (ws, account, changes[i].field, changes[i].value, cancellable, error))
        return FALSE;
      changes[i].replaced = TRUE;
    }
  return TRUE;
}

/* Puts back what change_secrets() replaced (best effort: the keyring
 * answered a moment ago) and wipes the copies either way. */
static void
finish_secret_changes (const char   *ws,
                       const char   *account,
                       SecretChange *changes,
                       guint         n_changes,
                       gboolean      restore)
{
  for (guint i = 0; i < n_changes; i++)
    {
      if (restore && changes[i].replaced)
        put_secret (ws, account, changes[i].field, changes[i].previous, NULL, NULL);
      g_clear_pointer (&changes[i].previous, cu_secrets_free);
    }
}

/**
 * cu_accounts_update:
 * @spec: the account's settings; @spec->name and @spec->kind name an
 *   existing account and must match it (renaming or changing the kind is
 *   removing and adding)
 *
 * Replaces the non-secret settings of an account: its config (cost tags
 * included, so %NULL tags clear them) and the AWS account or subscription id
 * derived from it. The keyring is touched only when @spec->secret is set
 * (the GUI leaves the field empty to keep the stored secret): for aws-keys
 * the secret access key is then replaced together with the session token,
 * which is removed when @spec->session_token is %NULL (it belonged to the
 * old key); a session token alone replaces only the token. When the account
 * now points at another AWS account or subscription, its sync state is
 * dropped so the next sync fetches the full range again.
 *
 * On failure nothing changed: secrets already replaced are put back.
 */
gboolean
cu_accounts_update (CuLedger             *ledger,
                    const CuAccountSpec  *spec,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_autoptr(CuAccount) account = NULL;
  g_autofree char *config = NULL;
  g_autofree char *external = NULL;
  SecretChange changes[2] = { { NULL } };
  guint n_changes = 0;
  sqlite3_stmt *stmt = NULL;
  gboolean identity_changed;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (!cu_accounts_validate (spec, NULL, error))
    return FALSE;
  account = cu_ledger_get_account (ledger, spec->name, error);
  if (account == NULL)
    return FALSE;
  if (g_strcmp0 (account->kind, spec->kind) != 0)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                   "“%s” is a %s account; to make it %s, remove it and add it again",
                   spec->name, account->kind, spec->kind);
      return FALSE;
    }

  if (g_str_equal (spec->kind, "aws-role"))
    {
      g_autoptr(CuAccount) source = cu_ledger_get_account (ledger, spec->source, NULL);

      if (source == NULL || g_strcmp0 (source->kind, "aws-keys") != 0)
        {
          g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                       "The source account “%s” must be an existing aws-keys account", spec->source);
          return FALSE;
        }
      external = g_strndup (strstr (spec->role_arn, "::") + 2, 12);
    }
  else if (g_str_equal (spec->kind, "azure-sp"))
    external = g_strdup (spec->subscription);
  else
    external = g_strdup (account->external_id);
  identity_changed = g_strcmp0 (external, account->external_id) != 0;

  if (g_str_equal (spec->kind, "aws-keys"))
    {
      if (spec->secret != NULL)
        changes[n_changes++] = (SecretChange) { CU_SECRET_AWS_SECRET_ACCESS_KEY, spec->secret };
      if (spec->secret != NULL || (spec->session_token != NULL && *spec->session_token != '\0'))
        changes[n_changes++] = (SecretChange) { CU_SECRET_AWS_SESSION_TOKEN, spec->session_token };
    }
  else if (g_str_equal (spec->kind, "azure-sp") && spec->secret != NULL)
    changes[n_changes++] = (SecretChange) { CU_SECRET_AZURE_CLIENT_SECRET, spec->secret };

  if (!change_secrets (cu_ledger_get_workspace (ledger), spec->name, changes, n_changes, cancellable, error))
    goto fail;

  config = config_json (spec);
  if (!cu_ledger_begin (ledger, error))
    goto fail;
  if (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                          "UPDATE accounts SET external_id = ?, config = ? WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_fail;
  if (external != NULL)
    sqlite3_bind_text (stmt, 1, external, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_text (stmt, 2, config, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, account->id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;
  if (identity_changed && !forget_sync_state (ledger, spec->name, error))
    goto rollback;
  if (!cu_ledger_commit (ledger, error))
    goto rollback;

  finish_secret_changes (cu_ledger_get_workspace (ledger), spec->name, changes, n_changes, FALSE);
  return TRUE;

sql_fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot save the account");
rollback:
  cu_ledger_rollback (ledger);
fail:
  finish_secret_changes (cu_ledger_get_workspace (ledger), spec->name, changes, n_changes, TRUE);
  return FALSE;
}

/**
 * cu_accounts_remove:
 *
 * Removes the account, its costs and sync history (ledger cascade), its
 * sync state and its keyring secrets. Refuses while a role account uses it
 * as its source.
 */
gboolean
cu_accounts_remove (CuLedger      *ledger,
                    const char    *name,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GPtrArray) all = cu_ledger_list_accounts (ledger, error);

  if (all == NULL)
    return FALSE;
  for (guint i = 0; i < all->len; i++)
    {
      CuAccount *a = all->pdata[i];
      g_autofree char *source = NULL;

      if (g_strcmp0 (a->kind, "aws-role") != 0)
        continue;
      source = cu_accounts_config_get (a, "source");
      if (g_strcmp0 (source, name) == 0)
        {
          g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG,
                       "The role account “%s” signs in with “%s”; remove it first", a->name, name);
          return FALSE;
        }
    }

  if (!cu_ledger_remove_account (ledger, name, error))
    return FALSE;
  forget_sync_state (ledger, name, NULL);
  return cu_secrets_clear_in (cu_ledger_get_workspace (ledger), name, NULL, cancellable, error);
}
