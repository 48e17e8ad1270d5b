/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-overview-page.h — where the money went this month, at a glance */
#pragma once

#include "cu-page.h"

G_BEGIN_DECLS

#define CU_TYPE_OVERVIEW_PAGE (cu_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (CuOverviewPage, cu_overview_page, CU, OVERVIEW_PAGE, CuPage)

GtkWidget *cu_overview_page_new (void);

G_END_DECLS
