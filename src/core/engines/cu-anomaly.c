/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-anomaly.c — online, seasonality-aware anomaly scoring
 *
 * For point i at time t, with season length P in time and nominal step h:
 *
 *   M(t)      = median of the points in [t − W, t) (W a whole number of
 *               seasons, at least 14 steps): a level that ignores spikes
 *   c_k       = y(t − k P) + M(t) − M(t − k P), k = 1 … 7: past seasons'
 *               value at the same phase (the row nearest that time, within
 *               h / 2), moved to today's level
 *   base      = median_k c_k
 *   r         = y − base, the raw residual; each is kept with the level M
 *               it was measured at, q = r + M
 *   local     = median of the last 7 q, less M(t): the local level, which
 *               follows a level shift within four points; because q keeps
 *               its level, a later jump of M (which moves base as much)
 *               leaves no step behind
 *   expected  = base + local + median of recent innovations
 *   innovation e = r − local; spread = max(1.4826 · MAD(recent e), floor),
 *               or the MAD of the last 21 alone when it is twice as wide
 *               (a series flat until recently must not be judged by that)
 *   z         = (y − expected) / spread
 *   drift     = local level now (this point included) less the same D
 *               points ago, over the usual spread of that difference: a
 *               slow drift that the local level would otherwise absorb
 *   score     = the posterior probability of an anomaly given z, or given
 *               0.65 · the drift's z if that is larger (see below)
 *
 * Everything is computed from points before i and point i itself, so
 * appending points never changes an earlier score. Without times, point i
 * is at time i · h, which is the same computation on a regular grid.
 */
#define G_LOG_DOMAIN "cumulus-anomaly"

#include "cu-anomaly.h"
#include "cu-stats.h"

#include <math.h>
#include <string.h>

#define MAX_SEASONS 7          /* K: past seasons voting for the baseline */
#define MIN_RESIDUALS 7        /* residuals needed before a spread exists */
#define LEVEL_POINTS 14        /* at least two weeks of daily data in M */
#define MAX_RESIDUALS 2048
#define SHORT_POINTS 7
#define DRIFT_REFRESH 8
#define RECENT_SPREAD_POINTS 21
#define REGIME_CHANGE 2.0
#define DRIFT_Z 0.65            /* the drift statistic's z is a rougher one */     /* a day of minutes is plenty for a spread */
#define DEFAULT_Z_THRESHOLD 4.0
#define MAD_TO_SD 1.482602218505602

/* The score is the posterior of a two-component model of the standardised
 * residual z: ordinary points are N(0, 1), anomalies N(0, S²) with S wide,
 * and the prior odds are set so that the posterior is 1/2 at |z| = Z_HALF.
 * Then log-odds = A (z² − Z_HALF²) with A = (1 − 1/S²) / 2: about 3 % at
 * |z| = 3, 50 % at 4, 99 % at 5.05 — where a normal residual falls once in
 * two million points. The odds at z = 0 are subtracted so that a point on
 * the baseline scores exactly 0. */
#define ANOMALY_WIDTH 8.0
#define Z_HALF 4.0

struct _CuAnomalyDetector
{
  /* configuration */
  CuAnomalyOptions options;
  guint            m;
  double           step;
  double           period;
  double           level_span;
  guint            residual_window;
  guint            short_window;
  guint            drift_lag;
  guint            min_history;

  /* owned state */
  GArray          *times;       /* double, non-decreasing */
  GArray          *values;      /* double, every point so far */
  GArray          *levels;      /* double, M(t); NAN until a full window exists */
  GArray          *residuals;   /* double, raw residuals of seasonal baselines */
  GArray          *innovations; /* double, residuals less the short-term bias */
  GArray          *anchored;    /* double, residual + the level it was measured at */
  GArray          *shorts;      /* double, short-term median including each point */
  GArray          *drifts;      /* double, its change over drift_lag rows */
  gsize            level_from;  /* first row inside the level window */
  double           drift_mad;   /* MAD of drifts, refreshed every few points */
  double           recent_mad;  /* MAD of the last few innovations, likewise */
  gssize           hints[MAX_SEASONS]; /* last row found k seasons back */
  double          *scratch;
  gsize            scratch_len;
};

