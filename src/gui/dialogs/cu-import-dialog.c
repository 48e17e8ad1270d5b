/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-import-dialog.c — import cost export files, with progress per file
 *
 * The files the user picked (GtkFileChooserNative, several at once) are
 * imported one after the other by the job manager (cu_job_manager_start_import()),
 * which owns the import: this dialog only shows the CuImportJob, copying
 * the files' states into the rows on its CuProgress's coalesced
 * notification. Closing the dialog does not stop or lose the import. A file
 * that fails leaves the ledger untouched (the importer writes each billing
 * period in one transaction) and the importer's message names the file,
 * line and column. Cancel stops the file being read and skips the rest.
 *
 * With the demo workspace shown, files go to the user's own workspace and
 * the window switches to it afterwards; otherwise the window reopens the
 * workspace, which reloads its pages and recomputes the analyses (the
 * window follows the job manager's "import-finished" for that).
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <string.h>

#include "cu-format.h"
#include "cu-import-dialog.h"
#include "cu-job-manager.h"
#include "cu-window.h"
#include "importers/cu-importer.h"
#include "util/cu-money.h"
#include "util/cu-progress.h"
#include "util/cu-workspace.h"

/* The widgets of one file */
typedef struct {
  GtkWidget      *row;
  GtkLabel       *status;
  GtkProgressBar *bar;
} FileRow;

struct _CuImportDialog
{
  AdwWindow       parent_instance;

  /* template children */
  AdwWindowTitle *window_title;
  GtkButton      *cancel_button;
  GtkButton      *done_button;
  GtkLabel       *summary_label;
  GtkListBox     *files_list;

  /* owned state */
  char           *workspace;
  CuImportJob    *job;        /* a reference; the job manager runs it */
  GPtrArray      *rows;       /* of FileRow */
  gboolean        running;
  guint           n_imported;
  guint           n_failed;
  gboolean        disposed;
};

G_DEFINE_FINAL_TYPE (CuImportDialog, cu_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the job ---- */

static void refresh (CuImportDialog *self);
static void finish (CuImportDialog *self);

static void
import_progress_changed_cb (CuImportDialog *self)
{
  if (!self->disposed)
    refresh (self);
}

static void
import_finished_cb (CuImportDialog *self,
                    const char     *workspace,
                    CuImportJob    *job,
                    guint           n_imported)
{
  if (job == self->job && !self->disposed)
    finish (self);
}

/* ---- text ---- */

static char *
money_with_code (gint64      micros,
                 const char *currency)
{
  g_autofree char *amount = cu_money_format_display (micros, currency);

  /* "$" alone could be US, Canadian or Australian dollars */
  if (currency == NULL || g_str_has_suffix (amount, currency))
    return g_steal_pointer (&amount);
  return g_strdup_printf ("%s %s", amount, currency);
}

static char *
result_text (const CuImportResult *r)
{
  GString *out = g_string_new (NULL);
  g_autofree char *rows = cu_format_count ((gint64) r->n_rows);
  g_autofree char *period = cu_format_period (r->first_day, r->last_day);

  g_string_append_printf (out, _("%s%s · %s cost rows · %s"),
                          r->format_name ? r->format_name : cu_import_format_to_string (r->format),
                          r->compressed ? _(" (gzip)") : "", rows, period);
  for (guint i = 0; r->totals != NULL && i < r->totals->len; i++)
    {
      const CuImportTotal *t = g_ptr_array_index (r->totals, i);
      g_autofree char *billed = money_with_code (t->billed, t->currency);
      g_autofree char *effective = money_with_code (t->effective, t->currency);

      g_string_append_c (out, '\n');
      g_string_append_printf (out, _("Billed cost %s · effective cost %s"), billed, effective);
    }
  if (r->n_moved > 0)
    {
      g_autofree char *moved = cu_format_count ((gint64) r->n_moved);
      g_string_append_c (out, '\n');
      g_string_append_printf (out,
                              ngettext ("%s row was charged outside its billing period and is counted at the period’s edge",
                                        "%s rows were charged outside their billing period and are counted at the period’s edge",
                                        r->n_moved),
                              moved);
    }
  return g_string_free (out, FALSE);
}

/* "costs.csv:3: column X: …" reads "costs.csv, line 3: column X: …" */
static char *
readable_error (const char *display,
                const char *error)
{
  gsize len = strlen (display);
  const char *p = error + len + 1;
  const char *digits = p;

  if (!g_str_has_prefix (error, display) || error[len] != ':')
    return g_strdup (error);
  while (g_ascii_isdigit (*p))
    p++;
  if (p == digits || *p != ':')
    return g_strdup (error);
  return g_strdup_printf (_("%s, line %.*s:%s"), display, (int) (p - digits), digits, p + 1);
}

/* ---- view ---- */

static FileRow *
file_row_new (const char *display)
{
  FileRow *fr = g_new0 (FileRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *name = gtk_label_new (display);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (box), name);

  fr->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (fr->bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, display, -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fr->bar));

  fr->status = GTK_LABEL (gtk_label_new (_("Waiting")));
  gtk_label_set_xalign (fr->status, 0);
  gtk_label_set_wrap (fr->status, TRUE);
  gtk_label_set_wrap_mode (fr->status, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (fr->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (fr->status), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fr->status));

  fr->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (fr->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (fr->row), box);
  return fr;
}

static void
set_status_style (GtkLabel   *label,
                  const char *style)
{
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), style);
}

