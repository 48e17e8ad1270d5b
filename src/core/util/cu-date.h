/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-date.h — calendar days as plain integers
 *
 * A CuDay is the number of days since 1970-01-01 (UTC civil calendar).
 * Cost data is daily, so this is the unit everything is keyed on; text form
 * is always ISO "YYYY-MM-DD".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint32 CuDay;

#define CU_DAY_INVALID G_MININT32

/* The days a CuDay may hold: years −999999 … 999999, far inside gint32,
 * so adding a few years to a valid day never overflows. */
#define CU_DAY_MAX_YEAR 999999
#define CU_DAY_MIN (-365961662)      /* -999999-01-01 */
#define CU_DAY_MAX 364522971         /* 999999-12-31 */

/* The days "YYYY-MM-DD" can spell */
#define CU_DAY_ISO_FIRST (-719528)   /* 0000-01-01 */
#define CU_DAY_ISO_LAST 2932896      /* 9999-12-31 */

CuDay    cu_day_from_ymd        (int year, int month, int day);
void     cu_day_to_ymd          (CuDay d, int *year, int *month, int *day);
gboolean cu_day_is_iso          (CuDay d);
gboolean cu_day_parse           (const char *text, CuDay *out_day);
void     cu_day_format          (CuDay d, char buf[11]);
char    *cu_day_to_string       (CuDay d);
CuDay    cu_day_today           (void);
int      cu_day_weekday         (CuDay d); /* 1 = Monday … 7 = Sunday */
int      cu_days_in_month       (int year, int month);
CuDay    cu_day_month_start     (CuDay d);
CuDay    cu_day_month_end       (CuDay d);
CuDay    cu_day_add_months      (CuDay d, int months);
CuDay    cu_day_week_start      (CuDay d);

G_END_DECLS
