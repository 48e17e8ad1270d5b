/* cu-format.h — how the window names periods and shares */
#pragma once

#include <glib.h>

#include "util/cu-date.h"

G_BEGIN_DECLS

char *cu_format_day         (CuDay day);
char *cu_format_day_short   (CuDay day);
char *cu_format_month       (CuDay day);
char *cu_format_month_name  (CuDay day);
char *cu_format_period      (CuDay first,
                             CuDay last);
char *cu_format_share       (double share);

G_END_DECLS
