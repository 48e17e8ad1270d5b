/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-schema.c — ledger schema and its forward migrations
 *
 * The schema version lives in PRAGMA user_version. Each step below turns
 * version N-1 into N inside one transaction, so a crash mid-migration leaves
 * the previous version intact. Steps are never edited once released: a
 * change is a new step.
 */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-coverage-private.h"
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

/* Version 5: strings that repeat on every cost row become dictionary ids and
 * tag sets are dictionary-encoded, so cost_rows becomes a view over the
 * compact cost_items; a rollup by day × account × service × region × tag set
 * (rollup_fine) answers every tag query; coverage records which source
 * (credential or file) holds which linked account on which day, and only the
 * winning source is counted (active) in the rollups. */
#define S(col) "(SELECT id FROM strings WHERE value = c." col ")"
#define V(col) "(SELECT value FROM strings WHERE id = c." col ")"
#define CANONICAL_TAGS(col) \
  "(SELECT json_group_object(key, CAST(value AS TEXT)) FROM (SELECT key, value FROM json_each(" col ") ORDER BY key))"
static const char migration_5[] =
  "CREATE TABLE strings ("
  "  id    INTEGER PRIMARY KEY,"
  "  value TEXT NOT NULL UNIQUE"
  ");"
  "INSERT INTO strings (id, value) VALUES (0, '');"
  "CREATE TABLE tag_sets ("
  "  id   INTEGER PRIMARY KEY,"
  "  tags TEXT NOT NULL UNIQUE"       /* JSON object, keys sorted; id 0 is the empty set */
  ");"
  "INSERT INTO tag_sets (id, tags) VALUES (0, '{}');"
  "CREATE TABLE tag_set_items ("
  "  tag_set   INTEGER NOT NULL REFERENCES tag_sets(id),"
  "  tag_key   TEXT NOT NULL,"
  "  tag_value TEXT NOT NULL,"
  "  PRIMARY KEY (tag_set, tag_key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX tag_set_items_value ON tag_set_items (tag_key, tag_value, tag_set);"
  "INSERT OR IGNORE INTO strings (value) SELECT x FROM ("
  "  SELECT ChargePeriodStart x FROM cost_rows UNION SELECT ChargePeriodEnd FROM cost_rows"
  "  UNION SELECT BillingPeriodStart FROM cost_rows UNION SELECT BillingPeriodEnd FROM cost_rows"
  "  UNION SELECT BillingCurrency FROM cost_rows UNION SELECT BillingAccountId FROM cost_rows"
  "  UNION SELECT BillingAccountName FROM cost_rows UNION SELECT SubAccountId FROM cost_rows"
  "  UNION SELECT SubAccountName FROM cost_rows UNION SELECT ProviderName FROM cost_rows"
  "  UNION SELECT PublisherName FROM cost_rows UNION SELECT InvoiceIssuerName FROM cost_rows"
  "  UNION SELECT ServiceName FROM cost_rows UNION SELECT ServiceCategory FROM cost_rows"
  "  UNION SELECT ServiceSubcategory FROM cost_rows UNION SELECT RegionId FROM cost_rows"
  "  UNION SELECT RegionName FROM cost_rows UNION SELECT AvailabilityZone FROM cost_rows"
  "  UNION SELECT ResourceType FROM cost_rows UNION SELECT ChargeCategory FROM cost_rows"
  "  UNION SELECT ChargeClass FROM cost_rows UNION SELECT ChargeFrequency FROM cost_rows"
  "  UNION SELECT SkuId FROM cost_rows UNION SELECT PricingCategory FROM cost_rows"
  "  UNION SELECT PricingUnit FROM cost_rows UNION SELECT ConsumedUnit FROM cost_rows"
  "  UNION SELECT CommitmentDiscountType FROM cost_rows UNION SELECT provider FROM accounts"
  ") WHERE x IS NOT NULL ORDER BY x;"
  /* rows share a few hundred distinct Tags texts: canonicalise each text once */
  "CREATE TEMP TABLE cu_tag_map (raw TEXT PRIMARY KEY, tag_set INTEGER);"
  "INSERT INTO temp.cu_tag_map (raw) SELECT DISTINCT Tags FROM cost_rows WHERE Tags IS NOT NULL;"
  "INSERT OR IGNORE INTO tag_sets (tags)"
  "  SELECT DISTINCT " CANONICAL_TAGS ("m.raw") " FROM temp.cu_tag_map m"
  "  WHERE json_valid (m.raw) AND json_type (m.raw) = 'object' AND m.raw != '{}' ORDER BY 1;"
  "UPDATE temp.cu_tag_map SET tag_set = (SELECT t.id FROM tag_sets t WHERE t.tags = " CANONICAL_TAGS ("raw") ")"
  "  WHERE json_valid (raw) AND json_type (raw) = 'object' AND raw != '{}';"
  "INSERT OR IGNORE INTO tag_set_items (tag_set, tag_key, tag_value)"
  "  SELECT t.id, j.key, COALESCE(CAST(j.value AS TEXT), '') FROM tag_sets t, json_each(t.tags) j WHERE t.id > 0;"
  "CREATE TABLE cost_items ("
  "  id                  INTEGER PRIMARY KEY,"
  "  account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  batch_id            INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,"
  "  usage_day           INTEGER NOT NULL,"
  /* columns without a FOCUS name hold ids into strings (NULL for null) */
  "  charge_start        INTEGER NOT NULL,"
  "  charge_end          INTEGER NOT NULL,"
  "  billing_start       INTEGER,"
  "  billing_end         INTEGER,"
  "  BilledCost          INTEGER NOT NULL,"
  "  EffectiveCost       INTEGER NOT NULL,"
  "  ListCost            INTEGER,"
  "  ContractedCost      INTEGER,"
  "  currency            INTEGER NOT NULL,"
  "  billing_account     INTEGER,"
  "  billing_account_name INTEGER,"
  "  sub_account         INTEGER,"
  "  sub_account_name    INTEGER,"
  "  provider            INTEGER,"
  "  publisher           INTEGER,"
  "  invoice_issuer      INTEGER,"
  "  service             INTEGER,"
  "  service_category    INTEGER,"
  "  service_subcategory INTEGER,"
  "  region              INTEGER,"
  "  region_name         INTEGER,"
  "  zone                INTEGER,"
  "  ResourceId          TEXT,"
  "  ResourceName        TEXT,"
  "  resource_type       INTEGER,"
  "  charge_category     INTEGER,"
  "  charge_class        INTEGER,"
  "  ChargeDescription   TEXT,"
  "  charge_frequency    INTEGER,"
  "  sku                 INTEGER,"
  "  SkuPriceId          TEXT,"
  "  pricing_category    INTEGER,"
  "  PricingQuantity     REAL,"
  "  pricing_unit        INTEGER,"
  "  ConsumedQuantity    REAL,"
  "  consumed_unit       INTEGER,"
  "  CommitmentDiscountId TEXT,"
  "  commitment_type     INTEGER,"
  "  InvoiceId           TEXT,"
  "  tag_set             INTEGER"       /* NULL when untagged */
  ");"
  "INSERT INTO cost_items SELECT c.id, c.account_id, c.batch_id, c.usage_day,"
  "  " S ("ChargePeriodStart") ", " S ("ChargePeriodEnd") ", " S ("BillingPeriodStart") ", " S ("BillingPeriodEnd") ","
  "  c.BilledCost, c.EffectiveCost, c.ListCost, c.ContractedCost, " S ("BillingCurrency") ","
  "  " S ("BillingAccountId") ", " S ("BillingAccountName") ", " S ("SubAccountId") ", " S ("SubAccountName") ","
  "  " S ("ProviderName") ", " S ("PublisherName") ", " S ("InvoiceIssuerName") ","
  "  " S ("ServiceName") ", " S ("ServiceCategory") ", " S ("ServiceSubcategory") ","
  "  " S ("RegionId") ", " S ("RegionName") ", " S ("AvailabilityZone") ","
  "  c.ResourceId, c.ResourceName, " S ("ResourceType") ","
  "  " S ("ChargeCategory") ", " S ("ChargeClass") ", c.ChargeDescription, " S ("ChargeFrequency") ","
  "  " S ("SkuId") ", c.SkuPriceId, " S ("PricingCategory") ", c.PricingQuantity, " S ("PricingUnit") ","
  "  c.ConsumedQuantity, " S ("ConsumedUnit") ", c.CommitmentDiscountId, " S ("CommitmentDiscountType") ","
  "  c.InvoiceId,"
  "  (SELECT NULLIF (m.tag_set, 0) FROM temp.cu_tag_map m WHERE m.raw = c.Tags)"
  "  FROM cost_rows c ORDER BY c.id;"
  "DROP TABLE temp.cu_tag_map;"
  "DROP INDEX cost_rows_account_day;"
  "DROP TABLE cost_rows;"
  "CREATE INDEX cost_items_account_day ON cost_items (account_id, usage_day);"
  /* The FOCUS-shaped view every reader keeps using. */
  "CREATE VIEW cost_rows AS SELECT c.id AS id, c.account_id AS account_id, c.batch_id AS batch_id,"
  "  c.usage_day AS usage_day,"
  "  " V ("charge_start") " AS ChargePeriodStart, " V ("charge_end") " AS ChargePeriodEnd,"
  "  " V ("billing_start") " AS BillingPeriodStart, " V ("billing_end") " AS BillingPeriodEnd,"
  "  c.BilledCost AS BilledCost, c.EffectiveCost AS EffectiveCost, c.ListCost AS ListCost,"
  "  c.ContractedCost AS ContractedCost, " V ("currency") " AS BillingCurrency,"
  "  " V ("billing_account") " AS BillingAccountId, " V ("billing_account_name") " AS BillingAccountName,"
  "  " V ("sub_account") " AS SubAccountId, " V ("sub_account_name") " AS SubAccountName,"
  "  " V ("provider") " AS ProviderName, " V ("publisher") " AS PublisherName,"
  "  " V ("invoice_issuer") " AS InvoiceIssuerName, " V ("service") " AS ServiceName,"
  "  " V ("service_category") " AS ServiceCategory, " V ("region") " AS RegionId,"
  "  " V ("region_name") " AS RegionName, " V ("zone") " AS AvailabilityZone,"
  "  c.ResourceId AS ResourceId, c.ResourceName AS ResourceName, " V ("resource_type") " AS ResourceType,"
  "  " V ("charge_category") " AS ChargeCategory, " V ("charge_class") " AS ChargeClass,"
  "  c.ChargeDescription AS ChargeDescription, " V ("charge_frequency") " AS ChargeFrequency,"
  "  " V ("sku") " AS SkuId, c.SkuPriceId AS SkuPriceId, " V ("pricing_category") " AS PricingCategory,"
  "  c.PricingQuantity AS PricingQuantity, " V ("pricing_unit") " AS PricingUnit,"
  "  c.ConsumedQuantity AS ConsumedQuantity, " V ("consumed_unit") " AS ConsumedUnit,"
  "  c.CommitmentDiscountId AS CommitmentDiscountId, " V ("commitment_type") " AS CommitmentDiscountType,"
  "  (SELECT t.tags FROM tag_sets t WHERE t.id = c.tag_set) AS Tags,"
  "  " V ("service_subcategory") " AS ServiceSubcategory, c.InvoiceId AS InvoiceId"
  "  FROM cost_items c;"
  "CREATE TABLE rollup_fine ("
  "  usage_day   INTEGER NOT NULL,"
  "  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  provider    INTEGER NOT NULL,"     /* ids into strings; 0 is '' */
  "  sub_account INTEGER NOT NULL,"
  "  service     INTEGER NOT NULL,"
  "  region      INTEGER NOT NULL,"
  "  currency    INTEGER NOT NULL,"
  "  tag_set     INTEGER NOT NULL,"     /* 0 = untagged */
  "  billed      INTEGER NOT NULL,"
  "  effective   INTEGER NOT NULL,"
  "  n_rows      INTEGER NOT NULL,"
  "  active      INTEGER NOT NULL DEFAULT 1," /* 0 when another source wins the linked account's day */
  "  PRIMARY KEY (usage_day, account_id, provider, sub_account, service, region, currency, tag_set)"
  ") WITHOUT ROWID;"
  /* covering indexes, one per filter a tag query can meet, so that a query
   * reads only the rows of its filter */
  "CREATE INDEX rollup_fine_tag_set ON rollup_fine (tag_set, usage_day, active, provider, sub_account,"
  "  service, region, currency, billed, effective);"
  "CREATE INDEX rollup_fine_service ON rollup_fine (service, usage_day, active, provider, sub_account,"
  "  region, currency, tag_set, billed, effective);"
  "CREATE INDEX rollup_fine_region ON rollup_fine (region, usage_day, active, provider, sub_account,"
  "  service, currency, tag_set, billed, effective);"
  "CREATE INDEX rollup_fine_sub_account ON rollup_fine (sub_account, usage_day, active, provider,"
  "  service, region, currency, tag_set, billed, effective);"
  "INSERT INTO rollup_fine (usage_day, account_id, provider, sub_account, service, region, currency, tag_set,"
  "                         billed, effective, n_rows)"
  "  SELECT c.usage_day, c.account_id,"
  "         COALESCE(c.provider, (SELECT s.id FROM strings s, accounts a WHERE a.id = c.account_id AND s.value = a.provider)),"
  "         COALESCE(c.sub_account, 0), COALESCE(c.service, 0), COALESCE(c.region, 0), c.currency,"
  "         COALESCE(c.tag_set, 0), SUM(c.BilledCost), SUM(c.EffectiveCost), COUNT(*)"
  "  FROM cost_items c GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;"
  "CREATE TABLE coverage ("
  "  sub_account INTEGER NOT NULL,"     /* the linked account (id into strings) */
  "  usage_day   INTEGER NOT NULL,"
  "  rank        INTEGER NOT NULL,"     /* 0 API sync, 1 cost export file, 2 other (demo, bench) */
  "  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
  "  active      INTEGER NOT NULL DEFAULT 1,"
  "  PRIMARY KEY (sub_account, usage_day, rank, account_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX coverage_account ON coverage (account_id, usage_day);"
  "INSERT INTO coverage (sub_account, usage_day, rank, account_id)"
  "  SELECT r.sub_account, r.usage_day,"
  "         MIN(CASE b.kind WHEN 'sync' THEN 0 WHEN 'import' THEN 1 ELSE 2 END), r.account_id"
  "  FROM (SELECT DISTINCT sub_account, usage_day, account_id FROM rollup_fine WHERE sub_account != 0) r"
  "  JOIN cost_items c ON c.account_id = r.account_id AND c.usage_day = r.usage_day"
  "  JOIN batches b ON b.id = c.batch_id"
  "  GROUP BY r.sub_account, r.usage_day, r.account_id;"
  "UPDATE coverage AS c SET active = " CU_COVERAGE_SQL_COUNTS ";"
  "UPDATE rollup_fine AS r SET active = 0 WHERE EXISTS (SELECT 1 FROM coverage c WHERE c.sub_account = r.sub_account"
  "  AND c.usage_day = r.usage_day AND c.account_id = r.account_id AND c.active = 0);"
  /* the rollups read by the Overview and analysis count winners only */
  "DELETE FROM rollup_daily;"
  "INSERT INTO rollup_daily (usage_day, account_id, provider, sub_account, service, region, currency,"
  "                          billed, effective, n_rows)"
  "  SELECT r.usage_day, r.account_id, p.value, s.value, v.value, g.value, u.value,"
  "         SUM(r.billed), SUM(r.effective), SUM(r.n_rows)"
  "  FROM rollup_fine r JOIN strings p ON p.id = r.provider JOIN strings s ON s.id = r.sub_account"
  "  JOIN strings v ON v.id = r.service JOIN strings g ON g.id = r.region JOIN strings u ON u.id = r.currency"
  "  WHERE r.active GROUP BY r.usage_day, r.account_id, r.provider, r.sub_account, r.service, r.region, r.currency;"
  "DELETE FROM rollup_tag_daily;"
  "INSERT INTO rollup_tag_daily (tag_key, usage_day, account_id, tag_value, currency, billed, effective)"
  "  SELECT i.tag_key, r.usage_day, r.account_id, i.tag_value, u.value, SUM(r.billed), SUM(r.effective)"
  "  FROM rollup_fine r JOIN tag_set_items i ON i.tag_set = r.tag_set JOIN strings u ON u.id = r.currency"
  "  WHERE r.active AND r.tag_set != 0 GROUP BY 1, 2, 3, 4, 5;";
