/* cu-budgets-page.h — budgets, how far each has gone, and their alerts */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CU_TYPE_BUDGETS_PAGE (cu_budgets_page_get_type ())
G_DECLARE_FINAL_TYPE (CuBudgetsPage, cu_budgets_page, CU, BUDGETS_PAGE, GtkWidget)

GtkWidget  *cu_budgets_page_new           (void);
const char *cu_budgets_page_get_workspace (CuBudgetsPage *self);
void        cu_budgets_page_set_workspace (CuBudgetsPage *self,
                                           const char    *workspace_dir);
void        cu_budgets_page_reload        (CuBudgetsPage *self);
gboolean    cu_budgets_page_get_loading   (CuBudgetsPage *self);
const char *cu_budgets_page_get_error     (CuBudgetsPage *self);
guint       cu_budgets_page_get_n_budgets (CuBudgetsPage *self);
GtkWindow  *cu_budgets_page_open_dialog   (CuBudgetsPage *self,
                                           const char    *name);

G_END_DECLS
