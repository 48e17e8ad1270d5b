/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-comparison.c — the rule that picks the period a range is compared with */
#define G_LOG_DOMAIN "cumulus-test"

#include "store/cu-comparison.h"

static CuDay
d (const char *iso)
{
  CuDay day = CU_DAY_INVALID;

  g_assert_true (cu_day_parse (iso, &day));
  return day;
}

static void
assert_range (CuDay from, CuDay to, const char *want_from, const char *want_to)
{
  g_autofree char *a = cu_day_to_string (from);
  g_autofree char *b = cu_day_to_string (to);

  g_assert_cmpstr (a, ==, want_from);
  g_assert_cmpstr (b, ==, want_to);
}

static CuComparison
compute (CuPeriodKind kind, const char *from, const char *to)
{
  CuComparison c;

  g_assert_true (cu_comparison_compute (kind, d (from), d (to), &c));
  return c;
}

static void
test_month_after_31_days (void)
{
  /* November (30 days) against October (31), not against 2–31 Oct */
  CuComparison c = compute (CU_PERIOD_KIND_AUTO, "2026-11-01", "2026-11-30");
  g_autofree char *what = cu_comparison_describe (&c);

  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_MONTH);
  g_assert_false (c.partial);
  assert_range (c.previous_from, c.previous_to, "2026-10-01", "2026-10-31");
  assert_range (c.like_from, c.like_to, "2026-10-01", "2026-10-31");
  assert_range (c.year_from, c.year_to, "2025-11-01", "2025-11-30");
  g_assert_cmpstr (what, ==, "previous month");

  /* and March (31) against February (28) */
  c = compute (CU_PERIOD_KIND_MONTH, "2027-03-01", "2027-03-31");
  assert_range (c.previous_from, c.previous_to, "2027-02-01", "2027-02-28");
  /* January against the December before */
  c = compute (CU_PERIOD_KIND_AUTO, "2027-01-01", "2027-01-31");
  assert_range (c.previous_from, c.previous_to, "2026-12-01", "2026-12-31");
}

static void
test_month_to_date (void)
{
  CuComparison c = compute (CU_PERIOD_KIND_AUTO, "2026-12-01", "2026-12-02");
  g_autofree char *what = cu_comparison_describe (&c);

  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_MONTH);
  g_assert_true (c.partial);
  assert_range (c.period_from, c.period_to, "2026-12-01", "2026-12-31");
  assert_range (c.previous_from, c.previous_to, "2026-11-01", "2026-11-30");
  /* like for like: the same days of November */
  assert_range (c.like_from, c.like_to, "2026-11-01", "2026-11-02");
  assert_range (c.year_from, c.year_to, "2025-12-01", "2025-12-02");
  g_assert_cmpstr (what, ==, "previous month, same days");

  /* 1–31 Mar to date against February's days, clamped to February */
  c = compute (CU_PERIOD_KIND_MONTH, "2027-03-01", "2027-03-30");
  g_assert_true (c.partial);
  assert_range (c.like_from, c.like_to, "2027-02-01", "2027-02-28");
}

static void
test_quarter (void)
{
  CuComparison c = compute (CU_PERIOD_KIND_AUTO, "2026-07-01", "2026-09-30");
  g_autofree char *what = NULL;

  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_QUARTER);
  assert_range (c.previous_from, c.previous_to, "2026-04-01", "2026-06-30");
  assert_range (c.year_from, c.year_to, "2025-07-01", "2025-09-30");
  /* Q1 against the Q4 before */
  c = compute (CU_PERIOD_KIND_AUTO, "2027-01-01", "2027-03-31");
  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_QUARTER);
  assert_range (c.previous_from, c.previous_to, "2026-10-01", "2026-12-31");
  /* a quarter to date */
  c = compute (CU_PERIOD_KIND_QUARTER, "2026-10-01", "2026-11-15");
  g_assert_true (c.partial);
  assert_range (c.previous_from, c.previous_to, "2026-07-01", "2026-09-30");
  assert_range (c.like_from, c.like_to, "2026-07-01", "2026-08-15");
  what = cu_comparison_describe (&c);
  g_assert_cmpstr (what, ==, "previous quarter, same days");
}

static void
test_year (void)
{
  CuComparison c = compute (CU_PERIOD_KIND_AUTO, "2025-01-01", "2025-12-31");

  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_YEAR);
  assert_range (c.previous_from, c.previous_to, "2024-01-01", "2024-12-31");
  /* year to date */
  c = compute (CU_PERIOD_KIND_YEAR, "2026-01-01", "2026-12-03");
  g_assert_true (c.partial);
  assert_range (c.like_from, c.like_to, "2025-01-01", "2025-12-03");
}

