/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-plot.c — what CuChart and CuSeriesChart share
 *
 * PLplot keeps global state and is not thread-safe, so it only ever runs on
 * the main thread, inside a chart's snapshot. Every rendering gets a stream
 * of its own (cu_plot_begin() … cu_plot_end()), so two charts never share
 * settings; plspage gets the widget size before plinit so the plot fits.
 *
 * The rendering is kept as a cairo render node (CuPlotCache) and appended
 * again on every frame; it is rebuilt only when the size, the data or the
 * style (light, dark, high contrast: anything that changes the foreground
 * colour) change.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <adwaita.h>
#include <math.h>
#include <plplot.h>
#include <string.h>

#include "cu-format.h"
#include "cu-plot.h"
#include "util/cu-money.h"

/* GNOME palette tones that keep their contrast on light and dark backgrounds */
static const char * const palette[] = {
  "#3584e4", "#e66100", "#2ec27e", "#c061cb", "#e5a50a",
  "#26a1a2", "#e01b24", "#865e3c",
  /* the lighter tones of the same hues: the Overview names up to 16 */
  "#99c1f1", "#ffbe6f", "#8ff0a4", "#dc8add", "#f9f06b",
  "#93ddc2", "#f66151", "#cdab8f",
};
static const char other_color[] = "#9a9996";

typedef struct {
  const char *currency;
  gboolean    short_thousands;
} MoneyLabels;

static double
nice_step (double range,
           int    n_ticks)
{
  double raw, mag, f;

  if (range <= 0)
    return 1;
  raw = range / n_ticks;
  mag = pow (10, floor (log10 (raw)));
  f = raw / mag;
  if (f <= 1)
    f = 1;
  else if (f <= 2)
    f = 2;
  else if (f <= 2.5)
    f = 2.5;
  else if (f <= 5)
    f = 5;
  else
    f = 10;
  return f * mag;
}

static void
money_label_cb (PLINT     axis,
                PLFLT     value,
                char     *label,
                PLINT     length,
                PLPointer data)
{
  const MoneyLabels *labels = data;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  if (fabs (value) < 1e-9)
    value = 0;
  text = cu_money_format_compact (value, labels->currency);
  /* one axis, one style: "$5k" next to "$10k", not "$5.0k" */
  if (labels->short_thousands)
    for (char *p = strstr (text, ".0"); p != NULL; p = strstr (p + 1, ".0"))
      if (p[2] == 'k' || p[2] == 'M' || p[2] == 'B')
        memmove (p, p + 2, strlen (p + 2) + 1);
  escaped = cu_plot_escape (text);
  g_strlcpy (label, escaped, length);
}

/**
 * cu_plot_begin:
 * @cr: where to draw
 * @width: the widget's width in pixels
 * @height: its height
 * @n_colors: the size of colour map 0
 * @text_mm: the text size
 * @fg: the style's foreground colour
 * @dark: whether the style is dark
 *
 * Opens a PLplot stream of its own on @cr, with the base colours
 * (CU_PLOT_COL_*) taken from @fg and a transparent background, and starts
 * the page. Main thread only.
 *
 * Returns: the stream to give back to cu_plot_end()
 */
int
cu_plot_begin (cairo_t       *cr,
               int            width,
               int            height,
               int            n_colors,
               double         text_mm,
               const GdkRGBA *fg,
               gboolean       dark)
{
  PLINT old_stream = 0, stream = 0;

  plgstrm (&old_stream);
  plmkstrm (&stream);

  plsdev ("extcairo");
  /* the driver's text clip box lags behind the margins we draw labels in
   * and cuts glyphs in half; the labels are placed inside the widget anyway */
  plsetopt ("drvopt", "text_clipping=0");
  plspage (0, 0, width, height, 0, 0);
  plscmap0n (n_colors);
  /* the widget's own background shows through */
  plscolbga (0, 0, 0, 0.0);
  plinit ();
  pl_cmd (PLESC_DEVINIT, cr);

  cu_plot_set_color (CU_PLOT_COL_FOREGROUND, fg, 1.0);
  cu_plot_set_color (CU_PLOT_COL_DIM, fg, 0.75);
  cu_plot_set_color (CU_PLOT_COL_GRID, fg, dark ? 0.14 : 0.12);
  cu_plot_set_color (CU_PLOT_COL_AXIS, fg, 0.45);

  pladv (0);
  plschr (text_mm, 1.0);
  plfont (1);
  return old_stream;
}

