/* SPDX-License-Identifier: GPL-3.0-or-later */
/* anomaly-testset.h — a labelled test set for streaming anomaly scores
 *
 * Synthetic series with documented incidents (spikes, level shifts, slow
 * drifts, variance changes) at 5-minute, hourly and daily intervals, with
 * daily and weekly cycles and what real exports contain: gaps, an hour
 * repeated by a daylight-saving clock, rows a few seconds out of order and
 * duplicated days. Fixed seeds: the same set on every machine. Also the
 * NAB-style scorer (windows around incidents, earliest flag earns most,
 * every flag outside a window costs) used by the benchmark and the tests.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TEST_INCIDENT_SPIKE,
  TEST_INCIDENT_LEVEL_SHIFT,
  TEST_INCIDENT_DRIFT,
  TEST_INCIDENT_VARIANCE,
} TestIncidentKind;

typedef struct {
  TestIncidentKind kind;
  gsize            start;         /* first affected row, in file order */
  gsize            end;           /* last row of the incident's own span */
  gsize            window_start;  /* NAB window, rows, inclusive */
  gsize            window_end;
  double           size;          /* in noise standard deviations */
} TestIncident;

typedef struct {
  char         *name;
  double        step;       /* seconds */
  double        period;     /* the longest cycle built in, seconds */
  gsize         n;
  gint64       *times;      /* as written: local clock seconds, file order */
  double       *values;
  TestIncident *incidents;
  guint         n_incidents;
  gsize         probation;  /* leading rows not scored (15 %) */
  gboolean     *quiet;      /* rows outside every window and incident */
} TestSeries;

const char *test_incident_kind_name (TestIncidentKind kind);

GPtrArray  *test_set_generate       (void);
TestSeries *test_series_new_labelled (const char   *name,
                                      const gint64 *times,
                                      const double *values,
                                      gsize         n,
                                      double        step,
                                      const gsize  *starts,
                                      const gsize  *ends,
                                      guint         n_incidents);
void        test_series_free        (TestSeries *series);
char       *test_series_to_csv      (const TestSeries *series);

typedef struct {
  double score;            /* normalised: 100 perfect, 0 flags nothing */
  guint  detected;         /* windows with a flag */
  guint  windows;
  guint  false_flags;      /* flagged rows outside every window */
  guint  quiet_rows;
  guint  quiet_high;       /* quiet rows scoring >= 0.99 */
} TestNabResult;

void test_nab_score (GPtrArray           *set,
                     const double *const *scores,
                     double               threshold,
                     TestNabResult       *result);

G_END_DECLS
