/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-azure-costs.c — Cost Management rows into ledger rows; see the header */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/azure/cu-azure-costs.h"
#include "providers/azure/cu-azure-client.h"
#include "providers/cu-json-read.h"
#include "util/cu-money.h"

#include <string.h>

typedef struct {
  CuDay   day;
  char   *service;
  char   *location;   /* "" = none */
  char   *currency;
  gint64  billed;     /* ActualCost */
  gint64  effective;  /* AmortizedCost */
} AzCell;

struct _CuAzureCosts
{
  GHashTable *cells;   /* unambiguous key (lengths before the strings) → AzCell */
  char       *subscription;
};

static void
az_cell_free (gpointer data)
{
  AzCell *c = data;

  g_free (c->service);
  g_free (c->location);
  g_free (c->currency);
  g_free (c);
}

static gboolean
unexpected (GError **error, const char *what)
{
  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
               "Azure Cost Management sent an unexpected answer (%s)", what);
  return FALSE;
}

static int
column (const char * const *columns, const char * const *names)
{
  for (guint n = 0; names[n]; n++)
    for (int i = 0; columns[i]; i++)
      if (g_ascii_strcasecmp (columns[i], names[n]) == 0)
        return i;
  return -1;
}

/* A string cell, or @fallback for a missing column or a null; %FALSE for
 * any other type. */
static gboolean
text_cell (JsonArray *row, int index, const char *fallback, const char **out)
{
  JsonNode *node;

  *out = fallback;
  if (index < 0)
    return TRUE;
  node = cu_json_array_element (row, (guint) index);
  if (node == NULL)
    return FALSE;
  if (json_node_is_null (node))
    return TRUE;
  *out = cu_json_node_string (node);
  return *out != NULL;
}

/* UsageDate: YYYYMMDD (a number, which arrives here as its text), or an
 * ISO date. The year is checked before any calendar arithmetic. */
static gboolean
parse_usage_date (const char *text, CuDay *out)
{
  int y, m, d;

  if (text == NULL)
    return FALSE;
  if (strlen (text) == 8 && strspn (text, "0123456789") == 8)
    {
      y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
      m = (text[4] - '0') * 10 + (text[5] - '0');
      d = (text[6] - '0') * 10 + (text[7] - '0');
      if (y < 1900 || m < 1 || m > 12 || d < 1 || d > cu_days_in_month (y, m))
        return FALSE;
      *out = cu_day_from_ymd (y, m, d);
      return TRUE;
    }
  if (strlen (text) >= 10 && text[0] >= '1' && cu_day_parse (text, out))
    {
      cu_day_to_ymd (*out, &y, &m, &d);
      return y >= 1900;
    }
  return FALSE;
}

static gboolean
add_checked (gint64 *a, gint64 b)
{
  gint64 sum;

  if (__builtin_add_overflow (*a, b, &sum) || sum == G_MININT64)
    return FALSE;
  *a = sum;
  return TRUE;
}

/**
 * cu_azure_costs_new:
 * @subscription: (nullable): booked as every row's SubAccountId
 *
 * Returns: (transfer full): an empty accumulator
 */
CuAzureCosts *
cu_azure_costs_new (const char *subscription)
{
  CuAzureCosts *c = g_new0 (CuAzureCosts, 1);

  c->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, az_cell_free);
  c->subscription = g_strdup (subscription);
  return c;
}

void
cu_azure_costs_free (CuAzureCosts *c)
{
  if (c == NULL)
    return;
  g_hash_table_unref (c->cells);
  g_free (c->subscription);
  g_free (c);
}

/**
 * cu_azure_costs_add_rows:
 * @columns: (array zero-terminated=1): the page's column names in order
 * @rows: the page's rows, numbers as text (see cu_azure_parse_answer())
 * @amortized: the rows are AmortizedCost (else ActualCost)
 * @first: rows before this day are ignored
 * @last: rows after this day are ignored
 *
 * Adds one page of a query answer. On failure nothing of the page may be
 * used: the sync fails as a whole.
 */
