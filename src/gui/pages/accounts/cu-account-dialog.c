/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-account-dialog.c — add or edit one cloud account of a given kind
 *
 * One dialog per kind (aws-keys, aws-role, azure-sp): the rows of the other
 * kinds are hidden. The same form edits an account
 * (cu_account_dialog_new_for_account()): the non-secret fields come filled
 * in, the name is fixed, and the secret fields start empty, which keeps the
 * stored secret (cu_accounts_update()); the secret never leaves the keyring
 * for the form. Every keystroke runs cu_accounts_validate(); fields the
 * user has not touched yet are stood in for by valid placeholders, so the
 * message always concerns a field the user is typing in, never an empty
 * one further down the form.
 *
 * Cost-allocation tags (AWS) are typed as "team, env" and checked with the
 * core's own parser as the user types.
 *
 * Adding writes the secret to the keyring through libsecret, which may wait
 * on D-Bus (an unlock prompt), so it runs in a worker with its own ledger
 * connection. The secret is copied once for that worker and wiped when it
 * is done; it never reaches a log, a toast or an error message.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <string.h>

#include "cu-account-dialog.h"
#include "providers/cu-accounts.h"

struct _CuAccountDialog
{
  AdwWindow       parent_instance;

  /* template children */
  AdwWindowTitle *window_title;
  GtkButton      *add_button;
  GtkSpinner     *spinner;
  GtkWidget      *form_box;
  GtkLabel       *intro_label;
  GtkLabel       *workspace_note;
  AdwEntryRow    *name_row;
  AdwEntryRow    *access_key_row;
  AdwEntryRow    *secret_row;
  AdwEntryRow    *token_row;
  AdwEntryRow    *role_arn_row;
  AdwEntryRow    *external_id_row;
  AdwComboRow    *source_row;
  GtkStringList  *source_list;
  AdwEntryRow    *tenant_row;
  AdwEntryRow    *client_id_row;
  AdwEntryRow    *client_secret_row;
  AdwEntryRow    *subscription_row;
  AdwPreferencesGroup *secret_group;
  AdwPreferencesGroup *tags_group;
  AdwEntryRow    *tags_row;
  GtkLabel       *message_label;
  GtkLabel       *secret_note;

  /* owned state */
  char           *kind;
  char           *workspace;
  char           *editing;        /* the account edited; NULL when adding */
  gboolean        starts_workspace;
  GHashTable     *touched;        /* widgets the user has typed in */
  gboolean        busy;
  gboolean        can_add;
  gboolean        add_failed;
  gboolean        disposed;
};

G_DEFINE_FINAL_TYPE (CuAccountDialog, cu_account_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_KIND,
  PROP_WORKSPACE,
  PROP_STARTS_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACCOUNT_ADDED,
  ACCOUNT_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Valid stand-ins for fields not typed in yet. */
#define PLACEHOLDER_NAME   "account"
#define PLACEHOLDER_KEY_ID "AKIAAAAAAAAAAAAAAAAA"
#define PLACEHOLDER_ARN    "arn:aws:iam::123456789012:role/placeholder"
#define PLACEHOLDER_GUID   "00000000-0000-0000-0000-000000000000"

/* The fields of one spec, copied so a worker owns them. */
typedef struct {
  char *workspace;
  char *name;
  char *kind;
  char *access_key_id;
  char *session_token;
  char *role_arn;
  char *external_id;
  char *source;
  char *tenant;
  char *client_id;
  char *subscription;
  char *secret;
  char *tags_text;
  char **cost_tags;     /* parsed tags_text; NULL when empty or wrong */
  char *tags_error;     /* why tags_text is wrong */
  gboolean update;      /* save an existing account */
} AddJob;

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

static void
add_job_free (gpointer data)
{
  AddJob *job = data;

  g_free (job->workspace);
  g_free (job->name);
  g_free (job->kind);
  g_free (job->access_key_id);
  wipe_free (job->session_token);
  g_free (job->role_arn);
  g_free (job->external_id);
  g_free (job->source);
  g_free (job->tenant);
  g_free (job->client_id);
  g_free (job->subscription);
  wipe_free (job->secret);
  g_free (job->tags_text);
  g_strfreev (job->cost_tags);
  g_free (job->tags_error);
  g_free (job);
}

static void
add_job_to_spec (const AddJob  *job,
                 CuAccountSpec *spec)
{
  memset (spec, 0, sizeof *spec);
  spec->name = job->name;
  spec->kind = job->kind;
  spec->access_key_id = job->access_key_id;
  spec->session_token = job->session_token;
  spec->role_arn = job->role_arn;
  spec->external_id = job->external_id;
  spec->source = job->source;
  spec->tenant = job->tenant;
  spec->client_id = job->client_id;
  spec->subscription = job->subscription;
  spec->secret = job->secret;
  spec->cost_tags = (const char * const *) job->cost_tags;
}

/* Identifiers are pasted from consoles with stray blanks; names keep theirs
 * inside but lose them at the ends. Secrets are taken as typed. */
static char *
field_text (AdwEntryRow *row,
            gboolean     strip)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  char *copy;

  if (text == NULL || *text == '\0')
    return NULL;
  copy = g_strdup (text);
  if (strip)
    g_strstrip (copy);
  if (*copy == '\0')
    {
      g_free (copy);
      return NULL;
    }
  return copy;
}

