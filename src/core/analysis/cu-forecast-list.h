/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-forecast-list.h — the stored forecasts, read back for display
 *
 * cu_analysis_run() stores one forecast per daily series; this reads the
 * points of one series kind back, as `cumulus-cli forecast` prints them.
 */
#pragma once

#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  char   *series_key;  /* "" for the total, else the account or service */
  CuDay   day;
  double  mean;        /* currency units */
  double  lo80, hi80;
  double  lo95, hi95;
  char   *currency;
} CuForecastPoint;

void        cu_forecast_point_free      (CuForecastPoint *point);

GPtrArray  *cu_analysis_list_forecasts  (CuLedger    *ledger,
                                         const char  *series_kind,
                                         guint        horizon,
                                         GError     **error);

G_END_DECLS
