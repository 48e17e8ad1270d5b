/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-series-chart.h — forecast bands, a marked anomaly, stacked columns over periods */
#pragma once

#include <gtk/gtk.h>

#include "util/cu-date.h"

G_BEGIN_DECLS

typedef enum {
  CU_SERIES_CHART_KIND_BAND,     /* daily history line, forecast with 80/95 % bands */
  CU_SERIES_CHART_KIND_COLUMNS,  /* stacked columns, one per named period */
} CuSeriesChartKind;

#define CU_TYPE_SERIES_CHART_KIND (cu_series_chart_kind_get_type ())
GType cu_series_chart_kind_get_type (void);

#define CU_TYPE_SERIES_CHART (cu_series_chart_get_type ())
G_DECLARE_FINAL_TYPE (CuSeriesChart, cu_series_chart, CU, SERIES_CHART, GtkWidget)

GtkWidget         *cu_series_chart_new              (CuSeriesChartKind   kind);
CuSeriesChartKind  cu_series_chart_get_kind         (CuSeriesChart      *self);
void               cu_series_chart_set_kind         (CuSeriesChart      *self,
                                                     CuSeriesChartKind   kind);
void               cu_series_chart_set_currency     (CuSeriesChart      *self,
                                                     const char         *currency);
void               cu_series_chart_set_band         (CuSeriesChart      *self,
                                                     CuDay               first_day,
                                                     guint               n_history,
                                                     const double       *history,
                                                     guint               n_forecast,
                                                     const double       *mean,
                                                     const double       *lo80,
                                                     const double       *hi80,
                                                     const double       *lo95,
                                                     const double       *hi95);
void               cu_series_chart_set_mark         (CuSeriesChart      *self,
                                                     CuDay               day,
                                                     double              expected);
void               cu_series_chart_set_shade        (CuSeriesChart      *self,
                                                     CuDay               first,
                                                     CuDay               last);
void               cu_series_chart_set_columns      (CuSeriesChart      *self,
                                                     guint               n_columns,
                                                     const char * const *labels,
                                                     guint               n_series,
                                                     const char * const *series_names,
                                                     const double       *values,
                                                     gboolean            last_is_other);
void               cu_series_chart_set_partial      (CuSeriesChart      *self,
                                                     const gboolean     *partial);
void               cu_series_chart_clear            (CuSeriesChart      *self);
guint              cu_series_chart_get_render_count (CuSeriesChart      *self);

G_END_DECLS
