/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-accounts-page.c — cloud accounts and imported files of a workspace
 *
 * What the page shows comes from the ledger, read in a worker with its own
 * connection (accounts, their newest batch, row and request counts) and
 * swapped in on the main thread; a newer reload replaces the GCancellable of
 * an older one, so a stale answer is dropped. Cloud accounts are
 * CuAccountRows, kept across reloads so a running sync keeps its progress.
 *
 * Adding an account or importing a file while the demo workspace is shown
 * goes to the user's own (default) workspace, which the window then shows:
 * sample data and real data never meet in one ledger. Editing an account
 * (accounts.edit) opens the same dialog filled in with its settings.
 *
 * Background sync is the application's job manager's: the page tells it
 * which cloud accounts the real workspace shown has (never the demo's) and
 * when each last synced; the manager syncs those whose last sync started
 * longer ago than sync-interval-hours (0 turns it off), and the rows show
 * the syncs it runs.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <string.h>

#include "cu-account-row.h"
#include "cu-job-manager.h"
#include "cu-accounts-page.h"
#include "cu-application.h"
#include "providers/cu-accounts.h"
#include "store/cu-account-usage.h"
#include "store/cu-coverage.h"
#include "store/cu-ledger.h"
#include "util/cu-workspace.h"


struct _CuAccountsPage
{
  CuPage               parent_instance;

  /* template children */
  GtkStack            *stack;
  GtkSpinner          *loading_spinner;
  AdwStatusPage       *error_page;
  AdwPreferencesGroup *demo_group;
  AdwPreferencesGroup *cloud_group;
  GtkWidget           *cloud_placeholder;
  AdwPreferencesGroup *files_group;
  GtkWidget           *files_placeholder;
  AdwPreferencesGroup *schedule_group;
  GtkAdjustment       *interval_adjustment;

  /* owned state */
  gboolean             is_demo;
  GCancellable        *load_cancellable;
  gboolean             loaded_once;
  GHashTable          *cloud_rows;     /* name → CuAccountRow (owned by cloud_group) */
  GPtrArray           *other_rows;     /* file and sample rows (owned by their group) */
  GStrv                key_accounts;   /* aws-keys account names, for roles */
  GSettings           *settings;
};

G_DEFINE_FINAL_TYPE (CuAccountsPage, cu_accounts_page, CU_TYPE_PAGE)

static void schedule_update (CuAccountsPage *self);

/* ---- helpers ---- */

static const char *
workspace_of (CuAccountsPage *self)
{
  return cu_page_get_workspace (CU_PAGE (self));
}

static gboolean
is_cloud_kind (const char *kind)
{
  return g_strcmp0 (kind, "aws-keys") == 0 || g_strcmp0 (kind, "aws-role") == 0 ||
         g_strcmp0 (kind, "azure-sp") == 0;
}

static void
toast (CuAccountsPage *self,
       const char     *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "window.toast", "s", message);
}

/* Costs changed (a sync landed, an account went): the model tells every
 * page (this one too), and the forecasts and alerts are computed again;
 * a page on its own reloads itself. */
static void
costs_changed (CuAccountsPage *self)
{
  CuWorkspaceModel *model = cu_page_get_model (CU_PAGE (self));

  if (model != NULL && workspace_of (self) != NULL &&
      g_strcmp0 (cu_workspace_model_get_directory (model), workspace_of (self)) == 0)
    cu_workspace_model_changed (model, CU_WORKSPACE_CHANGE_COSTS | CU_WORKSPACE_CHANGE_ACCOUNTS);
  else
    cu_accounts_page_reload (self);
}


/* ---- loading, in a worker ---- */

/* What people call a source: "import:aws:123" is how the ledger keys a
 * cost export file's billing account. */
static char *
source_label (const CuAccount *a)
{
  const char *rest;

  if (a == NULL)
    return g_strdup (_("a removed source"));
  if (g_str_has_prefix (a->name, "import:") && (rest = strchr (a->name + 7, ':')) != NULL)
    {
      const char *provider = g_str_has_prefix (a->name + 7, "azure:") ? "Azure"
                           : g_str_has_prefix (a->name + 7, "aws:") ? "AWS" : a->provider;
      return g_strdup_printf (_("the %s billing account %s (file)"), provider, rest + 1);
    }
  return g_strdup (a->name);
}

