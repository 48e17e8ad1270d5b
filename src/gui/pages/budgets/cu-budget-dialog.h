/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-budget-dialog.h — create or edit a budget */
#pragma once

#include <adwaita.h>

#include "analysis/cu-budgets.h"

G_BEGIN_DECLS

#define CU_TYPE_BUDGET_DIALOG (cu_budget_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CuBudgetDialog, cu_budget_dialog, CU, BUDGET_DIALOG, AdwWindow)

CuBudgetDialog *cu_budget_dialog_new       (const char     *workspace_dir,
                                            const CuBudget *budget,
                                            const char     *currency);
gboolean        cu_budget_dialog_get_valid (CuBudgetDialog *self);
const char     *cu_budget_dialog_get_problem (CuBudgetDialog *self);
gboolean        cu_budget_dialog_get_error_shown (CuBudgetDialog *self);
void            cu_budget_dialog_save      (CuBudgetDialog *self);

G_END_DECLS
