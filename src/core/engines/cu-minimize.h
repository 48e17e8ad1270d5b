/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-minimize.h — bounded Nelder–Mead minimiser
 *
 * Used to fit smoothing parameters; small dimensions (1–8), box bounds,
 * no derivatives.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CuMinimizeFunc:
 * @x: the point, of the dimension given to cu_minimize_nelder_mead()
 * @user_data: closure
 *
 * Returns: the objective at @x; NAN or INFINITY mark an infeasible point.
 */
typedef double (*CuMinimizeFunc) (const double *x,
                               gpointer      user_data);

/**
 * CuMinimizeOptions:
 * @max_evals: budget of objective evaluations (0: 200 per dimension)
 * @ftol: stop when the simplex values agree to this relative tolerance
 *   (0: 1e-10)
 * @xtol: … and its vertices to this absolute tolerance (0: 1e-8)
 * @restarts: how many times at most to rebuild the simplex around the best
 *   point after convergence (at least once), which protects against a
 *   simplex collapsed onto a bound
 */
typedef struct {
  guint  max_evals;
  double ftol;
  double xtol;
  guint  restarts;
} CuMinimizeOptions;

double cu_minimize_nelder_mead (CuMinimizeFunc           func,
                             gpointer              user_data,
                             guint                 n,
                             double               *x,
                             const double         *lower,
                             const double         *upper,
                             const double         *step,
                             const CuMinimizeOptions *options,
                             guint                *out_evals);

G_END_DECLS
