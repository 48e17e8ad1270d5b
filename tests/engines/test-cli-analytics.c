/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-analytics.c — `cumulus-cli forecast` and `anomalies` on files
 *
 * Runs the built cumulus-cli ($CUMULUS_CLI) on small CSV files in a
 * temporary directory and checks the output contract and exit codes.
 */
#define G_LOG_DOMAIN "cumulus-test-cli-analytics"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

typedef struct {
  int    status;
  char  *out;
  char  *err;
} Run;

static char *tmpdir;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run *r,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("CUMULUS_CLI");
  const char *arg;
  va_list ap;
  int wait_status;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, r);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* 8 weeks of a weekly daily series starting 2024-01-01 */
static char *
daily_csv (guint days)
{
  GString *s = g_string_new ("service,date,value\n");

  for (guint t = 0; t < days; t++)
    {
      g_autoptr(GDateTime) d = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
      g_autoptr(GDateTime) dt = g_date_time_add_days (d, (int) t);
      g_autofree char *date = g_date_time_format (dt, "%F");
      double v = 100.0 + 0.3 * t + (t % 7 >= 5 ? -20.0 : 5.0) + ((t * 37) % 11) * 0.5;

      g_string_append_printf (s, "ec2,%s,%.2f\n", date, v);
    }
  return g_string_free (s, FALSE);
}

static char **
lines_of (const char *text)
{
  char **lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  /* a trailing newline leaves one empty string */
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_free (lines[n - 1]);
  lines[n - 1] = NULL;
  return lines;
}

static void
test_forecast_daily (void)
{
  g_autofree char *csv = daily_csv (56);
  g_autofree char *path = write_file ("daily.csv", csv);
  g_auto(Run) r = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&r, "forecast", "--input", path, "--horizon", "10", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = lines_of (r.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 11);
  g_assert_cmpstr (lines[0], ==, "date,mean,lo80,hi80,lo95,hi95");
  /* 56 days from 2024-01-01 end on 2024-02-25 */
  g_assert_true (g_str_has_prefix (lines[1], "2024-02-26,"));
  g_assert_true (g_str_has_prefix (lines[4], "2024-02-29,"));
  g_assert_true (g_str_has_prefix (lines[10], "2024-03-06,"));
  for (guint i = 1; i <= 10; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      double mean, lo80, hi80, lo95, hi95;

      g_assert_cmpuint (g_strv_length (f), ==, 6);
      mean = g_ascii_strtod (f[1], NULL);
      lo80 = g_ascii_strtod (f[2], NULL);
      hi80 = g_ascii_strtod (f[3], NULL);
      lo95 = g_ascii_strtod (f[4], NULL);
      hi95 = g_ascii_strtod (f[5], NULL);
      g_assert_true (lo95 <= lo80 && lo80 <= mean && mean <= hi80 && hi80 <= hi95);
      g_assert_cmpfloat (mean, >, 80.0);
      g_assert_cmpfloat (mean, <, 150.0);
    }
}

static void
test_forecast_levels (void)
{
  g_autofree char *csv = daily_csv (30);
  g_autofree char *path = write_file ("levels.csv", csv);
  g_auto(Run) r = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&r, "forecast", "--input", path, "--horizon", "3", "--level", "80,95", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "date,mean,lo80,hi80,lo95,hi95\n"));

  run_cli (&r2, "forecast", "--input", path, "--horizon", "3", "--level", "50,99.5", "--season", "1", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  lines = lines_of (r2.out);
  g_assert_cmpstr (lines[0], ==, "date,mean,lo50,hi50,lo99.5,hi99.5");
  g_assert_cmpuint (g_strv_length (lines), ==, 4);

  run_cli (&r3, "forecast", "--input", path, "--horizon", "2", "--level", "90", NULL);
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_true (g_str_has_prefix (r3.out, "date,mean,lo90,hi90\n"));
}