static double
logistic (double x)
{
  return x >= 0 ? 1.0 / (1.0 + exp (-x)) : exp (x) / (1.0 + exp (x));
}

static double *
scratch_for (CuAnomalyDetector *self,
             gsize              n)
{
  if (n > self->scratch_len)
    {
      self->scratch_len = MAX (n, 2 * self->scratch_len);
      self->scratch = g_renew (double, self->scratch, self->scratch_len);
    }
  return self->scratch;
}

/* The row before @before whose time is nearest @target, at most half a
 * step away (the later one on a tie, so a repeated time means its last
 * row); -1 when there is none. Times are non-decreasing. */
static gssize
nearest_row (const double *times,
             gsize         before,
             double        target,
             double        tolerance)
{
  gsize lo = 0, hi = before;
  gssize best = -1;
  double best_d = tolerance;

  /* first row at or after target − tolerance */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (times[mid] < target - tolerance)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (gsize j = lo; j < before && times[j] <= target + tolerance; j++)
    {
      double d = fabs (times[j] - target);

      if (d <= best_d)
        {
          best_d = d;
          best = (gssize) j;
        }
    }
  return best;
}

/* nearest_row(), trying first the row after the one found last time for
 * the same season back: on a regular grid that is the answer. */
static gssize
nearest_row_hinted (const double *times,
                    gsize         before,
                    double        target,
                    double        tolerance,
                    gssize       *hint)
{
  gsize g = (gsize) (*hint + 1);
  gssize j;

  if (*hint >= 0 && g < before)
    {
      double d = fabs (times[g] - target);

      if (d <= tolerance
          && (g + 1 >= before || fabs (times[g + 1] - target) > d)
          && (g == 0 || times[g - 1] < target - tolerance || fabs (times[g - 1] - target) > d))
        {
          *hint = (gssize) g;
          return (gssize) g;
        }
    }
  j = nearest_row (times, before, target, tolerance);
  if (j >= 0)
    *hint = j;
  return j;
}

/**
 * cu_anomaly_score_for_z:
 * @z: a standardised residual
 *
 * Maps a standardised residual to the score scale: the probability that
 * the point is an anomaly under a normal model of ordinary residuals
 * against a wide one of anomalies (see the top of this file).
 *
 * Returns: the score in [0, 1], 0 at @z = 0, rising with |@z|.
 */
double
cu_anomaly_score_for_z (double z)
{
  const double a = 0.5 * (1.0 - 1.0 / (ANOMALY_WIDTH * ANOMALY_WIDTH));
  double p0 = logistic (-a * Z_HALF * Z_HALF);
  double p, s;

  if (isnan (z))
    return 0.0;
  p = logistic (a * (z * z - Z_HALF * Z_HALF));
  s = (p - p0) / (1.0 - p0);
  return CLAMP (s, 0.0, 1.0);
}

/**
 * cu_anomaly_options_init:
 * @options: (out caller-allocates): options to fill
 * @season: season length, 1 for none (0 is taken as 1)
 *
 * Fills @options with the defaults: a threshold at |z| = 4 (a score of
 * about 0.5; six false alarms in 100,000 normal points), warm-up of four
 * seasons, no impact gate, a spread of at least 1 % of the level, and
 * times counted in periods.
 */
void
cu_anomaly_options_init (CuAnomalyOptions *options,
                         guint             season)
{
  g_return_if_fail (options != NULL);

  options->season = MAX (season, 1);
  options->threshold = cu_anomaly_score_for_z (DEFAULT_Z_THRESHOLD);
  options->min_history = 0;
  options->min_impact = 0.0;
  options->relative_floor = 0.01;
  options->step = 0.0;
  options->period = 0.0;
}

