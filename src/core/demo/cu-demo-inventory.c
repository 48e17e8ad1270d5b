/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-demo-inventory.c — the demo's resource inventory
 *
 * Instances, volumes, elastic IPs, snapshots, databases, load balancers,
 * buckets and functions on AWS, virtual machines and disks on Azure, with
 * 30 days of utilisation. About a fifth is wasteful on purpose — idle or
 * oversized instances, unattached volumes and disks, unassociated
 * addresses, year-old snapshots, an idle database, a load balancer without
 * targets — so the optimisation rules have something to find. Each billed
 * resource also gets its own cost series (with its ResourceId), so the
 * rules can price their savings from the account's own costs.
 */
#define G_LOG_DOMAIN "cumulus-demo"

#include "demo/cu-demo-private.h"
#include "util/cu-money.h"

#include <math.h>
#include <string.h>

#define HOURS_PER_MONTH 730.0
#define METRIC_DAYS 30

typedef struct {
  const char *type;
  int         vcpu;
  int         memory_gib;
  double      hourly;
} InstanceType;

static const InstanceType aws_types[] = {
  { "t3.medium", 2, 4, 0.0416 },
  { "t3.large", 2, 8, 0.0832 },
  { "m5.large", 2, 8, 0.096 },
  { "m5.xlarge", 4, 16, 0.192 },
  { "c5.xlarge", 4, 8, 0.17 },
  { "r5.xlarge", 4, 32, 0.252 },
  { "m5.2xlarge", 8, 32, 0.384 },
  { "c5.2xlarge", 8, 16, 0.34 },
  { "r5.2xlarge", 8, 64, 0.504 },
  { "m6i.4xlarge", 16, 64, 0.768 },
};
#define N_SMALL_AWS_TYPES 6  /* the first ones; oversized instances use the others */

static const InstanceType azure_types[] = {
  { "Standard_B2ms", 2, 8, 0.0832 },
  { "Standard_D2s_v5", 2, 8, 0.096 },
  { "Standard_D4s_v5", 4, 16, 0.192 },
  { "Standard_E4s_v5", 4, 32, 0.252 },
  { "Standard_D8s_v5", 8, 32, 0.384 },
  { "Standard_F8s_v2", 8, 16, 0.338 },
};
#define N_SMALL_AZURE_TYPES 4

typedef struct {
  guint       account;
  const char *region;
  guint       count;
} Fleet;

static const Fleet fleets[] = {
  { 0, "us-east-1", 16 }, { 0, "eu-west-1", 8 }, { 0, "ap-southeast-2", 4 },
  { 1, "us-west-2", 12 }, { 1, "us-east-1", 4 },
  { 2, "us-east-1", 10 }, { 2, "us-west-2", 2 },
};

static const char * const roles[] = {
  "web", "api", "worker", "batch", "search", "cache", "etl", "jenkins", "bastion", "kafka", "airflow", "spark", NULL
};

typedef struct {
  guint       account;
  const char *name;
  const char *region;
  const char *engine;
  const char *klass;
  double      hourly;
  gboolean    multi_az;
  int         storage_gib;
  gboolean    idle;
} Database;

static const Database databases[] = {
  { 0, "orders-prod", "us-east-1", "postgres", "db.r5.2xlarge", 1.00, TRUE, 1000, FALSE },
  { 0, "catalog-prod", "us-east-1", "mysql", "db.r5.xlarge", 0.50, TRUE, 500, FALSE },
  { 0, "payments-eu", "eu-west-1", "postgres", "db.r5.large", 0.25, TRUE, 300, FALSE },
  { 0, "legacy-reports", "eu-west-1", "mysql", "db.m5.large", 0.171, FALSE, 200, TRUE },
  { 1, "orders-staging", "us-west-2", "postgres", "db.t3.large", 0.136, FALSE, 100, FALSE },
  { 1, "catalog-staging", "us-west-2", "mysql", "db.t3.medium", 0.068, FALSE, 50, FALSE },
  { 2, "airflow-metadata", "us-east-1", "postgres", "db.t3.medium", 0.072, FALSE, 50, FALSE },
};

typedef struct {
  guint       account;
  const char *name;
  const char *region;
  const char *kind;      /* application | network */
  gboolean    no_targets;
} Balancer;

static const Balancer balancers[] = {
  { 0, "web-prod", "us-east-1", "application", FALSE },
  { 0, "api-prod", "us-east-1", "application", FALSE },
  { 0, "internal-grpc", "us-east-1", "network", FALSE },
  { 0, "web-eu", "eu-west-1", "application", FALSE },
  { 1, "web-staging", "us-west-2", "application", FALSE },
  { 1, "canary-2022", "us-west-2", "application", TRUE },
  { 2, "airflow", "us-east-1", "application", FALSE },
};

typedef struct {
  guint       account;
  const char *name;
  const char *region;
  double      size_tib;
  const char *storage_class;
} Bucket;

