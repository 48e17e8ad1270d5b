/* cu-cost-explorer.c — GetCostAndUsage, paginated, into ledger rows */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/aws/cu-cost-explorer.h"
#include "util/cu-money.h"

#include <string.h>

__extension__ typedef __int128 CuInt128;

typedef struct {
  gint64 billed;     /* UnblendedCost */
  gint64 effective;  /* AmortizedCost */
} Amt;

typedef struct {
  char       *day;
  char       *service;
  GHashTable *accounts;  /* id → Amt */
  GHashTable *regions;   /* region → Amt */
} DayService;

struct _CuCeAccum
{
  GHashTable *cells;     /* "day\x1fservice" → DayService */
  GHashTable *names;     /* linked account id → name */
  char       *currency;
  CuDay       first_estimated;
};

static void
day_service_free (gpointer data)
{
  DayService *ds = data;
  g_free (ds->day);
  g_free (ds->service);
  g_hash_table_unref (ds->accounts);
  g_hash_table_unref (ds->regions);
  g_free (ds);
}

CuCeAccum *
cu_ce_accum_new (void)
{
  CuCeAccum *a = g_new0 (CuCeAccum, 1);

  a->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, day_service_free);
  a->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  a->first_estimated = CU_DAY_INVALID;
  return a;
}

void
cu_ce_accum_free (CuCeAccum *a)
{
  if (a == NULL)
    return;
  g_hash_table_unref (a->cells);
  g_hash_table_unref (a->names);
  g_free (a->currency);
  g_free (a);
}

CuDay
cu_ce_accum_first_estimated (CuCeAccum *a)
{
  return a->first_estimated;
}

