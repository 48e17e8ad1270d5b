/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pages.c — the analytics pages and the analysis job on a real (Xvfb) display
 *
 * A demo workspace ending 2026-10-31, "today" 2026-11-01, one budget added
 * through the core API. Then:
 *  1. the analysis job fits forecasts, flags anomalies, records budget
 *     alerts, collects the notifications (newest anomalies, one per budget)
 *     and marks them notified — a second run announces nothing again;
 *  2. each page (Cost Explorer, Forecast, Anomalies, Budgets) is put in a
 *     window, pointed at the workspace and checked against the core API:
 *     October's total by service, a month-end projection, the newest
 *     anomaly selected and acknowledged, the budget's percentage; the
 *     Explorer's CSV export matches `cumulus-cli costs`;
 *  3. every page is rendered at 1280 and 360 px wide, light and dark, to
 *     pages-<page>-<width>-<style>.png in the build dir.
 * Instantiating each class loads each .ui template; fatal-warnings is on.
 */
#include <adwaita.h>

#include "store/cu-ledger-private.h"
#include "analysis/cu-analysis.h"
#include "analysis/cu-budgets.h"
#include "analysis/cu-projection.h"
#include "cu-analysis-job.h"
#include "cu-anomalies-page.h"
#include "analysis/cu-incidents.h"
#include "cu-application.h"
#include "cu-budget-dialog.h"
#include "cu-budgets-page.h"
#include <string.h>

#include "cu-explorer-page.h"
#include "cu-pivot-view.h"
#include "cu-format.h"
#include "cu-forecast-page.h"
#include "cu-gui-test-util.h"
#include "cu-series-chart.h"
#include "store/cu-cost-query.h"
#include "store/cu-ledger.h"
#include "util/cu-money.h"

#define TODAY "2026-11-01"
#define BUDGET_NAME "Cloud total, monthly"

static CuApplication *app;
static char *tmp_dir;
static char *workspace;

/* ---- helpers ---- */

static void
assert_shown (GtkWidget  *root,
              const char *expected)
{
  g_autofree char *texts = cu_test_visible_texts (root);

  cu_test_assert_text_shown (texts, expected);
}

static void
assert_not_shown (GtkWidget  *root,
                  const char *unexpected)
{
  g_autofree char *texts = cu_test_visible_texts (root);

  if (strstr (texts, unexpected) != NULL)
    g_error ("“%s” is shown but should not be; shown:\n%s", unexpected, texts);
}

static GtkWidget *
page_window (GtkWidget *page,
             int        width,
             int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()) == dark);
}