static const CuAccount *
account_by_id (GPtrArray *accounts,
               gint64     id)
{
  for (guint i = 0; i < accounts->len; i++)
    if (((const CuAccount *) g_ptr_array_index (accounts, i))->id == id)
      return g_ptr_array_index (accounts, i);
  return NULL;
}

static const CuCoverage *
coverage_find (GPtrArray  *coverage,
               gint64      account_id,
               const char *linked)
{
  for (guint i = 0; i < coverage->len; i++)
    {
      const CuCoverage *c = g_ptr_array_index (coverage, i);
      if (c->account_id == account_id && g_strcmp0 (c->linked_account, linked) == 0)
        return c;
    }
  return NULL;
}

/* The linked accounts @a holds and, for each other source holding the same
 * one, who counts. The ledger names the winner of the first shadowed day;
 * with two sources (the case of two credentials in one organisation) that
 * is the winner of every shadowed day. */
static GPtrArray *
linked_of (GPtrArray       *coverage,
           GPtrArray       *accounts,
           const CuAccount *a)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_linked_account_free);

  for (guint i = 0; i < coverage->len; i++)
    {
      const CuCoverage *c = g_ptr_array_index (coverage, i);
      CuLinkedAccount *l;

      if (c->account_id != a->id)
        continue;
      l = cu_linked_account_new (c->linked_account, c->linked_name);
      l->first_day = c->first_day;
      l->last_day = c->last_day;
      l->n_days = c->n_days;
      l->n_shadowed_days = c->n_shadowed_days;
      for (guint k = 0; k < c->overlaps->len; k++)
        {
          gint64 other_id = g_array_index (c->overlaps, gint64, k);
          const CuCoverage *theirs = coverage_find (coverage, other_id, c->linked_account);
          g_autofree char *other = source_label (account_by_id (accounts, other_id));

          if (c->n_shadowed_days > 0 && c->shadowed_by == other_id)
            cu_linked_account_add_overlap (l, other, CU_LINKED_SHADOWED_BY, c->n_shadowed_days);
          else if (theirs != NULL && theirs->n_shadowed_days > 0 && theirs->shadowed_by == a->id)
            cu_linked_account_add_overlap (l, other, CU_LINKED_SHADOWS, theirs->n_shadowed_days);
          else
            cu_linked_account_add_overlap (l, other, CU_LINKED_BOTH_COUNT, 0);
        }
      g_ptr_array_add (out, l);
    }
  return out;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *workspace = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GArray) usage = NULL;
  g_autoptr(GError) usage_error = NULL;
  g_autoptr(GPtrArray) coverage = NULL;
  g_autoptr(GError) coverage_error = NULL;
  GPtrArray *out;

  ledger = cu_ledger_open (workspace, &error);
  if (ledger == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  accounts = cu_ledger_list_accounts (ledger, &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* the counts are a detail: without them the accounts still show */
  usage = cu_account_usage_list (ledger, &usage_error);
  if (usage == NULL)
    g_debug ("Accounts page: %s", usage_error->message);
  /* so is which linked accounts each one covers */
  coverage = cu_ledger_list_coverage (ledger, 0, &coverage_error);
  if (coverage == NULL)
    g_debug ("Accounts page: %s", coverage_error->message);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_account_status_free);
  for (guint i = 0; i < accounts->len; i++)
    {
      const CuAccount *a = g_ptr_array_index (accounts, i);
      g_autoptr(GPtrArray) batches = NULL;
      CuAccountStatus *s = g_new0 (CuAccountStatus, 1);

      if (g_task_return_error_if_cancelled (task))
        {
          cu_account_status_free (s);
          g_ptr_array_unref (out);
          return;
        }

      s->name = g_strdup (a->name);
      s->provider = g_strdup (a->provider);
      s->kind = g_strdup (a->kind);
      s->external_id = g_strdup (a->external_id);
      s->config_json = g_strdup (a->config_json);
      if (g_strcmp0 (a->provider, "aws") == 0 && is_cloud_kind (a->kind))
        s->cost_tags = cu_accounts_get_cost_tags (a);
      if (g_strcmp0 (a->kind, "aws-keys") == 0)
        s->identity = cu_accounts_config_get (a, "access_key_id");
      else if (g_strcmp0 (a->kind, "aws-role") == 0)
        {
          s->identity = cu_accounts_config_get (a, "role_arn");
          s->via = cu_accounts_config_get (a, "source");
        }
      else if (g_strcmp0 (a->kind, "azure-sp") == 0)
        {
          s->identity = cu_accounts_config_get (a, "subscription");
          s->via = cu_accounts_config_get (a, "client_id");
        }
      else
        s->identity = g_strdup (a->external_id);

      batches = cu_ledger_list_batches (ledger, a->id, NULL);
      if (batches != NULL && batches->len > 0)
        {
          const CuBatch *b = g_ptr_array_index (batches, 0);

          s->last_status = g_strdup (b->status);
          s->last_error = g_strdup (b->error);
          s->last_source = g_strdup (b->source);
          s->last_started_at = g_strdup (b->started_at);
          s->last_finished_at = g_strdup (b->finished_at);
          s->last_first_day = g_strdup (b->first_day);
          s->last_last_day = g_strdup (b->last_day);
          s->last_rows = b->n_rows;
          s->last_requests = b->n_requests;
          for (guint j = 0; j < batches->len; j++)
            {
              const CuBatch *ok = g_ptr_array_index (batches, j);

              if (g_strcmp0 (ok->status, "done") != 0)
                continue;
              s->ok_finished_at = g_strdup (ok->finished_at ? ok->finished_at : ok->started_at);
              s->ok_first_day = g_strdup (ok->first_day);
              s->ok_last_day = g_strdup (ok->last_day);
              s->ok_rows = ok->n_rows;
              s->ok_source = g_strdup (ok->source);
              break;
            }
        }
      {
        const CuAccountUsage *u = usage != NULL ? cu_account_usage_find (usage, a->id) : NULL;

        s->n_rows = u != NULL ? u->n_rows : 0;
        s->n_requests = u != NULL ? u->n_requests : 0;
      }
      if (coverage != NULL)
        s->linked = linked_of (coverage, accounts, a);
      g_ptr_array_add (out, s);
    }
  g_task_return_pointer (task, out, (GDestroyNotify) g_ptr_array_unref);
}

