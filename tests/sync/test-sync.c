/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sync.c — accounts, keyring, sync and "test connection" against the
 * mock cloud, in process and through cumulus-cli.
 *
 * Run through keyring-run.sh: a private D-Bus session with a real, unlocked
 * gnome-keyring and throw-away XDG dirs.
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "cumulus-test"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/cu-ledger-private.h"
#include "cu-mock-cloud.h"
#include "providers/cu-accounts.h"
#include "providers/cu-http.h"
#include "providers/cu-sync.h"
#include "providers/aws/cu-cost-explorer.h"
#include "providers/azure/cu-azure-client.h"
#include "providers/azure/cu-azure-costs.h"
#include "providers/cu-json-read.h"
#include "secrets/cu-secrets.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

#define KEY_A   "AKIAMOCKAAAA00000001"
#define KEY_B   "AKIAMOCKBBBB00000002"
#define SECRET_A "mockSecretA/xK9+Qw7EXAMPLEKEYaaaaaaaaaaaa"
#define SECRET_B "mockSecretB/zP3+Lm2EXAMPLEKEYbbbbbbbbbbbb"
#define ROLE_ARN "arn:aws:iam::111122223333:role/CostReaderRole"
#define EXT_ID   "cumulus-ext-4711"
#define AZ_TENANT "99999999-8888-7777-6666-555555555555"
#define AZ_CLIENT "11111111-2222-3333-4444-555555555555"
#define AZ_SECRET "azMockSecret~Value~0123456789"
#define AZ_SUB    "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

static CuMockCloud *mock;
static const char *cli;

/* ------------------------------------------------------------ helpers */

static char *
new_workspace (void)
{
  g_autofree char *base = g_build_filename (g_get_user_data_dir (), "cumulus", NULL);
  g_autofree char *tmpl = NULL;

  g_mkdir_with_parents (base, 0700);
  tmpl = g_build_filename (base, "ws-XXXXXX", NULL);
  return g_mkdtemp (g_steal_pointer (&tmpl));
}

static void
add_aws_keys (const char *ws, const char *name, const char *key, const char *secret, const char *token)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
  g_autoptr(GError) error = NULL;
  CuAccountSpec spec = { .name = name, .kind = "aws-keys", .access_key_id = key,
                         .secret = secret, .session_token = token };

  g_assert_nonnull (ledger);
  g_assert_cmpint (cu_accounts_add (ledger, &spec, NULL, &error), >, 0);
  g_assert_no_error (error);
}

static void
add_aws_role (const char *ws, const char *name, const char *source, const char *ext)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
  g_autoptr(GError) error = NULL;
  CuAccountSpec spec = { .name = name, .kind = "aws-role", .role_arn = ROLE_ARN,
                         .external_id = ext, .source = source };

  g_assert_cmpint (cu_accounts_add (ledger, &spec, NULL, &error), >, 0);
  g_assert_no_error (error);
}

static void
add_azure (const char *ws, const char *name, const char *tenant, const char *secret)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
  g_autoptr(GError) error = NULL;
  CuAccountSpec spec = { .name = name, .kind = "azure-sp", .tenant = tenant, .client_id = AZ_CLIENT,
                         .subscription = AZ_SUB, .secret = secret };

  g_assert_cmpint (cu_accounts_add (ledger, &spec, NULL, &error), >, 0);
  g_assert_no_error (error);
}

typedef struct {
  gint64 billed;
  gint64 effective;
  gint64 rows;
} Sums;

static Sums
ledger_sums (const char *ws, const char *account, const char *sub_account)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
  sqlite3_stmt *stmt = NULL;
  Sums s = { 0 };

  g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                   "SELECT COALESCE(SUM(BilledCost),0), COALESCE(SUM(EffectiveCost),0), COUNT(*)"
                   " FROM cost_rows c JOIN accounts a ON a.id = c.account_id"
                   " WHERE a.name = ?1 AND (?2 IS NULL OR c.SubAccountId = ?2)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, account, -1, SQLITE_STATIC);
  if (sub_account)
    sqlite3_bind_text (stmt, 2, sub_account, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  s.billed = sqlite3_column_int64 (stmt, 0);
  s.effective = sqlite3_column_int64 (stmt, 1);
  s.rows = sqlite3_column_int64 (stmt, 2);
  sqlite3_finalize (stmt);
  return s;
}

static CuBatch *
last_batch (const char *ws, const char *account)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
  g_autoptr(CuAccount) a = cu_ledger_get_account (ledger, account, NULL);
  g_autoptr(GPtrArray) batches = cu_ledger_list_batches (ledger, a->id, NULL);

  g_assert_cmpuint (batches->len, >, 0);
  return g_ptr_array_steal_index (batches, 0);
}

static CuSyncResult *
sync_ok (const char *ws, const char *account)
{
  CuSyncResult *r = NULL;

  cu_sync_account (ws, account, NULL, NULL, &r, NULL, NULL);

  if (!r->ok)
    g_printerr ("# sync %s failed: %s\n", account, r->error ? r->error->message : "?");
  g_assert_true (r->ok);
  g_assert_no_error (r->error);
  return r;
}

static void
assert_aws_reconciles (const char *ws, const char *account, const CuSyncResult *r, CuDay first)
{
  CuDay last;
  Sums s;

  g_assert_true (cu_day_parse (r->last_day, &last));
  s = ledger_sums (ws, account, NULL);
  g_assert_cmpint (s.billed, ==, cu_mock_cloud_aws_total (mock, first, last, NULL, FALSE));
  g_assert_cmpint (s.effective, ==, cu_mock_cloud_aws_total (mock, first, last, NULL, TRUE));
  /* per linked account: exact, whatever the region split */
  s = ledger_sums (ws, account, "111122223333");
  g_assert_cmpint (s.billed, ==, cu_mock_cloud_aws_total (mock, first, last, "111122223333", FALSE));
  s = ledger_sums (ws, account, "444455556666");
  g_assert_cmpint (s.effective, ==, cu_mock_cloud_aws_total (mock, first, last, "444455556666", TRUE));
}

/* Runs cumulus-cli; returns the exit status. */
static int
run_cli (const char * const *args, const char *input, char **out, char **err, char **extra_env)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL, *e = NULL;

  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; extra_env && extra_env[i]; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input ? input : "", NULL, &o, &e, &error);
  /* a command refused before it reads its stdin may close the pipe first */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      g_clear_error (&error);
      g_subprocess_wait (proc, NULL, &error);
    }
  g_assert_no_error (error);
  if (out)
    *out = g_steal_pointer (&o);
  if (err)
    *err = g_steal_pointer (&e);
  return g_subprocess_get_exit_status (proc);
}

static JsonArray *list_json (const char *ws, JsonNode **root);

/* Every regular file below @dir must not contain @needle. */
static void
assert_not_in_tree (const char *dir, const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_not_in_tree (path, needle);
          continue;
        }
      if (!g_file_get_contents (path, &data, &len, NULL))
        continue;
      if (memmem (data, len, needle, strlen (needle)) != NULL)
        g_error ("the secret was found in %s", path);
    }
}

/* -------------------------------------------------------------- tests */

static void
test_keyring_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  char *s;

  g_assert_true (cu_secrets_store ("kr-1", CU_SECRET_AWS_SECRET_ACCESS_KEY, "s3cr3t-one", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cu_secrets_store ("kr-2", CU_SECRET_AWS_SECRET_ACCESS_KEY, "s3cr3t-two", NULL, &error));
  s = cu_secrets_lookup ("kr-1", CU_SECRET_AWS_SECRET_ACCESS_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==, "s3cr3t-one");
  cu_secrets_free (s);
  g_assert_true (cu_secrets_clear ("kr-1", NULL, NULL, &error));
  s = cu_secrets_lookup ("kr-1", CU_SECRET_AWS_SECRET_ACCESS_KEY, NULL, &error);
  g_assert_null (s);
  g_assert_error (error, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  s = cu_secrets_lookup ("kr-2", CU_SECRET_AWS_SECRET_ACCESS_KEY, NULL, &error);
  g_assert_cmpstr (s, ==, "s3cr3t-two");
  cu_secrets_free (s);
  cu_secrets_clear ("kr-2", NULL, NULL, NULL);
}

static char *
secret_of (const char *account, const char *field)
{
  g_autoptr(GError) error = NULL;
  char *value = cu_secrets_lookup (account, field, NULL, &error);

  if (value == NULL)
    g_assert_error (error, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND);
  return value;
}

static void
assert_secret (const char *account, const char *field, const char *expected)
{
  g_auto(CuSecretString) value = secret_of (account, field);
  g_assert_cmpstr (value, ==, expected);
}

static gint64
meta_count (const char *ws, const char *key)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                                       "SELECT COUNT(*) FROM workspace_meta WHERE key = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static CuAccount *
account_of (const char *ws, const char *name)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);

  g_assert_nonnull (ledger);
  return cu_ledger_get_account (ledger, name, NULL);
}

static gboolean
update (const char *ws, const CuAccountSpec *spec, GError **error)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);

  g_assert_nonnull (ledger);
  return cu_accounts_update (ledger, spec, NULL, error);
}

static void
test_accounts_update (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(GError) error = NULL;
  const char *team[] = { "team", NULL };
  const char *other_arn = "arn:aws:iam::999988887777:role/CostReaderRole";

  add_aws_keys (ws, "up-keys", KEY_A, SECRET_A, "token-one");

  /* non-secret settings only: the keyring keeps secret and token */
  {
    CuAccountSpec spec = { .name = "up-keys", .kind = "aws-keys", .access_key_id = KEY_B, .cost_tags = team };
    g_autoptr(CuAccount) a = NULL;
    g_autofree char *key_id = NULL;
    g_auto(GStrv) tags = NULL;

    g_assert_true (update (ws, &spec, &error));
    g_assert_no_error (error);
    a = account_of (ws, "up-keys");
    key_id = cu_accounts_config_get (a, "access_key_id");
    g_assert_cmpstr (key_id, ==, KEY_B);
    tags = cu_accounts_get_cost_tags (a);
    g_assert_cmpstrv (tags, team);
    assert_secret ("up-keys", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_A);
    assert_secret ("up-keys", CU_SECRET_AWS_SESSION_TOKEN, "token-one");
  }
  /* a new secret replaces it, and the old key's session token goes */
  {
    CuAccountSpec spec = { .name = "up-keys", .kind = "aws-keys", .access_key_id = KEY_B, .secret = SECRET_B };
    g_autoptr(CuSyncResult) r = NULL;
    g_autoptr(CuAccount) a = NULL;
    g_auto(GStrv) tags = NULL;

    g_assert_true (update (ws, &spec, &error));
    g_assert_no_error (error);
    assert_secret ("up-keys", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B);
    assert_secret ("up-keys", CU_SECRET_AWS_SESSION_TOKEN, NULL);
    a = account_of (ws, "up-keys");
    tags = cu_accounts_get_cost_tags (a);   /* no tags in the spec: none kept */
    g_assert_cmpuint (g_strv_length (tags), ==, 0);
    g_assert_null (strstr (a->config_json, SECRET_B));
    /* the cloud accepts the new pair */
    r = sync_ok (ws, "up-keys");
    g_assert_cmpuint (r->n_rows, >, 0);
  }
  /* refusals change nothing: bad id, other kind, unknown account */
  {
    CuAccountSpec bad_id = { .name = "up-keys", .kind = "aws-keys", .access_key_id = "nope", .secret = "x" };
    CuAccountSpec other_kind = { .name = "up-keys", .kind = "aws-role", .role_arn = ROLE_ARN,
                                 .source = "up-keys" };
    CuAccountSpec unknown = { .name = "up-none", .kind = "aws-keys", .access_key_id = KEY_A };
    g_autoptr(CuAccount) a = NULL;
    g_autofree char *key_id = NULL;

    g_assert_false (update (ws, &bad_id, &error));
    g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG);
    g_clear_error (&error);
    g_assert_false (update (ws, &other_kind, &error));
    g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "remove it and add it again"));
    g_clear_error (&error);
    g_assert_false (update (ws, &unknown, &error));
    g_assert_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND);
    g_clear_error (&error);
    a = account_of (ws, "up-keys");
    key_id = cu_accounts_config_get (a, "access_key_id");
    g_assert_cmpstr (key_id, ==, KEY_B);
    assert_secret ("up-keys", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B);
    g_assert_null (account_of (ws, "up-none"));
  }
  /* a session token alone replaces only the token */
  {
    CuAccountSpec spec = { .name = "up-keys", .kind = "aws-keys", .access_key_id = KEY_B,
                           .session_token = "token-two" };

    g_assert_true (update (ws, &spec, &error));
    assert_secret ("up-keys", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B);
    assert_secret ("up-keys", CU_SECRET_AWS_SESSION_TOKEN, "token-two");
  }

  /* a role pointed at another AWS account syncs from scratch; a new
   * external id for the same role does not */
  add_aws_role (ws, "up-role", "up-keys", EXT_ID);
  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
    g_assert_true (cu_ledger_exec (ledger, "INSERT INTO workspace_meta (key, value)"
                                           " VALUES ('sync:up-role', '{\"synced_through\":\"2026-01-01\"}')", NULL));
  }
  {
    CuAccountSpec same = { .name = "up-role", .kind = "aws-role", .role_arn = ROLE_ARN,
                           .external_id = "another-ext-id", .source = "up-keys" };
    CuAccountSpec moved = { .name = "up-role", .kind = "aws-role", .role_arn = other_arn,
                            .external_id = "another-ext-id", .source = "up-keys" };
    CuAccountSpec no_source = { .name = "up-role", .kind = "aws-role", .role_arn = other_arn,
                                .source = "up-none" };
    g_autoptr(CuAccount) a = NULL;
    g_autofree char *ext = NULL;

    g_assert_true (update (ws, &same, &error));
    g_assert_no_error (error);
    g_assert_cmpint (meta_count (ws, "sync:up-role"), ==, 1);
    g_assert_false (update (ws, &no_source, &error));
    g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG);
    g_clear_error (&error);
    g_assert_cmpint (meta_count (ws, "sync:up-role"), ==, 1);
    g_assert_true (update (ws, &moved, &error));
    g_assert_no_error (error);
    g_assert_cmpint (meta_count (ws, "sync:up-role"), ==, 0);
    a = account_of (ws, "up-role");
    g_assert_cmpstr (a->external_id, ==, "999988887777");
    ext = cu_accounts_config_get (a, "external_id");
    g_assert_cmpstr (ext, ==, "another-ext-id");
  }

  /* Azure: the client secret stays unless a new one is given */
  add_azure (ws, "up-az", AZ_TENANT, AZ_SECRET);
  {
    CuAccountSpec keep = { .name = "up-az", .kind = "azure-sp", .tenant = "contoso.onmicrosoft.com",
                           .client_id = AZ_CLIENT, .subscription = AZ_SUB };
    CuAccountSpec replace = { .name = "up-az", .kind = "azure-sp", .tenant = AZ_TENANT,
                              .client_id = AZ_CLIENT, .subscription = AZ_SUB, .secret = "azNewSecret~1" };
    g_autoptr(CuAccount) a = NULL;
    g_autofree char *tenant = NULL;

    g_assert_true (update (ws, &keep, &error));
    a = account_of (ws, "up-az");
    tenant = cu_accounts_config_get (a, "tenant");
    g_assert_cmpstr (tenant, ==, "contoso.onmicrosoft.com");
    assert_secret ("up-az", CU_SECRET_AZURE_CLIENT_SECRET, AZ_SECRET);
    g_assert_true (update (ws, &replace, &error));
    assert_secret ("up-az", CU_SECRET_AZURE_CLIENT_SECRET, "azNewSecret~1");
  }

  assert_not_in_tree (ws, SECRET_B);
  assert_not_in_tree (ws, "azNewSecret~1");
  assert_not_in_tree (ws, "token-two");

  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
    g_assert_true (cu_accounts_remove (ledger, "up-role", NULL, NULL));
    g_assert_true (cu_accounts_remove (ledger, "up-keys", NULL, NULL));
    g_assert_true (cu_accounts_remove (ledger, "up-az", NULL, NULL));
  }
}

