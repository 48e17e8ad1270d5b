/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-money.c — exact amounts and calendar days */
#define G_LOG_DOMAIN "test-money"

#include <math.h>

#include "util/cu-date.h"
#include "util/cu-money.h"

static void
test_parse (void)
{
  static const struct { const char *text; gint64 micros; } cases[] = {
    { "0", 0 }, { "12.345678", 12345678 }, { "-0.5", -500000 }, { "+7", 7000000 },
    { "  3.25 ", 3250000 }, { "1e-3", 1000 }, { "1.5E2", 150000000 },
    { "0.0000005", 1 }, { "0.0000004", 0 }, { "-0.0000005", -1 }, { "00012.10", 12100000 },
    { ".5", 500000 }, { "5.", 5000000 }, { "123456789012.123456", G_GINT64_CONSTANT (123456789012123456) },
    { "2.675", 2675000 }, { "0.1234564999", 123456 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 v = -42;
      g_autoptr(GError) error = NULL;

      g_assert_true (cu_money_parse (cases[i].text, -1, &v, &error));
      g_assert_no_error (error);
      g_assert_cmpint (v, ==, cases[i].micros);
    }
}

static void
test_parse_errors (void)
{
  const char *bad[] = { "", "abc", "1.2.3", "12a", "-", "1e", "--1", "1,5", "99999999999999999999" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 v;
      g_autoptr(GError) error = NULL;

      g_assert_false (cu_money_parse (bad[i], -1, &v, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == CU_MONEY_ERROR);
    }
}

/* 0.1 added ten thousand times is exactly 1000 in micros; in doubles it drifts */
static void
test_no_drift (void)
{
  gint64 sum = 0, v;
  double dsum = 0;

  for (int i = 0; i < 10000; i++)
    {
      g_assert_true (cu_money_parse ("0.1", -1, &v, NULL));
      sum += v;
      dsum += 0.1;
    }
  g_assert_cmpint (sum, ==, 1000 * CU_MICROS_PER_UNIT);
  g_assert_true (dsum != 1000.0);
}

static void
test_format (void)
{
  struct { gint64 micros; guint dec; const char *text; } cases[] = {
    { 0, 2, "0.00" }, { 1234567, 2, "1.23" }, { 1235000, 2, "1.24" }, { -1235000, 2, "-1.24" },
    { -4999, 2, "0.00" }, { 5000, 2, "0.01" }, { 12345678, 6, "12.345678" }, { 2500000, 0, "3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *t = cu_money_format_plain (cases[i].micros, cases[i].dec);
      g_assert_cmpstr (t, ==, cases[i].text);
    }
  {
    g_autofree char *d = cu_money_format_display (G_GINT64_CONSTANT (1234567890000), "USD");
    g_autofree char *e = cu_money_format_display (-2500000, "CHF");
    g_assert_cmpstr (d, ==, "$1,234,567.89");
    g_assert_cmpstr (e, ==, "−2.50 CHF");
  }
  g_assert_cmpint (cu_money_round_cents (-5000), ==, -1);
  g_assert_cmpint (cu_money_round_cents (4999), ==, 0);
}

/* The int64 edges: rounding may not wrap, and what does not fit is an
 * error, never a wrong amount (issue 8: 9223372036854.7758075 was stored as
 * INT64_MIN). */
static void
test_parse_limits (void)
{
  static const char * const too_large[] = {
    "9223372036854.7758075", "9223372036854.775808", "-9223372036854.775808",
    "-9223372036854.7758075", "9223372036855", "9.3e12", "1e19",
  };
  gint64 v = 0;

  g_assert_true (cu_money_parse ("9223372036854.775807", -1, &v, NULL));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_true (cu_money_parse ("9223372036854.7758074", -1, &v, NULL));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_true (cu_money_parse ("-9223372036854.775807", -1, &v, NULL));
  g_assert_cmpint (v, ==, -G_MAXINT64);
  for (guint i = 0; i < G_N_ELEMENTS (too_large); i++)
    {
      g_autoptr(GError) error = NULL;

      v = 42;
      g_assert_false (cu_money_parse (too_large[i], -1, &v, &error));
      g_assert_error (error, CU_MONEY_ERROR, CU_MONEY_ERROR_OVERFLOW);
      g_assert_cmpint (v, ==, 42);
    }
}

/* Formatting is exact up to the limits, INT64_MIN included (it printed
 * "--9223372036854.-77"). */
static void
test_format_limits (void)
{
  struct { gint64 micros; guint dec; const char *text; } cases[] = {
    { G_MAXINT64, 2, "9223372036854.78" }, { G_MAXINT64, 6, "9223372036854.775807" },
    { G_MAXINT64, 0, "9223372036855" }, { G_MAXINT64 - 1000, 2, "9223372036854.77" },
    { -G_MAXINT64, 2, "-9223372036854.78" }, { G_MININT64, 2, "-9223372036854.78" },
    { G_MININT64, 6, "-9223372036854.775808" }, { G_MININT64, 0, "-9223372036855" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *t = cu_money_format_plain (cases[i].micros, cases[i].dec);
      g_assert_cmpstr (t, ==, cases[i].text);
    }
  {
    g_autofree char *max = cu_money_format_display (G_MAXINT64, "USD");
    g_autofree char *min = cu_money_format_display (G_MININT64, "CHF");
    g_assert_cmpstr (max, ==, "$9,223,372,036,854.78");
    g_assert_cmpstr (min, ==, "−9,223,372,036,854.78 CHF");
  }
  /* the fuzzer's inputs (tests/fuzz/corpus/money): half a rounding step
   * below the limits, where the old formatter's `mag + scale / 2` wrapped */
  {
    static const char * const near[] = { "9223372036854.7755", "-9223372036854.7755", "9223372036854.775807" };
    static const char * const want[] = { "9223372036854.78", "-9223372036854.78", "9223372036854.78" };

    for (guint i = 0; i < G_N_ELEMENTS (near); i++)
      {
        gint64 v = 0;
        g_autofree char *t2 = NULL;
        g_autofree char *t0 = NULL;

        g_assert_true (cu_money_parse (near[i], -1, &v, NULL));
        t2 = cu_money_format_plain (v, 2);
        t0 = cu_money_format_plain (v, 0);
        g_assert_cmpstr (t2, ==, want[i]);
        g_assert_cmpstr (t0 + (t0[0] == '-'), ==, "9223372036855");
      }
  }
  g_assert_cmpint (cu_money_round_cents (G_MAXINT64), ==, G_GINT64_CONSTANT (922337203685478));
  g_assert_cmpint (cu_money_round_cents (G_MININT64), ==, -G_GINT64_CONSTANT (922337203685478));
}

/* Doubles from the network: NaN and out-of-range values are refused by
 * the checked conversion and never wrap in the unchecked one. */
static void
test_from_double (void)
{
  static const double bad[] = { NAN, INFINITY, -INFINITY, 9.3e12, -9.3e12, 1e300, 9223372036854.7758 };
  gint64 v = 0;

  g_assert_true (cu_money_from_double_checked (12.3456785, &v, NULL));
  g_assert_cmpint (v, ==, 12345679);
  g_assert_true (cu_money_from_double_checked (-0.5e-6, &v, NULL));
  g_assert_cmpint (v, ==, -1);
  g_assert_true (cu_money_from_double_checked (9.2e12, &v, NULL));
  g_assert_cmpint (v, ==, G_GINT64_CONSTANT (9200000000000000000));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      v = 42;
      g_assert_false (cu_money_from_double_checked (bad[i], &v, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == CU_MONEY_ERROR);
      g_assert_cmpint (v, ==, 42);
    }
  g_assert_cmpint (cu_money_from_double (NAN), ==, 0);
  g_assert_cmpint (cu_money_from_double (9.3e12), ==, G_MAXINT64);
  g_assert_cmpint (cu_money_from_double (-9.3e12), ==, -G_MAXINT64);
  g_assert_cmpint (cu_money_from_double (1.25), ==, 1250000);
}

static void
test_days (void)
{
  CuDay d;
  char buf[11];
  int y, m, dd;

  g_assert_cmpint (cu_day_from_ymd (1970, 1, 1), ==, 0);
  g_assert_true (cu_day_parse ("2024-02-29", &d));
  cu_day_format (d, buf);
  g_assert_cmpstr (buf, ==, "2024-02-29");
  g_assert_false (cu_day_parse ("2023-02-29", &d));
  g_assert_false (cu_day_parse ("2023-13-01", &d));
  g_assert_true (cu_day_parse ("2026-11-22T10:00:00Z", &d));
  g_assert_true (cu_day_parse ("2026-11-22 10:00:00", &d));
  g_assert_cmpint (cu_day_weekday (d), ==, 7); /* a Sunday */
  g_assert_cmpint (cu_day_week_start (d), ==, d - 6);
  cu_day_to_ymd (cu_day_add_months (cu_day_from_ymd (2026, 1, 31), 1), &y, &m, &dd);
  g_assert_cmpint (y * 10000 + m * 100 + dd, ==, 20260228);
  cu_day_to_ymd (cu_day_add_months (cu_day_from_ymd (2026, 1, 15), -13), &y, &m, &dd);
  g_assert_cmpint (y * 10000 + m * 100 + dd, ==, 20241215);
  /* round trip over a long span */
  for (CuDay i = -1000; i < 40000; i += 7)
    {
      cu_day_to_ymd (i, &y, &m, &dd);
      g_assert_cmpint (cu_day_from_ymd (y, m, dd), ==, i);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/money/parse", test_parse);
  g_test_add_func ("/money/parse-errors", test_parse_errors);
  g_test_add_func ("/money/no-drift", test_no_drift);
  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/parse-limits", test_parse_limits);
  g_test_add_func ("/money/format-limits", test_format_limits);
  g_test_add_func ("/money/from-double", test_from_double);
  g_test_add_func ("/date/days", test_days);
  return g_test_run ();
}