static GtkWidget *
other_row_new (const CuAccountStatus *s)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *count = cu_account_format_count (s->n_rows);
  g_autofree char *when = cu_account_format_when (s->last_finished_at ? s->last_finished_at
                                                                      : s->last_started_at);
  g_autofree char *ok_when = cu_account_format_when (s->ok_finished_at);
  g_autofree char *subtitle = NULL;
  /* a cancelled import ("cancelled") is no failure */
  gboolean failed = (g_strcmp0 (s->last_status, "failed") == 0 ||
                     g_strcmp0 (s->last_status, "interrupted") == 0) &&
                    s->last_error != NULL;
  const char *provider = g_strcmp0 (s->provider, "azure") == 0 ? "Azure"
                       : g_strcmp0 (s->provider, "aws") == 0 ? "AWS"
                       : s->provider;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* "import:aws:123456789012" is how the ledger keys it; say what it is */
  if (g_str_has_prefix (s->name, "import:") && strchr (s->name + 7, ':') != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("%s billing account %s"), provider,
                                                strchr (s->name + 7, ':') + 1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
    }
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), s->name);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);

  if (g_strcmp0 (s->kind, "demo") == 0)
    subtitle = g_strdup_printf (_("Sample %s account %s · %s cost rows"),
                                provider, s->external_id ? s->external_id : "", count);
  else if (s->ok_source != NULL)
    {
      g_autofree char *file = g_path_get_basename (s->ok_source);
      subtitle = g_strdup_printf (_("%s · %s cost rows · imported %s from %s"), provider, count, ok_when, file);
    }
  else
    subtitle = g_strdup_printf (_("%s · %s cost rows"), provider, count);

  /* a file whose linked accounts an API sync also holds is not counted
   * there: say so, or its total looks missing from the Overview */
  if (s->linked != NULL)
    {
      const char *by = NULL;
      gboolean several = FALSE;
      guint n_shadowed = 0, n_days = 0;

      for (guint i = 0; i < s->linked->len; i++)
        {
          const CuLinkedAccount *l = g_ptr_array_index (s->linked, i);
          for (guint k = 0; k < l->overlaps->len; k++)
            {
              const CuLinkedOverlap *o = g_ptr_array_index (l->overlaps, k);
              if (o->relation == CU_LINKED_SHADOWED_BY)
                {
                  several |= by != NULL && g_strcmp0 (by, o->other) != 0;
                  by = by != NULL ? by : o->other;
                  n_shadowed++;
                  n_days = MAX (n_days, o->n_days);
                  break;
                }
            }
        }
      if (n_shadowed > 0)
        {
          g_autofree char *with_shadow =
            g_strdup_printf (several ? _("%s · %u linked accounts are shadowed by %s and other sources on up to %u days, whose copies count")
                                     : ngettext ("%s · %u linked account is shadowed by %s on up to %u days, whose copy counts",
                                                 "%s · %u linked accounts are shadowed by %s on up to %u days, whose copy counts",
                                                 n_shadowed),
                             subtitle, n_shadowed, by, n_days);
          g_free (subtitle);
          subtitle = g_steal_pointer (&with_shadow);
        }
    }

  /* a failed import changed nothing, but the user should know it failed */
  if (failed)
    {
      g_autofree char *with_error =
        g_strdup_printf (s->ok_source != NULL ? _("%s · a later import failed %s and changed nothing: %s")
                                              : _("%s · an import failed %s and changed nothing: %s"),
                         subtitle, when, s->last_error);
      g_free (subtitle);
      subtitle = g_steal_pointer (&with_error);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
sync_finished_cb (CuAccountRow   *row,
                  gboolean        ok,
                  const char     *summary,
                  CuAccountsPage *self)
{
  toast (self, summary);
  /* a failed or cancelled sync wrote nothing but its reason */
  if (ok)
    costs_changed (self);
  else
    cu_accounts_page_reload (self);
}

static void
apply_statuses (CuAccountsPage *self,
                GPtrArray      *statuses)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key, value;
  guint n_cloud = 0, n_files = 0, n_demo = 0;

  for (guint i = 0; i < self->other_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->other_rows, i);
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));
      if (group != NULL)
        adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->other_rows, 0);

  for (guint i = 0; i < statuses->len; i++)
    {
      const CuAccountStatus *s = g_ptr_array_index (statuses, i);

      if (is_cloud_kind (s->kind))
        {
          CuAccountRow *row = g_hash_table_lookup (self->cloud_rows, s->name);

          if (row != NULL)
            cu_account_row_set_status (row, s);
          else
            {
              row = cu_account_row_new (workspace_of (self), s);
              g_signal_connect_object (row, "sync-finished", G_CALLBACK (sync_finished_cb), self, 0);
              adw_preferences_group_add (self->cloud_group, GTK_WIDGET (row));
              g_hash_table_insert (self->cloud_rows, g_strdup (s->name), row);
            }
          g_hash_table_add (seen, (gpointer) cu_account_row_get_name (row));
          if (g_strcmp0 (s->kind, "aws-keys") == 0)
            g_strv_builder_add (keys, s->name);
          n_cloud++;
        }
      else
        {
          GtkWidget *row = other_row_new (s);
          gboolean demo = g_strcmp0 (s->kind, "demo") == 0;

          adw_preferences_group_add (demo ? self->demo_group : self->files_group, row);
          g_ptr_array_add (self->other_rows, row);
          if (demo)
            n_demo++;
          else
            n_files++;
        }
    }

  /* accounts gone from the ledger (removed, or another workspace) */
  g_hash_table_iter_init (&iter, self->cloud_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (seen, cu_account_row_get_name (value)))
      {
        cu_account_row_cancel_sync (value);
        adw_preferences_group_remove (self->cloud_group, value);
        g_hash_table_iter_remove (&iter);
      }

  g_strfreev (self->key_accounts);
  self->key_accounts = g_strv_builder_end (keys);

  gtk_widget_set_visible (self->cloud_placeholder, n_cloud == 0);
  gtk_widget_set_visible (self->files_placeholder, n_files == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->demo_group), self->is_demo);
  gtk_widget_set_visible (GTK_WIDGET (self->schedule_group), self->settings != NULL && !self->is_demo);

  if (!self->is_demo && n_cloud == 0 && n_files == 0 && n_demo == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
load_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CuAccountsPage *self = CU_ACCOUNTS_PAGE (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statuses = g_task_propagate_pointer (G_TASK (result), &error);

  /* a newer reload (or the page going away) replaced this one */
  if (g_task_get_cancellable (G_TASK (result)) != self->load_cancellable)
    return;
  g_clear_object (&self->load_cancellable);
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);

  if (statuses == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      cu_page_set_error (CU_PAGE (self), error->message);
      return;
    }

  self->loaded_once = TRUE;
  apply_statuses (self, statuses);
  schedule_update (self);
  cu_page_set_state (CU_PAGE (self),
                     g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0
                     ? CU_PAGE_STATE_EMPTY : CU_PAGE_STATE_READY);
}