/**
 * cu_plot_end:
 * @old_stream: what cu_plot_begin() returned
 *
 * Ends the stream and makes the one before it current again.
 */
void
cu_plot_end (int old_stream)
{
  plend1 ();
  plsstrm (old_stream);
}

/**
 * cu_plot_set_color:
 * @slot: the colour map 0 slot
 * @rgba: the colour
 * @alpha: multiplies its alpha
 */
void
cu_plot_set_color (int            slot,
                   const GdkRGBA *rgba,
                   double         alpha)
{
  plscol0a (slot,
            (PLINT) lround (rgba->red * 255),
            (PLINT) lround (rgba->green * 255),
            (PLINT) lround (rgba->blue * 255),
            rgba->alpha * alpha);
}

/**
 * cu_plot_set_color_hex:
 * @hex: "#rrggbb"
 *
 * Like cu_plot_set_color().
 */
void
cu_plot_set_color_hex (int         slot,
                       const char *hex,
                       double      alpha)
{
  GdkRGBA rgba;

  gdk_rgba_parse (&rgba, hex);
  cu_plot_set_color (slot, &rgba, alpha);
}

/**
 * cu_plot_set_series_colors:
 * @first_slot: the slot of the first series
 * @n_slots: the slots up to the end of the colour map
 * @n_series: how many series there are
 * @last_is_other: whether the last one is "Other"
 *
 * Fills the slots with the series colours of cu_plot_series_color().
 */
void
cu_plot_set_series_colors (int      first_slot,
                           int      n_slots,
                           guint    n_series,
                           gboolean last_is_other)
{
  for (int i = 0; i < n_slots; i++)
    {
      GdkRGBA rgba;

      cu_plot_series_color (i, n_series, last_is_other, &rgba);
      cu_plot_set_color (first_slot + i, &rgba, 1.0);
    }
}

/**
 * cu_plot_series_color:
 * @index: the series
 * @n_series: how many there are
 * @last_is_other: whether the last one is "Other"
 * @color: (out): its colour, the same in every chart and in a legend
 */
void
cu_plot_series_color (guint     index,
                      guint     n_series,
                      gboolean  last_is_other,
                      GdkRGBA  *color)
{
  if (last_is_other && n_series > 0 && index == n_series - 1)
    gdk_rgba_parse (color, other_color);
  else
    gdk_rgba_parse (color, palette[index % G_N_ELEMENTS (palette)]);
}

/**
 * cu_plot_escape:
 *
 * Returns: (transfer full): @text for PLplot, which treats '#' as an
 *   escape character
 */
char *
cu_plot_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '#')
        g_string_append_c (out, '#');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * cu_plot_money_axis:
 * @style: how the labels are written
 * @currency: what the amounts are in
 * @width: the widget's width
 * @height: its height
 * @bottom_px: the margin below the plot, for the x axis
 * @xmax: the x range is 0 to @xmax
 * @max_value: the largest amount to show
 * @area: (out): where the plot area is
 *
 * Sets up the viewport, the window and the y axis of amounts: a grid at a
 * round step with its labels in a left margin wide enough for them.
 *
 * Returns: the top of the y range
 */
