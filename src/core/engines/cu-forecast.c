/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-forecast.c — exponential smoothing (ETS) forecasts with intervals
 *
 * All models share one state-space recursion with additive errors:
 *
 *   ŷ_t = ℓ_{t-1} + φ b_{t-1} + s_{t-m}        e_t = y_t − ŷ_t
 *   ℓ_t = ℓ_{t-1} + φ b_{t-1} + α e_t
 *   b_t = φ b_{t-1} + β e_t
 *   s_t = s_{t-m} + γ e_t
 *
 * with b ≡ 0 for the no-trend models, φ = 1 for the undamped trend and
 * s ≡ 0 (m = 1) for the non-seasonal ones. The parameters are searched in
 * a box through β = α β*, γ = (1 − α) γ*, which keeps the usual constraints
 * 0 < β < α and 0 < γ < 1 − α. Initial states come from a classical
 * decomposition of the first seasons, as in R's forecast::ets heuristic.
 */
#define G_LOG_DOMAIN "cumulus-forecast"

#include "cu-forecast.h"
#include "cu-minimize.h"
#include "cu-stats.h"

#include <math.h>
#include <string.h>

#define PARAM_MIN 1e-4
#define PARAM_MAX 0.9999
#define PHI_MIN 0.8
#define PHI_MAX 0.98
#define MAX_PARAMS 4
/* the smallest one-step standard deviation, as a fraction of the level */
#define LEVEL_SD_FLOOR 0.005

struct _CuForecastModel
{
  /* fitted model */
  CuEtsKind kind;
  guint     season;
  gsize     n;
  double    alpha;
  double    beta;
  double    gamma;
  double    phi;
  double    sse;
  double    sigma2;
  double    aicc;

  /* final states; seasonal[j] is the season term of period n + 1 + j */
  double    level;
  double    trend;
  double   *seasonal;

  /* every input was non-negative: forecasts are clipped at 0 */
  gboolean  clip;
};

typedef struct {
  /* borrowed */
  const double *y;
  gsize         n;

  /* model shape */
  guint         m;
  gboolean      has_trend;
  gboolean      damped;
  gboolean      has_season;

  /* initial states, owned */
  double        l0;
  double        b0;
  double       *s0;
  double       *s;     /* work space for the recursion */
} EtsProblem;

static gboolean
kind_has_trend (CuEtsKind kind)
{
  return kind == CU_ETS_AAN || kind == CU_ETS_AADN || kind == CU_ETS_AAA || kind == CU_ETS_AADA;
}

static gboolean
kind_is_damped (CuEtsKind kind)
{
  return kind == CU_ETS_AADN || kind == CU_ETS_AADA;
}

static gboolean
kind_has_season (CuEtsKind kind)
{
  return kind == CU_ETS_ANA || kind == CU_ETS_AAA || kind == CU_ETS_AADA;
}

static guint
kind_n_params (CuEtsKind kind)
{
  return 1 + (kind_has_trend (kind) ? 1 : 0) + (kind_has_season (kind) ? 1 : 0)
           + (kind_is_damped (kind) ? 1 : 0);
}

/* Estimated quantities counted by the information criterion: smoothing
 * parameters, initial states (m − 1 free season terms) and the variance. */
static guint
kind_n_estimated (CuEtsKind kind,
                  guint     m)
{
  return kind_n_params (kind) + 1 + (kind_has_trend (kind) ? 1 : 0)
         + (kind_has_season (kind) ? m - 1 : 0) + 1;
}

static void
unpack_params (const EtsProblem *p,
               const double     *x,
               double           *alpha,
               double           *beta,
               double           *gamma,
               double           *phi)
{
  guint i = 0;

  *alpha = x[i++];
  *beta = p->has_trend ? *alpha * x[i++] : 0.0;
  *gamma = p->has_season ? (1.0 - *alpha) * x[i++] : 0.0;
  *phi = p->has_trend ? (p->damped ? x[i++] : 1.0) : 0.0;
}

/* The one-step-ahead recursion; returns the sum of squared errors and
 * leaves the final states in *out_l, *out_b and p->s. This is the hot loop
 * of every fit, so the state update is written as a linear map of (ℓ, b)
 * and u = y − s:
 *
 *   e  = u − ℓ − φ b
 *   ℓ' = (1 − α) ℓ + (1 − α) φ b + α u
 *   b' = −β ℓ + (1 − β) φ b + β u
 *
 * which halves the chain of dependent floating-point operations per step
 * compared with computing e first. */
