/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-account-row.c — one cloud account on the Accounts page
 *
 * The row shows what the page read from the ledger (CuAccountStatus) and
 * runs the two jobs of one account: Sync Now and Test Connection. Edit and
 * Remove are the page's actions (accounts.edit, accounts.remove). A sync
 * asks the application's job manager to run the sync, and follows its
 * CuProgress on the main thread; the manager owns the job, so a row made
 * while a sync runs picks it up. Cancelling leaves the ledger as it was (the
 * sync writes in one transaction at the end).
 *
 * A row outlives page reloads: the page updates it in place with
 * cu_account_row_set_status(), so a running sync keeps its progress bar.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <string.h>

#include "cu-account-row.h"
#include "cu-format.h"
#include "providers/cu-sync.h"
#include "cu-job-manager.h"
#include "util/cu-money.h"

struct _CuAccountRow
{
  AdwExpanderRow   parent_instance;

  /* template children */
  GtkSpinner      *spinner;
  GtkImage        *warning_icon;
  AdwActionRow    *identity_row;
  AdwActionRow    *via_row;
  AdwActionRow    *tags_row;
  AdwActionRow    *last_sync_row;
  AdwActionRow    *rows_row;
  AdwActionRow    *requests_row;
  AdwActionRow    *error_row;
  AdwActionRow    *linked_row;
  GtkWidget       *progress_box;
  GtkProgressBar  *progress_bar;
  GtkLabel        *progress_label;
  GtkLabel        *test_label;
  GtkButton       *sync_button;
  GtkButton       *test_button;
  GtkButton       *edit_button;
  GtkButton       *remove_button;

  /* owned state */
  char            *workspace;
  CuAccountStatus *status;
  GCancellable    *test_cancellable;
  double           fraction;
  gboolean         syncing;
  gboolean         testing;
  gboolean         disposed;
  GPtrArray       *linked_rows;   /* one AdwActionRow per linked account shown */
};

G_DEFINE_FINAL_TYPE (CuAccountRow, cu_account_row, ADW_TYPE_EXPANDER_ROW)

enum {
  SYNC_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_view (CuAccountRow *self);

/* ---- plain data ---- */

static void
linked_overlap_free (CuLinkedOverlap *overlap)
{
  g_free (overlap->other);
  g_free (overlap);
}

void
cu_linked_account_free (CuLinkedAccount *linked)
{
  if (linked == NULL)
    return;
  g_free (linked->id);
  g_free (linked->name);
  g_clear_pointer (&linked->overlaps, g_ptr_array_unref);
  g_free (linked);
}

static CuLinkedAccount *
linked_copy (const CuLinkedAccount *l)
{
  CuLinkedAccount *copy = g_memdup2 (l, sizeof *l);

  copy->id = g_strdup (l->id);
  copy->name = g_strdup (l->name);
  copy->overlaps = g_ptr_array_new_with_free_func ((GDestroyNotify) linked_overlap_free);
  for (guint i = 0; l->overlaps != NULL && i < l->overlaps->len; i++)
    {
      const CuLinkedOverlap *o = g_ptr_array_index (l->overlaps, i);
      CuLinkedOverlap *oc = g_memdup2 (o, sizeof *o);

      oc->other = g_strdup (o->other);
      g_ptr_array_add (copy->overlaps, oc);
    }
  return copy;
}

/**
 * cu_linked_account_new:
 * @id: the SubAccountId
 * @name: (nullable): its name
 *
 * Returns: (transfer full): a linked account with no overlaps yet
 */
CuLinkedAccount *
cu_linked_account_new (const char *id,
                       const char *name)
{
  CuLinkedAccount *l = g_new0 (CuLinkedAccount, 1);

  l->id = g_strdup (id);
  l->name = g_strdup (name);
  l->overlaps = g_ptr_array_new_with_free_func ((GDestroyNotify) linked_overlap_free);
  return l;
}

/**
 * cu_linked_account_add_overlap:
 * @other: the other source's name; copied
 */
void
cu_linked_account_add_overlap (CuLinkedAccount  *linked,
                               const char       *other,
                               CuLinkedRelation  relation,
                               guint             n_days)
{
  CuLinkedOverlap *o;

  g_return_if_fail (linked != NULL && other != NULL);

  o = g_new0 (CuLinkedOverlap, 1);
  o->other = g_strdup (other);
  o->relation = relation;
  o->n_days = n_days;
  g_ptr_array_add (linked->overlaps, o);
}

void
cu_account_status_free (CuAccountStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->name);
  g_free (status->provider);
  g_free (status->kind);
  g_free (status->identity);
  g_free (status->via);
  g_free (status->external_id);
  g_free (status->config_json);
  g_strfreev (status->cost_tags);
  g_free (status->last_status);
  g_free (status->last_error);
  g_free (status->last_source);
  g_free (status->last_started_at);
  g_free (status->last_finished_at);
  g_free (status->last_first_day);
  g_free (status->last_last_day);
  g_free (status->ok_finished_at);
  g_free (status->ok_first_day);
  g_free (status->ok_last_day);
  g_free (status->ok_source);
  g_clear_pointer (&status->linked, g_ptr_array_unref);
  g_free (status);
}