static const Bucket buckets[] = {
  { 0, "acme-prod-assets", "us-east-1", 40.0, "STANDARD" },
  { 0, "acme-prod-uploads", "us-east-1", 25.0, "STANDARD" },
  { 0, "acme-prod-logs", "us-east-1", 60.0, "STANDARD" },
  { 0, "acme-prod-backups-eu", "eu-west-1", 30.0, "STANDARD" },
  { 0, "acme-prod-static-eu", "eu-west-1", 2.0, "STANDARD" },
  { 0, "acme-terraform-state", "us-east-1", 0.01, "STANDARD" },
  { 1, "acme-staging-assets", "us-west-2", 3.0, "STANDARD" },
  { 1, "acme-staging-logs", "us-west-2", 8.0, "STANDARD" },
  { 1, "acme-ci-artifacts", "us-east-1", 12.0, "STANDARD" },
  { 2, "acme-datalake-raw", "us-east-1", 120.0, "STANDARD" },
  { 2, "acme-datalake-curated", "us-east-1", 45.0, "STANDARD" },
  { 2, "acme-athena-results", "us-east-1", 6.0, "STANDARD" },
  { 2, "acme-ml-training", "us-west-2", 30.0, "STANDARD" },
  { 2, "acme-emr-logs", "us-west-2", 4.0, "STANDARD" },
  { 2, "acme-redshift-unload", "us-east-1", 10.0, "STANDARD" },
};

typedef struct {
  guint       account;
  const char *name;
  const char *region;
} Function;

static const Function functions[] = {
  { 0, "checkout-webhook", "us-east-1" }, { 0, "image-resize", "us-east-1" },
  { 0, "search-indexer", "us-east-1" }, { 0, "order-events", "us-east-1" },
  { 0, "email-sender", "eu-west-1" }, { 0, "auth-authorizer", "eu-west-1" },
  { 0, "cart-cleanup", "ap-southeast-2" }, { 0, "price-sync", "us-east-1" },
  { 1, "checkout-webhook-staging", "us-west-2" }, { 1, "image-resize-staging", "us-west-2" },
  { 1, "search-indexer-staging", "us-west-2" }, { 1, "order-events-staging", "us-east-1" },
  { 2, "s3-ingest-trigger", "us-east-1" }, { 2, "glue-job-launcher", "us-east-1" },
  { 2, "feature-export", "us-west-2" }, { 2, "report-mailer", "us-east-1" },
};

static const guint unattached_volumes[] = { 3, 3, 2, 0 };
static const guint elastic_ips[] = { 5, 3, 2, 0 };
static const guint snapshots[] = { 18, 10, 12, 0 };
#define AZURE_VMS 14
#define AZURE_UNATTACHED_DISKS 3

/* ------------------------------------------------------------------ helpers */

static const char *
hex_id (CuDemoModel *m, const char *prefix, guint n)
{
  g_autofree char *hex = cu_demo_rng_hex (&m->rng, n);
  return cu_demo_model_printf (m, "%s%s", prefix, hex);
}

static const char *
day_text (CuDemoModel *m, CuDay day)
{
  char buf[11];

  cu_day_format (day, buf);
  return cu_demo_model_intern (m, buf);
}

typedef struct {
  const char *team, *env, *project;
} Tags;

static Tags
draw_tags (CuDemoModel *m, guint account, double untagged_p)
{
  const CuDemoAccount *a = &cu_demo_accounts[account];
  const char * const *teams = a->teams, * const *envs = a->envs, * const *projects = a->projects;
  Tags t = { NULL, NULL, NULL };

  if (cu_demo_rng_double (&m->rng) < untagged_p)
    return t;
  t.team = teams[cu_demo_rng_int (&m->rng, g_strv_length ((char **) teams))];
  t.env = envs[cu_demo_rng_int (&m->rng, g_strv_length ((char **) envs))];
  t.project = projects[cu_demo_rng_int (&m->rng, g_strv_length ((char **) projects))];
  return t;
}

static const char *
tags_json (CuDemoModel *m, const Tags *t)
{
  if (t->team == NULL)
    return NULL;
  return cu_demo_model_printf (m, "{\"team\":\"%s\",\"env\":\"%s\",\"project\":\"%s\"}",
                               t->team, t->env, t->project);
}

static CuDemoResource *
add_resource (CuDemoModel *m, guint account, const char *type, const char *resource_id,
              const char *name, const char *region, const char *service, const char *state,
              const char *size, const Tags *tags, double monthly_cost, CuDay created_day)
{
  CuDemoResource res = { 0 };
  const CuDemoAccount *a = &cu_demo_accounts[account];

  res.account = account;
  res.profile = CU_DEMO_PROFILE_NONE;
  res.r.provider = (char *) (a->provider == DEMO_AWS ? "aws" : "azure");
  res.r.sub_account = (char *) a->sub_account_id;
  res.r.resource_type = (char *) type;
  res.r.resource_id = (char *) resource_id;
  res.r.name = (char *) name;
  res.r.region = (char *) region;
  res.r.service = (char *) service;
  res.r.state = (char *) state;
  res.r.size = (char *) size;
  res.r.tags = (char *) tags_json (m, tags);
  res.r.monthly_cost = cu_money_from_double (monthly_cost);
  res.r.currency = (char *) "USD";
  res.r.created_day = created_day;
  res.r.last_seen_day = m->last_day;
  g_array_append_val (m->resources, res);
  return &g_array_index (m->resources, CuDemoResource, m->resources->len - 1);
}

