/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-explorer-page.c — costs by any dimension over any period, compared and exported
 *
 * The query (group, periods, date range, filter) is copied into a request
 * and run with cu_ledger_query_costs() in a worker with its own ledger
 * connection, together with the same query over the same-length period just
 * before (for the change) and the values the filter can take. Each request
 * replaces the previous GCancellable; a stale result is dropped.
 *
 * Export writes exactly the cells shown — period × group, billed and
 * effective cost, currency — in the format of `cumulus-cli costs`, in a
 * worker.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <string.h>

#include "cu-explorer-page.h"
#include "cu-format.h"
#include "cu-page-job.h"
#include "cu-pivot-view.h"
#include "cu-plot.h"
#include "cu-series-chart.h"
#include "store/cu-comparison.h"
#include "store/cu-cost-pivot.h"
#include "store/cu-cost-report.h"
#include "store/cu-ledger.h"
#include "store/cu-tags.h"
#include "util/cu-money.h"

#define MAX_CHART_SERIES 8
#define MAX_TABLE_ROWS 60

typedef enum {
  RANGE_THIS_MONTH,
  RANGE_LAST_MONTH,
  RANGE_LAST_30,
  RANGE_LAST_90,
  RANGE_THIS_QUARTER,
  RANGE_YEAR_TO_DATE,
  RANGE_LAST_12_MONTHS,
  RANGE_CUSTOM,
} RangePreset;

static const char * const base_dimensions[] = { "service", "account", "region", "provider" };

struct _CuExplorerPage
{
  CuPage               parent_instance;

  /* template children */
  GtkScrolledWindow   *scroller;
  AdwComboRow         *group_row;
  AdwComboRow         *granularity_row;
  AdwComboRow         *range_row;
  AdwEntryRow         *from_row;
  AdwEntryRow         *to_row;
  AdwComboRow         *filter_row;
  AdwComboRow         *filter_value_row;
  GtkWidget           *status_box;
  GtkSpinner          *spinner;
  GtkLabel            *status_label;
  GtkWidget           *results_box;
  AdwActionRow        *total_row;
  GtkLabel            *total_label;
  AdwActionRow        *effective_row;
  GtkLabel            *effective_label;
  AdwActionRow        *previous_row;
  GtkLabel            *previous_label;
  AdwActionRow        *year_row;
  GtkLabel            *year_label;
  GtkLabel            *note_label;
  AdwPreferencesGroup *chart_group;
  CuSeriesChart       *chart;
  GtkFlowBox          *legend_box;
  AdwPreferencesGroup *table_group;
  GtkLabel            *table_empty_label;
  CuPivotView         *pivot_view;

  /* owned state */
  GCancellable        *cancellable;
  GPtrArray           *group_keys;     /* char*, parallel to group_row's model */
  GPtrArray           *filter_keys;    /* char* (NULL first), parallel to filter_row's */
  GStrv                filter_values;  /* parallel to filter_value_row's, after "All" */
  GStrv                tag_keys;
  GPtrArray           *cells;          /* of CuCostCell: what is shown */
  CuDay                from, to;       /* the range shown */
  CuComparison         comparison;     /* what it is compared with */
  CuDay                custom_from, custom_to;
  gint64               total;
  char                *currency;
  guint                n_groups;
  gboolean             updating;       /* models being refilled: not a user change */
};

G_DEFINE_FINAL_TYPE (CuExplorerPage, cu_explorer_page, CU_TYPE_PAGE)

typedef struct {
  CuDay          from, to;
  CuComparison   comparison;
  char          *group;
  CuGranularity  granularity;
  char          *filter_key;
  char          *filter_value;
  char          *values_key;    /* list the values of this dimension */
} Request;

typedef struct {
  GStrv      tag_keys;
  GPtrArray *cells;
  GPtrArray *previous;
  GPtrArray *year;          /* NULL for a range: no year-earlier column */
  CuCostPivot *pivot;       /* the cells as groups × periods */
  GStrv      filter_values;
  char      *currency;      /* the dominant one: what is shown */
  CuDay      data_first, data_last;
  gboolean   has_data;
} Result;

static void
request_free (Request *r)
{
  g_free (r->group);
  g_free (r->filter_key);
  g_free (r->filter_value);
  g_free (r->values_key);
  g_free (r);
}

