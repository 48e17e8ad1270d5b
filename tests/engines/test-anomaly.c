/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-anomaly.c — online anomaly scoring */
#define G_LOG_DOMAIN "cumulus-test-anomaly"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "engines/cu-anomaly.h"

static const double weekly[7] = { 8, 12, 10, 6, 2, -18, -20 };

static double
gaussian (GRand *rand)
{
  double u1 = g_rand_double (rand), u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (1.0 - u1)) * cos (2.0 * G_PI * u2);
}

/* A daily cost-like series: level 200 with slow growth, a weekly cycle and
 * N(0, sd²) noise. */
static void
make_seasonal (GRand  *rand,
               double *y,
               guint   n,
               double  sd)
{
  for (guint t = 0; t < n; t++)
    y[t] = 200.0 + 0.05 * t + weekly[t % 7] + sd * gaussian (rand);
}

/* Spikes of 6–10 noise standard deviations (15–25 % of the level), up or
 * down, injected after the warm-up into 40 seasonal series: at least 90 %
 * are found, and at most 1 % of the ordinary points are flagged. */
static void
test_spikes_recall_and_false_alarms (void)
{
  const guint n = 548, series = 40;
  const double sd = 5.0;
  guint spikes = 0, found = 0, normal = 0, false_alarms = 0;
  CuAnomalyOptions options;

  cu_anomaly_options_init (&options, 7);
  for (guint s = 0; s < series; s++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (1000 + s);
      double y[548], expected[548], score[548];
      gboolean flag[548], spike[548] = { FALSE };

      make_seasonal (rand, y, n, sd);
      for (guint t = 40; t < n; t += g_rand_int_range (rand, 15, 40))
        {
          double size = g_rand_double_range (rand, 6.0, 10.0) * sd;

          y[t] += g_rand_boolean (rand) ? size : -size;
          spike[t] = TRUE;
        }
      cu_anomaly_detect (y, n, &options, expected, score, flag);
      for (guint t = 28; t < n; t++)
        {
          g_assert_cmpfloat (score[t], >=, 0.0);
          g_assert_cmpfloat (score[t], <=, 1.0);
          if (spike[t])
            {
              spikes++;
              found += flag[t];
            }
          else
            {
              normal++;
              false_alarms += flag[t];
            }
        }
    }
  g_test_message ("recall %u/%u = %.3f, false alarms %u/%u = %.4f",
                  found, spikes, (double) found / spikes, false_alarms, normal,
                  (double) false_alarms / normal);
  g_assert_cmpfloat ((double) found / spikes, >=, 0.9);
  g_assert_cmpfloat ((double) false_alarms / normal, <=, 0.01);
}

/* Noise alone, with heavier tails (a Student-like mix) and no spikes: the
 * detector stays quiet. */
static void
test_quiet_on_noise (void)
{
  const guint n = 730;
  guint flagged = 0, total = 0;
  CuAnomalyOptions options;

  cu_anomaly_options_init (&options, 7);
  for (guint s = 0; s < 20; s++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (77 + s);
      double y[730];
      gboolean flag[730];

      for (guint t = 0; t < n; t++)
        {
          double scale = g_rand_double (rand) < 0.1 ? 2.0 : 1.0;
          y[t] = 100.0 + weekly[t % 7] + 4.0 * scale * gaussian (rand);
        }
      cu_anomaly_detect (y, n, &options, NULL, NULL, flag);
      for (guint t = 0; t < n; t++)
        flagged += flag[t];
      total += n;
    }
  g_test_message ("flagged %u of %u noise points", flagged, total);
  g_assert_cmpfloat ((double) flagged / total, <=, 0.005);
}

/* Appending points never changes an earlier score: every prefix scores its
 * rows exactly as the whole series does. */
static void
test_prefix_invariance (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  const guint n = 300;
  double y[300], expected[300], score[300];
  gboolean flag[300];
  CuAnomalyOptions options;

  make_seasonal (rand, y, n, 3.0);
  y[150] += 80;
  y[151] -= 60;
  cu_anomaly_options_init (&options, 7);
  cu_anomaly_detect (y, n, &options, expected, score, flag);
  g_assert_true (flag[150]);

  for (guint len = 1; len <= n; len += (len < 40 ? 1 : 13))
    {
      double e[300], s[300];
      gboolean f[300];

      cu_anomaly_detect (y, len, &options, e, s, f);
      for (guint i = 0; i < len; i++)
        {
          g_assert_true (memcmp (&e[i], &expected[i], sizeof (double)) == 0);
          g_assert_true (memcmp (&s[i], &score[i], sizeof (double)) == 0);
          g_assert_cmpint (f[i], ==, flag[i]);
        }
    }

  /* and the streaming detector agrees with the batch call */
  {
    g_autoptr(CuAnomalyDetector) detector = cu_anomaly_detector_new (&options);

    for (guint i = 0; i < n; i++)
      {
        double e, s;
        gboolean f = cu_anomaly_detector_push (detector, y[i], &e, &s);

        g_assert_true (e == expected[i] && s == score[i] && f == flag[i]);
      }
    g_assert_cmpuint (cu_anomaly_detector_get_n (detector), ==, n);
  }
}