/* ---- add and remove ---- */

static void
account_added_cb (CuAccountDialog *dialog,
                  const char      *name,
                  CuAccountsPage  *self)
{
  const char *dir = cu_account_dialog_get_workspace (dialog);
  CuWorkspaceModel *model = cu_page_get_model (CU_PAGE (self));
  g_autofree char *message = g_strdup_printf (_("Added “%s”. Use Sync Now to fetch its costs."), name);

  if (g_strcmp0 (dir, workspace_of (self)) != 0)
    {
      /* the first real account: leave the demo for the user's own workspace */
      if (model != NULL)
        cu_workspace_model_open (model, dir, FALSE);
      else
        cu_accounts_page_set_workspace (self, dir, FALSE);
    }
  else
    cu_accounts_page_reload (self);
  toast (self, message);
}

static void
account_updated_cb (CuAccountDialog *dialog,
                    const char      *name,
                    CuAccountsPage  *self)
{
  g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

  /* settings, not costs, changed: this page is all that shows them */
  if (g_strcmp0 (cu_account_dialog_get_workspace (dialog), workspace_of (self)) == 0)
    cu_accounts_page_reload (self);
  toast (self, message);
}

typedef struct {
  char *workspace;
  char *name;
} RemoveJob;

static void
remove_job_free (gpointer data)
{
  RemoveJob *job = data;
  g_free (job->workspace);
  g_free (job->name);
  g_free (job);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RemoveJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (job->workspace, &error);

  if (ledger == NULL || !cu_accounts_remove (ledger, job->name, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
remove_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CuAccountsPage *self = CU_ACCOUNTS_PAGE (source_object);
  RemoveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    message = g_strdup_printf (_("Could not remove “%s”: %s"), job->name, error->message);
  else
    message = g_strdup_printf (_("Removed “%s”"), job->name);
  if (self->cloud_rows == NULL)   /* the page went away meanwhile */
    return;
  toast (self, message);
  /* its costs left the workspace: every page changes */
  if (g_strcmp0 (job->workspace, workspace_of (self)) == 0)
    costs_changed (self);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    CuAccountsPage   *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "account-name");
  g_autoptr(GTask) task = NULL;
  CuAccountRow *row;
  RemoveJob *job;

  if (g_strcmp0 (response, "remove") != 0 || workspace_of (self) == NULL)
    return;

  row = g_hash_table_lookup (self->cloud_rows, name);
  if (row != NULL)
    cu_account_row_cancel_sync (row);

  job = g_new0 (RemoveJob, 1);
  job->workspace = g_strdup (workspace_of (self));
  job->name = g_strdup (name);
  task = g_task_new (self, NULL, remove_done_cb, NULL);
  g_task_set_source_tag (task, cu_accounts_page_remove_account);
  g_task_set_name (task, "[cumulus] remove account");
  g_task_set_task_data (task, job, remove_job_free);
  g_task_run_in_thread (task, remove_thread);
}

/* ---- actions and the schedule ---- */

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CuAccountDialog *dialog = cu_accounts_page_add_account (CU_ACCOUNTS_PAGE (widget),
                                                          g_variant_get_string (parameter, NULL));
  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CuAccountDialog *dialog = cu_accounts_page_edit_account (CU_ACCOUNTS_PAGE (widget),
                                                           g_variant_get_string (parameter, NULL));
  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AdwMessageDialog *dialog = cu_accounts_page_remove_account (CU_ACCOUNTS_PAGE (widget),
                                                              g_variant_get_string (parameter, NULL));
  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

/* The background sync is the job manager's: it is told which accounts the
 * workspace shown has, and when the ledger last saw each sync start. */
static void
schedule_update (CuAccountsPage *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GArray) started = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) accounts = NULL;
  GHashTableIter iter;
  gpointer value;
  const char *watched = NULL;

  if (self->settings != NULL && !self->is_demo)
    watched = workspace_of (self);
  g_hash_table_iter_init (&iter, self->cloud_rows);
  while (watched != NULL && g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 last = cu_account_row_get_last_attempt (value);

      g_strv_builder_add (names, cu_account_row_get_name (value));
      g_array_append_val (started, last);
    }
  accounts = g_strv_builder_end (names);
  cu_job_manager_watch_accounts (cu_job_manager_get_default (), watched,
                                 (const char * const *) accounts, (const gint64 *) started->data);
}

