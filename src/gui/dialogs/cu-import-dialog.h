/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-import-dialog.h — import cost export files, with progress per file */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CU_TYPE_IMPORT_DIALOG (cu_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CuImportDialog, cu_import_dialog, CU, IMPORT_DIALOG, AdwWindow)

void            cu_import_dialog_choose_files   (GtkWindow      *parent);
CuImportDialog *cu_import_dialog_new            (GtkWindow      *parent,
                                                 const char     *workspace);
const char     *cu_import_dialog_get_workspace  (CuImportDialog *self);
void            cu_import_dialog_import_files   (CuImportDialog *self,
                                                 GListModel     *files);
gboolean        cu_import_dialog_get_running    (CuImportDialog *self);
void            cu_import_dialog_cancel         (CuImportDialog *self);
guint           cu_import_dialog_get_n_imported (CuImportDialog *self);
char           *cu_import_dialog_get_file_text  (CuImportDialog *self,
                                                 guint           index);

G_END_DECLS
