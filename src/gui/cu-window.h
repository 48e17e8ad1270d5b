/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-window.h — the main window: sidebar of pages, content, toasts */
#pragma once

#include <adwaita.h>

#include "cu-application.h"
#include "cu-page.h"
#include "cu-workspace-model.h"

G_BEGIN_DECLS

#define CU_TYPE_WINDOW (cu_window_get_type ())
G_DECLARE_FINAL_TYPE (CuWindow, cu_window, CU, WINDOW, AdwApplicationWindow)

CuWindow       *cu_window_new               (CuApplication *application);
const char     *cu_window_get_workspace     (CuWindow      *self);
gboolean        cu_window_get_is_demo       (CuWindow      *self);
const char     *cu_window_get_startup_error (CuWindow      *self);
CuWorkspaceModel *cu_window_get_workspace_model (CuWindow *self);
CuPage         *cu_window_get_page          (CuWindow      *self,
                                             const char    *name);
void            cu_window_add_toast         (CuWindow      *self,
                                             AdwToast      *toast);
void            cu_window_show_content      (CuWindow      *self);

G_END_DECLS
