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
 * The background sync lives here too: the Accounts page tells the manager
 * which cloud accounts the shown workspace has and when each last synced
 * (cu_job_manager_watch_accounts()); every minute, while
 * sync-interval-hours is above 0, the manager starts the syncs that are due.
 */
#define G_LOG_DOMAIN "cumulus-gui"

#include "cu-job-manager.h"

#define SCHEDULE_TICK_SECONDS 60

typedef struct {
  CuJobManager *manager;       /* borrowed: the manager outlives its jobs */
  char         *key;           /* workspace \n account */
  char         *workspace;
  char         *account;
  CuProgress   *progress;
  GCancellable *cancellable;
} SyncJob;

struct _CuJobManager
{
  GObject     parent_instance;

  /* owned state */
  GSettings  *settings;
  GHashTable *syncs;           /* key → SyncJob, while running */
  GHashTable *attempts;        /* key → gint64*: unix seconds a sync last started here */
  CuAnalysisJob *analysis;
  char       *analysis_workspace;

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
}

static void
cu_job_manager_init (CuJobManager *self)
{
  /* a running job is freed by its task, not by the table */
  self->syncs = g_hash_table_new (g_str_hash, g_str_equal);
  self->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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
  if (self->analysis != NULL)
    cu_analysis_job_cancel (self->analysis);
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
