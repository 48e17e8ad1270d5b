/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-page-job.c — a page's background work on a fresh ledger connection
 *
 * The pattern every page follows: the inputs are copied into a request on
 * the main thread; a worker opens a ledger connection of its own for the
 * workspace and computes an immutable result; the result is handed back on
 * the main thread. A new request replaces the page's GCancellable, so a
 * result that arrives after a newer request (or after the page went away)
 * is dropped instead of painting old figures.
 */
#define G_LOG_DOMAIN "cumulus-gui"


#include "cu-page-job.h"

typedef struct {
  const CuPageJobInfo  *info;
  char                 *workspace;
  gpointer              request;
  GCancellable        **current;    /* the source's slot: which request is current */
} Job;

static void
job_free (Job *job)
{
  if (job->info->request_free != NULL && job->request != NULL)
    job->info->request_free (job->request);
  g_free (job->workspace);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CuLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  gpointer result;

  ledger = cu_ledger_open (job->workspace, &error);
  if (ledger == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  result = job->info->run (ledger, job->request, cancellable, &error);
  if (result == NULL)
    {
      g_assert (error != NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, job->info->result_free);
}

static void
job_done_cb (GObject      *source_object,
             GAsyncResult *res,
             gpointer      user_data)
{
  GTask *task = G_TASK (res);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer result = g_task_propagate_pointer (task, &error);

  /* a newer request, or the source is going away */
  if (g_task_get_cancellable (task) != *job->current ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (result != NULL && job->info->result_free != NULL)
        job->info->result_free (result);
      return;
    }
  job->info->done (source_object, job->request, result, error);
}

/**
 * cu_page_job_start:
 * @info: what to run and how to hand the result back
 * @source: the page (or other object) the job works for; kept alive
 *   until the job is done
 * @cancellable: (inout): @source's slot for the current request's
 *   cancellable; the request in it is cancelled and replaced
 * @workspace_dir: the workspace whose ledger the worker opens
 * @request: (transfer full) (nullable): the inputs, copied, freed with
 *   @info's request_free
 *
 * Runs @info's run function in a worker thread with a ledger connection of
 * its own, then calls its done function on the main thread, unless a newer
 * request or cu_page_job_cancel() replaced this one by then.
 */
void
cu_page_job_start (const CuPageJobInfo  *info,
                   gpointer              source,
                   GCancellable        **cancellable,
                   const char           *workspace_dir,
                   gpointer              request)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (info != NULL && info->run != NULL && info->done != NULL);
  g_return_if_fail (G_IS_OBJECT (source));
  g_return_if_fail (cancellable != NULL);
  g_return_if_fail (workspace_dir != NULL);

  cu_page_job_cancel (cancellable);
  *cancellable = g_cancellable_new ();

  job = g_new0 (Job, 1);
  job->info = info;
  job->workspace = g_strdup (workspace_dir);
  job->request = request;
  job->current = cancellable;

  task = g_task_new (source, *cancellable, job_done_cb, NULL);
  g_task_set_source_tag (task, cu_page_job_start);
  g_task_set_name (task, info->name);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

/**
 * cu_page_job_cancel:
 * @cancellable: (inout): the slot cu_page_job_start() was given
 *
 * Cancels the current request, if any: its result will not be delivered.
 */
void
cu_page_job_cancel (GCancellable **cancellable)
{
  g_return_if_fail (cancellable != NULL);

  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

/**
 * cu_page_job_set_spinning:
 * @spinner: the page's spinner
 * @spinning: whether a job is under way
 *
 * Shows and spins @spinner while a job is under way; the page's state
 * (cu_page_set_state()) says the same to everyone else.
 */
void
cu_page_job_set_spinning (GtkSpinner *spinner,
                          gboolean    spinning)
{
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  gtk_spinner_set_spinning (spinner, spinning);
  gtk_widget_set_visible (GTK_WIDGET (spinner), spinning);
}
