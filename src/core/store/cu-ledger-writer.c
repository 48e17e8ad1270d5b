/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger-writer.c — atomic replacement of one account's date range
 *
 * A writer opens one IMMEDIATE transaction, deletes the account's rows and
 * rollups in [first_day, last_day], inserts the new rows while summing the
 * fine rollup (day × linked account × service × region × tag set) in memory,
 * and on commit writes it, works out which source wins each linked account
 * and day (see cu_ledger_resolve_overlap()), derives the coarser rollups and
 * writes the batch record, all in the same transaction. Until COMMIT nothing
 * is visible; a crash or SIGKILL at any point leaves the previous data intact
 * (SQLite rolls the WAL back).
 *
 * Strings that repeat on every row are stored as ids into the strings
 * table; a row's tags are one id into tag_sets. Keys in memory are structs
 * of ids or length-prefixed bytes, never strings joined by a separator that
 * the data could contain.
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-coverage-private.h"
#include "store/cu-ledger.h"
#include "util/cu-output.h"
#include "store/cu-ledger-private.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* One cell of the fine rollup: the key (ids) and its running sums. */
typedef struct {
  gint64 provider;
  gint64 sub_account;
  gint64 service;
  gint64 region;
  gint64 currency;
  gint64 tag_set;
  CuDay  day;
  gint64 billed;
  gint64 effective;
  gint64 n_rows;
} FineSum;

/* The dictionary-encoded text parameters of insert_sql */
enum {
  P_CHARGE_START = 4, P_CHARGE_END = 5, P_BILLING_START = 6, P_BILLING_END = 7,
  P_CURRENCY = 12, P_BILLING_ACCOUNT = 13, P_BILLING_ACCOUNT_NAME = 14,
  P_SUB_ACCOUNT = 15, P_SUB_ACCOUNT_NAME = 16, P_PROVIDER = 17, P_PUBLISHER = 18,
  P_INVOICE_ISSUER = 19, P_SERVICE = 20, P_SERVICE_CATEGORY = 21, P_SERVICE_SUBCATEGORY = 22,
  P_REGION = 23, P_REGION_NAME = 24, P_ZONE = 25, P_RESOURCE_TYPE = 28,
  P_CHARGE_CATEGORY = 29, P_CHARGE_CLASS = 30, P_CHARGE_FREQUENCY = 32, P_SKU = 33,
  P_PRICING_CATEGORY = 35, P_PRICING_UNIT = 37, P_CONSUMED_UNIT = 39, P_COMMITMENT_TYPE = 41,
  N_PARAMS = 44
};

struct _CuLedgerWriter
{
  /* borrowed */
  CuLedger     *ledger;
  sqlite3      *db;

  /* owned */
  gint64        account_id;
  char         *account_provider;
  int           rank;        /* of the batch's kind in the overlap rule */
  gint64        batch_id;
  CuDay         first_day;
  CuDay         last_day;
  sqlite3_stmt *insert;
  sqlite3_stmt *find_string;
  sqlite3_stmt *add_string;
  GHashTable   *string_ids;  /* char* → id */
  char         *last_text[N_PARAMS]; /* per column: the last value and its id, */
  gint64        last_id[N_PARAMS];   /* since neighbouring rows mostly repeat */
  GHashTable   *tag_set_ids; /* GString* (length-prefixed pairs) → id */
  GString      *tag_key;
  GHashTable   *fine;        /* FineSum set */
  GHashTable   *names;       /* "provider-id:sub-account-id" → name */
  gint64        last_named_provider; /* the pair named by the previous row */
  gint64        last_named_sub;
  guint64       n_rows;
  guint         n_requests;
  gboolean      finished;
  gboolean      nested;      /* in a CuLedgerWriterGroup: the group commits */
};

/* partial rollup sums held in memory before they are folded into the table */
#define FLUSH_THRESHOLD 100000
/* distinct strings remembered; past this the dictionary is asked again */
#define STRING_CACHE_MAX 100000

static const char insert_sql[] =
  "INSERT INTO cost_items (account_id, batch_id, usage_day,"
  " charge_start, charge_end, billing_start, billing_end,"
  " BilledCost, EffectiveCost, ListCost, ContractedCost, currency,"
  " billing_account, billing_account_name, sub_account, sub_account_name,"
  " provider, publisher, invoice_issuer,"
  " service, service_category, service_subcategory,"
  " region, region_name, zone,"
  " ResourceId, ResourceName, resource_type,"
  " charge_category, charge_class, ChargeDescription, charge_frequency,"
  " sku, SkuPriceId, pricing_category, PricingQuantity, pricing_unit,"
  " ConsumedQuantity, consumed_unit, CommitmentDiscountId, commitment_type,"
  " InvoiceId, tag_set)"
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

