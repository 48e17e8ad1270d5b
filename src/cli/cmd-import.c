/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd-import.c — cumulus-cli import FILE…
 *
 * One line per file on stdout; progress on stderr only when it is a
 * terminal, so scripts and tests see clean output.
 */
#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "cumulus-import"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <unistd.h>

#include "cu-cli.h"
#include "importers/cu-importer.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

typedef struct {
  const char *name;
  gint64      started;
  gboolean    shown;
} Progress;

static void
progress_cb (double fraction, const char *message, gpointer user_data)
{
  Progress *p = user_data;

  /* quiet for the first half second: small files need no progress */
  if (!p->shown && g_get_monotonic_time () - p->started < G_USEC_PER_SEC / 2)
    return;
  p->shown = TRUE;
  g_printerr ("\r\033[K%s %s… %3.0f%%", message, p->name, fraction * 100.0);
}

static void
progress_clear (Progress *p)
{
  if (p->shown)
    g_printerr ("\r\033[K");
  p->shown = FALSE;
}

static char *
format_result (const char *name, const CuImportResult *r)
{
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "%s: %s%s, %" G_GUINT64_FORMAT " row%s, ",
                          name, r->format_name, r->compressed ? " (gzip)" : "",
                          r->n_rows, r->n_rows == 1 ? "" : "s");
  g_string_append (line, r->periods->len == 1 ? "period " : "periods ");
  for (guint i = 0; i < r->periods->len; i++)
    g_string_append_printf (line, "%s%s", i ? " " : "", (char *) g_ptr_array_index (r->periods, i));
  g_string_append (line, ", billed ");
  for (guint i = 0; i < r->totals->len; i++)
    {
      CuImportTotal *t = g_ptr_array_index (r->totals, i);
      g_autofree char *amount = cu_money_format_plain (t->billed, 2);

      g_string_append_printf (line, "%s%s %s", i ? " + " : "", amount, t->currency);
    }
  g_string_append (line, ", effective ");
  for (guint i = 0; i < r->totals->len; i++)
    {
      CuImportTotal *t = g_ptr_array_index (r->totals, i);
      g_autofree char *amount = cu_money_format_plain (t->effective, 2);

      g_string_append_printf (line, "%s%s %s", i ? " + " : "", amount, t->currency);
    }
  g_string_append (line, ", into ");
  for (guint i = 0; i < r->accounts->len; i++)
    g_string_append_printf (line, "%s%s", i ? " " : "", (char *) g_ptr_array_index (r->accounts, i));
  if (r->n_moved > 0)
    g_string_append_printf (line, " (%" G_GUINT64_FORMAT " row%s charged outside %s billing period,"
                            " booked on the period’s first or last day)",
                            r->n_moved, r->n_moved == 1 ? "" : "s", r->n_moved == 1 ? "its" : "their");
  return g_string_free (line, FALSE);
}

int
cu_cli_cmd_import (CuCliGlobal *global, int argc, char **argv)
{
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  gboolean tty = isatty (STDERR_FILENO);
  int exit_code = CU_CLI_OK;
  GOptionEntry entries[] = { { NULL } };

  if (!cu_cli_parse ("import", "FILE…",
                     "Imports cost export files into the ledger: FOCUS 1.0–1.2, AWS CUR (legacy\n"
                     "and 2.0) and Azure cost-details CSV, plain or gzip. Each billing period in\n"
                     "a file replaces that period of its account (“import:aws:PAYER” …), in one\n"
                     "transaction; a file with an error changes nothing. Prints one line per file.",
                     entries, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return cu_cli_usage_error ("import", "name at least one file to import");

  dir = cu_cli_workspace_dir (global);
  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL)
    return cu_cli_error ("%s", error->message);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      g_autoptr(CuImportResult) result = NULL;
      g_autofree char *line = NULL;
      Progress progress = { argv[i], g_get_monotonic_time (), FALSE };

      g_clear_error (&error);
      result = cu_import_file (ledger, file, argv[i],
                               tty ? progress_cb : NULL, &progress, NULL, &error);
      progress_clear (&progress);
      if (result == NULL)
        {
          cu_cli_error ("%s", error->message);
          exit_code = CU_CLI_ERROR;
          continue;
        }
      line = format_result (argv[i], result);
      g_print ("%s\n", line);
    }

  return exit_code;
}
