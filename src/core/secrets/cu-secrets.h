/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-secrets.h — account secrets in the OS keyring (libsecret)
 *
 * The only place Cumulus keeps a secret. Items use the app schema
 * "io.github.cumulusfinops.Cumulus.Secret" with three attributes:
 * "workspace" (the canonical absolute path of the workspace directory, see
 * cu_secrets_workspace_key()), "account" (the account name) and "field"
 * (which secret of that account). Account names are unique only within a
 * workspace, so the app always goes through the *_in() calls, which take
 * the workspace directory.
 *
 * Items stored before the workspace attribute existed ("legacy" items, with
 * only account and field) are found by cu_secrets_lookup_in() when the
 * workspace has no item of its own: the first workspace that looks one up
 * takes it over (stores it with its workspace attribute and deletes the
 * legacy item).
 *
 * cu_secrets_store(), cu_secrets_lookup() and cu_secrets_clear() ignore
 * workspaces: store writes a legacy item, lookup returns a matching item of
 * any workspace and clear removes the matching items of every workspace.
 * They are kept for tests and tooling; app code must not use them (storing
 * a legacy item while a workspace item of the same account and field exists
 * makes gnome-keyring replace that item, which it handles badly).
 *
 * The calls are synchronous and meant for worker threads and the CLI; the
 * GUI runs them in a GTask. Returned secrets are freed with
 * cu_secrets_free(), which wipes the memory first.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define CU_SECRET_AWS_SECRET_ACCESS_KEY "aws-secret-access-key"
#define CU_SECRET_AWS_SESSION_TOKEN     "aws-session-token"
#define CU_SECRET_AZURE_CLIENT_SECRET   "azure-client-secret"

#define CU_SECRETS_ERROR (cu_secrets_error_quark ())
GQuark cu_secrets_error_quark (void);

typedef enum {
  CU_SECRETS_ERROR_UNAVAILABLE,  /* no keyring service / locked */
  CU_SECRETS_ERROR_NOT_FOUND,
} CuSecretsError;

const SecretSchema *cu_secrets_get_schema (void);

char    *cu_secrets_workspace_key (const char *workspace_dir);

gboolean cu_secrets_store_in  (const char    *workspace_dir,
                               const char    *account,
                               const char    *field,
                               const char    *secret,
                               GCancellable  *cancellable,
                               GError       **error);
char    *cu_secrets_lookup_in (const char    *workspace_dir,
                               const char    *account,
                               const char    *field,
                               GCancellable  *cancellable,
                               GError       **error);
gboolean cu_secrets_clear_in  (const char    *workspace_dir,
                               const char    *account,
                               const char    *field,
                               GCancellable  *cancellable,
                               GError       **error);

/* workspace-agnostic (see above); not for app code */

gboolean cu_secrets_store  (const char    *account,
                            const char    *field,
                            const char    *secret,
                            GCancellable  *cancellable,
                            GError       **error);
char    *cu_secrets_lookup (const char    *account,
                            const char    *field,
                            GCancellable  *cancellable,
                            GError       **error);
gboolean cu_secrets_clear  (const char    *account,
                            const char    *field,
                            GCancellable  *cancellable,
                            GError       **error);
void     cu_secrets_free   (char          *secret);

typedef char *CuSecretString;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (CuSecretString, cu_secrets_free, NULL)

G_END_DECLS
