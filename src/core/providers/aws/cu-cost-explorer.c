/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-cost-explorer.c — GetCostAndUsage, paginated, into ledger rows */
#define G_LOG_DOMAIN "cumulus-sync"

#include "providers/aws/cu-cost-explorer.h"
#include "providers/cu-json-read.h"
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

/* Adds @b to @a unless the sum leaves the range an amount can hold. */
static gboolean
add_checked (gint64 *a, gint64 b)
{
  gint64 sum;

  if (__builtin_add_overflow (*a, b, &sum) || sum == G_MININT64)
    return FALSE;
  *a = sum;
  return TRUE;
}

static gboolean
unexpected (GError **error, const char *what)
{
  g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
               "Cost Explorer sent an unexpected answer (%s)", what);
  return FALSE;
}

static gboolean
metric_amount (JsonObject *metrics, const char *name, gint64 *out, const char **unit, GError **error)
{
  JsonObject *m;
  const char *amount;

  *out = 0;
  if (metrics == NULL || !json_object_has_member (metrics, name) ||
      json_node_is_null (json_object_get_member (metrics, name)))
    return TRUE;
  m = cu_json_get_object (metrics, name);
  if (m == NULL)
    return unexpected (error, "a metric is not an object");
  if (json_object_has_member (m, "Amount") && cu_json_get_string (m, "Amount") == NULL &&
      !json_node_is_null (json_object_get_member (m, "Amount")))
    return unexpected (error, "an Amount is not a string");
  amount = cu_json_get_string (m, "Amount");
  if (unit && cu_json_get_string (m, "Unit") != NULL)
    *unit = cu_json_get_string (m, "Unit");
  if (amount == NULL)
    return TRUE;
  if (!cu_money_parse (amount, -1, out, error) || *out == G_MININT64)
    {
      g_clear_error (error);
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                   "Cost Explorer sent the amount “%.40s” for %s, which is not a decimal amount "
                   "Cumulus can hold", amount, name);
      return FALSE;
    }
  return TRUE;
}

/* Adds a page's groups. A day may continue on the next page; amounts for
 * the same key are summed, so split days merge. Every member is checked
 * for its type: the answer comes from the network. */
