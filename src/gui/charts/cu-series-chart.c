/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-series-chart.c — forecast bands, a marked anomaly, stacked columns over periods
 *
 * The same PLplot pattern as CuChart, from cu-plot.c: PLplot runs only on
 * the main thread, inside snapshot, with a stream of its own per rendering;
 * the rendering is cached and rebuilt only when the size, the data or the
 * style change.
 *
 * Two kinds:
 *  - band: a daily history line, then the forecast mean with its 95 % and
 *    80 % prediction bands; optionally one day marked (an anomaly: the
 *    actual value as a red dot, the expected value as a ring, joined).
 *  - columns: stacked columns over named periods (days, weeks, months),
 *    coloured like CuChart's series so that legends match.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <math.h>
#include <plplot.h>
#include <string.h>

#include "cu-format.h"
#include "cu-plot.h"
#include "cu-series-chart.h"
#include "util/cu-money.h"

/* colour map 0 slots after the base ones */
enum {
  COL_HISTORY = CU_PLOT_N_BASE_COLORS,
  COL_FORECAST,
  COL_BAND95,
  COL_BAND80,
  COL_MARK,
  COL_SHADE,      /* the shaded days of an incident */
  COL_PARTIAL,    /* the hatching over a partial period's column */
  COL_SERIES,     /* columns: first series, the rest follow */
};

#define MAX_COLORS 40
#define TEXT_MM 2.6

struct _CuSeriesChart
{
  GtkWidget          parent_instance;

  /* owned state */
  CuSeriesChartKind  kind;
  char              *currency;
  /* band */
  CuDay              first_day;
  guint              n_history;
  guint              n_forecast;
  double            *history;
  double            *band;        /* 5 × n_forecast: mean, lo80, hi80, lo95, hi95 */
  CuDay              mark_day;
  double             mark_expected;
  CuDay              shade_first;  /* CU_DAY_INVALID for none */
  CuDay              shade_last;
  /* columns */
  guint              n_columns;
  guint              n_series;
  char             **labels;
  char             **names;
  double            *values;      /* n_series × n_columns, series-major */
  gboolean           last_is_other;
  gboolean          *partial;     /* n_columns, or NULL: every period whole */
  CuPlotCache        cache;
};

G_DEFINE_FINAL_TYPE (CuSeriesChart, cu_series_chart, GTK_TYPE_WIDGET)
G_DEFINE_ENUM_TYPE (CuSeriesChartKind, cu_series_chart_kind,
                    G_DEFINE_ENUM_VALUE (CU_SERIES_CHART_KIND_BAND, "band"),
                    G_DEFINE_ENUM_VALUE (CU_SERIES_CHART_KIND_COLUMNS, "columns"))

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const CuPlotMoneyStyle money_style = { .char_px = 7.2, .short_thousands = FALSE };

static void
invalidate (CuSeriesChart *self)
{
  cu_plot_cache_invalidate (&self->cache, GTK_WIDGET (self));
}

static void
circle (double cx,
        double cy,
        double rx,
        double ry,
        gboolean filled)
{
  PLFLT x[25], y[25];

  for (int i = 0; i < 25; i++)
    {
      double a = 2 * G_PI * i / 24;
      x[i] = cx + rx * cos (a);
      y[i] = cy + ry * sin (a);
    }
  if (filled)
    plfill (24, x, y);
  else
    plline (25, x, y);
}