static gboolean
metric_amount (JsonObject *metrics, const char *name, gint64 *out, const char **unit, GError **error)
{
  JsonObject *m;
  const char *amount;

  *out = 0;
  if (metrics == NULL || !json_object_has_member (metrics, name))
    return TRUE;
  m = json_object_get_object_member (metrics, name);
  if (m == NULL)
    return TRUE;
  amount = json_object_get_string_member_with_default (m, "Amount", NULL);
  if (unit && json_object_has_member (m, "Unit"))
    *unit = json_object_get_string_member_with_default (m, "Unit", NULL);
  if (amount == NULL)
    return TRUE;
  if (!cu_money_parse (amount, -1, out, error))
    {
      g_prefix_error (error, "Cost Explorer sent the amount “%s” for %s: ", amount, name);
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_ce_accum_add_page:
 * @page: one GetCostAndUsage answer
 * @by_region: the second GroupBy is REGION (else LINKED_ACCOUNT)
 *
 * Adds a page's groups. A day may continue on the next page; amounts for the
 * same key are summed, so split days merge.
 */
gboolean
cu_ce_accum_add_page (CuCeAccum  *a,
                      JsonNode   *page,
                      gboolean    by_region,
                      GError    **error)
{
  JsonObject *root;
  JsonArray *results;

  if (page == NULL || !JSON_NODE_HOLDS_OBJECT (page))
    goto invalid;
  root = json_node_get_object (page);

  if (json_object_has_member (root, "DimensionValueAttributes"))
    {
      JsonArray *attrs = json_object_get_array_member (root, "DimensionValueAttributes");

      for (guint i = 0; attrs && i < json_array_get_length (attrs); i++)
        {
          JsonObject *o = json_array_get_object_element (attrs, i);
          JsonObject *at = o ? json_object_get_object_member (o, "Attributes") : NULL;
          const char *value = o ? json_object_get_string_member_with_default (o, "Value", NULL) : NULL;
          const char *desc = at ? json_object_get_string_member_with_default (at, "description", NULL) : NULL;

          if (value && desc && !by_region)
            g_hash_table_replace (a->names, g_strdup (value), g_strdup (desc));
        }
    }

  if (!json_object_has_member (root, "ResultsByTime"))
    return TRUE;
  results = json_object_get_array_member (root, "ResultsByTime");
  if (results == NULL)
    goto invalid;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      JsonObject *period = r ? json_object_get_object_member (r, "TimePeriod") : NULL;
      const char *start = period ? json_object_get_string_member_with_default (period, "Start", NULL) : NULL;
      JsonArray *groups;
      CuDay day;

      if (start == NULL || !cu_day_parse (start, &day))
        goto invalid;
      if (json_object_get_boolean_member_with_default (r, "Estimated", FALSE) &&
          (a->first_estimated == CU_DAY_INVALID || day < a->first_estimated))
        a->first_estimated = day;

      groups = json_object_has_member (r, "Groups") ? json_object_get_array_member (r, "Groups") : NULL;
      for (guint g = 0; groups && g < json_array_get_length (groups); g++)
        {
          JsonObject *grp = json_array_get_object_element (groups, g);
          JsonArray *keys = grp ? json_object_get_array_member (grp, "Keys") : NULL;
          JsonObject *metrics = grp ? json_object_get_object_member (grp, "Metrics") : NULL;
          const char *service, *second, *unit = NULL;
          g_autofree char *key = NULL;
          DayService *ds;
          GHashTable *side;
          gint64 billed, effective;
          Amt *amt;

          if (keys == NULL || json_array_get_length (keys) < 1)
            goto invalid;
          service = json_array_get_string_element (keys, 0);
          /* grouped by SERVICE alone: no account or region is known */
          second = json_array_get_length (keys) > 1 ? json_array_get_string_element (keys, 1) : "";
          if (service == NULL || second == NULL)
            goto invalid;
          if (!metric_amount (metrics, "UnblendedCost", &billed, &unit, error) ||
              !metric_amount (metrics, "AmortizedCost", &effective, unit ? NULL : &unit, error))
            return FALSE;
          if (unit != NULL && a->currency == NULL && strlen (unit) == 3)
            a->currency = g_strdup (unit);

          key = g_strdup_printf ("%.10s\x1f%s", start, service);
          ds = g_hash_table_lookup (a->cells, key);
          if (ds == NULL)
            {
              ds = g_new0 (DayService, 1);
              ds->day = g_strndup (start, 10);
              ds->service = g_strdup (service);
              ds->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
              ds->regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
              g_hash_table_insert (a->cells, g_steal_pointer (&key), ds);
            }
          side = by_region ? ds->regions : ds->accounts;
          amt = g_hash_table_lookup (side, second);
          if (amt == NULL)
            {
              amt = g_new0 (Amt, 1);
              g_hash_table_insert (side, g_strdup (second), amt);
            }
          amt->billed += billed;
          amt->effective += effective;
        }
    }
  return TRUE;

invalid:
  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
               "Cost Explorer sent an answer Cumulus does not understand");
  return FALSE;
}

/* ------------------------------------------------------------- emitting */

typedef struct {
  const char *account;   /* nullable */
  const char *region;    /* nullable */
  Amt         amt;
} Cell;

typedef struct {
  const char *name;
  gint64      share;
  gint64      rem;
  guint       index;
} Part;

static int
part_by_rem (gconstpointer pa, gconstpointer pb)
{
  const Part *a = pa, *b = pb;

  if (a->rem != b->rem)
    return a->rem > b->rem ? -1 : 1;
  return strcmp (a->name, b->name);
}

static int
strcmp_ptr (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter it;
  gpointer k;

  g_hash_table_iter_init (&it, table);
  while (g_hash_table_iter_next (&it, &k, NULL))
    g_ptr_array_add (keys, k);
  g_ptr_array_sort (keys, strcmp_ptr);
  return keys;
}

static Cell *
cell_for (GArray *cells, const char *account, const char *region)
{
  Cell c = { account, region, { 0, 0 } };

  for (guint i = 0; i < cells->len; i++)
    {
      Cell *x = &g_array_index (cells, Cell, i);
      if (g_strcmp0 (x->account, account) == 0 && g_strcmp0 (x->region, region) == 0)
        return x;
    }
  g_array_append_val (cells, c);
  return &g_array_index (cells, Cell, cells->len - 1);
}

static gint64 *
amt_field (Amt *a, gboolean effective)
{
  return effective ? &a->effective : &a->billed;
}

