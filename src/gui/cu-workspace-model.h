/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-workspace-model.h — the open workspace, and what changed in it */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum /*< flags >*/ {
  CU_WORKSPACE_CHANGE_COSTS           = 1 << 0,  /* cost rows: a sync, an import, an account removed */
  CU_WORKSPACE_CHANGE_ANALYSIS        = 1 << 1,  /* forecasts, anomalies, budget alerts recomputed */
  CU_WORKSPACE_CHANGE_ACCOUNTS        = 1 << 2,  /* accounts added, edited or removed */
  CU_WORKSPACE_CHANGE_INVENTORY       = 1 << 3,  /* resources and their utilisation */
  CU_WORKSPACE_CHANGE_RECOMMENDATIONS = 1 << 4,  /* findings and their states */
} CuWorkspaceChange;

#define CU_WORKSPACE_CHANGE_ALL (CU_WORKSPACE_CHANGE_COSTS | CU_WORKSPACE_CHANGE_ANALYSIS | \
                                 CU_WORKSPACE_CHANGE_ACCOUNTS | CU_WORKSPACE_CHANGE_INVENTORY | \
                                 CU_WORKSPACE_CHANGE_RECOMMENDATIONS)

#define CU_TYPE_WORKSPACE_CHANGE (cu_workspace_change_get_type ())
GType cu_workspace_change_get_type (void);

#define CU_TYPE_WORKSPACE_MODEL (cu_workspace_model_get_type ())
G_DECLARE_FINAL_TYPE (CuWorkspaceModel, cu_workspace_model, CU, WORKSPACE_MODEL, GObject)

CuWorkspaceModel *cu_workspace_model_new           (void);
const char       *cu_workspace_model_get_directory (CuWorkspaceModel  *self);
gboolean          cu_workspace_model_get_is_demo   (CuWorkspaceModel  *self);
void              cu_workspace_model_open          (CuWorkspaceModel  *self,
                                                    const char        *directory,
                                                    gboolean           is_demo);
void              cu_workspace_model_changed       (CuWorkspaceModel  *self,
                                                    CuWorkspaceChange  what);

G_END_DECLS
