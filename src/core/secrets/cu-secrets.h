/* cu-secrets.h — account secrets in the OS keyring (libsecret)
 *
 * The only place Cumulus keeps a secret. Items use the app schema
 * "io.github.cumulusfinops.Cumulus.Secret" with two attributes: "account"
 * (the account name) and "field" (which secret of that account). The calls
 * are synchronous and meant for worker threads and the CLI; the GUI runs
 * them in a GTask. Returned secrets are freed with cu_secrets_free(), which
 * wipes the memory first.
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