static const char *
nz (const char *s)
{
  return s != NULL ? s : "";
}

static guint
fine_hash (gconstpointer p)
{
  const FineSum *f = p;
  guint64 h = (guint64) f->day;

  h = h * 1000003u ^ (guint64) f->provider;
  h = h * 1000003u ^ (guint64) f->sub_account;
  h = h * 1000003u ^ (guint64) f->service;
  h = h * 1000003u ^ (guint64) f->region;
  h = h * 1000003u ^ (guint64) f->currency;
  h = h * 1000003u ^ (guint64) f->tag_set;
  return (guint) (h ^ (h >> 32));
}

static gboolean
fine_equal (gconstpointer pa, gconstpointer pb)
{
  const FineSum *a = pa, *b = pb;

  return a->day == b->day && a->provider == b->provider && a->sub_account == b->sub_account &&
         a->service == b->service && a->region == b->region && a->currency == b->currency &&
         a->tag_set == b->tag_set;
}

static guint
bytes_hash (gconstpointer p)
{
  const GString *s = p;
  guint32 h = 5381;

  for (gsize i = 0; i < s->len; i++)
    h = h * 33 + (guchar) s->str[i];
  return h;
}

static gboolean
bytes_equal (gconstpointer pa, gconstpointer pb)
{
  const GString *a = pa, *b = pb;

  return a->len == b->len && memcmp (a->str, b->str, a->len) == 0;
}

static void
gstring_free (gpointer s)
{
  g_string_free (s, TRUE);
}

/* The id of @text in the strings table, adding it when new; 0 for NULL/"".
 * @param is the column (0 for the rollup's provider), which remembers its
 * last value. */
static gboolean
string_id (CuLedgerWriter  *w,
           int              param,
           const char      *text,
           gint64          *id,
           GError         **error)
{
  gpointer cached;
  int rc;

  if (text == NULL || *text == '\0')
    {
      *id = 0;
      return TRUE;
    }
  if (w->last_text[param] != NULL && strcmp (w->last_text[param], text) == 0)
    {
      *id = w->last_id[param];
      return TRUE;
    }
  if (g_hash_table_lookup_extended (w->string_ids, text, NULL, &cached))
    *id = (gint64) GPOINTER_TO_SIZE (cached);
  else
    {
      sqlite3_reset (w->find_string);
      sqlite3_bind_text (w->find_string, 1, text, -1, SQLITE_STATIC);
      rc = sqlite3_step (w->find_string);
      if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64 (w->find_string, 0);
      else if (rc == SQLITE_DONE)
        {
          sqlite3_reset (w->add_string);
          sqlite3_bind_text (w->add_string, 1, text, -1, SQLITE_STATIC);
          if (sqlite3_step (w->add_string) != SQLITE_DONE)
            {
              cu_ledger_set_sql_error (w->ledger, error, "Cannot write a cost row");
              return FALSE;
            }
          *id = sqlite3_last_insert_rowid (w->db);
        }
      else
        {
          cu_ledger_set_sql_error (w->ledger, error, "Cannot write a cost row");
          return FALSE;
        }
      sqlite3_reset (w->find_string);
      if (g_hash_table_size (w->string_ids) >= STRING_CACHE_MAX)
        g_hash_table_remove_all (w->string_ids);
      g_hash_table_insert (w->string_ids, g_strdup (text), GSIZE_TO_POINTER ((gsize) *id));
    }
  g_free (w->last_text[param]);
  w->last_text[param] = g_strdup (text);
  w->last_id[param] = *id;
  return TRUE;
}

/* Binds the dictionary id of @text (NULL for none) to parameter @param. */
static gboolean
bind_string (CuLedgerWriter  *w,
             int              param,
             const char      *text,
             gint64          *id_out,
             GError         **error)
{
  gint64 id;

  if (!string_id (w, param, text, &id, error))
    return FALSE;
  if (id == 0)
    sqlite3_bind_null (w->insert, param);
  else
    sqlite3_bind_int64 (w->insert, param, id);
  if (id_out)
    *id_out = id;
  return TRUE;
}

typedef struct {
  const char *key;
  const char *value;
} TagPair;