static void
interval_changed_cb (CuAccountsPage *self)
{
  schedule_update (self);
}

/* The window's application has the settings; a page on its own (tests)
 * gets them with cu_accounts_page_set_settings(). */
static void
find_settings (CuAccountsPage *self)
{
  GtkRoot *root;
  GtkApplication *app;

  if (self->settings != NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!GTK_IS_WINDOW (root))
    return;
  app = gtk_window_get_application (GTK_WINDOW (root));
  if (CU_IS_APPLICATION (app))
    cu_accounts_page_set_settings (self, cu_application_get_settings (CU_APPLICATION (app)));
}

/* ---- object ---- */

static void
cu_accounts_page_dispose (GObject *object)
{
  CuAccountsPage *self = CU_ACCOUNTS_PAGE (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->cloud_rows, g_hash_table_unref);
  g_clear_pointer (&self->other_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_ACCOUNTS_PAGE);

  G_OBJECT_CLASS (cu_accounts_page_parent_class)->dispose (object);
}

static void
cu_accounts_page_finalize (GObject *object)
{
  CuAccountsPage *self = CU_ACCOUNTS_PAGE (object);

  g_strfreev (self->key_accounts);

  G_OBJECT_CLASS (cu_accounts_page_parent_class)->finalize (object);
}