/* The secret @field of @account in @ws, or NULL when absent */
static char *
ws_secret_of (const char *ws, const char *account, const char *field)
{
  g_autoptr(GError) error = NULL;
  char *value = cu_secrets_lookup_in (ws, account, field, NULL, &error);

  if (value == NULL)
    g_assert_error (error, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND);
  return value;
}

static void
assert_ws_secret (const char *ws, const char *account, const char *field, const char *expected)
{
  g_auto(CuSecretString) value = ws_secret_of (ws, account, field);
  g_assert_cmpstr (value, ==, expected);
}

/* How many keyring items @account has, and how many of them lack the
 * workspace attribute (legacy items) */
static guint
count_items (const char *account, guint *n_legacy)
{
  g_autoptr(GHashTable) attrs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n = 0;

  g_hash_table_insert (attrs, (gpointer) "account", (gpointer) account);
  items = secret_password_searchv_sync (cu_secrets_get_schema (), attrs, SECRET_SEARCH_ALL,
                                        NULL, &error);
  g_assert_no_error (error);
  *n_legacy = 0;
  for (GList *l = items; l; l = l->next, n++)
    {
      g_autoptr(GHashTable) item_attrs = secret_retrievable_get_attributes (l->data);

      if (!g_hash_table_contains (item_attrs, "workspace"))
        (*n_legacy)++;
    }
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
cli_add_prod (const char *ws, const char *key, const char *secret)
{
  g_autofree char *input = g_strdup_printf ("%s\n", secret);
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "--workspace", ws, "account", "add", "--name", "prod", "--kind", "aws-keys",
                         "--access-key-id", key, "--secret-stdin", NULL };

  g_assert_cmpint (run_cli (args, input, &out, &err, NULL), ==, 0);
  g_assert_null (strstr (out, secret));
  g_assert_null (strstr (err, secret));
}

/* Two workspaces with an account of the same name keep their own secrets */
static void
test_keyring_per_workspace (void)
{
  g_autofree char *ws1 = new_workspace ();
  g_autofree char *ws2 = new_workspace ();
  g_autofree char *link = NULL, *dotted = NULL, *who = NULL, *base2 = g_path_get_basename (ws2);
  g_autoptr(GError) error = NULL;
  guint n_legacy;

  cu_mock_cloud_set_clock_offset (mock, 0);
  cu_mock_cloud_clear_faults (mock);
  cu_mock_cloud_reset_counts (mock);
  cli_add_prod (ws1, KEY_A, SECRET_A);
  cli_add_prod (ws2, KEY_B, SECRET_B);

  g_assert_cmpuint (count_items ("prod", &n_legacy), ==, 2);
  g_assert_cmpuint (n_legacy, ==, 0);
  assert_ws_secret (ws1, "prod", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_A);
  assert_ws_secret (ws2, "prod", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B);

  /* other spellings of a workspace name the same items */
  link = g_strconcat (ws1, "-link", NULL);
  g_assert_cmpint (symlink (ws1, link), ==, 0);
  assert_ws_secret (link, "prod", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_A);
  dotted = g_build_filename (ws2, "..", base2, ".", NULL);
  assert_ws_secret (dotted, "prod", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B);

  /* each sync signs with its own workspace's secret */
  who = cu_sync_test_account (ws1, "prod", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&who, g_free);
  who = cu_sync_test_account (ws2, "prod", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&who, g_free);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "bad-signature"), ==, 0);

  /* removing one leaves the other */
  {
    const char *args[] = { "--workspace", ws1, "account", "remove", "prod", NULL };
    g_assert_cmpint (run_cli (args, NULL, NULL, NULL, NULL), ==, 0);
  }
  g_assert_null (ws_secret_of (ws1, "prod", CU_SECRET_AWS_SECRET_ACCESS_KEY));
  assert_ws_secret (ws2, "prod", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B);
  g_assert_cmpuint (count_items ("prod", &n_legacy), ==, 1);
  who = cu_sync_test_account (ws2, "prod", NULL, &error);
  g_assert_no_error (error);

  /* re-adding in the first workspace does not touch the second */
  cli_add_prod (ws1, KEY_A, SECRET_A);
  assert_ws_secret (ws1, "prod", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_A);
  assert_ws_secret (ws2, "prod", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B);
  {
    const char *rm1[] = { "--workspace", ws1, "account", "remove", "prod", NULL };
    const char *rm2[] = { "--workspace", link, "account", "remove", "prod", NULL };
    const char *rm3[] = { "--workspace", ws2, "account", "remove", "prod", NULL };
    g_assert_cmpint (run_cli (rm2, NULL, NULL, NULL, NULL), ==, 0);   /* ws1 through its symlink */
    g_assert_cmpint (run_cli (rm1, NULL, NULL, NULL, NULL), ==, 1);
    g_assert_cmpint (run_cli (rm3, NULL, NULL, NULL, NULL), ==, 0);
  }
  g_assert_cmpuint (count_items ("prod", &n_legacy), ==, 0);
  g_unlink (link);
}

/* A secret stored before items named their workspace is taken over by the
 * first workspace that looks it up */
