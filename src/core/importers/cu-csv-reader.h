/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-csv-reader.h — streaming RFC 4180 CSV reader
 *
 * Reads one record at a time from a GInputStream with a fixed-size buffer,
 * so memory does not grow with the file. Files that start with the gzip
 * magic (1f 8b) are decompressed on the fly. Each record remembers the
 * physical line it starts on, for error messages.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CU_CSV_ERROR (cu_csv_error_quark ())
GQuark cu_csv_error_quark (void);

typedef enum {
  CU_CSV_ERROR_MALFORMED,   /* a quote in the wrong place, an unterminated field */
  CU_CSV_ERROR_TOO_LONG,    /* a record longer than the reader accepts */
  CU_CSV_ERROR_TRUNCATED,   /* a compressed stream that ends early */
} CuCsvError;

#define CU_TYPE_CSV_READER (cu_csv_reader_get_type ())
G_DECLARE_FINAL_TYPE (CuCsvReader, cu_csv_reader, CU, CSV_READER, GObject)

CuCsvReader *cu_csv_reader_new            (GInputStream  *stream);
CuCsvReader *cu_csv_reader_new_for_file   (GFile         *file,
                                           GCancellable  *cancellable,
                                           GError       **error);
gboolean     cu_csv_reader_next           (CuCsvReader   *self,
                                           GCancellable  *cancellable,
                                           GError       **error);
guint        cu_csv_reader_get_n_fields   (CuCsvReader   *self);
const char  *cu_csv_reader_get_field      (CuCsvReader   *self,
                                           guint          index,
                                           gsize         *length);
guint64      cu_csv_reader_get_line       (CuCsvReader   *self);
guint64      cu_csv_reader_get_error_line (CuCsvReader   *self,
                                           int           *field);
guint64      cu_csv_reader_get_n_records  (CuCsvReader   *self);
gboolean     cu_csv_reader_is_compressed  (CuCsvReader   *self);
guint64      cu_csv_reader_get_input_offset (CuCsvReader *self);
guint64      cu_csv_reader_get_input_size (CuCsvReader   *self);

G_END_DECLS