/* A flat series with a wiggle in the ninth digit must not produce huge
 * scores, and neither must an all-zero one. */
static void
test_flat_does_not_explode (void)
{
  double y[200], score[200], expected[200];
  gboolean flag[200];
  CuAnomalyOptions options;

  cu_anomaly_options_init (&options, 7);
  for (guint t = 0; t < 200; t++)
    y[t] = 100.0 + 1e-9 * ((t * 7919) % 13) + (t == 120 ? 1e-4 : 0.0);
  cu_anomaly_detect (y, 200, &options, expected, score, flag);
  for (guint t = 0; t < 200; t++)
    {
      g_assert_false (flag[t]);
      g_assert_cmpfloat (score[t], <, 0.5);
      g_assert_cmpfloat_with_epsilon (expected[t], 100.0, 1e-3);
    }

  memset (y, 0, sizeof y);
  cu_anomaly_detect (y, 200, &options, expected, score, flag);
  for (guint t = 0; t < 200; t++)
    g_assert_true (score[t] == 0.0 && expected[t] == 0.0 && !flag[t]);
}

/* Nothing is flagged before the minimum history, however wild. */
static void
test_warm_up (void)
{
  double y[40], score[40], expected[40];
  gboolean flag[40];
  CuAnomalyOptions options;

  cu_anomaly_options_init (&options, 7);
  for (guint t = 0; t < 40; t++)
    y[t] = t % 5 == 0 ? 1000.0 : 10.0;
  cu_anomaly_detect (y, 40, &options, expected, score, flag);
  for (guint t = 0; t < 28; t++)
    {
      g_assert_cmpfloat (score[t], ==, 0.0);
      g_assert_false (flag[t]);
      g_assert_true (isfinite (expected[t]));
    }
  g_assert_cmpfloat (expected[0], ==, y[0]);
}

/* A permanent step is an anomaly when it happens, then becomes the new
 * normal within about a week. */
static void
test_level_shift_adapts (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  double y[300];
  gboolean flag[300];
  CuAnomalyOptions options;
  guint late = 0;

  make_seasonal (rand, y, 300, 2.0);
  for (guint t = 150; t < 300; t++)
    y[t] += 60.0;
  cu_anomaly_options_init (&options, 7);
  cu_anomaly_detect (y, 300, &options, NULL, NULL, flag);
  g_assert_true (flag[150]);
  for (guint t = 160; t < 300; t++)
    late += flag[t];
  g_assert_cmpuint (late, <=, 2);
}

/* The impact gate keeps small absolute deviations from alerting. */
static void
test_min_impact (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  double y[200];
  gboolean flag[200];
  CuAnomalyOptions options;

  make_seasonal (rand, y, 200, 1.0);
  y[100] += 30.0;
  cu_anomaly_options_init (&options, 7);
  cu_anomaly_detect (y, 200, &options, NULL, NULL, flag);
  g_assert_true (flag[100]);
  options.min_impact = 50.0;
  cu_anomaly_detect (y, 200, &options, NULL, NULL, flag);
  g_assert_false (flag[100]);
}

/* Hourly data with a daily cycle: a spike at one hour is found, the
 * ordinary daily swing is not flagged. */
static void
test_hourly (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);
  double y[24 * 30];
  gboolean flag[24 * 30];
  CuAnomalyOptions options;
  guint flagged = 0;

  for (guint t = 0; t < G_N_ELEMENTS (y); t++)
    y[t] = 50.0 + 30.0 * sin (2 * G_PI * (t % 24) / 24.0) + gaussian (rand);
  y[500] += 15.0;
  cu_anomaly_options_init (&options, 24);
  cu_anomaly_detect (y, G_N_ELEMENTS (y), &options, NULL, NULL, flag);
  for (guint t = 0; t < G_N_ELEMENTS (y); t++)
    flagged += flag[t];
  g_assert_true (flag[500]);
  g_assert_cmpuint (flagged, <=, 4);
}

