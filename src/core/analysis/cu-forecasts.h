/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-forecasts.h — the forecasts an analysis run stored, read back
 *
 * cu_analysis_run() fits one model per series and stores its daily
 * forecast with 80 % and 95 % prediction intervals (tables forecast_models
 * and forecasts); this reads them for the Forecast page and the CLI.
 */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  char   *series_kind;    /* "total", "account", "service" */
  char   *series_key;     /* "" for the total */
  char   *model;          /* e.g. "ETS(A,Ad,A)" */
  char   *currency;
  CuDay   history_from;   /* the history the model was fitted on */
  CuDay   history_to;
  char   *computed_at;    /* "YYYY-MM-DDTHH:MM:SSZ" */
} CuStoredForecast;

typedef struct {
  CuDay   day;
  double  mean;           /* currency units; may be below 0 */
  double  lo80, hi80;
  double  lo95, hi95;
} CuForecastPoint;

void        cu_stored_forecast_free   (CuStoredForecast *forecast);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuStoredForecast, cu_stored_forecast_free)

GPtrArray  *cu_forecasts_list         (CuLedger    *ledger,
                                       GError     **error); /* of CuStoredForecast */
GArray     *cu_forecasts_get_points   (CuLedger    *ledger,
                                       const char  *series_kind,
                                       const char  *series_key,
                                       CuDay        after,
                                       guint        max_days,
                                       GError     **error); /* of CuForecastPoint */

G_END_DECLS
