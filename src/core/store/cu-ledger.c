/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-ledger.c — the SQLite ledger of one workspace */
#define G_LOG_DOMAIN "cumulus-store"

#include "store/cu-coverage-private.h"
#include "store/cu-ledger.h"
#include "store/cu-ledger-private.h"
#include "store/cu-schema.h"
#include "util/cu-workspace.h"

#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

struct _CuLedger
{
  GObject  parent_instance;

  /* owned state */
  sqlite3 *db;
  char    *workspace;
  int      schema_version;
};

G_DEFINE_FINAL_TYPE (CuLedger, cu_ledger, G_TYPE_OBJECT)
G_DEFINE_QUARK (cu-ledger-error-quark, cu_ledger_error)

/* ------------------------------------------------------------------ helpers */

void
cu_ledger_set_sql_error (CuLedger    *self,
                         GError     **error,
                         const char  *what)
{
  g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL,
               "%s: %s (ledger %s)", what, sqlite3_errmsg (self->db), self->workspace);
}

static sqlite3_stmt *
prepare (CuLedger    *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (self, error, "Cannot prepare a ledger query");
      return NULL;
    }
  return stmt;
}

/**
 * cu_ledger_select_rows:
 * @sql: a trusted statement without parameters
 * @row: builds one element from the statement's current row
 * @free_row: frees one element
 * @what: names the read in an error: "Cannot read the budget alerts"
 *
 * Returns: (transfer full): one element per row, in the statement's order;
 *   %NULL with @error
 */
GPtrArray *
cu_ledger_select_rows (CuLedger         *self,
                       const char       *sql,
                       CuLedgerRowFunc   row,
                       GDestroyNotify    free_row,
                       const char       *what,
                       GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (self), NULL);
  g_return_val_if_fail (sql != NULL && row != NULL, NULL);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cu_ledger_set_sql_error (self, error, what);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (self, error, what);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  const unsigned char *t = sqlite3_column_text (stmt, col);
  return t ? g_strdup ((const char *) t) : NULL;
}

/* A batch still "running" whose process is gone was cut off (killed, power
 * loss): SQLite rolled its transaction back, so only the record is stale. */
static void
mark_interrupted_batches (CuLedger *self)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) dead = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (sqlite3_prepare_v2 (self->db, "SELECT id, owner_pid FROM batches WHERE status = 'running'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      pid_t pid = (pid_t) sqlite3_column_int64 (stmt, 1);

      if (pid <= 0 || (kill (pid, 0) != 0 && errno == ESRCH))
        g_array_append_val (dead, id);
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < dead->len; i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("UPDATE batches SET status = 'interrupted',"
                         " error = 'the process stopped before the batch finished; the previous data was kept',"
                         " finished_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ','now')"
                         " WHERE id = %" G_GINT64_FORMAT " AND status = 'running'",
                         g_array_index (dead, gint64, i));
      sqlite3_exec (self->db, sql, NULL, NULL, NULL);
    }
}

static char *
journal_mode (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  char *mode = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return mode;
}

/* WAL is a property of the file: it is set once, when the file is new (or
 * was copied in with another journal mode). Switching needs the database to
 * itself, and SQLite does not wait for that, so several connections opening
 * a fresh ledger at once retry for a while instead of failing. */
static gboolean
ensure_wal (CuLedger *self, const char *path, GError **error)
{
  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *mode = journal_mode (self->db);
      int rc;

      if (mode != NULL && g_ascii_strcasecmp (mode, "wal") == 0)
        return TRUE;
      /* 16 KiB pages: fewer page writes for the wide cost rows (only takes
       * effect on a new, empty database) */
      rc = sqlite3_exec (self->db, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;", NULL, NULL, NULL);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        break;
      g_usleep (50 * 1000);
    }
  g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL,
               "Cannot open the ledger %s in write-ahead-log mode: %s", path, sqlite3_errmsg (self->db));
  return FALSE;
}

/* ------------------------------------------------------------------ GObject */

static void
cu_ledger_finalize (GObject *object)
{
  CuLedger *self = CU_LEDGER (object);

  if (self->db != NULL)
    {
      /* PASSIVE never waits for other connections */
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      sqlite3_close_v2 (self->db);
    }
  g_free (self->workspace);

  G_OBJECT_CLASS (cu_ledger_parent_class)->finalize (object);
}

static void
cu_ledger_class_init (CuLedgerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cu_ledger_finalize;
}

static void
cu_ledger_init (CuLedger *self)
{
}

/* cu_checked_add(a, b): a + b as a 64-bit integer, or an error. SQLite's own
 * "+" turns an overflowing sum into a float without a word. */
