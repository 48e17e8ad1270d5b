/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-anomalies-page.c — cost incidents, to review
 *
 * The list comes from cu_incidents_list() (newest first): one row per cost
 * event, however many series and days showed it. The selected incident is
 * shown above it with its root causes ranked by their share of the impact
 * and the daily cost of its top cause's service around it, the incident's
 * days shaded, and buttons to acknowledge or dismiss it (its anomalies with
 * it). Reading, the series and the status change each run in a worker with
 * its own ledger connection; a newer request drops the older result.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <math.h>

#include "analysis/cu-analysis.h"
#include "analysis/cu-incidents.h"
#include "cu-anomalies-page.h"
#include "cu-format.h"
#include "cu-page-job.h"
#include "cu-series-chart.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

#define MAX_ROWS 200
#define DAYS_BEFORE 42
#define DAYS_AFTER 14

struct _CuAnomaliesPage
{
  CuPage               parent_instance;

  /* template children */
  GtkWidget           *status_box;
  GtkSpinner          *spinner;
  GtkLabel            *status_label;
  AdwPreferencesGroup *detail_group;
  CuSeriesChart       *chart;
  GtkLabel            *legend_label;
  GtkListBox          *facts_list;
  GtkListBox          *causes_list;
  GtkWidget           *dismiss_button;
  GtkWidget           *acknowledge_button;
  GtkWidget           *reopen_button;
  AdwPreferencesGroup *list_group;
  GtkSwitch           *dismissed_switch;
  GtkListBox          *list;

  /* owned state */
  GCancellable        *cancellable;        /* list and status changes */
  GCancellable        *detail_cancellable;
  GPtrArray           *incidents;          /* of CuIncident, parallel to the rows */
  gint64               selected_id;
  gboolean             list_loading;
  gboolean             detail_loading;
  gboolean             filling;
  char                *list_error;         /* the last list load failed */
};

G_DEFINE_FINAL_TYPE (CuAnomaliesPage, cu_anomalies_page, CU_TYPE_PAGE)

typedef struct {
  gboolean  include_dismissed;
  gint64    status_id;       /* set this incident's status first, 0 for none */
  char     *status;
} ListRequest;

typedef struct {
  char   *kind;
  char   *key;
  CuDay   start, end;
  CuDay   as_of;
} DetailRequest;

typedef struct {
  CuDay   first;
  GArray *values;   /* double */
} DetailResult;

static void
list_request_free (ListRequest *r)
{
  g_free (r->status);
  g_free (r);
}

static void
detail_request_free (DetailRequest *r)
{
  g_free (r->kind);
  g_free (r->key);
  g_free (r);
}

static void
detail_result_free (DetailResult *r)
{
  g_clear_pointer (&r->values, g_array_unref);
  g_free (r);
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "acknowledged") == 0)
    return _("Acknowledged");
  if (g_strcmp0 (status, "dismissed") == 0)
    return _("Dismissed");
  return _("New");
}

static char *
format_impact (const CuIncident *inc)
{
  g_autofree char *impact = cu_money_format_display (inc->impact, inc->currency);
  const char *sign = inc->impact >= 0 ? "+" : "";

  if (isnan (inc->impact_pct))
    return g_strdup_printf ("%s%s", sign, impact);
  /* TRANSLATORS: "+$1,234.56 (+85.2%)" */
  return g_strdup_printf (_("%s%s (%s%.1f%%)"), sign, impact, inc->impact_pct >= 0 ? "+" : "−", fabs (inc->impact_pct));
}

static char *
incident_title (const CuIncident *inc)
{
  if (g_strcmp0 (inc->kind, "new_spend") == 0)
    /* TRANSLATORS: "New spend: Amazon Bedrock in acme-prod, us-east-1" */
    return g_strdup_printf (_("New spend: %s"), inc->root_cause);
  return g_strdup (inc->root_cause);
}

static char *
incident_duration (const CuIncident *inc)
{
  guint days = cu_incident_get_days (inc);
  g_autofree char *period = cu_format_period (inc->start, inc->end);

  /* TRANSLATORS: "21 – 22 Nov 2026 · 2 days" */
  return g_strdup_printf (g_dngettext (NULL, "%s · %u day", "%s · %u days", days), period, days);
}

