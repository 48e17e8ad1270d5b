/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-page-job.h — a page's background work on a fresh ledger connection */
#pragma once

#include <gtk/gtk.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

/* In the worker: computes the result from @ledger, opened for this run
 * alone. Returns it, or %NULL with @error set. */
typedef gpointer (*CuPageJobRunFunc)  (CuLedger      *ledger,
                                       gpointer       request,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* On the main thread, only while the request is current: @result (owned
 * by the callee) or, when it is %NULL, why the run failed. */
typedef void     (*CuPageJobDoneFunc) (gpointer       source,
                                       gpointer       request,
                                       gpointer       result,
                                       const GError  *error);

typedef struct {
  const char        *name;          /* the task's name, for debugging */
  CuPageJobRunFunc   run;
  CuPageJobDoneFunc  done;
  GDestroyNotify     request_free;  /* nullable */
  GDestroyNotify     result_free;   /* nullable */
} CuPageJobInfo;

void     cu_page_job_start        (const CuPageJobInfo  *info,
                                   gpointer              source,
                                   GCancellable        **cancellable,
                                   const char           *workspace_dir,
                                   gpointer              request);
void     cu_page_job_cancel       (GCancellable        **cancellable);
void     cu_page_job_set_spinning (GtkSpinner           *spinner,
                                   gboolean              spinning);

G_END_DECLS
