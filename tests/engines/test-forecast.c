/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-forecast.c — ETS fitting, model choice, intervals, edge cases */
#define G_LOG_DOMAIN "cumulus-test-forecast"

#include <glib.h>
#include <math.h>

#include "engines/cu-forecast.h"

static const double weekly[7] = { 4, 6, 5, 3, 0, -8, -10 };

static double
gaussian (GRand *rand)
{
  double u1 = g_rand_double (rand), u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (1.0 - u1)) * cos (2.0 * G_PI * u2);
}

/* level 100, trend 0.5 a day, a weekly cycle and N(0, sd²) noise */
static double
truth (guint t)
{
  return 100.0 + 0.5 * t + weekly[t % 7];
}

static double *
make_series (guint32 seed,
             guint   n,
             double  sd)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double *y = g_new (double, n);

  for (guint t = 0; t < n; t++)
    y[t] = truth (t) + sd * gaussian (rand);
  return y;
}

/* Fits on 365 days of trend + season + noise, many times: the forecast
 * follows the true level and the intervals cover about as often as they
 * claim on the 14 days after. */
static void
test_structure_and_coverage (void)
{
  const guint n = 365, h = 14, reps = 150;
  const double levels[2] = { 80, 95 }, sd = 2.0;
  guint covered80 = 0, covered95 = 0, points = 0, seasonal = 0;
  double worst_bias = 0;

  for (guint r = 0; r < reps; r++)
    {
      g_autofree double *y = make_series (100 + r, n + h, sd);
      g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, n, 7, CU_ETS_AUTO, CU_FORECAST_NONE);
      double mean[14], lower[28], upper[28], bias = 0;

      cu_forecast_model_predict (model, h, levels, 2, mean, lower, upper);
      if (cu_forecast_model_get_season (model) == 7)
        seasonal++;
      for (guint i = 0; i < h; i++)
        {
          double actual = y[n + i];

          bias += (mean[i] - truth (n + i)) / h;
          covered80 += lower[i] <= actual && actual <= upper[i];
          covered95 += lower[h + i] <= actual && actual <= upper[h + i];
          g_assert_cmpfloat (lower[h + i], <=, lower[i]);
          g_assert_cmpfloat (upper[i], <=, upper[h + i]);
          points++;
        }
      worst_bias = MAX (worst_bias, fabs (bias));
    }

  g_test_message ("coverage 80 %%: %.3f, 95 %%: %.3f over %u points; worst mean bias %.3f",
                  (double) covered80 / points, (double) covered95 / points, points, worst_bias);
  /* the level is recovered: the mean error over two weeks stays within a
   * few noise standard deviations in every replicate */
  g_assert_cmpfloat (worst_bias, <, 3.0 * sd);
  g_assert_cmpuint (seasonal, ==, reps);
  g_assert_cmpfloat ((double) covered95 / points, >=, 0.85);
  g_assert_cmpfloat ((double) covered95 / points, <=, 0.99);
  g_assert_cmpfloat ((double) covered80 / points, >=, 0.70);
  g_assert_cmpfloat ((double) covered80 / points, <=, 0.90);
}

/* Trend and weekly cycle with no noise at all: the forecast is exact. */
static void
test_exact_structure (void)
{
  const guint n = 70, h = 10;
  g_autofree double *y = make_series (1, n + h, 0.0);
  g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, n, 7, CU_ETS_AAA, CU_FORECAST_NONE);
  double mean[10];

  cu_forecast_model_predict (model, h, NULL, 0, mean, NULL, NULL);
  for (guint i = 0; i < h; i++)
    g_assert_cmpfloat_with_epsilon (mean[i], truth (n + i), 0.05);
}

static void
test_aicc_picks_no_season_on_trend (void)
{
  for (guint32 seed = 1; seed <= 5; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      double y[200];
      g_autoptr(CuForecastModel) model = NULL;
      CuEtsKind kind;

      for (guint t = 0; t < G_N_ELEMENTS (y); t++)
        y[t] = 50.0 + 0.8 * t + 3.0 * gaussian (rand);
      model = cu_forecast_model_fit (y, G_N_ELEMENTS (y), 7, CU_ETS_AUTO, CU_FORECAST_NONE);
      kind = cu_forecast_model_get_kind (model);
      g_test_message ("seed %u: %s", seed, cu_ets_kind_to_string (kind));
      g_assert_true (kind == CU_ETS_ANN || kind == CU_ETS_AAN || kind == CU_ETS_AADN);
      g_assert_cmpuint (cu_forecast_model_get_season (model), ==, 1);
    }
}

