/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-projection.c — the chance of ending above an amount reads back the
 * forecast's own quantiles */
#include <math.h>
#include <glib.h>

#include "analysis/cu-projection.h"
#include "engines/cu-forecast.h"

static CuProjection
projection (double actual, double mean, double lo80, double hi80, double lo95, double hi95)
{
  CuProjection p = { 0 };

  p.actual = actual;
  p.mean = mean;
  p.lo80 = lo80;
  p.hi80 = hi80;
  p.lo95 = lo95;
  p.hi95 = hi95;
  return p;
}

/* A month whose remaining days come from a real forecast: fit, predict,
 * sum the daily bounds as cu_analysis_project() does; then the
 * probability at each quantile is the quantile's tail. */
static void
test_quantiles (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const double levels[2] = { 80, 95 };
  double y[200], mean[28], lower[56], upper[56];
  CuProjection p;
  double actual = 3 * 100.0;

  for (guint t = 0; t < 200; t++)
    y[t] = 100.0 + 0.1 * t + (t % 7 >= 5 ? -30.0 : 0.0) + 4.0 * (g_rand_double (rand) - 0.5);
  {
    g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 200, 7, CU_ETS_AUTO, CU_FORECAST_NONE);
    double s[5] = { 0 };

    cu_forecast_model_predict (model, 28, levels, 2, mean, lower, upper);
    for (guint h = 0; h < 28; h++)
      {
        s[0] += mean[h];
        s[1] += lower[h];
        s[2] += upper[h];
        s[3] += lower[28 + h];
        s[4] += upper[28 + h];
      }
    p = projection (actual, actual + s[0], actual + s[1], actual + s[2], actual + s[3], actual + s[4]);
  }

  g_assert_true (cu_projection_has_interval (&p));
  g_assert_cmpfloat_with_epsilon (cu_projection_probability_above (&p, p.hi95), 0.025, 1e-9);
  g_assert_cmpfloat_with_epsilon (cu_projection_probability_above (&p, p.hi80), 0.10, 1e-9);
  g_assert_cmpfloat_with_epsilon (cu_projection_probability_above (&p, p.mean), 0.50, 1e-9);
  g_assert_cmpfloat_with_epsilon (cu_projection_probability_above (&p, p.lo80), 0.90, 1e-9);
  g_assert_cmpfloat_with_epsilon (cu_projection_probability_above (&p, p.lo95), 0.975, 1e-9);

  /* monotone, strictly inside (0, 1) near the interval, towards 0 / 1 far out */
  {
    double prev = 1.0;

    for (int i = -40; i <= 40; i++)
      {
        double x = p.mean + i * (p.hi95 - p.mean) / 20.0;
        double q = cu_projection_probability_above (&p, x);

        g_assert_cmpfloat (q, <=, prev);
        g_assert_cmpfloat (q, >=, 0.0);
        g_assert_cmpfloat (q, <=, 1.0);
        prev = q;
      }
    g_assert_cmpfloat (cu_projection_probability_above (&p, p.mean + 2 * (p.hi95 - p.mean)), <, 0.001);
    g_assert_cmpfloat (cu_projection_probability_above (&p, p.mean - 2 * (p.mean - p.lo95)), >, 0.999);
  }
}

/* The figures: $339,780.79 with 80 % $324,368.59 – $355,192.98;
 * a $330,000 budget is inside the interval, below the mean. */
static void
test_between (void)
{
  CuProjection p = projection (22519.21, 339780.79, 324368.59, 355192.98, 316208.0, 363353.0);
  double q = cu_projection_probability_above (&p, 330000.0);

  g_assert_cmpfloat (q, >, 0.5);
  g_assert_cmpfloat (q, <, 0.9);
  /* a skewed interval (clipped at zero below) keeps its own tails */
  p = projection (0, 10, 0, 30, 0, 50);
  g_assert_cmpfloat_with_epsilon (cu_projection_probability_above (&p, 50), 0.025, 1e-9);
  g_assert_cmpfloat_with_epsilon (cu_projection_probability_above (&p, 10), 0.5, 1e-9);
  g_assert_cmpfloat (cu_projection_probability_above (&p, -1), >, 0.975);
}

/* A complete period (no interval) is certain either way. */
static void
test_known (void)
{
  CuProjection p = projection (1000, 1000, 1000, 1000, 1000, 1000);

  g_assert_false (cu_projection_has_interval (&p));
  g_assert_cmpfloat (cu_projection_probability_above (&p, 999.99), ==, 1.0);
  g_assert_cmpfloat (cu_projection_probability_above (&p, 1000.0), ==, 0.0);
  g_assert_cmpfloat (cu_projection_probability_above (&p, 2000.0), ==, 0.0);
}

/* A flat history: the forecast engine keeps the level's uncertainty, so
 * the chance of passing an amount just above the mean is not zero. */
static void
test_flat_history (void)
{
  double y[90], mean[30], lower[60], upper[60], s[5] = { 0 };
  const double levels[2] = { 80, 95 };
  CuProjection p;

  for (guint t = 0; t < 90; t++)
    y[t] = 250.0;
  {
    g_autoptr(CuForecastModel) model = cu_forecast_model_fit (y, 90, 7, CU_ETS_AUTO, CU_FORECAST_NONE);
    cu_forecast_model_predict (model, 30, levels, 2, mean, lower, upper);
  }
  for (guint h = 0; h < 30; h++)
    {
      s[0] += mean[h];
      s[1] += lower[h];
      s[2] += upper[h];
      s[3] += lower[30 + h];
      s[4] += upper[30 + h];
    }
  p = projection (0, s[0], s[1], s[2], s[3], s[4]);
  g_assert_true (cu_projection_has_interval (&p));
  g_assert_cmpfloat (p.hi95 - p.lo95, >, 0.01 * p.mean);
  g_assert_cmpfloat (cu_projection_probability_above (&p, p.mean * 1.001), >, 0.0);
  g_assert_cmpfloat (cu_projection_probability_above (&p, p.mean * 1.001), <, 0.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/projection/quantiles", test_quantiles);
  g_test_add_func ("/projection/between", test_between);
  g_test_add_func ("/projection/known", test_known);
  g_test_add_func ("/projection/flat-history", test_flat_history);
  return g_test_run ();
}
