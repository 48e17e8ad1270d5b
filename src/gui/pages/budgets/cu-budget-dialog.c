/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-budget-dialog.c — create or edit a budget
 *
 * Every field is checked as it is typed (the row turns red and the reason
 * is written under the form; Save stays off until all is well), with the
 * same rules as cu_budgets_add(). Saving runs in a worker with its own
 * ledger connection; ::saved is emitted when the budget is stored.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <string.h>

#include "cu-budget-dialog.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

static const char * const filter_keys[] = { NULL, "account", "service", "region", "provider", "tag" };

struct _CuBudgetDialog
{
  AdwWindow       parent_instance;

  /* template children */
  GtkWidget      *save_button;
  AdwEntryRow    *name_row;
  AdwEntryRow    *amount_row;
  AdwEntryRow    *currency_row;
  AdwComboRow    *period_row;
  AdwComboRow    *filter_row;
  AdwEntryRow    *tag_key_row;
  AdwEntryRow    *filter_value_row;
  AdwEntryRow    *stages_row;
  GtkLabel       *error_label;

  /* owned state */
  char           *workspace;
  CuBudget       *budget;       /* what the form says, when valid */
  gboolean        editing;
  gboolean        valid;
  gboolean        saving;
  char           *problem;      /* the first problem, shown or not */
  GHashTable     *edited;       /* the rows typed in (set of AdwEntryRow) */
  gboolean        show_all;     /* Save was pressed: every error shows */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (CuBudgetDialog, cu_budget_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* A field shows its error only once it has been edited, or after Save:
 * a new form is not a list of mistakes. */
static gboolean
shown (CuBudgetDialog *self,
       AdwEntryRow    *row)
{
  return self->show_all || g_hash_table_contains (self->edited, row);
}

/* the first problem, top to bottom, is the one explained; @problem only
 * among the fields shown */
static void
note (const char **first,
      const char **problem,
      gboolean     ok,
      gboolean     is_shown,
      const char  *message)
{
  if (ok)
    return;
  if (*first == NULL)
    *first = message;
  if (*problem == NULL && is_shown)
    *problem = message;
}

static void
mark (AdwEntryRow *row,
      gboolean     ok)
{
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static void
validate_cb (CuBudgetDialog *self)
{
  g_autoptr(CuBudget) b = g_new0 (CuBudget, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));
  g_autofree char *currency = g_ascii_strup (g_strstrip (g_strdup (text_of (self->currency_row))), -1);
  g_autofree char *amount = g_strstrip (g_strdup (text_of (self->amount_row)));
  g_autofree char *value = g_strstrip (g_strdup (text_of (self->filter_value_row)));
  g_autofree char *tag_key = g_strstrip (g_strdup (text_of (self->tag_key_row)));
  guint filter = adw_combo_row_get_selected (self->filter_row);
  const char *problem = NULL, *first = NULL;
  gboolean ok;

  if (filter >= G_N_ELEMENTS (filter_keys))
    filter = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->tag_key_row), filter == 5);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_value_row), filter != 0);

  /* the first problem, top to bottom, is the one explained */
  ok = *name != '\0';
  mark (self->name_row, ok || !shown (self, self->name_row));
  note (&first, &problem, ok, shown (self, self->name_row), _("Give the budget a name."));

  g_strdelimit (amount, ",", ' ');
  {
    /* "12 000" and "12,000" both mean twelve thousand */
    g_autoptr(GString) digits = g_string_new (NULL);
    for (const char *p = amount; *p; p++)
      if (*p != ' ')
        g_string_append_c (digits, *p);
    ok = cu_money_parse (digits->str, -1, &b->amount, NULL) && b->amount > 0;
  }
  mark (self->amount_row, ok || !shown (self, self->amount_row));
  note (&first, &problem, ok, shown (self, self->amount_row), _("The amount must be a number above zero, like 12000 or 12000.50."));

  ok = strlen (currency) == 3 && g_ascii_isalpha (currency[0]) && g_ascii_isalpha (currency[1]) &&
       g_ascii_isalpha (currency[2]);
  mark (self->currency_row, ok || !shown (self, self->currency_row));
  note (&first, &problem, ok, shown (self, self->currency_row), _("The currency is a three-letter code, like USD or EUR."));

  ok = filter != 5 || *tag_key != '\0';
  mark (self->tag_key_row, ok || !shown (self, self->tag_key_row));
  note (&first, &problem, ok, shown (self, self->tag_key_row), _("Name the tag key, like team or env."));

  ok = filter == 0 || *value != '\0';
  mark (self->filter_value_row, ok || !shown (self, self->filter_value_row));
  note (&first, &problem, ok, shown (self, self->filter_value_row), _("Say which one: the value as it appears in the cost data."));

  ok = cu_budget_stages_parse (text_of (self->stages_row), b, &error);
  mark (self->stages_row, ok || !shown (self, self->stages_row));
  note (&first, &problem, ok, shown (self, self->stages_row), _("Stages are up to 8 ascending percentages between 1 and 1000, like 50,80,100."));

  g_free (self->problem);
  self->problem = g_strdup (first);
  self->valid = first == NULL;
  gtk_label_set_label (self->error_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), problem != NULL);
  /* Save stays available: pressed on an incomplete form, it shows what
   * is missing */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "budget.save", !self->saving);

  if (self->valid)
    {
      b->name = g_steal_pointer (&name);
      b->currency = g_steal_pointer (&currency);
      b->period = (CuBudgetPeriod) MIN (adw_combo_row_get_selected (self->period_row), CU_BUDGET_ANNUAL);
      if (filter == 5)
        b->filter_key = g_strconcat ("tag:", tag_key, NULL);
      else
        b->filter_key = g_strdup (filter_keys[filter]);
      b->filter_value = filter != 0 ? g_steal_pointer (&value) : NULL;
      g_clear_pointer (&self->budget, cu_budget_free);
      self->budget = g_steal_pointer (&b);
    }
}

