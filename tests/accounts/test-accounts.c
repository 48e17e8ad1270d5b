/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accounts.c — the Accounts page, its dialogs and the Import dialog
 *
 * Runs on Xvfb inside a private D-Bus session with an unlocked
 * gnome-keyring (tests/common/keyring-run.sh --xvfb), with the mock cloud of tests/sync on
 * loopback standing in for AWS.
 *
 * 1. Every widget class of the page loads its template.
 * 2. On an empty workspace the page offers Add Account and Import; an
 *    aws-keys account is added through the dialog's own widgets: a bad
 *    access key id marks its row and says why, Add stays insensitive; with
 *    good values Add writes the ledger row and the keyring, and no file of
 *    the workspace or the XDG dirs holds the secret.
 * 3. Test Connection and a scheduled sync against the mock: progress shows,
 *    the row shows rows and Cost Explorer requests; the interval setting and
 *    its spin button agree; a cancelled sync and a denied one leave the
 *    ledger as it was, and only the denied one shows as an error.
 * 4. The Import dialog's worker imports a shared FOCUS sample: the file's
 *    row shows its format, rows and totals with their currency, and the
 *    ledger total changes by that amount; a broken file next to it says
 *    which line is wrong and changes nothing. Cancel stops a large file
 *    and skips the rest, leaving the ledger as it was.
 * 5. The page is rendered at 1280 and 360 px, light and dark, and the
 *    Import dialog once, into the build dir.
 * 6. Remove asks first, then removes ledger row and secret.
 * 7. On the demo workspace, adding an account goes to a new default
 *    workspace and leaves the demo ledger alone.
 * 8. win.import opens a file chooser for several CSV / gzip files.
 * 9. In the main window: the sidebar leads to the page, its Import button
 *    works, and an import lands on the page.
 *
 * 10. Two credentials of one organisation holding the same linked
 *    accounts (rows written through the ledger writer): each row lists its
 *    linked accounts, and says which copy counts and which is shadowed, on
 *    how many days; a workspace without overlap says nothing of the kind.
 *    Rendered at 1280 and 360 px, light and dark.
 *
 * Validation of the other kinds (Azure ids, role ARN) is part of 1.
 */
#define _GNU_SOURCE   /* memmem */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "store/cu-ledger-private.h"
#include "cu-account-dialog.h"
#include "cu-account-row.h"
#include "cu-application.h"
#include "cu-accounts-page.h"
#include "cu-import-dialog.h"
#include "cu-test-util.h"
#include "cu-window.h"
#include "cumulus-resources.h"
#include "providers/cu-accounts.h"
#include "secrets/cu-secrets.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"
#include "util/cu-workspace.h"
#ifdef HAVE_MOCK_CLOUD
#include "cu-mock-cloud.h"
#endif

#define APP_ID_SCHEMA "io.github.cumulusfinops.Cumulus"
#define KEY_ID        "AKIAIOSFODNN7EXAMPLE"
#define SECRET        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define ACCOUNT       "Production"
#define KEY_ID_2      "AKIAI44QH8DHBEXAMPLE"
#define SECRET_2      "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"

static char *tmp_dir;
static char *workspace;
static GtkWidget *window;
static CuAccountsPage *page;
static GSettings *settings;
#ifdef HAVE_MOCK_CLOUD
static CuMockCloud *mock;
#endif

/* ---- helpers ---- */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, out);
}

static char *
visible_texts (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      if (gtk_widget_is_drawable (label))
        g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (out, FALSE);
}

static void
assert_shown (GtkWidget  *root,
              const char *expected)
{
  g_autofree char *texts = visible_texts (root);

  if (strstr (texts, expected) == NULL)
    g_error ("“%s” is not shown; the window shows:\n%s", expected, texts);
}

static void
assert_not_shown (GtkWidget  *root,
                  const char *unexpected)
{
  g_autofree char *texts = visible_texts (root);

  if (strstr (texts, unexpected) != NULL)
    g_error ("“%s” is shown; the window shows:\n%s", unexpected, texts);
}

static gboolean
page_loaded (gpointer data)
{
  return !cu_accounts_page_get_loading (CU_ACCOUNTS_PAGE (data));
}

static void
wait_loaded (CuAccountsPage *p)
{
  spin (20);
  g_assert_true (wait_for (page_loaded, p, 30));
  g_assert_null (cu_accounts_page_get_error (p));
  spin (250);   /* the crossfade */
}

static AdwPreferencesRow *
find_row (GtkWidget  *root,
          GType       type,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (root, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  g_error ("no %s row titled “%s”", g_type_name (type), title);
  return NULL;
}

static GtkButton *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("no button “%s”", label);
  return NULL;
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_row (root, ADW_TYPE_ENTRY_ROW, title)), text);
}

/* No file under @path contains @needle. */
static void
assert_not_in_tree (const char *path,
                    const char *needle)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        assert_not_in_tree (child, needle);
      else if (g_file_get_contents (child, &contents, &len, NULL) &&
               memmem (contents, len, needle, strlen (needle)) != NULL)
        g_error ("%s holds the secret", child);
    }
  g_dir_close (dir);
}

static gint64
ledger_int (const char *dir,
            const char *sql)
{
  return cu_test_ledger_int (dir, sql);
}

static CuAccount *
ledger_account (const char *dir,
                const char *name)
{
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, NULL);
  g_assert_nonnull (ledger);
  return cu_ledger_get_account (ledger, name, NULL);
}

static GdkTexture *
render (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  const char *build_root = g_getenv ("CUMULUS_BUILD_ROOT");
  g_autofree char *path = g_build_filename (build_root ? build_root : ".", name, NULL);
  g_autoptr(GdkTexture) texture = render (widget);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s", path);
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  spin (100);
}

static gboolean
is_toplevel (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (w == data)
        return TRUE;
    }
  return FALSE;
}

static gboolean
not_toplevel (gpointer data)
{
  return !is_toplevel (data);
}

/* ---- 1. templates ---- */

