/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-workspace.c — where workspaces live
 *
 * A workspace is a directory holding ledger.db. The default one is
 * $XDG_DATA_HOME/cumulus/default; CUMULUS_WORKSPACE overrides it (GUI,
 * tests) and the CLI has --workspace DIR. Until the user imports or adds
 * an account there, the window shows the generated demo in
 * $XDG_DATA_HOME/cumulus/demo; cu_workspace_resolve() makes the CLI read
 * the same one, so the window and `cumulus-cli` without --workspace agree.
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

/**
 * cu_workspace_resolve:
 * @is_demo: (out) (optional): set to %TRUE when the demo workspace is chosen
 *
 * The workspace the window opens and the CLI reads when none is named:
 * CUMULUS_WORKSPACE when set; otherwise the default workspace once it
 * holds a ledger, else the demo workspace when it has been generated, else
 * the default (which does not exist yet). Commands that create data
 * (import, account add) write to cu_workspace_default_dir() instead, so the
 * demo is never mixed with real costs.
 *
 * Returns: (transfer full): a directory
 */
char *
cu_workspace_resolve (gboolean *is_demo)
{
  g_autofree char *dir = cu_workspace_default_dir ();
  g_autofree char *demo = NULL;
  const char *env = g_getenv ("CUMULUS_WORKSPACE");

  if (is_demo != NULL)
    *is_demo = FALSE;
  if (cu_workspace_exists (dir) || (env != NULL && *env != '\0'))
    return g_steal_pointer (&dir);
  demo = cu_workspace_demo_dir ();
  if (!cu_workspace_exists (demo))
    return g_steal_pointer (&dir);
  if (is_demo != NULL)
    *is_demo = TRUE;
  return g_steal_pointer (&demo);
}