/* A cost series billed to one resource. Flat ones cost the same every day. */
static CuDemoSeries *
add_series (CuDemoModel *m, const CuDemoResource *res, const char *service, const char *resource_type,
            const char *usage_type, const char *unit, double unit_price,
            double daily_at_end, gboolean flat, double monthly_growth, double weekly, const Tags *tags)
{
  CuDemoSeries s = { 0 };
  const CuDemoRegion *region;

  s.account = res->account;
  s.service = cu_demo_service_lookup (service);
  s.region = cu_demo_region_lookup (res->r.region);
  region = &cu_demo_regions[s.region];
  s.resource_id = res->r.resource_id;
  s.resource_name = res->r.name;
  s.resource_type = resource_type;
  s.charge_category = "Usage";
  s.charge_description = cu_demo_model_printf (m, "%s %s", res->r.size ? res->r.size : "", usage_type);
  s.sku_id = *region->code ? cu_demo_model_printf (m, "%s-%s", region->code, usage_type)
                           : cu_demo_model_intern (m, usage_type);
  s.pricing_unit = unit;
  s.unit_price = unit_price;
  s.flat = flat;
  s.start = MAX (res->r.created_day, m->first_day);
  s.end = m->last_day;
  s.credit_of = -1;
  if (flat)
    s.base = daily_at_end;
  else
    {
      s.growth = log1p (monthly_growth) / 30.44;
      s.base = daily_at_end / exp (s.growth * (s.end - s.start));
      s.weekly = weekly;
      s.noise = 0.02;
    }
  cu_demo_series_set_tags (&s, tags->team, tags->env, tags->project);
  g_array_append_val (m->series, s);
  return &g_array_index (m->series, CuDemoSeries, m->series->len - 1);
}

static CuDay
draw_created (CuDemoModel *m, CuDemoProfile profile)
{
  if (profile == CU_DEMO_PROFILE_IDLE)
    return m->last_day - 200 - (CuDay) cu_demo_rng_int (&m->rng, 600);
  if (cu_demo_rng_double (&m->rng) < 0.75)
    return m->first_day - 1 - (CuDay) cu_demo_rng_int (&m->rng, 700);
  return m->last_day - 20 - (CuDay) cu_demo_rng_int (&m->rng, CU_DEMO_DAYS - 40);
}

/* ------------------------------------------------------------------ AWS */

static void
build_instances (CuDemoModel *m)
{
  guint counter = cu_demo_rng_int (&m->rng, 9);
  const char *ec2 = "Amazon Elastic Compute Cloud";

  for (guint f = 0; f < G_N_ELEMENTS (fleets); f++)
    {
      const Fleet *fleet = &fleets[f];
      const CuDemoAccount *a = &cu_demo_accounts[fleet->account];
      double factor = cu_demo_regions[cu_demo_region_lookup (fleet->region)].price_factor;

      for (guint i = 0; i < fleet->count; i++, counter++)
        {
          CuDemoProfile profile = counter % 9 == 0 ? CU_DEMO_PROFILE_IDLE
                                : counter % 9 == 4 ? CU_DEMO_PROFILE_OVERSIZED
                                : CU_DEMO_PROFILE_NORMAL;
          const InstanceType *type;
          const char *role = roles[cu_demo_rng_int (&m->rng, G_N_ELEMENTS (roles) - 1)];
          const char *env = a->envs[0];
          const char *id = hex_id (m, "i-0", 16);
          const char *name, *state = "running", *az;
          gboolean stopped = FALSE;
          CuDay created = draw_created (m, profile);
          double hourly;
          Tags tags;
          CuDemoResource *res;
          int volume_gib;
          gboolean gp2;

          if (profile == CU_DEMO_PROFILE_OVERSIZED)
            type = &aws_types[N_SMALL_AWS_TYPES + cu_demo_rng_int (&m->rng, G_N_ELEMENTS (aws_types) - N_SMALL_AWS_TYPES)];
          else
            type = &aws_types[cu_demo_rng_int (&m->rng, N_SMALL_AWS_TYPES + 2)];
          if (profile == CU_DEMO_PROFILE_NORMAL && cu_demo_rng_double (&m->rng) < 0.05)
            stopped = TRUE;

          if (profile == CU_DEMO_PROFILE_IDLE)
            name = cu_demo_model_printf (m, "%s-%s-%02u", cu_demo_rng_double (&m->rng) < 0.5 ? "poc" : "temp",
                                         role, cu_demo_rng_int (&m->rng, 20) + 1);
          else
            name = cu_demo_model_printf (m, "%s-%s-%02u", role, env, i + 1);
          tags = draw_tags (m, fleet->account, profile == CU_DEMO_PROFILE_IDLE ? 0.5 : 0.1);
          hourly = type->hourly * factor;
          az = cu_demo_model_printf (m, "%s%c", fleet->region, 'a' + (char) cu_demo_rng_int (&m->rng, 3));
          if (stopped)
            state = "stopped";

          res = add_resource (m, fleet->account, "instance", id, name, fleet->region, ec2, state,
                              type->type, &tags, stopped ? 0.0 : hourly * HOURS_PER_MONTH, created);
          res->profile = stopped ? CU_DEMO_PROFILE_NONE : profile;
          res->r.attributes = (char *) cu_demo_model_printf (m,
              "{\"instance_type\":\"%s\",\"vcpu\":%d,\"memory_gib\":%d,\"platform\":\"Linux/UNIX\","
              "\"availability_zone\":\"%s\",\"launch_day\":\"%s\",\"hourly_price\":%.4f}",
              type->type, type->vcpu, type->memory_gib, az, day_text (m, created), hourly);
          if (!stopped)
            add_series (m, res, ec2, "Instance", cu_demo_model_printf (m, "BoxUsage:%s", type->type), "Hrs",
                        hourly, hourly * 24.0, TRUE, 0.0, 0.0, &tags);

          /* its root volume */
          gp2 = cu_demo_rng_double (&m->rng) < 0.55;
          volume_gib = fleet->account == 2 ? 200 + 100 * (int) cu_demo_rng_int (&m->rng, 9)
                                           : 30 + 10 * (int) cu_demo_rng_int (&m->rng, 18);
          {
            double monthly = volume_gib * (gp2 ? 0.10 : 0.08) * factor;
            const char *vol_id = hex_id (m, "vol-0", 16);
            CuDemoResource *vol;

            vol = add_resource (m, fleet->account, "volume", vol_id, cu_demo_model_printf (m, "%s-root", name),
                                fleet->region, ec2, "in-use", gp2 ? "gp2" : "gp3", &tags, monthly, created);
            vol->profile = stopped ? CU_DEMO_PROFILE_NONE : profile == CU_DEMO_PROFILE_IDLE ? CU_DEMO_PROFILE_IDLE
                                                                                           : CU_DEMO_PROFILE_NORMAL;
            vol->r.attributes = (char *) cu_demo_model_printf (m,
                "{\"volume_type\":\"%s\",\"size_gib\":%d,\"iops\":%d,\"attached_to\":\"%s\","
                "\"availability_zone\":\"%s\",\"encrypted\":true}",
                gp2 ? "gp2" : "gp3", volume_gib, gp2 ? MAX (100, 3 * volume_gib) : 3000, id, az);
            add_series (m, vol, ec2, "Volume", gp2 ? "EBS:VolumeUsage.gp2" : "EBS:VolumeUsage.gp3", "GB-Mo",
                        (gp2 ? 0.10 : 0.08) * factor, monthly / HOURS_PER_MONTH * 24.0, TRUE, 0.0, 0.0, &tags);
          }
        }
    }
}