static void
test_templates (void)
{
  GType types[] = {
    CU_TYPE_ACCOUNTS_PAGE, CU_TYPE_ACCOUNT_ROW, CU_TYPE_ACCOUNT_DIALOG, CU_TYPE_IMPORT_DIALOG,
  };
  const char *kinds[] = { "aws-keys", "aws-role", "azure-sp" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GObject *object = g_object_ref_sink (g_object_new (types[i], NULL));

      g_test_message ("instantiated %s", g_type_name (types[i]));
      if (GTK_IS_WINDOW (object))
        gtk_window_destroy (GTK_WINDOW (object));
      g_object_unref (object);
    }

  /* validation as you type for the other kinds */
  {
    const char *sources[] = { "Payer keys", NULL };
    CuAccountDialog *dialog = cu_account_dialog_new ("azure-sp", tmp_dir, NULL, FALSE);

    type_into (GTK_WIDGET (dialog), "Tenant ID", "not a tenant");
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Tenant ID")), "error"));
    g_assert_nonnull (strstr (cu_account_dialog_get_message (dialog), "tenant"));
    type_into (GTK_WIDGET (dialog), "Account Name", "Finance");
    type_into (GTK_WIDGET (dialog), "Tenant ID", "contoso.onmicrosoft.com");
    type_into (GTK_WIDGET (dialog), "Client ID", "11111111-2222-3333-4444-555555555555");
    type_into (GTK_WIDGET (dialog), "Subscription ID", "11111111-2222-3333-4444-55555555555");
    g_assert_nonnull (strstr (cu_account_dialog_get_message (dialog), "subscription"));
    type_into (GTK_WIDGET (dialog), "Subscription ID", "11111111-2222-3333-4444-555555555555");
    type_into (GTK_WIDGET (dialog), "Client Secret", "s3cr3t");
    g_assert_true (cu_account_dialog_get_can_add (dialog));
    gtk_window_destroy (GTK_WINDOW (dialog));

    dialog = cu_account_dialog_new ("aws-role", tmp_dir, sources, FALSE);
    type_into (GTK_WIDGET (dialog), "Account Name", "Member");
    type_into (GTK_WIDGET (dialog), "Role ARN", "arn:aws:iam::12345:role/x");
    g_assert_nonnull (strstr (cu_account_dialog_get_message (dialog), "role ARN"));
    g_assert_false (cu_account_dialog_get_can_add (dialog));
    type_into (GTK_WIDGET (dialog), "Role ARN", "arn:aws:iam::123456789012:role/CostReader");
    g_assert_cmpstr (cu_account_dialog_get_message (dialog), ==, "");
    g_assert_true (cu_account_dialog_get_can_add (dialog));   /* no secret: signs with Payer keys */
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  /* each kind shows its own fields; cost tags are an AWS thing */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      CuAccountDialog *dialog = cu_account_dialog_new (kinds[i], tmp_dir, NULL, FALSE);
      GtkWidget *tags = GTK_WIDGET (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Cost Allocation Tags"));
      GtkWidget *group = gtk_widget_get_ancestor (tags, ADW_TYPE_PREFERENCES_GROUP);

      g_assert_cmpstr (cu_account_dialog_get_kind (dialog), ==, kinds[i]);
      g_assert_null (cu_account_dialog_get_editing (dialog));
      g_assert_false (cu_account_dialog_get_can_add (dialog));
      g_assert_true (gtk_widget_get_visible (group) == !g_str_equal (kinds[i], "azure-sp"));
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

/* ---- 1b. the row reads the batch status, not the error text ---- */

static void
test_row_status (void)
{
  CuAccountStatus status = {
    .name = (char *) "Status", .provider = (char *) "aws", .kind = (char *) "aws-keys",
    .identity = (char *) KEY_ID, .last_started_at = (char *) "2026-01-01T00:00:00Z",
    .last_finished_at = (char *) "2026-01-01T00:01:00Z",
  };
  const char *team_env[] = { "team", "env", NULL };
  CuAccountRow *row = g_object_ref_sink (cu_account_row_new (tmp_dir, &status));
  GtkWidget *error_row = GTK_WIDGET (find_row (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, "Last Error"));
  AdwActionRow *last_row = ADW_ACTION_ROW (find_row (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, "Last Sync"));
  AdwActionRow *tags_row = ADW_ACTION_ROW (find_row (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, "Cost Allocation Tags"));

  /* a failure whose reason happens to say "cancelled" is still a failure */
  status.last_status = (char *) "failed";
  status.last_error = (char *) "The connection was cancelled by the server";
  cu_account_row_set_status (row, &status);
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Sync failed"));
  g_assert_true (gtk_widget_get_visible (error_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (last_row), "failed and changed nothing"));

  /* a cancelled sync is no failure, and has no error to show */
  status.last_status = (char *) "cancelled";
  status.last_error = NULL;
  cu_account_row_set_status (row, &status);
  g_assert_null (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "failed"));
  g_assert_false (gtk_widget_get_visible (error_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (last_row), "was cancelled and changed nothing"));

  /* the cost tags an AWS account fetches */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tags_row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (tags_row), "None"));
  status.cost_tags = (char **) team_env;
  cu_account_row_set_status (row, &status);
  g_assert_cmpstr (adw_action_row_get_subtitle (tags_row), ==, "team, env");
  status.provider = (char *) "azure";
  status.kind = (char *) "azure-sp";
  status.cost_tags = NULL;
  cu_account_row_set_status (row, &status);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tags_row)));

  /* nothing else may hold the row once it is gone */
  g_assert_finalize_object (row);
}

/* ---- 2. add with validation ---- */

static gboolean
row_exists (gpointer data)
{
  return cu_accounts_page_get_row (page, data) != NULL && !cu_accounts_page_get_loading (page);
}