static CuAccountStatus *
status_copy (const CuAccountStatus *s)
{
  CuAccountStatus *copy = g_memdup2 (s, sizeof *s);

  copy->name = g_strdup (s->name);
  copy->provider = g_strdup (s->provider);
  copy->kind = g_strdup (s->kind);
  copy->identity = g_strdup (s->identity);
  copy->via = g_strdup (s->via);
  copy->external_id = g_strdup (s->external_id);
  copy->config_json = g_strdup (s->config_json);
  copy->cost_tags = g_strdupv (s->cost_tags);
  copy->last_status = g_strdup (s->last_status);
  copy->last_error = g_strdup (s->last_error);
  copy->last_source = g_strdup (s->last_source);
  copy->last_started_at = g_strdup (s->last_started_at);
  copy->last_finished_at = g_strdup (s->last_finished_at);
  copy->last_first_day = g_strdup (s->last_first_day);
  copy->last_last_day = g_strdup (s->last_last_day);
  copy->ok_finished_at = g_strdup (s->ok_finished_at);
  copy->ok_first_day = g_strdup (s->ok_first_day);
  copy->ok_last_day = g_strdup (s->ok_last_day);
  copy->ok_source = g_strdup (s->ok_source);
  copy->linked = NULL;
  if (s->linked != NULL)
    {
      copy->linked = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_linked_account_free);
      for (guint i = 0; i < s->linked->len; i++)
        g_ptr_array_add (copy->linked, linked_copy (g_ptr_array_index (s->linked, i)));
    }
  return copy;
}

/**
 * cu_account_format_count:
 *
 * Same as cu_format_count().
 *
 * Returns: (transfer full): @n with thousands separators, "12,345"
 */
char *
cu_account_format_count (gint64 n)
{
  return cu_format_count (n);
}

/**
 * cu_account_format_when:
 * @iso8601: a UTC time from the ledger
 *
 * Returns: (transfer full): "just now", "3 hours ago", "yesterday", "12 Nov 2026"
 */
char *
cu_account_format_when (const char *iso8601)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 seconds;

  if (iso8601 == NULL)
    return g_strdup (_("never"));
  when = g_date_time_new_from_iso8601 (iso8601, utc);
  if (when == NULL)
    return g_strdup (iso8601);

  seconds = g_date_time_difference (now, when) / G_TIME_SPAN_SECOND;
  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", (int) (seconds / 60)),
                            (int) (seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (int) (seconds / 3600)),
                            (int) (seconds / 3600));
  if (seconds < 2 * 86400)
    return g_strdup (_("yesterday"));
  if (seconds < 7 * 86400)
    return g_strdup_printf (ngettext ("%d day ago", "%d days ago", (int) (seconds / 86400)),
                            (int) (seconds / 86400));
  {
    g_autoptr(GDateTime) local = g_date_time_to_local (when);
    /* TRANSLATORS: a date, see g_date_time_format() */
    return g_date_time_format (local, _("%-d %b %Y"));
  }
}

