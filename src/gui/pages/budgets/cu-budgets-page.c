/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-budgets-page.c — budgets, how far each has gone, and their alerts
 *
 * For each budget: its current period, spend to date and the forecast for
 * the whole period as bars against the amount, and the history of alert
 * stages crossed (table budget_alerts). cu_budgets_evaluate() runs in a
 * worker with its own ledger connection and does not record alerts here:
 * that is the analysis job's part, so that each stage is notified once.
 * Budgets are created and edited in CuBudgetDialog, deleted after a
 * confirmation; both write in a worker.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "analysis/cu-budgets.h"
#include "cu-budget-dialog.h"
#include "cu-budgets-page.h"
#include "cu-format.h"
#include "cu-page-job.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

#define MAX_HISTORY 24

struct _CuBudgetsPage
{
  CuPage         parent_instance;

  /* template children */
  GtkLabel      *subheading_label;
  GtkWidget     *status_box;
  GtkSpinner    *spinner;
  GtkLabel      *status_label;
  AdwStatusPage *empty_page;
  GtkBox        *budgets_box;

  /* owned state */
  GCancellable  *cancellable;
  GPtrArray     *budgets;     /* of CuBudget, as loaded */
  char          *currency;    /* the workspace's main currency */
};

G_DEFINE_FINAL_TYPE (CuBudgetsPage, cu_budgets_page, CU_TYPE_PAGE)

typedef struct {
  CuDay  as_of;
  char  *remove;     /* delete this budget first, or NULL */
} Request;

typedef struct {
  GPtrArray *budgets;    /* of CuBudget */
  GPtrArray *statuses;   /* of CuBudgetStatus, borrowing from budgets */
  GPtrArray *alerts;     /* of CuBudgetAlert, newest period first */
  char      *currency;
} Result;

static void
request_free (Request *r)
{
  g_free (r->remove);
  g_free (r);
}

static void
result_free (Result *r)
{
  g_clear_pointer (&r->statuses, g_ptr_array_unref);
  g_clear_pointer (&r->budgets, g_ptr_array_unref);
  g_clear_pointer (&r->alerts, g_ptr_array_unref);
  g_free (r->currency);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static void
show_status (CuBudgetsPage *self,
             const char    *text,
             gboolean       spinning)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (self->status_box, text != NULL);
  cu_page_job_set_spinning (self->spinner, spinning);
  if (spinning)
    cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_LOADING);
}

static const char *
period_name (CuBudgetPeriod period)
{
  switch (period)
    {
    case CU_BUDGET_QUARTERLY:
      return _("Quarterly");
    case CU_BUDGET_ANNUAL:
      return _("Annual");
    case CU_BUDGET_MONTHLY:
    default:
      return _("Monthly");
    }
}

static char *
scope_text (const CuBudget *b)
{
  if (b->filter_key == NULL)
    return g_strdup (_("all costs"));
  if (g_str_has_prefix (b->filter_key, "tag:"))
    /* TRANSLATORS: "tag team = platform" */
    return g_strdup_printf (_("tag %s = %s"), b->filter_key + 4, b->filter_value);
  if (g_str_equal (b->filter_key, "account"))
    return g_strdup_printf (_("account %s"), b->filter_value);
  if (g_str_equal (b->filter_key, "service"))
    return g_strdup_printf (_("service %s"), b->filter_value);
  if (g_str_equal (b->filter_key, "region"))
    return g_strdup_printf (_("region %s"), b->filter_value);
  return g_strdup_printf (_("provider %s"), b->filter_value);
}

/* the period's name: "October 2026", "Q4 2026" or "2026" */
static char *
period_title (CuBudgetPeriod period,
              CuDay          start)
{
  int y;

  if (period == CU_BUDGET_MONTHLY)
    return cu_format_month (start);
  if (period == CU_BUDGET_QUARTERLY)
    return cu_format_quarter (start);
  cu_day_to_ymd (start, &y, NULL, NULL);
  return g_strdup_printf ("%d", y);
}

/* ---- worker ---- */

static gpointer
load_run (CuLedger      *ledger,
          gpointer       request,
          GCancellable  *cancellable,
          GError       **error)
{
  Request *req = request;
  g_autoptr(Result) result = g_new0 (Result, 1);

  if (req->remove != NULL && !cu_budgets_remove (ledger, req->remove, error))
    return NULL;
  result->budgets = cu_budgets_list (ledger, error);
  if (result->budgets != NULL)
    result->statuses = cu_budgets_evaluate (ledger, result->budgets, req->as_of, FALSE, error);
  if (result->statuses != NULL)
    result->alerts = cu_budgets_list_alerts (ledger, error);
  if (result->alerts != NULL)
    result->currency = cu_ledger_get_dominant_currency (ledger, CU_DAY_INVALID, CU_DAY_INVALID, NULL, error);
  if (result->currency == NULL)
    return NULL;
  return g_steal_pointer (&result);
}

