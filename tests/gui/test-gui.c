/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-gui.c — the window on a real (Xvfb) display
 *
 * 1. Every .ui in the resource bundle loads: templates by instantiating
 *    their class, plain builder files through GtkBuilder; the about,
 *    preferences and shortcuts windows open from their actions.
 * 2. On a fresh data dir the window generates the demo workspace, then the
 *    Overview loads in its worker; the figures it shows are the ones
 *    cu_summary_compute() gives, with their periods.
 * 3. At 1280 and 360 px wide, light and dark, the window is rendered to
 *    overview-<width>-<style>.png in the build dir; the charts must have
 *    drawn their series colours, and a style change must redraw them.
 */
#include <adwaita.h>
#include <gmodule.h>
#include <math.h>
#include <string.h>

#include "cu-job-manager.h"
#include "cu-application.h"
#include "cu-chart.h"
#include "cu-format.h"
#include "cu-gui-test-util.h"
#include "cu-overview-page.h"
#include "cu-plot.h"
#include "cu-preferences-window.h"
#include "cu-stat-card.h"
#include "cu-window.h"
#include "store/cu-ledger.h"
#include "store/cu-summary.h"
#include "util/cu-money.h"

#define RESOURCE_PATH "/io/github/cumulusfinops/Cumulus/"
#define TODAY "2026-11-22"

static CuApplication *app;
static char *tmp_home;

/* ---- helpers ---- */

/* the first one that is on screen */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  cu_test_collect_widgets (root, type, found);
  for (guint i = 0; i < found->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (found, i)))
      return g_ptr_array_index (found, i);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

static void
assert_money_shown (const char *texts,
                    gint64      micros,
                    const char *currency)
{
  g_autofree char *text = cu_money_format_display (micros, currency);
  cu_test_assert_text_shown (texts, text);
}

/* ---- 1. every template ---- */

/* "CuOverviewPage" → cu_overview_page_get_type (), found in this program
 * (which links the whole GUI library and exports its symbols) */
static GType
resolve_type (const char *class_name)
{
  g_autoptr(GString) symbol = g_string_new (NULL);
  GModule *self;
  GType (*get_type) (void) = NULL;
  gboolean found;
  GType type = g_type_from_name (class_name);

  if (type != 0)
    return type;

  for (const char *p = class_name; *p != '\0'; p++)
    {
      if (g_ascii_isupper (*p) && p != class_name)
        g_string_append_c (symbol, '_');
      g_string_append_c (symbol, g_ascii_tolower (*p));
    }
  g_string_append (symbol, "_get_type");

  self = g_module_open (NULL, 0);
  g_assert_nonnull (self);
  found = g_module_symbol (self, symbol->str, (gpointer *) &get_type);
  g_module_close (self);
  return found && get_type != NULL ? get_type () : 0;
}

