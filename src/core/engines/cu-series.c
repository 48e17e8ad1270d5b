/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-series.c — regular time series read from CSV files */
#define G_LOG_DOMAIN "cumulus-series"

#include "cu-series.h"
#include "util/cu-date.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

G_DEFINE_QUARK (cu-series-error-quark, cu_series_error)

struct _CuSeries
{
  /* owned */
  char      *name;         /* the file name, for error messages */
  GPtrArray *labels;       /* char *, the time text as in the file */
  GArray    *times;        /* gint64 seconds since 1970-01-01 00:00 UTC */
  GArray    *values;       /* double */
  gboolean   has_time_of_day;
  char      *time_column;  /* its name in the header, for errors */

  /* the interval: a whole number of months, or else seconds */
  guint      step_months;
  gboolean   month_end;    /* monthly series pinned to the last day */
  gint64     step_seconds;
};

typedef struct {
  const char *p;
  const char *end;
  guint       line;        /* line of the next character */
} Reader;

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static gboolean
parse_digits (const char *s,
              guint       count,
              int        *out)
{
  int v = 0;

  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* Reads one CSV record into @fields (RFC 4180 quoting, CRLF or LF, blank
 * lines skipped). Returns FALSE at the end of the data. */
static gboolean
read_record (Reader    *r,
             GPtrArray *fields,
             guint     *out_line)
{
  GString *field = g_string_new (NULL);
  gboolean any = FALSE;

  g_ptr_array_set_size (fields, 0);

  /* skip blank lines */
  for (;;)
    {
      const char *q = r->p;

      while (q < r->end && (*q == ' ' || *q == '\t' || *q == '\r'))
        q++;
      if (q < r->end && *q == '\n')
        {
          r->p = q + 1;
          r->line++;
          continue;
        }
      if (q >= r->end)
        r->p = q;
      break;
    }
  if (r->p >= r->end)
    {
      g_string_free (field, TRUE);
      return FALSE;
    }

  *out_line = r->line;
  for (;;)
    {
      gboolean quoted = FALSE;

      g_string_truncate (field, 0);
      while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
        r->p++;
      if (r->p < r->end && *r->p == '"')
        {
          quoted = TRUE;
          r->p++;
          while (r->p < r->end)
            {
              if (*r->p == '"')
                {
                  if (r->p + 1 < r->end && r->p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      r->p += 2;
                      continue;
                    }
                  r->p++;
                  break;
                }
              if (*r->p == '\n')
                r->line++;
              g_string_append_c (field, *r->p++);
            }
        }
      while (r->p < r->end && *r->p != ',' && *r->p != '\n')
        {
          if (!quoted || (*r->p != ' ' && *r->p != '\t' && *r->p != '\r'))
            g_string_append_c (field, *r->p);
          r->p++;
        }
      if (!quoted)
        {
          /* unquoted fields are trimmed (and lose a CR before LF) */
          while (field->len > 0 && g_ascii_isspace (field->str[field->len - 1]))
            g_string_truncate (field, field->len - 1);
        }
      g_ptr_array_add (fields, g_strndup (field->str, field->len));
      any = TRUE;
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == '\n')
        {
          r->p++;
          r->line++;
        }
      break;
    }
  g_string_free (field, TRUE);
  return any;
}

