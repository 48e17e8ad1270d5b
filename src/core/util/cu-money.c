/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-money.c — exact money amounts */
#define G_LOG_DOMAIN "cumulus-money"

#include "cu-money.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (cu-money-error-quark, cu_money_error)

/**
 * cu_money_parse:
 * @text: a decimal amount such as "12.345", "-0.5", "1e-3" or "  7 "
 * @len: length of @text, or -1 when NUL-terminated
 * @out_micros: (out): the amount in micro-units, rounded half away from zero
 *
 * Parses without floating point. Accepts an optional sign, digits, an
 * optional fraction and an optional exponent (cost exports use "1.2E-5").
 */
gboolean
cu_money_parse (const char  *text,
                gssize       len,
                gint64      *out_micros,
                GError     **error)
{
  const char *p, *end;
  gboolean negative = FALSE;
  /* digits collected as a big decimal: up to 38 significant digits */
  char digits[64];
  guint n_digits = 0;
  int point_pos = -1; /* number of digits before the decimal point */
  int exponent = 0;
  gboolean any_digit = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_micros != NULL, FALSE);

  if (len < 0)
    len = strlen (text);
  p = text;
  end = text + len;

  while (p < end && g_ascii_isspace (*p))
    p++;
  while (end > p && g_ascii_isspace (end[-1]))
    end--;

  if (p < end && (*p == '+' || *p == '-'))
    negative = (*p++ == '-');

  for (; p < end; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          any_digit = TRUE;
          if (n_digits == 0 && *p == '0' && point_pos < 0)
            continue; /* leading zeros before the point carry nothing */
          if (n_digits < sizeof digits - 1)
            digits[n_digits++] = *p;
          else if (point_pos < 0)
            goto overflow;
        }
      else if (*p == '.' && point_pos < 0)
        point_pos = n_digits;
      else
        break;
    }

  if (!any_digit)
    goto invalid;

  if (point_pos < 0)
    point_pos = n_digits;

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gboolean eneg = FALSE;
      int e = 0;
      gboolean edigit = FALSE;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        eneg = (*p++ == '-');
      for (; p < end && g_ascii_isdigit (*p); p++)
        {
          edigit = TRUE;
          if (e < 10000)
            e = e * 10 + (*p - '0');
        }
      if (!edigit)
        goto invalid;
      exponent = eneg ? -e : e;
    }

  if (p != end)
    goto invalid;

  {
    /* value = 0.digits * 10^(point_pos + exponent); we want value * 1e6 */
    int int_digits = point_pos + exponent + 6; /* digits that land left of the micro point */
    gint64 acc = 0;
    int i;
    int round_digit = 0;

    for (i = 0; i < int_digits && i < (int) n_digits; i++)
      {
        int d = digits[i] - '0';
        if (acc > (G_MAXINT64 - d) / 10)
          goto overflow;
        acc = acc * 10 + d;
      }
    for (; i < int_digits; i++)
      {
        if (acc > G_MAXINT64 / 10)
          goto overflow;
        acc *= 10;
      }
    if (int_digits >= 0 && int_digits < (int) n_digits)
      round_digit = digits[int_digits] - '0';
    else if (int_digits < 0)
      round_digit = 0;
    if (round_digit >= 5)
      {
        /* rounding up the largest amount would wrap to the smallest */
        if (acc == G_MAXINT64)
          goto overflow;
        acc++;
      }

    *out_micros = negative ? -acc : acc;
    return TRUE;
  }

invalid:
  g_set_error (error, CU_MONEY_ERROR, CU_MONEY_ERROR_INVALID,
               "“%.*s” is not a decimal amount", (int) MIN (len, 40), text);
  return FALSE;

overflow:
  g_set_error (error, CU_MONEY_ERROR, CU_MONEY_ERROR_OVERFLOW,
               "“%.*s” is too large for an amount", (int) MIN (len, 40), text);
  return FALSE;
}

/**
 * cu_money_from_double:
 *
 * For values that only exist as doubles (generated demo data, statistics
 * shown to people). NaN is 0 and values beyond what an amount holds are
 * clamped to the largest amount of their sign; to refuse them instead, use
 * cu_money_from_double_checked().
 */
gint64
cu_money_from_double (double value)
{
  gint64 micros = 0;

  if (cu_money_from_double_checked (value, &micros, NULL))
    return micros;
  if (isnan (value))
    return 0;
  return value > 0 ? G_MAXINT64 : -G_MAXINT64;
}

/**
 * cu_money_from_double_checked:
 * @value: an amount in currency units
 * @out_micros: (out): @value in micro-units, rounded half away from zero
 *
 * Returns: %FALSE with %CU_MONEY_ERROR_OVERFLOW (or _INVALID for NaN) when
 *   @value is not a finite amount an int64 count of micro-units can hold
 */
