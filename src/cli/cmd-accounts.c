/* cmd-accounts.c */
#include "cu-cli.h"

int
cu_cli_cmd_account (CuCliGlobal *global, int argc, char **argv)
{
  return cu_cli_error ("“account” is not available yet");
}

int
cu_cli_cmd_sync (CuCliGlobal *global, int argc, char **argv)
{
  return cu_cli_error ("“sync” is not available yet");
}

