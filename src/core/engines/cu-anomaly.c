/* cu-anomaly.c — online, seasonality-aware anomaly scoring
 *
 * For point i with season m:
 *
 *   M(i)      = median of the W points before i (W a whole number of
 *               seasons, at least 14 points): a level that ignores spikes
 *   c_k       = y[i − k m] + M(i) − M(i − k m), k = 1 … 7: past seasons'
 *               value at the same phase, moved to today's level
 *   expected  = median_k c_k + median of recent residuals (bias)
 *   spread    = max(1.4826 · MAD(recent residuals), floor)
 *   score     = 2 Φ(|z|) − 1 with z = (y[i] − expected) / spread
 *
 * Everything is computed from points before i, so appending points never
 * changes an earlier score.
 */
#define G_LOG_DOMAIN "cumulus-anomaly"

#include "cu-anomaly.h"
#include "cu-stats.h"

#include <math.h>
#include <string.h>

#define MAX_SEASONS 7          /* K: past seasons voting for the baseline */
#define MIN_RESIDUALS 7        /* residuals needed before a spread exists */
#define LEVEL_POINTS 14        /* at least two weeks of daily data in M */
#define DEFAULT_Z_THRESHOLD 4.0
#define MAD_TO_SD 1.482602218505602

struct _CuAnomalyDetector
{
  /* configuration */
  CuAnomalyOptions options;
  guint            m;
  guint            level_window;
  guint            residual_window;
  guint            min_history;

  /* owned state */
  GArray          *values;      /* double, every point so far */
  GArray          *levels;      /* double, M(t); NAN until W points exist */
  GArray          *residuals;   /* double, raw residuals of seasonal baselines */
  double          *scratch;
};

/**
 * cu_anomaly_score_for_z:
 * @z: a standardised residual
 *
 * Maps a standardised residual to the score scale: 2 Φ(|z|) − 1, the
 * probability that a normal residual is smaller in magnitude.
 *
 * Returns: the score in [0, 1].
 */
double
cu_anomaly_score_for_z (double z)
{
  double s = erf (fabs (z) / G_SQRT2);

  return CLAMP (s, 0.0, 1.0);
}

/**
 * cu_anomaly_options_init:
 * @options: (out caller-allocates): options to fill
 * @season: season length, 1 for none (0 is taken as 1)
 *
 * Fills @options with the defaults: a threshold at |z| = 4 (about six false
 * alarms in 100,000 normal points), warm-up of four seasons, no impact gate,
 * and a spread of at least 1 % of the level.
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
  guint m;

  if (options != NULL)
    self->options = *options;
  else
    cu_anomaly_options_init (&self->options, 1);

  m = self->m = MAX (self->options.season, 1);
  /* a whole number of seasons so the level median is phase-neutral */
  self->level_window = m * ((LEVEL_POINTS + m - 1) / m);
  self->residual_window = MAX (8 * m, 56);
  self->min_history = self->options.min_history > 0
                      ? self->options.min_history : MAX (4 * m, 28);

  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->levels = g_array_new (FALSE, FALSE, sizeof (double));
  self->residuals = g_array_new (FALSE, FALSE, sizeof (double));
  self->scratch = g_new (double, MAX (MAX (self->level_window, self->residual_window), MAX_SEASONS) + 1);
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
  g_array_unref (detector->values);
  g_array_unref (detector->levels);
  g_array_unref (detector->residuals);
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
 * cu_anomaly_detector_push:
 * @detector: a detector
 * @value: the next point
 * @expected: (out) (optional): the baseline for @value, from earlier points
 * @score: (out) (optional): the anomaly score in [0, 1]; 0 during warm-up
 *
 * Judges @value against the points pushed before it, then adds it to the
 * history.
 *
 * Returns: %TRUE when @value is an anomaly under the detector's options.
 */
gboolean
cu_anomaly_detector_push (CuAnomalyDetector *detector,
                          double             value,
                          double            *expected,
                          double            *score)
{
  const double *y;
  gsize i;
  guint m, w;
  double level = NAN, base, exp_value, spread, s = 0.0;
  double bias = 0.0, mad = NAN, scale = 0.0;
  gboolean seasonal_base = FALSE, anomaly = FALSE;

  g_return_val_if_fail (detector != NULL, FALSE);

  y = (const double *) (gpointer) detector->values->data;
  i = detector->values->len;
  m = detector->m;
  w = detector->level_window;

  /* level of the points before i: M(i) once a full window exists, a
   * shorter median before that */
  if (i > 0)
    {
      gsize from = i > w ? i - w : 0;

      level = cu_stats_median_const (y + from, i - from, detector->scratch);
      for (gsize t = from; t < i; t++)
        scale += fabs (y[t]) / (i - from);
    }

  if (i == 0)
    base = value;
  else if (i < m)
    base = level;
  else
    {
      const double *levels = (const double *) (gpointer) detector->levels->data;
      gboolean level_full = i >= w;
      guint nc = 0;

      for (guint k = 1; k <= MAX_SEASONS && (gsize) k * m <= i; k++)
        {
          gsize j = i - (gsize) k * m;
          double c = y[j];

          if (level_full && !isnan (levels[j]))
            c += level - levels[j];
          detector->scratch[nc++] = c;
        }
      base = cu_stats_median (detector->scratch, nc);
      seasonal_base = TRUE;
    }

  if (detector->residuals->len >= MIN_RESIDUALS)
    {
      guint nr = MIN (detector->residuals->len, detector->residual_window);
      const double *r = (const double *) (gpointer) detector->residuals->data
                        + detector->residuals->len - nr;

      mad = cu_stats_mad (r, nr, detector->scratch, &bias);
      /* a MAD from few residuals is often too small: widen it until the
       * window is full, so the first weeks after warm-up stay quiet */
      mad *= sqrt ((double) detector->residual_window / nr);
    }

  exp_value = base + bias;
  spread = MAX (isnan (mad) ? 0.0 : MAD_TO_SD * mad,
                detector->options.relative_floor * MAX (isnan (level) ? 0.0 : fabs (level), scale));
  spread = MAX (spread, 1e-12);

  if (i >= detector->min_history && !isnan (mad))
    {
      double residual = value - exp_value;

      s = cu_anomaly_score_for_z (residual / spread);
      anomaly = s >= detector->options.threshold
                && fabs (residual) >= detector->options.min_impact;
    }

  /* remember the level M(i) only when it is a full window */
  {
    double full_level = i >= w ? level : NAN;
    g_array_append_val (detector->levels, full_level);
  }
  if (seasonal_base || (m == 1 && i > 0))
    {
      double r = value - base;
      g_array_append_val (detector->residuals, r);
    }
  g_array_append_val (detector->values, value);

  if (expected)
    *expected = exp_value;
  if (score)
    *score = s;
  return anomaly;
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