/* rows of another workspace's accounts go, with their jobs */
static void
cu_accounts_page_workspace_changed (CuPage *page)
{
  CuAccountsPage *self = CU_ACCOUNTS_PAGE (page);
  CuWorkspaceModel *model = cu_page_get_model (page);
  GHashTableIter iter;
  gpointer value;

  /* in the window, the model says whether this is the demo */
  if (model != NULL)
    self->is_demo = cu_workspace_model_get_is_demo (model);
  find_settings (self);
  g_hash_table_iter_init (&iter, self->cloud_rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      cu_account_row_cancel_sync (value);
      adw_preferences_group_remove (self->cloud_group, value);
      g_hash_table_iter_remove (&iter);
    }
  self->loaded_once = FALSE;
  schedule_update (self);
}

/* Reads the accounts again in a worker; a reload in flight is replaced. */
static void
cu_accounts_page_real_reload (CuPage *page)
{
  CuAccountsPage *self = CU_ACCOUNTS_PAGE (page);
  g_autoptr(GTask) task = NULL;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (workspace_of (self) == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  if (!self->loaded_once)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_set_spinning (self->loading_spinner, TRUE);
    }
  cu_page_set_state (page, CU_PAGE_STATE_LOADING);

  task = g_task_new (self, self->load_cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, cu_accounts_page_real_reload);
  g_task_set_name (task, "[cumulus] load accounts");
  g_task_set_task_data (task, g_strdup (workspace_of (self)), g_free);
  g_task_run_in_thread (task, load_thread);
}

