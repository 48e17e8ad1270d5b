/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-output.h — the one writer of CSV, JSON and aligned text tables
 *
 * Everything Cumulus prints or exports as CSV or JSON goes through here, so
 * that every file quotes and escapes alike: the CLI's --format, the
 * Explorer's export, and later the audit log (hashes over canonical JSON)
 * and the script exporters (untrusted ids inside generated files).
 *
 * CSV follows RFC 4180 with "\n" line ends (the CLI's documented format):
 * a field is quoted when it holds a comma, a double quote, CR or LF, starts
 * or ends with a space or tab (so that spreadsheets do not trim it), or is
 * the empty string. A %NULL field is written as nothing at all, so readers
 * that distinguish them (PostgreSQL's COPY … CSV) see NULL, not "".
 *
 * JSON is built with json-glib (JsonBuilder / JsonNode) and its strings are
 * escaped by json-glib's JsonGenerator. Doubles are written with the fewest
 * digits that read back as the same double, because json-glib 1.6 writes
 * them with 17 digits (12.3 becomes 12.300000000000001).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  CU_OUTPUT_FORMAT_TABLE,
  CU_OUTPUT_FORMAT_CSV,
  CU_OUTPUT_FORMAT_JSON,
} CuOutputFormat;

gboolean     cu_output_format_parse     (const char     *text,
                                         CuOutputFormat *format);
const char  *cu_output_format_to_string (CuOutputFormat  format);

/* ---- numbers ---- */

void         cu_output_append_double    (GString        *out,
                                         double          value);

/* ---- CSV ---- */

void         cu_output_csv_field        (GString        *out,
                                         const char     *text);
void         cu_output_csv_row          (GString            *out,
                                         guint               n_fields,
                                         const char * const *fields);

/* ---- tab-separated text (the clipboard, for spreadsheets) ---- */

void         cu_output_tsv_row          (GString            *out,
                                         guint               n_fields,
                                         const char * const *fields);

/* ---- JSON ---- */

typedef enum {
  CU_JSON_PRETTY,     /* two-space indent, members in insertion order: for people */
  CU_JSON_COMPACT,    /* no insignificant whitespace, insertion order */
  CU_JSON_CANONICAL,  /* compact, members sorted by key (bytewise UTF-8): for hashing */
} CuJsonStyle;

void         cu_output_json_append      (GString        *out,
                                         JsonNode       *root,
                                         CuJsonStyle     style);
char        *cu_output_json_to_string   (JsonNode       *root,
                                         CuJsonStyle     style);
char        *cu_output_json_canonical   (JsonNode       *root);

void         cu_output_json_add_money   (JsonBuilder    *builder,
                                         gint64          micros,
                                         guint           decimals);
void         cu_output_json_add_rounded (JsonBuilder    *builder,
                                         double          value,
                                         guint           decimals);
void         cu_output_json_add_string  (JsonBuilder    *builder,
                                         const char     *text);

/* ---- aligned text tables ---- */

typedef enum {
  CU_TABLE_ALIGN_LEFT,
  CU_TABLE_ALIGN_RIGHT,
} CuTableAlign;

typedef struct _CuTable CuTable;

guint        cu_output_display_width    (const char     *text);

CuTable     *cu_table_new               (guint           n_columns);
void         cu_table_free              (CuTable        *table);
void         cu_table_set_column        (CuTable        *table,
                                         guint           column,
                                         const char     *title,
                                         CuTableAlign    align,
                                         guint           min_width,
                                         guint           max_width);
void         cu_table_add_row           (CuTable            *table,
                                         const char * const *cells);
void         cu_table_append            (CuTable        *table,
                                         GString        *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuTable, cu_table_free)

G_END_DECLS
