/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-chart.c — a cost chart drawn by PLplot into the widget's cairo node
 *
 * Two kinds: the daily cost stacked by series over a date axis, and
 * horizontal bars with their amount and share. The PLplot stream, the
 * axes and the cached rendering are cu-plot.c's (see there for why PLplot
 * only runs inside snapshot).
 *
 * Amounts are in currency units as doubles: a chart needs no cents, and the
 * exact figures are shown next to it.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <plplot.h>

#include "cu-chart.h"
#include "cu-format.h"
#include "cu-plot.h"
#include "util/cu-money.h"

/* colour map 0 slots after the base ones */
enum {
  COL_SERIES = CU_PLOT_N_BASE_COLORS,   /* first series; the rest follow */
};

#define MAX_COLORS 32

struct _CuChart
{
  GtkWidget      parent_instance;

  /* owned state */
  CuChartKind    kind;
  char          *currency;
  CuDay          first_day;
  guint          n_days;
  guint          n_series;
  char         **names;       /* series names (daily) or bar labels */
  double        *values;      /* n_series × n_days, or n_bars */
  gboolean       last_is_other;
  CuPlotCache    cache;

  /* where the plot area was drawn, in widget pixels, for tooltips */
  CuPlotArea     area;
};

G_DEFINE_FINAL_TYPE (CuChart, cu_chart, GTK_TYPE_WIDGET)
G_DEFINE_ENUM_TYPE (CuChartKind, cu_chart_kind,
                    G_DEFINE_ENUM_VALUE (CU_CHART_KIND_DAILY_STACKED, "daily-stacked"),
                    G_DEFINE_ENUM_VALUE (CU_CHART_KIND_HORIZONTAL_BARS, "horizontal-bars"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_CURRENCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Text sizes in PLplot are millimetres; the cairo driver maps 72 units to
 * the inch and we hand it pixels, so this is about 13 px text. */
#define TEXT_MM 2.8

static const CuPlotMoneyStyle money_style = { .char_px = 7.8, .short_thousands = TRUE };

static void
invalidate (CuChart *self)
{
  cu_plot_cache_invalidate (&self->cache, GTK_WIDGET (self));
}

static void
draw_daily (CuChart *self,
            int      width,
            int      height)
{
  double max_total, ymax, px_per_day;

  max_total = cu_plot_stacked_max (self->n_days, self->n_series, self->values);
  ymax = cu_plot_money_axis (&money_style, self->currency, width, height, 26,
                             self->n_days, max_total, &self->area);

  /* the stacked bars; credits (negative) are not stacked */
  px_per_day = (self->area.right - self->area.left) / MAX (self->n_days, 1);
  cu_plot_stacked_columns (self->n_days, self->n_series, self->values,
                           px_per_day >= 4 ? 0.15 : 0.05, COL_SERIES, MAX_COLORS - COL_SERIES);

  cu_plot_date_axis (self->first_day, self->n_days, &self->area, ymax, 64, 1.0);
}

static void
draw_bars (CuChart *self,
           int      width,
           int      height)
{
  double max_value = 0, total = 0;
  double left_px, right_px = 8, top_px = 4, bottom_px = 4;
  guint max_len = 4;
  g_autofree char *sample = NULL;
  double xmax;
  double label_px;

  for (guint i = 0; i < self->n_series; i++)
    {
      max_value = MAX (max_value, self->values[i]);
      total += MAX (0, self->values[i]);
      max_len = MAX (max_len, (guint) g_utf8_strlen (self->names[i], -1));
    }

  left_px = MIN (width * 0.4, 12 + 7.6 * max_len);
  /* the value label after the longest bar: "$123.4k · 41.2%" */
  sample = cu_money_format_compact (max_value, self->currency);
  label_px = 16 + 7.6 * (g_utf8_strlen (sample, -1) + 8);

  plvpor (left_px / width, 1 - right_px / width,
          bottom_px / height, 1 - top_px / height);
  {
    double plot_px = width - left_px - right_px;
    double bar_px = MAX (plot_px - label_px, plot_px * 0.3);
    xmax = max_value > 0 ? max_value * plot_px / bar_px : 1;
  }
  plwind (0, xmax, 0, self->n_series);
  self->area.left = left_px;
  self->area.right = width - right_px;
  self->area.top = top_px;
  self->area.bottom = height - bottom_px;

  for (guint i = 0; i < self->n_series; i++)
    {
      double v = MAX (0, self->values[i]);
      double yc = self->n_series - i - 0.5;
      PLFLT x[4], y[4];
      g_autofree char *name = cu_plot_escape (self->names[i]);
      g_autofree char *money = cu_money_format_compact (v, self->currency);
      g_autofree char *share = cu_format_share (total > 0 ? v / total : 0);
      g_autofree char *text = g_strdup_printf ("%s · %s", money, share);
      g_autofree char *escaped = cu_plot_escape (text);

      x[0] = x[3] = 0;
      x[1] = x[2] = v;
      y[0] = y[1] = yc - 0.32;
      y[2] = y[3] = yc + 0.32;
      plcol0 (COL_SERIES);
      if (v > 0)
        plfill (4, x, y);

      plcol0 (CU_PLOT_COL_FOREGROUND);
      plmtex ("lv", 0.8, yc / self->n_series, 1.0, name);
      plcol0 (CU_PLOT_COL_DIM);
      plptex (v + xmax * 0.015, yc, 1, 0, 0.0, escaped);
    }

  plcol0 (CU_PLOT_COL_AXIS);
  pljoin (0, 0, 0, self->n_series);
}

static gboolean
has_data (CuChart *self)
{
  return self->values != NULL && self->n_series > 0 &&
         (self->kind == CU_CHART_KIND_HORIZONTAL_BARS || self->n_days > 0);
}

static void
render (GtkWidget     *widget,
        cairo_t       *cr,
        int            width,
        int            height,
        const GdkRGBA *fg,
        gboolean       dark)
{
  CuChart *self = CU_CHART (widget);
  int old_stream = cu_plot_begin (cr, width, height, MAX_COLORS, TEXT_MM, fg, dark);

  cu_plot_set_series_colors (COL_SERIES, MAX_COLORS - COL_SERIES, self->n_series,
                             self->kind == CU_CHART_KIND_DAILY_STACKED && self->last_is_other);
  if (self->kind == CU_CHART_KIND_DAILY_STACKED)
    draw_daily (self, width, height);
  else
    draw_bars (self, width, height);
  cu_plot_end (old_stream);
}

static void
update_accessible (CuChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!has_data (self))
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("No data"),
                                      -1);
      return;
    }

  if (self->kind == CU_CHART_KIND_DAILY_STACKED)
    {
      g_autofree char *period = cu_format_period (self->first_day,
                                                  self->first_day + (CuDay) self->n_days - 1);
      g_string_append_printf (text, _("Daily cost, %s, stacked by:"), period);
      for (guint s = 0; s < self->n_series; s++)
        {
          double sum = 0;
          g_autofree char *money = NULL;
          for (guint d = 0; d < self->n_days; d++)
            sum += self->values[s * self->n_days + d];
          money = cu_money_format_display (cu_money_from_double (sum), self->currency);
          g_string_append_printf (text, " %s %s%s", self->names[s], money,
                                  s + 1 < self->n_series ? ";" : "");
        }
    }
  else
    {
      for (guint i = 0; i < self->n_series; i++)
        {
          g_autofree char *money = cu_money_format_display (cu_money_from_double (self->values[i]),
                                                            self->currency);
          g_string_append_printf (text, "%s%s %s", i ? "; " : "", self->names[i], money);
        }
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

/* The exact figures behind the bar under the pointer */
static gboolean
cu_chart_query_tooltip (GtkWidget  *widget,
                        int         x,
                        int         y,
                        gboolean    keyboard_mode,
                        GtkTooltip *tooltip)
{
  CuChart *self = CU_CHART (widget);
  g_autoptr(GString) text = g_string_new (NULL);
  double fx, fy;

  if (keyboard_mode || self->cache.node == NULL || !has_data (self) ||
      x < self->area.left || x >= self->area.right ||
      y < self->area.top || y >= self->area.bottom)
    return FALSE;

  fx = (x - self->area.left) / (self->area.right - self->area.left);
  fy = (y - self->area.top) / (self->area.bottom - self->area.top);

  if (self->kind == CU_CHART_KIND_DAILY_STACKED)
    {
      guint d = MIN ((guint) (fx * self->n_days), self->n_days - 1);
      double total = 0;
      g_autofree char *day = cu_format_day (self->first_day + (CuDay) d);
      g_autofree char *money = NULL;

      for (guint s = 0; s < self->n_series; s++)
        total += self->values[s * self->n_days + d];
      money = cu_money_format_display (cu_money_from_double (total), self->currency);
      g_string_append_printf (text, "<b>%s: %s</b>", day, money);
      for (guint s = self->n_series; s > 0; s--)
        {
          g_autofree char *name = g_markup_escape_text (self->names[s - 1], -1);
          g_autofree char *amount =
            cu_money_format_display (cu_money_from_double (self->values[(s - 1) * self->n_days + d]),
                                     self->currency);
          g_string_append_printf (text, "\n%s: %s", name, amount);
        }
    }
  else
    {
      guint i = MIN ((guint) (fy * self->n_series), self->n_series - 1);
      g_autofree char *name = g_markup_escape_text (self->names[i], -1);
      g_autofree char *amount = cu_money_format_display (cu_money_from_double (self->values[i]),
                                                         self->currency);
      g_string_append_printf (text, "<b>%s</b>: %s", name, amount);
    }

  gtk_tooltip_set_markup (tooltip, text->str);
  return TRUE;
}

static void
cu_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  CuChart *self = CU_CHART (widget);

  if (has_data (self))
    cu_plot_cache_snapshot (&self->cache, widget, snapshot, render);
}

