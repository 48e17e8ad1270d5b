/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-window.c — the main window: sidebar of pages, content, toasts
 *
 * On start the window opens the default workspace when it has a ledger,
 * else the demo workspace, having the job manager generate that one first
 * (in a worker; the window shows a progress page) the very first time. The
 * demo is generated into a temporary directory next to its final place and
 * renamed when complete, so an interrupted generation never leaves half a
 * demo behind. When an import the window started ends (its dialog open or
 * not), the window reopens the workspace it went into.
 *
 * The sidebar and the pages come from the page registry. The window owns
 * the workspace model the pages follow: whenever costs change, it has the
 * job manager compute forecasts, anomalies and budget alerts again, and
 * the model says so when they are done. The window owns the toast overlay; pages ask for
 * toasts with the "window.toast" action.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cu-window.h"
#include "cu-job-manager.h"
#include "cu-import-dialog.h"
#include "cu-page-registry.h"
#include "demo/cu-demo.h"
#include "util/cu-date.h"
#include "util/cu-progress.h"
#include "util/cu-workspace.h"

struct _CuWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkProgressBar       *progress_bar;
  AdwStatusPage        *failure_page;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkWidget            *content_box;
  AdwWindowTitle       *content_title;
  GtkRevealer          *demo_revealer;
  GtkStack             *content_stack;

  /* owned state */
  CuWorkspaceModel     *model;
  GSettings            *settings;
  GBinding             *demo_binding;  /* the bar follows the demo job */
  gboolean              making_demo;
  char                 *startup_error;
};

G_DEFINE_FINAL_TYPE (CuWindow, cu_window, ADW_TYPE_APPLICATION_WINDOW)

static void cu_window_start (CuWindow *self);

static void
show_failure (CuWindow   *self,
              const char *message)
{
  g_free (self->startup_error);
  self->startup_error = g_strdup (message);
  adw_status_page_set_description (self->failure_page, message);
  gtk_stack_set_visible_child_name (self->main_stack, "failed");
}

static void
analysis_finished_cb (CuWindow   *self,
                      const char *workspace,
                      gboolean    success)
{
  if (g_strcmp0 (workspace, cu_workspace_model_get_directory (self->model)) == 0)
    cu_workspace_model_changed (self->model, CU_WORKSPACE_CHANGE_ANALYSIS);
}

/* after opening, importing or syncing: forecasts, anomalies and budget
 * alerts are computed again in a worker, then notified */
static void
start_analysis (CuWindow *self)
{
  const char *workspace = cu_workspace_model_get_directory (self->model);

  if (workspace != NULL)
    cu_job_manager_start_analysis (cu_job_manager_get_default (), workspace);
}

/* whoever opened it (the window, a page, a dialog), the header says which */
static void
model_directory_cb (CuWindow *self)
{
  const char *dir = cu_workspace_model_get_directory (self->model);
  gboolean is_demo = cu_workspace_model_get_is_demo (self->model);
  g_autofree char *basename = dir != NULL ? g_path_get_basename (dir) : NULL;

  /* a workspace opened (by an import, say) while the demo is still being
   * made: the demo is not wanted any more */
  if (self->making_demo)
    cu_job_manager_cancel_demo (cu_job_manager_get_default ());
  g_clear_pointer (&self->startup_error, g_free);
  adw_window_title_set_subtitle (self->content_title,
                                 is_demo ? _("Demo workspace") : basename);
  gtk_revealer_set_reveal_child (self->demo_revealer, is_demo);
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  start_analysis (self);
}

static void
model_changed_cb (CuWindow          *self,
                  CuWorkspaceChange  what)
{
  if ((what & CU_WORKSPACE_CHANGE_COSTS) != 0)
    start_analysis (self);
}

static void
set_workspace (CuWindow   *self,
               const char *dir,
               gboolean    is_demo)
{
  cu_workspace_model_open (self->model, dir, is_demo);
}

static void
demo_finished_cb (CuWindow     *self,
                  const char   *directory,
                  const GError *error)
{
  if (!self->making_demo)
    return;
  self->making_demo = FALSE;
  g_clear_object (&self->demo_binding);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_failure (self, error->message);
      return;
    }

  set_workspace (self, directory, TRUE);
  cu_window_add_toast (self, adw_toast_new (_("Demo workspace ready")));
}

