/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-anomaly-input.c — anomaly scores on series as real exports hold them
 *
 * The irregular-times reader (repeated and set-back clocks, gaps, small
 * disorder, errors that name file, line and column), the cadence inferred
 * from the times and the data, and the engine on the labelled test set of
 * anomaly-testset.c: calibration on quiet rows, extreme points, level
 * shifts, online scores under truncation, and its NAB-style score.
 */
#define G_LOG_DOMAIN "cumulus-test-anomaly-input"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "anomaly-testset.h"
#include "engines/cu-anomaly.h"
#include "engines/cu-anomaly-series.h"
#include "engines/cu-series.h"

static GPtrArray *test_set;    /* of TestSeries */
static double   **test_scores; /* one array per file, via the CLI's path */

static CuSeries *
read_irregular (const char *csv,
                GError    **error)
{
  return cu_series_new_from_csv_data_with_flags (csv, -1, "t.csv", CU_SERIES_FLAGS_IRREGULAR, error);
}

/* An hourly export in local time across the end of daylight saving: the
 * hour 02:00 comes twice. The strict reader refuses it (forecasts need one
 * row per period); the irregular one keeps both rows in file order. */
static void
test_repeated_hour (void)
{
  const char *csv = "timestamp,value\n"
                    "2025-10-26 00:00:00,10\n"
                    "2025-10-26 01:00:00,11\n"
                    "2025-10-26 02:00:00,12\n"
                    "2025-10-26 02:00:00,13\n"
                    "2025-10-26 03:00:00,14\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) strict = cu_series_new_from_csv_data (csv, -1, "t.csv", &error);
  g_autoptr(CuSeries) s = NULL;

  g_assert_null (strict);
  g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_ORDER);
  g_clear_error (&error);

  s = read_irregular (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cu_series_get_n (s), ==, 5);
  g_assert_cmpfloat (cu_series_get_values (s)[2], ==, 12.0);
  g_assert_cmpfloat (cu_series_get_values (s)[3], ==, 13.0);
  g_assert_cmpstr (cu_series_get_label (s, 3), ==, "2025-10-26 02:00:00");
}

/* A 5-minute export whose clock goes back an hour (02:55 → 02:00), has a
 * row two seconds before the one above it, and a gap: all read. A clock
 * two hours back, or a row ten minutes early, is an error naming the file,
 * the line and the column. */
static void
test_set_back_clock_and_disorder (void)
{
  GString *csv = g_string_new ("timestamp,value\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) s = NULL;
  g_autoptr(CuSeries) bad = NULL;
  g_autoptr(CuSeries) bad2 = NULL;

  for (guint k = 0; k < 12; k++)
    g_string_append_printf (csv, "2025-10-26 02:%02u:00,%u\n", k * 5, k);
  for (guint k = 0; k < 12; k++)   /* the hour again, after the switch */
    g_string_append_printf (csv, "2025-10-26 02:%02u:00,%u\n", k * 5, 20 + k);
  g_string_append (csv, "2025-10-26 03:00:00,40\n2025-10-26 02:59:58,41\n");
  g_string_append (csv, "2025-10-26 04:30:00,42\n");    /* 85 minutes missing */
  s = read_irregular (csv->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cu_series_get_n (s), ==, 27);

  {
    g_autofree char *back = g_strconcat (csv->str, "2025-10-26 02:20:00,43\n", NULL);

    bad = read_irregular (back, &error);
    g_assert_null (bad);
    g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_ORDER);
    g_assert_true (g_str_has_prefix (error->message, "t.csv:29: column “timestamp”:"));
    g_clear_error (&error);
  }
  {
    g_autofree char *early = g_strconcat (csv->str, "2025-10-26 04:20:00,43\n", NULL);

    bad2 = read_irregular (early, &error);
    g_assert_null (bad2);
    g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_ORDER);
    g_assert_true (g_str_has_prefix (error->message, "t.csv:29:"));
  }
  g_string_free (csv, TRUE);
}

/* What cannot be read still fails, naming the field. */
static void
test_unreadable_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) s1 = read_irregular ("timestamp,cpu,value\n2025-01-01 00:00,1,5\n2025-01-01 00:05,1,n/a\n", &error);

  g_assert_null (s1);
  g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "t.csv:3: column “value”: “n/a” is not a finite number");
  g_clear_error (&error);
  {
    g_autoptr(CuSeries) s2 = read_irregular ("Timestamp,value\n2025-01-01 00:00,1\nyesterday,2\n", &error);

    g_assert_null (s2);
    g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_PARSE);
    g_assert_true (g_str_has_prefix (error->message, "t.csv:3: column “Timestamp”: “yesterday”"));
  }
}

static CuSeries *
series_of (const TestSeries *ts)
{
  g_autofree char *csv = test_series_to_csv (ts);
  g_autoptr(GError) error = NULL;
  CuSeries *s = cu_series_new_from_csv_data_with_flags (csv, -1, ts->name, CU_SERIES_FLAGS_IRREGULAR, &error);

  g_assert_no_error (error);
  return s;
}