gboolean
cu_money_from_double_checked (double   value,
                              gint64  *out_micros,
                              GError **error)
{
  /* 2^63, exactly representable; llround() is undefined beyond it */
  const double limit = 9223372036854775808.0;
  double scaled = value * 1e6;

  g_return_val_if_fail (out_micros != NULL, FALSE);

  if (isnan (value))
    {
      g_set_error (error, CU_MONEY_ERROR, CU_MONEY_ERROR_INVALID, "NaN is not an amount");
      return FALSE;
    }
  if (!isfinite (scaled) || scaled >= limit || scaled <= -limit)
    {
      g_set_error (error, CU_MONEY_ERROR, CU_MONEY_ERROR_OVERFLOW,
                   "%g is too large for an amount", value);
      return FALSE;
    }
  *out_micros = (gint64) llround (scaled);
  return TRUE;
}

double
cu_money_to_double (gint64 micros)
{
  return (double) micros / 1e6;
}

/**
 * cu_money_round_cents:
 *
 * Rounds micro-units to whole cents, half away from zero. Returns cents.
 */
gint64
cu_money_round_cents (gint64 micros)
{
  /* in unsigned magnitudes: -INT64_MIN and INT64_MAX + 5000 do not fit */
  guint64 mag = micros < 0 ? (guint64) 0 - (guint64) micros : (guint64) micros;
  gint64 cents = (gint64) ((mag + 5000) / 10000);

  return micros < 0 ? -cents : cents;
}

/**
 * cu_money_format_plain:
 * @decimals: 0 to 6
 *
 * Exact for every int64, INT64_MIN included.
 *
 * Returns: (transfer full): "1234.56" style text, rounded half away from
 *   zero, with no grouping and no currency; for CSV and JSON.
 */
char *
cu_money_format_plain (gint64 micros,
                       guint  decimals)
{
  static const guint64 pow10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
  guint64 scale, units, frac, mag;
  gboolean negative = micros < 0;

  g_return_val_if_fail (decimals <= 6, NULL);

  /* the magnitude of INT64_MIN is 2^63, and 2^63 + 500000 still fits */
  scale = pow10[6 - decimals];
  mag = negative ? (guint64) 0 - (guint64) micros : (guint64) micros;
  mag = (mag + scale / 2) / scale;
  if (mag == 0)
    negative = FALSE;
  units = mag / pow10[decimals];
  frac = mag % pow10[decimals];

  if (decimals == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, negative ? "-" : "", units);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                          negative ? "-" : "", units, (int) decimals, frac);
}

static const char *
currency_symbol (const char *currency)
{
  if (currency == NULL || g_str_equal (currency, "USD"))
    return "$";
  if (g_str_equal (currency, "EUR"))
    return "€";
  if (g_str_equal (currency, "GBP"))
    return "£";
  if (g_str_equal (currency, "JPY"))
    return "¥";
  return NULL;
}

static char *
group_thousands (const char *digits)
{
  GString *s = g_string_new (NULL);
  gsize n = strlen (digits);
  gsize i;

  for (i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

/**
 * cu_money_format_display:
 *
 * Returns: (transfer full): "$12,345.67" or "12,345.67 CHF" for people.
 */
char *
cu_money_format_display (gint64      micros,
                         const char *currency)
{
  g_autofree char *plain = cu_money_format_plain (micros, 2);
  g_autofree char *units = NULL;
  g_autofree char *grouped = NULL;
  const char *digits = plain[0] == '-' ? plain + 1 : plain;  /* no -micros: INT64_MIN */
  const char *dot = strchr (digits, '.');
  const char *sym = currency_symbol (currency);
  gboolean negative = plain[0] == '-';

  units = g_strndup (digits, dot - digits);
  grouped = group_thousands (units);
  if (sym != NULL)
    return g_strdup_printf ("%s%s%s%s", negative ? "−" : "", sym, grouped, dot);
  return g_strdup_printf ("%s%s%s %s", negative ? "−" : "", grouped, dot, currency);
}

/**
 * cu_money_format_compact:
 *
 * Returns: (transfer full): "$1.2M", "$850k", "$12" — for chart axes.
 */
char *
cu_money_format_compact (double      value,
                         const char *currency)
{
  const char *sym = currency_symbol (currency);
  double mag = fabs (value);
  const char *neg = value < 0 ? "−" : "";
  char num[32];

  if (mag >= 1e9)
    g_snprintf (num, sizeof num, "%.3gB", mag / 1e9);
  else if (mag >= 1e6)
    g_snprintf (num, sizeof num, "%.3gM", mag / 1e6);
  else if (mag >= 1e4)
    g_snprintf (num, sizeof num, "%.0fk", mag / 1e3);
  else if (mag >= 1e3)
    g_snprintf (num, sizeof num, "%.1fk", mag / 1e3);
  else if (mag >= 10 || mag == 0)
    g_snprintf (num, sizeof num, "%.0f", mag);
  else
    g_snprintf (num, sizeof num, "%.2f", mag);

  if (sym != NULL)
    return g_strdup_printf ("%s%s%s", neg, sym, num);
  return g_strdup_printf ("%s%s %s", neg, num, currency ? currency : "");
}
