/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-overview-page.c — where the money went this month, at a glance
 *
 * The numbers come from cu_summary_compute() run in a worker thread with
 * its own ledger connection. Each request replaces the previous
 * GCancellable, so a result that arrives after a newer request (or after
 * the page went away) is dropped instead of painting old numbers.
 *
 * Every figure is shown with its currency and every period is named with
 * its dates: a figure copied into a report must still say what it is.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "cu-chart.h"
#include "cu-format.h"
#include "cu-overview-page.h"
#include "cu-page-job.h"
#include "cu-plot.h"
#include "cu-stat-card.h"
#include "store/cu-ledger.h"
#include "store/cu-summary.h"
#include "util/cu-money.h"

#define MAX_REGION_BARS 8

struct _CuOverviewPage
{
  CuPage               parent_instance;

  /* template children */
  GtkStack            *stack;
  AdwStatusPage       *error_page;
  GtkLabel            *heading_label;
  GtkLabel            *subheading_label;
  GtkLabel            *note_label;
  CuStatCard          *mtd_card;
  CuStatCard          *projection_card;
  CuStatCard          *last_month_card;
  CuStatCard          *ytd_card;
  CuStatCard          *average_card;
  AdwPreferencesGroup *daily_group;
  CuChart             *daily_chart;
  GtkFlowBox          *legend_box;
  AdwPreferencesGroup *services_group;
  GtkListBox          *services_list;
  AdwPreferencesGroup *accounts_group;
  GtkListBox          *accounts_list;
  AdwPreferencesGroup *regions_group;
  CuChart             *region_chart;

  /* owned state */
  GCancellable        *cancellable;
  CuSummary           *summary;
};

G_DEFINE_FINAL_TYPE (CuOverviewPage, cu_overview_page, CU_TYPE_PAGE)

static void
set_state (CuOverviewPage *self,
           CuPageState     state)
{
  static const char * const pages[] = {
    [CU_PAGE_STATE_IDLE] = "loading",
    [CU_PAGE_STATE_LOADING] = "loading",
    [CU_PAGE_STATE_READY] = "summary",
    [CU_PAGE_STATE_EMPTY] = "empty",
    [CU_PAGE_STATE_ERROR] = "error",
  };

  gtk_stack_set_visible_child_name (self->stack, pages[state]);
  cu_page_set_state (CU_PAGE (self), state);
}

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
clear_flow_box (GtkFlowBox *box)
{
  GtkFlowBoxChild *child;

  while ((child = gtk_flow_box_get_child_at_index (box, 0)) != NULL)
    gtk_flow_box_remove (box, GTK_WIDGET (child));
}

static char *
money (gint64      micros,
       const char *currency)
{
  return cu_money_format_display (micros, currency);
}

/* "+12.3%" or "−4.0%"; NULL when there is nothing to compare with */
static char *
format_change (gint64 now,
               gint64 before)
{
  double change;

  if (before <= 0)
    return NULL;
  change = ((double) now - (double) before) / (double) before * 100.0;
  if (change >= 0.05)
    return g_strdup_printf ("+%.1f%%", change);
  if (change <= -0.05)
    return g_strdup_printf ("−%.1f%%", -change);
  return g_strdup ("±0.0%");
}