static void
test_add (void)
{
  CuAccountDialog *dialog;
  GtkWidget *key_row;
  g_autoptr(CuAccount) account = NULL;
  g_autofree char *key_id = NULL;
  g_auto(CuSecretString) stored = NULL;
  g_autoptr(GError) error = NULL;

  cu_accounts_page_set_workspace (page, workspace, FALSE);
  wait_loaded (page);
  /* the empty state explains and offers both ways in */
  assert_shown (window, "No Cost Data Yet");
  assert_shown (window, "Add Account");
  assert_shown (window, "Import Cost File…");
  spin (400);
  save_png (window, "accounts-empty-1280-light.png");

  /* a role needs an access-key account first */
  dialog = cu_accounts_page_add_account (page, "aws-role");
  g_assert_nonnull (strstr (cu_account_dialog_get_message (dialog), "access keys first"));
  g_assert_false (cu_account_dialog_get_can_add (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));

  dialog = cu_accounts_page_add_account (page, "aws-keys");
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (cu_account_dialog_get_workspace (dialog), ==, workspace);
  g_assert_cmpstr (cu_account_dialog_get_message (dialog), ==, "");   /* nothing typed, nothing wrong */

  type_into (GTK_WIDGET (dialog), "Account Name", ACCOUNT);
  type_into (GTK_WIDGET (dialog), "Access Key ID", "akia-not-a-key");
  key_row = GTK_WIDGET (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Access Key ID"));
  g_assert_true (gtk_widget_has_css_class (key_row, "error"));
  g_assert_nonnull (strstr (cu_account_dialog_get_message (dialog), "access key id"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Account Name")), "error"));
  g_assert_false (cu_account_dialog_get_can_add (dialog));
  assert_shown (GTK_WIDGET (dialog), cu_account_dialog_get_message (dialog));
  spin (100);
  save_png (GTK_WIDGET (dialog), "account-dialog-invalid.png");

  type_into (GTK_WIDGET (dialog), "Access Key ID", KEY_ID);
  g_assert_false (gtk_widget_has_css_class (key_row, "error"));
  g_assert_false (cu_account_dialog_get_can_add (dialog));   /* no secret yet */
  type_into (GTK_WIDGET (dialog), "Secret Access Key", SECRET);
  g_assert_true (cu_account_dialog_get_can_add (dialog));
  g_assert_cmpstr (cu_account_dialog_get_message (dialog), ==, "");

  gtk_widget_activate (GTK_WIDGET (find_button (GTK_WIDGET (dialog), "_Add")));
  g_assert_true (wait_for (not_toplevel, dialog, 30));
  g_assert_true (wait_for (row_exists, (gpointer) ACCOUNT, 30));
  spin (250);

  /* in the list … */
  assert_shown (window, ACCOUNT);
  assert_shown (window, "AWS access keys · Never synced");
  /* … in the ledger, without its secret … */
  account = ledger_account (workspace, ACCOUNT);
  g_assert_nonnull (account);
  g_assert_cmpstr (account->kind, ==, "aws-keys");
  key_id = cu_accounts_config_get (account, "access_key_id");
  g_assert_cmpstr (key_id, ==, KEY_ID);
  g_assert_null (strstr (account->config_json, SECRET));
  /* … and in the keyring, and nowhere on disk */
  stored = cu_secrets_lookup (ACCOUNT, CU_SECRET_AWS_SECRET_ACCESS_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, SECRET);
  assert_not_in_tree (workspace, SECRET);
  assert_not_in_tree (g_get_user_config_dir (), SECRET);
  assert_not_in_tree (g_get_user_cache_dir (), SECRET);
}

/* ---- 3. test connection and sync ---- */

#ifdef HAVE_MOCK_CLOUD
typedef struct {
  gboolean finished;
  gboolean ok;
  char    *summary;
  double   max_fraction;
  CuAccountRow *row;
} SyncWatch;

static void
sync_finished_cb (CuAccountRow *row,
                  gboolean      ok,
                  const char   *summary,
                  SyncWatch    *watch)
{
  watch->finished = TRUE;
  watch->ok = ok;
  g_free (watch->summary);
  watch->summary = g_strdup (summary);
}

static gboolean
sync_done (gpointer data)
{
  SyncWatch *watch = data;
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (watch->row), GTK_TYPE_PROGRESS_BAR, bars);
  for (guint i = 0; i < bars->len; i++)
    if (gtk_widget_is_drawable (g_ptr_array_index (bars, i)))
      watch->max_fraction = MAX (watch->max_fraction,
                                 gtk_progress_bar_get_fraction (g_ptr_array_index (bars, i)));
  return watch->finished && !cu_accounts_page_get_loading (page);
}

static gboolean
label_shows (gpointer data)
{
  g_autofree char *texts = visible_texts (window);
  return strstr (texts, data) != NULL;
}
#endif

static void
test_sync (void)
{
#ifdef HAVE_MOCK_CLOUD
  CuAccountRow *row = CU_ACCOUNT_ROW (cu_accounts_page_get_row (page, ACCOUNT));
  SyncWatch watch = { .row = row };
  g_autofree char *rows_text = NULL;
  gint64 n_rows, n_requests;
  gulong handler;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  /* the expander animates open: on a loaded machine it takes a while */
  wait_for (label_shows, (gpointer) KEY_ID, 30);
  assert_shown (window, KEY_ID);

  /* Test Connection: the mock knows these keys */
  cu_account_row_test_connection (row);
  g_assert_true (wait_for (label_shows, (gpointer) "Connected as", 30));

  /* the schedule syncs an account never synced, and only when on */
  g_settings_set_int (settings, "sync-interval-hours", 0);
  cu_accounts_page_set_settings (page, settings);
  g_assert_cmpuint (cu_accounts_page_sync_due (page), ==, 0);
  g_settings_set_int (settings, "sync-interval-hours", 6);
  {
    /* the page's spin button and the setting are one */
    g_autoptr(GPtrArray) spins = g_ptr_array_new ();

    collect_widgets (GTK_WIDGET (page), GTK_TYPE_SPIN_BUTTON, spins);
    g_assert_cmpuint (spins->len, ==, 1);
    g_assert_cmpfloat (gtk_spin_button_get_value (g_ptr_array_index (spins, 0)), ==, 6);
    gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 12);
    g_assert_cmpint (g_settings_get_int (settings, "sync-interval-hours"), ==, 12);
    g_settings_set_int (settings, "sync-interval-hours", 6);
    g_assert_cmpfloat (gtk_spin_button_get_value (g_ptr_array_index (spins, 0)), ==, 6);
  }

  handler = g_signal_connect (row, "sync-finished", G_CALLBACK (sync_finished_cb), &watch);
  g_assert_cmpuint (cu_accounts_page_sync_due (page), ==, 1);
  g_assert_true (cu_account_row_get_syncing (row));
  assert_shown (window, "Cancel Sync");
  g_assert_true (wait_for (sync_done, &watch, 120));
  if (!watch.ok)
    g_error ("sync failed: %s", watch.summary);
  g_test_message ("%s (progress reached %.0f%%)", watch.summary, watch.max_fraction * 100);
  g_assert_cmpfloat (watch.max_fraction, >, 0.0);
  g_assert_nonnull (strstr (watch.summary, "Cost Explorer requests"));
  g_assert_nonnull (strstr (watch.summary, "USD"));
  wait_loaded (page);

  /* the row shows what the ledger holds */
  n_rows = ledger_int (workspace, "SELECT COUNT(*) FROM cost_rows WHERE account_id ="
                                  " (SELECT id FROM accounts WHERE name = '" ACCOUNT "')");
  n_requests = ledger_int (workspace, "SELECT SUM(n_requests) FROM batches WHERE kind = 'sync'");
  g_assert_cmpint (n_rows, >, 0);
  g_assert_cmpint (n_requests, >, 0);
  rows_text = cu_account_format_count (n_rows);
  assert_shown (window, rows_text);
  assert_shown (window, "Cost Explorer Requests");
  assert_shown (window, "AWS access keys · Synced just now");
  /* synced a moment ago: not due again */
  g_assert_cmpuint (cu_accounts_page_sync_due (page), ==, 0);

  /* a cancelled sync leaves the ledger as it was */
  cu_mock_cloud_add_fault (mock, "ce", CU_MOCK_SLOW, 0, 100, 1500);
  watch.finished = FALSE;
  cu_account_row_sync (row);
  spin (400);
  gtk_widget_activate (GTK_WIDGET (find_button (GTK_WIDGET (row), "_Cancel Sync")));
  g_assert_true (wait_for (sync_done, &watch, 60));
  cu_mock_cloud_clear_faults (mock);
  g_assert_false (watch.ok);
  g_assert_nonnull (strstr (watch.summary, "cancelled"));
  g_assert_cmpint (ledger_int (workspace, "SELECT COUNT(*) FROM cost_rows WHERE account_id ="
                                          " (SELECT id FROM accounts WHERE name = '" ACCOUNT "')"), ==, n_rows);
  wait_loaded (page);
  /* cancelling is not a failure: the row still shows the last good sync */
  assert_shown (window, "AWS access keys · Synced just now");
  assert_shown (window, "was cancelled and changed nothing");
  assert_not_shown (window, "Last Error");
  g_assert_cmpint (ledger_int (workspace, "SELECT COUNT(*) FROM batches WHERE status = 'cancelled'"
                                          " AND error IS NULL"), ==, 1);

  /* a failure says why, in the row, and keeps the costs of the last sync */
  cu_mock_cloud_add_fault (mock, "ce", CU_MOCK_ACCESS_DENIED, 0, 1, 0);
  watch.finished = FALSE;
  cu_account_row_sync (row);
  g_assert_true (wait_for (sync_done, &watch, 60));
  cu_mock_cloud_clear_faults (mock);
  g_assert_false (watch.ok);
  g_test_message ("%s", watch.summary);
  wait_loaded (page);
  assert_shown (window, "AWS access keys · Sync failed just now");
  assert_shown (window, "Last Error");
  assert_shown (window, "failed and changed nothing");
  g_assert_cmpint (ledger_int (workspace, "SELECT COUNT(*) FROM cost_rows WHERE account_id ="
                                          " (SELECT id FROM accounts WHERE name = '" ACCOUNT "')"), ==, n_rows);
  g_signal_handler_disconnect (row, handler);
  g_free (watch.summary);
#else
  g_test_skip ("the mock cloud of tests/sync is not built");
#endif
}

/* ---- 3b. edit ---- */

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
        return GTK_WIDGET (w);
    }
  return NULL;
}

