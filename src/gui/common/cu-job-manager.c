/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-job-manager.c — the application's running jobs, and the background sync
 *
 * The application holds one manager (cu_job_manager_get_default()). It runs
 * every account sync in a worker, one at a time per account of a
 * workspace, keeps each one's CuProgress and GCancellable, and says when a
 * sync starts and ends ("sync-started", "sync-finished"), so that a row or a
 * page only shows a job and never owns it: closing a dialog or reloading a
 * page does not lose a sync under way.
 *
 * The analysis (forecasts, anomalies, budget alerts, their notifications)
 * is one job here: a new start replaces the run under way, and
 * "analysis-finished" names the workspace it was for.
 *
 * File imports run here too, one worker each, with each file's state under
 * the job's mutex and a CuProgress that pings the main thread: the Import
 * dialog only shows a CuImportJob, so closing it does not cancel or lose
 * the import ("import-finished" says when it is done, and the window then
 * reopens the workspace, whose model tells the pages). The demo workspace
 * is generated here the first time ("demo-finished"), into a temporary
 * directory renamed when complete, so an interruption leaves no half demo.
 *
 * The background sync lives here too: the Accounts page tells the manager
 * which cloud accounts the shown workspace has and when each last synced
 * (cu_job_manager_watch_accounts()); every minute, while
 * sync-interval-hours is above 0, the manager starts the syncs that are due.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cu-job-manager.h"
#include "demo/cu-demo.h"
#include "util/cu-date.h"

#define SCHEDULE_TICK_SECONDS 60

typedef struct {
  CuJobManager *manager;       /* borrowed: the manager outlives its jobs */
  char         *key;           /* workspace \n account */
  char         *workspace;
  char         *account;
  CuProgress   *progress;
  GCancellable *cancellable;
} SyncJob;

struct _CuImportJob {
  GMutex        mutex;
  CuProgress   *progress;
  GCancellable *cancellable;
  char         *workspace;
  gpointer      origin;      /* compared only, never dereferenced */
  GPtrArray    *files;       /* of CuImportFile */
  guint         current;
  gboolean      running;     /* main thread only */
};

typedef struct {
  CuProgress   *progress;
  GCancellable *cancellable;
  char         *final_dir;
  char         *tmp_dir;
} DemoJob;

struct _CuJobManager
{
  GObject     parent_instance;

  /* owned state */
  GSettings  *settings;
  GHashTable *syncs;           /* key → SyncJob, while running */
  GHashTable *attempts;        /* key → gint64*: unix seconds a sync last started here */
  CuAnalysisJob *analysis;
  char       *analysis_workspace;
  GPtrArray  *imports;         /* of CuImportJob, while running */
  DemoJob    *demo;            /* while running; freed by its task */

  /* borrowed references */
  GApplication *application;   /* weak: sends the analysis's notifications */
  char       *watched;         /* the workspace whose accounts are scheduled */
  GStrv       watched_accounts;
  GArray     *watched_started; /* gint64, parallel: last start the ledger knows */
  guint       schedule_id;
};

G_DEFINE_FINAL_TYPE (CuJobManager, cu_job_manager, G_TYPE_OBJECT)

enum {
  SYNC_STARTED,
  SYNC_FINISHED,
  ANALYSIS_FINISHED,
  IMPORT_STARTED,
  IMPORT_FINISHED,
  DEMO_STARTED,
  DEMO_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
make_key (const char *workspace,
          const char *account)
{
  return g_strconcat (workspace, "\n", account, NULL);
}

static void
sync_job_free (SyncJob *job)
{
  g_free (job->key);
  g_free (job->workspace);
  g_free (job->account);
  g_clear_object (&job->progress);
  g_clear_object (&job->cancellable);
  g_free (job);
}

/* worker thread: no GTK, no GObject signals here */
static void
sync_progress_cb (const char *account,
                  double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  SyncJob *job = user_data;

  cu_progress_update (job->progress, fraction, message);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SyncJob *job = task_data;
  CuSyncResult *result = NULL;

  /* the result carries the outcome, failures included */
  cu_sync_account (job->workspace, job->account, sync_progress_cb, job, &result, cancellable, NULL);
  g_task_return_pointer (task, result, (GDestroyNotify) cu_sync_result_free);
}

static void
sync_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CuJobManager *self = CU_JOB_MANAGER (source_object);
  SyncJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(CuSyncResult) r = g_task_propagate_pointer (G_TASK (result), NULL);