/* ---- showing it ---- */

static GtkWidget *
progress_row (const char *title,
              gint64      spend,
              gint64      amount,
              const char *currency,
              const char *caption)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *figures, *bar, *note;
  double fraction = amount > 0 ? (double) spend / (double) amount : 0;
  g_autofree char *s = cu_money_format_display (spend, currency);
  g_autofree char *a = cu_money_format_display (amount, currency);
  g_autofree char *pct = cu_format_share (fraction);
  /* TRANSLATORS: "$8,012.00 of $10,000.00 (80.1%)" */
  g_autofree char *text = g_strdup_printf (_("%s of %s (%s)"), s, a, pct);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_widget_set_hexpand (title_label, TRUE);
  gtk_widget_add_css_class (title_label, "heading");
  figures = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (figures), 1);
  gtk_label_set_wrap (GTK_LABEL (figures), TRUE);
  gtk_label_set_selectable (GTK_LABEL (figures), TRUE);
  gtk_widget_set_can_focus (figures, FALSE);
  gtk_widget_add_css_class (figures, "numeric");
  if (fraction >= 1.0)
    gtk_widget_add_css_class (figures, "error");
  else if (fraction >= 0.8)
    gtk_widget_add_css_class (figures, "warning");
  gtk_box_append (GTK_BOX (head), title_label);
  gtk_box_append (GTK_BOX (head), figures);

  bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), CLAMP (fraction, 0, 1));
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);

  note = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_widget_add_css_class (note, "caption");
  gtk_widget_add_css_class (note, "dim-label");

  gtk_box_append (GTK_BOX (box), head);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), note);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

/* "23 %", "< 1 %", "> 99 %": a forecast never makes an outcome certain */
static char *
format_probability (double p)
{
  if (p < 0.005)
    return g_strdup (_("under 1%"));
  if (p > 0.995)
    return g_strdup (_("over 99%"));
  return g_strdup_printf ("%.0f%%", 100.0 * p);
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action,
             const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  return button;
}

static GtkWidget *
budget_group (const CuBudgetStatus *st,
              GPtrArray            *alerts)
{
  const CuBudget *b = st->budget;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *expander;
  g_autofree char *scope = scope_text (b);
  g_autofree char *period = cu_format_period (st->period_start, st->period_end);
  g_autofree char *ptitle = period_title (b->period, st->period_start);
  g_autofree char *through = cu_format_day (st->through);
  g_autofree char *end = cu_format_day (st->period_end);
  g_autofree char *description = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *edit_tip = g_strdup_printf (_("Edit “%s”"), b->name);
  g_autofree char *delete_tip = g_strdup_printf (_("Delete “%s”"), b->name);
  g_autoptr(GString) stages = g_string_new (NULL);
  guint n_history = 0, n_this_period = 0;

  /* TRANSLATORS: "Monthly · all costs · October 2026 (1–31 Oct 2026) · USD" */
  description = g_strdup_printf (_("%s · %s · %s (%s) · %s"), period_name (b->period), scope, ptitle, period,
                                 b->currency);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), b->name);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (GTK_BOX (buttons), icon_button ("document-edit-symbolic", edit_tip, "budgets.edit", b->name));
  gtk_box_append (GTK_BOX (buttons), icon_button ("user-trash-symbolic", delete_tip, "budgets.delete", b->name));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), buttons);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  if (st->through >= st->period_start)
    {
      g_autofree char *start = cu_format_day (st->period_start);
      /* TRANSLATORS: "Billed cost 1 Oct 2026 – 31 Oct 2026" */
      caption = g_strdup_printf (_("Billed cost %s – %s"), start, through);
    }
  else
    caption = g_strdup (_("No costs in this period yet"));
  gtk_list_box_append (GTK_LIST_BOX (list), progress_row (_("Actual to date"), st->actual, b->amount,
                                                          b->currency, caption));
  g_free (caption);
  if (st->through >= st->period_end)
    caption = g_strdup (_("The period is complete: the forecast is what was spent"));
  else if (st->forecast_from_model)
    {
      g_autofree char *lo = cu_money_format_display (cu_money_from_double (st->forecast_lo80), b->currency);
      g_autofree char *hi = cu_money_format_display (cu_money_from_double (st->forecast_hi80), b->currency);
      g_autofree char *amount = cu_money_format_display (b->amount, b->currency);
      g_autofree char *chance = format_probability (st->probability_over);

      /* TRANSLATORS: "Actual to date plus the forecast to 31 Dec 2026 (80% interval $1 – $2);
       * chance of ending above $330,000.00: 23%" */
      caption = g_strdup_printf (_("Actual to date plus the forecast to %s (80%% interval %s – %s)\n"
                                   "Chance of ending above %s: %s"),
                                 end, lo, hi, amount, chance);
    }
  else
    caption = g_strdup_printf (_("Actual to date projected linearly to %s (no forecast for this slice)"), end);
  gtk_list_box_append (GTK_LIST_BOX (list), progress_row (_("Forecast for the period"), st->forecast, b->amount,
                                                          b->currency, caption));

  /* stage history */
  for (guint i = 0; i < b->n_stages; i++)
    g_string_append_printf (stages, "%s%u%%", i ? ", " : "", b->stages[i]);
  expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("Alert history"));
  for (guint i = 0; i < alerts->len && n_history < MAX_HISTORY; i++)
    {
      const CuBudgetAlert *a = alerts->pdata[i];
      GtkWidget *row;
      CuDay ps, pe;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *spend = NULL;
      g_autofree char *day = NULL;
      g_autofree char *name = NULL;

      if (a->budget_id != b->id)
        continue;
      cu_budget_period_bounds (b->period, a->period_start, &ps, &pe);
      name = period_title (b->period, ps);
      spend = cu_money_format_display (a->spend, b->currency);
      day = cu_format_day (a->crossed_day);
      if (g_str_equal (a->basis, "actual"))
        {
          /* TRANSLATORS: "80% reached · October 2026" */
          title = g_strdup_printf (_("%u%% reached · %s"), a->threshold, name);
          subtitle = g_strdup_printf (_("Spend to date was %s on %s"), spend, day);
        }
      else
        {
          title = g_strdup_printf (_("%u%% forecast · %s"), a->threshold, name);
          subtitle = g_strdup_printf (_("Forecast for the period was %s on %s"), spend, day);
        }
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
      n_history++;
      n_this_period += a->period_start == st->period_start;
    }
  {
    g_autofree char *subtitle = NULL;

    /* TRANSLATORS: "Stages 50%, 80%, 100% · 2 alerts in October 2026" */
    subtitle = g_strdup_printf (g_dngettext (NULL, "Stages %s · %u alert in %s", "Stages %s · %u alerts in %s",
                                             n_this_period),
                                stages->str, n_this_period, ptitle);
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
    /* stages reached in this period are news: show them */
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), n_this_period > 0);
  }
  if (n_history == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No stage reached yet"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
  gtk_list_box_append (GTK_LIST_BOX (list), expander);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  return group;
}