static void
test_keyring_legacy_migration (void)
{
  g_autofree char *ws = new_workspace ();
  g_autofree char *other = new_workspace ();
  g_autofree char *who = NULL;
  g_autoptr(GError) error = NULL;
  guint n_legacy;

  cu_mock_cloud_set_clock_offset (mock, 0);
  cu_mock_cloud_clear_faults (mock);
  /* the account as an older Cumulus left it: its secret without workspace */
  add_aws_keys (ws, "legacy", KEY_A, SECRET_A, NULL);
  g_assert_true (cu_secrets_clear_in (ws, "legacy", NULL, NULL, &error));
  g_assert_true (cu_secrets_store ("legacy", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_A, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items ("legacy", &n_legacy), ==, 1);
  g_assert_cmpuint (n_legacy, ==, 1);

  /* the sync finds it and moves it into the workspace */
  who = cu_sync_test_account (ws, "legacy", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (who);
  g_assert_cmpuint (count_items ("legacy", &n_legacy), ==, 1);
  g_assert_cmpuint (n_legacy, ==, 0);
  assert_ws_secret (ws, "legacy", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_A);
  /* taken over once: another workspace no longer sees it */
  g_assert_null (ws_secret_of (other, "legacy", CU_SECRET_AWS_SECRET_ACCESS_KEY));
  /* absent fields stay absent */
  g_assert_null (ws_secret_of (ws, "legacy", CU_SECRET_AWS_SESSION_TOKEN));

  /* removing the account removes its item */
  {
    const char *args[] = { "--workspace", ws, "account", "remove", "legacy", NULL };
    g_assert_cmpint (run_cli (args, NULL, NULL, NULL, NULL), ==, 0);
  }
  g_assert_cmpuint (count_items ("legacy", &n_legacy), ==, 0);

  /* a workspace's own item wins over a legacy one, which stays for the
   * workspace it belongs to */
  g_assert_true (cu_secrets_store ("legacy-2", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B, NULL, &error));
  g_assert_true (cu_secrets_store_in (ws, "legacy-2", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_A, NULL, &error));
  g_assert_no_error (error);
  assert_ws_secret (ws, "legacy-2", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_A);
  g_assert_cmpuint (count_items ("legacy-2", &n_legacy), ==, 2);
  g_assert_cmpuint (n_legacy, ==, 1);
  g_assert_true (cu_secrets_clear_in (ws, "legacy-2", NULL, NULL, &error));
  g_assert_cmpuint (count_items ("legacy-2", &n_legacy), ==, 1);
  g_assert_cmpuint (n_legacy, ==, 1);
  assert_ws_secret (other, "legacy-2", CU_SECRET_AWS_SECRET_ACCESS_KEY, SECRET_B);
  g_assert_cmpuint (count_items ("legacy-2", &n_legacy), ==, 1);
  g_assert_cmpuint (n_legacy, ==, 0);
  /* the workspace-agnostic clear removes the items of every workspace */
  g_assert_true (cu_secrets_clear ("legacy-2", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items ("legacy-2", &n_legacy), ==, 0);
}

static void
test_cli_accounts (void)
{
  g_autofree char *ws = new_workspace ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  char *s;
  const char *secret = "cliSecretZ9/VeryUniqueNeedle+0001";
  const char *token = "cliSessionTokenVeryUniqueNeedle0002";
  const char *az_secret = "cliAzureSecretVeryUniqueNeedle~0003";
  g_autofree char *stdin_keys = g_strdup_printf ("%s\n%s\n", secret, token);
  g_autofree char *stdin_az = g_strdup_printf ("%s\n", az_secret);

  {
    const char *args[] = { "--workspace", ws, "account", "add", "--name", "cli-aws", "--kind", "aws-keys",
                           "--access-key-id", KEY_A, "--secret-stdin", NULL };
    g_assert_cmpint (run_cli (args, stdin_keys, &out, &err, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "cli-aws"));
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--workspace", ws, "account", "add", "--name", "cli-az", "--kind", "azure-sp",
                           "--tenant", AZ_TENANT, "--client-id", AZ_CLIENT, "--subscription", AZ_SUB,
                           "--secret-stdin", NULL };
    g_assert_cmpint (run_cli (args, stdin_az, &out, &err, NULL), ==, 0);
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--workspace", ws, "account", "add", "--name", "cli-role", "--kind", "aws-role",
                           "--role-arn", ROLE_ARN, "--external-id", EXT_ID, "--source", "cli-aws", NULL };
    g_assert_cmpint (run_cli (args, NULL, &out, &err, NULL), ==, 0);
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);
  }
  /* usage errors exit 2 */
  {
    const char *no_name[] = { "--workspace", ws, "account", "add", "--kind", "aws-keys", NULL };
    const char *wrong_opt[] = { "--workspace", ws, "account", "add", "--name", "x", "--kind", "aws-keys",
                                "--access-key-id", KEY_A, "--tenant", AZ_TENANT, "--secret-stdin", NULL };
    const char *no_stdin[] = { "--workspace", ws, "account", "add", "--name", "x", "--kind", "aws-keys",
                               "--access-key-id", KEY_A, NULL };
    const char *bad_key[] = { "--workspace", ws, "account", "add", "--name", "x", "--kind", "aws-keys",
                              "--access-key-id", "nope", "--secret-stdin", NULL };
    const char *bad_kind[] = { "--workspace", ws, "account", "add", "--name", "x", "--kind", "gcp", NULL };
    g_assert_cmpint (run_cli (no_name, NULL, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (wrong_opt, "x\n", NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (no_stdin, NULL, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (bad_key, "x\n", NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (bad_kind, NULL, NULL, NULL, NULL), ==, 2);
  }
  /* a second account with the same name is refused */
  {
    const char *args[] = { "--workspace", ws, "account", "add", "--name", "cli-aws", "--kind", "aws-keys",
                           "--access-key-id", KEY_B, "--secret-stdin", NULL };
    g_assert_cmpint (run_cli (args, "other\n", NULL, &err, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "exists"));
    g_clear_pointer (&err, g_free);
  }

  /* the keyring has them */
  s = cu_secrets_lookup ("cli-aws", CU_SECRET_AWS_SECRET_ACCESS_KEY, NULL, &error);
  g_assert_cmpstr (s, ==, secret);
  cu_secrets_free (s);
  s = cu_secrets_lookup ("cli-aws", CU_SECRET_AWS_SESSION_TOKEN, NULL, &error);
  g_assert_cmpstr (s, ==, token);
  cu_secrets_free (s);
  s = cu_secrets_lookup ("cli-az", CU_SECRET_AZURE_CLIENT_SECRET, NULL, &error);
  g_assert_cmpstr (s, ==, az_secret);
  cu_secrets_free (s);

  {
    const char *args[] = { "--workspace", ws, "account", "list", "--json", NULL };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *arr;

    g_assert_cmpint (run_cli (args, NULL, &out, &err, NULL), ==, 0);
    root = json_from_string (out, &error);
    g_assert_no_error (error);
    arr = json_object_get_array_member (json_node_get_object (root), "accounts");
    g_assert_cmpuint (json_array_get_length (arr), ==, 3);
    g_assert_null (strstr (out, secret));
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--workspace", ws, "account", "list", NULL };
    g_assert_cmpint (run_cli (args, NULL, &out, &err, NULL), ==, 0);
    g_assert_nonnull (strstr (out, KEY_A));
    g_assert_nonnull (strstr (out, "never synced"));
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);
  }

  /* no secret in any file of the workspace, config, cache or data dirs */
  assert_not_in_tree (ws, secret);
  assert_not_in_tree (ws, token);
  assert_not_in_tree (ws, az_secret);
  {
    const char *dirs[] = { g_get_user_config_dir (), g_get_user_cache_dir (), g_get_user_data_dir (),
                           g_get_home_dir (), NULL };
    for (guint i = 0; dirs[i]; i++)
      {
        assert_not_in_tree (dirs[i], secret);
        assert_not_in_tree (dirs[i], token);
        assert_not_in_tree (dirs[i], az_secret);
      }
  }

  /* the source of a role cannot go first; then both go, with their secrets */
  {
    const char *rm_src[] = { "--workspace", ws, "account", "remove", "cli-aws", NULL };
    const char *rm_role[] = { "--workspace", ws, "account", "remove", "cli-role", NULL };
    const char *rm_az[] = { "--workspace", ws, "account", "remove", "cli-az", NULL };
    const char *rm_none[] = { "--workspace", ws, "account", "remove", "nope", NULL };
    g_assert_cmpint (run_cli (rm_src, NULL, NULL, NULL, NULL), ==, 1);
    g_assert_cmpint (run_cli (rm_role, NULL, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint (run_cli (rm_src, NULL, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint (run_cli (rm_az, NULL, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint (run_cli (rm_none, NULL, NULL, NULL, NULL), ==, 1);
  }
  s = cu_secrets_lookup ("cli-aws", CU_SECRET_AWS_SECRET_ACCESS_KEY, NULL, &error);
  g_assert_null (s);
  g_assert_error (error, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  s = cu_secrets_lookup ("cli-az", CU_SECRET_AZURE_CLIENT_SECRET, NULL, &error);
  g_assert_null (s);
  g_clear_error (&error);
}

static void
test_aws_first_and_resync (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r1 = NULL;
  g_autoptr(CuSyncResult) r2 = NULL;
  g_autoptr(CuBatch) batch = NULL;
  CuDay first, expect_first = cu_day_add_months (cu_day_month_start (cu_day_today ()), -12);
  Sums before, after;

  cu_mock_cloud_set_version (mock, 0);
  cu_mock_cloud_reset_counts (mock);
  add_aws_keys (ws, "aws-first", KEY_A, SECRET_A, NULL);
  r1 = sync_ok (ws, "aws-first");
  g_assert_false (r1->incremental);
  g_assert_true (cu_day_parse (r1->first_day, &first));
  g_assert_cmpint (first, ==, expect_first);
  g_assert_cmpuint (r1->n_days, ==, cu_day_today () - expect_first);
  g_assert_cmpuint (r1->n_billable_requests, ==, cu_mock_cloud_count (mock, "ce"));
  g_assert_cmpuint (r1->n_billable_requests, >=, 4);   /* both groupings need several pages */
  g_assert_cmpint (r1->request_cost_micros, ==, r1->n_billable_requests * 10000);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "bad-signature"), ==, 0);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "signed-ok"), ==, r1->n_billable_requests);
  assert_aws_reconciles (ws, "aws-first", r1, first);
  g_printerr ("# first sync: %u days, %" G_GUINT64_FORMAT " rows, %u Cost Explorer requests\n",
              r1->n_days, r1->n_rows, r1->n_billable_requests);

  batch = last_batch (ws, "aws-first");
  g_assert_cmpstr (batch->status, ==, "done");
  g_assert_cmpint (batch->n_requests, ==, r1->n_billable_requests);
  g_assert_cmpint (batch->n_rows, ==, (gint64) r1->n_rows);

  /* the estimated days change; a resync fetches only what can still change */
  before = ledger_sums (ws, "aws-first", NULL);
  cu_mock_cloud_set_version (mock, 1);
  cu_mock_cloud_reset_counts (mock);
  r2 = sync_ok (ws, "aws-first");
  g_assert_true (r2->incremental);
  g_assert_cmpuint (r2->n_billable_requests, ==, 2);
  g_assert_cmpuint (r2->n_billable_requests, <, r1->n_billable_requests);
  g_assert_cmpuint (r2->n_days, <=, 40);
  after = ledger_sums (ws, "aws-first", NULL);
  g_assert_cmpint (after.billed, >, before.billed);
  assert_aws_reconciles (ws, "aws-first", r2, first);
  g_printerr ("# daily resync: %u days, %u Cost Explorer requests\n", r2->n_days, r2->n_billable_requests);
  cu_mock_cloud_set_version (mock, 0);
}

static void
run_fault (const char *name, CuMockFault fault, guint count, guint param, double min_seconds)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r = NULL;
  CuDay first;

  add_aws_keys (ws, name, KEY_A, SECRET_A, NULL);
  cu_mock_cloud_add_fault (mock, "ce", fault, 1, count, param);
  r = sync_ok (ws, name);
  cu_mock_cloud_clear_faults (mock);
  g_assert_true (cu_day_parse (r->first_day, &first));
  assert_aws_reconciles (ws, name, r, first);
  g_assert_cmpfloat (r->seconds, >=, min_seconds);
}

static void
test_aws_throttling (void)
{
  run_fault ("aws-throttle", CU_MOCK_THROTTLE, 2, 0, 0);
  run_fault ("aws-429", CU_MOCK_HTTP_429, 1, 1, 1.0);   /* Retry-After: 1 honoured */
}

static void
test_aws_server_errors (void)
{
  run_fault ("aws-500", CU_MOCK_HTTP_500, 2, 0, 0);
}

static void
test_aws_slow (void)
{
  run_fault ("aws-slow", CU_MOCK_SLOW, 1, 4000, 0);   /* beyond the 2 s test timeout */
}

static void
test_aws_truncated (void)
{
  run_fault ("aws-trunc", CU_MOCK_TRUNCATED, 1, 0, 0);
}

static void
assert_failed_untouched (const char *ws, const char *name, Sums before, const char *reason_part)
{
  g_autoptr(CuBatch) batch = last_batch (ws, name);
  Sums after = ledger_sums (ws, name, NULL);

  g_assert_cmpint (after.billed, ==, before.billed);
  g_assert_cmpint (after.effective, ==, before.effective);
  g_assert_cmpint (after.rows, ==, before.rows);
  g_assert_cmpstr (batch->status, ==, "failed");
  g_assert_nonnull (batch->error);
  if (reason_part)
    g_assert_nonnull (strstr (batch->error, reason_part));
}

static void
test_aws_fail_mid_pagination (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r1 = NULL;
  g_autoptr(CuSyncResult) r2 = NULL;
  g_autoptr(CuSyncResult) r3 = NULL;
  g_autoptr(CuBatch) batch = NULL;
  Sums before;

  add_aws_keys (ws, "aws-midpage", KEY_A, SECRET_A, NULL);
  r1 = sync_ok (ws, "aws-midpage");
  before = ledger_sums (ws, "aws-midpage", NULL);

  /* force a fresh 13-month fetch with small pages that fails on page 2 */
  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
    cu_ledger_exec (ledger, "DELETE FROM workspace_meta WHERE key = 'sync:aws-midpage'", NULL);
  }
  cu_mock_cloud_set_version (mock, 2);
  cu_mock_cloud_set_page_size (mock, 200);
  cu_mock_cloud_add_fault (mock, "ce", CU_MOCK_PAGE_500, 0, 1000, 0);
  cu_sync_account (ws, "aws-midpage", NULL, NULL, &r2, NULL, NULL);
  cu_mock_cloud_clear_faults (mock);
  g_assert_false (r2->ok);
  g_assert_error (r2->error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_SERVER);
  g_assert_cmpuint (r2->n_billable_requests, >, 1);
  assert_failed_untouched (ws, "aws-midpage", before, "internal error");
  batch = last_batch (ws, "aws-midpage");
  g_assert_cmpint (batch->n_requests, ==, r2->n_billable_requests);

  cu_mock_cloud_add_fault (mock, "ce", CU_MOCK_INVALID_NEXT_TOKEN, 0, 1, 0);
  cu_sync_account (ws, "aws-midpage", NULL, NULL, &r3, NULL, NULL);
  cu_mock_cloud_clear_faults (mock);
  g_assert_false (r3->ok);
  g_assert_error (r3->error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_API);
  assert_failed_untouched (ws, "aws-midpage", before, "InvalidNextTokenException");
  cu_mock_cloud_set_page_size (mock, 1000);
  cu_mock_cloud_set_version (mock, 0);
}

static void
test_aws_expired_token (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r = NULL;
  Sums none = { 0 };

  cu_mock_cloud_add_aws_user (mock, "ASIAMOCKSESSION00001", "sessionSecretEXAMPLE");
  add_aws_keys (ws, "aws-expired", "ASIAMOCKSESSION00001", "sessionSecretEXAMPLE", NULL);
  cu_mock_cloud_add_fault (mock, "ce", CU_MOCK_EXPIRED_TOKEN, 0, 1, 0);
  cu_sync_account (ws, "aws-expired", NULL, NULL, &r, NULL, NULL);
  cu_mock_cloud_clear_faults (mock);
  g_assert_false (r->ok);
  g_assert_error (r->error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_EXPIRED_TOKEN);
  assert_failed_untouched (ws, "aws-expired", none, "expired");
}

typedef struct {
  const char    *ws;
  GCancellable  *cancellable;
  CuSyncResult  *result;
} CancelJob;

static gpointer
cancel_thread (gpointer data)
{
  CancelJob *job = data;
  cu_sync_account (job->ws, "aws-cancel", NULL, NULL, &job->result, job->cancellable, NULL);
  return NULL;
}

/* progress callback: cancels as soon as the sync starts saving */
static void
cancel_on_saving_cb (const char *account, double fraction, const char *message, gpointer data)
{
  if (g_strcmp0 (message, "Saving") == 0)
    g_cancellable_cancel (G_CANCELLABLE (data));
}

static void
test_aws_cancel (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelJob job = { ws, cancellable, NULL };
  GThread *thread;
  Sums none = { 0 };
  gint64 t0;

  add_aws_keys (ws, "aws-cancel", KEY_A, SECRET_A, NULL);
  cu_mock_cloud_add_fault (mock, "ce", CU_MOCK_SLOW, 1, 100, 1500);
  t0 = g_get_monotonic_time ();
  thread = g_thread_new ("cancel", cancel_thread, &job);
  g_usleep (600 * 1000);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  cu_mock_cloud_clear_faults (mock);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 1400 * 1000);
  g_assert_false (job.result->ok);
  g_assert_error (job.result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* recorded as cancelled, not as a failure, with the requests it made */
  {
    g_autoptr(CuBatch) batch = last_batch (ws, "aws-cancel");
    g_autoptr(JsonNode) root = NULL;
    JsonArray *accounts;
    JsonObject *last;
    Sums after = ledger_sums (ws, "aws-cancel", NULL);

    g_assert_cmpint (after.rows, ==, none.rows);
    g_assert_cmpint (after.billed, ==, none.billed);
    g_assert_cmpstr (batch->status, ==, "cancelled");
    g_assert_null (batch->error);
    g_assert_nonnull (batch->finished_at);
    g_assert_cmpint (batch->n_requests, ==, job.result->n_billable_requests);

    /* account list says so too */
    accounts = list_json (ws, &root);
    g_assert_cmpuint (json_array_get_length (accounts), ==, 1);
    last = json_object_get_object_member (json_array_get_object_element (accounts, 0), "last_sync");
    g_assert_cmpstr (json_object_get_string_member (last, "status"), ==, "cancelled");
    g_assert_true (json_object_get_null_member (last, "error"));
  }
  {
    const char *args[] = { "--workspace", ws, "account", "list", NULL };
    g_autofree char *out = NULL;

    g_assert_cmpint (run_cli (args, NULL, &out, NULL, NULL), ==, 0);
    g_assert_nonnull (strstr (out, ": cancelled"));
    g_assert_null (strstr (out, "failed"));
  }
  cu_sync_result_free (job.result);

  /* cancelled once the costs are fetched, while saving: the same */
  {
    g_autoptr(GCancellable) late = g_cancellable_new ();
    g_autoptr(CuSyncResult) r = NULL;
    g_autoptr(CuBatch) batch = NULL;

    cu_sync_account (ws, "aws-cancel", cancel_on_saving_cb, late, &r, late, NULL);
    g_assert_false (r->ok);
    g_assert_error (r->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    batch = last_batch (ws, "aws-cancel");
    g_assert_cmpstr (batch->status, ==, "cancelled");
    g_assert_null (batch->error);
    g_assert_cmpint (batch->n_requests, ==, r->n_billable_requests);
    g_assert_cmpint (batch->n_requests, >, 0);
    g_assert_cmpint (ledger_sums (ws, "aws-cancel", NULL).rows, ==, 0);
  }
}

static void
test_aws_sigkill (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CuBatch) batch = NULL;
  Sums before, after;
  guint start;

  add_aws_keys (ws, "aws-kill", KEY_A, SECRET_A, NULL);
  r = sync_ok (ws, "aws-kill");
  before = ledger_sums (ws, "aws-kill", NULL);
  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
    cu_ledger_exec (ledger, "DELETE FROM workspace_meta WHERE key = 'sync:aws-kill'", NULL);
  }
  cu_mock_cloud_set_version (mock, 3);
  cu_mock_cloud_set_page_size (mock, 300);
  cu_mock_cloud_add_fault (mock, "ce", CU_MOCK_SLOW, 0, 1000, 300);
  start = cu_mock_cloud_count (mock, "ce");
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                           cli, "--workspace", ws, "sync", "aws-kill", NULL);
  g_assert_no_error (error);
  while (cu_mock_cloud_count (mock, "ce") < start + 3)
    g_usleep (20 * 1000);
  g_subprocess_send_signal (proc, SIGKILL);
  g_subprocess_wait (proc, NULL, NULL);
  cu_mock_cloud_clear_faults (mock);
  cu_mock_cloud_set_page_size (mock, 1000);
  cu_mock_cloud_set_version (mock, 0);

  after = ledger_sums (ws, "aws-kill", NULL);
  g_assert_cmpint (after.billed, ==, before.billed);
  g_assert_cmpint (after.effective, ==, before.effective);
  g_assert_cmpint (after.rows, ==, before.rows);
  batch = last_batch (ws, "aws-kill");
  g_assert_cmpstr (batch->status, ==, "done");  /* the killed run never started writing */
}

static void
test_cli_two_accounts (void)
{
  g_autofree char *ws = new_workspace ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *arr;
  const char *args[] = { "--workspace", NULL, "sync", "two-a", "two-b", "--json", NULL };

  args[1] = ws;
  add_aws_keys (ws, "two-a", KEY_A, SECRET_A, NULL);
  add_aws_keys (ws, "two-b", KEY_B, SECRET_B, NULL);
  cu_mock_cloud_add_fault (mock, "ce", CU_MOCK_SLOW, 0, 4, 300);  /* overlap in time */
  g_assert_cmpint (run_cli (args, NULL, &out, &err, NULL), ==, 0);
  cu_mock_cloud_clear_faults (mock);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  arr = json_object_get_array_member (json_node_get_object (root), "accounts");
  g_assert_cmpuint (json_array_get_length (arr), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_array_get_object_element (arr, i);
      CuDay first, last;
      Sums s;

      g_assert_true (json_object_get_boolean_member (o, "ok"));
      g_assert_cmpint (json_object_get_int_member (o, "requests"), >=, 4);
      g_assert_nonnull (json_object_get_string_member (o, "request_cost_usd"));
      cu_day_parse (json_object_get_string_member (o, "first_day"), &first);
      cu_day_parse (json_object_get_string_member (o, "last_day"), &last);
      s = ledger_sums (ws, json_object_get_string_member (o, "account"), NULL);
      g_assert_cmpint (s.billed, ==, cu_mock_cloud_aws_total (mock, first, last, NULL, FALSE));
    }
  g_assert_null (strstr (out, SECRET_A));
  g_assert_null (strstr (err, SECRET_A));

  /* the plain output names rows, days, requests and their cost */
  {
    const char *plain[] = { "--workspace", ws, "sync", "two-a", NULL };
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_cli (plain, NULL, &out, NULL, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Cost Explorer requests ($0.02)"));
    g_assert_nonnull (strstr (out, "incremental"));
  }
}

static void
test_role (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r = NULL;
  g_autoptr(CuSyncResult) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  CuDay first;

  add_aws_keys (ws, "role-src", KEY_A, SECRET_A, NULL);
  add_aws_role (ws, "role-ok", "role-src", EXT_ID);
  add_aws_role (ws, "role-bad", "role-src", "wrong-external-id");

  /* credentials that expire within the renewal margin are renewed per request */
  cu_mock_cloud_set_role (mock, ROLE_ARN, EXT_ID, 200);
  cu_mock_cloud_reset_counts (mock);
  r = sync_ok (ws, "role-ok");
  /* the first AssumeRole, then a renewal before every Cost Explorer request */
  g_assert_cmpuint (r->n_assume_role, ==, r->n_billable_requests + 1);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "sts-assume"), ==, r->n_assume_role);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "expired"), ==, 0);
  g_assert_true (cu_day_parse (r->first_day, &first));
  assert_aws_reconciles (ws, "role-ok", r, first);

  /* long-lived role credentials are assumed once */
  cu_mock_cloud_set_role (mock, ROLE_ARN, EXT_ID, 3600);
  {
    g_autoptr(CuSyncResult) r2 = sync_ok (ws, "role-ok");
    g_assert_cmpuint (r2->n_assume_role, ==, 1);
  }

  who = cu_sync_test_account (ws, "role-ok", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (who, "assumed-role"));

  cu_sync_account (ws, "role-bad", NULL, NULL, &bad, NULL, NULL);
  g_assert_false (bad->ok);
  g_assert_error (bad->error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (bad->error->message, "sts:AssumeRole"));
  g_assert_nonnull (strstr (bad->error->message, "external id"));
}

