/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-anomaly.c — NAB-style score of `anomalies --input` on a labelled set
 *
 *   bench-anomaly [--nile FILE] [--export DIR]
 *
 * Scores the labelled test set of tests/engines/anomaly-testset.c (24
 * synthetic files at 5-minute, hourly and daily intervals) plus, when
 * found, the Nile flows 1871–1970 with their documented change point
 * (statsmodels' `nile` data set, Debian package python3-statsmodels, public
 * domain; Cobb 1978, Biometrika 65, 243–251: the flow drops from 1899).
 * Each file goes through what `cumulus-cli anomalies --input` does: the CSV
 * text is read with the irregular-times reader and scored with the cadence
 * inferred from it. Next to it, a sliding-window Gaussian baseline: the
 * mean and standard deviation of the previous season of rows (at least 30),
 * score 2 Φ(|z|) − 1. Each detector is judged at its best single threshold
 * on `score` over all files, and the share of quiet rows (outside every
 * window and incident) scoring ≥ 0.99 is printed.
 */
#define G_LOG_DOMAIN "cumulus-bench"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engines/cu-anomaly.h"
#include "engines/cu-anomaly-series.h"
#include "engines/cu-series.h"
#include "anomaly-testset.h"

#define NILE_DEFAULT "/usr/lib/python3/dist-packages/statsmodels/datasets/nile/nile.csv"

static int
cmp_desc (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? 1 : x > y ? -1 : 0;
}

/* The Nile series: "year,volume" rows, 1871–1970, change point from 1899. */
static TestSeries *
load_nile (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  gsize start = 0, end;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      int year;
      double v;
      g_autoptr(GDateTime) dt = NULL;
      gint64 t;

      if (sscanf (lines[i], "%d,%lf", &year, &v) != 2)
        continue;
      dt = g_date_time_new_utc (year, 1, 1, 0, 0, 0);
      t = g_date_time_to_unix (dt);
      if (year == 1899)
        start = times->len;
      g_array_append_val (times, t);
      g_array_append_val (values, v);
    }
  if (times->len < 50 || start == 0)
    return NULL;
  end = start;
  return test_series_new_labelled ("nile", (gint64 *) (gpointer) times->data, (double *) (gpointer) values->data,
                                   times->len, 365.25 * 86400.0, &start, &end, 1);
}

/* Sliding-window Gaussian: z against the mean and standard deviation of
 * the previous @w rows. */
static void
gaussian_baseline (const double *y,
                   gsize         n,
                   gsize         w,
                   double       *score)
{
  double sum = 0.0, sum2 = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      gsize have = MIN (i, w);

      score[i] = 0.0;
      if (have >= 10)
        {
          double mean = sum / have;
          double var = MAX (sum2 / have - mean * mean, 0.0) * have / (have - 1);
          double sd = sqrt (var);

          if (sd > 1e-12 * MAX (fabs (mean), 1.0))
            score[i] = erf (fabs (y[i] - mean) / sd / G_SQRT2);
          else
            score[i] = y[i] == mean ? 0.0 : 1.0;
        }
      sum += y[i];
      sum2 += y[i] * y[i];
      if (i >= w)
        {
          sum -= y[i - w];
          sum2 -= y[i - w] * y[i - w];
        }
    }
}

typedef struct {
  const char    *name;
  double       **scores;
  double         best_threshold;
  TestNabResult  best;
  TestNabResult  at_default;
} Detector;

static void
sweep (GPtrArray *set,
       Detector  *d,
       double     default_threshold)
{
  gsize total = 0, k = 0;
  g_autofree double *all = NULL;
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint f = 0; f < set->len; f++)
    total += ((TestSeries *) set->pdata[f])->n;
  all = g_new (double, total);
  for (guint f = 0; f < set->len; f++)
    {
      const TestSeries *s = set->pdata[f];

      memcpy (all + k, d->scores[f], s->n * sizeof (double));
      k += s->n;
    }
  qsort (all, total, sizeof (double), cmp_desc);
  /* thresholds at the top 300 distinct scores and at quantiles down to
   * the median: flags from a handful of rows to half of them */
  for (gsize i = 0, distinct = 0; i < total && distinct < 300; i++)
    if (i == 0 || all[i] != all[i - 1])
      {
        g_array_append_val (candidates, all[i]);
        distinct++;
      }
  for (double x = 0.3; x <= 5.0; x += 0.02)
    {
      gsize at = (gsize) (pow (10.0, -x) * total);
      double t = all[MIN (at, total - 1)];

      if (t > 0)
        g_array_append_val (candidates, t);
    }

  d->best.score = -G_MAXDOUBLE;
  for (guint c = 0; c < candidates->len; c++)
    {
      TestNabResult r;
      double t = g_array_index (candidates, double, c);

      test_nab_score (set, (const double *const *) d->scores, t, &r);
      if (r.score > d->best.score)
        {
          d->best = r;
          d->best_threshold = t;
        }
    }
  test_nab_score (set, (const double *const *) d->scores, default_threshold, &d->at_default);
}

