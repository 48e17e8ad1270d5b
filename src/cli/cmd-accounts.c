/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd-accounts.c — account add/list/remove/test and sync
 *
 * Secrets come from standard input (--secret-stdin) or a no-echo prompt,
 * never from the command line, and go straight to the keyring. Cost tag
 * keys are not secret: they live in the account's config (cu-accounts.h).
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cu-cli.h"
#include "providers/cu-accounts.h"
#include "providers/cu-http.h"
#include "providers/cu-sync.h"
#include "providers/aws/cu-cost-explorer.h"
#include "secrets/cu-secrets.h"
#include "store/cu-coverage.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"
#include "util/cu-workspace.h"

/* ------------------------------------------------------------- secrets */

static void
wipe (char *s)
{
  if (s)
    memset (s, 0, strlen (s));
}

/* Reads one line (without its end) from @in; NULL on EOF. */
static char *
read_line (FILE *in)
{
  GString *line = g_string_new (NULL);
  int c;

  while ((c = fgetc (in)) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (c == EOF && line->len == 0)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (line, FALSE);
}

static char *
prompt_no_echo (const char *prompt)
{
  struct termios old, quiet;
  char *line;

  g_printerr ("%s", prompt);
  if (tcgetattr (STDIN_FILENO, &old) != 0)
    return read_line (stdin);
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  line = read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  g_printerr ("\n");
  return line;
}

/* ---------------------------------------------------------------- add */

static int
account_add (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *name = NULL, *kind = NULL, *key_id = NULL, *role_arn = NULL,
                  *external_id = NULL, *source = NULL, *tenant = NULL, *client_id = NULL,
                  *subscription = NULL, *cost_tags_text = NULL;
  g_auto(GStrv) cost_tags = NULL;
  gboolean secret_stdin = FALSE;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Account name", "NAME" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "aws-keys, aws-role or azure-sp", "KIND" },
    { "access-key-id", 0, 0, G_OPTION_ARG_STRING, &key_id, "aws-keys: the access key id", "ID" },
    { "role-arn", 0, 0, G_OPTION_ARG_STRING, &role_arn, "aws-role: the role to assume", "ARN" },
    { "external-id", 0, 0, G_OPTION_ARG_STRING, &external_id, "aws-role: the external id", "ID" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "aws-role: the aws-keys account that assumes it", "NAME" },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, "azure-sp: tenant id or domain", "TENANT" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, "azure-sp: application (client) id", "ID" },
    { "subscription", 0, 0, G_OPTION_ARG_STRING, &subscription, "azure-sp: subscription id", "ID" },
    { "cost-tags", 0, 0, G_OPTION_ARG_STRING, &cost_tags_text,
      "aws-keys, aws-role: cost-allocation tag keys to fetch, comma-separated (one more "
      "Cost Explorer query per key and sync)", "KEY[,KEY…]" },
    { "secret-stdin", 0, 0, G_OPTION_ARG_NONE, &secret_stdin,
      "Read the secret from standard input (aws-keys: secret access key, then an optional "
      "session token on a second line; azure-sp: client secret)", NULL },
    { NULL }
  };
  g_autofree char *dir = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL, *token = NULL;
  CuAccountSpec spec = { 0 };
  gboolean needs_secret;
  int code = CU_CLI_OK;

  if (!cu_cli_parse ("account add", NULL,
                     "Add a cloud account; its secret goes to the system keyring.",
                     entries, &argc, &argv, &code))
    return code;
  if (argc > 1)
    return cu_cli_usage_error ("account add", "unexpected argument “%s” (secrets are read from standard input, not the command line)", argv[1]);
  if (name == NULL || kind == NULL)
    return cu_cli_usage_error ("account add", "--name and --kind are required");