static CuBudget *
copy_budget (const CuBudget *b)
{
  CuBudget *copy = g_memdup2 (b, sizeof *b);

  copy->name = g_strdup (b->name);
  copy->currency = g_strdup (b->currency);
  copy->filter_key = g_strdup (b->filter_key);
  copy->filter_value = g_strdup (b->filter_value);
  return copy;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CuBudgetDialog *self = source_object;
  CuBudget *b = task_data;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* self->workspace and self->editing are set before and never change */
  ledger = cu_ledger_open (self->workspace, &error);
  if (ledger == NULL)
    ok = FALSE;
  else if (self->editing)
    ok = cu_budgets_update (ledger, b, &error);
  else
    ok = cu_budgets_add (ledger, b, &error) != 0;
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
saved_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CuBudgetDialog *self = CU_BUDGET_DIALOG (source_object);
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "budget.save", TRUE);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CuBudgetDialog *self = CU_BUDGET_DIALOG (widget);
  g_autoptr(GTask) task = NULL;

  self->show_all = TRUE;
  validate_cb (self);
  if (!self->valid || self->saving || self->budget == NULL)
    return;
  self->saving = TRUE;
  gtk_widget_action_set_enabled (widget, "budget.save", FALSE);

  task = g_task_new (self, self->cancellable, saved_cb, NULL);
  g_task_set_source_tag (task, save_action);
  g_task_set_name (task, "[cumulus] save budget");
  g_task_set_task_data (task, copy_budget (self->budget), (GDestroyNotify) cu_budget_free);
  g_task_run_in_thread (task, save_thread);
}

static void
cu_budget_dialog_dispose (GObject *object)
{
  CuBudgetDialog *self = CU_BUDGET_DIALOG (object);

  /* a save under way completes; only its answer is dropped */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_BUDGET_DIALOG);

  G_OBJECT_CLASS (cu_budget_dialog_parent_class)->dispose (object);
}

static void
cu_budget_dialog_finalize (GObject *object)
{
  CuBudgetDialog *self = CU_BUDGET_DIALOG (object);

  g_free (self->workspace);
  g_clear_pointer (&self->budget, cu_budget_free);
  g_free (self->problem);
  g_hash_table_unref (self->edited);

  G_OBJECT_CLASS (cu_budget_dialog_parent_class)->finalize (object);
}

