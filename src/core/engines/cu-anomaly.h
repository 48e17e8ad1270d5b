/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-anomaly.h — online, seasonality-aware anomaly scoring
 *
 * Each point is compared with a robust seasonal baseline built from the
 * points before it only (the median of the same phase over recent seasons,
 * shifted by the change in a rolling median level, plus a local level that
 * follows a level shift within a few points), and the residual is scaled
 * by the median absolute deviation of past residuals, with a floor so that
 * flat series do not explode; a slow drift is judged on the change of the
 * local level. The baseline follows time, not row
 * count, when points come with times (cu_anomaly_detector_push_at()): gaps,
 * uneven intervals and repeated times are taken as they are.
 *
 * The score is in [0, 1] and reads as the probability that the point is an
 * anomaly given the points before it: near 0 for ordinary points, near 1
 * for a point far outside the baseline. A point's score never depends on
 * later points.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CuAnomalyOptions:
 * @season: season length in periods (7 for daily data), 1 for none
 * @threshold: a point is an anomaly when its score reaches this
 * @min_history: points before any flagging (0: four seasons, at least 28)
 * @min_impact: smallest |actual − expected| that may be flagged, in the
 *   units of the series (a dollar floor for costs); 0 disables the gate
 * @relative_floor: the spread is at least this fraction of the level
 * @step: the nominal interval between points, in the unit of the times
 *   given to cu_anomaly_detector_push_at() (seconds, say); 0 for 1
 * @period: the season's length in that unit (86400 for a daily cycle in
 *   seconds); 0 for @season × @step
 */
typedef struct {
  guint  season;
  double threshold;
  guint  min_history;
  double min_impact;
  double relative_floor;
  double step;
  double period;
} CuAnomalyOptions;

typedef struct _CuAnomalyDetector CuAnomalyDetector;

void               cu_anomaly_options_init   (CuAnomalyOptions       *options,
                                              guint                   season);
double             cu_anomaly_score_for_z    (double                  z);

CuAnomalyDetector *cu_anomaly_detector_new   (const CuAnomalyOptions *options);
void               cu_anomaly_detector_free  (CuAnomalyDetector      *detector);
gboolean           cu_anomaly_detector_push  (CuAnomalyDetector      *detector,
                                              double                  value,
                                              double                 *expected,
                                              double                 *score);
gboolean           cu_anomaly_detector_push_at (CuAnomalyDetector    *detector,
                                              double                  time,
                                              double                  value,
                                              double                 *expected,
                                              double                 *score);
gsize              cu_anomaly_detector_get_n (const CuAnomalyDetector *detector);

void               cu_anomaly_detect         (const double           *y,
                                              gsize                   n,
                                              const CuAnomalyOptions *options,
                                              double                 *expected,
                                              double                 *score,
                                              gboolean               *is_anomaly);
void               cu_anomaly_detect_at      (const double           *times,
                                              const double           *y,
                                              gsize                   n,
                                              const CuAnomalyOptions *options,
                                              double                 *expected,
                                              double                 *score,
                                              gboolean               *is_anomaly);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuAnomalyDetector, cu_anomaly_detector_free)

G_END_DECLS