#define ONLY_FOR(opt, value, k) \
  if (value != NULL && !g_str_equal (kind, k)) \
    return cu_cli_usage_error ("account add", "%s only applies to --kind %s", opt, k);
  ONLY_FOR ("--access-key-id", key_id, "aws-keys");
  ONLY_FOR ("--role-arn", role_arn, "aws-role");
  ONLY_FOR ("--external-id", external_id, "aws-role");
  ONLY_FOR ("--source", source, "aws-role");
  ONLY_FOR ("--tenant", tenant, "azure-sp");
  ONLY_FOR ("--client-id", client_id, "azure-sp");
  ONLY_FOR ("--subscription", subscription, "azure-sp");
#undef ONLY_FOR
  if (cost_tags_text != NULL && g_str_equal (kind, "azure-sp"))
    return cu_cli_usage_error ("account add", "--cost-tags only applies to --kind aws-keys or aws-role");
  if (cost_tags_text != NULL && (cost_tags = cu_accounts_parse_cost_tags (cost_tags_text, &error)) == NULL)
    return cu_cli_usage_error ("account add", "--cost-tags: %s", error->message);

  spec.name = name;
  spec.kind = kind;
  spec.access_key_id = key_id;
  spec.role_arn = role_arn;
  spec.external_id = external_id;
  spec.source = source;
  spec.tenant = tenant;
  spec.client_id = client_id;
  spec.subscription = subscription;
  spec.cost_tags = (const char * const *) cost_tags;
  if (!cu_accounts_validate (&spec, NULL, &error))
    return cu_cli_usage_error ("account add", "%s", error->message);

  needs_secret = !g_str_equal (kind, "aws-role");
  if (needs_secret)
    {
      const char *what = g_str_equal (kind, "aws-keys") ? "Secret access key" : "Client secret";

      if (secret_stdin)
        {
          secret = read_line (stdin);
          if (g_str_equal (kind, "aws-keys"))
            token = read_line (stdin);
        }
      else if (isatty (STDIN_FILENO))
        {
          g_autofree char *prompt = g_strdup_printf ("%s for %s: ", what, name);
          secret = prompt_no_echo (prompt);
          if (g_str_equal (kind, "aws-keys"))
            token = prompt_no_echo ("Session token (leave empty for long-lived keys): ");
        }
      else
        return cu_cli_usage_error ("account add", "pass --secret-stdin to read the secret from standard input");

      if (secret == NULL || *secret == '\0')
        {
          wipe (token);
          return cu_cli_usage_error ("account add", "no secret was given on standard input");
        }
      spec.secret = secret;
      spec.session_token = token && *token ? token : NULL;
    }

  dir = cu_cli_workspace_dir (global);
  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL)
    code = cu_cli_error ("%s", error->message);
  else if (cu_accounts_add (ledger, &spec, NULL, &error) <= 0)
    code = cu_cli_error ("%s", error->message);
  wipe (secret);
  wipe (token);
  if (code != CU_CLI_OK)
    return code;

  {
    g_autoptr(CuAccount) a = cu_ledger_get_account (ledger, name, NULL);
    g_autofree char *desc = a ? cu_accounts_describe (a) : g_strdup ("");
    g_print ("Added %s account “%s” (%s)%s. Check it with “cumulus-cli account test %s”.\n",
             kind, name, desc, needs_secret ? "; the secret is in the system keyring" : "", name);
    if (cost_tags != NULL && cost_tags[0] != NULL)
      {
        g_autofree char *list = g_strjoinv (", ", cost_tags);
        g_print ("Each sync also fetches the cost tags %s.\n", list);
      }
  }
  return CU_CLI_OK;
}

/* --------------------------------------------------------------- list */

static CuBatch *
last_sync_batch (CuLedger *ledger, gint64 account_id)
{
  g_autoptr(GPtrArray) batches = cu_ledger_list_batches (ledger, account_id, NULL);

  for (guint i = 0; batches && i < batches->len; i++)
    {
      CuBatch *b = batches->pdata[i];
      if (g_strcmp0 (b->kind, "sync") == 0)
        return g_ptr_array_steal_index (batches, i);
    }
  return NULL;
}