static const char *
account_region (CuDemoModel *m, guint account)
{
  /* the main region most of the time */
  const char *main_region = NULL, *other = NULL;

  for (guint f = 0; f < G_N_ELEMENTS (fleets); f++)
    if (fleets[f].account == account)
      {
        if (main_region == NULL)
          main_region = fleets[f].region;
        else if (other == NULL)
          other = fleets[f].region;
      }
  return other != NULL && cu_demo_rng_double (&m->rng) < 0.3 ? other : main_region;
}

static void
build_volumes_addresses_snapshots (CuDemoModel *m)
{
  const char *ec2 = "Amazon Elastic Compute Cloud";

  for (guint a = 0; a < cu_demo_n_accounts; a++)
    {
      double snapshot_monthly[5] = { 0 };

      for (guint i = 0; i < unattached_volumes[a]; i++)
        {
          const char *region = account_region (m, a);
          double factor = cu_demo_regions[cu_demo_region_lookup (region)].price_factor;
          int gib = 100 * (1 + (int) cu_demo_rng_int (&m->rng, 10));
          gboolean gp2 = cu_demo_rng_double (&m->rng) < 0.75;
          double monthly = gib * (gp2 ? 0.10 : 0.08) * factor;
          CuDay created = m->last_day - 90 - (CuDay) cu_demo_rng_int (&m->rng, 600);
          Tags tags = draw_tags (m, a, 0.6);
          CuDemoResource *res;

          res = add_resource (m, a, "volume", hex_id (m, "vol-0", 16),
                              cu_demo_model_printf (m, "old-%s-data-%u", roles[cu_demo_rng_int (&m->rng, 12)], i + 1),
                              region, ec2, "available", gp2 ? "gp2" : "gp3", &tags, monthly, created);
          res->r.attributes = (char *) cu_demo_model_printf (m,
              "{\"volume_type\":\"%s\",\"size_gib\":%d,\"iops\":%d,\"attached_to\":null,"
              "\"detached_day\":\"%s\",\"encrypted\":true}",
              gp2 ? "gp2" : "gp3", gib, gp2 ? 3 * gib : 3000,
              day_text (m, m->last_day - 30 - (CuDay) cu_demo_rng_int (&m->rng, 60)));
          add_series (m, res, ec2, "Volume", gp2 ? "EBS:VolumeUsage.gp2" : "EBS:VolumeUsage.gp3", "GB-Mo",
                      (gp2 ? 0.10 : 0.08) * factor, monthly / HOURS_PER_MONTH * 24.0, TRUE, 0.0, 0.0, &tags);
        }

      if (elastic_ips[a] > 0)
        {
          guint free_one = cu_demo_rng_int (&m->rng, elastic_ips[a]);

          for (guint i = 0; i < elastic_ips[a]; i++)
            {
              const char *region = account_region (m, a);
              gboolean associated = i != free_one;
              Tags tags = draw_tags (m, a, associated ? 0.2 : 0.7);
              CuDemoResource *res;

              res = add_resource (m, a, "elastic_ip", hex_id (m, "eipalloc-0", 16),
                                  cu_demo_model_printf (m, "eip-%s-%u", cu_demo_accounts[a].envs[0], i + 1),
                                  region, "Amazon Virtual Private Cloud",
                                  associated ? "associated" : "unassociated", "standard", &tags,
                                  0.005 * HOURS_PER_MONTH, m->last_day - 60 - (CuDay) cu_demo_rng_int (&m->rng, 900));
              res->r.attributes = (char *) cu_demo_model_printf (m,
                  "{\"public_ip\":\"%u.%u.%u.%u\",\"domain\":\"vpc\",\"associated_with\":%s}",
                  cu_demo_rng_double (&m->rng) < 0.5 ? 3u : 52u, cu_demo_rng_int (&m->rng, 256),
                  cu_demo_rng_int (&m->rng, 256), 1 + cu_demo_rng_int (&m->rng, 254),
                  associated ? "\"instance\"" : "null");
              add_series (m, res, "Amazon Virtual Private Cloud", "Public IPv4 Address", "PublicIPv4:InUseAddress",
                          "Hrs", 0.005, 0.005 * 24.0, TRUE, 0.0, 0.0, &tags);
            }
        }

      for (guint i = 0; i < snapshots[a]; i++)
        {
          const char *region = account_region (m, a);
          guint r = cu_demo_region_lookup (region);
          gboolean old = cu_demo_rng_double (&m->rng) < 0.22;
          CuDay created = m->last_day - (old ? 370 + (CuDay) cu_demo_rng_int (&m->rng, 730)
                                              : 1 + (CuDay) cu_demo_rng_int (&m->rng, 330));
          int gib = 8 + 8 * (int) cu_demo_rng_int (&m->rng, 60);
          double monthly = gib * 0.05 * cu_demo_regions[r].price_factor;
          Tags tags = draw_tags (m, a, old ? 0.6 : 0.15);
          CuDemoResource *res;

          res = add_resource (m, a, "snapshot", hex_id (m, "snap-0", 16),
                              cu_demo_model_printf (m, "%s-%s", old ? "manual-backup" : "daily",
                                                    day_text (m, created)),
                              region, ec2, "completed", "standard", &tags, monthly, created);
          res->r.attributes = (char *) cu_demo_model_printf (m,
              "{\"size_gib\":%d,\"source_volume\":\"%s\",\"start_day\":\"%s\",\"tier\":\"standard\"}",
              gib, hex_id (m, "vol-0", 16), day_text (m, created));
          snapshot_monthly[r] += monthly;
        }

      /* snapshots are billed as one line per region */
      for (guint r = 0; r < cu_demo_n_regions; r++)
        if (snapshot_monthly[r] > 0.0)
          {
            CuDemoSeries s = { 0 };

            s.account = a;
            s.service = cu_demo_service_lookup (ec2);
            s.region = r;
            s.charge_category = "Usage";
            s.charge_description = "EBS:SnapshotUsage";
            s.sku_id = cu_demo_model_printf (m, "%s-EBS:SnapshotUsage", cu_demo_regions[r].code);
            s.pricing_unit = "GB-Mo";
            s.unit_price = 0.05 * cu_demo_regions[r].price_factor;
            s.flat = TRUE;
            s.base = snapshot_monthly[r] / HOURS_PER_MONTH * 24.0;
            s.start = m->first_day;
            s.end = m->last_day;
            s.credit_of = -1;
            g_array_append_val (m->series, s);
          }
    }
}

