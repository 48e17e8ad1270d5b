/* cmd-analytics.c */
#include "cu-cli.h"

int
cu_cli_cmd_forecast (CuCliGlobal *global, int argc, char **argv)
{
  return cu_cli_error ("“forecast” is not available yet");
}

int
cu_cli_cmd_anomalies (CuCliGlobal *global, int argc, char **argv)
{
  return cu_cli_error ("“anomalies” is not available yet");
}

int
cu_cli_cmd_budgets (CuCliGlobal *global, int argc, char **argv)
{
  return cu_cli_error ("“budgets” is not available yet");
}

