/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-forecast-page.h — where a series is heading, with its uncertainty */
#pragma once

#include "cu-page.h"

G_BEGIN_DECLS

#define CU_TYPE_FORECAST_PAGE (cu_forecast_page_get_type ())
G_DECLARE_FINAL_TYPE (CuForecastPage, cu_forecast_page, CU, FORECAST_PAGE, CuPage)

GtkWidget  *cu_forecast_page_new              (void);
gboolean    cu_forecast_page_get_has_forecast (CuForecastPage *self);
void        cu_forecast_page_select_series    (CuForecastPage *self,
                                               const char     *kind,
                                               const char     *key);
double      cu_forecast_page_get_month_projection (CuForecastPage *self);

double     cu_forecast_page_get_probability_above (CuForecastPage *self,
                                                   gboolean        quarter);

G_END_DECLS