static int
compare_pairs (gconstpointer a, gconstpointer b)
{
  return strcmp (((const TagPair *) a)->key, ((const TagPair *) b)->key);
}

static void
append_sized (GString *s, const char *text)
{
  guint32 len = (guint32) strlen (text);

  g_string_append_len (s, (const char *) &len, sizeof len);
  g_string_append_len (s, text, len);
}

/* Looks up or creates the tag set of @row (keys sorted, first of duplicate
 * keys kept); 0 when the row has no tags. */
static gboolean
tag_set_id (CuLedgerWriter   *w,
            const CuCostRow  *row,
            gint64           *id,
            GError          **error)
{
  TagPair stack_pairs[16];
  g_autofree TagPair *heap_pairs = NULL;
  TagPair *pairs;
  guint n = 0;
  gpointer cached;

  *id = 0;
  if (row->n_tags == 0)
    return TRUE;

  pairs = row->n_tags <= G_N_ELEMENTS (stack_pairs) ? stack_pairs
          : (heap_pairs = g_new (TagPair, row->n_tags));
  for (guint i = 0; i < row->n_tags; i++)
    {
      pairs[i].key = nz (row->tag_keys[i]);
      pairs[i].value = row->tag_values ? nz (row->tag_values[i]) : "";
    }
  /* stable, so that the first of duplicate keys stays first */
  g_qsort_with_data (pairs, row->n_tags, sizeof (TagPair), (GCompareDataFunc) compare_pairs, NULL);

  g_string_truncate (w->tag_key, 0);
  for (guint i = 0; i < row->n_tags; i++)
    {
      if (n > 0 && strcmp (pairs[n - 1].key, pairs[i].key) == 0)
        continue;
      pairs[n++] = pairs[i];
      append_sized (w->tag_key, pairs[i].key);
      append_sized (w->tag_key, pairs[i].value);
    }

  if (g_hash_table_lookup_extended (w->tag_set_ids, w->tag_key, NULL, &cached))
    {
      *id = (gint64) GPOINTER_TO_SIZE (cached);
      return TRUE;
    }

  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *json = NULL;
    sqlite3_stmt *stmt = NULL;
    int rc;

    json_builder_begin_object (builder);
    for (guint i = 0; i < n; i++)
      {
        json_builder_set_member_name (builder, pairs[i].key);
        json_builder_add_string_value (builder, pairs[i].value);
      }
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    /* the one JSON writer: canonical, so equal tag sets are equal text */
    json = cu_output_json_canonical (root);

    if (sqlite3_prepare_v2 (w->db, "SELECT id FROM tag_sets WHERE tags = ?", -1, &stmt, NULL) != SQLITE_OK)
      goto fail;
    sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      *id = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    stmt = NULL;
    if (rc == SQLITE_DONE)
      {
        if (sqlite3_prepare_v2 (w->db, "INSERT INTO tag_sets (tags) VALUES (?)", -1, &stmt, NULL) != SQLITE_OK)
          goto fail;
        sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
        rc = sqlite3_step (stmt);
        sqlite3_finalize (stmt);
        stmt = NULL;
        if (rc != SQLITE_DONE)
          goto fail;
        *id = sqlite3_last_insert_rowid (w->db);
        if (sqlite3_prepare_v2 (w->db, "INSERT OR IGNORE INTO tag_set_items (tag_set, tag_key, tag_value)"
                                       " VALUES (?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
          goto fail;
        for (guint i = 0; i < n; i++)
          {
            sqlite3_reset (stmt);
            sqlite3_bind_int64 (stmt, 1, *id);
            sqlite3_bind_text (stmt, 2, pairs[i].key, -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, 3, pairs[i].value, -1, SQLITE_STATIC);
            if (sqlite3_step (stmt) != SQLITE_DONE)
              goto fail;
          }
        sqlite3_finalize (stmt);
        stmt = NULL;
      }
    else if (rc != SQLITE_ROW)
      goto fail;

    g_hash_table_insert (w->tag_set_ids, g_string_new_len (w->tag_key->str, w->tag_key->len),
                         GSIZE_TO_POINTER ((gsize) *id));
    return TRUE;

  fail:
    cu_ledger_set_sql_error (w->ledger, error, "Cannot write a row’s tags");
    sqlite3_finalize (stmt);
    return FALSE;
  }
}

static gboolean
checked_add (gint64 *sum, gint64 amount)
{
  return !__builtin_add_overflow (*sum, amount, sum);
}

static gboolean flush_rollup (CuLedgerWriter *w, GError **error);

static int
rank_of_kind (const char *batch_kind)
{
  if (g_strcmp0 (batch_kind, "sync") == 0)
    return 0;
  if (g_strcmp0 (batch_kind, "import") == 0)
    return 1;
  return 2;
}

static gboolean
run_range (CuLedgerWriter *w, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (w->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot write cost rows");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, w->account_id);
  sqlite3_bind_int (stmt, 2, w->first_day);
  sqlite3_bind_int (stmt, 3, w->last_day);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    sqlite3_bind_int (stmt, 4, w->rank);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot write cost rows");
      return FALSE;
    }
  return TRUE;
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
  gboolean fresh;

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
  w->rank = rank_of_kind (batch_kind);
  w->nested = nested;
  w->first_day = first_day;
  w->last_day = last_day;
  w->string_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w->tag_set_ids = g_hash_table_new_full (bytes_hash, bytes_equal, gstring_free, NULL);
  w->tag_key = g_string_sized_new (128);
  w->fine = g_hash_table_new_full (fine_hash, fine_equal, g_free, NULL);
  w->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

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

  /* a new transaction starts a new list of linked accounts to work out
   * again; writers sharing one transaction (a CuLedgerWriterGroup) add to it */
  fresh = sqlite3_get_autocommit (db);
  if (!cu_ledger_overlap_begin (ledger, fresh, error) ||
      ((!nested || fresh) && !exec (w, "BEGIN IMMEDIATE", error)))
    {
      cu_ledger_writer_abort (w, error && *error ? (*error)->message : "cannot start a transaction");
      return NULL;
    }

  /* the linked accounts this account held in the range: their winners are
   * worked out again on commit, whether or not the new rows still hold them */
  if (
      !run_range (w, "INSERT OR IGNORE INTO temp.cu_touched (sub_account)"
                     " SELECT DISTINCT sub_account FROM coverage WHERE account_id = ?1"
                     " AND usage_day BETWEEN ?2 AND ?3", error))
    goto error_in_tx;

  {
    static const char * const tables[] = { "cost_items", "rollup_fine", "coverage", "rollup_daily", "rollup_tag_daily" };

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE account_id = ?1"
                                                " AND usage_day BETWEEN ?2 AND ?3", tables[i]);
        if (!run_range (w, sql, error))
          goto error_in_tx;
      }
  }

  if (sqlite3_prepare_v2 (db, insert_sql, -1, &w->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT id FROM strings WHERE value = ?", -1, &w->find_string, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO strings (value) VALUES (?)", -1, &w->add_string, NULL) != SQLITE_OK)
    goto sql_error;

  return w;

