/* cu-cost-explorer.c — GetCostAndUsage, paginated, into ledger rows */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/aws/cu-cost-explorer.h"
#include "util/cu-money.h"

#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 CuInt128;

typedef struct {
  gint64 billed;     /* UnblendedCost */
  gint64 effective;  /* AmortizedCost */
} Amt;

typedef struct {
  char        *day;
  char        *service;
  GHashTable  *accounts;  /* id → Amt */
  GHashTable  *regions;   /* region → Amt */
  GHashTable **tags;      /* per tag key: value ("" = untagged) → Amt; NULL until seen */
  guint        n_tags;
} DayService;

struct _CuCeAccum
{
  GHashTable *cells;     /* "day\x1fservice" → DayService */
  GHashTable *names;     /* linked account id → name */
  char       *currency;
  CuDay       first_estimated;
  char      **tag_keys;  /* the selected cost-allocation tag keys */
  guint       n_tags;
};

typedef enum {
  SIDE_ACCOUNT,
  SIDE_REGION,
  SIDE_TAG,
} Side;

static void
day_service_free (gpointer data)
{
  DayService *ds = data;
  g_free (ds->day);
  g_free (ds->service);
  g_hash_table_unref (ds->accounts);
  g_hash_table_unref (ds->regions);
  for (guint k = 0; k < ds->n_tags; k++)
    g_clear_pointer (&ds->tags[k], g_hash_table_unref);
  g_free (ds->tags);
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
  g_strfreev (a->tag_keys);
  g_free (a);
}

/**
 * cu_ce_accum_set_tag_keys:
 * @tag_keys: (nullable): at most %CU_CE_MAX_TAG_KEYS cost-allocation tag keys
 *
 * Names the tag keys whose pages cu_ce_accum_add_tag_page() will receive
 * (by index into @tag_keys). Call it before adding any page.
 */
