/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-chart.h — a cost chart drawn by PLplot into the widget's cairo node */
#pragma once

#include <gtk/gtk.h>

#include "util/cu-date.h"

G_BEGIN_DECLS

typedef enum {
  CU_CHART_KIND_DAILY_STACKED,
  CU_CHART_KIND_HORIZONTAL_BARS,
} CuChartKind;

#define CU_TYPE_CHART_KIND (cu_chart_kind_get_type ())
GType cu_chart_kind_get_type (void);

#define CU_TYPE_CHART (cu_chart_get_type ())
G_DECLARE_FINAL_TYPE (CuChart, cu_chart, CU, CHART, GtkWidget)

GtkWidget   *cu_chart_new              (CuChartKind          kind);
CuChartKind  cu_chart_get_kind         (CuChart             *self);
void         cu_chart_set_kind         (CuChart             *self,
                                        CuChartKind          kind);
const char  *cu_chart_get_currency     (CuChart             *self);
void         cu_chart_set_currency     (CuChart             *self,
                                        const char          *currency);
void         cu_chart_set_daily        (CuChart             *self,
                                        CuDay                first_day,
                                        guint                n_days,
                                        guint                n_series,
                                        const char * const  *series_names,
                                        const double        *values,
                                        gboolean             last_is_other);
void         cu_chart_set_bars         (CuChart             *self,
                                        guint                n_bars,
                                        const char * const  *labels,
                                        const double        *values);
void         cu_chart_clear            (CuChart             *self);
guint        cu_chart_get_render_count (CuChart             *self);

G_END_DECLS
