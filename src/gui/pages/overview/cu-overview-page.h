/* cu-overview-page.h — where the money went this month, at a glance */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  CU_OVERVIEW_PAGE_STATE_IDLE,      /* no workspace yet */
  CU_OVERVIEW_PAGE_STATE_LOADING,
  CU_OVERVIEW_PAGE_STATE_READY,
  CU_OVERVIEW_PAGE_STATE_NO_DATA,
  CU_OVERVIEW_PAGE_STATE_ERROR,
} CuOverviewPageState;

#define CU_TYPE_OVERVIEW_PAGE_STATE (cu_overview_page_state_get_type ())
GType cu_overview_page_state_get_type (void);

#define CU_TYPE_OVERVIEW_PAGE (cu_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (CuOverviewPage, cu_overview_page, CU, OVERVIEW_PAGE, GtkWidget)

GtkWidget           *cu_overview_page_new           (void);
const char          *cu_overview_page_get_workspace (CuOverviewPage *self);
void                 cu_overview_page_set_workspace (CuOverviewPage *self,
                                                     const char     *workspace_dir);
void                 cu_overview_page_reload        (CuOverviewPage *self);
CuOverviewPageState  cu_overview_page_get_state     (CuOverviewPage *self);
const char          *cu_overview_page_get_error     (CuOverviewPage *self);

G_END_DECLS
