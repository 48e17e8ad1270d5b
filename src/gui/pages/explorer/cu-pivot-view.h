/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-pivot-view.h — the Explorer's table of groups × periods */
#pragma once

#include <gtk/gtk.h>

#include "store/cu-cost-pivot.h"

G_BEGIN_DECLS

#define CU_TYPE_PIVOT_VIEW (cu_pivot_view_get_type ())
G_DECLARE_FINAL_TYPE (CuPivotView, cu_pivot_view, CU, PIVOT_VIEW, GtkWidget)

GtkWidget *cu_pivot_view_new          (void);
void       cu_pivot_view_set_pivot    (CuPivotView       *self,
                                       const CuCostPivot *pivot,
                                       const char        *currency,
                                       const char        *group_title);
guint      cu_pivot_view_get_n_rows   (CuPivotView       *self);
char      *cu_pivot_view_get_text     (CuPivotView       *self,
                                       gboolean           selected_only);
void       cu_pivot_view_select_all   (CuPivotView       *self);
void       cu_pivot_view_sort_by      (CuPivotView       *self,
                                       guint              column,
                                       gboolean           descending);
char      *cu_pivot_view_get_cell     (CuPivotView       *self,
                                       guint              row,
                                       guint              column);

G_END_DECLS
