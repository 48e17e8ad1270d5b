/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-date.c — calendar days as plain integers */
#define G_LOG_DOMAIN "cumulus-date"

#include "cu-date.h"

#include <stdlib.h>
#include <string.h>

/* Days from civil, proleptic Gregorian (the well-known era arithmetic),
 * in 64 bits: a year read from a file or an answer can be anything, and
 * the int arithmetic of the textbook version overflows past year 5.8e6. */
static gint64
days_from_civil (gint64 year, int month, gint64 day)
{
  gint64 y = year - (month <= 2);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

/**
 * cu_day_from_ymd:
 * @year: any year
 * @month: 1–12
 * @day: day of the month; 0 or past the month's end counts on from the
 *   month's first day
 *
 * Returns: the day, or %CU_DAY_INVALID when @month is not 1–12 or the day
 *   falls outside %CU_DAY_MIN … %CU_DAY_MAX (years −999999 to 999999), so
 *   that a day ± a few years of arithmetic can never overflow a CuDay.
 */
CuDay
cu_day_from_ymd (int year, int month, int day)
{
  gint64 d;

  if (month < 1 || month > 12 || year < -CU_DAY_MAX_YEAR - 1 || year > CU_DAY_MAX_YEAR + 1)
    return CU_DAY_INVALID;
  d = days_from_civil (year, month, day);
  if (d < CU_DAY_MIN || d > CU_DAY_MAX)
    return CU_DAY_INVALID;
  return (CuDay) d;
}

/**
 * cu_day_to_ymd:
 *
 * Splits any CuDay (64-bit arithmetic, so even %CU_DAY_INVALID does not
 * overflow) into year, month and day of the month.
 */
void
cu_day_to_ymd (CuDay d, int *year, int *month, int *day)
{
  gint64 z = (gint64) d + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 y = yoe + era * 400;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int dd = (int) (doy - (153 * mp + 2) / 5 + 1);
  int mm = (int) (mp + (mp < 10 ? 3 : -9));

  if (year) *year = (int) (y + (mm <= 2));
  if (month) *month = mm;
  if (day) *day = dd;
}

/**
 * cu_day_is_iso:
 *
 * Returns: whether @d lies in 0000-01-01 … 9999-12-31, the days that
 *   "YYYY-MM-DD" can spell.
 */
gboolean
cu_day_is_iso (CuDay d)
{
  return d >= CU_DAY_ISO_FIRST && d <= CU_DAY_ISO_LAST;
}

int
cu_days_in_month (int year, int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  /* callers check the month first: a month from data never gets here */
  g_return_val_if_fail (month >= 1 && month <= 12, 0);
  return month == 2 && leap ? 29 : days[month - 1];
}

/**
 * cu_day_parse:
 * @text: "YYYY-MM-DD", optionally followed by a time ("T…" or " …")
 *
 * Returns: %TRUE when @text starts with a valid calendar date.
 */
gboolean
cu_day_parse (const char *text, CuDay *out_day)
{
  int y, m, d, i;

  if (text == NULL)
    return FALSE;
  for (i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }
  if (text[10] != '\0' && text[10] != 'T' && text[10] != ' ' && text[10] != 't')
    return FALSE;
  y = atoi (text);
  m = (text[5] - '0') * 10 + (text[6] - '0');
  d = (text[8] - '0') * 10 + (text[9] - '0');
  if (m < 1 || m > 12 || d < 1 || d > cu_days_in_month (y, m))
    return FALSE;
  if (out_day)
    *out_day = cu_day_from_ymd (y, m, d);
  return TRUE;
}

void
cu_day_format (CuDay d, char buf[11])
{
  int y, m, dd;

  /* Ten characters cannot spell a day outside 0000–9999; callers that
   * compute days (forecast horizons, time zone shifts) check
   * cu_day_is_iso() first, so this is only a last resort that keeps the
   * buffer's bounds: the nearest day that has a spelling. */
  d = CLAMP (d, CU_DAY_ISO_FIRST, CU_DAY_ISO_LAST);
  cu_day_to_ymd (d, &y, &m, &dd);
  /* hot path of every cost row written: no printf */
  buf[0] = '0' + y / 1000;
  buf[1] = '0' + y / 100 % 10;
  buf[2] = '0' + y / 10 % 10;
  buf[3] = '0' + y % 10;
  buf[4] = '-';
  buf[5] = '0' + m / 10;
  buf[6] = '0' + m % 10;
  buf[7] = '-';
  buf[8] = '0' + dd / 10;
  buf[9] = '0' + dd % 10;
  buf[10] = '\0';
}

char *
cu_day_to_string (CuDay d)
{
  char buf[11];

  cu_day_format (d, buf);
  return g_strdup (buf);
}

/**
 * cu_day_today:
 *
 * Today in local time; `CUMULUS_TODAY=YYYY-MM-DD` pins it so tests and
 * screenshots are reproducible.
 */
CuDay
cu_day_today (void)
{
  const char *pin = g_getenv ("CUMULUS_TODAY");
  g_autoptr(GDateTime) now = NULL;
  CuDay d;

  if (pin != NULL && cu_day_parse (pin, &d))
    return d;
  now = g_date_time_new_now_local ();
  return cu_day_from_ymd (g_date_time_get_year (now),
                          g_date_time_get_month (now),
                          g_date_time_get_day_of_month (now));
}

int
cu_day_weekday (CuDay d)
{
  /* 1970-01-01 was a Thursday (4) */
  int w = (int) (((gint64) d + 3) % 7);
  if (w < 0)
    w += 7;
  return w + 1;
}

CuDay
cu_day_month_start (CuDay d)
{
  int y, m;
  cu_day_to_ymd (d, &y, &m, NULL);
  return cu_day_from_ymd (y, m, 1);
}

CuDay
cu_day_month_end (CuDay d)
{
  int y, m;
  cu_day_to_ymd (d, &y, &m, NULL);
  return cu_day_from_ymd (y, m, cu_days_in_month (y, m));
}

/**
 * cu_day_add_months:
 *
 * Adds @months, clamping the day to the target month's length.
 *
 * Returns: the day, or %CU_DAY_INVALID when it falls outside
 *   %CU_DAY_MIN … %CU_DAY_MAX.
 */
CuDay
cu_day_add_months (CuDay d, int months)
{
  int y, m, dd;
  gint64 idx, ny;

  cu_day_to_ymd (d, &y, &m, &dd);
  idx = (gint64) y * 12 + (m - 1) + months;
  ny = idx >= 0 ? idx / 12 : (idx - 11) / 12;
  if (ny < -CU_DAY_MAX_YEAR || ny > CU_DAY_MAX_YEAR)
    return CU_DAY_INVALID;
  y = (int) ny;
  m = (int) (idx - ny * 12 + 1);
  dd = MIN (dd, cu_days_in_month (y, m));
  return cu_day_from_ymd (y, m, dd);
}

CuDay
cu_day_week_start (CuDay d)
{
  if (d < CU_DAY_MIN || d > CU_DAY_MAX)
    return CU_DAY_INVALID;
  return d - (cu_day_weekday (d) - 1);
}
