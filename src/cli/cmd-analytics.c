/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd-analytics.c — forecast, anomalies, budgets */
#define G_LOG_DOMAIN "cumulus-cli"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu-cli.h"
#include "engines/cu-anomaly.h"
#include "engines/cu-anomaly-series.h"
#include "engines/cu-forecast.h"
#include "engines/cu-series.h"
#include "util/cu-output.h"

#define MAX_HORIZON 100000
#define MAX_SEASON 10000
#define MAX_LEVELS 16
#define NOT_GIVEN G_MININT

static gboolean
write_out (GString *out)
{
  if (fwrite (out->str, 1, out->len, stdout) != out->len || fflush (stdout) != 0)
    return FALSE;
  return TRUE;
}

/* "80,95" → {80, 95}; every level strictly between 0 and 100 */
static gboolean
parse_levels (const char *text,
              double     *levels,
              guint      *n_levels)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  *n_levels = 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      const char *s = g_strstrip (parts[i]);
      double v = g_ascii_strtod (s, &end);

      if (*s == '\0' || end == s || *end != '\0' || !(v > 0.0 && v < 100.0)
          || *n_levels >= MAX_LEVELS)
        return FALSE;
      levels[(*n_levels)++] = v;
    }
  return *n_levels > 0;
}

/* "80" and "99.5": the column suffix for a level */
static char *
level_name (double level)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.10g", level);
  return g_strdup (buf);
}

