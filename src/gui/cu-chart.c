/* cu-chart.c — a cost chart drawn by PLplot into the widget's cairo node
 *
 * PLplot keeps global state and is not thread-safe, so it only ever runs
 * here, on the main thread, inside snapshot. Every rendering gets a stream
 * of its own (plmkstrm … plend1), so two charts never share settings.
 *
 * The rendering is kept as a cairo render node and appended again on every
 * frame; it is rebuilt only when the size, the data or the style (light,
 * dark, high contrast: anything that changes the foreground colour) change.
 *
 * Amounts are in currency units as doubles: a chart needs no cents, and the
 * exact figures are shown next to it.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <math.h>
#include <plplot.h>
#include <string.h>

#include "cu-chart.h"
#include "cu-format.h"
#include "util/cu-money.h"

/* colour map 0 slots */
enum {
  COL_BACKGROUND,
  COL_FOREGROUND,
  COL_DIM,
  COL_GRID,
  COL_AXIS,
  COL_SERIES,       /* first series; the rest follow */
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

  /* the cached rendering and what it was made for */
  GskRenderNode *cache;
  int            cache_width;
  int            cache_height;
  GdkRGBA        cache_fg;
  gboolean       cache_dark;
  guint          render_count;

  /* where the plot area was drawn, in widget pixels, for tooltips */
  double         plot_left;
  double         plot_right;
  double         plot_top;
  double         plot_bottom;
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

/* GNOME palette tones that keep their contrast on light and dark backgrounds */
static const char * const palette[] = {
  "#3584e4", "#e66100", "#2ec27e", "#c061cb", "#e5a50a",
  "#26a1a2", "#e01b24", "#865e3c",
};
static const char other_color[] = "#9a9996";

/* Text sizes in PLplot are millimetres; the cairo driver maps 72 units to
 * the inch and we hand it pixels, so this is about 13 px text. */
#define TEXT_MM 2.8

static void
invalidate (CuChart *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_plplot_color (int            index,
                  const GdkRGBA *rgba,
                  double         alpha)
{
  plscol0a (index,
            (PLINT) lround (rgba->red * 255),
            (PLINT) lround (rgba->green * 255),
            (PLINT) lround (rgba->blue * 255),
            rgba->alpha * alpha);
}

/* PLplot treats '#' as an escape character in text */
static char *
plplot_escape (const char *text)
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
money_label_cb (PLINT    axis,
                PLFLT    value,
                char    *label,
                PLINT    length,
                PLPointer data)
{
  CuChart *self = data;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  if (fabs (value) < 1e-9)
    value = 0;
  text = cu_money_format_compact (value, self->currency);
  /* one axis, one style: "$5k" next to "$10k", not "$5.0k" */
  for (char *p = strstr (text, ".0"); p != NULL; p = strstr (p + 1, ".0"))
    if (p[2] == 'k' || p[2] == 'M' || p[2] == 'B')
      memmove (p, p + 2, strlen (p + 2) + 1);
  escaped = plplot_escape (text);
  g_strlcpy (label, escaped, length);
}

static void
draw_daily (CuChart *self,
            int      width,
            int      height)
{
  g_autofree double *totals = g_new0 (double, MAX (self->n_days, 1));
  double max_total = 0, step, ymax;
  double left_px, bottom_px = 26, top_px = 10, right_px = 10;
  double px_per_day;
  int n_ticks;
  g_autofree char *sample = NULL;

  for (guint d = 0; d < self->n_days; d++)
    {
      for (guint s = 0; s < self->n_series; s++)
        totals[d] += MAX (0, self->values[s * self->n_days + d]);
      max_total = MAX (max_total, totals[d]);
    }

  n_ticks = height > 220 ? 4 : 3;
  step = nice_step (max_total, n_ticks);
  ymax = MAX (step, ceil (max_total / step) * step);
  if (ymax < max_total * 1.02)
    ymax += step;

  /* room for the widest y label */
  sample = cu_money_format_compact (ymax, self->currency);
  left_px = 14 + 7.8 * g_utf8_strlen (sample, -1);

  plvpor (left_px / width, 1 - right_px / width,
          bottom_px / height, 1 - top_px / height);
  plwind (0, self->n_days, 0, ymax);
  self->plot_left = left_px;
  self->plot_right = width - right_px;
  self->plot_top = top_px;
  self->plot_bottom = height - bottom_px;

  /* horizontal grid, then the money labels on it */
  plcol0 (COL_GRID);
  plwidth (1);
  for (double v = step; v <= ymax + step / 2; v += step)
    pljoin (0, v, self->n_days, v);

  /* PLplot writes labels only with ticks ("t"): make those zero long */
  plcol0 (COL_DIM);
  plsmaj (0, 0);
  plsmin (0, 0);
  plslabelfunc (money_label_cb, self);
  plbox ("", 0, 0, "ntvo", step, 0);
  plslabelfunc (NULL, NULL);

  /* the stacked bars; credits (negative) are not stacked */
  px_per_day = (width - left_px - right_px) / MAX (self->n_days, 1);
  for (guint d = 0; d < self->n_days; d++)
    {
      double base = 0;
      double gap = px_per_day >= 4 ? 0.15 : 0.05;

      for (guint s = 0; s < self->n_series; s++)
        {
          double v = self->values[s * self->n_days + d];
          PLFLT x[4], y[4];

          if (v <= 0)
            continue;
          x[0] = x[3] = d + gap;
          x[1] = x[2] = d + 1 - gap;
          y[0] = y[1] = base;
          y[2] = y[3] = base + v;
          plcol0 (COL_SERIES + MIN (s, MAX_COLORS - COL_SERIES - 1));
          plfill (4, x, y);
          base += v;
        }
    }

  /* base line */
  plcol0 (COL_AXIS);
  pljoin (0, 0, self->n_days, 0);

  /* date axis: a tick on every month start, labels on the 1st (and the
   * 15th when there is room) */
  for (guint d = 0; d < self->n_days; d++)
    {
      int y, m, dom;
      gboolean month_start;
      gboolean mid_month;

      cu_day_to_ymd (self->first_day + (CuDay) d, &y, &m, &dom);
      month_start = dom == 1;
      mid_month = dom == 15 && px_per_day * 14 >= 64;
      if (!month_start && !mid_month)
        continue;

      plcol0 (COL_AXIS);
      pljoin (d, 0, d, -ymax * 4.0 / (height - bottom_px - top_px));
      if (month_start && px_per_day * self->n_days > 0)
        {
          g_autofree char *text = cu_format_day_short (self->first_day + (CuDay) d);
          g_autofree char *escaped = plplot_escape (text);
          plcol0 (COL_DIM);
          plmtex ("b", 1.6, (d + 0.0) / self->n_days, 0.0, escaped);
        }
      else if (mid_month)
        {
          g_autofree char *text = cu_format_day_short (self->first_day + (CuDay) d);
          g_autofree char *escaped = plplot_escape (text);
          plcol0 (COL_DIM);
          plmtex ("b", 1.6, (d + 0.0) / self->n_days, 0.0, escaped);
        }
    }
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
  self->plot_left = left_px;
  self->plot_right = width - right_px;
  self->plot_top = top_px;
  self->plot_bottom = height - bottom_px;

  for (guint i = 0; i < self->n_series; i++)
    {
      double v = MAX (0, self->values[i]);
      double yc = self->n_series - i - 0.5;
      PLFLT x[4], y[4];
      g_autofree char *name = plplot_escape (self->names[i]);
      g_autofree char *money = cu_money_format_compact (v, self->currency);
      g_autofree char *share = cu_format_share (total > 0 ? v / total : 0);
      g_autofree char *text = g_strdup_printf ("%s · %s", money, share);
      g_autofree char *escaped = plplot_escape (text);

      x[0] = x[3] = 0;
      x[1] = x[2] = v;
      y[0] = y[1] = yc - 0.32;
      y[2] = y[3] = yc + 0.32;
      plcol0 (COL_SERIES);
      if (v > 0)
        plfill (4, x, y);

      plcol0 (COL_FOREGROUND);
      plmtex ("lv", 0.8, yc / self->n_series, 1.0, name);
      plcol0 (COL_DIM);
      plptex (v + xmax * 0.015, yc, 1, 0, 0.0, escaped);
    }

  plcol0 (COL_AXIS);
  pljoin (0, 0, 0, self->n_series);
}

static void
render (CuChart       *self,
        cairo_t       *cr,
        int            width,
        int            height,
        const GdkRGBA *fg,
        gboolean       dark)
{
  PLINT old_stream = 0, stream = 0;
  GdkRGBA rgba;

  plgstrm (&old_stream);
  plmkstrm (&stream);

  plsdev ("extcairo");
  /* the driver's text clip box lags behind the margins we draw labels in
   * and cuts glyphs in half; the labels are placed inside the widget anyway */
  plsetopt ("drvopt", "text_clipping=0");
  plspage (0, 0, width, height, 0, 0);
  plscmap0n (MAX_COLORS);
  /* the widget's own background shows through */
  plscolbga (0, 0, 0, 0.0);
  plinit ();
  pl_cmd (PLESC_DEVINIT, cr);

  set_plplot_color (COL_FOREGROUND, fg, 1.0);
  set_plplot_color (COL_DIM, fg, 0.75);
  set_plplot_color (COL_GRID, fg, dark ? 0.14 : 0.12);
  set_plplot_color (COL_AXIS, fg, 0.45);
  for (int i = COL_SERIES; i < MAX_COLORS; i++)
    {
      guint s = i - COL_SERIES;
      cu_chart_series_color (s, self->n_series,
                             self->kind == CU_CHART_KIND_DAILY_STACKED && self->last_is_other,
                             &rgba);
      set_plplot_color (i, &rgba, 1.0);
    }

  pladv (0);
  plschr (TEXT_MM, 1.0);
  plfont (1);

  if (self->kind == CU_CHART_KIND_DAILY_STACKED)
    draw_daily (self, width, height);
  else
    draw_bars (self, width, height);

  plend1 ();
  plsstrm (old_stream);
}

static gboolean
has_data (CuChart *self)
{
  return self->values != NULL && self->n_series > 0 &&
         (self->kind == CU_CHART_KIND_HORIZONTAL_BARS || self->n_days > 0);
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

  if (keyboard_mode || self->cache == NULL || !has_data (self) ||
      x < self->plot_left || x >= self->plot_right ||
      y < self->plot_top || y >= self->plot_bottom)
    return FALSE;

  fx = (x - self->plot_left) / (self->plot_right - self->plot_left);
  fy = (y - self->plot_top) / (self->plot_bottom - self->plot_top);

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
style_dark_changed_cb (CuChart *self)
{
  invalidate (self);
}

static void
cu_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  CuChart *self = CU_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA fg;

  if (width <= 1 || height <= 1 || !has_data (self))
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  if (self->cache == NULL ||
      self->cache_width != width || self->cache_height != height ||
      self->cache_dark != dark || !gdk_rgba_equal (&fg, &self->cache_fg))
    {
      graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, width, height);
      GskRenderNode *node = gsk_cairo_node_new (&bounds);
      cairo_t *cr = gsk_cairo_node_get_draw_context (node);

      render (self, cr, width, height, &fg, dark);
      cairo_destroy (cr);

      g_clear_pointer (&self->cache, gsk_render_node_unref);
      self->cache = node;
      self->cache_width = width;
      self->cache_height = height;
      self->cache_fg = fg;
      self->cache_dark = dark;
      self->render_count++;
    }

  gtk_snapshot_append_node (snapshot, self->cache);
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
  g_clear_pointer (&self->cache, gsk_render_node_unref);

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
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_dark_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (style_dark_changed_cb), self, G_CONNECT_SWAPPED);
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
  return self->render_count;
}

/**
 * cu_chart_series_color:
 * @index: the series
 * @n_series: how many there are
 * @last_is_other: whether the last one is "Other"
 * @color: (out): its colour, the same in the chart and in a legend
 */
void
cu_chart_series_color (guint     index,
                       guint     n_series,
                       gboolean  last_is_other,
                       GdkRGBA  *color)
{
  if (last_is_other && n_series > 0 && index == n_series - 1)
    gdk_rgba_parse (color, other_color);
  else
    gdk_rgba_parse (color, palette[index % G_N_ELEMENTS (palette)]);
}
