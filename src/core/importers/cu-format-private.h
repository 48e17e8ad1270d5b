/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-format-private.h — what an import format describes, and what it may read
 *
 * A format is one const CuImportFormatDesc in its own file
 * (cu-format-focus.c, -cur.c, -azure.c): how to recognise its header, which
 * of its columns hold each source field, and the fix-ups its rows need. The
 * importer (cu-importer.c) owns the passes, the validation that is the same
 * for every format and the writing; it lists the formats in one table.
 *
 * Adding a format: a new file with its description, its value in
 * CuImportFormat, one line in the table in cu-importer.c and one in
 * meson.build.
 */
#pragma once

#include "importers/cu-importer.h"
#include "importers/cu-csv-reader.h"

G_BEGIN_DECLS

/* Source fields, whatever their column is called in a format */
typedef enum {
  CU_FIELD_CHARGE_START,
  CU_FIELD_CHARGE_END,
  CU_FIELD_BILLED,
  CU_FIELD_EFFECTIVE,
  CU_FIELD_LIST,
  CU_FIELD_CONTRACTED,
  CU_FIELD_CURRENCY,
  CU_FIELD_BP_START,
  CU_FIELD_BP_END,
  CU_FIELD_BILLING_ACCOUNT_ID,
  CU_FIELD_BILLING_ACCOUNT_NAME,
  CU_FIELD_SUB_ACCOUNT_ID,
  CU_FIELD_SUB_ACCOUNT_NAME,
  CU_FIELD_PROVIDER,
  CU_FIELD_PUBLISHER,
  CU_FIELD_INVOICE_ISSUER,
  CU_FIELD_SERVICE_NAME,
  CU_FIELD_SERVICE_CATEGORY,
  CU_FIELD_SERVICE_SUBCATEGORY,
  CU_FIELD_REGION_ID,
  CU_FIELD_REGION_NAME,
  CU_FIELD_AZ,
  CU_FIELD_RESOURCE_ID,
  CU_FIELD_RESOURCE_NAME,
  CU_FIELD_RESOURCE_TYPE,
  CU_FIELD_CHARGE_CATEGORY,
  CU_FIELD_CHARGE_CLASS,
  CU_FIELD_CHARGE_DESCRIPTION,
  CU_FIELD_CHARGE_FREQUENCY,
  CU_FIELD_SKU_ID,
  CU_FIELD_SKU_PRICE_ID,
  CU_FIELD_PRICING_CATEGORY,
  CU_FIELD_PRICING_UNIT,
  CU_FIELD_CONSUMED_UNIT,
  CU_FIELD_PRICING_QUANTITY,
  CU_FIELD_CONSUMED_QUANTITY,
  CU_FIELD_COMMITMENT_ID,
  CU_FIELD_COMMITMENT_TYPE,
  CU_FIELD_INVOICE_ID,
  CU_FIELD_TAGS,
  /* AWS CUR only */
  CU_FIELD_LINE_ITEM_TYPE,
  CU_FIELD_PRODUCT_CODE,
  CU_FIELD_REGION_FALLBACK,
  CU_FIELD_SP_EFFECTIVE,
  CU_FIELD_SP_ARN,
  CU_FIELD_SP_TOTAL_COMMITMENT,
  CU_FIELD_SP_USED_COMMITMENT,
  CU_FIELD_RI_EFFECTIVE,
  CU_FIELD_RI_ARN,
  CU_FIELD_RI_UNUSED_AMORTIZED,
  CU_FIELD_RI_UNUSED_RECURRING,
  CU_N_FIELDS
} CuField;

typedef struct {
  CuField     field;
  const char *names;   /* lowercase header names, '|'-separated, first match wins */
} CuFormatColumn;

typedef struct {
  CuField     field;
  const char *display; /* as the format spells it, for errors */
} CuFormatRequired;

/* The current record as a format's hooks see it. Owned by the importer;
 * formats read fields through cu_format_row_get() and may fill the
 * tag-column arrays when the header is read. */
typedef struct {
  CuCsvReader *reader;                 /* positioned on the record */
  const char  *display;                /* the file, for errors */
  char       **header;                 /* column names as written in the file */
  guint        n_header;
  int          col[CU_N_FIELDS];       /* column of each field, -1 when absent */
  GArray      *tag_columns;            /* of guint: formats with one column per tag */
  GPtrArray   *tag_column_keys;        /* of char *: the tag key of each */
  char         region_buf[128];        /* scratch for a rewritten region */
} CuFormatRow;

typedef struct {
  CuImportFormat          format;
  const char             *name;               /* "AWS CUR" */
  const CuFormatColumn   *columns;
  guint                   n_columns;
  const CuFormatRequired *required;
  guint                   n_required;
  const char             *provider_name;      /* fixed ProviderName, or NULL to read it */
  gboolean                bp_end_inclusive;   /* the billing period's end is its last day */
  const char             *tag_prefix;         /* stripped from JSON tag keys ("user_"), or NULL */

  /* Is this the format's header? @index maps lowercase names to column + 1. */
  gboolean (*detect)         (GHashTable *index);
  /* (nullable) The name shown for this file ("FOCUS 1.2"); NULL hook: @name. */
  char    *(*describe)       (GHashTable *index);
  /* (nullable) Once the columns are mapped, e.g. to find tag columns. */
  void     (*prepare)        (CuFormatRow *row);
  /* (nullable) The effective cost of the record; NULL hook: the billed cost. */
  gboolean (*effective_cost) (CuFormatRow *row,
                              gint64       billed,
                              gint64      *effective,
                              GError     **error);
  /* (nullable) Fix-ups of the converted row's dimensions. */
  void     (*fix_row)        (CuFormatRow *row,
                              CuCostRow   *cost);
} CuImportFormatDesc;

extern const CuImportFormatDesc cu_format_focus;
extern const CuImportFormatDesc cu_format_cur;
extern const CuImportFormatDesc cu_format_cur2;
extern const CuImportFormatDesc cu_format_azure;

/* "", NULL and the literal NULL of some exporters are all null */
static inline gboolean
cu_format_is_null (const char *s)
{
  return s == NULL || s[0] == '\0' ||
         (s[0] == 'N' && s[1] == 'U' && s[2] == 'L' && s[3] == 'L' && s[4] == '\0');
}

/* Returns: (nullable): the field's text in the current record, NULL when
 * the column is absent or the value null */
static inline const char *
cu_format_row_get (CuFormatRow *row,
                   CuField      field)
{
  const char *s;

  if (row->col[field] < 0)
    return NULL;
  s = cu_csv_reader_get_field (row->reader, row->col[field], NULL);
  return cu_format_is_null (s) ? NULL : s;
}

static inline gboolean
cu_format_row_has_column (CuFormatRow *row,
                          CuField      field)
{
  return row->col[field] >= 0;
}

static inline gboolean
cu_format_header_has (GHashTable *index,
                      const char *lowercase_name)
{
  return g_hash_table_contains (index, lowercase_name);
}

/* Parses @field as an amount; an empty value is 0 unless @required.
 * Fails with an error naming the file, line and column. */
gboolean cu_format_row_parse_money (CuFormatRow *row,
                                    CuField      field,
                                    gboolean     required,
                                    gint64      *out,
                                    gboolean    *has,
                                    GError     **error);

/* Sets @error to "file:line: column C: message" (no column when @field < 0)
 * and returns FALSE. */
gboolean cu_format_row_error (CuFormatRow *row,
                              GError     **error,
                              int          field,
                              const char  *fmt,
                              ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