static void
result_free (Result *r)
{
  g_strfreev (r->tag_keys);
  g_clear_pointer (&r->cells, g_ptr_array_unref);
  g_clear_pointer (&r->previous, g_ptr_array_unref);
  g_clear_pointer (&r->year, g_ptr_array_unref);
  g_clear_pointer (&r->pivot, cu_cost_pivot_free);
  g_strfreev (r->filter_values);
  g_free (r->currency);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static char *
dimension_label (const char *key)
{
  if (key == NULL)
    return g_strdup (_("Nothing (all costs)"));
  if (g_str_equal (key, "service"))
    return g_strdup (_("Service"));
  if (g_str_equal (key, "account"))
    return g_strdup (_("Cloud account"));
  if (g_str_equal (key, "region"))
    return g_strdup (_("Region"));
  if (g_str_equal (key, "provider"))
    return g_strdup (_("Provider"));
  if (g_str_has_prefix (key, "tag:"))
    /* TRANSLATORS: a tag key to group or filter by, "Tag: team" */
    return g_strdup_printf (_("Tag: %s"), key + 4);
  return g_strdup (key);
}

static const char *
group_name (const char *group)
{
  return group != NULL && *group != '\0' ? group : _("(none)");
}

static CuDay
anchor_day (void)
{
  /* today's costs are not in yet: the last complete day */
  return cu_day_today () - 1;
}

static void
preset_bounds (RangePreset preset,
               CuDay      *from,
               CuDay      *to)
{
  CuDay y = anchor_day ();
  int year, month;

  cu_day_to_ymd (y, &year, &month, NULL);
  *to = y;
  switch (preset)
    {
    case RANGE_THIS_MONTH:
      *from = cu_day_month_start (y);
      break;
    case RANGE_LAST_MONTH:
      *to = cu_day_month_start (y) - 1;
      *from = cu_day_month_start (*to);
      break;
    case RANGE_LAST_30:
      *from = y - 29;
      break;
    case RANGE_LAST_90:
      *from = y - 89;
      break;
    case RANGE_THIS_QUARTER:
      *from = cu_day_from_ymd (year, ((month - 1) / 3) * 3 + 1, 1);
      break;
    case RANGE_YEAR_TO_DATE:
      *from = cu_day_from_ymd (year, 1, 1);
      break;
    case RANGE_LAST_12_MONTHS:
    case RANGE_CUSTOM:
    default:
      *from = cu_day_add_months (cu_day_month_start (y), -11);
      break;
    }
}

/* what a preset is compared as: a calendar month, quarter or year with the
 * previous one, the rolling ranges with the days before them */
static CuPeriodKind
preset_kind (RangePreset preset)
{
  switch (preset)
    {
    case RANGE_THIS_MONTH:
    case RANGE_LAST_MONTH:
      return CU_PERIOD_KIND_MONTH;
    case RANGE_THIS_QUARTER:
      return CU_PERIOD_KIND_QUARTER;
    case RANGE_YEAR_TO_DATE:
      return CU_PERIOD_KIND_YEAR;
    case RANGE_CUSTOM:
      return CU_PERIOD_KIND_AUTO;
    case RANGE_LAST_30:
    case RANGE_LAST_90:
    case RANGE_LAST_12_MONTHS:
    default:
      return CU_PERIOD_KIND_RANGE;
    }
}

static CuGranularity
selected_granularity (CuExplorerPage *self)
{
  static const CuGranularity values[] = { CU_GRANULARITY_DAY, CU_GRANULARITY_WEEK, CU_GRANULARITY_MONTH };
  guint i = adw_combo_row_get_selected (self->granularity_row);

  return i < G_N_ELEMENTS (values) ? values[i] : CU_GRANULARITY_MONTH;
}

static const char *
selected_group (CuExplorerPage *self)
{
  guint i = adw_combo_row_get_selected (self->group_row);

  return i < self->group_keys->len ? g_ptr_array_index (self->group_keys, i) : "service";
}

static const char *
selected_filter_key (CuExplorerPage *self)
{
  guint i = adw_combo_row_get_selected (self->filter_row);

  return i < self->filter_keys->len ? g_ptr_array_index (self->filter_keys, i) : NULL;
}

static const char *
selected_filter_value (CuExplorerPage *self)
{
  guint i = adw_combo_row_get_selected (self->filter_value_row);

  if (i == 0 || i == GTK_INVALID_LIST_POSITION || self->filter_values == NULL ||
      i - 1 >= g_strv_length (self->filter_values))
    return NULL;
  return self->filter_values[i - 1];
}

/* the range chosen, or FALSE when the custom dates are not valid yet */
static gboolean
selected_range (CuExplorerPage *self,
                CuDay          *from,
                CuDay          *to)
{
  RangePreset preset = adw_combo_row_get_selected (self->range_row);

  if (preset != RANGE_CUSTOM)
    {
      preset_bounds (preset, from, to);
      return TRUE;
    }
  if (self->custom_from == CU_DAY_INVALID || self->custom_to == CU_DAY_INVALID ||
      self->custom_from > self->custom_to)
    return FALSE;
  *from = self->custom_from;
  *to = self->custom_to;
  return TRUE;
}

static void
show_status (CuExplorerPage *self,
             const char     *text,
             gboolean        spinning)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (self->status_box, text != NULL);
  cu_page_job_set_spinning (self->spinner, spinning);
  if (spinning)
    cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_LOADING);
}

static void
fill_string_model (AdwComboRow *row,
                   GPtrArray   *keys)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < keys->len; i++)
    {
      g_autofree char *label = dimension_label (g_ptr_array_index (keys, i));
      gtk_string_list_append (model, label);
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
}

static guint
find_key (GPtrArray  *keys,
          const char *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (keys, i), key) == 0)
      return i;
  return 0;
}

/* (Re)builds the dimension menus with the tag keys of the workspace,
 * keeping what was chosen. */
static void
fill_dimensions (CuExplorerPage     *self,
                 const char * const *tag_keys)
{
  g_autofree char *group = g_strdup (self->group_keys->len ? selected_group (self) : "service");
  g_autofree char *filter = g_strdup (selected_filter_key (self));

  self->updating = TRUE;

  g_ptr_array_set_size (self->group_keys, 0);
  g_ptr_array_set_size (self->filter_keys, 0);
  g_ptr_array_add (self->filter_keys, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (base_dimensions); i++)
    {
      g_ptr_array_add (self->group_keys, g_strdup (base_dimensions[i]));
      g_ptr_array_add (self->filter_keys, g_strdup (base_dimensions[i]));
    }
  for (guint i = 0; tag_keys != NULL && tag_keys[i] != NULL; i++)
    {
      g_ptr_array_add (self->group_keys, g_strconcat ("tag:", tag_keys[i], NULL));
      g_ptr_array_add (self->filter_keys, g_strconcat ("tag:", tag_keys[i], NULL));
    }

  fill_string_model (self->group_row, self->group_keys);
  fill_string_model (self->filter_row, self->filter_keys);
  adw_combo_row_set_selected (self->group_row, find_key (self->group_keys, group));
  adw_combo_row_set_selected (self->filter_row, find_key (self->filter_keys, filter));

  self->updating = FALSE;
}

static void
fill_filter_values (CuExplorerPage     *self,
                    const char * const *values)
{
  g_autofree char *current = g_strdup (selected_filter_value (self));
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint selected = 0;

  self->updating = TRUE;
  g_strfreev (self->filter_values);
  self->filter_values = g_strdupv ((char **) values);
  gtk_string_list_append (model, _("All values"));
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      gtk_string_list_append (model, group_name (values[i]));
      if (g_strcmp0 (values[i], current) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->filter_value_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->filter_value_row, selected);
  self->updating = FALSE;
}