typedef struct {
  const char *name;
  const char *key_id;
} RowShows;

static gboolean
row_shows_key (gpointer data)
{
  RowShows *want = data;
  GtkWidget *row = cu_accounts_page_get_row (page, want->name);

  return row != NULL && !cu_accounts_page_get_loading (page) &&
         g_strcmp0 (cu_account_row_get_status (CU_ACCOUNT_ROW (row))->identity, want->key_id) == 0;
}

static CuAccountDialog *
open_edit_dialog (void)
{
  GtkWidget *row = cu_accounts_page_get_row (page, ACCOUNT);
  GtkButton *edit = find_button (row, "_Edit…");
  CuAccountDialog *dialog;

  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (edit)), ==, "accounts.edit");
  g_signal_emit_by_name (edit, "clicked");
  spin (200);
  dialog = CU_ACCOUNT_DIALOG (find_toplevel (CU_TYPE_ACCOUNT_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (cu_account_dialog_get_editing (dialog), ==, ACCOUNT);
  return dialog;
}

static void
save_and_wait (CuAccountDialog *dialog,
               const char      *key_id)
{
  RowShows want = { ACCOUNT, key_id };

  g_assert_true (cu_account_dialog_get_can_add (dialog));
  gtk_widget_activate (GTK_WIDGET (find_button (GTK_WIDGET (dialog), "_Save")));
  g_assert_true (wait_for (not_toplevel, dialog, 30));
  g_assert_true (wait_for (row_shows_key, &want, 30));
  spin (100);
}

static char *
keyring (const char *field)
{
  g_autoptr(GError) error = NULL;
  char *value = cu_secrets_lookup (ACCOUNT, field, NULL, &error);

  g_assert_no_error (error);
  return value;
}

static void
test_edit (void)
{
  CuAccountDialog *dialog;
  GtkWidget *tags_row;
  g_autofree char *stored_tags = NULL;
  const char *team_env[] = { "team", "env", NULL };

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (cu_accounts_page_get_row (page, ACCOUNT)), TRUE);
  spin (200);

  /* Edit opens the form filled in, secret empty, Save instead of Add */
  dialog = open_edit_dialog ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Account");
  g_assert_cmpstr (cu_account_dialog_get_workspace (dialog), ==, workspace);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Account Name"))), ==, ACCOUNT);
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Account Name"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Access Key ID"))), ==, KEY_ID);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Secret Access Key"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Cost Allocation Tags"))), ==, "");
  assert_shown (GTK_WIDGET (dialog), "Leave empty to keep the stored secret");
  g_assert_cmpstr (cu_account_dialog_get_message (dialog), ==, "");
  g_assert_true (cu_account_dialog_get_can_add (dialog));   /* nothing to type: the secret stays */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_button (GTK_WIDGET (dialog), "_Save"))));

  /* cost tags are checked as typed, with the core's rules */
  tags_row = GTK_WIDGET (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Cost Allocation Tags"));
  type_into (GTK_WIDGET (dialog), "Cost Allocation Tags", "team, cost$center");
  g_assert_true (gtk_widget_has_css_class (tags_row, "error"));
  g_assert_nonnull (strstr (cu_account_dialog_get_message (dialog), "$"));
  g_assert_false (cu_account_dialog_get_can_add (dialog));
  type_into (GTK_WIDGET (dialog), "Cost Allocation Tags", "team,,env");
  g_assert_true (gtk_widget_has_css_class (tags_row, "error"));
  g_assert_nonnull (strstr (cu_account_dialog_get_message (dialog), "empty"));
  type_into (GTK_WIDGET (dialog), "Cost Allocation Tags", "team, team");
  g_assert_nonnull (strstr (cu_account_dialog_get_message (dialog), "twice"));
  type_into (GTK_WIDGET (dialog), "Cost Allocation Tags", "team, env");
  g_assert_false (gtk_widget_has_css_class (tags_row, "error"));
  g_assert_cmpstr (cu_account_dialog_get_message (dialog), ==, "");

  /* the form at phone width, into the build dir */
  type_into (GTK_WIDGET (dialog), "Access Key ID", KEY_ID_2);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 900);
  gtk_window_present (GTK_WINDOW (dialog));
  spin (400);
  g_test_message ("edit dialog %d px wide for 360", gtk_widget_get_width (GTK_WIDGET (dialog)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 372);
  save_png (GTK_WIDGET (dialog), "account-dialog-edit-360.png");

  /* Save: a new key id and tags in the ledger, the keyring untouched */
  save_and_wait (dialog, KEY_ID_2);
  {
    g_autoptr(CuAccount) account = ledger_account (workspace, ACCOUNT);
    g_autofree char *key_id = cu_accounts_config_get (account, "access_key_id");
    g_auto(GStrv) tags = cu_accounts_get_cost_tags (account);
    g_auto(CuSecretString) secret = keyring (CU_SECRET_AWS_SECRET_ACCESS_KEY);

    g_assert_cmpstr (key_id, ==, KEY_ID_2);
    g_assert_cmpstrv (tags, team_env);
    g_assert_cmpstr (secret, ==, SECRET);
  }
  /* the row shows them */
  assert_shown (window, KEY_ID_2);
  assert_shown (window, "team, env");

  /* a new secret replaces the stored one; the tags stay as shown */
  dialog = open_edit_dialog ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Access Key ID"))), ==, KEY_ID_2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "Cost Allocation Tags"))), ==, "team, env");
  type_into (GTK_WIDGET (dialog), "Secret Access Key", "bad\nsecret");
  g_assert_false (cu_account_dialog_get_can_add (dialog));
  type_into (GTK_WIDGET (dialog), "Secret Access Key", SECRET_2);
  save_and_wait (dialog, KEY_ID_2);
  {
    g_autoptr(CuAccount) account = ledger_account (workspace, ACCOUNT);
    g_auto(GStrv) tags = cu_accounts_get_cost_tags (account);
    g_auto(CuSecretString) secret = keyring (CU_SECRET_AWS_SECRET_ACCESS_KEY);

    g_assert_cmpstr (secret, ==, SECRET_2);
    g_assert_cmpstrv (tags, team_env);
    g_assert_null (strstr (account->config_json, SECRET_2));
  }
  assert_not_in_tree (workspace, SECRET_2);
  assert_not_in_tree (g_get_user_config_dir (), SECRET_2);
  assert_not_in_tree (g_get_user_cache_dir (), SECRET_2);

  /* back to the keys the mock cloud knows, without tags: they connect */
  dialog = open_edit_dialog ();
  type_into (GTK_WIDGET (dialog), "Access Key ID", KEY_ID);
  type_into (GTK_WIDGET (dialog), "Secret Access Key", SECRET);
  type_into (GTK_WIDGET (dialog), "Cost Allocation Tags", "");
  save_and_wait (dialog, KEY_ID);
  {
    g_autoptr(CuAccount) account = ledger_account (workspace, ACCOUNT);
    g_auto(GStrv) tags = cu_accounts_get_cost_tags (account);
    g_auto(CuSecretString) secret = keyring (CU_SECRET_AWS_SECRET_ACCESS_KEY);

    g_assert_cmpuint (g_strv_length (tags), ==, 0);
    g_assert_cmpstr (secret, ==, SECRET);
  }
#ifdef HAVE_MOCK_CLOUD
  cu_account_row_test_connection (CU_ACCOUNT_ROW (cu_accounts_page_get_row (page, ACCOUNT)));
  g_assert_true (wait_for (label_shows, (gpointer) "Connected as", 30));
#endif
}