static void
cu_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  CuChart *self = CU_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 600;
    }
  else if (self->kind == CU_CHART_KIND_HORIZONTAL_BARS)
    {
      *minimum = *natural = 12 + 30 * MAX (self->n_series, 3);
    }
  else
    {
      *minimum = 180;
      *natural = 280;
    }
}

static void
free_data (CuChart *self)
{
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  self->n_series = 0;
  self->n_days = 0;
}

static void
cu_chart_finalize (GObject *object)
{
  CuChart *self = CU_CHART (object);

  free_data (self);
  g_clear_pointer (&self->currency, g_free);
  cu_plot_cache_clear (&self->cache);

  G_OBJECT_CLASS (cu_chart_parent_class)->finalize (object);
}

static void
cu_chart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CuChart *self = CU_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_chart_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CuChart *self = CU_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      cu_chart_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_CURRENCY:
      cu_chart_set_currency (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_chart_class_init (CuChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cu_chart_finalize;
  object_class->get_property = cu_chart_get_property;
  object_class->set_property = cu_chart_set_property;

  widget_class->snapshot = cu_chart_snapshot;
  widget_class->measure = cu_chart_measure;
  widget_class->query_tooltip = cu_chart_query_tooltip;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       CU_TYPE_CHART_KIND, CU_CHART_KIND_DAILY_STACKED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, "USD",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cu_chart_init (CuChart *self)
{
  self->currency = g_strdup ("USD");
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  cu_plot_watch_style (GTK_WIDGET (self), G_CALLBACK (invalidate));
}

/**
 * cu_chart_new:
 * @kind: what the chart shows
 *
 * Returns: (transfer floating): a new, empty chart
 */
GtkWidget *
cu_chart_new (CuChartKind kind)
{
  return g_object_new (CU_TYPE_CHART, "kind", kind, NULL);
}

CuChartKind
cu_chart_get_kind (CuChart *self)
{
  g_return_val_if_fail (CU_IS_CHART (self), CU_CHART_KIND_DAILY_STACKED);
  return self->kind;
}

/**
 * cu_chart_set_kind:
 *
 * Switching the kind drops the data: its shape belongs to the kind.
 */
void
cu_chart_set_kind (CuChart     *self,
                   CuChartKind  kind)
{
  g_return_if_fail (CU_IS_CHART (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  free_data (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
cu_chart_get_currency (CuChart *self)
{
  g_return_val_if_fail (CU_IS_CHART (self), NULL);
  return self->currency;
}

/**
 * cu_chart_set_currency:
 * @currency: ISO 4217 code the values are in, used for axis labels
 */
void
cu_chart_set_currency (CuChart    *self,
                       const char *currency)
{
  g_return_if_fail (CU_IS_CHART (self));

  if (currency == NULL)
    currency = "USD";
  if (g_strcmp0 (self->currency, currency) == 0)
    return;
  g_free (self->currency);
  self->currency = g_strdup (currency);
  invalidate (self);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

/**
 * cu_chart_set_daily:
 * @first_day: the day of the first column
 * @n_days: number of days
 * @n_series: number of stacked series
 * @series_names: (array length=n_series): their names
 * @values: (array): @n_series × @n_days amounts, row-major by series
 * @last_is_other: whether the last series is the rest ("Other"), drawn grey
 *
 * Copies the data; only for %CU_CHART_KIND_DAILY_STACKED.
 */
void
cu_chart_set_daily (CuChart            *self,
                    CuDay               first_day,
                    guint               n_days,
                    guint               n_series,
                    const char * const *series_names,
                    const double       *values,
                    gboolean            last_is_other)
{
  g_return_if_fail (CU_IS_CHART (self));
  g_return_if_fail (self->kind == CU_CHART_KIND_DAILY_STACKED);
  g_return_if_fail (n_series == 0 || (series_names != NULL && values != NULL));

  free_data (self);
  self->first_day = first_day;
  self->n_days = n_days;
  self->n_series = n_series;
  self->last_is_other = last_is_other;
  self->names = g_new0 (char *, n_series + 1);
  for (guint s = 0; s < n_series; s++)
    self->names[s] = g_strdup (series_names[s]);
  self->values = g_memdup2 (values, sizeof (double) * n_series * n_days);

  update_accessible (self);
  invalidate (self);
}

/**
 * cu_chart_set_bars:
 * @n_bars: number of bars, drawn top to bottom
 * @labels: (array length=n_bars): their names
 * @values: (array length=n_bars): their amounts
 *
 * Copies the data; only for %CU_CHART_KIND_HORIZONTAL_BARS.
 */
void
cu_chart_set_bars (CuChart            *self,
                   guint               n_bars,
                   const char * const *labels,
                   const double       *values)
{
  g_return_if_fail (CU_IS_CHART (self));
  g_return_if_fail (self->kind == CU_CHART_KIND_HORIZONTAL_BARS);
  g_return_if_fail (n_bars == 0 || (labels != NULL && values != NULL));

  free_data (self);
  self->n_series = n_bars;
  self->names = g_new0 (char *, n_bars + 1);
  for (guint i = 0; i < n_bars; i++)
    self->names[i] = g_strdup (labels[i]);
  self->values = g_memdup2 (values, sizeof (double) * n_bars);

  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  invalidate (self);
}

void
cu_chart_clear (CuChart *self)
{
  g_return_if_fail (CU_IS_CHART (self));

  free_data (self);
  update_accessible (self);
  invalidate (self);
}

/**
 * cu_chart_get_render_count:
 *
 * Returns: how many times PLplot has drawn this chart; tests use it to see
 *   that the cache is rebuilt when it should be, and only then.
 */
guint
cu_chart_get_render_count (CuChart *self)
{
  g_return_val_if_fail (CU_IS_CHART (self), 0);
  return self->cache.render_count;
}
