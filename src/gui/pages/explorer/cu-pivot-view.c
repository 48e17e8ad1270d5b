/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-pivot-view.c — the Explorer's table of groups × periods
 *
 * A GtkColumnView over a copy of a CuCostPivot: group, its sparkline, one
 * column per period, total, change in money and in percent, share. Every
 * column but the sparkline sorts; rows are multi-selectable and Ctrl+C
 * copies the selection (or the whole table) as tab-separated text with a
 * header row, which spreadsheets paste into cells. Partial periods say so
 * in their column title ("1–2 Dec, partial").
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>

#include "cu-format.h"
#include "cu-pivot-view.h"
#include "util/cu-money.h"
#include "util/cu-output.h"

/* ---- one row ---- */

#define CU_TYPE_PIVOT_ITEM (cu_pivot_item_get_type ())
G_DECLARE_FINAL_TYPE (CuPivotItem, cu_pivot_item, CU, PIVOT_ITEM, GObject)

struct _CuPivotItem
{
  GObject   parent_instance;

  /* owned state: a copy of the pivot's row */
  char     *group;
  char     *currency;
  guint     n;
  gint64   *values;
  gint64    total;
  gint64    change;
  gboolean  has_change;
  gboolean  has_pct;
  double    pct;
  double    share;
};

G_DEFINE_FINAL_TYPE (CuPivotItem, cu_pivot_item, G_TYPE_OBJECT)

static void
cu_pivot_item_finalize (GObject *object)
{
  CuPivotItem *self = CU_PIVOT_ITEM (object);

  g_free (self->group);
  g_free (self->currency);
  g_free (self->values);
  G_OBJECT_CLASS (cu_pivot_item_parent_class)->finalize (object);
}

static void
cu_pivot_item_class_init (CuPivotItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cu_pivot_item_finalize;
}

static void
cu_pivot_item_init (CuPivotItem *self)
{
}

static CuPivotItem *
cu_pivot_item_new (const CuPivotRow *row,
                   guint             n)
{
  CuPivotItem *self = g_object_new (CU_TYPE_PIVOT_ITEM, NULL);

  self->group = g_strdup (row->group);
  self->currency = g_strdup (row->currency);
  self->n = n;
  self->values = g_memdup2 (row->values, sizeof (gint64) * MAX (n, 1));
  self->total = row->total;
  self->change = row->change;
  self->has_change = row->has_change;
  self->has_pct = row->has_change_pct;
  self->pct = row->change_pct;
  self->share = row->share;
  return self;
}

/* ---- the view ---- */

/* the column kinds after the group and its sparkline */
enum {
  COL_GROUP,
  COL_SPARK,
  COL_FIRST_PERIOD,
};

struct _CuPivotView
{
  GtkWidget          parent_instance;

  /* owned children */
  GtkScrolledWindow *scroller;
  GtkColumnView     *view;

  /* owned state */
  GListStore        *store;
  GtkSortListModel  *sorted;
  GtkMultiSelection *selection;
  guint              n_periods;
  GPtrArray         *titles;        /* char*, one per column, for copying */
  GPtrArray         *columns;       /* GtkColumnViewColumn*, by index */
};

G_DEFINE_FINAL_TYPE (CuPivotView, cu_pivot_view, GTK_TYPE_WIDGET)

static const char *
group_name (const char *group)
{
  return group != NULL && *group != '\0' ? group : _("(none)");
}

/* the column's text for people; %NULL for the sparkline */
static char *
cell_text (CuPivotView *self,
           CuPivotItem *item,
           guint        col)
{
  guint n = self->n_periods;

  if (col == COL_GROUP)
    return g_strdup (group_name (item->group));
  if (col == COL_SPARK)
    return NULL;
  if (col < COL_FIRST_PERIOD + n)
    return cu_money_format_display (item->values[col - COL_FIRST_PERIOD], item->currency);
  col -= COL_FIRST_PERIOD + n;
  switch (col)
    {
    case 0:
      return cu_money_format_display (item->total, item->currency);
    case 1:
      {
        g_autofree char *amount = cu_money_format_display (item->change, item->currency);

        if (!item->has_change)
          return g_strdup ("–");
        return g_strdup_printf ("%s%s", item->change >= 0 ? "+" : "", amount);
      }
    case 2:
      if (!item->has_pct)
        /* no percentage between a partial and a whole period, or from zero */
        return g_strdup ("–");
      /* TRANSLATORS: a change in percent: "+6.7%", "−1.3%" */
      return g_strdup_printf (_("%s%.1f%%"), item->pct >= 0 ? "+" : "−", ABS (item->pct));
    case 3:
    default:
      return cu_format_share (item->share);
    }
}