static gint64
iso_to_unix (const char *iso8601)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = NULL;

  if (iso8601 == NULL)
    return 0;
  when = g_date_time_new_from_iso8601 (iso8601, utc);
  return when != NULL ? g_date_time_to_unix (when) : 0;
}

static char *
format_usd (gint64 micros)
{
  g_autofree char *amount = cu_money_format_display (micros, "USD");

  if (g_str_has_suffix (amount, "USD"))
    return g_steal_pointer (&amount);
  return g_strdup_printf ("%s USD", amount);
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "aws-keys") == 0)
    return _("AWS access keys");
  if (g_strcmp0 (kind, "aws-role") == 0)
    return _("AWS role");
  if (g_strcmp0 (kind, "azure-sp") == 0)
    return _("Azure service principal");
  return kind;
}

/* ---- sync job ---- */

static gboolean
is_mine (CuAccountRow *self,
         const char   *workspace,
         const char   *account)
{
  return !self->disposed && g_strcmp0 (workspace, self->workspace) == 0 &&
         g_strcmp0 (account, self->status->name) == 0;
}

static void
sync_progress_changed_cb (CuAccountRow *self,
                          CuProgress   *progress)
{
  g_autofree char *message = NULL;

  if (self->disposed || !self->syncing)
    return;

  message = cu_progress_dup_message (progress);
  self->fraction = cu_progress_get_fraction (progress);
  gtk_progress_bar_set_fraction (self->progress_bar, self->fraction);
  if (message != NULL)
    gtk_label_set_text (self->progress_label, message);
  update_view (self);
}

static void
sync_started_cb (CuJobManager *manager,
                 const char   *workspace,
                 const char   *account,
                 CuAccountRow *self)
{
  if (!is_mine (self, workspace, account))
    return;

  self->syncing = TRUE;
  self->fraction = 0;
  g_signal_connect_object (cu_job_manager_get_sync_progress (manager, workspace, account), "changed",
                           G_CALLBACK (sync_progress_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->progress_label, _("Connecting…"));
  gtk_widget_set_visible (self->progress_box, TRUE);
  /* an older connection test says nothing about this sync */
  if (!self->testing)
    gtk_widget_set_visible (GTK_WIDGET (self->test_label), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);
  update_view (self);
}

static char *
sync_summary (const CuSyncResult *r,
              const char         *name)
{
  g_autofree char *rows = cu_account_format_count ((gint64) r->n_rows);

  if (!r->ok && g_error_matches (r->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup_printf (_("Sync of “%s” cancelled; its costs are as they were"), name);
  if (!r->ok)
    return g_strdup_printf (_("Could not sync “%s”: %s"), name,
                            r->error != NULL ? r->error->message : _("unknown error"));
  if (g_strcmp0 (r->kind, "azure-sp") == 0)
    return g_strdup_printf (ngettext ("“%s” synced: %s cost rows over %u day, %u cost query",
                                      "“%s” synced: %s cost rows over %u days, %u cost queries",
                                      r->n_days),
                            name, rows, r->n_days, r->n_billable_requests);
  {
    g_autofree char *cost = format_usd (r->request_cost_micros);
    return g_strdup_printf (ngettext ("“%s” synced: %s cost rows over %u day, %u Cost Explorer requests (%s)",
                                      "“%s” synced: %s cost rows over %u days, %u Cost Explorer requests (%s)",
                                      r->n_days),
                            name, rows, r->n_days, r->n_billable_requests, cost);
  }
}

static void
sync_finished_cb (CuJobManager       *manager,
                  const char         *workspace,
                  const char         *account,
                  const CuSyncResult *r,
                  CuAccountRow       *self)
{
  g_autofree char *summary = NULL;

  if (!is_mine (self, workspace, account))
    return;
  self->syncing = FALSE;
  if (r == NULL)
    return;

  summary = sync_summary (r, self->status->name);
  gtk_widget_set_visible (self->progress_box, FALSE);
  update_view (self);
  g_signal_emit (self, signals[SYNC_FINISHED], 0, r->ok, summary);
}

/* ---- test job ---- */

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  char **names = task_data;   /* workspace, account */
  GError *error = NULL;
  char *message = cu_sync_test_account (names[0], names[1], cancellable, &error);

  if (message == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, message, g_free);
}

static void
test_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CuAccountRow *self = CU_ACCOUNT_ROW (source_object);
  g_autoptr(GError) error = NULL;
  g_autofree char *identity = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;
  g_autofree char *toast = NULL;

  self->testing = FALSE;
  g_clear_object (&self->test_cancellable);
  if (self->disposed)
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "success");
  if (identity != NULL)
    {
      text = g_strdup_printf (_("Connected as %s"), identity);
      toast = g_strdup_printf (_("“%s” connects"), self->status->name);
      gtk_widget_add_css_class (GTK_WIDGET (self->test_label), "success");
    }
  else
    {
      text = g_strdup_printf (_("Connection failed: %s"), error->message);
      toast = g_strdup_printf (_("“%s” could not connect"), self->status->name);
      gtk_widget_add_css_class (GTK_WIDGET (self->test_label), "error");
    }
  gtk_label_set_text (self->test_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->test_label), TRUE);
  update_view (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "window.toast", "s", toast);
}