sql_error:
  cu_ledger_set_sql_error (ledger, error, "Cannot start writing cost rows");
error_in_tx:
  cu_ledger_writer_abort (w, error && *error ? (*error)->message : sqlite3_errmsg (db));
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
  FineSum probe = { 0 }, *sum;
  gint64 tag_set;
  const char *provider;

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
  if (row->billed_cost == G_MININT64 || row->effective_cost == G_MININT64)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                   "%s is beyond the largest amount the ledger can hold",
                   row->billed_cost == G_MININT64 ? "BilledCost" : "EffectiveCost");
      return FALSE;
    }

  provider = row->provider_name && *row->provider_name ? row->provider_name : w->account_provider;
  probe.day = day;
  if (!string_id (w, 0, provider, &probe.provider, error) ||
      !tag_set_id (w, row, &tag_set, error))
    return FALSE;
  probe.tag_set = tag_set;

  /* the sums are checked before anything is written, so that a refused row
   * leaves the writer as it was */
  s = w->insert;
  sqlite3_reset (s);
  if (!bind_string (w, P_SUB_ACCOUNT, row->sub_account_id, &probe.sub_account, error) ||
      !bind_string (w, P_SERVICE, row->service_name, &probe.service, error) ||
      !bind_string (w, P_REGION, row->region_id, &probe.region, error) ||
      !bind_string (w, P_CURRENCY, row->billing_currency, &probe.currency, error))
    return FALSE;

  sum = g_hash_table_lookup (w->fine, &probe);
  if (sum != NULL)
    {
      gint64 b = sum->billed, e = sum->effective;
      gboolean bad_billed = !checked_add (&b, row->billed_cost);
      gboolean bad_effective = !checked_add (&e, row->effective_cost);

      if (bad_billed || bad_effective)
        {
          g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_INVALID,
                       "%s: the day’s total for this account, service and region would exceed the"
                       " largest amount the ledger can hold (9223372036854.775807 %s)",
                       bad_billed ? "BilledCost" : "EffectiveCost", row->billing_currency);
          return FALSE;
        }
    }

  sqlite3_bind_int64 (s, 1, w->account_id);
  sqlite3_bind_int64 (s, 2, w->batch_id);
  sqlite3_bind_int (s, 3, day);
  if (!bind_string (w, P_CHARGE_START, row->charge_period_start, NULL, error) ||
      !bind_string (w, P_CHARGE_END, row->charge_period_end ? row->charge_period_end : row->charge_period_start, NULL, error) ||
      !bind_string (w, P_BILLING_START, row->billing_period_start, NULL, error) ||
      !bind_string (w, P_BILLING_END, row->billing_period_end, NULL, error))
    return FALSE;
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
  if (!bind_string (w, P_BILLING_ACCOUNT, row->billing_account_id, NULL, error) ||
      !bind_string (w, P_BILLING_ACCOUNT_NAME, row->billing_account_name, NULL, error) ||
      !bind_string (w, P_SUB_ACCOUNT_NAME, row->sub_account_name, NULL, error) ||
      !bind_string (w, P_PROVIDER, row->provider_name, NULL, error) ||
      !bind_string (w, P_PUBLISHER, row->publisher_name, NULL, error) ||
      !bind_string (w, P_INVOICE_ISSUER, row->invoice_issuer_name, NULL, error) ||
      !bind_string (w, P_SERVICE_CATEGORY, row->service_category, NULL, error) ||
      !bind_string (w, P_SERVICE_SUBCATEGORY, row->service_subcategory, NULL, error) ||
      !bind_string (w, P_REGION_NAME, row->region_name, NULL, error) ||
      !bind_string (w, P_ZONE, row->availability_zone, NULL, error) ||
      !bind_string (w, P_RESOURCE_TYPE, row->resource_type, NULL, error) ||
      !bind_string (w, P_CHARGE_CATEGORY, row->charge_category, NULL, error) ||
      !bind_string (w, P_CHARGE_CLASS, row->charge_class, NULL, error) ||
      !bind_string (w, P_CHARGE_FREQUENCY, row->charge_frequency, NULL, error) ||
      !bind_string (w, P_SKU, row->sku_id, NULL, error) ||
      !bind_string (w, P_PRICING_CATEGORY, row->pricing_category, NULL, error) ||
      !bind_string (w, P_PRICING_UNIT, row->pricing_unit, NULL, error) ||
      !bind_string (w, P_CONSUMED_UNIT, row->consumed_unit, NULL, error) ||
      !bind_string (w, P_COMMITMENT_TYPE, row->commitment_discount_type, NULL, error))
    return FALSE;
  bind_text (s, 26, row->resource_id);
  bind_text (s, 27, row->resource_name);
  bind_text (s, 31, row->charge_description);
  bind_text (s, 34, row->sku_price_id);
  if (row->has_pricing_quantity)
    sqlite3_bind_double (s, 36, row->pricing_quantity);
  else
    sqlite3_bind_null (s, 36);
  if (row->has_consumed_quantity)
    sqlite3_bind_double (s, 38, row->consumed_quantity);
  else
    sqlite3_bind_null (s, 38);
  bind_text (s, 40, row->commitment_discount_id);
  bind_text (s, 42, row->invoice_id);
  if (tag_set != 0)
    sqlite3_bind_int64 (s, 43, tag_set);
  else
    sqlite3_bind_null (s, 43);

  if (sqlite3_step (s) != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (w->ledger, error, "Cannot write a cost row");
      return FALSE;
    }

  if (sum == NULL)
    {
      sum = g_memdup2 (&probe, sizeof probe);
      g_hash_table_add (w->fine, sum);
    }
  sum->billed += row->billed_cost;
  sum->effective += row->effective_cost;
  sum->n_rows++;

  if (probe.sub_account != 0 && row->sub_account_name && *row->sub_account_name &&
      (probe.provider != w->last_named_provider || probe.sub_account != w->last_named_sub))
    {
      char key[48];

      g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, probe.provider, probe.sub_account);
      if (!g_hash_table_contains (w->names, key))
        g_hash_table_insert (w->names, g_strdup (key), g_strdup (row->sub_account_name));
      w->last_named_provider = probe.provider;
      w->last_named_sub = probe.sub_account;
    }

  /* Bound memory on huge batches: fold the partial sums into the table.
   * The range was emptied at begin, so the upserts add up exactly. */
  if (g_hash_table_size (w->fine) > FLUSH_THRESHOLD && !flush_rollup (w, error))
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
compare_fine (gconstpointer pa, gconstpointer pb)
{
  const FineSum *a = *(const FineSum * const *) pa, *b = *(const FineSum * const *) pb;

#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
  CMP (day); CMP (provider); CMP (sub_account); CMP (service); CMP (region); CMP (currency); CMP (tag_set);
#undef CMP
  return 0;
}

