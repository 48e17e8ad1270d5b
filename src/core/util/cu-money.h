/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-money.h — exact money amounts
 *
 * Every amount in Cumulus is a signed 64-bit count of micro-units (1e-6) of
 * its currency. Parsing never goes through a double, so "0.1" + "0.2" sums to
 * exactly 300000 micros and totals reconcile with the source to the cent.
 * int64 micros hold ±9.2e12 currency units, far beyond any cloud bill.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CU_MICROS_PER_UNIT G_GINT64_CONSTANT (1000000)

#define CU_MONEY_ERROR (cu_money_error_quark ())
GQuark cu_money_error_quark (void);

typedef enum {
  CU_MONEY_ERROR_INVALID,
  CU_MONEY_ERROR_OVERFLOW,
} CuMoneyError;

gboolean cu_money_parse         (const char *text,
                                 gssize      len,
                                 gint64     *out_micros,
                                 GError    **error);
gint64   cu_money_from_double   (double      value);
gboolean cu_money_from_double_checked (double   value,
                                       gint64  *out_micros,
                                       GError **error);
double   cu_money_to_double     (gint64      micros);
gint64   cu_money_round_cents   (gint64      micros);
char    *cu_money_format_plain  (gint64      micros,
                                 guint       decimals);
char    *cu_money_format_display (gint64      micros,
                                  const char *currency);
char    *cu_money_format_compact (double      value,
                                  const char *currency);

G_END_DECLS
