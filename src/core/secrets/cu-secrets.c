/* cu-secrets.c — account secrets in the OS keyring
 *
 * Errors from libsecret are rewritten into plain sentences: they never carry
 * the secret (libsecret does not echo it either) and they tell the user what
 * to do (start or unlock the keyring).
 */
#define G_LOG_DOMAIN "cumulus-secrets"

#include "secrets/cu-secrets.h"

#include <string.h>

G_DEFINE_QUARK (cu-secrets-error-quark, cu_secrets_error)

/**
 * cu_secrets_get_schema:
 *
 * Returns: (transfer none): the app's libsecret schema
 */
const SecretSchema *
cu_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.cumulusfinops.Cumulus.Secret", SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
set_unavailable (GError **error, GError *cause, const char *what)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }
  g_set_error (error, CU_SECRETS_ERROR, CU_SECRETS_ERROR_UNAVAILABLE,
               "Cannot %s the system keyring (%s). Make sure a keyring service such as "
               "GNOME Keyring is running and unlocked.", what, cause->message);
  g_error_free (cause);
}

static GHashTable *
attributes (const char *account, const char *field)
{
  GHashTable *attrs = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attrs, (gpointer) "account", (gpointer) account);
  if (field != NULL)
    g_hash_table_insert (attrs, (gpointer) "field", (gpointer) field);
  return attrs;
}

/**
 * cu_secrets_store:
 * @account: account name
 * @field: which secret (CU_SECRET_*)
 * @secret: the secret text; not kept
 *
 * Stores or replaces one secret in the default collection.
 */
gboolean
cu_secrets_store (const char    *account,
                  const char    *field,
                  const char    *secret,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GHashTable) attrs = NULL;
  g_autofree char *label = NULL;
  GError *local = NULL;

  g_return_val_if_fail (account != NULL && field != NULL && secret != NULL, FALSE);

  attrs = attributes (account, field);
  label = g_strdup_printf ("Cumulus: %s (%s)", account, field);
  if (!secret_password_storev_sync (cu_secrets_get_schema (), attrs, SECRET_COLLECTION_DEFAULT,
                                    label, secret, cancellable, &local))
    {
      set_unavailable (error, local, "save a secret to");
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_secrets_lookup:
 *
 * Returns: (transfer full) (nullable): the secret, free with
 *   cu_secrets_free(); %NULL with %CU_SECRETS_ERROR_NOT_FOUND when absent
 */
char *
cu_secrets_lookup (const char    *account,
                   const char    *field,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GHashTable) attrs = NULL;
  GError *local = NULL;
  char *secret;

  g_return_val_if_fail (account != NULL && field != NULL, NULL);

  attrs = attributes (account, field);
  secret = secret_password_lookupv_nonpageable_sync (cu_secrets_get_schema (), attrs,
                                                      cancellable, &local);
  if (local != NULL)
    {
      set_unavailable (error, local, "read a secret from");
      return NULL;
    }
  if (secret == NULL)
    g_set_error (error, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND,
                 "The keyring holds no %s for account “%s”; add the account again",
                 field, account);
  return secret;
}

/**
 * cu_secrets_clear:
 * @field: (nullable): one secret, or %NULL for all of @account's secrets
 *
 * Returns: %TRUE when nothing is left (also when nothing was there)
 */
gboolean
cu_secrets_clear (const char    *account,
                  const char    *field,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GHashTable) attrs = NULL;
  GError *local = NULL;

  g_return_val_if_fail (account != NULL, FALSE);

  attrs = attributes (account, field);
  secret_password_clearv_sync (cu_secrets_get_schema (), attrs, cancellable, &local);
  if (local != NULL)
    {
      set_unavailable (error, local, "remove a secret from");
      return FALSE;
    }
  return TRUE;
}

/**
 * cu_secrets_free:
 *
 * Wipes and frees a secret returned by cu_secrets_lookup().
 */
void
cu_secrets_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}