static void
expect_test_error (const char *ws, const char *name, int code, const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *who = cu_sync_test_account (ws, name, NULL, &error);

  g_assert_null (who);
  if (!g_error_matches (error, CU_PROVIDER_ERROR, code))
    g_error ("%s: expected code %d, got %s", name, code, error ? error->message : "no error");
  if (part && strstr (error->message, part) == NULL)
    g_error ("%s: “%s” lacks “%s”", name, error->message, part);
}

static void
test_account_test_messages (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  g_autofree char *out = NULL, *err = NULL;

  add_aws_keys (ws, "t-ok", KEY_A, SECRET_A, NULL);
  add_aws_keys (ws, "t-unknown", "AKIAUNKNOWNKEY000099", SECRET_A, NULL);
  add_aws_keys (ws, "t-badsecret", KEY_A, "not/the/right/secret", NULL);
  cu_mock_cloud_add_aws_user (mock, "ASIAMOCKSESSION00002", "sessionSecret2");
  add_aws_keys (ws, "t-expired", "ASIAMOCKSESSION00002", "sessionSecret2", "oldtoken");
  add_aws_keys (ws, "t-role-src", KEY_A, SECRET_A, NULL);
  add_aws_role (ws, "t-denied", "t-role-src", "wrong-external-id");
  add_azure (ws, "t-az", AZ_TENANT, AZ_SECRET);
  add_azure (ws, "t-az-badsecret", AZ_TENANT, "wrong~secret");
  add_azure (ws, "t-az-tenant", "00000000-0000-0000-0000-000000000000", AZ_SECRET);

  who = cu_sync_test_account (ws, "t-ok", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (who, "arn:aws:iam::"));
  g_clear_pointer (&who, g_free);

  expect_test_error (ws, "t-unknown", CU_PROVIDER_ERROR_UNKNOWN_KEY, "does not recognise the access key id");
  expect_test_error (ws, "t-badsecret", CU_PROVIDER_ERROR_BAD_SECRET, "secret access key does not belong");
  cu_mock_cloud_add_fault (mock, "sts", CU_MOCK_EXPIRED_TOKEN, 0, 1, 0);
  expect_test_error (ws, "t-expired", CU_PROVIDER_ERROR_EXPIRED_TOKEN, "expired");
  cu_mock_cloud_clear_faults (mock);
  expect_test_error (ws, "t-denied", CU_PROVIDER_ERROR_ACCESS_DENIED, "sts:AssumeRole");
  cu_mock_cloud_set_clock_offset (mock, 3600);
  expect_test_error (ws, "t-ok", CU_PROVIDER_ERROR_CLOCK_SKEW, "clock");
  cu_mock_cloud_set_clock_offset (mock, 0);

  who = cu_sync_test_account (ws, "t-az", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (who, AZ_SUB));
  g_clear_pointer (&who, g_free);
  expect_test_error (ws, "t-az-badsecret", CU_PROVIDER_ERROR_BAD_SECRET, "client secret is wrong");
  expect_test_error (ws, "t-az-tenant", CU_PROVIDER_ERROR_UNKNOWN_KEY, "tenant");
  cu_mock_cloud_add_fault (mock, "azure-query", CU_MOCK_ACCESS_DENIED, 0, 1, 0);
  expect_test_error (ws, "t-az", CU_PROVIDER_ERROR_ACCESS_DENIED, "Microsoft.CostManagement/query/action");
  cu_mock_cloud_clear_faults (mock);

  /* through the CLI, with unreachable endpoints */
  {
    const char *args[] = { "--workspace", ws, "account", "test", "t-ok", NULL };
    char *refused[] = { "CUMULUS_AWS_ENDPOINT", "http://127.0.0.1:1", NULL };
    char *nxdomain[] = { "CUMULUS_AWS_ENDPOINT", "https://cumulus-mock-host.invalid", NULL };
    char *plain_http[] = { "CUMULUS_AWS_ENDPOINT", "http://example.com", NULL };

    g_assert_cmpint (run_cli (args, NULL, &out, &err, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "OK"));
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli (args, NULL, &out, &err, refused), ==, 1);
    g_assert_nonnull (strstr (err, "Cannot connect"));
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli (args, NULL, &out, &err, nxdomain), ==, 1);
    g_assert_nonnull (strstr (err, "DNS lookup failed"));
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli (args, NULL, &out, &err, plain_http), ==, 1);
    g_assert_nonnull (strstr (err, "must use https"));
    g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);
  }
}

static void
test_azure_sync (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r = NULL;
  g_autoptr(CuSyncResult) r2 = NULL;
  CuDay first, last;
  Sums s;

  add_azure (ws, "az-sync", AZ_TENANT, AZ_SECRET);
  cu_mock_cloud_reset_counts (mock);
  /* one 429 with the sample's rate-limit headers (waits are cut to 1 s) */
  cu_mock_cloud_add_fault (mock, "azure-query", CU_MOCK_THROTTLE, 1, 1, 1);
  r = sync_ok (ws, "az-sync");
  cu_mock_cloud_clear_faults (mock);
  g_assert_cmpfloat (r->seconds, >=, 1.0);
  g_assert_true (cu_day_parse (r->first_day, &first));
  g_assert_true (cu_day_parse (r->last_day, &last));
  s = ledger_sums (ws, "az-sync", NULL);
  g_assert_cmpint (s.billed, ==, cu_mock_cloud_azure_total (mock, first, last, FALSE));
  g_assert_cmpint (s.effective, ==, cu_mock_cloud_azure_total (mock, first, last, TRUE));
  g_assert_cmpuint (r->n_billable_requests, >, 4);   /* nextLink paging, both cost types */
  /* 13 months: two ranges of at most a year, none refused */
  g_assert_cmpuint (r->n_days, >, 366);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "azure-query-too-long"), ==, 0);
  g_printerr ("# Azure first sync: %u days, %" G_GUINT64_FORMAT " rows, %u cost queries\n",
              r->n_days, r->n_rows, r->n_billable_requests);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "azure-token-ok"), ==, 1);

  /* an expired token is renewed once; the resync is short */
  cu_mock_cloud_add_fault (mock, "azure-query", CU_MOCK_EXPIRED_TOKEN, 0, 1, 0);
  r2 = sync_ok (ws, "az-sync");
  cu_mock_cloud_clear_faults (mock);
  g_assert_true (r2->incremental);
  g_assert_cmpuint (r2->n_billable_requests, <, r->n_billable_requests);
  s = ledger_sums (ws, "az-sync", NULL);
  g_assert_cmpint (s.billed, ==, cu_mock_cloud_azure_total (mock, first, last, FALSE));
}

static gboolean
az_count_cb (const char * const *columns, JsonArray *rows, gpointer data, GError **error)
{
  *(guint *) data += json_array_get_length (rows);
  return TRUE;
}

static gboolean
sum_rows_cb (const CuCostRow *row, gpointer data, GError **error)
{
  *(gint64 *) data += row->billed_cost;
  g_assert_null (row->sub_account_id && *row->sub_account_id ? row->sub_account_id : NULL);
  return TRUE;
}

static void
test_ce_sample_pages (void)
{
  const char *shared = g_getenv ("CUMULUS_SHARED_DIR");
  g_autoptr(CuCeAccum) acc = cu_ce_accum_new ();
  g_autoptr(GError) error = NULL;
  gint64 expect = 0, got = 0;
  guint64 n = 0;

  for (int p = 1; p <= 2; p++)
    {
      g_autofree char *path = g_strdup_printf ("%s/testdata/aws/ce-get-cost-and-usage.daily-by-service.page%d.json", shared, p);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *res;

      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      g_assert_true (cu_ce_accum_add_page (acc, json_parser_get_root (parser), FALSE, &error));
      /* an independent sum of every Amount */
      res = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "ResultsByTime");
      for (guint i = 0; i < json_array_get_length (res); i++)
        {
          JsonArray *groups = json_object_get_array_member (json_array_get_object_element (res, i), "Groups");
          for (guint g = 0; g < json_array_get_length (groups); g++)
            {
              JsonObject *m = json_object_get_object_member (json_array_get_object_element (groups, g), "Metrics");
              gint64 v;
              g_assert_true (cu_money_parse (json_object_get_string_member (json_object_get_object_member (m, "UnblendedCost"), "Amount"), -1, &v, NULL));
              expect += v;
            }
        }
    }
  {
    CuDay est;
    g_assert_true (cu_day_parse ("2024-05-03", &est));
    g_assert_cmpint (cu_ce_accum_first_estimated (acc), ==, est);
  }
  g_assert_true (cu_ce_accum_emit_rows (acc, sum_rows_cb, &got, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (got, ==, expect);
  /* one row per (day, service): the day split across the pages is merged */
  g_assert_cmpuint (n, ==, 13);
  g_assert_cmpint (expect, >, 0);
}

static void
test_plan_range (void)
{
  CuDay today = cu_day_from_ymd (2024, 5, 20), first, last;

  cu_sync_plan_range ("aws", today, CU_DAY_INVALID, CU_DAY_INVALID, &first, &last);
  g_assert_cmpint (first, ==, cu_day_from_ymd (2023, 5, 1));
  g_assert_cmpint (last, ==, cu_day_from_ymd (2024, 5, 19));
  cu_sync_plan_range ("aws", today, today - 1, today - 2, &first, &last);
  g_assert_cmpint (first, ==, today - 3);
  cu_sync_plan_range ("aws", today, today - 1, today - 10, &first, &last);
  g_assert_cmpint (first, ==, today - 10);
  today = cu_day_from_ymd (2024, 6, 3);
  cu_sync_plan_range ("aws", today, today - 1, today - 2, &first, &last);
  g_assert_cmpint (first, ==, cu_day_from_ymd (2024, 5, 1));   /* month close */
  cu_sync_plan_range ("azure", cu_day_from_ymd (2024, 5, 20), cu_day_from_ymd (2024, 5, 19), CU_DAY_INVALID, &first, &last);
  g_assert_cmpint (first, ==, cu_day_from_ymd (2024, 5, 16));
}

static void
test_endpoints (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cu_http_check_base_url ("https://ce.us-east-1.amazonaws.com", NULL));
  g_assert_true (cu_http_check_base_url ("http://127.0.0.1:8080", NULL));
  g_assert_false (cu_http_check_base_url ("http://ce.us-east-1.amazonaws.com", &error));
  g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_CONFIG);
}