static void
refresh (CuImportDialog *self)
{
  CuImportJob *job = self->job;
  guint n_done = 0, n_failed = 0, n_skipped = 0;

  if (job == NULL)
    return;

  cu_import_job_lock (job);
  for (guint i = 0; i < cu_import_job_get_n_files (job) && i < self->rows->len; i++)
    {
      const CuImportFile *f = cu_import_job_get_file (job, i);
      FileRow *fr = g_ptr_array_index (self->rows, i);

      switch (f->state)
        {
        case CU_IMPORT_FILE_WAITING:
          break;
        case CU_IMPORT_FILE_RUNNING:
          gtk_progress_bar_set_fraction (fr->bar, CLAMP (f->fraction, 0.0, 1.0));
          gtk_label_set_text (fr->status, f->message ? f->message : _("Reading…"));
          set_status_style (fr->status, "dim-label");
          break;
        case CU_IMPORT_FILE_DONE:
          {
            g_autofree char *text = result_text (f->result);
            gtk_progress_bar_set_fraction (fr->bar, 1.0);
            gtk_widget_set_visible (GTK_WIDGET (fr->bar), FALSE);
            gtk_label_set_text (fr->status, text);
            set_status_style (fr->status, NULL);
            n_done++;
          }
          break;
        case CU_IMPORT_FILE_FAILED:
          gtk_widget_set_visible (GTK_WIDGET (fr->bar), FALSE);
          {
            /* the importer's message names the file, line and column */
            g_autofree char *readable = readable_error (f->display, f->error);
            g_autofree char *text = g_strdup_printf (_("Not imported, the workspace is unchanged. %s"), readable);
            gtk_label_set_text (fr->status, text);
            set_status_style (fr->status, "error");
          }
          n_failed++;
          break;
        case CU_IMPORT_FILE_SKIPPED:
        default:
          gtk_widget_set_visible (GTK_WIDGET (fr->bar), FALSE);
          gtk_label_set_text (fr->status, _("Not imported: cancelled. The workspace is as it was for this file."));
          set_status_style (fr->status, "dim-label");
          n_skipped++;
          break;
        }
    }
  cu_import_job_unlock (job);

  self->n_imported = n_done;
  self->n_failed = n_failed;
  if (self->running)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Importing %u file…", "Importing %u files…",
                                                         self->rows->len),
                                               self->rows->len);
      gtk_label_set_text (self->summary_label, text);
    }
  else
    {
      g_autofree char *text = NULL;

      if (n_failed == 0 && n_skipped == 0)
        text = g_strdup_printf (ngettext ("Imported %u file", "Imported all %u files", n_done), n_done);
      else
        text = g_strdup_printf (ngettext ("Imported %u of %u file", "Imported %u of %u files", self->rows->len),
                                n_done, self->rows->len);
      gtk_label_set_text (self->summary_label, text);
    }
}

