/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-forecast.c — speed and accuracy of the forecast and anomaly engines
 *
 *   bench-forecast                    speed: fit + forecast 1,000 × 730 days,
 *                                     anomaly pass over 1,000 × 548 days
 *   bench-forecast --accuracy [FILE…] MASE and sMAPE of 30-period forecasts
 *                                     (last 30 held out) against seasonal
 *                                     naive, on synthetic series and FILEs
 *                                     (e.g. the files in tests/data/series)
 *   bench-forecast --export DIR       write the synthetic series as CSV for
 *                                     tests/bench/accuracy-compare.sh
 *
 * The synthetic series imitate daily cloud costs: a log-uniform level from
 * $5 to $5,000 a day, growth or decline, a weekday/weekend cycle, noise of
 * 2–12 %, sometimes a step change and rare spikes; fixed seeds.
 */
#define G_LOG_DOMAIN "cumulus-bench"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "engines/cu-anomaly.h"
#include "engines/cu-forecast.h"
#include "engines/cu-series.h"

#define HOLDOUT 30
#define SEASON 7

typedef struct {
  /* borrowed */
  double  **series;
  guint     n;
  guint     horizon;
  /* results, one slot per series */
  double  **forecasts;
  CuEtsKind *kinds;
  guint     *anomalies;
  gboolean   anomaly_pass;
} Work;

static double
gaussian (GRand *rand)
{
  double u1 = g_rand_double (rand), u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (1.0 - u1)) * cos (2.0 * G_PI * u2);
}

static void
generate_series (guint32  seed,
                 double  *y,
                 guint    n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double level = exp (g_rand_double_range (rand, log (5.0), log (5000.0)));
  double growth = g_rand_double_range (rand, -0.0004, 0.0015);
  double noise = g_rand_double_range (rand, 0.02, 0.12);
  double weekend = g_rand_double_range (rand, 0.0, 0.35);
  double weekly[SEASON];
  guint shift_at = g_rand_double (rand) < 0.3 ? (guint) g_rand_int_range (rand, n / 4, 3 * n / 4) : G_MAXUINT;
  double shift = g_rand_double_range (rand, 0.7, 1.4);

  for (guint d = 0; d < SEASON; d++)
    weekly[d] = (d >= 5 ? -weekend : weekend * 2.0 / 5.0) + 0.03 * gaussian (rand);
  for (guint t = 0; t < n; t++)
    {
      double l = level * exp (growth * t) * (t >= shift_at ? shift : 1.0);
      double v = l * (1.0 + weekly[t % SEASON]) + l * noise * gaussian (rand);

      if (g_rand_double (rand) < 0.004)
        v += l * g_rand_double_range (rand, 0.5, 2.0);
      y[t] = MAX (v, 0.0);
    }
}

static void
work_cb (gpointer data,
         gpointer user_data)
{
  Work *w = user_data;
  guint i = GPOINTER_TO_UINT (data) - 1;

  if (w->anomaly_pass)
    {
      CuAnomalyOptions options;
      g_autofree gboolean *flags = g_new (gboolean, w->n);
      guint count = 0;

      cu_anomaly_options_init (&options, SEASON);
      cu_anomaly_detect (w->series[i], w->n, &options, NULL, NULL, flags);
      for (guint t = 0; t < w->n; t++)
        count += flags[t] ? 1 : 0;
      w->anomalies[i] = count;
    }
  else
    {
      static const double levels[] = { 80.0, 95.0 };
      g_autoptr(CuForecastModel) model = NULL;
      g_autofree double *lower = g_new (double, 2 * w->horizon);
      g_autofree double *upper = g_new (double, 2 * w->horizon);

      model = cu_forecast_model_fit (w->series[i], w->n, SEASON, CU_ETS_AUTO, CU_FORECAST_NONE);
      cu_forecast_model_predict (model, w->horizon, levels, 2, w->forecasts[i], lower, upper);
      w->kinds[i] = cu_forecast_model_get_kind (model);
    }
}