static gboolean
is_kind (CuAccountDialog *self,
         const char      *kind)
{
  return g_strcmp0 (self->kind, kind) == 0;
}

static char *
selected_source (CuAccountDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->source_row);

  if (selected == GTK_INVALID_LIST_POSITION ||
      selected >= g_list_model_get_n_items (G_LIST_MODEL (self->source_list)))
    return NULL;
  return g_strdup (gtk_string_list_get_string (self->source_list, selected));
}

/* (transfer full): the form as typed; with @placeholders, untouched empty
 * fields hold valid stand-ins. */
static AddJob *
collect (CuAccountDialog *self,
         gboolean         placeholders)
{
  AddJob *job = g_new0 (AddJob, 1);

#define TAKE(field, row, strip, placeholder)                                   \
  G_STMT_START {                                                               \
    job->field = field_text (row, strip);                                      \
    if (job->field == NULL && placeholders && placeholder != NULL &&           \
        !g_hash_table_contains (self->touched, row))                           \
      job->field = g_strdup (placeholder);                                     \
  } G_STMT_END

  job->workspace = g_strdup (self->workspace);
  job->kind = g_strdup (self->kind);
  job->update = self->editing != NULL;
  TAKE (name, self->name_row, TRUE, PLACEHOLDER_NAME);
  if (is_kind (self, "aws-keys"))
    {
      TAKE (access_key_id, self->access_key_row, TRUE, PLACEHOLDER_KEY_ID);
      TAKE (secret, self->secret_row, FALSE, (const char *) NULL);
      TAKE (session_token, self->token_row, TRUE, (const char *) NULL);
    }
  else if (is_kind (self, "aws-role"))
    {
      TAKE (role_arn, self->role_arn_row, TRUE, PLACEHOLDER_ARN);
      TAKE (external_id, self->external_id_row, TRUE, (const char *) NULL);
      job->source = selected_source (self);
    }
  else
    {
      TAKE (tenant, self->tenant_row, TRUE, PLACEHOLDER_GUID);
      TAKE (client_id, self->client_id_row, TRUE, PLACEHOLDER_GUID);
      TAKE (secret, self->client_secret_row, FALSE, (const char *) NULL);
      TAKE (subscription, self->subscription_row, TRUE, PLACEHOLDER_GUID);
    }
#undef TAKE
  if (!is_kind (self, "azure-sp"))
    {
      job->tags_text = field_text (self->tags_row, TRUE);
      if (job->tags_text != NULL)
        {
          g_autoptr(GError) error = NULL;

          job->cost_tags = cu_accounts_parse_cost_tags (job->tags_text, &error);
          if (job->cost_tags == NULL)
            job->tags_error = g_strdup (error->message);
        }
    }
  return job;
}

static GtkWidget *
row_for_field (CuAccountDialog *self,
               CuAccountField   field)
{
  switch (field)
    {
    case CU_ACCOUNT_FIELD_NAME:          return GTK_WIDGET (self->name_row);
    case CU_ACCOUNT_FIELD_ACCESS_KEY_ID: return GTK_WIDGET (self->access_key_row);
    case CU_ACCOUNT_FIELD_ROLE_ARN:      return GTK_WIDGET (self->role_arn_row);
    case CU_ACCOUNT_FIELD_EXTERNAL_ID:   return GTK_WIDGET (self->external_id_row);
    case CU_ACCOUNT_FIELD_SOURCE:        return GTK_WIDGET (self->source_row);
    case CU_ACCOUNT_FIELD_TENANT:        return GTK_WIDGET (self->tenant_row);
    case CU_ACCOUNT_FIELD_CLIENT_ID:     return GTK_WIDGET (self->client_id_row);
    case CU_ACCOUNT_FIELD_SUBSCRIPTION:  return GTK_WIDGET (self->subscription_row);
    case CU_ACCOUNT_FIELD_COST_TAGS:     return GTK_WIDGET (self->tags_row);
    case CU_ACCOUNT_FIELD_SECRET:
      return GTK_WIDGET (is_kind (self, "azure-sp") ? self->client_secret_row : self->secret_row);
    case CU_ACCOUNT_FIELD_NONE:
    case CU_ACCOUNT_FIELD_KIND:
    default:
      return NULL;
    }
}

