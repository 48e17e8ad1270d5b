/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-date.c — the date and time parsers and the calendar arithmetic
 *
 * The text goes through cu_day_parse() and cu_time_parse() (what files and
 * series give); what parses must format back to the same day or second.
 * The first bytes also serve as integers for the arithmetic a file or an
 * answer can reach: a UsageDate of 2147483647 is year 214748, month 36.
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include <string.h>

#include "engines/cu-series.h"
#include "fuzz-common.h"
#include "util/cu-date.h"

static gint32
read_i32 (const uint8_t *data, size_t size, size_t at)
{
  guint32 v = 0;

  for (size_t i = 0; i < 4; i++)
    v = (v << 8) | (at + i < size ? data[at + i] : 0);
  return (gint32) v;
}

static void
check_day (CuDay d)
{
  char buf[11];
  int y, m, dd, wd;

  cu_day_format (d, buf);
  FUZZ_CHECK (strlen (buf) == 10);
  cu_day_to_ymd (d, &y, &m, &dd);
  FUZZ_CHECK (m >= 1 && m <= 12 && dd >= 1 && dd <= 31);
  wd = cu_day_weekday (d);
  FUZZ_CHECK (wd >= 1 && wd <= 7);
  if (d >= CU_DAY_MIN && d <= CU_DAY_MAX)
    {
      CuDay back;

      FUZZ_CHECK (dd <= cu_days_in_month (y, m));
      FUZZ_CHECK (cu_day_from_ymd (y, m, dd) == d);
      FUZZ_CHECK (cu_day_month_start (d) <= d && d <= cu_day_month_end (d));
      FUZZ_CHECK (d - cu_day_week_start (d) < 7);
      if (cu_day_is_iso (d))
        {
          FUZZ_CHECK (cu_day_parse (buf, &back) && back == d);
        }
    }
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  CuDay day;
  gint64 t;
  gboolean has_time;

  if (cu_day_parse (text, &day))
    {
      char buf[11];

      FUZZ_CHECK (cu_day_is_iso (day));
      cu_day_format (day, buf);
      FUZZ_CHECK (strncmp (buf, text, 10) == 0);
      check_day (day);
    }

  if (cu_time_parse (text, &t, &has_time))
    {
      g_autofree char *formatted = cu_time_format (t, TRUE);
      gint64 back;
      CuDay d = (CuDay) (t >= 0 ? t / 86400 : -((-t + 86399) / 86400));

      /* an offset may move the instant out of 0000–9999; inside, the UTC
       * text reads back as the same second */
      if (cu_day_is_iso (d))
        FUZZ_CHECK (cu_time_parse (formatted, &back, NULL) && back == t);
    }

  /* calendar arithmetic on integers from the input */
  {
    gint32 y = read_i32 (data, size, 0), m = read_i32 (data, size, 4), dd = read_i32 (data, size, 8);
    gint32 months = read_i32 (data, size, 12);
    CuDay d = cu_day_from_ymd (y, m, dd);
    CuDay small = cu_day_from_ymd (y % 20000, 1 + (int) ((guint32) m % 12), 1 + (int) ((guint32) dd % 31));

    if (d != CU_DAY_INVALID)
      {
        CuDay moved;

        FUZZ_CHECK (d >= CU_DAY_MIN && d <= CU_DAY_MAX);
        check_day (d);
        moved = cu_day_add_months (d, months);
        if (moved != CU_DAY_INVALID)
          check_day (moved);
      }
    if (small != CU_DAY_INVALID)
      check_day (small);
    check_day ((CuDay) y);
    (void) cu_day_add_months ((CuDay) y, months);
    (void) cu_day_week_start ((CuDay) y);
    (void) cu_day_month_start ((CuDay) y);
    (void) cu_day_month_end ((CuDay) y);
  }
  return 0;
}