/* loading while the list or the detail loads; the list's failure is the page's */
static void
update_loading (CuAnomaliesPage *self)
{
  gboolean loading = self->list_loading || self->detail_loading;

  cu_page_job_set_spinning (self->spinner, loading);
  if (loading)
    cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_LOADING);
  else if (self->list_error != NULL)
    cu_page_set_error (CU_PAGE (self), self->list_error);
  else
    cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_READY);
}

static void
show_status (CuAnomaliesPage *self,
             const char      *text)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (self->status_box, text != NULL || cu_page_get_loading (CU_PAGE (self)));
}

static const CuIncident *
find_incident (CuAnomaliesPage *self,
               gint64           id)
{
  for (guint i = 0; self->incidents != NULL && i < self->incidents->len; i++)
    if (((CuIncident *) self->incidents->pdata[i])->id == id)
      return self->incidents->pdata[i];
  return NULL;
}

/* ---- workers ---- */

static gpointer
list_run (CuLedger      *ledger,
          gpointer       request,
          GCancellable  *cancellable,
          GError       **error)
{
  ListRequest *req = request;

  if (req->status_id != 0 && !cu_incidents_set_status (ledger, req->status_id, req->status, error))
    return NULL;
  return cu_incidents_list (ledger, req->include_dismissed, error);
}

static gpointer
detail_run (CuLedger      *ledger,
            gpointer       request,
            GCancellable  *cancellable,
            GError       **error)
{
  DetailRequest *req = request;
  g_autoptr(GPtrArray) all = NULL;
  DetailResult *result;

  all = cu_analysis_load_series (ledger, req->kind, 0, req->as_of, error);
  if (all == NULL)
    return NULL;

  result = g_new0 (DetailResult, 1);
  result->values = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < all->len; i++)
    {
      CuDailySeries *s = all->pdata[i];
      CuDay from, to;

      if (g_strcmp0 (s->key, req->key) != 0)
        continue;
      from = MAX (s->first, req->start - DAYS_BEFORE);
      to = MIN (s->first + (CuDay) s->n - 1, req->end + DAYS_AFTER);
      result->first = from;
      for (CuDay d = from; d <= to; d++)
        g_array_append_val (result->values, s->values[d - s->first]);
      break;
    }
  return result;
}

/* ---- the detail ---- */

static void
add_row (GtkListBox *list,
         const char *title,
         const char *value,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_can_focus (label, FALSE);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (list, row);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_detail (CuAnomaliesPage  *self,
             const CuIncident *inc)
{
  g_autofree char *title = incident_title (inc);
  g_autofree char *duration = incident_duration (inc);
  g_autofree char *impact = format_impact (inc);
  g_autofree char *expected = cu_money_format_display (inc->expected, inc->currency);
  g_autofree char *summary = cu_incident_describe (inc);
  g_autofree char *n_members = g_strdup_printf ("%u", inc->anomaly_ids->len);
  g_autofree char *legend = NULL;
  g_autofree char *status = NULL;
  const CuIncidentCause *top = inc->causes->len > 0 ? inc->causes->pdata[0] : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->detail_group), TRUE);
  adw_preferences_group_set_title (self->detail_group, title);
  /* TRANSLATORS: "21 – 22 Nov 2026 · 2 days · Status: New" */
  status = g_strdup_printf (_("%s · Status: %s"), duration, status_label (inc->status));
  adw_preferences_group_set_description (self->detail_group, status);

  clear_list (self->facts_list);
  add_row (self->facts_list, _("Impact"), impact,
           g_strcmp0 (inc->kind, "new_spend") == 0 ? _("What the new service cost over its first days")
                                                   : _("Above the expected cost, over the incident's days"));
  if (g_strcmp0 (inc->kind, "new_spend") != 0)
    add_row (self->facts_list, _("Expected cost"), expected, _("Of the series that saw most of it, over the same days"));
  add_row (self->facts_list, _("Anomalies"), n_members, _("Days of the total, account and service series it groups"));
  if (inc->young)
    add_row (self->facts_list, _("Young series"), _("Wider range"),
             _("Under four weeks of history: judged against a range twice as wide, and twice the dollar floor"));

  clear_list (self->causes_list);
  for (guint i = 0; i < inc->causes->len; i++)
    {
      const CuIncidentCause *c = inc->causes->pdata[i];
      g_autofree char *amount = cu_money_format_display (c->impact, inc->currency);
      /* TRANSLATORS: "+$3,151.22 · 92%" — a cause's excess and its share */
      g_autofree char *value = g_strdup_printf (_("+%s · %.0f%%"), amount, 100.0 * c->share);
      g_autofree char *where = g_strdup_printf ("%s · %s", c->account, *c->region ? c->region : _("global"));

      add_row (self->causes_list, c->service, value, where);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->causes_list), inc->causes->len > 0);

  gtk_widget_set_visible (self->acknowledge_button, !g_str_equal (inc->status, "acknowledged"));
  gtk_widget_set_visible (self->dismiss_button, !g_str_equal (inc->status, "dismissed"));
  gtk_widget_set_visible (self->reopen_button, !g_str_equal (inc->status, "new"));

  if (top != NULL)
    legend = g_strdup_printf (_("%s. Daily cost of %s in %s (all accounts), up to %d days before and %d after; "
                                "the incident's days are shaded."),
                              summary, top->service, inc->currency, DAYS_BEFORE, DAYS_AFTER);
  else
    legend = g_strdup_printf ("%s.", summary);
  gtk_label_set_label (self->legend_label, legend);
}

