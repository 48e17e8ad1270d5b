/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cli.h — cumulus-cli commands
 *
 * Each command is a function taking the global options and its own argv
 * (argv[0] is the command name). Exit codes: 0 ok, 1 runtime error,
 * 2 usage error. Errors go to stderr as one actionable line.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

enum {
  CU_CLI_OK = 0,
  CU_CLI_ERROR = 1,
  CU_CLI_USAGE = 2,
};

typedef struct {
  const char *workspace;   /* --workspace DIR, or NULL for the default */
} CuCliGlobal;

typedef int (*CuCliCommandFunc) (CuCliGlobal *global, int argc, char **argv);

/* Helpers shared by commands (cumulus-cli.c) */
int   cu_cli_usage_error (const char *command, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
int   cu_cli_error       (const char *fmt, ...) G_GNUC_PRINTF (1, 2);
char *cu_cli_workspace_dir (CuCliGlobal *global);
/* Parses argv with @entries; on failure prints a usage error and returns FALSE
 * with *exit_code = 2. --help prints help and exits 0. */
gboolean cu_cli_parse (const char *command, const char *parameter_string,
                       const char *summary, GOptionEntry *entries,
                       int *argc, char ***argv, int *exit_code);

/* Opens the workspace's ledger; fails with an actionable message when there
 * is no workspace (read commands never create one). */
struct _CuLedger *cu_cli_open_workspace (CuCliGlobal *global, int *exit_code);
/* Prints @root as pretty JSON and a newline, through util/cu-output. */
void  cu_cli_print_json  (JsonNode *root);

/* commands: cmd-core.c */
int cu_cli_cmd_demo      (CuCliGlobal *global, int argc, char **argv);
int cu_cli_cmd_summary   (CuCliGlobal *global, int argc, char **argv);
int cu_cli_cmd_costs     (CuCliGlobal *global, int argc, char **argv);
int cu_cli_cmd_bench     (CuCliGlobal *global, int argc, char **argv);
/* commands: cmd-analytics.c */
int cu_cli_cmd_forecast  (CuCliGlobal *global, int argc, char **argv);
int cu_cli_cmd_anomalies (CuCliGlobal *global, int argc, char **argv);
int cu_cli_cmd_budgets   (CuCliGlobal *global, int argc, char **argv);
/* ledger forms: cmd-ledger.c */
int cu_cli_forecast_ledger  (CuCliGlobal *global, int argc, char **argv);
int cu_cli_anomalies_ledger (CuCliGlobal *global, int argc, char **argv);
int cu_cli_budgets_ledger   (CuCliGlobal *global, int argc, char **argv);
/* commands: cmd-incidents.c */
int cu_cli_cmd_incidents (CuCliGlobal *global, int argc, char **argv);
/* commands: cmd-accounts.c */
int cu_cli_cmd_account   (CuCliGlobal *global, int argc, char **argv);
int cu_cli_cmd_sync      (CuCliGlobal *global, int argc, char **argv);
/* commands: cmd-import.c */
int cu_cli_cmd_import    (CuCliGlobal *global, int argc, char **argv);

G_END_DECLS