  g_hash_table_steal (self->syncs, job->key);
  g_signal_emit (self, signals[SYNC_FINISHED], 0, job->workspace, job->account, r);
}

/* ---- imports ---- */

static void
import_file_free (gpointer data)
{
  CuImportFile *f = data;

  g_clear_object (&f->file);
  g_free (f->display);
  g_free (f->message);
  g_clear_pointer (&f->result, cu_import_result_free);
  g_free (f->error);
  g_free (f);
}

static void
import_job_clear (CuImportJob *job)
{
  g_mutex_clear (&job->mutex);
  g_clear_object (&job->progress);
  g_clear_object (&job->cancellable);
  g_free (job->workspace);
  g_ptr_array_unref (job->files);
}

/**
 * cu_import_job_ref:
 *
 * Returns: (transfer full): @job
 */
CuImportJob *
cu_import_job_ref (CuImportJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);
  return g_atomic_rc_box_acquire (job);
}

void
cu_import_job_unref (CuImportJob *job)
{
  g_return_if_fail (job != NULL);
  g_atomic_rc_box_release_full (job, (GDestroyNotify) import_job_clear);
}

const char *
cu_import_job_get_workspace (CuImportJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);
  return job->workspace;
}

/**
 * cu_import_job_get_progress:
 *
 * Returns: (transfer none): pinged (on the main thread, coalesced) when a
 *   file's state moved; its fraction is the current file's
 */
CuProgress *
cu_import_job_get_progress (CuImportJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);
  return job->progress;
}

/**
 * cu_import_job_get_origin:
 *
 * Returns: (transfer none) (nullable): what the starter passed as origin
 *   (the window's workspace model), to compare with only
 */
gpointer
cu_import_job_get_origin (CuImportJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);
  return job->origin;
}

gboolean
cu_import_job_get_running (CuImportJob *job)
{
  g_return_val_if_fail (job != NULL, FALSE);
  return job->running;
}

guint
cu_import_job_get_n_files (CuImportJob *job)
{
  g_return_val_if_fail (job != NULL, 0);
  return job->files->len;
}

/**
 * cu_import_job_get_n_imported:
 *
 * Returns: how many files are imported so far
 */
guint
cu_import_job_get_n_imported (CuImportJob *job)
{
  guint n = 0;

  g_return_val_if_fail (job != NULL, 0);
  g_mutex_lock (&job->mutex);
  for (guint i = 0; i < job->files->len; i++)
    if (((CuImportFile *) g_ptr_array_index (job->files, i))->state == CU_IMPORT_FILE_DONE)
      n++;
  g_mutex_unlock (&job->mutex);
  return n;
}

void
cu_import_job_lock (CuImportJob *job)
{
  g_return_if_fail (job != NULL);
  g_mutex_lock (&job->mutex);
}

void
cu_import_job_unlock (CuImportJob *job)
{
  g_return_if_fail (job != NULL);
  g_mutex_unlock (&job->mutex);
}

/**
 * cu_import_job_get_file:
 *
 * With the job locked.
 *
 * Returns: (transfer none) (nullable): file @index, valid while locked
 */
const CuImportFile *
cu_import_job_get_file (CuImportJob *job,
                        guint        index)
{
  g_return_val_if_fail (job != NULL, NULL);
  if (index >= job->files->len)
    return NULL;
  return g_ptr_array_index (job->files, index);
}

/**
 * cu_import_job_cancel:
 *
 * Stops the file being imported (its costs stay as they were) and skips
 * the rest; files already imported stay imported.
 */
void
cu_import_job_cancel (CuImportJob *job)
{
  g_return_if_fail (job != NULL);
  g_cancellable_cancel (job->cancellable);
}

/* with job->mutex held: the viewer reads the files' states, once, later */
static void
import_ping_locked (CuImportJob *job)
{
  CuImportFile *f = g_ptr_array_index (job->files, job->current);

  cu_progress_set_fraction (job->progress, f->fraction);
}