/**
 * cu_anomaly_detector_new:
 * @options: (nullable): options, %NULL for the defaults without season
 *
 * Creates an online detector: push points oldest first.
 *
 * Returns: (transfer full): a new detector.
 */
CuAnomalyDetector *
cu_anomaly_detector_new (const CuAnomalyOptions *options)
{
  CuAnomalyDetector *self = g_new0 (CuAnomalyDetector, 1);
  guint m, level_points;

  if (options != NULL)
    self->options = *options;
  else
    cu_anomaly_options_init (&self->options, 1);

  self->step = self->options.step > 0 && isfinite (self->options.step) ? self->options.step : 1.0;
  m = MAX (self->options.season, 1);
  if (self->options.period > 0 && isfinite (self->options.period))
    {
      self->period = self->options.period;
      m = (guint) CLAMP (round (self->period / self->step), 1, G_MAXINT);
    }
  else
    self->period = m * self->step;
  self->m = m;
  /* a whole number of seasons so the level median is phase-neutral */
  level_points = m * ((LEVEL_POINTS + m - 1) / m);
  self->level_span = (double) ((LEVEL_POINTS + m - 1) / m) * self->period;
  if (m == 1)
    self->level_span = level_points * self->step;
  self->residual_window = CLAMP (8 * m, 56, MAX_RESIDUALS);
  self->min_history = self->options.min_history > 0
                      ? self->options.min_history : MAX (4 * m, 28);

  self->times = g_array_new (FALSE, FALSE, sizeof (double));
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->levels = g_array_new (FALSE, FALSE, sizeof (double));
  self->residuals = g_array_new (FALSE, FALSE, sizeof (double));
  self->innovations = g_array_new (FALSE, FALSE, sizeof (double));
  self->short_window = SHORT_POINTS;
  self->drift_lag = CLAMP (m / 12, self->short_window, 4 * self->short_window);
  self->drift_mad = NAN;
  self->recent_mad = NAN;
  for (guint k = 0; k < MAX_SEASONS; k++)
    self->hints[k] = -1;
  self->shorts = g_array_new (FALSE, FALSE, sizeof (double));
  self->anchored = g_array_new (FALSE, FALSE, sizeof (double));
  self->drifts = g_array_new (FALSE, FALSE, sizeof (double));
  scratch_for (self, MAX (MAX (level_points, self->residual_window), MAX_SEASONS) + 1);
  return self;
}

/**
 * cu_anomaly_detector_free:
 * @detector: (transfer full) (nullable): a detector
 *
 * Frees @detector.
 */
void
cu_anomaly_detector_free (CuAnomalyDetector *detector)
{
  if (detector == NULL)
    return;
  g_array_unref (detector->times);
  g_array_unref (detector->values);
  g_array_unref (detector->levels);
  g_array_unref (detector->residuals);
  g_array_unref (detector->innovations);
  g_array_unref (detector->shorts);
  g_array_unref (detector->anchored);
  g_array_unref (detector->drifts);
  g_free (detector->scratch);
  g_free (detector);
}

/**
 * cu_anomaly_detector_get_n:
 * @detector: a detector
 *
 * Returns: how many points have been pushed.
 */
gsize
cu_anomaly_detector_get_n (const CuAnomalyDetector *detector)
{
  g_return_val_if_fail (detector != NULL, 0);
  return detector->values->len;
}

/**
 * cu_anomaly_detector_push_at:
 * @detector: a detector
 * @time: the point's time, in the unit of the options' step and period;
 *   it may repeat or go back (a clock set back): past seasons are looked
 *   up at this time, the level window ends at the latest time so far
 * @value: the point
 * @expected: (out) (optional): the baseline for @value, from earlier points
 * @score: (out) (optional): the anomaly score in [0, 1]; 0 during warm-up
 *
 * Judges @value against the points pushed before it, then adds it to the
 * history. Repeated times are fine: each point is judged in push order.
 *
 * Returns: %TRUE when @value is an anomaly under the detector's options.
 */