/* the column's text for a spreadsheet: plain numbers */
static char *
cell_plain (CuPivotView *self,
            CuPivotItem *item,
            guint        col)
{
  guint n = self->n_periods;

  if (col == COL_GROUP)
    return g_strdup (item->group);
  if (col < COL_FIRST_PERIOD + n)
    return cu_money_format_plain (item->values[col - COL_FIRST_PERIOD], 2);
  col -= COL_FIRST_PERIOD + n;
  switch (col)
    {
    case 0: return cu_money_format_plain (item->total, 2);
    case 1: return item->has_change ? cu_money_format_plain (item->change, 2) : g_strdup ("");
    case 2: return item->has_pct ? g_strdup_printf ("%.1f", item->pct) : g_strdup ("");
    case 3:
    default: return g_strdup_printf ("%.1f", item->share * 100.0);
    }
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const CuPivotItem *x = a, *y = b;
  guint col = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (data), "column"));
  CuPivotView *self = g_object_get_data (G_OBJECT (data), "view");
  guint n = self->n_periods;
  double u, v;

  if (col == COL_GROUP)
    return g_utf8_collate (group_name (x->group), group_name (y->group));
  if (col >= COL_FIRST_PERIOD && col < COL_FIRST_PERIOD + n)
    u = x->values[col - COL_FIRST_PERIOD], v = y->values[col - COL_FIRST_PERIOD];
  else if (col == COL_FIRST_PERIOD + n)
    u = x->total, v = y->total;
  else if (col == COL_FIRST_PERIOD + n + 1)
    {
      u = x->has_change ? x->change : -G_MAXDOUBLE;
      v = y->has_change ? y->change : -G_MAXDOUBLE;
    }
  else if (col == COL_FIRST_PERIOD + n + 2)
    {
      /* rows without a percentage sort below every number */
      u = x->has_pct ? x->pct : -G_MAXDOUBLE;
      v = y->has_pct ? y->pct : -G_MAXDOUBLE;
    }
  else
    u = x->share, v = y->share;
  if (u != v)
    return u < v ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  return g_utf8_collate (group_name (x->group), group_name (y->group));
}

static void
spark_draw (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  CuPivotItem *item = g_object_get_data (G_OBJECT (area), "item");
  GdkRGBA fg;
  gint64 lo = G_MAXINT64, hi = G_MININT64;

  if (item == NULL || item->n < 2)
    return;
  for (guint i = 0; i < item->n; i++)
    {
      lo = MIN (lo, item->values[i]);
      hi = MAX (hi, item->values[i]);
    }
  lo = MIN (lo, 0);
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < item->n; i++)
    {
      double x = 2 + (width - 4) * (double) i / (item->n - 1);
      double y = height - 2 - (height - 4) * (hi > lo ? (double) (item->values[i] - lo) / (double) (hi - lo) : 0.5);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  data)
{
  guint col = GPOINTER_TO_UINT (data);

  if (col == COL_SPARK)
    {
      GtkWidget *area = gtk_drawing_area_new ();

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 64);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 20);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), spark_draw, NULL, NULL);
      gtk_widget_add_css_class (area, "dim-label");
      gtk_list_item_set_child (list_item, area);
    }
  else
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), col == COL_GROUP ? 0.0 : 1.0);
      if (col == COL_GROUP)
        {
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_label_set_width_chars (GTK_LABEL (label), 22);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
        }
      else
        gtk_widget_add_css_class (label, "numeric");
      gtk_list_item_set_child (list_item, label);
    }
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  data)
{
  guint col = GPOINTER_TO_UINT (data);
  CuPivotView *self = g_object_get_data (G_OBJECT (factory), "view");
  CuPivotItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (col == COL_SPARK)
    {
      g_object_set_data_full (G_OBJECT (child), "item", g_object_ref (item), g_object_unref);
      gtk_widget_queue_draw (child);
    }
  else
    {
      g_autofree char *text = cell_text (self, item, col);

      gtk_label_set_label (GTK_LABEL (child), text);
      if (col == COL_GROUP)
        gtk_widget_set_tooltip_text (child, text);
    }
}

