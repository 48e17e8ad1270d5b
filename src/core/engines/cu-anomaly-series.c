/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-anomaly-series.c — anomaly scores for a series read from a file */
#define G_LOG_DOMAIN "cumulus-anomaly"

#include "cu-anomaly-series.h"
#include "cu-stats.h"

#include <math.h>

#define DAY 86400.0
#define WEEK (7 * DAY)
#define MAX_SAMPLES 4000       /* rows compared when choosing a cycle */

/* Times in seconds from the first row, as written; with @sorted, made
 * non-decreasing (a row a little early counts at the time above it). */
static double *
relative_times (const CuSeries *series,
                gboolean        sorted)
{
  gsize n = cu_series_get_n (series);
  double *t = g_new (double, MAX (n, 1));
  gint64 t0 = cu_series_get_time (series, 0);

  for (gsize i = 0; i < n; i++)
    {
      t[i] = (double) (cu_series_get_time (series, i) - t0);
      if (sorted && i > 0 && t[i] < t[i - 1])
        t[i] = t[i - 1];
    }
  return t;
}

/* The median of the positive gaps: the interval, whatever repeats, gaps
 * and jitter the export has. */
static double
median_step (const double *t,
             gsize         n)
{
  g_autofree double *gaps = g_new (double, MAX (n, 1));
  gsize k = 0;

  for (gsize i = 1; i < n; i++)
    if (t[i] > t[i - 1])
      gaps[k++] = t[i] - t[i - 1];
  return k > 0 ? cu_stats_median (gaps, k) : DAY;
}

/* Mean |y(t) − y(t − lag)| over rows that have a row within half a step
 * of t − lag (and, when @from_time is given, only from that time on so two
 * lags are judged on the same rows). */
static double
lag_error (const double *t,
           const double *y,
           gsize         n,
           double        step,
           double        lag,
           double        from_time)
{
  g_autofree double *err = g_new (double, MAX_SAMPLES);
  gsize k = 0, stride, j = 0;

  stride = MAX (n / MAX_SAMPLES, 1);
  for (gsize i = 0; i < n && k < MAX_SAMPLES; i += stride)
    {
      double target = t[i] - lag;

      if (t[i] < from_time || target < t[0] - 0.5 * step)
        continue;
      while (j + 1 < i && t[j + 1] <= target)
        j++;
      /* j is the last row at or before target; j + 1 may be nearer */
      {
        gsize best = j;

        if (j + 1 < i && fabs (t[j + 1] - target) < fabs (t[j] - target))
          best = j + 1;
        if (fabs (t[best] - target) <= 0.5 * step)
          err[k++] = fabs (y[i] - y[best]);
      }
    }
  /* the mean, not the median: a weekly cycle shows on two days in seven
   * (the weekend's edges), which a median would not see */
  if (k < 20)
    return INFINITY;
  {
    double sum = 0.0;

    for (gsize q = 0; q < k; q++)
      sum += err[q];
    return sum / k;
  }
}

/**
 * cu_anomaly_series_cadence:
 * @series: a series
 * @season: the season in periods as the user gave it, or 0 to infer it
 * @out_step: (out): the interval in seconds (the median gap between rows)
 * @out_period: (out): the season's length in seconds; equal to the step
 *   when there is no season
 *
 * The season follows the interval where it says enough: a week for daily
 * data, a year for weekly and monthly data. For anything shorter than a
 * day, even at an unusual interval (7 minutes, or uneven times), the cycle
 * is a day, or a week when the data repeat better from week to week than
 * from day to day (office hours, weekend traffic).
 */
void
cu_anomaly_series_cadence (const CuSeries *series,
                           guint           season,
                           double         *out_step,
                           double         *out_period)
{
  gsize n;
  g_autofree double *t = NULL;
  double step, period;

  g_return_if_fail (series != NULL);
  g_return_if_fail (out_step != NULL && out_period != NULL);

  n = cu_series_get_n (series);
  t = relative_times (series, TRUE);
  step = median_step (t, n);

  if (season > 0)
    period = season * step;
  else if (step >= 2.5 * DAY)
    period = cu_series_infer_season (series) * step;
  else if (step >= 0.98 * DAY)
    period = fabs (step - DAY) <= 0.02 * DAY ? WEEK : step;
  else
    {
      const double *y = cu_series_get_values (series);
      double day_err, week_err;

      period = DAY;
      /* a weekly cycle needs three weeks to show, and must beat the
       * daily one clearly on the same rows */
      if (t[n - 1] - t[0] >= 3 * WEEK)
        {
          day_err = lag_error (t, y, n, step, DAY, t[0] + WEEK);
          week_err = lag_error (t, y, n, step, WEEK, t[0] + WEEK);
          if (week_err < 0.8 * day_err)
            period = WEEK;
        }
    }
  *out_step = step;
  *out_period = MAX (period, step);
}

/**
 * cu_anomaly_series_options:
 * @series: a series
 * @season: the season in periods, or 0 to infer it
 * @options: (out caller-allocates): the engine options for @series
 *
 * Fills @options for scoring @series with times in seconds from its first
 * row.
 */
void
cu_anomaly_series_options (const CuSeries   *series,
                           guint             season,
                           CuAnomalyOptions *options)
{
  double step, period;

  g_return_if_fail (series != NULL);
  g_return_if_fail (options != NULL);

  cu_anomaly_series_cadence (series, season, &step, &period);
  cu_anomaly_options_init (options, (guint) CLAMP (round (period / step), 1, G_MAXINT));
  options->step = step;
  options->period = period;
}

/**
 * cu_anomaly_series_detect:
 * @series: a series, rows in file order
 * @season: the season in periods, or 0 to infer it
 * @expected: (out caller-allocates) (nullable): one baseline per row
 * @score: (out caller-allocates) (nullable): one score per row
 * @is_anomaly: (out caller-allocates) (nullable): one flag per row
 *
 * Scores every row of @series online, at its time.
 */
void
cu_anomaly_series_detect (const CuSeries *series,
                          guint           season,
                          double         *expected,
                          double         *score,
                          gboolean       *is_anomaly)
{
  CuAnomalyOptions options;
  g_autofree double *t = NULL;

  g_return_if_fail (series != NULL);

  cu_anomaly_series_options (series, season, &options);
  t = relative_times (series, FALSE);
  cu_anomaly_detect_at (t, cu_series_get_values (series), cu_series_get_n (series),
                        &options, expected, score, is_anomaly);
}