static void
set_message (CuAccountDialog *self,
             const char      *message)
{
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL && *message != '\0');
}

static void
mark_row (GtkWidget *row,
          gboolean   bad)
{
  if (bad)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* The core speaks to CLI users in places; say it for this form instead. */
static const char *
gui_message (CuAccountDialog *self,
             CuAccountField   field,
             const char      *core_message)
{
  if (field == CU_ACCOUNT_FIELD_SOURCE)
    return _("Choose the access-key account whose keys assume this role");
  return core_message;
}

static void
validate (CuAccountDialog *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->name_row), GTK_WIDGET (self->access_key_row), GTK_WIDGET (self->secret_row),
    GTK_WIDGET (self->token_row), GTK_WIDGET (self->role_arn_row), GTK_WIDGET (self->external_id_row),
    GTK_WIDGET (self->source_row), GTK_WIDGET (self->tenant_row), GTK_WIDGET (self->client_id_row),
    GTK_WIDGET (self->client_secret_row), GTK_WIDGET (self->subscription_row),
    GTK_WIDGET (self->tags_row),
  };
  AddJob *shown = collect (self, TRUE);
  AddJob *real = collect (self, FALSE);
  CuAccountSpec spec;
  CuAccountField bad_field = CU_ACCOUNT_FIELD_NONE;
  g_autoptr(GError) error = NULL;
  const char *bad_message = NULL;
  GtkWidget *bad_row = NULL;
  /* an edit keeps the stored secret unless a new one is typed */
  gboolean needs_secret = !is_kind (self, "aws-role") && self->editing == NULL;
  gboolean no_sources = is_kind (self, "aws-role") &&
                        g_list_model_get_n_items (G_LIST_MODEL (self->source_list)) == 0;

  /* what to point at: the first wrong field among those typed in */
  add_job_to_spec (shown, &spec);
  if (!cu_accounts_validate (&spec, &bad_field, &error))
    {
      bad_row = row_for_field (self, bad_field);
      bad_message = error->message;
      if (bad_row != NULL && !g_hash_table_contains (self->touched, bad_row) &&
          bad_field != CU_ACCOUNT_FIELD_SOURCE)
        bad_row = NULL;
    }
  else if (shown->tags_error != NULL)
    {
      /* the tags are the last field: wrong tags show once the rest is right */
      bad_field = CU_ACCOUNT_FIELD_COST_TAGS;
      bad_row = GTK_WIDGET (self->tags_row);
      bad_message = shown->tags_error;
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    mark_row (rows[i], rows[i] == bad_row);

  if (!self->add_failed)
    {
      if (no_sources)
        set_message (self, _("Add an AWS account with access keys first: Cumulus assumes the role with its keys."));
      else if (bad_row != NULL)
        set_message (self, gui_message (self, bad_field, bad_message));
      else
        set_message (self, NULL);
    }

  /* whether Add works: every field, placeholders aside */
  g_clear_error (&error);
  add_job_to_spec (real, &spec);
  self->can_add = !self->busy && !no_sources &&
                  cu_accounts_validate (&spec, NULL, &error) &&
                  real->tags_error == NULL &&
                  (!needs_secret || real->secret != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->can_add);

  add_job_free (shown);
  add_job_free (real);
}

/* Adding or editing: the texts that differ. */
static void
update_mode (CuAccountDialog *self)
{
  gboolean editing = self->editing != NULL;
  const char *title = editing ? _("Edit Account") : _("Add Account");
  const char *keep = NULL;

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  gtk_button_set_label (self->add_button, editing ? _("_Save") : _("_Add"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  editing ? _("Saving the account") : _("Adding the account"), -1);
  /* renaming would orphan the keyring items and the sync state */
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !editing);
  if (editing && is_kind (self, "aws-keys"))
    keep = _("Leave empty to keep the stored secret. A new secret access key replaces the stored "
             "session token too: type the new key’s token, if it has one.");
  else if (editing)
    keep = _("Leave empty to keep the stored secret.");
  adw_preferences_group_set_description (self->secret_group, keep);
  validate (self);
}