/* The season from the interval and the data: a day for the 5-minute files,
 * a week for the hourly ones (office hours, quiet weekends) and the daily
 * ones; a day for an unusual 7-minute interval with a daily cycle. */
static void
test_cadence (void)
{
  for (guint f = 0; f < test_set->len; f++)
    {
      const TestSeries *ts = test_set->pdata[f];
      g_autoptr(CuSeries) s = series_of (ts);
      double step, period;

      if (g_str_equal (ts->name, "nile"))
        continue;
      cu_anomaly_series_cadence (s, 0, &step, &period);
      g_assert_cmpfloat (fabs (step - ts->step), <=, 2.0);
      if (period != ts->period)
        g_error ("%s: season of %.0f s inferred, %.0f s built in", ts->name, period, ts->period);
      cu_anomaly_series_cadence (s, 24, &step, &period);
      g_assert_cmpfloat (fabs (period - 24 * step), <, 1e-6);
    }
  {
    GString *csv = g_string_new ("timestamp,value\n");
    g_autoptr(GDateTime) t0 = g_date_time_new_utc (2025, 3, 3, 0, 0, 0);
    g_autoptr(CuSeries) s = NULL;
    double step, period;

    for (guint k = 0; k < 14 * 24 * 60 / 7; k++)
      {
        g_autoptr(GDateTime) t = g_date_time_add_minutes (t0, 7 * (int) k);
        g_autofree char *label = g_date_time_format (t, "%F %T");
        double hod = g_date_time_get_hour (t) + g_date_time_get_minute (t) / 60.0;

        g_string_append_printf (csv, "%s,%.3f\n", label, 50 + 20 * sin (2 * G_PI * hod / 24) + (k * 7919 % 13) * 0.1);
      }
    s = read_irregular (csv->str, NULL);
    g_assert_nonnull (s);
    cu_anomaly_series_cadence (s, 0, &step, &period);
    g_assert_cmpfloat (step, ==, 420.0);
    g_assert_cmpfloat (period, ==, 86400.0);
    g_string_free (csv, TRUE);
  }
}

/* On the quiet rows of every file (after the first 15 %, outside every
 * incident and its window), scores of 0.99 or more are rare: under 0.1 %
 * over the set, and no file above 0.5 %. */
static void
test_calibration (void)
{
  guint quiet = 0, high = 0, above_half = 0;

  for (guint f = 0; f < test_set->len; f++)
    {
      const TestSeries *ts = test_set->pdata[f];
      guint fq = 0, fh = 0;

      for (gsize i = 0; i < ts->n; i++)
        {
          g_assert_cmpfloat (test_scores[f][i], >=, 0.0);
          g_assert_cmpfloat (test_scores[f][i], <=, 1.0);
          if (!ts->quiet[i])
            continue;
          fq++;
          fh += test_scores[f][i] >= 0.99;
          above_half += test_scores[f][i] >= 0.5;
        }
      if (fq > 0 && (double) fh / fq > 0.005)
        g_error ("%s: %u of %u quiet rows score >= 0.99", ts->name, fh, fq);
      quiet += fq;
      high += fh;
    }
  g_test_message ("quiet rows: %u, >= 0.99: %u, >= 0.5: %u", quiet, high, above_half);
  g_assert_cmpuint (quiet, >, 40000);
  g_assert_cmpfloat ((double) high / quiet, <, 0.001);
  g_assert_cmpfloat ((double) above_half / quiet, <, 0.005);
}

/* Whether row @i is in the window or span of an incident other than @k. */
static gboolean
near_other_incident (const TestSeries *ts,
                     guint             k,
                     gsize             i)
{
  for (guint o = 0; o < ts->n_incidents; o++)
    if (o != k && i >= ts->incidents[o].window_start
        && i <= MAX (ts->incidents[o].window_end, ts->incidents[o].end))
      return TRUE;
  return FALSE;
}

/* A single extreme point (a spike of 8 noise standard deviations or more)
 * scores near 1; a level shift scores high at its start (within three rows,
 * above 0.5 from 6.5 noise standard deviations, above 0.9 from 8 σ), and from 30 rows on the baseline has
 * followed it (nothing above 0.5 up to 200 rows, other incidents aside). */
static void
test_spikes_and_shifts (void)
{
  guint spikes = 0, shifts = 0;

  for (guint f = 0; f < test_set->len; f++)
    {
      const TestSeries *ts = test_set->pdata[f];
      const double *sc = test_scores[f];

      for (guint k = 0; k < ts->n_incidents; k++)
        {
          const TestIncident *inc = &ts->incidents[k];
          double first = 0.0, late = 0.0;

          if (inc->kind == TEST_INCIDENT_SPIKE && fabs (inc->size) >= 8.0)
            {
              for (gsize i = inc->start; i <= inc->end; i++)
                first = MAX (first, sc[i]);
              if (first < 0.99)
                g_error ("%s: spike of %.1f σ at row %" G_GSIZE_FORMAT " scores %.3f",
                         ts->name, inc->size, inc->start, first);
              spikes++;
            }
          if (inc->kind == TEST_INCIDENT_LEVEL_SHIFT && g_str_has_prefix (ts->name, "nile") == FALSE)
            {
              for (gsize i = inc->start; i < inc->start + 3; i++)
                first = MAX (first, sc[i]);
              for (gsize i = inc->start + 30; i < MIN (inc->start + 200, ts->n); i++)
                if (!near_other_incident (ts, k, i))
                  late = MAX (late, sc[i]);
              if (first < (fabs (inc->size) >= 8.0 ? 0.9 : fabs (inc->size) >= 6.5 ? 0.5 : 0.0) || late > 0.5)
                g_error ("%s: level shift of %.1f σ at row %" G_GSIZE_FORMAT ": %.3f at its start, %.3f later",
                         ts->name, inc->size, inc->start, first, late);
              shifts++;
            }
        }
    }
  g_test_message ("%u spikes, %u level shifts", spikes, shifts);
  g_assert_cmpuint (spikes, >=, 5);
  g_assert_cmpuint (shifts, >=, 5);
}