static void
checked_add_fn (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  sqlite3_int64 a = sqlite3_value_int64 (argv[0]);
  sqlite3_int64 b = sqlite3_value_int64 (argv[1]);
  sqlite3_int64 sum;

  (void) argc;
  if (__builtin_add_overflow (a, b, &sum))
    {
      sqlite3_result_error (ctx, "the sum exceeds the largest amount the ledger can hold"
                                 " (9223372036854.775807 in a currency)", -1);
      return;
    }
  sqlite3_result_int64 (ctx, sum);
}

/* ------------------------------------------------------------------ public */

/**
 * cu_ledger_open_at_version:
 * @version: schema version to migrate to; tests use earlier versions to
 *   check the migrations, everything else calls cu_ledger_open()
 *
 * Returns: (transfer full): a new connection, or %NULL with @error set
 */
CuLedger *
cu_ledger_open_at_version (const char  *workspace_dir,
                           int          version,
                           GError     **error)
{
  g_autoptr(CuLedger) self = NULL;
  g_autofree char *path = NULL;
  char *errmsg = NULL;

  g_return_val_if_fail (workspace_dir != NULL, NULL);

  if (g_mkdir_with_parents (workspace_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot create the workspace directory %s: %s",
                   workspace_dir, g_strerror (saved));
      return NULL;
    }

  self = g_object_new (CU_TYPE_LEDGER, NULL);
  self->workspace = g_strdup (workspace_dir);
  path = cu_workspace_ledger_path (workspace_dir);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL,
                   "Cannot open the ledger %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 10000);
  if (sqlite3_exec (self->db,
                    "PRAGMA synchronous = NORMAL;"
                    "PRAGMA foreign_keys = ON;"
                    "PRAGMA temp_store = MEMORY;",
                    NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL,
                   "Cannot open the ledger %s: %s", path, errmsg);
      sqlite3_free (errmsg);
      return NULL;
    }

  if (!ensure_wal (self, path, error))
    return NULL;
  sqlite3_create_function_v2 (self->db, "cu_checked_add", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                              NULL, checked_add_fn, NULL, NULL, NULL);
  /* after the page size is settled: SQLite keeps the cache as a page count */
  sqlite3_exec (self->db, "PRAGMA cache_size = -32768;", NULL, NULL, NULL);

  if (!cu_schema_migrate (self->db, version, error))
    return NULL;
  self->schema_version = version;

  mark_interrupted_batches (self);

  return g_steal_pointer (&self);
}

/**
 * cu_ledger_open:
 * @workspace_dir: the workspace directory; created when missing
 *
 * Opens (creating and migrating as needed) <workspace_dir>/ledger.db.
 * One connection per thread.
 *
 * Returns: (transfer full): a new connection, or %NULL with @error set
 */
CuLedger *
cu_ledger_open (const char  *workspace_dir,
                GError     **error)
{
  return cu_ledger_open_at_version (workspace_dir, CU_LEDGER_SCHEMA_VERSION, error);
}

/**
 * cu_ledger_get_db:
 *
 * Returns: (transfer none): the connection, for queries of other modules
 */
sqlite3 *
cu_ledger_get_db (CuLedger *self)
{
  g_return_val_if_fail (CU_IS_LEDGER (self), NULL);
  return self->db;
}

const char *
cu_ledger_get_workspace (CuLedger *self)
{
  g_return_val_if_fail (CU_IS_LEDGER (self), NULL);
  return self->workspace;
}

int
cu_ledger_get_schema_version (CuLedger *self)
{
  g_return_val_if_fail (CU_IS_LEDGER (self), 0);
  return self->schema_version;
}