/* --season: NOT_GIVEN unless given (then inferred from the interval) */
static gboolean
check_season (const char *command,
              int         season,
              int        *exit_code)
{
  if (season != NOT_GIVEN && (season < 1 || season > MAX_SEASON))
    {
      *exit_code = cu_cli_usage_error (command, "--season must be a whole number of periods from 1 (none) to %d",
                                       MAX_SEASON);
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_cli_cmd_forecast:
 *
 * `forecast --input FILE.csv --horizon H [--season N] [--level 80,95]`:
 * prints `date,mean,lo80,hi80,lo95,hi95` for the H periods after the file's
 * last row.
 */
int
cu_cli_cmd_forecast (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *input = NULL;
  g_autofree char *level_text = NULL;
  int horizon = NOT_GIVEN, season = NOT_GIVEN, exit_code = CU_CLI_OK;
  double levels[MAX_LEVELS] = { 80.0, 95.0 };
  guint n_levels = 2;
  GOptionEntry entries[] = {
    { "input", 0, 0, G_OPTION_ARG_FILENAME, &input, "CSV with a date (or timestamp) and a value column", "FILE.csv" },
    { "horizon", 0, 0, G_OPTION_ARG_INT, &horizon, "Periods to forecast after the last row", "H" },
    { "season", 0, 0, G_OPTION_ARG_INT, &season, "Season length in periods (default: 7 for daily data, 24 for hourly…; 1 for none)", "N" },
    { "level", 0, 0, G_OPTION_ARG_STRING, &level_text, "Prediction interval coverages in percent (default 80,95)", "L1,L2" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) series = NULL;
  g_autoptr(CuForecastModel) model = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *lower = NULL;
  g_autofree double *upper = NULL;
  g_auto(GStrv) names = NULL;

  if (!cu_cli_parse ("forecast", NULL,
                     "Forecast a daily (or hourly…) series with exponential smoothing and prediction intervals.",
                     entries, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cu_cli_usage_error ("forecast", "unexpected argument “%s”", argv[1]);
  if (input == NULL)
    return cu_cli_usage_error ("forecast", "--input FILE.csv is required");
  if (horizon == NOT_GIVEN)
    return cu_cli_usage_error ("forecast", "--horizon H is required");
  if (horizon < 1 || horizon > MAX_HORIZON)
    return cu_cli_usage_error ("forecast", "--horizon must be a whole number from 1 to %d", MAX_HORIZON);
  if (!check_season ("forecast", season, &exit_code))
    return exit_code;
  if (level_text != NULL && !parse_levels (level_text, levels, &n_levels))
    return cu_cli_usage_error ("forecast", "--level takes coverages in percent between 0 and 100, like 80,95");

  series = cu_series_new_from_csv (input, &error);
  if (series == NULL)
    return cu_cli_error ("%s", error->message);
  /* dates past 9999-12-31 have no spelling: refuse before any work */
  if (!cu_series_check_horizon (series, (guint) horizon, &error))
    return cu_cli_error ("%s", error->message);
  if (season == NOT_GIVEN)
    season = (int) cu_series_infer_season (series);

  model = cu_forecast_model_fit (cu_series_get_values (series), cu_series_get_n (series),
                                 (guint) season, CU_ETS_AUTO, CU_FORECAST_NONE);
  g_debug ("%s: %s, season %u, AICc %g", input,
           cu_ets_kind_to_string (cu_forecast_model_get_kind (model)),
           cu_forecast_model_get_season (model), cu_forecast_model_get_aicc (model));

  mean = g_new (double, horizon);
  lower = g_new (double, (gsize) horizon * n_levels);
  upper = g_new (double, (gsize) horizon * n_levels);
  cu_forecast_model_predict (model, (guint) horizon, levels, n_levels, mean, lower, upper);

  out = g_string_new ("date,mean");
  names = g_new0 (char *, n_levels + 1);
  for (guint l = 0; l < n_levels; l++)
    {
      names[l] = level_name (levels[l]);
      g_string_append_printf (out, ",lo%s,hi%s", names[l], names[l]);
    }
  g_string_append_c (out, '\n');
  for (int h = 0; h < horizon; h++)
    {
      g_autofree char *date = cu_series_format_future (series, (guint) h + 1);

      g_string_append (out, date);
      g_string_append_c (out, ',');
      cu_output_append_double (out, mean[h]);
      for (guint l = 0; l < n_levels; l++)
        {
          g_string_append_c (out, ',');
          cu_output_append_double (out, lower[l * horizon + h]);
          g_string_append_c (out, ',');
          cu_output_append_double (out, upper[l * horizon + h]);
        }
      g_string_append_c (out, '\n');
    }

  if (!write_out (out))
    return cu_cli_error ("cannot write the forecast to standard output");
  return CU_CLI_OK;
}

/**
 * cu_cli_cmd_anomalies:
 *
 * `anomalies --input FILE.csv [--season N]`: prints
 * `date,value,expected,score,is_anomaly` for every row, scored online.
 */
int
cu_cli_cmd_anomalies (CuCliGlobal *global, int argc, char **argv)
{
  g_autofree char *input = NULL;
  int season = NOT_GIVEN, exit_code = CU_CLI_OK;
  GOptionEntry entries[] = {
    { "input", 0, 0, G_OPTION_ARG_FILENAME, &input, "CSV with a date (or timestamp) and a value column", "FILE.csv" },
    { "season", 0, 0, G_OPTION_ARG_INT, &season, "Season length in periods (default: 7 for daily data, 24 for hourly…; 1 for none)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) series = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree double *expected = NULL;
  g_autofree double *score = NULL;
  g_autofree gboolean *flags = NULL;
  const double *values;
  gsize n;

  if (!cu_cli_parse ("anomalies", NULL,
                     "Score every row of a series for anomalies, using only the rows before it.",
                     entries, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return cu_cli_usage_error ("anomalies", "unexpected argument “%s”", argv[1]);
  if (input == NULL)
    return cu_cli_usage_error ("anomalies", "--input FILE.csv is required");
  if (!check_season ("anomalies", season, &exit_code))
    return exit_code;

  /* monitoring exports repeat an hour, skip rows and jitter: take them */
  series = cu_series_new_from_csv_with_flags (input, CU_SERIES_FLAGS_IRREGULAR, &error);
  if (series == NULL)
    return cu_cli_error ("%s", error->message);

  n = cu_series_get_n (series);
  values = cu_series_get_values (series);
  expected = g_new (double, n);
  score = g_new (double, n);
  flags = g_new (gboolean, n);
  cu_anomaly_series_detect (series, season == NOT_GIVEN ? 0 : (guint) season, expected, score, flags);

  out = g_string_new ("date,value,expected,score,is_anomaly\n");
  for (gsize i = 0; i < n; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      const char *label = cu_series_get_label (series, i);

      /* echo the time as given, quoted if it needs quoting */
      cu_output_csv_field (out, label);
      g_string_append_c (out, ',');
      cu_output_append_double (out, values[i]);
      g_string_append_c (out, ',');
      cu_output_append_double (out, expected[i]);
      g_string_append_c (out, ',');
      g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", score[i]));
      g_string_append (out, flags[i] ? ",1\n" : ",0\n");
    }

  if (!write_out (out))
    return cu_cli_error ("cannot write the scores to standard output");
  return CU_CLI_OK;
}

/**
 * cu_cli_cmd_budgets:
 *
 * Budgets live in the workspace ledger: see cmd-ledger.c.
 */
int
cu_cli_cmd_budgets (CuCliGlobal *global, int argc, char **argv)
{
  return cu_cli_budgets_ledger (global, argc, argv);
}
