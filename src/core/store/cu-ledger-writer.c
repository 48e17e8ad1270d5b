/* cu-ledger-writer.c — atomic replacement of one account's date range
 *
 * A writer opens one IMMEDIATE transaction, deletes the account's rows and
 * rollups in [first_day, last_day], inserts the new rows while summing the
 * rollups in memory, and writes rollups and the batch record in the same
 * transaction on commit. Until COMMIT nothing is visible; a crash or SIGKILL
 * at any point leaves the previous data intact (SQLite rolls the WAL back).
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-ledger.h"

#include <string.h>
#include <unistd.h>

typedef struct {
  gint64 billed;
  gint64 effective;
  gint64 n_rows;
} Sum;

struct _CuLedgerWriter
{
  /* borrowed */
  CuLedger     *ledger;
  sqlite3      *db;

  /* owned */
  gint64        account_id;
  char         *account_provider;
  gint64        batch_id;
  CuDay         first_day;
  CuDay         last_day;
  sqlite3_stmt *insert;
  GHashTable   *rollup;      /* key → Sum */
  GHashTable   *tag_rollup;  /* key → Sum */
  GHashTable   *names;       /* provider\x1fsub_account → name */
  GString      *key;
  GString      *tags_json;
  guint64       n_rows;
  guint         n_requests;
  gboolean      finished;
  gboolean      nested;      /* in a CuLedgerWriterGroup: the group commits */
};

#define SEP '\x1f'

/* partial rollup sums held in memory before they are folded into the tables */
#define FLUSH_THRESHOLD 150000

static const char insert_sql[] =
  "INSERT INTO cost_rows (account_id, batch_id, usage_day,"
  " ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd,"
  " BilledCost, EffectiveCost, ListCost, ContractedCost, BillingCurrency,"
  " BillingAccountId, BillingAccountName, SubAccountId, SubAccountName,"
  " ProviderName, PublisherName, InvoiceIssuerName,"
  " ServiceName, ServiceCategory, ServiceSubcategory,"
  " RegionId, RegionName, AvailabilityZone,"
  " ResourceId, ResourceName, ResourceType,"
  " ChargeCategory, ChargeClass, ChargeDescription, ChargeFrequency,"
  " SkuId, SkuPriceId, PricingCategory, PricingQuantity, PricingUnit,"
  " ConsumedQuantity, ConsumedUnit, CommitmentDiscountId, CommitmentDiscountType,"
  " InvoiceId, Tags)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
  " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32,"
  " ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43)";

static gboolean
exec (CuLedgerWriter *w, const char *sql, GError **error)
{
  return cu_ledger_exec (w->ledger, sql, error);
}

