/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-job-manager.h — the application's running jobs, and the background sync */
#pragma once

#include <gio/gio.h>

#include "cu-analysis-job.h"
#include "importers/cu-importer.h"
#include "providers/cu-sync.h"
#include "util/cu-progress.h"

G_BEGIN_DECLS

#define CU_TYPE_JOB_MANAGER (cu_job_manager_get_type ())
G_DECLARE_FINAL_TYPE (CuJobManager, cu_job_manager, CU, JOB_MANAGER, GObject)

typedef enum {
  CU_IMPORT_FILE_WAITING,
  CU_IMPORT_FILE_RUNNING,
  CU_IMPORT_FILE_DONE,
  CU_IMPORT_FILE_FAILED,
  CU_IMPORT_FILE_SKIPPED,
} CuImportFileState;

/* One file of an import: written by the worker with the job locked
 * (cu_import_job_lock()); read it the same way. */
typedef struct {
  GFile             *file;
  char              *display;
  CuImportFileState  state;
  double             fraction;
  char              *message;
  CuImportResult    *result;   /* when DONE */
  char              *error;    /* when FAILED: names the file, line and column */
} CuImportFile;

/* A file import the manager runs; reference counted, so a dialog that
 * shows it may keep it after it ended or drop it while it runs. */
typedef struct _CuImportJob CuImportJob;

CuImportJob        *cu_import_job_ref          (CuImportJob *job);
void                cu_import_job_unref        (CuImportJob *job);
const char         *cu_import_job_get_workspace (CuImportJob *job);
CuProgress         *cu_import_job_get_progress (CuImportJob *job);
gpointer            cu_import_job_get_origin   (CuImportJob *job);
gboolean            cu_import_job_get_running  (CuImportJob *job);
guint               cu_import_job_get_n_files  (CuImportJob *job);
guint               cu_import_job_get_n_imported (CuImportJob *job);
void                cu_import_job_lock         (CuImportJob *job);
void                cu_import_job_unlock       (CuImportJob *job);
const CuImportFile *cu_import_job_get_file     (CuImportJob *job,
                                                guint        index);
void                cu_import_job_cancel       (CuImportJob *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuImportJob, cu_import_job_unref)

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

CuImportJob  *cu_job_manager_start_import     (CuJobManager       *self,
                                                const char         *workspace,
                                                GListModel         *files,
                                                gpointer            origin);
guint         cu_job_manager_get_n_imports     (CuJobManager       *self);

gboolean      cu_job_manager_start_demo        (CuJobManager       *self,
                                                const char         *demo_dir,
                                                GError            **error);
gboolean      cu_job_manager_is_making_demo    (CuJobManager       *self);
CuProgress   *cu_job_manager_get_demo_progress (CuJobManager       *self);
void          cu_job_manager_cancel_demo       (CuJobManager       *self);

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