static void
build_databases_balancers (CuDemoModel *m)
{
  for (guint i = 0; i < G_N_ELEMENTS (databases); i++)
    {
      const Database *db = &databases[i];
      const CuDemoAccount *a = &cu_demo_accounts[db->account];
      double factor = cu_demo_regions[cu_demo_region_lookup (db->region)].price_factor;
      double hourly = db->hourly * factor * (db->multi_az ? 2.0 : 1.0);
      double storage = db->storage_gib * 0.115 * factor * (db->multi_az ? 2.0 : 1.0);
      Tags tags = draw_tags (m, db->account, db->idle ? 0.5 : 0.05);
      CuDemoResource *res;

      res = add_resource (m, db->account, "database",
                          cu_demo_model_printf (m, "arn:aws:rds:%s:%s:db:%s", db->region, a->sub_account_id, db->name),
                          db->name, db->region, "Amazon Relational Database Service", "available", db->klass,
                          &tags, hourly * HOURS_PER_MONTH + storage,
                          db->idle ? m->last_day - 700 : draw_created (m, CU_DEMO_PROFILE_NORMAL));
      res->profile = db->idle ? CU_DEMO_PROFILE_IDLE : CU_DEMO_PROFILE_NORMAL;
      res->r.attributes = (char *) cu_demo_model_printf (m,
          "{\"engine\":\"%s\",\"instance_class\":\"%s\",\"multi_az\":%s,\"storage_gib\":%d,"
          "\"storage_type\":\"gp2\",\"hourly_price\":%.4f}",
          db->engine, db->klass, db->multi_az ? "true" : "false", db->storage_gib, hourly);
      add_series (m, res, "Amazon Relational Database Service", "DB Instance",
                  cu_demo_model_printf (m, "%sInstanceUsage:%s", db->multi_az ? "Multi-AZ" : "", db->klass),
                  "Hrs", hourly, hourly * 24.0 + storage / HOURS_PER_MONTH * 24.0, TRUE, 0.0, 0.0, &tags);
    }

  for (guint i = 0; i < G_N_ELEMENTS (balancers); i++)
    {
      const Balancer *lb = &balancers[i];
      const CuDemoAccount *a = &cu_demo_accounts[lb->account];
      double factor = cu_demo_regions[cu_demo_region_lookup (lb->region)].price_factor;
      double fixed = 0.0225 * factor * 24.0;
      double lcu = lb->no_targets ? 0.0 : cu_demo_rng_range (&m->rng, 2.0, 14.0);
      Tags tags = draw_tags (m, lb->account, lb->no_targets ? 0.5 : 0.05);
      CuDemoResource *res;

      res = add_resource (m, lb->account, "load_balancer",
                          cu_demo_model_printf (m, "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/%s/%s/%s",
                                                lb->region, a->sub_account_id, lb->kind[0] == 'a' ? "app" : "net",
                                                lb->name, hex_id (m, "", 16)),
                          lb->name, lb->region, "Elastic Load Balancing", "active", lb->kind, &tags,
                          (fixed + lcu) * 30.44,
                          lb->no_targets ? m->last_day - 800 : draw_created (m, CU_DEMO_PROFILE_NORMAL));
      res->profile = lb->no_targets ? CU_DEMO_PROFILE_IDLE : CU_DEMO_PROFILE_NORMAL;
      res->level = lcu;
      res->r.attributes = (char *) cu_demo_model_printf (m,
          "{\"type\":\"%s\",\"scheme\":\"%s\",\"targets\":%u,\"listeners\":%u}",
          lb->kind, strcmp (lb->name, "internal-grpc") == 0 ? "internal" : "internet-facing",
          lb->no_targets ? 0u : 2 + cu_demo_rng_int (&m->rng, 7), lb->no_targets ? 1u : 2u);
      add_series (m, res, "Elastic Load Balancing", "Load Balancer",
                  lb->kind[0] == 'a' ? "LoadBalancerUsage" : "NLB:LoadBalancerUsage", "Hrs",
                  0.0225 * factor, fixed + lcu, lb->no_targets, 0.025, 0.1, &tags);
    }
}

