/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-job-manager.h — the application's running jobs, and the background sync */
#pragma once

#include <gio/gio.h>

#include "cu-analysis-job.h"
#include "providers/cu-sync.h"
#include "util/cu-progress.h"

G_BEGIN_DECLS

#define CU_TYPE_JOB_MANAGER (cu_job_manager_get_type ())
G_DECLARE_FINAL_TYPE (CuJobManager, cu_job_manager, CU, JOB_MANAGER, GObject)

CuJobManager *cu_job_manager_get_default       (void);
void          cu_job_manager_set_settings      (CuJobManager       *self,
                                                GSettings          *settings);
GSettings    *cu_job_manager_get_settings      (CuJobManager       *self);

gboolean      cu_job_manager_start_sync        (CuJobManager       *self,
                                                const char         *workspace,
                                                const char         *account);
void          cu_job_manager_cancel_sync       (CuJobManager       *self,
                                                const char         *workspace,
                                                const char         *account);
gboolean      cu_job_manager_is_syncing        (CuJobManager       *self,
                                                const char         *workspace,
                                                const char         *account);
CuProgress   *cu_job_manager_get_sync_progress (CuJobManager       *self,
                                                const char         *workspace,
                                                const char         *account);
gint64        cu_job_manager_get_last_attempt  (CuJobManager       *self,
                                                const char         *workspace,
                                                const char         *account);
void          cu_job_manager_cancel_all        (CuJobManager       *self);

void          cu_job_manager_set_application   (CuJobManager       *self,
                                                GApplication       *application);
CuAnalysisJob *cu_job_manager_start_analysis   (CuJobManager       *self,
                                                const char         *workspace);

void          cu_job_manager_watch_accounts    (CuJobManager       *self,
                                                const char         *workspace,
                                                const char * const *accounts,
                                                const gint64       *last_started);
guint         cu_job_manager_sync_due          (CuJobManager       *self);

G_END_DECLS
