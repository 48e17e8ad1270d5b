/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-secrets.c — account secrets in the OS keyring
 *
 * Errors from libsecret are rewritten into plain sentences: they never carry
 * the secret (libsecret does not echo it either) and they tell the user what
 * to do (start or unlock the keyring).
 */
#define G_LOG_DOMAIN "cumulus-secrets"

#include "secrets/cu-secrets.h"

#include <stdlib.h>
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
      { "workspace", SECRET_SCHEMA_ATTRIBUTE_STRING },
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

/**
 * cu_secrets_workspace_key:
 * @workspace_dir: a workspace directory, absolute or relative
 *
 * The value of the "workspace" attribute for @workspace_dir: its canonical
 * absolute path, with symlinks resolved when the directory exists, so every
 * spelling of one workspace names the same keyring items.
 *
 * Returns: (transfer full): the canonical path
 */
char *
cu_secrets_workspace_key (const char *workspace_dir)
{
  char *real;

  g_return_val_if_fail (workspace_dir != NULL, NULL);

  real = realpath (workspace_dir, NULL);
  if (real != NULL)
    {
      char *key = g_strdup (real);

      free (real);
      return key;
    }
  return g_canonicalize_filename (workspace_dir, NULL);
}

/* @workspace (a key from cu_secrets_workspace_key()) and @field may be NULL */
static GHashTable *
attributes (const char *workspace, const char *account, const char *field)
{
  GHashTable *attrs = g_hash_table_new (g_str_hash, g_str_equal);

  if (workspace != NULL)
    g_hash_table_insert (attrs, (gpointer) "workspace", (gpointer) workspace);
  g_hash_table_insert (attrs, (gpointer) "account", (gpointer) account);
  if (field != NULL)
    g_hash_table_insert (attrs, (gpointer) "field", (gpointer) field);
  return attrs;
}

static gboolean
store (const char    *workspace,
       const char    *account,
       const char    *field,
       const char    *secret,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GHashTable) attrs = attributes (workspace, account, field);
  g_autofree char *label = NULL;
  GError *local = NULL;

  if (workspace != NULL)
    label = g_strdup_printf ("Cumulus: %s (%s) in %s", account, field, workspace);
  else
    label = g_strdup_printf ("Cumulus: %s (%s)", account, field);
  if (!secret_password_storev_sync (cu_secrets_get_schema (), attrs, SECRET_COLLECTION_DEFAULT,
                                    label, secret, cancellable, &local))
    {
      set_unavailable (error, local, "save a secret to");
      return FALSE;
    }
  return TRUE;
}

/* Returns the secret, or NULL: with @error set when the keyring failed */
static char *
lookup (const char    *workspace,
        const char    *account,
        const char    *field,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GHashTable) attrs = attributes (workspace, account, field);
  GError *local = NULL;
  char *secret;

  secret = secret_password_lookupv_nonpageable_sync (cu_secrets_get_schema (), attrs,
                                                      cancellable, &local);
  if (local != NULL)
    {
      set_unavailable (error, local, "read a secret from");
      return NULL;
    }
  return secret;
}

static gboolean
clear (const char    *workspace,
       const char    *account,
       const char    *field,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GHashTable) attrs = attributes (workspace, account, field);
  GError *local = NULL;

  secret_password_clearv_sync (cu_secrets_get_schema (), attrs, cancellable, &local);
  if (local != NULL)
    {
      set_unavailable (error, local, "remove a secret from");
      return FALSE;
    }
  return TRUE;
}

static void
set_not_found (GError **error, const char *account, const char *field)
{
  g_set_error (error, CU_SECRETS_ERROR, CU_SECRETS_ERROR_NOT_FOUND,
               "The keyring holds no %s for account “%s”; add the account again",
               field, account);
}

/* The legacy item (no "workspace" attribute) of @account and @field: moved
 * to @workspace and its secret returned; NULL when there is none (or with
 * @error when the keyring failed). Moving is best effort: when storing the
 * new item fails the legacy item stays and the secret is still returned. */
