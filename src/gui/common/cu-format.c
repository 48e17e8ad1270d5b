/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-format.c — how the window names periods, shares and series
 *
 * Periods are always written out in full ("1–21 Nov 2026"), so that a figure
 * pasted into a report still says which days it covers. Month names come
 * from the C library's locale, so they follow the user's language.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <glib/gi18n.h>

#include <string.h>

#include "cu-format.h"

static GDateTime *
day_to_datetime (CuDay day)
{
  int y, m, d;

  cu_day_to_ymd (day, &y, &m, &d);
  return g_date_time_new_utc (y, m, d, 0, 0, 0);
}

static char *
format_day (CuDay       day,
            const char *format)
{
  g_autoptr(GDateTime) dt = day_to_datetime (day);
  return g_date_time_format (dt, format);
}

/**
 * cu_format_day:
 *
 * Returns: (transfer full): "21 Nov 2026"
 */
char *
cu_format_day (CuDay day)
{
  /* TRANSLATORS: a day with month and year, see g_date_time_format() */
  return format_day (day, C_("date", "%-d %b %Y"));
}

/**
 * cu_format_day_short:
 *
 * Returns: (transfer full): "21 Nov", for chart axes
 */
char *
cu_format_day_short (CuDay day)
{
  /* TRANSLATORS: a day with month, see g_date_time_format() */
  return format_day (day, C_("date", "%-d %b"));
}

/**
 * cu_format_month:
 *
 * Returns: (transfer full): "November 2026"
 */
char *
cu_format_month (CuDay day)
{
  /* TRANSLATORS: a month with year, see g_date_time_format() */
  return format_day (day, C_("date", "%B %Y"));
}

/**
 * cu_format_month_name:
 *
 * Returns: (transfer full): "November"
 */
char *
cu_format_month_name (CuDay day)
{
  return format_day (day, "%B");
}

/**
 * cu_format_quarter:
 *
 * Returns: (transfer full): "Q4 2026", the quarter @day is in
 */
char *
cu_format_quarter (CuDay day)
{
  int y, m;

  cu_day_to_ymd (day, &y, &m, NULL);
  /* TRANSLATORS: a quarter of a year: "Q4 2026" */
  return g_strdup_printf (_("Q%d %d"), (m - 1) / 3 + 1, y);
}

/**
 * cu_format_period:
 * @first: first day, inclusive
 * @last: last day, inclusive
 *
 * Returns: (transfer full): "21 Nov 2026", "1–21 Nov 2026",
 *   "22 Oct – 20 Nov 2026" or "23 Dec 2025 – 20 Jan 2026".
 */
char *
cu_format_period (CuDay first,
                  CuDay last)
{
  int y1, m1, d1, y2, m2, d2;

  if (last < first)
    {
      CuDay t = first;
      first = last;
      last = t;
    }
  cu_day_to_ymd (first, &y1, &m1, &d1);
  cu_day_to_ymd (last, &y2, &m2, &d2);

  if (first == last)
    return cu_format_day (first);

  if (y1 == y2 && m1 == m2)
    {
      g_autofree char *tail = cu_format_day (last);
      /* TRANSLATORS: a range of days in one month: "1–21 Nov 2026" */
      return g_strdup_printf (C_("period", "%d–%s"), d1, tail);
    }
  else if (y1 == y2)
    {
      g_autofree char *head = cu_format_day_short (first);
      g_autofree char *tail = cu_format_day (last);
      /* TRANSLATORS: a range of days in one year: "22 Oct – 20 Nov 2026" */
      return g_strdup_printf (C_("period", "%s – %s"), head, tail);
    }
  else
    {
      g_autofree char *head = cu_format_day (first);
      g_autofree char *tail = cu_format_day (last);
      return g_strdup_printf (C_("period", "%s – %s"), head, tail);
    }
}

/**
 * cu_format_share:
 * @share: a fraction, 0..1
 *
 * Returns: (transfer full): "41.2%"; "<0.1%" for small non-zero shares.
 */
char *
cu_format_share (double share)
{
  if (share > 0 && share < 0.0005)
    return g_strdup (_("<0.1%"));
  /* TRANSLATORS: a share of the total, as a percentage */
  return g_strdup_printf (_("%.1f%%"), share * 100.0);
}

/**
 * cu_format_series:
 * @kind: "total", "account" or "service", as the analysis names series
 * @key: (nullable): the account or the service
 *
 * Returns: (transfer full): "Total cost", "Account: 123456789012" or
 *   "Service: Amazon EC2"
 */
char *
cu_format_series (const char *kind,
                  const char *key)
{
  if (g_strcmp0 (kind, "total") == 0 || key == NULL || *key == '\0')
    return g_strdup (_("Total cost"));
  if (g_strcmp0 (kind, "account") == 0)
    /* TRANSLATORS: a cloud account's series */
    return g_strdup_printf (_("Account: %s"), key);
  return g_strdup_printf (_("Service: %s"), key);
}

/**
 * cu_format_count:
 *
 * Returns: (transfer full): @n with thousands separators, "12,345"
 */
char *
cu_format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n < 0 ? -n : n);
  GString *out = g_string_new (n < 0 ? "−" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}