/* the job manager makes it; the window shows its progress */
static void
prepare_demo (CuWindow   *self,
              const char *demo_dir)
{
  CuJobManager *manager = cu_job_manager_get_default ();
  g_autoptr(GError) error = NULL;

  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_stack_set_visible_child_name (self->main_stack, "preparing");

  if (!cu_job_manager_start_demo (manager, demo_dir, &error))
    {
      show_failure (self, error->message);
      return;
    }
  self->making_demo = TRUE;
  g_clear_object (&self->demo_binding);
  self->demo_binding = g_object_ref (g_object_bind_property (cu_job_manager_get_demo_progress (manager), "fraction",
                                                             self->progress_bar, "fraction",
                                                             G_BINDING_SYNC_CREATE));
}

/* an import this window started ended, whether or not its dialog is still
 * open: the costs landed, show them */
static void
import_finished_cb (CuWindow    *self,
                    const char  *workspace,
                    CuImportJob *job,
                    guint        n_imported)
{
  g_autofree char *message = NULL;

  if (cu_import_job_get_origin (job) != (gpointer) self->model || n_imported == 0)
    return;

  /* opens it when the demo was shown (imports never go into the demo);
   * else the model tells the pages, and the forecasts and alerts are
   * computed again, that its costs changed */
  cu_workspace_model_open (self->model, workspace, FALSE);

  message = g_strdup_printf (ngettext ("Imported %u cost file", "Imported %u cost files", n_imported),
                             n_imported);
  cu_window_add_toast (self, adw_toast_new (message));
}

static void
cu_window_start (CuWindow *self)
{
  gboolean is_demo = FALSE;
  /* the same choice as cumulus-cli without --workspace */
  g_autofree char *dir = cu_workspace_resolve (&is_demo);

  if (cu_workspace_exists (dir))
    set_workspace (self, dir, is_demo);
  else
    {
      g_autofree char *demo_dir = cu_workspace_demo_dir ();
      prepare_demo (self, demo_dir);
    }
}

static void
sidebar_row_activated_cb (CuWindow      *self,
                          GtkListBoxRow *row)
{
  const char *name = gtk_widget_get_name (GTK_WIDGET (row));

  gtk_stack_set_visible_child_name (self->content_stack, name);
  cu_window_show_content (self);
}

static void
back_clicked_cb (CuWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
content_page_changed_cb (CuWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->content_stack);
  GtkStackPage *page;

  if (child == NULL)
    return;
  page = gtk_stack_get_page (self->content_stack, child);
  adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (page));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CuWindow *self = CU_WINDOW (widget);

  if (cu_workspace_model_get_directory (self->model) == NULL)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->content_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (CU_IS_PAGE (child))
      cu_page_reload (CU_PAGE (child));
}

static void
refresh_analysis_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  start_analysis (CU_WINDOW (widget));
}

/* app.show-page (from a notification) lands here */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CuWindow *self = CU_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (gtk_stack_get_child_by_name (self->content_stack, name) == NULL)
    return;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), name) == 0)
      gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
  gtk_stack_set_visible_child_name (self->content_stack, name);
  cu_window_show_content (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cu_import_dialog_choose_files (GTK_WINDOW (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  cu_window_start (CU_WINDOW (widget));
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  cu_window_add_toast (CU_WINDOW (widget),
                       adw_toast_new (g_variant_get_string (parameter, NULL)));
}

static gboolean
cu_window_close_request (GtkWindow *window)
{
  CuWindow *self = CU_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_apply (self->settings);
    }

  if (self->making_demo)
    cu_job_manager_cancel_demo (cu_job_manager_get_default ());

  return GTK_WINDOW_CLASS (cu_window_parent_class)->close_request (window);
}

/* "application" is not a construct property, so this runs once it is set */
static void
cu_window_setup (CuWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  g_assert (CU_IS_APPLICATION (app));

  self->settings = g_object_ref (cu_application_get_settings (CU_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  cu_window_start (self);
}

static void
cu_window_dispose (GObject *object)
{
  CuWindow *self = CU_WINDOW (object);

  if (self->making_demo)
    cu_job_manager_cancel_demo (cu_job_manager_get_default ());
  self->making_demo = FALSE;
  if (self->demo_binding != NULL)
    {
      g_autoptr(GObject) source = g_binding_dup_source (self->demo_binding);
      if (source != NULL)
        g_binding_unbind (self->demo_binding);
    }
  g_clear_object (&self->demo_binding);
  g_signal_handlers_disconnect_by_data (cu_job_manager_get_default (), self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_WINDOW);

  G_OBJECT_CLASS (cu_window_parent_class)->dispose (object);
}

static void
cu_window_finalize (GObject *object)
{
  CuWindow *self = CU_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->model);
  g_clear_pointer (&self->startup_error, g_free);

  G_OBJECT_CLASS (cu_window_parent_class)->finalize (object);
}

static void
cu_window_class_init (CuWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cu_window_dispose;
  object_class->finalize = cu_window_finalize;
  window_class->close_request = cu_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CuWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, failure_page);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, CuWindow, content_stack);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_page_changed_cb);

  gtk_widget_class_install_action (widget_class, "window.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "window.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "window.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "window.refresh-analysis", NULL, refresh_analysis_action);
  gtk_widget_class_install_action (widget_class, "window.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
}

/* as the sidebar rows were written by hand: icon, title, the title read out */
static GtkWidget *
make_sidebar_row (const CuPageInfo *info)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_(info->title));

  gtk_widget_set_name (row, info->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(info->title),
                                  -1);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (info->icon_name));
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
add_pages (CuWindow *self)
{
  const CuPageInfo *pages;
  guint n_pages;

  pages = cu_page_registry_get_pages (&n_pages);
  for (guint i = 0; i < n_pages; i++)
    {
      CuPage *page = cu_page_registry_create_page (&pages[i]);

      gtk_stack_add_titled (self->content_stack, GTK_WIDGET (page),
                            pages[i].name, cu_page_get_title (page));
      gtk_list_box_append (self->sidebar_list, make_sidebar_row (&pages[i]));
      cu_page_set_model (page, self->model);
    }
}