static void
fill_list (GtkListBox       *list,
           const GPtrArray  *items,
           const char       *currency)
{
  clear_list_box (list);

  if (items == NULL || items->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No costs in this period"));
      gtk_list_box_append (list, row);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      const CuSummaryItem *item = g_ptr_array_index (items, i);
      g_autofree char *amount = money (item->amount, currency);
      g_autofree char *share = cu_format_share (item->share);
      g_autofree char *subtitle = g_strdup_printf (_("%s of the total"), share);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new (amount);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     item->name && *item->name ? item->name : _("(unnamed)"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (label, "numeric");
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_can_focus (label, FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (list, row);
    }
}

static void
fill_legend (CuOverviewPage  *self,
             const CuSummary *s,
             gboolean         last_is_other)
{
  clear_flow_box (self->legend_box);

  for (guint i = 0; i < s->n_series; i++)
    {
      GtkWidget *label = cu_plot_legend_label_new (i, s->n_series, last_is_other, s->series_names[i]);
      double total = 0;
      g_autofree char *amount = NULL;
      g_autofree char *tooltip = NULL;


      for (guint d = 0; d < s->n_days; d++)
        total += s->series_values[i * s->n_days + d];
      amount = cu_money_format_display (cu_money_from_double (total), s->currency);
      tooltip = g_strdup_printf (_("%s: %s over the 90 days"), s->series_names[i], amount);
      gtk_widget_set_tooltip_text (label, tooltip);

      gtk_flow_box_append (self->legend_box, label);
    }
}

static void
show_summary (CuOverviewPage  *self,
              const CuSummary *s)
{
  const char *cur = s->currency;
  CuDay mtd_last = s->month_start + s->days_elapsed - 1;
  CuDay prev_start = cu_day_month_start (s->month_start - 1);
  CuDay ytd_first;
  CuDay chart_last = s->chart_first + (CuDay) s->n_days - 1;
  int y, m, d;
  gboolean last_is_other;
  g_autofree char *month = cu_format_month (s->month_start);
  g_autofree char *month_name = cu_format_month_name (s->month_start);
  g_autofree char *prev_month = cu_format_month (prev_start);
  g_autofree char *prev_month_name = cu_format_month_name (prev_start);
  g_autofree char *through = cu_format_day (mtd_last);
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  g_autofree char *period = NULL;
  g_autofree char *top_period = NULL;
  g_autofree char *chart_period = NULL;
  g_autoptr(GString) note = g_string_new (NULL);

  cu_day_to_ymd (mtd_last, &y, &m, &d);
  ytd_first = cu_day_from_ymd (y, 1, 1);

  /* heading */
  gtk_label_set_label (self->heading_label, month);
  text = g_strdup_printf (_("Billed cost through %s, in %s"), through, cur);
  gtk_label_set_label (self->subheading_label, text);
  g_clear_pointer (&text, g_free);

  if (mtd_last < s->as_of - 1)
    {
      g_autofree char *today = cu_format_day (s->as_of);
      g_string_append_printf (note, _("The workspace has no costs after %s; figures end on that day, not on %s."),
                              through, today);
    }
  if (s->mixed_currencies)
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append_printf (note, _("Costs billed in currencies other than %s are not included."), cur);
    }
  gtk_label_set_label (self->note_label, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note->len > 0);

  /* month to date, against the same days of last month */
  text = g_strdup_printf (C_("card title", "%s to date"), month_name);
  cu_stat_card_set_title (self->mtd_card, text);
  g_clear_pointer (&text, g_free);
  period = cu_format_period (s->month_start, mtd_last);
  cu_stat_card_set_period (self->mtd_card, period);
  value = money (s->month_to_date, cur);
  cu_stat_card_set_value (self->mtd_card, value);
  g_clear_pointer (&value, g_free);
  {
    CuDay same_last = MIN (prev_start + s->days_elapsed - 1, s->month_start - 1);
    g_autofree char *same_period = cu_format_period (prev_start, same_last);
    g_autofree char *same_amount = money (s->last_month_same_period, cur);
    g_autofree char *change = format_change (s->month_to_date, s->last_month_same_period);

    if (change != NULL)
      /* TRANSLATORS: "+12.3% vs 1–21 Oct 2026 ($1,234.56)" */
      text = g_strdup_printf (_("%s vs %s (%s)"), change, same_period, same_amount);
    cu_stat_card_set_detail (self->mtd_card, text);
    g_clear_pointer (&text, g_free);
  }

  /* the month-end: actuals plus the forecast, as the Forecast page says */
  text = g_strdup_printf (C_("card title", "%s projection"), month_name);
  cu_stat_card_set_title (self->projection_card, text);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&period, g_free);
  {
    g_autofree char *whole = cu_format_period (s->month_start,
                                               s->month_start + s->days_in_month - 1);
    text = g_strdup_printf (_("%s, whole month"), whole);
    cu_stat_card_set_period (self->projection_card, text);
    g_clear_pointer (&text, g_free);
  }
  value = money (s->month_projection, cur);
  cu_stat_card_set_value (self->projection_card, value);
  g_clear_pointer (&value, g_free);
  {
    g_autofree char *change = format_change (s->month_projection, s->last_month);
    g_autoptr(GString) detail = g_string_new (NULL);

    if (g_strcmp0 (s->month_projection_basis, "forecast") == 0)
      {
        g_autofree char *lo = money (s->month_projection_lo80, cur);
        g_autofree char *hi = money (s->month_projection_hi80, cur);

        /* TRANSLATORS: "Forecast, 80% interval $1 – $2" */
        g_string_append_printf (detail, _("Forecast, 80%% interval %s – %s"), lo, hi);
      }
    else if (s->days_elapsed < s->days_in_month)
      g_string_append_printf (detail, _("Linear (no forecast yet), from %d of %d days"),
                              s->days_elapsed, s->days_in_month);
    else
      g_string_append_printf (detail, _("%s is complete"), month_name);
    if (change != NULL)
      {
        g_string_append_c (detail, '\n');
        /* TRANSLATORS: "+1.1% vs October" */
        g_string_append_printf (detail, _("%s vs %s"), change, prev_month_name);
      }
    cu_stat_card_set_detail (self->projection_card, detail->str);
  }

  /* last month */
  cu_stat_card_set_title (self->last_month_card, C_("card title", "Last month"));
  period = cu_format_period (prev_start, s->month_start - 1);
  text = g_strdup_printf (_("%s, whole month"), period);
  cu_stat_card_set_period (self->last_month_card, text);
  g_clear_pointer (&text, g_free);
  value = money (s->last_month, cur);
  cu_stat_card_set_value (self->last_month_card, value);
  g_clear_pointer (&value, g_free);
  {
    g_autofree char *average = money (s->last_month / MAX (1, (int) (s->month_start - prev_start)), cur);
    text = g_strdup_printf (_("%s, %s a day"), prev_month, average);
    cu_stat_card_set_detail (self->last_month_card, text);
    g_clear_pointer (&text, g_free);
  }

  /* year to date */
  cu_stat_card_set_title (self->ytd_card, C_("card title", "Year to date"));
  g_clear_pointer (&period, g_free);
  period = cu_format_period (ytd_first, mtd_last);
  cu_stat_card_set_period (self->ytd_card, period);
  value = money (s->year_to_date, cur);
  cu_stat_card_set_value (self->ytd_card, value);
  g_clear_pointer (&value, g_free);
  if (s->data_first > ytd_first && s->data_first <= mtd_last)
    {
      g_autofree char *first = cu_format_day (s->data_first);
      text = g_strdup_printf (_("The workspace has costs from %s only"), first);
      cu_stat_card_set_detail (self->ytd_card, text);
      g_clear_pointer (&text, g_free);
    }
  else
    cu_stat_card_set_detail (self->ytd_card, NULL);

  /* daily average */
  top_period = cu_format_period (s->top_from, s->top_to);
  cu_stat_card_set_title (self->average_card, C_("card title", "Daily average"));
  text = g_strdup_printf (_("%s, last %d days"), top_period, (int) (s->top_to - s->top_from + 1));
  cu_stat_card_set_period (self->average_card, text);
  g_clear_pointer (&text, g_free);
  value = money (s->daily_average, cur);
  cu_stat_card_set_value (self->average_card, value);
  g_clear_pointer (&value, g_free);
  {
    g_autofree char *month_rate = money (s->daily_average * 30, cur);
    text = g_strdup_printf (_("About %s per 30 days at this rate"), month_rate);
    cu_stat_card_set_detail (self->average_card, text);
    g_clear_pointer (&text, g_free);
  }

  /* daily chart */
  chart_period = cu_format_period (s->chart_first, chart_last);
  text = g_strdup_printf (_("Last %u days: %s · stacked by the top services of the period · %s"),
                          s->n_days, chart_period, cur);
  adw_preferences_group_set_description (self->daily_group, text);
  g_clear_pointer (&text, g_free);
  last_is_other = s->n_series > 0 &&
                  g_strcmp0 (s->series_names[s->n_series - 1], "Other") == 0;
  cu_chart_set_currency (self->daily_chart, cur);
  cu_chart_set_daily (self->daily_chart, s->chart_first, s->n_days, s->n_series,
                      (const char * const *) s->series_names, s->series_values,
                      last_is_other);
  fill_legend (self, s, last_is_other);

  /* top lists */
  text = g_strdup_printf (_("Last %d days: %s · %s"),
                          (int) (s->top_to - s->top_from + 1), top_period, cur);
  adw_preferences_group_set_description (self->services_group, text);
  adw_preferences_group_set_description (self->accounts_group, text);
  adw_preferences_group_set_description (self->regions_group, text);
  g_clear_pointer (&text, g_free);
  fill_list (self->services_list, s->top_services, cur);
  fill_list (self->accounts_list, s->top_accounts, cur);

  /* regions: the largest ones, the rest summed up */
  {
    guint n = s->by_region ? s->by_region->len : 0;
    guint shown = n > MAX_REGION_BARS ? MAX_REGION_BARS - 1 : n;
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
    double rest = 0;

    for (guint i = 0; i < n; i++)
      {
        const CuSummaryItem *item = g_ptr_array_index (s->by_region, i);
        double v = cu_money_to_double (item->amount);

        if (i < shown)
          {
            g_ptr_array_add (labels, item->name && *item->name ? item->name : _("(no region)"));
            g_array_append_val (values, v);
          }
        else
          rest += v;
      }
    if (shown < n)
      {
        g_ptr_array_add (labels, _("Other regions"));
        g_array_append_val (values, rest);
      }
    cu_chart_set_currency (self->region_chart, cur);
    cu_chart_set_bars (self->region_chart, labels->len,
                       (const char * const *) labels->pdata, (const double *) values->data);
  }
}

