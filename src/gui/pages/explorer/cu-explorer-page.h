/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-explorer-page.h — costs by any dimension over any period, compared and exported */
#pragma once

#include "cu-page.h"

#include "store/cu-cost-query.h"

G_BEGIN_DECLS

#define CU_TYPE_EXPLORER_PAGE (cu_explorer_page_get_type ())
G_DECLARE_FINAL_TYPE (CuExplorerPage, cu_explorer_page, CU, EXPLORER_PAGE, CuPage)

GtkWidget  *cu_explorer_page_new             (void);

void        cu_explorer_page_set_group_by    (CuExplorerPage  *self,
                                              const char      *group);
void        cu_explorer_page_set_granularity (CuExplorerPage  *self,
                                              CuGranularity    granularity);
void        cu_explorer_page_set_range       (CuExplorerPage  *self,
                                              CuDay            from,
                                              CuDay            to);
void        cu_explorer_page_get_range       (CuExplorerPage  *self,
                                              CuDay           *from,
                                              CuDay           *to);
gint64      cu_explorer_page_get_total       (CuExplorerPage  *self,
                                              const char     **currency);
guint       cu_explorer_page_get_n_groups    (CuExplorerPage  *self);
GtkWidget  *cu_explorer_page_get_pivot_view  (CuExplorerPage  *self);

void        cu_explorer_page_export_async    (CuExplorerPage      *self,
                                              GFile               *file,
                                              const char          *format,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    cu_explorer_page_export_finish   (CuExplorerPage      *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