static gboolean
add_page (CuCeAccum  *a,
          JsonNode   *page,
          Side        side,
          guint       tag_index,
          GError    **error)
{
  JsonObject *root = cu_json_node_object (page);
  JsonArray *results;
  g_autofree char *tag_prefix = NULL;

  if (side == SIDE_TAG)
    tag_prefix = g_strconcat (a->tag_keys[tag_index], "$", NULL);

  if (root == NULL)
    return unexpected (error, "not a JSON object");

  if (side == SIDE_ACCOUNT && json_object_has_member (root, "DimensionValueAttributes"))
    {
      JsonArray *attrs = cu_json_get_array (root, "DimensionValueAttributes");

      for (guint i = 0; attrs && i < json_array_get_length (attrs); i++)
        {
          JsonObject *o = cu_json_node_object (json_array_get_element (attrs, i));
          JsonObject *at = cu_json_get_object (o, "Attributes");
          const char *value = cu_json_get_string (o, "Value");
          const char *desc = cu_json_get_string (at, "description");

          if (value && desc)
            g_hash_table_replace (a->names, g_strdup (value), g_strdup (desc));
        }
    }

  if (!json_object_has_member (root, "ResultsByTime"))
    return TRUE;
  results = cu_json_get_array (root, "ResultsByTime");
  if (results == NULL)
    return unexpected (error, "ResultsByTime is not an array");

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *r = cu_json_node_object (json_array_get_element (results, i));
      JsonObject *period = cu_json_get_object (r, "TimePeriod");
      const char *start = cu_json_get_string (period, "Start");
      JsonArray *groups;
      CuDay day;

      if (r == NULL)
        return unexpected (error, "a result is not an object");
      if (period == NULL)
        return unexpected (error, "a result has no TimePeriod");
      if (start == NULL || strlen (start) < 10 || !cu_day_parse (start, &day))
        return unexpected (error, "a TimePeriod has no valid Start day");
      if (cu_json_get_boolean (r, "Estimated", FALSE) &&
          (a->first_estimated == CU_DAY_INVALID || day < a->first_estimated))
        a->first_estimated = day;

      if (json_object_has_member (r, "Groups") && !json_node_is_null (json_object_get_member (r, "Groups")) &&
          cu_json_get_array (r, "Groups") == NULL)
        return unexpected (error, "Groups is not an array");
      groups = cu_json_get_array (r, "Groups");
      for (guint g = 0; groups && g < json_array_get_length (groups); g++)
        {
          JsonObject *grp = cu_json_node_object (json_array_get_element (groups, g));
          JsonArray *keys = cu_json_get_array (grp, "Keys");
          JsonObject *metrics = cu_json_get_object (grp, "Metrics");
          const char *service, *second, *unit = NULL;
          g_autofree char *key = NULL;
          DayService *ds;
          GHashTable *side_table;
          gint64 billed, effective;
          Amt *amt;

          if (grp == NULL)
            return unexpected (error, "a group is not an object");
          if (keys == NULL || json_array_get_length (keys) < 1)
            return unexpected (error, "a group's Keys is not an array of strings");
          if (json_object_has_member (grp, "Metrics") && metrics == NULL)
            return unexpected (error, "a group's Metrics is not an object");
          service = cu_json_node_string (json_array_get_element (keys, 0));
          /* grouped by SERVICE alone: no account or region is known */
          second = json_array_get_length (keys) > 1 ? cu_json_node_string (json_array_get_element (keys, 1)) : "";
          if (service == NULL || second == NULL)
            return unexpected (error, "a group's Keys is not an array of strings");
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
          if (!add_checked (&amt->billed, billed) || !add_checked (&amt->effective, effective))
            {
              g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                           "Cost Explorer sent amounts for %s on %.10s that add up beyond what "
                           "Cumulus can hold", service, start);
              return FALSE;
            }
        }
    }
  return TRUE;
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
 * A part whose weight is zero gets nothing, and when @amount is at most the
 * weights' sum no part exceeds its weight (the floor of a share below an
 * integer weight is below it, so the extra micro-unit still fits).
 *
 * Returns: %FALSE (and @shares untouched) when the split is not meaningful
 *   or the weights' sum does not fit in 64 bits
 */