/* The job ended (the window has opened the workspace again by now: it
 * follows the job manager's "import-finished" too, and connected first). */
static void
finish (CuImportDialog *self)
{
  self->running = FALSE;
  refresh (self);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->done_button), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
  g_signal_emit (self, signals[FINISHED], 0, self->n_imported);
}

/* ---- callbacks ---- */

static void
cancel_clicked_cb (CuImportDialog *self)
{
  if (self->running)
    cu_import_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static char *
target_workspace (GtkWindow *parent)
{
  CuWorkspaceModel *model = CU_IS_WINDOW (parent) ? cu_window_get_workspace_model (CU_WINDOW (parent)) : NULL;

  if (model != NULL && !cu_workspace_model_get_is_demo (model) &&
      cu_workspace_model_get_directory (model) != NULL)
    return g_strdup (cu_workspace_model_get_directory (model));
  /* never into the demo: the user's own workspace starts here */
  return cu_workspace_default_dir ();
}

static void
files_chosen_cb (GtkNativeDialog *native,
                 int              response,
                 gpointer         user_data)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      GtkWindow *parent = gtk_native_dialog_get_transient_for (native);
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      g_autofree char *workspace = target_workspace (parent);
      CuImportDialog *dialog;

      if (g_list_model_get_n_items (files) > 0)
        {
          dialog = cu_import_dialog_new (parent, workspace);
          gtk_window_present (GTK_WINDOW (dialog));
          cu_import_dialog_import_files (dialog, files);
        }
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

/* ---- object ---- */

static void
cu_import_dialog_dispose (GObject *object)
{
  CuImportDialog *self = CU_IMPORT_DIALOG (object);

  self->disposed = TRUE;
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (cu_import_job_get_progress (self->job), self);
  g_signal_handlers_disconnect_by_data (cu_job_manager_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (cu_import_dialog_parent_class)->dispose (object);
}

static void
cu_import_dialog_finalize (GObject *object)
{
  CuImportDialog *self = CU_IMPORT_DIALOG (object);

  g_clear_pointer (&self->job, cu_import_job_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->workspace);

  G_OBJECT_CLASS (cu_import_dialog_parent_class)->finalize (object);
}

static void
cu_import_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CuImportDialog *self = CU_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_string (value, self->workspace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_import_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CuImportDialog *self = CU_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_free (self->workspace);
      self->workspace = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cu_import_dialog_class_init (CuImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cu_import_dialog_dispose;
  object_class->finalize = cu_import_dialog_finalize;
  object_class->get_property = cu_import_dialog_get_property;
  object_class->set_property = cu_import_dialog_set_property;
  /* no close_request: closing while importing does not stop it (the job
   * manager owns it, and the window reloads the workspace when it is done) */

  properties[PROP_WORKSPACE] =
    g_param_spec_string ("workspace", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CuImportDialog::finished:
   * @n_imported: how many files were imported
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CuImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CuImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CuImportDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, CuImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CuImportDialog, files_list);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cu_import_dialog_init (CuImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (g_free);
}

/**
 * cu_import_dialog_choose_files:
 * @parent: the main window
 *
 * What win.import does: asks for cost export files with the desktop's file
 * chooser, then imports them in a CuImportDialog into the window's
 * workspace (the default one while the demo is shown).
 */
void
cu_import_dialog_choose_files (GtkWindow *parent)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) all_costs = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) gzip = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) any = gtk_file_filter_new ();

  native = gtk_file_chooser_native_new (_("Import Cost Files"), parent,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);

  gtk_file_filter_set_name (all_costs, _("Cost Export Files (CSV, gzip)"));
  gtk_file_filter_add_mime_type (all_costs, "text/csv");
  gtk_file_filter_add_mime_type (all_costs, "application/gzip");
  gtk_file_filter_add_suffix (all_costs, "csv");
  gtk_file_filter_add_suffix (all_costs, "gz");
  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_set_name (gzip, _("Gzip-Compressed Files"));
  gtk_file_filter_add_mime_type (gzip, "application/gzip");
  gtk_file_filter_add_suffix (gzip, "gz");
  gtk_file_filter_set_name (any, _("All Files"));
  gtk_file_filter_add_pattern (any, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all_costs);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), gzip);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), any);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (native), all_costs);

  /* the reference is dropped in the callback */
  g_signal_connect (native, "response", G_CALLBACK (files_chosen_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/**
 * cu_import_dialog_new:
 * @parent: (nullable): the window to attach to; a CuWindow reloads (or
 *   switches to @workspace) when files were imported
 * @workspace: where the costs go (created when missing)
 *
 * Returns: (transfer none): a new dialog, owned by GTK until closed
 */
CuImportDialog *
cu_import_dialog_new (GtkWindow  *parent,
                      const char *workspace)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (workspace != NULL, NULL);

  return g_object_new (CU_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       "workspace", workspace,
                       NULL);
}

const char *
cu_import_dialog_get_workspace (CuImportDialog *self)
{
  g_return_val_if_fail (CU_IS_IMPORT_DIALOG (self), NULL);
  return self->workspace;
}

/**
 * cu_import_dialog_import_files:
 * @files: (element-type GFile): the files to import, in order
 *
 * What the file chooser's answer does: lists the files and imports them in
 * a worker. CuImportDialog::finished tells when all are done.
 */
void
cu_import_dialog_import_files (CuImportDialog *self,
                               GListModel     *files)
{
  CuJobManager *manager = cu_job_manager_get_default ();
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  gpointer origin = CU_IS_WINDOW (parent) ? cu_window_get_workspace_model (CU_WINDOW (parent)) : NULL;
  CuImportJob *job;

  g_return_if_fail (CU_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));
  g_return_if_fail (!self->running && self->job == NULL);

  /* connected before the start: a job has no way to end sooner, but the
   * handler then never misses it */
  g_signal_connect_object (manager, "import-finished",
                           G_CALLBACK (import_finished_cb), self, G_CONNECT_SWAPPED);
  job = cu_job_manager_start_import (manager, self->workspace, files, origin);
  self->job = cu_import_job_ref (job);
  g_signal_connect_object (cu_import_job_get_progress (job), "changed",
                           G_CALLBACK (import_progress_changed_cb), self, G_CONNECT_SWAPPED);

  cu_import_job_lock (job);
  for (guint i = 0; i < cu_import_job_get_n_files (job); i++)
    {
      FileRow *fr = file_row_new (cu_import_job_get_file (job, i)->display);

      gtk_list_box_append (self->files_list, fr->row);
      g_ptr_array_add (self->rows, fr);
    }
  cu_import_job_unlock (job);

  self->running = TRUE;
  refresh (self);
}