static void
build_buckets_functions (CuDemoModel *m)
{
  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    {
      const Bucket *b = &buckets[i];
      double monthly = b->size_tib * 1024.0 * 0.023;
      Tags tags = draw_tags (m, b->account, 0.1);
      CuDemoResource *res;

      res = add_resource (m, b->account, "bucket", b->name, b->name, b->region,
                          "Amazon Simple Storage Service", "active", b->storage_class, &tags, monthly,
                          m->first_day - 100 - (CuDay) cu_demo_rng_int (&m->rng, 1000));
      res->profile = CU_DEMO_PROFILE_NORMAL;
      res->level = b->size_tib * 1099511627776.0;
      res->r.attributes = (char *) cu_demo_model_printf (m,
          "{\"size_gib\":%.0f,\"storage_class\":\"%s\",\"objects\":%.0f,\"versioning\":%s,\"lifecycle_rules\":%u}",
          b->size_tib * 1024.0, b->storage_class, b->size_tib * cu_demo_rng_range (&m->rng, 2e5, 3e6),
          cu_demo_rng_double (&m->rng) < 0.5 ? "true" : "false", cu_demo_rng_int (&m->rng, 3));
      add_series (m, res, "Amazon Simple Storage Service", "Bucket", "TimedStorage-ByteHrs", "GB-Mo", 0.023,
                  monthly / 30.44, FALSE, 0.03, 0.0, &tags);
    }

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      const Function *fn = &functions[i];
      const CuDemoAccount *a = &cu_demo_accounts[fn->account];
      double monthly = exp (cu_demo_rng_range (&m->rng, log (5.0), log (600.0)));
      int memory = 128 << cu_demo_rng_int (&m->rng, 5);
      Tags tags = draw_tags (m, fn->account, 0.1);
      CuDemoResource *res;

      res = add_resource (m, fn->account, "function",
                          cu_demo_model_printf (m, "arn:aws:lambda:%s:%s:function:%s", fn->region, a->sub_account_id, fn->name),
                          fn->name, fn->region, "AWS Lambda", "active", cu_demo_model_printf (m, "%d MB", memory),
                          &tags, monthly, draw_created (m, CU_DEMO_PROFILE_NORMAL));
      res->profile = CU_DEMO_PROFILE_NORMAL;
      /* invocations a day, from the cost at ~200 ms per call */
      res->level = monthly / 30.44 / (memory / 1024.0 * 0.2 * 0.0000166667 + 0.0000002);
      res->r.attributes = (char *) cu_demo_model_printf (m,
          "{\"runtime\":\"%s\",\"memory_mb\":%d,\"timeout_s\":%u,\"architecture\":\"%s\"}",
          cu_demo_rng_double (&m->rng) < 0.6 ? "python3.11" : "nodejs18.x", memory,
          3 + cu_demo_rng_int (&m->rng, 60), cu_demo_rng_double (&m->rng) < 0.3 ? "arm64" : "x86_64");
      add_series (m, res, "AWS Lambda", "Function", "Lambda-GB-Second", "GB-Seconds", 0.0000166667,
                  monthly / 30.44, FALSE, 0.03, 0.25, &tags);
    }
}

/* ------------------------------------------------------------------ Azure */