static void
update_kind (CuAccountDialog *self)
{
  gboolean keys = is_kind (self, "aws-keys");
  gboolean role = is_kind (self, "aws-role");
  gboolean azure = is_kind (self, "azure-sp");

  gtk_widget_set_visible (GTK_WIDGET (self->access_key_row), keys);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), keys);
  gtk_widget_set_visible (GTK_WIDGET (self->token_row), keys);
  gtk_widget_set_visible (GTK_WIDGET (self->role_arn_row), role);
  gtk_widget_set_visible (GTK_WIDGET (self->external_id_row), role);
  gtk_widget_set_visible (GTK_WIDGET (self->source_row), role);
  gtk_widget_set_visible (GTK_WIDGET (self->tenant_row), azure);
  gtk_widget_set_visible (GTK_WIDGET (self->client_id_row), azure);
  gtk_widget_set_visible (GTK_WIDGET (self->client_secret_row), azure);
  gtk_widget_set_visible (GTK_WIDGET (self->subscription_row), azure);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_group), !role);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_group), !azure);

  if (keys)
    {
      adw_window_title_set_subtitle (self->window_title, _("AWS access keys"));
      gtk_label_set_text (self->intro_label,
                          _("An IAM user’s access key. Cumulus reads daily costs with Cost Explorer, which "
                            "AWS bills at $0.01 USD per request; the key needs the ce:GetCostAndUsage permission."));
      gtk_label_set_text (self->secret_note,
                          _("The secret access key and session token are kept in your keyring, never in the workspace."));
    }
  else if (role)
    {
      adw_window_title_set_subtitle (self->window_title, _("AWS role"));
      gtk_label_set_text (self->intro_label,
                          _("A role in another AWS account, assumed with the keys of an account you added "
                            "already. The external ID is the one the role’s trust policy asks for."));
      gtk_label_set_text (self->secret_note,
                          _("A role has no secret of its own: Cumulus asks AWS for short-lived credentials at each sync."));
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, _("Azure service principal"));
      gtk_label_set_text (self->intro_label,
                          _("An app registration with the Cost Management Reader role on the subscription. "
                            "Find the IDs on the app’s Overview page in the Azure portal."));
      gtk_label_set_text (self->secret_note,
                          _("The client secret is kept in your keyring, never in the workspace."));
    }
  update_mode (self);
}

static void
set_busy (CuAccountDialog *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->form_box, !busy);
  validate (self);
}

/* ---- the worker ---- */

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AddJob *job = task_data;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  CuAccountSpec spec;

  ledger = cu_ledger_open (job->workspace, &error);
  if (ledger == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  add_job_to_spec (job, &spec);
  if (job->update ? !cu_accounts_update (ledger, &spec, cancellable, &error)
                  : cu_accounts_add (ledger, &spec, cancellable, &error) <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
add_done_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CuAccountDialog *self = CU_ACCOUNT_DIALOG (source_object);
  AddJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (self->disposed)
        return;
      set_busy (self, FALSE);
      self->add_failed = TRUE;
      set_message (self, error->message);
      return;
    }

  /* even when the dialog was closed meanwhile: the change is made */
  g_signal_emit (self, signals[job->update ? ACCOUNT_UPDATED : ACCOUNT_ADDED], 0, job->name);
  if (!self->disposed)
    gtk_window_destroy (GTK_WINDOW (self));
}

/* ---- callbacks ---- */

static void
entry_changed_cb (GtkEditable     *row,
                  CuAccountDialog *self)
{
  g_hash_table_add (self->touched, row);
  self->add_failed = FALSE;
  validate (self);
}

static void
source_changed_cb (AdwComboRow     *row,
                   GParamSpec      *pspec,
                   CuAccountDialog *self)
{
  g_hash_table_add (self->touched, row);
  self->add_failed = FALSE;
  validate (self);
}

static void
add_clicked_cb (CuAccountDialog *self)
{
  cu_account_dialog_add (self);
}

/* ---- object ---- */

static void
cu_account_dialog_dispose (GObject *object)
{
  CuAccountDialog *self = CU_ACCOUNT_DIALOG (object);

  /* an add in flight is not cancelled: it writes the keyring and the
   * ledger together, and its callback still reports the new account */
  self->disposed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_ACCOUNT_DIALOG);

  G_OBJECT_CLASS (cu_account_dialog_parent_class)->dispose (object);
}