static void
draw_band (CuSeriesChart *self,
           int            width,
           int            height)
{
  guint n = self->n_history + self->n_forecast;
  double max_value = 0, ymax, bottom_px = 26, px_per_day;
  CuPlotArea area;
  const double *mean = self->band;
  const double *lo80 = self->band ? self->band + self->n_forecast : NULL;
  const double *hi80 = self->band ? self->band + 2 * self->n_forecast : NULL;
  const double *lo95 = self->band ? self->band + 3 * self->n_forecast : NULL;
  const double *hi95 = self->band ? self->band + 4 * self->n_forecast : NULL;

  for (guint i = 0; i < self->n_history; i++)
    max_value = MAX (max_value, self->history[i]);
  for (guint i = 0; i < self->n_forecast; i++)
    max_value = MAX (max_value, MAX (hi95[i], mean[i]));
  if (self->mark_day != CU_DAY_INVALID)
    max_value = MAX (max_value, self->mark_expected);

  ymax = cu_plot_money_axis (&money_style, self->currency, width, height, bottom_px,
                             MAX (n, 1), max_value, &area);
  px_per_day = (area.right - area.left) / MAX (n, 1);

  /* the shaded days under everything: whole days, edge to edge */
  if (self->shade_first != CU_DAY_INVALID && n > 0)
    {
      double x0 = MAX (0, self->shade_first - self->first_day);
      double x1 = MIN ((double) n, self->shade_last - self->first_day + 1.0);

      if (x1 > x0)
        {
          PLFLT x[4] = { x0, x1, x1, x0 }, y[4] = { 0, 0, ymax, ymax };

          plcol0 (COL_SHADE);
          plfill (4, x, y);
        }
    }

  /* bands first, the lines over them; x is the middle of each day */
  if (self->n_forecast > 0)
    {
      guint m = self->n_forecast;
      g_autofree PLFLT *x = g_new (PLFLT, 2 * m + 2);
      g_autofree PLFLT *y = g_new (PLFLT, 2 * m + 2);
      const double *lows[2] = { lo95, lo80 };
      const double *highs[2] = { hi95, hi80 };
      const int cols[2] = { COL_BAND95, COL_BAND80 };

      for (int b = 0; b < 2; b++)
        {
          guint k = 0;

          /* the band starts from the last actual value so it joins the line */
          if (self->n_history > 0)
            {
              x[k] = self->n_history - 0.5;
              y[k++] = self->history[self->n_history - 1];
            }
          for (guint i = 0; i < m; i++)
            {
              x[k] = self->n_history + i + 0.5;
              y[k++] = MAX (0, highs[b][i]);
            }
          for (guint i = m; i-- > 0; )
            {
              x[k] = self->n_history + i + 0.5;
              y[k++] = MAX (0, lows[b][i]);
            }
          plcol0 (cols[b]);
          plfill (k, x, y);
        }
    }

  if (self->n_history > 0)
    {
      g_autofree PLFLT *x = g_new (PLFLT, self->n_history);
      g_autofree PLFLT *y = g_new (PLFLT, self->n_history);

      for (guint i = 0; i < self->n_history; i++)
        {
          x[i] = i + 0.5;
          y[i] = self->history[i];
        }
      plcol0 (COL_HISTORY);
      plwidth (2);
      plline (self->n_history, x, y);
    }

  if (self->n_forecast > 0)
    {
      guint m = self->n_forecast;
      g_autofree PLFLT *x = g_new (PLFLT, m + 1);
      g_autofree PLFLT *y = g_new (PLFLT, m + 1);
      guint k = 0;

      if (self->n_history > 0)
        {
          x[k] = self->n_history - 0.5;
          y[k++] = self->history[self->n_history - 1];
        }
      for (guint i = 0; i < m; i++)
        {
          x[k] = self->n_history + i + 0.5;
          y[k++] = mean[i];
        }
      plcol0 (COL_FORECAST);
      plwidth (2);
      plline (k, x, y);

      /* where the forecast starts */
      plcol0 (CU_PLOT_COL_AXIS);
      plwidth (1);
      pllsty (2);
      pljoin (self->n_history, 0, self->n_history, ymax);
      pllsty (1);
    }
  plwidth (1);

  if (self->mark_day != CU_DAY_INVALID &&
      self->mark_day >= self->first_day && self->mark_day < self->first_day + (CuDay) n)
    {
      double xc = self->mark_day - self->first_day + 0.5;
      guint i = self->mark_day - self->first_day;
      double actual = i < self->n_history ? self->history[i] : 0;
      double ry = 5.0 * ymax / (height - bottom_px - 10);
      double rx = 5.0 / MAX (px_per_day, 0.01);

      plcol0 (COL_MARK);
      plwidth (1.5);
      pllsty (2);
      pljoin (xc, self->mark_expected, xc, actual);
      pllsty (1);
      circle (xc, self->mark_expected, rx, ry, FALSE);
      circle (xc, actual, rx, ry, TRUE);
      plwidth (1);
    }

  cu_plot_date_axis (self->first_day, n, &area, ymax, 70, 0.93);
}