static int
account_list (CuCliGlobal *global, int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  g_autofree char *dir = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) coverage = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  int code = CU_CLI_OK;
  guint shown = 0;

  if (!cu_cli_parse ("account list", NULL, "List the cloud accounts (never their secrets).",
                     entries, &argc, &argv, &code))
    return code;
  dir = cu_cli_workspace_dir (global);
  if (!cu_workspace_exists (dir))
    {
      if (json)
        {
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "accounts");
          json_builder_begin_array (b);
          json_builder_end_array (b);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          cu_cli_print_json (root);
        }
      else
        g_print ("No accounts. Add one with “cumulus-cli account add”.\n");
      return CU_CLI_OK;
    }
  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL || (accounts = cu_ledger_list_accounts (ledger, &error)) == NULL)
    return cu_cli_error ("%s", error->message);

  /* which linked accounts each source holds, and which it shares */
  coverage = cu_ledger_list_coverage (ledger, 0, &error);
  if (coverage == NULL)
    return cu_cli_error ("%s", error->message);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accounts");
  json_builder_begin_array (b);
  for (guint i = 0; i < accounts->len; i++)
    {
      CuAccount *a = accounts->pdata[i];
      g_autofree char *desc = NULL;
      g_autoptr(CuBatch) last = NULL;
      g_auto(GStrv) tags = NULL;

      if (g_strcmp0 (a->provider, "aws") != 0 && g_strcmp0 (a->provider, "azure") != 0)
        continue;
      desc = cu_accounts_describe (a);
      tags = cu_accounts_get_cost_tags (a);
      last = last_sync_batch (ledger, a->id);
      shown++;
      if (json)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, a->name);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, a->kind);
          json_builder_set_member_name (b, "provider");
          json_builder_add_string_value (b, a->provider);
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, desc);
          json_builder_set_member_name (b, "cost_tags");
          json_builder_begin_array (b);
          for (guint t = 0; tags[t]; t++)
            json_builder_add_string_value (b, tags[t]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "last_sync");
          if (last)
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "status");
              json_builder_add_string_value (b, last->status);
              json_builder_set_member_name (b, "finished_at");
              json_builder_add_string_value (b, last->finished_at);
              json_builder_set_member_name (b, "rows");
              json_builder_add_int_value (b, last->n_rows);
              json_builder_set_member_name (b, "requests");
              json_builder_add_int_value (b, last->n_requests);
              json_builder_set_member_name (b, "error");
              if (last->error)
                json_builder_add_string_value (b, last->error);
              else
                json_builder_add_null_value (b);
              json_builder_end_object (b);
            }
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "linked_accounts");
          cu_coverage_build_json (coverage, a->id, accounts, b);
          json_builder_end_object (b);
        }
      else
        {
          g_autofree char *covers = cu_coverage_describe (coverage, a->id, accounts);
          g_print ("%-20s %-9s %s\n", a->name, a->kind, desc);
          if (tags[0] != NULL)
            {
              g_autofree char *list = g_strjoinv (", ", tags);
              g_print ("%-20s cost tags: %s\n", "", list);
            }
          if (last)
            g_print ("%-20s last sync %s: %s, %" G_GINT64_FORMAT " rows, %" G_GINT64_FORMAT " requests%s%s\n",
                     "", last->finished_at ? last->finished_at : last->started_at, last->status,
                     last->n_rows, last->n_requests, last->error ? " — " : "", last->error ? last->error : "");
          else
            g_print ("%-20s never synced\n", "");
          if (covers)
            g_print ("%-20s %s\n", "", covers);
        }
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);

      cu_cli_print_json (root);
    }
  else if (shown == 0)
    g_print ("No accounts. Add one with “cumulus-cli account add”.\n");
  return CU_CLI_OK;
}

/* ------------------------------------------------------ remove / test */