static void
show_result (CuBudgetsPage *self,
             Result        *r)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->budgets_box))) != NULL)
    gtk_box_remove (self->budgets_box, child);

  for (guint i = 0; i < r->statuses->len; i++)
    gtk_box_append (self->budgets_box, budget_group (r->statuses->pdata[i], r->alerts));

  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), r->statuses->len == 0);
  if (r->statuses->len > 0)
    {
      const CuBudgetStatus *st = r->statuses->pdata[0];
      g_autofree char *through = cu_format_day (st->through);
      g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u budget · actual costs through %s",
                                                            "%u budgets · actual costs through %s",
                                                            r->statuses->len),
                                               r->statuses->len, through);
      gtk_label_set_label (self->subheading_label, text);
    }
  else
    gtk_label_set_label (self->subheading_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->subheading_label), r->statuses->len > 0);
}

static void
load_done (gpointer      source,
           gpointer      request,
           gpointer      data,
           const GError *error)
{
  CuBudgetsPage *self = CU_BUDGETS_PAGE (source);
  g_autoptr(Result) result = data;

  if (result == NULL)
    {
      show_status (self, error->message, FALSE);
      cu_page_set_error (CU_PAGE (self), error->message);
      return;
    }
  show_result (self, result);
  g_clear_pointer (&self->budgets, g_ptr_array_unref);
  /* the statuses borrow the budgets: drop them first, keep the list */
  g_clear_pointer (&result->statuses, g_ptr_array_unref);
  self->budgets = g_steal_pointer (&result->budgets);
  g_free (self->currency);
  self->currency = g_steal_pointer (&result->currency);
  show_status (self, NULL, FALSE);
  cu_page_set_state (CU_PAGE (self), self->budgets->len > 0 ? CU_PAGE_STATE_READY : CU_PAGE_STATE_EMPTY);
}

static const CuPageJobInfo load_job = {
  .name = "[cumulus] budgets",
  .run = load_run,
  .done = load_done,
  .request_free = (GDestroyNotify) request_free,
  .result_free = (GDestroyNotify) result_free,
};