gboolean
cu_ce_apportion (gint64        amount,
                 const gint64 *weights,
                 guint         n,
                 gint64       *shares)
{
  g_autofree Rem *rems = NULL;
  g_autofree gint64 *parts = NULL;
  gint64 total = 0, assigned = 0;

  if (amount < 0 || n == 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (weights[i] < 0 || !add_checked (&total, weights[i]))
      return FALSE;
  if (total <= 0)
    return FALSE;

  rems = g_new (Rem, n);
  parts = g_new (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      /* amount × weight needs up to 126 bits; the quotient is at most amount */
      CuInt128 prod = (CuInt128) amount * weights[i];

      parts[i] = (gint64) (prod / total);
      rems[i].rem = (gint64) (prod % total);
      rems[i].index = i;
      assigned += parts[i];   /* the floors sum to at most amount */
    }
  qsort (rems, n, sizeof (Rem), rem_cmp);
  /* the floors miss less than n micro-units, one per positive remainder */
  for (guint i = 0; assigned < amount && i < n && rems[i].rem > 0; i++, assigned++)
    parts[rems[i].index]++;
  if (assigned != amount)
    return FALSE;   /* unreachable by the argument above; never abort on data */
  memcpy (shares, parts, n * sizeof (gint64));
  return TRUE;
}

/* Sums the positive and the negative (as a magnitude) values apart. */
static gboolean
signed_sums (const gint64 *v, guint n, gint64 *pos, gint64 *neg)
{
  *pos = *neg = 0;
  for (guint i = 0; i < n; i++)
    {
      if (v[i] == G_MININT64)
        return FALSE;
      if (!add_checked (v[i] >= 0 ? pos : neg, v[i] >= 0 ? v[i] : -v[i]))
        return FALSE;
    }
  return TRUE;
}

/* Fills the rows of @x (n_big × n_small) whose @big value has the sign
 * @sign with non-negative parts (times @sign) so that each such row sums
 * to its value and column l to targets[l]. The targets sum to the rows'
 * magnitudes, so the rows are taken one after the other, each apportioned
 * over what is still left of the targets: what is left always sums to the
 * rows still to come, so no part exceeds what is left (see
 * cu_ce_apportion) and the last row takes exactly the rest. */
static gboolean
fill_sign (const gint64 *big, guint n_big, const gint64 *targets, guint n_small, int sign, gint64 *x)
{
  g_autofree gint64 *left = g_memdup2 (targets, n_small * sizeof (gint64));
  g_autofree gint64 *shares = g_new (gint64, n_small);

  for (guint k = 0; k < n_big; k++)
    {
      gint64 amount = sign * big[k];

      if (amount <= 0)
        continue;
      if (!cu_ce_apportion (amount, left, n_small, shares))
        return FALSE;
      for (guint l = 0; l < n_small; l++)
        {
          if (shares[l] > left[l])
            return FALSE;
          left[l] -= shares[l];
          x[(gsize) k * n_small + l] = sign * shares[l];
        }
    }
  for (guint l = 0; l < n_small; l++)
    if (left[l] != 0)
      return FALSE;
  return TRUE;
}

/**
 * cu_ce_allocate:
 * @rows: (array length=n_rows): the row totals, of any sign (e.g. what each
 *   linked account cost on a day)
 * @cols: (array length=n_cols): the column totals, of any sign (e.g. what
 *   each region cost), summing to the same as @rows
 * @cells: (out caller-allocates) (array): n_rows × n_cols parts, row-major
 *
 * Finds integer cells whose every row sums exactly to its row total and
 * every column exactly to its column total, with credits and refunds
 * (negative totals) on either side. Cost Explorer never reports the joint
 * split, so this picks the one that moves the least money around:
 *
 * Any matrix has Σ|cell| ≥ Σ|row| and ≥ Σ|col|. Call "big" the side with
 * the larger gross Σ|·| (rows on a tie) and "small" the other. Each small
 * item l is written as p_l − q_l with p_l = max(s_l, 0) + e_l and
 * q_l = max(−s_l, 0) + e_l, where the e_l ≥ 0 share out
 * E = P_big − P_small (P = the sum of the positive values; E ≥ 0 because
 * the totals agree and the big side is the grosser one) in proportion to
 * |s_l|. Then Σp = P_big and Σq = N_big (the negative magnitudes), so the
 * positive big items are filled over the p targets and the negative ones
 * over the q targets (fill_sign), each cell of a big item having that
 * item's sign. Hence rows and columns are exact, and Σ|cell| equals the
 * big side's gross: the least possible. With no credits (E = 0) it is the
 * proportional split of each big item over the small side, each cell
 * within a few micro-units of it.
 *
 * Returns: %FALSE (and @cells undefined) when the totals differ, a side is
 *   empty, or the gross sums do not fit in 64 bits
 */
gboolean
cu_ce_allocate (const gint64 *rows,
                guint         n_rows,
                const gint64 *cols,
                guint         n_cols,
                gint64       *cells)
{
  gint64 pos_r, neg_r, pos_c, neg_c, gross_r, gross_c, pos_big, pos_small, excess;
  const gint64 *big, *small;
  guint n_big, n_small;
  gboolean by_rows, any = FALSE;
  g_autofree gint64 *w = NULL, *e = NULL, *plus = NULL, *minus = NULL, *x = NULL;

  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);
  g_return_val_if_fail (cols != NULL || n_cols == 0, FALSE);
  g_return_val_if_fail (cells != NULL, FALSE);

  if (n_rows == 0 || n_cols == 0)
    return FALSE;
  if (!signed_sums (rows, n_rows, &pos_r, &neg_r) || !signed_sums (cols, n_cols, &pos_c, &neg_c))
    return FALSE;
  if (pos_r - neg_r != pos_c - neg_c)
    return FALSE;
  if (__builtin_add_overflow (pos_r, neg_r, &gross_r) || __builtin_add_overflow (pos_c, neg_c, &gross_c))
    return FALSE;

  by_rows = gross_r >= gross_c;
  big = by_rows ? rows : cols;
  n_big = by_rows ? n_rows : n_cols;
  small = by_rows ? cols : rows;
  n_small = by_rows ? n_cols : n_rows;
  pos_big = by_rows ? pos_r : pos_c;
  pos_small = by_rows ? pos_c : pos_r;
  excess = pos_big - pos_small;
  if (excess < 0)
    return FALSE;   /* impossible: gross_big ≥ gross_small and equal totals */

  w = g_new (gint64, n_small);
  e = g_new0 (gint64, n_small);
  for (guint l = 0; l < n_small; l++)
    {
      w[l] = small[l] >= 0 ? small[l] : -small[l];
      any = any || w[l] != 0;
    }
  if (!any)
    for (guint l = 0; l < n_small; l++)
      w[l] = 1;
  if (excess > 0 && !cu_ce_apportion (excess, w, n_small, e))
    return FALSE;

  plus = g_new (gint64, n_small);
  minus = g_new (gint64, n_small);
  for (guint l = 0; l < n_small; l++)
    {
      /* bounded by P_big and N_big: no overflow */
      plus[l] = MAX (small[l], 0) + e[l];
      minus[l] = MAX (-small[l], 0) + e[l];
    }
  x = g_new0 (gint64, (gsize) n_big * n_small);
  if (!fill_sign (big, n_big, plus, n_small, 1, x) || !fill_sign (big, n_big, minus, n_small, -1, x))
    return FALSE;

  for (guint i = 0; i < n_rows; i++)
    for (guint j = 0; j < n_cols; j++)
      cells[(gsize) i * n_cols + j] = by_rows ? x[(gsize) i * n_cols + j] : x[(gsize) j * n_rows + i];
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

/* Splits the accounts' amounts of one metric over the regions so that
 * every account and every region keeps its exact amount (cu_ce_allocate).
 * When CE's two answers disagree on the (day, service) total, the
 * difference is a part with no region, so the accounts stay exact and the
 * regions CE named keep exactly what it said. */
static gboolean
split_metric (DayService *ds, GPtrArray *acc, GPtrArray *reg, gboolean effective, GArray *cells,
              GError **error)
{
  guint n_reg = reg->len + 1;
  g_autofree gint64 *rows = g_new (gint64, acc->len);
  g_autofree gint64 *cols = g_new0 (gint64, n_reg);
  g_autofree gint64 *x = g_new (gint64, (gsize) acc->len * n_reg);
  gint64 sum_a = 0, sum_r = 0, gap;
  gboolean ok = TRUE;

  for (guint a = 0; a < acc->len; a++)
    {
      rows[a] = *amt_field (g_hash_table_lookup (ds->accounts, acc->pdata[a]), effective);
      ok = ok && add_checked (&sum_a, rows[a]);
    }
  for (guint r = 0; r < reg->len; r++)
    {
      cols[r] = *amt_field (g_hash_table_lookup (ds->regions, reg->pdata[r]), effective);
      ok = ok && add_checked (&sum_r, cols[r]);
    }
  ok = ok && !__builtin_sub_overflow (sum_a, sum_r, &gap) && gap != G_MININT64;
  if (ok)
    {
      cols[reg->len] = gap;
      /* no unknown-region column when the answers agree */
      ok = cu_ce_allocate (rows, acc->len, cols, gap != 0 ? n_reg : reg->len, x);
    }
  if (!ok)
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                   "Cost Explorer sent amounts for %s on %s that add up beyond what Cumulus can hold",
                   ds->service, ds->day);
      return FALSE;
    }
  for (guint a = 0; a < acc->len; a++)
    for (guint r = 0; r < (gap != 0 ? n_reg : reg->len); r++)
      {
        gint64 v = x[(gsize) a * (gap != 0 ? n_reg : reg->len) + r];
        const char *region = r < reg->len ? reg->pdata[r] : NULL;

        if (v != 0 || (acc->len == 1 && reg->len == 1))
          *amt_field (&cell_for (cells, acc->pdata[a], region)->amt, effective) += v;
      }
  return TRUE;
}