static double
ets_run (EtsProblem *p,
         double      alpha,
         double      beta,
         double      gamma,
         double      phi,
         double     *out_l,
         double     *out_b)
{
  const double *y = p->y;
  const gsize n = p->n;
  const double a11 = 1.0 - alpha, a12 = (1.0 - alpha) * phi;
  const double a21 = -beta, a22 = (1.0 - beta) * phi;
  double l = p->l0, b = p->b0, sse = 0.0;

  if (p->has_season)
    {
      double *s = p->s;
      guint m = p->m, j = 0;

      memcpy (s, p->s0, m * sizeof (double));
      for (gsize t = 0; t < n; t++)
        {
          double u = y[t] - s[j];
          double e = u - l - phi * b;
          double nl = a11 * l + a12 * b + alpha * u;
          double nb = a21 * l + a22 * b + beta * u;

          sse += e * e;
          s[j] += gamma * e;
          l = nl;
          b = nb;
          if (++j == m)
            j = 0;
        }
    }
  else if (p->has_trend)
    {
      for (gsize t = 0; t < n; t++)
        {
          double u = y[t];
          double e = u - l - phi * b;
          double nl = a11 * l + a12 * b + alpha * u;
          double nb = a21 * l + a22 * b + beta * u;

          sse += e * e;
          l = nl;
          b = nb;
        }
    }
  else
    {
      for (gsize t = 0; t < n; t++)
        {
          double e = y[t] - l;

          sse += e * e;
          l = a11 * l + alpha * y[t];
        }
      p->s[0] = 0.0;
    }
  if (out_l)
    *out_l = l;
  if (out_b)
    *out_b = b;
  return sse;
}

static double
ets_objective (const double *x,
               gpointer      user_data)
{
  EtsProblem *p = user_data;
  double alpha, beta, gamma, phi, sse;

  unpack_params (p, x, &alpha, &beta, &gamma, &phi);
  sse = ets_run (p, alpha, beta, gamma, phi, NULL, NULL);
  return isfinite (sse) ? sse : INFINITY;
}

/* Classical additive decomposition of the first two or three seasons for
 * the season terms, then a straight line through the first seasonally
 * adjusted values for level and trend. */
static void
initial_states (EtsProblem *p)
{
  const double *y = p->y;
  gsize n = p->n;
  guint m = p->m;
  gsize maxn;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;

  memset (p->s0, 0, m * sizeof (double));
  if (p->has_season)
    {
      gsize k = n >= 3 * (gsize) m ? 3 * (gsize) m : 2 * (gsize) m;
      g_autofree double *sums = g_new0 (double, m);
      g_autofree guint *counts = g_new0 (guint, m);
      guint h = m / 2;
      double mean = 0;

      g_assert (n >= 2 * (gsize) m);
      for (gsize t = h; t + h < k; t++)
        {
          double ma = 0;

          if (m % 2 == 0)
            {
              ma = 0.5 * (y[t - h] + y[t + h]);
              for (gsize i = t - h + 1; i < t + h; i++)
                ma += y[i];
            }
          else
            {
              for (gsize i = t - h; i <= t + h; i++)
                ma += y[i];
            }
          ma /= m;
          sums[t % m] += y[t] - ma;
          counts[t % m]++;
        }
      for (guint i = 0; i < m; i++)
        {
          p->s0[i] = counts[i] > 0 ? sums[i] / counts[i] : 0.0;
          mean += p->s0[i] / m;
        }
      for (guint i = 0; i < m; i++)
        p->s0[i] -= mean;
    }

  maxn = MIN (MAX ((gsize) 10, 2 * (gsize) m), n);
  for (gsize t = 0; t < maxn; t++)
    {
      double x = t + 1.0;
      double v = y[t] - p->s0[t % m];

      sx += x;
      sy += v;
      sxx += x * x;
      sxy += x * v;
    }
  if (p->has_trend && maxn >= 2)
    {
      double slope = (maxn * sxy - sx * sy) / (maxn * sxx - sx * sx);

      p->b0 = slope;
      p->l0 = (sy - slope * sx) / maxn;
    }
  else
    {
      p->b0 = 0.0;
      p->l0 = sy / maxn;
    }
}