/* ---- 4. import ---- */

static gboolean
import_finished (gpointer data)
{
  return !cu_import_dialog_get_running (CU_IMPORT_DIALOG (data));
}

static CuImportDialog *import_dialog;

static void
test_import (void)
{
  const char *shared = g_getenv ("CUMULUS_SHARED_DIR");
  g_autofree char *path = NULL;
  g_autofree char *broken_path = NULL;
  g_autofree char *broken_result = NULL;
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 before, after;
  guint n_currencies = 0;

  g_assert_nonnull (shared);
  path = g_build_filename (shared, "testdata", "focus", "sample-focus.csv", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  file = g_file_new_for_path (path);
  g_list_store_append (files, file);

  /* and a broken export: its first data row is good, its second is not */
  {
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *broken_text = NULL;
    g_autoptr(GFile) broken = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\n", 3);
    broken_text = g_strdup_printf ("%s\n%s\nx,y\n", lines[0], lines[1]);
    broken_path = g_build_filename (tmp_dir, "broken-export.csv", NULL);
    g_assert_true (g_file_set_contents (broken_path, broken_text, -1, NULL));
    broken = g_file_new_for_path (broken_path);
    g_list_store_append (files, broken);
  }

  before = ledger_int (workspace, "SELECT COALESCE(SUM(BilledCost), 0) FROM cost_rows");

  import_dialog = cu_import_dialog_new (GTK_WINDOW (window), workspace);
  gtk_window_set_default_size (GTK_WINDOW (import_dialog), 560, 520);
  gtk_window_present (GTK_WINDOW (import_dialog));
  /* what the file chooser's answer calls */
  cu_import_dialog_import_files (import_dialog, G_LIST_MODEL (files));
  g_assert_true (cu_import_dialog_get_running (import_dialog));
  g_assert_true (wait_for (import_finished, import_dialog, 60));
  g_assert_cmpuint (cu_import_dialog_get_n_imported (import_dialog), ==, 1);
  spin (200);

  text = cu_import_dialog_get_file_text (import_dialog, 0);
  g_test_message ("import result: %s", text);
  g_assert_nonnull (strstr (text, "FOCUS"));
  g_assert_nonnull (strstr (text, "cost rows"));
  assert_shown (GTK_WIDGET (import_dialog), "Imported 1 of 2 files");

  /* the other file's error names file, line and problem */
  broken_result = cu_import_dialog_get_file_text (import_dialog, 1);
  g_test_message ("broken file: %s", broken_result);
  g_assert_nonnull (strstr (broken_result, "Not imported"));
  g_assert_nonnull (strstr (broken_result, "broken-export.csv, line 3: "));
  g_assert_nonnull (strstr (broken_result, "43"));

  after = ledger_int (workspace, "SELECT COALESCE(SUM(BilledCost), 0) FROM cost_rows");
  g_assert_cmpint (after, !=, before);

  /* every total of the file is shown with its currency, to the cent */
  ledger = cu_ledger_open (workspace, NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger),
                                       "SELECT BillingCurrency, SUM(BilledCost) FROM cost_rows"
                                       " WHERE account_id IN (SELECT id FROM accounts WHERE kind = 'import')"
                                       " GROUP BY 1", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *currency = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *amount = cu_money_format_display (sqlite3_column_int64 (stmt, 1), currency);
      g_autofree char *with_code = g_strdup_printf ("%s %s", amount, currency);

      if (strstr (text, amount) == NULL || (strstr (amount, currency) == NULL && strstr (text, with_code) == NULL))
        g_error ("the import result does not show %s %s:\n%s", amount, currency, text);
      n_currencies++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_currencies, >, 0);
  g_assert_cmpint (after - before, ==, ledger_int (workspace, "SELECT SUM(BilledCost) FROM cost_rows WHERE account_id IN"
                                                              " (SELECT id FROM accounts WHERE kind = 'import')"));

  save_png (GTK_WIDGET (import_dialog), "import-dialog.png");
  gtk_window_close (GTK_WINDOW (import_dialog));
  g_assert_true (wait_for (not_toplevel, import_dialog, 10));

  /* the page lists the imported billing accounts */
  cu_accounts_page_reload (page);
  wait_loaded (page);
  assert_shown (window, "Imported Files");
  assert_shown (window, "sample-focus.csv");
}