static void
test_templates (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  guint n_checked = 0;
  GType types[] = {
    CU_TYPE_WINDOW, CU_TYPE_OVERVIEW_PAGE, CU_TYPE_STAT_CARD,
    CU_TYPE_PREFERENCES_WINDOW, CU_TYPE_CHART,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_type_ensure (types[i]);

  names = g_resources_enumerate_children (RESOURCE_PATH, 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GBytes) bytes = NULL;
      const char *xml;
      const char *tmpl;

      if (g_str_has_suffix (names[i], "/"))
        {
          /* one level down: gtk/help-overlay.ui */
          g_auto(GStrv) sub = NULL;
          g_autofree char *dir = g_strconcat (RESOURCE_PATH, names[i], NULL);

          sub = g_resources_enumerate_children (dir, 0, NULL);
          for (guint j = 0; sub != NULL && sub[j] != NULL; j++)
            if (g_str_has_suffix (sub[j], ".ui"))
              {
                g_autoptr(GtkBuilder) builder = gtk_builder_new ();
                g_autofree char *ui = g_strconcat (dir, sub[j], NULL);

                gtk_builder_add_from_resource (builder, ui, &error);
                g_assert_no_error (error);
                if (g_str_equal (sub[j], "help-overlay.ui"))
                  {
                    GObject *overlay = gtk_builder_get_object (builder, "help_overlay");
                    g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
                    gtk_window_destroy (GTK_WINDOW (overlay));
                  }
                n_checked++;
              }
          continue;
        }
      if (!g_str_has_suffix (names[i], ".ui"))
        continue;

      path = g_strconcat (RESOURCE_PATH, names[i], NULL);
      bytes = g_resources_lookup_data (path, 0, &error);
      g_assert_no_error (error);
      xml = g_bytes_get_data (bytes, NULL);
      tmpl = strstr (xml, "<template class=\"");
      if (tmpl != NULL)
        {
          g_autofree char *class_name = NULL;
          GType type;
          GObject *object;

          tmpl += strlen ("<template class=\"");
          class_name = g_strndup (tmpl, strchr (tmpl, '"') - tmpl);
          type = resolve_type (class_name);
          if (type == 0)
            g_error ("%s: no type %s in the GUI library", names[i], class_name);

          g_test_message ("instantiating %s from %s", class_name, names[i]);
          object = g_object_new (type, NULL);
          g_object_ref_sink (object);
          if (GTK_IS_WINDOW (object))
            gtk_window_destroy (GTK_WINDOW (object));
          g_object_unref (object);
        }
      else
        {
          g_autoptr(GtkBuilder) builder = gtk_builder_new ();
          gtk_builder_add_from_resource (builder, path, &error);
          g_assert_no_error (error);
        }
      n_checked++;
    }
  g_assert_cmpuint (n_checked, >=, 5);

  /* the charts without a template */
  {
    GtkWidget *chart = g_object_ref_sink (cu_chart_new (CU_CHART_KIND_HORIZONTAL_BARS));
    g_object_unref (chart);
  }
}

static gboolean
has_toplevel_of_type (gpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return TRUE;
    }
  return FALSE;
}

static void
destroy_toplevels_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i - 1);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        gtk_window_destroy (GTK_WINDOW (window));
    }
}

static void
test_dialogs (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (cu_test_wait_for (has_toplevel_of_type, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW), 10));
  destroy_toplevels_of_type (ADW_TYPE_ABOUT_WINDOW);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (cu_test_wait_for (has_toplevel_of_type, GSIZE_TO_POINTER (CU_TYPE_PREFERENCES_WINDOW), 10));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GSettings *settings = cu_application_get_settings (app);

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
        AdwComboRow *row;

        if (!CU_IS_PREFERENCES_WINDOW (window))
          continue;
        /* the style row writes the key, and the key sets the style */
        row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (window), ADW_TYPE_COMBO_ROW));
        adw_combo_row_set_selected (row, 2);
        g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "dark");
        g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
        adw_combo_row_set_selected (row, 1);
        g_assert_false (adw_style_manager_get_dark (adw_style_manager_get_default ()));
      }
  }
  destroy_toplevels_of_type (CU_TYPE_PREFERENCES_WINDOW);
}

/* ---- 2./3. the Overview ---- */

static gboolean
overview_settled (gpointer data)
{
  CuWindow *window = data;
  CuPageState state = cu_page_get_state (CU_PAGE (CU_OVERVIEW_PAGE (cu_window_get_page (window, "overview"))));

  if (cu_window_get_startup_error (window) != NULL)
    g_error ("The window could not open a workspace: %s", cu_window_get_startup_error (window));
  return state == CU_PAGE_STATE_READY ||
         state == CU_PAGE_STATE_ERROR ||
         state == CU_PAGE_STATE_EMPTY;
}

/* the window's analysis run has been stored: the Overview reloads then,
 * and its month-end comes from the forecast */
static gboolean analysis_done;

static void
analysis_finished_cb (CuJobManager *manager,
                      const char   *workspace,
                      gboolean      success,
                      gpointer      data)
{
  analysis_done = TRUE;
}

static gboolean
overview_forecast_settled (gpointer data)
{
  return analysis_done && overview_settled (data);
}

typedef struct {
  GPtrArray *charts;
  guint     *counts;
} ChartsDrawn;

static gboolean
charts_redrawn (gpointer data)
{
  ChartsDrawn *drawn = data;

  for (guint i = 0; i < drawn->charts->len; i++)
    if (cu_chart_get_render_count (g_ptr_array_index (drawn->charts, i)) <= drawn->counts[i])
      return FALSE;
  return TRUE;
}

