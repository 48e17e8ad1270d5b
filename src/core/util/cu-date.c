/* cu-date.c — calendar days as plain integers */
#define G_LOG_DOMAIN "cumulus-date"

#include "cu-date.h"

#include <stdlib.h>
#include <string.h>

/* Days from civil, proleptic Gregorian (the well-known era arithmetic). */
CuDay
cu_day_from_ymd (int year, int month, int day)
{
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

void
cu_day_to_ymd (CuDay d, int *year, int *month, int *day)
{
  int z = d + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = yoe + era * 400;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  int dd = doy - (153 * mp + 2) / 5 + 1;
  int mm = mp + (mp < 10 ? 3 : -9);

  if (year) *year = y + (mm <= 2);
  if (month) *month = mm;
  if (day) *day = dd;
}

int
cu_days_in_month (int year, int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

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

  cu_day_to_ymd (d, &y, &m, &dd);
  if (y < 0 || y > 9999)
    {
      g_snprintf (buf, 11, "%04d-%02d-%02d", CLAMP (y, 0, 9999), m, dd);
      return;
    }
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

/* Adds months, clamping the day to the target month's length. */
CuDay
cu_day_add_months (CuDay d, int months)
{
  int y, m, dd, idx;

  cu_day_to_ymd (d, &y, &m, &dd);
  idx = y * 12 + (m - 1) + months;
  y = idx >= 0 ? idx / 12 : (idx - 11) / 12;
  m = idx - y * 12 + 1;
  dd = MIN (dd, cu_days_in_month (y, m));
  return cu_day_from_ymd (y, m, dd);
}

CuDay
cu_day_week_start (CuDay d)
{
  return d - (cu_day_weekday (d) - 1);
}