static void
test_import_cancel (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CUMULUS_SHARED_DIR"), "testdata", "focus",
                                            "sample-focus.csv", NULL);
  g_autofree char *big_path = g_build_filename (tmp_dir, "big-export.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  CuImportDialog *dialog;
  gint64 before;

  /* big enough that Cancel comes long before the end */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", 3);
  g_string_append_printf (big, "%s\n", lines[0]);
  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (big, "%s\n", lines[1]);
  g_assert_true (g_file_set_contents (big_path, big->str, big->len, NULL));
  file = g_file_new_for_path (big_path);
  g_list_store_append (files, file);
  g_list_store_append (files, file);

  before = ledger_int (workspace, "SELECT COALESCE(SUM(BilledCost), 0) FROM cost_rows");
  dialog = cu_import_dialog_new (GTK_WINDOW (window), workspace);
  gtk_window_present (GTK_WINDOW (dialog));
  cu_import_dialog_import_files (dialog, G_LIST_MODEL (files));
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), "_Cancel"), "clicked");
  g_assert_true (wait_for (import_finished, dialog, 60));

  g_assert_cmpuint (cu_import_dialog_get_n_imported (dialog), ==, 0);
  text = cu_import_dialog_get_file_text (dialog, 1);
  g_assert_nonnull (strstr (text, "cancelled"));
  g_assert_cmpint (ledger_int (workspace, "SELECT COALESCE(SUM(BilledCost), 0) FROM cost_rows"), ==, before);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_unlink (big_path);
}

/* ---- 5. screenshots ---- */

static void
shoot_at (int width)
{
  CuAccountRow *row = CU_ACCOUNT_ROW (cu_accounts_page_get_row (page, ACCOUNT));
  g_autofree char *light = g_strdup_printf ("accounts-%d-light.png", width);
  g_autofree char *dark = g_strdup_printf ("accounts-%d-dark.png", width);

  gtk_window_set_default_size (GTK_WINDOW (window), width, 1500);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  spin (400);
  /* the page fits: the window is not forced wider than asked (a few px of
   * frame aside) */
  g_test_message ("window %d px wide for %d", gtk_widget_get_width (window), width);
  g_assert_cmpint (ABS (gtk_widget_get_width (window) - width), <=, 12);

  set_dark (FALSE);
  save_png (window, light);
  set_dark (TRUE);
  save_png (window, dark);
  set_dark (FALSE);
}

static void
test_screenshots (void)
{
  shoot_at (1280);
  shoot_at (360);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 1500);
  spin (200);
}

/* ---- 6. remove ---- */

static gboolean
row_gone (gpointer data)
{
  return cu_accounts_page_get_row (page, data) == NULL && !cu_accounts_page_get_loading (page);
}

static void
test_remove (void)
{
  AdwMessageDialog *dialog;
  g_autoptr(CuAccount) still = NULL;
  g_autoptr(CuAccount) gone = NULL;
  g_auto(CuSecretString) secret = NULL;
  g_autoptr(GError) error = NULL;

  /* the Remove button asks first */
  {
    GtkButton *remove = find_button (cu_accounts_page_get_row (page, ACCOUNT), "_Remove…");

    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (remove)), ==, "accounts.remove");
    g_signal_emit_by_name (remove, "clicked");
  }
  spin (200);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint n = 0;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
        if (ADW_IS_MESSAGE_DIALOG (w))
          {
            g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w)), ACCOUNT));
            adw_message_dialog_response (ADW_MESSAGE_DIALOG (w), "cancel");
            n++;
          }
      }
    g_assert_cmpuint (n, ==, 1);
  }
  spin (200);
  still = ledger_account (workspace, ACCOUNT);
  g_assert_nonnull (still);

  dialog = cu_accounts_page_remove_account (page, ACCOUNT);
  gtk_window_present (GTK_WINDOW (dialog));
  adw_message_dialog_response (dialog, "remove");
  g_assert_true (wait_for (row_gone, (gpointer) ACCOUNT, 30));

  gone = ledger_account (workspace, ACCOUNT);
  g_assert_null (gone);
  secret = cu_secrets_lookup (ACCOUNT, CU_SECRET_AWS_SECRET_ACCESS_KEY, NULL, &error);
  g_assert_null (secret);
  /* imported files stay */
  assert_shown (window, "Imported Files");
  assert_shown (window, "No cloud accounts");
}

/* ---- 7. the demo stays a demo ---- */

static gboolean
page_on_workspace (gpointer data)
{
  return g_strcmp0 (cu_accounts_page_get_workspace (page), data) == 0 && !cu_accounts_page_get_loading (page);
}

static void
test_demo (void)
{
  g_autofree char *demo = g_build_filename (tmp_dir, "demo", NULL);
  g_autofree char *own = cu_workspace_default_dir ();
  g_autoptr(GError) error = NULL;
  CuAccountDialog *dialog;
  gint64 demo_accounts;

  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (demo, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cu_ledger_add_account (ledger, "Sample Retail", "aws", "demo", "123456789012",
                                            "{\"demo\":true}", &error), >, 0);
    g_assert_no_error (error);
  }
  g_assert_false (cu_workspace_exists (own));

  cu_accounts_page_set_workspace (page, demo, TRUE);
  wait_loaded (page);
  assert_shown (window, "Sample Data");
  assert_shown (window, "Sample Retail");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 1500);
  spin (300);
  save_png (window, "accounts-demo-360-light.png");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 1500);
  demo_accounts = ledger_int (demo, "SELECT COUNT(*) FROM accounts");

  dialog = cu_accounts_page_add_account (page, "aws-keys");
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (cu_account_dialog_get_workspace (dialog), ==, own);
  assert_shown (GTK_WIDGET (dialog), "starts your own workspace");
  type_into (GTK_WIDGET (dialog), "Account Name", "Staging");
  type_into (GTK_WIDGET (dialog), "Access Key ID", KEY_ID);
  type_into (GTK_WIDGET (dialog), "Secret Access Key", SECRET);
  cu_account_dialog_add (dialog);
  g_assert_true (wait_for (not_toplevel, dialog, 30));
  g_assert_true (wait_for (page_on_workspace, own, 30));
  g_assert_false (cu_accounts_page_get_is_demo (page));

  g_assert_cmpint (ledger_int (demo, "SELECT COUNT(*) FROM accounts"), ==, demo_accounts);
  g_assert_cmpint (ledger_int (own, "SELECT COUNT(*) FROM accounts WHERE name = 'Staging'"), ==, 1);
  g_assert_nonnull (cu_accounts_page_get_row (page, "Staging"));

  /* leave the keyring as found */
  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (own, NULL);
    g_assert_true (cu_accounts_remove (ledger, "Staging", NULL, NULL));
  }
}

/* ---- 8. win.import ---- */

static void
test_import_action (void)
{
  CuWindow *bare = g_object_ref_sink (g_object_new (CU_TYPE_WINDOW, NULL));
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkFileChooser *chooser = NULL;
  g_autoptr(GListModel) filters = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bare), "win.import", NULL));
  spin (200);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (GTK_IS_FILE_CHOOSER_DIALOG (w))
        chooser = GTK_FILE_CHOOSER (w);
    }
  g_assert_nonnull (chooser);
  g_assert_true (gtk_file_chooser_get_select_multiple (chooser));
  filters = gtk_file_chooser_get_filters (chooser);
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 4);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  spin (200);
  g_assert_false (is_toplevel (chooser));

  gtk_window_destroy (GTK_WINDOW (bare));
  g_object_unref (bare);
}