/* Rendered with the cairo renderer: the same pixels on every machine,
 * where GL under Xvfb (llvmpipe) depends on the driver, and clipped glyphs
 * of very tall windows in our runs. */
static GdkTexture *
render_window (GtkWidget *window,
               int        height)
{
  int width = gtk_widget_get_width (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, width, gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_renderer_realize (renderer, gtk_native_get_surface (GTK_NATIVE (window)), &error);
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);
  return texture;
}

/* Share of the chart's pixels that are one of its series colours. */
static double
chart_coverage (GdkTexture *texture,
                const guchar *pixels,
                gsize       stride,
                GtkWidget  *window,
                CuChart    *chart,
                guint       n_colors)
{
  graphene_rect_t bounds;
  guint hits = 0, total = 0;
  GdkRGBA colors[8];

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (chart), window, &bounds));
  for (guint c = 0; c < n_colors; c++)
    cu_plot_series_color (c, n_colors, n_colors > 1, &colors[c]);

  for (int y = (int) bounds.origin.y; y < (int) (bounds.origin.y + bounds.size.height); y++)
    for (int x = (int) bounds.origin.x; x < (int) (bounds.origin.x + bounds.size.width); x++)
      {
        /* GDK_MEMORY_DEFAULT: B8G8R8A8 premultiplied, opaque here */
        const guchar *p;

        if (x < 0 || y < 0 || x >= gdk_texture_get_width (texture) || y >= gdk_texture_get_height (texture))
          continue;
        p = pixels + y * stride + x * 4;
        total++;
        for (guint c = 0; c < n_colors; c++)
          if (fabs (p[2] - colors[c].red * 255) < 12 &&
              fabs (p[1] - colors[c].green * 255) < 12 &&
              fabs (p[0] - colors[c].blue * 255) < 12)
            {
              hits++;
              break;
            }
      }
  return total > 0 ? (double) hits / total : 0;
}

static void
check_figures (CuWindow *window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (cu_window_get_workspace (window), &error);
  g_autoptr(CuSummary) s = NULL;
  g_autofree char *texts = NULL;
  g_autofree char *mtd_period = NULL;
  g_autofree char *top_period = NULL;
  g_autofree char *chart_period = NULL;

  g_assert_no_error (error);
  s = cu_summary_compute (ledger, cu_day_today (), &error);
  g_assert_no_error (error);

  texts = cu_test_visible_texts (GTK_WIDGET (window));
  assert_money_shown (texts, s->month_to_date, s->currency);
  assert_money_shown (texts, s->month_projection, s->currency);
  assert_money_shown (texts, s->last_month, s->currency);
  assert_money_shown (texts, s->last_month_same_period, s->currency);
  assert_money_shown (texts, s->year_to_date, s->currency);
  assert_money_shown (texts, s->daily_average, s->currency);
  for (guint i = 0; i < s->top_services->len; i++)
    {
      CuSummaryItem *item = g_ptr_array_index (s->top_services, i);
      g_autofree char *share = cu_format_share (item->share);
      cu_test_assert_text_shown (texts, item->name);
      assert_money_shown (texts, item->amount, s->currency);
      cu_test_assert_text_shown (texts, share);
    }
  for (guint i = 0; i < s->top_accounts->len; i++)
    {
      CuSummaryItem *item = g_ptr_array_index (s->top_accounts, i);
      cu_test_assert_text_shown (texts, item->name);
      assert_money_shown (texts, item->amount, s->currency);
    }
  g_assert_cmpuint (s->top_services->len, ==, CU_SUMMARY_TOP_N);

  /* every figure names its period */
  mtd_period = cu_format_period (s->month_start, s->month_start + s->days_elapsed - 1);
  top_period = cu_format_period (s->top_from, s->top_to);
  chart_period = cu_format_period (s->chart_first, s->chart_first + (CuDay) s->n_days - 1);
  cu_test_assert_text_shown (texts, mtd_period);
  cu_test_assert_text_shown (texts, top_period);
  cu_test_assert_text_shown (texts, chart_period);
  cu_test_assert_text_shown (texts, s->currency);
  g_assert_cmpuint (s->n_days, ==, CU_SUMMARY_CHART_DAYS);
  /* the daily chart names at least 8 services, each in the legend, and
   * "Other" is not its largest band */
  g_assert_cmpuint (s->n_series, >=, CU_SUMMARY_CHART_MIN_NAMED);
  g_assert_cmpuint (s->n_series, <=, CU_SUMMARY_CHART_MAX_NAMED + 1);
  {
    double largest = 0, other = 0;

    for (guint i = 0; i < s->n_series; i++)
      {
        double total = 0;

        for (guint d = 0; d < s->n_days; d++)
          total += s->series_values[i * s->n_days + d];
        if (g_str_equal (s->series_names[i], "Other"))
          other = total;
        else
          {
            largest = MAX (largest, total);
            cu_test_assert_text_shown (texts, s->series_names[i]);
          }
      }
    g_assert_cmpfloat (other, <, largest);
  }
  /* the month-end is the forecast's, once the analysis has run */
  g_assert_cmpstr (s->month_projection_basis, ==, "forecast");
  cu_test_assert_text_shown (texts, "Forecast, 80% interval");
}