static void
detail_done (gpointer      source,
             gpointer      request,
             gpointer      data,
             const GError *error)
{
  CuAnomaliesPage *self = CU_ANOMALIES_PAGE (source);
  DetailResult *result = data;
  DetailRequest *req = request;
  const CuIncident *inc;

  if (result == NULL)
    {
      self->detail_loading = FALSE;
      update_loading (self);
      show_status (self, error->message);
      return;
    }

  inc = find_incident (self, self->selected_id);
  if (inc != NULL && inc->start == req->start && inc->end == req->end)
    {
      cu_series_chart_set_currency (self->chart, inc->currency);
      cu_series_chart_set_band (self->chart, result->first, result->values->len,
                                (double *) result->values->data, 0, NULL, NULL, NULL, NULL, NULL);
      cu_series_chart_set_shade (self->chart, inc->start, inc->end);
    }
  detail_result_free (result);
  self->detail_loading = FALSE;
  update_loading (self);
  show_status (self, NULL);
}

static const CuPageJobInfo detail_job = {
  .name = "[cumulus] incident detail",
  .run = detail_run,
  .done = detail_done,
  .request_free = (GDestroyNotify) detail_request_free,
  .result_free = (GDestroyNotify) detail_result_free,
};

static void
select_incident (CuAnomaliesPage  *self,
                 const CuIncident *inc)
{
  DetailRequest *req;
  const CuIncidentCause *top;

  cu_page_job_cancel (&self->detail_cancellable);

  if (inc == NULL)
    {
      self->selected_id = 0;
      gtk_widget_set_visible (GTK_WIDGET (self->detail_group), FALSE);
      self->detail_loading = FALSE;
      update_loading (self);
      return;
    }
  self->selected_id = inc->id;
  show_detail (self, inc);

  /* the chart is of the top cause's service; without causes, the total */
  top = inc->causes->len > 0 ? inc->causes->pdata[0] : NULL;
  req = g_new0 (DetailRequest, 1);
  req->kind = g_strdup (top != NULL ? "service" : "total");
  req->key = g_strdup (top != NULL ? top->service : "");
  req->start = inc->start;
  req->end = inc->end;
  req->as_of = cu_day_today ();

  self->detail_loading = TRUE;
  update_loading (self);
  cu_page_job_start (&detail_job, self, &self->detail_cancellable,
                     cu_page_get_workspace (CU_PAGE (self)), req);
}

/* ---- the list ---- */

