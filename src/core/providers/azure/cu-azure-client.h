/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cu-azure-client.h — Azure service principal token + Cost Management query
 *
 * Endpoints: https://login.microsoftonline.com and https://management.azure.com,
 * or CUMULUS_AZURE_LOGIN_ENDPOINT / CUMULUS_AZURE_ENDPOINT (https, or http on
 * loopback for tests). The token is renewed five minutes before it expires
 * and once more when the API calls it expired.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "providers/cu-http.h"
#include "store/cu-ledger.h"

G_BEGIN_DECLS

typedef struct _CuAzureClient CuAzureClient;

/* Called per page; @columns are the column names in order. */
typedef gboolean (*CuAzurePageFunc) (const char * const *columns,
                                     JsonArray          *rows,
                                     gpointer            user_data,
                                     GError            **error);

CuAzureClient *cu_azure_client_new       (CuHttp        *http,
                                          const char    *tenant,
                                          const char    *client_id,
                                          const char    *client_secret);
void           cu_azure_client_free      (CuAzureClient *self);
gboolean       cu_azure_client_set_endpoints (CuAzureClient *self,
                                              const char    *management,
                                              const char    *login,
                                              GError       **error);
gboolean       cu_azure_client_get_token (CuAzureClient *self,
                                          GCancellable  *cancellable,
                                          GError       **error);
gboolean       cu_azure_client_query     (CuAzureClient   *self,
                                          const char      *scope,
                                          JsonNode        *body,
                                          CuAzurePageFunc  func,
                                          gpointer         user_data,
                                          guint           *n_sent,
                                          GCancellable    *cancellable,
                                          GError         **error);
JsonNode      *cu_azure_parse_answer     (const char      *body,
                                          gsize            len,
                                          GError         **error);
JsonNode      *cu_azure_build_query      (const char      *type,
                                          CuDay            first_day,
                                          CuDay            last_day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CuAzureClient, cu_azure_client_free)

G_END_DECLS