static void
build_azure (CuDemoModel *m)
{
  const guint account = 3;
  const CuDemoAccount *a = &cu_demo_accounts[account];
  const char *region = "westeurope";
  double factor = cu_demo_regions[cu_demo_region_lookup (region)].price_factor;
  static const char * const workloads[] = { "erp-app", "erp-db", "intranet", "bi-gateway", "ad-connector", "file-sync", "build" };

  for (guint i = 0; i < AZURE_VMS; i++)
    {
      CuDemoProfile profile = i % 7 == 1 ? CU_DEMO_PROFILE_IDLE : i % 7 == 4 ? CU_DEMO_PROFILE_OVERSIZED
                                                                           : CU_DEMO_PROFILE_NORMAL;
      const InstanceType *type = profile == CU_DEMO_PROFILE_OVERSIZED
        ? &azure_types[N_SMALL_AZURE_TYPES + cu_demo_rng_int (&m->rng, G_N_ELEMENTS (azure_types) - N_SMALL_AZURE_TYPES)]
        : &azure_types[cu_demo_rng_int (&m->rng, N_SMALL_AZURE_TYPES)];
      const char *workload = workloads[cu_demo_rng_int (&m->rng, G_N_ELEMENTS (workloads))];
      Tags tags = draw_tags (m, account, profile == CU_DEMO_PROFILE_IDLE ? 0.5 : 0.1);
      const char *env = tags.env ? tags.env : "prod";
      const char *group = cu_demo_model_printf (m, "rg-%s-%s", tags.project ? tags.project : "shared", env);
      const char *name = cu_demo_model_printf (m, "vm-%s%s-%02u", profile == CU_DEMO_PROFILE_IDLE ? "old-" : "",
                                               workload, i + 1);
      double hourly = type->hourly * factor;
      CuDay created = draw_created (m, profile);
      gboolean premium = cu_demo_rng_double (&m->rng) < 0.6;
      double disk_monthly = (premium ? 19.71 : 9.60) * factor;
      const char *disk_name = cu_demo_model_printf (m, "%s-osdisk", name);
      const char *vm_id = cu_demo_model_printf (m, "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/virtualMachines/%s",
                                                a->sub_account_id, group, name);
      CuDemoResource *res;

      res = add_resource (m, account, "instance", vm_id, name, region, "Virtual Machines", "running",
                          type->type, &tags, hourly * HOURS_PER_MONTH, created);
      res->profile = profile;
      res->r.attributes = (char *) cu_demo_model_printf (m,
          "{\"vm_size\":\"%s\",\"vcpu\":%d,\"memory_gib\":%d,\"os\":\"%s\",\"resource_group\":\"%s\","
          "\"launch_day\":\"%s\",\"hourly_price\":%.4f}",
          type->type, type->vcpu, type->memory_gib, cu_demo_rng_double (&m->rng) < 0.6 ? "Windows" : "Linux",
          group, day_text (m, created), hourly);
      add_series (m, res, "Virtual Machines", "Virtual Machine", type->type, "1 Hour", hourly,
                  hourly * 24.0, TRUE, 0.0, 0.0, &tags);

      res = add_resource (m, account, "volume",
                          cu_demo_model_printf (m, "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Compute/disks/%s",
                                                a->sub_account_id, group, disk_name),
                          disk_name, region, "Storage", "in-use", premium ? "Premium_LRS" : "StandardSSD_LRS",
                          &tags, disk_monthly, created);
      res->profile = profile == CU_DEMO_PROFILE_IDLE ? CU_DEMO_PROFILE_IDLE : CU_DEMO_PROFILE_NORMAL;
      res->r.attributes = (char *) cu_demo_model_printf (m,
          "{\"sku\":\"%s\",\"tier\":\"%s\",\"size_gib\":128,\"attached_to\":\"%s\"}",
          premium ? "Premium_LRS" : "StandardSSD_LRS", premium ? "P10" : "E10", vm_id);
      add_series (m, res, "Storage", "Disk", premium ? "P10 LRS Disk" : "E10 LRS Disk", "1/Month",
                  disk_monthly, disk_monthly / 30.44, TRUE, 0.0, 0.0, &tags);
    }

  for (guint i = 0; i < AZURE_UNATTACHED_DISKS; i++)
    {
      static const struct { const char *tier; int gib; double monthly; } disks[] = {
        { "P20", 512, 73.22 }, { "P15", 256, 38.02 }, { "E15", 256, 19.20 },
      };
      Tags tags = draw_tags (m, account, 0.6);
      const char *name = cu_demo_model_printf (m, "disk-detached-%s-%u", workloads[cu_demo_rng_int (&m->rng, 7)], i + 1);
      double monthly = disks[i].monthly * factor;
      CuDemoResource *res;

      res = add_resource (m, account, "volume",
                          cu_demo_model_printf (m, "/subscriptions/%s/resourceGroups/rg-shared-prod/providers/Microsoft.Compute/disks/%s",
                                                a->sub_account_id, name),
                          name, region, "Storage", "available",
                          disks[i].tier[0] == 'P' ? "Premium_LRS" : "StandardSSD_LRS", &tags, monthly,
                          m->last_day - 120 - (CuDay) cu_demo_rng_int (&m->rng, 500));
      res->r.attributes = (char *) cu_demo_model_printf (m,
          "{\"sku\":\"%s\",\"tier\":\"%s\",\"size_gib\":%d,\"attached_to\":null}",
          disks[i].tier[0] == 'P' ? "Premium_LRS" : "StandardSSD_LRS", disks[i].tier, disks[i].gib);
      add_series (m, res, "Storage", "Disk", cu_demo_model_printf (m, "%s LRS Disk", disks[i].tier), "1/Month",
                  monthly, monthly / 30.44, TRUE, 0.0, 0.0, &tags);
    }
}

/**
 * cu_demo_inventory_build:
 *
 * Adds the resources and their cost series to @model.
 */
void
cu_demo_inventory_build (CuDemoModel *m)
{
  build_instances (m);
  build_volumes_addresses_snapshots (m);
  build_databases_balancers (m);
  build_buckets_functions (m);
  build_azure (m);
}

/* ------------------------------------------------------------------ metrics */

typedef struct {
  CuInventoryWriter *writer;
  gint64             id;
  CuDemoRng          rng;
} MetricCtx;

static double
jitter (MetricCtx *c, double spread)
{
  return MAX (0.0, 1.0 + spread * cu_demo_rng_normal (&c->rng));
}

static gboolean
put (MetricCtx *c, const char *metric, CuDay day, double value, gboolean has_max, double max, GError **error)
{
  return cu_inventory_writer_put_metric (c->writer, c->id, metric, day, value, has_max, MAX (max, value), error);
}

