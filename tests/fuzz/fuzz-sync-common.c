/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sync-common.c — one cloud account synced against the fuzz server */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "fuzz-sync-common.h"
#include "providers/cu-http.h"
#include "providers/cu-sync.h"
#include "store/cu-cost-query.h"
#include "store/cu-ledger.h"

static char *workspace;
static char *template_dir;

void
fuzz_sync_setup (const CuAccountSpec *spec, const char *default_answer)
{
  g_autoptr(GError) error = NULL;
  const char *url;

  fuzz_init_glib ();
  url = fuzz_server_start (default_answer);
  g_setenv ("CUMULUS_AWS_ENDPOINT", url, TRUE);
  g_setenv ("CUMULUS_AZURE_ENDPOINT", url, TRUE);
  g_setenv ("CUMULUS_AZURE_LOGIN_ENDPOINT", url, TRUE);
  g_setenv ("CUMULUS_HTTP_MAX_ATTEMPTS", "2", TRUE);
  g_setenv ("CUMULUS_HTTP_BACKOFF_MS", "0", TRUE);
  g_setenv ("CUMULUS_HTTP_MAX_RETRY_AFTER", "0", TRUE);
  g_setenv ("CUMULUS_HTTP_TIMEOUT", "10", TRUE);

  workspace = g_build_filename (fuzz_tmpdir (), "workspace", NULL);
  template_dir = g_build_filename (fuzz_tmpdir (), "template", NULL);
  g_mkdir_with_parents (workspace, 0700);
  g_mkdir_with_parents (template_dir, 0700);
  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, &error);

    if (ledger == NULL)
      g_error ("cannot open the fuzz ledger: %s", error->message);
    if (cu_accounts_add (ledger, spec, NULL, &error) <= 0)
      g_error ("cannot add the fuzz account (is a Secret Service running? "
               "tests/common/keyring-run.sh starts one): %s", error->message);
  }
  fuzz_copy_files (workspace, template_dir);
}

void
fuzz_sync_run (const char *account, const uint8_t *data, size_t size)
{
  g_autoptr(CuSyncResult) r = NULL;

  fuzz_copy_files (template_dir, workspace);
  fuzz_server_set_input (data, size);
  cu_sync_account (workspace, account, NULL, NULL, &r, NULL, NULL);
  FUZZ_CHECK (r != NULL);
  /* for looking at what a corpus file reaches */
  if (g_getenv ("CUMULUS_FUZZ_VERBOSE") != NULL)
    g_printerr ("sync %s: %s, %" G_GUINT64_FORMAT " rows, %u requests answered%s%s\n", account,
                r->ok ? "ok" : "failed", r->n_rows, fuzz_server_get_n_requests (),
                r->error ? ": " : "", r->error ? r->error->message : "");
  if (r->ok)
    {
      FUZZ_CHECK (r->error == NULL);
      FUZZ_CHECK (cu_day_parse (r->first_day, NULL) && cu_day_parse (r->last_day, NULL));
    }
  else
    {
      FUZZ_CHECK (r->error != NULL && r->error->message != NULL && *r->error->message != '\0');
      FUZZ_CHECK (strstr (r->error->message, "fuzz-secret") == NULL);
    }
  /* the ledger stays readable whatever the answers were */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, &error);
    g_autoptr(GPtrArray) batches = NULL;

    FUZZ_CHECK (ledger != NULL);
    g_autoptr(GPtrArray) cells = NULL;
    CuCostQuery query;

    batches = cu_ledger_list_batches (ledger, 0, &error);
    FUZZ_CHECK (batches != NULL);
    /* an amount out of range is refused, not stored as INT64_MIN
     * (what a cost of 9.3e12 became) */
    cu_cost_query_init (&query);
    query.group_by = CU_GROUP_SERVICE;
    cells = cu_ledger_query_costs (ledger, &query, &error);
    FUZZ_CHECK (cells != NULL);
    for (guint i = 0; i < cells->len; i++)
      {
        const CuCostCell *c = g_ptr_array_index (cells, i);

        FUZZ_CHECK (c->billed != G_MININT64 && c->effective != G_MININT64);
      }
  }
}
