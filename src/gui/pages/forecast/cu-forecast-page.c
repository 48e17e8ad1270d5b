/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-forecast-page.c — where a series is heading, with its uncertainty
 *
 * Shows the forecasts the analysis stored (tables forecasts and
 * forecast_models): the last 90 days of actual cost, then 30 to 90 days of
 * forecast with its 80 % and 95 % prediction intervals, and the month-end
 * and quarter-end projections (actuals to date plus the forecast, from
 * cu_analysis_project()). Everything is read in a worker with its own
 * ledger connection; a newer request drops the older result.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "analysis/cu-analysis.h"
#include "analysis/cu-budgets.h"
#include "analysis/cu-forecasts.h"
#include "analysis/cu-projection.h"
#include "cu-format.h"
#include "cu-forecast-page.h"
#include "cu-page-job.h"
#include "cu-series-chart.h"
#include "cu-stat-card.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

#define HISTORY_DAYS 90

struct _CuForecastPage
{
  CuPage               parent_instance;

  /* template children */
  AdwComboRow         *series_row;
  AdwComboRow         *horizon_row;
  GtkWidget           *status_box;
  GtkSpinner          *spinner;
  GtkLabel            *status_label;
  AdwStatusPage       *empty_page;
  GtkWidget           *results_box;
  CuStatCard          *month_card;
  CuStatCard          *quarter_card;
  AdwEntryRow         *amount_row;
  AdwActionRow        *chance_row;
  AdwPreferencesGroup *chart_group;
  CuSeriesChart       *chart;
  GtkLabel            *legend_label;
  GtkLabel            *computed_label;

  /* owned state */
  GCancellable        *cancellable;
  GPtrArray           *series;      /* of SeriesId, parallel to series_row's model */
  char                *kind;        /* the series wanted */
  char                *key;
  double               month_projection;
  CuProjection         month;        /* model always NULL: not owned */
  CuProjection         quarter;
  char                *currency;
  double               probability_month; /* of ending above the amount typed; < 0: none */
  double               probability_quarter;
  gboolean             has_forecast;
  gboolean             updating;
};

G_DEFINE_FINAL_TYPE (CuForecastPage, cu_forecast_page, CU_TYPE_PAGE)

typedef struct {
  char *kind;
  char *key;
} SeriesId;

typedef struct {
  char  *kind;
  char  *key;
  guint  horizon;
  CuDay  as_of;
} Request;

typedef struct {
  GPtrArray    *series;      /* of SeriesId: every series with a forecast */
  char         *kind;        /* the one shown */
  char         *key;
  char         *model;
  char         *currency;
  char         *computed_at;
  CuDay         history_from, history_to;
  CuDay         first;       /* day of history[0] */
  GArray       *history;     /* double */
  GArray       *band;        /* double × 5 per day: mean, lo80, hi80, lo95, hi95 */
  CuProjection  month;
  CuProjection  quarter;
  gint64        budget_amount; /* a monthly budget of this series, 0 when none */
} Result;

static void
series_id_free (SeriesId *id)
{
  g_free (id->kind);
  g_free (id->key);
  g_free (id);
}

static void
request_free (Request *r)
{
  g_free (r->kind);
  g_free (r->key);
  g_free (r);
}

static void
result_free (Result *r)
{
  g_clear_pointer (&r->series, g_ptr_array_unref);
  g_free (r->kind);
  g_free (r->key);
  g_free (r->model);
  g_free (r->currency);
  g_free (r->computed_at);
  g_clear_pointer (&r->history, g_array_unref);
  g_clear_pointer (&r->band, g_array_unref);
  g_free (r->month.model);
  g_free (r->quarter.model);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static void
show_status (CuForecastPage *self,
             const char     *text,
             gboolean        spinning)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (self->status_box, text != NULL);
  cu_page_job_set_spinning (self->spinner, spinning);
  if (spinning)
    cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_LOADING);
}

/* ---- the worker ---- */