/* ---- 9. in the main window ---- */

static gboolean
window_has_workspace (gpointer data)
{
  return cu_window_get_workspace (CU_WINDOW (data)) != NULL;
}

static void
test_window (void)
{
  g_autoptr(GError) error = NULL;
  CuApplication *app = cu_application_new ();
  GSettings *app_settings;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *own = cu_workspace_default_dir ();
  GtkWidget *accounts_row = NULL;
  CuAccountsPage *p;
  CuWindow *w;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  app_settings = cu_application_get_settings (app);
  g_settings_set_int (app_settings, "window-width", 360);
  g_settings_set_int (app_settings, "window-height", 900);

  /* the user's own workspace exists now (test 7): the window opens it */
  w = cu_window_new (app);
  gtk_window_present (GTK_WINDOW (w));
  g_assert_true (wait_for (window_has_workspace, w, 60));
  g_assert_cmpstr (cu_window_get_workspace (w), ==, own);

  collect_widgets (GTK_WIDGET (w), CU_TYPE_ACCOUNTS_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  p = g_ptr_array_index (pages, 0);
  g_assert_cmpstr (cu_accounts_page_get_workspace (p), ==, own);
  g_assert_false (cu_accounts_page_get_is_demo (p));

  /* the sidebar leads to the page */
  collect_widgets (GTK_WIDGET (w), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (rows, i)), "accounts") == 0)
      accounts_row = g_ptr_array_index (rows, i);
  g_assert_nonnull (accounts_row);
  g_signal_emit_by_name (gtk_widget_get_parent (accounts_row), "row-activated", accounts_row);
  wait_loaded (p);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (p)));

  /* win.import is there for the page's buttons */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (find_button (GTK_WIDGET (p), "_Import Cost File…"))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p), "window.reload", NULL));
  wait_loaded (p);
  save_png (GTK_WIDGET (w), "accounts-window-360-light.png");

  /* an import into the window's workspace lands on every page */
  {
    g_autofree char *path = g_build_filename (g_getenv ("CUMULUS_SHARED_DIR"), "testdata", "focus",
                                              "sample-focus.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
    CuImportDialog *dialog = cu_import_dialog_new (GTK_WINDOW (w), own);

    g_list_store_append (files, file);
    gtk_window_present (GTK_WINDOW (dialog));
    cu_import_dialog_import_files (dialog, G_LIST_MODEL (files));
    g_assert_true (wait_for (import_finished, dialog, 60));
    wait_loaded (p);
    gtk_window_destroy (GTK_WINDOW (dialog));
    spin (300);
    assert_shown (GTK_WIDGET (w), "AWS billing account");
  }

  gtk_window_destroy (GTK_WINDOW (w));
  spin (100);
  g_object_unref (app);
}

/* ---- 10. linked accounts and overlaps ---- */

/* Writes a day's costs of each of @linked for [first, last] as a sync of
 * @account would. */
static void
write_costs (CuLedger            *ledger,
             gint64               account,
             const char          *batch_kind,
            const char * const  *linked,
            CuDay                first,
            CuDay                last)
{
  g_autoptr(GError) error = NULL;
  CuLedgerWriter *w = cu_ledger_writer_begin (ledger, account, batch_kind, "test", first, last, &error);

  g_assert_no_error (error);
  for (CuDay d = first; d <= last; d++)
    for (guint l = 0; linked[l] != NULL; l++)
      {
        CuCostRow row = { 0 };
        char day[11];
        g_autofree char *name = g_strdup_printf ("member-%.3s", linked[l]);

        cu_day_format (d, day);
        row.charge_period_start = day;
        row.billed_cost = 1250000 + d % 7 * 10000;
        row.effective_cost = row.billed_cost;
        row.billing_currency = "USD";
        row.provider_name = "AWS";
        row.sub_account_id = linked[l];
        row.sub_account_name = name;
        row.service_name = "Amazon Elastic Compute Cloud";
        row.region_id = "us-east-1";
        g_assert_true (cu_ledger_writer_add (w, &row, &error));
        g_assert_no_error (error);
      }
  g_assert_true (cu_ledger_writer_commit (w, &error));
  g_assert_no_error (error);
}

/* A workspace with the payer's keys and, added after it, a role; @shared
 * says whether the role sees the payer's linked accounts too, and whether a
 * cost export file holds 20 of those days of one of them. */
static char *
coverage_workspace (gboolean shared)
{
  static const char * const payer_sees[] = { "111111111111", "222222222222", NULL };
  static const char * const role_shared[] = { "111111111111", "222222222222", "333333333333", NULL };
  static const char * const role_alone[] = { "333333333333", NULL };
  char *dir = cu_test_make_tmp_dir (shared ? "cumulus-overlap" : "cumulus-no-overlap");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (dir, &error);
  gint64 payer, role;

  g_assert_no_error (error);
  payer = cu_ledger_add_account (ledger, "payer-keys", "aws", "aws-keys", "999999999999",
                                 "{\"access_key_id\":\"" KEY_ID "\"}", &error);
  g_assert_no_error (error);
  role = cu_ledger_add_account (ledger, "role-prod", "aws", "aws-role", "999999999999",
                                "{\"role_arn\":\"arn:aws:iam::999999999999:role/CumulusRead\","
                                "\"source\":\"payer-keys\"}", &error);
  g_assert_no_error (error);
  /* 120 days: 4 Oct 2024 to 31 Jan 2025 */
  write_costs (ledger, payer, "sync", payer_sees, 20000, 20119);
  write_costs (ledger, role, "sync", shared ? role_shared : role_alone, 20000, 20119);
  if (shared)
    {
      static const char * const file_holds[] = { "111111111111", NULL };
      gint64 file = cu_ledger_add_account (ledger, "import:aws:999999999999", "aws", "import", NULL, NULL, &error);

      g_assert_no_error (error);
      /* 30 days, the last 20 of which the syncs hold too */
      write_costs (ledger, file, "import", file_holds, 19990, 20019);
    }
  return dir;
}

static void
expand_all (CuAccountsPage *p)
{
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (cu_accounts_page_get_row (p, "payer-keys")), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (cu_accounts_page_get_row (p, "role-prod")), TRUE);
  spin (500);
}

/* With both rows open the page is taller than the screen: the second pair
 * of shots has the payer's row closed, so the role's linked accounts show. */
