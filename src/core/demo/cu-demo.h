/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-demo.h — the bundled demo workspace, generated from a seed */
#pragma once

#include <gio/gio.h>

#include "util/cu-date.h"

G_BEGIN_DECLS

#define CU_DEMO_DEFAULT_SEED 42

typedef void (*CuDemoProgressFunc) (double fraction, gpointer user_data);

gboolean cu_demo_create (const char          *workspace_dir,
                         guint64              seed,
                         CuDay                end_day,
                         GCancellable        *cancellable,
                         CuDemoProgressFunc   progress,
                         gpointer             progress_data,
                         GError             **error);

G_END_DECLS
