/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-plot.h — what CuChart and CuSeriesChart share: a PLplot stream on a
 * cairo context, the palette, the money and date axes, the cached rendering */
#pragma once

#include <gtk/gtk.h>

#include "util/cu-date.h"

G_BEGIN_DECLS

/* colour map 0 slots every chart has; its own colours follow */
enum {
  CU_PLOT_COL_BACKGROUND,
  CU_PLOT_COL_FOREGROUND,
  CU_PLOT_COL_DIM,
  CU_PLOT_COL_GRID,
  CU_PLOT_COL_AXIS,
  CU_PLOT_N_BASE_COLORS,
};

/* where the plot area was drawn, in widget pixels */
typedef struct {
  double left;
  double right;
  double top;
  double bottom;
} CuPlotArea;

/* how a chart writes its money axis */
typedef struct {
  double   char_px;          /* width of a label character, for the left margin */
  gboolean short_thousands;  /* "$5k", not "$5.0k" */
} CuPlotMoneyStyle;

typedef struct {
  GskRenderNode *node;
  int            width;
  int            height;
  GdkRGBA        fg;
  gboolean       dark;
  guint          render_count;
} CuPlotCache;

/* draws with PLplot into @cr, between cu_plot_begin() and cu_plot_end() */
typedef void (*CuPlotRenderFunc) (GtkWidget     *widget,
                                  cairo_t       *cr,
                                  int            width,
                                  int            height,
                                  const GdkRGBA *fg,
                                  gboolean       dark);

int     cu_plot_begin              (cairo_t                *cr,
                                    int                     width,
                                    int                     height,
                                    int                     n_colors,
                                    double                  text_mm,
                                    const GdkRGBA          *fg,
                                    gboolean                dark);
void    cu_plot_end                (int                     old_stream);
void    cu_plot_set_color          (int                     slot,
                                    const GdkRGBA          *rgba,
                                    double                  alpha);
void    cu_plot_set_color_hex      (int                     slot,
                                    const char             *hex,
                                    double                  alpha);
void    cu_plot_set_series_colors  (int                     first_slot,
                                    int                     n_slots,
                                    guint                   n_series,
                                    gboolean                last_is_other);
void    cu_plot_series_color       (guint                   index,
                                    guint                   n_series,
                                    gboolean                last_is_other,
                                    GdkRGBA                *color);
char   *cu_plot_escape             (const char             *text);
double  cu_plot_money_axis         (const CuPlotMoneyStyle *style,
                                    const char             *currency,
                                    int                     width,
                                    int                     height,
                                    double                  bottom_px,
                                    double                  xmax,
                                    double                  max_value,
                                    CuPlotArea             *area);
void    cu_plot_date_axis          (CuDay                   first_day,
                                    guint                   n_days,
                                    const CuPlotArea       *area,
                                    double                  ymax,
                                    double                  mid_month_px,
                                    double                  label_before);
double  cu_plot_stacked_max        (guint                   n_columns,
                                    guint                   n_series,
                                    const double           *values);
void    cu_plot_stacked_columns    (guint                   n_columns,
                                    guint                   n_series,
                                    const double           *values,
                                    double                  gap,
                                    int                     first_slot,
                                    int                     n_slots);

void    cu_plot_cache_snapshot     (CuPlotCache            *cache,
                                    GtkWidget              *widget,
                                    GtkSnapshot            *snapshot,
                                    CuPlotRenderFunc        render);
void    cu_plot_cache_invalidate   (CuPlotCache            *cache,
                                    GtkWidget              *widget);
void    cu_plot_cache_clear        (CuPlotCache            *cache);
void    cu_plot_watch_style        (GtkWidget              *widget,
                                    GCallback               style_changed);

GtkWidget *cu_plot_legend_label_new (guint                  index,
                                     guint                  n_series,
                                     gboolean               last_is_other,
                                     const char            *name);

G_END_DECLS