/* The baseline follows time, not row count: an hourly series with a daily
 * cycle loses 5 hours in an outage. Scored at its times, the rows after the
 * gap meet their own hour of earlier days and nothing is flagged; scored as
 * if the rows were back to back, the cycle is 5 hours off and the day
 * after the outage is full of false alarms. A repeated hour (a clock set
 * back) is scored row by row without alarms either. */
static void
test_gaps_follow_time (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (31);
  double t[24 * 40], y[24 * 40];
  gboolean flag_t[24 * 40], flag_rows[24 * 40];
  guint n = 0, timed = 0, by_rows = 0;
  CuAnomalyOptions options;

  for (guint h = 0; h < 24 * 40; h++)
    {
      if (h >= 24 * 30 + 3 && h < 24 * 30 + 8)
        continue;                                   /* the outage */
      t[n] = h * 3600.0;
      y[n] = 50.0 + 30.0 * sin (2 * G_PI * (h % 24) / 24.0) + gaussian (rand);
      n++;
      if (h == 24 * 35 + 2)
        {
          /* the hour once more, as a clock set back writes it */
          t[n] = h * 3600.0;
          y[n] = 50.0 + 30.0 * sin (2 * G_PI * (h % 24) / 24.0) + gaussian (rand);
          n++;
        }
    }
  cu_anomaly_options_init (&options, 24);
  options.step = 3600.0;
  cu_anomaly_detect_at (t, y, n, &options, NULL, NULL, flag_t);
  cu_anomaly_options_init (&options, 24);
  cu_anomaly_detect (y, n, &options, NULL, NULL, flag_rows);
  for (guint i = 24 * 30; i < n; i++)
    {
      timed += flag_t[i];
      by_rows += flag_rows[i];
    }
  g_test_message ("after the outage: %u flags at the rows' times, %u by row count", timed, by_rows);
  g_assert_cmpuint (timed, <=, 1);
  g_assert_cmpuint (by_rows, >=, 10);
}

/* The score reads as a probability of an anomaly: 0 on the baseline, a
 * few percent at |z| = 3, one half at the default threshold |z| = 4, 0.99
 * only past |z| = 5 (once in two million normal residuals), symmetric and
 * rising. */
static void
test_score_mapping (void)
{
  CuAnomalyOptions options;

  cu_anomaly_options_init (&options, 7);
  g_assert_cmpfloat (cu_anomaly_score_for_z (0.0), ==, 0.0);
  g_assert_cmpfloat (cu_anomaly_score_for_z (2.0), <, 0.003);
  g_assert_cmpfloat (cu_anomaly_score_for_z (3.0), <, 0.05);
  g_assert_cmpfloat_with_epsilon (cu_anomaly_score_for_z (4.0), 0.5, 0.01);
  g_assert_cmpfloat (cu_anomaly_score_for_z (4.0), ==, options.threshold);
  g_assert_cmpfloat (cu_anomaly_score_for_z (5.0), <, 0.99);
  g_assert_cmpfloat (cu_anomaly_score_for_z (5.2), >, 0.99);
  g_assert_cmpfloat (cu_anomaly_score_for_z (-3.5), ==, cu_anomaly_score_for_z (3.5));
  g_assert_cmpfloat (cu_anomaly_score_for_z (50.0), ==, 1.0);
  g_assert_cmpfloat (cu_anomaly_score_for_z (NAN), ==, 0.0);
  for (double z = 0.0; z < 8.0; z += 0.25)
    g_assert_cmpfloat (cu_anomaly_score_for_z (z), <=, cu_anomaly_score_for_z (z + 0.25));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/anomaly/spikes-recall-and-false-alarms", test_spikes_recall_and_false_alarms);
  g_test_add_func ("/anomaly/quiet-on-noise", test_quiet_on_noise);
  g_test_add_func ("/anomaly/prefix-invariance", test_prefix_invariance);
  g_test_add_func ("/anomaly/flat-does-not-explode", test_flat_does_not_explode);
  g_test_add_func ("/anomaly/warm-up", test_warm_up);
  g_test_add_func ("/anomaly/level-shift-adapts", test_level_shift_adapts);
  g_test_add_func ("/anomaly/min-impact", test_min_impact);
  g_test_add_func ("/anomaly/hourly", test_hourly);
  g_test_add_func ("/anomaly/gaps-follow-time", test_gaps_follow_time);
  g_test_add_func ("/anomaly/score-mapping", test_score_mapping);
  return g_test_run ();
}