static gpointer
load_run (CuLedger      *ledger,
          gpointer       request,
          GCancellable  *cancellable,
          GError       **error)
{
  const CuDay *as_of = request;

  return cu_summary_compute (ledger, *as_of, error);
}

static void
load_done (gpointer      source,
           gpointer      request,
           gpointer      data,
           const GError *error)
{
  CuOverviewPage *self = CU_OVERVIEW_PAGE (source);
  CuSummary *summary = data;

  if (summary == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      cu_page_set_error (CU_PAGE (self), error->message);
      return;
    }

  g_clear_pointer (&self->summary, cu_summary_free);
  self->summary = summary;

  if (summary->data_last < summary->data_first ||
      (summary->year_to_date == 0 && summary->last_month == 0 &&
       summary->month_to_date == 0 && summary->daily_average == 0 &&
       (summary->by_region == NULL || summary->by_region->len == 0)))
    {
      set_state (self, CU_PAGE_STATE_EMPTY);
      return;
    }

  show_summary (self, summary);
  set_state (self, CU_PAGE_STATE_READY);
}

static void
cu_overview_page_dispose (GObject *object)
{
  CuOverviewPage *self = CU_OVERVIEW_PAGE (object);

  cu_page_job_cancel (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (cu_overview_page_parent_class)->dispose (object);
}

static void
cu_overview_page_finalize (GObject *object)
{
  CuOverviewPage *self = CU_OVERVIEW_PAGE (object);

  g_clear_pointer (&self->summary, cu_summary_free);

  G_OBJECT_CLASS (cu_overview_page_parent_class)->finalize (object);
}

/* Computes the figures again in a worker; a load still running is
 * cancelled and its result dropped. */
static void
cu_overview_page_reload (CuPage *page)
{
  static const CuPageJobInfo load_job = {
    .name = "[cumulus] overview",
    .run = load_run,
    .done = load_done,
    .request_free = g_free,
    .result_free = (GDestroyNotify) cu_summary_free,
  };
  CuOverviewPage *self = CU_OVERVIEW_PAGE (page);
  const char *workspace = cu_page_get_workspace (page);
  CuDay as_of;

  cu_page_job_cancel (&self->cancellable);
  if (workspace == NULL)
    {
      set_state (self, CU_PAGE_STATE_IDLE);
      return;
    }

  as_of = cu_day_today ();
  set_state (self, CU_PAGE_STATE_LOADING);
  cu_page_job_start (&load_job, self, &self->cancellable, workspace, g_memdup2 (&as_of, sizeof as_of));
}

static void
cu_overview_page_class_init (CuOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CuPageClass *page_class = CU_PAGE_CLASS (klass);

  object_class->dispose = cu_overview_page_dispose;
  object_class->finalize = cu_overview_page_finalize;
  page_class->reload = cu_overview_page_reload;
  /* the month-end projection reads the stored forecast */
  page_class->reload_on = CU_WORKSPACE_CHANGE_COSTS | CU_WORKSPACE_CHANGE_ANALYSIS;

  g_type_ensure (CU_TYPE_CHART);
  g_type_ensure (CU_TYPE_STAT_CARD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, heading_label);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, subheading_label);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, mtd_card);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, projection_card);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, last_month_card);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, ytd_card);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, average_card);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, daily_group);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, daily_chart);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, services_group);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, services_list);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, regions_group);
  gtk_widget_class_bind_template_child (widget_class, CuOverviewPage, region_chart);
}

static void
cu_overview_page_init (CuOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cu_overview_page_new:
 *
 * Returns: (transfer floating): a page with no workspace yet
 */
GtkWidget *
cu_overview_page_new (void)
{
  return g_object_new (CU_TYPE_OVERVIEW_PAGE, NULL);
}