static void
test_aicc_picks_season_on_seasonal (void)
{
  g_autofree double *y = make_series (7, 200, 1.0);
  g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 200, 7, CU_ETS_AUTO, CU_FORECAST_NONE);
  CuEtsKind kind = cu_forecast_model_get_kind (model);

  g_assert_true (kind == CU_ETS_ANA || kind == CU_ETS_AAA || kind == CU_ETS_AADA);
  g_assert_cmpuint (cu_forecast_model_get_season (model), ==, 7);
}

/* Fewer than two seasons: no seasonal model; very short: still a forecast. */
static void
test_short_history (void)
{
  g_autofree double *y = make_series (3, 13, 1.0);
  const double levels[1] = { 95 };
  double mean[10], lower[10], upper[10];

  for (guint n = 1; n <= 13; n++)
    {
      g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, n, 7, CU_ETS_AUTO, CU_FORECAST_NONE);
      CuEtsKind kind = cu_forecast_model_get_kind (model);

      g_assert_false (kind == CU_ETS_ANA || kind == CU_ETS_AAA || kind == CU_ETS_AADA);
      cu_forecast_model_predict (model, 10, levels, 1, mean, lower, upper);
      for (guint i = 0; i < 10; i++)
        {
          g_assert_true (isfinite (mean[i]) && isfinite (lower[i]) && isfinite (upper[i]));
          g_assert_cmpfloat (lower[i], <=, mean[i]);
          g_assert_cmpfloat (mean[i], <=, upper[i]);
          /* nothing wild from a handful of points around 100 */
          g_assert_cmpfloat (fabs (mean[i] - 100.0), <, 60.0);
        }
      if (n == 1)
        g_assert_cmpint (kind, ==, CU_ETS_CONSTANT);
    }

  /* asking for a seasonal model on a short history falls back */
  {
    g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 13, 7, CU_ETS_AAA, CU_FORECAST_NONE);
    g_assert_cmpuint (cu_forecast_model_get_season (model), ==, 1);
  }
}

static void
test_all_zero (void)
{
  double y[60] = { 0 };
  const double levels[2] = { 80, 95 };
  double mean[30], lower[60], upper[60];
  g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 60, 7, CU_ETS_AUTO, CU_FORECAST_NONE);

  cu_forecast_model_predict (model, 30, levels, 2, mean, lower, upper);
  for (guint i = 0; i < 30; i++)
    g_assert_true (mean[i] == 0.0 && lower[i] == 0.0 && upper[i] == 0.0
                   && lower[30 + i] == 0.0 && upper[30 + i] == 0.0);
}

/* A cost falling towards zero: forecasts and lower bounds stop at 0, unless
 * the history itself went negative (credits) or clipping is off. */
static void
test_clipping (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const double levels[1] = { 95 };
  double y[60], mean[40], lower[40], upper[40];
  gboolean clipped = FALSE;

  for (guint t = 0; t < 60; t++)
    y[t] = MAX (0.0, 60.0 - 0.9 * t + gaussian (rand));

  {
    g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 60, 1, CU_ETS_AUTO, CU_FORECAST_NONE);

    cu_forecast_model_predict (model, 40, levels, 1, mean, lower, upper);
    for (guint i = 0; i < 40; i++)
      {
        g_assert_cmpfloat (mean[i], >=, 0.0);
        g_assert_cmpfloat (lower[i], >=, 0.0);
        g_assert_cmpfloat (upper[i], >=, mean[i]);
        clipped |= lower[i] == 0.0;
      }
    g_assert_true (clipped);
  }
  {
    g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 60, 1, CU_ETS_AUTO, CU_FORECAST_NO_CLIP);

    cu_forecast_model_predict (model, 40, levels, 1, mean, lower, upper);
    g_assert_cmpfloat (lower[39], <, 0.0);
  }
  y[5] = -1.0;
  {
    g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 60, 1, CU_ETS_AUTO, CU_FORECAST_NONE);

    cu_forecast_model_predict (model, 40, levels, 1, mean, lower, upper);
    g_assert_cmpfloat (lower[39], <, 0.0);
  }
}

/* A history the model fits perfectly still gets the uncertainty of its
 * level: a flat $100 a day and an exactly weekly cycle both give intervals
 * of at least ±0.5 % of the level a day (one standard deviation), never
 * zero width. */