static gboolean
write_metrics (CuDemoModel *m, const CuDemoResource *res, MetricCtx *c, GError **error)
{
  const char *type = res->r.resource_type;
  CuDemoProfile p = res->profile;
  CuDay first = MAX (m->last_day - METRIC_DAYS + 1, res->r.created_day);
  double cpu_level, net_level;

  if (p == CU_DEMO_PROFILE_NONE)
    return TRUE;

  cpu_level = p == CU_DEMO_PROFILE_IDLE ? cu_demo_rng_range (&c->rng, 0.3, 1.5)
            : p == CU_DEMO_PROFILE_OVERSIZED ? cu_demo_rng_range (&c->rng, 4.0, 9.0)
            : cu_demo_rng_range (&c->rng, 25.0, 65.0);
  net_level = p == CU_DEMO_PROFILE_IDLE ? cu_demo_rng_range (&c->rng, 1e5, 3e6)
            : p == CU_DEMO_PROFILE_OVERSIZED ? cu_demo_rng_range (&c->rng, 2e8, 2e9)
            : cu_demo_rng_range (&c->rng, 5e9, 5e10);

  for (CuDay day = first; day <= m->last_day; day++)
    {
      gboolean weekend = cu_day_weekday (day) >= 6;
      double wk = weekend ? 0.8 : 1.0;

      if (strcmp (type, "instance") == 0)
        {
          double avg, max;

          if (p == CU_DEMO_PROFILE_IDLE)
            {
              avg = MAX (0.05, cpu_level * jitter (c, 0.2));
              max = MIN (2.9, avg + cu_demo_rng_range (&c->rng, 0.2, 1.2));
            }
          else if (p == CU_DEMO_PROFILE_OVERSIZED)
            {
              avg = cpu_level * wk * jitter (c, 0.15);
              max = MIN (19.5, avg * cu_demo_rng_range (&c->rng, 1.5, 2.2));
            }
          else
            {
              avg = MIN (90.0, cpu_level * wk * jitter (c, 0.1));
              max = MIN (99.0, avg * cu_demo_rng_range (&c->rng, 1.4, 1.9));
            }
          if (!put (c, "cpu_percent", day, avg, TRUE, max, error) ||
              !put (c, "network_bytes", day, floor (net_level * wk * jitter (c, 0.2)), FALSE, 0, error))
            return FALSE;
        }
      else if (strcmp (type, "volume") == 0)
        {
          double avg = p == CU_DEMO_PROFILE_IDLE ? cu_demo_rng_range (&c->rng, 0.05, 0.5)
                                                 : cpu_level * 4.0 * wk * jitter (c, 0.2);
          if (!put (c, "iops", day, avg, TRUE, avg * cu_demo_rng_range (&c->rng, 2.0, 4.0), error))
            return FALSE;
        }
      else if (strcmp (type, "database") == 0)
        {
          double conns = p == CU_DEMO_PROFILE_IDLE ? 0.0 : cpu_level * 2.5 * wk * jitter (c, 0.1);
          double conn_max = p == CU_DEMO_PROFILE_IDLE ? (cu_demo_rng_double (&c->rng) < 0.1 ? 1.0 : 0.0)
                                                      : conns * 1.6;
          double cpu = p == CU_DEMO_PROFILE_IDLE ? cu_demo_rng_range (&c->rng, 1.0, 3.0)
                                                 : cpu_level * 0.7 * wk * jitter (c, 0.1);
          if (!put (c, "connections", day, floor (conns * 10) / 10, TRUE, conn_max, error) ||
              !put (c, "cpu_percent", day, cpu, TRUE, MIN (99.0, cpu * 1.5), error))
            return FALSE;
        }
      else if (strcmp (type, "load_balancer") == 0)
        {
          double requests = p == CU_DEMO_PROFILE_IDLE ? 0.0 : floor (res->level * 2.5e5 * wk * jitter (c, 0.1));
          double targets = p == CU_DEMO_PROFILE_IDLE ? 0.0 : 2.0 + floor (cpu_level / 10.0);

          if (!put (c, "request_count", day, requests, TRUE, floor (requests / 24.0 * 2.5), error) ||
              !put (c, "healthy_targets", day, targets, FALSE, 0, error))
            return FALSE;
        }
      else if (strcmp (type, "function") == 0)
        {
          if (!put (c, "invocations", day, floor (res->level * (weekend ? 0.75 : 1.0) * jitter (c, 0.08)), FALSE, 0, error))
            return FALSE;
        }
      else if (strcmp (type, "bucket") == 0)
        {
          double bytes = floor (res->level * exp (-0.03 / 30.44 * (m->last_day - day)));

          if (!put (c, "bucket_bytes", day, bytes, FALSE, 0, error))
            return FALSE;
        }
    }
  return TRUE;
}

/**
 * cu_demo_inventory_write:
 * @account_ids: ledger ids of cu_demo_accounts, in order
 *
 * Writes the model's resources and their metrics in one transaction.
 */
gboolean
cu_demo_inventory_write (CuDemoModel   *m,
                         CuLedger      *ledger,
                         const gint64  *account_ids,
                         GCancellable  *cancellable,
                         GError       **error)
{
  CuInventoryWriter *writer = cu_inventory_writer_begin (ledger, error);

  if (writer == NULL)
    return FALSE;

  for (guint i = 0; i < m->resources->len; i++)
    {
      CuDemoResource *res = &g_array_index (m->resources, CuDemoResource, i);
      MetricCtx c = { writer, 0, { { 0 } } };

      if (i % 32 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;

      res->r.account_id = account_ids[res->account];
      c.id = cu_inventory_writer_put (writer, &res->r, error);
      if (c.id == 0)
        goto fail;
      cu_demo_rng_init (&c.rng, m->seed ^ cu_demo_mix (G_GUINT64_CONSTANT (0xC0FFEE) + i));
      if (!write_metrics (m, res, &c, error))
        goto fail;
    }
  return cu_inventory_writer_commit (writer, error);

fail:
  cu_inventory_writer_abort (writer);
  return FALSE;
}
