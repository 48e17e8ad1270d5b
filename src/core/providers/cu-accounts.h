/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-accounts.h — adding, editing and removing cloud accounts
 *
 * The ledger row holds only non-secret settings (config_json); the secrets
 * go to the keyring (secrets/cu-secrets.h). What is stored where:
 *
 *   aws-keys  config {"access_key_id"}            keyring: secret access key,
 *                                                  optional session token
 *   aws-role  config {"role_arn","external_id","source"}   keyring: nothing
 *             (signs with the source aws-keys account's keys)
 *   both AWS kinds may add {"cost_tags": ["team", …]}: the cost-allocation
 *             tag keys the sync fetches (see cu-cost-explorer.h); absent or
 *             empty means none
 *   azure-sp  config {"tenant","client_id","subscription"} keyring: client secret
 *
 * The access key id and the ExternalId are identifiers, not secrets (AWS
 * prints the key id in CloudTrail and error messages and documents the
 * ExternalId as not secret); keeping them in the ledger lets lists and
 * error messages name them without unlocking the keyring.
 */
#pragma once

#include <gio/gio.h>

#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;
  const char *kind;           /* "aws-keys" | "aws-role" | "azure-sp" */
  /* aws-keys */
  const char *access_key_id;
  const char *session_token;  /* optional */
  /* aws-role */
  const char *role_arn;
  const char *external_id;
  const char *source;
  /* azure-sp */
  const char *tenant;
  const char *client_id;
  const char *subscription;
  /* aws-keys: secret access key; azure-sp: client secret */
  const char *secret;
  /* aws-keys, aws-role: cost-allocation tag keys to fetch (nullable) */
  const char * const *cost_tags;
} CuAccountSpec;

typedef enum {
  CU_ACCOUNT_FIELD_NONE,
  CU_ACCOUNT_FIELD_NAME,
  CU_ACCOUNT_FIELD_KIND,
  CU_ACCOUNT_FIELD_ACCESS_KEY_ID,
  CU_ACCOUNT_FIELD_ROLE_ARN,
  CU_ACCOUNT_FIELD_EXTERNAL_ID,
  CU_ACCOUNT_FIELD_SOURCE,
  CU_ACCOUNT_FIELD_TENANT,
  CU_ACCOUNT_FIELD_CLIENT_ID,
  CU_ACCOUNT_FIELD_SUBSCRIPTION,
  CU_ACCOUNT_FIELD_SECRET,
  CU_ACCOUNT_FIELD_COST_TAGS,
} CuAccountField;

gboolean  cu_accounts_validate   (const CuAccountSpec *spec,
                                  CuAccountField      *out_bad_field,
                                  GError             **error);
gint64    cu_accounts_add        (CuLedger            *ledger,
                                  const CuAccountSpec *spec,
                                  GCancellable        *cancellable,
                                  GError             **error);
gboolean  cu_accounts_update     (CuLedger            *ledger,
                                  const CuAccountSpec *spec,
                                  GCancellable        *cancellable,
                                  GError             **error);
gboolean  cu_accounts_remove     (CuLedger            *ledger,
                                  const char          *name,
                                  GCancellable        *cancellable,
                                  GError             **error);
char     *cu_accounts_config_get (const CuAccount     *account,
                                  const char          *key);
char     *cu_accounts_describe   (const CuAccount     *account);

gboolean  cu_accounts_validate_cost_tags (const char * const *keys,
                                          GError            **error);
char    **cu_accounts_parse_cost_tags    (const char         *text,
                                          GError            **error);
char    **cu_accounts_get_cost_tags      (const CuAccount    *account);
gboolean  cu_accounts_set_cost_tags      (CuLedger           *ledger,
                                          const char         *name,
                                          const char * const *keys,
                                          GError            **error);

G_END_DECLS