gboolean
cu_anomaly_detector_push_at (CuAnomalyDetector *detector,
                             double             time,
                             double             value,
                             double            *expected,
                             double            *score)
{
  const double *y, *times;
  gsize i;
  double t, phase_t, level = NAN, base, exp_value, spread, s = 0.0;
  double bias = 0.0, short_bias = 0.0, mad = NAN, scale = 0.0;
  double short_now = 0.0, drift = NAN, drift_spread = NAN, anchor;
  gboolean seasonal_base = FALSE, anomaly = FALSE;

  g_return_val_if_fail (detector != NULL, FALSE);

  y = (const double *) (gpointer) detector->values->data;
  times = (const double *) (gpointer) detector->times->data;
  i = detector->values->len;
  /* the past is looked up at the point's own time (for a clock set back,
   * the phase it states), but it is stored at no earlier than the point
   * before, so that stored times stay sorted */
  phase_t = isfinite (time) ? time : i > 0 ? times[i - 1] : 0.0;
  t = phase_t;
  if (i > 0 && t < times[i - 1])
    t = times[i - 1];

  /* level of the points in [t − W, t): a full window once the history
   * spans W, a shorter median before that */
  if (i > 0)
    {
      gsize from;

      while (detector->level_from < i && times[detector->level_from] < t - detector->level_span - 1e-9 * detector->step)
        detector->level_from++;
      from = detector->level_from;
      if (from == i)
        from = i - 1;   /* a gap longer than W: the last point is the level */
      level = cu_stats_median_const (y + from, i - from, scratch_for (detector, i - from));
      for (gsize r = from; r < i; r++)
        scale += fabs (y[r]) / (i - from);
    }

  if (i == 0)
    base = value;
  else
    {
      const double *levels = (const double *) (gpointer) detector->levels->data;
      gboolean level_full = t - times[0] >= detector->level_span - 1e-9 * detector->step;
      double *c = scratch_for (detector, MAX_SEASONS);
      guint nc = 0;

      for (guint k = 1; k <= MAX_SEASONS; k++)
        {
          double target = phase_t - k * detector->period;
          gssize j;

          if (target < times[0] - 0.5 * detector->step)
            break;
          j = nearest_row_hinted (times, i, target, 0.5 * detector->step, &detector->hints[k - 1]);
          if (j < 0)
            continue;
          c[nc] = y[j];
          if (level_full && !isnan (levels[j]))
            c[nc] += level - levels[j];
          nc++;
        }
      if (nc > 0)
        {
          base = cu_stats_median (c, nc);
          seasonal_base = TRUE;
        }
      else
        base = level;
    }

  /* the local level: recent residuals, each put back on the level M it
   * was measured against, so that a jump of M (which moves the seasonal
   * base by as much) does not leave a jump in the bias behind */
  anchor = isnan (level) ? 0.0 : level;
  if (detector->anchored->len > 0 && detector->short_window > 0)
    {
      guint ns = MIN (detector->anchored->len, detector->short_window);
      const double *q = (const double *) (gpointer) detector->anchored->data
                        + detector->anchored->len - ns;

      short_bias = cu_stats_median_const (q, ns, scratch_for (detector, ns)) - anchor;
    }
  if (detector->innovations->len >= MIN_RESIDUALS)
    {
      guint nr = MIN (detector->innovations->len, detector->residual_window);
      const double *r = (const double *) (gpointer) detector->innovations->data
                        + detector->innovations->len - nr;

      mad = cu_stats_mad (r, nr, scratch_for (detector, nr), &bias);
      /* a MAD from few residuals is often too small: widen it until the
       * window is full, so the first weeks after warm-up stay quiet */
      mad *= sqrt ((double) detector->residual_window / nr);
      /* and when the last few weeks alone vary far more than the whole
       * window (a service flat until recently, now in use), take theirs:
       * the series must not be judged by its flat past */
      if (nr > RECENT_SPREAD_POINTS)
        {
          /* refreshed every few points, by count like the drift's */
          if (isnan (detector->recent_mad) || detector->innovations->len % DRIFT_REFRESH == 0)
            detector->recent_mad = cu_stats_mad (r + nr - RECENT_SPREAD_POINTS, RECENT_SPREAD_POINTS,
                                                 scratch_for (detector, RECENT_SPREAD_POINTS), NULL);
          if (detector->recent_mad > REGIME_CHANGE * mad)
            mad = detector->recent_mad;
        }
    }

  exp_value = base + short_bias + bias;
  spread = MAX (isnan (mad) ? 0.0 : MAD_TO_SD * mad,
                detector->options.relative_floor * MAX (isnan (level) ? 0.0 : fabs (level), scale));
  spread = MAX (spread, 1e-12);

  /* a sustained change: the short-term median including this point
   * against the same median D rows ago, scaled by how much that
   * difference usually varies (which autocorrelated noise widens) */
  if (seasonal_base || (detector->m == 1 && i > 0))
    {
      guint ns = MIN (detector->anchored->len, detector->short_window - 1);
      double *sc = scratch_for (detector, ns + 1);
      gsize nh = detector->shorts->len;

      if (ns > 0) /* an empty GArray has no data pointer at all */
        memcpy (sc, (const double *) (gpointer) detector->anchored->data + detector->anchored->len - ns,
                ns * sizeof (double));
      sc[ns] = value - base + anchor;
      short_now = cu_stats_median (sc, ns + 1);
      if (nh >= detector->drift_lag)
        drift = short_now - g_array_index (detector->shorts, double, nh - detector->drift_lag);
      if (!isnan (drift) && detector->drifts->len >= detector->residual_window / 2)
        {
          /* the spread of a slow statistic changes slowly: refresh it every
           * few points (by count, so every prefix computes the same) */
          if (isnan (detector->drift_mad) || detector->drifts->len % DRIFT_REFRESH == 0)
            {
              guint nd = MIN (detector->drifts->len, detector->residual_window);
              const double *d = (const double *) (gpointer) detector->drifts->data + detector->drifts->len - nd;

              detector->drift_mad = cu_stats_mad (d, nd, scratch_for (detector, nd), NULL);
            }
          drift_spread = MAX (MAD_TO_SD * detector->drift_mad, spread / sqrt ((double) detector->short_window));
        }
    }

  if (i >= detector->min_history && !isnan (mad))
    {
      double residual = value - exp_value;

      s = cu_anomaly_score_for_z (residual / spread);
      if (!isnan (drift_spread) && detector->drift_lag > 0)
        s = MAX (s, cu_anomaly_score_for_z (DRIFT_Z * drift / drift_spread));
      anomaly = s >= detector->options.threshold
                && fabs (residual) >= detector->options.min_impact;
    }

  /* remember the level M(t) only when it is a full window */
  {
    double full_level = i > 0 && t - times[0] >= detector->level_span - 1e-9 * detector->step ? level : NAN;
    g_array_append_val (detector->levels, full_level);
  }
  if (seasonal_base || (detector->m == 1 && i > 0))
    {
      double r = value - base, e = r - short_bias, q = r + anchor;

      g_array_append_val (detector->residuals, r);
      g_array_append_val (detector->anchored, q);
      g_array_append_val (detector->innovations, e);
      g_array_append_val (detector->shorts, short_now);
      if (!isnan (drift))
        g_array_append_val (detector->drifts, drift);
      /* keep the histories bounded */
      if (detector->residuals->len > 4 * detector->residual_window)
        {
          g_array_remove_range (detector->residuals, 0, detector->residuals->len - detector->residual_window);
          g_array_remove_range (detector->innovations, 0, detector->innovations->len - detector->residual_window);
          g_array_remove_range (detector->anchored, 0, detector->anchored->len - detector->residual_window);
          g_array_remove_range (detector->shorts, 0, detector->shorts->len - detector->residual_window);
          if (detector->drifts->len > detector->residual_window)
            g_array_remove_range (detector->drifts, 0, detector->drifts->len - detector->residual_window);
        }
    }
  g_array_append_val (detector->values, value);
  g_array_append_val (detector->times, t);

  if (expected)
    *expected = exp_value;
  if (score)
    *score = s;
  return anomaly;
}