static void
cu_budget_dialog_class_init (CuBudgetDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cu_budget_dialog_dispose;
  object_class->finalize = cu_budget_dialog_finalize;

  /**
   * CuBudgetDialog::saved:
   *
   * The budget was stored; the dialog closes after this.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-budget-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, currency_row);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, period_row);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, filter_row);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, tag_key_row);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, filter_value_row);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, stages_row);
  gtk_widget_class_bind_template_child (widget_class, CuBudgetDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, validate_cb);

  gtk_widget_class_install_action (widget_class, "budget.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cu_budget_dialog_init (CuBudgetDialog *self)
{
  /* before the template: its signals may run validate_cb */
  self->edited = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
row_edited_cb (GtkEditable    *row,
               CuBudgetDialog *self)
{
  g_hash_table_add (self->edited, row);
  validate_cb (self);
}

/**
 * cu_budget_dialog_new:
 * @workspace_dir: where the budget is stored
 * @budget: (nullable): the budget to edit, or %NULL for a new one
 * @currency: (nullable): the currency a new budget starts with
 *
 * Returns: (transfer none): a new dialog; present it
 */
CuBudgetDialog *
cu_budget_dialog_new (const char     *workspace_dir,
                      const CuBudget *budget,
                      const char     *currency)
{
  CuBudgetDialog *self;

  g_return_val_if_fail (workspace_dir != NULL, NULL);

  self = g_object_new (CU_TYPE_BUDGET_DIALOG, NULL);
  self->workspace = g_strdup (workspace_dir);
  self->editing = budget != NULL;

  if (budget != NULL)
    {
      g_autofree char *amount = cu_money_format_plain (budget->amount, 2);
      g_autoptr(GString) stages = g_string_new (NULL);
      guint filter = 0;

      gtk_window_set_title (GTK_WINDOW (self), _("Edit Budget"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), budget->name);
      /* the name is how the ledger knows the budget */
      gtk_editable_set_editable (GTK_EDITABLE (self->name_row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->amount_row), amount);
      gtk_editable_set_text (GTK_EDITABLE (self->currency_row), budget->currency);
      adw_combo_row_set_selected (self->period_row, budget->period);
      for (guint i = 0; i < budget->n_stages; i++)
        g_string_append_printf (stages, "%s%u", i ? "," : "", budget->stages[i]);
      gtk_editable_set_text (GTK_EDITABLE (self->stages_row), stages->str);
      if (budget->filter_key != NULL && g_str_has_prefix (budget->filter_key, "tag:"))
        {
          filter = 5;
          gtk_editable_set_text (GTK_EDITABLE (self->tag_key_row), budget->filter_key + 4);
        }
      else
        for (guint i = 1; i < G_N_ELEMENTS (filter_keys); i++)
          if (g_strcmp0 (filter_keys[i], budget->filter_key) == 0)
            filter = i;
      adw_combo_row_set_selected (self->filter_row, filter);
      if (budget->filter_value != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->filter_value_row), budget->filter_value);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Budget"));
      gtk_editable_set_text (GTK_EDITABLE (self->currency_row), currency ? currency : "USD");
      gtk_editable_set_text (GTK_EDITABLE (self->stages_row), "50,80,100");
    }
  /* connected after the texts are filled in: those are not edits */
  {
    AdwEntryRow *rows[] = { self->name_row, self->amount_row, self->currency_row,
                            self->tag_key_row, self->filter_value_row, self->stages_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_signal_connect_object (rows[i], "changed", G_CALLBACK (row_edited_cb), self, 0);
  }
  validate_cb (self);
  return self;
}

gboolean
cu_budget_dialog_get_valid (CuBudgetDialog *self)
{
  g_return_val_if_fail (CU_IS_BUDGET_DIALOG (self), FALSE);
  return self->valid;
}

/**
 * cu_budget_dialog_get_problem:
 *
 * Returns: (nullable): what is wrong with the form, as shown under it
 */
const char *
cu_budget_dialog_get_problem (CuBudgetDialog *self)
{
  g_return_val_if_fail (CU_IS_BUDGET_DIALOG (self), NULL);
  return self->problem;
}

/**
 * cu_budget_dialog_get_error_shown:
 *
 * Returns: whether the form shows an error now (a red field or the message
 *   under it); %FALSE on a new form until a field is edited or Save pressed
 */
gboolean
cu_budget_dialog_get_error_shown (CuBudgetDialog *self)
{
  AdwEntryRow *rows[] = { self->name_row, self->amount_row, self->currency_row,
                          self->tag_key_row, self->filter_value_row, self->stages_row };

  g_return_val_if_fail (CU_IS_BUDGET_DIALOG (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (gtk_widget_has_css_class (GTK_WIDGET (rows[i]), "error"))
      return TRUE;
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label));
}

/**
 * cu_budget_dialog_save:
 *
 * Presses Save: stores the budget when the form is valid, otherwise shows
 * every field's error.
 */
void
cu_budget_dialog_save (CuBudgetDialog *self)
{
  g_return_if_fail (CU_IS_BUDGET_DIALOG (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "budget.save", NULL);
}