double
cu_plot_money_axis (const CuPlotMoneyStyle *style,
                    const char             *currency,
                    int                     width,
                    int                     height,
                    double                  bottom_px,
                    double                  xmax,
                    double                  max_value,
                    CuPlotArea             *area)
{
  MoneyLabels labels = { currency, style->short_thousands };
  double step, ymax, left_px;
  double top_px = 10, right_px = 10;
  int n_ticks = height > 220 ? 4 : 3;
  g_autofree char *sample = NULL;

  step = nice_step (max_value, n_ticks);
  ymax = MAX (step, ceil (max_value / step) * step);
  if (ymax < max_value * 1.02)
    ymax += step;

  /* room for the widest label */
  sample = cu_money_format_compact (ymax, currency);
  left_px = 14 + style->char_px * g_utf8_strlen (sample, -1);

  plvpor (left_px / width, 1 - right_px / width,
          bottom_px / height, 1 - top_px / height);
  plwind (0, xmax, 0, ymax);
  area->left = left_px;
  area->right = width - right_px;
  area->top = top_px;
  area->bottom = height - bottom_px;

  plcol0 (CU_PLOT_COL_GRID);
  plwidth (1);
  for (double v = step; v <= ymax + step / 2; v += step)
    pljoin (0, v, xmax, v);

  /* PLplot writes labels only with ticks ("t"): make those zero long */
  plcol0 (CU_PLOT_COL_DIM);
  plsmaj (0, 0);
  plsmin (0, 0);
  plslabelfunc (money_label_cb, &labels);
  plbox ("", 0, 0, "ntvo", step, 0);
  plslabelfunc (NULL, NULL);

  return ymax;
}

/**
 * cu_plot_date_axis:
 * @first_day: the day at x = 0; a day is 1 wide
 * @n_days: how many days the x range has
 * @area: the plot area, from cu_plot_money_axis()
 * @ymax: the top of the y range
 * @mid_month_px: the room a half month needs for the 15th to be marked
 * @label_before: dates are written only left of this fraction of the axis
 *
 * The base line and the date axis: a tick on every month start, labels on
 * the 1st and the 15th when there is room.
 */
void
cu_plot_date_axis (CuDay             first_day,
                   guint             n_days,
                   const CuPlotArea *area,
                   double            ymax,
                   double            mid_month_px,
                   double            label_before)
{
  double px_per_day = (area->right - area->left) / MAX (n_days, 1);
  double tick = ymax * 4.0 / (area->bottom - area->top);

  plcol0 (CU_PLOT_COL_AXIS);
  pljoin (0, 0, n_days, 0);

  for (guint d = 0; d < n_days; d++)
    {
      int y, m, dom;

      cu_day_to_ymd (first_day + (CuDay) d, &y, &m, &dom);
      if (dom != 1 && !(dom == 15 && px_per_day * 14 >= mid_month_px))
        continue;
      plcol0 (CU_PLOT_COL_AXIS);
      pljoin (d, 0, d, -tick);
      if ((d + 0.0) / n_days < label_before)
        {
          g_autofree char *text = cu_format_day_short (first_day + (CuDay) d);
          g_autofree char *escaped = cu_plot_escape (text);
          /* a label starts at its tick; one that would run past the right
           * edge ends there instead, so the last is never cut off */
          double text_px = 7.2 * g_utf8_strlen (text, -1);
          double just = d * px_per_day + text_px > area->right - area->left ? 1.0 : 0.0;

          plcol0 (CU_PLOT_COL_DIM);
          plmtex ("b", 1.6, (d + 0.0) / n_days, just, escaped);
        }
    }
}

/**
 * cu_plot_stacked_max:
 * @values: (array): @n_series × @n_columns amounts, series-major
 *
 * Returns: the highest column of the positive amounts stacked
 */
double
cu_plot_stacked_max (guint         n_columns,
                     guint         n_series,
                     const double *values)
{
  double max_total = 0;

  for (guint c = 0; c < n_columns; c++)
    {
      double total = 0;

      for (guint s = 0; s < n_series; s++)
        total += MAX (0, values[s * n_columns + c]);
      max_total = MAX (max_total, total);
    }
  return max_total;
}

/**
 * cu_plot_stacked_columns:
 * @values: (array): @n_series × @n_columns amounts, series-major
 * @gap: the space left on each side of a column, in columns
 * @first_slot: the colour slot of the first series
 * @n_slots: how many series slots there are; the last one serves the rest
 *
 * Column c spans x = c to c + 1. Credits (negative) are not stacked.
 */