/* worker thread */
static void
import_progress_cb (double      fraction,
                    const char *message,
                    gpointer    user_data)
{
  CuImportJob *job = user_data;
  CuImportFile *f;

  g_mutex_lock (&job->mutex);
  f = g_ptr_array_index (job->files, job->current);
  f->fraction = fraction;
  if (message != NULL)
    {
      g_free (f->message);
      f->message = g_strdup (message);
    }
  import_ping_locked (job);
  g_mutex_unlock (&job->mutex);
}

/* worker thread: its own ledger connection; a file that fails leaves the
 * ledger untouched (the importer writes each period in one transaction) */
static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CuImportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CuLedger) ledger = cu_ledger_open (job->workspace, &error);

  for (guint i = 0; i < job->files->len; i++)
    {
      CuImportFile *f = g_ptr_array_index (job->files, i);
      g_autoptr(GError) file_error = NULL;
      CuImportResult *result = NULL;
      CuImportFileState state;

      g_mutex_lock (&job->mutex);
      job->current = i;
      if (ledger == NULL)
        {
          f->state = CU_IMPORT_FILE_FAILED;
          f->error = g_strdup (error->message);
        }
      else if (g_cancellable_is_cancelled (cancellable))
        f->state = CU_IMPORT_FILE_SKIPPED;
      else
        f->state = CU_IMPORT_FILE_RUNNING;
      state = f->state;
      import_ping_locked (job);
      g_mutex_unlock (&job->mutex);

      if (state != CU_IMPORT_FILE_RUNNING)
        continue;

      result = cu_import_file (ledger, f->file, f->display, import_progress_cb, job,
                               cancellable, &file_error);

      g_mutex_lock (&job->mutex);
      if (result != NULL)
        {
          f->state = CU_IMPORT_FILE_DONE;
          f->fraction = 1.0;
          f->result = result;
        }
      else if (g_error_matches (file_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        f->state = CU_IMPORT_FILE_SKIPPED;
      else
        {
          f->state = CU_IMPORT_FILE_FAILED;
          f->error = g_strdup (file_error->message);
        }
      import_ping_locked (job);
      g_mutex_unlock (&job->mutex);
    }
  g_task_return_boolean (task, TRUE);
}

static void
import_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CuJobManager *self = CU_JOB_MANAGER (source_object);
  CuImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(CuImportJob) held = cu_import_job_ref (job);

  g_task_propagate_boolean (G_TASK (result), NULL);
  job->running = FALSE;
  g_ptr_array_remove (self->imports, job);
  g_signal_emit (self, signals[IMPORT_FINISHED], 0, job->workspace, job,
                 cu_import_job_get_n_imported (job));
}

/* ---- the demo workspace ---- */

static void
demo_job_free (DemoJob *job)
{
  g_clear_object (&job->progress);
  g_clear_object (&job->cancellable);
  g_free (job->final_dir);
  g_free (job->tmp_dir);
  g_free (job);
}

static void
demo_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DemoJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (!cu_demo_create (job->tmp_dir, CU_DEMO_DEFAULT_SEED, cu_day_today () - 1,
                       cancellable, cu_progress_fraction_cb, job->progress, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_rename (job->tmp_dir, job->final_dir) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not move the demo workspace into place at %s: %s"),
                               job->final_dir, g_strerror (saved));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
demo_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CuJobManager *self = CU_JOB_MANAGER (source_object);
  DemoJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self->demo == job)
    self->demo = NULL;
  g_signal_emit (self, signals[DEMO_FINISHED], 0, job->final_dir, error);
}

static void
analysis_finished_cb (CuJobManager *self,
                      gboolean      success)
{
  g_signal_emit (self, signals[ANALYSIS_FINISHED], 0, self->analysis_workspace, success);
}

static gboolean
schedule_tick_cb (gpointer data)
{
  cu_job_manager_sync_due (CU_JOB_MANAGER (data));
  return G_SOURCE_CONTINUE;
}

static void
schedule_update (CuJobManager *self)
{
  g_clear_handle_id (&self->schedule_id, g_source_remove);
  if (self->settings == NULL || self->watched == NULL ||
      g_settings_get_int (self->settings, "sync-interval-hours") <= 0)
    return;
  self->schedule_id = g_timeout_add_seconds (SCHEDULE_TICK_SECONDS, schedule_tick_cb, self);
}

