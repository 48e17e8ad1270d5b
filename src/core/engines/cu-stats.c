/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-stats.c — small numeric helpers shared by the analytics engines */
#define G_LOG_DOMAIN "cumulus-stats"

#include "cu-stats.h"

#include <math.h>
#include <string.h>

#define SMALL_SORT 16

/* Wirth's selection: puts the k-th smallest value at v[k], with every value
 * before it no larger and every value after it no smaller; O(n) on average.
 * Windows in the engines are small (7–200 values), so this beats sorting. */
static double
select_kth (double *v,
            gssize  n,
            gssize  k)
{
  gssize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      double pivot = v[k];
      gssize i = lo, j = hi;

      do
        {
          while (v[i] < pivot)
            i++;
          while (pivot < v[j])
            j--;
          if (i <= j)
            {
              double t = v[i];
              v[i] = v[j];
              v[j] = t;
              i++;
              j--;
            }
        }
      while (i <= j);
      if (j < k)
        lo = i;
      if (k < i)
        hi = j;
    }
  return v[k];
}

/**
 * cu_stats_median:
 * @values: (inout): @n values, reordered in place
 * @n: number of values, at least 1
 *
 * Returns: the median of @values (the mean of the two middle values when
 *   @n is even); NAN when @n is 0.
 */
double
cu_stats_median (double *values,
                 gsize   n)
{
  double upper, lower;

  g_return_val_if_fail (values != NULL || n == 0, NAN);

  if (n == 0)
    return NAN;
  if (n <= SMALL_SORT)
    {
      /* the engines' short windows (7, 14 values): insertion sort beats
       * selection there */
      for (gsize i = 1; i < n; i++)
        {
          double v = values[i];
          gsize j = i;

          for (; j > 0 && values[j - 1] > v; j--)
            values[j] = values[j - 1];
          values[j] = v;
        }
      return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
  upper = select_kth (values, (gssize) n, (gssize) (n / 2));
  if (n % 2 == 1)
    return upper;
  /* after selection every value left of n/2 is <= upper: the lower middle
   * value is their maximum */
  lower = values[0];
  for (gsize i = 1; i < n / 2; i++)
    if (values[i] > lower)
      lower = values[i];
  return 0.5 * (lower + upper);
}

/**
 * cu_stats_median_const:
 * @values: @n values, left untouched
 * @n: number of values
 * @scratch: room for @n doubles
 *
 * Returns: the median of @values, computed in @scratch.
 */
double
cu_stats_median_const (const double *values,
                       gsize         n,
                       double       *scratch)
{
  g_return_val_if_fail (scratch != NULL || n == 0, NAN);

  if (n == 0)
    return NAN;
  memcpy (scratch, values, n * sizeof (double));
  return cu_stats_median (scratch, n);
}

/**
 * cu_stats_mad:
 * @values: @n values, left untouched
 * @n: number of values
 * @scratch: room for @n doubles
 * @out_median: (out) (optional): the median of @values
 *
 * Returns: the median absolute deviation from the median, unscaled (multiply
 *   by 1.4826 for a consistent estimate of a normal standard deviation).
 */
double
cu_stats_mad (const double *values,
              gsize         n,
              double       *scratch,
              double       *out_median)
{
  double med;

  g_return_val_if_fail (scratch != NULL || n == 0, NAN);

  if (n == 0)
    {
      if (out_median)
        *out_median = NAN;
      return NAN;
    }
  med = cu_stats_median_const (values, n, scratch);
  for (gsize i = 0; i < n; i++)
    scratch[i] = fabs (values[i] - med);
  if (out_median)
    *out_median = med;
  return cu_stats_median (scratch, n);
}

/**
 * cu_stats_normal_cdf:
 * @x: a standard normal deviate
 *
 * Returns: P(Z <= @x) for a standard normal Z.
 */
double
cu_stats_normal_cdf (double x)
{
  return 0.5 * erfc (-x / G_SQRT2);
}

/**
 * cu_stats_normal_quantile:
 * @p: a probability in (0, 1)
 *
 * Wichura's algorithm AS 241 (PPND16), accurate to about 1e-16.
 *
 * Returns: the z with P(Z <= z) = @p; ±INFINITY at 0 and 1, NAN outside.
 */
double
cu_stats_normal_quantile (double p)
{
  double q, r;

  if (isnan (p) || p < 0.0 || p > 1.0)
    return NAN;
  if (p == 0.0)
    return -INFINITY;
  if (p == 1.0)
    return INFINITY;

  q = p - 0.5;
  if (fabs (q) <= 0.425)
    {
      r = 0.180625 - q * q;
      return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r
                       + 67265.770927008700853) * r + 45921.953931549871457) * r
                     + 13731.693765509461125) * r + 1971.5909503065514427) * r
                   + 133.14166789178437745) * r + 3.387132872796366608)
               / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r
                       + 39307.89580009271061) * r + 21213.794301586595867) * r
                     + 5394.1960214247511077) * r + 687.1870074920579083) * r
                   + 42.313330701600911252) * r + 1.0);
    }

  r = q < 0 ? p : 1.0 - p;
  r = sqrt (-log (r));
  if (r <= 5.0)
    {
      r -= 1.6;
      r = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r
                + 0.24178072517745061177) * r + 1.27045825245236838258) * r
              + 3.64784832476320460504) * r + 5.7694972214606914055) * r
            + 4.6303378461565452959) * r + 1.42343711074968357734)
          / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r
                  + 0.0151986665636164571966) * r + 0.14810397642748007459) * r
                + 0.68976733498510000455) * r + 1.6763848301838038494) * r
              + 2.05319162663775882187) * r + 1.0);
    }
  else
    {
      r -= 5.0;
      r = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r
                + 0.0012426609473880784386) * r + 0.026532189526576123093) * r
              + 0.29656057182850489123) * r + 1.7848265399172913358) * r
            + 5.4637849111641143699) * r + 6.6579046435011037772)
          / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r
                  + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r
                + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
              + 0.59983220655588793769) * r + 1.0);
    }
  return q < 0 ? -r : r;
}