static gboolean
load_models (CuLedger  *ledger,
             Request   *req,
             Result    *result,
             GError   **error)
{
  g_autoptr(GPtrArray) stored = cu_forecasts_list (ledger, error);

  if (stored == NULL)
    return FALSE;
  for (guint i = 0; i < stored->len; i++)
    {
      const CuStoredForecast *f = g_ptr_array_index (stored, i);
      SeriesId *id = g_new0 (SeriesId, 1);

      id->kind = g_strdup (f->series_kind);
      id->key = g_strdup (f->series_key);
      g_ptr_array_add (result->series, id);

      if (result->kind == NULL ||
          (g_strcmp0 (id->kind, req->kind) == 0 && g_strcmp0 (id->key, req->key) == 0))
        {
          g_free (result->kind);
          g_free (result->key);
          g_free (result->model);
          g_free (result->currency);
          g_free (result->computed_at);
          result->kind = g_strdup (id->kind);
          result->key = g_strdup (id->key);
          result->model = g_strdup (f->model);
          result->currency = g_strdup (f->currency);
          result->history_from = f->history_from;
          result->history_to = f->history_to;
          result->computed_at = g_strdup (f->computed_at);
        }
    }
  return TRUE;
}

static gboolean
load_band (CuLedger  *ledger,
           Request   *req,
           Result    *result,
           GError   **error)
{
  g_autoptr(GArray) points = cu_forecasts_get_points (ledger, result->kind, result->key,
                                                      result->history_to, req->horizon, error);

  if (points == NULL)
    return FALSE;
  for (guint d = 0; d < points->len; d++)
    {
      const CuForecastPoint *p = &g_array_index (points, CuForecastPoint, d);
      const double values[5] = { p->mean, p->lo80, p->hi80, p->lo95, p->hi95 };

      for (int i = 0; i < 5; i++)
        {
          /* costs are not negative, whatever the interval says */
          double v = MAX (0, values[i]);
          g_array_append_val (result->band, v);
        }
    }
  return TRUE;
}

static gpointer
load_run (CuLedger      *ledger,
          gpointer       request,
          GCancellable  *cancellable,
          GError       **error)
{
  Request *req = request;
  g_autoptr(Result) result = g_new0 (Result, 1);
  g_autoptr(GPtrArray) all = NULL;
  CuDay next, ms, me, qs, qe;
  int y, m;

  result->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_id_free);
  result->history = g_array_new (FALSE, FALSE, sizeof (double));
  result->band = g_array_new (FALSE, FALSE, sizeof (double));

  if (!load_models (ledger, req, result, error))
    return NULL;
  if (result->kind == NULL)
    return g_steal_pointer (&result);

  all = cu_analysis_load_series (ledger, result->kind, 0, req->as_of, error);
  if (all == NULL || !load_band (ledger, req, result, error))
    return NULL;
  for (guint i = 0; i < all->len; i++)
    {
      CuDailySeries *s = all->pdata[i];
      CuDay last = s->first + (CuDay) s->n - 1;
      CuDay from;

      if (g_strcmp0 (s->key, result->key) != 0)
        continue;
      /* the history the forecast continues: up to its last day */
      last = MIN (last, result->history_to);
      from = MAX (s->first, last - HISTORY_DAYS + 1);
      result->first = from;
      for (CuDay d = from; d <= last; d++)
        g_array_append_val (result->history, s->values[d - s->first]);
      break;
    }
  if (result->history->len == 0)
    result->first = result->history_to + 1;

  /* the month and the quarter the forecast starts in */
  next = result->history_to + 1;
  cu_day_to_ymd (next, &y, &m, NULL);
  ms = cu_day_month_start (next);
  me = cu_day_month_end (next);
  qs = cu_day_from_ymd (y, ((m - 1) / 3) * 3 + 1, 1);
  qe = cu_day_add_months (qs, 3) - 1;
  if (!cu_analysis_project (ledger, result->kind, result->key, ms, me, &result->month, error) ||
      !cu_analysis_project (ledger, result->kind, result->key, qs, qe, &result->quarter, error))
    return NULL;

  /* the amount to start from: a monthly budget on exactly this series */
  {
    g_autoptr(GPtrArray) budgets = cu_budgets_list (ledger, NULL);

    for (guint i = 0; budgets != NULL && i < budgets->len; i++)
      {
        const CuBudget *b = budgets->pdata[i];
        gboolean same = g_str_equal (result->kind, "total")
          ? b->filter_key == NULL
          : g_strcmp0 (b->filter_key, result->kind) == 0 && g_strcmp0 (b->filter_value, result->key) == 0;

        if (same && b->period == CU_BUDGET_MONTHLY)
          {
            result->budget_amount = b->amount;
            break;
          }
      }
  }
  return g_steal_pointer (&result);
}

