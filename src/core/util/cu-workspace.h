/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-workspace.h — where workspaces live */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cu_workspace_default_dir (void);
char *cu_workspace_demo_dir    (void);
char *cu_workspace_ledger_path (const char *workspace_dir);
gboolean cu_workspace_exists   (const char *workspace_dir);
char *cu_workspace_resolve     (gboolean *is_demo);

G_END_DECLS
