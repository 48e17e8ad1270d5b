/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-series.c — reading series from CSV, intervals, future dates */
#define G_LOG_DOMAIN "cumulus-test-series"

#include <glib.h>
#include <string.h>

#include "engines/cu-series.h"
#include "util/cu-date.h"

static CuSeries *
parse_ok (const char *csv)
{
  g_autoptr(GError) error = NULL;
  CuSeries *series = cu_series_new_from_csv_data (csv, -1, "t.csv", &error);

  g_assert_no_error (error);
  g_assert_nonnull (series);
  return series;
}

static void
assert_error (const char    *csv,
              CuSeriesError  code,
              const char    *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) series = cu_series_new_from_csv_data (csv, -1, "t.csv", &error);

  g_assert_null (series);
  g_assert_error (error, CU_SERIES_ERROR, (gint) code);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("“%s” does not start with “%s”", error->message, prefix);
}

static void
test_daily (void)
{
  g_autoptr(CuSeries) s = parse_ok ("\xEF\xBB\xBFservice,Value,Date\r\n"
                                    "ec2,1.5,2024-02-27\r\n"
                                    "\"s3, eu\",2,2024-02-28\r\n"
                                    "\r\n"
                                    "rds, 3e1 ,2024-02-29\r\n");
  g_autofree char *next = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpuint (cu_series_get_n (s), ==, 3);
  g_assert_cmpfloat (cu_series_get_values (s)[0], ==, 1.5);
  g_assert_cmpfloat (cu_series_get_values (s)[2], ==, 30.0);
  g_assert_cmpstr (cu_series_get_label (s, 1), ==, "2024-02-28");
  g_assert_false (cu_series_has_time_of_day (s));
  g_assert_cmpuint (cu_series_infer_season (s), ==, 7);
  next = cu_series_format_future (s, 1);
  after = cu_series_format_future (s, 2);
  g_assert_cmpstr (next, ==, "2024-03-01");
  g_assert_cmpstr (after, ==, "2024-03-02");
}

static void
test_hourly (void)
{
  g_autoptr(CuSeries) s = parse_ok ("timestamp,value\n"
                                    "2024-12-31 22:00:00,1\n"
                                    "2024-12-31T23:00:00Z,2\n"
                                    "2025-01-01 00:00,3\n");
  g_autofree char *next = cu_series_format_future (s, 1);
  g_autofree char *day_later = cu_series_format_future (s, 24);

  g_assert_true (cu_series_has_time_of_day (s));
  g_assert_cmpuint (cu_series_infer_season (s), ==, 24);
  g_assert_cmpstr (next, ==, "2025-01-01 01:00:00");
  g_assert_cmpstr (day_later, ==, "2025-01-02 00:00:00");
  g_assert_cmpstr (cu_series_get_label (s, 1), ==, "2024-12-31T23:00:00Z");
}

static void
test_quarter_hours (void)
{
  g_autoptr(CuSeries) s = parse_ok ("date,value\n2024-01-01 00:00:00,1\n2024-01-01 00:15:00,1\n"
                                    "2024-01-01 00:30:00,1\n");
  g_autofree char *next = cu_series_format_future (s, 2);

  g_assert_cmpuint (cu_series_infer_season (s), ==, 96);
  g_assert_cmpstr (next, ==, "2024-01-01 01:00:00");
}

/* A missing day does not change the interval: the most common gap wins. */
static void
test_gap (void)
{
  g_autoptr(CuSeries) s = parse_ok ("date,value\n2024-01-01,1\n2024-01-02,1\n2024-01-04,1\n2024-01-05,1\n");
  g_autofree char *next = cu_series_format_future (s, 1);

  g_assert_cmpstr (next, ==, "2024-01-06");
}

static void
test_monthly (void)
{
  g_autoptr(CuSeries) s = parse_ok ("date,value\n2023-11-30,1\n2023-12-31,2\n2024-01-31,3\n");
  g_autoptr(CuSeries) s2 = parse_ok ("date,value\n2023-11-15,1\n2023-12-15,2\n2024-01-15,3\n");
  g_autoptr(CuSeries) q = parse_ok ("date,value\n2023-01-01,1\n2023-04-01,2\n2023-07-01,3\n");
  g_autofree char *feb = cu_series_format_future (s, 1);
  g_autofree char *mar = cu_series_format_future (s, 2);
  g_autofree char *feb15 = cu_series_format_future (s2, 1);
  g_autofree char *oct = cu_series_format_future (q, 1);

  g_assert_cmpstr (feb, ==, "2024-02-29");
  g_assert_cmpstr (mar, ==, "2024-03-31");
  g_assert_cmpstr (feb15, ==, "2024-02-15");
  g_assert_cmpuint (cu_series_infer_season (s2), ==, 12);
  g_assert_cmpstr (oct, ==, "2023-10-01");
  g_assert_cmpuint (cu_series_infer_season (q), ==, 4);
}