static void
shoot (CuWindow   *window,
       int         width,
       const char *style)
{
  GtkWidget *page = GTK_WIDGET (CU_OVERVIEW_PAGE (cu_window_get_page (window, "overview")));
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  g_autofree char *name = NULL;
  GtkWidget *scrolled = find_widget (page, GTK_TYPE_SCROLLED_WINDOW);
  int nat = 0, height, tex_w, tex_h;
  gsize stride;
  double daily, regions;

  cu_test_collect_widgets (page, CU_TYPE_CHART, charts);
  g_assert_cmpuint (charts->len, ==, 2);

  /* the whole page, not just what fits: crop the tall window to it */
  {
    GtkWidget *clamp = find_widget (scrolled, ADW_TYPE_CLAMP);
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (scrolled, GTK_WIDGET (window), &bounds));
    gtk_widget_measure (clamp, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (clamp),
                        NULL, &nat, NULL, NULL);
    g_test_message ("page content is %d px tall, %d px shown", nat, (int) bounds.size.height);
    g_assert_cmpint (nat, <=, (int) bounds.size.height);
    height = MIN ((int) bounds.origin.y + nat + 1, gtk_widget_get_height (GTK_WIDGET (window)));
  }

  texture = render_window (GTK_WIDGET (window), height);
  tex_w = gdk_texture_get_width (texture);
  tex_h = gdk_texture_get_height (texture);
  stride = (gsize) tex_w * 4;
  pixels = g_malloc (stride * tex_h);
  gdk_texture_download (texture, pixels, stride);

  name = g_strdup_printf ("overview-%d-%s.png", width, style);
  cu_test_save_png (texture, name);
  daily = chart_coverage (texture, pixels, stride, GTK_WIDGET (window),
                          g_ptr_array_index (charts, 0), CU_SUMMARY_TOP_N + 1);
  regions = chart_coverage (texture, pixels, stride, GTK_WIDGET (window),
                            g_ptr_array_index (charts, 1), 1);
  g_test_message ("%d px %s: daily chart %.1f%% series colours, region chart %.1f%%",
                  width, style, daily * 100, regions * 100);
  g_assert_cmpfloat (daily, >, 0.10);
  g_assert_cmpfloat (regions, >, 0.03);

  if (width == 1280 && g_str_equal (style, "light"))
    cu_test_save_png (texture, "overview.png");
}

static void
set_style (const char *style)
{
  g_settings_set_string (cu_application_get_settings (app), "color-scheme", style);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()) ==
                 g_str_equal (style, "dark"));
}