static void
bind_text (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

static void
json_escape_append (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      unsigned char c = (unsigned char) *s;
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
add_sum (GHashTable *table, GString *key, gint64 billed, gint64 effective)
{
  Sum *sum = g_hash_table_lookup (table, key->str);

  if (sum == NULL)
    {
      sum = g_new0 (Sum, 1);
      g_hash_table_insert (table, g_strndup (key->str, key->len), sum);
    }
  sum->billed += billed;
  sum->effective += effective;
  sum->n_rows++;
}

static inline void
key_append (GString *key, const char *part)
{
  g_string_append (key, part);
  g_string_append_c (key, SEP);
}

static gboolean write_rollups (CuLedgerWriter *w, GError **error);

static const char *
nz (const char *s)
{
  return s != NULL ? s : "";
}

static CuLedgerWriter *writer_begin (CuLedger *ledger, gint64 account_id, const char *batch_kind,
                                      const char *batch_source, CuDay first_day, CuDay last_day,
                                      gboolean nested, GError **error);

/**
 * cu_ledger_writer_begin:
 * @account_id: the account whose rows are replaced
 * @batch_kind: "import", "sync" or "demo"
 * @batch_source: what the rows come from (a file name, an API), for people
 * @first_day: first day replaced, inclusive
 * @last_day: last day replaced, inclusive
 *
 * Starts replacing @account_id's costs for [@first_day, @last_day]. Every
 * row added must fall in that range. Nothing is visible to other
 * connections until cu_ledger_writer_commit().
 *
 * Returns: (transfer full): a writer; finish it with commit or abort
 */
CuLedgerWriter *
cu_ledger_writer_begin (CuLedger    *ledger,
                        gint64       account_id,
                        const char  *batch_kind,
                        const char  *batch_source,
                        CuDay        first_day,
                        CuDay        last_day,
                        GError     **error)
{
  return writer_begin (ledger, account_id, batch_kind, batch_source, first_day, last_day, FALSE, error);
}

/* @nested: the writer joins the transaction of its CuLedgerWriterGroup
 * (starting it when it is the group's first) and does not commit it. */
static CuLedgerWriter *
writer_begin (CuLedger    *ledger,
              gint64       account_id,
              const char  *batch_kind,
              const char  *batch_source,
              CuDay        first_day,
              CuDay        last_day,
              gboolean     nested,
              GError     **error)
{
  CuLedgerWriter *w;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  char first[11], last[11];
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (batch_kind != NULL, NULL);

  if (last_day < first_day)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "The batch’s last day comes before its first day");
      return NULL;
    }

  db = cu_ledger_get_db (ledger);
  cu_day_format (first_day, first);
  cu_day_format (last_day, last);

  w = g_new0 (CuLedgerWriter, 1);
  w->ledger = ledger;
  w->db = db;
  w->account_id = account_id;
  w->nested = nested;
  w->first_day = first_day;
  w->last_day = last_day;
  w->rollup = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  w->tag_rollup = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  w->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  w->key = g_string_sized_new (128);
  w->tags_json = g_string_sized_new (128);

  if (sqlite3_prepare_v2 (db, "SELECT provider FROM accounts WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND,
                   "No account with id %" G_GINT64_FORMAT, account_id);
      w->finished = TRUE;
      cu_ledger_writer_abort (w, NULL);
      return NULL;
    }
  w->account_provider = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  /* The batch record is written first, on its own, so that a failure can be
   * recorded even though the data transaction rolls back. */
  if (sqlite3_prepare_v2 (db, "INSERT INTO batches (account_id, kind, source, first_day, last_day, status, owner_pid)"
                              " VALUES (?, ?, ?, ?, ?, 'running', ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, batch_kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, batch_source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, last, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, getpid ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    goto sql_error;
  w->batch_id = sqlite3_last_insert_rowid (db);

  /* Copying a big batch from the WAL into the database is housekeeping,
   * not part of making it durable: it is left to cu_ledger_checkpoint(),
   * which callers run when idle or before closing. */
  sqlite3_wal_autocheckpoint (db, 0);

  if ((!nested || sqlite3_get_autocommit (db)) && !exec (w, "BEGIN IMMEDIATE", error))
    {
      cu_ledger_writer_abort (w, error && *error ? (*error)->message : "cannot start a transaction");
      return NULL;
    }

  {
    static const char * const tables[] = { "cost_rows", "rollup_daily", "rollup_tag_daily" };

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE account_id = ?1"
                                                " AND usage_day BETWEEN ?2 AND ?3", tables[i]);
        if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
          goto sql_error_in_tx;
        sqlite3_bind_int64 (stmt, 1, account_id);
        sqlite3_bind_int (stmt, 2, first_day);
        sqlite3_bind_int (stmt, 3, last_day);
        rc = sqlite3_step (stmt);
        sqlite3_finalize (stmt);
        if (rc != SQLITE_DONE)
          goto sql_error_in_tx;
      }
  }

  if (sqlite3_prepare_v2 (db, insert_sql, -1, &w->insert, NULL) != SQLITE_OK)
    goto sql_error_in_tx;

  return w;

sql_error_in_tx:
sql_error:
  cu_ledger_set_sql_error (ledger, error, "Cannot start writing cost rows");
  cu_ledger_writer_abort (w, sqlite3_errmsg (db));
  return NULL;
}

/**
 * cu_ledger_writer_add:
 * @row: amounts in micro-units; strings are copied
 *
 * Returns: %FALSE with @error naming the bad field; the writer stays usable
 *   and the caller decides whether to abort
 */
