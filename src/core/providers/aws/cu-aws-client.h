/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-aws-client.h — signed calls to AWS (JSON 1.1 and Query protocols)
 *
 * A client holds one set of credentials: long-lived keys, or the temporary
 * credentials of a role it assumed from them (renewed five minutes before
 * they expire). Errors are mapped to CU_PROVIDER_ERROR codes with messages
 * written for people; secrets never appear in them.
 *
 * Endpoint: https://<service>.us-east-1.amazonaws.com/, or the base URL in
 * CUMULUS_AWS_ENDPOINT (every service on one host; https, or http on
 * loopback for tests).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "providers/cu-http.h"

G_BEGIN_DECLS

#define CU_AWS_REGION "us-east-1"
#define CU_AWS_RENEW_MARGIN_S 300

typedef struct _CuAwsClient CuAwsClient;

CuAwsClient *cu_aws_client_new          (CuHttp        *http,
                                         const char    *access_key_id,
                                         const char    *secret_access_key,
                                         const char    *session_token);
void         cu_aws_client_free         (CuAwsClient   *self);
gboolean     cu_aws_client_set_endpoint (CuAwsClient   *self,
                                         const char    *base_url,
                                         GError       **error);
gboolean     cu_aws_client_assume_role  (CuAwsClient   *self,
                                         const char    *role_arn,
                                         const char    *external_id,
                                         GCancellable  *cancellable,
                                         GError       **error);
JsonNode    *cu_aws_client_call_json    (CuAwsClient   *self,
                                         const char    *service,
                                         const char    *target,
                                         const char    *permission,
                                         JsonNode      *input,
                                         guint         *n_sent,
                                         GCancellable  *cancellable,
                                         GError       **error);
GHashTable  *cu_aws_client_call_query   (CuAwsClient   *self,
                                         const char    *service,
                                         const char    *form_body,
                                         const char    *permission,
                                         guint         *n_sent,
                                         GCancellable  *cancellable,
                                         GError       **error);
gboolean     cu_aws_client_get_caller_identity (CuAwsClient   *self,
                                                char         **out_arn,
                                                char         **out_account,
                                                GCancellable  *cancellable,
                                                GError       **error);
guint        cu_aws_client_get_n_assume (CuAwsClient   *self);

/* helpers shared with the mock server in tests */
GHashTable  *cu_aws_xml_collect         (const char    *xml,
                                         gssize         len,
                                         GError       **error);
char        *cu_aws_error_code_normalize (const char   *type);
gboolean     cu_aws_code_is_throttling  (const char    *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuAwsClient, cu_aws_client_free)

G_END_DECLS