static void
add_column (CuPivotView *self,
            guint        col,
            const char  *title,
            gboolean     expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "view", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (col));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (col));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (col != COL_SPARK)
    {
      GtkCustomSorter *sorter = gtk_custom_sorter_new (compare_items, NULL, NULL);

      /* the sorter's data is itself: the column index rides along */
      g_object_set_data (G_OBJECT (sorter), "column", GUINT_TO_POINTER (col));
      g_object_set_data (G_OBJECT (sorter), "view", self);
      gtk_custom_sorter_set_sort_func (sorter, compare_items, sorter, NULL);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      g_object_unref (sorter);
    }
  gtk_column_view_append_column (self->view, column);
  g_ptr_array_add (self->columns, column);
  g_ptr_array_add (self->titles, g_strdup (title));
}

/* "Oct 2026", "5 Oct" or, for a period covered in part, "1–2 Dec, partial" */
static char *
period_title (const CuCostPivot   *pivot,
              const CuPivotPeriod *p)
{
  if (p->partial)
    {
      g_autofree char *last = cu_format_day_short (p->covered_to);
      int y1, m1, d1, y2, m2;

      cu_day_to_ymd (p->covered_from, &y1, &m1, &d1);
      cu_day_to_ymd (p->covered_to, &y2, &m2, NULL);
      if (p->covered_from >= p->covered_to)
        /* TRANSLATORS: a period the data covers on one day only: "2 Dec, partial" */
        return g_strdup_printf (_("%s, partial"), last);
      if (y1 == y2 && m1 == m2)
        /* TRANSLATORS: days of one month the data covers: "1–2 Dec, partial" */
        return g_strdup_printf (_("%d–%s, partial"), d1, last);
      {
        g_autofree char *first = cu_format_day_short (p->covered_from);
        /* TRANSLATORS: "29 Nov – 2 Dec, partial" */
        return g_strdup_printf (_("%s – %s, partial"), first, last);
      }
    }
  if (pivot->granularity == CU_GRANULARITY_MONTH)
    {
      int y, m;
      g_autoptr(GDateTime) dt = NULL;

      cu_day_to_ymd (p->start, &y, &m, NULL);
      dt = g_date_time_new_utc (y, m, 1, 0, 0, 0);
      return g_date_time_format (dt, "%b %Y");
    }
  return cu_format_day_short (p->start);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CuPivotView *self = CU_PIVOT_VIEW (widget);
  g_autofree char *text = cu_pivot_view_get_text (self, TRUE);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
cu_pivot_view_dispose (GObject *object)
{
  CuPivotView *self = CU_PIVOT_VIEW (object);

  if (self->scroller != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->scroller));
      self->scroller = NULL;
    }
  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_clear_pointer (&self->titles, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  G_OBJECT_CLASS (cu_pivot_view_parent_class)->dispose (object);
}

static void
cu_pivot_view_class_init (CuPivotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cu_pivot_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_install_action (widget_class, "pivot.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "pivot.copy", NULL);
}

static void
cu_pivot_view_init (CuPivotView *self)
{
  self->store = g_list_store_new (CU_TYPE_PIVOT_ITEM);
  self->titles = g_ptr_array_new_with_free_func (g_free);
  self->columns = g_ptr_array_new ();
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                          g_object_ref (gtk_column_view_get_sorter (self->view)));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (self->sorted));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_set_show_column_separators (self->view, FALSE);
  gtk_column_view_set_show_row_separators (self->view, TRUE);
  gtk_column_view_set_reorderable (self->view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cost by group and period"), -1);

  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  /* wide tables scroll sideways; the page scrolls the rows */
  gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (self->scroller, TRUE);
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (self->view));
  gtk_widget_add_css_class (GTK_WIDGET (self->scroller), "card");
  gtk_widget_set_overflow (GTK_WIDGET (self->scroller), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_parent (GTK_WIDGET (self->scroller), GTK_WIDGET (self));
}

/* ---- public API ---- */

GtkWidget *
cu_pivot_view_new (void)
{
  return g_object_new (CU_TYPE_PIVOT_VIEW, NULL);
}

/**
 * cu_pivot_view_set_pivot:
 * @pivot: (nullable): the table to show; copied. Rows in other currencies
 *   than @currency are left out (the page's note says so)
 * @group_title: the first column's title ("Service")
 */
