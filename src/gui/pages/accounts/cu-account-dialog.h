/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-account-dialog.h — add or edit one cloud account of a given kind */
#pragma once

#include <adwaita.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

#define CU_TYPE_ACCOUNT_DIALOG (cu_account_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CuAccountDialog, cu_account_dialog, CU, ACCOUNT_DIALOG, AdwWindow)

CuAccountDialog *cu_account_dialog_new           (const char         *kind,
                                                  const char         *workspace,
                                                  const char * const *sources,
                                                  gboolean            starts_workspace);
CuAccountDialog *cu_account_dialog_new_for_account (const CuAccount    *account,
                                                    const char         *workspace,
                                                    const char * const *sources);
const char      *cu_account_dialog_get_editing   (CuAccountDialog    *self);
const char      *cu_account_dialog_get_kind      (CuAccountDialog    *self);
const char      *cu_account_dialog_get_workspace (CuAccountDialog    *self);
gboolean         cu_account_dialog_get_can_add   (CuAccountDialog    *self);
const char      *cu_account_dialog_get_message   (CuAccountDialog    *self);
void             cu_account_dialog_add           (CuAccountDialog    *self);

G_END_DECLS