static void
cu_accounts_page_class_init (CuAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CuPageClass *page_class = CU_PAGE_CLASS (klass);

  object_class->dispose = cu_accounts_page_dispose;
  object_class->finalize = cu_accounts_page_finalize;
  page_class->reload = cu_accounts_page_real_reload;
  page_class->workspace_changed = cu_accounts_page_workspace_changed;
  page_class->reload_on = CU_WORKSPACE_CHANGE_COSTS | CU_WORKSPACE_CHANGE_ACCOUNTS;

  /* every template under this page is loaded by the GUI tests */
  g_type_ensure (CU_TYPE_ACCOUNT_ROW);
  g_type_ensure (CU_TYPE_ACCOUNT_DIALOG);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, demo_group);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, cloud_group);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, cloud_placeholder);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, files_group);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, files_placeholder);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, schedule_group);
  gtk_widget_class_bind_template_child (widget_class, CuAccountsPage, interval_adjustment);

  gtk_widget_class_install_action (widget_class, "accounts.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "accounts.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "accounts.remove", "s", remove_action);
}

static void
cu_accounts_page_init (CuAccountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cloud_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->other_rows = g_ptr_array_new ();
  self->key_accounts = g_new0 (char *, 1);
  gtk_widget_set_visible (GTK_WIDGET (self->schedule_group), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

/**
 * cu_accounts_page_new:
 *
 * Returns: (transfer floating): a page showing no workspace yet
 */
GtkWidget *
cu_accounts_page_new (void)
{
  return g_object_new (CU_TYPE_ACCOUNTS_PAGE, NULL);
}

/**
 * cu_accounts_page_get_workspace:
 *
 * Same as cu_page_get_workspace().
 *
 * Returns: (nullable): the workspace directory shown
 */
const char *
cu_accounts_page_get_workspace (CuAccountsPage *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), NULL);
  return workspace_of (self);
}

gboolean
cu_accounts_page_get_is_demo (CuAccountsPage *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), FALSE);
  return self->is_demo;
}

/**
 * cu_accounts_page_set_workspace:
 * @workspace_dir: the workspace the window shows
 * @is_demo: whether it is the generated demo workspace
 *
 * Shows the accounts of @workspace_dir and (re)starts the background sync
 * schedule for it; reloads even when it is already shown.
 */
void
cu_accounts_page_set_workspace (CuAccountsPage *self,
                                const char     *workspace_dir,
                                gboolean        is_demo)
{
  g_return_if_fail (CU_IS_ACCOUNTS_PAGE (self));

  find_settings (self);
  self->is_demo = is_demo;
  if (g_strcmp0 (workspace_of (self), workspace_dir) != 0)
    {
      cu_page_set_workspace (CU_PAGE (self), workspace_dir);
      return;
    }
  schedule_update (self);
  cu_page_reload (CU_PAGE (self));
}

/* The wrappers below are cu_page_*() under the names tests/accounts uses. */

void
cu_accounts_page_reload (CuAccountsPage *self)
{
  g_return_if_fail (CU_IS_ACCOUNTS_PAGE (self));
  cu_page_reload (CU_PAGE (self));
}

gboolean
cu_accounts_page_get_loading (CuAccountsPage *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), FALSE);
  return cu_page_get_loading (CU_PAGE (self));
}

/**
 * cu_accounts_page_get_error:
 *
 * Returns: (nullable): why the accounts could not be read
 */
const char *
cu_accounts_page_get_error (CuAccountsPage *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), NULL);
  return cu_page_get_error (CU_PAGE (self));
}

/**
 * cu_accounts_page_get_row:
 *
 * Returns: (transfer none) (nullable): the CuAccountRow of a cloud account
 */
GtkWidget *
cu_accounts_page_get_row (CuAccountsPage *self,
                          const char     *name)
{
  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), NULL);
  return g_hash_table_lookup (self->cloud_rows, name);
}

/**
 * cu_accounts_page_add_account:
 * @kind: "aws-keys", "aws-role" or "azure-sp"
 *
 * Creates the Add Account dialog for @kind, transient for the page's
 * window; with the demo shown, the account goes to the default workspace.
 *
 * Returns: (transfer none) (nullable): the dialog, not yet presented
 */