/* Splits the rows' amounts of one metric over the tag values (see the
 * header): out[r * n_values + v] receives row r's part for value v; the
 * rows keep their sums and value v gets exactly its target. */
static gboolean
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
    if (!add_checked (&total, *amt_field (&g_array_index (rows, TagRow, r).amt, effective)))
      return FALSE;
  /* credits: a (day, service) that is negative throughout splits like a charge */
  if (total < 0)
    sign = -1;
  for (guint r = 0; r < rows->len; r++)
    ok = ok && sign * *amt_field (&g_array_index (rows, TagRow, r).amt, effective) >= 0;
  for (guint v = 0; v < n_values; v++)
    {
      ok = ok && sign * weights[v] >= 0 && weights[v] != G_MININT64;
      left[v] = ok ? sign * weights[v] : 0;
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
          /* what is left of the targets sums to at least this row, so no
           * share exceeds what is left (see cu_ce_apportion) */
          if (!cu_ce_apportion (amount, left, n_values, shares))
            return FALSE;
          for (guint v = 0; v < n_values; v++)
            {
              if (shares[v] > left[v])
                return FALSE;
              left[v] -= shares[v];
              out[r * n_values + v] = sign * shares[v];
            }
        }
      for (guint v = 0; v < n_values; v++)
        if (left[v] != 0)
          return FALSE;
      return TRUE;
    }

  /* no meaningful proportion: all to the one value that has an amount, or
   * else to the untagged part (index 0, the value "") */
  if (n_nonzero != 1)
    only = 0;
  for (guint r = 0; r < rows->len; r++)
    out[r * n_values + only] = *amt_field (&g_array_index (rows, TagRow, r).amt, effective);
  return TRUE;
}