/* Splits each account's amount over the regions (one metric). */
static void
split_metric (DayService *ds, GPtrArray *acc, GPtrArray *reg, gboolean effective, GArray *cells)
{
  gint64 total = 0;
  gboolean ok = TRUE;

  for (guint r = 0; r < reg->len; r++)
    {
      gint64 v = *amt_field (g_hash_table_lookup (ds->regions, reg->pdata[r]), effective);
      ok = ok && v >= 0;
      total += v;
    }
  for (guint a = 0; a < acc->len; a++)
    ok = ok && *amt_field (g_hash_table_lookup (ds->accounts, acc->pdata[a]), effective) >= 0;
  ok = ok && total > 0;

  for (guint a = 0; a < acc->len; a++)
    {
      gint64 amount = *amt_field (g_hash_table_lookup (ds->accounts, acc->pdata[a]), effective);
      g_autoptr(GArray) parts = NULL;
      gint64 assigned = 0;

      if (!ok)
        {
          *amt_field (&cell_for (cells, acc->pdata[a], NULL)->amt, effective) += amount;
          continue;
        }
      parts = g_array_sized_new (FALSE, FALSE, sizeof (Part), reg->len);
      for (guint r = 0; r < reg->len; r++)
        {
          gint64 rv = *amt_field (g_hash_table_lookup (ds->regions, reg->pdata[r]), effective);
          CuInt128 prod = (CuInt128) amount * rv;
          Part p = { reg->pdata[r], (gint64) (prod / total), (gint64) (prod % total), r };

          assigned += p.share;
          g_array_append_val (parts, p);
        }
      g_array_sort (parts, part_by_rem);
      for (guint i = 0; assigned < amount && i < parts->len; i++, assigned++)
        g_array_index (parts, Part, i).share++;
      for (guint i = 0; i < parts->len; i++)
        {
          Part *p = &g_array_index (parts, Part, i);
          *amt_field (&cell_for (cells, acc->pdata[a], p->name)->amt, effective) += p->share;
        }
    }
}

static const char *
charge_category_for (const char *service)
{
  if (g_str_equal (service, "Tax"))
    return "Tax";
  if (g_str_has_prefix (service, "Refund") || g_str_has_prefix (service, "Credit"))
    return "Credit";
  return "Usage";
}

/**
 * cu_ce_accum_emit_rows:
 *
 * Calls @func once per ledger row, in a stable order (day, service, account,
 * region). See the header for how service × account × region is built.
 */