static void
cu_job_manager_dispose (GObject *object)
{
  CuJobManager *self = CU_JOB_MANAGER (object);

  g_clear_handle_id (&self->schedule_id, g_source_remove);
  cu_job_manager_cancel_all (self);
  g_clear_object (&self->analysis);
  cu_job_manager_set_application (self, NULL);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cu_job_manager_parent_class)->dispose (object);
}

static void
cu_job_manager_finalize (GObject *object)
{
  CuJobManager *self = CU_JOB_MANAGER (object);

  g_hash_table_unref (self->syncs);
  g_hash_table_unref (self->attempts);
  g_ptr_array_unref (self->imports);
  g_free (self->watched);
  g_free (self->analysis_workspace);
  g_strfreev (self->watched_accounts);
  g_clear_pointer (&self->watched_started, g_array_unref);

  G_OBJECT_CLASS (cu_job_manager_parent_class)->finalize (object);
}

static void
cu_job_manager_class_init (CuJobManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cu_job_manager_dispose;
  object_class->finalize = cu_job_manager_finalize;

  /**
   * CuJobManager::sync-started:
   * @workspace: the workspace directory
   * @account: the account's name
   */
  signals[SYNC_STARTED] =
    g_signal_new ("sync-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * CuJobManager::sync-finished:
   * @workspace: the workspace directory
   * @account: the account's name
   * @result: (type gpointer) (nullable): the CuSyncResult, borrowed
   *
   * Also when cancelled: the result says so.
   */
  signals[SYNC_FINISHED] =
    g_signal_new ("sync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_POINTER);
  /**
   * CuJobManager::analysis-finished:
   * @workspace: the workspace analysed
   * @success: whether the analysis ran to the end
   *
   * Not emitted for a run that was replaced or cancelled.
   */
  signals[ANALYSIS_FINISHED] =
    g_signal_new ("analysis-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  /**
   * CuJobManager::import-started:
   * @workspace: where the costs go
   * @job: (type gpointer): the CuImportJob, borrowed
   */
  signals[IMPORT_STARTED] =
    g_signal_new ("import-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_POINTER);
  /**
   * CuJobManager::import-finished:
   * @workspace: where the costs went
   * @job: (type gpointer): the CuImportJob, borrowed
   * @n_imported: how many files were imported
   *
   * Also when cancelled: the files' states say so.
   */
  signals[IMPORT_FINISHED] =
    g_signal_new ("import-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_POINTER, G_TYPE_UINT);
  /**
   * CuJobManager::demo-started:
   * @directory: where the demo workspace goes
   */
  signals[DEMO_STARTED] =
    g_signal_new ("demo-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CuJobManager::demo-finished:
   * @directory: the demo workspace
   * @error: (type gpointer) (nullable): the GError, borrowed; %NULL when
   *   it is ready, G_IO_ERROR_CANCELLED when cancelled
   */
  signals[DEMO_FINISHED] =
    g_signal_new ("demo-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_POINTER);
}

static void
cu_job_manager_init (CuJobManager *self)
{
  /* a running job is freed by its task, not by the table */
  self->syncs = g_hash_table_new (g_str_hash, g_str_equal);
  self->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->imports = g_ptr_array_new_with_free_func ((GDestroyNotify) cu_import_job_unref);
}

/**
 * cu_job_manager_get_default:
 *
 * Returns: (transfer none): the process's job manager, which the
 *   application holds
 */
CuJobManager *
cu_job_manager_get_default (void)
{
  static CuJobManager *manager;

  if (g_once_init_enter (&manager))
    g_once_init_leave (&manager, g_object_new (CU_TYPE_JOB_MANAGER, NULL));
  return manager;
}

/**
 * cu_job_manager_set_settings:
 * @settings: the application settings (sync-interval-hours)
 */
void
cu_job_manager_set_settings (CuJobManager *self,
                             GSettings    *settings)
{
  g_return_if_fail (CU_IS_JOB_MANAGER (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (self->settings == settings)
    return;
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    g_signal_connect_object (settings, "changed::sync-interval-hours",
                             G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  schedule_update (self);
}

/**
 * cu_job_manager_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings the schedule follows
 */
GSettings *
cu_job_manager_get_settings (CuJobManager *self)
{
  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), NULL);
  return self->settings;
}

/**
 * cu_job_manager_start_sync:
 * @workspace: a workspace directory
 * @account: one of its cloud accounts
 *
 * Starts syncing @account in a worker, unless it is syncing already.
 * "sync-started" is emitted before this returns.
 *
 * Returns: whether a sync started
 */
gboolean
cu_job_manager_start_sync (CuJobManager *self,
                           const char   *workspace,
                           const char   *account)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  gint64 *attempt;
  SyncJob *job;

  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), FALSE);
  g_return_val_if_fail (workspace != NULL && account != NULL, FALSE);

  key = make_key (workspace, account);
  if (g_hash_table_contains (self->syncs, key))
    return FALSE;

  job = g_new0 (SyncJob, 1);
  job->manager = self;
  job->key = g_strdup (key);
  job->workspace = g_strdup (workspace);
  job->account = g_strdup (account);
  job->progress = cu_progress_new ();
  job->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->syncs, job->key, job);

  attempt = g_new (gint64, 1);
  *attempt = g_get_real_time () / G_USEC_PER_SEC;
  g_hash_table_replace (self->attempts, g_steal_pointer (&key), attempt);

  task = g_task_new (self, job->cancellable, sync_done_cb, NULL);
  g_task_set_source_tag (task, cu_job_manager_start_sync);
  g_task_set_name (task, "[cumulus] sync account");
  g_task_set_task_data (task, job, (GDestroyNotify) sync_job_free);
  /* a cancelled sync still returns its result: it says what happened */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, sync_thread);

  g_signal_emit (self, signals[SYNC_STARTED], 0, workspace, account);
  return TRUE;
}

static SyncJob *
find_sync (CuJobManager *self,
           const char   *workspace,
           const char   *account)
{
  g_autofree char *key = NULL;

  if (workspace == NULL || account == NULL)
    return NULL;
  key = make_key (workspace, account);
  return g_hash_table_lookup (self->syncs, key);
}

/**
 * cu_job_manager_cancel_sync:
 *
 * Asks a running sync of @account to stop; it ends with "sync-finished"
 * and leaves the ledger as it was.
 */
void
cu_job_manager_cancel_sync (CuJobManager *self,
                            const char   *workspace,
                            const char   *account)
{
  SyncJob *job;

  g_return_if_fail (CU_IS_JOB_MANAGER (self));

  if ((job = find_sync (self, workspace, account)) != NULL)
    g_cancellable_cancel (job->cancellable);
}

gboolean
cu_job_manager_is_syncing (CuJobManager *self,
                           const char   *workspace,
                           const char   *account)
{
  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), FALSE);
  return find_sync (self, workspace, account) != NULL;
}

/**
 * cu_job_manager_get_sync_progress:
 *
 * Returns: (transfer none) (nullable): the progress of a running sync
 */
CuProgress *
cu_job_manager_get_sync_progress (CuJobManager *self,
                                  const char   *workspace,
                                  const char   *account)
{
  SyncJob *job;

  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), NULL);
  job = find_sync (self, workspace, account);
  return job != NULL ? job->progress : NULL;
}