gboolean
cu_ledger_writer_add (CuLedgerWriter   *w,
                      const CuCostRow  *row,
                      GError          **error)
{
  sqlite3_stmt *s;
  CuDay day;
  const char *provider, *sub_account, *service, *region;
  char day_text[11];

  g_return_val_if_fail (w != NULL && !w->finished, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  if (row->charge_period_start == NULL || !cu_day_parse (row->charge_period_start, &day))
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "ChargePeriodStart “%s” is not a date", nz (row->charge_period_start));
      return FALSE;
    }
  if (day < w->first_day || day > w->last_day)
    {
      char a[11], b[11];
      cu_day_format (w->first_day, a);
      cu_day_format (w->last_day, b);
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "ChargePeriodStart %.10s is outside the batch’s period %s to %s",
                   row->charge_period_start, a, b);
      return FALSE;
    }
  if (row->billing_currency == NULL || strlen (row->billing_currency) != 3)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "BillingCurrency “%s” is not a three-letter currency code", nz (row->billing_currency));
      return FALSE;
    }

  s = w->insert;
  sqlite3_reset (s);
  sqlite3_bind_int64 (s, 1, w->account_id);
  sqlite3_bind_int64 (s, 2, w->batch_id);
  sqlite3_bind_int (s, 3, day);
  bind_text (s, 4, row->charge_period_start);
  bind_text (s, 5, row->charge_period_end ? row->charge_period_end : row->charge_period_start);
  bind_text (s, 6, row->billing_period_start);
  bind_text (s, 7, row->billing_period_end);
  sqlite3_bind_int64 (s, 8, row->billed_cost);
  sqlite3_bind_int64 (s, 9, row->effective_cost);
  if (row->has_list_cost)
    sqlite3_bind_int64 (s, 10, row->list_cost);
  else
    sqlite3_bind_null (s, 10);
  if (row->has_contracted_cost)
    sqlite3_bind_int64 (s, 11, row->contracted_cost);
  else
    sqlite3_bind_null (s, 11);
  bind_text (s, 12, row->billing_currency);
  bind_text (s, 13, row->billing_account_id);
  bind_text (s, 14, row->billing_account_name);
  bind_text (s, 15, row->sub_account_id);
  bind_text (s, 16, row->sub_account_name);
  bind_text (s, 17, row->provider_name);
  bind_text (s, 18, row->publisher_name);
  bind_text (s, 19, row->invoice_issuer_name);
  bind_text (s, 20, row->service_name);
  bind_text (s, 21, row->service_category);
  bind_text (s, 22, row->service_subcategory);
  bind_text (s, 23, row->region_id);
  bind_text (s, 24, row->region_name);
  bind_text (s, 25, row->availability_zone);
  bind_text (s, 26, row->resource_id);
  bind_text (s, 27, row->resource_name);
  bind_text (s, 28, row->resource_type);
  bind_text (s, 29, row->charge_category);
  bind_text (s, 30, row->charge_class);
  bind_text (s, 31, row->charge_description);
  bind_text (s, 32, row->charge_frequency);
  bind_text (s, 33, row->sku_id);
  bind_text (s, 34, row->sku_price_id);
  bind_text (s, 35, row->pricing_category);
  if (row->has_pricing_quantity)
    sqlite3_bind_double (s, 36, row->pricing_quantity);
  else
    sqlite3_bind_null (s, 36);
  bind_text (s, 37, row->pricing_unit);
  if (row->has_consumed_quantity)
    sqlite3_bind_double (s, 38, row->consumed_quantity);
  else
    sqlite3_bind_null (s, 38);
  bind_text (s, 39, row->consumed_unit);
  bind_text (s, 40, row->commitment_discount_id);
  bind_text (s, 41, row->commitment_discount_type);
  bind_text (s, 42, row->invoice_id);

  if (row->n_tags > 0)
    {
      g_string_truncate (w->tags_json, 0);
      g_string_append_c (w->tags_json, '{');
      for (guint i = 0; i < row->n_tags; i++)
        {
          if (i > 0)
            g_string_append_c (w->tags_json, ',');
          json_escape_append (w->tags_json, row->tag_keys[i]);
          g_string_append_c (w->tags_json, ':');
          json_escape_append (w->tags_json, nz (row->tag_values[i]));
        }
      g_string_append_c (w->tags_json, '}');
      sqlite3_bind_text (s, 43, w->tags_json->str, w->tags_json->len, SQLITE_STATIC);
    }
  else
    sqlite3_bind_null (s, 43);

  if (sqlite3_step (s) != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot write a cost row");
      return FALSE;
    }

  provider = row->provider_name && *row->provider_name ? row->provider_name : w->account_provider;
  sub_account = nz (row->sub_account_id);
  service = nz (row->service_name);
  region = nz (row->region_id);
  cu_day_format (day, day_text);

  g_string_truncate (w->key, 0);
  key_append (w->key, day_text);
  key_append (w->key, provider);
  key_append (w->key, sub_account);
  key_append (w->key, service);
  key_append (w->key, region);
  g_string_append (w->key, row->billing_currency);
  add_sum (w->rollup, w->key, row->billed_cost, row->effective_cost);

  for (guint i = 0; i < row->n_tags; i++)
    {
      g_string_truncate (w->key, 0);
      key_append (w->key, row->tag_keys[i]);
      key_append (w->key, day_text);
      key_append (w->key, nz (row->tag_values[i]));
      g_string_append (w->key, row->billing_currency);
      add_sum (w->tag_rollup, w->key, row->billed_cost, row->effective_cost);
    }

  if (row->sub_account_id && *row->sub_account_id && row->sub_account_name && *row->sub_account_name)
    {
      g_string_truncate (w->key, 0);
      key_append (w->key, provider);
      g_string_append (w->key, row->sub_account_id);
      if (!g_hash_table_contains (w->names, w->key->str))
        g_hash_table_insert (w->names, g_strdup (w->key->str), g_strdup (row->sub_account_name));
    }

  /* Bound memory on huge batches: fold the partial sums into the tables.
   * The range was emptied at begin, so the upserts add up exactly. */
  if (g_hash_table_size (w->rollup) + g_hash_table_size (w->tag_rollup) > FLUSH_THRESHOLD &&
      !write_rollups (w, error))
    return FALSE;

  w->n_rows++;
  return TRUE;
}