static void
cu_account_dialog_finalize (GObject *object)
{
  CuAccountDialog *self = CU_ACCOUNT_DIALOG (object);

  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_free (self->kind);
  g_free (self->workspace);
  g_free (self->editing);

  G_OBJECT_CLASS (cu_account_dialog_parent_class)->finalize (object);
}

static void
cu_account_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CuAccountDialog *self = CU_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_WORKSPACE:
      g_value_set_string (value, self->workspace);
      break;
    case PROP_STARTS_WORKSPACE:
      g_value_set_boolean (value, self->starts_workspace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_account_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CuAccountDialog *self = CU_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_KIND:
      {
        const char *kind = g_value_get_string (value);

        if (kind == NULL)
          kind = "aws-keys";
        g_return_if_fail (g_str_equal (kind, "aws-keys") || g_str_equal (kind, "aws-role") ||
                          g_str_equal (kind, "azure-sp"));
        g_free (self->kind);
        self->kind = g_strdup (kind);
        update_kind (self);
      }
      break;
    case PROP_WORKSPACE:
      g_free (self->workspace);
      self->workspace = g_value_dup_string (value);
      break;
    case PROP_STARTS_WORKSPACE:
      self->starts_workspace = g_value_get_boolean (value);
      gtk_widget_set_visible (GTK_WIDGET (self->workspace_note), self->starts_workspace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_account_dialog_class_init (CuAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cu_account_dialog_dispose;
  object_class->finalize = cu_account_dialog_finalize;
  object_class->get_property = cu_account_dialog_get_property;
  object_class->set_property = cu_account_dialog_set_property;

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "aws-keys",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKSPACE] =
    g_param_spec_string ("workspace", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STARTS_WORKSPACE] =
    g_param_spec_boolean ("starts-workspace", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CuAccountDialog::account-added:
   * @name: the new account's name
   *
   * The account is in the ledger of the dialog's workspace and its secret
   * in the keyring.
   */
  signals[ACCOUNT_ADDED] =
    g_signal_new ("account-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * CuAccountDialog::account-updated:
   * @name: the edited account's name
   *
   * The account's new settings are in the ledger, and its new secret, when
   * one was typed, in the keyring.
   */
  signals[ACCOUNT_UPDATED] =
    g_signal_new ("account-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, form_box);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, workspace_note);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, role_arn_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, external_id_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, source_list);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, subscription_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, secret_group);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, tags_group);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, tags_row);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, CuAccountDialog, secret_note);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cu_account_dialog_init (CuAccountDialog *self)
{
  self->touched = g_hash_table_new (NULL, NULL);
  self->kind = g_strdup ("aws-keys");
  gtk_widget_init_template (GTK_WIDGET (self));

  {
    AdwEntryRow *entries[] = {
      self->name_row, self->access_key_row, self->secret_row, self->token_row,
      self->role_arn_row, self->external_id_row, self->tenant_row, self->client_id_row,
      self->client_secret_row, self->subscription_row, self->tags_row,
    };

    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      g_signal_connect (entries[i], "changed", G_CALLBACK (entry_changed_cb), self);
  }
  g_signal_connect (self->source_row, "notify::selected", G_CALLBACK (source_changed_cb), self);

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->add_button));
  update_kind (self);
}

/**
 * cu_account_dialog_new:
 * @kind: "aws-keys", "aws-role" or "azure-sp"
 * @workspace: the workspace the account goes to (created when missing)
 * @sources: (nullable) (array zero-terminated=1): names of the aws-keys
 *   accounts a role may be assumed with
 * @starts_workspace: whether adding starts the user's own workspace
 *   (the demo is shown)
 *
 * Returns: (transfer none): a new dialog; it destroys itself when done
 */
CuAccountDialog *
cu_account_dialog_new (const char         *kind,
                       const char         *workspace,
                       const char * const *sources,
                       gboolean            starts_workspace)
{
  CuAccountDialog *self;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (workspace != NULL, NULL);

  self = g_object_new (CU_TYPE_ACCOUNT_DIALOG,
                       "kind", kind,
                       "workspace", workspace,
                       "starts-workspace", starts_workspace,
                       NULL);
  for (guint i = 0; sources != NULL && sources[i] != NULL; i++)
    gtk_string_list_append (self->source_list, sources[i]);
  validate (self);
  return self;
}

static void
prefill (AdwEntryRow *row,
         const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/**
 * cu_account_dialog_new_for_account:
 * @account: the account to edit (its name, kind and non-secret config)
 * @workspace: the workspace it is in
 * @sources: (nullable) (array zero-terminated=1): names of the aws-keys
 *   accounts a role may be assumed with
 *
 * The Edit Account dialog: the form of @account's kind filled in with its
 * settings, the name fixed, the secret fields empty (the stored secret is
 * kept unless a new one is typed) and Save instead of Add.
 *
 * Returns: (transfer none): a new dialog; it destroys itself when done
 */
CuAccountDialog *
cu_account_dialog_new_for_account (const CuAccount    *account,
                                   const char         *workspace,
                                   const char * const *sources)
{
  CuAccountDialog *self;
  g_autofree char *access_key_id = NULL;
  g_autofree char *role_arn = NULL;
  g_autofree char *external_id = NULL;
  g_autofree char *source = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *subscription = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *tags_text = NULL;

  g_return_val_if_fail (account != NULL && account->name != NULL, NULL);
  g_return_val_if_fail (workspace != NULL, NULL);

  self = cu_account_dialog_new (account->kind, workspace, sources, FALSE);
  self->editing = g_strdup (account->name);

  access_key_id = cu_accounts_config_get (account, "access_key_id");
  role_arn = cu_accounts_config_get (account, "role_arn");
  external_id = cu_accounts_config_get (account, "external_id");
  source = cu_accounts_config_get (account, "source");
  tenant = cu_accounts_config_get (account, "tenant");
  client_id = cu_accounts_config_get (account, "client_id");
  subscription = cu_accounts_config_get (account, "subscription");
  tags = cu_accounts_get_cost_tags (account);
  tags_text = g_strjoinv (", ", tags);

  prefill (self->name_row, account->name);
  if (is_kind (self, "aws-keys"))
    prefill (self->access_key_row, access_key_id);
  else if (is_kind (self, "aws-role"))
    {
      prefill (self->role_arn_row, role_arn);
      prefill (self->external_id_row, external_id);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->source_list)); i++)
        if (g_strcmp0 (gtk_string_list_get_string (self->source_list, i), source) == 0)
          adw_combo_row_set_selected (self->source_row, i);
    }
  else
    {
      prefill (self->tenant_row, tenant);
      prefill (self->client_id_row, client_id);
      prefill (self->subscription_row, subscription);
    }
  if (!is_kind (self, "azure-sp"))
    prefill (self->tags_row, tags_text);

  update_mode (self);
  return self;
}

/**
 * cu_account_dialog_get_editing:
 *
 * Returns: (nullable): the name of the account edited, %NULL when adding
 */
const char *
cu_account_dialog_get_editing (CuAccountDialog *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_DIALOG (self), NULL);
  return self->editing;
}

