/* cmd-core.c — demo, summary, costs, bench */
#include "cu-cli.h"

int cu_cli_cmd_demo (CuCliGlobal *g, int argc, char **argv) { return cu_cli_error ("not yet"); }
int cu_cli_cmd_summary (CuCliGlobal *g, int argc, char **argv) { return cu_cli_error ("not yet"); }
int cu_cli_cmd_costs (CuCliGlobal *g, int argc, char **argv) { return cu_cli_error ("not yet"); }
int cu_cli_cmd_bench (CuCliGlobal *g, int argc, char **argv) { return cu_cli_error ("not yet"); }