static void
test_errors (void)
{
  assert_error ("", CU_SERIES_ERROR_EMPTY, "t.csv:1:");
  assert_error ("date,value\n", CU_SERIES_ERROR_EMPTY, "t.csv:2:");
  assert_error ("day,value\n2024-01-01,1\n", CU_SERIES_ERROR_HEADER, "t.csv:1:");
  assert_error ("date,cost\n2024-01-01,1\n", CU_SERIES_ERROR_HEADER, "t.csv:1:");
  assert_error ("date,value\n2024-01-01,1\n2024-01-02,abc\n", CU_SERIES_ERROR_PARSE, "t.csv:3:");
  assert_error ("date,value\n2024-01-01,1\n2024-01-02,\n", CU_SERIES_ERROR_PARSE, "t.csv:3:");
  assert_error ("date,value\n2024-01-01,1\n2024-01-02,nan\n", CU_SERIES_ERROR_PARSE, "t.csv:3:");
  assert_error ("date,value\n2024-01-01,1\n\n\n2024-02-30,1\n", CU_SERIES_ERROR_PARSE, "t.csv:5:");
  assert_error ("date,value\n2024-01-01,1\n2024-01-01 25:00:00,1\n", CU_SERIES_ERROR_PARSE, "t.csv:3:");
  assert_error ("date,value\n2024-01-01\n", CU_SERIES_ERROR_PARSE, "t.csv:2:");
  assert_error ("date,value\n2024-01-02,1\n2024-01-01,1\n", CU_SERIES_ERROR_ORDER, "t.csv:3:");
  assert_error ("date,value\n2024-01-02,1\n2024-01-02,1\n", CU_SERIES_ERROR_ORDER, "t.csv:3:");
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) s = cu_series_new_from_csv ("/nonexistent/costs.csv", &error);

  g_assert_null (s);
  g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/costs.csv:"));
}

static void
test_time_round_trip (void)
{
  gint64 t;
  gboolean has_time;
  g_autofree char *text = NULL;
  g_autofree char *old = NULL;

  g_assert_true (cu_time_parse ("2024-03-10 12:34:56", &t, &has_time));
  g_assert_true (has_time);
  text = cu_time_format (t, TRUE);
  g_assert_cmpstr (text, ==, "2024-03-10 12:34:56");
  g_assert_true (cu_time_parse ("1969-12-31", &t, &has_time));
  g_assert_false (has_time);
  g_assert_cmpint (t, ==, -86400);
  old = cu_time_format (t + 3600, TRUE);
  g_assert_cmpstr (old, ==, "1969-12-31 01:00:00");
  g_assert_true (cu_time_parse ("2024-03-10T12:00:00+02:00", &t, NULL));
  g_assert_false (cu_time_parse ("2024-3-10", NULL, NULL));
  g_assert_false (cu_time_parse ("2024-03-10x", NULL, NULL));
}

/* Annual and sparse series: dates past 9999-12-31 are refused up front
 * and never wrap to 0000 or print CRITICALs (issue 8). */
static void
test_horizon_limits (void)
{
  g_autoptr(CuSeries) annual = parse_ok ("date,value\n9990-06-30,1\n9991-06-30,2\n9992-06-30,3\n");
  g_autoptr(CuSeries) monthly = parse_ok ("date,value\n9999-09-30,1\n9999-10-31,2\n");
  g_autoptr(CuSeries) sparse = parse_ok ("date,value\n2000-01-01,1\n5000-01-01,2\n8000-01-01,3\n");
  g_autoptr(CuSeries) daily = parse_ok ("date,value\n9999-12-29,1\n9999-12-30,2\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  g_autofree char *dec = NULL;
  g_autofree char *end = NULL;

  /* yearly as a 12-month step: 9993 … 9999 fit, 7 periods */
  g_assert_cmpuint (cu_series_get_max_horizon (annual), ==, 7);
  last = cu_series_format_future (annual, 7);
  g_assert_cmpstr (last, ==, "9999-06-30");
  g_assert_null (cu_series_format_future (annual, 8));
  g_assert_null (cu_series_format_future (annual, G_MAXUINT));
  g_assert_true (cu_series_check_horizon (annual, 7, NULL));
  g_assert_false (cu_series_check_horizon (annual, 8, &error));
  g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_HORIZON);
  g_assert_nonnull (strstr (error->message, "t.csv: a horizon of 8 periods goes past 9999-12-31"));
  g_assert_nonnull (strstr (error->message, "(9992-06-30) 7 periods fit"));
  g_clear_error (&error);

  /* month ends: December is the last */
  g_assert_cmpuint (cu_series_get_max_horizon (monthly), ==, 2);
  dec = cu_series_format_future (monthly, 2);
  g_assert_cmpstr (dec, ==, "9999-12-31");
  g_assert_null (cu_series_format_future (monthly, 3));
  /* 100000 months used to wrap the month index into negative months */
  g_assert_false (cu_series_check_horizon (monthly, 100000, &error));
  g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_HORIZON);
  g_clear_error (&error);

  /* a 3000-year gap (in seconds): one more period would reach year 11000 */
  g_assert_cmpuint (cu_series_get_max_horizon (sparse), ==, 0);
  g_assert_null (cu_series_format_future (sparse, 1));
  g_assert_false (cu_series_check_horizon (sparse, 1, &error));
  g_assert_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_HORIZON);
  g_assert_nonnull (strstr (error->message, "0 periods fit"));
  g_clear_error (&error);

  g_assert_cmpuint (cu_series_get_max_horizon (daily), ==, 1);
  end = cu_series_format_future (daily, 1);
  g_assert_cmpstr (end, ==, "9999-12-31");
  g_assert_null (cu_series_format_future (daily, 2));
  g_assert_null (cu_series_format_future (daily, 100000));
}

