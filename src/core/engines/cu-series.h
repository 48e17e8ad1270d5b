/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-series.h — regular time series read from CSV files
 *
 * The file format of `cumulus-cli forecast` and `anomalies`: a header that
 * names a time column (`date` or `timestamp`) and a `value` column, other
 * columns ignored, one row per period, oldest first. Times are
 * `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]` (a `T` separator and a trailing
 * `Z` are accepted), read as UTC.
 *
 * With %CU_SERIES_FLAGS_IRREGULAR the reader also takes what monitoring
 * exports contain: a time repeated (a clock set back for daylight saving),
 * gaps, uneven intervals and rows a little out of order; rows stay in
 * file order.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CU_SERIES_ERROR (cu_series_error_quark ())
GQuark cu_series_error_quark (void);

/**
 * CuSeriesError:
 * @CU_SERIES_ERROR_IO: the file could not be read
 * @CU_SERIES_ERROR_HEADER: no time or value column
 * @CU_SERIES_ERROR_PARSE: a row has a bad time or value
 * @CU_SERIES_ERROR_ORDER: times do not increase
 * @CU_SERIES_ERROR_EMPTY: no data rows
 * @CU_SERIES_ERROR_HORIZON: periods after the last row would leave years 1–9999
 */
typedef enum {
  CU_SERIES_ERROR_IO,
  CU_SERIES_ERROR_HEADER,
  CU_SERIES_ERROR_PARSE,
  CU_SERIES_ERROR_ORDER,
  CU_SERIES_ERROR_EMPTY,
  CU_SERIES_ERROR_HORIZON,
} CuSeriesError;

/**
 * CuSeriesFlags:
 * @CU_SERIES_FLAGS_NONE: one row per period, strictly oldest first
 * @CU_SERIES_FLAGS_IRREGULAR: repeated times are kept (in file order); a
 *   row may be earlier than a row above it by up to half the interval, and
 *   the clock may be set back an hour (then times go on from there);
 *   anything else going back is still an order error
 */
typedef enum {
  CU_SERIES_FLAGS_NONE = 0,
  CU_SERIES_FLAGS_IRREGULAR = 1 << 0,
} CuSeriesFlags;

typedef struct _CuSeries CuSeries;

CuSeries     *cu_series_new_from_csv       (const char     *path,
                                            GError        **error);
CuSeries     *cu_series_new_from_csv_data  (const char     *data,
                                            gsize           length,
                                            const char     *name,
                                            GError        **error);
CuSeries     *cu_series_new_from_csv_with_flags      (const char     *path,
                                                      CuSeriesFlags   flags,
                                                      GError        **error);
CuSeries     *cu_series_new_from_csv_data_with_flags (const char     *data,
                                                      gsize           length,
                                                      const char     *name,
                                                      CuSeriesFlags   flags,
                                                      GError        **error);
void          cu_series_free               (CuSeries       *series);
gsize         cu_series_get_n              (const CuSeries *series);
const double *cu_series_get_values         (const CuSeries *series);
const char   *cu_series_get_label          (const CuSeries *series,
                                            gsize           i);
gint64        cu_series_get_time           (const CuSeries *series,
                                            gsize           i);
gboolean      cu_series_has_time_of_day    (const CuSeries *series);
guint         cu_series_infer_season       (const CuSeries *series);
guint         cu_series_get_max_horizon    (const CuSeries *series);
gboolean      cu_series_check_horizon      (const CuSeries *series,
                                            guint           h,
                                            GError        **error);
char         *cu_series_format_future      (const CuSeries *series,
                                            guint           h);

gboolean      cu_time_parse                (const char     *text,
                                            gint64         *out_seconds,
                                            gboolean       *out_has_time);
char         *cu_time_format               (gint64          seconds,
                                            gboolean        with_time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuSeries, cu_series_free)

G_END_DECLS