static CuForecastModel *
fit_kind (const double *y,
          gsize         n,
          guint         season,
          CuEtsKind     kind)
{
  EtsProblem p = { 0 };
  CuForecastModel *model;
  double x[MAX_PARAMS], lower[MAX_PARAMS], upper[MAX_PARAMS], step[MAX_PARAMS];
  CuMinimizeOptions options = { 0 };
  guint np = 0, k;
  double sse, floor_sse, scale = 0;

  p.y = y;
  p.n = n;
  p.has_trend = kind_has_trend (kind);
  p.damped = kind_is_damped (kind);
  p.has_season = kind_has_season (kind);
  p.m = p.has_season ? season : 1;
  p.s0 = g_new0 (double, p.m);
  p.s = g_new0 (double, p.m);
  initial_states (&p);

  /* start where R's forecast::ets starts: little smoothing, so the
   * simplex walks up from a stable model */
  x[np] = PARAM_MIN + 0.2 * (PARAM_MAX - PARAM_MIN) / (p.has_season ? MIN (p.m, 12) : 1);
  lower[np] = PARAM_MIN; upper[np] = PARAM_MAX; step[np] = 0.1; np++;
  if (p.has_trend)
    {
      x[np] = 0.1;
      lower[np] = PARAM_MIN; upper[np] = PARAM_MAX; step[np] = 0.1; np++;
    }
  if (p.has_season)
    {
      x[np] = 0.05;
      lower[np] = PARAM_MIN; upper[np] = PARAM_MAX; step[np] = 0.1; np++;
    }
  if (p.damped)
    {
      x[np] = 0.97;
      lower[np] = PHI_MIN; upper[np] = PHI_MAX; step[np] = -0.05; np++;
    }
  g_assert (np == kind_n_params (kind));

  options.max_evals = 60 + 60 * np;
  options.ftol = 1e-7;
  options.xtol = 1e-4;
  options.restarts = 1;
  cu_minimize_nelder_mead (ets_objective, &p, np, x, lower, upper, step, &options, NULL);

  model = g_new0 (CuForecastModel, 1);
  model->kind = kind;
  model->season = p.m;
  model->n = n;
  unpack_params (&p, x, &model->alpha, &model->beta, &model->gamma, &model->phi);
  sse = ets_run (&p, model->alpha, model->beta, model->gamma, model->phi,
                 &model->level, &model->trend);
  model->sse = sse;
  model->seasonal = g_new0 (double, p.m);
  for (guint j = 0; j < p.m; j++)
    model->seasonal[j] = p.s[(n + j) % p.m];

  /* a perfect fit would give log(0): floor the error at rounding level */
  for (gsize t = 0; t < n; t++)
    scale = MAX (scale, fabs (y[t]));
  floor_sse = n * pow (1e-10 * (scale + 1e-300), 2);
  sse = MAX (sse, floor_sse);

  k = kind_n_estimated (kind, p.m);
  model->sigma2 = model->sse / (n > k - 1 ? (double) (n - (k - 1)) : 1.0);
  if (n > (gsize) k + 1)
    model->aicc = n * log (sse / n) + n * (log (2 * G_PI) + 1) + 2.0 * k
                  + 2.0 * k * (k + 1) / (double) (n - k - 1);
  else
    model->aicc = INFINITY;

  g_free (p.s0);
  g_free (p.s);
  return model;
}

static CuForecastModel *
constant_model (const double *y,
                gsize         n)
{
  CuForecastModel *model = g_new0 (CuForecastModel, 1);

  model->kind = CU_ETS_CONSTANT;
  model->season = 1;
  model->n = n;
  model->level = y[n - 1];
  model->seasonal = g_new0 (double, 1);
  model->aicc = -INFINITY;
  return model;
}

static gboolean
kind_supported (CuEtsKind       kind,
                gsize           n,
                guint           season,
                CuForecastFlags flags)
{
  if (kind_has_season (kind) && (season < 2 || n < 2 * (gsize) season))
    return FALSE;
  if (kind_is_damped (kind) && (flags & CU_FORECAST_NO_DAMPED))
    return FALSE;
  /* the criterion needs n > k + 1 */
  return n > (gsize) kind_n_estimated (kind, season) + 1;
}

/**
 * cu_forecast_model_fit:
 * @y: @n observations, oldest first, at a regular interval
 * @n: number of observations, at least 1
 * @season: season length in periods (7 for weekly cycles in daily data);
 *   1 for no seasonality
 * @kind: the model to fit, or %CU_ETS_AUTO to choose by AICc
 * @flags: #CuForecastFlags
 *
 * Fits an additive-error ETS model. Histories shorter than two seasons get
 * no seasonal model; too short for any criterion (under five points) they
 * get simple exponential smoothing; a constant series (all zeros included)
 * gets %CU_ETS_CONSTANT. A @kind the history cannot support is replaced by
 * the best one it can.
 *
 * Returns: (transfer full): the fitted model; free with
 *   cu_forecast_model_free().
 */
