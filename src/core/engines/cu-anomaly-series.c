/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-anomaly-series.c — anomaly scores for a series read from a file
 *
 * Every choice here is made online, so that a row's score never depends
 * on later rows, which is what a prefix of the file must show:
 *
 *   the interval  the median gap between the first 28 rows (before them
 *                 every score is 0 anyway: the warm-up is at least 28)
 *   the season    a week for daily data, the reader's for weekly and
 *                 monthly data; below a day, at any interval (7 minutes,
 *                 uneven times), a day and a week are both scored until
 *                 four weeks have passed, then the week goes on alone if
 *                 a week ago predicted weeks 2–4 clearly better than a
 *                 day ago (office hours and quiet weekends), else the
 *                 day; before that a day, its flags kept only where the
 *                 week agrees once a week ago predicts better so far
 */
#define G_LOG_DOMAIN "cumulus-anomaly"

#include "cu-anomaly-series.h"
#include "cu-stats.h"

#include <math.h>

#define DAY 86400.0
#define WEEK (7 * DAY)
#define STEP_ROWS 28           /* rows that fix the interval */
#define DECIDE_AFTER (4 * WEEK)
#define WEEK_MUST_WIN 0.9      /* the week's error against the day's */

/* Times in seconds from the first row, as written. */
static double *
relative_times (const CuSeries *series)
{
  gsize n = cu_series_get_n (series);
  double *t = g_new (double, MAX (n, 1));
  gint64 t0 = cu_series_get_time (series, 0);

  for (gsize i = 0; i < n; i++)
    t[i] = (double) (cu_series_get_time (series, i) - t0);
  return t;
}

/* The median of the positive gaps among the first rows: the interval,
 * whatever repeats, gaps and jitter the export has. */
static double
first_step (const double *t,
            gsize         n)
{
  double gaps[STEP_ROWS];
  gsize k = 0;

  for (gsize i = 1; i < MIN (n, STEP_ROWS); i++)
    if (t[i] > t[i - 1])
      gaps[k++] = t[i] - t[i - 1];
  return k > 0 ? cu_stats_median (gaps, k) : DAY;
}

/* The row before @before nearest @target within half a step, in the
 * non-decreasing @sorted times; -1 when none. */
static gssize
row_near (const double *sorted,
          gsize         before,
          double        target,
          double        step)
{
  gsize lo = 0, hi = before;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (sorted[mid] < target)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < before && fabs (sorted[lo] - target) <= 0.5 * step
      && (lo == 0 || fabs (sorted[lo] - target) <= fabs (sorted[lo - 1] - target)))
    return (gssize) lo;
  if (lo > 0 && fabs (sorted[lo - 1] - target) <= 0.5 * step)
    return (gssize) lo - 1;
  return -1;
}

static void
options_for (CuAnomalyOptions *options,
             double            step,
             double            period)
{
  cu_anomaly_options_init (options, (guint) CLAMP (round (period / step), 1, G_MAXINT));
  options->step = step;
  options->period = period;
}

/* Scores @series and tells the interval and the season it used (the one
 * chosen by the end of the file). */
