/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-schema.h — ledger schema and its forward migrations (private to store/) */
#pragma once

#include <sqlite3.h>
#include <glib.h>

G_BEGIN_DECLS

gboolean cu_schema_migrate (sqlite3  *db,
                            int       target_version,
                            GError  **error);

G_END_DECLS