/* ----------------------------------------------------------- cost tags */

static void
test_ce_apportion (void)
{
  gint64 shares[4];
  const gint64 w1[] = { 1, 1, 1 };
  const gint64 w2[] = { 0, 5, 0, 5 };
  const gint64 w3[] = { 3, -1 };
  const gint64 w4[] = { 0, 0 };

  /* ties go to the lower index; the parts sum exactly */
  g_assert_true (cu_ce_apportion (100, w1, 3, shares));
  g_assert_cmpint (shares[0], ==, 34);
  g_assert_cmpint (shares[1], ==, 33);
  g_assert_cmpint (shares[2], ==, 33);
  /* zero weights get nothing, even with remainders to give away */
  g_assert_true (cu_ce_apportion (7, w2, 4, shares));
  g_assert_cmpint (shares[0], ==, 0);
  g_assert_cmpint (shares[1], ==, 4);
  g_assert_cmpint (shares[2], ==, 0);
  g_assert_cmpint (shares[3], ==, 3);
  /* amounts beyond 64-bit products */
  {
    const gint64 big[] = { G_GINT64_CONSTANT (4000000000000000000), 1, G_GINT64_CONSTANT (3000000000000000000) };
    g_assert_true (cu_ce_apportion (G_GINT64_CONSTANT (9000000000000000000), big, 3, shares));
    g_assert_cmpint (shares[0] + shares[1] + shares[2], ==, G_GINT64_CONSTANT (9000000000000000000));
  }
  /* not meaningful */
  g_assert_false (cu_ce_apportion (5, w3, 2, shares));
  g_assert_false (cu_ce_apportion (5, w4, 2, shares));
  g_assert_false (cu_ce_apportion (-5, w1, 3, shares));
}

typedef struct {
  const char *service;
  const char *key;      /* second group key */
  const char *billed;
  const char *effective;
} TestGroup;

static JsonNode *
ce_page (const char *day, const TestGroup *groups, guint n)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_string_append_printf (s, "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"%s\",\"End\":\"%s\"},"
                          "\"Total\":{},\"Groups\":[", day, day);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s{\"Keys\":[\"%s\",\"%s\"],\"Metrics\":{"
                            "\"UnblendedCost\":{\"Amount\":\"%s\",\"Unit\":\"USD\"},"
                            "\"AmortizedCost\":{\"Amount\":\"%s\",\"Unit\":\"USD\"}}}",
                            i ? "," : "", groups[i].service, groups[i].key, groups[i].billed, groups[i].effective);
  g_string_append (s, "],\"Estimated\":false}]}");
  node = json_from_string (s->str, &error);
  g_assert_no_error (error);
  return node;
}

/* "what" → [billed, effective, rows] */
static void
tally (GHashTable *t, const char *what, const CuCostRow *row)
{
  gint64 *v = g_hash_table_lookup (t, what);

  if (v == NULL)
    {
      v = g_new0 (gint64, 3);
      g_hash_table_insert (t, g_strdup (what), v);
    }
  v[0] += row->billed_cost;
  v[1] += row->effective_cost;
  v[2]++;
}

static const char *
row_tag (const CuCostRow *row, const char *key)
{
  for (guint i = 0; i < row->n_tags; i++)
    if (g_str_equal (row->tag_keys[i], key))
      return row->tag_values[i];
  return NULL;
}

static gboolean
tally_row_cb (const CuCostRow *row, gpointer data, GError **error)
{
  GHashTable *t = data;
  g_autofree char *cell = g_strdup_printf ("%s|%s|%s", row->service_name,
                                           row->sub_account_id ? row->sub_account_id : "-",
                                           row->region_id ? row->region_id : "-");
  g_autofree char *team = g_strdup_printf ("%s|team=%s", row->service_name, row_tag (row, "team") ? row_tag (row, "team") : "-");
  g_autofree char *env = g_strdup_printf ("%s|env=%s", row->service_name, row_tag (row, "env") ? row_tag (row, "env") : "-");

  tally (t, cell, row);
  tally (t, team, row);
  tally (t, env, row);
  if (g_str_equal (row->service_name, "EC2") && (row->billed_cost < 0 || row->effective_cost < 0))
    tally (t, "EC2 negative", row);
  return TRUE;
}

static void
assert_tally (GHashTable *t, const char *what, gint64 billed, gint64 effective)
{
  gint64 *v = g_hash_table_lookup (t, what);

  if (v == NULL)
    g_error ("no rows for %s", what);
  if (v[0] != billed || v[1] != effective)
    g_error ("%s: %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " instead of %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
             what, v[0], v[1], billed, effective);
}

static GHashTable *
emit_tagged (gboolean with_tags)
{
  static const TestGroup by_account[] = {
    { "EC2", "111122223333", "10.000001", "9" }, { "EC2", "444455556666", "5.000002", "4.5" },
    { "S3", "111122223333", "1.234567", "1.234567" },
    { "Credit", "111122223333", "-2", "-2" },
    { "Refund", "111122223333", "-1", "-1" }, { "Refund", "444455556666", "1", "1" },
  };
  static const TestGroup by_region[] = {
    { "EC2", "us-east-1", "7.5", "6.5" }, { "EC2", "eu-west-1", "7.500003", "7" },
    { "S3", "us-east-1", "1.234567", "1.234567" },
    { "Credit", "global", "-2", "-2" },
    { "Refund", "global", "0", "0" },
  };
  /* one day split over two pages, as CE may do */
  static const TestGroup team1[] = {
    { "EC2", "team$web", "8.000001", "7" },
  };
  static const TestGroup team2[] = {
    { "EC2", "team$data", "4", "3" }, { "EC2", "team$", "3.000002", "3.5" },
    { "S3", "team$web", "0.5", "0.5" }, { "S3", "team$data", "0.734567", "0.734567" },
    { "Credit", "team$web", "-1.5", "-1.5" }, { "Credit", "team$data", "-0.5", "-0.5" },
    { "Refund", "team$web", "-1", "-1" }, { "Refund", "team$data", "1", "1" },
  };
  /* env disagrees with the other answers for S3 (2 against 1.234567) */
  static const TestGroup env[] = {
    { "EC2", "env$prod", "15.000003", "13.5" },
    { "S3", "env$prod", "1", "1" }, { "S3", "env$dev", "1", "1" },
    { "Credit", "env$", "-2", "-2" },
  };
  static const char * const keys[] = { "team", "env", NULL };
  g_autoptr(CuCeAccum) acc = cu_ce_accum_new ();
  g_autoptr(GError) error = NULL;
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint64 n = 0;

  if (with_tags)
    cu_ce_accum_set_tag_keys (acc, keys);
  {
    g_autoptr(JsonNode) p1 = ce_page ("2024-05-01", by_account, G_N_ELEMENTS (by_account));
    g_autoptr(JsonNode) p2 = ce_page ("2024-05-01", by_region, G_N_ELEMENTS (by_region));
    g_assert_true (cu_ce_accum_add_page (acc, p1, FALSE, &error));
    g_assert_true (cu_ce_accum_add_page (acc, p2, TRUE, &error));
  }
  if (with_tags)
    {
      g_autoptr(JsonNode) p3 = ce_page ("2024-05-01", team1, G_N_ELEMENTS (team1));
      g_autoptr(JsonNode) p4 = ce_page ("2024-05-01", team2, G_N_ELEMENTS (team2));
      g_autoptr(JsonNode) p5 = ce_page ("2024-05-01", env, G_N_ELEMENTS (env));
      g_assert_true (cu_ce_accum_add_tag_page (acc, p3, 0, &error));
      g_assert_true (cu_ce_accum_add_tag_page (acc, p4, 0, &error));
      g_assert_true (cu_ce_accum_add_tag_page (acc, p5, 1, &error));
      /* a group of another key is refused */
      g_assert_false (cu_ce_accum_add_tag_page (acc, p5, 0, &error));
      g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
      g_clear_error (&error);
    }
  g_assert_true (cu_ce_accum_emit_rows (acc, tally_row_cb, t, &n, &error));
  g_assert_no_error (error);
  return t;
}

/* The split by two tag keys keeps every (service, account, region) cell
 * exact and gives every tag value exactly its amount. */
static void
test_ce_tag_split (void)
{
  g_autoptr(GHashTable) plain = emit_tagged (FALSE);
  g_autoptr(GHashTable) tagged = emit_tagged (TRUE);
  GHashTableIter it;
  gpointer k, v;

  /* every account × region cell (and so every account, service and day) is unchanged */
  g_hash_table_iter_init (&it, plain);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (strchr (k, '=') == NULL)
      assert_tally (tagged, k, ((gint64 *) v)[0], ((gint64 *) v)[1]);
  g_hash_table_iter_init (&it, tagged);
  while (g_hash_table_iter_next (&it, &k, NULL))
    g_assert_true (strchr (k, '=') != NULL || g_str_equal (k, "EC2 negative") || g_hash_table_contains (plain, k));
  g_assert_false (g_hash_table_contains (tagged, "EC2 negative"));

  /* several accounts and regions: the tag values get exactly their amounts */
  assert_tally (tagged, "EC2|team=web", 8000001, 7000000);
  assert_tally (tagged, "EC2|team=data", 4000000, 3000000);
  assert_tally (tagged, "EC2|team=-", 3000002, 3500000);
  assert_tally (tagged, "EC2|env=prod", 15000003, 13500000);
  g_assert_false (g_hash_table_contains (tagged, "EC2|env=-"));
  /* 2 accounts × 2 regions × 3 team values, each with env=prod */
  g_assert_cmpint (((gint64 *) g_hash_table_lookup (tagged, "EC2|env=prod"))[2], ==, 12);
  /* the answers disagree: the rows' total in the tag query's proportions */
  assert_tally (tagged, "S3|team=web", 500000, 500000);
  assert_tally (tagged, "S3|team=data", 734567, 734567);
  assert_tally (tagged, "S3|env=dev", 617284, 617284);
  assert_tally (tagged, "S3|env=prod", 617283, 617283);
  /* credits split like charges; an untagged credit stays untagged */
  assert_tally (tagged, "Credit|team=web", -1500000, -1500000);
  assert_tally (tagged, "Credit|team=data", -500000, -500000);
  assert_tally (tagged, "Credit|env=-", -2000000, -2000000);
  /* mixed signs: no meaningful proportion, so no tag */
  assert_tally (tagged, "Refund|team=-", 0, 0);
  g_assert_false (g_hash_table_contains (tagged, "Refund|team=web"));
}


/* ------------------------------------------------ issue 8: exact numbers */

/* Property test of cu_ce_allocate(): for random margins of any sign that
 * agree, every row and column sum is exact and Σ|cell| is the least any
 * matrix with those margins can have, max(Σ|row|, Σ|col|). */