static gboolean
strv_equal0 (const char * const *a,
             const char * const *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || *a == NULL) && (b == NULL || *b == NULL);
  return g_strv_equal (a, b);
}

/* ---- the worker ---- */

static GPtrArray *
query (CuLedger       *ledger,
       const char     *group,
       CuGranularity   granularity,
       CuDay           from,
       CuDay           to,
       const char     *filter_key,
       const char     *filter_value,
       GError        **error)
{
  CuCostQuery q;
  g_autofree char *tag_key = NULL;

  cu_cost_query_init (&q);
  if (!cu_group_by_parse (group, &q.group_by, &tag_key))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID, "Cannot group by “%s”", group);
      return NULL;
    }
  q.tag_key = tag_key;
  q.from = from;
  q.to = to;
  q.granularity = granularity;
  if (filter_key != NULL && filter_value != NULL)
    {
      q.filter_key = filter_key;
      q.filter_value = filter_value;
    }
  return cu_ledger_query_costs (ledger, &q, error);
}

static gpointer
load_run (CuLedger      *ledger,
          gpointer       request,
          GCancellable  *cancellable,
          GError       **error)
{
  Request *req = request;
  g_autoptr(Result) result = g_new0 (Result, 1);
  g_autoptr(GError) local_error = NULL;
  const CuComparison *cmp = &req->comparison;

  result->has_data = cu_ledger_get_day_range (ledger, &result->data_first, &result->data_last, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  result->tag_keys = cu_ledger_list_tag_keys (ledger, error);
  if (result->tag_keys != NULL)
    result->cells = query (ledger, req->group, req->granularity, req->from, req->to,
                           req->filter_key, req->filter_value, error);
  if (result->cells != NULL)
    result->previous = query (ledger, req->group, CU_GRANULARITY_TOTAL, cmp->like_from, cmp->like_to,
                              req->filter_key, req->filter_value, error);
  if (result->previous != NULL && cmp->year_from != CU_DAY_INVALID)
    {
      result->year = query (ledger, req->group, CU_GRANULARITY_TOTAL, cmp->year_from, cmp->year_to,
                            req->filter_key, req->filter_value, error);
      if (result->year == NULL)
        g_clear_pointer (&result->previous, g_ptr_array_unref);
    }
  if (result->previous != NULL && req->values_key != NULL)
    {
      g_autoptr(GPtrArray) values = query (ledger, req->values_key, CU_GRANULARITY_TOTAL,
                                           req->from, req->to, NULL, NULL, error);
      if (values != NULL)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          /* largest first: the value people look for is usually near the top */
          for (guint i = 0; i < values->len; i++)
            {
              guint best = i;
              for (guint j = i + 1; j < values->len; j++)
                if (((CuCostCell *) values->pdata[j])->billed > ((CuCostCell *) values->pdata[best])->billed)
                  best = j;
              if (best != i)
                {
                  gpointer t = values->pdata[i];
                  values->pdata[i] = values->pdata[best];
                  values->pdata[best] = t;
                }
              if (*((CuCostCell *) values->pdata[i])->group != '\0')
                g_strv_builder_add (builder, ((CuCostCell *) values->pdata[i])->group);
            }
          result->filter_values = g_strv_builder_end (builder);
        }
      else
        g_clear_pointer (&result->previous, g_ptr_array_unref);
    }
  if (result->cells != NULL && result->previous != NULL)
    {
      /* the currency with the most spend is the one shown; over an empty
       * range, the one of the period before */
      gboolean before = result->cells->len == 0 && result->previous->len > 0;

      result->currency = cu_ledger_get_dominant_currency (ledger, before ? cmp->like_from : req->from,
                                                          before ? cmp->like_to : req->to, NULL, error);
    }
  if (result->cells == NULL || result->previous == NULL || result->currency == NULL)
    return NULL;
  result->pivot = cu_cost_pivot_new (result->cells, req->granularity, req->from, req->to,
                                     result->has_data ? result->data_first : CU_DAY_INVALID,
                                     result->has_data ? result->data_last : CU_DAY_INVALID);
  /* one period: each group against its comparison period, not against itself */
  if (result->pivot->n_periods < 2)
    cu_cost_pivot_set_baseline (result->pivot, result->previous,
                                !(result->has_data && result->data_first > cmp->like_from));
  return g_steal_pointer (&result);
}

/* ---- showing the result ---- */

static char *
period_label (CuGranularity granularity,
              CuDay         start)
{
  switch (granularity)
    {
    case CU_GRANULARITY_MONTH:
      {
        /* "November 2026" is too wide for a column: "Nov 2026" */
        int y, mo;
        g_autoptr(GDateTime) dt = NULL;

        cu_day_to_ymd (start, &y, &mo, NULL);
        dt = g_date_time_new_utc (y, mo, 1, 0, 0, 0);
        return g_date_time_format (dt, "%b %Y");
      }
    case CU_GRANULARITY_WEEK:
    case CU_GRANULARITY_DAY:
    case CU_GRANULARITY_TOTAL:
    default:
      return cu_format_day_short (start);
    }
}

static char *
format_change (gint64      now,
               gint64      before,
               const char *currency)
{
  g_autofree char *amount = cu_money_format_display (now - before, currency);
  const char *sign = now - before >= 0 ? "+" : "";
  double pct;

  if (before <= 0)
    /* TRANSLATORS: a change from nothing: "+$1,234.56, new" */
    return g_strdup_printf (_("%s%s, none before"), sign, amount);
  pct = ((double) now - (double) before) / (double) before * 100.0;
  /* TRANSLATORS: "+$1,234.56 (+12.3%)"; the minus sign is part of the amount */
  return g_strdup_printf (_("%s%s (%s%.1f%%)"), sign, amount, pct >= 0 ? "+" : "−", ABS (pct));
}