static void
test_perfect_fit_keeps_width (void)
{
  double flat[60], cycle[84];
  const double levels[2] = { 80, 95 };
  double mean[30], lower[60], upper[60];

  for (guint t = 0; t < 60; t++)
    flat[t] = 100.0;
  for (guint t = 0; t < 84; t++)
    cycle[t] = (t % 7 == 5 || t % 7 == 6) ? 40.0 : 100.0;

  {
    g_autoptr(CuForecastModel) model = cu_forecast_model_fit (flat, 60, 7, CU_ETS_AUTO, CU_FORECAST_NONE);

    cu_forecast_model_predict (model, 30, levels, 2, mean, lower, upper);
    for (guint i = 0; i < 30; i++)
      {
        g_assert_cmpfloat_with_epsilon (mean[i], 100.0, 1e-9);
        /* 80 %: ±1.2816 × 0.5 % of 100 at least */
        g_assert_cmpfloat (upper[i] - lower[i], >=, 2 * 1.28 * 0.5);
        g_assert_cmpfloat (upper[30 + i] - lower[30 + i], >, upper[i] - lower[i]);
      }
  }
  {
    g_autoptr(CuForecastModel) model = cu_forecast_model_fit (cycle, 84, 7, CU_ETS_AUTO, CU_FORECAST_NONE);
    double level = (5 * 100.0 + 2 * 40.0) / 7.0;

    cu_forecast_model_predict (model, 30, levels, 2, mean, lower, upper);
    for (guint i = 0; i < 30; i++)
      {
        g_assert_cmpfloat (fabs (mean[i] - cycle[(84 + i) % 84]), <, 1.0);
        g_assert_cmpfloat (upper[i] - lower[i], >=, 2 * 1.28 * 0.005 * level * 0.999);
      }
  }
}

/* Simple exponential smoothing: v_h = σ² (1 + (h − 1) α²). */
static void
test_interval_formula (void)
{
  g_autofree double *y = make_series (11, 120, 3.0);
  g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 120, 1, CU_ETS_ANN, CU_FORECAST_NO_CLIP);
  const double levels[1] = { 95 };
  double mean[20], lower[20], upper[20], alpha, beta, gamma, phi, sigma2;

  g_assert_cmpint (cu_forecast_model_get_kind (model), ==, CU_ETS_ANN);
  cu_forecast_model_get_params (model, &alpha, &beta, &gamma, &phi);
  g_assert_cmpfloat (alpha, >, 0.0);
  g_assert_cmpfloat (alpha, <, 1.0);
  g_assert_cmpfloat (beta, ==, 0.0);
  g_assert_cmpfloat (gamma, ==, 0.0);
  sigma2 = cu_forecast_model_get_sigma2 (model);
  cu_forecast_model_predict (model, 20, levels, 1, mean, lower, upper);
  for (guint h = 1; h <= 20; h++)
    {
      double half = 1.959963984540054 * sqrt (sigma2 * (1.0 + (h - 1) * alpha * alpha));

      g_assert_cmpfloat_with_epsilon (mean[h - 1], cu_forecast_model_get_level (model), 1e-9);
      g_assert_cmpfloat_with_epsilon (upper[h - 1] - mean[h - 1], half, 1e-9);
      g_assert_cmpfloat_with_epsilon (mean[h - 1] - lower[h - 1], half, 1e-9);
    }
}

/* Holt–Winters intervals widen with the horizon and jump at each season. */
static void
test_interval_widening (void)
{
  g_autofree double *y = make_series (12, 200, 2.0);
  g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 200, 7, CU_ETS_AADA, CU_FORECAST_NONE);
  const double levels[1] = { 80 };
  double mean[28], lower[28], upper[28], phi;

  g_assert_cmpint (cu_forecast_model_get_kind (model), ==, CU_ETS_AADA);
  cu_forecast_model_get_params (model, NULL, NULL, NULL, &phi);
  g_assert_cmpfloat (phi, >=, 0.8);
  g_assert_cmpfloat (phi, <=, 0.98);
  cu_forecast_model_predict (model, 28, levels, 1, mean, lower, upper);
  for (guint i = 1; i < 28; i++)
    g_assert_cmpfloat (upper[i] - lower[i], >=, upper[i - 1] - lower[i - 1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/forecast/structure-and-coverage", test_structure_and_coverage);
  g_test_add_func ("/forecast/exact-structure", test_exact_structure);
  g_test_add_func ("/forecast/aicc-no-season-on-trend", test_aicc_picks_no_season_on_trend);
  g_test_add_func ("/forecast/aicc-season-on-seasonal", test_aicc_picks_season_on_seasonal);
  g_test_add_func ("/forecast/short-history", test_short_history);
  g_test_add_func ("/forecast/all-zero", test_all_zero);
  g_test_add_func ("/forecast/perfect-fit-keeps-width", test_perfect_fit_keeps_width);
  g_test_add_func ("/forecast/clipping", test_clipping);
  g_test_add_func ("/forecast/interval-formula", test_interval_formula);
  g_test_add_func ("/forecast/interval-widening", test_interval_widening);
  return g_test_run ();
}
