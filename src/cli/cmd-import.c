/* cmd-import.c */
#include "cu-cli.h"

int
cu_cli_cmd_import (CuCliGlobal *global, int argc, char **argv)
{
  return cu_cli_error ("“import” is not available yet");
}