static GtkWidget *
make_row (const CuIncident *inc)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *impact_label, *status;
  g_autofree char *title = incident_title (inc);
  g_autofree char *subtitle = incident_duration (inc);
  g_autofree char *impact = format_impact (inc);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  impact_label = gtk_label_new (impact);
  gtk_label_set_xalign (GTK_LABEL (impact_label), 1);
  gtk_widget_add_css_class (impact_label, "numeric");
  gtk_widget_add_css_class (impact_label, inc->impact > 0 ? "error" : "success");
  status = gtk_label_new (status_label (inc->status));
  gtk_label_set_xalign (GTK_LABEL (status), 1);
  gtk_widget_add_css_class (status, "caption");
  gtk_widget_add_css_class (status, "dim-label");
  gtk_box_append (GTK_BOX (box), impact_label);
  gtk_box_append (GTK_BOX (box), status);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  return row;
}

static void
fill_list (CuAnomaliesPage *self,
           GPtrArray       *incidents)
{
  GtkWidget *child;
  GtkListBoxRow *select = NULL;
  guint n = MIN (incidents->len, MAX_ROWS);
  g_autofree char *description = NULL;

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  g_clear_pointer (&self->incidents, g_ptr_array_unref);
  self->incidents = g_ptr_array_ref (incidents);
  g_ptr_array_set_size (self->incidents, n);

  for (guint i = 0; i < n; i++)
    {
      const CuIncident *inc = incidents->pdata[i];
      GtkWidget *row = make_row (inc);

      gtk_list_box_append (self->list, row);
      if (inc->id == self->selected_id)
        select = GTK_LIST_BOX_ROW (row);
    }
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No anomalies"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("No cost rose far above its usual weekly pattern, or the analysis has not run yet."));
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->list, row);
    }

  /* the newest one is shown unless another was chosen */
  if (select == NULL && n > 0)
    select = gtk_list_box_get_row_at_index (self->list, 0);
  gtk_list_box_select_row (self->list, select);
  self->filling = FALSE;

  {
    g_autofree char *floor = cu_money_format_display ((gint64) (CU_ANALYSIS_MIN_IMPACT * CU_MICROS_PER_UNIT),
                                                      n > 0 ? ((CuIncident *) incidents->pdata[0])->currency : "USD");
    description = g_strdup_printf (g_dngettext (NULL,
                                                "%u incident, newest first: a cost event at least %s a day above the usual weekly pattern, with its root causes",
                                                "%u incidents, newest first: cost events at least %s a day above the usual weekly pattern, with their root causes",
                                                n), n, floor);
    adw_preferences_group_set_description (self->list_group, description);
  }

  select_incident (self, select != NULL && n > 0
                         ? self->incidents->pdata[gtk_list_box_row_get_index (select)]
                         : NULL);
}

static void
list_done (gpointer      source,
           gpointer      request,
           gpointer      data,
           const GError *error)
{
  CuAnomaliesPage *self = CU_ANOMALIES_PAGE (source);
  g_autoptr(GPtrArray) list = data;

  if (list == NULL)
    {
      g_free (self->list_error);
      self->list_error = g_strdup (error->message);
      self->list_loading = FALSE;
      update_loading (self);
      show_status (self, error->message);
      return;
    }
  g_clear_pointer (&self->list_error, g_free);
  self->list_loading = FALSE;
  fill_list (self, list);
  update_loading (self);
  show_status (self, NULL);
}

static const CuPageJobInfo list_job = {
  .name = "[cumulus] incidents",
  .run = list_run,
  .done = list_done,
  .request_free = (GDestroyNotify) list_request_free,
  .result_free = (GDestroyNotify) g_ptr_array_unref,
};

static void
start_list (CuAnomaliesPage *self,
            gint64           status_id,
            const char      *status)
{
  const char *workspace = cu_page_get_workspace (CU_PAGE (self));
  ListRequest *req;

  cu_page_job_cancel (&self->cancellable);
  if (workspace == NULL)
    return;

  req = g_new0 (ListRequest, 1);
  req->include_dismissed = gtk_switch_get_active (self->dismissed_switch);
  req->status_id = status_id;
  req->status = g_strdup (status);

  self->list_loading = TRUE;
  update_loading (self);
  show_status (self, _("Reading the incidents…"));
  cu_page_job_start (&list_job, self, &self->cancellable, workspace, req);
}