/* ---- showing it ---- */

static void
fill_card (CuStatCard         *card,
           const char         *title,
           const CuProjection *p,
           const char         *currency)
{
  g_autofree char *period = cu_format_period (p->start, p->end);
  g_autofree char *value = cu_money_format_display (cu_money_from_double (p->mean), currency);
  g_autofree char *lo80 = cu_money_format_display (cu_money_from_double (p->lo80), currency);
  g_autofree char *hi80 = cu_money_format_display (cu_money_from_double (p->hi80), currency);
  g_autofree char *lo95 = cu_money_format_display (cu_money_from_double (p->lo95), currency);
  g_autofree char *hi95 = cu_money_format_display (cu_money_from_double (p->hi95), currency);
  g_autofree char *actual = cu_money_format_display (cu_money_from_double (p->actual), currency);
  g_autoptr(GString) detail = g_string_new (NULL);

  cu_stat_card_set_title (card, title);
  cu_stat_card_set_period (card, period);
  cu_stat_card_set_value (card, value);
  /* TRANSLATORS: prediction intervals: "80% interval: $1.00 – $2.00" */
  g_string_append_printf (detail, _("80%% interval: %s – %s"), lo80, hi80);
  g_string_append_c (detail, '\n');
  g_string_append_printf (detail, _("95%% interval: %s – %s"), lo95, hi95);
  g_string_append_c (detail, '\n');
  if (p->actual_through >= p->start)
    {
      g_autofree char *through = cu_format_day (p->actual_through);
      g_string_append_printf (detail, _("Actual %s through %s, then forecast"), actual, through);
    }
  else
    g_string_append (detail, _("All forecast: no actual costs yet in this period"));
  if (p->model != NULL)
    {
      g_string_append_c (detail, '\n');
      /* TRANSLATORS: the forecast model, "ETS(A,Ad,A)" */
      g_string_append_printf (detail, _("Model %s"), p->model);
    }
  cu_stat_card_set_detail (card, detail->str);
}

static char *
format_probability (double p)
{
  if (p < 0.005)
    return g_strdup (_("under 1%"));
  if (p > 0.995)
    return g_strdup (_("over 99%"));
  return g_strdup_printf ("%.0f%%", 100.0 * p);
}

/* "330,000", "$330,000.00", "330000", "12,345.67 CHF": digits, one decimal
 * point, grouping, and a currency sign or code around them */
static gboolean
parse_amount (const char *text,
              gint64     *out)
{
  g_autoptr(GString) clean = g_string_new (NULL);

  for (const char *c = text; *c != '\0'; c++)
    if (g_ascii_isdigit (*c) || *c == '.' || *c == '-')
      g_string_append_c (clean, *c);
    else if (*c != ',' && *c != ' ' && *c != '_' && *c != '$' && !g_ascii_isalpha (*c) && g_ascii_isprint (*c))
      return FALSE;
  return clean->len > 0 && cu_money_parse (clean->str, -1, out, NULL) && *out > 0;
}

