/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-projection.c — the chance that a period ends above an amount
 *
 * A CuProjection carries five quantiles of the period's total: the 2.5 %,
 * 10 %, 50 % (the mean of a symmetric forecast), 90 % and 97.5 % points.
 * The probability of ending above an amount reads the same distribution
 * back: the amount is mapped to a standard-normal z by linear
 * interpolation between those quantiles (and the outer slope beyond
 * them), so P(above hi95) is 2.5 %, P(above mean) 50 % and P(above hi80)
 * 10 % exactly, whatever the skew the clipping at zero left. One function
 * for the Forecast, Budgets and Overview pages and the CLI, so every page
 * says the same.
 */
#define G_LOG_DOMAIN "cumulus-projection"

#include <math.h>

#include "cu-projection.h"

/* standard-normal quantiles of the interval bounds */
#define Z80 1.2815515655446004
#define Z95 1.959963984540054

static double
upper_tail (double z)
{
  return 0.5 * erfc (z / G_SQRT2);
}

/**
 * cu_projection_has_interval:
 * @projection: a projection from cu_analysis_project()
 *
 * Returns: %TRUE when part of the period is forecast (the bounds differ),
 *   %FALSE when the total is known (a past period, or actuals only)
 */
gboolean
cu_projection_has_interval (const CuProjection *projection)
{
  g_return_val_if_fail (projection != NULL, FALSE);

  return projection->hi95 > projection->lo95;
}

/**
 * cu_projection_probability_above:
 * @projection: a projection from cu_analysis_project()
 * @amount: the amount, in the projection's currency units
 *
 * Returns: the probability, 0..1, that the period's total ends above
 *   @amount; 0 or 1 when the total is known (no interval)
 */
double
cu_projection_probability_above (const CuProjection *projection,
                                 double              amount)
{
  const double z[5] = { -Z95, -Z80, 0.0, Z80, Z95 };
  double q[5];
  double zx;

  g_return_val_if_fail (projection != NULL, 0.0);

  q[0] = projection->lo95;
  q[1] = projection->lo80;
  q[2] = projection->mean;
  q[3] = projection->hi80;
  q[4] = projection->hi95;
  /* the bounds are sums of daily bounds and so ordered; a stored forecast
   * edited by hand might not be: keep the quantiles monotone */
  for (int i = 1; i < 5; i++)
    q[i] = MAX (q[i], q[i - 1]);

  if (!(q[4] > q[0]))
    return amount < q[2] ? 1.0 : 0.0;

  if (amount <= q[0] || amount >= q[4])
    {
      /* beyond the 95 % bounds: continue the outer segment that has width */
      int a = amount <= q[0] ? 0 : 3;
      int lo = a, hi = a + 1;

      while (q[hi] <= q[lo] && (a == 0 ? hi < 4 : lo > 0))
        {
          if (a == 0)
            hi++;
          else
            lo--;
        }
      zx = z[a == 0 ? 0 : 4] + (amount - q[a == 0 ? 0 : 4]) * (z[hi] - z[lo]) / (q[hi] - q[lo]);
    }
  else
    {
      int i = 0;

      while (i < 3 && amount > q[i + 1])
        i++;
      /* q[i] < amount <= q[i + 1]; a zero-width segment is a point mass */
      zx = q[i + 1] > q[i]
        ? z[i] + (amount - q[i]) * (z[i + 1] - z[i]) / (q[i + 1] - q[i])
        : z[i + 1];
    }
  return upper_tail (zx);
}