/* ---- view ---- */

/* An organisation can have hundreds of members: past this many the row
 * points to the CLI rather than growing without end. */
#define MAX_LINKED_ROWS 50

/**
 * cu_linked_overlap_describe:
 *
 * Returns: (transfer full): one sentence saying whose copy counts, such as
 *   "Shadowed by payer-keys on 120 days: its copy counts"
 */
char *
cu_linked_overlap_describe (const CuLinkedOverlap *o)
{
  g_return_val_if_fail (o != NULL, NULL);

  switch (o->relation)
    {
    case CU_LINKED_SHADOWED_BY:
      return g_strdup_printf (ngettext ("Shadowed by %s on %u day: its copy counts",
                                        "Shadowed by %s on %u days: its copy counts", o->n_days),
                              o->other, o->n_days);
    case CU_LINKED_SHADOWS:
      return g_strdup_printf (ngettext ("Shadows %s on %u day: this copy counts",
                                        "Shadows %s on %u days: this copy counts", o->n_days),
                              o->other, o->n_days);
    case CU_LINKED_BOTH_COUNT:
    default:
      return g_strdup_printf (_("Also held by %s; neither copy shadows the other"), o->other);
    }
}

static gboolean
linked_is_shadowed (const CuLinkedAccount *l)
{
  for (guint i = 0; i < l->overlaps->len; i++)
    if (((CuLinkedOverlap *) g_ptr_array_index (l->overlaps, i))->relation == CU_LINKED_SHADOWED_BY)
      return TRUE;
  return FALSE;
}

static GtkWidget *
linked_row_new (const CuLinkedAccount *l)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *period = cu_format_period (l->first_day, l->last_day);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *accessible = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), l->name != NULL ? l->name : l->id);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
  if (l->name != NULL)
    g_string_append_printf (subtitle, "%s · ", l->id);
  g_string_append_printf (subtitle, ngettext ("%u day, %s", "%u days, %s", l->n_days), l->n_days, period);
  for (guint i = 0; i < l->overlaps->len; i++)
    {
      g_autofree char *line = cu_linked_overlap_describe (g_ptr_array_index (l->overlaps, i));
      g_string_append_printf (subtitle, "\n%s", line);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

  /* the icon says at a glance which rows another source also holds; the
   * text says who counts, so the icon is never the only cue. Rows without
   * one get an invisible icon so the titles line up. */
  {
    gboolean shadowed = linked_is_shadowed (l);
    GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                    "icon-name", shadowed ? "view-conceal-symbolic" : "emblem-ok-symbolic",
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                    "valign", GTK_ALIGN_CENTER,
                                    NULL);

    if (l->overlaps->len > 0)
      gtk_widget_set_tooltip_text (icon, shadowed ? _("Another source’s copy counts") : _("This copy counts"));
    else
      gtk_widget_set_opacity (icon, 0);
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  }

  {
    g_autofree char *flat = g_strdelimit (g_strdup (subtitle->str), "\n", ' ');
    accessible = g_strdup_printf (_("Linked account %s: %s"), l->name != NULL ? l->name : l->id, flat);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_add_css_class (row, "cu-linked-account");
  return row;
}