static void
update_chance (CuForecastPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->amount_row));
  gint64 amount = 0;
  g_autofree char *subtitle = NULL;

  self->probability_month = self->probability_quarter = -1.0;
  if (*text == '\0' || self->currency == NULL)
    {
      adw_action_row_set_subtitle (self->chance_row, _("Type an amount above"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->amount_row), "error");
      return;
    }
  if (!parse_amount (text, &amount))
    {
      adw_action_row_set_subtitle (self->chance_row, _("Not an amount: type digits, e.g. 330,000"));
      gtk_widget_add_css_class (GTK_WIDGET (self->amount_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->amount_row), "error");
  self->probability_month = cu_projection_probability_above (&self->month, cu_money_to_double (amount));
  self->probability_quarter = cu_projection_probability_above (&self->quarter, cu_money_to_double (amount));
  {
    g_autofree char *shown = cu_money_format_display (amount, self->currency);
    g_autofree char *month = cu_format_month (self->month.start);
    g_autofree char *quarter = cu_format_quarter (self->quarter.start);
    g_autofree char *pm = format_probability (self->probability_month);
    g_autofree char *pq = format_probability (self->probability_quarter);

    /* TRANSLATORS: "December 2026 ends above $330,000.00: 23%\nQ4 2026 ends above $330,000.00: over 99%" */
    subtitle = g_strdup_printf (_("%s ends above %s: %s\n%s ends above %s: %s"),
                                month, shown, pm, quarter, shown, pq);
  }
  adw_action_row_set_subtitle (self->chance_row, subtitle);
}

static void
amount_changed_cb (CuForecastPage *self)
{
  update_chance (self);
}

static void
show_result (CuForecastPage *self,
             Result         *r)
{
  guint n_fc = r->band->len / 5;
  g_autofree double *parts = g_new0 (double, 5 * MAX (n_fc, 1));
  g_autofree char *name = cu_format_series (r->kind, r->key);
  g_autofree char *hist = NULL;
  g_autofree char *fc = NULL;
  g_autofree char *text = NULL;
  g_autofree char *month = cu_format_month (r->month.start);
  g_autofree char *quarter = cu_format_quarter (r->quarter.start);
  g_autofree char *month_title = g_strdup_printf (_("%s, projected"), month);
  g_autofree char *quarter_title = g_strdup_printf (_("%s, projected"), quarter);
  g_autofree char *hist_period = cu_format_period (r->history_from, r->history_to);
  /* the chart's colours, see cu-series-chart.c */
  const char *forecast = adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "#ffa348" : "#e66100";

  for (guint i = 0; i < n_fc; i++)
    for (guint p = 0; p < 5; p++)
      parts[p * n_fc + i] = g_array_index (r->band, double, i * 5 + p);

  cu_series_chart_set_currency (self->chart, r->currency);
  cu_series_chart_set_band (self->chart, r->first, r->history->len, (double *) r->history->data,
                            n_fc, parts, parts + n_fc, parts + 2 * n_fc, parts + 3 * n_fc, parts + 4 * n_fc);

  hist = r->history->len ? cu_format_period (r->first, r->first + (CuDay) r->history->len - 1) : g_strdup ("—");
  fc = n_fc ? cu_format_period (r->history_to + 1, r->history_to + (CuDay) n_fc) : g_strdup ("—");
  /* TRANSLATORS: "Total cost · actual 3 Aug – 31 Oct 2026, forecast 1–30 Nov 2026 · USD per day" */
  text = g_strdup_printf (_("%s · actual %s, forecast %s · %s per day"), name, hist, fc, r->currency);
  adw_preferences_group_set_description (self->chart_group, text);
  g_clear_pointer (&text, g_free);

  text = g_strdup_printf ("<span foreground=\"%s\">━</span> %s   <span foreground=\"%s\">━</span> %s   "
                          "<span foreground=\"%s\" alpha=\"55%%\">█</span> %s   "
                          "<span foreground=\"%s\" alpha=\"30%%\">█</span> %s",
                          adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "#62a0ea" : "#1c71d8",
                          _("Actual daily cost"),
                          forecast, _("Forecast (mean)"),
                          forecast, _("80% interval"),
                          forecast, _("95% interval"));
  gtk_label_set_markup (self->legend_label, text);
  g_clear_pointer (&text, g_free);

  fill_card (self->month_card, month_title, &r->month, r->currency);
  fill_card (self->quarter_card, quarter_title, &r->quarter, r->currency);
  self->month_projection = r->month.mean;
  self->month = r->month;
  self->month.model = NULL;
  self->quarter = r->quarter;
  self->quarter.model = NULL;
  g_free (self->currency);
  self->currency = g_strdup (r->currency);
  if (r->budget_amount > 0 && *gtk_editable_get_text (GTK_EDITABLE (self->amount_row)) == '\0')
    {
      /* as money is written everywhere else ("$330,000.00"); typed
       * amounts may have a currency sign and grouping too */
      g_autofree char *shown = cu_money_format_display (r->budget_amount, r->currency);
      gtk_editable_set_text (GTK_EDITABLE (self->amount_row), shown);
    }
  update_chance (self);

  {
    g_autofree char *computed = NULL;
    g_autoptr(GDateTime) dt = r->computed_at ? g_date_time_new_from_iso8601 (r->computed_at, NULL) : NULL;

    computed = dt ? g_date_time_format (dt, "%e %b %Y %H:%M UTC") : g_strdup (r->computed_at);
    if (computed)
      g_strstrip (computed);
    text = g_strdup_printf (_("Forecast computed %s by the %s model from the daily costs of %s. "
                              "Intervals: 80%% and 95%% prediction intervals; the projections add the daily bounds, "
                              "so their intervals are on the wide side."),
                            computed ? computed : "—", r->model, hist_period);
    gtk_label_set_label (self->computed_label, text);
  }
}

