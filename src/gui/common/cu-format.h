/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-format.h — how the window names periods, shares and series */
#pragma once

#include <glib.h>

#include "util/cu-date.h"

G_BEGIN_DECLS

char *cu_format_day         (CuDay day);
char *cu_format_day_short   (CuDay day);
char *cu_format_month       (CuDay day);
char *cu_format_month_name  (CuDay day);
char *cu_format_quarter     (CuDay day);
char *cu_format_period      (CuDay first,
                             CuDay last);
char *cu_format_share       (double share);
char *cu_format_series      (const char *kind,
                             const char *key);
char *cu_format_count       (gint64      n);

G_END_DECLS