/* ---- callbacks ---- */

static void
row_selected_cb (CuAnomaliesPage *self,
                 GtkListBoxRow   *row)
{
  int i;

  if (self->filling || row == NULL)
    return;
  i = gtk_list_box_row_get_index (row);
  if (self->incidents != NULL && i >= 0 && (guint) i < self->incidents->len)
    select_incident (self, self->incidents->pdata[i]);
}

static void
dismissed_toggled_cb (CuAnomaliesPage *self)
{
  start_list (self, 0, NULL);
}

static void
set_status_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  cu_anomalies_page_set_status (CU_ANOMALIES_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
cu_anomalies_page_dispose (GObject *object)
{
  CuAnomaliesPage *self = CU_ANOMALIES_PAGE (object);

  cu_page_job_cancel (&self->cancellable);
  cu_page_job_cancel (&self->detail_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_ANOMALIES_PAGE);

  G_OBJECT_CLASS (cu_anomalies_page_parent_class)->dispose (object);
}

static void
cu_anomalies_page_finalize (GObject *object)
{
  CuAnomaliesPage *self = CU_ANOMALIES_PAGE (object);

  g_clear_pointer (&self->incidents, g_ptr_array_unref);
  g_free (self->list_error);

  G_OBJECT_CLASS (cu_anomalies_page_parent_class)->finalize (object);
}

/* Reads the incidents again in a worker, keeping the selection. */
static void
cu_anomalies_page_reload (CuPage *page)
{
  start_list (CU_ANOMALIES_PAGE (page), 0, NULL);
}

static void
cu_anomalies_page_workspace_changed (CuPage *page)
{
  CU_ANOMALIES_PAGE (page)->selected_id = 0;
}

static void
cu_anomalies_page_class_init (CuAnomaliesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CuPageClass *page_class = CU_PAGE_CLASS (klass);

  object_class->dispose = cu_anomalies_page_dispose;
  object_class->finalize = cu_anomalies_page_finalize;
  page_class->reload = cu_anomalies_page_reload;
  page_class->workspace_changed = cu_anomalies_page_workspace_changed;
  page_class->reload_on = CU_WORKSPACE_CHANGE_ANALYSIS;

  g_type_ensure (CU_TYPE_SERIES_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-anomalies-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, detail_group);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, chart);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, legend_label);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, facts_list);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, causes_list);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, acknowledge_button);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, list_group);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, dismissed_switch);
  gtk_widget_class_bind_template_child (widget_class, CuAnomaliesPage, list);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, dismissed_toggled_cb);

  gtk_widget_class_install_action (widget_class, "anomalies.set-status", "s", set_status_action);
}

static void
cu_anomalies_page_init (CuAnomaliesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_set_visible (self->status_box, FALSE);
}

/**
 * cu_anomalies_page_new:
 *
 * Returns: (transfer floating): a new page, empty until given a workspace
 */
GtkWidget *
cu_anomalies_page_new (void)
{
  return g_object_new (CU_TYPE_ANOMALIES_PAGE, NULL);
}

guint
cu_anomalies_page_get_n_rows (CuAnomaliesPage *self)
{
  g_return_val_if_fail (CU_IS_ANOMALIES_PAGE (self), 0);
  return self->incidents ? self->incidents->len : 0;
}

/**
 * cu_anomalies_page_get_selected:
 *
 * Returns: the id of the incident shown in detail, 0 for none
 */
gint64
cu_anomalies_page_get_selected (CuAnomaliesPage *self)
{
  g_return_val_if_fail (CU_IS_ANOMALIES_PAGE (self), 0);
  return self->selected_id;
}

/**
 * cu_anomalies_page_set_status:
 * @status: "acknowledged", "dismissed" or "new"
 *
 * Changes the selected incident's status, and its anomalies' (in a
 * worker), then reloads.
 */
void
cu_anomalies_page_set_status (CuAnomaliesPage *self,
                              const char      *status)
{
  g_return_if_fail (CU_IS_ANOMALIES_PAGE (self));

  if (self->selected_id == 0)
    return;
  start_list (self, self->selected_id, status);
}