static void
month_of (gint64  seconds,
          int    *year,
          int    *month,
          int    *day,
          gint64 *second_of_day)
{
  CuDay d = (CuDay) floor_div (seconds, SECONDS_PER_DAY);

  cu_day_to_ymd (d, year, month, day);
  *second_of_day = seconds - (gint64) d * SECONDS_PER_DAY;
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
infer_step (CuSeries *self)
{
  const gint64 *t = (const gint64 *) (gpointer) self->times->data;
  guint n = self->times->len;
  g_autofree gint64 *diffs = NULL;
  gboolean monthly = n >= 2, all_month_end = TRUE;
  int k = 0;
  gint64 best = SECONDS_PER_DAY;
  guint best_count = 0;

  self->step_months = 0;
  self->step_seconds = SECONDS_PER_DAY;
  if (n < 2)
    return;

  for (guint i = 0; i < n && monthly; i++)
    {
      int y, m, d, py, pm, pd;
      gint64 sod, psod;

      month_of (t[i], &y, &m, &d, &sod);
      if (d != cu_days_in_month (y, m))
        all_month_end = FALSE;
      if (i == 0)
        continue;
      month_of (t[i - 1], &py, &pm, &pd, &psod);
      if (sod != psod)
        monthly = FALSE;
      else
        {
          int dk = (y * 12 + m) - (py * 12 + pm);
          gboolean same_day = d == pd
                              || (d == cu_days_in_month (y, m) && pd == cu_days_in_month (py, pm));

          if (dk <= 0 || !same_day || (k != 0 && dk != k))
            monthly = FALSE;
          k = dk;
        }
    }
  /* 28–31 day gaps that keep the day of the month: a monthly (or
   * quarterly, yearly) series, which seconds cannot step */
  if (monthly && k > 0 && t[1] - t[0] >= 28 * SECONDS_PER_DAY)
    {
      self->step_months = k;
      self->month_end = all_month_end;
      return;
    }

  /* otherwise the most common gap (the smallest of equally common ones):
   * robust to a missing period or two. Counted on a sorted copy, so an
   * irregular file of many rows costs n log n, not n². */
  diffs = g_new (gint64, n - 1);
  for (guint i = 1; i < n; i++)
    diffs[i - 1] = t[i] - t[i - 1];
  qsort (diffs, n - 1, sizeof (gint64), compare_gint64);
  for (guint i = 0; i < n - 1;)
    {
      guint j = i + 1;

      while (j < n - 1 && diffs[j] == diffs[i])
        j++;
      if (j - i > best_count)
        {
          best = diffs[i];
          best_count = j - i;
        }
      i = j;
    }
  self->step_seconds = best;
}

/**
 * cu_time_parse:
 * @text: "YYYY-MM-DD", optionally followed by " HH:MM[:SS[.frac]]" (or
 *   with "T"), and an optional "Z" or ±HH:MM offset
 * @out_seconds: (out) (optional): seconds since 1970-01-01 00:00 UTC
 * @out_has_time: (out) (optional): whether @text had a time of day
 *
 * Returns: %TRUE when @text is a valid date or date and time.
 */
gboolean
cu_time_parse (const char *text,
               gint64     *out_seconds,
               gboolean   *out_has_time)
{
  CuDay day;
  int hh = 0, mm = 0, ss = 0;
  gint64 offset = 0;
  gboolean has_time = FALSE;
  const char *p;

  if (text == NULL || strlen (text) < 10)
    return FALSE;
  {
    char date[11];

    memcpy (date, text, 10);
    date[10] = '\0';
    if (!cu_day_parse (date, &day))
      return FALSE;
  }
  p = text + 10;
  if (*p == 'T' || *p == 't' || *p == ' ')
    {
      p++;
      if (!parse_digits (p, 2, &hh) || p[2] != ':' || !parse_digits (p + 3, 2, &mm))
        return FALSE;
      p += 5;
      if (*p == ':')
        {
          if (!parse_digits (p + 1, 2, &ss))
            return FALSE;
          p += 3;
          if (*p == '.' || *p == ',')
            {
              p++;
              if (!g_ascii_isdigit (*p))
                return FALSE;
              while (g_ascii_isdigit (*p))
                p++;
            }
        }
      if (hh > 23 || mm > 59 || ss > 60)
        return FALSE;
      has_time = TRUE;
      if (*p == 'Z' || *p == 'z')
        p++;
      else if (*p == '+' || *p == '-')
        {
          int oh, om;
          int sign = *p == '-' ? -1 : 1;

          if (!parse_digits (p + 1, 2, &oh))
            return FALSE;
          p += 3;
          if (*p == ':')
            p++;
          if (!parse_digits (p, 2, &om) || oh > 23 || om > 59)
            return FALSE;
          p += 2;
          offset = sign * (oh * 3600 + om * 60);
        }
    }
  if (*p != '\0')
    return FALSE;

  if (out_seconds)
    *out_seconds = (gint64) day * SECONDS_PER_DAY + hh * 3600 + mm * 60 + MIN (ss, 59) - offset;
  if (out_has_time)
    *out_has_time = has_time;
  return TRUE;
}

/**
 * cu_time_format:
 * @seconds: seconds since 1970-01-01 00:00 UTC
 * @with_time: whether to add " HH:MM:SS"
 *
 * Returns: (transfer full): "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS".
 */
char *
cu_time_format (gint64   seconds,
                gboolean with_time)
{
  gint64 d = floor_div (seconds, SECONDS_PER_DAY);
  gint64 sod = seconds - d * SECONDS_PER_DAY;
  char date[11];

  cu_day_format ((CuDay) d, date);
  if (!with_time)
    return g_strdup (date);
  return g_strdup_printf ("%s %02d:%02d:%02d", date,
                          (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60));
}

static gboolean
set_error_at (GError     **error,
              CuSeriesError code,
              const char  *name,
              guint        line,
              const char  *fmt,
              ...) G_GNUC_PRINTF (5, 6);

static gboolean
set_error_at (GError     **error,
              CuSeriesError code,
              const char  *name,
              guint        line,
              const char  *fmt,
              ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, CU_SERIES_ERROR, code, "%s:%u: %s", name, line, msg);
  return FALSE;
}