static void
test_leap_years (void)
{
  /* March 2024 against February 2024 (29 days) */
  CuComparison c = compute (CU_PERIOD_KIND_AUTO, "2024-03-01", "2024-03-31");

  assert_range (c.previous_from, c.previous_to, "2024-02-01", "2024-02-29");
  /* February 2028 (29 days) a year earlier is all of February 2027 (28) */
  c = compute (CU_PERIOD_KIND_AUTO, "2028-02-01", "2028-02-29");
  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_MONTH);
  g_assert_false (c.partial);
  assert_range (c.year_from, c.year_to, "2027-02-01", "2027-02-28");
  assert_range (c.previous_from, c.previous_to, "2028-01-01", "2028-01-31");
  /* 2024 (366 days) against 2023 (365), 2025 against 2024 */
  c = compute (CU_PERIOD_KIND_AUTO, "2025-01-01", "2025-12-31");
  assert_range (c.previous_from, c.previous_to, "2024-01-01", "2024-12-31");
  /* 1 Mar – 29 Feb 2028 is a range: the 366 days before */
  c = compute (CU_PERIOD_KIND_AUTO, "2027-03-01", "2028-02-29");
  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_RANGE);
  assert_range (c.previous_from, c.previous_to, "2026-02-28", "2027-02-28");
}

static void
test_custom_ranges (void)
{
  CuComparison c = compute (CU_PERIOD_KIND_AUTO, "2026-11-04", "2026-12-03");
  g_autofree char *what = cu_comparison_describe (&c);

  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_RANGE);
  assert_range (c.previous_from, c.previous_to, "2026-10-05", "2026-11-03");
  g_assert_cmpint (c.year_from, ==, CU_DAY_INVALID);
  g_assert_cmpstr (what, ==, "the 30 days before");
  /* a range that starts mid-month stays a range whatever the kind asked */
  c = compute (CU_PERIOD_KIND_MONTH, "2026-11-02", "2026-11-30");
  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_RANGE);
  assert_range (c.previous_from, c.previous_to, "2026-10-04", "2026-11-01");
  /* two whole months are a range of 61 days */
  c = compute (CU_PERIOD_KIND_AUTO, "2026-10-01", "2026-11-30");
  g_assert_cmpint (c.kind, ==, CU_PERIOD_KIND_RANGE);
  assert_range (c.previous_from, c.previous_to, "2026-08-01", "2026-09-30");
  /* one day: the day before */
  c = compute (CU_PERIOD_KIND_AUTO, "2026-11-15", "2026-11-15");
  assert_range (c.previous_from, c.previous_to, "2026-11-14", "2026-11-14");
  /* bad input is refused, not computed */
  g_assert_false (cu_comparison_compute (CU_PERIOD_KIND_AUTO, d ("2026-11-15"), d ("2026-11-14"), &c));
  g_assert_false (cu_comparison_compute (CU_PERIOD_KIND_AUTO, CU_DAY_INVALID, d ("2026-11-14"), &c));
  g_assert_false (cu_comparison_compute (CU_PERIOD_KIND_MONTH, CU_DAY_MIN, CU_DAY_MIN + 30, &c));
}

static void
test_partial_periods (void)
{
  CuDay a, b;
  /* history from 2025-06-04 to 2026-12-02 */
  CuDay first = d ("2025-06-04"), last = d ("2026-12-02");

  /* the first month of history */
  g_assert_true (cu_period_is_partial (CU_GRANULARITY_MONTH, d ("2025-06-01"), d ("2025-06-01"), d ("2026-12-31"),
                                       first, last, &a, &b));
  assert_range (a, b, "2025-06-04", "2025-06-30");
  /* a whole month in between */
  g_assert_false (cu_period_is_partial (CU_GRANULARITY_MONTH, d ("2025-07-01"), d ("2025-06-01"), d ("2026-12-31"),
                                        first, last, &a, &b));
  assert_range (a, b, "2025-07-01", "2025-07-31");
  /* the current month: 1–2 Dec */
  g_assert_true (cu_period_is_partial (CU_GRANULARITY_MONTH, d ("2026-12-01"), d ("2025-06-01"), d ("2026-12-31"),
                                       first, last, &a, &b));
  assert_range (a, b, "2026-12-01", "2026-12-02");
  /* a range that starts mid-month cuts its first month */
  g_assert_true (cu_period_is_partial (CU_GRANULARITY_MONTH, d ("2026-09-15"), d ("2026-09-15"), d ("2026-11-30"),
                                       first, last, &a, &b));
  assert_range (a, b, "2026-09-15", "2026-09-30");
  /* weeks: the cell starts on the range's first day, a Wednesday */
  g_assert_true (cu_period_is_partial (CU_GRANULARITY_WEEK, d ("2026-11-04"), d ("2026-11-04"), d ("2026-11-30"),
                                       first, last, &a, &b));
  assert_range (a, b, "2026-11-04", "2026-11-08");
  g_assert_false (cu_period_is_partial (CU_GRANULARITY_WEEK, d ("2026-11-09"), d ("2026-11-04"), d ("2026-11-30"),
                                        first, last, NULL, NULL));
  /* a day is whole or absent */
  g_assert_false (cu_period_is_partial (CU_GRANULARITY_DAY, d ("2026-11-09"), d ("2026-11-04"), d ("2026-11-30"),
                                        first, last, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/comparison/month-after-31-days", test_month_after_31_days);
  g_test_add_func ("/comparison/month-to-date", test_month_to_date);
  g_test_add_func ("/comparison/quarter", test_quarter);
  g_test_add_func ("/comparison/year", test_year);
  g_test_add_func ("/comparison/leap-years", test_leap_years);
  g_test_add_func ("/comparison/custom-ranges", test_custom_ranges);
  g_test_add_func ("/comparison/partial-periods", test_partial_periods);
  return g_test_run ();
}