/**
 * cu_job_manager_get_last_attempt:
 *
 * Returns: unix seconds when a sync of @account last started in this
 *   process, 0 for never
 */
gint64
cu_job_manager_get_last_attempt (CuJobManager *self,
                                 const char   *workspace,
                                 const char   *account)
{
  g_autofree char *key = NULL;
  gint64 *attempt;

  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), 0);
  if (workspace == NULL || account == NULL)
    return 0;
  key = make_key (workspace, account);
  attempt = g_hash_table_lookup (self->attempts, key);
  return attempt != NULL ? *attempt : 0;
}

/**
 * cu_job_manager_cancel_all:
 *
 * Cancels every running job (the application is going away).
 */
void
cu_job_manager_cancel_all (CuJobManager *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CU_IS_JOB_MANAGER (self));

  g_hash_table_iter_init (&iter, self->syncs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (((SyncJob *) value)->cancellable);
  for (guint i = 0; i < self->imports->len; i++)
    cu_import_job_cancel (g_ptr_array_index (self->imports, i));
  cu_job_manager_cancel_demo (self);
  if (self->analysis != NULL)
    cu_analysis_job_cancel (self->analysis);
}

/**
 * cu_job_manager_start_import:
 * @workspace: where the costs go (created when missing)
 * @files: (element-type GFile): the files to import, in order
 * @origin: (nullable): who asked (the window's workspace model), for the
 *   "import-finished" handlers to compare with; not referenced
 *
 * Imports @files one after the other in a worker with its own ledger
 * connection. "import-started" is emitted before this returns,
 * "import-finished" when all are done, whether or not anyone still shows
 * the job.
 *
 * Returns: (transfer none): the job, owned by the manager while it runs
 *   (take a reference to keep it after)
 */