static void
start_load (CuBudgetsPage *self,
            const char    *remove)
{
  const char *workspace = cu_page_get_workspace (CU_PAGE (self));
  Request *req;

  cu_page_job_cancel (&self->cancellable);
  if (workspace == NULL)
    {
      show_status (self, NULL, FALSE);
      cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_IDLE);
      return;
    }

  req = g_new0 (Request, 1);
  req->as_of = cu_day_today ();
  req->remove = g_strdup (remove);

  show_status (self, remove ? _("Deleting the budget…") : _("Checking the budgets…"), TRUE);
  cu_page_job_start (&load_job, self, &self->cancellable, workspace, req);
}

/* ---- actions ---- */

static const CuBudget *
find_budget (CuBudgetsPage *self,
             const char    *name)
{
  for (guint i = 0; self->budgets != NULL && i < self->budgets->len; i++)
    if (g_strcmp0 (((CuBudget *) self->budgets->pdata[i])->name, name) == 0)
      return self->budgets->pdata[i];
  return NULL;
}

static void
dialog_saved_cb (CuBudgetsPage *self)
{
  start_load (self, NULL);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  GtkWindow *dialog = cu_budgets_page_open_dialog (CU_BUDGETS_PAGE (widget), NULL);

  if (dialog != NULL)
    gtk_window_present (dialog);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkWindow *dialog = cu_budgets_page_open_dialog (CU_BUDGETS_PAGE (widget),
                                                   g_variant_get_string (parameter, NULL));

  if (dialog != NULL)
    gtk_window_present (dialog);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    CuBudgetsPage    *self)
{
  if (g_str_equal (response, "delete"))
    start_load (self, g_object_get_data (G_OBJECT (dialog), "budget"));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CuBudgetsPage *self = CU_BUDGETS_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = g_strdup_printf (_("Delete “%s”?"), name);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("The budget and its alert history are removed. Costs are not affected."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "budget", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static void
cu_budgets_page_dispose (GObject *object)
{
  CuBudgetsPage *self = CU_BUDGETS_PAGE (object);

  cu_page_job_cancel (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_BUDGETS_PAGE);

  G_OBJECT_CLASS (cu_budgets_page_parent_class)->dispose (object);
}

static void
cu_budgets_page_finalize (GObject *object)
{
  CuBudgetsPage *self = CU_BUDGETS_PAGE (object);

  g_clear_pointer (&self->budgets, g_ptr_array_unref);
  g_free (self->currency);

  G_OBJECT_CLASS (cu_budgets_page_parent_class)->finalize (object);
}

/* Evaluates the budgets again in a worker. */
static void
cu_budgets_page_reload (CuPage *page)
{
  start_load (CU_BUDGETS_PAGE (page), NULL);
}

static void
cu_budgets_page_class_init (CuBudgetsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CuPageClass *page_class = CU_PAGE_CLASS (klass);

  g_type_ensure (CU_TYPE_BUDGET_DIALOG);

  object_class->dispose = cu_budgets_page_dispose;
  object_class->finalize = cu_budgets_page_finalize;
  page_class->reload = cu_budgets_page_reload;
  page_class->reload_on = CU_WORKSPACE_CHANGE_ANALYSIS;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-budgets-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CuBudgetsPage, subheading_label);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetsPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetsPage, budgets_box);

  gtk_widget_class_install_action (widget_class, "budgets.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "budgets.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "budgets.delete", "s", delete_action);
}

static void
cu_budgets_page_init (CuBudgetsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_set_visible (self->status_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->subheading_label), FALSE);
}

/**
 * cu_budgets_page_new:
 *
 * Returns: (transfer floating): a new page, empty until given a workspace
 */
GtkWidget *
cu_budgets_page_new (void)
{
  return g_object_new (CU_TYPE_BUDGETS_PAGE, NULL);
}

guint
cu_budgets_page_get_n_budgets (CuBudgetsPage *self)
{
  g_return_val_if_fail (CU_IS_BUDGETS_PAGE (self), 0);
  return self->budgets ? self->budgets->len : 0;
}

/**
 * cu_budgets_page_open_dialog:
 * @name: (nullable): the budget to edit, %NULL for a new one
 *
 * Returns: (transfer none) (nullable): the dialog, not yet presented;
 *   the page reloads when it saves
 */
GtkWindow *
cu_budgets_page_open_dialog (CuBudgetsPage *self,
                             const char    *name)
{
  const CuBudget *budget = NULL;
  CuBudgetDialog *dialog;
  GtkRoot *root;

  g_return_val_if_fail (CU_IS_BUDGETS_PAGE (self), NULL);

  if (cu_page_get_workspace (CU_PAGE (self)) == NULL)
    return NULL;
  if (name != NULL && (budget = find_budget (self, name)) == NULL)
    return NULL;

  dialog = cu_budget_dialog_new (cu_page_get_workspace (CU_PAGE (self)), budget, self->currency);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dialog_saved_cb), self, G_CONNECT_SWAPPED);
  return GTK_WINDOW (dialog);
}
