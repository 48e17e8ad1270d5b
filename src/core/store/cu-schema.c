/* cu-schema.c — ledger schema and its forward migrations
 *
 * The schema version lives in PRAGMA user_version. Each step below turns
 * version N-1 into N inside one transaction, so a crash mid-migration leaves
 * the previous version intact. Steps are never edited once released: a
 * change is a new step.
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-schema.h"
#include "store/cu-ledger.h"
#include "store/cu-ledger-private.h"

/* Version 1: accounts, batches, FOCUS-aligned cost rows, daily rollups. */
static const char migration_1[] =
  "CREATE TABLE accounts ("
  "  id          INTEGER PRIMARY KEY,"
  "  name        TEXT NOT NULL UNIQUE,"
  "  provider    TEXT NOT NULL,"
  "  kind        TEXT NOT NULL,"
  "  external_id TEXT,"
  "  config      TEXT,"
  "  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
  ");"
  "CREATE TABLE batches ("
  "  id          INTEGER PRIMARY KEY,"
  "  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  kind        TEXT NOT NULL,"
  "  source      TEXT,"
  "  first_day   TEXT NOT NULL,"
  "  last_day    TEXT NOT NULL,"
  "  status      TEXT NOT NULL,"
  "  error       TEXT,"
  "  started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
  "  finished_at TEXT,"
  "  n_rows      INTEGER NOT NULL DEFAULT 0,"
  "  n_requests  INTEGER NOT NULL DEFAULT 0,"
  "  owner_pid   INTEGER"
  ");"
  /* Money columns are integer micro-units of BillingCurrency. */
  "CREATE TABLE cost_rows ("
  "  id                   INTEGER PRIMARY KEY,"
  "  account_id           INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  batch_id             INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,"
  "  usage_day            INTEGER NOT NULL,"
  "  ChargePeriodStart    TEXT NOT NULL,"
  "  ChargePeriodEnd      TEXT NOT NULL,"
  "  BillingPeriodStart   TEXT,"
  "  BillingPeriodEnd     TEXT,"
  "  BilledCost           INTEGER NOT NULL,"
  "  EffectiveCost        INTEGER NOT NULL,"
  "  ListCost             INTEGER,"
  "  ContractedCost       INTEGER,"
  "  BillingCurrency      TEXT NOT NULL,"
  "  BillingAccountId     TEXT,"
  "  BillingAccountName   TEXT,"
  "  SubAccountId         TEXT,"
  "  SubAccountName       TEXT,"
  "  ProviderName         TEXT,"
  "  PublisherName        TEXT,"
  "  InvoiceIssuerName    TEXT,"
  "  ServiceName          TEXT,"
  "  ServiceCategory      TEXT,"
  "  RegionId             TEXT,"
  "  RegionName           TEXT,"
  "  AvailabilityZone     TEXT,"
  "  ResourceId           TEXT,"
  "  ResourceName         TEXT,"
  "  ResourceType         TEXT,"
  "  ChargeCategory       TEXT,"
  "  ChargeClass          TEXT,"
  "  ChargeDescription    TEXT,"
  "  ChargeFrequency      TEXT,"
  "  SkuId                TEXT,"
  "  SkuPriceId           TEXT,"
  "  PricingCategory      TEXT,"
  "  PricingQuantity      REAL,"
  "  PricingUnit          TEXT,"
  "  ConsumedQuantity     REAL,"
  "  ConsumedUnit         TEXT,"
  "  CommitmentDiscountId   TEXT,"
  "  CommitmentDiscountType TEXT,"
  "  Tags                 TEXT"
  ");"
  "CREATE INDEX cost_rows_account_day ON cost_rows (account_id, usage_day);"
  "CREATE TABLE rollup_daily ("
  "  usage_day   INTEGER NOT NULL,"
  "  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  provider    TEXT NOT NULL,"
  "  sub_account TEXT NOT NULL,"
  "  service     TEXT NOT NULL,"
  "  region      TEXT NOT NULL,"
  "  currency    TEXT NOT NULL,"
  "  billed      INTEGER NOT NULL,"
  "  effective   INTEGER NOT NULL,"
  "  n_rows      INTEGER NOT NULL,"
  "  PRIMARY KEY (usage_day, account_id, provider, sub_account, service, region, currency)"
  ") WITHOUT ROWID;"
  "CREATE INDEX rollup_daily_account ON rollup_daily (account_id, usage_day);";