static void
detect (const CuSeries *series,
        guint           season,
        double         *expected,
        double         *score,
        gboolean       *is_anomaly,
        double         *out_step,
        double         *out_period)
{
  gsize n = cu_series_get_n (series);
  const double *y = cu_series_get_values (series);
  g_autofree double *t = relative_times (series);
  g_autofree double *sorted = g_new (double, MAX (n, 1));
  g_autoptr(CuAnomalyDetector) daily = NULL;
  g_autoptr(CuAnomalyDetector) weekly = NULL;
  CuAnomalyOptions options;
  double step = first_step (t, n), period;
  double day_err = 0.0, week_err = 0.0;
  gboolean decided;

  if (season > 0)
    period = season * step;
  else if (step >= 2.5 * DAY)
    period = cu_series_infer_season (series) * step;
  else if (step >= 0.98 * DAY)
    period = fabs (step - DAY) <= 0.02 * DAY ? WEEK : step;
  else
    period = DAY;
  period = MAX (period, step);

  options_for (&options, step, period);
  daily = cu_anomaly_detector_new (&options);
  /* the week as a rival only where a day is the default */
  decided = !(season == 0 && period == DAY && step < DAY);
  if (!decided)
    {
      CuAnomalyOptions week_options;

      options_for (&week_options, step, WEEK);
      weekly = cu_anomaly_detector_new (&week_options);
    }

  for (gsize i = 0; i < n; i++)
    {
      double e = 0.0, s = 0.0;
      gboolean a = FALSE;

      if (!decided && t[i] >= DECIDE_AFTER)
        {
          decided = TRUE;
          if (week_err < WEEK_MUST_WIN * day_err)
            {
              g_clear_pointer (&daily, cu_anomaly_detector_free);
              daily = g_steal_pointer (&weekly);
              period = WEEK;
            }
          else
            g_clear_pointer (&weekly, cu_anomaly_detector_free);
        }
      a = cu_anomaly_detector_push_at (daily, t[i], y[i], &e, &s);
      if (weekly != NULL)
        {
          gssize jd, jw;
          double ws;
          gboolean wa = cu_anomaly_detector_push_at (weekly, t[i], y[i], NULL, &ws);

          /* while the week looks better so far, the day's verdicts on
           * the weekend are not to be trusted: the week's (quiet in its
           * warm-up) must agree */
          if (week_err < WEEK_MUST_WIN * day_err)
            {
              s = MIN (s, ws);
              a = a && wa;
            }
          /* weeks 2–4: how well a day ago and a week ago predict the row
           * (a weekly cycle shows on the weekend's edges, two days in
           * seven, so the mean and not a median) */
          if (t[i] >= WEEK && (jd = row_near (sorted, i, t[i] - DAY, step)) >= 0
              && (jw = row_near (sorted, i, t[i] - WEEK, step)) >= 0)
            {
              day_err += fabs (y[i] - y[jd]);
              week_err += fabs (y[i] - y[jw]);
            }
        }
      sorted[i] = i > 0 ? MAX (t[i], sorted[i - 1]) : t[i];
      if (expected)
        expected[i] = e;
      if (score)
        score[i] = s;
      if (is_anomaly)
        is_anomaly[i] = a;
    }
  *out_step = step;
  *out_period = period;
}

/**
 * cu_anomaly_series_cadence:
 * @series: a series
 * @season: the season in periods as the user gave it, or 0 to infer it
 * @out_step: (out): the interval in seconds
 * @out_period: (out): the season's length in seconds by the end of the
 *   file; equal to the step when there is none
 *
 * Tells the interval and season cu_anomaly_series_detect() uses (see the
 * top of this file); this scores the series to find them.
 */
void
cu_anomaly_series_cadence (const CuSeries *series,
                           guint           season,
                           double         *out_step,
                           double         *out_period)
{
  g_return_if_fail (series != NULL);
  g_return_if_fail (out_step != NULL && out_period != NULL);

  detect (series, season, NULL, NULL, NULL, out_step, out_period);
}

/**
 * cu_anomaly_series_options:
 * @series: a series
 * @season: the season in periods, or 0 to infer it
 * @options: (out caller-allocates): engine options for @series, with the
 *   season it has by the end of the file
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
  options_for (options, step, period);
}

/**
 * cu_anomaly_series_detect:
 * @series: a series, rows in file order
 * @season: the season in periods, or 0 to infer it
 * @expected: (out caller-allocates) (nullable): one baseline per row
 * @score: (out caller-allocates) (nullable): one score per row
 * @is_anomaly: (out caller-allocates) (nullable): one flag per row
 *
 * Scores every row of @series online, at its time: row i's outputs depend
 * on rows 0 … i only.
 */
void
cu_anomaly_series_detect (const CuSeries *series,
                          guint           season,
                          double         *expected,
                          double         *score,
                          gboolean       *is_anomaly)
{
  double step, period;

  g_return_if_fail (series != NULL);

  detect (series, season, expected, score, is_anomaly, &step, &period);
}