static void
test_ce_allocate (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261204);
  gint64 cells[64];

  for (guint trial = 0; trial < 20000; trial++)
    {
      guint m = g_rand_int_range (rand, 1, 7), n = g_rand_int_range (rand, 1, 7);
      gint64 rows[8], cols[8], sum_r = 0, sum_c = 0, gross_r = 0, gross_c = 0, mass = 0;
      gint64 scale = trial % 3 == 0 ? 1000 : trial % 3 == 1 ? 100000000 : G_GINT64_CONSTANT (1000000000000000);

      for (guint i = 0; i < m; i++)
        {
          rows[i] = g_rand_int_range (rand, -3, 10) * (scale / 10) + g_rand_int_range (rand, -999, 1000);
          if (g_rand_int_range (rand, 0, 5) == 0)
            rows[i] = 0;
          sum_r += rows[i];
        }
      for (guint j = 0; j + 1 < n; j++)
        {
          cols[j] = g_rand_int_range (rand, -3, 10) * (scale / 10) + g_rand_int_range (rand, -999, 1000);
          sum_c += cols[j];
        }
      cols[n - 1] = sum_r - sum_c;   /* the answers agree */
      for (guint i = 0; i < m; i++)
        gross_r += ABS (rows[i]);
      for (guint j = 0; j < n; j++)
        gross_c += ABS (cols[j]);

      g_assert_true (cu_ce_allocate (rows, m, cols, n, cells));
      for (guint i = 0; i < m; i++)
        {
          gint64 s = 0;
          for (guint j = 0; j < n; j++)
            {
              s += cells[i * n + j];
              mass += ABS (cells[i * n + j]);
            }
          g_assert_cmpint (s, ==, rows[i]);
        }
      for (guint j = 0; j < n; j++)
        {
          gint64 s = 0;
          for (guint i = 0; i < m; i++)
            s += cells[i * n + j];
          g_assert_cmpint (s, ==, cols[j]);
        }
      g_assert_cmpint (mass, ==, MAX (gross_r, gross_c));
    }

  /* the credit case of the issue: accounts (−10, 45), regions (−20, 55) */
  {
    const gint64 acc[] = { -10, 45 }, reg[] = { -20, 55 };
    g_assert_true (cu_ce_allocate (acc, 2, reg, 2, cells));
    g_assert_cmpint (cells[0] + cells[1], ==, -10);
    g_assert_cmpint (cells[2] + cells[3], ==, 45);
    g_assert_cmpint (cells[0] + cells[2], ==, -20);
    g_assert_cmpint (cells[1] + cells[3], ==, 55);
    /* regions are the grosser side: each keeps one sign */
    g_assert_cmpint (cells[0], <=, 0);
    g_assert_cmpint (cells[2], <=, 0);
    g_assert_cmpint (cells[1], >=, 0);
    g_assert_cmpint (cells[3], >=, 0);
  }
  /* no credits: the proportional split, exact on both sides */
  {
    const gint64 acc[] = { 10000001, 5000002 }, reg[] = { 7500000, 7500003 };
    g_assert_true (cu_ce_allocate (acc, 2, reg, 2, cells));
    g_assert_cmpint (ABS (cells[0] - 5000000), <=, 2);
    g_assert_cmpint (ABS (cells[3] - 2500001), <=, 2);
  }
  /* refused, never aborted: totals that differ, sums beyond 64 bits */
  {
    const gint64 a[] = { 5, 3 }, b[] = { 7 };
    const gint64 huge[] = { G_GINT64_CONSTANT (6000000000000000000), G_GINT64_CONSTANT (6000000000000000000) };
    const gint64 huge_neg[] = { G_GINT64_CONSTANT (6000000000000000000), G_GINT64_CONSTANT (-6000000000000000000) };
    const gint64 zero[] = { 0, 0 };
    g_assert_false (cu_ce_allocate (a, 2, b, 1, cells));
    g_assert_false (cu_ce_allocate (huge, 2, huge, 2, cells));
    /* the gross amount 1.2e19 does not fit, although the net is 0 */
    g_assert_false (cu_ce_allocate (huge_neg, 2, zero, 2, cells));
    g_assert_false (cu_ce_allocate (a, 0, b, 1, cells));
  }
}

/* (day, service, SubAccountId or RegionId) → [billed, effective] of the ledger */
static GHashTable *
ledger_cells (const char *ws, const char *column)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT ChargePeriodStart, ServiceName, COALESCE(%s, '-'), SUM(BilledCost),"
                                          " SUM(EffectiveCost) FROM cost_rows GROUP BY 1, 2, 3", column);
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 *v = g_new (gint64, 2);
      v[0] = sqlite3_column_int64 (stmt, 3);
      v[1] = sqlite3_column_int64 (stmt, 4);
      g_hash_table_insert (t, g_strdup_printf ("%.10s|%s|%s", sqlite3_column_text (stmt, 0),
                                               sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2)), v);
    }
  sqlite3_finalize (stmt);
  return t;
}

static void
assert_cell (GHashTable *t, CuDay day, const char *service, const char *who, gint64 billed, gint64 effective)
{
  char d[11];
  g_autofree char *key = NULL;
  gint64 *v;

  cu_day_format (day, d);
  key = g_strdup_printf ("%s|%s|%s", d, service, who);
  v = g_hash_table_lookup (t, key);
  if ((v ? v[0] : 0) != billed || (v ? v[1] : 0) != effective)
    g_error ("%s: ledger %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT ", Cost Explorer %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
             key, v ? v[0] : 0, v ? v[1] : 0, billed, effective);
}

/* Issue 8 item 2: with a promotional credit, tax and support (and a
 * refund), every (day, service, account) and every (day, service, region)
 * total in the ledger is exactly what Cost Explorer returned. */
static void
test_aws_credits (void)
{
  static const char * const services[] = {
    "Amazon Elastic Compute Cloud - Compute", "Amazon Relational Database Service",
    "Amazon Simple Storage Service", "AWS Lambda", "Tax", "AWS Support (Business)",
  };
  static const char * const accounts[] = { "111122223333", "444455556666" };
  static const char * const regions[] = { "us-east-1", "eu-west-1", "global" };
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r = NULL;
  g_autoptr(GHashTable) by_account = NULL, by_region = NULL;
  CuDay first, last;
  guint negative_days = 0;

  cu_mock_cloud_set_version (mock, 0);
  cu_mock_cloud_set_credits (mock, TRUE);
  add_aws_keys (ws, "aws-credits", KEY_A, SECRET_A, NULL);
  r = sync_ok (ws, "aws-credits");
  g_assert_true (cu_day_parse (r->first_day, &first));
  g_assert_true (cu_day_parse (r->last_day, &last));

  by_account = ledger_cells (ws, "SubAccountId");
  by_region = ledger_cells (ws, "RegionId");
  for (CuDay d = first; d <= last; d++)
    for (guint s = 0; s < G_N_ELEMENTS (services); s++)
      {
        for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
          assert_cell (by_account, d, services[s], accounts[a],
                       cu_mock_cloud_aws_cell_total (mock, d, services[s], accounts[a], NULL, FALSE),
                       cu_mock_cloud_aws_cell_total (mock, d, services[s], accounts[a], NULL, TRUE));
        for (guint g = 0; g < G_N_ELEMENTS (regions); g++)
          assert_cell (by_region, d, services[s], regions[g],
                       cu_mock_cloud_aws_cell_total (mock, d, services[s], NULL, regions[g], FALSE),
                       cu_mock_cloud_aws_cell_total (mock, d, services[s], NULL, regions[g], TRUE));
        /* every dollar has its region: nothing booked without one */
        assert_cell (by_region, d, services[s], "-", 0, 0);
        if (s == 0 && cu_mock_cloud_aws_cell_total (mock, d, services[s], accounts[0], NULL, FALSE) < 0)
          negative_days++;
      }
  /* the credit really made the account's EC2 day negative, and the tax and
   * support days exist */
  g_assert_cmpuint (negative_days, >=, 10);
  assert_cell (by_account, cu_day_month_start (last), "AWS Support (Business)", accounts[1], -5000000, -5000000);
  g_assert_cmpint (cu_mock_cloud_aws_cell_total (mock, cu_day_month_end (first), "Tax", NULL, NULL, FALSE), >, 0);
  cu_mock_cloud_set_credits (mock, FALSE);
}

static void
assert_ce_refused (const char *json, gboolean by_region)
{
  g_autoptr(CuCeAccum) acc = cu_ce_accum_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = json_from_string (json, &error);
  guint64 n = 0;
  gint64 sum = 0;

  g_assert_no_error (error);
  if (cu_ce_accum_add_page (acc, page, by_region, &error))
    g_assert_false (cu_ce_accum_emit_rows (acc, sum_rows_cb, &sum, &n, &error));
  g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
}

/* Issue 8 fuzzing defects in the Cost Explorer parser: each answer is a
 * clear error, never a GLib CRITICAL (fatal here) nor an abort. */
static void
test_ce_hostile (void)
{
  static const char * const shapes[] = {
    "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":[{\"Keys\":[\"EC2\",\"1\"],"
    "\"Metrics\":{\"UnblendedCost\":\"12\"}}]}]}",
    "{\"ResultsByTime\":[{\"Groups\":[]}]}",
    "{\"ResultsByTime\":[{\"TimePeriod\":\"2024-05-01\"}]}",
    "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":[{\"Keys\":\"EC2\"}]}]}",
    "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":[{\"Keys\":[1,2]}]}]}",
    "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":{}}]}",
    "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":[{\"Keys\":[\"EC2\"],"
    "\"Metrics\":[]}]}]}",
    "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":[{\"Keys\":[\"EC2\"],"
    "\"Metrics\":{\"UnblendedCost\":{\"Amount\":12}}}]}]}",
    "{\"ResultsByTime\":{}}",
    "{\"ResultsByTime\":[7]}",
    "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"99999-05-01\"}}]}",
    /* an amount beyond the ledger's range */
    "{\"ResultsByTime\":[{\"TimePeriod\":{\"Start\":\"2024-05-01\"},\"Groups\":[{\"Keys\":[\"EC2\",\"1\"],"
    "\"Metrics\":{\"UnblendedCost\":{\"Amount\":\"9223372036854.7758075\"}}}]}]}",
  };
  /* amounts near 6e12 per group: fine one by one, beyond 64 bits in sum */
  static const TestGroup big_acc[] = {
    { "EC2", "111122223333", "6000000000000", "1" }, { "EC2", "444455556666", "6000000000000", "1" },
  };
  static const TestGroup big_reg[] = {
    { "EC2", "us-east-1", "6000000000000", "1" }, { "EC2", "eu-west-1", "6000000000000", "1" },
  };
  static const TestGroup big_tag[] = {
    { "EC2", "team$web", "6000000000000", "1" }, { "EC2", "team$data", "6000000000000", "1" },
  };
  static const char * const keys[] = { "team", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    assert_ce_refused (shapes[i], FALSE);

  for (guint with_tags = 0; with_tags < 2; with_tags++)
    {
      g_autoptr(CuCeAccum) acc = cu_ce_accum_new ();
      g_autoptr(JsonNode) p1 = ce_page ("2024-05-01", big_acc, G_N_ELEMENTS (big_acc));
      g_autoptr(JsonNode) p2 = ce_page ("2024-05-01", big_reg, G_N_ELEMENTS (big_reg));
      g_autoptr(JsonNode) p3 = ce_page ("2024-05-01", big_tag, G_N_ELEMENTS (big_tag));
      g_autoptr(GError) error = NULL;
      gint64 sum = 0;
      guint64 n = 0;

      if (with_tags)
        cu_ce_accum_set_tag_keys (acc, keys);
      g_assert_true (cu_ce_accum_add_page (acc, p1, FALSE, &error));
      g_assert_true (cu_ce_accum_add_page (acc, with_tags ? p1 : p2, with_tags ? FALSE : TRUE, &error) || error);
      g_clear_error (&error);
      if (with_tags)
        g_assert_true (cu_ce_accum_add_tag_page (acc, p3, 0, &error));
      g_assert_false (cu_ce_accum_emit_rows (acc, sum_rows_cb, &sum, &n, &error));
      g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
    }

  /* empty and whitespace bodies are no JSON object */
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (cu_json_parse_object ("", 0, &error));
    g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
    g_clear_error (&error);
    g_assert_null (cu_json_parse_object (" \n\t ", 4, &error));
    g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
    g_clear_error (&error);
    g_assert_null (cu_json_parse_object ("[1]", 3, &error));
    g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
  }
}

static gboolean
tally_azure_cb (const CuCostRow *row, gpointer data, GError **error)
{
  gint64 *sums = data;

  sums[0] += row->billed_cost;
  sums[1] += row->effective_cost;
  return TRUE;
}

static gboolean
azure_body (const char *body, gint64 *billed, GError **error)
{
  g_autoptr(CuAzureCosts) costs = cu_azure_costs_new (AZ_SUB);
  gint64 sums[2] = { 0, 0 };

  if (!cu_azure_costs_add_body (costs, body, strlen (body), FALSE, cu_day_from_ymd (2000, 1, 1),
                                cu_day_from_ymd (2100, 1, 1), error) ||
      !cu_azure_costs_emit_rows (costs, tally_azure_cb, sums, NULL, error))
    return FALSE;
  if (billed)
    *billed = sums[0];
  return TRUE;
}

#define AZ_COLS "{\"properties\":{\"columns\":[{\"name\":\"Cost\"},{\"name\":\"UsageDate\"},{\"name\":\"ServiceName\"}," \
                "{\"name\":\"ResourceLocation\"},{\"name\":\"Currency\"}],\"rows\":"

/* Issue 8 items 4 and the Azure fuzzing defects: costs are read as exact
 * decimals; every hostile answer is a clear error. */
static void
test_azure_hostile (void)
{
  static const char * const refused[] = {
    AZ_COLS "[[9300000000000,20240501,\"VM\",\"eastus\",\"USD\"]]}}",                /* 9.3e12 */
    AZ_COLS "[[5000000000000,20240501,\"VM\",\"eastus\",\"USD\"],"
            "[5000000000000,20240501,\"VM\",\"eastus\",\"USD\"]]}}",                 /* the sum */
    AZ_COLS "[[1,99999999999999,\"VM\",\"eastus\",\"USD\"]]}}",                       /* huge UsageDate */
    AZ_COLS "[[1,20241301,\"VM\",\"eastus\",\"USD\"]]}}",
    AZ_COLS "[[1,20240501]]}}",                                                       /* too short */
    AZ_COLS "[[1,20240501,\"VM\",\"eastus\"]]}}",
    AZ_COLS "[[1,20240501,{},\"eastus\",\"USD\"]]}}",
    AZ_COLS "[[true,20240501,\"VM\",\"eastus\",\"USD\"]]}}",
    AZ_COLS "[7]}}",
    AZ_COLS "{}}}",
    "{\"properties\":{\"columns\":{},\"rows\":[]}}",
    "{\"properties\":{\"columns\":[7],\"rows\":[]}}",
    "{\"properties\":[]}",
    "{\"id\":\"x\"}",
    "[]",
    "",
    "   \n",
    "{\"properties\":{\"rows\":[], \"nextLink\": {}}}",
  };
  gint64 billed = 0;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      if (azure_body (refused[i], NULL, &error))
        g_error ("accepted: %s", refused[i]);
      g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
      g_clear_error (&error);
    }

  /* exact decimals: half a micro-unit rounds up every time; exponents; a
   * sum a double would not carry exactly */
  g_assert_true (azure_body (AZ_COLS "[[0.0000125,20240501,\"VM\",\"eastus\",\"USD\"],"
                             "[1.25E-05,20240502,\"VM\",\"eastus\",\"USD\"],"
                             "[4503599627.3704965,20240503,\"VM\",\"eastus\",\"USD\"],"
                             "[-0.0000015,20240504,\"VM\",null,\"USD\"]]}}", &billed, &error));
  g_assert_no_error (error);
  /* halves round away from zero, as cu_money_parse() does everywhere */
  g_assert_cmpint (billed, ==, 13 + 13 + G_GINT64_CONSTANT (4503599627370497) - 2);
  /* a separator in a service name stays in the service name */
  {
    g_autoptr(CuAzureCosts) costs = cu_azure_costs_new (AZ_SUB);
    const char *body = AZ_COLS "[[1,20240501,\"VM\\u001feastus\",\"x\",\"USD\"],[2,20240501,\"VM\",\"eastus\\u001fx\",\"USD\"]]}}";
    guint64 n = 0;
    gint64 sums[2] = { 0, 0 };

    g_assert_true (cu_azure_costs_add_body (costs, body, strlen (body), FALSE, cu_day_from_ymd (2000, 1, 1),
                                            cu_day_from_ymd (2100, 1, 1), &error));
    g_assert_true (cu_azure_costs_emit_rows (costs, tally_azure_cb, sums, &n, &error));
    g_assert_cmpuint (n, ==, 2);
  }

  /* the ranges: at most one year each, contiguous */
  {
    CuDay first = cu_day_from_ymd (2023, 12, 1), last = cu_day_from_ymd (2024, 12, 19);
    g_autoptr(GArray) ranges = cu_azure_plan_ranges (first, last);
    CuDay next = first;

    g_assert_cmpuint (ranges->len, ==, 2);
    for (guint i = 0; i < ranges->len; i++)
      {
        CuDayRange *rg = &g_array_index (ranges, CuDayRange, i);
        g_assert_cmpint (rg->first, ==, next);
        g_assert_cmpint (rg->last, <=, cu_day_add_months (rg->first, 12) - 1);
        g_assert_cmpint (rg->last - rg->first, <, 365);
        next = rg->last + 1;
      }
    g_assert_cmpint (next, ==, last + 1);
  }
}

/* The mock refuses a query over more than a year as Azure does, so the
 * 13-month query the sync used to send fails. */
static void
test_azure_year_limit (void)
{
  g_autoptr(CuHttp) http = cu_http_new ();
  g_autoptr(CuAzureClient) client = cu_azure_client_new (http, AZ_TENANT, AZ_CLIENT, AZ_SECRET);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  CuDay today = cu_day_today ();
  guint n = 0;

  cu_mock_cloud_reset_counts (mock);
  body = cu_azure_build_query ("ActualCost", cu_day_add_months (cu_day_month_start (today), -12), today - 1);
  if (cu_day_month_start (today) != today)
    {
      g_assert_false (cu_azure_client_query (client, "subscriptions/" AZ_SUB, body, az_count_cb, &n, NULL, NULL, &error));
      g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_API);
      g_assert_nonnull (strstr (error->message, "cannot exceed 1 year(s)"));
      g_assert_cmpuint (cu_mock_cloud_count (mock, "azure-query-too-long"), ==, 1);
    }
}

/* A token answer whose expires_in is INT64_MAX: the lifetime is clamped,
 * so one token serves the whole sync (an overflowing expiry made every
 * query fetch a new token). */
static void
test_azure_token_lifetime (void)
{
  g_autofree char *ws = new_workspace ();
  g_autoptr(CuSyncResult) r = NULL;

  add_azure (ws, "az-lifetime", AZ_TENANT, AZ_SECRET);
  cu_mock_cloud_reset_counts (mock);
  cu_mock_cloud_add_fault (mock, "azure-token", CU_MOCK_WRONG_SHAPE, 0, 5, 0);
  r = sync_ok (ws, "az-lifetime");
  cu_mock_cloud_clear_faults (mock);
  g_assert_cmpuint (r->n_billable_requests, >, 4);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "azure-token-ok"), ==, 1);

  /* a token with a line break never reaches a header */
  {
    g_autoptr(CuSyncResult) bad = NULL;
    g_autoptr(GError) error = NULL;

    cu_mock_cloud_add_fault (mock, "azure-token", CU_MOCK_WRONG_SHAPE, 0, 20, 1);
    g_assert_false (cu_sync_account (ws, "az-lifetime", NULL, NULL, &bad, NULL, &error));
    cu_mock_cloud_clear_faults (mock);
    g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
    g_assert_false (cu_http_is_token ("a\r\nb"));
    g_assert_false (cu_http_is_token (""));
    g_assert_true (cu_http_is_token ("eyJ0eXAi.eyJhdWQi.sig-_"));
  }
}

/* Answers of the wrong shape fail the sync with a clear error and a
 * failed batch; nothing is written. */
static void
test_wrong_shape_sync (void)
{
  /* CE: metric not an object, no TimePeriod, Keys not an array, a
   * whitespace body, amounts whose sum does not fit; Azure: no properties, columns not an array, a short
   * row, a whitespace body */
  static const guint params[][2] = { { 1, 0 }, { 1, 1 }, { 1, 2 }, { 1, 4 }, { 1, 5 },
                                     { 0, 0 }, { 0, 1 }, { 0, 2 }, { 0, 3 } };

  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    {
      g_autofree char *ws = new_workspace ();
      g_autofree char *name = g_strdup_printf ("shape-%u", i);
      g_autoptr(CuSyncResult) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CuBatch) batch = NULL;
      gboolean aws = params[i][0];

      if (aws)
        add_aws_keys (ws, name, KEY_A, SECRET_A, NULL);
      else
        add_azure (ws, name, AZ_TENANT, AZ_SECRET);
      cu_mock_cloud_add_fault (mock, aws ? "ce" : "azure-query", CU_MOCK_WRONG_SHAPE, 0, 20, params[i][1]);
      g_assert_false (cu_sync_account (ws, name, NULL, NULL, &r, NULL, &error));
      cu_mock_cloud_clear_faults (mock);
      g_assert_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, "unexpected answer"));
      g_assert_false (r->ok);
      g_assert_cmpint (ledger_sums (ws, name, NULL).rows, ==, 0);
      batch = last_batch (ws, name);
      g_assert_cmpstr (batch->status, ==, "failed");
    }
}