static gint
find_column (GPtrArray   *header,
             const char  *name)
{
  for (guint i = 0; i < header->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (header, i), name) == 0)
      return (gint) i;
  return -1;
}

/**
 * cu_series_new_from_csv_data:
 * @data: CSV text
 * @length: length of @data in bytes, or -1 when nul-terminated
 * @name: the file name used in error messages
 * @error: return location for a #CU_SERIES_ERROR
 *
 * Parses a series; errors read "NAME:LINE: what is wrong".
 *
 * Returns: (transfer full) (nullable): the series, or %NULL with @error set.
 */
CuSeries *
cu_series_new_from_csv_data (const char  *data,
                             gsize        length,
                             const char  *name,
                             GError     **error)
{
  return cu_series_new_from_csv_data_with_flags (data, length, name, CU_SERIES_FLAGS_NONE, error);
}

/* Irregular reading: a row may lag the latest time above it by less than
 * half the interval (clocks of different collectors disagree by seconds),
 * or the clock may be set back an hour (daylight saving ends: an hour of
 * local times comes twice), after which times go on from there; checked
 * once the interval is known. */
static gboolean
check_small_disorder (CuSeries    *self,
                      GArray      *lines,
                      const char  *name,
                      GError     **error)
{
  const gint64 *t = (const gint64 *) (gpointer) self->times->data;
  gint64 tolerance = self->step_months > 0 ? 0 : self->step_seconds / 2;
  guint latest = 0;

  for (guint i = 1; i < self->times->len; i++)
    {
      if (t[i] >= t[latest])
        {
          latest = i;
          continue;
        }
      if (t[latest] - t[i] <= tolerance)
        continue;
      /* the clock set back an hour: the row comes an hour less one
       * interval before the latest one (02:00 after 02:55 at 5 minutes) */
      if (self->step_months == 0 && self->step_seconds < 3600
          && llabs ((t[latest] - t[i]) - (3600 - self->step_seconds)) <= tolerance)
        {
          latest = i;
          continue;
        }
      return set_error_at (error, CU_SERIES_ERROR_ORDER, name, g_array_index (lines, guint, i),
                             "column “%s”: “%s” is earlier than line %u’s “%s”, by more than half the"
                             " interval and not by a clock set back an hour; rows must be oldest first",
                             self->time_column, (const char *) g_ptr_array_index (self->labels, i),
                             g_array_index (lines, guint, latest),
                             (const char *) g_ptr_array_index (self->labels, latest));
    }
  return TRUE;
}

/**
 * cu_series_new_from_csv_data_with_flags:
 * @data: CSV text
 * @length: length of @data in bytes, or -1 when nul-terminated
 * @name: the file name used in error messages
 * @flags: how strictly times must follow one another
 * @error: return location for a #CU_SERIES_ERROR
 *
 * Parses a series; errors read "NAME:LINE: what is wrong".
 *
 * Returns: (transfer full) (nullable): the series, or %NULL with @error set.
 */