CuImportJob *
cu_job_manager_start_import (CuJobManager *self,
                             const char   *workspace,
                             GListModel   *files,
                             gpointer      origin)
{
  g_autoptr(GTask) task = NULL;
  CuImportJob *job;

  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), NULL);
  g_return_val_if_fail (workspace != NULL, NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (files), NULL);

  job = g_atomic_rc_box_new0 (CuImportJob);
  g_mutex_init (&job->mutex);
  job->progress = cu_progress_new ();
  job->cancellable = g_cancellable_new ();
  job->workspace = g_strdup (workspace);
  job->origin = origin;
  job->files = g_ptr_array_new_with_free_func (import_file_free);
  job->running = TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      CuImportFile *f = g_new0 (CuImportFile, 1);

      f->file = g_list_model_get_item (files, i);
      f->display = g_file_get_basename (f->file);
      g_ptr_array_add (job->files, f);
    }
  g_ptr_array_add (self->imports, job);

  task = g_task_new (self, job->cancellable, import_done_cb, NULL);
  g_task_set_source_tag (task, cu_job_manager_start_import);
  g_task_set_name (task, "[cumulus] import files");
  g_task_set_task_data (task, cu_import_job_ref (job), (GDestroyNotify) cu_import_job_unref);
  /* a cancelled import still ends normally: the files say what happened */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, import_thread);

  g_signal_emit (self, signals[IMPORT_STARTED], 0, workspace, job);
  return job;
}

/**
 * cu_job_manager_get_n_imports:
 *
 * Returns: how many imports are running
 */
guint
cu_job_manager_get_n_imports (CuJobManager *self)
{
  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), 0);
  return self->imports->len;
}

/**
 * cu_job_manager_start_demo:
 * @demo_dir: where the demo workspace goes
 *
 * Generates the demo workspace in a worker, into a temporary directory
 * beside @demo_dir renamed when complete. "demo-started" is emitted before
 * this returns, "demo-finished" at the end. Does nothing while a demo is
 * being made already.
 *
 * Returns: %FALSE with @error set when the directories cannot be created
 */
gboolean
cu_job_manager_start_demo (CuJobManager  *self,
                           const char    *demo_dir,
                           GError       **error)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *template = NULL;
  DemoJob *job;

  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), FALSE);
  g_return_val_if_fail (demo_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->demo != NULL)
    return TRUE;

  parent = g_path_get_dirname (demo_dir);
  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), parent, g_strerror (saved));
      return FALSE;
    }
  template = g_build_filename (parent, ".demo-XXXXXX", NULL);
  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), template, g_strerror (saved));
      return FALSE;
    }

  job = g_new0 (DemoJob, 1);
  job->progress = cu_progress_new ();
  job->cancellable = g_cancellable_new ();
  job->final_dir = g_strdup (demo_dir);
  job->tmp_dir = g_steal_pointer (&template);
  self->demo = job;

  task = g_task_new (self, job->cancellable, demo_done_cb, NULL);
  g_task_set_source_tag (task, cu_job_manager_start_demo);
  g_task_set_name (task, "[cumulus] demo workspace");
  g_task_set_task_data (task, job, (GDestroyNotify) demo_job_free);
  g_task_run_in_thread (task, demo_thread);

  g_signal_emit (self, signals[DEMO_STARTED], 0, demo_dir);
  return TRUE;
}

gboolean
cu_job_manager_is_making_demo (CuJobManager *self)
{
  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), FALSE);
  return self->demo != NULL;
}

/**
 * cu_job_manager_get_demo_progress:
 *
 * Returns: (transfer none) (nullable): the progress of the demo being made
 */
CuProgress *
cu_job_manager_get_demo_progress (CuJobManager *self)
{
  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), NULL);
  return self->demo != NULL ? self->demo->progress : NULL;
}

