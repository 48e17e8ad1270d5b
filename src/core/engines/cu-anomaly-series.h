/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-anomaly-series.h — anomaly scores for a series read from a file
 *
 * Ties the series reader to the anomaly engine for `cumulus-cli anomalies
 * --input`: the interval and the season are taken from the times (and from
 * the data where the interval alone does not say), and every row is scored
 * at its own time, so gaps, uneven intervals and repeated times need no
 * special care from the caller.
 */
#pragma once

#include <glib.h>

#include "cu-anomaly.h"
#include "cu-series.h"

G_BEGIN_DECLS

void cu_anomaly_series_cadence (const CuSeries *series,
                                guint           season,
                                double         *out_step,
                                double         *out_period);
void cu_anomaly_series_options (const CuSeries   *series,
                                guint             season,
                                CuAnomalyOptions *options);
void cu_anomaly_series_detect  (const CuSeries   *series,
                                guint             season,
                                double           *expected,
                                double           *score,
                                gboolean         *is_anomaly);

G_END_DECLS