static void
draw_columns (CuSeriesChart *self,
              int            width,
              int            height)
{
  double max_total, px_per_col;
  guint label_every = 1, max_label = 1;
  CuPlotArea area;

  for (guint c = 0; c < self->n_columns; c++)
    max_label = MAX (max_label, (guint) g_utf8_strlen (self->labels[c], -1));
  max_total = cu_plot_stacked_max (self->n_columns, self->n_series, self->values);

  cu_plot_money_axis (&money_style, self->currency, width, height, 26,
                      MAX (self->n_columns, 1), max_total, &area);
  px_per_col = (area.right - area.left) / MAX (self->n_columns, 1);
  cu_plot_stacked_columns (self->n_columns, self->n_series, self->values,
                           px_per_col >= 6 ? 0.15 : 0.05, COL_SERIES, MAX_COLORS - COL_SERIES);

  /* a period the data covers only in part is hatched in the background
   * colour, so that its shorter column does not read as a fall in spend */
  if (self->partial != NULL)
    for (guint c = 0; c < self->n_columns; c++)
      {
        double top = 0, gap = px_per_col >= 6 ? 0.15 : 0.05;
        PLFLT x[4], y[4];

        if (!self->partial[c])
          continue;
        for (guint s = 0; s < self->n_series; s++)
          top += MAX (self->values[s * self->n_columns + c], 0);
        if (top <= 0)
          continue;
        x[0] = x[3] = c + gap;
        x[1] = x[2] = c + 1 - gap;
        y[0] = y[1] = 0;
        y[2] = y[3] = top;
        plcol0 (COL_PARTIAL);
        plpsty (3);
        plfill (4, x, y);
        plpsty (0);
      }

  plcol0 (CU_PLOT_COL_AXIS);
  pljoin (0, 0, self->n_columns, 0);

  /* as many period labels as fit side by side */
  while (label_every * px_per_col < 8.0 * max_label + 12 && label_every < self->n_columns)
    label_every++;
  for (guint c = 0; c < self->n_columns; c += label_every)
    {
      g_autofree char *escaped = cu_plot_escape (self->labels[c]);
      plcol0 (CU_PLOT_COL_DIM);
      plmtex ("b", 1.6, (c + 0.5) / self->n_columns, 0.5, escaped);
    }
}

static void
render (GtkWidget     *widget,
        cairo_t       *cr,
        int            width,
        int            height,
        const GdkRGBA *fg,
        gboolean       dark)
{
  CuSeriesChart *self = CU_SERIES_CHART (widget);
  int old_stream = cu_plot_begin (cr, width, height, MAX_COLORS, TEXT_MM, fg, dark);

  /* blue history, orange forecast, bands of the forecast's hue */
  cu_plot_set_color_hex (COL_HISTORY, dark ? "#62a0ea" : "#1c71d8", 1.0);
  cu_plot_set_color_hex (COL_FORECAST, dark ? "#ffa348" : "#e66100", 1.0);
  cu_plot_set_color_hex (COL_BAND95, dark ? "#ffa348" : "#e66100", dark ? 0.20 : 0.16);
  cu_plot_set_color_hex (COL_BAND80, dark ? "#ffa348" : "#e66100", dark ? 0.30 : 0.26);
  cu_plot_set_color_hex (COL_MARK, dark ? "#ff7b63" : "#e01b24", 1.0);
  cu_plot_set_color_hex (COL_SHADE, dark ? "#ff7b63" : "#e01b24", dark ? 0.22 : 0.14);
  cu_plot_set_color_hex (COL_PARTIAL, dark ? "#242424" : "#fafafa", 0.85);
  cu_plot_set_series_colors (COL_SERIES, MAX_COLORS - COL_SERIES, self->n_series, self->last_is_other);

  if (self->kind == CU_SERIES_CHART_KIND_BAND)
    draw_band (self, width, height);
  else
    draw_columns (self, width, height);
  cu_plot_end (old_stream);
}

static gboolean
has_data (CuSeriesChart *self)
{
  if (self->kind == CU_SERIES_CHART_KIND_BAND)
    return self->n_history + self->n_forecast > 0;
  return self->n_columns > 0 && self->n_series > 0;
}

static void
update_accessible (CuSeriesChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!has_data (self))
    g_string_append (text, _("No data"));
  else if (self->kind == CU_SERIES_CHART_KIND_BAND)
    {
      g_autofree char *period = cu_format_period (self->first_day,
                                                  self->first_day + (CuDay) (self->n_history + self->n_forecast) - 1);
      g_string_append_printf (text, _("Daily cost in %s, %s: %u days of actual cost, then %u days forecast with 80%% and 95%% intervals"),
                              self->currency, period, self->n_history, self->n_forecast);
      if (self->mark_day != CU_DAY_INVALID)
        {
          g_autofree char *day = cu_format_day (self->mark_day);
          g_string_append_printf (text, _("; anomaly marked on %s"), day);
        }
      if (self->shade_first != CU_DAY_INVALID)
        {
          g_autofree char *span = cu_format_period (self->shade_first, self->shade_last);
          g_string_append_printf (text, _("; incident days shaded: %s"), span);
        }
    }
  else
    {
      g_string_append_printf (text, _("Cost in %s by period, stacked by:"), self->currency);
      for (guint s = 0; s < self->n_series; s++)
        g_string_append_printf (text, " %s%s", self->names[s], s + 1 < self->n_series ? "," : "");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static void
cu_series_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  CuSeriesChart *self = CU_SERIES_CHART (widget);

  if (has_data (self))
    cu_plot_cache_snapshot (&self->cache, widget, snapshot, render);
}