void
cu_pivot_view_set_pivot (CuPivotView       *self,
                         const CuCostPivot *pivot,
                         const char        *currency,
                         const char        *group_title)
{
  GtkColumnViewColumn *total = NULL;

  g_return_if_fail (CU_IS_PIVOT_VIEW (self));

  while (self->columns->len > 0)
    {
      gtk_column_view_remove_column (self->view, self->columns->pdata[self->columns->len - 1]);
      g_ptr_array_remove_index (self->columns, self->columns->len - 1);
    }
  g_ptr_array_set_size (self->titles, 0);
  g_list_store_remove_all (self->store);
  self->n_periods = pivot ? pivot->n_periods : 0;
  if (pivot == NULL)
    return;

  add_column (self, COL_GROUP, group_title, TRUE);
  add_column (self, COL_SPARK, _("Trend"), FALSE);
  for (guint i = 0; i < pivot->n_periods; i++)
    {
      g_autofree char *title = period_title (pivot, &pivot->periods[i]);
      add_column (self, COL_FIRST_PERIOD + i, title, FALSE);
    }
  add_column (self, COL_FIRST_PERIOD + pivot->n_periods, _("Total"), FALSE);
  total = self->columns->pdata[self->columns->len - 1];
  add_column (self, COL_FIRST_PERIOD + pivot->n_periods + 1, _("Change"), FALSE);
  add_column (self, COL_FIRST_PERIOD + pivot->n_periods + 2, _("Change %"), FALSE);
  add_column (self, COL_FIRST_PERIOD + pivot->n_periods + 3, _("Share"), FALSE);

  for (guint r = 0; r < pivot->rows->len; r++)
    {
      const CuPivotRow *row = pivot->rows->pdata[r];
      g_autoptr(CuPivotItem) item = NULL;

      if (currency != NULL && g_strcmp0 (row->currency, currency) != 0)
        continue;
      item = cu_pivot_item_new (row, pivot->n_periods);
      g_list_store_append (self->store, item);
    }
  /* largest total first, as the pivot comes */
  gtk_column_view_sort_by_column (self->view, total, GTK_SORT_DESCENDING);
}

guint
cu_pivot_view_get_n_rows (CuPivotView *self)
{
  g_return_val_if_fail (CU_IS_PIVOT_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

/**
 * cu_pivot_view_get_text:
 * @selected_only: only the selected rows, or every row when none is
 *
 * Returns: (transfer full): the table as shown (sorted), tab-separated,
 *   a header row first, amounts as plain numbers with a currency column
 */
char *
cu_pivot_view_get_text (CuPivotView *self,
                        gboolean     selected_only)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
  guint n = cu_pivot_view_get_n_rows (self);
  gboolean any = FALSE;

  g_return_val_if_fail (CU_IS_PIVOT_VIEW (self), NULL);

  for (guint i = 0; i < n && selected_only; i++)
    any |= gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), i);

  for (guint c = 0; c < self->titles->len; c++)
    if (c != COL_SPARK)
      g_ptr_array_add (f, g_strdup (self->titles->pdata[c]));
  g_ptr_array_add (f, g_strdup (_("Currency")));
  cu_output_tsv_row (out, f->len, (const char * const *) f->pdata);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CuPivotItem) item = g_list_model_get_item (G_LIST_MODEL (self->sorted), i);

      if (any && !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), i))
        continue;
      g_ptr_array_set_size (f, 0);
      for (guint c = 0; c < self->titles->len; c++)
        if (c != COL_SPARK)
          g_ptr_array_add (f, cell_plain (self, item, c));
      g_ptr_array_add (f, g_strdup (item->currency));
      cu_output_tsv_row (out, f->len, (const char * const *) f->pdata);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
cu_pivot_view_select_all (CuPivotView *self)
{
  g_return_if_fail (CU_IS_PIVOT_VIEW (self));
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

/**
 * cu_pivot_view_sort_by:
 * @column: 0 group, then (after the sparkline, 1) the periods from 2,
 *   total, change, change %, share
 */
void
cu_pivot_view_sort_by (CuPivotView *self,
                       guint        column,
                       gboolean     descending)
{
  g_return_if_fail (CU_IS_PIVOT_VIEW (self));
  g_return_if_fail (column < self->columns->len);

  gtk_column_view_sort_by_column (self->view, self->columns->pdata[column],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

/**
 * cu_pivot_view_get_cell:
 *
 * Returns: (transfer full) (nullable): the text shown in a cell of the
 *   sorted table
 */
char *
cu_pivot_view_get_cell (CuPivotView *self,
                        guint        row,
                        guint        column)
{
  g_autoptr(CuPivotItem) item = NULL;

  g_return_val_if_fail (CU_IS_PIVOT_VIEW (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->sorted), row);
  if (item == NULL || column >= self->columns->len)
    return NULL;
  return cell_text (self, item, column);
}
