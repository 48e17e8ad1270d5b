/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-minimize.c — the bounded Nelder–Mead minimiser */
#define G_LOG_DOMAIN "cumulus-test-minimize"

#include <glib.h>
#include <math.h>

#include "engines/cu-minimize.h"

static double
rosenbrock (const double *x,
            gpointer      user_data)
{
  guint *calls = user_data;

  if (calls != NULL)
    (*calls)++;
  return pow (1.0 - x[0], 2) + 100.0 * pow (x[1] - x[0] * x[0], 2);
}

static void
test_rosenbrock (void)
{
  double x[2] = { -1.2, 1.0 };
  const double lower[2] = { -2.0, -1.0 }, upper[2] = { 2.0, 3.0 };
  const double step[2] = { 0.5, 0.5 };
  CuMinimizeOptions options = { .max_evals = 2000, .ftol = 1e-14, .xtol = 1e-9, .restarts = 2 };
  guint calls = 0, evals = 0;
  double f;

  f = cu_minimize_nelder_mead (rosenbrock, &calls, 2, x, lower, upper, step, &options, &evals);
  g_assert_cmpfloat_with_epsilon (x[0], 1.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (x[1], 1.0, 1e-4);
  g_assert_cmpfloat (f, <, 1e-8);
  g_assert_cmpuint (evals, ==, calls);
  g_assert_cmpuint (evals, <=, options.max_evals);
}

/* The unconstrained minimum (1, 1) lies outside the box; the best point in
 * the box [−2, 0.5] × [−1, 3] is (0.5, 0.25), where f = 0.25. */
static void
test_rosenbrock_bounded (void)
{
  double x[2] = { -1.5, 2.0 };
  const double lower[2] = { -2.0, -1.0 }, upper[2] = { 0.5, 3.0 };
  CuMinimizeOptions options = { .max_evals = 2000, .ftol = 1e-14, .xtol = 1e-9, .restarts = 2 };
  double f;

  f = cu_minimize_nelder_mead (rosenbrock, NULL, 2, x, lower, upper, NULL, &options, NULL);
  g_assert_cmpfloat (x[0], <=, 0.5);
  g_assert_cmpfloat_with_epsilon (x[0], 0.5, 1e-4);
  g_assert_cmpfloat_with_epsilon (x[1], 0.25, 1e-3);
  g_assert_cmpfloat_with_epsilon (f, 0.25, 1e-6);
}

static double
shifted_quadratic (const double *x,
                   gpointer      user_data)
{
  double f = 0;

  for (guint i = 0; i < 4; i++)
    f += (i + 1.0) * pow (x[i] - 0.1 * (i + 1), 2);
  return f;
}

static void
test_quadratic_4d (void)
{
  double x[4] = { 0.9, 0.9, 0.9, 0.9 };
  const double lower[4] = { 0, 0, 0, 0 }, upper[4] = { 1, 1, 1, 1 };
  double f;

  f = cu_minimize_nelder_mead (shifted_quadratic, NULL, 4, x, lower, upper, NULL, NULL, NULL);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (x[i], 0.1 * (i + 1), 1e-3);
  g_assert_cmpfloat (f, <, 1e-6);
}

static double
infeasible_left (const double *x,
                 gpointer      user_data)
{
  /* NAN marks points the objective cannot evaluate */
  return x[0] < 0.3 ? NAN : pow (x[0] - 0.5, 2);
}

static void
test_nan_is_infeasible (void)
{
  double x[1] = { 0.9 };
  const double lower[1] = { 0 }, upper[1] = { 1 };
  double f;

  f = cu_minimize_nelder_mead (infeasible_left, NULL, 1, x, lower, upper, NULL, NULL, NULL);
  g_assert_true (isfinite (f));
  g_assert_cmpfloat_with_epsilon (x[0], 0.5, 1e-3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/minimize/rosenbrock", test_rosenbrock);
  g_test_add_func ("/minimize/rosenbrock-bounded", test_rosenbrock_bounded);
  g_test_add_func ("/minimize/quadratic-4d", test_quadratic_4d);
  g_test_add_func ("/minimize/nan-is-infeasible", test_nan_is_infeasible);
  return g_test_run ();
}