/* "previous month", "previous month, same days", "the 30 days before" */
static char *
comparison_basis (const CuComparison *cmp)
{
  switch (cmp->kind)
    {
    case CU_PERIOD_KIND_MONTH:
      return g_strdup (cmp->partial ? _("the same days of the previous month") : _("previous month"));
    case CU_PERIOD_KIND_QUARTER:
      return g_strdup (cmp->partial ? _("the same days of the previous quarter") : _("previous quarter"));
    case CU_PERIOD_KIND_YEAR:
      return g_strdup (cmp->partial ? _("the same days of the previous year") : _("previous year"));
    case CU_PERIOD_KIND_AUTO:
    case CU_PERIOD_KIND_RANGE:
    default:
      {
        int len = cmp->to - cmp->from + 1;
        /* TRANSLATORS: the same number of days just before the range */
        return g_strdup_printf (g_dngettext (NULL, "the %d day before", "the %d days before", len), len);
      }
    }
}

static const char *
comparison_title (const CuComparison *cmp)
{
  switch (cmp->kind)
    {
    case CU_PERIOD_KIND_MONTH:
      return cmp->partial ? _("Previous month, same days") : _("Previous month");
    case CU_PERIOD_KIND_QUARTER:
      return cmp->partial ? _("Previous quarter, same days") : _("Previous quarter");
    case CU_PERIOD_KIND_YEAR:
      return cmp->partial ? _("Previous year, same days") : _("Previous year");
    case CU_PERIOD_KIND_AUTO:
    case CU_PERIOD_KIND_RANGE:
    default:
      return _("Previous period");
    }
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
    }
}

typedef struct {
  const char *name;
  gint64      billed;
  gint64      previous;
} GroupTotal;