static void
test_overview_at (int width,
                  int height)
{
  GSettings *settings = cu_application_get_settings (app);
  CuWindow *window;
  CuOverviewPage *page;
  AdwLeaflet *leaflet;
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  guint counts[2];
  ChartsDrawn drawn = { charts, counts };

  set_style ("light");
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);

  analysis_done = FALSE;
  g_signal_connect (cu_job_manager_get_default (), "analysis-finished",
                    G_CALLBACK (analysis_finished_cb), NULL);
  window = cu_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  page = CU_OVERVIEW_PAGE (cu_window_get_page (window, "overview"));

  /* the first window generates the demo workspace */
  g_assert_true (cu_test_wait_for (overview_settled, window, 180));
  if (cu_page_get_state (CU_PAGE (page)) != CU_PAGE_STATE_READY)
    g_error ("Overview did not load: state %d, %s", cu_page_get_state (CU_PAGE (page)),
             cu_page_get_error (CU_PAGE (page)));
  g_assert_true (cu_window_get_is_demo (window));
  g_assert_true (cu_test_wait_for (overview_forecast_settled, window, 180));
  g_signal_handlers_disconnect_by_func (cu_job_manager_get_default (), analysis_finished_cb, NULL);
  cu_test_spin (300);   /* the reload after the analysis, if any, is under way */
  g_assert_true (cu_test_wait_for (overview_settled, window, 60));

  cu_test_collect_widgets (GTK_WIDGET (page), CU_TYPE_CHART, charts);
  counts[0] = counts[1] = 0;
  g_assert_true (cu_test_wait_for (charts_redrawn, &drawn, 30));
  cu_test_spin (300);   /* let the crossfade finish */

  /* the content fits: nothing forces the window wider than asked (a few
   * pixels go to the client-side decoration without a window manager) */
  g_test_message ("window %d×%d for %d requested", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)), width);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, width - 20);
  leaflet = ADW_LEAFLET (find_widget (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
  g_assert_true (adw_leaflet_get_folded (leaflet) == (width < 600));

  check_figures (window);
  shoot (window, width, "light");

  /* a style change redraws the charts from their cache's point of view */
  for (guint i = 0; i < charts->len; i++)
    counts[i] = cu_chart_get_render_count (g_ptr_array_index (charts, i));
  set_style ("dark");
  g_assert_true (cu_test_wait_for (charts_redrawn, &drawn, 30));
  cu_test_spin (100);
  shoot (window, width, "dark");

  /* nothing is redrawn when nothing changed */
  for (guint i = 0; i < charts->len; i++)
    counts[i] = cu_chart_get_render_count (g_ptr_array_index (charts, i));
  gtk_widget_queue_draw (GTK_WIDGET (window));
  cu_test_spin (200);
  for (guint i = 0; i < charts->len; i++)
    g_assert_cmpuint (cu_chart_get_render_count (g_ptr_array_index (charts, i)), ==, counts[i]);

  /* a reload replaces a running one; the last result wins */
  cu_page_reload (CU_PAGE (page));
  cu_page_reload (CU_PAGE (page));
  g_assert_cmpint (cu_page_get_state (CU_PAGE (page)), ==, CU_PAGE_STATE_LOADING);
  g_assert_true (cu_test_wait_for (overview_settled, window, 60));
  g_assert_cmpint (cu_page_get_state (CU_PAGE (page)), ==, CU_PAGE_STATE_READY);

  /* the window remembers its size */
  {
    int w, h;

    gtk_window_get_default_size (GTK_WINDOW (window), &w, &h);
    g_settings_set_int (settings, "window-width", 999);
    gtk_window_close (GTK_WINDOW (window));
    g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, w);
    g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, h);
  }
  cu_test_spin (50);
}

static void
test_overview_wide (void)
{
  test_overview_at (1280, 1700);
}

static void
test_overview_narrow (void)
{
  test_overview_at (360, 2700);
}

int
main (int argc, char **argv)
{
  int status;

  /* a fixed "today" makes the demo and the screenshots reproducible */
  if (g_getenv ("CUMULUS_TODAY") == NULL)
    g_setenv ("CUMULUS_TODAY", TODAY, TRUE);
  tmp_home = cu_test_init (&argc, &argv, "cumulus-gui-XXXXXX");
  /* screenshots of finished states, not of crossfades */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  app = cu_test_application_new ();

  g_test_add_func ("/gui/templates", test_templates);
  g_test_add_func ("/gui/dialogs", test_dialogs);
  /* narrow first: the demo is generated there, and its toast is gone by
   * the time the wide window is shot */
  g_test_add_func ("/gui/overview/360", test_overview_narrow);
  g_test_add_func ("/gui/overview/1280", test_overview_wide);

  status = g_test_run ();

  g_clear_object (&app);
  /* the demo workspace is large; leave nothing behind */
  cu_test_remove_tree (tmp_home);
  g_free (tmp_home);
  return status;
}
