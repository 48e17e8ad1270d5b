/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-structure.c — the page type, the page registry, the workspace model
 * and the progress object, on a real (Xvfb) display
 *
 * 1. The registry lists every page once, in sidebar order, each a CuPage
 *    with its title and icon; the window's sidebar and stack are built
 *    from it, in that order.
 * 2. A page follows the workspace model: it shows the directory opened and
 *    reloads only for the changes it shows; its state, loading and error
 *    agree.
 * 3. A CuProgress updated ten thousand times from a worker notifies the
 *    main thread a few times, on the main thread, and ends on the last
 *    values.
 * 4. An import started from the Import dialog belongs to the job manager:
 *    closed at once, the dialog goes away while the import runs on; the
 *    import ends with "import-finished", its file imported into a real
 *    ledger, and the window's workspace model opens the workspace (then,
 *    for a second import, says its costs changed).
 */
#include <adwaita.h>

#include <glib/gstdio.h>

#include "cu-import-dialog.h"
#include "cu-job-manager.h"
#include "cu-page-registry.h"
#include "cu-window.h"
#include "cu-workspace-model.h"
#include "cumulus-resources.h"
#include "util/cu-progress.h"
#include "util/cu-workspace.h"

/* ---- a page that counts its reloads ---- */

#define TEST_TYPE_PAGE (test_page_get_type ())
G_DECLARE_FINAL_TYPE (TestPage, test_page, TEST, PAGE, CuPage)

struct _TestPage
{
  CuPage  parent_instance;
  guint   n_reloads;
  guint   n_workspace_changes;
};

G_DEFINE_FINAL_TYPE (TestPage, test_page, CU_TYPE_PAGE)

static void
test_page_reload (CuPage *page)
{
  TEST_PAGE (page)->n_reloads++;
}

static void
test_page_workspace_changed (CuPage *page)
{
  TEST_PAGE (page)->n_workspace_changes++;
}

static void
test_page_class_init (TestPageClass *klass)
{
  CuPageClass *page_class = CU_PAGE_CLASS (klass);

  page_class->reload = test_page_reload;
  page_class->workspace_changed = test_page_workspace_changed;
  page_class->reload_on = CU_WORKSPACE_CHANGE_ANALYSIS;
}

static void
test_page_init (TestPage *self)
{
}

/* ---- 1. registry ---- */

static void
test_registry (void)
{
  const CuPageInfo *pages;
  guint n_pages;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  pages = cu_page_registry_get_pages (&n_pages);
  g_assert_cmpuint (n_pages, >=, 6);
  for (guint i = 0; i < n_pages; i++)
    {
      GtkWidget *page;

      g_assert_true (g_hash_table_add (names, (gpointer) pages[i].name));
      if (i > 0)
        g_assert_cmpint (pages[i - 1].order, <, pages[i].order);
      g_assert_true (g_type_is_a (pages[i].get_type (), CU_TYPE_PAGE));
      g_assert_true (cu_page_registry_lookup (pages[i].name) != NULL);
      g_assert_cmpstr (cu_page_registry_lookup (pages[i].name)->name, ==, pages[i].name);

      page = g_object_ref_sink (GTK_WIDGET (cu_page_registry_create_page (&pages[i])));
      g_assert_cmpstr (cu_page_get_title (CU_PAGE (page)), ==, pages[i].title);
      g_assert_cmpstr (cu_page_get_icon_name (CU_PAGE (page)), ==, pages[i].icon_name);
      g_assert_null (cu_page_get_workspace (CU_PAGE (page)));
      g_assert_cmpint (cu_page_get_state (CU_PAGE (page)), ==, CU_PAGE_STATE_IDLE);
      g_object_unref (page);
    }
  g_assert_null (cu_page_registry_lookup ("no-such-page"));
  /* the names notifications and app.show-page use */
  g_assert_nonnull (cu_page_registry_lookup ("overview"));
  g_assert_nonnull (cu_page_registry_lookup ("anomalies"));
  g_assert_nonnull (cu_page_registry_lookup ("budgets"));
}