void
cu_ce_accum_set_tag_keys (CuCeAccum          *a,
                          const char * const *tag_keys)
{
  guint n = tag_keys ? g_strv_length ((char **) tag_keys) : 0;

  g_return_if_fail (a != NULL);
  g_return_if_fail (g_hash_table_size (a->cells) == 0);
  g_return_if_fail (n <= CU_CE_MAX_TAG_KEYS);

  g_strfreev (a->tag_keys);
  a->tag_keys = g_strdupv ((char **) tag_keys);
  a->n_tags = n;
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

/* Adds a page's groups. A day may continue on the next page; amounts for
 * the same key are summed, so split days merge. */
static gboolean
add_page (CuCeAccum  *a,
          JsonNode   *page,
          Side        side,
          guint       tag_index,
          GError    **error)
{
  JsonObject *root;
  JsonArray *results;
  g_autofree char *tag_prefix = NULL;

  if (side == SIDE_TAG)
    tag_prefix = g_strconcat (a->tag_keys[tag_index], "$", NULL);

  if (page == NULL || !JSON_NODE_HOLDS_OBJECT (page))
    goto invalid;
  root = json_node_get_object (page);

  if (side == SIDE_ACCOUNT && json_object_has_member (root, "DimensionValueAttributes"))
    {
      JsonArray *attrs = json_object_get_array_member (root, "DimensionValueAttributes");

      for (guint i = 0; attrs && i < json_array_get_length (attrs); i++)
        {
          JsonObject *o = json_array_get_object_element (attrs, i);
          JsonObject *at = o ? json_object_get_object_member (o, "Attributes") : NULL;
          const char *value = o ? json_object_get_string_member_with_default (o, "Value", NULL) : NULL;
          const char *desc = at ? json_object_get_string_member_with_default (at, "description", NULL) : NULL;

          if (value && desc)
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
          GHashTable *side_table;
          gint64 billed, effective;
          Amt *amt;

          if (keys == NULL || json_array_get_length (keys) < 1)
            goto invalid;
          service = json_array_get_string_element (keys, 0);
          /* grouped by SERVICE alone: no account or region is known */
          second = json_array_get_length (keys) > 1 ? json_array_get_string_element (keys, 1) : "";
          if (service == NULL || second == NULL)
            goto invalid;
          if (side == SIDE_TAG)
            {
              /* "team$web", or "team$" for the untagged part */
              if (!g_str_has_prefix (second, tag_prefix))
                {
                  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                               "Cost Explorer sent the group “%s” for the tag key “%s”",
                               second, a->tag_keys[tag_index]);
                  return FALSE;
                }
              second += strlen (tag_prefix);
            }
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
              ds->n_tags = a->n_tags;
              ds->tags = g_new0 (GHashTable *, MAX (a->n_tags, 1));
              g_hash_table_insert (a->cells, g_steal_pointer (&key), ds);
            }
          if (side == SIDE_TAG)
            {
              if (ds->tags[tag_index] == NULL)
                ds->tags[tag_index] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
              side_table = ds->tags[tag_index];
            }
          else
            side_table = side == SIDE_REGION ? ds->regions : ds->accounts;
          amt = g_hash_table_lookup (side_table, second);
          if (amt == NULL)
            {
              amt = g_new0 (Amt, 1);
              g_hash_table_insert (side_table, g_strdup (second), amt);
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

/**
 * cu_ce_accum_add_page:
 * @page: one GetCostAndUsage answer grouped by SERVICE and a dimension
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
  return add_page (a, page, by_region ? SIDE_REGION : SIDE_ACCOUNT, 0, error);
}

/**
 * cu_ce_accum_add_tag_page:
 * @page: one GetCostAndUsage answer grouped by SERVICE and TAG
 * @tag_index: which of the keys given to cu_ce_accum_set_tag_keys()
 *
 * Adds a page of the SERVICE × TAG:key query; like cu_ce_accum_add_page().
 */
gboolean
cu_ce_accum_add_tag_page (CuCeAccum  *a,
                          JsonNode   *page,
                          guint       tag_index,
                          GError    **error)
{
  g_return_val_if_fail (tag_index < a->n_tags, FALSE);
  return add_page (a, page, SIDE_TAG, tag_index, error);
}

/* ------------------------------------------------------------- emitting */

typedef struct {
  const char *account;   /* nullable */
  const char *region;    /* nullable */
  Amt         amt;
} Cell;

/* A cell once tags are attached: one value per tag key, NULL = untagged */
typedef struct {
  const char *account;
  const char *region;
  Amt         amt;
  const char *values[CU_CE_MAX_TAG_KEYS];
} TagRow;

typedef struct {
  gint64 rem;
  guint  index;
} Rem;

static int
rem_cmp (gconstpointer pa, gconstpointer pb)
{
  const Rem *a = pa, *b = pb;

  if (a->rem != b->rem)
    return a->rem > b->rem ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
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

/**
 * cu_ce_apportion:
 * @amount: micro-units to share out, >= 0
 * @weights: (array length=n): >= 0, summing to more than 0
 * @shares: (out caller-allocates) (array length=n): the parts
 *
 * Splits @amount in proportion to @weights in whole micro-units: every part
 * gets the floor of its exact share, and the micro-units left over go to
 * the largest remainders (ties to the lower index), so the parts sum to
 * @amount exactly and each is within one micro-unit of its exact share.
 * A part whose weight is zero gets nothing.
 *
 * Returns: %FALSE (and @shares untouched) when the split is not meaningful
 */
gboolean
cu_ce_apportion (gint64        amount,
                 const gint64 *weights,
                 guint         n,
                 gint64       *shares)
{
  g_autofree Rem *rems = NULL;
  gint64 total = 0, assigned = 0;

  if (amount < 0 || n == 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (weights[i] < 0)
        return FALSE;
      total += weights[i];
    }
  if (total <= 0)
    return FALSE;

  rems = g_new (Rem, n);
  for (guint i = 0; i < n; i++)
    {
      CuInt128 prod = (CuInt128) amount * weights[i];

      shares[i] = (gint64) (prod / total);
      rems[i].rem = (gint64) (prod % total);
      rems[i].index = i;
      assigned += shares[i];
    }
  qsort (rems, n, sizeof (Rem), rem_cmp);
  for (guint i = 0; assigned < amount && i < n; i++, assigned++)
    shares[rems[i].index]++;
  g_assert (assigned == amount);
  return TRUE;
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
  g_autofree gint64 *weights = g_new (gint64, reg->len);
  g_autofree gint64 *shares = g_new (gint64, reg->len);
  gint64 total = 0;
  gboolean ok = TRUE;

  for (guint r = 0; r < reg->len; r++)
    {
      weights[r] = *amt_field (g_hash_table_lookup (ds->regions, reg->pdata[r]), effective);
      ok = ok && weights[r] >= 0;
      total += weights[r];
    }
  for (guint a = 0; a < acc->len; a++)
    ok = ok && *amt_field (g_hash_table_lookup (ds->accounts, acc->pdata[a]), effective) >= 0;
  ok = ok && total > 0;

  for (guint a = 0; a < acc->len; a++)
    {
      gint64 amount = *amt_field (g_hash_table_lookup (ds->accounts, acc->pdata[a]), effective);

      if (!ok || !cu_ce_apportion (amount, weights, reg->len, shares))
        {
          *amt_field (&cell_for (cells, acc->pdata[a], NULL)->amt, effective) += amount;
          continue;
        }
      for (guint r = 0; r < reg->len; r++)
        *amt_field (&cell_for (cells, acc->pdata[a], reg->pdata[r])->amt, effective) += shares[r];
    }
}

/* Splits the rows' amounts of one metric over the tag values (see the
 * header): out[r * n_values + v] receives row r's part for value v; the
 * rows keep their sums and value v gets exactly its target. */
static void
split_tag_metric (GArray       *rows,
                  gboolean      effective,
                  const gint64 *weights,
                  guint         n_values,
                  gint64       *out)
{
  g_autofree gint64 *left = g_new0 (gint64, n_values);
  g_autofree gint64 *shares = g_new (gint64, n_values);
  gint64 total = 0, sign = 1;
  guint only = 0, n_nonzero = 0;
  gboolean ok = TRUE;

  for (guint r = 0; r < rows->len; r++)
    total += *amt_field (&g_array_index (rows, TagRow, r).amt, effective);
  /* credits: a (day, service) that is negative throughout splits like a charge */
  if (total < 0)
    sign = -1;
  for (guint r = 0; r < rows->len; r++)
    ok = ok && sign * *amt_field (&g_array_index (rows, TagRow, r).amt, effective) >= 0;
  for (guint v = 0; v < n_values; v++)
    {
      ok = ok && sign * weights[v] >= 0;
      left[v] = sign * weights[v];
      if (weights[v] != 0)
        {
          n_nonzero++;
          only = v;
        }
    }

  /* the targets: the total apportioned over the values by the tag query */
  if (ok && total != 0 && cu_ce_apportion (sign * total, left, n_values, shares))
    {
      memcpy (left, shares, n_values * sizeof (gint64));
      for (guint r = 0; r < rows->len; r++)
        {
          gint64 amount = sign * *amt_field (&g_array_index (rows, TagRow, r).amt, effective);

          if (amount == 0)
            continue;
          /* what is left of the targets sums to at least this row */
          if (!cu_ce_apportion (amount, left, n_values, shares))
            g_assert_not_reached ();
          for (guint v = 0; v < n_values; v++)
            {
              g_assert (shares[v] <= left[v]);
              left[v] -= shares[v];
              out[r * n_values + v] = sign * shares[v];
            }
        }
      for (guint v = 0; v < n_values; v++)
        g_assert (left[v] == 0);
      return;
    }

  /* no meaningful proportion: all to the one value that has an amount, or
   * else to the untagged part (index 0, the value "") */
  if (n_nonzero != 1)
    only = 0;
  for (guint r = 0; r < rows->len; r++)
    out[r * n_values + only] = *amt_field (&g_array_index (rows, TagRow, r).amt, effective);
}

/* Returns the rows split across the values of tag key @k (see the header). */
static GArray *
split_by_tag (DayService *ds, guint k, GArray *rows)
{
  GHashTable *table = ds->tags[k];
  g_autoptr(GPtrArray) values = NULL;
  g_autofree gint64 *wb = NULL, *we = NULL, *ob = NULL, *oe = NULL;
  GArray *out;
  gsize n_cells;

  if (table == NULL || g_hash_table_size (table) == 0)
    return g_array_ref (rows);   /* the tag query knows nothing of it: untagged */

  values = sorted_keys (table);
  if (!g_hash_table_contains (table, ""))
    g_ptr_array_insert (values, 0, (gpointer) "");
  g_assert (g_str_equal (values->pdata[0], ""));

  wb = g_new0 (gint64, values->len);
  we = g_new0 (gint64, values->len);
  for (guint v = 0; v < values->len; v++)
    {
      Amt *amt = g_hash_table_lookup (table, values->pdata[v]);
      if (amt)
        {
          wb[v] = amt->billed;
          we[v] = amt->effective;
        }
    }
  n_cells = (gsize) rows->len * values->len;
  ob = g_new0 (gint64, n_cells);
  oe = g_new0 (gint64, n_cells);
  split_tag_metric (rows, FALSE, wb, values->len, ob);
  split_tag_metric (rows, TRUE, we, values->len, oe);

  out = g_array_sized_new (FALSE, FALSE, sizeof (TagRow), rows->len);
  for (guint r = 0; r < rows->len; r++)
    {
      const TagRow *row = &g_array_index (rows, TagRow, r);

      if (row->amt.billed == 0 && row->amt.effective == 0)
        {
          g_array_append_val (out, *row);   /* nothing to split; stays untagged */
          continue;
        }
      for (guint v = 0; v < values->len; v++)
        {
          TagRow part = *row;
          const char *value = values->pdata[v];

          part.amt.billed = ob[r * values->len + v];
          part.amt.effective = oe[r * values->len + v];
          if (part.amt.billed == 0 && part.amt.effective == 0)
            continue;
          part.values[k] = *value ? value : NULL;
          g_array_append_val (out, part);
        }
    }
  return out;
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
 * region, tag values). See the header for how service × account × region ×
 * tags is built.
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
      g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (TagRow));
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

      for (guint i = 0; i < cells->len; i++)
        {
          Cell *c = &g_array_index (cells, Cell, i);
          TagRow row = { c->account, c->region, c->amt, { NULL } };

          if (c->amt.billed == 0 && c->amt.effective == 0 && acc->len > 1 && reg->len > 1)
            continue;  /* empty cell of a split */
          g_array_append_val (rows, row);
        }
      /* key after key: each split keeps the rows' sums (see the header) */
      for (guint t = 0; t < ds->n_tags; t++)
        {
          GArray *split = split_by_tag (ds, t, rows);
          g_array_unref (rows);
          rows = split;
        }

      cu_day_parse (ds->day, &day);
      next = day + 1;
      cu_day_format (next, end);
      for (guint i = 0; i < rows->len; i++)
        {
          TagRow *c = &g_array_index (rows, TagRow, i);
          const char *tag_keys[CU_CE_MAX_TAG_KEYS];
          const char *tag_values[CU_CE_MAX_TAG_KEYS];
          CuCostRow row = { 0 };

          for (guint t = 0; t < ds->n_tags; t++)
            if (c->values[t] != NULL)
              {
                tag_keys[row.n_tags] = a->tag_keys[t];
                tag_values[row.n_tags] = c->values[t];
                row.n_tags++;
              }
          row.tag_keys = tag_keys;
          row.tag_values = tag_values;
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

static JsonNode *
build_request (CuDay       first_day,
               CuDay       last_day,
               const char *second_type,
               const char *second_key,
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
  json_builder_add_string_value (b, second_type);
  json_builder_set_member_name (b, "Key");
  json_builder_add_string_value (b, second_key);
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
 * cu_ce_build_request:
 * @last_day: inclusive (CE's End is exclusive)
 * @second_dimension: "LINKED_ACCOUNT" or "REGION"
 *
 * Returns: (transfer full): the GetCostAndUsage input grouped by SERVICE and
 *   @second_dimension
 */
JsonNode *
cu_ce_build_request (CuDay       first_day,
                     CuDay       last_day,
                     const char *second_dimension,
                     const char *next_page_token)
{
  return build_request (first_day, last_day, "DIMENSION", second_dimension, next_page_token);
}

/**
 * cu_ce_build_tag_request:
 * @last_day: inclusive (CE's End is exclusive)
 * @tag_key: a cost-allocation tag key, e.g. "team"
 *
 * Returns: (transfer full): the GetCostAndUsage input grouped by SERVICE and
 *   TAG @tag_key
 */
JsonNode *
cu_ce_build_tag_request (CuDay       first_day,
                         CuDay       last_day,
                         const char *tag_key,
                         const char *next_page_token)
{
  return build_request (first_day, last_day, "TAG", tag_key, next_page_token);
}

/**
 * cu_ce_fetch:
 * @n_requests: += Cost Explorer requests made (each is billed)
 * @n_tag_requests: (nullable): += those of them made for the tag queries
 *
 * Fetches [first_day, last_day] by account, by region and by each tag key
 * set with cu_ce_accum_set_tag_keys(), following NextPageToken to the end.
 */
gboolean
cu_ce_fetch (CuAwsClient  *client,
             CuCeAccum    *accum,
             CuDay         first_day,
             CuDay         last_day,
             guint        *n_requests,
             guint        *n_tag_requests,
             GCancellable *cancellable,
             GError      **error)
{
  static const char * const dims[] = { "LINKED_ACCOUNT", "REGION" };

  for (guint q = 0; q < G_N_ELEMENTS (dims) + accum->n_tags; q++)
    {
      gboolean is_tag = q >= G_N_ELEMENTS (dims);
      guint tag_index = is_tag ? q - G_N_ELEMENTS (dims) : 0;
      g_autofree char *token = NULL;

      do
        {
          g_autoptr(JsonNode) input = NULL;
          g_autoptr(JsonNode) page = NULL;
          JsonObject *root;
          guint sent = 0;

          if (is_tag)
            input = cu_ce_build_tag_request (first_day, last_day, accum->tag_keys[tag_index], token);
          else
            input = cu_ce_build_request (first_day, last_day, dims[q], token);
          page = cu_aws_client_call_json (client, "ce", "AWSInsightsIndexService.GetCostAndUsage",
                                          "ce:GetCostAndUsage", input, &sent, cancellable, error);
          if (n_requests)
            *n_requests += sent;
          if (is_tag && n_tag_requests)
            *n_tag_requests += sent;
          if (page == NULL)
            return FALSE;
          if (is_tag ? !cu_ce_accum_add_tag_page (accum, page, tag_index, error)
                     : !cu_ce_accum_add_page (accum, page, q == 1, error))
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
