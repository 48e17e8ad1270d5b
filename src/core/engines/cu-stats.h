/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-stats.h — small numeric helpers shared by the analytics engines
 *
 * Plain functions over arrays of doubles: robust location and spread, and
 * the normal distribution the prediction intervals and anomaly scores use.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double cu_stats_median         (double       *values,
                                gsize         n);
double cu_stats_median_const   (const double *values,
                                gsize         n,
                                double       *scratch);
double cu_stats_mad            (const double *values,
                                gsize         n,
                                double       *scratch,
                                double       *out_median);
double cu_stats_normal_cdf     (double        x);
double cu_stats_normal_quantile (double       p);

G_END_DECLS