CuSeries *
cu_series_new_from_csv_data_with_flags (const char    *data,
                                        gsize          length,
                                        const char    *name,
                                        CuSeriesFlags  flags,
                                        GError       **error)
{
  g_autoptr(CuSeries) self = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lines = NULL;     /* guint, each row's line (irregular reading) */
  gboolean irregular = (flags & CU_SERIES_FLAGS_IRREGULAR) != 0;
  g_autofree char *value_name = NULL;
  Reader r;
  guint line = 1;
  gint time_col, value_col, needed;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (length == (gsize) -1)
    length = strlen (data);
  r.p = data;
  r.end = data + length;
  r.line = 1;
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    r.p += 3;

  if (!read_record (&r, fields, &line))
    {
      set_error_at (error, CU_SERIES_ERROR_EMPTY, name, 1, "the file is empty; expected a header naming “date” (or “timestamp”) and “value”");
      return NULL;
    }
  time_col = find_column (fields, "date");
  if (time_col < 0)
    time_col = find_column (fields, "timestamp");
  value_col = find_column (fields, "value");
  if (time_col < 0)
    {
      set_error_at (error, CU_SERIES_ERROR_HEADER, name, line, "the header has no “date” or “timestamp” column");
      return NULL;
    }
  if (value_col < 0)
    {
      set_error_at (error, CU_SERIES_ERROR_HEADER, name, line, "the header has no “value” column");
      return NULL;
    }
  needed = MAX (time_col, value_col) + 1;

  self = g_new0 (CuSeries, 1);
  self->name = g_strdup (name);
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->time_column = g_strdup (g_ptr_array_index (fields, time_col));
  value_name = g_strdup (g_ptr_array_index (fields, value_col));
  if (irregular)
    lines = g_array_new (FALSE, FALSE, sizeof (guint));

  while (read_record (&r, fields, &line))
    {
      const char *time_text, *value_text;
      gint64 t;
      gboolean has_time;
      double v;
      char *end = NULL;

      if ((gint) fields->len < needed)
        {
          set_error_at (error, CU_SERIES_ERROR_PARSE, name, line,
                        "expected at least %d fields, found %u", needed, fields->len);
          return NULL;
        }
      time_text = g_ptr_array_index (fields, time_col);
      value_text = g_ptr_array_index (fields, value_col);
      if (!cu_time_parse (time_text, &t, &has_time))
        {
          set_error_at (error, CU_SERIES_ERROR_PARSE, name, line,
                        "column “%s”: “%s” is not a date (YYYY-MM-DD) or time (YYYY-MM-DD HH:MM:SS)",
                        self->time_column, time_text);
          return NULL;
        }
      if (*value_text == '\0')
        {
          set_error_at (error, CU_SERIES_ERROR_PARSE, name, line, "column “%s”: the value is missing",
                        value_name);
          return NULL;
        }
      errno = 0;
      v = g_ascii_strtod (value_text, &end);
      if (end == value_text || *end != '\0' || !isfinite (v))
        {
          set_error_at (error, CU_SERIES_ERROR_PARSE, name, line,
                        "column “%s”: “%s” is not a finite number",
                        value_name, value_text);
          return NULL;
        }
      if (irregular)
        g_array_append_val (lines, line);
      else if (self->times->len > 0 && t <= g_array_index (self->times, gint64, self->times->len - 1))
        {
          set_error_at (error, CU_SERIES_ERROR_ORDER, name, line,
                        "“%s” is not after the previous row’s “%s”; rows must be oldest first, one per period",
                        time_text, (const char *) g_ptr_array_index (self->labels, self->labels->len - 1));
          return NULL;
        }
      self->has_time_of_day |= has_time;
      g_ptr_array_add (self->labels, g_strdup (time_text));
      g_array_append_val (self->times, t);
      g_array_append_val (self->values, v);
    }

  if (self->values->len == 0)
    {
      set_error_at (error, CU_SERIES_ERROR_EMPTY, name, line + 1, "no data rows after the header");
      return NULL;
    }

  infer_step (self);
  if (irregular && !check_small_disorder (self, lines, name, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * cu_series_new_from_csv:
 * @path: a CSV file
 * @error: return location for a #CU_SERIES_ERROR
 *
 * Reads a series from @path; see cu_series_new_from_csv_data().
 *
 * Returns: (transfer full) (nullable): the series, or %NULL with @error set.
 */
CuSeries *
cu_series_new_from_csv (const char  *path,
                        GError     **error)
{
  return cu_series_new_from_csv_with_flags (path, CU_SERIES_FLAGS_NONE, error);
}

/**
 * cu_series_new_from_csv_with_flags:
 * @path: a CSV file
 * @flags: how strictly times must follow one another
 * @error: return location for a #CU_SERIES_ERROR
 *
 * Reads a series from @path; see cu_series_new_from_csv_data_with_flags().
 *
 * Returns: (transfer full) (nullable): the series, or %NULL with @error set.
 */
CuSeries *
cu_series_new_from_csv_with_flags (const char     *path,
                                   CuSeriesFlags   flags,
                                   GError        **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      const char *reason = local_error->message;

      if (local_error->domain == G_FILE_ERROR)
        reason = g_strerror (local_error->code == G_FILE_ERROR_NOENT ? ENOENT
                             : local_error->code == G_FILE_ERROR_ACCES ? EACCES
                             : local_error->code == G_FILE_ERROR_ISDIR ? EISDIR : EIO);
      g_set_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_IO, "%s: cannot read: %s", path, reason);
      return NULL;
    }
  return cu_series_new_from_csv_data_with_flags (contents, length, path, flags, error);
}

/**
 * cu_series_free:
 * @series: (transfer full) (nullable): a series
 *
 * Frees @series.
 */
void
cu_series_free (CuSeries *series)
{
  if (series == NULL)
    return;
  g_free (series->name);
  g_clear_pointer (&series->labels, g_ptr_array_unref);
  g_clear_pointer (&series->times, g_array_unref);
  g_clear_pointer (&series->values, g_array_unref);
  g_free (series->time_column);
  g_free (series);
}

/**
 * cu_series_get_n:
 * @series: a series
 *
 * Returns: the number of rows.
 */
gsize
cu_series_get_n (const CuSeries *series)
{
  g_return_val_if_fail (series != NULL, 0);
  return series->values->len;
}

/**
 * cu_series_get_values:
 * @series: a series
 *
 * Returns: (transfer none): the values, oldest first.
 */
const double *
cu_series_get_values (const CuSeries *series)
{
  g_return_val_if_fail (series != NULL, NULL);
  return (const double *) (gpointer) series->values->data;
}

/**
 * cu_series_get_label:
 * @series: a series
 * @i: a row
 *
 * Returns: (transfer none): the time of row @i as written in the file.
 */
const char *
cu_series_get_label (const CuSeries *series,
                     gsize           i)
{
  g_return_val_if_fail (series != NULL, NULL);
  g_return_val_if_fail (i < series->labels->len, NULL);
  return g_ptr_array_index (series->labels, i);
}

/**
 * cu_series_get_time:
 * @series: a series
 * @i: a row
 *
 * Returns: the time of row @i in seconds since 1970-01-01 00:00 UTC.
 */
gint64
cu_series_get_time (const CuSeries *series,
                    gsize           i)
{
  g_return_val_if_fail (series != NULL, 0);
  g_return_val_if_fail (i < series->times->len, 0);
  return g_array_index (series->times, gint64, i);
}

/**
 * cu_series_has_time_of_day:
 * @series: a series
 *
 * Returns: whether any row gave a time of day.
 */
gboolean
cu_series_has_time_of_day (const CuSeries *series)
{
  g_return_val_if_fail (series != NULL, FALSE);
  return series->has_time_of_day;
}

/**
 * cu_series_infer_season:
 * @series: a series
 *
 * The cycle a cost series usually has at its interval: a week (7) for
 * daily data, a day for intervals that divide one (24 for hourly, 96 for
 * quarter-hours), a year for weekly (52), monthly (12) and quarterly (4)
 * data; 1 when none applies.
 *
 * Returns: the season length in periods.
 */
guint
cu_series_infer_season (const CuSeries *series)
{
  gint64 s;

  g_return_val_if_fail (series != NULL, 1);

  if (series->step_months > 0)
    return series->step_months < 12 && 12 % series->step_months == 0
           ? 12 / series->step_months : 1;
  s = series->step_seconds;
  if (s == SECONDS_PER_DAY)
    return 7;
  if (s == 7 * SECONDS_PER_DAY)
    return 52;
  if (s > 0 && s < SECONDS_PER_DAY && SECONDS_PER_DAY % s == 0 && SECONDS_PER_DAY / s <= 1440)
    return (guint) (SECONDS_PER_DAY / s);
  return 1;
}

/* The start of period @h after the last row, in seconds; FALSE when it
 * falls after 9999-12-31 (or the arithmetic would leave gint64). */
static gboolean
future_time (const CuSeries *series,
             guint64         h,
             gint64         *out_seconds)
{
  const gint64 limit = ((gint64) CU_DAY_ISO_LAST + 1) * SECONDS_PER_DAY;  /* 10000-01-01 */
  gint64 last = g_array_index (series->times, gint64, series->times->len - 1);

  if (series->step_months > 0)
    {
      int y, m, d, fy, fm, fd;
      gint64 sod, months, ny;
      int nm;
      CuDay day;

      /* clamp to the month length from the first row's day, so a series on
       * the 31st comes back to the 31st after February */
      month_of (g_array_index (series->times, gint64, 0), &fy, &fm, &fd, &sod);
      month_of (last, &y, &m, &d, &sod);
      /* h ≤ 2^32 and step_months ≤ 12 × 10000: no overflow in 64 bits */
      months = (gint64) y * 12 + (m - 1) + (gint64) h * series->step_months;
      ny = months / 12;
      if (ny > 9999)
        return FALSE;
      nm = (int) (months % 12) + 1;
      d = series->month_end ? cu_days_in_month ((int) ny, nm) : MIN (fd, cu_days_in_month ((int) ny, nm));
      day = cu_day_from_ymd ((int) ny, nm, d);
      *out_seconds = (gint64) day * SECONDS_PER_DAY + sod;
      return TRUE;
    }
  /* step_seconds > 0 (times increase) and < 10^12 (years 0–9999) */
  if ((gint64) h > (limit - 1 - last) / series->step_seconds)
    return FALSE;
  *out_seconds = last + (gint64) h * series->step_seconds;
  return *out_seconds < limit;
}

/**
 * cu_series_get_max_horizon:
 * @series: a series
 *
 * Returns: how many periods after the last row stay within 9999-12-31,
 *   the last day "YYYY-MM-DD" can spell (at most %G_MAXUINT).
 */
guint
cu_series_get_max_horizon (const CuSeries *series)
{
  guint64 lo = 0, hi = G_MAXUINT;
  gint64 t;

  g_return_val_if_fail (series != NULL, 0);

  /* future_time() grows with h: the largest h it accepts */
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo + 1) / 2;

      if (future_time (series, mid, &t))
        lo = mid;
      else
        hi = mid - 1;
    }
  return (guint) lo;
}