void
cu_plot_stacked_columns (guint         n_columns,
                         guint         n_series,
                         const double *values,
                         double        gap,
                         int           first_slot,
                         int           n_slots)
{
  for (guint c = 0; c < n_columns; c++)
    {
      double base = 0;

      for (guint s = 0; s < n_series; s++)
        {
          double v = values[s * n_columns + c];
          PLFLT x[4], y[4];

          if (v <= 0)
            continue;
          x[0] = x[3] = c + gap;
          x[1] = x[2] = c + 1 - gap;
          y[0] = y[1] = base;
          y[2] = y[3] = base + v;
          plcol0 (first_slot + MIN ((int) s, n_slots - 1));
          plfill (4, x, y);
          base += v;
        }
    }
}

/**
 * cu_plot_cache_snapshot:
 * @cache: the widget's cache
 * @widget: the chart
 * @snapshot: where to append the rendering
 * @render: draws the chart, called only when the cache is out of date
 *
 * Appends the cached rendering, made again first when the widget's size or
 * style changed or the cache was invalidated.
 */
void
cu_plot_cache_snapshot (CuPlotCache      *cache,
                        GtkWidget        *widget,
                        GtkSnapshot      *snapshot,
                        CuPlotRenderFunc  render)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA fg;

  if (width <= 1 || height <= 1)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  if (cache->node == NULL ||
      cache->width != width || cache->height != height ||
      cache->dark != dark || !gdk_rgba_equal (&fg, &cache->fg))
    {
      graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, width, height);
      GskRenderNode *node = gsk_cairo_node_new (&bounds);
      cairo_t *cr = gsk_cairo_node_get_draw_context (node);

      render (widget, cr, width, height, &fg, dark);
      cairo_destroy (cr);

      g_clear_pointer (&cache->node, gsk_render_node_unref);
      cache->node = node;
      cache->width = width;
      cache->height = height;
      cache->fg = fg;
      cache->dark = dark;
      cache->render_count++;
    }

  gtk_snapshot_append_node (snapshot, cache->node);
}

/**
 * cu_plot_cache_invalidate:
 *
 * Drops the rendering and queues a draw of @widget, which renders again.
 */
void
cu_plot_cache_invalidate (CuPlotCache *cache,
                          GtkWidget   *widget)
{
  g_clear_pointer (&cache->node, gsk_render_node_unref);
  gtk_widget_queue_draw (widget);
}

/**
 * cu_plot_cache_clear:
 *
 * Frees the rendering, for finalize.
 */
void
cu_plot_cache_clear (CuPlotCache *cache)
{
  g_clear_pointer (&cache->node, gsk_render_node_unref);
}

/**
 * cu_plot_watch_style:
 * @widget: the chart
 * @style_changed: called with @widget when the style turns dark or light
 *   or high contrast; for as long as @widget lives
 */
void
cu_plot_watch_style (GtkWidget *widget,
                     GCallback  style_changed)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_signal_connect_object (manager, "notify::dark", style_changed, widget, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "notify::high-contrast", style_changed, widget, G_CONNECT_SWAPPED);
}

/**
 * cu_plot_legend_label_new:
 * @index: the series
 * @n_series: how many there are
 * @last_is_other: whether the last one is "Other"
 * @name: its name
 *
 * Returns: (transfer floating): a caption "● name", the dot in the
 *   series' colour
 */
GtkWidget *
cu_plot_legend_label_new (guint       index,
                          guint       n_series,
                          gboolean    last_is_other,
                          const char *name)
{
  GdkRGBA color;
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *markup = NULL;
  GtkWidget *label = gtk_label_new (NULL);

  cu_plot_series_color (index, n_series, last_is_other, &color);
  markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">●</span> %s",
                            (int) (color.red * 255 + 0.5), (int) (color.green * 255 + 0.5),
                            (int) (color.blue * 255 + 0.5), escaped);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "caption");
  return label;
}
