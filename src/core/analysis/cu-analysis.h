/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-analysis.h — forecasts and anomalies over the ledger's daily series
 *
 * Reads daily series (the total, each cloud account, each service) from the
 * rollups, runs the engines in src/core/engines/ and stores the results in
 * the ledger. Meant for worker threads: one ledger connection per thread.
 */
#pragma once

#include <gio/gio.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

/* smallest daily dollar impact that may be flagged as an anomaly */
#define CU_ANALYSIS_MIN_IMPACT 50.0
/* a series needs this many days of history before it may raise an
 * anomaly; until CU_ANALYSIS_FULL_HISTORY it is judged with a wider range */
#define CU_ANALYSIS_YOUNG_HISTORY 7
#define CU_ANALYSIS_FULL_HISTORY 28
#define CU_ANALYSIS_HORIZON 90

typedef struct {
  char   *kind;      /* "total", "account", "service" */
  char   *key;       /* "" for the total */
  char   *currency;
  CuDay   first;     /* day of values[0] */
  guint   n;
  double *values;    /* currency units, BilledCost per day, 0 for days without cost */
} CuDailySeries;

void        cu_daily_series_free      (CuDailySeries *series);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuDailySeries, cu_daily_series_free)

GPtrArray  *cu_analysis_load_series   (CuLedger     *ledger,
                                       const char   *kind,
                                       guint         max_series,
                                       CuDay         as_of,
                                       GError      **error);

typedef struct {
  guint   n_series;
  guint   n_anomalies;      /* flagged in the whole history */
  guint   n_new_anomalies;  /* not seen by an earlier run */
  guint   n_incidents;      /* the anomalies grouped into events */
  double  forecast_seconds;
  double  anomaly_seconds;
  double  incident_seconds;
} CuAnalysisStats;

gboolean    cu_analysis_run           (CuLedger        *ledger,
                                       CuDay            as_of,
                                       GCancellable    *cancellable,
                                       CuAnalysisStats *stats,
                                       GError         **error);

typedef struct {
  CuDay   start, end;        /* the period, inclusive */
  CuDay   actual_through;    /* last day of actuals */
  double  actual;            /* spend to date */
  double  mean;              /* actual + forecast for the rest */
  double  lo80, hi80, lo95, hi95;
  char   *model;             /* forecast model used, or NULL for actuals only */
} CuProjection;

gboolean    cu_analysis_project       (CuLedger      *ledger,
                                       const char    *kind,
                                       const char    *key,
                                       CuDay          start,
                                       CuDay          end,
                                       CuProjection  *out,
                                       GError       **error);

typedef struct {
  gint64  id;
  char   *series_kind;
  char   *series_key;
  CuDay   day;
  gint64  expected;   /* micro-units */
  gint64  actual;
  gint64  impact;
  double  impact_pct;
  double  score;
  char   *currency;
  char   *status;     /* new, acknowledged, dismissed */
  gint64  incident_id; /* 0 until grouped */
  gboolean young;     /* the series had under four weeks of history: the
                       * expected range was the wider one of a young series */
} CuAnomaly;

void        cu_anomaly_free           (CuAnomaly *anomaly);
GPtrArray  *cu_analysis_list_anomalies (CuLedger  *ledger,
                                        gboolean   include_dismissed,
                                        GError   **error);
gboolean    cu_analysis_set_anomaly_status (CuLedger   *ledger,
                                            gint64      id,
                                            const char *status,
                                            GError    **error);

G_END_DECLS
