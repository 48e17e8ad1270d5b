/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-test-util.c — what the C tests share */
#define G_LOG_DOMAIN "cumulus-test"

#include "cu-test-util.h"

#include <glib/gstdio.h>

/* The ledger's sqlite3 handle may move to a private header of the store;
 * tests are allowed to look inside. */
#include "store/cu-ledger-private.h"

/**
 * cu_test_make_tmp_dir:
 * @prefix: a name for the directory, such as "cumulus-demo-test"
 *
 * Returns: (transfer full): a new empty directory under $TMPDIR
 */
char *
cu_test_make_tmp_dir (const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpl = g_strdup_printf ("%s-XXXXXX", prefix);
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

/**
 * cu_test_remove_tree:
 *
 * Removes @path and everything under it; symbolic links are removed, not
 * followed. A missing @path is not an error.
 */
void
cu_test_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || (dir = g_dir_open (path, 0, NULL)) == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      cu_test_remove_tree (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

/**
 * cu_test_count_entries:
 *
 * Returns: the number of entries in the directory @path, which must exist
 */
guint
cu_test_count_entries (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n;
}

/**
 * cu_test_workspace_new:
 *
 * Returns: (transfer full): a fresh directory with an empty ledger open in it
 */
CuTestWorkspace *
cu_test_workspace_new (const char *prefix)
{
  g_autoptr(GError) error = NULL;
  CuTestWorkspace *ws = g_new0 (CuTestWorkspace, 1);

  ws->dir = cu_test_make_tmp_dir (prefix);
  ws->ledger = cu_ledger_open (ws->dir, &error);
  g_assert_no_error (error);
  return ws;
}

/**
 * cu_test_workspace_free:
 *
 * Closes the ledger, which must be its last reference (a connection left
 * open would keep the files busy), and removes the directory.
 */
void
cu_test_workspace_free (CuTestWorkspace *ws)
{
  if (ws == NULL)
    return;
  if (ws->ledger != NULL)
    g_assert_finalize_object (ws->ledger);
  cu_test_remove_tree (ws->dir);
  g_free (ws->dir);
  g_free (ws);
}

static sqlite3_stmt *
prepare (CuLedger   *ledger,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_true (CU_IS_LEDGER (ledger));
  rc = sqlite3_prepare_v2 (cu_ledger_get_db (ledger), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("cannot prepare “%s”: %s", sql, sqlite3_errmsg (cu_ledger_get_db (ledger)));
  return stmt;
}

/* steps to the first row, which must exist */
static sqlite3_stmt *
first_row (CuLedger   *ledger,
           const char *sql)
{
  sqlite3_stmt *stmt = prepare (ledger, sql);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("“%s” returned no row: %s", sql, sqlite3_errmsg (cu_ledger_get_db (ledger)));
  return stmt;
}

/**
 * cu_test_query_int:
 *
 * Returns: the first column of the first row of @sql, which must have one
 */
gint64
cu_test_query_int (CuLedger   *ledger,
                   const char *sql)
{
  sqlite3_stmt *stmt = first_row (ledger, sql);
  gint64 v = sqlite3_column_int64 (stmt, 0);

  sqlite3_finalize (stmt);
  return v;
}

/**
 * cu_test_query_double:
 *
 * Returns: the first column of the first row of @sql, as a double
 */
double
cu_test_query_double (CuLedger   *ledger,
                      const char *sql)
{
  sqlite3_stmt *stmt = first_row (ledger, sql);
  double v = sqlite3_column_double (stmt, 0);

  sqlite3_finalize (stmt);
  return v;
}

/**
 * cu_test_query_text:
 *
 * Returns: (transfer full) (nullable): the first column of the first row
 *   of @sql as text, %NULL for SQL NULL
 */
char *
cu_test_query_text (CuLedger   *ledger,
                    const char *sql)
{
  sqlite3_stmt *stmt = first_row (ledger, sql);
  char *v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  sqlite3_finalize (stmt);
  return v;
}

/**
 * cu_test_ledger_int:
 * @dir: a workspace directory
 *
 * Opens the workspace's ledger on its own connection, as another process
 * would see it, and runs @sql.
 *
 * Returns: the first column of the first row, 0 when there is no row
 */
gint64
cu_test_ledger_int (const char *dir,
                    const char *sql)
{
  g_autoptr(GError) error = NULL;
  CuLedger *ledger = cu_ledger_open (dir, &error);
  sqlite3_stmt *stmt;
  gint64 v = 0;

  g_assert_no_error (error);
  stmt = prepare (ledger, sql);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_finalize_object (ledger);
  return v;
}

/**
 * cu_test_hash_query:
 *
 * Feeds every row of @sql into @sum: each value's type and text, the row
 * count at the end, so that two ledgers hash alike only with the same rows.
 */
void
cu_test_hash_query (GChecksum  *sum,
                    CuLedger   *ledger,
                    const char *sql)
{
  sqlite3_stmt *stmt = prepare (ledger, sql);
  guint64 n_rows = 0;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          guchar type = (guchar) sqlite3_column_type (stmt, c);
          const guchar *text = sqlite3_column_text (stmt, c);

          g_checksum_update (sum, &type, 1);
          if (text != NULL)
            g_checksum_update (sum, text, sqlite3_column_bytes (stmt, c));
          g_checksum_update (sum, (const guchar *) "\x1f", 1);
        }
      n_rows++;
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_checksum_update (sum, (const guchar *) &n_rows, sizeof n_rows);
}

/**
 * cu_test_in_keyring_session:
 *
 * Returns: %TRUE when the test runs under tests/common/keyring-run.sh,
 *   with a private D-Bus session and an unlocked gnome-keyring
 */
gboolean
cu_test_in_keyring_session (void)
{
  return g_strcmp0 (g_getenv ("CUMULUS_TEST_KEYRING"), "1") == 0;
}