void
cu_ledger_writer_set_requests (CuLedgerWriter *w,
                               guint           n_requests)
{
  g_return_if_fail (w != NULL);
  w->n_requests = n_requests;
}

gint64
cu_ledger_writer_get_batch_id (CuLedgerWriter *w)
{
  g_return_val_if_fail (w != NULL, 0);
  return w->batch_id;
}

guint64
cu_ledger_writer_get_n_rows (CuLedgerWriter *w)
{
  g_return_val_if_fail (w != NULL, 0);
  return w->n_rows;
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Keys in sorted order: they follow the tables' primary keys, so the b-tree
 * inserts are sequential instead of random. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_sized_new (g_hash_table_size (table));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);
  return keys;
}

/* Splits @key at SEP into at most @n parts, in place in a copy; returns the copy. */
static char *
split_key (const char *key, char **parts, int n)
{
  char *copy = g_strdup (key);
  char *p = copy;

  for (int i = 0; i < n; i++)
    {
      parts[i] = p;
      if (i < n - 1)
        {
          p = strchr (p, SEP);
          g_assert (p != NULL);
          *p++ = '\0';
        }
    }
  return copy;
}

static gboolean
write_rollups (CuLedgerWriter *w, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (sqlite3_prepare_v2 (w->db,
                          "INSERT INTO rollup_daily (usage_day, account_id, provider, sub_account,"
                          " service, region, currency, billed, effective, n_rows)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          " ON CONFLICT DO UPDATE SET billed = billed + excluded.billed,"
                          " effective = effective + excluded.effective, n_rows = n_rows + excluded.n_rows",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  keys = sorted_keys (w->rollup);
  for (guint k = 0; k < keys->len; k++)
    {
      char *parts[6];
      g_autofree char *copy = split_key (keys->pdata[k], parts, 6);
      Sum *sum = g_hash_table_lookup (w->rollup, keys->pdata[k]);
      CuDay day = 0;

      cu_day_parse (parts[0], &day);
      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, day);
      sqlite3_bind_int64 (stmt, 2, w->account_id);
      for (int i = 1; i < 6; i++)
        sqlite3_bind_text (stmt, i + 2, parts[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, sum->billed);
      sqlite3_bind_int64 (stmt, 9, sum->effective);
      sqlite3_bind_int64 (stmt, 10, sum->n_rows);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (stmt);
  g_clear_pointer (&keys, g_ptr_array_unref);
  g_hash_table_remove_all (w->rollup);

  if (sqlite3_prepare_v2 (w->db,
                          "INSERT INTO rollup_tag_daily (tag_key, usage_day, account_id, tag_value,"
                          " currency, billed, effective)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)"
                          " ON CONFLICT DO UPDATE SET billed = billed + excluded.billed,"
                          " effective = effective + excluded.effective",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  keys = sorted_keys (w->tag_rollup);
  for (guint k = 0; k < keys->len; k++)
    {
      char *parts[4];
      g_autofree char *copy = split_key (keys->pdata[k], parts, 4);
      Sum *sum = g_hash_table_lookup (w->tag_rollup, keys->pdata[k]);
      CuDay day = 0;

      cu_day_parse (parts[1], &day);
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, parts[0], -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, day);
      sqlite3_bind_int64 (stmt, 3, w->account_id);
      sqlite3_bind_text (stmt, 4, parts[2], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, parts[3], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, sum->billed);
      sqlite3_bind_int64 (stmt, 7, sum->effective);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (stmt);
  g_clear_pointer (&keys, g_ptr_array_unref);
  g_hash_table_remove_all (w->tag_rollup);

  if (sqlite3_prepare_v2 (w->db,
                          "INSERT OR REPLACE INTO sub_accounts (provider, sub_account_id, name)"
                          " VALUES (?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  g_hash_table_iter_init (&iter, w->names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      char *parts[2];
      g_autofree char *copy = split_key (key, parts, 2);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, parts[0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, parts[1], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (stmt);
  g_hash_table_remove_all (w->names);
  return TRUE;

fail:
  cu_ledger_set_sql_error (w->ledger, error, "Cannot write the daily rollups");
  sqlite3_finalize (stmt);
  return FALSE;
}

static void
writer_free (CuLedgerWriter *w)
{
  if (w->insert)
    sqlite3_finalize (w->insert);
  g_hash_table_unref (w->rollup);
  g_hash_table_unref (w->tag_rollup);
  g_hash_table_unref (w->names);
  g_string_free (w->key, TRUE);
  g_string_free (w->tags_json, TRUE);
  g_free (w->account_provider);
  g_free (w);
}

/**
 * cu_ledger_writer_commit:
 *
 * Writes the rollups and the batch record and commits. Frees @w whether or
 * not it succeeds; on failure the previous data is intact and the batch is
 * recorded as failed.
 */
gboolean
cu_ledger_writer_commit (CuLedgerWriter  *w,
                         GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (w != NULL && !w->finished, FALSE);

  if (!write_rollups (w, error))
    goto fail;

  if (sqlite3_prepare_v2 (w->db,
                          "UPDATE batches SET status = 'done', n_rows = ?, n_requests = ?,"
                          " finished_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot record the batch");
      goto fail;
    }
  sqlite3_bind_int64 (stmt, 1, (gint64) w->n_rows);
  sqlite3_bind_int64 (stmt, 2, w->n_requests);
  sqlite3_bind_int64 (stmt, 3, w->batch_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot record the batch");
      goto fail;
    }

  if (!w->nested && !exec (w, "COMMIT", error))
    goto fail;

  w->finished = TRUE;
  writer_free (w);
  return TRUE;

fail:
  cu_ledger_writer_abort (w, error && *error ? (*error)->message : "commit failed");
  return FALSE;
}

/* Rolls back, records how the batch ended and frees @w. */
static void
writer_end (CuLedgerWriter *w,
            const char     *status,
            const char     *reason)
{
  sqlite3_stmt *stmt = NULL;

  if (w->insert)
    {
      sqlite3_finalize (w->insert);
      w->insert = NULL;
    }
  if (!sqlite3_get_autocommit (w->db))
    sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);

  if (w->batch_id != 0 &&
      sqlite3_prepare_v2 (w->db,
                          "UPDATE batches SET status = ?, error = ?, n_requests = ?,"
                          " finished_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
      if (reason != NULL)
        sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 2);
      sqlite3_bind_int64 (stmt, 3, w->n_requests);
      sqlite3_bind_int64 (stmt, 4, w->batch_id);
      sqlite3_step (stmt);
      sqlite3_finalize (stmt);
    }

  w->finished = TRUE;
  writer_free (w);
}

/**
 * cu_ledger_writer_abort:
 * @reason: (nullable): why, recorded with the batch (an error message)
 *
 * Rolls back everything the writer did, records the batch as "failed" with
 * @reason ("aborted" when %NULL) and frees @w.
 */
void
cu_ledger_writer_abort (CuLedgerWriter *w,
                        const char     *reason)
{
  g_return_if_fail (w != NULL);

  writer_end (w, "failed", reason ? reason : "aborted");
}

/**
 * cu_ledger_writer_cancel:
 *
 * Rolls back everything the writer did, records the batch as "cancelled"
 * (the user stopped it: no error, so none is recorded) and frees @w. The
 * requests counted so far stay with the batch.
 */
void
cu_ledger_writer_cancel (CuLedgerWriter *w)
{
  g_return_if_fail (w != NULL);

  writer_end (w, "cancelled", NULL);
}

/* ---- several writers in one transaction ----
 *
 * A file import replaces several (account, date range) pairs at once: every
 * billing period of every billing account in the file. A writer group gives
 * each pair its own CuLedgerWriter (its own batch record, delete and
 * rollups) but runs them all in one transaction, committed or rolled back
 * together, so rows can arrive in any order in one pass and a failure
 * leaves every range as it was. The first writer's batch record is written
 * before the transaction starts, as for a lone writer, so a running or
 * killed import shows in the batches table; the others are written inside
 * it. On failure every batch still recorded is marked as failed. */

struct _CuLedgerWriterGroup
{
  /* borrowed */
  CuLedger  *ledger;

  /* owned */
  char      *batch_kind;
  char      *batch_source;
  GPtrArray *writers;    /* of CuLedgerWriter *, open ones */
  GArray    *batch_ids;  /* of gint64, every writer begun */
  gboolean   broken;     /* a writer failed: its transaction is gone */
};

/**
 * cu_ledger_writer_group_new:
 * @batch_kind: "import", "sync" or "demo", for every writer of the group
 * @batch_source: what the rows come from, for people
 *
 * Starts nothing yet: the transaction begins with the first writer.
 *
 * Returns: (transfer full): a group; finish it with commit, abort or cancel
 */
CuLedgerWriterGroup *
cu_ledger_writer_group_new (CuLedger   *ledger,
                            const char *batch_kind,
                            const char *batch_source)
{
  CuLedgerWriterGroup *group;

  g_return_val_if_fail (CU_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (batch_kind != NULL, NULL);

  group = g_new0 (CuLedgerWriterGroup, 1);
  group->ledger = ledger;
  group->batch_kind = g_strdup (batch_kind);
  group->batch_source = g_strdup (batch_source);
  group->writers = g_ptr_array_new ();
  group->batch_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return group;
}

/**
 * cu_ledger_writer_group_begin:
 * @account_id: the account whose rows are replaced
 * @first_day: first day replaced, inclusive
 * @last_day: last day replaced, inclusive
 *
 * Adds a writer replacing @account_id's costs for [@first_day, @last_day]
 * inside the group's transaction; its range is emptied now. Ranges of one
 * account must not overlap. Add rows with cu_ledger_writer_add(); do not
 * commit, abort or cancel the writer itself.
 *
 * Returns: (transfer none): the writer, owned by @group; %NULL with @error
 *   set, and then the group's transaction is rolled back and only
 *   cu_ledger_writer_group_abort() is left to call
 */
CuLedgerWriter *
cu_ledger_writer_group_begin (CuLedgerWriterGroup  *group,
                              gint64                account_id,
                              CuDay                 first_day,
                              CuDay                 last_day,
                              GError              **error)
{
  CuLedgerWriter *w;

  g_return_val_if_fail (group != NULL, NULL);

  if (group->broken)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "The batch was already rolled back");
      return NULL;
    }
  w = writer_begin (group->ledger, account_id, group->batch_kind, group->batch_source,
                    first_day, last_day, TRUE, error);
  if (w == NULL)
    {
      /* writer_begin's failure rolled the whole transaction back */
      group->broken = TRUE;
      return NULL;
    }
  g_ptr_array_add (group->writers, w);
  g_array_append_val (group->batch_ids, w->batch_id);
  return w;
}

static void
writer_group_free (CuLedgerWriterGroup *group)
{
  g_ptr_array_unref (group->writers);
  g_array_unref (group->batch_ids);
  g_free (group->batch_kind);
  g_free (group->batch_source);
  g_free (group);
}

/* Rolls back, marks every batch the group began as @status and frees it. */
static void
writer_group_end (CuLedgerWriterGroup *group,
                  const char          *status,
                  const char          *reason)
{
  sqlite3 *db = cu_ledger_get_db (group->ledger);
  sqlite3_stmt *stmt = NULL;

  /* the first abort rolls the shared transaction back; the others find
   * their batch records gone with it */
  for (guint i = 0; i < group->writers->len; i++)
    writer_end (g_ptr_array_index (group->writers, i), status, reason);
  g_ptr_array_set_size (group->writers, 0);
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);

  /* writers already committed into the group, and a first batch record
   * written before the transaction, are still "running" or "done" */
  if (group->batch_ids->len > 0 &&
      sqlite3_prepare_v2 (db, "UPDATE batches SET status = ?, error = ?,"
                              " finished_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
                              " WHERE id = ? AND status IN ('running', 'done')",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      for (guint i = 0; i < group->batch_ids->len; i++)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
          if (reason != NULL)
            sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
          else
            sqlite3_bind_null (stmt, 2);
          sqlite3_bind_int64 (stmt, 3, g_array_index (group->batch_ids, gint64, i));
          sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
    }

  writer_group_free (group);
}

/**
 * cu_ledger_writer_group_commit:
 *
 * Writes every writer's rollups and batch record and commits them all at
 * once. Frees @group whether or not it succeeds; on failure every range is
 * as it was and every batch is recorded as failed. A group with no writer
 * commits nothing and succeeds.
 */
gboolean
cu_ledger_writer_group_commit (CuLedgerWriterGroup  *group,
                               GError              **error)
{
  sqlite3 *db;

  g_return_val_if_fail (group != NULL, FALSE);

  db = cu_ledger_get_db (group->ledger);
  if (group->broken)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "The batch was already rolled back");
      goto fail;
    }
  while (group->writers->len > 0)
    {
      /* a nested commit writes the rollups and the batch, not COMMIT; on
       * failure it rolls the shared transaction back and frees itself */
      CuLedgerWriter *w = g_ptr_array_steal_index (group->writers, 0);

      if (!cu_ledger_writer_commit (w, error))
        goto fail;
    }
  if (!sqlite3_get_autocommit (db) && !cu_ledger_exec (group->ledger, "COMMIT", error))
    goto fail;
  writer_group_free (group);
  return TRUE;

fail:
  writer_group_end (group, "failed", error && *error ? (*error)->message : "commit failed");
  return FALSE;
}

/**
 * cu_ledger_writer_group_abort:
 * @reason: (nullable): why, recorded with every batch ("aborted" when %NULL)
 *
 * Rolls back every writer of @group, records their batches as failed and
 * frees @group.
 */
void
cu_ledger_writer_group_abort (CuLedgerWriterGroup *group,
                              const char          *reason)
{
  g_return_if_fail (group != NULL);

  writer_group_end (group, "failed", reason ? reason : "aborted");
}

/**
 * cu_ledger_writer_group_cancel:
 *
 * As cu_ledger_writer_group_abort(), recording the batches as cancelled.
 */
void
cu_ledger_writer_group_cancel (CuLedgerWriterGroup *group)
{
  g_return_if_fail (group != NULL);

  writer_group_end (group, "cancelled", NULL);
}