/**
 * cu_anomaly_detector_push:
 * @detector: a detector
 * @value: the next point, one step after the previous one
 * @expected: (out) (optional): the baseline for @value, from earlier points
 * @score: (out) (optional): the anomaly score in [0, 1]; 0 during warm-up
 *
 * Judges @value against the points pushed before it, then adds it to the
 * history; the points are taken to be one step apart.
 *
 * Returns: %TRUE when @value is an anomaly under the detector's options.
 */
gboolean
cu_anomaly_detector_push (CuAnomalyDetector *detector,
                          double             value,
                          double            *expected,
                          double            *score)
{
  g_return_val_if_fail (detector != NULL, FALSE);

  return cu_anomaly_detector_push_at (detector, (double) detector->values->len * detector->step,
                                      value, expected, score);
}

/**
 * cu_anomaly_detect:
 * @y: @n points, oldest first
 * @n: number of points
 * @options: (nullable): options, %NULL for the defaults without season
 * @expected: (out caller-allocates) (nullable): @n baselines
 * @score: (out caller-allocates) (nullable): @n scores in [0, 1]
 * @is_anomaly: (out caller-allocates) (nullable): @n flags
 *
 * Scores a whole series online: each output depends on @y[0 … i] only.
 */
void
cu_anomaly_detect (const double           *y,
                   gsize                   n,
                   const CuAnomalyOptions *options,
                   double                 *expected,
                   double                 *score,
                   gboolean               *is_anomaly)
{
  g_autoptr(CuAnomalyDetector) detector = NULL;

  g_return_if_fail (y != NULL || n == 0);

  detector = cu_anomaly_detector_new (options);
  for (gsize i = 0; i < n; i++)
    {
      double e, s;
      gboolean a = cu_anomaly_detector_push (detector, y[i], &e, &s);

      if (expected)
        expected[i] = e;
      if (score)
        score[i] = s;
      if (is_anomaly)
        is_anomaly[i] = a;
    }
}

