/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-series.c — the series reader of `forecast --input` and
 * `anomalies --input`
 *
 * The input is the CSV file. A series that reads must give every label
 * and time, an interval, future dates up to its maximum horizon and a
 * clear refusal one period past it, and must score for anomalies as the
 * CLI does.
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include <string.h>

#include "engines/cu-anomaly.h"
#include "engines/cu-series.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) series = NULL;
  gsize n;
  guint max, season;

  /* the CLI reads a file into a nul-terminated buffer of known length */
  {
    g_autofree char *copy = g_malloc (size + 1);

    memcpy (copy, data, size);
    copy[size] = '\0';
    series = cu_series_new_from_csv_data (copy, size, "fuzz.csv", &error);
  }
  if (series == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == CU_SERIES_ERROR);
      FUZZ_CHECK (g_str_has_prefix (error->message, "fuzz.csv:"));
      return 0;
    }
  FUZZ_CHECK (error == NULL);

  n = cu_series_get_n (series);
  FUZZ_CHECK (n >= 1);
  for (gsize i = 0; i < n; i++)
    {
      FUZZ_CHECK (cu_series_get_label (series, i) != NULL);
      if (i > 0)
        FUZZ_CHECK (cu_series_get_time (series, i) > cu_series_get_time (series, i - 1));
    }
  season = cu_series_infer_season (series);
  FUZZ_CHECK (season >= 1);

  max = cu_series_get_max_horizon (series);
  for (guint h = 1; h <= MIN (max, 3u); h++)
    {
      g_autofree char *date = cu_series_format_future (series, h);

      FUZZ_CHECK (date != NULL && strlen (date) >= 10);
    }
  if (max > 0)
    {
      g_autofree char *date = cu_series_format_future (series, max);
      FUZZ_CHECK (date != NULL && date[0] != '-' && strncmp (date, "10000", 5) != 0);
    }
  FUZZ_CHECK (cu_series_check_horizon (series, MIN (max, 100000u), NULL));
  if (max < G_MAXUINT)
    {
      g_autofree char *past = cu_series_format_future (series, max + 1);

      FUZZ_CHECK (past == NULL);
      FUZZ_CHECK (!cu_series_check_horizon (series, max + 1, &error));
      FUZZ_CHECK (g_error_matches (error, CU_SERIES_ERROR, CU_SERIES_ERROR_HORIZON));
      g_clear_error (&error);
    }

  /* anomalies --input, with the inferred season as the CLI uses it */
  if (n <= 5000)
    {
      CuAnomalyOptions options;
      g_autofree double *expected = g_new (double, n);
      g_autofree double *score = g_new (double, n);
      g_autofree gboolean *flags = g_new (gboolean, n);

      cu_anomaly_options_init (&options, season);
      cu_anomaly_detect (cu_series_get_values (series), n, &options, expected, score, flags);
      for (gsize i = 0; i < n; i++)
        FUZZ_CHECK (!(score[i] < 0.0) && !(score[i] > 1.0));
    }
  return 0;
}