gboolean
cu_ledger_exec (CuLedger    *self,
                const char  *sql,
                GError     **error)
{
  char *errmsg = NULL;

  g_return_val_if_fail (CU_IS_LEDGER (self), FALSE);

  if (sqlite3_exec (self->db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_SQL,
                   "Ledger statement failed: %s (ledger %s)", errmsg, self->workspace);
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_ledger_checkpoint:
 *
 * Copies committed pages from the write-ahead log into the database and
 * truncates the log when no reader needs it. Writers leave this to idle
 * time; closing a connection does it too.
 */
gboolean
cu_ledger_checkpoint (CuLedger *self, GError **error)
{
  g_return_val_if_fail (CU_IS_LEDGER (self), FALSE);

  if (sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK &&
      sqlite3_errcode (self->db) != SQLITE_BUSY)
    {
      cu_ledger_set_sql_error (self, error, "Cannot checkpoint the ledger");
      return FALSE;
    }
  return TRUE;
}

gboolean
cu_ledger_begin (CuLedger *self, GError **error)
{
  return cu_ledger_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
cu_ledger_commit (CuLedger *self, GError **error)
{
  return cu_ledger_exec (self, "COMMIT", error);
}

void
cu_ledger_rollback (CuLedger *self)
{
  g_return_if_fail (CU_IS_LEDGER (self));
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ------------------------------------------------------------------ accounts */

void
cu_account_free (CuAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->provider);
  g_free (account->kind);
  g_free (account->external_id);
  g_free (account->config_json);
  g_free (account->created_at);
  g_free (account);
}

/**
 * cu_ledger_add_account:
 *
 * Records an account. Never pass a secret here: secrets live in the keyring.
 *
 * Returns: the new account id, or 0 with @error set (CU_LEDGER_ERROR_EXISTS
 *   when the name is taken)
 */
gint64
cu_ledger_add_account (CuLedger    *self,
                       const char  *name,
                       const char  *provider,
                       const char  *kind,
                       const char  *external_id,
                       const char  *config_json,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;
  gint64 id = 0;

  g_return_val_if_fail (CU_IS_LEDGER (self), 0);
  g_return_val_if_fail (name != NULL && provider != NULL && kind != NULL, 0);

  stmt = prepare (self, "INSERT INTO accounts (name, provider, kind, external_id, config)"
                        " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, external_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, config_json, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    id = sqlite3_last_insert_rowid (self->db);
  else if (rc == SQLITE_CONSTRAINT)
    g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_EXISTS,
                 "An account named “%s” already exists", name);
  else
    cu_ledger_set_sql_error (self, error, "Cannot add the account");
  sqlite3_finalize (stmt);
  return id;
}

/**
 * cu_ledger_ensure_account:
 *
 * Returns: the id of the account named @name, adding it when missing
 */
gint64
cu_ledger_ensure_account (CuLedger    *self,
                          const char  *name,
                          const char  *provider,
                          const char  *kind,
                          GError     **error)
{
  g_autoptr(CuAccount) account = NULL;
  g_autoptr(GError) local_error = NULL;

  account = cu_ledger_get_account (self, name, &local_error);
  if (account != NULL)
    return account->id;
  if (!g_error_matches (local_error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  return cu_ledger_add_account (self, name, provider, kind, NULL, NULL, error);
}

static CuAccount *
account_from_row (sqlite3_stmt *stmt)
{
  CuAccount *a = g_new0 (CuAccount, 1);

  a->id = sqlite3_column_int64 (stmt, 0);
  a->name = column_dup (stmt, 1);
  a->provider = column_dup (stmt, 2);
  a->kind = column_dup (stmt, 3);
  a->external_id = column_dup (stmt, 4);
  a->config_json = column_dup (stmt, 5);
  a->created_at = column_dup (stmt, 6);
  return a;
}

#define ACCOUNT_COLUMNS "id, name, provider, kind, external_id, config, created_at"

/**
 * cu_ledger_get_account:
 *
 * Returns: (transfer full): the account, or %NULL with
 *   CU_LEDGER_ERROR_NOT_FOUND
 */
CuAccount *
cu_ledger_get_account (CuLedger    *self,
                       const char  *name,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  CuAccount *account = NULL;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (self), NULL);

  stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND,
                 "No account named “%s” in workspace %s", name, self->workspace);
  else
    cu_ledger_set_sql_error (self, error, "Cannot read the account");
  sqlite3_finalize (stmt);
  return account;
}

/**
 * cu_ledger_list_accounts:
 *
 * Returns: (transfer full) (element-type CuAccount): accounts by name
 */
GPtrArray *
cu_ledger_list_accounts (CuLedger    *self,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_account_free);
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (self), NULL);

  stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, account_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (self, error, "Cannot list accounts");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * cu_ledger_remove_account:
 *
 * Removes the account with all its cost rows, rollups and batches.
 */
gboolean
cu_ledger_remove_account (CuLedger    *self,
                          const char  *name,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (self), FALSE);

  /* Its linked accounts may have been shadowing another source's: that
   * source counts again, in the same transaction. */
  if (!cu_ledger_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!cu_ledger_overlap_begin (self, TRUE, error))
    goto fail;
  stmt = prepare (self, "INSERT OR IGNORE INTO temp.cu_touched (sub_account) SELECT DISTINCT c.sub_account"
                        " FROM coverage c JOIN accounts a ON a.id = c.account_id WHERE a.name = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (self, error, "Cannot remove the account");
      goto fail;
    }

  stmt = prepare (self, "DELETE FROM accounts WHERE name = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (self, error, "Cannot remove the account");
      goto fail;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CU_LEDGER_ERROR, CU_LEDGER_ERROR_NOT_FOUND,
                   "No account named “%s” in workspace %s", name, self->workspace);
      goto fail;
    }
  if (!cu_ledger_resolve_overlap (self, 0, G_MININT32, G_MAXINT32, error) ||
      !cu_ledger_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  cu_ledger_rollback (self);
  return FALSE;
}

/* ------------------------------------------------------------------ batches */

void
cu_batch_free (CuBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->kind);
  g_free (batch->source);
  g_free (batch->first_day);
  g_free (batch->last_day);
  g_free (batch->status);
  g_free (batch->error);
  g_free (batch->started_at);
  g_free (batch->finished_at);
  g_free (batch);
}