static GHashTable *
costs_csv (const char *ws, const char *group_by)
{
  const char *args[] = { "--workspace", ws, "costs", "--format", "csv", group_by ? "--group-by" : NULL, group_by, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_cmpint (run_cli (args, NULL, &out, NULL, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "period,group,billed_cost,effective_cost,currency");
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 5);
      g_hash_table_insert (t, g_strdup (f[1]), g_strdup_printf ("%s,%s", f[2], f[3]));
    }
  return t;
}

static void
assert_tag_rollup (const char *ws, const char *key, const char * const *values, CuDay first, CuDay last)
{
  g_autofree char *group = g_strdup_printf ("tag:%s", key);
  g_autoptr(GHashTable) got = costs_csv (ws, group);
  g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
  g_autofree char *path = g_strdup_printf ("$.\"%s\"", key);
  guint n = 0;

  for (guint i = 0; values[i]; i++)
    {
      const char *value = *values[i] ? values[i] : NULL;
      gint64 billed = cu_mock_cloud_aws_tag_total (mock, first, last, key, value, FALSE);
      gint64 effective = cu_mock_cloud_aws_tag_total (mock, first, last, key, value, TRUE);
      g_autofree char *b = cu_money_format_plain (billed, 2);
      g_autofree char *e = cu_money_format_plain (effective, 2);
      g_autofree char *want = g_strdup_printf ("%s,%s", b, e);
      sqlite3_stmt *stmt = NULL;

      /* to the cent through the CLI … */
      g_assert_cmpstr (g_hash_table_lookup (got, value ? value : "(untagged)"), ==, want);
      n++;
      /* … and to the micro-unit in the ledger */
      g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                       "SELECT COALESCE(SUM(BilledCost),0), COALESCE(SUM(EffectiveCost),0) FROM cost_rows"
                       " WHERE (?2 IS NULL AND json_extract(Tags, ?1) IS NULL) OR json_extract(Tags, ?1) = ?2",
                       -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, path, -1, SQLITE_STATIC);
      if (value)
        sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, billed);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, effective);
      sqlite3_finalize (stmt);
    }
  g_assert_cmpuint (g_hash_table_size (got), ==, n);
}

/* (day, service, account, region) sums of two workspaces' rows are equal */
static void
assert_same_cells (const char *ws_a, const char *ws_b)
{
  const char *sql = "SELECT group_concat(x, ';') FROM (SELECT ChargePeriodStart || '|' || ServiceName || '|' ||"
                    " COALESCE(SubAccountId,'') || '|' || COALESCE(RegionId,'') || '|' || SUM(BilledCost) || '|' ||"
                    " SUM(EffectiveCost) AS x FROM cost_rows GROUP BY ChargePeriodStart, ServiceName, SubAccountId,"
                    " RegionId ORDER BY 1)";
  g_autofree char *a = NULL, *b = NULL;
  const char *ws[] = { ws_a, ws_b };
  char **out[] = { &a, &b };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CuLedger) ledger = cu_ledger_open (ws[i], NULL);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      *out[i] = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
    }
  g_assert_nonnull (a);
  g_assert_true (g_str_equal (a, b));
}

static void
set_tags_cli (const char *ws, const char *name, const char *keys)
{
  const char *args[] = { "--workspace", ws, "account", "set-tags", name, keys, NULL };
  g_assert_cmpint (run_cli (args, NULL, NULL, NULL, NULL), ==, 0);
}

static void
test_aws_cost_tags (void)
{
  g_autofree char *ws_plain = new_workspace ();
  g_autofree char *ws_tags = new_workspace ();
  g_autoptr(CuSyncResult) r0 = NULL, r1 = NULL, r2 = NULL, r2p = NULL, r3 = NULL, r4 = NULL;
  static const char * const team_values[] = { "web", "data science", "", NULL };
  static const char * const env_values[] = { "prod", "dev", "test", "", NULL };
  static const char * const team[] = { "team", NULL };
  guint tag_pages;
  CuDay first, last;

  add_aws_keys (ws_plain, "plain", KEY_A, SECRET_A, NULL);
  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (ws_tags, NULL);
    g_autoptr(GError) error = NULL;
    CuAccountSpec spec = { .name = "tagged", .kind = "aws-keys", .access_key_id = KEY_A,
                           .secret = SECRET_A, .cost_tags = team };
    g_assert_cmpint (cu_accounts_add (ledger, &spec, NULL, &error), >, 0);
    g_assert_no_error (error);
  }

  cu_mock_cloud_set_version (mock, 0);
  cu_mock_cloud_reset_counts (mock);
  r0 = sync_ok (ws_plain, "plain");
  g_assert_cmpuint (r0->n_tag_requests, ==, 0);
  g_assert_cmpuint (cu_mock_cloud_count (mock, "ce-tag"), ==, 0);

  cu_mock_cloud_reset_counts (mock);
  r1 = sync_ok (ws_tags, "tagged");
  g_assert_false (r1->incremental);
  g_assert_cmpuint (r1->n_cost_tags, ==, 1);
  tag_pages = cu_mock_cloud_count (mock, "ce-tag");
  g_assert_cmpuint (tag_pages, >, 1);   /* the tag query is paged too */
  g_assert_cmpuint (r1->n_tag_requests, ==, tag_pages);
  g_assert_cmpuint (r1->n_billable_requests, ==, r0->n_billable_requests + tag_pages);
  g_assert_cmpuint (r1->n_billable_requests, ==, cu_mock_cloud_count (mock, "ce"));
  g_assert_cmpint (r1->request_cost_micros, ==, r1->n_billable_requests * 10000);
  g_assert_cmpuint (r1->n_rows, >, r0->n_rows);
  g_printerr ("# first sync, no tags: %u Cost Explorer requests, %" G_GUINT64_FORMAT " rows\n",
              r0->n_billable_requests, r0->n_rows);
  g_printerr ("# first sync, tag key team: %u Cost Explorer requests (%u for the tag), %" G_GUINT64_FORMAT " rows\n",
              r1->n_billable_requests, r1->n_tag_requests, r1->n_rows);

  g_assert_true (cu_day_parse (r1->first_day, &first));
  g_assert_true (cu_day_parse (r1->last_day, &last));
  /* totals per account, and per (day, service, account, region), exact */
  assert_aws_reconciles (ws_tags, "tagged", r1, first);
  assert_same_cells (ws_plain, ws_tags);
  /* the grand total equals the untagged sync's */
  {
    g_autoptr(GHashTable) a = costs_csv (ws_plain, NULL);
    g_autoptr(GHashTable) b = costs_csv (ws_tags, NULL);
    g_assert_cmpuint (g_hash_table_size (a), ==, 1);
    g_assert_nonnull (g_hash_table_lookup (a, ""));
    g_assert_cmpstr (g_hash_table_lookup (a, ""), ==, g_hash_table_lookup (b, ""));
  }
  /* the tag rollups match the mock's per-tag totals */
  assert_tag_rollup (ws_tags, "team", team_values, first, last);

  /* a daily resync: one more request for the tag (one page) */
  cu_mock_cloud_set_version (mock, 1);
  cu_mock_cloud_reset_counts (mock);
  r2 = sync_ok (ws_tags, "tagged");
  g_assert_true (r2->incremental);
  g_assert_cmpuint (r2->n_tag_requests, ==, cu_mock_cloud_count (mock, "ce-tag"));
  r2p = sync_ok (ws_plain, "plain");
  g_assert_true (r2p->incremental);
  g_assert_cmpuint (r2->n_billable_requests, ==, r2p->n_billable_requests + r2->n_tag_requests);
  g_assert_cmpuint (r2->n_billable_requests, ==, 3);
  g_printerr ("# daily resync (%u days): %u Cost Explorer requests without tags, %u with tag key team\n",
              r2->n_days, r2p->n_billable_requests, r2->n_billable_requests);
  assert_aws_reconciles (ws_tags, "tagged", r2, first);
  assert_same_cells (ws_plain, ws_tags);
  assert_tag_rollup (ws_tags, "team", team_values, first, last);

  /* another selection: the next sync fetches the whole window again */
  set_tags_cli (ws_tags, "tagged", "team,env");
  cu_mock_cloud_reset_counts (mock);
  r3 = sync_ok (ws_tags, "tagged");
  g_assert_false (r3->incremental);
  g_assert_cmpuint (r3->n_cost_tags, ==, 2);
  g_assert_cmpuint (r3->n_tag_requests, ==, cu_mock_cloud_count (mock, "ce-tag"));
  g_assert_cmpuint (r3->n_billable_requests, ==, r0->n_billable_requests + r3->n_tag_requests);
  g_printerr ("# first sync, tag keys team and env: %u Cost Explorer requests, %" G_GUINT64_FORMAT " rows\n",
              r3->n_billable_requests, r3->n_rows);
  assert_aws_reconciles (ws_tags, "tagged", r3, first);
  assert_tag_rollup (ws_tags, "team", team_values, first, last);
  assert_tag_rollup (ws_tags, "env", env_values, first, last);

  /* cleared: untagged rows again, same totals */
  set_tags_cli (ws_tags, "tagged", "");
  r4 = sync_ok (ws_tags, "tagged");
  g_assert_false (r4->incremental);
  g_assert_cmpuint (r4->n_tag_requests, ==, 0);
  g_assert_cmpuint (r4->n_rows, ==, r0->n_rows);
  assert_aws_reconciles (ws_tags, "tagged", r4, first);
  {
    g_autoptr(GHashTable) got = costs_csv (ws_tags, "tag:team");
    g_assert_cmpuint (g_hash_table_size (got), ==, 1);
    g_assert_true (g_hash_table_contains (got, "(untagged)"));
  }
  cu_mock_cloud_set_version (mock, 0);
}