static int
account_remove (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  int code = CU_CLI_OK;

  if (!cu_cli_parse ("account remove", "NAME",
                     "Remove an account, its cost rows, its sync history and its keyring secrets.",
                     NULL, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cu_cli_usage_error ("account remove", "give exactly one account name");
  dir = cu_cli_workspace_dir (global);
  if (!cu_workspace_exists (dir))
    return cu_cli_error ("there is no account “%s” (no workspace at %s)", argv[1], dir);
  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL || !cu_accounts_remove (ledger, argv[1], NULL, &error))
    return cu_cli_error ("%s", error->message);
  g_print ("Removed account “%s” and its secrets.\n", argv[1]);
  return CU_CLI_OK;
}

static int
account_test (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *who = NULL;
  g_autoptr(GError) error = NULL;
  int code = CU_CLI_OK;

  if (!cu_cli_parse ("account test", "NAME",
                     "Check that an account’s credentials work (AWS: STS GetCallerIdentity, free; "
                     "Azure: a token and a one-day cost query).", NULL, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cu_cli_usage_error ("account test", "give exactly one account name");
  dir = cu_cli_workspace_dir (global);
  if (!cu_workspace_exists (dir))
    return cu_cli_error ("there is no account “%s” (no workspace at %s)", argv[1], dir);
  who = cu_sync_test_account (dir, argv[1], NULL, &error);
  if (who == NULL)
    return cu_cli_error ("%s: %s", argv[1], error->message);
  g_print ("%s: OK — %s\n", argv[1], who);
  return CU_CLI_OK;
}

static int
account_set_tags (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(CuAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = NULL;
  g_auto(GStrv) old = NULL;
  int code = CU_CLI_OK;

  if (!cu_cli_parse ("account set-tags", "NAME KEY[,KEY…]",
                     "Choose the cost-allocation tag keys an AWS account’s sync fetches (an empty "
                     "string clears them). Each key costs one more Cost Explorer query per sync, and "
                     "the next sync after a change fetches all 13 months again.",
                     NULL, &argc, &argv, &code))
    return code;
  if (argc != 3)
    return cu_cli_usage_error ("account set-tags", "give an account name and a comma-separated list of tag keys (\"\" clears them)");
  keys = cu_accounts_parse_cost_tags (argv[2], &error);
  if (keys == NULL)
    return cu_cli_usage_error ("account set-tags", "%s", error->message);

  dir = cu_cli_workspace_dir (global);
  if (!cu_workspace_exists (dir))
    return cu_cli_error ("there is no account “%s” (no workspace at %s)", argv[1], dir);
  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL)
    return cu_cli_error ("%s", error->message);
  account = cu_ledger_get_account (ledger, argv[1], &error);
  if (account == NULL)
    return cu_cli_error ("%s", error->message);
  old = cu_accounts_get_cost_tags (account);
  if (!cu_accounts_set_cost_tags (ledger, argv[1], (const char * const *) keys, &error))
    return cu_cli_error ("%s", error->message);

  if (g_strv_equal ((const char * const *) old, (const char * const *) keys))
    g_print ("The cost tags of “%s” are unchanged.\n", argv[1]);
  else if (keys[0] == NULL)
    g_print ("Cleared the cost tags of “%s”; the next sync fetches 13 months again, without tags.\n", argv[1]);
  else
    {
      g_autofree char *list = g_strjoinv (", ", keys);
      g_print ("Cost tags of “%s”: %s. The next sync fetches 13 months again with them "
               "(%u more Cost Explorer %s per sync, more when they need several pages).\n",
               argv[1], list, g_strv_length (keys), g_strv_length (keys) == 1 ? "query" : "queries");
    }
  return CU_CLI_OK;
}

int
cu_cli_cmd_account (CuCliGlobal *global, int argc, char **argv)
{
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_print ("Usage:\n"
               "  cumulus-cli account add --name NAME --kind aws-keys --access-key-id ID [--cost-tags KEY[,KEY…]] [--secret-stdin]\n"
               "  cumulus-cli account add --name NAME --kind aws-role --role-arn ARN --external-id ID --source NAME [--cost-tags KEY[,KEY…]]\n"
               "  cumulus-cli account add --name NAME --kind azure-sp --tenant T --client-id ID --subscription ID [--secret-stdin]\n"
               "  cumulus-cli account list [--json]\n"
               "  cumulus-cli account set-tags NAME KEY[,KEY…]\n"
               "  cumulus-cli account remove NAME\n"
               "  cumulus-cli account test NAME\n\n"
               "With --secret-stdin the first line of standard input is the secret (aws-keys: a\n"
               "second line may hold a session token). Without it the secret is asked for\n"
               "without echo. Secrets are kept in the system keyring only.\n\n"
               "Cost tags are AWS cost-allocation tag keys (activated in the Billing console)\n"
               "that each sync fetches, one more Cost Explorer query (USD 0.01 a page) per key;\n"
               "they let “cumulus-cli costs --group-by tag:KEY” break costs down. At most 5 keys,\n"
               "none empty or holding “$” or “,”. set-tags with \"\" clears them.\n");
      return argc < 2 ? CU_CLI_USAGE : CU_CLI_OK;
    }
  if (g_str_equal (argv[1], "add"))
    return account_add (global, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "list"))
    return account_list (global, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "remove"))
    return account_remove (global, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "test"))
    return account_test (global, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "set-tags"))
    return account_set_tags (global, argc - 1, argv + 1);
  return cu_cli_usage_error ("account", "unknown subcommand “%s”: use add, list, set-tags, remove or test", argv[1]);
}