gboolean
cu_azure_costs_add_rows (CuAzureCosts       *c,
                         const char * const *columns,
                         JsonArray          *rows,
                         gboolean            amortized,
                         CuDay               first,
                         CuDay               last,
                         GError            **error)
{
  static const char * const cost_names[] = { "Cost", "PreTaxCost", "CostUSD", "PreTaxCostUSD", NULL };
  static const char * const date_names[] = { "UsageDate", NULL };
  static const char * const service_names[] = { "ServiceName", NULL };
  static const char * const location_names[] = { "ResourceLocation", NULL };
  static const char * const currency_names[] = { "Currency", NULL };
  int c_cost, c_date, c_service, c_location, c_currency, c_max;

  g_return_val_if_fail (c != NULL && columns != NULL, FALSE);

  if (rows == NULL || json_array_get_length (rows) == 0)
    return TRUE;
  c_cost = column (columns, cost_names);
  c_date = column (columns, date_names);
  c_service = column (columns, service_names);
  c_location = column (columns, location_names);
  c_currency = column (columns, currency_names);
  if (c_cost < 0 || c_date < 0)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                   "Azure Cost Management sent rows without a cost or date column");
      return FALSE;
    }
  c_max = MAX (MAX (c_cost, c_date), MAX (c_service, MAX (c_location, c_currency)));

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonArray *row = cu_json_node_array (json_array_get_element (rows, i));
      const char *date_text, *cost_text, *service, *location, *currency;
      g_autofree char *key = NULL;
      gint64 micros = 0;
      CuDay day;
      AzCell *cell;

      if (row == NULL)
        return unexpected (error, "a row is not an array");
      if (json_array_get_length (row) <= (guint) c_max)
        return unexpected (error, "a row is shorter than its columns");
      if (!text_cell (row, c_date, NULL, &date_text) || !parse_usage_date (date_text, &day))
        return unexpected (error, "a row has no valid UsageDate");
      if (!text_cell (row, c_cost, NULL, &cost_text))
        return unexpected (error, "a cost is not a number");
      if (cost_text != NULL && (!cu_money_parse (cost_text, -1, &micros, NULL) || micros == G_MININT64))
        {
          g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                       "Azure Cost Management sent the cost “%.40s”, which is not an amount Cumulus can hold",
                       cost_text);
          return FALSE;
        }
      if (!text_cell (row, c_service, "", &service) || !text_cell (row, c_location, "", &location) ||
          !text_cell (row, c_currency, "USD", &currency))
        return unexpected (error, "a service, location or currency is not a string");
      if (day < first || day > last)
        continue;

      /* lengths first: no separator that could occur in the data */
      key = g_strdup_printf ("%d|%zu:%s|%zu:%s|%s", day, strlen (service), service,
                             strlen (location), location, currency);
      cell = g_hash_table_lookup (c->cells, key);
      if (cell == NULL)
        {
          cell = g_new0 (AzCell, 1);
          cell->day = day;
          cell->service = g_strdup (service);
          cell->location = g_strdup (location);
          cell->currency = g_strdup (currency);
          g_hash_table_insert (c->cells, g_steal_pointer (&key), cell);
        }
      if (!add_checked (amortized ? &cell->effective : &cell->billed, micros))
        {
          g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                       "Azure Cost Management sent costs for %s that add up beyond what Cumulus can hold",
                       service);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * cu_azure_costs_add_body:
 * @body: (array length=len): one query answer as it came from the network
 *
 * Parses one answer (cu_azure_parse_answer()) and adds its rows; the entry
 * point for the fuzz target and for tests.
 */
gboolean
cu_azure_costs_add_body (CuAzureCosts  *c,
                         const char    *body,
                         gsize          len,
                         gboolean       amortized,
                         CuDay          first,
                         CuDay          last,
                         GError       **error)
{
  g_autoptr(JsonNode) root = cu_azure_parse_answer (body, len, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonObject *props;
  JsonArray *columns;

  g_return_val_if_fail (c != NULL, FALSE);

  if (root == NULL)
    return FALSE;
  props = cu_json_get_object (cu_json_node_object (root), "properties");
  columns = cu_json_get_array (props, "columns");
  for (guint i = 0; columns && i < json_array_get_length (columns); i++)
    {
      const char *name = cu_json_get_string (cu_json_node_object (json_array_get_element (columns, i)), "name");

      if (name == NULL)
        return unexpected (error, "a column without a name");
      g_ptr_array_add (names, (gpointer) name);
    }
  g_ptr_array_add (names, NULL);
  return cu_azure_costs_add_rows (c, (const char * const *) names->pdata, cu_json_get_array (props, "rows"),
                                  amortized, first, last, error);
}

static int
cell_cmp (gconstpointer pa, gconstpointer pb)
{
  const AzCell *a = *(const AzCell * const *) pa, *b = *(const AzCell * const *) pb;
  int r;

  if (a->day != b->day)
    return a->day < b->day ? -1 : 1;
  if ((r = strcmp (a->service, b->service)) != 0)
    return r;
  if ((r = strcmp (a->location, b->location)) != 0)
    return r;
  return strcmp (a->currency, b->currency);
}

/**
 * cu_azure_costs_emit_rows:
 *
 * Calls @func once per ledger row, ordered by day, service, location and
 * currency.
 */
gboolean
cu_azure_costs_emit_rows (CuAzureCosts       *c,
                          CuProviderRowFunc   func,
                          gpointer            user_data,
                          guint64            *n_rows,
                          GError            **error)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  GHashTableIter it;
  gpointer value;

  g_return_val_if_fail (c != NULL && func != NULL, FALSE);

  g_hash_table_iter_init (&it, c->cells);
  while (g_hash_table_iter_next (&it, NULL, &value))
    g_ptr_array_add (cells, value);
  g_ptr_array_sort (cells, cell_cmp);
  for (guint i = 0; i < cells->len; i++)
    {
      AzCell *cell = cells->pdata[i];
      CuCostRow row = { 0 };
      char start[11], end[11];

      cu_day_format (cell->day, start);
      cu_day_format (cell->day + 1, end);
      row.charge_period_start = start;
      row.charge_period_end = end;
      row.billed_cost = cell->billed;
      row.effective_cost = cell->effective;
      row.billing_currency = cell->currency;
      row.provider_name = "Microsoft";
      row.publisher_name = "Microsoft";
      row.invoice_issuer_name = "Microsoft";
      row.service_name = cell->service;
      row.region_id = *cell->location ? cell->location : NULL;
      row.sub_account_id = c->subscription;
      row.charge_category = "Usage";
      row.charge_frequency = "Usage-Based";
      if (!func (&row, user_data, error))
        return FALSE;
      if (n_rows)
        (*n_rows)++;
    }
  return TRUE;
}

/**
 * cu_azure_plan_ranges:
 * @last: inclusive
 *
 * Splits [first, last] into consecutive ranges of at most 12 calendar
 * months and at most 365 days each, the longest Cost Management answers
 * (a 13-month first sync is two ranges).
 *
 * Returns: (transfer full) (element-type CuDayRange): the ranges in order
 */
GArray *
cu_azure_plan_ranges (CuDay first,
                      CuDay last)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (CuDayRange));

  for (CuDay start = first; start <= last;)
    {
      CuDayRange r = { start, MIN (last, MIN (cu_day_add_months (start, 12) - 1, start + 364)) };

      g_array_append_val (ranges, r);
      start = r.last + 1;
    }
  return ranges;
}
