/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-import.c — a file through the whole import path into a ledger
 *
 * The input is the file (FOCUS, CUR, CUR 2.0 or Azure export; plain or
 * gzip). It goes through cu_import_file() into a real SQLite ledger in a
 * temporary workspace, as `cumulus-cli import` does: format detection,
 * both passes, money and timestamp parsing, the writer and its rollups.
 * An import either fails with a CU_IMPORT_ERROR (or a CSV error) naming
 * the file, or succeeds with totals that add up.
 *
 * Each input starts from an empty ledger (a copy of one made at start), so what the ledger holds after
 * a successful import is exactly what the import reported: the rollups
 * (read back through the Explorer's query) hold the same currencies and
 * add up to the same totals. A key built by joining fields with a byte
 * that can occur in them, or a sum that wraps, shows here.
 */
#define G_LOG_DOMAIN "cumulus-fuzz"

#include <gio/gio.h>
#include <string.h>

#include "fuzz-common.h"
#include "importers/cu-csv-reader.h"
#include "importers/cu-importer.h"
#include "store/cu-cost-query.h"
#include "store/cu-ledger.h"

static char *workspace;
static char *template_dir;
static char *input_path;
static CuLedger *ledger;

static void
close_ledger (void)
{
  g_clear_object (&ledger);
  g_clear_pointer (&workspace, g_free);
  g_clear_pointer (&template_dir, g_free);
  g_clear_pointer (&input_path, g_free);
}

/* memmem(): the input may hold NUL bytes, which end g_strstr_len() */
static gboolean
contains (const uint8_t *data, size_t size, const char *needle)
{
  size_t n = strlen (needle);

  for (size_t i = 0; i + n <= size; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* A timestamp the error quotes is the file's text, not a rewritten one
 * (a time zone shift once produced "-001-12-31T23:00:00Z"). */
static void
check_quotes_input (const char *message, const uint8_t *data, size_t size)
{
  const char *p = message;

  while ((p = strstr (p, "\xe2\x80\x9c")) != NULL)   /* “ */
    {
      const char *start = p + 3, *end = strstr (start, "\xe2\x80\x9d");   /* ” */
      g_autofree char *quoted = NULL;

      if (end == NULL)
        break;
      quoted = g_strndup (start, end - start);
      if (strchr (quoted, 'T') != NULL && strchr (quoted, ':') != NULL && g_ascii_isdigit (quoted[1]))
        FUZZ_CHECK (contains (data, size, quoted));
      p = end + 3;
    }
}

/* The ledger now holds this import only: its rollups must agree with the
 * import's own totals, currency by currency. */
static void
check_rollups (const CuImportResult *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GHashTable) billed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  CuCostQuery query;

  cu_cost_query_init (&query);
  query.group_by = CU_GROUP_SERVICE;
  query.granularity = CU_GRANULARITY_TOTAL;
  cells = cu_ledger_query_costs (ledger, &query, &error);
  FUZZ_CHECK (cells != NULL);
  for (guint i = 0; i < cells->len; i++)
    {
      const CuCostCell *c = g_ptr_array_index (cells, i);
      gint64 *sum = g_hash_table_lookup (billed, c->currency);

      if (sum == NULL)
        {
          sum = g_new0 (gint64, 1);
          g_hash_table_insert (billed, g_strdup (c->currency), sum);
        }
      /* a wrapped sum is caught by UBSan here (and in the writer) */
      *sum += c->billed;
    }
  for (guint i = 0; i < result->totals->len; i++)
    {
      const CuImportTotal *t = g_ptr_array_index (result->totals, i);
      gint64 *sum;

      FUZZ_CHECK (t->currency != NULL);
      sum = g_hash_table_lookup (billed, t->currency);
      FUZZ_CHECK (sum != NULL || t->billed == 0);
      if (sum != NULL)
        {
          FUZZ_CHECK (*sum == t->billed);
          g_hash_table_remove (billed, t->currency);
        }
    }
  /* no currency the import did not report (a key split by a separator
   * byte once made "us-east-1\x1fUSD" one) */
  FUZZ_CHECK (g_hash_table_size (billed) == 0);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  workspace = g_build_filename (fuzz_tmpdir (), "workspace", NULL);
  input_path = g_build_filename (fuzz_tmpdir (), "costs.csv", NULL);
  template_dir = g_build_filename (fuzz_tmpdir (), "template", NULL);
  g_mkdir_with_parents (workspace, 0700);
  g_mkdir_with_parents (template_dir, 0700);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CuLedger) empty = cu_ledger_open (workspace, &error);

    if (empty == NULL)
      g_error ("cannot open the fuzz ledger: %s", error->message);
  }
  fuzz_copy_files (workspace, template_dir);
  atexit (close_ledger);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CuImportResult) result = NULL;

  g_clear_object (&ledger);
  fuzz_copy_files (template_dir, workspace);
  ledger = cu_ledger_open (workspace, &error);
  if (ledger == NULL)
    g_error ("cannot open the fuzz ledger: %s", error->message);
  if (!g_file_set_contents (input_path, (const char *) data, (gssize) size, &error))
    g_error ("cannot write the input: %s", error->message);
  file = g_file_new_for_path (input_path);

  result = cu_import_file (ledger, file, "fuzz.csv", NULL, NULL, NULL, &error);
  if (result == NULL)
    {
      FUZZ_CHECK (error != NULL && error->message != NULL);
      /* the error names the file */
      FUZZ_CHECK (g_str_has_prefix (error->message, "fuzz.csv"));
      check_quotes_input (error->message, data, size);
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (result->format != CU_IMPORT_FORMAT_UNKNOWN);
  if (result->n_rows > 0)
    {
      FUZZ_CHECK (cu_day_is_iso (result->first_day) && cu_day_is_iso (result->last_day));
      FUZZ_CHECK (result->first_day <= result->last_day);
    }
  check_rollups (result);
  return 0;
}