/* Renders the page's whole content (cropped to it) into the build dir. */
static void
shoot (GtkWidget  *window,
       const char *name,
       int         width,
       const char *style)
{
  g_autoptr(GPtrArray) clamps = g_ptr_array_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GskRenderer *renderer;
  int nat = 0, height;

  cu_test_spin (400);   /* layout, charts, transitions */
  cu_test_collect_widgets (window, ADW_TYPE_CLAMP, clamps);
  g_assert_cmpuint (clamps->len, >=, 1);
  gtk_widget_measure (g_ptr_array_index (clamps, 0), GTK_ORIENTATION_VERTICAL,
                      gtk_widget_get_width (window), NULL, &nat, NULL, NULL);
  height = MIN (nat, gtk_widget_get_height (window));
  g_assert_cmpint (gtk_widget_get_width (window), ==, width);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot,
                             &(GdkRGBA) { 0, 0, 0, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  file = g_strdup_printf ("pages-%s-%d-%s.png", name, width, style);
  cu_test_save_png (texture, file);
}

typedef void (*PageCheck) (GtkWidget *page);

/* The page in a window at each size and style: loaded, checked, shot. */
static void
run_page (const char *name,
          GtkWidget  *(*make) (void),
          PageCheck   check)
{
  static const struct { int width, height; } sizes[] = { { 1280, 2400 }, { 360, 4200 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GtkWidget *page = make ();
      GtkWidget *window = page_window (page, sizes[i].width, sizes[i].height);

      set_dark (FALSE);
      cu_page_set_workspace (CU_PAGE (page), workspace);
      g_assert_true (cu_test_wait_property_false (page, "loading", 60));
      if (check != NULL && i == 0)
        check (page);
      shoot (window, name, sizes[i].width, "light");
      set_dark (TRUE);
      shoot (window, name, sizes[i].width, "dark");
      set_dark (FALSE);
      gtk_window_destroy (GTK_WINDOW (window));
      cu_test_spin (50);
    }
}

static sqlite3_int64
count (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, &error);
  sqlite3_stmt *stmt = NULL;
  sqlite3_int64 n = -1;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (cu_ledger_get_db (ledger), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gint64
october_total (const char **currency)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, &error);
  g_autoptr(GPtrArray) cells = NULL;
  CuCostQuery q;
  gint64 total = 0;

  g_assert_no_error (error);
  cu_cost_query_init (&q);
  q.from = cu_day_from_ymd (2026, 10, 1);
  q.to = cu_day_from_ymd (2026, 10, 31);
  q.granularity = CU_GRANULARITY_TOTAL;
  cells = cu_ledger_query_costs (ledger, &q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cells->len, >=, 1);
  for (guint i = 0; i < cells->len; i++)
    if (g_str_equal (((CuCostCell *) cells->pdata[i])->currency, "USD"))
      total += ((CuCostCell *) cells->pdata[i])->billed;
  if (currency)
    *currency = "USD";
  return total;
}

/* ---- 1. the analysis job ---- */

static void
test_analysis_job (void)
{
  g_autoptr(CuAnalysisJob) job = cu_analysis_job_new (NULL);
  const char * const *titles;
  gboolean anomaly = FALSE, budget = FALSE;
  gint64 min_impact = (gint64) (CU_ANALYSIS_MIN_IMPACT * CU_MICROS_PER_UNIT);
  g_autofree char *pending_sql = g_strdup_printf ("SELECT COUNT(*) FROM anomalies WHERE notified = 0"
                                                  " AND status = 'new' AND impact >= %" G_GINT64_FORMAT,
                                                  min_impact);

  cu_analysis_job_start (job, workspace);
  g_assert_true (cu_analysis_job_get_running (job));
  g_assert_true (cu_test_wait_property_false (job, "running", 120));
  g_assert_null (cu_analysis_job_get_error (job));

  g_assert_cmpint (count ("SELECT COUNT(*) FROM forecast_models WHERE series_kind = 'total'"), ==, 1);
  g_assert_cmpint (count ("SELECT COUNT(*) FROM anomalies"), >=, 1);
  g_assert_cmpint (count ("SELECT COUNT(*) FROM budget_alerts"), >=, 1);

  titles = cu_analysis_job_get_notifications (job);
  g_assert_nonnull (titles);
  for (guint i = 0; titles[i] != NULL; i++)
    {
      g_test_message ("notification: %s", titles[i]);
      anomaly |= g_str_has_prefix (titles[i], "Cost anomaly: ");
      budget |= g_str_has_prefix (titles[i], "Budget “" BUDGET_NAME "”");
    }
  g_assert_true (anomaly);
  g_assert_true (budget);
  /* the newest few one by one, the rest summarised: never a flood; at
   * most one per budget (the demo's two and the one added) */
  g_assert_cmpuint (g_strv_length ((char **) titles), <=, 3 + 1 + 3);

  /* all announced, and marked so */
  g_assert_cmpint (count (pending_sql), ==, 0);
  g_assert_cmpint (count ("SELECT COUNT(*) FROM budget_alerts WHERE notified = 0"), ==, 0);
  /* notices are per incident, named after its root cause */
  g_assert_cmpint (count ("SELECT COUNT(*) FROM incidents WHERE notified = 0 AND status = 'new'"
                          " AND impact >= 50000000"), ==, 0);
  {
    g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, NULL);
    g_autoptr(GPtrArray) incidents = cu_incidents_list (ledger, FALSE, NULL);
    g_autofree char *title = NULL;
    const CuIncident *newest = NULL;

    g_assert_nonnull (incidents);
    for (guint i = 0; newest == NULL && i < incidents->len; i++)
      if (((CuIncident *) incidents->pdata[i])->impact >= min_impact)
        newest = incidents->pdata[i];
    g_assert_nonnull (newest);
    title = g_strdup_printf ("Cost anomaly: %s", newest->root_cause);
    g_assert_true (g_strv_contains (titles, title));
  }

  /* a second run has nothing new to say */
  cu_analysis_job_start (job, workspace);
  g_assert_true (cu_test_wait_property_false (job, "running", 120));
  g_assert_null (cu_analysis_job_get_error (job));
  g_assert_cmpuint (g_strv_length ((char **) cu_analysis_job_get_notifications (job)), ==, 0);
  g_assert_cmpuint (cu_analysis_job_get_n_runs (job), ==, 2);
}