/* Returns the rows split across the values of tag key @k (see the header). */
static GArray *
split_by_tag (DayService *ds, guint k, GArray *rows, GError **error)
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
  if (!split_tag_metric (rows, FALSE, wb, values->len, ob) ||
      !split_tag_metric (rows, TRUE, we, values->len, oe))
    {
      g_set_error (error, CU_PROVIDER_ERROR, CU_PROVIDER_ERROR_INVALID_RESPONSE,
                   "Cost Explorer sent amounts for %s on %s that add up beyond what Cumulus can hold",
                   ds->service, ds->day);
      return NULL;
    }

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

      if (acc->len == 0 || reg->len == 0)
        {
          GPtrArray *names = acc->len ? acc : reg;
          GHashTable *side = acc->len ? ds->accounts : ds->regions;
          for (guint i = 0; i < names->len; i++)
            cell_for (cells, acc->len ? names->pdata[i] : NULL,
                      acc->len ? NULL : names->pdata[i])->amt = *(Amt *) g_hash_table_lookup (side, names->pdata[i]);
        }
      else if (!split_metric (ds, acc, reg, FALSE, cells, error) ||
               !split_metric (ds, acc, reg, TRUE, cells, error))
        return FALSE;

      for (guint i = 0; i < cells->len; i++)
        {
          Cell *c = &g_array_index (cells, Cell, i);
          TagRow row = { c->account, c->region, c->amt, { NULL } };

          if (c->amt.billed == 0 && c->amt.effective == 0 && cells->len > 1 && acc->len > 0 && reg->len > 0)
            continue;  /* empty cell of a split */
          g_array_append_val (rows, row);
        }
      /* key after key: each split keeps the rows' sums (see the header) */
      for (guint t = 0; t < ds->n_tags; t++)
        {
          GArray *split = split_by_tag (ds, t, rows, error);

          if (split == NULL)
            return FALSE;
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
          root = cu_json_node_object (page);
          g_free (token);
          token = g_strdup (cu_json_get_string (root, "NextPageToken"));
          if (token && *token == '\0')
            g_clear_pointer (&token, g_free);
        }
      while (token != NULL);
    }
  return TRUE;
}