/* Folds the fine sums held in memory into rollup_fine, in primary-key order
 * so that the b-tree inserts are sequential; cu_checked_add() refuses a sum
 * beyond 64 bits instead of letting SQLite turn it into a float. */
static gboolean
flush_rollup (CuLedgerWriter *w, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) cells = g_ptr_array_sized_new (g_hash_table_size (w->fine));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, w->fine);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (cells, key);
  g_ptr_array_sort (cells, compare_fine);

  if (sqlite3_prepare_v2 (w->db,
                          "INSERT INTO rollup_fine (usage_day, account_id, provider, sub_account, service,"
                          " region, currency, tag_set, billed, effective, n_rows)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          " ON CONFLICT DO UPDATE SET billed = cu_checked_add (billed, excluded.billed),"
                          " effective = cu_checked_add (effective, excluded.effective),"
                          " n_rows = n_rows + excluded.n_rows",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  for (guint k = 0; k < cells->len; k++)
    {
      const FineSum *f = cells->pdata[k];

      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, f->day);
      sqlite3_bind_int64 (stmt, 2, w->account_id);
      sqlite3_bind_int64 (stmt, 3, f->provider);
      sqlite3_bind_int64 (stmt, 4, f->sub_account);
      sqlite3_bind_int64 (stmt, 5, f->service);
      sqlite3_bind_int64 (stmt, 6, f->region);
      sqlite3_bind_int64 (stmt, 7, f->currency);
      sqlite3_bind_int64 (stmt, 8, f->tag_set);
      sqlite3_bind_int64 (stmt, 9, f->billed);
      sqlite3_bind_int64 (stmt, 10, f->effective);
      sqlite3_bind_int64 (stmt, 11, f->n_rows);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (stmt);
  g_clear_pointer (&cells, g_ptr_array_unref);
  g_hash_table_remove_all (w->fine);

  if (sqlite3_prepare_v2 (w->db,
                          "INSERT OR REPLACE INTO sub_accounts (provider, sub_account_id, name)"
                          " SELECT p.value, s.value, ?3 FROM strings p, strings s WHERE p.id = ?1 AND s.id = ?2",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  g_hash_table_iter_init (&iter, w->names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 provider = 0, sub = 0;

      if (sscanf (key, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, &provider, &sub) != 2)
        continue;
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, provider);
      sqlite3_bind_int64 (stmt, 2, sub);
      sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (stmt);
  g_hash_table_remove_all (w->names);
  w->last_named_provider = w->last_named_sub = 0;
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
  if (w->find_string)
    sqlite3_finalize (w->find_string);
  if (w->add_string)
    sqlite3_finalize (w->add_string);
  g_hash_table_unref (w->string_ids);
  g_hash_table_unref (w->tag_set_ids);
  g_hash_table_unref (w->fine);
  g_hash_table_unref (w->names);
  g_string_free (w->tag_key, TRUE);
  for (guint i = 0; i < N_PARAMS; i++)
    g_free (w->last_text[i]);
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

  if (!flush_rollup (w, error))
    goto fail;

  /* which linked accounts and days this source now holds */
  if (!run_range (w, "INSERT INTO coverage (sub_account, usage_day, rank, account_id)"
                     " SELECT DISTINCT sub_account, usage_day, ?4, ?1 FROM rollup_fine"
                     " WHERE account_id = ?1 AND usage_day BETWEEN ?2 AND ?3 AND sub_account != 0", error) ||
      !run_range (w, "INSERT OR IGNORE INTO temp.cu_touched (sub_account)"
                     " SELECT DISTINCT sub_account FROM coverage WHERE account_id = ?1"
                     " AND usage_day BETWEEN ?2 AND ?3", error))
    goto fail;
  if (!cu_ledger_resolve_overlap (w->ledger, w->account_id, w->first_day, w->last_day, error))
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