CuAccountDialog *
cu_accounts_page_add_account (CuAccountsPage *self,
                              const char     *kind)
{
  g_autofree char *target = NULL;
  CuAccountDialog *dialog;
  GtkRoot *root;

  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), NULL);
  g_return_val_if_fail (is_cloud_kind (kind), NULL);

  target = (self->is_demo || workspace_of (self) == NULL) ? cu_workspace_default_dir ()
                                                      : g_strdup (workspace_of (self));
  dialog = cu_account_dialog_new (kind, target,
                                  self->is_demo ? NULL : (const char * const *) self->key_accounts,
                                  self->is_demo || workspace_of (self) == NULL);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "account-added", G_CALLBACK (account_added_cb), self, 0);
  return dialog;
}

/**
 * cu_accounts_page_edit_account:
 * @name: a cloud account of the workspace shown
 *
 * Creates the Edit Account dialog for @name, filled in with its non-secret
 * settings as the page last read them, transient for the page's window.
 *
 * Returns: (transfer none) (nullable): the dialog, not yet presented;
 *   %NULL when the page shows no such account
 */
CuAccountDialog *
cu_accounts_page_edit_account (CuAccountsPage *self,
                               const char     *name)
{
  const CuAccountStatus *s;
  CuAccountRow *row;
  CuAccountDialog *dialog;
  CuAccount account = { 0 };
  GtkRoot *root;

  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  row = g_hash_table_lookup (self->cloud_rows, name);
  if (row == NULL || workspace_of (self) == NULL)
    return NULL;
  s = cu_account_row_get_status (row);
  account.name = s->name;
  account.provider = s->provider;
  account.kind = s->kind;
  account.external_id = s->external_id;
  account.config_json = s->config_json;

  dialog = cu_account_dialog_new_for_account (&account, workspace_of (self),
                                              (const char * const *) self->key_accounts);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "account-updated", G_CALLBACK (account_updated_cb), self, 0);
  return dialog;
}

/**
 * cu_accounts_page_remove_account:
 * @name: a cloud account of the workspace shown
 *
 * Creates the confirmation; its "remove" response removes the account,
 * its costs and its secrets (in a worker) and reloads the pages.
 *
 * Returns: (transfer none) (nullable): the dialog, not yet presented
 */
AdwMessageDialog *
cu_accounts_page_remove_account (CuAccountsPage *self,
                                 const char     *name)
{
  GtkRoot *root;
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  heading = g_strdup_printf (_("Remove “%s”?"), name);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Its costs are deleted from this workspace and its secret from your keyring. "
                                     "Nothing changes in the cloud account itself, and you can add it again later."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  return ADW_MESSAGE_DIALOG (dialog);
}

/**
 * cu_accounts_page_set_settings:
 * @settings: the application settings (sync-interval-hours)
 */
void
cu_accounts_page_set_settings (CuAccountsPage *self,
                               GSettings      *settings)
{
  g_return_if_fail (CU_IS_ACCOUNTS_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings == settings)
    return;
  if (self->settings != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->settings, self);
      g_settings_unbind (self->interval_adjustment, "value");
    }
  g_set_object (&self->settings, settings);
  g_settings_bind (settings, "sync-interval-hours", self->interval_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (settings, "changed::sync-interval-hours",
                            G_CALLBACK (interval_changed_cb), self);
  gtk_widget_set_visible (GTK_WIDGET (self->schedule_group), !self->is_demo);
  cu_job_manager_set_settings (cu_job_manager_get_default (), settings);
  schedule_update (self);
}

/**
 * cu_accounts_page_sync_due:
 *
 * What the background timer does: starts a sync of every cloud account
 * whose last sync started at least sync-interval-hours ago.
 *
 * Returns: the number of syncs started
 */
guint
cu_accounts_page_sync_due (CuAccountsPage *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNTS_PAGE (self), 0);

  if (self->settings == NULL || self->is_demo || cu_page_get_loading (CU_PAGE (self)))
    return 0;
  schedule_update (self);
  return cu_job_manager_sync_due (cu_job_manager_get_default ());
}
