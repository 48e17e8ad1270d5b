/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cumulus-cli — the headless face of Cumulus */

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#include "cu-cli.h"
#include "store/cu-ledger.h"
#include "util/cu-output.h"
#include "util/cu-workspace.h"

typedef struct {
  const char       *name;
  CuCliCommandFunc  func;
  const char       *summary;
} CuCliCommand;

static gboolean
has_input_option (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--input") || g_str_has_prefix (argv[i], "--input="))
      return TRUE;
  return FALSE;
}

/* forecast/anomalies read a CSV with --input, the workspace otherwise */
static int
cmd_forecast (CuCliGlobal *global, int argc, char **argv)
{
  return has_input_option (argc, argv) ? cu_cli_cmd_forecast (global, argc, argv)
                                       : cu_cli_forecast_ledger (global, argc, argv);
}

static int
cmd_anomalies (CuCliGlobal *global, int argc, char **argv)
{
  return has_input_option (argc, argv) ? cu_cli_cmd_anomalies (global, argc, argv)
                                       : cu_cli_anomalies_ledger (global, argc, argv);
}

static const CuCliCommand commands[] = {
  { "demo",      cu_cli_cmd_demo,      "Create the demo workspace" },
  { "summary",   cu_cli_cmd_summary,   "Print the numbers the Overview shows" },
  { "costs",     cu_cli_cmd_costs,     "Cost totals by period and group" },
  { "account",   cu_cli_cmd_account,   "Add, list, remove and test cloud accounts; choose cost tags" },
  { "sync",      cu_cli_cmd_sync,      "Fetch costs from the cloud accounts" },
  { "import",    cu_cli_cmd_import,    "Import cost export files (FOCUS, CUR, Azure)" },
  { "forecast",  cmd_forecast,         "Forecast costs with prediction intervals" },
  { "anomalies", cmd_anomalies,        "Detect cost anomalies" },
  { "incidents", cu_cli_cmd_incidents, "Cost anomalies grouped into incidents with root causes" },
  { "budgets",   cu_cli_budgets_ledger, "List, add and remove budgets" },
  { "bench",     cu_cli_cmd_bench,     "Measure ledger write and query speed" },
};

int
cu_cli_usage_error (const char *command, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (command != NULL)
    g_printerr ("cumulus-cli %s: %s (see “cumulus-cli %s --help”)\n", command, msg, command);
  else
    g_printerr ("cumulus-cli: %s (see “cumulus-cli --help”)\n", msg);
  return CU_CLI_USAGE;
}

int
cu_cli_error (const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  /* one line, always */
  g_strdelimit (msg, "\n\r", ' ');
  g_printerr ("cumulus-cli: error: %s\n", msg);
  return CU_CLI_ERROR;
}

char *
cu_cli_workspace_dir (CuCliGlobal *global)
{
  if (global->workspace != NULL)
    return g_strdup (global->workspace);
  return cu_workspace_default_dir ();
}

gboolean
cu_cli_parse (const char    *command,
              const char    *parameter_string,
              const char    *summary,
              GOptionEntry  *entries,
              int           *argc,
              char        ***argv,
              int           *exit_code)
{
  g_autofree char *params = g_strdup_printf ("%s%s%s", command,
                                             parameter_string ? " " : "",
                                             parameter_string ? parameter_string : "");
  g_autoptr(GOptionContext) ctx = g_option_context_new (params);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (ctx, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_help_enabled (ctx, TRUE);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      *exit_code = cu_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

struct _CuLedger *
cu_cli_open_workspace (CuCliGlobal *global, int *exit_code)
{
  /* reading: the workspace the window shows (the demo until there is a
   * default one), see cu_workspace_resolve() */
  g_autofree char *dir = global->workspace != NULL ? g_strdup (global->workspace)
                                                   : cu_workspace_resolve (NULL);
  g_autoptr(GError) error = NULL;
  CuLedger *ledger;

  if (!cu_workspace_exists (dir))
    {
      *exit_code = cu_cli_error ("no workspace at %s: create one with “cumulus-cli --workspace %s demo” "
                                 "or import cost files with “cumulus-cli import”", dir, dir);
      return NULL;
    }
  ledger = cu_ledger_open (dir, &error);
  if (ledger == NULL)
    *exit_code = cu_cli_error ("%s", error->message);
  return ledger;
}

void
cu_cli_print_json (JsonNode *root)
{
  g_autoptr(GString) out = g_string_new (NULL);

  cu_output_json_append (out, root, CU_JSON_PRETTY);
  g_string_append_c (out, '\n');
  fwrite (out->str, 1, out->len, stdout);
}

static void
print_help (void)
{
  g_print ("Usage:\n  cumulus-cli [--workspace DIR] COMMAND [OPTIONS…]\n\n"
           "Cumulus keeps a local ledger of cloud costs.\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, commands[i].summary);
  g_print ("\nGlobal options:\n"
           "  --workspace DIR   Workspace directory (default: $XDG_DATA_HOME/cumulus/default,\n"
           "                    or $CUMULUS_WORKSPACE)\n"
           "  --version         Print the version\n"
           "  -h, --help        Show this help; “COMMAND --help” for a command\n");
}

int
main (int argc, char **argv)
{
  CuCliGlobal global = { NULL };
  int i = 1;

  setlocale (LC_ALL, "");
  /* numbers in CSV/JSON must not follow the locale's decimal comma */
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  while (i < argc && argv[i][0] == '-')
    {
      if (g_str_equal (argv[i], "--workspace") || g_str_equal (argv[i], "-w"))
        {
          if (i + 1 >= argc)
            return cu_cli_usage_error (NULL, "--workspace needs a directory");
          global.workspace = argv[i + 1];
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--workspace="))
        {
          global.workspace = argv[i] + strlen ("--workspace=");
          i++;
        }
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_help ();
          return CU_CLI_OK;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          g_print ("cumulus-cli %s\n", PACKAGE_VERSION);
          return CU_CLI_OK;
        }
      else
        return cu_cli_usage_error (NULL, "unknown option %s", argv[i]);
    }

  if (global.workspace != NULL && *global.workspace == '\0')
    return cu_cli_usage_error (NULL, "--workspace needs a directory");

  if (i >= argc)
    {
      print_help ();
      return CU_CLI_USAGE;
    }

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (g_str_equal (argv[i], commands[c].name))
      return commands[c].func (&global, argc - i, argv + i);

  return cu_cli_usage_error (NULL, "unknown command “%s”", argv[i]);
}