static int
compare_totals (gconstpointer a,
                gconstpointer b)
{
  const GroupTotal *x = a, *y = b;

  if (x->billed != y->billed)
    return x->billed > y->billed ? -1 : 1;
  if (x->previous != y->previous)
    return x->previous > y->previous ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static void
show_result (CuExplorerPage *self,
             Result         *result)
{
  CuGranularity granularity = selected_granularity (self);
  g_autoptr(GHashTable) by_group = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) groups = g_array_new (FALSE, TRUE, sizeof (GroupTotal));
  g_autoptr(GArray) periods = g_array_new (FALSE, FALSE, sizeof (CuDay));
  g_autoptr(GHashTable) period_index = g_hash_table_new (NULL, NULL);
  const char *currency = result->currency;
  gint64 total = 0, effective = 0, previous = 0;
  gboolean mixed = FALSE, any_partial = FALSE;
  guint n_series, n_shown;
  gboolean other;
  g_autofree double *values = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *period = cu_format_period (self->from, self->to);
  const CuComparison *cmp = &self->comparison;
  g_autofree char *prev_period = cu_format_period (cmp->like_from, cmp->like_to);
  g_autofree char *basis = comparison_basis (cmp);
  gint64 year = 0;
  /* a comparison period the data covers only in part is not like for
   * like: its change is shown in money, without a percentage */
  gboolean prev_partial = result->has_data && result->data_first > cmp->like_from;
  g_autoptr(GString) note = g_string_new (NULL);
  g_autofree char *text = NULL;

  /* cells in other currencies are left out, and the note says so */
  for (guint i = 0; i < result->cells->len; i++)
    mixed |= !g_str_equal (((CuCostCell *) result->cells->pdata[i])->currency, currency);

  /* totals per group, this period and the previous one */
  for (guint i = 0; i < result->cells->len; i++)
    {
      CuCostCell *c = result->cells->pdata[i];
      gpointer idx;

      if (!g_str_equal (c->currency, currency))
        continue;
      if (!g_hash_table_lookup_extended (by_group, c->group, NULL, &idx))
        {
          GroupTotal g = { c->group, 0, 0 };
          idx = GUINT_TO_POINTER (groups->len);
          g_array_append_val (groups, g);
          g_hash_table_insert (by_group, c->group, idx);
        }
      g_array_index (groups, GroupTotal, GPOINTER_TO_UINT (idx)).billed += c->billed;
      total += c->billed;
      effective += c->effective;
      if (!g_hash_table_contains (period_index, GINT_TO_POINTER (c->period_start)))
        {
          g_hash_table_insert (period_index, GINT_TO_POINTER (c->period_start), NULL);
          g_array_append_val (periods, c->period_start);
        }
    }
  for (guint i = 0; i < result->previous->len; i++)
    {
      CuCostCell *c = result->previous->pdata[i];
      gpointer idx;

      if (!g_str_equal (c->currency, currency))
        continue;
      if (!g_hash_table_lookup_extended (by_group, c->group, NULL, &idx))
        {
          GroupTotal g = { c->group, 0, 0 };
          idx = GUINT_TO_POINTER (groups->len);
          g_array_append_val (groups, g);
          g_hash_table_insert (by_group, c->group, idx);
        }
      g_array_index (groups, GroupTotal, GPOINTER_TO_UINT (idx)).previous += c->billed;
      previous += c->billed;
    }
  if (result->year != NULL)
    for (guint i = 0; i < result->year->len; i++)
      {
        CuCostCell *c = result->year->pdata[i];
        if (g_str_equal (c->currency, currency))
          year += c->billed;
      }
  g_array_sort (groups, compare_totals);
  /* the order changed: index again */
  g_hash_table_remove_all (by_group);
  for (guint i = 0; i < groups->len; i++)
    g_hash_table_insert (by_group, (gpointer) g_array_index (groups, GroupTotal, i).name, GUINT_TO_POINTER (i));

  g_free (self->currency);
  self->currency = g_strdup (currency);
  self->total = total;
  self->n_groups = 0;
  for (guint i = 0; i < groups->len; i++)
    self->n_groups += g_array_index (groups, GroupTotal, i).billed != 0;

  /* summary */
  {
    g_autofree char *group_label = dimension_label (selected_group (self));
    const char *fk = selected_filter_key (self);
    const char *fv = selected_filter_value (self);
    g_autofree char *amount = cu_money_format_display (total, currency);
    g_autofree char *eff = cu_money_format_display (effective, currency);
    g_autofree char *prev = cu_money_format_display (previous, currency);
    g_autofree char *change = format_change (total, prev_partial ? 0 : previous, currency);
    g_autofree char *subtitle = NULL;

    if (fk != NULL && fv != NULL)
      {
        g_autofree char *fl = dimension_label (fk);
        /* TRANSLATORS: "1 Nov 2025 – 31 Oct 2026 · Service is Amazon EC2 · USD" */
        subtitle = g_strdup_printf (_("%s · %s is %s · %s"), period, fl, group_name (fv), currency);
      }
    else
      subtitle = g_strdup_printf (_("%s · all costs · %s"), period, currency);
    {
      g_autofree char *with_change = NULL;

      if (prev_partial)
        {
          g_autofree char *diff = cu_money_format_display (total - previous, currency);
          /* TRANSLATORS: "+$12.00 on 1–31 Oct 2026 (previous month), which the data covers only in part" */
          with_change = g_strdup_printf (_("%s\n%s%s on %s (%s), which the data covers only in part"), subtitle,
                                         total - previous >= 0 ? "+" : "", diff, prev_period, basis);
        }
      else
        /* TRANSLATORS: "+$3,061.05 (+6.7%) on 1–31 Oct 2026 (previous month)" */
        with_change = g_strdup_printf (_("%s\n%s on %s (%s)"), subtitle, change, prev_period, basis);
      g_free (subtitle);
      subtitle = g_steal_pointer (&with_change);
    }
    adw_action_row_set_subtitle (self->total_row, subtitle);
    gtk_label_set_label (self->total_label, amount);
    adw_action_row_set_subtitle (self->effective_row, period);
    gtk_label_set_label (self->effective_label, eff);
    g_free (subtitle);
    /* TRANSLATORS: "1–31 Oct 2026 (previous month)", "2 Nov 2024 – 31 Oct 2025 (the 365 days before)" */
    subtitle = g_strdup_printf (_("%s (%s)"), prev_period, basis);
    adw_action_row_set_subtitle (self->previous_row, subtitle);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->previous_row), comparison_title (cmp));
    gtk_label_set_label (self->previous_label, prev);
    gtk_widget_set_visible (GTK_WIDGET (self->year_row), result->year != NULL);
    if (result->year != NULL)
      {
        g_autofree char *yp = cu_format_period (cmp->year_from, cmp->year_to);
        g_autofree char *ya = cu_money_format_display (year, currency);
        gboolean year_partial = result->has_data && result->data_first > cmp->year_from;
        g_autofree char *yc = year_partial ? NULL : format_change (total, year, currency);

        g_free (subtitle);
        if (yc != NULL)
          /* TRANSLATORS: "1–30 Nov 2025 · now +$12,345.67 (+40.1%)" */
          subtitle = g_strdup_printf (_("%s · now %s"), yp, yc);
        else
          /* TRANSLATORS: the data starts inside the period a year earlier */
          subtitle = g_strdup_printf (_("%s · the data covers it only in part"), yp);
        adw_action_row_set_subtitle (self->year_row, subtitle);
        gtk_label_set_label (self->year_label, ya);
      }

    text = g_strdup_printf (_("By %s"), group_label);
    adw_preferences_group_set_title (self->table_group, text);
    g_clear_pointer (&text, g_free);
  }

  if (result->has_data && result->data_first > cmp->like_from && result->data_first <= self->to)
    {
      g_autofree char *first = cu_format_day (result->data_first);
      g_string_append_printf (note, _("The workspace has costs from %s only; periods before that day count as zero."), first);
    }
  if (result->has_data && result->data_last < self->to)
    {
      g_autofree char *last = cu_format_day (result->data_last);
      if (note->len)
        g_string_append_c (note, ' ');
      g_string_append_printf (note, _("The workspace has no costs after %s."), last);
    }
  if (mixed)
    {
      if (note->len)
        g_string_append_c (note, ' ');
      g_string_append_printf (note, _("Costs billed in currencies other than %s are not included here; the export has them."), currency);
    }
  gtk_label_set_label (self->note_label, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note->len > 0);

  /* chart: the largest groups stacked, the rest as "Other" */
  {
    CuDay *p = (CuDay *) periods->data;
    /* insertion sort: few periods, and CuDay is an int */
    for (guint i = 1; i < periods->len; i++)
      for (guint j = i; j > 0 && p[j - 1] > p[j]; j--)
        {
          CuDay t = p[j];
          p[j] = p[j - 1];
          p[j - 1] = t;
        }
  }
  g_hash_table_remove_all (period_index);
  for (guint i = 0; i < periods->len; i++)
    {
      CuDay start = g_array_index (periods, CuDay, i);
      g_hash_table_insert (period_index, GINT_TO_POINTER (start), GUINT_TO_POINTER (i));
      g_ptr_array_add (labels, period_label (granularity, start));
    }
  n_shown = MIN (self->n_groups, MAX_CHART_SERIES);
  other = self->n_groups > MAX_CHART_SERIES;
  if (other)
    n_shown = MAX_CHART_SERIES - 1;
  n_series = n_shown + (other ? 1 : 0);
  values = g_new0 (double, MAX (n_series, 1) * MAX (periods->len, 1));
  for (guint s = 0; s < n_shown; s++)
    g_ptr_array_add (names, (gpointer) group_name (g_array_index (groups, GroupTotal, s).name));
  if (other)
    g_ptr_array_add (names, _("Other"));
  for (guint i = 0; i < result->cells->len; i++)
    {
      CuCostCell *c = result->cells->pdata[i];
      guint s, col;

      if (!g_str_equal (c->currency, currency))
        continue;
      s = GPOINTER_TO_UINT (g_hash_table_lookup (by_group, c->group));
      col = GPOINTER_TO_UINT (g_hash_table_lookup (period_index, GINT_TO_POINTER (c->period_start)));
      s = MIN (s, n_series - 1);
      values[s * periods->len + col] += cu_money_to_double (c->billed);
    }
  cu_series_chart_set_currency (self->chart, currency);
  if (periods->len > 0 && n_series > 0)
    {
      g_autofree gboolean *partial = g_new0 (gboolean, periods->len);

      cu_series_chart_set_columns (self->chart, periods->len, (const char * const *) labels->pdata,
                                   n_series, (const char * const *) names->pdata, values, other);
      for (guint i = 0; i < periods->len; i++)
        for (guint k = 0; k < result->pivot->n_periods; k++)
          if (result->pivot->periods[k].start == g_array_index (periods, CuDay, i))
            {
              partial[i] = result->pivot->periods[k].partial;
              any_partial |= partial[i];
            }
      cu_series_chart_set_partial (self->chart, partial);
    }
  else
    cu_series_chart_clear (self->chart);
  {
    static const char * const per[] = { N_("per period"), N_("per day"), N_("per week, Monday to Sunday"), N_("per month") };
    g_autofree char *group_label = dimension_label (selected_group (self));
    g_autofree char *lower = g_utf8_strdown (group_label, -1);
    text = g_strdup_printf (_("%s · billed cost %s in %s, stacked by the largest groups (%s)%s"),
                            period, _(per[granularity]), currency, lower,
                            any_partial ? _("; hatched: a period the data covers only in part") : "");
    adw_preferences_group_set_description (self->chart_group, text);
    g_clear_pointer (&text, g_free);
  }

  clear_box (GTK_WIDGET (self->legend_box));
  for (guint s = 0; s < n_series; s++)
    {
      GtkWidget *label = cu_plot_legend_label_new (s, n_series, other, names->pdata[s]);

      gtk_widget_set_tooltip_text (label, names->pdata[s]);
      gtk_flow_box_append (self->legend_box, label);
    }

  /* table: every group by period, with its total, change and share */
  {
    g_autofree char *group_label = dimension_label (selected_group (self));

    cu_pivot_view_set_pivot (self->pivot_view, result->pivot, currency, group_label);
    gtk_widget_set_visible (GTK_WIDGET (self->pivot_view), cu_pivot_view_get_n_rows (self->pivot_view) > 0);
    gtk_widget_set_visible (GTK_WIDGET (self->table_empty_label), cu_pivot_view_get_n_rows (self->pivot_view) == 0);
    if (result->pivot->n_periods > 1)
      {
        const CuPivotPeriod *a = &result->pivot->periods[0];
        const CuPivotPeriod *z = &result->pivot->periods[result->pivot->n_periods - 1];
        g_autofree char *first = cu_format_period (a->covered_from, a->covered_to);
        g_autofree char *last = cu_format_period (z->covered_from, z->covered_to);

        /* TRANSLATORS: what the table's Change column is */
        text = g_strdup_printf (_("Change: %s against %s, in %s%s"), last, first, currency,
                                a->partial || z->partial ? _("; none where one of the two is partial") : "");
        adw_preferences_group_set_description (self->table_group, text);
        g_clear_pointer (&text, g_free);
      }
    else
      {
        /* TRANSLATORS: "Change: against 1–30 Sep 2026 (previous month), in USD" */
        text = g_strdup_printf (_("Change: against %s (%s), in %s"), prev_period, basis, currency);
        adw_preferences_group_set_description (self->table_group, text);
        g_clear_pointer (&text, g_free);
      }
  }
}

