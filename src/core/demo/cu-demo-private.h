/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-demo-private.h — shared by the demo generator's files
 *
 * The generator first builds a model in memory (cost series, events,
 * resources), all drawn from one seeded PRNG in a fixed order, then writes
 * it. Per-day noise comes from a counter-based hash of (seed, series, day)
 * so the written values do not depend on the order they are written in.
 */
#pragma once

#include "demo/cu-demo.h"
#include "store/cu-inventory.h"
#include "store/cu-ledger.h"

G_BEGIN_DECLS

#define CU_DEMO_GENERATOR_VERSION "1"
#define CU_DEMO_DAYS 548

/* ---- PRNG: xoshiro256** seeded by splitmix64, independent of GLib ---- */

typedef struct {
  guint64 s[4];
} CuDemoRng;

guint64 cu_demo_mix        (guint64 x);
void    cu_demo_rng_init   (CuDemoRng *rng, guint64 seed);
guint64 cu_demo_rng_next   (CuDemoRng *rng);
double  cu_demo_rng_double (CuDemoRng *rng);               /* [0, 1) */
double  cu_demo_rng_range  (CuDemoRng *rng, double lo, double hi);
guint   cu_demo_rng_int    (CuDemoRng *rng, guint n);      /* [0, n) */
double  cu_demo_rng_normal (CuDemoRng *rng);               /* ≈ N(0, 1) */
char   *cu_demo_rng_hex    (CuDemoRng *rng, guint n_chars); /* lower-case hex */

/* ---- the catalogue ---- */

enum { DEMO_AWS, DEMO_AZURE };

typedef struct {
  const char *name;           /* ledger account name */
  guint       provider;       /* DEMO_AWS | DEMO_AZURE */
  const char *sub_account_id;
  const char *billing_account_id;
  const char *billing_account_name;
  double      daily_target;   /* USD per day on the first day */
  double      weekly_scale;   /* how much more the weekend dips here */
  const char * const *envs;
  const char * const *teams;
  const char * const *projects;
} CuDemoAccount;

typedef struct {
  const char *id;
  const char *name;
  const char *code;           /* AWS usage-type prefix */
  double      price_factor;
} CuDemoRegion;

typedef struct {
  const char *name;
  const char *category;
  const char *subcategory;
  guint       provider;
  double      weekly;         /* weekend dip, fraction */
  double      noise;          /* relative standard deviation */
  double      growth;         /* monthly growth on top of the company's */
  const char *usage_type;
  const char *unit;
  double      unit_price;
} CuDemoService;

extern const CuDemoAccount cu_demo_accounts[];
extern const guint         cu_demo_n_accounts;
extern const CuDemoRegion  cu_demo_regions[];
extern const guint         cu_demo_n_regions;
extern const CuDemoService cu_demo_services[];
extern const guint         cu_demo_n_services;

guint cu_demo_service_lookup (const char *name);
guint cu_demo_region_lookup  (const char *id);

/* ---- the model ---- */

typedef struct {
  guint       account, service, region;
  const char *resource_id;     /* NULL for aggregated usage */
  const char *resource_name;
  const char *resource_type;
  const char *charge_category; /* "Usage" | "Credit" */
  const char *charge_description;
  const char *sku_id;
  const char *pricing_unit;    /* NULL: the service's */
  double      unit_price;      /* 0: the service's */
  gboolean    flat;            /* fixed price: no growth, seasonality or anomalies */
  double      weight;          /* aggregated series: share before scaling */
  double      base;            /* USD per day on the start day */
  double      growth;          /* per day, logarithmic */
  double      weekly;          /* weekend dip */
  double      noise;
  CuDay       start, end;      /* active days, inclusive */
  int         credit_of;       /* Credit: -1 or the series it refunds a share of */
  double      credit_share;
  guint       n_tags;
  const char *tag_keys[3];
  const char *tag_values[3];
} CuDemoSeries;

typedef struct {
  const char *kind;            /* "anomaly" | "step_change" */
  CuDay       day;
  guint       n_days;          /* anomaly length; step changes last */
  guint       account, service, region;
  double      factor;          /* multiplier on the series' usage */
  double      new_daily;       /* step change that starts a service: USD/day */
  const char *summary;
} CuDemoEvent;

typedef enum {
  CU_DEMO_PROFILE_NORMAL,
  CU_DEMO_PROFILE_IDLE,
  CU_DEMO_PROFILE_OVERSIZED,
  CU_DEMO_PROFILE_NONE,        /* no metrics: stopped, unattached … */
} CuDemoProfile;

typedef struct {
  CuResource    r;             /* strings live in the model's chunk */
  guint         account;
  CuDemoProfile profile;
  double        level;         /* profile-specific: CPU %, requests/day … */
} CuDemoResource;

typedef struct {
  guint64       seed;
  CuDay         first_day, last_day;
  GStringChunk *strings;
  GArray       *series;        /* of CuDemoSeries */
  GArray       *events;        /* of CuDemoEvent */
  GArray       *resources;     /* of CuDemoResource */
  CuDemoRng     rng;
} CuDemoModel;

const char *cu_demo_model_intern (CuDemoModel *model, const char *text);
const char *cu_demo_model_printf (CuDemoModel *model, const char *format, ...) G_GNUC_PRINTF (2, 3);
void        cu_demo_series_set_tags (CuDemoSeries *series, const char *team,
                                     const char *env, const char *project); /* team NULL: untagged */

/* cu-demo-inventory.c */
void     cu_demo_inventory_build (CuDemoModel *model);
gboolean cu_demo_budgets_write (CuLedger *ledger,
                                CuDay     end_day,
                                GError  **error);
gboolean cu_demo_inventory_write (CuDemoModel   *model,
                                  CuLedger      *ledger,
                                  const gint64  *account_ids,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