static void
fill_series (CuForecastPage *self,
             GPtrArray      *series,
             const char     *kind,
             const char     *key)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint selected = 0;

  self->updating = TRUE;
  g_ptr_array_set_size (self->series, 0);
  for (guint i = 0; i < series->len; i++)
    {
      SeriesId *id = series->pdata[i];
      SeriesId *copy = g_new0 (SeriesId, 1);
      g_autofree char *label = cu_format_series (id->kind, id->key);

      copy->kind = g_strdup (id->kind);
      copy->key = g_strdup (id->key);
      g_ptr_array_add (self->series, copy);
      gtk_string_list_append (model, label);
      if (g_strcmp0 (id->kind, kind) == 0 && g_strcmp0 (id->key, key) == 0)
        selected = i;
    }
  adw_combo_row_set_model (self->series_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->series_row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->series_row), series->len > 0);
  self->updating = FALSE;
}

static void
load_done (gpointer      source,
           gpointer      request,
           gpointer      data,
           const GError *error)
{
  CuForecastPage *self = CU_FORECAST_PAGE (source);
  g_autoptr(Result) result = data;

  if (result == NULL)
    {
      show_status (self, error->message, FALSE);
      gtk_widget_set_visible (self->results_box, FALSE);
      cu_page_set_error (CU_PAGE (self), error->message);
      return;
    }

  fill_series (self, result->series, result->kind, result->key);
  self->has_forecast = result->kind != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), !self->has_forecast);
  gtk_widget_set_visible (self->results_box, self->has_forecast);
  if (self->has_forecast)
    show_result (self, result);
  show_status (self, NULL, FALSE);
  cu_page_set_state (CU_PAGE (self), self->has_forecast ? CU_PAGE_STATE_READY : CU_PAGE_STATE_EMPTY);
}

static const CuPageJobInfo load_job = {
  .name = "[cumulus] forecast",
  .run = load_run,
  .done = load_done,
  .request_free = (GDestroyNotify) request_free,
  .result_free = (GDestroyNotify) result_free,
};

static void
start_load (CuForecastPage *self)
{
  static const guint horizons[] = { 30, 60, 90 };
  const char *workspace = cu_page_get_workspace (CU_PAGE (self));
  Request *req;
  guint h = adw_combo_row_get_selected (self->horizon_row);

  cu_page_job_cancel (&self->cancellable);
  if (workspace == NULL)
    {
      show_status (self, NULL, FALSE);
      cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_IDLE);
      return;
    }

  req = g_new0 (Request, 1);
  req->kind = g_strdup (self->kind);
  req->key = g_strdup (self->key);
  req->horizon = horizons[MIN (h, G_N_ELEMENTS (horizons) - 1)];
  req->as_of = cu_day_today ();

  show_status (self, _("Reading the forecasts…"), TRUE);
  cu_page_job_start (&load_job, self, &self->cancellable, workspace, req);
}