/**
 * cu_anomaly_detect_at:
 * @times: @n times, in the unit of the options' step and period
 * @y: @n points, in time order (repeated times allowed)
 * @n: number of points
 * @options: (nullable): options, %NULL for the defaults without season
 * @expected: (out caller-allocates) (nullable): @n baselines
 * @score: (out caller-allocates) (nullable): @n scores in [0, 1]
 * @is_anomaly: (out caller-allocates) (nullable): @n flags
 *
 * Scores a whole series with times online: each output depends on
 * @times[0 … i] and @y[0 … i] only.
 */
void
cu_anomaly_detect_at (const double           *times,
                      const double           *y,
                      gsize                   n,
                      const CuAnomalyOptions *options,
                      double                 *expected,
                      double                 *score,
                      gboolean               *is_anomaly)
{
  g_autoptr(CuAnomalyDetector) detector = NULL;

  g_return_if_fail ((y != NULL && times != NULL) || n == 0);

  detector = cu_anomaly_detector_new (options);
  for (gsize i = 0; i < n; i++)
    {
      double e, s;
      gboolean a = cu_anomaly_detector_push_at (detector, times[i], y[i], &e, &s);

      if (expected)
        expected[i] = e;
      if (score)
        score[i] = s;
      if (is_anomaly)
        is_anomaly[i] = a;
    }
}