/* ---- 2. the pages ---- */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cu_explorer_page_export_finish (CU_EXPLORER_PAGE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static void
check_explorer (GtkWidget *widget)
{
  CuExplorerPage *page = CU_EXPLORER_PAGE (widget);
  CuDay from = cu_day_from_ymd (2026, 10, 1), to = cu_day_from_ymd (2026, 10, 31);
  const char *currency = NULL;
  gint64 expected = october_total (NULL);
  g_autofree char *money = cu_money_format_display (expected, "USD");
  g_autofree char *csv_path = g_build_filename (tmp_dir, "october.csv", NULL);
  g_autofree char *cli_path = g_build_filename (tmp_dir, "october-cli.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *cli = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  int status = 0;

  /* the default view: the last 12 months, by month and service */
  g_assert_null (cu_page_get_error (CU_PAGE (page)));
  g_assert_cmpuint (cu_explorer_page_get_n_groups (page), >=, 5);
  assert_shown (widget, "Billed cost");

  /* October by service: the same total as the core query */
  cu_explorer_page_set_group_by (page, "service");
  cu_explorer_page_set_granularity (page, CU_GRANULARITY_MONTH);
  cu_explorer_page_set_range (page, from, to);
  g_assert_true (cu_test_wait_property_false (page, "loading", 60));
  g_assert_null (cu_page_get_error (CU_PAGE (page)));
  g_assert_cmpint (cu_explorer_page_get_total (page, &currency), ==, expected);
  g_assert_cmpstr (currency, ==, "USD");
  assert_shown (widget, money);
  assert_shown (widget, "1–31 Oct 2026");
  assert_shown (widget, "By Service");
  /* a calendar month is compared with the previous calendar month, and
   * the comparison says so; not with the 31 days before (31 Aug – 30 Sep) */
  assert_shown (widget, "1–30 Sep 2026 (previous month)");
  assert_shown (widget, "Previous month");
  assert_shown (widget, "A year earlier");
  assert_shown (widget, "1–31 Oct 2025");
  assert_not_shown (widget, "31 Aug – 30 Sep 2026");
  cu_test_spin (50);

  /* the export is what `cumulus-cli costs` writes for the same query */
  cu_explorer_page_export_async (page, file, "csv", NULL, export_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "period,group,billed_cost,effective_cost,currency\n"));
  command = g_strdup_printf ("%s --workspace '%s' costs --from 2026-10-01 --to 2026-10-31 --group-by service"
                             " --granularity month --format csv > '%s'",
                             g_getenv ("CUMULUS_CLI"), workspace, cli_path);
  if (g_spawn_sync (NULL, (char *[]) { "/bin/sh", "-c", command, NULL }, NULL, 0, NULL, NULL,
                    NULL, NULL, &status, &error) && g_spawn_check_wait_status (status, NULL))
    {
      g_assert_true (g_file_get_contents (cli_path, &cli, NULL, NULL));
      g_assert_cmpstr (csv, ==, cli);
    }
  else
    g_test_message ("cumulus-cli costs did not run (%s); export checked by its header only",
                    error ? error->message : "exit status");

  /* a range the other way round is refused, not queried */
  cu_explorer_page_set_range (page, to, from);
  g_assert_false (cu_page_get_loading (CU_PAGE (page)));
  assert_shown (widget, "Enter a valid date range");

  /* the pivot: September from the 15th (partial) and October, by service */
  {
    CuPivotView *pv = CU_PIVOT_VIEW (cu_explorer_page_get_pivot_view (page));
    g_autofree char *tsv = NULL;
    g_auto(GStrv) lines = NULL;
    guint n;
    gint64 prev = G_MAXINT64;

    cu_explorer_page_set_range (page, cu_day_from_ymd (2026, 9, 15), to);
    g_assert_true (cu_test_wait_property_false (page, "loading", 60));
    assert_shown (widget, "15–30 Sep, partial");
    assert_shown (widget, "Oct 2026");
    assert_shown (widget, "Change %");
    n = cu_pivot_view_get_n_rows (pv);
    g_assert_cmpuint (n, ==, cu_explorer_page_get_n_groups (page));
    /* sorted by total, largest first: column 2 + 2 periods */
    tsv = cu_pivot_view_get_text (pv, FALSE);
    lines = g_strsplit (tsv, "\n", -1);
    g_assert_true (g_str_has_prefix (lines[0], "Service\t15–30 Sep, partial\tOct 2026\tTotal\tChange\tChange %\tShare\tCurrency"));
    g_assert_cmpuint (g_strv_length (lines), ==, n + 2);   /* header, rows, the empty tail */
    for (guint i = 1; i <= n; i++)
      {
        g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
        gint64 total = (gint64) (g_ascii_strtod (f[3], NULL) * 100 + (f[3][0] == '-' ? -0.5 : 0.5));

        g_assert_cmpuint (g_strv_length (f), ==, 8);
        g_assert_cmpint (total, <=, prev);
        prev = total;
        /* no change between a partial and a whole month */
        g_assert_cmpstr (f[4], ==, "");
        g_assert_cmpstr (f[5], ==, "");
        g_assert_cmpstr (f[7], ==, "USD");
      }
    /* sorted by the group, A to Z */
    cu_pivot_view_sort_by (pv, 0, FALSE);
    {
      g_autofree char *a = cu_pivot_view_get_cell (pv, 0, 0);
      g_autofree char *b = cu_pivot_view_get_cell (pv, 1, 0);
      g_assert_cmpint (g_utf8_collate (a, b), <, 0);
    }
    /* a selection copies only its rows */
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (gtk_column_view_get_model (
      GTK_COLUMN_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (pv))))))), 0, TRUE);
    g_clear_pointer (&tsv, g_free);
    tsv = cu_pivot_view_get_text (pv, TRUE);
    {
      g_autofree char *first = cu_pivot_view_get_cell (pv, 0, 0);
      g_auto(GStrv) sel = g_strsplit (tsv, "\n", -1);
      g_assert_cmpuint (g_strv_length (sel), ==, 3);
      g_assert_true (g_str_has_prefix (sel[1], first));
    }
  }

  /* back to October for the screenshots */
  cu_explorer_page_set_range (page, from, to);
  g_assert_true (cu_test_wait_property_false (page, "loading", 60));
  g_clear_pointer (&csv, g_free);
}