CuForecastModel *
cu_forecast_model_fit (const double    *y,
                       gsize            n,
                       guint            season,
                       CuEtsKind        kind,
                       CuForecastFlags  flags)
{
  CuForecastModel *best = NULL;
  gboolean constant = TRUE, nonnegative = TRUE;

  g_return_val_if_fail (y != NULL, NULL);
  g_return_val_if_fail (n > 0, NULL);
  g_return_val_if_fail (kind >= CU_ETS_AUTO && kind < CU_ETS_N_KINDS, NULL);

  if (season == 0)
    season = 1;
  for (gsize t = 0; t < n; t++)
    {
      if (y[t] != y[0])
        constant = FALSE;
      if (y[t] < 0)
        nonnegative = FALSE;
    }

  if (constant || kind == CU_ETS_CONSTANT)
    best = constant_model (y, n);
  else if (kind != CU_ETS_AUTO && kind_supported (kind, n, season, flags))
    best = fit_kind (y, n, season, kind);
  else
    {
      for (CuEtsKind k = CU_ETS_ANN; k < CU_ETS_N_KINDS; k++)
        {
          CuForecastModel *candidate;

          if (!kind_supported (k, n, season, flags))
            continue;
          candidate = fit_kind (y, n, season, k);
          if (best == NULL || candidate->aicc < best->aicc)
            {
              g_clear_pointer (&best, cu_forecast_model_free);
              best = candidate;
            }
          else
            cu_forecast_model_free (candidate);
        }
      if (best == NULL)
        best = fit_kind (y, n, season, CU_ETS_ANN);
    }

  best->clip = nonnegative && !(flags & CU_FORECAST_NO_CLIP);

  /* A history the model reproduces exactly (flat, or exactly periodic)
   * leaves σ² at rounding level, and the interval would claim the future
   * is certain. Costs are not: keep at least the uncertainty of the level,
   * a standard deviation of LEVEL_SD_FLOOR of the recent mean. */
  {
    gsize recent = MIN (n, (gsize) MAX (28u, 4 * season));
    double level = 0.0;

    for (gsize t = n - recent; t < n; t++)
      level += fabs (y[t]);
    level /= (double) recent;
    best->sigma2 = MAX (best->sigma2, pow (LEVEL_SD_FLOOR * level, 2));
  }
  return best;
}

/**
 * cu_forecast_model_free:
 * @model: (transfer full) (nullable): a model
 *
 * Frees @model.
 */
void
cu_forecast_model_free (CuForecastModel *model)
{
  if (model == NULL)
    return;
  g_free (model->seasonal);
  g_free (model);
}

/**
 * cu_forecast_model_get_kind:
 * @model: a model
 *
 * Returns: which model was fitted.
 */
CuEtsKind
cu_forecast_model_get_kind (const CuForecastModel *model)
{
  g_return_val_if_fail (model != NULL, CU_ETS_CONSTANT);
  return model->kind;
}

/**
 * cu_forecast_model_get_season:
 * @model: a model
 *
 * Returns: the season length the model uses, 1 when it has no season.
 */
guint
cu_forecast_model_get_season (const CuForecastModel *model)
{
  g_return_val_if_fail (model != NULL, 1);
  return model->season;
}

/**
 * cu_forecast_model_get_aicc:
 * @model: a model
 *
 * Returns: the corrected Akaike information criterion of the fit
 *   (Gaussian likelihood); INFINITY when the history is too short for it.
 */
double
cu_forecast_model_get_aicc (const CuForecastModel *model)
{
  g_return_val_if_fail (model != NULL, NAN);
  return model->aicc;
}

/**
 * cu_forecast_model_get_sigma2:
 * @model: a model
 *
 * Returns: the estimated variance of the one-step-ahead errors.
 */
double
cu_forecast_model_get_sigma2 (const CuForecastModel *model)
{
  g_return_val_if_fail (model != NULL, NAN);
  return model->sigma2;
}

/**
 * cu_forecast_model_get_params:
 * @model: a model
 * @alpha: (out) (optional): level smoothing
 * @beta: (out) (optional): trend smoothing (0 without trend)
 * @gamma: (out) (optional): season smoothing (0 without season)
 * @phi: (out) (optional): damping (1 for an undamped trend, 0 without trend)
 *
 * Gets the fitted smoothing parameters.
 */
