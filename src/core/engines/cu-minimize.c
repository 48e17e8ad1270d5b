/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-minimize.c — bounded Nelder–Mead minimiser */
#define G_LOG_DOMAIN "cumulus-minimize"

#include "cu-minimize.h"

#include <math.h>
#include <string.h>

typedef struct {
  CuMinimizeFunc   func;
  gpointer      user_data;
  guint         n;
  const double *lower;
  const double *upper;
  guint         evals;
} Problem;

/* Bounds are enforced by projecting every trial point onto the box, the
 * usual way to keep Nelder–Mead feasible without penalty terms. */
static void
project (const Problem *p,
         double        *x)
{
  for (guint i = 0; i < p->n; i++)
    {
      if (p->lower != NULL && x[i] < p->lower[i])
        x[i] = p->lower[i];
      if (p->upper != NULL && x[i] > p->upper[i])
        x[i] = p->upper[i];
    }
}

static double
evaluate (Problem *p,
          double  *x)
{
  double f;

  project (p, x);
  f = p->func (x, p->user_data);
  p->evals++;
  return isnan (f) ? INFINITY : f;
}

/* x_out = c + t (x - c) */
static void
move_point (guint         n,
            const double *c,
            const double *x,
            double        t,
            double       *x_out)
{
  for (guint i = 0; i < n; i++)
    x_out[i] = c[i] + t * (x[i] - c[i]);
}

static void
build_simplex (Problem      *p,
               const double *x0,
               double        f0,
               const double *step,
               double       *simplex,
               double       *fvals)
{
  guint n = p->n;

  memcpy (simplex, x0, n * sizeof (double));
  fvals[0] = f0;
  for (guint v = 1; v <= n; v++)
    {
      double *x = simplex + v * n;
      guint d = v - 1;
      double h = step != NULL ? step[d] : 0.1 * MAX (fabs (x0[d]), 1.0);

      memcpy (x, x0, n * sizeof (double));
      x[d] += h;
      /* step inwards when the vertex would sit on the far side of a bound */
      if (p->upper != NULL && x[d] > p->upper[d])
        x[d] = x0[d] - h;
      fvals[v] = evaluate (p, x);
    }
}

/* One Nelder–Mead run (Lagarias et al. coefficients); returns when the
 * simplex has converged or the budget is spent. The best vertex ends first. */
static void
run_simplex (Problem              *p,
             double               *simplex,
             double               *fvals,
             const CuMinimizeOptions *o,
             double               *scratch)
{
  guint n = p->n;
  double *centroid = scratch;
  double *xr = scratch + n;
  double *xe = scratch + 2 * n;
  double *xc = scratch + 3 * n;

  for (;;)
    {
      guint best = 0, worst = 0, second = 0;
      double fr, fe, fc, spread = 0.0;

      for (guint v = 1; v <= n; v++)
        {
          if (fvals[v] < fvals[best])
            best = v;
          if (fvals[v] > fvals[worst])
            worst = v;
        }
      second = best;
      for (guint v = 0; v <= n; v++)
        if (v != worst && fvals[v] > fvals[second])
          second = v;

      /* convergence: values agree and vertices are close */
      for (guint v = 0; v <= n; v++)
        for (guint i = 0; i < n; i++)
          spread = MAX (spread, fabs (simplex[v * n + i] - simplex[best * n + i]));
      if ((fabs (fvals[worst] - fvals[best]) <= o->ftol * (fabs (fvals[best]) + o->ftol)
           && spread <= o->xtol)
          || p->evals >= o->max_evals)
        {
          if (best != 0)
            {
              double t;

              for (guint i = 0; i < n; i++)
                {
                  t = simplex[i];
                  simplex[i] = simplex[best * n + i];
                  simplex[best * n + i] = t;
                }
              t = fvals[0];
              fvals[0] = fvals[best];
              fvals[best] = t;
            }
          return;
        }

      memset (centroid, 0, n * sizeof (double));
      for (guint v = 0; v <= n; v++)
        if (v != worst)
          for (guint i = 0; i < n; i++)
            centroid[i] += simplex[v * n + i] / n;

      move_point (n, centroid, simplex + worst * n, -1.0, xr);
      fr = evaluate (p, xr);
      if (fr < fvals[best])
        {
          move_point (n, centroid, simplex + worst * n, -2.0, xe);
          fe = evaluate (p, xe);
          if (fe < fr)
            {
              memcpy (simplex + worst * n, xe, n * sizeof (double));
              fvals[worst] = fe;
            }
          else
            {
              memcpy (simplex + worst * n, xr, n * sizeof (double));
              fvals[worst] = fr;
            }
          continue;
        }
      if (fr < fvals[second])
        {
          memcpy (simplex + worst * n, xr, n * sizeof (double));
          fvals[worst] = fr;
          continue;
        }
      if (fr < fvals[worst])
        {
          /* outside contraction */
          move_point (n, centroid, xr, 0.5, xc);
          fc = evaluate (p, xc);
          if (fc <= fr)
            {
              memcpy (simplex + worst * n, xc, n * sizeof (double));
              fvals[worst] = fc;
              continue;
            }
        }
      else
        {
          /* inside contraction */
          move_point (n, centroid, simplex + worst * n, 0.5, xc);
          fc = evaluate (p, xc);
          if (fc < fvals[worst])
            {
              memcpy (simplex + worst * n, xc, n * sizeof (double));
              fvals[worst] = fc;
              continue;
            }
        }

      /* shrink towards the best vertex */
      for (guint v = 0; v <= n; v++)
        {
          if (v == best)
            continue;
          move_point (n, simplex + best * n, simplex + v * n, 0.5, simplex + v * n);
          fvals[v] = evaluate (p, simplex + v * n);
          if (p->evals >= o->max_evals)
            break;
        }
    }
}

