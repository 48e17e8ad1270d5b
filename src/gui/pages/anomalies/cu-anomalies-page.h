/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-anomalies-page.h — cost incidents (grouped anomalies) with root causes, to review */
#pragma once

#include "cu-page.h"

G_BEGIN_DECLS

#define CU_TYPE_ANOMALIES_PAGE (cu_anomalies_page_get_type ())
G_DECLARE_FINAL_TYPE (CuAnomaliesPage, cu_anomalies_page, CU, ANOMALIES_PAGE, CuPage)

GtkWidget  *cu_anomalies_page_new            (void);
guint       cu_anomalies_page_get_n_rows     (CuAnomaliesPage *self);
gint64      cu_anomalies_page_get_selected   (CuAnomaliesPage *self);
void        cu_anomalies_page_set_status     (CuAnomaliesPage *self,
                                              const char      *status);

G_END_DECLS