/* Linked accounts go right after the property rows, before the buttons:
 * AdwExpanderRow 1.2 only appends, so they are inserted into its list. */
static void
update_linked (CuAccountRow *self)
{
  const CuAccountStatus *s = self->status;
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self->linked_row));
  int position;
  guint n = s->linked != NULL ? s->linked->len : 0;
  guint n_shadows = 0, n_shadowed = 0, n_both = 0;

  for (guint i = 0; i < self->linked_rows->len; i++)
    gtk_list_box_remove (GTK_LIST_BOX (list), g_ptr_array_index (self->linked_rows, i));
  g_ptr_array_set_size (self->linked_rows, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->linked_row), s->linked != NULL);
  if (s->linked == NULL || !GTK_IS_LIST_BOX (list))
    return;

  for (guint i = 0; i < n; i++)
    {
      const CuLinkedAccount *l = g_ptr_array_index (s->linked, i);
      gboolean shadows = FALSE, both = FALSE;

      for (guint k = 0; k < l->overlaps->len; k++)
        {
          const CuLinkedOverlap *o = g_ptr_array_index (l->overlaps, k);
          shadows |= o->relation == CU_LINKED_SHADOWS;
          both |= o->relation == CU_LINKED_BOTH_COUNT;
        }
      if (linked_is_shadowed (l))
        n_shadowed++;
      else if (shadows)
        n_shadows++;
      else if (both)
        n_both++;
    }
  {
    g_autoptr(GString) text = g_string_new (NULL);

    if (n == 0)
      g_string_append (text, _("None yet: a sync shows which linked accounts these credentials see"));
    else
      g_string_append_printf (text, ngettext ("%u linked account", "%u linked accounts", n), n);
    if (n > 0 && n_shadowed + n_shadows + n_both == 0)
      g_string_append (text, _(", held by no other source"));
    if (n_shadowed > 0)
      g_string_append_printf (text, ngettext (" · %u shadowed by another source, whose copy counts",
                                              " · %u shadowed by another source, whose copies count", n_shadowed),
                              n_shadowed);
    if (n_shadows > 0)
      g_string_append_printf (text, ngettext (" · %u also held by another source; this copy counts",
                                              " · %u also held by another source; these copies count", n_shadows),
                              n_shadows);
    if (n_both > 0)
      g_string_append_printf (text, ngettext (" · %u also held by another source, neither copy shadowing the other",
                                              " · %u also held by another source, neither copy shadowing the other",
                                              n_both),
                              n_both);
    if (n > MAX_LINKED_ROWS)
      g_string_append_printf (text, _(" · the first %u are listed; cumulus-cli account list --json lists all"),
                              MAX_LINKED_ROWS);
    adw_action_row_set_subtitle (self->linked_row, text->str);
  }

  position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->linked_row)) + 1;
  for (guint i = 0; i < MIN (n, MAX_LINKED_ROWS); i++)
    {
      GtkWidget *row = linked_row_new (g_ptr_array_index (s->linked, i));

      gtk_list_box_insert (GTK_LIST_BOX (list), row, position++);
      g_ptr_array_add (self->linked_rows, row);
    }
}

