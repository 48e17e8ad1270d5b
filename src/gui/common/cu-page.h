/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-page.h — what every page of the window is: a workspace, a state, a title */
#pragma once

#include <gtk/gtk.h>

#include "cu-workspace-model.h"

G_BEGIN_DECLS

typedef enum {
  CU_PAGE_STATE_IDLE,      /* no workspace yet */
  CU_PAGE_STATE_LOADING,
  CU_PAGE_STATE_READY,
  CU_PAGE_STATE_EMPTY,     /* loaded, nothing to show */
  CU_PAGE_STATE_ERROR,
} CuPageState;

#define CU_TYPE_PAGE_STATE (cu_page_state_get_type ())
GType cu_page_state_get_type (void);

#define CU_TYPE_PAGE (cu_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (CuPage, cu_page, CU, PAGE, GtkWidget)

struct _CuPageClass
{
  GtkWidgetClass parent_class;

  /* Reads the workspace again, in a worker; a load under way is replaced.
   * Called after every change of the workspace. */
  void (*reload)            (CuPage     *self);
  /* The workspace changed, before reload(): drop what belonged to the old one. */
  void (*workspace_changed) (CuPage     *self);
  /* The model says @what changed in the workspace shown. The default
   * reloads when @what meets reload_on. */
  void (*changed)           (CuPage            *self,
                             CuWorkspaceChange  what);

  /* what the page shows, for the default changed() */
  CuWorkspaceChange reload_on;

  /*< private >*/
  gpointer _reserved[8];
};

const char  *cu_page_get_workspace (CuPage      *self);
void         cu_page_set_workspace (CuPage      *self,
                                    const char  *workspace_dir);
void         cu_page_reload        (CuPage      *self);
CuWorkspaceModel *cu_page_get_model (CuPage     *self);
void         cu_page_set_model     (CuPage           *self,
                                    CuWorkspaceModel *model);
const char  *cu_page_get_title     (CuPage      *self);
void         cu_page_set_title     (CuPage      *self,
                                    const char  *title);
const char  *cu_page_get_icon_name (CuPage      *self);
void         cu_page_set_icon_name (CuPage      *self,
                                    const char  *icon_name);
CuPageState  cu_page_get_state     (CuPage      *self);
void         cu_page_set_state     (CuPage      *self,
                                    CuPageState  state);
gboolean     cu_page_get_loading   (CuPage      *self);
const char  *cu_page_get_error     (CuPage      *self);
void         cu_page_set_error     (CuPage      *self,
                                    const char  *message);

G_END_DECLS
