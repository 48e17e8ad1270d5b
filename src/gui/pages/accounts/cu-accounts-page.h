/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-accounts-page.h — cloud accounts and imported files of a workspace */
#pragma once

#include <adwaita.h>

#include "cu-account-dialog.h"
#include "cu-page.h"

G_BEGIN_DECLS

#define CU_TYPE_ACCOUNTS_PAGE (cu_accounts_page_get_type ())
G_DECLARE_FINAL_TYPE (CuAccountsPage, cu_accounts_page, CU, ACCOUNTS_PAGE, CuPage)

GtkWidget       *cu_accounts_page_new            (void);
const char      *cu_accounts_page_get_workspace  (CuAccountsPage *self);
gboolean         cu_accounts_page_get_is_demo    (CuAccountsPage *self);
void             cu_accounts_page_set_workspace  (CuAccountsPage *self,
                                                  const char     *workspace_dir,
                                                  gboolean        is_demo);
void             cu_accounts_page_reload         (CuAccountsPage *self);
gboolean         cu_accounts_page_get_loading    (CuAccountsPage *self);
const char      *cu_accounts_page_get_error      (CuAccountsPage *self);
GtkWidget       *cu_accounts_page_get_row        (CuAccountsPage *self,
                                                  const char     *name);
CuAccountDialog *cu_accounts_page_add_account    (CuAccountsPage *self,
                                                  const char     *kind);
CuAccountDialog *cu_accounts_page_edit_account   (CuAccountsPage *self,
                                                  const char     *name);
AdwMessageDialog *cu_accounts_page_remove_account (CuAccountsPage *self,
                                                  const char     *name);
void             cu_accounts_page_set_settings   (CuAccountsPage *self,
                                                  GSettings      *settings);
guint            cu_accounts_page_sync_due       (CuAccountsPage *self);

G_END_DECLS