static void
check_forecast (GtkWidget *widget)
{
  CuForecastPage *page = CU_FORECAST_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, &error);
  CuProjection p;
  g_autofree char *mean = NULL;

  g_assert_null (cu_page_get_error (CU_PAGE (page)));
  g_assert_true (cu_forecast_page_get_has_forecast (page));
  g_assert_true (cu_analysis_project (ledger, "total", "", cu_day_from_ymd (2026, 11, 1),
                                      cu_day_from_ymd (2026, 11, 30), &p, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (p.mean, >, 0);
  g_assert_cmpfloat_with_epsilon (cu_forecast_page_get_month_projection (page), p.mean, 0.005);
  mean = cu_money_format_display (cu_money_from_double (p.mean), "USD");
  assert_shown (widget, mean);
  assert_shown (widget, "November 2026, projected");
  assert_shown (widget, "Q4 2026, projected");
  assert_shown (widget, "80% interval");
  assert_shown (widget, "95% interval");
  assert_shown (widget, "Forecast computed");

  /* the chance of passing the demo's monthly total budget ("Cloud spend",
   * the first by name), from the same projection */
  {
    g_autoptr(GPtrArray) budgets = cu_budgets_list (ledger, &error);
    const CuBudget *b = NULL;
    double expected, shown;

    g_assert_no_error (error);
    for (guint i = 0; i < budgets->len && b == NULL; i++)
      if (((CuBudget *) budgets->pdata[i])->filter_key == NULL &&
          ((CuBudget *) budgets->pdata[i])->period == CU_BUDGET_MONTHLY)
        b = budgets->pdata[i];
    g_assert_nonnull (b);
    expected = cu_projection_probability_above (&p, cu_money_to_double (b->amount));
    shown = cu_forecast_page_get_probability_above (page, FALSE);
    g_test_message ("forecast page: November %.2f, chance above %.2f: %.3f", p.mean,
                    cu_money_to_double (b->amount), shown);
    g_assert_cmpfloat_with_epsilon (shown, expected, 1e-9);
    g_assert_cmpfloat (shown, >, 0.0);
    g_assert_cmpfloat (shown, <, 1.0);
    assert_shown (widget, "Chance of ending above");
  }
  g_free (p.model);
}

static void
check_anomalies (GtkWidget *widget)
{
  CuAnomaliesPage *page = CU_ANOMALIES_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, &error);
  g_autoptr(GPtrArray) list = cu_incidents_list (ledger, FALSE, &error);
  CuIncident *newest;
  const CuIncidentCause *top;
  g_autofree char *period = NULL;
  g_autofree char *impact = NULL;
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  g_assert_null (cu_page_get_error (CU_PAGE (page)));
  g_assert_cmpuint (list->len, >=, 1);
  /* one row per incident, not one per series and day */
  g_assert_cmpuint (cu_anomalies_page_get_n_rows (page), ==, MIN (list->len, 200));
  g_assert_cmpint (list->len, <, count ("SELECT COUNT(*) FROM anomalies WHERE status != 'dismissed'"));

  /* the newest is shown in detail: duration, impact, root causes */
  newest = list->pdata[0];
  g_assert_cmpint (cu_anomalies_page_get_selected (page), ==, newest->id);
  g_assert_cmpuint (newest->causes->len, >=, 1);
  top = newest->causes->pdata[0];
  period = cu_format_period (newest->start, newest->end);
  impact = cu_money_format_display (newest->impact, newest->currency);
  assert_shown (widget, period);
  assert_shown (widget, impact);
  assert_shown (widget, newest->root_cause);
  assert_shown (widget, "Root causes");
  assert_shown (widget, top->service);
  assert_shown (widget, "the incident's days are shaded");

  /* acknowledge it (its anomalies with it), then put it back for the screenshots */
  cu_anomalies_page_set_status (page, "acknowledged");
  g_assert_true (cu_test_wait_property_false (page, "loading", 60));
  sql = g_strdup_printf ("SELECT COUNT(*) FROM incidents WHERE id = %" G_GINT64_FORMAT
                         " AND status = 'acknowledged'", newest->id);
  g_assert_cmpint (count (sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM anomalies WHERE incident_id = %" G_GINT64_FORMAT
                         " AND status != 'acknowledged'", newest->id);
  g_assert_cmpint (count (sql), ==, 0);
  g_assert_cmpint (cu_anomalies_page_get_selected (page), ==, newest->id);
  assert_shown (widget, "Acknowledged");
  cu_anomalies_page_set_status (page, "new");
  g_assert_true (cu_test_wait_property_false (page, "loading", 60));
}

static void
check_budgets (GtkWidget *widget)
{
  CuBudgetsPage *page = CU_BUDGETS_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (workspace, &error);
  g_autoptr(GPtrArray) budgets = cu_budgets_list (ledger, &error);
  g_autoptr(GPtrArray) statuses = cu_budgets_evaluate (ledger, budgets, cu_day_today (), FALSE, &error);
  CuBudgetStatus *st;
  g_autofree char *share = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *text = NULL;
  g_autofree char *amount = NULL;
  CuBudgetDialog *dialog;

  g_assert_no_error (error);
  g_assert_null (cu_page_get_error (CU_PAGE (page)));
  /* the demo's two example budgets and the one added */
  g_assert_cmpuint (cu_budgets_page_get_n_budgets (page), ==, 3);
  st = NULL;
  for (guint i = 0; i < statuses->len; i++)
    if (g_str_equal (((CuBudgetStatus *) statuses->pdata[i])->budget->name, BUDGET_NAME))
      st = statuses->pdata[i];
  g_assert_nonnull (st);
  assert_shown (widget, "Platform team");
  assert_shown (widget, "Cloud spend");
  share = cu_format_share ((double) st->actual / (double) st->budget->amount);
  actual = cu_money_format_display (st->actual, "USD");
  amount = cu_money_format_display (st->budget->amount, "USD");
  text = g_strdup_printf ("%s of %s (%s)", actual, amount, share);
  assert_shown (widget, BUDGET_NAME);
  assert_shown (widget, text);
  assert_shown (widget, "October 2026");
  assert_shown (widget, "Forecast for the period");

  /* the dialog checks as one types */
  dialog = CU_BUDGET_DIALOG (cu_budgets_page_open_dialog (page, NULL));
  g_assert_nonnull (dialog);
  g_assert_false (cu_budget_dialog_get_valid (dialog));   /* no name yet */
  g_assert_nonnull (cu_budget_dialog_get_problem (dialog));
  /* … but says nothing before anything is typed */
  gtk_window_present (GTK_WINDOW (dialog));
  cu_test_spin (100);
  g_assert_false (cu_budget_dialog_get_error_shown (dialog));
  /* Save on the empty form shows what is missing, and stores nothing */
  cu_budget_dialog_save (dialog);
  cu_test_spin (100);
  g_assert_true (cu_budget_dialog_get_error_shown (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  /* a field edited to something wrong shows at once */
  dialog = CU_BUDGET_DIALOG (cu_budgets_page_open_dialog (page, NULL));
  g_assert_false (cu_budget_dialog_get_error_shown (dialog));
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    GtkWidget *amount_row = NULL;

    cu_test_collect_widgets (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), "Amount per period") == 0)
        amount_row = rows->pdata[i];
    g_assert_nonnull (amount_row);
    gtk_editable_set_text (GTK_EDITABLE (amount_row), "twelve");
    g_assert_true (cu_budget_dialog_get_error_shown (dialog));
    g_assert_true (gtk_widget_has_css_class (amount_row, "error"));
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = CU_BUDGET_DIALOG (cu_budgets_page_open_dialog (page, BUDGET_NAME));
  g_assert_nonnull (dialog);
  g_assert_true (cu_budget_dialog_get_valid (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  cu_test_spin (200);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_explorer (void)
{
  run_page ("explorer", cu_explorer_page_new, check_explorer);
}

static void
test_forecast (void)
{
  run_page ("forecast", cu_forecast_page_new, check_forecast);
}

static void
test_anomalies (void)
{
  run_page ("anomalies", cu_anomalies_page_new, check_anomalies);
}

static void
test_budgets (void)
{
  run_page ("budgets", cu_budgets_page_new, check_budgets);
}

/* ---- setup ---- */

static void
make_workspace (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  const char *cli = g_getenv ("CUMULUS_CLI");
  char *argv[] = { (char *) cli, "--workspace", workspace, "demo", "--end", "2026-10-31", NULL };
  CuBudget budget = { 0 };
  int status = 0;
  gint64 october;

  g_assert_nonnull (cli);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  /* a monthly budget October overran the 80 % stage of */
  october = october_total (NULL);
  ledger = cu_ledger_open (workspace, &error);
  g_assert_no_error (error);
  budget.name = (char *) BUDGET_NAME;
  budget.period = CU_BUDGET_MONTHLY;
  /* cu_money_round_cents() counts cents */
  budget.amount = cu_money_round_cents ((gint64) (october / 0.9)) * (CU_MICROS_PER_UNIT / 100);
  budget.currency = (char *) "USD";
  g_assert_true (cu_budget_stages_parse ("50,80,100", &budget, &error));
  g_assert_cmpint (cu_budgets_add (ledger, &budget, &error), >, 0);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("CUMULUS_TODAY", TODAY, TRUE);
  tmp_dir = cu_test_init (&argc, &argv, "cumulus-pages-XXXXXX");
  workspace = g_build_filename (tmp_dir, "demo", NULL);
  app = cu_test_application_new ();

  make_workspace ();

  g_test_add_func ("/pages/analysis-job", test_analysis_job);
  g_test_add_func ("/pages/explorer", test_explorer);
  g_test_add_func ("/pages/forecast", test_forecast);
  g_test_add_func ("/pages/anomalies", test_anomalies);
  g_test_add_func ("/pages/budgets", test_budgets);

  status = g_test_run ();

  g_clear_object (&app);
  cu_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (workspace);
  return status;
}
