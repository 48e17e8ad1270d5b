/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-analysis-job.h — forecasts, anomalies and budget alerts in a worker, then notifications */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CU_TYPE_ANALYSIS_JOB (cu_analysis_job_get_type ())
G_DECLARE_FINAL_TYPE (CuAnalysisJob, cu_analysis_job, CU, ANALYSIS_JOB, GObject)

CuAnalysisJob      *cu_analysis_job_new                (GApplication  *application);
void                cu_analysis_job_start              (CuAnalysisJob *self,
                                                        const char    *workspace_dir);
void                cu_analysis_job_cancel             (CuAnalysisJob *self);
gboolean            cu_analysis_job_get_running        (CuAnalysisJob *self);
const char         *cu_analysis_job_get_error          (CuAnalysisJob *self);
guint               cu_analysis_job_get_n_runs         (CuAnalysisJob *self);
const char * const *cu_analysis_job_get_notifications  (CuAnalysisJob *self);

G_END_DECLS
