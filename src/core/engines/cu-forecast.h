/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-forecast.h — exponential smoothing (ETS) forecasts with intervals
 *
 * Additive-error ETS models in the taxonomy of Hyndman et al. (2008),
 * "Forecasting with Exponential Smoothing": level only, additive trend,
 * damped trend, each with or without additive seasonality. Parameters are
 * fitted by minimising one-step-ahead squared errors with a bounded
 * Nelder–Mead; the model is picked per series by AICc. Plain C over arrays,
 * safe to call from worker threads.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CuEtsKind:
 * @CU_ETS_AUTO: pick the model by AICc among those the history supports
 * @CU_ETS_CONSTANT: a constant series (or one value): repeat it
 * @CU_ETS_ANN: level only (simple exponential smoothing)
 * @CU_ETS_AAN: level and additive trend (Holt)
 * @CU_ETS_AADN: level and damped additive trend
 * @CU_ETS_ANA: level and additive season
 * @CU_ETS_AAA: additive trend and season (Holt–Winters)
 * @CU_ETS_AADA: damped trend and additive season
 */
typedef enum {
  CU_ETS_AUTO = -1,
  CU_ETS_CONSTANT = 0,
  CU_ETS_ANN,
  CU_ETS_AAN,
  CU_ETS_AADN,
  CU_ETS_ANA,
  CU_ETS_AAA,
  CU_ETS_AADA,
  CU_ETS_N_KINDS,
} CuEtsKind;

/**
 * CuForecastFlags:
 * @CU_FORECAST_NONE: defaults
 * @CU_FORECAST_NO_DAMPED: leave out the damped-trend models
 * @CU_FORECAST_NO_CLIP: never clip at zero (by default forecasts and lower
 *   bounds are clipped at 0 when every input is non-negative)
 */
typedef enum {
  CU_FORECAST_NONE     = 0,
  CU_FORECAST_NO_DAMPED = 1 << 0,
  CU_FORECAST_NO_CLIP  = 1 << 1,
} CuForecastFlags;

typedef struct _CuForecastModel CuForecastModel;

CuForecastModel *cu_forecast_model_fit        (const double          *y,
                                               gsize                  n,
                                               guint                  season,
                                               CuEtsKind              kind,
                                               CuForecastFlags        flags);
void             cu_forecast_model_free       (CuForecastModel       *model);
CuEtsKind        cu_forecast_model_get_kind   (const CuForecastModel *model);
guint            cu_forecast_model_get_season (const CuForecastModel *model);
double           cu_forecast_model_get_aicc   (const CuForecastModel *model);
double           cu_forecast_model_get_sigma2 (const CuForecastModel *model);
void             cu_forecast_model_get_params (const CuForecastModel *model,
                                               double                *alpha,
                                               double                *beta,
                                               double                *gamma,
                                               double                *phi);
double           cu_forecast_model_get_level  (const CuForecastModel *model);
void             cu_forecast_model_predict    (const CuForecastModel *model,
                                               guint                  horizon,
                                               const double          *levels,
                                               guint                  n_levels,
                                               double                *mean,
                                               double                *lower,
                                               double                *upper);

const char      *cu_ets_kind_to_string        (CuEtsKind              kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuForecastModel, cu_forecast_model_free)

G_END_DECLS
