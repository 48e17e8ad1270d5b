/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-importer.h — cost export files into the ledger
 *
 * Formats are recognised from the header row: FOCUS 1.0–1.2, AWS CUR
 * (legacy `lineItem/…` and 2.0 `line_item_…`) and Azure cost-details
 * exports, each plain or gzip. Rows go to one ledger account per provider
 * and billing account ("import:aws:123456789012"); every billing period of
 * every account in the file is replaced, all in one transaction, so
 * importing a file again replaces what it wrote before and a bad row leaves
 * the ledger as it was.
 */
#pragma once

#include <gio/gio.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

#define CU_IMPORT_ERROR (cu_import_error_quark ())
GQuark cu_import_error_quark (void);

typedef enum {
  CU_IMPORT_ERROR_UNKNOWN_FORMAT,
  CU_IMPORT_ERROR_MISSING_COLUMN,
  CU_IMPORT_ERROR_INVALID_VALUE,
  CU_IMPORT_ERROR_MALFORMED,
  CU_IMPORT_ERROR_EMPTY,
  CU_IMPORT_ERROR_CHANGED,
} CuImportError;

typedef enum {
  CU_IMPORT_FORMAT_UNKNOWN,
  CU_IMPORT_FORMAT_FOCUS,
  CU_IMPORT_FORMAT_CUR,
  CU_IMPORT_FORMAT_CUR2,
  CU_IMPORT_FORMAT_AZURE,
} CuImportFormat;

typedef struct {
  char   *currency;
  gint64  billed;      /* micro-units */
  gint64  effective;   /* micro-units */
} CuImportTotal;

typedef struct {
  CuImportFormat  format;
  char           *format_name;  /* "FOCUS 1.0", "AWS CUR", "AWS CUR 2.0", "Azure cost details" */
  gboolean        compressed;
  guint64         n_rows;
  CuDay           first_day;    /* charge days written */
  CuDay           last_day;
  GPtrArray      *periods;      /* of char *: "2024-05" or "2024-05-01..2024-05-14" */
  GPtrArray      *accounts;     /* of char *: ledger account names */
  GPtrArray      *totals;       /* of CuImportTotal, by currency */
  guint64         n_moved;      /* rows charged outside their billing period, booked at its edge */
  guint           n_passes;     /* 1 when the file could be written while read */
} CuImportResult;

void cu_import_result_free (CuImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuImportResult, cu_import_result_free)

/* Called from the importing thread, at most every few hundred kilobytes. */
typedef void (*CuImportProgressFunc) (double      fraction,
                                      const char *message,
                                      gpointer    user_data);

const char     *cu_import_format_to_string (CuImportFormat format);

CuImportResult *cu_import_file (CuLedger              *ledger,
                                GFile                 *file,
                                const char            *display_name,
                                CuImportProgressFunc   progress,
                                gpointer               progress_data,
                                GCancellable          *cancellable,
                                GError               **error);

G_END_DECLS
