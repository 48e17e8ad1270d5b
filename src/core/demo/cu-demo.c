/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-demo.c — the bundled demo workspace, generated from a seed
 *
 * Acme Corp runs three AWS accounts and one Azure subscription. Eighteen
 * months of daily FOCUS rows are drawn from a model of cost series — one per
 * (account, service, region, tag set) for aggregated usage, one per resource
 * for the inventory's instances, volumes, databases … — with weekly
 * seasonality, growth, noise, one step change and injected anomalies whose
 * dates are written to demo_events so that anomaly detection can measure
 * its recall against them.
 *
 * Everything is written into a hidden sibling directory which is renamed
 * into place at the end, so a killed or cancelled generation never leaves a
 * half-made workspace behind.
 */
#define G_LOG_DOMAIN "cumulus-demo"

#include "demo/cu-demo-private.h"
#include "store/cu-ledger-private.h"
#include "util/cu-money.h"
#include "util/cu-workspace.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* ------------------------------------------------------------------ PRNG */

/* splitmix64's finaliser: a good 64-bit mixer on its own */
guint64
cu_demo_mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

void
cu_demo_rng_init (CuDemoRng *rng, guint64 seed)
{
  guint64 x = seed;

  for (guint i = 0; i < 4; i++)
    {
      rng->s[i] = cu_demo_mix (x);
      x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
    }
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
cu_demo_rng_next (CuDemoRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

static inline double
to_unit (guint64 x)
{
  return (double) (x >> 11) * (1.0 / 9007199254740992.0);
}

double
cu_demo_rng_double (CuDemoRng *rng)
{
  return to_unit (cu_demo_rng_next (rng));
}

double
cu_demo_rng_range (CuDemoRng *rng, double lo, double hi)
{
  return lo + (hi - lo) * cu_demo_rng_double (rng);
}

guint
cu_demo_rng_int (CuDemoRng *rng, guint n)
{
  g_assert (n > 0);
  return (guint) (cu_demo_rng_next (rng) % n);
}

/* Irwin–Hall with four terms: close enough to normal for noise, and plain
 * arithmetic, so identical everywhere. */
static double
normal_from (guint64 h)
{
  double sum = 0.0;

  for (guint k = 0; k < 4; k++)
    sum += to_unit (cu_demo_mix (h + k * G_GUINT64_CONSTANT (0xD1B54A32D192ED03)));
  return (sum - 2.0) * 1.7320508075688772;
}

double
cu_demo_rng_normal (CuDemoRng *rng)
{
  return normal_from (cu_demo_rng_next (rng));
}

char *
cu_demo_rng_hex (CuDemoRng *rng, guint n_chars)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_new (char, n_chars + 1);

  for (guint i = 0; i < n_chars; i++)
    out[i] = digits[cu_demo_rng_next (rng) >> 60];
  out[n_chars] = '\0';
  return out;
}

/* ------------------------------------------------------------------ catalogue */

static const char * const prod_envs[] = { "prod", NULL };
static const char * const staging_envs[] = { "staging", "staging", "dev", NULL };
static const char * const azure_envs[] = { "prod", "prod", "dev", NULL };
static const char * const product_teams[] = { "platform", "payments", "search", "web", "mobile", NULL };
static const char * const product_projects[] = { "checkout", "catalog", "storefront", "mobile-api", "search", "shared-infra", NULL };
static const char * const data_teams[] = { "data", "data", "ml", NULL };
static const char * const data_projects[] = { "lakehouse", "recommendations", "reporting", "fraud-model", NULL };
static const char * const azure_teams[] = { "finance-it", "finance-it", "platform", NULL };
static const char * const azure_projects[] = { "erp", "intranet", "bi", NULL };

const CuDemoAccount cu_demo_accounts[] = {
  { "acme-prod", DEMO_AWS, "111111111111", "999988887777", "Acme Corp", 3300.0, 1.0,
    prod_envs, product_teams, product_projects },
  { "acme-staging", DEMO_AWS, "222222222222", "999988887777", "Acme Corp", 750.0, 2.2,
    staging_envs, product_teams, product_projects },
  { "acme-data", DEMO_AWS, "333333333333", "999988887777", "Acme Corp", 1200.0, 1.0,
    prod_envs, data_teams, data_projects },
  { "acme-azure", DEMO_AZURE, "7f3c2a9e-1b4d-4e8f-9a6c-2d5e8f1b3c7a", "84215739", "Acme Corp EA", 750.0, 1.0,
    azure_envs, azure_teams, azure_projects },
};
const guint cu_demo_n_accounts = G_N_ELEMENTS (cu_demo_accounts);

const CuDemoRegion cu_demo_regions[] = {
  { "us-east-1", "US East (N. Virginia)", "USE1", 1.00 },
  { "us-west-2", "US West (Oregon)", "USW2", 1.00 },
  { "eu-west-1", "Europe (Ireland)", "EU", 1.10 },
  { "ap-southeast-2", "Asia Pacific (Sydney)", "APS2", 1.20 },
  { "westeurope", "West Europe", "", 1.10 },
};
const guint cu_demo_n_regions = G_N_ELEMENTS (cu_demo_regions);

/* share of each account's usage by region; rows follow cu_demo_accounts */
static const double account_regions[][5] = {
  { 0.60, 0.00, 0.25, 0.15, 0.00 },
  { 0.30, 0.70, 0.00, 0.00, 0.00 },
  { 0.75, 0.25, 0.00, 0.00, 0.00 },
  { 0.00, 0.00, 0.00, 0.00, 1.00 },
};

#define AWS DEMO_AWS
#define AZ DEMO_AZURE
const CuDemoService cu_demo_services[] = {
  { "Amazon Elastic Compute Cloud", "Compute", "Virtual Machines", AWS, 0.12, 0.03, 0.0, "BoxUsage", "Hrs", 0.192 },
  { "Amazon Simple Storage Service", "Storage", "Object Storage", AWS, 0.02, 0.015, 0.010, "TimedStorage-ByteHrs", "GB-Mo", 0.023 },
  { "Amazon Relational Database Service", "Databases", "Relational Databases", AWS, 0.03, 0.02, 0.0, "InstanceUsage", "Hrs", 0.48 },
  { "AWS Lambda", "Compute", "Serverless Compute", AWS, 0.25, 0.06, 0.005, "Lambda-GB-Second", "GB-Seconds", 0.0000166667 },
  { "Amazon DynamoDB", "Databases", "NoSQL Databases", AWS, 0.20, 0.05, 0.0, "ReadRequestUnits", "ReadRequestUnits", 0.00000025 },
  { "Amazon CloudFront", "Networking", "Content Delivery", AWS, 0.18, 0.05, 0.005, "DataTransfer-Out-Bytes", "GB", 0.085 },
  { "Elastic Load Balancing", "Networking", "Load Balancing", AWS, 0.10, 0.03, 0.0, "LoadBalancerUsage", "Hrs", 0.0225 },
  { "Amazon Virtual Private Cloud", "Networking", "Network Infrastructure", AWS, 0.05, 0.02, 0.0, "NatGateway-Hours", "Hrs", 0.045 },
  { "Amazon ElastiCache", "Databases", "Caching", AWS, 0.02, 0.015, 0.0, "NodeUsage", "Hrs", 0.34 },
  { "Amazon Elastic Kubernetes Service", "Compute", "Containers", AWS, 0.00, 0.005, -0.01, "AmazonEKS-Hours:perCluster", "Hrs", 0.10 },
  { "Amazon Elastic Container Service", "Compute", "Containers", AWS, 0.15, 0.04, 0.005, "Fargate-vCPU-Hours:perCPU", "Hrs", 0.04048 },
  { "Amazon Elastic File System", "Storage", "File Storage", AWS, 0.02, 0.01, 0.005, "TimedStorage-ByteHrs", "GB-Mo", 0.30 },
  { "Amazon Redshift", "Analytics", "Data Warehouses", AWS, 0.05, 0.02, 0.0, "Node:ra3.xlplus", "Hrs", 1.086 },
  { "Amazon Athena", "Analytics", "Data Processing", AWS, 0.45, 0.10, 0.005, "DataScannedInTB", "TB", 5.0 },
  { "AWS Glue", "Analytics", "Data Processing", AWS, 0.35, 0.08, 0.0, "ETL-DPU-Hour", "DPU-Hour", 0.44 },
  { "Amazon Kinesis", "Analytics", "Streaming Analytics", AWS, 0.10, 0.04, 0.0, "ShardHour", "ShardHour", 0.015 },
  { "Amazon EMR", "Analytics", "Data Processing", AWS, 0.40, 0.08, -0.005, "BoxUsage:m5.xlarge", "Hrs", 0.048 },
  { "Amazon SageMaker", "AI and Machine Learning", "Machine Learning", AWS, 0.30, 0.08, 0.01, "ml.g5.xlarge-Training", "Hrs", 1.408 },
  { "Amazon CloudWatch", "Management and Governance", "Observability", AWS, 0.08, 0.03, 0.0, "DataProcessing-Bytes", "GB", 0.50 },
  { "AWS CloudTrail", "Management and Governance", "Audit", AWS, 0.10, 0.03, 0.0, "PaidEventsRecorded", "Events", 0.000002 },
  { "AWS Config", "Management and Governance", "Compliance", AWS, 0.05, 0.03, 0.0, "ConfigurationItemRecorded", "ConfigurationItemRecorded", 0.003 },
  { "AWS Key Management Service", "Security", "Secret Management", AWS, 0.05, 0.02, 0.0, "KMS-Requests", "Requests", 0.000003 },
  { "AWS WAF", "Security", "Network Security", AWS, 0.15, 0.04, 0.0, "RequestCount", "Requests", 0.0000006 },
  { "Amazon GuardDuty", "Security", "Threat Detection", AWS, 0.05, 0.02, 0.0, "PaidEventsAnalyzed", "Events", 0.000004 },
  { "Amazon Route 53", "Networking", "Domain Name System", AWS, 0.10, 0.03, 0.0, "DNS-Queries", "Queries", 0.0000004 },
  { "Amazon Simple Queue Service", "Integration", "Messaging", AWS, 0.20, 0.05, 0.0, "Requests-Tier1", "Requests", 0.0000004 },
  { "Amazon Simple Notification Service", "Integration", "Messaging", AWS, 0.20, 0.05, 0.0, "Requests-Tier1", "Requests", 0.0000005 },
  { "AWS Backup", "Storage", "Backup Storage", AWS, 0.00, 0.01, 0.01, "WarmStorage-ByteHrs", "GB-Mo", 0.05 },
  { "Amazon OpenSearch Service", "Analytics", "Search", AWS, 0.03, 0.02, 0.0, "ESInstance:r6g.large", "Hrs", 0.167 },
  { "Amazon Elastic Container Registry", "Compute", "Containers", AWS, 0.00, 0.01, 0.01, "TimedStorage-ByteHrs", "GB-Mo", 0.10 },
  { "AWS Secrets Manager", "Security", "Secret Management", AWS, 0.00, 0.005, 0.0, "AWSSecretsManager-Secrets", "Secrets", 0.0133 },
  { "Amazon API Gateway", "Web", "API Management", AWS, 0.20, 0.05, 0.005, "ApiGatewayRequest", "Requests", 0.0000035 },
  { "AWS Data Transfer", "Networking", "Network Connectivity", AWS, 0.15, 0.05, 0.005, "DataTransfer-Regional-Bytes", "GB", 0.02 },
  { "Amazon Bedrock", "AI and Machine Learning", "Generative AI", AWS, 0.20, 0.06, 0.015, "InputTokenCount", "1K tokens", 0.003 },
  { "Virtual Machines", "Compute", "Virtual Machines", AZ, 0.10, 0.03, 0.0, "D4s v5", "1 Hour", 0.192 },
  { "Storage", "Storage", "Object Storage", AZ, 0.02, 0.015, 0.01, "Hot LRS Data Stored", "1 GB/Month", 0.0184 },
  { "Azure SQL Database", "Databases", "Relational Databases", AZ, 0.02, 0.02, 0.0, "vCore", "1 Hour", 0.505 },
  { "Azure Kubernetes Service", "Compute", "Containers", AZ, 0.05, 0.02, 0.0, "Uptime SLA", "1 Hour", 0.10 },
  { "Azure Cosmos DB", "Databases", "NoSQL Databases", AZ, 0.15, 0.04, 0.005, "100 RU/s", "1 Hour", 0.008 },
  { "Bandwidth", "Networking", "Network Connectivity", AZ, 0.15, 0.05, 0.0, "Data Transfer Out", "1 GB", 0.087 },
  { "Azure App Service", "Web", "Application Platforms", AZ, 0.05, 0.02, 0.0, "P1 v3", "1 Hour", 0.155 },
  { "Azure Monitor", "Management and Governance", "Observability", AZ, 0.08, 0.03, 0.0, "Analytics Logs Data Ingestion", "1 GB", 2.76 },
  { "Load Balancer", "Networking", "Load Balancing", AZ, 0.05, 0.02, 0.0, "Standard Data Processed", "1 GB", 0.005 },
  { "Azure Cache for Redis", "Databases", "Caching", AZ, 0.00, 0.01, 0.0, "C2 Cache Instance", "1 Hour", 0.22 },
  { "Key Vault", "Security", "Secret Management", AZ, 0.10, 0.03, 0.0, "Operations", "10K", 0.03 },
  { "Azure Functions", "Compute", "Serverless Compute", AZ, 0.25, 0.06, 0.0, "Execution Time", "GB Second", 0.000016 },
  { "Azure Data Factory", "Integration", "Data Integration", AZ, 0.35, 0.08, 0.0, "Data Movement", "1 Hour", 0.25 },
  { "Virtual Network", "Networking", "Network Infrastructure", AZ, 0.05, 0.02, 0.0, "Intra-Region Data Transfer", "1 GB", 0.01 },
  { "Microsoft Defender for Cloud", "Security", "Threat Detection", AZ, 0.00, 0.01, 0.0, "Standard Node", "1 Hour", 0.02 },
};
const guint cu_demo_n_services = G_N_ELEMENTS (cu_demo_services);
#undef AWS
#undef AZ

/* What each account runs: share of its usage, and where ("*" = all its regions). */
typedef struct {
  guint       account;
  const char *service;
  double      weight;
  const char *regions;
} PlanItem;

static const PlanItem plan[] = {
  { 0, "Amazon Elastic Compute Cloud", 0.30, "*" },
  { 0, "Amazon Relational Database Service", 0.13, "*" },
  { 0, "Amazon Simple Storage Service", 0.08, "us-east-1 eu-west-1" },
  { 0, "Amazon CloudFront", 0.05, "us-east-1" },
  { 0, "AWS Data Transfer", 0.05, "*" },
  { 0, "Elastic Load Balancing", 0.03, "*" },
  { 0, "Amazon Virtual Private Cloud", 0.03, "*" },
  { 0, "Amazon ElastiCache", 0.04, "us-east-1 eu-west-1" },
  { 0, "Amazon DynamoDB", 0.04, "us-east-1 eu-west-1" },
  { 0, "AWS Lambda", 0.03, "*" },
  { 0, "Amazon Elastic Kubernetes Service", 0.01, "*" },
  { 0, "Amazon Elastic Container Service", 0.03, "us-east-1 eu-west-1" },
  { 0, "Amazon CloudWatch", 0.03, "*" },
  { 0, "Amazon OpenSearch Service", 0.03, "us-east-1" },
  { 0, "Amazon Simple Queue Service", 0.01, "us-east-1 eu-west-1" },
  { 0, "Amazon Simple Notification Service", 0.005, "us-east-1" },
  { 0, "Amazon Route 53", 0.005, "us-east-1" },
  { 0, "AWS WAF", 0.01, "us-east-1 eu-west-1" },
  { 0, "AWS Key Management Service", 0.005, "*" },
  { 0, "Amazon GuardDuty", 0.01, "*" },
  { 0, "AWS Config", 0.005, "*" },
  { 0, "AWS CloudTrail", 0.003, "us-east-1" },
  { 0, "AWS Secrets Manager", 0.003, "*" },
  { 0, "Amazon API Gateway", 0.02, "us-east-1 eu-west-1" },
  { 0, "Amazon Elastic Container Registry", 0.005, "us-east-1" },
  { 0, "AWS Backup", 0.01, "us-east-1 eu-west-1" },
  { 0, "Amazon Elastic File System", 0.01, "us-east-1" },

  { 1, "Amazon Elastic Compute Cloud", 0.35, "*" },
  { 1, "Amazon Relational Database Service", 0.15, "*" },
  { 1, "Amazon Simple Storage Service", 0.06, "*" },
  { 1, "Elastic Load Balancing", 0.04, "*" },
  { 1, "Amazon Virtual Private Cloud", 0.05, "*" },
  { 1, "Amazon ElastiCache", 0.04, "us-west-2" },
  { 1, "AWS Lambda", 0.04, "*" },
  { 1, "Amazon Elastic Container Service", 0.05, "us-west-2" },
  { 1, "Amazon Elastic Kubernetes Service", 0.02, "us-west-2" },
  { 1, "Amazon CloudWatch", 0.04, "*" },
  { 1, "Amazon DynamoDB", 0.03, "us-west-2" },
  { 1, "Amazon Simple Queue Service", 0.01, "us-west-2" },
  { 1, "Amazon Elastic Container Registry", 0.01, "us-west-2" },
  { 1, "AWS Key Management Service", 0.005, "*" },
  { 1, "Amazon GuardDuty", 0.005, "*" },
  { 1, "AWS Config", 0.005, "*" },
  { 1, "AWS Data Transfer", 0.03, "*" },
  { 1, "Amazon API Gateway", 0.01, "us-west-2" },

  { 2, "Amazon Simple Storage Service", 0.18, "*" },
  { 2, "Amazon Redshift", 0.18, "us-east-1" },
  { 2, "Amazon Athena", 0.08, "us-east-1" },
  { 2, "AWS Glue", 0.08, "*" },
  { 2, "Amazon EMR", 0.10, "*" },
  { 2, "Amazon Kinesis", 0.04, "us-east-1" },
  { 2, "Amazon SageMaker", 0.10, "*" },
  { 2, "Amazon Elastic Compute Cloud", 0.08, "*" },
  { 2, "AWS Data Transfer", 0.03, "*" },
  { 2, "Amazon CloudWatch", 0.02, "*" },
  { 2, "AWS Backup", 0.02, "us-east-1" },
  { 2, "AWS Key Management Service", 0.005, "*" },
  { 2, "AWS Lambda", 0.02, "us-east-1" },
  { 2, "Amazon DynamoDB", 0.01, "us-east-1" },

  { 3, "Virtual Machines", 0.38, "*" },
  { 3, "Storage", 0.10, "*" },
  { 3, "Azure SQL Database", 0.15, "*" },
  { 3, "Azure Kubernetes Service", 0.03, "*" },
  { 3, "Azure Cosmos DB", 0.07, "*" },
  { 3, "Bandwidth", 0.04, "*" },
  { 3, "Azure App Service", 0.06, "*" },
  { 3, "Azure Monitor", 0.03, "*" },
  { 3, "Load Balancer", 0.02, "*" },
  { 3, "Azure Cache for Redis", 0.03, "*" },
  { 3, "Key Vault", 0.005, "*" },
  { 3, "Azure Functions", 0.02, "*" },
  { 3, "Azure Data Factory", 0.04, "*" },
  { 3, "Virtual Network", 0.02, "*" },
  { 3, "Microsoft Defender for Cloud", 0.02, "*" },
};

typedef struct {
  guint       account;
  const char *service;
  const char *region;
  double      factor;
  guint       n_days;
  const char *summary;
} AnomalyScenario;

/* In date order; the last one lands in the last three weeks so the demo's
 * Overview has something recent to show. */
static const AnomalyScenario anomalies[] = {
  { 2, "Amazon Athena", "us-east-1", 4.5, 1,
    "A new dashboard ran unpartitioned full-table scans every few minutes" },
  { 1, "Amazon Relational Database Service", "us-west-2", 2.6, 3,
    "A load-test copy of the production database was left running for three days" },
  { 0, "Amazon DynamoDB", "us-east-1", 5.0, 1,
    "A backfill job wrote to an on-demand table without rate limiting" },
  { 0, "AWS Data Transfer", "us-east-1", 3.0, 2,
    "Cross-region replication was pointed at the wrong bucket" },
  { 3, "Virtual Machines", "westeurope", 4.0, 2,
    "GPU virtual machines were left running after a machine-learning experiment" },
  { 0, "Amazon Elastic Compute Cloud", "us-east-1", 3.2, 2,
    "An autoscaling group scaled out to its maximum after a bad deploy" },
};

#define STEP_ACCOUNT 0
#define STEP_REGION "us-east-1"
#define STEP_NEW_DAILY 700.0
#define STEP_OPENSEARCH_FACTOR 1.8
static const char step_summary[] =
  "The shopping assistant launched: Bedrock inference and a larger OpenSearch vector index";

guint
cu_demo_service_lookup (const char *name)
{
  for (guint i = 0; i < cu_demo_n_services; i++)
    if (strcmp (cu_demo_services[i].name, name) == 0)
      return i;
  g_assert_not_reached ();
  return 0;
}

guint
cu_demo_region_lookup (const char *id)
{
  for (guint i = 0; i < cu_demo_n_regions; i++)
    if (strcmp (cu_demo_regions[i].id, id) == 0)
      return i;
  g_assert_not_reached ();
  return 0;
}

/* ------------------------------------------------------------------ model */

const char *
cu_demo_model_intern (CuDemoModel *model, const char *text)
{
  return text ? g_string_chunk_insert_const (model->strings, text) : NULL;
}

const char *
cu_demo_model_printf (CuDemoModel *model, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return g_string_chunk_insert_const (model->strings, text);
}

void
cu_demo_series_set_tags (CuDemoSeries *s, const char *team, const char *env, const char *project)
{
  s->n_tags = 0;
  if (team == NULL)
    return;
  s->tag_keys[s->n_tags] = "team";
  s->tag_values[s->n_tags++] = team;
  if (env != NULL)
    {
      s->tag_keys[s->n_tags] = "env";
      s->tag_values[s->n_tags++] = env;
    }
  if (project != NULL)
    {
      s->tag_keys[s->n_tags] = "project";
      s->tag_values[s->n_tags++] = project;
    }
}

static const char *
pick (CuDemoRng *rng, const char * const *strv)
{
  return strv[cu_demo_rng_int (rng, g_strv_length ((char **) strv))];
}

static double
daily_growth (double monthly)
{
  return log1p (monthly) / 30.44;
}

static gboolean
is_shared_category (const char *category)
{
  return strcmp (category, "Networking") == 0 ||
         strcmp (category, "Management and Governance") == 0 ||
         strcmp (category, "Security") == 0;
}

static void
model_free (CuDemoModel *model)
{
  g_string_chunk_free (model->strings);
  g_array_unref (model->series);
  g_array_unref (model->events);
  g_array_unref (model->resources);
  g_free (model);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuDemoModel, model_free)

static void
build_events (CuDemoModel *model, int step_index)
{
  int n_days = model->last_day - model->first_day + 1;
  guint n = G_N_ELEMENTS (anomalies);
  int seg_first = 45, seg_len = (n_days - 30 - seg_first) / (int) (n - 1);

  for (guint k = 0; k < n; k++)
    {
      const AnomalyScenario *a = &anomalies[k];
      CuDemoEvent e = { 0 };
      int day_index;

      if (k == n - 1)
        day_index = n_days - 1 - (int) a->n_days - 3 - (int) cu_demo_rng_int (&model->rng, 14);
      else
        {
          /* somewhere in the middle of its segment, clear of the step change */
          do
            day_index = seg_first + (int) k * seg_len + 10 +
                        (int) cu_demo_rng_int (&model->rng, (guint) MAX (seg_len - 20, 1));
          while (ABS (day_index - step_index) < 14);
        }

      e.kind = "anomaly";
      e.day = model->first_day + day_index;
      e.n_days = a->n_days;
      e.account = a->account;
      e.service = cu_demo_service_lookup (a->service);
      e.region = cu_demo_region_lookup (a->region);
      e.factor = a->factor;
      e.summary = a->summary;
      g_array_append_val (model->events, e);
    }

  {
    CuDemoEvent e = { 0 };

    e.kind = "step_change";
    e.day = model->first_day + step_index;
    e.account = STEP_ACCOUNT;
    e.service = cu_demo_service_lookup ("Amazon Bedrock");
    e.region = cu_demo_region_lookup (STEP_REGION);
    e.new_daily = STEP_NEW_DAILY;
    e.summary = step_summary;
    g_array_append_val (model->events, e);

    e.service = cu_demo_service_lookup ("Amazon OpenSearch Service");
    e.new_daily = 0.0;
    e.factor = STEP_OPENSEARCH_FACTOR;
    g_array_append_val (model->events, e);
  }
}

static void
build_usage_series (CuDemoModel *model)
{
  CuDemoRng *rng = &model->rng;

  for (guint p = 0; p < G_N_ELEMENTS (plan); p++)
    {
      const PlanItem *item = &plan[p];
      const CuDemoAccount *account = &cu_demo_accounts[item->account];
      guint service = cu_demo_service_lookup (item->service);
      const CuDemoService *svc = &cu_demo_services[service];
      double region_w[5] = { 0 }, region_sum = 0.0;

      for (guint r = 0; r < cu_demo_n_regions; r++)
        {
          double w = account_regions[item->account][r];

          if (w <= 0.0 || (strcmp (item->regions, "*") != 0 && strstr (item->regions, cu_demo_regions[r].id) == NULL))
            continue;
          region_w[r] = w;
          region_sum += w;
        }
      g_assert (region_sum > 0.0);

      for (guint r = 0; r < cu_demo_n_regions; r++)
        {
          double w, dollars, shares[4], share_sum = 0.0;
          guint n_splits;

          if (region_w[r] <= 0.0)
            continue;
          w = item->weight * region_w[r] / region_sum;
          dollars = w * account->daily_target;
          n_splits = dollars >= 300.0 ? 4 : dollars >= 100.0 ? 3 : dollars >= 35.0 ? 2 : 1;

          for (guint k = 0; k < n_splits; k++)
            share_sum += (shares[k] = 0.4 + cu_demo_rng_double (rng));

          for (guint k = 0; k < n_splits; k++)
            {
              CuDemoSeries s = { 0 };
              double untagged_p = is_shared_category (svc->category) ? 0.5 : 0.08;
              double monthly_growth;

              s.account = item->account;
              s.service = service;
              s.region = r;
              s.charge_category = "Usage";
              s.weight = w * shares[k] / share_sum;
              monthly_growth = 0.027 + svc->growth + 0.012 * cu_demo_rng_normal (rng);
              s.growth = daily_growth (CLAMP (monthly_growth, -0.01, 0.07));
              s.weekly = MIN (0.65, svc->weekly * account->weekly_scale * cu_demo_rng_range (rng, 0.7, 1.3));
              s.noise = svc->noise * cu_demo_rng_range (rng, 0.8, 1.4);
              s.start = model->first_day;
              s.end = model->last_day;
              s.credit_of = -1;
              if (svc->provider == DEMO_AWS)
                s.sku_id = cu_demo_model_printf (model, "%s%s%s", cu_demo_regions[r].code,
                                                 *cu_demo_regions[r].code ? "-" : "", svc->usage_type);
              else
                {
                  g_autofree char *hex = cu_demo_rng_hex (rng, 4);
                  s.sku_id = cu_demo_model_printf (model, "DZH318Z0%s", hex);
                }
              s.charge_description = cu_demo_model_printf (model, "%s in %s", svc->usage_type,
                                                           cu_demo_regions[r].name);

              if (cu_demo_rng_double (rng) < untagged_p)
                cu_demo_series_set_tags (&s, NULL, NULL, NULL);
              else
                cu_demo_series_set_tags (&s, pick (rng, account->teams), pick (rng, account->envs),
                                         cu_demo_rng_double (rng) < 0.1 ? NULL : pick (rng, account->projects));
              g_array_append_val (model->series, s);
            }
        }
    }
}

static void
build_step_series (CuDemoModel *model, CuDay step_day)
{
  static const double shares[] = { 0.7, 0.3 };
  static const char * const projects[] = { "shopping-assistant", "search" };
  guint service = cu_demo_service_lookup ("Amazon Bedrock");
  const CuDemoService *svc = &cu_demo_services[service];
  guint region = cu_demo_region_lookup (STEP_REGION);

  for (guint k = 0; k < G_N_ELEMENTS (shares); k++)
    {
      CuDemoSeries s = { 0 };

      s.account = STEP_ACCOUNT;
      s.service = service;
      s.region = region;
      s.charge_category = "Usage";
      s.base = STEP_NEW_DAILY * shares[k];
      s.growth = daily_growth (0.04);
      s.weekly = svc->weekly;
      s.noise = svc->noise;
      s.start = step_day;
      s.end = model->last_day;
      s.credit_of = -1;
      s.sku_id = cu_demo_model_printf (model, "USE1-%s", svc->usage_type);
      s.charge_description = cu_demo_model_printf (model, "%s in %s", svc->usage_type,
                                                   cu_demo_regions[region].name);
      cu_demo_series_set_tags (&s, "search", "prod", projects[k]);
      g_array_append_val (model->series, s);
    }
}

/* acme-staging's Migration Acceleration Program credit refunds a share of its
 * largest EC2 usage line every day. */
static void
build_credit_series (CuDemoModel *model)
{
  guint ec2 = cu_demo_service_lookup ("Amazon Elastic Compute Cloud");
  int target = -1;

  for (guint i = 0; i < model->series->len; i++)
    {
      const CuDemoSeries *s = &g_array_index (model->series, CuDemoSeries, i);

      if (s->account == 1 && s->service == ec2 && s->resource_id == NULL && s->weight > 0.0 &&
          (target < 0 || s->weight > g_array_index (model->series, CuDemoSeries, target).weight))
        target = (int) i;
    }
  g_assert (target >= 0);

  {
    CuDemoSeries s = g_array_index (model->series, CuDemoSeries, target);

    s.charge_category = "Credit";
    s.charge_description = "AWS Migration Acceleration Program credit";
    s.sku_id = NULL;
    s.weight = 0.0;
    s.credit_of = target;
    s.credit_share = 0.10;
    g_array_append_val (model->series, s);
  }
}

static double
series_cost_at (const CuDemoSeries *s, CuDay day)
{
  if (s->flat)
    return s->base;
  return s->base * exp (s->growth * (day - s->start));
}

/* Scales each account's aggregated usage so that, with its resources, it
 * spends its daily target on the first day. */
static void
scale_accounts (CuDemoModel *model)
{
  for (guint a = 0; a < cu_demo_n_accounts; a++)
    {
      double fixed = 0.0, weights = 0.0, scale;

      for (guint i = 0; i < model->series->len; i++)
        {
          const CuDemoSeries *s = &g_array_index (model->series, CuDemoSeries, i);

          if (s->account != a || s->credit_of >= 0)
            continue;
          if (s->weight > 0.0)
            weights += s->weight;
          else if (s->start <= model->first_day)
            fixed += series_cost_at (s, model->first_day);
        }
      scale = MAX (cu_demo_accounts[a].daily_target - fixed, 0.3 * cu_demo_accounts[a].daily_target) / weights;

      for (guint i = 0; i < model->series->len; i++)
        {
          CuDemoSeries *s = &g_array_index (model->series, CuDemoSeries, i);

          if (s->account == a && s->weight > 0.0)
            s->base = s->weight * scale;
        }
    }
}

static CuDemoModel *
model_build (guint64 seed, CuDay end_day)
{
  CuDemoModel *model = g_new0 (CuDemoModel, 1);
  int step_index;

  model->seed = seed;
  model->last_day = end_day;
  model->first_day = end_day - CU_DEMO_DAYS + 1;
  model->strings = g_string_chunk_new (64 * 1024);
  model->series = g_array_new (FALSE, TRUE, sizeof (CuDemoSeries));
  model->events = g_array_new (FALSE, TRUE, sizeof (CuDemoEvent));
  model->resources = g_array_new (FALSE, TRUE, sizeof (CuDemoResource));
  cu_demo_rng_init (&model->rng, seed);

  step_index = (int) (CU_DEMO_DAYS * 0.55) - 20 + (int) cu_demo_rng_int (&model->rng, 41);
  build_events (model, step_index);
  build_usage_series (model);
  cu_demo_inventory_build (model);
  build_step_series (model, model->first_day + step_index);
  build_credit_series (model);
  scale_accounts (model);
  return model;
}

/* Multiplier of the events on @s's usage on @day. */
static double
event_factor (const CuDemoModel *model, const CuDemoSeries *s, CuDay day)
{
  double factor = 1.0;

  for (guint i = 0; i < model->events->len; i++)
    {
      const CuDemoEvent *e = &g_array_index (model->events, CuDemoEvent, i);

      if (e->account != s->account || e->service != s->service || e->region != s->region ||
          e->factor <= 0.0 || day < e->day)
        continue;
      if (e->kind[0] == 'a' && day < e->day + (CuDay) e->n_days)
        factor *= e->factor;
      else if (e->kind[0] == 's')
        factor *= e->factor;
    }
  return factor;
}

static double
series_cost (const CuDemoModel *model, guint index, CuDay day, const double *today)
{
  const CuDemoSeries *s = &g_array_index (model->series, CuDemoSeries, index);
  double v;
  guint64 h;

  if (s->credit_of >= 0)
    return -s->credit_share * today[s->credit_of];
  if (s->flat)
    return s->base;

  v = series_cost_at (s, day);
  if (cu_day_weekday (day) >= 6)
    v *= 1.0 - s->weekly;
  h = cu_demo_mix (model->seed ^ cu_demo_mix ((guint64) index << 32 | (guint32) day));
  v *= MAX (0.3, 1.0 + s->noise * normal_from (h));
  return v * event_factor (model, s, day);
}

/* ------------------------------------------------------------------ writing */

typedef struct {
  char start[24];
  char end[24];
  char billing_start[24];
  char billing_end[24];
} DayText;

static void
format_timestamp (CuDay day, char out[24])
{
  char ymd[11];

  cu_day_format (day, ymd);
  g_snprintf (out, 24, "%sT00:00:00Z", ymd);
}

static void
fill_row_template (const CuDemoModel *model, const CuDemoSeries *s, CuCostRow *row)
{
  const CuDemoAccount *account = &cu_demo_accounts[s->account];
  const CuDemoService *svc = &cu_demo_services[s->service];
  const CuDemoRegion *region = &cu_demo_regions[s->region];
  gboolean aws = account->provider == DEMO_AWS;
  gboolean usage = strcmp (s->charge_category, "Usage") == 0;

  memset (row, 0, sizeof *row);
  row->billing_currency = "USD";
  row->billing_account_id = account->billing_account_id;
  row->billing_account_name = account->billing_account_name;
  row->sub_account_id = account->sub_account_id;
  row->sub_account_name = account->name;
  row->provider_name = aws ? "AWS" : "Microsoft";
  row->publisher_name = aws ? "Amazon Web Services, Inc." : "Microsoft";
  row->invoice_issuer_name = aws ? "Amazon Web Services, Inc." : "Microsoft";
  row->service_name = svc->name;
  row->service_category = svc->category;
  row->service_subcategory = svc->subcategory;
  row->region_id = region->id;
  row->region_name = region->name;
  row->resource_id = s->resource_id;
  row->resource_name = s->resource_name;
  row->resource_type = s->resource_type;
  row->charge_category = s->charge_category;
  row->charge_description = s->charge_description;
  row->charge_frequency = usage ? "Usage-Based" : "One-Time";
  row->sku_id = s->sku_id;
  row->pricing_category = usage ? "Standard" : NULL;
  row->pricing_unit = usage ? (s->pricing_unit ? s->pricing_unit : svc->unit) : NULL;
  row->consumed_unit = row->pricing_unit;
  row->n_tags = s->n_tags;
  row->tag_keys = s->tag_keys;
  row->tag_values = s->tag_values;
}

static gboolean
write_costs (CuDemoModel         *model,
             CuLedger            *ledger,
             const gint64        *account_ids,
             GCancellable        *cancellable,
             CuDemoProgressFunc   progress,
             gpointer             progress_data,
             GError             **error)
{
  guint n_series = model->series->len;
  guint n_days = model->last_day - model->first_day + 1;
  g_autofree CuCostRow *rows = g_new0 (CuCostRow, n_series);
  g_autofree double *today = g_new0 (double, n_series);
  g_autofree DayText *days = g_new0 (DayText, n_days);
  guint64 total = 0, done = 0;
  double reported = 0.0;

  for (guint i = 0; i < n_series; i++)
    {
      const CuDemoSeries *s = &g_array_index (model->series, CuDemoSeries, i);

      fill_row_template (model, s, &rows[i]);
      total += MIN (s->end, model->last_day) - MAX (s->start, model->first_day) + 1;
    }
  for (guint d = 0; d < n_days; d++)
    {
      CuDay day = model->first_day + (CuDay) d;

      format_timestamp (day, days[d].start);
      format_timestamp (day + 1, days[d].end);
      format_timestamp (cu_day_month_start (day), days[d].billing_start);
      format_timestamp (cu_day_month_end (day) + 1, days[d].billing_end);
    }

  for (guint a = 0; a < cu_demo_n_accounts; a++)
    {
      CuLedgerWriter *writer;
      g_autoptr(GArray) mine = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i < n_series; i++)
        if (g_array_index (model->series, CuDemoSeries, i).account == a)
          g_array_append_val (mine, i);

      writer = cu_ledger_writer_begin (ledger, account_ids[a], "demo", "Cumulus demo generator",
                                       model->first_day, model->last_day, error);
      if (writer == NULL)
        return FALSE;

      for (guint d = 0; d < n_days; d++)
        {
          CuDay day = model->first_day + (CuDay) d;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              cu_ledger_writer_cancel (writer);
              return FALSE;
            }

          for (guint k = 0; k < mine->len; k++)
            {
              guint i = g_array_index (mine, guint, k);
              const CuDemoSeries *s = &g_array_index (model->series, CuDemoSeries, i);
              CuCostRow *row = &rows[i];
              double cost, unit_price;
              gint64 micros;

              if (day < s->start || day > s->end)
                continue;

              cost = series_cost (model, i, day, today);
              today[i] = cost;
              micros = cu_money_from_double (cost);

              row->charge_period_start = days[d].start;
              row->charge_period_end = days[d].end;
              row->billing_period_start = days[d].billing_start;
              row->billing_period_end = days[d].billing_end;
              row->billed_cost = micros;
              row->effective_cost = micros;
              row->list_cost = micros;
              row->has_list_cost = TRUE;
              if (row->pricing_unit != NULL)
                {
                  unit_price = s->unit_price > 0.0 ? s->unit_price
                                                   : cu_demo_services[s->service].unit_price *
                                                     cu_demo_regions[s->region].price_factor;
                  row->pricing_quantity = row->consumed_quantity = cost / unit_price;
                  row->has_pricing_quantity = row->has_consumed_quantity = TRUE;
                }

              if (!cu_ledger_writer_add (writer, row, error))
                {
                  cu_ledger_writer_abort (writer, error && *error ? (*error)->message : NULL);
                  return FALSE;
                }
              done++;
            }

          if (progress != NULL && (double) done / total * 0.9 - reported >= 0.005)
            {
              reported = (double) done / total * 0.9;
              progress (reported, progress_data);
            }
        }

      if (!cu_ledger_writer_commit (writer, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_meta_and_events (CuDemoModel *model, CuLedger *ledger, GError **error)
{
  sqlite3 *db = cu_ledger_get_db (ledger);
  sqlite3_stmt *stmt = NULL;
  char first[11], last[11];
  g_autofree char *seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, model->seed);
  const char *meta[][2] = {
    { "demo", "1" },
    { "seed", seed_text },
    { "first_day", first },
    { "end_day", last },
    { "generator_version", CU_DEMO_GENERATOR_VERSION },
  };

  cu_day_format (model->first_day, first);
  cu_day_format (model->last_day, last);

  if (!cu_ledger_begin (ledger, error))
    return FALSE;

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO workspace_meta (key, value) VALUES (?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, meta[i][0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, meta[i][1], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (db, "INSERT INTO demo_events (kind, usage_day, sub_account, service, region, detail)"
                              " VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  for (guint i = 0; i < model->events->len; i++)
    {
      const CuDemoEvent *e = &g_array_index (model->events, CuDemoEvent, i);
      const CuDemoAccount *account = &cu_demo_accounts[e->account];
      g_autofree char *detail = NULL;
      g_autofree char *summary = g_strescape (e->summary, NULL);

      /* machine-readable, for recall measurements */
      if (e->kind[0] == 'a')
        detail = g_strdup_printf ("{\"account\":\"%s\",\"factor\":%.2f,\"days\":%u,\"summary\":\"%s\"}",
                                  account->name, e->factor, e->n_days, summary);
      else if (e->new_daily > 0.0)
        detail = g_strdup_printf ("{\"account\":\"%s\",\"new_daily_cost\":%.2f,\"summary\":\"%s\"}",
                                  account->name, e->new_daily, summary);
      else
        detail = g_strdup_printf ("{\"account\":\"%s\",\"factor\":%.2f,\"summary\":\"%s\"}",
                                  account->name, e->factor, summary);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, e->kind, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, e->day);
      sqlite3_bind_text (stmt, 3, account->sub_account_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, cu_demo_services[e->service].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, cu_demo_regions[e->region].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  sqlite3_finalize (stmt);
  return cu_ledger_commit (ledger, error);

fail:
  cu_ledger_set_sql_error (ledger, error, "Cannot write the demo’s metadata");
  sqlite3_finalize (stmt);
  cu_ledger_rollback (ledger);
  return FALSE;
}

/* ------------------------------------------------------------------ files */

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

/* Temporary directories are named .<workspace>.demo-<pid>-XXXXXX; those of
 * processes that no longer exist were left by a killed generation. */
static void
remove_stale_temporaries (const char *parent, const char *prefix)
{
  GDir *dir = g_dir_open (parent, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      const char *rest;
      gint64 pid;
      char *end = NULL;

      if (!g_str_has_prefix (name, prefix))
        continue;
      rest = name + strlen (prefix);
      pid = g_ascii_strtoll (rest, &end, 10);
      if (end == rest || *end != '-' || pid <= 0)
        continue;
      if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *path = g_build_filename (parent, name, NULL);

          g_debug ("Removing %s, left by an interrupted demo generation", path);
          remove_tree (path);
        }
    }
  g_dir_close (dir);
}

static gboolean
move_into_place (const char *tmp_dir, const char *workspace_dir, GError **error)
{
  g_autofree char *tmp_db = NULL;
  g_autofree char *db = NULL;
  int saved;

  if (g_rename (tmp_dir, workspace_dir) == 0)
    return TRUE;
  saved = errno;
  if (saved != ENOTEMPTY && saved != EEXIST)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot move the demo workspace into %s: %s", workspace_dir, g_strerror (saved));
      return FALSE;
    }

  /* The directory exists with other files in it: move the ledger alone.
   * link() never replaces, so a ledger created meanwhile is kept. */
  tmp_db = cu_workspace_ledger_path (tmp_dir);
  db = cu_workspace_ledger_path (workspace_dir);
  if (link (tmp_db, db) != 0)
    {
      saved = errno;
      if (saved == EEXIST)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     "%s already holds a workspace; choose another directory", workspace_dir);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     "Cannot move the demo workspace into %s: %s", workspace_dir, g_strerror (saved));
      return FALSE;
    }
  remove_tree (tmp_dir);
  return TRUE;
}

static gboolean
generate (const char          *tmp_dir,
          guint64              seed,
          CuDay                end_day,
          GCancellable        *cancellable,
          CuDemoProgressFunc   progress,
          gpointer             progress_data,
          GError             **error)
{
  g_autoptr(CuDemoModel) model = NULL;
  g_autoptr(CuLedger) ledger = NULL;
  gint64 account_ids[G_N_ELEMENTS (cu_demo_accounts)];

  ledger = cu_ledger_open (tmp_dir, error);
  if (ledger == NULL)
    return FALSE;

  model = model_build (seed, end_day);

  for (guint a = 0; a < cu_demo_n_accounts; a++)
    {
      const CuDemoAccount *account = &cu_demo_accounts[a];

      account_ids[a] = cu_ledger_add_account (ledger, account->name,
                                              account->provider == DEMO_AWS ? "aws" : "azure",
                                              "demo", account->sub_account_id,
                                              "{\"demo\":true}", error);
      if (account_ids[a] <= 0)
        return FALSE;
    }

  if (!write_costs (model, ledger, account_ids, cancellable, progress, progress_data, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!write_meta_and_events (model, ledger, error))
    return FALSE;
  if (!cu_demo_inventory_write (model, ledger, account_ids, cancellable, error))
    return FALSE;
  if (!cu_demo_budgets_write (ledger, end_day, error))
    return FALSE;
  if (progress != NULL)
    progress (0.98, progress_data);

  /* One self-contained file to move: leave WAL mode until the next open. */
  if (!cu_ledger_exec (ledger, "PRAGMA optimize; PRAGMA journal_mode = DELETE;", error))
    return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ public */

/**
 * cu_demo_create:
 * @workspace_dir: the workspace to create; it may exist as a directory but
 *   must not hold a ledger
 * @seed: the same seed and @end_day give the same workspace, byte for byte
 *   in every table except timestamps
 * @end_day: the last day with costs (the app passes yesterday)
 * @cancellable: (nullable): cancels with %G_IO_ERROR_CANCELLED
 * @progress: (nullable) (scope call): called with 0..1 from this thread
 *
 * Generates the demo workspace: 18 months of daily costs for three AWS
 * accounts and an Azure subscription, a resource inventory with 30 days of
 * utilisation, and the injected events in demo_events. On failure or
 * cancellation nothing is left at @workspace_dir. Blocks; call it from a
 * worker thread.
 *
 * Returns: %TRUE on success; %FALSE with @error set (%G_IO_ERROR_EXISTS when
 *   a ledger is already there)
 */
gboolean
cu_demo_create (const char          *workspace_dir,
                guint64              seed,
                CuDay                end_day,
                GCancellable        *cancellable,
                CuDemoProgressFunc   progress,
                gpointer             progress_data,
                GError             **error)
{
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *tmp_dir = NULL;
  gboolean ok;

  g_return_val_if_fail (workspace_dir != NULL, FALSE);
  g_return_val_if_fail (end_day != CU_DAY_INVALID, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (cu_workspace_exists (workspace_dir))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s already holds a workspace; choose another directory", workspace_dir);
      return FALSE;
    }
  parent = g_path_get_dirname (workspace_dir);
  base = g_path_get_basename (workspace_dir);
  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create %s: %s", parent, g_strerror (saved));
      return FALSE;
    }

  prefix = g_strdup_printf (".%s.demo-", base);
  remove_stale_temporaries (parent, prefix);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  tmp_dir = g_strdup_printf ("%s%c%s%d-XXXXXX", parent, G_DIR_SEPARATOR, prefix, (int) getpid ());
  if (g_mkdtemp_full (tmp_dir, 0700) == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create a temporary directory in %s: %s", parent, g_strerror (saved));
      return FALSE;
    }

  if (progress != NULL)
    progress (0.0, progress_data);

  ok = generate (tmp_dir, seed, end_day, cancellable, progress, progress_data, error);
  if (ok && cu_workspace_exists (workspace_dir))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s already holds a workspace; choose another directory", workspace_dir);
      ok = FALSE;
    }
  if (ok)
    ok = move_into_place (tmp_dir, workspace_dir, error);
  if (!ok)
    {
      remove_tree (tmp_dir);
      return FALSE;
    }

  if (progress != NULL)
    progress (1.0, progress_data);
  return TRUE;
}