static void
update_view (CuAccountRow *self)
{
  const CuAccountStatus *s = self->status;
  gboolean aws = g_strcmp0 (s->provider, "aws") == 0;
  /* a cancelled sync is no error: the user stopped it */
  gboolean cancelled = g_strcmp0 (s->last_status, "cancelled") == 0;
  gboolean failed = g_strcmp0 (s->last_status, "failed") == 0 ||
                    g_strcmp0 (s->last_status, "interrupted") == 0;
  g_autofree char *attempt_when = cu_account_format_when (s->last_finished_at ? s->last_finished_at
                                                                              : s->last_started_at);
  g_autofree char *ok_when = cu_account_format_when (s->ok_finished_at);
  g_autofree char *subtitle = NULL;
  g_autofree char *last = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *requests = NULL;
  CuDay first, last_day;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), s->name);

  if (self->syncing)
    subtitle = g_strdup_printf (_("%s · Syncing… %d %%"), kind_label (s->kind),
                                (int) (self->fraction * 100 + 0.5));
  else if (failed)
    subtitle = g_strdup_printf (_("%s · Sync failed %s"), kind_label (s->kind), attempt_when);
  else if (s->ok_finished_at != NULL)
    subtitle = g_strdup_printf (_("%s · Synced %s"), kind_label (s->kind), ok_when);
  else
    subtitle = g_strdup_printf (_("%s · Never synced"), kind_label (s->kind));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  /* identifiers: never secrets */
  if (g_strcmp0 (s->kind, "aws-keys") == 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->identity_row), _("Access Key ID"));
  else if (g_strcmp0 (s->kind, "aws-role") == 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->identity_row), _("Role ARN"));
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->identity_row), _("Subscription ID"));
  adw_action_row_set_subtitle (self->identity_row, s->identity ? s->identity : "—");

  gtk_widget_set_visible (GTK_WIDGET (self->via_row), s->via != NULL);
  if (s->via != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->via_row),
                                     g_strcmp0 (s->kind, "aws-role") == 0 ? _("Assumed With")
                                                                         : _("Client ID"));
      adw_action_row_set_subtitle (self->via_row, s->via);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->tags_row), aws);
  if (aws)
    {
      g_autofree char *tags = s->cost_tags != NULL && s->cost_tags[0] != NULL
                              ? g_strjoinv (", ", s->cost_tags)
                              : g_strdup (_("None: costs are not split by tag"));
      adw_action_row_set_subtitle (self->tags_row, tags);
    }

  /* the costs shown come from the last sync that succeeded */
  if (s->ok_finished_at != NULL && cu_day_parse (s->ok_first_day, &first) &&
      cu_day_parse (s->ok_last_day, &last_day))
    {
      g_autofree char *period = cu_format_period (first, last_day);
      last = g_strdup_printf (_("%s · costs of %s"), ok_when, period);
    }
  else if (s->ok_finished_at != NULL)
    last = g_strdup (ok_when);
  else
    last = g_strdup (_("Never completed"));
  if (cancelled || failed)
    {
      g_autofree char *with_attempt =
        g_strdup_printf (cancelled ? _("%s; the sync started %s was cancelled and changed nothing")
                                   : _("%s; the sync started %s failed and changed nothing"),
                         last, attempt_when);
      g_free (last);
      last = g_steal_pointer (&with_attempt);
    }
  adw_action_row_set_subtitle (self->last_sync_row, last);

  {
    g_autofree char *total = cu_account_format_count (s->n_rows);
    g_autofree char *written = cu_account_format_count (s->ok_rows);

    if (s->ok_finished_at != NULL)
      rows = g_strdup_printf (_("%s in the workspace · %s written by the last sync"), total, written);
    else
      rows = g_strdup_printf (_("%s in the workspace"), total);
    adw_action_row_set_subtitle (self->rows_row, rows);
  }

  {
    g_autofree char *last_n = cu_account_format_count (s->last_requests);
    g_autofree char *all_n = cu_account_format_count (s->n_requests);

    if (aws)
      {
        g_autofree char *last_cost = format_usd (s->last_requests * 10000);
        g_autofree char *all_cost = format_usd (s->n_requests * 10000);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->requests_row), _("Cost Explorer Requests"));
        requests = g_strdup_printf (_("%s so far (%s); the latest sync made %s (%s). AWS bills $0.01 USD per request."),
                                    all_n, all_cost, last_n, last_cost);
      }
    else
      {
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->requests_row), _("Cost Queries"));
        requests = g_strdup_printf (_("%s so far; the latest sync made %s. Azure does not bill them."),
                                    all_n, last_n);
      }
  }
  adw_action_row_set_subtitle (self->requests_row, requests);

  gtk_widget_set_visible (GTK_WIDGET (self->error_row), failed && s->last_error != NULL && !self->syncing);
  if (s->last_error != NULL)
    adw_action_row_set_subtitle (self->error_row, s->last_error);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_icon), failed && !self->syncing);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->syncing || self->testing);
  gtk_spinner_set_spinning (self->spinner, self->syncing || self->testing);
  gtk_button_set_label (self->sync_button, self->syncing ? _("_Cancel Sync") : _("_Sync Now"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !self->testing);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->edit_button), "s", s->name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "s", s->name);

  /* several rows have these buttons: say which account each one is for */
  {
    g_autofree char *sync_label = g_strdup_printf (self->syncing ? _("Cancel the sync of “%s”")
                                                                 : _("Sync “%s” now"), s->name);
    g_autofree char *test_label = g_strdup_printf (_("Test the connection of “%s”"), s->name);
    g_autofree char *edit_label = g_strdup_printf (_("Edit “%s”…"), s->name);
    g_autofree char *remove_label = g_strdup_printf (_("Remove “%s”…"), s->name);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, sync_label, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, test_label, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->edit_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  }
}