/* Days far outside the calendar files use: no overflow, and none of the
 * arithmetic that follows wraps. */
static void
test_date_limits (void)
{
  int y, m, d;
  char buf[11];

  g_assert_cmpint (cu_day_from_ymd (9999, 12, 31), ==, CU_DAY_ISO_LAST);
  g_assert_cmpint (cu_day_from_ymd (0, 1, 1), ==, CU_DAY_ISO_FIRST);
  g_assert_cmpint (cu_day_from_ymd (-999999, 1, 1), ==, CU_DAY_MIN);
  g_assert_cmpint (cu_day_from_ymd (999999, 12, 31), ==, CU_DAY_MAX);
  /* a UsageDate of 2147483647 reads as year 214748, month 36: refused */
  g_assert_cmpint (cu_day_from_ymd (214748, 36, 47), ==, CU_DAY_INVALID);
  g_assert_cmpint (cu_day_from_ymd (G_MAXINT, 12, 31), ==, CU_DAY_INVALID);
  g_assert_cmpint (cu_day_from_ymd (G_MININT, 1, 1), ==, CU_DAY_INVALID);
  g_assert_cmpint (cu_day_from_ymd (1000000, 1, 1), ==, CU_DAY_INVALID);
  g_assert_cmpint (cu_day_from_ymd (2024, 0, 1), ==, CU_DAY_INVALID);
  g_assert_cmpint (cu_day_from_ymd (2024, 1, G_MAXINT), ==, CU_DAY_INVALID);
  cu_day_to_ymd (G_MAXINT32, &y, &m, &d);
  g_assert_cmpint (y, ==, 5881580);   /* 2^31 days ≈ 5879610 years after 1970 */
  cu_day_to_ymd (G_MININT32, &y, &m, &d);
  g_assert_cmpint (y, ==, -5877641);
  g_assert_cmpint (cu_day_add_months (CU_DAY_MAX, 1), ==, CU_DAY_INVALID);
  g_assert_cmpint (cu_day_add_months (cu_day_from_ymd (2024, 1, 31), G_MAXINT), ==, CU_DAY_INVALID);
  g_assert_cmpint (cu_day_add_months (cu_day_from_ymd (2024, 1, 31), G_MININT), ==, CU_DAY_INVALID);
  g_assert_cmpint (cu_day_week_start (CU_DAY_INVALID), ==, CU_DAY_INVALID);
  g_assert_false (cu_day_is_iso (CU_DAY_ISO_LAST + 1));
  g_assert_true (cu_day_is_iso (CU_DAY_ISO_LAST));
  cu_day_format (G_MAXINT32, buf);
  g_assert_cmpstr (buf, ==, "9999-12-31");
  cu_day_format (G_MININT32, buf);
  g_assert_cmpstr (buf, ==, "0000-01-01");
  /* offsets are hours and minutes of a real zone */
  g_assert_false (cu_time_parse ("2024-03-10T12:00:00+99:99", NULL, NULL));
  g_assert_true (cu_time_parse ("2024-03-10T12:00:00-23:59", NULL, NULL));
}

/* A long irregular series reads in n log n: a million distinct gaps. */
static void
test_irregular_many_rows (void)
{
  g_autoptr(GString) csv = g_string_new ("date,value\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CuSeries) s = NULL;
  gint64 t = 0;

  for (guint i = 0; i < 200000; i++)
    {
      g_autofree char *text = NULL;

      t += 60 + i;   /* every gap different */
      text = cu_time_format (t, TRUE);
      g_string_append_printf (csv, "%s,%u\n", text, i);
    }
  s = cu_series_new_from_csv_data (csv->str, csv->len, "big.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cu_series_get_n (s), ==, 200000);
  /* all gaps equally common: the smallest wins */
  g_assert_cmpuint (cu_series_infer_season (s), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/series/daily", test_daily);
  g_test_add_func ("/series/hourly", test_hourly);
  g_test_add_func ("/series/quarter-hours", test_quarter_hours);
  g_test_add_func ("/series/gap", test_gap);
  g_test_add_func ("/series/monthly", test_monthly);
  g_test_add_func ("/series/errors", test_errors);
  g_test_add_func ("/series/missing-file", test_missing_file);
  g_test_add_func ("/series/time-round-trip", test_time_round_trip);
  g_test_add_func ("/series/horizon-limits", test_horizon_limits);
  g_test_add_func ("/series/date-limits", test_date_limits);
  g_test_add_func ("/series/irregular-many-rows", test_irregular_many_rows);
  return g_test_run ();
}