/* Online: the first rows of a file, read and scored alone as the CLI does
 * (interval and season inferred from what there is), get exactly the
 * scores and baselines they get in the whole file; one file of each
 * interval, cut at several places, before and after the season is chosen. */
static void
test_truncation (void)
{
  const char *names[] = { "5min-01", "hourly-02", "hourly-04", "daily-03" };

  for (guint q = 0; q < G_N_ELEMENTS (names); q++)
    for (guint f = 0; f < test_set->len; f++)
      {
        const TestSeries *ts = test_set->pdata[f];
        g_autofree char *csv = NULL;
        g_autofree double *full_e = NULL;
        g_autofree double *full_s = NULL;
        g_autoptr(CuSeries) s = NULL;

        if (!g_str_equal (ts->name, names[q]))
          continue;
        csv = test_series_to_csv (ts);
        s = series_of (ts);
        full_e = g_new (double, ts->n);
        full_s = g_new (double, ts->n);
        cu_anomaly_series_detect (s, 0, full_e, full_s, NULL);
        g_assert_true (memcmp (full_s, test_scores[f], ts->n * sizeof (double)) == 0);
        for (gsize cut = 40; cut < ts->n; cut += ts->n / 6)
          {
            char *end = csv;
            g_autoptr(CuSeries) part = NULL;
            g_autofree double *pe = g_new (double, cut);
            g_autofree double *ps = g_new (double, cut);
            char saved;

            for (gsize line = 0; line <= cut; line++)
              end = strchr (end, '\n') + 1;
            saved = *end;
            *end = '\0';
            part = cu_series_new_from_csv_data_with_flags (csv, -1, ts->name, CU_SERIES_FLAGS_IRREGULAR, NULL);
            *end = saved;
            g_assert_nonnull (part);
            g_assert_cmpuint (cu_series_get_n (part), ==, cut);
            cu_anomaly_series_detect (part, 0, pe, ps, NULL);
            if (memcmp (ps, full_s, cut * sizeof (double)) != 0 || memcmp (pe, full_e, cut * sizeof (double)) != 0)
              g_error ("%s cut after %" G_GSIZE_FORMAT " rows scores differently", ts->name, cut);
          }
      }
}

/* The NAB-style score of the engine over the whole set at one threshold
 * beats flagging nothing by far, and what the sliding-window Gaussian
 * reaches at its best (47, see README). */
static void
test_nab (void)
{
  TestNabResult r;

  test_nab_score (test_set, (const double *const *) test_scores, 0.2, &r);
  g_test_message ("NAB %.1f: %u/%u windows, %u false flags", r.score, r.detected, r.windows, r.false_flags);
  g_assert_cmpfloat (r.score, >, 65.0);
  g_assert_cmpuint (r.detected, >=, r.windows * 8 / 10);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  test_set = test_set_generate ();
  test_scores = g_new0 (double *, test_set->len);
  for (guint f = 0; f < test_set->len; f++)
    {
      const TestSeries *ts = test_set->pdata[f];
      g_autoptr(CuSeries) s = series_of (ts);

      g_assert_cmpuint (cu_series_get_n (s), ==, ts->n);
      test_scores[f] = g_new (double, ts->n);
      cu_anomaly_series_detect (s, 0, NULL, test_scores[f], NULL);
    }

  g_test_add_func ("/anomaly-input/repeated-hour", test_repeated_hour);
  g_test_add_func ("/anomaly-input/set-back-clock-and-disorder", test_set_back_clock_and_disorder);
  g_test_add_func ("/anomaly-input/unreadable-fields", test_unreadable_fields);
  g_test_add_func ("/anomaly-input/cadence", test_cadence);
  g_test_add_func ("/anomaly-input/calibration", test_calibration);
  g_test_add_func ("/anomaly-input/spikes-and-shifts", test_spikes_and_shifts);
  g_test_add_func ("/anomaly-input/truncation", test_truncation);
  g_test_add_func ("/anomaly-input/nab", test_nab);
  rc = g_test_run ();

  for (guint f = 0; f < test_set->len; f++)
    g_free (test_scores[f]);
  g_free (test_scores);
  g_ptr_array_unref (test_set);
  return rc;
}
