/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-application.h — the Cumulus application */
#pragma once

#include <adwaita.h>

#include "cu-job-manager.h"

G_BEGIN_DECLS

#define CU_TYPE_APPLICATION (cu_application_get_type ())
G_DECLARE_FINAL_TYPE (CuApplication, cu_application, CU, APPLICATION, AdwApplication)

CuApplication *cu_application_new          (void);
GSettings     *cu_application_get_settings (CuApplication *self);
CuJobManager  *cu_application_get_job_manager (CuApplication *self);

G_END_DECLS