static void
series_changed_cb (CuForecastPage *self)
{
  guint i;

  if (self->updating)
    return;
  i = adw_combo_row_get_selected (self->series_row);
  if (i < self->series->len)
    {
      SeriesId *id = self->series->pdata[i];
      g_free (self->kind);
      g_free (self->key);
      self->kind = g_strdup (id->kind);
      self->key = g_strdup (id->key);
    }
  start_load (self);
}

static void
cu_forecast_page_dispose (GObject *object)
{
  CuForecastPage *self = CU_FORECAST_PAGE (object);

  cu_page_job_cancel (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_FORECAST_PAGE);

  G_OBJECT_CLASS (cu_forecast_page_parent_class)->dispose (object);
}

static void
cu_forecast_page_finalize (GObject *object)
{
  CuForecastPage *self = CU_FORECAST_PAGE (object);

  g_ptr_array_unref (self->series);
  g_free (self->kind);
  g_free (self->key);
  g_free (self->currency);

  G_OBJECT_CLASS (cu_forecast_page_parent_class)->finalize (object);
}

/* Reads the stored forecasts again, in a worker. */
static void
cu_forecast_page_reload (CuPage *page)
{
  start_load (CU_FORECAST_PAGE (page));
}

static void
cu_forecast_page_class_init (CuForecastPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CuPageClass *page_class = CU_PAGE_CLASS (klass);

  object_class->dispose = cu_forecast_page_dispose;
  object_class->finalize = cu_forecast_page_finalize;
  page_class->reload = cu_forecast_page_reload;
  page_class->reload_on = CU_WORKSPACE_CHANGE_ANALYSIS;

  g_type_ensure (CU_TYPE_SERIES_CHART);
  g_type_ensure (CU_TYPE_STAT_CARD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-forecast-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, series_row);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, horizon_row);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, month_card);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, quarter_card);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, amount_row);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, chance_row);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, chart_group);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, chart);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, legend_label);
  gtk_widget_class_bind_template_child (widget_class, CuForecastPage, computed_label);
  gtk_widget_class_bind_template_callback (widget_class, series_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, amount_changed_cb);
}

static void
cu_forecast_page_init (CuForecastPage *self)
{
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_id_free);
  self->kind = g_strdup ("total");
  self->key = g_strdup ("");
  self->probability_month = self->probability_quarter = -1.0;

  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_set_visible (self->status_box, FALSE);
}

/**
 * cu_forecast_page_new:
 *
 * Returns: (transfer floating): a new page, empty until given a workspace
 */
GtkWidget *
cu_forecast_page_new (void)
{
  return g_object_new (CU_TYPE_FORECAST_PAGE, NULL);
}

gboolean
cu_forecast_page_get_has_forecast (CuForecastPage *self)
{
  g_return_val_if_fail (CU_IS_FORECAST_PAGE (self), FALSE);
  return self->has_forecast;
}

/**
 * cu_forecast_page_select_series:
 * @kind: "total", "account" or "service"
 * @key: the account or service, "" for the total
 */
void
cu_forecast_page_select_series (CuForecastPage *self,
                                const char     *kind,
                                const char     *key)
{
  g_return_if_fail (CU_IS_FORECAST_PAGE (self));

  g_free (self->kind);
  g_free (self->key);
  self->kind = g_strdup (kind);
  self->key = g_strdup (key ? key : "");
  start_load (self);
}

/**
 * cu_forecast_page_get_month_projection:
 *
 * Returns: the month-end projection shown, in currency units
 */
double
cu_forecast_page_get_month_projection (CuForecastPage *self)
{
  g_return_val_if_fail (CU_IS_FORECAST_PAGE (self), 0);
  return self->month_projection;
}

/**
 * cu_forecast_page_get_probability_above:
 * @quarter: %TRUE for the quarter, %FALSE for the month
 *
 * Returns: the chance shown that the period ends above the amount typed
 *   (0..1), or a negative number when no amount or forecast is shown
 */
double
cu_forecast_page_get_probability_above (CuForecastPage *self,
                                        gboolean        quarter)
{
  g_return_val_if_fail (CU_IS_FORECAST_PAGE (self), -1.0);
  return quarter ? self->probability_quarter : self->probability_month;
}