void
cu_forecast_model_get_params (const CuForecastModel *model,
                              double                *alpha,
                              double                *beta,
                              double                *gamma,
                              double                *phi)
{
  g_return_if_fail (model != NULL);
  if (alpha)
    *alpha = model->alpha;
  if (beta)
    *beta = model->beta;
  if (gamma)
    *gamma = model->gamma;
  if (phi)
    *phi = model->phi;
}

/**
 * cu_forecast_model_get_level:
 * @model: a model
 *
 * Returns: the level state after the last observation.
 */
double
cu_forecast_model_get_level (const CuForecastModel *model)
{
  g_return_val_if_fail (model != NULL, NAN);
  return model->level;
}

/**
 * cu_forecast_model_predict:
 * @model: a fitted model
 * @horizon: number of periods ahead
 * @levels: (nullable): @n_levels interval coverages in percent, e.g. 80, 95
 * @n_levels: number of @levels
 * @mean: (out caller-allocates): @horizon point forecasts
 * @lower: (out caller-allocates) (nullable): @n_levels × @horizon lower
 *   bounds, level-major: lower[l * horizon + h]
 * @upper: (out caller-allocates) (nullable): upper bounds, same layout
 *
 * Forecasts the @horizon periods after the history with prediction
 * intervals from the analytic variance of class 1 ETS models (Hyndman et
 * al. 2008, table 6.1): v_h = σ² (1 + Σ_{j<h} c_j²) with
 * c_j = α + β (φ + … + φ^j) + γ [j mod m = 0].
 */
void
cu_forecast_model_predict (const CuForecastModel *model,
                           guint                  horizon,
                           const double          *levels,
                           guint                  n_levels,
                           double                *mean,
                           double                *lower,
                           double                *upper)
{
  g_autofree double *z = NULL;
  double phi_h = 0.0, phi_pow = 1.0, var_sum = 0.0;

  g_return_if_fail (model != NULL);
  g_return_if_fail (mean != NULL || horizon == 0);
  g_return_if_fail (levels != NULL || n_levels == 0);

  z = g_new (double, MAX (n_levels, 1));
  for (guint l = 0; l < n_levels; l++)
    z[l] = cu_stats_normal_quantile (0.5 + levels[l] / 200.0);

  for (guint h = 1; h <= horizon; h++)
    {
      double mu, sd;

      /* φ_h = φ + φ² + … + φ^h, the trend multiplier at step h */
      phi_pow *= model->phi;
      phi_h += phi_pow;
      mu = model->level + phi_h * model->trend + model->seasonal[(h - 1) % model->season];
      sd = sqrt (model->sigma2 * (1.0 + var_sum));

      /* c_h joins the variance of step h + 1 */
      {
        double c = model->alpha + model->beta * phi_h
                   + (model->season > 1 && h % model->season == 0 ? model->gamma : 0.0);
        var_sum += c * c;
      }

      mean[h - 1] = model->clip ? MAX (mu, 0.0) : mu;
      for (guint l = 0; l < n_levels; l++)
        {
          double lo = mu - z[l] * sd, hi = mu + z[l] * sd;

          if (model->clip)
            {
              lo = MAX (lo, 0.0);
              hi = MAX (hi, 0.0);
            }
          if (lower != NULL)
            lower[l * horizon + h - 1] = lo;
          if (upper != NULL)
            upper[l * horizon + h - 1] = hi;
        }
    }
}

/**
 * cu_ets_kind_to_string:
 * @kind: a model kind
 *
 * Returns: the ETS(error, trend, season) name, e.g. "ETS(A,Ad,A)".
 */
const char *
cu_ets_kind_to_string (CuEtsKind kind)
{
  switch (kind)
    {
    case CU_ETS_AUTO: return "auto";
    case CU_ETS_CONSTANT: return "constant";
    case CU_ETS_ANN: return "ETS(A,N,N)";
    case CU_ETS_AAN: return "ETS(A,A,N)";
    case CU_ETS_AADN: return "ETS(A,Ad,N)";
    case CU_ETS_ANA: return "ETS(A,N,A)";
    case CU_ETS_AAA: return "ETS(A,A,A)";
    case CU_ETS_AADA: return "ETS(A,Ad,A)";
    case CU_ETS_N_KINDS:
    default:
      return "unknown";
    }
}
