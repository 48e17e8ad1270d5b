/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-progress.h — how far a job is: a fraction and a message, from any thread */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CU_TYPE_PROGRESS (cu_progress_get_type ())
G_DECLARE_FINAL_TYPE (CuProgress, cu_progress, CU, PROGRESS, GObject)

CuProgress *cu_progress_new          (void);
void        cu_progress_update       (CuProgress *self,
                                      double      fraction,
                                      const char *message);
void        cu_progress_set_fraction (CuProgress *self,
                                      double      fraction);
void        cu_progress_reset        (CuProgress *self);
double      cu_progress_get_fraction (CuProgress *self);
char       *cu_progress_dup_message  (CuProgress *self);

/* for the progress callbacks of the core jobs (demo, import) */
void        cu_progress_fraction_cb  (double      fraction,
                                      gpointer    progress);

G_END_DECLS
