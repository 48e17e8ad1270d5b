/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-test-util.h — what the C tests share: temporary workspaces, ledger
 * queries that assert, and the keyring session check
 *
 * Link with test_util_dep (tests/common/meson.build). Every helper asserts
 * on failure: these are for tests, never for data from users.
 */
#pragma once

#include <gio/gio.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

/* ---- temporary directories and workspaces ---- */

char        *cu_test_make_tmp_dir     (const char *prefix);
void         cu_test_remove_tree      (const char *path);
guint        cu_test_count_entries    (const char *path);

typedef struct {
  char     *dir;      /* owned: removed by cu_test_workspace_free() */
  CuLedger *ledger;   /* owned: its ledger, open */
} CuTestWorkspace;

CuTestWorkspace *cu_test_workspace_new  (const char      *prefix);
void             cu_test_workspace_free (CuTestWorkspace *workspace);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuTestWorkspace, cu_test_workspace_free)

/* ---- ledger queries ---- */

gint64       cu_test_query_int        (CuLedger   *ledger,
                                       const char *sql);
double       cu_test_query_double     (CuLedger   *ledger,
                                       const char *sql);
char        *cu_test_query_text       (CuLedger   *ledger,
                                       const char *sql);
gint64       cu_test_ledger_int       (const char *dir,
                                       const char *sql);
void         cu_test_hash_query       (GChecksum  *sum,
                                       CuLedger   *ledger,
                                       const char *sql);

/* ---- keyring ---- */

gboolean     cu_test_in_keyring_session (void);

G_END_DECLS
