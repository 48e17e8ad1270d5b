/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-workspace.c — where workspaces live
 *
 * A workspace is a directory holding ledger.db. The default one is
 * $XDG_DATA_HOME/cumulus/default; CUMULUS_WORKSPACE overrides it (GUI,
 * tests) and the CLI has --workspace DIR.
 */
#define G_LOG_DOMAIN "cumulus-workspace"

#include "cu-workspace.h"

/**
 * cu_workspace_default_dir:
 *
 * Returns: (transfer full): the workspace to open when none is named.
 */
char *
cu_workspace_default_dir (void)
{
  const char *env = g_getenv ("CUMULUS_WORKSPACE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "cumulus", "default", NULL);
}

/**
 * cu_workspace_demo_dir:
 *
 * Returns: (transfer full): where the generated demo workspace lives.
 */
char *
cu_workspace_demo_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "cumulus", "demo", NULL);
}

char *
cu_workspace_ledger_path (const char *workspace_dir)
{
  return g_build_filename (workspace_dir, "ledger.db", NULL);
}

gboolean
cu_workspace_exists (const char *workspace_dir)
{
  g_autofree char *path = cu_workspace_ledger_path (workspace_dir);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}