static char *
take_over_legacy (const char    *workspace,
                  const char    *account,
                  const char    *field,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GHashTable) attrs = attributes (NULL, account, field);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) local = NULL;
  SecretItem *legacy = NULL;
  GList *items;
  const char *text;
  char *secret;

  items = secret_service_search_sync (NULL, cu_secrets_get_schema (), attrs,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                      cancellable, &local);
  if (local != NULL)
    {
      set_unavailable (error, g_steal_pointer (&local), "read a secret from");
      return NULL;
    }
  for (GList *l = items; l != NULL && legacy == NULL; l = l->next)
    {
      g_autoptr(GHashTable) item_attrs = secret_item_get_attributes (l->data);

      if (!g_hash_table_contains (item_attrs, "workspace"))
        legacy = g_object_ref (l->data);
    }
  g_list_free_full (items, g_object_unref);
  if (legacy == NULL)
    return NULL;

  if (!secret_item_load_secret_sync (legacy, cancellable, &local))
    {
      g_object_unref (legacy);
      set_unavailable (error, g_steal_pointer (&local), "read a secret from");
      return NULL;
    }
  value = secret_item_get_secret (legacy);
  text = value ? secret_value_get_text (value) : NULL;
  if (text == NULL)
    {
      g_object_unref (legacy);
      return NULL;
    }

  if (store (workspace, account, field, text, cancellable, &local))
    {
      if (!secret_item_delete_sync (legacy, cancellable, &local))
        g_debug ("Cannot delete the legacy keyring item %s of account “%s”: %s",
                 field, account, local->message);
      else
        g_debug ("Moved the keyring item %s of account “%s” to workspace %s",
                 field, account, workspace);
    }
  else
    g_debug ("Cannot move the keyring item %s of account “%s” to workspace %s: %s",
             field, account, workspace, local->message);
  g_object_unref (legacy);

  secret = secret_value_unref_to_password (g_steal_pointer (&value), NULL);
  return secret;
}

/**
 * cu_secrets_store_in:
 * @workspace_dir: the workspace directory of the account
 * @account: account name
 * @field: which secret (CU_SECRET_*)
 * @secret: the secret text; not kept
 *
 * Stores or replaces one secret of @account in @workspace_dir, in the
 * default collection.
 */
gboolean
cu_secrets_store_in (const char    *workspace_dir,
                     const char    *account,
                     const char    *field,
                     const char    *secret,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *ws = NULL;

  g_return_val_if_fail (workspace_dir != NULL, FALSE);
  g_return_val_if_fail (account != NULL && field != NULL && secret != NULL, FALSE);

  ws = cu_secrets_workspace_key (workspace_dir);
  return store (ws, account, field, secret, cancellable, error);
}

/**
 * cu_secrets_lookup_in:
 * @workspace_dir: the workspace directory of the account
 *
 * Looks up one secret of @account in @workspace_dir; when the workspace has
 * none, a legacy item of @account (stored before items named their
 * workspace) is taken over, see cu-secrets.h.
 *
 * Returns: (transfer full) (nullable): the secret, free with
 *   cu_secrets_free(); %NULL with %CU_SECRETS_ERROR_NOT_FOUND when absent
 */
char *
cu_secrets_lookup_in (const char    *workspace_dir,
                      const char    *account,
                      const char    *field,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *ws = NULL;
  GError *local = NULL;
  char *secret;

  g_return_val_if_fail (workspace_dir != NULL, NULL);
  g_return_val_if_fail (account != NULL && field != NULL, NULL);

  ws = cu_secrets_workspace_key (workspace_dir);
  secret = lookup (ws, account, field, cancellable, &local);
  if (secret == NULL && local == NULL)
    secret = take_over_legacy (ws, account, field, cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (secret == NULL)
    set_not_found (error, account, field);
  return secret;
}

/**
 * cu_secrets_clear_in:
 * @workspace_dir: the workspace directory of the account
 * @field: (nullable): one secret, or %NULL for all of @account's secrets
 *
 * Removes secrets of @account in @workspace_dir; other workspaces' accounts
 * of that name and legacy items are left alone.
 *
 * Returns: %TRUE when nothing is left (also when nothing was there)
 */
gboolean
cu_secrets_clear_in (const char    *workspace_dir,
                     const char    *account,
                     const char    *field,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *ws = NULL;

  g_return_val_if_fail (workspace_dir != NULL, FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  ws = cu_secrets_workspace_key (workspace_dir);
  return clear (ws, account, field, cancellable, error);
}

/**
 * cu_secrets_store:
 *
 * Stores a legacy item, without workspace (see cu-secrets.h); not for app
 * code.
 */
gboolean
cu_secrets_store (const char    *account,
                  const char    *field,
                  const char    *secret,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (account != NULL && field != NULL && secret != NULL, FALSE);

  return store (NULL, account, field, secret, cancellable, error);
}

/**
 * cu_secrets_lookup:
 *
 * Looks up a secret of @account in any workspace (see cu-secrets.h); not
 * for app code.
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
  GError *local = NULL;
  char *secret;

  g_return_val_if_fail (account != NULL && field != NULL, NULL);

  secret = lookup (NULL, account, field, cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (secret == NULL)
    set_not_found (error, account, field);
  return secret;
}

/**
 * cu_secrets_clear:
 * @field: (nullable): one secret, or %NULL for all of @account's secrets
 *
 * Removes the secrets of @account in every workspace, legacy items
 * included (see cu-secrets.h); not for app code.
 *
 * Returns: %TRUE when nothing is left (also when nothing was there)
 */
gboolean
cu_secrets_clear (const char    *account,
                  const char    *field,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (account != NULL, FALSE);

  return clear (NULL, account, field, cancellable, error);
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