static void
cu_series_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 600;
    }
  else
    {
      *minimum = 180;
      *natural = 260;
    }
}

static void
free_data (CuSeriesChart *self)
{
  g_clear_pointer (&self->history, g_free);
  g_clear_pointer (&self->band, g_free);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->partial, g_free);
  self->n_history = self->n_forecast = 0;
  self->n_columns = self->n_series = 0;
  self->mark_day = CU_DAY_INVALID;
  self->shade_first = self->shade_last = CU_DAY_INVALID;
}

static void
cu_series_chart_finalize (GObject *object)
{
  CuSeriesChart *self = CU_SERIES_CHART (object);

  free_data (self);
  g_clear_pointer (&self->currency, g_free);
  cu_plot_cache_clear (&self->cache);

  G_OBJECT_CLASS (cu_series_chart_parent_class)->finalize (object);
}

static void
cu_series_chart_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CuSeriesChart *self = CU_SERIES_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_series_chart_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CuSeriesChart *self = CU_SERIES_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      cu_series_chart_set_kind (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_series_chart_class_init (CuSeriesChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cu_series_chart_finalize;
  object_class->get_property = cu_series_chart_get_property;
  object_class->set_property = cu_series_chart_set_property;

  widget_class->snapshot = cu_series_chart_snapshot;
  widget_class->measure = cu_series_chart_measure;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       CU_TYPE_SERIES_CHART_KIND, CU_SERIES_CHART_KIND_BAND,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cu_series_chart_init (CuSeriesChart *self)
{
  self->currency = g_strdup ("USD");
  self->mark_day = CU_DAY_INVALID;
  self->shade_first = self->shade_last = CU_DAY_INVALID;
  cu_plot_watch_style (GTK_WIDGET (self), G_CALLBACK (invalidate));
}

/**
 * cu_series_chart_new:
 *
 * Returns: (transfer floating): a new, empty chart
 */
GtkWidget *
cu_series_chart_new (CuSeriesChartKind kind)
{
  return g_object_new (CU_TYPE_SERIES_CHART, "kind", kind, NULL);
}

CuSeriesChartKind
cu_series_chart_get_kind (CuSeriesChart *self)
{
  g_return_val_if_fail (CU_IS_SERIES_CHART (self), CU_SERIES_CHART_KIND_BAND);
  return self->kind;
}

/**
 * cu_series_chart_set_kind:
 *
 * Switching the kind drops the data: its shape belongs to the kind.
 */
void
cu_series_chart_set_kind (CuSeriesChart     *self,
                          CuSeriesChartKind  kind)
{
  g_return_if_fail (CU_IS_SERIES_CHART (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  free_data (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

/**
 * cu_series_chart_set_currency:
 * @currency: (nullable): ISO 4217 code of the values, for the axis labels
 */
void
cu_series_chart_set_currency (CuSeriesChart *self,
                              const char    *currency)
{
  g_return_if_fail (CU_IS_SERIES_CHART (self));

  if (currency == NULL)
    currency = "USD";
  if (g_strcmp0 (self->currency, currency) == 0)
    return;
  g_free (self->currency);
  self->currency = g_strdup (currency);
  update_accessible (self);
  invalidate (self);
}

/**
 * cu_series_chart_set_band:
 * @first_day: the day of history[0]
 * @n_history: days of actual cost
 * @history: (array length=n_history): daily amounts
 * @n_forecast: forecast days, following the history
 * @mean: (array length=n_forecast): forecast mean
 * @lo80: (array length=n_forecast): lower 80 % bound, and so on
 *
 * Copies the data and clears the mark; only for the band kind.
 */
void
cu_series_chart_set_band (CuSeriesChart *self,
                          CuDay          first_day,
                          guint          n_history,
                          const double  *history,
                          guint          n_forecast,
                          const double  *mean,
                          const double  *lo80,
                          const double  *hi80,
                          const double  *lo95,
                          const double  *hi95)
{
  g_return_if_fail (CU_IS_SERIES_CHART (self));
  g_return_if_fail (self->kind == CU_SERIES_CHART_KIND_BAND);
  g_return_if_fail (n_history == 0 || history != NULL);
  g_return_if_fail (n_forecast == 0 || (mean && lo80 && hi80 && lo95 && hi95));

  free_data (self);
  self->first_day = first_day;
  self->n_history = n_history;
  self->n_forecast = n_forecast;
  self->history = g_memdup2 (history, sizeof (double) * n_history);
  if (n_forecast > 0)
    {
      const double *parts[5] = { mean, lo80, hi80, lo95, hi95 };

      self->band = g_new (double, 5 * n_forecast);
      for (guint p = 0; p < 5; p++)
        memcpy (self->band + p * n_forecast, parts[p], sizeof (double) * n_forecast);
    }
  update_accessible (self);
  invalidate (self);
}

/**
 * cu_series_chart_set_mark:
 * @day: the day to mark, or %CU_DAY_INVALID for none
 * @expected: what was expected on that day
 *
 * Marks an anomaly: the actual value of @day against @expected.
 */
void
cu_series_chart_set_mark (CuSeriesChart *self,
                          CuDay          day,
                          double         expected)
{
  g_return_if_fail (CU_IS_SERIES_CHART (self));

  self->mark_day = day;
  self->mark_expected = expected;
  update_accessible (self);
  invalidate (self);
}

/**
 * cu_series_chart_set_shade:
 * @first: the first day to shade, or %CU_DAY_INVALID for none
 * @last: the last one, inclusive
 *
 * Shades a run of days (an incident's) behind the band chart's lines.
 * cu_series_chart_set_band() clears it, so set it after the data.
 */
void
cu_series_chart_set_shade (CuSeriesChart *self,
                           CuDay          first,
                           CuDay          last)
{
  g_return_if_fail (CU_IS_SERIES_CHART (self));

  self->shade_first = first;
  self->shade_last = first == CU_DAY_INVALID ? CU_DAY_INVALID : MAX (first, last);
  update_accessible (self);
  invalidate (self);
}

/**
 * cu_series_chart_set_columns:
 * @n_columns: number of periods
 * @labels: (array length=n_columns): period names for the axis
 * @n_series: number of stacked series
 * @series_names: (array length=n_series): their names
 * @values: (array): @n_series × @n_columns amounts, series-major
 * @last_is_other: whether the last series is the rest, drawn grey
 *
 * Copies the data; only for the columns kind.
 */
void
cu_series_chart_set_columns (CuSeriesChart      *self,
                             guint               n_columns,
                             const char * const *labels,
                             guint               n_series,
                             const char * const *series_names,
                             const double       *values,
                             gboolean            last_is_other)
{
  g_return_if_fail (CU_IS_SERIES_CHART (self));
  g_return_if_fail (self->kind == CU_SERIES_CHART_KIND_COLUMNS);

  free_data (self);
  self->n_columns = n_columns;
  self->n_series = n_series;
  self->last_is_other = last_is_other;
  self->labels = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    self->labels[c] = g_strdup (labels[c]);
  self->names = g_new0 (char *, n_series + 1);
  for (guint s = 0; s < n_series; s++)
    self->names[s] = g_strdup (series_names[s]);
  self->values = g_memdup2 (values, sizeof (double) * n_series * n_columns);
  update_accessible (self);
  invalidate (self);
}

/**
 * cu_series_chart_set_partial:
 * @partial: (array) (nullable): one flag per column set by
 *   cu_series_chart_set_columns(), %TRUE for a period the data covers
 *   only in part; %NULL for none
 *
 * Partial periods are drawn hatched. Copies the flags; the next
 * cu_series_chart_set_columns() clears them.
 */
void
cu_series_chart_set_partial (CuSeriesChart  *self,
                             const gboolean *partial)
{
  g_return_if_fail (CU_IS_SERIES_CHART (self));

  g_clear_pointer (&self->partial, g_free);
  if (partial != NULL && self->n_columns > 0)
    self->partial = g_memdup2 (partial, sizeof (gboolean) * self->n_columns);
  invalidate (self);
}

void
cu_series_chart_clear (CuSeriesChart *self)
{
  g_return_if_fail (CU_IS_SERIES_CHART (self));

  free_data (self);
  update_accessible (self);
  invalidate (self);
}

/**
 * cu_series_chart_get_render_count:
 *
 * Returns: how many times PLplot has drawn this chart (for tests)
 */
guint
cu_series_chart_get_render_count (CuSeriesChart *self)
{
  g_return_val_if_fail (CU_IS_SERIES_CHART (self), 0);
  return self->cache.render_count;
}