/**
 * cu_job_manager_cancel_demo:
 *
 * Stops making the demo; it ends with "demo-finished" (cancelled) and
 * leaves no demo behind.
 */
void
cu_job_manager_cancel_demo (CuJobManager *self)
{
  g_return_if_fail (CU_IS_JOB_MANAGER (self));
  if (self->demo != NULL)
    g_cancellable_cancel (self->demo->cancellable);
}

/**
 * cu_job_manager_set_application:
 * @application: (nullable): the application that sends notifications
 *
 * Borrowed: the application owns the manager's use, not the other way.
 */
void
cu_job_manager_set_application (CuJobManager *self,
                                GApplication *application)
{
  g_return_if_fail (CU_IS_JOB_MANAGER (self));
  g_return_if_fail (application == NULL || G_IS_APPLICATION (application));

  if (self->application == application)
    return;
  if (self->application != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
  self->application = application;
  if (application != NULL)
    g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
  /* the next run notifies through the new one */
  g_clear_object (&self->analysis);
}

/**
 * cu_job_manager_start_analysis:
 * @workspace: the workspace whose costs changed
 *
 * Computes forecasts, anomalies and budget alerts again in a worker, then
 * notifies; a run under way is cancelled and its result dropped.
 *
 * Returns: (transfer none): the analysis job
 */
CuAnalysisJob *
cu_job_manager_start_analysis (CuJobManager *self,
                               const char   *workspace)
{
  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), NULL);
  g_return_val_if_fail (workspace != NULL, NULL);

  if (self->analysis == NULL)
    {
      self->analysis = cu_analysis_job_new (self->application);
      g_signal_connect_object (self->analysis, "finished",
                               G_CALLBACK (analysis_finished_cb), self, G_CONNECT_SWAPPED);
    }
  g_free (self->analysis_workspace);
  self->analysis_workspace = g_strdup (workspace);
  cu_analysis_job_start (self->analysis, workspace);
  return self->analysis;
}

/**
 * cu_job_manager_watch_accounts:
 * @workspace: (nullable): the workspace shown, %NULL (or the demo) for none
 * @accounts: (nullable) (array zero-terminated=1): its cloud accounts
 * @last_started: (nullable): for each, unix seconds of the last sync the
 *   ledger knows of, 0 for never
 *
 * What the background sync looks after, as the Accounts page last read it.
 */
void
cu_job_manager_watch_accounts (CuJobManager       *self,
                               const char         *workspace,
                               const char * const *accounts,
                               const gint64       *last_started)
{
  guint n;

  g_return_if_fail (CU_IS_JOB_MANAGER (self));

  n = accounts != NULL ? g_strv_length ((char **) accounts) : 0;
  g_return_if_fail (n == 0 || last_started != NULL);

  if (g_strcmp0 (self->watched, workspace) != 0)
    {
      g_free (self->watched);
      self->watched = g_strdup (workspace);
      schedule_update (self);
    }
  g_strfreev (self->watched_accounts);
  self->watched_accounts = g_strdupv ((char **) accounts);
  g_clear_pointer (&self->watched_started, g_array_unref);
  self->watched_started = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  if (n > 0)
    g_array_append_vals (self->watched_started, last_started, n);
}

/**
 * cu_job_manager_sync_due:
 *
 * What the background timer does: starts a sync of every watched account
 * whose last sync started at least sync-interval-hours ago.
 *
 * Returns: the number of syncs started
 */
guint
cu_job_manager_sync_due (CuJobManager *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 interval;
  guint n = 0;

  g_return_val_if_fail (CU_IS_JOB_MANAGER (self), 0);

  if (self->settings == NULL || self->watched == NULL || self->watched_accounts == NULL)
    return 0;
  interval = (gint64) g_settings_get_int (self->settings, "sync-interval-hours") * 3600;
  if (interval <= 0)
    return 0;

  for (guint i = 0; self->watched_accounts[i] != NULL; i++)
    {
      const char *account = self->watched_accounts[i];
      gint64 last = MAX (g_array_index (self->watched_started, gint64, i),
                         cu_job_manager_get_last_attempt (self, self->watched, account));

      if (!cu_job_manager_is_syncing (self, self->watched, account) &&
          now - last >= interval &&
          cu_job_manager_start_sync (self, self->watched, account))
        n++;
    }
  return n;
}