/**
 * cu_ledger_list_batches:
 * @account_id: an account, or 0 for all
 *
 * Returns: (transfer full) (element-type CuBatch): newest first
 */
GPtrArray *
cu_ledger_list_batches (CuLedger    *self,
                        gint64       account_id,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_batch_free);
  int rc;

  g_return_val_if_fail (CU_IS_LEDGER (self), NULL);

  stmt = prepare (self,
                  "SELECT id, account_id, kind, source, first_day, last_day, status, error,"
                  " started_at, finished_at, n_rows, n_requests FROM batches"
                  " WHERE ?1 = 0 OR account_id = ?1 ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CuBatch *b = g_new0 (CuBatch, 1);
      b->id = sqlite3_column_int64 (stmt, 0);
      b->account_id = sqlite3_column_int64 (stmt, 1);
      b->kind = column_dup (stmt, 2);
      b->source = column_dup (stmt, 3);
      b->first_day = column_dup (stmt, 4);
      b->last_day = column_dup (stmt, 5);
      b->status = column_dup (stmt, 6);
      b->error = column_dup (stmt, 7);
      b->started_at = column_dup (stmt, 8);
      b->finished_at = column_dup (stmt, 9);
      b->n_rows = sqlite3_column_int64 (stmt, 10);
      b->n_requests = sqlite3_column_int64 (stmt, 11);
      g_ptr_array_add (list, b);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cu_ledger_set_sql_error (self, error, "Cannot list batches");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* ------------------------------------------------------------------ ranges */

/**
 * cu_ledger_get_day_range:
 *
 * Returns: %TRUE with the first and last day holding costs; %FALSE without
 *   @error when the ledger holds no costs
 */
gboolean
cu_ledger_get_day_range (CuLedger    *self,
                         CuDay       *first,
                         CuDay       *last,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (CU_IS_LEDGER (self), FALSE);

  /* MIN and MAX on the leading primary-key column are index look-ups */
  stmt = prepare (self, "SELECT MIN(usage_day), MAX(usage_day) FROM rollup_daily", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      if (first)
        *first = sqlite3_column_int (stmt, 0);
      if (last)
        *last = sqlite3_column_int (stmt, 1);
      found = TRUE;
    }
  sqlite3_finalize (stmt);
  return found;
}

/**
 * cu_ledger_get_dominant_currency:
 * @from: first day, or %CU_DAY_INVALID for the beginning
 * @to: last day, or %CU_DAY_INVALID for the end
 * @mixed: (out) (optional): set when other currencies have costs too
 *
 * Returns: (transfer full): the currency with the most billed cost in the
 *   range ("USD" for an empty ledger), or %NULL with @error
 */
char *
cu_ledger_get_dominant_currency (CuLedger  *self,
                                 CuDay      from,
                                 CuDay      to,
                                 gboolean  *mixed,
                                 GError   **error)
{
  sqlite3_stmt *stmt;
  char *currency = NULL;
  int n = 0, rc;

  g_return_val_if_fail (CU_IS_LEDGER (self), NULL);

  stmt = prepare (self, "SELECT currency FROM rollup_daily WHERE usage_day BETWEEN ? AND ?"
                        " GROUP BY currency ORDER BY SUM(billed) DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, from == CU_DAY_INVALID ? G_MININT32 : from);
  sqlite3_bind_int (stmt, 2, to == CU_DAY_INVALID ? G_MAXINT32 : to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (n++ == 0)
      currency = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_free (currency);
      cu_ledger_set_sql_error (self, error, "Cannot find the ledger’s currency");
      return NULL;
    }
  if (mixed)
    *mixed = n > 1;
  return currency ? currency : g_strdup ("USD");
}

gint64
cu_ledger_count_cost_rows (CuLedger    *self,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (CU_IS_LEDGER (self), -1);

  stmt = prepare (self, "SELECT COUNT(*) FROM cost_rows", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    cu_ledger_set_sql_error (self, error, "Cannot count cost rows");
  sqlite3_finalize (stmt);
  return n;
}