gboolean
cu_import_dialog_get_running (CuImportDialog *self)
{
  g_return_val_if_fail (CU_IS_IMPORT_DIALOG (self), FALSE);
  return self->running;
}

/**
 * cu_import_dialog_cancel:
 *
 * Stops the file being imported (its costs stay as they were) and skips
 * the rest; files already imported stay imported.
 */
void
cu_import_dialog_cancel (CuImportDialog *self)
{
  g_return_if_fail (CU_IS_IMPORT_DIALOG (self));
  if (self->job != NULL)
    cu_import_job_cancel (self->job);
}

guint
cu_import_dialog_get_n_imported (CuImportDialog *self)
{
  g_return_val_if_fail (CU_IS_IMPORT_DIALOG (self), 0);
  return self->n_imported;
}

/**
 * cu_import_dialog_get_file_text:
 * @index: a file's position
 *
 * Returns: (transfer full) (nullable): what the dialog says about that file
 */
char *
cu_import_dialog_get_file_text (CuImportDialog *self,
                                guint           index)
{
  FileRow *fr;

  g_return_val_if_fail (CU_IS_IMPORT_DIALOG (self), NULL);
  if (index >= self->rows->len)
    return NULL;
  fr = g_ptr_array_index (self->rows, index);
  return g_strdup (gtk_label_get_text (fr->status));
}