static void
shoot_coverage (GtkWidget  *win,
                GtkWidget  *payer_row,
                int         width)
{
  g_autofree char *light = g_strdup_printf ("accounts-overlap-%d-light.png", width);
  g_autofree char *dark = g_strdup_printf ("accounts-overlap-%d-dark.png", width);
  g_autofree char *light_rows = g_strdup_printf ("accounts-overlap-role-%d-light.png", width);
  g_autofree char *dark_rows = g_strdup_printf ("accounts-overlap-role-%d-dark.png", width);

  gtk_window_set_default_size (GTK_WINDOW (win), width, 1400);
  spin (400);
  g_test_message ("window %d px wide for %d", gtk_widget_get_width (win), width);
  g_assert_cmpint (ABS (gtk_widget_get_width (win) - width), <=, 12);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (payer_row), TRUE);
  spin (400);
  set_dark (FALSE);
  save_png (win, light);
  set_dark (TRUE);
  save_png (win, dark);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (payer_row), FALSE);
  spin (400);
  save_png (win, dark_rows);
  set_dark (FALSE);
  save_png (win, light_rows);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (payer_row), TRUE);
  spin (400);
}

static void
test_coverage (void)
{
  g_autofree char *overlap_dir = coverage_workspace (TRUE);
  g_autofree char *plain_dir = coverage_workspace (FALSE);
  GtkWidget *win = adw_window_new ();
  CuAccountsPage *p = CU_ACCOUNTS_PAGE (cu_accounts_page_new ());
  GtkWidget *payer_row, *role_row;

  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 1400);
  adw_window_set_content (ADW_WINDOW (win), GTK_WIDGET (p));
  gtk_window_present (GTK_WINDOW (win));

  cu_accounts_page_set_workspace (p, overlap_dir, FALSE);
  wait_loaded (p);
  expand_all (p);
  payer_row = cu_accounts_page_get_row (p, "payer-keys");
  role_row = cu_accounts_page_get_row (p, "role-prod");

  /* the payer, added first, counts; the role's copy is kept, not counted */
  assert_shown (payer_row, "Shadows role-prod on 120 days: this copy counts");
  assert_shown (role_row, "Shadowed by payer-keys on 120 days: its copy counts");
  assert_not_shown (payer_row, "Shadowed by");
  /* each row lists what it covers, the role's own member with no overlap */
  assert_shown (payer_row, "2 linked accounts · 2 also held by another source; these copies count");
  assert_shown (role_row, "3 linked accounts · 2 shadowed by another source, whose copies count");
  assert_not_shown (role_row, "these copies count");
  assert_shown (role_row, "member-333");
  assert_shown (role_row, "333333333333 · 120 days");
  assert_not_shown (payer_row, "333333333333");
  /* an API sync wins over the file, which says so in its own row */
  assert_shown (payer_row, "Shadows the AWS billing account 999999999999 (file) on 20 days: this copy counts");
  assert_shown (role_row, "Also held by the AWS billing account 999999999999 (file); neither copy shadows the other");
  assert_shown (GTK_WIDGET (p), "1 linked account is shadowed by payer-keys on up to 20 days, whose copy counts");
  /* the summary a screen reader reads for one linked account */
  {
    CuLinkedOverlap o = { .other = (char *) "payer-keys", .relation = CU_LINKED_SHADOWED_BY, .n_days = 1 };
    g_autofree char *one = cu_linked_overlap_describe (&o);
    g_assert_cmpstr (one, ==, "Shadowed by payer-keys on 1 day: its copy counts");
  }
  shoot_coverage (win, payer_row, 1280);
  shoot_coverage (win, payer_row, 360);

  /* without overlap: linked accounts, and not a word of shadowing */
  cu_accounts_page_set_workspace (p, plain_dir, FALSE);
  wait_loaded (p);
  g_assert_true (wait_for (page_loaded, p, 30));
  expand_all (p);
  assert_shown (GTK_WIDGET (p), "2 linked accounts, held by no other source");
  assert_shown (GTK_WIDGET (p), "1 linked account, held by no other source");
  assert_shown (GTK_WIDGET (p), "member-111");
  assert_not_shown (GTK_WIDGET (p), "Shadow");
  assert_not_shown (GTK_WIDGET (p), "also held");

  gtk_window_destroy (GTK_WINDOW (win));
  spin (100);
  cu_test_remove_tree (overlap_dir);
  cu_test_remove_tree (plain_dir);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *own = NULL;
  int status;

  tmp_dir = g_dir_make_tmp ("cumulus-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  workspace = g_build_filename (tmp_dir, "workspace", NULL);
  own = g_build_filename (tmp_dir, "own", NULL);
  g_setenv ("CUMULUS_WORKSPACE", own, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("CUMULUS_HTTP_BACKOFF_MS", "20", TRUE);
  g_setenv ("CUMULUS_HTTP_TIMEOUT", "5", TRUE);
  g_setenv ("CUMULUS_HTTP_MAX_ATTEMPTS", "3", TRUE);
  g_unsetenv ("https_proxy");
  g_unsetenv ("http_proxy");
  g_unsetenv ("all_proxy");

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_print ("1..0 # SKIP needs a session bus with gnome-keyring (tests/common/keyring-run.sh --xvfb)\n");
      return 0;
    }

#ifdef HAVE_MOCK_CLOUD
  mock = cu_mock_cloud_new ();
  g_setenv ("CUMULUS_AWS_ENDPOINT", cu_mock_cloud_get_url (mock), TRUE);
  g_setenv ("CUMULUS_AZURE_ENDPOINT", cu_mock_cloud_get_url (mock), TRUE);
  g_setenv ("CUMULUS_AZURE_LOGIN_ENDPOINT", cu_mock_cloud_get_url (mock), TRUE);
  cu_mock_cloud_add_aws_user (mock, KEY_ID, SECRET);
#endif

  gtk_init ();
  adw_init ();
  g_assert_nonnull (cumulus_get_resource ());
  settings = g_settings_new (APP_ID_SCHEMA);

  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, &error);
    g_assert_no_error (error);
  }

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 1500);
  page = CU_ACCOUNTS_PAGE (cu_accounts_page_new ());
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  set_dark (FALSE);

  g_test_add_func ("/accounts/templates", test_templates);
  g_test_add_func ("/accounts/row-status", test_row_status);
  g_test_add_func ("/accounts/add", test_add);
  g_test_add_func ("/accounts/sync", test_sync);
  g_test_add_func ("/accounts/edit", test_edit);
  g_test_add_func ("/accounts/import", test_import);
  g_test_add_func ("/accounts/import-cancel", test_import_cancel);
  g_test_add_func ("/accounts/screenshots", test_screenshots);
  g_test_add_func ("/accounts/remove", test_remove);
  g_test_add_func ("/accounts/demo", test_demo);
  g_test_add_func ("/accounts/import-action", test_import_action);
  g_test_add_func ("/accounts/window", test_window);

  g_test_add_func ("/accounts/coverage", test_coverage);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  spin (100);
  g_clear_object (&settings);
#ifdef HAVE_MOCK_CLOUD
  cu_mock_cloud_free (mock);
#endif
  cu_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (workspace);
  return status;
}