/* Version 2: FOCUS 1.1/1.2 columns, rollups by tag, cloud account names. */
static const char migration_2[] =
  "ALTER TABLE cost_rows ADD COLUMN ServiceSubcategory TEXT;"
  "ALTER TABLE cost_rows ADD COLUMN InvoiceId TEXT;"
  "CREATE TABLE rollup_tag_daily ("
  "  tag_key     TEXT NOT NULL,"
  "  usage_day   INTEGER NOT NULL,"
  "  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  tag_value   TEXT NOT NULL,"
  "  currency    TEXT NOT NULL,"
  "  billed      INTEGER NOT NULL,"
  "  effective   INTEGER NOT NULL,"
  "  PRIMARY KEY (tag_key, usage_day, account_id, tag_value, currency)"
  ") WITHOUT ROWID;"
  "CREATE INDEX rollup_tag_daily_account ON rollup_tag_daily (account_id, usage_day);"
  "INSERT INTO rollup_tag_daily "
  "  SELECT j.key, c.usage_day, c.account_id, CAST(j.value AS TEXT), c.BillingCurrency,"
  "         SUM(c.BilledCost), SUM(c.EffectiveCost)"
  "  FROM cost_rows c, json_each(c.Tags) j"
  "  WHERE c.Tags IS NOT NULL"
  "  GROUP BY 1, 2, 3, 4, 5;"
  "CREATE TABLE sub_accounts ("
  "  provider       TEXT NOT NULL,"
  "  sub_account_id TEXT NOT NULL,"
  "  name           TEXT NOT NULL,"
  "  PRIMARY KEY (provider, sub_account_id)"
  ") WITHOUT ROWID;"
  "INSERT OR REPLACE INTO sub_accounts "
  "  SELECT COALESCE(c.ProviderName, a.provider), c.SubAccountId, MAX(c.SubAccountName)"
  "  FROM cost_rows c JOIN accounts a ON a.id = c.account_id"
  "  WHERE c.SubAccountId IS NOT NULL AND c.SubAccountName IS NOT NULL"
  "  GROUP BY 1, 2;";

/* Version 3: resource inventory with utilisation, workspace metadata. */
static const char migration_3[] =
  "CREATE TABLE resources ("
  "  id             INTEGER PRIMARY KEY,"
  "  account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  provider       TEXT NOT NULL,"
  "  sub_account    TEXT,"
  "  resource_type  TEXT NOT NULL,"   /* instance, volume, elastic_ip, snapshot, database, load_balancer, bucket, function */
  "  resource_id    TEXT NOT NULL,"
  "  name           TEXT,"
  "  region         TEXT,"
  "  service        TEXT,"
  "  state          TEXT,"
  "  size           TEXT,"            /* instance class, volume type, … */
  "  attributes     TEXT,"            /* JSON object */
  "  tags           TEXT,"            /* JSON object */
  "  monthly_cost   INTEGER,"         /* micro-units */
  "  currency       TEXT,"
  "  created_day    INTEGER,"
  "  last_seen_day  INTEGER,"
  "  UNIQUE (account_id, resource_id)"
  ");"
  "CREATE TABLE resource_metrics ("
  "  resource     INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,"
  "  metric       TEXT NOT NULL,"     /* cpu_percent, network_bytes, connections, invocations, iops, … */
  "  usage_day    INTEGER NOT NULL,"
  "  value        REAL NOT NULL,"     /* daily average unless the metric says otherwise */
  "  maximum      REAL,"
  "  PRIMARY KEY (resource, metric, usage_day)"
  ") WITHOUT ROWID;"
  "CREATE TABLE workspace_meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT"
  ");"
  "CREATE TABLE demo_events ("
  "  id          INTEGER PRIMARY KEY,"
  "  kind        TEXT NOT NULL,"      /* anomaly, step_change */
  "  usage_day   INTEGER NOT NULL,"
  "  sub_account TEXT,"
  "  service     TEXT,"
  "  region      TEXT,"
  "  detail      TEXT"
  ");";