static void
test_sidebar (void)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();
  const CuPageInfo *pages;
  GtkWidget *window, *row, *stack = NULL, *sidebar = NULL;
  guint n_pages, i = 0;

  /* no application: the window builds itself but opens no workspace */
  window = g_object_new (CU_TYPE_WINDOW, NULL);
  pages = cu_page_registry_get_pages (&n_pages);

  for (GtkWidget *w = gtk_widget_get_first_child (window); w != NULL; )
    {
      /* depth-first walk for the sidebar list and the content stack */
      if (GTK_IS_LIST_BOX (w) && gtk_widget_has_css_class (w, "navigation-sidebar"))
        sidebar = w;
      if (GTK_IS_STACK (w) && gtk_stack_get_child_by_name (GTK_STACK (w), pages[0].name) != NULL)
        stack = w;
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w) == window ? NULL : gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (sidebar);
  g_assert_nonnull (stack);

  for (row = gtk_widget_get_first_child (sidebar); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box, *image, *label;
      GtkWidget *child;

      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      g_assert_cmpuint (i, <, n_pages);
      g_assert_cmpstr (gtk_widget_get_name (row), ==, pages[i].name);
      box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      image = gtk_widget_get_first_child (box);
      label = gtk_widget_get_next_sibling (image);
      g_assert_true (GTK_IS_IMAGE (image) && GTK_IS_LABEL (label));
      g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (image)), ==, pages[i].icon_name);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, pages[i].title);
      g_assert_cmpint (gtk_box_get_spacing (GTK_BOX (box)), ==, 12);

      child = gtk_stack_get_child_by_name (GTK_STACK (stack), pages[i].name);
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (child, pages[i].get_type ()));
      g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (GTK_STACK (stack), child)), ==,
                       pages[i].title);
      g_assert_true (cu_window_get_page (CU_WINDOW (window), pages[i].name) == CU_PAGE (child));
      /* the window's pages follow its model */
      g_assert_true (cu_page_get_model (CU_PAGE (child)) == cu_window_get_workspace_model (CU_WINDOW (window)));
      i++;
    }
  g_assert_cmpuint (i, ==, n_pages);
  g_assert_null (cu_window_get_page (CU_WINDOW (window), "no-such-page"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- 2. page and model ---- */

typedef struct {
  guint             n_changed;
  CuWorkspaceChange last;
  guint             n_directory;
} ModelWatch;

static void
changed_cb (CuWorkspaceModel  *model,
            CuWorkspaceChange  what,
            ModelWatch        *watch)
{
  watch->n_changed++;
  watch->last = what;
}

static void
directory_cb (CuWorkspaceModel *model,
              GParamSpec       *pspec,
              ModelWatch       *watch)
{
  watch->n_directory++;
}

static void
test_model (void)
{
  g_autoptr(CuWorkspaceModel) model = cu_workspace_model_new ();
  TestPage *page = g_object_ref_sink (g_object_new (TEST_TYPE_PAGE, NULL));
  ModelWatch watch = { 0 };

  g_signal_connect (model, "changed", G_CALLBACK (changed_cb), &watch);
  g_signal_connect (model, "notify::directory", G_CALLBACK (directory_cb), &watch);
  cu_page_set_model (CU_PAGE (page), model);
  g_assert_cmpuint (page->n_reloads, ==, 0);

  /* a new directory: shown, so reloaded, once */
  cu_workspace_model_open (model, "/tmp/cumulus-a", FALSE);
  g_assert_cmpuint (watch.n_directory, ==, 1);
  g_assert_cmpuint (watch.n_changed, ==, 0);
  g_assert_cmpstr (cu_page_get_workspace (CU_PAGE (page)), ==, "/tmp/cumulus-a");
  g_assert_cmpuint (page->n_workspace_changes, ==, 1);
  g_assert_cmpuint (page->n_reloads, ==, 1);

  /* the same one again: its costs and accounts changed, which this page does not show */
  cu_workspace_model_open (model, "/tmp/cumulus-a", FALSE);
  g_assert_cmpuint (watch.n_directory, ==, 1);
  g_assert_cmpuint (watch.n_changed, ==, 1);
  g_assert_cmpint (watch.last, ==, CU_WORKSPACE_CHANGE_COSTS | CU_WORKSPACE_CHANGE_ACCOUNTS);
  g_assert_cmpuint (page->n_reloads, ==, 1);

  /* what it shows */
  cu_workspace_model_changed (model, CU_WORKSPACE_CHANGE_ANALYSIS | CU_WORKSPACE_CHANGE_INVENTORY);
  g_assert_cmpuint (page->n_reloads, ==, 2);
  cu_workspace_model_changed (model, 0);
  g_assert_cmpuint (watch.n_changed, ==, 2);

  cu_workspace_model_open (model, "/tmp/cumulus-demo", TRUE);
  g_assert_true (cu_workspace_model_get_is_demo (model));
  g_assert_cmpstr (cu_page_get_workspace (CU_PAGE (page)), ==, "/tmp/cumulus-demo");
  g_assert_cmpuint (page->n_reloads, ==, 3);

  /* states */
  cu_page_set_state (CU_PAGE (page), CU_PAGE_STATE_LOADING);
  g_assert_true (cu_page_get_loading (CU_PAGE (page)));
  cu_page_set_error (CU_PAGE (page), "disk on fire");
  g_assert_false (cu_page_get_loading (CU_PAGE (page)));
  g_assert_cmpint (cu_page_get_state (CU_PAGE (page)), ==, CU_PAGE_STATE_ERROR);
  g_assert_cmpstr (cu_page_get_error (CU_PAGE (page)), ==, "disk on fire");
  cu_page_set_state (CU_PAGE (page), CU_PAGE_STATE_EMPTY);
  g_assert_null (cu_page_get_error (CU_PAGE (page)));
  cu_page_set_error (CU_PAGE (page), NULL);
  g_assert_cmpint (cu_page_get_state (CU_PAGE (page)), ==, CU_PAGE_STATE_READY);

  /* a page that goes stops listening */
  g_assert_finalize_object (page);
  cu_workspace_model_changed (model, CU_WORKSPACE_CHANGE_ANALYSIS);
}

/* ---- 3. progress ---- */

#define N_UPDATES 10000

typedef struct {
  guint    n_changed;
  gboolean off_main;
  gboolean done;
} ProgressWatch;

static GThread *main_thread;

static void
progress_changed_cb (CuProgress    *progress,
                     ProgressWatch *watch)
{
  watch->n_changed++;
  if (g_thread_self () != main_thread)
    watch->off_main = TRUE;
}

static gpointer
progress_worker (gpointer data)
{
  CuProgress *progress = data;

  for (guint i = 1; i <= N_UPDATES; i++)
    cu_progress_update (progress, (double) i / N_UPDATES, i == N_UPDATES ? "done" : "working");
  return NULL;
}

static gboolean
progress_settled (gpointer data)
{
  CuProgress *progress = data;
  g_autofree char *message = cu_progress_dup_message (progress);

  return cu_progress_get_fraction (progress) == 1.0 && g_strcmp0 (message, "done") == 0;
}

static void
test_progress (void)
{
  CuProgress *progress = cu_progress_new ();
  ProgressWatch watch = { 0 };
  g_autofree char *message = NULL;
  GThread *thread;

  main_thread = g_thread_self ();
  g_signal_connect (progress, "changed", G_CALLBACK (progress_changed_cb), &watch);
  thread = g_thread_new ("progress", progress_worker, g_object_ref (progress));
  g_thread_join (thread);
  g_object_unref (progress);   /* the worker's reference */

  /* nothing is notified until the main loop runs */
  g_assert_cmpuint (watch.n_changed, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (progress_settled (progress));
  g_test_message ("%u updates, %u notifications", N_UPDATES, watch.n_changed);
  g_assert_cmpuint (watch.n_changed, >=, 1);
  g_assert_cmpuint (watch.n_changed, <, N_UPDATES / 10);
  g_assert_false (watch.off_main);

  /* out of range is clamped; a NULL message keeps the last one */
  cu_progress_update (progress, 7.0, NULL);
  g_assert_cmpfloat (cu_progress_get_fraction (progress), ==, 1.0);
  message = cu_progress_dup_message (progress);
  g_assert_cmpstr (message, ==, "done");
  cu_progress_reset (progress);
  g_assert_cmpfloat (cu_progress_get_fraction (progress), ==, 0.0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (progress);
}

/* ---- 4. an import outlives its dialog ---- */

typedef struct {
  guint        n_finished;
  guint        n_imported;
  CuImportJob *job;          /* a reference to the last one finished */
  guint        n_analyses;
  guint        n_cost_changes;
} ImportWatch;

static void
import_finished_cb (CuJobManager *manager,
                    const char   *workspace,
                    CuImportJob  *job,
                    guint         n_imported,
                    ImportWatch  *watch)
{
  watch->n_finished++;
  watch->n_imported = n_imported;
  g_clear_pointer (&watch->job, cu_import_job_unref);
  watch->job = cu_import_job_ref (job);
}

static void
analysis_done_cb (CuJobManager *manager,
                  const char   *workspace,
                  gboolean      success,
                  ImportWatch  *watch)
{
  watch->n_analyses++;
}

static void
costs_changed_cb (CuWorkspaceModel  *model,
                  CuWorkspaceChange  what,
                  ImportWatch       *watch)
{
  if ((what & CU_WORKSPACE_CHANGE_COSTS) != 0)
    watch->n_cost_changes++;
}

static gboolean
wait_until (guint *counter,
            guint  target)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*counter < target && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return *counter >= target;
}

/* starts an import of @files from a dialog on @window and closes the
 * dialog at once; returns once the dialog is gone */
static void
import_and_close (GtkWidget  *window,
                  const char *workspace,
                  GListModel *files)
{
  CuJobManager *manager = cu_job_manager_get_default ();
  CuImportDialog *dialog = cu_import_dialog_new (GTK_WINDOW (window), workspace);
  GtkWidget *dialog_widget = GTK_WIDGET (dialog);

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog_widget);
  gtk_window_present (GTK_WINDOW (dialog));
  cu_import_dialog_import_files (dialog, files);
  g_assert_true (cu_import_dialog_get_running (dialog));
  g_assert_cmpuint (cu_job_manager_get_n_imports (manager), ==, 1);

  gtk_window_close (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* the dialog is gone, not the job */
  g_assert_null (dialog_widget);
}

static void
test_import_job (void)
{
  CuJobManager *manager = cu_job_manager_get_default ();
  g_autofree char *path = g_build_filename (g_getenv ("CUMULUS_SHARED_DIR"), "testdata", "focus",
                                            "sample-focus.csv", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("cumulus-import-job-XXXXXX", NULL);
  g_autofree char *workspace = g_build_filename (tmp, "workspace", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  ImportWatch watch = { 0 };
  CuWorkspaceModel *model;
  GtkWidget *window;
  gulong finished_id, analysis_id;

  g_assert_nonnull (tmp);
  g_list_store_append (files, file);
  /* no application: the window opens no workspace by itself */
  window = g_object_new (CU_TYPE_WINDOW, NULL);
  model = cu_window_get_workspace_model (CU_WINDOW (window));
  g_signal_connect (model, "changed", G_CALLBACK (costs_changed_cb), &watch);
  finished_id = g_signal_connect (manager, "import-finished", G_CALLBACK (import_finished_cb), &watch);
  analysis_id = g_signal_connect (manager, "analysis-finished", G_CALLBACK (analysis_done_cb), &watch);

  import_and_close (window, workspace, G_LIST_MODEL (files));
  g_assert_cmpuint (watch.n_finished, ==, 0);
  g_assert_true (wait_until (&watch.n_finished, 1));

  g_assert_cmpuint (watch.n_imported, ==, 1);
  g_assert_false (cu_import_job_get_running (watch.job));
  g_assert_cmpuint (cu_import_job_get_n_imported (watch.job), ==, 1);
  g_assert_cmpstr (cu_import_job_get_workspace (watch.job), ==, workspace);
  cu_import_job_lock (watch.job);
  g_assert_cmpint (cu_import_job_get_file (watch.job, 0)->state, ==, CU_IMPORT_FILE_DONE);
  g_assert_cmpuint (cu_import_job_get_file (watch.job, 0)->result->n_rows, >, 0);
  cu_import_job_unlock (watch.job);
  g_assert_cmpuint (cu_job_manager_get_n_imports (manager), ==, 0);
  g_assert_true (cu_workspace_exists (workspace));
  /* the window opened the workspace the costs went into */
  g_assert_cmpstr (cu_workspace_model_get_directory (model), ==, workspace);
  g_assert_false (cu_workspace_model_get_is_demo (model));

  /* into the open workspace: the model says the costs changed */
  g_assert_true (wait_until (&watch.n_analyses, 1));
  watch.n_analyses = 0;
  import_and_close (window, workspace, G_LIST_MODEL (files));
  g_assert_true (wait_until (&watch.n_finished, 2));
  g_assert_cmpuint (watch.n_imported, ==, 1);
  g_assert_cmpuint (watch.n_cost_changes, ==, 1);

  /* let the analysis the costs started end before the files go */
  g_assert_true (wait_until (&watch.n_analyses, 1));
  g_signal_handler_disconnect (manager, finished_id);
  g_signal_handler_disconnect (manager, analysis_id);
  g_clear_pointer (&watch.job, cu_import_job_unref);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autoptr(GDir) dir = g_dir_open (workspace, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (workspace, name, NULL);
        g_unlink (child);
      }
  }
  g_rmdir (workspace);
  g_rmdir (tmp);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_nonnull (cumulus_get_resource ());
  cu_page_registry_ensure_types ();

  g_test_add_func ("/structure/registry", test_registry);
  g_test_add_func ("/structure/sidebar", test_sidebar);
  g_test_add_func ("/structure/model", test_model);
  g_test_add_func ("/structure/progress", test_progress);
  g_test_add_func ("/structure/import-job", test_import_job);
  return g_test_run ();
}