/* ---- callbacks ---- */

static void
sync_clicked_cb (CuAccountRow *self)
{
  if (self->syncing)
    cu_account_row_cancel_sync (self);
  else
    cu_account_row_sync (self);
}

static void
test_clicked_cb (CuAccountRow *self)
{
  cu_account_row_test_connection (self);
}

/* ---- object ---- */

static void
cu_account_row_dispose (GObject *object)
{
  CuAccountRow *self = CU_ACCOUNT_ROW (object);

  /* a row that goes (its account or workspace went) takes its sync along */
  if (self->syncing && !self->disposed)
    cu_job_manager_cancel_sync (cu_job_manager_get_default (), self->workspace, self->status->name);
  self->disposed = TRUE;
  if (self->test_cancellable != NULL)
    g_cancellable_cancel (self->test_cancellable);
  /* borrowed: the expander's list owns them and goes with the template */
  g_ptr_array_set_size (self->linked_rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_ACCOUNT_ROW);

  G_OBJECT_CLASS (cu_account_row_parent_class)->dispose (object);
}

static void
cu_account_row_finalize (GObject *object)
{
  CuAccountRow *self = CU_ACCOUNT_ROW (object);

  g_clear_object (&self->test_cancellable);
  g_clear_pointer (&self->status, cu_account_status_free);
  g_free (self->workspace);
  g_clear_pointer (&self->linked_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cu_account_row_parent_class)->finalize (object);
}

static void
cu_account_row_class_init (CuAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cu_account_row_dispose;
  object_class->finalize = cu_account_row_finalize;

  /**
   * CuAccountRow::sync-finished:
   * @ok: whether the sync succeeded
   * @summary: one plain-language sentence for a toast
   *
   * Emitted on the main thread when a sync ends, also when cancelled.
   */
  signals[SYNC_FINISHED] =
    g_signal_new ("sync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, warning_icon);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, identity_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, via_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, tags_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, last_sync_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, rows_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, requests_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, error_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, linked_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, test_label);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, test_button);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, CuAccountRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, sync_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
cu_account_row_init (CuAccountRow *self)
{
  CuAccountStatus empty = { .name = (char *) "", .kind = (char *) "aws-keys", .provider = (char *) "aws" };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->linked_rows = g_ptr_array_new ();
  self->status = status_copy (&empty);
  update_view (self);
  update_linked (self);
}

/**
 * cu_account_row_new:
 * @workspace: the workspace the account is in
 * @status: what the ledger says about it; copied
 *
 * Returns: (transfer floating): a new row
 */
CuAccountRow *
cu_account_row_new (const char            *workspace,
                    const CuAccountStatus *status)
{
  CuAccountRow *self;
  CuJobManager *manager;

  g_return_val_if_fail (workspace != NULL, NULL);
  g_return_val_if_fail (status != NULL && status->name != NULL, NULL);

  self = g_object_new (CU_TYPE_ACCOUNT_ROW, NULL);
  self->workspace = g_strdup (workspace);
  cu_account_row_set_status (self, status);

  manager = cu_job_manager_get_default ();
  g_signal_connect_object (manager, "sync-started", G_CALLBACK (sync_started_cb), self, 0);
  g_signal_connect_object (manager, "sync-finished", G_CALLBACK (sync_finished_cb), self, 0);
  /* a sync under way (the page was made again meanwhile) shows here */
  if (cu_job_manager_is_syncing (manager, workspace, status->name))
    sync_started_cb (manager, workspace, status->name, self);
  return self;
}

const char *
cu_account_row_get_name (CuAccountRow *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_ROW (self), NULL);
  return self->status->name;
}

/**
 * cu_account_row_set_status:
 * @status: new figures from the ledger; copied
 */
void
cu_account_row_set_status (CuAccountRow          *self,
                           const CuAccountStatus *status)
{
  g_return_if_fail (CU_IS_ACCOUNT_ROW (self));
  g_return_if_fail (status != NULL && status->name != NULL);

  g_clear_pointer (&self->status, cu_account_status_free);
  self->status = status_copy (status);
  update_view (self);
  update_linked (self);
}

/**
 * cu_account_row_get_status:
 *
 * Returns: (transfer none): what the row shows, as the page last read it
 */
const CuAccountStatus *
cu_account_row_get_status (CuAccountRow *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_ROW (self), NULL);
  return self->status;
}

