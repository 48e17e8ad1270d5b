/* cu-optim.h — bounded Nelder–Mead minimiser
 *
 * Used to fit smoothing parameters; small dimensions (1–8), box bounds,
 * no derivatives.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CuOptimFunc:
 * @x: the point, of the dimension given to cu_optim_nelder_mead()
 * @user_data: closure
 *
 * Returns: the objective at @x; NAN or INFINITY mark an infeasible point.
 */
typedef double (*CuOptimFunc) (const double *x,
                               gpointer      user_data);

/**
 * CuOptimOptions:
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
} CuOptimOptions;

double cu_optim_nelder_mead (CuOptimFunc           func,
                             gpointer              user_data,
                             guint                 n,
                             double               *x,
                             const double         *lower,
                             const double         *upper,
                             const double         *step,
                             const CuOptimOptions *options,
                             guint                *out_evals);

G_END_DECLS