static JsonArray *
list_json (const char *ws, JsonNode **root)
{
  const char *args[] = { "--workspace", ws, "account", "list", "--json", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_cli (args, NULL, &out, NULL, NULL), ==, 0);
  *root = json_from_string (out, &error);
  g_assert_no_error (error);
  return json_object_get_array_member (json_node_get_object (*root), "accounts");
}

static char *
tags_of (JsonArray *accounts, const char *name)
{
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *o = json_array_get_object_element (accounts, i);
      if (g_str_equal (json_object_get_string_member (o, "name"), name))
        {
          JsonArray *tags = json_object_get_array_member (o, "cost_tags");
          g_autoptr(GString) s = g_string_new (NULL);

          g_assert_nonnull (tags);
          for (guint t = 0; t < json_array_get_length (tags); t++)
            g_string_append_printf (s, "%s%s", t ? "," : "", json_array_get_string_element (tags, t));
          return g_string_free (g_steal_pointer (&s), FALSE);
        }
    }
  g_assert_not_reached ();
}

static void
test_cli_cost_tags (void)
{
  g_autofree char *ws = new_workspace ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *tags = NULL;
  JsonArray *arr;

  {
    const char *args[] = { "--workspace", ws, "account", "add", "--name", "ct-aws", "--kind", "aws-keys",
                           "--access-key-id", KEY_A, "--cost-tags", "team, env", "--secret-stdin", NULL };
    g_assert_cmpint (run_cli (args, SECRET_A "\n", &out, NULL, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "team, env"));
    g_clear_pointer (&out, g_free);
  }
  {
    const char *args[] = { "--workspace", ws, "account", "add", "--name", "ct-role", "--kind", "aws-role",
                           "--role-arn", ROLE_ARN, "--external-id", EXT_ID, "--source", "ct-aws",
                           "--cost-tags", "aws:createdBy", NULL };
    g_assert_cmpint (run_cli (args, NULL, NULL, NULL, NULL), ==, 0);
  }
  {
    const char *args[] = { "--workspace", ws, "account", "add", "--name", "ct-plain", "--kind", "aws-keys",
                           "--access-key-id", KEY_B, "--secret-stdin", NULL };
    g_assert_cmpint (run_cli (args, SECRET_B "\n", NULL, NULL, NULL), ==, 0);
  }
  {
    const char *args[] = { "--workspace", ws, "account", "add", "--name", "ct-az", "--kind", "azure-sp",
                           "--tenant", AZ_TENANT, "--client-id", AZ_CLIENT, "--subscription", AZ_SUB,
                           "--secret-stdin", NULL };
    g_assert_cmpint (run_cli (args, AZ_SECRET "\n", NULL, NULL, NULL), ==, 0);
  }

  arr = list_json (ws, &root);
  tags = tags_of (arr, "ct-aws");
  g_assert_cmpstr (tags, ==, "team,env");
  g_clear_pointer (&tags, g_free);
  tags = tags_of (arr, "ct-role");
  g_assert_cmpstr (tags, ==, "aws:createdBy");
  g_clear_pointer (&tags, g_free);
  tags = tags_of (arr, "ct-plain");
  g_assert_cmpstr (tags, ==, "");
  g_clear_pointer (&tags, g_free);
  tags = tags_of (arr, "ct-az");
  g_assert_cmpstr (tags, ==, "");
  g_clear_pointer (&tags, g_free);
  g_clear_pointer (&root, json_node_unref);
  {
    const char *args[] = { "--workspace", ws, "account", "list", NULL };
    g_assert_cmpint (run_cli (args, NULL, &out, NULL, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "cost tags: team, env"));
    g_assert_nonnull (strstr (out, "cost tags: aws:createdBy"));
    g_clear_pointer (&out, g_free);
  }

  /* set-tags round-trips, keeps the rest of the config, and "" clears */
  set_tags_cli (ws, "ct-plain", "cost center,Team");
  set_tags_cli (ws, "ct-aws", "");
  arr = list_json (ws, &root);
  tags = tags_of (arr, "ct-plain");
  g_assert_cmpstr (tags, ==, "cost center,Team");
  g_clear_pointer (&tags, g_free);
  tags = tags_of (arr, "ct-aws");
  g_assert_cmpstr (tags, ==, "");
  g_clear_pointer (&tags, g_free);
  g_clear_pointer (&root, json_node_unref);
  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (ws, NULL);
    g_autoptr(CuAccount) a = cu_ledger_get_account (ledger, "ct-plain", NULL);
    g_autofree char *key_id = cu_accounts_config_get (a, "access_key_id");
    g_auto(GStrv) got = cu_accounts_get_cost_tags (a);
    g_assert_cmpstr (key_id, ==, KEY_B);
    g_assert_cmpuint (g_strv_length (got), ==, 2);
    g_assert_cmpstr (got[0], ==, "cost center");
  }
  {
    const char *args[] = { "--workspace", ws, "account", "set-tags", "ct-plain", "cost center,Team", NULL };
    g_assert_cmpint (run_cli (args, NULL, &out, NULL, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "unchanged"));
    g_clear_pointer (&out, g_free);
  }

  /* usage errors exit 2 */
  {
    const char *bad_keys[] = { "", ",", "team,,env", "te$am", "team$", "$", "team,team", " ", "a,b,c,d,e,f",
                               "bad\x01key", NULL };
    for (guint i = 0; bad_keys[i]; i++)
      {
        const char *set[] = { "--workspace", ws, "account", "set-tags", "ct-plain", bad_keys[i], NULL };
        const char *add[] = { "--workspace", ws, "account", "add", "--name", "ct-bad", "--kind", "aws-keys",
                              "--access-key-id", KEY_B, "--cost-tags", bad_keys[i], "--secret-stdin", NULL };

        /* "" clears with set-tags and means none with add */
        if (*bad_keys[i] == '\0')
          continue;
        if (run_cli (set, NULL, NULL, &err, NULL) != 2)
          g_error ("set-tags “%s” is not a usage error", bad_keys[i]);
        g_assert_nonnull (strstr (err, "set-tags"));
        g_clear_pointer (&err, g_free);
        if (run_cli (add, "x\n", NULL, NULL, NULL) != 2)
          g_error ("add --cost-tags “%s” is not a usage error", bad_keys[i]);
      }
  }
  {
    const char *missing[] = { "--workspace", ws, "account", "set-tags", "ct-plain", NULL };
    const char *extra[] = { "--workspace", ws, "account", "set-tags", "ct-plain", "a", "b", NULL };
    const char *az_add[] = { "--workspace", ws, "account", "add", "--name", "ct-az2", "--kind", "azure-sp",
                             "--tenant", AZ_TENANT, "--client-id", AZ_CLIENT, "--subscription", AZ_SUB,
                             "--cost-tags", "team", "--secret-stdin", NULL };
    g_assert_cmpint (run_cli (missing, NULL, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (extra, NULL, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (run_cli (az_add, "x\n", NULL, NULL, NULL), ==, 2);
  }
  /* runtime errors exit 1: no such account, not an AWS account */
  {
    const char *none[] = { "--workspace", ws, "account", "set-tags", "nope", "team", NULL };
    const char *az[] = { "--workspace", ws, "account", "set-tags", "ct-az", "team", NULL };
    g_assert_cmpint (run_cli (none, NULL, NULL, NULL, NULL), ==, 1);
    g_assert_cmpint (run_cli (az, NULL, NULL, &err, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "AWS"));
    g_clear_pointer (&err, g_free);
  }
  /* the failed adds left nothing behind */
  arr = list_json (ws, &root);
  g_assert_cmpuint (json_array_get_length (arr), ==, 4);
  {
    const char *help[] = { "account", "--help", NULL };
    g_assert_cmpint (run_cli (help, NULL, &out, NULL, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "account set-tags NAME KEY[,KEY…]"));
    g_assert_nonnull (strstr (out, "--cost-tags"));
  }
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("CUMULUS_CLI");
  g_assert_nonnull (cli);

  /* fast retries and a short time-out for the fault tests */
  g_setenv ("CUMULUS_HTTP_BACKOFF_MS", "20", TRUE);
  g_setenv ("CUMULUS_HTTP_TIMEOUT", "2", TRUE);
  g_setenv ("CUMULUS_HTTP_MAX_ATTEMPTS", "4", TRUE);
  g_unsetenv ("https_proxy");
  g_unsetenv ("http_proxy");
  g_unsetenv ("all_proxy");

  mock = cu_mock_cloud_new ();
  g_setenv ("CUMULUS_AWS_ENDPOINT", cu_mock_cloud_get_url (mock), TRUE);
  g_setenv ("CUMULUS_AZURE_ENDPOINT", cu_mock_cloud_get_url (mock), TRUE);
  g_setenv ("CUMULUS_AZURE_LOGIN_ENDPOINT", cu_mock_cloud_get_url (mock), TRUE);
  cu_mock_cloud_add_aws_user (mock, KEY_A, SECRET_A);
  cu_mock_cloud_add_aws_user (mock, KEY_B, SECRET_B);
  cu_mock_cloud_set_role (mock, ROLE_ARN, EXT_ID, 3600);
  cu_mock_cloud_set_azure (mock, AZ_TENANT, AZ_CLIENT, AZ_SECRET, AZ_SUB);

  g_test_add_func ("/sync/plan-range", test_plan_range);
  g_test_add_func ("/sync/endpoints", test_endpoints);
  g_test_add_func ("/sync/ce-sample-pages", test_ce_sample_pages);
  g_test_add_func ("/sync/keyring/roundtrip", test_keyring_roundtrip);
  g_test_add_func ("/sync/keyring/per-workspace", test_keyring_per_workspace);
  g_test_add_func ("/sync/keyring/legacy-migration", test_keyring_legacy_migration);
  g_test_add_func ("/sync/cli/accounts-and-no-secret-on-disk", test_cli_accounts);
  g_test_add_func ("/sync/accounts/update", test_accounts_update);
  g_test_add_func ("/sync/aws/first-sync-and-resync", test_aws_first_and_resync);
  g_test_add_func ("/sync/aws/throttling", test_aws_throttling);
  g_test_add_func ("/sync/aws/server-errors", test_aws_server_errors);
  g_test_add_func ("/sync/aws/slow-answer", test_aws_slow);
  g_test_add_func ("/sync/aws/truncated-body", test_aws_truncated);
  g_test_add_func ("/sync/aws/failure-mid-pagination", test_aws_fail_mid_pagination);
  g_test_add_func ("/sync/aws/expired-token", test_aws_expired_token);
  g_test_add_func ("/sync/aws/cancel", test_aws_cancel);
  g_test_add_func ("/sync/aws/sigkill-mid-sync", test_aws_sigkill);
  g_test_add_func ("/sync/cli/two-accounts-at-once", test_cli_two_accounts);
  g_test_add_func ("/sync/aws/assume-role", test_role);
  g_test_add_func ("/sync/account-test/messages", test_account_test_messages);
  g_test_add_func ("/sync/azure/sync", test_azure_sync);
  g_test_add_func ("/sync/ce-apportion", test_ce_apportion);
  g_test_add_func ("/sync/ce-tag-split", test_ce_tag_split);
  g_test_add_func ("/sync/cli/cost-tags", test_cli_cost_tags);
  g_test_add_func ("/sync/aws/cost-tags", test_aws_cost_tags);
  g_test_add_func ("/sync/ce-allocate", test_ce_allocate);
  g_test_add_func ("/sync/aws/credits", test_aws_credits);
  g_test_add_func ("/sync/ce-hostile-answers", test_ce_hostile);
  g_test_add_func ("/sync/azure/hostile-answers", test_azure_hostile);
  g_test_add_func ("/sync/azure/year-limit", test_azure_year_limit);
  g_test_add_func ("/sync/wrong-shape-sync", test_wrong_shape_sync);
  g_test_add_func ("/sync/azure/token-lifetime", test_azure_token_lifetime);

  rc = g_test_run ();
  cu_mock_cloud_free (mock);
  return rc;
}