gboolean
cu_ce_accum_emit_rows (CuCeAccum    *a,
                       CuCeRowFunc   func,
                       gpointer      user_data,
                       guint64      *n_rows,
                       GError      **error)
{
  g_autoptr(GPtrArray) keys = sorted_keys (a->cells);
  const char *currency = a->currency ? a->currency : "USD";

  for (guint k = 0; k < keys->len; k++)
    {
      DayService *ds = g_hash_table_lookup (a->cells, keys->pdata[k]);
      g_autoptr(GPtrArray) acc = sorted_keys (ds->accounts);
      g_autoptr(GPtrArray) reg = sorted_keys (ds->regions);
      g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (Cell));
      CuDay day, next;
      char end[11];

      if (acc->len == 0 || (reg->len == 0))
        {
          GPtrArray *names = acc->len ? acc : reg;
          GHashTable *side = acc->len ? ds->accounts : ds->regions;
          for (guint i = 0; i < names->len; i++)
            cell_for (cells, acc->len ? names->pdata[i] : NULL,
                      acc->len ? NULL : names->pdata[i])->amt = *(Amt *) g_hash_table_lookup (side, names->pdata[i]);
        }
      else if (acc->len == 1)
        {
          for (guint i = 0; i < reg->len; i++)
            cell_for (cells, acc->pdata[0], reg->pdata[i])->amt = *(Amt *) g_hash_table_lookup (ds->regions, reg->pdata[i]);
        }
      else if (reg->len == 1)
        {
          for (guint i = 0; i < acc->len; i++)
            cell_for (cells, acc->pdata[i], reg->pdata[0])->amt = *(Amt *) g_hash_table_lookup (ds->accounts, acc->pdata[i]);
        }
      else
        {
          split_metric (ds, acc, reg, FALSE, cells);
          split_metric (ds, acc, reg, TRUE, cells);
        }

      cu_day_parse (ds->day, &day);
      next = day + 1;
      cu_day_format (next, end);
      for (guint i = 0; i < cells->len; i++)
        {
          Cell *c = &g_array_index (cells, Cell, i);
          CuCostRow row = { 0 };

          if (c->amt.billed == 0 && c->amt.effective == 0 && acc->len > 1 && reg->len > 1)
            continue;  /* empty cell of a split */
          row.charge_period_start = ds->day;
          row.charge_period_end = end;
          row.billed_cost = c->amt.billed;
          row.effective_cost = c->amt.effective;
          row.billing_currency = currency;
          row.provider_name = "AWS";
          row.publisher_name = "AWS";
          row.invoice_issuer_name = "AWS";
          row.service_name = ds->service;
          row.region_id = c->region;
          row.sub_account_id = c->account;
          row.sub_account_name = c->account ? g_hash_table_lookup (a->names, c->account) : NULL;
          row.charge_category = charge_category_for (ds->service);
          row.charge_frequency = "Usage-Based";
          if (!func (&row, user_data, error))
            return FALSE;
          if (n_rows)
            (*n_rows)++;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------- fetching */

/**
 * cu_ce_build_request:
 * @last_day: inclusive (CE's End is exclusive)
 *
 * Returns: (transfer full): the GetCostAndUsage input
 */
JsonNode *
cu_ce_build_request (CuDay       first_day,
                     CuDay       last_day,
                     const char *second_dimension,
                     const char *next_page_token)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  char start[11], end[11];

  cu_day_format (first_day, start);
  cu_day_format (last_day + 1, end);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "TimePeriod");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Start");
  json_builder_add_string_value (b, start);
  json_builder_set_member_name (b, "End");
  json_builder_add_string_value (b, end);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "Granularity");
  json_builder_add_string_value (b, "DAILY");
  json_builder_set_member_name (b, "Metrics");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "UnblendedCost");
  json_builder_add_string_value (b, "AmortizedCost");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "GroupBy");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Type");
  json_builder_add_string_value (b, "DIMENSION");
  json_builder_set_member_name (b, "Key");
  json_builder_add_string_value (b, "SERVICE");
  json_builder_end_object (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Type");
  json_builder_add_string_value (b, "DIMENSION");
  json_builder_set_member_name (b, "Key");
  json_builder_add_string_value (b, second_dimension);
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (next_page_token)
    {
      json_builder_set_member_name (b, "NextPageToken");
      json_builder_add_string_value (b, next_page_token);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * cu_ce_fetch:
 * @n_requests: += Cost Explorer requests made (each is billed)
 *
 * Fetches [first_day, last_day] twice (by account, by region), following
 * NextPageToken to the end.
 */
gboolean
cu_ce_fetch (CuAwsClient  *client,
             CuCeAccum    *accum,
             CuDay         first_day,
             CuDay         last_day,
             guint        *n_requests,
             GCancellable *cancellable,
             GError      **error)
{
  static const char * const dims[] = { "LINKED_ACCOUNT", "REGION" };

  for (guint d = 0; d < G_N_ELEMENTS (dims); d++)
    {
      g_autofree char *token = NULL;

      do
        {
          g_autoptr(JsonNode) input = cu_ce_build_request (first_day, last_day, dims[d], token);
          g_autoptr(JsonNode) page = NULL;
          JsonObject *root;

          page = cu_aws_client_call_json (client, "ce", "AWSInsightsIndexService.GetCostAndUsage",
                                          "ce:GetCostAndUsage", input, n_requests, cancellable, error);
          if (page == NULL)
            return FALSE;
          if (!cu_ce_accum_add_page (accum, page, d == 1, error))
            return FALSE;
          root = json_node_get_object (page);
          g_free (token);
          token = g_strdup (json_object_get_string_member_with_default (root, "NextPageToken", NULL));
          if (token && *token == '\0')
            g_clear_pointer (&token, g_free);
        }
      while (token != NULL);
    }
  return TRUE;
}