/* Runs work_cb over every series on @threads threads; returns seconds. */
static double
run_pool (Work  *w,
          guint  count,
          guint  threads)
{
  g_autoptr(GError) error = NULL;
  GThreadPool *pool;
  gint64 start = g_get_monotonic_time ();

  pool = g_thread_pool_new (work_cb, w, (int) threads, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < count; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  return (g_get_monotonic_time () - start) / 1e6;
}

static double **
make_series (guint count,
             guint n,
             guint32 seed)
{
  double **series = g_new (double *, count);

  for (guint i = 0; i < count; i++)
    {
      series[i] = g_new (double, n);
      generate_series (seed + i, series[i], n);
    }
  return series;
}

static void
free_series (double **series,
             guint    count)
{
  for (guint i = 0; i < count; i++)
    g_free (series[i]);
  g_free (series);
}

static int
run_speed (guint count,
           guint threads)
{
  guint days = 730, anomaly_days = 548;
  double **series = make_series (count, days, 1000);
  Work w = { series, days, 30, NULL, NULL, NULL, FALSE };
  guint kind_count[CU_ETS_N_KINDS] = { 0 };
  guint total_anomalies = 0;
  double secs, secs1;

  w.forecasts = g_new (double *, count);
  w.kinds = g_new0 (CuEtsKind, count);
  for (guint i = 0; i < count; i++)
    w.forecasts[i] = g_new (double, w.horizon);

  secs1 = run_pool (&w, MIN (count, 200), 1) * count / MIN (count, 200);
  secs = run_pool (&w, count, threads);
  for (guint i = 0; i < count; i++)
    kind_count[w.kinds[i]]++;
  g_print ("forecast: %u series x %u days, fit + 30-day forecast: %.3f s on %u threads "
           "(%.3f s on one thread, extrapolated from 200; %.2f ms per series)\n",
           count, days, secs, threads, secs1, 1000.0 * secs1 / count);
  g_print ("  models chosen:");
  for (CuEtsKind k = CU_ETS_CONSTANT; k < CU_ETS_N_KINDS; k++)
    if (kind_count[k] > 0)
      g_print (" %s %u", cu_ets_kind_to_string (k), kind_count[k]);
  g_print ("\n");

  for (guint i = 0; i < count; i++)
    g_free (w.forecasts[i]);
  g_free (w.forecasts);
  g_free (w.kinds);
  free_series (series, count);

  series = make_series (count, anomaly_days, 5000);
  w = (Work) { series, anomaly_days, 0, NULL, NULL, NULL, TRUE };
  w.anomalies = g_new0 (guint, count);
  secs = run_pool (&w, count, threads);
  for (guint i = 0; i < count; i++)
    total_anomalies += w.anomalies[i];
  g_print ("anomalies: %u series x %u days scored online: %.3f s on %u threads (%u flagged, %.2f %%)\n",
           count, anomaly_days, secs, threads, total_anomalies,
           100.0 * total_anomalies / ((double) count * anomaly_days));
  g_free (w.anomalies);
  free_series (series, count);
  return 0;
}

/* MASE (scaled by the in-sample seasonal naive error) and sMAPE in %. */
static void
score_forecast (const double *train,
                guint         n_train,
                const double *actual,
                const double *forecast,
                guint         h,
                guint         m,
                double       *mase,
                double       *smape)
{
  double scale = 0, err = 0, sm = 0;
  guint sm_n = 0;

  for (guint t = m; t < n_train; t++)
    scale += fabs (train[t] - train[t - m]);
  scale /= (n_train - m);
  for (guint i = 0; i < h; i++)
    {
      double d = fabs (actual[i] - forecast[i]);
      double s = fabs (actual[i]) + fabs (forecast[i]);

      err += d;
      if (s > 0)
        {
          sm += 200.0 * d / s;
          sm_n++;
        }
    }
  *mase = scale > 0 ? err / h / scale : NAN;
  *smape = sm_n > 0 ? sm / sm_n : 0.0;
}

static void
seasonal_naive (const double *train,
                guint         n_train,
                guint         m,
                double       *forecast,
                guint         h)
{
  for (guint i = 0; i < h; i++)
    forecast[i] = train[n_train - m + i % m];
}

typedef struct {
  double mase_sum, smape_sum, naive_mase_sum, naive_smape_sum;
  guint  count, wins;
} Tally;

static void
evaluate_one (const char   *name,
              const double *y,
              guint         n,
              guint         m,
              Tally        *tally,
              gboolean      verbose)
{
  guint n_train = n - HOLDOUT;
  g_autoptr(CuForecastModel) model = NULL;
  double f[HOLDOUT], naive[HOLDOUT];
  double mase, smape, nmase, nsmape;

  model = cu_forecast_model_fit (y, n_train, m, CU_ETS_AUTO, CU_FORECAST_NONE);
  cu_forecast_model_predict (model, HOLDOUT, NULL, 0, f, NULL, NULL);
  seasonal_naive (y, n_train, m, naive, HOLDOUT);
  score_forecast (y, n_train, y + n_train, f, HOLDOUT, m, &mase, &smape);
  score_forecast (y, n_train, y + n_train, naive, HOLDOUT, m, &nmase, &nsmape);
  if (isnan (mase) || isnan (nmase))
    return;
  tally->mase_sum += mase;
  tally->smape_sum += smape;
  tally->naive_mase_sum += nmase;
  tally->naive_smape_sum += nsmape;
  tally->wins += mase < nmase ? 1 : 0;
  tally->count++;
  if (verbose)
    g_print ("  %-28s %-12s MASE %6.3f (naive %6.3f)  sMAPE %6.2f %% (naive %6.2f %%)\n",
             name, cu_ets_kind_to_string (cu_forecast_model_get_kind (model)),
             mase, nmase, smape, nsmape);
}

static void
print_tally (const char  *what,
             const Tally *t)
{
  if (t->count == 0)
    return;
  g_print ("%s: %u series, last 30 periods held out and forecast\n"
           "  Cumulus ETS     mean MASE %.3f  mean sMAPE %.2f %%  (better than seasonal naive on %u of %u)\n"
           "  seasonal naive  mean MASE %.3f  mean sMAPE %.2f %%\n",
           what, t->count, t->mase_sum / t->count, t->smape_sum / t->count, t->wins, t->count,
           t->naive_mase_sum / t->count, t->naive_smape_sum / t->count);
}

static int
run_accuracy (guint   count,
              char  **files)
{
  guint days = 730;
  double **series = make_series (count, days, 1000);
  Tally synthetic = { 0 }, real = { 0 };

  for (guint i = 0; i < count; i++)
    evaluate_one (NULL, series[i], days, SEASON, &synthetic, FALSE);
  print_tally ("synthetic cost series", &synthetic);
  free_series (series, count);

  for (guint f = 0; files != NULL && files[f] != NULL; f++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CuSeries) s = cu_series_new_from_csv (files[f], &error);
      g_autofree char *base = NULL;
      guint m;

      if (s == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      base = g_path_get_basename (files[f]);
      m = cu_series_infer_season (s);
      /* the seasonal naive scale needs a season of training data */
      if (cu_series_get_n (s) < HOLDOUT + 2 * m)
        {
          g_print ("  %-28s too short, skipped\n", base);
          continue;
        }
      evaluate_one (base, cu_series_get_values (s), cu_series_get_n (s), m, &real, TRUE);
    }
  print_tally ("public series", &real);
  return 0;
}

static int
run_export (const char *dir,
            guint       count)
{
  guint days = 730;
  double **series = make_series (count, days, 1000);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr ("cannot create %s\n", dir);
      return 1;
    }
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("synthetic-%04u.csv", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GString) text = g_string_new ("date,value\n");

      for (guint t = 0; t < days; t++)
        {
          g_autofree char *date = cu_time_format ((gint64) (19358 + t) * 86400, FALSE);
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_printf (text, "%s,%s\n", date,
                                  g_ascii_formatd (buf, sizeof buf, "%.6f", series[i][t]));
        }
      if (!g_file_set_contents (path, text->str, text->len, NULL))
        {
          g_printerr ("cannot write %s\n", path);
          return 1;
        }
    }
  free_series (series, count);
  return 0;
}

int
main (int argc, char **argv)
{
  gboolean accuracy = FALSE;
  char *export_dir = NULL;
  int count = 1000, threads = 0;
  char **files = NULL;
  GOptionEntry entries[] = {
    { "accuracy", 'a', 0, G_OPTION_ARG_NONE, &accuracy, "Measure MASE and sMAPE instead of speed", NULL },
    { "export", 'e', 0, G_OPTION_ARG_FILENAME, &export_dir, "Write the synthetic series as CSV files into DIR", "DIR" },
    { "series", 'n', 0, G_OPTION_ARG_INT, &count, "Number of synthetic series (default 1000)", "N" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Worker threads (default: one per core)", "T" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, "Daily CSV series for --accuracy", "FILE…" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("[FILE…] — forecast and anomaly engine benchmarks");
  g_autoptr(GError) error = NULL;
  int rc;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (count < 1)
    count = 1;
  if (threads < 1)
    threads = (int) g_get_num_processors ();

  if (export_dir != NULL)
    rc = run_export (export_dir, (guint) count);
  else if (accuracy)
    rc = run_accuracy ((guint) count, files);
  else
    rc = run_speed ((guint) count, (guint) threads);
  g_free (export_dir);
  g_strfreev (files);
  return rc;
}