/**
 * cu_series_check_horizon:
 * @series: a series
 * @h: periods to forecast after the last row
 * @error: return location for a #CU_SERIES_ERROR_HORIZON
 *
 * A forecast's dates must stay in years 1–9999; an annual series that
 * starts in 9990, or a sparse one with a gap of centuries, has room for
 * only a few periods.
 *
 * Returns: %TRUE when every period up to @h has a date, else %FALSE with
 *   @error naming the file, the last row and how many periods fit.
 */
gboolean
cu_series_check_horizon (const CuSeries  *series,
                         guint            h,
                         GError         **error)
{
  guint max;

  g_return_val_if_fail (series != NULL, FALSE);

  max = cu_series_get_max_horizon (series);
  if (h <= max)
    return TRUE;
  g_set_error (error, CU_SERIES_ERROR, CU_SERIES_ERROR_HORIZON,
               "%s: a horizon of %u periods goes past 9999-12-31, the last date a forecast can have; "
               "after the last row (%s) %u period%s fit",
               series->name, h,
               (const char *) g_ptr_array_index (series->labels, series->labels->len - 1),
               max, max == 1 ? "" : "s");
  return FALSE;
}

/**
 * cu_series_format_future:
 * @series: a series
 * @h: periods after the last row, from 1
 *
 * Continues the series' interval past its last row, in its format.
 *
 * Returns: (transfer full) (nullable): "YYYY-MM-DD", or "YYYY-MM-DD
 *   HH:MM:SS" when the input had times of day; %NULL when period @h falls
 *   after 9999-12-31 (see cu_series_check_horizon()).
 */
char *
cu_series_format_future (const CuSeries *series,
                         guint           h)
{
  gint64 t;

  g_return_val_if_fail (series != NULL, NULL);

  if (!future_time (series, h, &t))
    return NULL;
  return cu_time_format (t, series->has_time_of_day);
}