static void
load_done (gpointer      source,
           gpointer      request,
           gpointer      data,
           const GError *error)
{
  CuExplorerPage *self = CU_EXPLORER_PAGE (source);
  g_autoptr(Result) result = data;
  Request *req = request;

  if (result == NULL)
    {
      show_status (self, error->message, FALSE);
      gtk_widget_set_visible (self->results_box, FALSE);
      cu_page_set_error (CU_PAGE (self), error->message);
      return;
    }

  if (!strv_equal0 ((const char * const *) self->tag_keys, (const char * const *) result->tag_keys))
    {
      g_strfreev (self->tag_keys);
      self->tag_keys = g_strdupv (result->tag_keys);
      fill_dimensions (self, (const char * const *) result->tag_keys);
    }
  if (req->values_key != NULL)
    fill_filter_values (self, (const char * const *) result->filter_values);

  g_clear_pointer (&self->cells, g_ptr_array_unref);
  self->cells = g_ptr_array_ref (result->cells);
  self->from = req->from;
  self->to = req->to;
  self->comparison = req->comparison;

  show_result (self, result);
  show_status (self, NULL, FALSE);
  gtk_widget_set_visible (self->results_box, TRUE);
  cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_READY);
}

static const CuPageJobInfo load_job = {
  .name = "[cumulus] cost explorer",
  .run = load_run,
  .done = load_done,
  .request_free = (GDestroyNotify) request_free,
  .result_free = (GDestroyNotify) result_free,
};

static void
start_load (CuExplorerPage *self,
            gboolean        list_values)
{
  const char *workspace = cu_page_get_workspace (CU_PAGE (self));
  Request *req;
  CuDay from, to;

  cu_page_job_cancel (&self->cancellable);

  if (workspace == NULL)
    {
      show_status (self, NULL, FALSE);
      cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_IDLE);
      return;
    }
  if (!selected_range (self, &from, &to))
    {
      show_status (self, _("Enter a valid date range to see its costs."), FALSE);
      cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_READY);
      return;
    }

  req = g_new0 (Request, 1);
  req->from = from;
  req->to = to;
  if (!cu_comparison_compute (preset_kind (adw_combo_row_get_selected (self->range_row)), from, to, &req->comparison))
    {
      g_free (req);
      show_status (self, _("Enter a valid date range to see its costs."), FALSE);
      cu_page_set_state (CU_PAGE (self), CU_PAGE_STATE_READY);
      return;
    }
  req->group = g_strdup (selected_group (self));
  req->granularity = selected_granularity (self);
  req->filter_key = g_strdup (selected_filter_key (self));
  req->filter_value = g_strdup (selected_filter_value (self));
  if (req->filter_key != NULL && (list_values || self->filter_values == NULL))
    req->values_key = g_strdup (req->filter_key);

  show_status (self, _("Adding up costs…"), TRUE);
  cu_page_job_start (&load_job, self, &self->cancellable, workspace, req);
}