/* Version 4: analytics results — forecasts, anomalies, budgets and their alerts. */
static const char migration_4[] =
  "CREATE TABLE forecasts ("
  "  series_kind  TEXT NOT NULL,"     /* total, account, service */
  "  series_key   TEXT NOT NULL,"     /* '' for total, else the account or service */
  "  usage_day    INTEGER NOT NULL,"
  "  mean         REAL NOT NULL,"     /* currency units */
  "  lo80 REAL NOT NULL, hi80 REAL NOT NULL, lo95 REAL NOT NULL, hi95 REAL NOT NULL,"
  "  PRIMARY KEY (series_kind, series_key, usage_day)"
  ") WITHOUT ROWID;"
  "CREATE TABLE forecast_models ("
  "  series_kind  TEXT NOT NULL,"
  "  series_key   TEXT NOT NULL,"
  "  model        TEXT NOT NULL,"     /* e.g. ETS(A,Ad,A) */
  "  currency     TEXT NOT NULL,"
  "  history_from INTEGER NOT NULL,"
  "  history_to   INTEGER NOT NULL,"
  "  computed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
  "  PRIMARY KEY (series_kind, series_key)"
  ") WITHOUT ROWID;"
  "CREATE TABLE anomalies ("
  "  id           INTEGER PRIMARY KEY,"
  "  series_kind  TEXT NOT NULL,"
  "  series_key   TEXT NOT NULL,"
  "  usage_day    INTEGER NOT NULL,"
  "  expected     INTEGER NOT NULL,"  /* micro-units */
  "  actual       INTEGER NOT NULL,"  /* micro-units */
  "  impact       INTEGER NOT NULL,"  /* actual - expected, micro-units */
  "  impact_pct   REAL,"
  "  score        REAL NOT NULL,"
  "  currency     TEXT NOT NULL,"
  "  status       TEXT NOT NULL DEFAULT 'new',"  /* new, acknowledged, dismissed */
  "  detected_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
  "  notified     INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (series_kind, series_key, usage_day)"
  ");"
  "CREATE TABLE budgets ("
  "  id           INTEGER PRIMARY KEY,"
  "  name         TEXT NOT NULL UNIQUE,"
  "  period       TEXT NOT NULL,"     /* monthly, quarterly, annual */
  "  amount       INTEGER NOT NULL,"  /* micro-units */
  "  currency     TEXT NOT NULL,"
  "  filter_key   TEXT,"              /* NULL for the total; account, service, tag:KEY */
  "  filter_value TEXT,"
  "  thresholds   TEXT NOT NULL DEFAULT '50,80,100',"
  "  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
  ");"
  "CREATE TABLE budget_alerts ("
  "  budget_id    INTEGER NOT NULL REFERENCES budgets(id) ON DELETE CASCADE,"
  "  period_start INTEGER NOT NULL,"
  "  basis        TEXT NOT NULL,"     /* actual, forecast */
  "  threshold    INTEGER NOT NULL,"  /* percent */
  "  spend        INTEGER NOT NULL,"  /* micro-units when crossed */
  "  crossed_day  INTEGER NOT NULL,"
  "  alerted_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
  "  notified     INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (budget_id, period_start, basis, threshold)"
  ");";

static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CU_LEDGER_SCHEMA_VERSION);

static int
get_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int v = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

/**
 * cu_schema_migrate:
 * @target_version: the version to reach (tests use earlier ones)
 *
 * Applies the missing steps, one transaction each.
 */
gboolean
cu_schema_migrate (sqlite3  *db,
                   int       target_version,
                   GError  **error)
{
  int version = get_user_version (db);

  g_return_val_if_fail (target_version >= 0 && target_version <= CU_LEDGER_SCHEMA_VERSION, FALSE);

  if (version < 0)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL,
                   "Cannot read the ledger’s schema version: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  if (version > CU_LEDGER_SCHEMA_VERSION)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_TOO_NEW,
                   "The ledger has schema version %d but this Cumulus knows only up to %d; "
                   "open it with a newer Cumulus", version, CU_LEDGER_SCHEMA_VERSION);
      return FALSE;
    }

  while (version < target_version)
    {
      char *errmsg = NULL;
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
                                              migrations[version], version + 1);

      if (sqlite3_exec (db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
        {
          g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL,
                       "Cannot migrate the ledger from version %d to %d: %s",
                       version, version + 1, errmsg ? errmsg : sqlite3_errmsg (db));
          sqlite3_free (errmsg);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      version++;
    }
  return TRUE;
}