gboolean
cu_account_row_get_syncing (CuAccountRow *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_ROW (self), FALSE);
  return self->syncing;
}

/**
 * cu_account_row_get_last_attempt:
 *
 * Returns: when a sync of this account last started (unix seconds, 0 never),
 *   from the ledger or from this session, whichever is later
 */
gint64
cu_account_row_get_last_attempt (CuAccountRow *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_ROW (self), 0);
  return MAX (cu_job_manager_get_last_attempt (cu_job_manager_get_default (), self->workspace, self->status->name),
              iso_to_unix (self->status->last_started_at));
}

/**
 * cu_account_row_sync:
 *
 * Starts a sync in a worker unless one runs; CuAccountRow::sync-finished
 * tells how it ended.
 */
void
cu_account_row_sync (CuAccountRow *self)
{
  g_return_if_fail (CU_IS_ACCOUNT_ROW (self));

  if (self->syncing || self->workspace == NULL)
    return;
  /* the row shows it from "sync-started", before this returns */
  cu_job_manager_start_sync (cu_job_manager_get_default (), self->workspace, self->status->name);
}

/**
 * cu_account_row_cancel_sync:
 *
 * Asks a running sync to stop; it ends with CuAccountRow::sync-finished and
 * leaves the ledger as it was.
 */
void
cu_account_row_cancel_sync (CuAccountRow *self)
{
  g_return_if_fail (CU_IS_ACCOUNT_ROW (self));

  if (self->syncing)
    {
      cu_job_manager_cancel_sync (cu_job_manager_get_default (), self->workspace, self->status->name);
      gtk_label_set_text (self->progress_label, _("Cancelling…"));
    }
}

/**
 * cu_account_row_test_connection:
 *
 * Asks the cloud who these credentials are (STS GetCallerIdentity, or an
 * Azure token and a one-day query) in a worker; the answer shows in the row
 * and as a toast.
 */
void
cu_account_row_test_connection (CuAccountRow *self)
{
  g_autoptr(GTask) task = NULL;
  char **names;

  g_return_if_fail (CU_IS_ACCOUNT_ROW (self));

  if (self->testing || self->workspace == NULL)
    return;

  names = g_new0 (char *, 3);
  names[0] = g_strdup (self->workspace);
  names[1] = g_strdup (self->status->name);

  self->testing = TRUE;
  self->test_cancellable = g_cancellable_new ();
  gtk_label_set_text (self->test_label, _("Testing the connection…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "success");
  gtk_widget_set_visible (GTK_WIDGET (self->test_label), TRUE);
  update_view (self);

  task = g_task_new (self, self->test_cancellable, test_done_cb, NULL);
  g_task_set_source_tag (task, cu_account_row_test_connection);
  g_task_set_name (task, "[cumulus] test account");
  g_task_set_task_data (task, names, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, test_thread);
}