/* ---- callbacks ---- */

static void
query_changed_cb (CuExplorerPage *self)
{
  if (self->updating)
    return;
  start_load (self, FALSE);
}

static void
filter_changed_cb (CuExplorerPage *self)
{
  if (self->updating)
    return;
  /* a new dimension: its values are listed again, and none is chosen yet */
  g_clear_pointer (&self->filter_values, g_strfreev);
  self->updating = TRUE;
  adw_combo_row_set_model (self->filter_value_row, NULL);
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->filter_value_row), selected_filter_key (self) != NULL);
  start_load (self, TRUE);
}

static void
validate_date_row (AdwEntryRow *row,
                   CuDay       *out)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  CuDay day;

  if (cu_day_parse (text, &day))
    {
      *out = day;
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
    }
  else
    {
      *out = CU_DAY_INVALID;
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
    }
}

static void
custom_changed_cb (CuExplorerPage *self)
{
  if (self->updating)
    return;
  validate_date_row (self->from_row, &self->custom_from);
  validate_date_row (self->to_row, &self->custom_to);
  if (self->custom_from != CU_DAY_INVALID && self->custom_to != CU_DAY_INVALID &&
      self->custom_from > self->custom_to)
    gtk_widget_add_css_class (GTK_WIDGET (self->to_row), "error");
  start_load (self, FALSE);
}

static void
set_custom_text (CuExplorerPage *self,
                 CuDay           from,
                 CuDay           to)
{
  char buf[11];

  self->updating = TRUE;
  cu_day_format (from, buf);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), buf);
  cu_day_format (to, buf);
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), buf);
  gtk_widget_remove_css_class (GTK_WIDGET (self->from_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->to_row), "error");
  self->custom_from = from;
  self->custom_to = to;
  self->updating = FALSE;
}

static void
range_changed_cb (CuExplorerPage *self)
{
  gboolean custom = adw_combo_row_get_selected (self->range_row) == RANGE_CUSTOM;

  if (custom && (self->custom_from == CU_DAY_INVALID || self->custom_to == CU_DAY_INVALID))
    {
      CuDay from, to;
      if (self->cells != NULL)
        set_custom_text (self, self->from, self->to);
      else
        {
          preset_bounds (RANGE_LAST_12_MONTHS, &from, &to);
          set_custom_text (self, from, to);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->from_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->to_row), custom);
  if (self->updating)
    return;
  start_load (self, FALSE);
}

/* ---- export ---- */