static void
test_forecast_hourly (void)
{
  GString *s = g_string_new ("timestamp,value\n");
  g_autofree char *path = NULL;
  g_auto(Run) r = { 0 };
  g_auto(GStrv) lines = NULL;

  for (guint t = 0; t < 72; t++)
    g_string_append_printf (s, "2024-03-%02u %02u:00:00,%u\n", 1 + t / 24, t % 24, 10 + (t % 24 > 8 && t % 24 < 18 ? 5 : 0));
  path = write_file ("hourly.csv", s->str);
  g_string_free (s, TRUE);

  run_cli (&r, "forecast", "--input", path, "--horizon", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = lines_of (r.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[1], "2024-03-04 00:00:00,"));
  g_assert_true (g_str_has_prefix (lines[3], "2024-03-04 02:00:00,"));
}

/* Costs falling to zero: nothing negative, even the lower bounds; a series
 * of zeros forecasts zeros. */
static void
test_forecast_zero_and_clip (void)
{
  g_autofree char *zeros = write_file ("zeros.csv", "date,value\n2024-01-01,0\n2024-01-02,0\n2024-01-03,0\n2024-01-04,0\n");
  GString *s = g_string_new ("date,value\n");
  g_autofree char *falling = NULL;
  g_auto(Run) r = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) lines2 = NULL;

  for (guint t = 0; t < 28; t++)
    g_string_append_printf (s, "2024-01-%02u,%u\n", t + 1, 56 - 2 * t);
  falling = write_file ("falling.csv", s->str);
  g_string_free (s, TRUE);

  run_cli (&r, "forecast", "--input", zeros, "--horizon", "5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = lines_of (r.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[1], ==, "2024-01-05,0,0,0,0,0");
  g_assert_cmpstr (lines[5], ==, "2024-01-09,0,0,0,0,0");

  run_cli (&r2, "forecast", "--input", falling, "--horizon", "30", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  lines2 = lines_of (r2.out);
  for (guint i = 1; lines2[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines2[i], ",", -1);

      for (guint c = 1; c < 6; c++)
        {
          g_assert_false (f[c][0] == '-');
          g_assert_cmpfloat (g_ascii_strtod (f[c], NULL), >=, 0.0);
        }
    }
}

static void
test_anomalies (void)
{
  g_autofree char *csv = daily_csv (70);
  g_autofree char *path = NULL;
  g_auto(Run) r = { 0 };
  g_auto(GStrv) lines = NULL;
  char *spike;
  gboolean spike_found = FALSE;

  /* day 50 (2024-02-20) costs five times as much */
  spike = strstr (csv, "2024-02-20,");
  g_assert_nonnull (spike);
  memcpy (spike + 11, "999.", 4);
  path = write_file ("anomalies.csv", csv);

  run_cli (&r, "anomalies", "--input", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = lines_of (r.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 71);
  g_assert_cmpstr (lines[0], ==, "date,value,expected,score,is_anomaly");
  g_assert_true (g_str_has_prefix (lines[1], "2024-01-01,"));
  for (guint i = 1; i <= 70; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      double score;

      g_assert_cmpuint (g_strv_length (f), ==, 5);
      score = g_ascii_strtod (f[3], NULL);
      g_assert_cmpfloat (score, >=, 0.0);
      g_assert_cmpfloat (score, <=, 1.0);
      g_assert_true (g_str_equal (f[4], "0") || g_str_equal (f[4], "1"));
      if (g_str_equal (f[0], "2024-02-20"))
        spike_found = g_str_equal (f[4], "1");
      else
        g_assert_cmpstr (f[4], ==, "0");
    }
  g_assert_true (spike_found);
}

/* Online: the rows of a prefix of the file score exactly as in the whole. */
static void
test_anomalies_prefix (void)
{
  g_autofree char *csv = daily_csv (60);
  g_autofree char *full_path = write_file ("full.csv", csv);
  g_autofree char *prefix_path = NULL;
  g_auto(Run) full = { 0 };
  g_auto(Run) prefix = { 0 };
  char *cut;

  /* keep the header and the first 40 rows */
  cut = csv;
  for (guint i = 0; i < 41; i++)
    cut = strchr (cut, '\n') + 1;
  *cut = '\0';
  prefix_path = write_file ("prefix.csv", csv);

  run_cli (&full, "anomalies", "--input", full_path, NULL);
  run_cli (&prefix, "anomalies", "--input", prefix_path, NULL);
  g_assert_cmpint (full.status, ==, 0);
  g_assert_cmpint (prefix.status, ==, 0);
  g_assert_true (g_str_has_prefix (full.out, prefix.out));
  g_assert_cmpuint (strlen (prefix.out), <, strlen (full.out));
}

static void
test_anomalies_times (void)
{
  g_autofree char *path = NULL;
  GString *s = g_string_new ("value,timestamp\n");
  g_auto(Run) r = { 0 };
  g_auto(GStrv) lines = NULL;

  for (guint t = 0; t < 96; t++)
    g_string_append_printf (s, "%u,2024-05-01 %02u:%02u:00\n", 5 + t % 4, t / 4, (t % 4) * 15);
  path = write_file ("quarter-hours.csv", s->str);
  g_string_free (s, TRUE);

  run_cli (&r, "anomalies", "--input", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = lines_of (r.out);
  g_assert_cmpuint (g_strv_length (lines), ==, 97);
  g_assert_true (g_str_has_prefix (lines[2], "2024-05-01 00:15:00,6,"));
}

/* A 30-minute export in local time as monitoring tools write it: the
 * clock goes back an hour at the end of daylight saving (02:00–02:30 come
 * twice), a row is two seconds before the one above it, two hours are
 * missing. Every row is scored, in file order, with its time echoed; the
 * quiet rows score near 0; a prefix of the file scores exactly as in the
 * whole; a spike scores near 1. */
static void
test_anomalies_real_export (void)
{
  GString *s = g_string_new ("timestamp,value\n");
  g_autofree char *path = NULL;
  g_autofree char *prefix_path = NULL;
  g_auto(Run) r = { 0 };
  g_auto(Run) prefix = { 0 };
  g_auto(GStrv) lines = NULL;
  guint rows = 0, high = 0, cut_rows = 0;
  gsize cut_at = 0;
  gint64 t0 = 1760313600;   /* 2025-10-13 00:00 UTC, two weeks before the switch */
  gint64 switch_at = 1761440400;

  for (gint64 ut = t0; ut < t0 + 21 * 86400; ut += 1800)
    {
      gint64 local = ut + (ut < switch_at ? 7200 : 3600);
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *label = NULL;
      double hod = (double) (local % 86400) / 3600.0;
      /* a daily cycle: a ramp up to noon and down again */
      double v = 100 + 40 * (1.0 - (hod > 12 ? hod - 12 : 12 - hod) / 12.0) + ((ut / 1800 * 7919) % 17) * 0.3;

      if (ut >= t0 + 10 * 86400 && ut < t0 + 10 * 86400 + 7200)
        continue;                                   /* the outage */
      if (ut == t0 + 18 * 86400 + 12 * 1800)
        v += 60;                                    /* the spike */
      if (ut == t0 + 12 * 86400)
        local -= 2;                                 /* out of order below */
      dt = g_date_time_new_from_unix_utc (local);
      label = g_date_time_format (dt, "%F %T");
      g_string_append_printf (s, "%s,%.2f\n", label, v);
      if (ut == t0 + 12 * 86400 - 1800)
        {
          /* a second collector's row, 2 s after this one, comes first */
          g_autoptr(GDateTime) late = g_date_time_new_from_unix_utc (local + 1802);
          g_autofree char *late_label = g_date_time_format (late, "%F %T");

          g_string_append_printf (s, "%s,%.2f\n", late_label, v);
        }
      if (ut == t0 + 15 * 86400)
        cut_at = s->len;
      rows++;
    }
  rows++;   /* the extra row */
  path = write_file ("export.csv", s->str);
  g_string_truncate (s, cut_at);
  prefix_path = write_file ("export-prefix.csv", s->str);
  g_string_free (s, TRUE);

  run_cli (&r, "anomalies", "--input", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = lines_of (r.out);
  g_assert_cmpuint (g_strv_length (lines), ==, rows + 1);
  {
    guint repeats = 0;

    for (guint i = 1; lines[i] != NULL; i++)
      {
        g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
        double score = g_ascii_strtod (f[3], NULL);

        g_assert_cmpuint (g_strv_length (f), ==, 5);
        g_assert_cmpfloat (score, >=, 0.0);
        g_assert_cmpfloat (score, <=, 1.0);
        repeats += g_str_equal (f[0], "2025-10-26 02:00:00");
        if (g_str_equal (f[0], "2025-10-31 07:00:00"))
          g_assert_cmpfloat (score, >, 0.99);
        else
          high += score >= 0.5;
      }
    g_assert_cmpuint (repeats, ==, 2);
    g_assert_cmpuint (high, <=, 2);
  }

  run_cli (&prefix, "anomalies", "--input", prefix_path, NULL);
  g_assert_cmpint (prefix.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, prefix.out));
  for (const char *p = prefix.out; (p = strchr (p, '\n')) != NULL; p++)
    cut_rows++;
  g_assert_cmpuint (cut_rows, >, 600);
}

/* Times that go back further than a clock set back, or a row missing its
 * value: an error naming the file, the line and the column, exit 1. */
static void
test_anomalies_unreadable (void)
{
  g_autofree char *back = write_file ("back.csv", "timestamp,value\n2025-01-01 10:00:00,1\n2025-01-01 10:30:00,2\n"
                                                  "2025-01-01 11:00:00,3\n2025-01-01 08:00:00,4\n");
  g_autofree char *missing = write_file ("missing.csv", "date,value\n2025-01-01,1\n2025-01-02,\n");
  g_autofree char *expect = NULL;
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };

  run_cli (&r1, "anomalies", "--input", back, NULL);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_cmpstr (r1.out, ==, "");
  expect = g_strdup_printf ("%s:5: column “timestamp”:", back);
  g_assert_nonnull (strstr (r1.err, expect));
  g_clear_pointer (&expect, g_free);

  run_cli (&r2, "anomalies", "--input", missing, NULL);
  g_assert_cmpint (r2.status, ==, 1);
  expect = g_strdup_printf ("%s:3: column “value”:", missing);
  g_assert_nonnull (strstr (r2.err, expect));
}

static void
assert_usage_error (const char *what,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CUMULUS_CLI"));
  va_start (ap, what);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 2)
    g_error ("%s: expected exit 2, got status %d (%s)", what, wait_status, err);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (strlen (err), >, 0);
  g_assert_nonnull (strchr (err, '\n'));
  g_assert_true (strchr (err, '\n')[1] == '\0');
}

static void
test_usage_errors (void)
{
  g_autofree char *csv = daily_csv (20);
  g_autofree char *path = write_file ("usage.csv", csv);

  /* without --input at all, forecast and anomalies work on the workspace
   * ledger (cmd-ledger.c); a --input with no file is a usage error */
  assert_usage_error ("--input without a file", "forecast", "--horizon", "5", "--input", NULL);
  assert_usage_error ("missing --horizon", "forecast", "--input", path, NULL);
  assert_usage_error ("non-numeric --horizon", "forecast", "--input", path, "--horizon", "ten", NULL);
  assert_usage_error ("zero --horizon", "forecast", "--input", path, "--horizon", "0", NULL);
  assert_usage_error ("negative --horizon", "forecast", "--input", path, "--horizon", "-3", NULL);
  assert_usage_error ("bad --season", "forecast", "--input", path, "--horizon", "3", "--season", "-1", NULL);
  assert_usage_error ("zero --season", "anomalies", "--input", path, "--season", "0", NULL);
  assert_usage_error ("huge --season", "anomalies", "--input", path, "--season", "1000000000", NULL);
  assert_usage_error ("bad --level", "forecast", "--input", path, "--horizon", "3", "--level", "80,150", NULL);
  assert_usage_error ("unknown option", "forecast", "--input", path, "--horizon", "3", "--frobnicate", NULL);
  assert_usage_error ("anomalies --input without a file", "anomalies", "--input", NULL);
  assert_usage_error ("anomalies with stray argument", "anomalies", "--input", path, "extra", NULL);
}

static void
test_runtime_errors (void)
{
  g_autofree char *missing = g_build_filename (tmpdir, "no-such.csv", NULL);
  g_autofree char *bad_value = write_file ("bad-value.csv", "date,value\n2024-01-01,1\n2024-01-02,2\n2024-01-03,two\n");
  g_autofree char *bad_header = write_file ("bad-header.csv", "day,cost\n2024-01-01,1\n");
  g_autofree char *bad_order = write_file ("bad-order.csv", "date,value\n2024-01-02,1\n2024-01-01,2\n");
  g_autofree char *expect = NULL;
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  g_auto(Run) r4 = { 0 };
  g_auto(Run) r5 = { 0 };

  run_cli (&r1, "forecast", "--input", missing, "--horizon", "3", NULL);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_nonnull (strstr (r1.err, missing));
  g_assert_cmpstr (r1.out, ==, "");

  run_cli (&r2, "forecast", "--input", bad_value, "--horizon", "3", NULL);
  g_assert_cmpint (r2.status, ==, 1);
  expect = g_strdup_printf ("%s:4:", bad_value);
  g_assert_nonnull (strstr (r2.err, expect));
  g_assert_cmpstr (r2.out, ==, "");
  g_clear_pointer (&expect, g_free);

  run_cli (&r3, "anomalies", "--input", bad_value, NULL);
  g_assert_cmpint (r3.status, ==, 1);
  expect = g_strdup_printf ("%s:4:", bad_value);
  g_assert_nonnull (strstr (r3.err, expect));
  g_clear_pointer (&expect, g_free);

  run_cli (&r4, "anomalies", "--input", bad_header, NULL);
  g_assert_cmpint (r4.status, ==, 1);
  expect = g_strdup_printf ("%s:1:", bad_header);
  g_assert_nonnull (strstr (r4.err, expect));
  g_clear_pointer (&expect, g_free);

  run_cli (&r5, "forecast", "--input", bad_order, "--horizon", "2", NULL);
  g_assert_cmpint (r5.status, ==, 1);
  expect = g_strdup_printf ("%s:3:", bad_order);
  g_assert_nonnull (strstr (r5.err, expect));
  /* one line */
  g_assert_true (strchr (r5.err, '\n')[1] == '\0');
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("CUMULUS_CLI") == NULL)
    {
      g_print ("1..0 # SKIP CUMULUS_CLI is not set\n");
      return 0;
    }
  tmpdir = g_dir_make_tmp ("cumulus-analytics-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/cli-analytics/forecast-daily", test_forecast_daily);
  g_test_add_func ("/cli-analytics/forecast-levels", test_forecast_levels);
  g_test_add_func ("/cli-analytics/forecast-hourly", test_forecast_hourly);
  g_test_add_func ("/cli-analytics/forecast-zero-and-clip", test_forecast_zero_and_clip);
  g_test_add_func ("/cli-analytics/anomalies", test_anomalies);
  g_test_add_func ("/cli-analytics/anomalies-prefix", test_anomalies_prefix);
  g_test_add_func ("/cli-analytics/anomalies-times", test_anomalies_times);
  g_test_add_func ("/cli-analytics/anomalies-real-export", test_anomalies_real_export);
  g_test_add_func ("/cli-analytics/anomalies-unreadable", test_anomalies_unreadable);
  g_test_add_func ("/cli-analytics/usage-errors", test_usage_errors);
  g_test_add_func ("/cli-analytics/runtime-errors", test_runtime_errors);
  rc = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return rc;
}