/* ---------------------------------------------------------------- sync */

typedef struct {
  const char    *workspace;
  char          *account;
  GCancellable  *cancellable;
  CuSyncResult  *result;
  GMainLoop     *loop;
  guint         *pending;
} SyncJob;

static gboolean
job_done_cb (gpointer data)
{
  SyncJob *job = data;

  if (--(*job->pending) == 0)
    g_main_loop_quit (job->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
sync_thread (gpointer data)
{
  SyncJob *job = data;

  cu_sync_account (job->workspace, job->account, NULL, NULL, &job->result, job->cancellable, NULL);
  g_idle_add (job_done_cb, job);
  return NULL;
}

static gboolean
interrupt_cb (gpointer data)
{
  GCancellable *cancellable = data;

  g_printerr ("Cancelling…\n");
  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

static char *
format_usd (gint64 micros)
{
  g_autofree char *plain = cu_money_format_plain (micros, 2);
  return g_strdup_printf ("$%s", plain);
}

int
cu_cli_cmd_sync (CuCliGlobal *global, int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  g_autofree char *dir = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GArray) jobs = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  guint pending, sigint, sigterm, failed = 0;
  int code = CU_CLI_OK;

  if (!cu_cli_parse ("sync", "[NAME…]",
                     "Fetch costs from the cloud accounts (all of them when no NAME is given). "
                     "Every AWS Cost Explorer request costs USD 0.01; the count is printed.",
                     entries, &argc, &argv, &code))
    return code;

  dir = cu_cli_workspace_dir (global);
  if (!cu_workspace_exists (dir))
    return cu_cli_error ("no workspace at %s: add an account first with “cumulus-cli account add”", dir);
  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL)
    return cu_cli_error ("%s", error->message);

  if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        {
          g_autoptr(CuAccount) a = cu_ledger_get_account (ledger, argv[i], NULL);

          if (a == NULL)
            return cu_cli_error ("there is no account “%s” (see “cumulus-cli account list”)", argv[i]);
          if (g_strcmp0 (a->provider, "aws") != 0 && g_strcmp0 (a->provider, "azure") != 0)
            return cu_cli_error ("“%s” is not a cloud account and cannot be synced", argv[i]);
          g_ptr_array_add (names, g_strdup (argv[i]));
        }
    }
  else
    {
      g_autoptr(GPtrArray) all = cu_ledger_list_accounts (ledger, &error);

      if (all == NULL)
        return cu_cli_error ("%s", error->message);
      for (guint i = 0; i < all->len; i++)
        {
          CuAccount *a = all->pdata[i];
          if (g_strcmp0 (a->provider, "aws") == 0 || g_strcmp0 (a->provider, "azure") == 0)
            g_ptr_array_add (names, g_strdup (a->name));
        }
      if (names->len == 0)
        return cu_cli_error ("there are no cloud accounts to sync: add one with “cumulus-cli account add”");
    }
  g_clear_object (&ledger);

  /* one worker per account, each with its own ledger connection and session */
  jobs = g_array_sized_new (FALSE, TRUE, sizeof (SyncJob), names->len);
  g_array_set_size (jobs, names->len);
  pending = names->len;
  for (guint i = 0; i < names->len; i++)
    {
      SyncJob *job = &g_array_index (jobs, SyncJob, i);

      job->workspace = dir;
      job->account = names->pdata[i];
      job->cancellable = cancellable;
      job->loop = loop;
      job->pending = &pending;
      g_ptr_array_add (threads, g_thread_new ("cumulus-sync", sync_thread, job));
    }
  sigint = g_unix_signal_add (SIGINT, interrupt_cb, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, cancellable);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "accounts");
      json_builder_begin_array (b);
      for (guint i = 0; i < jobs->len; i++)
        {
          CuSyncResult *r = g_array_index (jobs, SyncJob, i).result;
          g_autofree char *cost = cu_money_format_plain (r->request_cost_micros, 2);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "account");
          json_builder_add_string_value (b, r->account);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, r->kind);
          json_builder_set_member_name (b, "ok");
          json_builder_add_boolean_value (b, r->ok);
          json_builder_set_member_name (b, "incremental");
          json_builder_add_boolean_value (b, r->incremental);
          json_builder_set_member_name (b, "first_day");
          json_builder_add_string_value (b, r->first_day);
          json_builder_set_member_name (b, "last_day");
          json_builder_add_string_value (b, r->last_day);
          json_builder_set_member_name (b, "days");
          json_builder_add_int_value (b, r->n_days);
          json_builder_set_member_name (b, "rows");
          json_builder_add_int_value (b, (gint64) r->n_rows);
          json_builder_set_member_name (b, "requests");
          json_builder_add_int_value (b, r->n_billable_requests);
          json_builder_set_member_name (b, "tag_requests");
          json_builder_add_int_value (b, r->n_tag_requests);
          json_builder_set_member_name (b, "request_cost_usd");
          json_builder_add_string_value (b, cost);
          json_builder_set_member_name (b, "http_requests");
          json_builder_add_int_value (b, r->n_requests);
          json_builder_set_member_name (b, "assume_role_calls");
          json_builder_add_int_value (b, r->n_assume_role);
          json_builder_set_member_name (b, "seconds");
          json_builder_add_double_value (b, r->seconds);
          json_builder_set_member_name (b, "error");
          if (r->error)
            json_builder_add_string_value (b, r->error->message);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
          failed += !r->ok;
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      cu_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < jobs->len; i++)
        {
          CuSyncResult *r = g_array_index (jobs, SyncJob, i).result;
          g_autofree char *cost = format_usd (r->request_cost_micros);
          gboolean aws = r->kind && g_str_has_prefix (r->kind, "aws");

          if (r->ok)
            g_print ("%s: %" G_GUINT64_FORMAT " rows, %u days (%s to %s%s), %u %s%s%s%s, %.1f s\n",
                     r->account, r->n_rows, r->n_days, r->first_day, r->last_day,
                     r->incremental ? ", incremental" : ", first sync",
                     r->n_billable_requests, aws ? "Cost Explorer requests" : "cost queries",
                     aws ? " (" : "", aws ? cost : "", aws ? ")" : "", r->seconds);
          else
            {
              g_printerr ("%s: sync failed after %u %s%s%s%s: %s\n", r->account, r->n_billable_requests,
                          aws ? "Cost Explorer requests" : "cost queries",
                          aws ? " (" : "", aws ? cost : "", aws ? ")" : "",
                          r->error ? r->error->message : "unknown error");
              failed++;
            }
        }
    }

  for (guint i = 0; i < jobs->len; i++)
    cu_sync_result_free (g_array_index (jobs, SyncJob, i).result);
  return failed > 0 ? CU_CLI_ERROR : CU_CLI_OK;
}