static void
print_detector (const Detector *d,
                gboolean        with_default)
{
  g_print ("%-28s %8.4g %8.1f %7u/%-3u %8u %10.3f %%\n", d->name, d->best_threshold, d->best.score,
           d->best.detected, d->best.windows, d->best.false_flags,
           100.0 * d->best.quiet_high / MAX (d->best.quiet_rows, 1));
  if (with_default)
    g_print ("%-28s %8.4g %8.1f %7u/%-3u %8u\n", "  ... at its default threshold", 0.5, d->at_default.score,
             d->at_default.detected, d->at_default.windows, d->at_default.false_flags);
}

int
main (int argc, char **argv)
{
  g_autofree char *nile_path = NULL;
  g_autofree char *export_dir = NULL;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "list each file's incidents and false flags", NULL },
    { "nile", 0, 0, G_OPTION_ARG_FILENAME, &nile_path, "statsmodels' nile.csv (default: the Debian package's)", "FILE" },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_dir, "write the files and labels.csv there", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("— NAB-style score of the anomaly engine");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) set = NULL;
  TestSeries *nile;
  Detector engine = { "Cumulus engine", NULL, 0, { 0 }, { 0 } };
  Detector gauss = { "sliding-window Gaussian", NULL, 0, { 0 }, { 0 } };
  g_autoptr(GTimer) timer = g_timer_new ();
  double engine_secs = 0.0;
  gsize rows = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  set = test_set_generate ();
  nile = load_nile (nile_path != NULL ? nile_path : NILE_DEFAULT);
  if (nile != NULL)
    g_ptr_array_add (set, nile);
  else
    g_print ("(the Nile series is left out: %s not found; apt install python3-statsmodels)\n",
             nile_path != NULL ? nile_path : NILE_DEFAULT);

  engine.scores = g_new0 (double *, set->len);
  gauss.scores = g_new0 (double *, set->len);
  if (export_dir != NULL)
    g_mkdir_with_parents (export_dir, 0755);
  {
    g_autoptr(GString) labels = g_string_new ("file,kind,start_row,end_row,window_start_row,window_end_row\n");

    for (guint f = 0; f < set->len; f++)
      {
        const TestSeries *s = set->pdata[f];
        g_autofree char *csv = test_series_to_csv (s);
        g_autoptr(CuSeries) series = NULL;
        double step, period;

        g_timer_start (timer);
        series = cu_series_new_from_csv_data_with_flags (csv, strlen (csv), s->name, CU_SERIES_FLAGS_IRREGULAR, &error);
        if (series == NULL)
          {
            g_printerr ("%s\n", error->message);
            return 1;
          }
        engine.scores[f] = g_new (double, s->n);
        cu_anomaly_series_detect (series, 0, NULL, engine.scores[f], NULL);
        engine_secs += g_timer_elapsed (timer, NULL);
        rows += s->n;

        cu_anomaly_series_cadence (series, 0, &step, &period);
        gauss.scores[f] = g_new (double, s->n);
        gaussian_baseline (s->values, s->n, MAX ((gsize) round (period / step), 30), gauss.scores[f]);

        if (export_dir != NULL)
          {
            g_autofree char *name = g_strconcat (s->name, ".csv", NULL);
            g_autofree char *path = g_build_filename (export_dir, name, NULL);

            g_file_set_contents (path, csv, -1, NULL);
            for (guint k = 0; k < s->n_incidents; k++)
              g_string_append_printf (labels, "%s,%s,%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT "\n",
                                      name, test_incident_kind_name (s->incidents[k].kind),
                                      s->incidents[k].start + 1, s->incidents[k].end + 1,
                                      s->incidents[k].window_start + 1, s->incidents[k].window_end + 1);
          }
      }
    if (export_dir != NULL)
      {
        g_autofree char *path = g_build_filename (export_dir, "labels.csv", NULL);

        g_file_set_contents (path, labels->str, -1, NULL);
      }
  }

  {
    CuAnomalyOptions defaults;
    guint windows = 0;

    cu_anomaly_options_init (&defaults, 1);
    for (guint f = 0; f < set->len; f++)
      windows += ((TestSeries *) set->pdata[f])->n_incidents;
    g_print ("labelled set: %u files, %" G_GSIZE_FORMAT " rows, %u incidents; engine: %.3f s (read + score)\n",
             set->len, rows, windows, engine_secs);
    sweep (set, &engine, defaults.threshold);
    sweep (set, &gauss, 0.5);
    g_print ("%-28s %8s %8s %11s %8s %12s\n", "detector", "thresh.", "NAB", "windows", "false", "quiet>=0.99");
    print_detector (&engine, TRUE);
    print_detector (&gauss, FALSE);
  }

  if (verbose)
    for (guint f = 0; f < set->len; f++)
      {
        const TestSeries *s = set->pdata[f];
        TestNabResult r;
        g_autoptr(GPtrArray) one = g_ptr_array_new ();
        const double *sc = engine.scores[f];
        guint shown = 0;

        g_ptr_array_add (one, set->pdata[f]);
        test_nab_score (one, &sc, engine.best_threshold, &r);
        g_print ("%s: %" G_GSIZE_FORMAT " rows, NAB %.1f, %u/%u, %u false:", s->name, s->n, r.score,
                 r.detected, r.windows, r.false_flags);
        for (guint k = 0; k < s->n_incidents; k++)
          {
            gssize first = -1;

            for (gsize i = s->incidents[k].window_start; i <= s->incidents[k].window_end && first < 0; i++)
              if (sc[i] >= engine.best_threshold)
                first = (gssize) i;
            g_print (" [%s %.1f at %" G_GSIZE_FORMAT ", first flag %+" G_GSSIZE_FORMAT "]",
                     test_incident_kind_name (s->incidents[k].kind), s->incidents[k].size,
                     s->incidents[k].start, first < 0 ? 0 : first - (gssize) s->incidents[k].start);
          }
        for (gsize i = s->probation; i < s->n && shown < 12; i++)
          {
            gboolean in = FALSE;

            for (guint k = 0; k < s->n_incidents; k++)
              in |= i >= s->incidents[k].window_start && i <= s->incidents[k].window_end;
            if (!in && sc[i] >= engine.best_threshold)
              {
                g_print (" %" G_GSIZE_FORMAT, i);
                shown++;
              }
          }
        g_print ("\n");
      }

  /* per interval, at each detector's best threshold */
  {
    static const char *groups[] = { "5min", "hourly", "daily", "nile" };

    g_print ("\nper interval (same thresholds):\n");
    for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
      {
        g_autoptr(GPtrArray) sub = g_ptr_array_new ();
        g_autoptr(GPtrArray) se = g_ptr_array_new ();
        g_autoptr(GPtrArray) sg = g_ptr_array_new ();
        TestNabResult re, rg;

        for (guint f = 0; f < set->len; f++)
          if (g_str_has_prefix (((TestSeries *) set->pdata[f])->name, groups[g]))
            {
              g_ptr_array_add (sub, set->pdata[f]);
              g_ptr_array_add (se, engine.scores[f]);
              g_ptr_array_add (sg, gauss.scores[f]);
            }
        if (sub->len == 0)
          continue;
        test_nab_score (sub, (const double *const *) se->pdata, engine.best_threshold, &re);
        test_nab_score (sub, (const double *const *) sg->pdata, gauss.best_threshold, &rg);
        g_print ("  %-8s engine %6.1f (%u/%u windows, %u false, quiet>=0.99 %.3f %%)   Gaussian %6.1f (%u/%u, %u false, %.3f %%)\n",
                 groups[g], re.score, re.detected, re.windows, re.false_flags,
                 100.0 * re.quiet_high / MAX (re.quiet_rows, 1),
                 rg.score, rg.detected, rg.windows, rg.false_flags,
                 100.0 * rg.quiet_high / MAX (rg.quiet_rows, 1));
      }
  }

  for (guint f = 0; f < set->len; f++)
    {
      g_free (engine.scores[f]);
      g_free (gauss.scores[f]);
    }
  g_free (engine.scores);
  g_free (gauss.scores);
  return 0;
}