typedef struct {
  GPtrArray *cells;
  char      *format;
  GFile     *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_ptr_array_unref (job->cells);
  g_free (job->format);
  g_object_unref (job->file);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  CuOutputFormat format = CU_OUTPUT_FORMAT_CSV;

  /* the same rendering as `cumulus-cli costs --format` */
  cu_output_format_parse (job->format, &format);
  cu_cost_cells_append (out, job->cells, format);

  if (!g_file_replace_contents (job->file, out->str, out->len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CuExplorerPage *self = CU_EXPLORER_PAGE (source_object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = g_file_get_basename (file);

  if (!cu_explorer_page_export_finish (self, result, &error))
    message = g_strdup_printf (_("Could not export: %s"), error->message);
  else
    message = g_strdup_printf (_("Exported to %s"), name);
  gtk_widget_activate_action (GTK_WIDGET (self), "window.toast", "s", message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  CuExplorerPage *self = CU_EXPLORER_PAGE (user_data);
  const char *format = g_object_get_data (G_OBJECT (dialog), "format");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      cu_explorer_page_export_async (self, file, format, NULL, export_done_cb, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CuExplorerPage *self = CU_EXPLORER_PAGE (widget);
  g_autofree char *text = cu_pivot_view_get_text (self->pivot_view, TRUE);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CuExplorerPage *self = CU_EXPLORER_PAGE (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->cells == NULL)
    return;
  from = cu_day_to_string (self->from);
  to = cu_day_to_string (self->to);
  name = g_strdup_printf ("costs-%s-%s-%s.%s", selected_group (self), from, to, format);
  g_strdelimit (name, ":/", '-');

  dialog = gtk_file_chooser_native_new (g_str_equal (format, "json") ? _("Export Costs as JSON")
                                                                     : _("Export Costs as CSV"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_filter_set_name (filter, g_str_equal (format, "json") ? _("JSON files") : _("CSV files"));
  gtk_file_filter_add_suffix (filter, format);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data_full (G_OBJECT (dialog), "format", g_strdup (format), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- GObject ---- */

static void
cu_explorer_page_dispose (GObject *object)
{
  CuExplorerPage *self = CU_EXPLORER_PAGE (object);

  cu_page_job_cancel (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CU_TYPE_EXPLORER_PAGE);

  G_OBJECT_CLASS (cu_explorer_page_parent_class)->dispose (object);
}

static void
cu_explorer_page_finalize (GObject *object)
{
  CuExplorerPage *self = CU_EXPLORER_PAGE (object);

  g_ptr_array_unref (self->group_keys);
  g_ptr_array_unref (self->filter_keys);
  g_strfreev (self->filter_values);
  g_strfreev (self->tag_keys);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_free (self->currency);

  G_OBJECT_CLASS (cu_explorer_page_parent_class)->finalize (object);
}

/* Runs the query again in a worker; a load under way is cancelled. */
static void
cu_explorer_page_reload (CuPage *page)
{
  start_load (CU_EXPLORER_PAGE (page), TRUE);
}

/* the filter values listed belong to the old workspace */
static void
cu_explorer_page_workspace_changed (CuPage *page)
{
  g_clear_pointer (&CU_EXPLORER_PAGE (page)->filter_values, g_strfreev);
}

static void
cu_explorer_page_class_init (CuExplorerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CuPageClass *page_class = CU_PAGE_CLASS (klass);

  object_class->dispose = cu_explorer_page_dispose;
  object_class->finalize = cu_explorer_page_finalize;
  page_class->reload = cu_explorer_page_reload;
  page_class->workspace_changed = cu_explorer_page_workspace_changed;
  page_class->reload_on = CU_WORKSPACE_CHANGE_COSTS;

  g_type_ensure (CU_TYPE_SERIES_CHART);
  g_type_ensure (CU_TYPE_PIVOT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cumulusfinops/Cumulus/cu-explorer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, group_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, granularity_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, range_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, to_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, filter_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, filter_value_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, total_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, effective_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, effective_label);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, previous_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, previous_label);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, year_row);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, year_label);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, note_label);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, chart_group);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, chart);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, table_group);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, table_empty_label);
  gtk_widget_class_bind_template_child (widget_class, CuExplorerPage, pivot_view);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_changed_cb);

  gtk_widget_class_install_action (widget_class, "explorer.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "explorer.copy", NULL, copy_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cu_explorer_page_init (CuExplorerPage *self)
{
  self->group_keys = g_ptr_array_new_with_free_func (g_free);
  self->filter_keys = g_ptr_array_new_with_free_func (g_free);
  self->custom_from = self->custom_to = CU_DAY_INVALID;

  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_dimensions (self, NULL);
  self->updating = TRUE;
  /* a year by month, by service: the question asked most */
  adw_combo_row_set_selected (self->granularity_row, 2);
  adw_combo_row_set_selected (self->range_row, RANGE_LAST_12_MONTHS);
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

/* ---- public API ---- */

/**
 * cu_explorer_page_new:
 *
 * Returns: (transfer floating): a new page, empty until given a workspace
 */
GtkWidget *
cu_explorer_page_new (void)
{
  return g_object_new (CU_TYPE_EXPLORER_PAGE, NULL);
}

/**
 * cu_explorer_page_set_group_by:
 * @group: "service", "account", "region", "provider" or "tag:KEY"
 */
void
cu_explorer_page_set_group_by (CuExplorerPage *self,
                               const char     *group)
{
  g_return_if_fail (CU_IS_EXPLORER_PAGE (self));

  for (guint i = 0; i < self->group_keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->group_keys, i), group) == 0)
      {
        adw_combo_row_set_selected (self->group_row, i);
        return;
      }
  g_warning ("Cannot group by %s", group);
}

void
cu_explorer_page_set_granularity (CuExplorerPage *self,
                                  CuGranularity   granularity)
{
  g_return_if_fail (CU_IS_EXPLORER_PAGE (self));
  g_return_if_fail (granularity != CU_GRANULARITY_TOTAL);

  adw_combo_row_set_selected (self->granularity_row, granularity - CU_GRANULARITY_DAY);
}

/**
 * cu_explorer_page_set_range:
 * @from: first day
 * @to: last day, inclusive
 *
 * Switches to a custom range.
 */
void
cu_explorer_page_set_range (CuExplorerPage *self,
                            CuDay           from,
                            CuDay           to)
{
  g_return_if_fail (CU_IS_EXPLORER_PAGE (self));

  set_custom_text (self, from, to);
  if (adw_combo_row_get_selected (self->range_row) != RANGE_CUSTOM)
    adw_combo_row_set_selected (self->range_row, RANGE_CUSTOM);
  else
    start_load (self, FALSE);
}

/**
 * cu_explorer_page_get_range:
 *
 * The range of the figures shown.
 */
void
cu_explorer_page_get_range (CuExplorerPage *self,
                            CuDay          *from,
                            CuDay          *to)
{
  g_return_if_fail (CU_IS_EXPLORER_PAGE (self));
  *from = self->from;
  *to = self->to;
}

/**
 * cu_explorer_page_get_total:
 * @currency: (out) (optional) (transfer none): its currency
 *
 * Returns: the billed cost shown, in micro-units
 */
gint64
cu_explorer_page_get_total (CuExplorerPage  *self,
                            const char     **currency)
{
  g_return_val_if_fail (CU_IS_EXPLORER_PAGE (self), 0);
  if (currency)
    *currency = self->currency;
  return self->total;
}

guint
cu_explorer_page_get_n_groups (CuExplorerPage *self)
{
  g_return_val_if_fail (CU_IS_EXPLORER_PAGE (self), 0);
  return self->n_groups;
}

/**
 * cu_explorer_page_export_async:
 * @file: where to write
 * @format: "csv" or "json", as `cumulus-cli costs --format`
 *
 * Writes the cells shown (period × group) in a worker.
 */
void
cu_explorer_page_export_async (CuExplorerPage      *self,
                               GFile               *file,
                               const char          *format,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (CU_IS_EXPLORER_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (g_strcmp0 (format, "csv") == 0 || g_strcmp0 (format, "json") == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cu_explorer_page_export_async);
  g_task_set_name (task, "[cumulus] export costs");
  if (self->cells == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("Nothing to export yet"));
      return;
    }
  job = g_new0 (ExportJob, 1);
  /* the cells are never changed after a load: sharing them is safe */
  job->cells = g_ptr_array_ref (self->cells);
  job->format = g_strdup (format);
  job->file = g_object_ref (file);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
cu_explorer_page_export_finish (CuExplorerPage  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cu_explorer_page_get_pivot_view:
 *
 * Returns: (transfer none): the table of groups × periods (a CuPivotView)
 */
GtkWidget *
cu_explorer_page_get_pivot_view (CuExplorerPage *self)
{
  g_return_val_if_fail (CU_IS_EXPLORER_PAGE (self), NULL);
  return GTK_WIDGET (self->pivot_view);
}