#undef S
#undef V
#undef CANONICAL_TAGS

/* Version 6: incidents — anomalous days of related series grouped into one
 * event with its root causes. Anomalies point at their incident; a young
 * series' anomalies say that their expected range is the wider one. */
static const char migration_6[] =
  "CREATE TABLE incidents ("
  "  id           INTEGER PRIMARY KEY,"
  "  kind         TEXT NOT NULL DEFAULT 'spike',"  /* spike, new_spend */
  "  start_day    INTEGER NOT NULL,"
  "  end_day      INTEGER NOT NULL,"
  "  expected     INTEGER NOT NULL,"  /* micro-units, over the incident's days */
  "  impact       INTEGER NOT NULL,"  /* micro-units above expected */
  "  impact_pct   REAL,"
  "  currency     TEXT NOT NULL,"
  "  root_cause   TEXT NOT NULL,"
  "  status       TEXT NOT NULL DEFAULT 'new',"  /* new, acknowledged, dismissed */
  "  detected_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
  "  notified     INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX incidents_start ON incidents (start_day);"
  "CREATE TABLE incident_causes ("
  "  incident_id  INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
  "  rank         INTEGER NOT NULL,"
  "  service      TEXT NOT NULL,"
  "  account      TEXT NOT NULL,"
  "  region       TEXT NOT NULL,"
  "  impact       INTEGER NOT NULL,"  /* micro-units above the cell's baseline */
  "  share        REAL NOT NULL,"
  "  PRIMARY KEY (incident_id, rank)"
  ") WITHOUT ROWID;"
  "ALTER TABLE anomalies ADD COLUMN incident_id INTEGER REFERENCES incidents(id) ON DELETE SET NULL;"
  "ALTER TABLE anomalies ADD COLUMN young INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX anomalies_incident ON anomalies (incident_id);";

static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
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

  /* Migrating a big ledger sorts and de-duplicates whole tables: let SQLite
   * spill that to temporary files instead of holding it in memory. */
  if (version < target_version)
    sqlite3_exec (db, "PRAGMA temp_store = FILE", NULL, NULL, NULL);

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
          sqlite3_exec (db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
          return FALSE;
        }
      version++;
    }
  sqlite3_exec (db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
  return TRUE;
}
