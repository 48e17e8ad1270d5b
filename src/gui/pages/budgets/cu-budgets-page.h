/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-budgets-page.h — budgets, how far each has gone, and their alerts */
#pragma once

#include "cu-page.h"

G_BEGIN_DECLS

#define CU_TYPE_BUDGETS_PAGE (cu_budgets_page_get_type ())
G_DECLARE_FINAL_TYPE (CuBudgetsPage, cu_budgets_page, CU, BUDGETS_PAGE, CuPage)

GtkWidget  *cu_budgets_page_new           (void);
guint       cu_budgets_page_get_n_budgets (CuBudgetsPage *self);
GtkWindow  *cu_budgets_page_open_dialog   (CuBudgetsPage *self,
                                           const char    *name);

G_END_DECLS