static void
cu_window_init (CuWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = cu_workspace_model_new ();
  g_signal_connect_object (self->model, "notify::directory",
                           G_CALLBACK (model_directory_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "changed",
                           G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cu_job_manager_get_default (), "analysis-finished",
                           G_CALLBACK (analysis_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cu_job_manager_get_default (), "demo-finished",
                           G_CALLBACK (demo_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cu_job_manager_get_default (), "import-finished",
                           G_CALLBACK (import_finished_cb), self, G_CONNECT_SWAPPED);
  add_pages (self);
  /* a development build looks like one (meson -Dprofile=development) */
  if (g_str_equal (PROFILE, "development"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_list_box_select_row (self->sidebar_list,
                           gtk_list_box_get_row_at_index (self->sidebar_list, 0));
  content_page_changed_cb (self);
  /* a narrow window opens on the page, with a back button to the sidebar */
  cu_window_show_content (self);
}

/**
 * cu_window_new:
 * @application: the application
 *
 * The window opens the default workspace, or the demo one, by itself.
 *
 * Returns: (transfer none): a new window, owned by @application
 */
CuWindow *
cu_window_new (CuApplication *application)
{
  CuWindow *self;

  g_return_val_if_fail (CU_IS_APPLICATION (application), NULL);

  self = g_object_new (CU_TYPE_WINDOW, "application", application, NULL);
  cu_window_setup (self);
  return self;
}

/**
 * cu_window_get_workspace:
 *
 * Returns: (nullable): the directory of the workspace shown
 */
const char *
cu_window_get_workspace (CuWindow *self)
{
  g_return_val_if_fail (CU_IS_WINDOW (self), NULL);
  return cu_workspace_model_get_directory (self->model);
}

/**
 * cu_window_get_startup_error:
 *
 * Returns: (nullable): why no workspace could be opened, shown in the window
 */
const char *
cu_window_get_startup_error (CuWindow *self)
{
  g_return_val_if_fail (CU_IS_WINDOW (self), NULL);
  return self->startup_error;
}

gboolean
cu_window_get_is_demo (CuWindow *self)
{
  g_return_val_if_fail (CU_IS_WINDOW (self), FALSE);
  return cu_workspace_model_get_is_demo (self->model);
}

/**
 * cu_window_get_workspace_model:
 *
 * Returns: (transfer none): the model of the workspace shown, which the pages follow
 */
CuWorkspaceModel *
cu_window_get_workspace_model (CuWindow *self)
{
  g_return_val_if_fail (CU_IS_WINDOW (self), NULL);
  return self->model;
}

/**
 * cu_window_get_page:
 * @name: a page's name in the page registry
 *
 * Returns: (transfer none) (nullable): the window's page of that name
 */
CuPage *
cu_window_get_page (CuWindow   *self,
                    const char *name)
{
  GtkWidget *child;

  g_return_val_if_fail (CU_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  child = gtk_stack_get_child_by_name (self->content_stack, name);
  return CU_IS_PAGE (child) ? CU_PAGE (child) : NULL;
}

/**
 * cu_window_add_toast:
 * @toast: (transfer full): the toast to show
 */
void
cu_window_add_toast (CuWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CU_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * cu_window_show_content:
 *
 * On a narrow (folded) window, shows the page rather than the sidebar.
 */
void
cu_window_show_content (CuWindow *self)
{
  g_return_if_fail (CU_IS_WINDOW (self));
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}