/**
 * cu_minimize_nelder_mead:
 * @func: the objective
 * @user_data: closure for @func
 * @n: dimension, at least 1
 * @x: (inout): start point on entry, the best point found on return
 * @lower: (nullable): @n lower bounds
 * @upper: (nullable): @n upper bounds
 * @step: (nullable): @n initial simplex edge lengths (default 10 % of |x|)
 * @options: (nullable): stopping rules, %NULL for the defaults
 * @out_evals: (out) (optional): evaluations used
 *
 * Minimises @func inside the box [@lower, @upper] with the Nelder–Mead
 * simplex method; trial points are projected onto the box. Projection can
 * flatten the simplex against a bound, so after convergence the simplex is
 * rebuilt around the best point at least once and the search goes on while
 * that improves the minimum.
 *
 * Returns: the objective at the returned @x.
 */
double
cu_minimize_nelder_mead (CuMinimizeFunc           func,
                      gpointer              user_data,
                      guint                 n,
                      double               *x,
                      const double         *lower,
                      const double         *upper,
                      const double         *step,
                      const CuMinimizeOptions *options,
                      guint                *out_evals)
{
  Problem p = { func, user_data, n, lower, upper, 0 };
  CuMinimizeOptions o = { 0 };
  g_autofree double *simplex = NULL;
  g_autofree double *fvals = NULL;
  g_autofree double *scratch = NULL;
  g_autofree double *restart_step = NULL;
  double fbest;

  g_return_val_if_fail (func != NULL, NAN);
  g_return_val_if_fail (n > 0, NAN);
  g_return_val_if_fail (x != NULL, NAN);

  if (options != NULL)
    o = *options;
  if (o.max_evals == 0)
    o.max_evals = 200 * n;
  if (o.ftol <= 0.0)
    o.ftol = 1e-10;
  if (o.xtol <= 0.0)
    o.xtol = 1e-8;

  simplex = g_new (double, (n + 1) * n);
  fvals = g_new (double, n + 1);
  scratch = g_new (double, 4 * n);
  restart_step = g_new (double, n);

  fbest = evaluate (&p, x);
  build_simplex (&p, x, fbest, step, simplex, fvals);
  run_simplex (&p, simplex, fvals, &o, scratch);

  for (guint r = 0; r < MAX (o.restarts, 1) && p.evals < o.max_evals; r++)
    {
      double before = fvals[0];

      /* a fresh simplex half the original size around the best vertex */
      for (guint i = 0; i < n; i++)
        restart_step[i] = 0.5 * (step != NULL ? step[i] : 0.1 * MAX (fabs (simplex[i]), 1.0));
      memcpy (x, simplex, n * sizeof (double));
      build_simplex (&p, x, before, restart_step, simplex, fvals);
      run_simplex (&p, simplex, fvals, &o, scratch);
      if (fabs (before - fvals[0]) <= o.ftol * (fabs (before) + o.ftol))
        break;
    }

  memcpy (x, simplex, n * sizeof (double));
  if (out_evals != NULL)
    *out_evals = p.evals;
  return fvals[0];
}