const char *
cu_account_dialog_get_kind (CuAccountDialog *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_DIALOG (self), NULL);
  return self->kind;
}

const char *
cu_account_dialog_get_workspace (CuAccountDialog *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_DIALOG (self), NULL);
  return self->workspace;
}

/**
 * cu_account_dialog_get_can_add:
 *
 * Returns: whether the form is complete and valid (Add is sensitive)
 */
gboolean
cu_account_dialog_get_can_add (CuAccountDialog *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_DIALOG (self), FALSE);
  return self->can_add;
}

/**
 * cu_account_dialog_get_message:
 *
 * Returns: (transfer none): the validation or error message shown, or ""
 */
const char *
cu_account_dialog_get_message (CuAccountDialog *self)
{
  g_return_val_if_fail (CU_IS_ACCOUNT_DIALOG (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return "";
  return gtk_label_get_text (self->message_label);
}

/**
 * cu_account_dialog_add:
 *
 * What the Add (or, editing, Save) button does: adds or saves the account
 * in a worker, then emits CuAccountDialog::account-added (or
 * CuAccountDialog::account-updated) and closes; on failure the dialog stays
 * open and says why. Does nothing while the form is not valid.
 */
void
cu_account_dialog_add (CuAccountDialog *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CU_IS_ACCOUNT_DIALOG (self));

  validate (self);
  if (!self->can_add || self->busy || self->workspace == NULL)
    return;

  set_busy (self, TRUE);
  task = g_task_new (self, NULL, add_done_cb, NULL);
  g_task_set_source_tag (task, cu_account_dialog_add);
  g_task_set_name (task, self->editing != NULL ? "[cumulus] save account" : "[cumulus] add account");
  g_task_set_task_data (task, collect (self, FALSE), add_job_free);
  g_task_run_in_thread (task, add_thread);
}
